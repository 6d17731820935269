//! [`Scan`]: every object of a table, as a lazy stream.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{BoxStream, Stream, StreamExt};

use super::paging::{self, Page, PageRequest, Paging};
use super::Cursor;
use crate::engine::request::ScanInput;
use crate::error::Error;
use crate::expression::{Condition, Placeholders};
use crate::model::{Document, Index, Model};
use crate::Connection;

impl Connection {
    /// Scans the whole table, as a stream.
    pub fn scan<M: Model>(&self) -> Scan<M> {
        Scan::new(self.clone())
    }
}

/// DynamoDB's largest number of segments of a parallel scan.
pub const MAX_SEGMENTS: u32 = 1_000_000;
/// How many segments of a [`Scan::parallel`] scan are walked at once.
pub const MAX_SEGMENTS_IN_FLIGHT: usize = 256;

/// A scan of the whole table; a [`Stream`] of documents. Built by
/// [`Connection::scan`]; paging is hidden.
#[must_use = "a scan does nothing until its stream is polled"]
pub struct Scan<M: Model> {
    conn: Connection,
    filter: Option<Condition>,
    paging: Paging,
    consistent_read: bool,
    segment: Option<(u32, u32)>,
    parallel: u32,
    index: Option<&'static str>,
    projection: Option<&'static [&'static str]>,
    progress: Option<super::ProgressFn>,
    /// Made when the stream starts (its clock starts then).
    reporter: Option<super::Reporter>,
    stream: Option<BoxStream<'static, Result<Document<M>, Error>>>,
}

impl<M: Model> Scan<M> {
    pub(crate) fn new(conn: Connection) -> Self {
        Scan {
            conn,
            filter: None,
            paging: Paging::default(),
            consistent_read: false,
            segment: None,
            parallel: 1,
            index: None,
            projection: None,
            progress: None,
            reporter: None,
            stream: None,
        }
    }

    /// Calls `report` with the number of objects read so far, at most once
    /// a second ([`PROGRESS_INTERVAL`](super::PROGRESS_INTERVAL)) and once
    /// when the stream ends or is dropped; each report is also a tracing
    /// event (`dynamodb_mapper::progress`, INFO). For the stream of
    /// documents (not `pages()` or `project()`); items that failed to decode
    /// are not counted. The callback runs in `poll_next`: keep it quick.
    pub fn on_progress(
        mut self,
        report: impl Fn(&super::Progress) + Send + Sync + 'static,
    ) -> Self {
        self.progress = Some(std::sync::Arc::new(report));
        self
    }

    /// Only objects meeting `filter`, on any attributes.
    pub fn filter(mut self, filter: Condition) -> Self {
        self.filter = Some(match self.filter.take() {
            Some(previous) => previous.and(filter),
            None => filter,
        });
        self
    }

    paging::walk_options!();

