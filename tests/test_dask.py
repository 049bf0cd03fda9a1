"""Dask: the objects travel to worker processes, and the Dask estimators match the
in-memory ones on a LocalCluster of two worker processes."""

import json
import pickle
import re
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

pytest.importorskip("distributed")
dd = pytest.importorskip("dask.dataframe")  # xgboost.dask needs it
dxgb = pytest.importorskip("xgboost.dask")
lgb = pytest.importorskip("lightgbm")
da = pytest.importorskip("dask.array")
pd = pytest.importorskip("pandas")
from conftest import raw_margins, set_name  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402
from scipy.special import expit, log_softmax, softmax  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402
from sklearn.metrics import average_precision_score, roc_auc_score  # noqa: E402

from focal_boost import FocalLGBMClassifier, FocalXGBClassifier, focal_loss  # noqa: E402
from focal_boost.dask import FocalDaskLGBMClassifier, FocalDaskXGBClassifier  # noqa: E402
from focal_boost.xgboost import metric, objective  # noqa: E402

ENGINES = [(FocalDaskXGBClassifier, FocalXGBClassifier),
           (FocalDaskLGBMClassifier, FocalLGBMClassifier)]
ENGINE_IDS = ["xgboost", "lightgbm"]

@pytest.fixture(scope="module")
def client():
    with (LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                       dashboard_address=None) as cluster, Client(cluster) as client):
        yield client


def _data(n_classes: int, n: int = 6000, seed: int = 0):
    X, y = make_classification(n, 8, n_informative=5, n_classes=n_classes,
                               weights=[0.8] + [0.2 / (n_classes - 1)] * (n_classes - 1),
                               random_state=seed)
    return X, y


def _darr(a, rows: int = 1000):
    return da.from_array(a, chunks=(rows, *a.shape[1:]))


@pytest.mark.filterwarnings("ignore:Parameter n_jobs will be ignored")  # DaskLGBMClassifier's
@pytest.mark.filterwarnings("ignore:Cannot compute class probabilities")  # raw scores
def test_xgboost_and_lightgbm_dask_train_on_the_focal_loss(client):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(4000, 5))
    y = (X[:, 0] + rng.normal(size=4000) > 1.5).astype(float)
    loss = focal_loss(2.0, 0.25)
    dX, dy = _darr(X), _darr(y)
    # Workers see only their own rows: the intercept is computed here, on all of them.
    dtrain = dxgb.DaskDMatrix(client, dX, dy)
    params = {"max_depth": 3, "base_score": loss.init_score(y),
              "disable_default_eval_metric": 1}
    out = dxgb.train(client, params, dtrain, 20, obj=objective(loss),
                     custom_metric=metric(loss), evals=[(dtrain, "train")])
    margin = dxgb.predict(client, out["booster"], dX, output_margin=True).compute()
    history = out["history"]["train"]["focal_loss"]
    assert history[-1] < history[0]
    np.testing.assert_allclose(history[-1], loss.loss(y, margin).mean(), rtol=1e-4)
    assert roc_auc_score(y, margin) > 0.85

    clf = lgb.DaskLGBMClassifier(objective=loss, n_estimators=20, verbose=-1,
                                 client=client).fit(dX, dy)
    raw = clf.predict_proba(dX).compute()  # raw margins, LightGBM's rule
    assert roc_auc_score(y, raw) > 0.85


@pytest.mark.parametrize(("dask_class", "local_class"), ENGINES, ids=ENGINE_IDS)
@pytest.mark.parametrize("n_classes", [2, 3])
def test_dask_estimator_matches_the_in_memory_one(client, dask_class, local_class, n_classes):
    X, y = _data(n_classes)
    names = np.array(["no", "yes"]) if n_classes == 2 else np.array([3, 5, 7])
    labels = names[y]  # labels of any type
    w = np.random.default_rng(1).uniform(0.5, 2.0, len(y))
    params = {"n_estimators": 30, "random_state": 0,
              "alpha": 0.25 if n_classes == 2 else "balanced"}
    train, test = slice(0, 4000), slice(4000, None)
    clf = dask_class(**params).fit(_darr(X[train]), _darr(labels[train]),
                                   sample_weight=_darr(w[train]))
    ref = local_class(**params).fit(X[train], labels[train], sample_weight=w[train])

    dX_test = _darr(X[test])
    proba = clf.predict_proba(dX_test)
    assert isinstance(proba, da.Array)
    proba = proba.compute()
    expected = ref.predict_proba(X[test])
    np.testing.assert_array_equal(clf.classes_, ref.classes_)
    assert clf.n_classes_ == n_classes and clf.n_features_in_ == X.shape[1]
    # "balanced" from the row counts of every partition, as in memory
    np.testing.assert_allclose(clf.loss_.alpha, ref.loss_.alpha, rtol=1e-12)
    if n_classes == 2:
        auc, auc_ref = (roc_auc_score(y[test], p[:, 1]) for p in (proba, expected))
    else:
        auc, auc_ref = (roc_auc_score(y[test], p, multi_class="ovr") for p in (proba, expected))
    assert auc > 0.85 and abs(auc - auc_ref) < 0.01
    np.testing.assert_allclose(proba.mean(axis=0), expected.mean(axis=0), atol=0.02)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(clf.predict(dX_test).compute(),
                                  clf.classes_[proba.argmax(axis=1)])
    decision = clf.decision_function(dX_test).compute()  # the posterior's log-odds
    assert decision.shape == ((len(proba),) if n_classes == 2 else proba.shape)
    np.testing.assert_allclose(softmax(decision, axis=1) if n_classes > 2
                               else expit(decision), proba if n_classes > 2 else proba[:, 1])


@pytest.mark.parametrize(("dask_class", "local_class"), ENGINES, ids=ENGINE_IDS)
@pytest.mark.parametrize("n_classes", [2, 3])
def test_intercept_comes_from_all_rows_and_is_stored_in_the_model(
        client, dask_class, local_class, n_classes):
    # Rows sorted by label: the workers hold very different class mixes (with 3
    # classes one of them holds class 0 alone), so an intercept from one worker's
    # rows would be far from the focal-optimal constant.
    X, y = _data(n_classes, n=3000)
    order = np.argsort(y, kind="stable")
    X, y = X[order], y[order]
    w = np.linspace(0.5, 1.5, len(y))
    clf = dask_class(init_score="auto", learning_rate=1e-9, n_estimators=2).fit(
        _darr(X), _darr(y), sample_weight=_darr(w))
    expected = clf.loss_.init_score(y, w)
    if n_classes > 2 and dask_class is FocalDaskLGBMClassifier:  # as log-probabilities,
        expected = log_softmax(expected)  # where LightGBM's multiclass objective starts
    local = raw_margins(clf.to_local(), X[:5])  # the booster alone, no dask
    np.testing.assert_allclose(local, np.broadcast_to(expected, local.shape), atol=1e-5)
    one_worker = clf.loss_.init_score(y[:1500], w[:1500], n_classes=n_classes)
    assert np.max(np.abs(expected - one_worker)) > 0.5


def test_the_hold_out_is_a_share_of_each_partition_drawn_apart():
    from focal_boost.dask import _held_out

    assert abs(_held_out(100_000, 0, 3, 0.1).mean() - 0.1) < 0.005
    assert not np.array_equal(_held_out(500, 0, 0, 0.1), _held_out(500, 0, 1, 0.1))
    assert not _held_out(500, 0, 0, None).any()


@pytest.mark.parametrize("dask_class", [c for c, _ in ENGINES], ids=ENGINE_IDS)
@pytest.mark.parametrize("n_classes", [2, 3])
def test_with_a_hold_out_the_start_is_the_training_rows_and_alpha_all_rows(
        client, dask_class, n_classes):
    # the early-stopping hold-out: the focal-optimal start of the rows trained on (as in
    # memory), "balanced" alpha from every row of y (as in memory)
    from focal_boost.dask import _held_out

    X, y = _data(n_classes, n=3000)
    order = np.argsort(y, kind="stable")
    X, y = X[order], y[order]
    w = np.linspace(0.5, 1.5, len(y))
    clf = dask_class(init_score="auto", learning_rate=1e-9, n_estimators=3,
                     early_stopping_rounds=2, validation_fraction=0.3, random_state=0,
                     alpha="balanced").fit(_darr(X, 500), _darr(y, 500),
                                           sample_weight=_darr(w, 500))
    out = np.concatenate([_held_out(500, clf._split_seed(), i, 0.3) for i in range(6)])
    expected = clf.loss_.init_score(y[~out], w[~out], n_classes=n_classes)
    if n_classes > 2 and dask_class is FocalDaskLGBMClassifier:
        expected = log_softmax(expected)
    local = raw_margins(clf.to_local(), X[:5])
    np.testing.assert_allclose(local, np.broadcast_to(expected, local.shape), atol=1e-5)
    every_row = clf.loss_.init_score(y, w, n_classes=n_classes)
    assert np.max(np.abs(clf.loss_.init_score(y[~out], w[~out], n_classes=n_classes)
                         - every_row)) > 1e-3  # (the two differ here)
    in_memory = clf._local_class(alpha="balanced", n_estimators=1).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(clf.loss_.alpha, in_memory.loss_.alpha, rtol=1e-12)

def test_lightgbm_an_unweighted_eval_set_beside_a_weighted_one_is_scored(client):
    # (its rows weigh 1 each on the workers: weights of 0 made its focal loss NaN)
    X, y = _data(2, n=3000)
    w = np.random.default_rng(2).uniform(0.5, 2.0, len(y))
    Xv, yv, wv = X[2000:], y[2000:], w[2000:]
    params = {"n_estimators": 5, "random_state": 0}
    clf = FocalDaskLGBMClassifier(**params).fit(
        _darr(X[:2000]), _darr(y[:2000]), eval_set=[(_darr(Xv), _darr(yv))] * 2,
        eval_sample_weight=[_darr(wv), None])
    ref = FocalLGBMClassifier(**params).fit(X[:2000], y[:2000], eval_set=[(Xv, yv)] * 2,
                                            eval_sample_weight=[wv, None])
    for name in ("valid_0", "valid_1"):
        got = clf.evals_result_[name]["focal_loss"]
        assert np.isfinite(got).all()
        np.testing.assert_allclose(got, ref.evals_result_[name]["focal_loss"], atol=0.01)
    assert clf.evals_result_["valid_0"] != clf.evals_result_["valid_1"]

@pytest.mark.parametrize("dask_class", [c for c, _ in ENGINES], ids=ENGINE_IDS)
def test_a_first_round_early_stop_names_the_rows_held_out(client, dask_class):
    from focal_boost.dask import _held_out

    X, _ = _data(2, n=2000)
    noise = np.random.default_rng(0).integers(0, 2, len(X))  # stalls at once
    with pytest.warns(UserWarning, match="only the first iteration") as caught:
        clf = dask_class(n_estimators=50, learning_rate=0.5, early_stopping_rounds=3,
                         validation_fraction=0.2, random_state=0).fit(_darr(X, 500),
                                                                      _darr(noise, 500))
    out = np.concatenate([_held_out(500, clf._split_seed(), i, 0.2) for i in range(4)])
    message = next(str(w.message) for w in caught if "first iteration" in str(w.message))
    assert f"validation_fraction=0.2 has {out.sum()} rows" in message, message

def _frame(n_classes: int = 2, n: int = 4000, seed: int = 0, partitions: int = 4):
    X, y = _data(n_classes, n=n, seed=seed)
    df = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])
    # a categorical column that carries signal
    df["colour"] = pd.Categorical(np.where(y == 1, "red", np.where(X[:, 0] > 0, "green",
                                                                    "blue")))
    ddf = dd.from_pandas(df, npartitions=partitions)
    return df, y, ddf, dd.from_pandas(pd.Series(y), npartitions=partitions)


@pytest.mark.parametrize(("dask_class", "local_class"), ENGINES, ids=ENGINE_IDS)
def test_dataframe_categories_and_early_stopping_on_held_out_rows(
        client, dask_class, local_class):
    df, y, ddf, dy = _frame()
    extra = {"enable_categorical": True} if dask_class is FocalDaskXGBClassifier else {}
    clf = dask_class(n_estimators=400, learning_rate=0.3, early_stopping_rounds=5,
                     random_state=0, **extra).fit(ddf, dy)
    history = clf.evals_result_[set_name(clf)]["focal_loss"]
    assert clf.stopping_metric_ == "focal_loss"
    assert clf.best_iteration_ < 394 and len(history) == clf.best_iteration_ + 6
    assert clf.best_score_ == pytest.approx(min(history))
    np.testing.assert_array_equal(clf.feature_names_in_, df.columns)
    local = clf.to_local()
    assert type(local) is local_class
    booster_names = (local.booster_.feature_names if local_class is FocalXGBClassifier
                     else local.booster_.feature_name())
    assert booster_names == list(df.columns)
    proba = clf.predict_proba(ddf).compute()  # unknown chunk sizes, like dask's own
    np.testing.assert_allclose(proba, local.predict_proba(df), rtol=1e-12)
    assert roc_auc_score(y, proba[:, 1]) > 0.95
    # labels of a DataFrame: a Series on its index from XGBoost's (as DaskXGBClassifier),
    # an array from LightGBM's (as DaskLGBMClassifier)
    shifted = dd.from_pandas(df.set_axis(df.index + 1000), npartitions=ddf.npartitions)
    labels = clf.predict(shifted)
    if dask_class is FocalDaskXGBClassifier:
        assert isinstance(labels, dd.Series)
        labels = labels.compute()
        assert labels.index.tolist() == (df.index + 1000).tolist()
        shifted["label"] = clf.predict(shifted)  # aligned on the index
        np.testing.assert_array_equal(shifted["label"].compute(), local.predict(df))
    else:
        assert isinstance(labels, da.Array)
        labels = labels.compute()
    np.testing.assert_array_equal(np.asarray(labels), local.predict(df))


def test_xgboost_multiclass_labels_of_a_dataframe_are_an_array(client):
    # DaskXGBClassifier returns a Series for binary models only (an array for more classes)
    X, y = _data(3, n=600)
    ddf = dd.from_pandas(pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])]),
                         npartitions=2)
    clf = FocalDaskXGBClassifier(n_estimators=3).fit(ddf, dd.from_pandas(pd.Series(y),
                                                                         npartitions=2))
    labels = clf.predict(ddf)
    assert isinstance(labels, da.Array)
    np.testing.assert_array_equal(labels.compute(), clf.to_local().predict(X))


@pytest.mark.parametrize("dask_class", [c for c, _ in ENGINES], ids=ENGINE_IDS)
def test_every_worker_evaluates_the_whole_validation_set(client, dask_class):
    X, y = _data(2, n=3000)

    def n_rows(y_true, y_score):  # what one worker sees
        return float(len(y_true))

    kwargs = {"n_estimators": 3, "eval_metric": [n_rows, "average_precision"]}
    valid = (_darr(X[2000:], 250), _darr(y[2000:], 250))  # 4 partitions, 2 workers
    if dask_class is FocalDaskXGBClassifier:
        clf = dask_class(**kwargs).fit(_darr(X[:2000]), _darr(y[:2000]), eval_set=[valid])
    else:
        eval_metric = kwargs.pop("eval_metric")
        clf = dask_class(**kwargs).fit(_darr(X[:2000]), _darr(y[:2000]), eval_set=[valid],
                                       eval_metric=eval_metric)
    result = clf.evals_result_[set_name(clf)]
    # XGBoost averages a custom metric over the workers: every one had all 1000 rows
    assert result["n_rows"] == [1000.0] * 3
    proba = clf.to_local().predict_proba(X[2000:])[:, 1]
    assert result["average_precision"][-1] == pytest.approx(
        average_precision_score(y[2000:], proba), rel=1e-5)


@pytest.mark.parametrize("dask_class", [c for c, _ in ENGINES], ids=ENGINE_IDS)
def test_early_stopping_follows_a_maximised_metric(client, dask_class):
    # xgboost.dask.train has no `maximize`: a metric whose name XGBoost does not know
    # as maximised must still be maximised
    X, y = _data(2, n=3000, seed=3)
    kwargs = {"n_estimators": 200, "learning_rate": 0.5, "early_stopping_rounds": 3}
    fit = {"eval_set": [(_darr(X[2000:]), _darr(y[2000:]))]}
    if dask_class is FocalDaskXGBClassifier:
        kwargs["eval_metric"] = "average_precision"
    else:  # LightGBM stops on whichever metric stalls first, unless first_metric_only
        fit["eval_metric"] = "average_precision"
        kwargs["first_metric_only"] = True
    clf = dask_class(**kwargs).fit(_darr(X[:2000]), _darr(y[:2000]), **fit)
    history = clf.evals_result_[set_name(clf)]["average_precision"]
    assert clf.stopping_metric_ == "average_precision"
    assert clf.best_score_ == pytest.approx(max(history))
    assert len(history) == clf.best_iteration_ + 4 < 200


@pytest.mark.parametrize("dask_class", [c for c, _ in ENGINES], ids=ENGINE_IDS)
def test_fit_parameters_of_the_plain_dask_classifiers(client, dask_class):
    # DaskLGBMClassifier.fit names the evaluation sets (eval_names); DaskXGBClassifier.fit
    # spells the evaluation weights sample_weight_eval_set
    X, y = _data(2, n=1200, seed=4)
    weights = np.where(y[800:] == 1, 3.0, 1.0)
    valid = (_darr(X[800:]), _darr(y[800:]))
    if dask_class is FocalDaskLGBMClassifier:
        fit, key = {"eval_names": ["holdout"]}, "holdout"
    else:
        fit, key = {"sample_weight_eval_set": [_darr(weights)]}, "validation_0"
    clf = dask_class(n_estimators=5, early_stopping_rounds=2).fit(
        _darr(X[:800]), _darr(y[:800]), eval_set=[valid], **fit)
    assert list(clf.evals_result_) == [key]
    assert clf.best_score_ == clf.evals_result_[key]["focal_loss"][clf.best_iteration_]
    if dask_class is FocalDaskXGBClassifier:
        same = dask_class(n_estimators=5, early_stopping_rounds=2).fit(
            _darr(X[:800]), _darr(y[:800]), eval_set=[valid],
            eval_sample_weight=[_darr(weights)])
        assert same.evals_result_ == clf.evals_result_


@pytest.mark.parametrize(("dask_class", "local_class"), ENGINES, ids=ENGINE_IDS)
def test_pickle_and_to_local_keep_the_model(client, dask_class, local_class):
    X, y = _data(3, n=2000)
    clf = dask_class(n_estimators=10, client=client).fit(_darr(X), _darr(y))
    restored = pickle.loads(pickle.dumps(clf))
    assert clf.client is client and restored.client is None  # None: the default client
    dX = _darr(X[:500], 100)
    np.testing.assert_array_equal(restored.predict_proba(dX).compute(),
                                  clf.predict_proba(dX).compute())
    copy = clone(clf)  # shares the client
    assert copy.get_params() == clf.get_params() and copy.client is client
    local = clf.to_local()
    assert type(local) is local_class and local.booster_ is clf.booster_
    assert local.get_params() == {k: v for k, v in clf.get_params().items() if k != "client"}
    np.testing.assert_allclose(local.predict_proba(X[:500]), clf.predict_proba(dX).compute(),
                               rtol=1e-12)
    assert pickle.loads(pickle.dumps(local)).predict(X[:5]).shape == (5,)


