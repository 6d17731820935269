//! JSON text exactly as Python writes it: [`JsonValue`] round trips, exact
//! typed decoding, the sorting tree, the parser's refusals.

use std::collections::{BTreeMap, HashMap};

use proptest::prelude::*;
use serde::{Deserialize, Serialize};

use super::*;
use crate::attribute::ValueErrorKind;

/// Texts Python 3's `json.dumps(value, sort_keys=True)` wrote (run once, pasted).
const PYTHON_CORPUS: &[&str] = &[
    r#"[1180591620717411303424, -1180591620717411303424, 18446744073709551616, 18446744073709551615, -9223372036854775809, 170141183460469231731687303715884105728, 340282366920938463463374607431768211456, 1606938044258990275541962092341162602522202993782792835301376, -369988485035126972924700782451696644186473100389722973815184405301748249]"#,
    r#"{"big": 1180591620717411303424, "f": 1e+300, "max": 1.7976931348623157e+308, "neg0": -0.0, "small": 1.5e-07, "tiny": 5e-324}"#,
    r#"[Infinity, -Infinity, NaN, 0.1, 1e+16, 1000000000000000.0, 123.456, -2.5, 10.0]"#,
    r#"{"": "empty key", "a": [], "b": {"a": false, "z": [1, {"x": true, "y": null}]}, "c": {}}"#,
    r#"{"ascii": "tab\tnl\nquote\"back\\slash/ctrl\u0001\u001f\u007f", "z\u2028": "\u2028\u2029\ufeff", "\u00e9": "caf\u00e9", "\ud83d\ude00": "\ud83d\ude00 smile"}"#,
    r#"{"Z": 1, "_": 3, "a": 2, "a\u0000": 10, "aa": 9, "~": 4, "\u00ff": 5, "\u0100": 6, "\uffff": 7, "\ud800\udc00": 8}"#,
    r#""just a string""#,
    r#"12345678901234567890123456789012345678901234567890"#,
    r#"[[[[[[[[[[1267650600228229401496703205376]]]]]]]]]]"#,
    r#"{"mixed": [1, 1.0, "1", null, [36893488147419103232, {"k": -36893488147419103232}]]}"#,
    r#"[true, false, null, 0, -1, 0.0, 1e-05, 0.0001, 9007199254740993, -9223372036854775808, 9223372036854775807]"#,
];

fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.to_owned())
}

fn invalid_json(error: &ValueError) -> (&str, &str) {
    match error.kind() {
        ValueErrorKind::InvalidJson { value, reason } => (value, reason),
        other => panic!("expected InvalidJson, got {other:?}"),
    }
}

#[test]
fn python_corpus_round_trips_byte_identical() {
    for text in PYTHON_CORPUS {
        let value = JsonValue::parse(text).expect("Python's JSON");
        assert_eq!(value.to_python_text(), *text);
        let loaded = JsonValue::from_attribute_ref(&s(text)).expect("Python's JSON");
        assert_eq!(loaded.to_attribute().expect("writable"), s(text));
        // Through the generic decoder too (exact or fast path).
        let generic: JsonValue = from_attribute_ref(&s(text)).expect("Python's JSON");
        assert_eq!(generic.to_python_text(), *text);
    }
}

/// Defect 9 of issue 10: an untyped list of Python's big integers read as
/// floats, and saved back rewritten.
#[test]
fn big_integers_are_never_read_as_floats() {
    let text = "[1180591620717411303424, 1]";
    let error = from_attribute_ref::<Vec<serde_json::Value>>(&s(text)).expect_err("does not fit");
    let (value, reason) = invalid_json(&error);
    assert_eq!(value, "1180591620717411303424");
    assert!(reason.contains("does not fit"), "{reason}");
    assert_eq!(error.path(), "[0]");

    let list: Vec<JsonValue> = from_attribute_ref(&s(text)).expect("exact");
    assert_eq!(to_attribute(&list).expect("exact through serde"), s(text));
    assert_eq!(
        list[0].as_number().and_then(JsonNumber::as_u128),
        Some(1 << 70)
    );
    let value = JsonValue::from_attribute_ref(&s(text)).expect("exact");
    assert_eq!(value.to_attribute().expect("writable"), s(text));
    let wrapped = Json::<Vec<JsonValue>>::from_attribute_ref(&s(text)).expect("exact");
    assert_eq!(
        wrapped.to_attribute().expect("exact through serde"),
        s(text)
    );
}

