//! Pages with cursors, and parallel scans: `cargo run --example paging`.

use dynamodb_mapper::operation::Cursor;
use dynamodb_mapper::{Connection, Model};
use futures::TryStreamExt;

#[derive(Model, Debug, Clone, Default)]
#[dynamodb(table = "messages", hash_key = "room", range_key = "seq")]
struct Message {
    room: String,
    seq: u32,
    text: String,
}

#[tokio::main]
async fn main() -> dynamodb_mapper::Result<()> {
    let conn = Connection::embedded()?;
    conn.create_table::<Message>().await?;
    let messages: Vec<Message> = (1..=25)
        .map(|seq| Message {
            room: "lobby".into(),
            seq,
            text: format!("message {seq}"),
        })
        .collect();
    conn.save_batch(&messages).await?;

    // A client asks for 10 messages at a time, and comes back with the cursor as text.
    let mut cursor: Option<String> = None;
    loop {
        let mut query = conn.query::<Message>("lobby".into()).limit(10);
        if let Some(text) = &cursor {
            query = query.start_after(text.parse::<Cursor>()?);
        }
        let pages: Vec<_> = query.pages().try_collect().await?;
        let seqs: Vec<u32> = pages
            .iter()
            .flat_map(|p| p.items.iter().map(|m| m.seq))
            .collect();
        println!("page: {seqs:?}");
        cursor = pages
            .last()
            .and_then(|p| p.cursor.as_ref())
            .map(|c| c.to_string());
        if cursor.is_none() {
            break;
        }
    }
    let all: Vec<_> = conn.scan::<Message>().parallel(4).try_collect().await?;
    println!("a parallel scan in 4 segments read {} messages", all.len());
    Ok(())
}
