//! [`Decimal`]: DynamoDB's number type, exactly.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use super::error::{ValueError, ValueErrorKind};

/// The most significant digits a DynamoDB number may have.
pub const MAX_DIGITS: usize = 38;
/// The smallest decimal exponent of a non-zero DynamoDB number (`1E-130`).
pub const MIN_EXPONENT: i64 = -130;
/// The largest decimal exponent of a DynamoDB number (`9.99…E+125`).
pub const MAX_EXPONENT: i64 = 125;

/// An exact decimal number with DynamoDB's limits: up to 38 significant digits,
/// magnitudes from `1E-130` to `9.9999999999999999999999999999999999999E+125`.
///
/// Parsing never rounds: more digits, or a magnitude out of range, is an error.
/// Equality, ordering and hashing are by value (`1.50` equals `1.5`).
///
/// ```
/// use dynamodb_mapper::Decimal;
///
/// let big: Decimal = "12345678901234567890123456789012345678".parse().unwrap();
/// assert_eq!(big.to_string(), "12345678901234567890123456789012345678");
/// assert_eq!("1E+125".parse::<Decimal>().unwrap().to_string(), "1E+125");
/// assert!("1E+126".parse::<Decimal>().is_err());
/// assert_eq!("2.50".parse::<Decimal>().unwrap(), "2.5".parse().unwrap());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Decimal {
    negative: bool,
    /// No trailing zeros; zero is `0` with exponent `0`.
    coefficient: u128,
    exponent: i16,
}

const TEN_POW_38: u128 = 100_000_000_000_000_000_000_000_000_000_000_000_000;

fn invalid(text: &str, reason: &'static str) -> ValueError {
    ValueError::new(ValueErrorKind::InvalidNumber {
        value: text.to_owned(),
        reason,
    })
}

fn digit_count(mut value: u128) -> i64 {
    let mut count = 1;
    while value >= 10 {
        value /= 10;
        count += 1;
    }
    count
}

impl Decimal {
    /// Zero.
    pub const ZERO: Decimal = Decimal {
        negative: false,
        coefficient: 0,
        exponent: 0,
    };

    /// How many significant digits the number has (none for zero).
    pub(crate) fn significant_digits(&self) -> usize {
        if self.coefficient == 0 {
            0
        } else {
            digit_count(self.coefficient) as usize
        }
    }

    /// Parses DynamoDB number text (`-12.5`, `1E+125`, `0.000001`).
    pub fn parse(text: &str) -> Result<Decimal, ValueError> {
        let bytes = text.as_bytes();
        let (negative, rest) = match bytes.first() {
            Some(b'-') => (true, &bytes[1..]),
            Some(b'+') => (false, &bytes[1..]),
            _ => (false, bytes),
        };
        let mantissa_end = rest
            .iter()
            .position(|b| *b == b'e' || *b == b'E')
            .unwrap_or(rest.len());
        let (mantissa, exponent_part) = rest.split_at(mantissa_end);
        let mut exponent: i64 = 0;
        if !exponent_part.is_empty() {
            exponent =
                parse_exponent(&exponent_part[1..]).ok_or_else(|| invalid(text, "bad exponent"))?;
        }
        let mut digits: Vec<u8> = Vec::with_capacity(mantissa.len());
        let mut seen_digit = false;
        let mut seen_point = false;
        for &b in mantissa {
            match b {
                b'0'..=b'9' => {
                    seen_digit = true;
                    if seen_point {
                        exponent -= 1;
                    }
                    if !(digits.is_empty() && b == b'0') {
                        digits.push(b - b'0');
                    }
                }
                b'.' if !seen_point => seen_point = true,
                _ => return Err(invalid(text, "not a decimal number")),
            }
        }
        if !seen_digit {
            return Err(invalid(text, "not a decimal number"));
        }
        while digits.last() == Some(&0) {
            digits.pop();
            exponent += 1;
        }
        if digits.is_empty() {
            return Ok(Decimal::ZERO);
        }
        if digits.len() > MAX_DIGITS {
            return Err(invalid(text, "more than 38 significant digits"));
        }
        let adjusted = exponent + digits.len() as i64 - 1;
        if !(MIN_EXPONENT..=MAX_EXPONENT).contains(&adjusted) {
            return Err(invalid(
                text,
                "magnitude outside DynamoDB's range 1E-130 to 9.99E+125",
            ));
        }
        let coefficient = digits
            .iter()
            .fold(0u128, |acc, d| acc * 10 + u128::from(*d));
        Ok(Decimal {
            negative,
            coefficient,
            exponent: exponent as i16,
        })
    }

