//! The struct's options: `#[dynamodb(table = "..", hash_key = "..", ..)]`,
//! with its `global_index(..)`, `local_index(..)` and `vector_index(..)`.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Attribute, LitStr, Path};

use super::attr::{lit_str, path, set_value, unknown, Attr};
use super::template::Part;
use crate::ctxt::Ctxt;

/// What the struct's `#[dynamodb(...)]` attributes declare.
pub struct StructOptions {
    pub table: Attr<LitStr>,
    pub hash_key: Attr<LitStr>,
    pub range_key: Attr<LitStr>,
    pub migrator: Attr<Path>,
    pub ttl: Attr<LitStr>,
    pub stream: Attr<StreamView>,
    pub format: Attr<Format>,
    /// Entities sharing a table: the entity name, the key templates and the
    /// attribute names they are stored under.
    pub entity: Attr<LitStr>,
    pub pk: Attr<Template>,
    pub sk: Attr<Template>,
    pub pk_attribute: Attr<LitStr>,
    pub sk_attribute: Attr<LitStr>,
    pub entity_attribute: Attr<LitStr>,
    pub indexes: Vec<IndexOptions>,
    pub vector_indexes: Vec<VectorIndexOptions>,
    /// Every option given, by name and place, in the order written.
    pub given: Vec<(&'static str, Span)>,
}

/// The change stream's view of items: `stream = ".."`.
#[derive(Clone, Copy)]
pub enum StreamView {
    KeysOnly,
    NewImage,
    OldImage,
    NewAndOldImages,
}

/// How fields are stored: `format = ".."`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Each type's own DynamoDB form (the default).
    Native,
    /// The original Python library's form.
    Python,
}

/// One `global_index(..)` or `local_index(..)`.
pub struct IndexOptions {
    pub global: bool,
    /// Where `global_index` / `local_index` was written.
    pub span: Span,
    pub name: Attr<LitStr>,
    /// A field, or a list of up to four (a multi-attribute key).
    pub hash_key: Attr<Vec<LitStr>>,
    pub range_key: Attr<Vec<LitStr>>,
    pub pk: Attr<Template>,
    pub sk: Attr<Template>,
    pub pk_attribute: Attr<LitStr>,
    pub sk_attribute: Attr<LitStr>,
    pub projection: Attr<ProjectionKind>,
    pub include: Attr<Vec<LitStr>>,
}

/// One `vector_index(..)`.
pub struct VectorIndexOptions {
    /// Where `vector_index` was written.
    pub span: Span,
    pub name: Attr<LitStr>,
    pub vector: Attr<LitStr>,
    pub distance: Attr<LitStr>,
    pub partition: Attr<LitStr>,
    pub filter: Attr<Vec<LitStr>>,
    pub projection: Attr<ProjectionKind>,
    pub include: Attr<Vec<LitStr>>,
}

/// A key template as written, `"ORDER#{placed_at}#{order_id}"`, and its parts.
pub struct Template {
    pub text: LitStr,
    pub parts: Vec<Part>,
}

/// `projection = "all"` or `"keys_only"`.
#[derive(Clone, Copy)]
pub enum ProjectionKind {
    All,
    KeysOnly,
}

/// Every struct option.
pub const STRUCT_OPTIONS: [&str; 16] = [
    "table",
    "hash_key",
    "range_key",
    "entity",
    "pk",
    "sk",
    "pk_attribute",
    "sk_attribute",
    "entity_attribute",
    "format",
    "migrator",
    "global_index",
    "local_index",
    "vector_index",
    "ttl",
    "stream",
];
/// Every option of `vector_index(..)`.
pub const VECTOR_INDEX_OPTIONS: [&str; 7] = [
    "name",
    "vector",
    "distance",
    "partition",
    "filter",
    "projection",
    "include",
];
/// Every option of `global_index(..)` and `local_index(..)`.
pub const INDEX_OPTIONS: [&str; 9] = [
    "name",
    "hash_key",
    "range_key",
    "pk",
    "sk",
    "pk_attribute",
    "sk_attribute",
    "projection",
    "include",
];

