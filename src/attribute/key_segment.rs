//! [`KeySegment`]: a field's value as one segment of a composed key
//! (`ORDER#{placed_at}#{order_id}`), written so that the text order of keys
//! is the order of their values, and read back exactly.
//!
//! | type | segment |
//! |---|---|
//! | unsigned integers | zero-padded to the type's widest value: `u32` 7 is `0000000007` |
//! | signed integers | non-negative zero-padded to one digit more than the type's `MAX` has (`0000000000000000042` for `i64` 42); negative as `-` and the distance from the type's `MIN` (`-9223372036854775807` for `i64` -1) |
//! | `DateTime<Utc>`, `DateTime<FixedOffset>` | the instant as the stored UTC text, `2026-11-26T10:00:00.000000+00:00` (years 1 to 9999) |
//! | `String` | the text; before a literal (which must start with space or ASCII punctuation below `0`: `#`, `-`, `/`, ...), the characters up to one past the literal's first (`$` after `#`) are escaped as that character and two hex digits: `John Smith` before `#` is `John$20Smith` |
//!
//! Numbers and datetimes have a fixed width, so nothing after them needs to
//! tell where they end, and `-` sorts before every digit. The escape keeps
//! the literal out of a string's segment (so `a#b` is a value like any other)
//! and makes everything in the segment sort after the literal's first
//! character, so that a string sorts before the strings it is a prefix of
//! (`ann#..` before `anna#..`, `ann#..` before `ann smith#..`), as DynamoDB
//! compares keys: by their UTF-8 bytes. A separator low in ASCII (`#`, as
//! AWS's own examples use) escapes only control characters, space, `!`, `"`,
//! `#` and `$`.

use chrono::{DateTime, FixedOffset, Utc};

use super::{datetime, Attribute, ValueError};

/// A value that can be a segment of a composed key: rendered so that text
/// order is value order, and parsed back exactly. Fields in key templates
/// are stored as attributes of their own too, hence the `Attribute` bound.
///
/// A type of your own can delegate to one of these (an enum to its name's
/// `String`, a newtype to what it holds).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a segment of a composed key",
    label = "in a key template",
    note = "key templates take strings, integers and `DateTime<Utc>`/`DateTime<FixedOffset>`, which render so that text order is value order; an `Option` only in an index key (an item with `None` stays out of the index); for a type of your own, implement `KeySegment`"
)]
pub trait KeySegment: Attribute {
    /// The length in bytes of every segment of the type, if fixed: such a
    /// segment is read by its length, whatever follows it.
    const WIDTH: Option<usize> = None;

    /// Appends the segment to `out`. `end` is the first character of the
    /// template's literal right after it (`None` when it ends the key): a
    /// segment of variable width must not hold it, and must sort after it.
    fn render(&self, out: &mut String, end: Option<char>) -> Result<(), ValueError>;

    /// Reads a segment that [`render`](Self::render) wrote with the same `end`.
    fn parse(segment: &str, end: Option<char>) -> Result<Self, ValueError>;
}

/// Whether a string segment can come before a literal starting with `end`:
/// ASCII punctuation below `0` (space, `!"#$%&'()*+,-./`), so that the escape
/// (the next character and two hex digits) sorts after it.
pub const fn string_can_end_with(end: char) -> bool {
    matches!(end, ' '..='/')
}

/// The character that starts an escape in a string segment before `end`:
/// the one after it.
fn escape_char(end: char) -> Option<char> {
    if string_can_end_with(end) {
        char::from_u32(end as u32 + 1)
    } else {
        None
    }
}

impl KeySegment for String {
    fn render(&self, out: &mut String, end: Option<char>) -> Result<(), ValueError> {
        let Some(end) = end else {
            out.push_str(self);
            return Ok(());
        };
        let Some(escape) = escape_char(end) else {
            return Err(ValueError::invalid(
                end,
                "a string in a key template must be followed by space or ASCII punctuation below `0` (`#`, `-`, `/`, ...)",
            ));
        };
        for c in self.chars() {
            if c <= escape {
                out.push(escape);
                out.push_str(&format!("{:02X}", c as u32));
            } else {
                out.push(c);
            }
        }
        Ok(())
    }

