//! A table's stream as DynamoDB shapes it over time: a parent shard closed
//! after a given record and a child that continues it, listed child first
//! over two DescribeStream pages; with the faults DynamoDB documents
//! (expired iterators, trimmed records, empty pages) injected on demand. A
//! wrapper over the embedded engine's real (single-shard) stream.

use crate::changes::{read_all, Player};
use dynamodb_mapper::engine::request::{
    Call, DescribeStreamInput, DescribeTableInput, GetRecordsInput, GetShardIteratorInput,
    RecordsOutput, Request, Response, ShardPosition, StreamDescription, StreamShard,
};
use dynamodb_mapper::engine::{EmbeddedEngine, Engine, EngineFuture, EngineWrapper};
use dynamodb_mapper::error::EngineError;
use dynamodb_mapper::streams::{ChangeEvent, ChangeReader, Checkpoint};
use dynamodb_mapper::{Connection, Document, Error};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

#[derive(Debug, Default)]
struct Faults {
    /// The child's next GetRecords answers ExpiredIterator.
    expire_child: AtomicBool,
    /// The parent's GetRecords answers ExpiredIterator once it has
    /// delivered a record (its iterator then renewed after it).
    expire_parent_after_first: AtomicBool,
    /// The next GetShardIterator after a sequence number answers
    /// TrimmedDataAccessException.
    trim_after: AtomicBool,
    /// The child's first GetRecords answers this many empty pages.
    empty_child_pages: AtomicU32,
    /// The listing makes the shards each other's parent.
    cycle: AtomicBool,
    /// The listing holds no parent (trimmed from the stream).
    parent_gone: AtomicBool,
}

#[derive(Debug)]
struct SplitStream {
    inner: EmbeddedEngine,
    /// The real stream and shard, and the last record of the parent.
    arn: String,
    real_shard: String,
    split_after: u128,
    faults: Faults,
    parent_reads: AtomicU32,
}

impl SplitStream {
    fn real(&self, shard: &str, position: ShardPosition) -> ShardPosition {
        match (shard, position) {
            // The child starts after the parent's last record.
            ("child", ShardPosition::TrimHorizon) => {
                ShardPosition::AfterSequenceNumber(format!("{:021}", self.split_after))
            }
            (_, position) => position,
        }
    }
}

impl EngineWrapper for SplitStream {
    fn inner(&self) -> &dyn Engine {
        &self.inner
    }

    fn exec<'a>(&'a self, request: Request<'_>) -> EngineFuture<'a, Response> {
        match request.call {
            Call::DescribeStream(input) => self.describe_stream(input),
            Call::GetShardIterator(input) => self.shard_iterator(input),
            Call::GetRecords(input) => self.get_records(input),
            _ => self.inner.exec(request),
        }
    }
}

