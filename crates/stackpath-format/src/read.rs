//! Shared helpers for turning the positioned JSON tree into model values:
//! typed field access that reports wrong types, missing fields and unknown
//! fields with did-you-mean suggestions, and the string, number and date
//! rules both file formats use.

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};
use std::sync::Arc;

use stackpath_model::{Date, Diagnostic, Money, Origin};

use crate::json::{Member, Node, Pos, Value};
use crate::limits;

/// Where diagnostics for one file are collected.
#[derive(Debug)]
pub(crate) struct Ctx {
    pub file: Arc<str>,
    pub diags: Vec<Diagnostic>,
    pub errors: usize,
    /// Credentials left out because of errors in them, and where.
    pub dropped: Vec<(stackpath_model::CredentialId, Origin)>,
    /// Ids and tags already read in this file, by a hash of their text as
    /// written: a catalog mentions the same ones over and over, and sharing
    /// them saves an allocation each time (see `pathway::credential_id`).
    pub ids: HashMap<u64, stackpath_model::CredentialId, BuildHasherDefault<Prehashed>>,
    pub tags: HashMap<u64, stackpath_model::Tag, BuildHasherDefault<Prehashed>>,
    /// Keyed randomly per process, so that no file can be written to make
    /// the caches' hashes collide.
    hasher: RandomState,
}

impl Ctx {
    /// The key of a string in the id caches.
    pub fn text_hash(&self, s: &str) -> u64 {
        self.hasher.hash_one(s)
    }
}

/// The caches' keys are already hashes: use them as they are.
#[derive(Debug, Default)]
pub(crate) struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

impl Ctx {
    pub fn new(file: &str) -> Self {
        Ctx {
            file: Arc::from(file),
            diags: Vec::new(),
            errors: 0,
            dropped: Vec::new(),
            ids: HashMap::default(),
            tags: HashMap::default(),
            hasher: RandomState::new(),
        }
    }

    pub fn origin(&self, pos: Pos) -> Origin {
        Origin::new(self.file.clone(), pos.line, pos.column)
    }

    pub fn error(&mut self, code: &'static str, pos: Pos, message: impl Into<String>) {
        self.errors += 1;
        let at = self.origin(pos);
        self.diags.push(Diagnostic::error(code, at, message));
    }

    pub fn warning(&mut self, code: &'static str, pos: Pos, message: impl Into<String>) {
        let at = self.origin(pos);
        self.diags.push(Diagnostic::warning(code, at, message));
    }
}

/// A JSON object being read: its members, where it starts, and what to call
/// it in messages ("the publisher", or a credential by its id). The name is
/// only formatted when a message needs it: objects are read by the million.
pub(crate) struct Obj<'n, 'a> {
    pub members: &'n [Member<'a>],
    pub pos: Pos,
    what: &'static str,
    credential: Option<&'n str>,
}

impl<'n, 'a> Obj<'n, 'a> {
    /// `node` as an object, or an error saying what was expected.
    pub fn new(ctx: &mut Ctx, node: &'n Node<'a>, what: &'static str) -> Option<Self> {
        match &node.value {
            Value::Object(members) => Some(Obj {
                members,
                pos: node.pos,
                what,
                credential: None,
            }),
            other => {
                ctx.error(
                    "wrong-type",
                    node.pos,
                    format!(
                        "{what} must be an object ({{ ... }}), not {}",
                        other.describe()
                    ),
                );
                None
            }
        }
    }

    /// A credential object, named in messages by its id when it has one.
    pub fn credential(ctx: &mut Ctx, node: &'n Node<'a>) -> Option<Self> {
        let id = node.get("id").and_then(|m| m.value.as_str());
        let mut obj = Obj::new(ctx, node, "this credential")?;
        obj.credential = id;
        Some(obj)
    }

    pub fn what(&self) -> String {
        match self.credential {
            Some(id) => format!("credential \"{id}\""),
            None => self.what.to_string(),
        }
    }

    pub fn get(&self, key: &str) -> Option<&'n Node<'a>> {
        self.members.iter().find(|m| m.key == key).map(|m| &m.value)
    }

    pub fn require(&self, ctx: &mut Ctx, key: &str, example: &str) -> Option<&'n Node<'a>> {
        let found = self.get(key);
        if found.is_none() {
            ctx.error(
                "missing-field",
                self.pos,
                format!("{} has no \"{key}\"; add \"{key}\": {example}", self.what()),
            );
        }
        found
    }

