"""Seams between our front ends and the plain libraries, side by side with them on the
same input: where XGBClassifier / LGBMClassifier / xgb.train / lgb.train work, ours
works too; where they refuse, ours refuses at least as clearly. Inputs that may crash
a C library, and settings read at import, run in a subprocess."""

import json
import os
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

xgb = pytest.importorskip("xgboost")
lgb = pytest.importorskip("lightgbm")
pd = pytest.importorskip("pandas")
from sklearn.metrics import accuracy_score, roc_auc_score  # noqa: E402

from focal_boost import FocalLGBMClassifier, FocalXGBClassifier, focal_loss  # noqa: E402
from focal_boost import lightgbm as flgb  # noqa: E402
from focal_boost import xgboost as fxgb  # noqa: E402
from focal_boost.metrics import focal_metric  # noqa: E402

PLAIN = {FocalXGBClassifier: xgb.XGBClassifier, FocalLGBMClassifier: lgb.LGBMClassifier}
ESTIMATORS = list(PLAIN)


def _plain(cls, **params):
    if cls is FocalLGBMClassifier:
        params.setdefault("verbose", -1)
    return PLAIN[cls](**params)


def _run(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=600, env={**os.environ, **env})


def _data(n=300, d=3, seed=0, classes=2):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    score = X[:, 0] + 0.5 * rng.normal(size=n)
    y = np.digitize(score, np.quantile(score, np.linspace(0, 1, classes + 1)[1:-1]))
    return X, y


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
    X, y = _data()
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
    assert any("no feature of train_set can be split" in m for m in messages)
    # the constant model is not blamed on the validation set
    assert not any("early stopping kept only the first iteration" in m for m in messages)
    log = ours.evals_result_["validation_0"]
    assert list(log) == ["focal_loss"] and len(log["focal_loss"]) == 1
    assert ours.best_iteration_ == 0
    # the focal loss of the constant margin on the validation rows
    margin = ours.decision_function(X)
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
    X, y = _data(30, classes=3)
    w = np.linspace(0.5, 2.0, 30)
    plain = _plain(FocalLGBMClassifier).fit(X, y, eval_set=[(X, y), (X[:15], y[:15])],
                                            eval_metric="multi_logloss")
    assert set(plain.best_score_) == {"training", "valid_1"}
    ours, _ = _quiet_fit(FocalLGBMClassifier(), X, y,
                         eval_set=[(X, y), (X[:15], y[:15])],
                         eval_sample_weight=[w, None], eval_metric="multi_logloss")
    proba = ours.predict_proba(X)
    from sklearn.metrics import log_loss

    for name, rows, weight in [("validation_0", slice(None), w), ("validation_1", slice(15),
                                                                  None)]:
        log = ours.evals_result_[name]
        assert list(log) == ["focal_loss", "multi_logloss"]
        assert log["multi_logloss"][0] == pytest.approx(
            log_loss(y[rows], proba[rows], sample_weight=None if weight is None
                     else weight[rows]), rel=1e-9)
    assert ours.best_score_ == ours.evals_result_["validation_1"]["multi_logloss"][0]


def test_constant_lightgbm_model_through_native_train():
    # lgb.train with the built-in objective records one score per round and sets
    # best_score; ours records the constant model's round and sets best_score too, and
    # the callbacks (record_evaluation, early stopping) run as after a round.
    X = np.ones((300, 3))
    _, y = _data()
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
    with pytest.warns(UserWarning, match="no feature of train_set can be split"):
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