def test_xgboost_base_score_is_the_global_intercept(client):
    X, y = _data(2, n=2000)
    clf = FocalDaskXGBClassifier(init_score="auto", n_estimators=2).fit(_darr(X), _darr(y))
    config = json.loads(clf.booster_.save_config())
    base_score = config["learner"]["learner_model_param"]["base_score"]
    assert float(base_score.strip("[]")) == pytest.approx(clf.loss_.init_score(y), rel=1e-6)


@pytest.mark.parametrize("dask_class", [c for c, _ in ENGINES], ids=ENGINE_IDS)
def test_one_class_fits_as_in_memory(client, dask_class):
    # a y of one class: a binary model of it and a class never seen, as the in-memory
    # estimators (and LGBMClassifier) fit it; it was refused
    X, _ = _data(2, n=400)
    y = np.full(400, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # the constant is the model
        warnings.filterwarnings("ignore", "Parameter n_jobs will be ignored")  # LightGBM's
        model = dask_class(n_estimators=5).fit(_darr(X, 100), _darr(y, 100))
        # early stopping at the constant's first round is no news either (no warning)
        dask_class(n_estimators=5, early_stopping_rounds=2).fit(_darr(X, 100), _darr(y, 100))
    local = model._local_class(n_estimators=5).fit(X, y)
    assert model.classes_.tolist() == [3] and model.n_classes_ == 1
    lazy = model.predict_proba(_darr(X, 100))
    assert lazy.shape == (400, 2)  # (declared as computed: column 1 can be taken lazily)
    np.testing.assert_array_equal(lazy[:, 1].compute(), lazy.compute()[:, 1])
    proba = lazy.compute()
    assert proba.shape == (400, 2)
    np.testing.assert_allclose(proba, local.predict_proba(X), rtol=1e-12)
    assert (model.predict(_darr(X, 100)).compute() == 3).all()
    assert model.decision_function(_darr(X, 100)).compute().shape == (400,)


@pytest.mark.parametrize("dask_class", [c for c, _ in ENGINES], ids=ENGINE_IDS)
def test_one_class_model_scores_one_other_eval_label_as_in_memory(client, dask_class):
    # the other label is the class never seen, as in memory (it was refused)
    X, _ = _data(2, n=400)
    y = np.full(400, 3)
    yv = np.where(np.arange(400) % 3 == 0, 1, 3)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Parameter n_jobs will be ignored")  # LightGBM's
        model = dask_class(n_estimators=3).fit(_darr(X, 100), _darr(y, 100),
                                               eval_set=[(_darr(X, 100), _darr(yv, 100))])
    local = model._local_class(n_estimators=3).fit(X, y, eval_set=[(X, yv)])
    history = model.evals_result_[set_name(model)]["focal_loss"]
    assert history[0] > 1  # (the rows of label 1 count as the class never seen)
    np.testing.assert_allclose(history, local.evals_result_[set_name(local)]["focal_loss"],
                               rtol=1e-6)
    two_others = np.where(yv == 3, 2, yv)
    with pytest.raises(ValueError, match=r"eval_set\[0\] has labels not seen in y: \[1, 2\] "
                                         r"\(a model of one class scores one other label"):
        dask_class(n_estimators=3).fit(_darr(X, 100), _darr(y, 100),
                                       eval_set=[(_darr(X, 100), _darr(two_others, 100))])


@pytest.mark.parametrize("dask_class", [c for c, _ in ENGINES], ids=ENGINE_IDS)
def test_bad_input_is_refused_clearly(client, dask_class):
    X, y = _data(2, n=400)
    with pytest.raises(TypeError, match=r"X must be a dask array or dask DataFrame.*"
                                        r"to_local\(\) gives a fitted one"):
        dask_class().fit(X, y)
    labels = np.eye(3, dtype=int)[y]  # multi-label, as an array and as a DataFrame
    with pytest.raises(ValueError, match=r"y must be 1-D, got 3 columns: a multi-label"):
        dask_class().fit(_darr(X, 100), _darr(labels, 100))
    with pytest.raises(ValueError, match=r"y must be 1-D, got 3 columns: a multi-label"):
        dask_class().fit(_darr(X, 100), dd.from_pandas(pd.DataFrame(labels), npartitions=2))
    # an evaluation set's label matrix, y 1-D: no advice about a multi-label y
    with pytest.raises(ValueError, match=r"^eval_set\[0\]\[1\] must be 1-D, got 3 columns$"):
        dask_class().fit(_darr(X, 100), _darr(y, 100),
                         eval_set=[(_darr(X, 100), _darr(labels, 100))])
    with pytest.raises(ValueError, match=r"eval_set\[0\] has labels not seen in y: \[7\]"):
        dask_class().fit(_darr(X, 100), _darr(y, 100),
                         eval_set=[(_darr(X, 100), _darr(np.full(400, 7), 100))])
    with pytest.raises(ValueError, match=r"'validation_fraction' parameter of FocalDask\w+ "
                                         r"must be a float in the range \(0\.0, 1\.0\)"):
        dask_class(early_stopping_rounds=2, validation_fraction=1.5).fit(_darr(X, 100),
                                                                          _darr(y, 100))
    with pytest.raises(ValueError, match="'client' parameter of FocalDask.* implementing"):
        dask_class(client="tcp://127.0.0.1:8786").fit(_darr(X, 100), _darr(y, 100))
    closed = Client(client.scheduler.address, set_as_default=False)
    closed.close()  # (it was "'NoneType' object has no attribute 'ncores'")
    with pytest.raises(ValueError, match=r"the client of this FocalDask\w+ is closed"):
        dask_class(client=closed).fit(_darr(X, 100), _darr(y, 100))
    with pytest.raises(ValueError, match="sample_weight must be finite and >= 0"):
        dask_class().fit(_darr(X, 100), _darr(y, 100), sample_weight=_darr(-np.ones(400), 100))
    # finite in float64, infinite in the float32 the libraries hold
    with pytest.raises(ValueError, match=r"^sample_weight must be finite and >= 0 in float32, "
                                         r"as both libraries hold weights \(at most 3\.4e38\)$"):
        dask_class().fit(_darr(X, 100), _darr(y, 100), sample_weight=_darr(np.full(400, 1e39), 100))
    with pytest.raises(ValueError, match="same number of row partitions, got 2, 3 and 2"):
        dask_class().fit(dd.from_pandas(pd.DataFrame(X), npartitions=2),
                         dd.from_pandas(pd.Series(y), npartitions=3),
                         sample_weight=dd.from_pandas(pd.Series(np.ones(400)), npartitions=2))
    # without weights, none is named (it named sample_weight, with X's count)
    with pytest.raises(ValueError, match="X and y must have the same number of row "
                                         "partitions, got 2 and 3: "):
        dask_class().fit(dd.from_pandas(pd.DataFrame(X), npartitions=2),
                         dd.from_pandas(pd.Series(y), npartitions=3))
    with pytest.raises(ValueError, match=r"X and y have partitions of different lengths "
                                         r"\(200, 190 rows\)"):
        dask_class().fit(dd.from_pandas(pd.DataFrame(X), npartitions=2).to_dask_array(),
                         _darr(y[:380], 190))
    df = dd.from_pandas(pd.DataFrame({"a": X[:, 0], "c": pd.Categorical(y)}), npartitions=2)
    df["c"] = df["c"].cat.as_unknown()
    with pytest.raises(ValueError, match=r"unknown categories: \['c'\].*categorize"):
        dask_class().fit(df, dd.from_pandas(pd.Series(y), npartitions=2))


@pytest.mark.parametrize("dask_class", [FocalDaskXGBClassifier, FocalDaskLGBMClassifier])
def test_predict_takes_categories_unknown_to_dask(client, dask_class):
    # dd.read_parquet gives category columns whose categories dask does not know:
    # DaskXGBClassifier and DaskLGBMClassifier predict on them; ours refused them as at
    # fit (where the partitions must number the categories alike). Each partition has
    # its own categories here (sorted rows), matched by value as in memory.
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=400),
                          "s": rng.choice(["red", "green", "blue"], 400)})
    y = (frame["a"] + (frame["s"] == "red") > 0.5).astype(int)
    known = dd.from_pandas(frame.astype({"s": "category"}), npartitions=2)
    kw = {"enable_categorical": True} if dask_class is FocalDaskXGBClassifier else {}
    model = dask_class(n_estimators=5, **kw).fit(known, dd.from_pandas(y, npartitions=2))
    rows = frame.sort_values("s", ignore_index=True)
    unknown = dd.from_pandas(rows, npartitions=3).astype({"s": "category"})
    assert not unknown["s"].cat.known
    expected = model.to_local().predict_proba(rows.astype({"s": "category"}))
    np.testing.assert_array_equal(model.predict_proba(unknown).compute(), expected)
    np.testing.assert_array_equal(np.asarray(model.predict(unknown).compute()),
                                  expected.argmax(axis=1))


def _frames_categorized_apart(second_levels: list[str]):
    """Two frames of 600 rows whose category column k holds the levels lo, mid, hi,
    categorized apart (the first as mid, hi, lo; the second as ``second_levels``), and
    the labels of all rows (k == "mid")."""
    rng = np.random.default_rng(0)
    k = rng.choice(["lo", "mid", "hi"], 1200)
    frames = [pd.DataFrame({"b": rng.normal(size=600), "k": pd.Categorical(
        k[rows], categories=levels)}, index=range(rows.start, rows.stop))
        for rows, levels in ((slice(0, 600), ["mid", "hi", "lo"]),
                             (slice(600, 1200), second_levels))]
    return frames, pd.Series((k == "mid").astype(int))


@pytest.mark.parametrize("dask_class", [FocalDaskXGBClassifier, FocalDaskLGBMClassifier])
def test_partitions_that_order_the_known_categories_otherwise_train_by_value(client,
                                                                            dask_class):
    # dd.concat of frames categorized apart: dask knows the categories (the first
    # frame's order), each partition keeps its own; the codes of one level stood for
    # another in the second partition (accuracy 0.69 where the label is one level;
    # DaskXGBClassifier alike), or, with fewer levels there, XGBoost failed on the workers
    frames, y = _frames_categorized_apart(["lo", "mid", "hi"])
    X = dd.concat([dd.from_pandas(frame, npartitions=1) for frame in frames])
    assert X["k"].cat.known
    labels = dd.from_pandas(y, npartitions=2)
    kw = {"enable_categorical": True} if dask_class is FocalDaskXGBClassifier else {}
    model = dask_class(n_estimators=20, max_depth=2, **kw).fit(X, labels)
    whole = pd.concat(frames).astype({"k": pd.CategoricalDtype(["mid", "hi", "lo"])})
    assert (model.to_local().predict(whole) == y).all()
    # a level the collection's dtype lacks is refused by name
    import dask

    frames[1]["k"] = frames[1]["k"].cat.rename_categories({"lo": "low"})
    odd = dd.from_delayed([dask.delayed(frame) for frame in frames],  # (a meta that
                          meta=frames[0].iloc[:0], verify_meta=False)  # declares too few)
    with pytest.raises(ValueError, match=r"X holds, in column 'k', categories its dtype "
                                         r"lacks \('low'\)"):
        dask_class(n_estimators=2, **kw).fit(odd, labels)


@pytest.mark.parametrize("dask_class", [FocalDaskXGBClassifier, FocalDaskLGBMClassifier])
def test_a_partition_level_its_dtype_lacks_is_refused_only_where_rows_hold_it(client,
                                                                             dask_class):
    # a level the collection's dtype lacks that no row of the partition holds is dropped
    # (the rows train as the same levels); one rows hold is refused, named by the set
    import dask

    frames, y = _frames_categorized_apart(["lo", "mid", "hi", "unused"])
    X = dd.from_delayed([dask.delayed(frame) for frame in frames],
                        meta=frames[0].iloc[:0], verify_meta=False)
    labels = dd.from_pandas(y, npartitions=2)
    kw = {"enable_categorical": True} if dask_class is FocalDaskXGBClassifier else {}
    model = dask_class(n_estimators=20, max_depth=2, **kw).fit(X, labels)
    whole = pd.concat(frames).astype({"k": pd.CategoricalDtype(["mid", "hi", "lo"])})
    assert (model.to_local().predict(whole) == y).all()
    held = frames[1].assign(k=frames[1]["k"].cat.rename_categories({"lo": "low"}))
    odd = dd.from_delayed([dask.delayed(frame) for frame in (frames[0], held)],
                          meta=frames[0].iloc[:0], verify_meta=False)
    with pytest.raises(ValueError, match=r"^eval_set\[0\]\[0\] holds, in column 'k', "
                                         r"categories its dtype lacks \('low'\)"):
        dask_class(n_estimators=2, **kw).fit(X, labels, eval_set=[(odd, labels)])


def _eval_rows_of_unknown_categories(unseen: bool = False):
    """600 training rows whose category column s dask knows (``X.categorize()``: its
    levels blue, green, red of pandas' "string" dtype), as a dask DataFrame, their
    labels, and 300 evaluation rows with their labels (pandas), s a column of strings
    (``unseen``: 10 rows of it "orange"), sorted by s after the first 100."""
    rng = np.random.default_rng(0)

    def rows(n):
        frame = pd.DataFrame({"a": rng.normal(size=n),
                              "s": rng.choice(["red", "green", "blue"], n)})
        noise = rng.normal(scale=0.5, size=n)
        return frame, ((frame["a"] + (frame["s"] == "red") + noise) > 0.5).astype(int)

    (train, y), (valid, y_valid) = rows(600), rows(300)
    if unseen:
        valid.loc[:9, "s"] = "orange"
    order = np.r_[:100, 100 + np.argsort(valid["s"].to_numpy()[100:], kind="stable")]
    X = dd.from_pandas(train, npartitions=2).categorize(columns=["s"])
    return (X, y, valid.iloc[order].reset_index(drop=True),
            y_valid.iloc[order].reset_index(drop=True))


def _unknown(frame):
    """``frame`` in 3 partitions of 100 rows, its column s of categories dask does not
    know, each partition categorized apart, as dd.read_parquet gives files written
    apart: of pandas' "str" levels, those its rows hold (the first partition's, the
    training data's levels of another dtype; the others' fewer, coded otherwise)."""
    import dask

    parts = [dask.delayed(frame.iloc[start:start + 100].astype({"s": "category"}))
             for start in (0, 100, 200)]
    unknown = dd.from_delayed(parts, meta=frame.iloc[:0].astype({"s": "category"}),
                              verify_meta=False)
    unknown["s"] = unknown["s"].cat.as_unknown()
    return unknown


@pytest.mark.parametrize("dask_class,local_class", ENGINES, ids=ENGINE_IDS)
def test_an_eval_set_of_unknown_categories_is_coded_by_the_training_levels(
        client, dask_class, local_class):
    # a validation set read with dd.read_parquet: refused ("call categorize()"), where
    # DaskXGBClassifier evaluates on it; each partition is coded by the training data's
    # levels, matched by value: scored as the set categorized and as in memory (LightGBM
    # failed on partitions of levels of two dtypes, "categorical_feature do not match")
    X, y, valid, y_valid = _eval_rows_of_unknown_categories()
    kw = {"enable_categorical": True} if dask_class is FocalDaskXGBClassifier else {}
    unknown = _unknown(valid)
    categorized = unknown.categorize(columns=["s"])
    labels = dd.from_pandas(y_valid, npartitions=3)
    local = local_class(n_estimators=5, max_depth=2, **kw).fit(
        X.compute(), y, eval_set=[(valid.astype({"s": "category"}), y_valid)])
    with (LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                       dashboard_address=None) as cluster, Client(cluster) as own):
        for fit_client in (own, client):  # one worker (as in memory), then two
            model = dask_class(client=fit_client, n_estimators=5, max_depth=2, **kw).fit(
                X, dd.from_pandas(y, npartitions=2),
                eval_set=[(unknown, labels), (categorized, labels)])
            result = model.evals_result_
            assert result[set_name(model)] == result[set_name(model, 1)]
            if fit_client is own:
                assert result[set_name(model)] == local.evals_result_[set_name(local)]


@pytest.mark.parametrize("dask_class,local_class", ENGINES, ids=ENGINE_IDS)
def test_an_unseen_level_of_an_eval_set_of_unknown_categories_as_in_memory(
        client, dask_class, local_class):
    # XGBoost's estimator refuses an evaluation set's level the training data lacks,
    # by name; LightGBM's evaluates it as missing (LightGBM sets the training levels)
    X, y, valid, y_valid = _eval_rows_of_unknown_categories(unseen=True)
    labels = dd.from_pandas(y_valid, npartitions=3)
    train, dy = X.compute(), dd.from_pandas(y, npartitions=2)
    eval_set = [(valid.astype({"s": "category"}), y_valid)]
    if dask_class is FocalDaskXGBClassifier:
        message = (r"^eval_set\[0\]'s X holds, in column 's', categories the model was "
                   r"not trained on \('orange'\), which XGBoost cannot score")
        with pytest.raises(ValueError, match=message):
            local_class(n_estimators=2, enable_categorical=True).fit(train, y,
                                                                     eval_set=eval_set)
        with pytest.raises(ValueError, match=message):
            dask_class(n_estimators=2, enable_categorical=True).fit(
                X, dy, eval_set=[(_unknown(valid), labels)])
        return
    local = local_class(n_estimators=5, max_depth=2).fit(train, y, eval_set=eval_set)
    missing = valid.assign(s=valid["s"].where(valid["s"] != "orange"))
    sets = [(_unknown(valid), labels), (_unknown(missing), labels)]
    with (LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                       dashboard_address=None) as cluster, Client(cluster) as own):
        for fit_client in (own, client):
            model = dask_class(client=fit_client, n_estimators=5, max_depth=2).fit(
                X, dy, eval_set=sets)
            result = model.evals_result_
            assert result["valid_0"] == result["valid_1"]
            if fit_client is own:
                assert result["valid_0"] == local.evals_result_["valid_0"]


@pytest.mark.parametrize("dask_class", [FocalDaskXGBClassifier, FocalDaskLGBMClassifier])
def test_prediction_options_take_categories_unknown_to_dask_or_unused(client, dask_class):
    # with options the output's shape comes from one row like X's: dask's stand-in
    # category ('__UNKNOWN_CATEGORIES__', or a declared level no row holds) in it was
    # refused as unseen by XGBoost's estimator, and apply() always failed so;
    # DaskXGBClassifier predicts on them
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=400), "i": rng.integers(0, 3, 400),
                          "s": pd.Categorical(rng.choice(["red", "green", "blue"], 400))})
    y = (frame["a"] + (frame["s"] == "red") > 0.5).astype(int)
    model = dask_class(n_estimators=5).fit(dd.from_pandas(frame, npartitions=2),
                                           dd.from_pandas(y, npartitions=2))
    local = model.to_local()
    unused = frame.assign(s=frame["s"].cat.set_categories(["aaa", "blue", "green", "red"]))
    unknown = dd.from_pandas(frame.astype({"s": str}), npartitions=2).astype({"s": "category"})
    assert not unknown["s"].cat.known
    calls = ([("predict_proba", {"iteration_range": (0, 2)}),
              ("predict", {"output_margin": True}), ("apply", {})]
             if dask_class is FocalDaskXGBClassifier else
             [("predict", {"raw_score": True}), ("predict", {"pred_leaf": True})])
    for X in (dd.from_pandas(unused, npartitions=2), unknown):
        for method, options in calls:
            np.testing.assert_array_equal(
                np.asarray(getattr(model, method)(X, **options).compute()),
                getattr(local, method)(frame, **options))


