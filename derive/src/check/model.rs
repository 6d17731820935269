//! The rules of `#[derive(Model)]`: a table, keys naming fields that can be
//! keys, and the model-only options (`auto_increment`, `version`, `ttl`).

use proc_macro2::Span;
use syn::LitStr;

use super::fields::shape;
use super::indexes::{handles_once, indexes};
use super::vector_indexes::vector_indexes;
use super::{templates, Codec, Composed, Format, KeySource, Model, Shape};
use crate::ctxt::Ctxt;
use crate::parse::Container;

/// Checks a model; `None` when anything was wrong (all of it in `cx`).
pub fn model<'a>(cx: &Ctxt, container: &Container<'a>) -> Option<Model<'a>> {
    let mut shape = shape(cx, container);
    let options = &container.options;
    let table = table(cx, options.table.get());
    let entity_keys = templates::entity_keys(cx, options, &shape);
    let (hash, range, entity) = match entity_keys {
        Some(keys) => (keys.hash, keys.range, Some(keys.entity)),
        None => {
            let (hash, range) = field_keys(cx, container, &shape);
            (hash, range, None)
        }
    };
    let hash_field = match &hash {
        Some(KeySource::Field(position)) => Some(*position),
        _ => None,
    };
    let range_name = options.range_key.get();
    let auto_increment = auto_increment(cx, container, hash_field, range_name);
    // Fields a primary key is made of: a version there would move the item.
    let key_fields: Vec<usize> = [hash.as_ref(), range.as_ref()]
        .into_iter()
        .flatten()
        .flat_map(source_fields)
        .collect();
    let version = version(cx, container, &shape, &key_fields);
    let unique = unique(cx, container, &shape, &key_fields, entity.is_some());
    let ttl = options.ttl.get().and_then(|name| ttl(cx, &shape, name));
    let indexes = indexes(cx, &options.indexes, &shape, hash.as_ref(), range.is_some());
    let vector_indexes = vector_indexes(cx, &options.vector_indexes, &shape);
    handles_once(
        cx,
        indexes
            .iter()
            .map(|i| (&i.name, &i.handle))
            .chain(vector_indexes.iter().map(|i| (&i.name, &i.handle))),
    );
    version_outside_index_keys(cx, &shape, version, &indexes);
    let format = options.format.get().copied().unwrap_or(Format::Native);
    // Keys, the fields of composed keys, the version and the time to live
    // are stored by their own type (numbers, strings, datetimes: the
    // original's form too).
    let index_keys = indexes
        .iter()
        .flat_map(|i| [Some(&i.hash), i.range.as_ref()])
        .flatten();
    let own_type: Vec<usize> = [hash.as_ref(), range.as_ref()]
        .into_iter()
        .flatten()
        .chain(index_keys)
        .flat_map(source_fields)
        .chain(
            indexes
                .iter()
                .flat_map(|i| i.more_hash.iter().chain(&i.more_range).copied()),
        )
        .chain(vector_indexes.iter().flat_map(|i| {
            std::iter::once(i.vector)
                .chain(i.partition)
                .chain(i.filters.iter().copied())
        }))
        .chain([version, ttl].into_iter().flatten())
        .chain(unique.iter().copied())
        .collect();
    apply_format(cx, &mut shape, format, &own_type);
    let (Some(table), Some(hash)) = (table, hash) else {
        return None;
    };
    if !cx.is_clean() {
        return None;
    }
    let model = Model {
        shape,
        table,
        hash,
        range,
        entity,
        auto_increment,
        unique,
        version,
        migrator: options.migrator.get().cloned(),
        ttl,
        stream: options.stream.get().copied(),
        indexes,
        vector_indexes,
    };
    let composed: Vec<&Composed> = model.composed().collect();
    templates::attributes_once(cx, &model.shape, &composed, model.entity.as_ref());
    templates::type_names_once(cx, &composed);
    if !model.shape.generics.params.is_empty() && !composed.is_empty() {
        cx.error_spanned_by(
            model.shape.generics,
            "a model with key templates cannot be generic (its key types are generated beside it)",
        );
    }
    cx.is_clean().then_some(model)
}

