//! Taking over a stranded guard: one whose owner no longer holds its value
//! (the owner deleted by another program, expired by time to live, or
//! overwritten by a write that kept no guards). The claiming transaction
//! checks that the former owner still does not hold the value, so a guard
//! is never taken from an owner that holds it.

use std::time::{SystemTime, UNIX_EPOCH};

use super::guard;
use super::{read_current, Guarded};
use crate::attribute::{AttributeValue, Item};
use crate::engine::request::{ConditionCheckInput, TransactWriteItem};
use crate::error::Error;
use crate::expression::Condition;
use crate::model::Model;
use crate::Connection;

/// What a refused guard turned out to be.
pub(super) enum Found {
    /// Free again (its owner dropped it since): the write may go as it was.
    Freed,
    /// Named this former owner, which no longer holds the value.
    Stranded(Item),
    /// Its owner holds the value: a clash.
    Held,
}

/// Reads the guard of `attribute`'s `value` and the owner it names.
pub(super) async fn former_owner<M: Model>(
    conn: &Connection,
    table: &str,
    claimant: &Item,
    attribute: &'static str,
    value: &AttributeValue,
) -> Result<Found, Error> {
    let key = guard::guard_key::<M>(attribute, value)?;
    let Some(stored) = read_current(conn, table, &key).await? else {
        return Ok(Found::Freed);
    };
    // A guard naming no owner, or the claimant itself, is not taken over.
    let Some(owner) = guard::owner_of::<M>(&stored).filter(|owner| owner != claimant) else {
        return Ok(Found::Held);
    };
    let held = read_current(conn, table, &owner).await?;
    Ok(
        if guard::holds::<M>(held.as_ref(), attribute, value, now()) {
            Found::Held
        } else {
            Found::Stranded(owner)
        },
    )
}

/// The former owners a write takes guards over from, each with the values
/// it must still not hold.
#[derive(Default)]
pub(super) struct Takeovers {
    owners: Vec<(Item, Vec<(&'static str, AttributeValue)>)>,
}

impl Takeovers {
    /// Takes `attribute`'s `value` over from `owner`.
    pub(super) fn add(&mut self, owner: Item, attribute: &'static str, value: &AttributeValue) {
        let entry = (attribute, value.clone());
        match self.owners.iter_mut().find(|(o, _)| *o == owner) {
            Some((_, values)) => values.push(entry),
            None => self.owners.push((owner, vec![entry])),
        }
    }

    /// The former owners, in the order their checks are appended.
    pub(super) fn owners(&self) -> impl Iterator<Item = &Item> {
        self.owners.iter().map(|(owner, _)| owner)
    }

    /// Appends one condition check per former owner (DynamoDB takes one
    /// action per item) to `actions`, and what each checks to `described`.
    pub(super) fn append_checks<M: Model>(
        &self,
        table: &str,
        actions: &mut Vec<TransactWriteItem>,
        described: &mut Vec<Guarded>,
    ) -> Result<(), Error> {
        let now = now();
        for (owner, values) in &self.owners {
            let condition = Condition::And(
                values
                    .iter()
                    .map(|(attribute, value)| guard::no_longer_holds::<M>(attribute, value, now))
                    .collect(),
            );
            let (condition, placeholders) = guard::compiled(condition)?;
            let mut check =
                ConditionCheckInput::new(table, owner.clone(), condition.unwrap_or_default());
            check.placeholders = placeholders;
            actions.push(TransactWriteItem::ConditionCheck(check));
            if let Some((attribute, value)) = values.first() {
                described.push(Guarded::check(attribute, value));
            }
        }
        Ok(())
    }
}

/// Now, in epoch seconds (as time to live counts).
fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}
