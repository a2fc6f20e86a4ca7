//! Deterministic synthetic catalogs: as many credentials as asked for,
//! spread over many publishers, using every construct of the pathway format,
//! for benchmarks and property tests.
//!
//! The same [`SynthConfig`] always gives the same files, on every platform
//! and with every version of every dependency: the generator uses its own
//! SplitMix64 random numbers rather than a crate whose streams may change.
//!
//! What a catalog contains, to look like a real one:
//!
//! - Four sorts of publisher: universities (ECTS credits, courses, modules,
//!   certificates, diplomas, degrees), colleges (US semester credit hours,
//!   courses, certificates, associate degrees), vendors (badges, assessments,
//!   certifications that expire) and MOOC platforms (courses and
//!   micro-credentials).
//! - Requirements only ever point at credentials generated earlier, so there
//!   is no hard cycle; `soft_cycles` pairs are then closed through an `any`
//!   (the "MATH 10C or MATH 20B" pattern), which `check` reports as warnings.
//! - Programs: certificates need all or `at_least` of recent courses;
//!   diplomas and degrees need certificates, an elective credit pool drawn by
//!   tag (`from_tags`), a pool of listed courses (`from`) and a shared total
//!   credits overlay.
//! - Cross-publisher: courses accept another publisher's course as an
//!   alternative; equivalences grant credit for vendor certifications and
//!   MOOC courses; non-earnable transfer-credit blocks are obtainable only
//!   through an equivalence.
//! - Fixed-pace items with start months or start dates, self-paced items,
//!   costs in USD, effort hours, credits.
//!
//! Every fixed-pace item needs at most 8 hours a week, and every program's
//! requirements can be met from credentials generated before it, so every
//! target in [`Synthetic::targets`] is reachable for a learner with 10 hours
//! a week.

use std::sync::Arc;

use stackpath_model::{
    Credential, CredentialId, Credits, Date, Equivalence, Kind, Level, Money, Origin,
    PathwayDocument, Publisher, PublisherId, Requirement, RequirementKind, Starts, Tag,
};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthConfig {
    /// Total credentials over all files.
    pub credentials: usize,
    pub seed: u64,
    /// Number of publishers (one file each); `None`: one per 500
    /// credentials, between 4 and 400.
    pub publishers: Option<usize>,
    /// Soft cycles to close; `None`: one per 10,000 credentials, at least 1.
    pub soft_cycles: Option<usize>,
}

impl SynthConfig {
    pub fn new(credentials: usize, seed: u64) -> Self {
        SynthConfig {
            credentials,
            seed,
            publishers: None,
            soft_cycles: None,
        }
    }
}

/// A generated catalog.
#[derive(Debug, Clone)]
pub struct Synthetic {
    /// One document per publisher, in publisher order.
    pub documents: Vec<PathwayDocument>,
    /// Program-like awards (degrees, diplomas, certificates,
    /// micro-credentials, certifications) that are reachable, deepest first:
    /// good targets for plans. At most 200.
    pub targets: Vec<CredentialId>,
}

/// The catalog as files: `(file name, JSON text)`, one per publisher.
pub fn generate(config: &SynthConfig) -> Vec<(String, String)> {
    to_files(&generate_catalog(config))
}

/// Writes each document with the format's writer.
pub fn to_files(synthetic: &Synthetic) -> Vec<(String, String)> {
    synthetic
        .documents
        .iter()
        .map(|d| {
            (
                format!("{}.pathway.json", d.publisher.id),
                stackpath_format::write_pathway(d),
            )
        })
        .collect()
}

/// Good target ids for `config`'s catalog, as strings.
pub fn good_targets(config: &SynthConfig) -> Vec<String> {
    generate_catalog(config)
        .targets
        .iter()
        .map(|t| t.to_string())
        .collect()
}

/// SplitMix64: tiny, fast, and its stream never changes.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sort {
    University,
    College,
    Vendor,
    Mooc,
}

