"""Tests of the LightGBM adapter (focal_boost.lightgbm)."""

from __future__ import annotations

import copy
import gc
import pickle
import re
import subprocess
import sys
import threading
import time
import warnings
import weakref
from types import MappingProxyType

import numpy as np
import pytest

lgb = pytest.importorskip("lightgbm")
pytest.importorskip("sklearn")

import scipy.sparse  # noqa: E402
from scipy.special import expit, log_softmax, softmax  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402
from sklearn.metrics import log_loss  # noqa: E402

from focal_boost import FocalLGBMClassifier, ce_loss, focal_loss  # noqa: E402
from focal_boost import lightgbm as flgb  # noqa: E402
from focal_boost.metrics import focal_metric  # noqa: E402

# One thread: on a busy 2-core machine OpenMP with 2 threads is many times slower.
BASE = {"verbose": -1, "num_threads": 1, "seed": 0, "num_leaves": 15}
N_ROUNDS = 20


@pytest.fixture(scope="module")
def binary_data():
    X, y = make_classification(
        n_samples=2000, n_features=8, n_informative=5, weights=[0.8], flip_y=0.05,
        random_state=0,
    )
    return X, y


@pytest.fixture(scope="module")
def multi_data():
    X, y = make_classification(
        n_samples=2000, n_features=10, n_informative=6, n_classes=3, flip_y=0.05,
        random_state=1,
    )
    return X, y


def _mean_loss(loss, y, margin, w=None):
    return float(np.average(loss.loss(y, margin), weights=w))


# ----------------------------------------------------------------- packaging
def test_import_focal_boost_does_not_import_lightgbm():
    code = "import sys, focal_boost; assert 'lightgbm' not in sys.modules, 'imported'"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


# ------------------------------------------------------- equivalence (binary)
def test_binary_ce_from_zero_matches_builtin(binary_data):
    X, y = binary_data
    ours = flgb.train(BASE, lgb.Dataset(X, y), ce_loss(), N_ROUNDS, init_score=None)
    ref = lgb.train(
        {**BASE, "objective": "binary", "boost_from_average": False}, lgb.Dataset(X, y), N_ROUNDS
    )
    diff = np.abs(flgb.predict_margin(ours, X) - ref.predict(X, raw_score=True))
    assert diff.max() <= 1e-5


def test_binary_ce_auto_intercept_matches_builtin(binary_data):
    X, y = binary_data
    loss = ce_loss()
    c = loss.init_score(y)
    assert c == pytest.approx(np.log(y.mean() / (1 - y.mean())))
    ours = flgb.train(BASE, lgb.Dataset(X, y), loss, N_ROUNDS)
    # Built-in with the same start given as Dataset init_score (not added at predict) ...
    ref = lgb.train(
        {**BASE, "objective": "binary"}, lgb.Dataset(X, y, init_score=np.full(len(y), c)), N_ROUNDS
    )
    margin = flgb.predict_margin(ours, X)
    assert np.abs(margin - (ref.predict(X, raw_score=True) + c)).max() <= 1e-5
    # ... and with boost_from_average, which bakes the same log-odds into the model.
    ref_bfa = lgb.train({**BASE, "objective": "binary"}, lgb.Dataset(X, y), N_ROUNDS)
    assert np.abs(margin - ref_bfa.predict(X, raw_score=True)).max() <= 1e-5
    np.testing.assert_allclose(flgb.inverse_link(ours, X), ref_bfa.predict(X), atol=1e-6)
    # With gamma 0 and no alpha the posterior is the plain link.
    np.testing.assert_allclose(flgb.predict_proba(ours, X, loss), ref_bfa.predict(X), atol=1e-6)


@pytest.mark.parametrize("spread", [1.0, 20.0])
def test_float64_weights_start_where_lightgbm_trains(binary_data, spread):
    # LightGBM holds weights in float32 and boosts from their average: a start from the
    # float64 weights given was 5e-10 off (0.2 in probability with weights across 1e+-20)
    X, y = binary_data
    w = 10.0 ** np.random.default_rng(0).uniform(-spread, spread, len(y))
    ours = flgb.train(BASE, lgb.Dataset(X, y, weight=w), ce_loss(), N_ROUNDS)
    plain = lgb.train({**BASE, "objective": "binary"}, lgb.Dataset(X, y, weight=w), N_ROUNDS)
    np.testing.assert_allclose(flgb.predict_proba(ours, X, ce_loss()), plain.predict(X),
                               rtol=0, atol=1e-14)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_the_first_trees_hold_the_intercept_in_every_node(binary_data, multi_data, n_classes):
    # set_leaf_output reached the leaves only: dump_model and trees_to_dataframe showed
    # the first trees' split nodes without the intercept (1.38 off boost_from_average's)
    X, y = binary_data if n_classes == 2 else multi_data
    params = {**BASE, **({"num_class": n_classes} if n_classes > 2 else {})}
    builtin = lgb.train({**params, "objective": "binary" if n_classes == 2 else
                         "multiclass"}, lgb.Dataset(X, y), 5).trees_to_dataframe()
    linear = {**params, "linear_tree": True}
    for params_, keep in ((params, False), (linear, False), (params, True)):
        booster = flgb.train(params_, lgb.Dataset(X, y), ce_loss(), 5,
                             keep_training_booster=keep)
        nodes = booster.trees_to_dataframe()
        first = nodes[nodes.tree_index < n_classes - (n_classes == 2)]
        inner = first[first.left_child.notna()]
        if params_ is params and not keep:  # LightGBM writes internal values to ~1e-6
            np.testing.assert_allclose(nodes.value, builtin.value, atol=1e-5)
        elif keep:  # a booster kept for training: the leaves only
            assert np.abs(inner.value).max() < 0.5 < np.abs(builtin.value).max()
        else:  # linear trees: each root is the start, about the class's log prior
            roots = first.groupby("tree_index").value.first().to_numpy()
            np.testing.assert_allclose(roots, builtin.groupby("tree_index").value.first()
                                       .to_numpy()[:len(roots)], atol=0.05)
        if keep:
            booster.update(fobj=flgb.objective(ce_loss()))  # still trains on
            assert booster.current_iteration() == 6


# --------------------------------------------------- equivalence (multiclass)
def test_multiclass_gradient_layout_matches_builtin_exactly(multi_data):
    """LightGBM's softmax Hessian is k/(k-1) p(1-p), and the objective's: equal trees.

    A flat row-major gradient would scramble rows and classes and fail this.
    """
    X, y = multi_data
    k = 3
    loss = ce_loss()
    obj = flgb.objective(loss)

    def scaled(preds, data):
        grad, hess = obj(preds, data)
        assert grad.shape == hess.shape == preds.shape == (len(y), k)
        exact = loss(data.get_label(), preds)[1]
        np.testing.assert_allclose(hess, exact * k / (k - 1))
        return grad, hess

    start = np.tile(loss.init_score(y, n_classes=k), (len(y), 1))
    params = {**BASE, "num_class": k}
    ours = lgb.train(
        {**params, "objective": scaled, "metric": "None"},
        lgb.Dataset(X, y, init_score=start), N_ROUNDS,
    )
    ref = lgb.train(
        {**params, "objective": "multiclass"}, lgb.Dataset(X, y, init_score=start), N_ROUNDS
    )
    assert np.abs(ours.predict(X, raw_score=True) - ref.predict(X, raw_score=True)).max() <= 1e-5


def test_multiclass_ce_matches_builtin_logloss(multi_data):
    X, y = multi_data
    Xtr, ytr, Xte, yte = X[:1500], y[:1500], X[1500:], y[1500:]
    k = 3
    params = {**BASE, "num_class": k, "learning_rate": 0.1}
    ours = flgb.train(params, lgb.Dataset(Xtr, ytr), ce_loss(), N_ROUNDS)
    # The objective scales the Hessian by k/(k-1) as the built-in does: same parameters.
    ref = lgb.train({**params, "objective": "multiclass"}, lgb.Dataset(Xtr, ytr), N_ROUNDS)
    proba = flgb.predict_proba(ours, Xte, ce_loss())
    assert proba.shape == (len(yte), k)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    ll_ours, ll_ref = log_loss(yte, proba), log_loss(yte, ref.predict(Xte))
    assert abs(ll_ours - ll_ref) / ll_ref < 1e-3
    assert ll_ours < log_loss(yte, np.tile(np.bincount(ytr) / len(ytr), (len(yte), 1)))


# ------------------------------------------------------------------- weights
def test_objective_and_metric_apply_weights(multi_data):
    X, y = multi_data
    w = np.random.default_rng(0).uniform(0.1, 3.0, len(y))
    loss = focal_loss(2.0, [1.0, 2.0, 0.5])
    preds = np.asfortranarray(np.random.default_rng(1).normal(size=(len(y), 3)))
    plain = lgb.Dataset(X, y, params={"verbose": -1}).construct()
    weighted = lgb.Dataset(X, y, weight=w, params={"verbose": -1}).construct()
    g0, h0 = flgb.objective(loss)(preds, plain)
    g1, h1 = flgb.objective(loss)(preds, weighted)
    w = w.astype(np.float32).astype(np.float64)  # LightGBM stores weights as float32
    # float32, as LightGBM keeps gradients: the float64 values (the Hessian with the
    # multiclass scale k / (k - 1)) rounded once
    assert g1.dtype == h1.dtype == np.float32
    g64, h64 = loss(y, preds, w)
    np.testing.assert_array_equal(g1, g64.astype(np.float32))
    np.testing.assert_array_equal(h1, (1.5 * h64).astype(np.float32))
    np.testing.assert_allclose(g1, g0 * w[:, None], rtol=1e-6)
    np.testing.assert_allclose(h1, h0 * w[:, None], rtol=1e-6)
    _, value, _ = flgb.metric(loss)(preds, weighted)
    assert value == pytest.approx(np.sum(w * loss.loss(y, preds)) / np.sum(w), rel=1e-12)


def test_integer_weights_equal_duplicated_rows():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 30, size=(1000, 4)).astype(float)
    y = (X[:, 0] + X[:, 1] + rng.normal(0, 8, 1000) > 30).astype(int)
    w = rng.integers(1, 4, size=len(y))
    loss = focal_loss(2.0, 0.25)
    # Few leaves: no near-tied splits that float32 summation order could flip.
    params = {**BASE, "num_leaves": 8, "min_data_in_leaf": 1, "min_sum_hessian_in_leaf": 0}
    weighted = flgb.train(params, lgb.Dataset(X, y, weight=w.astype(float)), loss, 10)
    repeated = flgb.train(params, lgb.Dataset(np.repeat(X, w, 0), np.repeat(y, w)), loss, 10)
    unweighted = flgb.train(params, lgb.Dataset(X, y), loss, 10)
    m_w, m_r = flgb.predict_margin(weighted, X), flgb.predict_margin(repeated, X)
    assert np.abs(m_w - m_r).max() <= 1e-6
    assert np.abs(m_w - flgb.predict_margin(unweighted, X)).max() > 1e-2  # weights mattered


# -------------------------------------------------------------- preds buffer
@pytest.mark.parametrize("n_classes", [1, 3])
def test_preds_buffer_not_mutated(binary_data, multi_data, n_classes):
    X, y = binary_data if n_classes == 1 else multi_data
    loss = focal_loss(2.0, 0.25 if n_classes == 1 else [1.0, 2.0, 3.0])
    obj = flgb.objective(loss)
    seen = []

    def spy(preds, data):
        before = preds.copy()
        out = obj(preds, data)
        seen.append(np.array_equal(before, preds))
        assert np.shares_memory(out[0], preds) is False
        return out

    params = {**BASE, "objective": spy, "metric": "None"}
    if n_classes > 1:
        params["num_class"] = n_classes
    lgb.train(params, lgb.Dataset(X, y), 5)
    assert seen == [True] * 5


# -------------------------------------------------------------------- metric
def test_metric_tuple_is_weighted_mean_loss(binary_data):
    X, y = binary_data
    loss = focal_loss(2.0, 0.25)
    margin = np.random.default_rng(0).normal(size=len(y))
    data = lgb.Dataset(X, y, params={"verbose": -1}).construct()
    name, value, higher_is_better = flgb.metric(loss)(margin, data)
    assert name == "focal_loss" and higher_is_better is False
    assert value == pytest.approx(np.mean(loss.loss(y, margin)), rel=1e-12)


def test_metric_matches_model_predictions_every_iteration(multi_data):
    """The margins LightGBM trains on (Dataset start + trees) equal the baked model's."""
    X, y = multi_data
    loss = focal_loss(2.0, [1.0, 2.0, 4.0])
    data = lgb.Dataset(X, y)
    history: dict = {}
    booster = flgb.train(
        {**BASE, "num_class": 3}, data, loss, 8, valid_sets=[data], valid_names=["train"],
        callbacks=[lgb.record_evaluation(history)],
    )
    recorded = history["train"]["focal_loss"]
    assert len(recorded) == 8
    for i in range(8):
        margin = flgb.predict_margin(booster, X, num_iteration=i + 1)
        assert _mean_loss(loss, y, margin) == pytest.approx(recorded[i], rel=1e-9)
    assert recorded[-1] < _mean_loss(loss, y, np.tile(loss.init_score(y), (len(y), 1)))


# ------------------------------------------------------------ early stopping
@pytest.mark.parametrize("keep_training_booster", [False, True])
def test_early_stopping_on_focal_metric(binary_data, keep_training_booster):
    X, y = binary_data
    Xtr, ytr, Xva, yva = X[:1000], y[:1000], X[1000:], y[1000:]
    loss = focal_loss(2.0, 0.25)
    dtrain = lgb.Dataset(Xtr, ytr)
    dvalid = lgb.Dataset(Xva, yva, reference=dtrain)
    history: dict = {}
    booster = flgb.train(
        {**BASE, "learning_rate": 0.5, "num_leaves": 63, "min_data_in_leaf": 2}, dtrain, loss,
        30, valid_sets=[dvalid], valid_names=["valid"],
        callbacks=[lgb.early_stopping(3, verbose=False), lgb.record_evaluation(history)],
        keep_training_booster=keep_training_booster,
    )
    curve = history["valid"]["focal_loss"]
    assert 1 <= booster.best_iteration < 30
    assert booster.best_iteration == int(np.argmin(curve)) + 1
    best = booster.best_score["valid"]["focal_loss"]
    assert best == pytest.approx(min(curve))
    # predict uses best_iteration by default, intercept included.
    assert _mean_loss(loss, yva, flgb.predict_margin(booster, Xva)) == pytest.approx(best, rel=1e-9)
    reloaded = lgb.Booster(model_str=booster.model_to_string())
    assert _mean_loss(loss, yva, flgb.predict_margin(reloaded, Xva)) == pytest.approx(
        best, rel=1e-9
    )


# -------------------------------------------------- the intercept is baked in
@pytest.mark.parametrize(
    ("loss", "n_classes"),
    [(focal_loss(2.0, 0.25), 1), (focal_loss(2.0, [1.0, 2.0, 4.0]), 3), (focal_loss(1.0), 2)],
)
def test_constant_model_predicts_the_intercept(binary_data, multi_data, loss, n_classes):
    X, y = binary_data if n_classes < 3 else multi_data
    params = {**BASE, "min_gain_to_split": 1e9}  # no split can be made
    if n_classes > 1:
        params["num_class"] = n_classes
    booster = flgb.train(params, lgb.Dataset(X, y), loss, 3)
    c = loss.init_score(y, n_classes=max(n_classes, 2))
    margin = flgb.predict_margin(booster, X[:5])
    if n_classes == 1:
        np.testing.assert_allclose(margin, c, rtol=1e-12)
        np.testing.assert_allclose(flgb.inverse_link(booster, X[:5]), expit(c), rtol=1e-12)
    elif n_classes == 2:  # 2-column softmax: the log-odds as log-probabilities, which
        # LightGBM's multiclass objective starts from (the log priors at gamma 0)
        np.testing.assert_allclose(margin, np.tile(log_softmax([-c / 2, c / 2]), (5, 1)),
                                   rtol=1e-12)
        np.testing.assert_allclose(flgb.inverse_link(booster, X[:5])[:, 1], expit(c))
    else:
        np.testing.assert_allclose(margin, np.tile(log_softmax(c), (5, 1)), rtol=1e-12)
        np.testing.assert_allclose(flgb.inverse_link(booster, X[:5]), softmax(margin, axis=1))
    # The posterior of the best constant is the (weighted) class frequency.
    proba = flgb.predict_proba(booster, X[:5], loss)
    freq = np.bincount(y) / len(y)
    np.testing.assert_allclose(proba if n_classes > 1 else np.column_stack([1 - proba, proba]),
                               np.tile(freq, (5, 1)), rtol=1e-6)


def test_explicit_and_no_intercept(binary_data):
    X, y = binary_data
    params = {**BASE, "min_gain_to_split": 1e9}
    explicit = flgb.train(params, lgb.Dataset(X, y), ce_loss(), 2, init_score=-0.75)
    np.testing.assert_allclose(flgb.predict_margin(explicit, X[:4]), -0.75, rtol=1e-12)
    none = flgb.train(params, lgb.Dataset(X, y), ce_loss(), 2, init_score=None)
    np.testing.assert_allclose(flgb.predict_margin(none, X[:4]), 0.0, atol=1e-12)
    multi = flgb.train(
        {**params, "num_class": 3}, lgb.Dataset(X, y), ce_loss(), 2, init_score=[0.5, 0.0, -1.0]
    )
    np.testing.assert_allclose(
        flgb.predict_margin(multi, X[:2]), [[0.5, 0.0, -1.0]] * 2, rtol=1e-12, atol=1e-12
    )


