//! Converts the UC San Diego course catalog of the `ucsd-course-grapher`
//! project (`ucsd_courses.json`: 7,375 courses with AND/OR/two-of
//! prerequisite trees) into one Stackpath pathway file of publisher `ucsd`,
//! and adds program-like degree targets to plan toward.
//!
//! The conversion runs at benchmark time into an output folder; the converted
//! data is never committed (the source's licence does not allow copying it
//! into the repository). Every choice below is deterministic, so two runs with
//! the same seed write byte-identical files.
//!
//! - **Ids.** The course code with every run of characters outside
//!   `[A-Za-z0-9._-]` replaced by one `-`: `CSE 100` becomes `ucsd:CSE-100`,
//!   `VIS 129A–F` becomes `ucsd:VIS-129A-F`. Two codes that would become the
//!   same id are an error.
//! - **Units.** UCSD writes units as `"4"`, `"1–4"`, `"2 or 4"`, `"4-4-4"`
//!   (a sequence) or `"?"`. The course carries the *smallest* number in the
//!   string, in the unit `UCSD-QU` (quarter units): a learner can always take
//!   the minimum. A string with no number, or a minimum of 0, gives a course
//!   with no credits.
//! - **Cost.** `units × $350` plus a variation of $0.00 to $99.99 taken from
//!   the FNV-1a hash of the code, in whole cents, in USD. The variation makes
//!   ties between equally sized courses rare, so the optimum is usually a
//!   unique set and a wrong answer cannot hide behind a tie.
//! - **Effort.** `units × 30` hours, self-paced (no `duration_weeks`).
//! - **Prerequisites.** `"all"` becomes `all`, `"one"` becomes `any`, `"two"`
//!   becomes `at_least: 2`. A course the file does not define (212 of them,
//!   mostly retired or graduate courses) is kept as a reference: the planner
//!   treats it as unattainable unless held.
//! - **Counting inside prerequisites.** UCSD lets one course satisfy several
//!   parts of a prerequisite (`BENG 120` counts for both of `BIBC 100`'s
//!   chemistry requirements). Under the pathway format's counting rule that
//!   needs `"shared": true`, so a tree that names one course twice is marked
//!   shared at its root. Trees without repetition are left unmarked: with
//!   distinct id leaves and no credit pools the rule cannot bind.
//! - **Self-references.** A course listed among its own prerequisites (three
//!   in the data, e.g. `DSC 500`) can never count toward itself, so that
//!   branch is dropped; when what remains can never be met, the course is
//!   written `"earnable": false` with no `requires`.
//! - **Co-requisites** (`coreqs`, 28 courses) may be taken in the same term,
//!   which the format cannot say; they are left out.
//!
//! **Program targets.** For each department in [`ProgramSpec::DEFAULT`] a
//! `degree` credential `ucsd:program-<key>` requires, in one `requires` tree,
//! `all` of 8 core courses, `at_least` 4 of 12 electives, and `credits` 16
//! UCSD-QU from a pool of the 12 electives plus up to 12 further courses of
//! the department. Because the tree is not shared, an elective counted toward
//! the 4 cannot count toward the 16 as well: the pool exercises the exact
//! assignment the spec requires. All are upper-division (numbered 100 to 189;
//! 190 to 199 are seminars and independent study), carry credits, and are
//! attainable from no holdings, so every target is reachable. They are chosen
//! by a seeded shuffle of the department's candidates sorted by code.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

/// The publisher namespace of the converted file.
pub const PUBLISHER: &str = "ucsd";
/// The credit unit every course carries: UCSD quarter units.
pub const CREDIT_UNIT: &str = "UCSD-QU";
/// The price of one unit, in cents, before the per-course variation.
pub const CENTS_PER_UNIT: u64 = 35_000;
/// Learner hours per unit.
pub const HOURS_PER_UNIT: f64 = 30.0;
/// The seed the benchmark uses unless told otherwise.
pub const DEFAULT_SEED: u64 = 2026;

/// The file name the converted catalog is written to.
pub const PATHWAY_FILE: &str = "ucsd.pathway.json";
/// The file name the list of program targets is written to.
pub const TARGETS_FILE: &str = "targets.json";

const CORE: usize = 8;
const ELECTIVES: usize = 12;
const ELECTIVES_NEEDED: u32 = 4;
const POOL_OTHERS: usize = 12;
const POOL_CREDITS: f64 = 16.0;

