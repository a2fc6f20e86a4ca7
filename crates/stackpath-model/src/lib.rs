//! Stackpath's domain core: credentials, requirement expressions, learners and
//! the catalog graph that joins every publisher's credentials into one.
//!
//! **Architecture invariant:** this crate does no IO and knows nothing of JSON,
//! SQLite or Tauri. File formats, storage and the desktop shell are adapters
//! around it. Positions in source files are carried as plain data ([`Origin`])
//! so that the catalog can report problems a publisher can act on.

pub mod catalog;
pub mod credential;
pub mod diagnostic;
pub mod id;
pub mod learner;
pub mod requirement;

pub use catalog::{
    BuildOptions, Catalog, CredIdx, Equivalence, PathwayDocument, Publisher, Signature,
};
pub use credential::{Credential, Credits, Kind, Level, Money, Starts};
pub use diagnostic::{Diagnostic, Origin, Severity};
pub use id::{CredentialId, IdError, PublisherId, Tag};
pub use learner::{Constraints, Holding, Learner};
pub use requirement::{Requirement, RequirementKind};

/// Calendar dates are plain proleptic Gregorian days with no time zone.
pub type Date = chrono::NaiveDate;