@pytest.mark.parametrize("n_classes", [1, 3])
def test_intercept_survives_serialisation(binary_data, multi_data, tmp_path, n_classes):
    X, y = binary_data if n_classes == 1 else multi_data
    params = dict(BASE, num_class=n_classes) if n_classes > 1 else BASE
    loss = focal_loss(2.0, 0.25 if n_classes == 1 else [1.0, 1.5, 3.0])
    booster = flgb.train(params, lgb.Dataset(X, y), loss, 10)
    margin = flgb.predict_margin(booster, X)
    c = loss.init_score(y, n_classes=max(n_classes, 2))
    assert np.abs(np.mean(margin, axis=0) - c).max() < 2.0  # sanity: near the start
    booster.save_model(tmp_path / "model.txt")
    copies = [
        lgb.Booster(model_file=tmp_path / "model.txt"),
        lgb.Booster(model_str=booster.model_to_string()),
        pickle.loads(pickle.dumps(booster)),
        copy.deepcopy(booster),
    ]
    for other in copies:
        np.testing.assert_array_equal(flgb.predict_margin(other, X), margin)
    if n_classes == 1:  # SHAP values add up to the margin: the intercept is in the trees
        contrib = booster.predict(X[:50], pred_contrib=True)
        np.testing.assert_allclose(contrib.sum(axis=1), margin[:50], atol=1e-9)


def test_continued_training_with_init_model(binary_data):
    X, y = binary_data
    loss = focal_loss(2.0, 0.25)
    full = flgb.train(BASE, lgb.Dataset(X, y), loss, 12)
    first = flgb.train(BASE, lgb.Dataset(X, y), loss, 6)
    resumed = flgb.train(BASE, lgb.Dataset(X, y), loss, 6, init_model=first)
    assert resumed.current_iteration() == 12
    diff = flgb.predict_margin(resumed, X) - flgb.predict_margin(full, X)
    assert np.abs(diff).max() <= 1e-6
    with pytest.raises(ValueError, match="init_score"):
        flgb.train(BASE, lgb.Dataset(X, y), loss, 2, init_model=first, init_score=0.5)


def test_continued_training_where_the_columns_do_not_tell_keeps_the_model(binary_data):
    # A rare value (5 rows) leaves no feature for LightGBM's pre-filter, which the columns'
    # ranges do not show: LightGBM fails (and prints its message), and the model is still
    # the initial one, evaluated on its validation sets (whose raw data LightGBM freed).
    X, y = binary_data
    loss = focal_loss(2.0)
    first = flgb.train(BASE, lgb.Dataset(X, y), loss, 4)
    rare = np.ones((300, X.shape[1]))
    rare[:5] = 2.0
    train_set = lgb.Dataset(rare, y[:300])
    assert not flgb.cannot_split(BASE, train_set)
    log: dict = {}
    with pytest.warns(UserWarning, match="no tree is added to init_model"):
        booster = flgb.train(BASE, train_set, loss, 3, init_model=first,
                             valid_sets=[lgb.Dataset(X[:200], y[:200]), train_set],
                             callbacks=[lgb.record_evaluation(log)])
    assert flgb.cannot_split(BASE, train_set)  # as LightGBM built it
    assert booster.current_iteration() == 4
    np.testing.assert_array_equal(flgb.predict_margin(booster, X), flgb.predict_margin(first, X))
    assert log["valid_0"]["focal_loss"] == [pytest.approx(
        _mean_loss(loss, y[:200], flgb.predict_margin(first, X[:200])), rel=1e-9)]
    assert log["training"]["focal_loss"] == [pytest.approx(
        _mean_loss(loss, y[:300], flgb.predict_margin(first, rare)), rel=1e-9)]


def _columns():
    rng = np.random.default_rng(0)
    n = 300
    return {
        "constant": np.ones(n),
        "constant and NaN": np.where(np.arange(n) % 3 == 0, np.nan, 1.0),
        "all NaN": np.full(n, np.nan),
        "zero and NaN": np.where(np.arange(n) % 3 == 0, np.nan, 0.0),
        "a rare value": np.where(np.arange(n) < 5, 2.0, 1.0),
        "inf": np.full(n, np.inf),
        "normal": rng.normal(size=n),
        "integers": rng.integers(0, 3, n),
        "one integer": np.full(n, 7),
        "booleans": np.arange(n) % 2 == 0,
    }


@pytest.mark.parametrize("params", [{}, {"zero_as_missing": True}, {"use_missing": False}],
                         ids=["default", "zero_as_missing", "no missing"])
@pytest.mark.parametrize("rows", [300, 41, 39])
def test_cannot_split_from_the_columns_agrees_with_lightgbm(params, rows):
    # Where the columns' ranges say no feature can be split, the Dataset LightGBM builds
    # has none; they say so for every constant or all-missing column, and for fewer than
    # 2 * min_data_in_leaf rows (with LightGBM's feature_pre_filter, the default).
    params = {"verbose": -1, **params}
    y = np.arange(rows) % 2
    for name, column in _columns().items():
        X = column[:rows, None]
        says = flgb.cannot_split(params, ranges=flgb.column_ranges(X), rows=[rows])
        built = lgb.Dataset(X, y, params=params).construct()
        assert flgb.cannot_split(params, built) == (built.feature_num_bin(0) == 0)
        if says:
            assert built.feature_num_bin(0) == 0, name
        if rows < 40 or name in ("constant", "all NaN", "inf", "one integer"):
            assert says, name
        if name in ("normal", "integers", "booleans") and rows >= 40:
            assert not says, name
        # sparse rows (absent entries zeros, as LightGBM reads them): the same answer
        sparse = scipy.sparse.csr_matrix(X.astype(np.float64))
        assert flgb.cannot_split(params, ranges=flgb.column_ranges(sparse),
                                 rows=[rows]) == says, name
        if says:
            assert lgb.Dataset(sparse, y, params=params).construct().feature_num_bin(0) == 0
    X = np.column_stack([c[:rows] for c in _columns().values()])
    says = flgb.cannot_split(params, lgb.Dataset(X, y, params=params))  # from its data
    assert says == (rows < 40)
    unfiltered = {**params, "feature_pre_filter": False}
    assert not flgb.cannot_split(unfiltered, ranges=flgb.column_ranges(X), rows=[rows])


def test_column_ranges_of_frames_and_row_parts():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({
        "x": [1.0, np.nan, 3.0, 2.0],
        "c": pd.Categorical(["a", None, "a", "a"], categories=["a", "b"]),
        "i": pd.array([4, None, 4, 4], dtype="Int64"),
        "b": [True, False, True, True],
    })
    expected = np.array([[1.0, 0.0, 4.0, 0.0], [3.0, 0.0, 4.0, 1.0], [1.0, 1.0, 1.0, 0.0]])
    np.testing.assert_array_equal(flgb.column_ranges(frame), expected)
    np.testing.assert_array_equal(
        flgb.merge_ranges([flgb.column_ranges(frame[:2]), flgb.column_ranges(frame[2:]),
                           flgb.column_ranges(frame[:0])]), expected)
    empty = flgb.column_ranges(np.empty((0, 2)))
    assert (empty[0] == np.inf).all() and (empty[1] == -np.inf).all()
    assert flgb.column_ranges(pd.DataFrame({"s": ["a", "b"]})) is None
    assert flgb.column_ranges([[1.0, 2.0]]) is None
    assert flgb.merge_ranges([expected, None]) is None


def test_continuing_a_model_on_sparse_rows():
    # the check for a model that cannot split reads the rows of a Dataset not yet built
    # when training continues: len() of a sparse matrix raised (LGBMClassifier fits)
    from focal_boost import FocalLGBMClassifier

    X = np.random.default_rng(0).normal(size=(300, 4))
    X[np.abs(X) < 0.5] = 0
    y = (X[:, 0] > 0).astype(int)
    rows = scipy.sparse.csr_matrix(X)
    first = FocalLGBMClassifier(n_estimators=3).fit(rows, y)
    more = FocalLGBMClassifier(n_estimators=3).fit(rows, y, init_model=first.booster_)
    assert more.booster_.num_trees() == 6
    np.testing.assert_array_equal(more.predict_proba(rows), more.predict_proba(X))
    booster = flgb.train({"verbose": -1}, lgb.Dataset(rows, y), focal_loss(2.0), 3,
                         init_model=first.booster_)
    assert booster.num_trees() == 6


def test_column_ranges_of_sparse_rows_are_those_of_the_dense_rows():
    # absent entries are zeros, explicit zeros and NaN are stored values; any format,
    # integers and booleans, entries given twice (summed, the caller's matrix untouched)
    rng = np.random.default_rng(0)
    for _ in range(100):
        n, m = rng.integers(0, 8), rng.integers(1, 5)
        X = rng.choice([0.0, 0.0, 1.5, -2.0, np.nan, 3.0], size=(n, m))
        expected = flgb.column_ranges(X)
        stored = scipy.sparse.coo_matrix(  # every entry stored, zeros too
            (X.ravel(), (np.repeat(np.arange(n), m), np.tile(np.arange(m), n))), shape=(n, m))
        for sparse in (scipy.sparse.csr_matrix(X), scipy.sparse.csc_array(X), stored,
                       scipy.sparse.csr_matrix(stored).tolil()):
            np.testing.assert_array_equal(flgb.column_ranges(sparse), expected)
    integers = rng.integers(-2, 3, size=(6, 3))
    np.testing.assert_array_equal(flgb.column_ranges(scipy.sparse.csr_array(integers)),
                                  flgb.column_ranges(integers))
    flags = integers > 0
    np.testing.assert_array_equal(flgb.column_ranges(scipy.sparse.csr_matrix(flags)),
                                  flgb.column_ranges(flags))
    # an entry stored twice in a CSR matrix: two values to LightGBM, not their sum
    # (summed, a column LightGBM splits was taken for a constant one)
    a = np.random.default_rng(0).choice([1.0, 3.0], 60)
    twice = scipy.sparse.csr_matrix((np.column_stack([a, -a]).ravel(), np.zeros(120, int),
                                     np.arange(0, 121, 2)), shape=(60, 1))
    np.testing.assert_array_equal(flgb.column_ranges(twice), [[-3.0], [3.0], [0.0]])
    assert twice.nnz == 120 and not twice.has_canonical_format  # (left as it was)
    params = {"verbose": -1, "min_data_in_leaf": 5}
    built = lgb.Dataset(twice, (a > 2).astype(int), params=params).construct()
    assert built.feature_num_bin(0) > 0
    assert not flgb.cannot_split(params, ranges=flgb.column_ranges(twice), rows=[60])
    one_row = scipy.sparse.csr_matrix((np.array([2.0, -2.0]), np.array([0, 0]),
                                       np.array([0, 2, 2])), shape=(2, 1))
    np.testing.assert_array_equal(flgb.column_ranges(one_row), [[-2.0], [2.0], [0.0]])


# ------------------------------------------------------------- no surprises
def test_params_and_datasets_left_as_they_were(binary_data):
    X, y = binary_data
    params = {**BASE, "learning_rate": 0.2}
    snapshot = copy.deepcopy(params)
    dtrain = lgb.Dataset(X[:1500], y[:1500])
    dvalid = lgb.Dataset(X[1500:], y[1500:], reference=dtrain)
    loss = focal_loss(2.0, 0.25)
    first = flgb.train(params, dtrain, loss, 5, valid_sets=[dvalid])
    assert params == snapshot
    assert dtrain.get_init_score() is None and dvalid.get_init_score() is None
    # The (now constructed) Datasets can be reused and give the same model.
    second = flgb.train(params, dtrain, loss, 5, valid_sets=[dvalid])
    np.testing.assert_array_equal(
        flgb.predict_margin(first, X), flgb.predict_margin(second, X)
    )
    # Any read-only mapping of parameters works, as in focal_boost.xgboost.
    third = flgb.train(MappingProxyType(params), dtrain, loss, 5, valid_sets=[dvalid])
    np.testing.assert_array_equal(flgb.predict_margin(first, X), flgb.predict_margin(third, X))


def test_dataset_init_score_is_kept_and_restored(binary_data):
    X, y = binary_data
    offset = np.linspace(-1.0, 1.0, len(y))
    data = lgb.Dataset(X, y, init_score=offset)
    params = {**BASE, "min_gain_to_split": 1e9}
    # "auto" adds no intercept on top of the user's own start (as boost_from_average);
    # like LightGBM, the Dataset offsets are not part of the model.
    auto = flgb.train(params, data, ce_loss(), 2)
    np.testing.assert_allclose(flgb.predict_margin(auto, X[:3]), 0.0, atol=1e-12)
    np.testing.assert_array_equal(data.get_init_score(), offset)
    explicit = flgb.train(params, data, ce_loss(), 2, init_score=0.4)
    np.testing.assert_allclose(flgb.predict_margin(explicit, X[:3]), 0.4, rtol=1e-12)
    np.testing.assert_array_equal(data.get_init_score(), offset)


def test_runs_sharing_a_dataset_in_threads_train_as_one_after_another(binary_data):
    # a run shifts the Datasets' init_score by the intercept while it trains: a second
    # run on a shared Dataset (a threaded search) started from the first one's shifted
    # start and took it as the user's own (no intercept): up to 0.5 off in probability
    from concurrent.futures import ThreadPoolExecutor

    X, y = binary_data
    dtrain = lgb.Dataset(X[:1500], y[:1500], free_raw_data=False)
    dvalid = lgb.Dataset(X[1500:], y[1500:], reference=dtrain)
    loss = focal_loss(gamma=2.0, alpha=0.25)

    def fit(rate):
        history: dict = {}
        booster = flgb.train({**BASE, "learning_rate": rate, "num_threads": 1}, dtrain, loss,
                             20, valid_sets=[dvalid], callbacks=[lgb.record_evaluation(history)])
        return flgb.predict_proba(booster, X[:200], loss), history["valid_0"]["focal_loss"]

    rates = (0.05, 0.1, 0.2, 0.3)
    alone = [fit(rate) for rate in rates]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(fit, rates))
    for (proba, losses), (proba_t, losses_t) in zip(alone, together, strict=True):
        np.testing.assert_array_equal(proba_t, proba)
        assert losses_t == losses
    assert dtrain.get_init_score() is None and dvalid.get_init_score() is None


def test_a_run_inside_another_runs_callback_starts_from_the_datasets_own_start(binary_data):
    # ... and a run inside another's callback, on the same Dataset, too
    X, y = binary_data
    offset = np.linspace(-0.5, 0.5, 1500)
    dtrain = lgb.Dataset(X[:1500], y[:1500], init_score=offset, free_raw_data=False)
    loss = focal_loss(gamma=2.0, alpha=0.25)
    inner = []

    def run(callbacks=()):
        return flgb.train(BASE, dtrain, loss, 5, init_score=0.3, callbacks=list(callbacks))

    def nested(env):
        if env.iteration == 2:
            inner.append(run())

    alone = run()
    outer = run([nested])
    for booster in (*inner, outer):
        np.testing.assert_array_equal(booster.predict(X[:50], raw_score=True),
                                      alone.predict(X[:50], raw_score=True))
    np.testing.assert_array_equal(dtrain.get_init_score(), offset)


def test_a_dataset_is_its_own_again_once_training_begins(binary_data):
    # the intercept-shifted init_score stayed on the caller's Dataset through training:
    # code beside the run (here in a callback: a plain lgb.train, a subset) read it
    X, y = binary_data
    dtrain = lgb.Dataset(X, y, free_raw_data=False)
    plain = {**BASE, "objective": "binary"}
    rows = np.arange(0, len(y), 2)
    alone = [lgb.train(plain, data, 5).predict(X[:100])
             for data in (dtrain, dtrain.subset(rows))]
    seen = []

    def beside(env):
        if env.iteration == 1:
            seen.append(dtrain.get_init_score())
            seen.extend(lgb.train(plain, data, 5).predict(X[:100])
                        for data in (dtrain, dtrain.subset(rows)))

    flgb.train(BASE, dtrain, focal_loss(2.0), 3, callbacks=[beside])
    assert seen[0] is None
    np.testing.assert_array_equal(seen[1], alone[0])
    np.testing.assert_array_equal(seen[2], alone[1])


def test_runs_in_threads_sharing_a_validation_set_train_as_one_after_another(binary_data):
    # lgb.train builds a shared validation set again for another training set: under a
    # running Booster of another thread, which then scored it wrong (plain lgb.train
    # refuses: "different bin mappers")
    from concurrent.futures import ThreadPoolExecutor

    X, y = binary_data
    dvalid = lgb.Dataset(X[1500:], y[1500:], free_raw_data=False)
    trains = [lgb.Dataset(X[i * 100:1500], y[i * 100:1500], free_raw_data=False)
              for i in range(4)]

    def fit(i):
        history: dict = {}
        booster = flgb.train({**BASE, "num_leaves": 4 + 4 * i}, trains[i], focal_loss(2.0), 10,
                             valid_sets=[dvalid], callbacks=[lgb.record_evaluation(history)])
        return booster.predict(X[1500:], raw_score=True), history["valid_0"]["focal_loss"]

    alone = [fit(i) for i in range(4)]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(fit, range(4)))
    for (margins, losses), (margins_t, losses_t) in zip(alone, together, strict=True):
        np.testing.assert_array_equal(margins_t, margins)
        assert losses_t == losses


