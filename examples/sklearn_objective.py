"""XGBClassifier and LGBMClassifier with objective=focal_loss(...): what each returns.

The objective object is the callable both wrappers expect. Their predict_proba differ:
XGBClassifier applies the sigmoid to the focal margin (a score, not the class
probability); LGBMClassifier returns the raw margin itself, with a warning. The margin
is the reliable output of both; loss.predict_proba turns it into probabilities.
FocalXGBClassifier / FocalLGBMClassifier do all this (and the intercept) for you.

Run: python examples/sklearn_objective.py
"""

import warnings

import numpy as np
from _data import breast_cancer_rare
from lightgbm import LGBMClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from xgboost import XGBClassifier

from focal_boost import FocalLGBMClassifier, focal_loss

X, y = breast_cancer_rare()
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y,
                                                    random_state=0)
loss = focal_loss(gamma=2.0, alpha=0.25)

xgb_clf = XGBClassifier(objective=loss, n_estimators=200, learning_rate=0.05, max_depth=3,
                        random_state=0, n_jobs=1).fit(X_train, y_train)
margin = xgb_clf.predict(X_test, output_margin=True)
shown = xgb_clf.predict_proba(X_test)[:, 1]
print(f"XGBClassifier.predict_proba: shape {xgb_clf.predict_proba(X_test).shape}, "
      f"= sigmoid(margin): {np.allclose(shown, loss.inverse_link(margin), atol=1e-6)}")

lgb_clf = LGBMClassifier(objective=loss, n_estimators=200, learning_rate=0.05, num_leaves=7,
                         verbose=-1, random_state=0, n_jobs=1)
lgb_clf.fit(X_train, y_train)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    raw = lgb_clf.predict_proba(X_test)
print(f"LGBMClassifier.predict_proba: shape {raw.shape}, values from {raw.min():.2f} to "
      f"{raw.max():.2f} (raw margins), warning: {caught[0].message!s:.60}...")
lgb_margin = lgb_clf.predict(X_test, raw_score=True)  # the same margins, without a warning

# The margins are what both models learned: probabilities are loss.predict_proba of them.
for name, m in [("XGBClassifier", margin), ("LGBMClassifier", lgb_margin)]:
    p = loss.predict_proba(m)
    print(f"{name:>15}: loss.predict_proba(margin) in [{p.min():.3f}, {p.max():.3f}], "
          f"ROC-AUC {roc_auc_score(y_test, p):.3f} (same as of the margin: "
          f"{roc_auc_score(y_test, m):.3f})")

focal = FocalLGBMClassifier(gamma=2.0, alpha=0.25, n_estimators=200, learning_rate=0.05,
                            num_leaves=7, random_state=0, n_jobs=1).fit(X_train, y_train)
proba = focal.predict_proba(X_test)
print(f"FocalLGBMClassifier.predict_proba: shape {proba.shape}, rows sum to 1: "
      f"{np.allclose(proba.sum(axis=1), 1)}, ROC-AUC {roc_auc_score(y_test, proba[:, 1]):.3f}, "
      f"intercept {focal.loss_.init_score(y_train):+.3f} (LGBMClassifier starts at 0)")
