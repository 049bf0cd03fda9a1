"""FocalXGBClassifier and FocalLGBMClassifier: the scikit-learn contract."""

import pickle
import warnings

import joblib
import numpy as np
import pandas as pd
import pytest

pytest.importorskip("xgboost")
pytest.importorskip("lightgbm")
from conftest import raw_margins, set_name  # noqa: E402
from sklearn import config_context  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.calibration import CalibratedClassifierCV  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402
from sklearn.exceptions import NotFittedError  # noqa: E402
from sklearn.metrics import log_loss, roc_auc_score  # noqa: E402
from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.utils._param_validation import InvalidParameterError  # noqa: E402
from sklearn.utils.estimator_checks import (  # noqa: E402
    check_param_validation,
    parametrize_with_checks,
)

from focal_boost import FocalLGBMClassifier, FocalXGBClassifier, focal_loss  # noqa: E402

ESTIMATORS = [FocalXGBClassifier, FocalLGBMClassifier]
SMALL = {"n_estimators": 20, "n_jobs": 1}


def _binary(n=1200, seed=0):
    return make_classification(n, 8, n_informative=4, weights=[0.9], random_state=seed)


def _multiclass(n=1200, seed=0):
    return make_classification(n, 8, n_informative=5, n_classes=3, random_state=seed)


def _lgbm_small_data_params(cls):
    # LightGBM's min_child_samples=20 leaves the tiny data sets of the checks unsplit.
    return {"min_child_samples": 1} if cls is FocalLGBMClassifier else {}


# The estimator checks ------------------------------------------------------
def _expected_failed_checks(estimator):
    if isinstance(estimator, FocalLGBMClassifier):
        if estimator.min_child_samples == 20:
            # Defaults: the checks' data sets are too small to split (as for
            # LGBMClassifier), so weighted and repeated rows give the same constant.
            return {}
        reason = ("LightGBM builds its trees from counts of rows, not of weight, so "
                  "repeating rows and weighting them give different trees: plain "
                  "LGBMClassifier(min_child_samples=1) fails the check by as much, 0.26, "
                  "with min_data_in_bin=1 as well")
    else:
        reason = ("XGBoost sums gradients and margins in float32: weighted and repeated rows "
                  "agree to float32 rounding (up to ~1.5e-7), not always to the check's "
                  "1e-7 tolerance")
    return {
        "check_sample_weight_equivalence_on_dense_data": reason,
        "check_sample_weight_equivalence_on_sparse_data": reason,
    }


@parametrize_with_checks(
    # default parameters (LightGBM's min_child_samples=20 then leaves the checks' small
    # data sets unsplit, which the estimator must survive) and splitting ones
    [cls() for cls in ESTIMATORS]
    + [cls(n_estimators=5, n_jobs=1, **_lgbm_small_data_params(cls)) for cls in ESTIMATORS],
    expected_failed_checks=_expected_failed_checks,
)
def test_sklearn_estimator_checks(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        check(estimator)


# Behaviour -----------------------------------------------------------------
@pytest.mark.parametrize("cls", ESTIMATORS)
def test_binary_string_labels_probabilities(cls):
    X, y = _binary()
    labels = np.array(["no", "yes"])[y]
    clf = cls(gamma=2.0, alpha=0.25, random_state=0, **SMALL).fit(X, labels)
    assert list(clf.classes_) == ["no", "yes"]
    proba = clf.predict_proba(X)
    assert proba.shape == (len(y), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert ((proba >= 0) & (proba <= 1)).all()
    assert set(clf.predict(X)) <= {"no", "yes"}
    assert clf.decision_function(X).shape == (len(y),)
    assert roc_auc_score(y, proba[:, 1]) > 0.9
    assert clf.n_features_in_ == 8
    assert clf.feature_importances_.shape == (8,)
    if cls is FocalXGBClassifier:  # XGBClassifier normalises, LGBMClassifier counts splits
        assert clf.feature_importances_.sum() == pytest.approx(1.0)
    else:
        splits = sum(t["num_leaves"] - 1 for t in clf.booster_.dump_model()["tree_info"])
        assert clf.feature_importances_.sum() == splits


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_multiclass_balanced_alpha(cls):
    X, y = _multiclass()
    clf = cls(alpha="balanced", random_state=0, **SMALL).fit(X, y + 10)
    assert list(clf.classes_) == [10, 11, 12]
    proba = clf.predict_proba(X)
    assert proba.shape == (len(y), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert (clf.predict(X) == y + 10).mean() > 0.8
    counts = np.bincount(y)
    np.testing.assert_allclose(clf.loss_.alpha, len(y) / (3 * counts))


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_predict_is_argmax_of_margin_and_matches_proba(cls):
    X, y = _multiclass()
    clf = cls(**SMALL).fit(X, y)
    np.testing.assert_array_equal(clf.predict(X), clf.predict_proba(X).argmax(axis=1))
    Xb, yb = _binary()
    clf = cls(**SMALL).fit(Xb, yb)
    np.testing.assert_array_equal(clf.predict(Xb), (clf.decision_function(Xb) > 0).astype(int))


@pytest.mark.parametrize("cls", ESTIMATORS)
@pytest.mark.parametrize("alpha", [0.25, "balanced", [0.2, 1.0, 3.0]])
@pytest.mark.parametrize("correction", [True, False])
def test_predict_is_argmax_of_predict_proba_with_alpha(cls, alpha, correction):
    X, y = _binary() if alpha == 0.25 else make_classification(
        1200, 8, n_informative=5, n_classes=3, weights=[0.7, 0.2], flip_y=0.05, random_state=0)
    X, X_test, y, _ = train_test_split(X, y, random_state=0)
    clf = cls(gamma=2.0, alpha=alpha, posterior_correction=correction, **SMALL).fit(X, y)
    proba = clf.predict_proba(X_test)
    np.testing.assert_array_equal(clf.predict(X_test), clf.classes_[proba.argmax(axis=1)])
    if not correction:  # the plain link: the argmax of the margins
        margin = raw_margins(clf, X_test)
        index = (margin > 0).astype(int) if margin.ndim == 1 else margin.argmax(axis=1)
        np.testing.assert_array_equal(clf.predict(X_test), clf.classes_[index])
    elif alpha == 0.25:  # the posterior at 0.5, not the alpha-weighted decision at 0.75
        np.testing.assert_array_equal(clf.predict(X_test), (proba[:, 1] > 0.5).astype(int))


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_posterior_correction_switch(cls):
    X, y = _binary()
    clf = cls(gamma=2.0, **SMALL).fit(X, y)
    corrected = clf.predict_proba(X)[:, 1]
    plain = clf.set_params(posterior_correction=False).predict_proba(X)[:, 1]
    from scipy.special import expit

    np.testing.assert_allclose(plain, expit(raw_margins(clf, X)))
    assert np.abs(corrected - plain).max() > 0.01
    # same ranking either way
    assert roc_auc_score(y, corrected) == pytest.approx(roc_auc_score(y, plain))


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_starts_from_focal_optimal_intercept(cls):
    X, y = _binary()
    clf = cls(gamma=2.0, alpha=0.25, init_score="auto", n_estimators=1, learning_rate=1e-12,
              n_jobs=1).fit(X, y)
    expected = focal_loss(2.0, 0.25).init_score(y)
    np.testing.assert_allclose(raw_margins(clf, X), expected, atol=1e-5)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_early_stopping_on_last_eval_set(cls):
    X, y = _binary(3000)
    X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.3, random_state=0)
    clf = cls(n_estimators=500, learning_rate=0.3, early_stopping_rounds=5, random_state=0,
              n_jobs=1)
    clf.fit(X_tr, y_tr, eval_set=[(X_tr, y_tr), (X_va, y_va)])
    assert clf.best_iteration < 499
    curve = clf.evals_result_[set_name(clf, 1)]["focal_loss"]
    assert len(curve) <= clf.best_iteration + 1 + 5 + 1
    assert int(np.argmin(curve)) == clf.best_iteration
    # predictions use the best iteration: equal to a model trained for that many rounds
    ref = cls(n_estimators=clf.best_iteration + 1, learning_rate=0.3, random_state=0,
              n_jobs=1).fit(X_tr, y_tr)
    np.testing.assert_allclose(raw_margins(clf, X_va), raw_margins(ref, X_va),
                               rtol=1e-5, atol=1e-5)
    assert clf.best_score_ == pytest.approx(min(curve))


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_pickle_joblib_clone_and_reproducible(cls, tmp_path):
    X, y = _multiclass()
    clf = cls(gamma=1.5, alpha=[1.0, 2.0, 3.0], random_state=7, subsample=0.8,
              colsample_bytree=0.8, **SMALL)
    if cls is FocalLGBMClassifier:
        clf.set_params(subsample_freq=1)
    clf.fit(X, y)
    proba = clf.predict_proba(X)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(clf)).predict_proba(X), proba)
    joblib.dump(clf, tmp_path / "model.joblib")
    np.testing.assert_array_equal(joblib.load(tmp_path / "model.joblib").predict_proba(X), proba)
    again = clone(clf).fit(X, y)
    np.testing.assert_array_equal(again.predict_proba(X), proba)
    other = clone(clf).set_params(random_state=8).fit(X, y)
    assert not np.array_equal(other.predict_proba(X), proba)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_a_pickle_of_another_version_warns(cls):
    # A pickle records the version that made it; a fitted model from another version,
    # or from one that recorded none, warns when loaded (its outputs may mean other
    # things: decision_function was the raw margin before it was the log-odds)
    X, y = _binary()
    clf = cls(**SMALL).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = pickle.loads(pickle.dumps(clf))  # same version: silent
        pickle.loads(pickle.dumps(cls(**SMALL)))  # unfitted: silent
    np.testing.assert_array_equal(again.predict_proba(X), clf.predict_proba(X))
    state = clf.__getstate__()
    for saved, named in (("0.0.9", "focal_boost 0.0.9"), (None, "recorded no version")):
        old = dict(state)
        if saved is None:
            del old["_focal_boost_version"]
        else:
            old["_focal_boost_version"] = saved
        loaded = object.__new__(cls)
        with pytest.warns(UserWarning, match=f"pickled by .*{named}.*Refit it"):
            loaded.__setstate__(old)
        np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))


