//! Bad input never panics: arbitrary attribute-value maps fed to every
//! model's decoder give a value or a typed error (100,000 cases), and values
//! DynamoDB cannot take are typed errors before any request, naming the model,
//! attribute and value.

use crate::common;

use common::models::{DoomMap, Everything, Player, Spell};
use dynamodb_mapper::transactions::TransactionLog;
use dynamodb_mapper::{Attribute, AttributeValue, Item, Model};
use proptest::prelude::*;

fn value() -> impl Strategy<Value = AttributeValue> {
    let text = prop_oneof![
        Just(String::new()),
        "[0-9]{1,45}",
        "-?[0-9]{1,3}\\.[0-9]{1,3}[eE][+-]?[0-9]{1,4}",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{8,15}(Z|\\+00:00)?",
        "\\[\\{\"name\": \"[a-z]{0,5}\"\\}\\]",
        ".{0,12}",
    ];
    let leaf = prop_oneof![
        text.clone().prop_map(AttributeValue::S),
        text.clone().prop_map(AttributeValue::N),
        prop::collection::vec(any::<u8>(), 0..4).prop_map(AttributeValue::B),
        any::<bool>().prop_map(AttributeValue::Bool),
        Just(AttributeValue::Null),
        prop::collection::vec(text.clone(), 0..3).prop_map(AttributeValue::Ss),
        prop::collection::vec(text, 0..3).prop_map(AttributeValue::Ns),
        prop::collection::vec(prop::collection::vec(any::<u8>(), 0..3), 0..3)
            .prop_map(AttributeValue::Bs),
    ];
    leaf.prop_recursive(2, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(AttributeValue::L),
            prop::collection::hash_map(name(), inner, 0..3)
                .prop_map(|map| AttributeValue::M(map.into_iter().collect())),
        ]
    })
}

/// Mostly the names the models declare, so decoders get to work on them.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "id",
            "episode",
            "map",
            "name",
            "cheats",
            "login",
            "level",
            "status",
            "tags",
            "small",
            "unsigned",
            "int",
            "long",
            "huge",
            "unsigned_huge",
            "size",
            "single",
            "double",
            "exact",
            "flag",
            "legacy_flag",
            "blob",
            "words",
            "numbers",
            "decimals",
            "blobs",
            "list",
            "nested_lists",
            "ordered_map",
            "spell",
            "spells",
            "spellbook",
            "settings",
            "when",
            "maybe",
            "maybe_number",
            "damage",
            "elements",
            "requester_id",
            "datetime",
        ])
        .prop_map(str::to_owned),
        "[a-z]{1,6}",
    ]
}

/// Both decoded, or both refused with the same error.
fn same_outcome<T, E: std::fmt::Display>(
    borrowed: Result<T, E>,
    owned: Result<T, E>,
) -> Result<(), TestCaseError> {
    match (borrowed, owned) {
        (Ok(_), Ok(_)) => Ok(()),
        (Err(a), Err(b)) => {
            prop_assert_eq!(a.to_string(), b.to_string());
            Ok(())
        }
        (Ok(_), Err(e)) => Err(TestCaseError::fail(format!(
            "only the owned decode failed: {e}"
        ))),
        (Err(e), Ok(_)) => Err(TestCaseError::fail(format!(
            "only the borrowed decode failed: {e}"
        ))),
    }
}

fn item() -> impl Strategy<Value = Item> {
    prop::collection::hash_map(name(), value(), 0..10).prop_map(|map| map.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn decoders_return_a_value_or_a_typed_error(item in item()) {
        // A panic anywhere here fails the property; decoding by reference
        // (as reads do) must agree with decoding the owned item.
        same_outcome(Everything::from_item_ref(&item), Everything::from_item(item.clone()))?;
        same_outcome(DoomMap::from_item_ref(&item), DoomMap::from_item(item.clone()))?;
        same_outcome(Player::from_item_ref(&item), Player::from_item(item.clone()))?;
        same_outcome(TransactionLog::from_item_ref(&item), TransactionLog::from_item(item.clone()))?;
        let map = AttributeValue::M(item.clone());
        same_outcome(Spell::from_attribute_ref(&map), Spell::from_attribute(map.clone()))?;
        let _ = dynamodb_mapper::Document::<Everything>::from_stored(item);
    }
}

#[cfg(feature = "embedded")]
#[tokio::test]
async fn values_dynamodb_refuses_are_typed_errors_before_any_request(
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    use dynamodb_mapper::{Connection, Document, Error};
    use futures::TryStreamExt;
    let conn = Connection::embedded()?;
    conn.create_table::<Everything>().await?;
    conn.create_table::<Player>().await?;
    let attribute_error = |result: Result<(), Error>| match result {
        Err(Error::Attribute(e)) => e.to_string(),
        other => panic!("expected an attribute error, got {other:?}"),
    };
    let message = attribute_error(
        conn.save(Document::new(Everything {
            double: f64::NAN,
            ..Everything::sample("a")
        }))
        .await,
    );
    assert!(
        message.starts_with("Everything.double:") && message.contains("NaN"),
        "{message}"
    );
    let message = attribute_error(
        conn.save(Document::new(Everything {
            huge: i128::MAX,
            ..Everything::sample("a")
        }))
        .await,
    );
    assert!(
        message.starts_with("Everything.huge:")
            && message.contains("170141183460469231731687303715884105727"),
        "{message}"
    );
    let message = attribute_error(
        conn.save(Document::new(Everything {
            exact: "1E+125".parse()?,
            double: 1e300,
            ..Everything::sample("a")
        }))
        .await,
    );
    assert!(
        message.starts_with("Everything.double:") && message.contains("1e300"),
        "{message}"
    );
    let message = attribute_error(conn.save(Document::new(Player::default())).await);
    assert!(
        message.starts_with("Player.login:") && message.contains("empty"),
        "{message}"
    );
    match conn
        .save(Document::new(Player {
            login: "big".into(),
            display_name: "x".repeat(410_000),
            ..Default::default()
        }))
        .await
    {
        Err(Error::ItemTooLarge {
            model: "Player",
            key,
            size,
            ..
        }) => assert!(key.to_string() == "login=\"big\"" && size > 409_600),
        other => panic!("expected ItemTooLarge, got {other:?}"),
    }
    let mut too_many = conn.transact_write();
    for i in 0..101 {
        too_many = too_many.save(conn.save(Document::new(Player {
            login: format!("p{i}"),
            ..Default::default()
        })));
    }
    assert!(matches!(too_many.await, Err(Error::InvalidRequest { .. })));
    assert!(
        conn.scan::<Player>()
            .try_collect::<Vec<_>>()
            .await?
            .is_empty(),
        "nothing was written"
    );
    Ok(())
}
