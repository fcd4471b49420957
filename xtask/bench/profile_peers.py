"""Profile benchmark: Assay against its peers on the same machine, in the same run.

Usage: python profile_peers.py ASSAY_BIN DATA_FILE [--big]
Prints wall time and peak RSS of each tool and the ratios Assay wins by:
  - ydata-profiling's default report (ProfileReport(df).to_json())
  - polars' bare describe() (the floor: no histograms, correlations or alerts)
With --big, also builds flights x30 (~10M rows) as CSV and Parquet and profiles both with Assay.
"""
import json
import os
import resource
import subprocess
import sys
import tempfile
import time


def run_child(cmd):
    """Runs a command, returning (seconds, peak RSS in MB of that child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    dt = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return dt, max(peak, before) / 1024


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


def main():
    assay, data = sys.argv[1], sys.argv[2]
    big = "--big" in sys.argv
    out = tempfile.mkdtemp(prefix="assay-bench-")
    peer = os.path.join(out, "peer.py")
    with open(peer, "w") as f:
        f.write(PEER)
    rows = []
    t, rss = run_child([assay, "profile", data, "--out", os.path.join(out, "p.json")])
    rows.append(("assay profile", t, rss))
    t, rss = run_child([sys.executable, peer, data, "describe"])
    rows.append(("polars describe", t, rss))
    t, rss = run_child([sys.executable, peer, data, "ydata"])
    rows.append(("ydata-profiling", t, rss))
    print(f"\nprofile of {os.path.basename(data)}")
    print(f"{'tool':<20}{'seconds':>10}{'peak MB':>10}")
    for name, t, rss in rows:
        print(f"{name:<20}{t:>10.2f}{rss:>10.0f}")
    a = rows[0][1]
    print(f"\nassay vs ydata-profiling: {rows[2][1] / a:.1f}x faster (goal >= 100x)")
    print(f"assay vs polars describe: {a / rows[1][1]:.2f}x its time (goal <= 3x)")
    if big:
        import polars as pl
        df = pl.read_parquet(data)
        big_df = pl.concat([df] * 30)
        pq, csv = os.path.join(out, "big.parquet"), os.path.join(out, "big.csv")
        big_df.write_parquet(pq)
        big_df.write_csv(csv)
        del df, big_df
        for path in (pq, csv):
            t, rss = run_child([assay, "profile", path, "--out", os.path.join(out, "big.json")])
            print(f"assay profile {os.path.basename(path)} ({30 * 336_776:,} rows): {t:.1f} s, peak {rss:.0f} MB (goal < 2048 MB)")
    with open(os.path.join(out, "p.json")) as f:
        print(f"assay: {json.load(f)['profile']['table']['rows']:,} rows profiled")


if __name__ == "__main__":
    main()