def _raise_in_training(cls):
    # a callback that fails in the second round, in each library's form
    if cls is FocalXGBClassifier:
        import xgboost as xgb

        class Stop(xgb.callback.TrainingCallback):
            def after_iteration(self, model, epoch, evals_log):
                if epoch == 1:
                    raise RuntimeError("callback failed")
                return False

        return {"callbacks": [Stop()]}, {}

    def stop(env):
        if env.iteration == 1:
            raise RuntimeError("callback failed")

    return {}, {"callbacks": [stop]}


@pytest.mark.parametrize("cls", ESTIMATORS)
@pytest.mark.parametrize("failure", ["parameter", "eval_set", "training"])
def test_a_failed_fit_leaves_the_fitted_model_as_it_was(cls, failure):
    # The refit raises after the new loss (gamma 0) was made, or inside training: the
    # old trees kept predicting through the new loss (0.2 off), as the plain classifiers
    # (whose loss is in the booster) do not. A failed first fit is not fitted.
    X, y = _binary()
    clf = cls(**SMALL).fit(X, y)
    proba = clf.predict_proba(X)
    init, fit = ({"class_weight": "balanced"}, {}) if failure == "parameter" else ({}, {})
    if failure == "eval_set":
        fit = {"eval_set": [(X[:50], np.where(np.arange(50) == 0, 7, y[:50]))]}
    if failure == "training":
        init, fit = _raise_in_training(cls)
    clf.set_params(gamma=0.0, **init)
    with pytest.raises((ValueError, RuntimeError)):
        clf.fit(X[:600], y[:600], **fit)
    np.testing.assert_array_equal(clf.predict_proba(X), proba)
    assert clf.loss_.gamma == 2.0
    fresh = cls(**SMALL, **init)
    with pytest.raises((ValueError, RuntimeError)):
        fresh.fit(X, y, **fit)
    with pytest.raises(NotFittedError):
        fresh.predict(X)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_continuing_itself_with_another_gamma_warns(cls):
    # fit(X, y, xgb_model=clf) on clf itself: the model continued is clf before this fit
    # (gamma 2), as a copy of it would be; the warning was lost
    X, y = _binary()
    clf = cls(**SMALL).fit(X, y)
    clf.set_params(gamma=0.0)
    key = "xgb_model" if cls is FocalXGBClassifier else "init_model"
    with pytest.warns(UserWarning, match=r"trained on FocalLoss\(gamma=2.0"):
        clf.fit(X, y, **{key: clf})
    if cls is FocalLGBMClassifier:  # and given by position, 14th as in LGBMClassifier.fit
        clf = cls(**SMALL).fit(X, y)
        clf.set_params(gamma=0.0)
        with pytest.warns(UserWarning, match=r"trained on FocalLoss\(gamma=2.0"):
            clf.fit(X, y, None, None, None, None, None, None, None, None, "auto", "auto",
                    None, clf)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_extra_booster_params_round_trip(cls):
    extra = {"max_delta_step": 1.0} if cls is FocalXGBClassifier else {"min_split_gain": 0.1}
    clf = cls(gamma=1.0, **extra)
    params = clf.get_params()
    assert params["gamma"] == 1.0 and all(params[k] == v for k, v in extra.items())
    cloned = clone(clf)
    assert cloned.get_params() == params
    cloned.set_params(n_estimators=3, **{k: 2 * v for k, v in extra.items()})
    assert all(cloned.get_params()[k] == 2 * v for k, v in extra.items())
    X, y = _binary(300)
    cloned.fit(X, y)  # the extra parameter reaches the booster without error
    assert cloned.predict_proba(X).shape == (300, 2)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_nan_features_are_missing_values(cls):
    X, y = _binary()
    X = X.copy()
    X[::7, 0] = np.nan
    clf = cls(**SMALL).fit(X, y)
    assert np.isfinite(clf.predict_proba(X)).all()


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_sample_weight_changes_the_model(cls):
    X, y = _binary()
    base = cls(random_state=0, **SMALL).fit(X, y)
    weighted = cls(random_state=0, **SMALL).fit(X, y, sample_weight=np.where(y == 1, 5.0, 1.0))
    assert weighted.predict_proba(X)[:, 1].mean() > base.predict_proba(X)[:, 1].mean()
    ones = cls(random_state=0, **SMALL).fit(X, y, sample_weight=np.ones(len(y)))
    np.testing.assert_allclose(ones.predict_proba(X), base.predict_proba(X), rtol=1e-6)