def test_xgboost_predict_refuses_unseen_categories_as_in_memory(client):
    # the training data's levels reach the workers' in-memory estimators: an unseen
    # level that XGBoost 3.2 scores as the next training level ("orange" as "red") is
    # refused in a partition, as in memory
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=400),
                          "s": pd.Categorical(rng.choice(["red", "green", "blue"], 400))})
    y = (frame["a"] + (frame["s"] == "red") > 0.5).astype(int)
    model = FocalDaskXGBClassifier(n_estimators=5).fit(
        dd.from_pandas(frame, npartitions=2), dd.from_pandas(y, npartitions=2))
    rows = frame[:4].assign(s=pd.Categorical(["orange", "red", "red", "blue"]))
    with pytest.raises(ValueError, match=r"^X holds, in column 's', categories the model "
                                         r"was not trained on \('orange'\)"):
        model.predict_proba(dd.from_pandas(rows, npartitions=2)).compute()
    seen = rows.assign(s=rows["s"].cat.set_categories(["blue", "green", "orange", "red"]))
    seen.loc[0, "s"] = "green"
    np.testing.assert_array_equal(
        model.predict_proba(dd.from_pandas(seen, npartitions=2)).compute(),
        model.to_local().predict_proba(seen))


def test_lightgbm_random_forest_is_refused(client):
    X, y = _data(2, n=400)
    with pytest.raises(ValueError, match="does not take boosting='rf'"):
        FocalDaskLGBMClassifier(boosting="rf", subsample=0.5, subsample_freq=1).fit(
            _darr(X, 100), _darr(y, 100))


def test_lightgbm_monotone_constraint_on_a_category_is_refused_before_the_workers(client):
    # LightGBM aborts a worker that builds such a Dataset alone (the nanny restarts it
    # and the fit waited; spread over workers, it trains without a word):
    # refused from the frame's dtypes first, as in memory. (The fit runs in a daemon
    # thread, whose join bounds the wait where a regression would hang.)
    import threading

    _, _, ddf, dy = _frame(n=400, partitions=1)
    n_numeric = ddf.shape[1] - 1
    model = FocalDaskLGBMClassifier(n_estimators=3,
                                    monotone_constraints=[0] * n_numeric + [1])
    outcome: list = []

    def fit():
        try:
            model.fit(ddf, dy)
            outcome.append("fitted")
        except ValueError as error:
            outcome.append(str(error))

    thread = threading.Thread(target=fit, daemon=True)
    thread.start()
    thread.join(timeout=120)
    assert outcome and outcome[0].startswith(
        "monotone_constraints constrains categorical feature(s) ['colour']"), outcome
    # a constraint on a numeric column beside it trains
    model.set_params(monotone_constraints=[1] + [0] * n_numeric).fit(ddf, dy)
    assert model.predict_proba(ddf).compute().shape == (400, 2)


def test_lightgbm_interaction_constraints_out_of_range_are_refused(client):
    # LightGBM reads past its arrays on such an index (a worker may crash): refused
    # from the collection's columns, a frame's and an array's alike
    _, _, ddf, dy = _frame(n=400, partitions=2)
    for X in (ddf, ddf.drop(columns="colour").to_dask_array(lengths=True)):
        width = X.shape[1]
        model = FocalDaskLGBMClassifier(n_estimators=3, interaction_constraints=[[0, width]])
        with pytest.raises(ValueError, match=rf"names feature index\(es\) \[{width}\], but "
                                             rf"the data has {width} feature\(s\)"):
            model.fit(X, dy)


def test_lightgbm_interaction_constraints_train_on_one_worker_only(client):
    # LightGBM's distributed learners fail with them (std::bad_alloc, or the worker
    # crashes, DaskLGBMClassifier alike): refused where the rows lie on several
    # workers, trained where they lie on one
    X, y = _data(2, n=400)
    first, second = list(client.scheduler_info()["workers"])[:2]

    def placed(a, workers):  # half the rows on each of ``workers``; one: in one block
        if len(workers) == 1:
            return client.persist(da.from_array(a), workers=workers)
        return da.concatenate([client.persist(da.from_array(a[:200]), workers=[workers[0]]),
                               client.persist(da.from_array(a[200:]), workers=[workers[1]])])

    model = FocalDaskLGBMClassifier(n_estimators=3, interaction_constraints=[[0, 1], [2, 3]])
    with pytest.raises(ValueError, match=r"^interaction_constraints: LightGBM's distributed "
                                         r"training fails with them .* the training rows lie "
                                         r"on 2 workers; fit FocalLGBMClassifier"):
        model.fit(placed(X, [first, second]), placed(y, [first, second]))
    model.fit(placed(X, [first]), placed(y, [first]))
    assert model.predict_proba(da.from_array(X)).compute().shape == (400, 2)
    # where no constraint names them, features 4 to 7 are never used
    assert set(np.flatnonzero(model.booster_.feature_importance())) <= {0, 1, 2, 3}


def test_lightgbm_boosted_model_predicts_by_its_kind(client):
    # a boosted model's first trees are its prediction at that round, whatever
    # boosting_type was set since (as DaskLGBMClassifier); to_local lost what it was
    X, y = _data(2, n=400)
    clf = FocalDaskLGBMClassifier(n_estimators=10).fit(_darr(X, 100), _darr(y, 100))
    clf.set_params(boosting_type="rf")
    expected = clf.to_local().set_params(boosting_type="gbdt").predict_proba(X, num_iteration=3)
    np.testing.assert_array_equal(
        clf.predict_proba(_darr(X, 100), num_iteration=3).compute(), expected)
    np.testing.assert_array_equal(clf.to_local().predict_proba(X, num_iteration=3), expected)



def test_selecting_every_row_of_a_partition_copies_no_features():
    # Without a hold-out every training row is kept: the worker's features are used as
    # they are (a boolean index would copy them all); with one, the rows are split.
    from sklearn.preprocessing import LabelEncoder

    from focal_boost import dask as fdask

    X = np.arange(40.0).reshape(20, 2)
    y = np.array(["a", "b"] * 10)
    w = np.linspace(0.5, 1.5, 20)
    part = {"X": X, "y": y, "w": w}
    select = {"encoder": LabelEncoder().fit(["a", "b"]), "seed": 3}
    kept = fdask._select(part, 0, fraction=None, held_out=False, **select)
    assert kept["X"] is X and kept["w"] is w
    np.testing.assert_array_equal(kept["y"], [0, 1] * 10)
    train = fdask._select(part, 0, fraction=0.3, held_out=False, **select)
    valid = fdask._select(part, 0, fraction=0.3, held_out=True, **select)
    assert len(train["y"]) + len(valid["y"]) == 20 and 0 < len(valid["y"]) < 20
    np.testing.assert_array_equal(np.sort(np.concatenate([train["X"][:, 0], valid["X"][:, 0]])),
                                  X[:, 0])
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(X, columns=["p", "q"])
    assert fdask._select({**part, "X": frame}, 0, fraction=None, held_out=False,
                         **select)["X"] is frame


def test_training_collections_declare_the_labels_they_hold(client):
    # the encoded labels are float32 (as the libraries keep them); the dask
    # collections built on the selected partitions say so in their metadata
    from sklearn.preprocessing import LabelEncoder

    from focal_boost import dask as fdask

    part = {"X": np.ones((4, 2)), "y": np.array(["a", "b", "b", "a"]), "w": None}
    selected = client.submit(fdask._select, part, 0, encoder=LabelEncoder().fit(["a", "b"]),
                             seed=0, fraction=None, held_out=False)
    X, y, w = fdask._collections([selected], [4], np.empty((0, 2)), weighted=False)
    labels = y.compute()
    assert y.dtype == labels.dtype == np.float32
    np.testing.assert_array_equal(labels, [0, 1, 1, 0])
    assert w is None and X.shape == (4, 2)
    # and the weights float32, as the in-memory estimators hold them
    part = fdask._part(np.ones((4, 2)), np.zeros(4), np.arange(4.0))
    selected = client.submit(fdask._select, {**part, "y": np.array(["a", "b", "b", "a"])}, 0,
                             encoder=LabelEncoder().fit(["a", "b"]), seed=0, fraction=None,
                             held_out=False)
    _, _, w = fdask._collections([selected], [4], np.empty((0, 2)), weighted=True)
    weights = w.compute()
    assert w.dtype == weights.dtype == np.float32
    np.testing.assert_array_equal(weights, [0, 1, 2, 3])


def test_joining_one_partition_copies_nothing():
    # a worker holding one partition (data repartitioned to the workers) keeps it as it is
    from focal_boost import dask as fdask

    part = {"X": np.ones((4, 2)), "y": np.zeros(4, np.float32), "w": None}
    assert fdask._concat(part) is part
    joined = fdask._concat(part, {"X": np.zeros((2, 2)), "y": np.ones(2, np.float32),
                                  "w": None})
    assert joined["X"].shape == (6, 2) and joined["y"].tolist() == [0] * 4 + [1] * 2


@pytest.mark.parametrize("dask_class", [c for c, _ in ENGINES], ids=ENGINE_IDS)
def test_score_on_dataframes_and_missing_labels(client, dask_class):
    # score on a dask DataFrame and Series (predictions of unknown chunk sizes) as
    # DaskXGBClassifier scores them; a missing label is named, not a TypeError of pd.NA
    df, y, ddf, dy = _frame(n=1200, partitions=3)
    categorical = {"enable_categorical": True} if dask_class is FocalDaskXGBClassifier else {}
    model = dask_class(n_estimators=5, **categorical).fit(ddf, dy)
    expected = float(np.mean(model.to_local().predict(df) == y))
    assert model.score(ddf, dy) == pytest.approx(expected)
    labels = pd.Series(np.where(y == 1, "p", "n"), dtype=object)
    labels[[4, 9]] = None
    with pytest.raises(ValueError, match=r"missing label"):
        dask_class(n_estimators=2, **categorical).fit(ddf, dd.from_pandas(labels,
                                                                         npartitions=3))


@pytest.mark.parametrize("dask_class", [c for c, _ in ENGINES], ids=ENGINE_IDS)
def test_empty_partitions_are_trained_around(client, dask_class):
    # a filter that empties a partition, as DaskXGBClassifier takes it; and tiny
    # partitions that the early-stopping hold-out leaves without training rows
    df, y, ddf, dy = _frame(n=1200, partitions=4)
    keep = lambda part: part[(part.index < 300) | (part.index >= 600)]  # noqa: E731
    categorical = {"enable_categorical": True} if dask_class is FocalDaskXGBClassifier else {}
    ddf, dy = ddf.map_partitions(keep), dy.map_partitions(keep)
    assert 0 in ddf.map_partitions(len).compute().tolist()
    model = dask_class(n_estimators=5, **categorical).fit(ddf, dy)
    kept = df.index.to_numpy() < 300
    kept |= df.index.to_numpy() >= 600
    np.testing.assert_allclose(model.predict_proba(ddf).compute(),
                               model.to_local().predict_proba(df[kept]), rtol=1e-12)

    X, y = _data(2, n=600)
    chunks = ((2,) * 50 + (500,),)
    model = dask_class(n_estimators=20, early_stopping_rounds=3, validation_fraction=0.5,
                       random_state=0).fit(da.from_array(X, chunks=(*chunks, 8)),
                                           da.from_array(y, chunks=chunks))
    assert roc_auc_score(y, model.predict_proba(_darr(X))[:, 1].compute()) > 0.8


@pytest.mark.filterwarnings("ignore:X has feature names")  # (a frame of the array's rows)
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("dask_class", [c for c, _ in ENGINES], ids=ENGINE_IDS)
def test_prediction_options_as_the_plain_dask_classifiers_take_them(client, dask_class,
                                                                     n_classes):
    # DaskXGBClassifier / DaskLGBMClassifier take the libraries' prediction options
    # (margins, a range of rounds, leaves, contributions); ours refused them all
    # (TypeError), and apply brought X to the client to return a numpy array
    X, y = _data(n_classes, n=1200, seed=7)
    clf = dask_class(n_estimators=6).fit(_darr(X, 400), _darr(y, 400))
    local = clf.to_local()
    if dask_class is FocalDaskXGBClassifier:
        calls = [("predict", {"output_margin": True}),
                 ("predict_proba", {"iteration_range": (0, 3)}),
                 ("decision_function", {"iteration_range": (0, 2)}),
                 ("apply", {}), ("apply", {"iteration_range": (0, 2)})]
    else:
        calls = [("predict", {"pred_contrib": True}), ("predict", {"pred_leaf": True}),
                 ("predict_proba", {"raw_score": True}),
                 ("predict_proba", {"num_iteration": 2}),
                 ("predict_proba", {"num_threads": 1})]  # a LightGBM parameter, as there
    frame = dd.from_pandas(pd.DataFrame(X), npartitions=3)
    for method, options in calls:
        expected = getattr(local, method)(X, **options)
        for data in (_darr(X, 500), frame):
            got = getattr(clf, method)(data, **options)
            assert hasattr(got, "dask")  # lazy, computed on the workers
            np.testing.assert_allclose(np.asarray(got.compute()), expected, rtol=1e-12)
    # by position too, as the plain Dask classifiers' predict_proba takes them
    position = (False, None, (0, 3)) if dask_class is FocalDaskXGBClassifier else (True, 2)
    np.testing.assert_allclose(clf.predict_proba(_darr(X, 500), *position).compute(),
                               local.predict_proba(X, *position), rtol=1e-12)
    method = "predict_proba" if dask_class is FocalDaskXGBClassifier else "decision_function"
    with pytest.raises(TypeError, match=f"^{dask_class.__name__}.{method} got "
                                        "unexpected keyword"):  # named as called
        getattr(clf, method)(_darr(X, 500), raw_score=True)


def test_xgboost_metrics_are_logged_at_full_precision(client):
    # XGBoost writes a custom metric's values with six decimals: a log-loss near 3e-05
    # was logged as ties, and early stopping ended the fit while the loss still fell
    rng = np.random.default_rng(0)
    X = rng.choice([-1.0, 1.0], size=(2000, 1))
    y = (X[:, 0] > 0).astype(int)
    clf = FocalDaskXGBClassifier(gamma=0, n_estimators=150, min_child_weight=0,
                                 early_stopping_rounds=5).fit(
        _darr(X[:1000], 500), _darr(y[:1000], 500),
        eval_set=[(_darr(X[1000:], 500), _darr(y[1000:], 500))])
    log = np.array(clf.evals_result_["validation_0"]["focal_loss"])
    assert clf.best_iteration_ == 149 and log[-1] < 1e-3
    assert np.all(np.diff(log) < 0) and np.any(log != np.round(log, 6))


def test_lightgbm_dask_gets_each_parameter_under_one_spelling():
    # lightgbm.dask's regressor hands on its own defaults (min_child_samples=20, ...):
    # ours under LightGBM's main names (min_data_in_leaf) reached LightGBM beside them,
    # which printed a warning for every pair, on every worker (28 lines at verbose=0)
    from focal_boost import lightgbm as flgb

    estimator = FocalLGBMClassifier(n_jobs=1, random_state=3, subsample=0.5,
                                    subsample_freq=1, min_child_samples=7, reg_lambda=2.0)
    run = flgb.prepare(estimator._lightgbm_params(), focal_loss(2.0), 10,
                       y_true=np.arange(2), sample_weight=np.array([3.0, 1.0]))
    handed_on = lgb.LGBMRegressor(**run.estimator_params()).get_params()
    spellings: dict[str, list[str]] = {}
    for key in handed_on:
        spellings.setdefault(flgb.main_name(key), []).append(key)
    assert {main: keys for main, keys in spellings.items() if len(keys) > 1} == {}
    assert (handed_on["min_child_samples"], handed_on["subsample"], handed_on["reg_lambda"],
            handed_on["random_state"]) == (7, 0.5, 2.0, 3)


def test_lightgbm_twins_of_the_in_memory_estimator(client):
    # metric names as LGBMClassifier spells them, the training data passed again in
    # eval_set evaluated as trained on (weighted) and skipped by early stopping, and a
    # held-out share without weight refused: each had been fixed in memory only
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1200, 4))
    y = (X[:, 0] + rng.normal(size=1200) > 0.5).astype(int)
    w = np.where(y == 1, 5.0, 1.0)
    dX, dy, dw = _darr(X, 600), _darr(y, 600), _darr(w, 600)
    clf = FocalDaskLGBMClassifier(n_estimators=3).fit(dX, dy, eval_set=[(dX[:300], dy[:300])],
                                                      eval_metric="logloss")
    assert list(clf.evals_result_["valid_0"]) == ["binary_logloss", "focal_loss"]
    local = FocalLGBMClassifier(n_estimators=3, n_jobs=1).fit(X, y, sample_weight=w,
                                                              eval_set=[(X, y)])
    clf = FocalDaskLGBMClassifier(n_estimators=3).fit(dX, dy, sample_weight=dw,
                                                      eval_set=[(dX, dy)])
    np.testing.assert_allclose(clf.evals_result_["valid_0"]["focal_loss"],
                               local.evals_result_["training"]["focal_loss"], rtol=2e-2)
    # every set named valid_i, as DaskLGBMClassifier names them (it does not tell the
    # training data apart); the training data passed twice had one merged log
    twice = FocalDaskLGBMClassifier(n_estimators=3).fit(
        dX, dy, eval_set=[(dX, dy), (dX[:300], dy[:300]), (dX, dy)])
    assert {k: len(v["focal_loss"]) for k, v in twice.evals_result_.items()} == {
        "valid_0": 3, "valid_1": 3, "valid_2": 3}
    with pytest.raises(ValueError, match=r"\['a'\] would be used twice"):  # (one log)
        FocalDaskLGBMClassifier(n_estimators=3).fit(dX, dy, eval_set=[(dX, dy), (dX, dy)],
                                                    eval_names=["a", "a"])
    with pytest.warns(UserWarning, match="only evaluation set is the training data"):
        clf = FocalDaskLGBMClassifier(n_estimators=8, early_stopping_rounds=2).fit(
            dX, dy, eval_set=[(dX, dy)])
    assert clf.best_iteration_ == 7
    w0 = np.zeros(1200)
    w0[:2] = 1.0
    for cls in (FocalDaskLGBMClassifier, FocalDaskXGBClassifier):
        with pytest.raises(ValueError, match="holds out .*sample weights sum to 0"):
            cls(n_estimators=5, early_stopping_rounds=3, random_state=0).fit(
                dX, dy, sample_weight=_darr(w0, 600))
        # every weighted row held out: refused naming the hold-out, as in memory (the
        # error named init_score='auto' and "no rows, or every weight 0")
        found = set()
        for i in range(0, 1200, 37):
            w1 = np.zeros(1200)
            w1[i] = 1.0
            with pytest.raises(ValueError, match="holds out") as info:
                cls(n_estimators=5, early_stopping_rounds=3, random_state=0).fit(
                    dX, dy, sample_weight=_darr(w1, 600))
            found.add(str(info.value))
            if "leaves rows to train on whose sample weights sum to 0" in str(info.value):
                break
        assert any("leaves rows to train on whose sample weights sum to 0" in m
                   for m in found), found
        # all weights 0: refused as in memory (they fitted with init_score=None)
        with pytest.raises(ValueError, match="at least one non-zero number"):
            cls(n_estimators=2, init_score=None).fit(dX, dy, sample_weight=_darr(0 * w0, 600))


