"""scikit-learn's IsolationForest on the data `envmon_bench_iforest_peer` wrote.

Usage: python sklearn_peer.py TRAIN.csv TEST.csv SCORES_PREFIX TREES SAMPLE_SIZE SEEDS
For each seed of the comma-separated SEEDS: fits on TRAIN, scores TEST and writes one score per
line (higher = more anomalous, i.e. -score_samples) to SCORES_PREFIX.<seed>. Prints one JSON line
with the smallest fit and predict CPU times over the seeds. The benchmark computes the AUC of
these scores with the same code as for envmon's forest.
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.ensemble import IsolationForest


def main():
    train_path, test_path, prefix = sys.argv[1:4]
    trees, sample_size = int(sys.argv[4]), int(sys.argv[5])
    seeds = [int(s) for s in sys.argv[6].split(",")]
    train = np.loadtxt(train_path, delimiter=",", dtype=np.float64)
    test = np.loadtxt(test_path, delimiter=",", dtype=np.float64)
    fit_secs, predict_secs = [], []
    for seed in seeds:
        model = IsolationForest(n_estimators=trees, max_samples=sample_size, random_state=seed,
                                n_jobs=1)
        t0 = time.process_time()
        model.fit(train)
        t1 = time.process_time()
        scores = -model.score_samples(test)
        t2 = time.process_time()
        fit_secs.append(t1 - t0)
        predict_secs.append(t2 - t1)
        np.savetxt(f"{prefix}.{seed}", scores, fmt="%.17g")
    print(json.dumps({"fit_secs": min(fit_secs), "predict_secs": min(predict_secs),
                      "sklearn": sklearn.__version__, "numpy": np.__version__}))


if __name__ == "__main__":
    main()
