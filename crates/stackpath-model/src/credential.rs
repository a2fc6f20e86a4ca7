//! A credential: anything a learner can hold, from a course to a degree.

use crate::id::{CredentialId, Tag};
use crate::requirement::Requirement;
use crate::{Date, Origin};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Course,
    Module,
    MicroCredential,
    Badge,
    Certificate,
    Certification,
    License,
    Diploma,
    Degree,
    Assessment,
    Experience,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::Course,
        Kind::Module,
        Kind::MicroCredential,
        Kind::Badge,
        Kind::Certificate,
        Kind::Certification,
        Kind::License,
        Kind::Diploma,
        Kind::Degree,
        Kind::Assessment,
        Kind::Experience,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Course => "course",
            Kind::Module => "module",
            Kind::MicroCredential => "micro-credential",
            Kind::Badge => "badge",
            Kind::Certificate => "certificate",
            Kind::Certification => "certification",
            Kind::License => "license",
            Kind::Diploma => "diploma",
            Kind::Degree => "degree",
            Kind::Assessment => "assessment",
            Kind::Experience => "experience",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Awards a learner would pick as a goal: the app offers these as targets.
    pub fn is_award(self) -> bool {
        matches!(
            self,
            Kind::MicroCredential
                | Kind::Certificate
                | Kind::Certification
                | Kind::License
                | Kind::Diploma
                | Kind::Degree
        )
    }
}

/// An amount of academic credit. Units are compared exactly (`ECTS`,
/// `US-SCH`, ...): the catalog never converts between them.
#[derive(Debug, Clone, PartialEq)]
pub struct Credits {
    pub value: f64,
    pub unit: String,
}

/// A price in an ISO 4217 currency. `amount` is never negative.
#[derive(Debug, Clone, PartialEq)]
pub struct Money {
    pub amount: f64,
    pub currency: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    pub framework: String,
    /// Kept as written (`6`, `"Level 4"`): frameworks number levels their own way.
    pub value: String,
}

/// When an item can begin.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Starts {
    #[default]
    Anytime,
    /// The first day of these months (1 to 12), every year.
    Months(Vec<u32>),
    /// Exactly these dates, sorted.
    Dates(Vec<Date>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Credential {
    pub id: CredentialId,
    pub title: String,
    pub kind: Kind,
    pub description: Option<String>,
    pub url: Option<String>,
    pub tags: Vec<Tag>,
    pub level: Option<Level>,
    pub credits: Vec<Credits>,
    pub cost: Option<Money>,
    pub effort_hours: f64,
    /// `Some`: fixed pace for this many weeks. `None`: self-paced.
    pub duration_weeks: Option<f64>,
    pub starts: Starts,
    pub valid_for_months: Option<u32>,
    pub skills: Vec<String>,
    pub requires: Option<Requirement>,
    pub recommended: Option<Requirement>,
    pub earnable: bool,
    /// Where the credential is defined (its `id` member).
    pub origin: Origin,
}

impl Credential {
    /// A credential with every optional field at its default, for builders
    /// and tests.
    pub fn new(id: CredentialId, title: impl Into<String>, kind: Kind, origin: Origin) -> Self {
        Credential {
            id,
            title: title.into(),
            kind,
            description: None,
            url: None,
            tags: Vec::new(),
            level: None,
            credits: Vec::new(),
            cost: None,
            effort_hours: 0.0,
            duration_weeks: None,
            starts: Starts::Anytime,
            valid_for_months: None,
            skills: Vec::new(),
            requires: None,
            recommended: None,
            earnable: true,
            origin,
        }
    }

    /// Credit this credential carries in `unit`, summed over its list.
    pub fn credits_in(&self, unit: &str) -> f64 {
        self.credits
            .iter()
            .filter(|c| c.unit == unit)
            .map(|c| c.value)
            .sum()
    }

    /// The day a holding earned on `earned` stops counting, if it expires.
    pub fn expires_on(&self, earned: Date) -> Option<Date> {
        let months = self.valid_for_months?;
        earned.checked_add_months(chrono::Months::new(months))
    }
}
