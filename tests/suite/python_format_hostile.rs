//! Red-team tests of the `format = "python"` switch (`PythonAttribute`) and
//! of the stored forms of field handles: hostile stored items, round trips
//! against Python's own `json.dumps`, sensitive values in errors. (Generic
//! models, policies and conditions under the switch are in
//! `python_format_models`, the isoformat edges in `json_view`, the
//! transaction setup's edges in `transaction_setup`.)

use crate::common;

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::panic::{catch_unwind, AssertUnwindSafe};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use dynamodb_mapper::attribute::Secret;
use dynamodb_mapper::error::AttributeError;
use dynamodb_mapper::{AttributeValue, Item, Model};

use crate::python_format_models::Generic;
use serde_json::{json, Value};

fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.into())
}

fn n(text: &str) -> AttributeValue {
    AttributeValue::N(text.into())
}

// ---------------------------------------------------------------------------
// 1. Hostile stored items
// ---------------------------------------------------------------------------

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "rt_hostile", hash_key = "id", format = "python")]
struct Hostile {
    id: String,
    flag: bool,
    maybe: Option<bool>,
    names: Vec<String>,
    big: Vec<u64>,
    counts: HashMap<String, i64>,
    series: BTreeMap<String, Vec<f64>>,
    bytes: VecDeque<u8>,
    tags: HashSet<String>,
    any: Value,
    level: i64,
    when: DateTime<Utc>,
}

/// An item with `attribute` set to `value` (and a fixed `when`, which
/// would otherwise read as "now", as the original reads a missing datetime).
fn hostile_item(attribute: &str, value: AttributeValue) -> Item {
    let mut item = Item::from_iter([
        ("id".to_string(), s("h1")),
        ("when".to_string(), s("2012-05-31T12:30:01.000042+00:00")),
    ]);
    item.insert(attribute.to_string(), value);
    item
}

/// Decodes `item` both ways (owned and borrowed), catching panics:
/// `Err(why)` for a panic, or the two ways disagreeing.
fn decode_guarded<M: Model + std::fmt::Debug>(
    item: Item,
) -> Result<Result<M, AttributeError>, String> {
    let borrowed = catch_unwind(AssertUnwindSafe(|| M::from_item_ref(&item)))
        .map_err(|_| "from_item_ref panicked".to_owned())?;
    let owned = catch_unwind(AssertUnwindSafe(|| M::from_item(item)))
        .map_err(|_| "from_item panicked".to_owned())?;
    match (&owned, &borrowed) {
        // Compared as text: NaN != NaN.
        (Ok(a), Ok(b)) if format!("{a:?}") == format!("{b:?}") => {}
        (Err(a), Err(b)) if a == b => {}
        _ => {
            return Err(format!(
                "owned {owned:?} and borrowed {borrowed:?} disagree"
            ))
        }
    }
    Ok(owned)
}

