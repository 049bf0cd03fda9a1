"""Continued training, the best iteration, and LightGBM's silent seams, side by side
with the plain libraries on the same input.

Continued training (``xgb_model=`` / ``init_model=``) must give the model of one run of
the same total rounds (the intercept counted once), through native ``train`` and both
estimators; a stale ``best_iteration`` of the continued model must not cut the new
trees. ``FocalLGBMClassifier.fit`` takes ``init_score`` and ``categorical_feature`` as
``LGBMClassifier.fit`` does; a clash between a named parameter and a LightGBM alias ends
as in ``LGBMClassifier``; a NaN label is refused by row; the constant-model fallback
prints nothing when asked for silence.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification

xgb = pytest.importorskip("xgboost")
lgb = pytest.importorskip("lightgbm")

from focal_boost import (  # noqa: E402
    FocalLGBMClassifier,
    FocalXGBClassifier,
    ce_loss,
    focal_loss,
)
from focal_boost import lightgbm as flgb  # noqa: E402
from focal_boost import xgboost as fxgb  # noqa: E402

N, M = 7, 5  # rounds of the first run, rounds added by continuing it


def _data(k: int, n: int = 600):
    X, y = make_classification(n, 6, n_informative=4, n_classes=k,
                               weights=[0.7] + [0.3 / (k - 1)] * (k - 1), random_state=0)
    return X, y


def _model_param(booster: lgb.Booster, name: str) -> str:
    """The value LightGBM trained with, from the parameters block of the model text."""
    for line in booster.model_to_string().splitlines():
        if line.startswith(f"[{name}: "):
            return line[len(name) + 3:-1]
    raise KeyError(name)


# --------------------------------------------------------------- continued training
@pytest.mark.parametrize("k", [2, 3])
def test_xgboost_native_continued_equals_one_run(k):
    # N rounds then M more from xgb_model = one run of N + M rounds (the intercept,
    # stored as base_score, counted once), as xgb.train itself does with binary:logistic
    # / multi:softprob on the same input.
    X, y = _data(k)
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
    X, y = _data(k)
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


@pytest.mark.parametrize("k", [2, 3])
def test_xgboost_estimator_continues_from_fit_xgb_model(k):
    # FocalXGBClassifier.fit(xgb_model=) as XGBClassifier.fit(xgb_model=): from the
    # first estimator (or its Booster), N + M rounds in all, equal to one fit.
    X, y = _data(k)
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


@pytest.mark.parametrize("k", [2, 3])
def test_lightgbm_estimator_continues_from_fit_init_model(k):
    # FocalLGBMClassifier.fit(init_model=) as LGBMClassifier.fit(init_model=).
    X, y = _data(k)
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
    X, y = _data(2)
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
    # The case: continuing an early-stopped Booster 5 rounds. XGBoost copies the
    # old best_iteration into the new Booster; predict_margin must still use every tree,
    # as Booster.predict(output_margin=True) does (before: 4 trees, off by 1.30).
    X, y = _data(2)
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
    X, y = _data(2)
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
    X, y = _data(2)
    kw = {"learning_rate": 0.5, "n_jobs": 1, "random_state": 0}
    first = FocalXGBClassifier(n_estimators=200, early_stopping_rounds=3, **kw).fit(
        X[:400], y[:400], eval_set=[(X[400:], y[400:])])
    cont = FocalXGBClassifier(n_estimators=5, **kw).fit(X[:400], y[:400], xgb_model=first)
    rounds = cont.get_booster().num_boosted_rounds()
    assert rounds == first.get_booster().num_boosted_rounds() + 5
    assert cont.best_iteration_ == rounds - 1
    full = cont.get_booster().predict(xgb.DMatrix(X), output_margin=True)
    np.testing.assert_array_equal(cont.decision_function(X), full.astype(np.float64))

    p_first = xgb.XGBClassifier(n_estimators=200, early_stopping_rounds=3, **kw).fit(
        X[:400], y[:400], eval_set=[(X[400:], y[400:])], verbose=False)
    p_cont = xgb.XGBClassifier(n_estimators=5, **kw).fit(X[:400], y[:400],
                                                         xgb_model=p_first, verbose=False)
    assert p_cont.best_iteration == p_first.best_iteration  # the plain library's stale one


def test_lightgbm_estimator_continued_from_early_stopped_estimator_uses_new_trees():
    # LightGBM saves an early-stopped model up to its best iteration, and the continued
    # model has no best iteration of its own: all trees count, as in LGBMClassifier.
    X, y = _data(2)
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
    np.testing.assert_array_equal(cont.decision_function(X),
                                  cont.booster_.predict(X, raw_score=True))


def test_xgb_model_in_the_constructor_is_refused_naming_the_fit_parameter():
    # XGBClassifier(xgb_model=...) only warns that the parameter is not used and trains
    # from scratch; ours refuses and says where it belongs.
    X, y = _data(2)
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


# --------------------------------------------------- LGBMClassifier.fit parameters
_CE = {"gamma": 0.0, "hessian": "exact"}  # gamma 0: LightGBM's binary / multiclass model


@pytest.mark.parametrize("k", [2, 3])
def test_lightgbm_fit_init_score_as_in_lgbmclassifier(k):
    # init_score of fit: every row's start margin in training, not added at predict; the
    # model adds no intercept of its own ("auto", as boost_from_average). At gamma 0 the
    # raw scores equal LGBMClassifier's with the same init_score.
    X, y = _data(k)
    rng = np.random.default_rng(1)
    start = rng.normal(scale=0.5, size=(len(y), k) if k > 2 else len(y))
    kw = {"n_estimators": 10, "num_leaves": 7, "n_jobs": 1, "random_state": 0}
    ours = FocalLGBMClassifier(**_CE, **kw).fit(X, y, init_score=start)
    plain = lgb.LGBMClassifier(verbose=-1, **kw).fit(X, y, init_score=start)
    diff = np.abs(ours.decision_function(X) - plain.predict(X, raw_score=True)).max()
    assert diff < 1e-10, diff
    # and it changes the model: without it the trees differ
    without = FocalLGBMClassifier(**_CE, **kw).fit(X, y)
    assert np.abs(without.decision_function(X) - ours.decision_function(X)).max() > 1e-3


def test_lightgbm_fit_init_score_of_the_wrong_shape_is_refused_by_name():
    # One margin per row (and class): another shape is refused naming init_score.
    X, y = _data(3)
    with pytest.raises(ValueError, match=r"init_score has shape \(600,\).*\(600, 3\)"):
        FocalLGBMClassifier(n_estimators=2).fit(X, y, init_score=np.zeros(len(y)))


def test_lightgbm_fit_init_score_is_split_with_the_held_out_rows():
    # Early stopping without eval_set holds out rows: they keep their start margins, so
    # a constant per-row start c trains and validates as the constructor's init_score=c
    # (the validation log is the same), while predictions leave the per-row one out.
    X, y = _data(2)
    kw = {"n_estimators": 20, "early_stopping_rounds": 3, "n_jobs": 1, "random_state": 0}
    c = -0.7
    rows = FocalLGBMClassifier(init_score=None, **kw).fit(X, y, init_score=np.full(len(y), c))
    const = FocalLGBMClassifier(init_score=c, **kw).fit(X, y)
    np.testing.assert_allclose(rows.evals_result_["validation_0"]["focal_loss"],
                               const.evals_result_["validation_0"]["focal_loss"], rtol=1e-12)
    np.testing.assert_allclose(rows.decision_function(X) + c, const.decision_function(X),
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
    diff = np.abs(ours.decision_function(X) - plain.predict(X, raw_score=True)).max()
    assert diff < 1e-10, diff
    numeric = FocalLGBMClassifier(**_CE, **kw).fit(X, y)
    assert categorical_splits(numeric.booster_) == 0


# ------------------------------------------------------------------ alias clashes
@pytest.mark.parametrize("kw, name, expected", [
    ({"num_leaves": 4, "max_leaves": 31}, "num_leaves", "4"),  # the case
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
    X, y = _data(2)
    base = {"n_estimators": 3, "n_jobs": 1, "random_state": 0}
    plain = lgb.LGBMClassifier(verbose=-1, **base, **kw).fit(X, y)
    assert _model_param(plain.booster_, name) == expected
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ours = FocalLGBMClassifier(**_CE, **base, **kw).fit(X, y)
    assert _model_param(ours.booster_, name) == expected
    assert any("ignored: LightGBM takes" in str(w.message) for w in caught)
    diff = np.abs(ours.decision_function(X) - plain.predict(X, raw_score=True)).max()
    assert diff < 1e-10, diff


def test_lightgbm_native_alias_clash_ends_as_in_lgb_train():
    # Native train: the same rule as lgb.train applies to the parameters it is given.
    X, y = _data(2)
    params = {"num_leaves": 4, "max_leaves": 31, "min_data": 50, "min_child_samples": 5,
              "verbose": -1, "num_threads": 1}
    with pytest.warns(UserWarning, match="max_leaves=31 ignored"):
        ours = flgb.train(params, lgb.Dataset(X, y), ce_loss(), 3)
    plain = lgb.train({**params, "objective": "binary"}, lgb.Dataset(X, y), 3)
    for name in ("num_leaves", "min_data_in_leaf"):
        assert _model_param(ours, name) == _model_param(plain, name)
    assert _model_param(ours, "num_leaves") == "4"


# -------------------------------------------------------------------- NaN label
def test_lightgbm_native_nan_label_is_refused_by_row():
    # lgb.train takes a NaN label silently as 0 (built-in and custom objectives alike);
    # ours says which rows (before: "cannot convert float NaN to integer").
    X, y = _data(2)
    y = y.astype(np.float64)
    y[[7, 11]] = np.nan
    plain = lgb.Dataset(X, y, params={"verbose": -1}).construct()
    assert plain.get_label()[7] == 0.0  # what the plain library trains on
    for init_score in ("auto", 0.0, None):
        with pytest.raises(ValueError, match=r"2 NaN labels \(rows 7, 11\)"):
            flgb.train({"verbose": -1}, lgb.Dataset(X, y), focal_loss(2.0), 3,
                       init_score=init_score)


# ----------------------------------------------------- silent constant-model fallback
def _stderr_of(code: str) -> str:
    """Standard error of ``code`` run in a fresh interpreter (LightGBM writes its Fatal
    messages from C, past Python's sys.stderr)."""
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)],
                            capture_output=True, text=True, timeout=300, check=True)
    return result.stderr


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


