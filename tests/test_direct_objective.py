"""The loss object passed straight to XGBClassifier / LGBMClassifier as `objective=`."""

import numpy as np
import pytest

from focal_boost import focal_loss

xgb = pytest.importorskip("xgboost")
lgb = pytest.importorskip("lightgbm")
datasets = pytest.importorskip("sklearn.datasets")
metrics = pytest.importorskip("sklearn.metrics")


def _binary():
    return datasets.make_classification(1500, 8, weights=[0.9], random_state=0)


def _multiclass():
    return datasets.make_classification(1500, 8, n_informative=5, n_classes=3, random_state=0)


def test_xgbclassifier_binary_with_weights():
    X, y = _binary()
    model = xgb.XGBClassifier(objective=focal_loss(2, 0.25), n_estimators=30, n_jobs=1)
    model.fit(X, y, sample_weight=np.where(y == 1, 2.0, 1.0))
    proba = model.predict_proba(X)
    assert proba.shape == (len(y), 2) and np.isfinite(proba).all()
    assert metrics.roc_auc_score(y, proba[:, 1]) > 0.9


def test_xgbclassifier_multiclass_sequence_alpha():
    X, y = _multiclass()
    model = xgb.XGBClassifier(objective=focal_loss(2, [1.0, 2.0, 3.0]), n_estimators=30, n_jobs=1)
    model.fit(X, y)
    proba = model.predict_proba(X)
    assert proba.shape == (len(y), 3) and np.isfinite(proba).all()
    assert (model.predict(X) == y).mean() > 0.8


def test_lgbmclassifier_binary_with_weights():
    X, y = _binary()
    model = lgb.LGBMClassifier(objective=focal_loss(2, 0.25), n_estimators=30, n_jobs=1,
                               verbose=-1)
    model.fit(X, y, sample_weight=np.where(y == 1, 2.0, 1.0))
    # LightGBM returns raw scores from predict_proba with a callable objective.
    with pytest.warns(UserWarning, match="raw scores"):
        raw = model.predict_proba(X)
    assert raw.shape == (len(y),) and np.isfinite(raw).all()
    assert metrics.roc_auc_score(y, raw) > 0.9


def test_lgbmclassifier_multiclass_sequence_alpha():
    X, y = _multiclass()
    model = lgb.LGBMClassifier(objective=focal_loss(2, [1.0, 2.0, 3.0]), n_estimators=30,
                               n_jobs=1, verbose=-1)
    model.fit(X, y)
    with pytest.warns(UserWarning, match="raw scores"):
        raw = model.predict_proba(X)
    assert raw.shape == (len(y), 3) and np.isfinite(raw).all()
    assert (raw.argmax(axis=1) == y).mean() > 0.8
