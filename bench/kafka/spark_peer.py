"""PySpark Structured Streaming peer of `bench/run kafka` (the seed's own design).

Reads <prefix>raw from Kafka (startingOffsets earliest, trigger availableNow), parses the v1
JSON readings into one row per measurement, applies envmon's validation (known station,
non-empty source, at least one measurement, known metric ids, nulls dropped, physical bounds
of the metric catalogue), and aggregates per (station, metric, UTC hour): count, mean, min,
max. The final aggregates are written as one sorted CSV (station,metric,hour,count,mean,min,max).

Cleaning: the bench data has no outliers, spikes, stuck runs, gaps or nulls, so envmon's
cleaner changes nothing and this peer does no cleaning (the out-of-bounds mask is the bounds
filter above). Timings go to --result as JSON: session start-up (JVM + SparkSession) and the
streaming query alone are measured separately.
"""
import argparse
import json
import os
import re
import sys
import tempfile
import time

# Physical bounds (canonical units), as src/model/metric.cc: the cleaner masks values outside.
BOUNDS = {
    "temperature": (-90.0, 60.0), "humidity": (0.0, 100.0), "pressure": (850.0, 1090.0),
    "wind_speed": (0.0, 115.0), "wind_direction": (0.0, 360.0), "precipitation": (0.0, 400.0),
    "cloud_cover": (0.0, 100.0), "pm25": (0.0, 2000.0), "pm10": (0.0, 5000.0),
    "o3": (0.0, 1500.0), "no2": (0.0, 4000.0), "so2": (0.0, 6000.0), "co": (0.0, 150000.0),
    "aqi_us": (0.0, 999.0), "aqi_in": (0.0, 999.0), "aqi_us_pm25": (0.0, 999.0),
    "aqi_us_pm10": (0.0, 999.0), "aqi_us_o3": (0.0, 999.0), "aqi_us_no2": (0.0, 999.0),
    "aqi_us_so2": (0.0, 999.0), "aqi_us_co": (0.0, 999.0),
}


def station_ids(config_path):
    """The configured station ids (envmon's validate rejects any other station)."""
    with open(config_path, encoding="utf-8") as f:
        text = f.read()
    block = text.split("\nstations:", 1)[1].split("\n\n", 1)[0]
    return re.findall(r"-\s*\{\s*id:\s*([A-Za-z0-9_.-]+)", block)


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--bootstrap", required=True)
    p.add_argument("--topic", required=True)
    p.add_argument("--jars", required=True, help="comma-separated spark-sql-kafka jars")
    p.add_argument("--config", required=True,
                   help="YAML with a stations: block (run_bench writes the bench's stations)")
    p.add_argument("--out-csv", required=True)
    p.add_argument("--result", required=True)
    p.add_argument("--readings", type=int, required=True)
    return p.parse_args()


def make_session(jars):
    from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master("local[2]").appName("envmon-spark-peer")
             .config("spark.jars", jars)
             .config("spark.driver.memory", "2g")
             # 200 shuffle partitions (the default) would mean 200 state stores per batch on 2 cores.
             .config("spark.sql.shuffle.partitions", "2")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .getOrCreate())
    spark.sparkContext.setLogLevel("WARN")
    return spark


def build_query_df(spark, args, stations):
    from pyspark.sql import functions as F
    from pyspark.sql import types as T
    schema = T.StructType([
        T.StructField("v", T.LongType()), T.StructField("source", T.StringType()),
        T.StructField("station", T.StructType([T.StructField("id", T.StringType())])),
        T.StructField("observed_at", T.StringType()),
        # A measurement is {"value": x, ...} or a bare number: keep its JSON text, read it below.
        T.StructField("measurements", T.MapType(T.StringType(), T.StringType())),
    ])
    raw = (spark.readStream.format("kafka").option("kafka.bootstrap.servers", args.bootstrap)
           .option("subscribe", args.topic).option("startingOffsets", "earliest").load())
    r = raw.select(F.from_json(F.col("value").cast("string"), schema).alias("r")).select("r.*")
    known_metrics = F.array(*[F.lit(m) for m in BOUNDS])
    valid = (r.where((F.col("v") == 1) & F.col("station.id").isin(stations)
                     & (F.length("source") > 0) & (F.size("measurements") > 0)
                     & F.to_timestamp("observed_at").isNotNull())
              .where(F.forall(F.map_keys("measurements"), lambda k: F.array_contains(known_metrics, k))))
    rows = valid.select(F.col("station.id").alias("station"),
                        F.to_timestamp("observed_at").alias("t"),
                        F.explode("measurements").alias("metric", "m"))
    value = F.coalesce(F.get_json_object("m", "$.value").cast("double"), F.col("m").cast("double"))
    lo = F.create_map(*[x for k, (a, _) in BOUNDS.items() for x in (F.lit(k), F.lit(a))])
    hi = F.create_map(*[x for k, (_, b) in BOUNDS.items() for x in (F.lit(k), F.lit(b))])
    rows = rows.withColumn("value", value).where(
        F.col("value").isNotNull() & ~F.isnan("value")
        & (F.col("value") >= lo[F.col("metric")]) & (F.col("value") <= hi[F.col("metric")]))
    return (rows.groupBy("station", "metric", F.date_trunc("hour", "t").alias("hour"))
            .agg(F.count("value").alias("count"), F.avg("value").alias("mean"),
                 F.min("value").alias("min"), F.max("value").alias("max")))


def run_query(agg, out_dir, checkpoint):
    from pyspark.sql import functions as F
    batches = []

    def write_batch(df, batch_id):
        # Complete mode: every micro-batch carries the whole result table; the last one wins.
        (df.select("station", "metric",
                   F.date_format("hour", "yyyy-MM-dd'T'HH:mm:ss'Z'").alias("hour"),
                   "count", "mean", "min", "max")
         .orderBy("station", "metric", "hour").coalesce(1)
         .write.mode("overwrite").option("header", "true").csv(out_dir))
        batches.append(batch_id)

    q = (agg.writeStream.outputMode("complete").foreachBatch(write_batch)
         .option("checkpointLocation", checkpoint).trigger(availableNow=True).start())
    q.awaitTermination()
    return len(batches)


def main():
    args = parse_args()
    t0 = time.monotonic()
    spark = make_session(args.jars)
    t_session = time.monotonic() - t0
    stations = station_ids(args.config)
    print(f"spark peer: session up in {t_session:.1f} s, {len(stations)} stations", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="envmon-spark-") as tmp:
        t1 = time.monotonic()
        batches = run_query(build_query_df(spark, args, stations), os.path.join(tmp, "out"),
                            os.path.join(tmp, "checkpoint"))
        t_query = time.monotonic() - t1
        part = [f for f in os.listdir(os.path.join(tmp, "out")) if f.startswith("part-")][0]
        os.replace(os.path.join(tmp, "out", part), args.out_csv)
    spark.stop()
    total = time.monotonic() - t0
    rate = args.readings / t_query
    print(f"spark peer: {args.readings} readings, query {t_query:.2f} s ({rate:.0f} readings/s), "
          f"{batches} micro-batch(es); with session start-up {total:.2f} s", file=sys.stderr)
    with open(args.result, "w", encoding="utf-8") as f:
        json.dump({"session_secs": t_session, "query_secs": t_query, "total_secs": total,
                   "batches": batches, "readings": args.readings}, f)


if __name__ == "__main__":
    main()
