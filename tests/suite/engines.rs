//! Engine setup: the embedded engine in a file, and the `aws` engine from the
//! standard AWS configuration (`AWS_ENDPOINT_URL`).

use crate::common;

use common::models::Player;
use dynamodb_mapper::{Connection, Document};

#[tokio::test]
async fn the_embedded_engine_keeps_items_in_its_file() -> dynamodb_mapper::Result<()> {
    let dir = std::env::temp_dir().join(format!("dynamodb-mapper-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| dynamodb_mapper::Error::Setup(e.to_string()))?;
    let path = dir.join("players.db");
    {
        let conn = Connection::embedded_file(&path)?;
        conn.create_table::<Player>().await?;
        conn.save(&mut Document::new(Player {
            login: "ann".into(),
            level: 7,
            ..Default::default()
        }))
        .await?;
    }
    let reopened = Connection::embedded_file(&path)?;
    let ann = reopened.get::<Player>("ann".to_string()).await?;
    assert_eq!(ann.map(|p| p.level), Some(7));
    drop(reopened);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// The only test in this binary that sets process-wide environment variables.
#[tokio::test]
async fn the_aws_engine_follows_the_standard_aws_configuration() -> dynamodb_mapper::Result<()> {
    let endpoint = common::start_dynoxide_http().await;
    for (name, value) in [
        ("AWS_ENDPOINT_URL", endpoint.as_str()),
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_REGION", "eu-west-1"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ] {
        std::env::set_var(name, value);
    }
    let conn = Connection::aws().await;
    assert_eq!(conn.engine().name(), "aws");
    conn.create_table::<Player>().wait_for_active().await?;
    conn.save(&mut Document::new(Player {
        login: "bob".into(),
        level: 2,
        ..Default::default()
    }))
    .await?;
    // The same server, seen through a client configured by hand.
    let direct = Connection::from_client(common::sdk_client(&endpoint));
    assert_eq!(
        direct
            .get::<Player>("bob".to_string())
            .await?
            .map(|p| p.level),
        Some(2)
    );
    Ok(())
}

#[tokio::test]
async fn the_embedded_engine_keeps_dynoxides_error_as_the_cause() {
    let conn = Connection::embedded().expect("in memory");
    let error = conn
        .get::<Player>("ann".into())
        .await
        .expect_err("no table");
    let engine = error.engine_error().expect("an engine error");
    assert_eq!(
        engine.kind,
        dynamodb_mapper::EngineErrorKind::ResourceNotFound
    );
    let cause = std::error::Error::source(engine).expect("dynoxide's error");
    assert!(cause.downcast_ref::<dynoxide::DynoxideError>().is_some());
}