#[test]
fn typed_fields_get_exact_128_bit_integers() {
    #[derive(Deserialize, Default, Debug, PartialEq)]
    struct Big {
        big: u128,
        negative: i128,
        float: f64,
        ignored: Option<u8>,
    }
    let text = r#"{"big": 1267650600228229401496703205376, "float": 1180591620717411303424, "negative": -1267650600228229401496703205376, "unknown": [1606938044258990275541962092341162602522202993782792835301376]}"#;
    let big: Big = from_attribute_ref(&s(text)).expect("exact");
    assert_eq!(
        big,
        Big {
            big: 1 << 100,
            negative: -(1 << 100),
            float: 1180591620717411303424.0,
            ignored: None
        }
    );
    let keys: HashMap<u32, u128> =
        from_attribute_ref(&s(r#"{"7": 1267650600228229401496703205376}"#)).expect("exact");
    assert_eq!(keys, HashMap::from([(7, 1 << 100)]));

    let error = from_attribute_ref::<Vec<u128>>(&s(
        "[1, 1606938044258990275541962092341162602522202993782792835301376]",
    ))
    .expect_err("beyond 128 bits");
    assert_eq!(
        invalid_json(&error).0,
        "1606938044258990275541962092341162602522202993782792835301376"
    );
    assert_eq!(error.path(), "[1]");
    let error =
        from_attribute_ref::<Vec<u64>>(&s("[18446744073709551616]")).expect_err("beyond u64");
    assert!(invalid_json(&error).1.contains("does not fit"));
    // Python's NaN and Infinity, which serde_json does not read.
    let floats: Vec<f64> = from_attribute_ref(&s("[NaN, Infinity, -Infinity, 1.5]")).expect("read");
    assert!(floats[0].is_nan() && floats[1] == f64::INFINITY && floats[2] == f64::NEG_INFINITY);
    // serde_json's Value would read them as null: a typed error instead.
    assert!(from_attribute_ref::<serde_json::Value>(&s("[1e400]")).is_err());
    for text in ["[1, NaN]", "[Infinity]", "{\"a\": -Infinity}"] {
        let error =
            from_attribute_ref::<serde_json::Value>(&s(text)).expect_err("no finite number");
        assert!(
            invalid_json(&error).1.contains("no finite number"),
            "{text}: {error}"
        );
    }
}

#[test]
fn json_values_inside_typed_structs_keep_their_text() {
    #[derive(Serialize, Deserialize, Default, Debug)]
    struct Record {
        id: u128,
        extra: JsonValue,
        list: Vec<JsonValue>,
    }
    let text = r#"{"extra": {"a": [1606938044258990275541962092341162602522202993782792835301376, NaN, 1E5, -0]}, "id": 1267650600228229401496703205376, "list": [1e+300, -0.0, 36893488147419103232]}"#;
    let record: Record = from_attribute_ref(&s(text)).expect("exact");
    assert_eq!(record.id, 1 << 100);
    assert_eq!(
        record.extra.to_python_text(),
        r#"{"a": [1606938044258990275541962092341162602522202993782792835301376, NaN, 1E5, -0]}"#
    );
    assert_eq!(
        record.list[2].as_number().map(JsonNumber::as_str),
        Some("36893488147419103232")
    );
    // The extra's numbers cannot go through serde exactly: a typed error
    // naming the number and the field, not a rewritten number.
    let error = to_attribute(&record).expect_err("not exact through serde");
    let (value, reason) = invalid_json(&error);
    assert_eq!(value, "Record.extra.a[0]");
    assert!(
        reason.contains("1606938044258990275541962092341162602522202993782792835301376"),
        "{reason}"
    );
    assert_eq!(error.path(), ".extra.a[0]");

    let exact = Record {
        extra: JsonValue::parse("[1e+300, 340282366920938463463374607431768211455, -170141183460469231731687303715884105728, 0.1]").expect("JSON"),
        ..record
    };
    assert_eq!(
        to_attribute(&exact).expect("exact through serde"),
        s(
            r#"{"extra": [1e+300, 340282366920938463463374607431768211455, -170141183460469231731687303715884105728, 0.1], "id": 1267650600228229401496703205376, "list": [1e+300, -0.0, 36893488147419103232]}"#
        )
    );
}

/// Defect 2: a u128 in a struct whose fields are not in key order failed to
/// save ("number out of range", with an empty value).
#[test]
fn unsorted_struct_with_u128_saves_like_the_sorted_one() {
    #[derive(Serialize)]
    struct Unsorted {
        zeta: u128,
        alpha: i128,
        nested: Vec<Inner>,
    }
    #[derive(Serialize)]
    struct Inner {
        y: u128,
        x: u8,
    }
    #[derive(Serialize)]
    struct Sorted {
        alpha: i128,
        nested: Vec<BTreeMap<&'static str, u128>>,
        zeta: u128,
    }
    let unsorted = Unsorted {
        zeta: 1 << 100,
        alpha: -(1 << 100),
        nested: vec![Inner { y: u128::MAX, x: 1 }],
    };
    let sorted = Sorted {
        alpha: -(1 << 100),
        nested: vec![BTreeMap::from([("x", 1), ("y", u128::MAX)])],
        zeta: 1 << 100,
    };
    let expected = s(
        r#"{"alpha": -1267650600228229401496703205376, "nested": [{"x": 1, "y": 340282366920938463463374607431768211455}], "zeta": 1267650600228229401496703205376}"#,
    );
    assert_eq!(to_attribute(&unsorted).expect("saves"), expected);
    assert_eq!(
        to_json(&unsorted).expect("a view"),
        serde_json::json!({"alpha": "-1267650600228229401496703205376", "nested": [{"x": 1, "y": "340282366920938463463374607431768211455"}], "zeta": "1267650600228229401496703205376"})
    );
    assert_eq!(to_attribute(&sorted).expect("saves"), expected);
}

#[test]
fn serialization_errors_name_the_value() {
    let map = HashMap::from([(vec![1], 1)]);
    let error = to_attribute(&map).expect_err("a list as key");
    let (value, reason) = invalid_json(&error);
    assert_eq!(value, "HashMap<Vec<i32>, i32>");
    assert!(reason.contains("key"), "{reason}");
    for text in [
        "[NaN]",
        "[1606938044258990275541962092341162602522202993782792835301376]",
        "[1E5]",
    ] {
        let list = vec![JsonValue::parse(text).expect("JSON")];
        let error = to_attribute(&list).expect_err("not exact through serde");
        let (value, reason) = invalid_json(&error);
        assert!(!value.is_empty());
        assert!(reason.contains(&text[1..text.len() - 1]), "{reason}");
        assert_eq!(error.path(), "[0][0]");
    }
}

#[test]
fn empty_and_missing_values_as_json_t() {
    for text in ["null", "[]", "{}"] {
        let value = JsonValue::parse(text).expect("JSON");
        assert_eq!(
            value.to_attribute().expect("writable"),
            AttributeValue::Null
        );
    }
    assert_eq!(JsonValue::from_missing().expect("default"), JsonValue::Null);
    assert_eq!(
        JsonValue::from_attribute(AttributeValue::Null).expect("empty"),
        JsonValue::Null
    );
    assert!(JsonValue::from_attribute(AttributeValue::N("1".into())).is_err());
}

#[test]
fn parser_refusals_are_typed() {
    for bad in [
        "",
        " ",
        "[1] x",
        "[1,]",
        "{\"a\" 1}",
        "{1: 2}",
        "01",
        "1.",
        "-",
        "+1",
        ".5",
        "1e",
        "1e+",
        "\"tab\there\"",
        "\"\\x\"",
        "\"\\u12\"",
        "\"open",
        "[",
        "{\"a\": 1",
        "nul",
        "-NaN",
        "Inf",
        "\"\\ud800\"",
        "\"\\udc00\\ud800\"",
        "\"\\ud83d\\u0041\"",
    ] {
        let error = JsonValue::parse(bad).expect_err(bad);
        invalid_json(&error);
    }
    let error = JsonValue::parse(r#"["\ud800"]"#).expect_err("lone surrogate");
    assert!(invalid_json(&error).1.contains("lone surrogate"));
    assert_eq!(
        JsonValue::parse(" \t\n[1 , {\"a\" :\"\\/\\u00E9\"}]\r\n")
            .expect("JSON")
            .to_python_text(),
        r#"[1, {"a": "/\u00e9"}]"#
    );
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    assert!(JsonValue::parse(&deep(128)).is_ok());
    assert!(
        invalid_json(&JsonValue::parse(&deep(129)).expect_err("too deep"))
            .1
            .contains("nested deeper")
    );
    assert!(JsonValue::parse(&deep(100_000)).is_err());
    assert!(
        from_attribute_ref::<serde_json::Value>(&s(&format!("[NaN{}", deep(100_000)))).is_err()
    );
}

#[test]
fn exact_path_only_for_big_integers_and_python_specials() {
    for (text, exact) in [
        ("[18446744073709551615, -9223372036854775808]", false),
        ("[18446744073709551616]", true),
        ("[-9223372036854775809]", true),
        (
            r#"["1180591620717411303424", "NaN", "Infinity \" 1180591620717411303424"]"#,
            false,
        ),
        (
            "[0.1000000000000000055511151231257827, 1.5e+300, 12345678901234567890123.5]",
            false,
        ),
        ("[NaN]", true),
        ("{\"a\": -Infinity}", true),
    ] {
        assert_eq!(de::needs_exact(text), exact, "{text}");
    }
}

#[test]
fn numbers() {
    let number: JsonNumber = "-170141183460469231731687303715884105728"
        .parse()
        .expect("number");
    assert_eq!(number.as_i128(), Some(i128::MIN));
    assert_eq!(number.as_i64(), None);
    assert!(number.is_integer());
    assert_eq!(JsonNumber::from_f64(f64::NAN).as_str(), "NaN");
    assert!("NaN"
        .parse::<JsonNumber>()
        .expect("Python's")
        .as_f64()
        .is_nan());
    assert_eq!(
        "1e+300".parse::<JsonNumber>().expect("number").as_f64(),
        1e300
    );
    assert!("\"1\"".parse::<JsonNumber>().is_err());
    assert_eq!(JsonNumber::from(u128::MAX).as_u128(), Some(u128::MAX));
    let view = JsonValue::parse("[1, 1.5, 1180591620717411303424, NaN]")
        .expect("JSON")
        .to_serde_json();
    assert_eq!(
        view,
        serde_json::json!([1, 1.5, "1180591620717411303424", "NaN"])
    );
}

/// A number's text as Python writes it: integers of any size, floats' `repr`.
fn number_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|i| i.to_string()),
        "-?[1-9][0-9]{18,80}",
        any::<f64>().prop_map(python_float_repr),
        Just("-0.0".to_owned()),
    ]
}

