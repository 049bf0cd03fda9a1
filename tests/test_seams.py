"""Seams between our front ends and the plain libraries, side by side with them on the
same input: where XGBClassifier / LGBMClassifier / xgb.train / lgb.train (and their Dask
classifiers) work, ours works too; where they refuse, ours refuses at least as clearly.
Inputs that may crash a C library, and settings read at import, run in a subprocess.

By topic:

- **start**: the estimators start from the focal-optimal constant (``init_score="auto"``),
  as ``XGBClassifier`` (estimated ``base_score``) and ``LGBMClassifier``
  (``boost_from_average``) start from their best constant: a model with no effective tree
  then predicts the base rate, as theirs do.
- **continued training and best iteration**: continuing a model (``xgb_model=`` /
  ``init_model=``) gives the model of one run of the same total rounds (the intercept
  counted once), through native ``train`` and the estimators; a stale ``best_iteration``
  of the continued model does not cut the new trees; continuing on rows where no feature
  can be split keeps the model, as LightGBM does.
- **crashes**: inputs on which ours raised, or LightGBM stopped in C++, where the plain
  classifiers train (LightGBM's constant model, ``NUMBA_DISABLE_JIT=1``, a zero-row
  ``eval_set``).
- **silent failures**: what went wrong without an error (a raising ``eval_metric``, an
  undefined AUC, NaN labels, alias clashes, LightGBM's ``[Fatal]`` message printed for a
  handled case).
- **inputs**: what the plain classifiers take (``LGBMClassifier.fit``'s ``init_score`` and
  ``categorical_feature``, ``metric="None"``, ``missing=np.inf``, DataFrame column names
  of mixed types, zero rows).
- **Dask: the constant model**: where LightGBM can split no feature, the Dask estimator
  fits the focal-optimal constant, as the in-memory one does and as
  ``DaskLGBMClassifier`` fits a constant model.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest
from packaging.version import Version
from sklearn.datasets import make_classification
from sklearn.metrics import accuracy_score, log_loss, roc_auc_score

xgb = pytest.importorskip("xgboost")
lgb = pytest.importorskip("lightgbm")

from conftest import raw_margins, set_name  # noqa: E402

from focal_boost import (  # noqa: E402
    FocalLGBMClassifier,
    FocalXGBClassifier,
    ce_loss,
    focal_loss,
    metrics,
)
from focal_boost import lightgbm as flgb  # noqa: E402
from focal_boost import xgboost as fxgb  # noqa: E402
from focal_boost.metrics import focal_metric  # noqa: E402

# ============================================================================== helpers
PLAIN = {FocalXGBClassifier: xgb.XGBClassifier, FocalLGBMClassifier: lgb.LGBMClassifier}
ESTIMATORS = list(PLAIN)
N, M = 7, 5  # rounds of the first run, rounds added by continuing it


def _plain(cls, **params):
    if cls is FocalLGBMClassifier:
        params.setdefault("verbose", -1)
    return PLAIN[cls](**params)


def _run(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=600, env={**os.environ, **env})


def _made_data(k: int, n: int = 600):
    """``k`` classes from make_classification, 70% of the rows in class 0."""
    X, y = make_classification(n, 6, n_informative=4, n_classes=k,
                               weights=[0.7] + [0.3 / (k - 1)] * (k - 1), random_state=0)
    return X, y


def _rng_data(n=300, d=3, seed=0, classes=2):
    """Normal features; classes from quantiles of a noisy first feature."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    score = X[:, 0] + 0.5 * rng.normal(size=n)
    y = np.digitize(score, np.quantile(score, np.linspace(0, 1, classes + 1)[1:-1]))
    return X, y


def _model_param(booster: lgb.Booster, name: str) -> str:
    """The value LightGBM trained with, from the parameters block of the model text."""
    for line in booster.model_to_string().splitlines():
        if line.startswith(f"[{name}: "):
            return line[len(name) + 3:-1]
    raise KeyError(name)


# ================================================================================ start
PAIRS = [(FocalXGBClassifier, xgb.XGBClassifier, {}),
         (FocalLGBMClassifier, lgb.LGBMClassifier, {"verbose": -1})]


@pytest.fixture(scope="module", params=["binary", "3 classes"])
def start_data(request):
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
def test_a_model_that_cannot_split_predicts_the_base_rate(start_data, ours, plain, extra):
    X, y = start_data
    rate = np.bincount(y) / len(y)
    focal, base = _fit_both(ours, plain, extra, X, y, min_child_weight=1e6)
    assert np.abs(focal.mean(axis=0) - rate).max() < 1e-6
    assert np.abs(base.mean(axis=0) - rate).max() < 1e-3  # the plain classifier too
    assert log_loss(y, focal) <= 1.001 * log_loss(y, base)


@pytest.mark.parametrize("ours, plain, extra", PAIRS)
def test_few_trees_stay_near_the_base_rate(start_data, ours, plain, extra):
    X, y = start_data
    rate = np.bincount(y) / len(y)
    focal, base = _fit_both(ours, plain, extra, X, y, n_estimators=20, learning_rate=0.01)
    assert np.abs(focal.mean(axis=0) - rate).max() < 0.015
    assert log_loss(y, focal) <= 1.15 * log_loss(y, base)


@pytest.mark.parametrize("ours, plain, extra", PAIRS)
def test_margin_zero_start_is_an_option(start_data, ours, plain, extra):
    """init_score=None starts at margin 0: a model whose trees add nothing says 1/k
    (XGBoost at learning rate 0: from XGBoost 3.4 a root that cannot split still has a
    leaf value)."""
    X, y = start_data
    nothing = ({"learning_rate": 0.0} if ours is FocalXGBClassifier
               else {"min_child_weight": 1e6})
    focal, _ = _fit_both(ours, plain, extra, X, y, init_score=None, **nothing)
    assert np.allclose(focal, 1.0 / focal.shape[1])


# ================================================ continued training and best iteration
@pytest.mark.parametrize("k", [2, 3])
def test_xgboost_native_continued_equals_one_run(k):
    # N rounds then M more from xgb_model = one run of N + M rounds (the intercept,
    # stored as base_score, counted once), as xgb.train itself does with binary:logistic
    # / multi:softprob on the same input.
    X, y = _made_data(k)
    d = xgb.DMatrix(X, label=y)
    params = {"eta": 0.3, "max_depth": 3, "nthread": 1, **({"num_class": k} if k > 2 else {})}
    loss = focal_loss(2.0)
    one = fxgb.train(params, d, loss, N + M)
    first = fxgb.train(params, d, loss, N)
    cont = fxgb.train(params, d, loss, M, xgb_model=first)
    assert cont.num_boosted_rounds() == N + M
    assert cont.save_config() == one.save_config()  # same base_score, same parameters
    ours = np.abs(fxgb.predict_margin(cont, X) - fxgb.predict_margin(one, X)).max()

    plain = {**params, "objective": "binary:logistic" if k == 2 else "multi:softprob"}
    p_one = xgb.train(plain, d, N + M)
    p_cont = xgb.train(plain, d, M, xgb_model=xgb.train(plain, d, N))
    theirs = np.abs(p_cont.predict(d, output_margin=True)
                    - p_one.predict(d, output_margin=True)).max()
    assert ours <= theirs + 1e-12  # both 0.0 here: XGBoost continues exactly
    assert ours == 0.0


@pytest.mark.parametrize("k", [2, 3])
def test_lightgbm_native_continued_equals_one_run(k):
    # As above through lgb.train's init_model: the intercept baked into the first
    # model's leaves is the continued model's start, and no second intercept is added.
    X, y = _made_data(k)
    params = {"learning_rate": 0.3, "num_leaves": 7, "verbose": -1, "num_threads": 1,
              **({"num_class": k} if k > 2 else {})}
    loss = focal_loss(2.0)
    one = flgb.train(params, lgb.Dataset(X, y), loss, N + M)
    first = flgb.train(params, lgb.Dataset(X, y), loss, N)
    cont = flgb.train(params, lgb.Dataset(X, y), loss, M, init_model=first)
    assert cont.current_iteration() == N + M
    ours = np.abs(flgb.predict_margin(cont, X) - flgb.predict_margin(one, X)).max()

    plain = {**params, "objective": "binary" if k == 2 else "multiclass"}
    p_one = lgb.train(plain, lgb.Dataset(X, y), N + M)
    p_cont = lgb.train(plain, lgb.Dataset(X, y), M,
                       init_model=lgb.train(plain, lgb.Dataset(X, y), N))
    theirs = np.abs(p_cont.predict(X, raw_score=True) - p_one.predict(X, raw_score=True)).max()
    assert ours <= theirs + 1e-12  # both 0.0 here
    assert ours == 0.0


@pytest.mark.parametrize("library", ["xgboost", "lightgbm"])
def test_native_train_warns_when_continuing_a_model_of_another_loss(library, tmp_path):
    # The estimators warned; xgb_model= / init_model= of native train continued a log-loss
    # model (or a focal one of another gamma) silently, and predict_proba then applied
    # this loss's posterior correction to trees trained on the other one.
    X, y = _made_data(2)
    loss = focal_loss(2.0)
    if library == "xgboost":
        def fit(model, loss=loss, **kw):
            return fxgb.train({"max_depth": 2}, xgb.DMatrix(X, label=y), loss, 2,
                              xgb_model=model, verbose_eval=False, **kw)
        plain = xgb.train({"objective": "binary:logistic"}, xgb.DMatrix(X, label=y), 2)
        name = "xgb_model"
        estimator = xgb.XGBClassifier(n_estimators=2).fit(X, y)
        plain.save_model(tmp_path / "plain.json")
    else:
        def fit(model, loss=loss, **kw):
            return flgb.train({"verbose": -1, "num_leaves": 4}, lgb.Dataset(X, y), loss, 2,
                              init_model=model, **kw)
        plain = lgb.train({"objective": "binary", "verbose": -1}, lgb.Dataset(X, y), 2)
        name = "init_model"
        estimator = lgb.LGBMClassifier(n_estimators=2, verbose=-1).fit(X, y)
        plain.save_model(tmp_path / "plain.json")
    for model in (plain, tmp_path / "plain.json", estimator):
        with pytest.warns(UserWarning, match=f"{name} was trained on '.+'.*inverse_link") as caught:
            cont = fit(model)
        assert caught[0].filename == __file__  # the warning points at the caller
        assert (cont.num_boosted_rounds() if library == "xgboost"
                else cont.current_iteration()) == 4
    focal = fit(None)
    if library == "lightgbm":  # a LightGBM Booster records no custom objective: its file
        flgb.save_model(focal, tmp_path / "focal.txt", loss)
        focal = tmp_path / "focal.txt"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit(focal)  # the same loss
        fit(plain, warn_other_loss=False)
        # the same loss written otherwise: class weights (1 - alpha, alpha) as a
        # sequence, another Hessian (the posterior does not depend on it)
        fit(focal, loss=focal_loss(2.0, [1.0, 1.0]))
        fit(focal, loss=focal_loss(2.0, hessian="fisher"))
    with pytest.warns(UserWarning, match=f"{name} was trained on FocalLoss.gamma=2.0"):
        fit(focal, loss=focal_loss(0.5))
    quarter = fit(None, loss=focal_loss(2.0, 0.25))
    if library == "lightgbm":
        flgb.save_model(quarter, tmp_path / "quarter.txt", focal_loss(2.0, 0.25))
        quarter = tmp_path / "quarter.txt"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit(quarter, loss=focal_loss(2.0, [0.75, 0.25]))
    with pytest.warns(UserWarning, match=f"{name} was trained on FocalLoss.gamma=2.0, "
                                         r"alpha=0\.25"):
        fit(quarter, loss=focal_loss(2.0, [0.25, 0.75]))


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_continuing_a_model_of_other_classes_is_refused(cls):
    # a 3-class XGBoost model continued on 0/1 labels became a "binary" model with 3
    # probability columns (predict failed on rows whose third column won); XGBClassifier
    # refuses ("base_score must be in (0,1)"), LightGBM stopped in C++ ("Number of class
    # for initial score error")
    # (a Booster: a fitted estimator continued on labels of some of its classes keeps
    # its classes)
    X, y = _made_data(3)
    name = "xgb_model" if cls is FocalXGBClassifier else "init_model"
    three = cls(n_estimators=2).fit(X, y)
    booster = three.get_booster() if cls is FocalXGBClassifier else three.booster_
    with pytest.raises(ValueError, match=f"{name} was trained on 3 classes, but the training "
                                         r"labels are 2 classes \(binary, one margin\): "
                                         "continue a model of the same"):
        cls(n_estimators=2).fit(X, (y == 0).astype(int), **{name: booster})
    two = cls(n_estimators=2).fit(X, (y == 0).astype(int))
    with pytest.raises(ValueError, match=f"{name} was trained on .*binary.*, but .*3 classes"):
        cls(n_estimators=2).fit(X, y, **{name: two})
    if cls is FocalXGBClassifier:  # the native train and a multi-label model too
        with pytest.raises(ValueError, match="xgb_model was trained on 3 classes"):
            fxgb.train({}, xgb.DMatrix(X, label=(y == 0)), focal_loss(2.0), 2,
                       xgb_model=three.get_booster())
        labels = np.eye(3)[y]
        multi = fxgb.train({}, xgb.DMatrix(X, label=labels), focal_loss(2.0), 2)
        with pytest.raises(ValueError, match=r"3 labels \(multi-label\), but the training "
                                             r"labels are 2 classes"):
            fxgb.train({}, xgb.DMatrix(X, label=(y == 0)), focal_loss(2.0), 2, xgb_model=multi)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_continuing_a_model_on_labels_of_other_classes_is_refused(cls):
    # the same number of classes, other labels: a model of "cat", "dog" continued on
    # "dog", "zebra" took "dog" for its negative class, silently (the README said a
    # model of other classes is refused; only another number of classes was)
    X, y = _made_data(2)
    name = "xgb_model" if cls is FocalXGBClassifier else "init_model"
    cats = cls(n_estimators=2).fit(X, np.array(["cat", "dog"])[y])
    with pytest.raises(ValueError, match=r"^the model to continue was fitted on the classes "
                                         r"\['cat', 'dog'\], y has \['dog', 'zebra'\]"):
        cls(n_estimators=2).fit(X, np.array(["dog", "zebra"])[y], **{name: cats})
    with pytest.raises(ValueError, match=r"fitted on the classes \[0, 1\], y has \[1, 2\]"):
        cls(n_estimators=2).fit(X, y + 1, **{name: _plain(cls, n_estimators=2).fit(X, y)})
    # the same classes, and one class continued on labels that add classes after it
    cls(n_estimators=2).fit(X, np.array(["cat", "dog"])[y], **{name: cats})
    one = cls(n_estimators=2).fit(X, np.full(len(y), "cat"))
    cls(n_estimators=2).fit(X, np.array(["cat", "dog"])[y], **{name: one})


def _categories_in_two_orders():
    """One category column (and a number) as two DataFrames whose categories are the
    same values in opposite orders, and labels that depend on the category."""
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(1)
    c = rng.choice(list("abcdef"), 3000)
    x = rng.normal(size=3000)
    effect = pd.Series(c).map(dict(a=-2, b=-1, c=0, d=1, e=2, f=3)).to_numpy()
    y = (effect + x + rng.normal(size=3000) > 0.5).astype(int)
    return (pd.DataFrame({"c": pd.Categorical(c, categories=list("abcdef")), "x": x}),
            pd.DataFrame({"c": pd.Categorical(c, categories=list("fedcba")), "x": x}), y)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_continued_on_categories_in_another_order_recodes_them(cls):
    # XGBClassifier.fit re-codes a DataFrame's categories as the continued model codes
    # them; ours trained the new trees on the frame's own codes: 5 + 5 rounds were 0.41 off
    # one fit of 10 in probability, and worse than the 5 rounds it continued. lgb.train
    # codes them anew, and the continued model's own trees then read the new codes too
    # (0.42 off; LGBMClassifier 0.36): ours codes them as the continued model does
    first_order, other_order, y = _categories_in_two_orders()
    if cls is FocalXGBClassifier:
        name, kw = "xgb_model", {"n_jobs": 1, "enable_categorical": True, "gamma": 0}
    else:
        name, kw = "init_model", {"n_jobs": 1, "verbose": -1, "gamma": 0}
    first = cls(n_estimators=5, **kw).fit(first_order, y)
    cont = cls(n_estimators=5, **kw).fit(other_order, y, eval_set=[(other_order, y)],
                                         **{name: first})
    one = cls(n_estimators=10, **kw).fit(first_order, y, eval_set=[(first_order, y)])
    np.testing.assert_allclose(cont.predict_proba(first_order), one.predict_proba(first_order),
                               rtol=0, atol=1e-12)
    key = "training" if cls is FocalLGBMClassifier else "validation_0"  # (X, y) again
    np.testing.assert_allclose(cont.evals_result_[key]["focal_loss"],
                               one.evals_result_[key]["focal_loss"][5:], rtol=1e-12)
    if cls is FocalLGBMClassifier:  # native train builds the Dataset the same way
        native = flgb.train({"verbose": -1, "num_threads": 1}, lgb.Dataset(other_order, y),
                            focal_loss(0), 5, init_model=first.booster_)
        np.testing.assert_allclose(flgb.predict_margin(native, first_order),
                                   one.decision_function(first_order), rtol=0, atol=1e-12)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_continued_early_stopping_at_the_first_new_round_does_not_blame_the_set(cls):
    # an overfitted model continued with early stopping keeps its own trees and the first
    # new one: that warned "early stopping kept only the first iteration ... Check the
    # validation set", which the plain classifiers do not and which did not hold
    X, y = make_classification(600, 10, n_informative=2, flip_y=0.4, random_state=0)
    name = "xgb_model" if cls is FocalXGBClassifier else "init_model"
    extra = {"verbose": -1} if cls is FocalLGBMClassifier else {}
    first = cls(n_estimators=100, learning_rate=0.5, **extra).fit(X[:400], y[:400])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cont = cls(n_estimators=100, learning_rate=0.5, early_stopping_rounds=5, **extra).fit(
            X[:400], y[:400], eval_set=[(X[400:], y[400:])], **{name: first})
    assert cont.best_iteration_ == 100  # (the case: the first new round is the best)
    assert not [w for w in caught if "kept only the first" in str(w.message)]


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_a_model_to_continue_that_is_not_one_is_named(cls):
    # an unfitted estimator was read as a file's path ("Could not open FocalLGBMClassifier()"),
    # an XGBoost estimator as init_model raised AttributeError 'current_iteration'
    X, y = _made_data(2)
    name = "xgb_model" if cls is FocalXGBClassifier else "init_model"
    other = FocalLGBMClassifier if cls is FocalXGBClassifier else FocalXGBClassifier
    with pytest.raises(TypeError, match=f"{name} must be an? (XGBoost|LightGBM) Booster.*got int"):
        cls(n_estimators=2).fit(X, y, **{name: 3})
    with pytest.raises(TypeError, match=f"{name} must be .*got {other.__name__}"):
        cls(n_estimators=2).fit(X, y, **{name: other(n_estimators=2).fit(X, y)})
    plain = xgb.XGBClassifier if cls is FocalXGBClassifier else lgb.LGBMClassifier
    for unfitted in (cls(), plain()):
        with pytest.raises(ValueError, match=f"^{name} is a {type(unfitted).__name__} that is "
                                             "not fitted"):
            cls(n_estimators=2).fit(X, y, **{name: unfitted})
    other_plain = lgb.LGBMClassifier if cls is FocalXGBClassifier else xgb.XGBClassifier
    with pytest.raises(TypeError, match=f"got {other_plain.__name__}"):  # fitted, not "unfitted"
        cls(n_estimators=2).fit(X, y, **{name: other_plain(n_estimators=2).fit(X, y)})


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_continuing_a_log_loss_model_at_gamma_0_does_not_warn(cls):
    # the cross-entropy's posterior is the plain link: there is nothing to correct, and
    # the model is the plain classifier's continuation
    X, y = _made_data(2)
    name = "xgb_model" if cls is FocalXGBClassifier else "init_model"
    plain = (xgb.XGBClassifier(n_estimators=2) if cls is FocalXGBClassifier
             else lgb.LGBMClassifier(n_estimators=2, verbose=-1)).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cls(gamma=0, n_estimators=2).fit(X, y, **{name: plain})
    with pytest.warns(UserWarning, match="was trained on"):  # alpha is a correction
        cls(gamma=0, alpha=0.3, n_estimators=2).fit(X, y, **{name: plain})
    # a focal model continued on the cross-entropy: its margins are distorted, and
    # predict_proba would read them as plain log-odds (0.19 for a rate of 0.15, unwarned)
    focal = cls(gamma=2, n_estimators=2).fit(X, y)
    with pytest.warns(UserWarning, match="was trained on FocalLoss.gamma=2.0"):
        cls(gamma=0, n_estimators=2).fit(X, y, **{name: focal})


