//! Python's `json.dumps(value, sort_keys=True)` text, byte for byte: keys
//! sorted, `", "` and `": "` separators, everything outside printable ASCII
//! escaped as `\uXXXX`, floats in `repr` form.
//!
//! [`to_text`] streams a value straight to text and only builds a JSON tree
//! (to sort it) when some object's keys do not already arrive in order, as
//! they do from a `BTreeMap`.

use std::cmp::Ordering;
use std::fmt::Write as _;
use std::io;

use serde::Serialize;
use serde_json::ser::{CharEscape, CompactFormatter, Formatter};
use serde_json::Value;

use super::ValueError;

/// Any serializable value as Python's sorted-keys JSON text. A failure
/// names the value's type and the field or element where it happened.
pub(super) fn to_text<T: Serialize + ?Sized>(value: &T) -> Result<String, ValueError> {
    let mut formatter = PythonFormatter::default();
    let mut out = Vec::with_capacity(64);
    let streamed = value.serialize(&mut serde_json::Serializer::with_formatter(
        &mut out,
        &mut formatter,
    ));
    // The walk for floats written as `null` only when the text would do otherwise.
    if streamed.is_ok()
        && !formatter.keys.out_of_order
        && !(formatter.null_written && super::non_finite::holds_non_finite(value))
    {
        // Every byte written is printable ASCII.
        if let Ok(text) = String::from_utf8(out) {
            return Ok(text);
        }
    }
    // Keys out of order (or a failure, which the tree locates): the tree
    // sorts them, and holds integers of any size. serde_json writes `null`
    // for NaN and the infinities, where Python writes `NaN` and `Infinity`:
    // text with a `null` that stands for such a float is written again from
    // the tree, which keeps them.
    Ok(super::ser::to_tree(value)?.to_python_text())
}

/// Writes Python's separators and escapes, and notes whether every object's
/// keys came in ascending order (and as plain strings).
#[derive(Default)]
struct PythonFormatter {
    keys: KeyOrder,
    /// A `null` was written: a `None`, or a float serde_json cannot write.
    null_written: bool,
}

impl PythonFormatter {
    fn key_is_not_text(&mut self) {
        if self.keys.in_key() {
            self.keys.out_of_order = true;
        }
    }
}

/// Objects nested deeper than this go through the tree.
const MAX_DEPTH: usize = 16;

/// Tells whether each object's keys arrive in ascending order, with one
/// buffer for all open objects: it holds the last key of each, outermost
/// first, and a new key is compared with its predecessor as it overwrites it.
#[derive(Default)]
struct KeyOrder {
    keys: String,
    /// Where each open object's key starts in `keys`.
    starts: [usize; MAX_DEPTH],
    depth: usize,
    /// While a key is written: where its next text goes, and how it
    /// compares with the previous key so far.
    writing: Option<(usize, Ordering)>,
    out_of_order: bool,
}

impl KeyOrder {
    fn in_key(&self) -> bool {
        self.writing.is_some()
    }

    fn open(&mut self) {
        match self.starts.get_mut(self.depth) {
            Some(start) => *start = self.keys.len(),
            None => self.out_of_order = true,
        }
        self.depth += 1;
    }

    fn close(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        if let Some(&start) = self.starts.get(self.depth) {
            self.truncate(start);
        }
    }

    fn begin_key(&mut self, first: bool) {
        let Some(&start) = self.depth.checked_sub(1).and_then(|d| self.starts.get(d)) else {
            self.out_of_order = true;
            return;
        };
        if first {
            self.truncate(start);
        }
        let so_far = if first {
            Ordering::Greater
        } else {
            Ordering::Equal
        };
        self.writing = Some((start, so_far));
    }

    fn key_text(&mut self, text: &str) {
        let Some((cursor, so_far)) = self.writing.as_mut() else {
            return;
        };
        if *so_far == Ordering::Equal {
            let previous = self.keys.as_bytes().get(*cursor..).unwrap_or_default();
            let common = text.len().min(previous.len());
            *so_far = text.as_bytes()[..common].cmp(&previous[..common]);
            if *so_far == Ordering::Equal && text.len() > previous.len() {
                *so_far = Ordering::Greater;
            }
            if *so_far == Ordering::Equal {
                *cursor += text.len();
                return;
            }
        }
        let at = *cursor;
        self.truncate(at);
        self.keys.push_str(text);
        if let Some((cursor, _)) = self.writing.as_mut() {
            *cursor = self.keys.len();
        }
    }

