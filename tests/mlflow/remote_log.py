"""Logs runs with the real `mlflow` client into the server at MLFLOW_TRACKING_URI.

Usage: remote_log.py EXPERIMENT RUNS [MODEL]. Each run has params, a tag, a 5-step `loss`
history, a non-ASCII text artifact and model/model.json; with MODEL, the first run's model folder
is registered as a version, aliased `champion`. The last line printed is a JSON summary.
"""

import json
import sys

import mlflow
from mlflow import MlflowClient

TEXT = "Grüße aus Zürich, 数据质量 ✓, naïve café\n"
experiment, count = sys.argv[1], int(sys.argv[2])
model = sys.argv[3] if len(sys.argv) > 3 else None

client = MlflowClient()
mlflow.set_experiment(experiment)
ids = []
for i in range(count):
    with mlflow.start_run(run_name=f"run-{i}") as run:
        mlflow.log_params({"alpha": str(0.1 * (i + 1)), "model": "forest"})
        mlflow.set_tag("team", "données")
        for step in range(5):
            mlflow.log_metric("loss", 1.0 / (step + 1 + i), step=step)
        mlflow.log_metric("accuracy", 0.8 + 0.01 * i)
        mlflow.log_text(TEXT, "notes/résumé.txt")
        mlflow.log_dict({"kind": "forest", "run": i}, "model/model.json")
        ids.append(run.info.run_id)

version = None
if model:
    client.create_registered_model(model, description="from the remote")
    uri = client.get_run(ids[0]).info.artifact_uri
    version = client.create_model_version(model, f"{uri}/model", run_id=ids[0]).version
    client.set_registered_model_alias(model, "champion", version)
print(json.dumps({"runs": ids, "version": version}))
