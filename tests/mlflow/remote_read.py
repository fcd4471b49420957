"""Reads runs back with the real `mlflow` client from the server at MLFLOW_TRACKING_URI.

Usage: remote_read.py RUN_ID... Prints one JSON document: for each run its experiment name,
params, tags, every point of every metric and the text of notes/résumé.txt (or null).
"""

import json
import os
import sys
import tempfile

from mlflow import MlflowClient

client = MlflowClient()
out = {}
for run_id in sys.argv[1:]:
    run = client.get_run(run_id)
    history = {}
    for key in run.data.metrics:
        points = client.get_metric_history(run_id, key)
        history[key] = sorted([p.step, p.value, p.timestamp] for p in points)
    with tempfile.TemporaryDirectory() as tmp:
        try:
            path = client.download_artifacts(run_id, "notes/résumé.txt", tmp)
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except Exception:  # noqa: BLE001 - absent artifact
            text = None
    out[run_id] = {
        "experiment": client.get_experiment(run.info.experiment_id).name,
        "status": run.info.status,
        "params": run.data.params,
        "tags": run.data.tags,
        "history": history,
        "text": text,
        "artifacts": sorted(a.path for a in client.list_artifacts(run_id)),
    }
print(json.dumps(out))
