//! [`JsonValue`]: untyped JSON that keeps every number's text exactly as
//! written, so data another program wrote (Python's integers of any size,
//! `NaN`, `1e+300`) survives a load and a save byte for byte.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Error as _, Serialize, Serializer};

use super::python_dumps::{python_float_repr, write_string};
use super::{parse, Attribute, AttributeValue, ValueError};

/// The newtype name and map key a [`JsonValue`] is handed over under, intact
/// as its text, by this crate's exact JSON deserializer.
pub(super) const MAGIC: &str = "$dynamodb_mapper::private::JsonValue";

/// A JSON number, kept as the text it was written as (`1180591620717411303424`,
/// `1e+300`, `-0.0`, `NaN`, `Infinity`), so it is written back unchanged.
///
/// Numbers compare by their text: `1.0` and `1.00` are different numbers.
///
/// ```
/// use dynamodb_mapper::attribute::json::JsonNumber;
///
/// let big: JsonNumber = "1180591620717411303424".parse().unwrap();
/// assert_eq!(big.as_u128(), Some(1 << 70));
/// assert_eq!(big.as_u64(), None);
/// assert_eq!(JsonNumber::from_f64(1e300).as_str(), "1e+300");
/// assert_eq!(JsonNumber::from(-5i64).as_i64(), Some(-5));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JsonNumber(Box<str>);

impl JsonNumber {
    /// The number as Python writes the float: its `repr` (`10.0`, `1e+16`,
    /// `NaN`, `-Infinity`).
    pub fn from_f64(value: f64) -> Self {
        JsonNumber(python_float_repr(value).into_boxed_str())
    }

    /// The text, exactly as read or written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the text is an integer literal (no fraction, no exponent).
    pub fn is_integer(&self) -> bool {
        self.0.bytes().all(|b| b == b'-' || b.is_ascii_digit())
    }

    /// The integer, if the text is an integer literal that fits `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        self.integer()
    }

    /// The integer, if the text is an integer literal that fits `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        self.integer()
    }

    /// The integer, if the text is an integer literal that fits `i128`.
    pub fn as_i128(&self) -> Option<i128> {
        self.integer()
    }

    /// The integer, if the text is an integer literal that fits `u128`.
    pub fn as_u128(&self) -> Option<u128> {
        self.integer()
    }

    /// The number as the nearest `f64` (integers beyond 2^53 round;
    /// `NaN` and `Infinity` read as such; too large exponents as infinity).
    pub fn as_f64(&self) -> f64 {
        self.0.parse().unwrap_or(f64::NAN)
    }

    fn integer<I: FromStr>(&self) -> Option<I> {
        if self.is_integer() {
            self.0.parse().ok()
        } else {
            None
        }
    }

    /// The exact number as serde can carry it, if the text is the one that
    /// number is written as (`None` for `-0`, `1E5`, integers beyond 128
    /// bits, `NaN` and the infinities, which serde_json writes as `null`).
    pub(super) fn exact(&self) -> Option<Exact> {
        if self.is_integer() {
            let exact = if let Some(i) = self.as_i64() {
                Exact::I64(i)
            } else if let Some(u) = self.as_u64() {
                Exact::U64(u)
            } else if let Some(i) = self.as_i128() {
                Exact::I128(i)
            } else {
                Exact::U128(self.as_u128()?)
            };
            return (exact.to_string() == *self.0).then_some(exact);
        }
        let float = self.as_f64();
        (float.is_finite() && python_float_repr(float) == *self.0).then_some(Exact::F64(float))
    }
}

/// A number serde can carry exactly.
#[derive(Clone, Copy, Debug)]
pub(super) enum Exact {
    I64(i64),
    U64(u64),
    I128(i128),
    U128(u128),
    F64(f64),
}

impl fmt::Display for Exact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Exact::I64(i) => write!(f, "{i}"),
            Exact::U64(u) => write!(f, "{u}"),
            Exact::I128(i) => write!(f, "{i}"),
            Exact::U128(u) => write!(f, "{u}"),
            Exact::F64(x) => f.write_str(&python_float_repr(*x)),
        }
    }
}

macro_rules! number_from_integer {
    ($($ty:ty),*) => {$(
        impl From<$ty> for JsonNumber {
            fn from(value: $ty) -> Self {
                JsonNumber(value.to_string().into_boxed_str())
            }
        }
        impl From<$ty> for JsonValue {
            fn from(value: $ty) -> Self {
                JsonValue::Number(value.into())
            }
        }
    )*};
}

number_from_integer!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

impl From<f64> for JsonNumber {
    fn from(value: f64) -> Self {
        JsonNumber::from_f64(value)
    }
}

impl FromStr for JsonNumber {
    type Err = ValueError;

    /// Reads one JSON number (or Python's `NaN`, `Infinity`, `-Infinity`),
    /// keeping its text.
    fn from_str(text: &str) -> Result<Self, ValueError> {
        match parse::parse(text) {
            Ok(JsonValue::Number(number)) => Ok(number),
            Ok(_) => Err(super::json_error(text, "not a JSON number")),
            Err(error) => Err(error.into_value_error(text)),
        }
    }
}

