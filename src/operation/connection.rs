//! [`Connection`]: a cheap, cloneable handle on an engine, and the optional
//! process-wide default connection (the original library's "Borg").

use std::fmt;
use std::sync::{Arc, RwLock};

use crate::engine::{Engine, Paced};
use crate::error::{Error, Result};
use crate::operation::{CapacityLimit, Pacer};
use crate::operation::{RetryPolicy, Timeouts};

/// A handle on an engine, with an optional table-name prefix and the retry
/// policy for batches. Cloning is cheap; clones share the engine.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> dynamodb_mapper::Result<()> {
/// use dynamodb_mapper::Connection;
///
/// let conn = Connection::embedded()?;            // in memory
/// let staging = conn.with_table_prefix("staging_"); // same engine, other tables
/// assert_eq!(staging.table_name("users"), "staging_users");
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Connection {
    engine: Arc<dyn Engine>,
    /// The engine without pacing, and the pacer, when paced.
    paced: Option<(Arc<dyn Engine>, Pacer)>,
    table_prefix: Arc<str>,
    retry: RetryPolicy,
    timeouts: Timeouts,
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("engine", &self.engine)
            .field("table_prefix", &self.table_prefix)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .field("pacer", &self.pacer())
            .finish()
    }
}

static DEFAULT: RwLock<Option<Connection>> = RwLock::new(None);

impl Connection {
    /// A connection on any engine.
    pub fn new(engine: impl Engine) -> Self {
        Connection::from_arc(Arc::new(engine))
    }

    /// A connection on a shared engine.
    pub fn from_arc(engine: Arc<dyn Engine>) -> Self {
        Connection {
            engine,
            paced: None,
            table_prefix: Arc::from(""),
            retry: RetryPolicy::default(),
            timeouts: Timeouts::default(),
        }
    }

    /// The embedded engine on a fresh in-memory database.
    #[cfg(feature = "embedded")]
    pub fn embedded() -> Result<Self> {
        let engine = crate::engine::EmbeddedEngine::memory()
            .map_err(|e| Error::setup("opening the embedded database in memory", e))?;
        Ok(Connection::new(engine))
    }

    /// The embedded engine on the SQLite database file at `path` (created if missing).
    #[cfg(feature = "embedded")]
    pub fn embedded_file(path: impl AsRef<std::path::Path>) -> Result<Self> {
        let path = path.as_ref();
        let engine = crate::engine::EmbeddedEngine::open(path)
            .map_err(|e| Error::setup(format!("opening the embedded database file {path:?}"), e))?;
        Ok(Connection::new(engine))
    }

    /// DynamoDB through the AWS SDK, configured by the standard AWS chain
    /// (environment, profile, instance metadata). `AWS_ENDPOINT_URL` points it
    /// at any compatible endpoint.
    #[cfg(feature = "aws")]
    pub async fn aws() -> Self {
        Connection::new(crate::engine::AwsEngine::from_env().await)
    }

    /// A local DynamoDB-compatible server at `endpoint` (moto, dynoxide's
    /// server, DynamoDB Local) in one line: a region and test credentials
    /// are supplied unless the environment sets them
    /// ([`AwsEngine::local`](crate::engine::AwsEngine::local)).
    ///
    /// ```no_run
    /// # async fn run() -> dynamodb_mapper::Result<()> {
    /// let conn = dynamodb_mapper::Connection::local("http://127.0.0.1:8000");
    /// # let _ = conn; Ok(()) }
    /// ```
    #[cfg(feature = "aws")]
    pub fn local(endpoint: &str) -> Self {
        Connection::new(crate::engine::AwsEngine::local(endpoint))
    }

    /// DynamoDB through a configured SDK client.
    #[cfg(feature = "aws")]
    pub fn from_client(client: aws_sdk_dynamodb::Client) -> Self {
        Connection::new(crate::engine::AwsEngine::new(client))
    }

    /// This connection with every table name prefixed by `prefix`.
    pub fn with_table_prefix(&self, prefix: impl Into<String>) -> Self {
        Connection {
            table_prefix: Arc::from(prefix.into()),
            ..self.clone()
        }
    }

    /// This connection with another retry policy: how often a request is
    /// sent again after throttling, a lost answer (when that is safe) or an
    /// unprocessed part of a batch.
    pub fn with_retry_policy(&self, retry: RetryPolicy) -> Self {
        Connection {
            retry,
            ..self.clone()
        }
    }

    /// This connection with other timeouts (5 s per attempt, 30 s per request
    /// with its retries, by default).
    pub fn with_timeouts(&self, timeouts: Timeouts) -> Self {
        Connection {
            timeouts,
            ..self.clone()
        }
    }

    /// This connection with its requests paced to `limit`: each waits for
    /// its turn, then pays the capacity it consumed (see
    /// [`Pacer`](crate::operation::Pacer)). Clones share the budget;
    /// pacing again replaces it. A typed error for a limit that is no
    /// positive, finite rate.
    pub fn with_capacity_limit(&self, limit: CapacityLimit) -> Result<Self> {
        Ok(self.with_pacer(Pacer::new(limit)?))
    }

    /// This connection paced by `pacer`, which other connections may share.
    pub fn with_pacer(&self, pacer: Pacer) -> Self {
        let unpaced = match &self.paced {
            Some((unpaced, _)) => Arc::clone(unpaced),
            None => Arc::clone(&self.engine),
        };
        Connection {
            engine: Arc::new(Paced::new(Arc::clone(&unpaced), pacer.clone())),
            paced: Some((unpaced, pacer)),
            ..self.clone()
        }
    }

    /// This connection without pacing.
    pub fn unpaced(&self) -> Self {
        match &self.paced {
            Some((unpaced, _)) => Connection {
                engine: Arc::clone(unpaced),
                paced: None,
                ..self.clone()
            },
            None => self.clone(),
        }
    }

    /// The pacer of its requests, if paced.
    pub fn pacer(&self) -> Option<&Pacer> {
        self.paced.as_ref().map(|(_, pacer)| pacer)
    }

    /// The timeouts of every request.
    pub fn timeouts(&self) -> &Timeouts {
        &self.timeouts
    }

    /// The table name as sent to the engine: the prefix, then `table`.
    pub fn table_name(&self, table: &str) -> String {
        let mut name = String::with_capacity(self.table_prefix.len() + table.len());
        name.push_str(&self.table_prefix);
        name.push_str(table);
        name
    }

    /// The engine (paced, on a paced connection: each request is charged,
    /// but only the connection's operations wait for their turn).
    pub fn engine(&self) -> &dyn Engine {
        &*self.engine
    }

    /// The engine, shared: to wrap it in another engine (metrics, fault
    /// injection). Without the connection's pacing: pace the new connection
    /// with [`with_pacer`](Self::with_pacer) and this one's
    /// [`pacer`](Self::pacer) to share its budget.
    pub fn shared_engine(&self) -> Arc<dyn Engine> {
        match &self.paced {
            Some((unpaced, _)) => Arc::clone(unpaced),
            None => Arc::clone(&self.engine),
        }
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Makes `connection` the process-wide default, for code written like the
    /// original library, where one connection serves the whole process.
    pub fn set_default(connection: Connection) {
        *DEFAULT.write().unwrap_or_else(|e| e.into_inner()) = Some(connection);
    }

    /// The process-wide default connection.
    pub fn default_connection() -> Result<Connection> {
        DEFAULT
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or(Error::NoDefaultConnection)
    }

    /// Removes the process-wide default connection.
    pub fn clear_default() {
        *DEFAULT.write().unwrap_or_else(|e| e.into_inner()) = None;
    }
}
