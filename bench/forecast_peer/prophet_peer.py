"""Prophet on the same series and splits as envmon's additive model (bench/run forecast-peer).

Input: a directory written by envmon_bench_forecast_peer with series.csv (ds in local time, y;
empty y = missing) and splits.json (test origins as row indices, training window in hours,
horizon, yearly flag, MASE scale). Output: JSON lines {"name", "value", "unit"} on stdout.
Prophet is configured like the C++ model: 25 changepoints over the first 80 %, changepoint prior
0.05, daily (order 4) and weekly (3) seasonality, yearly (10) when the C++ model uses it, 80 %
intervals from 300 samples, MAP (no MCMC)."""
import json
import logging
import sys
import time

import numpy as np
import pandas as pd
from prophet import Prophet

logging.getLogger("cmdstanpy").setLevel(logging.ERROR)
logging.getLogger("prophet").setLevel(logging.ERROR)


def main(folder):
    splits = json.load(open(f"{folder}/splits.json"))
    df = pd.read_csv(f"{folder}/series.csv", parse_dates=["ds"])
    h = splits["horizon"]
    abs_err, inside, n, fit_s, pred_s = 0.0, 0, 0, 0.0, 0.0
    for origin in splits["test_origins"]:
        train = df.iloc[max(0, origin - splits["window_hours"]):origin].dropna()
        test = df.iloc[origin:origin + h]
        m = Prophet(n_changepoints=25, changepoint_range=0.8, changepoint_prior_scale=0.05,
                    daily_seasonality=4, weekly_seasonality=3,
                    yearly_seasonality=10 if splits["yearly"] else False,
                    interval_width=0.8, uncertainty_samples=300)
        t0 = time.perf_counter()
        m.fit(train)
        fit_s += time.perf_counter() - t0
        t0 = time.perf_counter()
        fc = m.predict(test[["ds"]])
        pred_s += time.perf_counter() - t0
        y = test["y"].to_numpy()
        ok = ~np.isnan(y)
        abs_err += np.abs(fc["yhat"].to_numpy()[ok] - y[ok]).sum()
        inside += ((y[ok] >= fc["yhat_lower"].to_numpy()[ok]) & (y[ok] <= fc["yhat_upper"].to_numpy()[ok])).sum()
        n += int(ok.sum())
    k = len(splits["test_origins"])
    out = [("mase_prophet", abs_err / n / splits["mase_scale"], "ratio"),
           ("coverage_80_prophet", inside / n, "fraction"),
           ("fit_seconds_prophet", fit_s / k, "s"),
           ("predict_seconds_prophet", pred_s / k, "s")]
    for name, value, unit in out:
        print(json.dumps({"name": name, "value": float(value), "unit": unit}))


if __name__ == "__main__":
    main(sys.argv[1])
