//! Exactly once, or told: every kind of write x every way of losing its
//! answer, through a TCP proxy between the AWS SDK and a real server
//! (dynoxide's HTTP server, moto). The proxy forwards the write, so the
//! server has applied it, then loses the answer. Afterwards the test counts
//! what the server holds: no write is applied twice, none acknowledged and
//! missing, no false conflict, no call outlives its timeout; a typed
//! `OutcomeUnknown` only where the mapper cannot know.
//!
//! Each test prints its rows of the table in RELIABILITY.md
//! (`cargo test --test reliability -- --nocapture`).

use crate::common;

use std::time::Duration;

use common::models::Account;
use common::proxy::{Fault, FaultProxy};
use common::EngineKind;
use dynamodb_mapper::error::Unfinished;
use dynamodb_mapper::{Connection, Document, Error, Model};
use futures::TryStreamExt;

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "notes", hash_key = "id")]
struct Note {
    id: String,
    text: String,
    #[dynamodb(version)]
    version: u64,
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "tickets", hash_key = "id")]
struct Ticket {
    #[dynamodb(auto_increment)]
    id: i64,
    title: String,
}

/// A server, a connection straight to it, and one through the fault proxy.
struct Rig {
    direct: Connection,
    faulty: Connection,
    proxy: FaultProxy,
}

async fn rig(kind: EngineKind) -> Rig {
    let (direct, faulty, proxy) = common::proxy::behind_proxy(kind).await;
    direct.create_table::<Account>().await.expect("accounts");
    direct.create_table::<Note>().await.expect("notes");
    direct.create_table::<Ticket>().await.expect("tickets");
    Rig {
        direct,
        faulty,
        proxy,
    }
}

/// How a write ended, as its caller saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ended {
    Ok,
    OutcomeUnknown,
    Conflict,
    OtherError,
}

fn ended<T>(result: &Result<T, Error>) -> Ended {
    match result {
        Ok(_) => Ended::Ok,
        Err(e) if e.is_outcome_unknown() => Ended::OutcomeUnknown,
        Err(e) if e.is_conflict() => Ended::Conflict,
        Err(_) => Ended::OtherError,
    }
}

/// The kinds of write under test, and the request each one's fault hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Write {
    Save,
    SaveNewChecked,
    SaveLoadedChecked,
    VersionedSave,
    AutoIncrementPut,
    AutoIncrementCounter,
    CheckedDelete,
    UpdateAdd,
    UpdateAddExactlyOnce,
    UpdateSet,
    SaveBatch,
    Transaction,
}

impl Write {
    fn operation(self) -> &'static str {
        match self {
            Write::Save | Write::SaveNewChecked | Write::AutoIncrementPut => "PutItem",
            // A loaded object is written as an update of its attributes,
            // which keeps what another program added since the load.
            Write::SaveLoadedChecked | Write::VersionedSave => "UpdateItem",
            Write::AutoIncrementCounter | Write::UpdateAdd | Write::UpdateSet => "UpdateItem",
            Write::CheckedDelete => "DeleteItem",
            Write::SaveBatch => "BatchWriteItem",
            Write::UpdateAddExactlyOnce | Write::Transaction => "TransactWriteItems",
        }
    }

    /// What the caller may be told: only an ADD without exactly-once mode
    /// cannot be resolved.
    fn allowed(self) -> &'static [Ended] {
        match self {
            Write::UpdateAdd => &[Ended::OutcomeUnknown],
            _ => &[Ended::Ok],
        }
    }
}

