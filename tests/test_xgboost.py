"""Tests of the native XGBoost adapter (focal_boost.xgboost)."""

from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys
import warnings

import numpy as np
import pytest

xgb = pytest.importorskip("xgboost")

from scipy.special import expit, logit, softmax  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402
from sklearn.metrics import log_loss  # noqa: E402

import focal_boost.xgboost as fx  # noqa: E402
from focal_boost import ce_loss, focal_loss  # noqa: E402

# One thread: on a busy two-core machine OpenMP threads contend and training slows a lot.
PARAMS = {"nthread": 1, "max_depth": 3, "eta": 0.3, "seed": 0}


def _split(X, y, n_train):
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]


@pytest.fixture(scope="module")
def binary():
    X, y = make_classification(
        3000, 8, n_informative=5, weights=[0.85], flip_y=0.05, random_state=0
    )
    return _split(X, y, 2000)


@pytest.fixture(scope="module")
def multi():
    X, y = make_classification(
        3000, 8, n_informative=5, n_classes=3, weights=[0.6, 0.3], random_state=1
    )
    return _split(X, y, 2000)


def _base_score(booster) -> list[float]:
    cfg = json.loads(booster.save_config())
    return json.loads(cfg["learner"]["learner_model_param"]["base_score"])


# ------------------------------------------------------------------ import
def test_import_focal_boost_does_not_import_xgboost():
    code = "import sys, focal_boost; assert 'xgboost' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


# ------------------------------------------------------- built-in equivalence
@pytest.mark.parametrize("start", ["prior", "zero"])
def test_binary_ce_reproduces_builtin_logistic(binary, start):
    """gamma=0 through train() == binary:logistic, both from the same starting margin.

    "prior": ours init_score="auto" (the weighted log-odds of the training labels)
    against the built-in with base_score = the positive rate (probability space).
    "zero": ours init_score=None (margin 0) against the built-in with base_score=0.5.
    """
    Xtr, ytr, Xte, _ = binary
    dtrain = xgb.DMatrix(Xtr, label=ytr)
    init, base = ("auto", float(ytr.mean())) if start == "prior" else (None, 0.5)
    ours = fx.train(PARAMS, dtrain, ce_loss(), 30, init_score=init)
    builtin = xgb.train({**PARAMS, "objective": "binary:logistic", "base_score": base},
                        dtrain, 30)
    np.testing.assert_allclose(_base_score(ours), [logit(base)], atol=1e-6)
    p_ours = fx.predict_proba(ours, Xte)
    p_builtin = builtin.predict(xgb.DMatrix(Xte))
    assert p_ours.shape == (len(Xte),)
    assert np.abs(p_ours - p_builtin).max() <= 1e-5


def test_multiclass_ce_reproduces_builtin_softprob(multi):
    """gamma=0 multiclass == multi:softprob with the same parameters.

    The objective hands XGBoost the softmax Hessian doubled, 2*p*(1-p), as
    multi:softprob does (the exact diagonal is p*(1-p)), so eta, lambda and
    min_child_weight mean the same and the models agree to float precision. Both
    start from the centred log class priors (ours: init_score="auto"; the
    built-in estimates the same intercept).
    """
    Xtr, ytr, Xte, yte = multi
    dtrain = xgb.DMatrix(Xtr, label=ytr)
    ours = fx.train({**PARAMS, "num_class": 3}, dtrain, ce_loss(), 30)
    builtin = xgb.train({**PARAMS, "objective": "multi:softprob", "num_class": 3}, dtrain, 30)
    grad, hess = fx.objective(ce_loss())(np.zeros((len(ytr), 3), np.float32), dtrain)
    np.testing.assert_allclose(hess, 2 * (1 / 3) * (2 / 3))
    # The built-in estimates the log priors in float32: a few 1e-6 apart.
    np.testing.assert_allclose(_base_score(ours), _base_score(builtin), atol=2e-5)
    p_ours = fx.predict_proba(ours, Xte)
    p_builtin = builtin.predict(xgb.DMatrix(Xte))
    assert p_ours.shape == (len(Xte), 3)
    assert np.abs(p_ours - p_builtin).max() <= 1e-5
    ll_ours, ll_builtin = log_loss(yte, p_ours), log_loss(yte, p_builtin)
    assert abs(ll_ours - ll_builtin) <= 1e-3 * ll_builtin


# ---------------------------------------------------------------- objective
def test_objective_applies_weights_and_keeps_predt():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 50)
    w = rng.uniform(0.5, 3.0, 50).astype(np.float32)  # a DMatrix stores float32 weights
    predt = rng.normal(size=(50, 3)).astype(np.float32)
    before = predt.copy()
    loss = focal_loss(2.0, [0.2, 0.5, 0.3])
    grad_w, hess_w = fx.objective(loss)(predt, xgb.DMatrix(np.zeros((50, 1)), label=y, weight=w))
    grad, hess = fx.objective(loss)(predt, xgb.DMatrix(np.zeros((50, 1)), label=y))
    np.testing.assert_array_equal(predt, before)
    assert grad.shape == hess.shape == (50, 3)
    # Plain pickle works (process pools, dask workers get the callable itself).
    again = pickle.loads(pickle.dumps(fx.objective(loss)))
    np.testing.assert_array_equal(again(predt, xgb.DMatrix(np.zeros((50, 1)), label=y))[0], grad)
    assert pickle.loads(pickle.dumps(fx.metric(loss))).loss == loss
    # float32, as XGBoost keeps gradient pairs: the float64 values rounded once (the
    # Hessian with multi:softprob's scale 2 before rounding)
    assert grad_w.dtype == hess_w.dtype == np.float32
    g64, h64 = loss(y, predt, w)
    np.testing.assert_array_equal(grad_w, g64.astype(np.float32))
    np.testing.assert_array_equal(hess_w, (2.0 * h64).astype(np.float32))
    np.testing.assert_allclose(grad_w, w[:, None] * grad, rtol=1e-6)
    np.testing.assert_allclose(hess_w, w[:, None] * hess, rtol=1e-6)
    # Binary: (n,) in, (n,) out, the values of the loss itself.
    yb = (y == 1).astype(float)
    z = predt[:, 0]
    g, h = fx.objective(loss := focal_loss(2.0, 0.25))(z, xgb.DMatrix(np.zeros((50, 1)), label=yb))
    assert g.shape == (50,)
    np.testing.assert_array_equal(g, loss(yb, z)[0].astype(np.float32))
    np.testing.assert_array_equal(h, loss(yb, z)[1].astype(np.float32))


def test_training_does_not_mutate_predt(binary):
    Xtr, ytr, _, _ = binary
    inner = fx.objective(focal_loss(2.0))
    seen = []

    def spy(predt, dtrain):
        before = predt.copy()
        out = inner(predt, dtrain)
        seen.append(np.array_equal(predt, before))
        return out

    xgb.train({**PARAMS, "base_score": 0.0}, xgb.DMatrix(Xtr, label=ytr), 5, obj=spy)
    assert seen == [True] * 5


def test_integer_weights_equal_duplicated_rows(binary):
    Xtr, ytr, Xte, _ = binary
    X, y = Xtr[:600], ytr[:600]
    w = np.random.default_rng(3).integers(1, 4, len(y))
    params = {**PARAMS, "tree_method": "exact"}  # no quantile sketch: same split candidates
    loss = focal_loss(2.0, 0.25)
    weighted = fx.train(params, xgb.DMatrix(X, label=y, weight=w.astype(float)), loss, 15)
    rows = np.repeat(np.arange(len(y)), w)
    duplicated = fx.train(params, xgb.DMatrix(X[rows], label=y[rows]), loss, 15)
    np.testing.assert_allclose(_base_score(weighted), _base_score(duplicated), atol=1e-6)
    np.testing.assert_allclose(
        fx.predict_margin(weighted, Xte), fx.predict_margin(duplicated, Xte), atol=1e-5
    )
    unweighted = fx.train(params, xgb.DMatrix(X, label=y), loss, 15)
    gap = fx.predict_margin(unweighted, Xte) - fx.predict_margin(weighted, Xte)
    assert np.abs(gap).max() > 1e-2


