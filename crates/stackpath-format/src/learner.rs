//! Learner files (`*.learner.json`): from the positioned JSON tree to a
//! [`Learner`].
//!
//! A learner file is the user's own description of themselves, and a plan
//! made from half of it would be silently wrong, so any error means no
//! learner at all (unlike pathway files, which load partially). Credential
//! ids in a learner file are always fully qualified (`publisher:local`):
//! the file has no publisher of its own.

use stackpath_model::{Constraints, CredentialId, Holding, Learner};

use crate::json::{Node, Value};
use crate::limits;
use crate::pathway::{check_format, LEARNER_FORMAT};
use crate::read::{date, list, money, nonempty_string, number, string, Ctx, Obj};

pub(crate) const LEARNER_FIELDS: &[&str] = &[
    "$schema",
    "format",
    "name",
    "holdings",
    "goal",
    "constraints",
];
pub(crate) const HOLDING_FIELDS: &[&str] = &["id", "earned", "source"];
pub(crate) const GOAL_FIELDS: &[&str] = &["target"];
pub(crate) const CONSTRAINT_FIELDS: &[&str] = &["start", "hours_per_week", "budget", "avoid"];

fn qualified_id(ctx: &mut Ctx, node: &Node<'_>, key: &str) -> Option<CredentialId> {
    let s = string(ctx, node, key, limits::SHORT)?;
    match CredentialId::parse(s) {
        Ok(id) => Some(id),
        Err(e) => {
            let hint = if s.contains(':') {
                e.to_string()
            } else {
                format!("\"{s}\" has no publisher; in a learner file write ids in full as \"publisher:{s}\"")
            };
            ctx.error("bad-id", node.pos, hint);
            None
        }
    }
}

pub(crate) fn learner(ctx: &mut Ctx, root: &Node<'_>) -> Option<Learner> {
    let Value::Object(_) = root.value else {
        ctx.error(
            "wrong-type",
            root.pos,
            format!(
                "a learner file must be a JSON object ({{ \"format\": \"{LEARNER_FORMAT}\", ... }}), not {}",
                root.value.describe()
            ),
        );
        return None;
    };
    let top = Obj::new(ctx, root, "the learner file")?;
    top.unknown_keys(ctx, LEARNER_FIELDS, false);
    if !check_format(ctx, &top, "learner") {
        return None;
    }
    let before = ctx.errors;
    let mut learner = Learner {
        name: top
            .get("name")
            .and_then(|n| string(ctx, n, "name", limits::TITLE))
            .unwrap_or_default()
            .to_string(),
        ..Learner::default()
    };
    if let Some(n) = top.get("holdings") {
        for h in list(ctx, n, "holdings", limits::CREDENTIALS).unwrap_or_default() {
            let Some(obj) = Obj::new(ctx, h, "holding") else {
                continue;
            };
            obj.unknown_keys(ctx, HOLDING_FIELDS, false);
            let id = obj
                .require(ctx, "id", "\"publisher:credential\"")
                .and_then(|n| qualified_id(ctx, n, "id"));
            let earned = obj
                .require(ctx, "earned", "\"2025-06-01\"")
                .and_then(|n| date(ctx, n, "earned"));
            let source = obj
                .get("source")
                .and_then(|n| nonempty_string(ctx, n, "source", limits::SHORT))
                .map(str::to_string);
            if let (Some(id), Some(earned)) = (id, earned) {
                learner.holdings.push(Holding { id, earned, source });
            }
        }
    }
    if let Some(n) = top.get("goal") {
        if let Some(obj) = Obj::new(ctx, n, "\"goal\"") {
            obj.unknown_keys(ctx, GOAL_FIELDS, false);
            learner.target = obj
                .require(ctx, "target", "\"publisher:credential\"")
                .and_then(|n| qualified_id(ctx, n, "target"));
        }
    }
    if let Some(n) = top.get("constraints") {
        if let Some(obj) = Obj::new(ctx, n, "\"constraints\"") {
            learner.constraints = constraints(ctx, &obj);
        }
    }
    (ctx.errors == before).then_some(learner)
}

fn constraints(ctx: &mut Ctx, obj: &Obj<'_, '_>) -> Constraints {
    obj.unknown_keys(ctx, CONSTRAINT_FIELDS, false);
    let mut c = Constraints {
        start: obj.get("start").and_then(|n| date(ctx, n, "start")),
        ..Constraints::default()
    };
    if let Some(n) = obj.get("hours_per_week") {
        if let Some(h) = number(ctx, n, "hours_per_week") {
            if h > 0.0 && h <= 168.0 {
                c.hours_per_week = Some(h);
            } else {
                ctx.error(
                    "out-of-range",
                    n.pos,
                    format!("\"hours_per_week\" is {h}, but it must be more than 0 and at most 168 (the hours in a week)"),
                );
            }
        }
    }
    c.budget = obj.get("budget").and_then(|n| money(ctx, n, "budget"));
    if let Some(n) = obj.get("avoid") {
        for a in list(ctx, n, "avoid", limits::CREDENTIALS).unwrap_or_default() {
            c.avoid.extend(qualified_id(ctx, a, "avoid"));
        }
    }
    c
}