impl SplitStream {
    fn describe_stream(&self, input: &DescribeStreamInput) -> EngineFuture<'_, Response> {
        let stream_arn = input.stream_arn.as_str();
        let ending = format!("{:021}", self.split_after);
        let page = if self.faults.cycle.load(Ordering::SeqCst) {
            StreamDescription::new(
                stream_arn,
                vec![
                    StreamShard::new("child").with_parent("parent"),
                    StreamShard::new("parent")
                        .with_parent("child")
                        .with_ending(ending),
                ],
            )
        } else if self.faults.parent_gone.load(Ordering::SeqCst) {
            StreamDescription::new(
                stream_arn,
                vec![StreamShard::new("child").with_parent("parent")],
            )
        } else {
            match input.exclusive_start_shard_id.as_deref() {
                None => StreamDescription::new(
                    stream_arn,
                    vec![StreamShard::new("child").with_parent("parent")],
                )
                .with_last_evaluated_shard_id("child"),
                Some(_) => StreamDescription::new(
                    stream_arn,
                    vec![StreamShard::new("parent").with_ending(ending)],
                ),
            }
        };
        Box::pin(std::future::ready(Ok(Response::DescribeStream(page))))
    }

    fn shard_iterator(&self, input: &GetShardIteratorInput) -> EngineFuture<'_, Response> {
        let trimmed = matches!(input.position, ShardPosition::AfterSequenceNumber(_))
            && self.faults.trim_after.swap(false, Ordering::SeqCst);
        let position = self.real(&input.shard_id, input.position.clone());
        let real = GetShardIteratorInput::new(&input.stream_arn, &self.real_shard, position);
        let shard_id = input.shard_id.clone();
        Box::pin(async move {
            if trimmed {
                return Err(EngineError::from_code(
                    "TrimmedDataAccessException",
                    "trimmed",
                ));
            }
            let iterator = self.engine().send(&real).await?;
            let iterator = iterator.map(|it| format!("{shard_id}|{it}"));
            Ok(Response::GetShardIterator(iterator))
        })
    }

    fn engine(&self) -> &dyn Engine {
        &self.inner
    }

    fn get_records(&self, input: &GetRecordsInput) -> EngineFuture<'_, Response> {
        let (iterator, limit) = (input.iterator.clone(), input.limit);
        Box::pin(async move {
            self.records(iterator, limit)
                .await
                .map(Response::GetRecords)
        })
    }

    async fn records(
        &self,
        iterator: String,
        limit: Option<u32>,
    ) -> Result<RecordsOutput, EngineError> {
        {
            let (shard, real) = iterator.split_once('|').expect("our iterator");
            let expired = match shard {
                "child" => self.faults.expire_child.swap(false, Ordering::SeqCst),
                _ => {
                    self.parent_reads.load(Ordering::SeqCst) > 0
                        && self
                            .faults
                            .expire_parent_after_first
                            .swap(false, Ordering::SeqCst)
                }
            };
            if expired {
                return Err(EngineError::from_code(
                    "ExpiredIteratorException",
                    "iterator expired",
                ));
            }
            if shard == "child" {
                let empty = self.faults.empty_child_pages.load(Ordering::SeqCst);
                if empty > 0 {
                    self.faults
                        .empty_child_pages
                        .store(empty - 1, Ordering::SeqCst);
                    return Ok(RecordsOutput::new(Vec::new(), Some(iterator.clone())));
                }
            }
            let mut real = GetRecordsInput::new(real);
            real.limit = limit;
            let answer = self.engine().send(&real).await?;
            let mut records = answer.records;
            let next = answer.next_iterator.map(|it| format!("{shard}|{it}"));
            if shard == "parent" {
                records.retain(|r| {
                    r.sequence_number.parse::<u128>().expect("a number") <= self.split_after
                });
                // One record a read, so that an iterator can expire midway.
                records.truncate(1);
                self.parent_reads.fetch_add(1, Ordering::SeqCst);
                // Closed: read to its end once nothing of it is left.
                let Some(last) = records.last() else {
                    return Ok(RecordsOutput::new(records, None));
                };
                let after = ShardPosition::AfterSequenceNumber(last.sequence_number.clone());
                let next = GetShardIteratorInput::new(&self.arn, &self.real_shard, after);
                let next = self.engine().send(&next).await?;
                return Ok(RecordsOutput::new(
                    records,
                    next.map(|it| format!("parent|{it}")),
                ));
            }
            Ok(RecordsOutput::new(records, next))
        }
    }
}
async fn setup(faults: Faults) -> Result<(Connection, Vec<String>), Box<dyn std::error::Error>> {
    let inner = EmbeddedEngine::memory()?;
    let plain = Connection::new(inner.clone());
    plain.create_table::<Player>().await?;
    for level in 0..6 {
        plain
            .save(Document::new(Player {
                login: format!("p{level}"),
                level,
            }))
            .await?;
    }
    let numbers: Vec<String> = read_all::<Player>(&plain)
        .await?
        .into_iter()
        .map(|e| e.sequence_number)
        .collect();
    let engine: &dyn Engine = &inner;
    let arn = engine
        .send(&DescribeTableInput::new("players"))
        .await?
        .latest_stream_arn
        .expect("a stream");
    let real_shard = engine.send(&DescribeStreamInput::new(&arn)).await?.shards[0]
        .shard_id
        .clone();
    let split = SplitStream {
        inner,
        arn,
        real_shard,
        split_after: numbers[2].parse()?,
        faults,
        parent_reads: AtomicU32::new(0),
    };
    Ok((Connection::new(split), numbers))
}

/// Every event and error of a reader until it ends (bounded).
async fn drain(
    mut reader: ChangeReader<Player>,
) -> (Vec<ChangeEvent<Player>>, Vec<Error>, Checkpoint) {
    let (mut events, mut errors) = (Vec::new(), Vec::new());
    for _ in 0..1_000 {
        match reader.next().await {
            Some(Ok(event)) => events.push(event),
            Some(Err(error)) => errors.push(error),
            None => return (events, errors, reader.checkpoint().clone()),
        }
    }
    panic!("the reader did not end");
}

fn levels(events: &[ChangeEvent<Player>]) -> Vec<(String, u32)> {
    events
        .iter()
        .map(|e| {
            let level = e
                .change
                .as_ref()
                .expect("decodes")
                .change
                .new_image()
                .expect("new")
                .level;
            (e.shard_id.clone(), level)
        })
        .collect()
}

fn in_order() -> Vec<(String, u32)> {
    (0..6)
        .map(|level| (if level < 3 { "parent" } else { "child" }.to_owned(), level))
        .collect()
}

