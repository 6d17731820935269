//! Key templates as written: `"ORDER#{placed_at}#{order_id}"`, literal text
//! and `{field}` names (`{{` and `}}` for braces in the text). What the
//! names refer to is checked later; here only the text's own shape.
//!
//! (Work in progress for issue 13: no struct option uses it yet.)

/// One part of a template, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Literal(String),
    Field(String),
}

/// Parses a template; the error says what is wrong with the text.
pub fn parse(text: &str) -> Result<Vec<Part>, String> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                literal.push('}');
            }
            '}' => return Err("a `}` without its `{`: write `}}` for a brace in the text".into()),
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) if c == '_' || c.is_alphanumeric() => name.push(c),
                        Some(c) => return Err(format!("`{c}` in a field name: `{{` opens a field, write `{{{{` for a brace in the text")),
                        None => return Err("a `{` without its `}`".into()),
                    }
                }
                if name.is_empty() {
                    return Err("an empty `{}`: name a field".into());
                }
                if literal.is_empty() && matches!(parts.last(), Some(Part::Field(_))) {
                    return Err(format!("`{{{name}}}` right after another field: put text between them, or nothing tells where one ends"));
                }
                if !literal.is_empty() {
                    parts.push(Part::Literal(std::mem::take(&mut literal)));
                }
                parts.push(Part::Field(name));
            }
            c => literal.push(c),
        }
    }
    if !literal.is_empty() {
        parts.push(Part::Literal(literal));
    }
    if parts.is_empty() {
        return Err("an empty template".into());
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(text: &str) -> Part {
        Part::Literal(text.into())
    }

    fn field(name: &str) -> Part {
        Part::Field(name.into())
    }

    #[test]
    fn literals_and_fields() {
        assert_eq!(
            parse("ORDER#{placed_at}#{order_id}").unwrap(),
            [
                lit("ORDER#"),
                field("placed_at"),
                lit("#"),
                field("order_id")
            ]
        );
        assert_eq!(parse("{id}").unwrap(), [field("id")]);
        assert_eq!(parse("A{{B}}").unwrap(), [lit("A{B}")]);
        assert_eq!(parse("CUSTOMER").unwrap(), [lit("CUSTOMER")]);
    }

    #[test]
    fn mistakes() {
        for (text, says) in [
            ("", "empty template"),
            ("A#{a}{b}", "right after another field"),
            ("A#{}", "empty `{}`"),
            ("A#{a", "without its `}`"),
            ("A#}", "without its `{`"),
            ("A#{a b}", "in a field name"),
        ] {
            let error = parse(text).expect_err(text);
            assert!(error.contains(says), "{text}: {error}");
        }
    }
}
