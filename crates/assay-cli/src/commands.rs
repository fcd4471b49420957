//! The subcommands. Each parses its flags, calls the application layer, and prints.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use assay_app::dto::{
    CreateProjectRequest, DatasetLocation, FingerprintRequest, JobInfo, JobRef, NoParams,
    OpenProjectRequest, ProjectInfo,
};
use assay_app::{ApiError, Assay, ErrorCode};
use assay_server::Tokens;
use clap::{Parser, Subcommand};

use crate::jobs::{Counting, outcome, watch};
use crate::output::{self, Format, emit};

/// Assay: profile, check, explore and track data from the command line.
#[derive(Debug, Parser)]
#[command(name = "assay", version, about, propagate_version = true)]
pub struct Cli {
    /// Output style.
    #[arg(long, global = true, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Make a folder an Assay project (or install the demo project into it with --demo).
    Init {
        /// The folder (created if missing).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Project name (default: the folder's name).
        #[arg(long)]
        name: Option<String>,
        /// Install the demo project (penguins, nycflights13) instead of an empty one.
        #[arg(long, conflicts_with = "name")]
        demo: bool,
    },
    /// Show a project: its data sets and connections.
    Info {
        /// The project folder.
        #[arg(long, short, default_value = ".")]
        project: PathBuf,
    },
    /// Hash the project's data files (the cache key of profiles and results).
    Fingerprint {
        /// The project folder.
        #[arg(long, short, default_value = ".")]
        project: PathBuf,
        /// Data sets to hash (default: every local one).
        datasets: Vec<String>,
    },
    /// Profile a data file (CSV, TSV, Parquet, JSON, NDJSON, Arrow): statistics, alerts,
    /// correlations; with --compare, per-column drift against a second file.
    Profile {
        /// The file.
        file: String,
        /// A second file to compare with (drift of FILE2 against FILE).
        #[arg(long, value_name = "FILE2")]
        compare: Option<String>,
        /// Write the report here instead of printing it: standalone HTML for .html, else JSON.
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// Also write every chart as a PNG into this folder.
        #[arg(long, value_name = "DIR")]
        charts: Option<PathBuf>,
    },
    /// Run a quality rule suite (rules/*.yaml) against its data set. Exit 0 when every
    /// error-level rule passes, 1 when one fails, 2 on a bad suite or unreadable data.
    /// --format json|junit|html for pipelines.
    Check {
        /// The suite file.
        suite: PathBuf,
        /// Check this file instead of the data set the suite names.
        #[arg(long, value_name = "PATH")]
        data: Option<String>,
        /// Write the result here instead of printing it.
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
    /// Score rows for anomalies (isolation forest, LOF, kNN, ECOD, ... or the default ensemble);
    /// with --label, print ROC-AUC against that column.
    Detect {
        /// The data file.
        file: String,
        /// Columns to use, comma-separated (default: every numeric and boolean column).
        #[arg(long, value_delimiter = ',')]
        columns: Vec<String>,
        /// ensemble, isolation_forest (iforest), lof, knn, hbos, ecod, copod, pca, mad, iqr, dbscan, gmm.
        #[arg(long, default_value = "ensemble")]
        method: String,
        /// Ground-truth column (1/true = anomaly).
        #[arg(long)]
        label: Option<String>,
        /// Random seed.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Write the scored rows with anomaly_score columns here (.parquet or .csv).
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
    /// Call any API method with JSON parameters, as the UI does; `start_*` methods wait for
    /// their job and print its result.
    Api {
        /// The project folder to open first, if the call needs one.
        #[arg(long, short)]
        project: Option<PathBuf>,
        /// Method name, e.g. current_project.
        method: String,
        /// JSON parameters (default: {}).
        params: Option<String>,
    },
    /// Print a project's audit log: who changed what through `assay serve`.
    Audit {
        /// The project folder.
        #[arg(long, short, default_value = ".")]
        project: PathBuf,
        /// Only entries from this time on: a date (2026-11-26) or an RFC 3339 time.
        #[arg(long)]
        since: Option<String>,
    },
    /// Copy runs and model versions between the project and a remote MLflow server.
    Mlflow {
        #[command(subcommand)]
        command: crate::mlflow::MlflowCommand,
    },
    /// Serve the API and the UI over HTTP.
    Serve {
        /// The project folder to open.
        #[arg(long, short)]
        project: Option<PathBuf>,
        /// Address to listen on. Beyond loopback (e.g. 0.0.0.0:7878) a token is required.
        #[arg(long)]
        addr: Option<SocketAddr>,
        /// Folder of the built UI (default: ASSAY_UI_DIR, ui/dist of the source tree, or ui/ beside the binary).
        #[arg(long)]
        ui: Option<PathBuf>,
        /// File of accepted tokens: one token, or lines `name:token` (the name is the audit
        /// log's "who"). Without it, the ASSAY_TOKEN environment variable. Every request but
        /// /api/health and the UI files then needs `Authorization: Bearer <token>`.
        #[arg(long, value_name = "PATH")]
        token_file: Option<PathBuf>,
    },
}

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> Result<u8, ApiError> {
    let format = cli.format;
    if let Command::Check { suite, data, out } = &cli.command {
        return crate::check::run(format, suite, data.as_deref(), out.as_deref());
    }
    if format.check_only() {
        return Err(ApiError::invalid(
            "--format junit and --format html are for `assay check`; use human or json",
        ));
    }
    other(cli).await.map(|()| 0)
}

async fn other(cli: Cli) -> Result<(), ApiError> {
    let serving = matches!(cli.command, Command::Serve { .. });
    let (assay, config, _guard) = assay_app::bootstrap(|c| {
        if !serving && std::env::var_os("ASSAY_LOG").is_none() {
            c.log_level = "warn".into();
        }
    })?;
    let assay = Arc::new(assay);
    let format = cli.format;
    match cli.command {
        Command::Init { dir, name, demo } => init(&assay, format, dir, name, demo).await,
        Command::Info { project } => {
            let info = open(&assay, project).await?;
            emit(format, &info, print_project);
            Ok(())
        }
        Command::Fingerprint { project, datasets } => {
            open(&assay, project).await?;
            fingerprint(&assay, format, datasets).await
        }
        Command::Profile {
            file,
            compare,
            out,
            charts,
        } => crate::profile::run(
            format,
            &file,
            compare.as_deref(),
            out.as_deref(),
            charts.as_deref(),
        ),
        Command::Check { .. } => Ok(()),
        Command::Audit { project, since } => crate::audit::run(format, &project, since.as_deref()),
        Command::Detect {
            file,
            columns,
            method,
            label,
            seed,
            out,
        } => crate::detect::run(
            format,
            crate::detect::DetectArgs {
                file: &file,
                columns,
                method: &method,
                label,
                seed,
                out: out.as_deref(),
            },
        ),
        Command::Api {
            project,
            method,
            params,
        } => {
            if let Some(p) = project {
                open(&assay, p).await?;
            }
            let params = match params {
                Some(text) => serde_json::from_str(&text).map_err(|e| {
                    ApiError::invalid(format!("parameters are not valid JSON: {e}"))
                })?,
                None => serde_json::Value::Null,
            };
            let mut value = assay.dispatch(&method, params).await?;
            if method.starts_with("start_") {
                value = job_result(&assay, value).await?;
            }
            emit(Format::Json, &value, |_| ());
            Ok(())
        }
        Command::Mlflow { command } => {
            open(&assay, command.project().clone()).await?;
            crate::mlflow::run(&assay, format, command).await
        }
        Command::Serve {
            project,
            addr,
            ui,
            token_file,
        } => {
            let tokens = tokens(token_file.as_deref())?;
            if let Some(p) = project {
                open(&assay, p).await?;
            }
            let addr = match addr {
                Some(a) => a,
                None => config.server_addr.parse().map_err(|e| {
                    ApiError::invalid(format!("server_addr '{}': {e}", config.server_addr))
                })?,
            };
            let options = assay_server::ServeOptions {
                ui_dir: ui.or_else(default_ui_dir),
                tokens,
            };
            serve(assay, addr, options).await
        }
    }
}

async fn open(assay: &Assay, path: PathBuf) -> Result<ProjectInfo, ApiError> {
    assay
        .open_project(OpenProjectRequest {
            path: path.display().to_string(),
        })
        .await
}

async fn init(
    assay: &Assay,
    format: Format,
    dir: PathBuf,
    name: Option<String>,
    demo: bool,
) -> Result<(), ApiError> {
    let info = if demo {
        if dir.join("assay.toml").exists() {
            return Err(ApiError::new(
                ErrorCode::AlreadyAProject,
                format!(
                    "already an Assay project (assay.toml exists): {}",
                    dir.display()
                ),
            ));
        }
        assay_app::install_demo(&dir)?;
        open(assay, dir).await?
    } else {
        assay
            .create_project(CreateProjectRequest {
                path: dir.display().to_string(),
                name,
            })
            .await?
    };
    emit(format, &info, |p| {
        println!("Created project '{}' in {}", p.name, p.path);
        print_datasets(p);
    });
    Ok(())
}

async fn fingerprint(assay: &Assay, format: Format, datasets: Vec<String>) -> Result<(), ApiError> {
    let job = assay
        .start_fingerprint(FingerprintRequest {
            datasets: (!datasets.is_empty()).then_some(datasets),
        })
        .await?;
    let done = watch(assay, format, &job.id, Counting::Bytes).await?;
    finish(format, done)
}

/// Waits for the job a `start_*` method started; its result, or its error.
async fn job_result(
    assay: &Assay,
    started: serde_json::Value,
) -> Result<serde_json::Value, ApiError> {
    let job: JobRef = serde_json::from_value(started)
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("not a job reference: {e}")))?;
    outcome(assay.jobs().wait(&job.id).await?)
}

