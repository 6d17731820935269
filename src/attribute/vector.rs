//! [`Vector`]: an embedding of a fixed number of `f32` dimensions, stored
//! as DynamoDB stores the vectors of its vector indexes: a list (`L`) of
//! `N` numbers.

use std::fmt;
use std::ops::Deref;

use super::access::{AttributeAccess, ValueRef};
use super::{Attribute, AttributeValue, ValueError};

/// The most dimensions DynamoDB's vector indexes take.
pub const MAX_DIMENSIONS: usize = 4096;

/// A vector of `N` finite `f32` dimensions, as a vector index searches them
/// (`1 <= N <= 4096`, checked when the type is used).
///
/// Stored as a list of `N` numbers, each the shortest text that reads back
/// as the same `f32`. Reading a stored list checks its length and that each
/// element is a number that fits a finite `f32` (a number written with more
/// precision by another program reads as the nearest `f32`, as the index
/// itself reads it). A missing vector is an error, not a zero vector: a
/// model whose items may lack one declares `Option<Vector<N>>`.
///
/// ```
/// use dynamodb_mapper::{Attribute, AttributeValue, Vector};
///
/// let v = Vector::new([0.5, -1.0, 2.25]);
/// let stored = v.to_attribute().unwrap();
/// assert_eq!(stored, AttributeValue::L(vec![
///     AttributeValue::N("0.5".into()),
///     AttributeValue::N("-1".into()),
///     AttributeValue::N("2.25".into()),
/// ]));
/// assert_eq!(Vector::<3>::from_attribute(stored).unwrap(), v);
/// assert!(Vector::<4>::from_attribute(v.to_attribute().unwrap()).is_err());
/// assert_eq!(v[2], 2.25);
/// ```
///
/// A vector of no dimensions (or more than 4096) does not compile:
///
/// ```compile_fail
/// let _ = dynamodb_mapper::Vector::<0>::default();
/// ```
#[derive(Clone, Copy, PartialEq)]
pub struct Vector<const N: usize>([f32; N]);

impl<const N: usize> Vector<N> {
    /// The number of dimensions; using it (as every constructor does)
    /// refuses `N` outside `1..=4096` at compile time.
    pub const DIMENSIONS: usize = {
        assert!(
            N >= 1 && N <= MAX_DIMENSIONS,
            "a vector has 1 to 4096 dimensions"
        );
        N
    };

    /// A vector of these components. Non-finite components (NaN,
    /// infinities) are refused when the vector is stored or searched with.
    pub const fn new(components: [f32; N]) -> Self {
        let _ = Self::DIMENSIONS;
        Vector(components)
    }

    /// A vector of the components of `slice`, if it has exactly `N`.
    pub fn from_slice(slice: &[f32]) -> Option<Self> {
        let _ = Self::DIMENSIONS;
        <[f32; N]>::try_from(slice).ok().map(Vector)
    }

    /// The components.
    pub const fn as_array(&self) -> &[f32; N] {
        &self.0
    }

    /// The components, by value.
    pub const fn into_array(self) -> [f32; N] {
        self.0
    }

    /// The vector scaled to length 1 (for cosine and dot-product indexes);
    /// the zero vector stays as it is.
    pub fn normalized(mut self) -> Self {
        let length = self.0.iter().map(|c| c * c).sum::<f32>().sqrt();
        if length > 0.0 {
            self.0.iter_mut().for_each(|c| *c /= length);
        }
        self
    }

    /// The stored form: `N` numbers, or the first component that is not
    /// finite.
    pub(crate) fn numbers(&self) -> Result<Vec<AttributeValue>, ValueError> {
        self.0
            .iter()
            .enumerate()
            .map(|(index, c)| c.to_attribute().map_err(|e| e.in_index(index)))
            .collect()
    }
}

impl<const N: usize> Default for Vector<N> {
    /// The zero vector.
    fn default() -> Self {
        Vector::new([0.0; N])
    }
}

impl<const N: usize> From<[f32; N]> for Vector<N> {
    fn from(components: [f32; N]) -> Self {
        Vector::new(components)
    }
}

impl<const N: usize> Deref for Vector<N> {
    type Target = [f32];

    fn deref(&self) -> &[f32] {
        &self.0
    }
}

impl<const N: usize> fmt::Debug for Vector<N> {
    /// The dimension count and the first components: embeddings are long.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 4;
        write!(f, "Vector<{N}>[")?;
        for (index, c) in self.0.iter().take(SHOWN).enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{c}")?;
        }
        if N > SHOWN {
            f.write_str(", ..")?;
        }
        f.write_str("]")
    }
}