    fn end_key(&mut self) {
        if let Some((cursor, so_far)) = self.writing.take() {
            // Equal so far: the key is the previous one or a prefix of it.
            if so_far != Ordering::Greater {
                self.out_of_order = true;
            }
            self.truncate(cursor);
        }
    }

    fn truncate(&mut self, at: usize) {
        if self.keys.is_char_boundary(at) {
            self.keys.truncate(at);
        } else {
            self.out_of_order = true;
        }
    }
}

fn write_escaped(out: &mut (impl io::Write + ?Sized), text: &str) -> io::Result<()> {
    let bytes = text.as_bytes();
    let mut start = 0;
    while let Some(offset) = bytes[start..]
        .iter()
        .position(|b| !matches!(b, b' '..=b'~'))
    {
        let index = start + offset;
        out.write_all(&bytes[start..index])?;
        let Some(c) = text[index..].chars().next() else {
            break;
        };
        let mut units = [0u16; 2];
        for unit in c.encode_utf16(&mut units) {
            write!(out, "\\u{unit:04x}")?;
        }
        start = index + c.len_utf8();
    }
    out.write_all(&bytes[start..])
}

/// Python's `", "` between the elements of a list or an object.
fn separator(writer: &mut (impl io::Write + ?Sized), first: bool) -> io::Result<()> {
    if first {
        Ok(())
    } else {
        writer.write_all(b", ")
    }
}

/// Numbers written as map keys (`{1: ..}`) sort as numbers in Python, so
/// such maps go through the tree, as they always did.
macro_rules! number_methods {
    ($($method:ident: $ty:ty),* $(,)?) => {$(
        fn $method<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: $ty) -> io::Result<()> {
            self.key_is_not_text();
            CompactFormatter.$method(writer, value)
        }
    )*};
}

impl Formatter for &mut PythonFormatter {
    fn write_null<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.null_written = true;
        self.key_is_not_text();
        writer.write_all(b"null")
    }

    number_methods!(
        write_i8: i8, write_i16: i16, write_i32: i32, write_i64: i64, write_i128: i128,
        write_u8: u8, write_u16: u16, write_u32: u32, write_u64: u64, write_u128: u128,
    );

    fn write_bool<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: bool) -> io::Result<()> {
        self.key_is_not_text();
        CompactFormatter.write_bool(writer, value)
    }

    fn write_f32<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f32) -> io::Result<()> {
        self.write_f64(writer, f64::from(value))
    }

    fn write_f64<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        self.key_is_not_text();
        writer.write_all(python_float_repr(value).as_bytes())
    }

    fn write_number_str<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        value: &str,
    ) -> io::Result<()> {
        self.key_is_not_text();
        writer.write_all(value.as_bytes())
    }

    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        self.keys.key_text(fragment);
        write_escaped(writer, fragment)
    }

    fn write_char_escape<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        escape: CharEscape,
    ) -> io::Result<()> {
        let (c, text): (char, &[u8]) = match escape {
            CharEscape::Quote => ('"', b"\\\""),
            CharEscape::ReverseSolidus => ('\\', b"\\\\"),
            CharEscape::Solidus => ('/', b"/"),
            CharEscape::Backspace => ('\u{8}', b"\\b"),
            CharEscape::FormFeed => ('\u{c}', b"\\f"),
            CharEscape::LineFeed => ('\n', b"\\n"),
            CharEscape::CarriageReturn => ('\r', b"\\r"),
            CharEscape::Tab => ('\t', b"\\t"),
            CharEscape::AsciiControl(byte) => {
                self.keys
                    .key_text(char::from(byte).encode_utf8(&mut [0; 4]));
                return write!(writer, "\\u{byte:04x}");
            }
        };
        self.keys.key_text(c.encode_utf8(&mut [0; 4]));
        writer.write_all(text)
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        separator(writer, first)
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.keys.open();
        writer.write_all(b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.keys.close();
        writer.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.keys.begin_key(first);
        separator(writer, first)
    }

    fn end_object_key<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.keys.end_key();
        Ok(())
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }
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

