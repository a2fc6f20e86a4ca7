//! Audits and plans over a catalog: what a learner already has toward a
//! target, and the shortest remaining path to it, proven optimal.
//!
//! **Architecture invariant:** like the model, this crate does no IO.
