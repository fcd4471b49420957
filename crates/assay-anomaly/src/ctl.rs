//! Progress and cancellation: the caller's hook sees the overall fraction done; returning
//! `false` cancels, and long loops observe it between chunks.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::AnomalyError;

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
    pub(crate) fn report(&self, done: f64) -> Result<(), AnomalyError> {
        self.check()?;
        if !(self.hook)(self.base + self.span * done.clamp(0.0, 1.0)) {
            self.cancelled.store(true, Ordering::Relaxed);
            return Err(AnomalyError::Cancelled);
        }
        Ok(())
    }

    /// Fails if the caller has cancelled.
    pub(crate) fn check(&self) -> Result<(), AnomalyError> {
        if self.cancelled.load(Ordering::Relaxed) {
            return Err(AnomalyError::Cancelled);
        }
        Ok(())
    }
}

/// Counts finished chunks of parallel work and reports them in order of completion.
pub(crate) struct Ticker<'a> {
    ctl: Ctl<'a>,
    done: std::sync::atomic::AtomicUsize,
    total: usize,
}

impl<'a> Ticker<'a> {
    /// `total` chunks to go.
    pub(crate) fn new(ctl: Ctl<'a>, total: usize) -> Self {
        Ticker {
            ctl,
            done: std::sync::atomic::AtomicUsize::new(0),
            total: total.max(1),
        }
    }

    /// One more chunk done; fails if the caller cancels.
    pub(crate) fn tick(&self) -> Result<(), AnomalyError> {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        self.ctl.report(done as f64 / self.total as f64)
    }

    /// Fails if the caller has cancelled.
    pub(crate) fn check(&self) -> Result<(), AnomalyError> {
        self.ctl.check()
    }
}