# ------------------------------------------------------------------ metric
def test_metric_is_weighted_mean_loss_and_minimised():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 3, 40)
    w = rng.uniform(0.1, 2.0, 40).astype(np.float32)  # a DMatrix stores float32 weights
    z = rng.normal(size=(40, 3)).astype(np.float32)
    loss = focal_loss(2.0, [1.0, 2.0, 0.5])
    name, value = fx.metric(loss)(z, xgb.DMatrix(np.zeros((40, 1)), label=y, weight=w))
    assert value == pytest.approx(np.average(loss.loss(y, z), weights=w), rel=1e-12)
    _, plain = fx.metric(loss)(z, xgb.DMatrix(np.zeros((40, 1)), label=y))
    assert plain == pytest.approx(loss.loss(y, z).mean(), rel=1e-12)
    assert value != pytest.approx(plain)
    # XGBoost's early stopping maximises names starting with these prefixes.
    assert not name.startswith(("auc", "aucpr", "map", "ndcg", "pre"))


def test_logged_metric_matches_predictions(binary):
    Xtr, ytr, Xte, yte = binary
    loss = focal_loss(2.0, 0.25)
    w = np.random.default_rng(2).uniform(0.5, 2.0, len(yte))
    dvalid = xgb.DMatrix(Xte, label=yte, weight=w)
    history: dict = {}
    booster = fx.train(PARAMS, xgb.DMatrix(Xtr, label=ytr), loss, 10,
                       evals=[(dvalid, "valid")], evals_result=history)
    logged = history["valid"][fx.METRIC_NAME]
    assert len(logged) == 10
    expected = np.average(loss.loss(yte, fx.predict_margin(booster, Xte)), weights=w)
    # full precision: XGBoost writes a custom metric's values with six decimals
    assert logged[-1] == pytest.approx(expected, rel=1e-7)  # (was 1e-5)


def test_early_stopping_sees_small_losses_at_full_precision():
    # A separable problem: the log-loss falls by ~2e-7 per round near 3.6e-05, which
    # six decimals (XGBoost's "%f" for custom metrics) logged as ties: ours stopped at
    # 212 where XGBClassifier, whose built-in metric keeps full precision, ran to 299
    rng = np.random.default_rng(0)
    X = rng.choice([-1.0, 1.0], size=(2000, 1))
    y = (X[:, 0] > 0).astype(int)
    kw = {"n_estimators": 300, "min_child_weight": 0, "n_jobs": 1, "eval_metric": "logloss",
          "early_stopping_rounds": 5}
    plain = xgb.XGBClassifier(**kw).fit(X[:1000], y[:1000], eval_set=[(X[1000:], y[1000:])],
                                        verbose=False)
    from focal_boost import FocalXGBClassifier

    ours = FocalXGBClassifier(gamma=0, init_score=float(logit(plain.intercept_[0])), **kw)
    ours.fit(X[:1000], y[:1000], eval_set=[(X[1000:], y[1000:])])
    assert ours.best_iteration_ == plain.best_iteration == 299
    np.testing.assert_allclose(ours.evals_result_["validation_0"]["logloss"],
                               plain.evals_result()["validation_0"]["logloss"], rtol=1e-2)
    history: dict = {}
    booster = fx.train({"nthread": 1, "min_child_weight": 0}, xgb.DMatrix(X[:1000], y[:1000]),
                       ce_loss(), 300, evals=[(xgb.DMatrix(X[1000:], y[1000:]), "v")],
                       early_stopping_rounds=5, evals_result=history, verbose_eval=False)
    assert booster.best_iteration == 299 and min(history["v"][fx.METRIC_NAME]) < 1e-4


def test_early_stopping_follows_the_eval_metric_as_xgb_train():
    # XGBoost evaluates the focal loss (a custom metric) after params' eval_metric, and
    # early stopping follows the last metric: it stopped on the focal loss (round 64 for
    # xgb.train's 70), and maximize=True, meant for the AUC, maximised the focal loss
    from focal_boost import xgboost as fx

    X, y = make_classification(1500, 8, n_informative=4, weights=[0.9], random_state=0)
    dtr, dva = xgb.DMatrix(X[:900], label=y[:900]), xgb.DMatrix(X[900:1200], label=y[900:1200])
    params = {"eval_metric": "auc", "max_depth": 4, "eta": 0.1}
    for kw in ({}, {"maximize": True}):
        want = xgb.train({"objective": "binary:logistic", **params}, dtr, 500,
                         evals=[(dva, "valid")], early_stopping_rounds=20,
                         verbose_eval=False, **kw)
        got = fx.train(params, dtr, focal_loss(0.0), 500, evals=[(dva, "valid")],
                       early_stopping_rounds=20, verbose_eval=False, **kw)
        assert got.best_iteration == want.best_iteration
        assert got.best_score == pytest.approx(want.best_score, rel=1e-6)
    # a caller's EarlyStopping naming no metric follows it too (save_best: as many trees
    # kept), and the round that stops is printed, as xgb.train orders the log's printer
    import contextlib
    import io

    for save_best in (False, True):
        want, got = (train(params, dtr, *loss, 300, evals=[(dva, "valid")], verbose_eval=False,
                           callbacks=[xgb.callback.EarlyStopping(rounds=20, save_best=save_best)])
                     for train, loss in ((lambda p, *a, **k: xgb.train(
                         {"objective": "binary:logistic", **p}, *a, **k), ()),
                                         (fx.train, (focal_loss(0.0),))))
        assert got.best_iteration == want.best_iteration
        assert got.num_boosted_rounds() == want.num_boosted_rounds()
    logs = []
    for train, loss in ((xgb.train, ()), (fx.train, (focal_loss(0.0),))):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            train({**params, **({} if loss else {"objective": "binary:logistic"})}, dtr, *loss,
                  500, evals=[(dva, "valid")], early_stopping_rounds=20, verbose_eval=10)
        logs.append([line.split("\t")[0] for line in out.getvalue().splitlines()])
    assert logs[0] == logs[1]
    # the caller's own callback object is the one training updates, as with xgb.train
    stop = xgb.callback.EarlyStopping(rounds=20)
    fx.train(params, dtr, focal_loss(0.0), 300, evals=[(dva, "valid")], verbose_eval=False,
             callbacks=[stop])
    assert stop.current_rounds == 20 and stop.maximize and stop.metric_name is None
    with pytest.raises(ValueError, match="maximize=True: early stopping follows the focal"):
        fx.train({}, dtr, focal_loss(2.0), 50, evals=[(dva, "valid")],
                 early_stopping_rounds=5, verbose_eval=False, maximize=True)


def test_xgboost_unnamed_early_stopping_callback_follows_the_last_eval_metric():
    # xgb.train's EarlyStopping without metric_name follows the last metric of the log;
    # ours the last of params' eval_metric (the focal loss logged after it)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, 5))
    y = (X[:, 0] + rng.normal(size=600) > 1).astype(np.float64)
    dtrain, dvalid = xgb.DMatrix(X[:400], label=y[:400]), xgb.DMatrix(X[400:], label=y[400:])
    params = {"eval_metric": ["auc", "aucpr"], "max_depth": 2, "eta": 0.3, "seed": 0}
    for plain in (False, True):
        log: dict = {}
        args = ({**params, "objective": "binary:logistic"}, dtrain, 60) if plain else (
            params, dtrain, focal_loss(2.0), 60)
        booster = (xgb.train if plain else fx.train)(
            *args, evals=[(dvalid, "v")], callbacks=[xgb.callback.EarlyStopping(rounds=3)],
            evals_result=log, verbose_eval=False)
        best = booster.best_iteration
        assert booster.num_boosted_rounds() < 60  # it stopped
        assert booster.best_score == log["v"]["aucpr"][best] == max(log["v"]["aucpr"])
        assert log["v"]["auc"][best] != booster.best_score


