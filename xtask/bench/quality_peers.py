"""Rule-check benchmark: Assay against Great Expectations 1.x and pandera (polars backend) on the
same machine, the same parquet file and the same 20 checks, in one run.

Usage: python quality_peers.py CHECK_BENCH_BIN FLIGHTS_PARQUET SUITE_YAML [--runs N]

  CHECK_BENCH_BIN  the release build of crates/assay-quality/examples/check_bench.rs
  SUITE_YAML       crates/assay-quality/tests/fixtures/flights_20.yaml (the checks below mirror it)

Each tool's time is the median of N runs (default 5) inside one warm process, and covers reading
the parquet file and running all 20 checks including failing-row samples:
  - Assay: scan + one lazy pass (+ samples of the first 10 failing rows per rule).
  - Great Expectations: ephemeral context, pandas data frame (GX 1.x's default and fastest local
    engine; its Spark/SQL engines need a server), result_format="SUMMARY" (unexpected counts and
    a partial list of unexpected values per expectation). pd.read_parquet is timed too.
  - pandera: pandera.polars DataFrameSchema, validate(lazy=True) so every check runs and the
    failure cases (the failing values) are collected. pl.read_parquet is timed too.
Prints each tool's seconds and the ratios (goals: >= 25x GX, >= 3x pandera).
"""
import os
import re
import subprocess
import sys
import tempfile

