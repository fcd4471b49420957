//! Training in the app: a project data set -> an `assay-learn` model with a seeded train/test
//! split -> a run in the tracking store (parameters, metrics, the data set as input, the model
//! as the artifact `model/model.json`), optionally registered; and scoring another data set
//! with a run's model.

use assay_learn::{Metrics, ModelOptions, Prediction, SplitOptions, Target, TrainedModel};
use assay_project::Project;
use assay_track::{
    Dataset, DatasetInput, KeyValue, LogBatch, Metric, NewModelVersion, RunStatus, TrackStore,
};
use ndarray::Array2;
use polars::prelude::*;

use crate::anomaly_api::{encode, engine, extension};
use crate::artifact_store::ArtifactStores;
use crate::data_api::{blocking, source_of};
use crate::dto::*;
use crate::report_api::write_report;
use crate::{ApiError, Assay, JobContext};

/// Where a run keeps its trained model.
const MODEL_FILE: &str = "model/model.json";
/// Integer targets with at most this many values are class labels.
const MAX_INTEGER_CLASSES: usize = 20;

impl Assay {
    /// Starts training; the job's result is a TrainResult and the run is in the store.
    pub async fn start_train(&self, req: TrainRequest) -> Result<JobRef, ApiError> {
        let project = self.project()?;
        let store = self.tracking()?;
        source_of(&project, &req.dataset)?;
        let options: ModelOptions = serde_json::from_value(req.model.clone())
            .map_err(|e| ApiError::invalid(format!("model settings: {e}")))?;
        options
            .validate()
            .map_err(|e| ApiError::invalid(e.to_string()))?;
        if req.features.is_empty() {
            return Err(ApiError::invalid("pick at least one feature column"));
        }
        let title = format!("Train {} on {}", options.kind(), req.dataset);
        let info = self.jobs().spawn(
            "train",
            &title,
            Some(crate::service::store_observer(project.clone())),
            move |ctx| train(&project, &store, &req, &options, ctx),
        );
        Ok(JobRef { id: info.id })
    }

    /// Scores a data set with a run's model into `reports/`.
    pub async fn score_dataset(&self, req: ScoreRequest) -> Result<ExportedReport, ApiError> {
        let project = self.project()?;
        let store = self.tracking()?;
        blocking(move || score(&project, &store, &req)).await
    }
}

