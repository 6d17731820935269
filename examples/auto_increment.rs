//! Auto-increment hash keys: `cargo run --example auto_increment`.

use dynamodb_mapper::{Connection, Document, Model};
use futures::TryStreamExt;

#[derive(Model, Debug, Clone, Default)]
#[dynamodb(table = "posts", hash_key = "id")]
struct Post {
    #[dynamodb(auto_increment)]
    id: i64,
    title: String,
}

#[tokio::main]
async fn main() -> dynamodb_mapper::Result<()> {
    let conn = Connection::embedded()?;
    conn.create_table::<Post>().await?; // waits until active: the counter needs it
    for title in ["Hello", "Second post", "Third"] {
        let mut post = Document::new(Post {
            title: title.into(),
            ..Default::default()
        });
        conn.save(&mut post).await?;
        println!("saved {:?} as post {}", post.title, post.id);
    }
    let posts: Vec<_> = conn.scan::<Post>().try_collect().await?;
    println!(
        "a scan sees {} posts (the counter item at -1 is not one)",
        posts.len()
    );
    Ok(())
}