impl StructOptions {
    /// Reads every `#[dynamodb(...)]` attribute of the struct.
    pub fn parse(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut options = StructOptions {
            table: Attr::none("table"),
            hash_key: Attr::none("hash_key"),
            range_key: Attr::none("range_key"),
            migrator: Attr::none("migrator"),
            ttl: Attr::none("ttl"),
            stream: Attr::none("stream"),
            format: Attr::none("format"),
            entity: Attr::none("entity"),
            pk: Attr::none("pk"),
            sk: Attr::none("sk"),
            pk_attribute: Attr::none("pk_attribute"),
            sk_attribute: Attr::none("sk_attribute"),
            entity_attribute: Attr::none("entity_attribute"),
            indexes: Vec::new(),
            vector_indexes: Vec::new(),
            given: Vec::new(),
        };
        for attr in attrs.iter().filter(|a| a.path().is_ident("dynamodb")) {
            if let Err(error) = attr.parse_nested_meta(|meta| options.option(cx, &meta)) {
                cx.syn_error(error);
            }
        }
        options
    }

    fn option(&mut self, cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<()> {
        let Some(name) = meta.path.get_ident().map(ToString::to_string) else {
            return unknown(cx, meta, "struct", &STRUCT_OPTIONS);
        };
        if let Some(known) = STRUCT_OPTIONS.iter().find(|known| **known == name) {
            self.given.push((known, meta.path.span()));
        }
        match name.as_str() {
            "table" => set_value(cx, meta, &mut self.table, lit_str),
            "hash_key" => set_value(cx, meta, &mut self.hash_key, lit_str),
            "range_key" => set_value(cx, meta, &mut self.range_key, lit_str),
            "migrator" => set_value(cx, meta, &mut self.migrator, path),
            "ttl" => set_value(cx, meta, &mut self.ttl, lit_str),
            "stream" => set_value(cx, meta, &mut self.stream, stream_view),
            "format" => set_value(cx, meta, &mut self.format, format),
            "entity" => set_value(cx, meta, &mut self.entity, lit_str),
            "pk" => set_value(cx, meta, &mut self.pk, template),
            "sk" => set_value(cx, meta, &mut self.sk, template),
            "pk_attribute" => set_value(cx, meta, &mut self.pk_attribute, lit_str),
            "sk_attribute" => set_value(cx, meta, &mut self.sk_attribute, lit_str),
            "entity_attribute" => set_value(cx, meta, &mut self.entity_attribute, lit_str),
            "global_index" | "local_index" => {
                let index = IndexOptions::parse(cx, meta, name == "global_index")?;
                self.indexes.push(index);
                Ok(())
            }
            "vector_index" => {
                let index = VectorIndexOptions::parse(cx, meta)?;
                self.vector_indexes.push(index);
                Ok(())
            }
            _ => unknown(cx, meta, "struct", &STRUCT_OPTIONS),
        }
    }
}

/// A key template: its text's shape is checked here, its field names later.
fn template(meta: &ParseNestedMeta) -> syn::Result<Template> {
    let text = lit_str(meta)?;
    match super::template::parse(&text.value()) {
        Ok(parts) => Ok(Template { text, parts }),
        Err(reason) => Err(syn::Error::new_spanned(
            &text,
            format!("key template: {reason}"),
        )),
    }
}

fn format(meta: &ParseNestedMeta) -> syn::Result<Format> {
    let text = lit_str(meta)?;
    match text.value().as_str() {
        "python" => Ok(Format::Python),
        "native" => Ok(Format::Native),
        _ => Err(syn::Error::new_spanned(
            text,
            "format is `python` (the original library's stored form) or `native` (the default)",
        )),
    }
}

fn stream_view(meta: &ParseNestedMeta) -> syn::Result<StreamView> {
    let text = lit_str(meta)?;
    Ok(match text.value().as_str() {
        "keys_only" => StreamView::KeysOnly,
        "new_image" => StreamView::NewImage,
        "old_image" => StreamView::OldImage,
        "new_and_old_images" => StreamView::NewAndOldImages,
        _ => {
            return Err(syn::Error::new_spanned(
                text,
                "stream is `keys_only`, `new_image`, `old_image` or `new_and_old_images`",
            ))
        }
    })
}

impl IndexOptions {
    fn parse(cx: &Ctxt, meta: &ParseNestedMeta, global: bool) -> syn::Result<Self> {
        let mut index = IndexOptions {
            global,
            span: meta.path.span(),
            name: Attr::none("name"),
            hash_key: Attr::none("hash_key"),
            range_key: Attr::none("range_key"),
            pk: Attr::none("pk"),
            sk: Attr::none("sk"),
            pk_attribute: Attr::none("pk_attribute"),
            sk_attribute: Attr::none("sk_attribute"),
            projection: Attr::none("projection"),
            include: Attr::none("include"),
        };
        meta.parse_nested_meta(|inner| {
            let Some(name) = inner.path.get_ident().map(ToString::to_string) else {
                return unknown(cx, &inner, "index", &INDEX_OPTIONS);
            };
            match name.as_str() {
                "name" => set_value(cx, &inner, &mut index.name, lit_str),
                "hash_key" => set_value(cx, &inner, &mut index.hash_key, |m| key_fields(cx, m)),
                "range_key" => set_value(cx, &inner, &mut index.range_key, |m| key_fields(cx, m)),
                "pk" => set_value(cx, &inner, &mut index.pk, template),
                "sk" => set_value(cx, &inner, &mut index.sk, template),
                "pk_attribute" => set_value(cx, &inner, &mut index.pk_attribute, lit_str),
                "sk_attribute" => set_value(cx, &inner, &mut index.sk_attribute, lit_str),
                "projection" => set_value(cx, &inner, &mut index.projection, projection),
                "include" => set_value(cx, &inner, &mut index.include, |m| include(cx, m)),
                _ => unknown(cx, &inner, "index", &INDEX_OPTIONS),
            }
        })?;
        Ok(index)
    }
}

impl VectorIndexOptions {
    fn parse(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Self> {
        let mut index = VectorIndexOptions {
            span: meta.path.span(),
            name: Attr::none("name"),
            vector: Attr::none("vector"),
            distance: Attr::none("distance"),
            partition: Attr::none("partition"),
            filter: Attr::none("filter"),
            projection: Attr::none("projection"),
            include: Attr::none("include"),
        };
        meta.parse_nested_meta(|inner| {
            let Some(name) = inner.path.get_ident().map(ToString::to_string) else {
                return unknown(cx, &inner, "vector index", &VECTOR_INDEX_OPTIONS);
            };
            match name.as_str() {
                "name" => set_value(cx, &inner, &mut index.name, lit_str),
                "vector" => set_value(cx, &inner, &mut index.vector, lit_str),
                "distance" => set_value(cx, &inner, &mut index.distance, lit_str),
                "partition" => set_value(cx, &inner, &mut index.partition, lit_str),
                "filter" => set_value(cx, &inner, &mut index.filter, |m| include(cx, m)),
                "projection" => set_value(cx, &inner, &mut index.projection, projection),
                "include" => set_value(cx, &inner, &mut index.include, |m| include(cx, m)),
                _ => unknown(cx, &inner, "vector index", &VECTOR_INDEX_OPTIONS),
            }
        })?;
        Ok(index)
    }
}

fn projection(meta: &ParseNestedMeta) -> syn::Result<ProjectionKind> {
    let text = lit_str(meta)?;
    match text.value().as_str() {
        "all" => Ok(ProjectionKind::All),
        "keys_only" => Ok(ProjectionKind::KeysOnly),
        _ => Err(syn::Error::new_spanned(
            text,
            "projection is `all` or `keys_only`; list attributes with `include = [..]`",
        )),
    }
}

/// An index key's field, `"team"`, or fields, `["team", "region"]`.
fn key_fields(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Vec<LitStr>> {
    if meta.input.peek(syn::Token![=]) && meta.input.peek2(syn::token::Bracket) {
        include(cx, meta)
    } else {
        Ok(vec![lit_str(meta)?])
    }
}

/// `include = ["a", "b"]`: each element that is no string is an error of its own.
fn include(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Vec<LitStr>> {
    let list: syn::ExprArray = meta.value()?.parse()?;
    let mut names = Vec::new();
    for element in list.elems {
        match element {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(name),
                ..
            }) => names.push(name),
            other => cx.error_spanned_by(other, "the list names fields as strings"),
        }
    }
    Ok(names)
}
