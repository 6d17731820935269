//! Secondary indexes: schema definitions and `Name::indexes()`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{DeriveInput, LitStr};

use super::key_definition;
use crate::attributes::{FieldSpec, ModelOptions, Projection};

/// The index definitions for the schema, and `Name::indexes()` with a typed
/// handle per index.
pub(crate) fn indexes(
    input: &DeriveInput,
    options: &ModelOptions,
    fields: &[FieldSpec],
    hash: &FieldSpec,
    range: Option<&FieldSpec>,
) -> syn::Result<(Vec<TokenStream>, TokenStream)> {
    let name = &input.ident;
    let mut defs = Vec::new();
    let mut decls = Vec::new();
    let mut inits = Vec::new();
    let field_named = |lit: &LitStr, role: &str| -> syn::Result<&FieldSpec> {
        fields
            .iter()
            .find(|f| f.ident == lit.value().as_str() && !f.skip)
            .ok_or_else(|| {
                syn::Error::new_spanned(
                    lit,
                    format!(
                        "{role} `{}` names no stored field of this struct",
                        lit.value()
                    ),
                )
            })
    };
    for index in &options.indexes {
        if !index.global && range.is_none() {
            return Err(syn::Error::new(
                index.span,
                "a local index needs a table with a range key",
            ));
        }
        let index_hash = match &index.hash_key {
            Some(lit) => field_named(lit, "hash_key")?,
            None => hash,
        };
        let index_range = index
            .range_key
            .as_ref()
            .map(|lit| field_named(lit, "range_key"))
            .transpose()?;
        let index_name = &index.name;
        let kind = if index.global {
            quote!(Global)
        } else {
            quote!(Local)
        };
        let hash_def = key_definition(index_hash);
        let range_def = match index_range {
            Some(f) => {
                let def = key_definition(f);
                quote!(::core::option::Option::Some(#def))
            }
            None => quote!(::core::option::Option::None),
        };
        let projection = match &index.projection {
            Projection::All => quote!(All),
            Projection::KeysOnly => quote!(KeysOnly),
            Projection::Include(names) => {
                let stored = names
                    .iter()
                    .map(|lit| field_named(lit, "include").map(|f| f.stored_name.clone()))
                    .collect::<syn::Result<Vec<_>>>()?;
                quote!(Include(&[#(#stored),*]))
            }
        };
        defs.push(quote! {
            ::dynamodb_mapper::model::IndexDefinition {
                name: #index_name,
                kind: ::dynamodb_mapper::model::IndexKind::#kind,
                hash_key: #hash_def,
                range_key: #range_def,
                projection: ::dynamodb_mapper::model::Projection::#projection,
            }
        });
        let handle = syn::Ident::new(
            &index_name.value().replace(['-', '.'], "_"),
            index_name.span(),
        );
        let hash_ty = &index_hash.ty;
        let range_ty = match index_range {
            Some(f) => {
                let ty = &f.ty;
                quote!(#ty)
            }
            None => quote!(::dynamodb_mapper::model::NoRangeKey),
        };
        let doc = format!("The `{}` index.", index_name.value());
        decls.push(quote!(#[doc = #doc] pub #handle: ::dynamodb_mapper::model::Index<#name, #hash_ty, #range_ty>));
        inits.push(quote!(#handle: ::dynamodb_mapper::model::Index::new(#index_name)));
    }
    if options.indexes.is_empty() || !input.generics.params.is_empty() {
        return Ok((defs, TokenStream::new()));
    }
    let vis = &input.vis;
    let indexes_name = format_ident!("{}Indexes", name);
    let doc = format!("Typed handles on the secondary indexes of [`{name}`].");
    Ok((
        defs,
        quote! {
            #[doc = #doc]
            #[derive(Clone, Copy, Debug)]
            #[allow(dead_code)]
            #vis struct #indexes_name {
                #(#decls,)*
            }

            impl #name {
                /// Typed handles on this model's secondary indexes, to query and scan them.
                #[allow(dead_code)]
                #vis const fn indexes() -> #indexes_name {
                    #indexes_name { #(#inits,)* }
                }
            }
        },
    ))
}
