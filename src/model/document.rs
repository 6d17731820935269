//! [`Document`]: a model object together with the item it was loaded from.

use std::fmt;
use std::ops::{Deref, DerefMut};

use crate::attribute::{Item, ItemAccess, ItemVisitor, RedactedItem, StoredItem};
use crate::error::Error;
use crate::model::{migration, Model};

/// A model object plus what conflict detection needs: the raw item as stored
/// when the object was loaded or last saved.
///
/// Reads return documents; build one for a new object with [`Document::new`]
/// (or `.into()`). A document dereferences to its model, so fields are read and
/// changed directly. Your structs need no extra fields for conflict detection.
///
/// ```
/// # use dynamodb_mapper::{Document, Model};
/// # #[derive(Model, Debug, Clone, Default)]
/// # #[dynamodb(table = "users", hash_key = "id")]
/// # struct User { id: String, visits: u32 }
/// let mut user = Document::new(User { id: "ann".into(), visits: 0 });
/// user.visits += 1;
/// assert!(!user.is_loaded());
/// ```
#[derive(Clone, PartialEq)]
pub struct Document<M> {
    model: M,
    /// Kept in the form the engine returned it: converted to an [`Item`]
    /// only when a save or [`stored_item`](Document::stored_item) asks.
    stored: Option<StoredItem>,
}

impl<M> Document<M> {
    /// A new object, never stored: saving it with conflict detection requires its key to be free.
    pub fn new(model: M) -> Self {
        Document {
            model,
            stored: None,
        }
    }

    /// An object loaded from `stored`.
    pub fn loaded(model: M, stored: impl Into<StoredItem>) -> Self {
        Document {
            model,
            stored: Some(stored.into()),
        }
    }

    /// The raw item as stored when this object was loaded or last saved
    /// (in this crate's form: converted from the engine's the first time).
    pub fn stored_item(&self) -> Option<&Item> {
        self.stored.as_ref().map(StoredItem::item)
    }

    /// The raw item as stored, in the form its engine returned it. Its
    /// `Debug` prints every value; the document's own redacts the model's
    /// sensitive attributes.
    pub fn stored(&self) -> Option<&StoredItem> {
        self.stored.as_ref()
    }

    /// Whether the object came from (or was written to) the database.
    pub fn is_loaded(&self) -> bool {
        self.stored.is_some()
    }

    /// The model object, dropping the snapshot.
    pub fn into_inner(self) -> M {
        self.model
    }

    /// The model object.
    pub fn model(&self) -> &M {
        &self.model
    }

    pub(crate) fn set_stored(&mut self, stored: Option<Item>) {
        self.stored = stored.map(StoredItem::from);
    }
}

impl<M: Model> Document<M> {
    /// Decodes an item as a read does: the model's migrations run on a copy,
    /// and the document keeps the item as stored, so saving it with
    /// conflict detection compares against this item (the original's
    /// `_from_db_dict`). For items that come from elsewhere: a stream
    /// record, a backup, a test.
    ///
    /// ```
    /// # use dynamodb_mapper::{AttributeValue, Document, Item, Model};
    /// # #[derive(Model, Debug, Clone, Default)]
    /// # #[dynamodb(table = "users", hash_key = "id")]
    /// # struct User { id: String, visits: u32 }
    /// let stored = Item::from_iter([("id".to_string(), AttributeValue::S("ann".into()))]);
    /// let user = Document::<User>::from_stored(stored.clone()).unwrap();
    /// assert_eq!((user.visits, user.stored_item()), (0, Some(&stored)));
    /// ```
    pub fn from_stored(item: impl Into<StoredItem>) -> Result<Self, Error> {
        let item = item.into();
        // Migrations work on a copy, so the snapshot still is the stored form;
        // without them the model reads the item in place, in its engine's form.
        let model = if migration::enabled::<M>() {
            M::from_item(migration::apply::<M>(item.to_item())?)?
        } else {
            item.read(ReadModel::<M>::new())?
        };
        Ok(Document::loaded(model, item))
    }

    /// The item a save of this document writes: the model's attributes,
    /// and the attributes of the loaded item that the model does not
    /// declare (as the model reads the item: what a migration removed stays
    /// removed), with the version the object holds (a save writes the next
    /// one). Equal to [`stored_item`](Document::stored_item) when the
    /// stored item is already in the form the model writes.
    ///
    /// ```
    /// # use dynamodb_mapper::{AttributeValue, Document, Item, Model};
    /// # #[derive(Model, Debug, Clone, Default)]
    /// # #[dynamodb(table = "users", hash_key = "id")]
    /// # struct User { id: String, visits: u32 }
    /// let stored = Item::from_iter([
    ///     ("id".to_string(), AttributeValue::S("ann".into())),
    ///     ("audit".to_string(), AttributeValue::S("kept".into())),
    /// ]);
    /// let user = Document::<User>::from_stored(stored).unwrap();
    /// let item = user.item_to_save().unwrap();
    /// assert_eq!(item["visits"], AttributeValue::N("0".into()), "declared: written");
    /// assert_eq!(item["audit"], AttributeValue::S("kept".into()), "not declared: carried");
    /// ```
    pub fn item_to_save(&self) -> Result<Item, Error> {
        let mut item = self.to_item()?;
        if let Some(stored) = self.stored_item() {
            let migrated;
            let current = if migration::enabled::<M>() {
                migrated = migration::apply::<M>(stored.clone())?;
                &migrated
            } else {
                stored
            };
            for (name, value) in current {
                if !M::SCHEMA.declares(name) {
                    item.entry(name.clone()).or_insert_with(|| value.clone());
                }
            }
        }
        Ok(item)
    }
}

/// Decodes `M` from an item of any engine's form.
pub(crate) struct ReadModel<M>(std::marker::PhantomData<M>);

impl<M> ReadModel<M> {
    pub(crate) fn new() -> Self {
        ReadModel(std::marker::PhantomData)
    }
}

impl<M: Model> ItemVisitor for ReadModel<M> {
    type Output = Result<M, crate::error::AttributeError>;
    #[inline]
    fn visit<I: ItemAccess>(self, item: &I) -> Self::Output {
        M::from_item_ref(item)
    }
}

impl<M> Deref for Document<M> {
    type Target = M;
    fn deref(&self) -> &M {
        &self.model
    }
}

impl<M> DerefMut for Document<M> {
    fn deref_mut(&mut self) -> &mut M {
        &mut self.model
    }
}

impl<M> From<M> for Document<M> {
    fn from(model: M) -> Self {
        Document::new(model)
    }
}

/// The stored item prints with the model's sensitive attributes redacted.
impl<M: Model + fmt::Debug> fmt::Debug for Document<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Document")
            .field("model", &self.model)
            .field(
                "stored",
                &self
                    .stored
                    .as_ref()
                    .map(|item| RedactedItem(item.item(), M::SCHEMA.sensitive)),
            )
            .finish()
    }
}