impl<const N: usize> Attribute for Vector<N> {
    fn to_attribute(&self) -> Result<AttributeValue, ValueError> {
        self.numbers().map(AttributeValue::L)
    }

    fn from_attribute(value: AttributeValue) -> Result<Self, ValueError> {
        Self::from_attribute_ref(&value)
    }

    fn from_attribute_ref<V: AttributeAccess>(value: &V) -> Result<Self, ValueError> {
        let _ = Self::DIMENSIONS;
        let list = match value.access() {
            ValueRef::L(list) => list,
            ValueRef::Null => return Self::from_missing(),
            _ => return Err(ValueError::type_mismatch("L", value)),
        };
        if list.len() != N {
            return Err(ValueError::invalid(
                format!("a list of {} elements", list.len()),
                format!("a vector of {N} dimensions has {N}"),
            ));
        }
        let mut components = [0.0f32; N];
        for (index, element) in list.iter().enumerate() {
            components[index] = f32::from_attribute_ref(element).map_err(|e| e.in_index(index))?;
        }
        Ok(Vector(components))
    }

    fn from_missing() -> Result<Self, ValueError> {
        Err(ValueError::invalid(
            "nothing",
            format!("a vector of {N} dimensions is required (declare `Option<Vector<{N}>>` for items without one)"),
        ))
    }
}

/// A field type a vector index can index: [`Vector<N>`], or an
/// `Option<Vector<N>>` (an item without a vector is not in the index).
/// The derive reads an index's dimensions from it, and its handle takes
/// queries of type [`Query`](VectorField::Query).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be indexed by a vector index",
    note = "a vector index's field is a `dynamodb_mapper::Vector<N>` or an `Option<Vector<N>>`"
)]
pub trait VectorField {
    /// The vector a search of the index takes.
    type Query: SearchVector;
    /// Its dimensions.
    const DIMENSIONS: usize;
}

impl<const N: usize> VectorField for Vector<N> {
    type Query = Vector<N>;
    const DIMENSIONS: usize = Vector::<N>::DIMENSIONS;
}

impl<const N: usize> VectorField for Option<Vector<N>> {
    type Query = Vector<N>;
    const DIMENSIONS: usize = Vector::<N>::DIMENSIONS;
}

/// A vector to search with: its components in the stored form.
pub trait SearchVector: Send + Sync + 'static {
    /// The components as numbers, or the first that is not finite.
    fn search_numbers(&self) -> Result<Vec<AttributeValue>, ValueError>;
}

impl<const N: usize> SearchVector for Vector<N> {
    fn search_numbers(&self) -> Result<Vec<AttributeValue>, ValueError> {
        self.numbers()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_exactly() {
        let v = Vector::new([0.1, -3.5e-8, 1.0e30, f32::MIN_POSITIVE, 0.0, -0.0]);
        let back = Vector::<6>::from_attribute(v.to_attribute().unwrap()).unwrap();
        for (a, b) in v.iter().zip(back.iter()) {
            assert_eq!(a.to_bits() & 0x7fff_ffff, b.to_bits() & 0x7fff_ffff);
        }
    }

    #[test]
    fn refuses_what_is_no_vector() {
        let nan = Vector::new([1.0, f32::NAN]).to_attribute().unwrap_err();
        assert_eq!(nan.path(), "[1]");
        let number = |n: &str| AttributeValue::N(n.into());
        let wrong_length = AttributeValue::L(vec![number("1")]);
        assert!(Vector::<2>::from_attribute(wrong_length).is_err());
        let too_big = AttributeValue::L(vec![number("1"), number("1e39")]);
        assert_eq!(
            Vector::<2>::from_attribute(too_big).unwrap_err().path(),
            "[1]"
        );
        let text = AttributeValue::L(vec![number("1"), AttributeValue::S("x".into())]);
        assert!(Vector::<2>::from_attribute(text).is_err());
        assert!(Vector::<2>::from_attribute(AttributeValue::S("x".into())).is_err());
        assert!(Vector::<2>::from_missing().is_err());
        assert!(Option::<Vector<2>>::from_missing().unwrap().is_none());
    }

    #[test]
    fn debug_is_short() {
        let v = Vector::new([1.0; 300]);
        assert_eq!(format!("{v:?}"), "Vector<300>[1, 1, 1, 1, ..]");
        assert_eq!(
            Vector::from_slice(&[1.0, 2.0]),
            Some(Vector::new([1.0, 2.0]))
        );
        assert_eq!(Vector::<3>::from_slice(&[1.0]), None);
        let unit = Vector::new([3.0, 4.0]).normalized();
        assert_eq!(unit.as_array(), &[0.6, 0.8]);
    }
}
