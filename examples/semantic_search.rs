//! Semantic search over a few thousand documents, offline, on the embedded
//! engine: `cargo run --example semantic_search`.
//!
//! The vectors come from a small deterministic function below (feature
//! hashing of words): nothing is downloaded. A real application would use
//! an embedding model; the mapper's side (a `Vector<N>` field, a vector
//! index, `conn.search`) is the same.

use dynamodb_mapper::{Attribute, Connection, Model, Vector};
use futures::TryStreamExt;

/// The embedding's dimensions.
const DIMENSIONS: usize = 64;

#[derive(Model, Debug, Clone, Default)]
#[dynamodb(
    table = "articles",
    hash_key = "id",
    vector_index(name = "by_meaning", vector = "embedding", distance = "cosine", filter = ["topic"])
)]
struct Article {
    id: u32,
    topic: String,
    text: String,
    embedding: Vector<DIMENSIONS>,
}

/// What a listing shows: no vectors read.
#[derive(Attribute, Debug, Clone, Default)]
struct Title {
    id: u32,
    text: String,
}

const TOPICS: [(&str, [&str; 8]); 6] = [
    (
        "cooking",
        [
            "recipe", "spicy", "noodle", "soup", "garlic", "bake", "bread", "sauce",
        ],
    ),
    (
        "astronomy",
        [
            "star",
            "galaxy",
            "telescope",
            "orbit",
            "planet",
            "comet",
            "nebula",
            "moon",
        ],
    ),
    (
        "gardening",
        [
            "seed", "soil", "compost", "tomato", "prune", "rose", "water", "harvest",
        ],
    ),
    (
        "programming",
        [
            "rust", "compiler", "borrow", "async", "thread", "memory", "crate", "trait",
        ],
    ),
    (
        "music",
        [
            "guitar", "chord", "melody", "rhythm", "piano", "scale", "tempo", "song",
        ],
    ),
    (
        "sailing",
        [
            "boat", "wind", "sail", "harbour", "knot", "tide", "anchor", "mast",
        ],
    ),
];

const FILLERS: [&str; 6] = [
    "notes",
    "guide",
    "introduction",
    "advanced",
    "weekly",
    "field",
];

/// An embedding of `text`: each word adds ±1 to a dimension its hash
/// picks, and the sum is scaled to length 1. Texts sharing words point the
/// same way.
fn embed(text: &str) -> Vector<DIMENSIONS> {
    let mut sum = [0.0f32; DIMENSIONS];
    for word in text.split_whitespace() {
        // FNV-1a: stable across runs and platforms.
        let hash = word
            .to_lowercase()
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
        let dimension = (hash % DIMENSIONS as u64) as usize;
        sum[dimension] += if hash & (1 << 32) == 0 { 1.0 } else { -1.0 };
    }
    Vector::new(sum).normalized()
}

/// Article `id`: four words of one topic and a filler, picked by a fixed
/// pseudo-random sequence.
fn article(id: u32) -> Article {
    let (topic, words) = TOPICS[id as usize % TOPICS.len()];
    let mut state = u64::from(id).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let mut text: Vec<&str> = (0..4).map(|_| words[next(words.len())]).collect();
    text.push(FILLERS[next(FILLERS.len())]);
    let text = text.join(" ");
    Article {
        id,
        topic: topic.to_owned(),
        embedding: embed(&text),
        text,
    }
}

#[tokio::main]
async fn main() -> dynamodb_mapper::Result<()> {
    let conn = Connection::embedded()?;
    conn.create_table::<Article>().await?;

    let articles: Vec<Article> = (1..=3_000).map(article).collect();
    conn.save_batch(&articles).await?;
    println!(
        "stored {} articles with {DIMENSIONS}-dimension embeddings",
        articles.len()
    );

    // The nearest articles to a question, whatever their topic.
    let question = "spicy garlic noodle soup";
    let hits: Vec<_> = conn
        .search(Article::indexes().by_meaning, &embed(question))
        .k(5)
        .try_collect()
        .await?;
    println!("\n\"{question}\":");
    for hit in &hits {
        println!(
            "  {:.3}  [{}] {}",
            hit.score, hit.document.topic, hit.document.text
        );
    }
    assert!(hits.iter().all(|h| h.document.topic == "cooking"));

    // Filtered to one topic, and reading titles only (no vectors).
    let question = "a telescope to watch the moon";
    let titles: Vec<_> = conn
        .search(Article::indexes().by_meaning, &embed(question))
        .k(3)
        .filter(Article::fields().topic.eq("astronomy"))
        .project::<Title>()
        .try_collect()
        .await?;
    println!("\n\"{question}\" in astronomy:");
    for hit in &titles {
        println!(
            "  {:.3}  #{} {}",
            hit.score, hit.document.id, hit.document.text
        );
    }
    assert_eq!(titles.len(), 3);
    assert!(
        titles[0].document.text.contains("telescope") || titles[0].document.text.contains("moon")
    );
    Ok(())
}
