//! Multi-attribute index keys (DynamoDB since November 2025): the values of
//! a partition key of several attributes ([`PartitionKey`], a tuple), and
//! typed conditions on a sort key of several ([`SortKey`]): equalities on a
//! prefix of its attributes, in key order, then at most one range on the
//! next. A condition DynamoDB would refuse does not compile: a range before
//! the attributes ahead of it are equal, a second range, a value of another
//! type.
//!
//! ```
//! use dynamodb_mapper::expression::SortKey;
//!
//! // A sort key of (status, priority, created_at).
//! fn open_and_urgent(k: SortKey<(String, u8, i64)>) -> SortKey<()> {
//!     k.eq("open".to_string()).eq(1).gt(1_700_000_000)
//! }
//! # let _ = open_and_urgent;
//! ```
//!
//! ```compile_fail
//! # use dynamodb_mapper::expression::SortKey;
//! // A range, then nothing: `gt` ends the condition.
//! fn wrong(k: SortKey<(String, u8, i64)>) -> SortKey<(i64,)> {
//!     k.gt("open".to_string()).eq(1)
//! }
//! ```

use std::marker::PhantomData;

use super::{Comparison, Condition, KeyCondition, Path};
use crate::attribute::{Attribute, AttributeValue, KeyAttribute, ValueError};

/// The value of an index's partition key: one key attribute, or a tuple of
/// two to four (a multi-attribute key), in key-schema order. A query gives
/// every attribute, so a tuple missing one does not compile.
pub trait PartitionKey: Send + 'static {
    /// The attribute values, in key-schema order.
    fn key_values(&self) -> Vec<Result<AttributeValue, ValueError>>;
}

impl<T: KeyAttribute + Send + 'static> PartitionKey for T {
    fn key_values(&self) -> Vec<Result<AttributeValue, ValueError>> {
        vec![self.to_attribute()]
    }
}

/// A sort key of several attributes, as a tuple type in key-schema order:
/// its first attribute's type and the attributes after it.
pub trait SortKeys {
    /// The first attribute's type.
    type First: KeyAttribute;
    /// The attributes after it (`()` after the last).
    type Rest;
}

macro_rules! tuples {
    ($(($($t:ident),+) rest ($($r:ident),*);)*) => {$(
        impl<$($t: KeyAttribute + Send + 'static),+> PartitionKey for ($($t,)+) {
            #[allow(non_snake_case)]
            fn key_values(&self) -> Vec<Result<AttributeValue, ValueError>> {
                let ($($t,)+) = self;
                vec![$($t.to_attribute()),+]
            }
        }
    )*};
}

tuples! {
    (A, B) rest (B);
    (A, B, C) rest (B, C);
    (A, B, C, D) rest (B, C, D);
}

impl<A: KeyAttribute> SortKeys for (A,) {
    type First = A;
    type Rest = ();
}

impl<A: KeyAttribute, B: KeyAttribute> SortKeys for (A, B) {
    type First = A;
    type Rest = (B,);
}

impl<A: KeyAttribute, B: KeyAttribute, C: KeyAttribute> SortKeys for (A, B, C) {
    type First = A;
    type Rest = (B, C);
}

impl<A: KeyAttribute, B: KeyAttribute, C: KeyAttribute, D: KeyAttribute> SortKeys for (A, B, C, D) {
    type First = A;
    type Rest = (B, C, D);
}

/// A condition on a multi-attribute sort key, built in key order: `eq` on
/// the next attribute keeps going, a range (`lt`, `le`, `gt`, `ge`,
/// `between`, `begins_with`) ends it (its type becomes `SortKey<()>`, which
/// has no methods). `L` is the tuple of the attributes still free.
#[must_use = "a sort key condition is given to a query's `sort`"]
pub struct SortKey<L> {
    parts: Vec<KeyCondition<Result<AttributeValue, ValueError>>>,
    rest: PhantomData<fn() -> L>,
}

impl<L> SortKey<L> {
    /// No condition yet: the query's `sort` hands this to its closure.
    pub(crate) fn new() -> Self {
        SortKey {
            parts: Vec::new(),
            rest: PhantomData,
        }
    }

    /// How many attributes the condition names.
    pub(crate) fn len(&self) -> usize {
        self.parts.len()
    }

