"""Anomaly-detection benchmark: Assay's detectors against scikit-learn and PyOD on the same
ADBench sets, in the same run.

Usage: python anomaly_peers.py DATA_DIR [--methods m1,m2,...] [--no-build]
  DATA_DIR   folder of *.parquet sets (numeric x0..xN, label 1 = anomaly), e.g. ../shared/data/anomaly
  --methods  Assay detectors to run (default: ensemble,isolation_forest,ecod plus every other one)
Runs `cargo run --release -p assay-anomaly --example adbench -- --methods ... DATA_DIR` (with
CARGO_TARGET_DIR defaulting to /var/cache/assay/target-release), then, per set:
  - scikit-learn IsolationForest(n_estimators=100, random_state=0): fit + score_samples
  - PyOD ECOD(): fit (its decision_scores_)
and prints per-set ROC-AUC and seconds for both sides, means and totals, and the ratios
(speed-up = peer time / Assay time, AUC difference = Assay - peer). Peer time is fit + score on
arrays already in memory; Assay time is the whole detect() call on a frame already in memory.
Needs numpy, polars, scikit-learn and pyod (pip install scikit-learn pyod).
"""
import glob
import json
import os
import subprocess
import sys
import time

import numpy as np
import polars as pl
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score

ALL = ("ensemble,isolation_forest,ecod,copod,hbos,knn,lof,pca,mad,iqr,dbscan,gmm")


def run_assay(data_dir, methods, build):
    env = dict(os.environ)
    env.setdefault("CARGO_TARGET_DIR", "/var/cache/assay/target-release")
    cmd = ["cargo", "run", "--release", "-q", "-p", "assay-anomaly", "--example", "adbench",
           "--", "--methods", methods, data_dir]
    if not build:
        exe = os.path.join(env["CARGO_TARGET_DIR"], "release", "examples", "adbench")
        cmd = [exe, "--methods", methods, data_dir]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    last = [line for line in out.splitlines() if line.startswith("{")][-1]
    doc = json.loads(last)
    table = {}
    for r in doc["sets"]:
        table[(r["set"], r["method"])] = (r["auc"], r["seconds"])
    return table


def run_peers(path):
    df = pl.read_parquet(path)
    y = df["label"].to_numpy()
    x = df.drop("label").to_numpy().astype(np.float64)
    res = {}
    t = time.perf_counter()
    s = -IsolationForest(n_estimators=100, random_state=0).fit(x).score_samples(x)
    res["sklearn_iforest"] = (roc_auc_score(y, s), time.perf_counter() - t)
    from pyod.models.ecod import ECOD
    t = time.perf_counter()
    s = ECOD().fit(x).decision_scores_
    res["pyod_ecod"] = (roc_auc_score(y, s), time.perf_counter() - t)
    return res


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        sys.exit(2)
    methods = ALL
    if "--methods" in args:
        methods = args[args.index("--methods") + 1]
    build = "--no-build" not in args
    data_dir = [a for a in args if not a.startswith("--") and a != methods][0]
    assay = run_assay(data_dir, methods, build)
    sets = sorted(os.path.basename(p)[:-8] for p in glob.glob(os.path.join(data_dir, "*.parquet")))
    peers = {s: run_peers(os.path.join(data_dir, s + ".parquet")) for s in sets}

    pairs = [("isolation_forest", "sklearn_iforest"), ("ecod", "pyod_ecod")]
    hdr = f"{'set':<12}"
    for ours, theirs in pairs:
        hdr += f" | {theirs:>15} auc   s | {'assay ' + ours:>22} auc   s"
    if "ensemble" in methods:
        hdr += " | assay ensemble auc   s"
    print(hdr)
    for s in sets:
        line = f"{s:<12}"
        for ours, theirs in pairs:
            pa, pt = peers[s][theirs]
            oa, ot = assay.get((s, ours), (float("nan"), float("nan")))
            line += f" | {pa:>19.4f} {pt:6.3f} | {oa:>26.4f} {ot:6.3f}"
        if "ensemble" in methods:
            ea, et = assay[(s, "ensemble")]
            line += f" | {ea:>18.4f} {et:6.3f}"
        print(line)

    print("\nsummary over", len(sets), "sets (mean ROC-AUC, total seconds)")
    def mean_total(vals):
        return float(np.mean([v[0] for v in vals])), float(np.sum([v[1] for v in vals]))
    peer_sum = {k: mean_total([peers[s][k] for s in sets]) for k in ("sklearn_iforest", "pyod_ecod")}
    for k, (a, t) in peer_sum.items():
        print(f"  {k:<24} auc {a:.4f}  time {t:8.3f}s")
    ours_sum = {}
    for m in methods.split(","):
        vals = [assay[(s, m)] for s in sets if (s, m) in assay]
        if vals:
            ours_sum[m] = mean_total(vals)
            a, t = ours_sum[m]
            print(f"  assay {m:<18} auc {a:.4f}  time {t:8.3f}s")
    print("\nratios")
    ifa, ift = peer_sum["sklearn_iforest"]
    eca, ect = peer_sum["pyod_ecod"]
    if "isolation_forest" in ours_sum:
        a, t = ours_sum["isolation_forest"]
        print(f"  isolation forest: AUC diff {a - ifa:+.4f} (need >= -0.01), speed-up {ift / t:.2f}x (need >= 3)")
    if "ecod" in ours_sum:
        a, t = ours_sum["ecod"]
        print(f"  ecod vs PyOD:     AUC diff {a - eca:+.4f}, speed-up {ect / t:.2f}x")
    if "ensemble" in ours_sum:
        a, t = ours_sum["ensemble"]
        print(f"  default ensemble: AUC {a:.4f} (need >= 0.83), time {t:.3f}s = {t / ift:.3f} of sklearn IF (need <= 0.333)")
    print(json.dumps({"peers": peer_sum, "assay": ours_sum}))


if __name__ == "__main__":
    main()
