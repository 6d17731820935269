//! `#[derive(Attribute)]`: structs stored as a nested map.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use super::{codec_fns, decode_struct, default_impl, stored, to_json_body, Source};
use crate::attributes::fields;

pub fn nested(input: &DeriveInput) -> syn::Result<TokenStream> {
    let fields = fields(input)?;
    if let Some(stray) = fields.iter().find(|f| f.auto_increment || f.version) {
        return Err(syn::Error::new_spanned(
            &stray.ident,
            "`auto_increment` and `version` belong on fields of a model",
        ));
    }
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let field_count = stored(&fields).count();
    let encodes = stored(&fields).map(|f| {
        let ident = &f.ident;
        let stored = &f.stored_name;
        let encode = codec_fns(f).encode;
        quote!(::dynamodb_mapper::model::codec::encode_nested(&mut map, #stored, #encode(&self.#ident))?;)
    });
    // `from_attribute` (owned map) and `from_attribute_ref` (borrowed, maybe `NULL`).
    let decode_map = |source: Source, entries: TokenStream| {
        decode_struct(&fields, entries, source, |f, slot, decode, missing| {
            let stored = &f.stored_name;
            quote!(::dynamodb_mapper::model::codec::decode_nested(#slot, #stored, #decode, #missing)?)
        })
    };
    let from_owned = decode_map(Source::Owned, quote!(map));
    let from_borrowed = decode_map(Source::Borrowed, quote!(map.into_iter().flatten()));
    let default = default_impl(input, &fields);
    let to_json = to_json_body(
        &fields,
        quote!(|name: &str, e: ::dynamodb_mapper::attribute::ValueError| e.in_key(name)),
    );
    let names: Vec<&String> = stored(&fields).map(|f| &f.stored_name).collect();
    Ok(quote! {
        impl #impl_generics ::dynamodb_mapper::attribute::AttributeNames for #name #ty_generics #where_clause {
            const NAMES: &'static [&'static str] = &[#(#names),*];
        }

        impl #impl_generics ::dynamodb_mapper::Attribute for #name #ty_generics #where_clause {
            fn to_json(&self) -> ::core::result::Result<::dynamodb_mapper::__private::serde_json::Value, ::dynamodb_mapper::attribute::ValueError> {
                #to_json
            }

            fn to_attribute(&self) -> ::core::result::Result<::dynamodb_mapper::AttributeValue, ::dynamodb_mapper::attribute::ValueError> {
                let mut map = ::dynamodb_mapper::attribute::item_with_capacity(#field_count);
                #(#encodes)*
                ::core::result::Result::Ok(::dynamodb_mapper::AttributeValue::M(map))
            }

            fn from_attribute(value: ::dynamodb_mapper::AttributeValue) -> ::core::result::Result<Self, ::dynamodb_mapper::attribute::ValueError> {
                let map = ::dynamodb_mapper::model::codec::nested_map(value)?;
                #from_owned
            }

            fn from_attribute_ref(value: &::dynamodb_mapper::AttributeValue) -> ::core::result::Result<Self, ::dynamodb_mapper::attribute::ValueError> {
                let map = ::dynamodb_mapper::model::codec::nested_map_ref(value)?;
                #from_borrowed
            }

            fn from_missing() -> ::core::result::Result<Self, ::dynamodb_mapper::attribute::ValueError> {
                Self::from_attribute(::dynamodb_mapper::AttributeValue::M(::dynamodb_mapper::Item::default()))
            }
        }
        #default
    })
}
