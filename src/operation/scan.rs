//! [`Scan`]: every object of a table, as a lazy stream.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{BoxStream, Stream, StreamExt};

use super::paging::{self, PageRequest};
use crate::engine::request::ScanInput;
use crate::error::Error;
use crate::expression::{Condition, Placeholders};
use crate::model::{Document, Model};
use crate::Connection;

/// A scan of the whole table; a [`Stream`] of documents. Built by
/// [`Connection::scan`]; paging is hidden.
#[must_use = "a scan does nothing until its stream is polled"]
pub struct Scan<M: Model> {
    conn: Connection,
    filter: Option<Condition>,
    limit: Option<usize>,
    consistent_read: bool,
    stream: Option<BoxStream<'static, Result<Document<M>, Error>>>,
}

impl<M: Model> Scan<M> {
    pub(crate) fn new(conn: Connection) -> Self {
        Scan {
            conn,
            filter: None,
            limit: None,
            consistent_read: false,
            stream: None,
        }
    }

    /// Only objects meeting `filter`, on any attributes.
    pub fn filter(mut self, filter: Condition) -> Self {
        self.filter = Some(match self.filter.take() {
            Some(previous) => previous.and(filter),
            None => filter,
        });
        self
    }

    /// At most `limit` objects in all.
    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Reads with strong consistency.
    pub fn consistent_read(mut self) -> Self {
        self.consistent_read = true;
        self
    }

    fn request(&mut self) -> Result<ScanInput, Error> {
        let mut placeholders = Placeholders::default();
        if M::SCHEMA.auto_increment {
            // The counter item shares the table; it is no object of the model.
            let counter = crate::features::auto_increment::not_the_counter::<M>();
            self.filter = Some(match self.filter.take() {
                Some(filter) => filter.and(counter),
                None => counter,
            });
        }
        let filter = match self.filter.take() {
            Some(filter) => placeholders.condition(filter)?,
            None => None,
        };
        Ok(ScanInput {
            table: self.conn.table_name(M::SCHEMA.table),
            filter,
            placeholders: placeholders.finish(),
            consistent_read: self.consistent_read,
            ..Default::default()
        })
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
                let request = this.request().map(PageRequest::Scan);
                this.stream
                    .insert(paging::documents(this.conn.clone(), request, this.limit))
            }
        };
        stream.poll_next_unpin(cx)
    }
}
