//! Audits and plans over a catalog: what a learner already has toward a
//! target, and the shortest remaining path to it, proven optimal.
//!
//! **Architecture invariant:** like the model, this crate does no IO.

pub mod audit;
#[cfg(test)]
mod fixtures;
pub mod instance;
pub mod plan;
pub mod schedule;
pub mod select;
pub mod stop;

pub use audit::{audit, Audit, AuditKind, AuditNode, Counted, Progress};
pub use instance::{
    Assignment, AtomId, BestAssignment, BitSet, Closure, Exclusion, HeldVia, HoldingStatus,
    Instance, Item, ItemId, NodeView, Propagator, Readiness, ReqId, StartRule, Tree,
};
pub use plan::{
    alternatives, plan, plan_with_alternatives, Objective, PlanOutcome, PlanRequest, PlanStep,
    PlanTotals, Reason, Unreachable, DEFAULT_HOURS_PER_WEEK,
};
pub use stop::stop_searches;
