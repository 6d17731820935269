//! Typed conditions beyond comparisons: size, attribute_type, nested paths,
//! and conditions on save and delete, on every engine.

use crate::common;

use common::models::Everything;
use dynamodb_mapper::error::ConflictKind;
use dynamodb_mapper::expression::AttributeType;
use dynamodb_mapper::{Connection, Error};
use futures::TryStreamExt;

async fn two(conn: &Connection) -> dynamodb_mapper::Result<()> {
    conn.create_table::<Everything>().await?;
    let mut small = Everything::sample("small");
    small.list = vec![1];
    small.spell.name = "spark".into();
    small.spells[0].damage = 1;
    conn.save_batch(&[Everything::sample("big"), small]).await?;
    Ok(())
}

async fn ids(
    conn: &Connection,
    filter: dynamodb_mapper::Condition,
) -> dynamodb_mapper::Result<Vec<String>> {
    let mut ids: Vec<String> = conn
        .scan::<Everything>()
        .filter(filter)
        .map_ok(|e| e.id.clone())
        .try_collect()
        .await?;
    ids.sort();
    Ok(ids)
}

engine_tests! {
    async fn size_type_and_nested_paths(conn, engine) {
        two(&conn).await?;
        let f = Everything::fields();
        assert_eq!(ids(&conn, f.list.size().gt(2)).await?, ["big"]);
        assert_eq!(ids(&conn, f.list.size().eq(1)).await?, ["small"]);
        assert_eq!(ids(&conn, f.words.size().ge(2)).await?, ["big", "small"]);
        assert_eq!(ids(&conn, f.legacy_flag.has_type(AttributeType::Number)).await?, ["big", "small"]);
        assert_eq!(ids(&conn, f.flag.has_type(AttributeType::Bool)).await?, ["big", "small"]);
        assert_eq!(ids(&conn, f.spellbook.has_type(AttributeType::String)).await?, ["big", "small"], "JSON text is a string");
        assert_eq!(ids(&conn, f.spell.key("name").eq("spark".to_string())).await?, ["small"]);
        assert_eq!(ids(&conn, f.spells.index(0).key("damage").gt(5)).await?, ["big"]);
        assert_eq!(ids(&conn, f.spells.index(5).exists()).await?, Vec::<String>::new());
        assert_eq!(ids(&conn, f.map.key("half").exists().and(f.list.size().gt(2).not())).await?, ["small"]);
        assert_eq!(ids(&conn, f.id.eq("big").or(f.spell.key("name").begins_with("spa".to_string()))).await?, ["big", "small"]);
    }

    async fn saves_and_deletes_take_a_condition(conn, engine) {
        two(&conn).await?;
        let f = Everything::fields();
        let mut big = conn.get::<Everything>("big".into()).await?.expect("saved");
        big.long = 1;
        match conn.save(&mut big).condition(f.list.size().lt(2)).await {
            Err(Error::Conflict(c)) => assert_eq!(c.kind, ConflictKind::ConditionFailed),
            other => panic!("expected a failed condition, got {other:?}"),
        }
        conn.save(&mut big).condition(f.list.size().gt(2)).await?;
        match conn.delete(&mut big).condition(f.long.ne(1i64)).await {
            Err(Error::Conflict(c)) => assert_eq!(c.kind, ConflictKind::ConditionFailed),
            other => panic!("expected a failed condition, got {other:?}"),
        }
        conn.delete(&mut big).condition(f.long.eq(1i64)).raise_on_conflict().await?;
        assert!(conn.get::<Everything>("big".into()).await?.is_none());
    }
}
