//! Whether two entities' primary keys can meet: an item of one stored under
//! the key of an item of the other. Entities that share a table keep their
//! items apart by their key templates; where the templates can render the
//! same text, a write of one that carries no condition (a batch save) would
//! replace the other's item. Checked at compile time for the variants of a
//! collection.
//!
//! A template is read as a pattern: literal text, fixed-width segments
//! (numbers, datetimes: a set number of bytes) and variable segments
//! (strings: any text without the first byte of the literal after them). A
//! key attribute with no template is any text.

use super::{KeyTemplate, ModelSchema, TemplatePart};

/// Whether an item of `a` and an item of `b` can have the same primary key.
pub const fn keys_can_meet(a: &ModelSchema, b: &ModelSchema) -> bool {
    if !shapes_meet(
        super::collection::template_of(a, a.hash_key.attribute),
        super::collection::template_of(b, b.hash_key.attribute),
    ) {
        return false;
    }
    match (a.range_key, b.range_key) {
        (Some(ra), Some(rb)) => shapes_meet(
            super::collection::template_of(a, ra.attribute),
            super::collection::template_of(b, rb.attribute),
        ),
        // One table has one key schema: these cannot share one.
        _ => true,
    }
}

/// Two key attributes' shapes (`None`: no template, any text) can render
/// the same text.
const fn shapes_meet(a: Option<KeyTemplate>, b: Option<KeyTemplate>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => walk(&a, 0, 0, &b, 0, 0),
        _ => true,
    }
}

/// What a template holds at a position.
#[derive(Clone, Copy)]
enum Head {
    End,
    Byte(u8),
    /// A byte of a fixed-width segment: any byte.
    Fixed,
    /// A variable segment: any text without this byte.
    Any(Option<u8>),
}

/// The width of the field at part `part` (the widths are by field, in order).
const fn width_at(template: &KeyTemplate, part: usize) -> Option<usize> {
    let mut field = 0;
    let mut i = 0;
    while i < part {
        if let TemplatePart::Field(_) = template.parts[i] {
            field += 1;
        }
        i += 1;
    }
    if field < template.widths.len() {
        template.widths[field]
    } else {
        None
    }
}

/// The head at (`part`, `offset`), and the position it is at once
/// finished parts are passed.
const fn head(template: &KeyTemplate, mut part: usize, mut offset: usize) -> (Head, usize, usize) {
    while part < template.parts.len() {
        match template.parts[part] {
            TemplatePart::Literal(text) if offset < text.len() => {
                return (Head::Byte(text.as_bytes()[offset]), part, offset)
            }
            TemplatePart::Literal(_) => {}
            TemplatePart::Field(_) => match width_at(template, part) {
                Some(width) if offset < width => return (Head::Fixed, part, offset),
                Some(_) => {}
                None => {
                    let stop = if part + 1 < template.parts.len() {
                        match template.parts[part + 1] {
                            TemplatePart::Literal(text) if !text.is_empty() => {
                                Some(text.as_bytes()[0])
                            }
                            _ => None,
                        }
                    } else {
                        None
                    };
                    return (Head::Any(stop), part, offset);
                }
            },
        }
        part += 1;
        offset = 0;
    }
    (Head::End, part, 0)
}

