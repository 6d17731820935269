//! Phase 3, emit: the generated code, from a checked description only.
//!
//! Generated code reaches the main crate through one path,
//! `::dynamodb_mapper::__private` ([`private`]), never through its public
//! modules, so that moving things inside the crate never breaks it.

mod collection;
mod composed;
mod handles;
mod keys;
mod model;
mod nested;
mod polymorphic;

pub use collection::collection;
pub use model::model;
pub use nested::nested;
pub use polymorphic::polymorphic;

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::Ident;

use crate::check::{Codec, Field, FieldDefault, Shape};

/// The one path into the main crate: `::dynamodb_mapper::__private`.
pub fn private() -> TokenStream {
    quote!(::dynamodb_mapper::__private)
}

/// [`private`] with the span of user code (a field's type), so that the
/// compiler's notes about a bound point there rather than at the derive.
pub fn private_at(span: proc_macro2::Span) -> TokenStream {
    quote_spanned!(span=> ::dynamodb_mapper::__private)
}

/// The module of a field's conversion, if not the type's own `Attribute`.
fn codec_module(codec: &Codec) -> Option<TokenStream> {
    let p = private();
    match codec {
        Codec::Attribute | Codec::Native | Codec::Python => None,
        Codec::Json => Some(quote!(#p::json)),
        Codec::Serde => Some(quote!(#p::serde_value)),
        Codec::EpochSeconds => Some(quote!(#p::epoch_seconds)),
        Codec::BoolAsNumber => Some(quote!(#p::bool_as_number)),
        Codec::With(path) => Some(quote!(#path)),
    }
}

/// The functions converting one field.
pub struct CodecFns {
    /// `fn(&T) -> Result<AttributeValue, ValueError>`
    pub encode: TokenStream,
    /// `fn(AttributeValue) -> Result<T, ValueError>`
    pub decode: TokenStream,
    /// `fn(&V) -> Result<T, ValueError>`, `V` the engine's value type
    pub decode_ref: TokenStream,
    /// `fn() -> Result<T, ValueError>`
    pub missing: TokenStream,
    /// `fn(&T) -> Result<serde_json::Value, ValueError>`
    pub to_json: TokenStream,
}

pub fn codec_fns(field: &Field) -> CodecFns {
    let p = private();
    let ty = field.ty;
    if let Codec::Python = field.codec {
        // Spanned on the type, so that a type without the original's form
        // is reported once, there.
        let p = private_at(ty.span());
        return CodecFns {
            encode: quote_spanned!(ty.span()=> <#ty as #p::PythonAttribute>::to_python),
            decode: quote_spanned!(ty.span()=> <#ty as #p::PythonAttribute>::from_python),
            decode_ref: quote_spanned!(ty.span()=> <#ty as #p::PythonAttribute>::from_python_ref),
            missing: quote_spanned!(ty.span()=> <#ty as #p::PythonAttribute>::python_missing),
            to_json: quote_spanned!(ty.span()=> <#ty as #p::PythonAttribute>::python_json),
        };
    }
    match codec_module(&field.codec) {
        None => CodecFns {
            encode: quote!(<#ty as #p::Attribute>::to_attribute),
            decode: quote!(<#ty as #p::Attribute>::from_attribute),
            decode_ref: quote!(<#ty as #p::Attribute>::from_attribute_ref),
            missing: quote!(<#ty as #p::Attribute>::from_missing),
            to_json: quote!(<#ty as #p::Attribute>::to_json),
        },
        // A conversion module decodes owned values: borrowed ones (of any
        // engine's value type) are copied first, except where the crate's
        // own module reads them in place.
        Some(module) => CodecFns {
            encode: quote!(#module::to_attribute),
            decode: quote!(#module::from_attribute),
            decode_ref: match field.codec {
                Codec::Json => quote!(#p::json::from_attribute_ref),
                Codec::BoolAsNumber => quote!(<bool as #p::Attribute>::from_attribute_ref),
                _ => quote!(|value: &_| #p::known_copy(value).and_then(#module::from_attribute)),
            },
            missing: quote!(#module::from_missing),
            to_json: quote!(#module::to_json),
        },
    }
}

/// `to_json` of a struct: an object of its stored fields. The error of a
/// sensitive field leaves its value out, as `to_item`'s does.
pub fn to_json_body(shape: &Shape, wrap_error: TokenStream) -> TokenStream {
    let p = private();
    let count = shape.stored().count();
    let entries = shape.stored().map(|(_, f)| {
        let ident = f.ident;
        let stored = &f.stored_name;
        let to_json = codec_fns(f).to_json;
        let redact = if f.sensitive {
            quote!(#p::ValueError::redacted)
        } else {
            quote!(::core::convert::identity)
        };
        quote! {
            map.insert(::std::borrow::ToOwned::to_owned(#stored), #to_json(&self.#ident).map_err(|e| (#wrap_error)(#stored, #redact(e)))?);
        }
    });
    quote! {
        let mut map = #p::serde_json::Map::with_capacity(#count);
        #(#entries)*
        ::core::result::Result::Ok(#p::serde_json::Value::Object(map))
    }
}

/// Whether generated decoding takes the stored values or borrows them.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Owned,
    Borrowed,
}

impl Source {
    /// The decoder of values of this source.
    fn decoder(self, fns: &CodecFns) -> &TokenStream {
        match self {
            Source::Owned => &fns.decode,
            Source::Borrowed => &fns.decode_ref,
        }
    }
}

/// `Ok(Self { .. })` from the entries of a stored map (`entries` iterates
/// `(name, value)` pairs of `source`): one pass puts each stored field's value
/// in a slot, then `decode_field(position, slot, decoder, missing)` reads each.
pub fn decode_struct(
    shape: &Shape,
    entries: TokenStream,
    source: Source,
    decode_field: impl Fn(usize, &Ident, &TokenStream, &TokenStream) -> TokenStream,
) -> TokenStream {
    let take_slots = take_slots(shape, entries, source);
    let decodes = shape.fields.iter().enumerate().map(|(position, f)| {
        let ident = f.ident;
        if f.skip {
            return quote!(#ident: ::core::default::Default::default());
        }
        let fns = codec_fns(f);
        let value = decode_field(position, &slot(f), source.decoder(&fns), &fns.missing);
        quote!(#ident: #value)
    });
    quote! {
        #take_slots
        ::core::result::Result::Ok(Self { #(#decodes,)* })
    }
}

/// The local holding a stored field's value while a struct is decoded.
fn slot(field: &Field) -> Ident {
    format_ident!("__dynamodb_slot_{}", field.ident)
}

/// One pass over the entries of a stored map that puts each stored field's
/// value into its slot. Matching names beats one hash lookup per field.
fn take_slots(shape: &Shape, entries: TokenStream, source: Source) -> TokenStream {
    let p = private();
    // Borrowed values are of the engine's own value type, whichever it is.
    let (value_type, name) = match source {
        Source::Owned => (quote!(#p::AttributeValue), quote!(__dynamodb_name.as_str())),
        Source::Borrowed => (quote!(&_), quote!(__dynamodb_name)),
    };
    let decls = shape.stored().map(|(_, f)| {
        let slot = slot(f);
        quote!(let mut #slot: ::core::option::Option<#value_type> = ::core::option::Option::None;)
    });
    let arms = shape.stored().map(|(_, f)| {
        let slot = slot(f);
        let stored = &f.stored_name;
        quote!(#stored => #slot = ::core::option::Option::Some(__dynamodb_value),)
    });
    quote! {
        #(#decls)*
        for (__dynamodb_name, __dynamodb_value) in #entries {
            match #name {
                #(#arms)*
                _ => {}
            }
        }
    }
}

/// `impl Default` when any field declares a default: defaults apply only to
/// objects built in code.
pub fn default_impl(shape: &Shape) -> TokenStream {
    if shape
        .fields
        .iter()
        .all(|f| matches!(f.default, FieldDefault::Neutral))
    {
        return TokenStream::new();
    }
    let name = shape.ident;
    let (impl_generics, ty_generics, where_clause) = shape.generics.split_for_impl();
    let inits = shape.fields.iter().map(|f| {
        let ident = f.ident;
        match &f.default {
            FieldDefault::Expr(expr) => {
                quote_spanned!(expr.span()=> #ident: ::core::convert::Into::into(#expr))
            }
            FieldDefault::With(path) => quote!(#ident: #path()),
            FieldDefault::Neutral => quote!(#ident: ::core::default::Default::default()),
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
