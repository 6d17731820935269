//! [`Progress`]: how far long work (a full scan, a bulk batch write) has
//! come, reported to a callback at most once a second and when it ends, and
//! as a tracing event (`dynamodb_mapper::progress`, INFO).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

/// How often progress is reported at most, besides at the end.
pub const PROGRESS_INTERVAL: Duration = Duration::from_secs(1);

/// How far a scan or a batch write has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Progress {
    /// Items done: read (a scan) or written (a batch write).
    pub items: u64,
    /// Of how many, when known (a batch write knows; a scan does not).
    pub total: Option<u64>,
    /// Time since the work started.
    pub elapsed: Duration,
    /// The last report: the work has ended (the stream ended, or the batch
    /// write finished, well or not).
    pub finished: bool,
}

/// A progress callback.
pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// Counts items and calls the callback at most once per
/// [`PROGRESS_INTERVAL`], and once at the end.
#[derive(Clone)]
pub(crate) struct Reporter {
    callback: ProgressFn,
    operation: &'static str,
    model: &'static str,
    start: Instant,
    state: Arc<Mutex<(Progress, Instant)>>,
}

impl Reporter {
    pub(crate) fn new(
        callback: ProgressFn,
        operation: &'static str,
        model: &'static str,
        total: Option<u64>,
    ) -> Self {
        let start = Instant::now();
        let progress = Progress {
            total,
            ..Progress::default()
        };
        Reporter {
            callback,
            operation,
            model,
            start,
            state: Arc::new(Mutex::new((progress, start))),
        }
    }

    /// `items` more are done.
    pub(crate) fn add(&self, items: u64) {
        let now = Instant::now();
        let due = {
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            state.0.items += items;
            if now.duration_since(state.1) >= PROGRESS_INTERVAL && !state.0.finished {
                state.1 = now;
                Some(state.0)
            } else {
                None
            }
        };
        if let Some(progress) = due {
            self.emit(progress);
        }
    }

    /// The work ended: the last report (once).
    pub(crate) fn finish(&self) {
        let last = {
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            if state.0.finished {
                return;
            }
            state.0.finished = true;
            state.0
        };
        self.emit(last);
    }

    fn emit(&self, mut progress: Progress) {
        progress.elapsed = self.start.elapsed();
        tracing::info!(
            target: "dynamodb_mapper::progress",
            operation = self.operation,
            model = self.model,
            items = progress.items,
            total = progress.total,
            elapsed_ms = progress.elapsed.as_millis() as u64,
            finished = progress.finished,
            "progress"
        );
        (self.callback)(&progress);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_at_most_once_a_second_and_once_at_the_end() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&seen);
        let reporter = Reporter::new(
            Arc::new(move |p: &Progress| sink.lock().unwrap().push(*p)),
            "Scan",
            "M",
            Some(10),
        );
        for _ in 0..10 {
            reporter.add(1);
        }
        reporter.finish();
        reporter.finish();
        let seen = seen.lock().unwrap();
        // Within the first second only the end is reported.
        assert_eq!(seen.len(), 1, "{seen:?}");
        assert_eq!(
            (seen[0].items, seen[0].total, seen[0].finished),
            (10, Some(10), true)
        );
    }
}
