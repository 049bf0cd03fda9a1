"""The estimators in scikit-learn workflows: early stopping without an eval_set,
predict consistent with predict_proba, one meaning of predict_proba, and the
attributes that XGBClassifier / LGBMClassifier users reach for."""

import pickle
import warnings

import numpy as np
import pytest
import sklearn

xgb = pytest.importorskip("xgboost")
lgb = pytest.importorskip("lightgbm")
from conftest import raw_margins, set_name  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402
from sklearn.metrics import average_precision_score  # noqa: E402
from sklearn.model_selection import GridSearchCV, train_test_split  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from focal_boost import FocalLGBMClassifier, FocalXGBClassifier, focal_loss, metrics  # noqa: E402
from focal_boost import lightgbm as flgb  # noqa: E402
from focal_boost import xgboost as fxgb  # noqa: E402
from focal_boost._validation import class_weight  # noqa: E402
from focal_boost.metrics import METRIC_NAME  # noqa: E402

ESTIMATORS = [FocalXGBClassifier, FocalLGBMClassifier]
PLAIN = {FocalXGBClassifier: xgb.XGBClassifier, FocalLGBMClassifier: lgb.LGBMClassifier}


def _imbalanced(n=3000, seed=0):
    return make_classification(n, 10, n_informative=5, weights=[0.92], flip_y=0.02,
                               class_sep=0.8, random_state=seed)


