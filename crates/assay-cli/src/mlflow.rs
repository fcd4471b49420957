//! `assay mlflow import|push`: copy runs and model versions between the project and a remote
//! MLflow server (an `mlflow` connection of the project), as jobs with a progress bar.

use std::path::PathBuf;

use assay_app::dto::{
    MlflowImportRequest, MlflowPushRequest, MlflowTransferResult, MlflowVersionRef,
};
use assay_app::{ApiError, Assay, ErrorCode};
use clap::Subcommand;

use crate::jobs::{Counting, outcome, watch};
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
    let result = outcome(watch(assay, format, &job.id, Counting::Items).await?)?;
    let result: MlflowTransferResult = serde_json::from_value(result)
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    emit(format, &result, print);
    Ok(())
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
