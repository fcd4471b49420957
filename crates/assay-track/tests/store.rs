//! The tracking store on a real SQLite file: experiments, runs, metric histories, searches,
//! the registry, logged models, limits and concurrent writers.

use std::sync::Arc;

use assay_track::*;

fn store() -> (tempfile::TempDir, TrackStore) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = TrackStore::open(
        &dir.path().join("store.sqlite"),
        &dir.path().join("artifacts"),
    )
    .expect("open");
    (dir, store)
}

fn metric(key: &str, value: f64, step: i64) -> Metric {
    Metric::new(key, value, 1_700_000_000_000 + step, step)
}

fn batch(metrics: Vec<Metric>, params: &[(&str, &str)]) -> LogBatch {
    LogBatch {
        metrics,
        params: params.iter().map(|(k, v)| KeyValue::new(*k, *v)).collect(),
        tags: Vec::new(),
    }
}

#[test]
fn experiments_are_named_uniquely_and_survive_reopening() {
    let (dir, s) = store();
    assert_eq!(s.get_experiment("0").expect("default").name, "Default");
    let id = s
        .create_experiment("churn", None, &[KeyValue::new("team", "ml")])
        .expect("create");
    let e = s.get_experiment_by_name("churn").expect("by name");
    assert_eq!(e.experiment_id, id);
    assert_eq!(e.artifact_location, format!("mlflow-artifacts:/{id}"));
    assert_eq!(e.tags, vec![KeyValue::new("team", "ml")]);
    assert!(matches!(
        s.create_experiment("churn", None, &[]),
        Err(TrackError::AlreadyExists { .. })
    ));
    s.rename_experiment(&id, "churn-v2").expect("rename");
    s.set_experiment_stage(&id, LifecycleStage::Deleted)
        .expect("delete");
    let live = s
        .search_experiments(&ExperimentSearch::default())
        .expect("search");
    assert_eq!(live.items.len(), 1, "only Default is live");
    let deleted = s
        .search_experiments(&ExperimentSearch {
            view: ViewType::DeletedOnly,
            filter: "name LIKE 'churn%'".into(),
            ..Default::default()
        })
        .expect("search deleted");
    assert_eq!(deleted.items[0].name, "churn-v2");
    s.set_experiment_stage(&id, LifecycleStage::Active)
        .expect("restore");
    drop(s);
    let again = TrackStore::open(
        &dir.path().join("store.sqlite"),
        &dir.path().join("artifacts"),
    )
    .expect("reopen");
    assert_eq!(again.get_experiment(&id).expect("kept").name, "churn-v2");
    assert!(matches!(
        again.get_experiment("999"),
        Err(TrackError::NotFound { .. })
    ));
}