def test_user_feval_and_metric_are_kept(binary_data):
    X, y = binary_data
    dtrain = lgb.Dataset(X[:1500], y[:1500])
    dvalid = lgb.Dataset(X[1500:], y[1500:], reference=dtrain)

    def half(preds, data):
        return "half", 0.5, False

    history: dict = {}
    flgb.train(
        {**BASE, "metric": "auc"}, dtrain, focal_loss(), 3, valid_sets=[dvalid],
        feval=half, callbacks=[lgb.record_evaluation(history)],
    )
    assert list(history["valid_0"]) == ["auc", "focal_loss", "half"]
    assert history["valid_0"]["auc"][-1] > 0.8

    # metric(loss) in the feval list: evaluated there, once (first_metric_only follows
    # the first); metric() of another loss is the "focal_loss" instead, as lgb.train
    # records it (two metrics of one name were one mixed series)
    loss, other = focal_loss(), focal_loss(1.0)
    for feval, names, recorded in (([half, flgb.metric(loss)], ["half", "focal_loss"], loss),
                                   ([flgb.metric(other), half], ["focal_loss", "half"], other)):
        history = {}
        booster = flgb.train(BASE, dtrain, loss, 3, valid_sets=[dvalid], feval=feval,
                             callbacks=[lgb.record_evaluation(history)])
        assert list(history["valid_0"]) == names
        assert len(history["valid_0"]["focal_loss"]) == 3
        margins = flgb.predict_margin(booster, X[1500:])
        assert history["valid_0"]["focal_loss"][-1] == pytest.approx(
            recorded.loss(y[1500:], margins).mean(), rel=1e-6)


# ----------------------------------------------------------- alpha variants
@pytest.mark.parametrize(
    ("loss", "n_classes"),
    [(focal_loss(2.0, 0.25), 1), (focal_loss(2.0, [0.5, 1.0, 4.0]), 3), (focal_loss(0.5), 3)],
)
def test_focal_variants_train_without_nan(binary_data, multi_data, loss, n_classes):
    X, y = binary_data if n_classes == 1 else multi_data
    params = dict(BASE, num_class=n_classes) if n_classes > 1 else BASE
    booster = flgb.train(params, lgb.Dataset(X, y), loss, N_ROUNDS)
    margin = flgb.predict_margin(booster, X)
    assert margin.shape == ((len(y),) if n_classes == 1 else (len(y), n_classes))
    assert np.isfinite(margin).all()
    assert np.isfinite(flgb.predict_proba(booster, X, loss)).all()
    start = loss.init_score(y, n_classes=max(n_classes, 2))
    start = np.full(len(y), start) if n_classes == 1 else np.tile(start, (len(y), 1))
    assert _mean_loss(loss, y, margin) < 0.8 * _mean_loss(loss, y, start)


# ------------------------------------------------------------ LGBMClassifier
@pytest.mark.parametrize("n_classes", [2, 3])
def test_lgbm_classifier_accepts_the_loss(binary_data, multi_data, n_classes):
    X, y = binary_data if n_classes == 2 else multi_data
    loss = focal_loss(2.0, 0.25 if n_classes == 2 else [1.0, 2.0, 3.0])
    w = np.random.default_rng(0).uniform(0.5, 2.0, len(y))
    clf = lgb.LGBMClassifier(
        objective=loss, n_estimators=N_ROUNDS, n_jobs=1, num_leaves=15, verbose=-1
    )
    clf.fit(X, y, sample_weight=w)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scores = clf.predict_proba(X)  # raw margins under a custom objective
    raw = clf.booster_.predict(X, raw_score=True)
    np.testing.assert_allclose(scores, raw)
    assert scores.shape == ((len(y),) if n_classes == 2 else (len(y), n_classes))
    labels = (raw > 0).astype(int) if n_classes == 2 else raw.argmax(axis=1)
    assert np.mean(labels == y) > 0.8


# -------------------------------------------------------------- bad input
def test_bad_input_raises(binary_data, multi_data):
    X, y = binary_data
    data = lgb.Dataset(X, y)
    with pytest.raises(TypeError, match="loss"):
        flgb.train(BASE, data, "focal", 2)
    with pytest.raises(TypeError, match="loss"):
        flgb.objective(lambda y, p: (y, p))

    class LossLike:  # has the methods, but is not a FocalLoss
        def __call__(self, y, p, w=None):
            return p, p

        loss = init_score = __call__

    with pytest.raises(TypeError, match="FocalLoss"):
        flgb.train(BASE, data, LossLike(), 2)
    for key in ("is_unbalance", "unbalance", "scale_pos_weight"):
        with pytest.raises(ValueError, match=f"{key}.*alpha"):
            flgb.train({**BASE, key: 2}, data, ce_loss(), 2)
    # LightGBM's alpha (Huber, quantile) does nothing under the focal objective, which
    # lgb.train lets pass without a word: a focal alpha meant there would be lost
    with pytest.raises(ValueError, match=re.escape(
            "alpha=0.25 has no effect with a custom objective: LightGBM's alpha is its "
            "Huber and quantile losses' parameter; the focal loss's class weight is the "
            "loss's alpha, focal_loss(gamma, alpha)")):
        flgb.train({**BASE, "alpha": 0.25}, data, focal_loss(2.0), 2)
    flgb.train({**BASE, "alpha": 0.9}, data, focal_loss(2.0), 2)  # (its default: taken)
    with pytest.raises(TypeError, match="train_set"):
        flgb.train(BASE, (X, y), ce_loss(), 2)
    with pytest.raises(TypeError, match="params"):
        flgb.train([("verbose", -1)], data, ce_loss(), 2)
    with pytest.raises(ValueError, match="objective"):
        flgb.train({**BASE, "objective": "binary"}, data, ce_loss(), 2)
    with pytest.raises(ValueError, match="num_boost_round"):
        flgb.train(BASE, data, ce_loss(), 0)
    with pytest.raises(ValueError, match="init_score"):
        flgb.train(BASE, data, ce_loss(), 2, init_score="mean")
    with pytest.raises(ValueError, match="init_score"):
        flgb.train({**BASE, "num_class": 3}, data, ce_loss(), 2, init_score=[0.0, 1.0])
    with pytest.raises(ValueError, match="init_score"):
        flgb.train(BASE, data, ce_loss(), 2, init_score=np.nan)
    with pytest.raises(ValueError, match="num_class"):
        flgb.train({**BASE, "num_class": 0}, data, ce_loss(), 2)
    with pytest.raises(ValueError, match="num_class"):
        flgb.train({**BASE, "num_class": 3, "num_classes": 4}, data, ce_loss(), 2)
    Xm, ym = multi_data
    with pytest.raises(ValueError, match="num_class"):
        flgb.train(BASE, lgb.Dataset(Xm, ym), ce_loss(), 2)
    with pytest.raises(TypeError, match="booster"):
        flgb.predict_margin(lgb.LGBMClassifier(), X)


_DART_FITS = """
import json, warnings
import numpy as np, lightgbm as lgb
from sklearn.datasets import make_classification
from focal_boost import FocalLGBMClassifier, focal_loss, _kernels
from focal_boost import lightgbm as flgb
warnings.simplefilter("ignore")
_kernels.warm_up()  # what every fit does first; it changed the first fit's model
X, y = make_classification(1200, 6, n_informative=4, weights=[0.85], random_state=0)
params = dict(boosting_type="dart", drop_rate=0.2, seed=3, verbose=-1)
models = []
for _ in range(3):
    booster = FocalLGBMClassifier(gamma=0.0, n_estimators=5, **params).fit(X, y).booster_
    models.append([t["shrinkage"] for t in booster.dump_model()["tree_info"]])
for _ in range(2):
    booster = flgb.train(params, lgb.Dataset(X, y), focal_loss(2.0), num_boost_round=5)
    models.append([t["shrinkage"] for t in booster.dump_model()["tree_info"]])
print(json.dumps(models))
"""


def test_dart_gives_the_same_model_in_every_fit():
    # LightGBM's DART leaves a flag uninitialised that a custom objective reads in the
    # first round: the same fit gave different tree weights (dropped trees) in one
    # process (first fit [0.067, 0.067, 0.1, 0.1, 0.033], later ones
    # [0.033, 0.067, 0.1, 0.033, 0.05])
    import json

    res = subprocess.run([sys.executable, "-c", _DART_FITS], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    models = json.loads(res.stdout)
    assert models[0] == models[1] == models[2]
    assert models[3] == models[4]
    assert len(set(models[0])) > 1  # trees were dropped: DART's weights differ


@pytest.mark.parametrize("extra", [{}, {"uniform_drop": True}, {"xgboost_dart_mode": True},
                                   {"skip_drop": 0.5, "seed": -7}])
def test_dart_from_a_start_of_zero_is_the_built_in_dart(extra):
    # the built-in objective's first round draws once from the drop generator (whether
    # to skip the drop, with no trees to drop); ours drew nothing there, so from the
    # second round on it dropped other trees: 0.44 off in raw margin after 30 rounds
    X, y = make_classification(600, 8, n_informative=5, weights=[0.8], random_state=0)
    y3 = np.digitize(X[:, 1], [-0.5, 0.5])
    params = {**BASE, "num_leaves": 15, "seed": 1, "boosting": "dart", "drop_rate": 0.3,
              **extra}
    for labels, own in ((y, {"objective": "binary"}),
                        (y3, {"objective": "multiclass", "num_class": 3})):
        ours_params = {**params, **({"num_class": 3} if labels is y3 else {})}
        plain = lgb.train({**params, **own, "boost_from_average": False},
                          lgb.Dataset(X, labels), 30)
        ours = flgb.train(ours_params, lgb.Dataset(X, labels), focal_loss(0.0), 30,
                          init_score=None)
        assert len({t["shrinkage"] for t in plain.dump_model()["tree_info"]}) > 1  # drops
        np.testing.assert_allclose(ours.predict(X), plain.predict(X, raw_score=True),
                                   rtol=0, atol=1e-12)


def test_native_predictions_take_the_threads_to_predict_on(binary_data,
                                                           lightgbm_predict_threads):
    # as the estimator passes n_jobs: LightGBM predicts on every core otherwise
    X, y = binary_data
    booster = flgb.train(BASE, lgb.Dataset(X, y), focal_loss(), 2)
    seen = lightgbm_predict_threads
    margins = flgb.predict_margin(booster, X, num_threads=1)
    proba = flgb.predict_proba(booster, X, focal_loss(), num_threads=1)
    link = flgb.inverse_link(booster, X, num_threads=1)
    flgb.predict_margin(booster, X)
    assert seen == [1, 1, 1, None]
    np.testing.assert_allclose(proba, focal_loss().predict_proba(margins), rtol=1e-12)
    np.testing.assert_allclose(link, 1 / (1 + np.exp(-margins)), rtol=1e-12)


def test_early_stopping_can_skip_sets_by_name():
    # the Dask estimator's copy of the training data is skipped as LightGBM skips its
    # training Dataset: the callback sees the other sets only
    from lightgbm.callback import CallbackEnv

    seen = []

    def callback(env):
        seen.append([r[0] for r in env.evaluation_result_list])

    callback.order = 30
    wrapped = flgb.skipping(callback, ["validation_0"])
    assert wrapped.order == 30 and wrapped.before_iteration is False
    results = [("validation_0", "focal_loss", 0.1, False),
               ("validation_1", "focal_loss", 0.2, False)]
    wrapped(CallbackEnv(model=None, params={}, iteration=0, begin_iteration=0,
                        end_iteration=1, evaluation_result_list=results))
    assert seen == [["validation_1"]]


def test_lgb_cv_with_the_objective_and_metric_as_with_the_builtin_objective():
    # README: lgb.cv takes objective(loss) with feval=metric(loss); at gamma 0 from
    # margin 0 the folds' focal loss is LightGBM's binary log-loss without
    # boost_from_average. With a metric named too, its early stopping watches both
    # unless first_metric_only follows the named one (listed before feval's)
    X, y = make_classification(800, 10, n_informative=3, flip_y=0.15, random_state=3)
    base = {"verbose": -1, "seed": 0, "learning_rate": 0.3, "min_child_samples": 3}
    loss = focal_loss(0.0)
    ours = lgb.cv({**base, "objective": flgb.objective(loss), "metric": "None"},
                  lgb.Dataset(X, y), 30, nfold=4, seed=1, feval=flgb.metric(loss))
    plain = lgb.cv({**base, "objective": "binary", "boost_from_average": False},
                   lgb.Dataset(X, y), 30, nfold=4, seed=1)
    np.testing.assert_allclose(ours["valid focal_loss-mean"],
                               plain["valid binary_logloss-mean"], rtol=1e-12)
    loss = focal_loss(2.0)
    auc = {**base, "objective": flgb.objective(loss), "metric": "auc"}

    def rounds(feval, first_metric_only):
        stop = lgb.early_stopping(10, first_metric_only=first_metric_only, verbose=False)
        return len(lgb.cv(auc, lgb.Dataset(X, y), 500, nfold=4, seed=1, feval=feval,
                          callbacks=[stop])["valid auc-mean"])

    alone = rounds(None, False)
    assert rounds(flgb.metric(loss), True) == alone
    assert rounds(flgb.metric(loss), False) < alone  # here the focal loss stalls first


# ------------------------------------------------ inputs lgb.train takes in other forms
def test_one_validation_set_name_as_a_string(binary_data):
    # lgb.train wraps a string in a list; list("holdout") named the set "h"
    X, y = binary_data
    logs = []
    for run in (lambda p, d, **kw: lgb.train({**p, "objective": "binary"}, d, 3, **kw),
                lambda p, d, **kw: flgb.train(p, d, focal_loss(0.0), 3, **kw)):
        log: dict = {}
        dtrain = lgb.Dataset(X, y)
        booster = run({"verbose": -1}, dtrain, valid_names="holdout",
                      valid_sets=[lgb.Dataset(X[:100], y[:100], reference=dtrain)],
                      callbacks=[lgb.record_evaluation(log)])
        logs.append(log)
    assert list(logs[0]) == list(logs[1]) == ["holdout"] == list(booster.best_score)


def test_metric_names_in_an_array(binary_data):
    # lgb.train joins an array of names with commas, as a list; ours asked its truth
    X, y = binary_data
    metric = np.array(["auc", "average_precision"])
    booster = flgb.train({"verbose": -1, "metric": metric}, lgb.Dataset(X, y),
                         focal_loss(0.0), 3, valid_sets=[lgb.Dataset(X, y)])
    assert list(booster.best_score["valid_0"]) == ["auc", "average_precision", "focal_loss"]
    with pytest.raises(ValueError, match=r"params\['metric'\] \['binary_logloss'\]"):
        flgb.train({"verbose": -1, "metric": np.array(["auc", "binary_logloss"])},
                   lgb.Dataset(X, y), focal_loss(0.0), 3)


def test_categorical_feature_as_an_array_warns_of_negative_codes():
    # LGBMClassifier.fit takes an array; ours asked its truth (ValueError), and skipped
    # the negative-code warning for an array of one
    from focal_boost import FocalLGBMClassifier

    rng = np.random.RandomState(0)
    X = np.c_[rng.randint(0, 4, 300), rng.randint(-1, 3, 300), rng.normal(size=300)]
    y = (X[:, 0] > 1).astype(int)
    for features in (np.array([0, 1]), np.array([1])):
        lgb.LGBMClassifier(verbose=-1, n_estimators=3).fit(X, y, categorical_feature=features)
        with pytest.warns(UserWarning, match=r"^categorical feature 1 holds \d+ value\(s\) "
                                             r"that are negative"):
            FocalLGBMClassifier(n_estimators=3).fit(X, y, categorical_feature=features)
    # an index past the last column is LightGBM's to judge (it fits, ignoring it): the
    # check of the codes reads no column there
    lgb.LGBMClassifier(verbose=-1, n_estimators=3).fit(X, y, categorical_feature=[3])
    FocalLGBMClassifier(n_estimators=3).fit(X, y, categorical_feature=[3])


def test_validation_labels_in_a_column_are_checked_by_name(binary_data):
    # a 1-D label got the early message; an (n, 1) column failed in the metric after a
    # round, naming y_true / y_pred
    X, y = binary_data
    with pytest.raises(ValueError, match=r"^valid_sets\[0\] \('hold'\) has labels up to 5 "
                                         r"but params has no num_class"):
        flgb.train({"verbose": -1}, lgb.Dataset(X, y), focal_loss(2.0), 2,
                   valid_sets=[lgb.Dataset(X, (y * 5).reshape(-1, 1))], valid_names=["hold"])


def test_continuing_a_binary_model_with_num_class_2_names_the_parameter(binary_data):
    X, y = binary_data
    binary = flgb.train({"verbose": -1}, lgb.Dataset(X, y), focal_loss(2.0), 2)
    with pytest.raises(ValueError, match=r"trained on 2 classes \(binary, one margin\), but the "
                                         r"training labels are 2 classes with "
                                         r"params\['num_class'\]=2 \(softmax, two margins\)"):
        flgb.train({"verbose": -1, "num_class": 2}, lgb.Dataset(X, y), focal_loss(2.0), 2,
                   init_model=binary)


def test_margins_that_are_not_finite_name_the_rows_not_y_pred():
    # LightGBM's linear trees give a NaN margin for an infinite feature value (the plain
    # classifier then returns NaN probabilities); ours said "y_pred contains NaN or
    # infinite values", an argument the user never passed
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    y = (X[:, 0] + rng.normal(size=300) > 0).astype(int)
    rows = np.array([[0.1, 0.0, 0.0], [np.inf, 0.0, 0.0]])
    model = FocalLGBMClassifier(n_estimators=10, linear_tree=True, verbose=-1).fit(X, y)
    assert np.isnan(model.predict_proba(rows, raw_score=True)[1])  # the library's own
    message = (r"raw margins are NaN or infinite for 1 row\(s\) of X \(rows 1\): linear "
               r"models give such margins .*LightGBM's linear_tree")
    for predict in (model.predict_proba, model.predict, model.decision_function,
                    lambda X: flgb.predict_proba(model.booster_, X, model.loss_)):
        with pytest.raises(ValueError, match=message):
            predict(rows)
    assert model.predict_proba(rows[:1]).shape == (1, 2)


def _native_data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, 5))
    return X, (X[:, 0] + rng.normal(size=600) > 1).astype(np.float64)


