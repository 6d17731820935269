//! Any serde type stored as native DynamoDB values: the `#[dynamodb(serde)]`
//! field option. A struct or map is an `M`, a sequence an `L`, a string an
//! `S`, a number an `N` (integers exactly, up to 64 bits: serde_dynamo
//! refuses `i128`/`u128`; floats in their shortest text), a bool a `BOOL`,
//! `None` and `()` a `NULL`; an enum as serde tags it (externally: a unit
//! variant is its name, others a one-entry `M`). So a struct that already derives serde's traits nests in a model
//! without deriving [`Attribute`](super::Attribute), and stays readable by
//! every other DynamoDB program (unlike `json`, which stores JSON text).
//!
//! The conversion is serde_dynamo's; numbers are checked as DynamoDB checks
//! them (a float that is not finite is a typed error, not a stored `NaN`).
//!
//! ```
//! use dynamodb_mapper::{AttributeValue, Model};
//! use serde::{Deserialize, Serialize};
//!
//! /// Defined elsewhere, with serde's derives only.
//! #[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
//! struct Address { street: String, zip: u32, tags: Vec<String> }
//!
//! #[derive(Model, Debug, Clone, PartialEq, Default)]
//! #[dynamodb(table = "customers", hash_key = "id")]
//! struct Customer {
//!     id: String,
//!     #[dynamodb(serde)]
//!     address: Option<Address>,
//! }
//!
//! let ann = Customer {
//!     id: "ann".into(),
//!     address: Some(Address { street: "Main St".into(), zip: 1234, tags: vec!["home".into()] }),
//! };
//! let item = ann.to_item().unwrap();
//! let AttributeValue::M(address) = &item["address"] else { panic!("a map") };
//! assert_eq!(address["zip"], AttributeValue::N("1234".into()));
//! assert_eq!(address["tags"], AttributeValue::L(vec![AttributeValue::S("home".into())]));
//! assert_eq!(Customer::from_item(item).unwrap(), ann);
//! ```

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::json_view::attribute_to_json;
use super::serde_dynamo_bridge::{from_serde_dynamo, to_serde_dynamo};
use super::{AttributeValue, Decimal, ValueError, ValueErrorKind};

/// The value as native DynamoDB values.
pub fn to_attribute<T: Serialize + ?Sized>(value: &T) -> Result<AttributeValue, ValueError> {
    let theirs: serde_dynamo::AttributeValue = serde_dynamo::to_attribute_value(value)
        .map_err(|e| ValueError::invalid("a value serde writes", e.to_string()))?;
    from_serde_dynamo(theirs)
}

/// The value read back from native DynamoDB values. A number serde would
/// read inexactly (serde reads numbers it is not told the type of as 64-bit
/// integers or floats: `serde_json::Value`, internally tagged enums,
/// `flatten`) is a typed error, never rounded.
pub fn from_attribute<T: DeserializeOwned>(value: AttributeValue) -> Result<T, ValueError> {
    exact_numbers(&value)?;
    let preview = value.preview();
    serde_dynamo::from_attribute_value(to_serde_dynamo(&value)).map_err(|e| {
        ValueError::invalid(
            preview,
            format!("not what the field's serde type reads: {e}"),
        )
    })
}

/// A missing attribute reads as the first of `NULL`, an empty `L` and an
/// empty `M` that the type reads: `None` for an `Option`, an empty `Vec` or
/// map, a struct whose fields all have serde defaults; any other type is an
/// error (make the field an `Option`).
pub fn from_missing<T: DeserializeOwned>() -> Result<T, ValueError> {
    use serde_dynamo::AttributeValue as Theirs;
    let absent = [
        Theirs::Null(true),
        Theirs::L(Vec::new()),
        Theirs::M(Default::default()),
    ];
    let mut last = None;
    for value in absent {
        match serde_dynamo::from_attribute_value(value) {
            Ok(read) => return Ok(read),
            Err(error) => last = Some(error),
        }
    }
    Err(ValueError::invalid(
        "nothing (the attribute is missing)",
        format!(
            "the field's serde type has no value for absence; make it an Option: {}",
            last.map(|e| e.to_string()).unwrap_or_default()
        ),
    ))
}

/// The value in the model's JSON view: its stored form, as every other
/// attribute's.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<serde_json::Value, ValueError> {
    to_attribute(value).map(|stored| attribute_to_json(&stored))
}