#[test]
fn runs_keep_every_metric_point_and_the_latest_value() {
    let (_dir, s) = store();
    let run = s
        .create_run(
            "0",
            "ada",
            None,
            Some(1000),
            &[KeyValue::new("mlflow.source.name", "train.py")],
        )
        .expect("run");
    let id = run.info.run_id.clone();
    assert_eq!(id.len(), 32);
    assert!(!run.info.run_name.is_empty());
    assert_eq!(run.tag(RUN_NAME_TAG), Some(run.info.run_name.as_str()));
    assert_eq!(
        run.info.artifact_uri,
        format!("mlflow-artifacts:/0/{id}/artifacts")
    );
    let points: Vec<Metric> = (0..998)
        .map(|i| metric("loss", 1.0 / (i as f64 + 1.0), i))
        .collect();
    s.log_batch(&id, &batch(points, &[("lr", "0.01"), ("model", "rf")]))
        .expect("batch");
    s.log_batch(
        &id,
        &batch(
            vec![
                metric("loss", f64::NAN, 2000),
                metric("acc", f64::INFINITY, 0),
            ],
            &[("lr", "0.01")],
        ),
    )
    .expect("same param value again is fine");
    let err = s
        .log_batch(&id, &batch(vec![], &[("lr", "0.1")]))
        .expect_err("changed param");
    assert!(
        err.to_string()
            .contains("Changing param values is not allowed"),
        "{err}"
    );
    let history = s.metric_history(&id, "loss", None, None).expect("history");
    assert_eq!(history.items.len(), 999);
    assert_eq!(history.items[997].value, 1.0 / 998.0);
    assert!(history.items[998].value.is_nan());
    let page = s
        .metric_history(&id, "loss", Some(400), Some("800"))
        .expect("page");
    assert_eq!((page.items.len(), page.items[0].step), (199, 800));
    let run = s.get_run(&id).expect("get");
    assert!(
        run.metric("loss").expect("latest").is_nan(),
        "step 2000 is the latest"
    );
    assert_eq!(run.metric("acc"), Some(f64::INFINITY));
    assert_eq!(run.param("model"), Some("rf"));
    let info = s
        .update_run(&id, Some(RunStatus::Finished), Some(5000), Some("best"))
        .expect("update");
    assert_eq!(
        (info.status, info.end_time, info.run_name.as_str()),
        (RunStatus::Finished, Some(5000), "best")
    );
    assert_eq!(s.get_run(&id).expect("get").tag(RUN_NAME_TAG), Some("best"));
    s.set_run_stage(&id, LifecycleStage::Deleted)
        .expect("delete");
    assert!(
        s.log_batch(&id, &batch(vec![metric("x", 1.0, 0)], &[]))
            .is_err()
    );
    s.set_run_stage(&id, LifecycleStage::Active)
        .expect("restore");
    assert!(matches!(
        s.get_run("0123"),
        Err(TrackError::NotFound { .. })
    ));
}

#[test]
fn oversized_and_malformed_batches_write_nothing() {
    let (_dir, s) = store();
    let id = s
        .create_run("0", "u", Some("r"), None, &[])
        .expect("run")
        .info
        .run_id;
    let too_many: Vec<Metric> = (0..1001).map(|i| metric("m", 1.0, i)).collect();
    assert!(s.log_batch(&id, &batch(too_many, &[])).is_err());
    let params: Vec<(String, String)> = (0..101).map(|i| (format!("p{i}"), "v".into())).collect();
    let refs: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert!(s.log_batch(&id, &batch(vec![], &refs)).is_err());
    let bad_key = batch(vec![metric("ok", 1.0, 0), metric("../escape", 1.0, 0)], &[]);
    assert!(s.log_batch(&id, &bad_key).is_err());
    let run = s.get_run(&id).expect("get");
    assert!(run.data.metrics.is_empty() && run.data.params.is_empty());
}

