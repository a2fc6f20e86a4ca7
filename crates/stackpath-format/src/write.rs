//! Writers for both formats: pretty JSON that a publisher would write by
//! hand, ids relative to the file's publisher, fields in the order the
//! format's documentation lists them, defaults left out.
//!
//! Layout: two-space indentation; a list or object that fits on one line of
//! at most 100 columns is written on one line (`"requires": { "all": ["a",
//! "b"] }`), anything longer one member per line.

use std::borrow::Cow;

use stackpath_model::{
    Credential, Credits, Learner, Money, PathwayDocument, PublisherId, Requirement,
    RequirementKind, Starts,
};

use crate::jcs::write_string;
use crate::pathway::{LEARNER_FORMAT, PATHWAY_FORMAT};

/// A JSON value to be written.
#[derive(Debug, Clone)]
pub(crate) enum Out {
    Raw(String),
    Str(String),
    List(Vec<Out>),
    Obj(Vec<(Cow<'static, str>, Out)>),
}

const WIDTH: usize = 100;

fn obj(members: Vec<(&'static str, Out)>) -> Out {
    Out::Obj(
        members
            .into_iter()
            .map(|(k, v)| (Cow::Borrowed(k), v))
            .collect(),
    )
}

fn s(v: &str) -> Out {
    Out::Str(v.to_string())
}

fn num(x: f64) -> Out {
    // Non-finite numbers cannot come from a file; a value built in code that
    // has one is written as 0 so the output stays JSON.
    if x.is_finite() {
        Out::Raw(format!("{x}"))
    } else {
        Out::Raw("0".to_string())
    }
}

impl Out {
    /// The one-line width, or `None` once it exceeds `limit`.
    fn flat_width(&self, limit: usize) -> Option<usize> {
        let w = match self {
            Out::Raw(r) => r.len(),
            Out::Str(v) => v.len() + 2 + v.bytes().filter(|b| matches!(b, b'"' | b'\\')).count(),
            Out::List(items) => {
                let mut w = 2 + items.len().saturating_sub(1) * 2;
                for i in items {
                    w += i.flat_width(limit.checked_sub(w)?)?;
                }
                w
            }
            Out::Obj(members) => {
                let mut w = 4 + members.len().saturating_sub(1) * 2;
                for (k, v) in members {
                    w += k.len() + 4;
                    w += v.flat_width(limit.checked_sub(w)?)?;
                }
                w
            }
        };
        (w <= limit).then_some(w)
    }

    fn flat(&self, out: &mut String) {
        match self {
            Out::Raw(r) => out.push_str(r),
            Out::Str(v) => write_string(v, out),
            Out::List(items) => {
                out.push('[');
                for (n, i) in items.iter().enumerate() {
                    if n > 0 {
                        out.push_str(", ");
                    }
                    i.flat(out);
                }
                out.push(']');
            }
            Out::Obj(members) if members.is_empty() => out.push_str("{}"),
            Out::Obj(members) => {
                out.push_str("{ ");
                for (n, (k, v)) in members.iter().enumerate() {
                    if n > 0 {
                        out.push_str(", ");
                    }
                    write_string(k, out);
                    out.push_str(": ");
                    v.flat(out);
                }
                out.push_str(" }");
            }
        }
    }

    /// Writes at indentation `indent`, the cursor already at `column`.
    fn pretty(&self, indent: usize, column: usize, out: &mut String) {
        let fits = self.flat_width(WIDTH.saturating_sub(column)).is_some();
        match self {
            Out::List(items) if !fits && !items.is_empty() => {
                out.push('[');
                for (n, i) in items.iter().enumerate() {
                    out.push('\n');
                    push_indent(out, indent + 1);
                    i.pretty(indent + 1, (indent + 1) * 2, out);
                    if n + 1 < items.len() {
                        out.push(',');
                    }
                }
                out.push('\n');
                push_indent(out, indent);
                out.push(']');
            }
            Out::Obj(members) if !fits && !members.is_empty() => {
                out.push('{');
                for (n, (k, v)) in members.iter().enumerate() {
                    out.push('\n');
                    push_indent(out, indent + 1);
                    write_string(k, out);
                    out.push_str(": ");
                    v.pretty(indent + 1, (indent + 1) * 2 + k.len() + 4, out);
                    if n + 1 < members.len() {
                        out.push(',');
                    }
                }
                out.push('\n');
                push_indent(out, indent);
                out.push('}');
            }
            _ => self.flat(out),
        }
    }

    fn render(&self) -> String {
        let mut out = String::new();
        self.pretty(0, 0, &mut out);
        out.push('\n');
        out
    }
}

fn push_indent(out: &mut String, indent: usize) {
    for _ in 0..indent {
        out.push_str("  ");
    }
}

fn money(m: &Money) -> Out {
    obj(vec![
        ("amount", num(m.amount)),
        ("currency", s(&m.currency)),
    ])
}

fn credits(c: &Credits) -> Out {
    obj(vec![("value", num(c.value)), ("unit", s(&c.unit))])
}

/// A level value goes back out as a number when it was one.
fn level_value(v: &str) -> Out {
    let arena = bumpalo::Bump::new();
    let is_number = crate::json::parse(v.as_bytes(), &arena)
        .map(|d| matches!(d.root.value, crate::json::Value::Number(_)))
        .unwrap_or(false);
    if is_number {
        Out::Raw(v.to_string())
    } else {
        s(v)
    }
}

pub(crate) fn requirement(r: &Requirement, p: &PublisherId) -> Out {
    let mut m: Vec<(&'static str, Out)> = Vec::new();
    let list = |v: &[Requirement]| Out::List(v.iter().map(|c| requirement(c, p)).collect());
    match &r.kind {
        RequirementKind::Credential(id) if r.label.is_none() && !r.shared => {
            return s(id.relative_to(p));
        }
        RequirementKind::Credential(id) => {
            // Only object forms carry a label or `shared`: wrap the id.
            m.push(("all", Out::List(vec![s(id.relative_to(p))])));
        }
        RequirementKind::All(v) => m.push(("all", list(v))),
        RequirementKind::Any(v) => m.push(("any", list(v))),
        RequirementKind::AtLeast { k, of } => {
            m.push(("at_least", Out::Raw(k.to_string())));
            m.push(("of", list(of)));
        }
        RequirementKind::Credits {
            credits,
            unit,
            from,
            from_tags,
        } => {
            m.push(("credits", num(*credits)));
            m.push(("unit", s(unit)));
            if !from.is_empty() {
                m.push((
                    "from",
                    Out::List(from.iter().map(|i| s(i.relative_to(p))).collect()),
                ));
            }
            if !from_tags.is_empty() {
                m.push((
                    "from_tags",
                    Out::List(from_tags.iter().map(|t| s(t.relative_to(p))).collect()),
                ));
            }
        }
    }
    if let Some(l) = &r.label {
        m.push(("label", s(l)));
    }
    if r.shared {
        m.push(("shared", Out::Raw("true".into())));
    }
    obj(m)
}

fn credential(c: &Credential, p: &PublisherId) -> Out {
    let mut m: Vec<(&'static str, Out)> = vec![
        ("id", s(c.id.relative_to(p))),
        ("title", s(&c.title)),
        ("kind", s(c.kind.as_str())),
    ];
    if let Some(d) = &c.description {
        m.push(("description", s(d)));
    }
    if let Some(u) = &c.url {
        m.push(("url", s(u)));
    }
    if !c.tags.is_empty() {
        m.push((
            "tags",
            Out::List(c.tags.iter().map(|t| s(t.relative_to(p))).collect()),
        ));
    }
    if let Some(l) = &c.level {
        m.push((
            "level",
            obj(vec![
                ("framework", s(&l.framework)),
                ("value", level_value(&l.value)),
            ]),
        ));
    }
    match c.credits.as_slice() {
        [] => {}
        [one] => m.push(("credits", credits(one))),
        many => m.push(("credits", Out::List(many.iter().map(credits).collect()))),
    }
    if let Some(cost) = &c.cost {
        m.push(("cost", money(cost)));
    }
    if c.effort_hours != 0.0 {
        m.push(("effort_hours", num(c.effort_hours)));
    }
    if let Some(w) = c.duration_weeks {
        m.push(("duration_weeks", num(w)));
    }
    match &c.starts {
        Starts::Anytime => {}
        Starts::Months(v) => m.push((
            "starts",
            obj(vec![(
                "months",
                Out::List(v.iter().map(|x| Out::Raw(x.to_string())).collect()),
            )]),
        )),
        Starts::Dates(v) => m.push((
            "starts",
            obj(vec![(
                "dates",
                Out::List(v.iter().map(|d| s(&d.to_string())).collect()),
            )]),
        )),
    }
    if let Some(v) = c.valid_for_months {
        m.push(("valid_for_months", Out::Raw(v.to_string())));
    }
    if !c.skills.is_empty() {
        m.push(("skills", Out::List(c.skills.iter().map(|x| s(x)).collect())));
    }
    if let Some(r) = &c.requires {
        m.push(("requires", requirement(r, p)));
    }
    if let Some(r) = &c.recommended {
        m.push(("recommended", requirement(r, p)));
    }
    if !c.earnable {
        m.push(("earnable", Out::Raw("false".into())));
    }
    obj(m)
}

/// The document as a tree, without its signature (which signs this tree).
pub(crate) fn pathway_tree(doc: &PathwayDocument) -> Vec<(&'static str, Out)> {
    let p = &doc.publisher.id;
    let mut publisher = vec![("id", s(p.as_str())), ("name", s(&doc.publisher.name))];
    if let Some(u) = &doc.publisher.url {
        publisher.push(("url", s(u)));
    }
    let mut m: Vec<(&'static str, Out)> = vec![
        ("format", s(PATHWAY_FORMAT)),
        ("publisher", obj(publisher)),
        ("title", s(&doc.title)),
    ];
    if let Some(d) = &doc.description {
        m.push(("description", s(d)));
    }
    if let Some(v) = &doc.version {
        m.push(("version", s(v)));
    }
    if let Some(d) = doc.published {
        m.push(("published", s(&d.to_string())));
    }
    m.push((
        "credentials",
        Out::List(doc.credentials.iter().map(|c| credential(c, p)).collect()),
    ));
    if !doc.equivalences.is_empty() {
        let eqs = doc
            .equivalences
            .iter()
            .map(|e| {
                let mut em = vec![
                    ("grants", s(e.grants.relative_to(p))),
                    ("when", requirement(&e.when, p)),
                ];
                if let Some(n) = &e.note {
                    em.push(("note", s(n)));
                }
                obj(em)
            })
            .collect();
        m.push(("equivalences", Out::List(eqs)));
    }
    m
}

/// Writes a pathway document as pretty JSON. Ids are written relative to the
/// document's publisher. The signature, if any, is written as it is; it only
/// verifies if the document is unchanged since it was signed.
pub fn write_pathway(doc: &PathwayDocument) -> String {
    let mut m = pathway_tree(doc);
    if let Some(sig) = &doc.signature {
        m.push((
            "signature",
            obj(vec![
                ("alg", s(&sig.alg)),
                ("public_key", s(&sig.public_key)),
                ("value", s(&sig.value)),
            ]),
        ));
    }
    obj(m).render()
}

/// Writes a learner as pretty JSON, ids fully qualified.
pub fn write_learner(learner: &Learner) -> String {
    let mut m: Vec<(&'static str, Out)> = vec![("format", s(LEARNER_FORMAT))];
    if !learner.name.is_empty() {
        m.push(("name", s(&learner.name)));
    }
    let holdings = learner
        .holdings
        .iter()
        .map(|h| {
            let mut hm = vec![
                ("id", s(h.id.as_str())),
                ("earned", s(&h.earned.to_string())),
            ];
            if let Some(src) = &h.source {
                hm.push(("source", s(src)));
            }
            obj(hm)
        })
        .collect();
    m.push(("holdings", Out::List(holdings)));
    if let Some(t) = &learner.target {
        m.push(("goal", obj(vec![("target", s(t.as_str()))])));
    }
    let c = &learner.constraints;
    let mut cm: Vec<(&'static str, Out)> = Vec::new();
    if let Some(d) = c.start {
        cm.push(("start", s(&d.to_string())));
    }
    if let Some(h) = c.hours_per_week {
        cm.push(("hours_per_week", num(h)));
    }
    if let Some(b) = &c.budget {
        cm.push(("budget", money(b)));
    }
    if !c.avoid.is_empty() {
        cm.push((
            "avoid",
            Out::List(c.avoid.iter().map(|a| s(a.as_str())).collect()),
        ));
    }
    if !cm.is_empty() {
        m.push(("constraints", obj(cm)));
    }
    obj(m).render()
}

/// A parsed JSON tree as it is, for rewriting a file without losing any of
/// it (signing keeps unknown fields and the publisher's member order).
pub(crate) fn from_tree(node: &crate::json::Node<'_>) -> Out {
    use crate::json::Value;
    match &node.value {
        Value::Null => Out::Raw("null".into()),
        Value::Bool(b) => Out::Raw(b.to_string()),
        Value::Number(r) => Out::Raw(r.to_string()),
        Value::String(v) => Out::Str(v.to_string()),
        Value::Array(items) => Out::List(items.iter().map(from_tree).collect()),
        Value::Object(members) => Out::Obj(
            members
                .iter()
                .map(|m| (Cow::Owned(m.key.to_string()), from_tree(&m.value)))
                .collect(),
        ),
    }
}

/// Renders any tree as pretty JSON.
pub(crate) fn render_out(out: &Out) -> String {
    out.render()
}

/// A string member value, for building trees outside this module.
pub(crate) fn string_out(v: &str) -> Out {
    s(v)
}
