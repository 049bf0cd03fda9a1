"""Small imbalanced data sets for the examples, from scikit-learn's bundled data (offline)."""

from __future__ import annotations

import numpy as np
from sklearn.datasets import load_breast_cancer, load_digits


def breast_cancer_rare(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Breast cancer with malignant = 1, thinned to about 1 malignant case in 10."""
    X, y = load_breast_cancer(return_X_y=True)
    y = 1 - y
    keep = (y == 0) | (np.random.default_rng(seed).uniform(size=len(y)) < 0.18)
    return X[keep], y[keep]


def digits_imbalanced(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Ten digits, thinned so that digit d keeps 1 - 0.1 * d of its rows (9 keeps 10%)."""
    X, y = load_digits(return_X_y=True)
    keep = np.random.default_rng(seed).uniform(size=len(y)) < np.linspace(1.0, 0.1, 10)[y]
    return X[keep], y[keep]
