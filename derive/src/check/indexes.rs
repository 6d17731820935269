//! The rules of secondary indexes: a name that makes a handle, keys naming
//! stored fields stored by their own type, one way to give the projection.

use std::collections::HashMap;

use syn::{Ident, LitStr};

use super::{Codec, Index, Projection, Shape};
use crate::ctxt::Ctxt;
use crate::parse::{IndexOptions, ProjectionKind};

/// The checked indexes; `hash` is the table's hash key, if it was found.
pub fn indexes(
    cx: &Ctxt,
    options: &[IndexOptions],
    shape: &Shape,
    hash: Option<usize>,
    table_has_range: bool,
) -> Vec<Index> {
    let checked: Vec<Index> = options
        .iter()
        .filter_map(|index| check_index(cx, index, shape, hash, table_has_range))
        .collect();
    handles_once(cx, &checked);
    checked
}

fn check_index(
    cx: &Ctxt,
    index: &IndexOptions,
    shape: &Shape,
    table_hash: Option<usize>,
    table_has_range: bool,
) -> Option<Index> {
    let name = index.name.get();
    if name.is_none() {
        cx.error_at(index.span, "an index needs a `name`");
    }
    let handle = name.and_then(|name| handle(cx, name));
    let hash = match (index.global, index.hash_key.get()) {
        (true, Some(lit)) => key_field(cx, shape, lit, "hash_key"),
        (true, None) => {
            cx.error_at(index.span, "a global index needs a `hash_key`");
            None
        }
        (false, given) => {
            if let Some(span) = given.and(index.hash_key.span()) {
                cx.error_at(
                    span,
                    "a local index shares the table's hash key: give only `range_key`",
                );
            }
            table_hash
        }
    };
    let range = index
        .range_key
        .get()
        .and_then(|lit| key_field(cx, shape, lit, "range_key"));
    if !index.global {
        if index.range_key.get().is_none() {
            cx.error_at(index.span, "a local index needs a `range_key`");
        }
        if !table_has_range {
            let span = name.map_or(index.span, LitStr::span);
            cx.error_at(span, "a local index needs a table with a range key");
        }
    }
    let projection = projection(cx, index, shape);
    Some(Index {
        name: name?.clone(),
        handle: handle?,
        global: index.global,
        hash: hash?,
        range,
        projection: projection?,
    })
}

/// The handle's Rust name: the index name with `-` and `.` as `_`.
fn handle(cx: &Ctxt, name: &LitStr) -> Option<Ident> {
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
fn key_field(cx: &Ctxt, shape: &Shape, name: &LitStr, role: &str) -> Option<usize> {
    let position = stored_field(cx, shape, name, role)?;
    if !matches!(shape.fields[position].codec, Codec::Attribute) {
        cx.error_spanned_by(
            name,
            format!("the index {role} field cannot use `json`, `epoch_seconds`, `bool_as_number`, `with` or `native`: the index key's type is the field's type"),
        );
    }
    Some(position)
}

fn stored_field(cx: &Ctxt, shape: &Shape, name: &LitStr, role: &str) -> Option<usize> {
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

fn projection(cx: &Ctxt, index: &IndexOptions, shape: &Shape) -> Option<Projection> {
    if let (Some(_), Some(span)) = (index.projection.get(), index.include.span()) {
        cx.error_at(span, "give either `projection` or `include`, not both");
    }
    if let Some(names) = index.include.get() {
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
    Some(match index.projection.get() {
        None | Some(ProjectionKind::All) => Projection::All,
        Some(ProjectionKind::KeysOnly) => Projection::KeysOnly,
    })
}

/// Two indexes cannot share a name, nor a handle (`by-game` and `by_game`).
fn handles_once(cx: &Ctxt, indexes: &[Index]) {
    let mut seen: HashMap<String, &LitStr> = HashMap::new();
    for index in indexes {
        let key = index.handle.to_string();
        match seen.get(&key) {
            Some(first) if first.value() == index.name.value() => cx.error_spanned_by(
                &index.name,
                format!("two indexes are called `{}`", index.name.value()),
            ),
            Some(first) => cx.error_spanned_by(
                &index.name,
                format!(
                    "indexes `{}` and `{}` get the same handle `{key}` in `indexes()`: rename one",
                    first.value(),
                    index.name.value()
                ),
            ),
            None => {
                seen.insert(key, &index.name);
            }
        }
    }
}
