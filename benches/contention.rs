//! Requests per committed transfer of application transactions under
//! contention (issue 27): 8 writers moving money between 4 accounts, each
//! transfer a `Transaction` of two steps, on the embedded engine. The same
//! run counts the engine's requests twice: with conflicts carrying the
//! stored item (a conflict's retry needs no read), and with the engine
//! saying it returns none (`without_item_on_condition_failure`: each retry
//! reads the item again, as before). Each answer comes 200 µs after its
//! request is done, the other writers running meanwhile, as over a network.
//! `cargo bench --bench contention`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use dynamodb_mapper::engine::request::{Call, Request, Response};
use dynamodb_mapper::engine::{Capabilities, Engine, EngineFuture, EngineWrapper};
use dynamodb_mapper::transactions::{Transaction, TransactionLog};
use dynamodb_mapper::{Connection, Document, Model};

const WRITERS: usize = 8;
const ACCOUNTS: usize = 4;
const TRANSFERS_PER_WRITER: usize = 100;

#[derive(Model, Debug, Clone, Default)]
#[dynamodb(table = "accounts", hash_key = "id")]
struct Account {
    id: String,
    balance: i64,
}

/// The embedded engine, its requests counted by kind.
#[derive(Debug)]
struct Counted {
    inner: Arc<dyn Engine>,
    capabilities: Capabilities,
    reads: AtomicUsize,
    writes: AtomicUsize,
}

impl EngineWrapper for Counted {
    fn inner(&self) -> &dyn Engine {
        &*self.inner
    }

    fn capabilities(&self) -> Capabilities {
        self.capabilities
    }

    fn exec<'a>(&'a self, request: Request<'_>) -> EngineFuture<'a, Response> {
        let counter = match request.call {
            Call::GetItem(_) => &self.reads,
            _ => &self.writes,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        let answer = self.inner.exec(request);
        // The other writers run while the request is "in flight", as they
        // would during a network round trip.
        Box::pin(async move {
            let answer = answer.await;
            tokio::time::sleep(std::time::Duration::from_micros(200)).await;
            answer
        })
    }
}

/// One transfer of 1 from account `from` to `to`.
async fn transfer(conn: &Connection, from: String, to: String) -> dynamodb_mapper::Result<()> {
    let mut tx = Transaction::new(TransactionLog::new(1));
    tx.transient()
        .step(
            move |c| c.get::<Account>(from.clone()),
            |a: &mut Account| {
                a.balance -= 1;
                Ok(())
            },
        )
        .step(
            move |c| c.get::<Account>(to.clone()),
            |a: &mut Account| {
                a.balance += 1;
                Ok(())
            },
        );
    tx.commit(conn).await.map_err(|e| match e {
        dynamodb_mapper::transactions::TransactionError::Mapper(e) => e,
        other => panic!("{other}"),
    })
}

/// Runs the workload; (requests, reads, committed transfers, total balance).
async fn run(returns: bool) -> dynamodb_mapper::Result<(usize, usize, usize, i64)> {
    let embedded = Connection::embedded()?.shared_engine();
    let mut capabilities = embedded.capabilities();
    if !returns {
        capabilities = capabilities.without_item_on_condition_failure();
    }
    let counted = Arc::new(Counted {
        inner: embedded,
        capabilities,
        reads: AtomicUsize::new(0),
        writes: AtomicUsize::new(0),
    });
    let conn = Connection::from_arc(counted.clone());
    conn.create_table::<Account>().await?;
    for i in 0..ACCOUNTS {
        let account = Account {
            id: format!("a{i}"),
            balance: 1000,
        };
        conn.save(Document::new(account)).await?;
    }
    let (reads0, writes0) = (
        counted.reads.load(Ordering::Relaxed),
        counted.writes.load(Ordering::Relaxed),
    );
    let mut writers: Vec<tokio::task::JoinHandle<dynamodb_mapper::Result<()>>> = Vec::new();
    for w in 0..WRITERS {
        let conn = conn.clone();
        writers.push(tokio::spawn(async move {
            for t in 0..TRANSFERS_PER_WRITER {
                let from = (w + t) % ACCOUNTS;
                let to = (from + 1 + t % (ACCOUNTS - 1)) % ACCOUNTS;
                transfer(&conn, format!("a{from}"), format!("a{to}")).await?;
                tokio::task::yield_now().await;
            }
            Ok(())
        }));
    }
    for writer in writers {
        writer.await.expect("writer")?;
    }
    let reads = counted.reads.load(Ordering::Relaxed) - reads0;
    let writes = counted.writes.load(Ordering::Relaxed) - writes0;
    let mut total = 0;
    for i in 0..ACCOUNTS {
        total += conn
            .get::<Account>(format!("a{i}"))
            .await?
            .map_or(0, |a| a.balance);
    }
    Ok((reads + writes, reads, WRITERS * TRANSFERS_PER_WRITER, total))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> dynamodb_mapper::Result<()> {
    println!("{WRITERS} writers, {ACCOUNTS} accounts, {TRANSFERS_PER_WRITER} transfers each");
    for (label, returns) in [
        ("stored item not returned (before)", false),
        ("stored item returned (after)", true),
    ] {
        let (requests, reads, committed, total) = run(returns).await?;
        assert_eq!(total, 1000 * ACCOUNTS as i64, "money conserved");
        println!(
            "{label}: {requests} requests ({reads} reads) for {committed} transfers: {:.2} requests, {:.2} reads per committed transfer",
            requests as f64 / committed as f64,
            reads as f64 / committed as f64,
        );
    }
    Ok(())
}
