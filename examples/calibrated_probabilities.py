"""Calibrated probabilities from a focal-loss model: posterior against plain link.

Focal loss is not a proper scoring rule: the sigmoid of a focal-trained margin
(loss.inverse_link) is under-confident. loss.predict_proba inverts the distortion in
closed form. On synthetic data whose true P(y=1 | x) is known, compare both with it.

Run: python examples/calibrated_probabilities.py
"""

import numpy as np
import xgboost as xgb
from scipy.special import expit

from focal_boost import ce_loss, focal_loss, metrics
from focal_boost.xgboost import predict_margin, train

rng = np.random.default_rng(0)
X = rng.normal(size=(16_000, 4))
eta = expit(1.5 * X[:, 0] - 0.8 * X[:, 1] ** 2 + np.sin(2 * X[:, 2]) - 1.5)  # P(y=1 | x)
y = (rng.uniform(size=len(eta)) < eta).astype(int)
fit, valid, test = slice(0, 6000), slice(6000, 8000), slice(8000, None)
print(f"{y.mean():.1%} positives; 6000 training rows, 2000 for early stopping, 8000 test")


def margins(loss):
    booster = train({"max_depth": 3, "eta": 0.1, "nthread": 1, "seed": 0},
                    xgb.DMatrix(X[fit], label=y[fit]), loss, num_boost_round=500,
                    evals=[(xgb.DMatrix(X[valid], label=y[valid]), "valid")],
                    early_stopping_rounds=20, verbose_eval=False)
    return predict_margin(booster, X[test])


print(f"{'model':>26} {'probabilities':>22}  MSE to true P  ECE     log-loss")
rows = [("log-loss", "sigmoid", ce_loss().inverse_link(margins(ce_loss())))]
for gamma, alpha in [(2.0, None), (2.0, 0.25)]:
    loss = focal_loss(gamma, alpha)
    m = margins(loss)
    rows += [(f"focal gamma={gamma:g} alpha={alpha}", "loss.inverse_link", loss.inverse_link(m)),
             (f"focal gamma={gamma:g} alpha={alpha}", "loss.predict_proba", loss.predict_proba(m))]
for model, kind, p in rows:
    print(f"{model:>26} {kind:>22}  {np.mean((p - eta[test]) ** 2):.5f}        "
          f"{metrics.ece(y[test], p):.4f}  {metrics.log_loss(y[test], p):.4f}")