    /// An integer, exactly; `None` beyond 38 significant digits.
    pub fn from_i128(value: i128) -> Option<Decimal> {
        let negative = value < 0;
        Self::from_parts(negative, value.unsigned_abs(), 0)
    }

    /// An unsigned integer, exactly; `None` beyond 38 significant digits.
    pub fn from_u128(value: u128) -> Option<Decimal> {
        Self::from_parts(false, value, 0)
    }

    fn from_parts(negative: bool, mut coefficient: u128, mut exponent: i64) -> Option<Decimal> {
        if coefficient == 0 {
            return Some(Decimal::ZERO);
        }
        while coefficient.is_multiple_of(10) {
            coefficient /= 10;
            exponent += 1;
        }
        if coefficient >= TEN_POW_38 {
            return None;
        }
        Some(Decimal {
            negative,
            coefficient,
            exponent: exponent as i16,
        })
    }

    /// The value as an `i128`, if it is an integer that fits.
    pub fn to_i128(&self) -> Option<i128> {
        if self.exponent < 0 {
            return None;
        }
        let magnitude = 10u128
            .checked_pow(self.exponent as u32)
            .and_then(|scale| self.coefficient.checked_mul(scale))?;
        if self.negative {
            0i128.checked_sub_unsigned(magnitude)
        } else {
            i128::try_from(magnitude).ok()
        }
    }

    /// The value as an `u128`, if it is a non-negative integer that fits.
    pub fn to_u128(&self) -> Option<u128> {
        if self.exponent < 0 || (self.negative && self.coefficient != 0) {
            return None;
        }
        10u128
            .checked_pow(self.exponent as u32)
            .and_then(|scale| self.coefficient.checked_mul(scale))
    }

    /// The nearest `f64`.
    pub fn to_f64(&self) -> f64 {
        self.to_string().parse().unwrap_or(f64::NAN)
    }

    /// Whether the value is negative.
    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// Whether the value is zero.
    pub fn is_zero(&self) -> bool {
        self.coefficient == 0
    }

    fn adjusted_exponent(&self) -> i64 {
        i64::from(self.exponent) + digit_count(self.coefficient) - 1
    }
}

fn parse_exponent(bytes: &[u8]) -> Option<i64> {
    let (negative, digits) = match bytes.first() {
        Some(b'-') => (true, &bytes[1..]),
        Some(b'+') => (false, &bytes[1..]),
        _ => (false, bytes),
    };
    if digits.is_empty() || digits.len() > 9 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let value = digits
        .iter()
        .fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0'));
    Some(if negative { -value } else { value })
}

impl FromStr for Decimal {
    type Err = ValueError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Decimal::parse(text)
    }
}

