//! The rules of secondary indexes: a name that makes a handle, keys naming
//! stored fields stored by their own type, one way to give the projection.

use std::collections::HashMap;

use quote::format_ident;
use syn::{Ident, LitStr};

use super::{templates, Codec, Index, KeySource, Projection, Shape};
use crate::ctxt::Ctxt;
use crate::parse::{Attr, IndexOptions, ProjectionKind};

/// The checked indexes; `hash` is the table's hash key, if it was found.
pub fn indexes(
    cx: &Ctxt,
    options: &[IndexOptions],
    shape: &Shape,
    hash: Option<&KeySource>,
    table_has_range: bool,
) -> Vec<Index> {
    let checked: Vec<Index> = options
        .iter()
        .filter_map(|index| check_index(cx, index, shape, hash, table_has_range))
        .collect();
    checked
}

fn check_index(
    cx: &Ctxt,
    index: &IndexOptions,
    shape: &Shape,
    table_hash: Option<&KeySource>,
    table_has_range: bool,
) -> Option<Index> {
    let name = index.name.get();
    if name.is_none() {
        cx.error_at(index.span, "an index needs a `name`");
    }
    let handle = name.and_then(|name| handle(cx, name));
    let key_type = |suffix: &str| {
        handle.as_ref().map(|handle| {
            format_ident!(
                "{}{}{suffix}",
                shape.ident,
                super::camel(&handle.to_string())
            )
        })
    };
    let hash = if index.global {
        index_key(cx, shape, index, Role::Hash, key_type("Pk"))
    } else {
        let given = [
            index.hash_key.span(),
            index.pk.span(),
            index.pk_attribute.span(),
        ];
        for span in given.into_iter().flatten() {
            cx.error_at(
                span,
                "a local index shares the table's hash key: give only its sort key (`range_key` or `sk`)",
            );
        }
        table_hash.cloned()
    };
    let range = index_key(cx, shape, index, Role::Range, key_type("Sk"));
    let more_hash = more_keys(cx, shape, index, Role::Hash);
    let more_range = more_keys(cx, shape, index, Role::Range);
    if !index.global {
        if !index.range_key.is_set() && !index.sk.is_set() {
            cx.error_at(
                index.span,
                "a local index needs a `range_key` or an `sk` template",
            );
        }
        if !table_has_range {
            let span = name.map_or(index.span, LitStr::span);
            cx.error_at(span, "a local index needs a table with a range key");
        }
    }
    let projection = projection_of(cx, shape, &index.projection, &index.include);
    Some(Index {
        name: name?.clone(),
        handle: handle?,
        global: index.global,
        hash: hash?,
        range,
        more_hash,
        more_range,
        projection: projection?,
    })
}

#[derive(Clone, Copy, PartialEq)]
enum Role {
    Hash,
    Range,
}

/// An index key: a field (`hash_key`, `range_key`) or a template (`pk`,
/// `sk`, stored under `pk_attribute`/`sk_attribute`, by default the index
/// name and `_pk`/`_sk`). `None` when it is missing or wrong; a missing
/// range key is no error.
fn index_key(
    cx: &Ctxt,
    shape: &Shape,
    index: &IndexOptions,
    role: Role,
    type_ident: Option<Ident>,
) -> Option<KeySource> {
    let (field, template, attribute, names) = match role {
        Role::Hash => (
            &index.hash_key,
            &index.pk,
            &index.pk_attribute,
            ["hash_key", "pk", "_pk"],
        ),
        Role::Range => (
            &index.range_key,
            &index.sk,
            &index.sk_attribute,
            ["range_key", "sk", "_sk"],
        ),
    };
    if let (Some(_), Some(span)) = (field.get(), template.span()) {
        cx.error_at(
            span,
            format!(
                "give the index's `{}` field or its `{}` template, not both",
                names[0], names[1]
            ),
        );
    }
    if let (None, Some(span)) = (template.get(), attribute.span()) {
        cx.error_at(
            span,
            format!(
                "`{}_attribute` names the attribute of a `{}` template: give the template too",
                names[1], names[1]
            ),
        );
    }
    if let Some(template) = template.get() {
        let default = format!(
            "{}{}",
            index.name.get().map(LitStr::value).unwrap_or_default(),
            names[2]
        );
        let attribute = templates::attribute_name(cx, attribute.get(), &default);
        return templates::composed(cx, shape, template, attribute, type_ident?, true)
            .map(KeySource::Composed);
    }
    if let Some(lit) = field.get().and_then(|fields| fields.first()) {
        return key_field(cx, shape, lit, names[0]).map(KeySource::Field);
    }
    if role == Role::Hash {
        cx.error_at(
            index.span,
            "a global index needs a `hash_key` field or a `pk` template",
        );
    }
    None
}

