//! `#[derive(Model)]` on an enum: a polymorphic model whose variants are
//! entities stored under one primary key schema, told apart by the entity
//! attribute, read back as the enum.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::{private, private_at};
use crate::parse::Variants;

pub fn polymorphic(variants: &Variants) -> TokenStream {
    let p = private();
    let name = variants.ident;
    let name_text = name.to_string();
    let anchor = variants.variants[0].1;
    let idents: Vec<_> = variants.variants.iter().map(|(ident, _)| *ident).collect();
    let types: Vec<_> = variants.variants.iter().map(|(_, ty)| *ty).collect();
    let expected = types
        .iter()
        .map(|ty| type_text(ty))
        .collect::<Vec<_>>()
        .join(" or ");
    let checks = checks(variants);
    let lists = |field: TokenStream| quote!(&[#(<#types as #p::Model>::SCHEMA.#field),*]);
    let attributes = lists(quote!(attributes));
    let sensitive = lists(quote!(sensitive));
    let decode = |method: TokenStream, arg: TokenStream, item: TokenStream| {
        quote! {
            #(
                if #p::entity_of(&<#types as #p::Model>::SCHEMA).holds(#item) {
                    return <#types as #p::Model>::#method(#arg).map(Self::#idents);
                }
            )*
            let entity = #p::entity_of(&<#anchor as #p::Model>::SCHEMA);
            ::core::result::Result::Err(#p::AttributeError::new(
                #name_text,
                entity.attribute,
                #p::ValueError::new(#p::ValueErrorKind::WrongEntity {
                    expected: #expected,
                    found: entity.stored_name(#item),
                }),
            ))
        }
    };
    let from_item = decode(quote!(from_item), quote!(item), quote!(&item));
    let from_item_ref = decode(quote!(from_item_ref), quote!(item), quote!(item));
    let dispatch = |call: TokenStream| {
        quote! {
            match self {
                #(Self::#idents(variant) => <#types as #p::Model>::#call(variant),)*
            }
        }
    };
    let to_item = dispatch(quote!(to_item));
    let own_key_item = dispatch(quote!(own_key_item));
    let to_json = dispatch(quote!(to_json));
    quote! {
        const _: () = {
            const ATTRIBUTES: [&str; #p::union_len(#attributes)] = #p::union_of_names(#attributes);
            const SENSITIVE: [&str; #p::union_len(#sensitive)] = #p::union_of_names(#sensitive);

            impl #p::Model for #name {
                type HashKey = <#anchor as #p::Model>::HashKey;
                type RangeKey = <#anchor as #p::Model>::RangeKey;
                type Key = <#anchor as #p::Model>::Key;

                const SCHEMA: #p::ModelSchema = #p::ModelSchema {
                    model: #name_text,
                    attributes: &ATTRIBUTES,
                    sensitive: &SENSITIVE,
                    entities: &[#(#p::entity_of(&<#types as #p::Model>::SCHEMA)),*],
                    ..<#anchor as #p::Model>::SCHEMA
                };

                fn to_item(&self) -> ::core::result::Result<#p::Item, #p::AttributeError> {
                    #to_item
                }

                fn from_item(item: #p::Item) -> ::core::result::Result<Self, #p::AttributeError> {
                    #from_item
                }

                fn from_item_ref<__DynamodbItem: #p::ItemAccess>(item: &__DynamodbItem) -> ::core::result::Result<Self, #p::AttributeError> {
                    #from_item_ref
                }

                fn key_item(key: &Self::Key) -> ::core::result::Result<#p::Item, #p::AttributeError> {
                    <#anchor as #p::Model>::key_item(key)
                }

                fn own_key_item(&self) -> ::core::result::Result<#p::Item, #p::AttributeError> {
                    #own_key_item
                }

                fn to_json(&self) -> ::core::result::Result<#p::serde_json::Value, #p::AttributeError> {
                    #to_json
                }

                fn hash_key_value(hash: &Self::HashKey) -> ::core::result::Result<#p::AttributeValue, #p::AttributeError> {
                    <#anchor as #p::Model>::hash_key_value(hash)
                }
            }
        };
        #checks
    }
}

/// The compile-time checks that the variants fit one model: the anchor's
/// primary key, indexes and time to live, no policies or unique attributes
/// of their own, distinct entity names.
fn checks(variants: &Variants) -> TokenStream {
    let name = variants.ident;
    let anchor = variants.variants[0].1;
    let types: Vec<_> = variants.variants.iter().map(|(_, ty)| *ty).collect();
    let anchor_text = type_text(anchor);
    let per_variant = types.iter().map(|ty| {
        let p = private_at(ty.span());
        let text = type_text(ty);
        let key = format!(
            "every variant of the polymorphic model `{name}` must be an entity with the table, primary key templates and entity attribute of `{anchor_text}`: `{text}` is not"
        );
        let unique = format!(
            "`{text}` has unique attributes, which a polymorphic model's variants cannot have yet (their guard items are kept per entity)"
        );
        let policies = format!(
            "`{text}` has a version or a migrator, which a polymorphic model's variants cannot have yet (the model writes and reads by the enum)"
        );
        let layout = format!(
            "`{text}` must have the indexes, index key templates and time to live of `{anchor_text}`: a polymorphic model writes and queries by its first variant's schema"
        );
        quote_spanned! {ty.span()=>
            const _: () = ::core::assert!(
                #p::same_primary_key(&<#anchor as #p::Model>::SCHEMA, &<#ty as #p::Model>::SCHEMA),
                #key
            );
            const _: () = ::core::assert!(<#ty as #p::Model>::SCHEMA.unique.is_empty(), #unique);
            const _: () = ::core::assert!(
                <#ty as #p::Model>::POLICIES.version.is_none() && <#ty as #p::Model>::POLICIES.migrator.is_none(),
                #policies
            );
            const _: () = ::core::assert!(
                #p::same_layout(&<#anchor as #p::Model>::SCHEMA, &<#ty as #p::Model>::SCHEMA),
                #layout
            );
        }
    });
    // No two variants may store one entity name: an item of one would
    // decode as the other.
    let mut distinct = Vec::new();
    for (i, a) in types.iter().enumerate() {
        for b in &types[i + 1..] {
            let p = private_at(b.span());
            let message = format!(
                "`{}` and `{}` of `{name}` store the same entity name: an item of one would decode as the other; give one another `entity = \"..\"` (or, if they are one model named by two paths, keep one variant)",
                type_text(a),
                type_text(b)
            );
            distinct.push(quote_spanned! {b.span()=>
                const _: () = ::core::assert!(
                    !#p::same_entity(&<#a as #p::Model>::SCHEMA, &<#b as #p::Model>::SCHEMA),
                    #message
                );
            });
        }
    }
    quote! {
        #(#per_variant)*
        #(#distinct)*
    }
}

fn type_text(ty: &syn::Type) -> String {
    quote!(#ty).to_string().replace(' ', "")
}