def test_lightgbm_early_stopping_round_1_in_params_stops_as_in_lgb_train():
    # params' early_stopping_round=1 (with a metric parameter) is the callback
    # lgb.early_stopping(1) that lgb.train makes of it
    X, y = _native_data()
    params = {"verbose": -1, "metric": "auc", "seed": 0}

    def fit(extra, callbacks=None):
        return flgb.train({**params, **extra}, lgb.Dataset(X[:400], y[:400]),
                          focal_loss(2.0), 100, valid_sets=[lgb.Dataset(X[400:], y[400:])],
                          callbacks=callbacks)

    by_params = fit({"early_stopping_round": 1})
    by_callback = fit({}, [lgb.early_stopping(1, verbose=False)])
    assert 0 < by_params.best_iteration == by_callback.best_iteration < 100
    assert by_params.current_iteration() == by_callback.current_iteration() < 100


def test_lightgbm_skipped_sets_alone_disable_early_stopping_as_lightgbm():
    # where every evaluated set is one early stopping skips (the training data as another
    # Dataset, on Dask), it is off with LightGBM's warning, as lgb.train's callback is on
    # the training data alone
    stopping = flgb.skipping(lgb.early_stopping(2, verbose=False), ["training"])
    for i in range(4):
        env = lgb.callback.CallbackEnv(
            model=None, params={}, iteration=i, begin_iteration=0, end_iteration=10,
            evaluation_result_list=[("training", "focal_loss", 0.5 + i, False)])
        if i == 0:
            with pytest.warns(UserWarning, match="Only training set found, disabling early"):
                stopping(env)
        else:
            stopping(env)  # no EarlyStopException: the loss rose for 3 rounds


def test_lightgbm_random_forest_with_bagging_freq_0_is_refused_as_in_lightgbm():
    # bagging_fraction < 1 does nothing at bagging_freq=0 (every tree of the forest the
    # same): LightGBM's rf refuses it, as ours
    X, y = _native_data()
    rf = {"verbose": -1, "boosting": "rf", "bagging_fraction": 0.5, "bagging_freq": 0}
    with pytest.raises(lgb.basic.LightGBMError, match="bagging_freq"):
        lgb.train({**rf, "objective": "binary"}, lgb.Dataset(X, y), 5)
    with pytest.raises(ValueError, match=r"boosting='rf' needs bagging \(bagging_freq > 0"):
        flgb.train(rf, lgb.Dataset(X, y), focal_loss(2.0), 5)


def test_lightgbm_no_split_warning_names_the_default_min_child_weight_at_gamma_above_0():
    # focal Hessians are small: at gamma > 0 LightGBM's default min_sum_hessian_in_leaf
    # (1e-3) is among the causes the warning names
    X, y = _native_data()
    with pytest.warns(UserWarning, match=r"no split: .*min_sum_hessian_in_leaf "
                                         r"\(min_child_weight\)=0.001 can stop every split"):
        flgb.train({"verbose": -1, "min_gain_to_split": 1e4}, lgb.Dataset(X, y),
                   focal_loss(2.0), 3)


def test_multiclass_margins_not_finite_in_some_classes_name_their_rows():
    # a row whose margins are infinite in some classes only is named as well
    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, 2))
    y = np.where(X[:, 0] > 0.5, 0, np.where(X[:, 1] > 0, 1, 2))
    model = FocalLGBMClassifier(n_estimators=3, num_leaves=2, linear_tree=True,
                                verbose=-1).fit(X, y)
    rows = np.array([[0.0, 0.0], [0.0, np.inf], [np.inf, 0.0]])
    finite = np.isfinite(model.predict_proba(rows, raw_score=True))
    assert finite[0].all() and finite[1:].any(axis=1).all() and not finite[1:].all(axis=1).any()
    with pytest.raises(ValueError, match=r"raw margins are NaN or infinite for 2 row\(s\) of "
                                         r"X \(rows 1, 2\)"):
        model.predict_proba(rows)

# ------------------------------------------- found unpinned by mutation testing
_BASE_SMALL = {"verbose": -1, "num_threads": 1, "seed": 0}


def _rows(n=200, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = (X[:, 0] + rng.normal(size=n) > 0).astype(int)
    return X, y


def _tiny_rows(n=6):
    """Rows too few for min_data_in_leaf=20: no feature can be split."""
    X = np.arange(n, dtype=np.float64)[:, None]
    return X, (np.arange(n) % 2).astype(int)


def test_cannot_split_at_exactly_twice_min_data_in_leaf_agrees_with_lightgbm():
    """At 2 * min_data_in_leaf rows the columns' answer is LightGBM's (a feature kept)."""
    rows = 40
    X = np.linspace(-1, 1, rows)[:, None]
    y = np.arange(rows) % 2
    built = lgb.Dataset(X, y, params={"verbose": -1}).construct()
    says = flgb.cannot_split({"verbose": -1}, ranges=flgb.column_ranges(X), rows=[rows])
    assert says == (built.feature_num_bin(0) == 0)
    assert not says


def test_returned_booster_does_not_keep_the_training_dataset():
    """As lgb.train's, the returned booster holds no reference to its training Dataset."""
    X, y = _rows()
    for fit in (lambda ds: lgb.train({**_BASE_SMALL, "objective": "binary"}, ds, 3),
                lambda ds: flgb.train(_BASE_SMALL, ds, focal_loss(2.0), 3)):
        ds = lgb.Dataset(X, y)
        ref = weakref.ref(ds)
        booster = fit(ds)
        del ds
        gc.collect()
        assert ref() is None
        assert booster.current_iteration() == 3


def test_constant_model_continuing_an_early_stopped_booster_keeps_every_tree():
    """No split possible when continuing: every tree of init_model is kept, as lgb.train
    continues it (not only those up to its best_iteration)."""
    X, y = _rows(300)
    loss = focal_loss(2.0)
    first = flgb.train({**_BASE_SMALL, "learning_rate": 0.5}, lgb.Dataset(X[:200], y[:200]), loss,
                       50, valid_sets=[lgb.Dataset(X[200:], y[200:])],
                       callbacks=[lgb.early_stopping(3, verbose=False)],
                       keep_training_booster=True)  # (its trees past the best kept)
    assert 0 < first.best_iteration < first.current_iteration()
    Xt, yt = X[:6], y[:6]
    with pytest.warns(UserWarning, match="no tree is added to init_model"):
        booster = flgb.train(_BASE_SMALL, lgb.Dataset(Xt, yt), loss, 2, init_model=first)
    assert booster.current_iteration() == first.current_iteration()
    np.testing.assert_allclose(booster.predict(X, raw_score=True),
                               first.predict(X, raw_score=True, num_iteration=-1))


def test_constant_model_starts_at_a_given_init_score():
    """No split possible: the model is the init_score given (not the focal-optimal
    one), and the warning says so (it said "the focal-optimal constant")."""
    X, y = _tiny_rows()
    with pytest.warns(UserWarning, match="no feature of the training data can be split.*"
                                         "a constant: the init_score given"):
        booster = flgb.train(_BASE_SMALL, lgb.Dataset(X, y), focal_loss(2.0), 2, init_score=1.5)
    np.testing.assert_allclose(flgb.predict_margin(booster, X), 1.5)


def test_constant_model_scores_a_validation_set_with_its_own_init_score():
    """No split possible: the metric on a validation set adds that set's init_score, as
    lgb.train's evaluation does."""
    X, y = _tiny_rows()
    loss = focal_loss(2.0)
    offset = np.linspace(-1.0, 1.0, len(y))
    evals: dict = {}
    with pytest.warns(UserWarning, match="no feature of the training data can be split"):
        booster = flgb.train(_BASE_SMALL, lgb.Dataset(X, y), loss, 2,
                             valid_sets=[lgb.Dataset(X, y, init_score=offset)],
                             callbacks=[lgb.record_evaluation(evals)])
    constant = flgb.predict_margin(booster, X)
    expected = focal_metric(loss, y, constant + offset)
    assert evals["valid_0"]["focal_loss"] == [pytest.approx(expected)]


def _named_metric_run(params, callbacks=None):
    """A run with the auc metric named and a metric that only gets worse."""
    X, y = _rows(400, seed=3)
    calls = []

    def worse(preds, data):
        calls.append(1)
        return "worse", float(len(calls)), False

    evals: dict = {}
    booster = flgb.train({**_BASE_SMALL, "learning_rate": 0.05, "metric": "auc", **params},
                         lgb.Dataset(X[:300], y[:300]), focal_loss(2.0), 30,
                         valid_sets=[lgb.Dataset(X[300:], y[300:])], feval=worse,
                         callbacks=[lgb.record_evaluation(evals), *(callbacks or [])])
    return booster, evals


def test_params_first_metric_only_with_a_named_metric_as_the_callback():
    """params' first_metric_only reaches the early stopping made of early_stopping_round
    (a named metric): the same run as lgb.early_stopping(..., first_metric_only=True)."""
    ours, _ = _named_metric_run({"early_stopping_round": 3, "first_metric_only": True})
    callback, _ = _named_metric_run({}, [lgb.early_stopping(3, first_metric_only=True,
                                                         verbose=False)])
    every, _ = _named_metric_run({}, [lgb.early_stopping(3, verbose=False)])
    assert every.best_iteration != callback.best_iteration  # the data tells them apart
    assert ours.best_iteration == callback.best_iteration
    assert ours.current_iteration() == callback.current_iteration()


def test_params_early_stopping_min_delta_with_a_named_metric_as_the_callback():
    """params' early_stopping_min_delta reaches the early stopping made of
    early_stopping_round (a named metric): the same run as the callback with it."""
    kw = {"first_metric_only": True}
    ours, _ = _named_metric_run({"early_stopping_round": 3, "early_stopping_min_delta": 0.01,
                             **kw})
    callback, _ = _named_metric_run(kw, [lgb.early_stopping(3, first_metric_only=True,
                                                         min_delta=0.01, verbose=False)])
    plain, _ = _named_metric_run(kw, [lgb.early_stopping(3, first_metric_only=True,
                                                      verbose=False)])
    assert plain.best_iteration != callback.best_iteration  # the data tells them apart
    assert ours.best_iteration == callback.best_iteration


def test_params_early_stopping_is_silent_at_verbosity_0(capsys):
    """verbosity=0 silences the early stopping made of params (a named metric), as in
    lgb.train, where it is verbose only above 0."""
    X, y = _rows(300)
    params = {"num_threads": 1, "seed": 0, "verbosity": 0, "metric": "auc",
              "early_stopping_round": 2}
    valid = (X[200:], y[200:])
    lgb.train({**params, "objective": "binary"}, lgb.Dataset(X[:200], y[:200]), 5,
              valid_sets=[lgb.Dataset(*valid)])
    plain = capsys.readouterr().out
    flgb.train(params, lgb.Dataset(X[:200], y[:200]), focal_loss(2.0), 5,
               valid_sets=[lgb.Dataset(*valid)])
    ours = capsys.readouterr().out
    assert "Training until" not in plain
    assert "Training until" not in ours


def test_a_loaded_model_saved_again_names_its_loss_once(tmp_path):
    """model_to_string of a booster read from save_model's file replaces its loss line:
    one line, and stored_loss reads it back."""
    X, y = _rows()
    loss = focal_loss(2.0, 0.25)
    booster = flgb.train(_BASE_SMALL, lgb.Dataset(X, y), loss, 3)
    path = tmp_path / "model.txt"
    flgb.save_model(booster, path, loss)
    loaded = lgb.Booster(model_file=path)
    other = focal_loss(1.0, 0.5)
    text = flgb.model_to_string(loaded, other)
    assert len(re.findall(r"^\[focal_loss:", text, re.M)) == 1
    again = lgb.Booster(model_str=text)
    assert flgb.stored_loss(again).gamma == 1.0


def test_auc_mu_metric_is_taken_for_a_multiclass_model():
    """params metric 'auc_mu' (a ranking, right on raw scores) is taken and recorded."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(300, 3))
    y = np.digitize(X[:, 0], [-0.5, 0.5])
    evals: dict = {}
    flgb.train({**_BASE_SMALL, "num_class": 3, "metric": "auc_mu"}, lgb.Dataset(X[:200], y[:200]),
               focal_loss(2.0), 3, valid_sets=[lgb.Dataset(X[200:], y[200:])],
               callbacks=[lgb.record_evaluation(evals)])
    assert list(evals["valid_0"]) == ["auc_mu", "focal_loss"]


def test_boost_from_average_as_text_signs():
    """boost_from_average='-' / '+' (LightGBM's text for false / true) start at 0 / at
    the intercept, as False / True do."""
    X, y = _rows()
    loss = focal_loss(2.0)

    def margins(value):
        params = _BASE_SMALL if value is None else {**_BASE_SMALL, "boost_from_average": value}
        return flgb.predict_margin(flgb.train(params, lgb.Dataset(X, y), loss, 3), X)

    auto, false = margins(None), margins(False)
    assert not np.allclose(auto, false)
    np.testing.assert_allclose(margins("-"), false)
    np.testing.assert_allclose(margins("+"), auto)


def test_no_split_warning_names_a_raised_min_sum_hessian_at_gamma_0():
    """The no-split warning names min_sum_hessian_in_leaf set above LightGBM's default
    (gamma 0: the Hessians are the logistic ones)."""
    X, y = _rows()
    params = {**_BASE_SMALL, "min_sum_hessian_in_leaf": 0.005, "min_gain_to_split": 1e6}
    with pytest.warns(UserWarning, match=r"the model has no split") as caught:
        flgb.train(params, lgb.Dataset(X, y), focal_loss(0.0), 2)
    message = " ".join(str(w.message) for w in caught)
    assert "min_sum_hessian_in_leaf (min_child_weight)=0.005 stops splits" in message


@pytest.mark.parametrize("params", [
    {"min_child_weight": 1e6, "subsample": None, "subsample_freq": None},
    {"boosting_type": "rf", "subsample": None, "subsample_freq": 1, "colsample_bytree": 0.5},
])
def test_parameters_given_as_none_are_lightgbms_defaults(params):
    """None for subsample / subsample_freq (which LGBMClassifier takes as its defaults)
    is read as LightGBM's default by the no-split reasons and the random-forest check,
    not refused as "must be a number"; the probabilities equal LGBMClassifier's where
    the model is a constant, and the no-split warning names the setting."""
    X, y = _rows()
    plain = lgb.LGBMClassifier(verbose=-1, **params).fit(X, y)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ours = FocalLGBMClassifier(gamma=0.0, **params).fit(X, y)
    if "min_child_weight" in params:
        np.testing.assert_allclose(ours.predict_proba(X), plain.predict_proba(X), atol=1e-9)
        assert any("min_sum_hessian_in_leaf (min_child_weight)=1000000.0 stops splits"
                   in str(w.message) for w in caught)
    else:  # a forest of bagged trees: the same kind of model, not the same numbers
        assert ours.booster_.num_trees() == plain.booster_.num_trees()
        assert log_loss(y, ours.predict_proba(X)) < 0.69


def test_linear_trees_refuse_infinite_feature_values_by_name():
    """linear_tree with an infinite feature value: a linear leaf multiplies it by its
    coefficient, and LGBMClassifier predicts NaN for every row of such leaves without a
    word; ours refuses it naming the columns and the remedies (the error was the focal
    loss's "NaN margins ... training that diverged"), in the estimator and in train,
    with linear_tree given in params or in the Dataset's. NaN (missing) trains."""
    X, y = _rows(300)
    X[0, 1], X[5, 2] = np.inf, -np.inf
    plain = lgb.LGBMClassifier(linear_tree=True, n_estimators=5, verbose=-1).fit(X, y)
    assert np.isnan(plain.predict_proba(X)).any()
    message = (r"^linear_tree=True takes no infinite feature values, and the training data "
               r"has some in 2 column\(s\) \(by position: 1, 2\): .*replace them with NaN "
               r"\(missing\), or set linear_tree=False$")
    with pytest.raises(ValueError, match=message):
        FocalLGBMClassifier(linear_tree=True, n_estimators=5).fit(X, y)
    with pytest.raises(ValueError, match=message):
        flgb.train({**_BASE_SMALL, "linear_tree": True}, lgb.Dataset(X, y), focal_loss(2.0), 3)
    with pytest.raises(ValueError, match=message):
        flgb.train(_BASE_SMALL, lgb.Dataset(X, y, params={"linear_tree": True}),
                   focal_loss(2.0), 3)
    # without linear leaves an infinite value is one more bin, as in LightGBM
    assert np.isfinite(FocalLGBMClassifier(n_estimators=5).fit(X, y).predict_proba(X)).all()
    # an evaluation set's infinite values: the focal metric's NaN margins say why
    finite = np.where(np.isinf(X), np.nan, X)
    with pytest.raises(ValueError, match=r"the margins of an evaluation set: .*a linear "
                                         r"model on infinite or huge feature values of the "
                                         r"set \(LightGBM's linear_tree, XGBoost's "):
        FocalLGBMClassifier(linear_tree=True, n_estimators=5).fit(finite, y,
                                                                  eval_set=[(X, y)])
    model = FocalLGBMClassifier(linear_tree=True, n_estimators=5).fit(finite, y)
    assert np.isfinite(model.predict_proba(finite)).all()


def test_early_stopping_round_0_with_a_named_metric_is_no_early_stopping():
    """early_stopping_round=0 (a named metric, the training data as validation set) makes
    no early stopping and no warning about one, as in lgb.train."""
    X, y = _rows()
    params = {**_BASE_SMALL, "metric": "auc", "early_stopping_round": 0}
    for fit in (lambda ds: lgb.train({**params, "objective": "binary"}, ds, 3,
                                     valid_sets=[ds]),
                lambda ds: flgb.train(params, ds, focal_loss(2.0), 3, valid_sets=[ds])):
        with warnings.catch_warnings():
            warnings.filterwarnings("error", message="Only training set found")
            booster = fit(lgb.Dataset(X, y))
        assert booster.current_iteration() == 3


def test_prepare_with_labels_of_one_class_marks_the_run():
    """prepare(y_true=...) of one class marks the run one_class (finish then does not warn
    of a model without splits: the constant is what the data asks for)."""
    loss = focal_loss(2.0)
    assert flgb.prepare(_BASE_SMALL, loss, 3, y_true=np.ones(5)).one_class
    assert not flgb.prepare(_BASE_SMALL, loss, 3, y_true=np.arange(6) % 2).one_class


@pytest.mark.parametrize(("params", "reason"), [
    ({"objective": "binary", "boosting": "rf", "bagging_fraction": 0.7, "bagging_freq": 1},
     r"it is a random forest \(boosting='rf'\), which averages its trees"),
    ({"objective": "binary", "sigmoid": 2.0}, r"its objective is 'binary sigmoid:2'"),
    ({"objective": "multiclassova", "num_class": 3},
     r"its objective is 'multiclassova num_class:3 sigmoid:1'"),
    ({"objective": "cross_entropy_lambda"}, r"its objective is 'cross_entropy_lambda'"),
    ({"objective": "regression"}, r"its objective is 'regression'"),
])
def test_probabilities_of_a_plain_model_of_another_link_are_refused(params, reason):
    # LightGBM's forest divides the trees' sum by their number, sigmoid:2 doubles the
    # raw score, one-vs-all takes a sigmoid per class: predict_proba and inverse_link
    # applied the sigmoid / softmax of the raw scores, up to 0.4 off booster.predict
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 4))
    y = rng.integers(0, 3, 300) if "num_class" in params else (X[:, 0] > 0).astype(int)
    booster = lgb.train({**params, "verbose": -1}, lgb.Dataset(X, y), 5)
    message = (r"^the booster's probabilities are not the sigmoid or softmax of its raw scores "
               rf"\({reason}\): booster.predict\(data\) gives them")
    with pytest.raises(ValueError, match=message):
        flgb.predict_proba(booster, X, focal_loss(0.0))
    with pytest.raises(ValueError, match=message):
        flgb.inverse_link(booster, X)
    np.testing.assert_array_equal(flgb.predict_margin(booster, X),
                                  booster.predict(X, raw_score=True))


@pytest.mark.parametrize("params", [{"objective": "binary"}, {"objective": "cross_entropy"},
                                    {"objective": "multiclass", "num_class": 3}])
def test_probabilities_of_a_plain_model_of_the_plain_link(params):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(300, 4))
    y = rng.integers(0, 3, 300) if "num_class" in params else (X[:, 0] > 0).astype(int)
    booster = lgb.train({**params, "verbose": -1}, lgb.Dataset(X, y), 5)
    np.testing.assert_allclose(flgb.predict_proba(booster, X, focal_loss(0.0)),
                               booster.predict(X), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(flgb.inverse_link(booster, X), booster.predict(X), rtol=1e-12,
                               atol=1e-15)


def test_a_cvbooster_is_refused_with_the_fix():
    # lgb.cv's CVBooster hands any attribute on to its boosters: it was told to "call its
    # own predict_proba(X)", which fails ("'Booster' object has no attribute ...")
    X, y = make_classification(200, 4, random_state=0)
    loss = focal_loss(2.0)
    result = lgb.cv({"objective": flgb.objective(loss), "verbose": -1},
                    lgb.Dataset(X, y), 2, nfold=2, return_cvbooster=True)
    cvbooster = result["cvbooster"]
    with pytest.raises(TypeError, match=r"got lightgbm\.CVBooster: pass one of its boosters "
                                        r"\(cvbooster\.boosters\[i\]\), one per fold$"):
        flgb.predict_proba(cvbooster, X, loss)
    # the other library's adapter, and the other library's estimator: refused, with no
    # fix that would not work there
    from focal_boost import xgboost as fxgb

    with pytest.raises(TypeError, match=r"^booster must be an xgboost\.Booster, got "
                                        r"lightgbm\.CVBooster$"):
        fxgb.predict_proba(cvbooster, X, loss)
    xgb = pytest.importorskip("xgboost")
    with pytest.raises(TypeError, match=r"^booster must be a lightgbm\.Booster, got "
                                        r"xgboost\.XGBClassifier$"):
        flgb.predict_proba(xgb.XGBClassifier(n_estimators=2).fit(X, y), X, loss)
    np.testing.assert_array_equal(
        flgb.predict_proba(cvbooster.boosters[0], X, loss),
        loss.predict_proba(cvbooster.boosters[0].predict(X, raw_score=True)))


# ---------------------------------------------- found unpinned by mutation testing
def _train_error(y, params):
    X = np.random.default_rng(0).normal(size=(len(y), 2))
    with pytest.raises(ValueError) as info:
        flgb.train({"verbose": -1, **params}, lgb.Dataset(X, np.asarray(y, dtype=float)),
                   focal_loss(2.0), 2)
    return str(info.value)


def test_minus_one_labels_are_refused_with_the_mapping_hint():
    message = _train_error(np.arange(40) % 2 * 2 - 1, {})
    assert message == ("train_set has labels from -1: labels are class indices "
                       "0..num_class-1 (0 and 1 for a binary model); map them (-1/1 to 0/1)")


def test_the_count_from_one_hint_only_where_labels_1_to_k_fit_num_class():
    # labels 1..3 with num_class 3 count from 1; labels 1..5 with num_class 3 do not
    assert _train_error(np.arange(60) % 3 + 1, {"num_class": 3}).endswith(
        "labels 1..3 count from 1: subtract 1")
    assert _train_error(np.arange(60) % 5 + 1, {"num_class": 3}).endswith(
        "params['num_class'] is 3: labels are class indices 0..num_class-1; "
        "set num_class to the number of classes")


def test_bagging_that_draws_no_row_trains_a_constant_or_is_refused_by_name(capfd):
    # LightGBM fails where int(bagging_fraction * rows) is 0 ("Check failed:
    # (num_data) > (0)", after printing [Fatal]), LGBMClassifier too. A model that is a
    # constant anyway (too few rows to split) needs no bagging: it trains; one that
    # could split is refused naming the parameters
    bagging = {"subsample": 0.1, "subsample_freq": 1, "verbose": -1, "n_estimators": 3}
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(5, 2)), np.array([0, 1, 0, 1, 0])
    with pytest.raises(lgb.basic.LightGBMError, match=r"num_data"):
        lgb.LGBMClassifier(**bagging).fit(X, y)
    capfd.readouterr()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # (no feature can be split)
        for rows in (1, 2, 5):
            model = FocalLGBMClassifier(**bagging).fit(X[:rows], y[:rows])
            np.testing.assert_allclose(model.predict_proba(X[:1])[0, 1],
                                       y[:rows].mean() if rows > 1 else 3.2843e-47,
                                       rtol=1e-4)  # (one row: the class never seen)
    assert "Fatal" not in capfd.readouterr().out
    X, y = rng.normal(size=(30, 2)), np.arange(30) % 2
    with pytest.raises(ValueError, match=re.escape(
            "bagging_fraction (subsample)=0.01 of 30 training rows draws none of them "
            "(LightGBM bags int(0.01 * 30) = 0 rows): raise it to at least 0.0333, or "
            "turn bagging off with bagging_freq (subsample_freq)=0")):
        FocalLGBMClassifier(**{**bagging, "subsample": 0.01}, min_child_samples=1).fit(X, y)
    assert "Fatal" not in capfd.readouterr().out
    # bagging that draws a row trains as before
    model = FocalLGBMClassifier(**{**bagging, "subsample": 0.5}, min_child_samples=1)
    assert model.fit(X, y).booster_.num_trees() == 3


