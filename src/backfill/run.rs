//! The backfill job: its segments' scans, each item's check and rewrite,
//! and the checkpoint kept page by page.

use std::sync::{Arc, Mutex};

use futures::StreamExt;
use tokio::time::Instant;

use std::sync::atomic::{AtomicBool, Ordering};

use super::{
    Backfill, BackfillCheckpoint, BackfillCounts, BackfillProgress, BackfillProgressFn,
    BackfillReport, SegmentPosition, Stale, MAX_BACKFILL_SEGMENTS, MAX_FAILURES_KEPT,
};
use crate::attribute::ItemKey;
use crate::error::Error;
use crate::model::{Document, Model};
use crate::operation::{Cursor, MAX_SEGMENTS_IN_FLIGHT};
use crate::Connection;

/// How often an item is written again after another writer changed it.
const TRIES: usize = 3;

struct Job {
    conn: Connection,
    stale: Stale,
    page_size: Option<u32>,
    progress: Option<BackfillProgressFn>,
    start: Instant,
    state: Mutex<JobState>,
    /// Set when a segment failed: the others stop at their next page.
    stopped: AtomicBool,
}

struct JobState {
    /// This run's counts, items of pages in progress included.
    counts: BackfillCounts,
    checkpoint: BackfillCheckpoint,
    failures: Vec<Error>,
}

/// Where a run starts: the checkpoint it resumes from, checked against the
/// model, table and kind of backfill, or a new one of `segments`.
fn starting_point<M: Model>(
    table: &str,
    stale: Stale,
    segments: u32,
    resume: Option<BackfillCheckpoint>,
) -> Result<BackfillCheckpoint, Error> {
    let invalid = |reason: String| Error::InvalidRequest {
        model: M::SCHEMA.model,
        reason,
    };
    if stale == Stale::Migrations && M::POLICIES.migrator.is_none() {
        return Err(invalid(
            "a backfill of migrations on a model without a migrator: nothing can be stale \
             (.rewrite_all() rewrites a changed stored form)"
                .into(),
        ));
    }
    match resume {
        Some(checkpoint) => {
            checkpoint.check(M::SCHEMA.model, table, stale, &key_names::<M>())?;
            Ok(checkpoint)
        }
        None if (1..=MAX_BACKFILL_SEGMENTS).contains(&segments) => Ok(BackfillCheckpoint::new(
            M::SCHEMA.model,
            table,
            stale,
            segments,
        )),
        None => Err(invalid(format!(
            "a backfill of {segments} segments: 1 to {MAX_BACKFILL_SEGMENTS}"
        ))),
    }
}

pub(super) async fn run<M: Model>(backfill: Backfill<M>) -> Result<BackfillReport, Error> {
    let Backfill {
        conn,
        stale,
        segments,
        page_size,
        resume,
        progress,
        ..
    } = backfill;
    let table = conn.table_name(M::SCHEMA.table);
    let checkpoint = starting_point::<M>(&table, stale, segments, resume)?;
    let total = checkpoint.segments.len() as u32;
    let left: Vec<u32> = (0..total)
        .filter(|&i| checkpoint.segments[i as usize] != SegmentPosition::Done)
        .collect();
    let job = Arc::new(Job {
        conn,
        stale,
        page_size,
        progress,
        start: Instant::now(),
        state: Mutex::new(JobState {
            counts: BackfillCounts::default(),
            checkpoint,
            failures: Vec::new(),
        }),
        stopped: AtomicBool::new(false),
    });
    let results: Vec<Result<(), Error>> = futures::stream::iter(left)
        .map(|i| segment::<M>(&job, i, total))
        .buffer_unordered(MAX_SEGMENTS_IN_FLIGHT)
        .collect()
        .await;
    let finished = job.report(true);
    let state = std::mem::replace(
        &mut *job.state(),
        JobState {
            counts: BackfillCounts::default(),
            checkpoint: BackfillCheckpoint::new("", "", stale, 0),
            failures: Vec::new(),
        },
    );
    tracing::info!(
        target: "dynamodb_mapper::backfill",
        model = M::SCHEMA.model,
        seen = state.counts.seen,
        rewritten = state.counts.rewritten,
        conflicts = state.counts.conflicts,
        errors = state.counts.errors,
        "backfill ended"
    );
    if let Some(error) = results.into_iter().find_map(Result::err) {
        return Err(error);
    }
    Ok(BackfillReport {
        counts: state.counts,
        checkpoint: state.checkpoint,
        failures: state.failures,
        elapsed: finished.elapsed,
    })
}

impl Job {
    fn state(&self) -> std::sync::MutexGuard<'_, JobState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Counts into this run's counts and the page's.
    fn count(&self, page: &mut BackfillCounts, add: impl Fn(&mut BackfillCounts)) {
        add(page);
        add(&mut self.state().counts);
    }

    fn fail(&self, page: &mut BackfillCounts, error: Error) {
        self.count(page, |c| c.errors += 1);
        tracing::debug!(target: "dynamodb_mapper::backfill", %error, "item failed");
        let mut state = self.state();
        if state.failures.len() < MAX_FAILURES_KEPT {
            state.failures.push(error);
        }
    }

