"""Test-session settings."""

import os

import pytest

# OpenMP threads that spin while waiting make XGBoost and LightGBM many times slower on
# cores shared with other processes (the suite's many small fits); set before the
# libraries load their OpenMP runtime.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def raw_margins(model, X):
    """The booster's raw margins (intercept included) of a fitted focal estimator, as the
    library's own option gives them: its ``decision_function`` is the posterior's
    log-odds."""
    from focal_boost import FocalXGBClassifier

    if isinstance(model, FocalXGBClassifier):
        return model.predict(X, output_margin=True)
    return model.predict(X, raw_score=True)



def set_name(model, i: int = 0) -> str:
    """The key of the ``i``-th evaluation set in ``evals_result_``, as the library's own
    classifier names it: ``valid_i`` (LGBMClassifier) for the LightGBM estimators,
    ``validation_i`` (XGBClassifier) for the XGBoost ones; ``model``: an estimator or
    its class."""
    name = model.__name__ if isinstance(model, type) else type(model).__name__
    return f"{'valid' if 'LGBM' in name else 'validation'}_{i}"

@pytest.fixture
def lightgbm_predict_threads(monkeypatch):
    """The ``num_threads`` each ``lightgbm.Booster.predict`` call gets, in call order
    (None: not passed, LightGBM's default)."""
    lgb = pytest.importorskip("lightgbm")
    seen = []
    real = lgb.Booster.predict

    def spy(self, *args, **kwargs):
        seen.append(kwargs.get("num_threads"))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(lgb.Booster, "predict", spy)
    return seen
