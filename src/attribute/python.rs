//! The original library's stored form of each type, for models declared
//! with `#[dynamodb(format = "python")]`.
//!
//! A model with that switch stores every field the way dynamodb-mapper 1.8
//! (Python) does, so it shares its table with Python programs without an
//! option on each field:
//!
//! | Rust type | stored as | [`Attribute`] (the native form) |
//! |---|---|---|
//! | `bool` | `N` `0` / `1` | `BOOL` |
//! | `Vec<T>`, `VecDeque<T>`, `HashMap<K, V>`, `BTreeMap<K, V>` of serde types | `S`: JSON text as Python's `json.dumps(sort_keys=True)` writes it | `L` / `M` |
//! | `serde_json::Value` | `S`: JSON text | (none) |
//! | numbers, `String`, sets, datetimes, [`Bytes`], [`Json<T>`], [`JsonValue`] | as their [`Attribute`] form, which is already the original's | the same |
//! | `Option<T>`, `Box<T>`, [`Secret<T>`](super::Secret) | as `T` (`None` absent) | the same |
//!
//! Any other type (a `#[derive(Attribute)]` struct, your own types) has no
//! form in the original: the compiler asks for a field option, `json` (the
//! original's JSON text, as it stored nested dicts) or `native` (the type's
//! own DynamoDB form), or `with = module`.
//!
//! ```
//! use dynamodb_mapper::attribute::PythonAttribute;
//! use dynamodb_mapper::AttributeValue;
//! use std::collections::BTreeMap;
//!
//! assert_eq!(true.to_python().unwrap(), AttributeValue::N("1".into()));
//! let inventory = vec![BTreeMap::from([("name".to_string(), "épée".to_string())])];
//! assert_eq!(
//!     inventory.to_python().unwrap(),
//!     AttributeValue::S(r#"[{"name": "\u00e9p\u00e9e"}]"#.into())
//! );
//! assert_eq!(<Vec<u32>>::from_python(AttributeValue::S("[1, 2]".into())).unwrap(), [1, 2]);
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::hash::{BuildHasher, Hash};

use chrono::{DateTime, FixedOffset, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{
    bool_as_number, json, Attribute, AttributeAccess, AttributeValue, Bytes, Decimal, Json,
    JsonValue, SetMember, ValueError, ValueRef,
};

/// A type as the original Python library stores it: the conversions of the
/// fields of a model declared with `#[dynamodb(format = "python")]` (see the
/// [module docs](self) for each type's form).
///
/// The methods mirror [`Attribute`]'s under other names, so that both traits
/// can be in scope at once.
#[diagnostic::on_unimplemented(
    message = "the original Python library has no stored form for `{Self}`",
    note = "in a model with `format = \"python\"`, give this field `#[dynamodb(json)]` to store it as the original's JSON text (the type implements serde's `Serialize`, `Deserialize` and `Default`), `#[dynamodb(native)]` to store it in its own DynamoDB form, or `#[dynamodb(with = module)]`"
)]
pub trait PythonAttribute: Sized {
    /// [`Native`](super::form::Native) when the original's form is the
    /// type's own [`Attribute`] form, else [`Converted`](super::form::Converted).
    type Form: super::form::StoredForm;

    /// Encodes the value as the original stores it.
    fn to_python(&self) -> Result<AttributeValue, ValueError>;

    /// Decodes a stored value.
    fn from_python(value: AttributeValue) -> Result<Self, ValueError>;

    /// Decodes a stored value by reference, in whichever engine's form it
    /// came (as [`Attribute::from_attribute_ref`]).
    fn from_python_ref<V: AttributeAccess>(value: &V) -> Result<Self, ValueError> {
        Self::from_python(super::access::known_copy(value)?)
    }

    /// The value of a missing attribute: the type's neutral value.
    fn python_missing() -> Result<Self, ValueError>;

