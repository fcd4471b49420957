//! Waiting for a job from the command line: a progress bar on a terminal, Ctrl-C cancels, and
//! the job's outcome as a result or an error.

use std::io::IsTerminal;

use assay_app::dto::{AppEvent, JobInfo, JobState};
use assay_app::{ApiError, Assay, ErrorCode};

use crate::output::Format;

/// How the progress bar counts: bytes (`{bytes}/{total_bytes}`) or items (`{pos}/{len}`).
pub(crate) enum Counting {
    Bytes,
    Items,
}

/// Waits for job `id` to end, drawing its progress when the output is a terminal.
pub(crate) async fn watch(
    assay: &Assay,
    format: Format,
    id: &str,
    counting: Counting,
) -> Result<JobInfo, ApiError> {
    let mut events = assay.subscribe();
    let template = match counting {
        Counting::Bytes => "{msg:24} [{bar:32}] {bytes}/{total_bytes}",
        Counting::Items => "{msg:40} [{bar:32}] {pos}/{len}",
    };
    let bar = (format == Format::Human && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(template)
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let cancel = {
        let jobs = assay.jobs().clone();
        let id = id.to_string();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                let _ = jobs.cancel(&id);
            }
        })
    };
    let waiter = assay.jobs().wait(id);
    tokio::pin!(waiter);
    let done = loop {
        tokio::select! {
            done = &mut waiter => break done,
            Ok(AppEvent::Job { job: info }) = events.recv() => {
                if let (Some(bar), JobState::Running { progress }) = (&bar, &info.state)
                    && info.id == id
                {
                    bar.set_length(progress.total.unwrap_or(0.0) as u64);
                    bar.set_position(progress.done as u64);
                    bar.set_message(progress.message.clone());
                }
            }
        }
    };
    cancel.abort();
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    done
}

/// A finished job's result, or its error.
pub(crate) fn outcome(job: JobInfo) -> Result<serde_json::Value, ApiError> {
    match job.state {
        JobState::Succeeded { result } => Ok(result),
        JobState::Failed { error } => Err(error),
        JobState::Cancelled => Err(ApiError::cancelled()),
        JobState::Running { .. } => Err(ApiError::new(ErrorCode::Internal, "job still running")),
    }
}