def test_early_stopping_on_focal_metric():
    # Pure noise: the validation focal loss bottoms out within a few rounds.
    rng = np.random.default_rng(5)
    X = rng.normal(size=(1500, 5))
    y = (rng.random(1500) < 0.3).astype(int)
    dtrain = xgb.DMatrix(X[:1000], label=y[:1000])
    dvalid = xgb.DMatrix(X[1000:], label=y[1000:])
    history: dict = {}
    booster = fx.train({**PARAMS, "max_depth": 6, "eta": 1.0}, dtrain, focal_loss(2.0), 30,
                       evals=[(dvalid, "valid")], early_stopping_rounds=3,
                       evals_result=history)
    logged = np.array(history["valid"][fx.METRIC_NAME])
    assert booster.num_boosted_rounds() < 30
    assert booster.best_iteration == int(np.argmin(logged))
    assert booster.num_boosted_rounds() == booster.best_iteration + 4
    # predict_margin defaults to the best iteration.
    best = booster.predict(dvalid, output_margin=True,
                           iteration_range=(0, booster.best_iteration + 1))
    np.testing.assert_allclose(fx.predict_margin(booster, dvalid), best, rtol=1e-6)
    all_trees = fx.predict_margin(booster, dvalid, iteration_range=(0, 0))
    assert np.abs(all_trees - best).max() > 1e-3


def test_focal_metric_improves_over_rounds(binary):
    Xtr, ytr, Xte, yte = binary
    history: dict = {}
    fx.train(PARAMS, xgb.DMatrix(Xtr, label=ytr), focal_loss(2.0), 30,
             evals=[(xgb.DMatrix(Xtr, label=ytr), "train"), (xgb.DMatrix(Xte, label=yte), "valid")],
             evals_result=history)
    train_curve = np.array(history["train"][fx.METRIC_NAME])
    valid_curve = np.array(history["valid"][fx.METRIC_NAME])
    assert np.all(np.diff(train_curve) < 0)
    assert valid_curve[-1] < 0.75 * valid_curve[0]


@pytest.mark.parametrize("case", ["binary_float_alpha", "multiclass_sequence_alpha"])
def test_alpha_trains_without_nan(binary, multi, case):
    if case == "binary_float_alpha":
        (Xtr, ytr, Xte, yte), params, loss = binary, PARAMS, focal_loss(2.0, 0.25)
    else:
        (Xtr, ytr, Xte, yte), params, loss = multi, {**PARAMS, "num_class": 3}, focal_loss(
            2.0, [0.2, 0.5, 0.3])
    history: dict = {}
    booster = fx.train(params, xgb.DMatrix(Xtr, label=ytr), loss, 20,
                       evals=[(xgb.DMatrix(Xte, label=yte), "valid")], evals_result=history)
    margin = fx.predict_margin(booster, Xte)
    assert np.isfinite(margin).all()
    curve = history["valid"][fx.METRIC_NAME]
    assert np.isfinite(curve).all() and curve[-1] < curve[0]


# --------------------------------------------------------------- intercept
def test_auto_intercept_is_loss_init_score(binary, multi):
    loss = focal_loss(2.0, 0.25)
    Xtr, ytr, Xte, _ = binary
    booster = fx.train(PARAMS, xgb.DMatrix(Xtr, label=ytr), loss, 0)
    expected = loss.init_score(ytr)
    np.testing.assert_allclose(fx.predict_margin(booster, Xte), expected, rtol=1e-6)
    Xtr, ytr, Xte, _ = multi
    loss = focal_loss(2.0, [0.2, 0.5, 0.3])
    booster = fx.train({**PARAMS, "num_class": 3}, xgb.DMatrix(Xtr, label=ytr), loss, 0)
    expected = loss.init_score(ytr, n_classes=3)
    assert np.ptp(expected) > 0.1
    np.testing.assert_allclose(fx.predict_margin(booster, Xte[:5]), np.tile(expected, (5, 1)),
                               atol=1e-6)


def test_explicit_and_zero_intercept(binary, multi):
    Xtr, ytr, Xte, _ = binary
    dtrain = xgb.DMatrix(Xtr, label=ytr)
    for init, expected in [(-1.25, -1.25), (None, 0.0), (np.float32(0.5), 0.5)]:
        booster = fx.train(PARAMS, dtrain, focal_loss(), 0, init_score=init)
        np.testing.assert_allclose(fx.predict_margin(booster, Xte[:3]), expected, atol=1e-7)
    Xtr, ytr, Xte, _ = multi
    booster = fx.train({**PARAMS, "num_class": 3}, xgb.DMatrix(Xtr, label=ytr), focal_loss(), 0,
                       init_score=[0.5, -1.0, 0.25])
    np.testing.assert_allclose(fx.predict_margin(booster, Xte[:2]), [[0.5, -1.0, 0.25]] * 2)


def test_two_class_softmax_intercept_matches_binary(binary):
    Xtr, ytr, Xte, _ = binary
    loss = focal_loss(2.0, 0.25)
    booster = fx.train({**PARAMS, "num_class": 2}, xgb.DMatrix(Xtr, label=ytr), loss, 0)
    proba = fx.inverse_link(booster, Xte[:3])
    assert proba.shape == (3, 2)
    np.testing.assert_allclose(proba[:, 1], expit(loss.init_score(ytr)), rtol=1e-6)
    # The posterior of the best constant is the class frequency.
    np.testing.assert_allclose(fx.predict_proba(booster, Xte[:3])[:, 1], ytr.mean(), rtol=1e-5)


@pytest.mark.parametrize("num_class", [None, 3])
def test_intercept_survives_save_load_and_pickle(binary, multi, tmp_path, num_class):
    Xtr, ytr, Xte, _ = binary if num_class is None else multi
    params = PARAMS if num_class is None else {**PARAMS, "num_class": num_class}
    loss = focal_loss(2.0, 0.25 if num_class is None else [0.2, 0.5, 0.3])
    booster = fx.train(params, xgb.DMatrix(Xtr, label=ytr), loss, 5)
    expected = fx.predict_margin(booster, Xte)
    init = loss.init_score(ytr, n_classes=num_class or 2)
    np.testing.assert_allclose(np.ravel(_base_score(booster)), np.ravel(init), atol=1e-6)
    copies = [pickle.loads(pickle.dumps(booster))]
    for ext in ("json", "ubj"):
        path = tmp_path / f"model.{ext}"
        booster.save_model(path)
        copies.append(xgb.Booster(model_file=path))
    copies.append(xgb.Booster(model_file=booster.save_raw()))
    for copy in copies:
        np.testing.assert_array_equal(fx.predict_margin(copy, Xte), expected)
        np.testing.assert_allclose(np.ravel(_base_score(copy)), np.ravel(init), atol=1e-6)


def test_base_margin_replaces_intercept(binary):
    Xtr, ytr, Xte, _ = binary
    offset = np.full(len(ytr), 0.7)
    dtrain = xgb.DMatrix(Xtr, label=ytr, base_margin=offset)
    booster = fx.train(PARAMS, dtrain, focal_loss(), 3)
    assert _base_score(booster) == [0.0]
    with_offset = fx.predict_margin(booster, xgb.DMatrix(Xte, base_margin=np.full(len(Xte), 0.7)))
    np.testing.assert_allclose(with_offset - fx.predict_margin(booster, Xte), 0.7, atol=1e-5)
    with pytest.raises(ValueError, match="base_margin"):
        fx.train(PARAMS, dtrain, focal_loss(), 1, init_score=-1.0)


def test_continued_training_keeps_intercept(binary):
    Xtr, ytr, Xte, _ = binary
    dtrain = xgb.DMatrix(Xtr, label=ytr)
    loss = focal_loss(2.0, 0.25)
    first = fx.train(PARAMS, dtrain, loss, 5)
    more = fx.train(PARAMS, dtrain, loss, 5, xgb_model=first)
    assert more.num_boosted_rounds() == 10
    np.testing.assert_allclose(_base_score(more), _base_score(first))
    np.testing.assert_allclose(fx.predict_margin(more, Xte, iteration_range=(0, 5)),
                               fx.predict_margin(first, Xte), rtol=1e-6)
    with pytest.raises(ValueError, match="xgb_model"):
        fx.train(PARAMS, dtrain, loss, 1, xgb_model=first, init_score=0.0)


