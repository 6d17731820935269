//! Optimistic locking with a version attribute: `#[dynamodb(version)]` on an
//! integer field. Every save and delete is conditional on the stored version
//! being the one the object holds, and a save bumps it; a mismatch is a
//! [`ConflictError`](crate::error::ConflictError). A new object (a document never
//! loaded) is saved only if its key is free, and stores version 1 (so does
//! [`Connection::save_batch`](crate::Connection::save_batch)); a loaded one
//! is saved only if the stored item still has the version it was loaded
//! with, whatever that is: 0, or none at all for an item stored before the
//! model was versioned.
//!
//! ```
//! # use dynamodb_mapper::{Connection, Document, Model};
//! #[derive(Model, Debug, Clone, Default)]
//! #[dynamodb(table = "counters", hash_key = "id")]
//! struct Counter {
//!     id: String,
//!     hits: u64,
//!     #[dynamodb(version)]
//!     version: u64,
//! }
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> dynamodb_mapper::Result<()> {
//! # let conn = Connection::embedded()?;
//! # conn.create_table::<Counter>().await?;
//! let mut counter = Document::new(Counter { id: "home".into(), ..Default::default() });
//! conn.save(&mut counter).await?;
//! assert_eq!(counter.version, 1);
//! let mut stale = conn.get::<Counter>("home".into()).await?.unwrap();
//! counter.hits += 1;
//! conn.save(&mut counter).await?; // version 2
//! stale.hits += 10;
//! assert!(conn.save(&mut stale).await.unwrap_err().is_conflict());
//! # Ok(()) }
//! ```

use crate::attribute::{AttributeValue, ValueError};
use crate::error::{AttributeError, ConflictKind};
use crate::expression::{Comparison, Condition, Path};
use crate::model::Model;

/// An integer type that can hold a version.
pub trait VersionNumber: Sized {
    /// The largest version the type holds.
    const MAX: i128 = i128::MAX;
    /// The version as an `i128`, which holds every version type exactly.
    fn to_i128(&self) -> i128;
    /// The version from an `i128`: out of the type's range (the version after
    /// the type's maximum) is an error naming the value.
    fn from_i128(
        model: &'static str,
        attribute: &'static str,
        value: i128,
    ) -> Result<Self, AttributeError>;
}

macro_rules! version_number {
    ($($t:ty),*) => {$(
        impl VersionNumber for $t {
            const MAX: i128 = <$t>::MAX as i128;
            fn to_i128(&self) -> i128 {
                i128::from(*self)
            }
            fn from_i128(model: &'static str, attribute: &'static str, value: i128) -> Result<Self, AttributeError> {
                <$t>::try_from(value)
                    .map_err(|_| AttributeError::new(model, attribute, ValueError::out_of_range(value, stringify!($t))))
            }
        }
    )*};
}
version_number!(i32, i64, u32, u64);

/// A model's version field: the policy's data in
/// [`Policies::version`](crate::model::Policies::version).
/// `#[dynamodb(version)]` builds it; every write reads and bumps the
/// version through it.
#[non_exhaustive]
pub struct VersionField<M> {
    /// The stored attribute name.
    pub attribute: &'static str,
    /// The object's version (`i128` holds every version type exactly).
    pub get: fn(&M) -> i128,
    /// Sets the object's version; a value the field's type cannot hold is an
    /// error.
    pub set: fn(&mut M, i128) -> Result<(), AttributeError>,
    /// The largest version the field's type holds (writes that cannot call
    /// `set`, a batch's, check against it).
    pub max: i128,
}

impl<M> VersionField<M> {
    /// The field stored as `attribute`, with its two accessors.
    pub const fn new(
        attribute: &'static str,
        get: fn(&M) -> i128,
        set: fn(&mut M, i128) -> Result<(), AttributeError>,
    ) -> Self {
        VersionField {
            attribute,
            get,
            set,
            max: i128::MAX,
        }
    }

    /// The same field, whose type holds versions up to `max`.
    pub const fn with_max(mut self, max: i128) -> Self {
        self.max = max;
        self
    }
}

impl<M> Clone for VersionField<M> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M> Copy for VersionField<M> {}

impl<M> std::fmt::Debug for VersionField<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VersionField")
            .field("attribute", &self.attribute)
            .finish_non_exhaustive()
    }
}

