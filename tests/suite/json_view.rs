//! The original's `to_json_dict()`: `Model::to_json`.

use crate::common;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use common::models::Everything;
use dynamodb_mapper::attribute::{isoformat, ValueErrorKind};
use dynamodb_mapper::Model;
use serde_json::json;
use std::panic::catch_unwind;

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

// isoformat at the edges, against Python.

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
