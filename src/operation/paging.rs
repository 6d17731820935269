//! Paging: turns page requests into lazy streams of pages or items, with a
//! cursor after every page.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};

use super::{send, Cursor, RetryClass};
use crate::attribute::{Item, StoredItem};
use crate::engine::request::{QueryInput, ScanInput};
use crate::error::{EngineError, EngineErrorKind, Error};
use crate::model::{Document, Model};
use crate::Connection;

/// The request whose pages are walked.
pub(crate) enum PageRequest {
    Query(QueryInput),
    Scan(ScanInput),
}

/// How a walk is bounded and where it starts.
#[derive(Debug, Clone, Default)]
pub(crate) struct Paging {
    /// Items returned in all.
    pub(crate) limit: Option<usize>,
    /// Items evaluated per request.
    pub(crate) page_size: Option<u32>,
    /// Resume after this position.
    pub(crate) start_after: Option<Cursor>,
}

/// The options every walk (query, scan) offers, for its builder's `impl`
/// block: the builder has `paging: Paging` and `consistent_read: bool` fields.
macro_rules! walk_options {
    () => {
        /// At most `limit` objects in all (across pages).
        pub fn limit(mut self, limit: usize) -> Self {
            self.paging.limit = Some(limit);
            self
        }

        /// At most `items` items read per request (DynamoDB's `Limit`); the
        /// stream still goes on to the next page.
        pub fn page_size(mut self, items: u32) -> Self {
            self.paging.page_size = Some(items.max(1));
            self
        }

        /// Resumes after `cursor`, from a [`Page`](crate::operation::Page) of an earlier walk.
        pub fn start_after(mut self, cursor: Cursor) -> Self {
            self.paging.start_after = Some(cursor);
            self
        }

        /// Reads with strong consistency (not on global secondary indexes).
        pub fn consistent_read(mut self) -> Self {
            self.consistent_read = true;
            self
        }
    };
}
pub(crate) use walk_options;

/// One page of a query or scan.
///
/// A stored item that cannot be decoded does not cost the page its other
/// items or its cursor: it is one of `errors`, and the walk goes on.
#[non_exhaustive]
pub struct Page<M> {
    /// The page's documents (possibly none, when a filter removed them all).
    pub items: Vec<Document<M>>,
    /// The page's items that could not be decoded, each with its reason.
    pub errors: Vec<Error>,
    /// Where the next page starts; `None` after the last.
    pub cursor: Option<Cursor>,
}

/// A page as read: its items and where the next one starts.
struct RawPage {
    items: Vec<StoredItem>,
    cursor: Option<Item>,
}

impl<M: Model + std::fmt::Debug> std::fmt::Debug for Page<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Page")
            .field("items", &self.items)
            .field("errors", &self.errors)
            .field("cursor", &self.cursor)
            .finish()
    }
}

struct Walk {
    conn: Connection,
    request: PageRequest,
    key_names: Vec<String>,
    start_key: Option<Item>,
    remaining: Option<usize>,
    page_size: Option<u32>,
    finished: bool,
    /// An error to end the walk with, after the page that showed it.
    failure: Option<Error>,
    /// Fingerprints of the keys walked from (eight bytes a page).
    seen: HashSet<u64>,
}

impl Walk {
    async fn next_page(mut self) -> Result<Option<(RawPage, Walk)>, Error> {
        if let Some(failure) = self.failure.take() {
            return Err(failure);
        }
        if self.finished || self.remaining == Some(0) {
            return Ok(None);
        }
        // An item limit also bounds the page: no point reading past it.
        let remaining = self.remaining.map(|r| r.min(u32::MAX as usize) as u32);
        let limit = match (remaining, self.page_size) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        // A page that failed is asked for again from the same start key:
        // the walk goes on without duplicates or gaps.
        let conn = &self.conn;
        let start_key = &self.start_key;
        let output = match &self.request {
            PageRequest::Query(input) => {
                let input = QueryInput {
                    start_key: start_key.clone(),
                    limit,
                    ..input.clone()
                };
                send(conn, &input.table, RetryClass::Read, &input).await?
            }
            PageRequest::Scan(input) => {
                let input = ScanInput {
                    start_key: start_key.clone(),
                    limit,
                    ..input.clone()
                };
                send(conn, &input.table, RetryClass::Read, &input).await?
            }
        };
        let mut items = output.items;
        let mut cursor = output.last_evaluated_key;
        if let Some(next) = &cursor {
            if !self.seen.insert(fingerprint(next)) {
                // Asking again from a key already walked from would walk the
                // same pages forever: a faulty server or proxy.
                let (operation, table) = self.request.describe();
                self.failure = Some(Error::engine(
                    operation,
                    table,
                    EngineError::new(
                        EngineErrorKind::InvalidResponse,
                        None,
                        format!(
                            "the page's LastEvaluatedKey {next:?} was an earlier page's: the walk would never end"
                        ),
                    ),
                ));
                self.finished = true;
            }
        }
        if let Some(remaining) = self.remaining {
            if items.len() > remaining {
                // The limit ends inside this page: the next page starts after
                // the last item returned, not after the last item read.
                items.truncate(remaining);
                cursor = items.last().map(|item| self.key_of(item));
            }
            self.remaining = Some(remaining - items.len());
        }
        if cursor.is_none() || self.remaining == Some(0) {
            self.finished = true;
        }
        self.start_key = cursor.clone();
        Ok(Some((RawPage { items, cursor }, self)))
    }

