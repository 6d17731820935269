//! The primary key: its types, its definitions in the schema, and the key
//! items built from a key value or from an object.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::{private, private_at};
use crate::check::{Field, Model};

/// A key's `KeyDefinition`; the span puts a wrong key type's error on the field's type.
pub fn key_definition(field: &Field) -> TokenStream {
    let ty = field.ty;
    let p = private_at(ty.span());
    let stored = &field.stored_name;
    quote_spanned! {ty.span()=>
        #p::KeyDefinition {
            attribute: #stored,
            scalar_type: <#ty as #p::KeyAttribute>::SCALAR_TYPE,
        }
    }
}

/// What the `Model` impl says about its key.
pub struct KeyParts {
    /// `type RangeKey`.
    pub range_ty: TokenStream,
    /// `type Key`.
    pub key_ty: TokenStream,
    /// `SCHEMA.hash_key` and `SCHEMA.range_key`.
    pub hash_def: TokenStream,
    pub range_def: TokenStream,
    /// The bodies of `key_item(key)` and `own_key_item(&self)`.
    pub key_item: TokenStream,
    pub own_key_item: TokenStream,
}

pub fn key_parts(model: &Model) -> KeyParts {
    let p = private();
    let model_name = model.shape.ident.to_string();
    let hash = model.hash_field();
    let hash_ty = hash.ty;
    // `value` encodes one key attribute into `item`.
    let insert = |field: &Field, value: TokenStream| {
        let stored = &field.stored_name;
        quote! {
            item.insert(::std::borrow::ToOwned::to_owned(#stored), #p::encode_key(#model_name, #stored, #p::Attribute::to_attribute(#value))?);
        }
    };
    let hash_ident = hash.ident;
    match model.range_field() {
        Some(range) => {
            let range_ty = range.ty;
            let range_ident = range.ident;
            let range_def = key_definition(range);
            let from_key = [insert(hash, quote!(&key.0)), insert(range, quote!(&key.1))];
            let from_self = [
                insert(hash, quote!(&self.#hash_ident)),
                insert(range, quote!(&self.#range_ident)),
            ];
            KeyParts {
                range_ty: quote!(#range_ty),
                key_ty: quote!((#hash_ty, #range_ty)),
                hash_def: key_definition(hash),
                range_def: quote!(::core::option::Option::Some(#range_def)),
                key_item: item_of(2, &from_key),
                own_key_item: item_of(2, &from_self),
            }
        }
        None => KeyParts {
            range_ty: quote!(#p::NoRangeKey),
            key_ty: quote!(#hash_ty),
            hash_def: key_definition(hash),
            range_def: quote!(::core::option::Option::None),
            key_item: item_of(1, &[insert(hash, quote!(key))]),
            own_key_item: item_of(1, &[insert(hash, quote!(&self.#hash_ident))]),
        },
    }
}

/// `Ok(item)` of `count` key attributes.
fn item_of(count: usize, inserts: &[TokenStream]) -> TokenStream {
    let p = private();
    quote! {
        let mut item = #p::item_with_capacity(#count);
        #(#inserts)*
        ::core::result::Result::Ok(item)
    }
}
