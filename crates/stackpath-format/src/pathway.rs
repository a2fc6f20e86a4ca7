//! Pathway files (`*.pathway.json`): from the positioned JSON tree to a
//! [`PathwayDocument`], applying every rule of the format.
//!
//! Partial loading, so that one mistake never hides the rest of a file:
//!
//! - A file that is not JSON, not an object, has no usable `format` or
//!   `publisher`, or whose signature does not match (unless allowed) gives no
//!   document at all.
//! - An error inside a credential drops that credential; an error inside an
//!   equivalence drops that equivalence. Both are reported as errors; the
//!   rest of the file still loads, so its other credentials and other files
//!   can still be checked and planned with.
//! - An error in another top-level field (`title`, `published`, ...) is
//!   reported and the field is treated as absent.
//! - Warnings never drop anything.

use stackpath_model::{
    Credential, CredentialId, Credits, Equivalence, Kind, Level, PathwayDocument, Publisher,
    PublisherId, Requirement, RequirementKind, Signature, Starts, Tag,
};

use crate::json::{Node, Value};
use crate::limits;
use crate::read::{
    boolean, date, did_you_mean, integer, list, money, non_negative, nonempty_string, number,
    string, Ctx, Obj,
};

pub(crate) const TOP_FIELDS: &[&str] = &[
    "$schema",
    "format",
    "publisher",
    "title",
    "description",
    "version",
    "published",
    "credentials",
    "equivalences",
    "signature",
];
pub(crate) const PUBLISHER_FIELDS: &[&str] = &["id", "name", "url"];
pub(crate) const CREDENTIAL_FIELDS: &[&str; 17] = &[
    "id",
    "title",
    "kind",
    "description",
    "url",
    "tags",
    "level",
    "credits",
    "cost",
    "effort_hours",
    "duration_weeks",
    "starts",
    "valid_for_months",
    "skills",
    "requires",
    "recommended",
    "earnable",
];

fn credential_field(key: &str) -> Option<usize> {
    Some(match key {
        "id" => 0,
        "title" => 1,
        "kind" => 2,
        "description" => 3,
        "url" => 4,
        "tags" => 5,
        "level" => 6,
        "credits" => 7,
        "cost" => 8,
        "effort_hours" => 9,
        "duration_weeks" => 10,
        "starts" => 11,
        "valid_for_months" => 12,
        "skills" => 13,
        "requires" => 14,
        "recommended" => 15,
        "earnable" => 16,
        _ => return None,
    })
}

pub(crate) const REQUIREMENT_KEYS: &[&str; 10] = &[
    "all",
    "any",
    "at_least",
    "of",
    "credits",
    "unit",
    "from",
    "from_tags",
    "label",
    "shared",
];

fn requirement_key(key: &str) -> Option<usize> {
    Some(match key {
        "all" => 0,
        "any" => 1,
        "at_least" => 2,
        "of" => 3,
        "credits" => 4,
        "unit" => 5,
        "from" => 6,
        "from_tags" => 7,
        "label" => 8,
        "shared" => 9,
        _ => return None,
    })
}

pub(crate) const EQUIVALENCE_FIELDS: &[&str] = &["grants", "when", "note"];
pub(crate) const SIGNATURE_FIELDS: &[&str] = &["alg", "public_key", "value"];

/// The format string this program writes, and the major version it reads.
pub const PATHWAY_FORMAT: &str = "stackpath.pathway/1";
pub const LEARNER_FORMAT: &str = "stackpath.learner/1";