const SUBJECTS: &[&str] = &[
    "math", "cs", "stat", "bio", "chem", "phys", "econ", "hist", "eng", "nurs", "acct", "mgmt",
    "data", "sec", "net", "design",
];
const SKILLS: &[&str] = &[
    "programming",
    "statistics",
    "writing",
    "networking",
    "patient care",
    "accounting",
    "project management",
    "data analysis",
    "security operations",
    "calculus",
];

struct PublisherState {
    sort: Sort,
    id: PublisherId,
    unit: &'static str,
    credit_value: f64,
    count: usize,
    /// Global indices of this publisher's base items (courses, modules,
    /// badges, assessments), and of its certificates.
    items: Vec<usize>,
    certificates: Vec<usize>,
    elective_credits: f64,
}

struct Gen {
    rng: Rng,
    publishers: Vec<PublisherState>,
    /// Every credential in generation order, with its publisher.
    creds: Vec<(usize, Credential)>,
    equivalences: Vec<(usize, Equivalence)>,
    /// Global indices of credentials other publishers may accept.
    foreign_pool: Vec<usize>,
    targets: Vec<usize>,
    origin: Origin,
}

fn id(p: &PublisherId, local: &str) -> CredentialId {
    // Locals are built from a fixed alphabet of safe characters.
    CredentialId::parse_in(local, p).expect("generated ids are valid")
}

fn tag(p: &PublisherId, t: &str) -> Option<Tag> {
    Tag::parse_in(t, p).ok()
}

/// Generates the documents and the list of good targets.
pub fn generate_catalog(config: &SynthConfig) -> Synthetic {
    let n = config.credentials;
    let publisher_count = config.publishers.unwrap_or((n / 500).clamp(4, 400)).max(1);
    let mut rng = Rng(config.seed ^ 0x5EED_0F5A_CC01_u64);
    let mut publishers = Vec::with_capacity(publisher_count);
    for i in 0..publisher_count {
        let sort = match i % 10 {
            0..=3 => Sort::University,
            4..=6 => Sort::College,
            7 | 8 => Sort::Vendor,
            _ => Sort::Mooc,
        };
        let prefix = match sort {
            Sort::University => "uni",
            Sort::College => "college",
            Sort::Vendor => "vendor",
            Sort::Mooc => "mooc",
        };
        let (unit, credit_value) = match sort {
            Sort::University => ("ECTS", 5.0),
            Sort::College => ("US-SCH", 3.0),
            Sort::Vendor => ("CEU", 1.0),
            Sort::Mooc => ("CEU", 2.0),
        };
        let id = PublisherId::parse(&format!("{prefix}-{i:03}")).expect("generated ids are valid");
        publishers.push(PublisherState {
            sort,
            id,
            unit,
            credit_value,
            count: 0,
            items: Vec::new(),
            certificates: Vec::new(),
            elective_credits: 0.0,
        });
        let _ = rng.next();
    }
    let mut g = Gen {
        rng,
        publishers,
        creds: Vec::with_capacity(n),
        equivalences: Vec::new(),
        foreign_pool: Vec::new(),
        targets: Vec::new(),
        origin: Origin::synthetic("synthetic"),
    };
    for _ in 0..n {
        let p = g.rng.below(g.publishers.len());
        g.step(p);
    }
    let soft = config.soft_cycles.unwrap_or((n / 10_000).max(1));
    g.close_soft_cycles(soft);
    g.finish()
}

impl Gen {
    fn step(&mut self, p: usize) {
        let k = self.publishers[p].count;
        self.publishers[p].count += 1;
        let sort = self.publishers[p].sort;
        let enough_items = self.publishers[p].items.len() >= 6;
        let enough_certs = self.publishers[p].certificates.len() >= 2;
        match sort {
            Sort::University | Sort::College if k % 50 == 49 && enough_certs && enough_items => {
                self.program_award(p)
            }
            Sort::University | Sort::College if k % 10 == 9 && enough_items => {
                self.certificate(p, Kind::Certificate)
            }
            Sort::University if self.rng.chance(2) && self.foreign_pool.len() >= 2 => {
                self.transfer_block(p)
            }
            Sort::Vendor if k % 6 == 5 && enough_items => self.certification(p),
            Sort::Mooc if k % 8 == 7 && enough_items => self.certificate(p, Kind::MicroCredential),
            _ => self.base_item(p),
        }
    }

