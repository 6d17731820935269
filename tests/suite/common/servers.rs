//! The servers of the `aws` engine's tests: dynoxide's HTTP server and moto,
//! on 127.0.0.1, and SDK clients for them.

use std::io::{BufRead, BufReader};
use std::net::TcpListener as StdListener;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use dynamodb_mapper::Connection;

/// An SDK client for a local endpoint, with dummy credentials.
pub fn sdk_client(endpoint: &str) -> aws_sdk_dynamodb::Client {
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("test", "test", None, None, "tests"))
        .build();
    aws_sdk_dynamodb::Client::from_conf(config)
}

/// A connection through the `aws` engine to a local endpoint.
pub fn sdk_connection(endpoint: &str) -> Connection {
    sdk_connection_as(endpoint, dynamodb_mapper::engine::Capabilities::DYNAMODB)
}

/// A connection through the `aws` engine to a local endpoint that has
/// `capabilities` (moto's: [`Capabilities::MOTO`](dynamodb_mapper::engine::Capabilities::MOTO)).
pub fn sdk_connection_as(
    endpoint: &str,
    capabilities: dynamodb_mapper::engine::Capabilities,
) -> Connection {
    let engine = dynamodb_mapper::engine::AwsEngine::new(sdk_client(endpoint))
        .with_capabilities(capabilities);
    #[cfg(feature = "aws-streams")]
    let engine = engine.with_streams(streams_client(endpoint));
    Connection::new(engine)
}

/// A DynamoDB Streams client for a local endpoint, with dummy credentials.
#[cfg(feature = "aws-streams")]
pub fn streams_client(endpoint: &str) -> aws_sdk_dynamodbstreams::Client {
    use aws_sdk_dynamodbstreams::config::{BehaviorVersion, Credentials, Region};
    let config = aws_sdk_dynamodbstreams::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("test", "test", None, None, "tests"))
        .build();
    aws_sdk_dynamodbstreams::Client::from_conf(config)
}

/// dynoxide's HTTP server on a fresh in-memory database, served by the
/// current test's runtime on a free port.
pub async fn start_dynoxide_http() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let address = listener.local_addr().expect("local address");
    let db = dynoxide::Database::memory().expect("in-memory dynoxide");
    tokio::spawn(dynoxide::server::serve_on(listener, db));
    format!("http://{address}")
}

struct MotoServer {
    endpoint: String,
    // Never dropped: its stdin closes when this process exits, which stops moto.
    _child: Child,
}

/// The moto server of this test binary, started on first use.
pub fn moto_endpoint() -> &'static str {
    static SERVER: OnceLock<MotoServer> = OnceLock::new();
    &SERVER.get_or_init(start_moto).endpoint
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}

fn start_moto() -> MotoServer {
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/moto_server.py");
    let port = free_port();
    let mut child = Command::new(&python)
        .arg(script)
        .arg(port.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("could not start {python} for moto's server: {e}"));
    let stdout = child.stdout.take().expect("piped stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).ok();
    if line.trim() != "ready" {
        let status = child.wait().ok();
        panic!(
            "moto's server did not start (exit status {status:?}). The moto engine tests need it: \
             pip install -r tests/requirements.txt"
        );
    }
    MotoServer {
        endpoint: format!("http://127.0.0.1:{port}"),
        _child: child,
    }
}