@pytest.mark.parametrize("k", [2, 3])
@pytest.mark.parametrize("extra", [{}, {"data_sample_strategy": "goss"},
                                   {"boosting": "rf", "bagging_freq": 1, "bagging_fraction": 0.7},
                                   {"keep_training_booster": True}])
def test_lightgbm_callbacks_see_the_model_training_returns(k, extra):
    # The intercept reached the trees only after lgb.train returned: a checkpoint a
    # callback saved (env.model) predicted 0.19 for a base rate of 0.10, where the model
    # returned predicted 0.099; lgb.train's own start (boost_from_average) is in its first
    # trees from the first round, and so is ours now.
    X, y = _made_data(k)
    params = {"verbose": -1, "num_leaves": 7, "num_threads": 1,
              **({"num_class": k} if k > 2 else {}), **extra}
    keep = params.pop("keep_training_booster", False)
    saved: list[str] = []
    booster = flgb.train(params, lgb.Dataset(X, y), focal_loss(2.0), 5,
                         callbacks=[lambda env: saved.append(env.model.model_to_string())],
                         keep_training_booster=keep)
    final = booster.predict(X, raw_score=True)
    for rounds, text in enumerate(saved, start=1):
        checkpoint = lgb.Booster(model_str=text).predict(X, raw_score=True)
        np.testing.assert_allclose(
            checkpoint, booster.predict(X, raw_score=True, num_iteration=rounds),
            rtol=0, atol=1e-12)
    assert len(saved) == 5
    np.testing.assert_array_equal(lgb.Booster(model_str=saved[-1]).predict(X, raw_score=True),
                                  final)
    plain_saved: list[str] = []
    plain = lgb.train({**params, "objective": "binary" if k == 2 else "multiclass"},
                      lgb.Dataset(X, y), 5,
                      callbacks=[lambda env: plain_saved.append(env.model.model_to_string())])
    np.testing.assert_array_equal(  # lgb.train: the last checkpoint is the model returned
        lgb.Booster(model_str=plain_saved[-1]).predict(X, raw_score=True),
        plain.predict(X, raw_score=True))


@pytest.mark.parametrize("k", [2, 3])
def test_xgboost_estimator_continues_from_fit_xgb_model(k):
    # FocalXGBClassifier.fit(xgb_model=) as XGBClassifier.fit(xgb_model=): from the
    # first estimator (or its Booster), N + M rounds in all, equal to one fit.
    X, y = _made_data(k)
    kw = {"max_depth": 3, "n_jobs": 1, "random_state": 0}
    one = FocalXGBClassifier(n_estimators=N + M, **kw).fit(X, y)
    first = FocalXGBClassifier(n_estimators=N, **kw).fit(X, y)
    for model in (first, first.get_booster()):
        cont = FocalXGBClassifier(n_estimators=M, **kw).fit(X, y, xgb_model=model)
        assert cont.get_booster().num_boosted_rounds() == N + M
        assert cont.best_iteration_ == N + M - 1
        np.testing.assert_array_equal(cont.predict_proba(X), one.predict_proba(X))

    p_one = xgb.XGBClassifier(n_estimators=N + M, **kw).fit(X, y)
    p_first = xgb.XGBClassifier(n_estimators=N, **kw).fit(X, y)
    p_cont = xgb.XGBClassifier(n_estimators=M, **kw).fit(X, y, xgb_model=p_first)
    np.testing.assert_array_equal(p_cont.predict_proba(X), p_one.predict_proba(X))


def test_xgboost_zero_rounds_beside_evaluation_sets():
    # n_estimators=0 (the start only) with any evaluation set raised KeyError
    # 'validation_0' (no round is logged); XGBClassifier fits
    X, y = _made_data(2)
    plain = xgb.XGBClassifier(n_estimators=0).fit(X, y, eval_set=[(X, y)], verbose=False)
    assert plain.get_booster().num_boosted_rounds() == 0
    alone = FocalXGBClassifier(n_estimators=0).fit(X, y)
    first = FocalXGBClassifier(n_estimators=3).fit(X, y)
    for kwargs, fit in (({}, {"eval_set": [(X, y)]}), ({"early_stopping_rounds": 5}, {}),
                        ({}, {"eval_set": [(X, y)], "xgb_model": first})):
        model = FocalXGBClassifier(n_estimators=0, **kwargs).fit(X, y, **fit)
        assert model.evals_result_ == {} and model.best_score_ is None
        expected = first if "xgb_model" in fit else alone
        if kwargs:  # the start of the rows left after the held-out share
            assert model.get_booster().num_boosted_rounds() == 0
        else:
            np.testing.assert_array_equal(model.predict_proba(X), expected.predict_proba(X))


def test_xgboost_checkpoints_carry_the_loss(tmp_path):
    # xgb.callback.TrainingCheckPoint saved models without the loss (stored after
    # training): predict_proba said the file was not focal_boost's, and resuming from
    # it warned "trained on another loss" and advised posterior_correction=False
    X, y = _made_data(2)
    kw = {"gamma": 2.0, "max_depth": 3, "n_jobs": 1, "random_state": 0}
    saver = xgb.callback.TrainingCheckPoint(directory=tmp_path, name="m", interval=5)
    full = FocalXGBClassifier(n_estimators=10, callbacks=[saver], **kw).fit(X, y)
    saved = xgb.Booster(model_file=str(tmp_path / "m_5.ubj"))
    assert saved.num_boosted_rounds() == 6
    np.testing.assert_allclose(fxgb.predict_proba(saved, X),
                               full.predict_proba(X, iteration_range=(0, 6))[:, 1], atol=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        resumed = FocalXGBClassifier(n_estimators=4, **kw).fit(X, y, xgb_model=saved)
    np.testing.assert_array_equal(resumed.predict_proba(X), full.predict_proba(X))


@pytest.mark.parametrize("k", [2, 3])
def test_lightgbm_estimator_continues_from_fit_init_model(k):
    # FocalLGBMClassifier.fit(init_model=) as LGBMClassifier.fit(init_model=).
    X, y = _made_data(k)
    kw = {"num_leaves": 7, "n_jobs": 1, "random_state": 0}
    one = FocalLGBMClassifier(n_estimators=N + M, **kw).fit(X, y)
    first = FocalLGBMClassifier(n_estimators=N, **kw).fit(X, y)
    for model in (first, first.booster_):
        cont = FocalLGBMClassifier(n_estimators=M, **kw).fit(X, y, init_model=model)
        assert cont.booster_.current_iteration() == N + M
        assert cont.best_iteration_ == N + M - 1
        np.testing.assert_array_equal(cont.predict_proba(X), one.predict_proba(X))

    p_one = lgb.LGBMClassifier(n_estimators=N + M, verbose=-1, **kw).fit(X, y)
    p_first = lgb.LGBMClassifier(n_estimators=N, verbose=-1, **kw).fit(X, y)
    p_cont = lgb.LGBMClassifier(n_estimators=M, verbose=-1, **kw).fit(X, y, init_model=p_first)
    np.testing.assert_array_equal(p_cont.predict_proba(X), p_one.predict_proba(X))


def test_continued_training_refuses_a_second_intercept():
    # The continued model carries its intercept: an explicit init_score is refused, in
    # native train and the estimators, naming init_score.
    X, y = _made_data(2)
    first = fxgb.train({"nthread": 1}, xgb.DMatrix(X, label=y), focal_loss(2.0), N)
    with pytest.raises(ValueError, match="init_score"):
        fxgb.train({}, xgb.DMatrix(X, label=y), focal_loss(2.0), M, init_score=0.3,
                   xgb_model=first)
    with pytest.raises(ValueError, match="init_score"):
        FocalXGBClassifier(n_estimators=M, init_score=0.3).fit(X, y, xgb_model=first)
    lfirst = flgb.train({"verbose": -1}, lgb.Dataset(X, y), focal_loss(2.0), N)
    with pytest.raises(ValueError, match="init_score"):
        FocalLGBMClassifier(n_estimators=M, init_score=0.3).fit(X, y, init_model=lfirst)


# --------------------------------------------------------------- stale best iteration
def _early_stopped_xgb(X, y):
    dtr, dva = xgb.DMatrix(X[:400], label=y[:400]), xgb.DMatrix(X[400:], label=y[400:])
    b = fxgb.train({"eta": 0.5, "nthread": 1}, dtr, focal_loss(2.0), 200,
                   evals=[(dva, "v")], early_stopping_rounds=3)
    assert b.attr("best_iteration") is not None
    assert int(b.attr("best_iteration")) < b.num_boosted_rounds() - 1
    return b, dtr, dva


def test_xgboost_native_continued_model_predicts_with_all_its_trees():
    # The issue's case: continuing an early-stopped Booster 5 rounds. XGBoost copies the
    # old best_iteration into the new Booster; predict_margin must still use every tree,
    # as Booster.predict(output_margin=True) does (before: 4 trees, off by 1.30).
    X, y = _made_data(2)
    b, dtr, _ = _early_stopped_xgb(X, y)
    b2 = fxgb.train({"eta": 0.5, "nthread": 1}, dtr, focal_loss(2.0), 5, xgb_model=b)
    assert b2.num_boosted_rounds() == b.num_boosted_rounds() + 5
    assert b2.attr("best_iteration") is None
    assert fxgb.best_iteration(b2) == b2.num_boosted_rounds() - 1
    full = b2.predict(xgb.DMatrix(X), output_margin=True)
    np.testing.assert_array_equal(fxgb.predict_margin(b2, X), full.astype(np.float64))
    # the plain library in the same situation keeps the stale attribute (Booster.predict
    # ignores it; XGBClassifier does not, see below)
    plain = {"eta": 0.5, "nthread": 1, "objective": "binary:logistic"}
    p = xgb.train(plain, dtr, 200, evals=[(xgb.DMatrix(X[400:], label=y[400:]), "v")],
                  early_stopping_rounds=3, verbose_eval=False)
    p2 = xgb.train(plain, dtr, 5, xgb_model=p)
    assert p2.attr("best_iteration") == p.attr("best_iteration") is not None


def test_xgboost_continued_early_stopping_sets_a_new_best_iteration():
    # Early stopping in the continued run sets a best iteration among the new rounds,
    # which finish keeps (it is at or after the continued model's rounds).
    X, y = _made_data(2)
    b, dtr, dva = _early_stopped_xgb(X, y)
    b2 = fxgb.train({"eta": 0.05, "nthread": 1}, dtr, focal_loss(2.0), 50,
                    evals=[(dva, "v")], early_stopping_rounds=2, xgb_model=b)
    best = fxgb.best_iteration(b2)
    assert b.num_boosted_rounds() <= best < b2.num_boosted_rounds()
    np.testing.assert_array_equal(
        fxgb.predict_margin(b2, X),
        b2.predict(xgb.DMatrix(X), output_margin=True,
                   iteration_range=(0, best + 1)).astype(np.float64))


def test_xgboost_estimator_continued_from_early_stopped_estimator_uses_new_trees():
    # XGBClassifier.fit(xgb_model=early-stopped model) keeps the stale best_iteration and
    # predicts without the new trees; FocalXGBClassifier uses them all.
    X, y = _made_data(2)
    kw = {"learning_rate": 0.5, "n_jobs": 1, "random_state": 0}
    first = FocalXGBClassifier(n_estimators=200, early_stopping_rounds=3, **kw).fit(
        X[:400], y[:400], eval_set=[(X[400:], y[400:])])
    cont = FocalXGBClassifier(n_estimators=5, **kw).fit(X[:400], y[:400], xgb_model=first)
    rounds = cont.get_booster().num_boosted_rounds()
    assert rounds == first.get_booster().num_boosted_rounds() + 5
    assert cont.best_iteration_ == rounds - 1
    full = cont.get_booster().predict(xgb.DMatrix(X), output_margin=True)
    np.testing.assert_array_equal(raw_margins(cont, X), full.astype(np.float64))

    p_first = xgb.XGBClassifier(n_estimators=200, early_stopping_rounds=3, **kw).fit(
        X[:400], y[:400], eval_set=[(X[400:], y[400:])], verbose=False)
    p_cont = xgb.XGBClassifier(n_estimators=5, **kw).fit(X[:400], y[:400],
                                                         xgb_model=p_first, verbose=False)
    assert p_cont.best_iteration == p_first.best_iteration  # the plain library's stale one


def test_lightgbm_estimator_continued_from_early_stopped_estimator_uses_new_trees():
    # LightGBM saves an early-stopped model up to its best iteration, and the continued
    # model has no best iteration of its own: all trees count, as in LGBMClassifier.
    X, y = _made_data(2)
    kw = {"learning_rate": 0.5, "n_jobs": 1, "random_state": 0}
    first = FocalLGBMClassifier(n_estimators=200, early_stopping_rounds=3, **kw).fit(
        X[:400], y[:400], eval_set=[(X[400:], y[400:])])
    cont = FocalLGBMClassifier(n_estimators=5, **kw).fit(X[:400], y[:400], init_model=first)
    p_first = lgb.LGBMClassifier(n_estimators=200, verbose=-1, **kw).fit(
        X[:400], y[:400], eval_set=[(X[400:], y[400:])],
        callbacks=[lgb.early_stopping(3, verbose=False)])
    p_cont = lgb.LGBMClassifier(n_estimators=5, verbose=-1, **kw).fit(
        X[:400], y[:400], init_model=p_first)
    rounds = cont.booster_.current_iteration()
    assert rounds == first.booster_.current_iteration() + 5
    assert p_cont.booster_.current_iteration() == p_first.booster_.current_iteration() + 5
    assert cont.best_iteration_ == rounds - 1
    np.testing.assert_array_equal(raw_margins(cont, X),
                                  cont.booster_.predict(X, raw_score=True))


def test_xgb_model_in_the_constructor_is_refused_naming_the_fit_parameter():
    # XGBClassifier(xgb_model=...) only warns that the parameter is not used and trains
    # from scratch; ours refuses and says where it belongs.
    X, y = _made_data(2)
    first = FocalXGBClassifier(n_estimators=N).fit(X, y)
    with pytest.raises(ValueError, match=r"fit\(X, y, xgb_model=\.\.\.\)"):
        FocalXGBClassifier(n_estimators=M, xgb_model=first.get_booster()).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plain = xgb.XGBClassifier(n_estimators=M, xgb_model=first.get_booster()).fit(X, y)
    assert plain.get_booster().num_boosted_rounds() == M  # silently not continued
    lfirst = FocalLGBMClassifier(n_estimators=N).fit(X, y)
    with pytest.raises(ValueError, match=r"fit\(X, y, init_model=\.\.\.\)"):
        FocalLGBMClassifier(n_estimators=M, init_model=lfirst.booster_).fit(X, y)


# ---------------------------------------------------------- on rows that cannot split
@pytest.mark.parametrize("k", [2, 3])
def test_lightgbm_continued_where_no_feature_can_split_keeps_the_model(k, capfd):
    # Continuing on rows where no feature can be split (constant columns): LGBMClassifier
    # adds no tree and keeps the model. Ours too, with a warning (before: LightGBMError
    # "Cannot set predictor after freed raw data", after LightGBM's "[Fatal] Check failed"
    # on the output), and nothing from LightGBM is printed: the columns are checked first.
    X, y = _made_data(k)
    flat = np.ones_like(X)
    kw = {"n_jobs": 1, "random_state": 0}
    p_first = lgb.LGBMClassifier(n_estimators=N, verbose=-1, **kw).fit(X, y)
    p_cont = lgb.LGBMClassifier(n_estimators=M, verbose=-1, **kw).fit(flat, y,
                                                                      init_model=p_first)
    assert p_cont.booster_.current_iteration() == N
    np.testing.assert_array_equal(p_cont.predict_proba(X), p_first.predict_proba(X))
    first = FocalLGBMClassifier(n_estimators=N, **kw).fit(X, y)
    capfd.readouterr()
    with pytest.warns(UserWarning, match="no tree is added to init_model"):
        cont = FocalLGBMClassifier(n_estimators=M, **kw).fit(flat, y, init_model=first)
    assert cont.booster_.current_iteration() == N
    assert cont.best_iteration_ == N - 1
    np.testing.assert_array_equal(cont.predict_proba(X), first.predict_proba(X))
    # native train: a validation set is evaluated once, on the continued model's margins
    log: dict = {}
    params = {"verbose": -1, "num_threads": 1, **({"num_class": k} if k > 2 else {})}
    with pytest.warns(UserWarning, match="no tree is added to init_model"):
        booster = flgb.train(params, lgb.Dataset(flat, y), first.loss_, M,
                             init_model=first.booster_,
                             valid_sets=[lgb.Dataset(X[:100], y[:100])],
                             callbacks=[lgb.record_evaluation(log)])
    assert booster.current_iteration() == N
    expected = focal_metric(first.loss_, y[:100], raw_margins(first, X[:100]))
    assert log["valid_0"]["focal_loss"] == [pytest.approx(expected, rel=1e-9)]
    printed = capfd.readouterr()
    assert "[LightGBM]" not in printed.out + printed.err, printed


# -------------------------------------------------------------------------- on Dask
def test_dask_xgboost_continues_from_fit_xgb_model():
    # FocalDaskXGBClassifier.fit(xgb_model=), as DaskXGBClassifier.fit takes it: N rounds
    # then M more equal one fit of N + M rounds on the same cluster, as they do for
    # DaskXGBClassifier; a stale best_iteration of an early-stopped model is dropped.
    pytest.importorskip("distributed")
    da = pytest.importorskip("dask.array")
    dxgb = pytest.importorskip("xgboost.dask")
    from distributed import Client, LocalCluster

    from focal_boost.dask import FocalDaskXGBClassifier

    X, y = _made_data(3)
    dX, dy = da.from_array(X, chunks=300), da.from_array(y, chunks=300)
    kw = {"max_depth": 3, "random_state": 0}
    with (LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                       dashboard_address=None) as cluster, Client(cluster) as client):
        one = FocalDaskXGBClassifier(client=client, n_estimators=N + M, **kw).fit(dX, dy)
        first = FocalDaskXGBClassifier(client=client, n_estimators=N, **kw).fit(dX, dy)
        cont = FocalDaskXGBClassifier(client=client, n_estimators=M, **kw).fit(
            dX, dy, xgb_model=first)
        ours = np.abs(cont.predict_proba(dX).compute() - one.predict_proba(dX).compute()).max()
        p_one = dxgb.DaskXGBClassifier(n_estimators=N + M, **kw).fit(dX, dy)
        p_first = dxgb.DaskXGBClassifier(n_estimators=N, **kw).fit(dX, dy)
        p_cont = dxgb.DaskXGBClassifier(n_estimators=M, **kw).fit(dX, dy, xgb_model=p_first)
        theirs = np.abs(p_cont.predict_proba(dX).compute()
                        - p_one.predict_proba(dX).compute()).max()
        stopped = fxgb.train({"eta": 0.5, "num_class": 3}, xgb.DMatrix(X[:400], label=y[:400]),
                             focal_loss(2.0), 200, early_stopping_rounds=3,
                             evals=[(xgb.DMatrix(X[400:], label=y[400:]), "v")])
        after = FocalDaskXGBClassifier(client=client, n_estimators=M, **kw).fit(
            dX, dy, xgb_model=stopped)
        # a model of another loss warns, as the in-memory estimator does
        with pytest.warns(UserWarning, match="xgb_model was trained on 'multi:softprob'"):
            FocalDaskXGBClassifier(client=client, n_estimators=1, **kw).fit(
                dX, dy, xgb_model=p_first)
    assert cont.get_booster().num_boosted_rounds() == N + M
    assert ours <= theirs + 1e-12 and ours == 0.0
    assert after.best_iteration_ == stopped.num_boosted_rounds() + M - 1


