//! Engine setup: the embedded engine in a file, and the `aws` engine from the
//! standard AWS configuration (`AWS_ENDPOINT_URL`).

use crate::common;

use common::models::Player;
use dynamodb_mapper::{Connection, Document};

#[cfg(feature = "embedded")]
#[tokio::test]
async fn the_embedded_engine_keeps_items_in_its_file() -> dynamodb_mapper::Result<()> {
    let dir = std::env::temp_dir().join(format!("dynamodb-mapper-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir)
        .map_err(|e| dynamodb_mapper::Error::setup("creating the test directory", e))?;
    let path = dir.join("players.db");
    {
        let conn = Connection::embedded_file(&path)?;
        conn.create_table::<Player>().await?;
        conn.save(Document::new(Player {
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

#[cfg(feature = "aws")]
const AWS_CHILD: &str = "DYNAMODB_MAPPER_AWS_CONFIG_CHILD";

/// The standard configuration comes from the environment, which a test must
/// not change in a process running other tests: a child process gets it.
#[cfg(feature = "aws")]
#[tokio::test]
async fn the_aws_engine_follows_the_standard_aws_configuration() {
    let endpoint = common::start_dynoxide_http().await;
    let child = tokio::process::Command::new(std::env::current_exe().expect("this test binary"))
        .args([
            common::test_path(module_path!(), "aws_configured_child").as_str(),
            "--exact",
            "--ignored",
            "--test-threads=1",
        ])
        .env(AWS_CHILD, &endpoint)
        .env("AWS_ENDPOINT_URL", &endpoint)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_REGION", "eu-west-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(std::time::Duration::from_secs(60), child)
        .await
        .expect("the child finishes within 60 s")
        .expect("the child runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "the child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[cfg(feature = "aws")]
#[tokio::test]
#[ignore = "the child process of the_aws_engine_follows_the_standard_aws_configuration, which starts it"]
async fn aws_configured_child() -> dynamodb_mapper::Result<()> {
    let Ok(endpoint) = std::env::var(AWS_CHILD) else {
        return Ok(());
    };
    let conn = Connection::aws().await;
    assert_eq!(conn.engine().name(), "aws");
    conn.create_table::<Player>().wait_for_active().await?;
    conn.save(Document::new(Player {
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

#[cfg(feature = "embedded")]
#[test]
fn a_database_file_that_cannot_be_opened_is_a_setup_error_with_its_cause() {
    let dir = std::env::temp_dir().join(format!("dynamodb-mapper-missing-{}", std::process::id()));
    let path = dir.join("no").join("such").join("dir").join("players.db");
    let error = Connection::embedded_file(&path).expect_err("no such directory");
    match &error {
        dynamodb_mapper::Error::Setup { what, .. } => {
            assert!(what.contains("players.db"), "names the file: {what}")
        }
        other => panic!("expected Setup, got {other:?}"),
    }
    assert!(
        error
            .to_string()
            .starts_with("engine setup failed: opening the embedded database file"),
        "{error}"
    );
    // The chain: Error::Setup -> the engine's EngineError -> dynoxide's error.
    let engine = std::error::Error::source(&error)
        .and_then(|cause| cause.downcast_ref::<dynamodb_mapper::error::EngineError>())
        .expect("the engine error is the source");
    let cause = std::error::Error::source(engine).expect("dynoxide's error");
    assert!(cause.downcast_ref::<dynoxide::DynoxideError>().is_some());
}

#[test]
fn a_setup_error_keeps_an_io_error_as_its_source() {
    let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "no entry");
    let error = dynamodb_mapper::Error::setup("creating the data directory", io);
    assert_eq!(
        error.to_string(),
        "engine setup failed: creating the data directory: no entry"
    );
    let cause = std::error::Error::source(&error).expect("the I/O error");
    let io = cause
        .downcast_ref::<std::io::Error>()
        .expect("an io::Error");
    assert_eq!(io.kind(), std::io::ErrorKind::PermissionDenied);
}

#[cfg(feature = "embedded")]
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
        dynamodb_mapper::error::EngineErrorKind::ResourceNotFound
    );
    let cause = std::error::Error::source(engine).expect("dynoxide's error");
    assert!(cause.downcast_ref::<dynoxide::DynoxideError>().is_some());
    // The mapper's error has the engine error itself as its source.
    let source = std::error::Error::source(&error).expect("the engine error");
    assert_eq!(
        source.downcast_ref::<dynamodb_mapper::error::EngineError>(),
        Some(engine)
    );
}
