//! The catalog: every loaded publisher's credentials joined into one graph,
//! with references resolved across publishers and the checks that need the
//! whole catalog (duplicates, dangling references, cycles).

use std::collections::{HashMap, HashSet, VecDeque};

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use crate::credential::Credential;
use crate::diagnostic::{Diagnostic, Origin};
use crate::id::{CredentialId, PublisherId, Tag};
use crate::requirement::{Requirement, RequirementKind};
use crate::Date;

#[derive(Debug, Clone, PartialEq)]
pub struct Publisher {
    pub id: PublisherId,
    pub name: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub alg: String,
    pub public_key: String,
    pub value: String,
}

/// Whenever `when` is satisfied the learner counts as holding `grants`.
#[derive(Debug, Clone, PartialEq)]
pub struct Equivalence {
    pub grants: CredentialId,
    pub when: Requirement,
    pub note: Option<String>,
    pub origin: Origin,
}

/// One pathway file, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct PathwayDocument {
    pub file: std::sync::Arc<str>,
    pub publisher: Publisher,
    pub title: String,
    pub description: Option<String>,
    pub version: Option<String>,
    pub published: Option<Date>,
    pub credentials: Vec<Credential>,
    pub equivalences: Vec<Equivalence>,
    pub signature: Option<Signature>,
}

/// Index of a credential in [`Catalog::credentials`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CredIdx(pub u32);

impl CredIdx {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Why one credential points at another in the catalog graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// The target is mentioned by the source's `requires`.
    Requires,
    /// The target is mentioned by an equivalence that grants the source.
    GrantedBy,
}

/// What a file described, kept after its credentials moved into the catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentInfo {
    pub file: std::sync::Arc<str>,
    pub publisher: Publisher,
    pub title: String,
    pub description: Option<String>,
    pub version: Option<String>,
    pub published: Option<Date>,
    pub signature: Option<Signature>,
    pub credential_count: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Catalog {
    credentials: Vec<Credential>,
    index: HashMap<CredentialId, CredIdx>,
    equivalences: Vec<Equivalence>,
    granted_by: HashMap<CredIdx, Vec<usize>>,
    tagged: HashMap<Tag, Vec<CredIdx>>,
    graph: DiGraph<CredIdx, Edge>,
    documents: Vec<DocumentInfo>,
}

/// How [`Catalog::build_with`] builds.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Add "did you mean" hints to warnings about unknown credentials. They
    /// cost a search over the publisher's ids per unknown id: worth it for a
    /// publisher reading `stackpath check`, wasted where warnings are not
    /// shown (planning from the command line).
    pub suggest: bool,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions { suggest: true }
    }
}

impl Catalog {
    /// Joins documents into one catalog. Problems that need the whole catalog
    /// to see are returned as diagnostics; the catalog keeps everything that
    /// can be kept (the first of two duplicates, credentials on a hard cycle,
    /// which simply can never be earned).
    pub fn build(documents: Vec<PathwayDocument>) -> (Catalog, Vec<Diagnostic>) {
        Catalog::build_with(documents, &BuildOptions::default())
    }