# ============================================================================== crashes
# ------------------------------------------- LightGBM cannot split: the constant model
def _quiet_fit(model, *args, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(*args, **kwargs)
    return model, [str(w.message) for w in caught]


@pytest.mark.parametrize("case", ["constant X, held-out rows", "30 rows, eval_set"])
def test_constant_lightgbm_model_reports_its_validation_score(case):
    # No feature can be split (constant columns, or fewer than 2 * min_data_in_leaf rows):
    # LGBMClassifier fits a constant and reports best_score_ on the validation set; ours
    # fits the focal-optimal constant and reports its metrics there (was KeyError).
    X, y = _rng_data()
    if case.startswith("constant"):
        X = np.ones((300, 3))
        fit, plain_fit = {}, {"eval_set": [(X[:30], y[:30])]}
        plain = _plain(FocalLGBMClassifier, early_stopping_round=5)
        ours = FocalLGBMClassifier(early_stopping_rounds=5)
    else:
        X, y = X[:30], y[:30]
        fit = plain_fit = {"eval_set": [(X, y)]}
        plain = _plain(FocalLGBMClassifier)
        ours = FocalLGBMClassifier()
    plain.fit(X, y, **plain_fit)
    assert plain.best_score_  # the baseline reports a score on its validation set
    ours, messages = _quiet_fit(ours, X, y, **fit)
    assert any("no feature of the training data can be split" in m for m in messages)
    # the constant model is not blamed on the validation set
    assert not any("early stopping kept only the first iteration" in m for m in messages)
    # (LGBMClassifier's names: the training data passed again is "training")
    log = ours.evals_result_["valid_0" if case.startswith("constant") else "training"]
    assert list(log) == ["focal_loss"] and len(log["focal_loss"]) == 1
    assert ours.best_iteration_ == 0
    # the focal loss of the constant margin on the validation rows
    margin = raw_margins(ours, X)
    assert np.ptp(margin) == 0
    if case.startswith("constant"):  # the rows the estimator holds out
        from sklearn.model_selection import train_test_split

        yv = train_test_split(y, test_size=0.1, stratify=y, random_state=0)[1]
    else:
        yv = y
    expected = focal_metric(ours.loss_, yv, margin[:len(yv)])
    assert ours.best_score_ == pytest.approx(expected, rel=1e-12)
    assert np.isfinite(ours.best_score_) and ours.best_score_ == log["focal_loss"][0]
    np.testing.assert_allclose(ours.predict_proba(X).sum(axis=1), 1.0)


def test_constant_lightgbm_model_evaluates_every_metric_and_set():
    # Multiclass, two eval sets, eval_metric and weights: each set's log has one round of
    # every metric, computed on the constant model's probabilities (the plain classifier
    # reports one score per set and metric too).
    X, y = _rng_data(30, classes=3)
    w = np.linspace(0.5, 2.0, 30)
    plain = _plain(FocalLGBMClassifier).fit(X, y, eval_set=[(X, y), (X[:15], y[:15])],
                                            eval_metric="multi_logloss")
    assert set(plain.best_score_) == {"training", "valid_1"}
    ours, _ = _quiet_fit(FocalLGBMClassifier(), X, y,
                         eval_set=[(X, y), (X[:15], y[:15])],
                         eval_sample_weight=[w, None], eval_metric="multi_logloss")
    proba = ours.predict_proba(X)
    assert set(ours.evals_result_) == set(plain.best_score_)  # LGBMClassifier's names
    for name, rows, weight in [("training", slice(None), w), ("valid_1", slice(15), None)]:
        log = ours.evals_result_[name]
        assert list(log) == ["multi_logloss", "focal_loss"]
        assert log["multi_logloss"][0] == pytest.approx(
            log_loss(y[rows], proba[rows], sample_weight=None if weight is None
                     else weight[rows]), rel=1e-9)
    assert ours.best_score_ == ours.evals_result_["valid_1"]["multi_logloss"][0]


def test_constant_lightgbm_model_calls_the_callbacks_without_validation_sets():
    # lgb.train calls its callbacks every round, evaluation sets or not; ours called them
    # only with validation sets, and a callback that saves the model saved nothing
    rs = np.random.RandomState(0)
    X = rs.randn(1500, 4)
    y = (X[:, 0] + rs.randn(1500) > 1.2).astype(float)
    params = {"verbose": -1, "num_threads": 1, "min_data_in_leaf": 800}
    saved: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (the constant model's own warning)
        booster = flgb.train(params, lgb.Dataset(X, y), focal_loss(0.0), 5,
                             callbacks=[lambda env: saved.append(env.model.model_to_string())])
    assert len(saved) == 1
    np.testing.assert_array_equal(lgb.Booster(model_str=saved[0]).predict(X, raw_score=True),
                                  booster.predict(X, raw_score=True))


@pytest.mark.parametrize("spelling", ["DART", "Dart", "RF", "random_forest", "GBRT"])
def test_lightgbm_boosting_is_read_in_any_case_as_lightgbm_reads_it(spelling):
    # LightGBM takes "DART" for "dart": ours took it for gbdt, put the intercept into a
    # tree that DART drops and rescales (0.40 mean probability for a base rate of 0.13),
    # and "RF" stopped in C++ ("init_score() == nullptr")
    rs = np.random.RandomState(0)
    X = rs.randn(2000, 4)
    y = (X[:, 0] + rs.randn(2000) > 1.5).astype(float)
    base = {"verbose": -1, "num_threads": 1, "num_leaves": 7, "drop_rate": 0.5,
            "skip_drop": 0.0, "bagging_freq": 1, "bagging_fraction": 0.7}
    main = {"dart": "dart", "rf": "rf", "random_forest": "rf", "gbrt": "gbdt"}[spelling.lower()]
    ours = [flgb.train({**base, "boosting": b}, lgb.Dataset(X, y), focal_loss(0.0), 10)
            .predict(X, raw_score=True) for b in (spelling, main)]
    np.testing.assert_array_equal(ours[0], ours[1])
    if main == "gbdt":  # (DART's drops and the forest differ by design: README)
        plain = lgb.train({**base, "boosting": spelling, "objective": "binary"},
                          lgb.Dataset(X, y), 10).predict(X, raw_score=True)
        np.testing.assert_allclose(ours[0], plain, rtol=0, atol=1e-9)


@pytest.mark.parametrize("stopping", [{"early_stopping_round": 3},
                                      {"early_stopping_rounds": 3, "first_metric_only": True}])
def test_constant_lightgbm_model_with_early_stopping_in_params(stopping):
    # early stopping set in params reached the built-in fit that grows the constant
    # tree with metric "None": LightGBM's "at least one dataset and eval metric is
    # required" where lgb.train trains
    X = np.ones((300, 3))
    _, y = _rng_data()
    params = {"verbose": -1, **stopping}
    train = lgb.Dataset(X, y)
    plain = lgb.train({**params, "objective": "binary"}, train, 10,
                      valid_sets=[lgb.Dataset(X[:50], y[:50], reference=train)])
    train = lgb.Dataset(X, y)
    with pytest.warns(UserWarning, match="no feature of the training data can be split"):
        booster = flgb.train(params, train, focal_loss(0.0), 10,
                             valid_sets=[lgb.Dataset(X[:50], y[:50], reference=train)])
    np.testing.assert_allclose(flgb.predict_proba(booster, X, focal_loss(0.0)),
                               plain.predict(X), atol=1e-12)


def test_constant_lightgbm_model_says_keep_training_booster_does_not_apply():
    # lgb.train keeps a training booster there; ours, built from its text, raised
    # AttributeError ('_Booster__num_dataset') at rollback_one_iter without a word
    X = np.ones((300, 3))
    _, y = _rng_data()
    with pytest.warns(UserWarning, match="the model is a constant: the init_score given, "
                                         "else the focal-optimal constant.*; "
                                         "keep_training_booster=True does not apply"):
        flgb.train({"verbose": -1}, lgb.Dataset(X, y), focal_loss(2.0), 5,
                   keep_training_booster=True)
    with pytest.warns(UserWarning, match="constant") as record:
        flgb.train({"verbose": -1}, lgb.Dataset(X, y), focal_loss(2.0), 5)
    assert "keep_training_booster" not in str(record[0].message)


def test_constant_lightgbm_model_through_native_train():
    # lgb.train with the built-in objective records one score per round and sets
    # best_score; ours records the constant model's round and sets best_score too, and
    # the callbacks (record_evaluation, early stopping) run as after a round.
    X = np.ones((300, 3))
    _, y = _rng_data()
    plain_log: dict = {}
    train = lgb.Dataset(X, y)
    plain = lgb.train({"objective": "binary", "verbose": -1}, train, 10,
                      valid_sets=[lgb.Dataset(X[:50], y[:50], reference=train)],
                      callbacks=[lgb.record_evaluation(plain_log), lgb.early_stopping(3)])
    assert plain.best_score["valid_0"] and plain_log["valid_0"]
    log: dict = {}
    train = lgb.Dataset(X, y)
    valid = lgb.Dataset(X[:50], y[:50], reference=train)
    loss = focal_loss(2.0)
    with pytest.warns(UserWarning, match="no feature of the training data can be split"):
        booster = flgb.train({"verbose": -1}, train, loss, 10, valid_sets=[train, valid],
                             valid_names=["fit", "check"],
                             callbacks=[lgb.record_evaluation(log), lgb.early_stopping(3)])
    margin = flgb.predict_margin(booster, X[:50])
    expected = focal_metric(loss, y[:50], margin)
    assert log["check"]["focal_loss"] == [pytest.approx(expected, rel=1e-12)]
    assert booster.best_score["check"]["focal_loss"] == pytest.approx(expected, rel=1e-12)
    assert booster.best_score["fit"]["focal_loss"] == pytest.approx(
        focal_metric(loss, y, flgb.predict_margin(booster, X)), rel=1e-12)
    assert flgb.best_iteration(booster) == 0
    # without early stopping best_iteration is 0, as lgb.train leaves it (was -1)
    plain = lgb.train({"objective": "binary", "verbose": -1}, lgb.Dataset(X, y), 3)
    with pytest.warns(UserWarning, match="no feature of the training data can be split"):
        ours = flgb.train({"verbose": -1}, lgb.Dataset(X, y), loss, 3)
    assert ours.best_iteration == plain.best_iteration == 0


def test_xgboost_on_the_same_degenerate_input_reports_a_score_too():
    # consistency of the two estimators: both give best_score_ on the validation set
    X, y = _rng_data(30)
    for cls in ESTIMATORS:
        clf, _ = _quiet_fit(cls(), X, y, eval_set=[(X, y)])
        key = "training" if cls is FocalLGBMClassifier else "validation_0"  # (X, y) again
        assert clf.best_score_ == clf.evals_result_[key]["focal_loss"][
            clf.best_iteration_]


# ------------------------------------------------------------- NUMBA_DISABLE_JIT=1
_LOSS_AND_TRAINING = """
    import json, warnings
    import numpy as np, xgboost as xgb, lightgbm as lgb
    from focal_boost import FocalLGBMClassifier, FocalXGBClassifier, focal_loss, _kernels
    from focal_boost import lightgbm as flgb, xgboost as fxgb
    warnings.simplefilter("ignore")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3)); y = (X[:, 0] + rng.normal(size=300) > 0).astype(int)
    y3 = y + (X[:, 1] > 0.8)
    loss = focal_loss(2.0, 0.25)
    out = {"kernels": _kernels.available()}
    out["binary"] = [a.tolist() for a in loss(y, rng.normal(size=300))]
    out["softmax"] = [a.tolist() for a in focal_loss(1.5)(y3, rng.normal(size=(300, 3)))]
    b = fxgb.train({"max_depth": 2}, xgb.DMatrix(X, y), loss, 5)
    out["xgb"] = fxgb.predict_proba(b, X).tolist()
    b = flgb.train({"verbose": -1, "num_leaves": 4}, lgb.Dataset(X, y), loss, 5)
    out["lgb"] = flgb.predict_proba(b, X, loss).tolist()
    out["xgb_clf"] = FocalXGBClassifier(n_estimators=5).fit(X, y3).predict_proba(X).tolist()
    out["lgb_clf"] = FocalLGBMClassifier(n_estimators=5).fit(X, y3).predict_proba(X).tolist()
    print(json.dumps(out))
"""


def test_numba_disable_jit_falls_back_to_the_reference_path():
    # NUMBA_DISABLE_JIT=1 made every loss call raise AttributeError (enable_caching on a
    # plain function); now the loss, native training and the estimators run on the
    # reference path and give exactly what FOCAL_BOOST_KERNELS=numpy gives.
    disabled = _run(_LOSS_AND_TRAINING, NUMBA_DISABLE_JIT="1")
    assert disabled.returncode == 0, disabled.stderr[-3000:]
    reference = _run(_LOSS_AND_TRAINING, FOCAL_BOOST_KERNELS="numpy")
    assert reference.returncode == 0, reference.stderr[-3000:]
    got, expected = json.loads(disabled.stdout), json.loads(reference.stdout)
    assert got.pop("kernels") is False and expected.pop("kernels") is False
    assert got == expected


# -------------------------------------------------------------- a zero-row eval_set
def test_zero_row_eval_set_as_each_plain_classifier():
    # XGBClassifier evaluates a zero-row eval_set (logloss 0.0 every round); ours
    # evaluates it too, with the focal loss NaN (no rows: no value). LGBMClassifier
    # stops in LightGBM's C++ check (num_data > 0) leaving a Dataset with a NULL handle
    # (run apart); ours refuses before LightGBM with the set and the fix named.
    pd = pytest.importorskip("pandas")
    X, y = _rng_data()
    plain = xgb.XGBClassifier(n_estimators=4).fit(X, y, eval_set=[(X[:0], y[:0])],
                                                   verbose=False)
    assert len(plain.evals_result()["validation_0"]["logloss"]) == 4
    ours = FocalXGBClassifier(n_estimators=4).fit(X, y, eval_set=[(X[:0], y[:0])])
    log = ours.evals_result_["validation_0"]["focal_loss"]
    assert len(log) == 4 and np.isnan(log).all()
    frame = pd.DataFrame(X, columns=list("abc"))
    FocalXGBClassifier(n_estimators=2).fit(frame, y, eval_set=[(frame[:0], y[:0])])
    # multi-label (XGBoost hands margins of shape (0,)), with metrics: all NaN
    labels = np.column_stack([y, 1 - y, (X[:, 1] > 0).astype(int)])
    plain = xgb.XGBClassifier(n_estimators=2).fit(X, labels, verbose=False,
                                                 eval_set=[(X[:0], labels[:0])])
    assert len(plain.evals_result()["validation_0"]["logloss"]) == 2
    ours = FocalXGBClassifier(n_estimators=2, eval_metric=["logloss", "auc"]).fit(
        X, labels, eval_set=[(X[:0], labels[:0])])
    assert list(ours.evals_result_["validation_0"]) == ["focal_loss", "logloss", "auc"]
    assert all(np.isnan(v).all() for v in ours.evals_result_["validation_0"].values())

    result = _run("""
        import numpy as np, lightgbm as lgb
        X = np.random.default_rng(0).normal(size=(300, 3)); y = (X[:, 0] > 0).astype(int)
        try:
            lgb.LGBMClassifier(n_estimators=4, verbose=-1).fit(X, y, eval_set=[(X[:0], y[:0])])
        except lgb.basic.LightGBMError as exc:
            print("refused:", exc)
    """)
    assert result.returncode == 0 and "refused:" in result.stdout and "num_data" in \
        result.stdout
    with pytest.raises(ValueError, match=r"^eval_set\[0\] has no rows"):  # the estimator's name
        FocalLGBMClassifier(n_estimators=4).fit(X, y, eval_set=[(X[:0], y[:0])])
    train = lgb.Dataset(X, y)  # native train: refused before LightGBM builds the set
    with pytest.raises(ValueError, match=r"valid_sets\[0\] \('valid_0'\) has no rows"):
        flgb.train({"verbose": -1}, train, focal_loss(), 2,
                   valid_sets=[lgb.Dataset(X[:0], y[:0], reference=train)])


# ====================================================================== silent failures
# ------------------------------------------------------ an eval_metric that raises
def test_eval_metric_that_raises_raises_as_in_the_plain_classifiers():
    # accuracy_score on probabilities: XGBClassifier raises the metric's ValueError (and
    # LGBMClassifier raises too); ours raised nothing, logged NaN and kept one tree.
    X, y = _rng_data()
    with pytest.raises(ValueError) as plain_error:
        xgb.XGBClassifier(n_estimators=3, eval_metric=accuracy_score).fit(
            X, y, eval_set=[(X, y)], verbose=False)
    with pytest.raises(Exception):  # noqa: B017 - LightGBM raises its own TypeError
        _plain(FocalLGBMClassifier, n_estimators=3).fit(X, y, eval_set=[(X, y)],
                                                          eval_metric=accuracy_score)
    message = str(plain_error.value)
    with pytest.raises(ValueError, match=message):
        FocalXGBClassifier(n_estimators=3, eval_metric=accuracy_score,
                           early_stopping_rounds=2).fit(X, y, eval_set=[(X, y)])
    with pytest.raises(ValueError, match=message):
        FocalLGBMClassifier(n_estimators=3, early_stopping_rounds=2).fit(
            X, y, eval_set=[(X, y)], eval_metric=accuracy_score)
    with pytest.raises(ValueError, match=message):  # also on the held-out rows
        FocalXGBClassifier(n_estimators=3, eval_metric=accuracy_score,
                           early_stopping_rounds=2).fit(X, y)


def test_eval_metric_callable_takes_the_evaluation_weights_as_in_xgbclassifier():
    # a callable of **kwargs was scored unweighted (it names no sample_weight): early
    # stopping on a weighted eval set kept round 4 where XGBClassifier keeps round 1; one
    # that takes no weights was scored unweighted too, without a word

    X, y = make_classification(800, 6, weights=[0.8], flip_y=0.1, random_state=0)
    Xt, yt, Xv, yv = X[:500], y[:500], X[500:], y[500:]
    wv = np.where(yv == 1, 5.0, 0.2)

    def my_logloss(y_true, y_score, **kwargs):
        return log_loss(y_true, y_score, **kwargs)

    kw = dict(n_estimators=300, max_depth=4, learning_rate=0.3, early_stopping_rounds=10)
    plain = xgb.XGBClassifier(eval_metric=my_logloss, **kw).fit(
        Xt, yt, eval_set=[(Xv, yv)], sample_weight_eval_set=[wv], verbose=False)
    ours = FocalXGBClassifier(gamma=0.0, eval_metric=[my_logloss], **kw).fit(
        Xt, yt, eval_set=[(Xv, yv)], sample_weight_eval_set=[wv])
    assert ours.best_iteration_ == plain.best_iteration
    assert ours.best_score_ == pytest.approx(plain.best_score, rel=1e-5)
    lgbm = FocalLGBMClassifier(gamma=0.0, **kw).fit(  # (a fit parameter, as in LGBMClassifier)
        Xt, yt, eval_set=[(Xv, yv)], eval_sample_weight=[wv], eval_metric=[my_logloss])
    recorded = lgbm.evals_result_["valid_0"]["my_logloss"][0]
    first = lgbm.predict_proba(Xv, num_iteration=1)
    assert recorded == pytest.approx(log_loss(yv, first, sample_weight=wv))

    def unweighted(y_true, y_score):
        return log_loss(y_true, y_score)

    with pytest.raises(TypeError, match="sample_weight"):
        xgb.XGBClassifier(eval_metric=unweighted, **kw).fit(
            Xt, yt, eval_set=[(Xv, yv)], sample_weight_eval_set=[wv], verbose=False)
    # (LGBMClassifier scores it unweighted: ours too, saying so)
    for make, weights in (
            (lambda: FocalXGBClassifier(eval_metric=[unweighted], **kw), "sample_weight_eval_set"),
            (lambda: FocalLGBMClassifier(**kw), "eval_sample_weight")):
        metric = {} if weights == "sample_weight_eval_set" else {"eval_metric": [unweighted]}
        with pytest.warns(UserWarning, match="eval_metric 'unweighted' takes no "
                                             "sample_weight: the evaluation rows are"):
            weighted = make().fit(Xt, yt, eval_set=[(Xv, yv)], **{weights: [wv]}, **metric)
        plain = make().fit(Xt, yt, eval_set=[(Xv, yv)], **metric)  # no weights: as given
        (a,), (b,) = weighted.evals_result_.values(), plain.evals_result_.values()
        n = min(len(a["unweighted"]), len(b["unweighted"]))  # (the focal loss is weighted)
        assert a["unweighted"][:n] == b["unweighted"][:n]


@pytest.mark.parametrize("metric", ["auc", roc_auc_score])
def test_auc_of_a_one_class_validation_set_stays_nan_as_in_xgbclassifier(metric):
    # XGBClassifier reports NaN for an AUC that is undefined (one class in the validation
    # set), by name or as scikit-learn's callable; ours too, in both estimators.
    # (LGBMClassifier's built-in "auc" reports 1.0 there; NaN says the value is undefined.)
    X, y = _rng_data()
    one = (X[y == 1], y[y == 1])
    plain = xgb.XGBClassifier(n_estimators=3, eval_metric=metric).fit(
        X, y, eval_set=[one], verbose=False)
    name = metric if isinstance(metric, str) else metric.__name__
    assert np.isnan(plain.evals_result()["validation_0"][name]).all()
    for cls in ESTIMATORS:
        ours = cls(n_estimators=3)
        if cls is FocalXGBClassifier:
            ours.set_params(eval_metric=metric).fit(X, y, eval_set=[one])
        else:
            ours.fit(X, y, eval_set=[one], eval_metric=metric)
        assert np.isnan(ours.evals_result_[set_name(ours)][name]).all()


# -------------------------------------------------------------------- NaN label
def test_lightgbm_native_nan_label_is_refused_by_row():
    # lgb.train takes a NaN label silently as 0 (built-in and custom objectives alike);
    # ours says which rows (before: "cannot convert float NaN to integer").
    X, y = _made_data(2)
    y = y.astype(np.float64)
    y[[7, 11]] = np.nan
    plain = lgb.Dataset(X, y, params={"verbose": -1}).construct()
    assert plain.get_label()[7] == 0.0  # what the plain library trains on
    for init_score in ("auto", 0.0, None):
        with pytest.raises(ValueError, match=r"2 NaN labels \(rows 7, 11\)"):
            flgb.train({"verbose": -1}, lgb.Dataset(X, y), focal_loss(2.0), 3,
                       init_score=init_score)


# ------------------------------------------------------------------ alias clashes
@pytest.mark.parametrize("kw, name, expected", [
    ({"num_leaves": 4, "max_leaves": 31}, "num_leaves", "4"),  # the issue's case
    ({"max_leaves": 8}, "num_leaves", "31"),  # the named default is the main name: wins
    ({"min_child_samples": 5, "min_data": 50}, "min_data_in_leaf", "50"),  # shorter alias
    ({"min_data_per_leaf": 7}, "min_data_in_leaf", "20"),  # same length: alphabetical
    ({"subsample": 0.5, "bagging_fraction": 0.9, "subsample_freq": 1},
     "bagging_fraction", "0.9"),
    ({"learning_rate": 0.3, "eta": 0.05}, "learning_rate", "0.3"),
])
def test_lightgbm_alias_clash_ends_as_in_lgbmclassifier(kw, name, expected):
    # Each clash between a named parameter and a keyword alias trains with the value
    # LGBMClassifier trains with (LightGBM's rule: main name, then shortest alias, then
    # alphabetical); the user's spelling that loses is named in a warning.
    X, y = _made_data(2)
    base = {"n_estimators": 3, "n_jobs": 1, "random_state": 0}
    plain = lgb.LGBMClassifier(verbose=-1, **base, **kw).fit(X, y)
    assert _model_param(plain.booster_, name) == expected
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ours = FocalLGBMClassifier(**_CE, **base, **kw).fit(X, y)
    assert _model_param(ours.booster_, name) == expected
    assert any("ignored: LightGBM takes" in str(w.message) for w in caught)
    diff = np.abs(raw_margins(ours, X) - plain.predict(X, raw_score=True)).max()
    assert diff < 1e-10, diff


@pytest.mark.parametrize("kw, name, expected", [
    ({"num_leaves": None, "max_leaves": 4}, "num_leaves", "4"),
    ({"min_data": None, "min_child_samples": 150}, "min_data_in_leaf", "150"),
    ({"learning_rate": None, "shrinkage_rate": 0.9}, "learning_rate", "0.9"),
    ({"boosting": None, "boosting_type": "goss"}, "data_sample_strategy", "goss"),
])
def test_lightgbm_a_spelling_set_to_none_gives_way_as_in_lgbmclassifier(kw, name, expected):
    # None is no value: LGBMClassifier and lgb.train hand LightGBM none, and the other
    # spelling trains; ours let the None spelling win (LightGBM's default trained) and
    # warned that the value given was ignored. Unsetting with set_params alike.
    X, y = _made_data(2)
    base = {"n_estimators": 3, "n_jobs": 1, "random_state": 0}
    plain = lgb.LGBMClassifier(verbose=-1, **base, **kw).fit(X, y)
    assert _model_param(plain.booster_, name) == expected
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # (nothing is lost)
        ours = FocalLGBMClassifier(**_CE, **base, **kw).fit(X, y)
    assert _model_param(ours.booster_, name) == expected
    diff = np.abs(raw_margins(ours, X) - plain.predict(X, raw_score=True)).max()
    assert diff < 1e-10, diff
    unset = {key: None for key, value in kw.items() if value is not None}
    again = FocalLGBMClassifier(**_CE, **base, **unset).set_params(**kw).fit(X, y)
    np.testing.assert_array_equal(raw_margins(again, X), raw_margins(ours, X))
    native = flgb.train({"verbose": -1, "num_threads": 1, **kw}, lgb.Dataset(X, y),
                        focal_loss(0.0), 3)
    assert _model_param(native, name) == expected
    assert flgb.resolve_aliases({"num_leaves": None}) == {"num_leaves": None}


def test_lightgbm_spellings_of_one_value_are_no_clash():
    # n_jobs=1 with num_threads=1 loses nothing: no warning (LGBMClassifier says nothing)
    X, y = _made_data(2)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        FocalLGBMClassifier(n_estimators=2, n_jobs=1, num_threads=1, random_state=3,
                            seed=3).fit(X, y)


def test_lightgbm_native_alias_clash_ends_as_in_lgb_train():
    # Native train: the same rule as lgb.train applies to the parameters it is given.
    X, y = _made_data(2)
    params = {"num_leaves": 4, "max_leaves": 31, "min_data": 50, "min_child_samples": 5,
              "verbose": -1, "num_threads": 1}
    with pytest.warns(UserWarning, match="max_leaves=31 ignored"):
        ours = flgb.train(params, lgb.Dataset(X, y), ce_loss(), 3)
    plain = lgb.train({**params, "objective": "binary"}, lgb.Dataset(X, y), 3)
    for name in ("num_leaves", "min_data_in_leaf"):
        assert _model_param(ours, name) == _model_param(plain, name)
    assert _model_param(ours, "num_leaves") == "4"


def test_lightgbm_one_parameter_is_read_as_lightgbm_takes_it():
    # Where a setting is read on its own (early stopping's min_delta, the forest and
    # split checks, predict's threads), the spelling LightGBM trains with is read, for
    # every parameter with aliases: not the first alias found in a set, whose order
    # changed with the process's string hashing.
    from lightgbm.basic import _ConfigAliases

    for main, spellings in _ConfigAliases._get_all_param_aliases().items():
        keys = sorted({main, *spellings})
        if len(keys) < 2:
            continue
        for given in (keys, keys[1:]):  # with and without the main name
            params = {key: i for i, key in enumerate(given)}
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                expected = flgb.resolve_aliases(params)[main]
            assert flgb.param_value(params, main, None) == expected, (main, params)
            assert flgb.param_value(params, given[-1], None) == expected, (main, params)


def test_lightgbm_forest_spelled_twice_is_read_as_trained():
    # boosting="rf" wins over boosting_type="gbdt" in training (the main name): the
    # forest's predict refuses num_iteration in every process, as it averages all trees.
    X, y = _made_data(2)
    kw = {"subsample": 0.5, "subsample_freq": 1, "n_estimators": 5, "n_jobs": 1}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf = FocalLGBMClassifier(boosting_type="gbdt", boosting="rf", **kw).fit(X, y)
        forest = FocalLGBMClassifier(boosting="rf", **kw).fit(X, y)
    np.testing.assert_array_equal(raw_margins(clf, X), raw_margins(forest, X))
    with pytest.raises(ValueError, match="random forest"):
        clf.predict_proba(X[:2], num_iteration=2)


def test_dask_lightgbm_alias_clash_ends_as_in_lgbmclassifier():
    # The Dask estimator builds its parameters in the same shared step: the issue's
    # clash trains 4-leaf trees, as LGBMClassifier (and FocalLGBMClassifier) do.
    pytest.importorskip("distributed")
    da = pytest.importorskip("dask.array")
    from distributed import Client, LocalCluster

    from focal_boost.dask import FocalDaskLGBMClassifier

    X, y = _made_data(2)
    kw = {"num_leaves": 4, "max_leaves": 31, "n_estimators": 3, "random_state": 0}
    plain = lgb.LGBMClassifier(verbose=-1, **kw).fit(X, y)
    with (LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                       dashboard_address=None) as cluster, Client(cluster) as client,
          warnings.catch_warnings()):
        warnings.simplefilter("ignore")
        clf = FocalDaskLGBMClassifier(client=client, **kw).fit(
            da.from_array(X, chunks=300), da.from_array(y, chunks=300))
    assert _model_param(clf.booster_, "num_leaves") == _model_param(plain.booster_,
                                                                    "num_leaves") == "4"
    assert max(t["num_leaves"] for t in clf.booster_.dump_model()["tree_info"]) <= 4


# ----------------------------------------------------- silent constant-model fallback
def _stderr_of(code: str) -> str:
    """Standard error of ``code`` run in a fresh interpreter (LightGBM writes its Fatal
    messages from C, past Python's sys.stderr)."""
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)],
                            capture_output=True, text=True, timeout=300, check=True)
    return result.stderr



