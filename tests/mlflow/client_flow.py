"""The unchanged `mlflow` client (PyPI) logging into `assay serve`.

Run by tests/tests/mlflow_client.rs with MLFLOW_TRACKING_URI pointing at a fresh Assay server.
Every check raises on failure; the last line printed is a JSON summary the Rust test reads.
"""

import http.client
import json
import os
import warnings
import sys
import tempfile
import urllib.parse

import mlflow
import numpy as np
import pandas as pd
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException, RestException
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

warnings.filterwarnings("ignore", category=UserWarning)
URI = os.environ["MLFLOW_TRACKING_URI"]
PENGUINS = sys.argv[1]
UNICODE_TEXT = "Grüße aus Zürich, 数据质量 ✓, naïve café — ünïcödé\n"

client = MlflowClient()


def expect_error(code, fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except (MlflowException, RestException) as e:
        assert e.error_code == code, f"expected {code}, got {e.error_code}: {e}"
        return str(e)
    raise AssertionError(f"expected {code} from {fn.__name__}")


def raw(method, path, body=None, headers=None):
    """An HTTP call with the path sent exactly as given (no client-side normalisation)."""
    u = urllib.parse.urlparse(URI)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    conn.request(method, path, body=body, headers=headers or {})
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, data


# --- data and a real model -------------------------------------------------------------
df = pd.read_csv(PENGUINS).dropna()
features = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
X, y = df[features], df["species"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=7)

# --- fluent logging ------------------------------------------------------------------
exp_id = mlflow.set_experiment("penguins-species").experiment_id
assert mlflow.get_experiment_by_name("penguins-species").experiment_id == exp_id

runs = {}
for C in [0.01, 1.0]:
    with mlflow.start_run(run_name=f"logreg-C{C}") as run:
        mlflow.log_params({"C": C, "max_iter": 500, "features": ",".join(features)})
        mlflow.set_tags({"team": "ml", "data.version": "2026-11"})
        model = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=500)).fit(X_train, y_train)
        acc = float(model.score(X_test, y_test))
        for step in range(50):
            mlflow.log_metric("loss", 1.0 / (step + 1) + C, step=step)
        mlflow.log_metric("accuracy", acc)
        mlflow.log_input(mlflow.data.from_pandas(df, source=PENGUINS, name="penguins"), context="train")
        mlflow.log_text(UNICODE_TEXT, "notes/résumé.txt")
        mlflow.log_dict({"features": features, "ünïcödé": "✓"}, "config/params.json")
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "coefficients.csv")
            pd.DataFrame(model[-1].coef_, columns=features).to_csv(p, index=False)
            mlflow.log_artifact(p, artifact_path="tables")
        info = mlflow.sklearn.log_model(
            model,
            name="model",
            registered_model_name="penguin-classifier",
            input_example=X_test.head(3),
        )
        runs[C] = {"run_id": run.info.run_id, "accuracy": acc, "model_uri": info.model_uri, "model": model}

best_C = max(runs, key=lambda c: runs[c]["accuracy"])
best = runs[best_C]

# --- runs read back -------------------------------------------------------------------
r = client.get_run(best["run_id"])
assert r.info.status == "FINISHED", r.info.status
assert r.info.run_name == f"logreg-C{best_C}"
assert r.data.params["C"] == str(best_C)
assert r.data.tags["team"] == "ml"
assert abs(r.data.metrics["accuracy"] - best["accuracy"]) < 1e-12
assert r.inputs.dataset_inputs[0].dataset.name == "penguins"

history = client.get_metric_history(best["run_id"], "loss")
assert [m.step for m in history] == list(range(50)), [m.step for m in history][:5]
assert abs(history[9].value - (0.1 + best_C)) < 1e-12

# --- search with MLflow's filter syntax ---------------------------------------------------
found = mlflow.search_runs(
    experiment_ids=[exp_id],
    filter_string=f"params.C = '{best_C}' and metrics.accuracy >= {best['accuracy'] - 1e-9} and tags.team = 'ml'",
)
assert list(found["run_id"]) == [best["run_id"]], found
ordered = client.search_runs([exp_id], order_by=["metrics.accuracy DESC", "params.C ASC"])
assert abs(ordered[0].data.metrics["accuracy"] - max(v["accuracy"] for v in runs.values())) < 1e-12
assert len(client.search_runs([exp_id], filter_string="attributes.run_name LIKE 'logreg-%'")) == 2
assert len(client.search_runs([exp_id], filter_string="datasets.context = 'train'")) == 2
paged = client.search_runs([exp_id], max_results=1)
assert len(paged) == 1 and paged.token, "a second page exists"
assert len(client.search_runs([exp_id], max_results=1, page_token=paged.token)) == 1