def test_dask_lightgbm_alias_clash_ends_as_in_lgbmclassifier():
    # The Dask estimator builds its parameters in the same shared step: the issue's
    # clash trains 4-leaf trees, as LGBMClassifier (and FocalLGBMClassifier) do.
    pytest.importorskip("distributed")
    da = pytest.importorskip("dask.array")
    from distributed import Client, LocalCluster

    from focal_boost.dask import FocalDaskLGBMClassifier

    X, y = _data(2)
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


def test_dask_xgboost_continues_from_fit_xgb_model():
    # FocalDaskXGBClassifier.fit(xgb_model=), as DaskXGBClassifier.fit takes it: N rounds
    # then M more equal one fit of N + M rounds on the same cluster, as they do for
    # DaskXGBClassifier; a stale best_iteration of an early-stopped model is dropped.
    pytest.importorskip("distributed")
    da = pytest.importorskip("dask.array")
    dxgb = pytest.importorskip("xgboost.dask")
    from distributed import Client, LocalCluster

    from focal_boost.dask import FocalDaskXGBClassifier

    X, y = _data(3)
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
    assert cont.get_booster().num_boosted_rounds() == N + M
    assert ours <= theirs + 1e-12 and ours == 0.0
    assert after.best_iteration_ == stopped.num_boosted_rounds() + M - 1
