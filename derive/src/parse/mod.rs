//! Phase 1, parse: the derive input as a typed description of the struct,
//! its fields and their options, as written. Unknown options, values that do
//! not parse and options given twice are recorded in the [`Ctxt`]; nothing is
//! validated against anything else yet (that is [`crate::check`]).

mod attr;
mod field_options;
mod struct_options;
mod template;
mod variants;

pub use attr::Attr;
pub use field_options::FieldOptions;
pub use struct_options::{
    Format, IndexOptions, ProjectionKind, StreamView, StructOptions, Template, VectorIndexOptions,
};
pub use template::Part;
pub use variants::Variants;
#[cfg(test)]
pub use {
    field_options::FIELD_OPTIONS,
    struct_options::{INDEX_OPTIONS, STRUCT_OPTIONS, VECTOR_INDEX_OPTIONS},
};

use proc_macro2::Span;
use syn::{Data, DeriveInput, Fields, Generics, Ident, Type, Visibility};

use crate::ctxt::Ctxt;

/// The struct a derive was applied to.
pub struct Container<'a> {
    pub ident: &'a Ident,
    pub vis: &'a Visibility,
    pub generics: &'a Generics,
    pub options: StructOptions,
    pub fields: Vec<Field<'a>>,
}

/// One named field.
pub struct Field<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    pub options: FieldOptions,
}

impl<'a> Container<'a> {
    /// The struct's description; `None` for enums, unions and structs without
    /// named fields (recorded as an error).
    pub fn parse(cx: &Ctxt, input: &'a DeriveInput) -> Option<Self> {
        let options = StructOptions::parse(cx, &input.attrs);
        let Data::Struct(data) = &input.data else {
            cx.error_at(
                Span::call_site(),
                "dynamodb-mapper derives work on structs with named fields",
            );
            return None;
        };
        let Fields::Named(named) = &data.fields else {
            cx.error_spanned_by(&data.fields, "dynamodb-mapper derives need named fields");
            return None;
        };
        let fields = named
            .named
            .iter()
            .map(|field| Field {
                ident: field.ident.as_ref().expect("named field"),
                ty: &field.ty,
                options: FieldOptions::parse(cx, &field.attrs),
            })
            .collect();
        Some(Container {
            ident: &input.ident,
            vis: &input.vis,
            generics: &input.generics,
            options,
            fields,
        })
    }
}
