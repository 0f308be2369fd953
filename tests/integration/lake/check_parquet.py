#!/usr/bin/env python3
"""Reads every curated Parquet file under ROOT with pyarrow and with DuckDB and checks that
both see exactly what envmon wrote: the schema and types, every file's row count (footer,
pyarrow, DuckDB), and every value (the union of all files equals EXPECTED, a JSON-lines file of
the rows envmon appended). Prints one line per check; exits 1 on the first difference."""
import argparse
import json
import math
import pathlib
import sys

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

COLUMNS = ["source", "station", "region", "metric", "unit", "observed_at", "ingested_at",
           "value", "raw", "flags"]
ARROW_TYPES = {
    "source": (pa.string(), False), "station": (pa.string(), False),
    "region": (pa.string(), True), "metric": (pa.string(), False), "unit": (pa.string(), False),
    "observed_at": (pa.timestamp("ms", tz="UTC"), False),
    "ingested_at": (pa.timestamp("ms", tz="UTC"), False),
    "value": (pa.float64(), True), "raw": (pa.float64(), True), "flags": (pa.int32(), False),
}
DUCKDB_TYPES = {"source": "VARCHAR", "station": "VARCHAR", "region": "VARCHAR",
                "metric": "VARCHAR", "unit": "VARCHAR",
                "observed_at": "TIMESTAMP WITH TIME ZONE",
                "ingested_at": "TIMESTAMP WITH TIME ZONE", "value": "DOUBLE", "raw": "DOUBLE",
                "flags": "INTEGER"}


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def norm(row):
    """A row as a hashable tuple: timestamps as epoch ms, floats by their exact bits."""
    out = []
    for c in COLUMNS:
        v = row[c]
        if hasattr(v, "timestamp"):
            v = round(v.timestamp() * 1000)
        if isinstance(v, float):
            if math.isnan(v):
                fail(f"NaN in column {c}: envmon writes masked values as null")
            v = v.hex()
        out.append(v)
    return tuple(out)


def check_file(path, con):
    meta = pq.ParquetFile(path).metadata
    table = pq.read_table(path)
    if table.column_names != COLUMNS:
        fail(f"{path}: columns {table.column_names}")
    for field in table.schema:
        want, nullable = ARROW_TYPES[field.name]
        if field.type != want or field.nullable != nullable:
            fail(f"{path}: pyarrow type of {field.name} is {field.type} nullable={field.nullable}")
    for g in range(meta.num_row_groups):
        for c in range(meta.num_columns):
            col = meta.row_group(g).column(c)
            if not col.is_stats_set or col.statistics.null_count is None:
                fail(f"{path}: row group {g} column {c} has no statistics")
    arrow_rows = [norm(r) for r in table.to_pylist()]
    described = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{path}', hive_partitioning = false)").fetchall()
    for name, typ, *_ in described:
        if DUCKDB_TYPES[name] != typ:
            fail(f"{path}: DuckDB type of {name} is {typ}")
    cur = con.execute(f"SELECT * FROM read_parquet('{path}', hive_partitioning = false)")
    names = [d[0] for d in cur.description]
    duck_rows = [norm(dict(zip(names, r))) for r in cur.fetchall()]
    if not (meta.num_rows == len(arrow_rows) == len(duck_rows)):
        fail(f"{path}: rows footer={meta.num_rows} pyarrow={len(arrow_rows)} duckdb={len(duck_rows)}")
    if arrow_rows != duck_rows:
        fail(f"{path}: pyarrow and DuckDB read different values")
    return arrow_rows


def expected_rows(path):
    rows = []
    for line in pathlib.Path(path).read_text().splitlines():
        r = json.loads(line)
        for c in ("value", "raw"):
            if r[c] is not None:
                r[c] = float(r[c])
        rows.append(tuple(r[c].hex() if isinstance(r[c], float) else r[c] for c in COLUMNS))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True, help="lake root (holds curated/)")
    ap.add_argument("--expected", required=True, help="JSON lines of the rows envmon wrote")
    args = ap.parse_args()
    files = sorted(pathlib.Path(args.root, "curated").rglob("*.parquet"))
    if not files:
        fail("no curated Parquet files under " + args.root)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    got = []
    for f in files:
        got.extend(check_file(str(f), con))
    want = expected_rows(args.expected)
    if sorted(got) != sorted(want):
        fail(f"values differ: {len(got)} rows in the lake, {len(want)} written")
    total = con.execute(
        f"SELECT count(*) FROM read_parquet('{args.root}/curated/**/*.parquet', "
        "hive_partitioning = false)").fetchone()[0]
    if total != len(want):
        fail(f"DuckDB glob over the lake counts {total} rows, {len(want)} written")
    print(f"ok: {len(files)} files, {len(got)} rows identical in pyarrow "
          f"{pa.__version__} and DuckDB {duckdb.__version__}")


if __name__ == "__main__":
    main()