@pytest.mark.parametrize("rounds", [1, 5])
def test_constant_lightgbm_model_sets_best_iteration_as_lgb_train(rounds):
    # lgb.train goes on, every round the same, until early stopping keeps the first:
    # best_iteration 1, and past a continued model's rounds (4 of 3). Ours gave 0 (1 with
    # one round), and 1 for a continued model, whose predictions then used 1 of its 3
    # rounds (0.147 off in margin; FocalLGBMClassifier 0.097 in probability)
    rng = np.random.default_rng(0)
    X, Xv = rng.normal(size=(100, 3)), rng.normal(size=(50, 3))
    y, yv = (X[:, 0] > 0).astype(int), (Xv[:, 0] > 0).astype(int)
    unsplittable = {"verbose": -1, "min_data_in_leaf": 1000}
    loss = focal_loss(2.0)
    first = {"plain": lgb.train({"verbose": -1, "objective": "binary"}, lgb.Dataset(X, y), 3),
             "ours": flgb.train({"verbose": -1}, lgb.Dataset(X, y), loss, 3)}
    for init in (None, "continued"):
        plain = lgb.train({**unsplittable, "objective": "binary"}, lgb.Dataset(X, y), rounds,
                          valid_sets=[lgb.Dataset(Xv, yv)],
                          init_model=init and first["plain"],
                          callbacks=[lgb.early_stopping(1, verbose=False)])
        with pytest.warns(UserWarning, match="no feature of the training data can be split"):
            ours = flgb.train(unsplittable, lgb.Dataset(X, y), loss, rounds,
                              valid_sets=[lgb.Dataset(Xv, yv)], init_model=init and first["ours"],
                              callbacks=[lgb.early_stopping(1, verbose=False)])
        assert ours.best_iteration == plain.best_iteration == (4 if init else 1)
    np.testing.assert_array_equal(flgb.predict_margin(ours, X),
                                  flgb.predict_margin(first["ours"], X))
    est = FocalLGBMClassifier(n_estimators=3).fit(X, y)
    with pytest.warns(UserWarning, match="no feature"):
        again = FocalLGBMClassifier(n_estimators=rounds, min_child_samples=1000,
                                    early_stopping_rounds=1).fit(X, y, eval_set=[(Xv, yv)],
                                                                 init_model=est)
    assert again.best_iteration_ == 2  # the last of the 3 rounds it continued, 0-based
    np.testing.assert_array_equal(again.predict_proba(X), est.predict_proba(X))