#[tokio::test]
async fn parents_are_read_before_children_across_pages_and_expiry(
) -> Result<(), Box<dyn std::error::Error>> {
    let faults = Faults::default();
    faults.expire_child.store(true, Ordering::SeqCst);
    faults
        .expire_parent_after_first
        .store(true, Ordering::SeqCst);
    let (conn, _) = setup(faults).await?;
    let (events, errors, checkpoint) = drain(conn.changes::<Player>().reader()).await;
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        levels(&events),
        in_order(),
        "renewed iterators lose and repeat nothing"
    );
    let shards: Vec<_> = checkpoint.shards().map(|(s, _)| s.to_owned()).collect();
    assert_eq!(shards, ["child", "parent"]);
    Ok(())
}

#[tokio::test]
async fn empty_pages_do_not_end_a_reader_early() -> Result<(), Box<dyn std::error::Error>> {
    let faults = Faults::default();
    faults.empty_child_pages.store(2, Ordering::SeqCst);
    let (conn, _) = setup(faults).await?;
    let (events, errors, _) = drain(conn.changes::<Player>().reader()).await;
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(levels(&events), in_order());
    Ok(())
}

#[tokio::test]
async fn a_checkpoint_in_the_child_skips_the_finished_parent(
) -> Result<(), Box<dyn std::error::Error>> {
    let (conn, numbers) = setup(Faults::default()).await?;
    let mut checkpoint = Checkpoint::default();
    checkpoint.commit("child", &numbers[3]);
    let (events, errors, _) = drain(conn.changes::<Player>().resume(checkpoint).reader()).await;
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        levels(&events),
        [("child".to_owned(), 4), ("child".to_owned(), 5)]
    );
    Ok(())
}

#[tokio::test]
async fn a_checkpoint_in_the_parent_reads_its_rest_then_the_child(
) -> Result<(), Box<dyn std::error::Error>> {
    let (conn, numbers) = setup(Faults::default()).await?;
    let mut checkpoint = Checkpoint::default();
    checkpoint.commit("parent", &numbers[1]);
    let (events, errors, checkpoint) =
        drain(conn.changes::<Player>().resume(checkpoint).reader()).await;
    assert!(errors.is_empty(), "{errors:?}");
    let got: Vec<u32> = levels(&events)
        .into_iter()
        .map(|(_, level)| level)
        .collect();
    assert_eq!(got, [2, 3, 4, 5]);
    let shards: Vec<_> = checkpoint.shards().map(|(s, _)| s.to_owned()).collect();
    assert_eq!(shards, ["child", "parent"]);
    Ok(())
}

#[tokio::test]
async fn trimmed_records_are_reported_and_the_shard_read_from_its_oldest(
) -> Result<(), Box<dyn std::error::Error>> {
    let faults = Faults::default();
    faults.trim_after.store(true, Ordering::SeqCst);
    let (conn, numbers) = setup(faults).await?;
    let mut checkpoint = Checkpoint::default();
    checkpoint.commit("parent", &numbers[1]);
    let (events, errors, _) = drain(conn.changes::<Player>().resume(checkpoint).reader()).await;
    match &errors[..] {
        [Error::ChangesMissed {
            shard_id, after, ..
        }] => {
            assert_eq!(
                (shard_id.as_str(), after.as_deref()),
                ("parent", Some(numbers[1].as_str()))
            );
        }
        other => panic!("{other:?}"),
    }
    // Read on from the oldest record kept: what was there comes (again).
    let got: Vec<u32> = levels(&events)
        .into_iter()
        .map(|(_, level)| level)
        .collect();
    assert_eq!(got, [0, 1, 2, 3, 4, 5]);
    Ok(())
}

#[tokio::test]
async fn a_checkpoint_of_a_shard_no_longer_listed_is_reported(
) -> Result<(), Box<dyn std::error::Error>> {
    let faults = Faults::default();
    faults.parent_gone.store(true, Ordering::SeqCst);
    let (conn, numbers) = setup(faults).await?;
    let mut checkpoint = Checkpoint::default();
    checkpoint.commit("parent", &numbers[0]);
    let (events, errors, _) = drain(conn.changes::<Player>().resume(checkpoint).reader()).await;
    assert!(
        matches!(&errors[..], [Error::ChangesMissed { shard_id, .. }] if shard_id == "parent"),
        "{errors:?}"
    );
    let got: Vec<u32> = levels(&events)
        .into_iter()
        .map(|(_, level)| level)
        .collect();
    assert_eq!(got, [3, 4, 5], "the child is read");
    Ok(())
}

#[tokio::test]
async fn shards_that_wait_on_each_other_are_a_typed_error() -> Result<(), Box<dyn std::error::Error>>
{
    let faults = Faults::default();
    faults.cycle.store(true, Ordering::SeqCst);
    let (conn, _) = setup(faults).await?;
    let (events, errors, _) = drain(conn.changes::<Player>().reader()).await;
    assert!(events.is_empty());
    match &errors[..] {
        [Error::Engine { source, .. }] => {
            assert_eq!(
                source.kind,
                dynamodb_mapper::error::EngineErrorKind::InvalidResponse
            )
        }
        other => panic!("{other:?}"),
    }
    Ok(())
}