#[test]
fn search_runs_understands_mlflow_filters_and_order() {
    let (_dir, s) = store();
    let exp = s.create_experiment("sweep", None, &[]).expect("exp");
    for (i, (model, acc)) in [("rf", 0.91), ("rf", 0.87), ("lr", 0.80), ("gbm", 0.95)]
        .iter()
        .enumerate()
    {
        let run = s
            .create_run(&exp, "u", Some(&format!("run-{i}")), Some(i as i64), &[])
            .expect("run");
        let mut b = batch(vec![metric("acc", *acc, 0)], &[("model", model)]);
        b.tags.push(KeyValue::new(
            "team",
            if i % 2 == 0 { "Vision" } else { "nlp" },
        ));
        s.log_batch(&run.info.run_id, &b).expect("log");
    }
    let find = |filter: &str, order: &[&str]| -> Vec<String> {
        s.search_runs(&RunSearch {
            experiment_ids: vec![exp.clone()],
            filter: filter.into(),
            order_by: order.iter().map(|o| o.to_string()).collect(),
            ..Default::default()
        })
        .expect(filter)
        .items
        .into_iter()
        .map(|r| r.info.run_name)
        .collect()
    };
    assert_eq!(
        find("metrics.acc > 0.85", &["metrics.acc DESC"]),
        ["run-3", "run-0", "run-1"]
    );
    assert_eq!(
        find("params.model = 'rf' and metrics.acc < 0.9", &[]),
        ["run-1"]
    );
    assert_eq!(
        find("tags.team LIKE 'v%'", &[]),
        Vec::<String>::new(),
        "LIKE is case-sensitive"
    );
    assert_eq!(
        find("tags.team ILIKE 'v%'", &["attributes.start_time ASC"]),
        ["run-0", "run-2"]
    );
    assert_eq!(
        find(
            "attributes.run_name IN ('run-1', 'run-2')",
            &["params.model"]
        ),
        ["run-2", "run-1"]
    );
    assert_eq!(
        find("", &[]),
        ["run-3", "run-2", "run-1", "run-0"],
        "newest first"
    );
    assert_eq!(
        find(
            "params.missing IS NULL and attributes.status = 'RUNNING'",
            &[]
        )
        .len(),
        4
    );
    let first = s
        .search_runs(&RunSearch {
            experiment_ids: vec![exp.clone()],
            max_results: Some(3),
            ..Default::default()
        })
        .expect("page");
    assert_eq!(first.items.len(), 3);
    let rest = s
        .search_runs(&RunSearch {
            experiment_ids: vec![exp.clone()],
            max_results: Some(3),
            page_token: first.next_page_token,
            ..Default::default()
        })
        .expect("page 2");
    assert_eq!((rest.items.len(), rest.next_page_token), (1, None));
    for bad in [
        "metrics.acc > 'high'",
        "params.model > 'a'",
        "attributes.colour = 'red'",
    ] {
        let r = s.search_runs(&RunSearch {
            experiment_ids: vec![exp.clone()],
            filter: bad.into(),
            ..Default::default()
        });
        assert!(matches!(r, Err(TrackError::InvalidParameter(_))), "{bad}");
    }
}