@pytest.mark.parametrize("cls", ESTIMATORS)
@pytest.mark.parametrize(
    ("y_bad", "match"),
    [
        (np.r_[np.zeros(50), np.ones(49), np.nan], "NaN"),
        (np.r_[np.zeros(50), np.ones(40)], "inconsistent numbers of samples"),
    ],
)
def test_bad_labels(cls, y_bad, match):
    X = np.random.default_rng(0).normal(size=(100, 3))
    with pytest.raises(ValueError, match=match):
        cls(**SMALL).fit(X, y_bad)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_bad_parameters(cls):
    X, y = _multiclass(300)
    with pytest.raises(ValueError, match="pass a sequence"):
        cls(alpha=0.25, **SMALL).fit(X, y)
    with pytest.raises(ValueError, match=r"'alpha' parameter .* must be .*\{'balanced'\}"):
        cls(alpha="rare", **SMALL).fit(X, y)
    with pytest.raises(ValueError, match=r"'gamma' parameter .* must be .* \[0\.0, 50\.0\]"):
        cls(gamma=-1.0, **SMALL).fit(X, y)
    with pytest.raises(ValueError, match="alpha has 2 weights"):
        cls(alpha=[1.0, 2.0], **SMALL).fit(X, y)
    by_class = {c: 1.0 for c in np.unique(y)}
    with pytest.raises(ValueError, match="alpha dict has no weight for classes"):
        cls(alpha={c: w for c, w in by_class.items() if c != 0}, **SMALL).fit(X, y)
    # every class weighed: a key of another label is a class this y lacks, ignored as
    # scikit-learn's class_weight ignores it; with a class unweighed it is named
    with pytest.raises(ValueError, match=r"no weight for classes \[0\] and weighs \['zz'\], "
                                         r"which are not classes of y"):
        cls(alpha={1: 1.0, 2: 1.0, "zz": 1.0}, **SMALL).fit(X, y)
    # a key of another type than the labels: both halves of the mistake, the labels as
    # Python values (was "no weight for classes [np.int64(2)]", the key '2' unnamed)
    with pytest.raises(ValueError, match=r"^alpha dict has no weight for classes \[2\] and "
                                         r"weighs \['2'\], which are not classes of y \(the "
                                         r"classes: \[0, 1, 2\]\)$"):
        cls(alpha={0: 1.0, 1: 1.0, "2": 1.0}, **SMALL).fit(X, y)
    # the wrong weight named by its class (all k weights were listed, unnamed)
    with pytest.raises(ValueError, match=r"^alpha dict: the weight of class 1 must be finite "
                                         r"and > 0, got -2\.0$"):
        cls(alpha={**by_class, 1: -2.0}, **SMALL).fit(X, y)
    many = [1.0] * 40
    many[33] = float("nan")
    with pytest.raises(ValueError, match=r"got \[nan\] for class\(es\) \[33\] of 40$"):
        focal_loss(alpha=many)
    with pytest.raises(ValueError, match="not seen"):
        cls(**SMALL).fit(X, y, eval_set=[(X, y + 5)])
    with pytest.raises(ValueError, match="'hessian' parameter .* must be a str among"):
        cls(hessian="newton", **SMALL).fit(X, y)
    assert cls(hessian="fisher", **SMALL).fit(X, y).loss_.hessian == "fisher"


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_alpha_dict_of_more_classes_than_a_fold_holds(cls):
    # cross-validation of three classes, the rarest in fewer rows than folds: a fold's
    # training rows lack it and the dict's key for it is ignored (scikit-learn's
    # class_weight rule; RandomForestClassifier fits the same folds), where it was refused
    X, y = _multiclass(300)
    y = np.where(y == 2, 1, y)
    y[0] = 2  # one row of class 2: the folds that score it train without it
    alpha = {0: 0.5, 1: 2.0, 2: 4.0}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the least populated class warning
        scores = cross_val_score(cls(alpha=alpha, **SMALL), X, y, cv=3)
    assert np.isfinite(scores).all()
    two = np.isin(y, (0, 1))
    fold = cls(alpha=alpha, **SMALL).fit(X[two], y[two])
    np.testing.assert_array_equal(fold.classes_, [0, 1])
    np.testing.assert_array_equal(fold.loss_.alpha, [0.5, 2.0])
    same = cls(alpha=[0.5, 2.0], **SMALL).fit(X[two], y[two])
    np.testing.assert_array_equal(fold.predict_proba(X), same.predict_proba(X))


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_alpha_dict_by_label_under_cross_val_predict_of_probabilities(cls):
    # cross_val_predict(method="predict_proba") fits on the labels' codes 0 .. k-1: a
    # dict keyed by the labels weighs none of them (LGBMClassifier's class_weight: a
    # bare KeyError 'a'); the error says why and what to pass
    from sklearn.model_selection import cross_val_predict

    X, y = _multiclass(300)
    labels = np.array(["a", "b", "c"])[y]
    by_label = cls(alpha={"a": 1.0, "b": 2.0, "c": 4.0}, **SMALL)
    np.testing.assert_array_equal(by_label.fit(X, labels).loss_.alpha, [1.0, 2.0, 4.0])
    with pytest.raises(ValueError, match=r"weighs \['a', 'b', 'c'\], which are not classes of "
                                         r"y \(the classes: \[0, 1, 2\]\); y's labels are the "
                                         r"codes 0 \.\. 2, as cross_val_predict\(method="
                                         r"'predict_proba'\) hands them"):
        cross_val_predict(by_label, X, labels, cv=3, method="predict_proba")
    by_code = cls(alpha={0: 1.0, 1: 2.0, 2: 4.0}, **SMALL)
    proba = cross_val_predict(by_code, X, labels, cv=3, method="predict_proba")
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    # ratings 1..3 coded 0..2: the keys 1 and 2 are codes, 3 is not (the hint was given
    # only where no key was a code)
    with pytest.raises(ValueError, match=r"no weight for classes \[0\] and weighs \[3\], .*; "
                                         r"y's labels are the codes 0 \.\. 2"):
        cross_val_predict(cls(alpha={1: 1.0, 2: 2.0, 3: 4.0}, **SMALL), X, y + 1, cv=3,
                          method="predict_proba")


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_alpha_sequence_in_a_fold_without_a_class_advises_a_dict(cls):
    # a fold of ordered labels lacks class 2: the weights cannot be matched by position
    # (the error said only "3 weights but there are 2 classes"); a dict serves every fold
    from sklearn.model_selection import KFold, cross_val_predict

    X, _ = _multiclass(300)
    y = np.repeat([0, 1, 2], [120, 120, 60])
    with pytest.raises(ValueError, match=r"^alpha has 3 weights but y has 2 classes \(\[0, 1\]\): "
                                         r"a sequence weighs the classes of y in classes_ "
                                         r"order; .* key the weights by label, a dict"):
        cls(alpha=[1.0, 1.0, 3.0], **SMALL).fit(X[:240], y[:240])
    proba = cross_val_predict(cls(alpha={0: 1.0, 1: 1.0, 2: 3.0}, **SMALL), X, y, cv=KFold(3),
                              method="predict_proba")
    assert proba.shape == (300, 3)
    with pytest.raises(ValueError, match=r"^alpha has 2 weights but y has 3 classes"):
        cls(alpha=np.array([1.0, 2.0]), **SMALL).fit(X, y)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_alpha_sequence_of_another_length_names_the_labels(cls):
    # the classes shown are y's labels, not their codes 0 .. k-1
    X, _ = _multiclass(300)
    y = np.repeat(["cat", "dog"], 150)
    with pytest.raises(ValueError, match=r"^alpha has 3 weights but y has 2 classes "
                                         r"\(\['cat', 'dog'\]\): "):
        cls(alpha=[1.0, 1.0, 3.0], **SMALL).fit(X, y)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_alpha_series_weighs_classes_by_label(cls):
    # weights built from y.value_counts() come in order of frequency, not of classes_:
    # they were read by position, the rare class weighed as the common one
    import pandas as pd

    X, y = _multiclass(300)
    y = pd.Series(np.array(["c", "b", "a"])[y])
    w = len(y) / (3 * y.value_counts())
    assert list(w.index) != sorted(w.index)  # the trap: index order is not classes_
    by_series = cls(alpha=w, **SMALL).fit(X, y)
    by_dict = cls(alpha=w.to_dict(), **SMALL).fit(X, y)
    np.testing.assert_array_equal(by_series.loss_.alpha, [w["a"], w["b"], w["c"]])
    np.testing.assert_array_equal(by_series.predict_proba(X), by_dict.predict_proba(X))
    with pytest.raises(ValueError, match="alpha Series has no weight .* read by its index"):
        cls(alpha=pd.Series(w.to_numpy()), **SMALL).fit(X, y)
    with pytest.raises(TypeError, match="alpha dict: the weight of class 'b' must be a number"):
        cls(alpha={"a": 1.0, "b": "x", "c": 3.0}, **SMALL).fit(X, y)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_works_in_pipeline_search_cv_and_calibration(cls):
    X, y = _binary(800)
    pipe = make_pipeline(StandardScaler(), cls(n_estimators=10, n_jobs=1))
    scores = cross_val_score(pipe, X, y, cv=3, scoring="roc_auc")
    assert scores.shape == (3,) and (scores > 0.8).all()
    for scoring in ("roc_auc", "average_precision"):
        search = GridSearchCV(cls(n_estimators=10, n_jobs=1),
                              {"gamma": [0.0, 2.0], "alpha": [None, 0.25]},
                              scoring=scoring, cv=3).fit(X, y)
        assert search.best_score_ > 0.5  # 10% positives: chance level is 0.1 for PR-AUC
        assert set(search.best_params_) == {"gamma", "alpha"}
    calibrated = CalibratedClassifierCV(cls(n_estimators=10, n_jobs=1), cv=3).fit(X, y)
    proba = calibrated.predict_proba(X)
    assert np.isfinite(log_loss(y, proba))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_fit_arguments_it_does_not_take_are_named_with_the_method(cls):
    # "got an unexpected keyword argument 'sample_weights'" named no method (the
    # wrapper binding fit's arguments raised it); XGBClassifier.fit() names itself
    X, y = make_classification(60, 4, random_state=0)
    with pytest.raises(TypeError, match=rf"^{cls.__name__}\.fit\(\): got an unexpected "
                                        r"keyword argument 'sample_weights'$"):
        cls(n_estimators=2).fit(X, y, sample_weights=np.ones(60))
    with pytest.raises(TypeError, match=rf"^{cls.__name__}\.fit\(\): too many positional"):
        cls(n_estimators=2).fit(X, y, *([None] * 30))
    with pytest.raises(TypeError, match=rf"^{cls.__name__}\.fit\(\): multiple values for "
                                        r"argument 'X'$"):
        cls(n_estimators=2).fit(X, y, X=X)


