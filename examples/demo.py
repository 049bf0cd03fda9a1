"""Focal loss against log-loss on a bundled imbalanced data set, XGBoost and LightGBM.

Run:  python examples/demo.py                 (breast cancer, 1 malignant in 10)
      python examples/demo.py --dataset digits  (10 classes, rare classes thinned)

Everything loads offline from scikit-learn's bundled data; nothing is downloaded.
"""

from __future__ import annotations

import argparse

import numpy as np
from lightgbm import LGBMClassifier
from sklearn.datasets import load_breast_cancer, load_digits
from sklearn.metrics import average_precision_score, log_loss, roc_auc_score
from sklearn.model_selection import train_test_split
from xgboost import XGBClassifier

from focal_boost import FocalLGBMClassifier, FocalXGBClassifier


def load(name: str, seed: int = 0):
    """A bundled data set made imbalanced by thinning its minority classes."""
    rng = np.random.default_rng(seed)
    if name == "breast_cancer":
        X, y = load_breast_cancer(return_X_y=True)
        y = 1 - y  # malignant = 1
        keep = (y == 0) | (rng.uniform(size=len(y)) < 0.18)  # about 1 positive in 10
        return X[keep], y[keep]
    X, y = load_digits(return_X_y=True)
    keep_rate = np.linspace(1.0, 0.1, 10)[y]  # class 9 keeps 10% of its rows
    keep = rng.uniform(size=len(y)) < keep_rate
    return X[keep], y[keep]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=["breast_cancer", "digits"],
                        default="breast_cancer")
    parser.add_argument("--gamma", type=float, default=2.0)
    parser.add_argument("--n-estimators", type=int, default=200)
    args = parser.parse_args(argv)

    X, y = load(args.dataset)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)
    binary = len(np.unique(y)) == 2
    alpha = 0.25 if binary else "balanced"
    common = {"n_estimators": args.n_estimators, "random_state": 0, "n_jobs": 2}
    models = {
        "XGBoost log-loss": XGBClassifier(learning_rate=0.1, max_depth=4, **common),
        "XGBoost focal": FocalXGBClassifier(gamma=args.gamma, alpha=alpha, learning_rate=0.1,
                                            max_depth=4, **common),
        "LightGBM log-loss": LGBMClassifier(num_leaves=15, verbose=-1, **common),
        "LightGBM focal": FocalLGBMClassifier(gamma=args.gamma, alpha=alpha, num_leaves=15,
                                              **common),
    }
    print(f"data: {args.dataset}, {len(y_tr)} train / {len(y_te)} test rows, class counts "
          f"{np.bincount(y).tolist()}; focal gamma={args.gamma}, alpha={alpha!r}\n")
    print("| model | ROC-AUC | PR-AUC | log-loss |")
    print("|---|---|---|---|")
    for name, model in models.items():
        proba = model.fit(X_tr, y_tr).predict_proba(X_te)
        if binary:
            auc = roc_auc_score(y_te, proba[:, 1])
            ap = average_precision_score(y_te, proba[:, 1])
        else:
            auc = roc_auc_score(y_te, proba, multi_class="ovr")
            ap = average_precision_score(np.eye(proba.shape[1])[y_te], proba)
        print(f"| {name} | {auc:.4f} | {ap:.4f} | {log_loss(y_te, proba):.4f} |")


if __name__ == "__main__":
    main()