/// Whether the rest of `a` from (`pa`, `oa`) and the rest of `b` from
/// (`pb`, `ob`) can render the same text. Every step moves a position on,
/// so it ends; templates are short.
const fn walk(
    a: &KeyTemplate,
    pa: usize,
    oa: usize,
    b: &KeyTemplate,
    pb: usize,
    ob: usize,
) -> bool {
    let (ha, pa, oa) = head(a, pa, oa);
    let (hb, pb, ob) = head(b, pb, ob);
    // A variable segment may end here (what is left of the other side
    // matching what follows it).
    if let Head::Any(_) = ha {
        if walk(a, pa + 1, 0, b, pb, ob) {
            return true;
        }
    }
    if let Head::Any(_) = hb {
        if walk(a, pa, oa, b, pb + 1, 0) {
            return true;
        }
    }
    match (ha, hb) {
        (Head::End, Head::End) => true,
        // Or go on taking the other side's bytes (two variable segments:
        // one of them ends first, tried above).
        (Head::Any(stop), Head::Byte(x)) => !is(stop, x) && walk(a, pa, oa, b, pb, ob + 1),
        (Head::Any(_), Head::Fixed) => walk(a, pa, oa, b, pb, ob + 1),
        (Head::Byte(x), Head::Any(stop)) => !is(stop, x) && walk(a, pa, oa + 1, b, pb, ob),
        (Head::Fixed, Head::Any(_)) => walk(a, pa, oa + 1, b, pb, ob),
        (Head::Byte(x), Head::Byte(y)) => x == y && walk(a, pa, oa + 1, b, pb, ob + 1),
        (Head::Byte(_) | Head::Fixed, Head::Byte(_) | Head::Fixed) => {
            walk(a, pa, oa + 1, b, pb, ob + 1)
        }
        _ => false,
    }
}

const fn is(stop: Option<u8>, byte: u8) -> bool {
    match stop {
        Some(stop) => stop == byte,
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn template(
        parts: &'static [TemplatePart],
        widths: &'static [Option<usize>],
    ) -> KeyTemplate {
        KeyTemplate {
            attribute: "sk",
            parts,
            widths,
        }
    }

    use TemplatePart::{Field as F, Literal as L};

    #[test]
    fn literal_prefixes_that_cannot_meet_keep_keys_apart() {
        let profile = template(&[L("PROFILE")], &[]);
        let order = template(&[L("ORDER#"), F("id")], &[None]);
        let address = template(&[L("ADDRESS#"), F("id")], &[None]);
        assert!(!walk(&profile, 0, 0, &order, 0, 0));
        assert!(!walk(&order, 0, 0, &address, 0, 0));
        assert!(walk(&order, 0, 0, &order, 0, 0));
        assert!(walk(&profile, 0, 0, &profile, 0, 0));
    }

    #[test]
    fn a_string_segment_can_hold_another_templates_rest() {
        // `ORDER#{id}` with id `5#ITEM#1` is `ORDER#{id}#ITEM#{n}` of 5 and 1.
        let order = template(&[L("ORDER#"), F("id")], &[None]);
        let item = template(
            &[L("ORDER#"), F("id"), L("#ITEM#"), F("n")],
            &[None, Some(20)],
        );
        assert!(walk(&order, 0, 0, &item, 0, 0));
        assert!(walk(&item, 0, 0, &order, 0, 0));
        // With a number, it cannot: 20 digits, then the end or `#ITEM#`.
        let numbered = template(&[L("ORDER#"), F("id")], &[Some(20)]);
        let numbered_item = template(
            &[L("ORDER#"), F("id"), L("#ITEM#"), F("n")],
            &[Some(20), Some(20)],
        );
        assert!(!walk(&numbered, 0, 0, &numbered_item, 0, 0));
        // A string followed by `#` cannot hold `#`: `A#{x}#B` and `A#{y}` can
        // meet (y = `v#B`), `{x}#B` and `{y}#C` cannot.
        let ab = template(&[L("A#"), F("x"), L("#B")], &[None]);
        let a = template(&[L("A#"), F("y")], &[None]);
        assert!(walk(&ab, 0, 0, &a, 0, 0));
        let xb = template(&[F("x"), L("#B")], &[None]);
        let yc = template(&[F("y"), L("#C")], &[None]);
        assert!(!walk(&xb, 0, 0, &yc, 0, 0));
    }

    #[test]
    fn fixed_widths_must_line_up() {
        let short = template(&[L("T#"), F("n")], &[Some(3)]);
        let long = template(&[L("T#"), F("n")], &[Some(5)]);
        assert!(!walk(&short, 0, 0, &long, 0, 0));
        let literal = template(&[L("T#123")], &[]);
        assert!(walk(&short, 0, 0, &literal, 0, 0));
    }
}
