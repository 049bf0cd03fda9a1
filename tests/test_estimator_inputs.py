"""What the plain classifiers take and the estimators must take alike, side by side with
``XGBClassifier`` / ``LGBMClassifier``: DataFrame column names that are not strings
(checked at predict time), infinite values at predict time, XGBoost's own spellings of
named parameters (``seed=``, ``eta=``) and ``feature_weights``."""

from __future__ import annotations

import functools
import json
import os
import re
import sys
import warnings

import numpy as np
import pytest
from scipy.special import expit

pd = pytest.importorskip("pandas")
xgb = pytest.importorskip("xgboost")
lgb = pytest.importorskip("lightgbm")

from conftest import raw_margins, set_name  # noqa: E402

from focal_boost import FocalLGBMClassifier, FocalXGBClassifier, focal_loss  # noqa: E402
from focal_boost import lightgbm as flgb  # noqa: E402
from focal_boost import xgboost as fxgb  # noqa: E402

ESTIMATORS = [FocalXGBClassifier, FocalLGBMClassifier]


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.randn(300, 4)
    return X, (X[:, 0] > 0).astype(int)


@pytest.fixture(scope="module")
def noisy_split():
    """400 training and 200 evaluation rows of a noisy binary task: (Xt, yt, Xv, yv)."""
    rng = np.random.RandomState(0)
    X = rng.randn(600, 4)
    y = (X[:, 0] + rng.randn(600) > 0).astype(int)
    return X[:400], y[:400], X[400:], y[400:]


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_integer_column_names_are_checked_at_predict_time(cls, data):
    # XGBClassifier and LGBMClassifier name the features "0", "1", ...; a predict on the
    # columns in another order is refused (XGBClassifier refuses it too; ours gave
    # numbers for the wrong columns)
    X, y = data
    frame = pd.DataFrame(X)
    model = cls(n_estimators=5).fit(frame, y)
    plain = xgb.XGBClassifier(n_estimators=5).fit(frame, y)
    assert model.feature_names_in_.tolist() == plain.feature_names_in_.tolist() == list("0123")
    with pytest.raises(ValueError, match="feature names"):
        model.predict_proba(frame[[1, 0, 3, 2]])
    with pytest.raises(ValueError, match="feature_names mismatch"):
        plain.predict_proba(frame[[1, 0, 3, 2]])
    np.testing.assert_array_equal(model.predict_proba(frame), model.predict_proba(X))


def test_lightgbm_forced_bins_as_in_lgbmclassifier(tmp_path):
    # LightGBM refuses forcedbins_filename once a Dataset is built, and ours is built
    # before lgb.train (to find a model that cannot split): it failed with "Cannot change
    # forced bins after constructed Dataset handle"
    import json

    rng = np.random.RandomState(0)
    X = rng.normal(size=(600, 4))
    y = (X[:, 0] + rng.normal(size=600) > 0).astype(int)
    bins = tmp_path / "bins.json"
    bins.write_text(json.dumps([{"feature": 0, "bin_upper_bound": [1.5, 2.0, 2.5]}]))
    common = dict(n_estimators=10, n_jobs=1, forcedbins_filename=str(bins), max_bin=4)
    ours = FocalLGBMClassifier(gamma=0, **common).fit(X, y, eval_set=[(X[:100], y[:100])])
    plain = lgb.LGBMClassifier(verbose=-1, **common).fit(X, y, eval_set=[(X[:100], y[:100])])
    np.testing.assert_allclose(ours.predict_proba(X), plain.predict_proba(X), atol=1e-12)
    free = lgb.LGBMClassifier(verbose=-1, n_estimators=10, n_jobs=1, max_bin=4).fit(X, y)
    assert np.abs(free.predict_proba(X) - plain.predict_proba(X)).max() > 1e-3  # they count


def test_lightgbm_names_equal_once_spaces_are_underscores(data):
    # LightGBM writes spaces in feature names as "_", then refuses "x y" beside "x_y"
    # (LGBMClassifier fails so): the booster gets LightGBM's default names instead, and
    # the estimator still reads the frame by its own names
    X, y = data
    frame = pd.DataFrame(X, columns=["x y", "x_y", "c", "d"])
    with pytest.raises(lgb.basic.LightGBMError, match="appears more than one time"):
        lgb.LGBMClassifier(n_estimators=2, verbose=-1).fit(frame, y)
    model = FocalLGBMClassifier(n_estimators=2).fit(frame, y)
    assert model.booster_.feature_name() == [f"Column_{i}" for i in range(4)]
    assert model.feature_names_in_.tolist() == ["x y", "x_y", "c", "d"]
    np.testing.assert_array_equal(model.predict_proba(frame), model.predict_proba(X))
    # validate_features=True checks the frame's names, not LightGBM's defaults (it raised
    # "Expected 'Column_0' ... found 'x y'")
    for options in ({}, {"start_iteration": 1}, {"pred_contrib": True}):
        np.testing.assert_array_equal(
            model.predict_proba(frame, validate_features=True, **options),
            model.predict_proba(frame, **options))
    spaced = FocalLGBMClassifier(n_estimators=2).fit(frame.iloc[:, [0, 2]], y)
    assert spaced.booster_.feature_name() == ["x_y", "c"]  # LightGBM's own spelling


@pytest.mark.parametrize("cls", ESTIMATORS)
@pytest.mark.parametrize("method", ["predict_proba", "predict", "decision_function"])
def test_validate_features_false_reads_columns_by_position(cls, method, data):
    # both plain classifiers' predict option: the columns are taken by position whatever
    # their names (ours refused renamed or reordered columns even then)
    X, y = data
    frame = pd.DataFrame(X, columns=list("abcd"))
    model = cls(n_estimators=5).fit(frame, y)
    plain = (xgb.XGBClassifier(n_estimators=5) if cls is FocalXGBClassifier
             else lgb.LGBMClassifier(n_estimators=5, verbose=-1)).fit(frame, y)
    for other in (frame.set_axis(list("pqrs"), axis=1), frame[list("badc")]):
        by_position = frame.set_axis(other.columns, axis=1)  # the same values, other names
        expected = getattr(model, method)(frame)
        np.testing.assert_array_equal(
            getattr(model, method)(by_position, validate_features=False), expected)
        np.testing.assert_array_equal(
            plain.predict_proba(by_position, validate_features=False), plain.predict_proba(frame))
        with pytest.raises(ValueError, match="feature names"):  # the default checks them
            getattr(model, method)(other)
    with pytest.raises(ValueError, match="missing:\\n- d"):  # the count is still checked
        getattr(model, method)(frame.iloc[:, :3], validate_features=False)


@pytest.mark.parametrize("n_classes", [2, 4])
def test_lightgbm_weights_as_lightgbm_holds_them(n_classes):
    # LightGBM keeps sample weights in float32 and its objectives weigh by those: ours
    # weighed by the float64 ones, 1e-9 apart at the start, until bagging tipped a
    # near-tied split (1.5e-3 in probability after 30 rounds)
    from sklearn.datasets import make_classification

    X, y = make_classification(1000, 6, n_informative=4, n_classes=n_classes,
                               random_state=0)
    w = np.random.default_rng(0).uniform(0.3, 3, 1000)
    common = dict(n_estimators=30, n_jobs=1, random_state=1, subsample=0.7, subsample_freq=1)
    evals = {"eval_set": [(X[:500], y[:500])], "eval_sample_weight": [w[:500]]}
    ours = FocalLGBMClassifier(gamma=0, **common).fit(X, y, sample_weight=w, **evals)
    plain = lgb.LGBMClassifier(verbose=-1, **common).fit(X, y, sample_weight=w, **evals)
    np.testing.assert_allclose(ours.predict_proba(X), plain.predict_proba(X), rtol=0, atol=1e-13)
    logloss = "binary_logloss" if n_classes == 2 else "multi_logloss"
    np.testing.assert_allclose(ours.evals_result_["valid_0"]["focal_loss"],
                               plain.evals_result_["valid_0"][logloss], rtol=1e-9)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_infinite_values_at_predict_time_as_in_the_plain_classifiers(cls, data):
    X, y = data
    rows = X[:2].copy()
    rows[0, 1] = np.inf
    model = cls(n_estimators=5).fit(X, y)
    plain = (xgb.XGBClassifier(n_estimators=5) if cls is FocalXGBClassifier
             else lgb.LGBMClassifier(n_estimators=5, verbose=-1)).fit(X, y)
    ours = model.predict_proba(rows)
    np.testing.assert_array_equal(ours, model.predict_proba(pd.DataFrame(rows)))
    assert np.isfinite(ours).all() and np.isfinite(plain.predict_proba(rows)).all()


@pytest.mark.parametrize("name, value, kwargs, expected", [
    ("seed", 7, {"seed": 7}, 7),
    ("seed", 7, {"seed": 7, "random_state": 3}, 7),  # was 3: random_state won
    ("nthread", 1, {"nthread": 1, "n_jobs": 2}, 1),  # was 2: n_jobs won
    ("nthread", 2, {"n_jobs": 2}, 2),
])
def test_xgboost_seed_and_nthread_keywords_as_in_xgbclassifier(data, name, value, kwargs,
                                                               expected):
    # XGBClassifier hands both spellings on and XGBoost applies them in name order, so
    # seed= and nthread= win over random_state and n_jobs
    X, y = data

    def trained(model):
        return int(json.loads(model.get_booster().save_config())["learner"]
                   ["generic_param"][name])

    assert trained(xgb.XGBClassifier(n_estimators=2, **kwargs).fit(X, y)) == expected
    assert trained(FocalXGBClassifier(n_estimators=2, **kwargs).fit(X, y)) == expected


def test_xgboost_named_parameter_wins_over_its_other_spelling(data):
    X, y = data
    both = FocalXGBClassifier(n_estimators=5, learning_rate=0.5, eta=0.001).fit(X, y)
    named = FocalXGBClassifier(n_estimators=5, learning_rate=0.5).fit(X, y)
    alone = FocalXGBClassifier(n_estimators=5, eta=0.001).fit(X, y)
    np.testing.assert_array_equal(both.predict_proba(X), named.predict_proba(X))
    assert not np.allclose(alone.predict_proba(X), named.predict_proba(X))
    plain_both = xgb.XGBClassifier(n_estimators=5, learning_rate=0.5, eta=0.001).fit(X, y)
    plain_named = xgb.XGBClassifier(n_estimators=5, learning_rate=0.5).fit(X, y)
    np.testing.assert_array_equal(plain_both.predict_proba(X), plain_named.predict_proba(X))


def test_xgboost_feature_weights_in_the_constructor(data):
    # column sampling by node with weight only on feature 3: every split is on it
    X, y = data
    params = {"n_estimators": 20, "max_depth": 2, "colsample_bynode": 0.25,
              "feature_weights": np.array([1e-6, 1e-6, 1e-6, 1.0])}
    ours = FocalXGBClassifier(**params).fit(X, y).feature_importances_
    plain = xgb.XGBClassifier(**params).fit(X, y).feature_importances_
    np.testing.assert_array_equal(ours, [0, 0, 0, 1])
    np.testing.assert_array_equal(plain, [0, 0, 0, 1])


def test_xgboost_feature_weights_in_fit_points_to_the_constructor(data):
    # XGBClassifier.fit still takes it (deprecated); ours said "unexpected keyword"
    X, y = data
    with pytest.raises(TypeError, match="feature_weights in the constructor or set_params"):
        FocalXGBClassifier(n_estimators=2).fit(X, y, feature_weights=np.ones(X.shape[1]))


# ------------------------------------------------ LightGBM's early-stopping parameters
@pytest.fixture(scope="module")
def stopping_data():
    from sklearn.datasets import make_classification

    X, y = make_classification(3000, 6, n_informative=4, random_state=3)
    return X[:2000], y[:2000], X[2000:], y[2000:]


@pytest.mark.parametrize("params", [
    {"early_stopping_min_delta": 0.05},
    {"first_metric_only": True, "metric": ["binary_error", "auc"]},
    {"first_metric_only": True, "metric": ["auc", "binary_error"]},
])
def test_lightgbm_early_stopping_parameters_as_in_lgbmclassifier(stopping_data, params):
    # gamma 0 is log-loss: the same trees, so the same stopping round (LightGBM counts
    # best_iteration_ from 1, ours from 0, as XGBoost)
    Xt, yt, Xv, yv = stopping_data
    common = {"n_estimators": 300, "learning_rate": 0.3, "early_stopping_rounds": 10,
              **params}
    ours = FocalLGBMClassifier(gamma=0, **common).fit(Xt, yt, eval_X=Xv, eval_y=yv)
    plain = lgb.LGBMClassifier(verbose=-1, **common).fit(Xt, yt, eval_X=Xv, eval_y=yv)
    assert ours.best_iteration_ + 1 == plain.best_iteration_
    default = FocalLGBMClassifier(gamma=0, **{**common, **dict.fromkeys(params)})
    assert default.fit(Xt, yt, eval_X=Xv, eval_y=yv).best_iteration_ != ours.best_iteration_
    if "metric" in params:
        assert ours.stopping_metric_ == params["metric"][0]


def _f1(y_true, y_score):  # a callable metric, in each classifier's form
    from sklearn.metrics import f1_score

    return f1_score(y_true, y_score > 0.5)


def _f1_lightgbm(y_true, y_score):
    return "f1", _f1(y_true, y_score), True


@pytest.mark.parametrize(("stopping", "eval_metric"), [
    ({"callbacks": [lgb.early_stopping(10, first_metric_only=True, verbose=False)]},
     ["auc", "binary_error"]),
    ({"early_stopping_rounds": 10, "first_metric_only": True}, ["binary_error", "auc"]),
    ({"early_stopping_rounds": 10, "first_metric_only": True, "metric": "auc"},
     ["binary_error"]),
    ({"early_stopping_rounds": 10, "first_metric_only": True}, [_f1]),  # the objective's
])
def test_lightgbm_metric_order_as_in_lgbmclassifier(stopping_data, stopping, eval_metric):
    # LGBMClassifier evaluates eval_metric's names, its metric parameter, its objective's
    # metric, then the callables; first_metric_only (a callback's too) follows the first
    Xt, yt, Xv, yv = stopping_data
    callbacks = stopping.pop("callbacks", None)
    common = {"n_estimators": 300, "learning_rate": 0.3, **stopping}
    ours = FocalLGBMClassifier(gamma=0, **common).fit(
        Xt, yt, eval_X=Xv, eval_y=yv, eval_metric=eval_metric, callbacks=callbacks)
    plain = lgb.LGBMClassifier(verbose=-1, **common).fit(
        Xt, yt, eval_X=Xv, eval_y=yv, callbacks=callbacks,
        eval_metric=[_f1_lightgbm if m is _f1 else m for m in eval_metric])
    # the focal loss is always evaluated, where LGBMClassifier has binary_logloss (which
    # a metric parameter replaces)
    names = list(ours.evals_result_["valid_0"])
    plain_names = [{"f1": "_f1"}.get(m, m) for m in plain.evals_result_["valid_0"]]
    named = [m for m in plain_names if m in ("auc", "binary_error")]
    assert names == [*named, "focal_loss", *(["_f1"] * ("_f1" in plain_names))]
    assert ours.best_iteration_ + 1 == plain.best_iteration_
    # and the metric followed is the one reported (a callback's first_metric_only was
    # reported as the last metric)
    assert ours.stopping_metric_ == names[0]
    assert ours.best_score_ == ours.evals_result_["valid_0"][names[0]][ours.best_iteration_]


def test_lightgbm_early_stopping_callback_with_a_metric_parameter_as_lightgbm():
    # LightGBM's metric parameter replaces the objective's metric: an lgb.early_stopping
    # callback (and params' early_stopping_round) watches it, not the focal loss, which
    # is recorded all the same (the callback stopped on the focal loss: 28 rounds for 55)
    from sklearn.datasets import make_classification
    from sklearn.model_selection import train_test_split

    X, y = make_classification(1500, 10, n_informative=4, flip_y=0.1, weights=[0.8],
                               random_state=3)
    Xt, Xv, yt, yv = train_test_split(X, y, test_size=0.3, random_state=3)
    stop = {"callbacks": [lgb.early_stopping(20, verbose=False)]}
    plain = lgb.LGBMClassifier(n_estimators=500, metric="auc", verbose=-1).fit(
        Xt, yt, eval_set=[(Xv, yv)], **stop)
    stop = {"callbacks": [lgb.early_stopping(20, verbose=False)]}
    ours = FocalLGBMClassifier(gamma=0, n_estimators=500, metric="auc").fit(
        Xt, yt, eval_set=[(Xv, yv)], **stop)
    assert ours.booster_.best_iteration == plain.booster_.best_iteration
    assert "focal_loss" in ours.evals_result_["valid_0"]
    params = {"metric": "auc", "verbose": -1}
    for by_callback in (True, False):  # or by params' early_stopping_round
        def run(train, *loss, by_callback=by_callback):
            stop = {"callbacks": [lgb.early_stopping(20, verbose=False)]} if by_callback else {}
            p = params if by_callback else {**params, "early_stopping_round": 20}
            if not loss:
                p = {**p, "objective": "binary"}
            return train(p, lgb.Dataset(Xt, yt), *loss, 500,
                         valid_sets=[lgb.Dataset(Xv, yv)], **stop)

        want, got = run(lgb.train), run(flgb.train, focal_loss(0.0))
        assert got.best_iteration == want.best_iteration, by_callback
        assert list(got.best_score["valid_0"]) == ["auc", "focal_loss"]
    # rounds that are not an integer refused as lgb.train refuses them (a text "20" was
    # read, "abc" failed in int())
    for bad in ("20", 20.5, np.int64(20)):  # (lgb.train: isinstance(rounds, int))
        with pytest.raises(TypeError, match="early_stopping_round'] must be an integer"):
            flgb.train({**params, "early_stopping_round": bad}, lgb.Dataset(Xt, yt),
                       focal_loss(0.0), 5, valid_sets=[lgb.Dataset(Xv, yv)])


def test_lightgbm_stopping_metric_of_a_callback_and_of_the_estimators_own(stopping_data):
    # a callback's first_metric_only is read by its truth, as the callback reads it; the
    # estimator's own early stopping, where it runs, follows the parameter
    Xt, yt, Xv, yv = stopping_data
    fit = {"eval_set": [(Xv, yv)], "eval_metric": ["auc", "binary_error"]}
    truthy = FocalLGBMClassifier(n_estimators=50).fit(
        Xt, yt, callbacks=[lgb.early_stopping(10, first_metric_only=1, verbose=False)], **fit)
    assert truthy.stopping_metric_ == "auc"
    own = FocalLGBMClassifier(n_estimators=50, early_stopping_rounds=10).fit(Xt, yt, **fit)
    both = FocalLGBMClassifier(n_estimators=50, early_stopping_rounds=10).fit(
        Xt, yt, callbacks=[lgb.early_stopping(30, first_metric_only=True, verbose=False)],
        **fit)
    assert both.stopping_metric_ == own.stopping_metric_ != "auc"


def test_lightgbm_negative_n_jobs_counts_back_from_the_cpus(data):
    from joblib import cpu_count

    X, y = data
    ours = FocalLGBMClassifier(n_estimators=2, n_jobs=-2).fit(X, y)
    plain = lgb.LGBMClassifier(n_estimators=2, n_jobs=-2, verbose=-1).fit(X, y)
    expected = max(cpu_count() - 1, 1)
    assert ours.booster_.params["num_threads"] == plain.booster_.params["num_threads"] == expected
    assert ours._kernel_threads() == expected


def test_lightgbm_n_jobs_none_is_the_physical_cores_as_in_lgbmclassifier(
        data, monkeypatch, lightgbm_predict_threads):
    # LGBMClassifier(n_jobs=None) fits and predicts on the physical cores; ours left
    # num_threads unset, and LightGBM took every logical CPU (twice the threads on a
    # machine with two per core). Such a machine, as joblib would count it:
    import joblib

    monkeypatch.setattr(joblib, "cpu_count",
                        lambda only_physical_cores=False: 1 if only_physical_cores else 2)
    X, y = data
    for kw in ({}, {"num_threads": None}, {"nthread": None}):  # None as unset
        plain = lgb.LGBMClassifier(n_estimators=3, verbose=-1, **kw).fit(X, y)
        ours = FocalLGBMClassifier(n_estimators=3, **kw).fit(X, y)
        assert ours.booster_.params["num_threads"] == plain.booster_.params["num_threads"] == 1
        assert ours._kernel_threads() == 1  # the kernels follow LightGBM's threads
        lightgbm_predict_threads.clear()
        plain.predict_proba(X)
        ours.predict_proba(X)
        assert lightgbm_predict_threads == [1, 1]


def test_lightgbm_predicts_on_the_threads_it_was_given(data, lightgbm_predict_threads):
    # as LGBMClassifier passes n_jobs to LightGBM's predict (ours predicted on every core,
    # after which a forked child's LightGBM fit hung)
    X, y = data
    seen = lightgbm_predict_threads
    calls = ({}, {"raw_score": True}, {"pred_leaf": True}, {"pred_contrib": True},
             {"start_iteration": 1}, {"num_iteration": 1})
    from joblib import cpu_count

    physical = cpu_count(only_physical_cores=True)  # (n_jobs=None, as LGBMClassifier)
    for params, expected in (({"n_jobs": 1}, 1), ({"num_threads": 1}, 1), ({}, physical)):
        model = FocalLGBMClassifier(n_estimators=3, **params).fit(X, y)
        seen.clear()
        for options in calls:
            model.predict_proba(X, **options)
        model.predict(X)
        model.decision_function(X)
        assert seen == [expected] * (len(calls) + 2), params
    plain = lgb.LGBMClassifier(n_estimators=3, n_jobs=1, verbose=-1).fit(X, y)
    seen.clear()
    plain.predict_proba(X)
    assert seen == [1]


@pytest.mark.parametrize("kw, expected", [
    ({"n_jobs": 1, "num_threads": 2}, 2),  # the main name wins over n_jobs
    ({"n_jobs": 1, "nthread": 2}, 1),  # n_jobs, the shortest alias, wins over nthread
    ({"n_jobs": 2, "num_thread": 1}, 2),
    ({"nthread": 2}, 2),
])
def test_lightgbm_predicts_on_the_threads_it_fit_on(data, lightgbm_predict_threads, kw,
                                                     expected):
    # LGBMClassifier fits and predicts on the spelling LightGBM's alias rule picks; ours
    # fit on it and predicted on another (n_jobs over num_threads, nthread over n_jobs:
    # predicting on more threads than asked for hangs a forked child's next fit)
    X, y = data
    seen = lightgbm_predict_threads
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the spellings that lose are named
        plain = lgb.LGBMClassifier(verbose=-1, n_estimators=3, **kw).fit(X, y)
        ours = FocalLGBMClassifier(n_estimators=3, **kw).fit(X, y)
    assert ours.booster_.params["num_threads"] == plain.booster_.params["num_threads"]
    assert plain.booster_.params["num_threads"] == expected
    assert ours._kernel_threads() == expected
    seen.clear()
    plain.predict_proba(X)
    ours.predict_proba(X)
    assert seen == [expected, expected]


@pytest.mark.skipif(not sys.platform.startswith("linux"),
                    reason="fork start method with LightGBM's OpenMP threads")
def test_lightgbm_fit_in_a_forked_child_after_predicting():
    # LightGBM's OpenMP threads, once more were used than asked for, hang a fork's fit
    import subprocess
    import textwrap

    code = textwrap.dedent('''
        import multiprocessing as mp
        from sklearn.datasets import make_classification
        from focal_boost import FocalLGBMClassifier
        X, y = make_classification(3000, 12, n_informative=8, n_classes=10,
                                   n_clusters_per_class=1, random_state=9)
        model = FocalLGBMClassifier(n_estimators=20, n_jobs=1).fit(X, y)
        model.predict_proba(X)
        def child(queue):
            child_model = FocalLGBMClassifier(n_estimators=20, n_jobs=1).fit(X, y)
            queue.put(child_model.predict_proba(X).shape[1])
        queue = mp.get_context("fork").Queue()
        process = mp.get_context("fork").Process(target=child, args=(queue,))
        process.start()
        try:
            print(queue.get(timeout=60))
        finally:
            process.kill()
    ''')
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0 and result.stdout.split() == ["10"], result.stderr[-2000:]


