//! Key templates of entities sharing a table: a key attribute's value
//! composed from fields, `ORDER#{placed_at}#{order_id}`, rendered on every
//! write and parsed back into its fields.
//!
//! The derive generates one key type per template (`OrderPk`, `OrderSk`)
//! that renders and parses it; this module holds what they share, and what
//! the schema lists so that operations keep composed keys in step with
//! their fields.

use crate::attribute::{AttributeValue, Item, KeySegment, ValueError};
use crate::error::AttributeError;

/// One part of a template: literal text, or a field's segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplatePart {
    /// Text written as it is.
    Literal(&'static str),
    /// The segment of the field stored under this attribute name.
    Field(&'static str),
}

/// A key attribute composed from fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyTemplate {
    /// The stored attribute (`pk`, `sk`, `gsi1pk`, ...).
    pub attribute: &'static str,
    /// Literals and fields, in order; no two fields side by side (nothing
    /// would tell where one ends), which the derive checks.
    pub parts: &'static [TemplatePart],
    /// Each field's [`KeySegment::WIDTH`], in order: a fixed-width segment
    /// is read by its length, and two templates render alike only if their
    /// fields have the same widths too.
    pub widths: &'static [Option<usize>],
}

impl KeyTemplate {
    /// The literal right after part `index`, which a field's segment there
    /// must not contain (it is where the segment ends when parsed).
    pub fn literal_after(&self, index: usize) -> Option<&'static str> {
        match self.parts.get(index + 1) {
            Some(TemplatePart::Literal(text)) => Some(text),
            _ => None,
        }
    }

    /// The stored names of the fields it is composed from, in order.
    pub fn fields(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.parts.iter().filter_map(|part| match part {
            TemplatePart::Field(name) => Some(*name),
            TemplatePart::Literal(_) => None,
        })
    }

    /// The text every key of this template starts with: its literal before
    /// the first field (all of it for a template without fields).
    pub fn prefix(&self) -> &'static str {
        match self.parts.first() {
            Some(TemplatePart::Literal(text)) => text,
            _ => "",
        }
    }

    /// The first character of the literal right after part `index`: where
    /// a segment of variable width there ends.
    pub fn end_after(&self, index: usize) -> Option<char> {
        self.literal_after(index)
            .and_then(|text| text.chars().next())
    }

    /// The `N` field segments of a rendered key, in order.
    pub fn split<'t, const N: usize>(&self, text: &'t str) -> Result<[&'t str; N], ValueError> {
        let widths = self.widths;
        let mismatch = |why: String| {
            ValueError::invalid(text, format!("does not match the key template: {why}"))
        };
        let mut out = [""; N];
        let mut rest = text;
        let mut field = 0;
        for (index, part) in self.parts.iter().enumerate() {
            match part {
                TemplatePart::Literal(literal) => {
                    rest = rest
                        .strip_prefix(literal)
                        .ok_or_else(|| mismatch(format!("no `{literal}` where it belongs")))?;
                }
                TemplatePart::Field(name) => {
                    let width = widths.get(field).copied().flatten();
                    let end = match (width, self.literal_after(index)) {
                        (Some(width), _) => width,
                        (None, Some(literal)) => rest
                            .find(literal)
                            .ok_or_else(|| mismatch(format!("no `{literal}` after {{{name}}}")))?,
                        (None, None) => rest.len(),
                    };
                    let (Some(segment), Some(slot)) = (rest.get(..end), out.get_mut(field)) else {
                        return Err(mismatch(format!("{{{name}}} is cut short")));
                    };
                    *slot = segment;
                    rest = &rest[end..];
                    field += 1;
                }
            }
        }
        if field != N {
            return Err(mismatch(format!("it has {field} fields, not {N}")));
        }
        if !rest.is_empty() {
            return Err(mismatch("text after its end".into()));
        }
        Ok(out)
    }
}

/// Appends `value`'s segment for part `index` of `template`. A fixed-width
/// segment must have its width; one of variable width must not hold the
/// literal that ends it (the types of this crate never do; a `KeySegment`
/// of your own might).
pub fn render_segment<T: KeySegment>(
    out: &mut String,
    template: &KeyTemplate,
    index: usize,
    value: &T,
) -> Result<(), ValueError> {
    let start = out.len();
    value.render(out, template.end_after(index))?;
    let segment = &out[start..];
    let refusal = match (T::WIDTH, template.literal_after(index)) {
        (Some(width), _) if segment.len() != width => Some(format!(
            "a key segment of this type has {width} bytes, not {}",
            segment.len()
        )),
        (None, Some(literal)) if segment.contains(literal) => Some(format!(
            "a key segment cannot hold `{literal}`, which ends it in the key template"
        )),
        // Nor the literal's first character (a string escapes it): two
        // templates are told apart at compile time on that promise.
        (None, _) if template.end_after(index).is_some_and(|end| segment.contains(end)) => {
            Some(format!(
                "a key segment cannot hold `{}`, which starts the text after it in the key template",
                template.end_after(index).unwrap_or_default()
            ))
        }
        _ => None,
    };
    match refusal {
        Some(reason) => {
            let segment = segment.to_owned();
            out.truncate(start);
            Err(ValueError::invalid(segment, reason))
        }
        None => Ok(()),
    }
}

