//! Backfills: bring every stored item of a model up to what the model
//! writes now, as a resumable, paced job: [`Backfill::new`]. Built on the
//! crate's public API alone (scans, reloads, saves with conflict
//! detection), as an application would write it.
//!
//! A backfill scans the model's table (its entity's items only: never the
//! auto-increment counter, nor items of a shared table that carry no entity
//! attribute, stored before the model became an entity), and writes back
//! each *stale* item with conflict detection:
//!
//! - [`Backfill::migrations`] (the default): items its migrations change
//!   (`#[dynamodb(migrator = ...)]`), so that reads no longer migrate them;
//! - [`Backfill::rewrite_all`]: items whose stored form differs from what a
//!   save writes now (a changed stored format: a renamed attribute, a new
//!   default, numbers in another form).
//!
//! A write refused because another writer changed the item since it was
//! read is no loss: the item is read again and, if still stale, written
//! again (three tries). Pace it with a connection's capacity limit
//! ([`Connection::with_capacity_limit`]); follow it with
//! [`Backfill::on_progress`] (and tracing events, `dynamodb_mapper::backfill`),
//! whose [`BackfillCheckpoint`] resumes it after a crash: a page is checkpointed
//! once each of its items was written back or failed, and the items of a
//! page done again are current by then, so nothing is written twice. Items
//! that failed (counted, the first [`MAX_FAILURES_KEPT`] kept in the report)
//! are not retried by a resumed run; a new run retries them. When a page
//! cannot be read the other segments stop at their next page and the run
//! returns the error: resume from the last checkpoint. The progress
//! callback runs on the backfill's task: keep it quick.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> dynamodb_mapper::Result<()> {
//! use dynamodb_mapper::backfill::Backfill;
//! use dynamodb_mapper::operation::CapacityLimit;
//! use dynamodb_mapper::{Connection, Document, Model};
//!
//! #[derive(Model, Debug, Clone, Default)]
//! #[dynamodb(table = "users", hash_key = "id")]
//! struct User {
//!     id: String,
//!     visits: u32,
//! }
//!
//! let conn = Connection::embedded()?;
//! conn.create_table::<User>().await?;
//! conn.save(Document::new(User { id: "ann".into(), visits: 0 })).await?;
//!
//! let paced = conn.with_capacity_limit(CapacityLimit::reads(50.0).with_writes(50.0))?;
//! let report = Backfill::<User>::new(&paced)
//!     .rewrite_all()
//!     .on_progress(|p| eprintln!("{} seen, {} rewritten", p.counts.seen, p.counts.rewritten))
//!     .await?;
//! // Saving ann wrote `visits = 0`: her item is what the model writes.
//! assert_eq!((report.counts.seen, report.counts.rewritten), (1, 0));
//! # Ok(()) }
//! ```

mod checkpoint;
mod run;

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

pub use checkpoint::{BackfillCheckpoint, BackfillCounts, SegmentPosition, MAX_BACKFILL_SEGMENTS};

use crate::error::Error;
use crate::model::Model;
use crate::Connection;

/// How many of a report's failures are kept (all are counted).
pub const MAX_FAILURES_KEPT: usize = 100;

/// Which items a backfill writes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Stale {
    /// Items the model's migrations change (and that a save would change:
    /// an item the newest version's check does not recognise as written is
    /// not written again and again).
    Migrations,
    /// Items whose stored form differs from what a save writes now.
    StoredForm,
}

/// How far a backfill has come, as its progress callback sees it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct BackfillProgress {
    /// What this run did so far (its pages in progress included).
    pub counts: BackfillCounts,
    /// Where to resume from, with the counts of every page done in every
    /// run so far.
    pub checkpoint: BackfillCheckpoint,
    /// Time since this run started.
    pub elapsed: Duration,
    /// The last report of the run.
    pub finished: bool,
}

/// What a finished backfill did.
#[derive(Debug)]
#[non_exhaustive]
pub struct BackfillReport {
    /// What this run did.
    pub counts: BackfillCounts,
    /// The final checkpoint (every segment done), with the counts of every run.
    pub checkpoint: BackfillCheckpoint,
    /// The first [`MAX_FAILURES_KEPT`] items that failed, each with its
    /// error (naming the model and key).
    pub failures: Vec<Error>,
    /// How long this run took.
    pub elapsed: Duration,
}

/// A progress callback of a backfill.
pub type BackfillProgressFn = Arc<dyn Fn(&BackfillProgress) + Send + Sync>;

/// A pending backfill of model `M`; `.await` it. Built by
/// [`Backfill::new`].
#[must_use = "a backfill does nothing until awaited"]
pub struct Backfill<M: Model> {
    conn: Connection,
    stale: Stale,
    segments: u32,
    page_size: Option<u32>,
    resume: Option<BackfillCheckpoint>,
    progress: Option<BackfillProgressFn>,
    model: std::marker::PhantomData<fn() -> M>,
}

impl<M: Model> Backfill<M> {
    /// A backfill of `M`'s stored items through `conn` (see
    /// [`backfill`](crate::backfill)): by default the items its migrations
    /// change, in one segment, from the start.
    pub fn new(conn: &Connection) -> Self {
        Backfill {
            conn: conn.clone(),
            stale: Stale::Migrations,
            segments: 1,
            page_size: None,
            resume: None,
            progress: None,
            model: std::marker::PhantomData,
        }
    }
}

impl<M: Model> Backfill<M> {
    /// Writes back the items the model's migrations change (the default).
    pub fn migrations(mut self) -> Self {
        self.stale = Stale::Migrations;
        self
    }

    /// Writes back every item whose stored form differs from what a save of
    /// it writes now.
    pub fn rewrite_all(mut self) -> Self {
        self.stale = Stale::StoredForm;
        self
    }

    /// Scans in `total` segments (1 to [`MAX_BACKFILL_SEGMENTS`], walked up
    /// to [`MAX_SEGMENTS_IN_FLIGHT`](crate::operation::MAX_SEGMENTS_IN_FLIGHT)
    /// at once; a typed error otherwise). Ignored when resuming: the
    /// checkpoint has its own.
    pub fn segments(mut self, total: u32) -> Self {
        self.segments = total;
        self
    }

    /// Reads at most `items` items per scan request (a smaller page is a
    /// finer checkpoint).
    pub fn page_size(mut self, items: u32) -> Self {
        self.page_size = Some(items);
        self
    }

    /// Resumes from a checkpoint of an earlier run of the same model, table
    /// and kind of backfill (a typed error otherwise, before anything is read).
    pub fn resume(mut self, checkpoint: BackfillCheckpoint) -> Self {
        self.resume = Some(checkpoint);
        self
    }

    /// Calls `report` after each page done (its checkpoint is where to
    /// resume) and once at the end.
    pub fn on_progress(
        mut self,
        report: impl Fn(&BackfillProgress) + Send + Sync + 'static,
    ) -> Self {
        self.progress = Some(Arc::new(report));
        self
    }
}

impl<M: Model> IntoFuture for Backfill<M> {
    type Output = Result<BackfillReport, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(run::run(self))
    }
}