def test_xgboost_continues_only_a_model_of_the_same_classes(client):
    # as in memory: a model of other labels (same number of classes) is refused by name
    X, y = _data(2, n=400)
    labels = np.array(["cat", "dog"])[y]
    model = FocalDaskXGBClassifier(n_estimators=3).fit(_darr(X, 200), _darr(labels, 200))
    more = FocalDaskXGBClassifier(n_estimators=2).fit(_darr(X, 200), _darr(labels, 200),
                                                     xgb_model=model)
    assert more.booster_.num_boosted_rounds() == 5
    with pytest.raises(ValueError, match=r"fitted on the classes \['cat', 'dog'\], y has "
                                         r"\['dog', 'zebra'\]"):
        FocalDaskXGBClassifier(n_estimators=2).fit(
            _darr(X, 200), _darr(np.array(["dog", "zebra"])[y], 200), xgb_model=model)
    # rows of some of its classes: the model keeps its classes (as in memory), with
    # early stopping on an eval_set too, and 'balanced' counts the rows by the model's
    # classes (early stopping that holds rows out:
    # test_continuing_on_rows_of_some_classes_with_a_hold_out)
    X3, y3 = _data(3, n=600)
    abc = np.array(["a", "b", "c"])[y3]
    three = FocalDaskXGBClassifier(n_estimators=3).fit(_darr(X3, 200), _darr(abc, 200))
    ac = abc != "b"
    n = int(ac.sum())
    for kw in ({}, {"early_stopping_rounds": 2, "alpha": "balanced"}):
        more = FocalDaskXGBClassifier(n_estimators=3, **kw).fit(
            _darr(X3[ac], 200), _darr(abc[ac], 200), xgb_model=three,
            eval_set=[(_darr(X3, 200), _darr(abc, 200))])  # (rows of 'b' too, as in memory)
        assert more.classes_.tolist() == ["a", "b", "c"]
        proba = more.predict_proba(_darr(X3, 200)).compute()
        np.testing.assert_array_equal(more.predict(_darr(X3, 200)).compute(),
                                      more.classes_[proba.argmax(axis=1)])
        if kw:  # the class without rows weighs 1
            counts = np.bincount(y3[ac], minlength=3)
            np.testing.assert_allclose(
                more.loss_.alpha, [n / (2 * counts[0]), 1.0, n / (2 * counts[2])])


def test_lightgbm_early_stopping_callback_skips_the_training_data_as_in_memory(client):
    # the training data passed again is valid_0 on Dask: the estimator's own early
    # stopping skipped it, a caller's lgb.early_stopping watched it (best iteration 14
    # where the in-memory estimator, as LGBMClassifier, trained all 60 rounds; 59 where
    # it kept 3 beside a validation set)
    X, y = make_classification(600, 5, n_informative=3, random_state=3)
    y = np.where(np.random.default_rng(1).random(600) < 0.25, 1 - y, y)
    Xt, yt, Xv, yv = X[:400], y[:400], X[400:], y[400:]
    dX, dy, dXv, dyv = _darr(Xt, 400), _darr(yt, 400), _darr(Xv, 200), _darr(yv, 200)
    params = dict(n_estimators=60, learning_rate=0.3, min_child_samples=5, random_state=0)
    for rounds, sets, local_sets in ((10, [(dX, dy)], [(Xt, yt)]),
                                     (100, [(dX, dy), (dXv, dyv)], [(Xt, yt), (Xv, yv)])):
        def stop(rounds=rounds):
            return [lgb.early_stopping(rounds, verbose=False)]

        local = FocalLGBMClassifier(**params).fit(Xt, yt, eval_set=local_sets,
                                                  eval_metric="auc", callbacks=stop())
        model = FocalDaskLGBMClassifier(**params).fit(dX, dy, eval_set=sets,
                                                      eval_metric="auc", callbacks=stop())
        assert model.best_iteration_ == local.best_iteration_
        np.testing.assert_allclose(model.predict_proba(dXv).compute(),
                                   local.predict_proba(Xv), rtol=1e-9)


@pytest.mark.parametrize("cls", [FocalDaskXGBClassifier, FocalDaskLGBMClassifier])
def test_validate_features_false_reads_columns_by_position(client, cls):
    # the in-memory estimators and DaskXGBClassifier read renamed columns by position
    # with validate_features=False; the Dask estimators refused the names
    X, y = make_classification(400, 4, random_state=0)
    df = pd.DataFrame(X, columns=list("abcd"))
    renamed = dd.from_pandas(df.set_axis(list("wxyz"), axis=1), npartitions=2)
    kw = {"verbose": -1} if cls is FocalDaskLGBMClassifier else {}
    model = cls(client=client, n_estimators=3, **kw).fit(
        dd.from_pandas(df, npartitions=2), dd.from_pandas(pd.Series(y), npartitions=2))
    local = model.to_local()
    for method in ("predict_proba", "predict", "decision_function"):
        got = getattr(model, method)(renamed, validate_features=False).compute()
        np.testing.assert_array_equal(got, getattr(local, method)(df))
    with pytest.raises(ValueError, match="feature names"):
        model.predict_proba(renamed)


def test_lightgbm_eval_x_eval_y_as_eval_set(client):
    # LightGBM 4.7 spells the evaluation sets eval_X / eval_y (it deprecates eval_set):
    # FocalLGBMClassifier and DaskLGBMClassifier take them, the Dask estimator refused them
    X, y = make_classification(600, 5, random_state=0)
    dX, dy = da.from_array(X, chunks=300), da.from_array(y, chunks=300)
    dXv, dyv = da.from_array(X[:150], chunks=150), da.from_array(y[:150], chunks=150)
    kw = {"client": client, "n_estimators": 5, "verbose": -1}
    by_xy = FocalDaskLGBMClassifier(**kw).fit(dX, dy, eval_X=dXv, eval_y=dyv)
    # (not the values of another fit: which rows each of two workers holds may differ)
    assert list(by_xy.evals_result_) == ["valid_0"]  # LGBMClassifier's names
    assert len(by_xy.evals_result_["valid_0"]["focal_loss"]) == 5
    with pytest.raises(ValueError, match="not both"):
        FocalDaskLGBMClassifier(**kw).fit(dX, dy, eval_set=[(dXv, dyv)], eval_X=dXv, eval_y=dyv)


def test_lightgbm_fit_takes_positional_arguments_in_dasklgbmclassifiers_order(client):
    # DaskLGBMClassifier.fit(X, y, sample_weight, init_score, eval_set, eval_names,
    # eval_sample_weight, ...): ours took eval_set fourth; the starts it does not take
    # are refused by name (they were unexpected keywords)
    X, y = make_classification(600, 5, random_state=0)
    dX, dy = da.from_array(X, chunks=300), da.from_array(y, chunks=300)
    dXv, dyv = da.from_array(X[:150], chunks=150), da.from_array(y[:150], chunks=150)
    kw = {"client": client, "n_estimators": 5, "verbose": -1}
    model = FocalDaskLGBMClassifier(**kw).fit(dX, dy, None, None, [(dXv, dyv)], ["held"],
                                              None, None, None, "auc")
    assert list(model.evals_result_) == ["held"]
    assert list(model.evals_result_["held"]) == ["auc", "focal_loss"]
    for name, position in (("init_score", 3), ("eval_class_weight", 7),
                           ("eval_init_score", 8)):
        args = [None] * 8
        args[position - 2] = da.zeros(600, chunks=300) if position == 3 else [None]
        with pytest.raises(TypeError, match=f"does not take {name}"):
            FocalDaskLGBMClassifier(**kw).fit(dX, dy, *args)


@pytest.mark.parametrize("dask_class", [FocalDaskXGBClassifier, FocalDaskLGBMClassifier])
def test_a_category_column_for_a_feature_trained_as_numbers_is_refused_on_dask(client,
                                                                              dask_class):
    # the record of the features trained as numbers stayed on the client: the workers'
    # estimators (and to_local) scored the codes (XGBoost, 0.83 off) or failed in
    # LightGBM's words; an eval_set's was not checked
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=400), "k": rng.choice([10, 20, 30], 400)})
    y = pd.Series(((X["k"] == 20) | (X["a"] > 1)).astype(int))
    dX, dy = dd.from_pandas(X, npartitions=2), dd.from_pandas(y, npartitions=2)
    dcats = dd.from_pandas(X.astype({"k": "category"}), npartitions=2)
    model = dask_class(n_estimators=5).fit(dX, dy)
    message = r"X has category columns the model was trained on as numbers \('k'\)"
    with pytest.raises(ValueError, match="^" + message):
        model.predict_proba(dcats)
    with pytest.raises(ValueError, match="^" + message):
        model.to_local().predict_proba(X.astype({"k": "category"}))
    with pytest.raises(ValueError, match=r"^eval_set\[0\]'s " + message):
        dask_class(n_estimators=5).fit(dX, dy, eval_set=[(dcats, dy)])


def test_xgboost_fit_refuses_start_margins_by_name(client):
    # DaskXGBClassifier.fit takes base_margin and base_margin_eval_set; ours failed with
    # "got an unexpected keyword argument" (the in-memory estimator takes them)
    X, y = make_classification(600, 5, random_state=0)
    dX, dy = da.from_array(X, chunks=300), da.from_array(y, chunks=300)
    margins = {"base_margin": da.zeros(600, chunks=300),
               "base_margin_eval_set": [da.zeros(600, chunks=300)]}
    for name, value in margins.items():
        with pytest.raises(TypeError, match=f"^FocalDaskXGBClassifier.fit does not take "
                                            f"{name}: fit FocalXGBClassifier in memory for "
                                            "it$"):
            FocalDaskXGBClassifier(client=client, n_estimators=2).fit(dX, dy, **{name: value})


def test_lightgbm_worker_binning_no_feature_gives_the_constant_model():
    # Each worker bins its own share of the features on its own rows: with 40 + 20 rows
    # no worker keeps a feature (the 20-row one has too few, the 40-row one exactly
    # 2 * min_data_in_leaf), which the rule before training cannot tell, and LightGBM's
    # custom-objective path stopped in C++ ("num_features() > 0") where
    # DaskLGBMClassifier fits its constant model. In a subprocess: LightGBM's network
    # may not recover for the next fit after such a failure.
    script = textwrap.dedent("""
        import warnings
        import numpy as np, dask.array as da
        from distributed import Client, LocalCluster
        from focal_boost.dask import FocalDaskLGBMClassifier
        rng = np.random.default_rng(0)
        X = rng.normal(size=(60, 3)); y = (X[:, 0] > 0).astype(int)
        dX = da.from_array(X, chunks=((40, 20), 3)); dy = da.from_array(y, chunks=((40, 20),))
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                model = FocalDaskLGBMClassifier(n_estimators=5, verbose=-1).fit(dX, dy)
            proba = model.predict_proba(dX).compute()[:, 1]
        print("RESULT", model.booster_.num_trees(), np.ptp(proba), abs(proba.mean() - y.mean()),
              any("no feature of the training data can be split" in str(w.message) for w in caught))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=300)
    line = [row for row in out.stdout.splitlines() if row.startswith("RESULT")]
    assert line, out.stderr[-2000:]
    trees, spread, off, warned = line[0].split()[1:]
    # the focal-optimal constant (gamma 2 moves it off the base rate a little)
    assert trees == "1" and float(spread) == 0.0 and warned == "True"
    assert float(off) < 0.05


def test_a_client_other_than_the_default_one_trains():
    # xgboost.dask persists the training data on the default client: given another
    # client, DaskXGBClassifier(client=...) and ours waited forever; score computed on
    # the default client (data held by the other: lost dependencies). In a subprocess,
    # whose timeout fails the test where it would hang.
    script = textwrap.dedent("""
        import numpy as np, dask.array as da
        from distributed import Client, LocalCluster
        from focal_boost.dask import FocalDaskLGBMClassifier, FocalDaskXGBClassifier
        rng = np.random.default_rng(0)
        X = rng.normal(size=(600, 3)); y = (X[:, 0] > 0).astype(int)
        dX, dy = da.from_array(X, chunks=(300, 3)), da.from_array(y, chunks=300)
        kw = dict(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None)
        with LocalCluster(**kw) as first, Client(first) as default:
            with LocalCluster(**kw) as second, Client(second, set_as_default=False) as other:
                dX, dy = other.persist(dX), other.persist(dy)  # (held by the other)
                for cls in (FocalDaskXGBClassifier, FocalDaskLGBMClassifier):
                    model = cls(n_estimators=5, client=other).fit(dX, dy)
                    proba = other.compute(model.predict_proba(dX)).result()
                    local = model.to_local().predict_proba(X)
                    assert model.score(dX, dy) == model.to_local().score(X, y)
                    print("RESULT", cls.__name__, np.abs(proba - local).max(),
                          (proba.argmax(1) == y).mean())
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=240)
    lines = [row.split()[1:] for row in out.stdout.splitlines() if row.startswith("RESULT")]
    assert [name for name, _, _ in lines] == ["FocalDaskXGBClassifier",
                                             "FocalDaskLGBMClassifier"], out.stderr[-2000:]
    for _, gap, accuracy in lines:
        assert float(gap) == 0.0 and float(accuracy) > 0.9


def test_columns_of_other_dtypes_name_the_dask_conversion(client):
    # the hints were pandas' (pd.to_numeric fails on a dask column, astype('category')
    # leads to the unknown-categories error): on dask, dd.to_numeric and categorize()
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=40),
                          "n": pd.Series(rng.integers(0, 5, 40).astype(str), dtype="string")})
    X = dd.from_pandas(frame, npartitions=2)
    y = dd.from_pandas(pd.Series((frame.a > 0).astype(int)), npartitions=2)
    with pytest.raises(TypeError, match=r"'n' \(string\).*dd\.to_numeric\(X\[col\]\).*"
                                         r"X\.categorize"):
        FocalDaskXGBClassifier(client=client, n_estimators=2).fit(X, y)
    # categories as Arrow types them (dd.read_parquet(..., dtype_backend="pyarrow")):
    # categorize() alone fails on them (ArrowNotImplementedError); astype first
    pa = pytest.importorskip("pyarrow")
    arrow = frame.assign(n=frame["n"].astype(pd.ArrowDtype(pa.dictionary(pa.int8(),
                                                                         pa.string()))))
    X = dd.from_pandas(arrow, npartitions=2)
    with pytest.raises(TypeError, match=r"'n' \(dictionary<.*Arrow dictionaries as pandas "
                                         r"categories with X = X\.astype\(\{col: 'category'\}\)"
                                         r"\.categorize\(columns=\[\.\.\.\]\)$"):
        FocalDaskXGBClassifier(client=client, n_estimators=2).fit(X, y)
    FocalDaskXGBClassifier(client=client, n_estimators=2, enable_categorical=True).fit(
        X.astype({"n": "category"}).categorize(columns=["n"]), y)


@pytest.mark.filterwarnings("ignore:Parameter n_jobs will be ignored")  # DaskLGBMClassifier's
@pytest.mark.parametrize("n_classes", [2, 3])
def test_sparse_blocks_train_as_their_rows(client, n_classes):
    # scipy.sparse blocks, which the plain Dask classifiers take, were refused ("numpy
    # blocks, got csr_matrix"). An absent entry is a zero to LightGBM and missing to
    # XGBoost, as in memory: one partition gives the dense fit exactly
    sparse = pytest.importorskip("scipy.sparse")
    X, y = _data(n_classes, 600)
    X[np.abs(X) < 0.5] = 0
    dy = da.from_array(y, chunks=600)
    blocks = da.from_array(X, chunks=(600, X.shape[1])).map_blocks(sparse.csr_array)
    dense = {FocalDaskLGBMClassifier: X, FocalDaskXGBClassifier: np.where(X == 0, np.nan, X)}
    for cls, rows in dense.items():
        on_sparse = cls(client=client, n_estimators=5).fit(blocks, dy)
        on_dense = cls(client=client, n_estimators=5).fit(_darr(rows, 600), dy)
        np.testing.assert_array_equal(on_sparse.predict_proba(blocks).compute(),
                                      on_dense.predict_proba(_darr(rows, 600)).compute())
        # an evaluation set of the other kind is read as its own blocks (the training
        # data's kind had been assumed for it)
        mixed = [cls(client=client, n_estimators=5).fit(train, dy, eval_set=[(valid, dy)])
                 for train, valid in ((blocks, _darr(rows, 600)), (_darr(rows, 600), blocks),
                                      (blocks, blocks))]
        logs = [next(iter(m.evals_result_.values()))["focal_loss"] for m in mixed]
        np.testing.assert_allclose(logs[0], logs[2], rtol=1e-6)
        np.testing.assert_allclose(logs[1], logs[2], rtol=1e-6)


@pytest.mark.filterwarnings("ignore:Parameter n_jobs will be ignored")  # DaskLGBMClassifier's
@pytest.mark.filterwarnings("ignore::scipy.sparse.SparseEfficiencyWarning")  # (dia's)
@pytest.mark.parametrize("cls", [FocalDaskXGBClassifier, FocalDaskLGBMClassifier])
def test_sparse_blocks_fit_and_predict_as_in_memory(client, cls):
    # partitions of every sparse kind (dask's meta is numpy for coo_matrix, bsr and dia
    # blocks: they reached the libraries as they were, and the hold-out failed), integers
    # too, weights, an eval set and early stopping's hold-out; predictions and their
    # options as the in-memory estimator's
    sparse = pytest.importorskip("scipy.sparse")
    X, y = _data(3, 1200)
    X[np.abs(X) < 0.5] = 0
    X, y, X_eval, y_eval = X[:900], y[:900], X[900:], y[900:]
    dy = da.from_array(y, chunks=300)
    dX = da.from_array(X, chunks=(300, X.shape[1]))
    for kind in (sparse.csr_matrix, sparse.csc_array, sparse.coo_matrix, sparse.bsr_array,
                 sparse.dia_matrix):
        blocks = dX.map_blocks(kind)
        evals = da.from_array(X_eval, chunks=(150, X.shape[1])).map_blocks(kind)
        model = cls(client=client, n_estimators=200, early_stopping_rounds=3).fit(
            blocks, dy, sample_weight=da.from_array(1.0 + y, chunks=300),
            eval_set=[(evals, da.from_array(y_eval, chunks=150))])
        local = model.to_local()
        assert model.best_iteration_ < 150  # (early stopping stopped)
        # the blocks' rows: absent entries missing to XGBoost, stored zeros (bsr and dia
        # store some) values, as in memory
        rows = sparse.vstack([sparse.csr_matrix(kind(X[i:i + 300])) for i in (0, 300, 600)])
        np.testing.assert_array_equal(model.predict_proba(blocks).compute(),
                                      local.predict_proba(rows))
        np.testing.assert_array_equal(model.predict(blocks).compute(), local.predict(rows))
        option = "pred_contrib" if cls is FocalDaskLGBMClassifier else "output_margin"
        expected = local.predict(rows, **{option: True})
        if isinstance(expected, list):  # LightGBM's sparse contributions, one per class
            expected = sparse.hstack(expected)
        expected = expected.toarray() if sparse.issparse(expected) else expected
        np.testing.assert_allclose(model.predict(blocks, **{option: True}).compute(),
                                   expected, rtol=1e-6, atol=1e-6)
        held_out = cls(client=client, n_estimators=200, early_stopping_rounds=3).fit(
            blocks, dy)  # (validation_fraction of the rows held out)
        assert held_out.best_iteration_ < 150
    integers = dX.astype(np.int64).map_blocks(sparse.csr_matrix)
    model = cls(client=client, n_estimators=3).fit(integers, dy)
    np.testing.assert_array_equal(
        model.predict_proba(integers).compute(),
        model.to_local().predict_proba(sparse.csr_matrix(X.astype(np.int64))))


