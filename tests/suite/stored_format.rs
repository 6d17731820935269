//! The stored representation: every type round-trips, and items look exactly
//! as the original Python library stores them, on every engine.

use crate::common;

use std::collections::BTreeMap;

use common::models::{Everything, Spell};
use dynamodb_mapper::attribute::ValueErrorKind;
use dynamodb_mapper::{AttributeValue, Decimal, Document, Error, Item, Json, Model};

fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.into())
}

fn n(text: &str) -> AttributeValue {
    AttributeValue::N(text.into())
}

/// Every field at its neutral value.
fn zeroes(id: &str) -> Everything {
    Everything {
        id: id.into(),
        small: 0,
        unsigned: 0,
        int: 0,
        long: 0,
        huge: 0,
        unsigned_huge: 0,
        size: 0,
        single: 0.0,
        double: 0.0,
        exact: Decimal::ZERO,
        flag: false,
        legacy_flag: false,
        blob: Default::default(),
        words: Default::default(),
        numbers: Default::default(),
        decimals: Default::default(),
        blobs: Default::default(),
        list: vec![],
        nested_lists: vec![],
        map: Default::default(),
        ordered_map: Default::default(),
        spell: Spell::default(),
        spells: vec![],
        spellbook: vec![],
        settings: Json(BTreeMap::new()),
        when: "2020-01-01T00:00:00Z".parse().unwrap(),
        maybe: None,
        maybe_number: None,
    }
}

