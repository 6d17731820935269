//! Property tests: any value of every supported type round-trips through its
//! attribute value, and through a model's item form.

use crate::common;

use std::collections::HashSet;
use std::fmt::Debug;

use chrono::{DateTime, TimeZone, Utc};
use common::models::{Everything, Spell};
use dynamodb_mapper::{Attribute, Bytes, Decimal, Json, Model};
use proptest::prelude::*;

fn round_trip<T: Attribute + PartialEq + Debug>(value: &T) -> Result<(), TestCaseError> {
    let encoded = value
        .to_attribute()
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let decoded = T::from_attribute(encoded.clone())
        .map_err(|e| TestCaseError::fail(format!("{e} decoding {encoded:?}")))?;
    prop_assert_eq!(&decoded, value);
    let borrowed = T::from_attribute_ref(&encoded)
        .map_err(|e| TestCaseError::fail(format!("{e} decoding {encoded:?} by reference")))?;
    prop_assert_eq!(&borrowed, value);
    Ok(())
}

fn decimal() -> impl Strategy<Value = Decimal> {
    (any::<bool>(), "[1-9][0-9]{0,37}", -130i32..=88).prop_map(|(negative, digits, exponent)| {
        let text = format!("{}{digits}E{exponent}", if negative { "-" } else { "" });
        text.parse()
            .expect("within DynamoDB's range by construction")
    })
}

fn datetime() -> impl Strategy<Value = DateTime<Utc>> {
    // The stored form has microseconds; years 1..=9999 as Python's datetime.
    (-62_135_596_800i64..253_402_300_799, 0u32..1_000_000).prop_map(|(seconds, micros)| {
        Utc.timestamp_opt(seconds, micros * 1000)
            .single()
            .expect("valid")
    })
}

fn spell() -> impl Strategy<Value = Spell> {
    (".*", any::<i32>(), prop::collection::vec(".*", 0..4)).prop_map(|(name, damage, elements)| {
        Spell {
            name,
            damage,
            elements,
        }
    })
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        ".*".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map(".*", inner, 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn integers(a: i8, b: i16, c: i32, d: i64, e: isize, f: u8, g: u16, h: u32, i: u64, j: usize) {
        round_trip(&a)?; round_trip(&b)?; round_trip(&c)?; round_trip(&d)?; round_trip(&e)?;
        round_trip(&f)?; round_trip(&g)?; round_trip(&h)?; round_trip(&i)?; round_trip(&j)?;
    }

    #[test]
    fn wide_integers_within_38_digits_round_trip_and_beyond_are_refused(a: i128, b: u128) {
        let fits = |digits: String| digits.trim_end_matches('0').trim_start_matches('-').len() <= 38;
        if fits(a.to_string()) { round_trip(&a)?; } else { prop_assert!(a.to_attribute().is_err()); }
        if fits(b.to_string()) { round_trip(&b)?; } else { prop_assert!(b.to_attribute().is_err()); }
    }

    #[test]
    fn floats_round_trip_exactly_inside_dynamodb_range(a: f64, b: f32) {
        let storable = |v: f64| v == 0.0 || (v.abs() >= 1e-130 && v.abs() < 1e126);
        if a.is_finite() && storable(a) { round_trip(&a)?; } else { prop_assert!(a.to_attribute().is_err()); }
        if b.is_finite() { round_trip(&b)?; } else { prop_assert!(b.to_attribute().is_err()); }
    }

    #[test]
    fn decimals_round_trip_exactly(value in decimal()) {
        round_trip(&value)?;
        prop_assert_eq!(value.to_string().parse::<Decimal>().map_err(|e| TestCaseError::fail(e.to_string()))?, value);
    }

    #[test]
    fn decimal_order_matches_the_order_of_their_values(a in decimal(), b in decimal()) {
        // Compare through exact text arithmetic where f64 can decide.
        let (fa, fb) = (a.to_f64(), b.to_f64());
        if fa < fb { prop_assert!(a < b); }
        if fa > fb { prop_assert!(a > b); }
    }

    #[test]
    fn strings_bools_bytes(s: String, flag: bool, bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        round_trip(&s)?;
        round_trip(&flag)?;
        round_trip(&Bytes(bytes))?;
    }

    #[test]
    fn sets(
        words in prop::collection::hash_set(".{0,8}", 0..6),
        numbers in prop::collection::btree_set(any::<i64>(), 0..6),
        blobs in prop::collection::hash_set(prop::collection::vec(any::<u8>(), 0..8), 0..6),
        decimals in prop::collection::btree_set(decimal(), 0..5),
    ) {
        round_trip(&words)?;
        round_trip(&numbers)?;
        round_trip(&blobs.into_iter().map(Bytes).collect::<HashSet<_>>())?;
        round_trip(&decimals)?;
    }

    #[test]
    fn lists_and_maps(
        list in prop::collection::vec(any::<i64>(), 0..8),
        nested in prop::collection::vec(prop::collection::vec(".{0,8}", 0..4), 0..4),
        map in prop::collection::hash_map(".{0,8}", any::<i32>(), 0..6),
        ordered in prop::collection::btree_map(".{0,8}", prop::collection::vec(any::<bool>(), 0..4), 0..4),
        options in prop::collection::vec(prop::option::of(".{0,8}"), 0..6),
    ) {
        round_trip(&list)?;
        round_trip(&nested)?;
        round_trip(&map)?;
        round_trip(&ordered)?;
        round_trip(&options)?;
    }

    #[test]
    fn nested_structs(spells in prop::collection::vec(spell(), 0..4)) {
        round_trip(&spells)?;
    }

    #[test]
    fn json_text(value in prop::collection::btree_map(".*", json_value(), 1..4), spells in prop::collection::vec(spell(), 1..3)) {
        round_trip(&Json(value))?;
        round_trip(&Json(spells))?;
    }

    #[test]
    fn datetimes(value in datetime()) {
        round_trip(&value)?;
        round_trip(&value.fixed_offset())?;
    }

    #[test]
    fn options_read_an_empty_value_back_as_none(value: Option<String>) {
        let encoded = value.to_attribute().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut item = dynamodb_mapper::Item::default();
        dynamodb_mapper::attribute::store(&mut item, "a", encoded);
        let decoded = match item.remove("a") {
            Some(stored) => Option::<String>::from_attribute(stored),
            None => Option::<String>::from_missing(),
        }.map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(decoded, value.filter(|s| !s.is_empty()));
    }

    #[test]
    fn models_round_trip_through_item_form(
        id in "[a-z]{1,8}", long: i64, words in prop::collection::hash_set(".{0,8}", 0..4), list in prop::collection::vec(any::<i64>(), 0..6), spells in prop::collection::vec(spell(), 0..3),
        when in datetime(), exact in decimal(), maybe in prop::option::of(".{0,8}"), flag: bool, legacy: bool, blob in prop::collection::vec(any::<u8>(), 0..8),
    ) {
        let model = Everything {
            id, long, words, list, spellbook: spells.clone(), spells, when, exact,
            maybe: maybe.filter(|s| !s.is_empty()), flag, legacy_flag: legacy, blob: Bytes(blob),
            ..Everything::sample("x")
        };
        let item = model.to_item().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let borrowed = Everything::from_item_ref(&item).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&borrowed, &model);
        let back = Everything::from_item(item).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back, model);
    }
}