    /// The value in the model's JSON view (`Model::to_json`).
    fn python_json(&self) -> Result<serde_json::Value, ValueError>;
}

/// Types the original stores in their native [`Attribute`] form.
macro_rules! as_attribute {
    ($([$($generics:tt)*] $t:ty),* $(,)?) => {$(
        impl<$($generics)*> PythonAttribute for $t {
            type Form = super::form::Native;
            #[inline]
            fn to_python(&self) -> Result<AttributeValue, ValueError> {
                Attribute::to_attribute(self)
            }
            #[inline]
            fn from_python(value: AttributeValue) -> Result<Self, ValueError> {
                <Self as Attribute>::from_attribute(value)
            }
            #[inline]
            fn from_python_ref<V: AttributeAccess>(value: &V) -> Result<Self, ValueError> {
                <Self as Attribute>::from_attribute_ref(value)
            }
            #[inline]
            fn python_missing() -> Result<Self, ValueError> {
                <Self as Attribute>::from_missing()
            }
            #[inline]
            fn python_json(&self) -> Result<serde_json::Value, ValueError> {
                Attribute::to_json(self)
            }
        }
    )*};
}

as_attribute!(
    [] i8, [] i16, [] i32, [] i64, [] i128, [] isize,
    [] u8, [] u16, [] u32, [] u64, [] u128, [] usize,
    [] f32, [] f64, [] Decimal,
    [] String, [] Bytes, [] JsonValue, [] AttributeValue,
    [] DateTime<Utc>, [] DateTime<FixedOffset>,
    [T: SetMember + Hash, S: BuildHasher + Default] HashSet<T, S>,
    [T: SetMember + Ord] BTreeSet<T>,
    [T: Serialize + DeserializeOwned + Default] Json<T>,
    // No original form: a vector is stored as vector indexes read it.
    [const N: usize] super::Vector<N>,
);

impl PythonAttribute for bool {
    type Form = super::form::Converted;
    fn to_python(&self) -> Result<AttributeValue, ValueError> {
        bool_as_number::to_attribute(self)
    }
    fn from_python(value: AttributeValue) -> Result<Self, ValueError> {
        Self::from_python_ref(&value)
    }
    fn from_python_ref<V: AttributeAccess>(value: &V) -> Result<Self, ValueError> {
        <bool as Attribute>::from_attribute_ref(value)
    }
    fn python_missing() -> Result<Self, ValueError> {
        Ok(false)
    }
    fn python_json(&self) -> Result<serde_json::Value, ValueError> {
        Ok(serde_json::Value::Bool(*self))
    }
}

/// Collections the original stores as JSON text (its `list` and `dict`).
macro_rules! as_json_text {
    ($([$($generics:tt)*] $t:ty),* $(,)?) => {$(
        impl<$($generics)*> PythonAttribute for $t {
            type Form = super::form::Converted;
            fn to_python(&self) -> Result<AttributeValue, ValueError> {
                json::to_attribute(self)
            }
            fn from_python(value: AttributeValue) -> Result<Self, ValueError> {
                json::from_attribute_ref(&value)
            }
            // `A`: the macro's types name their own `V`.
            fn from_python_ref<A: AttributeAccess>(value: &A) -> Result<Self, ValueError> {
                json::from_attribute_ref(value)
            }
            fn python_missing() -> Result<Self, ValueError> {
                Ok(Self::default())
            }
            fn python_json(&self) -> Result<serde_json::Value, ValueError> {
                json::to_json(self)
            }
        }
    )*};
}

as_json_text!(
    [T: Serialize + DeserializeOwned] Vec<T>,
    [T: Serialize + DeserializeOwned] VecDeque<T>,
    [K: Serialize + DeserializeOwned + Eq + Hash, V: Serialize + DeserializeOwned, S: BuildHasher + Default] HashMap<K, V, S>,
    [K: Serialize + DeserializeOwned + Ord, V: Serialize + DeserializeOwned] BTreeMap<K, V>,
    [] serde_json::Value,
);