engine_tests! {
    async fn every_type_round_trips(conn, engine) {
        conn.create_table::<Everything>().wait_for_active().await?;
        let original = Everything::sample("all");
        conn.save(Document::new(original.clone())).await?;
        let loaded = conn.get::<Everything>("all".to_string()).await?.expect("saved");
        assert_eq!(*loaded, original);
    }

    async fn items_are_stored_as_the_original_library_stores_them(conn, engine) {
        conn.create_table::<Everything>().wait_for_active().await?;
        conn.save(Document::new(Everything::sample("all"))).await?;
        let loaded = conn.get::<Everything>("all".to_string()).await?.expect("saved");
        let item = loaded.stored_item().expect("loaded");
        assert_eq!(item["legacy_flag"], n("1"), "bool_as_number is the original's 0/1");
        assert_eq!(item["flag"], AttributeValue::Bool(true));
        assert_eq!(item["spellbook"], s(r#"[{"damage": 10, "elements": ["fire"], "name": "fireball"}]"#));
        assert_eq!(item["settings"], s(r#"{"volume": 11}"#));
        assert_eq!(item["when"], s("2012-05-31T12:30:01.000042+00:00"));
        assert_eq!(item["words"], AttributeValue::Ss(vec!["plain".into(), "é".into()]));
        assert_eq!(item["blob"], AttributeValue::B(vec![0, 1, 2, 255]));
        assert!(matches!(&item["spell"], AttributeValue::M(m) if m["damage"] == n("10")));
        assert!(!item.contains_key("maybe_number"), "None is an absent attribute");
        let exact = match &item["exact"] { AttributeValue::N(text) => Decimal::parse(text)?, other => panic!("{other:?}") };
        assert_eq!(exact, "-1E-130".parse::<Decimal>()?);
    }

    async fn empty_values_are_absent_and_zero_values_are_stored(conn, engine) {
        conn.create_table::<Everything>().wait_for_active().await?;
        let original = zeroes("zero");
        conn.save(Document::new(original.clone())).await?;
        let loaded = conn.get::<Everything>("zero".to_string()).await?.expect("saved");
        let item = loaded.stored_item().expect("loaded");
        for absent in ["blob", "words", "numbers", "decimals", "blobs", "list", "nested_lists", "map", "ordered_map", "spells", "spellbook", "settings", "maybe", "maybe_number"] {
            assert!(!item.contains_key(absent), "{absent} should be absent: {:?}", item.get(absent));
        }
        for (present, value) in [("small", n("0")), ("double", n("0")), ("flag", AttributeValue::Bool(false)), ("legacy_flag", n("0"))] {
            assert_eq!(item.get(present), Some(&value), "{present}");
        }
        assert_eq!(*loaded, original, "empty values read back empty");
    }

    async fn missing_attributes_read_as_neutral_values(conn, engine) {
        conn.create_table::<Everything>().wait_for_active().await?;
        common::put_raw(&conn, "everything", Item::from_iter([("id".to_string(), s("bare"))])).await?;
        let before = chrono::Utc::now();
        let loaded = conn.get::<Everything>("bare".to_string()).await?.expect("stored");
        let expected = Everything { when: loaded.when, ..zeroes("bare") };
        assert_eq!(*loaded, expected);
        assert!(loaded.when >= before - chrono::Duration::seconds(1), "a missing datetime reads as now, as in the original");
    }

    async fn the_original_forms_read_back(conn, engine) {
        conn.create_table::<Everything>().wait_for_active().await?;
        common::put_raw(&conn, "everything", Item::from_iter([
            ("id".to_string(), s("py")),
            ("flag".to_string(), n("1")),
            ("legacy_flag".to_string(), n("0")),
            ("when".to_string(), s("2012-05-31T12:30:01.000042Z")),
            ("spellbook".to_string(), s("[]")),
            ("settings".to_string(), s(r#"{"a": [1, 2.5, "\u00e9"]}"#)),
        ])).await?;
        let loaded = conn.get::<Everything>("py".to_string()).await?.expect("stored");
        assert!(loaded.flag, "a native bool field also reads the original's 0/1");
        assert!(!loaded.legacy_flag);
        assert_eq!(loaded.when, "2012-05-31T12:30:01.000042+00:00".parse::<chrono::DateTime<chrono::Utc>>()?);
        assert!(loaded.spellbook.is_empty());
        assert_eq!(loaded.settings["a"], serde_json::json!([1, 2.5, "é"]));
    }

    async fn numbers_keep_all_38_digits(conn, engine) {
        #[derive(Model, Debug, Clone, PartialEq)]
        #[dynamodb(table = "numbers", hash_key = "id")]
        struct Numbers {
            id: Decimal,
            values: Vec<Decimal>,
        }
        conn.create_table::<Numbers>().wait_for_active().await?;
        let values: Vec<Decimal> = ["12345678901234567890123456789012345678", "1E+125", "-1E-130", "9.9999999999999999999999999999999999999E+125", "0.1"]
            .iter()
            .map(|t| t.parse())
            .collect::<Result<_, _>>()?;
        let id: Decimal = "-0.00000000000000000000000000000000000001".parse()?;
        conn.save(Document::new(Numbers { id, values: values.clone() })).await?;
        let loaded = conn.get::<Numbers>(id).await?.expect("saved");
        assert_eq!(loaded.values, values);
        assert_eq!(loaded.id, id);
    }

    async fn a_wrongly_typed_stored_attribute_is_a_typed_error(conn, engine) {
        conn.create_table::<Everything>().wait_for_active().await?;
        common::put_raw(&conn, "everything", Item::from_iter([("id".to_string(), s("bad")), ("long".to_string(), s("not a number"))])).await?;
        match conn.get::<Everything>("bad".to_string()).await {
            Err(Error::Attribute(e)) => {
                assert_eq!((e.model, e.attribute.as_str()), ("Everything", "long"));
                assert!(matches!(e.source.kind(), ValueErrorKind::TypeMismatch { expected: "N", found: "S", .. }), "{e}");
                assert!(e.to_string().contains("not a number"), "the message shows the value: {e}");
            }
            other => panic!("expected an attribute error, got {other:?}"),
        }
        let spell = |damage: AttributeValue| AttributeValue::M(Item::from_iter([("damage".to_string(), damage)]));
        common::put_raw(&conn, "everything", Item::from_iter([
            ("id".to_string(), s("nested")),
            ("spells".to_string(), AttributeValue::L(vec![spell(n("1")), spell(AttributeValue::Bool(true))])),
        ])).await?;
        match conn.get::<Everything>("nested".to_string()).await {
            Err(Error::Attribute(e)) => assert_eq!(e.attribute, "spells[1].damage", "{e}"),
            other => panic!("expected an attribute error, got {other:?}"),
        }
        common::put_raw(&conn, "everything", Item::from_iter([("id".to_string(), s("small")), ("small".to_string(), n("300"))])).await?;
        match conn.get::<Everything>("small".to_string()).await {
            Err(Error::Attribute(e)) => assert!(matches!(e.source.kind(), ValueErrorKind::NumberOutOfRange { target: "i8", .. }), "{e}"),
            other => panic!("expected an attribute error, got {other:?}"),
        }
    }

    async fn values_dynamodb_cannot_store_are_refused_before_sending(conn, engine) {
        conn.create_table::<Everything>().wait_for_active().await?;
        let mut nan = Document::new(Everything { double: f64::NAN, ..Everything::sample("nan") });
        match conn.save(&mut nan).await {
            Err(Error::Attribute(e)) => assert_eq!((e.model, e.attribute.as_str()), ("Everything", "double")),
            other => panic!("expected an attribute error, got {other:?}"),
        }
        let mut too_many_digits = Document::new(Everything { unsigned_huge: u128::MAX, ..Everything::sample("big") });
        match conn.save(&mut too_many_digits).await {
            Err(Error::Attribute(e)) => {
                assert_eq!(e.attribute, "unsigned_huge");
                assert!(e.to_string().contains("340282366920938463463374607431768211455"), "{e}");
            }
            other => panic!("expected an attribute error, got {other:?}"),
        }
        let mut out_of_range = Document::new(Everything { double: 1e300, ..Everything::sample("range") });
        assert!(matches!(conn.save(&mut out_of_range).await, Err(Error::Attribute(_))));
        assert!(conn.get::<Everything>("nan".to_string()).await?.is_none(), "nothing was written");
    }
}
