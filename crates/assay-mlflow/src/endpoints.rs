//! The endpoint table: each MLflow endpoint parses its request, calls the store and shapes the
//! response as MLflow's client reads it.

use assay_track::*;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::error::{ErrorCode, MlflowError};
use crate::requests as rq;
use crate::{Method, artifact_path};

type Answer = Result<Value, MlflowError>;

/// Answers one MLflow REST call. `path` is what follows `/api/2.0/mlflow/` (a `preview/`
/// prefix of older clients is accepted); `params` is the JSON body or the query as JSON.
pub fn call(store: &TrackStore, method: Method, path: &str, params: Value) -> Answer {
    let path = path.trim_matches('/');
    let path = path.strip_prefix("preview/mlflow/").unwrap_or(path);
    let parts: Vec<&str> = path.split('/').collect();
    let params = match params {
        Value::Null => json!({}),
        p => p,
    };
    use Method::*;
    match (method, parts.as_slice()) {
        (Post, ["experiments", "create"]) => create_experiment(store, parse(params)?),
        (Get, ["experiments", "get"]) => {
            let r: rq::ExperimentRef = parse(params)?;
            Ok(json!({ "experiment": store.get_experiment(&r.experiment_id)? }))
        }
        (Get, ["experiments", "get-by-name"]) => {
            let r: rq::ExperimentByName = parse(params)?;
            Ok(json!({ "experiment": store.get_experiment_by_name(&r.experiment_name)? }))
        }
        (Get | Post, ["experiments", "search"]) => search_experiments(store, parse(params)?),
        (Post, ["experiments", "update"]) => {
            let r: rq::UpdateExperiment = parse(params)?;
            if let Some(name) = r.new_name.as_deref().filter(|n| !n.is_empty()) {
                store.rename_experiment(&r.experiment_id, name)?;
            }
            Ok(json!({}))
        }
        (Post, ["experiments", "delete"]) => {
            experiment_stage(store, params, LifecycleStage::Deleted)
        }
        (Post, ["experiments", "restore"]) => {
            experiment_stage(store, params, LifecycleStage::Active)
        }
        (Post, ["experiments", "set-experiment-tag"]) => {
            let r: rq::ExperimentTag = parse(params)?;
            store.set_experiment_tag(&r.experiment_id, &r.key, Some(&r.value))?;
            Ok(json!({}))
        }
        (Post, ["experiments", "delete-experiment-tag"]) => {
            let r: rq::ExperimentTag = parse(params)?;
            store.set_experiment_tag(&r.experiment_id, &r.key, None)?;
            Ok(json!({}))
        }
        (Post, ["runs", "create"]) => create_run(store, parse(params)?),
        (Get, ["runs", "get"]) => {
            let r: rq::RunRef = parse(params)?;
            Ok(json!({ "run": run_json(store.get_run(r.id()?)?) }))
        }
        (Post, ["runs", "update"]) => {
            let r: rq::UpdateRun = parse(params)?;
            let info =
                store.update_run(r.run.id()?, r.status, r.end_time, r.run_name.as_deref())?;
            Ok(json!({ "run_info": info_json(info) }))
        }
        (Post, ["runs", "delete"]) => run_stage(store, params, LifecycleStage::Deleted),
        (Post, ["runs", "restore"]) => run_stage(store, params, LifecycleStage::Active),
        (Post, ["runs", "log-metric"]) => {
            let r: rq::LogMetric = parse(params)?;
            let batch = LogBatch {
                metrics: vec![r.metric],
                ..Default::default()
            };
            log(store, r.run.id()?, batch)
        }
        (Post, ["runs", "log-parameter"]) => {
            let r: rq::RunKeyValue = parse(params)?;
            let batch = LogBatch {
                params: vec![KeyValue::new(r.key, r.value)],
                ..Default::default()
            };
            log(store, r.run.id()?, batch)
        }
        (Post, ["runs", "set-tag"]) => {
            let r: rq::RunKeyValue = parse(params)?;
            let batch = LogBatch {
                tags: vec![KeyValue::new(r.key, r.value)],
                ..Default::default()
            };
            log(store, r.run.id()?, batch)
        }
        (Post, ["runs", "delete-tag"]) => {
            let r: rq::RunKey = parse(params)?;
            store.delete_run_tag(r.run.id()?, &r.key)?;
            Ok(json!({}))
        }
        (Post, ["runs", "log-batch"]) => {
            let r: rq::LogBatch = parse(params)?;
            let batch = LogBatch {
                metrics: r.metrics,
                params: r.params,
                tags: r.tags,
            };
            log(store, r.run.id()?, batch)
        }
        (Post, ["runs", "log-inputs"]) => {
            let r: rq::LogInputs = parse(params)?;
            store.log_inputs(r.run.id()?, &r.datasets, &r.models)?;
            Ok(json!({}))
        }
        (Post, ["runs", "outputs"]) => {
            let r: rq::LogOutputs = parse(params)?;
            store.log_outputs(r.run.id()?, &r.models)?;
            Ok(json!({}))
        }
        (Post, ["runs", "log-model"]) => Ok(json!({})),
        (Get | Post, ["runs", "search"]) => search_runs(store, parse(params)?),
        (Get, ["metrics", "get-history"]) => {
            let r: rq::MetricHistory = parse(params)?;
            let page = store.metric_history(
                r.run.id()?,
                &r.metric_key,
                r.max_results,
                r.page_token.as_deref(),
            )?;
            Ok(page_json("metrics", page))
        }
        (Get, ["artifacts", "list"]) => list_run_artifacts(store, parse(params)?),
        (Post, ["registered-models", "create"]) => {
            let r: rq::CreateRegisteredModel = parse(params)?;
            let m = store.create_registered_model(&r.name, &r.tags, r.description.as_deref())?;
            Ok(json!({ "registered_model": m }))
        }
        (Get, ["registered-models", "get"]) => {
            let r: rq::ModelName = parse(params)?;
            Ok(json!({ "registered_model": store.get_registered_model(&r.name)? }))
        }
        (Post, ["registered-models", "rename"]) => {
            let r: rq::RenameRegisteredModel = parse(params)?;
            Ok(json!({ "registered_model": store.rename_registered_model(&r.name, &r.new_name)? }))
        }
        (Patch, ["registered-models", "update"]) => {
            let r: rq::Describe = parse(params)?;
            Ok(
                json!({ "registered_model": store.update_registered_model(&r.name, &r.description)? }),
            )
        }
        (Delete, ["registered-models", "delete"]) => {
            let r: rq::ModelName = parse(params)?;
            store.delete_registered_model(&r.name)?;
            Ok(json!({}))
        }
        (Get | Post, ["registered-models", "search"]) => {
            let r: rq::SearchModels = parse(params)?;
            Ok(page_json(
                "registered_models",
                store.search_registered_models(&model_search(r))?,
            ))
        }
        (Get | Post, ["registered-models", "get-latest-versions"]) => {
            let r: rq::LatestVersions = parse(params)?;
            Ok(json!({ "model_versions": store.get_latest_versions(&r.name, &r.stages)? }))
        }
        (Post, ["registered-models", "set-tag"]) => {
            let r: rq::ModelTag = parse(params)?;
            store.set_registered_model_tag(&r.name, &r.key, Some(&r.value))?;
            Ok(json!({}))
        }
        (Delete, ["registered-models", "delete-tag"]) => {
            let r: rq::ModelTag = parse(params)?;
            store.set_registered_model_tag(&r.name, &r.key, None)?;
            Ok(json!({}))
        }
        (Post, ["registered-models", "alias"]) => {
            let r: rq::Alias = parse(params)?;
            let version = r.version.ok_or_else(|| {
                MlflowError::invalid("Missing value for required parameter 'version'.")
            })?;
            store.set_model_alias(&r.name, &r.alias, &version)?;
            Ok(json!({}))
        }
        (Delete, ["registered-models", "alias"]) => {
            let r: rq::Alias = parse(params)?;
            store.delete_model_alias(&r.name, &r.alias)?;
            Ok(json!({}))
        }
        (Get, ["registered-models", "alias"]) => {
            let r: rq::Alias = parse(params)?;
            Ok(json!({ "model_version": store.get_model_version_by_alias(&r.name, &r.alias)? }))
        }
        (Post, ["model-versions", "create"]) => {
            let r: rq::CreateModelVersion = parse(params)?;
            let v = store.create_model_version(&NewModelVersion {
                name: r.name,
                source: r.source,
                run_id: r.run_id,
                tags: r.tags,
                run_link: r.run_link,
                description: r.description,
                model_id: r.model_id,
                user_id: None,
            })?;
            Ok(json!({ "model_version": v }))
        }
        (Get, ["model-versions", "get"]) => {
            let r: rq::VersionRef = parse(params)?;
            Ok(json!({ "model_version": store.get_model_version(&r.name, &r.version)? }))
        }
        (Patch, ["model-versions", "update"]) => {
            let r: rq::Describe = parse(params)?;
            let version = r.version.unwrap_or_default();
            Ok(
                json!({ "model_version": store.update_model_version(&r.name, &version, &r.description)? }),
            )
        }
        (Post, ["model-versions", "transition-stage"]) => {
            let r: rq::TransitionStage = parse(params)?;
            let v = store.transition_model_version_stage(
                &r.name,
                &r.version,
                &r.stage,
                r.archive_existing_versions,
            )?;
            Ok(json!({ "model_version": v }))
        }
        (Delete, ["model-versions", "delete"]) => {
            let r: rq::VersionRef = parse(params)?;
            store.delete_model_version(&r.name, &r.version)?;
            Ok(json!({}))
        }
        (Get | Post, ["model-versions", "search"]) => {
            let r: rq::SearchModels = parse(params)?;
            Ok(page_json(
                "model_versions",
                store.search_model_versions(&model_search(r))?,
            ))
        }
        (Get, ["model-versions", "get-download-uri"]) => {
            let r: rq::VersionRef = parse(params)?;
            Ok(json!({ "artifact_uri": store.model_version_download_uri(&r.name, &r.version)? }))
        }
        (Post, ["model-versions", "set-tag"]) => {
            let r: rq::ModelTag = parse(params)?;
            store.set_model_version_tag(
                &r.name,
                &r.version.unwrap_or_default(),
                &r.key,
                Some(&r.value),
            )?;
            Ok(json!({}))
        }
        (Delete, ["model-versions", "delete-tag"]) => {
            let r: rq::ModelTag = parse(params)?;
            store.set_model_version_tag(&r.name, &r.version.unwrap_or_default(), &r.key, None)?;
            Ok(json!({}))
        }
        (Post, ["logged-models"]) => {
            let r: rq::CreateLoggedModel = parse(params)?;
            let m = store.create_logged_model(&NewLoggedModel {
                experiment_id: r.experiment_id,
                name: r.name,
                model_type: r.model_type,
                source_run_id: r.source_run_id,
                params: r.params,
                tags: r.tags,
            })?;
            Ok(json!({ "model": m }))
        }
        (Post, ["logged-models", "search"]) => search_logged_models(store, parse(params)?),
        (Get, ["logged-models", id]) => Ok(json!({ "model": store.get_logged_model(id)? })),
        (Patch, ["logged-models", id]) => {
            let r: rq::FinalizeLoggedModel = parse(params)?;
            Ok(json!({ "model": store.finalize_logged_model(id, r.status)? }))
        }
        (Delete, ["logged-models", id]) => {
            store.delete_logged_model(id)?;
            Ok(json!({}))
        }
        (Patch, ["logged-models", id, "tags"]) => {
            let r: rq::KeyValues = parse(params)?;
            store.set_logged_model_tags(id, &r.tags)?;
            Ok(json!({ "model": store.get_logged_model(id)? }))
        }
        (Delete, ["logged-models", id, "tags", key]) => {
            store.delete_logged_model_tag(id, key)?;
            Ok(json!({}))
        }
        (Post, ["logged-models", id, "params"]) => {
            let r: rq::KeyValues = parse(params)?;
            store.log_logged_model_params(id, &r.params)?;
            Ok(json!({}))
        }
        (Get, ["logged-models", id, "artifacts", "directories"]) => {
            let model = store.get_logged_model(id)?;
            let sub = params
                .get("artifact_directory_path")
                .and_then(Value::as_str)
                .unwrap_or("");
            list_under(store, &model.info.artifact_uri, sub)
        }
        _ => Err(MlflowError::new(
            ErrorCode::EndpointNotFound,
            format!(
                "{method:?} /api/2.0/mlflow/{path} is not an MLflow endpoint this server serves"
            ),
        )),
    }
}

