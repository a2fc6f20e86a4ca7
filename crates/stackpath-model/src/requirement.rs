//! Requirement expressions: what must be held before an item can start.

use crate::id::{CredentialId, Tag};
use crate::Origin;

/// One node of a requirement tree. Leaves are credential references and
/// credit pools; `label` and `shared` only ever appear on object forms.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    pub kind: RequirementKind,
    pub label: Option<String>,
    /// The leaves below a shared node may reuse credentials already counted
    /// elsewhere in the same tree (a total-credits rule, a gen-ed overlay).
    pub shared: bool,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RequirementKind {
    /// The credential is held, directly or through an equivalence.
    Credential(CredentialId),
    All(Vec<Requirement>),
    Any(Vec<Requirement>),
    /// At least `k` of the list, `1 <= k <= len`.
    AtLeast {
        k: u32,
        of: Vec<Requirement>,
    },
    /// Held credentials in the pool total at least `credits` in `unit`.
    Credits {
        credits: f64,
        unit: String,
        from: Vec<CredentialId>,
        from_tags: Vec<Tag>,
    },
}

impl Requirement {
    pub fn new(kind: RequirementKind, origin: Origin) -> Self {
        Requirement {
            kind,
            label: None,
            shared: false,
            origin,
        }
    }

    pub fn credential(id: CredentialId, origin: Origin) -> Self {
        Requirement::new(RequirementKind::Credential(id), origin)
    }

    /// The direct children of an `all`, `any` or `at_least` node.
    pub fn children(&self) -> &[Requirement] {
        match &self.kind {
            RequirementKind::All(v) | RequirementKind::Any(v) => v,
            RequirementKind::AtLeast { of, .. } => of,
            RequirementKind::Credential(_) | RequirementKind::Credits { .. } => &[],
        }
    }

    /// Every credential id this expression mentions, in order of appearance
    /// (credit pools contribute their `from` lists, not their tags).
    pub fn mentioned(&self) -> Vec<&CredentialId> {
        let mut out = Vec::new();
        self.visit(&mut |r| match &r.kind {
            RequirementKind::Credential(id) => out.push(id),
            RequirementKind::Credits { from, .. } => out.extend(from.iter()),
            _ => {}
        });
        out
    }

    /// The credentials this expression cannot be satisfied without: leaves
    /// reached through `all` nodes and through `at_least` nodes whose k equals
    /// their length. Used for implied holdings and hard cycles.
    pub fn necessary(&self) -> Vec<&CredentialId> {
        let mut out = Vec::new();
        self.collect_necessary(&mut out);
        out
    }

    fn collect_necessary<'a>(&'a self, out: &mut Vec<&'a CredentialId>) {
        match &self.kind {
            RequirementKind::Credential(id) => out.push(id),
            RequirementKind::All(v) => v.iter().for_each(|r| r.collect_necessary(out)),
            RequirementKind::AtLeast { k, of } if *k as usize == of.len() => {
                of.iter().for_each(|r| r.collect_necessary(out))
            }
            _ => {}
        }
    }

    /// Visits every node, parents before children.
    pub fn visit<'a>(&'a self, f: &mut impl FnMut(&'a Requirement)) {
        f(self);
        for c in self.children() {
            c.visit(f);
        }
    }

    /// Nesting depth: a leaf is 1.
    pub fn depth(&self) -> usize {
        1 + self.children().iter().map(|c| c.depth()).max().unwrap_or(0)
    }
}