/// A version in an index key would move the item in the index on every
/// write, and an update bumps it without knowing it.
fn version_outside_index_keys(
    cx: &Ctxt,
    shape: &Shape,
    version: Option<usize>,
    indexes: &[super::Index],
) {
    let Some(version) = version else {
        return;
    };
    let in_index_key = indexes
        .iter()
        .flat_map(|i| [Some(&i.hash), i.range.as_ref()])
        .flatten()
        .any(|source| {
            matches!(source, KeySource::Composed(_)) && source_fields(source).contains(&version)
        });
    if in_index_key {
        cx.error_spanned_by(
            shape.fields[version].ident,
            "the `version` field cannot be in a key template: every write changes it",
        );
    }
}

/// The fields a key attribute's value comes from.
fn source_fields(source: &KeySource) -> Vec<usize> {
    match source {
        KeySource::Field(position) => vec![*position],
        KeySource::Composed(composed) => composed.fields().collect(),
    }
}

/// `hash_key = ".."` and `range_key = ".."`: keys that are fields.
fn field_keys(
    cx: &Ctxt,
    container: &Container,
    shape: &Shape,
) -> (Option<KeySource>, Option<KeySource>) {
    let options = &container.options;
    let hash = match options.hash_key.get() {
        Some(name) => key(cx, container, shape, name, "hash_key"),
        None => {
            cx.error_at(
                Span::call_site(),
                "a model needs a hash key: add #[dynamodb(hash_key = \"field\")], or key templates for an entity sharing a table (`pk = \"CUSTOMER#{id}\"`)",
            );
            None
        }
    };
    let range_name = options.range_key.get();
    let range = range_name.and_then(|name| key(cx, container, shape, name, "range_key"));
    if range.is_some() && range == hash {
        cx.error_spanned_by(
            range_name,
            "the range key must be another field than the hash key",
        );
    }
    (hash.map(KeySource::Field), range.map(KeySource::Field))
}

fn table(cx: &Ctxt, table: Option<&LitStr>) -> Option<LitStr> {
    let Some(table) = table else {
        cx.error_at(
            Span::call_site(),
            "a model needs a table: add #[dynamodb(table = \"...\")]",
        );
        return None;
    };
    if table.value().len() < 3 {
        cx.error_spanned_by(table, "DynamoDB table names have at least 3 characters");
    }
    Some(table.clone())
}

/// The position of a field named by struct option `role`, if there is one.
pub fn find(cx: &Ctxt, shape: &Shape, name: &LitStr, role: &str) -> Option<usize> {
    let found = shape
        .fields
        .iter()
        .position(|f| f.ident == name.value().as_str());
    if found.is_none() {
        cx.error_spanned_by(
            name,
            format!("{role} `{}` names no field of this struct", name.value()),
        );
    }
    found
}

/// A primary key field: stored by its own type, and not sensitive.
fn key(
    cx: &Ctxt,
    container: &Container,
    shape: &Shape,
    name: &LitStr,
    role: &str,
) -> Option<usize> {
    let position = find(cx, shape, name, role)?;
    let field = &shape.fields[position];
    if field.skip || !matches!(field.codec, Codec::Attribute) {
        cx.error_spanned_by(
            field.ident,
            format!("the {role} field is stored by its own type: it cannot use `skip`, `json`, `serde`, `epoch_seconds`, `bool_as_number`, `with` or `native`; for a key stored as JSON text (the original's JSON-list keys), declare its type `Json<T>`"),
        );
    }
    if let Some(span) = container.fields[position].options.sensitive.span() {
        cx.error_at(
            span,
            "a key cannot be `sensitive`: key values name the item in errors (conflicts, batch leftovers, migrations)",
        );
    }
    Some(position)
}