# ------------------------------------------ 1. early stopping without eval_set
@pytest.mark.parametrize("cls", ESTIMATORS)
def test_early_stopping_in_pipeline_and_grid_search_needs_no_fit_parameters(cls):
    X, y = _imbalanced()
    X = X * np.logspace(-3, 3, X.shape[1])  # scales that only the scaler evens out
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, stratify=y, random_state=0)
    pipe = make_pipeline(StandardScaler(), cls(n_estimators=1000, learning_rate=0.1,
                                               early_stopping_rounds=20, random_state=0))
    search = GridSearchCV(pipe, {cls.__name__.lower() + "__gamma": [0.0, 2.0]},
                          scoring="average_precision", cv=3).fit(X_tr, y_tr)
    clf = search.best_estimator_[-1]
    assert 5 < clf.best_iteration_ < 999  # stopped, and after a useful number of rounds
    assert search.best_score_ > 0.5
    score = average_precision_score(y_te, search.predict_proba(X_te)[:, 1])
    assert score > 0.5


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_prediction_options_are_routed_as_to_the_plain_classifier(cls):
    # scikit-learn's metadata routing reaches the library's prediction options through a
    # Pipeline, as XGBClassifier's / LGBMClassifier's (set_predict_proba_request, ...)
    X, y = make_classification(300, 6, random_state=0)
    option = ({"iteration_range": (0, 2)} if cls is FocalXGBClassifier
              else {"num_iteration": 2})
    plain_kwargs = {"verbose": -1} if cls is FocalLGBMClassifier else {}
    request = dict.fromkeys(option, True)
    with sklearn.config_context(enable_metadata_routing=True):
        ours = make_pipeline(StandardScaler(), cls(gamma=0.0, n_estimators=20)).fit(X, y)
        plain = make_pipeline(StandardScaler(), PLAIN[cls](n_estimators=20, **plain_kwargs))
        plain.fit(X, y)
        for method in ("predict_proba", "predict", "decision_function"):
            getattr(ours[-1], f"set_{method}_request")(**request)
        plain[-1].set_predict_proba_request(**request)
        plain_two_trees = plain.predict_proba(X, **option)
        two_trees = ours.predict_proba(X, **option)
        np.testing.assert_array_equal(ours.predict(X, **option),
                                      ours.classes_[two_trees.argmax(axis=1)])
        margins = ours.decision_function(X, **option)
    Xs = ours[0].transform(X)
    np.testing.assert_allclose(two_trees, ours[-1].predict_proba(Xs, **option), rtol=1e-12)
    assert np.abs(two_trees - ours[-1].predict_proba(Xs)).max() > 0.05  # not all 20 trees
    np.testing.assert_allclose(margins, ours[-1].decision_function(Xs, **option), rtol=1e-12)
    # gamma=0: the plain classifier's two-tree probabilities (XGBoost's start is its
    # one-Newton-step estimate of the base rate, ours the exact one: README)
    atol = 1e-6 if cls is FocalLGBMClassifier else 0.02
    np.testing.assert_allclose(two_trees, plain_two_trees, atol=atol)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_internal_validation_split_is_stratified_seeded_and_weighted(cls):
    X, y = _imbalanced(2000)
    w = np.random.default_rng(0).uniform(0.5, 2.0, len(y))
    kwargs = dict(n_estimators=300, learning_rate=0.2, random_state=3)
    clf = cls(early_stopping_rounds=10, validation_fraction=0.2, **kwargs).fit(
        X, y, sample_weight=w)
    # the same model as fitting on the stratified 80% for the rounds it kept
    X_tr, X_va, y_tr, y_va, w_tr, w_va = train_test_split(
        X, y, w, test_size=0.2, stratify=y, random_state=3)
    ref = cls(**{**kwargs, "n_estimators": clf.best_iteration_ + 1}).fit(
        X_tr, y_tr, sample_weight=w_tr)
    np.testing.assert_allclose(raw_margins(clf, X), raw_margins(ref, X),
                               rtol=1e-6, atol=1e-6)
    # whose weighted focal loss on the held-out 20% is the logged best score
    margin = raw_margins(ref, X_va)
    expected = np.average(ref.loss_.loss(y_va, margin), weights=w_va)
    assert clf.best_score_ == pytest.approx(expected, rel=1e-5, abs=1e-6)  # XGBoost: 6 decimals
    again = cls(early_stopping_rounds=10, validation_fraction=0.2, **kwargs).fit(
        X, y, sample_weight=w)
    assert again.best_iteration_ == clf.best_iteration_


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_internal_validation_refuses_what_it_cannot_split(cls):
    X, y = _imbalanced(100)
    y[:] = 0
    y[:1] = 1  # one positive row: no stratified hold-out
    with pytest.raises(ValueError, match="validation_fraction.*eval_set"):
        cls(early_stopping_rounds=5).fit(X, y)
    # the classes by their labels (scikit-learn's message names their codes: [0.0])
    labels = np.array(["ok"] * 60 + ["review"] * 39 + ["fraud"])
    # (no fraction splits a class of one row: the advice leaves validation_fraction out)
    with pytest.raises(ValueError, match=r"\(classes with a single row: \['fraud'\]\); pass "
                                         r"eval_set or set early_stopping_rounds=None$"):
        cls(early_stopping_rounds=5).fit(X, labels)
    with pytest.raises(ValueError, match=r"'validation_fraction' parameter .* \(0\.0, 1\.0\)"):
        cls(early_stopping_rounds=5, validation_fraction=1.5).fit(X, y)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_warns_when_early_stopping_keeps_only_the_first_iteration(cls):
    X, y = _imbalanced(1000)
    with pytest.warns(UserWarning, match="only the first iteration.*Pipeline") as caught:
        clf = cls(n_estimators=50, early_stopping_rounds=3).fit(
            X, y, eval_set=[(X, 1 - y)])  # a validation set that gets worse every round
    assert clf.best_iteration_ == 0
    assert caught[0].filename == __file__  # points at the caller's fit
    stalled = ("a metric on a validation set (LightGBM stops on the first one to stall)"
               if cls is FocalLGBMClassifier else "focal_loss on the validation set")
    assert f"first iteration: {stalled} never improved" in str(caught[0].message)
    # on the internal hold-out, the hint is about its size
    with pytest.warns(UserWarning, match="only the first iteration.*100 rows"):
        cls(n_estimators=50, early_stopping_rounds=3, learning_rate=50.0).fit(X, y)


def test_a_perfect_first_round_is_no_early_stopping_news():
    # AUC 1 (or no error) from the first round: no round betters it, nothing is wrong
    # with the validation set (the warning said to check it; XGBClassifier says
    # nothing). (The check is the estimators' shared step; LightGBM's first trees here
    # are not perfect.)
    from sklearn.datasets import make_blobs

    X, y = make_blobs(400, centers=[[0, 0], [20, 20]], random_state=0)
    for metric, perfect in (("auc", 1.0), ("error", 0.0)):
        with warnings.catch_warnings():
            warnings.simplefilter("error", UserWarning)
            clf = FocalXGBClassifier(n_estimators=30, early_stopping_rounds=3,
                                     eval_metric=metric).fit(X, y, eval_set=[(X, y)])
        assert clf.best_iteration_ == 0 and clf.best_score_ == perfect