PEER = r'''
import statistics, sys, time, warnings
warnings.filterwarnings("ignore")
path, tool, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])

CARRIERS = ["9E", "AA", "AS", "B6", "DL", "EV", "F9", "FL", "HA", "MQ", "OO", "UA", "US", "VX", "WN", "YV"]
KEY = ["year", "month", "day", "carrier", "flight", "origin", "sched_dep_time"]


def gx_setup():
    import great_expectations as gx
    import great_expectations.expectations as gxe
    ctx = gx.get_context(mode="ephemeral")
    asset = ctx.data_sources.add_pandas("local").add_dataframe_asset("flights")
    batch_def = asset.add_batch_definition_whole_dataframe("all")
    suite = gx.ExpectationSuite(name="flights")
    for e in [
        gxe.ExpectColumnValuesToNotBeNull(column="dep_time", mostly=0.97),
        gxe.ExpectColumnValuesToNotBeNull(column="carrier"),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=KEY),
        gxe.ExpectColumnValuesToBeBetween(column="month", min_value=1, max_value=12),
        gxe.ExpectColumnValuesToBeBetween(column="day", min_value=1, max_value=31),
        gxe.ExpectColumnValuesToBeBetween(column="hour", min_value=0, max_value=23),
        gxe.ExpectColumnValuesToBeBetween(column="dep_delay", min_value=-60, max_value=1500),
        gxe.ExpectColumnValuesToBeInSet(column="origin", value_set=["EWR", "JFK", "LGA"]),
        gxe.ExpectColumnValuesToBeInSet(column="carrier", value_set=CARRIERS),
        gxe.ExpectColumnValuesToMatchRegex(column="carrier", regex=r"^[A-Z0-9]{2}$"),
        gxe.ExpectColumnValuesToMatchRegex(column="tailnum", regex=r"^N[0-9A-Z]{1,5}$"),
        gxe.ExpectColumnValueLengthsToBeBetween(column="dest", min_value=3, max_value=3),
        gxe.ExpectColumnValuesToBeOfType(column="dep_delay", type_="float64"),
        gxe.ExpectTableRowCountToBeBetween(min_value=300000),
        gxe.ExpectColumnMeanToBeBetween(column="dep_delay", min_value=0, max_value=30),
        gxe.ExpectColumnMaxToBeBetween(column="air_time", max_value=700),
        gxe.ExpectColumnMedianToBeBetween(column="distance", min_value=500, max_value=1500),
        gxe.ExpectColumnStdevToBeBetween(column="arr_delay", min_value=0, max_value=100),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="sched_arr_time", column_B="sched_dep_time",
                                                    ignore_row_if="either_value_is_missing"),
        gxe.ExpectColumnValuesToBeBetween(column="arr_delay", max_value=1500, strict_max=True),
    ]:
        suite.add_expectation(e)
    suite = ctx.suites.add(suite)

    def once():
        import pandas as pd
        df = pd.read_parquet(path)
        batch = batch_def.get_batch(batch_parameters={"dataframe": df})
        r = batch.validate(suite, result_format="SUMMARY")
        return sum(1 for x in r.results if not x.success)
    return once


def pandera_setup():
    import polars as pl
    import pandera.polars as pa
    agg = lambda e: pa.Check(lambda d: d.lazyframe.select(e))
    schema = pa.DataFrameSchema(
        {
            "dep_time": pa.Column(pl.Float64, nullable=True,
                                  checks=agg(pl.col("dep_time").null_count() <= 0.03 * pl.len())),
            "carrier": pa.Column(pl.String, nullable=False, checks=[
                pa.Check.isin(CARRIERS), pa.Check.str_matches(r"^[A-Z0-9]{2}$")]),
            "month": pa.Column(pl.Int64, pa.Check.in_range(1, 12)),
            "day": pa.Column(pl.Int64, pa.Check.in_range(1, 31)),
            "hour": pa.Column(pl.Int64, pa.Check.in_range(0, 23)),
            "dep_delay": pa.Column(pl.Float64, nullable=True, checks=[
                pa.Check.in_range(-60, 1500), agg(pl.col("dep_delay").mean().is_between(0, 30))]),
            "origin": pa.Column(pl.String, pa.Check.isin(["EWR", "JFK", "LGA"])),
            "tailnum": pa.Column(pl.String, nullable=True, checks=pa.Check.str_matches(r"^N[0-9A-Z]{1,5}$")),
            "dest": pa.Column(pl.String, pa.Check.str_length(3, 3)),
            "air_time": pa.Column(pl.Float64, nullable=True, checks=agg(pl.col("air_time").max() <= 700)),
            "distance": pa.Column(pl.Int64, agg(pl.col("distance").median().is_between(500, 1500))),
            "arr_delay": pa.Column(pl.Float64, nullable=True, checks=[
                agg(pl.col("arr_delay").std().is_between(0, 100)), pa.Check.lt(1500)]),
        },
        unique=KEY,
        checks=[
            agg(pl.len() >= 300000),
            pa.Check(lambda d: d.lazyframe.select(
                (pl.col("sched_arr_time") > pl.col("sched_dep_time")).fill_null(True).alias("ok"))),
        ],
    )

    def once():
        df = pl.read_parquet(path)
        try:
            schema.validate(df, lazy=True)
            return 0
        except pa.errors.SchemaErrors as e:
            return len(e.failure_cases)
    return once


once = gx_setup() if tool == "gx" else pandera_setup()
once()  # warm up (imports, caches)
times = []
for _ in range(runs):
    t0 = time.perf_counter()
    failed = once()
    times.append(time.perf_counter() - t0)
print(f"failed: {failed}")
print(f"median_seconds: {statistics.median(times):.4f}")
'''


def median_of(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    m = re.search(r"median_seconds: ([0-9.]+)", out)
    if not m:
        sys.exit(f"no timing in the output of {cmd}:\n{out}")
    return float(m.group(1)), out


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    bench, data, suite = sys.argv[1], sys.argv[2], sys.argv[3]
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5
    peer = os.path.join(tempfile.mkdtemp(prefix="assay-qbench-"), "peer.py")
    with open(peer, "w") as f:
        f.write(PEER)
    assay, out = median_of([bench, suite, data, str(runs)])
    print(out.strip().splitlines()[0])
    pandera, _ = median_of([sys.executable, peer, data, "pandera", str(runs)])
    gx, _ = median_of([sys.executable, peer, data, "gx", str(max(1, runs // 2))])
    print(f"\n20 checks on {os.path.basename(data)} (median of warm runs)")
    print(f"{'tool':<28}{'seconds':>10}")
    for name, t in [("assay", assay), ("pandera (polars)", pandera), ("great expectations (pandas)", gx)]:
        print(f"{name:<28}{t:>10.4f}")
    print(f"\nassay vs great expectations: {gx / assay:.1f}x faster (goal >= 25x)")
    print(f"assay vs pandera-polars:     {pandera / assay:.1f}x faster (goal >= 3x)")


if __name__ == "__main__":
    main()
