//! Stackpath's speed benchmarks.
//!
//! - [`ucsd`] converts the UC San Diego course catalog into a pathway file
//!   with program-like degree targets, at benchmark time (the data is never
//!   committed).
//! - [`process`] runs a whole process and measures its wall and CPU time.
//! - [`timing`] holds the small statistics the harness prints: medians and
//!   percentiles of repeated runs.
//!
//! The harness itself is the `stackpath-bench` binary; `bench/ucsd.sh` at the
//! repository root builds everything, converts, installs the CP-SAT peer and
//! runs it. This crate is not a dependency of anything else.

pub mod process;
pub mod timing;
pub mod ucsd;