fn train(
    project: &Project,
    store: &TrackStore,
    req: &TrainRequest,
    options: &ModelOptions,
    ctx: &JobContext,
) -> Result<TrainResult, ApiError> {
    let progress = |done: f64, message: &str| {
        ctx.progress(Progress {
            done,
            total: Some(1.0),
            unit: "fraction".into(),
            message: message.into(),
        })
    };
    progress(0.0, "reading the data set");
    let frame = read_columns(project, &req.dataset, &req.features, req.target.as_deref())?;
    let x = features(&frame, &req.features)?;
    let y = target(&frame, req.target.as_deref(), options)?;
    ctx.check_cancelled()?;
    let seed = req.seed.unwrap_or(42);
    let split = SplitOptions {
        test_fraction: req.test_fraction.unwrap_or(0.25),
        ..Default::default()
    };
    let experiment = req.experiment.as_deref().unwrap_or("assay-training");
    let experiment_id = match store.get_experiment_by_name(experiment) {
        Ok(e) => e.experiment_id,
        Err(_) => store.create_experiment(experiment, None, &[])?,
    };
    let tags = vec![
        KeyValue::new("mlflow.source.name", "assay train"),
        KeyValue::new("mlflow.source.type", "LOCAL"),
        KeyValue::new("assay.dataset", &req.dataset),
    ];
    let run = store.create_run(
        &experiment_id,
        "assay",
        req.run_name.as_deref(),
        None,
        &tags,
    )?;
    let run_id = run.info.run_id.clone();
    let hook = |f: f64| {
        progress(0.05 + 0.85 * f, "training");
        !ctx.is_cancelled()
    };
    let trained = assay_learn::train_and_evaluate(options, &x, &y, &split, seed, &hook)
        .and_then(|e| Ok((e.model.clone().with_feature_names(req.features.clone())?, e)));
    let (model, evaluated) = match trained {
        Ok(t) => t,
        Err(e) => {
            let status = if ctx.is_cancelled() {
                RunStatus::Killed
            } else {
                RunStatus::Failed
            };
            store.update_run(&run_id, Some(status), Some(assay_track::now_ms()), None)?;
            return Err(learn_error(ctx)(e));
        }
    };
    progress(0.92, "logging the run");
    let now = assay_track::now_ms();
    let mut params: Vec<KeyValue> = options
        .params()
        .into_iter()
        .map(|(k, v)| KeyValue::new(k, v))
        .collect();
    params.push(KeyValue::new("model", options.kind()));
    params.push(KeyValue::new("dataset", &req.dataset));
    params.push(KeyValue::new(
        "target",
        req.target.clone().unwrap_or_default(),
    ));
    params.push(KeyValue::new("features", req.features.join(",")));
    params.push(KeyValue::new(
        "test_fraction",
        split.test_fraction.to_string(),
    ));
    params.push(KeyValue::new("seed", seed.to_string()));
    let mut metrics = Vec::new();
    for (prefix, m) in [
        ("test", &evaluated.test_metrics),
        ("train", &evaluated.train_metrics),
    ] {
        for (name, value) in m.scalars() {
            metrics.push(Metric::new(format!("{prefix}_{name}"), value, now, 0));
        }
    }
    store.log_batch(
        &run_id,
        &LogBatch {
            metrics,
            params,
            tags: Vec::new(),
        },
    )?;
    let spec_path = project
        .manifest()
        .datasets
        .iter()
        .find(|d| d.name == req.dataset)
        .map(|d| d.path.clone())
        .unwrap_or_default();
    let digest = crate::service::dataset_fingerprint(project, &req.dataset)
        .map(|h| h.chars().take(8).collect())
        .unwrap_or_else(|| "unknown".into());
    let input = DatasetInput {
        tags: vec![KeyValue::new("mlflow.data.context", "train")],
        dataset: Dataset {
            name: req.dataset.clone(),
            digest,
            source_type: "assay".into(),
            source: serde_json::json!({ "uri": spec_path }).to_string(),
            schema: None,
            profile: Some(serde_json::json!({ "num_rows": x.nrows() }).to_string()),
        },
    };
    store.log_inputs(&run_id, &[input], &[])?;
    let json = model.to_json().map_err(learn_error(ctx))?;
    ArtifactStores::of(project, store)?
        .dir(&run.info.artifact_uri)?
        .put(MODEL_FILE, json.as_bytes())?;
    store.update_run(
        &run_id,
        Some(RunStatus::Finished),
        Some(assay_track::now_ms()),
        None,
    )?;
    let model_version = match req
        .register_as
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        Some(name) => Some(register(store, name, &run_id, &run.info.artifact_uri)?),
        None => None,
    };
    progress(1.0, "done");
    Ok(result(
        run_id,
        experiment_id,
        &evaluated,
        &model,
        model_version,
    ))
}

fn register(
    store: &TrackStore,
    name: &str,
    run_id: &str,
    artifact_uri: &str,
) -> Result<assay_track::ModelVersion, ApiError> {
    if store.get_registered_model(name).is_err() {
        store.create_registered_model(name, &[], None)?;
    }
    Ok(store.create_model_version(&NewModelVersion {
        name: name.to_string(),
        source: format!("{}/model", artifact_uri.trim_end_matches('/')),
        run_id: Some(run_id.to_string()),
        ..Default::default()
    })?)
}

fn result(
    run_id: String,
    experiment_id: String,
    evaluated: &assay_learn::Evaluated,
    model: &TrainedModel,
    model_version: Option<assay_track::ModelVersion>,
) -> TrainResult {
    let named = |m: &Metrics| {
        m.scalars()
            .into_iter()
            .map(|(name, value)| NamedValue {
                name: name.to_string(),
                value,
            })
            .collect()
    };
    let mut importances: Vec<NamedValue> = model
        .feature_importances()
        .map(|imp| {
            model
                .feature_names()
                .iter()
                .zip(imp)
                .map(|(name, value)| NamedValue {
                    name: name.clone(),
                    value: *value,
                })
                .collect()
        })
        .unwrap_or_default();
    importances.sort_by(|a, b| b.value.total_cmp(&a.value));
    let (labels, confusion) = match &evaluated.test_metrics {
        Metrics::Classification(c) => (c.labels.clone(), c.confusion.clone()),
        _ => (Vec::new(), Vec::new()),
    };
    TrainResult {
        run_id,
        experiment_id,
        task: format!("{:?}", model.task()).to_lowercase(),
        train_rows: evaluated.split.train.len() as u64,
        test_rows: evaluated.split.test.len() as u64,
        test_metrics: named(&evaluated.test_metrics),
        train_metrics: named(&evaluated.train_metrics),
        importances,
        labels,
        confusion,
        model_version,
        notes: model.notes().to_vec(),
    }
}

