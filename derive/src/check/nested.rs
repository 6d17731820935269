//! The rules of `#[derive(Attribute)]`: a struct stored as a map inside a
//! model takes no struct options, and no field option that only a model's
//! own attributes can honour.

use super::fields::{refuse_flag, shape};
use super::Nested;
use crate::ctxt::Ctxt;
use crate::parse::Container;

/// Checks a nested struct; `None` when anything was wrong (all of it in `cx`).
pub fn nested<'a>(cx: &Ctxt, container: &Container<'a>) -> Option<Nested<'a>> {
    for (name, span) in &container.options.given {
        cx.error_at(
            *span,
            format!("`{name}` is an option of `#[derive(Model)]`: a `#[derive(Attribute)]` struct takes no struct options"),
        );
    }
    refuse_flag(
        cx,
        container,
        |o| o.auto_increment.span(),
        "`auto_increment` belongs on the hash key field of a model, not on a field of a `#[derive(Attribute)]` struct",
    );
    refuse_flag(
        cx,
        container,
        |o| o.unique.span(),
        "`unique` belongs on a field of an entity model (one with key templates), not on a field of a `#[derive(Attribute)]` struct",
    );
    refuse_flag(
        cx,
        container,
        |o| o.version.span(),
        "`version` belongs on a field of a model, not on a field of a `#[derive(Attribute)]` struct",
    );
    // The redaction of errors and of `Document` output works on a model's
    // top-level attributes (`ModelSchema::sensitive`), which cannot name a
    // path inside a map: refused rather than silently ignored.
    refuse_flag(
        cx,
        container,
        |o| o.sensitive.span(),
        "`sensitive` cannot be honoured on a field of a `#[derive(Attribute)]` struct (only a model's own attributes are redacted): mark the model's field that holds this struct `#[dynamodb(sensitive)]`, and wrap this value in `Secret<T>` to keep it out of `Debug`",
    );
    refuse_flag(
        cx,
        container,
        |o| o.native.span(),
        "`native` has no effect in a `#[derive(Attribute)]` struct: its fields are always stored in their native form inside the map",
    );
    let shape = shape(cx, container);
    if !cx.is_clean() {
        return None;
    }
    Some(Nested { shape })
}
