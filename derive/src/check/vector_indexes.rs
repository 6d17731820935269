//! The rules of vector indexes: a name that makes a handle, a stored vector
//! field, a distance DynamoDB knows, search attributes that are stored
//! fields stored by their own type, one way to give the projection.

use syn::LitStr;

use super::indexes::{handle, key_field, projection_of, stored_field};
use super::{Codec, Projection, Shape};
use crate::ctxt::Ctxt;
use crate::parse::VectorIndexOptions;

/// A checked vector index.
pub struct VectorIndex {
    pub name: LitStr,
    /// Its field in `Name::indexes()`.
    pub handle: syn::Ident,
    /// The vector field's position.
    pub vector: usize,
    /// `COSINE`, `DOT_PRODUCT` or `EUCLIDEAN`.
    pub distance: &'static str,
    pub partition: Option<usize>,
    pub filters: Vec<usize>,
    pub projection: Projection,
}

/// The checked vector indexes.
pub fn vector_indexes(
    cx: &Ctxt,
    options: &[VectorIndexOptions],
    shape: &Shape,
) -> Vec<VectorIndex> {
    if options.len() > 5 {
        cx.error_at(
            options[5].span,
            "DynamoDB takes at most 5 vector indexes on a table",
        );
    }
    options
        .iter()
        .filter_map(|index| check(cx, index, shape))
        .collect()
}

fn check(cx: &Ctxt, index: &VectorIndexOptions, shape: &Shape) -> Option<VectorIndex> {
    let name = index.name.get();
    if name.is_none() {
        cx.error_at(index.span, "a vector index needs a `name`");
    }
    let handle = name.and_then(|name| handle(cx, name));
    let vector = match index.vector.get() {
        Some(field) => vector_field(cx, shape, field),
        None => {
            cx.error_at(
                index.span,
                "a vector index needs the `vector` field it indexes (a `Vector<N>`)",
            );
            None
        }
    };
    let distance = distance(cx, index);
    let partition = match index.partition.get() {
        Some(field) => Some(key_field(cx, shape, field, "partition")?),
        None => None,
    };
    let filters: Vec<Option<usize>> = index
        .filter
        .get()
        .into_iter()
        .flatten()
        .map(|field| key_field(cx, shape, field, "filter"))
        .collect();
    let filters: Vec<usize> = filters.into_iter().collect::<Option<_>>()?;
    let searchable: Vec<usize> = partition.iter().chain(&filters).copied().collect();
    for (i, position) in searchable.iter().enumerate() {
        if searchable[..i].contains(position) || Some(*position) == vector {
            cx.error_at(
                index.span,
                format!(
                    "field `{}` is named twice in this vector index: a search attribute is the partition or a filter, once, and never the vector",
                    shape.fields[*position].ident
                ),
            );
        }
    }
    let projection = projection_of(cx, shape, &index.projection, &index.include);
    Some(VectorIndex {
        name: name?.clone(),
        handle: handle?,
        vector: vector?,
        distance: distance?,
        partition,
        filters,
        projection: projection?,
    })
}

/// The indexed field: stored by its own type (a `Vector<N>`; the type is
/// checked by the compiler, through `VectorField`).
fn vector_field(cx: &Ctxt, shape: &Shape, name: &LitStr) -> Option<usize> {
    let position = stored_field(cx, shape, name, "vector")?;
    if !matches!(shape.fields[position].codec, Codec::Attribute) {
        cx.error_spanned_by(
            name,
            "the vector field is stored as vector indexes read it: no `json`, `serde`, `with` or other storage option",
        );
    }
    Some(position)
}

fn distance(cx: &Ctxt, index: &VectorIndexOptions) -> Option<&'static str> {
    let Some(text) = index.distance.get() else {
        cx.error_at(
            index.span,
            "a vector index needs a `distance`: `cosine`, `dot_product` or `euclidean`",
        );
        return None;
    };
    let distance = match text.value().as_str() {
        "cosine" => "Cosine",
        "dot_product" => "DotProduct",
        "euclidean" => "Euclidean",
        _ => {
            cx.error_spanned_by(text, "distance is `cosine`, `dot_product` or `euclidean`");
            return None;
        }
    };
    Some(distance)
}
