//! The rules of composed keys (entities sharing a table): templates naming
//! stored fields stored by their own type, attribute names that clash with
//! nothing, and the options that only mean something on an entity.

use proc_macro2::Span;
use quote::format_ident;
use syn::{Ident, LitStr};

use super::{Codec, Composed, ComposedPart, Entity, KeySource, Shape};
use crate::ctxt::Ctxt;
use crate::parse::{Part, StructOptions, Template};

/// The primary key of an entity (`pk = ".."`, optional `sk = ".."`) and its
/// entity name; `None` when the model keys on fields (`hash_key`).
pub fn entity_keys(cx: &Ctxt, options: &StructOptions, shape: &Shape) -> Option<EntityKeys> {
    let Some(pk) = options.pk.get() else {
        let only_with_pk = [
            options.entity.span(),
            options.sk.span(),
            options.pk_attribute.span(),
            options.sk_attribute.span(),
            options.entity_attribute.span(),
        ];
        for span in only_with_pk.into_iter().flatten() {
            cx.error_at(
                span,
                "this option belongs to an entity: give the key templates (`pk = \"..\"`, and `sk = \"..\"` for a sort key) instead of `hash_key`",
            );
        }
        return None;
    };
    for (given, name) in [
        (&options.hash_key, "hash_key"),
        (&options.range_key, "range_key"),
    ] {
        if let Some(span) = given.span() {
            cx.error_at(span, format!("an entity keys on its templates (`pk`, `sk`): `{name}` names a field key, give one or the other"));
        }
    }
    let model = shape.ident;
    let pk_attribute = attribute_name(cx, options.pk_attribute.get(), "pk");
    let hash = composed(
        cx,
        shape,
        pk,
        pk_attribute,
        format_ident!("{model}Pk"),
        false,
    );
    let range = options.sk.get().map(|sk| {
        let sk_attribute = attribute_name(cx, options.sk_attribute.get(), "sk");
        composed(
            cx,
            shape,
            sk,
            sk_attribute,
            format_ident!("{model}Sk"),
            false,
        )
    });
    if options.sk_attribute.is_set() && range.is_none() {
        cx.error_at(
            options.sk_attribute.span().unwrap_or_else(Span::call_site),
            "`sk_attribute` names the sort key's attribute: give the sort key's template `sk = \"..\"` too",
        );
    }
    let name = match options.entity.get() {
        Some(name) if name.value().is_empty() => {
            cx.error_spanned_by(name, "an entity name cannot be empty");
            String::new()
        }
        Some(name) => name.value(),
        None => model.to_string(),
    };
    if name == "UNIQUE" {
        cx.error_at(
            options.entity.span().unwrap_or_else(Span::call_site),
            "the entity name `UNIQUE` is the guard items' (unique attributes): choose another with `entity = \"..\"`",
        );
    }
    let attribute = attribute_name(cx, options.entity_attribute.get(), "entity");
    Some(EntityKeys {
        hash: hash.map(KeySource::Composed),
        range: range.flatten().map(KeySource::Composed),
        entity: Entity { name, attribute },
    })
}

/// An entity's keys (`None` where a template had a mistake) and name.
pub struct EntityKeys {
    pub hash: Option<KeySource>,
    pub range: Option<KeySource>,
    pub entity: Entity,
}

/// A stored attribute name given by an option, or its default.
pub fn attribute_name(cx: &Ctxt, given: Option<&LitStr>, default: &str) -> String {
    match given {
        Some(name) if name.value().is_empty() => {
            cx.error_spanned_by(name, "an attribute name cannot be empty");
            default.to_owned()
        }
        Some(name) => name.value(),
        None => default.to_owned(),
    }
}

/// A template's parts with its field names resolved to stored fields kept
/// by their own type. A `sparse` key (an index's) may use `Option` fields.
pub fn composed(
    cx: &Ctxt,
    shape: &Shape,
    template: &Template,
    attribute: String,
    type_ident: Ident,
    sparse: bool,
) -> Option<Composed> {
    let mut parts = Vec::new();
    let mut clean = true;
    for part in &template.parts {
        match part {
            Part::Literal(text) => parts.push(ComposedPart::Literal(text.clone())),
            Part::Field(name) => match template_field(cx, shape, &template.text, name) {
                Some(position)
                    if parts
                        .iter()
                        .any(|p| matches!(p, ComposedPart::Field(q) if *q == position)) =>
                {
                    cx.error_spanned_by(&template.text, format!("`{{{name}}}` appears twice in the key template: its value would be stored twice"));
                    clean = false;
                }
                Some(position) => parts.push(ComposedPart::Field(position)),
                None => clean = false,
            },
        }
    }
    clean.then_some(Composed {
        attribute,
        parts,
        type_ident,
        sparse,
    })
}

fn template_field(cx: &Ctxt, shape: &Shape, text: &LitStr, name: &str) -> Option<usize> {
    let Some(position) = shape
        .fields
        .iter()
        .position(|f| f.ident == name || f.ident == format!("r#{name}").as_str())
    else {
        cx.error_spanned_by(
            text,
            format!("key template field `{{{name}}}` names no field of this struct"),
        );
        return None;
    };
    let field = &shape.fields[position];
    if field.skip || !matches!(field.codec, Codec::Attribute) {
        cx.error_spanned_by(
            field.ident,
            format!("`{name}` is in a key template, so it is stored by its own type: it cannot use `skip`, `json`, `serde`, `epoch_seconds`, `bool_as_number`, `with` or `native`"),
        );
    }
    if field.sensitive {
        cx.error_spanned_by(
            field.ident,
            format!("`{name}` is in a key template and cannot be `sensitive`: key values name the item in errors"),
        );
    }
    Some(position)
}

/// No two stored attributes share a name: a composed key's attribute, the
/// entity attribute and the fields' attributes are all stored side by side.
pub fn attributes_once(cx: &Ctxt, shape: &Shape, composed: &[&Composed], entity: Option<&Entity>) {
    let mut taken: Vec<&str> = shape
        .stored()
        .map(|(_, f)| f.stored_name.as_str())
        .collect();
    let added = composed
        .iter()
        .map(|c| c.attribute.as_str())
        .chain(entity.map(|e| e.attribute.as_str()));
    for name in added {
        if taken.contains(&name) {
            cx.error_at(
                Span::call_site(),
                format!("two stored attributes are called `{name}` (a field, a composed key or the entity attribute): rename the field or set `pk_attribute`, `sk_attribute` or `entity_attribute`"),
            );
        }
        taken.push(name);
    }
}

/// No two composed keys make one generated type name (`gsi_1` and `gsi1`
/// both make `OrderGsi1Pk`).
pub fn type_names_once(cx: &Ctxt, composed: &[&Composed]) {
    for (i, key) in composed.iter().enumerate() {
        if composed[..i].iter().any(|k| k.type_ident == key.type_ident) {
            cx.error_at(
                key.type_ident.span(),
                format!("two keys of this model make the key type `{}` (index names that differ only by `_`, `-` or `.`): rename an index", key.type_ident),
            );
        }
    }
}
