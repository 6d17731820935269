//! Code generation for `#[derive(Model)]` and `#[derive(Attribute)]`.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DeriveInput, LitStr};

use crate::attributes::{fields, model_options, Codec, FieldSpec, ModelOptions, Projection};

/// The JSON view of one field: `to_json(&T)`.
fn json_fn(field: &FieldSpec) -> TokenStream {
    let ty = &field.ty;
    match &field.codec {
        Codec::Attribute => quote!(<#ty as ::dynamodb_mapper::Attribute>::to_json),
        Codec::With(path) => quote!(#path::to_json),
    }
}

/// `to_json` of a struct: an object of its stored fields.
fn to_json_body(fields: &[FieldSpec], wrap_error: TokenStream) -> TokenStream {
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

/// The functions converting one field: encode(&T), decode(value), missing().
fn codec_fns(field: &FieldSpec) -> (TokenStream, TokenStream, TokenStream) {
    let ty = &field.ty;
    match &field.codec {
        Codec::Attribute => (
            quote!(<#ty as ::dynamodb_mapper::Attribute>::to_attribute),
            quote!(<#ty as ::dynamodb_mapper::Attribute>::from_attribute),
            quote!(<#ty as ::dynamodb_mapper::Attribute>::from_missing),
        ),
        Codec::With(path) => (
            quote!(#path::to_attribute),
            quote!(#path::from_attribute),
            quote!(#path::from_missing),
        ),
    }
}

fn stored(fields: &[FieldSpec]) -> impl Iterator<Item = &FieldSpec> {
    fields.iter().filter(|f| !f.skip)
}

fn is_key_field(field: &FieldSpec, hash: &FieldSpec, range: Option<&FieldSpec>) -> bool {
    field.ident == hash.ident || range.is_some_and(|r| r.ident == field.ident)
}

fn find_key<'a>(fields: &'a [FieldSpec], name: &LitStr, role: &str) -> syn::Result<&'a FieldSpec> {
    let field = fields
        .iter()
        .find(|f| f.ident == name.value().as_str())
        .ok_or_else(|| {
            syn::Error::new_spanned(
                name,
                format!("{role} `{}` names no field of this struct", name.value()),
            )
        })?;
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
fn default_impl(input: &DeriveInput, fields: &[FieldSpec]) -> TokenStream {
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
    let key_def = |f: &FieldSpec| {
        let ty = &f.ty;
        let stored = &f.stored_name;
        // The span puts a wrong key type's error on the field's type.
        quote_spanned! {ty.span()=>
            ::dynamodb_mapper::model::KeyDefinition {
                attribute: #stored,
                scalar_type: <#ty as ::dynamodb_mapper::KeyAttribute>::SCALAR_TYPE,
            }
        }
    };
    let hash_def = key_def(hash);
    let (range_ty, key_ty, range_def, key_item, own_key_item) = match range {
        Some(range) => {
            let range_ty = &range.ty;
            let range_ident = &range.ident;
            let range_stored = &range.stored_name;
            let def = key_def(range);
            (
                quote!(#range_ty),
                quote!((#hash_ty, #range_ty)),
                quote!(::core::option::Option::Some(#def)),
                quote! {
                    let mut item = ::dynamodb_mapper::Item::with_capacity(2);
                    item.insert(#hash_stored.to_owned(), ::dynamodb_mapper::model::codec::encode_key(#model_name, #hash_stored, ::dynamodb_mapper::Attribute::to_attribute(&key.0))?);
                    item.insert(#range_stored.to_owned(), ::dynamodb_mapper::model::codec::encode_key(#model_name, #range_stored, ::dynamodb_mapper::Attribute::to_attribute(&key.1))?);
                    ::core::result::Result::Ok(item)
                },
                quote! {
                    let mut item = ::dynamodb_mapper::Item::with_capacity(2);
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
                let mut item = ::dynamodb_mapper::Item::with_capacity(1);
                item.insert(#hash_stored.to_owned(), ::dynamodb_mapper::model::codec::encode_key(#model_name, #hash_stored, ::dynamodb_mapper::Attribute::to_attribute(key))?);
                ::core::result::Result::Ok(item)
            },
            quote! {
                let mut item = ::dynamodb_mapper::Item::with_capacity(1);
                item.insert(#hash_stored.to_owned(), ::dynamodb_mapper::model::codec::encode_key(#model_name, #hash_stored, ::dynamodb_mapper::Attribute::to_attribute(&self.#hash_ident))?);
                ::core::result::Result::Ok(item)
            },
        ),
    };
    let is_key = |f: &FieldSpec| f.ident == hash.ident || range.is_some_and(|r| r.ident == f.ident);

    let stored_names: Vec<&String> = stored(&fields).map(|f| &f.stored_name).collect();
    let field_count = stored_names.len();
    let encodes = stored(&fields).map(|f| {
        let ident = &f.ident;
        let stored = &f.stored_name;
        let (encode, _, _) = codec_fns(f);
        if is_key(f) {
            quote! {
                item.insert(#stored.to_owned(), ::dynamodb_mapper::model::codec::encode_key(#model_name, #stored, #encode(&self.#ident))?);
            }
        } else {
            quote! {
                ::dynamodb_mapper::model::codec::encode_field(&mut item, #model_name, #stored, #encode(&self.#ident))?;
            }
        }
    });
    let decodes = fields.iter().map(|f| {
        let ident = &f.ident;
        let stored = &f.stored_name;
        let (_, decode, missing) = codec_fns(f);
        if f.skip {
            quote!(#ident: ::core::default::Default::default())
        } else if is_key(f) {
            quote!(#ident: ::dynamodb_mapper::model::codec::decode_key(&mut item, #model_name, #stored)?)
        } else {
            quote!(#ident: ::dynamodb_mapper::model::codec::decode_field(&mut item, #model_name, #stored, #decode, #missing)?)
        }
    });
    let default = default_impl(input, &fields);
    let accessors = field_accessors(input, &fields);
    let auto_increment_fns = if auto_increment {
        quote! {
            fn needs_hash_key(&self) -> bool {
                ::dynamodb_mapper::features::auto_increment::AutoIncrementKey::is_unset(&self.#hash_ident)
            }

            fn assign_hash_key(&mut self, key: i64) -> ::core::result::Result<(), ::dynamodb_mapper::AttributeError> {
                self.#hash_ident = ::dynamodb_mapper::features::auto_increment::AutoIncrementKey::from_counter(#model_name, #hash_stored, key)?;
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
            let field = fields
                .iter()
                .find(|f| f.ident == name.value().as_str())
                .ok_or_else(|| {
                    syn::Error::new_spanned(
                        name,
                        format!("ttl `{}` names no field of this struct", name.value()),
                    )
                })?;
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
                    fn version(&self) -> ::core::option::Option<i64> {
                        ::core::option::Option::Some(::dynamodb_mapper::features::versioning::VersionNumber::to_i64(&self.#ident))
                    }

                    fn set_version(&mut self, version: i64) -> ::core::result::Result<(), ::dynamodb_mapper::AttributeError> {
                        self.#ident = <#ty as ::dynamodb_mapper::features::versioning::VersionNumber>::from_i64(#model_name, #stored, version)?;
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
                ::dynamodb_mapper::features::migration::migrate::<Self, #migrator>(item)
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
                indexes: &[#(#index_defs),*],
                ttl: #ttl,
                stream: #stream,
            };

            fn to_item(&self) -> ::core::result::Result<::dynamodb_mapper::Item, ::dynamodb_mapper::AttributeError> {
                let mut item = ::dynamodb_mapper::Item::with_capacity(#field_count);
                #(#encodes)*
                ::core::result::Result::Ok(item)
            }

            fn from_item(mut item: ::dynamodb_mapper::Item) -> ::core::result::Result<Self, ::dynamodb_mapper::AttributeError> {
                ::core::result::Result::Ok(Self { #(#decodes,)* })
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

/// The index definitions for the schema, and `Name::indexes()` with a typed
/// handle per index.
fn indexes(
    input: &DeriveInput,
    options: &ModelOptions,
    fields: &[FieldSpec],
    hash: &FieldSpec,
    range: Option<&FieldSpec>,
) -> syn::Result<(Vec<TokenStream>, TokenStream)> {
    let name = &input.ident;
    let mut defs = Vec::new();
    let mut decls = Vec::new();
    let mut inits = Vec::new();
    let key_def = |f: &FieldSpec| {
        let ty = &f.ty;
        let stored = &f.stored_name;
        quote_spanned! {ty.span()=>
            ::dynamodb_mapper::model::KeyDefinition {
                attribute: #stored,
                scalar_type: <#ty as ::dynamodb_mapper::KeyAttribute>::SCALAR_TYPE,
            }
        }
    };
    let field_named = |lit: &LitStr, role: &str| -> syn::Result<&FieldSpec> {
        fields
            .iter()
            .find(|f| f.ident == lit.value().as_str() && !f.skip)
            .ok_or_else(|| {
                syn::Error::new_spanned(
                    lit,
                    format!(
                        "{role} `{}` names no stored field of this struct",
                        lit.value()
                    ),
                )
            })
    };
    for index in &options.indexes {
        if !index.global && range.is_none() {
            return Err(syn::Error::new(
                index.span,
                "a local index needs a table with a range key",
            ));
        }
        let index_hash = match &index.hash_key {
            Some(lit) => field_named(lit, "hash_key")?,
            None => hash,
        };
        let index_range = index
            .range_key
            .as_ref()
            .map(|lit| field_named(lit, "range_key"))
            .transpose()?;
        let index_name = &index.name;
        let kind = if index.global {
            quote!(Global)
        } else {
            quote!(Local)
        };
        let hash_def = key_def(index_hash);
        let range_def = match index_range {
            Some(f) => {
                let def = key_def(f);
                quote!(::core::option::Option::Some(#def))
            }
            None => quote!(::core::option::Option::None),
        };
        let projection = match &index.projection {
            Projection::All => quote!(All),
            Projection::KeysOnly => quote!(KeysOnly),
            Projection::Include(names) => {
                let stored = names
                    .iter()
                    .map(|lit| field_named(lit, "include").map(|f| f.stored_name.clone()))
                    .collect::<syn::Result<Vec<_>>>()?;
                quote!(Include(&[#(#stored),*]))
            }
        };
        defs.push(quote! {
            ::dynamodb_mapper::model::IndexDefinition {
                name: #index_name,
                kind: ::dynamodb_mapper::model::IndexKind::#kind,
                hash_key: #hash_def,
                range_key: #range_def,
                projection: ::dynamodb_mapper::model::Projection::#projection,
            }
        });
        let handle = syn::Ident::new(
            &index_name.value().replace(['-', '.'], "_"),
            index_name.span(),
        );
        let hash_ty = &index_hash.ty;
        let range_ty = match index_range {
            Some(f) => {
                let ty = &f.ty;
                quote!(#ty)
            }
            None => quote!(::dynamodb_mapper::model::NoRangeKey),
        };
        let doc = format!("The `{}` index.", index_name.value());
        decls.push(quote!(#[doc = #doc] pub #handle: ::dynamodb_mapper::model::Index<#name, #hash_ty, #range_ty>));
        inits.push(quote!(#handle: ::dynamodb_mapper::model::Index::new(#index_name)));
    }
    if options.indexes.is_empty() || !input.generics.params.is_empty() {
        return Ok((defs, TokenStream::new()));
    }
    let vis = &input.vis;
    let indexes_name = format_ident!("{}Indexes", name);
    let doc = format!("Typed handles on the secondary indexes of [`{name}`].");
    Ok((
        defs,
        quote! {
            #[doc = #doc]
            #[derive(Clone, Copy, Debug)]
            #[allow(dead_code)]
            #vis struct #indexes_name {
                #(#decls,)*
            }

            impl #name {
                /// Typed handles on this model's secondary indexes, to query and scan them.
                #[allow(dead_code)]
                #vis const fn indexes() -> #indexes_name {
                    #indexes_name { #(#inits,)* }
                }
            }
        },
    ))
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
        quote!(#[doc = #doc] pub #ident: ::dynamodb_mapper::expression::Field<#name, #ty>)
    });
    let inits = stored(fields).map(|f| {
        let ident = &f.ident;
        let stored = &f.stored_name;
        let (encode, _, _) = codec_fns(f);
        quote!(#ident: ::dynamodb_mapper::expression::Field::new(#stored, #encode))
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
        let (encode, _, _) = codec_fns(f);
        quote!(::dynamodb_mapper::model::codec::encode_nested(&mut map, #stored, #encode(&self.#ident))?;)
    });
    let decodes = fields.iter().map(|f| {
        let ident = &f.ident;
        let stored = &f.stored_name;
        let (_, decode, missing) = codec_fns(f);
        if f.skip {
            quote!(#ident: ::core::default::Default::default())
        } else {
            quote!(#ident: ::dynamodb_mapper::model::codec::decode_nested(&mut map, #stored, #decode, #missing)?)
        }
    });
    let default = default_impl(input, &fields);
    let to_json = to_json_body(
        &fields,
        quote!(|name: &str, e: ::dynamodb_mapper::attribute::ValueError| e.in_key(name)),
    );
    Ok(quote! {
        impl #impl_generics ::dynamodb_mapper::Attribute for #name #ty_generics #where_clause {
            fn to_json(&self) -> ::core::result::Result<::dynamodb_mapper::__private::serde_json::Value, ::dynamodb_mapper::attribute::ValueError> {
                #to_json
            }

            fn to_attribute(&self) -> ::core::result::Result<::dynamodb_mapper::AttributeValue, ::dynamodb_mapper::attribute::ValueError> {
                let mut map = ::dynamodb_mapper::Item::with_capacity(#field_count);
                #(#encodes)*
                ::core::result::Result::Ok(::dynamodb_mapper::AttributeValue::M(map))
            }

            fn from_attribute(value: ::dynamodb_mapper::AttributeValue) -> ::core::result::Result<Self, ::dynamodb_mapper::attribute::ValueError> {
                let mut map = ::dynamodb_mapper::model::codec::nested_map(value)?;
                ::core::result::Result::Ok(Self { #(#decodes,)* })
            }

            fn from_missing() -> ::core::result::Result<Self, ::dynamodb_mapper::attribute::ValueError> {
                Self::from_attribute(::dynamodb_mapper::AttributeValue::M(::dynamodb_mapper::Item::new()))
            }
        }
        #default
    })
}