    /// Every member in one pass: slot `i` holds the value of `known[i]`, if
    /// present; members not in `known` are reported as [`Obj::unknown_keys`]
    /// does. `index` maps a key to its slot (a `match`, much faster than
    /// comparing against every name, which matters at 100,000 credentials).
    pub fn slots<const N: usize>(
        &self,
        ctx: &mut Ctx,
        known: &[&str; N],
        index: fn(&str) -> Option<usize>,
        as_error: bool,
    ) -> [Option<&'n Node<'a>>; N] {
        self.slots_and_unknown(ctx, known, index, as_error).0
    }

    /// [`Obj::slots`], and whether any member was unknown (so that an
    /// error it explains is not reported twice).
    pub fn slots_and_unknown<const N: usize>(
        &self,
        ctx: &mut Ctx,
        known: &[&str; N],
        index: fn(&str) -> Option<usize>,
        as_error: bool,
    ) -> ([Option<&'n Node<'a>>; N], bool) {
        let mut out = [None; N];
        let mut unknown = false;
        for m in self.members {
            match index(m.key) {
                Some(i) if i < N => out[i] = Some(&m.value),
                _ => unknown = true,
            }
        }
        if unknown {
            self.unknown_keys(ctx, known, as_error);
        }
        (out, unknown)
    }

    /// A required member already looked up by [`Obj::slots`].
    pub fn require_slot(
        &self,
        ctx: &mut Ctx,
        slot: Option<&'n Node<'a>>,
        key: &str,
        example: &str,
    ) -> Option<&'n Node<'a>> {
        if slot.is_none() {
            self.missing(ctx, key, example);
        }
        slot
    }

    fn missing(&self, ctx: &mut Ctx, key: &str, example: &str) {
        ctx.error(
            "missing-field",
            self.pos,
            format!("{} has no \"{key}\"; add \"{key}\": {example}", self.what()),
        );
    }

    /// Reports members not in `known`: warnings for forward compatibility,
    /// or errors where a typo would change meaning.
    pub fn unknown_keys(&self, ctx: &mut Ctx, known: &[&str], as_error: bool) {
        for m in self.members {
            if known.contains(&m.key) {
                continue;
            }
            let hint = match did_you_mean(m.key, known) {
                Some(near) => format!("did you mean \"{near}\"?"),
                None => format!("expected one of {}", known.join(", ")),
            };
            if as_error {
                ctx.error(
                    "unknown-key",
                    m.key_pos,
                    format!("unknown key \"{}\" in {}; {hint}", m.key, self.what()),
                );
            } else {
                ctx.warning(
                    "unknown-field",
                    m.key_pos,
                    format!(
                        "unknown field \"{}\" in {}, ignored; {hint}",
                        m.key,
                        self.what()
                    ),
                );
            }
        }
    }
}

/// The candidate closest to `word` by edit distance, if close enough to be a
/// typo of it.
pub(crate) fn did_you_mean<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let limit = 2.max(word.chars().count() / 3);
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

fn wrong_type(ctx: &mut Ctx, node: &Node<'_>, key: &str, expected: &str) {
    ctx.error(
        "wrong-type",
        node.pos,
        format!(
            "\"{key}\" must be {expected}, not {}",
            node.value.describe()
        ),
    );
}

/// A string no longer than `max` characters.
pub(crate) fn string<'n>(
    ctx: &mut Ctx,
    node: &'n Node<'_>,
    key: &str,
    max: usize,
) -> Option<&'n str> {
    let Some(s) = node.as_str() else {
        wrong_type(ctx, node, key, "a string in double quotes");
        return None;
    };
    if s.len() > max {
        let n = s.chars().count();
        if n > max {
            ctx.error(
                "too-long",
                node.pos,
                format!("\"{key}\" is {n} characters long; the limit is {max}, shorten it"),
            );
            return None;
        }
    }
    Some(s)
}

/// A non-empty string (after trimming) no longer than `max`.
pub(crate) fn nonempty_string<'n>(
    ctx: &mut Ctx,
    node: &'n Node<'_>,
    key: &str,
    max: usize,
) -> Option<&'n str> {
    let s = string(ctx, node, key, max)?;
    if s.trim().is_empty() {
        ctx.error(
            "empty-string",
            node.pos,
            format!("\"{key}\" is empty; write some text or leave the field out"),
        );
        return None;
    }
    Some(s)
}

pub(crate) fn boolean(ctx: &mut Ctx, node: &Node<'_>, key: &str) -> Option<bool> {
    match node.value {
        Value::Bool(b) => Some(b),
        _ => {
            wrong_type(ctx, node, key, "true or false (without quotes)");
            None
        }
    }
}