def test_lightgbm_first_metric_only_names_the_metric_that_stalled():
    X, y = _imbalanced(1000)
    with pytest.warns(UserWarning, match=r"first iteration: binary_logloss on the validation "
                                         r"set never improved.*are its rows drawn as the "
                                         r"training rows are\?"):
        FocalLGBMClassifier(n_estimators=50, early_stopping_rounds=3, first_metric_only=True,
                            metric="binary_logloss").fit(X, y, eval_set=[(X, 1 - y)])


# ------------------------------------------ 2. predict is argmax predict_proba
@pytest.mark.parametrize("cls", ESTIMATORS)
def test_alpha_quarter_downweights_class_one_and_predict_follows_the_posterior(cls):
    X, y = _imbalanced(2000)
    clf = cls(gamma=2.0, alpha=0.25).fit(X, y)
    np.testing.assert_allclose(class_weight(clf.loss_.alpha, 2), [0.75, 0.25])
    proba = clf.predict_proba(X)
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[proba.argmax(axis=1)])


def test_threshold_tools_work_on_the_posterior():
    from sklearn.model_selection import FixedThresholdClassifier

    X, y = _imbalanced(1500)
    clf = FocalXGBClassifier(alpha=0.25).fit(X, y)
    low = FixedThresholdClassifier(clf, threshold=0.2, response_method="predict_proba")
    low.fit(X, y)
    np.testing.assert_array_equal(low.predict(X), (clf.predict_proba(X)[:, 1] >= 0.2))


# -------------------------------------------- 3. one meaning for predict_proba
def test_native_predict_proba_is_the_posterior_and_the_loss_is_stored(tmp_path):
    X, y = _imbalanced(1500)
    loss = focal_loss(2.0, 0.25)
    booster = fxgb.train({"max_depth": 3}, xgb.DMatrix(X, label=y), loss, 20)
    margin = fxgb.predict_margin(booster, X)
    np.testing.assert_allclose(fxgb.predict_proba(booster, X), loss.predict_proba(margin))
    np.testing.assert_allclose(fxgb.inverse_link(booster, X), loss.inverse_link(margin))
    # Booster.predict returns margins for a binary model trained this way
    np.testing.assert_allclose(booster.predict(xgb.DMatrix(X)), margin, rtol=1e-6)
    # gamma and alpha travel with the saved model and the pickle
    booster.save_model(tmp_path / "model.json")
    loaded = xgb.Booster(model_file=tmp_path / "model.json")
    np.testing.assert_allclose(fxgb.predict_proba(loaded, X), loss.predict_proba(margin))
    unpickled = pickle.loads(pickle.dumps(booster))
    np.testing.assert_allclose(fxgb.predict_proba(unpickled, X), loss.predict_proba(margin))
    # a booster trained without focal_boost needs the loss
    plain = xgb.train({"objective": "binary:logistic"}, xgb.DMatrix(X, label=y), 2)
    with pytest.raises(ValueError, match="pass the loss"):
        fxgb.predict_proba(plain, X)
    np.testing.assert_allclose(fxgb.predict_proba(plain, X, focal_loss(0.0)),
                               plain.predict(xgb.DMatrix(X)), rtol=1e-5)


def test_native_lightgbm_predict_proba_is_the_posterior():
    X, y = make_classification(1500, 8, n_informative=5, n_classes=3, random_state=0)
    loss = focal_loss(2.0, [1.0, 2.0, 0.5])
    booster = flgb.train({"num_class": 3, "verbose": -1}, lgb.Dataset(X, y), loss, 20)
    margin = flgb.predict_margin(booster, X)
    np.testing.assert_allclose(flgb.predict_proba(booster, X, loss), loss.predict_proba(margin))
    np.testing.assert_allclose(flgb.inverse_link(booster, X), loss.inverse_link(margin))
    with pytest.raises(ValueError, match="carries no focal loss.*pass the loss"):
        flgb.predict_proba(booster, X)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_estimator_predict_proba_equals_the_native_one(cls):
    X, y = _imbalanced(1000)
    clf = cls(gamma=2.0, alpha=0.25).fit(X, y)
    native = (fxgb.predict_proba(clf.get_booster(), X) if cls is FocalXGBClassifier
              else flgb.predict_proba(clf.booster_, X, clf.loss_))
    np.testing.assert_allclose(clf.predict_proba(X)[:, 1], native, rtol=1e-12)