/// Why the UCSD file could not be converted.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    #[error("the UCSD catalog must be a JSON object mapping course codes to courses")]
    NotAnObject,
    #[error("course \"{code}\": {message}")]
    BadCourse { code: String, message: String },
    #[error("\"{first}\" and \"{second}\" would both become the id \"{id}\"")]
    IdCollision {
        first: String,
        second: String,
        id: String,
    },
    #[error(
        "program \"{program}\": only {found} attainable upper-division courses with credits, {needed} needed"
    )]
    TooFewCourses {
        program: String,
        found: usize,
        needed: usize,
    },
    #[error("program \"{program}\": its credit pool cannot reach {POOL_CREDITS} {CREDIT_UNIT}")]
    PoolTooSmall { program: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not JSON: {source}")]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
}

/// A department turned into a program-like target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProgramSpec {
    /// The target is `ucsd:program-<key>`.
    pub key: &'static str,
    pub title: &'static str,
    /// Course code prefixes that belong to the department.
    pub prefixes: &'static [&'static str],
}

impl ProgramSpec {
    /// The departments the benchmark plans for.
    pub const DEFAULT: &'static [ProgramSpec] = &[
        ProgramSpec {
            key: "cse",
            title: "Computer Science and Engineering",
            prefixes: &["CSE"],
        },
        ProgramSpec {
            key: "math",
            title: "Mathematics",
            prefixes: &["MATH"],
        },
        ProgramSpec {
            key: "ece",
            title: "Electrical and Computer Engineering",
            prefixes: &["ECE"],
        },
        ProgramSpec {
            key: "bio",
            title: "Biological Sciences",
            prefixes: &["BILD", "BIMM", "BICD", "BIBC", "BIPN", "BIEB"],
        },
        ProgramSpec {
            key: "phys",
            title: "Physics",
            prefixes: &["PHYS"],
        },
        ProgramSpec {
            key: "chem",
            title: "Chemistry",
            prefixes: &["CHEM"],
        },
        ProgramSpec {
            key: "mae",
            title: "Mechanical and Aerospace Engineering",
            prefixes: &["MAE"],
        },
        ProgramSpec {
            key: "econ",
            title: "Economics",
            prefixes: &["ECON"],
        },
        ProgramSpec {
            key: "cogs",
            title: "Cognitive Science",
            prefixes: &["COGS"],
        },
        ProgramSpec {
            key: "beng",
            title: "Bioengineering",
            prefixes: &["BENG"],
        },
    ];
}

/// What to convert and with which seed.
#[derive(Debug, Clone)]
pub struct ConvertOptions {
    pub seed: u64,
    pub programs: Vec<ProgramSpec>,
}

impl Default for ConvertOptions {
    fn default() -> Self {
        ConvertOptions {
            seed: DEFAULT_SEED,
            programs: ProgramSpec::DEFAULT.to_vec(),
        }
    }
}

/// One program target as written, with the courses chosen for it (full ids).
#[derive(Debug, Clone, PartialEq)]
pub struct ProgramTarget {
    pub id: String,
    pub title: String,
    pub core: Vec<String>,
    pub electives: Vec<String>,
    /// Every id in the credit pool: the electives, then the further courses.
    pub pool: Vec<String>,
}

impl ProgramTarget {
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "title": self.title,
            "core": self.core,
            "electives": self.electives,
            "pool": self.pool,
        })
    }
}

/// Counts that describe a conversion, printed by the converter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConversionStats {
    pub courses: usize,
    pub with_prerequisites: usize,
    /// Distinct referenced codes that the file does not define.
    pub unknown_references: usize,
    pub shared_trees: usize,
    pub self_references_dropped: usize,
    pub not_earnable: usize,
    pub without_credits: usize,
    /// Courses that can be earned starting from no holdings.
    pub attainable: usize,
}

impl fmt::Display for ConversionStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} courses, {} with prerequisites, {} attainable from nothing; {} unknown references kept; \
             {} trees marked shared; {} self-references dropped; {} not earnable; {} without credits",
            self.courses,
            self.with_prerequisites,
            self.attainable,
            self.unknown_references,
            self.shared_trees,
            self.self_references_dropped,
            self.not_earnable,
            self.without_credits
        )
    }
}

/// A converted catalog: the pathway document and its program targets.
#[derive(Debug, Clone)]
pub struct Conversion {
    pub document: Value,
    pub targets: Vec<ProgramTarget>,
    pub stats: ConversionStats,
}