def test_xgboost_training_data_passed_again_reuses_its_dmatrix(monkeypatch):
    # XGBClassifier evaluates eval_set=[(X, y)] on its training DMatrix (when neither is
    # weighted nor given margins); ours built a second quantile DMatrix of X: twice the
    # time and memory of building the data. Same numbers either way.
    xgb = pytest.importorskip("xgboost")
    built = []
    original = xgb.QuantileDMatrix.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(xgb.QuantileDMatrix, "__init__", counting)
    X, y = make_classification(500, 5, random_state=0)
    w = np.ones(len(y))

    def builds(model, eval_set, **fit_params):
        built.clear()
        model.fit(X, y, eval_set=eval_set, **fit_params)
        return len(built)

    for eval_set, fit_params, expected in (([(X, y)], {}, 1),
                                           ([(X.copy(), y)], {}, 2),
                                           ([(X, y)], {"sample_weight": w}, 2)):
        assert builds(xgb.XGBClassifier(n_estimators=3), eval_set, **fit_params) == expected
        assert builds(FocalXGBClassifier(n_estimators=3), eval_set, **fit_params) == expected
    reused = FocalXGBClassifier(n_estimators=3).fit(X, y, eval_set=[(X, y)])
    copied = FocalXGBClassifier(n_estimators=3).fit(X, y, eval_set=[(X.copy(), y)])
    assert reused.evals_result_ == copied.evals_result_
    np.testing.assert_array_equal(reused.predict_proba(X), copied.predict_proba(X))
    # not where the set or the training data has weights or start margins of its own
    rng = np.random.default_rng(0)
    w, margin = rng.uniform(0.1, 3.0, len(y)), rng.normal(size=len(y))
    for fit_params in ({"sample_weight_eval_set": [w]}, {"base_margin_eval_set": [margin]},
                       {"base_margin": margin}):
        evaluated = [FocalXGBClassifier(n_estimators=3).fit(X, y, eval_set=[(data, y)],
                                                            **fit_params).evals_result_
                     for data in (X, X.copy())]
        assert evaluated[0] == evaluated[1], fit_params


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_early_stopping_follows_the_last_eval_metric(cls):
    X, y = _binary(3000)
    X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.3, random_state=0)
    kwargs = dict(n_estimators=300, learning_rate=0.3, early_stopping_rounds=5, random_state=0,
                  n_jobs=1)
    # default: the focal loss
    clf = cls(**kwargs).fit(X_tr, y_tr, eval_set=[(X_va, y_va)])
    assert clf.stopping_metric_ == "focal_loss"
    # LightGBM's metric parameter joins eval_metric; XGBoost takes eval_metric
    # (LightGBM stops on whichever metric stalls first unless first_metric_only)
    extra = ({"metric": "auc", "first_metric_only": True} if cls is FocalLGBMClassifier
             else {"eval_metric": "auc"})
    clf = cls(**kwargs, **extra).fit(X_tr, y_tr, eval_set=[(X_va, y_va)])
    curves = clf.evals_result_[set_name(clf)]
    assert {"auc", "focal_loss"} <= set(curves)
    assert clf.stopping_metric_ == "auc"
    assert int(np.argmax(curves["auc"])) == clf.best_iteration  # maximised
    assert clf.best_score_ == pytest.approx(max(curves["auc"]))
    # computed on the probabilities, as scikit-learn would (XGBoost logs 6 decimals)
    assert curves["auc"][clf.best_iteration] == pytest.approx(
        roc_auc_score(y_va, clf.predict_proba(X_va)[:, 1]), abs=1e-6)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_bad_eval_sets_and_weights(cls):
    X, y = _binary(200)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        cls(**SMALL).fit(X, y, eval_set=[(X[:50], y[:40])])
    with pytest.raises(ValueError, match="sample_weight"):
        cls(**SMALL).fit(X, y, eval_set=[(X, y)], eval_sample_weight=[np.ones(10)])
    with pytest.raises(ValueError, match="[Nn]egative"):
        cls(**SMALL).fit(X, y, eval_set=[(X, y)], eval_sample_weight=[-np.ones(200)])
    with pytest.raises(ValueError, match="non-zero"):
        cls(**SMALL).fit(X, y, eval_set=[(X, y)], eval_sample_weight=[np.zeros(200)])
    with pytest.raises(ValueError, match="[Nn]egative"):
        cls(**SMALL).fit(X, y, sample_weight=-np.ones(200))


def test_lightgbm_eval_x_eval_y_as_in_lgbmclassifier():
    """LightGBM 4.7 spells the evaluation sets eval_X / eval_y (eval_set is deprecated
    there): both spellings give the same fit, with LGBMClassifier's errors."""
    lgb = pytest.importorskip("lightgbm")
    import inspect

    if "eval_X" not in inspect.signature(lgb.LGBMClassifier.fit).parameters:
        pytest.skip("this LightGBM has no eval_X")
    X, y = _binary(600)
    tr, va, te = slice(0, 400), slice(400, 500), slice(500, 600)
    plain = lgb.LGBMClassifier(n_estimators=5, verbose=-1).fit(
        X[tr], y[tr], eval_X=(X[va], X[te]), eval_y=(y[va], y[te]))
    ours = FocalLGBMClassifier(n_estimators=5).fit(
        X[tr], y[tr], eval_X=(X[va], X[te]), eval_y=(y[va], y[te]))
    old = FocalLGBMClassifier(n_estimators=5).fit(
        X[tr], y[tr], eval_set=[(X[va], y[va]), (X[te], y[te])])
    assert len(plain.evals_result_) == len(ours.evals_result_) == 2
    assert ours.evals_result_ == old.evals_result_
    one = FocalLGBMClassifier(n_estimators=5).fit(X[tr], y[tr], eval_X=X[va], eval_y=y[va])
    assert one.evals_result_["valid_0"] == old.evals_result_["valid_0"]
    for kwargs, message in (({"eval_X": X[va]}, "not just one"),
                            ({"eval_X": X[va], "eval_y": y[va], "eval_set": [(X, y)]},
                             "not both"),
                            ({"eval_X": (X[va],), "eval_y": y[va]}, "tuple"),
                            ({"eval_X": (X[va], X[te]), "eval_y": (y[va],)}, "tuple")):
        for cls in (lgb.LGBMClassifier, FocalLGBMClassifier):
            with warnings.catch_warnings(), pytest.raises(ValueError, match=message):
                warnings.simplefilter("ignore")  # LightGBM: eval_set is deprecated
                cls(n_estimators=2, verbose=-1).fit(X[tr], y[tr], **kwargs)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_parameters_without_effect_are_rejected(cls):
    X, y = _binary(200)
    rejected = ["class_weight", "num_class", "scale_pos_weight", "num_iterations",
                "num_boost_round", "objective"]
    if cls is FocalLGBMClassifier:  # LightGBM spellings of the rounds and class weights
        rejected += ["is_unbalance", "early_stopping"]
        # LightGBM's aliases of objective: were refused as "params['objective']"
        rejected += ["application", "loss", "app", "objective_type"]
    else:
        rejected += ["num_round", "n_iter", "base_score", "obj"]
    for key in rejected:  # named as the user set it, not as params['...'] of native train
        with pytest.raises(ValueError, match=f"'{key}'|^{key}=10 ") as refused:
            cls(**SMALL, **{key: 10}).fit(X, y)
        assert "params[" not in str(refused.value)
    if cls is FocalXGBClassifier:  # fit's base_margin beside an explicit start
        with pytest.raises(ValueError, match="^a base_margin replaces the intercept.*"
                                             r"init_score=0\.5\)$"):
            cls(**SMALL, init_score=0.5).fit(X, y, base_margin=np.zeros(len(y)))
    if cls is FocalLGBMClassifier:  # an alias left at None is the default, as a main name
        assert cls(**SMALL, application=None, objective=None).fit(X, y).n_classes_ == 2
    if cls is FocalXGBClassifier:  # 3 outputs for 2 classes: XGBClassifier refuses it too
        with pytest.raises(ValueError, match="^num_target=3 but the training label"):
            cls(**SMALL, num_target=3).fit(X, y)
    with pytest.raises(TypeError, match="'posterior_correction' parameter .* must be .*'bool'"):
        cls(posterior_correction="no", **SMALL).fit(X, y)


