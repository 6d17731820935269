//! Unique attributes inside a native transaction the caller builds: each
//! action of a model with unique attributes is completed when the
//! transaction is sent, against its item as read then (the action
//! conditioned on the unique values read, their guard items added), and a
//! refused guard is looked into as for a single write.

use futures::future::BoxFuture;

use super::{read_current, still_stored, Guarded, Guards};
use crate::attribute::ItemKey;
use crate::engine::request::{TransactWriteInput, TransactWriteItem};
use crate::error::{
    ActionCancellation, CurrentItem, EngineError, EngineErrorKind, Error, WriteTarget,
};
use crate::model::Model;
use crate::operation::native_transaction::{new_token, Pending, Planned, MAX_TRANSACTION_ACTIONS};
use crate::operation::plan::OwnedPlan;
use crate::operation::{unknown_outcome, RetryClass};
use crate::Connection;

/// An action of a model with unique attributes, waiting for its stored item.
pub(crate) trait UniqueAction: Send + Sync {
    /// Reads the stored item and completes the action: the action itself,
    /// and its guards.
    fn complete<'a>(&'a self, conn: &'a Connection) -> BoxFuture<'a, Result<Completed, Error>>;
}

/// A completed action and its guards.
pub(crate) struct Completed {
    pub(crate) action: TransactWriteItem,
    pub(crate) guards: Box<dyn GuardSet>,
}

/// The guards of one action, as a transaction sends them.
pub(crate) trait GuardSet: Send + Sync {
    /// Appends the guard actions (and takeover checks) and what each is.
    fn append(
        &self,
        actions: &mut Vec<TransactWriteItem>,
        described: &mut Vec<Guarded>,
    ) -> Result<(), Error>;
    /// The refusal of guard `index`: whether to send the transaction again.
    fn look_into<'a>(
        &'a mut self,
        conn: &'a Connection,
        index: usize,
    ) -> BoxFuture<'a, Result<bool, Error>>;
    /// The clash a refusal of appended action `index` means.
    fn clash(&self, index: usize, described: &[Guarded]) -> Error;
    /// The key of each appended action, in order.
    fn keys(&self) -> Result<Vec<ItemKey>, Error>;
}

impl<M: Model> UniqueAction for OwnedPlan<M> {
    fn complete<'a>(&'a self, conn: &'a Connection) -> BoxFuture<'a, Result<Completed, Error>> {
        Box::pin(async move {
            let current = read_current(conn, self.table(), self.key()).await?;
            let unchanged = still_stored(M::SCHEMA.unique, current.as_ref());
            let action = self.action(Some(unchanged))?;
            let guards = Guards::<M>::new(self.table(), self.key(), current.as_ref(), |a| {
                self.unique_change(a)
            })?;
            Ok(Completed {
                action,
                guards: Box::new(guards),
            })
        })
    }
}

impl<M: Model> GuardSet for Guards<M> {
    fn append(
        &self,
        actions: &mut Vec<TransactWriteItem>,
        described: &mut Vec<Guarded>,
    ) -> Result<(), Error> {
        Guards::append(self, actions, described)
    }

    fn look_into<'a>(
        &'a mut self,
        conn: &'a Connection,
        index: usize,
    ) -> BoxFuture<'a, Result<bool, Error>> {
        Box::pin(Guards::look_into(self, conn, index))
    }

    fn clash(&self, index: usize, described: &[Guarded]) -> Error {
        Guards::clash(self, index, described)
    }

    fn keys(&self) -> Result<Vec<ItemKey>, Error> {
        Guards::keys(self)
    }
}

/// Where an action of the sent transaction comes from.
enum Origin {
    /// The action planned at this index.
    Action(usize),
    /// Guard `guard` (or takeover check) of the action planned at `action`.
    Guard { action: usize, guard: usize },
}

