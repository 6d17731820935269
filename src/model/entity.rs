//! Entities sharing a table: each item stores its entity's name, which
//! reads check, and queries and scans of one entity keep to its items.

use super::{Model, Projection};
use crate::attribute::{
    AttributeAccess, AttributeValue, ItemAccess, ValueError, ValueErrorKind, ValueRef,
};
use crate::error::AttributeError;
use crate::expression::{Comparison, Condition, Path};

/// An entity's name and the attribute it is stored under, beside its keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntityDefinition {
    /// The stored name, `"Order"`.
    pub name: &'static str,
    /// The attribute that holds it.
    pub attribute: &'static str,
}

impl EntityDefinition {
    /// Whether a stored item is of this entity.
    pub fn holds<I: ItemAccess>(&self, item: &I) -> bool {
        matches!(item.attribute(self.attribute).map(AttributeAccess::access), Some(ValueRef::S(name)) if name == self.name)
    }

    /// The entity name an item stores (its text shortened, if it is no
    /// string), for errors.
    pub fn stored_name<I: ItemAccess>(&self, item: &I) -> Option<String> {
        let value = item.attribute(self.attribute)?;
        Some(match value.access() {
            ValueRef::S(name) => name.to_owned(),
            _ => value.to_attribute_value().preview(),
        })
    }

    /// Refuses an item of another entity (or of none): decoding it as this
    /// one would make up a struct from another's attributes.
    pub fn check<I: ItemAccess>(
        &self,
        model: &'static str,
        item: &I,
    ) -> Result<(), AttributeError> {
        if self.holds(item) {
            return Ok(());
        }
        let found = self.stored_name(item);
        let kind = ValueErrorKind::WrongEntity {
            expected: self.name,
            found,
        };
        Err(AttributeError::new(
            model,
            self.attribute,
            ValueError::new(kind),
        ))
    }
}

/// The condition that keeps a query or scan of an entity to its own items
/// (other entities share its table, its partitions and overloaded indexes).
/// `None` for a model that is no entity, and on an index that does not hold
/// the entity attribute (keys only, or `include` without it), where
/// DynamoDB could not tell the entities apart.
pub fn only_this_entity<M: Model>(index: Option<&str>) -> Option<Condition> {
    let entities = M::SCHEMA.entities;
    let entity = entities.first()?;
    if let Some(index) = index.and_then(|name| M::SCHEMA.index(name)) {
        match index.projection {
            Projection::All => {}
            Projection::KeysOnly => return None,
            Projection::Include(names) if !names.contains(&entity.attribute) => return None,
            Projection::Include(_) => {}
        }
    }
    own_entity::<M>()
}

/// The item stores the model's entity name (one of a polymorphic model's).
pub fn own_entity<M: Model>() -> Option<Condition> {
    let entities = M::SCHEMA.entities;
    let path = Path::attribute(entities.first()?.attribute);
    let name = |e: &EntityDefinition| AttributeValue::S(e.name.to_owned());
    Some(match entities {
        [one] => Condition::Compare(path, Comparison::Eq, name(one)),
        several => Condition::In(path, several.iter().map(name).collect()),
    })
}

/// The key condition that keeps a query under one partition to the
/// entity's sort keys: `begins_with(sk, "ORDER#")`, the sort key template's
/// text before its first field. `None` when the sort key is not composed or
/// starts with a field.
pub fn sort_key_prefix<M: Model>(range_attribute: Option<&str>) -> Option<Condition> {
    let attribute = range_attribute?;
    let prefix = M::SCHEMA.composed_key(attribute)?.template.prefix();
    if prefix.is_empty() {
        return None;
    }
    Some(Condition::BeginsWith(
        Path::attribute(attribute),
        AttributeValue::S(prefix.to_owned()),
    ))
}

/// The condition of every write of an entity's item: no item has the key
/// yet, or it is of this entity (of one of a polymorphic model's), or of
/// none (an item stored before the model was an entity). A save or delete
/// never overwrites another entity's item (a guard item of a unique
/// attribute among them), whatever its fields render. It holds again after
/// the write itself, so repeating the write stays safe.
pub fn absent_or_own<M: Model>() -> Option<Condition> {
    let attribute = M::SCHEMA.entities.first()?.attribute;
    Some(Condition::Or(vec![
        Condition::NotExists(Path::attribute(M::SCHEMA.hash_key.attribute)),
        Condition::NotExists(Path::attribute(attribute)),
        own_entity::<M>()?,
    ]))
}
