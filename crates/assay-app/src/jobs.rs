//! Long work as jobs: each runs on its own thread, reports progress as events, can be
//! cancelled cooperatively, and ends in exactly one final state.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use crate::dto::{AppEvent, JobInfo, JobState, Progress};
use crate::{ApiError, ErrorCode, EventBus};

/// What a job's body gets: progress reporting and the cancellation flag.
#[derive(Debug, Clone)]
pub struct JobContext {
    id: String,
    cancel: CancellationToken,
    jobs: JobRegistry,
}

impl JobContext {
    /// Reports progress (throttling is the UI's business; call it at natural chunk boundaries).
    pub fn progress(&self, progress: Progress) {
        self.jobs
            .update(&self.id, JobState::Running { progress }, false);
    }

    /// Whether the user asked the job to stop.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }

    /// Returns `Err(cancelled)` once the user asked the job to stop: call it between chunks.
    pub fn check_cancelled(&self) -> Result<(), ApiError> {
        if self.is_cancelled() {
            Err(ApiError::cancelled())
        } else {
            Ok(())
        }
    }

    /// The job's id.
    pub fn id(&self) -> &str {
        &self.id
    }
}

struct Entry {
    info: watch::Sender<JobInfo>,
    cancel: CancellationToken,
}

/// Called with every job state change, e.g. to record jobs in the project store.
pub type JobObserver = Arc<dyn Fn(&JobInfo) + Send + Sync>;

/// All jobs of this process.
#[derive(Clone)]
pub struct JobRegistry {
    entries: Arc<Mutex<HashMap<String, Entry>>>,
    events: EventBus,
}

impl std::fmt::Debug for JobRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobRegistry").finish_non_exhaustive()
    }
}

impl JobRegistry {
    /// An empty registry publishing to `events`.
    pub fn new(events: EventBus) -> Self {
        Self {
            entries: Arc::default(),
            events,
        }
    }

    /// Starts `body` on a new thread; its `Ok` value becomes the job's result. `observer` sees
    /// the first and the final state.
    pub fn spawn<T, F>(
        &self,
        kind: &str,
        title: &str,
        observer: Option<JobObserver>,
        body: F,
    ) -> JobInfo
    where
        T: serde::Serialize,
        F: FnOnce(&JobContext) -> Result<T, ApiError> + Send + 'static,
    {
        let id = uuid::Uuid::new_v4().to_string();
        let info = JobInfo {
            id: id.clone(),
            kind: kind.to_string(),
            title: title.to_string(),
            started_at: Utc::now(),
            finished_at: None,
            state: JobState::Running {
                progress: Progress::default(),
            },
        };
        let cancel = CancellationToken::new();
        self.lock().insert(
            id.clone(),
            Entry {
                info: watch::channel(info.clone()).0,
                cancel: cancel.clone(),
            },
        );
        if let Some(o) = &observer {
            o(&info);
        }
        self.events.publish(AppEvent::Job { job: info.clone() });
        let ctx = JobContext {
            id: id.clone(),
            cancel,
            jobs: self.clone(),
        };
        let span = tracing::info_span!("job", id = %id, kind);
        std::thread::spawn(move || {
            let _guard = span.enter();
            tracing::info!("job started");
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| body(&ctx)));
            let state = final_state(outcome, ctx.is_cancelled());
            match &state {
                JobState::Failed { error } => tracing::warn!(error = %error.message, "job failed"),
                s => tracing::info!(state = s.name(), "job ended"),
            }
            ctx.jobs.finish(&ctx.id, state, observer.as_ref());
        });
        info
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn update(&self, id: &str, state: JobState, finished: bool) -> Option<JobInfo> {
        self.transition(id, state, finished, None)
    }

    /// Ends a job. The observer records the final state before anyone can see it, so a
    /// client that saw `succeeded` finds it in the store too.
    fn finish(&self, id: &str, state: JobState, observer: Option<&JobObserver>) {
        self.transition(id, state, true, observer);
    }

    fn transition(
        &self,
        id: &str,
        state: JobState,
        finished: bool,
        observer: Option<&JobObserver>,
    ) -> Option<JobInfo> {
        let info = {
            let entries = self.lock();
            let entry = entries.get(id)?;
            let mut next = entry.info.borrow().clone();
            if next.state.is_final() {
                return None;
            }
            next.state = state;
            if finished {
                next.finished_at = Some(Utc::now());
            }
            if let Some(o) = observer {
                o(&next);
            }
            // The event goes out before waiters wake, so whoever saw the new state can
            // also find its event.
            self.events.publish(AppEvent::Job { job: next.clone() });
            entry.info.send_replace(next.clone());
            next
        };
        Some(info)
    }

    /// One job.
    pub fn get(&self, id: &str) -> Result<JobInfo, ApiError> {
        self.lock()
            .get(id)
            .map(|e| e.info.borrow().clone())
            .ok_or_else(|| unknown_job(id))
    }

    /// All jobs, newest first.
    pub fn list(&self) -> Vec<JobInfo> {
        let mut all: Vec<_> = self
            .lock()
            .values()
            .map(|e| e.info.borrow().clone())
            .collect();
        all.sort_by_key(|j| std::cmp::Reverse(j.started_at));
        all
    }

    /// Asks a running job to stop; it ends as `cancelled` at its next check.
    pub fn cancel(&self, id: &str) -> Result<JobInfo, ApiError> {
        let entries = self.lock();
        let entry = entries.get(id).ok_or_else(|| unknown_job(id))?;
        entry.cancel.cancel();
        tracing::info!(job = id, "cancel requested");
        Ok(entry.info.borrow().clone())
    }

    /// Waits until the job ends and returns its final info.
    pub async fn wait(&self, id: &str) -> Result<JobInfo, ApiError> {
        let mut rx = self
            .lock()
            .get(id)
            .map(|e| e.info.subscribe())
            .ok_or_else(|| unknown_job(id))?;
        let info = rx
            .wait_for(|i| i.state.is_final())
            .await
            .map_err(|_| ApiError::new(ErrorCode::Internal, "job vanished"))?;
        Ok(info.clone())
    }
}

