#!/usr/bin/env python3
"""After `envmon demo`: every curated Parquet file opens in pyarrow and DuckDB with the same
rows, and the curated lake holds exactly the measurements the store holds (same keys; the same
value, raw and flags wherever a key was written once; a key written twice is a revision the store
upserted, and the lake keeps both)."""
import argparse
import pathlib
import sqlite3
import sys
import urllib.parse

import duckdb
import pyarrow.parquet as pq


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def download(args, into):
    import boto3
    from botocore.config import Config
    s3 = boto3.client("s3", endpoint_url=args.s3_endpoint, region_name="us-east-1",
                      config=Config(s3={"addressing_style": "path"},
                                    request_checksum_calculation="when_required",
                                    response_checksum_validation="when_required"))
    kwargs = {"Bucket": args.bucket, "Prefix": args.prefix + "curated/"}
    while True:
        page = s3.list_objects_v2(**kwargs)
        for o in page.get("Contents", []):
            if o["Key"].endswith(".parquet"):
                dest = into / o["Key"][len(args.prefix):]
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(s3.get_object(Bucket=args.bucket, Key=o["Key"])["Body"].read())
        if not page.get("IsTruncated"):
            return
        kwargs["ContinuationToken"] = urllib.parse.unquote(page["NextContinuationToken"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--s3-endpoint", help="read the curated lake from S3 instead of data-dir/lake")
    ap.add_argument("--bucket")
    ap.add_argument("--prefix", default="")
    args = ap.parse_args()
    root = pathlib.Path(args.data_dir)
    lake_root = root / "lake"
    if args.s3_endpoint:
        lake_root = root / "from-s3"
        download(args, lake_root)
    files = sorted((lake_root / "curated").rglob("*.parquet"))
    if not files:
        fail("envmon wrote no curated Parquet files")
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    lake = {}
    rows = 0
    for f in files:
        t = pq.read_table(f)
        n = con.execute(f"SELECT count(*) FROM read_parquet('{f}', hive_partitioning = false)").fetchone()[0]
        if n != t.num_rows or n != pq.ParquetFile(f).metadata.num_rows:
            fail(f"{f}: pyarrow {t.num_rows} rows, DuckDB {n}")
        obs = t.column("observed_at").cast("int64").to_pylist()
        for i, r in enumerate(t.to_pylist()):
            key = (r["station"], r["metric"], obs[i], r["source"])
            lake.setdefault(key, []).append((r["value"], r["raw"], r["flags"]))
        rows += t.num_rows
    db = sqlite3.connect(root / "envmon.db")
    store = {(s, m, o, src): (v, raw, fl) for s, m, o, src, v, raw, fl in db.execute(
        "SELECT station_id, metric, observed_at, source, value, raw, flags FROM measurements")}
    if set(lake) != set(store):
        fail(f"keys differ: {len(set(lake) - set(store))} only in the lake, "
             f"{len(set(store) - set(lake))} only in the store")
    revised = 0
    for key, versions in lake.items():
        if len(versions) > 1:
            revised += 1
            continue
        if versions[0] != store[key]:
            fail(f"{key}: lake {versions[0]} store {store[key]}")
    print(f"ok: {len(files)} files, {rows} rows, {len(store)} measurements identical to the "
          f"store ({revised} revised keys)")


if __name__ == "__main__":
    main()
