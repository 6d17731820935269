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
    pub indexes: Vec<IndexSpec>,
    pub ttl: Option<LitStr>,
    pub stream: Option<LitStr>,
}

/// A secondary index: `global_index(...)` or `local_index(...)`.
pub struct IndexSpec {
    pub global: bool,
    pub name: LitStr,
    pub hash_key: Option<LitStr>,
    pub range_key: Option<LitStr>,
    /// `all` (default), `keys_only`, or the attributes to include.
    pub projection: Projection,
    pub span: proc_macro2::Span,
}

pub enum Projection {
    All,
    KeysOnly,
    Include(Vec<LitStr>),
}

fn index_spec(meta: &syn::meta::ParseNestedMeta, global: bool) -> syn::Result<IndexSpec> {
    let mut name = None;
    let mut hash_key = None;
    let mut range_key = None;
    let mut projection = Projection::All;
    meta.parse_nested_meta(|inner| {
        if inner.path.is_ident("name") {
            name = Some(inner.value()?.parse()?);
        } else if inner.path.is_ident("hash_key") {
            hash_key = Some(inner.value()?.parse()?);
        } else if inner.path.is_ident("range_key") {
            range_key = Some(inner.value()?.parse()?);
        } else if inner.path.is_ident("projection") {
            let text: LitStr = inner.value()?.parse()?;
            projection = match text.value().as_str() {
                "all" => Projection::All,
                "keys_only" => Projection::KeysOnly,
                _ => return Err(syn::Error::new_spanned(text, "projection is `all` or `keys_only`; list attributes with `include = [..]`")),
            };
        } else if inner.path.is_ident("include") {
            let list: syn::ExprArray = inner.value()?.parse()?;
            let mut names = Vec::new();
            for element in list.elems {
                match element {
                    syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => names.push(s),
                    other => return Err(syn::Error::new_spanned(other, "include lists attribute names as strings")),
                }
            }
            projection = Projection::Include(names);
        } else {
            return Err(inner.error("unknown index option: expected `name`, `hash_key`, `range_key`, `projection` or `include`"));
        }
        Ok(())
    })?;
    let name: LitStr = name.ok_or_else(|| meta.error("an index needs a `name`"))?;
    if global && hash_key.is_none() {
        return Err(meta.error("a global index needs a `hash_key`"));
    }
    if !global && hash_key.is_some() {
        return Err(meta.error("a local index shares the table's hash key: give only `range_key`"));
    }
    if !global && range_key.is_none() {
        return Err(meta.error("a local index needs a `range_key`"));
    }
    Ok(IndexSpec {
        global,
        span: name.span(),
        name,
        hash_key,
        range_key,
        projection,
    })
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
    pub sensitive: bool,
}

pub fn model_options(input: &DeriveInput) -> syn::Result<ModelOptions> {
    let mut options = ModelOptions::default();
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("dynamodb")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("migrator") {
                options.migrator = Some(parse_path(&meta)?);
                return Ok(());
            }
            if meta.path.is_ident("global_index") || meta.path.is_ident("local_index") {
                let global = meta.path.is_ident("global_index");
                options.indexes.push(index_spec(&meta, global)?);
                return Ok(());
            }
            if meta.path.is_ident("ttl") {
                options.ttl = Some(meta.value()?.parse()?);
                return Ok(());
            }
            if meta.path.is_ident("stream") {
                options.stream = Some(meta.value()?.parse()?);
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
                    "unknown model option: expected `table`, `hash_key`, `range_key`, `migrator`, `global_index`, `local_index`, `ttl` or `stream`",
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
        sensitive: false,
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
            } else if meta.path.is_ident("epoch_seconds") {
                set_codec(&mut spec, syn::parse_quote!(::dynamodb_mapper::attribute::epoch_seconds))?;
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
            } else if meta.path.is_ident("sensitive") {
                spec.sensitive = true;
            } else {
                return Err(meta.error(
                    "unknown field option: expected `rename`, `default`, `default_with`, `json`, `bool_as_number`, `with`, `epoch_seconds`, `skip`, `auto_increment`, `version` or `sensitive`",
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