/// Runs `write` with `fault` on its request; returns how it ended and how
/// many times its effect is in the table (1 = exactly once).
async fn run(rig: &Rig, write: Write, fault: Fault) -> (Ended, usize) {
    let id = format!("{write:?}-{fault:?}");
    let account = |balance| Account {
        id: id.clone(),
        balance,
        ..Default::default()
    };
    let (direct, faulty) = (&rig.direct, &rig.faulty);
    // Prepare without faults, then fault the write's own request once.
    match write {
        Write::SaveLoadedChecked
        | Write::CheckedDelete
        | Write::UpdateAdd
        | Write::UpdateAddExactlyOnce
        | Write::UpdateSet
        | Write::Transaction => {
            direct
                .save(Document::new(account(0)))
                .await
                .expect("prepared");
        }
        Write::VersionedSave => {
            let note = Note {
                id: id.clone(),
                text: "first".into(),
                ..Default::default()
            };
            direct.save(Document::new(note)).await.expect("prepared");
        }
        _ => {}
    }
    let loaded_account = faulty.get::<Account>(id.clone()).await.expect("read");
    let loaded_note = faulty.get::<Note>(id.clone()).await.expect("read");
    rig.proxy.inject(write.operation(), fault, 1);
    let f = Account::fields();
    let call = async {
        match write {
            Write::Save => ended(&faulty.save(Document::new(account(7))).await),
            Write::SaveNewChecked => ended(
                &faulty
                    .save(Document::new(account(7)))
                    .raise_on_conflict()
                    .await,
            ),
            Write::SaveLoadedChecked => {
                let mut loaded = loaded_account.expect("prepared");
                loaded.balance = 7;
                let result = faulty.save(&mut loaded).raise_on_conflict().await;
                assert!(
                    result.is_err() || loaded.is_loaded(),
                    "a confirmed save leaves the document loaded"
                );
                ended(&result)
            }
            Write::VersionedSave => {
                let mut loaded = loaded_note.expect("prepared");
                loaded.text = "second".into();
                ended(&faulty.save(&mut loaded).await)
            }
            Write::AutoIncrementPut | Write::AutoIncrementCounter => {
                let ticket = Ticket {
                    title: id.clone(),
                    ..Default::default()
                };
                ended(&faulty.save(Document::new(ticket)).await)
            }
            Write::CheckedDelete => {
                let mut loaded = loaded_account.expect("prepared");
                ended(&faulty.delete(&mut loaded).raise_on_conflict().await)
            }
            Write::UpdateAdd => {
                ended(&faulty.update::<Account>(id.clone()).add(f.balance, 1).await)
            }
            Write::UpdateAddExactlyOnce => ended(
                &faulty
                    .update::<Account>(id.clone())
                    .add(f.balance, 1)
                    .exactly_once()
                    .await,
            ),
            Write::UpdateSet => {
                ended(&faulty.update::<Account>(id.clone()).set(f.balance, 7).await)
            }
            Write::SaveBatch => {
                let accounts: Vec<Account> = (0..3)
                    .map(|n| Account {
                        id: format!("{id}-{n}"),
                        balance: 7,
                        ..Default::default()
                    })
                    .collect();
                ended(&faulty.save_batch(&accounts).await)
            }
            Write::Transaction => {
                let mut transaction = faulty.transact_write();
                transaction =
                    transaction.update(faulty.update::<Account>(id.clone()).add(f.balance, 1));
                transaction = transaction.save(faulty.save(Document::new(Account {
                    id: format!("{id}-new"),
                    balance: 7,
                    ..Default::default()
                })));
                ended(&transaction.await)
            }
        }
    };
    // Every call returns within its timeouts (5 s per request, a few requests).
    let result = tokio::time::timeout(Duration::from_secs(30), call)
        .await
        .unwrap_or_else(|_| panic!("{write:?} under {fault:?} hung"));
    assert_eq!(
        rig.proxy.pending(),
        0,
        "{write:?}: the {fault:?} fault hit its request"
    );
    rig.proxy.clear();
    (result, effects(rig, write, &id).await)
}

/// How many times `write`'s effect is in the table.
async fn effects(rig: &Rig, write: Write, id: &str) -> usize {
    let direct = &rig.direct;
    let balance = || async {
        direct
            .get::<Account>(id.to_owned())
            .await
            .expect("read")
            .map(|a| a.balance)
    };
    match write {
        Write::Save | Write::SaveNewChecked | Write::SaveLoadedChecked | Write::UpdateSet => {
            usize::from(balance().await == Some(7))
        }
        Write::VersionedSave => {
            let note = direct
                .get::<Note>(id.to_owned())
                .await
                .expect("read")
                .expect("note");
            // Version 2 with the new text: once; version 3: twice.
            match (note.text.as_str(), note.version) {
                ("first", 1) => 0,
                ("second", v) => (v - 1) as usize,
                other => panic!("unexpected note {other:?}"),
            }
        }
        Write::AutoIncrementPut | Write::AutoIncrementCounter => {
            let tickets: Vec<Ticket> = direct
                .scan::<Ticket>()
                .try_filter(|t| std::future::ready(t.title == id))
                .map_ok(|t| t.into_inner())
                .try_collect()
                .await
                .expect("scan");
            tickets.len()
        }
        Write::CheckedDelete => usize::from(balance().await.is_none()),
        Write::UpdateAdd | Write::UpdateAddExactlyOnce => balance().await.unwrap_or(0) as usize,
        Write::SaveBatch => {
            let keys: Vec<String> = (0..3).map(|n| format!("{id}-{n}")).collect();
            let found: Vec<_> = direct
                .get_batch::<Account>(keys)
                .try_collect()
                .await
                .expect("read");
            usize::from(found.len() == 3)
        }
        Write::Transaction => {
            let other = direct
                .get::<Account>(format!("{id}-new"))
                .await
                .expect("read");
            match (balance().await, other.is_some()) {
                (Some(0), false) => 0,
                (Some(n), true) => n as usize,
                other => panic!("a transaction applied in part: {other:?}"),
            }
        }
    }
}