def test_lightgbm_monotone_constraint_on_a_category_is_refused_not_a_crash():
    import subprocess
    import textwrap

    # LightGBM aborts the process there ("terminate called without an active
    # exception", LGBMClassifier and lgb.train alike): refused before it builds the
    # Dataset, on every front end (in a subprocess: a regression would abort pytest)
    code = textwrap.dedent('''
        import numpy as np, pandas as pd, lightgbm as lgb
        from focal_boost import FocalLGBMClassifier, focal_loss
        from focal_boost import lightgbm as flgb
        rng = np.random.RandomState(0)
        X = pd.DataFrame({"c": pd.Categorical(rng.choice(list("abc"), 200)),
                          "x": rng.normal(size=200)})
        y = (X.x > 0).astype(int)
        codes = X.assign(c=X.c.cat.codes)
        fits = [
            lambda: FocalLGBMClassifier(monotone_constraints=[1, 0]).fit(X, y),
            lambda: FocalLGBMClassifier(monotone_constraints=[0, 1]).fit(
                codes, y, categorical_feature=["x"]),
            lambda: flgb.train({"mc": "0,-1", "verbose": -1}, lgb.Dataset(
                codes.to_numpy(), y, categorical_feature=[1]), focal_loss(), 3),
        ]
        for fit in fits:
            try:
                fit()
                print("fitted")
            except ValueError as error:
                print(str(error).replace(" ", "_"))
        # a constraint on a numeric column beside a category: trains
        model = FocalLGBMClassifier(monotone_constraints=[0, 1], n_estimators=5).fit(X, y)
        ordered = X[X.c == "a"].sort_values("x")
        print(np.all(np.diff(model.predict_proba(ordered)[:, 1]) >= 0))
        # categories named by the categorical_feature parameter: refused too
        for params in ({"categorical_feature": "0"}, {"cat_feature": [0]},
                       {"categorical_column": "1,0"}):
            try:
                flgb.train({"monotone_constraints": [1, 0], "verbose": -1, **params},
                           lgb.Dataset(codes.to_numpy(), y, feature_name=["c", "x"]),
                           focal_loss(), 3)
                print("fitted")
            except ValueError as error:
                print("refused")
        # a subset's rows, of an array or a frame: LightGBM trains them without a word;
        # refused too
        for full in (lgb.Dataset(codes.to_numpy(), y, categorical_feature=[0],
                                 free_raw_data=False),
                     lgb.Dataset(X, y, free_raw_data=False)):
            try:
                flgb.train({"monotone_constraints": [1, 0], "verbose": -1},
                           full.subset(list(range(150))), focal_loss(), 3)
                print("fitted")
            except ValueError:
                print("refused")
        # an ordered category is numbers to LightGBM (LGBMClassifier trains it), and so
        # is a column named in a categorical_feature that is not a list (lgb.Dataset
        # reads lists only): both train, as in the plain library
        sizes = X.assign(c=X.c.cat.as_ordered())
        FocalLGBMClassifier(monotone_constraints=[1, 0], n_estimators=3).fit(sizes, y)
        FocalLGBMClassifier(monotone_constraints=[1, 0], n_estimators=3).fit(
            codes.to_numpy(), y, categorical_feature=np.array([0, 1]))
        print("trained")
        # a name LightGBM cannot find, or a numpy integer: LightGBM's own TypeError
        for given in (["zz"], [np.int64(0)]):
            try:
                flgb.train({"monotone_constraints": [1, 0], "verbose": -1},
                           lgb.Dataset(codes.to_numpy(), y, feature_name=["c", "x"],
                                       categorical_feature=given), focal_loss(), 3)
            except TypeError:
                print("TypeError")
    ''')
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    refused = [line.replace("_", " ") for line in result.stdout.split()]
    assert refused[:2] == [
        f"monotone constraints constrains categorical feature(s) {where}: LightGBM cannot "
        "make the output monotone in a categorical feature (building such a Dataset "
        "from all the rows aborts the process that builds it); set their constraints "
        "to 0, leave them out of categorical feature, or pass such a column as numbers "
        "(or an ordered category)"
        for where in ("['c'] (index [0])", "['x'] (index [1])")]
    assert "at index [1]:" in refused[2] and refused[3] == "True"
    assert refused[4:] == ["refused"] * 5 + ["trained"] + ["TypeError"] * 2


def test_lightgbm_monotone_constraint_in_the_datasets_params_is_refused_not_a_crash():
    # monotone_constraints in lgb.Dataset(params=...), on a category named by index in a
    # NumPy array (no feature names): lgb.train aborts the process there ("terminate
    # called"); ours refuses it by index (in a subprocess: a regression would abort pytest)
    import subprocess
    import textwrap

    code = textwrap.dedent('''
        import numpy as np, lightgbm as lgb
        from focal_boost import focal_loss
        from focal_boost import lightgbm as flgb
        rng = np.random.RandomState(0)
        X = np.column_stack([rng.randint(0, 3, 200), rng.normal(size=200)])
        y = (X[:, 1] > 0).astype(int)
        data = lgb.Dataset(X, y, categorical_feature=[0],
                           params={"verbose": -1, "monotone_constraints": [1, 0]})
        try:
            flgb.train({"verbose": -1}, data, focal_loss(), 3)
            print("fitted")
        except ValueError as error:
            print(error)
    ''')
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith(
        "monotone_constraints constrains categorical feature(s) at index [0]: LightGBM "
        "cannot make the output monotone"), result.stdout


def test_lightgbm_monotone_constraint_on_a_constructed_datasets_category_trains_as_lgb_train():
    # a Dataset built before train: LightGBM checks the constraints as it builds one, and
    # lgb.train trains on it; ours is not refused there either
    rng = np.random.RandomState(0)
    X = np.column_stack([rng.randint(0, 3, 200), rng.normal(size=200)])
    y = (X[:, 1] > 0).astype(int)
    params = {"verbose": -1, "monotone_constraints": [1, 0]}

    def built():
        return lgb.Dataset(X, y, categorical_feature=[0], params={"verbose": -1}).construct()

    plain = lgb.train(params, built(), 3)
    ours = flgb.train(params, built(), focal_loss(0.0), 3)
    assert ours.num_trees() == plain.num_trees() == 3


def test_the_plain_classifiers_default_values_are_taken(data):
    # a grid or a parameter set copied from LGBMClassifier / XGBClassifier: the values that
    # do nothing are taken; a value that would do something is still refused
    X, y = data
    plain = lgb.LGBMClassifier().get_params()
    FocalLGBMClassifier(**{**plain, "n_estimators": 3}).fit(X, y)
    FocalLGBMClassifier(n_estimators=3, is_unbalance=False, scale_pos_weight=1.0).fit(X, y)
    FocalLGBMClassifier(n_estimators=3, pos_bagging_fraction=1.0, neg_bagging_fraction=1.0,
                        multi_error_top_k=1).fit(X, y)
    # LightGBM ignores balanced bagging under a custom objective (the same trees with and
    # without), and the posterior's error is top-1: refused, not silently ignored
    for refused in ({"is_unbalance": True}, {"scale_pos_weight": 2.0},
                    {"class_weight": "balanced"},
                    {"neg_bagging_fraction": 0.3, "bagging_freq": 1},
                    {"pos_subsample": 0.5, "bagging_freq": 1}):
        with pytest.raises(ValueError, match="alpha"):
            FocalLGBMClassifier(n_estimators=3, **refused).fit(X, y)
    with pytest.raises(ValueError, match="multi_error_top_k.*eval_metric callable"):
        FocalLGBMClassifier(n_estimators=3, multi_error_top_k=2).fit(X, y)
    # named as typed: an alias was refused under LightGBM's main name
    with pytest.raises(ValueError, match="^unbalanced_sets=True has no effect"):
        FocalLGBMClassifier(n_estimators=3, unbalanced_sets=True).fit(X, y)
    with pytest.raises(ValueError, match="^pos_subsample=0.5 has no effect"):
        FocalLGBMClassifier(n_estimators=3, pos_subsample=0.5, bagging_freq=1).fit(X, y)
    # LightGBM's binary link scale: LGBMClassifier(sigmoid=2) learns half-size scores,
    # ours ignored it without a word
    FocalLGBMClassifier(n_estimators=3, sigmoid=1.0).fit(X, y)
    with pytest.raises(ValueError, match="^sigmoid=2.0 has no effect"):
        FocalLGBMClassifier(n_estimators=3, sigmoid=2.0).fit(X, y)
    # prediction early stopping: LightGBM applies it to its built-in objectives only
    # (LGBMClassifier's probabilities move, a custom objective's model sums every tree)
    FocalLGBMClassifier(n_estimators=3, pred_early_stop=False).fit(X, y)
    with pytest.raises(ValueError, match="^pred_early_stop=True has no effect.*built-in"):
        FocalLGBMClassifier(n_estimators=3, pred_early_stop=True).fit(X, y)
    plain = xgb.XGBClassifier().get_params()
    for key in ("objective", "gamma"):  # ours: the focal loss and its gamma
        plain.pop(key)
    FocalXGBClassifier(**{**plain, "n_estimators": 3}).fit(X, y)
    with pytest.raises(ValueError, match="init_score"):
        FocalXGBClassifier(n_estimators=3, base_score=0.3).fit(X, y)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_a_lightgbm_style_metric_is_refused_naming_the_form_taken(cls, data):
    # LightGBM's custom metrics return (name, value, is_higher_better); ours take
    # scikit-learn's form, one number, and say so (float() of the tuple failed)
    X, y = data

    def my_error(y_true, y_score):
        return "my_error", float(np.mean((y_score > 0.5) != y_true)), False

    def my_errors(y_true, y_score):  # a list of them (was: float() of a list)
        return [my_error(y_true, y_score)]

    def my_weighted_error(y_true, y_score, weight):  # (was: missing argument 'weight')
        return my_error(y_true, y_score)

    for metric, needle in ((my_error, "'my_error' returned a tuple"),
                           (my_errors, "'my_errors' returned a list"),
                           (my_weighted_error, "'my_weighted_error' takes 3 arguments "
                                               r"\(y_true, y_score, weight\)")):
        with pytest.raises(TypeError, match=needle + ".*scikit-learn's form, "
                                                     r"f\(y_true, y_score\) -> one number"):
            _fit_with_eval_metric(cls, metric, X, y)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_a_metric_named_focal_loss_is_refused(cls, data):
    # The adapters' metric objects (for xgb.train and the plain classifiers on the loss)
    # read margins; as an estimator's eval_metric they scored the probabilities, and
    # their values were interleaved with the focal loss's under one key (10 entries in
    # 5 rounds; early stopping followed the mix)
    X, y = data

    def my_metric(y_true, y_score):
        return 0.0

    my_metric.__name__ = "focal_loss"
    for metric in (fxgb.metric(focal_loss()), flgb.metric(focal_loss()), my_metric):
        with pytest.raises(ValueError, match="eval_metric 'focal_loss': the estimators "
                                             "record the focal loss under that name"):
            _fit_with_eval_metric(cls, metric, X, y)
    # the name itself (the key users see in evals_result_): said "not supported"
    with pytest.raises(ValueError, match=r"eval_metric 'focal_loss': the focal loss is "
                                         r"recorded every round without it"):
        _fit_with_eval_metric(cls, "focal_loss", X, y)


def _fit_with_eval_metric(cls, metric, X, y):
    # where each estimator takes it: XGBoost's constructor, LightGBM's fit
    estimator = cls(n_estimators=3)
    kwargs = {"eval_set": [(X, y)]}
    if cls is FocalXGBClassifier:
        estimator.set_params(eval_metric=metric)
    else:
        kwargs["eval_metric"] = metric
    return estimator.fit(X, y, **kwargs)


@pytest.mark.parametrize("cls", ESTIMATORS)
@pytest.mark.parametrize("missing", [None, np.nan])
def test_missing_labels_are_refused_naming_the_rows(cls, missing, data):
    X, y = data
    labels = np.array(["no", "yes"], dtype=object)[y]
    labels[[3, 7]] = missing
    with pytest.raises(ValueError, match=r"2 missing label\(s\).*rows 3, 7"):
        cls(n_estimators=2).fit(X, labels)
    numbers = y.astype(float)
    numbers[5] = np.nan
    with pytest.raises(ValueError, match=r"1 missing label\(s\).*rows 5"):
        cls(n_estimators=2).fit(X, numbers)


def test_lightgbm_fit_eval_init_score_and_feature_name_as_in_lgbmclassifier(noisy_split):
    # gamma 0 is log-loss: with each set's start margins the validation loss is
    # LGBMClassifier's, round for round (without them it is not)
    Xt, yt, Xv, yv = noisy_split
    starts = {"init_score": np.full(400, 0.5), "eval_set": [(Xv, yv)],
              "eval_init_score": [np.full(200, 0.5)], "feature_name": list("abcd")}
    ours = FocalLGBMClassifier(gamma=0, n_estimators=5, init_score=None).fit(Xt, yt, **starts)
    plain = lgb.LGBMClassifier(n_estimators=5, verbose=-1).fit(Xt, yt, **starts)
    np.testing.assert_allclose(ours.evals_result_["valid_0"]["focal_loss"],
                               plain.evals_result_["valid_0"]["binary_logloss"], rtol=1e-9)
    assert ours.booster_.feature_name() == plain.booster_.feature_name() == list("abcd")
    # the given names are the features' names for data without any, as in LGBMClassifier
    assert ours.feature_names_in_.tolist() == plain.feature_names_in_.tolist() == list("abcd")
    for model in (ours, plain):  # and data without names is read with sklearn's warning
        with pytest.warns(UserWarning, match="X does not have valid feature names"):
            by_position = model.predict_proba(Xv)
        np.testing.assert_allclose(
            model.predict_proba(pd.DataFrame(Xv, columns=list("abcd"))), by_position)
    without = FocalLGBMClassifier(gamma=0, n_estimators=5, init_score=None).fit(
        Xt, yt, init_score=starts["init_score"], eval_set=[(Xv, yv)])
    assert not np.allclose(without.evals_result_["valid_0"]["focal_loss"],
                           plain.evals_result_["valid_0"]["binary_logloss"])
    with pytest.raises(ValueError, match=r"eval_init_score\[0\] has shape \(3,\)"):
        FocalLGBMClassifier(n_estimators=2).fit(Xt, yt, eval_set=[(Xv, yv)],
                                                eval_init_score=[np.zeros(3)])


def test_lightgbm_fit_takes_positional_arguments_in_lgbmclassifiers_order(noisy_split):
    # LGBMClassifier.fit(X, y, sample_weight, init_score, eval_set, eval_names,
    # eval_sample_weight, eval_class_weight, eval_init_score, eval_metric, ...): ours
    # took eval_set fourth, so a start array became eval_set ("truth value ambiguous")
    Xt, yt, Xv, yv = noisy_split
    w = np.linspace(0.5, 1.5, 400)
    args = (w, np.full(400, 0.3), [(Xv, yv)], ["held"], [np.ones(200)], None,
            [np.full(200, 0.3)], "auc", list("abcd"), "auto", None, None)
    ours = FocalLGBMClassifier(gamma=0, n_estimators=5, init_score=None).fit(Xt, yt, *args)
    plain = lgb.LGBMClassifier(n_estimators=5, verbose=-1).fit(Xt, yt, *args)
    assert list(ours.evals_result_) == list(plain.evals_result_) == ["held"]
    np.testing.assert_allclose(ours.evals_result_["held"]["focal_loss"],
                               plain.evals_result_["held"]["binary_logloss"], rtol=1e-9)
    np.testing.assert_allclose(ours.evals_result_["held"]["auc"],
                               plain.evals_result_["held"]["auc"], rtol=1e-9)
    assert ours.booster_.feature_name() == list("abcd")
    np.testing.assert_allclose(ours.predict_proba(Xv), plain.predict_proba(Xv), atol=1e-12)


def test_lightgbm_predict_passes_lightgbm_prediction_parameters_as_lgbmclassifier(
        noisy_split, lightgbm_predict_threads):
    # LGBMClassifier.predict(X, ..., **kwargs) hands any other keyword to
    # Booster.predict; ours refused them (num_threads, pred_early_stop, ...)
    Xt, yt, Xv, _ = noisy_split
    ours = FocalLGBMClassifier(gamma=0, n_estimators=5, n_jobs=2).fit(Xt, yt)
    plain = lgb.LGBMClassifier(n_estimators=5, verbose=-1, n_jobs=2).fit(Xt, yt)
    seen = lightgbm_predict_threads
    for given, threads in (({"num_threads": 1}, 1), ({"nthread": 1}, 1), ({}, 2)):
        for model in (ours, plain):
            seen.clear()
            model.predict_proba(Xv, **given)
            assert seen == [threads], (model, given)
        np.testing.assert_allclose(ours.predict_proba(Xv, **given),
                                   plain.predict_proba(Xv, **given), atol=1e-12)
        seen.clear()
        ours.predict(Xv, pred_leaf=True, **given)
        ours.decision_function(Xv, **given)
        assert seen == [threads, threads]
    # pred_early_stop does nothing for a custom objective's model: refused, as in the
    # constructor (at its default it is taken)
    np.testing.assert_array_equal(ours.predict_proba(Xv, pred_early_stop=False),
                                  ours.predict_proba(Xv))
    with pytest.raises(ValueError, match="pred_early_stop=True has no effect"):
        ours.predict_proba(Xv, pred_early_stop=True)
    with pytest.raises(ValueError, match="pred_early_stop=True has no effect"):
        flgb.predict_margin(ours.booster_, Xv, pred_early_stop=True)
    with pytest.raises(ValueError, match=r"pred_early_stop=0 has no effect.*only true or false"):
        ours.predict_proba(Xv, pred_early_stop=0)
    # the output kind and the iterations are named options, under any spelling: through
    # **params the native functions returned leaf indices or contributions mapped as
    # "probabilities", and a start_iteration left the intercept out
    booster = ours.booster_
    for given in ({"pred_leaf": True}, {"pred_contrib": True}, {"start_iteration": 2},
                  {"raw_score": False}, {"leaf_index": True}):
        for function in (flgb.predict_margin, flgb.inverse_link,
                         functools.partial(flgb.predict_proba, loss=ours.loss_)):
            with pytest.raises(TypeError, match=f"does not take \\['{next(iter(given))}'"):
                function(booster, Xv, **given)
    with pytest.raises(TypeError, match=r"FocalLGBMClassifier does not take "
                                        r"\['predict_leaf_index'\].*pred_leaf"):
        ours.predict_proba(Xv, predict_leaf_index=True)
    np.testing.assert_array_equal(flgb.inverse_link(booster, Xv, num_threads=1),
                                  flgb.inverse_link(booster, Xv))
    with pytest.raises(TypeError, match=r"decision_function got unexpected keyword.*raw_score"):
        ours.decision_function(Xv, raw_score=True)
    # LightGBM's options given to the XGBoost estimator: where its own are (it said only
    # what it takes)
    xgb_model = FocalXGBClassifier(n_estimators=3).fit(Xt, yt)
    for option in ("raw_score", "pred_leaf", "num_iteration"):
        with pytest.raises(TypeError, match=re.escape(
                f"({option}: FocalLGBMClassifier's; the margins here are predict(X, "
                "output_margin=True), the leaves apply(X), the rounds iteration_range)")):
            xgb_model.predict_proba(Xv, **{option: 1})


def test_lightgbm_eval_names_against_the_training_data_name(noisy_split):
    # the training data passed again is "training" unless named: a set named "training"
    # beside it merged their logs into one (early stopping then skipped both); a name
    # "valid_1" for set 0 does not clash with the training data at position 1
    Xt, yt, Xv, yv = noisy_split
    sets = [(Xv, yv), (Xt, yt)]
    with pytest.raises(ValueError, match=r"\['training'\] would be used twice"):
        FocalLGBMClassifier(n_estimators=3).fit(Xt, yt, eval_set=sets, eval_names=["training"])
    named = FocalLGBMClassifier(n_estimators=3).fit(Xt, yt, eval_set=sets,
                                                    eval_names=["valid_1"])
    assert {k: len(v["focal_loss"]) for k, v in named.evals_result_.items()} == {
        "valid_1": 3, "training": 3}
    # the training data twice, unnamed: one log, as LGBMClassifier keeps it
    twice = FocalLGBMClassifier(n_estimators=3).fit(Xt, yt, eval_set=[(Xt, yt), sets[0],
                                                                      (Xt, yt)])
    plain = lgb.LGBMClassifier(n_estimators=3, verbose=-1).fit(
        Xt, yt, eval_set=[(Xt, yt), sets[0], (Xt, yt)])
    assert list(twice.evals_result_) == list(plain.evals_result_) == ["training", "valid_1"]


def test_lightgbm_eval_names_as_one_string_names_the_first_set(noisy_split):
    # LGBMClassifier (lgb.train) takes a string as the one set's name; ours refused it
    Xt, yt, Xv, yv = noisy_split
    ours = FocalLGBMClassifier(n_estimators=3).fit(Xt, yt, eval_set=[(Xv, yv)] * 2,
                                                   eval_names="holdout")
    plain = lgb.LGBMClassifier(n_estimators=3, verbose=-1).fit(
        Xt, yt, eval_X=(Xv, Xv), eval_y=(yv, yv), eval_names="holdout")
    assert list(ours.evals_result_) == list(plain.evals_result_) == ["holdout", "valid_1"]


def test_lightgbm_fit_eval_names_and_eval_class_weight_as_in_lgbmclassifier(noisy_split):
    # the names key evals_result_; the class weights weigh each set's metric (string
    # labels: the dict is keyed by them), so gamma 0's focal loss is LGBMClassifier's
    # weighted log-loss; early stopping reads the named set
    Xt, yt, Xv, yv = noisy_split
    labels = np.array(["neg", "pos"])
    sets = [(Xv[:100], labels[yv[:100]]), (Xv[100:], labels[yv[100:]])]
    common = {"eval_set": sets, "eval_names": ["first", "second"],
              "eval_class_weight": [{"pos": 5.0, "neg": 1.0}, "balanced"]}
    ours = FocalLGBMClassifier(gamma=0, n_estimators=8).fit(Xt, labels[yt], **common)
    plain = lgb.LGBMClassifier(n_estimators=8, verbose=-1).fit(Xt, labels[yt], **common)
    assert list(ours.evals_result_) == list(plain.evals_result_) == ["first", "second"]
    for name in ("first", "second"):
        np.testing.assert_allclose(ours.evals_result_[name]["focal_loss"],
                                   plain.evals_result_[name]["binary_logloss"], rtol=1e-9)
    unweighted = FocalLGBMClassifier(gamma=0, n_estimators=8).fit(
        Xt, labels[yt], eval_set=sets)
    assert not np.allclose(unweighted.evals_result_["valid_0"]["focal_loss"],
                           ours.evals_result_["first"]["focal_loss"])
    stopped = FocalLGBMClassifier(n_estimators=100, early_stopping_rounds=3).fit(
        Xt, yt, eval_set=[(Xv, yv)], eval_names=["holdout"])
    assert stopped.best_score_ == stopped.evals_result_["holdout"]["focal_loss"][
        stopped.best_iteration_]
    for names in (["a", "a"], ["valid_1"]):  # the second set's own name, too
        with pytest.raises(ValueError, match=r"eval_names must be distinct.*would be used"):
            FocalLGBMClassifier(n_estimators=2).fit(Xt, yt, eval_set=[(Xv, yv)] * 2,
                                                    eval_names=names)
    with pytest.raises(TypeError, match="eval_class_weight must be a list"):
        FocalLGBMClassifier(n_estimators=2).fit(Xt, yt, eval_set=[(Xv, yv)],
                                                eval_class_weight="balanced")
    # fewer entries than sets: the rest unweighted, as LGBMClassifier takes them; the
    # training data passed again is evaluated as trained on (no class weights)
    common = {"eval_set": [(Xt, yt), (Xv, yv)], "eval_class_weight": [{0: 1.0, 1: 5.0}]}
    ours = FocalLGBMClassifier(gamma=0, n_estimators=4).fit(Xt, yt, **common)
    plain = lgb.LGBMClassifier(n_estimators=4, verbose=-1).fit(Xt, yt, **common)
    assert list(ours.evals_result_) == list(plain.evals_result_) == ["training", "valid_1"]
    np.testing.assert_allclose(ours.evals_result_["training"]["focal_loss"],
                               plain.evals_result_["training"]["binary_logloss"], rtol=1e-9)
    np.testing.assert_allclose(ours.evals_result_["valid_1"]["focal_loss"],
                               plain.evals_result_["valid_1"]["binary_logloss"], rtol=1e-9)


@pytest.mark.parametrize("training_first", [True, False])
def test_lightgbm_early_stopping_skips_the_training_data_as_lgbmclassifier(stopping_data,
                                                                          training_first):
    # the training data passed again in eval_set is told apart as LGBMClassifier tells it
    # (X and y themselves); early stopping follows the last other set (it followed the
    # training loss, which never stops improving)
    Xt, yt, Xv, yv = stopping_data
    sets = [(Xt, yt), (Xv, yv)] if training_first else [(Xv, yv), (Xt, yt)]
    common = {"n_estimators": 200, "learning_rate": 0.3, "early_stopping_rounds": 5}
    ours = FocalLGBMClassifier(gamma=0, **common).fit(Xt, yt, eval_set=sets)
    plain = lgb.LGBMClassifier(verbose=-1, **common).fit(Xt, yt, eval_set=sets)
    assert ours.best_iteration_ + 1 == plain.best_iteration_ < 100
    valid = f"valid_{1 if training_first else 0}"
    assert ours.best_score_ == ours.evals_result_[valid]["focal_loss"][ours.best_iteration_]


# ------------------------------------------------------------ prediction options
def test_lightgbm_prediction_options_as_in_lgbmclassifier(data):
    # gamma 0 is log-loss and the intercept is LightGBM's boost_from_average: the same
    # trees, so every option gives LGBMClassifier's numbers
    X, y = data
    ours = FocalLGBMClassifier(gamma=0, n_estimators=10).fit(X, y)
    plain = lgb.LGBMClassifier(n_estimators=10, verbose=-1).fit(X, y)
    for options in ({"raw_score": True}, {"raw_score": True, "start_iteration": 2},
                    {"num_iteration": 3}, {"pred_contrib": True}):
        for method in ("predict", "predict_proba"):
            np.testing.assert_allclose(getattr(ours, method)(X, **options),
                                       getattr(plain, method)(X, **options), atol=1e-12)
    np.testing.assert_array_equal(ours.predict(X, pred_leaf=True),
                                  plain.predict(X, pred_leaf=True))
    # decision_function: the posterior's log-odds, here (gamma 0, no alpha) the margins
    np.testing.assert_allclose(ours.decision_function(X, num_iteration=3),
                               plain.predict(X, raw_score=True, num_iteration=3), atol=1e-12)
    with pytest.raises(TypeError, match=r"unexpected keyword argument\(s\) \['iteration_range'"):
        ours.predict_proba(X, iteration_range=(0, 2))