# ------------------ found unpinned by mutation testing (the training steps)
def _mutation_rows(n=300, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = (X[:, 0] + rng.normal(size=n) > 0).astype(int)
    return X, y


def test_metric_in_lgbmclassifier_eval_metric_form_scores_the_margins():
    # f(y_true, preds, weight): the form LGBMClassifier(eval_metric=...) calls
    X, y = _mutation_rows()
    w = np.random.default_rng(1).uniform(0.5, 2.0, len(y))
    loss = focal_loss(2.0, 0.25)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # LightGBM: raw scores of a custom objective
        clf = lgb.LGBMClassifier(objective=loss, metric="None", n_estimators=5,
                                 verbose=-1, n_jobs=1)
        clf.fit(X, y, eval_X=X, eval_y=y, eval_sample_weight=[w],
                eval_metric=flgb.metric(loss))
    recorded = clf.evals_result_["valid_0"]["focal_loss"][-1]
    margins = clf.booster_.predict(X, raw_score=True)
    assert recorded == pytest.approx(focal_metric(loss, y, margins, w), rel=1e-8)
    direct = flgb.metric(loss)(y, margins, w)
    assert direct[0] == "focal_loss" and direct[2] is False
    assert direct[1] == pytest.approx(np.average(loss.loss(y, margins), weights=w), rel=1e-12)


@pytest.mark.parametrize("with_label", [True, False])
def test_empty_validation_set_is_refused_by_name(with_label):
    X, y = _mutation_rows()
    empty = lgb.Dataset(X[:0], y[:0]) if with_label else lgb.Dataset(X[:0])
    with pytest.raises(ValueError, match=r"^valid_sets\[0\] \('valid_0'\) has no rows: "
                                         "LightGBM cannot evaluate an empty Dataset"):
        flgb.train(_BASE_SMALL, lgb.Dataset(X, y), focal_loss(2.0), 2, valid_sets=[empty])


def test_category_column_named_in_categorical_feature_is_not_warned_of():
    # a category column's codes (from 0) are what LightGBM trains on, whatever its
    # categories' values: no "negative" warning, as plain LGBMClassifier says nothing
    pd = pytest.importorskip("pandas")
    X, y = _mutation_rows()
    frame = pd.DataFrame(X, columns=list("abc")).assign(
        code=pd.Categorical(np.where(y == 1, -1, 2)))
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        FocalLGBMClassifier(n_estimators=2, n_jobs=1).fit(frame, y,
                                                          categorical_feature=["code"])
    assert not [w for w in seen if "negative or past int32" in str(w.message)]


def test_continued_dart_is_the_built_in_continued_dart():
    # the first round of a continued DART run is reset as a fresh one's (begin_iteration,
    # not round 0): from a start of 0 it drops the trees the built-in objective drops
    X, y = make_classification(600, 8, n_informative=5, weights=[0.8], random_state=0)
    params = {**_BASE_SMALL, "num_leaves": 15, "seed": 1, "boosting": "dart", "drop_rate": 0.3}
    builtin = {**params, "objective": "binary", "boost_from_average": False}
    start = lgb.train(builtin, lgb.Dataset(X, y), 5)
    ours_start = flgb.train(params, lgb.Dataset(X, y), focal_loss(0.0), 5, init_score=None)
    np.testing.assert_array_equal(ours_start.predict(X), start.predict(X, raw_score=True))
    for _ in range(2):  # (without the reset, what memory held decided the first round)
        plain = lgb.train(builtin, lgb.Dataset(X, y), 15, init_model=start)
        ours = flgb.train(params, lgb.Dataset(X, y), focal_loss(0.0), 15,
                          init_model=ours_start)
        np.testing.assert_allclose(ours.predict(X), plain.predict(X, raw_score=True),
                                   rtol=0, atol=1e-12)


def test_bagging_rows_are_counted_as_lightgbm_counts_them():
    # LightGBM bags int(fraction * rows): 0.02 of 30 rows is 0 (not rounded to 1), and
    # refused; bagging_freq=0 turns bagging off, so any fraction trains, as in LightGBM
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(30, 2)), np.arange(30) % 2
    with pytest.raises(lgb.basic.LightGBMError, match="num_data"):
        lgb.LGBMClassifier(subsample=0.02, subsample_freq=1, min_child_samples=1,
                           n_estimators=2, verbose=-1).fit(X, y)
    with pytest.raises(ValueError, match=r"LightGBM bags int\(0\.02 \* 30\) = 0 rows"):
        FocalLGBMClassifier(subsample=0.02, subsample_freq=1, min_child_samples=1,
                            n_estimators=2).fit(X, y)
    off = {"subsample": 0.01, "subsample_freq": 0, "min_child_samples": 1,
           "n_estimators": 2, "verbose": -1}
    plain = lgb.LGBMClassifier(**off).fit(X, y)
    ours = FocalLGBMClassifier(**off, gamma=0.0).fit(X, y)
    assert ours.booster_.num_trees() == plain.booster_.num_trees() == 2


def test_split_search_error_is_explained_only_below_the_default_min_sum_hessian():
    # LightGBM's default min_sum_hessian_in_leaf is 1e-3: its check failing there is
    # another error, left as LightGBM raised it
    exc = lgb.basic.LightGBMError(
        "Check failed: (best_split_info.left_count) > (0) at treelearner.cpp, line 1")
    assert flgb.split_search_error(exc, {}) is None
    assert flgb.split_search_error(exc, {"min_child_weight": 1e-3}) is None
    refused = flgb.split_search_error(exc, {"min_child_weight": 0})
    assert isinstance(refused, ValueError)
    assert "min_sum_hessian_in_leaf (min_child_weight)=0" in str(refused)
    assert "set min_child_weight to at least 0.001 (LightGBM's default)" in str(refused)
    # a tiny positive value (1e-300, which LGBMClassifier fails on alike) is no
    # better: "above 0" was no advice there
    refused = flgb.split_search_error(exc, {"min_sum_hessian_in_leaf": 1e-300})
    assert "(min_child_weight)=1e-300" in str(refused)
    assert flgb.split_search_error(exc, {"min_child_weight": 0.5}) is None
    other = lgb.basic.LightGBMError("Check failed: (num_data) > (0)")
    assert flgb.split_search_error(other, {"min_child_weight": 0}) is None


def test_cannot_split_takes_the_runs_min_data_in_leaf_over_the_datasets():
    # lgb.train builds the Dataset with the run's parameters over its own: 30 rows
    # split at min_data_in_leaf=1 (the run's) though the Dataset says 20
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2))
    y = (X[:, 0] > 0).astype(int)
    plain = lgb.train({**_BASE_SMALL, "objective": "binary", "min_data_in_leaf": 1},
                      lgb.Dataset(X, y, params={"min_data_in_leaf": 20}), 3)
    assert plain.feature_importance().sum() > 0
    assert not flgb.cannot_split({"min_data_in_leaf": 1},
                                 lgb.Dataset(X, y, params={"min_data_in_leaf": 20}))
    assert flgb.cannot_split({"min_data_in_leaf": 20},
                             lgb.Dataset(X, y, params={"min_data_in_leaf": 1}))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (no "no feature can be split")
        ours = flgb.train({**_BASE_SMALL, "min_data_in_leaf": 1},
                          lgb.Dataset(X, y, params={"min_data_in_leaf": 20}),
                          focal_loss(2.0), 3)
    assert ours.feature_importance().sum() > 0


def test_dart_booster_kept_for_training_holds_the_intercept():
    # DART's first trees take the intercept at the end (not live): a booster kept for
    # training predicts as the one rebuilt from its text
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    y = (X[:, 0] + rng.normal(size=300) > 1).astype(int)
    params = {**_BASE_SMALL, "boosting": "dart"}
    loss = focal_loss(2.0)
    rebuilt = flgb.train(params, lgb.Dataset(X, y), loss, 4)
    kept = flgb.train(params, lgb.Dataset(X, y), loss, 4, keep_training_booster=True)
    c = flgb.train({**params, "min_gain_to_split": 1e9}, lgb.Dataset(X, y), loss, 1)
    assert abs(c.predict(X[:1])[0] - loss.init_score(y)) < 1e-9  # the intercept
    np.testing.assert_allclose(kept.predict(X), rebuilt.predict(X), rtol=0, atol=1e-12)