@pytest.mark.filterwarnings("ignore:Parameter n_jobs will be ignored")  # DaskLGBMClassifier's
def test_sparse_blocks_lightgbm_cannot_split_gives_the_constant_model(client):
    # every column zero: no split, the focal-optimal constant as on dense blocks
    sparse = pytest.importorskip("scipy.sparse")
    y = np.r_[np.zeros(150), np.ones(50)]
    dy = da.from_array(y, chunks=100)
    X = np.zeros((200, 3))
    with pytest.warns(UserWarning):
        model = FocalDaskLGBMClassifier(client=client, n_estimators=5).fit(
            da.from_array(X, chunks=(100, 3)).map_blocks(sparse.csr_matrix), dy)
    with pytest.warns(UserWarning):
        dense = FocalDaskLGBMClassifier(client=client, n_estimators=5).fit(
            da.from_array(X, chunks=(100, 3)), dy)
    rows = da.from_array(X, chunks=(100, 3))
    proba = model.predict_proba(rows).compute()
    np.testing.assert_array_equal(proba, dense.predict_proba(rows).compute())
    np.testing.assert_allclose(proba[:, 1], 0.25, atol=1e-6)  # the base rate


def test_a_workers_error_while_laying_out_the_data_is_raised_as_it_is(monkeypatch):
    # a partition that failed on its worker has no holder: the lay-out read who holds it
    # and raised IndexError, hiding the worker's error (scipy's refusal to index a
    # coo_matrix block was one); in-process workers read the module's function as patched
    import focal_boost.dask as fdask

    def fails(part, *args, **kwargs):
        raise RuntimeError("the worker's own error")

    monkeypatch.setattr(fdask, "_select", fails)
    X, y = _data(2, 100)
    with (LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                       dashboard_address=None) as cluster, Client(cluster) as own):
        for cls in (FocalDaskXGBClassifier, FocalDaskLGBMClassifier):
            with pytest.raises(RuntimeError, match="^the worker's own error$"):
                cls(client=own, n_estimators=2).fit(_darr(X, 50), _darr(y, 50))


