//! The Assay desktop shell: one window over the web UI, native menus with shortcuts, the
//! dialog plugin, and a single IPC command that forwards every API call to `assay-app`.
//! Engine events are re-emitted to the window as `assay://event`, menu clicks as `assay://menu`.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::sync::Arc;

use assay_app::{ApiError, Assay};
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::{AppHandle, Emitter, Runtime};

/// mimalloc instead of the system allocator: polars frees and re-faults large buffers on every
/// query, which glibc's malloc hands back to the OS each time (measured: ~1/3 of a rule-suite run).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Every API call from the UI: `invoke('api', { method, params })`.
#[tauri::command]
async fn api(
    assay: tauri::State<'_, Arc<Assay>>,
    method: String,
    params: serde_json::Value,
) -> Result<serde_json::Value, ApiError> {
    assay.dispatch(&method, params).await
}

fn main() -> anyhow::Result<()> {
    let (explicit, demo) = startup_args();
    let (assay, _config, _log_guard) = assay_app::bootstrap(|_| {})?;
    let assay = Arc::new(assay);
    if let Err(e) = tauri::async_runtime::block_on(assay.open_at_startup(explicit, demo)) {
        tracing::warn!(error = %e.message, "no project opened at startup");
    }
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(assay.clone())
        .menu(build_menu)
        .on_menu_event(|app, event| {
            let _ = app.emit("assay://menu", event.id().as_ref());
        })
        .invoke_handler(tauri::generate_handler![api])
        .setup(move |app| {
            forward_events(app.handle().clone(), assay);
            Ok(())
        })
        .run(tauri::generate_context!())?;
    Ok(())
}

/// `assay-desktop [PROJECT_DIR] [--demo]`.
fn startup_args() -> (Option<PathBuf>, bool) {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let demo = args.iter().any(|a| a == "--demo");
    let explicit = args
        .into_iter()
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from);
    (explicit, demo)
}

fn forward_events(app: AppHandle, assay: Arc<Assay>) {
    let mut rx = assay.subscribe();
    tauri::async_runtime::spawn(async move {
        loop {
            match rx.recv().await {
                Ok(event) => {
                    let _ = app.emit("assay://event", event);
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            }
        }
    });
}

fn build_menu<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let item =
        |id: &str, text: &str, accel: &str| MenuItem::with_id(app, id, text, true, Some(accel));
    let file = Submenu::with_items(
        app,
        "File",
        true,
        &[
            &item("new_project", "New Project…", "CmdOrCtrl+N")?,
            &item("open_project", "Open Project…", "CmdOrCtrl+O")?,
            &item("open_demo", "Open Demo Project", "CmdOrCtrl+Shift+D")?,
            &PredefinedMenuItem::separator(app)?,
            &PredefinedMenuItem::quit(app, None)?,
        ],
    )?;
    let view = Submenu::with_items(
        app,
        "View",
        true,
        &[
            &item("toggle_theme", "Toggle Dark Theme", "CmdOrCtrl+Shift+L")?,
            &item("show_jobs", "Jobs", "CmdOrCtrl+Shift+J")?,
            &item("show_logs", "Logs", "CmdOrCtrl+Shift+Y")?,
        ],
    )?;
    let help = Submenu::with_items(
        app,
        "Help",
        true,
        &[&MenuItem::with_id(
            app,
            "about",
            "About Assay",
            true,
            None::<&str>,
        )?],
    )?;
    Menu::with_items(app, &[&file, &view, &help])
}
