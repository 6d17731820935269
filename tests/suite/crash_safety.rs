//! Nothing is lost on a crash of the embedded file engine: a child process
//! saves items and prints each key once its save has returned; the test kills
//! it with SIGKILL at a random moment, 20 times over. After each kill the
//! database opens cleanly and every printed key is there with its content.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dynamodb_mapper::{Connection, Document, Model};

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "journal", hash_key = "id")]
struct Entry {
    id: u64,
    body: String,
    checksum: u64,
}

fn entry(id: u64) -> Entry {
    let body = format!("entry {id} ").repeat(20);
    Entry {
        id,
        checksum: body.bytes().map(u64::from).sum(),
        body,
    }
}

const CHILD: &str = "DYNAMODB_MAPPER_CRASH_CHILD";

/// The child: saves entries forever from the id in `CHILD`, printing each id
/// after its save returned.
#[tokio::test]
#[ignore = "the child process of every_acknowledged_save_survives_sigkill, which starts it"]
async fn child_writer() -> dynamodb_mapper::Result<()> {
    let spec = std::env::var(CHILD).expect("started by every_acknowledged_save_survives_sigkill");
    let (path, first) = spec.split_once('|').expect("path|first id");
    let conn = Connection::embedded_file(path)?;
    if conn.describe_table::<Entry>().await.is_err() {
        conn.create_table::<Entry>().await?;
    }
    let mut id: u64 = first.parse().expect("a number");
    loop {
        conn.save(Document::new(entry(id))).await?;
        println!("saved {id}");
        id += 1;
    }
}

#[test]
fn every_acknowledged_save_survives_sigkill() {
    let dir = std::env::temp_dir().join(format!("dynamodb-mapper-crash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let path = dir.join("journal.db");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let mut acknowledged: Vec<u64> = Vec::new();
    let mut next = 0u64;
    for round in 0..20 {
        let mut child = Command::new(std::env::current_exe().expect("this test binary"))
            .args([
                crate::common::test_path(module_path!(), "child_writer").as_str(),
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, format!("{}|{next}", path.display()))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the child starts");
        let stdout = child.stdout.take().expect("piped");
        // Kill after a random number of acknowledged saves (1..=200), or 10 s.
        let kill_after = fastrand::usize(1..=200);
        let started = Instant::now();
        let mut lines = BufReader::new(stdout).lines();
        let mut seen = 0;
        while let Some(Ok(line)) = lines.next() {
            if let Some(id) = line.strip_prefix("saved ") {
                acknowledged.push(id.parse().expect("an id"));
                seen += 1;
            }
            if seen >= kill_after || started.elapsed() > Duration::from_secs(10) {
                break;
            }
        }
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        // Lines written before the kill but not read yet were acknowledged too.
        for line in lines.map_while(Result::ok) {
            if let Some(id) = line.strip_prefix("saved ") {
                acknowledged.push(id.parse().expect("an id"));
            }
        }
        assert!(seen > 0, "round {round}: the child saved nothing");
        next = acknowledged.iter().max().map_or(0, |m| m + 1);
        runtime.block_on(async {
            let conn = Connection::embedded_file(&path).expect("the database opens after a kill");
            for id in &acknowledged {
                let stored = conn
                    .get::<Entry>(*id)
                    .consistent_read()
                    .await
                    .expect("readable");
                assert_eq!(
                    stored.as_deref(),
                    Some(&entry(*id)),
                    "round {round}: acknowledged entry {id} lost or torn"
                );
            }
        });
    }
    println!(
        "survived 20 kills with {} acknowledged saves intact",
        acknowledged.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