impl Conversion {
    /// Writes `ucsd.pathway.json` and `targets.json` into `dir`, creating it.
    pub fn write_to(&self, dir: &Path) -> Result<(), ConvertError> {
        fs::create_dir_all(dir).map_err(|source| ConvertError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let targets = Value::Array(self.targets.iter().map(ProgramTarget::to_json).collect());
        for (name, value) in [(PATHWAY_FILE, &self.document), (TARGETS_FILE, &targets)] {
            let path = dir.join(name);
            let mut text = serde_json::to_string_pretty(value).expect("JSON values serialize");
            text.push('\n');
            fs::write(&path, text).map_err(|source| ConvertError::Io { path, source })?;
        }
        Ok(())
    }
}

/// Reads `ucsd_courses.json` from `input`, converts it and writes the result
/// into `out_dir`.
pub fn convert_file(
    input: &Path,
    out_dir: &Path,
    options: &ConvertOptions,
) -> Result<Conversion, ConvertError> {
    let text = fs::read_to_string(input).map_err(|source| ConvertError::Io {
        path: input.to_path_buf(),
        source,
    })?;
    let value: Value = serde_json::from_str(&text).map_err(|source| ConvertError::Json {
        path: input.to_path_buf(),
        source,
    })?;
    let conversion = convert(&value, options)?;
    conversion.write_to(out_dir)?;
    Ok(conversion)
}

/// A prerequisite tree as UCSD writes it, with codes as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Prereq {
    Course(String),
    All(Vec<Prereq>),
    Any(Vec<Prereq>),
    AtLeast(u32, Vec<Prereq>),
}

impl Prereq {
    /// Reads `"CSE 12"` or `{"type": "all"|"one"|"two", "courses": [...]}`.
    pub fn parse(value: &Value) -> Result<Prereq, String> {
        match value {
            Value::String(code) => Ok(Prereq::Course(code.clone())),
            Value::Object(map) => {
                if let Some(key) = map.keys().find(|k| *k != "type" && *k != "courses") {
                    return Err(format!("unknown key \"{key}\" in a prerequisite tree"));
                }
                let kind = map
                    .get("type")
                    .and_then(Value::as_str)
                    .ok_or("a prerequisite tree needs a \"type\"")?;
                let courses = map
                    .get("courses")
                    .and_then(Value::as_array)
                    .ok_or("a prerequisite tree needs a \"courses\" list")?;
                if courses.is_empty() {
                    return Err("a prerequisite tree has an empty \"courses\" list".into());
                }
                let children = courses
                    .iter()
                    .map(Prereq::parse)
                    .collect::<Result<_, _>>()?;
                match kind {
                    "all" => Ok(Prereq::All(children)),
                    "one" => Ok(Prereq::Any(children)),
                    "two" if courses.len() >= 2 => Ok(Prereq::AtLeast(2, children)),
                    "two" => Err("\"two\" of fewer than two courses".into()),
                    other => Err(format!("unknown prerequisite type \"{other}\"")),
                }
            }
            other => Err(format!(
                "a prerequisite must be a code or a tree, not {other}"
            )),
        }
    }

    /// Every code the tree names, with repetitions, in order.
    pub fn codes(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_codes(&mut out);
        out
    }

    fn collect_codes<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Prereq::Course(c) => out.push(c),
            Prereq::All(v) | Prereq::Any(v) | Prereq::AtLeast(_, v) => {
                v.iter().for_each(|p| p.collect_codes(out))
            }
        }
    }

    /// The tree without the branches that name `own`: `None` when no way
    /// to meet it remains.
    pub fn without(&self, own: &str) -> Option<Prereq> {
        match self {
            Prereq::Course(c) if c == own => None,
            Prereq::Course(c) => Some(Prereq::Course(c.clone())),
            Prereq::All(v) => v
                .iter()
                .map(|p| p.without(own))
                .collect::<Option<Vec<_>>>()
                .map(Prereq::All),
            Prereq::Any(v) => {
                let kept: Vec<_> = v.iter().filter_map(|p| p.without(own)).collect();
                (!kept.is_empty()).then_some(Prereq::Any(kept))
            }
            Prereq::AtLeast(k, v) => {
                let kept: Vec<_> = v.iter().filter_map(|p| p.without(own)).collect();
                (kept.len() >= *k as usize).then_some(Prereq::AtLeast(*k, kept))
            }
        }
    }

    /// Whether the tree is met when exactly the courses in `held` are held
    /// (no counting rule: UCSD's prerequisites share freely).
    pub fn met_by(&self, held: &dyn Fn(&str) -> bool) -> bool {
        match self {
            Prereq::Course(c) => held(c),
            Prereq::All(v) => v.iter().all(|p| p.met_by(held)),
            Prereq::Any(v) => v.iter().any(|p| p.met_by(held)),
            Prereq::AtLeast(k, v) => v.iter().filter(|p| p.met_by(held)).count() >= *k as usize,
        }
    }

    /// The pathway requirement expression, ids relative to `ucsd`.
    pub fn to_requirement(&self) -> Value {
        match self {
            Prereq::Course(c) => Value::String(local_id(c)),
            Prereq::All(v) => {
                json!({ "all": v.iter().map(Prereq::to_requirement).collect::<Vec<_>>() })
            }
            Prereq::Any(v) => {
                json!({ "any": v.iter().map(Prereq::to_requirement).collect::<Vec<_>>() })
            }
            Prereq::AtLeast(k, v) => json!({
                "at_least": k,
                "of": v.iter().map(Prereq::to_requirement).collect::<Vec<_>>(),
            }),
        }
    }
}

