//! `assay mlflow import|push`: copy runs and model versions between the project and a remote
//! MLflow server (an `mlflow` connection of the project), as jobs with a progress bar.

use std::io::IsTerminal;
use std::path::PathBuf;

use assay_app::dto::{
    AppEvent, JobState, MlflowImportRequest, MlflowPushRequest, MlflowTransferResult,
    MlflowVersionRef,
};
use assay_app::{ApiError, Assay, ErrorCode};
use clap::Subcommand;

use crate::output::{Format, emit};

/// What to copy, and which way.
#[derive(Debug, Subcommand)]
pub enum MlflowCommand {
    /// Copy remote runs (and model versions) into the project; importing again changes nothing.
    Import {
        /// The project folder.
        #[arg(long, short, default_value = ".")]
        project: PathBuf,
        /// The project's MLflow connection.
        #[arg(long)]
        connection: String,
        /// Remote run ids.
        #[arg(long = "run", value_name = "ID")]
        runs: Vec<String>,
        /// Remote model versions as NAME:VERSION (their runs come along).
        #[arg(long = "model", value_name = "NAME:VERSION")]
        models: Vec<String>,
    },
    /// Copy local runs (and model versions) to a remote experiment (created when missing).
    Push {
        /// The project folder.
        #[arg(long, short, default_value = ".")]
        project: PathBuf,
        /// The project's MLflow connection.
        #[arg(long)]
        connection: String,
        /// Local run ids.
        #[arg(long = "run", value_name = "ID")]
        runs: Vec<String>,
        /// Local model versions as NAME:VERSION (their runs are pushed too).
        #[arg(long = "model", value_name = "NAME:VERSION")]
        models: Vec<String>,
        /// The remote experiment's name.
        #[arg(long)]
        experiment: String,
    },
}

impl MlflowCommand {
    /// The project folder to open.
    pub fn project(&self) -> &PathBuf {
        match self {
            Self::Import { project, .. } | Self::Push { project, .. } => project,
        }
    }
}

fn versions(specs: &[String]) -> Result<Vec<MlflowVersionRef>, ApiError> {
    specs
        .iter()
        .map(|s| {
            s.rsplit_once(':')
                .filter(|(n, v)| !n.is_empty() && !v.is_empty())
                .map(|(n, v)| MlflowVersionRef {
                    name: n.to_string(),
                    version: v.to_string(),
                })
                .ok_or_else(|| ApiError::invalid(format!("--model '{s}': write NAME:VERSION")))
        })
        .collect()
}

/// Runs the command in the open project.
pub async fn run(assay: &Assay, format: Format, command: MlflowCommand) -> Result<(), ApiError> {
    let job = match command {
        MlflowCommand::Import {
            connection,
            runs,
            models,
            ..
        } => {
            assay
                .start_mlflow_import(MlflowImportRequest {
                    connection,
                    run_ids: runs,
                    model_versions: versions(&models)?,
                })
                .await?
        }
        MlflowCommand::Push {
            connection,
            runs,
            models,
            experiment,
            ..
        } => {
            assay
                .start_mlflow_push(MlflowPushRequest {
                    connection,
                    run_ids: runs,
                    experiment,
                    model_versions: versions(&models)?,
                })
                .await?
        }
    };
    let result = wait(assay, format, &job.id).await?;
    let result: MlflowTransferResult = serde_json::from_value(result)
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    emit(format, &result, print);
    Ok(())
}

/// Waits for a job, drawing its progress on a terminal; Ctrl-C cancels it.
async fn wait(assay: &Assay, format: Format, id: &str) -> Result<serde_json::Value, ApiError> {
    let mut events = assay.subscribe();
    let bar = (format == Format::Human && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg:40} [{bar:32}] {pos}/{len}")
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
            done = &mut waiter => break done?,
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
    match done.state {
        JobState::Succeeded { result } => Ok(result),
        JobState::Failed { error } => Err(error),
        JobState::Cancelled => Err(ApiError::cancelled()),
        JobState::Running { .. } => Err(ApiError::new(ErrorCode::Internal, "job still running")),
    }
}

fn print(r: &MlflowTransferResult) {
    for run in &r.runs {
        let note = if run.already_there {
            "  (already there)"
        } else {
            ""
        };
        println!(
            "run {} -> {}  [{}]{note}",
            run.from_run_id, run.to_run_id, run.experiment
        );
    }
    for v in &r.model_versions {
        let note = if v.already_there {
            "  (already there)"
        } else {
            ""
        };
        println!(
            "model {} version {} -> version {}{note}",
            v.name, v.from_version, v.to_version
        );
    }
    println!("MLflow server: {}", r.url);
}
