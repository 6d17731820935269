//! Numbers: every Rust integer, `f32`/`f64` and [`Decimal`], stored as `N`.

use super::{
    Attribute, AttributeAccess, AttributeValue, Decimal, KeyAttribute, ScalarType, SetMember,
    ValueError, ValueRef,
};

/// Reads an integer of any form DynamoDB (or another engine) may return:
/// plain digits first, then exponent or fraction forms such as `1E+3` or `10.0`.
fn parse_integer<T: TryFrom<i128> + std::str::FromStr>(
    text: &str,
    target: &'static str,
) -> Result<T, ValueError> {
    if let Ok(value) = text.parse::<T>() {
        return Ok(value);
    }
    let decimal = Decimal::parse(text)?;
    decimal
        .to_i128()
        .and_then(|v| T::try_from(v).ok())
        .ok_or_else(|| ValueError::out_of_range(text, target))
}

/// The text of a stored number; `None` for `NULL`.
fn number_text<V: AttributeAccess>(value: &V) -> Result<Option<&str>, ValueError> {
    match value.access() {
        ValueRef::N(text) => Ok(Some(text)),
        ValueRef::Null => Ok(None),
        _ => Err(ValueError::type_mismatch("N", value)),
    }
}

macro_rules! small_integer {
    ($($t:ty),*) => {$(
        impl Attribute for $t {
            fn to_attribute(&self) -> Result<AttributeValue, ValueError> {
                Ok(AttributeValue::N(self.to_string()))
            }
            fn from_attribute(value: AttributeValue) -> Result<Self, ValueError> {
                Self::from_attribute_ref(&value)
            }
            #[inline]
            fn from_attribute_ref<V: AttributeAccess>(value: &V) -> Result<Self, ValueError> {
                match number_text(value)? {
                    Some(text) => parse_integer(text, stringify!($t)),
                    None => Ok(0),
                }
            }
            fn from_missing() -> Result<Self, ValueError> {
                Ok(0)
            }
        }
        impl KeyAttribute for $t {
            const SCALAR_TYPE: ScalarType = ScalarType::Number;
        }
        impl SetMember for $t {}
    )*};
}
small_integer!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

impl Attribute for i128 {
    fn to_attribute(&self) -> Result<AttributeValue, ValueError> {
        let decimal = Decimal::try_from(*self)?;
        Ok(AttributeValue::N(decimal.to_string()))
    }
    fn from_attribute(value: AttributeValue) -> Result<Self, ValueError> {
        Self::from_attribute_ref(&value)
    }
    fn from_attribute_ref<V: AttributeAccess>(value: &V) -> Result<Self, ValueError> {
        match number_text(value)? {
            Some(text) => parse_integer(text, "i128"),
            None => Ok(0),
        }
    }
    fn from_missing() -> Result<Self, ValueError> {
        Ok(0)
    }
}

impl Attribute for u128 {
    fn to_attribute(&self) -> Result<AttributeValue, ValueError> {
        let decimal = Decimal::try_from(*self)?;
        Ok(AttributeValue::N(decimal.to_string()))
    }
    fn from_attribute(value: AttributeValue) -> Result<Self, ValueError> {
        Self::from_attribute_ref(&value)
    }
    fn from_attribute_ref<V: AttributeAccess>(value: &V) -> Result<Self, ValueError> {
        let Some(text) = number_text(value)? else {
            return Ok(0);
        };
        if let Ok(value) = text.parse::<u128>() {
            return Ok(value);
        }
        Decimal::parse(text)?
            .to_u128()
            .ok_or_else(|| ValueError::out_of_range(text, "u128"))
    }
    fn from_missing() -> Result<Self, ValueError> {
        Ok(0)
    }
}

impl KeyAttribute for i128 {
    const SCALAR_TYPE: ScalarType = ScalarType::Number;
}
impl SetMember for i128 {}
impl KeyAttribute for u128 {
    const SCALAR_TYPE: ScalarType = ScalarType::Number;
}
impl SetMember for u128 {}

macro_rules! float {
    ($($t:ty),*) => {$(
        impl Attribute for $t {
            fn to_attribute(&self) -> Result<AttributeValue, ValueError> {
                if !self.is_finite() {
                    return Err(ValueError::invalid(self, "NaN and infinity are not DynamoDB numbers"));
                }
                if *self == 0.0 {
                    return Ok(AttributeValue::N("0".to_owned()));
                }
                let magnitude = self.abs();
                if (1e-7..1e21).contains(&magnitude) {
                    // Inside this range the shortest round-tripping text is plain
                    // decimal notation of at most 17 significant digits: valid as it is.
                    return Ok(AttributeValue::N(self.to_string()));
                }
                // Elsewhere, scientific notation, checked against DynamoDB's range.
                let decimal = Decimal::parse(&format!("{self:e}"))?;
                Ok(AttributeValue::N(decimal.to_string()))
            }
            fn from_attribute(value: AttributeValue) -> Result<Self, ValueError> {
                Self::from_attribute_ref(&value)
            }
            fn from_attribute_ref<V: AttributeAccess>(value: &V) -> Result<Self, ValueError> {
                let Some(text) = number_text(value)? else {
                    return Ok(0.0);
                };
                match text.parse::<$t>() {
                    Ok(v) if v.is_finite() => Ok(v),
                    _ => Err(ValueError::out_of_range(text, stringify!($t))),
                }
            }
            fn from_missing() -> Result<Self, ValueError> {
                Ok(0.0)
            }
        }
    )*};
}
float!(f32, f64);

impl Attribute for Decimal {
    fn to_attribute(&self) -> Result<AttributeValue, ValueError> {
        Ok(AttributeValue::N(self.to_text()))
    }
    fn from_attribute(value: AttributeValue) -> Result<Self, ValueError> {
        Self::from_attribute_ref(&value)
    }
    fn from_attribute_ref<V: AttributeAccess>(value: &V) -> Result<Self, ValueError> {
        match number_text(value)? {
            Some(text) => Decimal::parse(text),
            None => Ok(Decimal::ZERO),
        }
    }
    fn from_missing() -> Result<Self, ValueError> {
        Ok(Decimal::ZERO)
    }
}

impl KeyAttribute for Decimal {
    const SCALAR_TYPE: ScalarType = ScalarType::Number;
}
impl SetMember for Decimal {}

macro_rules! number_markers {
    ($($t:ty),*) => {$(
        impl super::NumberAttribute for $t {}
        impl super::Addable for $t {}
    )*};
}
number_markers!(i8, i16, i32, i64, isize, i128, u8, u16, u32, u64, usize, u128, f32, f64, Decimal);
