//! Typed handles: `Name::fields()` on each stored attribute and
//! `Name::indexes()` on each secondary index, and the indexes' schema
//! definitions.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::composed::key_type;
use super::keys::source_definition;
use super::{codec_fns, private};
use crate::check::{Codec, Index, Model, Projection, Shape};

/// `Name::fields()`: typed handles on each stored attribute, for conditions.
/// Generic models get none.
pub fn field_handles(shape: &Shape) -> TokenStream {
    if !shape.generics.params.is_empty() {
        return TokenStream::new();
    }
    let p = private();
    let name = shape.ident;
    let vis = shape.vis;
    let fields_name = format_ident!("{}Fields", name);
    let doc = format!(
        "Typed handles on the stored attributes of [`{name}`], for conditions and filters."
    );
    let decls = shape.stored().map(|(_, f)| {
        let ident = f.ident;
        let ty = f.ty;
        let doc = format!("The `{}` attribute.", f.stored_name);
        let form = match f.codec {
            Codec::Attribute | Codec::Native => quote!(#p::form::Native),
            Codec::Python => quote!(#p::form::Python),
            Codec::Json
            | Codec::Serde
            | Codec::EpochSeconds
            | Codec::BoolAsNumber
            | Codec::With(_) => {
                quote!(#p::form::Converted)
            }
        };
        quote!(#[doc = #doc] pub #ident: #p::Field<#name, #ty, #form>)
    });
    let inits = shape.stored().map(|(_, f)| {
        let ident = f.ident;
        let stored = &f.stored_name;
        let encode = codec_fns(f).encode;
        quote!(#ident: #p::Field::new(#stored, #encode))
    });
    quote! {
        #[doc = #doc]
        #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug)]
        #[allow(dead_code)]
        #vis struct #fields_name {
            #(#decls,)*
        }

        impl #name {
            /// Typed handles on this model's stored attributes, for conditions and filters.
            #[allow(dead_code)]
            #vis const fn fields() -> #fields_name {
                #fields_name { #(#inits,)* }
            }
        }
    }
}

/// An index's `IndexDefinition` in the schema.
pub fn index_definition(model: &Model, index: &Index) -> TokenStream {
    let p = private();
    let name = &index.name;
    let kind = if index.global {
        quote!(Global)
    } else {
        quote!(Local)
    };
    let hash_def = source_definition(model, &index.hash);
    let range_def = match &index.range {
        Some(range) => {
            let def = source_definition(model, range);
            quote!(::core::option::Option::Some(#def))
        }
        None => quote!(::core::option::Option::None),
    };
    let projection = match &index.projection {
        Projection::All => quote!(All),
        Projection::KeysOnly => quote!(KeysOnly),
        Projection::Include(stored) => {
            // An entity's index holds its name too: queries keep to the entity by it.
            let entity = model.entity.iter().map(|e| &e.attribute);
            quote!(Include(&[#(#stored,)* #(#entity),*]))
        }
    };
    quote! {
        #p::IndexDefinition {
            name: #name,
            kind: #p::IndexKind::#kind,
            hash_key: #hash_def,
            range_key: #range_def,
            projection: #p::Projection::#projection,
        }
    }
}

/// `Name::indexes()` with a typed handle per index; none for generic
/// models or models without indexes.
pub fn index_handles(model: &Model) -> TokenStream {
    let shape = &model.shape;
    if model.indexes.is_empty() || !shape.generics.params.is_empty() {
        return TokenStream::new();
    }
    let p = private();
    let name = shape.ident;
    let vis = shape.vis;
    let decls = model.indexes.iter().map(|index| {
        let handle = &index.handle;
        let hash_ty = key_type(model, &index.hash);
        let range_ty = match &index.range {
            Some(range) => key_type(model, range),
            None => quote!(#p::NoRangeKey),
        };
        let doc = format!("The `{}` index.", index.name.value());
        quote!(#[doc = #doc] pub #handle: #p::Index<#name, #hash_ty, #range_ty>)
    });
    let inits = model.indexes.iter().map(|index| {
        let handle = &index.handle;
        let index_name = &index.name;
        quote!(#handle: #p::Index::new(#index_name))
    });
    let indexes_name = format_ident!("{}Indexes", name);
    let doc = format!("Typed handles on the secondary indexes of [`{name}`].");
    quote! {
        #[doc = #doc]
        #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug)]
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
    }
}
