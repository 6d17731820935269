//! Secondary indexes declared on the model: `cargo run --example indexes`.

use dynamodb_mapper::{Attribute, Connection, KeyCondition, Model};
use futures::TryStreamExt;

#[derive(Model, Debug, Clone, Default)]
#[dynamodb(
    table = "scores",
    hash_key = "player",
    range_key = "game",
    global_index(name = "by_game", hash_key = "game", range_key = "score"),
    global_index(name = "by_country", hash_key = "country", projection = "keys_only")
)]
struct Score {
    player: String,
    game: String,
    score: i64,
    country: String,
}

/// What the keys-only index holds.
#[derive(Attribute, Debug, Clone, Default)]
struct ScoreKey {
    player: String,
    game: String,
}

#[tokio::main]
async fn main() -> dynamodb_mapper::Result<()> {
    let conn = Connection::embedded()?;
    conn.create_table::<Score>().await?; // creates the indexes too
    let rows = [
        ("ann", "chess", 1200, "fr"),
        ("bob", "chess", 1500, "de"),
        ("cid", "go", 900, "fr"),
    ];
    let scores: Vec<Score> = rows
        .iter()
        .map(|(p, g, s, c)| Score {
            player: p.to_string(),
            game: g.to_string(),
            score: *s,
            country: c.to_string(),
        })
        .collect();
    conn.save_batch(&scores).await?;

    let idx = Score::indexes();
    let best: Vec<_> = conn
        .query_index(idx.by_game, "chess".to_string())
        .range(KeyCondition::Ge(1000))
        .reverse()
        .try_collect()
        .await?;
    println!(
        "chess, best first: {:?}",
        best.iter()
            .map(|s| (&s.player, s.score))
            .collect::<Vec<_>>()
    );
    let french: Vec<ScoreKey> = conn
        .query_index(idx.by_country, "fr".to_string())
        .project()
        .try_collect()
        .await?;
    println!(
        "french keys: {:?}",
        french
            .iter()
            .map(|k| (&k.player, &k.game))
            .collect::<Vec<_>>()
    );
    Ok(())
}
