//! Dating the set search's best set on a second thread while the search
//! goes on.
//!
//! A plan for a set objective takes two steps: the set search chooses the
//! set, then the scheduler finds the set's earliest schedule. The search
//! often meets its answer early and spends the rest of its time proving
//! that no set is better: on the synthetic catalog's `uni-041`, the answer
//! is known after 4 ms of a 27 ms search, and its dates take 17 ms more.
//! So each better set the search keeps is dated at once on a second thread,
//! and a set bettered before its dates are found is cancelled. When the
//! search's answer is the one set being dated (with tied answers, the
//! first of them, which [`schedule_sets_earliest_after`] dates first), its
//! dates come from there; otherwise (a set the checks turned down, say)
//! they are found after the search, as without this.
//!
//! The dates are the same either way: the second thread runs the same
//! search on the same set ([`schedule_set_sharing_for`]; with ties, its
//! dates serve only if proven within the node limit the first tie gets,
//! and without a reverse search). Only where a time limit cuts the dating short
//! can they differ, as the second thread began sooner. A search that ends
//! within [`date_ahead_after`]'s delay (a millisecond; most do) never
//! starts the thread.
//!
//! When the search ends with a single answer still being dated, the
//! search's thread, free now, joins the dating as its reverse search
//! ([`search_set_in_reverse_for`], [`Tandem`]), which changes how fast the
//! dates come, never what they are.

use std::cell::Cell;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::instance::{BitSet, Instance, ItemId};
use crate::schedule::{
    schedule_set_sharing_for, search_set_in_reverse_for, Limits, Tandem, TimePlan, Unreachable,
};
use crate::select::{NoSelection, Selection};
use crate::stop::{Cancel, StopSignal};

thread_local! {
    /// See [`date_ahead_after`].
    static AFTER: Cell<Option<Duration>> = const { Cell::new(Some(Duration::from_millis(1))) };
    /// See [`dated_ahead`].
    static TAKEN: Cell<u64> = const { Cell::new(0) };
}

/// Plans made on this thread date the set search's best set ahead once the
/// search has run this long (`None`: never). A millisecond by default. For
/// the tests, which compare plans made both ways.
#[doc(hidden)]
pub fn date_ahead_after(after: Option<Duration>) {
    AFTER.set(after);
}

/// How many plans made on this thread took their dates from the second
/// thread. For the tests.
#[doc(hidden)]
pub fn dated_ahead() -> u64 {
    TAKEN.get()
}

/// What the two threads share, for dates of type `T`.
struct Shared<T> {
    slot: Mutex<Slot<T>>,
    changed: Condvar,
}

struct Slot<T> {
    /// The set to date next.
    next: Option<Vec<ItemId>>,
    /// The set being dated, how to cancel it, and what its search shares
    /// with a reverse search.
    current: Option<(Vec<ItemId>, Cancel, Arc<Tandem>)>,
    /// The last set dated to the end, with its dates.
    done: Option<(Vec<ItemId>, T)>,
    /// No more sets will come.
    closed: bool,
}

