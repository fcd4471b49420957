//! Progress and cancellation: the caller's hook sees the overall fraction done; returning
//! `false` cancels, and long loops (optimiser iterations, trees, k-means starts) observe it.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::error::{LearnError, Result};

/// The caller's progress hook: receives the fraction done (0..1), returns `false` to cancel.
/// It may be called from worker threads.
pub type ProgressHook<'a> = &'a (dyn Fn(f64) -> bool + Sync);

/// A hook that never cancels.
pub fn no_progress(_: f64) -> bool {
    true
}

/// A stage of the work: maps a stage-local fraction onto the overall range `base..base+span`.
#[derive(Clone, Copy)]
pub(crate) struct Ctl<'a> {
    hook: ProgressHook<'a>,
    cancelled: &'a AtomicBool,
    base: f64,
    span: f64,
}

impl<'a> Ctl<'a> {
    /// The whole run.
    pub(crate) fn new(hook: ProgressHook<'a>, cancelled: &'a AtomicBool) -> Self {
        Ctl {
            hook,
            cancelled,
            base: 0.0,
            span: 1.0,
        }
    }

    /// The part `from..to` (fractions of this stage) as a stage of its own.
    pub(crate) fn part(&self, from: f64, to: f64) -> Ctl<'a> {
        Ctl {
            base: self.base + self.span * from,
            span: self.span * (to - from),
            ..*self
        }
    }

    /// Reports `done` of this stage; fails if the caller cancels (now or before).
    pub(crate) fn report(&self, done: f64) -> Result<()> {
        self.check()?;
        if !(self.hook)(self.base + self.span * done.clamp(0.0, 1.0)) {
            self.cancelled.store(true, Ordering::Relaxed);
            return Err(LearnError::Cancelled);
        }
        Ok(())
    }

    /// Fails if the caller has cancelled.
    pub(crate) fn check(&self) -> Result<()> {
        if self.cancelled.load(Ordering::Relaxed) {
            return Err(LearnError::Cancelled);
        }
        Ok(())
    }
}

/// Counts finished pieces of parallel work and reports them in order of completion.
pub(crate) struct Ticker<'a> {
    ctl: Ctl<'a>,
    done: AtomicUsize,
    total: usize,
}

impl<'a> Ticker<'a> {
    /// `total` pieces to go.
    pub(crate) fn new(ctl: Ctl<'a>, total: usize) -> Self {
        Ticker {
            ctl,
            done: AtomicUsize::new(0),
            total: total.max(1),
        }
    }

    /// One more piece done; fails if the caller cancels.
    pub(crate) fn tick(&self) -> Result<()> {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        self.ctl.report(done as f64 / self.total as f64)
    }

    /// The stage, for checks inside a piece.
    pub(crate) fn ctl(&self) -> &Ctl<'a> {
        &self.ctl
    }
}
