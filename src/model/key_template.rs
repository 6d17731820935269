//! Key templates of entities sharing a table: a key attribute's value
//! composed from fields, `ORDER#{placed_at}#{order_id}`, rendered on every
//! write and parsed back into its fields.
//!
//! (Work in progress for issue 13: the derive does not emit templates yet.)

use crate::attribute::{KeySegment, ValueError};

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

    /// Splits a rendered key into its fields' segments, by attribute name.
    pub fn segments<'t>(&self, text: &'t str) -> Result<Vec<(&'static str, &'t str)>, ValueError> {
        let mut rest = text;
        let mut segments = Vec::new();
        for (index, part) in self.parts.iter().enumerate() {
            match part {
                TemplatePart::Literal(literal) => {
                    rest = rest.strip_prefix(literal).ok_or_else(|| {
                        ValueError::invalid(
                            text,
                            format!("does not match the key template at `{literal}`"),
                        )
                    })?;
                }
                TemplatePart::Field(name) => {
                    let end = match self.literal_after(index) {
                        Some(literal) => rest.find(literal).ok_or_else(|| {
                            ValueError::invalid(text, format!("does not match the key template: no `{literal}` after {{{name}}}"))
                        })?,
                        None => rest.len(),
                    };
                    segments.push((*name, &rest[..end]));
                    rest = &rest[end..];
                }
            }
        }
        if !rest.is_empty() {
            return Err(ValueError::invalid(
                text,
                "does not match the key template: text after its end",
            ));
        }
        Ok(segments)
    }
}

/// Appends `value`'s segment for part `index` of `template`: refused when it
/// holds the literal that follows it, which would make it unreadable.
pub fn render_segment<T: KeySegment>(
    out: &mut String,
    template: &KeyTemplate,
    index: usize,
    value: &T,
) -> Result<(), ValueError> {
    let start = out.len();
    value.render(out)?;
    if let Some(literal) = template.literal_after(index) {
        if out[start..].contains(literal) {
            let segment = out[start..].to_owned();
            out.truncate(start);
            return Err(ValueError::invalid(
                segment,
                format!("a key segment cannot hold `{literal}`, which ends it in the key template"),
            ));
        }
    }
    Ok(())
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
    };

    fn render(status: &str, number: i64) -> Result<String, ValueError> {
        let mut out = String::from("ORDER#");
        render_segment(&mut out, &ORDER, 1, &status.to_string())?;
        out.push('#');
        render_segment(&mut out, &ORDER, 3, &number)?;
        Ok(out)
    }

    #[test]
    fn renders_and_splits() {
        let key = render("open", -2).unwrap();
        assert_eq!(key, "ORDER#open#-9223372036854775806");
        assert_eq!(
            ORDER.segments(&key).unwrap(),
            [("status", "open"), ("number", "-9223372036854775806")]
        );
        assert!(
            render("a#b", 1).is_err(),
            "the literal after a segment is refused in it"
        );
        assert!(ORDER.segments("CUSTOMER#1").is_err());
        assert!(ORDER.segments("ORDER#open").is_err());
    }

    proptest! {
        #[test]
        fn any_status_and_number_come_back_and_keep_their_order(
            a in "[^#]{0,8}", an: i64, b in "[^#]{0,8}", bn: i64,
        ) {
            let (ka, kb) = (render(&a, an).unwrap(), render(&b, bn).unwrap());
            let sa = ORDER.segments(&ka).unwrap();
            prop_assert_eq!(String::parse(sa[0].1).unwrap(), a.clone());
            prop_assert_eq!(i64::parse(sa[1].1).unwrap(), an);
            // Same status: the keys sort as the numbers.
            if a == b {
                prop_assert_eq!(ka.cmp(&kb), an.cmp(&bn));
            }
        }
    }
}
