"""Native XGBoost: focal loss through xgb.train, with early stopping on the focal loss.

focal_boost.xgboost.train wraps xgb.train: it sets the objective and the "focal_loss"
metric, applies sample weights, and starts from the focal-optimal intercept, stored in
the model. The log-loss model (binary:logistic) is trained the same way for comparison.

Run: python examples/xgboost_native.py
"""

import numpy as np
import xgboost as xgb
from _data import breast_cancer_rare
from scipy.special import logit
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import train_test_split

from focal_boost import focal_loss
from focal_boost.xgboost import predict_margin, train

X, y = breast_cancer_rare()
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y,
                                                    random_state=0)
X_fit, X_valid, y_fit, y_valid = train_test_split(X_train, y_train, test_size=0.25,
                                                  stratify=y_train, random_state=0)
dfit = xgb.DMatrix(X_fit, label=y_fit)
dvalid = xgb.DMatrix(X_valid, label=y_valid)
params = {"max_depth": 3, "eta": 0.05, "subsample": 0.8, "seed": 0, "nthread": 1}
print(f"{len(y_fit)} training rows ({y_fit.mean():.1%} positive), {len(y_valid)} for early "
      f"stopping, {len(y_test)} test rows")

loss = focal_loss(gamma=2.0, alpha=0.25)
history: dict = {}
booster = train(params, dfit, loss, num_boost_round=1000, evals=[(dvalid, "valid")],
                early_stopping_rounds=50, evals_result=history, verbose_eval=False)
focal_curve = history["valid"]["focal_loss"]
print(f"focal: intercept {loss.init_score(y_fit):+.3f} (prior log-odds "
      f"{logit(y_fit.mean()):+.3f}); validation focal loss {focal_curve[0]:.4f} after one "
      f"round, {min(focal_curve):.4f} at the best round {booster.best_iteration}")

baseline = xgb.train({**params, "objective": "binary:logistic", "eval_metric": "logloss"},
                     dfit, num_boost_round=1000, evals=[(dvalid, "valid")],
                     early_stopping_rounds=50, verbose_eval=False)
print(f"log-loss: best round {baseline.best_iteration}")

# predict_margin uses the trees up to the best round and includes the intercept;
# loss.predict_proba turns focal margins into class probabilities.
p_focal = loss.predict_proba(predict_margin(booster, X_test))
p_logloss = baseline.predict(xgb.DMatrix(X_test),
                             iteration_range=(0, baseline.best_iteration + 1))
for name, p in [("log-loss", p_logloss), ("focal gamma=2 alpha=0.25", p_focal)]:
    print(f"{name:>26}: test PR-AUC {average_precision_score(y_test, p):.3f}, "
          f"ROC-AUC {roc_auc_score(y_test, p):.3f}, mean P(y=1) {p.mean():.3f} "
          f"(test prevalence {y_test.mean():.3f})")
assert np.all((p_focal >= 0) & (p_focal <= 1))