def test_binary_native_train_is_prepare_train_finish_from_start_margins():
    # the steps the Dask estimator takes: lgb.train from run.start_margins, then finish
    X, y = _mutation_rows()
    w = np.random.default_rng(2).uniform(0.5, 2.0, len(y))
    loss = focal_loss(2.0, 0.25)
    params = {**_BASE_SMALL, "num_leaves": 7}
    native = flgb.train(params, lgb.Dataset(X, y, weight=w), loss, 5)
    run = flgb.prepare(params, loss, 5, y_true=y, sample_weight=w.astype(np.float32))
    start = run.start_margins(len(y))
    assert start.shape == (len(y),) and run.intercept.shape == (1,)
    np.testing.assert_array_equal(start, np.full(len(y), run.intercept[0]))
    assert run.intercept[0] == pytest.approx(
        loss.init_score(y, w.astype(np.float32)), rel=1e-9)
    booster = lgb.train(run.params, lgb.Dataset(X, y, weight=w, init_score=start), 5)
    by_steps = flgb.finish(booster, run)
    np.testing.assert_allclose(flgb.predict_margin(native, X),
                               flgb.predict_margin(by_steps, X), rtol=0, atol=1e-12)


# -- found unpinned by mutation testing (prediction, model text, parameter readers)
@pytest.fixture(scope="module")
def mutation_data():
    X, y = make_classification(n_samples=600, n_features=6, flip_y=0.3, random_state=0)
    return X, y


@pytest.fixture(scope="module")
def multi_booster():
    X, y = make_classification(n_samples=300, n_features=4, n_informative=3, n_redundant=0,
                               n_classes=3, random_state=1)
    return flgb.train({**_BASE_SMALL, "num_class": 3}, lgb.Dataset(X, y), focal_loss(2.0), 3)


def test_early_stopping_on_a_named_metric_keeps_every_metric_of_the_best_round(mutation_data):
    # the focal loss is recorded but not watched (a metric parameter): the booster's
    # best_score holds the best round's values of both, as lgb.train keeps them
    X, y = mutation_data
    log: dict = {}
    dtrain = lgb.Dataset(X[:400], y[:400])
    booster = flgb.train({**_BASE_SMALL, "metric": "auc", "learning_rate": 0.5}, dtrain,
                         focal_loss(2.0), 100,
                         valid_sets=[lgb.Dataset(X[400:], y[400:], reference=dtrain)],
                         callbacks=[lgb.early_stopping(3, verbose=False),
                                    lgb.record_evaluation(log)])
    assert booster.best_iteration < 100  # it stopped early
    best = booster.best_score["valid_0"]
    assert sorted(best) == ["auc", "focal_loss"]
    for name in ("auc", "focal_loss"):
        assert best[name] == log["valid_0"][name][booster.best_iteration - 1]


def test_predict_margin_of_no_rows_has_one_column_per_class(multi_booster):
    # binary: (0,), as for rows; multiclass: (0, num_class)
    X, y = make_classification(n_samples=100, n_features=4, random_state=0)
    binary = flgb.train(_BASE_SMALL, lgb.Dataset(X, y), focal_loss(2.0), 2)
    assert flgb.predict_margin(binary, np.empty((0, 4))).shape == (0,)
    assert flgb.predict_proba(binary, np.empty((0, 4)), focal_loss(2.0)).shape == (0,)
    assert flgb.predict_margin(multi_booster, np.empty((0, 4))).shape == (0, 3)
    assert flgb.predict_proba(multi_booster, np.empty((0, 4)), focal_loss(2.0)).shape == (0, 3)


def test_predict_margin_of_no_rows_checks_the_number_of_features(multi_booster):
    # as LightGBM refuses rows of another width, empty or not
    with pytest.raises(ValueError, match=r"^The number of features in data \(5\) is not the "
                                         r"same as it was in training data \(4\)$"):
        flgb.predict_margin(multi_booster, np.empty((0, 5)))


def test_zero_band_sends_the_band_as_lightgbm_does():
    zt = flgb.ZERO_THRESHOLD
    # [0, zt): LightGBM reads the band as 0, which goes left (0 <= t): the band goes left
    assert flgb.zero_band(0.0) == zt
    assert flgb.zero_band(zt / 2) == zt
    # [-zt, 0): 0 > t goes right: the whole band, -zt included, goes right
    assert flgb.zero_band(-zt) < -zt and flgb.zero_band(-zt / 2) < -zt
    assert flgb.zero_band(zt) == zt and flgb.zero_band(-0.5) == -0.5


def _xy(n=300, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    return X, (X[:, 0] + rng.normal(size=n) > 0).astype(int)


def test_sigmoid_of_another_scale_is_refused_below_1_too():
    X, y = _xy()
    booster = lgb.train({**_BASE_SMALL, "objective": "binary", "sigmoid": 0.5},
                        lgb.Dataset(X, y), 2)
    with pytest.raises(ValueError, match=r"its objective is 'binary sigmoid:0.5'"):
        flgb.inverse_link(booster, X)


def test_a_value_ending_in_a_space_is_read_as_lightgbm_reads_it():
    X, y = _xy()
    ours = flgb.train({**_BASE_SMALL, "num_leaves": "3 "}, lgb.Dataset(X, y), focal_loss(0.0), 2)
    plain = lgb.train({**_BASE_SMALL, "objective": "binary", "num_leaves": "3 "},
                      lgb.Dataset(X, y), 2)
    assert ours.dump_model()["tree_info"][1]["num_leaves"] == 3
    assert plain.dump_model()["tree_info"][1]["num_leaves"] == 3


def test_ignored_parameters_at_their_default_as_text_are_taken():
    X, y = _xy()
    for params in ({"scale_pos_weight": "1"}, {"sigmoid": "1.0"}, {"alpha": "0.9"}):
        flgb.train({**_BASE_SMALL, **params}, lgb.Dataset(X, y), focal_loss(2.0), 1)


@pytest.mark.parametrize("key", ["unbalance", "unbalanced_sets"])
def test_is_unbalance_is_refused_under_its_aliases(key):
    X, y = _xy()
    with pytest.raises(ValueError, match=rf"^{key}=True has no effect with a custom "
                                         "objective: weigh the classes with the loss's alpha$"):
        flgb.train({**_BASE_SMALL, key: True}, lgb.Dataset(X, y), focal_loss(2.0), 1)


def test_objective_none_is_taken():
    X, y = _xy()
    a = flgb.train({**_BASE_SMALL, "objective": None}, lgb.Dataset(X, y), focal_loss(2.0), 2)
    b = flgb.train(_BASE_SMALL, lgb.Dataset(X, y), focal_loss(2.0), 2)
    np.testing.assert_array_equal(flgb.predict_margin(a, X), flgb.predict_margin(b, X))


def test_num_class_spellings_that_disagree_are_refused():
    X, y = _xy()
    with pytest.raises(ValueError, match="params set different numbers of classes"):
        flgb.train({**_BASE_SMALL, "num_class": 3, "num_classes": 4}, lgb.Dataset(X, y),
                   focal_loss(2.0), 1)


def test_param_value_takes_the_spelling_lightgbm_takes():
    # LightGBM: the main name, else the shortest alias ("boost" over "boosting_type")
    params = {"boosting_type": "rf", "boost": "gbdt"}
    assert flgb.param_value(params, "boosting", None) == "gbdt"
    assert not flgb.is_random_forest(params)
    X, y = _xy()
    lgb.train({**_BASE_SMALL, "objective": "binary", **params}, lgb.Dataset(X, y), 1)  # no rf check


def test_as_bool_reads_lightgbm_spellings():
    assert flgb.as_bool("+") is True and flgb.as_bool("-") is False
    assert flgb.as_bool("TRUE") is True and flgb.as_bool("False") is False
    assert flgb.as_bool("", True) is True and flgb.as_bool("  ", False) is False
    for value in ("yes", 0, 1):
        with pytest.raises(ValueError, match="LightGBM takes true or false"):
            flgb.as_bool(value)
    # LightGBM reads an empty value as its default (boost_from_average: true), as plain
    X, y = _xy()
    a = flgb.train({**_BASE_SMALL, "boost_from_average": ""}, lgb.Dataset(X, y), focal_loss(2.0), 1)
    b = flgb.train(_BASE_SMALL, lgb.Dataset(X, y), focal_loss(2.0), 1)
    np.testing.assert_array_equal(flgb.predict_margin(a, X), flgb.predict_margin(b, X))


def test_threads_reads_num_threads():
    assert flgb._threads({"num_threads": 3}) == 3
    assert flgb._threads({"num_threads": "2"}) == 2
    assert flgb._threads({"num_threads": 0}) is None
    assert flgb._threads({}) is None


def test_model_without_usable_feature_predicts_the_focal_optimum():
    from scipy.optimize import minimize_scalar

    rng = np.random.default_rng(0)
    y = (rng.random(200) < 0.2).astype(int)
    X = np.ones((200, 2))
    loss = focal_loss(2.0, 0.25)
    with pytest.warns(UserWarning):
        booster = flgb.train(_BASE_SMALL, lgb.Dataset(X, y), loss, 3)
    best = minimize_scalar(lambda m: loss.loss(y, np.full(200, m)).mean(),
                           bounds=(-10, 10), method="bounded", options={"xatol": 1e-10}).x
    np.testing.assert_allclose(flgb.predict_margin(booster, X[:3]), best, atol=1e-5)


def test_labels_as_a_column_or_object_array_train_as_a_vector():
    X, y = _xy()
    want = flgb.predict_margin(flgb.train(_BASE_SMALL, lgb.Dataset(X, y), focal_loss(2.0), 2), X)
    for label in (y.reshape(-1, 1), y.astype(object)):
        booster = flgb.train(_BASE_SMALL, lgb.Dataset(X, label), focal_loss(2.0), 2)
        got = flgb.predict_margin(booster, X)
        np.testing.assert_array_equal(got, want)


def test_a_negative_weight_is_refused():
    X, y = _xy()
    w = np.ones(len(y))
    w[3] = -1.0
    with pytest.raises(ValueError, match=r"^train_set has 1 weight outside \[0, 1e38\) "
                                         r"\(rows 3, e.g. -1\)"):
        flgb.train(_BASE_SMALL, lgb.Dataset(X, y, weight=w), focal_loss(2.0), 1)


def test_flat_multiclass_init_score_is_class_major():
    X, y = make_classification(n_samples=300, n_features=4, n_informative=3, n_redundant=0,
                               n_classes=3, random_state=1)
    score = np.random.default_rng(0).normal(size=(300, 3))
    params = {**_BASE_SMALL, "num_class": 3}
    # a given intercept is added to the Dataset's own init_score (LightGBM's flat layout
    # is class-major): the same model as from the (n, k) array
    runs = [flgb.train(params, lgb.Dataset(X, y, init_score=s), focal_loss(2.0), 2,
                       init_score=[0.1, -0.2, 0.3])
            for s in (score, score.T.ravel())]
    np.testing.assert_array_equal(*(flgb.predict_margin(b, X) for b in runs))


def test_random_forest_needs_bagging_below_1():
    X, y = _xy()
    params = {**_BASE_SMALL, "boosting": "rf", "bagging_freq": 1, "bagging_fraction": 1.0}
    with pytest.raises(lgb.basic.LightGBMError):
        lgb.train({**params, "objective": "binary"}, lgb.Dataset(X, y), 1)
    with pytest.raises(ValueError, match=r"^boosting='rf' needs bagging"):
        flgb.train(params, lgb.Dataset(X, y), focal_loss(2.0), 1)


def test_random_forest_takes_no_linear_tree():
    X, y = _xy()
    params = {**_BASE_SMALL, "boosting": "rf", "bagging_freq": 1, "bagging_fraction": 0.5,
              "linear_tree": True}
    with pytest.raises(ValueError, match=r"^boosting='rf' with focal loss takes no linear_tree"):
        flgb.train(params, lgb.Dataset(X, y), focal_loss(2.0), 2)


def test_monotone_categories_as_lightgbm_finds_them():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"a": pd.Categorical([0, 1, 2] * 10, ordered=True),
                          "b": np.arange(30.0)})
    flgb.check_monotone_categories({"monotone_constraints": [1, 0]}, frame)  # ordered: numbers
    unordered = frame.assign(a=frame["a"].cat.as_unordered())
    with pytest.raises(ValueError, match=r"constrains categorical feature\(s\) \['a'\]"):
        flgb.check_monotone_categories({"monotone_constraints": [-1, 0]}, unordered)
    with pytest.raises(ValueError, match=r"constrains categorical feature\(s\) at index \[0\]"):
        flgb.check_monotone_categories(
            {"monotone_constraints": "-1,0", "categorical_feature": "0"}, frame.to_numpy())


def test_predict_margin_refuses_pred_early_stop(multi_booster):
    with pytest.raises(ValueError, match=r"^pred_early_stop=True has no effect with a custom "
                                         "objective: LightGBM stops predictions early only"):
        flgb.predict_margin(multi_booster, np.zeros((2, 4)), pred_early_stop=True)
    flgb.predict_margin(multi_booster, np.zeros((2, 4)), pred_early_stop=False)


# ------------------ found unpinned by mutation testing (the no-split advice's Hessian rule)
def _no_split_advice(params, gamma):
    X, y = _rows(300)
    base = {"verbose": -1, "num_leaves": 4, "min_data_in_leaf": 5, "min_gain_to_split": 1e6}
    with pytest.warns(UserWarning, match="the model has no split") as caught:
        flgb.train({**base, **params}, lgb.Dataset(X, y), focal_loss(gamma), 2)
    return " ".join(str(w.message) for w in caught)


def test_no_split_advice_names_the_default_min_sum_hessian_only_at_gamma_above_0():
    # LightGBM's default 1e-3 stops splits only on focal Hessians, not at gamma 0
    assert "min_sum_hessian_in_leaf" not in _no_split_advice({}, 0.0)
    assert "min_sum_hessian_in_leaf (min_child_weight)=0.001 can stop every split" in \
        _no_split_advice({}, 2.0)


def test_no_split_advice_leaves_out_a_min_sum_hessian_of_0():
    # min_sum_hessian_in_leaf=0 stops no split: "lower it" would be no advice
    assert "min_sum_hessian_in_leaf" not in _no_split_advice(
        {"min_sum_hessian_in_leaf": 0.0}, 2.0)


def test_an_auto_run_inside_another_runs_callback_takes_its_own_intercept(binary_data):
    # a run inside another's callback found the Dataset's init_score shifted by the
    # outer run and took it as the user's own: no intercept of its own
    X, y = binary_data
    dtrain = lgb.Dataset(X, y, free_raw_data=False)
    loss = focal_loss(gamma=2.0, alpha=0.25)
    inner = []

    def run(callbacks=()):
        return flgb.train(BASE, dtrain, loss, 4, callbacks=list(callbacks))

    def nested(env):
        if env.iteration == 1:
            inner.append(run())

    alone = run()
    outer = run([nested])
    assert len(inner) == 1
    for booster in (*inner, outer):
        np.testing.assert_array_equal(booster.predict(X[:50], raw_score=True),
                                      alone.predict(X[:50], raw_score=True))
    assert dtrain.get_init_score() is None



def test_a_run_that_fails_leaves_the_datasets_start_as_it_was(binary_data):
    # as lgb.train: a callback's error leaves the Dataset's init_score as the user set it
    X, y = binary_data
    offset = np.linspace(-0.5, 0.5, len(y))
    dtrain = lgb.Dataset(X, y, init_score=offset, free_raw_data=False)

    def fail(env):
        if env.iteration == 1:
            raise RuntimeError("stop")

    for train in (lambda **k: flgb.train(BASE, dtrain, focal_loss(2.0), 3, init_score=0.3, **k),
                  lambda **k: lgb.train({**BASE, "objective": "binary"}, dtrain, 3, **k)):
        with pytest.raises(RuntimeError, match="stop"):
            train(callbacks=[fail])
        np.testing.assert_array_equal(dtrain.get_init_score(), offset)



def test_runs_sharing_only_a_validation_set_in_threads_train_as_one_after_another(binary_data):
    # folds of one parent Dataset in threads, scored on one validation set: each run
    # shifts that set by its own intercept while it trains
    from concurrent.futures import ThreadPoolExecutor

    X, y = binary_data
    parent = lgb.Dataset(X[:900], y[:900], free_raw_data=False).construct()
    rng = np.random.default_rng(0)
    # folds of different class balance (different intercepts), and the shared set after
    # a fold in the order the runs take their Datasets in (by id): a run that held only
    # its first Dataset would hold that fold alone
    folds, candidates = [], []
    for i in range(4):
        candidates += [lgb.Dataset(X[900:], y[900:], reference=parent, free_raw_data=False)
                       for _ in range(4)]
        rows = (rng.choice(np.flatnonzero(y[:900] == 0), 300 - 30 * i, replace=False).tolist()
                + np.flatnonzero(y[:900] == 1)[:40 + 40 * i].tolist())
        folds.append(parent.subset(sorted(rows)).construct())
    dvalid = max(candidates, key=id)
    assert id(dvalid) > min(map(id, folds))
    dvalid.construct()
    loss = focal_loss(gamma=2.0, alpha=0.25)

    def fit(fold):
        history: dict = {}
        flgb.train(BASE, fold, loss, 15, valid_sets=[dvalid],
                   callbacks=[lgb.record_evaluation(history)])
        return history["valid_0"]["focal_loss"]

    alone = [fit(fold) for fold in folds]
    for _ in range(3):
        with ThreadPoolExecutor(4) as pool:
            assert list(pool.map(fit, folds)) == alone
        assert dvalid.get_init_score() is None



