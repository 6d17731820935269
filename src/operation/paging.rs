//! Hidden paging: turns page requests into one lazy stream of items.

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};

use super::{call, load};
use crate::attribute::Item;
use crate::engine::request::{QueryInput, ScanInput};
use crate::error::Error;
use crate::model::{Document, Model};
use crate::Connection;

/// The request whose pages are walked.
pub(crate) enum PageRequest {
    Query(QueryInput),
    Scan(ScanInput),
}

struct Walk {
    conn: Connection,
    request: PageRequest,
    start_key: Option<Item>,
    remaining: Option<usize>,
    finished: bool,
}

impl Walk {
    async fn next_page(mut self) -> Result<Option<(Vec<Item>, Walk)>, Error> {
        if self.finished || self.remaining == Some(0) {
            return Ok(None);
        }
        // An item limit also bounds the page: no point reading past it.
        let limit = self.remaining.map(|r| r.min(u32::MAX as usize) as u32);
        let engine = self.conn.engine();
        let output = match &self.request {
            PageRequest::Query(input) => {
                let input = QueryInput {
                    start_key: self.start_key.take(),
                    limit,
                    ..input.clone()
                };
                let table = input.table.clone();
                call("Query", &table, engine.query(input)).await?
            }
            PageRequest::Scan(input) => {
                let input = ScanInput {
                    start_key: self.start_key.take(),
                    limit,
                    ..input.clone()
                };
                let table = input.table.clone();
                call("Scan", &table, engine.scan(input)).await?
            }
        };
        let mut items = output.items;
        if let Some(remaining) = &mut self.remaining {
            items.truncate(*remaining);
            *remaining -= items.len();
        }
        self.finished = output.last_evaluated_key.is_none();
        self.start_key = output.last_evaluated_key;
        Ok(Some((items, self)))
    }
}

/// Every item of every page, read lazily: a page is requested when the
/// previous one has been consumed. `limit` counts items returned.
pub(crate) fn items(
    conn: Connection,
    request: PageRequest,
    limit: Option<usize>,
) -> BoxStream<'static, Result<Item, Error>> {
    let walk = Walk {
        conn,
        request,
        start_key: None,
        remaining: limit,
        finished: false,
    };
    stream::try_unfold(walk, Walk::next_page)
        .map_ok(|page| stream::iter(page.into_iter().map(Ok)))
        .try_flatten()
        .boxed()
}

/// The documents of a query or scan; a request that could not be built is
/// the stream's only item.
pub(crate) fn documents<M: Model>(
    conn: Connection,
    request: Result<PageRequest, Error>,
    limit: Option<usize>,
) -> BoxStream<'static, Result<Document<M>, Error>> {
    match request {
        Ok(request) => items(conn, request, limit)
            .map(|item| item.and_then(load::<M>))
            .boxed(),
        Err(error) => stream::once(std::future::ready(Err(error))).boxed(),
    }
}
