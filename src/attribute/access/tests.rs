//! Every engine's values read alike: copies, sizes and decoders agree with
//! this crate's own form.

use proptest::prelude::*;

use super::*;
use crate::attribute::dynamodb_json::tests::value;
use crate::attribute::{item_size, Attribute};

#[cfg(feature = "aws")]
fn to_sdk(value: &AttributeValue) -> aws_sdk_dynamodb::types::AttributeValue {
    use aws_sdk_dynamodb::primitives::Blob;
    use aws_sdk_dynamodb::types::AttributeValue as Sdk;
    match value {
        AttributeValue::S(v) => Sdk::S(v.clone()),
        AttributeValue::N(v) => Sdk::N(v.clone()),
        AttributeValue::B(v) => Sdk::B(Blob::new(v.clone())),
        AttributeValue::Bool(v) => Sdk::Bool(*v),
        AttributeValue::Null => Sdk::Null(true),
        AttributeValue::Ss(v) => Sdk::Ss(v.clone()),
        AttributeValue::Ns(v) => Sdk::Ns(v.clone()),
        AttributeValue::Bs(v) => Sdk::Bs(v.iter().cloned().map(Blob::new).collect()),
        AttributeValue::L(v) => Sdk::L(v.iter().map(to_sdk).collect()),
        AttributeValue::M(v) => Sdk::M(v.iter().map(|(k, v)| (k.clone(), to_sdk(v))).collect()),
    }
}

#[cfg(feature = "embedded")]
fn to_dx(value: &AttributeValue) -> dynoxide::types::AttributeValue {
    use dynoxide::types::AttributeValue as Dx;
    match value {
        AttributeValue::S(v) => Dx::S(v.clone()),
        AttributeValue::N(v) => Dx::N(v.clone()),
        AttributeValue::B(v) => Dx::B(v.clone()),
        AttributeValue::Bool(v) => Dx::BOOL(*v),
        AttributeValue::Null => Dx::NULL(true),
        AttributeValue::Ss(v) => Dx::SS(v.clone()),
        AttributeValue::Ns(v) => Dx::NS(v.clone()),
        AttributeValue::Bs(v) => Dx::BS(v.clone()),
        AttributeValue::L(v) => Dx::L(v.iter().map(to_dx).collect()),
        AttributeValue::M(v) => Dx::M(v.iter().map(|(k, v)| (k.clone(), to_dx(v))).collect()),
    }
}

/// Decodes `value` as a few field types, errors as text: what every
/// engine's form must agree on.
fn decoded<V: AttributeAccess>(value: &V) -> Vec<String> {
    fn text<T: std::fmt::Debug>(result: Result<T, crate::attribute::ValueError>) -> String {
        match result {
            Ok(value) => format!("{value:?}"),
            Err(error) => format!("error: {error}"),
        }
    }
    vec![
        text(String::from_attribute_ref(value)),
        text(i64::from_attribute_ref(value)),
        text(crate::attribute::Decimal::from_attribute_ref(value)),
        text(bool::from_attribute_ref(value)),
        text(Option::<u8>::from_attribute_ref(value)),
        text(Vec::<Option<String>>::from_attribute_ref(value)),
        // Which entry's error is reported depends on the map's order.
        text(
            std::collections::BTreeMap::<String, i32>::from_attribute_ref(value).map_err(|_| {
                crate::attribute::ValueError::new(crate::attribute::ValueErrorKind::MissingKey)
            }),
        ),
        text(std::collections::BTreeSet::<String>::from_attribute_ref(
            value,
        )),
        text(crate::attribute::Bytes::from_attribute_ref(value)),
        text(crate::attribute::JsonValue::from_attribute_ref(value)),
        text(AttributeValue::from_attribute_ref(value)),
    ]
}

