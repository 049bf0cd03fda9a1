"""Test-session settings."""

import os

import numpy as np
import pytest

# OpenMP threads that spin while waiting make XGBoost and LightGBM many times slower on
# cores shared with other processes (the suite's many small fits); set before the
# libraries load their OpenMP runtime.
os.environ.setdefault("OMP_WAIT_POLICY", "passive")


@pytest.fixture(autouse=True)
def _rng_of_the_test(request):
    """A module's shared generator ``RNG`` reseeded for each test from the test's id: the
    data a test draws does not depend on which tests ran before it (a shuffled order,
    ``-k`` or a subset drew other rows; one such row failed a tolerance). Reseeded in
    place: functions that took ``RNG`` as a default argument draw from it too."""
    import zlib

    rng = getattr(request.module, "RNG", None)
    if isinstance(rng, np.random.Generator):
        seed = zlib.crc32(request.node.nodeid.encode())
        rng.bit_generator.state = np.random.default_rng(seed).bit_generator.state
    yield


def near_zero_rows(dtype=np.float32):
    """Training data whose splits fall between negative values, 0 and positive ones, and
    rows of values at and around LightGBM's zero band (it reads |x| <= float32(1e-35)
    as 0): ``X, y, rows``."""
    edge = float(np.float32(1e-35))
    values = [0.0, -0.0, -1e-36, -1e-35, -edge, edge, 1e-35, np.nextafter(-edge, -1),
              np.nextafter(edge, 1), -1e-30, 1e-30, -1.0, 1.0, 2.0]
    rng = np.random.default_rng(0)
    X = rng.integers(-2, 3, size=(400, 2)).astype(float)
    y = ((X[:, 0] >= 0) ^ (X[:, 1] > 0)).astype(int) ^ (rng.random(400) < 0.1)
    return X, y, np.array([[a, b] for a in values for b in values], dtype=dtype)


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


@pytest.fixture
def package_warning_swaps(monkeypatch):
    """Where the package's own code enters ``warnings.catch_warnings`` (file:line, in
    call order). Before Python 3.14 that swaps the process's warning filters, and
    two fits in threads interleaving there can leave one's filters ("ignore") set for
    good: a fit must not."""
    import os
    import sys
    import warnings

    import focal_boost

    package = os.path.dirname(focal_boost.__file__)
    seen = []

    class Recording(warnings.catch_warnings):
        def __enter__(self):
            caller = sys._getframe(1).f_code
            if caller.co_filename.startswith(package):
                seen.append(f"{caller.co_filename}:{sys._getframe(1).f_lineno}")
            return super().__enter__()

    monkeypatch.setattr(warnings, "catch_warnings", Recording)
    return seen
