//! How a model's field is stored, as a type: the last parameter of its
//! [`Field`](crate::model::Field) handle. Update actions that depend on the
//! stored type (`ADD`, `DELETE`, arithmetic, `list_append`, paths inside a
//! list or map) take only fields stored in their type's own form
//! ([`InNativeForm`]), so they do not compile on a list
//! kept as JSON text or a `bool` kept as 0/1.

/// A form of storage: [`Native`], [`Python`] or [`Converted`].
pub trait StoredForm: sealed::Sealed + 'static {}

/// Stored in the type's own [`Attribute`](crate::Attribute) form.
#[derive(Debug, Clone, Copy)]
pub enum Native {}

/// Stored in the original Python library's form
/// ([`PythonAttribute`](super::PythonAttribute)), under
/// `format = "python"`: the native form for numbers, strings, sets and
/// datetimes; JSON text for lists and maps, 0/1 for `bool`.
#[derive(Debug, Clone, Copy)]
pub enum Python {}

/// Stored through a field's conversion option (`json`,
/// `bool_as_number`, `epoch_seconds`, `with`): only whole values are
/// set, removed and compared.
#[derive(Debug, Clone, Copy)]
pub enum Converted {}

impl StoredForm for Native {}
impl StoredForm for Python {}
impl StoredForm for Converted {}

/// Form `Self` stores a `T` as `T`'s own [`Attribute`](crate::Attribute)
/// form: update actions that depend on the stored type apply.
#[diagnostic::on_unimplemented(
    message = "this field's `{T}` is not stored in its native DynamoDB form",
    note = "it is stored through a conversion (such as the original's JSON text for a list or map, or 0/1 for a bool): set, remove and compare the whole value, or store the field in its native form with `#[dynamodb(native)]`"
)]
pub trait InNativeForm<T>: StoredForm {}

impl<T> InNativeForm<T> for Native {}
impl<T: super::PythonAttribute<Form = Native>> InNativeForm<T> for Python {}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Native {}
    impl Sealed for super::Python {}
    impl Sealed for super::Converted {}
}
