"""How large gamma may be: the highest focusing parameter at which each booster learns.

Run:  python benchmarks/large_gamma.py      (under a minute on 2 cores)

The focal factor scales the gradient of an undecided row (pt = 1/2) by
2**-gamma * (1 + gamma ln 2), 3e-14 at gamma 50;
the boosters' absolute thresholds (XGBoost's min_child_weight and minimum split gain,
LightGBM's min_sum_hessian_in_leaf, float32 gradients) then stop every split. On
balanced data (one informative feature, AUC about 0.94 at gamma 2) this prints the
held-out ROC-AUC for each gamma, with each library's defaults and with the thresholds
lowered; 0.500 means the model is its intercept. The numbers behind the bound of 50
that FocalLoss puts on gamma.
"""

from __future__ import annotations

import argparse
import warnings

import lightgbm as lgb
import numpy as np
import xgboost as xgb

from focal_boost import focal_loss, metrics
from focal_boost import lightgbm as flgb
from focal_boost import xgboost as fxgb

GAMMAS = (2, 5, 10, 15, 20, 25, 30, 40, 50)
SETTINGS = {
    "XGBoost, defaults": ("xgb", {}),
    "XGBoost, min_child_weight=0, reg_lambda=0": ("xgb", {"min_child_weight": 0,
                                                           "lambda": 0}),
    "LightGBM, defaults": ("lgb", {}),
    "LightGBM, min_sum_hessian_in_leaf=1e-300": ("lgb", {"min_sum_hessian_in_leaf": 1e-300}),
}


def auc(lib, params, gamma, X, y, X_test, y_test) -> float:
    loss = focal_loss(gamma)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "the model has no split"
        if lib == "xgb":
            booster = fxgb.train({"max_depth": 3, "nthread": 2, **params},
                                 xgb.DMatrix(X, label=y), loss, 30)
            margin = fxgb.predict_margin(booster, X_test)
        else:
            try:
                booster = flgb.train({"verbose": -1, "num_threads": 2, **params},
                                     lgb.Dataset(X, y), loss, 30)
            except lgb.basic.LightGBMError:  # e.g. "Check failed: (best_split_info...)"
                return float("nan")
            margin = flgb.predict_margin(booster, X_test)
    return metrics.roc_auc(y_test, margin)


def main(argv=None) -> None:
    # (no options: --help says what it runs)
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args(argv)
    rng = np.random.default_rng(0)
    X_test = rng.normal(size=(5000, 5))
    y_test = (X_test[:, 0] + 0.5 * rng.normal(size=5000) > 0).astype(int)
    for n in (1_000, 100_000):
        X = rng.normal(size=(n, 5))
        y = (X[:, 0] + 0.5 * rng.normal(size=n) > 0).astype(int)
        print(f"\n{n} training rows: held-out ROC-AUC (nan: LightGBM stopped with an error)")
        print("| gamma | " + " | ".join(SETTINGS) + " |")
        print("|---:|" + "---:|" * len(SETTINGS))
        for gamma in GAMMAS:
            cells = [f"{auc(lib, params, gamma, X, y, X_test, y_test):.3f}"
                     for lib, params in SETTINGS.values()]
            print(f"| {gamma} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
