//! [`Update`]: a partial update that sends only an update expression.

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use super::plan::unique::UniqueChanges;
use super::plan::{Sent, WritePlan};
use crate::attribute::form::{InNativeForm, StoredForm};
use crate::attribute::{
    Addable, AttributeValue, Item, ListAttribute, NumberAttribute, SetAttribute, StoredItem,
};
use crate::engine::request::{ReturnValues, TransactWriteItem};
use crate::error::Error;
use crate::expression::{Condition, Path, SetValue, UpdateAction};
use crate::model::{Document, Field, Model};
use crate::Connection;

impl Connection {
    /// Updates attributes of the item with this key, sending only an update
    /// expression (see [`Update`]).
    pub fn update<M: Model>(&self, key: M::Key) -> Update<M> {
        Update::new(self.clone(), &key)
    }
}

/// A pending partial update of the item with one key; `.await` it, or pick
/// what it returns with [`return_new`](Update::return_new) and friends.
/// Built by [`Connection::update`].
///
/// Actions are checked against field types: `add` applies only to numbers and
/// sets, `delete` only to sets, `append` only to lists. Setting an empty
/// string or set removes the attribute (the empty-value rule). Like
/// DynamoDB's UpdateItem, it creates the item if it is missing, unless
/// [`if_exists`](Update::if_exists) is given. On a model with a version
/// attribute, every update bumps the version.
///
/// ```
/// # use dynamodb_mapper::{Connection, Document, Model};
/// # use std::collections::BTreeSet;
/// #[derive(Model, Debug, Clone, Default)]
/// #[dynamodb(table = "players", hash_key = "login")]
/// struct Player { login: String, level: u32, tags: BTreeSet<String> }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> dynamodb_mapper::Result<()> {
/// # let conn = Connection::embedded()?;
/// # conn.create_table::<Player>().await?;
/// let f = Player::fields();
/// let ann = conn
///     .update::<Player>("ann".into())
///     .add(f.level, 1u32)
///     .add(f.tags, BTreeSet::from(["new".to_string()]))
///     .return_new()
///     .await?;
/// assert_eq!(ann.level, 1);
/// # Ok(()) }
/// ```
#[must_use = "an update does nothing until awaited"]
pub struct Update<M: Model> {
    conn: Connection,
    key: Result<Item, Error>,
    actions: Vec<UpdateAction>,
    condition: Option<Condition>,
    expected_version: Option<i128>,
    error: Option<Error>,
    model: PhantomData<fn() -> M>,
}

impl<M: Model> Update<M> {
    pub(crate) fn new(conn: Connection, key: &M::Key) -> Self {
        let key = M::key_item(key).map_err(Error::from);
        Update {
            conn,
            key,
            actions: Vec::new(),
            condition: None,
            expected_version: None,
            error: None,
            model: PhantomData,
        }
    }

    fn encode<T, F: StoredForm>(
        &mut self,
        field: &Field<M, T, F>,
        value: &T,
    ) -> Option<AttributeValue> {
        match field.encoded(value) {
            Ok(value) => Some(value),
            Err(error) => {
                self.error.get_or_insert(Error::Attribute(error));
                None
            }
        }
    }

    /// `SET field = value`; an empty value removes the attribute.
    pub fn set<T, F: StoredForm>(mut self, field: Field<M, T, F>, value: impl Into<T>) -> Self {
        if let Some(value) = self.encode(&field, &value.into()) {
            self.actions.push(if value.is_empty_value() {
                UpdateAction::Remove(field.path())
            } else {
                UpdateAction::Set(field.path(), SetValue::Value(value))
            });
        }
        self
    }

    /// `SET field = if_not_exists(field, value)`: only if the attribute is absent.
    pub fn set_if_not_exists<T, F: StoredForm>(
        mut self,
        field: Field<M, T, F>,
        value: impl Into<T>,
    ) -> Self {
        if let Some(value) = self.encode(&field, &value.into()) {
            if !value.is_empty_value() {
                self.actions.push(UpdateAction::Set(
                    field.path(),
                    SetValue::IfNotExists(value),
                ));
            }
        }
        self
    }

    /// `REMOVE field`
    pub fn remove<T, F: StoredForm>(mut self, field: Field<M, T, F>) -> Self {
        self.actions.push(UpdateAction::Remove(field.path()));
        self
    }

    /// `ADD field value`: adds to a number (an atomic counter; a missing
    /// attribute counts as 0), or members to a set.
    pub fn add<T: Addable, F: InNativeForm<T>>(
        mut self,
        field: Field<M, T, F>,
        value: impl Into<T>,
    ) -> Self {
        if let Some(value) = self.encode(&field, &value.into()) {
            if !value.is_empty_set() {
                self.actions.push(UpdateAction::Add(field.path(), value));
            }
        }
        self
    }

