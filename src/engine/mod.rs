//! Engines: what executes requests. The mapper builds engine-neutral requests
//! ([`request`]) and hands them to an [`Engine`]:
//!
//! - [`EmbeddedEngine`] (feature `embedded`): the dynoxide SQLite-backed
//!   DynamoDB engine, in memory or in a file, in this process;
//! - [`AwsEngine`] (feature `aws`): `aws-sdk-dynamodb`, for AWS DynamoDB or any
//!   compatible endpoint.
//!
//! An engine has one seam, [`Engine::exec`]: it executes a
//! [`Request`] (one of DynamoDB's calls) and answers a
//! [`Response`]. To wrap one (for metrics, fault
//! injection, ...), implement [`EngineWrapper`]: the inner engine and, if
//! the wrapper changes calls, `exec`.

#[cfg(feature = "aws")]
mod aws;
mod capabilities;
#[cfg(feature = "embedded")]
mod embedded;
pub(crate) mod pacing;
pub mod request;

use std::fmt;
use std::future::Future;
use std::pin::Pin;

#[cfg(feature = "aws")]
pub use aws::{item_from_sdk, item_to_sdk, AwsEngine};
#[cfg(feature = "embedded")]
pub use embedded::EmbeddedEngine;

pub use capabilities::{Capabilities, WRITE_ISOLATION_TAG};
pub(crate) use pacing::Paced;

use crate::error::EngineError;
use request::*;

/// The future an engine returns.
pub type EngineFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, EngineError>> + Send + 'a>>;

/// Executes DynamoDB requests: one method, [`exec`](Engine::exec), for
/// every call. Object-safe, so a connection holds any engine.
///
/// Requests are borrowed: an engine reads what it sends when called, and its
/// future borrows only the engine. The caller keeps the request, to send it
/// again after a retryable error and to remember the item it wrote.
pub trait Engine: fmt::Debug + Send + Sync + 'static {
    /// A short name for logs (`embedded`, `aws`).
    fn name(&self) -> &'static str;
    /// Executes `request`; the answer is the [`Response`] variant of the
    /// request's [`Call`]. A call the engine does not implement is an
    /// [`EngineErrorKind::Unsupported`](crate::error::EngineErrorKind::Unsupported)
    /// error ([`unsupported`]).
    fn exec<'a>(&'a self, request: Request<'_>) -> EngineFuture<'a, Response>;
    /// What the engine supports beyond single-item requests, queries and
    /// scans (by default everything, as DynamoDB). Operations that need
    /// what it lacks (native transactions, unique attributes) refuse before
    /// sending anything.
    fn capabilities(&self) -> Capabilities {
        Capabilities::DYNAMODB
    }
}

impl dyn Engine {
    /// Executes one call, typed: the output of `input`'s call. Not retried,
    /// and not asking for the consumed capacity; the operations send through
    /// a connection, which does both.
    ///
    /// ```
    /// use dynamodb_mapper::engine::request::GetItemInput;
    /// use dynamodb_mapper::{Connection, Item};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let conn = Connection::embedded()?;
    /// let read = conn.engine().send(&GetItemInput::new("missing", Item::default())).await;
    /// assert!(read.is_err(), "no such table");
    /// # Ok(()) }
    /// ```
    pub fn send<'a, I: Input>(
        &'a self,
        input: &I,
    ) -> impl Future<Output = Result<I::Output, EngineError>> + Send + 'a {
        let future = self.exec(Request::new(input.call()));
        async move { I::output(future.await?) }
    }
}

/// An engine that wraps another: implement [`inner`](Self::inner) and, to
/// change what it does, [`exec`](Self::exec); the name and capabilities are
/// the inner engine's unless overridden, and the wrapper is an [`Engine`].
///
/// A wrapper counting puts:
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use std::sync::Arc;
///
/// use dynamodb_mapper::engine::request::{Call, Request, Response};
/// use dynamodb_mapper::engine::{EmbeddedEngine, Engine, EngineFuture, EngineWrapper};
/// use dynamodb_mapper::{Connection, Document, Model};
///
/// #[derive(Debug)]
/// struct CountPuts<E> {
///     inner: E,
///     puts: AtomicUsize,
/// }
///
/// impl<E: Engine> EngineWrapper for CountPuts<E> {
///     fn inner(&self) -> &dyn Engine {
///         &self.inner
///     }
///     fn exec<'a>(&'a self, request: Request<'_>) -> EngineFuture<'a, Response> {
///         if let Call::PutItem(_) = request.call {
///             self.puts.fetch_add(1, Ordering::Relaxed);
///         }
///         self.inner.exec(request)
///     }
/// }
///
/// #[derive(Model, Debug, Clone, Default)]
/// #[dynamodb(table = "notes", hash_key = "id")]
/// struct Note {
///     id: String,
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let engine = Arc::new(CountPuts { inner: EmbeddedEngine::memory()?, puts: AtomicUsize::new(0) });
/// let conn = Connection::from_arc(engine.clone());
/// conn.create_table::<Note>().await?; // forwarded
/// conn.save(Document::new(Note { id: "n1".into() })).await?;
/// assert_eq!(engine.puts.load(Ordering::Relaxed), 1);
/// # Ok(()) }
/// ```
///
/// A type that implements `EngineWrapper` has both traits' methods, so a
/// direct call on it is ambiguous: call it through a `Connection` or an
/// `Arc<dyn Engine>`, or name the trait (`Engine::exec(&wrapper, request)`).
pub trait EngineWrapper: fmt::Debug + Send + Sync + 'static {
    /// The wrapped engine.
    fn inner(&self) -> &dyn Engine;

    /// [`Engine::exec`]; by default the inner engine's.
    fn exec<'a>(&'a self, request: Request<'_>) -> EngineFuture<'a, Response> {
        self.inner().exec(request)
    }
    /// [`Engine::name`]; by default the inner engine's.
    fn name(&self) -> &'static str {
        self.inner().name()
    }
    /// [`Engine::capabilities`]; by default the inner engine's.
    fn capabilities(&self) -> Capabilities {
        self.inner().capabilities()
    }
}

/// Every wrapper is an engine: each call goes to the wrapper's method, its
/// own or the forwarding default.
impl<W: EngineWrapper> Engine for W {
    fn name(&self) -> &'static str {
        EngineWrapper::name(self)
    }
    fn exec<'a>(&'a self, request: Request<'_>) -> EngineFuture<'a, Response> {
        EngineWrapper::exec(self, request)
    }
    fn capabilities(&self) -> Capabilities {
        EngineWrapper::capabilities(self)
    }
}

/// The error of the engine named `engine`, which does not implement `call`
/// (DynamoDB's `UnknownOperationException`).
pub fn unsupported(engine: &str, call: Call<'_>) -> EngineError {
    EngineError::new(
        crate::error::EngineErrorKind::Unsupported,
        Some("UnknownOperationException".to_owned()),
        format!("the {engine} engine does not implement {}", call.name()),
    )
}