@pytest.mark.parametrize(("params", "stopping"), [
    ({"early_stopping_round": 2}, None), ({"boosting": "dart"}, 2), ({}, 0),
    ({"metric": "auc"}, 2), ({"early_stopping_round": 2, "training data only": True}, None)])
def test_constant_lightgbm_model_stops_early_only_where_lgb_train_does(params, stopping):
    # params' early_stopping_round stopped it and a metric's wrapped callback did not
    # (best_iteration 0 where lgb.train sets 1); dart and 0 rounds turn LightGBM's off
    # (params' early stopping on the training data alone turns itself off too)
    X = np.ones((300, 3))
    _, y = _rng_data()
    training_only = params.pop("training data only", False)
    params = {"verbose": -1, **params}

    def callbacks():
        return [] if stopping is None else [lgb.early_stopping(stopping, verbose=False)]

    def run(train, params, loss=None):
        valid = [train] if training_only else [lgb.Dataset(X[:50], y[:50])]
        if loss is None:
            return lgb.train({**params, "objective": "binary"}, train, 5, valid_sets=valid,
                             callbacks=callbacks())
        return flgb.train(params, train, loss, 5, valid_sets=valid, callbacks=callbacks())

    plain = run(lgb.Dataset(X, y), params)
    with pytest.warns(UserWarning, match="no feature of the training data can be split"):
        ours = run(lgb.Dataset(X, y), params, ce_loss())
    assert ours.best_iteration == plain.best_iteration
    if "metric" in params:  # the estimator's own (wrapped) early stopping
        with pytest.warns(UserWarning, match="no feature"):
            clf = FocalLGBMClassifier(metric="auc", early_stopping_rounds=3, n_estimators=5,
                                      verbose=-1).fit(X, y, eval_set=[(X[:50], y[:50])])
        assert clf.booster_.best_iteration == 1 and clf.best_iteration_ == 0

def test_constant_model_fallback_is_silent_with_verbose_minus_one():
    # No usable feature (constant columns): LGBMClassifier(verbose=-1) prints nothing from
    # LightGBM; ours neither (before: "[LightGBM] [Fatal] Check failed ..."), through the
    # estimator and native train, and still returns the focal-optimal constant model.
    code = """
        import warnings
        import numpy as np
        import lightgbm as lgb
        from focal_boost import FocalLGBMClassifier, focal_loss
        from focal_boost import lightgbm as flgb
        warnings.simplefilter("ignore")
        X, y = np.ones((300, 3)), (np.arange(300) % 3 == 0).astype(int)
        {fit}
        """
    plain = _stderr_of(code.format(fit="lgb.LGBMClassifier(verbose=-1).fit(X, y)"))
    ours = _stderr_of(code.format(fit="""
        m = FocalLGBMClassifier(verbose=-1).fit(X, y)
        assert np.allclose(m.predict_proba(X[:1])[0, 1], 1 / 3)
        b = flgb.train({"verbose": -1}, lgb.Dataset(X, y), focal_loss(2.0), 5)
        assert b.current_iteration() == 1"""))
    assert "[LightGBM]" not in plain
    assert "[LightGBM]" not in ours, ours


# =============================================================================== inputs
# --------------------------------------------------- LGBMClassifier.fit parameters
_CE = {"gamma": 0.0, "hessian": "exact"}  # gamma 0: LightGBM's binary / multiclass model


@pytest.mark.parametrize("k", [2, 3])
def test_lightgbm_fit_init_score_as_in_lgbmclassifier(k):
    # init_score of fit: every row's start margin in training, not added at predict; the
    # model adds no intercept of its own ("auto", as boost_from_average). At gamma 0 the
    # raw scores equal LGBMClassifier's with the same init_score.
    X, y = _made_data(k)
    rng = np.random.default_rng(1)
    start = rng.normal(scale=0.5, size=(len(y), k) if k > 2 else len(y))
    kw = {"n_estimators": 10, "num_leaves": 7, "n_jobs": 1, "random_state": 0}
    ours = FocalLGBMClassifier(**_CE, **kw).fit(X, y, init_score=start)
    plain = lgb.LGBMClassifier(verbose=-1, **kw).fit(X, y, init_score=start)
    diff = np.abs(raw_margins(ours, X) - plain.predict(X, raw_score=True)).max()
    assert diff < 1e-10, diff
    # and it changes the model: without it the trees differ
    without = FocalLGBMClassifier(**_CE, **kw).fit(X, y)
    assert np.abs(raw_margins(without, X) - raw_margins(ours, X)).max() > 1e-3


def test_lightgbm_fit_init_score_of_the_wrong_shape_is_refused_by_name():
    # One margin per row (and class): another shape is refused naming init_score.
    X, y = _made_data(3)
    with pytest.raises(ValueError, match=r"init_score has shape \(600,\).*\(600, 3\)"):
        FocalLGBMClassifier(n_estimators=2).fit(X, y, init_score=np.zeros(len(y)))


def test_lightgbm_fit_init_score_is_split_with_the_held_out_rows():
    # Early stopping without eval_set holds out rows: they keep their start margins, so
    # a constant per-row start c trains and validates as the constructor's init_score=c
    # (the validation log is the same), while predictions leave the per-row one out.
    X, y = _made_data(2)
    kw = {"n_estimators": 20, "early_stopping_rounds": 3, "n_jobs": 1, "random_state": 0}
    c = -0.7
    rows = FocalLGBMClassifier(init_score=None, **kw).fit(X, y, init_score=np.full(len(y), c))
    const = FocalLGBMClassifier(init_score=c, **kw).fit(X, y)
    np.testing.assert_allclose(rows.evals_result_["valid_0"]["focal_loss"],
                               const.evals_result_["valid_0"]["focal_loss"], rtol=1e-12)
    np.testing.assert_allclose(raw_margins(rows, X) + c, raw_margins(const, X),
                               atol=1e-12)


def test_lightgbm_fit_categorical_feature_as_in_lgbmclassifier():
    # categorical_feature of fit makes column 0 categorical, as in LGBMClassifier: the
    # trees split it by category, and at gamma 0 the raw scores agree.
    rng = np.random.default_rng(0)
    n = 800
    cat = rng.integers(0, 8, n)
    X = np.column_stack([cat, rng.normal(size=n)]).astype(np.float64)
    y = (np.isin(cat, [1, 4, 6]) ^ (rng.random(n) < 0.1)).astype(int)
    kw = {"n_estimators": 10, "num_leaves": 7, "n_jobs": 1, "random_state": 0}
    ours = FocalLGBMClassifier(**_CE, **kw).fit(X, y, categorical_feature=[0])
    plain = lgb.LGBMClassifier(verbose=-1, **kw).fit(X, y, categorical_feature=[0])

    def categorical_splits(booster):
        nodes, found = [booster.dump_model()["tree_info"][0]["tree_structure"]], 0
        while nodes:
            node = nodes.pop()
            if "split_index" in node:
                found += node["decision_type"] == "=="
                nodes += [node["left_child"], node["right_child"]]
        return found

    assert categorical_splits(ours.booster_) > 0
    assert categorical_splits(ours.booster_) == categorical_splits(plain.booster_)
    diff = np.abs(raw_margins(ours, X) - plain.predict(X, raw_score=True)).max()
    assert diff < 1e-10, diff
    numeric = FocalLGBMClassifier(**_CE, **kw).fit(X, y)
    assert categorical_splits(numeric.booster_) == 0


# ----------------------------------------------------- LightGBM: metric="None"
@pytest.mark.parametrize("spelling", ["None", "na", "null", "custom", ""])
def test_lightgbm_metric_none_adds_no_metric(spelling):
    # LGBMClassifier(metric="None") switches its metrics off ("" keeps the objective's
    # default); ours logs only the focal loss (was refused as an unknown eval_metric).
    X, y = _rng_data()
    plain = _plain(FocalLGBMClassifier, metric=spelling, n_estimators=3).fit(
        X, y, eval_set=[(X[:50], y[:50])])
    assert all(list(log) in ([], ["binary_logloss"]) for log in plain.evals_result_.values())
    ours = FocalLGBMClassifier(metric=spelling, n_estimators=3).fit(
        X, y, eval_set=[(X[:50], y[:50])])
    assert list(ours.evals_result_["valid_0"]) == ["focal_loss"]
    both = FocalLGBMClassifier(metric=["auc", spelling], n_estimators=3).fit(
        X, y, eval_set=[(X[:50], y[:50])])
    assert list(both.evals_result_["valid_0"]) == ["auc", "focal_loss"]
    # the same spellings as fit(eval_metric=...), which LGBMClassifier.fit takes too
    # (they were refused as unknown metrics there)
    _plain(FocalLGBMClassifier, n_estimators=3).fit(X, y, eval_set=[(X[:50], y[:50])],
                                                    eval_metric=spelling)
    fit = FocalLGBMClassifier(n_estimators=3).fit(X, y, eval_set=[(X[:50], y[:50])],
                                                  eval_metric=[spelling, "auc"])
    assert list(fit.evals_result_["valid_0"]) == ["auc", "focal_loss"]


# ---------------------------------------------------------- XGBoost: auc and aucpr
@pytest.mark.parametrize("classes", [2, 3])
def test_xgboost_auc_and_aucpr_are_recorded_as_in_xgbclassifier(classes):
    # XGBClassifier(eval_metric="aucpr") records XGBoost's interpolated PR area, and its
    # multiclass "auc" weighs the classes by their rows; ours recorded average precision
    # and the plain mean. At gamma 0 with XGBClassifier's start the models are its own.
    X, y = _rng_data(600, 4, classes=classes)
    start = np.zeros((600, classes) if classes > 2 else 600)
    kwargs = {"n_estimators": 8, "eval_metric": ["auc", "aucpr"], "n_jobs": 1}
    fit = {"base_margin": start[:400], "eval_set": [(X[400:], y[400:])],
           "base_margin_eval_set": [start[400:]], "verbose": False}
    ours = FocalXGBClassifier(**_CE, **kwargs).fit(X[:400], y[:400], **fit)
    plain = _plain(FocalXGBClassifier, **kwargs).fit(X[:400], y[:400], **fit)
    for name in ("auc", "aucpr"):
        np.testing.assert_allclose(ours.evals_result_["validation_0"][name],
                                   plain.evals_result()["validation_0"][name], rtol=1e-6)


# ---------------------------------------------------------- LightGBM: auc_mu
def test_lightgbm_auc_mu_is_recorded_as_in_lgbmclassifier():
    # LGBMClassifier(metric="auc_mu") records LightGBM's multiclass AUC-mu; ours refused
    # the name (naming eval_metric, which was not set). At gamma 0 the models are
    # LightGBM's, and the values its own (40 rounds: no ties between rows' differences).
    X, y = _rng_data(600, 5, classes=4)
    ev = [(X[400:], y[400:])]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # eval_set's deprecation in 4.7
        plain = _plain(FocalLGBMClassifier, metric="auc_mu", n_estimators=40).fit(
            X[:400], y[:400], eval_set=ev)
    ours = FocalLGBMClassifier(metric="auc_mu", n_estimators=40, **_CE).fit(
        X[:400], y[:400], eval_set=ev)
    assert list(ours.evals_result_["valid_0"]) == ["auc_mu", "focal_loss"]
    np.testing.assert_allclose(ours.evals_result_["valid_0"]["auc_mu"],
                               plain.evals_result_["valid_0"]["auc_mu"], rtol=1e-12)
    fit = FocalLGBMClassifier(n_estimators=3).fit(X[:400], y[:400], eval_set=ev,
                                                  eval_metric="auc_mu")
    assert fit.evals_result_["valid_0"]["auc_mu"][-1] == pytest.approx(
        metrics.auc_mu(y[400:], fit.predict_proba(X[400:])), rel=1e-12)
    xgb_fit = FocalXGBClassifier(n_estimators=3, eval_metric="auc_mu").fit(
        X[:400], y[:400], eval_set=ev)
    assert xgb_fit.evals_result_["validation_0"]["auc_mu"][-1] == pytest.approx(
        metrics.auc_mu(y[400:], xgb_fit.predict_proba(X[400:])), rel=1e-12)
    # its weights are LightGBM's defaults only (refused with auc_mu from either
    # parameter, taken without it); binary models refuse it, as LightGBM does
    for params, fit_params in (({"metric": "auc_mu"}, {}), ({}, {"eval_metric": "auc_mu"})):
        with pytest.raises(ValueError, match="auc_mu_weights: .* leave auc_mu_weights unset"):
            FocalLGBMClassifier(auc_mu_weights=[1.0] * 16, n_estimators=3, **params).fit(
                X[:400], y[:400], eval_set=ev, **fit_params)
    FocalLGBMClassifier(auc_mu_weights=[1.0] * 16, n_estimators=3).fit(X[:400], y[:400],
                                                                        eval_set=ev)
    # before training, naming where it came from (it was the first evaluation's error)
    for model, named in ((FocalLGBMClassifier(metric="auc_mu"), "eval_metric or metric"),
                         (FocalXGBClassifier(eval_metric="auc_mu"), "eval_metric")):
        with pytest.raises(ValueError, match=f"^{named} 'auc_mu' is LightGBM's multiclass "
                                             "AUC-mu, for three classes or more; y is "
                                             "binary or multi-label: use 'auc'$"):
            model.fit(X[:400], y[:400] > 1, eval_set=[(X[400:], y[400:] > 1)])
    # a name no metric has is refused under the parameter that gave it (it said
    # "eval_metric 'rmse'" for metric="rmse")
    for params, fit_params, named in (({"metric": "rmse"}, {}, "metric"),
                                      ({"metric_types": ["auc", "rmse"]}, {}, "metric"),
                                      ({}, {"eval_metric": "rmse"}, "eval_metric")):
        with pytest.raises(ValueError, match=f"^{named} 'rmse' is not supported: use one of"):
            FocalLGBMClassifier(n_estimators=3, **params).fit(X, y, eval_set=ev, **fit_params)
    with pytest.raises(ValueError, match="^metric 'focal_loss': the focal loss is recorded "
                                         r"every round without it \(evals_result_"):
        FocalLGBMClassifier(metric="focal_loss", n_estimators=3).fit(X, y, eval_set=ev)
    # LightGBM's aliases of its log-loss, as LGBMClassifier takes them
    # (and XGBoost's names, under LGBMClassifier's: they were recorded as "mlogloss")
    for alias in ("binary", "ova", "multiclass", "softmax", "mlogloss"):
        aliased = FocalLGBMClassifier(metric=alias, n_estimators=3).fit(X, y, eval_set=ev)
        assert list(aliased.evals_result_["valid_0"]) == ["multi_logloss", "focal_loss"]
    aliased = FocalLGBMClassifier(metric="merror", n_estimators=3).fit(X, y, eval_set=ev)
    assert list(aliased.evals_result_["valid_0"]) == ["multi_error", "focal_loss"]


# ------------------------------------------------------- XGBoost: missing=np.inf
def test_xgboost_missing_inf_takes_infinite_values_as_missing():
    # XGBClassifier(missing=np.inf) treats inf as missing: the model equals the one
    # trained with NaN in its place; ours was refused by the finite check.
    pd = pytest.importorskip("pandas")
    X, y = _rng_data(400)
    X_inf = X.copy()
    X_inf[::7, 1] = np.inf
    X_nan = np.where(np.isinf(X_inf), np.nan, X_inf)
    plain = xgb.XGBClassifier(missing=np.inf, n_estimators=5).fit(X_inf, y)
    np.testing.assert_allclose(plain.predict_proba(X_inf),
                               xgb.XGBClassifier(n_estimators=5).fit(X_nan, y)
                               .predict_proba(X_nan))
    ours = FocalXGBClassifier(missing=np.inf, n_estimators=5).fit(
        X_inf, y, eval_set=[(X_inf, y)])
    reference = FocalXGBClassifier(n_estimators=5).fit(X_nan, y, eval_set=[(X_nan, y)])
    np.testing.assert_allclose(ours.predict_proba(X_inf), reference.predict_proba(X_nan))
    assert ours.evals_result_ == reference.evals_result_
    frame = pd.DataFrame(X_inf, columns=list("abc"))  # a DataFrame too
    np.testing.assert_allclose(
        FocalXGBClassifier(missing=np.inf, n_estimators=5).fit(frame, y).predict_proba(frame),
        reference.predict_proba(X_nan))


def test_xgboost_inf_without_missing_inf_is_refused_naming_missing():
    # XGBoost refuses inf unless missing=inf (its message names `missing`); so do we.
    X, y = _rng_data()
    X[::7, 1] = np.inf
    with pytest.raises(xgb.core.XGBoostError, match="missing"):
        xgb.XGBClassifier(n_estimators=2).fit(X, y)
    with pytest.raises(ValueError, match=r"infinity.*missing=np\.inf"):
        FocalXGBClassifier(n_estimators=2).fit(X, y)
    with pytest.raises(ValueError, match=r"infinity.*missing=np\.inf"):  # eval_set too
        FocalXGBClassifier(n_estimators=2).fit(np.nan_to_num(X, posinf=9.0), y,
                                               eval_set=[(X, y)])
    # a DataFrame too (its columns were handed to XGBoost unchecked: a C++ stack trace)
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(X, columns=list("abc")).astype({"c": "Float64"})
    with pytest.raises(ValueError, match=r"infinity in column\(s\) 'b'\..*missing=np\.inf"):
        FocalXGBClassifier(n_estimators=2).fit(frame, y)
    with pytest.raises(ValueError, match=r"infinity in column\(s\) 'b'\..*missing=np\.inf"):
        FocalXGBClassifier(n_estimators=2).fit(frame.replace(np.inf, 0), y,
                                               eval_set=[(frame, y)])