impl<T> Shared<T> {
    fn new() -> Shared<T> {
        Shared {
            slot: Mutex::new(Slot {
                next: None,
                current: None,
                done: None,
                closed: false,
            }),
            changed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Slot<T>> {
        // A panic on the other thread is raised again when it is joined;
        // the slot is never left half changed.
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn wait<'g>(&self, guard: MutexGuard<'g, Slot<T>>) -> MutexGuard<'g, Slot<T>> {
        self.changed
            .wait(guard)
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// A better set: date it next, cancelling the dates of any other.
    fn offer(&self, set: Vec<ItemId>) {
        let mut slot = self.lock();
        if slot.closed {
            return;
        }
        if let Some((_, cancel, _)) = &slot.current {
            cancel.cancel();
        }
        slot.done = None;
        slot.next = Some(set);
        self.changed.notify_all();
    }

    /// The dates of `set` if it is the set being (or last) dated, waiting
    /// for them; else `None`, with any dating under way cancelled.
    fn take(&self, set: &[ItemId]) -> Option<T> {
        let mut slot = self.lock();
        loop {
            if slot.done.as_ref().is_some_and(|(s, _)| s == set) {
                return slot.done.take().map(|(_, dated)| dated);
            }
            let coming = slot.next.as_deref() == Some(set)
                || slot
                    .current
                    .as_ref()
                    .is_some_and(|(s, cancel, _)| s == set && !cancel.cancelled());
            if !coming {
                if let Some((_, cancel, _)) = &slot.current {
                    cancel.cancel();
                }
                slot.next = None;
                return None;
            }
            slot = self.wait(slot);
        }
    }

    /// What the dating of `set` shares with a reverse search, if `set` is being
    /// dated (waiting for it to begin if it is next).
    fn tandem_of(&self, set: &[ItemId]) -> Option<Arc<Tandem>> {
        let mut slot = self.lock();
        loop {
            if let Some((_, _, tandem)) = slot
                .current
                .as_ref()
                .filter(|(s, cancel, _)| s == set && !cancel.cancelled())
            {
                return Some(Arc::clone(tandem));
            }
            if slot.next.as_deref() != Some(set) {
                return None;
            }
            slot = self.wait(slot);
        }
    }

    /// No more sets: the second thread ends once it is free, cancelling
    /// what it dates.
    fn close(&self) {
        let mut slot = self.lock();
        slot.closed = true;
        slot.next = None;
        if let Some((_, cancel, _)) = &slot.current {
            cancel.cancel();
        }
        self.changed.notify_all();
    }

    /// The second thread: dates each set offered, the latest first, each
    /// under its own cancellable `signal`.
    fn work(&self, signal: &StopSignal, date: impl Fn(&[ItemId], &Tandem) -> T) {
        loop {
            let mut slot = self.lock();
            let set = loop {
                if slot.closed {
                    return;
                }
                if let Some(set) = slot.next.take() {
                    break set;
                }
                slot = self.wait(slot);
            };
            let (own, cancel) = signal.cancellable();
            let tandem = Arc::new(Tandem::new());
            slot.current = Some((set.clone(), cancel.clone(), Arc::clone(&tandem)));
            self.changed.notify_all();
            drop(slot);

            let dated = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let _working = own.enter();
                date(&set, &tandem)
            }));
            let mut slot = self.lock();
            slot.current = None;
            let dated = match dated {
                Ok(dated) => dated,
                Err(panic) => {
                    // The plan must not wait for dates that will never
                    // come: it goes on without them (no set is dated
                    // from now on), and the panic is raised again when
                    // the thread is joined.
                    slot.closed = true;
                    slot.next = None;
                    self.changed.notify_all();
                    drop(slot);
                    std::panic::resume_unwind(panic);
                }
            };
            // Dates cut short by a cancel are not the set's; cut short by
            // `stop_searches`, they are what the plan gets anyway.
            if !cancel.cancelled() {
                slot.done = Some((set, dated));
            }
            self.changed.notify_all();
        }
    }
}

/// Closes a [`Shared`] when dropped.
struct Closing<'s, T>(&'s Shared<T>);

impl<T> Drop for Closing<'_, T> {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// What dating gets of the plan's time limit: what is left of it, a tenth
/// of it at least.
pub(super) fn dating_limits(limits: &Limits, deadline: Option<Instant>) -> Limits {
    Limits {
        time: deadline.map_or(limits.time, |d| {
            d.saturating_duration_since(Instant::now())
                .max(limits.time / 10)
        }),
        ..*limits
    }
}

fn sorted(items: impl IntoIterator<Item = ItemId>) -> Vec<ItemId> {
    let mut v: Vec<ItemId> = items.into_iter().collect();
    v.sort_unstable();
    v
}

/// The set search's answer.
type Answer = Result<Selection, NoSelection>;

