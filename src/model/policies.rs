//! [`Policies`]: what only some models have, as data on every model.

use std::fmt;

use crate::attribute::Item;
use crate::error::Error;
use crate::model::auto_increment::AutoIncrementField;
use crate::model::version::VersionField;

/// Brings a stored item up to the model's current form before it is decoded
/// (a model's migrator; see [`Migrator`](crate::model::Migrator)).
pub type MigrateItem = fn(Item) -> Result<Item, Error>;

/// The policies of a model: what only some models have, each `None` unless
/// the model has it. A model gives them in [`Model::POLICIES`]; every
/// operation reads them there ([`AutoIncrementField`], [`VersionField`],
/// [`MigrateItem`]).
///
/// New policies may be added: build a value from [`Policies::NONE`] and the
/// `with_*` methods.
///
/// ```
/// use dynamodb_mapper::model::{VersionField, VersionNumber};
/// use dynamodb_mapper::model::Policies;
///
/// struct Page {
///     version: u64,
/// }
///
/// const POLICIES: Policies<Page> = Policies::NONE.with_version(VersionField::new(
///     "version",
///     |page| page.version.into(),
///     |page, version| {
///         page.version = VersionNumber::from_i128("Page", "version", version)?;
///         Ok(())
///     },
/// ));
/// assert_eq!(POLICIES.version.map(|v| v.attribute), Some("version"));
/// assert!(POLICIES.auto_increment.is_none() && POLICIES.migrator.is_none());
/// ```
///
/// [`Model::POLICIES`]: crate::Model::POLICIES
#[non_exhaustive]
pub struct Policies<M> {
    /// The hash key is handed out by the table's counter (`#[dynamodb(auto_increment)]`).
    pub auto_increment: Option<AutoIncrementField<M>>,
    /// Optimistic locking on a version attribute (`#[dynamodb(version)]`).
    pub version: Option<VersionField<M>>,
    /// Stored items pass through this before they are decoded
    /// (`#[dynamodb(migrator = ...)]`).
    pub migrator: Option<MigrateItem>,
}

impl<M> Policies<M> {
    /// No policy: what a model has unless it says otherwise.
    pub const NONE: Self = Policies {
        auto_increment: None,
        version: None,
        migrator: None,
    };

    /// With an auto-increment hash key.
    pub const fn with_auto_increment(mut self, field: AutoIncrementField<M>) -> Self {
        self.auto_increment = Some(field);
        self
    }

    /// With optimistic locking on a version field.
    pub const fn with_version(mut self, field: VersionField<M>) -> Self {
        self.version = Some(field);
        self
    }

    /// With migrations on read.
    pub const fn with_migrator(mut self, migrate: MigrateItem) -> Self {
        self.migrator = Some(migrate);
        self
    }
}

impl<M> Clone for Policies<M> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M> Copy for Policies<M> {}

impl<M> fmt::Debug for Policies<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Policies")
            .field("auto_increment", &self.auto_increment)
            .field("version", &self.version)
            .field("migrator", &self.migrator.is_some())
            .finish()
    }
}
