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

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

/// How many times [`stop_searches`] was called.
static EPOCH: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// The signal of the plan this thread is working for, if any.
    static WORKING_FOR: RefCell<Option<StopSignal>> = const { RefCell::new(None) };
}

/// Stops every search running in this process as if its time limit had
/// passed. Searches begun afterwards run as usual.
pub fn stop_searches() {
    EPOCH.fetch_add(1, Ordering::Relaxed);
}

/// Whether the searches of one plan were asked to stop: by
/// [`stop_searches`], or, for a piece of work the plan may no longer want
/// (dating a set the set search has since bettered), by its own
/// [`Cancel`].
#[derive(Debug, Clone)]
pub struct StopSignal {
    epoch: u64,
    cancel: Option<Arc<AtomicBool>>,
}

impl StopSignal {
    /// The signal of the plan this thread works for, or a fresh one.
    pub fn current() -> StopSignal {
        WORKING_FOR
            .with(|w| w.borrow().clone())
            .unwrap_or_else(|| StopSignal {
                epoch: EPOCH.load(Ordering::Relaxed),
                cancel: None,
            })
    }

    /// Has [`stop_searches`] been called since this signal was taken, or
    /// its work been cancelled?
    pub fn raised(&self) -> bool {
        EPOCH.load(Ordering::Relaxed) != self.epoch
            || self
                .cancel
                .as_ref()
                .is_some_and(|c| c.load(Ordering::Relaxed))
    }

    /// A signal raised with this one's [`stop_searches`] and also by the
    /// returned [`Cancel`] (not by this one's own cancel, if it has one).
    pub fn cancellable(&self) -> (StopSignal, Cancel) {
        let flag = Arc::new(AtomicBool::new(false));
        let signal = StopSignal {
            epoch: self.epoch,
            cancel: Some(flag.clone()),
        };
        (signal, Cancel(flag))
    }

    /// Makes this thread work for `self` until the guard is dropped: every
    /// search it makes meanwhile stops with it.
    pub fn enter(&self) -> Working {
        Working(WORKING_FOR.with(|w| w.replace(Some(self.clone()))))
    }
}

/// Cancels the work of one [`StopSignal::cancellable`] signal.
#[derive(Debug, Clone)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// The searches under the signal stop as if their time limit had passed.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Was [`Self::cancel`] called?
    pub fn cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// The guard of [`StopSignal::enter`]: restores what the thread worked for.
#[must_use]
#[derive(Debug)]
pub struct Working(Option<StopSignal>);

impl Drop for Working {
    fn drop(&mut self) {
        let previous = self.0.take();
        WORKING_FOR.with(|w| *w.borrow_mut() = previous);
    }
}