impl fmt::Display for JsonNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl JsonNumber {
    /// A number whose text the parser has checked.
    pub(super) fn from_checked_text(text: &str) -> Self {
        JsonNumber(text.into())
    }
}

/// Untyped JSON, as Python's `json.loads` reads it, that keeps every
/// number's text: the exact type for the original library's untyped `list`
/// and `dict` attributes.
///
/// Stored as JSON text (`S`), written exactly as Python's
/// `json.dumps(value, sort_keys=True)` writes it, like [`Json`](super::Json);
/// `null`, `[]` and `{}` are empty values, and a missing attribute reads as
/// [`JsonValue::Null`]. Text Python wrote is written back byte for byte,
/// whatever its integers' sizes:
///
/// ```
/// use dynamodb_mapper::{Attribute, AttributeValue, JsonValue};
///
/// let stored = AttributeValue::S(r#"[1180591620717411303424, 1e+300, NaN, {"a": "\u00e9"}]"#.into());
/// let value = JsonValue::from_attribute_ref(&stored).unwrap();
/// assert_eq!(value.to_attribute().unwrap(), stored);
/// ```
///
/// It also implements serde's traits, to sit inside [`Json`](super::Json)
/// structs; there, a number serde cannot carry exactly (an integer beyond
/// 128 bits, `NaN`, `Infinity`, a float not in Python's `repr` form) is an
/// error rather than a rewritten number.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum JsonValue {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as its text.
    Number(JsonNumber),
    /// A string.
    String(String),
    /// A list.
    Array(Vec<JsonValue>),
    /// An object, its keys sorted (by code point, as Python sorts them).
    Object(BTreeMap<String, JsonValue>),
}

impl JsonValue {
    /// Reads JSON text as Python's `json.loads` does (`NaN` and `Infinity`
    /// included), keeping numbers' text. Nesting is limited to 512 levels.
    /// Strings holding lone surrogates (`"\ud800"`) cannot be held in Rust
    /// strings and are refused.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        parse::parse(text).map_err(|error| error.into_value_error(text))
    }

    /// The text Python's `json.dumps(value, sort_keys=True)` writes.
    pub fn to_python_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            JsonValue::Null => out.push_str("null"),
            JsonValue::Bool(true) => out.push_str("true"),
            JsonValue::Bool(false) => out.push_str("false"),
            JsonValue::Number(number) => out.push_str(number.as_str()),
            JsonValue::String(text) => write_string(out, text),
            JsonValue::Array(items) => {
                out.push('[');
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        out.push_str(", ");
                    }
                    item.write(out);
                }
                out.push(']');
            }
            JsonValue::Object(map) => {
                out.push('{');
                for (index, (key, item)) in map.iter().enumerate() {
                    if index > 0 {
                        out.push_str(", ");
                    }
                    write_string(out, key);
                    out.push_str(": ");
                    item.write(out);
                }
                out.push('}');
            }
        }
    }

    /// The number, if this is one.
    pub fn as_number(&self) -> Option<&JsonNumber> {
        match self {
            JsonValue::Number(number) => Some(number),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            JsonValue::String(text) => Some(text),
            _ => None,
        }
    }

    /// The value at `key`, if this is an object holding it.
    pub fn get(&self, key: &str) -> Option<&JsonValue> {
        match self {
            JsonValue::Object(map) => map.get(key),
            _ => None,
        }
    }

    /// The value in a model's JSON view: numbers as JSON numbers where that
    /// is exact, otherwise as their text (as the view shows `N` numbers).
    pub fn to_serde_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            JsonValue::Null => Value::Null,
            JsonValue::Bool(flag) => Value::Bool(*flag),
            JsonValue::Number(number) => match number.exact() {
                Some(Exact::I64(i)) => Value::from(i),
                Some(Exact::U64(u)) => Value::from(u),
                Some(Exact::F64(x)) => serde_json::Number::from_f64(x)
                    .map_or_else(|| Value::String(number.to_string()), Value::Number),
                _ => Value::String(number.to_string()),
            },
            JsonValue::String(text) => Value::String(text.clone()),
            JsonValue::Array(items) => {
                Value::Array(items.iter().map(Self::to_serde_json).collect())
            }
            JsonValue::Object(map) => Value::Object(
                map.iter()
                    .map(|(key, item)| (key.clone(), item.to_serde_json()))
                    .collect(),
            ),
        }
    }
}

impl fmt::Display for JsonValue {
    /// Python's `json.dumps(value, sort_keys=True)` text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_python_text())
    }
}

impl FromStr for JsonValue {
    type Err = ValueError;
    fn from_str(text: &str) -> Result<Self, ValueError> {
        JsonValue::parse(text)
    }
}

impl From<bool> for JsonValue {
    fn from(value: bool) -> Self {
        JsonValue::Bool(value)
    }
}

impl From<f64> for JsonValue {
    fn from(value: f64) -> Self {
        JsonValue::Number(JsonNumber::from_f64(value))
    }
}