fn parse<T: DeserializeOwned>(params: Value) -> Result<T, MlflowError> {
    serde_json::from_value(params).map_err(|e| {
        let text = e.to_string();
        let message = match text.strip_prefix("missing field `") {
            Some(rest) => format!(
                "Missing value for required parameter '{}'.",
                rest.trim_end_matches('`')
            ),
            None => format!("Invalid request: {text}"),
        };
        MlflowError::invalid(message)
    })
}

fn log(store: &TrackStore, run_id: &str, batch: LogBatch) -> Answer {
    store.log_batch(run_id, &batch)?;
    Ok(json!({}))
}

fn experiment_stage(store: &TrackStore, params: Value, stage: LifecycleStage) -> Answer {
    let r: rq::ExperimentRef = parse(params)?;
    store.set_experiment_stage(&r.experiment_id, stage)?;
    Ok(json!({}))
}

fn run_stage(store: &TrackStore, params: Value, stage: LifecycleStage) -> Answer {
    let r: rq::RunRef = parse(params)?;
    store.set_run_stage(r.id()?, stage)?;
    Ok(json!({}))
}

fn create_experiment(store: &TrackStore, r: rq::CreateExperiment) -> Answer {
    if let Some(loc) = r.artifact_location.as_deref().filter(|l| !l.is_empty())
        && (loc.contains("..") || loc.starts_with("file:") || loc.starts_with('/'))
    {
        return Err(MlflowError::invalid(format!(
            "artifact_location '{loc}' is refused: experiments keep their artifacts under the server's artifact root or an object store URI"
        )));
    }
    let id = store.create_experiment(&r.name, r.artifact_location.as_deref(), &r.tags)?;
    Ok(json!({ "experiment_id": id }))
}