# --- artifacts, including non-ASCII names and content ----------------------------------------
top = {f.path for f in client.list_artifacts(best["run_id"])}
assert {"notes", "config", "tables"} <= top, top
with tempfile.TemporaryDirectory() as d:
    local = mlflow.artifacts.download_artifacts(run_id=best["run_id"], artifact_path="notes/résumé.txt", dst_path=d)
    with open(local, encoding="utf-8") as f:
        assert f.read() == UNICODE_TEXT
    cfg = mlflow.artifacts.load_dict(f"runs:/{best['run_id']}/config/params.json")
    assert cfg["ünïcödé"] == "✓"

# --- registry: versions, aliases, tags, load by alias ------------------------------------------
versions = client.search_model_versions("name = 'penguin-classifier'")
assert sorted(int(v.version) for v in versions) == [1, 2], [v.version for v in versions]
best_version = next(v for v in versions if v.run_id == best["run_id"])
client.set_registered_model_alias("penguin-classifier", "champion", best_version.version)
client.set_model_version_tag("penguin-classifier", best_version.version, "validated", "yes")
client.update_registered_model("penguin-classifier", description="Species from bill and flipper")
mv = client.get_model_version_by_alias("penguin-classifier", "champion")
assert mv.version == best_version.version and mv.tags["validated"] == "yes"
assert "champion" in client.get_registered_model("penguin-classifier").aliases

loaded = mlflow.pyfunc.load_model("models:/penguin-classifier@champion")
pred = loaded.predict(X_test)
assert list(pred) == list(best["model"].predict(X_test)), "loaded model predicts like the trained one"
uri = client.get_model_version_download_uri("penguin-classifier", best_version.version)
assert uri.startswith("mlflow-artifacts:"), uri

logged = mlflow.get_logged_model(best["model_uri"].split("/")[-1]) if best["model_uri"].startswith("models:/m-") else None
if logged is not None:
    assert logged.status.to_proto() == 2 or str(logged.status).endswith("READY"), logged.status

# --- errors use MLflow's codes ---------------------------------------------------------------
expect_error("RESOURCE_DOES_NOT_EXIST", client.get_run, "0" * 32)
expect_error("RESOURCE_ALREADY_EXISTS", client.create_experiment, "penguins-species")
expect_error("RESOURCE_DOES_NOT_EXIST", client.get_registered_model, "no-such-model")
msg = expect_error("INVALID_PARAMETER_VALUE", client.log_param, best["run_id"], "C", "999")
assert "Changing param values is not allowed" in msg, msg
# The client splits big batches itself, so oversized ones are sent raw, as another client might.
too_many = [{"key": "m", "value": float(i), "timestamp": 0, "step": i} for i in range(1001)]
too_many_params = [{"key": f"p{i}", "value": "v"} for i in range(101)]
for body in [{"run_id": best["run_id"], "metrics": too_many}, {"run_id": best["run_id"], "params": too_many_params}]:
    status, answer = raw("POST", "/api/2.0/mlflow/runs/log-batch", body=json.dumps(body), headers={"Content-Type": "application/json"})
    assert status == 400 and json.loads(answer)["error_code"] == "INVALID_PARAMETER_VALUE", (status, answer)
assert "m" not in client.get_run(best["run_id"]).data.metrics, "a refused batch writes nothing"
expect_error("INVALID_PARAMETER_VALUE", client.search_runs, [exp_id], filter_string="metrics.accuracy >>> 1")

status, body = raw("POST", "/api/2.0/mlflow/runs/log-batch", body=b'{"run_id": ', headers={"Content-Type": "application/json"})
assert status == 400 and json.loads(body)["error_code"] == "INVALID_PARAMETER_VALUE", (status, body)

for path in [
    "/api/2.0/mlflow-artifacts/artifacts/../../escaped.txt",
    "/api/2.0/mlflow-artifacts/artifacts/0/%2e%2e/%2e%2e/escaped.txt",
    "/api/2.0/mlflow-artifacts/artifacts/..%2f..%2fescaped.txt",
]:
    status, body = raw("PUT", path, body=b"nope")
    assert status in (400, 404), (path, status, body)

# --- run lifecycle ------------------------------------------------------------------------
extra = client.create_run(exp_id, run_name="to-delete")
client.delete_run(extra.info.run_id)
assert len(client.search_runs([exp_id], run_view_type=mlflow.entities.ViewType.DELETED_ONLY)) == 1
client.restore_run(extra.info.run_id)
client.set_terminated(extra.info.run_id, status="KILLED")
assert client.get_run(extra.info.run_id).info.status == "KILLED"
client.delete_tag(best["run_id"], "data.version")
assert "data.version" not in client.get_run(best["run_id"]).data.tags

print(json.dumps({
    "experiment_id": exp_id,
    "best_run": best["run_id"],
    "best_accuracy": best["accuracy"],
    "champion_version": best_version.version,
}))
