//! [`Get`]: one object by its full primary key.

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use super::{send, RetryClass};
use crate::attribute::Item;
use crate::engine::request::GetItemInput;
use crate::error::Error;
use crate::model::{Document, Model};
use crate::Connection;

impl Connection {
    /// Gets one object by its full primary key (`hash` or `(hash, range)`).
    ///
    /// Resolves to `None` when no item has this key.
    pub fn get<M: Model>(&self, key: M::Key) -> Get<M> {
        Get::new(self.clone(), M::key_item(&key).map_err(Error::from))
    }

    /// Reads a document's item again, under the key its object holds:
    /// `None` once it is gone. With `.consistent_read()`, the item as
    /// stored now (to try a write again after a conflict, say).
    pub fn reload<M: Model>(&self, document: &Document<M>) -> Get<M> {
        Get::new(self.clone(), document.own_key_item().map_err(Error::from))
    }
}

/// A pending get; `.await` it. Built by [`Connection::get`] and
/// [`Connection::reload`].
#[must_use = "a get does nothing until awaited"]
pub struct Get<M: Model> {
    conn: Connection,
    key: Result<Item, Error>,
    consistent_read: bool,
    model: PhantomData<fn() -> M>,
}

impl<M: Model> Get<M> {
    fn new(conn: Connection, key: Result<Item, Error>) -> Self {
        Get {
            conn,
            key,
            consistent_read: false,
            model: PhantomData,
        }
    }

    /// Reads with strong consistency.
    pub fn consistent_read(mut self) -> Self {
        self.consistent_read = true;
        self
    }

    async fn run(self) -> Result<Option<Document<M>>, Error> {
        let table = self.conn.table_name(M::SCHEMA.table);
        let key = self.key?;
        crate::model::auto_increment::refuse_counter_key::<M>(&key)?;
        let input = GetItemInput {
            table: table.clone(),
            key,
            consistent_read: self.consistent_read,
        };
        let conn = &self.conn;
        let output = send(conn, &table, RetryClass::Read, &input).await?;
        output.item.map(Document::from_stored).transpose()
    }
}

impl<M: Model> IntoFuture for Get<M> {
    type Output = Result<Option<Document<M>>, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}