def test_xgboost_base_margin_at_prediction_is_refused_saying_why(data):
    # refused, by keyword and by predict_proba's position in XGBClassifier, saying what
    # gives the margins to add start margins to (it said only what it takes)
    X, y = data
    ours = FocalXGBClassifier(n_estimators=3).fit(X, y)
    for call in (lambda: ours.predict_proba(X, base_margin=np.zeros(len(X))),
                 lambda: ours.predict_proba(X, True, np.zeros(len(X)))):
        with pytest.raises(TypeError, match=r"\['base_margin'\].*\(base_margin: the model's "
                                            r"margins are predict\(X, output_margin=True\), "
                                            r"its own start included"):
            call()
    np.testing.assert_array_equal(ours.predict_proba(X, base_margin=None),
                                  ours.predict_proba(X))


def test_xgboost_prediction_options_as_in_xgbclassifier(data):
    X, y = data
    ours = FocalXGBClassifier(n_estimators=10).fit(X, y)
    margins = ours.predict(X, output_margin=True)
    np.testing.assert_allclose(ours.loss_.decision_function(margins), ours.decision_function(X))
    first = ours.predict_proba(X, iteration_range=(0, 3))
    assert not np.allclose(first, ours.predict_proba(X))
    np.testing.assert_allclose(
        first[:, 1], expit(ours.decision_function(X, iteration_range=(0, 3))))
    np.testing.assert_array_equal(ours.predict(X, iteration_range=(0, 3)),
                                  ours.classes_[first.argmax(axis=1)])
    np.testing.assert_array_equal(ours.predict_proba(X, validate_features=False),
                                  ours.predict_proba(X))
    with pytest.raises(TypeError, match="base_margin"):
        ours.predict_proba(X, base_margin=np.zeros(len(X)))


def test_prediction_options_by_position_as_the_plain_classifiers_take_them(data):
    # LGBMClassifier.predict_proba(X, raw_score, start_iteration, num_iteration, ...)
    # and XGBClassifier.predict_proba(X, validate_features, base_margin,
    # iteration_range) take their options by position too; ours took X alone and
    # failed naming a private base class
    X, y = data
    lgbm = FocalLGBMClassifier(gamma=0, n_estimators=10).fit(X, y)
    plain = lgb.LGBMClassifier(n_estimators=10, verbose=-1).fit(X, y)
    for method in ("predict", "predict_proba"):
        np.testing.assert_allclose(getattr(lgbm, method)(X, True, 2),
                                   getattr(plain, method)(X, True, 2), atol=1e-12)
        np.testing.assert_array_equal(getattr(lgbm, method)(X, False, 0, None, True),
                                      getattr(plain, method)(X, False, 0, None, True))
    with pytest.raises(TypeError, match=r"FocalLGBMClassifier.predict_proba got multiple "
                                        r"values for argument\(s\) \['raw_score'\]"):
        lgbm.predict_proba(X, True, raw_score=True)
    with pytest.raises(TypeError, match=r"^FocalLGBMClassifier.decision_function takes 1 "
                                        r"positional argument\(s\) \(X\) but 2 were given; "
                                        r"give the prediction options by keyword"):
        lgbm.decision_function(X, 3)
    ours = FocalXGBClassifier(n_estimators=10).fit(X, y)
    np.testing.assert_array_equal(ours.predict_proba(X, False, None, (0, 3)),
                                  ours.predict_proba(X, iteration_range=(0, 3)))
    with pytest.raises(TypeError, match="base_margin"):  # refused by keyword too
        ours.predict_proba(X, True, np.zeros(len(X)))
    with pytest.raises(TypeError, match=r"^FocalXGBClassifier.predict takes 1 positional "
                                        r"argument\(s\) \(X\) but 2 were given"):
        ours.predict(X, True)  # XGBClassifier.predict's options are keyword-only
    with pytest.raises(TypeError, match=r"FocalXGBClassifier.predict_proba takes 4 "
                                        r"positional argument\(s\) \(X, validate_features, "
                                        r"base_margin, iteration_range\) but 5 were given"):
        ours.predict_proba(X, True, None, (0, 3), 1)


def test_the_plain_classifiers_fitted_attributes_and_methods(data):
    X, y = data
    ours = FocalXGBClassifier(gamma=0, n_estimators=5).fit(X, y)
    plain = xgb.XGBClassifier(n_estimators=5).fit(X, y)
    np.testing.assert_array_equal(ours.apply(X), plain.apply(X))
    assert ours.apply(X, iteration_range=(0, 2)).shape == (len(X), 2)
    # apply reads the fitted model, not the training parameters set since (refused in
    # fit), and draws no seed from a RandomState, as XGBClassifier.apply
    leaves = ours.apply(X)
    state = np.random.RandomState(0)
    ours.set_params(objective="binary:logistic", base_score=0.2, random_state=state)
    before = state.get_state()[2]
    np.testing.assert_array_equal(ours.apply(X), leaves)
    assert state.get_state()[2] == before
    assert ours.get_num_boosting_rounds() == plain.get_num_boosting_rounds() == 5
    ours = FocalLGBMClassifier(n_estimators=7).fit(X, y)
    plain = lgb.LGBMClassifier(n_estimators=7, verbose=-1).fit(X, y)
    for name in ("n_features_", "n_estimators_", "n_iter_", "feature_name_", "fitted_"):
        assert getattr(ours, name) == getattr(plain, name), name
    assert ours.objective_ is ours.loss_


@pytest.mark.parametrize("task", ["binary", "multiclass", "multilabel"])
def test_xgboost_linear_coef_and_intercept_give_the_margins(task):
    # XGBClassifier has coef_ / intercept_ for gblinear (its intercept_ leaves
    # base_score out, its multiclass coef_ reads the weights in the wrong order); ours
    # give the raw margins exactly, up to the float32 digits of XGBoost's model dump
    X, y = make_classification_data(task)
    plain = xgb.XGBClassifier(booster="gblinear", n_estimators=10).fit(X, y)
    model = FocalXGBClassifier(booster="gblinear", n_estimators=10).fit(X, y)
    if task == "multilabel":  # XGBClassifier's is flat, (8,)
        assert model.coef_.shape == (2, 4) and model.intercept_.shape == (2,)
    else:
        assert model.coef_.shape == plain.coef_.shape
        assert model.intercept_.shape == plain.intercept_.shape
    np.testing.assert_allclose(X @ model.coef_.T + model.intercept_,
                               model.predict(X, output_margin=True), atol=1e-4)
    trees = FocalXGBClassifier(n_estimators=3).fit(X, y)
    assert not hasattr(trees, "coef_")  # SelectFromModel then reads feature_importances_
    np.testing.assert_allclose(  # the trees' start: the stored focal intercept
        trees.intercept_, np.ravel(trees.loss_.init_score(y)), atol=1e-6)


@pytest.mark.parametrize("booster", ["gblinear", "gbtree"])
@pytest.mark.parametrize("params", [
    {}, {"learning_rate": 0.3}, {"learning_rate": 0.1, "reg_lambda": 1.0},
    {"eta": 0.1, "learning_rate": 0.3}, {"reg_alpha": 0.0, "max_depth": 6}])
def test_xgboost_values_set_reach_xgboost_even_at_the_tree_defaults(booster, params):
    # a value equal to the tree booster's default was left out, so gblinear trained with
    # its own (learning rate 0.5, lambda 0): 0.38 off XGBClassifier, silently; and
    # learning_rate=0.3 lost to eta=0.1, where XGBClassifier applies it last
    X, y = make_classification_data("binary")
    kwargs = {"booster": booster, "n_estimators": 10, "n_jobs": 1, **params}  # (gblinear's
    # shotgun updater sums in thread order)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # gblinear: max_depth is not used
        plain = xgb.XGBClassifier(**kwargs).fit(X, y)
        ours = FocalXGBClassifier(gamma=0, **kwargs).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), plain.predict_proba(X), atol=1e-6)


def make_classification_data(task):
    rng = np.random.RandomState(0)
    X = rng.randn(400, 4)
    if task == "binary":
        return X, (X[:, 0] + rng.randn(400) > 1).astype(int)
    if task == "multiclass":
        return X, np.digitize(X[:, 0] + 0.5 * rng.randn(400), [-0.5, 1.0])
    return X, np.c_[X[:, 0] > 0.5, X[:, 1] + X[:, 2] > 0].astype(int)


def test_lightgbm_categories_beside_names_lightgbm_refuses():
    # LightGBM refuses JSON characters in feature names; ours names such features
    # Column_i, and the DataFrame's categories go along (it failed with "unknown name(c)
    # in categorical_feature", a parameter the user never passed)
    rng = np.random.RandomState(0)
    X = rng.randn(3000, 2)
    y = (X[:, 0] + 2 * (np.arange(3000) % 4 == 1) > 0.5).astype(int)
    frame = pd.DataFrame({"a:b": X[:, 0], "c": pd.Categorical(np.arange(3000) % 4)})
    clean = frame.rename(columns={"a:b": "ab"})
    expected = FocalLGBMClassifier(n_estimators=5).fit(clean, y).predict_proba(clean)
    for kwargs in ({}, {"categorical_feature": ["c"]}, {"eval_set": [(frame, y)]}):
        model = FocalLGBMClassifier(n_estimators=5).fit(frame, y, **kwargs)
        assert model.booster_.feature_name() == ["Column_0", "Column_1"]
        np.testing.assert_array_equal(model.predict_proba(frame), expected)
    with pytest.raises(Exception, match="special JSON characters"):
        lgb.LGBMClassifier(n_estimators=5, verbose=-1).fit(frame, y)


def test_lightgbm_category_column_named_with_a_space_beside_validation_sets():
    # LightGBM writes "tumour site" as "tumour_site" when it builds the training set;
    # ours is built before the validation sets take its names, which then missed the
    # frame's category column: TypeError "unknown name(tumour site) in categorical_feature"
    # with any eval_set or early stopping, where LGBMClassifier fits
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"tumour site": pd.Categorical(rng.choice(["a", "b", "c"], 400)),
                          "x": rng.normal(size=400)})
    y = (frame["x"] + (frame["tumour site"] == "a") + rng.normal(size=400) > 0.5).astype(int)
    Xt, Xv, yt, yv = frame[:300], frame[300:], y[:300], y[300:]
    plain = lgb.LGBMClassifier(n_estimators=20, verbose=-1).fit(Xt, yt, eval_set=[(Xv, yv)])
    ours = FocalLGBMClassifier(gamma=0, n_estimators=20).fit(Xt, yt, eval_set=[(Xv, yv)])
    np.testing.assert_allclose(ours.predict_proba(Xv), plain.predict_proba(Xv), atol=1e-12)
    assert ours.booster_.feature_name() == plain.booster_.feature_name() == ["tumour_site", "x"]
    stopped = FocalLGBMClassifier(n_estimators=20, early_stopping_rounds=3).fit(Xt, yt)
    assert stopped.evals_result_  # the held-out share was evaluated
    # the native run builds its Dataset the same way, with the user's validation set
    for subset in (False, True):  # a subset of the training set builds it first
        train = lgb.Dataset(Xt, yt)
        valid = [lgb.Dataset(Xv, yv, reference=train)]
        booster = flgb.train({"verbose": -1}, train, focal_loss(2.0), 5,
                             valid_sets=[train.subset(np.arange(50)), *valid] if subset
                             else valid)
        assert booster.feature_name() == ["tumour_site", "x"]


def test_xgboost_fit_base_margin_as_in_xgbclassifier(noisy_split):
    # gamma 0 is log-loss: with the rows' start margins (training and evaluation) the
    # validation log-loss is XGBClassifier's, round for round
    Xt, yt, Xv, yv = noisy_split
    starts = {"base_margin": np.full(400, 0.5), "eval_set": [(Xv, yv)],
              "base_margin_eval_set": [np.full(200, 0.5)],
              "sample_weight_eval_set": [np.linspace(0.5, 1.5, 200)], "verbose": False}
    kwargs = {"n_estimators": 5, "eval_metric": "logloss"}
    ours = FocalXGBClassifier(gamma=0, **kwargs).fit(Xt, yt, **starts)
    plain = xgb.XGBClassifier(**kwargs).fit(Xt, yt, **starts)
    np.testing.assert_allclose(ours.evals_result_["validation_0"]["logloss"],
                               plain.evals_result()["validation_0"]["logloss"], rtol=1e-5)
    without = FocalXGBClassifier(gamma=0, **kwargs).fit(Xt, yt, eval_set=[(Xv, yv)])
    assert not np.allclose(without.evals_result_["validation_0"]["logloss"],
                           plain.evals_result()["validation_0"]["logloss"], rtol=1e-3)
    with pytest.raises(ValueError, match=r"base_margin has shape \(3,\)"):
        FocalXGBClassifier(n_estimators=2).fit(Xt, yt, base_margin=np.zeros(3))
    with pytest.raises(ValueError, match="not both"):
        FocalXGBClassifier(n_estimators=2).fit(Xt, yt, eval_set=[(Xv, yv)],
                                               eval_sample_weight=[np.ones(200)],
                                               sample_weight_eval_set=[np.ones(200)])


def test_lightgbm_eval_set_as_one_pair_and_weights_by_index(data):
    # LGBMClassifier takes eval_set=(X, y) and eval_sample_weight={index: weights}
    X, y = data
    Xt, yt, Xv, yv = X[:200], y[:200], X[200:], y[200:]
    w = np.linspace(0.5, 1.5, len(yv))
    ours = FocalLGBMClassifier(gamma=0, n_estimators=3).fit(
        Xt, yt, eval_set=(Xv, yv), eval_sample_weight={0: w})
    listed = FocalLGBMClassifier(gamma=0, n_estimators=3).fit(
        Xt, yt, eval_set=[(Xv, yv)], eval_sample_weight=[w])
    plain = lgb.LGBMClassifier(n_estimators=3, verbose=-1).fit(
        Xt, yt, eval_set=(Xv, yv), eval_sample_weight={0: w})
    assert (ours.evals_result_["valid_0"]["focal_loss"]
            == listed.evals_result_["valid_0"]["focal_loss"])
    np.testing.assert_allclose(ours.evals_result_["valid_0"]["focal_loss"],
                               plain.evals_result_["valid_0"]["binary_logloss"], rtol=1e-9)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_continuing_a_model_of_another_loss_warns_about_the_correction(cls, data):
    # the posterior correction maps focal-trained margins; a log-loss model's trees are
    # not (0 new trees changed XGBClassifier's 0.86 into 0.99)
    X, y = data
    name = "xgb_model" if cls is FocalXGBClassifier else "init_model"
    plain = (xgb.XGBClassifier(n_estimators=5) if cls is FocalXGBClassifier
             else lgb.LGBMClassifier(n_estimators=5, verbose=-1)).fit(X, y)
    with pytest.warns(UserWarning,
                      match=f"{name} was trained on 'binary.*posterior_correction") as caught:
        cls(n_estimators=1).fit(X, y, **{name: plain})
    assert caught[0].filename == __file__  # the warning points at the caller's fit
    focal = cls(n_estimators=2).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cls(n_estimators=1).fit(X, y, **{name: focal})
        cls(n_estimators=1, posterior_correction=False).fit(X, y, **{name: plain})
    with pytest.warns(UserWarning, match="gamma=1.0"):
        cls(gamma=1.0, n_estimators=1).fit(X, y, **{name: focal})


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_continuing_a_saved_model_of_another_loss_warns_too(cls, data, tmp_path):
    # a model file, and LightGBM's Booster (it has no loss_): they gave no warning
    X, y = data
    name = "xgb_model" if cls is FocalXGBClassifier else "init_model"
    plain = (xgb.XGBClassifier(n_estimators=5) if cls is FocalXGBClassifier
             else lgb.LGBMClassifier(n_estimators=5, verbose=-1)).fit(X, y)
    focal = cls(n_estimators=2).fit(X, y)
    path, focal_path = tmp_path / "plain.json", tmp_path / "focal.json"
    if cls is FocalXGBClassifier:
        plain.save_model(path)
        focal.save_model(focal_path)
        given = [path, str(path), plain.get_booster()]
    else:
        plain.booster_.save_model(path)
        focal.booster_.save_model(focal_path)
        given = [path, str(path), plain.booster_]
    for model in given:
        with pytest.warns(UserWarning, match=f"{name} was trained on '.*posterior_correction"):
            cls(n_estimators=1).fit(X, y, **{name: model})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cls(n_estimators=1).fit(X, y, **{name: focal_path})
    # a focal file names its loss (LightGBM's of focal_boost.lightgbm.save_model): another
    # gamma warns as the estimator itself does (the LightGBM file gave no warning)
    named = tmp_path / "named.txt"
    if cls is FocalXGBClassifier:
        named = focal_path
    else:
        flgb.save_model(focal.booster_, named, focal.loss_)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            cls(n_estimators=1).fit(X, y, **{name: named})
    with pytest.warns(UserWarning, match=f"{name} was trained on FocalLoss.gamma=2.0"):
        cls(gamma=0.5, n_estimators=1).fit(X, y, **{name: named})


def test_xgboost_n_estimators_none_is_xgboosts_default(data):
    X, y = data
    ours = FocalXGBClassifier(n_estimators=None).fit(X, y)
    plain = xgb.XGBClassifier(n_estimators=None).fit(X, y)
    assert ours.booster_.num_boosted_rounds() == plain.get_booster().num_boosted_rounds() == 100
    assert ours.get_num_boosting_rounds() == 100


# ------------------------------------------------------- decision_function and predict
@pytest.mark.parametrize("cls", ESTIMATORS)
def test_decision_function_agrees_with_predict_whatever_alpha(cls):
    # scikit-learn's contract (OneVsRestClassifier relies on it): predict is the sign
    # (binary, each label) or argmax (multiclass) of decision_function. Raw margins broke
    # it once alpha moved the posterior's 1/2 away from margin 0 (330 of 1800 cells
    # differed in OneVsRestClassifier)
    from sklearn.datasets import make_classification, make_multilabel_classification
    from sklearn.multiclass import OneVsRestClassifier

    X, Y = make_multilabel_classification(600, 6, n_classes=3, random_state=0)
    ovr = OneVsRestClassifier(cls(n_estimators=20, alpha=0.25)).fit(X, Y)
    np.testing.assert_array_equal(ovr.predict(X), ovr.predict_proba(X) > 0.5)
    binary = cls(n_estimators=10, alpha=0.25).fit(X, Y[:, 0])
    np.testing.assert_array_equal(binary.predict(X), binary.decision_function(X) > 0)
    np.testing.assert_allclose(expit(binary.decision_function(X)),
                               binary.predict_proba(X)[:, 1], rtol=1e-12)
    X3, y3 = make_classification(600, 6, n_informative=4, n_classes=3, random_state=0)
    multi = cls(n_estimators=10, alpha=[1.0, 3.0, 5.0]).fit(X3, y3)
    np.testing.assert_array_equal(multi.predict(X3), multi.decision_function(X3).argmax(1))
    plain = cls(n_estimators=10, alpha=[1.0, 3.0, 5.0], posterior_correction=False)
    plain.fit(X3, y3)
    np.testing.assert_array_equal(plain.decision_function(X3), raw_margins(plain, X3))
    if cls is FocalXGBClassifier:
        labels = cls(n_estimators=10, alpha=0.25).fit(X, Y)
        np.testing.assert_array_equal(labels.predict(X), labels.decision_function(X) > 0)


@pytest.mark.parametrize("dtype", ["Int64", "boolean", "int64"])
def test_xgboost_label_matrix_as_a_nullable_frame(dtype, data):
    X, _ = data
    Y = (X[:, :3] > 0).astype(int)
    frame = pd.DataFrame(Y, columns=list("abc")).astype(dtype)
    ours = FocalXGBClassifier(n_estimators=3).fit(X, frame)
    np.testing.assert_array_equal(ours.predict(X), FocalXGBClassifier(n_estimators=3)
                                  .fit(X, Y).predict(X))
    xgb.XGBClassifier(n_estimators=3).fit(X, frame)  # the plain classifier takes it too
    if dtype != "int64":
        frame.iloc[3, 1] = pd.NA
        with pytest.raises(ValueError, match=r"1 missing label\(s\).*rows 3\)"):
            FocalXGBClassifier(n_estimators=3).fit(X, frame)


def test_xgboost_parameters_copied_from_xgbclassifier(data):
    # XGBClassifier().get_params() has gamma=None (its min_split_loss): the error says
    # which gamma this is and the name of XGBoost's; get_xgb_params as in XGBClassifier
    from sklearn.utils._param_validation import InvalidParameterError

    X, y = data
    copied = {k: v for k, v in xgb.XGBClassifier().get_params().items() if k != "objective"}
    with pytest.raises(InvalidParameterError, match="gamma=None.*own gamma is min_split_loss"):
        FocalXGBClassifier(**copied).fit(X, y)
    with pytest.raises(InvalidParameterError, match=r"gamma=None.*\(default 2.0\)$"):
        FocalLGBMClassifier(gamma=None).fit(X, y)  # no word of XGBoost there
    # XGBoost's own alpha (L1) given as a keyword: named, with where L1 went
    for cls, alpha in ((FocalXGBClassifier, 5), (FocalLGBMClassifier, 1.0),
                       (FocalXGBClassifier, 0)):
        with pytest.raises(InvalidParameterError, match=f"^The 'alpha' parameter .* Got "
                                                        f"{alpha!r} instead. alpha is the "
                                                        "focal .*; L1 regularisation is "
                                                        "reg_alpha$"):
            cls(alpha=alpha).fit(X, y)
    params = FocalXGBClassifier(learning_rate=0.1, min_split_loss=2.0).get_xgb_params()
    assert params["eta"] == 0.1 and params["min_split_loss"] == 2.0
    assert "objective" not in params and "num_class" not in params


@pytest.mark.parametrize("n_classes", [2, 3])
def test_get_xgb_params_retrains_the_model_as_documented(n_classes):
    # the docstring's and README's recipes: focal_boost.xgboost.train with num_class, and
    # xgb.train with the objective, the start as base_score and no default metric
    # (without base_score XGBoost starts at margin 0.5: 0.79 off binary, 1.19 with 3)
    from sklearn.datasets import make_classification

    X, y = make_classification(600, 6, n_informative=4, n_classes=n_classes,
                               weights=[0.7] + [0.3 / (n_classes - 1)] * (n_classes - 1),
                               random_state=0)
    clf = FocalXGBClassifier(n_estimators=8, max_depth=3, random_state=0).fit(X, y)
    params = clf.get_xgb_params()
    if n_classes > 2:
        params["num_class"] = n_classes
    dtrain, dall = xgb.QuantileDMatrix(X, label=y), xgb.DMatrix(X)
    expected = clf.get_booster().predict(dall, output_margin=True)
    again = fxgb.train(params, dtrain, clf.loss_, clf.get_num_boosting_rounds())
    np.testing.assert_array_equal(again.predict(dall, output_margin=True), expected)
    by_hand = xgb.train({**params, "base_score": clf.intercept_,
                         "disable_default_eval_metric": True},
                        dtrain, clf.get_num_boosting_rounds(),
                        obj=fxgb.objective(clf.loss_))
    np.testing.assert_allclose(by_hand.predict(dall, output_margin=True), expected,
                               atol=1e-6)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_labels_as_a_one_column_frame_keep_their_type(cls, data):
    # a one-column label DataFrame became floats: 2**53 + 1 merged with 2**53 (two
    # classes of three), ints and booleans predicted as floats; the plain ones keep them
    X, y = data
    three = np.where(X[:, 1] > 0.5, 2, y)
    big = pd.DataFrame({"t": (2**53 + three).astype(np.int64)})
    model = cls(n_estimators=3).fit(X, big)
    plain = lgb.LGBMClassifier(n_estimators=3, verbose=-1).fit(X, big)
    np.testing.assert_array_equal(model.classes_, plain.classes_)
    assert model.classes_.dtype == np.int64 and model.n_classes_ == 3
    flags = cls(n_estimators=3).fit(X, pd.DataFrame({"t": y == 1}))
    assert flags.classes_.dtype == bool and flags.predict(X).dtype == bool


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_numbers_held_as_objects_are_labels(cls, data):
    # an object column of ints or bools: XGBClassifier fits it, scikit-learn's target
    # check called it "Unknown label type: unknown ... continuous values"
    X, y = data
    three = np.where(X[:, 1] > 0.5, 2, y)
    plain = xgb.XGBClassifier(n_estimators=3).fit(X, pd.Series(three).astype(object))
    ours = cls(n_estimators=3).fit(X, pd.Series(three).astype(object))
    np.testing.assert_array_equal(ours.classes_, plain.classes_)
    np.testing.assert_array_equal(ours.predict_proba(X).argmax(axis=1), ours.predict(X))
    flags = cls(n_estimators=3).fit(X, (y == 1).astype(object))
    assert flags.classes_.tolist() == [False, True]
    with pytest.raises(ValueError, match="Unknown label type: continuous"):  # as plain
        cls(n_estimators=3).fit(X, (y + 0.5).astype(object))


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_a_dask_dataframe_is_taken_in_memory_as_the_plain_classifiers_take_it(cls, data):
    dd = pytest.importorskip("dask.dataframe")
    X, y = data
    frame = pd.DataFrame(X, columns=list("abcd"))
    lazy = dd.from_pandas(frame, npartitions=3)
    model = cls(n_estimators=3).fit(lazy, y)
    np.testing.assert_array_equal(model.predict_proba(lazy),
                                  cls(n_estimators=3).fit(frame, y).predict_proba(frame))


