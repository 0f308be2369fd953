"""scikit-learn's IsolationForest on the data `envmon_bench_iforest_peer` wrote.

Usage: python sklearn_peer.py TRAIN.csv TEST.csv SCORES_OUT TREES SAMPLE_SIZE REPEATS
Fits on TRAIN, scores TEST, writes one score per line (higher = more anomalous, i.e.
-score_samples) and prints one JSON line with the best fit and predict times of REPEATS runs.
The benchmark computes the AUC of these scores with the same code as for envmon's forest.
"""
import json
import sys
import time

import numpy as np
from sklearn.ensemble import IsolationForest


def main():
    train_path, test_path, out_path = sys.argv[1:4]
    trees, sample_size, repeats = (int(v) for v in sys.argv[4:7])
    train = np.loadtxt(train_path, delimiter=",", dtype=np.float64)
    test = np.loadtxt(test_path, delimiter=",", dtype=np.float64)
    fit_secs, predict_secs = [], []
    for _ in range(repeats):
        model = IsolationForest(n_estimators=trees, max_samples=sample_size, random_state=42)
        t0 = time.perf_counter()
        model.fit(train)
        t1 = time.perf_counter()
        scores = -model.score_samples(test)
        t2 = time.perf_counter()
        fit_secs.append(t1 - t0)
        predict_secs.append(t2 - t1)
    np.savetxt(out_path, scores, fmt="%.17g")
    print(json.dumps({"fit_secs": min(fit_secs), "predict_secs": min(predict_secs),
                      "sklearn": __import__("sklearn").__version__}))


if __name__ == "__main__":
    main()