# -------------------------------------------------------------- predictions
def test_predict_inputs_and_shapes(multi):
    Xtr, ytr, Xte, _ = multi
    booster = fx.train({**PARAMS, "num_class": 3}, xgb.DMatrix(Xtr, label=ytr), focal_loss(), 5)
    from_array = fx.predict_margin(booster, Xte)
    assert from_array.shape == (len(Xte), 3) and from_array.dtype == np.float64
    np.testing.assert_allclose(fx.predict_margin(booster, xgb.DMatrix(Xte)), from_array)
    np.testing.assert_allclose(fx.predict_margin(booster, Xte[:4].tolist()), from_array[:4])
    assert fx.predict_margin(booster, Xte[:1]).shape == (1, 3)
    np.testing.assert_allclose(fx.inverse_link(booster, Xte), softmax(from_array, axis=1))
    proba = fx.predict_proba(booster, Xte)
    np.testing.assert_allclose(proba, focal_loss().predict_proba(from_array))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    # Booster.predict alone gives argmax labels here, not margins.
    assert booster.predict(xgb.DMatrix(Xte)).shape == (len(Xte),)


# --------------------------------------------------------------- validation
def test_params_not_mutated_and_rejected_keys(binary):
    Xtr, ytr, _, _ = binary
    dtrain = xgb.DMatrix(Xtr, label=ytr)
    params = {**PARAMS, "num_class": 2}
    snapshot = dict(params)
    fx.train(params, dtrain, focal_loss(), 1)
    assert params == snapshot
    for key, value in [("objective", "binary:logistic"), ("base_score", 0.5)]:
        with pytest.raises(ValueError, match=key):
            fx.train({**PARAMS, key: value}, dtrain, focal_loss(), 1)
    with pytest.raises(ValueError, match="num_class"):
        fx.train({**PARAMS, "num_class": -2}, dtrain, focal_loss(), 1)
    with pytest.raises(TypeError, match="num_class"):
        fx.train({**PARAMS, "num_class": 2.5}, dtrain, focal_loss(), 1)
    with pytest.raises(TypeError, match="obj"):
        fx.train(PARAMS, dtrain, focal_loss(), 1, obj=lambda p, d: (p, p))


def test_bad_arguments(binary):
    Xtr, ytr, _, _ = binary
    dtrain = xgb.DMatrix(Xtr, label=ytr)
    with pytest.raises(TypeError, match="loss"):
        fx.train(PARAMS, dtrain, "focal", 1)
    with pytest.raises(TypeError, match="loss"):
        fx.objective(lambda y, p: (p, p))
    with pytest.raises(TypeError, match="dtrain"):
        fx.train(PARAMS, Xtr, focal_loss(), 1)
    with pytest.raises(ValueError, match="init_score"):
        fx.train(PARAMS, dtrain, focal_loss(), 1, init_score="prior")
    with pytest.raises(ValueError, match="init_score"):
        fx.train(PARAMS, dtrain, focal_loss(), 1, init_score=[0.0, 1.0])
    with pytest.raises(ValueError, match="init_score"):
        fx.train(PARAMS, dtrain, focal_loss(), 1, init_score=np.nan)
    with pytest.raises(ValueError, match="init_score"):
        fx.train({**PARAMS, "num_class": 3}, xgb.DMatrix(Xtr, label=ytr % 3), focal_loss(), 1,
                 init_score=[0.0, 1.0])
    with pytest.raises(TypeError, match="init_score"):
        fx.train(PARAMS, dtrain, focal_loss(), 1, init_score=True)
    with pytest.raises(ValueError, match="scale_pos_weight.*alpha"):
        fx.train({**PARAMS, "scale_pos_weight": 10}, dtrain, focal_loss(), 1)
    with pytest.raises(TypeError, match="booster"):
        fx.predict_margin(object(), Xtr)
    # a length-1 intercept is a binary one, as in focal_boost.lightgbm
    one = fx.train(PARAMS, dtrain, focal_loss(), 0, init_score=[0.3])
    np.testing.assert_allclose(fx.predict_margin(one, Xtr[:3]), 0.3, rtol=1e-6)


def test_user_custom_metric_replaces_focal_metric(binary):
    Xtr, ytr, Xte, yte = binary
    history: dict = {}

    def error_rate(predt, dmat):
        return "err", float(np.mean((predt > 0) != dmat.get_label()))

    fx.train(PARAMS, xgb.DMatrix(Xtr, label=ytr), focal_loss(), 3,
             evals=[(xgb.DMatrix(Xte, label=yte), "valid")], evals_result=history,
             custom_metric=error_rate)
    assert list(history["valid"]) == ["err"]


class _CountingDMatrix(xgb.DMatrix):
    """A DMatrix that counts how often its labels and weights are read."""

    reads = 0

    def get_label(self):
        type(self).reads += 1
        return super().get_label()


def test_training_run_reads_each_dmatrix_labels_once(binary):
    # XGBoost copies labels out at every get_label; a run asks every round
    Xtr, ytr, Xte, yte = binary
    w = np.linspace(0.5, 2.0, len(ytr))
    dtrain = _CountingDMatrix(Xtr, label=ytr, weight=w)
    dvalid = _CountingDMatrix(Xte, label=yte)
    history: dict = {}
    booster = fx.train(PARAMS, dtrain, focal_loss(2, 0.25), 10,
                       evals=[(dtrain, "train"), (dvalid, "valid")], evals_result=history)
    # once per DMatrix: for the intercept and every round's objective and metric
    assert _CountingDMatrix.reads == 2
    # the values are those of labels read every round (the public callables do)
    loss = focal_loss(2, 0.25)
    margins = booster.predict(dvalid, output_margin=True)
    assert history["valid"]["focal_loss"][-1] == pytest.approx(
        fx.metric(loss)(margins, dvalid)[1], rel=1e-5)  # XGBoost logs 6 digits


def test_dmatrix_labels_take_the_arrays_a_dmatrix_was_built_from(binary):
    Xtr, ytr, _, _ = binary
    y = ytr.astype(np.float32)
    w = np.linspace(0.5, 2.0, len(y))
    dtrain = _CountingDMatrix(Xtr, label=y, weight=w)
    reads = _CountingDMatrix.reads
    labels = fx.DMatrixLabels()
    labels.add(dtrain, y)
    got_y, got_w = labels(dtrain)
    assert got_y is y  # no copy read back from XGBoost
    np.testing.assert_array_equal(got_w, w.astype(np.float32))  # as XGBoost keeps them
    booster = fx.train(PARAMS, dtrain, focal_loss(2, 0.25), 5, labels=labels)
    assert _CountingDMatrix.reads == reads
    # the same model as a run that reads the labels from the DMatrix
    plain = fx.train(PARAMS, xgb.DMatrix(Xtr, label=ytr, weight=w), focal_loss(2, 0.25), 5)
    np.testing.assert_array_equal(booster.predict(xgb.DMatrix(Xtr)),
                                  plain.predict(xgb.DMatrix(Xtr)))
    with pytest.raises(ValueError, match="float32 labels dmat was built from"):
        labels.add(dtrain, ytr.astype(np.int64))
    with pytest.raises(ValueError, match=r"\(\d+ rows\)"):
        labels.add(dtrain, y[:-1])