/// A multi-attribute key's fields after the first (`hash_key = ["team",
/// "region"]`): plain fields of key types, on a global index, four at most,
/// none named twice in the key.
fn more_keys(cx: &Ctxt, shape: &Shape, index: &IndexOptions, role: Role) -> Vec<usize> {
    let (given, option) = match role {
        Role::Hash => (&index.hash_key, "hash_key"),
        Role::Range => (&index.range_key, "range_key"),
    };
    let Some(fields) = given.get() else {
        return Vec::new();
    };
    if fields.is_empty() {
        cx.error_at(
            given.span().unwrap_or(index.span),
            format!("`{option} = []` names no field"),
        );
    }
    if fields.len() > 4 {
        cx.error_spanned_by(
            &fields[4],
            "a multi-attribute index key has at most four partition and four sort key attributes",
        );
    }
    if fields.len() > 1 && !index.global {
        cx.error_spanned_by(
            &fields[1],
            "a local index's sort key is one attribute: multi-attribute keys are for global indexes",
        );
    }
    if role == Role::Range {
        let hash = index.hash_key.get().into_iter().flatten();
        for (i, field) in fields.iter().enumerate() {
            let earlier = fields[..i].iter().chain(hash.clone());
            if earlier.clone().any(|f| f.value() == field.value()) {
                cx.error_spanned_by(
                    field,
                    format!("field `{}` is in this index's key twice", field.value()),
                );
            }
        }
    } else {
        for (i, field) in fields.iter().enumerate() {
            if fields[..i].iter().any(|f| f.value() == field.value()) {
                cx.error_spanned_by(
                    field,
                    format!("field `{}` is in this index's key twice", field.value()),
                );
            }
        }
    }
    fields
        .iter()
        .skip(1)
        .take(3)
        .filter_map(|field| key_field(cx, shape, field, option))
        .collect()
}

/// The handle's Rust name: the index name with `-` and `.` as `_`.
pub(super) fn handle(cx: &Ctxt, name: &LitStr) -> Option<Ident> {
    let text = name.value();
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    if !(3..=255).contains(&text.len()) || !text.chars().all(allowed) {
        cx.error_spanned_by(
            name,
            "DynamoDB index names have 3 to 255 characters: letters, digits, `_`, `-` and `.`",
        );
        return None;
    }
    let handle = text.replace(['-', '.'], "_");
    let parsed = syn::parse_str::<Ident>(&handle)
        .or_else(|_| syn::parse_str::<Ident>(&format!("r#{handle}")));
    match parsed {
        Ok(mut ident) => {
            ident.set_span(name.span());
            Some(ident)
        }
        Err(_) => {
            cx.error_spanned_by(
                name,
                format!("index name `{text}` makes no Rust name for its handle in `indexes()`: start it with a letter"),
            );
            None
        }
    }
}

/// A field an index keys on: stored, by its own type.
pub(super) fn key_field(cx: &Ctxt, shape: &Shape, name: &LitStr, role: &str) -> Option<usize> {
    let position = stored_field(cx, shape, name, role)?;
    if !matches!(shape.fields[position].codec, Codec::Attribute) {
        cx.error_spanned_by(
            name,
            format!("the index {role} field cannot use `json`, `serde`, `epoch_seconds`, `bool_as_number`, `with` or `native`: the index key's type is the field's type"),
        );
    }
    Some(position)
}

pub(super) fn stored_field(cx: &Ctxt, shape: &Shape, name: &LitStr, role: &str) -> Option<usize> {
    let found = shape
        .fields
        .iter()
        .position(|f| f.ident == name.value().as_str() && !f.skip);
    if found.is_none() {
        cx.error_spanned_by(
            name,
            format!(
                "{role} `{}` names no stored field of this struct",
                name.value()
            ),
        );
    }
    found
}

/// `projection = ".."` or `include = [..]` of an index.
pub(super) fn projection_of(
    cx: &Ctxt,
    shape: &Shape,
    projection: &Attr<ProjectionKind>,
    include: &Attr<Vec<LitStr>>,
) -> Option<Projection> {
    if let (Some(_), Some(span)) = (projection.get(), include.span()) {
        cx.error_at(span, "give either `projection` or `include`, not both");
    }
    if let Some(names) = include.get() {
        let stored: Vec<Option<String>> = names
            .iter()
            .map(|name| {
                stored_field(cx, shape, name, "include")
                    .map(|position| shape.fields[position].stored_name.clone())
            })
            .collect();
        return stored
            .into_iter()
            .collect::<Option<_>>()
            .map(Projection::Include);
    }
    Some(match projection.get() {
        None | Some(ProjectionKind::All) => Projection::All,
        Some(ProjectionKind::KeysOnly) => Projection::KeysOnly,
    })
}

/// Two indexes (secondary or vector) cannot share a name, nor a handle
/// (`by-game` and `by_game`).
pub(super) fn handles_once<'n>(
    cx: &Ctxt,
    indexes: impl IntoIterator<Item = (&'n LitStr, &'n Ident)>,
) {
    let mut seen: HashMap<String, &LitStr> = HashMap::new();
    for (name, handle) in indexes {
        let key = handle.to_string();
        match seen.get(&key) {
            Some(first) if first.value() == name.value() => {
                cx.error_spanned_by(name, format!("two indexes are called `{}`", name.value()))
            }
            Some(first) => cx.error_spanned_by(
                name,
                format!(
                    "indexes `{}` and `{}` get the same handle `{key}` in `indexes()`: rename one",
                    first.value(),
                    name.value()
                ),
            ),
            None => {
                seen.insert(key, name);
            }
        }
    }
}