    fn key_of(&self, item: &StoredItem) -> Item {
        item.select(&self.key_names)
    }
}

/// A key's fingerprint: its attributes in name order, hashed.
fn fingerprint(key: &Item) -> u64 {
    let mut attributes: Vec<_> = key.iter().collect();
    attributes.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    format!("{attributes:?}").hash(&mut hasher);
    hasher.finish()
}

impl PageRequest {
    /// The operation and table, for errors.
    fn describe(&self) -> (&'static str, &str) {
        match self {
            PageRequest::Query(input) => ("Query", &input.table),
            PageRequest::Scan(input) => ("Scan", &input.table),
        }
    }
}

fn raw_pages(
    conn: Connection,
    request: PageRequest,
    key_names: Vec<String>,
    paging: Paging,
) -> BoxStream<'static, Result<RawPage, Error>> {
    let start_key = paging.start_after.map(|c| c.0);
    let seen = start_key.iter().map(fingerprint).collect();
    let walk = Walk {
        conn,
        request,
        key_names,
        start_key,
        remaining: paging.limit,
        page_size: paging.page_size,
        finished: false,
        failure: None,
        seen,
    };
    stream::try_unfold(walk, Walk::next_page).boxed()
}

fn failed<T: Send + 'static>(error: Error) -> BoxStream<'static, Result<T, Error>> {
    stream::once(std::future::ready(Err(error))).boxed()
}

/// The documents of a query or scan, read lazily: a page is requested when
/// the previous one has been consumed. A request that could not be built is
/// the stream's only item.
pub(crate) fn documents<M: Model>(
    conn: Connection,
    request: Result<PageRequest, Error>,
    key_names: Vec<String>,
    paging: Paging,
) -> BoxStream<'static, Result<Document<M>, Error>> {
    decoded(conn, request, key_names, paging, Document::<M>::from_stored)
}

/// The items of a query or scan, each decoded by `decode`.
pub(crate) fn decoded<T: Send + 'static>(
    conn: Connection,
    request: Result<PageRequest, Error>,
    key_names: Vec<String>,
    paging: Paging,
    decode: fn(StoredItem) -> Result<T, Error>,
) -> BoxStream<'static, Result<T, Error>> {
    match request {
        Ok(request) => raw_pages(conn, request, key_names, paging)
            .map_ok(move |page| stream::iter(page.items.into_iter().map(decode)))
            .try_flatten()
            .boxed(),
        Err(error) => failed(error),
    }
}

/// The items of a query or scan (of `index`, if any), each decoded into the
/// projection type `P`.
pub(crate) fn projected<M: Model, P: crate::Attribute + Send + 'static>(
    conn: Connection,
    request: Result<PageRequest, Error>,
    index: Option<&str>,
    paging: Paging,
) -> BoxStream<'static, Result<P, Error>> {
    decoded(
        conn,
        request,
        key_names::<M>(index),
        paging,
        project::<M, P>,
    )
}

/// Decodes an item into a projection type (any struct stored as a map).
fn project<M: Model, P: crate::Attribute>(item: StoredItem) -> Result<P, Error> {
    P::from_attribute(crate::AttributeValue::M(item.into_item()))
        .map_err(|e| crate::error::AttributeError::new(M::SCHEMA.model, "", e).into())
}

/// The pages of a query or scan, each with the cursor to resume after it.
pub(crate) fn pages<M: Model>(
    conn: Connection,
    request: Result<PageRequest, Error>,
    key_names: Vec<String>,
    paging: Paging,
) -> BoxStream<'static, Result<Page<M>, Error>> {
    match request {
        Ok(request) => raw_pages(conn, request, key_names, paging)
            .map_ok(|RawPage { items, cursor }| {
                let mut page = Page {
                    items: Vec::with_capacity(items.len()),
                    errors: Vec::new(),
                    cursor: cursor.map(Cursor),
                };
                for item in items {
                    match Document::<M>::from_stored(item) {
                        Ok(document) => page.items.push(document),
                        Err(error) => page.errors.push(error),
                    }
                }
                page
            })
            .boxed(),
        Err(error) => failed(error),
    }
}

/// The key attribute names a cursor needs: the table's, and the index's.
pub(crate) fn key_names<M: Model>(index: Option<&str>) -> Vec<String> {
    let schema = M::SCHEMA;
    let mut names = vec![schema.hash_key.attribute.to_owned()];
    names.extend(schema.range_key.map(|r| r.attribute.to_owned()));
    if let Some(index) = index.and_then(|name| schema.index(name)) {
        names.extend(index.hash_keys().map(|k| k.attribute.to_owned()));
        names.extend(index.range_keys().map(|k| k.attribute.to_owned()));
    }
    names.sort();
    names.dedup();
    names
}
