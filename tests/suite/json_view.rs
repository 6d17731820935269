//! The original's `to_json_dict()`: `Model::to_json`.

use crate::common;

use common::models::Everything;
use dynamodb_mapper::Model;
use serde_json::json;

#[test]
fn the_json_view_has_sorted_sets_iso_datetimes_and_json_fields_as_json() {
    let view = Everything::sample("all").to_json().expect("encodable");
    assert_eq!(view["id"], json!("all"));
    assert_eq!(view["words"], json!(["plain", "é"]), "sets as sorted lists");
    assert_eq!(view["numbers"], json!([-1, 0, 7]));
    assert_eq!(
        view["decimals"],
        json!([0.5, 1e125]),
        "numbers sorted by value"
    );
    assert_eq!(view["when"], json!("2012-05-31T12:30:01.000042+00:00"));
    assert_eq!(
        view["legacy_flag"],
        json!(true),
        "bool_as_number is a bool in JSON"
    );
    assert_eq!(
        view["spellbook"],
        json!([{"damage": 10, "elements": ["fire"], "name": "fireball"}]),
        "JSON text as JSON"
    );
    assert_eq!(view["settings"], json!({"volume": 11}));
    assert_eq!(view["spell"]["name"], json!("fireball"));
    assert_eq!(
        view["huge"],
        json!("12345678901234567890123456789012345678"),
        "38 digits stay exact, as text"
    );
    assert_eq!(view["long"], json!(i64::MIN));
    assert_eq!(view["maybe_number"], json!(null));
    assert_eq!(
        view.as_object().map(|o| o.len()),
        Some(Everything::SCHEMA.attributes.len()),
        "every declared attribute"
    );
}

/// A datetime in the JSON view as the original's `to_json_dict()` writes it
/// (`value.astimezone(utc).isoformat()`), and `attribute::isoformat` in any
/// offset, checked against Python itself: seconds since the epoch, microseconds and
/// the offset in seconds drawn at random (the whole range Python holds, and
/// instants with no fraction, which `isoformat` writes without one).
#[test]
fn datetimes_in_the_json_view_are_pythons_isoformat() {
    use chrono::{DateTime, FixedOffset, TimeZone, Utc};
    use dynamodb_mapper::Attribute;
    use proptest::prelude::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, TestRunner};

    // Python's years 1..=9999, and offsets within a day (whole minutes, as
    // Python 2 required, and some with seconds).
    let seconds = -62_135_596_800i64 + 86_400..253_402_300_799 - 86_400;
    let micros = prop_oneof![Just(0u32), 1u32..1_000_000, Just(999_999)];
    let offset = prop_oneof![
        Just(0i32),
        (-1439i32..1440).prop_map(|m| m * 60),
        -86_399i32..86_400
    ];
    let strategy = (seconds, micros, offset);
    let mut runner = TestRunner::new(Config {
        cases: 1,
        ..Config::default()
    });
    let mut cases = Vec::new();
    for _ in 0..400 {
        cases.push(strategy.new_tree(&mut runner).expect("a case").current());
    }
    cases.extend([
        (0, 0, 0),
        (1_338_467_400, 0, 0),
        (1_338_467_400, 42, 3600),
        (-1, 999_999, -19_800),
    ]);

    let script = "import sys\nfrom datetime import datetime, timedelta, timezone\nfor line in sys.stdin:\n    s, us, off = map(int, line.split())\n    tz = timezone(timedelta(seconds=off))\n    local = datetime.fromtimestamp(s, tz).replace(microsecond=us)\n    print(local.isoformat(), local.astimezone(timezone.utc).isoformat())\n";
    let input: String = cases
        .iter()
        .map(|(s, us, off)| format!("{s} {us} {off}\n"))
        .collect();
    let expected = common::python(script, &input);
    assert_eq!(expected.len(), cases.len());

    for ((seconds, micros, offset), python) in cases.iter().zip(&expected) {
        let (in_offset, in_utc) = python.split_once(' ').expect("two columns");
        let utc: DateTime<Utc> = Utc
            .timestamp_opt(*seconds, micros * 1000)
            .single()
            .expect("in range");
        let local = utc.with_timezone(&FixedOffset::east_opt(*offset).expect("an offset"));
        let case = format!("{seconds} {micros} {offset}");
        assert_eq!(
            dynamodb_mapper::attribute::isoformat(&local).expect("in Python's range"),
            in_offset,
            "{case}"
        );
        // The original's `to_json_dict()` writes `value.astimezone(utc).isoformat()`.
        assert_eq!(
            local.to_json().expect("in Python's range"),
            json!(in_utc),
            "{case}"
        );
        assert_eq!(
            utc.to_json().expect("in Python's range"),
            json!(in_utc),
            "{case}"
        );
    }
}
