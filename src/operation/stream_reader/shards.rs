//! What a reader knows of a stream's shards: where each starts, which may be
//! read now (parents before children), which are done.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::checkpoint::{is_after, is_sequence_number};
use super::{Checkpoint, Start};
use crate::engine::request::{ShardPosition, StreamShard};

/// Empty answers in a row after which an open shard counts as caught up (a
/// shard may answer empty pages before records further on: AWS documents
/// that reaching them can take several calls).
const EMPTY_READS_CAUGHT_UP: u32 = 3;

/// Empty answers in a row after which a closed shard (one with children)
/// that still gives a next iterator is a faulty answer.
pub(super) const MAX_EMPTY_READS_CLOSED: u32 = 100;

/// One shard.
#[derive(Debug)]
pub(super) struct Shard {
    pub parent: Option<String>,
    /// Where to ask for an iterator when there is none: after the last
    /// record read, once one has been.
    pub position: ShardPosition,
    pub iterator: Option<String>,
    /// Read to its end (or given up on, or left behind at a `from_latest`
    /// start).
    pub finished: bool,
    /// A listed shard continues it: it is closed, and read to its end.
    pub has_children: bool,
    pub empty_reads: u32,
    /// Failed reads in a row.
    pub failures: u32,
}

impl Shard {
    /// The last sequence number read of it, if any.
    pub fn last_read(&self) -> Option<&str> {
        match &self.position {
            ShardPosition::AfterSequenceNumber(number) => Some(number),
            _ => None,
        }
    }

    /// Whether a record is one already read (an engine answering a record
    /// twice).
    pub fn already_read(&self, sequence_number: &str) -> bool {
        self.last_read()
            .is_some_and(|last| !is_after(sequence_number, last))
    }

    /// Whether it has nothing new: open, and empty several times in a row.
    fn caught_up(&self) -> bool {
        self.finished || (!self.has_children && self.empty_reads >= EMPTY_READS_CAUGHT_UP)
    }
}

/// The shards, by id.
#[derive(Debug, Default)]
pub(super) struct Shards {
    pub by_id: BTreeMap<String, Shard>,
    listed_once: bool,
}

impl Shards {
    /// Takes a listing: new shards get their start; finished shards no
    /// longer listed (trimmed) are forgotten. Returns the checkpoint's shards
    /// missing from the first listing (trimmed before the reader resumed).
    pub fn update(&mut self, listed: &[StreamShard], start: &Start) -> Vec<(String, String)> {
        let first = !self.listed_once;
        let read_before = match (start, first) {
            (Start::Resume(checkpoint), true) => ancestors_of_committed(checkpoint, listed),
            _ => HashSet::new(),
        };
        for shard in listed {
            if !self.by_id.contains_key(&shard.shard_id) {
                let known = start_of(shard, start, first, &read_before);
                self.by_id.insert(shard.shard_id.clone(), known);
            }
        }
        let ids: HashSet<&str> = listed.iter().map(|s| s.shard_id.as_str()).collect();
        self.by_id
            .retain(|id, shard| !shard.finished || ids.contains(id.as_str()));
        let parents: HashSet<&str> = listed
            .iter()
            .filter_map(|s| s.parent_shard_id.as_deref())
            .collect();
        for (id, shard) in &mut self.by_id {
            shard.has_children |= parents.contains(id.as_str());
        }
        self.listed_once = true;
        match (start, first) {
            (Start::Resume(checkpoint), true) => checkpoint
                .shards()
                .filter(|(id, _)| !ids.contains(id))
                .map(|(id, number)| (id.to_owned(), number.to_owned()))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The shards to read now: not finished, and continuing no shard still
    /// being read.
    pub fn readable(&self) -> Vec<String> {
        self.by_id
            .iter()
            .filter(|(_, shard)| !shard.finished)
            .filter(|(_, shard)| {
                shard
                    .parent
                    .as_ref()
                    .and_then(|parent| self.by_id.get(parent))
                    .is_none_or(|parent| parent.finished)
            })
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// Shards not finished that can never be read (their parents wait on
    /// them: a cycle in a faulty listing).
    pub fn stuck(&self) -> Vec<String> {
        let readable = self.readable();
        if !readable.is_empty() {
            return Vec::new();
        }
        self.by_id
            .iter()
            .filter(|(_, shard)| !shard.finished)
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// Whether every shard of `ids` has nothing new.
    pub fn caught_up(&self, ids: &[String]) -> bool {
        ids.iter()
            .all(|id| self.by_id.get(id).is_none_or(Shard::caught_up))
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut Shard> {
        self.by_id.get_mut(id)
    }

    pub fn get(&self, id: &str) -> Option<&Shard> {
        self.by_id.get(id)
    }
}

/// Where a shard seen for the first time starts (`first`: in the reader's
/// first listing; shards opened since are read from their start).
///
/// A shard's ending sequence number is not trusted to mean it is closed
/// (dynoxide reports its open shard's last record there): a closed shard
/// ends when GetRecords gives no next iterator, which costs one request.
fn start_of(
    shard: &StreamShard,
    start: &Start,
    first: bool,
    read_before: &HashSet<String>,
) -> Shard {
    let mut finished = false;
    let position = match (start, first) {
        (_, false) | (Start::TrimHorizon, true) => ShardPosition::TrimHorizon,
        (Start::Latest, true) => ShardPosition::Latest,
        (Start::Resume(checkpoint), true) => match checkpoint.sequence_number(&shard.shard_id) {
            Some(number) if is_sequence_number(number) => {
                ShardPosition::AfterSequenceNumber(number.to_owned())
            }
            // A shard the checkpoint does not name, whose descendants it
            // does, was read before them.
            _ if read_before.contains(&shard.shard_id) => {
                finished = true;
                ShardPosition::TrimHorizon
            }
            _ => ShardPosition::TrimHorizon,
        },
    };
    Shard {
        parent: shard.parent_shard_id.clone(),
        position,
        iterator: None,
        finished,
        has_children: false,
        empty_reads: 0,
        failures: 0,
    }
}

/// The shards a resumed checkpoint's shards continue, at any depth.
fn ancestors_of_committed(checkpoint: &Checkpoint, listed: &[StreamShard]) -> HashSet<String> {
    let parents: HashMap<&str, &str> = listed
        .iter()
        .filter_map(|s| Some((s.shard_id.as_str(), s.parent_shard_id.as_deref()?)))
        .collect();
    let mut ancestors = HashSet::new();
    for (shard, _) in checkpoint.shards() {
        let mut at = shard;
        // Bounded: a faulty listing could make a cycle.
        for _ in 0..listed.len() {
            let Some(parent) = parents.get(at) else { break };
            if !ancestors.insert((*parent).to_owned()) {
                break;
            }
            at = parent;
        }
    }
    ancestors
}