def _arrow_frames():
    """The same rows as a pyarrow Table and a polars DataFrame, with a categorical
    (dictionary) column that carries the signal."""
    pa = pytest.importorskip("pyarrow")
    rng = np.random.RandomState(0)
    X = rng.randn(400, 3)
    colour = np.where(X[:, 0] + rng.randn(400) > 0, "red", np.where(X[:, 1] > 0, "blue",
                                                                   "green"))
    y = (colour == "red").astype(int)
    table = pa.table({"a": X[:, 0], "b": X[:, 1], "c": X[:, 2],
                      "colour": pa.array(colour).dictionary_encode()})
    frames = [("pyarrow", table)]
    pl = pytest.importorskip("polars")
    frames.append(("polars", pl.from_arrow(table)))
    return frames, y


def test_polars_and_pyarrow_frames_with_categories():
    # XGBClassifier reads their categories through Arrow (ours read them as floats:
    # "could not convert string to float"); LGBMClassifier stops the process on a
    # dictionary column, so ours is held to it on the same rows in pandas
    frames, y = _arrow_frames()
    for name, frame in frames:
        pandas = frame.to_pandas()
        assert isinstance(pandas["colour"].dtype, pd.CategoricalDtype), name
        ours = FocalXGBClassifier(gamma=0, n_estimators=5, enable_categorical=True).fit(frame, y)
        given = frame
        try:
            plain = xgb.XGBClassifier(n_estimators=5, enable_categorical=True).fit(frame, y)
        except ValueError as error:  # XGBoost 3.4 takes polars' Enum only, not Categorical
            assert "Enum" in str(error), error
            given = pandas
            plain = xgb.XGBClassifier(n_estimators=5, enable_categorical=True).fit(given, y)
        assert ours.booster_.feature_types == ["float", "float", "float", "c"]
        np.testing.assert_allclose(ours.predict_proba(frame), plain.predict_proba(given),
                                   atol=1e-6)
        np.testing.assert_array_equal(ours.feature_names_in_, ["a", "b", "c", "colour"])
        ours = FocalLGBMClassifier(gamma=0, n_estimators=5).fit(frame, y)
        plain = lgb.LGBMClassifier(n_estimators=5, verbose=-1).fit(pandas, y)
        np.testing.assert_allclose(ours.predict_proba(frame), plain.predict_proba(pandas),
                                   atol=1e-12)
        assert ours.booster_.pandas_categorical == [list(pandas["colour"].cat.categories)]


def test_arrow_boolean_columns_with_nulls_are_booleans_with_missing_values():
    # pyarrow makes objects (True, False, None) of them, which ours refused ("neither
    # numbers nor categories ... (object)"); the plain classifiers read them as numbers
    # with missing values
    pa = pytest.importorskip("pyarrow")
    rng = np.random.default_rng(0)
    flags = [None if k % 9 == 0 else bool(rng.random() < 0.5) for k in range(300)]
    x = rng.normal(size=300)
    y = (x + np.nan_to_num(np.array(flags, dtype=float)) > 0.5).astype(int)
    frames = [pa.table({"x": x, "b": pa.array(flags), "none": pa.nulls(300, pa.bool_())})]
    pl = pytest.importorskip("polars")
    frames.append(pl.from_arrow(frames[0]))
    numbers = pd.DataFrame({"x": x, "b": np.array(flags, dtype=float), "none": np.nan})
    for frame in frames:
        ours = FocalXGBClassifier(gamma=0, n_estimators=5).fit(frame, y)
        plain = xgb.XGBClassifier(n_estimators=5).fit(frame, y)
        np.testing.assert_allclose(ours.predict_proba(frame), plain.predict_proba(frame),
                                   atol=1e-6)
        ours = FocalLGBMClassifier(gamma=0, n_estimators=5).fit(frame, y)
        plain = lgb.LGBMClassifier(n_estimators=5, verbose=-1).fit(numbers, y)
        np.testing.assert_allclose(ours.predict_proba(frame), plain.predict_proba(numbers),
                                   atol=1e-12)


def test_a_polars_lazy_frame_is_collected_as_xgbclassifier_does(data):
    # XGBClassifier collects a LazyFrame (with a warning); ours failed with numpy's
    # "setting an array element with a sequence", after polars' warnings about our checks
    pl = pytest.importorskip("polars")
    pytest.importorskip("pyarrow")  # (XGBoost reads polars through it)
    X, y = data
    frame = pl.DataFrame(X, schema=[f"f{j}" for j in range(X.shape[1])])
    with pytest.warns(UserWarning, match="LazyFrame.collect"):
        plain = xgb.XGBClassifier(n_estimators=5).fit(frame.lazy(), y)
    with pytest.warns(UserWarning, match="LazyFrame.collect") as caught:
        ours = FocalXGBClassifier(gamma=0, n_estimators=5).fit(
            frame.lazy(), y, eval_set=[(frame.lazy(), y)], verbose=False)
        proba = ours.predict_proba(frame.lazy())
    assert {type(w.message) for w in caught} == {UserWarning}  # (no PerformanceWarning)
    assert all(w.filename == __file__ for w in caught)
    np.testing.assert_allclose(proba, plain.predict_proba(frame), atol=1e-6)
    assert list(ours.feature_names_in_) == frame.columns
    with pytest.warns(UserWarning, match="LazyFrame.collect"):
        lazy = FocalLGBMClassifier(n_estimators=5).fit(frame.lazy(), y).predict_proba(frame)
    np.testing.assert_array_equal(
        lazy, FocalLGBMClassifier(n_estimators=5).fit(frame, y).predict_proba(frame))


def test_polars_enums_and_ordered_dictionaries_are_categories():
    # they arrive in pandas as ordered categories, which LightGBM takes for numbers (its
    # codes): no categorical split, and a missing value scored as the first category
    pa = pytest.importorskip("pyarrow")

    frames, y = _arrow_frames()
    table = frames[0][1]
    colour = table["colour"].combine_chunks()
    ordered = table.set_column(3, "colour", pa.DictionaryArray.from_arrays(
        colour.indices, colour.dictionary, ordered=True))
    unordered = table.to_pandas()
    pl = pytest.importorskip("polars")
    enum = pl.from_arrow(table).with_columns(
        pl.col("colour").cast(pl.Utf8).cast(pl.Enum(colour.dictionary.to_pylist())))
    plain = lgb.LGBMClassifier(n_estimators=5, verbose=-1).fit(unordered, y)
    for frame in (ordered, enum):
        assert frame.to_pandas()["colour"].cat.ordered
        ours = FocalLGBMClassifier(gamma=0, n_estimators=5).fit(frame, y)
        assert ours.booster_.pandas_categorical == plain.booster_.pandas_categorical
        roots = [t["tree_structure"] for t in ours.booster_.dump_model()["tree_info"]]
        assert all(root["decision_type"] == "==" for root in roots)  # categorical splits
        np.testing.assert_allclose(ours.predict_proba(frame), plain.predict_proba(unordered),
                                   atol=1e-12)


def test_pyarrow_table_of_arrow_backed_numbers_is_read_as_numbers(tmp_path):
    # a parquet file of a frame of "float64[pyarrow]" columns, read with pq.read_table:
    # to_pandas makes those dtypes again, which LightGBM's pandas path refused
    # ("pandas dtypes must be int, float or bool"); LGBMClassifier reads the Table
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    frame = pd.DataFrame(X, columns=list("abc")).astype({"a": "float64[pyarrow]"})
    frame["i"] = pd.Series(rng.integers(0, 5, 300), dtype="int64[pyarrow]")
    frame["b"] = pd.Series(rng.random(300) > 0.5, dtype="bool[pyarrow]")
    frame.loc[3, "i"], frame.loc[5, "b"], frame.loc[7, "a"] = None, None, None
    frame.to_parquet(tmp_path / "rows.parquet")
    table = pq.read_table(tmp_path / "rows.parquet")
    assert str(table.to_pandas()["a"].dtype) == "double[pyarrow]"
    plain = lgb.LGBMClassifier(n_estimators=5, verbose=-1).fit(table, y)
    ours = FocalLGBMClassifier(gamma=0, n_estimators=5).fit(table, y, eval_set=[(table, y)])
    np.testing.assert_allclose(ours.predict_proba(table), plain.predict_proba(table),
                               atol=1e-12)
    numbers = frame.astype({"a": "float64", "i": "float64", "b": "boolean"})
    np.testing.assert_array_equal(ours.predict_proba(table), ours.predict_proba(numbers))


def test_lightgbm_dataframe_of_arrow_backed_numbers_is_read_as_numbers():
    # pandas' dtype_backend="pyarrow" (read_parquet, read_csv, convert_dtypes): LightGBM's
    # pandas path refuses its numbers ("pandas dtypes must be int, float or bool"),
    # LGBMClassifier alike, where the same frame as a Table trains; they are read as
    # NumPy's numbers here, a null missing, in fit, eval_set and predict
    pytest.importorskip("pyarrow")
    rng = np.random.default_rng(0)
    numbers = pd.DataFrame({"a": rng.normal(size=300), "i": rng.integers(0, 5, 300),
                            "b": rng.random(300) > 0.5})
    y = (numbers["a"] + rng.normal(size=300) > 0.5).astype(int)
    arrow = numbers.convert_dtypes(dtype_backend="pyarrow")
    arrow.loc[3, "a"], arrow.loc[4, "i"], arrow.loc[5, "b"] = None, None, None
    numbers = numbers.astype({"i": "float64", "b": "boolean"})
    numbers.loc[3, "a"], numbers.loc[4, "i"], numbers.loc[5, "b"] = np.nan, np.nan, None
    assert str(arrow["a"].dtype) == "double[pyarrow]"
    with pytest.raises(ValueError, match="pandas dtypes must be int, float or bool"):
        lgb.LGBMClassifier(n_estimators=5, verbose=-1).fit(arrow, y)
    ours = FocalLGBMClassifier(n_estimators=5).fit(arrow, y, eval_set=[(arrow[:100], y[:100])])
    same = FocalLGBMClassifier(n_estimators=5).fit(numbers, y,
                                                   eval_set=[(numbers[:100], y[:100])])
    np.testing.assert_array_equal(ours.predict_proba(arrow), same.predict_proba(numbers))
    assert ours.evals_result_ == same.evals_result_


def test_pyarrow_table_of_arrow_backed_integers_with_nulls_is_read_exactly(tmp_path):
    # integers with nulls are read as float64: unsigned ones too (a NumPy uint holds no
    # null), and large ones exactly (1e8 + k, 1 apart), as LGBMClassifier reads the Table
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    rng = np.random.default_rng(0)
    big = 100_000_000 + rng.integers(0, 8, 300)
    y = (big > 100_000_003).astype(int)
    frame = pd.DataFrame({"big": pd.Series(big, dtype="int64[pyarrow]"),
                          "u": pd.Series(rng.integers(0, 5, 300), dtype="uint8[pyarrow]"),
                          "x": rng.normal(size=300)})
    frame.loc[3, "big"], frame.loc[5, "u"] = None, None
    frame.to_parquet(tmp_path / "rows.parquet")
    table = pq.read_table(tmp_path / "rows.parquet")
    plain = lgb.LGBMClassifier(n_estimators=5, verbose=-1).fit(table, y)
    ours = FocalLGBMClassifier(gamma=0, n_estimators=5).fit(table, y)
    np.testing.assert_allclose(ours.predict_proba(table), plain.predict_proba(table),
                               atol=1e-12)


def test_pyarrow_table_of_arrow_backed_numbers_keeps_xgbclassifiers_feature_types():
    # read as NumPy's own numbers, integers and booleans (a null among them too) keep
    # the types XGBClassifier gives them, which it reads from the Table
    pa = pytest.importorskip("pyarrow")
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": pd.Series(rng.normal(size=300), dtype="float64[pyarrow]"),
                          "i": pd.Series(rng.integers(0, 5, 300), dtype="int64[pyarrow]"),
                          "b": pd.Series(rng.random(300) > 0.5, dtype="bool[pyarrow]"),
                          "c": pd.Series(rng.random(300) > 0.5, dtype="bool[pyarrow]"),
                          "j": pd.Series(rng.integers(0, 5, 300), dtype="int64[pyarrow]"),
                          "u": pd.Series(rng.integers(0, 5, 300), dtype="uint8[pyarrow]")})
    frame.loc[5, "c"] = None
    frame.loc[6, "j"] = None  # (integers with a null were read as floats)
    frame.loc[7, "u"] = None
    y = (frame["a"].to_numpy(dtype=float) > 0).astype(int)
    table = pa.Table.from_pandas(frame)
    plain = xgb.XGBClassifier(n_estimators=3).fit(table, y)
    ours = FocalXGBClassifier(n_estimators=3).fit(table, y)
    assert ours.get_booster().feature_types == plain.get_booster().feature_types == [
        "float", "int", "i", "i", "int", "int"]


def test_pyarrow_table_from_a_frame_of_arrow_dictionaries():
    # pa.Table.from_pandas of a pd.ArrowDtype dictionary column keeps that dtype in its
    # pandas metadata, which to_pandas cannot make again ("data type not understood");
    # XGBClassifier reads the table through Arrow
    pa = pytest.importorskip("pyarrow")
    frames, y = _arrow_frames()
    table = frames[0][1]
    frame = table.to_pandas()
    frame["colour"] = frame["colour"].astype(str).astype(
        pd.ArrowDtype(pa.dictionary(pa.int32(), pa.string())))
    odd = pa.Table.from_pandas(frame)
    with pytest.raises((TypeError, ValueError)):  # (pandas 3, pandas 2)
        odd.to_pandas()
    # a frame's index (a sample's rows) stays its index, not a feature
    sample = frame.sample(frac=0.5, random_state=0)
    rows = pa.Table.from_pandas(sample)
    model = FocalLGBMClassifier(n_estimators=5).fit(rows, y[sample.index.to_numpy()])
    assert model.feature_names_in_.tolist() == ["a", "b", "c", "colour"]
    # ... and an index column the table no longer holds (select keeps the metadata)
    kept = rows.select(["a", "b", "c", "colour"])
    model = FocalLGBMClassifier(n_estimators=5).fit(kept, y[sample.index.to_numpy()])
    assert model.feature_names_in_.tolist() == ["a", "b", "c", "colour"]
    for cls, plain, kwargs in [
            (FocalXGBClassifier, xgb.XGBClassifier, {"enable_categorical": True}),
            (FocalLGBMClassifier, None, {})]:
        ours = cls(gamma=0, n_estimators=5, **kwargs).fit(odd, y)
        np.testing.assert_array_equal(ours.predict_proba(odd),
                                      cls(gamma=0, n_estimators=5, **kwargs)
                                      .fit(table, y).predict_proba(table))
        if plain is not None:
            np.testing.assert_allclose(ours.predict_proba(odd),
                                       plain(n_estimators=5, **kwargs).fit(odd, y)
                                       .predict_proba(odd), atol=1e-6)


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")  # (np.matrix itself)
def test_numpy_matrix_X_as_in_xgbclassifier(data):
    # XGBClassifier takes an np.matrix (scikit-learn's check_array refuses it)
    X, y = data
    plain = xgb.XGBClassifier(n_estimators=5).fit(np.asmatrix(X), y)
    for cls in (FocalXGBClassifier, FocalLGBMClassifier):
        ours = cls(gamma=0, n_estimators=5).fit(np.asmatrix(X), y, eval_set=[(np.asmatrix(X), y)])
        np.testing.assert_array_equal(ours.predict_proba(np.asmatrix(X)), ours.predict_proba(X))
        if cls is FocalXGBClassifier:
            np.testing.assert_allclose(ours.predict_proba(X), plain.predict_proba(X), atol=1e-6)


@pytest.mark.parametrize("cls, key", [(FocalXGBClassifier, "xgb_model"),
                                      (FocalLGBMClassifier, "init_model")])
def test_continued_training_with_early_stopping_reads_this_fits_log(cls, key):
    # best_iteration_ counts the continued model's rounds, the log holds this fit's only:
    # best_score_ was read at the wrong place (an IndexError past a long model's rounds)
    rng = np.random.RandomState(0)
    X = rng.randn(600, 5)
    y = (X[:, 0] + X[:, 1] + rng.randn(600) > 0).astype(int)
    for old_rounds in (20, 2):
        old = cls(n_estimators=old_rounds).fit(X, y)
        for fit in ({"eval_set": [(X[400:], y[400:])]}, {}):  # given, and held out
            new = cls(n_estimators=200, early_stopping_rounds=3, learning_rate=0.5).fit(
                X[:400], y[:400], **fit, **{key: old})
            log = new.evals_result_[set_name(new)]["focal_loss"]
            assert new.best_score_ == min(log)
            assert new.best_iteration_ == old_rounds + int(np.argmin(log))


@pytest.mark.parametrize("random_state", [None, 5, np.random.RandomState(5)])
def test_lightgbm_seeds_as_in_lgbmclassifier(data, random_state):
    # random_state=None hands LightGBM no seed, as LGBMClassifier: its own sub-seeds
    # (bagging_seed 3, ...). seed=0 was passed, whose derived sub-seeds gave other bags:
    # a bagged model at gamma 0 differed from LGBMClassifier's by 0.26 in probability.
    import copy

    X, y = data
    params = {"n_estimators": 10, "subsample": 0.5, "subsample_freq": 1,
              "colsample_bytree": 0.7, "verbose": -1}
    ours = FocalLGBMClassifier(gamma=0.0, random_state=copy.deepcopy(random_state),
                               **params).fit(X, y)
    plain = lgb.LGBMClassifier(random_state=copy.deepcopy(random_state), **params).fit(X, y)

    def seeds(model):
        text = model.booster_.model_to_string()
        return {key: re.search(rf"^\[{key}: (-?\d+)\]$", text, flags=re.M).group(1)
                for key in ("seed", "bagging_seed", "feature_fraction_seed", "drop_seed")}

    assert seeds(ours) == seeds(plain)


def test_xgboost_early_stopping_callback_on_a_metric_not_recorded(data):
    # XGBClassifier records logloss by default, ours the focal loss: XGBoost's own
    # "No metric named: logloss" said nothing of eval_metric
    X, y = data
    X_tr, X_va, y_tr, y_va = X[:200], X[200:], y[:200], y[200:]
    stop = xgb.callback.EarlyStopping(rounds=3, metric_name="logloss")
    with pytest.raises(ValueError, match=r"eval_metric='logloss'"):
        FocalXGBClassifier(n_estimators=50, callbacks=[stop]).fit(
            X_tr, y_tr, eval_set=[(X_va, y_va)])
    stop = xgb.callback.EarlyStopping(rounds=3, metric_name="logloss")
    model = FocalXGBClassifier(n_estimators=200, eval_metric="logloss", learning_rate=0.5,
                               callbacks=[stop]).fit(X_tr, y_tr, eval_set=[(X_va, y_va)])
    log = model.evals_result_["validation_0"]["logloss"]
    assert len(log) < 200 and model.best_iteration_ == int(np.argmin(log))


@pytest.mark.parametrize("stopping", ["callback", "rounds"])
def test_xgboost_early_stopping_callback_maximises_what_the_estimator_maximises(stopping):
    # An EarlyStopping(maximize=None) guesses the direction from the metric's name:
    # "average_precision" and roc_auc_score were minimised (the fit kept round 0 and
    # stopped), where early_stopping_rounds maximises them
    from sklearn.datasets import make_classification
    from sklearn.metrics import roc_auc_score

    X, y = make_classification(1200, 8, n_informative=4, random_state=1, flip_y=0.2)
    kw = dict(n_estimators=80, learning_rate=0.3, max_depth=3, random_state=0)
    for metric in ("average_precision", roc_auc_score, "logloss"):
        rounds = ({"callbacks": [xgb.callback.EarlyStopping(rounds=5)]}
                  if stopping == "callback" else {"early_stopping_rounds": 5})
        model = FocalXGBClassifier(eval_metric=metric, **kw, **rounds).fit(
            X[:800], y[:800], eval_set=[(X[800:], y[800:])], verbose=False)
        name = getattr(metric, "__name__", metric)
        log = model.evals_result_["validation_0"][name]
        best = np.argmin(log) if name == "logloss" else np.argmax(log)
        assert model.best_iteration_ == best > 0, name
        assert model.best_score_ == log[best]
    if stopping == "callback":
        # a subclass trains as given (it may hold what does not copy): its direction is
        # set for the fit (it was left to XGBoost's guess: round 0 kept) and unset after
        class Sub(xgb.callback.EarlyStopping):
            pass

        sub = Sub(rounds=5)
        model = FocalXGBClassifier(eval_metric="average_precision", callbacks=[sub], **kw)
        model.fit(X[:800], y[:800], eval_set=[(X[800:], y[800:])], verbose=False)
        log = model.evals_result_["validation_0"]["average_precision"]
        assert model.best_iteration_ == np.argmax(log) > 0 and sub.maximize is None
        # a copy trains: the caller's callback keeps maximize=None, so a fit that follows
        # another metric is not maximised as the first (in the Dask estimator, whose
        # callback trains on the workers, the second fit stopped at round 0)
        stop = xgb.callback.EarlyStopping(rounds=5)
        model = FocalXGBClassifier(eval_metric="average_precision", callbacks=[stop], **kw)
        model.fit(X[:800], y[:800], eval_set=[(X[800:], y[800:])], verbose=False)
        assert stop.maximize is None
        model.set_params(eval_metric="logloss").fit(X[:800], y[:800],
                                                     eval_set=[(X[800:], y[800:])],
                                                     verbose=False)
        log = model.evals_result_["validation_0"]["logloss"]
        assert model.best_iteration_ == np.argmin(log) > 0


def test_xgboost_named_early_stopping_callback_takes_its_own_metrics_direction():
    # an EarlyStopping(metric_name=..., maximize=None) on a metric that is not the last
    # one recorded is maximised or minimised as that metric, not as the last one
    from sklearn.datasets import make_classification
    X, y = make_classification(1200, 8, n_informative=4, random_state=1, flip_y=0.2)
    kw = {"n_estimators": 80, "learning_rate": 0.3, "max_depth": 3, "random_state": 0}
    for followed, other in (("average_precision", "logloss"),
                            ("logloss", "average_precision")):
        stop = xgb.callback.EarlyStopping(rounds=5, metric_name=followed)
        model = FocalXGBClassifier(eval_metric=[followed, other], callbacks=[stop], **kw)
        model.fit(X[:800], y[:800], eval_set=[(X[800:], y[800:])], verbose=False)
        log = model.evals_result_["validation_0"][followed]
        best = np.argmin(log) if followed == "logloss" else np.argmax(log)
        assert model.best_iteration_ == best > 0, followed
        assert model.best_score_ == log[best]


def test_xgboost_verbosity_is_the_fits_own(data):
    # the booster's verbosity parameter is XGBoost's global setting: it stayed set for
    # the process (verbosity=0 hid XGBoost's warnings from every later model);
    # XGBClassifier sets it for its own fit
    X, y = data
    before = xgb.get_config()["verbosity"]
    for verbosity in (0, 2, np.int64(0)):  # (a grid's value)
        FocalXGBClassifier(n_estimators=2, verbosity=verbosity).fit(X, y)
        assert xgb.get_config()["verbosity"] == before


