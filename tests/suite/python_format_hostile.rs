//! Red-team tests of the `format = "python"` switch (`PythonAttribute`), the
//! stored forms of field handles, `isoformat` in the JSON view, and the app
//! transaction's `max_retries` and `setup`: hostile stored items, round trips
//! against Python's own `json.dumps`, extreme datetimes against Python's
//! `isoformat`, and transaction edge cases.

use crate::common;

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use dynamodb_mapper::attribute::{isoformat, Secret, ValueErrorKind};
use dynamodb_mapper::features::app_transaction::{Transaction, TransactionLog, TransactionStatus};
use dynamodb_mapper::{AttributeError, AttributeValue, Document, Error, Item, Model, StepIndex};
use futures::TryStreamExt;
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

// ---------------------------------------------------------------------------
// 5. Generic models and wrapped collections under the switch
// ---------------------------------------------------------------------------

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "rt_generic", hash_key = "id", format = "python")]
struct Generic<T>
where
    T: serde::Serialize
        + serde::de::DeserializeOwned
        + Clone
        + std::fmt::Debug
        + PartialEq
        + Default
        + Send
        + Sync
        + 'static,
{
    id: String,
    items: Vec<T>,
    maybe: Option<Vec<T>>,
    #[allow(clippy::box_collection)] // Box<T> of the original's form is the point
    boxed: Box<Vec<T>>,
    #[dynamodb(sensitive)]
    secret: Secret<Vec<String>>,
    by_key: BTreeMap<String, T>,
}

