//! Exact decoding of JSON text into typed values: text holding integers
//! beyond 64 bits (or Python's `NaN` and `Infinity`) is read into a
//! [`JsonValue`] tree and fed to the type from it, integers as `i128`/`u128`,
//! so no integer is silently rounded to a float. Other text takes
//! serde_json's fast path.

use std::fmt;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;

use super::value::{JsonNumber, JsonValue, MAGIC};
use super::{json_error, ValueError};

/// Whether `text` needs the exact path: it holds, outside strings, an
/// integer literal beyond `i64`/`u64`, or `NaN`/`Infinity` (which
/// serde_json does not read).
pub(super) fn needs_exact(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'"' => at = skip_string(bytes, at + 1),
            b'N' | b'I' => return true,
            b'-' | b'0'..=b'9' => {
                let start = at;
                at += 1;
                while bytes.get(at).is_some_and(u8::is_ascii_digit) {
                    at += 1;
                }
                if matches!(bytes.get(at), Some(b'.' | b'e' | b'E')) {
                    while matches!(
                        bytes.get(at),
                        Some(b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
                    ) {
                        at += 1;
                    }
                } else if at - start >= 19 && !fits_64_bits(&text[start..at]) {
                    return true;
                }
            }
            _ => at += 1,
        }
    }
    false
}

fn fits_64_bits(literal: &str) -> bool {
    literal.parse::<i64>().is_ok() || literal.parse::<u64>().is_ok()
}

/// Where a string's closing quote ends, its opening quote read.
fn skip_string(bytes: &[u8], mut at: usize) -> usize {
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'"' => return at + 1,
            b'\\' => at += 2,
            _ => at += 1,
        }
    }
    at
}

/// Decodes `text` into `T` through the exact tree.
pub(super) fn from_text_exact<T: DeserializeOwned>(text: &str) -> Result<T, ValueError> {
    let tree = JsonValue::parse(text)?;
    T::deserialize(Node(&tree)).map_err(|error| error.into_value_error(text))
}

/// A decoding error, with the number it concerns and where it is.
#[derive(Debug)]
pub(super) struct DeError {
    reason: String,
    number: Option<String>,
    /// Innermost first.
    path: Vec<Segment>,
}

#[derive(Debug)]
enum Segment {
    Key(String),
    Index(usize),
}

impl DeError {
    fn at(mut self, segment: Segment) -> Self {
        self.path.push(segment);
        self
    }

    fn into_value_error(self, text: &str) -> ValueError {
        let mut error = json_error(self.number.as_deref().unwrap_or(text), self.reason);
        for segment in self.path {
            error = match segment {
                Segment::Key(key) => error.in_key(&key),
                Segment::Index(index) => error.in_index(index),
            };
        }
        error
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        DeError {
            reason: message.to_string(),
            number: None,
            path: Vec::new(),
        }
    }
}

/// Gives a number to `visitor` as the narrowest exact integer, or as a float.
fn visit_number<'de, V: Visitor<'de>>(
    number: &JsonNumber,
    visitor: V,
) -> Result<V::Value, DeError> {
    if let Some(u) = number.as_u64() {
        return visitor.visit_u64(u);
    }
    if let Some(i) = number.as_i64() {
        return visitor.visit_i64(i);
    }
    if !number.is_integer() {
        let float = number.as_f64();
        if !float.is_finite() {
            // serde_json's Value would read it as null: lost without a word.
            return Err(DeError {
                reason: format!(
                    "{number} is no finite number: only a float field or a JsonValue can hold it"
                ),
                number: Some(number.to_string()),
                path: Vec::new(),
            });
        }
        return visitor.visit_f64(float);
    }
    let result = if let Some(u) = number.as_u128() {
        visitor.visit_u128(u)
    } else if let Some(i) = number.as_i128() {
        visitor.visit_i128(i)
    } else {
        return Err(DeError {
            reason: format!(
                "the integer {number} does not fit in 128 bits (read it into a JsonValue)"
            ),
            number: Some(number.to_string()),
            path: Vec::new(),
        });
    };
    result.map_err(|error: DeError| DeError {
        reason: format!(
            "the integer {number} does not fit in 64 bits, and the type refuses it: {error}"
        ),
        number: Some(number.to_string()),
        path: error.path,
    })
}

/// A node of the tree, as a deserializer.
#[derive(Clone, Copy)]
struct Node<'de>(&'de JsonValue);