/// Checks that every number in `value` reads back exactly as a 64-bit
/// integer or a float.
fn exact_numbers(value: &AttributeValue) -> Result<(), ValueError> {
    match value {
        AttributeValue::N(text) => exact_number(text),
        AttributeValue::Ns(all) => all
            .iter()
            .enumerate()
            .try_for_each(|(i, text)| exact_number(text).map_err(|e| e.in_index(i))),
        AttributeValue::L(all) => all
            .iter()
            .enumerate()
            .try_for_each(|(i, value)| exact_numbers(value).map_err(|e| e.in_index(i))),
        AttributeValue::M(map) => map
            .iter()
            .try_for_each(|(key, value)| exact_numbers(value).map_err(|e| e.in_key(key))),
        _ => Ok(()),
    }
}

fn exact_number(text: &str) -> Result<(), ValueError> {
    let stored = Decimal::parse(text)?;
    let integer = stored
        .to_i128()
        .is_some_and(|i| i64::try_from(i).is_ok() || u64::try_from(i).is_ok());
    let float = || {
        let float: f64 = text.parse().ok()?;
        let back = Decimal::parse(&format!("{float:e}")).ok()?;
        Some(back == stored)
    };
    if integer || float() == Some(true) {
        return Ok(());
    }
    Err(ValueError::new(ValueErrorKind::InvalidNumber {
        value: text.to_owned(),
        reason: "a serde type reads numbers as 64-bit integers or floats, and this one would be rounded: store it in a Decimal field",
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use std::collections::BTreeMap;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    enum Shape {
        Dot,
        Circle { radius: f64 },
        Pair(i64, u64),
    }

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Drawing {
        name: String,
        shapes: Vec<Shape>,
        labels: BTreeMap<String, Option<bool>>,
        scale: Option<f32>,
    }

    #[test]
    fn values_round_trip_with_exact_numbers() {
        let drawing = Drawing {
            name: "d".into(),
            shapes: vec![
                Shape::Dot,
                Shape::Circle { radius: 0.1 },
                Shape::Pair(i64::MIN, u64::MAX),
            ],
            labels: BTreeMap::from([("a".into(), Some(true)), ("b".into(), None)]),
            scale: None,
        };
        let stored = to_attribute(&drawing).unwrap();
        let AttributeValue::M(map) = &stored else {
            panic!("{stored:?}")
        };
        let AttributeValue::L(shapes) = &map["shapes"] else {
            panic!()
        };
        assert_eq!(shapes[0], AttributeValue::S("Dot".into()));
        let AttributeValue::M(pair) = &shapes[2] else {
            panic!()
        };
        assert_eq!(
            pair["Pair"],
            AttributeValue::L(vec![
                AttributeValue::N(i64::MIN.to_string()),
                AttributeValue::N(u64::MAX.to_string())
            ])
        );
        assert_eq!(from_attribute::<Drawing>(stored).unwrap(), drawing);
    }

    #[test]
    fn faults_are_typed_errors() {
        assert!(to_attribute(&f64::NAN).is_err(), "DynamoDB has no NaN");
        assert!(
            to_attribute(&1u128).is_err(),
            "serde_dynamo writes no 128-bit integers"
        );
        // Read through serde's untyped path, these would be rounded.
        for text in [
            "12345678901234567890123",
            "0.1000000000000000055511151231257827",
        ] {
            let stored = AttributeValue::N(text.into());
            assert!(
                from_attribute::<serde_json::Value>(stored).is_err(),
                "{text}"
            );
        }
        for text in [
            "18446744073709551615",
            "-9223372036854775808",
            "0.1",
            "1.50",
            "1e120",
            "0.30000000000000004",
        ] {
            let stored = AttributeValue::N(text.into());
            assert!(
                from_attribute::<serde_json::Value>(stored).is_ok(),
                "{text}"
            );
        }
        assert!(from_attribute::<u8>(AttributeValue::N("300".into())).is_err());
        assert!(from_attribute::<Drawing>(AttributeValue::S("x".into())).is_err());
        assert_eq!(from_missing::<Option<Drawing>>().unwrap(), None);
        assert_eq!(from_missing::<Vec<Drawing>>().unwrap(), []);
        assert!(from_missing::<BTreeMap<String, u8>>().unwrap().is_empty());
        assert!(from_missing::<Drawing>().is_err());
    }
}
