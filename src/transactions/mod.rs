//! Transactions, native and application-level, in one place.
//!
//! - **Native** (DynamoDB's TransactWriteItems and TransactGetItems):
//!   [`Connection::transact_write`](crate::Connection::transact_write)
//!   takes the single writes' builders with their modifiers
//!   ([`TransactWrite`]); [`Connection::transact_get`](crate::Connection::transact_get)
//!   reads a consistent snapshot ([`TransactGet`], [`TransactItems`]). All
//!   or nothing, up to [`MAX_TRANSACTION_ACTIONS`] actions; an engine
//!   without them (ScyllaDB Alternator) refuses them before sending.
//! - **Application-level**, as the original library ran them before DynamoDB
//!   had its own ([`Transaction`]): each step gets a fresh target, changes it
//!   and saves it with conflict detection, starting over when another writer
//!   got there first; the transaction itself is recorded as a model
//!   ([`TransactionLog`]). Steps are not rolled back: a failure leaves the
//!   earlier steps written. It needs only single-item conditional writes.
//!
//! # Application-level transactions
//!
//! Application-level transactions, as the original library ran them before
//! DynamoDB had its own: each step gets a fresh target, changes it and saves
//! it with conflict detection, starting over from the get when another writer
//! got there first. The transaction itself is recorded as a model.
//!
//! ```
//! use dynamodb_mapper::transactions::{Transaction, TransactionLog};
//! use dynamodb_mapper::{Connection, Document, Model};
//!
//! #[derive(Model, Debug, Clone, Default)]
//! #[dynamodb(table = "accounts", hash_key = "id")]
//! struct Account { id: String, balance: i64 }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> dynamodb_mapper::Result<()> {
//! let conn = Connection::embedded()?;
//! conn.create_table::<Account>().await?;
//! conn.create_table::<TransactionLog>().await?;
//! for id in ["ann", "bob"] {
//!     conn.save(Document::new(Account { id: id.into(), balance: 100 })).await?;
//! }
//!
//! let mut transfer = Transaction::new(TransactionLog::new(7));
//! transfer
//!     .step(|conn| conn.get::<Account>("ann".into()), |a| { a.balance -= 30; Ok(()) })
//!     .step(|conn| conn.get::<Account>("bob".into()), |b| { b.balance += 30; Ok(()) });
//! transfer.commit(&conn).await?;
//!
//! let ann = conn.get::<Account>("ann".into()).await?.unwrap();
//! assert_eq!(ann.balance, 70);
//! assert!(transfer.record().is_loaded(), "the record was saved, status done");
//! # Ok(()) }
//! ```

mod application;

pub use crate::operation::native_transaction::{
    TransactGet, TransactItems, TransactWrite, MAX_TRANSACTION_ACTIONS,
};
pub use application::*;