    fn parse(segment: &str, end: Option<char>) -> Result<Self, ValueError> {
        let Some(escape) = end.and_then(escape_char) else {
            return Ok(segment.to_owned());
        };
        let mut text = String::with_capacity(segment.len());
        let mut chars = segment.chars();
        while let Some(c) = chars.next() {
            if c == escape {
                let hex: String = chars.by_ref().take(2).collect();
                let code = u8::from_str_radix(&hex, 16)
                    .ok()
                    .filter(|code| hex.len() == 2 && u32::from(*code) <= escape as u32)
                    .ok_or_else(|| {
                        ValueError::invalid(segment, format!("`{escape}{hex}` is no escape"))
                    })?;
                text.push(char::from(code));
            } else if c < escape {
                return Err(ValueError::invalid(
                    segment,
                    format!("`{}` is not escaped", c.escape_debug()),
                ));
            } else {
                text.push(c);
            }
        }
        Ok(text)
    }
}

/// Parses exactly `width` ASCII digits.
fn digits<T: std::str::FromStr>(
    segment: &str,
    width: usize,
    target: &'static str,
) -> Result<T, ValueError> {
    if segment.len() != width || !segment.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ValueError::invalid(
            segment,
            format!("not a {target} key segment ({width} digits)"),
        ));
    }
    segment
        .parse()
        .map_err(|_| ValueError::out_of_range(segment, target))
}

macro_rules! unsigned {
    ($($t:ty: $width:expr),* $(,)?) => {$(
        impl KeySegment for $t {
            const WIDTH: Option<usize> = Some($width);
            fn render(&self, out: &mut String, _end: Option<char>) -> Result<(), ValueError> {
                out.push_str(&format!("{:0width$}", self, width = $width));
                Ok(())
            }
            fn parse(segment: &str, _end: Option<char>) -> Result<Self, ValueError> {
                digits(segment, $width, stringify!($t))
            }
        }
    )*};
}

unsigned!(u8: 3, u16: 5, u32: 10, u64: 20, u128: 39);

/// Signed integers: `$u` is the unsigned type of the same width, `$digits`
/// the digits of the type's `MAX`; segments take one more character.
macro_rules! signed {
    ($($t:ty as $u:ty: $digits:expr),* $(,)?) => {$(
        impl KeySegment for $t {
            const WIDTH: Option<usize> = Some($digits + 1);
            fn render(&self, out: &mut String, _end: Option<char>) -> Result<(), ValueError> {
                if *self >= 0 {
                    out.push_str(&format!("{:0width$}", self, width = $digits + 1));
                } else {
                    // The distance from MIN: 0 for MIN, MAX for -1.
                    let distance = self.wrapping_sub(<$t>::MIN) as $u;
                    out.push_str(&format!("-{:0width$}", distance, width = $digits));
                }
                Ok(())
            }
            fn parse(segment: &str, _end: Option<char>) -> Result<Self, ValueError> {
                match segment.strip_prefix('-') {
                    None => digits::<$t>(segment, $digits + 1, stringify!($t)),
                    Some(rest) => {
                        let distance: $u = digits(rest, $digits, stringify!($t))?;
                        if distance > <$t>::MAX as $u {
                            return Err(ValueError::out_of_range(segment, stringify!($t)));
                        }
                        Ok(<$t>::MIN.wrapping_add(distance as $t))
                    }
                }
            }
        }
    )*};
}

signed!(i8 as u8: 3, i16 as u16: 5, i32 as u32: 10, i64 as u64: 19, i128 as u128: 39);

/// `2026-11-26T10:00:00.000000+00:00`.
const DATETIME_WIDTH: usize = 32;

impl KeySegment for DateTime<Utc> {
    const WIDTH: Option<usize> = Some(DATETIME_WIDTH);
    fn render(&self, out: &mut String, _end: Option<char>) -> Result<(), ValueError> {
        out.push_str(&datetime::format_datetime(self)?);
        Ok(())
    }
    fn parse(segment: &str, _end: Option<char>) -> Result<Self, ValueError> {
        if segment.len() != DATETIME_WIDTH || !segment.ends_with("+00:00") {
            return Err(ValueError::invalid(
                segment,
                "not a datetime key segment (`YYYY-MM-DDTHH:MM:SS.ffffff+00:00`)",
            ));
        }
        datetime::parse_datetime(segment)
    }
}