/// A transaction's actions, completed: each ready action, the guard items
/// of each action of a model with unique attributes, and what each action
/// is about (model, key, table), for errors.
struct Actions {
    actions: Vec<TransactWriteItem>,
    guards: Vec<Option<Box<dyn GuardSet>>>,
    described: Vec<(&'static str, ItemKey, String)>,
}

/// Completes the planned actions: an action of a model with unique
/// attributes reads its stored item and adds its guard items.
async fn complete(conn: &Connection, planned: Vec<Planned>) -> Result<Actions, Error> {
    let mut completed = Actions {
        actions: Vec::with_capacity(planned.len()),
        guards: Vec::with_capacity(planned.len()),
        described: Vec::with_capacity(planned.len()),
    };
    for planned in planned {
        let (action, guard_set) = match planned.action {
            Pending::Ready(action) => (action, None),
            Pending::Unique(unique) => {
                let done = unique.complete(conn).await?;
                (done.action, Some(done.guards))
            }
        };
        // The stored item comes back with a refusal, where the engine can.
        let ask = conn.engine().capabilities().item_on_condition_failure;
        completed.actions.push(action.asking_current(ask));
        completed.guards.push(guard_set);
        completed
            .described
            .push((planned.model, planned.key, planned.table));
    }
    Ok(completed)
}

/// Sends a native transaction's planned actions: those of models with
/// unique attributes completed first, their guards added; a refused guard
/// looked into once (taken over, or a clash), the transaction then sent
/// again with a fresh token.
pub(in crate::operation) async fn send(
    conn: &Connection,
    planned: Vec<Planned>,
    token: Option<String>,
) -> Result<(), Error> {
    let Actions {
        actions,
        mut guards,
        described,
    } = complete(conn, planned).await?;
    let table = described
        .first()
        .map(|(_, _, t)| t.clone())
        .unwrap_or_default();
    let mut token = token;
    // Each guard is looked into at most once: bounded by their number.
    for _ in 0..=MAX_TRANSACTION_ACTIONS {
        let Assembled {
            sent,
            origins,
            named,
        } = assemble(&actions, &guards)?;
        one_action_per_item(&origins, &guards, &named, &described)?;
        if sent.len() > MAX_TRANSACTION_ACTIONS {
            return Err(Error::InvalidRequest {
                model: "TransactWrite",
                reason: format!(
                    "{} actions with the guard items of unique attributes, over DynamoDB's limit of {MAX_TRANSACTION_ACTIONS}",
                    sent.len()
                ),
            });
        }
        let input = TransactWriteInput {
            actions: sent,
            token: Some(token.take().unwrap_or_else(new_token)),
        };
        // With its idempotency token, sending the transaction again is safe.
        let result = crate::operation::send(conn, &table, RetryClass::Safe, &input).await;
        let source = match result {
            Ok(_) => return Ok(()),
            Err(Error::Engine { source, .. })
                if source.kind == EngineErrorKind::TransactionCanceled =>
            {
                source
            }
            Err(other) => {
                let targets = described.iter().map(|(m, k, _)| (*m, k.clone())).collect();
                return Err(unknown_outcome(other, || WriteTarget::transaction(targets)));
            }
        };
        let refused_guard = source
            .reasons
            .iter()
            .enumerate()
            .find_map(|(index, reason)| match origins.get(index) {
                Some(Origin::Guard { action, guard })
                    if reason.code == "ConditionalCheckFailed" =>
                {
                    Some((*action, *guard))
                }
                _ => None,
            });
        if let Some((action, guard)) = refused_guard {
            if let Some(set) = guards[action].as_mut() {
                if set.look_into(conn, guard).await? {
                    continue;
                }
                return Err(set.clash(guard, &named[action]));
            }
        }
        return Err(canceled(&source, &input.actions, &origins, &described));
    }
    Err(Error::InvalidRequest {
        model: "TransactWrite",
        reason: "the guard items of its unique values kept changing under the transaction; nothing was written".into(),
    })
}

/// The actions of one sending of a transaction.
struct Assembled {
    /// The planned actions, then each one's guards.
    sent: Vec<TransactWriteItem>,
    /// Where each comes from.
    origins: Vec<Origin>,
    /// What each planned action's guards are.
    named: Vec<Vec<Guarded>>,
}

/// The actions to send, with their origins.
fn assemble(
    actions: &[TransactWriteItem],
    guards: &[Option<Box<dyn GuardSet>>],
) -> Result<Assembled, Error> {
    let mut sent = actions.to_vec();
    let mut origins: Vec<Origin> = (0..sent.len()).map(Origin::Action).collect();
    let mut named: Vec<Vec<Guarded>> = Vec::with_capacity(guards.len());
    for (action, set) in guards.iter().enumerate() {
        let mut guarded = Vec::new();
        if let Some(set) = set {
            let before = sent.len();
            set.append(&mut sent, &mut guarded)?;
            origins.extend((0..sent.len() - before).map(|guard| Origin::Guard { action, guard }));
        }
        named.push(guarded);
    }
    Ok(Assembled {
        sent,
        origins,
        named,
    })
}

/// Refuses, before sending, a transaction in which two actions would write
/// one item, which DynamoDB refuses whole: two actions claiming one unique
/// value (a clash, as with another item), a value moving from one item to
/// another, or a takeover check on an item the transaction writes.
fn one_action_per_item(
    origins: &[Origin],
    guards: &[Option<Box<dyn GuardSet>>],
    named: &[Vec<Guarded>],
    described: &[(&'static str, ItemKey, String)],
) -> Result<(), Error> {
    let mut keys: Vec<Vec<ItemKey>> = Vec::with_capacity(guards.len());
    for set in guards {
        keys.push(match set {
            Some(set) => set.keys()?,
            None => Vec::new(),
        });
    }
    let key_of = |origin: &Origin| -> Option<(String, String)> {
        match *origin {
            Origin::Action(action) => described
                .get(action)
                .map(|(_, key, table)| (table.clone(), key.to_string())),
            Origin::Guard { action, guard } => {
                let table = described.get(action)?.2.clone();
                keys.get(action)?
                    .get(guard)
                    .map(|key| (table, key.to_string()))
            }
        }
    };
    let mut seen: std::collections::HashMap<(String, String), usize> =
        std::collections::HashMap::with_capacity(origins.len());
    for (index, origin) in origins.iter().enumerate() {
        let Some(key) = key_of(origin) else {
            continue;
        };
        let Some(&first) = seen.get(&key) else {
            seen.insert(key, index);
            continue;
        };
        let takes = |origin: &Origin| match *origin {
            Origin::Guard { action, guard } => named
                .get(action)
                .and_then(|g| g.get(guard))
                .is_some_and(|g| g.takes),
            Origin::Action(_) => false,
        };
        if let (true, true, Origin::Guard { action, guard }) =
            (takes(&origins[first]), takes(origin), origin)
        {
            if let Some(set) = guards.get(*action).and_then(Option::as_ref) {
                return Err(set.clash(*guard, &named[*action]));
            }
        }
        // Named by the unique attribute, never by the guard's key, which
        // holds the value (a sensitive one among them).
        let what = match *origin {
            Origin::Guard { action, guard } => named
                .get(action)
                .and_then(|g| g.get(guard))
                .map_or("a unique value".to_owned(), |g| {
                    format!("the guard item of a `{}` value", g.attribute)
                }),
            Origin::Action(action) => described
                .get(action)
                .map_or("an item".to_owned(), |(model, key, _)| {
                    format!("{model} {key}")
                }),
        };
        return Err(Error::InvalidRequest {
            model: "TransactWrite",
            reason: format!(
                "two actions of the transaction write {what}: a unique value cannot move from one item to another, nor a stranded one be taken over from an item the transaction writes, in one transaction; make it two writes"
            ),
        });
    }
    Ok(())
}

/// The cancellation, each refused action named by the model and key it
/// writes (a guard by the item it guards).
fn canceled(
    source: &EngineError,
    sent: &[TransactWriteItem],
    origins: &[Origin],
    described: &[(&'static str, ItemKey, String)],
) -> Error {
    let asked = |index: usize| sent.get(index).is_some_and(TransactWriteItem::asks_current);
    let reasons = source
        .reasons
        .iter()
        .enumerate()
        .filter(|(_, r)| r.code != "None")
        .map(|(index, r)| {
            let action = match origins.get(index) {
                Some(Origin::Action(action) | Origin::Guard { action, .. }) => Some(*action),
                None => None,
            };
            let (model, key) = action
                .and_then(|a| described.get(a))
                .map(|(m, k, _)| (*m, k.clone()))
                .unwrap_or_default();
            // A guard's refusal returns the guard item, never the model's.
            let current = match origins.get(index) {
                Some(Origin::Action(_)) if r.code == "ConditionalCheckFailed" => match &r.item {
                    Some(item) => CurrentItem::Item(item.clone()),
                    None if asked(index) => CurrentItem::Absent,
                    None => CurrentItem::NotReturned,
                },
                _ => CurrentItem::NotReturned,
            };
            ActionCancellation {
                index,
                model,
                key,
                code: r.code.clone(),
                message: r.message.clone(),
                current,
            }
        })
        .collect();
    Error::TransactionCanceled {
        message: source.message.clone(),
        reasons,
    }
}