def test_xgboost_missing_inf_refuses_the_other_infinity_by_name():
    """missing=np.inf marks +inf only: XGBoost's quantile-based trees (hist, approx)
    refuse -inf with a C++ check that says missing "is not set to inf", and gblinear
    predicts NaN from it; ours names the column and the value, in X, eval sets, frames
    and sparse matrices. missing=-np.inf takes -inf, and exact trees split on it as
    XGBClassifier's do. (The hint for infinities without missing names both signs.)"""
    import scipy.sparse

    pd = pytest.importorskip("pandas")
    X, y = _rng_data(400)
    X[::10, 0] = -np.inf
    with pytest.raises(xgb.core.XGBoostError, match="missing"):
        xgb.XGBClassifier(missing=np.inf, n_estimators=2).fit(X, y)
    message = (r"^X contains -inf in column\(s\) {}, which missing=inf does not mark as "
               r"missing: XGBoost takes one infinite value as its missing value and refuses "
               r"the other; replace them \(with NaN, missing\)$")
    for data, column in ((X, "0"), (scipy.sparse.csr_matrix(X), "0"),
                         (pd.DataFrame(X, columns=list("abc")), "'a'")):
        with pytest.raises(ValueError, match=message.format(column)):
            FocalXGBClassifier(missing=np.inf, n_estimators=2).fit(data, y)
    with pytest.raises(ValueError, match=r"^eval_set\[0\]'s X contains -inf in column\(s\) 0"):
        FocalXGBClassifier(missing=np.inf, n_estimators=2).fit(np.abs(X), y,
                                                               eval_set=[(X, y)])
    with pytest.raises(ValueError, match=r"booster='gblinear' multiplies it by a coefficient"):
        FocalXGBClassifier(missing=np.inf, booster="gblinear", n_estimators=2).fit(X, y)
    assert np.isnan(xgb.XGBClassifier(missing=np.inf, booster="gblinear", n_estimators=2)
                    .fit(X, y).predict_proba(X)).all()
    for params in ({"missing": -np.inf}, {"missing": np.inf, "tree_method": "exact"}):
        plain = xgb.XGBClassifier(n_estimators=2, **params).fit(X, y)
        ours = FocalXGBClassifier(n_estimators=2, gamma=0.0, **params).fit(X, y)
        np.testing.assert_allclose(ours.predict_proba(X), plain.predict_proba(X), atol=1e-6)
    with pytest.raises(ValueError, match=r"missing=-np\.inf for -inf"):
        FocalXGBClassifier(n_estimators=2).fit(X, y)
    # an eval set's DataFrame is named by its set (it was "X")
    frame = pd.DataFrame(X, columns=list("abc"))
    with pytest.raises(ValueError, match=r"^eval_set\[0\]'s X contains infinity in "
                                         r"column\(s\) 'a'\. "):
        FocalXGBClassifier(n_estimators=2).fit(frame.clip(-9, 9), y, eval_set=[(frame, y)])


# ------------------------------------- DataFrame column names of mixed types
@pytest.mark.parametrize("cls", ESTIMATORS)
def test_mixed_type_column_names_fit_as_in_the_plain_classifiers(cls):
    # Both plain classifiers fit a DataFrame with columns ["a", 1, "c", 2.5] and name the
    # features as strings; scikit-learn's check refused them in ours.
    pd = pytest.importorskip("pandas")
    X, y = _rng_data(d=4)
    mixed = pd.DataFrame(X, columns=["a", 1, "c", 2.5])
    named = pd.DataFrame(X, columns=["a", "1", "c", "2.5"])
    plain = _plain(cls, n_estimators=5).fit(mixed, y)
    ours = cls(n_estimators=5).fit(mixed, y, eval_set=[(mixed, y)])
    assert list(ours.feature_names_in_) == list(plain.feature_names_in_) == list(named)
    proba = ours.predict_proba(mixed)
    assert proba.shape == plain.predict_proba(mixed).shape
    # the same model as on string names, and it predicts on either spelling
    np.testing.assert_allclose(proba, cls(n_estimators=5).fit(named, y).predict_proba(named))
    np.testing.assert_allclose(ours.predict_proba(named), proba)
    if cls is FocalLGBMClassifier:
        assert ours.booster_.feature_name() == plain.booster_.feature_name()
    else:
        assert ours.booster_.feature_names == plain.get_booster().feature_names


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_multiindex_column_names_are_joined_as_xgbclassifier_joins_them(cls):
    # XGBClassifier names the feature ("g", "a") "g a" (ours named it "('g', 'a')" and
    # refused a frame of the joined names); LGBMClassifier refuses the tuple names
    pd = pytest.importorskip("pandas")
    X, y = _rng_data(d=4)
    columns = pd.MultiIndex.from_product([["g", "h"], ["a", "b"]])
    frame = pd.DataFrame(X, columns=columns)
    flat = pd.DataFrame(X, columns=["g a", "g b", "h a", "h b"])
    plain = xgb.XGBClassifier(n_estimators=5).fit(frame, y)
    ours = cls(n_estimators=5).fit(frame, y)
    assert list(ours.feature_names_in_) == list(plain.feature_names_in_) == list(flat)
    np.testing.assert_array_equal(ours.predict_proba(flat), ours.predict_proba(frame))
    if cls is FocalLGBMClassifier:  # LightGBM's spaces as underscores, as in the plain one
        assert ours.booster_.feature_name() == _plain(cls, n_estimators=5).fit(
            flat, y).booster_.feature_name() == ["g_a", "g_b", "h_a", "h_b"]
    else:
        assert ours.booster_.feature_names == plain.get_booster().feature_names


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_a_tuple_in_a_flat_column_index_is_one_name_as_in_xgbclassifier(cls):
    # XGBClassifier names it str(tuple); ours joined it as a MultiIndex level ("a b"),
    # and refused a frame that also had a column "a b" (a name given twice)
    pd = pytest.importorskip("pandas")
    X, y = _rng_data(d=3)
    columns = pd.Index([("a", "b"), "a b", "c"], tupleize_cols=False)
    frame = pd.DataFrame(X, columns=columns)
    plain = xgb.XGBClassifier(n_estimators=5).fit(frame, y)
    ours = cls(n_estimators=5).fit(frame, y)
    assert list(ours.feature_names_in_) == list(plain.feature_names_in_) == [
        "('a', 'b')", "a b", "c"]
    # a model fitted before holds the parts joined ("a b"): such a column is read by that
    # name (it was refused as a column unseen at fit time)
    old_names = pd.DataFrame(X, columns=["a b", "b", "c"])
    old = cls(n_estimators=5).fit(old_names, y)
    tuples = pd.DataFrame(X, columns=pd.Index([("a", "b"), "b", "c"], tupleize_cols=False))
    np.testing.assert_array_equal(old.predict_proba(tuples), old.predict_proba(old_names))
    # a frame that holds that name itself is of today's naming: the tuple stays itself
    both = pd.DataFrame(X, columns=pd.Index([("a", "b"), "a b", "c"], tupleize_cols=False))
    with pytest.raises(ValueError, match=r"Feature names unseen at fit time:\n- \('a', 'b'\)"):
        old.predict_proba(both)


# ------------------------------------------------------------- random_state
@pytest.mark.parametrize("cls", ESTIMATORS)
def test_random_state_takes_what_the_plain_classifiers_take(cls):
    # Both plain classifiers take any int as their seed (negative, beyond 2**32) and a
    # numpy Generator; scikit-learn's random_state check refused them in ours.
    X, y = _rng_data()

    def seed(model):
        if cls is FocalLGBMClassifier or isinstance(model, lgb.LGBMClassifier):
            return int(_model_param(model.booster_, "seed"))
        config = json.loads(model.get_booster().save_config())
        return int(config["learner"]["generic_param"]["seed"])

    for random_state in (-5, 2**40):
        plain = _plain(cls, n_estimators=3, random_state=random_state).fit(X, y)
        ours = cls(n_estimators=3, random_state=random_state).fit(X, y)
        assert seed(ours) == seed(plain)
        # the held-out rows of early stopping are seeded by it too, reproducibly
        stopped = [cls(n_estimators=5, random_state=random_state, early_stopping_rounds=2,
                       subsample=0.5).fit(X, y).predict_proba(X) for _ in range(2)]
        np.testing.assert_array_equal(*stopped)
    draws = [cls(n_estimators=3, random_state=np.random.default_rng(7)).fit(X, y)
             for _ in range(2)]
    assert seed(draws[0]) == seed(draws[1]) == int(
        np.random.default_rng(7).integers(np.iinfo(np.int32).max))
    with pytest.raises(ValueError, match="random_state"):
        cls(random_state="0").fit(X, y)


# ----------------------------------------------------------------- one class
@pytest.mark.parametrize("cls", ESTIMATORS)
@pytest.mark.parametrize("label", [0, 1, "b"])
def test_one_class_fits_as_in_the_plain_classifiers(cls, label):
    # LGBMClassifier (and HistGradientBoostingClassifier) fit a y of one class: a binary
    # model of it and a class never seen, two probability columns, the class predicted;
    # XGBClassifier too for the label 0. Ours refused it, so MultiOutputClassifier (the
    # README's way to multi-label with FocalLGBMClassifier) failed on a constant label
    X, _ = make_classification(200, 5, random_state=0)
    y = np.full(200, label, dtype=object if isinstance(label, str) else None)
    plain = lgb.LGBMClassifier(verbose=-1).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing to warn of: the constant is the model
        ours = cls().fit(X, y)
    assert ours.classes_.tolist() == plain.classes_.tolist() == [label]
    assert ours.n_classes_ == plain.n_classes_ == 1
    proba = ours.predict_proba(X)
    assert proba.shape == plain.predict_proba(X).shape == (200, 2)
    np.testing.assert_allclose(proba[:, 0], 1.0, rtol=0, atol=1e-15)
    assert (proba[:, 1] < 1e-40).all()  # the focal-optimal constant's posterior
    np.testing.assert_array_equal(ours.predict(X), plain.predict(X))
    assert (ours.decision_function(X) < -100).all()  # log-odds of the class never seen
    if label == 0:
        np.testing.assert_array_equal(ours.predict(X), xgb.XGBClassifier().fit(X, y).predict(X))
    # a weight of the one class, in any form (the class never seen takes the same)
    for alpha, weights in ((0.25, 0.25), ("balanced", [1.0, 1.0]), ({label: 2.0}, [2.0, 2.0]),
                           ([3.0], [3.0, 3.0])):
        weighted = cls(alpha=alpha).fit(X, y)
        np.testing.assert_array_equal(weighted.loss_.alpha, weights)
        np.testing.assert_array_equal(weighted.predict(X), plain.predict(X))
    with pytest.raises(ValueError, match=r"alpha has 2 weights but y has 1 class"):
        cls(alpha=[1.0, 2.0]).fit(X, y)
    with pytest.raises(ValueError, match=rf"^alpha: the weight of class {label!r} must be "
                                         r"finite and > 0, got -1\.0$"):
        cls(alpha=[-1.0]).fit(X, y)
    with pytest.raises(TypeError, match=rf"^alpha: the weight of class {label!r} must be a "
                                        r"number, got 'x'$"):
        cls(alpha=["x"]).fit(X, y)
    for text in ("1", True, b"1", np.True_):  # (read as 1, as focal_loss refuses them)
        with pytest.raises(TypeError, match=rf"^alpha: the weight of class {label!r} must "
                                            rf"be a number, got {re.escape(repr(text))}$"):
            cls(alpha=[text]).fit(X, y)
    # evaluation sets, early stopping on held-out rows (no warning that it kept the first
    # round: the constant is the model), persistence
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        stopped = cls(early_stopping_rounds=5).fit(X, y, eval_set=[(X[:50], y[:50])])
        held_out = cls(early_stopping_rounds=5).fit(X, y)
    assert stopped.best_score_ < 1e-40
    np.testing.assert_allclose(held_out.predict_proba(X), proba, rtol=1e-12)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(ours)).predict_proba(X), proba)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_one_class_label_in_multioutputclassifier(cls):
    from sklearn.multioutput import MultiOutputClassifier

    X, y = make_classification(300, 5, random_state=0)
    Y = np.c_[y, np.zeros_like(y)]  # a label never set in these rows
    ours = MultiOutputClassifier(cls(gamma=0, n_estimators=10)).fit(X, Y)
    plain = MultiOutputClassifier(_plain(cls, n_estimators=10)).fit(X, Y)
    np.testing.assert_array_equal(ours.predict(X), plain.predict(X))
    for got, expected in zip(ours.predict_proba(X), plain.predict_proba(X), strict=True):
        assert got.shape == expected.shape
        np.testing.assert_allclose(got, expected, atol=1e-5)  # (float32 sums; 1e-15 / 1e-6)


@pytest.mark.parametrize("alpha", [None, [3.0], {"only": 2.0}])
def test_one_class_model_saved_and_loaded(tmp_path, alpha):
    from sklearn.base import clone

    X, _ = make_classification(200, 5, random_state=0)
    y = np.full(200, "only")
    model = FocalXGBClassifier(n_estimators=5, alpha=alpha).fit(X, y)
    model.save_model(tmp_path / "one.ubj")
    loaded = FocalXGBClassifier()
    loaded.load_model(tmp_path / "one.ubj")
    assert loaded.classes_.tolist() == ["only"]
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
    # its parameters fit the same y again (alpha was loaded as [w, w]: "2 weights")
    np.testing.assert_array_equal(clone(loaded).fit(X, y).predict_proba(X),
                                  model.predict_proba(X))


@pytest.mark.parametrize("label", [0.0, 1.0])
def test_one_class_native_training_is_silent_as_xgb_train_and_lgb_train(label):
    # labels of one class: the constant start is the model; xgb.train and lgb.train say
    # nothing of its lack of splits, and neither do ours (they warned "no split")
    X, _ = make_classification(200, 5, random_state=0)
    y = np.full(200, label)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fxgb.train({}, xgb.DMatrix(X, y), focal_loss(), 5)
        flgb.train({"verbose": -1}, lgb.Dataset(X, y), focal_loss(), 5)
        xgb.train({"objective": "binary:logistic"}, xgb.DMatrix(X, y), 5)
    # Datasets whose labels LightGBM reads itself (a subset, continued), a column of
    # labels, a label matrix of constant labels (XGBoost's multi-label)
    first = flgb.train({"verbose": -1}, lgb.Dataset(X, y), focal_loss(), 5)
    parent = lgb.Dataset(X, np.r_[y[:100], 1 - y[100:]], free_raw_data=False)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", "the model has no split")
        flgb.train({"verbose": -1}, parent.subset(np.arange(100)), focal_loss(), 5,
                   init_model=first)
        flgb.train({"verbose": -1}, lgb.Dataset(X, y.reshape(-1, 1)), focal_loss(), 5)
        fxgb.train({}, xgb.DMatrix(X, np.c_[y, 1 - y]), focal_loss(), 5)
        Y = np.c_[y, 1 - y].astype(int)
        FocalXGBClassifier(n_estimators=5).fit(X, Y)
    with warnings.catch_warnings():  # nor of early stopping at the first round
        warnings.filterwarnings("error", "early stopping kept only the first")
        FocalXGBClassifier(n_estimators=20, early_stopping_rounds=3).fit(
            X, Y, eval_set=[(X[:50], Y[:50])])
    # two classes, one of them without weight: still named
    w = np.r_[np.ones(100), np.zeros(100)]
    with pytest.warns(UserWarning, match="no split.*more than one class has sample weight"):
        fxgb.train({"min_child_weight": 0}, xgb.DMatrix(X, np.r_[np.zeros(100), np.ones(100)],
                                                         weight=w), focal_loss(), 5)


def test_one_class_fits_change_no_warning_filter(monkeypatch):
    # their quiet was a process-wide filter, which fits in threads left installed (and
    # then hid the warnings of other fits): the warnings are not raised instead
    X, _ = make_classification(200, 5, random_state=0)
    added = []
    filterwarnings = warnings.filterwarnings
    monkeypatch.setattr(warnings, "filterwarnings", lambda action, message="", *args, **kw: (
        added.append(message), filterwarnings(action, message, *args, **kw))[1])
    for cls in ESTIMATORS:
        cls(n_estimators=5, early_stopping_rounds=2).fit(X, np.zeros(200, int))
    assert not [m for m in added if "split" in m or "early stopping" in m]


# ---------------------------------------------------------------- zero rows
@pytest.mark.parametrize("classes", [2, 3])
@pytest.mark.parametrize("cls", ESTIMATORS)
def test_predict_on_zero_rows(cls, classes):
    # XGBClassifier returns an empty (0, 2) array for binary (and, wrongly, (0, 2) for
    # three classes); LGBMClassifier refuses zero rows. Ours returns (0, n_classes) from
    # predict_proba, decision_function and predict, for arrays and DataFrames.
    pd = pytest.importorskip("pandas")
    X, y = _rng_data(classes=classes)
    plain = _plain(cls, n_estimators=3).fit(X, y)
    if cls is FocalXGBClassifier:
        assert plain.predict_proba(X[:0]).shape[0] == 0
    else:
        with pytest.raises(ValueError, match="0 sample"):
            plain.predict_proba(X[:0])
    ours = cls(n_estimators=3).fit(X, y)
    assert ours.predict_proba(X[:0]).shape == (0, classes)
    assert ours.decision_function(X[:0]).shape == ((0,) if classes == 2 else (0, classes))
    assert ours.predict(X[:0]).shape == (0,)
    frame = pd.DataFrame(X, columns=list("abc"))
    assert cls(n_estimators=3).fit(frame, y).predict_proba(frame[:0]).shape == (0, classes)
    with pytest.raises(ValueError, match="0 sample"):  # training needs rows, as plain
        cls(n_estimators=3).fit(X[:0], y[:0])