def test_xgboost_early_stopping_callback_used_twice(data):
    # XGBoost's callbacks keep their state: a second fit with the same EarlyStopping
    # (or a clone of a fitted estimator) stopped after one round without a word
    # (XGBClassifier fails with an AttributeError). The estimators train with a copy,
    # so a second fit stops as the first; a callback used elsewhere is refused.
    from sklearn.base import clone

    X, y = data
    X_tr, X_va, y_tr, y_va = X[:200], X[200:], y[:200], y[200:]
    model = FocalXGBClassifier(n_estimators=100, learning_rate=0.5,
                               callbacks=[xgb.callback.EarlyStopping(rounds=3)])
    first = model.fit(X_tr, y_tr, eval_set=[(X_va, y_va)]).best_iteration_
    assert first > 0
    for again in (model, clone(model)):
        assert again.fit(X_tr, y_tr, eval_set=[(X_va, y_va)]).best_iteration_ == first
    # a subclass trains as given, as in XGBClassifier: it may hold what does not copy,
    # or record into itself for its caller (the copy failed, or recorded nothing)
    import threading

    class Recording(xgb.callback.EarlyStopping):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.lock, self.seen = threading.Lock(), []

        def after_iteration(self, model, epoch, log):
            self.seen.append(epoch)
            return super().after_iteration(model, epoch, log)

    recording = Recording(rounds=3)
    model.set_params(callbacks=[recording]).fit(X_tr, y_tr, eval_set=[(X_va, y_va)])
    assert len(recording.seen) == first + 4  # (3 rounds without improvement after it)
    with pytest.raises(ValueError, match="used in an earlier fit"):  # (its history)
        model.fit(X_tr, y_tr, eval_set=[(X_va, y_va)])
    used = xgb.callback.EarlyStopping(rounds=3)
    fxgb.train({}, xgb.DMatrix(X_tr, y_tr), focal_loss(), 5,
               evals=[(xgb.DMatrix(X_va, y_va), "v")], callbacks=[used], verbose_eval=False)
    with pytest.raises(ValueError, match="used in an earlier fit"):
        fxgb.train({}, xgb.DMatrix(X_tr, y_tr), focal_loss(), 5, callbacks=[used])
    with pytest.raises(ValueError, match="used in an earlier fit.*new xgb.callback"):
        model.set_params(callbacks=[used]).fit(X_tr, y_tr, eval_set=[(X_va, y_va)])


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_eval_set_labels_are_checked_as_the_training_labels(cls, data):
    # a missing label in a nullable eval_set y was "boolean value of NA is ambiguous"; a
    # sparse label matrix "y should be a 1d array, got an array of shape ()"
    import scipy.sparse as sp

    X, y = data
    labels = pd.Series(y[200:]).astype("Int64")
    labels[5] = pd.NA
    with pytest.raises(ValueError, match=r"eval_set\[0\]'s y has 1 missing label.*rows 5"):
        cls(n_estimators=2).fit(X[:200], y[:200], eval_set=[(X[200:], labels)])
    matrix = np.column_stack([y, 1 - y])
    with pytest.raises(TypeError, match=r"^y is a sparse matrix: pass the labels dense"):
        cls(n_estimators=2).fit(X, sp.csr_matrix(matrix))
    if cls is FocalXGBClassifier:  # (label matrices: XGBoost's estimator)
        with pytest.raises(TypeError, match=r"eval_set\[0\]'s y is a sparse matrix"):
            cls(n_estimators=2).fit(X[:200], matrix[:200],
                                    eval_set=[(X[200:], sp.csr_matrix(matrix[200:]))])


def test_lightgbm_callback_raising_early_stop_at_an_unlogged_round(stopping_data):
    # a callback may raise EarlyStopException before record_evaluation logs the round;
    # LGBMClassifier takes the score the exception carries (ours: IndexError)
    Xt, yt, Xv, yv = stopping_data

    class StopAtSeven:
        order = 30

        def __call__(self, env):
            if env.iteration == 7:
                raise lgb.callback.EarlyStopException(7, env.evaluation_result_list)

    plain = lgb.LGBMClassifier(verbose=-1, n_estimators=20).fit(
        Xt, yt, eval_set=[(Xv, yv)], callbacks=[StopAtSeven()])
    ours = FocalLGBMClassifier(gamma=0, n_estimators=20).fit(
        Xt, yt, eval_set=[(Xv, yv)], callbacks=[StopAtSeven()])
    assert ours.best_iteration_ + 1 == plain.best_iteration_ == 8
    assert len(ours.evals_result_["valid_0"]["focal_loss"]) == 7
    assert ours.best_score_ == pytest.approx(plain.best_score_["valid_0"]["binary_logloss"],
                                             rel=1e-9)
    np.testing.assert_allclose(ours.predict_proba(Xv), plain.predict_proba(Xv), atol=1e-9)


def test_lightgbm_random_forest_predictions_from_some_trees_are_refused(data):
    # each tree holds 1/n_estimators of the forest's mean: num_iteration=5 of 20 gave
    # 5/20 of a forest, 0.26 off LGBMClassifier's mean of those 5 trees
    X, y = data
    params = {"boosting_type": "rf", "subsample": 0.7, "subsample_freq": 1,
              "n_estimators": 20, "random_state": 0}
    ours = FocalLGBMClassifier(gamma=0, **params).fit(X, y)
    plain = lgb.LGBMClassifier(verbose=-1, **params).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X, num_iteration=20),
                               plain.predict_proba(X), atol=1e-9)
    for options in ({"num_iteration": 5}, {"start_iteration": 5},
                    {"num_iteration": 5, "pred_contrib": True},
                    {"num_iteration": 5, "raw_score": True}):
        with pytest.raises(ValueError, match=r"random forest .* averages all its 20 trees.*"
                                             r"n_estimators"):
            ours.predict(X, **options)
    assert ours.predict(X, pred_leaf=True, num_iteration=5).shape == (len(X), 5)
    # the fitted model's kind decides, not set_params' since (no refit)
    ours.set_params(boosting_type="gbdt")
    with pytest.raises(ValueError, match="random forest"):
        ours.predict(X, num_iteration=5)
    boosted = FocalLGBMClassifier(n_estimators=20).fit(X, y).set_params(boosting_type="rf")
    assert boosted.predict(X, num_iteration=5).shape == (len(X),)


def test_lightgbm_random_forest_ignores_a_learning_rate_schedule(data):
    # LightGBM's forests ignore the learning rate; ours weighs each tree by it (the
    # mean of the forest), and lgb.reset_parameter overwrote that: 0.68 off
    X, y = data
    params = {"boosting_type": "rf", "subsample": 0.6, "subsample_freq": 1,
              "n_estimators": 20, "random_state": 1}

    def schedule():
        return [lgb.reset_parameter(learning_rate=lambda i: 0.5)]

    plain = lgb.LGBMClassifier(verbose=-1, **params).fit(X, y, callbacks=schedule())
    ours = FocalLGBMClassifier(gamma=0, **params).fit(X, y, callbacks=schedule())
    np.testing.assert_allclose(ours.predict_proba(X), plain.predict_proba(X), atol=1e-9)
    rf = {"boosting": "rf", "bagging_fraction": 0.6, "bagging_freq": 1, "verbose": -1,
          "seed": 1}
    booster = flgb.train(rf, lgb.Dataset(X, y), focal_loss(0.0), 20,
                         callbacks=[lgb.reset_parameter(learning_rate=[0.5] * 20,
                                                        bagging_fraction=[0.6] * 20)])
    np.testing.assert_allclose(flgb.predict_proba(booster, X, focal_loss(0.0)),
                               plain.predict_proba(X)[:, 1], atol=1e-9)
    # a forest has no validation: refused in the estimator's words as well as train's
    with pytest.raises(ValueError, match=r"no validation data \(valid_sets; eval_set in the "
                                         r"estimators\).*\(1/n_estimators\)"):
        FocalLGBMClassifier(**params).fit(X, y, eval_set=[(X, y)])


@pytest.mark.parametrize("n_classes", [2, 3])
def test_lightgbm_random_forest_counts_a_bag_without_split_as_the_intercept(n_classes):
    # A bag that grows no split (here lambda_l1 outweighs every split's gradient sum)
    # is a tree of raw score 0 in LightGBM's forest, which pulls the mean towards
    # margin 0 (P(1) 0.47 for 36% positives); ours counts it as the intercept. Ours is
    # LightGBM's forest with its one-leaf trees read as the intercept, exactly.
    from scipy.special import softmax
    rng = np.random.RandomState(0)
    n_rows = {2: 73, 3: 90}[n_classes]
    X = rng.normal(size=(n_rows, 4))
    y = np.searchsorted([0.4] if n_classes == 2 else [-0.4, 0.4],
                        X[:, 0] + rng.normal(scale=0.7, size=n_rows))
    params = {"boosting_type": "rf", "subsample": 0.7, "subsample_freq": 1,
              "reg_alpha": {2: 10.0, 3: 6.0}[n_classes], "n_estimators": 32, "verbose": -1}
    ours = FocalLGBMClassifier(gamma=0, **params).fit(X, y)
    plain = lgb.LGBMClassifier(**params).fit(X, y)
    booster, n_trees = plain.booster_, 32 * (n_classes if n_classes > 2 else 1)
    leaves = booster.trees_to_dataframe().groupby("tree_index").size().to_numpy()
    assert len(leaves) == n_trees and 0 < (leaves == 1).sum() < n_trees
    priors = np.bincount(y) / n_rows
    start = (np.log(priors[1:] / priors[0]) if n_classes == 2 else np.log(priors))
    trees = np.stack([booster.predict(X, raw_score=True, start_iteration=i, num_iteration=1)
                      for i in range(32)]).reshape(32, n_rows, -1)
    one_leaf = (leaves == 1).reshape(32, 1, -1)
    margins = np.where(one_leaf, start, trees).mean(axis=0)
    expected = (np.column_stack([1 - expit(margins[:, 0]), expit(margins[:, 0])])
                if n_classes == 2 else softmax(margins, axis=1))
    np.testing.assert_allclose(ours.predict_proba(X), expected, rtol=0, atol=1e-12)
    assert np.abs(ours.predict_proba(X).mean(axis=0) - priors).max() < 0.02
    assert np.abs(plain.predict_proba(X).mean(axis=0) - priors).max() > 0.1


def test_lightgbm_multiclass_raw_scores_and_contributions_as_in_lgbmclassifier():
    # LightGBM starts each class at its log prior; ours started at the centred margins
    # (the same probabilities, raw scores and SHAP base values shifted by 1.41)
    from sklearn.datasets import make_classification

    X, y = make_classification(1500, 8, n_informative=5, n_classes=3, weights=[.7, .2, .1],
                               random_state=1)
    plain = lgb.LGBMClassifier(verbose=-1, n_estimators=20).fit(X, y)
    ours = FocalLGBMClassifier(gamma=0, n_estimators=20).fit(X, y)
    # several at once: LightGBM gives contributions before leaf indices before raw scores
    # (ours gave raw scores whenever raw_score was set)
    for options in ({"raw_score": True}, {"pred_contrib": True},
                    {"raw_score": True, "pred_contrib": True},
                    {"raw_score": True, "pred_leaf": True}):
        for method in ("predict", "predict_proba"):
            np.testing.assert_allclose(getattr(ours, method)(X, **options),
                                       getattr(plain, method)(X, **options), atol=1e-12)
    np.testing.assert_allclose(ours.predict_proba(X), plain.predict_proba(X), atol=1e-12)


def test_lightgbm_early_stopping_watches_every_set_and_metric_as_lgbmclassifier():
    # LGBMClassifier stops when any metric of any set stalls (the first metric of each
    # with first_metric_only); ours followed the last metric of the last set: 44 trees
    # for 29 with two sets, 0.22 off in probability
    from sklearn.datasets import make_classification

    X, y = make_classification(3000, 10, n_informative=5, flip_y=0.1, random_state=0,
                               n_clusters_per_class=1)
    sets = [(X[2250:], y[2250:]), (X[1500:1650], y[1500:1650])]
    kw = {"n_estimators": 300, "early_stopping_rounds": 10}
    for more, fit in (({}, {}), ({}, {"eval_metric": "binary_error"}),
                      ({"first_metric_only": True}, {"eval_metric": ["auc"]})):
        plain = lgb.LGBMClassifier(verbose=-1, **kw, **more).fit(X[:1500], y[:1500],
                                                                eval_set=sets, **fit)
        ours = FocalLGBMClassifier(gamma=0, **kw, **more).fit(X[:1500], y[:1500],
                                                             eval_set=sets, **fit)
        assert ours.booster_.current_iteration() == plain.booster_.current_iteration() < 300
        assert ours.best_iteration_ == plain.best_iteration_ - 1  # (0-based)
        np.testing.assert_allclose(ours.predict_proba(X), plain.predict_proba(X), atol=1e-12)


def test_lightgbm_metric_parameter_as_lgbmclassifier_reads_it():
    # a metric parameter replaces LGBMClassifier's objective metric: ours still watched
    # the focal loss (6 rounds for 22); metric and metrics were added up (LightGBM takes
    # the main name); "auc,binary_error" and "AUC" were refused
    from sklearn.datasets import make_classification
    from sklearn.model_selection import train_test_split

    kw = {"n_estimators": 300, "learning_rate": 0.3, "random_state": 0,
          "early_stopping_rounds": 5}
    for seed, metric in ((6, {"metric": "auc"}), (7, {"metric": "None"}),
                         (0, {"metric": "binary_logloss", "metrics": "binary_error"}),
                         (1, {"metric": "AUC,binary_error"})):
        X, y = make_classification(2000, 20, n_informative=5, flip_y=0.2, random_state=seed)
        Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=0)
        fit = {"eval_set": [(Xva, yva)], "eval_metric": "average_precision"}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (the alias LightGBM ignores, both warn)
            plain = lgb.LGBMClassifier(verbose=-1, **kw, **metric).fit(Xtr, ytr, **fit)
            ours = FocalLGBMClassifier(gamma=0, **kw, **metric).fit(Xtr, ytr, **fit)
        assert ours.best_iteration_ + 1 == plain.best_iteration_, metric
        assert list(ours.evals_result_["valid_0"]) == [
            *plain.evals_result_["valid_0"], "focal_loss"]
        np.testing.assert_allclose(ours.predict_proba(Xva), plain.predict_proba(Xva),
                                   atol=1e-12)
    with pytest.warns(UserWarning, match="metrics='binary_error' ignored: LightGBM takes "
                                         "metric='binary_logloss'"):
        FocalLGBMClassifier(n_estimators=2, metric="binary_logloss",
                            metrics="binary_error").fit(Xtr, ytr, eval_set=[(Xva, yva)])


def test_lightgbm_training_data_in_eval_set_is_evaluated_as_trained():
    # LGBMClassifier evaluates its training Dataset there (weights and starts included)
    # and its early stopping skips it: ours built an unweighted set without the starts
    # (0.53 for 0.37) and, as the only set, early-stopped on it (77 trees for 300)
    from sklearn.datasets import make_classification

    X, y = make_classification(1500, 10, n_informative=5, flip_y=0.1, random_state=0)
    w = np.where(y == 1, 3.0, 1.0)
    start = np.random.default_rng(0).normal(size=len(y))
    for fit in ({"sample_weight": w}, {"init_score": start}):
        plain = lgb.LGBMClassifier(n_estimators=5, verbose=-1).fit(X, y, eval_set=[(X, y)],
                                                                   **fit)
        ours = FocalLGBMClassifier(gamma=0, n_estimators=5).fit(X, y, eval_set=[(X, y)], **fit)
        np.testing.assert_allclose(ours.evals_result_["training"]["focal_loss"],
                                   plain.evals_result_["training"]["binary_logloss"],
                                   rtol=1e-12)
    kw = {"n_estimators": 60, "early_stopping_rounds": 3}
    plain = lgb.LGBMClassifier(verbose=-1, **kw).fit(X, y, eval_set=[(X, y)],
                                                     eval_metric="binary_error")
    with pytest.warns(UserWarning, match="only evaluation set is the training data"):
        ours = FocalLGBMClassifier(gamma=0, **kw).fit(X, y, eval_set=[(X, y)],
                                                      eval_metric="binary_error")
    assert ours.booster_.current_iteration() == plain.booster_.current_iteration() == 60
    np.testing.assert_allclose(ours.predict_proba(X), plain.predict_proba(X), atol=1e-12)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_lightgbm_metric_names_as_lgbmclassifier_records_them(n_classes):
    # LGBMClassifier spells log-loss and error by the number of classes: ours kept the
    # user's "logloss", and evals_result_[...]["binary_logloss"] raised KeyError
    from sklearn.datasets import make_classification

    X, y = make_classification(400, 6, n_informative=4, n_classes=n_classes, random_state=0)
    kind = "binary" if n_classes == 2 else "multi"
    alias = "binary" if n_classes == 2 else "softmax"  # LightGBM's aliases of log-loss
    for given in ("logloss", "error", ["error", "multi_error", "binary_logloss"], alias):
        plain = lgb.LGBMClassifier(n_estimators=2, verbose=-1).fit(
            X, y, eval_set=[(X, y)], eval_metric=list(given) if isinstance(given, list)
            else given)
        ours = FocalLGBMClassifier(gamma=0, n_estimators=2).fit(
            X, y, eval_set=[(X[:50], y[:50])], eval_metric=given)
        recorded = list(ours.evals_result_["valid_0"])
        assert recorded[-1] == "focal_loss" and f"{kind}_logloss" in plain.evals_result_[
            "training"]
        assert set(recorded[:-1]) <= set(plain.evals_result_["training"])
        assert all(name.startswith(kind) for name in recorded[:-1])


def test_lightgbm_early_stopping_min_delta_per_metric_counts_the_focal_loss(stopping_data):
    # LGBMClassifier records its two eval metrics, ours the focal loss too: LightGBM's
    # "as many as metrics" did not say there are three
    Xt, yt, Xv, yv = stopping_data
    fit = {"eval_set": [(Xv, yv)], "eval_metric": ["binary_logloss", "auc"]}
    with pytest.raises(ValueError, match=r"min_delta=\[0.01, 0.001\]\) gives 2 values where "
                                         r"the fit records 3 metrics per set, \['binary_logloss',"
                                         r" 'auc', 'focal_loss'\]"):
        FocalLGBMClassifier(gamma=0).fit(
            Xt, yt, callbacks=[lgb.early_stopping(3, min_delta=[0.01, 0.001])], **fit)
    model = FocalLGBMClassifier(gamma=0, learning_rate=0.3).fit(
        Xt, yt, callbacks=[lgb.early_stopping(3, min_delta=[0.01, 0.001, 0.0])], **fit)
    assert model.booster_.num_trees() < 100


def test_xgboost_prediction_options_and_importances_as_in_xgbclassifier():
    # (0, 0) is up to the best iteration in XGBClassifier (ours used every tree: 0.33
    # off after early stopping); a flat multiclass base_margin is read row by row (ours
    # read it class by class: 0.36 off); gblinear importances are divided by a negative
    # total too (ours returned the raw weights)
    from sklearn.datasets import make_classification

    X, y = make_classification(1000, 6, n_informative=4, random_state=0)
    params = {"n_estimators": 40, "early_stopping_rounds": 3, "learning_rate": 0.6,
              "eval_metric": "logloss"}
    fit = {"eval_set": [(X[700:], y[700:])]}
    ours = FocalXGBClassifier(gamma=0, **params).fit(X[:700], y[:700], **fit)
    plain = xgb.XGBClassifier(**params).fit(X[:700], y[:700], verbose=False, **fit)
    assert ours.best_iteration_ == plain.best_iteration < ours.booster_.num_boosted_rounds() - 1
    for end in ((0, 0), None):
        np.testing.assert_allclose(ours.predict_proba(X, iteration_range=end),
                                   plain.predict_proba(X, iteration_range=end), atol=1e-5)
    assert ours.apply(X, iteration_range=(0, 0)).shape == plain.apply(
        X, iteration_range=(0, 0)).shape == (len(X), ours.best_iteration_ + 1)

    X3, y3 = make_classification(900, 6, n_informative=4, n_classes=3, random_state=1)
    margin = np.random.default_rng(0).normal(size=(len(y3), 3))
    flat = FocalXGBClassifier(gamma=0, n_estimators=10).fit(X3, y3, base_margin=margin.ravel())
    plain = xgb.XGBClassifier(n_estimators=10).fit(X3, y3, base_margin=margin.ravel())
    square = FocalXGBClassifier(gamma=0, n_estimators=10).fit(X3, y3, base_margin=margin)
    np.testing.assert_array_equal(flat.predict_proba(X3), square.predict_proba(X3))
    # the same trees as XGBClassifier's (whose predict adds the margins given, not its
    # base_score, when it is handed them again)
    np.testing.assert_allclose(flat.predict(X3, output_margin=True) + margin,
                               plain.predict(X3, output_margin=True, base_margin=margin),
                               atol=1e-5)

    linear = {"n_estimators": 10, "booster": "gblinear", "updater": "coord_descent"}
    ours = FocalXGBClassifier(gamma=0, **linear).fit(X, 1 - y).feature_importances_
    plain = xgb.XGBClassifier(**linear).fit(X, 1 - y).feature_importances_
    assert ours.dtype == plain.dtype == np.float32 and ours.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(ours, plain, rtol=1e-4)


def test_xgboost_early_stopping_callback_on_a_named_set_gives_its_best_score():
    # best_score_ was the last set's score at the best round, where XGBClassifier's
    # best_score (and the booster's) is the score of the set the callback followed
    from sklearn.datasets import make_classification

    X, y = make_classification(1500, 6, n_informative=4, random_state=0)
    sets = [(X[:500], y[:500]), (X[1000:], y[1000:])]

    def fit(cls, **extra):
        stop = xgb.callback.EarlyStopping(rounds=3, data_name="validation_0")
        return cls(n_estimators=100, learning_rate=0.5, eval_metric="logloss",
                   callbacks=[stop], **extra).fit(X[500:1000], y[500:1000], eval_set=sets,
                                                  verbose=False)

    ours, plain = fit(FocalXGBClassifier, gamma=0), fit(xgb.XGBClassifier)
    assert ours.best_iteration_ == plain.best_iteration
    assert ours.stopping_metric_ == "logloss"
    log = ours.evals_result_["validation_0"]["logloss"]
    assert ours.best_score_ == log[ours.best_iteration_]
    assert ours.best_score_ == pytest.approx(plain.best_score, rel=1e-5)


def test_xgboost_exact_trees_refuse_categories_before_xgboost():
    # XGBClassifier refuses them with a ValueError; ours ended in XGBoost's C++ error
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=300),
                      "c": pd.Categorical(rng.choice(list("xyz"), 300))})
    y = (X["a"] > 0).astype(int)
    params = {"enable_categorical": True, "tree_method": "exact", "n_estimators": 2}
    with pytest.raises(ValueError, match="categorical"):
        xgb.XGBClassifier(**params).fit(X, y)
    with pytest.raises(ValueError, match="tree_method='exact' takes no categorical features: "
                                         "use tree_method='hist'"):
        FocalXGBClassifier(**params).fit(X, y)
    assert FocalXGBClassifier(**params).fit(X[["a"]], y).n_features_in_ == 1


@pytest.mark.parametrize("categories", [None, [], ["zzz"], [1.5]])
def test_xgboost_category_column_of_missing_values_only_is_scored_as_missing(categories):
    # a column of missing values read as pandas gives it has no levels (or others no
    # row holds): XGBoost failed on it, XGBClassifier alike ("Category index from
    # DataFrame has floating point dtype", or numpy's "cannot call `vectorize` on size 0
    # inputs"; XGBoost 3.4: "Categorical feature must have at least one category"); it
    # takes the training levels now
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=300),
                      "s": pd.Categorical(rng.choice(["red", "green", "blue"], 300))})
    y = (X["a"] + (X["s"] == "red") > 0.5).astype(int)
    blank = X.assign(s=pd.Categorical([None] * 300, categories=categories))
    if not categories:
        plain = xgb.XGBClassifier(n_estimators=5, enable_categorical=True).fit(X, y)
        with pytest.raises(ValueError, match="floating point dtype|size 0 inputs|at least "
                                             "one category"):  # (XGBoost 3.2, 3.2, 3.4)
            plain.predict_proba(blank)  # (XGBoostError is a ValueError)
    model = FocalXGBClassifier(n_estimators=5).fit(X, y)
    missing = X.assign(s=pd.Categorical([None] * 300, categories=X["s"].cat.categories))
    for options in ({}, {"iteration_range": (0, 2)}):
        np.testing.assert_array_equal(model.predict_proba(blank, **options),
                                      model.predict_proba(missing, **options))
    assert np.ptp(model.predict_proba(missing)[:, 1]) > 0.1  # (a still matters)


@pytest.mark.parametrize("frame", [False, True])
def test_xgboost_features_marked_categorical_by_feature_types_are_checked_too(frame):
    # codes marked "c" by feature_types (an array, or a DataFrame of numbers) went past
    # the check of category columns to XGBoost's C++ error with a stack trace
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.normal(size=300), rng.integers(0, 5, 300)]).astype(float)
    y = (X[:, 0] + (X[:, 1] == 2) > 0.5).astype(int)
    if frame:
        X = pd.DataFrame(X, columns=["a", "b"])
    kinds = ["q", "c"]
    with pytest.raises(ValueError, match="categorical"):
        xgb.XGBClassifier(feature_types=kinds, enable_categorical=True,
                          tree_method="exact", n_estimators=2).fit(X, y)
    with pytest.raises(ValueError, match="^tree_method='exact' takes no categorical "):
        FocalXGBClassifier(feature_types=kinds, tree_method="exact", n_estimators=2).fit(X, y)
    with pytest.raises(ValueError, match=r"^booster='gblinear' takes no categorical features, "
                                         r"and X has 1 category column\(s\) \('{}'\)".format(
                                             "b" if frame else "f1")):
        FocalXGBClassifier(feature_types=kinds, booster="gblinear", n_estimators=2).fit(X, y)
    for params in ({"tree_method": "exact"}, {"booster": "gblinear"}):  # all numbers: fits
        model = FocalXGBClassifier(feature_types=["q", "q"], n_estimators=2, **params)
        assert model.fit(X, y).n_features_in_ == 2


