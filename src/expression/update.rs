//! Update expressions: SET, REMOVE, ADD and DELETE actions, compiled with
//! generated placeholders.

use super::condition::PathSegment;
use super::{Path, Placeholders};
use crate::attribute::AttributeValue;

/// The value an attribute is SET to.
#[derive(Debug, Clone, PartialEq)]
pub enum SetValue {
    /// `path = value`
    Value(AttributeValue),
    /// `path = if_not_exists(path, value)`
    IfNotExists(AttributeValue),
    /// `path = path + value`
    Plus(AttributeValue),
    /// `path = path - value`
    Minus(AttributeValue),
    /// `path = list_append(if_not_exists(path, []), value)`
    Append(AttributeValue),
    /// `path = list_append(value, if_not_exists(path, []))`
    Prepend(AttributeValue),
}

/// One action of an update expression.
#[derive(Debug, Clone, PartialEq)]
pub enum UpdateAction {
    /// `SET path = ...`
    Set(Path, SetValue),
    /// `REMOVE path`
    Remove(Path),
    /// `ADD path value`: adds to a number, or members to a set.
    Add(Path, AttributeValue),
    /// `DELETE path value`: takes members out of a set.
    Delete(Path, AttributeValue),
}

impl UpdateAction {
    /// Whether applying the action twice leaves what applying it once does:
    /// setting a value, removing, adding or deleting set members. Adding to a
    /// number, arithmetic, list appends and any action on a list element
    /// are not.
    pub fn is_idempotent(&self) -> bool {
        // `SET l[9] = v` past a list's end appends; `REMOVE l[0]` shifts the
        // rest: either does more when repeated.
        if self
            .path()
            .segments
            .iter()
            .any(|s| matches!(s, PathSegment::Index(_)))
        {
            return false;
        }
        match self {
            UpdateAction::Set(_, SetValue::Value(_) | SetValue::IfNotExists(_))
            | UpdateAction::Remove(_)
            | UpdateAction::Delete(..) => true,
            UpdateAction::Add(_, value) => !matches!(value, AttributeValue::N(_)),
            UpdateAction::Set(..) => false,
        }
    }

    pub(crate) fn path(&self) -> &Path {
        match self {
            UpdateAction::Set(path, _)
            | UpdateAction::Remove(path)
            | UpdateAction::Add(path, _)
            | UpdateAction::Delete(path, _) => path,
        }
    }
}

/// Two actions whose paths overlap (one is the other or inside it), which
/// DynamoDB refuses in one update expression.
pub(crate) fn overlapping_paths(actions: &[UpdateAction]) -> Option<(String, String)> {
    for (i, a) in actions.iter().enumerate() {
        for b in &actions[i + 1..] {
            let (pa, pb) = (&a.path().segments, &b.path().segments);
            let shorter = pa.len().min(pb.len());
            if pa[..shorter] == pb[..shorter] {
                return Some((a.path().to_string(), b.path().to_string()));
            }
        }
    }
    None
}

impl Placeholders {
    /// The text of an update expression; `None` when there is no action.
    pub(crate) fn update(&mut self, actions: Vec<UpdateAction>) -> Option<String> {
        let (mut set, mut remove, mut add, mut delete) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for action in actions {
            match action {
                UpdateAction::Set(path, value) => {
                    let path = self.path(&path);
                    let text = match value {
                        SetValue::Value(v) => format!("{path} = {}", self.value(v)),
                        SetValue::IfNotExists(v) => {
                            format!("{path} = if_not_exists({path}, {})", self.value(v))
                        }
                        SetValue::Plus(v) => format!("{path} = {path} + {}", self.value(v)),
                        SetValue::Minus(v) => format!("{path} = {path} - {}", self.value(v)),
                        SetValue::Append(v) => {
                            let empty = self.value(AttributeValue::L(Vec::new()));
                            format!(
                                "{path} = list_append(if_not_exists({path}, {empty}), {})",
                                self.value(v)
                            )
                        }
                        SetValue::Prepend(v) => {
                            let empty = self.value(AttributeValue::L(Vec::new()));
                            format!(
                                "{path} = list_append({}, if_not_exists({path}, {empty}))",
                                self.value(v)
                            )
                        }
                    };
                    set.push(text);
                }
                UpdateAction::Remove(path) => remove.push(self.path(&path)),
                UpdateAction::Add(path, v) => {
                    let path = self.path(&path);
                    add.push(format!("{path} {}", self.value(v)));
                }
                UpdateAction::Delete(path, v) => {
                    let path = self.path(&path);
                    delete.push(format!("{path} {}", self.value(v)));
                }
            }
        }
        let clauses: Vec<String> = [
            ("SET", set),
            ("REMOVE", remove),
            ("ADD", add),
            ("DELETE", delete),
        ]
        .into_iter()
        .filter(|(_, parts)| !parts.is_empty())
        .map(|(keyword, parts)| format!("{keyword} {}", parts.join(", ")))
        .collect();
        (!clauses.is_empty()).then(|| clauses.join(" "))
    }
}