    fn then<N>(mut self, part: KeyCondition<Result<AttributeValue, ValueError>>) -> SortKey<N> {
        self.parts.push(part);
        SortKey {
            parts: self.parts,
            rest: PhantomData,
        }
    }

    /// The condition, one clause per attribute in key order, on the
    /// attributes `names` (the index's sort key attributes), each value
    /// checked by `encode` (given the attribute's name).
    pub(crate) fn condition<E>(
        self,
        names: &[&'static str],
        encode: impl Fn(&'static str, Result<AttributeValue, ValueError>) -> Result<AttributeValue, E>,
    ) -> Result<Option<Condition>, E> {
        let mut clauses = Vec::with_capacity(self.parts.len());
        for (part, name) in self.parts.into_iter().zip(names) {
            let path = || Path::attribute(*name);
            let value = |v: Result<AttributeValue, ValueError>| encode(name, v);
            clauses.push(match part {
                KeyCondition::Eq(v) => Condition::Compare(path(), Comparison::Eq, value(v)?),
                KeyCondition::Lt(v) => Condition::Compare(path(), Comparison::Lt, value(v)?),
                KeyCondition::Le(v) => Condition::Compare(path(), Comparison::Le, value(v)?),
                KeyCondition::Gt(v) => Condition::Compare(path(), Comparison::Gt, value(v)?),
                KeyCondition::Ge(v) => Condition::Compare(path(), Comparison::Ge, value(v)?),
                KeyCondition::BeginsWith(v) => Condition::BeginsWith(path(), value(v)?),
                KeyCondition::Between(low, high) => {
                    Condition::Between(path(), value(low)?, value(high)?)
                }
            });
        }
        Ok(match clauses.len() {
            0 => None,
            1 => clauses.pop(),
            _ => Some(Condition::And(clauses)),
        })
    }
}

impl<L: SortKeys> SortKey<L> {
    /// The next attribute equals `value`; the condition goes on.
    pub fn eq(self, value: L::First) -> SortKey<L::Rest> {
        self.then(KeyCondition::Eq(value.to_attribute()))
    }

    /// The next attribute is below `value`; the condition ends.
    pub fn lt(self, value: L::First) -> SortKey<()> {
        self.then(KeyCondition::Lt(value.to_attribute()))
    }

    /// The next attribute is at most `value`; the condition ends.
    pub fn le(self, value: L::First) -> SortKey<()> {
        self.then(KeyCondition::Le(value.to_attribute()))
    }

    /// The next attribute is above `value`; the condition ends.
    pub fn gt(self, value: L::First) -> SortKey<()> {
        self.then(KeyCondition::Gt(value.to_attribute()))
    }

    /// The next attribute is at least `value`; the condition ends.
    pub fn ge(self, value: L::First) -> SortKey<()> {
        self.then(KeyCondition::Ge(value.to_attribute()))
    }

    /// The next attribute is from `low` to `high`, both included; the
    /// condition ends.
    pub fn between(self, low: L::First, high: L::First) -> SortKey<()> {
        self.then(KeyCondition::Between(
            low.to_attribute(),
            high.to_attribute(),
        ))
    }

    /// The next attribute starts with `prefix`; the condition ends.
    pub fn begins_with(self, prefix: L::First) -> SortKey<()> {
        self.then(KeyCondition::BeginsWith(prefix.to_attribute()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_follow_the_key_order() {
        let k: SortKey<(String, u8, i64)> = SortKey::new();
        let keep = |_: &str, v: Result<AttributeValue, ValueError>| v;
        let condition = k
            .eq("open".into())
            .between(1, 3)
            .condition(&["s", "p", "t"], keep);
        let expected = Condition::And(vec![
            Condition::Compare(
                Path::attribute("s"),
                Comparison::Eq,
                AttributeValue::S("open".into()),
            ),
            Condition::Between(
                Path::attribute("p"),
                AttributeValue::N("1".into()),
                AttributeValue::N("3".into()),
            ),
        ]);
        assert_eq!(condition.ok().flatten(), Some(expected));
        let k: SortKey<(String, u8)> = SortKey::new();
        assert_eq!(k.condition(&["s", "p"], keep).ok().flatten(), None);
        assert_eq!(("a".to_string(), 7u8).key_values().len(), 2);
    }
}