/// `None` is an absent attribute.
impl<T: PythonAttribute> PythonAttribute for Option<T> {
    type Form = T::Form;
    fn to_python(&self) -> Result<AttributeValue, ValueError> {
        match self {
            Some(value) => value.to_python(),
            None => Ok(AttributeValue::Null),
        }
    }
    fn from_python(value: AttributeValue) -> Result<Self, ValueError> {
        match value {
            AttributeValue::Null => Ok(None),
            value => T::from_python(value).map(Some),
        }
    }
    fn from_python_ref<V: AttributeAccess>(value: &V) -> Result<Self, ValueError> {
        match value.access() {
            ValueRef::Null => Ok(None),
            _ => T::from_python_ref(value).map(Some),
        }
    }
    fn python_missing() -> Result<Self, ValueError> {
        Ok(None)
    }
    fn python_json(&self) -> Result<serde_json::Value, ValueError> {
        match self {
            Some(value) => value.python_json(),
            None => Ok(serde_json::Value::Null),
        }
    }
}

impl<T: PythonAttribute> PythonAttribute for Box<T> {
    type Form = T::Form;
    fn to_python(&self) -> Result<AttributeValue, ValueError> {
        (**self).to_python()
    }
    fn from_python(value: AttributeValue) -> Result<Self, ValueError> {
        T::from_python(value).map(Box::new)
    }
    fn from_python_ref<V: AttributeAccess>(value: &V) -> Result<Self, ValueError> {
        T::from_python_ref(value).map(Box::new)
    }
    fn python_missing() -> Result<Self, ValueError> {
        T::python_missing().map(Box::new)
    }
    fn python_json(&self) -> Result<serde_json::Value, ValueError> {
        (**self).python_json()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> AttributeValue {
        AttributeValue::S(text.into())
    }

    #[test]
    fn forms_of_the_original() {
        assert_eq!(false.to_python().unwrap(), AttributeValue::N("0".into()));
        assert!(bool::from_python(AttributeValue::N("1".into())).unwrap());
        assert!(
            bool::from_python(AttributeValue::Bool(true)).unwrap(),
            "lenient"
        );
        let map = HashMap::from([("b".to_string(), 2), ("a".to_string(), 1)]);
        assert_eq!(map.to_python().unwrap(), s(r#"{"a": 1, "b": 2}"#));
        assert_eq!(
            HashMap::<String, i32>::from_python(s(r#"{"a": 1, "b": 2}"#)).unwrap(),
            map
        );
        let empty: Vec<i32> = Vec::new();
        assert_eq!(empty.to_python().unwrap(), AttributeValue::Null, "left out");
        assert_eq!(<Vec<i32>>::python_missing().unwrap(), empty);
        assert_eq!(42i64.to_python().unwrap(), AttributeValue::N("42".into()));
        let set = BTreeSet::from(["x".to_string()]);
        assert_eq!(
            set.to_python().unwrap(),
            AttributeValue::Ss(vec!["x".into()])
        );
        assert_eq!(
            Some(true).to_python().unwrap(),
            AttributeValue::N("1".into())
        );
        assert_eq!(None::<bool>.to_python().unwrap(), AttributeValue::Null);
        assert_eq!(
            Option::<bool>::from_python(AttributeValue::Null).unwrap(),
            None
        );
        let big = serde_json::json!({"k": [1.5, true, null]});
        assert_eq!(big.to_python().unwrap(), s(r#"{"k": [1.5, true, null]}"#));
    }

    #[test]
    fn wrong_stored_types_are_errors() {
        let error = <Vec<i32>>::from_python(AttributeValue::L(vec![])).unwrap_err();
        assert!(error.to_string().contains('S'), "{error}");
        assert!(<Vec<i32>>::from_python(s("[1, \"x\"]")).is_err());
        assert!(bool::from_python(s("true")).is_err());
    }
}
