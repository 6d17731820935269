//! Composed keys: one generated key type per template (`OrderPk { customer_id }`),
//! which renders the key's text from its fields and parses it back, and the
//! code of the model that stores it beside the fields.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::{private, private_at};
use crate::check::{Composed, ComposedPart, Entity, KeySource, Model};

/// The Rust type of a key attribute's values.
pub fn key_type(model: &Model, source: &KeySource) -> TokenStream {
    match source {
        KeySource::Field(position) => {
            let ty = model.field(*position).ty;
            quote!(#ty)
        }
        KeySource::Composed(composed) => {
            let ident = &composed.type_ident;
            quote!(#ident)
        }
    }
}

/// The type a field has in a key: its own, or what an `Option` holds in a
/// sparse (index) key. The span puts a type that cannot be rendered on the
/// field's type.
fn segment_type(model: &Model, composed: &Composed, position: usize) -> TokenStream {
    let ty = model.field(position).ty;
    let p = private_at(ty.span());
    if composed.sparse {
        quote_spanned!(ty.span()=> <#ty as #p::TemplateField>::Segment)
    } else {
        quote!(#ty)
    }
}

/// A template's fields, as the generated code names them.
struct KeyFields<'a> {
    idents: Vec<&'a syn::Ident>,
    stored: Vec<&'a String>,
    /// The types in the key (what an `Option` holds, in an index key).
    types: Vec<TokenStream>,
    /// The fields' own types.
    field_types: Vec<&'a syn::Type>,
}

impl<'a> KeyFields<'a> {
    fn of(model: &'a Model, composed: &Composed) -> Self {
        let fields: Vec<usize> = composed.fields().collect();
        KeyFields {
            idents: fields.iter().map(|f| model.field(*f).ident).collect(),
            stored: fields
                .iter()
                .map(|f| &model.field(*f).stored_name)
                .collect(),
            types: fields
                .iter()
                .map(|f| segment_type(model, composed, *f))
                .collect(),
            field_types: fields.iter().map(|f| model.field(*f).ty).collect(),
        }
    }
}

/// The key type of a template, with its `Attribute` and `KeyAttribute` impls.
pub fn key_type_definition(model: &Model, composed: &Composed) -> TokenStream {
    let p = private();
    let model_name = model.shape.ident.to_string();
    let vis = model.shape.vis;
    let ident = &composed.type_ident;
    let attribute = &composed.attribute;
    let fields = KeyFields::of(model, composed);
    let KeyFields { idents, types, .. } = &fields;
    let template_parts = composed.parts.iter().map(|part| match part {
        ComposedPart::Literal(text) => quote!(#p::TemplatePart::Literal(#text)),
        ComposedPart::Field(position) => {
            let stored = &model.field(*position).stored_name;
            quote!(#p::TemplatePart::Field(#stored))
        }
    });
    let renders = composed
        .parts
        .iter()
        .enumerate()
        .map(|(index, part)| match part {
            ComposedPart::Literal(text) => quote!(__dynamodb_out.push_str(#text);),
            ComposedPart::Field(position) => {
                let field = model.field(*position).ident;
                quote!(#p::render_segment(&mut __dynamodb_out, &Self::TEMPLATE, #index, #field)?;)
            }
        });
    let stored_impl = stored_impl(&model_name, composed, &fields);
    let attribute_impl = attribute_impl(composed, &fields);
    let end_checks = end_checks(model, composed);
    let doc = format!(
        "The `{attribute}` key of [`{model_name}`], composed from its fields: `{}`.",
        template_text(model, composed)
    );
    quote! {
        #[doc = #doc]
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
        #vis struct #ident {
            #(#[allow(missing_docs)] pub #idents: #types,)*
        }

        impl #ident {
            /// The template, as the schema lists it.
            pub const TEMPLATE: #p::KeyTemplate = #p::KeyTemplate {
                attribute: #attribute,
                parts: &[#(#template_parts),*],
                widths: &[#(<#types as #p::KeySegment>::WIDTH),*],
            };

            /// The key's text from its fields' values.
            #[allow(clippy::ptr_arg)]
            pub fn render(#(#idents: &#types),*) -> ::core::result::Result<::std::string::String, #p::ValueError> {
                let mut __dynamodb_out = ::std::string::String::new();
                #(#renders)*
                ::core::result::Result::Ok(__dynamodb_out)
            }
        }

        #stored_impl
        #attribute_impl
        #end_checks
    }
}

/// The key type's conversions from and to the fields' stored attributes,
/// which updates and the schema's `ComposedKey` use.
fn stored_impl(model_name: &str, composed: &Composed, fields: &KeyFields) -> TokenStream {
    let p = private();
    let ident = &composed.type_ident;
    let attribute = &composed.attribute;
    let KeyFields {
        idents,
        stored,
        field_types,
        ..
    } = fields;
    let field_count = idents.len();
    quote! {
        impl #ident {
            /// The key from a stored item's fields; `None` when one is not
            /// stored, or the key would be empty.
            pub fn render_stored(__dynamodb_item: &#p::Item) -> ::core::result::Result<::core::option::Option<#p::AttributeValue>, #p::AttributeError> {
                #(
                    let ::core::option::Option::Some(#idents) = <#field_types as #p::TemplateField>::stored(__dynamodb_item.get(#stored))
                        .map_err(|e| #p::AttributeError::new(#model_name, #stored, e))?
                    else {
                        return ::core::result::Result::Ok(::core::option::Option::None);
                    };
                )*
                // DynamoDB refuses an empty key: an empty one leaves the item out.
                Self::render(#(&#idents),*)
                    .map(|text| (!text.is_empty()).then_some(#p::AttributeValue::S(text)))
                    .map_err(|e| #p::AttributeError::new(#model_name, #attribute, e))
            }

            /// The fields' stored attributes from a stored key.
            pub fn parse_stored(value: &#p::AttributeValue) -> ::core::result::Result<#p::Item, #p::AttributeError> {
                let error = |e| #p::AttributeError::new(#model_name, #attribute, e);
                let key = <Self as #p::Attribute>::from_attribute_ref(value).map_err(error)?;
                let mut item = #p::item_with_capacity(#field_count);
                #(
                    item.insert(::std::borrow::ToOwned::to_owned(#stored), #p::Attribute::to_attribute(&key.#idents).map_err(error)?);
                )*
                ::core::result::Result::Ok(item)
            }
        }
    }
}

/// The key type as an attribute: its text, rendered and parsed back.
fn attribute_impl(composed: &Composed, fields: &KeyFields) -> TokenStream {
    let p = private();
    let ident = &composed.type_ident;
    let KeyFields { idents, stored, .. } = fields;
    let segments: Vec<_> = (0..idents.len())
        .map(|i| format_ident!("__segment_{i}"))
        .collect();
    // Each field's part index in the template.
    let part_indexes = composed
        .parts
        .iter()
        .enumerate()
        .filter(|(_, part)| matches!(part, ComposedPart::Field(_)))
        .map(|(index, _)| index);
    quote! {
        impl #p::Attribute for #ident {
            fn to_attribute(&self) -> ::core::result::Result<#p::AttributeValue, #p::ValueError> {
                Self::render(#(&self.#idents),*).map(#p::AttributeValue::S)
            }

            fn from_attribute(value: #p::AttributeValue) -> ::core::result::Result<Self, #p::ValueError> {
                <Self as #p::Attribute>::from_attribute_ref(&value)
            }

            fn from_attribute_ref<__DynamodbValue: #p::AttributeAccess>(value: &__DynamodbValue) -> ::core::result::Result<Self, #p::ValueError> {
                let text = #p::composed_text(value)?;
                let [#(#segments),*] = Self::TEMPLATE.split(text)?;
                ::core::result::Result::Ok(Self {
                    #(#idents: #p::parse_segment(&Self::TEMPLATE, #part_indexes, #segments, #stored)?,)*
                })
            }

            fn from_missing() -> ::core::result::Result<Self, #p::ValueError> {
                ::core::result::Result::Err(#p::ValueError::new(#p::ValueErrorKind::MissingKey))
            }
        }

        impl #p::KeyAttribute for #ident {
            const SCALAR_TYPE: #p::ScalarType = #p::ScalarType::String;
        }
    }
}

/// A segment of variable width (a string) is escaped from the literal after
/// it, which must therefore start with space or ASCII punctuation below `0`;
/// checked when the user's crate compiles, with the error on the field.
fn end_checks(model: &Model, composed: &Composed) -> TokenStream {
    let checks = composed.parts.windows(2).filter_map(|pair| {
        let [ComposedPart::Field(position), ComposedPart::Literal(text)] = pair else {
            return None;
        };
        let end = text.chars().next()?;
        if matches!(end, ' '..='/') {
            return None;
        }
        let field = model.field(*position);
        let ty = segment_type(model, composed, *position);
        let p = private_at(field.ty.span());
        let message = format!(
            "`{}` is a text segment in a key template: the text after it must start with space or ASCII punctuation below `0` (`#`, `-`, `/`, ...), not `{end}`",
            field.ident
        );
        Some(quote_spanned! {field.ty.span()=>
            const _: () = ::core::assert!(<#ty as #p::KeySegment>::WIDTH.is_some(), #message);
        })
    });
    quote!(#(#checks)*)
}

/// The template as written, for docs.
fn template_text(model: &Model, composed: &Composed) -> String {
    composed
        .parts
        .iter()
        .map(|part| match part {
            ComposedPart::Literal(text) => text.replace('{', "{{").replace('}', "}}"),
            ComposedPart::Field(position) => format!("{{{}}}", model.field(*position).ident),
        })
        .collect()
}

/// Code that inserts the composed attribute into `item`: a primary key's
/// rendered from `self`'s fields; an index key's from the fields' stored
/// attributes, already in `item`, as an update renders it (so an empty
/// string in an `Option`, which is not stored, leaves the item out of a
/// sparse index on every write path alike).
pub fn insert_from_self(model: &Model, composed: &Composed) -> TokenStream {
    let p = private();
    let model_name = model.shape.ident.to_string();
    let ident = &composed.type_ident;
    let attribute = &composed.attribute;
    let fields: Vec<_> = composed.fields().map(|f| model.field(f).ident).collect();
    if composed.sparse {
        return quote! {
            if let ::core::option::Option::Some(value) = #ident::render_stored(&item)? {
                item.insert(::std::borrow::ToOwned::to_owned(#attribute), value);
            }
        };
    }
    quote! {
        item.insert(
            ::std::borrow::ToOwned::to_owned(#attribute),
            #p::encode_key(#model_name, #attribute, #ident::render(#(&self.#fields),*).map(#p::AttributeValue::S))?,
        );
    }
}

/// `Name::key(..)`: the primary key from its fields' values, each field once.
pub fn key_constructor(model: &Model) -> TokenStream {
    let sources: Vec<&Composed> = [Some(&model.hash), model.range.as_ref()]
        .into_iter()
        .flatten()
        .filter_map(|source| match source {
            KeySource::Composed(composed) => Some(composed),
            KeySource::Field(_) => None,
        })
        .collect();
    if sources.is_empty() {
        return TokenStream::new();
    }
    let uses: Vec<usize> = sources.iter().flat_map(|c| c.fields()).collect();
    let mut params: Vec<usize> = Vec::new();
    for position in &uses {
        if !params.contains(position) {
            params.push(*position);
        }
    }
    let param_decls = params.iter().map(|position| {
        let field = model.field(*position);
        let (ident, ty) = (field.ident, field.ty);
        quote!(#ident: #ty)
    });
    let mut seen = 0;
    let builds: Vec<TokenStream> = sources
        .iter()
        .map(|composed| {
            let ident = &composed.type_ident;
            let inits = composed.fields().map(|position| {
                seen += 1;
                let field = model.field(position).ident;
                if uses[seen..].contains(&position) {
                    quote!(#field: ::core::clone::Clone::clone(&#field))
                } else {
                    quote!(#field)
                }
            });
            quote!(#ident { #(#inits),* })
        })
        .collect();
    let vis = model.shape.vis;
    let name = model.shape.ident;
    let doc =
        format!("The primary key of a [`{name}`] from the fields its templates are composed of.");
    quote! {
        impl #name {
            #[doc = #doc]
            #[allow(dead_code)]
            #vis fn key(#(#param_decls),*) -> <Self as ::dynamodb_mapper::__private::Model>::Key {
                (#(#builds),*)
            }
        }
    }
}

/// The entity's `EntityDefinition`.
pub fn entity_definition(entity: &Entity) -> TokenStream {
    let p = private();
    let (name, attribute) = (&entity.name, &entity.attribute);
    quote!(#p::EntityDefinition { name: #name, attribute: #attribute })
}