    fn push(&mut self, p: usize, c: Credential) -> usize {
        self.creds.push((p, c));
        self.creds.len() - 1
    }

    fn local(&mut self, p: usize, stem: &str) -> String {
        let k = self.publishers[p].count;
        format!("{stem}-{}{:03}", 1 + self.rng.below(4), k)
    }

    fn reference(&self, from: usize, to: usize) -> Requirement {
        let _ = from;
        Requirement::credential(self.creds[to].1.id.clone(), self.origin.clone())
    }

    fn base_item(&mut self, p: usize) {
        let sort = self.publishers[p].sort;
        let pid = self.publishers[p].id.clone();
        let subject = *self.rng.pick(SUBJECTS);
        let kind = match sort {
            Sort::University if self.rng.chance(15) => Kind::Module,
            Sort::Vendor if self.rng.chance(50) => Kind::Badge,
            Sort::Vendor => Kind::Assessment,
            _ => Kind::Course,
        };
        let local = self.local(p, subject);
        let mut c = Credential::new(
            id(&pid, &local),
            format!(
                "{} {}",
                title_case(subject),
                local.rsplit('-').next().unwrap_or("")
            ),
            kind,
            self.origin.clone(),
        );
        c.effort_hours = (10 + self.rng.below(140)) as f64;
        let fixed = matches!(sort, Sort::University | Sort::College) && self.rng.chance(70);
        if fixed {
            let per_week = (3 + self.rng.below(6)) as f64;
            c.duration_weeks = Some((c.effort_hours / per_week).ceil());
            c.starts = if self.rng.chance(80) {
                let mut m = vec![1 + self.rng.below(12) as u32, 1 + self.rng.below(12) as u32];
                m.sort_unstable();
                m.dedup();
                Starts::Months(m)
            } else {
                let base = Date::from_ymd_opt(2027, 1, 11).unwrap_or_default();
                let mut d: Vec<Date> = (0..8)
                    .filter_map(|i| {
                        base.checked_add_days(chrono::Days::new(
                            i * 180 + self.rng.below(30) as u64,
                        ))
                    })
                    .collect();
                d.sort_unstable();
                d.dedup();
                Starts::Dates(d)
            };
        }
        let credit = self.publishers[p].credit_value;
        c.credits = vec![Credits {
            value: credit,
            unit: self.publishers[p].unit.to_string(),
        }];
        c.cost = Some(Money {
            amount: (50 * (1 + self.rng.below(30))) as f64,
            currency: "USD".into(),
        });
        let elective = self.rng.chance(40);
        c.tags = [subject, if elective { "elective" } else { "core" }]
            .iter()
            .filter_map(|t| tag(&pid, t))
            .collect();
        c.tags.sort();
        if elective {
            self.publishers[p].elective_credits += credit;
        }
        if self.rng.chance(30) {
            c.skills = vec![self.rng.pick(SKILLS).to_string()];
        }
        if self.rng.chance(20) {
            c.description = Some(format!("An introduction to {subject} for working adults."));
        }
        let idx_next = self.creds.len();
        // Prerequisites: earlier items of the same publisher, and sometimes
        // another publisher's course as an alternative.
        let own = &self.publishers[p].items;
        if !own.is_empty() && self.rng.chance(55) {
            let a = own[own.len() - 1 - self.rng.below(own.len().min(12))];
            let mut req = self.reference(idx_next, a);
            if self.rng.chance(25) && !self.foreign_pool.is_empty() {
                let f = *self.rng.pick(&self.foreign_pool);
                if self.creds[f].0 != p {
                    req = Requirement::new(
                        RequirementKind::Any(vec![req, self.reference(idx_next, f)]),
                        self.origin.clone(),
                    );
                }
            } else if self.rng.chance(30) && own.len() >= 2 {
                let b = own[self.rng.below(own.len())];
                if b != a {
                    req = Requirement::new(
                        RequirementKind::All(vec![req, self.reference(idx_next, b)]),
                        self.origin.clone(),
                    );
                }
            }
            c.requires = Some(req);
        }
        if self.rng.chance(5) && !self.publishers[p].items.is_empty() {
            let r = *self.rng.pick(&self.publishers[p].items);
            c.recommended = Some(self.reference(idx_next, r));
        }
        let idx = self.push(p, c);
        self.publishers[p].items.push(idx);
        if matches!(sort, Sort::Mooc | Sort::Vendor) || self.rng.chance(10) {
            self.foreign_pool.push(idx);
        }
        // Transfer credit: a college or university course granted for an
        // earlier course or certification of another publisher.
        if matches!(sort, Sort::University | Sort::College)
            && self.rng.chance(5)
            && !self.foreign_pool.is_empty()
        {
            let f = *self.rng.pick(&self.foreign_pool);
            if self.creds[f].0 != p && f < idx {
                let note = (self.rng.chance(50)).then(|| "articulation agreement 2025".to_string());
                self.equivalences.push((
                    p,
                    Equivalence {
                        grants: self.creds[idx].1.id.clone(),
                        when: self.reference(idx, f),
                        note,
                        origin: self.origin.clone(),
                    },
                ));
            }
        }
    }

