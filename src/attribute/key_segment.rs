//! [`KeySegment`]: a field's value as one segment of a composed key
//! (`ORDER#{placed_at}#{order_id}`), written so that the text order of keys
//! is the order of their values, and read back.
//!
//! | type | segment |
//! |---|---|
//! | `String` | the text itself (a template refuses a value holding the literal that follows it) |
//! | unsigned integers | zero-padded to the type's widest value: `u32` 7 is `0000000007` |
//! | signed integers | non-negative zero-padded to 19 digits (39 for `i128`); negative as `-` and the distance from the type's minimum, zero-padded: `-1` is `-9223372036854775807` for `i64` |
//! | `DateTime<Utc>` | the stored UTC text, `2026-11-26T10:00:00.000000+00:00` |
//!
//! `-` sorts before every digit, so negative numbers come before the others,
//! and among them the distance from the minimum grows with the value.

use chrono::{DateTime, Utc};

use super::{datetime, ValueError};

/// A value that can be a segment of a composed key: rendered so that text
/// order is value order, and parsed back exactly.
pub trait KeySegment: Sized {
    /// Appends the segment to `out`.
    fn render(&self, out: &mut String) -> Result<(), ValueError>;

    /// Reads a segment that [`render`](Self::render) wrote.
    fn parse(segment: &str) -> Result<Self, ValueError>;
}

impl KeySegment for String {
    fn render(&self, out: &mut String) -> Result<(), ValueError> {
        out.push_str(self);
        Ok(())
    }
    fn parse(segment: &str) -> Result<Self, ValueError> {
        Ok(segment.to_owned())
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
            fn render(&self, out: &mut String) -> Result<(), ValueError> {
                out.push_str(&format!("{:0width$}", self, width = $width));
                Ok(())
            }
            fn parse(segment: &str) -> Result<Self, ValueError> {
                digits(segment, $width, stringify!($t))
            }
        }
    )*};
}

unsigned!(u8: 3, u16: 5, u32: 10, u64: 20, u128: 39);

/// Signed integers: `$u` is the unsigned type of the same width, `$width`
/// the digits of its largest value below the sign bit (`MAX` of `$t`).
macro_rules! signed {
    ($($t:ty as $u:ty: $width:expr),* $(,)?) => {$(
        impl KeySegment for $t {
            fn render(&self, out: &mut String) -> Result<(), ValueError> {
                if *self >= 0 {
                    out.push_str(&format!("{:0width$}", self, width = $width));
                } else {
                    // The distance from MIN: 0 for MIN, MAX for -1.
                    let distance = self.wrapping_sub(<$t>::MIN) as $u;
                    out.push_str(&format!("-{:0width$}", distance, width = $width));
                }
                Ok(())
            }
            fn parse(segment: &str) -> Result<Self, ValueError> {
                match segment.strip_prefix('-') {
                    None => digits::<$t>(segment, $width, stringify!($t)),
                    Some(rest) => {
                        let distance: $u = digits(rest, $width, stringify!($t))?;
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

impl KeySegment for DateTime<Utc> {
    fn render(&self, out: &mut String) -> Result<(), ValueError> {
        out.push_str(&datetime::format_datetime(self)?);
        Ok(())
    }
    fn parse(segment: &str) -> Result<Self, ValueError> {
        datetime::parse_datetime(segment)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rendered<T: KeySegment>(value: &T) -> String {
        let mut out = String::new();
        value.render(&mut out).expect("renders");
        out
    }

    #[test]
    fn forms() {
        assert_eq!(rendered(&7u32), "0000000007");
        assert_eq!(rendered(&-1i64), "-9223372036854775807");
        assert_eq!(rendered(&i64::MIN), "-0000000000000000000");
        assert_eq!(rendered(&i64::MAX), "9223372036854775807");
        assert_eq!(rendered(&-128i8), "-000");
        assert!(i8::parse("-128").is_err(), "distance 128 is past i8::MAX");
        assert!(u8::parse("256").is_err());
        assert!(u32::parse("7").is_err(), "not padded");
        assert!(i64::parse("+000000000000000007").is_err());
    }

    macro_rules! order_and_round_trip {
        ($($name:ident: $t:ty),* $(,)?) => {$(
            proptest! {
                #[test]
                fn $name(a: $t, b: $t) {
                    let (ra, rb) = (rendered(&a), rendered(&b));
                    prop_assert_eq!(<$t>::parse(&ra).unwrap(), a);
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
        fn datetime_segments(a in -62_135_596_800i64..253_402_300_799, an in 0u32..1_000_000,
                             b in -62_135_596_800i64..253_402_300_799, bn in 0u32..1_000_000) {
            let (a, b) = (
                DateTime::from_timestamp(a, an * 1000).unwrap(),
                DateTime::from_timestamp(b, bn * 1000).unwrap(),
            );
            let (ra, rb) = (rendered(&a), rendered(&b));
            prop_assert_eq!(DateTime::<Utc>::parse(&ra).unwrap(), a);
            prop_assert_eq!(ra.cmp(&rb), a.cmp(&b));
        }
    }
}