#[test]
fn registry_versions_aliases_and_logged_models() {
    let (_dir, s) = store();
    let run = s.create_run("0", "u", None, None, &[]).expect("run");
    let lm = s
        .create_logged_model(&NewLoggedModel {
            experiment_id: "0".into(),
            name: Some("model".into()),
            source_run_id: Some(run.info.run_id.clone()),
            params: vec![KeyValue::new("n_estimators", "50")],
            ..Default::default()
        })
        .expect("logged model");
    assert_eq!(lm.info.status, LoggedModelStatus::Pending);
    assert!(
        lm.info
            .artifact_uri
            .ends_with(&format!("/models/{}/artifacts", lm.info.model_id))
    );
    let mut m = metric("auc", 0.93, 0);
    m.model_id = Some(lm.info.model_id.clone());
    s.log_batch(
        &run.info.run_id,
        &LogBatch {
            metrics: vec![m],
            ..Default::default()
        },
    )
    .expect("log");
    let ready = s
        .finalize_logged_model(&lm.info.model_id, LoggedModelStatus::Ready)
        .expect("ready");
    assert_eq!(
        (ready.info.status, ready.data.metrics.len()),
        (LoggedModelStatus::Ready, 1)
    );
    let found = s
        .search_logged_models(
            &["0".into()],
            "metrics.auc > 0.9 and params.n_estimators = '50'",
            &[],
            None,
            None,
        )
        .expect("search");
    assert_eq!(found.items.len(), 1);

    s.create_registered_model("fraud", &[], Some("detects fraud"))
        .expect("model");
    assert!(matches!(
        s.create_registered_model("fraud", &[], None),
        Err(TrackError::AlreadyExists { .. })
    ));
    let new = |source: &str| NewModelVersion {
        name: "fraud".into(),
        source: source.into(),
        run_id: Some(run.info.run_id.clone()),
        model_id: Some(lm.info.model_id.clone()),
        ..Default::default()
    };
    assert_eq!(
        s.create_model_version(&new("models:/a"))
            .expect("v1")
            .version,
        "1"
    );
    assert_eq!(
        s.create_model_version(&new("models:/b"))
            .expect("v2")
            .version,
        "2"
    );
    s.delete_model_version("fraud", "2").expect("delete v2");
    assert_eq!(
        s.create_model_version(&new("models:/c"))
            .expect("v3")
            .version,
        "3",
        "numbers are not reused"
    );
    s.set_model_alias("fraud", "champion", "1").expect("alias");
    s.set_model_alias("fraud", "champion", "3")
        .expect("move alias");
    assert!(
        s.set_model_alias("fraud", "latest", "1").is_err(),
        "reserved"
    );
    assert!(
        s.set_model_alias("fraud", "x", "2").is_err(),
        "deleted version"
    );
    let champion = s
        .get_model_version_by_alias("fraud", "champion")
        .expect("by alias");
    assert_eq!(
        (champion.version.as_str(), champion.aliases.clone()),
        ("3", vec!["champion".to_string()])
    );
    assert_eq!(
        s.model_version_download_uri("fraud", "3").expect("uri"),
        lm.info.artifact_uri
    );
    s.set_model_version_tag("fraud", "3", "validated", Some("yes"))
        .expect("tag");
    s.transition_model_version_stage("fraud", "1", "production", false)
        .expect("stage");
    let model = s.get_registered_model("fraud").expect("get");
    assert_eq!(
        model.aliases,
        vec![ModelAlias {
            alias: "champion".into(),
            version: "3".into()
        }]
    );
    assert_eq!(
        model.latest_versions.len(),
        2,
        "newest of None and of Production"
    );
    let by_run = s
        .search_model_versions(&ModelSearch {
            filter: format!("run_id = '{}' and tags.validated = 'yes'", run.info.run_id),
            ..Default::default()
        })
        .expect("search versions");
    assert_eq!(by_run.items.len(), 1);
    let renamed = s
        .rename_registered_model("fraud", "fraud-v2")
        .expect("rename");
    assert_eq!(renamed.aliases.len(), 1, "aliases follow the rename");
    assert_eq!(
        s.get_model_version("fraud-v2", "3")
            .expect("version")
            .tags
            .len(),
        1
    );
    let listed = s
        .search_registered_models(&ModelSearch {
            filter: "name LIKE 'fraud%'".into(),
            ..Default::default()
        })
        .expect("search models");
    assert_eq!(listed.items.len(), 1);
    s.delete_registered_model("fraud-v2").expect("delete");
    assert!(matches!(
        s.get_model_version("fraud-v2", "1"),
        Err(TrackError::NotFound { .. })
    ));
}