fn search_experiments(store: &TrackStore, r: rq::SearchExperiments) -> Answer {
    let page = store.search_experiments(&ExperimentSearch {
        filter: r.filter.unwrap_or_default(),
        view: r.view_type.unwrap_or_default(),
        max_results: r.max_results,
        order_by: r.order_by,
        page_token: r.page_token,
    })?;
    Ok(page_json("experiments", page))
}

fn create_run(store: &TrackStore, r: rq::CreateRun) -> Answer {
    let experiment = r
        .experiment_id
        .filter(|e| !e.is_empty())
        .unwrap_or_else(|| "0".into());
    let run = store.create_run(
        &experiment,
        r.user_id.as_deref().unwrap_or(""),
        r.run_name.as_deref(),
        r.start_time,
        &r.tags,
    )?;
    Ok(json!({ "run": run_json(run) }))
}

fn search_runs(store: &TrackStore, r: rq::SearchRuns) -> Answer {
    let page = store.search_runs(&RunSearch {
        experiment_ids: r.experiment_ids,
        filter: r.filter.unwrap_or_default(),
        view: r.run_view_type.unwrap_or_default(),
        max_results: r.max_results,
        order_by: r.order_by,
        page_token: r.page_token,
    })?;
    let mut out = json!({ "runs": page.items.into_iter().map(run_json).collect::<Vec<_>>() });
    if let Some(t) = page.next_page_token {
        out["next_page_token"] = json!(t);
    }
    Ok(out)
}

