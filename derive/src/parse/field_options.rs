//! A field's options: `#[dynamodb(rename = "..", json, ..)]`.

use syn::meta::ParseNestedMeta;
use syn::{Expr, LitStr, Path};

use super::attr::{lit_str, path, set_flag, set_value, unknown, Attr, Flag};
use crate::ctxt::Ctxt;

/// What a field's `#[dynamodb(...)]` attributes declare, as written.
pub struct FieldOptions {
    pub rename: Attr<LitStr>,
    pub default: Attr<Expr>,
    pub default_with: Attr<Path>,
    pub json: Flag,
    pub serde: Flag,
    pub epoch_seconds: Flag,
    pub bool_as_number: Flag,
    pub with: Attr<Path>,
    pub native: Flag,
    pub skip: Flag,
    pub auto_increment: Flag,
    pub version: Flag,
    pub sensitive: Flag,
    pub unique: Flag,
}

/// Every field option.
pub const FIELD_OPTIONS: [&str; 14] = [
    "rename",
    "default",
    "default_with",
    "json",
    "serde",
    "bool_as_number",
    "with",
    "native",
    "epoch_seconds",
    "skip",
    "auto_increment",
    "version",
    "sensitive",
    "unique",
];

impl FieldOptions {
    /// Reads every `#[dynamodb(...)]` attribute of a field.
    pub fn parse(cx: &Ctxt, attrs: &[syn::Attribute]) -> Self {
        let mut options = FieldOptions {
            rename: Attr::none("rename"),
            default: Attr::none("default"),
            default_with: Attr::none("default_with"),
            json: Attr::none("json"),
            serde: Attr::none("serde"),
            epoch_seconds: Attr::none("epoch_seconds"),
            bool_as_number: Attr::none("bool_as_number"),
            with: Attr::none("with"),
            native: Attr::none("native"),
            skip: Attr::none("skip"),
            auto_increment: Attr::none("auto_increment"),
            version: Attr::none("version"),
            sensitive: Attr::none("sensitive"),
            unique: Attr::none("unique"),
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
            return unknown(cx, meta, "field", &FIELD_OPTIONS);
        };
        match name.as_str() {
            "rename" => set_value(cx, meta, &mut self.rename, lit_str),
            "default" => set_value(cx, meta, &mut self.default, |m| m.value()?.parse()),
            "default_with" => set_value(cx, meta, &mut self.default_with, path),
            "with" => set_value(cx, meta, &mut self.with, path),
            "json" => set_flag(cx, meta, &mut self.json),
            "serde" => set_flag(cx, meta, &mut self.serde),
            "epoch_seconds" => set_flag(cx, meta, &mut self.epoch_seconds),
            "bool_as_number" => set_flag(cx, meta, &mut self.bool_as_number),
            "native" => set_flag(cx, meta, &mut self.native),
            "skip" => set_flag(cx, meta, &mut self.skip),
            "unique" => set_flag(cx, meta, &mut self.unique),
            "auto_increment" => set_flag(cx, meta, &mut self.auto_increment),
            "version" => set_flag(cx, meta, &mut self.version),
            "sensitive" => set_flag(cx, meta, &mut self.sensitive),
            _ => unknown(cx, meta, "field", &FIELD_OPTIONS),
        }
    }

    /// The conversion options given (`json`, `serde`, `epoch_seconds`,
    /// `bool_as_number`, `with`, `native`), by name and place, in this order.
    pub fn codecs_given(&self) -> Vec<(&'static str, proc_macro2::Span)> {
        [
            (self.json.name(), self.json.span()),
            (self.serde.name(), self.serde.span()),
            (self.epoch_seconds.name(), self.epoch_seconds.span()),
            (self.bool_as_number.name(), self.bool_as_number.span()),
            (self.with.name(), self.with.span()),
            (self.native.name(), self.native.span()),
        ]
        .into_iter()
        .filter_map(|(name, span)| span.map(|span| (name, span)))
        .collect()
    }
}
