//! [`BackfillCheckpoint`]: where a backfill is, per segment, to resume it
//! after a crash; and [`BackfillCounts`].

use serde::{Deserialize, Serialize};

use super::Stale;
use crate::error::Error;
use crate::operation::Cursor;

/// The most segments a backfill scans in (walked up to 256 at once).
pub const MAX_BACKFILL_SEGMENTS: u32 = 1000;

/// What a backfill did: items seen, found stale, rewritten; writes refused
/// because another writer changed the item (each retried from a fresh
/// read); items that failed (not decoded, not migrated, not written).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BackfillCounts {
    /// Items read.
    pub seen: u64,
    /// Items whose stored form was not what the model writes now.
    pub stale: u64,
    /// Stale items written back.
    pub rewritten: u64,
    /// Writes refused by conflict detection (another writer changed the
    /// item since it was read): each re-read and, if still stale, retried.
    pub conflicts: u64,
    /// Items that failed: not decoded, not migrated, or not written (still
    /// conflicting after three tries, or an engine error).
    pub errors: u64,
}

impl BackfillCounts {
    pub(super) fn add(&mut self, other: &BackfillCounts) {
        // A checkpoint's counts come from a file: never trusted not to overflow.
        self.seen = self.seen.saturating_add(other.seen);
        self.stale = self.stale.saturating_add(other.stale);
        self.rewritten = self.rewritten.saturating_add(other.rewritten);
        self.conflicts = self.conflicts.saturating_add(other.conflicts);
        self.errors = self.errors.saturating_add(other.errors);
    }
}

/// Where one segment of a backfill's scan is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SegmentPosition {
    /// Not started.
    Start,
    /// Every item up to this scan cursor (its text form) is done.
    After(String),
    /// Done.
    Done,
}

/// Where a backfill is: for each segment of its scan, the cursor after
/// which nothing is done yet, and the counts of the pages done. Serialize it
/// (serde; JSON with `to_json`) from the progress callback, and pass it to
/// [`Backfill::resume`](super::Backfill::resume) after a crash: the pages
/// not done are read again, and the items of them already rewritten are
/// found current and left alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackfillCheckpoint {
    /// The model's Rust name.
    pub model: String,
    /// The table, with its prefix.
    pub table: String,
    /// Which items the backfill writes back.
    pub stale: Stale,
    /// Each segment's position (their number is the scan's segments).
    pub segments: Vec<SegmentPosition>,
    /// What the pages done did, over every run so far.
    pub counts: BackfillCounts,
}

impl BackfillCheckpoint {
    pub(super) fn new(model: &str, table: &str, stale: Stale, segments: u32) -> Self {
        BackfillCheckpoint {
            model: model.to_owned(),
            table: table.to_owned(),
            stale,
            segments: vec![SegmentPosition::Start; segments as usize],
            counts: BackfillCounts::default(),
        }
    }

    /// Whether every segment is done.
    pub fn is_done(&self) -> bool {
        self.segments.iter().all(|s| *s == SegmentPosition::Done)
    }

    /// The checkpoint as JSON.
    pub fn to_json(&self) -> String {
        // A struct of strings and numbers always serializes.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A checkpoint from its JSON (a typed error for anything else).
    pub fn from_json(json: &str) -> Result<Self, Error> {
        serde_json::from_str(json).map_err(|e| Error::Setup {
            what: "reading a backfill checkpoint".to_owned(),
            source: Box::new(e),
        })
    }

    /// Refuses a checkpoint of another model, table or kind of backfill, of
    /// no segment or too many, or with a cursor that is no key of the table
    /// (`key_names`: its key attributes, sorted).
    pub(super) fn check(
        &self,
        model: &'static str,
        table: &str,
        stale: Stale,
        key_names: &[String],
    ) -> Result<(), Error> {
        let invalid = |reason: String| Error::InvalidRequest { model, reason };
        if self.model != model || self.table != table {
            return Err(invalid(format!(
                "resuming a backfill of {} on table {:?} as one of {model} on {table:?}",
                self.model, self.table
            )));
        }
        if self.stale != stale {
            return Err(invalid(format!(
                "resuming a backfill of {:?} items as one of {stale:?} items",
                self.stale
            )));
        }
        if self.segments.is_empty() || self.segments.len() > MAX_BACKFILL_SEGMENTS as usize {
            return Err(invalid(format!(
                "a backfill checkpoint of {} segments: 1 to {MAX_BACKFILL_SEGMENTS}",
                self.segments.len()
            )));
        }
        for position in &self.segments {
            if let SegmentPosition::After(text) = position {
                let cursor: Cursor = text.parse().map_err(|_| {
                    invalid(format!(
                        "a backfill checkpoint's cursor is no cursor: {text:?}"
                    ))
                })?;
                let mut names: Vec<&str> = cursor.key().keys().map(String::as_str).collect();
                names.sort_unstable();
                if names != key_names.iter().map(String::as_str).collect::<Vec<_>>() {
                    return Err(invalid(format!(
                        "a backfill checkpoint's cursor holds {names:?}, not the table's key {key_names:?}"
                    )));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoints_round_trip_through_json_and_refuse_another_model() {
        let keys = ["id".to_owned()];
        let mut checkpoint = BackfillCheckpoint::new("User", "t_users", Stale::Migrations, 2);
        checkpoint.segments[0] = SegmentPosition::After("{\"id\":{\"S\":\"a\"}}".into());
        checkpoint.segments[1] = SegmentPosition::Done;
        checkpoint.counts.rewritten = 7;
        let json = checkpoint.to_json();
        assert_eq!(BackfillCheckpoint::from_json(&json).unwrap(), checkpoint);
        assert!(!checkpoint.is_done());
        let check = |c: &BackfillCheckpoint, model, table, stale, keys: &[String]| {
            c.check(model, table, stale, keys)
        };
        assert!(check(&checkpoint, "User", "t_users", Stale::Migrations, &keys).is_ok());
        assert!(check(&checkpoint, "Order", "t_users", Stale::Migrations, &keys).is_err());
        assert!(check(&checkpoint, "User", "other", Stale::Migrations, &keys).is_err());
        assert!(check(&checkpoint, "User", "t_users", Stale::StoredForm, &keys).is_err());
        let other_key = ["pk".to_owned(), "sk".to_owned()];
        assert!(check(
            &checkpoint,
            "User",
            "t_users",
            Stale::Migrations,
            &other_key
        )
        .is_err());
        assert!(BackfillCheckpoint::from_json("{").is_err());
        let empty = BackfillCheckpoint::new("User", "t_users", Stale::Migrations, 0);
        assert!(check(&empty, "User", "t_users", Stale::Migrations, &keys).is_err());
        let mut bad = checkpoint.clone();
        bad.segments[0] = SegmentPosition::After("no cursor".into());
        assert!(check(&bad, "User", "t_users", Stale::Migrations, &keys).is_err());
        let mut huge = checkpoint;
        huge.counts.seen = u64::MAX;
        huge.counts.add(&BackfillCounts {
            seen: 5,
            ..BackfillCounts::default()
        });
        assert_eq!(huge.counts.seen, u64::MAX);
    }
}
