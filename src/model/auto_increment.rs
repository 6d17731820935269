//! Auto-increment hash keys, as the original library hands them out: a
//! counter item at hash key `-1` holds the highest key in `__max_hash_key__`;
//! a new object takes the next value with one atomic `ADD` (no read), then is
//! saved under "key must not exist", with a fresh value if the key was taken
//! by a direct write.
//!
//! ```
//! # use dynamodb_mapper::{Connection, Document, Model};
//! #[derive(Model, Debug, Clone, Default)]
//! #[dynamodb(table = "posts", hash_key = "id")]
//! struct Post {
//!     #[dynamodb(auto_increment)]
//!     id: i64,
//!     title: String,
//! }
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> dynamodb_mapper::Result<()> {
//! let conn = Connection::embedded()?;
//! conn.create_table::<Post>().await?; // waits until active, for the counter
//! let mut post = Document::new(Post { title: "Hello".into(), ..Default::default() });
//! conn.save(&mut post).await?;
//! assert_eq!(post.id, 1);
//! # Ok(()) }
//! ```

use crate::attribute::{AttributeValue, Item, ValueError};
use crate::error::{AttributeError, Error};
use crate::expression::{Comparison, Condition, Path};
use crate::model::Model;

/// The hash key of the counter item.
pub const COUNTER_KEY: i64 = -1;
/// The counter item's attribute holding the highest key handed out.
pub const COUNTER_ATTRIBUTE: &str = "__max_hash_key__";
/// How many keys a save tries before giving up, as in the original, with
/// [`Error::RetriesExhausted`].
pub const MAX_ATTEMPTS: u32 = 100;

/// An integer type that can be an auto-increment hash key: zero means "not
/// assigned yet".
pub trait AutoIncrementKey: Sized {
    /// Whether no key has been assigned yet.
    fn is_unset(&self) -> bool;
    /// The key for a counter value.
    fn from_counter(
        model: &'static str,
        attribute: &'static str,
        value: i64,
    ) -> Result<Self, AttributeError>;
}

macro_rules! auto_increment_key {
    ($($t:ty),*) => {$(
        impl AutoIncrementKey for $t {
            fn is_unset(&self) -> bool {
                *self == 0
            }
            fn from_counter(model: &'static str, attribute: &'static str, value: i64) -> Result<Self, AttributeError> {
                <$t>::try_from(value)
                    .map_err(|_| AttributeError::new(model, attribute, ValueError::out_of_range(value, stringify!($t))))
            }
        }
    )*};
}
auto_increment_key!(i32, i64, i128, u32, u64, u128, usize, isize);

/// How an auto-increment model reaches its hash key field: the policy's data
/// in [`Policies::auto_increment`](crate::model::Policies::auto_increment).
/// `#[dynamodb(auto_increment)]` builds it; a save of an object whose key
/// is unset takes the counter's next value through it.
#[non_exhaustive]
pub struct AutoIncrementField<M> {
    /// Whether the object's hash key is still unset (zero).
    pub is_unset: fn(&M) -> bool,
    /// Sets the hash key to a value the counter handed out; a value the
    /// field's type cannot hold is an error.
    pub assign: fn(&mut M, i64) -> Result<(), AttributeError>,
}

impl<M> AutoIncrementField<M> {
    /// The field's two accessors.
    pub const fn new(
        is_unset: fn(&M) -> bool,
        assign: fn(&mut M, i64) -> Result<(), AttributeError>,
    ) -> Self {
        AutoIncrementField { is_unset, assign }
    }
}

impl<M> Clone for AutoIncrementField<M> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M> Copy for AutoIncrementField<M> {}

impl<M> std::fmt::Debug for AutoIncrementField<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AutoIncrementField").finish_non_exhaustive()
    }
}

/// Whether `M`'s hash key is handed out by the counter.
pub fn enabled<M: Model>() -> bool {
    M::POLICIES.auto_increment.is_some()
}

/// Whether this object's auto-increment hash key is still unset (zero):
/// saving it takes the next value from the counter. Always false for models
/// without `auto_increment`.
pub fn needs_hash_key<M: Model>(model: &M) -> bool {
    M::POLICIES
        .auto_increment
        .is_some_and(|field| (field.is_unset)(model))
}

/// Sets the auto-increment hash key to a value the counter handed out (0:
/// unset again); does nothing on a model without `auto_increment`.
pub fn assign_hash_key<M: Model>(model: &mut M, key: i64) -> Result<(), AttributeError> {
    match M::POLICIES.auto_increment {
        Some(field) => (field.assign)(model, key),
        None => Ok(()),
    }
}

pub(crate) fn counter_value() -> AttributeValue {
    AttributeValue::N(COUNTER_KEY.to_string())
}

/// Refuses the counter's key for an auto-increment model: it is no object.
pub(crate) fn refuse_counter_key<M: Model>(key: &Item) -> Result<(), Error> {
    let schema = M::SCHEMA;
    if enabled::<M>() && key.get(schema.hash_key.attribute) == Some(&counter_value()) {
        return Err(Error::ReservedKey {
            model: schema.model,
            attribute: schema.hash_key.attribute,
            value: COUNTER_KEY.to_string(),
        });
    }
    Ok(())
}

/// The filter that keeps the counter item out of scans.
pub(crate) fn not_the_counter<M: Model>() -> Condition {
    Condition::Compare(
        Path::attribute(M::SCHEMA.hash_key.attribute),
        Comparison::Ne,
        counter_value(),
    )
}
