//! JSON text attributes, written exactly as Python's
//! `json.dumps(value, sort_keys=True)` writes them, so tables are shared with
//! the original library: keys sorted, `", "` and `": "` separators, non-ASCII
//! escaped as `\uXXXX`, floats in Python's `repr` form.
//!
//! Use the [`Json`] wrapper type, or the `#[dynamodb(json)]` field option,
//! which routes a field through [`to_attribute`] and [`from_attribute`].

use std::fmt::Write as _;
use std::ops::{Deref, DerefMut};

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::{Attribute, AttributeValue, KeyAttribute, ScalarType, ValueError, ValueErrorKind};

/// A value stored as JSON text (`S`), as the original library stores lists and dicts.
///
/// ```
/// use dynamodb_mapper::{Attribute, AttributeValue, Json};
/// use std::collections::BTreeMap;
///
/// let spell = BTreeMap::from([("name", "fireball"), ("damage", "10")].map(|(k, v)| (k.to_string(), v.to_string())));
/// let spells = Json(vec![spell]);
/// assert_eq!(
///     spells.to_attribute().unwrap(),
///     AttributeValue::S(r#"[{"damage": "10", "name": "fireball"}]"#.into())
/// );
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Json<T>(pub T);

impl<T> Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for Json<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T: Serialize + DeserializeOwned + Default> Attribute for Json<T> {
    fn to_attribute(&self) -> Result<AttributeValue, ValueError> {
        to_attribute(&self.0)
    }
    fn from_attribute(value: AttributeValue) -> Result<Self, ValueError> {
        from_attribute(value).map(Json)
    }
    fn from_missing() -> Result<Self, ValueError> {
        Ok(Json(T::default()))
    }
    fn to_json(&self) -> Result<Value, ValueError> {
        to_json(&self.0)
    }
}

impl<T: Serialize + DeserializeOwned + Default> KeyAttribute for Json<T> {
    const SCALAR_TYPE: ScalarType = ScalarType::String;
}

fn json_error(value: &str, error: impl ToString) -> ValueError {
    ValueError::new(ValueErrorKind::InvalidJson {
        value: value.chars().take(80).collect(),
        reason: error.to_string(),
    })
}

/// Encodes any serializable value as Python-compatible JSON text. `null`, `[]`
/// and `{}` are empty values (absent at the top level of an item).
pub fn to_attribute<T: Serialize + ?Sized>(value: &T) -> Result<AttributeValue, ValueError> {
    let tree = serde_json::to_value(value).map_err(|e| json_error("", e))?;
    let empty = match &tree {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    };
    if empty {
        return Ok(AttributeValue::Null);
    }
    Ok(AttributeValue::S(to_python_json(&tree)))
}

/// Decodes JSON text.
pub fn from_attribute<T: DeserializeOwned + Default>(
    value: AttributeValue,
) -> Result<T, ValueError> {
    match value {
        AttributeValue::S(text) => serde_json::from_str(&text).map_err(|e| json_error(&text, e)),
        AttributeValue::Null => Ok(T::default()),
        other => Err(ValueError::type_mismatch("S", &other)),
    }
}

/// The JSON value itself in the model's JSON view (not its text).
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<Value, ValueError> {
    serde_json::to_value(value).map_err(|e| json_error("", e))
}

/// A missing JSON attribute reads as the type's default (`[]`, `{}`).
pub fn from_missing<T: Default>() -> Result<T, ValueError> {
    Ok(T::default())
}

/// Writes a JSON tree exactly as Python's `json.dumps(value, sort_keys=True)` does.
pub fn to_python_json(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(number) => {
            if let Some(i) = number.as_i64() {
                let _ = write!(out, "{i}");
            } else if let Some(u) = number.as_u64() {
                let _ = write!(out, "{u}");
            } else if let Some(f) = number.as_f64() {
                out.push_str(&python_float_repr(f));
            }
        }
        Value::String(text) => write_string(out, text),
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            // Sorted here, whatever order the map keeps (serde_json's
            // `preserve_order` feature may be on elsewhere in the build).
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (index, (key, item)) in entries.into_iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_string(out, key);
                out.push_str(": ");
                write_value(out, item);
            }
            out.push('}');
        }
    }
}

fn write_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
    }
    out.push('"');
}

/// Python's `repr(float)`: the shortest round-tripping digits, in fixed
/// notation for exponents -4..16 (always with a fraction, `10.0`), otherwise
/// scientific with a signed, at least two-digit exponent (`1e+16`, `1.5e-07`).
pub fn python_float_repr(value: f64) -> String {
    if value.is_nan() {
        return "NaN".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    let scientific = format!("{value:e}");
    let (sign, unsigned) = match scientific.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", scientific.as_str()),
    };
    let (mantissa, exponent) = unsigned.split_once('e').unwrap_or((unsigned, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if (-4..16).contains(&exponent) {
        let point = exponent + 1;
        let body = if point <= 0 {
            format!("0.{}{digits}", "0".repeat((-point) as usize))
        } else if point as usize >= digits.len() {
            format!("{digits}{}.0", "0".repeat(point as usize - digits.len()))
        } else {
            format!(
                "{}.{}",
                &digits[..point as usize],
                &digits[point as usize..]
            )
        };
        format!("{sign}{body}")
    } else {
        let fraction = if digits.len() > 1 {
            format!(".{}", &digits[1..])
        } else {
            String::new()
        };
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        format!(
            "{sign}{}{fraction}e{exp_sign}{:02}",
            &digits[..1],
            exponent.abs()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn floats_as_python_repr() {
        for (value, text) in [
            (10.0, "10.0"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1.5e-7, "1.5e-07"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-2.5, "-2.5"),
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (123.456, "123.456"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
        ] {
            assert_eq!(python_float_repr(value), text, "{value}");
        }
    }

    #[test]
    fn text_as_python_dumps_sort_keys() {
        let value = json!({"name": "fireball", "damage": 10, "tags": ["é", "😀"], "ratio": 0.5, "q": "a\"b\\c\n\u{7f}"});
        assert_eq!(
            to_python_json(&value),
            r#"{"damage": 10, "name": "fireball", "q": "a\"b\\c\n\u007f", "ratio": 0.5, "tags": ["\u00e9", "\ud83d\ude00"]}"#
        );
    }
}
