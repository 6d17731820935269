//! Composed keys in partial updates: an update never lets a composed key
//! drift from the fields it is made of, and never turns an item into
//! another entity.

use crate::attribute::{AttributeValue, Item};
use crate::error::Error;
use crate::expression::{Condition, Path, SetValue, UpdateAction};
use crate::model::{ComposedKey, Model, ModelSchema};

/// Adds the actions that keep composed index keys in step with the fields
/// the update sets, or refuses the update: it may not set a composed
/// attribute itself, change a field of the primary key (that is another
/// item), or change some fields of an index key without the others (the
/// key would keep a stale value; the update knows only what it sets).
pub(super) fn keep_in_step<M: Model>(
    key: &Item,
    actions: &mut Vec<UpdateAction>,
) -> Result<(), Error> {
    let schema = M::SCHEMA;
    if schema.composed.is_empty() && schema.entities.is_empty() {
        return Ok(());
    }
    let refuse = |reason: String| Error::InvalidRequest {
        model: schema.model,
        reason,
    };
    let view = UpdateView::of(&schema, key, actions)?;
    if let Some(entity) = schema.entities.first() {
        if view.touches(entity.attribute) {
            return Err(refuse(format!(
                "`{}` holds the entity name: an update cannot change it",
                entity.attribute
            )));
        }
    }
    let mut added = Vec::new();
    for composed in schema.composed {
        added.extend(step(&schema, composed, &view)?);
    }
    // An upsert stores the primary key's fields too, so that the new item
    // reads back with them (an existing item holds them already).
    for (field, value) in view.key_fields {
        if !value.is_empty_value() {
            added.push(UpdateAction::Set(
                Path::attribute(field),
                SetValue::IfNotExists(value),
            ));
        }
    }
    actions.extend(added);
    Ok(())
}

/// What an update does, as composed keys see it.
struct UpdateView {
    /// Every top-level attribute an action touches.
    touched: Vec<String>,
    /// Those given a whole value or removed, and the primary key's fields.
    known: Vec<String>,
    /// The whole values, with the primary key's fields (known from the key).
    values: Item,
    key_fields: Item,
}

impl UpdateView {
    fn of(schema: &ModelSchema, key: &Item, actions: &[UpdateAction]) -> Result<Self, Error> {
        let mut key_fields = Item::default();
        for (attribute, value) in key {
            if let Some(composed) = schema.composed_key(attribute) {
                key_fields.extend((composed.parse)(value)?);
            }
        }
        let mut view = UpdateView {
            touched: Vec::new(),
            known: key_fields.keys().cloned().collect(),
            values: key_fields.clone(),
            key_fields,
        };
        for action in actions {
            let Some((name, whole)) = action.path().top_attribute() else {
                continue;
            };
            view.touched.push(name.to_owned());
            match action {
                UpdateAction::Set(_, SetValue::Value(value)) if whole => {
                    view.known.push(name.to_owned());
                    view.values.insert(name.to_owned(), value.clone());
                }
                UpdateAction::Remove(_) if whole => view.known.push(name.to_owned()),
                _ => {}
            }
        }
        Ok(view)
    }

    fn touches(&self, attribute: &str) -> bool {
        self.touched.iter().any(|t| t == attribute)
    }

    fn knows(&self, attribute: &str) -> bool {
        self.known.iter().any(|k| k == attribute)
    }
}

/// The action that keeps one composed key in step with the update (none
/// when the update leaves it be), or why the update is refused.
fn step(
    schema: &ModelSchema,
    composed: &ComposedKey,
    view: &UpdateView,
) -> Result<Option<UpdateAction>, Error> {
    let attribute = composed.template.attribute;
    let template = template_text(composed);
    let refuse = |reason: String| Error::InvalidRequest {
        model: schema.model,
        reason,
    };
    if view.touches(attribute) {
        return Err(refuse(format!(
            "`{attribute}` is composed from fields ({template}): update the fields, not the key"
        )));
    }
    let path = Path::attribute(attribute);
    let render = || (composed.render)(&view.values);
    let Some(changed) = composed.template.fields().find(|f| view.touches(f)) else {
        // Untouched: an upsert gives a new item the index keys its primary
        // key's fields (and the values set) make; an existing item keeps
        // its own.
        let complete = composed.template.fields().all(|f| view.knows(f));
        if is_primary(schema, attribute) || !complete {
            return Ok(None);
        }
        return Ok(render()?.map(|value| UpdateAction::Set(path, SetValue::IfNotExists(value))));
    };
    if is_primary(schema, attribute) {
        return Err(refuse(format!(
            "`{changed}` is part of the primary key `{attribute}` ({template}): a new value names another item; save the object under its new key and delete the old one"
        )));
    }
    let missing: Vec<&str> = composed
        .template
        .fields()
        .filter(|f| !view.knows(f))
        .collect();
    if !missing.is_empty() {
        return Err(refuse(format!(
            "the update changes `{changed}`, which the index key `{attribute}` ({template}) is composed of: set or remove `{}` in the same update, or the index key would keep a stale value",
            missing.join("`, `")
        )));
    }
    Ok(Some(match render()? {
        Some(value) => UpdateAction::Set(path, SetValue::Value(value)),
        None => UpdateAction::Remove(path),
    }))
}

/// For an entity: the update stores the entity name, and applies only to
/// a missing item or one of this entity (an upsert then creates an item
/// that reads back as this entity, and never renames another's). For a
/// polymorphic model, which cannot tell which variant a new item would be:
/// only to an item of one of its variants.
pub(super) fn entity_guard<M: Model>() -> Option<(Option<UpdateAction>, Condition)> {
    Some(match M::SCHEMA.entities {
        [entity] => (
            Some(UpdateAction::Set(
                Path::attribute(entity.attribute),
                SetValue::Value(AttributeValue::S(entity.name.to_owned())),
            )),
            crate::model::entity::absent_or_own::<M>()?,
        ),
        _ => (None, crate::model::entity::own_entity::<M>()?),
    })
}

fn is_primary(schema: &ModelSchema, attribute: &str) -> bool {
    schema.hash_key.attribute == attribute
        || schema.range_key.is_some_and(|r| r.attribute == attribute)
}

/// The template as written, `STATUS#{status}`.
fn template_text(key: &ComposedKey) -> String {
    key.template
        .parts
        .iter()
        .map(|part| match part {
            crate::model::TemplatePart::Literal(text) => (*text).to_owned(),
            crate::model::TemplatePart::Field(name) => format!("{{{name}}}"),
        })
        .collect()
}
