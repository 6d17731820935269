//! Phase 2, check: every rule about the options, with all mistakes recorded
//! in the [`Ctxt`]. What passes is a checked description ([`Model`] or
//! [`Nested`]) that names fields by position and holds only what code
//! generation needs; [`crate::emit`] validates nothing.

mod fields;
mod indexes;
mod model;
mod nested;

pub use model::model;
pub use nested::nested;

use syn::{Expr, Generics, Ident, LitStr, Path, Type, Visibility};

pub use crate::parse::{Format, StreamView};

/// The struct and its fields, checked: what both derives generate from.
pub struct Shape<'a> {
    pub ident: &'a Ident,
    pub vis: &'a Visibility,
    pub generics: &'a Generics,
    pub fields: Vec<Field<'a>>,
}

/// A field as it is stored.
pub struct Field<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    /// The attribute name: the field's name or its `rename`.
    pub stored_name: String,
    pub codec: Codec,
    /// `skip`: not stored, `Default::default()` when loaded.
    pub skip: bool,
    /// The value in `impl Default`.
    pub default: FieldDefault,
    /// `sensitive`: the value is kept out of errors and `Document` output.
    pub sensitive: bool,
}

/// How a field converts to its attribute.
pub enum Codec {
    /// The type's own `Attribute` impl, no option given.
    Attribute,
    /// The type's own `Attribute` impl, by `native` in a model whose
    /// format would store it otherwise.
    Native,
    /// The original's form, `PythonAttribute`: a field without an option in
    /// a model with `format = "python"`.
    Python,
    Json,
    EpochSeconds,
    BoolAsNumber,
    /// `with = module`.
    With(Path),
}

/// A field's value in the generated `impl Default`.
pub enum FieldDefault {
    /// `Default::default()`.
    Neutral,
    /// `default = expr`.
    Expr(Expr),
    /// `default_with = function`.
    With(Path),
}

/// A checked `#[derive(Model)]`.
pub struct Model<'a> {
    pub shape: Shape<'a>,
    pub table: LitStr,
    /// Positions in `shape.fields`.
    pub hash: usize,
    pub range: Option<usize>,
    pub auto_increment: bool,
    pub version: Option<usize>,
    pub migrator: Option<Path>,
    pub ttl: Option<usize>,
    pub stream: Option<StreamView>,
    pub indexes: Vec<Index>,
}

/// A checked secondary index.
pub struct Index {
    pub name: LitStr,
    /// Its field in `Name::indexes()`.
    pub handle: Ident,
    pub global: bool,
    /// Positions in the model's fields.
    pub hash: usize,
    pub range: Option<usize>,
    pub projection: Projection,
}

/// The attributes an index holds.
pub enum Projection {
    All,
    KeysOnly,
    /// The keys and these stored attribute names.
    Include(Vec<String>),
}

/// A checked `#[derive(Attribute)]`.
pub struct Nested<'a> {
    pub shape: Shape<'a>,
}

impl<'a> Model<'a> {
    pub fn field(&self, position: usize) -> &Field<'a> {
        &self.shape.fields[position]
    }

    pub fn hash_field(&self) -> &Field<'a> {
        self.field(self.hash)
    }

    pub fn range_field(&self) -> Option<&Field<'a>> {
        self.range.map(|position| self.field(position))
    }

    /// Whether the field at `position` is part of the primary key.
    pub fn is_key(&self, position: usize) -> bool {
        position == self.hash || self.range == Some(position)
    }
}

impl Shape<'_> {
    /// The stored fields, with their positions.
    pub fn stored(&self) -> impl Iterator<Item = (usize, &Field<'_>)> {
        self.fields.iter().enumerate().filter(|(_, f)| !f.skip)
    }
}