/// The version attribute of `M`, for a model with `#[dynamodb(version)]`.
pub fn attribute<M: Model>() -> Option<&'static str> {
    M::POLICIES.version.map(|field| field.attribute)
}

/// The object's version, for a model with `#[dynamodb(version)]`.
pub fn current<M: Model>(model: &M) -> Option<i128> {
    M::POLICIES.version.map(|field| (field.get)(model))
}

/// Sets the object's version (a value its type cannot hold is an error);
/// does nothing on a model without a version field.
pub fn set<M: Model>(model: &mut M, version: i128) -> Result<(), AttributeError> {
    match M::POLICIES.version {
        Some(field) => (field.set)(model, version),
        None => Ok(()),
    }
}

/// Writes the version after the object's into `item` (a write that cannot
/// set it on the object, a batch's), refusing a version its type cannot
/// hold; does nothing on a model without a version field.
pub(crate) fn store_next<M: Model>(
    model: &M,
    item: &mut crate::attribute::Item,
) -> Result<(), AttributeError> {
    let Some(field) = M::POLICIES.version else {
        return Ok(());
    };
    let next = (field.get)(model).saturating_add(1);
    // The next version must fit the field, as a save checks: never wrapped.
    if next > field.max {
        return Err(AttributeError::new(
            M::SCHEMA.model,
            field.attribute,
            ValueError::out_of_range(next, "the version field's type"),
        ));
    }
    item.insert(
        field.attribute.to_owned(),
        AttributeValue::N(next.to_string()),
    );
    Ok(())
}

/// What a write of a versioned object knows of the version stored.
#[derive(Clone, Copy)]
pub(crate) enum Stored<'a> {
    /// The object was loaded with this item: its version attribute, or
    /// its absence (an item stored before the model was versioned), is
    /// what must still be stored. Whatever the number, the object is not new.
    Loaded(&'a crate::attribute::Item),
    /// A document never loaded: a new object, written only if its key is free.
    New,
    /// A bare object (no document): its own version number tells, version
    /// 0 meaning new.
    Number,
}

/// The condition a write of an object at `version` needs, and the conflict
/// its failure means: the stored version is still the one loaded (or the
/// object's `version`, for a bare object), or for a new object, its key is
/// free.
pub(crate) fn expected<M: Model>(
    attribute: &'static str,
    version: i128,
    stored: Stored<'_>,
) -> (Condition, ConflictKind) {
    let key_is_free = || {
        (
            Condition::NotExists(Path::attribute(M::SCHEMA.hash_key.attribute)),
            ConflictKind::Overwrite,
        )
    };
    let path = || Path::attribute(attribute);
    match stored {
        Stored::Loaded(item) => match item.get(attribute) {
            // The very value loaded: a number another program stored is
            // compared as stored, never rewritten through this type.
            Some(value) => (
                Condition::Compare(path(), Comparison::Eq, value.clone()),
                ConflictKind::Changed,
            ),
            None => (
                Condition::And(vec![
                    Condition::Exists(Path::attribute(M::SCHEMA.hash_key.attribute)),
                    Condition::NotExists(path()),
                ]),
                ConflictKind::Changed,
            ),
        },
        Stored::New => key_is_free(),
        Stored::Number if version == 0 => key_is_free(),
        Stored::Number => (
            Condition::Compare(
                path(),
                Comparison::Eq,
                AttributeValue::N(version.to_string()),
            ),
            ConflictKind::Changed,
        ),
    }
}
