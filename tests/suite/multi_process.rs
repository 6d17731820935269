//! No lost updates across processes: two processes share one embedded
//! database file and each increments one counter with load + change + save
//! and conflict detection; every increment is kept.

use std::process::{Command, Stdio};

use dynamodb_mapper::{Connection, Document, Model};

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "counters", hash_key = "id")]
struct Counter {
    id: String,
    value: u64,
}

const CHILD: &str = "DYNAMODB_MAPPER_INCREMENT_CHILD";

fn increments() -> u64 {
    if std::env::var("DYNAMODB_MAPPER_FULL_RELIABILITY").is_ok_and(|v| v == "1") {
        1000
    } else {
        200
    }
}

/// One of the incrementing processes.
#[tokio::test]
#[ignore = "a child process of two_processes_lose_no_update, which starts it"]
async fn incrementing_child() -> dynamodb_mapper::Result<()> {
    let path = std::env::var(CHILD).expect("started by two_processes_lose_no_update");
    let conn = Connection::embedded_file(&path)?;
    let mut conflicts = 0u64;
    for _ in 0..increments() {
        loop {
            let mut counter = conn
                .get::<Counter>("shared".into())
                .consistent_read()
                .await?
                .expect("created by the parent");
            counter.value += 1;
            match conn.save(&mut counter).raise_on_conflict().await {
                Err(e) if e.is_conflict() => conflicts += 1,
                other => break other?,
            }
        }
    }
    println!("conflicts {conflicts}");
    Ok(())
}

#[tokio::test]
async fn two_processes_lose_no_update() -> dynamodb_mapper::Result<()> {
    let dir =
        std::env::temp_dir().join(format!("dynamodb-mapper-processes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let path = dir.join("shared.db");
    {
        let conn = Connection::embedded_file(&path)?;
        conn.create_table::<Counter>().await?;
        conn.save(Document::new(Counter {
            id: "shared".into(),
            value: 0,
        }))
        .await?;
    }
    let children: Vec<_> = (0..2)
        .map(|_| {
            Command::new(std::env::current_exe().expect("this test binary"))
                .args([
                    crate::common::test_path(module_path!(), "incrementing_child").as_str(),
                    "--exact",
                    "--ignored",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env(CHILD, &path)
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .expect("a child starts")
        })
        .collect();
    let mut conflicts = Vec::new();
    for child in children {
        let output = child.wait_with_output().expect("the child ran");
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(output.status.success(), "a child failed:\n{text}");
        // libtest prints a test's output after its "test name ... " prefix.
        conflicts.extend(
            text.lines()
                .filter_map(|l| l.split("conflicts ").nth(1))
                .map(str::to_owned),
        );
    }
    let conn = Connection::embedded_file(&path)?;
    let value = conn
        .get::<Counter>("shared".into())
        .consistent_read()
        .await?
        .expect("saved")
        .value;
    println!(
        "2 processes x {} increments kept {value}, conflicts retried {conflicts:?}",
        increments()
    );
    assert_eq!(value, 2 * increments());
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