@pytest.mark.parametrize("cls", [FocalXGBClassifier, FocalLGBMClassifier])
def test_arrays_of_dates_or_durations_are_refused_with_the_conversion(cls):
    """A numpy datetime64 / timedelta64 array was read as integers (NaT as -9.2e18, a
    value, not missing) where the same data in a DataFrame is refused with a conversion
    (XGBClassifier refuses the array; LGBMClassifier reads the integers too). Refused
    in fit, eval_set and predict; the conversion given trains, with NaT as missing."""
    from sklearn.datasets import make_classification

    X, y = make_classification(300, 2, n_informative=2, n_redundant=0, random_state=0)
    dates = np.datetime64("2020-01-01", "s") + (X * 86400 * 30).astype("timedelta64[s]")
    dates[::10, 0] = np.datetime64("NaT", "s")
    durations = dates - np.datetime64("2020-01-01", "s")
    with pytest.raises(xgb.core.XGBoostError):
        xgb.XGBClassifier(n_estimators=2).fit(dates, y)
    message = (r"^X is an array of {} \(dates or durations\), which would be read as "
               r"integers, a missing NaT as -9\.2e18; convert it to numbers, e\.g\. days: ")
    for data in (dates, durations):
        with pytest.raises(TypeError, match=message.format(re.escape(str(data.dtype)))):
            cls(n_estimators=2).fit(data, y)
    days = (dates - np.datetime64("1970-01-01")) / np.timedelta64(1, "D")
    assert np.isnan(days[::10, 0]).all() and np.isfinite(days[1:10]).all()
    model = cls(n_estimators=2).fit(days, y)
    with pytest.raises(TypeError, match=r"^eval_set\[0\]'s X is an array of datetime64"):
        cls(n_estimators=2).fit(days, y, eval_set=[(dates, y)])
    with pytest.raises(TypeError, match=message.format(re.escape(str(dates.dtype)))):
        model.predict_proba(dates)


def test_xgboost_linear_booster_refuses_categories_naming_the_columns():
    # categories are on by default here (enable_categorical=True); gblinear cannot use
    # them, and XGBoost's refusal is a C++ check with a stack trace, which neither names
    # the columns nor says what to do (XGBClassifier gives it too, with enable_categorical)
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=300),
                      "c": pd.Categorical(rng.choice(list("xyz"), 300))})
    y = (X["a"] > 0).astype(int)
    with pytest.raises(xgb.core.XGBoostError, match="gblinear` doesn't support categorical"):
        xgb.XGBClassifier(booster="gblinear", enable_categorical=True,
                          n_estimators=2).fit(X, y)
    with pytest.raises(ValueError, match=r"^booster='gblinear' takes no categorical features, "
                                         r"and X has 1 category column\(s\) \('c'\): encode "):
        FocalXGBClassifier(booster="gblinear", n_estimators=2).fit(X, y)
    one_hot = pd.get_dummies(X, dtype=float)
    model = FocalXGBClassifier(booster="gblinear", n_estimators=2).fit(one_hot, y)
    assert model.n_features_in_ == 4


@pytest.mark.parametrize("cls", [FocalXGBClassifier, FocalLGBMClassifier])
def test_weights_as_a_column_and_eval_weights_named_by_their_set(cls):
    # XGBClassifier and LGBMClassifier take a column (n, 1) of weights (ours refused it:
    # "Sample weights must be 1D"); a bad eval weight was reported as sample_weight's
    from sklearn.datasets import make_classification

    X, y = make_classification(300, 5, random_state=0)
    w = np.random.default_rng(0).uniform(0.1, 3, 300)
    key = "sample_weight_eval_set" if cls is FocalXGBClassifier else "eval_sample_weight"
    sets = {"eval_set": [(X[:100], y[:100])]}
    column = cls(n_estimators=5).fit(X, y, sample_weight=w[:, None], **sets,
                                     **{key: [w[:100, None]]})
    flat = cls(n_estimators=5).fit(X, y, sample_weight=w, **sets, **{key: [w[:100]]})
    np.testing.assert_array_equal(column.predict_proba(X), flat.predict_proba(X))
    assert column.evals_result_ == flat.evals_result_
    with pytest.raises(ValueError, match=r"the weights of eval_set\[0\]: .*\(99,\)"):
        cls(n_estimators=2).fit(X, y, **sets, **{key: [np.ones(99)]})


@pytest.mark.parametrize("cls", [FocalXGBClassifier, FocalLGBMClassifier])
def test_a_flat_list_of_eval_weights_is_refused(cls):
    # the outer list forgotten: LightGBM's list by set index took the first weight for
    # the whole first set and dropped the others, silently (its metric unweighted);
    # LGBMClassifier refuses it ("Wrong type(float) for weight")
    from sklearn.datasets import make_classification

    X, y = make_classification(300, 5, random_state=0)
    key = "sample_weight_eval_set" if cls is FocalXGBClassifier else "eval_sample_weight"
    sets = {"eval_set": [(X[200:], y[200:])]}
    flat = np.linspace(0.1, 5, 100)
    message = (r"^the weights of eval_set\[0\] must be an array of one weight per row, "
               r"got 0\.1: give the evaluation weights as a list with one array \(or None\) "
               r"per evaluation set$")
    # (XGBoost's list: one entry per set, checked before)
    bad = [[0.1]] if cls is FocalXGBClassifier else [flat.tolist(), flat]
    for weights in bad:
        with pytest.raises(TypeError, match=message):
            cls(n_estimators=2).fit(X[:200], y[:200], **sets, **{key: weights})
    if cls is FocalLGBMClassifier:  # also with class weights, which multiplied it into rows
        with pytest.raises(TypeError, match=message):
            cls(n_estimators=2).fit(X[:200], y[:200], **sets, eval_sample_weight=flat.tolist(),
                                    eval_class_weight=["balanced"])
    with pytest.raises(ValueError, match=r"^sample weights are all 0 in float32, as both "
                                         r"libraries hold them \(below 1\.4e-45\): scale them "
                                         r"up$"):
        cls(n_estimators=2).fit(X, y, sample_weight=np.full(300, 1e-50))


@pytest.mark.parametrize("cls", [FocalXGBClassifier, FocalLGBMClassifier])
def test_a_held_out_share_without_weight_is_refused(cls):
    # its metrics were NaN every round: early stopping kept one round, and the warning
    # blamed the size of the held-out share
    from sklearn.datasets import make_classification

    X, y = make_classification(400, 5, random_state=2)
    w = np.zeros(len(y))
    w[:3] = 1.0
    with pytest.raises(ValueError, match="holds out .*sample weights sum to 0.*pass eval_set"):
        cls(n_estimators=50, early_stopping_rounds=5, random_state=0).fit(X, y,
                                                                         sample_weight=w)
    # every weighted row held out: the training rows' weights sum to 0 (the error
    # named init_score='auto' and "no rows, or every weight 0", not the hold-out)
    found = []
    for i in range(60):  # one weighted row: held out, or left to train on
        w = np.zeros(len(y))
        w[i] = 1.0
        with pytest.raises(ValueError, match="holds out validation_fraction=0.1") as info:
            cls(n_estimators=5, early_stopping_rounds=5, random_state=0).fit(
                X, y, sample_weight=w)
        found.append(str(info.value))
    assert ("early stopping without eval_set holds out validation_fraction=0.1 of the rows, "
            "which leaves rows to train on whose sample weights sum to 0 here; pass eval_set, "
            "lower validation_fraction or set early_stopping_rounds=None") in found


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_columns_of_other_dtypes_are_named_with_their_dtype_and_conversion(cls):
    # the message named the column only and advised a category for every kind, dates
    # and numbers stored as text included (XGBClassifier names the dtype)
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(60, 2)), columns=["a", "b"])
    y = (X.a > 0).astype(int)
    when = pd.to_datetime(rng.integers(0, 100, 60), unit="D")
    with pytest.raises(TypeError, match=r"'when' \(datetime64.*\).*days: \(X\[col\] - "):
        cls(n_estimators=2).fit(X.assign(when=when), y)
    with pytest.raises(TypeError, match=r"'n' \(object\).*pd\.to_numeric"):
        cls(n_estimators=2).fit(X.assign(n=pd.Series(rng.integers(0, 5, 60)).astype(object)), y)
    # durations: the conversion of dates and durations alone (the text ones do not apply)
    with pytest.raises(TypeError, match=r"'d' \(timedelta64.*\); convert them: dates and "
                                        r"durations as numbers, e\.g\. days: [^;]*$"):
        cls(n_estimators=2).fit(X.assign(d=pd.to_timedelta(rng.integers(0, 9, 60), unit="D")), y)
    # complex numbers were advised the text conversions
    with pytest.raises(TypeError, match=r"'z' \(complex128\); convert them: complex numbers "
                                        r"as real ones[^;]*$"):
        cls(n_estimators=2).fit(X.assign(z=X.a + 1j * X.b), y)
    # categories as Arrow types them (a parquet file read with dtype_backend="pyarrow")
    # were "neither numbers nor categories", advised the text conversions
    pa = pytest.importorskip("pyarrow")
    arrow = pd.Series(rng.choice(["u", "v"], 60)).astype(
        pd.ArrowDtype(pa.dictionary(pa.int32(), pa.string())))
    with pytest.raises(TypeError, match=r"nor pandas categories: 's' \(dictionary<.*\); convert "
                                        r"them: Arrow dictionaries as pandas categories with "
                                        r"X = X\.astype\(\{col: 'category'\}\)$"):
        cls(n_estimators=2).fit(X.assign(s=arrow), y)
    # in the container given: the conversions were pandas' for polars and pyarrow too
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")
    import pyarrow.compute  # noqa: F401 - the advice's module

    text = X.assign(s=rng.choice(["u", "v"], 60))
    frame = pl.from_pandas(text)
    with pytest.raises(TypeError, match=re.escape(
            "numbers stored as text with pl.col(col).cast(pl.Float64, strict=False), other "
            "text with pl.col(col).cast(pl.Categorical)")):
        cls(n_estimators=2).fit(frame, y)
    advised = frame.with_columns(pl.col("s").cast(pl.Categorical))  # (the advice works)
    if cls is FocalLGBMClassifier:  # (XGBoost takes categories with enable_categorical)
        cls(n_estimators=2).fit(advised, y)
    with pytest.raises(TypeError, match=re.escape(
            "days: (pl.col(col) - pl.col(col).min()).dt.total_days()")):
        cls(n_estimators=2).fit(pl.from_pandas(X.assign(when=when)), y)
    table = pa.Table.from_pandas(text, preserve_index=False)
    with pytest.raises(TypeError, match=re.escape("other text with X[col].dictionary_encode()")):
        cls(n_estimators=2).fit(table, y)
    advised = table.set_column(2, "s", table["s"].dictionary_encode())
    if cls is FocalLGBMClassifier:
        cls(n_estimators=2).fit(advised, y)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_numpy_and_text_forms_of_thread_counts_and_the_hold_out_share(cls, data):
    # validation_fraction=np.float32(0.2) passed the parameter check and failed in
    # train_test_split ("raise validation_fraction"); nthread="2" (XGBClassifier trains
    # with it) failed in the DMatrix; thread counts as text left the kernels on every CPU
    X, y = data
    kwargs = dict(n_estimators=20, early_stopping_rounds=3, random_state=0)
    numpy_share = cls(validation_fraction=np.float32(0.25), **kwargs).fit(X, y)
    python_share = cls(validation_fraction=0.25, **kwargs).fit(X, y)
    np.testing.assert_allclose(numpy_share.predict_proba(X), python_share.predict_proba(X))
    threads = {"nthread": "2"} if cls is FocalXGBClassifier else {"num_threads": "2"}
    as_text = cls(n_estimators=3, **threads)
    assert as_text._kernel_threads() == 2  # the kernels' bound, also for the metrics
    if cls is FocalLGBMClassifier:  # an alias, and the main name over n_jobs
        assert cls(nthread=3)._kernel_threads() == 3
        assert cls(n_jobs=1, num_threads="2")._kernel_threads() == 2
    as_number = cls(n_estimators=3, n_jobs=2).fit(X, y)
    np.testing.assert_allclose(as_text.fit(X, y).predict_proba(X), as_number.predict_proba(X))


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_a_value_the_parameter_check_cannot_read_is_named(cls, data):
    # a Fraction failed inside numpy ("ufunc 'isnan' not supported"), naming no parameter
    from fractions import Fraction

    X, y = data
    for key, value in (("gamma", Fraction(2)), ("alpha", Fraction(1, 4)),
                       ("validation_fraction", Fraction(1, 5))):
        with pytest.raises(TypeError, match=f"^{cls.__name__}: {key}=Fraction.* is of a type "
                                            "the parameter check cannot read"):
            cls(n_estimators=2, **{key: value}).fit(X, y)


class _DeviceArray:
    """Stands for a CuPy array: memory on a CUDA device, which NumPy cannot read
    implicitly (CuPy's ``__array__`` raises this TypeError) and ``get`` copies to the
    host."""

    def __init__(self, values):
        self._values = np.asarray(values)
        self.shape, self.ndim = self._values.shape, self._values.ndim
        self.dtype = self._values.dtype

    @property
    def __cuda_array_interface__(self):
        return {"shape": self.shape, "typestr": self.dtype.str, "data": (0, False),
                "version": 3}

    def __len__(self):
        return len(self._values)

    def __array__(self, *args, **kwargs):
        raise TypeError("Implicit conversion to a NumPy array is not allowed. Please use "
                        "`.get()` to construct a NumPy array explicitly.")

    def get(self):
        return self._values.copy()