    /// A non-earnable recognition-of-prior-learning block, granted when two
    /// of three other publishers' credentials are held.
    fn transfer_block(&mut self, p: usize) {
        let pid = self.publishers[p].id.clone();
        let local = self.local(p, "transfer");
        let mut c = Credential::new(
            id(&pid, &local),
            "Transfer credit block",
            Kind::Course,
            self.origin.clone(),
        );
        c.earnable = false;
        c.credits = vec![Credits {
            value: self.publishers[p].credit_value * 2.0,
            unit: self.publishers[p].unit.to_string(),
        }];
        c.tags = tag(&pid, "elective").into_iter().collect();
        self.publishers[p].elective_credits += self.publishers[p].credit_value * 2.0;
        let idx = self.push(p, c);
        let mut of = Vec::new();
        for _ in 0..3 {
            let f = *self.rng.pick(&self.foreign_pool);
            if !of
                .iter()
                .any(|r: &Requirement| r == &self.reference(idx, f))
            {
                of.push(self.reference(idx, f));
            }
        }
        let k = of.len().min(2) as u32;
        self.equivalences.push((
            p,
            Equivalence {
                grants: self.creds[idx].1.id.clone(),
                when: Requirement {
                    kind: RequirementKind::AtLeast { k, of },
                    label: Some("Prior learning".into()),
                    shared: false,
                    origin: self.origin.clone(),
                },
                note: Some("recognition of prior learning".into()),
                origin: self.origin.clone(),
            },
        ));
        self.publishers[p].items.push(idx);
    }

    /// A certificate or micro-credential: all of 3 to 5 recent items, or at
    /// least k of more.
    fn certificate(&mut self, p: usize, kind: Kind) {
        let pid = self.publishers[p].id.clone();
        let local = self.local(p, "cert");
        let items = self.publishers[p].items.clone();
        let take = (3 + self.rng.below(3)).min(items.len());
        let recent: Vec<usize> = items[items.len().saturating_sub(take + 3)..].to_vec();
        let mut chosen: Vec<usize> = Vec::new();
        while chosen.len() < take.min(recent.len()) {
            let c = *self.rng.pick(&recent);
            if !chosen.contains(&c) {
                chosen.push(c);
            }
        }
        let idx_next = self.creds.len();
        let refs: Vec<Requirement> = chosen
            .iter()
            .map(|&c| self.reference(idx_next, c))
            .collect();
        let req = if self.rng.chance(35) && refs.len() >= 3 {
            let k = refs.len() as u32 - 1;
            RequirementKind::AtLeast { k, of: refs }
        } else {
            RequirementKind::All(refs)
        };
        let mut c = Credential::new(
            id(&pid, &local),
            format!("Certificate {}", self.publishers[p].certificates.len() + 1),
            kind,
            self.origin.clone(),
        );
        c.requires = Some(Requirement {
            kind: req,
            label: Some("Required courses".into()),
            shared: false,
            origin: self.origin.clone(),
        });
        if kind == Kind::MicroCredential {
            c.cost = Some(Money {
                amount: 150.0,
                currency: "USD".into(),
            });
        }
        let idx = self.push(p, c);
        self.publishers[p].certificates.push(idx);
        self.targets.push(idx);
    }

