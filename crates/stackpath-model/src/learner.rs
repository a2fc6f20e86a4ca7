//! A learner: what they hold, where they are going, and their constraints.

use crate::credential::Money;
use crate::id::CredentialId;
use crate::Date;

#[derive(Debug, Clone, PartialEq)]
pub struct Holding {
    pub id: CredentialId,
    pub earned: Date,
    /// Where the learner's claim comes from (`openbadges`, `transcript`, ...).
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Constraints {
    pub start: Option<Date>,
    pub hours_per_week: Option<f64>,
    pub budget: Option<Money>,
    pub avoid: Vec<CredentialId>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Learner {
    pub name: String,
    pub holdings: Vec<Holding>,
    pub target: Option<CredentialId>,
    pub constraints: Constraints,
}