# ------------------------------------------------- 4. attributes users reach for
@pytest.mark.parametrize("cls", ESTIMATORS)
def test_attributes_match_the_plain_classifier(cls):
    X, y = make_classification(1500, 8, n_informative=5, n_classes=3, random_state=0)
    X_tr, X_va, y_tr, y_va = train_test_split(X, y, random_state=0)
    plain_kwargs = {"verbose": -1} if cls is FocalLGBMClassifier else {}
    plain = PLAIN[cls](n_estimators=30, **plain_kwargs).fit(X_tr, y_tr)
    ours = cls(n_estimators=30).fit(X_tr, y_tr, eval_set=[(X_va, y_va)])
    assert ours.n_classes_ == plain.n_classes_ == 3
    assert ours.n_features_in_ == plain.n_features_in_
    assert ours.feature_importances_.shape == plain.feature_importances_.shape
    assert ours.best_iteration_ == 29
    curve = ours.evals_result_[set_name(ours)]["focal_loss"]
    assert len(curve) == 30 and ours.best_score_ == pytest.approx(curve[-1])
    if cls is FocalXGBClassifier:
        assert ours.get_booster() is ours.booster_
        assert ours.evals_result() == ours.evals_result_
        assert ours.best_score == ours.best_score_
        np.testing.assert_allclose(ours.feature_importances_.sum(), 1.0)
    else:
        assert ours.feature_importances_.dtype.kind == "i"  # split counts, as LightGBM


