"""The python3-xgboost side of bench/ml/train.sh: trains on the rows Sluice trained on, with
the parameters Sluice passes to XGBoost for the same OPTIONS, and prints one JSON line.
Loading the CSV (numpy) is outside the timing; the DMatrix and xgb.train are inside.
  /usr/bin/python3 train_xgb.py ROWS.csv ROUNDS LEARN_RATE MAX_DEPTH"""
import json
import sys
import time

import numpy as np
import xgboost as xgb

path, rounds, eta, depth = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
data = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64)
features, labels = data[:, :-1].astype(np.float32), data[:, -1].astype(np.float32)

start = time.perf_counter()
dtrain = xgb.DMatrix(features, label=labels, missing=np.nan)
matrix_s = time.perf_counter() - start
# What src/ml/trainer.cpp sets for a binary boosted_tree_classifier (one thread: Sluice
# trains single-threaded so that the model bytes are deterministic).
params = {"objective": "binary:logistic", "eval_metric": "logloss", "tree_method": "hist",
          "eta": eta, "max_depth": depth, "seed": 0, "nthread": 1, "verbosity": 0}
history = {}
booster = xgb.train(params, dtrain, num_boost_round=rounds, evals=[(dtrain, "train")],
                    evals_result=history, verbose_eval=False)
total_s = time.perf_counter() - start
print(json.dumps({"rows": int(features.shape[0]), "features": int(features.shape[1]),
                  "matrix_seconds": matrix_s, "seconds": total_s,
                  "last_loss": history["train"]["logloss"][-1]}))