def test_dmatrix_labels_memo():
    X = np.arange(12.0).reshape(6, 2)
    d = xgb.DMatrix(X, label=[0, 1, 0, 1, 1, 0], weight=np.arange(1.0, 7.0))
    labels = fx.DMatrixLabels()
    y, w = labels(d)
    np.testing.assert_array_equal(y, [0, 1, 0, 1, 1, 0])
    np.testing.assert_array_equal(w, np.arange(1.0, 7.0))
    assert labels(d)[0] is y  # read once
    assert fx.DMatrixLabels()(xgb.DMatrix(X, label=np.ones(6)))[1] is None  # no weights
    # a copy (Dask workers, pickled objectives) starts empty; entries go with the DMatrix
    assert len(pickle.loads(pickle.dumps(labels))._seen) == 0
    del d
    import gc

    gc.collect()
    assert len(labels._seen) == 0


def test_xgb_cv_with_the_objective_and_metric_as_with_binary_logistic():
    # README: xgb.cv takes objective(loss) / metric(loss) with the parameters of one's
    # own loop; at gamma 0 from margin 0 every fold's focal loss is binary:logistic's
    # log-loss from base_score 0.5, to XGBoost's float32 sums
    X, y = make_classification(800, 10, n_informative=3, flip_y=0.15, random_state=3)
    data, loss = xgb.DMatrix(X, y), focal_loss(0.0)
    ours = xgb.cv({"eta": 0.3, "base_score": 0.0, "disable_default_eval_metric": 1}, data,
                  20, nfold=4, seed=1, obj=fx.objective(loss), custom_metric=fx.metric(loss))
    plain = xgb.cv({"eta": 0.3, "objective": "binary:logistic", "base_score": 0.5,
                    "eval_metric": "logloss"}, data, 20, nfold=4, seed=1)
    assert list(ours.columns) == [c.replace("logloss", "focal_loss") for c in plain.columns]
    np.testing.assert_allclose(ours["test-focal_loss-mean"], plain["test-logloss-mean"],
                               rtol=0, atol=2e-6)


# ------------------------------------------------ arguments xgb.train takes or refuses
def test_num_class_0_and_obj_none_are_xgboost_defaults():
    # num_class 0 is XGBoost's default (a binary model's save_config says "0") and
    # obj=None xgb.train's: both were refused
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 4))
    y = (X[:, 0] + rng.normal(size=300) > 0.5).astype(int)
    d = xgb.DMatrix(X, label=y)
    plain = xgb.train({"num_class": 0, "objective": "binary:logistic", "max_depth": 3}, d, 3)
    ours = fx.train({"num_class": 0, "max_depth": 3}, d, focal_loss(0.0), 3, obj=None)
    np.testing.assert_allclose(fx.predict_proba(ours, X), plain.predict(d), atol=1e-6)
    with pytest.raises(ValueError, match=r"params\['num_class'\] must be >= 0, got -1"):
        fx.train({"num_class": -1}, d, focal_loss(0.0), 3)


@pytest.mark.parametrize(("make", "got"), [
    (lambda d: [("v", d)], "(str, DMatrix)"),
    (lambda d: [(np.ones((3, 4)), "v")], "(ndarray, str)"),
    (lambda d: [(d,)], "(DMatrix)"), (lambda d: [d], "DMatrix")])
def test_misshaped_evals_are_named(make, got):
    # xgb.train: "Invalid type for the `evals`" or a failed unpacking; ours failed inside
    # the label cache ("cannot create weak reference to 'str' object")
    d = xgb.DMatrix(np.ones((10, 4)), label=np.arange(10) % 2)
    with pytest.raises((TypeError, ValueError)):
        xgb.train({}, d, 2, evals=make(d))
    with pytest.raises(TypeError, match=rf"^evals\[0\] must be a \(DMatrix, name\) pair, "
                                        rf"got {re.escape(got)}$"):
        fx.train({}, d, focal_loss(2.0), 2, evals=make(d))


@pytest.mark.parametrize("objective", ["binary:logistic", "reg:logistic", "binary:logitraw",
                                       "reg:squarederror", "count:poisson", "reg:gamma",
                                       "reg:tweedie", "survival:cox", "multi:softprob"])
def test_start_margin_is_the_margin_of_a_model_that_learned_nothing(objective):
    # XGBoost keeps base_score as a probability (logistic) or a mean (log links): the
    # log-link ones were returned as margins (2.845 where the booster starts at 1.046)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    if objective.startswith(("multi", "binary")):
        y = rng.integers(0, 3 if objective.startswith("multi") else 2, 200)
    else:  # a probability (reg:logistic), a positive amount (log links) or any number
        y = rng.uniform(size=200) if objective == "reg:logistic" else rng.gamma(2.0, 1.0, 200)
    params = {"objective": objective, "eta": 0.0,
              **({"num_class": 3} if objective.startswith("multi") else {})}
    booster = xgb.train(params, xgb.DMatrix(X, y), 1)
    np.testing.assert_allclose(
        fx.start_margin(booster),
        booster.predict(xgb.DMatrix(X[:1]), output_margin=True).ravel(), atol=1e-6)


def test_an_estimator_passed_as_the_booster_is_refused_with_the_fix():
    X, y = make_classification(100, 4, random_state=0)
    model = xgb.XGBClassifier(n_estimators=2, nthread=1).fit(X, y)
    with pytest.raises(TypeError, match=r"booster must be an xgboost\.Booster, got "
                                        r"xgboost\.XGBClassifier: call its own "
                                        r"predict_proba\(X\), or pass its get_booster\(\)"):
        fx.predict_proba(model, X, focal_loss(2.0))
    # another library's Booster named with its library (was "got Booster")
    import lightgbm as lgb

    other = lgb.train({"verbose": -1}, lgb.Dataset(X, y), 2)
    with pytest.raises(TypeError, match=r"must be an xgboost\.Booster, got lightgbm\.Booster$"):
        fx.predict_proba(other, X, focal_loss(2.0))


