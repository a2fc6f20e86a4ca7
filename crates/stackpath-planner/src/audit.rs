//! The audit: what a learner already has toward a target, node by node.
//!
//! Every requirement node says whether it is satisfied and how far along it
//! is (`2 of 3`, `18 / 30 ECTS`), and every leaf names the holdings that
//! count toward it. The holdings come from one exact assignment
//! ([`Tree::best_assignment`]): when the whole requirement can be met the
//! assignment meets it; otherwise it is the assignment that satisfies the
//! most nodes, then makes the most progress. A non-shared holding is listed
//! under one leaf only, exactly as the counting rules let it count, so the
//! audit never shows progress the learner could not actually claim.
//! Expired, implied and granted holdings are marked with their dates.
//!
//! [`Tree::best_assignment`]: crate::instance::Tree::best_assignment

use std::collections::HashMap;
use std::fmt;

use stackpath_model::{Catalog, CredentialId, Date, Learner, Requirement, RequirementKind};

use crate::instance::{HeldVia, HoldingStatus, Instance, Tree};

/// Search nodes allowed when maximising the progress of an unsatisfiable
/// requirement; far above what program-sized targets need.
const AUDIT_NODE_LIMIT: usize = 50_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Audit {
    pub target: CredentialId,
    /// `None` when no loaded file defines the target.
    pub title: Option<String>,
    pub start: Date,
    /// How the target itself is held at the start date, if it is.
    pub target_held: Option<HoldingStatus>,
    /// The target's `requires`, audited; `None` when it has none (or is
    /// unknown).
    pub requirement: Option<AuditNode>,
    /// The requirement is met (true when there is none).
    pub satisfied: bool,
    /// Every holding as resolved at the start date: the learner's own,
    /// implied and granted ones, expired and unknown ones included.
    pub holdings: Vec<HoldingStatus>,
    /// False only if a search limit cut the progress maximisation short.
    pub exact: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuditNode {
    pub label: Option<String>,
    pub kind: AuditKind,
    /// At or under a node marked `shared`.
    pub shared: bool,
    pub satisfied: bool,
    pub progress: Progress,
    /// Holdings counted here (leaves only).
    pub counted: Vec<Counted>,
    /// Expired holdings that would have counted here (leaves only).
    pub expired: Vec<HoldingStatus>,
    pub children: Vec<AuditNode>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AuditKind {
    Credential {
        id: CredentialId,
        /// `None` when no loaded file defines it.
        title: Option<String>,
    },
    All,
    Any,
    AtLeast {
        k: u32,
    },
    Credits {
        credits: f64,
        unit: String,
    },
}

/// How far along a node is.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub done: f64,
    pub of: f64,
    /// The credit unit of a pool; `None` for counts.
    pub unit: Option<String>,
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.unit {
            None => write!(f, "{} of {}", self.done, self.of),
            Some(u) => write!(f, "{} / {} {u}", self.done, self.of),
        }
    }
}

/// One holding counted toward a leaf.
#[derive(Debug, Clone, PartialEq)]
pub struct Counted {
    pub id: CredentialId,
    pub title: Option<String>,
    /// Credits it brings to a pool, in the pool's unit.
    pub credits: Option<f64>,
    pub via: HeldVia,
    pub earned: Date,
    pub expires: Option<Date>,
}

/// Audits `learner`'s holdings toward `target` at `start`.
pub fn audit(catalog: &Catalog, learner: &Learner, target: &CredentialId, start: Date) -> Audit {
    let inst = Instance::build(catalog, target, &learner.holdings, start, 0.0, &[]);
    audit_instance(catalog, &inst)
}

/// [`audit`] over an instance already built.
pub fn audit_instance(catalog: &Catalog, inst: &Instance) -> Audit {
    let target_atom = &inst.atoms[inst.target];
    let target_cred = target_atom.cred.map(|c| catalog.credential(c));
    let mut expired: HashMap<&CredentialId, &HoldingStatus> = HashMap::new();
    for h in inst.holdings.iter().filter(|h| h.expired) {
        expired
            .entry(&h.id)
            .and_modify(|old| {
                if h.earned > old.earned {
                    *old = h;
                }
            })
            .or_insert(h);
    }
    let mut exact = true;
    let requirement = match (
        target_cred.and_then(|c| c.requires.as_ref()),
        target_atom.requires,
    ) {
        (Some(req), Some(r)) => {
            let tree = &inst.trees[r];
            let best = tree.best_assignment(&inst.initial, AUDIT_NODE_LIMIT);
            exact = best.exact;
            let ctx = Ctx {
                catalog,
                inst,
                tree,
                best: &best,
                expired: &expired,
            };
            let mut next = 0;
            Some(ctx.node(req, &mut next))
        }
        _ => None,
    };
    Audit {
        target: target_atom.id.clone(),
        title: target_cred.map(|c| c.title.clone()),
        start: inst.start,
        target_held: inst.held_via[inst.target].clone(),
        satisfied: requirement.as_ref().is_none_or(|n| n.satisfied),
        requirement,
        holdings: inst.holdings.clone(),
        exact,
    }
}