impl<'de> de::Deserializer<'de> for Node<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            JsonValue::Null => visitor.visit_unit(),
            JsonValue::Bool(flag) => visitor.visit_bool(*flag),
            JsonValue::Number(number) => visit_number(number, visitor),
            JsonValue::String(text) => visitor.visit_borrowed_str(text),
            JsonValue::Array(items) => visitor.visit_seq(Seq {
                items: items.iter().enumerate(),
            }),
            JsonValue::Object(map) => visitor.visit_map(Map {
                entries: map.iter(),
                value: None,
            }),
        }
    }

    /// A float type asked for: any number, as the nearest float.
    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            JsonValue::Number(number) => visitor.visit_f64(number.as_f64()),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            JsonValue::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    /// A [`JsonValue`] inside the type is handed over intact, as its text.
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if name == MAGIC {
            return visitor.visit_map(Handover {
                text: Some(self.0.to_python_text()),
            });
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match self.0 {
            JsonValue::String(variant) => visitor.visit_enum(variant.as_str().into_deserializer()),
            JsonValue::Object(map) if map.len() == 1 => match map.iter().next() {
                Some((variant, value)) => visitor.visit_enum(Enum {
                    variant,
                    value: Node(value),
                }),
                None => Err(de::Error::custom("expected an enum variant")),
            },
            other => Err(de::Error::invalid_type(
                unexpected(other),
                &"an enum variant",
            )),
        }
    }

    /// Ignored fields may hold anything, integers of any size included.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

fn unexpected(value: &JsonValue) -> de::Unexpected<'_> {
    match value {
        JsonValue::Null => de::Unexpected::Unit,
        JsonValue::Bool(flag) => de::Unexpected::Bool(*flag),
        JsonValue::Number(number) => de::Unexpected::Other(number.as_str()),
        JsonValue::String(text) => de::Unexpected::Str(text),
        JsonValue::Array(_) => de::Unexpected::Seq,
        JsonValue::Object(_) => de::Unexpected::Map,
    }
}

struct Seq<'de> {
    items: std::iter::Enumerate<std::slice::Iter<'de, JsonValue>>,
}

impl<'de> de::SeqAccess<'de> for Seq<'de> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        match self.items.next() {
            Some((index, item)) => seed
                .deserialize(Node(item))
                .map(Some)
                .map_err(|e| e.at(Segment::Index(index))),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Map<'de> {
    entries: std::collections::btree_map::Iter<'de, String, JsonValue>,
    value: Option<(&'de str, &'de JsonValue)>,
}

impl<'de> de::MapAccess<'de> for Map<'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some((key, value));
                seed.deserialize(Key(key)).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        match self.value.take() {
            Some((key, value)) => seed
                .deserialize(Node(value))
                .map_err(|e| e.at(Segment::Key(key.to_owned()))),
            None => Err(de::Error::custom("a map value asked for before its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// A map key: a string, also read as a number or a bool when the type asks
/// (as serde_json reads `{"1": ..}` into a map with integer keys).
struct Key<'de>(&'de str);

macro_rules! parsed_key {
    ($($method:ident => $visit:ident),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            match self.0.parse() {
                Ok(value) => visitor.$visit(value),
                Err(_) => Err(de::Error::invalid_value(de::Unexpected::Str(self.0), &visitor)),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Key<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_borrowed_str(self.0)
    }

    parsed_key!(
        deserialize_bool => visit_bool,
        deserialize_i8 => visit_i8, deserialize_i16 => visit_i16,
        deserialize_i32 => visit_i32, deserialize_i64 => visit_i64,
        deserialize_i128 => visit_i128, deserialize_u8 => visit_u8,
        deserialize_u16 => visit_u16, deserialize_u32 => visit_u32,
        deserialize_u64 => visit_u64, deserialize_u128 => visit_u128,
        deserialize_f32 => visit_f32, deserialize_f64 => visit_f64,
    );

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_enum(BorrowedStrDeserializer::new(self.0))
    }

    forward_to_deserialize_any! {
        char str string bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

/// A [`JsonValue`] handed over as its text, under the [`MAGIC`] key.
struct Handover {
    text: Option<String>,
}

impl<'de> de::MapAccess<'de> for Handover {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        if self.text.is_none() {
            return Ok(None);
        }
        seed.deserialize(BorrowedStrDeserializer::new(MAGIC))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let text = self.text.take().unwrap_or_default();
        seed.deserialize(text.into_deserializer())
    }
}

struct Enum<'de> {
    variant: &'de str,
    value: Node<'de>,
}

impl<'de> de::EnumAccess<'de> for Enum<'de> {
    type Error = DeError;
    type Variant = Node<'de>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), DeError> {
        let variant = seed.deserialize(BorrowedStrDeserializer::<DeError>::new(self.variant))?;
        Ok((variant, self.value))
    }
}

impl<'de> de::VariantAccess<'de> for Node<'de> {
    type Error = DeError;

    fn unit_variant(self) -> Result<(), DeError> {
        de::Deserialize::deserialize(self)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, DeError> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, DeError> {
        de::Deserializer::deserialize_any(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        de::Deserializer::deserialize_any(self, visitor)
    }
}