def test_xgboost_on_the_same_degenerate_input_reports_a_score_too():
    # consistency of the two estimators: both give best_score_ on the validation set
    X, y = _data(30)
    for cls in ESTIMATORS:
        clf, _ = _quiet_fit(cls(), X, y, eval_set=[(X, y)])
        assert clf.best_score_ == clf.evals_result_["validation_0"]["focal_loss"][
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


# ------------------------------------------------------ an eval_metric that raises
def test_eval_metric_that_raises_raises_as_in_the_plain_classifiers():
    # accuracy_score on probabilities: XGBClassifier raises the metric's ValueError (and
    # LGBMClassifier raises too); ours raised nothing, logged NaN and kept one tree.
    X, y = _data()
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


@pytest.mark.parametrize("metric", ["auc", roc_auc_score])
def test_auc_of_a_one_class_validation_set_stays_nan_as_in_xgbclassifier(metric):
    # XGBClassifier reports NaN for an AUC that is undefined (one class in the validation
    # set), by name or as scikit-learn's callable; ours too, in both estimators.
    # (LGBMClassifier's built-in "auc" reports 1.0 there; NaN says the value is undefined.)
    X, y = _data()
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
        assert np.isnan(ours.evals_result_["validation_0"][name]).all()


# ------------------------------------------------------- XGBoost: missing=np.inf
def test_xgboost_missing_inf_takes_infinite_values_as_missing():
    # XGBClassifier(missing=np.inf) treats inf as missing: the model equals the one
    # trained with NaN in its place; ours was refused by the finite check.
    X, y = _data(400)
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
    X, y = _data()
    X[::7, 1] = np.inf
    with pytest.raises(xgb.core.XGBoostError, match="missing"):
        xgb.XGBClassifier(n_estimators=2).fit(X, y)
    with pytest.raises(ValueError, match=r"infinity.*missing=np\.inf"):
        FocalXGBClassifier(n_estimators=2).fit(X, y)
    with pytest.raises(ValueError, match=r"infinity.*missing=np\.inf"):  # eval_set too
        FocalXGBClassifier(n_estimators=2).fit(np.nan_to_num(X, posinf=9.0), y,
                                               eval_set=[(X, y)])


# ----------------------------------------------------- LightGBM: metric="None"
@pytest.mark.parametrize("spelling", ["None", "na", "null", "custom", ""])
def test_lightgbm_metric_none_adds_no_metric(spelling):
    # LGBMClassifier(metric="None") switches its metrics off ("" keeps the objective's
    # default); ours logs only the focal loss (was refused as an unknown eval_metric).
    X, y = _data()
    plain = _plain(FocalLGBMClassifier, metric=spelling, n_estimators=3).fit(
        X, y, eval_set=[(X[:50], y[:50])])
    assert all(list(log) in ([], ["binary_logloss"]) for log in plain.evals_result_.values())
    ours = FocalLGBMClassifier(metric=spelling, n_estimators=3).fit(
        X, y, eval_set=[(X[:50], y[:50])])
    assert list(ours.evals_result_["validation_0"]) == ["focal_loss"]
    both = FocalLGBMClassifier(metric=["auc", spelling], n_estimators=3).fit(
        X, y, eval_set=[(X[:50], y[:50])])
    assert list(both.evals_result_["validation_0"]) == ["focal_loss", "auc"]


# ------------------------------------- DataFrame column names of mixed types
@pytest.mark.parametrize("cls", ESTIMATORS)
def test_mixed_type_column_names_fit_as_in_the_plain_classifiers(cls):
    # Both plain classifiers fit a DataFrame with columns ["a", 1, "c", 2.5] and name the
    # features as strings; scikit-learn's check refused them in ours.
    X, y = _data(d=4)
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


# ---------------------------------------------------------------- zero rows
@pytest.mark.parametrize("classes", [2, 3])
@pytest.mark.parametrize("cls", ESTIMATORS)
def test_predict_on_zero_rows(cls, classes):
    # XGBClassifier returns an empty (0, 2) array for binary (and, wrongly, (0, 2) for
    # three classes); LGBMClassifier refuses zero rows. Ours returns (0, n_classes) from
    # predict_proba, decision_function and predict, for arrays and DataFrames.
    X, y = _data(classes=classes)
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
    # Booster.predict gives (0,) for any model; the adapters give the model's shape.
    X, y = _data(classes=classes)
    params = {} if classes == 2 else {"num_class": classes}
    shape = (0,) if classes == 2 else (0, classes)
    xgb_booster = fxgb.train(params, xgb.DMatrix(X, y), focal_loss(), 3)
    assert xgb_booster.predict(xgb.DMatrix(X[:0])).shape == (0,)
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
    da = pytest.importorskip("dask.array")
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    from lightgbm.dask import DaskLGBMClassifier

    from focal_boost.dask import FocalDaskLGBMClassifier, FocalDaskXGBClassifier

    X, y = _data(600, classes=3)
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
        clf = FocalDaskXGBClassifier(n_estimators=3, client=client).fit(dX, dy,
                                                                        eval_set=empty_set)
        assert np.isnan(clf.evals_result_["validation_0"]["focal_loss"]).all()
        with pytest.raises(ValueError, match=r"\('validation_0'\) has no rows.*eval_set"):
            FocalDaskLGBMClassifier(n_estimators=3, client=client).fit(dX, dy,
                                                                       eval_set=empty_set)


def test_zero_row_eval_set_as_each_plain_classifier():
    # XGBClassifier evaluates a zero-row eval_set (logloss 0.0 every round); ours
    # evaluates it too, with the focal loss NaN (no rows: no value). LGBMClassifier
    # stops in LightGBM's C++ check (num_data > 0) leaving a Dataset with a NULL handle
    # (run apart); ours refuses before LightGBM with the set and the fix named.
    X, y = _data()
    plain = xgb.XGBClassifier(n_estimators=4).fit(X, y, eval_set=[(X[:0], y[:0])],
                                                   verbose=False)
    assert len(plain.evals_result()["validation_0"]["logloss"]) == 4
    ours = FocalXGBClassifier(n_estimators=4).fit(X, y, eval_set=[(X[:0], y[:0])])
    log = ours.evals_result_["validation_0"]["focal_loss"]
    assert len(log) == 4 and np.isnan(log).all()
    frame = pd.DataFrame(X, columns=list("abc"))
    FocalXGBClassifier(n_estimators=2).fit(frame, y, eval_set=[(frame[:0], y[:0])])

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
    with pytest.raises(ValueError, match=r"valid_sets\[0\] \('validation_0'\) has no rows.*"
                                         r"eval_set"):
        FocalLGBMClassifier(n_estimators=4).fit(X, y, eval_set=[(X[:0], y[:0])])
    train = lgb.Dataset(X, y)  # native train: refused before LightGBM builds the set
    with pytest.raises(ValueError, match=r"valid_sets\[0\] \('valid_0'\) has no rows"):
        flgb.train({"verbose": -1}, train, focal_loss(), 2,
                   valid_sets=[lgb.Dataset(X[:0], y[:0], reference=train)])