impl From<JsonNumber> for JsonValue {
    fn from(value: JsonNumber) -> Self {
        JsonValue::Number(value)
    }
}

impl From<String> for JsonValue {
    fn from(value: String) -> Self {
        JsonValue::String(value)
    }
}

impl From<&str> for JsonValue {
    fn from(value: &str) -> Self {
        JsonValue::String(value.to_owned())
    }
}

impl From<Vec<JsonValue>> for JsonValue {
    fn from(value: Vec<JsonValue>) -> Self {
        JsonValue::Array(value)
    }
}

impl From<BTreeMap<String, JsonValue>> for JsonValue {
    fn from(value: BTreeMap<String, JsonValue>) -> Self {
        JsonValue::Object(value)
    }
}

impl Attribute for JsonValue {
    fn to_attribute(&self) -> Result<AttributeValue, ValueError> {
        let text = self.to_python_text();
        if matches!(text.as_str(), "null" | "[]" | "{}") {
            return Ok(AttributeValue::Null);
        }
        Ok(AttributeValue::S(text))
    }
    fn from_attribute(value: AttributeValue) -> Result<Self, ValueError> {
        Self::from_attribute_ref(&value)
    }
    fn from_attribute_ref<V: crate::attribute::AttributeAccess>(
        value: &V,
    ) -> Result<Self, ValueError> {
        match value.access() {
            crate::attribute::ValueRef::S(text) => JsonValue::parse(text),
            crate::attribute::ValueRef::Null => Ok(JsonValue::Null),
            _ => Err(ValueError::type_mismatch("S", value)),
        }
    }
    fn from_missing() -> Result<Self, ValueError> {
        Ok(JsonValue::Null)
    }
    fn to_json(&self) -> Result<serde_json::Value, ValueError> {
        Ok(self.to_serde_json())
    }
}

impl Serialize for JsonValue {
    /// Numbers go through serde as the integer or float they are written
    /// as; one whose text serde cannot carry exactly is an error naming it.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            JsonValue::Null => serializer.serialize_unit(),
            JsonValue::Bool(flag) => serializer.serialize_bool(*flag),
            JsonValue::Number(number) => match number.exact() {
                Some(Exact::I64(i)) => serializer.serialize_i64(i),
                Some(Exact::U64(u)) => serializer.serialize_u64(u),
                Some(Exact::I128(i)) => serializer.serialize_i128(i),
                Some(Exact::U128(u)) => serializer.serialize_u128(u),
                Some(Exact::F64(x)) => serializer.serialize_f64(x),
                None => Err(S::Error::custom(format_args!(
                    "the number {number} cannot be written exactly through serde \
                     (store the JsonValue itself as the attribute to keep it)"
                ))),
            },
            JsonValue::String(text) => serializer.serialize_str(text),
            JsonValue::Array(items) => serializer.collect_seq(items),
            JsonValue::Object(map) => serializer.collect_map(map),
        }
    }
}

impl<'de> Deserialize<'de> for JsonValue {
    /// From this crate's exact decoder, the value arrives intact; from any
    /// other deserializer, floats arrive as `f64` and are written in Python's
    /// `repr` form (as Python itself would write them back).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(MAGIC, ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = JsonValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<JsonValue, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E>(self, value: bool) -> Result<JsonValue, E> {
        Ok(JsonValue::Bool(value))
    }
    fn visit_i64<E>(self, value: i64) -> Result<JsonValue, E> {
        Ok(value.into())
    }
    fn visit_u64<E>(self, value: u64) -> Result<JsonValue, E> {
        Ok(value.into())
    }
    fn visit_i128<E>(self, value: i128) -> Result<JsonValue, E> {
        Ok(value.into())
    }
    fn visit_u128<E>(self, value: u128) -> Result<JsonValue, E> {
        Ok(value.into())
    }
    fn visit_f64<E>(self, value: f64) -> Result<JsonValue, E> {
        Ok(value.into())
    }
    fn visit_str<E>(self, value: &str) -> Result<JsonValue, E> {
        Ok(value.into())
    }
    fn visit_string<E>(self, value: String) -> Result<JsonValue, E> {
        Ok(value.into())
    }
    fn visit_unit<E>(self) -> Result<JsonValue, E> {
        Ok(JsonValue::Null)
    }
    fn visit_none<E>(self) -> Result<JsonValue, E> {
        Ok(JsonValue::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<JsonValue, D::Error> {
        JsonValue::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JsonValue, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(JsonValue::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JsonValue, A::Error> {
        let mut object = BTreeMap::new();
        let Some(first) = map.next_key::<String>()? else {
            return Ok(JsonValue::Object(object));
        };
        if first == MAGIC {
            // Handed over intact, as its text, by the exact decoder.
            let text: String = map.next_value()?;
            return JsonValue::parse(&text).map_err(de::Error::custom);
        }
        object.insert(first, map.next_value()?);
        while let Some((key, value)) = map.next_entry()? {
            object.insert(key, value);
        }
        Ok(JsonValue::Object(object))
    }
}
