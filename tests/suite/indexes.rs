//! Secondary indexes, time to live and streams declared on the model, on every engine.

use chrono::{DateTime, Utc};
use dynamodb_mapper::{Attribute, Connection, KeyCondition, Model};
use futures::TryStreamExt;

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(
    table = "scores",
    hash_key = "player",
    range_key = "game",
    global_index(name = "by_game", hash_key = "game", range_key = "score"),
    global_index(name = "by_country", hash_key = "country", projection = "keys_only"),
    local_index(name = "by_date", range_key = "played_at", include = ["score"]),
    ttl = "expires",
    stream = "new_and_old_images"
)]
struct Score {
    player: String,
    game: String,
    score: i64,
    country: String,
    played_at: String,
    #[dynamodb(epoch_seconds)]
    expires: DateTime<Utc>,
}

/// What the keys-only index holds.
#[derive(Attribute, Debug, Clone, PartialEq, Default)]
struct ScoreKeys {
    player: String,
    game: String,
    country: String,
}

fn score(player: &str, game: &str, score: i64, country: &str, day: u32) -> Score {
    Score {
        player: player.into(),
        game: game.into(),
        score,
        country: country.into(),
        played_at: format!("2026-11-{day:02}"),
        expires: "2030-01-01T00:00:00Z".parse().expect("a datetime"),
    }
}

async fn scores(conn: &Connection) -> dynamodb_mapper::Result<()> {
    conn.create_table::<Score>().provisioned(5, 5).await?;
    conn.save_batch(&[
        score("ann", "chess", 1200, "fr", 3),
        score("ann", "go", 900, "fr", 1),
        score("bob", "chess", 1500, "de", 2),
        score("cid", "chess", 800, "fr", 4),
        score("dee", "go", 1000, "de", 5),
    ])
    .await?;
    Ok(())
}

engine_tests! {
    async fn indexes_are_created_with_the_table_and_queried(conn, engine) {
        scores(&conn).await?;
        let described = conn.describe_table::<Score>().await?;
        let mut names = described.indexes.clone();
        names.sort();
        assert_eq!(names, ["by_country", "by_date", "by_game"]);

        let idx = Score::indexes();
        let chess: Vec<String> = conn.query_index(idx.by_game, "chess".to_string()).map_ok(|s| s.player.clone()).try_collect().await?;
        assert_eq!(chess, ["cid", "ann", "bob"], "in score order");
        let top: Vec<i64> = conn
            .query_index(idx.by_game, "chess".to_string())
            .range(KeyCondition::Ge(1000))
            .reverse()
            .map_ok(|s| s.score)
            .try_collect()
            .await?;
        assert_eq!(top, [1500, 1200]);
        let loaded = conn.query_index(idx.by_game, "go".to_string()).try_collect::<Vec<_>>().await?;
        assert_eq!(*loaded[0], score("ann", "go", 900, "fr", 1), "projection ALL decodes the whole model");

        let mut french: Vec<ScoreKeys> = conn.query_index(idx.by_country, "fr".to_string()).project::<ScoreKeys>().try_collect().await?;
        french.sort_by(|a, b| (&a.player, &a.game).cmp(&(&b.player, &b.game)));
        assert_eq!(french.iter().map(|k| (k.player.as_str(), k.game.as_str())).collect::<Vec<_>>(), [("ann", "chess"), ("ann", "go"), ("cid", "chess")]);

        let by_date: Vec<String> = conn.query_index(idx.by_date, "ann".to_string()).map_ok(|s| s.played_at.clone()).try_collect().await?;
        assert_eq!(by_date, ["2026-11-01", "2026-11-03"], "the local index orders by date");

        let scanned = conn.scan::<Score>().index(idx.by_game).try_collect::<Vec<_>>().await?;
        assert_eq!(scanned.len(), 5);
        // A projection type reads only its attributes (a ProjectionExpression).
        let mut keys: Vec<ScoreKeys> = conn.scan::<Score>().project::<ScoreKeys>().try_collect().await?;
        keys.sort_by(|a, b| (&a.player, &a.game).cmp(&(&b.player, &b.game)));
        assert_eq!(keys.len(), 5);
        assert_eq!((keys[0].player.as_str(), keys[0].game.as_str(), keys[0].country.as_str()), ("ann", "chess", "fr"));
    }

    async fn index_queries_page_and_resume(conn, engine) {
        scores(&conn).await?;
        let idx = Score::indexes();
        let first: Vec<_> = conn.query_index(idx.by_game, "chess".to_string()).limit(2).pages().try_collect().await?;
        let seen: Vec<String> = first.iter().flat_map(|p| p.items.iter().map(|s| s.player.clone())).collect();
        assert_eq!(seen, ["cid", "ann"]);
        let cursor = first.last().and_then(|p| p.cursor.clone()).expect("more to come");
        let rest: Vec<String> = conn.query_index(idx.by_game, "chess".to_string()).start_after(cursor).map_ok(|s| s.player.clone()).try_collect().await?;
        assert_eq!(rest, ["bob"]);
    }

    async fn time_to_live_and_streams_are_enabled_on_creation(conn, engine) {
        scores(&conn).await?;
        assert_eq!(conn.time_to_live::<Score>().await?.as_deref(), Some("expires"));
        let described = conn.describe_table::<Score>().await?;
        assert_eq!(described.stream_view.as_deref(), Some("NEW_AND_OLD_IMAGES"));
        let ann = conn.get::<Score>(("ann".into(), "go".into())).await?.expect("saved");
        assert_eq!(ann.stored_item().and_then(|i| i.get("expires")), Some(&dynamodb_mapper::AttributeValue::N("1893456000".into())), "epoch seconds, as TTL reads them");
    }
}
