//! Every operation runs in a tracing span naming the operation and table, with
//! the consumed capacity when the engine reports it.

use crate::common;

use common::models::Player;
use dynamodb_mapper::{Connection, Document};
use tracing_subscriber::fmt::format::FmtSpan;

#[cfg(feature = "embedded")]
#[tokio::test(flavor = "current_thread")]
async fn operations_are_traced_with_table_and_consumed_capacity() -> dynamodb_mapper::Result<()> {
    let captured = common::Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let conn = Connection::embedded()?.with_table_prefix("traced_");
    conn.create_table::<Player>().await?;
    conn.save(Document::new(Player {
        login: "ann".into(),
        ..Default::default()
    }))
    .await?;
    conn.get::<Player>("ann".to_string()).await?;

    let log = captured.text();
    for operation in ["CreateTable", "PutItem", "GetItem"] {
        let line = log
            .lines()
            .find(|l| l.contains(&format!("operation=\"{operation}\"")))
            .unwrap_or_else(|| panic!("no span for {operation} in:\n{log}"));
        assert!(line.contains("table=\"traced_players\""), "{line}");
    }
    let put = log
        .lines()
        .find(|l| l.contains("operation=\"PutItem\""))
        .expect("checked above");
    assert!(put.contains("consumed_capacity="), "{put}");
    Ok(())
}