def test_lightgbm_alias_replaces_the_named_default():
    X, y = _binary(400)
    # min_data, shorter than min_child_samples, wins as LightGBM resolves the two aliases;
    # the booster gets the main name
    clf = FocalLGBMClassifier(min_data=150, **SMALL).fit(X, y)
    assert clf.booster_.params["min_data_in_leaf"] == 150
    assert "min_data" not in clf.booster_.params
    leaves = clf.booster_.dump_model()["tree_info"][1]["num_leaves"]
    assert leaves <= 400 // 150  # the alias took effect: at most 2 leaves of >= 150 rows


def test_xgboost_reports_unknown_parameters():
    X, y = _binary(200)
    with pytest.warns(UserWarning, match="max_dpeth"):
        FocalXGBClassifier(max_dpeth=2, **SMALL).fit(X, y)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_sparse_input_and_feature_names(cls):
    pd = pytest.importorskip("pandas")
    sparse = pytest.importorskip("scipy.sparse")
    X, y = _binary(400)
    X = X + 10.0  # no zeros: XGBoost reads a sparse zero as missing, LightGBM as 0
    dense = cls(random_state=0, **SMALL).fit(X, y)
    for fmt in (sparse.csr_matrix, sparse.csc_matrix):
        clf = cls(random_state=0, **SMALL).fit(fmt(X), y)
        np.testing.assert_allclose(clf.predict_proba(fmt(X)), dense.predict_proba(X),
                                   rtol=1e-6)
    columns = [f"feature {i}" for i in range(X.shape[1])]
    clf = cls(**SMALL).fit(pd.DataFrame(X, columns=columns), y)
    booster_names = (clf.booster_.feature_names if cls is FocalXGBClassifier
                     else [n.replace("_", " ") for n in clf.booster_.feature_name()])
    assert list(booster_names) == columns == list(clf.feature_names_in_)
    # names the library refuses are left out, not an error
    bad = [f"x[{i}]" if cls is FocalXGBClassifier else f"x:{i}" for i in range(X.shape[1])]
    clf = cls(**SMALL).fit(pd.DataFrame(X, columns=bad), y)
    assert clf.predict_proba(pd.DataFrame(X, columns=bad)).shape == (len(y), 2)


# Parameter validation --------------------------------------------------------
TINY = {"n_estimators": 2, "n_jobs": 1}


def _plain(cls, **params):
    """The library's own classifier with ``params`` (LightGBM quiet)."""
    if cls is FocalXGBClassifier:
        from xgboost import XGBClassifier

        return XGBClassifier(**params)
    from lightgbm import LGBMClassifier

    return LGBMClassifier(verbose=-1, **params)


def _library_errors():
    import lightgbm as lgb
    import xgboost as xgb

    return (ValueError, TypeError, xgb.core.XGBoostError, lgb.basic.LightGBMError)


# One refused value per declared parameter: the estimator's own ...
_BAD_FOCAL = {"gamma": -1.0, "alpha": "rare", "posterior_correction": "no",
              "hessian": "newton", "init_score": "zero", "random_state": "seed",
              "n_jobs": 1.5, "early_stopping_rounds": -1, "validation_fraction": 1.5}
_BAD_OWN = {
    FocalXGBClassifier: {**_BAD_FOCAL, "importance_type": "split", "enable_categorical": "yes"},
    FocalLGBMClassifier: {**_BAD_FOCAL, "importance_type": "weight"},
}
# ... and the library's, with values the plain library refuses too.
_BAD_LIBRARY = {
    FocalXGBClassifier: {
        "n_estimators": 2.5, "learning_rate": -0.1, "max_depth": -1, "min_child_weight": -1.0,
        "subsample": 1.5, "colsample_bytree": 1.5, "reg_lambda": -1.0, "reg_alpha": -1.0,
        "max_bin": 1, "tree_method": "gpu_hist", "eval_metric": 3, "callbacks": 3,
        "missing": "x"},
    FocalLGBMClassifier: {
        "n_estimators": 0, "learning_rate": 0.0, "num_leaves": 1, "max_depth": 2.5,
        "min_child_samples": -1, "min_child_weight": -1.0, "subsample": 0.0,
        "subsample_freq": 1.5, "colsample_bytree": 1.5, "reg_alpha": -1.0, "reg_lambda": -1.0},
}
_BAD_CASES = [
    pytest.param(cls, param, value, library, id=f"{cls.__name__}-{param}")
    for cls in ESTIMATORS
    for library, table in ((False, _BAD_OWN), (True, _BAD_LIBRARY))
    for param, value in table[cls].items()
]
# Values the plain libraries accept where a stricter check might refuse them.
_LIBRARY_ACCEPTS = [
    pytest.param(cls, param, value, id=f"{cls.__name__}-{param}={value!r}")
    for cls, cases in [
        (FocalXGBClassifier, [
            ("max_depth", 0), ("n_estimators", 0), ("learning_rate", 0.0),
            ("learning_rate", None), ("min_child_weight", 0), ("subsample", 1),
            ("reg_lambda", 0), ("max_bin", 2), ("tree_method", "exact"), ("missing", -999),
            ("callbacks", ()), ("eval_metric", ("auc", "logloss")),
            ("enable_categorical", 1)]),
        (FocalLGBMClassifier, [
            ("max_depth", 0), ("max_depth", -5), ("num_leaves", 2), ("num_leaves", None),
            ("min_child_samples", 0), ("subsample_freq", -1), ("colsample_bytree", 1e-3),
            ("learning_rate", 2.0), ("reg_alpha", 0)]),
    ]
    for param, value in cases
]


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_every_named_parameter_is_declared_and_tested(cls):
    assert set(cls._parameter_constraints) == set(cls().get_params())
    assert set(_BAD_OWN[cls]) | set(_BAD_LIBRARY[cls]) == set(cls._parameter_constraints)


@pytest.mark.parametrize(("cls", "param", "value", "library_refuses"), _BAD_CASES)
def test_bad_parameter_is_refused_at_fit(cls, param, value, library_refuses):
    X, y = _binary(60)
    clf = cls(**TINY).set_params(**{param: value})  # neither __init__ nor set_params check
    with pytest.raises(InvalidParameterError,
                       match=rf"^The '{param}' parameter of {cls.__name__} must be .* Got .* "
                             r"instead\.$"):
        clf.fit(X, y)
    if library_refuses:  # no stricter than the library: it refuses the value too
        with pytest.raises(_library_errors()):
            _plain(cls, **{**TINY, param: value}).fit(X, y)


@pytest.mark.parametrize(("cls", "param", "value"), _LIBRARY_ACCEPTS)
def test_values_the_library_accepts_still_fit(cls, param, value):
    X, y = _binary(60)
    params = {**TINY, param: value}
    _plain(cls, **params).fit(X, y)
    clf = cls(**params).fit(X, y)
    assert clf.predict_proba(X).shape == (60, 2)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_sklearn_param_validation_check(cls):
    # scikit-learn runs this check on its own estimators only: a value of no declared
    # type, and the values just outside each declared range, are refused by fit
    check_param_validation(cls.__name__, cls(**TINY))


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_parameters_are_checked_before_the_data(cls):
    X, y = _binary(60)
    with pytest.raises(InvalidParameterError, match="'gamma' parameter"):
        cls(gamma=-1.0, **TINY).fit(X, np.zeros(60))  # y of one class: not reached
    # scikit-learn's skip_parameter_validation is honoured: then the loss refuses it
    with config_context(skip_parameter_validation=True), pytest.raises(
            ValueError, match="gamma must be a finite number >= 0"):
        cls(gamma=-1.0, **TINY).fit(X, y)
    # alpha's text: any text was "balanced" there
    with config_context(skip_parameter_validation=True), pytest.raises(
            ValueError, match="^alpha='bal': the only text alpha takes is 'balanced'"):
        cls(alpha="bal", **TINY).fit(X, y)