/// Whether the hash key is `auto_increment`; the option on any other field
/// is an error, and so is a range key beside it.
fn auto_increment(
    cx: &Ctxt,
    container: &Container,
    hash: Option<usize>,
    range_name: Option<&LitStr>,
) -> bool {
    for (position, field) in container.fields.iter().enumerate() {
        if field.options.auto_increment.is_set() && Some(position) != hash {
            cx.error_spanned_by(
                field.ident,
                "`auto_increment` belongs on the hash key field",
            );
        }
    }
    let Some(hash) = hash else {
        return false;
    };
    let on_hash = container.fields[hash].options.auto_increment.is_set();
    if on_hash && range_name.is_some() {
        cx.error_spanned_by(
            range_name,
            "an auto_increment hash key cannot be combined with a range key: the counter item lives at hash key -1 of a hash-only table",
        );
    }
    on_hash
}

/// The one `version` field: a plain attribute outside the key.
fn version(cx: &Ctxt, container: &Container, shape: &Shape, keys: &[usize]) -> Option<usize> {
    let mut versions = container
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.options.version.is_set())
        .map(|(position, _)| position);
    let first = versions.next()?;
    for second in versions {
        cx.error_spanned_by(
            shape.fields[second].ident,
            "a model has at most one `version` field",
        );
    }
    let field = &shape.fields[first];
    if keys.contains(&first) || field.skip || !matches!(field.codec, Codec::Attribute) {
        cx.error_spanned_by(
            field.ident,
            "the `version` field must be a plain non-key attribute (no `skip`, `json`, `serde`, `epoch_seconds`, `bool_as_number`, `with` or `native`)",
        );
    }
    Some(first)
}

/// The `unique` fields: stored by their own type, outside the primary key,
/// on an entity (its guard items share the table under keys of their own).
fn unique(
    cx: &Ctxt,
    container: &Container,
    shape: &Shape,
    key_fields: &[usize],
    is_entity: bool,
) -> Vec<usize> {
    let mut unique = Vec::new();
    for (position, field) in container.fields.iter().enumerate() {
        let Some(span) = field.options.unique.span() else {
            continue;
        };
        let checked = &shape.fields[position];
        if !is_entity {
            cx.error_at(span, "`unique` needs an entity (a model with key templates, `pk = \"..\"`): its guard items share the table under keys of their own");
        } else if key_fields.contains(&position) {
            cx.error_at(
                span,
                "a primary key field is unique already: `unique` is for the other fields",
            );
        } else if checked.skip || !matches!(checked.codec, Codec::Attribute) {
            cx.error_at(span, "a `unique` field is stored by its own type: it cannot use `skip`, `json`, `serde`, `epoch_seconds`, `bool_as_number`, `with` or `native`");
        }
        unique.push(position);
    }
    unique
}

/// The time-to-live field: a stored one.
fn ttl(cx: &Ctxt, shape: &Shape, name: &LitStr) -> Option<usize> {
    let position = find(cx, shape, name, "ttl")?;
    if shape.fields[position].skip {
        cx.error_spanned_by(
            name,
            format!(
                "ttl `{}` names a `skip` field: time to live needs a stored attribute",
                name.value()
            ),
        );
    }
    Some(position)
}

/// Under `format = "python"`, every field without an option of its own
/// (and not stored by its own type, `own_type`) takes the original's form;
/// `native` only means something there.
fn apply_format(cx: &Ctxt, shape: &mut Shape, format: Format, own_type: &[usize]) {
    for (position, field) in shape.fields.iter_mut().enumerate() {
        match (&field.codec, format) {
            (Codec::Native, Format::Native) => cx.error_spanned_by(
                field.ident,
                "`native` has no effect: this model stores every field in its native form already (it overrides `format = \"python\"`)",
            ),
            (Codec::Native, Format::Python) if own_type.contains(&position) => cx.error_spanned_by(
                field.ident,
                "`native` has no effect: keys, the version and the time to live are always stored by their own type",
            ),
            (Codec::Attribute, Format::Python) if !own_type.contains(&position) => {
                field.codec = Codec::Python;
            }
            _ => {}
        }
    }
}
