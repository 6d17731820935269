//! No secrets in logs: tracing output at every level never holds credentials,
//! and attributes marked sensitive never appear in logs, errors or `Debug`
//! output, on the embedded engine and through the AWS SDK.

use crate::common;

#[cfg(feature = "aws")]
use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use dynamodb_mapper::attribute::Secret;
use dynamodb_mapper::{AttributeValue, Connection, Document, Error, Item, Model};

const PASSWORD: &str = "hunter2-do-not-log";
const PIN: u32 = 834_729;
const SECRET_KEY: &str = "SECRETKEY-do-not-log-0123456789";

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "users", hash_key = "login")]
struct User {
    login: String,
    #[dynamodb(sensitive)]
    password: Secret<String>,
    #[dynamodb(sensitive)]
    pin: Secret<u32>,
}

async fn exercise(conn: &Connection) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let mut out = String::new();
    conn.create_table::<User>().await?;
    let mut user = Document::new(User {
        login: "ann".into(),
        password: Secret::new(PASSWORD.into()),
        pin: Secret::new(PIN),
    });
    conn.save(&mut user).await?;
    let loaded = conn.get::<User>("ann".into()).await?.expect("saved");
    assert_eq!(loaded.password.expose(), PASSWORD);
    out.push_str(&format!("{loaded:?}\n{user:?}\n"));
    // A wrongly typed sensitive attribute: the error names it, not its value.
    let item = Item::from_iter([
        ("login".to_string(), AttributeValue::S("bad".into())),
        ("pin".to_string(), AttributeValue::S(format!("pin {PIN}"))),
        ("password".to_string(), AttributeValue::N(PIN.to_string())),
    ]);
    common::put_raw(conn, "users", item).await?;
    match conn.get::<User>("bad".into()).await {
        Err(e @ Error::Attribute(_)) => {
            let message = e.to_string();
            assert!(
                message.starts_with("User.password:") && message.contains("<redacted>"),
                "{message}"
            );
            out.push_str(&format!("{message}\n{e:?}\n"));
        }
        other => panic!("expected an attribute error, got {other:?}"),
    }
    Ok(out)
}

fn assert_clean(text: &str) {
    for secret in [PASSWORD, &PIN.to_string(), SECRET_KEY] {
        assert!(!text.contains(secret), "{secret:?} leaked into:\n{text}");
    }
}

#[test]
fn nothing_secret_reaches_logs_errors_or_debug_output() {
    let captured = common::Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let printed = tracing::subscriber::with_default(subscriber, || {
        runtime.block_on(async {
            let mut printed = String::new();
            #[cfg(feature = "embedded")]
            printed.push_str(&exercise(&Connection::embedded()?).await?);
            #[cfg(feature = "aws")]
            {
                let endpoint = common::start_dynoxide_http().await;
                let config = aws_sdk_dynamodb::Config::builder()
                    .behavior_version(BehaviorVersion::latest())
                    .region(Region::new("us-east-1"))
                    .endpoint_url(endpoint)
                    .credentials_provider(Credentials::new(
                        "AKIDEXAMPLE",
                        SECRET_KEY,
                        None,
                        None,
                        "test",
                    ))
                    .build();
                let conn = Connection::from_client(aws_sdk_dynamodb::Client::from_conf(config));
                printed.push_str(&exercise(&conn).await?);
                printed.push_str(&format!("{conn:?}"));
            }
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(printed)
        })
    })
    .expect("the exercise ran");
    let logs = captured.text();
    // The SDK logs plenty at trace level (the embedded engine alone, little).
    #[cfg(feature = "aws")]
    assert!(
        logs.lines().count() > 10,
        "the SDK and the mapper logged at trace level"
    );
    assert_clean(&printed);
    assert_clean(&logs);
}