fn learn_error(ctx: &JobContext) -> impl Fn(assay_learn::LearnError) -> ApiError + '_ {
    move |e| {
        if ctx.is_cancelled() {
            ApiError::cancelled()
        } else {
            ApiError::invalid(e.to_string())
        }
    }
}

/// The feature and target columns of a data set, without rows missing any of them.
fn read_columns(
    project: &Project,
    dataset: &str,
    features: &[String],
    target: Option<&str>,
) -> Result<DataFrame, ApiError> {
    let source = source_of(project, dataset)?;
    let (lf, _) = assay_data::scan(&source).map_err(|e| ApiError::invalid(e.to_string()))?;
    let schema = lf.clone().collect_schema().map_err(engine)?;
    let mut names: Vec<&str> = features.iter().map(String::as_str).collect();
    names.extend(target);
    for n in &names {
        if schema.get(n).is_none() {
            return Err(ApiError::invalid(format!(
                "data set '{dataset}' has no column '{n}'"
            )));
        }
    }
    let df = lf
        .select(names.iter().map(|n| col(*n)).collect::<Vec<_>>())
        .drop_nulls(None)
        .collect()
        .map_err(engine)?;
    if df.height() == 0 {
        return Err(ApiError::invalid(format!(
            "no row of '{dataset}' has all of {} filled in",
            names.join(", ")
        )));
    }
    Ok(df)
}

fn features(df: &DataFrame, names: &[String]) -> Result<Array2<f64>, ApiError> {
    let mut x = Array2::<f64>::zeros((df.height(), names.len()));
    for (j, name) in names.iter().enumerate() {
        let column = df.column(name).map_err(engine)?;
        if !(column.dtype().is_primitive_numeric() || column.dtype() == &DataType::Boolean) {
            return Err(ApiError::invalid(format!(
                "feature '{name}' is {}: pick numeric or boolean columns",
                column.dtype()
            )));
        }
        let values = column.cast(&DataType::Float64).map_err(engine)?;
        for (i, v) in values.f64().map_err(engine)?.iter().enumerate() {
            x[[i, j]] = v.unwrap_or(f64::NAN);
        }
    }
    Ok(x)
}

fn target(df: &DataFrame, name: Option<&str>, options: &ModelOptions) -> Result<Target, ApiError> {
    let regression_only = matches!(options, ModelOptions::ElasticNet(_));
    let classification_only = matches!(options, ModelOptions::LogisticRegression(_));
    let Some(name) = name else {
        return if matches!(options, ModelOptions::KMeans(_)) {
            Ok(Target::None)
        } else {
            Err(ApiError::invalid(format!(
                "{} needs a target column",
                options.kind()
            )))
        };
    };
    if matches!(options, ModelOptions::KMeans(_)) {
        return Ok(Target::None);
    }
    let column = df.column(name).map_err(engine)?;
    let dtype = column.dtype().clone();
    let labels = || -> Result<Target, ApiError> {
        let text = column.cast(&DataType::String).map_err(engine)?;
        let values = text
            .str()
            .map_err(engine)?
            .iter()
            .map(|v| v.unwrap_or_default().to_string())
            .collect();
        Ok(Target::Classes(values))
    };
    let numbers = || -> Result<Target, ApiError> {
        let values = column.cast(&DataType::Float64).map_err(engine)?;
        let v: Vec<f64> = values
            .f64()
            .map_err(engine)?
            .iter()
            .map(|v| v.unwrap_or(f64::NAN))
            .collect();
        Ok(Target::Values(ndarray::Array1::from(v)))
    };
    let few_integers =
        dtype.is_integer() && column.n_unique().map_err(engine)? <= MAX_INTEGER_CLASSES;
    match () {
        _ if regression_only && dtype.is_primitive_numeric() => numbers(),
        _ if regression_only => Err(ApiError::invalid(format!(
            "elastic net predicts numbers; '{name}' is {dtype}"
        ))),
        _ if dtype.is_float() && classification_only => Err(ApiError::invalid(format!(
            "logistic regression predicts classes; '{name}' holds decimals (use a decision tree, a forest or elastic net)"
        ))),
        _ if dtype.is_float() || (dtype.is_integer() && !few_integers && !classification_only) => {
            numbers()
        }
        _ => labels(),
    }
}

