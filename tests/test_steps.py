"""The adapters' training steps (prepare, finish, best_iteration), shared by every front end."""

import ast
import pathlib

import numpy as np
import pytest
from scipy.special import logsumexp

xgb = pytest.importorskip("xgboost")
lgb = pytest.importorskip("lightgbm")

from conftest import set_name  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402

from focal_boost import FocalLGBMClassifier, FocalXGBClassifier, focal_loss  # noqa: E402
from focal_boost import lightgbm as flgb  # noqa: E402
from focal_boost import xgboost as fxgb  # noqa: E402

PACKAGE = pathlib.Path(fxgb.__file__).parent


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(600, 6, n_informative=4, n_classes=3, weights=[0.7, 0.2, 0.1],
                               random_state=0)
    w = np.random.default_rng(0).uniform(0.5, 2.0, len(y))
    return X, y, w


@pytest.mark.parametrize("k", [2, 3])
def test_xgboost_prepare_intercept_from_labels_equals_from_class_totals(data, k):
    X, y, w = data
    y = y if k == 3 else (y > 0).astype(int)
    params = {} if k == 2 else {"num_class": k}
    loss = focal_loss(2.0, [0.2, 0.5, 0.3] if k == 3 else 0.25)
    totals = np.bincount(y, weights=w, minlength=k)
    from_rows = fxgb.prepare(params, loss, y_true=y, sample_weight=w)
    from_totals = fxgb.prepare(params, loss, y_true=np.arange(k), sample_weight=totals)
    assert np.allclose(from_rows.params["base_score"], from_totals.params["base_score"],
                       rtol=0, atol=1e-9)
    expected = loss.init_score(y, w, n_classes=k)
    assert np.allclose(np.atleast_1d(from_rows.params["base_score"]),
                       np.atleast_1d(expected), atol=1e-12)
    assert from_rows.params.get("num_class") == (k if k > 2 else None)
    assert from_rows.params["disable_default_eval_metric"] is True


@pytest.mark.parametrize("k", [2, 3])
def test_lightgbm_prepare_intercept_from_labels_equals_from_class_totals(data, k):
    X, y, w = data
    y = y if k == 3 else (y > 0).astype(int)
    params = {} if k == 2 else {"num_class": k}
    loss = focal_loss(2.0)
    # a Dataset's weights are read as LightGBM holds them, float32: the totals of those
    totals = np.bincount(y, weights=w.astype(np.float32), minlength=k)
    from_data = flgb.prepare(params, loss, 10, train_set=lgb.Dataset(X, y, weight=w))
    from_totals = flgb.prepare(params, loss, 10, y_true=np.arange(k), sample_weight=totals)
    assert from_data.intercept.shape == (1 if k == 2 else k,)
    assert np.allclose(from_data.intercept, from_totals.intercept, rtol=0, atol=1e-9)
    expected = np.atleast_1d(loss.init_score(y, w, n_classes=k))
    if k > 2:  # as log-probabilities, where LightGBM's multiclass objective starts
        expected = expected - logsumexp(expected)
    assert np.allclose(from_data.intercept, expected)
    assert from_data.params["metric"] == "None"
    assert from_data.feval[0](np.zeros((len(y), k) if k > 2 else len(y)),
                              lgb.Dataset(X, y).construct())[0] == "focal_loss"
    estimator = from_data.estimator_params()
    assert estimator["objective"](y, np.zeros((len(y), k) if k > 2 else len(y)), None)[0].shape \
        == ((len(y), k) if k > 2 else (len(y),))


def test_xgboost_native_train_is_prepare_train_finish(data):
    X, y, w = data
    y = (y > 0).astype(int)
    loss = focal_loss(2.0, 0.25)
    dtrain = xgb.DMatrix(X, label=y, weight=w)
    params = {"max_depth": 3, "seed": 1}
    native = fxgb.train(params, dtrain, loss, 20)
    run = fxgb.prepare(params, loss, y_true=y, sample_weight=w)
    by_steps = fxgb.finish(xgb.train(run.params, dtrain, 20, **run.train_kwargs()), run)
    assert np.array_equal(fxgb.predict_margin(native, X), fxgb.predict_margin(by_steps, X))
    assert np.array_equal(fxgb.predict_proba(native, X), fxgb.predict_proba(by_steps, X))


