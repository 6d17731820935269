//! Derive macros for [dynamodb-mapper](https://docs.rs/dynamodb-mapper):
//! `#[derive(Model)]` for a struct mapped to a table and `#[derive(Attribute)]`
//! for a struct stored as a nested map. Their reference (every option, with
//! examples) is on the main crate's re-exports:
//! [`dynamodb_mapper::Model`](https://docs.rs/dynamodb-mapper/latest/dynamodb_mapper/derive.Model.html)
//! and
//! [`dynamodb_mapper::Attribute`](https://docs.rs/dynamodb-mapper/latest/dynamodb_mapper/derive.Attribute.html).
//!
//! Each derive runs in three phases, like serde_derive's:
//! 1. `parse`: the input as a typed description of the struct, its fields
//!    and their options, as written (unknown and repeated options are
//!    errors);
//! 2. `check`: every rule about the options, all mistakes collected in one
//!    `ctxt::Ctxt` and reported together; what passes is a checked
//!    description;
//! 3. `emit`: the generated code, from the checked description only. It
//!    reaches the main crate only through `::dynamodb_mapper::__private`.

extern crate proc_macro;

mod check;
mod ctxt;
mod emit;
mod parse;
#[cfg(test)]
mod tests;

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

use ctxt::Ctxt;
use parse::Container;

/// Maps a struct to a DynamoDB table: implements `Model`, `Default` when a
/// field declares a default, and typed handles (`Name::fields()`,
/// `Name::indexes()`).
///
/// Every struct, field and index option is listed, with examples, on
/// [`dynamodb_mapper::Model`](https://docs.rs/dynamodb-mapper/latest/dynamodb_mapper/derive.Model.html).
#[proc_macro_derive(Model, attributes(dynamodb))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand_model(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Stores a struct as a DynamoDB map (`M`), for use as a field of a model:
/// implements `Attribute` and `AttributeNames` (so it can be a projection).
///
/// Every field option is listed, with examples, on
/// [`dynamodb_mapper::Attribute`](https://docs.rs/dynamodb-mapper/latest/dynamodb_mapper/derive.Attribute.html).
#[proc_macro_derive(Attribute, attributes(dynamodb))]
pub fn derive_attribute(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand_attribute(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Reads the entities that share a partition as one enum: implements
/// `Collection` for an enum whose variants each hold one entity model, and
/// checks when the crate compiles that they share the table, the partition
/// key template and the entity attribute.
///
/// See [`dynamodb_mapper::Collection`](https://docs.rs/dynamodb-mapper/latest/dynamodb_mapper/derive.Collection.html).
#[proc_macro_derive(Collection, attributes(dynamodb))]
pub fn derive_collection(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    let cx = Ctxt::new();
    let variants = parse::Variants::parse(&cx, &input, "a collection", true)
        .and_then(|parsed| check::variants(&cx, parsed));
    match (cx.check(), variants) {
        (Ok(()), Some(variants)) => emit::collection(&variants).into(),
        (Err(error), _) => error.into_compile_error().into(),
        (Ok(()), None) => TokenStream::new(),
    }
}

/// `#[derive(Model)]`: parse, check, emit.
fn expand_model(input: &DeriveInput) -> syn::Result<proc_macro2::TokenStream> {
    let cx = Ctxt::new();
    if let syn::Data::Enum(_) = input.data {
        let variants = parse::Variants::parse(&cx, input, "a polymorphic model", false)
            .and_then(|parsed| check::variants(&cx, parsed));
        cx.check()?;
        return Ok(variants.map(|v| emit::polymorphic(&v)).unwrap_or_default());
    }
    let model = Container::parse(&cx, input).and_then(|c| check::model(&cx, &c));
    cx.check()?;
    Ok(emit::model(&model.expect("a clean check gives a model")))
}

/// `#[derive(Attribute)]`: parse, check, emit.
fn expand_attribute(input: &DeriveInput) -> syn::Result<proc_macro2::TokenStream> {
    let cx = Ctxt::new();
    let nested = Container::parse(&cx, input).and_then(|c| check::nested(&cx, &c));
    cx.check()?;
    Ok(emit::nested(&nested.expect("a clean check gives a struct")))
}
