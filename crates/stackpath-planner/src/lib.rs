//! Audits and plans over a catalog: what a learner already has toward a
//! target, and the shortest remaining path to it, proven optimal.
//!
//! **Architecture invariant:** like the model, this crate does no IO.

#[cfg(test)]
mod fixtures;
pub mod audit;
pub mod instance;
pub mod schedule;

pub use audit::{audit, Audit, AuditKind, AuditNode, Counted, Progress};
pub use instance::{
    Assignment, AtomId, BitSet, Closure, Exclusion, HeldVia, HoldingStatus, Instance, Item, ItemId,
    Propagator, Readiness, ReqId, StartRule,
};
