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

use std::sync::atomic::{AtomicU64, Ordering};

use dynamodb_mapper::Connection;

#[cfg(feature = "aws")]
mod servers;
#[cfg(feature = "aws")]
pub use servers::*;

/// The engines every behavioural test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineKind {
    Embedded,
    DynoxideHttp,
    Moto,
}

/// Whether this run is the Alternator lane: the embedded engine's tests run
/// behind [`alternator_like::AlternatorLike`] (`scripts/test` runs them so,
/// after the run on every engine).
pub fn alternator_lane() -> bool {
    std::env::var("DYNAMODB_MAPPER_TEST_PROFILE").is_ok_and(|p| p == "alternator")
}

/// A connection on `kind`, with a table prefix of its own.
pub async fn connect(kind: EngineKind) -> Connection {
    let conn = match kind {
        #[cfg(feature = "embedded")]
        EngineKind::Embedded if alternator_lane() => {
            let embedded = Connection::embedded().expect("in-memory embedded engine");
            Connection::new(alternator_like::AlternatorLike::new(
                embedded.shared_engine(),
                dynamodb_mapper::engine::Capabilities::ALTERNATOR,
            ))
        }
        #[cfg(feature = "embedded")]
        EngineKind::Embedded => Connection::embedded().expect("in-memory embedded engine"),
        #[cfg(feature = "aws")]
        EngineKind::DynoxideHttp => sdk_connection(&start_dynoxide_http().await),
        #[cfg(feature = "aws")]
        EngineKind::Moto => {
            sdk_connection_as(moto_endpoint(), dynamodb_mapper::engine::Capabilities::MOTO)
        }
        #[allow(unreachable_patterns)]
        _ => unreachable!("engine_tests! generates tests only for the engines built"),
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
    conn.engine().send(&input).await?;
    Ok(())
}

/// Declares behavioural tests once and runs each on every engine:
/// `engine_tests! { async fn name(conn, engine) { ... } }` gives
/// `embedded::name`, `dynoxide_http::name` and `moto::name`. Prefixed with
/// `streams:`, the `aws` engines' tests need feature `aws-streams`.
#[macro_export]
macro_rules! engine_tests {
    // Tests of tables' streams: the `aws` engine reads them with `aws-streams`.
    (streams: $( $(#[$meta:meta])* async fn $name:ident($conn:ident, $engine:ident) $body:block )*) => {
        $crate::engine_tests!(@engine "embedded", embedded, Embedded, $( $(#[$meta])* $name $conn $engine $body )*);
        $crate::engine_tests!(@engine "aws-streams", dynoxide_http, DynoxideHttp, $( $(#[$meta])* $name $conn $engine $body )*);
        $crate::engine_tests!(@engine "aws-streams", moto, Moto, $( $(#[$meta])* $name $conn $engine $body )*);
    };
    ($( $(#[$meta:meta])* async fn $name:ident($conn:ident, $engine:ident) $body:block )*) => {
        $crate::engine_tests!(@engine "embedded", embedded, Embedded, $( $(#[$meta])* $name $conn $engine $body )*);
        $crate::engine_tests!(@engine "aws", dynoxide_http, DynoxideHttp, $( $(#[$meta])* $name $conn $engine $body )*);
        $crate::engine_tests!(@engine "aws", moto, Moto, $( $(#[$meta])* $name $conn $engine $body )*);
    };
    (@engine $feature:literal, $module:ident, $kind:ident, $( $(#[$meta:meta])* $name:ident $conn:ident $engine:ident $body:block )*) => {
        #[cfg(feature = $feature)]
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

/// Runs `python3 -c script` with `input` on stdin; its stdout lines.
pub fn python(script: &str, input: &str) -> Vec<String> {
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let mut child = Command::new(python)
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs (CI installs it for moto)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("written");
    let output = child.wait_with_output().expect("python answers");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("text")
        .lines()
        .map(str::to_owned)
        .collect()
}

pub mod alternator_like;
pub mod faults;
pub mod models;
#[cfg(feature = "aws")]
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

/// The name by which this binary runs the test `name` of the module at
/// `module_path` (what `module_path!()` gives): for a child process started
/// with `current_exe()` and `--exact`.
pub fn test_path(module_path: &str, name: &str) -> String {
    let module = module_path
        .split_once("::")
        .map_or("", |(_, module)| module);
    format!("{module}::{name}")
}
