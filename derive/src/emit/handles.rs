//! Typed handles: `Name::fields()` on each stored attribute and
//! `Name::indexes()` on each secondary index, and the indexes' schema
//! definitions.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::composed::key_type;
use super::keys::key_definition;
use super::keys::source_definition;
use super::{codec_fns, private};
use crate::check::{Codec, Index, Model, Projection, Shape, VectorIndex};

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
    let projection = projection(model, &index.projection);
    let more_hash = index
        .more_hash
        .iter()
        .map(|f| key_definition(model.field(*f)));
    let more_range = index
        .more_range
        .iter()
        .map(|f| key_definition(model.field(*f)));
    quote! {
        #p::IndexDefinition {
            name: #name,
            kind: #p::IndexKind::#kind,
            hash_key: #hash_def,
            range_key: #range_def,
            more_hash_keys: &[#(#more_hash),*],
            more_range_keys: &[#(#more_range),*],
            projection: #p::Projection::#projection,
        }
    }
}

/// A vector index's `VectorIndexDefinition` in the schema; the field's
/// type gives the dimensions (and refuses a type that is no vector).
pub fn vector_index_definition(model: &Model, index: &VectorIndex) -> TokenStream {
    let p = private();
    let name = &index.name;
    let vector = model.field(index.vector);
    let attribute = &vector.stored_name;
    let vector_ty = vector.ty;
    let dimensions = quote_spanned!(vector_ty.span()=> <#vector_ty as #p::VectorField>::DIMENSIONS);
    let distance = format_ident!("{}", index.distance);
    let partition = match index.partition {
        Some(position) => {
            let def = key_definition(model.field(position));
            quote!(::core::option::Option::Some(#def))
        }
        None => quote!(::core::option::Option::None),
    };
    let filters = index
        .filters
        .iter()
        .map(|f| key_definition(model.field(*f)));
    // An entity's searches keep to its items by its name.
    let entity = model.entity.iter().map(|e| {
        let attribute = &e.attribute;
        quote!(#p::KeyDefinition { attribute: #attribute, scalar_type: #p::ScalarType::String })
    });
    let filters = filters.chain(entity);
    let projection = projection(model, &index.projection);
    quote! {
        #p::VectorIndexDefinition {
            name: #name,
            attribute: #attribute,
            dimensions: #dimensions,
            distance: #p::Distance::#distance,
            partition: #partition,
            filters: &[#(#filters),*],
            projection: #p::Projection::#projection,
        }
    }
}

fn projection(model: &Model, projection: &Projection) -> TokenStream {
    match projection {
        Projection::All => quote!(All),
        Projection::KeysOnly => quote!(KeysOnly),
        Projection::Include(stored) => {
            // An entity's index holds its name too: queries keep to the entity by it.
            let entity = model.entity.iter().map(|e| &e.attribute);
            quote!(Include(&[#(#stored,)* #(#entity),*]))
        }
    }
}

/// `Name::indexes()` with a typed handle per index; none for generic
/// models or models without indexes.
pub fn index_handles(model: &Model) -> TokenStream {
    let shape = &model.shape;
    let no_indexes = model.indexes.is_empty() && model.vector_indexes.is_empty();
    if no_indexes || !shape.generics.params.is_empty() {
        return TokenStream::new();
    }
    let p = private();
    let name = shape.ident;
    let vis = shape.vis;
    let decls = model.indexes.iter().map(|index| {
        let handle = &index.handle;
        // A multi-attribute key's type is the tuple of its fields' types.
        let tuple = |first: TokenStream, more: &[usize]| {
            if more.is_empty() {
                return first;
            }
            let more = more.iter().map(|f| model.field(*f).ty);
            quote!((#first, #(#more),*))
        };
        let hash_ty = tuple(key_type(model, &index.hash), &index.more_hash);
        let range_ty = match &index.range {
            Some(range) => tuple(key_type(model, range), &index.more_range),
            None => quote!(#p::NoRangeKey),
        };
        let doc = format!("The `{}` index.", index.name.value());
        quote!(#[doc = #doc] pub #handle: #p::Index<#name, #hash_ty, #range_ty>)
    });
    let vector_decls = model.vector_indexes.iter().map(|index| {
        let handle = &index.handle;
        let ty = model.field(index.vector).ty;
        let query = quote_spanned!(ty.span()=> <#ty as #p::VectorField>::Query);
        let doc = format!("The `{}` vector index.", index.name.value());
        quote!(#[doc = #doc] pub #handle: #p::VectorIndex<#name, #query>)
    });
    let decls = decls.chain(vector_decls);
    let inits = model.indexes.iter().map(|index| {
        let handle = &index.handle;
        let index_name = &index.name;
        quote!(#handle: #p::Index::new(#index_name))
    });
    let vector_inits = model.vector_indexes.iter().map(|index| {
        let handle = &index.handle;
        let index_name = &index.name;
        quote!(#handle: #p::VectorIndex::new(#index_name))
    });
    let inits = inits.chain(vector_inits);
    let indexes_name = format_ident!("{}Indexes", name);
    let doc = format!("Typed handles on the secondary and vector indexes of [`{name}`].");
    quote! {
        #[doc = #doc]
        #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug)]
        #[allow(dead_code)]
        #vis struct #indexes_name {
            #(#decls,)*
        }

        impl #name {
            /// Typed handles on this model's secondary and vector indexes, to query, scan and search them.
            #[allow(dead_code)]
            #vis const fn indexes() -> #indexes_name {
                #indexes_name { #(#inits,)* }
            }
        }
    }
}