def test_importance_types_follow_each_library_with_gamma_zero():
    # With gamma 0 from the prior log-odds the models are the libraries' own, so the
    # importances must agree with the plain classifiers for every importance type.
    X, y = _imbalanced(1500)
    for kind in ("split", "gain"):
        plain = lgb.LGBMClassifier(n_estimators=20, importance_type=kind, verbose=-1).fit(X, y)
        ours = FocalLGBMClassifier(gamma=0.0, n_estimators=20, importance_type=kind,
                                   init_score="auto").fit(X, y)
        np.testing.assert_allclose(ours.feature_importances_, plain.feature_importances_,
                                   rtol=1e-6)
    for kind in (None, "weight", "gain", "cover", "total_gain"):
        plain = xgb.XGBClassifier(n_estimators=20, importance_type=kind).fit(X, y)
        ours = FocalXGBClassifier(gamma=0.0, n_estimators=20, importance_type=kind,
                                  init_score="auto").fit(X, y)
        np.testing.assert_allclose(ours.feature_importances_, plain.feature_importances_,
                                   rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("cls", ESTIMATORS)
@pytest.mark.parametrize("metric", ["aucpr", "average_precision", average_precision_score])
def test_early_stopping_on_a_ranking_metric_or_a_callable(cls, metric):
    X, y = _imbalanced(3000)
    X_tr, X_va, y_tr, y_va = train_test_split(X, y, stratify=y, random_state=0)
    kwargs = dict(n_estimators=400, learning_rate=0.3, early_stopping_rounds=10,
                  random_state=0)
    # LightGBM stops on whichever metric stalls first: its first one only here (a name
    # comes before the focal loss, a callable after it, as in LGBMClassifier)
    lightgbm = cls is FocalLGBMClassifier
    if lightgbm:
        kwargs["first_metric_only"] = True
    if cls is FocalXGBClassifier:
        clf = cls(eval_metric=metric, **kwargs).fit(X_tr, y_tr, eval_set=[(X_va, y_va)])
    else:
        clf = cls(**kwargs).fit(X_tr, y_tr, eval_set=[(X_va, y_va)], eval_metric=metric)
    name = metric if isinstance(metric, str) else "average_precision_score"
    curve = clf.evals_result_[set_name(clf)][name]
    assert clf.stopping_metric_ == (METRIC_NAME if lightgbm and callable(metric) else name)
    followed = (int(np.argmin(clf.evals_result_[set_name(clf)][METRIC_NAME]))
                if lightgbm and callable(metric) else int(np.argmax(curve)))
    assert followed == clf.best_iteration_  # maximised, not minimised
    score = metrics.aucpr if metric == "aucpr" else average_precision_score  # (XGBoost's)
    assert curve[clf.best_iteration_] == pytest.approx(
        score(y_va, clf.predict_proba(X_va)[:, 1]), abs=1e-6)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_unknown_eval_metric_is_refused(cls):
    X, y = _imbalanced(300)
    with pytest.raises(ValueError, match="eval_metric 'rmse'"):
        if cls is FocalXGBClassifier:
            cls(eval_metric="rmse").fit(X, y, eval_set=[(X, y)])
        else:
            cls().fit(X, y, eval_set=[(X, y)], eval_metric="rmse")


def test_callbacks_where_each_library_takes_them():
    X, y = _imbalanced(500)
    seen = []

    class Count(xgb.callback.TrainingCallback):
        def after_iteration(self, model, epoch, evals_log):
            seen.append(epoch)
            return False

    FocalXGBClassifier(n_estimators=7, callbacks=[Count()]).fit(X, y)
    assert seen == list(range(7))
    seen.clear()
    FocalLGBMClassifier(n_estimators=5).fit(
        X, y, callbacks=[lambda env: seen.append(env.iteration)])
    assert seen == list(range(5))


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_verbose_is_a_print_period(cls, capsys):
    X, y = _imbalanced(500)
    cls(n_estimators=20).fit(X, y, eval_set=[(X, y)], verbose=5)
    lines = [line for line in capsys.readouterr().out.splitlines() if "focal_loss" in line]
    assert 4 <= len(lines) <= 5  # rounds 0, 5, 10, 15 (XGBoost also prints the last)


@pytest.mark.parametrize("verbose", ["unset", -1, 0, 1])
def test_lightgbm_early_stopping_messages_follow_verbosity_as_lgbmclassifiers(verbose,
                                                                            capfd):
    # LightGBM prints "Training until validation scores don't improve" and the best
    # iteration where its verbosity is above 0; the estimator's stopping never printed
    X, y = _imbalanced(600)
    ev = [(X[:200], y[:200])]
    kw = {} if verbose == "unset" else {"verbose": verbose}

    def said(clf):
        clf.fit(X[200:], y[200:], eval_set=ev)
        out = capfd.readouterr().out
        return ["Training until" in out, "Early stopping, best iteration" in out
                or "Did not meet early stopping" in out]

    ours = said(FocalLGBMClassifier(n_estimators=300, early_stopping_rounds=5, **kw))
    # (unset, the estimator's verbosity is -1, LGBMClassifier's LightGBM's 1)
    plain = said(lgb.LGBMClassifier(n_estimators=300, early_stopping_rounds=5,
                                    verbose=-1 if verbose == "unset" else verbose))
    assert ours == plain == [verbose == 1] * 2
    # where LightGBM logs at 1 though LGBMClassifier refuses the value (its callback
    # compares it with 0): None is LightGBM's default, 1; text is read as the number
    for given in (None, "1"):
        assert said(FocalLGBMClassifier(n_estimators=300, early_stopping_rounds=5,
                                        verbose=given)) == [True, True]
    if verbose == "unset":  # a None spelling gives way to the other one given
        assert said(FocalLGBMClassifier(n_estimators=300, early_stopping_rounds=5,
                                        verbosity=None, verbose=-1)) == [False, False]


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_no_warning_on_ordinary_fits(cls):
    X, y = _imbalanced(1000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cls(early_stopping_rounds=10, n_estimators=200).fit(X, y)


def test_warnings_point_at_the_line_that_called_focal_boost():
    # each front end reaches the shared steps at its own depth: fixed stack levels
    # pointed into focal_boost (estimators.py, dask.py) or past the caller ("sys:1")
    X, y = _imbalanced(600)
    dtrain_x, dtrain_l = xgb.DMatrix(X[:50], label=y[:50]), lgb.Dataset(X[:30], label=y[:30])
    fits = {
        "unknown parameter": lambda: FocalLGBMClassifier(n_estimators=5, foo=1).fit(X, y),
        "alias clash": lambda: FocalLGBMClassifier(n_estimators=5, min_child_samples=5,
                                                   min_data_in_leaf=10).fit(X, y),
        "metric alias": lambda: FocalLGBMClassifier(n_estimators=5, metric="auc",
                                                    metrics="binary_logloss").fit(X, y),
        "no split": lambda: FocalXGBClassifier(n_estimators=5,
                                               min_child_weight=1000).fit(X[:50], y[:50]),
        "constant model": lambda: FocalLGBMClassifier(n_estimators=5).fit(X[:30], y[:30]),
        "training data only": lambda: FocalLGBMClassifier(
            n_estimators=5, early_stopping_rounds=2).fit(X, y, eval_set=[(X, y)]),
        "native no split": lambda: fxgb.train({"min_child_weight": 1000}, dtrain_x,
                                              focal_loss(), 3),
        "native constant": lambda: flgb.train({"verbose": -1}, dtrain_l, focal_loss(), 3),
    }
    for case, fit in fits.items():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fit()
        assert caught, case
        assert {w.filename for w in caught} == {__file__}, (case, [
            (w.filename, w.lineno, str(w.message)[:60]) for w in caught])