fn tree() -> impl Strategy<Value = JsonValue> {
    let leaf = prop_oneof![
        Just(JsonValue::Null),
        any::<bool>().prop_map(JsonValue::Bool),
        number_text().prop_map(|text| JsonValue::Number(text.parse().expect("a number"))),
        any::<String>().prop_map(JsonValue::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(JsonValue::Array),
            proptest::collection::btree_map(any::<String>(), inner, 0..6)
                .prop_map(JsonValue::Object),
        ]
    })
}

/// Trees whose numbers serde carries exactly (no NaN, infinities, or
/// integers beyond 128 bits).
fn serde_exact_tree() -> impl Strategy<Value = JsonValue> {
    let number = prop_oneof![
        any::<i64>().prop_map(JsonNumber::from),
        any::<u128>().prop_map(JsonNumber::from),
        any::<i128>().prop_map(JsonNumber::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(JsonNumber::from_f64),
    ];
    let leaf = prop_oneof![
        Just(JsonValue::Null),
        any::<bool>().prop_map(JsonValue::Bool),
        number.prop_map(JsonValue::Number),
        "[a-c\"\\\\é😀\u{1}]{0,4}".prop_map(JsonValue::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(JsonValue::Array),
            proptest::collection::btree_map("[a-c\"é]{0,3}", inner, 0..6)
                .prop_map(JsonValue::Object),
        ]
    })
}