/// Checks a `format` member: `stackpath.<what>/<major>[.<minor>]`, major 1.
/// Returns false (with an error) when the file cannot be read.
pub(crate) fn check_format(ctx: &mut Ctx, obj: &Obj<'_, '_>, what: &str) -> bool {
    let expected = format!("stackpath.{what}/1");
    let Some(node) = obj.require(ctx, "format", &format!("\"{expected}\" as the first field"))
    else {
        return false;
    };
    let Some(s) = string(ctx, node, "format", limits::SHORT) else {
        return false;
    };
    let other = if what == "pathway" {
        "learner"
    } else {
        "pathway"
    };
    if s.starts_with(&format!("stackpath.{other}/")) {
        ctx.error(
            "bad-format",
            node.pos,
            format!("this is a {other} file (\"{s}\"), not a {what} file; name it *.{other}.json or load it as a {other}"),
        );
        return false;
    }
    let version = s.strip_prefix(&format!("stackpath.{what}/"));
    let parsed = version.and_then(|v| {
        let (major, minor) = v.split_once('.').unwrap_or((v, "0"));
        let ok = |x: &str| !x.is_empty() && x.len() <= 9 && x.bytes().all(|c| c.is_ascii_digit());
        (ok(major) && ok(minor))
            .then(|| major.parse::<u32>().ok())
            .flatten()
    });
    match parsed {
        Some(1) => true,
        Some(major) => {
            ctx.error(
                "unsupported-version",
                node.pos,
                format!("this file is format version {major} (\"{s}\"), and this program reads version 1 (\"{expected}\") only; update Stackpath, or ask the publisher for a version 1 file"),
            );
            false
        }
        None => {
            ctx.error(
                "bad-format",
                node.pos,
                format!(
                    "\"format\" is \"{s}\", which is not a Stackpath format; write \"{expected}\""
                ),
            );
            false
        }
    }
}

/// Parses a pathway document from its JSON tree; `None` when the file cannot
/// be used at all (see the module documentation).
pub(crate) fn document(ctx: &mut Ctx, root: &Node<'_>) -> Option<PathwayDocument> {
    let Value::Object(_) = root.value else {
        ctx.error(
            "wrong-type",
            root.pos,
            format!(
                "a pathway file must be a JSON object ({{ \"format\": \"{PATHWAY_FORMAT}\", ... }}), not {}",
                root.value.describe()
            ),
        );
        return None;
    };
    let top = Obj::new(ctx, root, "the pathway file")?;
    top.unknown_keys(ctx, TOP_FIELDS, false);
    if !check_format(ctx, &top, "pathway") {
        return None;
    }
    let publisher = publisher(ctx, &top)?;
    let pid = publisher.id.clone();

    let title = top
        .require(ctx, "title", "\"the pathway's name\"")
        .and_then(|n| nonempty_string(ctx, n, "title", limits::TITLE))
        .unwrap_or_default()
        .to_string();
    let description = top
        .get("description")
        .and_then(|n| string(ctx, n, "description", limits::DESCRIPTION))
        .map(str::to_string);
    let version = top
        .get("version")
        .and_then(|n| string(ctx, n, "version", limits::SHORT))
        .map(str::to_string);
    let published = top.get("published").and_then(|n| date(ctx, n, "published"));

    let mut credentials = Vec::new();
    if let Some(node) = top.require(ctx, "credentials", "[ ... ] (a list of credentials)") {
        if let Some(items) = list(ctx, node, "credentials", limits::CREDENTIALS) {
            credentials.reserve(items.len());
            for item in items {
                let before = ctx.errors;
                let c = credential(ctx, item, &pid);
                if ctx.errors == before {
                    credentials.extend(c);
                } else if let Some(m) = item.get("id") {
                    // Remembered so that references to it can say why it is
                    // missing instead of suggesting another id.
                    if let Some(id) = m
                        .value
                        .as_str()
                        .and_then(|s| CredentialId::parse_in(s, &pid).ok())
                    {
                        let at = ctx.origin(m.value.pos);
                        ctx.dropped.push((id, at));
                    }
                }
            }
        }
    }
    let mut equivalences = Vec::new();
    if let Some(node) = top.get("equivalences") {
        if let Some(items) = list(ctx, node, "equivalences", limits::CREDENTIALS) {
            for item in items {
                let before = ctx.errors;
                let e = equivalence(ctx, item, &pid);
                if ctx.errors == before {
                    equivalences.extend(e);
                }
            }
        }
    }
    let signature = top.get("signature").and_then(|n| signature(ctx, n));

    Some(PathwayDocument {
        file: ctx.file.clone(),
        publisher,
        title,
        description,
        version,
        published,
        credentials,
        equivalences,
        signature,
    })
}