/// The instant in UTC: keys sort by time whatever the offset; the offset
/// itself is kept by the field's own attribute, not by the key.
impl KeySegment for DateTime<FixedOffset> {
    const WIDTH: Option<usize> = Some(DATETIME_WIDTH);
    fn render(&self, out: &mut String, end: Option<char>) -> Result<(), ValueError> {
        self.with_timezone(&Utc).render(out, end)
    }
    fn parse(segment: &str, end: Option<char>) -> Result<Self, ValueError> {
        DateTime::<Utc>::parse(segment, end).map(|utc| utc.fixed_offset())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rendered<T: KeySegment>(value: &T, end: Option<char>) -> String {
        let mut out = String::new();
        value.render(&mut out, end).expect("renders");
        if let Some(width) = T::WIDTH {
            assert_eq!(out.len(), width, "{out}");
        }
        out
    }

    #[test]
    fn forms() {
        assert_eq!(rendered(&7u32, None), "0000000007");
        assert_eq!(rendered(&42i64, None), "00000000000000000042");
        assert_eq!(rendered(&-1i64, None), "-9223372036854775807");
        assert_eq!(rendered(&i64::MIN, None), "-0000000000000000000");
        assert_eq!(rendered(&i64::MAX, None), "09223372036854775807");
        assert_eq!(rendered(&-128i8, None), "-000");
        assert_eq!(
            rendered(&"John Smith#1".to_string(), Some('#')),
            "John$20Smith$231"
        );
        assert_eq!(
            rendered(&"a#b".to_string(), None),
            "a#b",
            "nothing after it: as it is"
        );
        assert!(
            i8::parse("-128", None).is_err(),
            "distance 128 is past i8::MAX"
        );
        assert!(u8::parse("256", None).is_err());
        assert!(u32::parse("7", None).is_err(), "not padded");
        assert!(i64::parse("+0000000000000000007", None).is_err());
        assert!(String::parse("a#b", Some('#')).is_err(), "unescaped");
        assert!(String::parse("a$2", Some('#')).is_err(), "cut escape");
        assert!(
            String::parse("a$41", Some('#')).is_err(),
            "`A` is never escaped"
        );
        assert!(
            DateTime::<Utc>::parse("2026-11-26T10:00:00+00:00", None).is_err(),
            "not the stored width"
        );
    }

    macro_rules! order_and_round_trip {
        ($($name:ident: $t:ty),* $(,)?) => {$(
            proptest! {
                #[test]
                fn $name(a: $t, b: $t) {
                    let (ra, rb) = (rendered(&a, Some('#')), rendered(&b, Some('#')));
                    prop_assert_eq!(<$t>::parse(&ra, Some('#')).unwrap(), a);
                    prop_assert_eq!(ra.cmp(&rb), a.cmp(&b), "{} {}", ra, rb);
                }
            }
        )*};
    }

    order_and_round_trip!(
        u8_segments: u8, u64_segments: u64, u128_segments: u128,
        i8_segments: i8, i32_segments: i32, i64_segments: i64, i128_segments: i128,
    );

    proptest! {
        #[test]
        fn string_segments_keep_order_before_any_ascii_literal(
            a in "\\PC{0,6}|[\\x00-&a]{0,6}", b in "\\PC{0,6}|[\\x00-&a]{0,6}", end in 0x20u8..0x30,
        ) {
            let end = char::from(end);
            let (ra, rb) = (rendered(&a, Some(end)), rendered(&b, Some(end)));
            prop_assert!(!ra.contains(end), "{:?}", ra);
            prop_assert_eq!(String::parse(&ra, Some(end)).unwrap(), a.clone());
            // What follows the segment starts with `end`: a prefix sorts first.
            if a != b {
                prop_assert_eq!(format!("{ra}{end}~").cmp(&format!("{rb}{end}")), a.cmp(&b));
            }
        }

        #[test]
        fn datetime_segments(a in -62_135_596_800i64..253_402_300_799, an in 0u32..1_000_000,
                             b in -62_135_596_800i64..253_402_300_799, bn in 0u32..1_000_000,
                             offset in -86_399i32..86_399) {
            let (a, b) = (
                DateTime::from_timestamp(a, an * 1000).unwrap(),
                DateTime::from_timestamp(b, bn * 1000).unwrap(),
            );
            let (ra, rb) = (rendered(&a, None), rendered(&b, None));
            prop_assert_eq!(DateTime::<Utc>::parse(&ra, None).unwrap(), a);
            prop_assert_eq!(ra.cmp(&rb), a.cmp(&b));
            let zone = FixedOffset::east_opt(offset).unwrap();
            let local = a.with_timezone(&zone);
            prop_assert_eq!(rendered(&local, None), ra.clone());
            prop_assert_eq!(DateTime::<FixedOffset>::parse(&ra, None).unwrap(), local);
        }
    }
}