proptest! {
    /// Any text Python writes survives load and save byte for byte.
    #[test]
    fn written_text_round_trips(value in tree()) {
        let text = value.to_python_text();
        let loaded = JsonValue::parse(&text).expect("our own text");
        prop_assert_eq!(&loaded, &value);
        prop_assert_eq!(loaded.to_python_text(), text.clone());
        let generic: JsonValue = from_attribute_ref(&AttributeValue::S(text.clone())).expect("our own text");
        prop_assert_eq!(generic.to_python_text(), text);
    }

    /// Through serde (inside `Json<T>`), the streamed text is the tree's.
    #[test]
    fn serde_writes_what_the_tree_writes(value in serde_exact_tree()) {
        let text = value.to_python_text();
        prop_assert_eq!(python_dumps::to_text(&value).expect("exact through serde"), text.clone());
        prop_assert_eq!(python_dumps::to_text(&vec![value.clone()]).expect("exact"), format!("[{text}]"));
        let tree = ser::to_tree(&value).expect("exact through serde");
        prop_assert_eq!(tree, value);
    }

    /// The parser and the decoders never panic.
    #[test]
    fn any_text_is_read_or_refused(text in any::<String>(), jsonish in "[\\[\\]{}\",:0-9eE.+\\- \\\\u/a-fntrlsINa]{0,40}") {
        for text in [&text, &jsonish] {
            let _ = JsonValue::parse(text);
            let _ = de::needs_exact(text);
            let _ = from_attribute_ref::<serde_json::Value>(&AttributeValue::S(text.clone()));
            let _ = from_attribute_ref::<Vec<u128>>(&AttributeValue::S(text.clone()));
            if let Ok(value) = JsonValue::parse(text) {
                let again = value.to_python_text();
                prop_assert_eq!(JsonValue::parse(&again).expect("our own text"), value);
            }
        }
    }
}