proptest! {
    #[test]
    fn every_engines_values_copy_size_and_decode_alike(
        item in proptest::collection::hash_map("\\PC{0,8}", value(), 0..6)
    ) {
        let item: Item = item.into_iter().collect();
        let value = AttributeValue::M(item.clone());
        let stored = StoredItem::from(item.clone());
        prop_assert_eq!(stored.size(), item_size(&item));
        #[allow(unused_variables)]
        let owned = decoded(&value);
        // The owned path (`from_attribute`) reads as the borrowed one.
        for member in item.values() {
            type Texts = std::collections::BTreeSet<String>;
            type Numbers = std::collections::BTreeSet<crate::attribute::Decimal>;
            type Blobs = std::collections::BTreeSet<crate::attribute::Bytes>;
            prop_assert_eq!(format!("{:?}", Texts::from_attribute(member.clone())), format!("{:?}", Texts::from_attribute_ref(member)));
            prop_assert_eq!(format!("{:?}", Numbers::from_attribute(member.clone())), format!("{:?}", Numbers::from_attribute_ref(member)));
            prop_assert_eq!(format!("{:?}", Blobs::from_attribute(member.clone())), format!("{:?}", Blobs::from_attribute_ref(member)));
        }
        prop_assert_eq!(format!("{:?}", String::from_attribute(value.clone())), format!("{:?}", String::from_attribute_ref(&value)));
        #[cfg(feature = "aws")]
        {
            let sdk = to_sdk(&value);
            prop_assert_eq!(sdk.to_attribute_value(), value.clone());
            prop_assert_eq!(value_size(&sdk), value.size());
            prop_assert_eq!(decoded(&sdk), owned.clone());
            let map = item.iter().map(|(k, v)| (k.clone(), to_sdk(v))).collect();
            let stored = StoredItem::from_aws(map).expect("known types");
            prop_assert_eq!((stored.item(), stored.size(), stored.len()), (&item, item_size(&item), item.len()));
        }
        #[cfg(feature = "embedded")]
        {
            let dx = to_dx(&value);
            prop_assert_eq!(dx.to_attribute_value(), value.clone());
            prop_assert_eq!(value_size(&dx), value.size());
            prop_assert_eq!(decoded(&dx), owned);
            let map = item.iter().map(|(k, v)| (k.clone(), to_dx(v))).collect();
            let stored = StoredItem::from_embedded(map);
            prop_assert_eq!(stored.clone().into_item(), item.clone());
            prop_assert_eq!(stored, StoredItem::from(item));
        }
    }
}

proptest! {
    #[test]
    fn short_plain_numbers_count_their_digits_as_decimals_do(
        text in "-?[0-9]{0,20}(\\.[0-9]{0,20})?|-?[0-9]{1,30}|[+.-]{0,2}[0-9.]{0,4}"
    ) {
        if let Some(digits) = plain_significant_digits(&text) {
            let parsed = crate::attribute::Decimal::parse(&text).expect("a plain decimal parses");
            prop_assert_eq!(digits, parsed.significant_digits());
        }
        prop_assert_eq!(AttributeValue::N(text.clone()).size(), {
            let digits = match crate::attribute::Decimal::parse(&text) {
                Ok(number) => number.significant_digits(),
                Err(_) => text.bytes().filter(u8::is_ascii_digit).count(),
            };
            digits.div_ceil(2) + 1
        });
    }
}

#[test]
fn a_stored_item_selects_and_converts_once() {
    let item = Item::from_iter([
        ("pk".to_owned(), AttributeValue::S("a".into())),
        ("n".to_owned(), AttributeValue::N("1".into())),
    ]);
    let stored = StoredItem::from(item.clone());
    assert_eq!(
        stored.select(&["pk".to_owned(), "gone".to_owned()]).len(),
        1
    );
    assert!(stored.contains("n") && !stored.contains("gone"));
    #[cfg(feature = "embedded")]
    {
        let map = item.iter().map(|(k, v)| (k.clone(), to_dx(v))).collect();
        let stored = StoredItem::from_embedded(map);
        let first: *const Item = stored.item();
        assert_eq!(
            first,
            stored.item() as *const Item,
            "converted once, then kept"
        );
        assert_eq!(stored.item(), &item);
    }
}

#[cfg(feature = "aws")]
#[test]
fn items_nested_beyond_any_dynamodb_item_are_refused_where_they_come_in() {
    use aws_sdk_dynamodb::types::AttributeValue as Sdk;
    let mut deep = Sdk::S("bottom".into());
    for _ in 0..100 {
        deep = Sdk::L(vec![deep]);
    }
    let item = std::collections::HashMap::from([("deep".to_owned(), deep)]);
    let error = StoredItem::from_aws(item).expect_err("100 levels");
    assert!(error.to_string().contains("deep"), "{error}");
    let mut fine = Sdk::S("bottom".into());
    for _ in 0..32 {
        fine = Sdk::M(std::collections::HashMap::from([("m".to_owned(), fine)]));
    }
    let item = std::collections::HashMap::from([("fine".to_owned(), fine)]);
    assert!(StoredItem::from_aws(item).is_ok(), "DynamoDB's 32 levels");
}
