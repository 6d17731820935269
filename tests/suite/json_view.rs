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
