//! The test harness: one behavioural suite, run against three engines.
//!
//! - `embedded`: dynoxide in this process, a fresh in-memory database per test;
//! - `dynoxide_http`: the `aws` engine (AWS SDK) talking to dynoxide's HTTP
//!   server, started per test on 127.0.0.1 with a free port;
//! - `moto`: the `aws` engine talking to moto's server (PyPI), started once per
//!   test binary on 127.0.0.1; each test uses its own table prefix.
//!
//! moto must be installed (`pip install -r tests/requirements.txt`); a missing
//! moto fails the moto tests with that instruction, it never skips them.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::TcpListener as StdListener;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use dynamodb_mapper::Connection;

/// The engines every behavioural test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineKind {
    Embedded,
    DynoxideHttp,
    Moto,
}

/// A connection on `kind`, with a table prefix of its own.
pub async fn connect(kind: EngineKind) -> Connection {
    let conn = match kind {
        EngineKind::Embedded => Connection::embedded().expect("in-memory embedded engine"),
        EngineKind::DynoxideHttp => sdk_connection(&start_dynoxide_http().await),
        EngineKind::Moto => sdk_connection(moto_endpoint()),
    };
    conn.with_table_prefix(unique_prefix())
}

/// A table prefix no other test uses.
pub fn unique_prefix() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "t{}_{}_",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// Writes `item` to `table` as it is, through the engine: what another
/// program (or the Python library) may have stored.
pub async fn put_raw(
    conn: &Connection,
    table: &str,
    item: dynamodb_mapper::Item,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let input = dynamodb_mapper::engine::request::PutItemInput::new(conn.table_name(table), item);
    conn.engine().put_item(&input).await?;
    Ok(())
}

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
    Connection::from_client(sdk_client(endpoint))
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

/// Declares behavioural tests once and runs each on every engine:
/// `engine_tests! { async fn name(conn, engine) { ... } }` gives
/// `embedded::name`, `dynoxide_http::name` and `moto::name`.
#[macro_export]
macro_rules! engine_tests {
    ($( $(#[$meta:meta])* async fn $name:ident($conn:ident, $engine:ident) $body:block )*) => {
        $crate::engine_tests!(@engine embedded, Embedded, $( $(#[$meta])* $name $conn $engine $body )*);
        $crate::engine_tests!(@engine dynoxide_http, DynoxideHttp, $( $(#[$meta])* $name $conn $engine $body )*);
        $crate::engine_tests!(@engine moto, Moto, $( $(#[$meta])* $name $conn $engine $body )*);
    };
    (@engine $module:ident, $kind:ident, $( $(#[$meta:meta])* $name:ident $conn:ident $engine:ident $body:block )*) => {
        mod $module {
            #[allow(unused_imports)]
            use super::*;
            $(
                $(#[$meta])*
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
                    #[allow(unused_variables)]
                    let $engine = $crate::common::EngineKind::$kind;
                    let $conn = $crate::common::connect($engine).await;
                    $body
                    #[allow(unreachable_code)]
                    Ok(())
                }
            )*
        }
    };
}

pub mod faults;
pub mod models;
pub mod proxy;

/// A tracing writer that keeps everything written, for tests that read logs.
#[derive(Clone, Default)]
pub struct Captured(pub std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .expect("not poisoned")
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    /// Everything written so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("not poisoned")).into_owned()
    }
}