# ------------------------------------------- found unpinned by mutation testing
def _binary_rows(n=200, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    return X, (X[:, 0] > 0).astype(int)


def test_label_matrix_with_num_class_is_refused_by_name():
    """A label matrix with params num_class is refused in the package's own words."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    Y = (rng.random((60, 3)) < 0.5).astype(float)
    with pytest.raises(ValueError, match="leave num_class out for multi-label"):
        fx.train({"num_class": 3}, xgb.DMatrix(X, Y), focal_loss(), 3)


def test_root_hessian_hint_uses_the_largest_output():
    """The no-split hint on the root Hessian is given only when even the output with
    the largest Hessian sum cannot split (a softmax output of a rare class can't)."""
    y = np.repeat([0, 1, 2], [180, 90, 30])
    X = np.ones((300, 2))  # constant features: the cause is the data, not the Hessians
    dtrain = xgb.DMatrix(X, y, weight=np.full(300, 6 / 300))
    with pytest.warns(UserWarning, match="no split") as caught:
        fx.train({"num_class": 3}, dtrain, focal_loss(0.0), 2)
    assert "Hessian sum" not in str(caught[0].message)


def test_zero_rounds_do_not_warn_of_no_split():
    """num_boost_round=0 gives a model without trees and no 'no split' warning."""
    X, y = _binary_rows()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        booster = fx.train({}, xgb.DMatrix(X, y), focal_loss(), 0)
    assert booster.num_boosted_rounds() == 0


def test_no_split_reads_reg_lambda_by_its_alias():
    """xgb.train's reg_lambda alias is read as lambda in the no-split warning."""
    X, y = make_classification(2000, 8, n_informative=5, random_state=0)
    with pytest.warns(UserWarning, match="no split: at gamma=50") as caught:
        fx.train({"reg_lambda": 0, "min_child_weight": 0}, xgb.DMatrix(X, y),
                 focal_loss(50.0), 10)
    assert "reg_lambda=1" not in str(caught[0].message)


def test_no_split_names_xgboost_gamma():
    """params gamma (XGBoost's min_split_loss) is named when it stops every split."""
    X, y = _binary_rows()
    with pytest.warns(UserWarning, match=r"no split: min_split_loss=10000.0 can stop"):
        fx.train({"gamma": 1e4}, xgb.DMatrix(X, y), focal_loss(0.0), 3)


def test_no_split_names_least_gain_only_without_other_cause():
    """The 'least split gain' sentence is left out where a setting is named instead."""
    X, y = _binary_rows()
    with pytest.warns(UserWarning, match="no split: focal Hessians") as caught:
        fx.train({"min_split_loss": 1e4}, xgb.DMatrix(X, y), focal_loss(2.0), 3)
    assert "least split gain" not in str(caught[0].message)


def test_used_early_stopping_callback_is_refused():
    """An EarlyStopping callback that kept an earlier run's history is refused."""
    X, y = _binary_rows()
    dtrain, dvalid = xgb.DMatrix(X[:150], y[:150]), xgb.DMatrix(X[150:], y[150:])
    callback = xgb.callback.EarlyStopping(rounds=2)
    fx.train({}, dtrain, focal_loss(), 5, evals=[(dvalid, "v")], callbacks=[callback],
               verbose_eval=False)
    with pytest.raises(ValueError, match="used in an earlier fit"):
        fx.train({}, dtrain, focal_loss(), 5, evals=[(dvalid, "v")], callbacks=[callback],
                   verbose_eval=False)


def test_estimator_leaves_callers_early_stopping_as_given():
    """An estimator trains with a copy of a plain EarlyStopping: it can be refitted."""
    from focal_boost import FocalXGBClassifier

    X, y = _binary_rows()
    callback = xgb.callback.EarlyStopping(rounds=2)
    clf = FocalXGBClassifier(n_estimators=5, callbacks=[callback], n_jobs=1)
    for _ in range(2):
        clf.fit(X[:150], y[:150], eval_set=[(X[150:], y[150:])], verbose=False)
    assert callback.stopping_history == {}
    assert callback.maximize is None


def test_label_column_given_to_dmatrixlabels_is_one_label_per_row():
    """DMatrixLabels.add takes an (n, 1) label as XGBoost reads it, one label per row:
    the class count crashed in np.bincount ("object too deep for desired array")."""
    X, y = _binary_rows(60)
    y = y.astype(np.float32)
    dtrain = xgb.DMatrix(X, y[:, None])
    labels = fx.DMatrixLabels()
    labels.add(dtrain, y[:, None])
    column = fx.train({}, dtrain, focal_loss(), 3, labels=labels)
    flat = fx.train({}, xgb.DMatrix(X, y), focal_loss(), 3)
    np.testing.assert_array_equal(column.predict(xgb.DMatrix(X)), flat.predict(xgb.DMatrix(X)))


def test_a_refresh_of_an_early_stopped_model_keeps_its_best_iteration():
    # process_type="update" adds no round: the best iteration is the model's still (it
    # was dropped as stale, predictions then used every tree: 0.17 off xgb.train's)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, 5))
    y = (X[:, 0] + rng.normal(size=600) > 1).astype(int)
    dtrain, dvalid = xgb.DMatrix(X[:400], y[:400]), xgb.DMatrix(X[400:], y[400:])
    loss = focal_loss(2.0)
    params = {"eta": 0.5, "max_depth": 3}
    stopped = fx.train(params, dtrain, loss, 200, evals=[(dvalid, "v")],
                         early_stopping_rounds=3, verbose_eval=False)
    rounds = stopped.num_boosted_rounds()
    assert stopped.best_iteration < rounds - 1
    refresh = {**params, "process_type": "update", "updater": "refresh"}
    ours = fx.train(refresh, dvalid, loss, rounds, xgb_model=stopped)
    plain = xgb.train(refresh, dvalid, rounds, obj=fx.objective(loss), xgb_model=stopped)
    assert ours.attr("best_iteration") == plain.attr("best_iteration") == str(
        stopped.best_iteration)
    np.testing.assert_array_equal(
        fx.predict_margin(ours, X),
        plain.predict(xgb.DMatrix(X), output_margin=True,
                      iteration_range=(0, stopped.best_iteration + 1)))


@pytest.mark.parametrize("objective", ["count:poisson", "binary:hinge", "reg:gamma"])
def test_probabilities_of_a_plain_model_of_another_link_are_refused(objective):
    # a Poisson or hinge model's predictions are no sigmoid of its margins: predict_proba
    # and inverse_link gave them as probabilities, 0.14 and 0.48 off booster.predict
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 4))
    y = (X[:, 0] > 0).astype(int) + (objective == "reg:gamma")
    booster = xgb.train({"objective": objective}, xgb.DMatrix(X, y), 3)
    message = (rf"^the booster's objective '{objective}' does not map its margins to "
               r"probabilities by the sigmoid or softmax")
    with pytest.raises(ValueError, match=message):
        fx.predict_proba(booster, X, focal_loss(0.0))
    with pytest.raises(ValueError, match=message):
        fx.inverse_link(booster, X)
    # a custom objective's model records reg:squarederror: taken
    custom = xgb.train({}, xgb.DMatrix(X, y > 0), 3, obj=fx.objective(focal_loss(2.0)))
    np.testing.assert_array_equal(fx.inverse_link(custom, X),
                                  expit(fx.predict_margin(custom, X)))


def test_a_start_beyond_float32_is_refused_by_name():
    # XGBoost holds base_score in float32: init_score=1e39 became inf, and the error
    # blamed non-finite margins, divergence, regularisation and alpha
    from focal_boost import FocalXGBClassifier

    X, y = _binary_rows()
    with pytest.raises(ValueError, match=r"^init_score \[1e\+39\] is beyond float32's range "
                                         r"\(3\.4e38\), in which XGBoost holds the start"):
        FocalXGBClassifier(n_estimators=2, init_score=1e39).fit(X, y)
    with pytest.raises(ValueError, match=r"^init_score \[1e\+300\] is beyond"):
        fx.train({}, xgb.DMatrix(X, y), focal_loss(2.0), 2, init_score=1e300)
    kept = FocalXGBClassifier(n_estimators=2, init_score=3e38).fit(X, y)
    assert np.isfinite(kept.decision_function(X)).all()


def test_renamed_features_mismatch_says_how_to_read_by_position():
    # the estimator names the booster's features f0, f1 where XGBoost refuses the
    # frame's names; the native predict_proba on that frame got XGBoost's mismatch alone
    import pandas as pd

    from focal_boost import FocalXGBClassifier

    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(200, 2)), columns=["a[0]", "b"])
    y = (X["a[0]"] > 0).astype(int)
    with pytest.warns(UserWarning, match="f0"):
        clf = FocalXGBClassifier(n_estimators=5).fit(X, y)
    booster = clf.get_booster()
    with pytest.raises(ValueError, match=r"(?s)feature_names mismatch.*names its features "
                                         r"f0, f1, \.\.\. .*pass validate_features=False"):
        fx.predict_proba(booster, X)
    np.testing.assert_array_equal(fx.predict_proba(booster, X, validate_features=False),
                                  clf.predict_proba(X)[:, 1])
    # names of the frame that differ from a booster's own are XGBoost's error alone
    named = fx.train({}, xgb.DMatrix(X.set_axis(["a", "b"], axis=1), y), focal_loss(), 2)
    with pytest.raises(ValueError, match="feature_names mismatch") as caught:
        fx.predict_proba(named, X.set_axis(["c", "d"], axis=1))
    assert "validate_features" not in str(caught.value)


# ---------------------------------------------------------------------------
# Behaviour of the adapter found unpinned by mutation testing of xgboost.py (each test
# fails on the changed code it was written against)
def _mutation_rows(seed=0, n=300, d=4):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = (X[:, 0] + rng.normal(size=n) > 0.5).astype(int)
    return X, y


