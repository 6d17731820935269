//! Code generation for `#[derive(Model)]` and `#[derive(Attribute)]`.

mod indexes;
mod model;
mod nested;

pub use model::model;
pub use nested::nested;

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DeriveInput, LitStr};

use crate::attributes::{Codec, FieldSpec};

/// The JSON view of one field: `to_json(&T)`.
pub(crate) fn json_fn(field: &FieldSpec) -> TokenStream {
    let ty = &field.ty;
    match &field.codec {
        Codec::Attribute => quote!(<#ty as ::dynamodb_mapper::Attribute>::to_json),
        Codec::With(path) => quote!(#path::to_json),
    }
}

/// `to_json` of a struct: an object of its stored fields.
pub(crate) fn to_json_body(fields: &[FieldSpec], wrap_error: TokenStream) -> TokenStream {
    let count = stored(fields).count();
    let entries = stored(fields).map(|f| {
        let ident = &f.ident;
        let stored = &f.stored_name;
        let to_json = json_fn(f);
        quote! {
            map.insert(#stored.to_owned(), #to_json(&self.#ident).map_err(|e| (#wrap_error)(#stored, e))?);
        }
    });
    quote! {
        let mut map = ::dynamodb_mapper::__private::serde_json::Map::with_capacity(#count);
        #(#entries)*
        ::core::result::Result::Ok(::dynamodb_mapper::__private::serde_json::Value::Object(map))
    }
}

/// The functions converting one field.
pub(crate) struct CodecFns {
    /// `fn(&T) -> Result<AttributeValue, ValueError>`
    pub encode: TokenStream,
    /// `fn(AttributeValue) -> Result<T, ValueError>`
    pub decode: TokenStream,
    /// `fn(&AttributeValue) -> Result<T, ValueError>`
    pub decode_ref: TokenStream,
    /// `fn() -> Result<T, ValueError>`
    pub missing: TokenStream,
}

pub(crate) fn codec_fns(field: &FieldSpec) -> CodecFns {
    let ty = &field.ty;
    match &field.codec {
        Codec::Attribute => CodecFns {
            encode: quote!(<#ty as ::dynamodb_mapper::Attribute>::to_attribute),
            decode: quote!(<#ty as ::dynamodb_mapper::Attribute>::from_attribute),
            decode_ref: quote!(<#ty as ::dynamodb_mapper::Attribute>::from_attribute_ref),
            missing: quote!(<#ty as ::dynamodb_mapper::Attribute>::from_missing),
        },
        // A `with` module decodes owned values: borrowed ones are copied first.
        Codec::With(path) => CodecFns {
            encode: quote!(#path::to_attribute),
            decode: quote!(#path::from_attribute),
            decode_ref: quote!(|value: &::dynamodb_mapper::AttributeValue| #path::from_attribute(::core::clone::Clone::clone(value))),
            missing: quote!(#path::from_missing),
        },
    }
}

/// Whether generated decoding takes the stored values or borrows them.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    Owned,
    Borrowed,
}

impl Source {
    /// The decoder of `field` for values of this source.
    pub(crate) fn decoder(self, fns: &CodecFns) -> &TokenStream {
        match self {
            Source::Owned => &fns.decode,
            Source::Borrowed => &fns.decode_ref,
        }
    }
}

/// `Ok(Self { .. })` from the entries of a stored map (`entries` iterates
/// `(name, value)` pairs of `source`): one pass puts each stored field's value
/// in a slot, then `decode_field(field, slot, decoder, missing)` reads each.
pub(crate) fn decode_struct(
    fields: &[FieldSpec],
    entries: TokenStream,
    source: Source,
    decode_field: impl Fn(&FieldSpec, &syn::Ident, &TokenStream, &TokenStream) -> TokenStream,
) -> TokenStream {
    let (take_slots, slot) = take_slots(fields, entries, source);
    let decodes = fields.iter().map(|f| {
        let ident = &f.ident;
        if f.skip {
            return quote!(#ident: ::core::default::Default::default());
        }
        let fns = codec_fns(f);
        let value = decode_field(f, &slot(f), source.decoder(&fns), &fns.missing);
        quote!(#ident: #value)
    });
    quote! {
        #take_slots
        ::core::result::Result::Ok(Self { #(#decodes,)* })
    }
}

/// One pass over the entries of a stored map that puts each stored field's
/// value into a slot of its own: `(declarations and loop, slot of a field)`.
/// Matching names beats one hash lookup per field.
fn take_slots(
    fields: &[FieldSpec],
    entries: TokenStream,
    source: Source,
) -> (TokenStream, impl Fn(&FieldSpec) -> syn::Ident) {
    let slot = |f: &FieldSpec| format_ident!("__dynamodb_slot_{}", f.ident);
    let value_type = match source {
        Source::Owned => quote!(::dynamodb_mapper::AttributeValue),
        Source::Borrowed => quote!(&::dynamodb_mapper::AttributeValue),
    };
    let decls = stored(fields).map(|f| {
        let slot = slot(f);
        quote!(let mut #slot: ::core::option::Option<#value_type> = ::core::option::Option::None;)
    });
    let arms = stored(fields).map(|f| {
        let slot = slot(f);
        let stored = &f.stored_name;
        quote!(#stored => #slot = ::core::option::Option::Some(__dynamodb_value),)
    });
    let code = quote! {
        #(#decls)*
        for (__dynamodb_name, __dynamodb_value) in #entries {
            match __dynamodb_name.as_str() {
                #(#arms)*
                _ => {}
            }
        }
    };
    (code, slot)
}

pub(crate) fn stored(fields: &[FieldSpec]) -> impl Iterator<Item = &FieldSpec> {
    fields.iter().filter(|f| !f.skip)
}

pub(crate) fn is_key_field(field: &FieldSpec, hash: &FieldSpec, range: Option<&FieldSpec>) -> bool {
    field.ident == hash.ident || range.is_some_and(|r| r.ident == field.ident)
}

/// The field a struct option names (`hash_key = "id"`, `ttl = "expires"`).
pub(crate) fn find_field<'a>(
    fields: &'a [FieldSpec],
    name: &LitStr,
    role: &str,
) -> syn::Result<&'a FieldSpec> {
    fields
        .iter()
        .find(|f| f.ident == name.value().as_str())
        .ok_or_else(|| {
            syn::Error::new_spanned(
                name,
                format!("{role} `{}` names no field of this struct", name.value()),
            )
        })
}

pub(crate) fn find_key<'a>(
    fields: &'a [FieldSpec],
    name: &LitStr,
    role: &str,
) -> syn::Result<&'a FieldSpec> {
    let field = find_field(fields, name, role)?;
    if field.skip || !matches!(field.codec, Codec::Attribute) {
        return Err(syn::Error::new_spanned(
            &field.ident,
            format!("the {role} field cannot use `skip`, `json`, `bool_as_number` or `with`"),
        ));
    }
    Ok(field)
}

/// `impl Default` when any field declares a default: defaults apply only to
/// objects built in code.
pub(crate) fn default_impl(input: &DeriveInput, fields: &[FieldSpec]) -> TokenStream {
    if fields
        .iter()
        .all(|f| f.default.is_none() && f.default_with.is_none())
    {
        return TokenStream::new();
    }
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let inits = fields.iter().map(|f| {
        let ident = &f.ident;
        match (&f.default, &f.default_with) {
            (Some(expr), _) => {
                quote_spanned!(expr.span()=> #ident: ::core::convert::Into::into(#expr))
            }
            (None, Some(path)) => quote!(#ident: #path()),
            (None, None) => quote!(#ident: ::core::default::Default::default()),
        }
    });
    quote! {
        impl #impl_generics ::core::default::Default for #name #ty_generics #where_clause {
            fn default() -> Self {
                Self { #(#inits,)* }
            }
        }
    }
}

/// A key's `KeyDefinition`; the span puts a wrong key type's error on the field's type.
pub(crate) fn key_definition(field: &FieldSpec) -> TokenStream {
    let ty = &field.ty;
    let stored = &field.stored_name;
    quote_spanned! {ty.span()=>
        ::dynamodb_mapper::model::KeyDefinition {
            attribute: #stored,
            scalar_type: <#ty as ::dynamodb_mapper::KeyAttribute>::SCALAR_TYPE,
        }
    }
}