    /// A vendor certification: at least 2 of 3 recent badges or assessments,
    /// then an exam; it expires.
    fn certification(&mut self, p: usize) {
        let pid = self.publishers[p].id.clone();
        let local = self.local(p, "cert");
        let items = self.publishers[p].items.clone();
        let recent = &items[items.len() - 3..];
        let idx_next = self.creds.len();
        let of: Vec<Requirement> = recent
            .iter()
            .map(|&c| self.reference(idx_next, c))
            .collect();
        let mut c = Credential::new(
            id(&pid, &local),
            format!("Certified Professional {}", self.publishers[p].count),
            Kind::Certification,
            self.origin.clone(),
        );
        c.requires = Some(Requirement::new(
            RequirementKind::AtLeast { k: 2, of },
            self.origin.clone(),
        ));
        c.effort_hours = 4.0;
        c.duration_weeks = Some(1.0);
        c.valid_for_months = Some(36);
        c.cost = Some(Money {
            amount: 300.0,
            currency: "USD".into(),
        });
        c.credits = vec![Credits {
            value: 3.0,
            unit: "CEU".into(),
        }];
        let idx = self.push(p, c);
        self.foreign_pool.push(idx);
        self.targets.push(idx);
    }

    /// A diploma or degree: two certificates, an elective pool by tag, a
    /// pool of listed courses, and a shared total-credits overlay.
    fn program_award(&mut self, p: usize) {
        let pid = self.publishers[p].id.clone();
        let st = &self.publishers[p];
        let unit = st.unit.to_string();
        let credit = st.credit_value;
        let certs = st.certificates.clone();
        let items = st.items.clone();
        let elective_available = st.elective_credits;
        let kind = if st.sort == Sort::University && self.rng.chance(50) {
            Kind::Degree
        } else {
            Kind::Diploma
        };
        let local = self.local(
            p,
            if kind == Kind::Degree {
                "degree"
            } else {
                "diploma"
            },
        );
        let idx_next = self.creds.len();
        let a = certs[certs.len() - 1];
        let b = certs[certs.len() - 2];
        let mut parts = vec![self.reference(idx_next, a), self.reference(idx_next, b)];
        // Electives by tag: half of what the publisher offers so far, so it
        // can always be met.
        let elective = (elective_available / 2.0 / credit).floor() * credit;
        if elective >= credit {
            if let Some(t) = tag(&pid, "elective") {
                parts.push(Requirement {
                    kind: RequirementKind::Credits {
                        credits: elective.min(credit * 6.0),
                        unit: unit.clone(),
                        from: Vec::new(),
                        from_tags: vec![t],
                    },
                    label: Some("Electives".into()),
                    shared: false,
                    origin: self.origin.clone(),
                });
            }
        }
        // A pool of listed courses: 2 of 5 earlier items' worth.
        let listed: Vec<CredentialId> = items[items.len().saturating_sub(5)..]
            .iter()
            .map(|&i| self.creds[i].1.id.clone())
            .collect();
        parts.push(Requirement {
            kind: RequirementKind::Credits {
                credits: credit * 2.0,
                unit: unit.clone(),
                from: listed,
                from_tags: Vec::new(),
            },
            label: Some("Capstone options".into()),
            shared: false,
            origin: self.origin.clone(),
        });
        let total = Requirement {
            kind: RequirementKind::Credits {
                credits: credit * 4.0,
                unit: unit.clone(),
                from: Vec::new(),
                from_tags: ["core", "elective"]
                    .iter()
                    .filter_map(|t| tag(&pid, t))
                    .collect(),
            },
            label: Some("Total credits".into()),
            shared: true,
            origin: self.origin.clone(),
        };
        parts.push(total);
        let mut c = Credential::new(
            id(&pid, &local),
            format!(
                "{} in {}",
                if kind == Kind::Degree {
                    "Bachelor"
                } else {
                    "Diploma"
                },
                title_case(SUBJECTS[self.rng.below(SUBJECTS.len())])
            ),
            kind,
            self.origin.clone(),
        );
        c.requires = Some(Requirement {
            kind: RequirementKind::All(parts),
            label: Some("Program requirements".into()),
            shared: false,
            origin: self.origin.clone(),
        });
        c.level = Some(Level {
            framework: "EQF".into(),
            value: if kind == Kind::Degree { "6" } else { "5" }.into(),
        });
        c.skills = vec![self.rng.pick(SKILLS).to_string()];
        let idx = self.push(p, c);
        self.targets.push(idx);
    }

