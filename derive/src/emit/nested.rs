//! `#[derive(Attribute)]`: structs stored as a nested map.

use proc_macro2::TokenStream;
use quote::quote;

use super::{codec_fns, decode_struct, default_impl, private, to_json_body, Source};
use crate::check::Nested;

pub fn nested(nested: &Nested) -> TokenStream {
    let p = private();
    let shape = &nested.shape;
    let name = shape.ident;
    let (impl_generics, ty_generics, where_clause) = shape.generics.split_for_impl();
    let field_count = shape.stored().count();
    let encodes = shape.stored().map(|(_, f)| {
        let ident = f.ident;
        let stored = &f.stored_name;
        let encode = codec_fns(f).encode;
        quote!(#p::encode_nested(&mut map, #stored, #encode(&self.#ident))?;)
    });
    // `from_attribute` (owned map) and `from_attribute_ref` (borrowed, maybe `NULL`).
    let decode_map = |source: Source, entries: TokenStream| {
        decode_struct(shape, entries, source, |position, slot, decode, missing| {
            let stored = &shape.fields[position].stored_name;
            quote!(#p::decode_nested(#slot, #stored, #decode, #missing)?)
        })
    };
    let from_owned = decode_map(Source::Owned, quote!(map));
    let from_borrowed = decode_map(
        Source::Borrowed,
        quote!(::core::iter::Iterator::flat_map(
            ::core::iter::IntoIterator::into_iter(map),
            #p::ItemAccess::attributes,
        )),
    );
    let default = default_impl(shape);
    let to_json = to_json_body(
        shape,
        quote!(|name: &str, e: #p::ValueError| e.in_key(name)),
    );
    let names = shape.stored().map(|(_, f)| &f.stored_name);
    quote! {
        impl #impl_generics #p::AttributeNames for #name #ty_generics #where_clause {
            const NAMES: &'static [&'static str] = &[#(#names),*];
        }

        impl #impl_generics #p::Attribute for #name #ty_generics #where_clause {
            fn to_json(&self) -> ::core::result::Result<#p::serde_json::Value, #p::ValueError> {
                #to_json
            }

            fn to_attribute(&self) -> ::core::result::Result<#p::AttributeValue, #p::ValueError> {
                let mut map = #p::item_with_capacity(#field_count);
                #(#encodes)*
                ::core::result::Result::Ok(#p::AttributeValue::M(map))
            }

            fn from_attribute(value: #p::AttributeValue) -> ::core::result::Result<Self, #p::ValueError> {
                let map = #p::nested_map(value)?;
                #from_owned
            }

            fn from_attribute_ref<__DynamodbValue: #p::AttributeAccess>(value: &__DynamodbValue) -> ::core::result::Result<Self, #p::ValueError> {
                let map = #p::nested_map_ref(value)?;
                #from_borrowed
            }

            fn from_missing() -> ::core::result::Result<Self, #p::ValueError> {
                Self::from_attribute(#p::AttributeValue::M(<#p::Item as ::core::default::Default>::default()))
            }
        }
        #default
    }
}
