//! Tables from models, table prefixes and the default connection, on every engine.

use crate::common;

use common::models::{DoomMap, Player};
use dynamodb_mapper::engine::request::{Billing, TableStatus};
use dynamodb_mapper::error::EngineErrorKind;
use dynamodb_mapper::{Document, Error};

engine_tests! {
    async fn create_describe_and_delete_a_table(conn, engine) {
        let created = conn.create_table::<DoomMap>().provisioned(10, 5).wait_for_active().await?;
        assert_eq!(created.status, TableStatus::Active);
        assert_eq!(created.name, conn.table_name("doom_map"));
        let described = conn.describe_table::<DoomMap>().await?;
        assert_eq!(described.key_schema, ["episode", "map"]);
        assert_eq!(described.attribute_types.get("episode").map(String::as_str), Some("N"));
        assert_eq!(described.billing, Some(Billing::provisioned(10, 5)));

        conn.create_table::<Player>().on_demand().wait_for_active().await?;
        let players = conn.describe_table::<Player>().await?;
        assert_eq!(players.key_schema, ["login"]);
        assert_eq!(players.attribute_types.get("login").map(String::as_str), Some("S"));
        assert_eq!(players.billing, Some(Billing::OnDemand));

        conn.delete_table::<DoomMap>().await?;
        match conn.describe_table::<DoomMap>().await {
            Err(Error::Engine { operation: "DescribeTable", source, .. }) => assert_eq!(source.kind, EngineErrorKind::ResourceNotFound),
            other => panic!("expected ResourceNotFound, got {other:?}"),
        }
    }

    async fn creating_an_existing_table_is_an_engine_error(conn, engine) {
        conn.create_table::<Player>().wait_for_active().await?;
        match conn.create_table::<Player>().await {
            Err(Error::Engine { operation: "CreateTable", table, source, .. }) => {
                assert_eq!(table, conn.table_name("players"));
                assert_eq!(source.kind, EngineErrorKind::ResourceInUse, "{source}");
            }
            other => panic!("expected ResourceInUse, got {other:?}"),
        }
    }

    async fn operations_on_a_missing_table_name_it(conn, engine) {
        match conn.get::<Player>("x".to_string()).await {
            Err(e @ Error::Engine { .. }) => {
                assert_eq!(e.engine_error().map(|e| e.kind), Some(EngineErrorKind::ResourceNotFound));
                assert!(e.to_string().contains("GetItem") && e.to_string().contains("players"), "{e}");
            }
            other => panic!("expected ResourceNotFound, got {other:?}"),
        }
    }

    async fn table_prefixes_keep_tables_apart(conn, engine) {
        let blue = conn.with_table_prefix(format!("{}blue_", conn.table_name("")));
        let green = conn.with_table_prefix(format!("{}green_", conn.table_name("")));
        blue.create_table::<Player>().wait_for_active().await?;
        green.create_table::<Player>().wait_for_active().await?;
        blue.save(Document::new(Player { login: "ann".into(), level: 1, ..Default::default() })).await?;
        assert!(green.get::<Player>("ann".to_string()).await?.is_none());
        assert_eq!(blue.get::<Player>("ann".to_string()).await?.map(|p| p.level), Some(1));
    }
}

#[cfg(feature = "embedded")]
#[tokio::test]
async fn the_default_connection_serves_code_written_like_the_original(
) -> dynamodb_mapper::Result<()> {
    use dynamodb_mapper::Connection;
    Connection::clear_default();
    assert!(matches!(
        Connection::default_connection(),
        Err(Error::NoDefaultConnection)
    ));
    Connection::set_default(Connection::embedded()?);
    // Anywhere in the process, as the original's ConnectionBorg:
    let conn = Connection::default_connection()?;
    conn.create_table::<Player>().await?;
    conn.save(Document::new(Player {
        login: "borg".into(),
        ..Default::default()
    }))
    .await?;
    let same_engine = Connection::default_connection()?;
    assert!(same_engine
        .get::<Player>("borg".to_string())
        .await?
        .is_some());
    Connection::clear_default();
    Ok(())
}
