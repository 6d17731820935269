//! A write refused by its condition can ask for the stored item
//! (`ReturnValuesOnConditionCheckFailure = ALL_OLD`): every engine gives it
//! back in the error, so a conflict needs no second read.

use dynamodb_mapper::engine::request::{DeleteItemInput, PutItemInput, UpdateItemInput};
use dynamodb_mapper::error::EngineErrorKind;
use dynamodb_mapper::{AttributeValue, Item, Model};

#[derive(Model, Debug, Clone, Default)]
#[dynamodb(table = "refusals", hash_key = "id")]
struct Refusal {
    id: String,
    level: u32,
}

fn stored() -> Item {
    Item::from_iter([
        ("id".to_string(), AttributeValue::S("r1".into())),
        ("level".to_string(), AttributeValue::N("7".into())),
    ])
}

/// The engine error of a refused write, and the item it carries.
fn refused<T: std::fmt::Debug>(
    result: Result<T, dynamodb_mapper::error::EngineError>,
) -> Option<Item> {
    let error = result.expect_err("refused by its condition");
    assert_eq!(
        error.kind,
        EngineErrorKind::ConditionalCheckFailed,
        "{error}"
    );
    error.item.map(|item| *item)
}

crate::engine_tests! {
    async fn a_refused_write_that_asks_carries_the_stored_item(conn, engine) {
        conn.create_table::<Refusal>().await?;
        let table = conn.table_name("refusals");
        crate::common::put_raw(&conn, "refusals", stored()).await?;
        let key = Item::from_iter([("id".to_string(), AttributeValue::S("r1".into()))]);
        let taken = "attribute_not_exists(id)";

        let mut put = PutItemInput::new(table.clone(), stored()).with_condition(taken);
        assert_eq!(refused(conn.engine().send(&put).await), None, "not asked: not given");
        put.return_values_on_condition_check_failure = true;
        assert_eq!(refused(conn.engine().send(&put).await), Some(stored()));

        let mut update = UpdateItemInput::new(table.clone(), key.clone(), "REMOVE #l")
            .with_condition("attribute_not_exists(id)");
        update.placeholders.names.insert("#l".into(), "level".into());
        update.return_values_on_condition_check_failure = true;
        assert_eq!(refused(conn.engine().send(&update).await), Some(stored()));

        let mut delete = DeleteItemInput::new(table.clone(), key.clone()).with_condition(taken);
        delete.return_values_on_condition_check_failure = true;
        assert_eq!(refused(conn.engine().send(&delete).await), Some(stored()));

        // A missing item: refused, and nothing to give.
        let gone = Item::from_iter([("id".to_string(), AttributeValue::S("r2".into()))]);
        let mut delete = DeleteItemInput::new(table, gone).with_condition("attribute_exists(id)");
        delete.return_values_on_condition_check_failure = true;
        assert_eq!(refused(conn.engine().send(&delete).await), None);
    }
}