def test_fit_through_an_asynchronous_client_is_awaited():
    # as DaskXGBClassifier's fit there (LightGBM's Dask estimators have none): fit called
    # the client synchronously at every step and failed on the first one's coroutine
    # ("'coroutine' object has no attribute 'values'"). Persisted data, client= given
    script = textwrap.dedent("""
        import asyncio, numpy as np, dask.array as da
        from distributed import Client, LocalCluster
        from focal_boost.dask import FocalDaskLGBMClassifier, FocalDaskXGBClassifier

        async def main():
            X = np.random.default_rng(0).normal(size=(400, 3))
            y = (X[:, 0] > 0).astype(int)
            dX, dy = da.from_array(X, chunks=(200, 3)), da.from_array(y, chunks=200)
            async with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                    dashboard_address=None, asynchronous=True) as cluster:
                async with Client(cluster, asynchronous=True) as client:
                    kept, kept_y = client.persist([dX, dy])  # (futures: awaited by use)
                    for cls in (FocalDaskXGBClassifier, FocalDaskLGBMClassifier):
                        for given, rows in ((None, dX), (client, kept)):
                            clf = await cls(n_estimators=20, early_stopping_rounds=2,
                                            client=given).fit(rows, dy)
                            proba = await client.compute(clf.predict_proba(dX))
                            print("FITTED", type(clf).__name__, clf.n_classes_,
                                  np.array_equal(proba, clf.to_local().predict_proba(X)))
                        # one seed drawn from a RandomState for the whole fit, as
                        # through a synchronous client (the hold-out and the booster
                        # drew their own), on persisted rows
                        seeded = dict(n_estimators=20, early_stopping_rounds=2,
                                      subsample=0.5, colsample_bytree=0.5)
                        clf = await cls(random_state=np.random.RandomState(0),
                                        **seeded).fit(kept, kept_y)

                        def synchronous(cls=cls, seeded=seeded):
                            with Client(client.scheduler.address) as sync:
                                return cls(random_state=np.random.RandomState(0),
                                           client=sync, **seeded).fit(kept, kept_y)

                        same = await asyncio.to_thread(synchronous)
                        if cls is FocalDaskXGBClassifier:
                            print("SEEDED", np.array_equal(clf.to_local().predict_proba(X),
                                                           same.to_local().predict_proba(X)))
                        else:  # the seed drawn: LightGBM's bagging across workers
                            # depends on which worker takes which rank, which under
                            # load may change from fit to fit
                            seeds = [m.to_local().booster_.params["random_state"]
                                     for m in (clf, same)]
                            print("SEEDED", seeds[0] == seeds[1])

        if __name__ == "__main__":
            asyncio.run(main())
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=240)
    lines = [row for row in out.stdout.splitlines() if row.startswith(("FITTED", "SEEDED"))]
    assert lines == [line for name in ("FocalDaskXGBClassifier", "FocalDaskLGBMClassifier")
                     for line in [f"FITTED {name} 2 True"] * 2 + ["SEEDED True"]
                     ], out.stderr[-2000:]


def test_xgboost_big_endian_frame_columns_are_read_as_numbers(client):
    # XGBoost 3.2 reads big-endian values as native ones: a '>f4' Dask column trained
    # on other numbers (probabilities 0.53 off in one case), or fit refused "inf"
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(300, 3)).astype(np.float32), columns=list("abc"))
    y = dd.from_pandas(pd.Series((frame["a"] > 0.3).astype(int)), npartitions=2)
    native = dd.from_pandas(frame, npartitions=2)
    swapped = dd.from_pandas(frame.astype(">f4"), npartitions=2)
    expected = FocalDaskXGBClassifier(n_estimators=5).fit(native, y).predict_proba(
        native).compute()
    got = FocalDaskXGBClassifier(n_estimators=5).fit(swapped, y).predict_proba(native).compute()
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("engine", [FocalDaskXGBClassifier, FocalDaskLGBMClassifier])
def test_labels_of_another_length_than_x_are_refused_by_name(client, engine):
    # Dask's own "Chunks do not add up to shape" came first (the labels were rechunked
    # as X before their lengths were compared)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = (X[:, 0] > 0).astype(int)
    dX, dy = da.from_array(X, chunks=100), da.from_array(y, chunks=100)
    with pytest.raises(ValueError, match="X has 200 rows but y has 199 entries"):
        engine(n_estimators=2).fit(dX, dy[:-1])
    with pytest.raises(ValueError, match=r"eval_set\[0\]\[0\] has 200 rows but "
                                         r"eval_set\[0\]\[1\] has 199 entries"):
        engine(n_estimators=2).fit(dX, dy, eval_set=[(dX, dy[:-1])])
    with pytest.raises(ValueError, match="X has 200 rows but sample_weight has 150 entries"):
        engine(n_estimators=2).fit(dX, dy, sample_weight=da.ones(150, chunks=75))


@pytest.mark.parametrize("engine", [FocalDaskXGBClassifier, FocalDaskLGBMClassifier])
def test_missing_labels_are_named_by_their_row_in_the_whole_y(client, engine):
    # the row inside its partition was named (row 150 as "rows 50"), and an eval set's
    # missing label as y's
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = (X[:, 0] > 0).astype(float)
    y[[20, 150]] = np.nan
    dX, dy = da.from_array(X, chunks=100), da.from_array(y, chunks=100)
    with pytest.raises(ValueError, match=r"^y has 2 missing label\(s\) \(None or NaN; "
                                         r"rows 20, 150\)"):
        engine(n_estimators=2).fit(dX, dy)
    with pytest.raises(ValueError, match=r"^eval_set\[0\]\[1\] has 1 missing label\(s\) "
                                         r"\(None or NaN; rows 150\)"):
        clean = da.from_array(np.nan_to_num(y), chunks=100)
        engine(n_estimators=2).fit(dX, clean, eval_set=[(dX, da.from_array(
            np.where(np.arange(200) == 20, 0.0, y), chunks=100))])


@pytest.mark.parametrize("tree_method", ["hist", "approx"])  # quantile and plain DaskDMatrix
def test_xgboost_fit_leaves_no_data_on_the_cluster_without_the_garbage_collector(
        client, tree_method):
    # The DaskDMatrix referred to itself: its futures (the training and evaluation
    # parts) stayed on the workers until a collection of cycles, as DaskXGBClassifier's
    # do not.
    import gc
    import time

    X, y = _data(2, n=2000)
    dX, dy = _darr(X, 500), _darr(y, 500)

    def tasks():
        return client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks))

    gc.collect()
    gc.disable()
    try:
        before = tasks()  # (what earlier tests hold on this module's cluster)
        model = FocalDaskXGBClassifier(n_estimators=3, tree_method=tree_method).fit(
            dX, dy, eval_set=[(dX, dy)])
        del model

        def released():
            deadline = time.monotonic() + 10
            while tasks() > before and time.monotonic() < deadline:
                time.sleep(0.1)
            return tasks() <= before

        assert released()
        # a callback refused before training: refused before any data is sent
        import xgboost as xgb

        stop_on_auc = xgb.callback.EarlyStopping(rounds=2, metric_name="auc")
        with pytest.raises(ValueError, match="auc"):
            FocalDaskXGBClassifier(n_estimators=3, tree_method=tree_method,
                                   callbacks=[stop_on_auc]).fit(dX, dy, eval_set=[(dX, dy)])
        assert released()
    finally:
        gc.enable()


def test_xgboost_early_stopping_callback_follows_each_fits_metric(client):
    # the callback's direction was set on the caller's object, which in the Dask
    # estimator never trains (a copy does, on the workers): a second fit on logloss was
    # maximised as the first on average_precision (round 0 kept)
    import xgboost as xgb

    X, y = _data(2, n=1200)
    dX, dy = _darr(X[:800], 400), _darr(y[:800], 400)
    ev = [(_darr(X[800:], 200), _darr(y[800:], 200))]
    stop = xgb.callback.EarlyStopping(rounds=5)
    model = FocalDaskXGBClassifier(n_estimators=80, learning_rate=0.3, max_depth=3,
                                   callbacks=[stop], eval_metric="average_precision")
    for name, best in (("average_precision", np.argmax), ("logloss", np.argmin)):
        model.set_params(eval_metric=name).fit(dX, dy, eval_set=ev)
        log = model.evals_result_["validation_0"][name]
        assert model.best_iteration_ == best(log) > 0, name
    assert stop.maximize is None


def test_lightgbm_says_n_jobs_is_ignored_as_dasklgbmclassifier_does(client):
    # lightgbm.dask trains on each worker's threads and says n_jobs is ignored, set or
    # not; ours filtered the warning out with a process-wide filter for an unset one
    import warnings

    X, y = _data(2, n=2000)
    dX, dy = _darr(X, 500), _darr(y, 500)
    for n_jobs in (2, None):
        said = {}
        for name, model in (("plain", lgb.DaskLGBMClassifier(n_estimators=2, n_jobs=n_jobs)),
                            ("ours", FocalDaskLGBMClassifier(n_estimators=2, n_jobs=n_jobs))):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                model.fit(dX, dy)
            said[name] = any("Parameter n_jobs will be ignored" in str(w.message)
                             for w in caught)
        assert said == {"plain": True, "ours": True}, (n_jobs, said)


@pytest.mark.parametrize("dask_class", [FocalDaskXGBClassifier, FocalDaskLGBMClassifier])
def test_names_the_library_refuses_are_warned_as_in_memory(client, dask_class):
    X, y = _data(2, n=2000)
    df = pd.DataFrame(X, columns=[f"x[{i}]" for i in range(X.shape[1])])
    ddf = dd.from_pandas(df, npartitions=4)
    dy = dd.from_pandas(pd.Series(y), npartitions=4)
    with pytest.warns(UserWarning, match="refuses some of X's column names"):
        model = dask_class(n_estimators=2).fit(ddf, dy)
    assert list(model.feature_names_in_) == list(df.columns)


# ------------------------------------------- evaluation weights and held-out classes
DASK_CLASSES = [FocalDaskXGBClassifier, FocalDaskLGBMClassifier]


def _dask_binary(n=400):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 3))
    y = (X[:, 0] + rng.normal(size=n) > 0).astype(int)
    return X, y, da.from_array(X, chunks=(100, 3)), da.from_array(y, chunks=100)


@pytest.mark.parametrize("cls", DASK_CLASSES)
def test_evaluation_weights_refused_as_in_memory(client, cls):
    # all zero: a NaN metric every round and one tree kept (in memory: refused); negative:
    # refused as "sample_weight"
    X, y, dX, dy = _dask_binary()
    eval_set = [(dX[:100], dy[:100])]
    with pytest.raises(ValueError, match=r"^the weights of eval_set\[0\]: Sample weights "
                                         r"must contain at least one non-zero number"):
        cls(n_estimators=5, early_stopping_rounds=2).fit(
            dX, dy, eval_set=eval_set, eval_sample_weight=[da.zeros(100, chunks=50)])
    with pytest.raises(ValueError, match=r"^the weights of eval_set\[0\] must be finite and "
                                         r">= 0 in float32"):
        cls(n_estimators=3).fit(dX, dy, eval_set=eval_set,
                                eval_sample_weight=[-da.ones(100, chunks=50)])


@pytest.mark.parametrize("cls", DASK_CLASSES)
def test_eval_set_partitions_of_other_lengths_are_named(client, cls):
    X, y, dX, dy = _dask_binary()
    Xv = dd.from_pandas(pd.DataFrame(X[:100]), npartitions=2)  # 50 + 50 rows
    yv = da.from_array(y[:100], chunks=(30, 70))
    with pytest.raises(ValueError, match=r"^eval_set\[0\]\[0\] and eval_set\[0\]\[1\] have "
                                         r"partitions of different lengths \(50, [37]0 rows\)"):
        cls(n_estimators=3).fit(dd.from_pandas(pd.DataFrame(X), npartitions=4), dy,
                                eval_set=[(Xv, yv)])


@pytest.mark.parametrize("cls", DASK_CLASSES)
def test_eval_set_feature_names_are_checked_under_its_name_as_in_memory(client, cls):
    # scikit-learn's check said "should match those that were passed during fit", naming
    # no set (DaskXGBClassifier: "feature_names mismatch"; DaskLGBMClassifier trains on
    # the columns by position)
    X, y, dX, dy = _dask_binary()
    frame = dd.from_pandas(pd.DataFrame(X, columns=["a", "b", "c"]), npartitions=4)
    with pytest.raises(ValueError, match=re.escape(
            "eval_set[0]'s X's feature names differ from the training data's (in another "
            "order)")):
        cls(n_estimators=2).fit(frame, dy, eval_set=[(frame[["c", "b", "a"]], dy)])
    with pytest.warns(UserWarning, match=re.escape(
            "eval_set[0]'s X does not have valid feature names, but")):
        cls(n_estimators=2).fit(frame, dy, eval_set=[(frame.to_dask_array(lengths=True), dy)])
    with pytest.raises(ValueError, match=re.escape(
            f"eval_set[0]'s X has 2 features, but {cls.__name__} is expecting 3")):
        cls(n_estimators=2).fit(dX, dy, eval_set=[(dX[:, :2], dy)])


@pytest.mark.parametrize("cls", DASK_CLASSES)
def test_an_eval_frame_for_a_model_fitted_on_an_array_is_read_by_position(client, cls):
    # as in memory: FocalDaskXGBClassifier failed on the workers ("data did not contain
    # feature names"), as DaskXGBClassifier does; a category column by its codes
    X, y, dX, dy = _dask_binary()
    kind = pd.Categorical(np.where(X[:, 2] > 0, "u", "v"))
    frame = dd.from_pandas(pd.DataFrame({"a": X[:, 0], "b": X[:, 1], "c": kind}),
                           npartitions=4)
    codes = da.from_array(np.c_[X[:, :2], kind.codes].astype(float), chunks=(100, 3))
    kw = {"enable_categorical": True} if cls is FocalDaskXGBClassifier else {}
    with pytest.warns(UserWarning, match=re.escape(
            f"eval_set[0]'s X has feature names, but {cls.__name__} was fitted without")):
        named = cls(n_estimators=3, **kw).fit(codes, dy, eval_set=[(frame, dy)])
    plain = cls(n_estimators=3, **kw).fit(codes, dy, eval_set=[(codes, dy)])
    (ours,), (theirs,) = named.evals_result_.values(), plain.evals_result_.values()
    assert len(ours["focal_loss"]) == 3
    if cls is FocalDaskXGBClassifier:
        assert ours == theirs
    else:  # (LightGBM's Dask fits differ from one fit to the next: README)
        np.testing.assert_allclose(ours["focal_loss"], theirs["focal_loss"], rtol=0.01)
    # as in memory: XGBoost takes category columns with enable_categorical only, and
    # no set has a name twice (an AttributeError on the workers, or LightGBM's error)
    if cls is FocalDaskXGBClassifier:
        with pytest.warns(UserWarning), pytest.raises(ValueError, match=re.escape(
                "eval_set[0]'s X has category columns (['c']): set enable_categorical=True")):
            cls(n_estimators=3, enable_categorical=False).fit(codes, dy,
                                                               eval_set=[(frame, dy)])
    twice = dd.from_pandas(pd.DataFrame(X, columns=["a", "a", "c"]), npartitions=4)
    with pytest.raises(ValueError, match=re.escape(
            "eval_set[0]'s X has columns of the same name: 'a'")):
        cls(n_estimators=3).fit(dX, dy, eval_set=[(twice, dy)])


def test_xgboost_exact_tree_method_is_refused_by_name(client):
    # XGBoost's exact method has no distributed training: a C++ trace from the workers
    # (DaskXGBClassifier alike; on category columns it names them, not the method)
    X, y, dX, dy = _dask_binary()
    frame = dd.from_pandas(pd.DataFrame({"a": X[:, 0], "c": pd.Categorical(y)}),
                           npartitions=4)
    for data in (dX, frame):
        with pytest.raises(ValueError, match=r"^tree_method='exact' does not train on Dask"):
            FocalDaskXGBClassifier(n_estimators=2, tree_method="exact",
                                   enable_categorical=True).fit(data, dy)


@pytest.mark.parametrize("cls", DASK_CLASSES)
def test_a_class_held_out_whole_is_refused(client, cls):
    # the hold-out draws a random share of each partition: both rows of a class held
    # out trained a model without it (P 0 for it, the intercept clipped), silently
    from focal_boost.dask import _held_out

    X, y, _, _ = _dask_binary()
    out = np.concatenate([_held_out(100, 0, i, 0.1) for i in range(4)])
    rows = np.flatnonzero(out)[:2]
    y3 = y.copy()
    y3[rows] = 2
    with pytest.raises(ValueError, match=r"leaves no training row of class\(es\) \[2\]"):
        cls(n_estimators=5, early_stopping_rounds=3, random_state=0).fit(
            da.from_array(X, chunks=(100, 3)), da.from_array(y3, chunks=100))


def test_lightgbm_split_search_failure_names_the_parameter_as_in_memory(client):
    # the in-memory estimator's refusal at min_child_weight=0 (LightGBM's failed check of
    # a split side's rows, counted from near-0 focal Hessians); the Dask one passed on
    # LightGBM's C++ check failure, naming nothing
    X = np.array([[-1.34], [1.12], [-1.13], [1.64], [0.48], [-1.32], [1.12], [1.19],
                  [1.68], [-1.44]])
    y = np.ones(10, dtype=int)
    kw = dict(n_estimators=2, min_child_weight=0.0, min_child_samples=1, random_state=0,
              verbose=-1)
    with pytest.raises(ValueError, match=r"min_sum_hessian_in_leaf \(min_child_weight\)=0.0 "
                                         r".*set min_child_weight to at least 0.001"):
        FocalDaskLGBMClassifier(gamma=0.0, **kw).fit(_darr(X, 10), _darr(y, 10))


@pytest.mark.parametrize("dask_class", [FocalDaskXGBClassifier, FocalDaskLGBMClassifier])
def test_a_metric_without_weights_on_weighted_rows_is_said_in_the_callers_process(
        client, dask_class):
    # the metric runs on the workers, whose warnings the caller never sees: fit says it
    def unweighted(y_true, y_score):
        return float(np.mean((y_score - y_true) ** 2))

    X, y = _data(2, n=2000)
    w = np.linspace(0.5, 2.0, len(y))
    kwargs = ({"eval_metric": [unweighted]} if dask_class is FocalDaskXGBClassifier else {})
    fit_metric = ({} if dask_class is FocalDaskXGBClassifier
                  else {"eval_metric": [unweighted]})
    with pytest.warns(UserWarning, match="eval_metric 'unweighted' takes no sample_weight"):
        dask_class(n_estimators=3, **kwargs).fit(
            _darr(X), _darr(y), eval_set=[(_darr(X), _darr(y))],
            eval_sample_weight=[_darr(w)], **fit_metric)


def test_lightgbm_worker_of_one_training_row_is_refused_before_training(client):
    # lightgbm.dask's per-worker estimator refuses one row ("a minimum of 2 is required
    # by LGBMRegressor", on that worker), while the other worker waits for it to join
    # and keeps its thread (DaskLGBMClassifier alike; ours also where the early-stopping
    # hold-out leaves one row)
    X, y = _data(2, n=400)
    first, second = list(client.scheduler_info()["workers"])[:2]

    def placed(a):  # the last row alone on the second worker
        return da.concatenate([client.persist(da.from_array(a[:-1]), workers=[first]),
                               client.persist(da.from_array(a[-1:]), workers=[second])])

    with pytest.raises(ValueError, match=r"^a worker holds 1 training row .* needs at least "
                                         r"2 on every worker: repartition X and y"):
        FocalDaskLGBMClassifier(n_estimators=3, verbose=-1).fit(placed(X), placed(y))
    # the first worker is free: a task runs there at once (its thread was held)
    assert client.submit(sum, [1, 2], pure=False, workers=[first],
                         allow_other_workers=False).result(timeout=30) == 3


@pytest.mark.parametrize("dask_class", [FocalDaskXGBClassifier, FocalDaskLGBMClassifier])
def test_auc_mu_on_a_binary_model_is_refused_before_training_on_dask(client, dask_class):
    # as in memory (it failed on the workers, with their tracebacks)
    X, y = _data(2, n=400)
    params = ({"eval_metric": "auc_mu"} if dask_class is FocalDaskXGBClassifier
              else {"metric": "auc_mu"})
    with pytest.raises(ValueError, match="'auc_mu' is LightGBM's multiclass AUC-mu"):
        dask_class(n_estimators=2, **params).fit(_darr(X, 200), _darr(y, 200),
                                                 eval_set=[(_darr(X, 200), _darr(y, 200))])


# Collections' shapes, refusals, weights and continued fits at their edges ---

def test_columns_in_several_chunks_are_joined(client):
    # an array chunked along the columns is one chunk of columns per row partition
    X, y = _data(2, n=400)
    by_rows = FocalDaskXGBClassifier(n_estimators=3).fit(_darr(X, 100), _darr(y, 100))
    split = da.from_array(X, chunks=(100, 3))  # three chunks of columns
    model = FocalDaskXGBClassifier(n_estimators=3).fit(split, _darr(y, 100))
    np.testing.assert_array_equal(model.predict_proba(split).compute(),
                                  by_rows.predict_proba(_darr(X, 100)).compute())


def test_labels_of_one_column_are_taken_as_a_vector(client):
    # y of shape (n, 1), as a dask array and a one-column DataFrame
    X, y = _data(2, n=400)
    flat = FocalDaskXGBClassifier(n_estimators=3).fit(_darr(X, 100), _darr(y, 100))
    for column in (_darr(y[:, None], 100), dd.from_pandas(pd.DataFrame({"y": y}),
                                                         npartitions=4)):
        model = FocalDaskXGBClassifier(n_estimators=3).fit(_darr(X, 100), column)
        np.testing.assert_array_equal(model.predict_proba(_darr(X, 100)).compute(),
                                      flat.predict_proba(_darr(X, 100)).compute())


def test_weights_partitioned_otherwise_are_named(client):
    # X and y partitioned alike, the weights (same count) otherwise
    X, y = _data(2, n=400)
    # (either partition may be the first to fail: both are 200 rows against 150 / 250)
    with pytest.raises(ValueError, match=r"X, y and sample_weight have partitions of "
                                         r"different lengths \(200, 200, (150|250) rows\)"):
        FocalDaskXGBClassifier(n_estimators=2).fit(
            dd.from_pandas(pd.DataFrame(X), npartitions=2),
            dd.from_pandas(pd.Series(y), npartitions=2),
            sample_weight=da.from_array(np.ones(400), chunks=((150, 250),)))


def test_labels_and_weights_chunked_otherwise_are_rechunked_as_x(client):
    # arrays of known chunks are aligned on X's chunks
    X, y = _data(2, n=400)
    w = np.linspace(0.5, 1.5, 400)
    alike = FocalDaskXGBClassifier(n_estimators=3).fit(_darr(X, 100), _darr(y, 100),
                                                      sample_weight=_darr(w, 100))
    model = FocalDaskXGBClassifier(n_estimators=3).fit(_darr(X, 100), _darr(y, 150),
                                                      sample_weight=_darr(w, 300))
    np.testing.assert_array_equal(model.predict_proba(_darr(X, 100)).compute(),
                                  alike.predict_proba(_darr(X, 100)).compute())


@pytest.mark.parametrize("cls", [FocalDaskXGBClassifier, FocalDaskLGBMClassifier])
@pytest.mark.parametrize(("fraction", "left"), [(1e-4, "leaves 0 of 400 for validation"),
                                                (0.9999, "leaves 400 of 400 for validation")])
def test_a_hold_out_of_no_row_or_every_row_is_refused(client, cls, fraction, left):
    # as in memory, a hold-out that leaves nothing to validate on, or nothing to
    # train on, is refused by name before training
    from focal_boost.dask import _held_out

    X, y = _data(2, n=400)
    held = np.concatenate([_held_out(100, 0, i, fraction) for i in range(4)])
    assert held.sum() in (0, 400)  # (the draw this test relies on)
    with pytest.raises(ValueError, match=f"validation_fraction={fraction} of the rows, "
                                         f"which {left}"):
        cls(n_estimators=5, early_stopping_rounds=2, validation_fraction=fraction,
            random_state=0).fit(_darr(X, 100), _darr(y, 100))


def _two_worker_layout(client, **kwargs):
    """``(data, workers)``: a _Data of one training partition on each of two workers and
    a validation set of 3 rows on the second."""
    from sklearn.preprocessing import LabelEncoder

    from focal_boost import dask as fdask

    workers = list(client.scheduler_info()["workers"])[:2]
    select = {"encoder": LabelEncoder().fit([0, 1]), "seed": 0, "fraction": None,
              "held_out": False, "pure": False}
    train = [client.submit(fdask._select, {"X": np.full((4, 2), i), "y": np.array([0, 1] * 2),
                                           "w": None}, i, workers=[w], **select)
             for i, w in enumerate(workers)]
    valid = [client.submit(fdask._select, {"X": np.ones((3, 2)), "y": np.array([1, 0, 1]),
                                           "w": None}, 0, workers=[workers[1]], **select)]
    return fdask._Data(client, train, [4, 4], [(valid, [3], False, None)],
                       np.empty((0, 2)), False, **kwargs), workers


def test_every_training_worker_gets_a_whole_copy_of_each_validation_set(client):
    # test_every_worker_evaluates_the_whole_validation_set passes when the one copy
    # lands on the worker whose log is kept; the layout itself says one whole copy per
    # training worker
    data, workers = _two_worker_layout(client)
    assert sorted(data.workers) == sorted(workers)
    X, y, w = data.valid[0]
    assert X.numblocks[0] == len(workers) and w is None
    np.testing.assert_array_equal(y.compute(), [1, 0, 1] * len(workers))


def test_xgboost_one_class_labels_of_a_dataframe_are_a_series(client):
    # a model of one class is binary (as in memory), so its labels of a DataFrame
    # are a Series on the frame's index, as for two classes
    X, _ = _data(2, n=400)
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])],
                         index=np.arange(400) + 1000)
    ddf = dd.from_pandas(frame, npartitions=4)
    model = FocalDaskXGBClassifier(n_estimators=3).fit(
        ddf, dd.from_pandas(pd.Series(np.full(400, 3), index=frame.index), npartitions=4))
    labels = model.predict(ddf)
    assert isinstance(labels, dd.Series)
    labels = labels.compute()
    assert labels.index.tolist() == frame.index.tolist() and (labels == 3).all()


@pytest.mark.parametrize("cls", [FocalDaskXGBClassifier, FocalDaskLGBMClassifier])
def test_score_weighs_the_rows(client, cls):
    # score(X, y, sample_weight) as in memory (the weights were ignored)
    X, y = _data(2, n=400)
    w = np.where(y == 1, 5.0, 0.5)
    model = cls(n_estimators=3).fit(_darr(X, 100), _darr(y, 100))
    local = model.to_local()
    weighted = model.score(_darr(X, 100), _darr(y, 100), sample_weight=_darr(w, 100))
    assert weighted == pytest.approx(local.score(X, y, sample_weight=w))
    assert weighted != pytest.approx(local.score(X, y))


def test_eval_sample_weight_of_another_length_than_eval_set_is_refused(client):
    # as in memory and XGBClassifier (an extra entry was ignored, a missing one an
    # IndexError); LightGBM's fit takes one per set by its own rule first
    cls = FocalDaskXGBClassifier
    X, y = _data(2, n=400)
    dX, dy = _darr(X, 100), _darr(y, 100)
    with pytest.raises(ValueError, match="eval_sample_weight needs one entry per eval_set"):
        cls(n_estimators=2).fit(dX, dy, eval_set=[(dX, dy)],
                                eval_sample_weight=[_darr(np.ones(400), 100)] * 2)


@pytest.mark.parametrize("cls", [FocalDaskXGBClassifier, FocalDaskLGBMClassifier])
def test_eval_set_entries_that_are_not_pairs_are_refused(client, cls):
    # as in memory (a third item, such as weights, was silently dropped)
    X, y = _data(2, n=400)
    dX, dy = _darr(X, 100), _darr(y, 100)
    with pytest.raises(ValueError, match=r"eval_set must be a list of \(X, y\) pairs"):
        cls(n_estimators=2).fit(dX, dy, eval_set=[(dX, dy, _darr(np.ones(400), 100))])


def test_xgboost_continued_fit_reads_its_best_score_from_its_own_log(client):
    # the log of a continued fit holds its own rounds only; best_iteration_ counts
    # the model's earlier rounds too
    X, y = _data(2, n=1200)
    y = np.where(np.random.default_rng(1).random(len(y)) < 0.3, 1 - y, y)  # overfits soon
    dX, dy = _darr(X[:800], 400), _darr(y[:800], 400)
    valid = [(_darr(X[800:], 400), _darr(y[800:], 400))]
    first = FocalDaskXGBClassifier(n_estimators=3).fit(dX, dy)
    more = FocalDaskXGBClassifier(n_estimators=60, learning_rate=0.5, max_depth=6,
                                  early_stopping_rounds=5).fit(dX, dy, eval_set=valid,
                                                               xgb_model=first)
    log = more.evals_result_["validation_0"]["focal_loss"]
    assert len(log) == more.best_iteration_ - 3 + 6 < 60  # (it stopped early)
    assert more.best_score_ == pytest.approx(min(log))
    assert more.best_score_ == log[more.best_iteration_ - 3]


def test_joining_partitions_keeps_each_rows_weight():
    # rows, labels and weights joined in the same order
    from focal_boost import dask as fdask

    first = {"X": np.zeros((3, 2)), "y": np.zeros(3, np.float32),
             "w": np.array([1, 2, 3], np.float32)}
    second = {"X": np.ones((3, 2)), "y": np.ones(3, np.float32),
              "w": np.array([7, 8, 9], np.float32)}
    joined = fdask._concat(first, second)
    np.testing.assert_array_equal(joined["X"][:, 0], joined["y"])
    np.testing.assert_array_equal(joined["w"], [1, 2, 3, 7, 8, 9])


def test_joining_sparse_partitions_keeps_the_row_order():
    # CSR blocks joined in the order of their labels
    import scipy.sparse

    from focal_boost import dask as fdask

    parts = [{"X": scipy.sparse.csr_matrix(np.full((2, 2), float(i))),
              "y": np.full(2, i, np.float32), "w": None} for i in (1, 2, 3)]
    joined = fdask._concat(*parts)
    assert scipy.sparse.issparse(joined["X"]) and joined["X"].format == "csr"
    np.testing.assert_array_equal(joined["X"].toarray()[:, 0], joined["y"])


def test_early_stopping_rounds_0_is_off(client):
    # 0 is off, as in XGBoost and in memory: every row trained on, every round kept
    X, y = _data(2, n=400)
    dX, dy = _darr(X, 100), _darr(y, 100)
    off = FocalDaskXGBClassifier(n_estimators=5).fit(dX, dy)
    zero = FocalDaskXGBClassifier(n_estimators=5, early_stopping_rounds=0).fit(dX, dy)
    assert zero.best_iteration_ == 4
    np.testing.assert_array_equal(zero.predict_proba(dX).compute(),
                                  off.predict_proba(dX).compute())


@pytest.mark.parametrize("cls", [FocalDaskXGBClassifier, FocalDaskLGBMClassifier])
def test_frame_columns_named_by_numbers_are_named_as_in_memory(client, cls):
    # integer column names become strings, as in the in-memory estimators
    X, y = _data(2, n=400)
    frame = pd.DataFrame(X)
    model = cls(n_estimators=2).fit(dd.from_pandas(frame, npartitions=4),
                                    dd.from_pandas(pd.Series(y), npartitions=4))
    local = model._local_class(n_estimators=2).fit(frame, y)
    assert list(model.feature_names_in_) == list(local.feature_names_in_)


def test_xgboost_the_weighted_hold_out_is_scored_with_its_weights(client):
    # the early-stopping hold-out of weighted rows is evaluated weighted, as in memory
    from conftest import raw_margins

    from focal_boost.dask import _held_out

    X, y = _data(2, n=800)
    w = np.where(y == 1, 5.0, 0.5)
    clf = FocalDaskXGBClassifier(n_estimators=4, early_stopping_rounds=10,
                                 validation_fraction=0.3, random_state=0).fit(
        _darr(X, 200), _darr(y, 200), sample_weight=_darr(w, 200))
    out = np.concatenate([_held_out(200, clf._split_seed(), i, 0.3) for i in range(4)])
    margins = raw_margins(clf.to_local(), X[out])
    expected = np.average(clf.loss_.loss(y[out], margins), weights=w[out])
    log = next(iter(clf.evals_result_.values()))["focal_loss"]
    assert len(log) == 4
    # the margins are the kept rounds' (XGBoost 3.4's loss rises after round 2)
    assert log[clf.best_iteration_] == pytest.approx(expected, rel=1e-4)


@pytest.mark.parametrize("cls", [FocalDaskXGBClassifier, FocalDaskLGBMClassifier])
def test_more_than_twenty_classes_are_no_regression_target(client, cls):
    # scikit-learn's target check ran on the distinct classes, all unique: past 20
    # classes every fit warned "y could represent a regression problem" (in memory, and
    # DaskXGBClassifier / DaskLGBMClassifier, nothing); a continuous y is still refused
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(2000, 3)), np.arange(2000) % 21
    with warnings.catch_warnings():
        warnings.filterwarnings("error", "The number of unique classes", UserWarning)
        model = cls(n_estimators=2).fit(_darr(X, 1000), _darr(y, 1000))
    assert model.n_classes_ == 21
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        cls(n_estimators=2).fit(_darr(X, 1000), _darr(y + 0.5, 1000))


# ---------------------------------------------- found unpinned by mutation testing
# (a second round over focal_boost/dask.py: 59 mutants, 11 gaps)
def _rows400(n=400, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    y = (X[:, 0] + rng.normal(size=n) > 0.5).astype(int)
    return X, y


def _dc(a, rows=100):
    return da.from_array(a, chunks=(rows, *a.shape[1:]))


def test_all_zero_sample_weights_are_refused_as_in_memory(client):
    X, y = _rows400()
    message = "Sample weights must contain at least one non-zero number"
    with pytest.raises(ValueError, match=message):
        FocalXGBClassifier(n_estimators=2).fit(X, y, sample_weight=np.zeros(len(y)))
    with pytest.raises(ValueError, match=message):
        FocalDaskXGBClassifier(n_estimators=2).fit(_dc(X), _dc(y),
                                                   sample_weight=_dc(np.zeros(len(y))))


@pytest.mark.parametrize("dask_class", [FocalDaskXGBClassifier, FocalDaskLGBMClassifier])
def test_weights_all_zero_only_in_float32_are_refused_naming_the_cause(client, dask_class):
    # 1e-50 is 0 in float32, as both libraries hold weights: said, as in memory (the
    # message was scikit-learn's "at least one non-zero number")
    X, y = _rows400()
    tiny = np.r_[np.zeros(300), np.full(100, 1e-50)]  # (zero partitions beside it)
    message = (r"sample weights are all 0 in float32, as both libraries hold them "
               r"\(below 1\.4e-45\): scale them up")
    with pytest.raises(ValueError, match="^" + message):
        dask_class._local_class(n_estimators=2).fit(X, y, sample_weight=tiny)
    with pytest.raises(ValueError, match="^" + message):
        dask_class(n_estimators=2).fit(_dc(X), _dc(y), sample_weight=_dc(tiny))
    weights_of_sets = ("sample_weight_eval_set" if dask_class is FocalDaskXGBClassifier
                       else "eval_sample_weight")
    with pytest.raises(ValueError, match=r"^the weights of eval_set\[0\]: " + message):
        dask_class(n_estimators=2).fit(_dc(X), _dc(y), eval_set=[(_dc(X), _dc(y))],
                                       **{weights_of_sets: [_dc(tiny)]})


def test_a_hold_out_of_zero_weight_is_refused_by_name(client):
    from focal_boost import dask as fdask

    X, y = _rows400()
    clf = FocalDaskXGBClassifier(n_estimators=2, early_stopping_rounds=2, random_state=0)
    seed = clf._split_seed()
    # weight only on the training rows of the draw: the held-out rows weigh 0
    held = np.concatenate([fdask._held_out(100, seed, i, clf.validation_fraction)
                           for i in range(4)])
    assert held.any()
    w = (~held).astype(float)
    with pytest.raises(ValueError, match="whose sample weights sum to 0 here; pass eval_set"):
        clf.fit(_dc(X), _dc(y), sample_weight=_dc(w))


def test_lightgbm_training_data_passed_again_is_scored_with_its_weights(client):
    X, y = _rows400()
    w = np.where(y == 1, 3.0, 0.5)
    dX, dy, dw = _dc(X), _dc(y), _dc(w)
    clf = FocalDaskLGBMClassifier(n_estimators=3, min_child_samples=5).fit(
        dX, dy, sample_weight=dw,
        eval_set=[(dX, dy), (_dc(X.copy()), _dc(y.copy()))], eval_sample_weight=[None, dw])
    # the training data passed again is weighted as trained on, as in memory
    np.testing.assert_allclose(clf.evals_result_["valid_0"]["focal_loss"],
                               clf.evals_result_["valid_1"]["focal_loss"], rtol=1e-9)


def test_a_first_round_early_stop_on_an_eval_set_names_the_eval_set(client):
    X, y = _rows400()
    kw = {"n_estimators": 5, "early_stopping_rounds": 3}
    messages = []
    for fit in (lambda: FocalXGBClassifier(**kw).fit(X, y, eval_set=[(X, 1 - y)]),
                lambda: FocalDaskXGBClassifier(**kw).fit(_dc(X), _dc(y),
                                                         eval_set=[(_dc(X), _dc(1 - y))])):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fit()
        messages.append([str(c.message) for c in caught if "first iteration" in
                         str(c.message)])
    local, dask_ = messages
    assert len(local) == len(dask_) == 1
    assert ("are its rows drawn as the training rows are? An eval_set passed through a "
            "Pipeline") in dask_[0]
    assert dask_ == local


@pytest.mark.parametrize("cls", [FocalDaskXGBClassifier, FocalDaskLGBMClassifier])
def test_leaves_of_an_empty_chunk_are_an_empty_block(client, cls):
    X, y = _rows400()
    clf = cls(n_estimators=3, min_child_samples=5) if cls is FocalDaskLGBMClassifier \
        else cls(n_estimators=3)
    clf.fit(_dc(X), _dc(y))
    dX = da.from_array(X[:200], chunks=((100, 0, 100), (4,)))
    if cls is FocalDaskXGBClassifier:  # (the leaves: apply, as DaskXGBClassifier's)
        got, want = clf.apply(dX), clf.to_local().apply(X[:200])
    else:
        got, want = clf.predict(dX, pred_leaf=True), clf.to_local().predict(X[:200],
                                                                             pred_leaf=True)
    np.testing.assert_array_equal(got.compute(), want)


def test_binary_decision_function_is_one_column_wide_before_computing(client):
    X, y = _rows400()
    clf = FocalDaskXGBClassifier(n_estimators=3).fit(_dc(X), _dc(y))
    out = clf.decision_function(_dc(X))
    assert out.shape == (len(y),)
    np.testing.assert_allclose(out.compute(), clf.to_local().decision_function(X))


def test_predict_declares_the_labels_dtype(client):
    X, y = _rows400()
    labels = np.array(["neg", "pos"])[y]
    clf = FocalDaskXGBClassifier(n_estimators=3).fit(_dc(X), _dc(labels))
    out = clf.predict(_dc(X))
    assert out.dtype == clf.classes_.dtype
    np.testing.assert_array_equal(out.compute(), clf.to_local().predict(X))


def test_a_closed_client_is_named(client):
    X, y = _rows400()
    other = Client(client.scheduler.address, set_as_default=False)
    other.close()
    clf = FocalDaskXGBClassifier(n_estimators=2, client=other)
    with pytest.raises(ValueError, match="client of this FocalDaskXGBClassifier is closed"):
        clf.fit(_dc(X), _dc(y))


def test_a_model_whose_client_closed_predicts_on_the_default_client(client):
    X, y = _rows400()
    other = Client(client.scheduler.address, set_as_default=False)
    clf = FocalDaskXGBClassifier(n_estimators=2, client=other).fit(_dc(X), _dc(y))
    other.close()
    assert clf.score(_dc(X), _dc(y)) == pytest.approx(clf.to_local().score(X, y))


def test_each_validation_copy_lies_on_its_training_worker(client):
    import time

    # (the module's client holds other tests' data: only this layout's copies count)
    before = {key for keys in client.has_what().values() for key in keys}
    data, workers = _two_worker_layout(client, per_worker=False)
    copies = {}
    for _ in range(400):  # (the copies are computed in the background)
        copies = {w: [k for k in keys if str(k).startswith("_concat") and k not in before]
                  for w, keys in client.has_what().items()}
        if sum(map(len, copies.values())) == len(workers):
            break
        time.sleep(0.05)
    assert sorted(len(copies[w]) for w in workers) == [1, 1]
    assert len(data.valid) == 1


def test_head_reads_the_worker_of_most_training_rows(client):
    from focal_boost import dask as fdask

    workers = list(client.scheduler_info()["workers"])[:2]
    parts = [{"X": np.full((n, 2), float(n)), "y": np.zeros(n), "w": None} for n in (2, 5)]
    train = [client.submit(fdask._concat, p, workers=[w], pure=False)
             for p, w in zip(parts, workers, strict=True)]
    data = fdask._Data(client, train, [2, 5], [], np.empty((0, 2)), False)
    head = data.head(client, 3)
    np.testing.assert_array_equal(head["X"], np.full((3, 2), 5.0))


def test_lightgbm_linear_trees_refuse_infinite_feature_values(client):
    """The distributed fit refuses infinite values with linear_tree from the workers'
    column ranges, as FocalLGBMClassifier does (LightGBM's linear leaves make those
    rows' margins NaN)."""
    X, y = _data(2, n=2000)
    X[7, 3] = np.inf
    with pytest.raises(ValueError, match=r"^linear_tree=True takes no infinite feature "
                                         r"values, .*\(by position: 3\)"):
        FocalDaskLGBMClassifier(linear_tree=True, n_estimators=3, client=client).fit(
            _darr(X), _darr(y))


def test_xgboost_linear_booster_is_refused_before_the_data(client):
    """xgboost.dask has no distributed linear booster: booster='gblinear' is refused
    first thing, by name (DaskXGBClassifier's NotImplementedError came after the data
    was sent; a category column or an infinity was named first)."""
    X, y = _data(2, n=400)
    dX, dy = _darr(X, 200), _darr(y, 200)
    with pytest.raises(NotImplementedError, match="gblinear"):
        dxgb.DaskXGBClassifier(booster="gblinear", n_estimators=2).fit(dX, dy)
    _, _, ddf, fy = _frame(n=400, partitions=2)
    X[3, 1] = -np.inf
    for data, labels in ((ddf, fy), (_darr(X, 200), dy)):
        with pytest.raises(NotImplementedError, match=r"^booster='gblinear' does not train "
                                                      r"on Dask: .*use booster='gbtree'"):
            FocalDaskXGBClassifier(booster="gblinear", missing=np.inf, n_estimators=2,
                                   client=client).fit(data, labels)


def test_xgboost_infinities_are_refused_by_column_on_the_client(client):
    """Infinite values XGBoost refuses (any, or the other one under missing=+-inf) are
    named by column before training, as FocalXGBClassifier names them; XGBoost's
    refusal on the workers was a C++ trace, for arrays often a broken ring of workers
    instead (DaskXGBClassifier alike). Exact trees are not on Dask; LightGBM takes them."""
    X, y = _data(2, n=800)
    X[5, 1], X[650, 2] = np.inf, -np.inf  # (in different partitions)
    frame = dd.from_pandas(pd.DataFrame(X, columns=list("abcdefgh")), npartitions=2)
    labels = dd.from_pandas(pd.Series(y), npartitions=2)
    for data, dy, columns in ((_darr(X, 400), _darr(y, 400), ("1, 2", "2")),
                              (frame, labels, ("'b', 'c'", "'c'"))):
        with pytest.raises(ValueError, match=rf"^X contains infinity in column\(s\) "
                                             rf"{columns[0]}\. .*set missing=np\.inf"):
            FocalDaskXGBClassifier(n_estimators=2, client=client).fit(data, dy)
        with pytest.raises(ValueError, match=rf"^X contains -inf in column\(s\) {columns[1]}, "
                                             r"which missing=inf does not mark as missing"):
            FocalDaskXGBClassifier(n_estimators=2, missing=np.inf, client=client).fit(data, dy)
    clean, dy = _darr(np.nan_to_num(X, posinf=0, neginf=0), 400), _darr(y, 400)
    with pytest.raises(ValueError, match=r"^eval_set\[0\]'s X contains infinity in "
                                         r"column\(s\) 1, 2\."):
        FocalDaskXGBClassifier(n_estimators=2, client=client).fit(
            clean, dy, eval_set=[(_darr(X, 400), dy)])
    # one infinity as the missing value trains, and predicts as in memory
    X[650, 2] = np.inf
    ours = FocalDaskXGBClassifier(n_estimators=2, missing=np.inf, client=client).fit(
        _darr(X, 400), dy)
    local = FocalXGBClassifier(n_estimators=2, missing=np.inf).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(_darr(X, 400)).compute(),
                               local.predict_proba(X), atol=1e-6)
    FocalDaskLGBMClassifier(n_estimators=2, client=client).fit(_darr(X, 400), dy)


def test_xgboost_infinities_are_named_once_in_column_order(client):
    """As in memory, each column once and in X's order, whichever partitions hold it
    (they were listed by the partition they were first found in: past five columns the
    message then names other columns than FocalXGBClassifier's)."""
    X, y = _data(2, n=800)
    X[5, 2] = X[650, 2] = np.inf  # one column, both partitions
    X[700, 1] = np.inf  # an earlier column, in the second partition only
    frame = pd.DataFrame(X, columns=list("abcdefgh"))
    with pytest.raises(ValueError) as in_memory:  # (a frame's, named by column)
        FocalXGBClassifier(n_estimators=2).fit(frame, y)
    with pytest.raises(ValueError) as on_dask:
        FocalDaskXGBClassifier(n_estimators=2, client=client).fit(
            dd.from_pandas(frame, npartitions=2), _darr(y, 400))
    assert str(on_dask.value) == str(in_memory.value)
    assert "in column(s) 'b', 'c'. " in str(on_dask.value)
    with pytest.raises(ValueError, match=r"^X contains infinity in column\(s\) 1, 2\. "):
        FocalDaskXGBClassifier(n_estimators=2, client=client).fit(_darr(X, 400),
                                                                  _darr(y, 400))


@pytest.mark.parametrize("cls", DASK_CLASSES)
def test_a_fit_leaves_the_process_warning_filters_alone(client, cls, package_warning_swaps):
    """The class check of a Dask fit ran under catch_warnings (to skip scikit-learn's
    many-classes warning), which swaps the process's warning filters: fits in threads
    could leave them changed. It checks each class twice instead: 30 classes, no
    warning, and no catch_warnings of the package's own."""
    X, _ = _data(2, n=600)
    y = np.arange(600) % 30
    with warnings.catch_warnings(record=True) as said:  # (the test's own: not recorded)
        warnings.simplefilter("always")
        cls(n_estimators=2, client=client).fit(_darr(X, 300), _darr(y, 300))
    assert not [w for w in said if "unique classes" in str(w.message)]
    assert package_warning_swaps == []


# --------- found unpinned by mutation testing (inputs, weights, fit guards, layout)
def _class_rows(n=400, seed=0, classes=2):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    y = np.digitize(X[:, 0] + rng.normal(size=n), [0.5, 1.5][:classes - 1])
    return X, y


def test_weights_only_on_held_out_rows_name_the_training_share(client):
    # every weighted row held out: the training rows weigh 0, which is said as such
    from focal_boost import dask as fdask

    X, y = _class_rows()
    clf = FocalDaskXGBClassifier(n_estimators=2, early_stopping_rounds=2, random_state=0)
    held = np.concatenate([fdask._held_out(100, clf._split_seed(), i,
                                           clf.validation_fraction) for i in range(4)])
    with pytest.raises(ValueError, match="which leaves rows to train on whose sample "
                                         "weights sum to 0 here; pass eval_set, lower"):
        clf.fit(_dc(X), _dc(y), sample_weight=_dc(held.astype(float)))


def test_a_frame_without_columns_is_refused_by_name(client):
    X, y = _class_rows()
    frame = dd.from_pandas(pd.DataFrame(X, columns=list("abcd")), npartitions=4)
    with pytest.raises(ValueError, match="^X has no columns$"):
        FocalDaskXGBClassifier(n_estimators=2).fit(frame[[]], _dc(y))


def test_boolean_arrays_fit_as_their_numbers(client):
    X, y = _class_rows()
    Xb = X > 0
    ref = FocalDaskXGBClassifier(n_estimators=3).fit(_dc(Xb.astype(float)), _dc(y))
    model = FocalDaskXGBClassifier(n_estimators=3).fit(_dc(Xb), _dc(y))
    np.testing.assert_array_equal(model.predict_proba(_dc(Xb)).compute(),
                                  ref.predict_proba(_dc(Xb.astype(float))).compute())


def test_two_chunks_of_columns_are_joined(client):
    X, y = _class_rows()
    ref = FocalDaskXGBClassifier(n_estimators=3).fit(_dc(X), _dc(y))
    split = da.from_array(X, chunks=(100, 2))  # two chunks of columns
    model = FocalDaskXGBClassifier(n_estimators=3).fit(split, _dc(y))
    np.testing.assert_array_equal(model.predict_proba(split).compute(),
                                  ref.predict_proba(_dc(X)).compute())


def test_continuing_on_rows_of_some_classes_with_a_hold_out(client):
    # no eval_set: early stopping holds rows out; the model's class without rows here is
    # not "left without training rows"
    X, y = _class_rows(600, classes=3)
    three = FocalDaskXGBClassifier(n_estimators=2).fit(_dc(X, 200), _dc(y, 200))
    keep = y != 1
    more = FocalDaskXGBClassifier(n_estimators=2, early_stopping_rounds=2).fit(
        _dc(X[keep], 200), _dc(y[keep], 200), xgb_model=three)
    assert more.classes_.tolist() == [0, 1, 2]


def test_lightgbm_counts_every_partition_of_a_worker(client):
    # partitions of 10 rows, 400 rows in all: each worker has far more than
    # 2 * min_child_samples rows, so trees split (no constant model)
    X, y = _class_rows()
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        warnings.filterwarnings("ignore", "Parameter n_jobs will be ignored")
        model = FocalDaskLGBMClassifier(n_estimators=3, min_child_samples=20).fit(
            _dc(X, 10), _dc(y, 10))
    assert model.booster_.num_trees() == 3
    assert np.ptp(model.predict_proba(_dc(X)).compute()[:, 1]) > 0


def test_labels_without_rows_are_refused_by_name(client):
    with pytest.raises(ValueError, match="^y has no class; FocalDaskXGBClassifier needs "
                                         "labels$"):
        FocalDaskXGBClassifier(n_estimators=2).fit(_dc(np.empty((0, 4))),
                                                   _dc(np.empty(0, int)))


def test_an_unweighted_metric_is_warned_of_when_some_eval_set_is_weighted(client):
    def unweighted(y_true, y_score):
        return float(np.mean((y_score - y_true) ** 2))

    X, y = _class_rows()
    with pytest.warns(UserWarning, match="eval_metric 'unweighted' takes no sample_weight"):
        FocalDaskLGBMClassifier(n_estimators=2, min_child_samples=5).fit(
            _dc(X), _dc(y), eval_set=[(_dc(X), _dc(y)), (_dc(X.copy()), _dc(y.copy()))],
            eval_sample_weight=[_dc(np.full(400, 3.0)), None], eval_metric=[unweighted])


def test_kernel_threads_follow_n_jobs_and_the_workers(client):
    X, y = _class_rows()
    xgb = FocalDaskXGBClassifier(n_estimators=2, n_jobs=2).fit(_dc(X), _dc(y))
    assert xgb._kernel_threads() == 2  # n_jobs, set
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Parameter n_jobs will be ignored")
        lgbm = FocalDaskLGBMClassifier(n_estimators=2, min_child_samples=5, n_jobs=2).fit(
            _dc(X), _dc(y))
    assert lgbm._kernel_threads() == 1  # each worker's threads, whatever n_jobs


def test_to_local_keeps_every_parameter(client):
    X, y = _class_rows()
    model = FocalDaskXGBClassifier(n_estimators=2, n_jobs=2, max_depth=3).fit(_dc(X), _dc(y))
    params = model.get_params()
    del params["client"]
    assert model.to_local().get_params() == params


def test_predict_by_position_of_another_column_count_names_the_columns(client):
    X, y = _class_rows()
    frame = dd.from_pandas(pd.DataFrame(X, columns=list("abcd")), npartitions=4)
    model = FocalDaskXGBClassifier(n_estimators=2).fit(frame, _dc(y))
    wider = dd.from_pandas(pd.DataFrame(np.c_[X, X[:, 0]], columns=list("abcde")),
                           npartitions=4)
    with pytest.raises(ValueError, match="Feature names unseen at fit time:\n- e"):
        model.predict(wider, validate_features=False)


def test_xgboost_max_bin_bounds_the_split_values(client):
    X, y = _class_rows()
    model = FocalDaskXGBClassifier(n_estimators=20, max_bin=4).fit(_dc(X), _dc(y))
    trees = model.booster_.trees_to_dataframe()
    splits = trees[trees.Feature != "Leaf"].groupby("Feature")["Split"].nunique()
    assert splits.max() <= 4


def test_lightgbm_eval_set_without_rows_is_refused_by_name(client):
    X, y = _class_rows()
    with pytest.raises(ValueError, match=r"^eval_set\[0\] has no rows: LightGBM cannot "
                                         "evaluate an empty Dataset; leave it out$"):
        FocalDaskLGBMClassifier(n_estimators=2, min_child_samples=5).fit(
            _dc(X), _dc(y), eval_set=[(_dc(np.empty((0, 4))), _dc(np.empty(0, int)))])


def test_lightgbm_constant_model_warning_names_the_workers(client):
    X, y = _class_rows()
    with pytest.warns(UserWarning, match="too few rows on each of the 2 workers, which "
                                         "LightGBM bins apart"):
        FocalDaskLGBMClassifier(n_estimators=2, min_child_samples=300).fit(
            _dc(X, 50), _dc(y, 50))


def test_lightgbm_an_unweighted_eval_set_gives_its_metric_no_weights(client):
    def weight_sum(y_true, y_score, sample_weight=None):
        return float(-1 if sample_weight is None else np.sum(sample_weight))

    X, y = _class_rows()
    model = FocalDaskLGBMClassifier(n_estimators=2, min_child_samples=5).fit(
        _dc(X), _dc(y), eval_set=[(_dc(X), _dc(y)), (_dc(X.copy()), _dc(y.copy()))],
        eval_sample_weight=[_dc(np.full(400, 3.0)), None], eval_metric=[weight_sum])
    assert model.evals_result_["valid_0"]["weight_sum"] == [1200.0, 1200.0]
    assert model.evals_result_["valid_1"]["weight_sum"] == [-1.0, -1.0]


# ---- found unpinned by mutation testing (column order of infinities, eval categories)
def _dask_rows():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 10))
    return X, (X[:, 0] > 0).astype(int)


