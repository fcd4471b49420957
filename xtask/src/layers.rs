//! The layer rule: arrows point inward. Domain crates never reach an adapter (desktop shell,
//! HTTP framework, UI toolkit), directly or through a dependency.

use std::collections::{HashMap, HashSet};

use anyhow::{Context, Result, bail};

use crate::tasks::{cargo, root};

/// Crates that hold domain logic (or, like assay-mlflow, a wire protocol) and no adapter.
const DOMAIN: &[&str] = &[
    "assay-project",
    "assay-data",
    "assay-profile",
    "assay-quality",
    "assay-anomaly",
    "assay-track",
    "assay-mlflow",
    "assay-report",
];

/// Crates no domain crate may depend on, directly or not. (HTTP client plumbing such as hyper
/// comes in through polars' readers and is not an adapter of ours.)
const ADAPTERS: &[&str] = &[
    "tauri",
    "wry",
    "axum",
    "assay-app",
    "assay-server",
    "assay-cli",
    "assay-desktop",
];

/// Fails when a domain crate's dependency closure contains an adapter.
pub fn check() -> Result<()> {
    let out = cargo()
        .args(["metadata", "--format-version", "1"])
        .current_dir(root())
        .output()
        .context("running cargo metadata")?;
    if !out.status.success() {
        bail!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let names: HashMap<&str, &str> = meta["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| Some((p["id"].as_str()?, p["name"].as_str()?)))
        .collect();
    let deps: HashMap<&str, Vec<&str>> = meta["resolve"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| {
            let id = n["id"].as_str()?;
            let d = n["deps"]
                .as_array()?
                .iter()
                .filter(|d| {
                    // build and normal dependencies count; dev-dependencies do not ship
                    d["dep_kinds"]
                        .as_array()
                        .is_some_and(|k| k.iter().any(|k| k["kind"].as_str() != Some("dev")))
                })
                .filter_map(|d| d["pkg"].as_str())
                .collect();
            Some((id, d))
        })
        .collect();
    let mut problems = Vec::new();
    for (id, name) in &names {
        if !DOMAIN.contains(name) {
            continue;
        }
        let mut seen = HashSet::new();
        let mut stack = vec![*id];
        while let Some(cur) = stack.pop() {
            for dep in deps.get(cur).into_iter().flatten() {
                if seen.insert(*dep) {
                    let dep_name = names.get(dep).copied().unwrap_or_default();
                    if ADAPTERS.contains(&dep_name) {
                        problems.push(format!("{name} depends on {dep_name}"));
                    }
                    stack.push(dep);
                }
            }
        }
    }
    if problems.is_empty() {
        println!("layers: ok (domain crates reach no adapter)");
        Ok(())
    } else {
        problems.sort();
        bail!("layer rule broken:\n  {}", problems.join("\n  "))
    }
}