fn publisher(ctx: &mut Ctx, top: &Obj<'_, '_>) -> Option<Publisher> {
    let node = top.require(
        ctx,
        "publisher",
        "{ \"id\": \"your-id\", \"name\": \"Your Institution\" }",
    )?;
    let obj = Obj::new(ctx, node, "\"publisher\"")?;
    obj.unknown_keys(ctx, PUBLISHER_FIELDS, false);
    let id_node = obj.require(ctx, "id", "\"your-id\" (lowercase letters, digits and '-')");
    let name = obj
        .require(ctx, "name", "\"Your Institution\"")
        .and_then(|n| nonempty_string(ctx, n, "name", limits::TITLE));
    let url = obj
        .get("url")
        .and_then(|n| string(ctx, n, "url", limits::URL));
    let id_node = id_node?;
    let raw = string(ctx, id_node, "id", limits::SHORT)?;
    let id = match PublisherId::parse(raw) {
        Ok(id) => id,
        Err(e) => {
            ctx.error("bad-publisher-id", id_node.pos, e.to_string());
            return None;
        }
    };
    Some(Publisher {
        id,
        name: name.unwrap_or_default().to_string(),
        url: url.map(str::to_string),
    })
}

/// A credential id or reference as written in a file of `publisher`.
pub(crate) fn credential_id(
    ctx: &mut Ctx,
    node: &Node<'_>,
    key: &str,
    publisher: &PublisherId,
) -> Option<CredentialId> {
    let s = string(ctx, node, key, limits::SHORT)?;
    // The cache is checked against the text, so a hash collision only costs
    // a parse.
    let h = ctx.text_hash(s);
    if let Some(id) = ctx.ids.get(&h) {
        if id.as_str() == s || (id.local() == s && id.publisher() == publisher.as_str()) {
            return Some(id.clone());
        }
    }
    match CredentialId::parse_in(s, publisher) {
        Ok(id) => {
            ctx.ids.insert(h, id.clone());
            Some(id)
        }
        Err(e) => {
            ctx.error("bad-id", node.pos, e.to_string());
            None
        }
    }
}

fn tag(ctx: &mut Ctx, node: &Node<'_>, key: &str, publisher: &PublisherId) -> Option<Tag> {
    let s = string(ctx, node, key, limits::SHORT)?;
    let h = ctx.text_hash(s);
    if let Some(t) = ctx.tags.get(&h) {
        if t.as_str() == s || t.relative_to(publisher) == s && !s.contains(':') {
            return Some(t.clone());
        }
    }
    match Tag::parse_in(s, publisher) {
        Ok(t) => {
            ctx.tags.insert(h, t.clone());
            Some(t)
        }
        Err(_) => {
            ctx.error(
                "bad-tag",
                node.pos,
                format!("tag \"{s}\" is not valid; write 1 to 128 letters, digits, '.', '_' or '-', optionally prefixed by a publisher id and ':'"),
            );
            None
        }
    }
}

