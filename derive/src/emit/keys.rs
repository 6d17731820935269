//! The primary key: its types, its definitions in the schema, and the key
//! items built from a key value or from an object.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::composed::{insert_from_self, key_type};
use super::{private, private_at};
use crate::check::{Field, KeySource, Model};

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

/// A key attribute's `KeyDefinition`.
pub fn source_definition(model: &Model, source: &KeySource) -> TokenStream {
    match source {
        KeySource::Field(position) => key_definition(model.field(*position)),
        KeySource::Composed(composed) => {
            let p = private();
            let attribute = &composed.attribute;
            quote!(#p::KeyDefinition { attribute: #attribute, scalar_type: #p::ScalarType::String })
        }
    }
}

/// What the `Model` impl says about its key.
pub struct KeyParts {
    /// `type HashKey`, `type RangeKey` and `type Key`.
    pub hash_ty: TokenStream,
    pub range_ty: TokenStream,
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
    // `value` encodes one key attribute into `item`.
    let insert = |source: &KeySource, value: TokenStream| {
        let attribute = match source {
            KeySource::Field(position) => &model.field(*position).stored_name,
            KeySource::Composed(composed) => &composed.attribute,
        };
        quote! {
            item.insert(::std::borrow::ToOwned::to_owned(#attribute), #p::encode_key(#model_name, #attribute, #p::Attribute::to_attribute(#value))?);
        }
    };
    // One key attribute of `self`.
    let own = |source: &KeySource| match source {
        KeySource::Field(position) => {
            let ident = model.field(*position).ident;
            insert(source, quote!(&self.#ident))
        }
        KeySource::Composed(composed) => insert_from_self(model, composed),
    };
    let hash = &model.hash;
    let hash_ty = key_type(model, hash);
    match &model.range {
        Some(range) => {
            let range_ty = key_type(model, range);
            let range_def = source_definition(model, range);
            KeyParts {
                key_ty: quote!((#hash_ty, #range_ty)),
                hash_ty,
                range_ty,
                hash_def: source_definition(model, hash),
                range_def: quote!(::core::option::Option::Some(#range_def)),
                key_item: item_of(
                    2,
                    &[insert(hash, quote!(&key.0)), insert(range, quote!(&key.1))],
                ),
                own_key_item: item_of(2, &[own(hash), own(range)]),
            }
        }
        None => KeyParts {
            key_ty: hash_ty.clone(),
            hash_ty,
            range_ty: quote!(#p::NoRangeKey),
            hash_def: source_definition(model, hash),
            range_def: quote!(::core::option::Option::None),
            key_item: item_of(1, &[insert(hash, quote!(key))]),
            own_key_item: item_of(1, &[own(hash)]),
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