/// How a course's prerequisites are written in the pathway file.
#[derive(Debug, Clone, PartialEq)]
pub enum ConvertedPrereqs {
    None,
    /// A requirement expression (already marked shared where needed).
    Requires(Value),
    /// Only met through the course itself: written `earnable: false`.
    NeverMet,
}

/// Converts one course's `prereqs` value; `own` is the course's code.
pub fn convert_prereqs(own: &str, prereqs: Option<&Value>) -> Result<ConvertedPrereqs, String> {
    match prereqs.filter(|v| !v.is_null()) {
        None => Ok(ConvertedPrereqs::None),
        Some(value) => Ok(converted(Prereq::parse(value)?.without(own).as_ref())),
    }
}

/// The written form of a tree from which self-references are gone (`None`:
/// nothing remained).
fn converted(tree: Option<&Prereq>) -> ConvertedPrereqs {
    let Some(tree) = tree else {
        return ConvertedPrereqs::NeverMet;
    };
    let mut requirement = tree.to_requirement();
    let codes = tree.codes();
    let distinct: BTreeSet<&str> = codes.iter().copied().collect();
    if distinct.len() < codes.len() {
        if let Value::Object(map) = &mut requirement {
            map.insert("shared".into(), Value::Bool(true));
        }
    }
    ConvertedPrereqs::Requires(requirement)
}

/// The local part of a course's id: runs of characters outside
/// `[A-Za-z0-9._-]` become one `-`, trimmed at both ends.
pub fn local_id(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut pending_dash = false;
    for ch in code.chars() {
        if ch.is_ascii_alphanumeric() || matches!(ch, '.' | '_' | '-') {
            if pending_dash && !out.is_empty() && !out.ends_with('-') && ch != '-' {
                out.push('-');
            }
            pending_dash = false;
            out.push(ch);
        } else {
            pending_dash = true;
        }
    }
    out.trim_matches('-').to_string()
}

/// The fully qualified id of a course: `ucsd:CSE-100`.
pub fn course_id(code: &str) -> String {
    format!("{PUBLISHER}:{}", local_id(code))
}

/// The smallest number in a units string: `"1–4"` → 1, `"2 or 4"` → 2,
/// `"4-4-4"` → 4, `"2.5"` → 2.5, `"?"` → `None`.
pub fn parse_units(units: &str) -> Option<f64> {
    let mut best: Option<f64> = None;
    let bytes = units.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i + 1 < bytes.len() && bytes[i] == b'.' && bytes[i + 1].is_ascii_digit() {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
            }
            let n: f64 = units[start..i].parse().expect("digits parse");
            best = Some(best.map_or(n, |b: f64| b.min(n)));
        } else {
            i += 1;
        }
    }
    best
}

/// 64-bit FNV-1a: a stable hash, independent of Rust's versions.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// A course's synthetic price in cents: `units × $350` plus $0.00 to $99.99
/// from the hash of its code.
pub fn cost_cents(code: &str, units: f64) -> u64 {
    let base = (units * CENTS_PER_UNIT as f64).round() as u64;
    base + fnv1a(code.as_bytes()) % 10_000
}

/// SplitMix64: a tiny seeded generator whose sequence never changes.
#[derive(Debug, Clone)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// A course as read from the UCSD file.
struct Course<'a> {
    code: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    units: Option<f64>,
    prereqs: ConvertedPrereqs,
    tree: Option<Prereq>,
}

