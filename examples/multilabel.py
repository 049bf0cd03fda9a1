"""Multi-label focal loss (one sigmoid per label, RetinaNet's form) against log-loss.

FocalXGBClassifier fits a 0/1 label matrix as XGBClassifier does, one focal loss per
label (XGBoost's default multi_strategy grows a tree per label each round;
multi_strategy="multi_output_tree" grows one tree for all labels); FocalLGBMClassifier
does it label by label under MultiOutputClassifier (LightGBM has no multi-output
trees). Synthetic data, generated locally: 8 labels of 9-17% positives. Focal loss
ranks about as well as log-loss; its plain sigmoid is under-confident (worse Brier
score and log-loss), and predict_proba's posterior correction removes that.

Run: python examples/multilabel.py
"""

import numpy as np
from sklearn.datasets import make_multilabel_classification
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.multioutput import MultiOutputClassifier
from xgboost import XGBClassifier

from focal_boost import FocalLGBMClassifier, FocalXGBClassifier

X, Y = make_multilabel_classification(n_samples=5000, n_features=20, n_classes=8, n_labels=1,
                                      allow_unlabeled=True, random_state=0)
X_train, X_test, Y_train, Y_test = train_test_split(X, Y, test_size=0.3, random_state=0)
print(f"{len(X_train)} training rows, {len(X_test)} test rows, {Y.shape[1]} labels, "
      f"positives per label {np.round(Y.mean(axis=0), 2).tolist()}")

common = {"n_estimators": 200, "learning_rate": 0.05, "random_state": 0, "n_jobs": 1}
focal = FocalXGBClassifier(gamma=2.0, alpha=0.25, max_depth=4, **common).fit(X_train, Y_train)
print(f"FocalXGBClassifier: classes_ {focal.classes_.tolist()}, n_outputs_ {focal.n_outputs_}, "
      f"predict_proba {focal.predict_proba(X_test).shape}, predict {focal.predict(X_test).shape}")
lgbm = MultiOutputClassifier(FocalLGBMClassifier(gamma=2.0, alpha=0.25, num_leaves=15,
                                                 **common)).fit(X_train, Y_train)
probabilities = {
    "XGBClassifier (log-loss)":
        XGBClassifier(max_depth=4, **common).fit(X_train, Y_train).predict_proba(X_test),
    "FocalXGBClassifier, plain sigmoid":
        focal.loss_.inverse_link(focal.predict(X_test, output_margin=True), multilabel=True),
    "FocalXGBClassifier.predict_proba": focal.predict_proba(X_test),
    "MultiOutputClassifier(FocalLGBMClassifier)":
        np.column_stack([p[:, 1] for p in lgbm.predict_proba(X_test)]),
}

print("\nmean over the labels, test rows (focal: gamma=2, alpha=0.25 for every label)")
print(f"{'model':<44} {'ROC-AUC':>8} {'PR-AUC':>8} {'Brier':>8} {'log-loss':>9}")
for name, proba in probabilities.items():
    scores = np.mean([
        (roc_auc_score(y, p), average_precision_score(y, p), brier_score_loss(y, p),
         log_loss(y, p, labels=[0, 1]))
        for y, p in zip(Y_test.T, proba.T, strict=True)
    ], axis=0)
    print(f"{name:<44} {scores[0]:8.4f} {scores[1]:8.4f} {scores[2]:8.4f} {scores[3]:9.4f}")
