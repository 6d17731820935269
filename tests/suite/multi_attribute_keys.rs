//! Multi-attribute index keys: a global index keyed on several typed fields
//! (no composed string), created with the table on every engine, queried by
//! a tuple of its partition attributes and typed sort key conditions (an
//! equality prefix, then one range), paged with cursors; engines without
//! them refuse before sending.

use std::sync::Arc;

use dynamodb_mapper::engine::Capabilities;
use dynamodb_mapper::{Connection, Document, Error, Model};
use futures::{StreamExt, TryStreamExt};

use crate::common::alternator_like::AlternatorLike;

#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(
    table = "tasks",
    hash_key = "id",
    global_index(name = "by_team", hash_key = ["team", "region"], range_key = ["status", "priority", "due"]),
    global_index(name = "by_status", hash_key = "status", range_key = ["priority", "due"])
)]
struct Task {
    id: String,
    team: String,
    region: String,
    status: String,
    priority: u32,
    due: i64,
}

/// Two indexes keying on one attribute name with two types.
#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(
    table = "clashes",
    hash_key = "id",
    global_index(name = "by_rank", hash_key = ["team", "rank"]),
)]
struct Clash {
    id: String,
    team: String,
    rank: u32,
}

#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(
    table = "clashes",
    hash_key = "id",
    global_index(name = "by_rank_name", hash_key = "rank")
)]
struct ClashByName {
    id: String,
    rank: String,
}

fn task(id: &str, team: &str, status: &str, priority: u32, due: i64) -> Task {
    Task {
        id: id.into(),
        team: team.into(),
        region: "eu".into(),
        status: status.into(),
        priority,
        due,
    }
}

async fn tasks(conn: &Connection) -> Result<(), Error> {
    conn.create_table::<Task>().await?;
    for t in [
        task("t1", "core", "open", 2, 30),
        task("t2", "core", "open", 10, 10),
        task("t3", "core", "open", 2, 10),
        task("t4", "core", "done", 1, 5),
        task("t5", "web", "open", 1, 1),
        task("t6", "core", "opening", 1, 1),
    ] {
        conn.save(Document::new(t)).await?;
    }
    Ok(())
}

fn ids(found: &[Document<Task>]) -> Vec<&str> {
    found.iter().map(|t| t.id.as_str()).collect()
}

fn core() -> (String, String) {
    ("core".to_string(), "eu".to_string())
}

