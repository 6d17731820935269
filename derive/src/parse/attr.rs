//! Building blocks of option parsing: an option given at most once, and the
//! recovery that lets parsing go on after a mistake.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{LitStr, Path, Token};

use crate::ctxt::Ctxt;

/// An option that may be given once: its value and where its name was written.
pub struct Attr<T> {
    name: &'static str,
    given: Option<(Span, T)>,
}

impl<T> Attr<T> {
    pub fn none(name: &'static str) -> Self {
        Attr { name, given: None }
    }

    /// Records the option; a second occurrence is an error and keeps the first.
    pub fn set(&mut self, cx: &Ctxt, span: Span, value: T) {
        if self.given.is_some() {
            cx.error_at(
                span,
                format!("duplicate option `{}`: give it once", self.name),
            );
        } else {
            self.given = Some((span, value));
        }
    }

    pub fn get(&self) -> Option<&T> {
        self.given.as_ref().map(|(_, value)| value)
    }

    pub fn is_set(&self) -> bool {
        self.given.is_some()
    }

    /// Where the option's name was written, if it was given.
    pub fn span(&self) -> Option<Span> {
        self.given.as_ref().map(|(span, _)| *span)
    }

    pub fn name(&self) -> &'static str {
        self.name
    }
}

/// A flag such as `skip`: an option without a value.
pub type Flag = Attr<()>;

/// Records `flag`, refusing a value after it (`skip = true`).
pub fn set_flag(cx: &Ctxt, meta: &ParseNestedMeta, flag: &mut Flag) -> syn::Result<()> {
    if !meta.input.is_empty() && !meta.input.peek(Token![,]) {
        cx.error_spanned_by(
            &meta.path,
            format!("`{}` takes no value: write it alone", flag.name()),
        );
        return skip_value(meta);
    }
    flag.set(cx, meta.path.span(), ());
    Ok(())
}

/// Parses `name = value` into `attr`; a value that does not parse is recorded
/// and skipped, so the options after it are still read.
pub fn set_value<T>(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    attr: &mut Attr<T>,
    parse: impl FnOnce(&ParseNestedMeta) -> syn::Result<T>,
) -> syn::Result<()> {
    match parse(meta) {
        Ok(value) => {
            attr.set(cx, meta.path.span(), value);
            Ok(())
        }
        Err(error) => {
            cx.syn_error(error);
            skip_value(meta)
        }
    }
}

/// `name = "text"`.
pub fn lit_str(meta: &ParseNestedMeta) -> syn::Result<LitStr> {
    meta.value()?.parse()
}

/// A path given as `name = path` or `name = "path"`.
pub fn path(meta: &ParseNestedMeta) -> syn::Result<Path> {
    let value = meta.value()?;
    if value.peek(LitStr) {
        let text: LitStr = value.parse()?;
        text.parse()
    } else {
        value.parse()
    }
}

/// Skips what follows an option's name up to the next `,`: after an unknown
/// option or a value that did not parse.
pub fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    meta.input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((tree, next)) = rest.token_tree() {
            if matches!(&tree, proc_macro2::TokenTree::Punct(p) if p.as_char() == ',') {
                break;
            }
            rest = next;
        }
        Ok(((), rest))
    })
}

/// Records an unknown option (naming the `kind` of option and the `known`
/// ones) and skips its value.
pub fn unknown(cx: &Ctxt, meta: &ParseNestedMeta, kind: &str, known: &[&str]) -> syn::Result<()> {
    let quoted: Vec<String> = known.iter().map(|name| format!("`{name}`")).collect();
    let (last, rest) = quoted.split_last().expect("options are known");
    cx.error_spanned_by(
        &meta.path,
        format!(
            "unknown {kind} option: expected {} or {last}",
            rest.join(", ")
        ),
    );
    skip_value(meta)
}
