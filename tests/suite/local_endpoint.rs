//! A local DynamoDB-compatible server in one line (`Connection::local`), and
//! the short errors of an SDK client missing its credentials or region.

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use dynamodb_mapper::engine::AwsEngine;
use dynamodb_mapper::{Connection, Document, Error, Model};

#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(table = "locals", hash_key = "id")]
struct Local {
    id: String,
    n: u32,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_local_server_is_one_line() {
    let endpoint = crate::common::start_dynoxide_http().await;
    // What the README shows, and nothing else.
    let conn = Connection::local(&endpoint);
    conn.create_table::<Local>().await.expect("table");
    conn.save(Document::new(Local {
        id: "a".into(),
        n: 1,
    }))
    .await
    .expect("saved");
    let got = conn
        .get::<Local>("a".into())
        .await
        .expect("read")
        .expect("found");
    assert_eq!(got.n, 1);
}

/// The message of a request sent through `config`.
async fn refusal(config: aws_sdk_dynamodb::Config) -> String {
    let conn = Connection::new(AwsEngine::new(aws_sdk_dynamodb::Client::from_conf(config)));
    match conn.get::<Local>("a".into()).await {
        Err(error @ Error::Engine { .. }) => error.to_string(),
        other => panic!("refused before sending, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_credentials_or_region_say_what_to_set() {
    let endpoint = crate::common::start_dynoxide_http().await;
    let no_credentials = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(&endpoint)
        .build();
    let message = refusal(no_credentials).await;
    assert!(
        message.contains("AWS_ACCESS_KEY_ID") && message.contains("Connection::local"),
        "{message}"
    );
    assert!(message.len() < 400, "short: {message}");
    let no_region = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(&endpoint)
        .credentials_provider(Credentials::new("a", "b", None, None, "test"))
        .build();
    let message = refusal(no_region).await;
    assert!(
        message.contains("AWS_REGION") && message.contains("Connection::local"),
        "{message}"
    );
    assert!(message.len() < 400, "short: {message}");
}