#[test]
fn concurrent_writers_lose_nothing() {
    let (_dir, s) = store();
    let s = Arc::new(s);
    let runs: Vec<String> = (0..4)
        .map(|i| {
            s.create_run("0", "u", Some(&format!("w{i}")), None, &[])
                .expect("run")
                .info
                .run_id
        })
        .collect();
    let threads: Vec<_> = runs
        .iter()
        .cloned()
        .map(|id| {
            let s = Arc::clone(&s);
            std::thread::spawn(move || {
                for b in 0..20 {
                    let points = (0..500)
                        .map(|i| metric("x", i as f64, b * 500 + i))
                        .collect();
                    s.log_batch(&id, &batch(points, &[])).expect("batch");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("thread");
    }
    for id in &runs {
        assert_eq!(
            s.metric_history(id, "x", None, None)
                .expect("history")
                .items
                .len(),
            10_000
        );
    }
}

#[test]
fn runs_table_pages_sorts_counts_and_groups() {
    let (_dir, s) = store();
    let exp = s.create_experiment("grid", None, &[]).expect("exp");
    let models = ["rf", "lr", "gbm"];
    let mut expected: std::collections::BTreeMap<&str, Vec<f64>> = Default::default();
    for i in 0..30 {
        let model = models[i % 3];
        let acc = 0.5 + (i as f64 * 7.0 % 30.0) / 100.0;
        expected.entry(model).or_default().push(acc);
        let id = s
            .create_run(&exp, "u", Some(&format!("r{i}")), Some(i as i64), &[])
            .expect("run")
            .info
            .run_id;
        s.log_batch(
            &id,
            &batch(
                vec![metric("acc", acc, 0), metric("loss", 1.0 - acc, 0)],
                &[("model", model), ("i", &i.to_string())],
            ),
        )
        .expect("log");
    }
    let search = RunSearch {
        experiment_ids: vec![exp.clone()],
        filter: "metrics.acc >= 0.5".into(),
        order_by: vec!["metrics.acc DESC".into()],
        ..Default::default()
    };
    let page = s.runs_page(&search, 10, 5).expect("page");
    assert_eq!((page.total, page.offset, page.rows.len()), (30, 10, 5));
    let mut all: Vec<f64> = expected.values().flatten().copied().collect();
    all.sort_by(|a, b| b.total_cmp(a));
    let got: Vec<f64> = page.rows.iter().map(|r| r.metrics["acc"].0).collect();
    assert_eq!(got, all[10..15].to_vec());
    assert!(page.rows.iter().all(|r| r.params.contains_key("model")));
    let cols = s.run_columns(std::slice::from_ref(&exp)).expect("columns");
    assert_eq!(cols.metrics, ["acc", "loss"]);
    assert_eq!(cols.params, ["i", "model"]);
    assert_eq!(cols.tags, ["mlflow.runName"]);
    let groups = s
        .group_runs(&search, "model", &["acc".into()])
        .expect("groups");
    assert_eq!(groups.len(), 3);
    for g in groups {
        let values = &expected[g.value.as_deref().expect("value")];
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>()
            / (values.len() as f64 - 1.0))
            .sqrt();
        let summary = &g.metrics["acc"];
        assert_eq!(g.runs, 10);
        assert!((summary.mean - mean).abs() < 1e-12 && (summary.std - sd).abs() < 1e-12);
    }
}

#[test]
fn an_imported_run_is_written_whole_or_not_at_all() {
    let (_dir, store) = store();
    let exp = store.create_experiment("imports", None, &[]).expect("exp");
    let run = ImportedRun {
        experiment_id: exp.clone(),
        run_name: "copied".into(),
        user_id: "ana".into(),
        status: RunStatus::Finished,
        start_time: 1_000,
        end_time: Some(2_000),
        params: vec![KeyValue::new("alpha", "0.5")],
        tags: vec![KeyValue::new(
            "assay.imported_from",
            "http://h/#/experiments/1/runs/r",
        )],
        metrics: (0..2500)
            .map(|i| metric("loss", 1.0 / (i + 1) as f64, i))
            .collect(),
        inputs: Vec::new(),
    };
    let failed = store.import_run(&run, |_| {
        Err(TrackError::InvalidParameter("network".into()))
    });
    assert!(failed.is_err());
    let search = RunSearch {
        experiment_ids: vec![exp.clone()],
        ..Default::default()
    };
    assert!(
        store.search_runs(&search).expect("search").items.is_empty(),
        "rolled back"
    );

    let mut placed = None;
    let done = store
        .import_run(&run, |uri| {
            placed = Some(uri.to_string());
            Ok(())
        })
        .expect("import");
    assert_eq!(placed.as_deref(), Some(done.info.artifact_uri.as_str()));
    assert_eq!(done.info.status, RunStatus::Finished);
    assert_eq!(done.info.end_time, Some(2_000));
    assert_eq!(done.param("alpha"), Some("0.5"));
    let history = store
        .metric_history(&done.info.run_id, "loss", None, None)
        .expect("history");
    assert_eq!(history.items.len(), 2500, "more than one batch's worth");
    assert_eq!(
        store
            .runs_with_tag("assay.imported_from", "http://h/#/experiments/1/runs/r")
            .expect("by tag"),
        vec![done.info.run_id.clone()]
    );
}