struct Ctx<'a> {
    catalog: &'a Catalog,
    inst: &'a Instance,
    tree: &'a Tree,
    best: &'a crate::instance::BestAssignment,
    expired: &'a HashMap<&'a CredentialId, &'a HoldingStatus>,
}

impl Ctx<'_> {
    /// Audits `r`, whose compiled node is `*next` (pre-order).
    fn node(&self, r: &Requirement, next: &mut usize) -> AuditNode {
        let me = *next;
        *next += 1;
        let children: Vec<AuditNode> = r.children().iter().map(|c| self.node(c, next)).collect();
        let satisfied = self.best.satisfied[me];
        let title = |id: &CredentialId| self.catalog.get(id).map(|c| c.title.clone());
        let sat_children = children.iter().filter(|c| c.satisfied).count() as f64;
        let (kind, progress, unit) = match &r.kind {
            RequirementKind::Credential(id) => (
                AuditKind::Credential {
                    id: id.clone(),
                    title: title(id),
                },
                Progress {
                    done: if satisfied { 1.0 } else { 0.0 },
                    of: 1.0,
                    unit: None,
                },
                None,
            ),
            RequirementKind::All(v) => (
                AuditKind::All,
                Progress {
                    done: sat_children,
                    of: v.len() as f64,
                    unit: None,
                },
                None,
            ),
            RequirementKind::Any(_) => (
                AuditKind::Any,
                Progress {
                    done: sat_children.min(1.0),
                    of: 1.0,
                    unit: None,
                },
                None,
            ),
            RequirementKind::AtLeast { k, .. } => (
                AuditKind::AtLeast { k: *k },
                Progress {
                    done: sat_children.min(f64::from(*k)),
                    of: f64::from(*k),
                    unit: None,
                },
                None,
            ),
            RequirementKind::Credits { credits, unit, .. } => (
                AuditKind::Credits {
                    credits: *credits,
                    unit: unit.clone(),
                },
                Progress {
                    done: self.best.amounts[me] as f64 / 1000.0,
                    of: *credits,
                    unit: Some(unit.clone()),
                },
                Some(unit.as_str()),
            ),
        };
        let counted = self.best.atoms[me]
            .iter()
            .map(|&a| {
                let atom = &self.inst.atoms[a];
                let held = self.inst.held_via[a].as_ref();
                Counted {
                    id: atom.id.clone(),
                    title: title(&atom.id),
                    credits: unit.map(|u| {
                        atom.cred
                            .map_or(0.0, |c| self.catalog.credential(c).credits_in(u))
                    }),
                    via: held.map_or(HeldVia::Holding, |h| h.via.clone()),
                    earned: held.map_or(self.inst.start, |h| h.earned),
                    expires: held.and_then(|h| h.expires),
                }
            })
            .collect();
        let expired = match &r.kind {
            RequirementKind::Credential(id) => self
                .expired
                .get(id)
                .map(|h| (*h).clone())
                .into_iter()
                .collect(),
            RequirementKind::Credits {
                from, from_tags, ..
            } => self
                .catalog
                .pool(from, from_tags)
                .into_iter()
                .filter_map(|c| self.expired.get(&self.catalog.credential(c).id))
                .map(|h| (*h).clone())
                .collect(),
            _ => Vec::new(),
        };
        AuditNode {
            label: r.label.clone(),
            kind,
            shared: self.tree.is_shared(me),
            satisfied,
            progress,
            counted,
            expired,
            children,
        }
    }
}

impl fmt::Display for Audit {
    /// Draws the audit as an indented tree, one node a line: `[x]` satisfied,
    /// `[ ]` not, then the node, its progress, and what counts there.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.target)?;
        if let Some(t) = &self.title {
            write!(f, " ({t})")?;
        } else {
            write!(f, " (not defined by any loaded file)")?;
        }
        if let Some(h) = &self.target_held {
            write!(f, ": held{}", describe_via(h))?;
        }
        writeln!(f)?;
        if let Some(r) = &self.requirement {
            r.draw(f, 1)?;
        }
        Ok(())
    }
}

fn describe_via(h: &HoldingStatus) -> String {
    let mut s = match &h.via {
        HeldVia::Holding => format!(" since {}", h.earned),
        HeldVia::Implied { by } => format!(" since {}, implied by {by}", h.earned),
        HeldVia::Granted { equivalence } => {
            format!(" since {}, granted by equivalence #{equivalence}", h.earned)
        }
    };
    if let Some(e) = h.expires {
        if h.expired {
            s.push_str(&format!(", expired {e}"));
        } else {
            s.push_str(&format!(", expires {e}"));
        }
    }
    s
}