fn score(
    project: &Project,
    store: &TrackStore,
    req: &ScoreRequest,
) -> Result<ExportedReport, ApiError> {
    let run = store.get_run(&req.run_id)?;
    let path = ArtifactStores::of(project, store)?
        .dir(&run.info.artifact_uri)?
        .local_file(MODEL_FILE)?;
    let json = std::fs::read_to_string(&path).map_err(|e| {
        ApiError::from_io(
            &e,
            &format!("run {} has no Assay model ({MODEL_FILE})", req.run_id),
        )
    })?;
    let model = TrainedModel::from_json(&json).map_err(|e| ApiError::invalid(e.to_string()))?;
    let names = model.feature_names().to_vec();
    let source = source_of(project, &req.dataset)?;
    let (lf, _) = assay_data::scan(&source).map_err(|e| ApiError::invalid(e.to_string()))?;
    let mut df = lf.collect().map_err(engine)?;
    let mut x = Array2::<f64>::from_elem((df.height(), names.len()), f64::NAN);
    for (j, name) in names.iter().enumerate() {
        let column = df.column(name).map_err(|_| {
            ApiError::invalid(format!(
                "data set '{}' has no column '{name}', which the model needs",
                req.dataset
            ))
        })?;
        let values = column.cast(&DataType::Float64).map_err(engine)?;
        for (i, v) in values.f64().map_err(engine)?.iter().enumerate() {
            x[[i, j]] = v.unwrap_or(f64::NAN);
        }
    }
    let complete: Vec<usize> = (0..x.nrows())
        .filter(|&i| x.row(i).iter().all(|v| v.is_finite()))
        .collect();
    let rows =
        assay_learn::select_rows(&x, &complete).map_err(|e| ApiError::invalid(e.to_string()))?;
    let predicted = if complete.is_empty() {
        None
    } else {
        Some(
            model
                .predict(&rows)
                .map_err(|e| ApiError::invalid(e.to_string()))?,
        )
    };
    let column = prediction_column(df.height(), &complete, predicted)?;
    df.with_column(column).map_err(engine)?;
    let format = req.format.unwrap_or(TableFormat::Csv);
    let relative = format!(
        "reports/{}-scored-{}.{}",
        req.dataset,
        &req.run_id[..8.min(req.run_id.len())],
        extension(format)
    );
    write_report(project, relative, &encode(&mut df, format)?)
}

/// The `prediction` column: one value per row, null where a feature was missing.
fn prediction_column(
    height: usize,
    complete: &[usize],
    predicted: Option<Prediction>,
) -> Result<Column, ApiError> {
    let name = PlSmallStr::from_static("prediction");
    Ok(match predicted {
        None => Column::full_null(name, height, &DataType::String),
        Some(Prediction::Classes(labels)) => {
            let mut out: Vec<Option<String>> = vec![None; height];
            for (&i, l) in complete.iter().zip(labels) {
                out[i] = Some(l);
            }
            Column::new(name, out)
        }
        Some(Prediction::Values(values)) => {
            let mut out: Vec<Option<f64>> = vec![None; height];
            for (&i, v) in complete.iter().zip(values.iter()) {
                out[i] = Some(*v);
            }
            Column::new(name, out)
        }
        Some(Prediction::Clusters(ids)) => {
            let mut out: Vec<Option<u32>> = vec![None; height];
            for (&i, c) in complete.iter().zip(ids) {
                out[i] = Some(c as u32);
            }
            Column::new(name, out)
        }
    })
}
