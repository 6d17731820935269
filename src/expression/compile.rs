//! Compiling conditions into expression text with generated placeholders.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::condition::PathSegment;
use super::{Condition, Path};
use crate::attribute::{AttributeValue, Item};
use crate::error::AttributeError;

/// What the placeholders of one request's expressions stand for: DynamoDB's
/// `ExpressionAttributeNames` and `ExpressionAttributeValues`, shared by its
/// condition, update, key condition, filter and projection.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExpressionAttributes {
    /// `#n0` -> attribute name.
    pub names: HashMap<String, String>,
    /// `:v0` -> value.
    pub values: Item,
}

/// Hands out placeholders for one request; names are reused, values are not.
#[derive(Debug, Default)]
pub(crate) struct Placeholders {
    names: HashMap<String, String>,
    by_name: HashMap<String, String>,
    values: Item,
}

impl Placeholders {
    pub(crate) fn name(&mut self, name: &str) -> String {
        if let Some(placeholder) = self.by_name.get(name) {
            return placeholder.clone();
        }
        let placeholder = format!("#n{}", self.names.len());
        self.names.insert(placeholder.clone(), name.to_owned());
        self.by_name.insert(name.to_owned(), placeholder.clone());
        placeholder
    }

    pub(crate) fn value(&mut self, value: AttributeValue) -> String {
        let placeholder = format!(":v{}", self.values.len());
        self.values.insert(placeholder.clone(), value);
        placeholder
    }

    pub(crate) fn path(&mut self, path: &Path) -> String {
        let mut text = String::new();
        for segment in &path.segments {
            match segment {
                PathSegment::Name(name) => {
                    if !text.is_empty() {
                        text.push('.');
                    }
                    let placeholder = self.name(name);
                    text.push_str(&placeholder);
                }
                PathSegment::Index(index) => {
                    let _ = write!(text, "[{index}]");
                }
            }
        }
        text
    }

    /// The expression text of `condition`; `None` when it always holds (an empty AND).
    pub(crate) fn condition(
        &mut self,
        condition: Condition,
    ) -> Result<Option<String>, AttributeError> {
        Ok(Some(match condition {
            Condition::Compare(path, op, value) => {
                format!(
                    "{} {} {}",
                    self.path(&path),
                    op.operator(),
                    self.value(value)
                )
            }
            Condition::Between(path, low, high) => {
                format!(
                    "{} BETWEEN {} AND {}",
                    self.path(&path),
                    self.value(low),
                    self.value(high)
                )
            }
            Condition::In(path, values) => {
                let path = self.path(&path);
                let list: Vec<String> = values.into_iter().map(|v| self.value(v)).collect();
                format!("{path} IN ({})", list.join(", "))
            }
            Condition::BeginsWith(path, prefix) => {
                format!("begins_with({}, {})", self.path(&path), self.value(prefix))
            }
            Condition::Contains(path, value) => {
                format!("contains({}, {})", self.path(&path), self.value(value))
            }
            Condition::Size(path, op, n) => {
                let path = self.path(&path);
                format!(
                    "size({path}) {} {}",
                    op.operator(),
                    self.value(AttributeValue::N(n.to_string()))
                )
            }
            Condition::HasType(path, kind) => {
                let path = self.path(&path);
                let kind = self.value(AttributeValue::S(kind.descriptor().to_owned()));
                format!("attribute_type({path}, {kind})")
            }
            Condition::Exists(path) => format!("attribute_exists({})", self.path(&path)),
            Condition::NotExists(path) => format!("attribute_not_exists({})", self.path(&path)),
            Condition::And(all) => {
                let mut texts = Vec::with_capacity(all.len());
                for part in all {
                    texts.extend(self.condition(part)?);
                }
                match texts.len() {
                    0 => return Ok(None),
                    1 => texts.remove(0),
                    _ => format!("({})", texts.join(") AND (")),
                }
            }
            Condition::Or(any) => {
                let mut texts = Vec::with_capacity(any.len());
                for part in any {
                    match self.condition(part)? {
                        Some(text) => texts.push(text),
                        None => return Ok(None),
                    }
                }
                match texts.len() {
                    0 => self.never(),
                    1 => texts.remove(0),
                    _ => format!("({})", texts.join(") OR (")),
                }
            }
            Condition::Not(inner) => match self.condition(*inner)? {
                Some(text) => format!("NOT ({text})"),
                None => self.never(),
            },
            Condition::Invalid(error) => return Err(*error),
        }))
    }

    /// A condition no item meets (an empty OR, a negated empty AND).
    fn never(&mut self) -> String {
        let name = self.name("never");
        format!("attribute_exists({name}) AND attribute_not_exists({name})")
    }

    /// A projection expression naming `names`.
    pub(crate) fn projection(&mut self, names: &[&str]) -> String {
        names
            .iter()
            .map(|name| self.name(name))
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub(crate) fn finish(self) -> ExpressionAttributes {
        ExpressionAttributes {
            names: self.names,
            values: self.values,
        }
    }
}
