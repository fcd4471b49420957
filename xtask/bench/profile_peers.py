"""Profile benchmark: Assay against its peers on the same machine, in the same run.

Usage: python profile_peers.py ASSAY_BIN DATA_FILE [--big] [--big-dir DIR] [--runs N]
Prints wall time and peak RSS of each tool (each child's own peak, from wait4) and the ratios
Assay wins by:
  - ydata-profiling's default report (ProfileReport(df).to_json())
  - polars' bare describe() (the floor: no histograms, correlations or alerts)
Assay and polars run --runs times (default 3) and the best time counts; ydata-profiling once.
With --big, also profiles flights x30 (10,103,280 rows) as Parquet and as CSV with Assay. The
files are generated once into --big-dir (default $ASSAY_BENCH_BIG or /var/cache/assay/big,
outside the clone) by make_big() below, with polars' streaming engine.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

REPEAT = 30


def run_child(cmd):
    """Runs a command, returning (seconds, peak RSS in MB of that child alone)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed with exit code {p.returncode}")
    return dt, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def best_of(cmd, runs):
    results = [run_child(cmd) for _ in range(runs)]
    return min(results, key=lambda r: r[0])


PEER = r'''
import sys, time
import polars as pl
path, tool = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
if tool == "describe":
    pl.scan_parquet(path).collect().describe()
else:
    import pandas as pd
    from ydata_profiling import ProfileReport
    df = pd.read_parquet(path)
    ProfileReport(df, progress_bar=False).to_json()
'''


def make_big(data, out_dir):
    """flights repeated REPEAT times, as Parquet and CSV in out_dir (made once, then reused)."""
    os.makedirs(out_dir, exist_ok=True)
    pq = os.path.join(out_dir, f"flights_x{REPEAT}.parquet")
    csv = os.path.join(out_dir, f"flights_x{REPEAT}.csv")
    import polars as pl
    for path, sink in ((pq, "sink_parquet"), (csv, "sink_csv")):
        if os.path.exists(path):
            continue
        print(f"generating {path} ...", flush=True)
        tmp = path + ".tmp"
        big = pl.concat([pl.scan_parquet(data)] * REPEAT)
        getattr(big, sink)(tmp)
        os.replace(tmp, path)
    return pq, csv


def main():
    args = sys.argv[1:]
    assay, data = args[0], args[1]
    big = "--big" in args
    big_dir = os.environ.get("ASSAY_BENCH_BIG", "/var/cache/assay/big")
    runs = 3
    if "--big-dir" in args:
        big_dir = args[args.index("--big-dir") + 1]
    if "--runs" in args:
        runs = int(args[args.index("--runs") + 1])
    out = tempfile.mkdtemp(prefix="assay-bench-")
    peer = os.path.join(out, "peer.py")
    with open(peer, "w") as f:
        f.write(PEER)
    load = os.getloadavg()[0]
    rows = []
    t, rss = best_of([assay, "profile", data, "--out", os.path.join(out, "p.json")], runs)
    rows.append(("assay profile", t, rss))
    t, rss = best_of([sys.executable, peer, data, "describe"], runs)
    rows.append(("polars describe", t, rss))
    t, rss = run_child([sys.executable, peer, data, "ydata"])
    rows.append(("ydata-profiling", t, rss))
    print(f"\nprofile of {os.path.basename(data)} ({os.cpu_count()} CPUs, load {load:.2f} at start)")
    print(f"{'tool':<20}{'seconds':>10}{'peak MB':>10}")
    for name, t, rss in rows:
        print(f"{name:<20}{t:>10.3f}{rss:>10.0f}")
    a = rows[0][1]
    print(f"\nassay vs ydata-profiling: {rows[2][1] / a:.1f}x faster (goal >= 100x)")
    print(f"assay vs polars describe: {a / rows[1][1]:.2f}x its time (goal <= 3x)")
    with open(os.path.join(out, "p.json")) as f:
        print(f"assay: {json.load(f)['profile']['table']['rows']:,} rows profiled")
    if big:
        pq, csv = make_big(data, big_dir)
        print(f"\nflights x{REPEAT} ({REPEAT * 336_776:,} rows), load {os.getloadavg()[0]:.2f} at start")
        print(f"{'file':<28}{'seconds':>10}{'peak MB':>10}")
        for path in (pq, csv):
            report = os.path.join(out, "big.json")
            t, rss = run_child([assay, "profile", path, "--out", report])
            with open(report) as f:
                n = json.load(f)["profile"]["table"]["rows"]
            assert n == REPEAT * 336_776, n
            goal = "ok" if rss < 2048 else "OVER the 2048 MB goal"
            print(f"{os.path.basename(path):<28}{t:>10.2f}{rss:>10.0f}  ({goal})")


if __name__ == "__main__":
    main()