# ------------------------------------------------------------------ memory
@pytest.mark.parametrize("cls", [FocalXGBClassifier, FocalLGBMClassifier])
@pytest.mark.parametrize("mode", ["no eval set", "eval_set", "early stopping"])
def test_fit_copies_float32_X_at_most_for_the_split(cls, mode):
    """float32 X reaches the library as it is: no float64 conversion or other copy in
    numpy (which tracemalloc sees; the libraries' own memory it does not), apart from
    the rows of the early-stopping split (one copy of X in all)."""
    import tracemalloc

    rng = np.random.default_rng(0)
    X = rng.standard_normal((20_000, 100), dtype=np.float32)  # 8 MB
    y = (X[:, 0] + X[:, 1] > 1).astype(int)
    kwargs = {"early_stopping_rounds": 2} if mode == "early stopping" else {}
    fit = {"eval_set": [(X[:2000], y[:2000])]} if mode == "eval_set" else {}
    clf = cls(n_estimators=3, n_jobs=1, **kwargs)
    clf.fit(X[:500], y[:500], **fit)  # loads the compiled kernels outside the trace
    tracemalloc.start()
    try:
        clf.fit(X, y, **fit)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    copies = 1.0 if mode == "early stopping" else 0.0
    assert peak < (copies + 0.5) * X.nbytes


def _library_frame(frame) -> bool:
    return any(f"{sep}{lib}{sep}" in frame.filename
               for lib in ("xgboost", "lightgbm") for sep in "/\\")


@pytest.mark.parametrize("cls", [FocalXGBClassifier, FocalLGBMClassifier])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_fit_holds_one_label_copy_and_the_gradients_while_training(cls, n_classes):
    """numpy memory that lives through training, per row, beside the library's own
    (allocated inside xgboost / lightgbm, which tracemalloc sees too; LightGBM keeps
    its own copies of labels and start margins and a float64 buffer of the margins a
    custom objective gets): the encoded labels once, in float32, and the float32
    gradient pair, reused every round. Not int64 labels, not start margins of ours
    beside LightGBM's (both were held before: 8 and 8 * k more bytes per row)."""
    import tracemalloc

    import xgboost as xgb

    n = 200_000
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, 2), dtype=np.float32)
    y = (X[:, 0] + X[:, 1] > 1).astype(int) + (X[:, 0] > 0.5 if n_classes == 3 else 0)
    held = []

    def record():
        if tracemalloc.is_tracing():
            traces = tracemalloc.take_snapshot().traces
            held.append(sum(t.size for t in traces if not _library_frame(t.traceback[0])))

    if cls is FocalXGBClassifier:
        class Record(xgb.callback.TrainingCallback):
            def after_iteration(self, model, epoch, evals_log):
                record()
                return False

        clf, fit = cls(n_estimators=2, n_jobs=1, callbacks=[Record()]), {}
    else:
        clf, fit = cls(n_estimators=2, n_jobs=1), {"callbacks": [lambda env: record()]}
    clf.fit(X, y, **fit)  # loads the compiled kernels (blocked ones too) outside the trace
    tracemalloc.start()
    try:
        clf.fit(X, y, **fit)
    finally:
        tracemalloc.stop()
    outputs = 1 if n_classes == 2 else n_classes
    per_row = 4 + 2 * 4 * outputs  # float32 labels; float32 grad and hess
    assert len(held) == 2
    assert max(held) <= per_row * n + 100_000  # + the small objects of a fit


def test_xgboost_fit_reads_no_labels_back_from_xgboost(monkeypatch):
    """The objective and metrics use the labels the DMatrices were built from: XGBoost
    copies them out at every get_label, which the fit never calls."""
    import xgboost as xgb

    X, y = _binary(300)
    reads = []
    get_label = xgb.DMatrix.get_label
    monkeypatch.setattr(xgb.DMatrix, "get_label",
                        lambda self: reads.append(self) or get_label(self))
    clf = FocalXGBClassifier(n_estimators=3, n_jobs=1, early_stopping_rounds=2)
    clf.fit(X, y, sample_weight=np.linspace(0.5, 2, 300), eval_set=[(X[:50], y[:50])])
    assert reads == []
    assert len(clf.evals_result_["validation_0"]["focal_loss"]) == 3


@pytest.mark.parametrize(("tree_method", "quantile"), [("hist", True), ("exact", False)])
def test_xgboost_hist_trains_on_quantile_dmatrix(monkeypatch, tree_method, quantile):
    """Histogram trees train, as in XGBClassifier, on a QuantileDMatrix (no copy of X in
    XGBoost's own format), validation sets on the training set's bins."""
    import xgboost as xgb

    from focal_boost import xgboost as fxgb

    seen = []
    train = fxgb.train

    def spy(params, dtrain, *args, **kwargs):
        seen.extend([dtrain, *(d for d, _ in kwargs["evals"])])
        return train(params, dtrain, *args, **kwargs)

    monkeypatch.setattr(fxgb, "train", spy)
    X, y = make_classification(300, random_state=0)
    FocalXGBClassifier(n_estimators=2, tree_method=tree_method).fit(
        X, y, eval_set=[(X[:50], y[:50])])
    assert len(seen) == 2
    assert all(isinstance(d, xgb.QuantileDMatrix) == quantile for d in seen)


@pytest.mark.parametrize("option", ["start_iteration", "num_iteration"])
def test_lightgbm_iterations_must_be_integers_as_in_lgbmclassifier(option):
    # LGBMClassifier raises TypeError for 3.7; ours read it as 3
    import lightgbm as lgb

    X, y = make_classification(300, 5, random_state=0)
    ours = FocalLGBMClassifier(n_estimators=5).fit(X, y)
    plain = lgb.LGBMClassifier(n_estimators=5, verbose=-1).fit(X, y)
    for model in (plain, ours):
        with pytest.raises(TypeError):
            model.predict_proba(X, **{option: 3.7})
    with pytest.raises(TypeError, match=f"{option} must be an integer"):
        ours.predict(X, **{option: 1.5})
    for two in (np.int64(2), np.array(2)):  # integers, as LGBMClassifier takes them
        assert plain.predict_proba(X, **{option: two}).shape == (300, 2)
        np.testing.assert_allclose(ours.predict_proba(X, **{option: two}),
                                   ours.predict_proba(X, **{option: 2}))


def test_xgboost_notes_are_in_its_docstrings_alone():
    # FocalXGBClassifier's docstrings add them to the shared text by replacement, which
    # would add nothing, silently, once that text changes
    notes = {"doc": ["XGBoost's own ``gamma`` is ``min_split_loss``",
                     "XGBoost's own ``alpha``, L1\n        regularisation, is ``reg_alpha``"],
             "fit": ["(XGBClassifier.fit's default is True)"]}
    for part, texts in notes.items():
        for text in texts:
            xgb_doc = (FocalXGBClassifier.__doc__ if part == "doc"
                       else FocalXGBClassifier.fit.__doc__)
            lgb_doc = (FocalLGBMClassifier.__doc__ if part == "doc"
                       else FocalLGBMClassifier.fit.__doc__)
            assert text in xgb_doc and text not in lgb_doc, text


# Refusals, pickles, hold-outs and predictions at their edges ----------------
FIVE = {"n_estimators": 5, "n_jobs": 1}