def test_early_stopping_follows_the_last_of_several_eval_metrics_as_xgb_train():
    # xgb.train stops on the last metric of params["eval_metric"]; on these data "auc"
    # and "aucpr" stop at different rounds, so following the first one shows
    rng = np.random.default_rng(1)
    X = rng.normal(size=(400, 4))
    y = (X[:, 0] + rng.normal(size=400) * 1.5 > 1).astype(int)
    dtrain = xgb.DMatrix(X[:300], label=y[:300])
    dvalid = xgb.DMatrix(X[300:], label=y[300:])
    got = []
    for names in (["auc", "aucpr"], ["aucpr", "auc"]):
        params = {**PARAMS, "eval_metric": names}
        ours = fx.train(params, dtrain, ce_loss(), 50, evals=[(dvalid, "v")],
                        early_stopping_rounds=3, verbose_eval=False)
        plain = xgb.train({**params, "objective": "binary:logistic"}, dtrain, 50,
                          evals=[(dvalid, "v")], early_stopping_rounds=3, verbose_eval=False)
        assert ours.best_iteration == plain.best_iteration
        got.append(ours.best_iteration)
    assert got[0] != got[1]  # (the two metrics do stop apart here)


@pytest.mark.parametrize("stored", ['{"gamma": 2.0}',
                                    '{"gamma": 2.0, "alpha": null, "beta": 1}'])
def test_a_loss_attribute_of_other_keys_is_refused_as_damaged(stored):
    X, y = _mutation_rows()
    booster = fx.train(PARAMS, xgb.DMatrix(X, label=y), focal_loss(2.0), 2,
                       verbose_eval=False)
    booster.set_attr(**{fx.LOSS_ATTR: stored})
    with pytest.raises(ValueError, match=re.escape(
            f"the booster's attribute {fx.LOSS_ATTR}={stored!r} is not a focal loss this "
            "package wrote")):
        fx.stored_loss(booster)


def test_predict_proba_with_another_loss_than_the_stored_one_warns():
    X, y = _mutation_rows()
    booster = fx.train(PARAMS, xgb.DMatrix(X, label=y), focal_loss(2.0), 3,
                       verbose_eval=False)
    with pytest.warns(UserWarning, match="the booster was trained on"):
        other = fx.predict_proba(booster, X[:5], focal_loss(1.0))
    np.testing.assert_allclose(
        other, focal_loss(1.0).predict_proba(fx.predict_margin(booster, X[:5])))


def test_predict_proba_of_non_finite_margins_names_the_rows():
    X, y = _mutation_rows()
    booster = fx.train(PARAMS, xgb.DMatrix(X, label=y), focal_loss(2.0), 2,
                       verbose_eval=False)
    dmat = xgb.DMatrix(X[:3])
    dmat.set_base_margin(np.array([np.inf, np.nan, 1.0]))
    with pytest.raises(ValueError, match=re.escape(
            "the model's raw margins are NaN or infinite for 2 row(s) of X")):
        fx.predict_proba(booster, dmat)


def test_binary_infinite_margins_are_probabilities_0_and_1_as_in_xgbclassifier():
    """A gblinear model's float32 sum overflows to +-inf on huge feature values:
    XGBClassifier gives P(1) = 1 or 0 there (the sigmoid's limits), and so does ours,
    in the estimator and the native predict_proba (it refused them, blaming LightGBM's
    linear trees); a NaN margin is still refused, naming both linear models."""
    from sklearn.datasets import make_classification

    from focal_boost import FocalXGBClassifier

    X, y = make_classification(300, 4, random_state=0)
    ours = FocalXGBClassifier(booster="gblinear", n_estimators=10).fit(X, y)
    plain = xgb.XGBClassifier(booster="gblinear", n_estimators=10).fit(X, y)
    big = np.sign(ours.coef_.ravel()) * np.finfo(np.float32).max
    rows = np.vstack([big, -big, X[:1]])
    margins = ours.predict(rows, output_margin=True)
    assert margins[0] == np.inf and margins[1] == -np.inf
    # (XGBoost's float32 sigmoid of -inf is 3e-39)
    np.testing.assert_allclose(plain.predict_proba(rows[:2])[:, 1], [1.0, 0.0], atol=1e-30)
    proba = ours.predict_proba(rows)
    np.testing.assert_array_equal(proba[:2, 1], [1.0, 0.0])
    np.testing.assert_allclose(proba[2], ours.predict_proba(X[:1])[0])
    np.testing.assert_array_equal(ours.predict(rows[:2]), [1, 0])
    assert np.isfinite(ours.decision_function(rows)).all()
    np.testing.assert_array_equal(fx.predict_proba(ours.get_booster(), rows[:2], ours.loss_),
                                  [1.0, 0.0])
    dmat = xgb.DMatrix(rows[:1])
    dmat.set_base_margin(np.array([np.nan]))
    with pytest.raises(ValueError, match=r"NaN or infinite for 1 row\(s\) of X \(rows 0\): "
                                         r"linear models .*booster='gblinear'"):
        fx.predict_proba(ours.get_booster(), dmat, ours.loss_)


def test_multilabel_infinite_margins_are_probabilities_0_and_1_multiclass_refused():
    """Each label of a multi-label model is a sigmoid: a gblinear margin of +-inf gives
    P = 1 or 0 there, as in XGBClassifier (it was refused). A multiclass softmax of
    +-inf is NaN in XGBClassifier; ours refuses it naming the rows."""
    from sklearn.datasets import make_classification

    from focal_boost import FocalXGBClassifier

    X, y = make_classification(300, 4, n_informative=3, n_redundant=0, n_classes=3,
                               random_state=0)
    X = X / 100  # (coefficients large enough for float32 sums to overflow)
    Y = np.c_[y == 1, X[:, 1] > 0].astype(int)
    ours = FocalXGBClassifier(booster="gblinear", n_estimators=10).fit(X, Y)
    plain = xgb.XGBClassifier(booster="gblinear", n_estimators=10).fit(X, Y)
    big = np.zeros(4)  # label 0 to +-inf, label 1 finite
    big[0] = np.sign(ours.coef_[0, 0]) * np.finfo(np.float32).max
    rows = np.vstack([big, -big, X[:1]])
    margins = ours.predict(rows, output_margin=True)
    assert margins[0, 0] == np.inf and margins[1, 0] == -np.inf
    np.testing.assert_allclose(plain.predict_proba(rows[:2])[:, 0], [1.0, 0.0], atol=1e-30)
    proba = ours.predict_proba(rows)
    np.testing.assert_array_equal(proba[:2, 0], [1.0, 0.0])
    assert ((proba >= 0) & (proba <= 1)).all()
    np.testing.assert_allclose(proba[2], ours.predict_proba(X[:1])[0])
    np.testing.assert_array_equal(ours.predict(rows[:2])[:, 0], [1, 0])
    assert np.isfinite(ours.decision_function(rows)).all()
    np.testing.assert_array_equal(
        fx.predict_proba(ours.get_booster(), rows[:2], ours.loss_)[:, 0], [1.0, 0.0])

    multiclass = FocalXGBClassifier(booster="gblinear", n_estimators=10).fit(X, y)
    top = np.full((1, 4), np.finfo(np.float32).max)
    assert not np.isfinite(multiclass.predict(top, output_margin=True)).all()
    assert np.isnan(xgb.XGBClassifier(booster="gblinear", n_estimators=10).fit(X, y)
                    .predict_proba(top)).all()
    with pytest.raises(ValueError, match=r"NaN or infinite for 1 row\(s\) of X \(rows 0\)"):
        multiclass.predict_proba(top)


def test_a_plain_logitraw_model_is_read_with_the_sigmoid():
    # binary:logitraw's margins are logits: its probabilities are their sigmoid
    X, y = _mutation_rows()
    plain = xgb.train({**PARAMS, "objective": "binary:logitraw"}, xgb.DMatrix(X, label=y), 3)
    margins = plain.predict(xgb.DMatrix(X[:10]), output_margin=True)
    np.testing.assert_allclose(fx.inverse_link(plain, X[:10]), expit(margins), rtol=1e-6)
    np.testing.assert_allclose(fx.predict_proba(plain, X[:10], ce_loss()), expit(margins),
                               rtol=1e-6)