fn credential(ctx: &mut Ctx, node: &Node<'_>, pid: &PublisherId) -> Option<Credential> {
    let obj = Obj::credential(ctx, node)?;
    let [f_id, f_title, f_kind, f_description, f_url, f_tags, f_level, f_credits, f_cost, f_effort, f_duration, f_starts, f_valid, f_skills, f_requires, f_recommended, f_earnable] =
        obj.slots(ctx, CREDENTIAL_FIELDS, credential_field, false);

    let id_node = obj.require_slot(ctx, f_id, "id", "\"a-short-id\"");
    // Definitions are unique, so they bypass the cache of references.
    let id = id_node.and_then(|n| {
        let s = string(ctx, n, "id", limits::SHORT)?;
        CredentialId::parse_in(s, pid)
            .map_err(|e| ctx.error("bad-id", n.pos, e.to_string()))
            .ok()
    });
    let title = obj
        .require_slot(ctx, f_title, "title", "\"the credential's name\"")
        .and_then(|n| nonempty_string(ctx, n, "title", limits::TITLE));
    let kind = obj
        .require_slot(ctx, f_kind, "kind", "\"course\"")
        .and_then(|n| kind(ctx, n));

    // The other fields are read even when id, title or kind is unusable, so
    // that every problem in the credential is reported at once.
    let placeholder = CredentialId::parse_in("placeholder", pid).ok()?;
    let complete = id.is_some() && title.is_some() && kind.is_some();
    let mut c = Credential::new(
        id.unwrap_or(placeholder),
        title.unwrap_or_default(),
        kind.unwrap_or(Kind::Course),
        ctx.origin(id_node.map(|n| n.pos).unwrap_or(obj.pos)),
    );
    if let Some(n) = f_description {
        c.description = string(ctx, n, "description", limits::DESCRIPTION).map(str::to_string);
    }
    if let Some(n) = f_url {
        c.url = string(ctx, n, "url", limits::URL).map(str::to_string);
    }
    if let Some(n) = f_tags {
        for t in list(ctx, n, "tags", limits::TAGS).unwrap_or_default() {
            c.tags.extend(tag(ctx, t, "tags", pid));
        }
        c.tags.sort();
        c.tags.dedup();
    }
    if let Some(n) = f_level {
        c.level = level(ctx, n);
    }
    if let Some(n) = f_credits {
        c.credits = credits(ctx, n);
    }
    if let Some(n) = f_cost {
        c.cost = money(ctx, n, "cost");
    }
    if let Some(n) = f_effort {
        c.effort_hours = non_negative(ctx, n, "effort_hours").unwrap_or_default();
    }
    if let Some(n) = f_duration {
        c.duration_weeks = non_negative(ctx, n, "duration_weeks");
    }
    if let Some(n) = f_starts {
        c.starts = starts(ctx, n).unwrap_or_default();
    }
    if let Some(n) = f_valid {
        c.valid_for_months = integer(ctx, n, "valid_for_months", 1, 12_000).map(|m| m as u32);
    }
    if let Some(n) = f_skills {
        for s in list(ctx, n, "skills", limits::TAGS).unwrap_or_default() {
            if let Some(s) = nonempty_string(ctx, s, "skills", limits::SHORT) {
                c.skills.push(s.to_string());
            }
        }
    }
    if let Some(n) = f_requires {
        c.requires = requirement(ctx, n, pid, 1);
    }
    if let Some(n) = f_recommended {
        c.recommended = requirement(ctx, n, pid, 1);
    }
    if let Some(n) = f_earnable {
        c.earnable = boolean(ctx, n, "earnable").unwrap_or(true);
    }
    complete.then_some(c)
}

fn kind(ctx: &mut Ctx, node: &Node<'_>) -> Option<Kind> {
    let s = string(ctx, node, "kind", limits::SHORT)?;
    if let Some(k) = Kind::parse(s) {
        return Some(k);
    }
    let names: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    let hint = did_you_mean(s, &names)
        .map(|n| format!("; did you mean \"{n}\"?"))
        .unwrap_or_default();
    ctx.error(
        "unknown-kind",
        node.pos,
        format!(
            "unknown kind \"{s}\"; expected one of {}{hint}",
            names.join(", ")
        ),
    );
    None
}

fn level(ctx: &mut Ctx, node: &Node<'_>) -> Option<Level> {
    let obj = Obj::new(ctx, node, "\"level\"")?;
    obj.unknown_keys(ctx, &["framework", "value"], false);
    let framework = obj
        .require(ctx, "framework", "\"EQF\"")
        .and_then(|n| nonempty_string(ctx, n, "framework", limits::SHORT));
    let value = obj.require(ctx, "value", "6").and_then(|n| match &n.value {
        Value::Number(raw) => Some(raw.to_string()),
        Value::String(s) if !s.trim().is_empty() && s.len() <= limits::SHORT => Some(s.to_string()),
        other => {
            ctx.error(
                "wrong-type",
                n.pos,
                format!(
                    "\"value\" of a level must be a number or a short text, e.g. 6 or \"Level 4\", not {}",
                    other.describe()
                ),
            );
            None
        }
    });
    Some(Level {
        framework: framework?.to_string(),
        value: value?,
    })
}

