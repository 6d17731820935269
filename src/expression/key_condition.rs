//! [`KeyCondition`]: the original's range key conditions for queries.

/// A condition on the range key of a query: the original library's `EQ`, `LE`,
/// `LT`, `GE`, `GT`, `BEGINS_WITH` and `BETWEEN`.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyCondition<T> {
    /// `range = value`
    Eq(T),
    /// `range <= value`
    Le(T),
    /// `range < value`
    Lt(T),
    /// `range >= value`
    Ge(T),
    /// `range > value`
    Gt(T),
    /// `begins_with(range, prefix)`
    BeginsWith(T),
    /// `range BETWEEN low AND high` (inclusive)
    Between(T, T),
}
