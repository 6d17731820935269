//! [`DocumentArg`]: the document a write of a document takes, borrowed or
//! owned.

use crate::model::{Document, Model};

/// The document a [`save`](crate::Connection::save) or a
/// [`delete`](crate::Connection::delete) takes: `&mut Document<M>`, which then
/// learns what is stored after the write (its version, its item, gone), or a
/// `Document<M>`, consumed (for a new object: `Document::new(object)`).
pub enum DocumentArg<'d, M> {
    /// Borrowed: updated after the write.
    Borrowed(&'d mut Document<M>),
    /// Owned: dropped after the write.
    Owned(Document<M>),
}

impl<M: Model + std::fmt::Debug> std::fmt::Debug for DocumentArg<'_, M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

impl<M: Model> DocumentArg<'_, M> {
    pub(crate) fn get(&self) -> &Document<M> {
        match self {
            DocumentArg::Borrowed(document) => document,
            DocumentArg::Owned(document) => document,
        }
    }

    pub(crate) fn get_mut(&mut self) -> &mut Document<M> {
        match self {
            DocumentArg::Borrowed(document) => document,
            DocumentArg::Owned(document) => document,
        }
    }
}

impl<'d, M> From<&'d mut Document<M>> for DocumentArg<'d, M> {
    fn from(document: &'d mut Document<M>) -> Self {
        DocumentArg::Borrowed(document)
    }
}

impl<M> From<Document<M>> for DocumentArg<'_, M> {
    fn from(document: Document<M>) -> Self {
        DocumentArg::Owned(document)
    }
}
