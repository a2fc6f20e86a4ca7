//! Stopping the searches under way: a window that asked for a long search
//! and then changed its mind (an edit, a Stop button) must not leave a
//! thread searching for the rest of the limit beside the next plan.
//!
//! [`stop_searches`] makes every search running in the process stop as if
//! its time limit had passed: each returns its best plan found, unproven
//! (or says none was found in time). A search belongs to the stop epoch
//! current when [`plan`](crate::plan::plan) began (or when it was made, for
//! a search called directly), so the later phases of a stopped plan stop at
//! once too, and plans begun afterwards are not affected.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

/// How many times [`stop_searches`] was called.
static EPOCH: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// The epoch of the plan this thread is working for, if any.
    static WORKING_FOR: Cell<Option<u64>> = const { Cell::new(None) };
}

/// Stops every search running in this process as if its time limit had
/// passed. Searches begun afterwards run as usual.
pub fn stop_searches() {
    EPOCH.fetch_add(1, Ordering::Relaxed);
}

/// Whether the searches of one plan were asked to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StopSignal(u64);

impl StopSignal {
    /// The signal of the plan this thread works for, or a fresh one.
    pub fn current() -> StopSignal {
        StopSignal(
            WORKING_FOR
                .with(Cell::get)
                .unwrap_or_else(|| EPOCH.load(Ordering::Relaxed)),
        )
    }

    /// Has [`stop_searches`] been called since this signal was taken?
    pub fn raised(self) -> bool {
        EPOCH.load(Ordering::Relaxed) != self.0
    }

    /// Makes this thread work for `self` until the guard is dropped: every
    /// search it makes meanwhile stops with it.
    pub fn enter(self) -> Working {
        Working(WORKING_FOR.with(|w| w.replace(Some(self.0))))
    }
}

/// The guard of [`StopSignal::enter`]: restores what the thread worked for.
#[must_use]
#[derive(Debug)]
pub struct Working(Option<u64>);

impl Drop for Working {
    fn drop(&mut self) {
        WORKING_FOR.with(|w| w.set(self.0));
    }
}
