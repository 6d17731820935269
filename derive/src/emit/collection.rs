//! `#[derive(Collection)]`: the `Collection` impl, its `DecodeChange` impl
//! (a stream read as the collection), a `Member` impl per
//! variant, and the compile-time check that the variants share a partition.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::{private, private_at};
use crate::parse::Variants;

pub fn collection(variants: &Variants) -> TokenStream {
    let p = private();
    let name = variants.ident;
    let name_text = name.to_string();
    let (anchor_ident, anchor) = variants.variants[0];
    let _ = anchor_ident;
    let types: Vec<_> = variants.variants.iter().map(|(_, ty)| *ty).collect();
    let expected = expected(variants);
    let decodes = variants.variants.iter().map(|(variant, ty)| {
        quote! {
            let item = match #p::decode_as::<#ty>(item)? {
                ::core::result::Result::Ok(value) => {
                    return ::core::result::Result::Ok(#p::Decoded::Known(Self::#variant(value)));
                }
                ::core::result::Result::Err(item) => item,
            };
        }
    });
    let index_name = variants.index.as_ref().map(|lit| lit.value());
    let checks = variants.variants.iter().skip(1).map(|(_, ty)| {
        let p = private_at(ty.span());
        let (same, partition) = match &index_name {
            Some(index) => (
                quote!(#p::same_index_partition(&<#anchor as #p::Model>::SCHEMA, &<#ty as #p::Model>::SCHEMA, #index)),
                format!("index `{index}` (its partition key template)"),
            ),
            None => (
                quote!(#p::same_partition(&<#anchor as #p::Model>::SCHEMA, &<#ty as #p::Model>::SCHEMA)),
                "partition key template (the same text, fields of the same types)".to_owned(),
            ),
        };
        let message = format!(
            "every variant of `{name}` must be an entity with the table, {partition} and entity attribute of `{}`: `{}` is not",
            type_text(anchor),
            type_text(ty)
        );
        quote_spanned! {ty.span()=>
            const _: () = ::core::assert!(#same, #message);
        }
    });
    // No two variants may store items under one key: a write of one that
    // carries no condition (a batch save) would replace the other's item;
    // nor one entity name: an item of one would decode as the other.
    let mut apart = Vec::new();
    for (i, (_, a)) in variants.variants.iter().enumerate() {
        for (_, b) in &variants.variants[i + 1..] {
            let p = private_at(b.span());
            let distinct = format!(
                "`{}` and `{}` of `{name}` store the same entity name: an item of one would decode as the other; give one another `entity = \"..\"` (or, if they are one model named by two paths, keep one variant)",
                type_text(a),
                type_text(b)
            );
            apart.push(quote_spanned! {b.span()=>
                const _: () = ::core::assert!(
                    !#p::same_entity(&<#a as #p::Model>::SCHEMA, &<#b as #p::Model>::SCHEMA),
                    #distinct
                );
            });
            let message = format!(
                "`{}` and `{}` of `{name}` can store items under one primary key (their key templates can render the same text): a write of one without a condition, such as a batch save, would replace the other's item; give their sort keys literals that keep them apart (such as `ORDER#` and `ITEM#`; not `ORDER#` with a string field last and `ORDER#`, that field, `#ITEM#`)",
                type_text(a),
                type_text(b)
            );
            apart.push(quote_spanned! {b.span()=>
                const _: () = ::core::assert!(
                    !#p::keys_can_meet(&<#a as #p::Model>::SCHEMA, &<#b as #p::Model>::SCHEMA),
                    #message
                );
            });
        }
    }
    let readable = variants.index.as_ref().map(|lit| {
        let index = lit.value();
        let p = private_at(lit.span());
        let message = format!(
            "index `{index}` of `{}` does not hold the entity attribute (keys only, or an `include` list without it): a collection of it could not tell its items apart",
            type_text(anchor)
        );
        quote_spanned! {lit.span()=>
            const _: () = ::core::assert!(#p::index_holds_entity(&<#anchor as #p::Model>::SCHEMA, #index), #message);
        }
    });
    let (partition, index) = match (&index_name, &variants.index) {
        (Some(index), Some(lit)) => (
            index_key_type(anchor, index, lit),
            quote!(::core::option::Option::Some(#lit)),
        ),
        _ => (
            quote!(<#anchor as #p::Model>::HashKey),
            quote!(::core::option::Option::None),
        ),
    };
    let anchor_check = {
        let p = private_at(anchor.span());
        quote_spanned! {anchor.span()=>
            const _: #p::EntityDefinition = #p::entity_of(&<#anchor as #p::Model>::SCHEMA);
        }
    };
    quote! {
        impl #p::Collection for #name {
            type Anchor = #anchor;
            type Partition = #partition;
            const INDEX: ::core::option::Option<&'static str> = #index;
            const NAME: &'static str = #name_text;
            const EXPECTED: &'static str = #expected;
            const ENTITIES: &'static [#p::EntityDefinition] = &[
                #(#p::entity_of(&<#types as #p::Model>::SCHEMA)),*
            ];

            fn decode(item: #p::StoredItem) -> ::core::result::Result<#p::Decoded<Self>, #p::Error> {
                #(#decodes)*
                ::core::result::Result::Ok(#p::Decoded::Unknown(item))
            }
        }

        impl #p::DecodeChange for #name {
            type Image = #p::Decoded<Self>;

            fn schema() -> &'static #p::ModelSchema {
                &<#anchor as #p::Model>::SCHEMA
            }

            fn decode_image(item: #p::Item) -> ::core::result::Result<#p::Decoded<Self>, #p::Error> {
                <Self as #p::Collection>::decode(::core::convert::From::from(item))
            }

            fn concerns(_: &#p::Item) -> bool {
                true
            }

            fn is_sensitive(attribute: &str) -> bool {
                false #(|| <#types as #p::Model>::SCHEMA.sensitive.contains(&attribute))*
            }
        }

        #(impl #p::Member<#name> for #types {})*

        #anchor_check
        #readable
        #(#checks)*
        #(#apart)*
    }
}

/// The anchor's generated key type of `index`'s partition key, beside the
/// anchor: `shop::Order` and `gsi2` make `shop::OrderGsi2Pk`.
fn index_key_type(anchor: &syn::Type, index: &str, lit: &syn::LitStr) -> TokenStream {
    let syn::Type::Path(path) = anchor else {
        return syn::Error::new_spanned(
            anchor,
            "a collection of an index names its first variant's model by path",
        )
        .into_compile_error();
    };
    let mut path = path.clone();
    let Some(last) = path.path.segments.last_mut() else {
        return syn::Error::new_spanned(
            anchor,
            "a collection of an index names its first variant's model by path",
        )
        .into_compile_error();
    };
    let camel = crate::check::camel(index);
    last.ident = syn::Ident::new(&format!("{}{camel}Pk", last.ident), lit.span());
    quote!(#path)
}

/// `Customer, Order or Address`.
fn expected(variants: &Variants) -> String {
    let names: Vec<String> = variants
        .variants
        .iter()
        .map(|(_, ty)| type_text(ty))
        .collect();
    match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

fn type_text(ty: &syn::Type) -> String {
    quote!(#ty).to_string().replace(' ', "")
}
