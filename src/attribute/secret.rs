//! [`Secret`]: a value that never shows in `Debug` or `Display` output.

use std::fmt;

use super::{Attribute, AttributeValue, ValueError};

/// A value stored as the type it wraps, but printed as `<redacted>` by
/// `Debug` and `Display`, so a model deriving `Debug` does not leak it into
/// logs. Pair it with `#[dynamodb(sensitive)]`, which keeps the value out of
/// this crate's errors and `Document` output too.
///
/// ```
/// use dynamodb_mapper::attribute::Secret;
///
/// let password = Secret::new("hunter2".to_string());
/// assert_eq!(format!("{password:?}"), "Secret(<redacted>)");
/// assert_eq!(password.expose(), "hunter2");
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// Wraps a value.
    pub fn new(value: T) -> Self {
        Secret(value)
    }

    /// The value itself: the one way to read it.
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// Unwraps the value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> From<T> for Secret<T> {
    fn from(value: T) -> Self {
        Secret(value)
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl<T> fmt::Display for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<T: Attribute> Attribute for Secret<T> {
    fn to_attribute(&self) -> Result<AttributeValue, ValueError> {
        self.0.to_attribute().map_err(ValueError::redacted)
    }
    fn from_attribute(value: AttributeValue) -> Result<Self, ValueError> {
        T::from_attribute(value)
            .map(Secret)
            .map_err(ValueError::redacted)
    }
    fn from_attribute_ref<V: super::AttributeAccess>(value: &V) -> Result<Self, ValueError> {
        T::from_attribute_ref(value)
            .map(Secret)
            .map_err(ValueError::redacted)
    }
    fn from_missing() -> Result<Self, ValueError> {
        T::from_missing().map(Secret)
    }
    fn to_json(&self) -> Result<serde_json::Value, ValueError> {
        self.0.to_json().map_err(ValueError::redacted)
    }
}

/// The original's form of the value inside, kept out of errors too.
impl<T: super::PythonAttribute> super::PythonAttribute for Secret<T> {
    type Form = T::Form;
    fn to_python(&self) -> Result<AttributeValue, ValueError> {
        self.0.to_python().map_err(ValueError::redacted)
    }
    fn from_python(value: AttributeValue) -> Result<Self, ValueError> {
        T::from_python(value)
            .map(Secret)
            .map_err(ValueError::redacted)
    }
    fn from_python_ref<V: super::AttributeAccess>(value: &V) -> Result<Self, ValueError> {
        T::from_python_ref(value)
            .map(Secret)
            .map_err(ValueError::redacted)
    }
    fn python_missing() -> Result<Self, ValueError> {
        T::python_missing().map(Secret)
    }
    fn python_json(&self) -> Result<serde_json::Value, ValueError> {
        self.0.python_json().map_err(ValueError::redacted)
    }
}