/// The department prefix and number of a code: `"CSE 100A"` → `("CSE", 100)`.
fn prefix_and_number(code: &str) -> Option<(&str, u32)> {
    let (prefix, rest) = code.split_once(' ')?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((prefix, digits.parse().ok()?))
}

/// Converts the parsed UCSD catalog.
pub fn convert(ucsd: &Value, options: &ConvertOptions) -> Result<Conversion, ConvertError> {
    let map = ucsd.as_object().ok_or(ConvertError::NotAnObject)?;
    let mut stats = ConversionStats::default();
    let mut courses: Vec<Course> = Vec::with_capacity(map.len());
    for (code, entry) in map {
        let bad = |message: String| ConvertError::BadCourse {
            code: code.clone(),
            message,
        };
        let obj = entry
            .as_object()
            .ok_or_else(|| bad("must be an object".into()))?;
        let title = obj
            .get("title")
            .and_then(Value::as_str)
            .filter(|t| !t.trim().is_empty())
            .unwrap_or(code);
        let units = obj
            .get("units")
            .and_then(Value::as_str)
            .and_then(parse_units);
        let (prereqs, tree) = match obj.get("prereqs").filter(|v| !v.is_null()) {
            None => (ConvertedPrereqs::None, None),
            Some(v) => {
                let written = Prereq::parse(v).map_err(bad)?;
                stats.self_references_dropped +=
                    written.codes().iter().filter(|c| **c == code).count();
                let tree = written.without(code);
                (converted(tree.as_ref()), tree)
            }
        };
        courses.push(Course {
            code,
            title,
            description: obj.get("description").and_then(Value::as_str),
            units,
            prereqs,
            tree,
        });
    }
    courses.sort_by(|a, b| a.code.cmp(b.code));

    // Ids must stay distinct after sanitising, references included.
    let defined: HashMap<&str, usize> = courses
        .iter()
        .enumerate()
        .map(|(i, c)| (c.code, i))
        .collect();
    let mut by_id: BTreeMap<String, &str> = BTreeMap::new();
    let mut unknown: BTreeSet<&str> = BTreeSet::new();
    for course in &courses {
        let referenced = course.tree.iter().flat_map(|t| t.codes());
        for code in std::iter::once(course.code).chain(referenced) {
            if !defined.contains_key(code) {
                unknown.insert(code);
            }
            let id = local_id(code);
            if id.is_empty() {
                return Err(ConvertError::BadCourse {
                    code: code.to_string(),
                    message: "has no letter or digit to make an id from".into(),
                });
            }
            match by_id.get(&id) {
                Some(first) if *first != code => {
                    return Err(ConvertError::IdCollision {
                        first: first.to_string(),
                        second: code.to_string(),
                        id,
                    })
                }
                _ => {
                    by_id.insert(id, code);
                }
            }
        }
    }

    // Which courses can be earned from no holdings: a fixpoint.
    let mut attainable = vec![false; courses.len()];
    loop {
        let mut changed = false;
        for (i, course) in courses.iter().enumerate() {
            if attainable[i] {
                continue;
            }
            let ok = match (&course.prereqs, &course.tree) {
                (ConvertedPrereqs::NeverMet, _) => false,
                (_, None) => true,
                (_, Some(tree)) => {
                    tree.met_by(&|c: &str| defined.get(c).is_some_and(|&j| attainable[j]))
                }
            };
            if ok {
                attainable[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }

    let mut credentials: Vec<Value> = Vec::with_capacity(courses.len() + options.programs.len());
    for course in &courses {
        let mut cred = Map::new();
        cred.insert("id".into(), local_id(course.code).into());
        cred.insert("title".into(), course.title.into());
        cred.insert("kind".into(), "course".into());
        if let Some(d) = course.description.filter(|d| !d.trim().is_empty()) {
            cred.insert("description".into(), d.into());
        }
        if let Some((prefix, _)) = course.code.split_once(' ') {
            let tag = local_id(&prefix.to_ascii_lowercase());
            if !tag.is_empty() {
                cred.insert("tags".into(), json!([tag]));
            }
        }
        let units = course.units.unwrap_or(0.0);
        if units > 0.0 {
            cred.insert(
                "credits".into(),
                json!({ "value": units, "unit": CREDIT_UNIT }),
            );
        } else {
            stats.without_credits += 1;
        }
        let cents = cost_cents(course.code, units);
        cred.insert(
            "cost".into(),
            json!({ "amount": cents as f64 / 100.0, "currency": "USD" }),
        );
        cred.insert("effort_hours".into(), json!(units * HOURS_PER_UNIT));
        match &course.prereqs {
            ConvertedPrereqs::None => {}
            ConvertedPrereqs::Requires(r) => {
                stats.with_prerequisites += 1;
                if r.get("shared").is_some() {
                    stats.shared_trees += 1;
                }
                cred.insert("requires".into(), r.clone());
            }
            ConvertedPrereqs::NeverMet => {
                stats.with_prerequisites += 1;
                stats.not_earnable += 1;
                cred.insert("earnable".into(), false.into());
            }
        }
        credentials.push(Value::Object(cred));
    }

    let mut targets = Vec::with_capacity(options.programs.len());
    for spec in &options.programs {
        let target = choose_program(spec, options.seed, &courses, &attainable)?;
        credentials.push(program_credential(spec, &target));
        targets.push(target);
    }

    stats.courses = courses.len();
    stats.unknown_references = unknown.len();
    stats.attainable = attainable.iter().filter(|a| **a).count();

    let document = json!({
        "format": "stackpath.pathway/1",
        "publisher": {
            "id": PUBLISHER,
            "name": "UC San Diego (converted for benchmarking)",
            "url": "https://catalog.ucsd.edu/"
        },
        "title": "UC San Diego courses with program-like benchmark targets",
        "version": format!("bench-seed-{}", options.seed),
        "credentials": credentials,
    });
    Ok(Conversion {
        document,
        targets,
        stats,
    })
}

fn choose_program(
    spec: &ProgramSpec,
    seed: u64,
    courses: &[Course],
    attainable: &[bool],
) -> Result<ProgramTarget, ConvertError> {
    let mut candidates: Vec<&Course> = courses
        .iter()
        .zip(attainable)
        .filter(|(c, ok)| {
            **ok && c.units.is_some_and(|u| u > 0.0)
                && prefix_and_number(c.code)
                    .is_some_and(|(p, n)| spec.prefixes.contains(&p) && (100..190).contains(&n))
        })
        .map(|(c, _)| c)
        .collect();
    let needed = CORE + ELECTIVES;
    if candidates.len() < needed {
        return Err(ConvertError::TooFewCourses {
            program: spec.key.to_string(),
            found: candidates.len(),
            needed,
        });
    }
    let mut rng = SplitMix64(seed ^ fnv1a(spec.key.as_bytes()));
    rng.shuffle(&mut candidates);
    let core = &candidates[..CORE];
    let electives = &candidates[CORE..needed];
    let others = &candidates[needed..(needed + POOL_OTHERS).min(candidates.len())];

    // The pool must reach its credits even after the 4 electives with the
    // fewest units have been counted toward the electives rule.
    let mut elective_units: Vec<f64> = electives.iter().filter_map(|c| c.units).collect();
    elective_units.sort_by(f64::total_cmp);
    let available: f64 = elective_units[ELECTIVES_NEEDED as usize..]
        .iter()
        .sum::<f64>()
        + others.iter().filter_map(|c| c.units).sum::<f64>();
    if available < POOL_CREDITS {
        return Err(ConvertError::PoolTooSmall {
            program: spec.key.to_string(),
        });
    }

    let ids = |cs: &[&Course]| cs.iter().map(|c| course_id(c.code)).collect::<Vec<_>>();
    let electives = ids(electives);
    let mut pool = electives.clone();
    pool.extend(ids(others));
    Ok(ProgramTarget {
        id: format!("{PUBLISHER}:program-{}", spec.key),
        title: format!("{} program (benchmark target)", spec.title),
        core: ids(core),
        electives,
        pool,
    })
}

fn program_credential(spec: &ProgramSpec, target: &ProgramTarget) -> Value {
    let local = |ids: &[String]| {
        ids.iter()
            .map(|id| id.trim_start_matches("ucsd:").to_string())
            .collect::<Vec<_>>()
    };
    json!({
        "id": format!("program-{}", spec.key),
        "title": target.title,
        "kind": "degree",
        "cost": { "amount": 0, "currency": "USD" },
        "effort_hours": 0,
        "duration_weeks": 0,
        "requires": {
            "all": [
                { "label": "Core courses", "all": local(&target.core) },
                {
                    "label": "Electives",
                    "at_least": ELECTIVES_NEEDED,
                    "of": local(&target.electives),
                },
                {
                    "label": "Further upper-division units",
                    "credits": POOL_CREDITS,
                    "unit": CREDIT_UNIT,
                    "from": local(&target.pool),
                },
            ]
        }
    })
}