/// Runs `search` (the set search, which tells the watch it is given of
/// each better set) while a second thread dates the best set so far.
/// Returns the search's answer and, when the answer is the one set that
/// thread dated, its dates.
pub(super) fn select_dating_ahead(
    inst: &Instance,
    limits: &Limits,
    deadline: Option<Instant>,
    search: impl FnOnce(&mut dyn FnMut(&BitSet)) -> Answer,
) -> (Answer, Option<Result<TimePlan, Unreachable>>) {
    let date = |set: &[ItemId], tandem: &Tandem| {
        schedule_set_sharing_for(inst, set, &dating_limits(limits, deadline), tandem)
    };
    let reverse = |set: &[ItemId], tandem: &Tandem| {
        search_set_in_reverse_for(inst, set, &dating_limits(limits, deadline), tandem);
    };
    let (chosen, dated) = dating_ahead(AFTER.get(), search, date, reverse);
    if dated.is_some() {
        TAKEN.set(TAKEN.get() + 1);
    }
    (chosen, dated)
}

/// [`select_dating_ahead`] with any dating function; no thread before
/// `after` (never with `None`). When the search ends with one answer (no
/// ties, whose first dating must stop at a node limit) that is still being
/// dated, this thread searches it in `reverse` ([`Tandem`]) while it waits.
fn dating_ahead<T: Send>(
    after: Option<Duration>,
    search: impl FnOnce(&mut dyn FnMut(&BitSet)) -> Answer,
    date: impl Fn(&[ItemId], &Tandem) -> T + Sync,
    reverse: impl Fn(&[ItemId], &Tandem),
) -> (Answer, Option<T>) {
    let Some(after) = after else {
        return (search(&mut |_| {}), None);
    };
    let shared = Shared::new();
    let signal = StopSignal::current();
    let began = Instant::now();
    std::thread::scope(|scope| {
        // Whatever happens (a panic too), the second thread is let go
        // before the scope waits for it.
        let _closing = Closing(&shared);
        let mut worker = None;
        let chosen = search(&mut |set: &BitSet| {
            if worker.is_none() {
                if began.elapsed() < after {
                    return;
                }
                worker = Some(scope.spawn(|| shared.work(&signal, &date)));
            }
            shared.offer(sorted(set.ones()));
        });
        let Some(worker) = worker else {
            return (chosen, None);
        };
        let dated = match &chosen {
            // The set dated first: the lightest of the ties, if any.
            Ok(sel) => {
                let first = sorted(sel.ties.first().unwrap_or(&sel.items).iter().copied());
                if sel.ties.len() <= 1 {
                    if let Some(tandem) = shared.tandem_of(&first) {
                        reverse(&first, &tandem);
                    }
                }
                shared.take(&first)
            }
            _ => None,
        };
        shared.close();
        if let Err(panic) = worker.join() {
            std::panic::resume_unwind(panic);
        }
        (chosen, dated)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::select::SelectStats;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A set search that offers `sets` in turn, each time waiting until
    /// the dating of it `started` (if `wait`) and then `pause`, and answers
    /// with `answer` and `ties`.
    fn search_offering<'s>(
        sets: Vec<Vec<ItemId>>,
        wait: Option<&'s AtomicUsize>,
        pause: Duration,
        answer: Vec<ItemId>,
        ties: Vec<Vec<ItemId>>,
    ) -> impl FnOnce(&mut dyn FnMut(&BitSet)) -> Answer + 's {
        move |watch| {
            for (k, s) in sets.iter().enumerate() {
                let mut b = BitSet::with_capacity(16);
                b.extend(s.iter().copied());
                watch(&b);
                let began = Instant::now();
                while wait.is_some_and(|w| w.load(Ordering::Relaxed) <= k)
                    && began.elapsed() < Duration::from_secs(10)
                {
                    std::thread::sleep(Duration::from_micros(100));
                }
                std::thread::sleep(pause);
            }
            Ok(Selection {
                items: answer.clone(),
                currency: None,
                totals: Default::default(),
                optimal: true,
                lower_bound: 0,
                value: 0,
                ties: ties.clone(),
                stats: SelectStats::default(),
            })
        }
    }

    /// Dates a set as its sum, taking `slow` for sets with item 9, unless
    /// cancelled; counts the datings begun and those cancelled.
    fn dating<'c>(
        slow: Duration,
        started: &'c AtomicUsize,
        cancelled: &'c AtomicUsize,
    ) -> impl Fn(&[ItemId], &Tandem) -> Option<usize> + Sync + 'c {
        move |set, _| {
            started.fetch_add(1, Ordering::Relaxed);
            let began = Instant::now();
            while set.contains(&9) && began.elapsed() < slow {
                if StopSignal::current().raised() {
                    cancelled.fetch_add(1, Ordering::Relaxed);
                    return None;
                }
                std::thread::sleep(Duration::from_micros(100));
            }
            Some(set.iter().sum())
        }
    }

    #[test]
    fn the_answer_dated_ahead_is_taken() {
        let (started, cancelled) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let (chosen, dated) = dating_ahead(
            Some(Duration::ZERO),
            search_offering(vec![vec![3, 1]], None, Duration::ZERO, vec![1, 3], vec![]),
            dating(Duration::ZERO, &started, &cancelled),
            |_, _| {},
        );
        assert!(chosen.is_ok());
        assert_eq!(dated, Some(Some(4)));
    }

    #[test]
    fn a_set_bettered_while_dated_is_cancelled_and_never_taken() {
        let (started, cancelled) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let began = Instant::now();
        // The first set would take a minute; the second is the answer.
        let (_, dated) = dating_ahead(
            Some(Duration::ZERO),
            search_offering(
                vec![vec![9, 1], vec![2, 5]],
                Some(&started),
                Duration::ZERO,
                vec![2, 5],
                vec![],
            ),
            dating(Duration::from_secs(60), &started, &cancelled),
            |_, _| {},
        );
        assert_eq!(dated, Some(Some(7)));
        assert_eq!(cancelled.load(Ordering::Relaxed), 1);
        assert!(began.elapsed() < Duration::from_secs(30));
    }

    #[test]
    fn another_answer_cancels_the_dating_and_takes_nothing() {
        let (started, cancelled) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let began = Instant::now();
        // The answer is not the set being dated (which would take a
        // minute): nothing is taken, and the dating stops at once.
        let (_, dated) = dating_ahead(
            Some(Duration::ZERO),
            search_offering(
                vec![vec![9, 1]],
                Some(&started),
                Duration::ZERO,
                vec![1, 2],
                vec![],
            ),
            dating(Duration::from_secs(60), &started, &cancelled),
            |_, _| {},
        );
        assert_eq!(dated, None);
        assert_eq!(cancelled.load(Ordering::Relaxed), 1);
        assert!(began.elapsed() < Duration::from_secs(30));
    }

    #[test]
    fn the_first_of_tied_answers_is_taken_if_it_was_dated() {
        let (started, cancelled) = (AtomicUsize::new(0), AtomicUsize::new(0));
        // The ties are dated in order, so the first one's dates serve.
        let (_, dated) = dating_ahead(
            Some(Duration::ZERO),
            search_offering(
                vec![vec![2, 1]],
                Some(&started),
                Duration::ZERO,
                vec![1, 2],
                vec![vec![1, 2], vec![3, 4]],
            ),
            dating(Duration::ZERO, &started, &cancelled),
            |_, _| {},
        );
        assert_eq!(dated, Some(Some(3)));
        // The answer was dated, but another tie comes first: nothing.
        let (started, cancelled) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let (_, dated) = dating_ahead(
            Some(Duration::ZERO),
            search_offering(
                vec![vec![1, 2]],
                Some(&started),
                Duration::ZERO,
                vec![1, 2],
                vec![vec![3, 4], vec![1, 2]],
            ),
            dating(Duration::ZERO, &started, &cancelled),
            |_, _| {},
        );
        assert_eq!(started.load(Ordering::Relaxed), 1);
        assert_eq!(dated, None);
    }

    #[test]
    fn an_early_search_starts_no_thread() {
        let (started, cancelled) = (AtomicUsize::new(0), AtomicUsize::new(0));
        for after in [Some(Duration::from_secs(60)), None] {
            let (_, dated) = dating_ahead(
                after,
                search_offering(
                    vec![vec![1, 2]],
                    None,
                    Duration::from_millis(5),
                    vec![1, 2],
                    vec![],
                ),
                dating(Duration::ZERO, &started, &cancelled),
                |_, _| {},
            );
            assert_eq!(dated, None);
        }
        assert_eq!(started.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn a_search_that_panics_lets_the_thread_go() {
        let (started, cancelled) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let began = Instant::now();
        let outcome = std::panic::catch_unwind(|| {
            dating_ahead(
                Some(Duration::ZERO),
                |watch: &mut dyn FnMut(&BitSet)| {
                    let mut b = BitSet::with_capacity(16);
                    b.extend([1, 9]);
                    watch(&b);
                    while started.load(Ordering::Relaxed) == 0 {
                        std::thread::sleep(Duration::from_micros(100));
                    }
                    panic!("the search failed");
                },
                dating(Duration::from_secs(60), &started, &cancelled),
                |_, _| {},
            )
        });
        assert!(outcome.is_err());
        assert_eq!(cancelled.load(Ordering::Relaxed), 1);
        assert!(began.elapsed() < Duration::from_secs(30));
    }

    #[test]
    fn a_dating_that_panics_does_not_leave_the_plan_waiting() {
        let began = Instant::now();
        let outcome = std::panic::catch_unwind(|| {
            dating_ahead(
                Some(Duration::ZERO),
                search_offering(
                    vec![vec![1, 2]],
                    None,
                    Duration::from_millis(20),
                    vec![1, 2],
                    vec![],
                ),
                |_: &[ItemId], _: &Tandem| -> Option<usize> { panic!("the dating failed") },
                |_, _| {},
            )
        });
        assert!(outcome.is_err(), "the panic is raised again");
        assert!(began.elapsed() < Duration::from_secs(30));
    }

    #[test]
    fn after_a_dating_panics_no_later_set_is_waited_for() {
        // The second thread dies on the first set; the search then keeps a
        // better set, its answer, which nothing will ever date. (On its own
        // thread, so that waiting forever fails the test.)
        let (sent, outcome) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let planned = std::panic::catch_unwind(|| {
                dating_ahead(
                    Some(Duration::ZERO),
                    // (Long enough for the panic, with its backtrace, to
                    // end the second thread before the better set comes.)
                    search_offering(
                        vec![vec![1, 2], vec![3, 4]],
                        None,
                        Duration::from_millis(500),
                        vec![3, 4],
                        vec![],
                    ),
                    |_: &[ItemId], _: &Tandem| -> Option<usize> { panic!("the dating failed") },
                    |_, _| {},
                )
            });
            let _ = sent.send(planned.is_err());
        });
        let raised = outcome
            .recv_timeout(Duration::from_secs(30))
            .expect("the plan went on");
        assert!(raised, "the panic is raised again");
    }

    #[test]
    fn a_single_answer_offered_last_gets_a_reverse_search() {
        // The answer is offered just before the search ends, so its dating
        // may not have begun: the search's thread waits for it to begin
        // and searches it in reverse, every time.
        for _ in 0..20 {
            let (started, cancelled) = (AtomicUsize::new(0), AtomicUsize::new(0));
            let searched = AtomicUsize::new(0);
            let (_, dated) = dating_ahead(
                Some(Duration::ZERO),
                search_offering(vec![vec![9, 1]], None, Duration::ZERO, vec![1, 9], vec![]),
                dating(Duration::from_millis(20), &started, &cancelled),
                |set, _| {
                    assert_eq!(set, [1, 9]);
                    searched.fetch_add(1, Ordering::Relaxed);
                },
            );
            assert_eq!(dated, Some(Some(10)));
            assert_eq!(searched.load(Ordering::Relaxed), 1);
        }
    }
}
