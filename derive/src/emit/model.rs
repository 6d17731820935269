//! `#[derive(Model)]`: the `Model` impl, `impl Default` and the typed handles.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::composed::{entity_definition, insert_from_self, key_constructor, key_type_definition};
use super::handles::{field_handles, index_definition, index_handles, vector_index_definition};
use super::keys::{key_parts, KeyParts};
use super::{codec_fns, decode_struct, default_impl, private, private_at, to_json_body, Source};
use crate::check::{Codec, Field, Model, StreamView};

pub fn model(model: &Model) -> TokenStream {
    let p = private();
    let shape = &model.shape;
    let name = shape.ident;
    let model_name = name.to_string();
    let (impl_generics, ty_generics, where_clause) = shape.generics.split_for_impl();
    let KeyParts {
        hash_ty,
        range_ty,
        key_ty,
        hash_def,
        range_def,
        key_item,
        own_key_item,
    } = key_parts(model);
    let schema = schema(model, hash_def, range_def);
    let to_item = to_item(model);
    let from_owned = from_item(model, Source::Owned);
    let from_borrowed = from_item(model, Source::Borrowed);
    let to_json = to_json_body(
        shape,
        quote!(|name: &str, e| #p::AttributeError::new(#model_name, name, e)),
    );
    let policies = policies(model);
    let default = default_impl(shape);
    let field_handles = field_handles(shape);
    let index_handles = index_handles(model);
    let ttl_check = ttl_check(model);
    let unique_checks = model.unique.iter().map(|position| {
        let ty = model.field(*position).ty;
        let p = private_at(ty.span());
        quote_spanned! {ty.span()=>
            const _: fn() = || {
                fn a_unique_field_is_a_key_segment<T: #p::TemplateField>() {}
                a_unique_field_is_a_key_segment::<#ty>();
            };
        }
    });
    let key_types = model.composed().map(|c| key_type_definition(model, c));
    let key_constructor = key_constructor(model);
    quote! {
        impl #impl_generics #p::Model for #name #ty_generics #where_clause {
            type HashKey = #hash_ty;
            type RangeKey = #range_ty;
            type Key = #key_ty;

            const SCHEMA: #p::ModelSchema = #schema;
            #policies

            fn to_item(&self) -> ::core::result::Result<#p::Item, #p::AttributeError> {
                #to_item
            }

            fn from_item(item: #p::Item) -> ::core::result::Result<Self, #p::AttributeError> {
                #from_owned
            }

            fn from_item_ref<__DynamodbItem: #p::ItemAccess>(item: &__DynamodbItem) -> ::core::result::Result<Self, #p::AttributeError> {
                #from_borrowed
            }

            fn key_item(key: &Self::Key) -> ::core::result::Result<#p::Item, #p::AttributeError> {
                #key_item
            }

            fn own_key_item(&self) -> ::core::result::Result<#p::Item, #p::AttributeError> {
                #own_key_item
            }

            fn to_json(&self) -> ::core::result::Result<#p::serde_json::Value, #p::AttributeError> {
                #to_json
            }
        }
        #default
        #field_handles
        #index_handles
        #ttl_check
        #(#unique_checks)*
        #(#key_types)*
        #key_constructor
    }
}