def test_runs_sharing_datasets_in_two_roles_do_not_deadlock(binary_data, monkeypatch):
    # run 1 trains on a and scores b, run 2 trains on b and scores a: each holds both,
    # taken in one order whatever their roles (a lock slow to take makes both threads
    # hold their first Dataset before they ask for the second)
    X, y = binary_data
    a = lgb.Dataset(X[:600], y[:600], free_raw_data=False)
    b = lgb.Dataset(X[600:], y[600:], reference=a, free_raw_data=False)

    class SlowLock:
        def __init__(self):
            self.lock = threading.RLock()

        def acquire(self):
            self.lock.acquire()
            time.sleep(0.3)

        def release(self):
            self.lock.release()

    for ds in (a, b):
        monkeypatch.setitem(flgb._DATASET_LOCKS, ds, SlowLock())
    done = []

    def fit(train, valid):
        flgb.train(BASE, train, focal_loss(2.0), 3, valid_sets=[valid])
        done.append(train)

    threads = [threading.Thread(target=fit, args=pair, daemon=True) for pair in ((a, b), (b, a))]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 8
    for thread in threads:
        thread.join(timeout=max(deadline - time.monotonic(), 0))
    assert len(done) == 2


@pytest.mark.parametrize("boosting", ["dart", "gbdt"])
def test_the_first_round_trains_from_each_rows_start(binary_data, monkeypatch, boosting):
    # putting the Dataset's own init_score back before the first round made the Booster
    # drop its buffer of training scores, then hand it to the objective unfilled where
    # they had been read that round already (DART's first round; a callback's
    # eval_train): margins of uninitialised memory (6.9e-310, or NaN)
    X, y = binary_data
    own = np.linspace(-1.0, 1.0, len(y))
    first = []
    call = flgb._Objective.__call__

    def spy(self, preds, data):
        if not first:
            first.append(np.array(preds, copy=True))
        return call(self, preds, data)

    def scores_the_training_data(env):
        if env.iteration == 0:
            env.model.eval_train()
            filler = [np.full(len(y), 7.0) for _ in range(5)]  # (memory used meanwhile)
            del filler

    scores_the_training_data.before_iteration = True
    monkeypatch.setattr(flgb._Objective, "__call__", spy)
    flgb.train({**BASE, "boosting": boosting}, lgb.Dataset(X, y, init_score=own),
               focal_loss(2.0), 3, init_score=0.2, callbacks=[scores_the_training_data])
    np.testing.assert_allclose(first[0], own + 0.2, rtol=0, atol=1e-12)


def test_callbacks_ordered_first_see_the_datasets_own_start(binary_data):
    # lgb.train gives each callback instance an order by its place in the list, which
    # hid the class's: one of the caller's ordered before it saw the shifted init_score
    X, y = binary_data
    dtrain = lgb.Dataset(X, y, free_raw_data=False)
    seen = []

    class Early:
        before_iteration = True

        def __init__(self):
            self.order = -100

        def __call__(self, env):
            if env.iteration == 0:
                seen.append(dtrain.get_init_score())

    flgb.train(BASE, dtrain, focal_loss(2.0), 2, callbacks=[Early()])
    assert seen == [None]


def test_a_run_on_a_subset_holds_the_dataset_it_is_built_from(binary_data):
    # a subset built while another thread's run had shifted its parent copied that
    # run's start (and a run on it then took it for the subset's own)
    X, y = binary_data
    parent = lgb.Dataset(X, y, free_raw_data=False).construct()
    subset = parent.subset(np.arange(0, len(y), 2))
    done = []
    side = threading.Thread(target=lambda: done.append(
        flgb.train(BASE, parent, focal_loss(2.0), 2)), daemon=True)
    with flgb._DatasetsHeld([subset]):
        side.start()
        side.join(timeout=1.0)
        assert side.is_alive() and not done  # (waiting for the parent)
    side.join(timeout=120)
    assert len(done) == 1


def test_a_run_inside_a_callback_ordered_before_the_restore_starts_from_the_own_start(binary_data):
    # a callback ordered before the restoring one (below its order) sees the Dataset as
    # the run shifted it: a run inside it on that Dataset takes the Dataset's own start
    # (_OWN_INIT_SCORE), not the shifted one, and leaves the outer run's shift to it
    X, y = binary_data
    offset = np.linspace(-0.5, 0.5, len(y))
    dtrain = lgb.Dataset(X, y, init_score=offset, free_raw_data=False)
    loss = focal_loss(gamma=2.0, alpha=0.25)
    inner, seen = [], []

    class First:
        before_iteration = True

        def __init__(self):
            self.order = -(2**31) - 1

        def __call__(self, env):
            if env.iteration == 0:
                seen.append(dtrain.get_init_score())
                inner.append(run())

    def run(callbacks=()):
        return flgb.train(BASE, dtrain, loss, 4, init_score=0.3, callbacks=list(callbacks))

    alone = run()
    outer = run([First()])
    np.testing.assert_allclose(seen[0], offset + 0.3)  # (the shifted start, before _Restore)
    assert len(inner) == 1
    for booster in (*inner, outer):
        np.testing.assert_array_equal(booster.predict(X[:50], raw_score=True),
                                      alone.predict(X[:50], raw_score=True))
    np.testing.assert_array_equal(dtrain.get_init_score(), offset)
    assert not flgb._OWN_INIT_SCORE


def test_another_run_on_the_dataset_leaves_a_kept_booster_to_continue(binary_data):
    # a kept Booster continued with update() after another run on its Dataset (a search,
    # a refit): that run's init_score set and put back moved the Dataset's version on,
    # the kept Booster took it for a new Dataset and, its training scores read at its
    # last round (the training set among valid_sets), continued from an unfilled buffer
    X, y = binary_data
    loss = focal_loss(gamma=2.0, alpha=0.25)
    one_run = flgb.train(BASE, lgb.Dataset(X, y), loss, 8)
    dtrain = lgb.Dataset(X, y, free_raw_data=False)
    kept = flgb.train(BASE, dtrain, loss, 5, valid_sets=[dtrain], keep_training_booster=True)
    version = dtrain.version
    flgb.train(BASE, dtrain, loss, 2)
    assert dtrain.version == version  # (as after a plain lgb.train on it)
    for _ in range(3):
        kept.update(fobj=flgb.objective(loss))
    np.testing.assert_allclose(kept.predict(X[:50], raw_score=True),
                               one_run.predict(X[:50], raw_score=True), rtol=0, atol=1e-12)


def test_a_run_inside_a_callback_leaves_the_outer_runs_training_scores(binary_data):
    # a run inside another's callback on the same Dataset sets its init_score and puts it
    # back: a new Dataset to the outer Booster, whose next update dropped its buffer of
    # training scores, read already that round (the training set among valid_sets), and
    # handed it to the objective unfilled: the next gradients came from uninitialised
    # memory (6.9e-310)
    X, y = binary_data
    dtrain = lgb.Dataset(X, y, free_raw_data=False)
    loss = focal_loss(gamma=2.0, alpha=0.25)
    inner = []

    def run(callbacks=(), valid_sets=None):
        return flgb.train(BASE, dtrain, loss, 5, valid_sets=valid_sets,
                          callbacks=list(callbacks))

    def nested(env):
        if env.iteration == 1:
            inner.append(run())
            filler = [np.full(len(y), 7.0) for _ in range(5)]  # (memory used meanwhile)
            del filler

    alone = run(valid_sets=[dtrain])
    outer = run([nested], valid_sets=[dtrain])
    assert len(inner) == 1
    np.testing.assert_array_equal(outer.predict(X[:50], raw_score=True),
                                  alone.predict(X[:50], raw_score=True))
    np.testing.assert_array_equal(inner[0].predict(X[:50], raw_score=True),
                                  run().predict(X[:50], raw_score=True))


def test_a_validation_subset_is_built_with_the_runs_parameters():
    # a validation set taken from the same parent as the training set was built with
    # the parent's parameters; lgb.train then found min_data_in_leaf lowered below the
    # pre-filter's, built it again from the parent and dropped its start margins: its
    # scores went wrong and early stopping kept another round (15 against 5 here)
    X, y = make_classification(1200, 7, weights=[0.8], flip_y=0.05, random_state=1)
    params = {**BASE, "min_data_in_leaf": 18, "learning_rate": 0.45}
    fits = {}
    for who in ("plain", "ours"):
        parent = lgb.Dataset(X, y, free_raw_data=False)
        dtrain, dvalid = parent.subset(list(range(900))), parent.subset(list(range(900, 1200)))
        stop = [lgb.early_stopping(5, verbose=False)]
        fits[who] = (lgb.train({**params, "objective": "binary"}, dtrain, 49,
                               valid_sets=[dvalid], callbacks=stop)
                     if who == "plain" else
                     flgb.train(params, dtrain, focal_loss(0.0), 49, valid_sets=[dvalid],
                                callbacks=stop))
    assert fits["ours"].best_iteration == fits["plain"].best_iteration
    np.testing.assert_allclose(flgb.predict_proba(fits["ours"], X[900:], focal_loss(0.0)),
                               fits["plain"].predict(X[900:]), rtol=0, atol=1e-12)


def test_a_datasets_own_main_name_wins_over_a_training_alias_as_in_lgb_train(binary_data):
    # lgb.train merges the training parameters into the Dataset's own, and LightGBM
    # takes the main name over an alias: the Dataset's max_bin=63 beats max_bins=31.
    # Resolved alone, the training parameters' 31 replaced it (another model, and the
    # Dataset left built with 31 bins for the next run)
    X, y = binary_data
    plain = lgb.train({"objective": "binary", "verbose": -1, "max_bins": 31},
                      lgb.Dataset(X, y, params={"max_bin": 63}), 5)
    dtrain = lgb.Dataset(X, y, params={"max_bin": 63})
    with pytest.warns(UserWarning, match=r"max_bins=31 ignored: .* train_set's own max_bin=63"):
        ours = flgb.train({"verbose": -1, "max_bins": 31}, dtrain, focal_loss(0.0), 5)
    assert "[max_bin: 63]" in ours.model_to_string()
    assert "[max_bin: 63]" in plain.model_to_string()
    np.testing.assert_allclose(flgb.predict_proba(ours, X, focal_loss(0.0)), plain.predict(X),
                               rtol=0, atol=1e-12)
    # the other way round, the training parameters' main name wins, as in lgb.train
    ours = flgb.train({"verbose": -1, "max_bin": 31},
                      lgb.Dataset(X, y, params={"max_bins": 63}), focal_loss(0.0), 5)
    assert "[max_bin: 31]" in ours.model_to_string()


def test_a_datasets_own_spellings_are_weighed_as_lgb_train_weighs_them(binary_data):
    # the Dataset's shortest alias beats a longer training alias too ("bundle" over
    # "is_enable_bundle"), with one warning at the caller's line; the same spelling on
    # both is the training's (lgb.train merges the training parameters over the
    # Dataset's); an equal value lost says nothing; the caller's params are left as
    # they were
    X, y = binary_data
    loss = focal_loss(0.0)
    params = {"verbose": -1, "is_enable_bundle": True}
    with pytest.warns(UserWarning) as rec:
        ours = flgb.train(params, lgb.Dataset(X, y, params={"bundle": False}), loss, 2)
    assert [str(w.message) for w in rec] == [
        "params' is_enable_bundle=True ignored: LightGBM takes train_set's own bundle=False "
        "for its parameter 'enable_bundle' (the main name wins over an alias, then the "
        "shortest alias); set enable_bundle in one place"]
    assert rec[0].filename == __file__
    assert "[enable_bundle: 0]" in ours.model_to_string()
    assert params == {"verbose": -1, "is_enable_bundle": True}
    plain = lgb.train({"objective": "binary", **params},
                      lgb.Dataset(X, y, params={"bundle": False}), 2)
    assert "[enable_bundle: 0]" in plain.model_to_string()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        same = flgb.train({"verbose": -1, "max_bin": 31},
                          lgb.Dataset(X, y, params={"max_bin": 63}), loss, 2)
        equal = flgb.train({"verbose": -1, "max_bins": 63},
                           lgb.Dataset(X, y, params={"max_bin": 63}), loss, 2)
    assert "[max_bin: 31]" in same.model_to_string()
    assert "[max_bin: 63]" in equal.model_to_string()


def test_a_datasets_own_parameter_lgb_train_does_not_copy_to_the_booster(binary_data):
    # the Booster takes of the Dataset's own parameters only its Dataset parameters
    # (Dataset.get_params: no min_data): the training's min_child_samples=50 is the
    # model's min_data_in_leaf, as in lgb.train, not the Dataset's min_data=5
    X, y = binary_data
    plain = lgb.train({"objective": "binary", "verbose": -1, "min_child_samples": 50},
                      lgb.Dataset(X, y, params={"min_data": 5}), 3)
    ours = flgb.train({"verbose": -1, "min_child_samples": 50},
                      lgb.Dataset(X, y, params={"min_data": 5}), focal_loss(0.0), 3)
    assert "[min_data_in_leaf: 50]" in plain.model_to_string()
    assert "[min_data_in_leaf: 50]" in ours.model_to_string()
    np.testing.assert_allclose(flgb.predict_proba(ours, X, focal_loss(0.0)), plain.predict(X),
                               rtol=0, atol=1e-12)


@pytest.mark.parametrize("free_raw_data", [True, False])
def test_a_validation_subset_of_the_training_set_is_built_with_the_runs_parameters(
        binary_data, free_raw_data):
    # building the subset builds the training set it is taken from: that is built
    # first, with the run's parameters (with its own, LightGBM refused the max_bin
    # changed after, or the bin mappers that differed)
    X, y = binary_data
    params = {**BASE, "max_bin": 15}
    fits = {}
    for who in ("plain", "ours"):
        dtrain = lgb.Dataset(X, y, free_raw_data=free_raw_data)
        dvalid = dtrain.subset(list(range(300)))
        fits[who] = (lgb.train({**params, "objective": "binary"}, dtrain, 3, valid_sets=[dvalid])
                     if who == "plain" else
                     flgb.train(params, dtrain, focal_loss(0.0), 3, valid_sets=[dvalid]))
        assert dtrain.feature_num_bin(0) == 15
    np.testing.assert_allclose(flgb.predict_proba(fits["ours"], X, focal_loss(0.0)),
                               fits["plain"].predict(X), rtol=0, atol=1e-12)


def test_another_run_leaves_the_version_of_a_dataset_with_its_own_init_score(binary_data):
    # putting the Dataset's own init_score back (set_init_score) moves its version on:
    # the version is put back after it, as for a Dataset without one
    X, y = binary_data
    offset = np.linspace(-0.5, 0.5, len(y))
    dtrain = lgb.Dataset(X, y, init_score=offset, free_raw_data=False)
    loss = focal_loss(gamma=2.0, alpha=0.25)
    flgb.train(BASE, dtrain, loss, 2, valid_sets=[dtrain], init_score=0.3)
    version = dtrain.version
    flgb.train(BASE, dtrain, loss, 2, valid_sets=[dtrain], init_score=0.3)  # (shifted)
    assert dtrain.version == version
    np.testing.assert_array_equal(dtrain.get_init_score(), offset)


def test_a_built_datasets_own_main_name_wins_where_lgb_train_builds_it_again():
    # a built Dataset that kept its rows (free_raw_data=False): lgb.train builds it again
    # from the merged parameters, where the Dataset's max_bin beats max_bins
    X, y = make_classification(n_samples=600, n_features=5, n_informative=3, random_state=0)
    for who in ("plain", "ours"):
        ds = lgb.Dataset(X, y, params={"max_bin": 63, "verbose": -1},
                         free_raw_data=False).construct()
        if who == "plain":
            lgb.train({"objective": "binary", "verbose": -1, "max_bins": 31}, ds, 3)
        else:
            with pytest.warns(UserWarning, match="max_bins=31 ignored"):
                flgb.train({"verbose": -1, "max_bins": 31}, ds, focal_loss(0.0), 3)
        assert ds.feature_num_bin(0) == 63, who


def test_linear_tree_is_read_as_lightgbm_weighs_the_datasets_spelling():
    # the Dataset's alias loses to the training parameters' main name (lgb.train trains
    # constant leaves, where the linear check refused the infinite value); a Dataset's
    # own linear_tree is refused in random-forest mode as the training parameters' is
    X, y = make_classification(n_samples=600, n_features=5, n_informative=3, random_state=0)
    Xi = X.copy()
    Xi[0, 0] = np.inf
    booster = flgb.train({"verbose": -1, "linear_tree": False},
                         lgb.Dataset(Xi, y, params={"linear_trees": True}), focal_loss(0.0), 3)
    assert "[linear_tree: 0]" in booster.model_to_string()
    with pytest.raises(ValueError, match="takes no linear_tree"):
        flgb.train({"verbose": -1, "boosting": "rf", "bagging_freq": 1,
                    "bagging_fraction": 0.5}, lgb.Dataset(X, y, params={"linear_tree": True}),
                   focal_loss(0.0), 3)


@pytest.mark.parametrize("key", ["cat_feature", "categorical_column", "categorical_feature"])
def test_categorical_features_keep_the_spelling_given_as_in_lgb_train(key):
    # an alias was handed on as categorical_feature, which lgb.Dataset takes for its own
    # argument's name: "will be ignored" (it is not), where lgb.train and LGBMClassifier
    # say nothing; the main name gets that warning from plain LightGBM too
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.normal(size=400), rng.integers(0, 8, 400)]).astype(float)
    y = ((X[:, 1] % 3 == 0) ^ (X[:, 0] > 1)).astype(int)

    def said(fit) -> list[str]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model = fit()
        return model, [str(w.message) for w in caught if "will be ignored" in str(w.message)]

    params = {"verbose": -1, key: [1]}
    _, plain = said(lambda: lgb.train({**params, "objective": "binary"}, lgb.Dataset(X, y), 5))
    native, ours = said(lambda: flgb.train(params, lgb.Dataset(X, y), ce_loss(), 5))
    assert ours == plain and len(plain) == (key == "categorical_feature")
    _, plain = said(lambda: lgb.LGBMClassifier(n_estimators=5, verbose=-1, **{key: [1]})
                    .fit(X, y))
    model, ours = said(lambda: FocalLGBMClassifier(gamma=0, n_estimators=5, **{key: [1]})
                       .fit(X, y))
    assert ours == plain
    # and the features are categorical all the same
    by_fit = FocalLGBMClassifier(gamma=0, n_estimators=5).fit(X, y, categorical_feature=[1])
    np.testing.assert_array_equal(model.predict_proba(X), by_fit.predict_proba(X))
    assert native.dump_model()["tree_info"][0]["num_cat"] > 0