fn final_state<T: serde::Serialize>(
    outcome: std::thread::Result<Result<T, ApiError>>,
    cancelled: bool,
) -> JobState {
    match outcome {
        Ok(Ok(value)) => match serde_json::to_value(value) {
            Ok(result) => JobState::Succeeded { result },
            Err(e) => JobState::Failed {
                error: ApiError::new(ErrorCode::Internal, e.to_string()),
            },
        },
        Ok(Err(e)) if cancelled || e.code == ErrorCode::Cancelled => JobState::Cancelled,
        Ok(Err(error)) => JobState::Failed { error },
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            JobState::Failed {
                error: ApiError::new(ErrorCode::Internal, format!("internal error: {what}")),
            }
        }
    }
}

fn unknown_job(id: &str) -> ApiError {
    ApiError::new(ErrorCode::NotFound, format!("no job with id '{id}'"))
        .with_details(serde_json::json!({ "job": id }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn job_reports_progress_and_succeeds() {
        let bus = EventBus::new();
        let mut rx = bus.subscribe();
        let jobs = JobRegistry::new(bus);
        let info = jobs.spawn("count", "Count", None, |ctx| {
            for i in 0..3 {
                ctx.progress(Progress {
                    done: f64::from(i + 1),
                    total: Some(3.0),
                    unit: "steps".into(),
                    message: String::new(),
                });
            }
            Ok(42)
        });
        let done = jobs.wait(&info.id).await.expect("wait");
        assert_eq!(
            done.state,
            JobState::Succeeded {
                result: serde_json::json!(42)
            }
        );
        assert!(done.finished_at.is_some());
        let mut seen = Vec::new();
        while let Ok(AppEvent::Job { job }) = rx.try_recv() {
            seen.push(job.state);
        }
        assert_eq!(seen.len(), 5, "start, 3 progress, end: {seen:?}");
    }

    #[tokio::test]
    async fn cancel_stops_a_job_at_its_next_check() {
        let jobs = JobRegistry::new(EventBus::new());
        let info = jobs.spawn("spin", "Spin", None, |ctx| -> Result<(), ApiError> {
            loop {
                ctx.check_cancelled()?;
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        });
        jobs.cancel(&info.id).expect("cancel");
        assert_eq!(
            jobs.wait(&info.id).await.expect("wait").state,
            JobState::Cancelled
        );
        assert!(jobs.cancel("nope").is_err());
    }

    #[tokio::test]
    async fn failures_and_panics_become_failed_states() {
        let jobs = JobRegistry::new(EventBus::new());
        let bad = jobs.spawn("bad", "Bad", None, |_| -> Result<(), ApiError> {
            Err(ApiError::invalid("column 'x' not found"))
        });
        let boom = jobs.spawn("boom", "Boom", None, |_| -> Result<(), ApiError> {
            panic!("index out of range")
        });
        match jobs.wait(&bad.id).await.expect("wait").state {
            JobState::Failed { error } => assert_eq!(error.message, "column 'x' not found"),
            s => panic!("unexpected {s:?}"),
        }
        match jobs.wait(&boom.id).await.expect("wait").state {
            JobState::Failed { error } => assert!(error.message.contains("index out of range")),
            s => panic!("unexpected {s:?}"),
        }
    }
}