/// A finite number.
pub(crate) fn number(ctx: &mut Ctx, node: &Node<'_>, key: &str) -> Option<f64> {
    let Value::Number(raw) = node.value else {
        wrong_type(ctx, node, key, "a number without quotes, e.g. 40");
        return None;
    };
    // Most numbers in a catalog are small whole numbers: read those
    // directly (exactly, as they have at most 15 digits).
    if raw.len() <= 15 && raw.bytes().all(|b| b.is_ascii_digit()) {
        return Some(
            raw.bytes()
                .fold(0u64, |acc, b| acc * 10 + u64::from(b - b'0')) as f64,
        );
    }
    match raw.parse::<f64>() {
        Ok(x) if x.is_finite() => Some(x),
        _ => {
            ctx.error(
                "out-of-range",
                node.pos,
                format!("\"{key}\" is {raw}, too large to use; write a smaller number"),
            );
            None
        }
    }
}

/// A finite number no smaller than 0.
pub(crate) fn non_negative(ctx: &mut Ctx, node: &Node<'_>, key: &str) -> Option<f64> {
    let x = number(ctx, node, key)?;
    if x < 0.0 {
        ctx.error(
            "out-of-range",
            node.pos,
            format!(
                "\"{key}\" is {}, but it cannot be negative; write 0 or more",
                raw(node)
            ),
        );
        return None;
    }
    Some(x)
}

/// A whole number in `min..=max`.
pub(crate) fn integer(
    ctx: &mut Ctx,
    node: &Node<'_>,
    key: &str,
    min: i64,
    max: i64,
) -> Option<i64> {
    let x = number(ctx, node, key)?;
    if x.fract() != 0.0 {
        ctx.error(
            "not-an-integer",
            node.pos,
            format!(
                "\"{key}\" is {}, but it must be a whole number; write e.g. {}",
                raw(node),
                x.round()
            ),
        );
        return None;
    }
    if x < min as f64 || x > max as f64 {
        ctx.error(
            "out-of-range",
            node.pos,
            format!(
                "\"{key}\" is {}, but it must be between {min} and {max}",
                raw(node)
            ),
        );
        return None;
    }
    Some(x as i64)
}

fn raw<'a>(node: &Node<'a>) -> &'a str {
    match node.value {
        Value::Number(r) => r,
        _ => "?",
    }
}

/// A list, no longer than `max` entries.
pub(crate) fn list<'n, 'a>(
    ctx: &mut Ctx,
    node: &'n Node<'a>,
    key: &str,
    max: usize,
) -> Option<&'n [Node<'a>]> {
    let Some(items) = node.as_array() else {
        wrong_type(ctx, node, key, "a list ([ ... ])");
        return None;
    };
    if items.len() > max {
        ctx.error(
            "too-many",
            node.pos,
            format!(
                "\"{key}\" has {} entries; the limit is {max}, split the file or shorten the list",
                items.len()
            ),
        );
        return None;
    }
    Some(items)
}

/// A calendar date written `YYYY-MM-DD`.
pub(crate) fn date(ctx: &mut Ctx, node: &Node<'_>, key: &str) -> Option<Date> {
    let s = string(ctx, node, key, 100)?;
    match parse_date(s) {
        Some(d) => Some(d),
        None => {
            ctx.error(
                "bad-date",
                node.pos,
                format!("\"{s}\" is not a calendar date; write dates as YYYY-MM-DD, e.g. \"2027-01-11\""),
            );
            None
        }
    }
}

/// Strict `YYYY-MM-DD`, a real calendar day.
pub(crate) fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let y = digits(0..4)?;
    let m = digits(5..7)?;
    let d = digits(8..10)?;
    Date::from_ymd_opt(y as i32, m, d)
}

/// `{ "amount": 300, "currency": "USD" }`.
pub(crate) fn money(ctx: &mut Ctx, node: &Node<'_>, key: &str) -> Option<Money> {
    let what = if key == "budget" {
        "\"budget\""
    } else {
        "\"cost\""
    };
    let obj = Obj::new(ctx, node, what)?;
    obj.unknown_keys(ctx, &["amount", "currency"], false);
    let amount = obj.require(ctx, "amount", "300");
    let currency = obj.require(ctx, "currency", "\"USD\"");
    let amount = amount.and_then(|n| non_negative(ctx, n, "amount"));
    let currency = currency.and_then(|n| {
        let s = string(ctx, n, "currency", limits::SHORT)?;
        if s.len() == 3 && s.bytes().all(|c| c.is_ascii_uppercase()) {
            Some(s)
        } else {
            ctx.error(
                "bad-currency",
                n.pos,
                format!("currency \"{s}\" is not an ISO 4217 code; write three capital letters, e.g. \"USD\" or \"EUR\""),
            );
            None
        }
    });
    Some(Money {
        amount: amount?,
        currency: currency?.to_string(),
    })
}