    /// The pages instead of the items, each with the [`Cursor`] to resume after it.
    pub fn pages(mut self) -> BoxStream<'static, Result<Page<M>, Error>> {
        let request = match self.parallel {
            // request() refuses 0 with its reason.
            0 | 1 => self.request().map(PageRequest::Scan),
            _ => Err(Error::InvalidRequest {
                model: M::SCHEMA.model,
                reason: "pages of a parallel scan: walk each segment with .segment(index, total)"
                    .into(),
            }),
        };
        let keys = paging::key_names::<M>(self.index);
        paging::pages(self.conn.clone(), request, keys, self.paging.clone())
    }

    /// Scans only segment `index` of `total` (a parallel scan's share, e.g.
    /// for one worker of several); pages and cursors work per segment.
    /// `total` is 1 to [`MAX_SEGMENTS`] and `index` below it (a typed error
    /// otherwise, before anything is sent).
    pub fn segment(mut self, index: u32, total: u32) -> Self {
        self.segment = Some((index, total));
        self
    }

    /// Scans in `total` segments (1 to [`MAX_SEGMENTS`]; a typed error
    /// otherwise), as one merged stream in no particular order, walking up to
    /// [`MAX_SEGMENTS_IN_FLIGHT`] segments at once. A limit still counts items
    /// returned in all.
    pub fn parallel(mut self, total: u32) -> Self {
        self.parallel = total;
        self
    }

    /// Scans the secondary index `index` instead of the table.
    pub fn index<H, R>(mut self, index: Index<M, H, R>) -> Self {
        self.index = Some(index.name());
        self
    }

    /// The items decoded into a projection type `P` (any `#[derive(Attribute)]`
    /// struct), e.g. for an index that holds only some attributes.
    pub fn project<P: crate::Attribute + crate::attribute::AttributeNames + Send + 'static>(
        mut self,
    ) -> BoxStream<'static, Result<P, Error>> {
        self.projection = Some(P::NAMES);
        let request = self.request().map(PageRequest::Scan);
        paging::projected::<M, P>(self.conn.clone(), request, self.index, self.paging.clone())
    }

    fn start(&mut self) -> BoxStream<'static, Result<Document<M>, Error>> {
        let keys = paging::key_names::<M>(self.index);
        let request = self.request();
        let paging = self.paging.clone();
        match request {
            Ok(input) if self.parallel > 1 => {
                let total = self.parallel;
                let conn = self.conn.clone();
                let limit = paging.limit;
                // Segments are started as others finish: none is built up front.
                let segments = futures::stream::iter(0..total).map(move |index| {
                    let input = ScanInput {
                        segment: Some((index, total)),
                        ..input.clone()
                    };
                    let paging = Paging {
                        limit: None,
                        ..paging.clone()
                    };
                    paging::documents(
                        conn.clone(),
                        Ok(PageRequest::Scan(input)),
                        keys.clone(),
                        paging,
                    )
                });
                let merged = segments.flatten_unordered(MAX_SEGMENTS_IN_FLIGHT);
                match limit {
                    Some(limit) => merged.take(limit).boxed(),
                    None => merged.boxed(),
                }
            }
            request => paging::documents(
                self.conn.clone(),
                request.map(PageRequest::Scan),
                keys,
                paging,
            ),
        }
    }

    fn request(&mut self) -> Result<ScanInput, Error> {
        let invalid = |reason: String| Error::InvalidRequest {
            model: M::SCHEMA.model,
            reason,
        };
        if !(1..=MAX_SEGMENTS).contains(&self.parallel) {
            return Err(invalid(format!(
                "parallel({}): a scan has 1 to {MAX_SEGMENTS} segments",
                self.parallel
            )));
        }
        if let Some((index, total)) = self.segment {
            if !(1..=MAX_SEGMENTS).contains(&total) || index >= total {
                return Err(invalid(format!(
                    "segment({index}, {total}): a scan has 1 to {MAX_SEGMENTS} segments, numbered from 0"
                )));
            }
        }
        let multi = self
            .index
            .and_then(|name| M::SCHEMA.index(name))
            .is_some_and(crate::model::IndexDefinition::is_multi_attribute);
        if multi && !self.conn.engine().capabilities().multi_attribute_index_keys {
            return Err(Error::Unsupported {
                model: M::SCHEMA.model,
                needs: "multi-attribute index keys",
                engine: super::native_transaction::engine_label(&self.conn),
                alternative: "scan the table instead".to_owned(),
            });
        }
        let mut placeholders = Placeholders::default();
        if crate::model::auto_increment::enabled::<M>() {
            // The counter item shares the table; it is no object of the model.
            let counter = crate::model::auto_increment::not_the_counter::<M>();
            self.filter = Some(match self.filter.take() {
                Some(filter) => filter.and(counter),
                None => counter,
            });
        }
        if let Some(own) = crate::model::entity::only_this_entity::<M>(self.index) {
            self.filter = Some(match self.filter.take() {
                Some(filter) => filter.and(own),
                None => own,
            });
        }
        let filter = match self.filter.take() {
            Some(filter) => placeholders.condition(filter)?,
            None => None,
        };
        let projection = self.projection.map(|names| placeholders.projection(names));
        Ok(ScanInput {
            table: self.conn.table_name(M::SCHEMA.table),
            projection,
            filter,
            placeholders: placeholders.finish(),
            consistent_read: self.consistent_read,
            segment: self.segment,
            index: self.index.map(str::to_owned),
            ..Default::default()
        })
    }
}

/// A scan dropped before its end reports where it stopped.
impl<M: Model> Drop for Scan<M> {
    fn drop(&mut self) {
        if let Some(reporter) = &self.reporter {
            reporter.finish();
        }
    }
}

// The stream is boxed and no field is ever pinned in place.
impl<M: Model> Unpin for Scan<M> {}

impl<M: Model> Stream for Scan<M> {
    type Item = Result<Document<M>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let stream = match &mut this.stream {
            Some(stream) => stream,
            None => {
                let stream = this.start();
                this.reporter = this
                    .progress
                    .take()
                    .map(|report| super::Reporter::new(report, "Scan", M::SCHEMA.model, None));
                this.stream.insert(stream)
            }
        };
        let next = stream.poll_next_unpin(cx);
        if let Some(progress) = &this.reporter {
            match &next {
                Poll::Ready(Some(Ok(_))) => progress.add(1),
                Poll::Ready(None) => progress.finish(),
                _ => {}
            }
        }
        next
    }
}
