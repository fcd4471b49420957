//! `assay`: Assay from the command line and in pipelines. Human or JSON output (`--format`),
//! progress bars on a terminal, and exit codes a pipeline can rely on:
//! 0 success, 1 a check failed, 2 bad usage or input, 3 a runtime failure, 130 cancelled.

mod audit;
mod check;
mod commands;
mod detect;
mod jobs;
mod mlflow;
mod output;
mod profile;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of the system allocator: polars frees and re-faults large buffers on every
/// query, which glibc's malloc hands back to the OS each time (measured: ~1/3 of a rule-suite run).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = commands::Cli::parse();
    let format = cli.format;
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(3);
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(code) => ExitCode::from(code),
        Err(e) => output::fail(format, &e),
    }
}