    /// Segment `index`'s page is done: the checkpoint moves past it.
    fn page_done(&self, index: u32, cursor: Option<&Cursor>, page: &BackfillCounts) {
        {
            let mut state = self.state();
            let position = match cursor {
                Some(cursor) => SegmentPosition::After(cursor.to_string()),
                None => SegmentPosition::Done,
            };
            if let Some(slot) = state.checkpoint.segments.get_mut(index as usize) {
                *slot = position;
            }
            state.checkpoint.counts.add(page);
        }
        self.report(false);
    }

    fn report(&self, finished: bool) -> BackfillProgress {
        let progress = {
            let state = self.state();
            BackfillProgress {
                counts: state.counts,
                checkpoint: state.checkpoint.clone(),
                elapsed: self.start.elapsed(),
                finished,
            }
        };
        tracing::debug!(
            target: "dynamodb_mapper::backfill",
            seen = progress.counts.seen,
            rewritten = progress.counts.rewritten,
            finished,
            "backfill progress"
        );
        if let Some(report) = &self.progress {
            report(&progress);
        }
        progress
    }
}

/// Walks one segment page by page from its checkpoint.
async fn segment<M: Model>(job: &Job, index: u32, total: u32) -> Result<(), Error> {
    let position = job.state().checkpoint.segments[index as usize].clone();
    let mut scan = job.conn.scan::<M>();
    if total > 1 {
        scan = scan.segment(index, total);
    }
    if let Some(items) = job.page_size {
        scan = scan.page_size(items);
    }
    if let SegmentPosition::After(text) = &position {
        scan = scan.start_after(text.parse()?);
    }
    // The walk ends: paging refuses a page that repeats its start.
    let mut pages = scan.pages();
    while let Some(page) = pages.next().await {
        if job.stopped.load(Ordering::Relaxed) {
            return Ok(());
        }
        let page = match page {
            Ok(page) => page,
            Err(error) => {
                job.stopped.store(true, Ordering::Relaxed);
                return Err(error);
            }
        };
        let mut counts = BackfillCounts::default();
        for error in page.errors {
            job.count(&mut counts, |c| c.seen += 1);
            job.fail(&mut counts, error);
        }
        for document in page.items {
            bring_up_to_date::<M>(job, document, &mut counts).await;
        }
        job.page_done(index, page.cursor.as_ref(), &counts);
    }
    Ok(())
}

/// Writes `document` back if it is stale, with conflict detection; after a
/// conflict, reads it again and tries again while it is still stale.
async fn bring_up_to_date<M: Model>(
    job: &Job,
    mut document: Document<M>,
    page: &mut BackfillCounts,
) {
    job.count(page, |c| c.seen += 1);
    let counter = M::POLICIES.auto_increment;
    if counter.is_some_and(|counter| (counter.is_unset)(&document)) {
        // Saving it would hand it a new key: a copy, not a rewrite.
        let stored = document.stored_item().cloned().unwrap_or_default();
        let key = ItemKey::from_item(&stored, key_names::<M>().iter().map(String::as_str));
        return job.fail(
            page,
            Error::InvalidRequest {
                model: M::SCHEMA.model,
                reason: format!(
                    "an item stored under the unset auto-increment key {key}: not rewritten"
                ),
            },
        );
    }
    match is_stale(job.stale, &document) {
        Ok(true) => job.count(page, |c| c.stale += 1),
        Ok(false) => return,
        Err(error) => return job.fail(page, error),
    }
    let mut last_conflict = None;
    for _ in 0..TRIES {
        match job.conn.save(&mut document).raise_on_conflict().await {
            Ok(()) => return job.count(page, |c| c.rewritten += 1),
            Err(conflict @ Error::Conflict(_)) => {
                job.count(page, |c| c.conflicts += 1);
                last_conflict = Some(conflict);
                match job.conn.reload(&document).consistent_read().await {
                    // Deleted meanwhile: nothing to bring up to date.
                    Ok(None) => return,
                    Ok(Some(fresh)) => match is_stale(job.stale, &fresh) {
                        Ok(true) => document = fresh,
                        Ok(false) => return,
                        Err(error) => return job.fail(page, error),
                    },
                    Err(error) => return job.fail(page, error),
                }
            }
            Err(error) => return job.fail(page, error),
        }
    }
    if let Some(conflict) = last_conflict {
        job.fail(page, conflict);
    }
}

/// Whether a loaded document's stored item is stale.
fn is_stale<M: Model>(stale: Stale, document: &Document<M>) -> Result<bool, Error> {
    let Some(stored) = document.stored_item() else {
        return Ok(false);
    };
    Ok(match stale {
        // Both: an item the migrator changes but a save would write as it
        // is (the newest check does not recognise what the model writes)
        // would be written again on every run.
        Stale::Migrations => match M::POLICIES.migrator {
            Some(migrate) => {
                migrate(stored.clone())? != *stored && document.item_to_save()? != *stored
            }
            None => false,
        },
        Stale::StoredForm => document.item_to_save()? != *stored,
    })
}

/// The table's key attributes, sorted (a checkpoint's cursor holds them).
fn key_names<M: Model>() -> Vec<String> {
    let schema = M::SCHEMA;
    let mut names: Vec<String> = std::iter::once(schema.hash_key)
        .chain(schema.range_key)
        .map(|key| key.attribute.to_owned())
        .collect();
    names.sort();
    names
}