def test_dask_infinities_of_a_frame_are_named_in_its_column_order(client):
    import dask.dataframe as dd

    from focal_boost.dask import FocalDaskXGBClassifier

    X, y = _dask_rows()
    X[10, 0] = X[300, 1] = np.inf
    frame = pd.DataFrame(X, columns=list("zyxwvutsrq"))
    with pytest.raises(ValueError, match=r"^X contains infinity in column\(s\) 'z', 'y'\. "):
        FocalDaskXGBClassifier(n_estimators=2, client=client).fit(
            dd.from_pandas(frame, npartitions=2), dd.from_pandas(pd.Series(y), npartitions=2))


def test_dask_infinities_of_an_array_are_named_in_position_order(client):
    import dask.array as da

    from focal_boost.dask import FocalDaskXGBClassifier

    X, y = _dask_rows()
    X[10, 8] = X[300, 1] = np.inf  # 8 in the first block, 1 in the second
    with pytest.raises(ValueError, match=r"^X contains infinity in column\(s\) 1, 8\. "):
        FocalDaskXGBClassifier(n_estimators=2, client=client).fit(
            da.from_array(X, chunks=(200, 10)), da.from_array(y, chunks=200))


def test_dask_eval_array_infinities_beside_a_training_frame_are_refused(client):
    import dask.array as da
    import dask.dataframe as dd

    from focal_boost.dask import FocalDaskXGBClassifier

    X, y = _dask_rows()
    frame = pd.DataFrame(X, columns=list("zyxwvutsrq"))
    bad = X.copy()
    bad[10, 3] = np.inf
    with pytest.raises(ValueError, match=r"^eval_set\[0\]'s X contains infinity in "
                                         r"column\(s\) 3\. "):
        FocalDaskXGBClassifier(n_estimators=2, client=client).fit(
            dd.from_pandas(frame, npartitions=2), dd.from_pandas(pd.Series(y), npartitions=2),
            eval_set=[(da.from_array(bad, chunks=(200, 10)), da.from_array(y, chunks=200))])


