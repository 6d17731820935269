//! Table management: [`CreateTable`] from a model's declaration.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::{Duration, Instant};

use super::{send, RetryClass};
use crate::engine::request::{
    Billing, CreateTableInput, DeleteTableInput, DescribeTableInput, DescribeTimeToLiveInput,
    TableDescription, TableStatus, UpdateTimeToLiveInput,
};
use crate::error::Error;
use crate::model::{IndexDefinition, Model, VectorIndexDefinition};
use crate::Connection;

impl Connection {
    /// Whether time to live is enabled on the model's table, and by which attribute.
    pub async fn time_to_live<M: Model>(&self) -> Result<Option<String>, Error> {
        let table = self.table_name(M::SCHEMA.table);
        let input = DescribeTimeToLiveInput::new(table.clone());
        send(self, &table, RetryClass::Read, &input).await
    }

    /// Creates the model's table.
    pub fn create_table<M: Model>(&self) -> CreateTable<M> {
        CreateTable::new(self.clone())
    }

    /// Deletes the model's table and everything in it.
    pub async fn delete_table<M: Model>(&self) -> Result<(), Error> {
        let table = self.table_name(M::SCHEMA.table);
        let input = DeleteTableInput::new(table.clone());
        send(self, &table, RetryClass::IfRefused, &input).await
    }

    /// Describes the model's table.
    pub async fn describe_table<M: Model>(&self) -> Result<TableDescription, Error> {
        let table = self.table_name(M::SCHEMA.table);
        let input = DescribeTableInput::new(table.clone());
        send(self, &table, RetryClass::Read, &input).await
    }
}

/// A pending table creation; `.await` it. Built by [`Connection::create_table`].
/// On-demand billing unless `.provisioned(..)` is given.
#[must_use = "creating a table does nothing until awaited"]
pub struct CreateTable<M: Model> {
    conn: Connection,
    billing: Billing,
    /// Indexes of the other entities sharing the table.
    shared: Result<Vec<IndexDefinition>, Error>,
    /// Vector indexes of the other entities sharing the table.
    shared_vectors: Vec<VectorIndexDefinition>,
    wait_for_active: Option<Duration>,
    model: std::marker::PhantomData<fn() -> M>,
}

impl<M: Model> CreateTable<M> {
    pub(crate) fn new(conn: Connection) -> Self {
        CreateTable {
            conn,
            billing: Billing::OnDemand,
            shared: Ok(Vec::new()),
            shared_vectors: Vec::new(),
            wait_for_active: None,
            model: std::marker::PhantomData,
        }
    }

    /// Also creates the indexes of `N`, another entity sharing the table
    /// (single-table design: each entity declares the indexes it writes).
    /// `N` must have the table and primary key of `M`; an index both
    /// declare must be the same index.
    pub fn with_indexes_of<N: Model>(mut self) -> Self {
        let (mine, theirs) = (M::SCHEMA, N::SCHEMA);
        let refuse = |reason: String| Error::InvalidRequest {
            model: theirs.model,
            reason,
        };
        let shared = std::mem::replace(&mut self.shared, Ok(Vec::new())).and_then(|mut shared| {
            if theirs.table != mine.table
                || theirs.hash_key != mine.hash_key
                || theirs.range_key != mine.range_key
            {
                return Err(refuse(format!(
                    "its table and primary key are not those of {} (table `{}`): it cannot share its indexes",
                    mine.model, mine.table
                )));
            }
            for index in theirs.indexes {
                let known = mine.indexes.iter().chain(shared.iter()).find(|i| i.name == index.name);
                match known {
                    None => shared.push(*index),
                    Some(known) if known == index => {}
                    Some(_) => {
                        return Err(refuse(format!(
                            "index `{}` is declared otherwise by another model of table `{}`: the same name must be the same index",
                            index.name, mine.table
                        )))
                    }
                }
            }
            for index in theirs.vector_indexes {
                let known = mine.vector_indexes.iter().chain(self.shared_vectors.iter()).find(|i| i.name == index.name);
                match known {
                    None => self.shared_vectors.push(*index),
                    Some(known) if known == index => {}
                    Some(_) => {
                        return Err(refuse(format!(
                            "vector index `{}` is declared otherwise by another model of table `{}`: the same name must be the same index",
                            index.name, mine.table
                        )))
                    }
                }
            }
            Ok(shared)
        });
        self.shared = shared;
        self
    }

    /// Provisioned capacity, as the original's `create_table(model, read, write)`.
    pub fn provisioned(mut self, read_units: u64, write_units: u64) -> Self {
        self.billing = Billing::Provisioned {
            read: read_units,
            write: write_units,
        };
        self
    }

    /// Pay per request.
    pub fn on_demand(mut self) -> Self {
        self.billing = Billing::OnDemand;
        self
    }

    /// Waits (up to five minutes) until the table is active.
    pub fn wait_for_active(self) -> Self {
        self.wait_for_active_within(Duration::from_secs(300))
    }

    /// Waits up to `timeout` until the table is active.
    pub fn wait_for_active_within(mut self, timeout: Duration) -> Self {
        self.wait_for_active = Some(timeout);
        self
    }