    /// `SET field = field + value`: arithmetic on a number that must exist.
    pub fn plus<T: NumberAttribute, F: InNativeForm<T>>(
        mut self,
        field: Field<M, T, F>,
        value: impl Into<T>,
    ) -> Self {
        if let Some(value) = self.encode(&field, &value.into()) {
            self.actions
                .push(UpdateAction::Set(field.path(), SetValue::Plus(value)));
        }
        self
    }

    /// `SET field = field - value`: arithmetic on a number that must exist.
    pub fn minus<T: NumberAttribute, F: InNativeForm<T>>(
        mut self,
        field: Field<M, T, F>,
        value: impl Into<T>,
    ) -> Self {
        if let Some(value) = self.encode(&field, &value.into()) {
            self.actions
                .push(UpdateAction::Set(field.path(), SetValue::Minus(value)));
        }
        self
    }

    /// `DELETE field members`: takes members out of a set.
    pub fn delete<T: SetAttribute, F: InNativeForm<T>>(
        mut self,
        field: Field<M, T, F>,
        members: impl Into<T>,
    ) -> Self {
        if let Some(value) = self.encode(&field, &members.into()) {
            if !value.is_empty_set() {
                self.actions.push(UpdateAction::Delete(field.path(), value));
            }
        }
        self
    }

    /// Appends elements to a list (`list_append`), creating it if missing.
    pub fn append<T: ListAttribute, F: InNativeForm<T>>(
        mut self,
        field: Field<M, T, F>,
        elements: impl Into<T>,
    ) -> Self {
        if let Some(value) = self.encode(&field, &elements.into()) {
            if !value.is_empty_value() {
                self.actions
                    .push(UpdateAction::Set(field.path(), SetValue::Append(value)));
            }
        }
        self
    }

    /// Puts elements in front of a list (`list_append`), creating it if missing.
    pub fn prepend<T: ListAttribute, F: InNativeForm<T>>(
        mut self,
        field: Field<M, T, F>,
        elements: impl Into<T>,
    ) -> Self {
        if let Some(value) = self.encode(&field, &elements.into()) {
            if !value.is_empty_value() {
                self.actions
                    .push(UpdateAction::Set(field.path(), SetValue::Prepend(value)));
            }
        }
        self
    }

    /// Any action, on any path (nested paths included), with a raw value.
    pub fn action(mut self, action: UpdateAction) -> Self {
        self.actions.push(action);
        self
    }

    /// Updates only if `condition` holds ([`ConflictKind::ConditionFailed`](crate::error::ConflictKind::ConditionFailed) otherwise).
    pub fn condition(mut self, condition: Condition) -> Self {
        self.condition = Some(match self.condition.take() {
            Some(previous) => previous.and(condition),
            None => condition,
        });
        self
    }

    /// Updates only an existing item, never creates one.
    pub fn if_exists(self) -> Self {
        let exists = Condition::Exists(Path::attribute(M::SCHEMA.hash_key.attribute));
        self.condition(exists)
    }

    /// For a model with a version attribute: updates only if the stored
    /// version is `version` ([`ConflictKind::Changed`](crate::error::ConflictKind::Changed) otherwise).
    pub fn expect_version(mut self, version: impl Into<i128>) -> Self {
        self.expected_version = Some(version.into());
        self
    }

    /// Resolves to the whole item after the update.
    pub fn return_new(self) -> Returning<M, Document<M>> {
        Returning::new(self, ReturnValues::AllNew, |item| match item {
            Some(item) => Document::<M>::from_stored(item),
            None => Err(Error::InvalidRequest {
                model: M::SCHEMA.model,
                reason: "UpdateItem returned no item for ALL_NEW".into(),
            }),
        })
    }

    /// Resolves to the whole item before the update (`None` if it did not exist).
    pub fn return_old(self) -> Returning<M, Option<Document<M>>> {
        Returning::new(self, ReturnValues::AllOld, |item| {
            item.map(Document::<M>::from_stored).transpose()
        })
    }

    /// Resolves to the updated attributes only, as they are after the update.
    pub fn return_updated_new(self) -> Returning<M, Item> {
        Returning::new(self, ReturnValues::UpdatedNew, |item| {
            Ok(item.map(StoredItem::into_item).unwrap_or_default())
        })
    }

    /// Resolves to the updated attributes only, as they were before the update.
    pub fn return_updated_old(self) -> Returning<M, Item> {
        Returning::new(self, ReturnValues::UpdatedOld, |item| {
            Ok(item.map(StoredItem::into_item).unwrap_or_default())
        })
    }

