"""Compares envmon's and the Spark peer's hourly aggregates (CSV: station,metric,hour,count,
mean,min,max). count/min/max must be equal exactly, mean within 1e-9 relative (the two sum in
a different order). Prints a summary and the first differences to stderr; exit 0 when
identical, 1 otherwise."""
import csv
import sys


def load(path):
    with open(path, newline="", encoding="utf-8") as f:
        return {(r["station"], r["metric"], r["hour"]):
                (int(r["count"]), float(r["mean"]), float(r["min"]), float(r["max"]))
                for r in csv.DictReader(f)}


def differs(a, b):
    if a[0] != b[0] or a[2] != b[2] or a[3] != b[3]:
        return True
    return abs(a[1] - b[1]) > 1e-9 * max(abs(a[1]), abs(b[1]), 1e-300)


def main():
    envmon, spark = load(sys.argv[1]), load(sys.argv[2])
    only_e = sorted(set(envmon) - set(spark))
    only_s = sorted(set(spark) - set(envmon))
    diff = sorted(k for k in set(envmon) & set(spark) if differs(envmon[k], spark[k]))
    log = sys.stderr
    print(f"compare: envmon {len(envmon)} series-hours, spark {len(spark)}; only envmon "
          f"{len(only_e)}, only spark {len(only_s)}, different {len(diff)}", file=log)
    for k in only_e[:5]:
        print(f"  only envmon: {k} {envmon[k]}", file=log)
    for k in only_s[:5]:
        print(f"  only spark:  {k} {spark[k]}", file=log)
    for k in diff[:5]:
        print(f"  differ: {k} envmon {envmon[k]} spark {spark[k]}", file=log)
    ok = not only_e and not only_s and not diff and envmon
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