@pytest.mark.parametrize("classes", [2, 3])
def test_native_predict_proba_on_zero_rows(classes):
    # Booster.predict gives (0,) for any model (XGBoost 3.4: (0, 0)); the adapters give
    # the model's shape.
    pd = pytest.importorskip("pandas")
    X, y = _rng_data(classes=classes)
    params = {} if classes == 2 else {"num_class": classes}
    shape = (0,) if classes == 2 else (0, classes)
    xgb_booster = fxgb.train(params, xgb.DMatrix(X, y), focal_loss(), 3)
    assert xgb_booster.predict(xgb.DMatrix(X[:0])).shape in ((0,), (0, 0))
    assert fxgb.predict_proba(xgb_booster, X[:0]).shape == shape
    assert fxgb.predict_margin(xgb_booster, xgb.DMatrix(X[:0])).shape == shape
    lgb_booster = flgb.train({"verbose": -1, **params}, lgb.Dataset(X, y), focal_loss(), 3)
    assert lgb_booster.predict(X[:0]).shape == (0,)
    assert flgb.predict_proba(lgb_booster, X[:0], focal_loss()).shape == shape
    assert flgb.predict_margin(lgb_booster, pd.DataFrame(X[:0])).shape == shape
    with pytest.raises(ValueError, match="number of features"):
        flgb.predict_margin(lgb_booster, X[:0, :2])


def test_dask_estimators_zero_rows_and_mixed_column_names():
    # A dask array without rows predicts through the in-memory estimators, which now
    # take zero rows; a zero-row eval_set is evaluated (XGBoost) or refused before
    # LightGBM fails on it (LightGBM). A dask DataFrame with column names of mixed
    # types fits, as with DaskLGBMClassifier (DaskXGBClassifier fails on it in dask's
    # serialisation here).
    pd = pytest.importorskip("pandas")
    da = pytest.importorskip("dask.array")
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    from lightgbm.dask import DaskLGBMClassifier

    from focal_boost.dask import FocalDaskLGBMClassifier, FocalDaskXGBClassifier

    X, y = _rng_data(600, classes=3)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        dX, dy = da.from_array(X, chunks=300), da.from_array(y, chunks=300)
        empty = da.from_array(X[:0], chunks=(0, 3))
        mixed = dd.from_pandas(pd.DataFrame(X, columns=["a", 1, 2.5]), npartitions=2)
        labels = dd.from_pandas(pd.Series(y), npartitions=2)
        plain = DaskLGBMClassifier(n_estimators=3, verbose=-1, client=client).fit(mixed,
                                                                                  labels)
        for cls in (FocalDaskXGBClassifier, FocalDaskLGBMClassifier):
            clf = cls(n_estimators=3, client=client).fit(dX, dy)
            assert clf.predict_proba(empty).compute().shape == (0, 3)
            assert clf.predict(empty).compute().shape == (0,)
            assert clf.decision_function(empty).compute().shape == (0, 3)
            clf = cls(n_estimators=3, client=client).fit(mixed, labels)
            assert list(clf.feature_names_in_) == list(plain.feature_names_in_)
            np.testing.assert_allclose(clf.predict_proba(mixed).compute(),
                                       clf.to_local().predict_proba(mixed.compute()))
        # a zero-row eval_set, as the in-memory estimators (the plain LightGBM side, which
        # fails in C++, is checked apart in test_zero_row_eval_set_as_each_plain_classifier)
        empty_set = [(empty, da.from_array(y[:0], chunks=(0,)))]
        from xgboost.dask import DaskXGBClassifier

        try:
            DaskXGBClassifier(n_estimators=3).fit(dX, dy, eval_set=empty_set)
        except xgb.core.XGBoostError as error:
            # Python 3.13's pickle gives an empty array a data pointer XGBoost calls
            # misaligned, on the workers: the plain Dask classifier fails there
            assert "misalignment" in str(error), error
        else:
            clf = FocalDaskXGBClassifier(n_estimators=3, client=client).fit(
                dX, dy, eval_set=empty_set)
            assert np.isnan(clf.evals_result_["validation_0"]["focal_loss"]).all()
        with pytest.raises(ValueError, match=r"^eval_set\[0\] has no rows"):
            FocalDaskLGBMClassifier(n_estimators=3, client=client).fit(dX, dy,
                                                                       eval_set=empty_set)


# ================================================================ Dask: the constant model
@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    pytest.importorskip("dask.array")
    with (distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                   dashboard_address=None) as cluster,
          distributed.Client(cluster) as client):
        yield client


def _dask_pair(client, **params):
    """DaskLGBMClassifier and FocalDaskLGBMClassifier on ``client``."""
    from lightgbm.dask import DaskLGBMClassifier

    from focal_boost.dask import FocalDaskLGBMClassifier

    return (DaskLGBMClassifier(client=client, verbose=-1, **params),
            FocalDaskLGBMClassifier(client=client, **params))