/// A composed key attribute as the model's schema lists it: its template,
/// and its value rendered from an item's attributes (`None` when a field is
/// missing: a sparse index key). Updates render the index keys that a change
/// of their fields moves.
#[derive(Debug, Clone, Copy)]
pub struct ComposedKey {
    /// The template.
    pub template: KeyTemplate,
    /// Renders the attribute from the stored fields.
    pub render: fn(&Item) -> Result<Option<AttributeValue>, AttributeError>,
    /// Parses the attribute back into its fields' stored attributes.
    pub parse: fn(&AttributeValue) -> Result<Item, AttributeError>,
}

/// A field that a key template may use: a [`KeySegment`] itself, or an
/// `Option` of one in an index key, which leaves an item with `None` out of
/// the index (a sparse index).
pub trait TemplateField {
    /// The type rendered in the key.
    type Segment: KeySegment;

    /// The value to render from the field's stored attribute; `None` when
    /// it is not stored (`None`, an empty string), which leaves the index
    /// key out (and never renders a key from a value the item does not hold).
    fn stored(value: Option<&AttributeValue>) -> Result<Option<Self::Segment>, ValueError>;
}

impl<T: KeySegment> TemplateField for T {
    type Segment = T;
    fn stored(value: Option<&AttributeValue>) -> Result<Option<T>, ValueError> {
        match value {
            None | Some(AttributeValue::Null) => Ok(None),
            Some(value) => T::from_attribute_ref(value).map(Some),
        }
    }
}

impl<T: KeySegment> TemplateField for Option<T> {
    type Segment = T;
    fn stored(value: Option<&AttributeValue>) -> Result<Option<T>, ValueError> {
        match value {
            None | Some(AttributeValue::Null) => Ok(None),
            Some(value) => T::from_attribute_ref(value).map(Some),
        }
    }
}

/// The text of a stored composed key (always a string).
pub fn composed_text<V: crate::attribute::AttributeAccess>(value: &V) -> Result<&str, ValueError> {
    match value.access() {
        crate::attribute::ValueRef::S(text) => Ok(text),
        _ => Err(ValueError::type_mismatch("S", value)),
    }
}

/// Parses the segment of part `index` of a stored key, naming the field
/// when it fails. Only the text [`KeySegment::render`] writes is read: a
/// segment that reads as a value but renders otherwise (lowercase escapes,
/// another datetime form) is refused, so that one value has one key.
pub fn parse_segment<T: KeySegment>(
    template: &KeyTemplate,
    index: usize,
    segment: &str,
    field: &str,
) -> Result<T, ValueError> {
    let end = template.end_after(index);
    let value = T::parse(segment, end).map_err(|e| e.in_key(field))?;
    let mut canonical = String::with_capacity(segment.len());
    value
        .render(&mut canonical, end)
        .map_err(|e| e.in_key(field))?;
    if canonical != segment {
        return Err(ValueError::invalid(
            segment,
            format!("not the key segment this value renders as ({canonical:?})"),
        )
        .in_key(field));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ORDER: KeyTemplate = KeyTemplate {
        attribute: "sk",
        parts: &[
            TemplatePart::Literal("ORDER#"),
            TemplatePart::Field("status"),
            TemplatePart::Literal("#"),
            TemplatePart::Field("number"),
        ],
        widths: &[String::WIDTH, i64::WIDTH],
    };

    fn render(status: &str, number: i64) -> Result<String, ValueError> {
        let mut out = String::from("ORDER#");
        render_segment(&mut out, &ORDER, 1, &status.to_string())?;
        out.push('#');
        render_segment(&mut out, &ORDER, 3, &number)?;
        Ok(out)
    }

    fn parse(key: &str) -> Result<(String, i64), ValueError> {
        let [status, number] = ORDER.split(key)?;
        Ok((
            parse_segment(&ORDER, 1, status, "status")?,
            parse_segment(&ORDER, 3, number, "number")?,
        ))
    }

    #[test]
    fn renders_and_splits() {
        let key = render("open", -2).unwrap();
        assert_eq!(key, "ORDER#open#-9223372036854775806");
        assert_eq!(parse(&key).unwrap(), ("open".to_string(), -2));
        assert_eq!(
            render("a#b", 1).unwrap(),
            "ORDER#a$23b#00000000000000000001"
        );
        assert!(parse("CUSTOMER#1").is_err());
        assert!(parse("ORDER#open").is_err());
        assert!(parse("ORDER#open#1").is_err(), "cut short");
        assert!(
            parse("ORDER#open#000000000000000000011").is_err(),
            "text after the end"
        );
        assert_eq!(ORDER.fields().collect::<Vec<_>>(), ["status", "number"]);
        assert_eq!(ORDER.prefix(), "ORDER#");
    }

    proptest! {
        #[test]
        fn any_status_and_number_come_back_and_keep_their_order(
            a in "\\PC{0,8}", an: i64, b in "\\PC{0,8}", bn: i64,
        ) {
            let (ka, kb) = (render(&a, an).unwrap(), render(&b, bn).unwrap());
            prop_assert_eq!(parse(&ka).unwrap(), (a.clone(), an));
            prop_assert_eq!(ka.cmp(&kb), (a, an).cmp(&(b, bn)));
        }
    }
}
