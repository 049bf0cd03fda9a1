"""Where boosting starts, side by side with the plain classifiers.

The estimators start from the focal-optimal constant (``init_score="auto"``), as
``XGBClassifier`` (estimated ``base_score``) and ``LGBMClassifier``
(``boost_from_average``) start from their best constant: a model with no effective
tree then predicts the base rate, as theirs do.
"""

import warnings

import numpy as np
import pytest

pytest.importorskip("xgboost")
pytest.importorskip("lightgbm")

from lightgbm import LGBMClassifier  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402
from sklearn.metrics import log_loss  # noqa: E402
from xgboost import XGBClassifier  # noqa: E402

from focal_boost import FocalLGBMClassifier, FocalXGBClassifier  # noqa: E402

PAIRS = [(FocalXGBClassifier, XGBClassifier, {}),
         (FocalLGBMClassifier, LGBMClassifier, {"verbose": -1})]


@pytest.fixture(scope="module", params=["binary", "3 classes"])
def data(request):
    if request.param == "binary":  # 6.8% positives
        return make_classification(4000, 8, weights=[0.935], random_state=3)
    return make_classification(4000, 8, n_informative=5, n_classes=3,
                               weights=[0.8, 0.1, 0.1], random_state=3)


def _fit_both(ours, plain, extra, X, y, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "the model has no split"
        focal = ours(**params).fit(X, y)
        base = plain(**params, **extra).fit(X, y)
    return focal.predict_proba(X), base.predict_proba(X)


@pytest.mark.parametrize("ours, plain, extra", PAIRS)
def test_a_model_that_cannot_split_predicts_the_base_rate(data, ours, plain, extra):
    X, y = data
    rate = np.bincount(y) / len(y)
    focal, base = _fit_both(ours, plain, extra, X, y, min_child_weight=1e6)
    assert np.abs(focal.mean(axis=0) - rate).max() < 1e-6
    assert np.abs(base.mean(axis=0) - rate).max() < 1e-3  # the plain classifier too
    assert log_loss(y, focal) <= 1.001 * log_loss(y, base)


@pytest.mark.parametrize("ours, plain, extra", PAIRS)
def test_few_trees_stay_near_the_base_rate(data, ours, plain, extra):
    X, y = data
    rate = np.bincount(y) / len(y)
    focal, base = _fit_both(ours, plain, extra, X, y, n_estimators=20, learning_rate=0.01)
    assert np.abs(focal.mean(axis=0) - rate).max() < 0.015
    assert log_loss(y, focal) <= 1.15 * log_loss(y, base)


@pytest.mark.parametrize("ours, plain, extra", PAIRS)
def test_margin_zero_start_is_an_option(data, ours, plain, extra):
    """init_score=None starts at margin 0: a model without a split says 1/k."""
    X, y = data
    focal, _ = _fit_both(ours, plain, extra, X, y, min_child_weight=1e6, init_score=None)
    assert np.allclose(focal, 1.0 / focal.shape[1])