impl AuditNode {
    fn draw(&self, f: &mut fmt::Formatter<'_>, depth: usize) -> fmt::Result {
        let pad = "  ".repeat(depth);
        let mark = if self.satisfied { "[x]" } else { "[ ]" };
        let what = match &self.kind {
            AuditKind::Credential { id, .. } => id.to_string(),
            AuditKind::All => "all".into(),
            AuditKind::Any => "any".into(),
            AuditKind::AtLeast { k } => format!("at least {k}"),
            AuditKind::Credits { credits, unit } => format!("{credits} {unit}"),
        };
        write!(f, "{pad}{mark} {what}")?;
        if let Some(l) = &self.label {
            write!(f, " \"{l}\"")?;
        }
        if self.shared {
            write!(f, " shared")?;
        }
        if !matches!(self.kind, AuditKind::Credential { .. }) {
            write!(f, " ({})", self.progress)?;
        }
        let counted: Vec<String> = self
            .counted
            .iter()
            .map(|c| {
                let mut h = HoldingStatus {
                    id: c.id.clone(),
                    earned: c.earned,
                    via: c.via.clone(),
                    expires: c.expires,
                    expired: false,
                    unknown: false,
                };
                h.expires = c.expires;
                match c.credits {
                    Some(cr) => format!("{} {cr}{}", c.id, describe_via(&h)),
                    None => format!("{}{}", c.id, describe_via(&h)),
                }
            })
            .collect();
        if !counted.is_empty() {
            write!(f, " <- {}", counted.join("; "))?;
        }
        for e in &self.expired {
            write!(f, " (expired: {}{})", e.id, describe_via(e))?;
        }
        writeln!(f)?;
        for c in &self.children {
            c.draw(f, depth + 1)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::*;
    use stackpath_model::Learner;

    fn learner(h: Vec<stackpath_model::Holding>) -> Learner {
        Learner {
            holdings: h,
            ..Learner::default()
        }
    }

    #[test]
    fn a_partial_audit_counts_each_holding_once_and_maximises_progress() {
        let cat = catalog(
            vec![
                cred("a").credits(4.0).tag("e"),
                cred("b").credits(4.0).tag("e"),
                cred("c").credits(4.0).tag("e"),
                cred("t").requires(all(vec![
                    labelled(leaf("a"), "Core"),
                    labelled(
                        at_least(2, vec![leaf("b"), leaf("c"), leaf("d")]),
                        "Electives",
                    ),
                    labelled(credits(8.0, &[], &["e"]), "Credits"),
                ])),
                cred("d").credits(4.0),
            ],
            vec![],
        );
        let a = audit(
            &cat,
            &learner(vec![
                holding("a", "2026-01-01"),
                holding("b", "2026-01-01"),
                holding("c", "2026-02-01"),
            ]),
            &id("t"),
            date("2027-01-04"),
        );
        let text = a.to_string();
        assert!(!a.satisfied);
        // a goes to Core; b and c either both to Electives (3 nodes
        // satisfied) or one to the pool; the best satisfies Core and
        // Electives.
        assert_eq!(
            text,
            "t:t (Title of t)\n  [ ] all (2 of 3)\n    [x] t:a \"Core\" <- t:a since 2026-01-01\n    [x] at least 2 \"Electives\" (2 of 2)\n      [x] t:b <- t:b since 2026-01-01\n      [x] t:c <- t:c since 2026-02-01\n      [ ] t:d\n    [ ] 8 ECTS \"Credits\" (0 / 8 ECTS)\n",
            "{text}"
        );
    }

    #[test]
    fn expired_implied_and_granted_holdings_are_marked() {
        let cat = catalog(
            vec![
                cred("a").valid_for(12),
                cred("b"),
                cred("m").requires(all(vec![leaf("b")])),
                cred("g").not_earnable(),
                cred("t").requires(all(vec![leaf("a"), leaf("b"), leaf("g")])),
            ],
            vec![equiv("g", leaf("m"))],
        );
        let a = audit(
            &cat,
            &learner(vec![holding("a", "2020-01-01"), holding("m", "2026-01-01")]),
            &id("t"),
            date("2027-01-04"),
        );
        let text = a.to_string();
        assert!(
            text.contains("[ ] t:a (expired: t:a since 2020-01-01, expired 2021-01-01)"),
            "{text}"
        );
        assert!(
            text.contains("[x] t:b <- t:b since 2026-01-01, implied by t:m"),
            "{text}"
        );
        assert!(
            text.contains("[x] t:g <- t:g since 2026-01-01, granted by equivalence #0"),
            "{text}"
        );
    }
}
