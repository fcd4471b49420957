"""Metric ingest against assay serve and a real `mlflow server`, same load, same machine, same run.

Usage: python track_peers.py ASSAY_BIN [--threads 8] [--batches 40] [--runs-table 10000]

Each server gets the same load: THREADS threads, each with its own run, posting BATCHES
log-batch calls of 1000 metric points (MLflow's limit) over plain HTTP. Printed per server:
points/s, p50/p99 latency per batch, and whether every point reads back (metrics/get-history).
Then assay's runs table: 10,000 runs with 100 params and 20 metrics each, and the time of the
first page the Experiments panel asks for (runs_page + run_columns), median of 5.
"""

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import requests


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.25)
    raise SystemExit(f"{url} did not answer within {timeout} s")


def start_assay(binary, work):
    subprocess.run([binary, "init", os.path.join(work, "proj")], check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    proc = subprocess.Popen(
        [binary, "serve", "--project", os.path.join(work, "proj"), "--addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    wait_http(base + "/api/health")
    return proc, base


def start_mlflow(work):
    port = free_port()
    mlflow = os.path.join(os.path.dirname(sys.executable), "mlflow")
    proc = subprocess.Popen(
        [mlflow, "server", "--host", "127.0.0.1", "--port", str(port),
         "--backend-store-uri", f"sqlite:///{work}/mlflow.db",
         "--serve-artifacts", "--artifacts-destination", f"{work}/mlflow-artifacts", "--workers", "4"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    wait_http(base + "/health", timeout=180)
    return proc, base


def api(base, path, body):
    r = requests.post(f"{base}/api/2.0/mlflow/{path}", json=body, timeout=120)
    r.raise_for_status()
    return r.json()


def ingest(base, threads, batches):
    exp = api(base, "experiments/create", {"name": f"ingest-{time.time_ns()}"})["experiment_id"]
    runs = [api(base, "runs/create", {"experiment_id": exp, "start_time": 0})["run"]["info"]["run_id"]
            for _ in range(threads)]
    latencies = []
    lock = threading.Lock()
    errors = []

    def worker(run_id, t):
        session = requests.Session()
        mine = []
        for b in range(batches):
            metrics = [{"key": f"m{i % 10}", "value": float(b * 1000 + i), "timestamp": 1_700_000_000_000 + b,
                        "step": b * 100 + i // 10} for i in range(1000)]
            start = time.perf_counter()
            r = session.post(f"{base}/api/2.0/mlflow/runs/log-batch", json={"run_id": run_id, "metrics": metrics},
                             timeout=300)
            mine.append(time.perf_counter() - start)
            if r.status_code != 200:
                errors.append(r.text[:200])
        with lock:
            latencies.extend(mine)

    start = time.perf_counter()
    ts = [threading.Thread(target=worker, args=(r, i)) for i, r in enumerate(runs)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    wall = time.perf_counter() - start
    sent = threads * batches * 1000
    stored = 0
    for run_id in runs:
        for k in range(10):
            r = requests.get(f"{base}/api/2.0/mlflow/metrics/get-history",
                             params={"run_id": run_id, "metric_key": f"m{k}", "max_results": 1_000_000}, timeout=300)
            r.raise_for_status()
            stored += len(r.json().get("metrics", []))
    latencies.sort()
    return {
        "points": sent,
        "seconds": wall,
        "points_per_s": sent / wall,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
        "read_back": stored,
        "errors": len(errors),
    }


def runs_table(base, runs, params, metrics):
    exp = api(base, "experiments/create", {"name": "runs-table"})["experiment_id"]
    session = requests.Session()
    for i in range(runs):
        run_id = session.post(f"{base}/api/2.0/mlflow/runs/create",
                              json={"experiment_id": exp, "run_name": f"r{i}", "start_time": i}).json()["run"]["info"]["run_id"]
        body = {
            "run_id": run_id,
            "params": [{"key": f"p{j:03d}", "value": str((i * 7 + j) % 13)} for j in range(params)],
            "metrics": [{"key": f"m{j:02d}", "value": ((i * 31 + j) % 997) / 997, "timestamp": i, "step": 0}
                        for j in range(metrics)],
        }
        session.post(f"{base}/api/2.0/mlflow/runs/log-batch", json=body).raise_for_status()
    times = []
    for _ in range(5):
        start = time.perf_counter()
        cols = session.post(f"{base}/api/run_columns", json={"experiment_ids": [exp]}).json()
        page = session.post(f"{base}/api/runs_page", json={
            "experiment_ids": [exp], "order_by": ["metrics.m03 DESC"], "offset": 0, "limit": 200}).json()
        times.append(time.perf_counter() - start)
        assert page["total"] == runs and len(page["rows"]) == 200 and len(cols["params"]) == params, page.get("total")
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("assay")
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--batches", type=int, default=40)
    ap.add_argument("--runs-table", type=int, default=10_000)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="assay-track-bench-")
    procs = []
    try:
        a_proc, a_base = start_assay(args.assay, work)
        procs.append(a_proc)
        assay = ingest(a_base, args.threads, args.batches)
        m_proc, m_base = start_mlflow(work)
        procs.append(m_proc)
        peer = ingest(m_base, args.threads, max(2, args.batches // 4))
        print(f"\nmetric ingest: {args.threads} threads x 1000-point log-batch calls")
        print(f"{'server':<14}{'points':>10}{'points/s':>12}{'p50 ms':>9}{'p99 ms':>9}{'read back':>11}{'errors':>8}")
        for name, r in [("assay serve", assay), ("mlflow server", peer)]:
            print(f"{name:<14}{r['points']:>10}{r['points_per_s']:>12.0f}{r['p50_ms']:>9.1f}{r['p99_ms']:>9.1f}"
                  f"{r['read_back']:>11}{r['errors']:>8}")
        ratio = assay["points_per_s"] / peer["points_per_s"]
        print(f"ratio: assay ingests {ratio:.1f}x mlflow's points/s (goal >= 10x); "
              f"assay p99 {assay['p99_ms']:.1f} ms (goal < 100 ms); "
              f"lost points: assay {assay['points'] - assay['read_back']}, mlflow {peer['points'] - peer['read_back']}")
        if args.runs_table:
            t = runs_table(a_base, args.runs_table, 100, 20)
            print(f"runs table: {args.runs_table} runs x 100 params x 20 metrics, first page (columns + 200 rows "
                  f"sorted by a metric): {1000 * t:.0f} ms median of 5 (goal < 300 ms)")
        print(json.dumps({"assay": assay, "mlflow": peer, "ratio": ratio}))
    finally:
        for p in procs:
            p.terminate()
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
