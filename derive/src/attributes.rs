//! Parsing of the `#[dynamodb(...)]` attributes.

use proc_macro2::Span;
use syn::{Data, DeriveInput, Expr, Fields, Ident, LitStr, Path, Type};

/// What the struct-level attribute declares.
#[derive(Default)]
pub struct ModelOptions {
    pub table: Option<LitStr>,
    pub hash_key: Option<LitStr>,
    pub range_key: Option<LitStr>,
    pub migrator: Option<Path>,
}

/// How a field converts to its attribute.
pub enum Codec {
    Attribute,
    With(Path),
}

/// One field and its options.
pub struct FieldSpec {
    pub ident: Ident,
    pub ty: Type,
    pub stored_name: String,
    pub default: Option<Expr>,
    pub default_with: Option<Path>,
    pub codec: Codec,
    pub skip: bool,
    pub auto_increment: bool,
    pub version: bool,
}

pub fn model_options(input: &DeriveInput) -> syn::Result<ModelOptions> {
    let mut options = ModelOptions::default();
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("dynamodb")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("migrator") {
                options.migrator = Some(parse_path(&meta)?);
                return Ok(());
            }
            let slot = if meta.path.is_ident("table") {
                &mut options.table
            } else if meta.path.is_ident("hash_key") {
                &mut options.hash_key
            } else if meta.path.is_ident("range_key") {
                &mut options.range_key
            } else {
                return Err(meta.error(
                    "unknown model option: expected `table`, `hash_key`, `range_key` or `migrator`",
                ));
            };
            *slot = Some(meta.value()?.parse()?);
            Ok(())
        })?;
    }
    Ok(options)
}

pub fn fields(input: &DeriveInput) -> syn::Result<Vec<FieldSpec>> {
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new(
            Span::call_site(),
            "dynamodb-mapper derives work on structs with named fields",
        ));
    };
    let Fields::Named(named) = &data.fields else {
        return Err(syn::Error::new_spanned(
            &data.fields,
            "dynamodb-mapper derives need named fields",
        ));
    };
    named.named.iter().map(field).collect()
}

fn field(field: &syn::Field) -> syn::Result<FieldSpec> {
    let ident = field.ident.clone().expect("named field");
    let mut spec = FieldSpec {
        stored_name: ident.to_string().trim_start_matches("r#").to_owned(),
        ident,
        ty: field.ty.clone(),
        default: None,
        default_with: None,
        codec: Codec::Attribute,
        skip: false,
        auto_increment: false,
        version: false,
    };
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("dynamodb")) {
        attr.parse_nested_meta(|meta| {
            let set_codec = |spec: &mut FieldSpec, path: Path| {
                if !matches!(spec.codec, Codec::Attribute) {
                    return Err(meta.error("only one of `json`, `bool_as_number` and `with` may be given"));
                }
                spec.codec = Codec::With(path);
                Ok(())
            };
            if meta.path.is_ident("rename") {
                let name: LitStr = meta.value()?.parse()?;
                if name.value().is_empty() {
                    return Err(syn::Error::new_spanned(name, "an attribute name cannot be empty"));
                }
                spec.stored_name = name.value();
            } else if meta.path.is_ident("default") {
                spec.default = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("default_with") {
                spec.default_with = Some(parse_path(&meta)?);
            } else if meta.path.is_ident("json") {
                set_codec(&mut spec, syn::parse_quote!(::dynamodb_mapper::attribute::json))?;
            } else if meta.path.is_ident("bool_as_number") {
                set_codec(&mut spec, syn::parse_quote!(::dynamodb_mapper::attribute::bool_as_number))?;
            } else if meta.path.is_ident("with") {
                let path = parse_path(&meta)?;
                set_codec(&mut spec, path)?;
            } else if meta.path.is_ident("skip") {
                spec.skip = true;
            } else if meta.path.is_ident("auto_increment") {
                spec.auto_increment = true;
            } else if meta.path.is_ident("version") {
                spec.version = true;
            } else {
                return Err(meta.error(
                    "unknown field option: expected `rename`, `default`, `default_with`, `json`, `bool_as_number`, `with`, `skip`, `auto_increment` or `version`",
                ));
            }
            Ok(())
        })?;
    }
    if spec.default.is_some() && spec.default_with.is_some() {
        return Err(syn::Error::new_spanned(
            &field.ident,
            "give either `default` or `default_with`, not both",
        ));
    }
    Ok(spec)
}

/// A path given as `with = path` or `with = "path"`.
fn parse_path(meta: &syn::meta::ParseNestedMeta) -> syn::Result<Path> {
    let value = meta.value()?;
    if value.peek(LitStr) {
        let text: LitStr = value.parse()?;
        text.parse()
    } else {
        value.parse()
    }
}