def test_array_api_arrays_under_scikit_learns_dispatch():
    # under sklearn.config_context(array_api_dispatch=True) XGBClassifier fits and
    # predicts on another array-API library's arrays; ours failed in scikit-learn's
    # check ("'dtype' must be a dtype"): asked for numpy dtypes in that library. In a
    # process of its own: scipy reads SCIPY_ARRAY_API when first imported.
    import subprocess
    import textwrap

    pytest.importorskip("array_api_strict")
    scipy = pytest.importorskip("scipy")
    if tuple(int(part) for part in scipy.__version__.split(".")[:2]) < (1, 14):
        pytest.skip("scikit-learn's array API dispatch needs SciPy >= 1.14")
    code = textwrap.dedent("""
        import numpy as np, sklearn, array_api_strict as xp
        from focal_boost import FocalLGBMClassifier, FocalXGBClassifier
        rng = np.random.default_rng(0)
        X = rng.normal(size=(200, 3))
        y = (X[:, 0] + rng.normal(size=200) > 0).astype(int)
        for cls in (FocalXGBClassifier, FocalLGBMClassifier):
            expected = cls(n_estimators=5).fit(X, y, sample_weight=np.ones(200))
            with sklearn.config_context(array_api_dispatch=True):
                model = cls(n_estimators=5).fit(xp.asarray(X), xp.asarray(y),
                                                sample_weight=xp.asarray(np.ones(200)),
                                                eval_set=[(xp.asarray(X), xp.asarray(y))])
                proba = model.predict_proba(xp.asarray(X))
                assert isinstance(proba, np.ndarray)
                np.testing.assert_array_equal(proba, expected.predict_proba(X))
                np.testing.assert_array_equal(model.predict(xp.asarray(X)),
                                              expected.predict(X))
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=240, env={**os.environ, "SCIPY_ARRAY_API": "1"})
    assert done.returncode == 0 and done.stdout == "ok\n", done.stderr[-2000:]


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_data_on_a_cuda_device_is_taken(cls, noisy_split):
    # XGBClassifier(device="cuda") fits and predicts on CuPy X and y (its predict_proba
    # returns NumPy); ours raised CuPy's "Implicit conversion to a NumPy array is not
    # allowed". The gradients are computed on the CPU: the data is copied to the host.
    Xt, yt, Xv, yv = noisy_split
    w = np.linspace(0.5, 2.0, len(yt))
    dev = _DeviceArray
    kw = {"base_margin": dev(np.full(len(yt), 0.1))} if cls is FocalXGBClassifier else {}
    host_kw = {"base_margin": np.full(len(yt), 0.1)} if cls is FocalXGBClassifier else {}
    on_device = cls(n_estimators=5).fit(dev(Xt), dev(yt), sample_weight=dev(w),
                                        eval_set=[(dev(Xv), dev(yv))], **kw)
    on_host = cls(n_estimators=5).fit(Xt, yt, sample_weight=w, eval_set=[(Xv, yv)],
                                      **host_kw)
    proba = on_device.predict_proba(dev(Xv))
    assert isinstance(proba, np.ndarray)
    np.testing.assert_array_equal(proba, on_host.predict_proba(Xv))
    np.testing.assert_array_equal(on_device.predict(dev(Xv)), on_host.predict(Xv))
    assert on_device.evals_result_ == on_host.evals_result_
    if cls is FocalLGBMClassifier:  # class weights of the metrics, over labels on the device
        ours = cls(n_estimators=5).fit(dev(Xt), dev(yt), eval_set=[(dev(Xv), dev(yv))],
                                       eval_sample_weight=[dev(np.ones(len(yv)))],
                                       eval_class_weight=["balanced"])
        host = cls(n_estimators=5).fit(Xt, yt, eval_set=[(Xv, yv)],
                                       eval_sample_weight=[np.ones(len(yv))],
                                       eval_class_weight=["balanced"])
        assert ours.evals_result_ == host.evals_result_


def _cudf(frame):
    """Stands for a cuDF DataFrame or Series: pandas' ``to_pandas`` away, and no
    implicit conversion to NumPy (cuDF raises a TypeError there)."""
    def refuse(self, *args, **kwargs):
        raise TypeError("Implicit conversion to a host NumPy array via __array__ is not "
                        "allowed")
    cls = type("DataFrame", (), {"__module__": "cudf.core.dataframe", "__array__": refuse,
                                 "to_pandas": lambda self: frame.copy(),
                                 "__len__": lambda self: len(frame)})
    return cls()


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_cudf_frames_are_taken_as_pandas(cls, noisy_split):
    # XGBClassifier takes cuDF DataFrames (names and dtypes as pandas gives them)
    Xt, yt, Xv, _ = noisy_split
    frame = pd.DataFrame(Xt, columns=list("abcd"))
    model = cls(n_estimators=5).fit(_cudf(frame), _cudf(pd.Series(yt)))
    assert model.feature_names_in_.tolist() == list("abcd")
    np.testing.assert_array_equal(
        model.predict_proba(_cudf(pd.DataFrame(Xv, columns=list("abcd")))),
        cls(n_estimators=5).fit(frame, yt).predict_proba(pd.DataFrame(Xv, columns=list("abcd"))))


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_library_data_objects_are_refused_naming_the_native_train(cls, data):
    # ours said "float() argument must be a string or a real number, not 'DMatrix'"
    X, y = data
    with pytest.raises(TypeError, match="Not supported type for data"):
        xgb.XGBClassifier(n_estimators=2).fit(xgb.DMatrix(X, label=y), y)
    model = cls(n_estimators=2)
    for obj, name in ((xgb.DMatrix(X, label=y), "xgboost"), (lgb.Dataset(X, y), "lightgbm")):
        with pytest.raises(TypeError,
                           match=rf"X is a \w+ \({name}\): .* focal_boost\.{name}\.train"):
            model.fit(obj, y)
    fitted = cls(n_estimators=2).fit(X, y)
    with pytest.raises(TypeError, match=r"X is a DMatrix \(xgboost\)"):
        fitted.predict_proba(xgb.DMatrix(X))


def test_xgboost_probabilities_read_columns_by_position_when_asked():
    # predict_margin took validate_features; predict_proba and inverse_link, "as in
    # predict_margin", did not
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 5))
    y = (X[:, 0] > 0).astype(float)
    booster = fxgb.train({}, xgb.DMatrix(X, label=y, feature_names=list("abcde")),
                         focal_loss(2.0), 3, verbose_eval=False)
    other = xgb.DMatrix(X, feature_names=list("vwxyz"))
    same = xgb.DMatrix(X, feature_names=list("abcde"))
    for fn in (fxgb.predict_proba, fxgb.inverse_link):
        with pytest.raises(ValueError, match="feature_names mismatch"):
            fn(booster, other)
        np.testing.assert_array_equal(fn(booster, other, validate_features=False),
                                      fn(booster, same))


def test_xgboost_big_endian_numbers_are_read_as_numbers():
    # XGBoost 3.2 reads big-endian values of a DataFrame (and arrays in-place) as
    # native ones: probabilities were 0.97 off, and fit refused "inf"
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 5))
    y = (X[:, 0] > 0.3).astype(int)
    frame = pd.DataFrame(X, columns=list("abcde"))
    swapped = frame.astype({"a": ">f8", "c": ">f4"})
    model = FocalXGBClassifier(n_estimators=10).fit(frame, y)
    expected = model.predict_proba(frame.astype({"c": np.float32}))
    np.testing.assert_array_equal(model.predict_proba(swapped), expected)
    np.testing.assert_array_equal(
        FocalXGBClassifier(n_estimators=10).fit(swapped, y).predict_proba(swapped), expected)
    assert swapped.dtypes["a"] == np.dtype(">f8")  # the caller's frame as it was
    np.testing.assert_array_equal(model.apply(swapped), model.apply(frame))
    booster = fxgb.train({}, xgb.DMatrix(X, label=y), focal_loss(2.0), 10, verbose_eval=False)
    np.testing.assert_array_equal(fxgb.predict_proba(booster, X.astype(">f8")),
                                  fxgb.predict_proba(booster, X))


@pytest.mark.filterwarnings("ignore:Sparse arrays from pandas are converted into dense")
@pytest.mark.parametrize("fill_value", [np.nan, 0.0])
def test_xgboost_big_endian_sparse_frame_columns_are_read_as_numbers(fill_value):
    # a pandas sparse column of big-endian values (Sparse[>f8]) went to XGBoost as it
    # was: probabilities 0.83 off, and fit refused "inf" (XGBClassifier alike)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    X[::7, 1] = 0.0
    y = (X[:, 0] > 0).astype(int)

    def frame(dtype):
        return pd.DataFrame({c: pd.arrays.SparseArray(X[:, i].astype(dtype),
                                                      fill_value=fill_value)
                             for i, c in enumerate("abc")})

    native, swapped = frame("<f8"), frame(">f8")
    assert not swapped["a"].dtype.subtype.isnative
    model = FocalXGBClassifier(n_estimators=5).fit(native, y)
    expected = model.predict_proba(native)
    np.testing.assert_array_equal(model.predict_proba(swapped), expected)
    np.testing.assert_array_equal(
        fxgb.predict_margin(model.get_booster(), swapped),
        fxgb.predict_margin(model.get_booster(), native))
    again = FocalXGBClassifier(n_estimators=5).fit(swapped, y, eval_set=[(swapped, y)])
    np.testing.assert_array_equal(again.predict_proba(native), expected)
    assert not swapped["a"].dtype.subtype.isnative  # the caller's frame as it was


def test_xgboost_native_byte_order_converts_each_column_and_leaves_the_rest_as_it_is():
    # a name given twice: each column converted on its own (by position), the caller's
    # frame as it was; a sparse column keeps its fill value; a frame in native order, or
    # a pyarrow Table (columns, no dtypes), comes back as it is
    x = pd.Series([1.5, -2.0, 3.25])
    frame = pd.concat([x.astype(">f8").rename("x"), pd.Series([1, 2, 3], name="x"),
                       x.astype(">f4").rename("x"),
                       pd.Series(pd.arrays.SparseArray(x.astype(">f8"), fill_value=0.0),
                                 name="s")], axis=1)
    out = fxgb.native_byte_order(frame)
    assert list(out.dtypes) == [np.dtype("=f8"), np.dtype("=i8"), np.dtype("=f4"),
                                pd.SparseDtype(np.dtype("=f8"), 0.0)]
    np.testing.assert_array_equal(out.iloc[:, [0, 1, 2]].to_numpy(),
                                  frame.iloc[:, [0, 1, 2]].to_numpy(dtype=np.float64))
    np.testing.assert_array_equal(out["s"].to_numpy(), x.to_numpy())
    assert frame.dtypes.iloc[0] == np.dtype(">f8")  # the caller's frame as it was
    assert fxgb.native_byte_order(out) is out
    pa = pytest.importorskip("pyarrow")
    table = pa.table({"a": x.to_numpy()})
    assert fxgb.native_byte_order(table) is table


def test_lightgbm_hold_out_is_drawn_with_the_seed_spelling_lightgbm_takes():
    # random_seed=1 beside seed=2: LightGBM trains with seed=2 (the main name), and so
    # the early-stopping hold-out is drawn with 2 (not the spelling given first)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 4))
    y = (X[:, 0] + rng.normal(size=400) > 0.3).astype(int)
    kw = {"n_estimators": 30, "early_stopping_rounds": 3, "n_jobs": 1}
    with pytest.warns(UserWarning, match="random_seed=1 ignored: LightGBM takes seed=2"):
        both = FocalLGBMClassifier(**kw, random_seed=1, seed=2).fit(X, y)
    alone = FocalLGBMClassifier(**kw, seed=2).fit(X, y)
    np.testing.assert_array_equal(both.predict_proba(X), alone.predict_proba(X))


@pytest.mark.parametrize("kw", [{"seed": None}, {"random_seed": None},
                                {"seed": None, "random_state": 3}])
def test_lightgbm_a_seed_spelling_set_to_none_gives_way_in_the_hold_out(kw):
    # None is no value (lgb.train and LGBMClassifier hand LightGBM none): the hold-out
    # is drawn as without it; it was refused as "seed must be an integer, got None"
    # (every FocalDaskLGBMClassifier fit alike)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 4))
    y = (X[:, 0] + rng.normal(size=400) > 0.3).astype(int)
    base = {"n_estimators": 30, "early_stopping_rounds": 3, "n_jobs": 1}
    ours = FocalLGBMClassifier(**base, **kw).fit(X, y)
    same = FocalLGBMClassifier(**base, random_state=kw.get("random_state")).fit(X, y)
    np.testing.assert_array_equal(ours.predict_proba(X), same.predict_proba(X))


def test_lightgbm_a_seed_of_0_wins_over_random_state_in_the_hold_out():
    # 0 is a seed, not None: seed=0 beside random_state is the spelling LightGBM takes,
    # so the hold-out is drawn with 0 whatever random_state says
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 4))
    y = (X[:, 0] + rng.normal(size=400) > 0.3).astype(int)
    base = {"n_estimators": 30, "early_stopping_rounds": 3, "n_jobs": 1, "seed": 0}
    with pytest.warns(UserWarning, match="random_state=3 ignored: LightGBM takes seed=0"):
        three = FocalLGBMClassifier(**base, random_state=3).fit(X, y)
    with pytest.warns(UserWarning, match="random_state=7 ignored: LightGBM takes seed=0"):
        seven = FocalLGBMClassifier(**base, random_state=7).fit(X, y)
    np.testing.assert_array_equal(three.predict_proba(X), seven.predict_proba(X))


def test_lightgbm_feature_name_with_a_tab_as_in_lgbmclassifier():
    # LGBMClassifier fits; ours failed reading the trees' leaf counts from dump_model's
    # JSON, which holds the names unescaped ("Invalid control character")
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=200), "x\ty": rng.normal(size=200)})
    y = (X["a"] + rng.normal(size=200) > 0.8).astype(int)
    plain = lgb.LGBMClassifier(n_estimators=5, verbose=-1).fit(X, y)
    ours = FocalLGBMClassifier(n_estimators=5, verbose=-1, gamma=0).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), plain.predict_proba(X), atol=1e-15)


@pytest.mark.parametrize("cls", [FocalXGBClassifier, FocalLGBMClassifier])
def test_a_lightgbm_sequence_is_rows_as_for_the_plain_classifiers(cls):
    # lightgbm.Sequence, LightGBM's base class for row-access data, is no Dataset: both
    # plain classifiers fit on it (refused once a library's class anywhere in X's type
    # made it training data)
    lgb = pytest.importorskip("lightgbm")
    from sklearn.datasets import make_classification

    X, y = make_classification(200, 4, random_state=0)

    class Rows(lgb.Sequence):
        batch_size = 64

        def __init__(self, a):
            self.a = a

        def __getitem__(self, i):
            return self.a[i]

        def __len__(self):
            return len(self.a)

    model = cls(n_estimators=5).fit(Rows(X), y)
    np.testing.assert_allclose(model.predict_proba(Rows(X)), model.predict_proba(X))


def test_negative_category_codes_are_warned_as_lightgbm_warns():
    # LightGBM reads them as missing values and says so ("Met negative value in
    # categorical features") at its default verbosity, which FocalLGBMClassifier's -1
    # hid: data changed without a word
    import warnings

    pd = pytest.importorskip("pandas")
    from sklearn.datasets import make_classification

    X, y = make_classification(300, 4, random_state=0)
    frame = pd.DataFrame(X, columns=list("abcd")).assign(code=np.where(y == 1, -1, 2))
    for data, feature in ((frame, "code"), (frame.to_numpy(), 4)):
        with pytest.warns(UserWarning, match=f"categorical feature {feature!r} holds 150"):
            FocalLGBMClassifier(n_estimators=3).fit(data, y, categorical_feature=[feature])
    # codes past int32, which LightGBM reads as missing too
    past = frame.assign(code=np.where(y == 1, 2.0**31, 2.0))
    with pytest.warns(UserWarning, match=r"'code' holds 150 value\(s\) that are negative or "
                                         r"past int32 \(e\.g\. 2\.14748e\+09\)"):
        FocalLGBMClassifier(n_estimators=3).fit(past, y, categorical_feature=["code"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # codes from 0, and category columns: no word
        FocalLGBMClassifier(n_estimators=3).fit(frame.assign(code=frame.code + 1), y,
                                                categorical_feature=["code"])
        FocalLGBMClassifier(n_estimators=3).fit(frame.astype({"code": "category"}), y)


@pytest.mark.parametrize("cls", [FocalXGBClassifier, FocalLGBMClassifier])
def test_infinite_labels_are_refused_without_a_numpy_warning(cls):
    # scikit-learn's target checks cast them first: "invalid value encountered in cast"
    import warnings

    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = (X[:, 0] > 0).astype(float)
    y[3] = np.inf
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="y contains infinity"):
            cls(n_estimators=2).fit(X, y)


@pytest.mark.parametrize(("cls", "columns", "default"),
                         [(FocalXGBClassifier, ["x[0]", "x<1", "c", "d"], "f0"),
                          # NUL: XGBoost cut "a\0b" and "a\0c" to one name "a" (their
                          # importances merged), as XGBClassifier does without a word
                          (FocalXGBClassifier, ["a\0b", "a\0c", "c", "d"], "f0"),
                          (FocalLGBMClassifier, ["a:1", "b", "c", "d"], "Column_0"),
                          (FocalLGBMClassifier, ["a b", "a_b", "c", "d"], "Column_0"),
                          # an empty name and line breaks: LightGBM's "Wrong size of
                          # feature_names", after training, where the README promised
                          # the default names
                          (FocalLGBMClassifier, ["", "b", "c", "d"], "Column_0"),
                          (FocalLGBMClassifier, ["a\nb", "b", "c", "d"], "Column_0"),
                          (FocalLGBMClassifier, ["a", "b\r", "c", "d"], "Column_0"),
                          # NUL: "\0" failed so, "a\0b" became "a" in the booster
                          (FocalLGBMClassifier, ["a\0b", "b", "c", "\0"], "Column_0")])
def test_names_the_library_refuses_are_replaced_with_a_warning(cls, columns, default):
    # the plain classifiers raise on them; ours trained under the library's default
    # names without a word (importances, dumps and SHAP then show f0 / Column_0)
    pd = pytest.importorskip("pandas")
    from sklearn.datasets import make_classification

    X, y = make_classification(300, 4, random_state=0)
    frame = pd.DataFrame(X, columns=columns)
    with pytest.warns(UserWarning, match="refuses some of X's column names") as caught:
        model = cls(n_estimators=3).fit(frame, y)
    assert default in str(caught[0].message)
    assert list(model.feature_names_in_) == columns
    if cls is FocalXGBClassifier:
        # constraints by the user's names: XGBoost refused them ("not a subset of
        # training data feature names"), as the booster has its own
        by_position = {"monotone_constraints": (1, 0, 0, -1),  # (the booster's names:)
                       "interaction_constraints": [["f0", "f1"], ["f2", "f3"]]}
        by_name = {"monotone_constraints": {columns[0]: 1, columns[3]: -1},
                   "interaction_constraints": [columns[:2], columns[2:]]}
        for key in by_name:
            with pytest.warns(UserWarning, match="refuses some of X's column names"):
                named = cls(n_estimators=3, **{key: by_name[key]}).fit(frame, y)
                other = cls(n_estimators=3, **{key: by_position[key]}).fit(frame, y)
            np.testing.assert_array_equal(named.predict_proba(frame),
                                          other.predict_proba(frame))
            assert named.get_params()[key] == by_name[key]  # (as given)
    if cls is FocalLGBMClassifier:  # names given to fit: the booster has them, no word
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("error")
            named = cls(n_estimators=3).fit(frame, y, feature_name=list("pqrs"))
        assert named.feature_name_ == list("pqrs")


def test_lightgbm_refused_characters_are_written_on_one_line():
    # the warning names line breaks and NUL as \n, \r and \x00: written as they are,
    # the message broke over lines and held a NUL
    from sklearn.datasets import make_classification

    X, y = make_classification(200, 4, random_state=0)
    frame = pd.DataFrame(X, columns=["a\nb", "b", "c", "d"])
    with pytest.warns(UserWarning, match="LightGBM refuses some of X's column names") as seen:
        FocalLGBMClassifier(n_estimators=2).fit(frame, y)
    message = next(str(w.message) for w in seen if "refuses" in str(w.message))
    assert "\n" not in message and "\r" not in message and "\0" not in message, message
    assert "the characters \" , : [ ] { } \\n \\r \\x00)" in message, message


@pytest.mark.parametrize("cls", [FocalXGBClassifier, FocalLGBMClassifier])
def test_complex_beside_text_columns_gets_both_conversions(cls):
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(60, 2)), columns=["a", "b"])
    y = (X.a > 0).astype(int)
    with pytest.raises(TypeError) as info:
        cls(n_estimators=2).fit(X.assign(z=X.a + 1j * X.b, s=rng.choice(["u", "v"], 60)), y)
    assert "complex numbers as real ones" in str(info.value)
    assert "pd.to_numeric" in str(info.value)


@pytest.mark.parametrize("cls", [FocalXGBClassifier, FocalLGBMClassifier])
def test_balanced_alpha_counts_rows_not_their_weights(cls):
    # as LGBMClassifier's class_weight="balanced" (and the docstring): rows are counted,
    # so weighting rows is not repeating them there
    from sklearn.datasets import make_classification
    from sklearn.utils.class_weight import compute_class_weight

    X, y = make_classification(200, 4, weights=[0.7], random_state=0)
    weights = np.random.RandomState(1).randint(1, 4, 200).astype(float)
    model = cls(alpha="balanced", n_estimators=2).fit(X, y, sample_weight=weights)
    np.testing.assert_allclose(model.loss_.alpha,
                               compute_class_weight("balanced", classes=np.array([0, 1]), y=y),
                               rtol=1e-12)


def test_xgboost_sample_weight_eval_set_of_another_count_is_refused_under_its_name(data):
    # the error names the parameter passed, not eval_sample_weight (its other name)
    X, y = data
    with pytest.raises(ValueError, match="^sample_weight_eval_set needs one entry"):
        FocalXGBClassifier(n_estimators=2).fit(X, y, eval_set=[(X, y), (X, y)],
                                               sample_weight_eval_set=[np.ones(len(y))])


def test_xgboost_feature_types_in_the_constructor_reach_the_dmatrix(data):
    # XGBClassifier(feature_types=...) types the columns of an array: "c" is categorical
    X, y = data
    X = np.column_stack([(np.arange(len(y)) % 4).astype(float), X[:, 1:]])
    types = ["c", "q", "q", "q"]
    plain = xgb.XGBClassifier(n_estimators=3, feature_types=types).fit(X, y)
    ours = FocalXGBClassifier(n_estimators=3, feature_types=types).fit(X, y)
    assert plain.get_booster().feature_types == types
    assert ours.get_booster().feature_types == types


def test_xgboost_feature_weights_are_a_dmatrix_field_not_a_booster_parameter(data):
    # as XGBClassifier: not in get_xgb_params, and XGBoost warns of no unused parameter
    X, y = data
    weights = np.array([1.0, 2.0, 3.0, 4.0])
    assert "feature_weights" not in xgb.XGBClassifier(feature_weights=weights).get_xgb_params()
    model = FocalXGBClassifier(n_estimators=2, feature_weights=weights)
    assert "feature_weights" not in model.get_xgb_params()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.fit(X, y)


@pytest.mark.parametrize("params", [{"eta": 0.05}, {"lambda": 20.0}])
def test_xgboost_spelling_alone_applies_as_in_xgbclassifier(params):
    # XGBoost's own name of a named parameter left at None is the value trained with
    X, y = make_classification_data("binary")
    kwargs = {"n_estimators": 10, "n_jobs": 1, **params}
    plain = xgb.XGBClassifier(**kwargs).fit(X, y)
    ours = FocalXGBClassifier(gamma=0, **kwargs).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), plain.predict_proba(X), atol=1e-6)


def test_xgboost_every_named_parameter_reaches_xgboost():
    # each named parameter as XGBClassifier hands it on (gamma=0: its log loss)
    X, y = make_classification_data("binary")
    kwargs = dict(n_estimators=10, n_jobs=1, random_state=0, learning_rate=0.2, max_depth=3,
                  min_child_weight=2.0, subsample=0.8, colsample_bytree=0.5, reg_lambda=2.0,
                  reg_alpha=0.5, max_bin=8, tree_method="hist")
    plain = xgb.XGBClassifier(**kwargs).fit(X, y)
    ours = FocalXGBClassifier(gamma=0, **kwargs).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), plain.predict_proba(X), atol=1e-6)


@pytest.mark.parametrize("eval_metric", [["logloss", "auc"], ["auc", "logloss"]])
def test_xgboost_early_stopping_on_metrics_of_both_directions_as_xgbclassifier(
        stopping_data, eval_metric):
    # the last metric is watched in its own direction (the first one's: stopped at round 0)
    Xt, yt, Xv, yv = stopping_data
    kwargs = dict(n_estimators=200, learning_rate=0.3, early_stopping_rounds=5,
                  eval_metric=eval_metric, n_jobs=1)
    plain = xgb.XGBClassifier(**kwargs).fit(Xt, yt, eval_set=[(Xv, yv)], verbose=False)
    ours = FocalXGBClassifier(gamma=0, **kwargs).fit(Xt, yt, eval_set=[(Xv, yv)])
    assert plain.best_iteration > 0
    assert ours.best_iteration_ == plain.best_iteration
    assert ours.best_score_ == pytest.approx(plain.best_score, rel=1e-6)


def test_lightgbm_eval_class_weight_by_index_as_in_lgbmclassifier(data):
    # LGBMClassifier takes eval_class_weight={index: class weights} too
    X, y = data
    Xt, yt, Xv, yv = X[:200], y[:200], X[200:], y[200:]
    class_weight = {0: 1.0, 1: 3.0}
    ours = FocalLGBMClassifier(gamma=0, n_estimators=3).fit(
        Xt, yt, eval_set=(Xv, yv), eval_class_weight={0: class_weight})
    listed = FocalLGBMClassifier(gamma=0, n_estimators=3).fit(
        Xt, yt, eval_set=[(Xv, yv)], eval_class_weight=[class_weight])
    plain = lgb.LGBMClassifier(n_estimators=3, verbose=-1).fit(
        Xt, yt, eval_X=Xv, eval_y=yv, eval_class_weight={0: class_weight})
    assert (ours.evals_result_["valid_0"]["focal_loss"]
            == listed.evals_result_["valid_0"]["focal_loss"])
    np.testing.assert_allclose(ours.evals_result_["valid_0"]["focal_loss"],
                               plain.evals_result_["valid_0"]["binary_logloss"], rtol=1e-9)


def test_lightgbm_best_score_is_of_the_last_set_that_is_not_the_training_data(noisy_split):
    # as documented for best_score_: the last validation set, the training data passed
    # again (evaluated first or last) not counted
    Xt, yt, Xv, yv = noisy_split
    sets = [(Xv[:100], yv[:100]), (Xv[100:], yv[100:])]
    for eval_set in (sets, sets + [(Xt, yt)]):
        model = FocalLGBMClassifier(n_estimators=20).fit(Xt, yt, eval_set=eval_set)
        log = model.evals_result_
        assert log["valid_0"]["focal_loss"][-1] != log["valid_1"]["focal_loss"][-1]
        assert model.best_score_ == log["valid_1"]["focal_loss"][model.best_iteration_]


def test_lightgbm_pred_contrib_wins_over_pred_leaf_as_in_lgbmclassifier(data):
    # LightGBM ranks contributions before leaf indices where both are asked for
    X, y = data
    ours = FocalLGBMClassifier(n_estimators=3).fit(X, y)
    plain = lgb.LGBMClassifier(n_estimators=3, verbose=-1).fit(X, y)
    # (LightGBM computes contributions, then casts them to int as it casts leaf indices)
    shape = plain.predict(X[:5], pred_leaf=True, pred_contrib=True).shape
    assert shape == (5, X.shape[1] + 1)  # contributions and the expected value
    for method in ("predict", "predict_proba"):
        both = getattr(ours, method)(X[:5], pred_leaf=True, pred_contrib=True)
        assert both.shape == shape
        np.testing.assert_array_equal(both, ours.predict(X[:5], pred_contrib=True))


def test_lightgbm_random_forest_num_iteration_zero_is_every_tree_as_in_lgbmclassifier(data):
    # num_iteration <= 0 is the whole forest, which is not "some of its trees"
    X, y = data
    kwargs = dict(boosting_type="rf", subsample=0.7, subsample_freq=1, n_estimators=5)
    ours = FocalLGBMClassifier(**kwargs).fit(X, y)
    plain = lgb.LGBMClassifier(verbose=-1, **kwargs).fit(X, y)
    np.testing.assert_allclose(plain.predict_proba(X[:5], num_iteration=0),
                               plain.predict_proba(X[:5]))
    for n in (0, -1):
        np.testing.assert_array_equal(ours.predict_proba(X[:5], num_iteration=n),
                                      ours.predict_proba(X[:5]))


def test_xgboost_base_margin_eval_set_without_eval_set_is_refused(data):
    # as XGBClassifier.fit refuses it; an empty list trained without a word (the
    # one-start-per-set check counted 0 starts for 0 sets)
    X, y = data
    for margins in ([], [np.zeros(len(y))]):
        with pytest.raises(ValueError, match="eval_set"):
            xgb.XGBClassifier(n_estimators=2).fit(X, y, base_margin_eval_set=margins)
        with pytest.raises(ValueError, match="base_margin_eval_set needs eval_set"):
            FocalXGBClassifier(n_estimators=2).fit(X, y, base_margin_eval_set=margins)


@pytest.mark.parametrize("n_jobs, expected", [(-1, 8), (-2, 7), (-7, 2)])
def test_lightgbm_negative_n_jobs_counts_back_from_eight_cpus(data, monkeypatch,
                                                              lightgbm_predict_threads,
                                                              n_jobs, expected):
    # joblib's rule on a machine of 8 CPUs, as LGBMClassifier counts (-1: all 8); on a
    # 2-CPU machine -2 gave 1 either way, and an off-by-one count passed
    import joblib

    monkeypatch.setattr(joblib, "cpu_count",
                        lambda only_physical_cores=False: 4 if only_physical_cores else 8)
    X, y = data
    ours = FocalLGBMClassifier(n_estimators=2, n_jobs=n_jobs).fit(X, y)
    plain = lgb.LGBMClassifier(n_estimators=2, n_jobs=n_jobs, verbose=-1).fit(X, y)
    assert ours.booster_.params["num_threads"] == plain.booster_.params["num_threads"] == expected
    lightgbm_predict_threads.clear()
    ours.predict_proba(X, num_threads=n_jobs)  # a prediction parameter counted back alike
    plain.predict_proba(X, num_threads=n_jobs)
    assert lightgbm_predict_threads == [expected, expected]


@pytest.mark.parametrize("eval_metric, recorded", [
    (["logloss", "binary_logloss"], ["binary_logloss"]),
    (["error", "binary_error", "auc"], ["binary_error", "auc"]),
    (["binary_logloss", "binary"], ["binary_logloss"]),
    (["error@0.5", "error"], ["binary_error"]),  # XGBoost's spelling of "error" too
])
def test_lightgbm_a_metric_named_twice_is_recorded_once(data, eval_metric, recorded):
    # two spellings of one metric: one score a round, as in LGBMClassifier (each round
    # was recorded twice, 6 scores for 3 rounds)
    X, y = data
    fit = {"eval_set": [(X[:100], y[:100])]}
    ours = FocalLGBMClassifier(n_estimators=3).fit(X, y, eval_metric=list(eval_metric), **fit)
    plain = lgb.LGBMClassifier(n_estimators=3, verbose=-1).fit(
        X, y, eval_metric=list(eval_metric), eval_X=X[:100], eval_y=y[:100])
    assert {k: len(v) for k, v in ours.evals_result_["valid_0"].items()} == dict.fromkeys(
        [*recorded, "focal_loss"], 3)
    assert all(len(plain.evals_result_["valid_0"][m]) == 3 for m in recorded)


@pytest.mark.parametrize("eval_metric, recorded", [
    (["auc", "auc"], ["auc"]),
    (["error@0.5", "error"], ["error"]),
    (["logloss", "auc", "logloss"], ["logloss", "auc"]),
])
def test_xgboost_a_metric_named_twice_is_recorded_once(data, eval_metric, recorded):
    # as in XGBClassifier: one score a round (two were, the first rounded to 6 digits,
    # best_score_ read from the doubled list, and early stopping followed the last
    # place of a name: logloss, where XGBClassifier follows auc)
    X, y = data
    fit = {"eval_set": [(X[:100], y[:100])]}
    ours = FocalXGBClassifier(n_estimators=3, eval_metric=eval_metric).fit(X, y, **fit)
    plain = xgb.XGBClassifier(n_estimators=3, eval_metric=eval_metric).fit(X, y, verbose=False,
                                                                          **fit)
    assert {k: len(v) for k, v in ours.evals_result_["validation_0"].items()} == dict.fromkeys(
        ["focal_loss", *recorded], 3)
    assert {k: len(v) for k, v in plain.evals_result()["validation_0"].items()} == dict.fromkeys(
        recorded, 3)
    assert ours.evals_result_["validation_0"][recorded[-1]][-1] == pytest.approx(
        ours.best_score_, rel=0, abs=0)  # (the last round's, with no early stopping)


def test_lightgbm_eval_class_weight_of_0_for_every_row_is_named(data):
    # the refusal named "the weights of eval_set[0]", which were never given
    X, y = data
    fit = {"eval_set": [(X[:100], y[:100])], "eval_class_weight": [{0: 0, 1: 0}]}
    with pytest.raises(ValueError, match=r"^eval_class_weight\[0\] weighs every row of "
                                         r"eval_set\[0\] 0: its metrics would be undefined; "
                                         r"give a class present a weight above 0$"):
        FocalLGBMClassifier(n_estimators=3).fit(X, y, **fit)
    present = np.unique(y[:100])[0]  # 0 for the other class: the metrics of one class
    fit["eval_class_weight"] = [{present: 1, 1 - present: 0}]
    model = FocalLGBMClassifier(n_estimators=3).fit(X, y, **fit)
    assert np.isfinite(model.evals_result_["valid_0"]["focal_loss"]).all()


def test_lightgbm_eval_class_weight_zeroing_the_rows_eval_sample_weight_leaves(data):
    # each weight alone leaves rows, their product none: eval_class_weight is named,
    # with eval_sample_weight beside it
    X, y = data
    yv = y[:100]
    fit = {"eval_set": [(X[:100], yv)], "eval_sample_weight": [(yv == 1).astype(float)],
           "eval_class_weight": [{0: 1, 1: 0}]}
    with pytest.raises(ValueError, match=r"^eval_class_weight\[0\] weighs every row of "
                                         r"eval_set\[0\] 0 \(with eval_sample_weight\): its "
                                         r"metrics would be undefined"):
        FocalLGBMClassifier(n_estimators=3).fit(X, y, **fit)


def test_lightgbm_an_empty_eval_set_with_eval_class_weight_is_no_zero_weighing(data):
    # no rows is not every row weighed 0 (the empty set is refused as such elsewhere)
    X, y = data
    # (it was "the weights of eval_set[0]: Found array with 0 sample(s)", never given)
    with pytest.raises(ValueError, match=r"^eval_set\[0\] has no rows: LightGBM cannot "
                                         r"evaluate an empty Dataset; leave it out$"):
        FocalLGBMClassifier(n_estimators=3).fit(X, y, eval_set=[(X[:0], y[:0])],
                                                eval_class_weight=[{0: 1, 1: 1}])


def test_lightgbm_a_callable_metric_listed_twice_is_evaluated_twice(data):
    # names are kept once, callables each (LGBMClassifier records 2 values a round)
    def brier_score(y_true, y_score):
        return float(np.mean((y_true - y_score) ** 2))

    def brier_triple(y_true, y_score):
        return "brier_score", brier_score(y_true, y_score), False

    X, y = data
    fit = {"eval_set": [(X[:100], y[:100])]}
    ours = FocalLGBMClassifier(n_estimators=3).fit(X, y, eval_metric=[brier_score] * 2, **fit)
    plain = lgb.LGBMClassifier(n_estimators=3, verbose=-1).fit(
        X, y, eval_metric=[brier_triple] * 2, eval_X=X[:100], eval_y=y[:100])
    assert len(ours.evals_result_["valid_0"]["brier_score"]) == 6
    assert len(plain.evals_result_["valid_0"]["brier_score"]) == 6


def test_lightgbm_eval_class_weight_of_the_training_data_passed_again_is_unused(data):
    # LGBMClassifier evaluates the training data passed again as it trains on it: its
    # eval_class_weight is not used (ours weighed it, and refused class weights of 0)
    X, y = data
    fit = {"eval_set": [(X, y)], "eval_class_weight": [{0: 0, 1: 0}]}
    with warnings.catch_warnings():
        # (LightGBM 4.7 names the training data so only through its eval_set, deprecated)
        warnings.filterwarnings("ignore", "The argument 'eval_set' is deprecated")
        plain = lgb.LGBMClassifier(n_estimators=3, verbose=-1).fit(X, y, **fit)
    ours = FocalLGBMClassifier(n_estimators=3).fit(X, y, **fit)
    assert list(ours.evals_result_) == list(plain.evals_result_) == ["training"]


def test_xgboost_refused_lightgbm_options_name_their_xgboost_counterparts(data):
    X, y = data
    ours = FocalXGBClassifier(n_estimators=3).fit(X, y)
    for option in ("raw_score", "pred_leaf", "num_iteration"):
        with pytest.raises(TypeError, match=rf"{option}: FocalLGBMClassifier's; the margins "
                           r"here are predict\(X, output_margin=True\), the leaves apply\(X\), "
                           "the rounds iteration_range"):
            ours.predict_proba(X, **{option: True})


# --------- found unpinned by mutation testing (frame shape, infinities, eval names, apply's
# missing value, a loaded booster's attributes, LightGBM's verbosity and early stopping)
def _binary_rows(n=200, seed=0, n_features=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n_features))
    y = (X[:, 0] + 0.5 * rng.normal(size=n) > 0).astype(int)
    return X, y


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_a_frame_without_columns_is_refused_by_its_shape(cls):
    # without the column count the plain libraries' own errors came through (XGBoost:
    # IndexError "list index out of range"; LightGBM: "Forced splits file includes
    # feature index 0")
    y = np.array([0, 1] * 10)
    with pytest.raises(ValueError, match=r"^X has shape \(20, 0\): it needs at least 1 row "
                                         r"and one column$"):
        cls(n_estimators=2).fit(pd.DataFrame(index=range(20)), y)


def test_xgboost_missing_inf_predicts_on_the_other_infinity_as_xgbclassifier():
    # the other infinity is refused to train on (XGBoost's C++ check), not at predict
    # time, where XGBClassifier(missing=inf) takes it
    X, y = _binary_rows()
    X[::7, 1] = np.inf
    Xp = X.copy()
    Xp[:5, 2] = -np.inf
    ours = FocalXGBClassifier(n_estimators=3, gamma=0.0, missing=np.inf).fit(X, y)
    plain = xgb.XGBClassifier(n_estimators=3, missing=np.inf).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(Xp), plain.predict_proba(Xp), atol=1e-6)


def test_lightgbm_eval_names_may_name_the_training_data_twice_alike():
    # the training data passed twice under one name is one log, as in LGBMClassifier
    # (only the names of different sets must differ)
    X, y = _binary_rows(300)
    Xt, yt, Xv, yv = X[:200], y[:200], X[200:], y[200:]
    sets = [(Xt, yt), (Xv, yv), (Xt, yt)]
    names = ["t", "v", "t"]
    ours = FocalLGBMClassifier(n_estimators=3).fit(Xt, yt, eval_set=sets, eval_names=names)
    plain = lgb.LGBMClassifier(n_estimators=3, verbose=-1).fit(Xt, yt, eval_set=sets,
                                                              eval_names=names)
    assert sorted(ours.evals_result_) == sorted(plain.evals_result_) == ["t", "v"]
    with pytest.raises(ValueError, match=r"\['t'\] would be used twice"):
        FocalLGBMClassifier(n_estimators=3).fit(Xt, yt, eval_set=sets,
                                                eval_names=["t", "t", "x"])


def _held_rows(n=300):
    """Binary rows: 200 to train on, the rest held out."""
    X, y = _binary_rows(n, n_features=4)
    return X[:200], y[:200], X[200:], y[200:]


def test_xgboost_linear_exact_refuses_the_other_infinity():
    # booster="gblinear" ignores tree_method: "exact" skips the check only for trees,
    # which split on the infinity; XGBClassifier's linear model predicts NaN there
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = (X[:, 1] > 0).astype(int)
    X[:10, 0] = -np.inf
    params = {"booster": "gblinear", "tree_method": "exact", "missing": np.inf,
              "n_estimators": 3}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plain = xgb.XGBClassifier(**params).fit(X, y).predict_proba(X)
    assert np.isnan(plain).any()
    with pytest.raises(ValueError, match=r"X contains -inf in column\(s\) 0, .*"
                                         r"booster='gblinear' multiplies it"):
        FocalXGBClassifier(**params).fit(X, y)


def test_xgboost_apply_reads_the_missing_value():
    # -999 marks missing values: apply's leaves are those of the booster reading X
    # with missing=-999, as XGBClassifier.apply reads it (not -999 as a value)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    y = (X[:, 0] > 0).astype(int)
    X[(y == 1) & (rng.random(300) < 0.5), 0] = -999.0
    est = FocalXGBClassifier(missing=-999.0, n_estimators=3, max_depth=2).fit(X, y)
    booster = est.get_booster()
    expected = booster.predict(xgb.DMatrix(X, missing=-999.0), pred_leaf=True)
    as_values = booster.predict(xgb.DMatrix(X), pred_leaf=True)
    assert (expected != as_values).any()  # (the reading matters on these rows)
    np.testing.assert_array_equal(est.apply(X), expected)


def test_xgboost_load_model_leaves_no_estimator_record_on_the_booster(tmp_path):
    # save_model removes its record from the booster after writing: a loaded model's
    # booster is as a fitted one's (a native booster.save_model of it, or a model
    # continued from it, carries no stale classes/parameters of the estimator)
    X, y, _, _ = _held_rows()
    labels = np.array(["no", "yes"])[y]
    fitted = FocalXGBClassifier(n_estimators=3, missing=-1.0).fit(X, labels)
    path = tmp_path / "model.json"
    fitted.save_model(path)
    assert fitted.get_booster().attr(fxgb.ESTIMATOR_ATTR) is None
    loaded = FocalXGBClassifier().load_model(path)
    assert list(loaded.classes_) == ["no", "yes"]
    assert loaded.get_booster().attr(fxgb.ESTIMATOR_ATTR) is None
    assert loaded.get_booster().attributes() == fitted.get_booster().attributes()


def test_lightgbm_verbosity_keyword_reaches_lightgbm(capfd):
    # verbosity=1 prints LightGBM's info lines, as in LGBMClassifier(verbosity=1)
    X, y, _, _ = _held_rows()
    lgb.LGBMClassifier(n_estimators=2, verbosity=1).fit(X, y)
    plain = capfd.readouterr().out
    FocalLGBMClassifier(n_estimators=2, verbosity=1).fit(X, y)
    ours = capfd.readouterr().out
    assert "[LightGBM] [Info] Number of data points in the train set: 200" in plain
    assert "[LightGBM] [Info] Number of data points in the train set: 200" in ours
    FocalLGBMClassifier(n_estimators=2).fit(X, y)  # (the estimator's default: -1)
    assert "[LightGBM]" not in capfd.readouterr().out


def test_lightgbm_early_stopping_min_delta_as_in_lgbmclassifier():
    # no round improves the focal loss (or log-loss) by 10: both stop on their first tree
    X, y, Xv, yv = _held_rows()
    params = {"n_estimators": 100, "early_stopping_rounds": 3, "verbose": -1}
    plain = lgb.LGBMClassifier(**params, early_stopping_min_delta=10.0).fit(
        X, y, eval_X=(Xv,), eval_y=(yv,))
    with pytest.warns(UserWarning, match="early stopping kept only the first iteration"):
        ours = FocalLGBMClassifier(**params, early_stopping_min_delta=10.0).fit(
            X, y, eval_set=[(Xv, yv)])
    assert plain.n_estimators_ == 1
    assert ours.n_estimators_ == 1 and ours.best_iteration_ == 0
    assert FocalLGBMClassifier(**params).fit(X, y, eval_set=[(Xv, yv)]).n_estimators_ > 5


def test_lightgbm_one_min_delta_in_a_list_applies_to_every_metric():
    # lgb.early_stopping(min_delta=[d]) is one value for all metrics in LightGBM: not
    # refused for counting fewer than the metrics recorded (auc and the focal loss)
    X, y, Xv, yv = _held_rows()

    def callbacks():
        return [lgb.early_stopping(3, min_delta=[0.0], verbose=False)]

    plain = lgb.LGBMClassifier(n_estimators=50, verbose=-1).fit(
        X, y, eval_X=(Xv,), eval_y=(yv,), eval_metric="auc", callbacks=callbacks())
    ours = FocalLGBMClassifier(n_estimators=50).fit(
        X, y, eval_set=[(Xv, yv)], eval_metric="auc", callbacks=callbacks())
    assert plain.n_estimators_ < 50
    assert list(ours.evals_result_["valid_0"]) == ["auc", "focal_loss"]
    assert ours.n_estimators_ < 50
    with pytest.raises(ValueError, match=r"early_stopping\(min_delta=\[0.0, 0.0, 0.0\]\) "
                                         r"gives 3 values where the fit records 2 metrics"):
        FocalLGBMClassifier(n_estimators=5).fit(
            X, y, eval_set=[(Xv, yv)], eval_metric="auc",
            callbacks=[lgb.early_stopping(3, min_delta=[0.0, 0.0, 0.0], verbose=False)])


def test_lightgbm_metric_none_stops_early_on_the_focal_loss():
    # metric="None" adds no metric, and the focal loss, always evaluated, is what the
    # estimator's early stopping watches (nothing is left to leave unwatched)
    X, y, Xv, yv = _held_rows()
    ours = FocalLGBMClassifier(n_estimators=200, early_stopping_rounds=3, metric="None").fit(
        X, y, eval_set=[(Xv, yv)])
    history = ours.evals_result_["valid_0"]
    assert list(history) == ["focal_loss"]
    assert ours.n_estimators_ < 200
    assert len(history["focal_loss"]) == ours.best_iteration_ + 1 + 3
    assert ours.best_score_ == pytest.approx(min(history["focal_loss"]))
    assert np.argmin(history["focal_loss"]) == ours.best_iteration_


def test_missing_minus_inf_names_the_other_infinity_as_inf():
    # missing=-inf: a +inf is the infinity XGBoost refuses, and the message says "inf"
    X, y = _binary_rows(n_features=4)
    X[3, 1] = np.inf
    frame = pd.DataFrame(X, columns=list("abcd"))
    with pytest.raises(xgb.core.XGBoostError):  # the plain library refuses it too
        xgb.XGBClassifier(missing=-np.inf, n_estimators=2).fit(frame, y)
    with pytest.raises(ValueError, match=r"^X contains inf in column\(s\) 'b', which "
                                         r"missing=-inf does not mark as missing"):
        FocalXGBClassifier(missing=-np.inf, n_estimators=2).fit(frame, y)


def _shifted_eval_frame(n: int, split: int):
    """Rows of a category column ``c`` and a number ``x``, and the rows from ``split``
    as an evaluation frame whose dtype holds a level the training data lacks, sorted
    first (every code after it shifted by one)."""
    rng = np.random.default_rng(0)
    c, x = rng.integers(0, 5, n), rng.normal(size=n)
    y = (np.sin(1.7 * c) * 1.5 + x + rng.normal(size=n) * 0.5 > 0).astype(int)
    X = pd.DataFrame({"c": pd.Categorical.from_codes(c, ["L0", "L1", "L2", "L3", "L4"]),
                      "x": x})
    valid = X[split:].assign(c=X.c[split:].cat.add_categories(["AAA"]).cat
                             .reorder_categories(["AAA", "L0", "L1", "L2", "L3", "L4"]))
    return X, y, valid


def test_xgboost_eval_frame_categories_are_coded_by_value_as_in_training():
    # XGBClassifier codes the evaluation frame's rows by value as the training data's;
    # ours read the shifted codes (every row another category: logloss 0.59 against
    # 0.28, early stopping at round 5 against 17)
    # (XGBClassifier is given the rows in the training dtype: XGBoost 3.4 refuses a
    # level no row holds, "Found a category not in the training set"; 3.2 took the
    # shifted frame, with the same values)
    X, y, valid = _shifted_eval_frame(1000, 700)
    settings = {"n_estimators": 30, "max_depth": 3, "eval_metric": "logloss",
                "early_stopping_rounds": 5}
    plain = xgb.XGBClassifier(enable_categorical=True, **settings).fit(
        X[:700], y[:700], eval_set=[(X[700:], y[700:])], verbose=False)
    ours = FocalXGBClassifier(gamma=0.0, **settings).fit(
        X[:700], y[:700], eval_set=[(valid, y[700:])])
    assert ours.best_iteration_ == plain.best_iteration > 5
    np.testing.assert_allclose(ours.evals_result_["validation_0"]["logloss"],
                               plain.evals_result()["validation_0"]["logloss"], rtol=1e-5)


def test_approx_trees_code_an_eval_frames_categories_by_value():
    # tree_method="approx" builds DMatrix (no quantile DMatrix): the eval frame's
    # categories coded as the training data's there too
    X, y, valid = _shifted_eval_frame(600, 400)
    settings = {"n_estimators": 5, "max_depth": 3, "eval_metric": "logloss",
                "tree_method": "approx"}
    shifted = FocalXGBClassifier(gamma=0.0, **settings).fit(
        X[:400], y[:400], eval_set=[(valid, y[400:])])
    same = FocalXGBClassifier(gamma=0.0, **settings).fit(
        X[:400], y[:400], eval_set=[(X[400:], y[400:])])
    np.testing.assert_array_equal(shifted.evals_result_["validation_0"]["logloss"],
                                  same.evals_result_["validation_0"]["logloss"])


def test_xgboost_start_margins_beyond_float32_are_refused_by_row():
    # XGBoost holds base_margin in float32: 1e39 became inf, and training failed on
    # margins "not finite, or training diverged ... regularise the trees", where the
    # same init_score was refused as beyond float32's range
    X, y = _binary_rows(400)
    with pytest.raises(ValueError, match=r"^base_margin holds 1e\+39 \(row 0\), beyond "
                                         r"float32's range \(3\.4e38\), in which XGBoost"):
        FocalXGBClassifier(n_estimators=2).fit(X, y, base_margin=np.full(400, 1e39))
    far = np.zeros(400)
    far[7] = -1e300
    with pytest.raises(ValueError, match=r"^base_margin_eval_set\[0\] holds -1e\+300 "
                                         r"\(row 7\)"):
        FocalXGBClassifier(n_estimators=2).fit(X, y, eval_set=[(X, y)],
                                               base_margin_eval_set=[far])
    # float32's largest trains (every row decided there: no split, as in the plain
    # classifiers); LightGBM holds init_score in float64
    with pytest.warns(UserWarning, match="the model has no split"):
        FocalXGBClassifier(n_estimators=2, min_child_weight=0).fit(
            X, y, base_margin=np.full(400, 3e38))
    with pytest.warns(UserWarning, match="the model has no split"):
        FocalLGBMClassifier(n_estimators=2, verbose=-1, min_child_weight=0).fit(
            X, y, init_score=np.full(400, 1e39))


def _margin_rows(n=300, classes=2):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 3))
    return X, (np.digitize(X[:, 0], np.linspace(-1, 1, classes - 1))).astype(int)


def test_an_infinite_base_margin_is_not_called_beyond_float32():
    X, y = _margin_rows()
    margin = np.zeros(len(y))
    margin[3] = np.inf
    with pytest.raises(ValueError, match=r"^base_margin holds inf \(row 3\): a start "
                                         r"margin must be finite$") as refusal:
        FocalXGBClassifier(n_estimators=2).fit(X, y, base_margin=margin)
    assert "float32" not in str(refusal.value)


def test_float32s_largest_base_margin_is_within_its_range():
    X, y = _margin_rows()
    with pytest.warns(UserWarning, match="the model has no split"):
        FocalXGBClassifier(n_estimators=2, min_child_weight=0).fit(
            X, y, base_margin=np.full(len(y), float(np.finfo(np.float32).max)))


def test_a_multiclass_base_margin_beyond_float32_is_named_by_row():
    X, y = _margin_rows(classes=3)
    margin = np.zeros((len(y), 3))
    margin[5, 2] = 1e39
    with pytest.raises(ValueError, match=r"^base_margin holds 1e\+39 \(row 5\), beyond"):
        FocalXGBClassifier(n_estimators=2).fit(X, y, base_margin=margin)


def test_start_margins_and_weights_that_are_not_numbers_are_named():
    # numpy's "could not convert string to float: 'a'" named no argument (XGBClassifier
    # says "Unsupported type for base_margin"), and nothing told the intercept (the
    # constructor's init_score) from every row's start margins (fit's)
    X, y = _margin_rows()
    for cls, start in ((FocalXGBClassifier, "base_margin"), (FocalLGBMClassifier, "init_score")):
        with pytest.raises(ValueError, match=f"^{start} must hold numbers: could not convert"):
            cls(n_estimators=2).fit(X, y, **{start: ["a"] * len(y)})
        # the constructor's init_score given to fit: named as the other parameter
        with pytest.raises(TypeError, match=f"^{start} must be an array of start margins, "
                                            "one per row .* the constructor's init_score"):
            cls(n_estimators=2).fit(X, y, **{start: "auto"})
        with pytest.raises(ValueError, match="^sample_weight must hold numbers: could not"):
            cls(n_estimators=2).fit(X, y, sample_weight=["a"] * len(y))
        with pytest.raises(TypeError, match="^sample_weight must hold numbers: float"):
            cls(n_estimators=2).fit(X, y, sample_weight=[{}] * len(y))
    # and the other way round: every row's margins given as the intercept
    with pytest.raises(ValueError, match=r"got shape \(300,\): the intercept of every row; "
                                         "start margins of each row are the training data's"):
        FocalLGBMClassifier(n_estimators=2, init_score=np.zeros(len(y))).fit(X, y)


def test_lightgbm_start_margins_that_are_not_finite_are_refused_by_row():
    # LightGBM trained a NaN init_score as 0 without a word (LGBMClassifier alike), where
    # FocalXGBClassifier refused the same base_margin
    X, y = _margin_rows()
    start = np.zeros(len(y))
    start[4] = np.nan
    with pytest.raises(ValueError, match=r"^init_score holds nan \(row 4\): a start margin "
                                         "must be finite"):
        FocalLGBMClassifier(n_estimators=2).fit(X, y, init_score=start)
    with pytest.raises(ValueError, match=r"^eval_init_score\[0\] holds nan \(row 4\)"):
        FocalLGBMClassifier(n_estimators=2).fit(X, y, eval_set=[(X, y)],
                                                eval_init_score=[start])


def test_labels_of_three_dimensions_name_y():
    # scikit-learn's "Found array with dim 3, while dim <= 2 is required" named no argument
    X, y = _margin_rows()
    with pytest.raises(ValueError, match=r"^y has shape \(300, 1, 1\): give one label per "
                                         r"sample, or a 0/1 label matrix"):
        FocalXGBClassifier(n_estimators=2).fit(X, y[:, None, None])
    with pytest.raises(ValueError, match=r"^eval_set\[0\]'s y has shape \(300, 1, 1\): give "
                                         r"one label per sample$"):
        FocalLGBMClassifier(n_estimators=2).fit(X, y, eval_set=[(X, y[:, None, None])])


def test_lightgbm_n_estimators_true_is_one_round_as_in_xgboost():
    # refused as "num_boost_round must be an integer >= 1, got True": the native train's
    # argument, which the user never passed; FocalXGBClassifier trains one round
    X, y = _margin_rows()
    assert FocalLGBMClassifier(n_estimators=True).fit(X, y).n_estimators_ == 1
    assert FocalXGBClassifier(n_estimators=True).fit(X, y).get_booster().num_boosted_rounds() == 1


def test_a_string_for_the_evaluation_sets_entries_is_refused_by_name():
    # eval_init_score="auto" was read letter by letter, one entry per set: the first set's
    # start margins were "a" ("got 'a': the intercept ... is the constructor's")
    X, y = _margin_rows()
    for name in ("eval_init_score", "eval_sample_weight"):
        with pytest.raises(TypeError, match=f"^{name} must be a list with one entry per "
                                            r"evaluation set \(or a dict by set index\), "
                                            "got 'auto'$"):
            FocalLGBMClassifier(n_estimators=2).fit(X, y, eval_set=[(X, y)], **{name: "auto"})
    # without eval_set none is used, as in LGBMClassifier
    FocalLGBMClassifier(n_estimators=2).fit(X, y, eval_init_score="auto")


def test_xgboost_feature_types_other_than_c_are_numbers_to_the_category_check():
    # "int", "i" and "float" are numbers, which exact trees and gblinear take; a category
    # column that feature_types also marks "c" is one column; feature_types of another
    # length get XGBoost's own error
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.normal(size=300), rng.integers(0, 5, 300)]).astype(float)
    y = (X[:, 0] + (X[:, 1] == 2) > 0.5).astype(int)
    for kinds in (["q", "int"], ["float", "i"]):
        for params in ({"tree_method": "exact"}, {"booster": "gblinear"}):
            model = FocalXGBClassifier(feature_types=kinds, n_estimators=2, **params)
            assert model.fit(X, y).n_features_in_ == 2
    frame = pd.DataFrame({"a": X[:, 0], "b": pd.Categorical(X[:, 1].astype(int))})
    with pytest.raises(ValueError, match=r"and X has 1 category column\(s\) \('b'\)"):
        FocalXGBClassifier(feature_types=["q", "c"], booster="gblinear",
                           n_estimators=2).fit(frame, y)
    numbers = pd.DataFrame(X, columns=["a", "b"])
    for data, kinds in [(d, k) for d in (X, numbers) for k in (["q", "c", "q"], ["c"])]:
        with pytest.raises(ValueError, match="feature types must have the same length"):
            xgb.XGBClassifier(feature_types=kinds, enable_categorical=True,
                              n_estimators=2).fit(data, y)
        with pytest.raises(ValueError, match="feature types must have the same length"):
            FocalXGBClassifier(feature_types=kinds, n_estimators=2).fit(data, y)


def _codes_as_numbers():
    """A frame whose column k holds the codes 10, 20, 30 as numbers, labels that follow
    k == 20 (or a > 1), and the frame with k as a category column."""
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=300), "k": rng.choice([10, 20, 30], 300)})
    y = ((X["k"] == 20) | (X["a"] > 1)).astype(int)
    return X, y, X.astype({"k": "category"})


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_a_category_column_for_a_feature_trained_as_numbers_is_refused(cls):
    # codes 10/20/30 as a category at predict were scored by XGBoost as 0/1/2 without a
    # word, up to 0.97 off (XGBClassifier alike), and refused by LightGBM in its own words
    # ("train and valid dataset categorical_feature do not match"); the reverse was
    # refused already
    X, y, as_categories = _codes_as_numbers()
    model = cls(n_estimators=5).fit(X, y)
    library = "XGBoost" if cls is FocalXGBClassifier else "LightGBM"
    message = (r"has category columns the model was trained on as numbers \('k'\), which "
               f"{library} would score by the codes of their levels")
    with pytest.raises(ValueError, match="^X " + message):
        model.predict_proba(as_categories)
    with pytest.raises(ValueError, match=r"^eval_set\[0\]'s X " + message):
        cls(n_estimators=5).fit(X, y, eval_set=[(as_categories, y)])
    np.testing.assert_array_equal(model.predict_proba(X.astype({"k": float})),
                                  model.predict_proba(X))
    # trained on an array, whose columns may be the codes (tests/test_robustness.py):
    # read by the codes, as the plain classifiers read them
    on_array = cls(n_estimators=5).fit(X.to_numpy(), y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (the feature-name warning)
        assert on_array.predict_proba(as_categories).shape == (300, 2)
    # a category column trained as one is scored as one; a model pickled before the
    # record (no _category_columns) scores as it did (XGBoost: by the codes)
    with_categories = cls(n_estimators=5).fit(as_categories, y)
    assert with_categories.predict_proba(as_categories).shape == (300, 2)
    if cls is FocalXGBClassifier:
        del model._category_columns
        assert np.abs(model.predict_proba(as_categories) - model.predict_proba(X)).max() > 0.1


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_only_the_category_columns_trained_as_numbers_are_refused_and_named(cls):
    # a category column trained as one, before one trained as numbers: each column is
    # checked, and the message names those trained as numbers alone
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"c": pd.Categorical(rng.choice(["u", "v"], 300)),
                      "a": rng.normal(size=300), "k": rng.choice([10, 20, 30], 300)})
    y = ((X["k"] == 20) | (X["c"] == "u")).astype(int)
    kw = {"enable_categorical": True} if cls is FocalXGBClassifier else {}
    model = cls(n_estimators=5, **kw).fit(X, y)
    with pytest.raises(ValueError, match=r"^X has category columns the model was trained "
                                         r"on as numbers \('k'\), which"):
        model.predict_proba(X.astype({"k": "category"}))
    assert model.predict_proba(X).shape == (300, 2)


def test_a_loaded_xgboost_model_checks_the_category_columns_its_file_trained(tmp_path):
    # load_model kept the record of the estimator's own earlier fit (refusing the
    # loaded model's categories), or, on a fresh estimator, had none (codes scored)
    X, y, as_categories = _codes_as_numbers()
    on_numbers = FocalXGBClassifier(n_estimators=5).fit(X, y)
    on_categories = FocalXGBClassifier(n_estimators=5).fit(as_categories, y)
    on_numbers.save_model(tmp_path / "numbers.json")
    on_categories.save_model(tmp_path / "categories.json")
    on_numbers.load_model(tmp_path / "categories.json")
    np.testing.assert_array_equal(on_numbers.predict_proba(as_categories),
                                  on_categories.predict_proba(as_categories))
    fresh = FocalXGBClassifier()
    fresh.load_model(tmp_path / "numbers.json")
    with pytest.raises(ValueError, match=r"^X has category columns the model was trained "
                                         r"on as numbers \('k'\)"):
        fresh.predict_proba(as_categories)