fn finish(format: Format, job: JobInfo) -> Result<(), ApiError> {
    let result = outcome(job)?;
    emit(format, &result, |r| {
        for fp in r.as_array().into_iter().flatten() {
            println!(
                "{:<24} {:>10}  {}",
                fp["name"].as_str().unwrap_or_default(),
                output::bytes(fp["bytes"].as_u64().unwrap_or_default()),
                fp["hash"].as_str().unwrap_or_default()
            );
        }
    });
    Ok(())
}

/// The tokens of `--token-file`, else of `ASSAY_TOKEN`, else none.
fn tokens(file: Option<&Path>) -> Result<Option<Arc<Tokens>>, ApiError> {
    let parsed = match (file, std::env::var("ASSAY_TOKEN")) {
        (Some(path), _) => {
            warn_if_shared(path);
            Some(Tokens::from_file(path))
        }
        (None, Ok(text)) if !text.trim().is_empty() => Some(Tokens::parse(&text, "ASSAY_TOKEN")),
        _ => None,
    };
    parsed
        .transpose()
        .map(|t| t.map(Arc::new))
        .map_err(|e| ApiError::invalid(e.to_string()))
}

/// Warns when other users of the machine can read the token file.
fn warn_if_shared(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let shared = std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0);
        if shared {
            tracing::warn!(file = %path.display(), "other users can read the token file: chmod 600 it");
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

async fn serve(
    assay: Arc<Assay>,
    addr: SocketAddr,
    options: assay_server::ServeOptions,
) -> Result<(), ApiError> {
    let listener = assay_server::bind(addr, options.tokens.is_some())
        .await
        .map_err(|e| ApiError::new(ErrorCode::InvalidInput, e.to_string()))?;
    let local = listener
        .local_addr()
        .map_err(|e| ApiError::new(ErrorCode::Io, e.to_string()))?;
    match &options.ui_dir {
        Some(dir) => tracing::info!(ui = %dir.display(), "serving the UI"),
        None => tracing::warn!(
            "no built UI found (build it with `npm --prefix ui run build`): serving the API only"
        ),
    }
    match &options.tokens {
        Some(tokens) => tracing::info!(?tokens, "requests need a token"),
        None => tracing::info!("no token: loopback only, requests are not authenticated"),
    }
    if let Ok(Some(p)) = assay.current_project(NoParams {}).await {
        tracing::info!(project = %p.path, "project open");
    }
    // The one line a supervising script waits for.
    println!("Assay {} listening on http://{local}", assay_app::VERSION);
    if options.tokens.is_some() && options.ui_dir.is_some() && std::io::stdout().is_terminal() {
        println!("Sign a browser in with http://{local}/#token=<your token>");
    }
    assay_server::serve(listener, assay, options, shutdown_signal())
        .await
        .map_err(|e| ApiError::new(ErrorCode::Io, e.to_string()))
}

fn default_ui_dir() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("ASSAY_UI_DIR").map(PathBuf::from),
        Some(PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../ui/dist"
        ))),
        std::env::current_exe()
            .ok()
            .and_then(|e| e.parent().map(|d| d.join("ui"))),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|d| d.join("index.html").is_file())
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {},
                _ = term.recv() => {},
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

fn print_project(p: &ProjectInfo) {
    println!("{}  ({})", p.name, p.path);
    if let Some(d) = &p.description {
        println!("{d}");
    }
    print_datasets(p);
    for c in &p.connections {
        println!("connection {:<20} {:<8} {}", c.name, c.kind, c.url);
    }
}

fn print_datasets(p: &ProjectInfo) {
    for d in &p.datasets {
        let size = match d.location {
            DatasetLocation::Local { bytes } => output::bytes(bytes),
            DatasetLocation::Missing => "MISSING".into(),
            DatasetLocation::Remote => "remote".into(),
        };
        println!(
            "  {:<20} {:<8} {:>10}  {}",
            d.name,
            d.format.as_deref().unwrap_or("?"),
            size,
            d.path
        );
    }
}
