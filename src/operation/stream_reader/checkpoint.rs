//! Where a reader of a table's stream has got to: per shard, the last
//! sequence number delivered. The caller stores it (it is serde) and hands
//! it back to resume.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How far a stream has been read: per shard, the sequence number of the
/// last record delivered, and the stream it belongs to.
///
/// A reader resumed from it starts each shard just after its number, and
/// shards it does not name from their oldest record (those opened since),
/// so no change is missed; changes delivered after the checkpoint was last
/// stored come again (at-least-once). Store it after processing, as often
/// as you can afford to repeat work.
///
/// ```
/// use dynamodb_mapper::streams::Checkpoint;
///
/// let mut checkpoint = Checkpoint::default();
/// checkpoint.commit("shard-1", "200");
/// checkpoint.commit("shard-1", "100"); // never moves back
/// let stored = serde_json::to_string(&checkpoint).unwrap();
/// let resumed: Checkpoint = serde_json::from_str(&stored).unwrap();
/// assert_eq!(resumed.sequence_number("shard-1"), Some("200"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// The stream read, once known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    stream_arn: Option<String>,
    /// Shard id to the last sequence number delivered.
    #[serde(default)]
    shards: BTreeMap<String, String>,
}

impl Checkpoint {
    /// The stream this checkpoint is of, once a reader has found it (a
    /// checkpoint built by hand names none, and resumes any stream).
    pub fn stream_arn(&self) -> Option<&str> {
        self.stream_arn.as_deref()
    }

    /// The last sequence number delivered of `shard`.
    pub fn sequence_number(&self, shard: &str) -> Option<&str> {
        self.shards.get(shard).map(String::as_str)
    }

    /// Each shard with its last sequence number delivered.
    pub fn shards(&self) -> impl Iterator<Item = (&str, &str)> {
        self.shards.iter().map(|(s, n)| (s.as_str(), n.as_str()))
    }

    /// Whether nothing has been committed.
    pub fn is_empty(&self) -> bool {
        self.shards.is_empty()
    }

    /// Records that `shard` has been delivered up to `sequence_number`
    /// (a later number than the one held; an earlier one, or text that is
    /// no sequence number, changes nothing). Commit in each shard's order:
    /// a later number covers every record before it.
    pub fn commit(&mut self, shard: &str, sequence_number: &str) {
        if !is_sequence_number(sequence_number) {
            tracing::warn!(
                shard,
                sequence_number,
                "not a sequence number: not committed"
            );
            return;
        }
        match self.shards.get_mut(shard) {
            // A held position that is no sequence number (a checkpoint
            // deserialized from edited text) gives way to a real one.
            Some(held) if is_sequence_number(held) && !is_after(sequence_number, held) => {}
            Some(held) => *held = sequence_number.to_owned(),
            None => {
                self.shards
                    .insert(shard.to_owned(), sequence_number.to_owned());
            }
        }
    }

    pub(super) fn set_stream(&mut self, stream_arn: &str) {
        if self.stream_arn.as_deref() != Some(stream_arn) {
            self.stream_arn = Some(stream_arn.to_owned());
        }
    }
    /// The first shard whose position is no sequence number, with it: a
    /// reader refuses to resume from such a checkpoint.
    pub(super) fn malformed(&self) -> Option<(&str, &str)> {
        self.shards()
            .find(|(_, position)| !is_sequence_number(position))
    }
}

/// Whether `text` is a sequence number: 1 to 40 decimal digits.
pub(super) fn is_sequence_number(text: &str) -> bool {
    (1..=40).contains(&text.len()) && text.bytes().all(|c| c.is_ascii_digit())
}

/// Whether sequence number `a` comes after `b`: they are decimal numbers
/// of up to 40 digits, compared as numbers (text that is no number compares
/// as text, after every number).
pub(super) fn is_after(a: &str, b: &str) -> bool {
    let key = |s: &str| {
        let digits = s.trim_start_matches('0');
        let number = !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
        (!number, digits.len(), digits.to_owned())
    };
    key(a) > key(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_numbers_compare_as_numbers() {
        assert!(is_after("10", "9"));
        assert!(is_after(
            "4421584500000000017450439092",
            "4421584500000000017450439091"
        ));
        assert!(!is_after("0009", "10"));
        assert!(!is_after("5", "5"));
        let mut checkpoint = Checkpoint::default();
        checkpoint.commit("s", "9");
        checkpoint.commit("s", "10");
        checkpoint.commit("s", "8");
        checkpoint.commit("s", "");
        checkpoint.commit("s", "99x");
        assert_eq!(checkpoint.sequence_number("s"), Some("10"));
    }
}