crate::engine_tests! {
    async fn a_multi_attribute_index_orders_by_each_attribute_by_its_type(conn, engine) {
        tasks(&conn).await?;
        let described = conn.describe_table::<Task>().await?;
        assert!(described.indexes.contains(&"by_team".to_string()), "{:?}", described.indexes);
        let all: Vec<_> = conn.query_index(Task::indexes().by_team, core()).try_collect().await?;
        // status, then priority as a number (2 before 10), then due.
        assert_eq!(ids(&all), ["t4", "t3", "t1", "t2", "t6"]);
        let reversed: Vec<_> = conn.query_index(Task::indexes().by_team, core()).reverse().try_collect().await?;
        assert_eq!(ids(&reversed), ["t6", "t2", "t1", "t3", "t4"]);
    }

    async fn sort_conditions_take_an_equality_prefix_then_one_range(conn, engine) {
        tasks(&conn).await?;
        let open = || conn.query_index(Task::indexes().by_team, core());
        let found: Vec<_> = open().sort(|k| k.eq("open".into())).try_collect().await?;
        assert_eq!(ids(&found), ["t3", "t1", "t2"], "`open`, not `opening`");
        let found: Vec<_> = open().sort(|k| k.eq("open".into()).le(2)).try_collect().await?;
        assert_eq!(ids(&found), ["t3", "t1"]);
        let found: Vec<_> = open().sort(|k| k.eq("open".into()).eq(2).gt(10)).try_collect().await?;
        assert_eq!(ids(&found), ["t1"]);
        let found: Vec<_> = open().sort(|k| k.eq("open".into()).eq(2).eq(10)).try_collect().await?;
        assert_eq!(ids(&found), ["t3"]);
        let found: Vec<_> = open().sort(|k| k.eq("open".into()).between(2, 10)).try_collect().await?;
        assert_eq!(ids(&found), ["t3", "t1", "t2"]);
        let found: Vec<_> = open().sort(|k| k.begins_with("open".into())).try_collect().await?;
        assert_eq!(ids(&found), ["t3", "t1", "t2", "t6"]);
        let found: Vec<_> = open().sort(|k| k.gt("done".into())).try_collect().await?;
        assert_eq!(ids(&found), ["t3", "t1", "t2", "t6"]);
        // One partition attribute, a sort key of two.
        let found: Vec<_> = conn
            .query_index(Task::indexes().by_status, "open".to_string())
            .sort(|k| k.eq(1))
            .try_collect()
            .await?;
        assert_eq!(ids(&found), ["t5"]);
    }

    async fn every_partition_attribute_selects(conn, engine) {
        tasks(&conn).await?;
        let web: Vec<_> = conn.query_index(Task::indexes().by_team, ("web".to_string(), "eu".to_string())).try_collect().await?;
        assert_eq!(ids(&web), ["t5"]);
        let elsewhere: Vec<_> = conn.query_index(Task::indexes().by_team, ("core".to_string(), "us".to_string())).try_collect().await?;
        assert!(elsewhere.is_empty());
        // An empty key value is refused before sending, naming the attribute.
        let empty = conn.query_index(Task::indexes().by_team, ("core".to_string(), String::new())).try_collect::<Vec<_>>().await;
        match empty {
            Err(Error::Attribute(error)) => assert_eq!(error.attribute, "region"),
            other => panic!("an empty key value is refused, got {other:?}"),
        }
        let empty = conn.query_index(Task::indexes().by_team, core()).sort(|k| k.eq(String::new())).try_collect::<Vec<_>>().await;
        assert!(matches!(empty, Err(Error::Attribute(ref e)) if e.attribute == "status"), "{empty:?}");
        // A filter on a key attribute is refused on every engine alike.
        let filtered = conn.query_index(Task::indexes().by_team, core()).filter(Task::fields().priority.gt(1u32)).try_collect::<Vec<_>>().await;
        assert!(matches!(filtered, Err(Error::InvalidRequest { ref reason, .. }) if reason.contains("priority")), "{filtered:?}");
    }

    async fn an_item_without_every_key_attribute_is_not_in_the_index(conn, engine) {
        tasks(&conn).await?;
        // An empty string is stored as no attribute: no region, no entry.
        let mut homeless = task("t7", "core", "open", 3, 3);
        homeless.region = String::new();
        conn.save(Document::new(homeless)).await?;
        let all: Vec<_> = conn.query_index(Task::indexes().by_team, core()).try_collect().await?;
        assert!(!ids(&all).contains(&"t7"));
        assert!(conn.get::<Task>("t7".into()).await?.is_some());
    }

    async fn pages_resume_after_a_multi_attribute_key(conn, engine) {
        tasks(&conn).await?;
        let mut seen = Vec::new();
        let mut cursor = None;
        for _ in 0..10 {
            let mut query = conn.query_index(Task::indexes().by_team, core()).page_size(2);
            if let Some(cursor) = cursor.take() {
                query = query.start_after(cursor);
            }
            let page = query.pages().next().await.expect("a page")?;
            seen.extend(page.items.iter().map(|t| t.id.clone()));
            match page.cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, ["t4", "t3", "t1", "t2", "t6"]);
    }

    async fn handles_and_definitions_that_disagree_are_refused(conn, engine) {
        tasks(&conn).await?;
        // A handle built by hand with fewer partition values than the index has.
        let by_hand = dynamodb_mapper::model::Index::<Task, String, dynamodb_mapper::model::NoRangeKey>::new("by_team");
        let refused = conn.query_index(by_hand, "core".to_string()).try_collect::<Vec<_>>().await;
        assert!(matches!(refused, Err(Error::InvalidRequest { ref reason, .. }) if reason.contains("partition key attributes")), "{refused:?}");
        let unknown = dynamodb_mapper::model::Index::<Task, String, dynamodb_mapper::model::NoRangeKey>::new("nope");
        let refused = conn.query_index(unknown, "core".to_string()).try_collect::<Vec<_>>().await;
        assert!(matches!(refused, Err(Error::InvalidRequest { ref reason, .. }) if reason.contains("no index")), "{refused:?}");
        // One attribute name, two types across the indexes of one table.
        let clash = conn.create_table::<Clash>().with_indexes_of::<ClashByName>().await;
        assert!(matches!(clash, Err(Error::InvalidRequest { ref reason, .. }) if reason.contains("`rank`")), "{clash:?}");
    }

    async fn an_engine_without_them_refuses_before_sending(conn, engine) {
        let without = Capabilities::DYNAMODB.without_multi_attribute_index_keys();
        let wrapper = Arc::new(AlternatorLike::new(conn.shared_engine(), without));
        let limited = Connection::from_arc(wrapper).with_table_prefix(conn.table_name(""));
        let created = limited.create_table::<Task>().await;
        assert!(matches!(created, Err(Error::Unsupported { .. })), "{created:?}");
        let queried = limited.query_index(Task::indexes().by_team, core()).try_collect::<Vec<_>>().await;
        assert!(matches!(queried, Err(Error::Unsupported { .. })), "{queried:?}");
        assert!(conn.describe_table::<Task>().await.is_err(), "no table was created");
    }
}
