//! [`BackfillCheckpoint`]: where a backfill is, per segment, to resume it
//! after a crash; and [`BackfillCounts`].

use serde::{Deserialize, Serialize};

use crate::error::Error;

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
        self.seen += other.seen;
        self.stale += other.stale;
        self.rewritten += other.rewritten;
        self.conflicts += other.conflicts;
        self.errors += other.errors;
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
    /// Each segment's position (their number is the scan's segments).
    pub segments: Vec<SegmentPosition>,
    /// What the pages done did, over every run so far.
    pub counts: BackfillCounts,
}

impl BackfillCheckpoint {
    pub(super) fn new(model: &str, table: &str, segments: u32) -> Self {
        BackfillCheckpoint {
            model: model.to_owned(),
            table: table.to_owned(),
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

    /// Refuses a checkpoint of another model or table, or of no segment.
    pub(super) fn check(&self, model: &'static str, table: &str) -> Result<(), Error> {
        let invalid = |reason: String| Error::InvalidRequest { model, reason };
        if self.model != model || self.table != table {
            return Err(invalid(format!(
                "resuming a backfill of {} on table {:?} as one of {model} on {table:?}",
                self.model, self.table
            )));
        }
        if self.segments.is_empty() || self.segments.len() > crate::operation::MAX_SEGMENTS as usize
        {
            return Err(invalid(format!(
                "a backfill checkpoint of {} segments: 1 to {}",
                self.segments.len(),
                crate::operation::MAX_SEGMENTS
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoints_round_trip_through_json_and_refuse_another_model() {
        let mut checkpoint = BackfillCheckpoint::new("User", "t_users", 2);
        checkpoint.segments[0] = SegmentPosition::After("{\"id\":{\"S\":\"a\"}}".into());
        checkpoint.segments[1] = SegmentPosition::Done;
        checkpoint.counts.rewritten = 7;
        let json = checkpoint.to_json();
        assert_eq!(BackfillCheckpoint::from_json(&json).unwrap(), checkpoint);
        assert!(!checkpoint.is_done());
        assert!(checkpoint.check("User", "t_users").is_ok());
        assert!(checkpoint.check("Order", "t_users").is_err());
        assert!(checkpoint.check("User", "other").is_err());
        assert!(BackfillCheckpoint::from_json("{").is_err());
        let empty = BackfillCheckpoint::new("User", "t_users", 0);
        assert!(empty.check("User", "t_users").is_err());
    }
}
