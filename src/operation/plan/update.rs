//! Updates: the caller's update expression, with the model's policies'
//! actions and conditions (a version bump, composed keys kept in step, the
//! entity's name and guard), compiled and sent as one UpdateItem (or, with
//! unique attributes set or removed, one transaction with their guards).

use super::whole::both;
use super::{composed, conflict, Main, Sent, Settle, WritePlan};
use crate::attribute::{Item, StoredItem};
use crate::engine::request::{ReturnValues, UpdateItemInput};
use crate::error::{ConflictKind, Error, WriteTarget};
use crate::expression::{Condition, Placeholders, UpdateAction};
use crate::model::Model;
use crate::operation::plan::unique::{self, UniqueChanges};
use crate::operation::{item_key, send, unknown_outcome, RetryClass};
use crate::Connection;

impl<M: Model> WritePlan<'static, M> {
    /// An update of the item with `key`: the caller's `actions` (touching
    /// `touched`), under its `condition`, expecting `expected_version`,
    /// returning `return_values`; `unique`: the values it gives unique
    /// attributes.
    pub(crate) fn update(
        conn: &Connection,
        key: Item,
        mut actions: Vec<UpdateAction>,
        condition: Option<Condition>,
        expected_version: Option<i128>,
        return_values: ReturnValues,
        unique: Option<UniqueChanges>,
    ) -> Result<Self, Error> {
        super::stages::counter::refuse::<M>(&key)?;
        let touched = actions
            .iter()
            .filter_map(|a| a.path().top_attribute().map(|(name, _)| name.to_owned()))
            .chain(crate::model::version::attribute::<M>().map(str::to_owned))
            .collect();
        let mut caller = condition;
        let mut kind = ConflictKind::ConditionFailed;
        if super::stages::version::bump::<M>(&mut actions, &mut caller, expected_version) {
            kind = ConflictKind::Changed;
        }
        // Key templates: composed keys follow the fields they are made of.
        composed::keep_in_step::<M>(&key, &mut actions)?;
        if let Some((a, b)) = crate::expression::overlapping_paths(&actions) {
            return Err(Error::InvalidRequest {
                model: M::SCHEMA.model,
                reason: format!(
                    "two actions of one update on overlapping paths ({a} and {b}): DynamoDB refuses them"
                ),
            });
        }
        // Sent again, an update would return the old values its own first
        // application left: only updates that return nothing old repeat.
        let returns_old = matches!(
            return_values,
            ReturnValues::AllOld | ReturnValues::UpdatedOld
        );
        let settle = if caller.is_none()
            && !returns_old
            && actions.iter().all(UpdateAction::is_idempotent)
        {
            Settle::Resend
        } else {
            Settle::Report
        };
        // Entity: the update stores the entity's name and applies only to
        // its own items or a new one; that condition holds again after its
        // own update, so it leaves how a lost answer is settled be. Alone,
        // it fails only on another entity's item.
        let mut conflict_condition = None;
        if let Some((action, guard)) = composed::entity_guard::<M>() {
            if caller.is_none() && M::SCHEMA.entities.len() == 1 {
                kind = ConflictKind::Overwrite;
            }
            actions.extend(action);
            conflict_condition = Some(guard);
        }
        if actions.is_empty() {
            return Err(Error::InvalidRequest {
                model: M::SCHEMA.model,
                reason: "an update needs at least one action".into(),
            });
        }
        // With unique attributes, a failed write without a condition of the
        // caller's means a unique value changed since it was read (or the
        // key holds another entity's item).
        if unique.is_some() && !(caller.is_some() && expected_version.is_none()) {
            kind = ConflictKind::Changed;
        }
        let main = Main::Update {
            actions,
            return_values,
            touched,
            unique,
        };
        let mut plan = WritePlan::new(conn, key, main, None, caller);
        plan.conflict = conflict_condition;
        plan.kind = kind;
        plan.settle = settle;
        Ok(plan)
    }
}

impl<M: Model> WritePlan<'_, M> {
    /// Sends an update plan without guards: its answer's attributes.
    pub(super) async fn send_update(self, conn: &Connection) -> Result<Sent, Error> {
        let condition = both(self.conflict.clone(), self.caller.clone());
        let input = input(&self, condition)?;
        let repeat = match self.settle {
            Settle::Resend => RetryClass::Safe,
            _ => RetryClass::IfRefused,
        };
        let key = &input.key;
        let output = send(conn, &input.table, repeat, &input)
            .await
            .map_err(|e| {
                let e = conflict::as_conflict::<M>(e, self.kind, key, self.ask_current);
                unknown_outcome(e, || WriteTarget::item(M::SCHEMA.model, item_key::<M>(key)))
            })?;
        let Main::Update {
            return_values,
            touched,
            ..
        } = self.main
        else {
            return Err(super::send::not_planned::<M>());
        };
        Ok(Sent::Updated(match return_values {
            // What the caller updated, not what keeps an entity's keys in step.
            ReturnValues::UpdatedNew | ReturnValues::UpdatedOld => output
                .attributes
                .map(|item| StoredItem::from(item.select(&touched))),
            _ => output.attributes,
        }))
    }

    /// What a guarded update returns: transactions return no attributes, so
    /// the item as read before is the old one, and the new one is read after.
    pub(super) async fn guarded_update_answer(
        &self,
        conn: &Connection,
        before: Option<Item>,
    ) -> Result<Sent, Error> {
        let Main::Update {
            return_values,
            touched,
            ..
        } = &self.main
        else {
            return Ok(Sent::Updated(None));
        };
        let only_touched = |item: Option<Item>| {
            item.map(|mut item| {
                item.retain(|name, _| touched.contains(name));
                item
            })
        };
        let stored = match return_values {
            ReturnValues::None => None,
            ReturnValues::AllOld => before,
            ReturnValues::UpdatedOld => only_touched(before),
            ReturnValues::AllNew | ReturnValues::UpdatedNew => {
                let after = unique::read_current(conn, &self.table, &self.key).await?;
                match return_values {
                    ReturnValues::AllNew => after,
                    _ => only_touched(after),
                }
            }
        };
        Ok(Sent::Updated(stored.map(StoredItem::from)))
    }
}

/// The UpdateItem of an update plan under `condition`.
pub(super) fn input<M: Model>(
    plan: &WritePlan<'_, M>,
    condition: Option<Condition>,
) -> Result<UpdateItemInput, Error> {
    let Main::Update {
        actions,
        return_values,
        ..
    } = &plan.main
    else {
        return Err(Error::InvalidRequest {
            model: M::SCHEMA.model,
            reason: "not an update".into(),
        });
    };
    let mut placeholders = Placeholders::default();
    let update = placeholders
        .update(actions.clone())
        .ok_or_else(|| Error::InvalidRequest {
            model: M::SCHEMA.model,
            reason: "an update needs at least one action".into(),
        })?;
    let condition = match condition {
        Some(c) => placeholders.condition(c)?,
        None => None,
    };
    Ok(UpdateItemInput {
        return_values_on_condition_check_failure: plan.ask_current && condition.is_some(),
        table: plan.table.clone(),
        key: plan.key.clone(),
        update,
        condition,
        placeholders: placeholders.finish(),
        return_values: *return_values,
    })
}