def test_inverse_link_of_a_multilabel_model_is_a_sigmoid_per_label():
    X, _ = _mutation_rows()
    Y = (X[:, :3] > 0).astype(int)
    booster = fx.train(PARAMS, xgb.DMatrix(X, label=Y), focal_loss(2.0), 3,
                       verbose_eval=False)
    margins = booster.predict(xgb.DMatrix(X[:10]), output_margin=True)
    assert margins.shape == (10, 3)
    got = fx.inverse_link(booster, X[:10])
    np.testing.assert_allclose(got, expit(margins), rtol=1e-6)
    assert not np.allclose(got.sum(axis=1), 1.0)


def test_no_split_hint_gives_the_softmax_hessian_sum_at_the_start():
    # 4 rows of 3 classes from margin 0: each output's Hessian sum is
    # 4 * 2 p (1 - p) at p = 1/3 (multi:softprob's scale), below 2 * min_child_weight
    rng = np.random.default_rng(0)
    X = rng.normal(size=(4, 2))
    y = np.array([0, 1, 2, 0])
    p = softmax(np.zeros(3))
    root = 4 * 2 * p[0] * (1 - p[0])
    with pytest.warns(UserWarning, match=re.escape(
            f"the training rows' Hessian sum at the start is {root:.3g}, below twice "
            "min_child_weight=1")):
        booster = fx.train({**PARAMS, "num_class": 3}, xgb.DMatrix(X, label=y), ce_loss(),
                           2, init_score=None, verbose_eval=False)
    plain = xgb.train({**PARAMS, "num_class": 3, "objective": "multi:softprob",
                       "base_score": 0.0}, xgb.DMatrix(X, label=y), 2)
    assert not plain.get_score(importance_type="weight")  # no split there either
    assert not booster.get_score(importance_type="weight")


def test_continued_model_drops_the_stale_best_score_with_the_best_iteration():
    X, y = _mutation_rows(n=400)
    dtrain = xgb.DMatrix(X[:300], label=y[:300])
    dvalid = xgb.DMatrix(X[300:], label=y[300:])
    first = fx.train(PARAMS, dtrain, focal_loss(2.0), 30, evals=[(dvalid, "v")],
                     early_stopping_rounds=2, verbose_eval=False)
    assert first.attr("best_iteration") is not None
    assert first.attr("best_score") is not None
    more = fx.train(PARAMS, dtrain, focal_loss(2.0), 3, xgb_model=first, verbose_eval=False)
    assert more.num_boosted_rounds() == first.num_boosted_rounds() + 3
    assert more.attr("best_iteration") is None
    assert more.attr("best_score") is None


# ----- found unpinned by mutation testing (in-place prediction, the no-split hint's loss)
def test_inplace_prediction_refusals_of_a_tree_booster_are_kept():
    # only gblinear falls back to a DMatrix; a tree model's in-place refusal of too few
    # columns stands (as Booster.inplace_predict's), not a DMatrix prediction that reads
    # the missing column as missing
    X, y = _binary_rows()
    booster = fx.train({"max_depth": 2}, xgb.DMatrix(X, label=y), focal_loss(2.0), 3,
                       verbose_eval=False)
    with pytest.raises(xgb.core.XGBoostError, match="Number of columns in data must equal"):
        booster.inplace_predict(X[:5, :-1], validate_features=False)
    with pytest.raises(xgb.core.XGBoostError, match="Number of columns in data must equal"):
        fx.predict_margin(booster, X[:5, :-1], validate_features=False)


def test_root_hessian_hint_gives_no_exact_warning_on_the_numeric_path():
    # numeric derivatives skip the kernels: the Hessian strategies' own warn=False holds
    from focal_boost.xgboost import _root_hessian

    loss = focal_loss(6.0, hessian="exact", derivatives="numeric")
    with pytest.warns(RuntimeWarning, match="non-positive"):  # the loss itself warns
        loss.gradient_hessian(np.array([0.0, 1.0]), np.array([4.0, 4.0]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _root_hessian(loss, np.ones(2), np.array([4.0]), None) is not None


def test_xgboost_metric_takes_lists_in_xgbclassifiers_form():
    from focal_boost import focal_loss
    from focal_boost import xgboost as fxgb

    metric = fxgb.metric(focal_loss(2.0))
    y, margin, weight = [0, 1, 1], [0.3, -2.0, 1.5], [1.0, 2.0, 0.5]
    expected = metric(np.array(y), np.array(margin), np.array(weight))
    assert metric(y, margin, weight) == expected
    assert metric(y, margin) == metric(np.array(y), np.array(margin))


def test_a_start_margin_that_is_not_finite_is_named_by_row():
    # a DMatrix's base_margin of 1e39 is inf in XGBoost's float32: the objective's
    # refusal at the first round named no row and advised regularising the trees
    X, y = _binary_rows(400)
    margin = np.zeros(400)
    margin[7] = 1e39
    with pytest.raises(ValueError, match=r"^dtrain's base_margin holds inf \(row 7\): a "
                                         r"start margin must be finite"):
        fx.train({}, xgb.DMatrix(X, label=y, base_margin=margin), focal_loss(2.0), 2)
    classes = np.digitize(X[:, 0], [-0.5, 0.5])
    margins = np.zeros((400, 3))
    margins[9, 2] = -np.inf
    with pytest.raises(ValueError, match=r"^dtrain's base_margin holds -inf \(row 9\)"):
        fx.train({"num_class": 3}, xgb.DMatrix(X, label=classes, base_margin=margins),
                 focal_loss(2.0), 2)


def test_train_labels_is_a_label_cache_and_says_so():
    # train(..., labels=y) failed inside the objective: "'numpy.ndarray' object is not
    # callable" (labels is how the run reads the DMatrices' labels, not labels)
    X, y = np.random.default_rng(0).normal(size=(50, 2)), np.arange(50) % 2
    with pytest.raises(TypeError, match="^labels must be a focal_boost.xgboost.DMatrixLabels"):
        fx.train({}, xgb.DMatrix(X, label=y), focal_loss(), 2, labels=y)


def test_xgboost_prepare_refuses_labels_that_are_no_label_reader():
    # prepare takes labels as train does: a DMatrixLabels (or None), not the labels
    y = np.arange(50) % 2
    with pytest.raises(TypeError, match=re.escape(
            "labels must be a focal_boost.xgboost.DMatrixLabels (how the run reads the "
            "DMatrices' labels and weights) or None, got ndarray")):
        fx.prepare({}, focal_loss(2.0), y_true=y, labels=y)
    assert isinstance(fx.prepare({}, focal_loss(2.0), y_true=y, labels=fx.DMatrixLabels()),
                      fx.TrainingRun)


def test_multilabel_metric_refusal_advises_per_label_probabilities():
    # XGBoost 3.4 takes 'auc' of a label matrix: a refused 'logloss' got the binary
    # advice, loss.predict_proba(predt), a softmax across the labels for a label matrix;
    # before 3.4 'auc' is refused too, with the label-matrix message
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 4))
    d = xgb.DMatrix(X, label=(X[:, :3] > 0).astype(int))
    with pytest.raises(ValueError) as caught:
        fx.train({"eval_metric": ["auc", "logloss"]}, d, focal_loss(2.0), 2,
                 evals=[(d, "train")], verbose_eval=False)
    message = str(caught.value)
    if fx._LABEL_MATRIX_AUCS:
        assert message.startswith("params['eval_metric'] ['logloss']: under a custom "
                                  "objective XGBoost computes its metrics on raw margins")
        assert message.endswith("that scores loss.predict_proba(predt, multilabel=True) "
                                "(your FocalLoss)") and "label matrix" not in message
    else:
        assert message.startswith("params['eval_metric'] ['auc', 'logloss']: XGBoost's "
                                  "metrics under a custom objective are computed on raw "
                                  "margins, and before XGBoost 3.4 its 'auc' and 'aucpr' do "
                                  "not take a label matrix")
    binary = xgb.DMatrix(X, label=(X[:, 0] > 0).astype(int))
    with pytest.raises(ValueError, match=r"that scores loss\.predict_proba\(predt\) \(your "
                                         r"FocalLoss\)$"):
        fx.train({"eval_metric": "logloss"}, binary, focal_loss(2.0), 2)
