"""Multi-label focal loss (one sigmoid per label, RetinaNet's form) against log-loss.

Run:  python examples/multilabel.py

Synthetic data from scikit-learn (``make_multilabel_classification``, 8 labels of
9-18% positives each), generated locally; nothing is downloaded. It compares, on
held-out rows, averaged over the labels:

* XGBoost's own multi-label log-loss (``XGBClassifier`` on the label matrix);
* ``FocalXGBClassifier`` on the same label matrix, with the plain sigmoid of its
  margins and with the recovered posterior (its ``predict_proba``);
* ``FocalLGBMClassifier`` per label under ``MultiOutputClassifier``.

Focal loss ranks about as well as log-loss; its plain sigmoid is under-confident
(worse Brier score and log-loss), and the posterior correction removes that.
"""

from __future__ import annotations

import argparse

import numpy as np
from sklearn.datasets import make_multilabel_classification
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.multioutput import MultiOutputClassifier
from xgboost import XGBClassifier

from focal_boost import FocalLGBMClassifier, FocalXGBClassifier


def load(n_samples: int = 8000, seed: int = 0):
    X, Y = make_multilabel_classification(n_samples=n_samples, n_features=20, n_classes=8,
                                          n_labels=1, allow_unlabeled=True,
                                          random_state=seed)
    return X, Y


def scores(Y, proba) -> dict[str, float]:
    """Mean over labels of ROC-AUC, PR-AUC, Brier score and log-loss."""
    per_label = [
        (roc_auc_score(y, p), average_precision_score(y, p), brier_score_loss(y, p),
         log_loss(y, p, labels=[0, 1]))
        for y, p in zip(Y.T, proba.T, strict=True)
    ]
    return dict(zip(("ROC-AUC", "PR-AUC", "Brier", "log-loss"), np.mean(per_label, axis=0),
                    strict=True))


def main(argv=None) -> dict[str, dict[str, float]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gamma", type=float, default=2.0)
    parser.add_argument("--n-estimators", type=int, default=300)
    parser.add_argument("--n-samples", type=int, default=8000)
    parser.add_argument("--n-jobs", type=int, default=2)
    args = parser.parse_args(argv)

    X, Y = load(args.n_samples)
    X_tr, X_te, Y_tr, Y_te = train_test_split(X, Y, test_size=0.3, random_state=0)
    common = {"n_estimators": args.n_estimators, "learning_rate": 0.05, "random_state": 0,
              "n_jobs": args.n_jobs}
    focal = FocalXGBClassifier(gamma=args.gamma, alpha=0.25, max_depth=4, **common)
    focal.fit(X_tr, Y_tr)
    probabilities = {
        "XGBoost log-loss (XGBClassifier)":
            XGBClassifier(max_depth=4, **common).fit(X_tr, Y_tr).predict_proba(X_te),
        "FocalXGBClassifier, plain sigmoid":
            focal.loss_.inverse_link(focal.decision_function(X_te), multilabel=True),
        "FocalXGBClassifier, predict_proba (corrected)": focal.predict_proba(X_te),
        "MultiOutputClassifier(FocalLGBMClassifier)": np.column_stack([
            p[:, 1] for p in MultiOutputClassifier(
                FocalLGBMClassifier(gamma=args.gamma, alpha=0.25, num_leaves=15, **common)
            ).fit(X_tr, Y_tr).predict_proba(X_te)
        ]),
    }
    print(f"data: make_multilabel_classification, {len(X_tr)} train / {len(X_te)} test "
          f"rows, {Y.shape[1]} labels, positives per label "
          f"{np.round(Y.mean(axis=0), 3).tolist()}; focal gamma={args.gamma}, alpha=0.25 "
          "(every label)\n")
    print("| model | ROC-AUC | PR-AUC | Brier | log-loss |")
    print("|---|---:|---:|---:|---:|")
    results = {}
    for name, proba in probabilities.items():
        results[name] = scores(Y_te, proba)
        print(f"| {name} | " + " | ".join(f"{v:.4f}" for v in results[name].values()) + " |")
    print("\n(means over the labels, held-out rows)")
    return results


if __name__ == "__main__":
    main()