    /// Closes `count` soft cycles: an earlier course A that a later course B
    /// needs gets `any: [B, C]` as its requirement, C another earlier
    /// course, so A can still be earned through C.
    fn close_soft_cycles(&mut self, count: usize) {
        let mut done = 0;
        let mut attempts = 0;
        while done < count && attempts < count * 50 + 100 && !self.creds.is_empty() {
            attempts += 1;
            let b = self.rng.below(self.creds.len());
            let Some(req) = &self.creds[b].1.requires else {
                continue;
            };
            let RequirementKind::Credential(a_id) = &req.kind else {
                continue;
            };
            let p = self.creds[b].0;
            let Some(a) = self.publishers[p]
                .items
                .iter()
                .copied()
                .find(|&i| &self.creds[i].1.id == a_id)
            else {
                continue;
            };
            let Some(&c) = self.publishers[p].items.iter().find(|&&i| i < a) else {
                continue;
            };
            if self.creds[a].1.requires.is_some() || !self.creds[a].1.earnable {
                continue;
            }
            let any = Requirement {
                kind: RequirementKind::Any(vec![self.reference(a, b), self.reference(a, c)]),
                label: Some("Placement".into()),
                shared: false,
                origin: self.origin.clone(),
            };
            self.creds[a].1.requires = Some(any);
            done += 1;
        }
    }

    fn finish(self) -> Synthetic {
        let mut per: Vec<(Vec<Credential>, Vec<Equivalence>)> = (0..self.publishers.len())
            .map(|_| (Vec::new(), Vec::new()))
            .collect();
        let mut target_ids: Vec<CredentialId> = self
            .targets
            .iter()
            .rev()
            .map(|&i| self.creds[i].1.id.clone())
            .collect();
        target_ids.truncate(200);
        for (p, c) in self.creds {
            per[p].0.push(c);
        }
        for (p, e) in self.equivalences {
            per[p].1.push(e);
        }
        let documents = self
            .publishers
            .iter()
            .zip(per)
            .filter(|(_, (c, _))| !c.is_empty())
            .map(|(st, (credentials, equivalences))| {
                let name = match st.sort {
                    Sort::University => "University",
                    Sort::College => "Community College",
                    Sort::Vendor => "Certification Vendor",
                    Sort::Mooc => "Online Courses",
                };
                let file: Arc<str> = Arc::from(format!("{}.pathway.json", st.id));
                PathwayDocument {
                    file,
                    publisher: Publisher {
                        id: st.id.clone(),
                        name: format!("Synthetic {name} {}", st.id),
                        url: Some(format!("https://example.org/{}", st.id)),
                    },
                    title: format!("{name} programs"),
                    description: None,
                    version: Some("2027-01".into()),
                    published: Date::from_ymd_opt(2026, 9, 1),
                    credentials,
                    equivalences,
                    signature: None,
                }
            })
            .collect();
        Synthetic {
            documents,
            targets: target_ids,
        }
    }
}

fn title_case(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