fn credits(ctx: &mut Ctx, node: &Node<'_>) -> Vec<Credits> {
    let one = |ctx: &mut Ctx, n: &Node<'_>| -> Option<Credits> {
        let obj = Obj::new(ctx, n, "\"credits\"")?;
        obj.unknown_keys(ctx, &["value", "unit"], false);
        let value = obj
            .require(ctx, "value", "5")
            .and_then(|v| non_negative(ctx, v, "value"));
        let unit = obj
            .require(ctx, "unit", "\"ECTS\"")
            .and_then(|v| nonempty_string(ctx, v, "unit", limits::SHORT));
        Some(Credits {
            value: value?,
            unit: unit?.to_string(),
        })
    };
    match &node.value {
        Value::Array(items) => {
            if items.len() > limits::SMALL_LIST {
                ctx.error(
                    "too-many",
                    node.pos,
                    format!(
                        "\"credits\" has {} entries; the limit is {}",
                        items.len(),
                        limits::SMALL_LIST
                    ),
                );
                return Vec::new();
            }
            items.iter().filter_map(|n| one(ctx, n)).collect()
        }
        Value::Object(_) => one(ctx, node).into_iter().collect(),
        other => {
            ctx.error(
                "wrong-type",
                node.pos,
                format!(
                    "\"credits\" must be an object like {{ \"value\": 5, \"unit\": \"ECTS\" }} or a list of them, not {}",
                    other.describe()
                ),
            );
            Vec::new()
        }
    }
}

fn starts(ctx: &mut Ctx, node: &Node<'_>) -> Option<Starts> {
    const HOW: &str =
        "write \"anytime\", { \"months\": [1, 9] } or { \"dates\": [\"2027-01-11\"] }";
    match &node.value {
        Value::String(s) if *s == "anytime" => return Some(Starts::Anytime),
        Value::Object(_) => {}
        Value::String(s) => {
            ctx.error(
                "bad-starts",
                node.pos,
                format!("\"starts\" is \"{s}\"; {HOW}"),
            );
            return None;
        }
        other => {
            ctx.error(
                "bad-starts",
                node.pos,
                format!("\"starts\" must not be {}; {HOW}", other.describe()),
            );
            return None;
        }
    }
    let obj = Obj::new(ctx, node, "\"starts\"")?;
    // A typo here would change when an item can begin, so it is an error.
    let ([months, dates], has_unknown) = obj.slots_and_unknown(
        ctx,
        &["months", "dates"],
        |k| match k {
            "months" => Some(0),
            "dates" => Some(1),
            _ => None,
        },
        true,
    );
    match (months, dates) {
        (None, None) if has_unknown => None,
        (Some(_), Some(_)) | (None, None) => {
            ctx.error(
                "bad-starts",
                node.pos,
                format!("\"starts\" must have exactly one of \"months\" and \"dates\"; {HOW}"),
            );
            None
        }
        (Some(months), None) => {
            let items = list(ctx, months, "months", limits::SMALL_LIST)?;
            if items.is_empty() {
                ctx.error(
                    "empty-list",
                    months.pos,
                    "\"months\" is empty, so the item could never start; list at least one month (1 to 12), or write \"starts\": \"anytime\"",
                );
                return None;
            }
            let mut out: Vec<u32> = Vec::new();
            for m in items {
                if let Some(v) = integer(ctx, m, "months", 1, 12) {
                    out.push(v as u32);
                }
            }
            out.sort_unstable();
            out.dedup();
            Some(Starts::Months(out))
        }
        (None, Some(dates)) => {
            let items = list(ctx, dates, "dates", limits::LIST)?;
            if items.is_empty() {
                ctx.error(
                    "empty-list",
                    dates.pos,
                    "\"dates\" is empty, so the item could never start; list at least one date, or write \"starts\": \"anytime\"",
                );
                return None;
            }
            let mut out = Vec::new();
            for d in items {
                out.extend(date(ctx, d, "dates"));
            }
            out.sort_unstable();
            out.dedup();
            Some(Starts::Dates(out))
        }
    }
}