    /// Applies the update exactly once, even when its answer is lost.
    ///
    /// Without this, an update that is not safe to repeat (`add` to a number,
    /// `plus`/`minus`, `append`/`prepend`, a condition, a version bump) whose
    /// answer is lost fails with [`Error::OutcomeUnknown`] and is never sent
    /// again. With it, the update is sent as a one-action native transaction
    /// (TransactWriteItems) with an idempotency token, which DynamoDB applies
    /// once however often it is sent within ten minutes; the mapper then
    /// sends it again after a lost answer. It costs twice the write capacity
    /// of an UpdateItem, returns nothing (transactions return no attributes)
    /// and needs an engine with native transactions (not ScyllaDB Alternator).
    ///
    /// ```
    /// # use dynamodb_mapper::{Connection, Model};
    /// # #[derive(Model, Debug, Clone, Default)]
    /// # #[dynamodb(table = "pages", hash_key = "path")]
    /// # struct PageViews { path: String, views: u64 }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> dynamodb_mapper::Result<()> {
    /// # let conn = Connection::embedded()?;
    /// # conn.create_table::<PageViews>().await?;
    /// let f = PageViews::fields();
    /// conn.update::<PageViews>("/".into()).add(f.views, 1u64).exactly_once().await?;
    /// # assert_eq!(conn.get::<PageViews>("/".into()).await?.unwrap().views, 1);
    /// # Ok(()) }
    /// ```
    pub fn exactly_once(self) -> ExactlyOnce<M> {
        ExactlyOnce { update: self }
    }

    async fn send(self, return_values: ReturnValues) -> Result<Option<StoredItem>, Error> {
        let conn = self.conn.clone();
        match self.into_plan(return_values)?.send(&conn).await? {
            Sent::Updated(attributes) => Ok(attributes),
            Sent::Stored(_) | Sent::Deleted => Err(Error::InvalidRequest {
                model: M::SCHEMA.model,
                reason: "the write plan of an update made no update (a bug of the mapper's)".into(),
            }),
        }
    }

    /// The values the update gives the model's unique attributes, if it
    /// gives any (only a whole value set or removed: anything else would
    /// leave the guard items unable to follow).
    fn unique_changes(&self) -> Result<Option<UniqueChanges>, Error> {
        if M::SCHEMA.unique.is_empty() {
            return Ok(None);
        }
        let mut changes = Vec::new();
        for action in &self.actions {
            let Some((name, whole)) = action.path().top_attribute() else {
                continue;
            };
            let Some(attribute) = M::SCHEMA.unique.iter().find(|u| **u == name) else {
                continue;
            };
            changes.push(match action {
                UpdateAction::Set(_, SetValue::Value(value)) if whole => {
                    (*attribute, Some(value.clone()))
                }
                UpdateAction::Remove(_) if whole => (*attribute, None),
                _ => {
                    return Err(Error::InvalidRequest {
                        model: M::SCHEMA.model,
                        reason: format!("`{attribute}` is unique: an update may set or remove it, nothing else (its guard item follows the value)"),
                    })
                }
            });
        }
        Ok((!changes.is_empty()).then_some(changes))
    }

    /// The update's write plan: the caller's actions and condition, with the
    /// model's policies.
    pub(crate) fn into_plan(
        mut self,
        return_values: ReturnValues,
    ) -> Result<WritePlan<'static, M>, Error> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        let unique = self.unique_changes()?;
        WritePlan::update(
            &self.conn,
            self.key?,
            self.actions,
            self.condition,
            self.expected_version,
            return_values,
            unique,
        )
    }
}

/// An update applied exactly once; `.await` it. Built by [`Update::exactly_once`].
#[must_use = "an update does nothing until awaited"]
pub struct ExactlyOnce<M: Model> {
    update: Update<M>,
}

impl<M: Model> IntoFuture for ExactlyOnce<M> {
    type Output = Result<(), Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        let conn = self.update.conn.clone();
        Box::pin(async move {
            let plan = self.update.into_plan(ReturnValues::None)?;
            // An update of unique attributes is a transaction with a token already.
            if plan.guarded() {
                return plan.send(&conn).await.map(drop);
            }
            let (kind, key) = (plan.kind, plan.key.clone());
            match plan.action(None)? {
                TransactWriteItem::Update(input) => {
                    super::native_transaction::send_once::<M>(&conn, input, kind, &key).await
                }
                _ => Err(Error::InvalidRequest {
                    model: M::SCHEMA.model,
                    reason: "the write plan of an update made no update (a bug of the mapper's)"
                        .into(),
                }),
            }
        })
    }
}

impl<M: Model> IntoFuture for Update<M> {
    type Output = Result<(), Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.send(ReturnValues::None).await.map(|_| ()) })
    }
}

/// An update that resolves to what it returns; `.await` it.
#[must_use = "an update does nothing until awaited"]
pub struct Returning<M: Model, T> {
    update: Update<M>,
    return_values: ReturnValues,
    decode: fn(Option<StoredItem>) -> Result<T, Error>,
}

impl<M: Model, T> Returning<M, T> {
    fn new(
        update: Update<M>,
        return_values: ReturnValues,
        decode: fn(Option<StoredItem>) -> Result<T, Error>,
    ) -> Self {
        Returning {
            update,
            return_values,
            decode,
        }
    }
}

impl<M: Model, T: Send + 'static> IntoFuture for Returning<M, T> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let attributes = self.update.send(self.return_values).await?;
            (self.decode)(attributes)
        })
    }
}