def _four_features(n=300, seed=0, k=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    y = (X[:, 0] + rng.normal(size=n) > 0).astype(int) if k == 2 else \
        np.digitize(X[:, 0] + rng.normal(size=n) * 0.5, [-0.5, 0.5])
    return X, y


# an empty column name is LightGBM's refusal only; XGBoost takes it
def test_xgboost_keeps_an_empty_column_name():
    X, y = _four_features(k=2)
    frame = pd.DataFrame(X, columns=["", "a", "b", "c"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf = FocalXGBClassifier(**FIVE).fit(frame, y)
    assert clf.get_booster().feature_names == ["", "a", "b", "c"]


# validate_features=True (the default, given) still checks the names
@pytest.mark.parametrize("cls", ESTIMATORS)
def test_validate_features_true_given_still_checks_the_names(cls):
    X, y = _four_features(k=2)
    frame = pd.DataFrame(X, columns=list("abcd"))
    clf = cls(**FIVE).fit(frame, y)
    with pytest.raises(ValueError, match="feature names"):
        clf.predict_proba(frame[list("dcba")], validate_features=True)


# a class weight of 0 in a dict alpha is refused by class
@pytest.mark.parametrize("cls", ESTIMATORS)
def test_a_zero_class_weight_in_a_dict_is_refused(cls):
    X, y = _four_features(k=2)
    with pytest.raises(ValueError, match=r"weight of class 0 must be finite and > 0"):
        cls(alpha={0: 0.0, 1: 1.0}, **FIVE).fit(X, y)


# a refit interrupted by KeyboardInterrupt leaves the fitted model as it was
def test_a_refit_interrupted_by_keyboardinterrupt_keeps_the_model():
    import xgboost as xgb

    class Interrupt(xgb.callback.TrainingCallback):
        def after_iteration(self, model, epoch, evals_log):
            raise KeyboardInterrupt

    X, y = _four_features(k=2)
    clf = FocalXGBClassifier(**FIVE).fit(X, y)
    before = clf.predict_proba(X)
    loss = clf.loss_
    with pytest.raises(KeyboardInterrupt):
        clf.set_params(gamma=0.5, callbacks=[Interrupt()]).fit(X, y)
    assert clf.loss_ is loss and clf.gamma == 0.5
    clf.set_params(gamma=2.0, callbacks=None)
    np.testing.assert_array_equal(clf.predict_proba(X), before)


# an evaluation frame with the training columns in another order is refused
@pytest.mark.parametrize("cls", ESTIMATORS)
def test_eval_frame_columns_in_another_order_are_refused(cls):
    X, y = _four_features(k=2)
    frame = pd.DataFrame(X, columns=list("abcd"))
    with pytest.raises(ValueError, match=r"eval_set\[0\]'s X's feature names differ .*in "
                                         r"another order"):
        cls(**FIVE).fit(frame, y, eval_set=[(frame[list("dcba")], y)])


def test_a_pickle_of_another_version_warns_at_the_users_load_line(tmp_path, monkeypatch):
    """The version warning is an InconsistentVersionWarning (a UserWarning users can
    filter by class, carrying both versions) and points at the line that loaded the
    model, through joblib's and pickle's pure-Python unpickler (it pointed at
    pickle.py under joblib.load, so the default filter showed it once for all loads)."""
    import io

    import joblib

    import focal_boost
    from focal_boost.estimators import InconsistentVersionWarning

    X, y = _binary()
    clf = FocalXGBClassifier(**SMALL).fit(X, y)
    monkeypatch.setattr(focal_boost, "__version__", "0.0.9")
    data = pickle.dumps(clf)
    joblib.dump(clf, tmp_path / "model.joblib")
    monkeypatch.setattr(focal_boost, "__version__", "0.1.0")
    for load in (lambda: pickle.loads(data),
                 lambda: pickle._Unpickler(io.BytesIO(data)).load(),
                 lambda: joblib.load(tmp_path / "model.joblib")):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            load()
        [warning] = caught
        assert warning.category is InconsistentVersionWarning
        assert issubclass(warning.category, UserWarning)
        assert warning.filename == __file__
        assert (warning.message.original_version, warning.message.current_version,
                warning.message.estimator_name) == ("0.0.9", "0.1.0", "FocalXGBClassifier")


# an unfitted estimator pickled by another version loads without a warning
def test_an_unfitted_pickle_of_another_version_does_not_warn():
    state = FocalXGBClassifier().__getstate__()
    state["_focal_boost_version"] = "0.0.1"
    clf = FocalXGBClassifier.__new__(FocalXGBClassifier)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf.__setstate__(state)
    assert clf.gamma == 2.0


# early_stopping_rounds=0 is no early stopping (as in XGBoost): all rows, all rounds
@pytest.mark.parametrize("cls", ESTIMATORS)
def test_early_stopping_rounds_zero_is_off(cls):
    X, y = _four_features(k=2)
    off = cls(early_stopping_rounds=0, **FIVE).fit(X, y)
    plain = cls(**FIVE).fit(X, y)
    np.testing.assert_array_equal(off.predict_proba(X), plain.predict_proba(X))
    assert off.evals_result_ == {}


# evaluation columns sharing a name are named as such
def test_eval_frame_with_repeated_column_names_is_refused_by_name():
    X, y = _four_features(k=2)
    clf = FocalXGBClassifier(**FIVE)
    with pytest.raises(ValueError, match=r"eval_set\[0\]'s X has columns of the same name: 'a'"):
        clf.fit(X, y, eval_set=[(pd.DataFrame(X, columns=list("aabc")), y)])


# an evaluation array of another width is refused naming the set
@pytest.mark.parametrize("cls", ESTIMATORS)
def test_eval_set_of_another_width_is_refused_naming_it(cls):
    X, y = _four_features(k=2)
    with pytest.raises(ValueError, match=r"^eval_set\[0\]'s X has 3 features, but \w+ is "
                                         r"expecting 4 features as input\.$"):
        cls(**FIVE).fit(X, y, eval_set=[(X[:, :3], y)])


# a float alpha on a multiclass y is refused saying what to pass
@pytest.mark.parametrize("cls", ESTIMATORS)
def test_float_alpha_on_multiclass_is_refused_with_advice(cls):
    X, y = _four_features(k=3)
    with pytest.raises(ValueError, match="a float alpha is the weight of the positive class.*"
                                         "pass a sequence of 3 weights"):
        cls(alpha=0.25, **FIVE).fit(X, y)


# eval_sample_weight of another length than eval_set is refused
@pytest.mark.parametrize("n_weights", [0, 2])
def test_eval_sample_weight_of_another_length_is_refused(n_weights):
    X, y = _four_features(k=2)
    with pytest.raises(ValueError, match="eval_sample_weight needs one entry per eval_set pair"):
        FocalXGBClassifier(**FIVE).fit(X, y, eval_set=[(X, y)],
                                        eval_sample_weight=[np.ones(len(y))] * n_weights)


# evaluation labels that y never held are refused naming them
@pytest.mark.parametrize("cls", ESTIMATORS)
def test_eval_labels_not_in_y_are_refused_naming_them(cls):
    X, y = _four_features(k=2)
    yv = y.copy()
    yv[:3] = 7
    with pytest.raises(ValueError, match=r"eval_set\[0\] has labels not seen in y: \[7\]"):
        cls(**FIVE).fit(X, y, eval_set=[(X, yv)])


# a model of one class scores an evaluation set's one other label as its class never
# seen, as XGBClassifier trains on it (LGBMClassifier refuses it); two are refused
@pytest.mark.parametrize("cls", ESTIMATORS)
def test_one_class_model_scores_one_other_eval_label_as_its_class_never_seen(cls):
    from scipy.special import expit
    from xgboost import XGBClassifier

    rng = np.random.default_rng(0)
    X, Xv = rng.normal(size=(200, 3)), rng.normal(size=(50, 3))
    y = np.full(200, "b")
    yv = np.where(rng.random(50) < 0.3, "a", "b")  # "a" sorts before the one class
    auc = {"eval_metric": "auc"}  # (LightGBM's fit takes it, XGBoost's constructor)
    xgboost = cls is FocalXGBClassifier
    model = cls(n_estimators=3, **(auc if xgboost else {})).fit(
        X, y, eval_set=[(Xv, yv)], **({} if xgboost else auc))
    XGBClassifier(n_estimators=3).fit(X, y == "a", eval_set=[(Xv, yv == "a")],
                                      verbose=False)  # (the plain library trains)
    assert model.classes_.tolist() == ["b"]
    assert (model.predict(Xv) == "b").all()
    p = expit(raw_margins(model, Xv))  # "a" is the class never seen, column 1
    p_true = np.where(yv == "a", p, 1 - p)
    expected = np.mean(-((1 - p_true) ** 2) * np.log(p_true))
    history = model.evals_result_[set_name(model)]
    assert expected > 1  # (the rows of "a" count; as class 0 they would add ~0)
    np.testing.assert_allclose(history["focal_loss"], expected, rtol=1e-6)
    assert history["auc"] == [0.5] * 3  # one probability for every row
    with pytest.raises(ValueError, match=r"eval_set\[0\] has labels not seen in y: "
                                         r"\['a', 'c'\] \(a model of one class scores one "
                                         r"other label, as its class never seen\)$"):
        cls(n_estimators=3).fit(X, y, eval_set=[(Xv, np.where(yv == "b", "c", yv))])


# the hold-out is seeded by the seed modulo 2**32 (a seed above 2**31 kept whole)
def test_hold_out_of_a_seed_above_2_31_is_train_test_splits():
    X, y = _four_features(n=400, k=2)
    seed = 2**31 + 3
    clf = FocalXGBClassifier(n_estimators=30, early_stopping_rounds=50, random_state=seed,
                             validation_fraction=0.25, n_jobs=1).fit(X, y)
    X_tr, _, y_tr, _ = train_test_split(X, y, test_size=0.25, stratify=y, random_state=seed)
    ref = FocalXGBClassifier(n_estimators=clf.best_iteration_ + 1, random_state=seed,
                             n_jobs=1).fit(X_tr, y_tr)
    np.testing.assert_allclose(clf.predict_proba(X), ref.predict_proba(X), rtol=1e-6)


# a one-class model predicts its class even where the unseen class is likelier
@pytest.mark.parametrize("cls", ESTIMATORS)
def test_one_class_model_predicts_its_class_whatever_its_start(cls):
    X, y = _four_features(k=2)
    y[:] = 1
    rounds = 0 if cls is FocalXGBClassifier else 1
    clf = cls(init_score=5.0, posterior_correction=False, n_estimators=rounds,
              n_jobs=1).fit(X, y)
    assert (clf.predict_proba(X)[:, 1] > 0.5).all()  # the start favours the unseen class
    assert (clf.predict(X) == 1).all()


# multi-label predict is 1 where a label's probability exceeds 1/2, not at 1/2
def test_multilabel_predict_at_probability_one_half_is_zero():
    X, _ = _four_features(k=2)
    Y = (np.random.default_rng(1).random((len(X), 2)) < 0.5).astype(int)
    clf = FocalXGBClassifier(n_estimators=0, init_score=None, posterior_correction=False,
                             n_jobs=1).fit(X, Y)
    np.testing.assert_array_equal(clf.predict_proba(X), 0.5)
    np.testing.assert_array_equal(clf.predict(X), 0)


# ---------------------------------------------------------------------------
# Fit and predict behaviour found unpinned by mutation testing of estimators.py
# (each test fails on the changed code it was written against)
from lightgbm import LGBMClassifier  # noqa: E402
from sklearn.utils.class_weight import compute_sample_weight  # noqa: E402
from xgboost import XGBClassifier  # noqa: E402


def _mutation_data(n=300, n_classes=2, seed=0):
    return make_classification(n, 5, n_informative=3, n_classes=n_classes,
                               random_state=seed)


def test_random_state_none_seeds_xgboost_as_xgbclassifier():
    # random_state=None hands XGBoost seed 0, as XGBClassifier's None leaves XGBoost's
    # default: with row subsampling, gamma 0 is then the plain model (another seed
    # draws other rows: probabilities 0.3 apart)
    X, y = _mutation_data()
    ours = FocalXGBClassifier(gamma=0.0, subsample=0.5, n_estimators=5).fit(X, y)
    plain = XGBClassifier(subsample=0.5, n_estimators=5).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), plain.predict_proba(X), atol=1e-5)


@pytest.mark.parametrize("cls", [FocalXGBClassifier, FocalLGBMClassifier])
def test_start_margins_as_one_column_are_one_per_row(cls):
    # a binary model's start margins as a column (n, 1), which XGBClassifier.fit and
    # LGBMClassifier.fit take, are the margins of a flat (n,) array
    X, y = _mutation_data()
    starts = np.random.default_rng(0).normal(size=len(y))
    name = "base_margin" if cls is FocalXGBClassifier else "init_score"
    extra = {"verbose": -1} if cls is FocalLGBMClassifier else {}
    plain = XGBClassifier(n_estimators=3) if cls is FocalXGBClassifier else (
        LGBMClassifier(n_estimators=3, verbose=-1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (LightGBM: "Converting column-vector to 1d array")
        plain.fit(X, y, **{name: starts[:, None]})
    flat = cls(n_estimators=5, **extra).fit(X, y, **{name: starts})
    column = cls(n_estimators=5, **extra).fit(X, y, **{name: starts[:, None]})
    np.testing.assert_array_equal(column.decision_function(X), flat.decision_function(X))


def test_lightgbm_flat_multiclass_init_score_is_read_class_by_class():
    # LightGBM reads a flat init_score of k classes as k blocks of n rows (class by
    # class); LGBMClassifier gives the same model for the flat array and the (n, k) one
    X, y = _mutation_data(n_classes=3)
    starts = np.random.default_rng(1).normal(size=(len(y), 3))
    plain_2d = LGBMClassifier(n_estimators=3, verbose=-1).fit(X, y, init_score=starts)
    plain_flat = LGBMClassifier(n_estimators=3, verbose=-1).fit(
        X, y, init_score=starts.ravel(order="F"))
    np.testing.assert_allclose(plain_flat.predict_proba(X, raw_score=True),
                               plain_2d.predict_proba(X, raw_score=True))
    ours_2d = FocalLGBMClassifier(n_estimators=3, verbose=-1).fit(X, y, init_score=starts)
    ours_flat = FocalLGBMClassifier(n_estimators=3, verbose=-1).fit(
        X, y, init_score=starts.ravel(order="F"))
    np.testing.assert_array_equal(ours_flat.decision_function(X), ours_2d.decision_function(X))


def test_lightgbm_training_data_passed_again_counts_as_weighted():
    # the training data passed again is evaluated with the training weights (as trained
    # on): a callable metric without sample_weight scores it unweighted, which the fit
    # says, as for any weighted evaluation rows
    X, y = _mutation_data()
    w = np.random.default_rng(2).uniform(0.5, 2.0, size=len(y))

    def accuracy(y_true, y_score):
        return float(np.mean((y_score > 0.5) == y_true))

    with pytest.warns(UserWarning, match="eval_metric 'accuracy' takes no sample_weight"):
        FocalLGBMClassifier(n_estimators=3, verbose=-1).fit(
            X, y, sample_weight=w, eval_set=[(X, y)], eval_metric=accuracy)


def test_lightgbm_eval_class_weight_multiplies_the_eval_sample_weight():
    # LGBMClassifier.fit weighs an evaluation set by its sample weights times its class
    # weights: the recorded log-loss is that weighted log-loss of predict_proba
    X, y = _mutation_data(400)
    X_tr, y_tr, X_va, y_va = X[:300], y[:300], X[300:], y[300:]
    w_va = np.random.default_rng(3).uniform(0.5, 2.0, size=len(y_va))
    class_weight = {0: 1.0, 1: 3.0}
    model = FocalLGBMClassifier(n_estimators=5, verbose=-1).fit(
        X_tr, y_tr, eval_set=[(X_va, y_va)], eval_sample_weight=[w_va],
        eval_class_weight=[class_weight], eval_metric="binary_logloss")
    weights = (w_va.astype(np.float32)
               * compute_sample_weight(class_weight, y_va).astype(np.float32))
    expected = log_loss(y_va, model.predict_proba(X_va), sample_weight=weights)
    recorded = model.evals_result_["valid_0"]["binary_logloss"][-1]
    assert recorded == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_alpha_as_a_0d_array_is_the_positive_weight(cls):
    # np.asarray(0.25) passes the parameter check as an array-like and focal_loss reads
    # it as 0.25; the length check of a sequence raised "len() of unsized object"
    X, _ = _multiclass(300)
    y = (X[:, 0] > 0).astype(int)
    model = cls(alpha=np.asarray(0.25), **SMALL).fit(X, y)
    assert model.loss_.alpha == pytest.approx(0.25)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_alpha_of_no_1d_sequence_is_refused_by_the_loss_not_the_length_check(cls):
    # the length check reads 1-D sequences only: a 2-D alpha (one row of 2 weights)
    # is not "1 weights", and a ragged one is not numpy's own error; both are the
    # loss's to refuse, as for any alpha it cannot read
    X, _ = _multiclass(300)
    y = (X[:, 0] > 0).astype(int)
    with pytest.raises(ValueError, match=r"^alpha as a sequence needs one weight per class"):
        cls(alpha=[[0.25, 0.75]], **SMALL).fit(X, y)
    with pytest.raises(TypeError, match=r"^alpha must be None, a float in \(0, 1\) or a "):
        cls(alpha=[0.25, [0.5, 0.75]], **SMALL).fit(X, y)