impl Decimal {
    /// The canonical text: plain notation for integers below 38 digits and
    /// for small fractions, scientific (`1E+125`) otherwise.
    pub fn to_text(&self) -> String {
        if self.coefficient == 0 {
            return "0".to_owned();
        }
        // The coefficient's digits, most significant first, without fmt.
        let mut buffer = [0u8; 40];
        let mut start = buffer.len();
        let mut rest = self.coefficient;
        // 128-bit division is a library call; most coefficients fit 64 bits.
        while rest > u128::from(u64::MAX) {
            start -= 1;
            buffer[start] = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        let mut rest = rest as u64;
        while rest > 0 {
            start -= 1;
            buffer[start] = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        let digits = &buffer[start..];
        let len = digits.len() as i64;
        let exponent = i64::from(self.exponent);
        let adjusted = exponent + len - 1;
        let mut text = String::with_capacity(digits.len() + 48);
        if self.negative {
            text.push('-');
        }
        let push_digits = |text: &mut String, digits: &[u8]| {
            text.push_str(std::str::from_utf8(digits).unwrap_or_default())
        };
        if exponent >= 0 && adjusted < MAX_DIGITS as i64 {
            push_digits(&mut text, digits);
            text.extend(std::iter::repeat_n('0', exponent as usize));
        } else if exponent < 0 && adjusted >= -7 {
            if adjusted >= 0 {
                let split = (len + exponent) as usize;
                push_digits(&mut text, &digits[..split]);
                text.push('.');
                push_digits(&mut text, &digits[split..]);
            } else {
                text.push_str("0.");
                text.extend(std::iter::repeat_n('0', (-adjusted - 1) as usize));
                push_digits(&mut text, digits);
            }
        } else {
            push_digits(&mut text, &digits[..1]);
            if len > 1 {
                text.push('.');
                push_digits(&mut text, &digits[1..]);
            }
            text.push('E');
            text.push(if adjusted < 0 { '-' } else { '+' });
            text.push_str(&adjusted.abs().to_string());
        }
        text
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

impl fmt::Debug for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Decimal({self})")
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        let sign = |d: &Decimal| match (d.coefficient == 0, d.negative) {
            (true, _) => 0,
            (false, true) => -1,
            (false, false) => 1,
        };
        match sign(self).cmp(&sign(other)) {
            Ordering::Equal if sign(self) == 0 => Ordering::Equal,
            Ordering::Equal => {
                let magnitude = self.cmp_magnitude(other);
                if self.negative {
                    magnitude.reverse()
                } else {
                    magnitude
                }
            }
            unequal => unequal,
        }
    }
}

impl Decimal {
    fn cmp_magnitude(&self, other: &Self) -> Ordering {
        match self.adjusted_exponent().cmp(&other.adjusted_exponent()) {
            Ordering::Equal => {
                // Same leading position: align both coefficients to the longer one.
                let (a, b) = (
                    digit_count(self.coefficient),
                    digit_count(other.coefficient),
                );
                let width = a.max(b);
                let scale = |c: u128, d: i64| c * 10u128.pow((width - d) as u32);
                scale(self.coefficient, a).cmp(&scale(other.coefficient, b))
            }
            unequal => unequal,
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

macro_rules! decimal_from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Decimal {
            fn from(value: $t) -> Self {
                // Every integer of 64 bits or fewer has at most 20 digits.
                Decimal::from_i128(value as i128).unwrap_or(Decimal::ZERO)
            }
        }
    )*};
}
decimal_from_int!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

impl TryFrom<i128> for Decimal {
    type Error = ValueError;
    fn try_from(value: i128) -> Result<Self, Self::Error> {
        Decimal::from_i128(value)
            .ok_or_else(|| invalid(&value.to_string(), "more than 38 significant digits"))
    }
}

impl TryFrom<u128> for Decimal {
    type Error = ValueError;
    fn try_from(value: u128) -> Result<Self, Self::Error> {
        Decimal::from_u128(value)
            .ok_or_else(|| invalid(&value.to_string(), "more than 38 significant digits"))
    }
}

impl TryFrom<f64> for Decimal {
    type Error = ValueError;
    /// Exact conversion of the shortest text that reads back as the same `f64`.
    fn try_from(value: f64) -> Result<Self, Self::Error> {
        if !value.is_finite() {
            return Err(invalid(
                &value.to_string(),
                "NaN and infinity are not DynamoDB numbers",
            ));
        }
        Decimal::parse(&format!("{value:e}"))
    }
}

impl serde::Serialize for Decimal {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Decimal {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Decimal;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal number or its text")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Decimal, E> {
                Decimal::parse(v).map_err(E::custom)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Decimal, E> {
                Ok(Decimal::from(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Decimal, E> {
                Ok(Decimal::from(v))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Decimal, E> {
                Decimal::try_from(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn canonical_text() {
        for (input, text) in [
            ("0", "0"),
            ("-0.000", "0"),
            ("100", "100"),
            ("1.50", "1.5"),
            ("-12.345", "-12.345"),
            ("0.0001", "0.0001"),
            ("1e-8", "1E-8"),
            ("1E+125", "1E+125"),
            ("-1E-130", "-1E-130"),
            (
                "9.9999999999999999999999999999999999999E+125",
                "9.9999999999999999999999999999999999999E+125",
            ),
            (
                "12345678901234567890123456789012345678",
                "12345678901234567890123456789012345678",
            ),
            ("1E+40", "1E+40"),
        ] {
            assert_eq!(d(input).to_string(), text, "{input}");
            assert_eq!(d(text), d(input));
        }
    }

    #[test]
    fn refuses_what_dynamodb_refuses() {
        for bad in [
            "",
            "-",
            ".",
            "1e",
            "abc",
            "1.2.3",
            "1E+126",
            "1E-131",
            "123456789012345678901234567890123456789",
            "NaN",
            " 1",
        ] {
            assert!(Decimal::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn orders_by_value() {
        let mut values: Vec<Decimal> = ["3", "-1", "0", "2.5", "-1E-130", "1E+125", "10", "-20"]
            .iter()
            .map(|t| d(t))
            .collect();
        values.sort();
        let texts: Vec<String> = values.iter().map(ToString::to_string).collect();
        assert_eq!(
            texts,
            ["-20", "-1", "-1E-130", "0", "2.5", "3", "10", "1E+125"]
        );
    }

    #[test]
    fn integers_round_trip() {
        assert_eq!(
            Decimal::from_i128(i64::MIN as i128).unwrap().to_i128(),
            Some(i64::MIN as i128)
        );
        assert!(Decimal::from_u128(u128::MAX).is_none());
        assert_eq!(d("1E+3").to_i128(), Some(1000));
        assert_eq!(d("1.5").to_i128(), None);
    }
}
