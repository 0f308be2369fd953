#!/usr/bin/env python3
"""bench/run parquet, pyarrow half: reads back every file envmon_bench_parquet wrote (timed),
checks every row against envmon's digest (parquet_pyarrow_identical 1 or 0), then writes the
same table with pyarrow (zstd, dictionary) as the peer and prints its MB/s for the ratio."""
import hashlib
import pathlib
import sys
import tempfile
import time

import pyarrow as pa
import pyarrow.parquet as pq


def figure(name, value, unit):
    print(f'{{"name": "{name}", "value": {value:.6g}, "unit": "{unit}"}}', flush=True)


def digest_lines(table):
    st = table.column("station").to_pylist()
    me = table.column("metric").to_pylist()
    ob = table.column("observed_at").cast(pa.int64()).to_pylist()
    va = table.column("value").to_pylist()
    fl = table.column("flags").to_pylist()
    return "".join(f"{s}|{m}|{o}|{'null' if v is None else float.hex(v)}|{f}\n"
                   for s, m, o, v, f in zip(st, me, ob, va, fl))


def main():
    out = pathlib.Path(sys.argv[1])
    envmon_write_mbps = float(sys.argv[2]) if len(sys.argv) > 2 else 0
    logical = int((out / "logical_bytes.txt").read_text())
    files = sorted(out.glob("part-*.parquet"))
    start = time.perf_counter()
    tables = [pq.read_table(f) for f in files]
    read_s = time.perf_counter() - start
    table = pa.concat_tables(tables)
    figure("parquet_pyarrow_read_mb_per_sec", logical / 1e6 / read_s, "MB/s")
    want = hashlib.sha256()
    with open(out / "digest.txt", "rb") as f:
        for line in f:
            s, m, o, v, fl = line.decode().rstrip("\n").split("|")
            # C's %a and float.hex spell the same double differently: normalise through it.
            v = "null" if v == "null" else float.hex(float.fromhex(v))
            want.update(f"{s}|{m}|{o}|{v}|{fl}\n".encode())
    got = hashlib.sha256(digest_lines(table).encode())
    identical = int(want.hexdigest() == got.hexdigest())
    figure("parquet_pyarrow_identical", identical, "bool")
    figure("parquet_rows_read", table.num_rows, "rows")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        for i, t in enumerate(tables):
            pq.write_table(t, f"{tmp}/p{i}.parquet", compression="zstd", compression_level=3,
                           use_dictionary=["source", "station", "region", "metric", "unit"],
                           row_group_size=128 * 1024)
        write_s = time.perf_counter() - start
    peer = logical / 1e6 / write_s
    figure("pyarrow_write_mb_per_sec", peer, "MB/s")
    if envmon_write_mbps > 0:
        figure("parquet_write_ratio_envmon_vs_pyarrow", envmon_write_mbps / peer, "ratio")
    sys.exit(0 if identical else 1)


if __name__ == "__main__":
    main()