@pytest.mark.parametrize("value", [[[0, 9]], [[0, -1]], "[0,1],[2,5]", [np.array([0, 5])],
                                   [["0", "7"]]])
def test_interaction_constraints_out_of_range_are_refused(value):
    # LightGBM reads past its arrays on such an index: trees split on a feature no
    # constraint names (feature 4 here, from one run to the next) and now and then the
    # process ends in a segmentation fault, lgb.train and LGBMClassifier alike
    rng = np.random.default_rng(0)
    X = rng.normal(size=(500, 5))
    y = (X[:, 0] > 0).astype(int)
    message = r"^interaction_constraints .* names feature index\(es\) \[(9|-1|5|7)\], but the " \
              r"data has 5 feature\(s\) \(indices 0 to 4\)"
    with pytest.raises(ValueError, match=message):
        flgb.train({"verbose": -1, "interaction_constraints": value}, lgb.Dataset(X, y),
                   ce_loss(), 3)
    with pytest.raises(ValueError, match=message):  # a Dataset's own, built
        flgb.train({"verbose": -1}, lgb.Dataset(
            X, y, params={"verbose": -1, "interaction_constraints": value}).construct(),
            ce_loss(), 3)
    with pytest.raises(ValueError, match=message):  # a subset: its reference's columns
        flgb.train({"verbose": -1, "interaction_constraints": value},
                   lgb.Dataset(X, y, free_raw_data=False).subset(list(range(300))),
                   ce_loss(), 3)
    with pytest.raises(ValueError, match=message):
        FocalLGBMClassifier(n_estimators=3, interaction_constraints=value).fit(X, y)


def test_interaction_constraints_in_range_train_as_in_lgb_train():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(500, 5))
    y = (X[:, 0] + X[:, 4] * X[:, 1] > 0).astype(int)
    params = {"verbose": -1, "interaction_constraints": [[0, 4], [1, 2]]}
    plain = lgb.train({**params, "objective": "binary", "boost_from_average": False},
                      lgb.Dataset(X, y), 5)
    ours = flgb.train(params, lgb.Dataset(X, y), ce_loss(), 5, init_score=0.0)
    np.testing.assert_allclose(ours.predict(X, raw_score=True), plain.predict(X, raw_score=True),
                               atol=1e-9)


def test_a_built_dataset_without_its_rows_is_refused_a_changed_spelling_as_in_lgb_train(
        binary_data):
    # a built Dataset that let go of its rows cannot be built again: lgb.train refuses
    # the training parameters' max_bins=31 against its own max_bin=63, and so does train
    # (taking the Dataset's spelling there would train where lgb.train does not)
    X, y = binary_data
    for who in ("plain", "ours"):
        ds = lgb.Dataset(X, y, params={"max_bin": 63, "verbose": -1}).construct()
        with pytest.raises(lgb.basic.LightGBMError, match="Cannot change max_bin"):
            if who == "plain":
                lgb.train({"objective": "binary", "verbose": -1, "max_bins": 31}, ds, 2)
            else:
                flgb.train({"verbose": -1, "max_bins": 31}, ds, focal_loss(0.0), 2)


def test_resolve_aliases_warns_of_a_lost_value_only():
    # an equal value lost, or a spelling the caller filled in (quiet), says nothing
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert flgb.resolve_aliases({"max_bins": 63, "max_bin": 63}) == {"max_bin": 63}
        assert flgb.resolve_aliases({"max_bins": 31, "max_bin": 63},
                                    quiet=["max_bins"]) == {"max_bin": 63}
    with pytest.warns(UserWarning, match=r"max_bins=31 ignored: LightGBM takes max_bin=63"):
        assert flgb.resolve_aliases({"max_bins": 31, "max_bin": 63}) == {"max_bin": 63}


def test_a_datasets_own_linear_tree_is_weighed_as_lightgbm_weighs_it():
    # the same spelling in both: the training parameters' (lgb.train merges them over the
    # Dataset's); a Dataset's own alias, its own spellings weighed among themselves, and
    # an unset value (None: LightGBM's default) as LightGBM reads them
    X, y = _xy()
    Xi = X.copy()
    Xi[0, 0] = np.inf
    booster = flgb.train({**_BASE_SMALL, "linear_tree": False},
                         lgb.Dataset(Xi, y, params={"linear_tree": True}), focal_loss(2.0), 2)
    assert "[linear_tree: 0]" in booster.model_to_string()
    booster = flgb.train(_BASE_SMALL, lgb.Dataset(Xi, y, params={"linear_tree": None}),
                         focal_loss(2.0), 2)
    assert "[linear_tree: 0]" in booster.model_to_string()
    rf = {**_BASE_SMALL, "boosting": "rf", "bagging_freq": 1, "bagging_fraction": 0.5}
    for own in ({"linear_trees": True}, {"linear_tree": True, "linear_trees": False}):
        with pytest.raises(ValueError, match="takes no linear_tree"):
            flgb.train(rf, lgb.Dataset(X, y, params=own), focal_loss(2.0), 2)
    with pytest.raises(ValueError, match="keep_training_booster=True with linear_tree"):
        flgb.train(_BASE_SMALL, lgb.Dataset(X, y, params={"linear_tree": True}),
                   focal_loss(2.0), 3, keep_training_booster=True)


def test_random_forest_refuses_what_lightgbm_refuses_or_the_emulation_lacks():
    X, y = _xy()
    rf = {**_BASE_SMALL, "boosting": "rf", "bagging_freq": 1, "bagging_fraction": 0.5}
    # LightGBM reads data_sample_strategy in any case (its forest takes GOSS)
    lgb.train({**_BASE_SMALL, "objective": "binary", "boosting": "rf",
               "data_sample_strategy": "GOSS"}, lgb.Dataset(X, y), 2)
    with pytest.raises(ValueError, match="takes no data_sample_strategy='goss'"):
        flgb.train({**rf, "data_sample_strategy": "GOSS"}, lgb.Dataset(X, y),
                   focal_loss(2.0), 2)
    # bagging_fraction without bagging_freq (0 by default) bags nothing
    no_freq = {**_BASE_SMALL, "boosting": "rf", "bagging_fraction": 0.5}
    with pytest.raises(lgb.basic.LightGBMError):
        lgb.train({**no_freq, "objective": "binary"}, lgb.Dataset(X, y), 2)
    with pytest.raises(ValueError, match=r"^boosting='rf' needs bagging"):
        flgb.train(no_freq, lgb.Dataset(X, y), focal_loss(2.0), 2)
    # a forest is one model: it continues none (as it takes no validation data)
    start = flgb.train(_BASE_SMALL, lgb.Dataset(X, y), focal_loss(2.0), 2)
    with pytest.raises(ValueError, match="takes no validation data.*init_model"):
        flgb.train(rf, lgb.Dataset(X, y), focal_loss(2.0), 2, init_model=start)


@pytest.mark.parametrize("free_raw_data", [True, False])
def test_linear_tree_infinite_values_are_refused_with_a_validation_subset(free_raw_data):
    # the validation subset's build built the training set first, after which its rows
    # were gone and the check passed: the run failed on NaN margins, with a message
    # that named start margins first
    X, y = make_classification(n_samples=600, n_features=5, n_informative=3, random_state=0)
    X[0, 0] = np.inf
    ds = lgb.Dataset(X, y, free_raw_data=free_raw_data)
    with pytest.raises(ValueError, match=r"^linear_tree=True takes no infinite feature "
                                         r"values, and the training data has some in 1 "):
        flgb.train({"verbose": -1, "linear_tree": True}, ds, ce_loss(), 3,
                   valid_sets=[ds.subset(list(range(100)))])


@pytest.mark.parametrize("value, bad", [("[0,-1]", -1), ("[0,12]", 12), ("[0, 1], [2, 10]", 10)])
def test_interaction_constraints_written_as_text_are_read_as_lightgbm_reads_them(value, bad):
    # signs and indices of several digits as LightGBM's configuration reads them
    rng = np.random.default_rng(0)
    X = rng.normal(size=(500, 5))
    y = (X[:, 0] > 0).astype(int)
    with pytest.raises(ValueError, match=rf"names feature index\(es\) \[{bad}\], but the "
                                         r"data has 5 feature\(s\)"):
        flgb.train({"verbose": -1, "interaction_constraints": value}, lgb.Dataset(X, y),
                   ce_loss(), 3)


def test_interaction_constraints_are_checked_only_where_lightgbm_reads_indices(tmp_path):
    # the training parameters' win over the Dataset's, as in lgb.train; a Dataset from a
    # file has no columns to count before it is built; a value that is no list of lists
    # is LightGBM's to read (it trains on it)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(500, 5))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    given = {"verbose": -1, "interaction_constraints": [[0, 1]]}
    plain = lgb.train({**given, "objective": "binary"},
                      lgb.Dataset(X, y, params={"interaction_constraints": [[0, 9]]}), 3)
    booster = flgb.train(given, lgb.Dataset(X, y, params={"interaction_constraints": [[0, 9]]}),
                         ce_loss(), 3)
    assert set(np.flatnonzero(booster.feature_importance())) <= {0, 1}
    assert set(np.flatnonzero(plain.feature_importance())) <= {0, 1}
    lgb.Dataset(X, y).save_binary(tmp_path / "train.bin")
    booster = flgb.train(given, lgb.Dataset(str(tmp_path / "train.bin")), ce_loss(), 3)
    assert set(np.flatnonzero(booster.feature_importance())) <= {0, 1}
    lgb.train({"verbose": -1, "objective": "binary", "interaction_constraints": 5},
              lgb.Dataset(X, y), 3)
    flgb.train({"verbose": -1, "interaction_constraints": 5}, lgb.Dataset(X, y), ce_loss(), 3)


def test_resolve_aliases_gives_main_names_but_categorical_features_as_spelled():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert flgb.resolve_aliases({"max_bins": 63, "cat_feature": [1], "nthread": 2}) == {
            "max_bin": 63, "cat_feature": [1], "num_threads": 2}


def test_interaction_constraints_of_floats_are_read_as_lightgbm_reads_them():
    # LightGBM reads 9.0 (and 9.5) as feature 9: such an index went unchecked (trees
    # split on feature 4, which no constraint names, and a run crashed); 4.0 is feature 4
    rng = np.random.default_rng(0)
    X = rng.normal(size=(500, 5))
    y = (X[:, 0] + X[:, 4] > 0).astype(int)
    for value in ([[0, 9.0]], [[0, np.float32(9.5)]], [["0", "9.0"]], "[0,9.5]"):
        with pytest.raises(ValueError, match=r"names feature index\(es\) \[9\]"):
            flgb.train({"verbose": -1, "interaction_constraints": value}, lgb.Dataset(X, y),
                       ce_loss(), 3)
    for value in ([[0, 4.0]], "[0,4.5]"):
        ours = flgb.train({"verbose": -1, "interaction_constraints": value},
                          lgb.Dataset(X, y), ce_loss(), 3)
        assert set(np.flatnonzero(ours.feature_importance())) <= {0, 4}
    # a value LightGBM reads its own way (a group within a group) is left to it
    flgb.train({"verbose": -1, "interaction_constraints": [[0, [1, 2]]]}, lgb.Dataset(X, y),
               ce_loss(), 3)


def test_linear_tree_infinite_values_of_a_built_dataset_that_kept_its_rows_are_refused():
    X, y = make_classification(n_samples=600, n_features=5, n_informative=3, random_state=0)
    X[0, 0] = np.inf
    ds = lgb.Dataset(X, y, params={"linear_tree": True, "verbose": -1},
                     free_raw_data=False).construct()
    with pytest.raises(ValueError, match=r"^linear_tree=True takes no infinite feature "):
        flgb.train({"verbose": -1, "linear_tree": True}, ds, ce_loss(), 3)


def test_a_none_linear_tree_gives_way_to_a_datasets_alias_as_in_lgb_train():
    # the training parameters' linear_tree=None over a Dataset's linear_trees=True: None
    # is no value, and lgb.train grows linear trees; train refuses what it refuses
    # with linear_tree (here keep_training_booster=True)
    X, y = _xy()
    plain = lgb.train({**_BASE_SMALL, "objective": "binary", "linear_tree": None},
                      lgb.Dataset(X, y, params={"linear_trees": True}), 2)
    assert "[linear_tree: 1]" in plain.model_to_string()
    with pytest.raises(ValueError, match="keep_training_booster=True with linear_tree"):
        flgb.train({**_BASE_SMALL, "linear_tree": None},
                   lgb.Dataset(X, y, params={"linear_trees": True}), focal_loss(2.0), 3,
                   keep_training_booster=True)


def test_param_value_lets_a_none_spelling_give_way_as_resolve_aliases_does():
    params = {"num_leaves": None, "max_leaves": 4}
    assert flgb.resolve_aliases(params) == {"num_leaves": 4}
    assert flgb.param_value(params, "num_leaves", 31) == 4
    assert flgb.param_value(params, "max_leaves", 31) == 4
    # all None: None (a value left unset), the spelling that wins kept for a Dataset's
    assert flgb.param_value({"num_leaves": None, "max_leaves": None}, "num_leaves", 31) is None
    assert flgb.param_value({}, "num_leaves", 31) == 31
    assert flgb.resolve_aliases({"categorical_column": None, "cat_feature": None}) == {
        "cat_feature": None}


def test_spellings_are_weighed_by_name_not_by_the_order_given_or_asked_for():
    # LightGBM's KeyAliasTransform: the main name, else the shortest alias, else the
    # alphabetically first (max_leaf over num_leaf, both 8 letters), whichever comes
    # first and whichever spelling param_value is asked for
    X, y = _xy()
    for params in ({"num_leaf": 3, "max_leaf": 5}, {"max_leaf": 5, "num_leaf": 3}):
        plain = lgb.train({**_BASE_SMALL, "objective": "binary", **params},
                          lgb.Dataset(X, y), 1)
        assert "[num_leaves: 5]" in plain.model_to_string()
        with pytest.warns(UserWarning, match="num_leaf=3 ignored: LightGBM takes max_leaf=5"):
            assert flgb.resolve_aliases(params) == {"num_leaves": 5}
        assert flgb.param_value(params, "num_leaves", 31) == 5
    for params in ({"num_leaves": 8, "max_leaves": 4}, {"max_leaves": 4, "num_leaves": 8}):
        assert flgb.param_value(params, "max_leaves", 31) == 8
        assert flgb.param_value(params, "num_leaves", 31) == 8
    # a value given once is no clash, though it has no single truth (an array)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        constraints = np.array([1, -1, 0])
        assert flgb.resolve_aliases({"monotone_constraints": constraints}) == {
            "monotone_constraints": constraints}


def test_no_split_advice_names_min_data_in_leaf_at_gamma_above_0():
    # LightGBM counts a side's rows by its share of the Hessian sum: on 40 rows the
    # focal Hessians of well-fitted rows count too few for min_data_in_leaf's default 20
    # (LGBMClassifier splits there), which the advice left out, naming only the
    # Hessian floor, whose lowering changed nothing
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    y = (X[:, 0] > 1.0).astype(int)  # 8 positives
    params = {"verbose": -1, "num_iterations": 20}
    with pytest.warns(UserWarning, match=r"the model has no split: .*LightGBM counts a leaf's "
                                         r"rows by its share of the Hessian sum, .* "
                                         r"min_data_in_leaf \(min_child_samples\)=20 can "
                                         r"stop every split on few rows; lower it"):
        flgb.train({**params, "min_sum_hessian_in_leaf": 1e-12}, lgb.Dataset(X, y),
                   focal_loss(2.0))
    lowered = flgb.train({**params, "min_data_in_leaf": 15}, lgb.Dataset(X, y), focal_loss(2.0))
    assert lowered.dump_model()["tree_info"][0]["num_leaves"] > 1  # the advice mends it
    # at gamma 0 the default is no reason (the logistic Hessians count as LightGBM's)
    assert "min_data_in_leaf" not in _no_split_advice({}, 0.0)
    assert "min_data_in_leaf (min_child_samples)=30 can stop every split" in \
        _no_split_advice({"min_data_in_leaf": 30}, 0.0)


def test_no_split_advice_names_min_data_in_leaf_once_and_only_above_0():
    # at gamma 0 LightGBM's default 20 given explicitly is no reason; at gamma > 0 the
    # Hessian-share reason alone names it (not twice), and 0 rows is no reason at all
    assert "min_data_in_leaf" not in _no_split_advice({"min_data_in_leaf": 20}, 0.0)
    assert _no_split_advice({"min_data_in_leaf": 30}, 2.0).count("min_data_in_leaf") == 1
    assert "min_data_in_leaf" not in _no_split_advice({"min_data_in_leaf": 0}, 2.0)