def _fit_quietly(model, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # DaskLGBMClassifier's n_jobs, its one class
        return model.fit(*args, **kwargs)


@pytest.mark.parametrize("k", [2, 3])
def test_dask_lightgbm_where_no_feature_can_split_is_the_focal_constant(dask_client, k):
    # Constant and all-missing columns: DaskLGBMClassifier fits a constant model (its
    # boost_from_average: the weighted base rate); ours failed on every worker with
    # LightGBM's "Check failed: num_features() > 0". Now it fits the focal-optimal
    # constant, as FocalLGBMClassifier does: the same warning, the same probabilities.
    da = pytest.importorskip("dask.array")
    _, y = _made_data(k)
    X = np.ones((len(y), 4))
    X[:, 1] = np.nan
    w = np.random.default_rng(0).uniform(0.5, 2.0, len(y))
    rate = np.bincount(y, weights=w) / w.sum()
    dX, dy, dw = (da.from_array(a, chunks=200) for a in (X, y, w))
    plain, ours = _dask_pair(dask_client, n_estimators=5)
    _fit_quietly(plain, dX, dy, sample_weight=dw)
    assert plain.booster_.feature_importance().sum() == 0
    assert np.abs(plain.predict_proba(dX).compute().mean(axis=0) - rate).max() < 1e-4
    with pytest.warns(UserWarning, match="no feature of the training data can be split"):
        ours.fit(dX, dy, sample_weight=dw)
    proba = ours.predict_proba(dX).compute()
    assert np.abs(proba.mean(axis=0) - rate).max() < 1e-6
    assert ours.booster_.num_feature() == 4 and ours.best_iteration_ == 0
    with pytest.warns(UserWarning, match="no feature of the training data can be split"):
        local = FocalLGBMClassifier(n_estimators=5).fit(X, y, sample_weight=w)
    # (the intercept from each class's total weight: the same to the search's tolerance)
    np.testing.assert_allclose(proba, local.predict_proba(X), rtol=0, atol=1e-7)
    np.testing.assert_allclose(ours.to_local().predict_proba(X), proba)


def test_dask_lightgbm_too_few_rows_on_each_worker_is_the_focal_constant(dask_client):
    # 60 informative rows, 30 on each of 2 workers: LightGBM bins each worker's rows apart,
    # so no feature has min_data_in_leaf = 20 rows on both sides of a threshold anywhere.
    # DaskLGBMClassifier fits a constant; ours too (the check takes each worker's rows).
    da = pytest.importorskip("dask.array")
    X, y = _rng_data(60)
    workers = list(dask_client.scheduler_info()["workers"])

    def spread(a):  # part i on worker i
        return da.concatenate([dask_client.persist(da.from_array(part, chunks=len(part)),
                                                   workers=[worker])
                               for part, worker in zip(np.array_split(a, 2), workers,
                                                       strict=True)])

    dX, dy = spread(X), spread(y)
    plain, ours = _dask_pair(dask_client, n_estimators=5)
    _fit_quietly(plain, dX, dy)
    assert plain.booster_.feature_importance().sum() == 0
    rate = np.bincount(y) / len(y)
    assert np.abs(plain.predict_proba(dX).compute().mean(axis=0) - rate).max() < 1e-4
    with pytest.warns(UserWarning, match="too few rows on each of the 2 workers"):
        ours.fit(dX, dy)
    assert np.abs(ours.predict_proba(dX).compute().mean(axis=0) - rate).max() < 1e-6
    # the same rows on one machine can be split: the in-memory estimators learn
    assert FocalLGBMClassifier(n_estimators=5).fit(X, y).booster_.feature_importance().any()


def test_dask_lightgbm_constant_model_reports_its_validation_score(dask_client):
    # As the in-memory estimator's constant model: each validation set is evaluated once,
    # with the focal loss and eval_metric, and best_score_ is the value on the last set.
    # (DaskLGBMClassifier returns the log of one worker's model, here empty: the eval_set
    # partition lies on the other worker.)
    da = pytest.importorskip("dask.array")
    _, y = _made_data(3)
    X = np.ones((len(y), 3))
    w = np.linspace(0.5, 2.0, len(y))
    dX, dy = da.from_array(X, chunks=200), da.from_array(y, chunks=200)
    _, ours = _dask_pair(dask_client, n_estimators=5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours.fit(dX, dy, eval_set=[(dX[:100], dy[:100])],
                 eval_sample_weight=[da.from_array(w[:100], chunks=50)],
                 eval_metric="multi_logloss")
        local = FocalLGBMClassifier(n_estimators=5).fit(
            X, y, eval_set=[(X[:100], y[:100])], eval_sample_weight=[w[:100]],
            eval_metric="multi_logloss")
    log = ours.evals_result_["valid_0"]
    assert list(log) == ["multi_logloss", "focal_loss"] and len(log["focal_loss"]) == 1
    for metric_name, values in local.evals_result_["valid_0"].items():  # (as above)
        np.testing.assert_allclose(log[metric_name], values, rtol=1e-7)
    assert ours.best_iteration_ == 0
    assert ours.best_score_ == pytest.approx(local.best_score_, rel=1e-7)
    # early stopping on held-out rows: one round, its score
    _, held = _dask_pair(dask_client, n_estimators=5, early_stopping_rounds=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        held.fit(dX, dy)
    assert len(held.evals_result_["valid_0"]["focal_loss"]) == 1
    assert held.best_score_ == held.evals_result_["valid_0"]["focal_loss"][0]


def test_dask_kernels_use_the_threads_of_the_workers(dask_client, monkeypatch):
    # xgboost.dask and lightgbm.dask train each worker on its own threads (here 1); the
    # focal kernels there (gradients and the per-round metric) must not take every CPU
    # of the host. n_jobs: xgboost.dask's nthread on every worker; lightgbm.dask ignores it.
    da = pytest.importorskip("dask.array")
    from focal_boost import _kernels, _loss
    from focal_boost._validation import kernels_from_environment
    from focal_boost.dask import FocalDaskLGBMClassifier, FocalDaskXGBClassifier

    if not kernels_from_environment():
        pytest.skip("FOCAL_BOOST_KERNELS=numpy: no kernels to run on the workers")
    focal_loss()  # the background load of the kernels, before the spy goes in
    assert _loss._join_warm_up(timeout=120)
    seen = []
    inner = _kernels._run_blocks

    def spy(run, n, block, n_threads=None):
        seen.append(n_threads)
        return inner(run, n, block, n_threads)

    monkeypatch.setattr(_kernels, "_run_blocks", spy)
    X, y = _rng_data(400)
    dX, dy = da.from_array(X, chunks=100), da.from_array(y, chunks=100)
    for cls, n_jobs, expected in ((FocalDaskXGBClassifier, None, 1),
                                  (FocalDaskXGBClassifier, 2, 2),
                                  (FocalDaskLGBMClassifier, None, 1),
                                  (FocalDaskLGBMClassifier, 2, 1)):
        seen.clear()
        model = cls(n_estimators=3, n_jobs=n_jobs, client=dask_client)
        if cls is FocalDaskLGBMClassifier:
            model.set_params(verbose=-1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # lightgbm.dask on n_jobs, its port search
            model.fit(dX, dy, eval_set=[(dX, dy)])
        assert len(seen) >= 6, (cls.__name__, seen)  # gradients and metric, every round
        assert set(seen) == {expected}, (cls.__name__, n_jobs, seen)


@pytest.mark.parametrize("continued", [False, True])
def test_lightgbm_constant_model_reads_the_parameters_as_lgb_train(continued):
    # on data no feature of which can be split, a parameter LightGBM refuses as it builds
    # a booster (monotone_constraints for 2 of 3 features here; device_type="gpu" on a
    # machine without one alike) raised in lgb.train but was never read where training
    # continued a model (the model came back), and came after the warning about the
    # constant model otherwise
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 3))
    y = (X[:, 0] > 0).astype(int)
    flat = np.ones((100, 3))
    before = flgb.train({"verbose": -1}, lgb.Dataset(X, y), focal_loss(0.0), 3)
    plain_before = lgb.train({"objective": "binary", "verbose": -1}, lgb.Dataset(X, y), 3)
    params = {"verbose": -1, "monotone_constraints": [1, 1]}
    with pytest.raises(lgb.basic.LightGBMError, match="monotone") as plain:
        lgb.train({**params, "objective": "binary"}, lgb.Dataset(flat, y), 3,
                  init_model=plain_before if continued else None)
    for fit in (lambda: flgb.train(params, lgb.Dataset(flat, y), focal_loss(0.0), 3,
                                   init_model=before if continued else None),
                lambda: FocalLGBMClassifier(n_estimators=3, **params).fit(
                    flat, y, init_model=before if continued else None)):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with pytest.raises(lgb.basic.LightGBMError) as ours:
                fit()
        assert str(ours.value) == str(plain.value)
        assert not [w for w in caught if "can be split" in str(w.message)]


# ------------------------------------------------------------------------ seeds
def _booster_seed(model) -> int:
    if hasattr(model, "get_booster"):
        return int(json.loads(model.get_booster().save_config())
                   ["learner"]["generic_param"]["seed"])
    params = model.booster_.params  # (LGBMClassifier's keeps the spelling random_state)
    return int(params["seed"] if "seed" in params else params["random_state"])


@pytest.mark.parametrize("cls", ESTIMATORS)
@pytest.mark.parametrize("make", [np.random.RandomState, np.random.default_rng])
def test_a_random_state_object_is_drawn_once_per_fit(cls, make):
    # the hold-out and the booster drew one value each: the booster got the second
    # draw, another seed than the plain classifier's from an equal RandomState
    X, y = _rng_data(400)
    ours = cls(n_estimators=3, random_state=make(0), early_stopping_rounds=2).fit(X, y)
    plain = _plain(cls, n_estimators=3, random_state=make(0)).fit(X, y)
    assert _booster_seed(ours) == _booster_seed(plain)


def test_lightgbm_seed_keyword_seeds_the_hold_out_too():
    # seed= (LightGBM's main name) seeded the booster only: every seed held out the
    # rows of random_state None; as XGBoost's seed= in FocalXGBClassifier
    X, y = _rng_data(600, d=5)
    fits = {k: FocalLGBMClassifier(n_estimators=20, early_stopping_rounds=3, seed=k)
            .fit(X, y) for k in (1, 2)}
    assert fits[1].best_score_ != fits[2].best_score_
    same = FocalLGBMClassifier(n_estimators=20, early_stopping_rounds=3, random_state=2)
    np.testing.assert_array_equal(same.fit(X, y).predict_proba(X), fits[2].predict_proba(X))


@pytest.mark.parametrize("seed", [-5, 2**40])
def test_lightgbm_seeds_outside_32_bits_seed_the_hold_out_too(seed):
    # LGBMClassifier(seed=-5) fits; the hold-out's split takes seeds in [0, 2**32) only
    X, y = _rng_data(400)
    plain = _plain(FocalLGBMClassifier, n_estimators=3, seed=seed).fit(X, y)
    ours = FocalLGBMClassifier(n_estimators=3, early_stopping_rounds=2, seed=seed).fit(X, y)
    assert ours.booster_.current_iteration() == plain.booster_.current_iteration() == 3


@pytest.mark.parametrize("cls", ESTIMATORS)
@pytest.mark.parametrize("params, name", [
    ({"seed": 5.7}, "seed"), ({"seed": True}, "seed"), ({"seed": "abc"}, "seed"),
    ({"random_state": True}, "random_state")])
def test_seeds_the_libraries_refuse_are_refused_by_name(cls, params, name):
    # seed=5.7 trained with seed 5 and True with 1, where the plain classifiers raise
    X, y = _rng_data()
    for stopping in (None, 2):
        model = cls(n_estimators=2, early_stopping_rounds=stopping, **params)
        if cls is FocalLGBMClassifier and name == "seed" and stopping is None:
            # handed to LightGBM as given, as LGBMClassifier does: LightGBM refuses it
            with pytest.raises(lgb.basic.LightGBMError, match="Parameter seed should be"):
                model.fit(X, y)
            continue
        with pytest.raises(ValueError, match=rf"^{name} must be an int"):
            model.fit(X, y)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_feature_name_warnings_name_the_evaluation_set(cls):
    # scikit-learn's check said "X does not have valid feature names" of eval_set[1]
    pd = pytest.importorskip("pandas")
    X, y = _rng_data()
    frame = pd.DataFrame(X, columns=list("abc"))
    with pytest.warns(UserWarning, match=r"^eval_set\[1\]'s X does not have valid feature "
                                         r"names, but \w+ was fitted with feature names"):
        cls(n_estimators=2).fit(frame, y, eval_set=[(frame, y), (X, y)])


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_continuing_a_binary_model_on_one_class_keeps_its_order(cls):
    # y of the second class alone made it class 0: the continued model's P flipped
    # (0.997 -> 0.004), silently; XGBClassifier refuses ("Invalid classes inferred").
    # y of the first class alone kept classes_ ['a'] alone: predict said 'a' where
    # predict_proba's second column won. Both keep the model's classes now.
    X, _ = _rng_data(200)
    y = np.where(X[:, 0] > 0, "b", "a")
    name = "xgb_model" if cls is FocalXGBClassifier else "init_model"
    two = cls(n_estimators=5).fit(X, y)
    with pytest.raises(ValueError, match=r"fitted on the classes \['a', 'b'\], y has "
                                         r"\['c'\]"):
        cls(n_estimators=1).fit(X[:50], np.full(50, "c"), **{name: two})
    before = two.predict_proba(X)[:, 1].mean()
    for label, moves in (("a", -1), ("b", 1)):
        more = cls(n_estimators=20).fit(X[:100], np.full(100, label), **{name: two})
        assert more.classes_.tolist() == ["a", "b"]
        proba = more.predict_proba(X)
        assert np.sign(proba[:, 1].mean() - before) == moves
        np.testing.assert_array_equal(more.predict(X), more.classes_[proba.argmax(axis=1)])


def test_continued_on_one_class_of_a_plain_binary_model_trains_as_the_plain_one():
    # gamma 0 is log-loss: an XGBClassifier continued on rows of its first class alone
    # gives the probabilities of XGBClassifier continued so (which keeps classes_ [0]
    # and predicts label 1 anyway). (LightGBM's binary objective trains nothing on one
    # class, "Contains only one class"; LGBMClassifier's predict then fails on rows
    # where class 1 wins, "y contains previously unseen labels".)
    X, y = _made_data(2)
    kw = {"n_estimators": 5, "random_state": 0, "n_jobs": 1}
    plain = xgb.XGBClassifier(**kw).fit(X, y)
    zeros = np.zeros(100, dtype=int)
    theirs = xgb.XGBClassifier(**kw).fit(X[:100], zeros, xgb_model=plain).predict_proba(X)
    ours = FocalXGBClassifier(gamma=0.0, **kw).fit(X[:100], zeros, xgb_model=plain)
    assert ours.classes_.tolist() == [0, 1]
    np.testing.assert_allclose(ours.predict_proba(X), theirs, atol=1e-6)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_continuing_a_multiclass_model_on_some_of_its_classes_keeps_them(cls):
    # a batch without rows of one class: refused before (2 classes for 3 outputs), as
    # the plain classifiers refuse it
    X, y = _made_data(3)
    labels = np.array(["a", "b", "c"])[y]
    name = "xgb_model" if cls is FocalXGBClassifier else "init_model"
    three = cls(n_estimators=3, alpha="balanced").fit(X, labels)
    some = labels != "b"
    more = cls(n_estimators=3, alpha="balanced").fit(
        X[some], labels[some], eval_set=[(X, labels)], **{name: three})
    assert more.classes_.tolist() == ["a", "b", "c"]
    proba = more.predict_proba(X)
    assert proba.shape == (len(X), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(more.predict(X), more.classes_[proba.argmax(axis=1)])
    # 'balanced' over the rows there are; the class without rows weighs 1
    counts = np.bincount(y[some], minlength=3)
    expected = np.where(counts > 0, some.sum() / (2 * np.maximum(counts, 1)), 1.0)
    np.testing.assert_allclose(more.loss_.alpha, expected)
    if cls is FocalXGBClassifier:  # the trees added are those of the native train
        booster = three.get_booster()
        native = fxgb.train({**three.get_xgb_params(), "num_class": 3},
                            xgb.QuantileDMatrix(X[some], label=y[some]),
                            more.loss_, 3, xgb_model=booster)
        np.testing.assert_allclose(
            more.get_booster().predict(xgb.DMatrix(X), output_margin=True),
            native.predict(xgb.DMatrix(X), output_margin=True), atol=1e-6)


def test_continuing_a_saved_estimator_file_reads_its_classes(tmp_path):
    # a file of FocalXGBClassifier.save_model records classes_: labels 1 of a model of
    # classes [1, 2] are its class 1 (index 0), where a Booster's labels of one class
    # are read as indices (a file taken for a Booster trained them towards class 2)
    X, _ = _rng_data(400)
    y = np.where(X[:, 0] > 0, 2, 1)
    fitted = FocalXGBClassifier(n_estimators=10, random_state=0).fit(X, y)
    path = tmp_path / "m.json"
    fitted.save_model(path)
    ones = y == 1
    expected = FocalXGBClassifier(n_estimators=3).fit(X[ones], y[ones], xgb_model=fitted)
    for model in (path, str(path), path.read_bytes()):
        more = FocalXGBClassifier(n_estimators=3).fit(X[ones], y[ones], xgb_model=model)
        assert more.classes_.tolist() == [1, 2]
        np.testing.assert_array_equal(more.predict_proba(X), expected.predict_proba(X))
    with pytest.raises(ValueError, match=r"fitted on the classes \[1, 2\], y has \[3\]"):
        FocalXGBClassifier(n_estimators=1).fit(X[:50], np.full(50, 3), xgb_model=path)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_continuing_a_booster_on_one_class_reads_labels_as_its_indices(cls):
    # a Booster does not record its classes: labels of 1 alone were class 0 of a new
    # one-class model, so the trees added pushed the Booster's margins toward its class
    # 0 (P(1) 0.49 -> 0.014, silently); XGBClassifier refuses labels of 1 alone
    X, y = _made_data(2)
    name = "xgb_model" if cls is FocalXGBClassifier else "init_model"
    fitted = cls(n_estimators=5, random_state=0).fit(X, y)
    booster = fitted.get_booster() if cls is FocalXGBClassifier else fitted.booster_
    before = fitted.predict_proba(X)[:, 1].mean()
    for label, moves in ((0, -1), (1, 1), (True, 1)):
        more = cls(n_estimators=20).fit(X[:100], np.full(100, label), **{name: booster})
        assert more.classes_.tolist() == [0, 1]
        assert np.sign(more.predict_proba(X)[:, 1].mean() - before) == moves
    with pytest.raises(ValueError, match=rf"^y holds one class \('b'\), and the {name} given "
                                         r"\(a Booster or a model file\) does not record"):
        cls(n_estimators=2).fit(X[:100], np.full(100, "b"), **{name: booster})


def test_lightgbm_leaves_and_contributions_of_no_rows_are_refused():
    # LightGBM divided by the rows (ZeroDivisionError), or crashed the process on a
    # sparse multiclass X (run in a subprocess); start_iteration gave shape (0, 2) of 3
    # classes. LGBMClassifier refuses 0 rows
    code = textwrap.dedent('''
        import numpy as np, scipy.sparse as sp, pytest
        from sklearn.datasets import make_classification
        from focal_boost import FocalLGBMClassifier
        X, y = make_classification(300, 5, n_informative=3, n_classes=3, random_state=0)
        m = FocalLGBMClassifier(n_estimators=5).fit(X, y)
        assert m.predict_proba(X[:0], start_iteration=2).shape == (0, 3)
        assert m.decision_function(X[:0], start_iteration=2).shape == (0, 3)
        for kw, Z in [({"pred_leaf": True}, X[:0]), ({"pred_contrib": True}, X[:0]),
                      ({"pred_contrib": True}, sp.csr_matrix(X[:0]))]:
            with pytest.raises(ValueError, match="Found array with 0 sample"):
                m.predict(Z, **kw)
        print("done")
    ''')
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.returncode == 0 and "done" in result.stdout, result.stderr


def test_xgboost_loaded_categorical_model_applies():
    # load_model left enable_categorical False: apply() built a DMatrix XGBoost refused
    # ("enable_categorical must be set to True"); XGBClassifier.load_model sets it
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"a": rng.normal(size=300),
                       "c": pd.Categorical(rng.choice(list("xyz"), 300))})
    y = ((df.a > 0) | (df.c == "x")).astype(int)
    fitted = FocalXGBClassifier(n_estimators=5, enable_categorical=True).fit(df, y)
    raw = bytearray(fitted.get_booster().save_raw("json"))
    loaded = FocalXGBClassifier()
    loaded.load_model(raw)
    assert loaded.enable_categorical
    np.testing.assert_array_equal(loaded.apply(df[:4]), fitted.apply(df[:4]))


def test_xgboost_gblinear_predicts_on_column_names_xgboost_refuses():
    # fit warned and named the features f0, ...; every predict built a DMatrix of the
    # frame's own names, which XGBoost refused
    pd = pytest.importorskip("pandas")
    X, y = _rng_data()
    frame = pd.DataFrame(X, columns=["a[0]", "b", "c"])
    with pytest.warns(UserWarning, match="a\\[0\\]"):
        model = FocalXGBClassifier(booster="gblinear", n_estimators=5, n_jobs=1).fit(frame, y)
    np.testing.assert_allclose(model.predict_proba(frame), model.predict_proba(X))


def test_xgboost_gblinear_continues_on_a_dataframe():
    # the categories of the continued model were asked of every one, which gblinear
    # refuses in C++ ("Retrieving categories is not supported"; XGBClassifier alike),
    # through the estimator, a Booster and a saved file
    pd = pytest.importorskip("pandas")
    X, y = _rng_data()
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (XGBoost 3.4 deprecates gblinear)
        first = FocalXGBClassifier(booster="gblinear", n_estimators=5, n_jobs=1).fit(frame, y)
        whole = FocalXGBClassifier(booster="gblinear", n_estimators=10, n_jobs=1).fit(frame, y)
        raw = first.get_booster().save_raw("json")
        loaded = FocalXGBClassifier()
        loaded.load_model(bytearray(raw))
        for given in (first, first.get_booster(), loaded):
            more = FocalXGBClassifier(booster="gblinear", n_estimators=5, n_jobs=1).fit(
                frame, y, xgb_model=given)
            assert more.get_booster().num_boosted_rounds() == 10
            np.testing.assert_allclose(more.predict_proba(frame), whole.predict_proba(frame),
                                       rtol=0, atol=1e-6)


def test_xgboost_categories_continued_on_an_array_fail_as_in_xgbclassifier():
    # a DataFrame's categories are coded as the continued model codes them; an array has
    # no categories to code: XGBClassifier names the missing feature names, and so do we
    frame, _, y = _categories_in_two_orders()
    codes = np.column_stack([frame["c"].cat.codes, frame["x"]]).astype(float)
    for cls in (xgb.XGBClassifier, FocalXGBClassifier):
        first = cls(n_estimators=2, n_jobs=1, enable_categorical=True).fit(frame, y)
        with pytest.raises(ValueError, match="did not contain feature names"):
            cls(n_estimators=2, n_jobs=1, enable_categorical=True,
                feature_types=["c", "q"]).fit(codes, y, xgb_model=first)


def test_xgboost_configuration_warnings_shown_as_often_as_by_the_plain_classifier():
    # XGBoost 3.4 logs gblinear's deprecation at every configuration of the learner, and
    # configures it again at the first query after training: a focal fit showed it twice
    X, y = _rng_data()

    def warned(cls):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model = cls(booster="gblinear", n_estimators=3, n_jobs=1).fit(X, y)
        with warnings.catch_warnings(record=True) as later:  # (plain: once more, here)
            warnings.simplefilter("always")
            model.predict_proba(X)
        return [str(w.message) for w in caught], len(later)

    (ours, ours_later), (plain, plain_later) = warned(FocalXGBClassifier), warned(xgb.XGBClassifier)
    assert ours == plain and ours_later <= plain_later
    deprecated = Version(xgb.__version__) >= Version("3.4")
    assert len(plain) == deprecated and all("gblinear" in m for m in plain)


def test_xgboosts_error_at_a_threshold_is_recorded_as_xgbclassifier_records_it():
    # XGBClassifier(eval_metric="error@0.7") records the binary error at threshold 0.7
    # (named "error" at 0.5); ours refused the name
    X, y = _rng_data(400)
    Y = np.c_[y, X[:, 1] > 0].astype(int)
    ev = slice(300, None)
    for labels in (y, Y):
        for name, recorded in (("error@0.7", "error@0.7"), ("error@.25", "error@0.25"),
                               ("error@0.5", "error")):
            history = [cls(gamma=0, eval_metric=name, n_estimators=6, n_jobs=1).fit(
                X[:300], labels[:300], eval_set=[(X[ev], labels[ev])], verbose=False
            ).evals_result()["validation_0"] for cls in (FocalXGBClassifier, _plain_gamma0)]
            assert list(history[0]) == ["focal_loss", recorded] and list(history[1]) == [
                recorded]
            np.testing.assert_allclose(history[0][recorded], history[1][recorded], atol=1e-9)
            assert len(set(history[0][recorded])) > 1  # (the threshold moves with the rounds)
    # the value: metrics.error at that threshold; LightGBM's estimator records it too
    model = FocalLGBMClassifier(n_estimators=4).fit(X[:300], y[:300], eval_set=[(X[ev], y[ev])],
                                                    eval_metric="error@0.7")
    proba = model.predict_proba(X[ev])[:, 1]
    assert model.evals_result_["valid_0"]["error@0.7"][-1] == pytest.approx(
        np.mean((proba > np.float32(0.7)) != y[ev]), abs=1e-12)
    for name, needle in (("error@0.7x", r"^eval_metric 'error@0.7x': the threshold after '@' "
                                        r"must be a number, as in 'error@0.7'$"),
                         ("error@", "the threshold after '@' must be a number")):
        with pytest.raises(ValueError, match=needle):
            FocalXGBClassifier(eval_metric=name).fit(X, y, eval_set=[(X, y)])
    X3, y3 = _rng_data(300, classes=3)
    with pytest.raises(ValueError, match=r"^eval_metric 'error@0.7' is the binary error at "
                                         "threshold 0.7; y has more than two classes: use "
                                         r"'merror' \(the most probable class\)$"):
        FocalXGBClassifier(eval_metric="error@0.7").fit(X3, y3, eval_set=[(X3, y3)])


def _plain_gamma0(gamma, **params):
    return xgb.XGBClassifier(**params)


def test_lightgbm_evaluation_lists_shorter_than_eval_set():
    # LGBMClassifier reads a shorter eval_sample_weight / eval_init_score as None for the
    # other sets, and ignores them without eval_set; ours refused both
    X, y = _rng_data(300, d=4)
    sets = [(X[:100], y[:100]), (X[100:200], y[100:200])]
    w = np.linspace(0.1, 2, 100)
    plain = _plain(FocalLGBMClassifier, n_estimators=3).fit(
        X, y, eval_set=sets, eval_sample_weight=[w], eval_metric="binary_logloss")
    ours = FocalLGBMClassifier(gamma=0, n_estimators=3).fit(X, y, eval_set=sets,
                                                           eval_sample_weight=[w])
    for name in ("valid_0", "valid_1"):
        np.testing.assert_allclose(ours.evals_result_[name]["focal_loss"],
                                   plain.evals_result_[name]["binary_logloss"], rtol=1e-9)
    FocalLGBMClassifier(n_estimators=2).fit(X, y, eval_set=sets, eval_init_score=[np.zeros(100)])
    FocalLGBMClassifier(n_estimators=2).fit(X, y, eval_sample_weight=[w],
                                            eval_init_score=[w])
    with pytest.raises(ValueError, match="^sample_weight_eval_set needs one entry per"):
        FocalXGBClassifier(n_estimators=2).fit(X, y, eval_set=sets,
                                               sample_weight_eval_set=[np.ones(100)])


def test_a_copy_pickled_during_fit_draws_its_own_seed():
    # the fit's one draw stayed in a pickle taken mid-fit: the copy's seed was frozen
    X, y = _rng_data()
    states = []

    class Snapshot(xgb.callback.TrainingCallback):
        def after_iteration(self, model, epoch, evals_log):
            states.append((dict(vars(est)), est.__getstate__()))  # what pickle keeps
            return False

    est = FocalXGBClassifier(n_estimators=2, random_state=np.random.RandomState(0),
                             callbacks=[Snapshot()])
    est.fit(X, y)
    during, pickled = states[0]
    assert "_fit_seed" in during and "_fit_seed" not in pickled
    assert "_fit_seed" not in vars(est)
    with pytest.raises(ValueError, match="^sample_weight_eval_set needs one entry"):
        FocalXGBClassifier(n_estimators=2).fit(X, y, sample_weight_eval_set=[np.ones(3)])


def test_xgboost_categorical_model_loaded_into_enable_categorical_false_applies():
    # enable_categorical defaults to True now: load_model must still set it where the
    # estimator it loads into has it False (XGBClassifier.load_model sets it so)
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"a": rng.normal(size=300),
                       "c": pd.Categorical(rng.choice(list("xyz"), 300))})
    y = ((df.a > 0) | (df.c == "x")).astype(int)
    fitted = FocalXGBClassifier(n_estimators=5).fit(df, y)
    loaded = FocalXGBClassifier(enable_categorical=False).load_model(
        bytearray(fitted.get_booster().save_raw("json")))
    assert loaded.enable_categorical
    np.testing.assert_array_equal(loaded.apply(df[:4]), fitted.apply(df[:4]))
    np.testing.assert_array_equal(loaded.predict_proba(df[:4]), fitted.predict_proba(df[:4]))


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_continuing_a_class_weighted_gamma_0_model_on_the_cross_entropy_warns(cls):
    # alpha alone distorts the margins too: the cross-entropy would read them as plain
    X, y = _made_data(2)
    name = "xgb_model" if cls is FocalXGBClassifier else "init_model"
    weighted = cls(gamma=0, alpha=0.3, n_estimators=2).fit(X, y)
    with pytest.warns(UserWarning, match=r"was trained on FocalLoss\(gamma=0\.0, alpha=0\.3"):
        cls(gamma=0, n_estimators=2).fit(X, y, **{name: weighted})


def test_early_stopping_on_error_at_t_follows_its_lowest_value_as_xgbclassifier():
    X, y = _made_data(2, 1200)
    fit, ev = slice(0, 800), slice(800, None)
    for cls in (FocalXGBClassifier, xgb.XGBClassifier):
        model = cls(eval_metric="error@0.4", early_stopping_rounds=4, n_estimators=40,
                    learning_rate=0.3, max_depth=2, n_jobs=1).fit(
            X[fit], y[fit], eval_set=[(X[ev], y[ev])], verbose=False)
        history = model.evals_result()["validation_0"]["error@0.4"]
        assert len(set(history)) > 1
        assert model.best_iteration == int(np.argmin(history))


def test_lightgbm_records_error_at_t_where_it_records_the_named_error():
    X, y = _made_data(2, 1200)
    order = []
    for name in ("error", "error@0.7"):
        model = FocalLGBMClassifier(n_estimators=2, verbose=-1).fit(
            X[:800], y[:800], eval_set=[(X[800:], y[800:])], eval_metric=name)
        order.append(list(model.evals_result_["valid_0"]))
    # (named metrics before the focal loss, as LGBMClassifier puts them before its
    # objective's metric; first_metric_only follows them)
    assert order == [["binary_error", "focal_loss"], ["error@0.7", "focal_loss"]]
    # one metric, one name: "error@0.5" is the error, "error@.70" the "error@0.7"
    model = FocalLGBMClassifier(n_estimators=2).fit(
        X[:800], y[:800], eval_set=[(X[800:], y[800:])],
        eval_metric=["error", "error@0.5", "error@.70", "error@0.7"])
    assert list(model.evals_result_["valid_0"]) == ["binary_error", "error@0.7", "focal_loss"]
