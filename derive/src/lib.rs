//! Derive macros for [dynamodb-mapper](https://docs.rs/dynamodb-mapper):
//! `#[derive(Model)]` for a struct mapped to a table and `#[derive(Attribute)]`
//! for a struct stored as a nested map. See the main crate for the attributes
//! they take.

extern crate proc_macro;

mod attributes;
mod codegen;

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

/// Maps a struct to a DynamoDB table.
///
/// Struct attribute: `#[dynamodb(table = "name", hash_key = "field", range_key = "field")]`.
/// Field attributes: `rename = "stored"`, `default = expr`, `default_with = path`,
/// `bool_as_number`, `json`, `with = path`, `skip`.
#[proc_macro_derive(Model, attributes(dynamodb))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    codegen::model(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Stores a struct as a DynamoDB map (`M`), for use as a field of a model.
///
/// Field attributes as for `Model`.
#[proc_macro_derive(Attribute, attributes(dynamodb))]
pub fn derive_attribute(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    codegen::nested(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