/// The `ModelSchema` constant.
fn schema(model: &Model, hash_def: TokenStream, range_def: TokenStream) -> TokenStream {
    let p = private();
    let shape = &model.shape;
    let model_name = shape.ident.to_string();
    let table = &model.table;
    let stored_names = shape
        .stored()
        .map(|(_, f)| f.stored_name.clone())
        .chain(model.composed().map(|c| c.attribute.clone()))
        .chain(model.entity.iter().map(|e| e.attribute.clone()));
    let entities = model.entity.iter().map(entity_definition);
    let unique = model.unique.iter().map(|u| &model.field(*u).stored_name);
    let composed = model.composed().map(|c| {
        let ident = &c.type_ident;
        quote!(#p::ComposedKey { template: #ident::TEMPLATE, render: #ident::render_stored, parse: #ident::parse_stored })
    });
    let sensitive = shape
        .stored()
        .filter(|(_, f)| f.sensitive)
        .map(|(_, f)| &f.stored_name);
    let indexes = model.indexes.iter().map(|i| index_definition(model, i));
    let vector_indexes = model
        .vector_indexes
        .iter()
        .map(|i| vector_index_definition(model, i));
    let ttl = optional(model.ttl.map(|t| {
        let stored = &model.field(t).stored_name;
        quote!(#stored)
    }));
    let stream = optional(model.stream.map(|view| {
        let variant = match view {
            StreamView::KeysOnly => quote!(KeysOnly),
            StreamView::NewImage => quote!(NewImage),
            StreamView::OldImage => quote!(OldImage),
            StreamView::NewAndOldImages => quote!(NewAndOldImages),
        };
        quote!(#p::StreamView::#variant)
    }));
    quote! {
        #p::ModelSchema {
            model: #model_name,
            table: #table,
            hash_key: #hash_def,
            range_key: #range_def,
            attributes: &[#(#stored_names),*],
            sensitive: &[#(#sensitive),*],
            indexes: &[#(#indexes),*],
            vector_indexes: &[#(#vector_indexes),*],
            ttl: #ttl,
            unique: &[#(#unique),*],
            stream: #stream,
            entities: &[#(#entities),*],
            composed: &[#(#composed),*],
        }
    }
}

/// `Some(value)` or `None`, as code.
fn optional(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    }
}

/// Errors about a sensitive attribute keep its value out of the message.
fn redactor(field: &Field) -> TokenStream {
    let p = private();
    if field.sensitive {
        quote!(#p::AttributeError::redacted)
    } else {
        quote!(::core::convert::identity)
    }
}

/// The body of `to_item`.
fn to_item(model: &Model) -> TokenStream {
    let p = private();
    let shape = &model.shape;
    let model_name = shape.ident.to_string();
    let field_count = shape.stored().count() + model.composed().count() + 1;
    let encodes = shape.stored().map(|(position, f)| {
        let ident = f.ident;
        let stored = &f.stored_name;
        let encode = codec_fns(f).encode;
        if model.is_key(position) {
            quote! {
                item.insert(::std::borrow::ToOwned::to_owned(#stored), #p::encode_key(#model_name, #stored, #encode(&self.#ident))?);
            }
        } else {
            let redact = redactor(f);
            quote! {
                #p::encode_field(&mut item, #model_name, #stored, #encode(&self.#ident)).map_err(#redact)?;
            }
        }
    });
    let composed = model.composed().map(|c| insert_from_self(model, c));
    let entity = model.entity.as_ref().map(|entity| {
        let (name, attribute) = (&entity.name, &entity.attribute);
        quote! {
            item.insert(::std::borrow::ToOwned::to_owned(#attribute), #p::AttributeValue::S(::std::borrow::ToOwned::to_owned(#name)));
        }
    });
    quote! {
        let mut item = #p::item_with_capacity(#field_count);
        #(#encodes)*
        #(#composed)*
        #entity
        ::core::result::Result::Ok(item)
    }
}

/// The body of `from_item` (owned values) or `from_item_ref` (borrowed).
fn from_item(model: &Model, source: Source) -> TokenStream {
    let p = private();
    let model_name = model.shape.ident.to_string();
    let entity_check = model.entity.as_ref().map(|entity| {
        let definition = entity_definition(entity);
        let item = match source {
            Source::Owned => quote!(&item),
            Source::Borrowed => quote!(item),
        };
        quote!(#definition.check(#model_name, #item)?;)
    });
    let entries = match source {
        Source::Owned => quote!(item),
        Source::Borrowed => quote!(#p::ItemAccess::attributes(item)),
    };
    let decode = decode_struct(
        &model.shape,
        entries,
        source,
        |position, slot, decode, missing| {
            let f = model.field(position);
            let stored = &f.stored_name;
            if model.is_key(position) {
                quote!(#p::decode_key(#slot, #model_name, #stored, #decode)?)
            } else {
                let redact = redactor(f);
                quote!(#p::decode_field(#slot, #model_name, #stored, #decode, #missing).map_err(#redact)?)
            }
        },
    );
    quote! {
        #entity_check
        #decode
    }
}

/// The `POLICIES` constant, for a model with any policy (the trait's
/// default, `Policies::NONE`, otherwise).
fn policies(model: &Model) -> TokenStream {
    let with = [auto_increment(model), version(model), migrator(model)];
    if with.iter().all(TokenStream::is_empty) {
        return TokenStream::new();
    }
    let p = private();
    quote! {
        const POLICIES: #p::Policies<Self> = #p::Policies::NONE #(#with)*;
    }
}

/// The auto-increment hash key's accessors.
fn auto_increment(model: &Model) -> TokenStream {
    if !model.auto_increment {
        return TokenStream::new();
    }
    let p = private();
    let model_name = model.shape.ident.to_string();
    let crate::check::KeySource::Field(hash) = model.hash else {
        return TokenStream::new();
    };
    let hash = model.field(hash);
    let hash_ident = hash.ident;
    let hash_stored = &hash.stored_name;
    quote! {
        .with_auto_increment(#p::AutoIncrementField::new(
            |model: &Self| #p::AutoIncrementKey::is_unset(&model.#hash_ident),
            |model: &mut Self, key: i64| {
                model.#hash_ident = #p::AutoIncrementKey::from_counter(#model_name, #hash_stored, key)?;
                ::core::result::Result::Ok(())
            },
        ))
    }
}

/// The version field's attribute and accessors.
fn version(model: &Model) -> TokenStream {
    let Some(version) = model.version else {
        return TokenStream::new();
    };
    let model_name = model.shape.ident.to_string();
    let field = model.field(version);
    let ident = field.ident;
    let stored = &field.stored_name;
    let ty = field.ty;
    let p = private_at(ty.span());
    quote_spanned! {ty.span()=>
        .with_version(#p::VersionField::new(
            #stored,
            |model: &Self| #p::VersionNumber::to_i128(&model.#ident),
            |model: &mut Self, version: i128| {
                model.#ident = <#ty as #p::VersionNumber>::from_i128(#model_name, #stored, version)?;
                ::core::result::Result::Ok(())
            },
        ).with_max(<#ty as #p::VersionNumber>::MAX))
    }
}

/// The migrator's steps, run before a stored item is decoded.
fn migrator(model: &Model) -> TokenStream {
    let Some(migrator) = &model.migrator else {
        return TokenStream::new();
    };
    let p = private();
    quote! {
        .with_migrator(#p::migrate::<Self, #migrator>)
    }
}

/// DynamoDB expires items by a number of epoch seconds: a time-to-live
/// field stored by its own type must be a number (checked by the compiler,
/// with the error on the field's type).
fn ttl_check(model: &Model) -> TokenStream {
    let Some(ttl) = model.ttl else {
        return TokenStream::new();
    };
    let field = model.field(ttl);
    if !matches!(field.codec, Codec::Attribute) {
        return TokenStream::new();
    }
    let ty = field.ty;
    let p = private_at(ty.span());
    quote_spanned! {ty.span()=>
        const _: fn() = || {
            fn time_to_live_needs_a_number<T: #p::NumberAttribute>() {}
            time_to_live_needs_a_number::<#ty>();
        };
    }
}
