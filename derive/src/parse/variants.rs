//! The enums of `#[derive(Collection)]` (entities sharing a partition) and
//! `#[derive(Model)]` on an enum (a polymorphic model: entities sharing a
//! primary key): one entity model per variant, `Order(Order)`.

use proc_macro2::Span;
use syn::{Data, DeriveInput, Fields, Ident, LitStr, Type};

use crate::ctxt::Ctxt;

/// An enum of entity models as written.
pub struct Variants<'a> {
    pub ident: &'a Ident,
    pub variants: Vec<(&'a Ident, &'a Type)>,
    /// `#[dynamodb(index = "..")]`: a collection of an index's partitions.
    pub index: Option<LitStr>,
}

impl<'a> Variants<'a> {
    /// The enum's variants; every one that does not hold exactly one type,
    /// and anything else that is not such an enum, is an error in `cx`.
    /// `what` names the derive's result in errors: "a collection"; only a
    /// collection takes an option (`index`).
    pub fn parse(cx: &Ctxt, input: &'a DeriveInput, what: &str, collection: bool) -> Option<Self> {
        let Data::Enum(data) = &input.data else {
            cx.error_at(
                Span::call_site(),
                format!(
                    "{what} is an enum whose variants each hold one entity model: `Order(Order)`"
                ),
            );
            return None;
        };
        if !input.generics.params.is_empty() {
            cx.error_spanned_by(&input.generics, format!("{what} cannot be generic"));
        }
        let mut index = None;
        for attr in input.attrs.iter().filter(|a| a.path().is_ident("dynamodb")) {
            let parsed = attr.parse_nested_meta(|meta| {
                if collection && meta.path.is_ident("index") && index.is_none() {
                    index = Some(meta.value()?.parse::<LitStr>()?);
                    return Ok(());
                }
                let allowed = if collection {
                    "its only option is `index = \"..\"` (once), for a collection of an index's partitions"
                } else {
                    "it takes no options: its variants' models declare the table and keys"
                };
                Err(meta.error(format!("not an option of {what}: {allowed}")))
            });
            if let Err(error) = parsed {
                cx.syn_error(error);
            }
        }
        let mut variants = Vec::new();
        for variant in &data.variants {
            match &variant.fields {
                Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                    variants.push((&variant.ident, &fields.unnamed[0].ty));
                }
                _ => cx.error_spanned_by(
                    variant,
                    format!(
                        "variant `{}` must hold one entity model: `{0}({0})`",
                        variant.ident
                    ),
                ),
            }
        }
        if data.variants.is_empty() {
            cx.error_at(
                Span::call_site(),
                format!("{what} needs at least one variant"),
            );
        }
        Some(Variants {
            ident: &input.ident,
            variants,
            index,
        })
    }
}