def test_dask_eval_frames_with_unseen_levels_are_refused_as_in_memory(client):
    # an eval frame's level the training data lacks, held by rows: refused by column, as
    # in memory (XGBoost's Dask interface coded it as another level for the metrics)
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"cat": pd.Categorical(rng.choice(list("abcdefgh"), 400)),
                      "x": rng.normal(size=400)})
    y = pd.Series((X.cat.isin(list("aceg")) ^ (X.x > 0.8)).astype(int))
    ev = X[:50].assign(cat=X.cat[:50].cat.add_categories(["b2"]))
    ev.loc[0:5, "cat"] = "b2"
    with pytest.raises(ValueError, match=r"^eval_set\[0\]'s X holds, in column 'cat', "
                                         r"categories the model was not trained on "
                                         r"\('b2'\)"):
        FocalDaskXGBClassifier(n_estimators=3, client=client).fit(
            dd.from_pandas(X, npartitions=2), dd.from_pandas(y, npartitions=2),
            eval_set=[(dd.from_pandas(ev, npartitions=1), dd.from_pandas(y[:50],
                                                                         npartitions=1))])
    # a level its dtype has and no row holds: trains, and scores the set as in memory
    # (the partitions kept the level, which XGBoost refused where it sorts last, and
    # XGBoost 3.4 wherever it sorts: "Found a category not in the training set")
    for level in ("b2", "zz"):
        unused = X[:50].assign(cat=X.cat[:50].cat.add_categories([level]))
        model = FocalDaskXGBClassifier(n_estimators=3, client=client).fit(
            dd.from_pandas(X, npartitions=2), dd.from_pandas(y, npartitions=2),
            eval_set=[(dd.from_pandas(unused, npartitions=1), dd.from_pandas(y[:50],
                                                                         npartitions=1))])
        in_memory = FocalXGBClassifier(n_estimators=3).fit(X, y, eval_set=[(unused, y[:50])])
        np.testing.assert_allclose(model.evals_result_["validation_0"]["focal_loss"],
                                   in_memory.evals_result_["validation_0"]["focal_loss"],
                                   rtol=1e-6)


def test_dask_continuation_on_an_unseen_level_is_refused_as_in_memory(client):
    # the continued model's levels code the rows on Dask too (a fit continued on rows of
    # "b2" trained them as "c", and its predict then scored "b2" as "c")
    pytest.importorskip("pyarrow")  # (XGBoost exports a Booster's levels with it)
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"cat": pd.Categorical(rng.choice(list("abcdefgh"), 400)),
                      "x": rng.normal(size=400)})
    y = pd.Series((X.cat.isin(list("aceg")) ^ (X.x > 0.8)).astype(int))
    first = FocalXGBClassifier(n_estimators=3).fit(X, y)
    more = X.assign(cat=pd.Categorical(X.cat.astype(str).str.replace("c", "b2")))
    for model in (first, first.get_booster()):
        with pytest.raises(ValueError, match=r"^X holds, in column 'cat', categories the "
                                             r"model was not trained on \('b2'\)"):
            FocalDaskXGBClassifier(n_estimators=2, client=client).fit(
                dd.from_pandas(more, npartitions=2), dd.from_pandas(y, npartitions=2),
                xgb_model=model)


def test_dask_continuation_codes_an_eval_set_of_unknown_categories_by_the_model_levels(
        client):
    # an evaluation set's categories unknown to dask are coded by the continued model's
    # levels, as in memory, not by those of X's dtype: X's rows lack the model's "c"
    # (X's dtype: a and b), the set holds it (coded by X's levels: refused as unseen)
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"cat": pd.Categorical(rng.choice(list("abc"), 600)),
                      "x": rng.normal(size=600)})
    y = pd.Series(((X.cat == "a") ^ (X.x > 0.8)).astype(int))
    first = FocalXGBClassifier(n_estimators=3, enable_categorical=True).fit(X, y)
    rows = (X.cat != "c").to_numpy()
    more = X[rows].assign(cat=lambda f: f.cat.cat.remove_unused_categories())
    in_memory = FocalXGBClassifier(n_estimators=2, enable_categorical=True).fit(
        more, y[rows], xgb_model=first, eval_set=[(X, y)])
    unknown = dd.from_pandas(X, npartitions=2)
    unknown["cat"] = unknown["cat"].cat.as_unknown()
    labels = dd.from_pandas(y, npartitions=2)
    model = FocalDaskXGBClassifier(n_estimators=2, enable_categorical=True,
                                   client=client).fit(
        dd.from_pandas(more, npartitions=2), dd.from_pandas(y[rows], npartitions=2),
        xgb_model=first, eval_set=[(unknown, labels), (dd.from_pandas(X, npartitions=2),
                                                       labels)])
    result = model.evals_result_
    assert result["validation_0"] == result["validation_1"]
    assert len(result["validation_0"]["focal_loss"]) == len(
        in_memory.evals_result_["validation_0"]["focal_loss"]) == 2


def test_dask_continuation_on_a_dtype_with_an_unused_level_trains_as_in_memory(client):
    # the continued model's levels code the rows; a level of X's dtype that no row holds
    # is left out of the training partitions, as in memory (kept, XGBoost refused it:
    # "Found a category not in the training set ... `zz`")
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"cat": pd.Categorical(rng.choice(list("abcdefgh"), 400)),
                      "x": rng.normal(size=400)})
    y = pd.Series((X.cat.isin(list("aceg")) ^ (X.x > 0.8)).astype(int))
    first = FocalXGBClassifier(n_estimators=3).fit(X, y)
    more = X.assign(cat=X.cat.cat.add_categories(["zz"]))
    in_memory = FocalXGBClassifier(n_estimators=2).fit(more, y, xgb_model=first)
    model = FocalDaskXGBClassifier(n_estimators=2, client=client).fit(
        dd.from_pandas(more, npartitions=2), dd.from_pandas(y, npartitions=2),
        xgb_model=first)
    local = model.to_local()
    assert local.get_booster().num_boosted_rounds() == 5
    np.testing.assert_allclose(local.predict_proba(X), in_memory.predict_proba(X),
                               rtol=0, atol=1e-6)


def test_clone_leaves_the_estimator_its_client(client, monkeypatch):
    # clone set the estimator's client to None while it cloned: threads cloning one
    # estimator at once got clones without it, or a TypeError (a client's Task pickled)
    model = FocalDaskLGBMClassifier(n_estimators=3, client=client)
    during = []
    get_params = FocalDaskLGBMClassifier.get_params

    def spy(estimator, deep=True):
        during.append(model.client)
        return get_params(estimator, deep)

    monkeypatch.setattr(FocalDaskLGBMClassifier, "get_params", spy)
    copy = clone(model)
    assert during and all(c is client for c in during)
    assert copy.client is client and model.client is client
    assert copy.get_params() == model.get_params() and copy is not model


def test_lightgbm_empty_interaction_constraints_train_on_several_workers(client):
    # no constraint at all (an empty list) is no constraint: trained where the rows lie
    # on several workers, as DaskLGBMClassifier trains
    X, y = _data(2, n=400)
    first, second = list(client.scheduler_info()["workers"])[:2]
    dX = da.concatenate([client.persist(da.from_array(X[:200]), workers=[first]),
                         client.persist(da.from_array(X[200:]), workers=[second])])
    dy = da.concatenate([client.persist(da.from_array(y[:200]), workers=[first]),
                         client.persist(da.from_array(y[200:]), workers=[second])])
    model = FocalDaskLGBMClassifier(n_estimators=3, interaction_constraints=[])
    assert model.fit(dX, dy).predict_proba(dX).compute().shape == (400, 2)


@pytest.mark.parametrize("dask_class", [c for c, _ in ENGINES], ids=ENGINE_IDS)
def test_x_and_y_of_one_parquet_frame_train(dask_class, client, tmp_path):
    # dask's optimizer fuses each collection's parquet partitions by its own size: y's
    # one column came as 2 partitions beside X's 4 (npartitions 4 for both), refused
    # as "4 and 2: repartition them alike" (DaskXGBClassifier trains)
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=3000), "b": rng.normal(size=3000),
                          "w": rng.uniform(0.5, 1.5, 3000)})
    frame["y"] = (frame["a"] + 0.5 * rng.normal(size=3000) > 1.0).astype(int)
    dd.from_pandas(frame, npartitions=4).to_parquet(tmp_path / "rows")
    df = dd.read_parquet(tmp_path / "rows")
    X, y, w = df[["a", "b"]], df["y"], df["w"]
    assert X.npartitions == y.npartitions == 4
    model = dask_class(n_estimators=10).fit(X, y, sample_weight=w)
    proba = model.predict_proba(X).compute()
    assert proba.shape == (3000, 2)
    assert roc_auc_score(frame["y"], proba[:, 1]) > 0.8


@pytest.mark.parametrize("dask_class", [c for c, _ in ENGINES], ids=ENGINE_IDS)
def test_a_parquet_frame_beside_labels_of_another_source_trains(dask_class, client, tmp_path):
    # labels of another source (4 partitions, unfused) beside a parquet frame whose
    # optimizer fuses only the weights (a Series: 2, X and y agreeing), or only X (a
    # frame of converted columns: 2): the partitions as written are taken for all three
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=3000), "b": rng.normal(size=3000),
                          "w": rng.uniform(0.5, 1.5, 3000)})
    labels = pd.Series((frame["a"] + 0.5 * rng.normal(size=3000) > 1.0).astype(int))
    dd.from_pandas(frame, npartitions=4).to_parquet(tmp_path / "rows")
    df = dd.read_parquet(tmp_path / "rows")
    X, w, y = df[["a", "b"]], df["w"], dd.from_pandas(labels, npartitions=4)
    converted = X.astype("float32")
    assert X.npartitions == converted.npartitions == y.npartitions == w.npartitions == 4
    for rows, weights in ((X, w), (converted, None)):
        model = dask_class(n_estimators=10).fit(rows, y, sample_weight=weights)
        proba = model.predict_proba(rows).compute()
        assert proba.shape == (3000, 2)
        assert roc_auc_score(labels, proba[:, 1]) > 0.8


def test_lightgbm_arrow_backed_numbers_train_on_dask(client):
    # pandas' dtype_backend="pyarrow" in the partitions: LightGBM's pandas path refused
    # them (DaskLGBMClassifier alike); read as NumPy's numbers, a null missing, as in
    # memory, in training, the evaluation set and predict
    pytest.importorskip("pyarrow")
    rng = np.random.default_rng(0)
    numbers = pd.DataFrame({"a": rng.normal(size=600), "i": rng.integers(0, 5, 600)})
    y = pd.Series((numbers["a"] + rng.normal(size=600) > 0.5).astype(int))
    arrow = numbers.convert_dtypes(dtype_backend="pyarrow")
    arrow.loc[3, "a"], arrow.loc[4, "i"] = None, None
    numbers = numbers.astype({"i": "float64"})
    numbers.loc[3, "a"], numbers.loc[4, "i"] = np.nan, np.nan
    dX, dy = dd.from_pandas(arrow, npartitions=2), dd.from_pandas(y, npartitions=2)
    with pytest.raises(ValueError, match="pandas dtypes must be int, float or bool"):
        lgb.DaskLGBMClassifier(n_estimators=3, verbose=-1).fit(dX, dy)
    # (two workers' fits vary with the rows' placement: the model is checked against
    # itself on the NumPy frame, and its evaluation against the loss by hand)
    ours = FocalDaskLGBMClassifier(n_estimators=5).fit(dX, dy, eval_set=[(dX, dy)],
                                                       eval_names=["rows"])
    local = ours.to_local()
    proba = ours.predict_proba(dX).compute()
    np.testing.assert_array_equal(proba, local.predict_proba(numbers))
    assert roc_auc_score(y, proba[:, 1]) > 0.7
    by_hand = ours.loss_.loss(y.to_numpy(), local.predict(numbers, raw_score=True)).mean()
    assert ours.evals_result_["rows"]["focal_loss"][-1] == pytest.approx(by_hand, rel=1e-6)


@pytest.mark.parametrize("kind", ["floats", "integers"])
def test_lightgbm_arrow_backed_numbers_of_one_kind_train_on_dask(client, kind):
    # every Arrow-backed column of numbers is read as NumPy's, whichever kinds X holds
    # (a frame of Arrow floats only, or of Arrow integers only)
    pytest.importorskip("pyarrow")
    rng = np.random.default_rng(0)
    numbers = pd.DataFrame({"a": rng.normal(size=600)} if kind == "floats"
                           else {"i": rng.integers(0, 5, 600)})
    y = pd.Series((numbers.iloc[:, 0] + rng.normal(size=600) > 0.5).astype(int))
    arrow = numbers.convert_dtypes(dtype_backend="pyarrow")
    dX, dy = dd.from_pandas(arrow, npartitions=2), dd.from_pandas(y, npartitions=2)
    model = FocalDaskLGBMClassifier(n_estimators=5).fit(dX, dy, eval_set=[(dX, dy)])
    np.testing.assert_array_equal(model.predict_proba(dX).compute(),
                                  model.to_local().predict_proba(numbers))


def test_partitions_of_str_levels_beside_string_ones_train_by_value():
    # a partition whose levels equal the dtype's but are of pandas' "str" dtype, beside
    # one of "string" levels (dask's meta): coded by the dtype's levels, as frames of
    # both concatenate to strings, not categories (LightGBM's worker then failed)
    import dask

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=400),
                          "s": rng.choice(["blue", "green", "red"], 400)})
    y = pd.Series(((frame["s"] == "red") ^ (frame["a"] > 0.8)).astype(int))
    string = pd.CategoricalDtype(pd.Index(["blue", "green", "red"], dtype="string"))
    parts = [frame.iloc[:200].astype({"s": string}),
             frame.iloc[200:].astype({"s": "category"})]  # (levels of "str")
    assert parts[1]["s"].cat.categories.equals(string.categories)
    X = dd.from_delayed([dask.delayed(p) for p in parts], meta=parts[0].iloc[:0],
                        verify_meta=False)
    with (LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                       dashboard_address=None) as cluster, Client(cluster) as own):
        for cls in (FocalDaskXGBClassifier, FocalDaskLGBMClassifier):
            model = cls(client=own, n_estimators=3).fit(X, dd.from_pandas(y, npartitions=2))
            # (predict on X: dask's own graph optimizer fails on from_delayed's)
            assert model.to_local().predict_proba(frame.astype({"s": string})).shape == (
                400, 2)


def test_a_failed_fit_through_an_asynchronous_client_leaves_the_model_as_it_was():
    # the fit runs when awaited, after fit() returned: its failure left the new classes
    # and loss on the old booster (predictions "bee" for "yes", probabilities 0.2 off),
    # and a failed first fit looked fitted (predict_proba: an AttributeError)
    script = textwrap.dedent("""
        import asyncio, numpy as np, dask.array as da
        from distributed import Client, LocalCluster
        from sklearn.exceptions import NotFittedError
        from focal_boost.dask import FocalDaskLGBMClassifier, FocalDaskXGBClassifier

        async def main():
            X = np.random.default_rng(0).normal(size=(400, 3))
            dX = da.from_array(X, chunks=(200, 3))
            dy = da.from_array(np.where(X[:, 0] > 0, "yes", "no"), chunks=200)
            other = np.array(["ant", "bee", "cat"])[np.digitize(X[:, 1], [-0.5, 0.5])]
            dy2 = da.from_array(other, chunks=200)
            async with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                    dashboard_address=None, asynchronous=True) as cluster:
                async with Client(cluster, asynchronous=True) as client:
                    for cls in (FocalDaskXGBClassifier, FocalDaskLGBMClassifier):
                        clf = await cls(n_estimators=5, random_state=0).fit(dX, dy)
                        before = await client.compute(clf.predict_proba(dX))
                        clf.set_params(gamma=0.0)
                        try:  # refused on the workers: eval labels not in y
                            await clf.fit(dX, dy2, eval_set=[(dX, dy)])
                        except ValueError:
                            pass
                        after = await client.compute(clf.predict_proba(dX))
                        print("KEPT", cls.__name__, clf.classes_.tolist(),
                              clf.loss_.gamma, np.array_equal(before, after))
                        fresh = cls(n_estimators=5)
                        try:
                            await fresh.fit(dX, dy2, eval_set=[(dX, dy)])
                        except ValueError:
                            pass
                        try:
                            fresh.predict_proba(dX)
                        except NotFittedError:
                            print("UNFITTED", cls.__name__)

        if __name__ == "__main__":
            asyncio.run(main())
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=240)
    lines = [row for row in out.stdout.splitlines() if row.startswith(("KEPT", "UNFITTED"))]
    assert lines == [line for name in ("FocalDaskXGBClassifier", "FocalDaskLGBMClassifier")
                     for line in (f"KEPT {name} ['no', 'yes'] 2.0 True", f"UNFITTED {name}")
                     ], out.stderr[-2000:]
