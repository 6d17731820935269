//! `#[dynamodb(serde)]`: types that only derive serde's traits, stored as
//! native DynamoDB values (`M`, `L`, `N`, ...) and read back, on every engine;
//! faults as typed errors naming the model and attribute; a property test of
//! arbitrary values through the item.

use std::collections::BTreeMap;

use dynamodb_mapper::engine::request::GetItemInput;
use dynamodb_mapper::{AttributeValue, Document, Error, Item, Model};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

/// Defined elsewhere, with serde's derives only.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Address {
    street: String,
    zip: u32,
    lines: Vec<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Payment {
    Card { last4: String, expires: (u8, u16) },
    Invoice { days: u32 },
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "customers", hash_key = "id")]
struct Customer {
    id: String,
    #[dynamodb(serde)]
    address: Option<Address>,
    #[dynamodb(serde)]
    payments: Vec<Payment>,
    #[dynamodb(serde)]
    scores: BTreeMap<String, f64>,
    #[dynamodb(serde, sensitive)]
    secret: Option<Address>,
}

fn sample() -> Customer {
    Customer {
        id: "ann".into(),
        address: Some(Address {
            street: "1 Main St".into(),
            zip: 1234,
            lines: vec!["c/o Bob".into(), "".into()],
        }),
        payments: vec![
            Payment::Card {
                last4: "4242".into(),
                expires: (12, 2030),
            },
            Payment::Invoice { days: 30 },
        ],
        scores: BTreeMap::from([("a".into(), 0.1), ("b".into(), -1e120)]),
        secret: None,
    }
}

crate::engine_tests! {
    async fn serde_fields_are_stored_as_native_values_and_read_back(conn, engine) {
        conn.create_table::<Customer>().await?;
        let mut ann = Document::new(sample());
        conn.save(&mut ann).await?;
        let loaded = conn.get::<Customer>("ann".to_string()).await?.expect("saved");
        assert_eq!(*loaded, sample(), "{engine:?}");

        let key = Item::from_iter([("id".to_string(), AttributeValue::S("ann".into()))]);
        let stored = conn
            .engine()
            .send(&GetItemInput::new(conn.table_name("customers"), key))
            .await?
            .item
            .expect("stored")
            .into_item();
        let AttributeValue::M(address) = &stored["address"] else { panic!("{:?}", stored["address"]) };
        assert_eq!(address["zip"], AttributeValue::N("1234".into()));
        assert_eq!(address["lines"], AttributeValue::L(vec![AttributeValue::S("c/o Bob".into()), AttributeValue::S("".into())]));
        let AttributeValue::L(payments) = &stored["payments"] else { panic!() };
        let AttributeValue::M(card) = &payments[0] else { panic!() };
        assert_eq!(card["kind"], AttributeValue::S("card".into()));
        assert_eq!(card["expires"], AttributeValue::L(vec![AttributeValue::N("12".into()), AttributeValue::N("2030".into())]));
        let AttributeValue::M(scores) = &stored["scores"] else { panic!() };
        let AttributeValue::N(b) = &scores["b"] else { panic!() };
        assert_eq!(b.parse::<f64>()?, -1e120, "{b}");
        assert!(!stored.contains_key("secret"), "None is not stored");
    }

    async fn a_stored_value_serde_cannot_read_is_a_typed_error(conn, engine) {
        conn.create_table::<Customer>().await?;
        let mut item = sample().to_item()?;
        let AttributeValue::M(address) = item.get_mut("address").expect("address") else { panic!() };
        address.insert("zip".into(), AttributeValue::S("not a number".into()));
        item.insert("secret".into(), AttributeValue::S("078-05-1120".into()));
        crate::common::put_raw(&conn, "customers", item).await?;
        match conn.get::<Customer>("ann".to_string()).await {
            Err(Error::Attribute(e)) => {
                assert_eq!((e.model, e.attribute.as_str()), ("Customer", "address"), "{engine:?}");
            }
            other => panic!("{engine:?}: {other:?}"),
        }
        let mut item = sample().to_item()?;
        item.insert("secret".into(), AttributeValue::S("078-05-1120".into()));
        crate::common::put_raw(&conn, "customers", item).await?;
        let error = conn.get::<Customer>("ann".to_string()).await.expect_err("a string is no Address");
        assert!(!error.to_string().contains("078-05"), "sensitive: {error}");
        // A number serde cannot read, in a sensitive field: serde's message
        // quotes it, and the error leaves it out.
        let mut item = sample().to_item()?;
        let AttributeValue::M(mut secret) = item["address"].clone() else { panic!() };
        secret.insert("zip".into(), AttributeValue::N("78051120999".into()));
        item.insert("secret".into(), AttributeValue::M(secret));
        crate::common::put_raw(&conn, "customers", item).await?;
        let error = conn.get::<Customer>("ann".to_string()).await.expect_err("no u32");
        assert!(!format!("{error} {error:?}").contains("78051120"), "sensitive: {error:?}");
    }
}

#[test]
fn a_missing_attribute_of_a_type_without_absence_is_a_typed_error() {
    #[derive(Model, Debug, Clone, PartialEq, Default)]
    #[dynamodb(table = "strict", hash_key = "id")]
    struct Strict {
        id: String,
        #[dynamodb(serde)]
        address: Vec<Address>,
        #[dynamodb(serde)]
        required: Required,
    }
    #[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
    struct Required {
        n: u8,
    }
    let item = Item::from_iter([("id".to_string(), AttributeValue::S("x".into()))]);
    match Strict::from_item(item) {
        Err(e) => assert_eq!(e.attribute, "required"),
        Ok(strict) => panic!("{strict:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_serde_values_round_trip(
        street in ".{0,20}",
        zip: u32,
        lines in proptest::collection::vec(".{0,10}", 0..4),
        days: u32,
        scores in proptest::collection::btree_map("[a-z]{1,5}", -1e120f64..1e120, 0..5),
    ) {
        let customer = Customer {
            id: "p".into(),
            address: Some(Address { street, zip, lines }),
            payments: vec![Payment::Invoice { days }],
            scores,
            secret: None,
        };
        let item = customer.to_item().expect("encodes");
        prop_assert_eq!(Customer::from_item(item).expect("decodes"), customer);
    }
}
