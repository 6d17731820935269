//! Migrations on read: the [`Migrator`] a model names, and the migration the
//! derive puts in its policies.

use crate::attribute::Item;
use crate::error::Error;
use crate::model::Model;

/// Whether a raw item is of a version.
pub type Check = fn(&Item) -> bool;
/// Migrates a raw item of the previous version to this one, in place. Its
/// error is the [`source`](std::error::Error::source) of the
/// [`Error::Migration`] the load fails with.
pub type Migrate = fn(&mut Item) -> Result<(), Box<dyn std::error::Error + Send + Sync>>;

/// One version of a model's stored form: how to recognise it and how to
/// migrate to it from the version before.
#[derive(Debug, Clone, Copy)]
pub struct SchemaVersion {
    /// The version number; versions sort as numbers.
    pub number: u32,
    /// Recognises items stored in this version (the original's `check_N`).
    pub check: Option<Check>,
    /// Migrates to this version (the original's `migrate_to_N`).
    pub migrate: Option<Migrate>,
}

impl SchemaVersion {
    /// Version `number`, with neither check nor migration yet.
    pub const fn new(number: u32) -> Self {
        SchemaVersion {
            number,
            check: None,
            migrate: None,
        }
    }

    /// Recognises items stored in this version.
    pub const fn check(mut self, check: Check) -> Self {
        self.check = Some(check);
        self
    }

    /// Migrates an item of the version before to this one.
    pub const fn migrate(mut self, migrate: Migrate) -> Self {
        self.migrate = Some(migrate);
        self
    }
}

/// A model's versions: select it with `#[dynamodb(migrator = Type)]`.
///
/// Migrations on read, as the original's migrators: version checks and
/// migration steps, numbered (not necessarily consecutively) and sorted as
/// numbers. On every load the highest version whose check holds is the stored
/// version; every later step then runs in ascending order, on a copy of the
/// raw item. The document's snapshot stays the item as stored, so conflict
/// detection compares against what is really there; saving writes the
/// migrated object.
///
/// ```
/// use dynamodb_mapper::model::{Migrator, SchemaVersion};
/// use dynamodb_mapper::{AttributeValue, Document, Item, Model};
///
/// struct UserMigrations;
///
/// impl Migrator for UserMigrations {
///     const VERSIONS: &'static [SchemaVersion] = &[
///         // Version 1 stored a single "name".
///         SchemaVersion::new(1).check(|raw| raw.contains_key("name")),
///         // Version 2 splits it.
///         SchemaVersion::new(2).check(|raw| raw.contains_key("first_name")).migrate(|raw| {
///             let name = match raw.remove("name") {
///                 Some(AttributeValue::S(name)) => name,
///                 _ => return Err("version 1 items have a name".into()),
///             };
///             let (first, last) = name.split_once(' ').unwrap_or((&name, ""));
///             raw.insert("first_name".into(), AttributeValue::S(first.into()));
///             raw.insert("last_name".into(), AttributeValue::S(last.into()));
///             Ok(())
///         }),
///     ];
/// }
///
/// #[derive(Model, Debug, Clone, Default)]
/// #[dynamodb(table = "users", hash_key = "id", migrator = UserMigrations)]
/// struct User {
///     id: String,
///     first_name: String,
///     last_name: String,
/// }
///
/// let old = Item::from_iter([
///     ("id".to_string(), AttributeValue::S("u1".into())),
///     ("name".to_string(), AttributeValue::S("Ada Lovelace".into())),
/// ]);
/// let user = Document::<User>::from_stored(old).unwrap();
/// assert_eq!((user.first_name.as_str(), user.last_name.as_str()), ("Ada", "Lovelace"));
/// ```
pub trait Migrator {
    /// The versions, in any order.
    const VERSIONS: &'static [SchemaVersion];
}

/// Whether stored items of `M` pass through a migrator when loaded.
pub fn enabled<M: Model>() -> bool {
    M::POLICIES.migrator.is_some()
}

/// Brings a stored item of `M` up to the model's current form before it is
/// decoded: its migrator's steps (`#[dynamodb(migrator = ...)]`), or the item
/// unchanged for a model without one.
pub fn apply<M: Model>(item: Item) -> Result<Item, Error> {
    match M::POLICIES.migrator {
        Some(migrate) => migrate(item),
        None => Ok(item),
    }
}

/// Brings `item` to the newest version of `G`: the migrator the derive puts
/// in [`Policies::migrator`](crate::model::Policies::migrator) for
/// `#[dynamodb(migrator = G)]`.
pub fn migrate<M: Model, G: Migrator>(mut item: Item) -> Result<Item, Error> {
    let mut versions: Vec<&SchemaVersion> = G::VERSIONS.iter().collect();
    versions.sort_by_key(|v| v.number);
    let stored = versions
        .iter()
        .rev()
        .find(|v| v.check.is_some_and(|check| check(&item)))
        .map(|v| v.number)
        .ok_or_else(|| Error::UnknownSchemaVersion {
            model: M::SCHEMA.model,
            key: crate::model::item_key::<M>(&item),
        })?;
    for version in versions.iter().filter(|v| v.number > stored) {
        if let Some(step) = version.migrate {
            step(&mut item).map_err(|source| Error::Migration {
                model: M::SCHEMA.model,
                key: crate::model::item_key::<M>(&item),
                version: version.number,
                source,
            })?;
        }
    }
    Ok(item)
}