    async fn run(self) -> Result<TableDescription, Error> {
        let schema = M::SCHEMA;
        let capabilities = self.conn.engine().capabilities();
        if schema.ttl.is_some() && !capabilities.time_to_live {
            return Err(Error::Unsupported {
                model: schema.model,
                needs: "time to live (UpdateTimeToLive)",
                engine: super::native_transaction::engine_label(&self.conn),
                alternative: "declare the model without `ttl`, and delete expired items yourself"
                    .to_owned(),
            });
        }
        if !schema.vector_indexes.is_empty() || !self.shared_vectors.is_empty() {
            if !capabilities.vector_search {
                return Err(Error::Unsupported {
                    model: schema.model,
                    needs: "vector indexes (vector search)",
                    engine: super::native_transaction::engine_label(&self.conn),
                    alternative: "declare the model without `vector_index`, or use DynamoDB or the embedded engine".to_owned(),
                });
            }
            if self.billing != Billing::OnDemand {
                return Err(Error::InvalidRequest {
                    model: schema.model,
                    reason: "DynamoDB takes vector indexes only on on-demand tables: create it without `.provisioned(..)`".into(),
                });
            }
        }
        let table = self.conn.table_name(schema.table);
        let mut indexes = schema.indexes.to_vec();
        indexes.extend(self.shared?);
        if let Some(index) = indexes.iter().find(|i| i.is_multi_attribute()) {
            if !capabilities.multi_attribute_index_keys {
                return Err(Error::Unsupported {
                    model: schema.model,
                    needs: "multi-attribute index keys",
                    engine: super::native_transaction::engine_label(&self.conn),
                    alternative: format!(
                        "key index `{}` on one attribute (a key template composes several)",
                        index.name
                    ),
                });
            }
        }
        let vector_indexes: Vec<VectorIndexDefinition> = schema
            .vector_indexes
            .iter()
            .chain(&self.shared_vectors)
            .copied()
            .collect();
        one_type_per_attribute(schema, &indexes, &vector_indexes)?;
        let input = CreateTableInput {
            table: table.clone(),
            hash_key: (
                schema.hash_key.attribute.to_owned(),
                schema.hash_key.scalar_type,
            ),
            range_key: schema
                .range_key
                .map(|r| (r.attribute.to_owned(), r.scalar_type)),
            billing: self.billing,
            indexes,
            vector_indexes,
            stream: schema.stream,
            tags: isolation_tags(capabilities),
        };
        let conn = &self.conn;
        let mut description = send(conn, &table, RetryClass::IfRefused, &input).await?;
        // The counter of an auto-increment model is written by the first
        // save, and time to live can only be enabled on an active table:
        // either needs the table active.
        let needs_active = crate::model::auto_increment::enabled::<M>() || schema.ttl.is_some();
        let wait = self
            .wait_for_active
            .or(needs_active.then_some(Duration::from_secs(300)));
        if let Some(timeout) = wait {
            let started = Instant::now();
            let mut pause = Duration::from_millis(50);
            while description.status != TableStatus::Active {
                if started.elapsed() >= timeout {
                    return Err(Error::TableNotActive {
                        table,
                        waited: started.elapsed(),
                    });
                }
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(2));
                let input = DescribeTableInput::new(table.clone());
                description = send(conn, &table, RetryClass::Read, &input).await?;
            }
        }
        if let Some(attribute) = schema.ttl {
            let input = UpdateTimeToLiveInput::new(table.clone(), attribute);
            send(conn, &table, RetryClass::IfRefused, &input).await?;
        }
        Ok(description)
    }
}

/// A table defines each key (and search) attribute once, with one type:
/// two indexes (or two entities' indexes) that key on one name with two
/// types cannot both be created, and the writes of one would be refused.
fn one_type_per_attribute(
    schema: crate::model::ModelSchema,
    indexes: &[IndexDefinition],
    vector_indexes: &[VectorIndexDefinition],
) -> Result<(), Error> {
    let table = std::iter::once(("the table", schema.hash_key))
        .chain(schema.range_key.map(|r| ("the table", r)));
    let keyed = indexes.iter().flat_map(|i| {
        i.hash_keys()
            .chain(i.range_keys())
            .map(move |k| (i.name, k))
    });
    let searched = vector_indexes
        .iter()
        .flat_map(|i| i.searchable().map(move |k| (i.name, k)));
    let mut seen: Vec<(&str, crate::model::KeyDefinition)> = Vec::new();
    for (owner, key) in table.chain(keyed).chain(searched) {
        match seen.iter().find(|(_, k)| k.attribute == key.attribute) {
            Some((first, k)) if k.scalar_type != key.scalar_type => {
                return Err(Error::InvalidRequest {
                    model: schema.model,
                    reason: format!(
                        "attribute `{}` is a key of {first} as {} and of index `{owner}` as {}: a table defines it with one type",
                        key.attribute,
                        k.scalar_type.descriptor(),
                        key.scalar_type.descriptor()
                    ),
                })
            }
            Some(_) => {}
            None => seen.push((owner, key)),
        }
    }
    Ok(())
}

impl<M: Model> IntoFuture for CreateTable<M> {
    type Output = Result<TableDescription, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}

/// The tags a table gets on an engine that isolates conditional writes only
/// on tables tagged so (ScyllaDB Alternator): every write a lightweight
/// transaction, so the conditions of conflict detection, versions, entity
/// guards and auto-increment hold under concurrency.
fn isolation_tags(capabilities: crate::engine::Capabilities) -> Vec<(String, String)> {
    let (key, value) = crate::engine::WRITE_ISOLATION_TAG;
    match capabilities.write_isolation_tag {
        true => vec![(key.to_owned(), value.to_owned())],
        false => Vec::new(),
    }
}