#[test]
fn generic_and_wrapped_collections_are_json_text() {
    let value = Generic::<u64> {
        id: "g".into(),
        items: vec![1, u64::MAX],
        maybe: Some(vec![3]),
        boxed: Box::new(vec![4, 5]),
        secret: Secret::new(vec!["é".into()]),
        by_key: BTreeMap::from([("b".to_string(), 2), ("a".to_string(), 1)]),
    };
    let item = value.to_item().expect("encodable");
    assert_eq!(item["items"], s("[1, 18446744073709551615]"));
    assert_eq!(item["maybe"], s("[3]"));
    assert_eq!(item["boxed"], s("[4, 5]"));
    assert_eq!(item["secret"], s(r#"["\u00e9"]"#));
    assert_eq!(item["by_key"], s(r#"{"a": 1, "b": 2}"#));
    assert_eq!(Generic::<u64>::from_item(item).expect("decodable"), value);
    let missing =
        Generic::<u64>::from_item(Item::from_iter([("id".to_string(), s("g"))])).expect("neutral");
    assert_eq!(
        missing,
        Generic::<u64> {
            id: "g".into(),
            ..Default::default()
        }
    );

    let strings = Generic::<String> {
        id: "g".into(),
        items: vec!["x".into()],
        ..Default::default()
    };
    assert_eq!(
        strings.to_item().expect("encodable")["items"],
        s(r#"["x"]"#)
    );
    let error = Generic::<u8>::from_item(Item::from_iter([
        ("id".to_string(), s("g")),
        ("boxed".to_string(), s("[300]")),
    ]))
    .expect_err("300 is no u8");
    assert_eq!(
        (error.model, error.attribute.as_str()),
        ("Generic", "boxed")
    );
}

/// The switch with every model policy: a migrator, a version, a ttl on a
/// datetime kept as epoch seconds, an auto-increment key.
mod all_policies {
    use super::*;
    use dynamodb_mapper::model::migration::{Migrator, SchemaVersion};

    pub struct Steps;

    impl Migrator for Steps {
        const VERSIONS: &'static [SchemaVersion] = &[
            SchemaVersion::new(1).check(|raw| raw.contains_key("old_tags")),
            SchemaVersion::new(2)
                .check(|raw| !raw.contains_key("old_tags"))
                .migrate(|raw| {
                    if let Some(old) = raw.remove("old_tags") {
                        raw.insert("tags".into(), old);
                    }
                    Ok(())
                }),
        ];
    }

    #[derive(Model, Debug, Clone, PartialEq, Default)]
    #[dynamodb(table = "rt_policies", hash_key = "id", ttl = "expires", migrator = Steps, format = "python")]
    pub struct Everything {
        #[dynamodb(auto_increment)]
        pub id: i64,
        #[dynamodb(version)]
        pub version: i64,
        #[dynamodb(epoch_seconds)]
        pub expires: DateTime<Utc>,
        pub tags: Vec<String>,
        pub active: bool,
    }

    engine_tests! {
        async fn the_switch_with_every_policy(conn, engine) {
            conn.create_table::<Everything>().await?;
            let expires = Utc.timestamp_opt(2_000_000_000, 0).single().expect("a time");
            let mut doc = Document::new(Everything { expires, tags: vec!["a".into()], active: true, ..Default::default() });
            conn.save(&mut doc).await?;
            assert_eq!((doc.id, doc.version), (1, 1));
            let stored = doc.stored_item().expect("saved").clone();
            assert_eq!(stored.get("expires"), Some(&n("2000000000")));
            assert_eq!(stored.get("tags"), Some(&s(r#"["a"]"#)));
            assert_eq!(stored.get("active"), Some(&n("1")));
            assert_eq!(stored.get("version"), Some(&n("1")));
            // An item of version 1 migrates on load, JSON text and all.
            common::put_raw(&conn, "rt_policies", Item::from_iter([
                ("id".to_string(), n("5")),
                ("old_tags".to_string(), s(r#"["x", "y"]"#)),
                ("active".to_string(), n("0")),
            ])).await?;
            let migrated = conn.get::<Everything>(5).consistent_read().await?.expect("stored");
            assert_eq!(migrated.tags, ["x", "y"]);
            assert!(!migrated.active);
        }
    }
}

// ---------------------------------------------------------------------------
// 5b. Condition helpers on a field kept as JSON text
// ---------------------------------------------------------------------------

// `contains` and `size` on a list kept as JSON text answered about the text
// (a substring of the JSON, its length in characters): they no longer
// compile there (tests/ui/contains_size_on_json_text.rs). Stored
// natively, they answer about the list.
#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "rt_bags", hash_key = "id", format = "python")]
struct Bag {
    id: String,
    #[dynamodb(native)]
    inventory: Vec<String>,
    #[dynamodb(native)]
    counts: Vec<u32>,
}

async fn bag_ids(
    conn: &dynamodb_mapper::Connection,
    filter: dynamodb_mapper::Condition,
) -> dynamodb_mapper::Result<Vec<String>> {
    let mut ids: Vec<String> = conn
        .scan::<Bag>()
        .filter(filter)
        .map_ok(|d| d.into_inner().id)
        .try_collect()
        .await?;
    ids.sort();
    Ok(ids)
}

mod json_text_conditions {
    use super::*;

    engine_tests! {
        async fn contains_and_size_on_a_native_list_answer_about_the_list(conn, engine) {
            conn.create_table::<Bag>().await?;
            for (id, inventory, counts) in [("a", vec!["sword"], vec![3]), ("b", vec!["swordfish", "shield"], vec![33])] {
                conn.save(&mut Document::new(Bag { id: id.into(), inventory: inventory.into_iter().map(String::from).collect(), counts })).await?;
            }
            let f = Bag::fields();
            assert_eq!(bag_ids(&conn, f.inventory.contains("sword".to_string())).await?, ["a"]);
            assert_eq!(bag_ids(&conn, f.counts.contains(3u32)).await?, ["a"]);
            assert_eq!(bag_ids(&conn, f.inventory.size().eq(2)).await?, ["b"]);
        }
    }
}

// ---------------------------------------------------------------------------
// 3. isoformat at the edges, against Python
// ---------------------------------------------------------------------------

fn local(
    (y, mo, d, h, mi, sec, nanos): (i32, u32, u32, u32, u32, u32, u32),
    offset: i32,
) -> DateTime<FixedOffset> {
    let naive = NaiveDate::from_ymd_opt(y, mo, d)
        .and_then(|date| date.and_hms_nano_opt(h, mi, sec, nanos))
        .expect("a local time");
    FixedOffset::east_opt(offset)
        .expect("an offset")
        .from_local_datetime(&naive)
        .single()
        .expect("one instant")
}

#[test]
fn isoformat_at_the_edges_of_pythons_range_matches_python() {
    type Local = (i32, u32, u32, u32, u32, u32, u32);
    let cases: Vec<(Local, i32)> = vec![
        ((1, 1, 1, 0, 0, 0, 0), 0),
        ((1, 1, 1, 0, 0, 0, 1_000), 0),
        ((1, 1, 1, 0, 0, 0, 0), 86_399),
        ((1, 1, 1, 0, 0, 1, 0), 3_601),
        ((1, 1, 1, 0, 0, 0, 0), -86_399),
        ((9999, 12, 31, 23, 59, 59, 999_999_999), 0),
        ((9999, 12, 31, 23, 59, 59, 999_999_000), -86_399),
        ((9999, 12, 31, 23, 59, 59, 999_999_000), 86_399),
        ((2012, 5, 31, 12, 30, 1, 999), -1),
        ((2012, 5, 31, 12, 30, 1, 1_999), -19_845),
        ((2012, 5, 31, 12, 30, 1, 500), 45),
        ((1970, 1, 1, 0, 0, 0, 0), -3_600),
        ((2000, 2, 29, 0, 0, 0, 1), 0),
    ];
    let input: String = cases
        .iter()
        .map(|((y, mo, d, h, mi, sec, nanos), off)| {
            format!("{y} {mo} {d} {h} {mi} {sec} {} {off}\n", nanos / 1_000)
        })
        .collect();
    let script = "import sys\nfrom datetime import datetime, timedelta, timezone\nfor line in sys.stdin:\n    y, mo, d, h, mi, s, us, off = map(int, line.split())\n    print(datetime(y, mo, d, h, mi, s, us, timezone(timedelta(seconds=off))).isoformat())\n";
    let expected = common::python(script, &input);
    for ((parts, offset), python) in cases.iter().zip(&expected) {
        let value = local(*parts, *offset);
        assert_eq!(
            &isoformat(&value).expect("Python holds it"),
            python,
            "{parts:?} {offset}"
        );
        // The JSON view is in UTC, as the original's to_json_dict(): the
        // same text when the offset is zero.
        if *offset == 0 {
            let view = dynamodb_mapper::Attribute::to_json(&value).expect("Python holds it");
            assert_eq!(view, json!(python));
            assert_eq!(
                &isoformat(&value.with_timezone(&Utc)).expect("in range"),
                python
            );
        }
    }
}

/// Local years Python cannot hold are a typed error, never a panic; a leap
/// second (nanoseconds past 1e9), which Python has no room for, shows as
/// the last microsecond of its minute (documented here).
#[test]
fn isoformat_out_of_pythons_range_is_a_typed_error() {
    for (parts, offset) in [
        ((0, 12, 31, 23, 59, 59, 0), 0),
        ((1, 1, 1, 0, 0, 0, 0), 0),
        ((10000, 1, 1, 0, 0, 0, 0), 0),
        ((9999, 12, 31, 23, 0, 0, 0), 0),
        ((-5, 1, 1, 0, 0, 0, 0), 0),
        ((262_142, 1, 1, 0, 0, 0, 0), 0),
        ((-262_142, 1, 1, 0, 0, 0, 0), 0),
    ] {
        for offset_shift in [offset, 3_600, -3_600, 86_399, -86_399] {
            let value = local(parts, offset_shift);
            let outcome = catch_unwind(|| isoformat(&value)).expect("no panic");
            let year = parts.0;
            if (1..=9999).contains(&year) {
                assert!(outcome.is_ok(), "{parts:?} {offset_shift}");
            } else {
                let error = outcome.expect_err("out of Python's range");
                assert!(
                    matches!(error.kind(), ValueErrorKind::InvalidDatetime { .. }),
                    "{error:?}"
                );
            }
            let utc = value.with_timezone(&Utc);
            let outcome = catch_unwind(|| isoformat(&utc)).expect("no panic");
            assert_eq!(
                outcome.is_ok(),
                (1..=9999).contains(&chrono::Datelike::year(&utc)),
                "{utc:?}"
            );
        }
    }
    let leap = local((2016, 12, 31, 23, 59, 59, 1_500_000_000), 0);
    assert_eq!(
        isoformat(&leap).expect("a leap second"),
        "2016-12-31T23:59:59.999999+00:00"
    );
    let leap_whole = local((2016, 12, 31, 23, 59, 59, 1_000_000_000), 0);
    assert_eq!(
        isoformat(&leap_whole).expect("a leap second"),
        "2016-12-31T23:59:59.999999+00:00"
    );
}

// ---------------------------------------------------------------------------
// 4. App transactions: max_retries and setup
// ---------------------------------------------------------------------------

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "rt_accounts", hash_key = "id")]
struct Account {
    id: String,
    balance: i64,
}

async fn bank(conn: &dynamodb_mapper::Connection) -> dynamodb_mapper::Result<()> {
    conn.create_table::<Account>().await?;
    conn.create_table::<TransactionLog>().await?;
    for id in ["ann", "bob"] {
        conn.save(&mut Document::new(Account {
            id: id.into(),
            balance: 100,
        }))
        .await?;
    }
    Ok(())
}

async fn balance(conn: &dynamodb_mapper::Connection, id: &str) -> dynamodb_mapper::Result<i64> {
    Ok(conn
        .get::<Account>(id.to_string())
        .consistent_read()
        .await?
        .map_or(-1, |a| a.balance))
}

async fn record_count(conn: &dynamodb_mapper::Connection) -> dynamodb_mapper::Result<usize> {
    let all: Vec<_> = conn
        .scan::<TransactionLog>()
        .consistent_read()
        .try_collect()
        .await?;
    Ok(all.len())
}

fn ann_is_rich() -> bool {
    true
}

fn add_to(id: &'static str, amount: i64) -> Transaction<TransactionLog> {
    let mut tx = Transaction::new(TransactionLog::new(1));
    tx.step(
        move |c| c.get::<Account>(id.into()),
        move |a| {
            a.balance += amount;
            Ok(())
        },
    );
    tx
}

mod transactions {
    use super::*;

    engine_tests! {
        async fn max_retries_of_zero_and_of_u32_max_commit_without_conflicts(conn, engine) {
            bank(&conn).await?;
            let mut none = add_to("ann", 1);
            none.max_retries(0);
            none.commit(&conn).await?;
            let mut all = add_to("ann", 1);
            all.max_retries(u32::MAX);
            tokio::time::timeout(Duration::from_secs(30), all.commit(&conn)).await??;
            assert_eq!(balance(&conn, "ann").await?, 102);
            assert_eq!(record_count(&conn).await?, 2);
        }

        /// The setup runs once; a second commit of the same transaction runs
        /// every step again (the transfer happens twice) and saves a second
        /// record. Documented here.
        async fn a_second_commit_reruns_the_steps_but_not_the_setup(conn, engine) {
            bank(&conn).await?;
            let setups = Arc::new(AtomicU32::new(0));
            let counter = setups.clone();
            let mut tx = add_to("ann", 10);
            tx.setup(move |ctx| Box::pin(async move {
                counter.fetch_add(1, Ordering::SeqCst);
                ctx.step(|c| c.get::<Account>("bob".into()), |b| { b.balance += 1; Ok(()) });
                Ok(())
            }));
            tx.commit(&conn).await?;
            tx.commit(&conn).await?;
            assert_eq!(setups.load(Ordering::SeqCst), 1, "the setup runs once");
            assert_eq!((balance(&conn, "ann").await?, balance(&conn, "bob").await?), (120, 102));
            assert_eq!(record_count(&conn).await?, 2);
        }

        /// A setup that added steps and then failed: nothing runs. The steps it
        /// added must not run on a later commit of the same transaction either
        /// (the setup, which ran once, is gone by then).
        async fn steps_added_by_a_failed_setup_never_run(conn, engine) {
            bank(&conn).await?;
            let mut tx = add_to("ann", 10);
            tx.setup(|ctx| Box::pin(async move {
                ctx.step(|c| c.get::<Account>("bob".into()), |b| { b.balance -= 50; Ok(()) });
                ctx.subtransaction(add_to("bob", -25));
                Err("the preconditions do not hold".into())
            }));
            let error = tx.commit(&conn).await.expect_err("the setup failed");
            assert!(matches!(error, Error::StepFailed { step: StepIndex::Setup, .. }), "{error:?}");
            assert_eq!((balance(&conn, "ann").await?, balance(&conn, "bob").await?), (100, 100), "nothing ran");
            assert_eq!(tx.status(), TransactionStatus::Pending);
            assert_eq!(record_count(&conn).await?, 0);

            let _ = tx.commit(&conn).await;
            assert_eq!(balance(&conn, "bob").await?, 100, "the failed setup's step and sub-transaction ran on the second commit");
        }

        /// A setup adds a sub-transaction whose own setup adds a step: it runs
        /// at the sub-transaction's commit, after the parent's steps.
        async fn a_subtransaction_added_by_a_setup_runs_its_own_setup(conn, engine) {
            bank(&conn).await?;
            let mut tx = add_to("ann", 1);
            tx.setup(|ctx| Box::pin(async move {
                let mut sub = Transaction::new(TransactionLog::new(2));
                sub.setup(|inner| Box::pin(async move {
                    // Sees the parent's step, which ran before.
                    let ann = inner.connection().get::<Account>("ann".into()).consistent_read().await?.ok_or("no ann")?;
                    let seen = ann.balance;
                    inner.record_mut().requester_id = seen;
                    inner.step(|c| c.get::<Account>("bob".into()), move |b| { b.balance = seen; Ok(()) });
                    Ok(())
                }));
                ctx.subtransaction(sub);
                Ok(())
            }));
            tx.commit(&conn).await?;
            assert_eq!((balance(&conn, "ann").await?, balance(&conn, "bob").await?), (101, 101));
            let mut requesters: Vec<i64> = conn.scan::<TransactionLog>().consistent_read().map_ok(|r| r.requester_id).try_collect().await?;
            requesters.sort();
            assert_eq!(requesters, [1, 101]);
        }

        /// A setup's `?` on the crate's own error: `Error::StepFailed` at
        /// `Setup`, the crate's error as its source, found by downcasting.
        async fn a_crate_error_in_a_setup_downcasts_from_step_failed(conn, engine) {
            bank(&conn).await?;
            #[derive(Model, Debug, Clone, Default)]
            #[dynamodb(table = "rt_missing_table", hash_key = "id")]
            struct Nowhere {
                id: String,
            }
            let mut tx = add_to("ann", 1);
            tx.setup(|ctx| Box::pin(async move {
                ctx.connection().get::<Nowhere>("x".into()).await?;
                Ok(())
            }));
            let error = tx.commit(&conn).await.expect_err("no such table");
            assert!(matches!(error, Error::StepFailed { step: StepIndex::Setup, .. }), "{error:?}");
            let source = std::error::Error::source(&error).expect("a source");
            let inner = source.downcast_ref::<Error>().expect("the crate's Error");
            assert!(!matches!(inner, Error::StepFailed { .. }), "{inner:?}");
            assert_eq!(balance(&conn, "ann").await?, 100);
        }

        /// A panic in a setup propagates out of `commit` (noted, not a
        /// guarantee); nothing was written.
        async fn a_panicking_setup_propagates_and_writes_nothing(conn, engine) {
            bank(&conn).await?;
            let task_conn = conn.clone();
            let joined = tokio::spawn(async move {
                let mut tx = add_to("ann", 1);
                tx.setup(|_| Box::pin(async move {
                    if ann_is_rich() {
                        panic!("setup bug");
                    }
                    Ok(())
                }));
                tx.commit(&task_conn).await
            })
            .await;
            assert!(joined.expect_err("the panic propagates").is_panic());
            assert_eq!(balance(&conn, "ann").await?, 100);
            assert_eq!(record_count(&conn).await?, 0);
        }
    }
}