const WRITES: [Write; 12] = [
    Write::Save,
    Write::SaveNewChecked,
    Write::SaveLoadedChecked,
    Write::VersionedSave,
    Write::AutoIncrementPut,
    Write::AutoIncrementCounter,
    Write::CheckedDelete,
    Write::UpdateAdd,
    Write::UpdateAddExactlyOnce,
    Write::UpdateSet,
    Write::SaveBatch,
    Write::Transaction,
];

/// Every write under every lost-answer fault: exactly once, or told.
async fn matrix(kind: EngineKind) {
    let rig = rig(kind).await;
    let mut failures = Vec::new();
    for write in WRITES {
        let mut row = format!("| {kind:?} | {write:?} |");
        for fault in Fault::LOST_ANSWERS {
            let (result, applied) = run(&rig, write, fault).await;
            row.push_str(&format!(" {result:?}, applied {applied}x |"));
            if applied > 1 {
                failures.push(format!(
                    "{write:?} under {fault:?}: applied {applied} times"
                ));
            }
            if !write.allowed().contains(&result) {
                failures.push(format!("{write:?} under {fault:?}: ended {result:?}"));
            }
            if result == Ended::Ok && applied != 1 {
                failures.push(format!(
                    "{write:?} under {fault:?}: acknowledged, applied {applied} times"
                ));
            }
        }
        println!("{row}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dynoxide_http_every_write_exactly_once_or_told() {
    matrix(EngineKind::DynoxideHttp).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_every_write_exactly_once_or_told() {
    matrix(EngineKind::Moto).await;
}

/// Reads are sent again after any lost answer; a server that never answers
/// ends every call within the connection's timeouts, with a typed error.
async fn reads_time_out_and_retry(kind: EngineKind) {
    let rig = rig(kind).await;
    let ann = Account {
        id: "ann".into(),
        balance: 3,
        ..Default::default()
    };
    rig.direct.save(Document::new(ann)).await.expect("saved");
    for fault in Fault::LOST_ANSWERS {
        rig.proxy.inject("GetItem", fault, 1);
        let found = rig
            .faulty
            .get::<Account>("ann".into())
            .await
            .expect("read again");
        assert_eq!(found.map(|a| a.balance), Some(3), "{fault:?}");
    }
    // A server that never answers at all.
    rig.proxy.inject("GetItem", Fault::NoAnswer, 1000);
    rig.proxy.inject("PutItem", Fault::NoAnswer, 1000);
    let started = std::time::Instant::now();
    let read = rig.faulty.get::<Account>("ann".into()).await;
    match read {
        Err(Error::Engine { source, .. }) => {
            assert_eq!(
                source.kind,
                dynamodb_mapper::error::EngineErrorKind::Timeout
            )
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    let write = rig
        .faulty
        .save(Document::new(Account {
            id: "bob".into(),
            ..Default::default()
        }))
        .await;
    assert!(
        write.is_err_and(|e| e.is_outcome_unknown()),
        "a write with no answer may have been applied"
    );
    assert!(
        started.elapsed() < Duration::from_secs(12),
        "both calls ended within their 5 s operation timeouts"
    );
}

/// A batch whose answers are all lost names every write whose outcome is
/// unknown; none is dropped, none reported done without an answer.
async fn a_batch_whose_answers_are_lost_names_its_writes(kind: EngineKind) {
    let rig = rig(kind).await;
    let accounts: Vec<Account> = (0..30)
        .map(|n| Account {
            id: format!("b{n:02}"),
            balance: 1,
            ..Default::default()
        })
        .collect();
    rig.proxy
        .inject("BatchWriteItem", Fault::ServerErrorAfterForward, 1000);
    match rig.faulty.save_batch(&accounts).await {
        Err(error @ Error::RetriesExhausted { .. }) => {
            assert!(error.is_outcome_unknown());
            let Error::RetriesExhausted { unfinished, .. } = error else {
                unreachable!()
            };
            let Unfinished::Writes {
                done,
                unprocessed,
                uncertain,
                ..
            } = *unfinished
            else {
                panic!("expected writes left, got {unfinished:?}")
            };
            assert_eq!((done, unprocessed.len(), uncertain.len()), (0, 0, 30));
            let positions: Vec<usize> = uncertain.iter().map(|l| l.position).collect();
            assert_eq!(positions, (0..30).collect::<Vec<_>>());
        }
        other => panic!("expected RetriesExhausted, got {other:?}"),
    }
    rig.proxy.clear();
    // The writes were applied (the proxy let them through): sending them again is safe.
    let report = rig.faulty.save_batch(&accounts).await.expect("sent again");
    assert_eq!(report.written, 30);
}

/// A page whose last key repeats its start key ends the walk with a typed
/// error instead of asking for the same page forever.
async fn a_repeated_page_key_ends_the_walk(kind: EngineKind) {
    let rig = rig(kind).await;
    let accounts: Vec<Account> = (0..6)
        .map(|n| Account {
            id: format!("a{n}"),
            ..Default::default()
        })
        .collect();
    rig.direct.save_batch(&accounts).await.expect("saved");
    let mut scan = rig.faulty.scan::<Account>().page_size(2);
    let mut seen = 0;
    // The first page has no start key to repeat; the second repeats its own.
    rig.proxy.inject("Scan", Fault::RepeatStartKey, 1000);
    let result = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(item) = futures::StreamExt::next(&mut scan).await {
            match item {
                Ok(_) => seen += 1,
                Err(error) => return Some(error),
            }
        }
        None
    })
    .await
    .expect("the walk ends");
    match result {
        Some(Error::Engine { source, .. }) => {
            assert_eq!(
                source.kind,
                dynamodb_mapper::error::EngineErrorKind::InvalidResponse,
                "{source}"
            )
        }
        other => panic!("expected an InvalidResponse error, got {other:?}"),
    }
    assert_eq!(seen, 2, "the first page's items arrive");
    assert_eq!(
        rig.proxy.forwarded("Scan"),
        2,
        "no page is asked for again and again"
    );
}

/// An answer cut off or unreadable is a transport failure (the answer is
/// lost, the request may have been applied), never the service's error.
async fn a_cut_off_answer_is_a_transport_failure(kind: EngineKind) {
    let rig = rig(kind).await;
    for fault in [
        Fault::TruncatedOk,
        Fault::TruncatedOkUntilClose,
        Fault::GarbageOk,
    ] {
        rig.proxy.inject("GetItem", fault, 1000);
        let read = rig.faulty.get::<Account>("ann".into()).await;
        rig.proxy.clear();
        let error = read.expect_err("every answer cut off");
        let source = error.engine_error().expect("the engine's failure");
        assert_eq!(
            source.kind,
            dynamodb_mapper::error::EngineErrorKind::Transport,
            "{fault:?}: {error}"
        );
        assert!(source.may_have_applied(), "{fault:?}");
    }
}

/// Fails the test, instead of hanging it, if `test` does not end in a minute.
async fn no_hang(test: impl std::future::Future<Output = ()>) {
    tokio::time::timeout(Duration::from_secs(60), test)
        .await
        .expect("every call ends within its timeouts");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dynoxide_http_reads_time_out_and_retry() {
    no_hang(reads_time_out_and_retry(EngineKind::DynoxideHttp)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_reads_time_out_and_retry() {
    no_hang(reads_time_out_and_retry(EngineKind::Moto)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dynoxide_http_a_cut_off_answer_is_a_transport_failure() {
    no_hang(a_cut_off_answer_is_a_transport_failure(
        EngineKind::DynoxideHttp,
    ))
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_a_cut_off_answer_is_a_transport_failure() {
    no_hang(a_cut_off_answer_is_a_transport_failure(EngineKind::Moto)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dynoxide_http_a_repeated_page_key_ends_the_walk() {
    no_hang(a_repeated_page_key_ends_the_walk(EngineKind::DynoxideHttp)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_a_repeated_page_key_ends_the_walk() {
    no_hang(a_repeated_page_key_ends_the_walk(EngineKind::Moto)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dynoxide_http_a_batch_whose_answers_are_lost_names_its_writes() {
    no_hang(a_batch_whose_answers_are_lost_names_its_writes(
        EngineKind::DynoxideHttp,
    ))
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_a_batch_whose_answers_are_lost_names_its_writes() {
    no_hang(a_batch_whose_answers_are_lost_names_its_writes(
        EngineKind::Moto,
    ))
    .await;
}