fn search_logged_models(store: &TrackStore, r: rq::SearchLoggedModels) -> Answer {
    let order: Vec<String> = r
        .order_by
        .iter()
        .map(|o| {
            format!(
                "{} {}",
                quote_field(&o.field_name),
                if o.ascending { "ASC" } else { "DESC" }
            )
        })
        .collect();
    let page = store.search_logged_models(
        &r.experiment_ids,
        r.filter.as_deref().unwrap_or(""),
        &order,
        r.max_results,
        r.page_token.as_deref(),
    )?;
    Ok(page_json("models", page))
}

/// `metrics.val loss` as `metrics.`val loss`` so the order parser reads it whole.
fn quote_field(field: &str) -> String {
    match field.split_once('.') {
        Some((kind, key)) if key.contains(' ') => format!("{kind}.`{key}`"),
        _ => field.to_string(),
    }
}

fn model_search(r: rq::SearchModels) -> ModelSearch {
    ModelSearch {
        filter: r.filter.unwrap_or_default(),
        max_results: r.max_results,
        order_by: r.order_by,
        page_token: r.page_token,
    }
}

fn list_run_artifacts(store: &TrackStore, r: rq::ListArtifacts) -> Answer {
    let uri = store.run_artifact_uri(r.run.id()?)?;
    let mut out = list_under(store, &uri, r.path.as_deref().unwrap_or(""))?;
    out["root_uri"] = json!(uri);
    Ok(out)
}

/// Files under `sub` of an artifact URI, with paths relative to the URI.
fn list_under(store: &TrackStore, uri: &str, sub: &str) -> Answer {
    let Some(base) = artifact_path(uri) else {
        return Err(MlflowError::invalid(format!(
            "artifacts at '{uri}' are not stored by this server"
        )));
    };
    let dir = if sub.trim_matches('/').is_empty() {
        base.clone()
    } else {
        format!("{base}/{}", sub.trim_matches('/'))
    };
    let files = store.artifacts().list(&dir, &base)?;
    Ok(json!({ "files": files }))
}

fn page_json<T: serde::Serialize>(key: &str, page: Page<T>) -> Value {
    let mut out = json!({ key: page.items });
    if let Some(t) = page.next_page_token {
        out["next_page_token"] = json!(t);
    }
    out
}

/// A run as MLflow writes it: `info.run_uuid` repeats `info.run_id` for older clients.
fn run_json(run: Run) -> Value {
    let mut v = json!(run);
    v["info"] = info_json(run.info);
    v
}

fn info_json(info: RunInfo) -> Value {
    let mut v = json!(info);
    v["run_uuid"] = json!(info.run_id);
    v
}
