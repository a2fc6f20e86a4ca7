//! Small catalogs built in code, for the unit tests and (included by path)
//! the integration tests. All ids live in the publisher `t`.

#![allow(dead_code)]

use std::sync::Arc;

use stackpath_model::{
    Catalog, Credential, CredentialId, Credits, Date, Equivalence, Holding, Kind, Money, Origin,
    PathwayDocument, Publisher, PublisherId, Requirement, RequirementKind, Tag,
};

pub fn id(local: &str) -> CredentialId {
    if local.contains(':') {
        CredentialId::parse(local).expect("valid id")
    } else {
        CredentialId::parse(&format!("t:{local}")).expect("valid id")
    }
}

pub fn tag(local: &str) -> Tag {
    Tag::parse_in(local, &PublisherId::parse("t").expect("valid")).expect("valid tag")
}

fn origin() -> Origin {
    Origin::synthetic("test")
}

pub fn leaf(local: &str) -> Requirement {
    Requirement::credential(id(local), origin())
}

pub fn all(v: Vec<Requirement>) -> Requirement {
    Requirement::new(RequirementKind::All(v), origin())
}

pub fn any(v: Vec<Requirement>) -> Requirement {
    Requirement::new(RequirementKind::Any(v), origin())
}

pub fn at_least(k: u32, v: Vec<Requirement>) -> Requirement {
    Requirement::new(RequirementKind::AtLeast { k, of: v }, origin())
}

pub fn credits(n: f64, from: &[&str], tags: &[&str]) -> Requirement {
    Requirement::new(
        RequirementKind::Credits {
            credits: n,
            unit: "ECTS".into(),
            from: from.iter().map(|s| id(s)).collect(),
            from_tags: tags.iter().map(|s| tag(s)).collect(),
        },
        origin(),
    )
}

pub fn shared(mut r: Requirement) -> Requirement {
    r.shared = true;
    r
}

pub fn labelled(mut r: Requirement, label: &str) -> Requirement {
    r.label = Some(label.into());
    r
}

pub fn date(s: &str) -> Date {
    Date::parse_from_str(s, "%Y-%m-%d").expect("valid date")
}

pub fn holding(local: &str, earned: &str) -> Holding {
    Holding {
        id: id(local),
        earned: date(earned),
        source: None,
    }
}

/// A credential under construction.
#[derive(Debug, Clone)]
pub struct C(pub Credential);

impl C {
    pub fn requires(mut self, r: Requirement) -> Self {
        self.0.requires = Some(r);
        self
    }
    pub fn cost(mut self, amount: f64) -> Self {
        self.0.cost = Some(Money {
            amount,
            currency: "USD".into(),
        });
        self
    }
    pub fn cost_in(mut self, amount: f64, currency: &str) -> Self {
        self.0.cost = Some(Money {
            amount,
            currency: currency.into(),
        });
        self
    }
    pub fn effort(mut self, hours: f64) -> Self {
        self.0.effort_hours = hours;
        self
    }
    pub fn weeks(mut self, weeks: f64) -> Self {
        self.0.duration_weeks = Some(weeks);
        self
    }
    pub fn credits(mut self, value: f64) -> Self {
        self.0.credits.push(Credits {
            value,
            unit: "ECTS".into(),
        });
        self
    }
    pub fn tag(mut self, t: &str) -> Self {
        self.0.tags.push(tag(t));
        self
    }
    pub fn not_earnable(mut self) -> Self {
        self.0.earnable = false;
        self
    }
    pub fn valid_for(mut self, months: u32) -> Self {
        self.0.valid_for_months = Some(months);
        self
    }
    pub fn kind(mut self, kind: Kind) -> Self {
        self.0.kind = kind;
        self
    }
    pub fn starts(mut self, s: stackpath_model::Starts) -> Self {
        self.0.starts = s;
        self
    }
}

pub fn cred(local: &str) -> C {
    C(Credential::new(
        id(local),
        format!("Title of {local}"),
        Kind::Course,
        origin(),
    ))
}

pub fn equiv(grants: &str, when: Requirement) -> Equivalence {
    Equivalence {
        grants: id(grants),
        when,
        note: None,
        origin: origin(),
    }
}

pub fn catalog(creds: Vec<C>, equivalences: Vec<Equivalence>) -> Catalog {
    let doc = PathwayDocument {
        file: Arc::from("test.pathway.json"),
        publisher: Publisher {
            id: PublisherId::parse("t").expect("valid"),
            name: "Test".into(),
            url: None,
        },
        title: "Test".into(),
        description: None,
        version: None,
        published: None,
        credentials: creds.into_iter().map(|c| c.0).collect(),
        equivalences,
        signature: None,
    };
    Catalog::build(vec![doc]).0
}

/// A large random catalog with one program-sized target `t` (fixed seed):
/// 7,375 courses `c{i}` whose prerequisite trees (one course, AND of two, OR
/// of three, two of three) draw on the 40 courses below each, as course
/// numbering does; `none` is the chance a course has none, and `distinct`
/// keeps the courses inside one tree apart (`all[a, a]` can never be met).
/// `t` asks for 8 core courses, 4 of 12 electives and 16 credits from a
/// pool, tagged `pool`, that overlaps the electives.
pub fn program_catalog(none: f64, distinct: bool) -> Catalog {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7375);
    let n = 7375;
    let mut creds = Vec::with_capacity(n + 1);
    for i in 0..n {
        let below = i.min(40);
        let base = i - below;
        let mut c = cred(&format!("c{i}"))
            .cost(f64::from(rng.gen_range(3..9)) * 100.0)
            .effort(f64::from(rng.gen_range(20..60)))
            .credits(4.0);
        if below > 0 && !rng.gen_bool(none) {
            let mut used: Vec<usize> = Vec::new();
            let mut pick = |rng: &mut rand_chacha::ChaCha8Rng| {
                let mut k = rng.gen_range(0..below);
                while distinct && used.contains(&k) && used.len() < below {
                    k = rng.gen_range(0..below);
                }
                used.push(k);
                leaf(&format!("c{}", base + k))
            };
            c = c.requires(match rng.gen_range(0..4) {
                0 => pick(&mut rng),
                1 => all(vec![pick(&mut rng), pick(&mut rng)]),
                2 => any(vec![pick(&mut rng), pick(&mut rng), pick(&mut rng)]),
                _ => at_least(2, vec![pick(&mut rng), pick(&mut rng), pick(&mut rng)]),
            });
        }
        if (6000..6030).contains(&i) {
            c = c.tag("pool");
        }
        creds.push(c);
    }
    let core: Vec<Requirement> = (0..8)
        .map(|k| leaf(&format!("c{}", 5000 + k * 37)))
        .collect();
    let electives: Vec<Requirement> = (0..12)
        .map(|k| leaf(&format!("c{}", 6000 + k * 2)))
        .collect();
    creds.push(cred("t").requires(all(vec![
        all(core),
        at_least(4, electives),
        credits(16.0, &[], &["pool"]),
    ])));
    catalog(creds, vec![])
}
