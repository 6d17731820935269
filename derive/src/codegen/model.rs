//! `#[derive(Model)]`: the `Model` impl, defaults and typed field handles.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::DeriveInput;

use super::indexes::indexes;
use super::{
    codec_fns, decode_struct, default_impl, find_field, find_key, is_key_field, key_definition,
    stored, to_json_body, Source,
};
use crate::attributes::{fields, model_options, Codec, FieldSpec};

pub fn model(input: &DeriveInput) -> syn::Result<TokenStream> {
    let options = model_options(input)?;
    let fields = fields(input)?;
    let name = &input.ident;
    let model_name = name.to_string();
    let table = options.table.as_ref().ok_or_else(|| {
        syn::Error::new(
            Span::call_site(),
            "a model needs a table: add #[dynamodb(table = \"...\")]",
        )
    })?;
    if table.value().len() < 3 {
        return Err(syn::Error::new_spanned(
            table,
            "DynamoDB table names have at least 3 characters",
        ));
    }
    let hash_name = options.hash_key.as_ref().ok_or_else(|| {
        syn::Error::new(
            Span::call_site(),
            "a model needs a hash key: add #[dynamodb(hash_key = \"field\")]",
        )
    })?;
    let hash = find_key(&fields, hash_name, "hash_key")?;
    let range = options
        .range_key
        .as_ref()
        .map(|r| find_key(&fields, r, "range_key"))
        .transpose()?;
    if let Some(range) = range {
        if range.ident == hash.ident {
            return Err(syn::Error::new_spanned(
                options.range_key.as_ref(),
                "the range key must be another field than the hash key",
            ));
        }
    }
    if let Some(stray) = fields
        .iter()
        .find(|f| f.auto_increment && f.ident != hash.ident)
    {
        return Err(syn::Error::new_spanned(
            &stray.ident,
            "`auto_increment` belongs on the hash key field",
        ));
    }
    let auto_increment = hash.auto_increment;
    let versions: Vec<&FieldSpec> = fields.iter().filter(|f| f.version).collect();
    if let Some(second) = versions.get(1) {
        return Err(syn::Error::new_spanned(
            &second.ident,
            "a model has at most one `version` field",
        ));
    }
    let version_field = versions.first().copied();
    if let Some(v) = version_field {
        if is_key_field(v, hash, range) || v.skip || !matches!(v.codec, Codec::Attribute) {
            return Err(syn::Error::new_spanned(
                &v.ident,
                "the `version` field must be a plain non-key attribute (no `skip`, `json`, `bool_as_number` or `with`)",
            ));
        }
    }
    if auto_increment && range.is_some() {
        return Err(syn::Error::new_spanned(
            options.range_key.as_ref(),
            "an auto_increment hash key cannot be combined with a range key: the counter item lives at hash key -1 of a hash-only table",
        ));
    }
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();

    let hash_ty = &hash.ty;
    let hash_ident = &hash.ident;
    let hash_stored = &hash.stored_name;
    let hash_def = key_definition(hash);
    let (range_ty, key_ty, range_def, key_item, own_key_item) = match range {
        Some(range) => {
            let range_ty = &range.ty;
            let range_ident = &range.ident;
            let range_stored = &range.stored_name;
            let def = key_definition(range);
            (
                quote!(#range_ty),
                quote!((#hash_ty, #range_ty)),
                quote!(::core::option::Option::Some(#def)),
                quote! {
                    let mut item = ::dynamodb_mapper::attribute::item_with_capacity(2);
                    item.insert(#hash_stored.to_owned(), ::dynamodb_mapper::model::codec::encode_key(#model_name, #hash_stored, ::dynamodb_mapper::Attribute::to_attribute(&key.0))?);
                    item.insert(#range_stored.to_owned(), ::dynamodb_mapper::model::codec::encode_key(#model_name, #range_stored, ::dynamodb_mapper::Attribute::to_attribute(&key.1))?);
                    ::core::result::Result::Ok(item)
                },
                quote! {
                    let mut item = ::dynamodb_mapper::attribute::item_with_capacity(2);
                    item.insert(#hash_stored.to_owned(), ::dynamodb_mapper::model::codec::encode_key(#model_name, #hash_stored, ::dynamodb_mapper::Attribute::to_attribute(&self.#hash_ident))?);
                    item.insert(#range_stored.to_owned(), ::dynamodb_mapper::model::codec::encode_key(#model_name, #range_stored, ::dynamodb_mapper::Attribute::to_attribute(&self.#range_ident))?);
                    ::core::result::Result::Ok(item)
                },
            )
        }
        None => (
            quote!(::dynamodb_mapper::model::NoRangeKey),
            quote!(#hash_ty),
            quote!(::core::option::Option::None),
            quote! {
                let mut item = ::dynamodb_mapper::attribute::item_with_capacity(1);
                item.insert(#hash_stored.to_owned(), ::dynamodb_mapper::model::codec::encode_key(#model_name, #hash_stored, ::dynamodb_mapper::Attribute::to_attribute(key))?);
                ::core::result::Result::Ok(item)
            },
            quote! {
                let mut item = ::dynamodb_mapper::attribute::item_with_capacity(1);
                item.insert(#hash_stored.to_owned(), ::dynamodb_mapper::model::codec::encode_key(#model_name, #hash_stored, ::dynamodb_mapper::Attribute::to_attribute(&self.#hash_ident))?);
                ::core::result::Result::Ok(item)
            },
        ),
    };
    let is_key = |f: &FieldSpec| f.ident == hash.ident || range.is_some_and(|r| r.ident == f.ident);

    let stored_names: Vec<&String> = stored(&fields).map(|f| &f.stored_name).collect();
    let sensitive: Vec<&String> = stored(&fields)
        .filter(|f| f.sensitive)
        .map(|f| &f.stored_name)
        .collect();
    let field_count = stored_names.len();
    // Errors about a sensitive attribute keep its value out of the message.
    let redactor = |f: &FieldSpec| {
        if f.sensitive {
            quote!(::dynamodb_mapper::AttributeError::redacted)
        } else {
            quote!(::core::convert::identity)
        }
    };
    let encodes = stored(&fields).map(|f| {
        let ident = &f.ident;
        let stored = &f.stored_name;
        let redact = redactor(f);
        let encode = codec_fns(f).encode;
        if is_key(f) {
            quote! {
                item.insert(#stored.to_owned(), ::dynamodb_mapper::model::codec::encode_key(#model_name, #stored, #encode(&self.#ident))?);
            }
        } else {
            quote! {
                ::dynamodb_mapper::model::codec::encode_field(&mut item, #model_name, #stored, #encode(&self.#ident)).map_err(#redact)?;
            }
        }
    });
    // `from_item` (owned values) and `from_item_ref` (borrowed).
    let decode_item = |source: Source| {
        decode_struct(&fields, quote!(item), source, |f, slot, decode, missing| {
            let stored = &f.stored_name;
            let redact = redactor(f);
            if is_key(f) {
                quote!(::dynamodb_mapper::model::codec::decode_key(#slot, #model_name, #stored, #decode)?)
            } else {
                quote!(::dynamodb_mapper::model::codec::decode_field(#slot, #model_name, #stored, #decode, #missing).map_err(#redact)?)
            }
        })
    };
    let from_item = decode_item(Source::Owned);
    let from_item_ref = decode_item(Source::Borrowed);
    let default = default_impl(input, &fields);
    let accessors = field_accessors(input, &fields);
    let auto_increment_fns = if auto_increment {
        quote! {
            fn needs_hash_key(&self) -> bool {
                ::dynamodb_mapper::model::auto_increment::AutoIncrementKey::is_unset(&self.#hash_ident)
            }

            fn assign_hash_key(&mut self, key: i64) -> ::core::result::Result<(), ::dynamodb_mapper::AttributeError> {
                self.#hash_ident = ::dynamodb_mapper::model::auto_increment::AutoIncrementKey::from_counter(#model_name, #hash_stored, key)?;
                ::core::result::Result::Ok(())
            }
        }
    } else {
        TokenStream::new()
    };
    let to_json = to_json_body(
        &fields,
        quote!(|name: &str, e| ::dynamodb_mapper::AttributeError::new(#model_name, name, e)),
    );
    let (index_defs, index_handles) = indexes(input, &options, &fields, hash, range)?;
    let mut ttl_check = TokenStream::new();
    let ttl = match &options.ttl {
        Some(name) => {
            let field = find_field(&fields, name, "ttl")?;
            let stored = &field.stored_name;
            if matches!(field.codec, Codec::Attribute) {
                // DynamoDB expires items by a number of epoch seconds.
                let ty = &field.ty;
                ttl_check = quote_spanned! {ty.span()=>
                    const _: fn() = || {
                        fn time_to_live_needs_a_number<T: ::dynamodb_mapper::attribute::NumberAttribute>() {}
                        time_to_live_needs_a_number::<#ty>();
                    };
                };
            }
            quote!(::core::option::Option::Some(#stored))
        }
        None => quote!(::core::option::Option::None),
    };
    let stream = match &options.stream {
        Some(view) => {
            let variant =
                match view.value().as_str() {
                    "keys_only" => quote!(KeysOnly),
                    "new_image" => quote!(NewImage),
                    "old_image" => quote!(OldImage),
                    "new_and_old_images" => quote!(NewAndOldImages),
                    _ => return Err(syn::Error::new_spanned(
                        view,
                        "stream is `keys_only`, `new_image`, `old_image` or `new_and_old_images`",
                    )),
                };
            quote!(::core::option::Option::Some(::dynamodb_mapper::model::StreamView::#variant))
        }
        None => quote!(::core::option::Option::None),
    };
    let migrates = options.migrator.is_some();
    let (version_schema, version_fns) = match version_field {
        Some(v) => {
            let ident = &v.ident;
            let stored = &v.stored_name;
            let ty = &v.ty;
            (
                quote!(::core::option::Option::Some(#stored)),
                quote_spanned! {ty.span()=>
                    fn version(&self) -> ::core::option::Option<i128> {
                        ::core::option::Option::Some(::dynamodb_mapper::model::version::VersionNumber::to_i128(&self.#ident))
                    }

                    fn set_version(&mut self, version: i128) -> ::core::result::Result<(), ::dynamodb_mapper::AttributeError> {
                        self.#ident = <#ty as ::dynamodb_mapper::model::version::VersionNumber>::from_i128(#model_name, #stored, version)?;
                        ::core::result::Result::Ok(())
                    }
                },
            )
        }
        None => (quote!(::core::option::Option::None), TokenStream::new()),
    };
    let migrate_fn = match &options.migrator {
        Some(migrator) => quote! {
            fn migrate(item: ::dynamodb_mapper::Item) -> ::core::result::Result<::dynamodb_mapper::Item, ::dynamodb_mapper::Error> {
                ::dynamodb_mapper::model::migration::migrate::<Self, #migrator>(item)
            }
        },
        None => TokenStream::new(),
    };

    Ok(quote! {
        impl #impl_generics ::dynamodb_mapper::Model for #name #ty_generics #where_clause {
            type HashKey = #hash_ty;
            type RangeKey = #range_ty;
            type Key = #key_ty;

            const SCHEMA: ::dynamodb_mapper::model::ModelSchema = ::dynamodb_mapper::model::ModelSchema {
                model: #model_name,
                table: #table,
                hash_key: #hash_def,
                range_key: #range_def,
                attributes: &[#(#stored_names),*],
                auto_increment: #auto_increment,
                migrates: #migrates,
                version: #version_schema,
                sensitive: &[#(#sensitive),*],
                indexes: &[#(#index_defs),*],
                ttl: #ttl,
                stream: #stream,
            };

            fn to_item(&self) -> ::core::result::Result<::dynamodb_mapper::Item, ::dynamodb_mapper::AttributeError> {
                let mut item = ::dynamodb_mapper::attribute::item_with_capacity(#field_count);
                #(#encodes)*
                ::core::result::Result::Ok(item)
            }

            fn from_item(item: ::dynamodb_mapper::Item) -> ::core::result::Result<Self, ::dynamodb_mapper::AttributeError> {
                #from_item
            }

            fn from_item_ref(item: &::dynamodb_mapper::Item) -> ::core::result::Result<Self, ::dynamodb_mapper::AttributeError> {
                #from_item_ref
            }

            fn key_item(key: &Self::Key) -> ::core::result::Result<::dynamodb_mapper::Item, ::dynamodb_mapper::AttributeError> {
                #key_item
            }

            fn own_key_item(&self) -> ::core::result::Result<::dynamodb_mapper::Item, ::dynamodb_mapper::AttributeError> {
                #own_key_item
            }

            fn to_json(&self) -> ::core::result::Result<::dynamodb_mapper::__private::serde_json::Value, ::dynamodb_mapper::AttributeError> {
                #to_json
            }

            #auto_increment_fns
            #migrate_fn
            #version_fns
        }
        #default
        #accessors
        #index_handles
        #ttl_check
    })
}

/// `Name::fields()`: typed handles on each stored attribute, for conditions.
fn field_accessors(input: &DeriveInput, fields: &[FieldSpec]) -> TokenStream {
    if !input.generics.params.is_empty() {
        return TokenStream::new();
    }
    let name = &input.ident;
    let vis = &input.vis;
    let fields_name = format_ident!("{}Fields", name);
    let doc = format!(
        "Typed handles on the stored attributes of [`{name}`], for conditions and filters."
    );
    let decls = stored(fields).map(|f| {
        let ident = &f.ident;
        let ty = &f.ty;
        let doc = format!("The `{}` attribute.", f.stored_name);
        quote!(#[doc = #doc] pub #ident: ::dynamodb_mapper::model::Field<#name, #ty>)
    });
    let inits = stored(fields).map(|f| {
        let ident = &f.ident;
        let stored = &f.stored_name;
        let encode = codec_fns(f).encode;
        quote!(#ident: ::dynamodb_mapper::model::Field::new(#stored, #encode))
    });
    quote! {
        #[doc = #doc]
        #[derive(Clone, Copy, Debug)]
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
