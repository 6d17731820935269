//! Rules every field follows, whichever derive: options that contradict
//! each other or would have no effect, and stored names given twice.

use std::collections::HashMap;

use proc_macro2::Span;

use super::{Codec, Field, FieldDefault, Shape};
use crate::ctxt::Ctxt;
use crate::parse::{self, Container, FieldOptions};

/// The checked fields of a struct.
pub fn shape<'a>(cx: &Ctxt, container: &Container<'a>) -> Shape<'a> {
    let fields: Vec<Field<'a>> = container.fields.iter().map(|f| field(cx, f)).collect();
    stored_names_once(cx, &fields);
    Shape {
        ident: container.ident,
        vis: container.vis,
        generics: container.generics,
        fields,
    }
}

/// One field's checked form (the derive-specific options, such as
/// `version`, are checked by each derive).
fn field<'a>(cx: &Ctxt, field: &parse::Field<'a>) -> Field<'a> {
    let options = &field.options;
    let skip = options.skip.is_set();
    if skip {
        skip_has_no_company(cx, options);
    }
    let stored_name = match options.rename.get() {
        Some(name) if name.value().is_empty() => {
            cx.error_spanned_by(name, "an attribute name cannot be empty");
            String::new()
        }
        Some(name) => name.value(),
        None => field.ident.to_string().trim_start_matches("r#").to_owned(),
    };
    let codec = codec(cx, options);
    if let (Some(_), Some(span)) = (options.default.get(), options.default_with.span()) {
        cx.error_at(span, "give either `default` or `default_with`, not both");
    }
    let default = match (options.default.get(), options.default_with.get()) {
        (Some(expr), _) => FieldDefault::Expr(expr.clone()),
        (None, Some(path)) => FieldDefault::With(path.clone()),
        (None, None) => FieldDefault::Neutral,
    };
    Field {
        ident: field.ident,
        ty: field.ty,
        stored_name,
        codec,
        skip,
        default,
        sensitive: options.sensitive.is_set(),
    }
}

/// `skip` with an option that only matters for a stored field (`version`
/// and `auto_increment` are the model's rules).
fn skip_has_no_company(cx: &Ctxt, options: &FieldOptions) {
    let stored_only = [
        (options.rename.name(), options.rename.span()),
        (options.sensitive.name(), options.sensitive.span()),
    ];
    let codecs = options.codecs_given();
    let pointless = stored_only
        .into_iter()
        .filter_map(|(name, span)| span.map(|span| (name, span)))
        .chain(codecs);
    for (name, span) in pointless {
        cx.error_at(
            span,
            format!("`skip` leaves this field unstored, so `{name}` would have no effect"),
        );
    }
}

/// The one conversion a field may name.
fn codec(cx: &Ctxt, options: &FieldOptions) -> Codec {
    let given = options.codecs_given();
    for (_, span) in given.iter().skip(1) {
        cx.error_at(
            *span,
            "only one of `json`, `serde`, `epoch_seconds`, `bool_as_number`, `with` and `native` may be given",
        );
    }
    match given.first().map(|(name, _)| *name) {
        None => Codec::Attribute,
        Some("json") => Codec::Json,
        Some("serde") => Codec::Serde,
        Some("epoch_seconds") => Codec::EpochSeconds,
        Some("bool_as_number") => Codec::BoolAsNumber,
        Some("native") => Codec::Native,
        Some(_) => Codec::With(options.with.get().expect("`with` was given").clone()),
    }
}

/// Two stored fields under one attribute name would overwrite each other.
fn stored_names_once(cx: &Ctxt, fields: &[Field]) {
    let mut seen: HashMap<&str, &syn::Ident> = HashMap::new();
    for field in fields
        .iter()
        .filter(|f| !f.skip && !f.stored_name.is_empty())
    {
        if let Some(first) = seen.insert(&field.stored_name, field.ident) {
            cx.error_spanned_by(
                field.ident,
                format!(
                    "field `{first}` is already stored as `{}`: give one of them another `rename`",
                    field.stored_name
                ),
            );
            seen.insert(&field.stored_name, first);
        }
    }
}

/// Errors for each field that gives `option` where it has no meaning.
pub fn refuse_flag(
    cx: &Ctxt,
    container: &Container,
    option: impl Fn(&FieldOptions) -> Option<Span>,
    message: &str,
) {
    for field in &container.fields {
        if let Some(span) = option(&field.options) {
            cx.error_at(span, message);
        }
    }
}
