//! Property tests of composed keys: for any field values (unicode, the
//! template's separators inside strings, negative and large numbers,
//! datetimes in any offset), a rendered key parses back to its fields, and
//! rendered sort keys sort as their fields do (DynamoDB compares keys by
//! their UTF-8 bytes, as `str`'s order does).

use chrono::{DateTime, FixedOffset, Utc};
use dynamodb_mapper::{Attribute, AttributeValue, Model};
use proptest::prelude::*;

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(
    table = "props",
    pk = "P#{name}#{n}",
    sk = "S#{label}/{at}#{big}-{small} {tail}",
    global_index(name = "gsi1", pk = "G#{maybe}.{n}", sk = "{utc}")
)]
struct Keyed {
    name: String,
    n: i64,
    label: String,
    at: DateTime<FixedOffset>,
    big: u64,
    small: i8,
    tail: String,
    maybe: Option<String>,
    utc: DateTime<Utc>,
}

/// Text with the templates' separators, escapes and unicode in it.
fn text() -> impl Strategy<Value = String> {
    prop_oneof!["[#/ .$%0-9a-z\\-]{0,8}", "\\PC{0,6}", "[\\x00-\\x30]{0,4}",]
}

fn instant() -> impl Strategy<Value = DateTime<FixedOffset>> {
    (
        -62_135_596_800i64..253_402_300_799,
        0u32..1_000_000,
        -86_399i32..86_399,
    )
        .prop_map(|(seconds, micros, offset)| {
            let zone = FixedOffset::east_opt(offset).expect("within a day");
            DateTime::from_timestamp(seconds, micros * 1000)
                .expect("in range")
                .with_timezone(&zone)
        })
}

fn sort_key() -> impl Strategy<Value = KeyedSk> {
    (text(), instant(), any::<u64>(), any::<i8>(), text()).prop_map(
        |(label, at, big, small, tail)| KeyedSk {
            label,
            at,
            big,
            small,
            tail,
        },
    )
}

fn rendered(key: &impl Attribute) -> String {
    match key.to_attribute() {
        Ok(AttributeValue::S(text)) => text,
        other => panic!("a composed key renders as text: {other:?}"),
    }
}

proptest! {
    #[test]
    fn keys_parse_back_to_their_fields(name in text(), n: i64, sk in sort_key()) {
        let pk = KeyedPk { name, n };
        for (value, text) in [(&pk as &dyn std::fmt::Debug, rendered(&pk)), (&sk, rendered(&sk))] {
            prop_assert!(!text.is_empty(), "{:?}", value);
        }
        prop_assert_eq!(KeyedPk::from_attribute(AttributeValue::S(rendered(&pk))).unwrap(), pk.clone());
        let back = KeyedSk::from_attribute_ref(&AttributeValue::S(rendered(&sk))).unwrap();
        prop_assert_eq!(&back, &sk);
        // Through the model's item: every composed attribute is there and parses back.
        let model = Keyed { name: pk.name.clone(), n, label: sk.label.clone(), at: sk.at, big: sk.big,
            small: sk.small, tail: sk.tail.clone(), maybe: Some(pk.name.clone()).filter(|s| !s.is_empty()), utc: sk.at.to_utc() };
        let item = model.to_item().unwrap();
        prop_assert_eq!(Keyed::from_item(item.clone()).unwrap(), model.clone());
        prop_assert_eq!(&item["sk"], &AttributeValue::S(rendered(&sk)));
        prop_assert_eq!(&item, &Keyed { ..model }.to_item().unwrap());
        for key in Keyed::SCHEMA.composed {
            // A sparse index key is absent when `maybe` is.
            let Some(stored) = item.get(key.template.attribute) else { continue };
            let fields = (key.parse)(stored).unwrap();
            let again = (key.render)(&fields).unwrap();
            prop_assert_eq!(again.as_ref(), Some(stored));
        }
    }

    #[test]
    fn sort_keys_sort_as_their_fields(a in sort_key(), b in sort_key()) {
        let fields = |k: &KeyedSk| (k.label.clone(), k.at, k.big, k.small, k.tail.clone());
        prop_assert_eq!(rendered(&a).cmp(&rendered(&b)), fields(&a).cmp(&fields(&b)));
    }

    #[test]
    fn same_label_sorts_by_time(label in text(), a in instant(), b in instant()) {
        let key = |at| KeyedSk { label: label.clone(), at, big: 0, small: 0, tail: String::new() };
        prop_assert_eq!(rendered(&key(a)).cmp(&rendered(&key(b))), a.cmp(&b));
    }
}

#[test]
fn a_sparse_index_key_is_left_out() {
    let model = Keyed {
        maybe: None,
        ..Default::default()
    };
    let item = model.to_item().expect("encodes");
    assert!(!item.contains_key("gsi1_pk"));
    assert!(
        item.contains_key("gsi1_sk"),
        "its sort key does not depend on `maybe`"
    );
    assert_eq!(Keyed::from_item(item).expect("decodes"), model);
    // An empty string is not stored (it reads back as `None`): no index key either.
    let empty = Keyed {
        maybe: Some(String::new()),
        ..Default::default()
    };
    assert!(!empty.to_item().expect("encodes").contains_key("gsi1_pk"));
}
