//! Phase 2, check: every rule about the options, with all mistakes recorded
//! in the [`Ctxt`]. What passes is a checked description ([`Model`] or
//! [`Nested`]) that names fields by position and holds only what code
//! generation needs; [`crate::emit`] validates nothing it could know (an
//! enum's variants: [`variants`]; what only the variants' models know is
//! checked by constants spanned at the variant).

mod fields;
mod indexes;
mod model;
mod nested;
mod templates;
mod variants;
mod vector_indexes;

pub use model::model;
pub use nested::nested;
pub use variants::variants;
pub use vector_indexes::VectorIndex;

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
    /// `serde`: native `M`/`L` values through the type's serde impls.
    Serde,
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
    pub hash: KeySource,
    pub range: Option<KeySource>,
    /// For an entity (a model whose keys are templates): its stored name.
    pub entity: Option<Entity>,
    pub auto_increment: bool,
    /// Fields no two items may share a value of (guard items keep them so).
    pub unique: Vec<usize>,
    pub version: Option<usize>,
    pub migrator: Option<Path>,
    pub ttl: Option<usize>,
    pub stream: Option<StreamView>,
    pub indexes: Vec<Index>,
    pub vector_indexes: Vec<VectorIndex>,
}

/// A checked secondary index.
pub struct Index {
    pub name: LitStr,
    /// Its field in `Name::indexes()`.
    pub handle: Ident,
    pub global: bool,
    pub hash: KeySource,
    pub range: Option<KeySource>,
    /// A multi-attribute key's fields after `hash` and `range`, in order.
    pub more_hash: Vec<usize>,
    pub more_range: Vec<usize>,
    pub projection: Projection,
}

/// Where a key attribute's value comes from.
#[derive(Clone)]
pub enum KeySource {
    /// The field at this position, stored by its own type.
    Field(usize),
    /// A template over fields, stored as text under its own attribute.
    Composed(Composed),
}

/// A key attribute composed from fields: `ORDER#{placed_at}#{order_id}`.
#[derive(Clone)]
pub struct Composed {
    /// The stored attribute: `pk`, `sk`, `gsi1_pk`, ...
    pub attribute: String,
    pub parts: Vec<ComposedPart>,
    /// The generated key type, `OrderPk`.
    pub type_ident: Ident,
    /// An index key may leave items out (a sparse index): its fields may be
    /// `Option`s, and an item with one of them `None` has no such attribute.
    pub sparse: bool,
}

#[derive(Clone)]
pub enum ComposedPart {
    Literal(String),
    /// A field's position in the model.
    Field(usize),
}

impl Composed {
    /// The positions of the fields it is composed from, in order.
    pub fn fields(&self) -> impl Iterator<Item = usize> + '_ {
        self.parts.iter().filter_map(|part| match part {
            ComposedPart::Field(position) => Some(*position),
            ComposedPart::Literal(_) => None,
        })
    }
}

/// An entity's stored type name and the attribute that holds it.
pub struct Entity {
    pub name: String,
    pub attribute: String,
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

    /// Whether the field at `position` is a primary key attribute itself
    /// (not a field a composed key is made of).
    pub fn is_key(&self, position: usize) -> bool {
        let is = |source: &KeySource| matches!(source, KeySource::Field(p) if *p == position);
        is(&self.hash) || self.range.as_ref().is_some_and(is)
    }

    /// Every composed key attribute: the primary key's, then the indexes'.
    pub fn composed(&self) -> impl Iterator<Item = &Composed> {
        let primary = [Some(&self.hash), self.range.as_ref()];
        let indexes = self
            .indexes
            .iter()
            .filter(|i| i.global)
            .map(|i| Some(&i.hash))
            .chain(self.indexes.iter().map(|i| i.range.as_ref()));
        primary
            .into_iter()
            .chain(indexes)
            .flatten()
            .filter_map(|source| match source {
                KeySource::Composed(composed) => Some(composed),
                KeySource::Field(_) => None,
            })
    }
}

impl Shape<'_> {
    /// The stored fields, with their positions.
    pub fn stored(&self) -> impl Iterator<Item = (usize, &Field<'_>)> {
        self.fields.iter().enumerate().filter(|(_, f)| !f.skip)
    }
}

/// An index name as part of a type name: `by_status`, `by-status` and
/// `r#by_status` as `ByStatus` (the generated key types `OrderByStatusPk`).
pub fn camel(name: &str) -> String {
    name.trim_start_matches("r#")
        .replace(['-', '.'], "_")
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}