    /// [`Catalog::build`] with options.
    pub fn build_with(
        documents: Vec<PathwayDocument>,
        options: &BuildOptions,
    ) -> (Catalog, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut catalog = Catalog::default();
        let mut pending_equivalences = Vec::new();
        let total: usize = documents.iter().map(|d| d.credentials.len()).sum();
        catalog.credentials.reserve(total);
        catalog.index.reserve(total);

        for doc in documents {
            catalog.documents.push(DocumentInfo {
                file: doc.file.clone(),
                publisher: doc.publisher.clone(),
                title: doc.title.clone(),
                description: doc.description.clone(),
                version: doc.version.clone(),
                published: doc.published,
                signature: doc.signature.clone(),
                credential_count: doc.credentials.len(),
            });
            for credential in doc.credentials {
                if let Some(&first) = catalog.index.get(&credential.id) {
                    let first = &catalog.credentials[first.index()].origin;
                    diags.push(Diagnostic::error(
                        "duplicate-id",
                        credential.origin.clone(),
                        format!(
                            "credential \"{}\" is already defined at {first}; give one of them another id",
                            credential.id
                        ),
                    ));
                    continue;
                }
                let idx = CredIdx(catalog.credentials.len() as u32);
                catalog.index.insert(credential.id.clone(), idx);
                for tag in &credential.tags {
                    catalog.tagged.entry(tag.clone()).or_default().push(idx);
                }
                catalog.credentials.push(credential);
            }
            for eq in doc.equivalences {
                if eq.grants.publisher() != doc.publisher.id.as_str() {
                    diags.push(Diagnostic::error(
                        "foreign-grant",
                        eq.origin.clone(),
                        format!(
                            "this file of \"{}\" may only grant its own credentials, not \"{}\"; move the equivalence to {}'s file or grant a credential of \"{}\"",
                            doc.publisher.id,
                            eq.grants,
                            eq.grants.publisher(),
                            doc.publisher.id
                        ),
                    ));
                    continue;
                }
                pending_equivalences.push(eq);
            }
        }

        for eq in pending_equivalences {
            match catalog.index.get(&eq.grants) {
                Some(&idx) => {
                    catalog
                        .granted_by
                        .entry(idx)
                        .or_default()
                        .push(catalog.equivalences.len());
                    catalog.equivalences.push(eq);
                }
                None => diags.push(Diagnostic::warning(
                    "dangling-grant",
                    eq.origin.clone(),
                    format!(
                        "this equivalence grants \"{}\", which no loaded file defines; define it in this file or remove the equivalence",
                        eq.grants
                    ),
                )),
            }
        }

        // The reference check and the hard-cycle search only read the
        // catalog, and the graph is built apart from both: on a large catalog
        // the first two run on a second thread while the graph is built. The
        // diagnostics come out in the same order either way.
        let parallel = catalog.credentials.len() >= 10_000;
        let (mut checked, graph) = std::thread::scope(|scope| {
            let c = &catalog;
            let checks = move || {
                let mut found = Vec::new();
                c.check_references(options.suggest, &mut found);
                let on_hard_cycle = c.check_hard_cycles(&mut found);
                (found, on_hard_cycle)
            };
            if parallel {
                let handle = scope.spawn(checks);
                let graph = c.graph_edges();
                match handle.join() {
                    Ok(checked) => (checked, graph),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            } else {
                (checks(), c.graph_edges())
            }
        });
        catalog.graph = graph;
        diags.append(&mut checked.0);
        catalog.check_soft_cycles(&checked.1, &mut diags);
        (catalog, diags)
    }

    fn check_references(&self, suggest: bool, diags: &mut Vec<Diagnostic>) {
        let mut suggest = Suggestions::new(self, suggest);
        let mut check = |r: &Requirement, diags: &mut Vec<Diagnostic>| {
            r.visit(&mut |node| match &node.kind {
                RequirementKind::Credential(id) => {
                    self.check_reference(id, &node.origin, &mut suggest, diags)
                }
                RequirementKind::Credits { from, from_tags, .. } => {
                    for id in from {
                        self.check_reference(id, &node.origin, &mut suggest, diags);
                    }
                    for tag in from_tags {
                        if !self.tagged.contains_key(tag) {
                            diags.push(Diagnostic::warning(
                                "unknown-tag",
                                node.origin.clone(),
                                format!(
                                    "no loaded credential carries the tag \"{tag}\", so this pool gets nothing from it; check the spelling, or write \"publisher:tag\" for another publisher's tag"
                                ),
                            ));
                        }
                    }
                }
                _ => {}
            });
        };
        for c in &self.credentials {
            if let Some(r) = &c.requires {
                check(r, diags);
            }
            if let Some(r) = &c.recommended {
                check(r, diags);
            }
        }
        for eq in &self.equivalences {
            check(&eq.when, diags);
        }
    }

    fn check_reference(
        &self,
        id: &CredentialId,
        at: &Origin,
        suggest: &mut Suggestions<'_>,
        diags: &mut Vec<Diagnostic>,
    ) {
        if self.index.contains_key(id) {
            return;
        }
        let hint = match suggest.closest(id) {
            Some(near) => format!(" (did you mean \"{near}\"?)"),
            None => String::new(),
        };
        diags.push(Diagnostic::warning(
            "unknown-credential",
            at.clone(),
            format!(
                "no loaded file defines \"{id}\"{hint}; until one does, this requirement can only be met by a learner who already holds it"
            ),
        ));
    }

    fn graph_edges(&self) -> DiGraph<CredIdx, Edge> {
        let mut graph = DiGraph::with_capacity(self.credentials.len(), self.credentials.len() * 2);
        for i in 0..self.credentials.len() {
            graph.add_node(CredIdx(i as u32));
        }
        // Edges are deduplicated with a set per credential rather than with
        // `update_edge`, which scans every edge of the node and made large
        // credit pools (a degree drawing on hundreds of tagged courses)
        // quadratic.
        let mut granted: Vec<CredIdx> = Vec::new();
        for (i, c) in self.credentials.iter().enumerate() {
            let from = NodeIndex::new(i);
            if let Some(r) = &c.requires {
                granted.clear();
                self.collect_members(r, &mut granted);
                granted.sort_unstable();
                granted.dedup();
                for to in &granted {
                    graph.add_edge(from, NodeIndex::new(to.index()), Edge::Requires);
                }
            }
            granted.clear();
            for &e in self
                .granted_by
                .get(&CredIdx(i as u32))
                .into_iter()
                .flatten()
            {
                self.collect_members(&self.equivalences[e].when, &mut granted);
            }
            granted.sort_unstable();
            granted.dedup();
            for to in &granted {
                graph.add_edge(from, NodeIndex::new(to.index()), Edge::GrantedBy);
            }
        }
        graph
    }

    /// Appends every defined credential that can count toward `r`, with
    /// repeats and in no particular order (for building the graph).
    fn collect_members(&self, r: &Requirement, out: &mut Vec<CredIdx>) {
        r.visit(&mut |node| match &node.kind {
            RequirementKind::Credential(id) => out.extend(self.index.get(id).copied()),
            RequirementKind::Credits {
                from, from_tags, ..
            } => {
                out.extend(from.iter().filter_map(|id| self.index.get(id).copied()));
                for tag in from_tags {
                    out.extend(self.tagged.get(tag).into_iter().flatten().copied());
                }
            }
            _ => {}
        });
    }

    /// Every defined credential that can count toward `r`: ids it names and
    /// members of its credit pools, tags included.
    pub fn members(&self, r: &Requirement) -> Vec<CredIdx> {
        let mut out = Vec::new();
        r.visit(&mut |node| match &node.kind {
            RequirementKind::Credential(id) => {
                if let Some(&i) = self.index.get(id) {
                    out.push(i);
                }
            }
            RequirementKind::Credits {
                from, from_tags, ..
            } => out.extend(self.pool(from, from_tags)),
            _ => {}
        });
        // Each once, in order of first appearance: a scan for the usual short
        // lists, a sort for long ones (a degree's pool of hundreds).
        if out.len() <= 32 {
            let mut k = 0;
            for j in 0..out.len() {
                if !out[..k].contains(&out[j]) {
                    out[k] = out[j];
                    k += 1;
                }
            }
            out.truncate(k);
        } else {
            let mut first: Vec<(CredIdx, usize)> =
                out.iter().enumerate().map(|(pos, &i)| (i, pos)).collect();
            first.sort_unstable();
            first.dedup_by_key(|(i, _)| *i);
            first.sort_unstable_by_key(|&(_, pos)| pos);
            out = first.into_iter().map(|(i, _)| i).collect();
        }
        out
    }

    /// The defined members of a credit pool, in catalog order, each once.
    pub fn pool(&self, from: &[CredentialId], from_tags: &[Tag]) -> Vec<CredIdx> {
        let mut out: Vec<CredIdx> = from
            .iter()
            .filter_map(|id| self.index.get(id).copied())
            .collect();
        for tag in from_tags {
            out.extend(self.tagged.get(tag).into_iter().flatten().copied());
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Credentials a learner cannot obtain without `idx`: if every way to
    /// obtain it (earning it, or any equivalence granting it) needs the other.
    fn needs(&self, idx: CredIdx) -> Vec<CredIdx> {
        let c = &self.credentials[idx.index()];
        let mut ways: Vec<Vec<CredIdx>> = Vec::new();
        if c.earnable {
            ways.push(self.necessary_ids(c.requires.as_ref()));
        }
        for &e in self.granted_by.get(&idx).into_iter().flatten() {
            ways.push(self.necessary_ids(Some(&self.equivalences[e].when)));
        }
        let Some(first) = ways.first() else {
            return Vec::new();
        };
        first
            .iter()
            .copied()
            .filter(|i| ways[1..].iter().all(|w| w.binary_search(i).is_ok()))
            .collect()
    }

    /// The defined credentials `r` cannot be satisfied without, sorted.
    fn necessary_ids(&self, r: Option<&Requirement>) -> Vec<CredIdx> {
        let mut out: Vec<CredIdx> = r
            .map(|r| {
                r.necessary()
                    .into_iter()
                    .filter_map(|id| self.index.get(id).copied())
                    .collect()
            })
            .unwrap_or_default();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Reports hard cycles; returns which credentials lie on one.
    fn check_hard_cycles(&self, diags: &mut Vec<Diagnostic>) -> Vec<bool> {
        let n = self.credentials.len();
        let mut needs_graph: DiGraph<(), ()> = DiGraph::with_capacity(n, n);
        for _ in 0..n {
            needs_graph.add_node(());
        }
        for i in 0..n {
            for j in self.needs(CredIdx(i as u32)) {
                needs_graph.add_edge(NodeIndex::new(i), NodeIndex::new(j.index()), ());
            }
        }
        let mut on_hard_cycle = vec![false; n];
        for scc in tarjan_scc(&needs_graph) {
            let Some(cycle) = shortest_cycle(&needs_graph, &scc) else {
                continue;
            };
            for &i in &scc {
                on_hard_cycle[i.index()] = true;
            }
            let first = &self.credentials[cycle[0]];
            diags.push(Diagnostic::error(
                "hard-cycle",
                first.origin.clone(),
                format!(
                    "hard cycle: {}; each needs the next, so none of them can ever be earned; make one of these requirements an \"any\" with another way in, or remove it",
                    self.describe_cycle(&cycle, " needs ")
                ),
            ));
        }
        on_hard_cycle
    }

    /// Reports soft cycles: cycles of the graph away from hard cycles.
    fn check_soft_cycles(&self, on_hard_cycle: &[bool], diags: &mut Vec<Diagnostic>) {
        for scc in tarjan_scc(&self.graph) {
            if scc.iter().any(|i| on_hard_cycle[i.index()]) {
                continue;
            }
            let Some(cycle) = shortest_cycle(&self.graph, &scc) else {
                continue;
            };
            let first = &self.credentials[cycle[0]];
            diags.push(Diagnostic::warning(
                "soft-cycle",
                first.origin.clone(),
                format!(
                    "soft cycle: {}; it passes through an \"any\", \"at_least\" or credit pool, so it is legal, and no plan will ever count a credential toward its own requirements",
                    self.describe_cycle(&cycle, " → ")
                ),
            ));
        }
    }

    fn describe_cycle(&self, cycle: &[usize], sep: &str) -> String {
        let mut names: Vec<&str> = cycle
            .iter()
            .map(|&i| self.credentials[i].id.as_str())
            .collect();
        names.push(self.credentials[cycle[0]].id.as_str());
        names.join(sep)
    }

    pub fn credentials(&self) -> &[Credential] {
        &self.credentials
    }

    pub fn credential(&self, idx: CredIdx) -> &Credential {
        &self.credentials[idx.index()]
    }

    pub fn index_of(&self, id: &CredentialId) -> Option<CredIdx> {
        self.index.get(id).copied()
    }

    pub fn get(&self, id: &CredentialId) -> Option<&Credential> {
        self.index_of(id).map(|i| self.credential(i))
    }

    pub fn equivalences(&self) -> &[Equivalence] {
        &self.equivalences
    }

    pub fn documents(&self) -> &[DocumentInfo] {
        &self.documents
    }

    /// Credentials carrying `tag`, in catalog order.
    pub fn tagged(&self, tag: &Tag) -> &[CredIdx] {
        self.tagged.get(tag).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Equivalences that grant `idx`.
    pub fn granted_by(&self, idx: CredIdx) -> impl Iterator<Item = &Equivalence> {
        self.granted_by
            .get(&idx)
            .into_iter()
            .flatten()
            .map(|&e| &self.equivalences[e])
    }

    /// Credentials that `idx`'s own `requires` can draw on (direct
    /// successors in the graph through `requires`).
    pub fn requires(&self, idx: CredIdx) -> Vec<CredIdx> {
        self.neighbours(idx, Direction::Outgoing, Edge::Requires)
    }

    /// Credentials whose `requires` can draw on `idx`.
    pub fn required_by(&self, idx: CredIdx) -> Vec<CredIdx> {
        self.neighbours(idx, Direction::Incoming, Edge::Requires)
    }

    /// Credentials that `idx` can help obtain through equivalences.
    pub fn grants(&self, idx: CredIdx) -> Vec<CredIdx> {
        self.neighbours(idx, Direction::Incoming, Edge::GrantedBy)
    }

    fn neighbours(&self, idx: CredIdx, dir: Direction, kind: Edge) -> Vec<CredIdx> {
        let mut out: Vec<CredIdx> = self
            .graph
            .edges_directed(NodeIndex::new(idx.index()), dir)
            .filter(|e| *e.weight() == kind)
            .map(|e| {
                let other = if dir == Direction::Outgoing {
                    e.target()
                } else {
                    e.source()
                };
                CredIdx(other.index() as u32)
            })
            .collect();
        out.sort_unstable();
        out
    }

    /// Every credential `idx` transitively depends on through requirements
    /// and equivalences, `idx` included: the part of the catalog relevant to
    /// planning toward it.
    pub fn relevant_to(&self, idx: CredIdx) -> Vec<CredIdx> {
        let mut seen = vec![false; self.credentials.len()];
        let mut queue = VecDeque::from([idx]);
        seen[idx.index()] = true;
        let mut out = Vec::new();
        while let Some(i) = queue.pop_front() {
            out.push(i);
            for next in self.graph.neighbors(NodeIndex::new(i.index())) {
                if !seen[next.index()] {
                    seen[next.index()] = true;
                    queue.push_back(CredIdx(next.index() as u32));
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// The underlying graph, credential to what it draws on.
    pub fn graph(&self) -> &DiGraph<CredIdx, Edge> {
        &self.graph
    }
}

/// The shortest cycle through the smallest node of a strongly connected
/// component, as node indices in order, or `None` when the component is a
/// single node without a self-loop.
fn shortest_cycle<N, E>(graph: &DiGraph<N, E>, scc: &[NodeIndex]) -> Option<Vec<usize>> {
    let start = *scc.iter().min()?;
    if scc.len() == 1 && graph.find_edge(start, start).is_none() {
        return None;
    }
    let members: HashSet<NodeIndex> = scc.iter().copied().collect();
    let mut parent: HashMap<NodeIndex, NodeIndex> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(u) = queue.pop_front() {
        let mut next: Vec<NodeIndex> = graph.neighbors(u).filter(|v| members.contains(v)).collect();
        next.sort_unstable();
        for v in next {
            if v == start {
                let mut path = vec![u.index()];
                let mut at = u;
                while at != start {
                    at = parent[&at];
                    path.push(at.index());
                }
                path.reverse();
                return Some(path);
            }
            if let std::collections::hash_map::Entry::Vacant(e) = parent.entry(v) {
                e.insert(u);
                queue.push_back(v);
            }
        }
    }
    None
}

/// "Did you mean" suggestions for references to undefined credentials: the
/// defined id of the same publisher nearest by edit distance, when it is
/// close enough to be a typo. The per-publisher index is built on the first
/// unknown reference only, and each unknown id is looked up once, so a
/// catalog full of references to retired courses stays fast to load.
struct Suggestions<'c> {
    catalog: &'c Catalog,
    enabled: bool,
    by_publisher: Option<HashMap<&'c str, Vec<Candidate<'c>>>>,
    memo: HashMap<CredentialId, Option<CredentialId>>,
    row: Vec<usize>,
}

impl<'c> Suggestions<'c> {
    fn new(catalog: &'c Catalog, enabled: bool) -> Self {
        Suggestions {
            catalog,
            enabled,
            by_publisher: None,
            memo: HashMap::new(),
            row: Vec::new(),
        }
    }

    fn closest(&mut self, id: &CredentialId) -> Option<CredentialId> {
        if !self.enabled {
            return None;
        }
        if let Some(hit) = self.memo.get(id) {
            return hit.clone();
        }
        let catalog = self.catalog;
        let by_publisher = self.by_publisher.get_or_insert_with(|| {
            let mut map: HashMap<&str, Vec<Candidate<'c>>> = HashMap::new();
            for c in &catalog.credentials {
                map.entry(c.id.publisher())
                    .or_default()
                    .push(Candidate::new(&c.id));
            }
            map
        });
        let local = id.local().as_bytes();
        let letters = letter_set(local);
        let limit = 2.max(local.len() / 4);
        let mut best: Option<(usize, &CredentialId)> = None;
        for candidate in by_publisher.get(id.publisher()).into_iter().flatten() {
            let bound = best.map_or(limit, |(d, _)| d);
            let other = candidate.id.local().as_bytes();
            // Two cheap lower bounds on the distance first: the difference
            // in length, and the letters one side has and the other lacks
            // entirely (each needs its own edit).
            if other.len().abs_diff(local.len()) > bound
                || missing_letters(letters, candidate.letters) > bound
            {
                continue;
            }
            if let Some(d) = bounded_edit_distance(local, other, bound, &mut self.row) {
                if best.is_none_or(|(bd, bid)| d < bd || (d == bd && candidate.id < bid)) {
                    best = Some((d, candidate.id));
                }
            }
        }
        let hit = best.map(|(_, id)| id.clone());
        self.memo.insert(id.clone(), hit.clone());
        hit
    }
}

/// A defined id with the set of letters of its local part, for
/// [`missing_letters`].
struct Candidate<'c> {
    id: &'c CredentialId,
    letters: u128,
}

impl<'c> Candidate<'c> {
    fn new(id: &'c CredentialId) -> Self {
        Candidate {
            id,
            letters: letter_set(id.local().as_bytes()),
        }
    }
}

/// The set of ASCII bytes in `s`, one bit each (ids are ASCII by their
/// grammar; anything else shares the top bit, which only weakens the bound).
fn letter_set(s: &[u8]) -> u128 {
    s.iter().fold(0, |set, &b| set | 1u128 << b.min(127))
}

/// A lower bound on the edit distance of two strings from their letter
/// sets: every letter one string has and the other lacks needs at least one
/// edit of its own on that string's side (a deletion, insertion or
/// substitution touches one position of each side at most).
fn missing_letters(a: u128, b: u128) -> usize {
    (a & !b).count_ones().max((b & !a).count_ones()) as usize
}

/// Levenshtein distance between two ASCII ids (ids are ASCII by their
/// grammar), or `None` when it exceeds `bound`: a row whose smallest entry
/// is over the bound can only grow, so the scan stops there.
fn bounded_edit_distance(a: &[u8], b: &[u8], bound: usize, row: &mut Vec<usize>) -> Option<usize> {
    row.clear();
    row.extend(0..=b.len());
    for (i, &ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        let mut smallest = row[0];
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            let value = (diagonal + usize::from(ca != cb))
                .min(above + 1)
                .min(row[j] + 1);
            diagonal = above;
            row[j + 1] = value;
            smallest = smallest.min(value);
        }
        if smallest > bound {
            return None;
        }
    }
    let d = row[b.len()];
    (d <= bound).then_some(d)
}

#[cfg(test)]
mod edit_distance_tests {
    use super::{bounded_edit_distance, letter_set, missing_letters};
    use proptest::prelude::*;

    fn plain(a: &[u8], b: &[u8]) -> usize {
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, &ca) in a.iter().enumerate() {
            let mut cur = vec![i + 1; b.len() + 1];
            for (j, &cb) in b.iter().enumerate() {
                cur[j + 1] = (prev[j] + usize::from(ca != cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1);
            }
            prev = cur;
        }
        prev[b.len()]
    }

    proptest! {
        #[test]
        fn agrees_with_the_plain_distance_within_the_bound(
            a in "[a-c.-]{0,8}",
            b in "[a-c.-]{0,8}",
            bound in 0usize..6,
        ) {
            let d = plain(a.as_bytes(), b.as_bytes());
            let got = bounded_edit_distance(a.as_bytes(), b.as_bytes(), bound, &mut Vec::new());
            prop_assert_eq!(got, (d <= bound).then_some(d));
        }

        #[test]
        fn missing_letters_never_exceed_the_distance(
            a in "[a-e0-2.-]{0,9}",
            b in "[a-e0-2.-]{0,9}",
        ) {
            let lower = missing_letters(letter_set(a.as_bytes()), letter_set(b.as_bytes()));
            prop_assert!(lower <= plain(a.as_bytes(), b.as_bytes()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credential::Kind;
    use std::sync::Arc;

    fn o(file: &str, line: u32) -> Origin {
        Origin::new(Arc::from(file), line, 1)
    }

    fn id(s: &str) -> CredentialId {
        CredentialId::parse(s).expect("valid id")
    }

    fn leaf(s: &str) -> Requirement {
        Requirement::credential(id(s), o("t", 0))
    }

    fn all(v: Vec<Requirement>) -> Requirement {
        Requirement::new(RequirementKind::All(v), o("t", 0))
    }

    fn any(v: Vec<Requirement>) -> Requirement {
        Requirement::new(RequirementKind::Any(v), o("t", 0))
    }

    fn cred(s: &str, line: u32, requires: Option<Requirement>) -> Credential {
        let mut c = Credential::new(id(s), s, Kind::Course, o("a.pathway.json", line));
        c.requires = requires;
        c
    }

    fn doc(
        publisher: &str,
        credentials: Vec<Credential>,
        equivalences: Vec<Equivalence>,
    ) -> PathwayDocument {
        PathwayDocument {
            file: Arc::from(format!("{publisher}.pathway.json")),
            publisher: Publisher {
                id: PublisherId::parse(publisher).expect("valid"),
                name: publisher.to_string(),
                url: None,
            },
            title: "t".into(),
            description: None,
            version: None,
            published: None,
            credentials,
            equivalences,
            signature: None,
        }
    }

    fn eq(grants: &str, when: Requirement, line: u32) -> Equivalence {
        Equivalence {
            grants: id(grants),
            when,
            note: None,
            origin: o("a.pathway.json", line),
        }
    }

    fn codes(d: &[Diagnostic]) -> Vec<&'static str> {
        d.iter().map(|d| d.code).collect()
    }

    #[test]
    fn duplicates_keep_the_first_and_name_it() {
        let (c, d) = Catalog::build(vec![
            doc(
                "ccc",
                vec![cred("ccc:a", 3, None), cred("ccc:a", 7, None)],
                vec![],
            ),
            doc("ccc", vec![cred("ccc:a", 9, None)], vec![]),
        ]);
        assert_eq!(c.credentials().len(), 1);
        assert_eq!(c.credentials()[0].origin.line, 3);
        assert_eq!(codes(&d), ["duplicate-id", "duplicate-id"]);
        assert_eq!(d[0].at.line, 7);
        assert!(
            d[0].message.contains("a.pathway.json:3:1"),
            "{}",
            d[0].message
        );
        assert_eq!(d[1].at.line, 9);
    }

    #[test]
    fn dangling_references_are_warnings_with_did_you_mean() {
        let (c, d) = Catalog::build(vec![doc(
            "ccc",
            vec![
                cred("ccc:cs-101", 1, None),
                cred(
                    "ccc:cs-102",
                    2,
                    Some(any(vec![leaf("ccc:cs-10l"), leaf("uni:zzz")])),
                ),
            ],
            vec![],
        )]);
        assert_eq!(c.credentials().len(), 2);
        assert_eq!(codes(&d), ["unknown-credential", "unknown-credential"]);
        assert!(d.iter().all(|d| !d.is_error()));
        assert!(
            d[0].message.contains("did you mean \"ccc:cs-101\""),
            "{}",
            d[0].message
        );
        // Only the same publisher's ids are suggested.
        assert!(!d[1].message.contains("did you mean"), "{}", d[1].message);
    }

    #[test]
    fn hard_cycles_are_errors_naming_every_credential_in_order() {
        let (c, d) = Catalog::build(vec![doc(
            "ccc",
            vec![
                cred("ccc:a", 1, Some(leaf("ccc:b"))),
                cred("ccc:b", 2, Some(all(vec![leaf("ccc:c"), leaf("ccc:d")]))),
                cred("ccc:c", 3, Some(leaf("ccc:a"))),
                cred("ccc:d", 4, None),
            ],
            vec![],
        )]);
        assert_eq!(codes(&d), ["hard-cycle"]);
        assert!(d[0].is_error());
        assert_eq!(d[0].at.line, 1);
        assert!(
            d[0].message
                .starts_with("hard cycle: ccc:a needs ccc:b needs ccc:c needs ccc:a;"),
            "{}",
            d[0].message
        );
        // The credentials stay: they simply can never be earned.
        assert_eq!(c.credentials().len(), 4);
    }

    #[test]
    fn a_self_requirement_is_a_hard_cycle() {
        let (_, d) = Catalog::build(vec![doc(
            "ccc",
            vec![cred("ccc:a", 1, Some(leaf("ccc:a")))],
            vec![],
        )]);
        assert_eq!(codes(&d), ["hard-cycle"]);
        assert!(
            d[0].message.contains("ccc:a needs ccc:a"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn cycles_through_any_are_soft_warnings() {
        let (_, d) = Catalog::build(vec![doc(
            "ccc",
            vec![
                cred(
                    "ccc:mth-154",
                    1,
                    Some(any(vec![leaf("ccc:mth-155"), leaf("ccc:placement")])),
                ),
                cred("ccc:mth-155", 2, Some(leaf("ccc:mth-154"))),
                cred("ccc:placement", 3, None),
            ],
            vec![],
        )]);
        assert_eq!(codes(&d), ["soft-cycle"]);
        assert!(!d[0].is_error());
        assert!(
            d[0].message
                .contains("ccc:mth-154 → ccc:mth-155 → ccc:mth-154"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn at_least_with_k_equal_to_its_length_is_necessary() {
        let k2 = Requirement::new(
            RequirementKind::AtLeast {
                k: 2,
                of: vec![leaf("ccc:b"), leaf("ccc:c")],
            },
            o("t", 0),
        );
        let k1 = Requirement::new(
            RequirementKind::AtLeast {
                k: 1,
                of: vec![leaf("ccc:b"), leaf("ccc:c")],
            },
            o("t", 0),
        );
        for (req, hard) in [(k2, true), (k1, false)] {
            let (_, d) = Catalog::build(vec![doc(
                "ccc",
                vec![
                    cred("ccc:a", 1, Some(req)),
                    cred("ccc:b", 2, Some(leaf("ccc:a"))),
                    cred("ccc:c", 3, None),
                ],
                vec![],
            )]);
            assert_eq!(codes(&d), [if hard { "hard-cycle" } else { "soft-cycle" }]);
        }
    }

    #[test]
    fn foreign_grants_are_errors_and_dropped() {
        let (c, d) = Catalog::build(vec![
            doc("uni", vec![cred("uni:x", 1, None)], vec![]),
            doc(
                "ccc",
                vec![cred("ccc:a", 1, None)],
                vec![eq("uni:x", leaf("ccc:a"), 5)],
            ),
        ]);
        assert_eq!(codes(&d), ["foreign-grant"]);
        assert_eq!(d[0].at.line, 5);
        assert!(c.equivalences().is_empty());
    }

    #[test]
    fn grants_of_undefined_credentials_are_warnings() {
        let (c, d) = Catalog::build(vec![doc(
            "ccc",
            vec![cred("ccc:a", 1, None)],
            vec![eq("ccc:zz", leaf("ccc:a"), 4)],
        )]);
        assert_eq!(codes(&d), ["dangling-grant"]);
        assert!(c.equivalences().is_empty());
    }

    #[test]
    fn an_equivalence_is_another_way_in_so_needs_go_through_every_way() {
        // a needs b, b needs a: hard, unless an equivalence grants a for c.
        let creds = || {
            vec![
                cred("ccc:a", 1, Some(leaf("ccc:b"))),
                cred("ccc:b", 2, Some(leaf("ccc:a"))),
                cred("ccc:c", 3, None),
            ]
        };
        let (_, d) = Catalog::build(vec![doc("ccc", creds(), vec![])]);
        assert_eq!(codes(&d), ["hard-cycle"]);
        let (c, d) = Catalog::build(vec![doc(
            "ccc",
            creds(),
            vec![eq("ccc:a", leaf("ccc:c"), 9)],
        )]);
        assert_eq!(codes(&d), ["soft-cycle"], "{d:?}");
        let a = c.index_of(&id("ccc:a")).expect("a");
        assert_eq!(c.granted_by(a).count(), 1);
        assert_eq!(c.grants(c.index_of(&id("ccc:c")).expect("c")), vec![a]);
    }

    #[test]
    fn a_non_earnable_credential_needs_what_every_equivalence_needs() {
        // p can only be granted, and the only grant needs q, which needs p.
        let mut p = cred("ccc:p", 1, None);
        p.earnable = false;
        let (_, d) = Catalog::build(vec![doc(
            "ccc",
            vec![p, cred("ccc:q", 2, Some(leaf("ccc:p")))],
            vec![eq("ccc:p", leaf("ccc:q"), 5)],
        )]);
        assert_eq!(codes(&d), ["hard-cycle"]);
        assert!(
            d[0].message.contains("ccc:p needs ccc:q needs ccc:p"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn requires_and_granted_by_edges_between_the_same_pair_are_both_kept() {
        let (c, _) = Catalog::build(vec![doc(
            "ccc",
            vec![
                cred("ccc:a", 1, Some(leaf("ccc:b"))),
                cred("ccc:b", 2, None),
            ],
            vec![eq("ccc:a", leaf("ccc:b"), 5)],
        )]);
        let a = c.index_of(&id("ccc:a")).expect("a");
        let b = c.index_of(&id("ccc:b")).expect("b");
        assert_eq!(c.requires(a), vec![b]);
        assert_eq!(c.grants(b), vec![a]);
    }

    #[test]
    fn members_are_listed_once_in_order_of_first_appearance() {
        let n = 50;
        let creds: Vec<Credential> = (0..n)
            .map(|i| cred(&format!("ccc:c{i}"), i, None))
            .collect();
        let (c, _) = Catalog::build(vec![doc("ccc", creds, vec![])]);
        for len in [3, 40] {
            // c{len-1}, ..., c0, then all of them again in increasing order.
            let mut leaves: Vec<Requirement> =
                (0..len).rev().map(|i| leaf(&format!("ccc:c{i}"))).collect();
            leaves.extend((0..len).map(|i| leaf(&format!("ccc:c{i}"))));
            let got = c.members(&any(leaves));
            let want: Vec<CredIdx> = (0..len).rev().map(|i| CredIdx(i as u32)).collect();
            assert_eq!(got, want, "{len}");
        }
    }

    #[test]
    fn credit_pools_draw_on_tags_of_their_own_namespace() {
        let mut x = cred("ccc:x", 1, None);
        x.tags =
            vec![Tag::parse_in("elective", &PublisherId::parse("ccc").expect("p")).expect("t")];
        let mut y = cred("uni:y", 1, None);
        y.tags =
            vec![Tag::parse_in("elective", &PublisherId::parse("uni").expect("p")).expect("t")];
        let pool = Requirement::new(
            RequirementKind::Credits {
                credits: 3.0,
                unit: "ECTS".into(),
                from: vec![],
                from_tags: vec![
                    Tag::parse_in("elective", &PublisherId::parse("ccc").expect("p")).expect("t"),
                ],
            },
            o("t", 0),
        );
        let (c, d) = Catalog::build(vec![
            doc("ccc", vec![x, cred("ccc:d", 2, Some(pool))], vec![]),
            doc("uni", vec![y], vec![]),
        ]);
        assert!(d.is_empty(), "{d:?}");
        let dip = c.index_of(&id("ccc:d")).expect("d");
        assert_eq!(c.requires(dip), vec![c.index_of(&id("ccc:x")).expect("x")]);
    }
}