/// Every wrong stored type and every malformed JSON text is a typed error
/// naming the model and the attribute: never a panic, a hang or a value.
#[test]
fn hostile_stored_values_are_typed_errors_naming_model_and_attribute() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let open_only = "[".repeat(100_000);
    let deep_with_nan = format!("[NaN, {deep}]");
    let cases: Vec<(&str, AttributeValue)> = vec![
        // bool as 0/1
        ("flag", s("true")),
        ("flag", s("1")),
        ("flag", AttributeValue::L(vec![])),
        ("flag", AttributeValue::Ss(vec!["1".into()])),
        ("maybe", s("false")),
        // lists and maps as JSON text
        ("names", AttributeValue::L(vec![s("a")])),
        ("names", AttributeValue::M(Item::default())),
        ("names", n("1")),
        ("names", AttributeValue::Bool(true)),
        ("names", s("")),
        ("names", s("not json")),
        ("names", s("{\"a\": \"b\"}")),
        ("names", s("[1, 2]")),
        ("names", s("[\"a\"] trailing")),
        ("names", s(&deep)),
        ("names", s(&open_only)),
        ("names", s("[\"\\ud800\"]")),
        ("names", s("[\"\\udc00\\ud800\"]")),
        ("names", s("\u{feff}[\"a\"]")),
        ("big", s("[18446744073709551616]")),
        ("big", s("[-1]")),
        ("big", s("[1.5]")),
        ("big", s("[NaN]")),
        ("big", s("[Infinity]")),
        ("big", s("[340282366920938463463374607431768211456]")),
        ("counts", s("{\"a\": 9223372036854775808}")),
        ("counts", s("{\"a\": -9223372036854775809}")),
        ("counts", s("{\"a\": \"1\"}")),
        ("counts", s("[[\"a\", 1]]")),
        ("counts", s("{\"a\": NaN}")),
        ("series", s("{\"x\": 1.5}")),
        ("series", s("{\"x\": [\"1.5\"]}")),
        ("series", s("{\"x\": [1e400]}")),
        ("bytes", s("[256]")),
        ("bytes", s("[-1]")),
        ("bytes", s("\"AAEC\"")),
        ("any", s("[18446744073709551616]")),
        ("any", s("[NaN]")),
        ("any", s(&deep)),
        ("any", s(&deep_with_nan)),
        ("any", s("{\"a\": \"\\ud800\"}")),
        ("any", AttributeValue::L(vec![n("1")])),
        // native types under the switch
        ("tags", s("[\"a\"]")),
        ("level", s("5")),
        ("level", s("[5]")),
        ("when", AttributeValue::L(vec![])),
        ("when", s("yesterday")),
        ("when", n("1338467400")),
    ];
    let mut failures = Vec::new();
    for (attribute, value) in cases {
        let shown = format!(
            "{attribute} = {}",
            format!("{value:?}").chars().take(60).collect::<String>()
        );
        match decode_guarded::<Hostile>(hostile_item(attribute, value)) {
            Err(why) => failures.push(format!("{shown}: {why}")),
            Ok(Ok(decoded)) => failures.push(format!("{shown}: decoded as {decoded:?}")),
            Ok(Err(error)) => {
                let text = error.to_string();
                if error.model != "Hostile" || !error.attribute.starts_with(attribute) {
                    failures.push(format!(
                        "{shown}: error names {}.{}",
                        error.model, error.attribute
                    ));
                }
                if !text.starts_with(&format!("Hostile.{attribute}")) {
                    failures.push(format!("{shown}: message {text:?}"));
                }
                if text.len() > 2_000 {
                    failures.push(format!("{shown}: message of {} bytes", text.len()));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What a hostile item may hold and still read, as Python reads it:
/// duplicate keys keep the last value, `NULL` and absence read neutral,
/// `BOOL` and any non-zero number read as a bool, NaN into a float list.
#[test]
fn lenient_but_exact_reads_of_odd_stored_values() {
    let read = |attribute: &str, value: AttributeValue| {
        decode_guarded::<Hostile>(hostile_item(attribute, value))
            .expect("no panic")
            .unwrap_or_else(|e| panic!("{attribute}: {e}"))
    };
    assert_eq!(
        read("counts", s(r#"{"a": 1, "a": 2}"#)).counts,
        HashMap::from([("a".to_string(), 2)])
    );
    assert_eq!(read("any", s(r#"{"a": 1, "a": 2}"#)).any, json!({"a": 2}));
    assert_eq!(
        read(
            "series",
            s(r#"{"a": [1.0], "a": [2.0, 1180591620717411303424]}"#)
        )
        .series,
        BTreeMap::from([("a".to_string(), vec![2.0, 1180591620717411303424.0])]),
        "the exact path keeps the last duplicate too"
    );
    assert!(read("flag", AttributeValue::Bool(true)).flag);
    assert!(read("flag", n("2")).flag);
    assert!(!read("flag", n("0")).flag);
    assert_eq!(
        read("names", AttributeValue::Null).names,
        Vec::<String>::new()
    );
    assert_eq!(read("maybe", AttributeValue::Null).maybe, None);
    assert_eq!(read("names", s(" [ \"a\" ] ")).names, ["a"]);
    let nan = read("series", s(r#"{"x": [NaN, -Infinity]}"#)).series;
    assert!(nan["x"][0].is_nan() && nan["x"][1] == f64::NEG_INFINITY);

    // Near DynamoDB's 400 KB item limit.
    let long: Vec<String> = (0..390).map(|i| format!("{i:0>1000}")).collect();
    let text = serde_json::to_string(&long).expect("JSON");
    assert!(text.len() > 390_000);
    assert_eq!(read("names", s(&text)).names, long);
    let numbers = format!("[{}]", vec!["18446744073709551615"; 17_000].join(", "));
    assert_eq!(read("big", s(&numbers)).big.len(), 17_000);
}

/// Sensitive fields under the switch: no error shows the stored value, nor
/// (for a map) its keys.
#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "rt_vault", hash_key = "id", format = "python")]
struct Vault {
    id: String,
    #[dynamodb(sensitive)]
    codes: Secret<Vec<String>>,
    #[dynamodb(sensitive)]
    by_name: HashMap<String, i64>,
    #[dynamodb(sensitive)]
    flag: Secret<bool>,
    #[dynamodb(sensitive)]
    expires: Secret<DateTime<Utc>>,
    #[dynamodb(sensitive)]
    born: DateTime<Utc>,
}

const SECRET: &str = "hunter2";

#[test]
fn sensitive_values_stay_out_of_decoding_errors() {
    let cases: Vec<(&str, AttributeValue)> = vec![
        ("codes", s(r#"["hunter2", 5]"#)),
        ("codes", s("hunter2")),
        ("codes", s(r#"{"hunter2": 1}"#)),
        ("codes", AttributeValue::L(vec![s(SECRET)])),
        ("codes", s(r#"["hunter2", 18446744073709551616]"#)),
        ("by_name", s(r#"{"x": "hunter2"}"#)),
        ("by_name", s("hunter2")),
        ("flag", s(SECRET)),
        ("flag", AttributeValue::Ss(vec![SECRET.into()])),
        ("expires", s(SECRET)),
        ("born", s(SECRET)),
    ];
    let mut leaks = Vec::new();
    for (attribute, value) in cases {
        let item = Item::from_iter([("id".to_string(), s("v")), (attribute.to_string(), value)]);
        let error = Vault::from_item_ref(&item).expect_err(attribute);
        let shown = format!("{error} {error:?}");
        if shown.contains(SECRET) {
            leaks.push(format!("{attribute}: {shown}"));
        }
    }
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
}

/// The keys of a sensitive map are part of its value: a decoding error on
/// the exact path (a big integer, NaN) names the entry by its key, in the
/// attribute and in the message.
#[test]
fn sensitive_map_keys_stay_out_of_decoding_errors() {
    for text in [
        r#"{"hunter2": 18446744073709551616}"#,
        r#"{"hunter2": NaN}"#,
        r#"{"hunter2": 1.5, "x": 18446744073709551616}"#,
    ] {
        let item = Item::from_iter([("id".to_string(), s("v")), ("by_name".to_string(), s(text))]);
        let error = Vault::from_item(item).expect_err(text);
        assert!(
            !format!("{error} {error:?}").contains(SECRET),
            "{text}: {error} / {}",
            error.attribute
        );
    }
}

/// `to_item` redacts a sensitive field's error; `to_json` must too. A year
/// Python cannot hold fails both.
#[test]
fn sensitive_values_stay_out_of_json_view_errors() {
    let far = Utc.from_utc_datetime(
        &NaiveDate::from_ymd_opt(12345, 6, 7)
            .expect("chrono holds it")
            .and_hms_opt(8, 9, 10)
            .expect("a time"),
    );
    for vault in [
        Vault {
            id: "v".into(),
            expires: Secret::new(far),
            ..Default::default()
        },
        Vault {
            id: "v".into(),
            born: far,
            ..Default::default()
        },
    ] {
        let stored = vault.to_item().expect_err("year 12345 is not stored");
        assert!(!stored.to_string().contains("12345"), "to_item: {stored}");
        let view = vault.to_json().expect_err("nor shown");
        assert!(
            !format!("{view} {view:?}").contains("12345"),
            "to_json: {view}"
        );
    }
}

// ---------------------------------------------------------------------------
// 2. Round trips, and the text against Python's json.dumps(sort_keys=True)
// ---------------------------------------------------------------------------

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "rt_props", hash_key = "id", format = "python")]
struct Props {
    id: String,
    flag: bool,
    names: Vec<String>,
    counts: HashMap<String, i64>,
    series: BTreeMap<String, Vec<f64>>,
    maybe: Option<bool>,
    bytes: VecDeque<u8>,
    tags: HashSet<String>,
    any: Value,
}

fn props_strategy() -> impl proptest::strategy::Strategy<Value = Props> {
    use proptest::collection::{btree_map, hash_map, hash_set, vec};
    use proptest::prelude::*;
    let text = "(?s).{0,6}";
    let float = prop_oneof![
        any::<f64>().prop_filter("finite", |f| f.is_finite()),
        Just(0.1),
        Just(-0.0),
        Just(1e16),
        Just(1e-5),
        Just(5e-324),
        Just(1.7976931348623157e308),
        (-1_000_000i64..1_000_000).prop_map(|i| i as f64),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        float.clone().prop_map(Value::from),
        text.prop_map(Value::from),
        Just(json!([])),
        Just(json!({})),
    ];
    let any_json = leaf.prop_recursive(4, 32, 4, move |inner| {
        prop_oneof![
            vec(inner.clone(), 1..4).prop_map(Value::from),
            btree_map(text, inner, 1..4).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    });
    (
        any::<bool>(),
        vec(text, 0..4),
        hash_map(text, any::<i64>(), 0..4),
        btree_map(text, vec(float, 0..3), 0..3),
        proptest::option::of(any::<bool>()),
        vec(any::<u8>(), 0..5).prop_map(VecDeque::from),
        hash_set("[a-zé😀]{1,4}", 0..3),
        any_json,
    )
        .prop_map(
            |(flag, names, counts, series, maybe, bytes, tags, any)| Props {
                id: "p".into(),
                flag,
                names,
                counts,
                series,
                maybe,
                bytes,
                tags,
                any,
            },
        )
}

/// `from_item(to_item(x)) == x`, and each JSON text is exactly Python's
/// `json.dumps(value, sort_keys=True)` of the same value (checked in one
/// python3 run over every case).
#[test]
fn python_format_round_trips_and_writes_pythons_json_text() {
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::{Config, TestRunner};

    let strategy = props_strategy();
    let mut runner = TestRunner::new(Config::default());
    let mut lines = String::new();
    let mut stored_texts = Vec::new();
    for _ in 0..400 {
        let props = strategy.new_tree(&mut runner).expect("a case").current();
        let item = props.to_item().expect("encodable");
        let back = Props::from_item(item.clone()).expect("decodable");
        // An empty array or object reads back as the neutral `null`.
        let mut expected = props.clone();
        if matches!(&expected.any, Value::Array(a) if a.is_empty())
            || matches!(&expected.any, Value::Object(o) if o.is_empty())
        {
            expected.any = Value::Null;
        }
        assert_eq!(back, expected, "round trip of {item:?}");
        assert_eq!(
            Props::from_item(back.to_item().expect("again")).expect("again"),
            expected
        );
        assert_eq!(
            item.get("flag"),
            Some(&n(if props.flag { "1" } else { "0" }))
        );
        let json_fields: [(&str, String); 5] = [
            ("names", serde_json::to_string(&props.names).expect("JSON")),
            (
                "counts",
                serde_json::to_string(&props.counts).expect("JSON"),
            ),
            (
                "series",
                serde_json::to_string(&props.series).expect("JSON"),
            ),
            ("bytes", serde_json::to_string(&props.bytes).expect("JSON")),
            ("any", serde_json::to_string(&props.any).expect("JSON")),
        ];
        for (field, plain) in json_fields {
            lines.push_str(&plain);
            lines.push('\n');
            stored_texts.push((field, item.get(field).cloned(), plain));
        }
    }
    let script = "import sys, json\nfor line in sys.stdin:\n    print(json.dumps(json.loads(line), sort_keys=True))\n";
    let dumped = common::python(script, &lines);
    assert_eq!(dumped.len(), stored_texts.len());
    for ((field, stored, plain), python) in stored_texts.into_iter().zip(dumped) {
        let expected = match python.as_str() {
            "[]" | "{}" | "null" => None,
            _ => Some(AttributeValue::S(python.clone())),
        };
        assert_eq!(stored, expected, "{field}: {plain}");
    }
}

/// Python writes a float list holding NaN or an infinity as
/// `[NaN, Infinity]`, and the mapper reads that text; saving the same
/// value must write that text (not `[null, null]`, which Python reads as
/// `None` and the mapper refuses to read back).
#[test]
fn nan_and_infinities_in_a_float_list_round_trip_as_python_writes_them() {
    let props = Props {
        id: "p".into(),
        series: BTreeMap::from([(
            "x".to_string(),
            vec![f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1.5],
        )]),
        ..Default::default()
    };
    let expected = common::python(
        "import json\nprint(json.dumps({'x': [float('nan'), float('inf'), float('-inf'), 1.5]}, sort_keys=True))",
        "",
    );
    let item = props.to_item().expect("encodable");
    assert_eq!(item.get("series"), Some(&s(&expected[0])), "Python's text");
    let back = Props::from_item(item).expect("what was saved reads back");
    let x = &back.series["x"];
    assert!(x[0].is_nan() && x[1] == f64::INFINITY && x[2] == f64::NEG_INFINITY && x[3] == 1.5);
}

/// Empty collections are left out and read back empty; `serde_json::Value`
/// reads an absent attribute as `null`, so an empty array or object comes
/// back as `null` (documented here, as Python reads the absent list or
/// dict as its own default).
#[test]
fn empty_json_values_read_back_as_their_neutral_value() {
    for (value, back) in [
        (json!([]), Value::Null),
        (json!({}), Value::Null),
        (Value::Null, Value::Null),
    ] {
        let props = Props {
            id: "p".into(),
            any: value,
            ..Default::default()
        };
        let item = props.to_item().expect("encodable");
        assert!(!item.contains_key("any"));
        assert_eq!(Props::from_item(item).expect("decodable").any, back);
    }
    let some_empty = Generic::<u8> {
        id: "g".into(),
        maybe: Some(vec![]),
        ..Default::default()
    };
    let item = some_empty.to_item().expect("encodable");
    assert!(
        !item.contains_key("maybe"),
        "Some(empty) is left out like None"
    );
    assert_eq!(
        Generic::<u8>::from_item(item).expect("decodable").maybe,
        None
    );
}
