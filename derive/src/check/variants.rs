//! Phase 2 for the enum derives (`#[derive(Collection)]`, a polymorphic
//! `#[derive(Model)]`): what can be known from the enum alone, each mistake
//! a spanned error in the [`Ctxt`]. What needs the variants' models (their
//! tables, key templates, entity names) is checked when the crate compiles,
//! by constants the emit phase places on the variant at fault.

use std::collections::HashMap;

use quote::ToTokens;
use syn::Type;

use crate::ctxt::Ctxt;
use crate::parse::Variants;

/// The longest name DynamoDB gives an index.
const MAX_INDEX_NAME: usize = 255;

/// Checks the parsed enum; `None` (with the errors in `cx`) if any rule
/// fails.
pub fn variants<'a>(cx: &Ctxt, parsed: Variants<'a>) -> Option<Variants<'a>> {
    let mut seen: HashMap<String, &syn::Ident> = HashMap::new();
    for (variant, ty) in &parsed.variants {
        if let Some(why) = not_a_model_path(ty) {
            cx.error_spanned_by(
                ty,
                format!("variant `{variant}` holds {why}: a variant holds one entity model, by value and by path, as `Order(Order)` or `Order(shop::Order)`"),
            );
            continue;
        }
        let text = ty.to_token_stream().to_string().replace(' ', "");
        if let Some(first) = seen.get(&text) {
            cx.error_spanned_by(
                ty,
                format!("`{text}` is already the model of variant `{first}`: each entity model is one variant (its items decode as the first)"),
            );
        } else {
            seen.insert(text, variant);
        }
    }
    if let Some(index) = &parsed.index {
        let name = index.value();
        let valid = (3..=MAX_INDEX_NAME).contains(&name.len())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        if !valid {
            cx.error_spanned_by(
                index,
                format!("`{name}` cannot name an index: 3 to {MAX_INDEX_NAME} of `a-z`, `A-Z`, `0-9`, `_`, `-` and `.`"),
            );
        }
    }
    cx.is_clean().then_some(parsed)
}

/// Why `ty` cannot name an entity model, if it cannot: a reference, a
/// tuple, a slice, a trait object, a type with a `<T as Trait>` path.
fn not_a_model_path(ty: &Type) -> Option<&'static str> {
    match ty {
        Type::Path(path) if path.qself.is_none() => None,
        Type::Path(_) => Some("a qualified path"),
        Type::Reference(_) => Some("a reference"),
        Type::Tuple(_) => Some("a tuple"),
        Type::Array(_) | Type::Slice(_) => Some("an array"),
        Type::TraitObject(_) | Type::ImplTrait(_) => Some("a trait object"),
        Type::Paren(_) | Type::Group(_) => Some("a parenthesized type"),
        _ => Some("no model"),
    }
}