/// A string as Python writes it: `\\uXXXX` outside printable ASCII.
pub(super) fn write_string(out: &mut String, text: &str) {
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

    /// The streaming writer against the tree writer, on values whose keys
    /// come sorted, unsorted, escaped or not as text at all.
    #[test]
    fn streaming_matches_the_tree() {
        #[derive(Serialize)]
        struct Unsorted {
            name: &'static str,
            damage: u32,
            nested: std::collections::BTreeMap<&'static str, f32>,
        }
        fn check<T: Serialize>(value: &T) {
            let streamed = to_text(value).expect("serializable");
            let tree = to_python_json(&serde_json::to_value(value).expect("serializable"));
            assert_eq!(streamed, tree);
        }
        check(&json!({"b": [1, 2.5, null, true], "a": {"z": "\u{1}\u{7f}é", "y": 1e300}}));
        check(&Unsorted {
            name: "fire\"ball",
            damage: 10,
            nested: [("b", 0.1), ("a", 2.0)].into(),
        });
        check(&std::collections::HashMap::from([
            ("k\"2", 1),
            ("k\n1", 2),
            ("k", 3),
            ("é", 4),
        ]));
        check(&std::collections::BTreeMap::from([
            (10, "ten"),
            (9, "nine"),
        ]));
        check(&std::collections::BTreeMap::from([(true, 1), (false, 2)]));
        check(&vec![json!({}), json!([]), json!("😀"), json!(-0.0)]);
        check(&std::collections::BTreeMap::from([
            ("same", json!({"x": 1})),
            ("zz", json!({"a": 1})),
        ]));
    }

    /// Whether streaming `value` found keys out of order (and would build a tree).
    fn needs_sorting<T: Serialize>(value: &T) -> bool {
        let mut formatter = PythonFormatter::default();
        let mut out = Vec::new();
        value
            .serialize(&mut serde_json::Serializer::with_formatter(
                &mut out,
                &mut formatter,
            ))
            .expect("serializable");
        formatter.keys.out_of_order
    }

    #[test]
    fn only_unsorted_keys_build_a_tree() {
        assert!(!needs_sorting(
            &json!({"a": {"b": 1, "c": [{"d": 1, "e": 2}]}, "b": 2})
        ));
        #[derive(Serialize)]
        struct Unsorted {
            b: u8,
            a: u8,
        }
        assert!(needs_sorting(&vec![Unsorted { b: 1, a: 2 }]));
        assert!(needs_sorting(&std::collections::BTreeMap::from([
            (1, 1),
            (2, 2)
        ])));
    }

    /// Finite floats: serde_json's own tree (the oracle here) holds no NaN.
    fn finite() -> proptest::num::f64::Any {
        use proptest::num::f64::{NEGATIVE, NORMAL, POSITIVE, SUBNORMAL, ZERO};
        POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO
    }

    #[test]
    fn non_finite_floats_are_written_as_python_writes_them() {
        let value = vec![
            Some(f64::NAN),
            None,
            Some(f64::INFINITY),
            Some(f64::NEG_INFINITY),
        ];
        assert_eq!(to_text(&value).unwrap(), "[NaN, null, Infinity, -Infinity]");
        assert_eq!(to_text(&vec![None, Some(1.5)]).unwrap(), "[null, 1.5]");
    }

    proptest::proptest! {
        #[test]
        fn streaming_matches_the_tree_for_any_map(
            map in proptest::collection::hash_map(".{0,6}", proptest::collection::vec((".{0,4}", finite(), proptest::num::i64::ANY), 0..3), 0..6)
        ) {
            let streamed = to_text(&map).expect("serializable");
            let tree = to_python_json(&serde_json::to_value(&map).expect("serializable"));
            proptest::prop_assert_eq!(streamed, tree);
        }

        /// Nested objects whose keys often share prefixes (or are prefixes of
        /// each other), sorted or not, with escapes and non-ASCII.
        #[test]
        fn streaming_matches_the_tree_for_nested_maps(
            sorted in proptest::collection::btree_map("[ab\"\\né]{0,3}", proptest::collection::btree_map("[ab]{0,3}", proptest::collection::vec(proptest::collection::btree_map("[ab]{0,2}", 0u8..3, 0..3), 0..3), 0..4), 0..4),
            unsorted in proptest::collection::hash_map("[ab\"é]{0,3}", proptest::collection::hash_map("[ab]{0,3}", 0u8..3, 0..4), 0..4),
        ) {
            proptest::prop_assert!(!needs_sorting(&sorted), "sorted keys stream without a tree");
            for (streamed, tree) in [
                (to_text(&sorted), serde_json::to_value(&sorted).map(|v| to_python_json(&v))),
                (to_text(&unsorted), serde_json::to_value(&unsorted).map(|v| to_python_json(&v))),
            ] {
                proptest::prop_assert_eq!(streamed.expect("serializable"), tree.expect("serializable"));
            }
        }
    }
}