/// A requirement expression at nesting level `depth` (the top is 1).
pub(crate) fn requirement<'n, 'a>(
    ctx: &mut Ctx,
    node: &'n Node<'a>,
    pid: &PublisherId,
    depth: usize,
) -> Option<Requirement> {
    if depth > limits::REQUIREMENT_DEPTH {
        ctx.error(
            "too-deep",
            node.pos,
            format!(
                "requirements are nested more than {} levels deep here; flatten them (an \"all\" inside an \"all\" can be merged into it)",
                limits::REQUIREMENT_DEPTH
            ),
        );
        return None;
    }
    let origin = ctx.origin(node.pos);
    match &node.value {
        Value::String(_) => {
            let id = credential_id(ctx, node, "requirement", pid)?;
            return Some(Requirement::credential(id, origin));
        }
        Value::Object(_) => {}
        Value::Array(_) => {
            ctx.error(
                "wrong-type",
                node.pos,
                "a requirement must be a credential id or an object, not a bare list; wrap the list as { \"all\": [...] } or { \"any\": [...] }",
            );
            return None;
        }
        other => {
            ctx.error(
                "wrong-type",
                node.pos,
                format!(
                    "a requirement must be a credential id in double quotes or an object like {{ \"all\": [...] }}, not {}",
                    other.describe()
                ),
            );
            return None;
        }
    }
    let obj = Obj::new(ctx, node, "requirement")?;
    let (slots, has_unknown) = obj.slots_and_unknown(ctx, REQUIREMENT_KEYS, requirement_key, true);
    let [f_all, f_any, f_at_least, f_of, f_credits, f_unit, f_from, f_from_tags, f_label, f_shared] =
        slots;
    let mut forms: Vec<&str> = Vec::with_capacity(1);
    for (k, f) in [
        ("all", f_all),
        ("any", f_any),
        ("at_least", f_at_least),
        ("credits", f_credits),
    ] {
        if f.is_some() {
            forms.push(k);
        }
    }
    let label = f_label
        .and_then(|n| nonempty_string(ctx, n, "label", limits::TITLE))
        .map(str::to_string);
    let shared = f_shared
        .and_then(|n| boolean(ctx, n, "shared"))
        .unwrap_or(false);
    let form = match forms.as_slice() {
        [one] => *one,
        [] if has_unknown => return None,
        [] => {
            let hint = if f_of.is_some() {
                "\"of\" needs \"at_least\": k beside it"
            } else {
                "write one of { \"all\": [...] }, { \"any\": [...] }, { \"at_least\": k, \"of\": [...] } or { \"credits\": n, \"unit\": \"ECTS\", \"from\": [...] }"
            };
            ctx.error(
                "bad-requirement",
                node.pos,
                format!("this requirement says neither all, any, at_least nor credits; {hint}"),
            );
            return None;
        }
        [a, b, ..] => {
            ctx.error(
                "bad-requirement",
                node.pos,
                format!("this requirement has both \"{a}\" and \"{b}\"; use one per object and nest them, e.g. {{ \"all\": [{{ \"any\": [...] }}, ...] }}"),
            );
            return None;
        }
    };
    let allowed: &[&str] = match form {
        "all" | "any" => &[],
        "at_least" => &["of"],
        _ => &["unit", "from", "from_tags"],
    };
    for (key, present) in [
        ("of", f_of),
        ("unit", f_unit),
        ("from", f_from),
        ("from_tags", f_from_tags),
    ] {
        if present.is_some() && !allowed.contains(&key) {
            if let Some(m) = obj.members.iter().find(|m| m.key == key) {
                let belongs = if key == "of" {
                    "\"at_least\""
                } else {
                    "a credit pool (\"credits\")"
                };
                ctx.error(
                    "misplaced-key",
                    m.key_pos,
                    format!("\"{key}\" belongs with {belongs}, not in an \"{form}\" requirement; remove it or move it"),
                );
            }
        }
    }
    let children = |ctx: &mut Ctx, key: &str, n: &Node<'_>| -> Option<Vec<Requirement>> {
        let items = list(ctx, n, key, limits::LIST)?;
        if items.is_empty() {
            ctx.error(
                "empty-list",
                n.pos,
                format!("\"{key}\" is an empty list; list at least one requirement, or remove this requirement"),
            );
            return None;
        }
        let before = ctx.errors;
        let out: Vec<Requirement> = items
            .iter()
            .filter_map(|c| requirement(ctx, c, pid, depth + 1))
            .collect();
        (ctx.errors == before).then_some(out)
    };
    let kind = match form {
        "all" => RequirementKind::All(children(ctx, "all", f_all?)?),
        "any" => RequirementKind::Any(children(ctx, "any", f_any?)?),
        "at_least" => {
            let k_node = f_at_least?;
            let k = integer(ctx, k_node, "at_least", i64::MIN, i64::MAX);
            let of = obj
                .require_slot(ctx, f_of, "of", "[ ... ] (the requirements to choose from)")
                .and_then(|n| children(ctx, "of", n))?;
            let k = k?;
            if k < 1 {
                ctx.error(
                    "at-least-out-of-range",
                    k_node.pos,
                    format!("at_least is {k}, but it must be at least 1; write 1 or more, or remove the requirement"),
                );
                return None;
            }
            if k as usize > of.len() {
                ctx.error(
                    "at-least-out-of-range",
                    k_node.pos,
                    format!(
                        "at_least is {k} but the list has {} entries; lower it to {} at most, or add entries",
                        of.len(),
                        of.len()
                    ),
                );
                return None;
            }
            RequirementKind::AtLeast { k: k as u32, of }
        }
        _ => {
            let n_node = f_credits?;
            let credits = number(ctx, n_node, "credits");
            let unit = obj
                .require_slot(ctx, f_unit, "unit", "\"ECTS\"")
                .and_then(|n| nonempty_string(ctx, n, "unit", limits::SHORT));
            let mut from = Vec::new();
            let mut from_tags = Vec::new();
            let pool =
                |ctx: &mut Ctx, key: &str, n: Option<&'n Node<'a>>| -> Option<&'n Node<'a>> {
                    let n = n?;
                    let items = list(ctx, n, key, limits::LIST)?;
                    if items.is_empty() {
                        ctx.error(
                            "empty-list",
                            n.pos,
                            format!(
                                "\"{key}\" is an empty list; list at least one entry, or remove it"
                            ),
                        );
                        return None;
                    }
                    Some(n)
                };
            if let Some(items) = pool(ctx, "from", f_from).and_then(Node::as_array) {
                for i in items {
                    from.extend(credential_id(ctx, i, "from", pid));
                }
            }
            if let Some(items) = pool(ctx, "from_tags", f_from_tags).and_then(Node::as_array) {
                for i in items {
                    from_tags.extend(tag(ctx, i, "from_tags", pid));
                }
            }
            if f_from.is_none() && f_from_tags.is_none() {
                ctx.error(
                    "empty-pool",
                    node.pos,
                    "this credit pool has neither \"from\" nor \"from_tags\", so nothing can count toward it; add \"from\": [ids] or \"from_tags\": [tags]",
                );
                return None;
            }
            let credits = credits?;
            if credits <= 0.0 {
                ctx.error(
                    "credits-not-positive",
                    n_node.pos,
                    format!("\"credits\" is {credits}, but a credit pool must ask for more than 0; write a positive number, or remove the pool"),
                );
                return None;
            }
            RequirementKind::Credits {
                credits,
                unit: unit?.to_string(),
                from,
                from_tags,
            }
        }
    };
    Some(Requirement {
        kind,
        label,
        shared,
        origin,
    })
}

