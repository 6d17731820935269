//! Paths inside attributes (`a.b[0]`), and sizes, for conditions.

use std::marker::PhantomData;

use crate::attribute::Attribute;
use crate::error::AttributeError;
use crate::expression::{AttributeType, Comparison, Condition, Path};
use crate::model::Model;

/// A path inside an attribute of model `M` (`spell.name`, `spells[0]`), from
/// [`Field::key`](super::Field::key) or [`Field::index`](super::Field::index).
/// Its values are untyped: any [`Attribute`] compares.
pub struct PathRef<M> {
    path: Path,
    model: PhantomData<fn() -> M>,
}

impl<M> Clone for PathRef<M> {
    fn clone(&self) -> Self {
        PathRef::new(self.path.clone())
    }
}

impl<M> std::fmt::Debug for PathRef<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PathRef({})", self.path)
    }
}

impl<M> PathRef<M> {
    pub(crate) fn new(path: Path) -> Self {
        PathRef {
            path,
            model: PhantomData,
        }
    }
}

impl<M: Model> PathRef<M> {
    /// The map entry `name` inside this path.
    pub fn key(&self, name: impl Into<String>) -> PathRef<M> {
        PathRef::new(self.path.clone().key(name))
    }

    /// The list element `index` inside this path.
    pub fn index(&self, index: usize) -> PathRef<M> {
        PathRef::new(self.path.clone().index(index))
    }

    /// The path itself.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn compare<V: Attribute>(&self, op: Comparison, value: V) -> Condition {
        match value.to_attribute() {
            Ok(v) => Condition::Compare(self.path.clone(), op, v),
            Err(e) => Condition::Invalid(Box::new(AttributeError::new(
                M::SCHEMA.model,
                &self.path.to_string(),
                e,
            ))),
        }
    }

    /// `path = value`
    pub fn eq<V: Attribute>(&self, value: V) -> Condition {
        self.compare(Comparison::Eq, value)
    }

    /// `path <> value`
    pub fn ne<V: Attribute>(&self, value: V) -> Condition {
        self.compare(Comparison::Ne, value)
    }

    /// `path < value`
    pub fn lt<V: Attribute>(&self, value: V) -> Condition {
        self.compare(Comparison::Lt, value)
    }

    /// `path <= value`
    pub fn le<V: Attribute>(&self, value: V) -> Condition {
        self.compare(Comparison::Le, value)
    }

    /// `path > value`
    pub fn gt<V: Attribute>(&self, value: V) -> Condition {
        self.compare(Comparison::Gt, value)
    }

    /// `path >= value`
    pub fn ge<V: Attribute>(&self, value: V) -> Condition {
        self.compare(Comparison::Ge, value)
    }

    /// `begins_with(path, prefix)`
    pub fn begins_with<V: Attribute>(&self, prefix: V) -> Condition {
        match prefix.to_attribute() {
            Ok(v) => Condition::BeginsWith(self.path.clone(), v),
            Err(e) => Condition::Invalid(Box::new(AttributeError::new(
                M::SCHEMA.model,
                &self.path.to_string(),
                e,
            ))),
        }
    }

    /// `contains(path, value)`
    pub fn contains<V: Attribute>(&self, value: V) -> Condition {
        match value.to_attribute() {
            Ok(v) => Condition::Contains(self.path.clone(), v),
            Err(e) => Condition::Invalid(Box::new(AttributeError::new(
                M::SCHEMA.model,
                &self.path.to_string(),
                e,
            ))),
        }
    }

    /// `attribute_exists(path)`
    pub fn exists(&self) -> Condition {
        Condition::Exists(self.path.clone())
    }

    /// `attribute_not_exists(path)`
    pub fn not_exists(&self) -> Condition {
        Condition::NotExists(self.path.clone())
    }

    /// `attribute_type(path, type)`
    pub fn has_type(&self, kind: AttributeType) -> Condition {
        Condition::HasType(self.path.clone(), kind)
    }

    /// The size of what is at the path.
    pub fn size(&self) -> SizeOf {
        SizeOf::new(self.path.clone())
    }
}

/// `size(path)`, to compare with a number.
#[derive(Debug, Clone)]
pub struct SizeOf {
    path: Path,
}

impl SizeOf {
    pub(crate) fn new(path: Path) -> Self {
        SizeOf { path }
    }

    /// `size(path) = n`
    pub fn eq(&self, n: u64) -> Condition {
        Condition::Size(self.path.clone(), Comparison::Eq, n)
    }

    /// `size(path) <> n`
    pub fn ne(&self, n: u64) -> Condition {
        Condition::Size(self.path.clone(), Comparison::Ne, n)
    }

    /// `size(path) < n`
    pub fn lt(&self, n: u64) -> Condition {
        Condition::Size(self.path.clone(), Comparison::Lt, n)
    }

    /// `size(path) <= n`
    pub fn le(&self, n: u64) -> Condition {
        Condition::Size(self.path.clone(), Comparison::Le, n)
    }

    /// `size(path) > n`
    pub fn gt(&self, n: u64) -> Condition {
        Condition::Size(self.path.clone(), Comparison::Gt, n)
    }

    /// `size(path) >= n`
    pub fn ge(&self, n: u64) -> Condition {
        Condition::Size(self.path.clone(), Comparison::Ge, n)
    }
}
