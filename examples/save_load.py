"""Saving and loading focal models: native model files and pickles.

focal_boost stores the focal-optimal intercept inside the model (XGBoost: a margin-space
base_score; LightGBM: baked into the first trees), so the libraries' own model files
predict the same margins after loading, without focal_boost. Probabilities need the
loss: loss.predict_proba(margin). The scikit-learn estimators pickle whole.

Run: python examples/save_load.py
"""

import pickle
import tempfile
from pathlib import Path

import lightgbm as lgb
import numpy as np
import xgboost as xgb
from _data import digits_imbalanced

from focal_boost import FocalXGBClassifier, focal_loss
from focal_boost import lightgbm as flgb
from focal_boost import xgboost as fxgb

X, y = digits_imbalanced()
loss = focal_loss(gamma=2.0)  # softmax over the 10 digits
workdir = tempfile.TemporaryDirectory()  # removed at the end
folder = Path(workdir.name)

# XGBoost: JSON (or .ubj) model file.
booster = fxgb.train({"num_class": 10, "max_depth": 4, "eta": 0.3, "nthread": 1},
                     xgb.DMatrix(X, label=y), loss, num_boost_round=20)
booster.save_model(folder / "focal.json")
loaded = xgb.Booster(model_file=folder / "focal.json")
# Plain XGBoost reads the margins with output_margin=True (without it, this 10-class
# model's predict returns class indices).
diff = np.abs(loaded.predict(xgb.DMatrix(X), output_margin=True)
              - fxgb.predict_margin(booster, X)).max()
print(f"XGBoost  focal.json: {(folder / 'focal.json').stat().st_size // 1024} kB, "
      f"max |margin difference| after loading {diff:.1e}")

# LightGBM: text model file.
lgb_booster = flgb.train({"num_class": 10, "num_leaves": 15, "verbose": -1, "num_threads": 1},
                         lgb.Dataset(X, y), loss, num_boost_round=20)
lgb_booster.save_model(folder / "focal.txt")
lgb_loaded = lgb.Booster(model_file=folder / "focal.txt")
lgb_diff = np.abs(lgb_loaded.predict(X, raw_score=True)
                  - flgb.predict_margin(lgb_booster, X)).max()
print(f"LightGBM focal.txt:  {(folder / 'focal.txt').stat().st_size // 1024} kB, "
      f"max |margin difference| after loading {lgb_diff:.1e}")
proba = loss.predict_proba(lgb_loaded.predict(X, raw_score=True))
print(f"probabilities from the loaded LightGBM margins: shape {proba.shape}, rows sum to 1: "
      f"{np.allclose(proba.sum(axis=1), 1)}, training accuracy "
      f"{(proba.argmax(axis=1) == y).mean():.3f}")

# The estimator: pickle (keeps labels, loss and posterior correction).
clf = FocalXGBClassifier(gamma=2.0, alpha="balanced", n_estimators=20, n_jobs=1).fit(X, y)
(folder / "clf.pkl").write_bytes(pickle.dumps(clf))
clf_loaded = pickle.loads((folder / "clf.pkl").read_bytes())
same = np.array_equal(clf_loaded.predict_proba(X), clf.predict_proba(X))
print(f"FocalXGBClassifier clf.pkl: identical predict_proba after loading: {same}")
assert diff < 1e-5 and lgb_diff < 1e-9 and same
workdir.cleanup()