fn equivalence(ctx: &mut Ctx, node: &Node<'_>, pid: &PublisherId) -> Option<Equivalence> {
    let obj = Obj::new(ctx, node, "equivalence")?;
    obj.unknown_keys(ctx, EQUIVALENCE_FIELDS, false);
    let grants_node = obj.require(ctx, "grants", "\"the-credential-it-grants\"");
    let grants = grants_node.and_then(|n| credential_id(ctx, n, "grants", pid));
    let when = obj
        .require(ctx, "when", "\"other:credential\" or a requirement")
        .and_then(|n| requirement(ctx, n, pid, 1));
    let note = obj
        .get("note")
        .and_then(|n| string(ctx, n, "note", limits::NOTE))
        .map(str::to_string);
    Some(Equivalence {
        grants: grants?,
        when: when?,
        note,
        origin: ctx.origin(grants_node.map(|n| n.pos).unwrap_or(obj.pos)),
    })
}

fn signature(ctx: &mut Ctx, node: &Node<'_>) -> Option<Signature> {
    let obj = Obj::new(ctx, node, "\"signature\"")?;
    obj.unknown_keys(ctx, SIGNATURE_FIELDS, false);
    let alg = obj
        .require(ctx, "alg", "\"ed25519\"")
        .and_then(|n| string(ctx, n, "alg", limits::SHORT));
    let public_key = obj
        .require(ctx, "public_key", "\"<base64url, 32 bytes>\"")
        .and_then(|n| string(ctx, n, "public_key", limits::SHORT));
    let value = obj
        .require(ctx, "value", "\"<base64url, 64 bytes>\"")
        .and_then(|n| string(ctx, n, "value", limits::SHORT));
    Some(Signature {
        alg: alg?.to_string(),
        public_key: public_key?.to_string(),
        value: value?.to_string(),
    })
}