def test_lightgbm_native_train_is_prepare_train_finish(data):
    X, y, w = data
    loss = focal_loss(2.0)
    params = {"num_class": 3, "verbose": -1, "num_leaves": 7}
    native = flgb.train(params, lgb.Dataset(X, y, weight=w), loss, 20)
    run = flgb.prepare(params, loss, 20, y_true=y, sample_weight=w.astype(np.float32))
    start = run.start_margins(len(y))
    booster = lgb.train(run.params, lgb.Dataset(X, y, weight=w, init_score=start), 20)
    by_steps = flgb.finish(booster, run)
    assert np.allclose(flgb.predict_margin(native, X), flgb.predict_margin(by_steps, X),
                       rtol=0, atol=1e-12)


@pytest.mark.parametrize("library", ["xgboost", "lightgbm"])
def test_best_iteration_follows_early_stopping_else_the_last_round(data, library):
    X, y, _ = data
    y = (y > 0).astype(int)
    loss = focal_loss(2.0)
    if library == "xgboost":
        dtr, dva = xgb.DMatrix(X[:400], label=y[:400]), xgb.DMatrix(X[400:], label=y[400:])
        full = fxgb.train({"eta": 0.5}, dtr, loss, 7)
        stopped = fxgb.train({"eta": 0.5}, dtr, loss, 300, evals=[(dva, "v")],
                             early_stopping_rounds=3)
        assert fxgb.best_iteration(full) == 6
        assert fxgb.best_iteration(stopped) == int(stopped.attr("best_iteration"))
        assert fxgb.best_iteration(stopped) < stopped.num_boosted_rounds() - 1
    else:
        dtr = lgb.Dataset(X[:400], y[:400])
        dva = lgb.Dataset(X[400:], y[400:], reference=dtr)
        params = {"learning_rate": 0.5, "verbose": -1}
        full = flgb.train(params, dtr, loss, 7)
        stopped = flgb.train(params, dtr, loss, 300, valid_sets=[dva],
                             callbacks=[lgb.early_stopping(3, verbose=False)])
        assert flgb.best_iteration(full) == 6
        assert flgb.best_iteration(stopped) == stopped.best_iteration - 1
        assert 0 <= flgb.best_iteration(stopped) < 299


def test_estimators_take_the_best_iteration_of_callbacks_that_end_training(data):
    """A callback that ends training early: the estimators read the rounds the booster
    has, as XGBClassifier and LGBMClassifier do, instead of n_estimators."""
    X, y, _ = data
    y = (y > 0).astype(int)
    ev = [(X[:150], y[:150])]

    class StopAfterFive(xgb.callback.TrainingCallback):
        def after_iteration(self, model, epoch, evals_log):
            return epoch >= 4

    ours = FocalXGBClassifier(callbacks=[StopAfterFive()]).fit(X[150:], y[150:])
    assert ours.best_iteration_ == 4 and ours.booster_.num_boosted_rounds() == 5
    assert ours.predict_proba(X[:5]).shape == (5, 2)

    ours = FocalXGBClassifier(callbacks=[xgb.callback.EarlyStopping(rounds=2)])
    ours.fit(X[150:], y[150:], eval_set=ev)
    assert ours.best_iteration_ == int(ours.booster_.attr("best_iteration"))
    assert ours.best_score_ == ours.evals_result_[set_name(ours)]["focal_loss"][
        ours.best_iteration_]

    ours = FocalLGBMClassifier(n_estimators=300).fit(
        X[150:], y[150:], eval_set=ev, callbacks=[lgb.early_stopping(2, verbose=False)])
    assert ours.best_iteration_ == ours.booster_.best_iteration - 1
    assert ours.best_iteration_ < 299
    assert ours.best_score_ == ours.evals_result_[set_name(ours)]["focal_loss"][
        ours.best_iteration_]


def _imported_names(path: pathlib.Path) -> list[tuple[str, str]]:
    """(module, name) of every ``from ... import name`` in a source file."""
    tree = ast.parse(path.read_text())
    return [(node.module or "", alias.name) for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) for alias in node.names]


def test_dask_module_imports_no_private_name():
    ours = [(module, name) for module, name in _imported_names(PACKAGE / "dask.py")
            if module.split(".")[0] == "focal_boost"]
    assert {module for module, _ in ours} >= {"focal_boost.estimators", "focal_boost.metrics"}
    private = [(module, name) for module, name in ours
               if name.startswith("_") or any(part.startswith("_") for part in module.split("."))]
    assert private == []
    source = (PACKAGE / "dask.py").read_text()
    for adapter in ("fxgb", "flgb"):
        assert f"{adapter}._" not in source
