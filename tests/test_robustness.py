"""The plain libraries are the baseline: where XGBClassifier / LGBMClassifier (and
xgb.train / lgb.train) work on an input, ours works too; where they refuse, ours
refuses with an error at least as clear. Inputs that may crash a C library run in a
subprocess."""

import json
import pickle
import re
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest
from scipy.special import logsumexp

xgb = pytest.importorskip("xgboost")
lgb = pytest.importorskip("lightgbm")
pd = pytest.importorskip("pandas")
from conftest import raw_margins  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402

from focal_boost import FocalLGBMClassifier, FocalXGBClassifier, focal_loss  # noqa: E402
from focal_boost import lightgbm as flgb  # noqa: E402
from focal_boost import xgboost as fxgb  # noqa: E402

PLAIN = {FocalXGBClassifier: xgb.XGBClassifier, FocalLGBMClassifier: lgb.LGBMClassifier}
ESTIMATORS = list(PLAIN)


def _plain(cls, **params):
    if cls is FocalLGBMClassifier:
        params.setdefault("verbose", -1)
    return PLAIN[cls](**params)


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=300)


def _rng_data(n, d=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    return X, (X[:, 0] + 0.5 * rng.normal(size=n) > 0.3).astype(int)


# ------------------------------------------------------------- 1. no crash
NAMED_CASES = {"{'learning_rate': 0}", "{'num_leaves': 1}", "{'subsample': 1.5}",
               "{'reg_lambda': -1}"}


def test_invalid_lightgbm_parameters_raise_instead_of_crashing():
    # A Dataset whose construction failed keeps a NULL handle; nothing may call through it.
    result = _run("""
        import json, numpy as np, lightgbm as lgb
        from focal_boost import FocalLGBMClassifier, focal_loss
        from focal_boost import lightgbm as flgb
        rng = np.random.default_rng(0)
        X = rng.normal(size=(200, 3)); y = (X[:, 0] > 0).astype(int)
        out = {}
        for kw in [dict(learning_rate=0), dict(num_leaves=1), dict(max_bin=1),
                   dict(subsample=1.5), dict(reg_lambda=-1), dict(boosting="bogus")]:
            row = []
            for cls in (lgb.LGBMClassifier, FocalLGBMClassifier):
                try:
                    cls(verbose=-1, **kw).fit(X, y)
                    row.append("fitted")
                except Exception as exc:
                    row.append(type(exc).__name__)
            out[repr(kw)] = row
        try:
            flgb.train({}, lgb.Dataset(X, y, params={"max_bin": 1}), focal_loss())
            out["train max_bin=1"] = "fitted"
        except Exception as exc:
            out["train max_bin=1"] = type(exc).__name__
        print(json.dumps(out))
    """)
    assert result.returncode == 0, result.stderr[-2000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    for case, row in out.items():
        if case.startswith("train"):
            assert row == "LightGBMError", case
        elif case in NAMED_CASES:  # ours refuses a named parameter before LightGBM sees it
            assert row == ["LightGBMError", "InvalidParameterError"], case
        else:  # passed through: plain and ours refuse alike
            assert row == ["LightGBMError", "LightGBMError"], case


# ------------------------------------------------- 2. small and degenerate
def _degenerate_cases():
    X, y = _rng_data(200)
    return {
        "30 rows": (X[:30], y[:30]),
        "constant X": (np.ones((200, 3)), y),
        "all-NaN X": (np.full((200, 3), np.nan), y),
        "12 rows, 3 classes": (X[:12], np.arange(12) % 3),
        "1 feature, 40 rows": (X[:40, :1], y[:40]),
    }


@pytest.mark.parametrize("cls", ESTIMATORS)
@pytest.mark.parametrize("case", list(_degenerate_cases()))
def test_small_and_degenerate_data_with_default_parameters(cls, case):
    X, y = _degenerate_cases()[case]
    plain = _plain(cls).fit(X, y)
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        ours = cls().fit(X, y)
    proba = ours.predict_proba(X)
    assert proba.shape == plain.predict_proba(X).shape
    assert np.isfinite(proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(ours.predict(X), ours.classes_[proba.argmax(axis=1)])


@pytest.mark.parametrize("case", ["30 rows", "constant X", "all-NaN X", "12 rows, 3 classes"])
def test_lightgbm_without_usable_feature_is_the_focal_constant(case):
    X, y = _degenerate_cases()[case]
    w = np.random.default_rng(1).uniform(0.5, 2.0, len(y))
    with pytest.warns(UserWarning, match="no feature of the training data can be split"):
        clf = FocalLGBMClassifier(alpha="balanced").fit(X, y, sample_weight=w)
    k = len(clf.classes_)
    # the focal-optimal constant: its posterior is the weighted class frequency
    margin = raw_margins(clf, X)
    expected = clf.loss_.init_score(y, w, n_classes=max(k, 2))
    if k > 2:  # as log-probabilities, where LightGBM's multiclass objective starts
        expected = expected - logsumexp(expected)
    # (from the weights as LightGBM stores them, in float32)
    np.testing.assert_allclose(margin[0], expected, rtol=1e-6, atol=1e-9)
    freq = np.bincount(y, weights=w) / w.sum()
    np.testing.assert_allclose(clf.predict_proba(X), np.tile(freq, (len(y), 1)), rtol=1e-6)
    # the native API too, and the model saves and loads as a raw-score model
    params = {"verbose": -1, **({"num_class": k} if k > 2 else {})}
    with pytest.warns(UserWarning, match="focal-optimal constant"):
        booster = flgb.train(params, lgb.Dataset(X, y), focal_loss())
    reloaded = lgb.Booster(model_str=booster.model_to_string())
    np.testing.assert_allclose(reloaded.predict(X[:3]), flgb.predict_margin(booster, X[:3]))


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_infinite_values_as_in_the_library(cls):
    X, y = _rng_data(300)
    X[::17, 1] = np.inf
    X[::19, 2] = -np.inf
    try:
        plain = _plain(cls).fit(X, y).predict_proba(X)
    except Exception:  # XGBoost refuses infinity; ours says so in scikit-learn's words
        with pytest.raises(ValueError, match="infinity"):
            cls().fit(X, y)
    else:  # LightGBM takes it as a large value
        proba = cls().fit(X, y).predict_proba(X)
        assert proba.shape == plain.shape and np.isfinite(proba).all()


# ------------------------------------------------------ 3. categoricals
def _categorical_frame(n=1000, seed=0, codes=False):
    rng = np.random.default_rng(seed)
    cat = rng.integers(0, 8, n)
    y = np.isin(cat, [1, 4, 6]).astype(int)  # the target depends on the category only
    values = cat * 7 % 8 if codes else np.array(list("abcdefgh"))[cat]
    frame = pd.DataFrame({"cat": pd.Categorical(values), "noise": rng.normal(size=n)})
    return frame, y


@pytest.mark.parametrize("cls", ESTIMATORS)
@pytest.mark.parametrize("codes", [False, True])
def test_pandas_categorical_columns_are_categories(cls, codes):
    X, y = _categorical_frame(codes=codes)
    extra = {"enable_categorical": True} if cls is FocalXGBClassifier else {}
    plain = _plain(cls, **extra).fit(X, y)
    ours = cls(**extra).fit(X, y)
    X_test, y_test = _categorical_frame(seed=1, codes=codes)
    auc_plain = roc_auc_score(y_test, plain.predict_proba(X_test)[:, 1])
    auc_ours = roc_auc_score(y_test, ours.predict_proba(X_test)[:, 1])
    assert auc_plain == pytest.approx(1.0) and auc_ours == pytest.approx(1.0)
    assert list(ours.feature_names_in_) == ["cat", "noise"]
    # a missing category predicts like the libraries' missing value, finite
    X_missing = X_test.copy()
    X_missing.loc[:4, "cat"] = np.nan
    assert np.isfinite(ours.predict_proba(X_missing)).all()


def test_unseen_categories_behave_as_in_the_library():
    X, y = _categorical_frame()
    unseen = pd.DataFrame({"cat": pd.Categorical(["a", "zz"]), "noise": [0.0, 0.0]})
    # LightGBM maps an unseen category to missing
    ours = FocalLGBMClassifier().fit(X, y)
    missing = unseen.assign(cat=pd.Categorical([np.nan, np.nan], categories=["a"]))
    np.testing.assert_allclose(ours.predict_proba(unseen)[1], ours.predict_proba(missing)[1])
    # XGBoost refuses it, plain and ours alike (ours naming the column and the level)
    plain = xgb.XGBClassifier(enable_categorical=True).fit(X, y)
    with pytest.raises(xgb.core.XGBoostError, match="not in the training set"):
        plain.predict_proba(unseen)
    ours = FocalXGBClassifier(enable_categorical=True).fit(X, y)
    with pytest.raises(ValueError, match=r"^X holds, in column 'cat', categories the model "
                                         r"was not trained on \('zz'\), which XGBoost"):
        ours.predict_proba(unseen)


def _saved_and_loaded(model):
    """``model`` through save_model's JSON and load_model."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.json"
        model.save_model(path)
        return FocalXGBClassifier().load_model(path)


def test_xgboost_unseen_categories_are_refused_wherever_they_sort():
    # XGBoost 3.2 refuses an unseen level only where it sorts after every training
    # level; one before it is scored as the next training level, without a word
    # (XGBClassifier alike): "b2" as "c". Ours refuses every one, after save_model /
    # load_model and pickling too, and in an eval_set; a level of the dtype that no row
    # holds is no unseen category
    X, y = _categorical_frame()
    ours = FocalXGBClassifier(n_estimators=10).fit(X, y)
    levels = [*"abcdefgh", "b2"]
    unseen = pd.DataFrame({"cat": pd.Categorical(["b2", "a"], categories=levels),
                           "noise": [0.0, 0.0]})
    as_c = unseen.assign(cat=pd.Categorical(["c", "a"], categories=levels))
    if xgb.__version__.startswith("3.2."):
        plain = xgb.XGBClassifier(enable_categorical=True, n_estimators=10).fit(X, y)
        np.testing.assert_array_equal(plain.predict_proba(unseen), plain.predict_proba(as_c))
    refusal = r"holds, in column 'cat', categories the model was not trained on \('b2'\)"
    for model in (ours, pickle.loads(pickle.dumps(ours)), _saved_and_loaded(ours)):
        with pytest.raises(ValueError, match="^X " + refusal):
            model.predict_proba(unseen)
        np.testing.assert_allclose(model.predict_proba(as_c)[0],  # (b2 unused: no refusal)
                                   model.predict_proba(X.iloc[[int(np.argmax(
                                       X.cat.to_numpy() == "c"))]])[0])
    with pytest.raises(ValueError, match=r"^eval_set\[0\]'s X " + refusal):
        FocalXGBClassifier(n_estimators=2).fit(X, y, eval_set=[(unseen, [0, 1])])
    # a Booster's own file records no levels: XGBoost's rule then, as XGBClassifier's
    native = FocalXGBClassifier().load_model(bytearray(ours.booster_.save_raw("json")))
    assert native._category_levels is None
    # continuing the model on rows of a level it was not trained on (which XGBoost 3.2
    # codes as the next one, "b2" as "c", and trains on)
    more = X.assign(cat=pd.Categorical(X.cat.astype(str).str.replace("c", "b2")))
    with pytest.raises(ValueError, match="^X " + refusal):
        FocalXGBClassifier(n_estimators=2).fit(more, y, xgb_model=ours)


def test_categories_on_xgboost_follow_enable_categorical_as_in_xgbclassifier():
    # XGBoost 3.4 made True XGBClassifier's default (3.2's False refused category
    # columns, and so did ours on every version): True here, whatever the version
    X, y = _categorical_frame(200)
    for off in (False, None):  # (None: XGBClassifier reads it as False; ours refused it)
        with pytest.raises(ValueError, match="enable_categorical"):
            xgb.XGBClassifier(enable_categorical=off).fit(X, y)
        with pytest.raises(ValueError, match="enable_categorical"):
            FocalXGBClassifier(enable_categorical=off).fit(X, y)
        numbers = X.assign(cat=X["cat"].cat.codes)
        np.testing.assert_array_equal(
            FocalXGBClassifier(enable_categorical=off, n_estimators=2).fit(numbers, y)
            .predict_proba(numbers),
            FocalXGBClassifier(enable_categorical=False, n_estimators=2).fit(numbers, y)
            .predict_proba(numbers))
    assert FocalXGBClassifier().get_params()["enable_categorical"] is True
    ours = FocalXGBClassifier(gamma=0.0, n_estimators=5).fit(X, y)
    plain = xgb.XGBClassifier(enable_categorical=True, n_estimators=5).fit(X, y)
    assert "c" in ours.get_booster().feature_types
    np.testing.assert_allclose(ours.predict_proba(X), plain.predict_proba(X), atol=2e-6)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_text_columns_are_refused_with_the_fix(cls):
    X, y = _categorical_frame(200)
    X = X.assign(cat=X["cat"].astype(str))
    with pytest.raises(TypeError, match="astype\\('category'\\)"):
        cls().fit(X, y)


# ----------------------------------------------------------- 4. boosters
@pytest.mark.parametrize("booster", ["gbtree", "dart", "gblinear"])
def test_every_xgboost_booster_trains_predicts_and_starts_at_the_intercept(booster):
    X, y = _rng_data(600)
    plain = xgb.XGBClassifier(booster=booster).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "parameters are not used", as XGBClassifier
        ours = FocalXGBClassifier(booster=booster).fit(X, y)
    auc_plain = roc_auc_score(y, plain.predict_proba(X)[:, 1])
    assert roc_auc_score(y, ours.predict_proba(X)[:, 1]) >= auc_plain - 0.02
    assert ours.feature_importances_.shape == (3,)
    start = FocalXGBClassifier(booster=booster, n_estimators=1, learning_rate=1e-9,
                               init_score="auto").fit(X, y)
    np.testing.assert_allclose(raw_margins(start, X), ours.loss_.init_score(y),
                               atol=1e-5)
    # the native helpers predict from an ndarray too
    np.testing.assert_allclose(fxgb.predict_margin(ours.booster_, X),
                               raw_margins(ours, X))


@pytest.mark.parametrize("params", [
    {}, {"boosting": "dart"}, {"data_sample_strategy": "goss"},
    {"boosting": "rf", "subsample": 0.5, "subsample_freq": 1},
    {"boosting": "rf", "colsample_bytree": 0.5}, {"linear_tree": True},
], ids=repr)
def test_every_lightgbm_mode_trains_predicts_and_starts_at_the_intercept(params):
    X, y = _rng_data(1000)
    plain = lgb.LGBMClassifier(verbose=-1, **params).fit(X, y)
    ours = FocalLGBMClassifier(**params).fit(X, y)
    auc_plain = roc_auc_score(y, plain.predict_proba(X)[:, 1])
    assert roc_auc_score(y, ours.predict_proba(X)[:, 1]) >= auc_plain - 0.02
    # with splits forbidden, the model is the focal-optimal constant
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = FocalLGBMClassifier(min_split_gain=1e12, init_score="auto", **params).fit(X, y)
    np.testing.assert_allclose(raw_margins(start, X), ours.loss_.init_score(y),
                               rtol=1e-6)


def test_random_forest_mode_checks_bagging_like_lightgbm():
    X, y = _rng_data(300)
    with pytest.raises(lgb.basic.LightGBMError):
        lgb.LGBMClassifier(boosting="rf", verbose=-1).fit(X, y)
    with pytest.raises(ValueError, match="rf.*bagging"):
        FocalLGBMClassifier(boosting="rf").fit(X, y)
    with pytest.raises(ValueError, match="rf.*valid_sets"):
        FocalLGBMClassifier(boosting="rf", subsample=0.5, subsample_freq=1,
                            early_stopping_rounds=5).fit(X, y)
    # the first gbdt tree of the emulated forest had no linear leaves: 0.22 off
    # LGBMClassifier's linear forest of one tree, without a word
    with pytest.raises(ValueError, match="rf.*no linear_tree"):
        FocalLGBMClassifier(boosting="rf", subsample=0.5, subsample_freq=1,
                            linear_tree=True).fit(X, y)


def test_linear_tree_intercept_is_exactly_the_offset():
    X, y = _rng_data(500)
    X[::9, 1] = np.nan  # linear leaves fall back to their constant on missing values
    loss = focal_loss(2.0, 0.25)
    c = loss.init_score(y)
    params = {"linear_tree": True, "verbose": -1, "num_leaves": 4}
    ours = flgb.train(params, lgb.Dataset(X, y), loss, 5)
    offset = flgb.train(params, lgb.Dataset(X, y, init_score=np.full(len(y), c)), loss, 5,
                        init_score=None)
    np.testing.assert_allclose(flgb.predict_margin(ours, X),
                               flgb.predict_margin(offset, X) + c, rtol=1e-9, atol=1e-9)


# ----------------------------------------------------------- 5. keywords
def test_xgboost_missing_value_marker_is_honoured():
    X, y = _rng_data(500)
    X_nan = X.copy()
    X_nan[::5, 0] = np.nan
    X_marked = np.where(np.isnan(X_nan), -999.0, X_nan)
    plain = xgb.XGBClassifier(missing=-999.0).fit(X_marked, y)
    reference = xgb.XGBClassifier().fit(X_nan, y)
    np.testing.assert_allclose(plain.predict_proba(X_marked), reference.predict_proba(X_nan))
    ours = FocalXGBClassifier(missing=-999.0).fit(X_marked, y)
    ours_nan = FocalXGBClassifier().fit(X_nan, y)
    np.testing.assert_allclose(ours.predict_proba(X_marked), ours_nan.predict_proba(X_nan))


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_early_stopping_rounds_zero_is_off(cls):
    X, y = _rng_data(300)
    clf = cls(n_estimators=7, early_stopping_rounds=0).fit(X, y, eval_set=[(X, y)])
    assert clf.best_iteration_ == 6
    with pytest.raises(ValueError, match=r"'early_stopping_rounds' parameter .* \[0, inf\)"):
        cls(early_stopping_rounds=-1).fit(X, y)


def test_lightgbm_unknown_keyword_warns_like_lightgbm():
    X, y = _rng_data(300)
    with pytest.warns(UserWarning, match="num_leavs"):
        FocalLGBMClassifier(num_leavs=3).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # aliases are known, and these win over the named defaults as in LGBMClassifier
        # (max_leaves would lose to num_leaves, the main name, with a warning)
        FocalLGBMClassifier(min_data=5, lambda_l2=0.1).fit(X, y)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_refusals_name_a_parameter_the_estimator_has(cls):
    X, y = _rng_data(300)
    key = "base_score" if cls is FocalXGBClassifier else "num_iterations"
    named = "init_score" if cls is FocalXGBClassifier else "n_estimators"
    with pytest.raises(ValueError, match=f"{key}.*{named}"):
        cls(**{key: 10}).fit(X, y)
    assert named in cls().get_params()


def test_boost_from_average_false_starts_lightgbm_at_zero():
    X, y = _rng_data(300)
    clf = FocalLGBMClassifier(boost_from_average=False, n_estimators=1,
                              learning_rate=1e-12).fit(X, y)
    np.testing.assert_allclose(raw_margins(clf, X), 0.0, atol=1e-9)


# ---------------------------------------------------- 6. degenerate models
def test_model_without_split_warns_with_cause_and_fix():
    from sklearn.datasets import make_classification

    X, y = make_classification(300, 5, weights=[0.9], random_state=0)
    # small focal Hessians (alpha 0.01) against XGBoost's min_child_weight=1
    with pytest.warns(UserWarning, match="no split.*min_child_weight"):
        clf = FocalXGBClassifier(alpha=0.01, init_score="auto").fit(X, y)
    assert clf.get_booster().get_score() == {}
    assert FocalXGBClassifier(alpha=0.01, init_score="auto",
                              min_child_weight=1e-3).fit(X, y).booster_.get_score()
    X, y = _rng_data(300)
    with pytest.warns(UserWarning, match=r"no split.*\(min_child_weight\)=1000000.0"):
        FocalLGBMClassifier(min_child_weight=1e6).fit(X, y)
    # the setting that stops the splits is named, and focal Hessians are not blamed at
    # gamma 0 (the warning advised lowering min_child_weight whatever the cause)
    X, y = make_classification(600, 6, random_state=2)
    for clf, named in ((FocalXGBClassifier(gamma=0, min_split_loss=1e4), "min_split_loss"),
                       (FocalLGBMClassifier(gamma=0, min_split_gain=1e4),
                        r"min_gain_to_split \(min_split_gain\)"),
                       (FocalLGBMClassifier(gamma=0, cegb_penalty_split=100.0),
                        "cegb_penalty_split"),
                       # an L1 term or rows sampled too thinly stop every split as well
                       # (nothing but the features was blamed)
                       (FocalXGBClassifier(gamma=0, reg_alpha=1e4),
                        r"reg_alpha \(XGBoost's alpha\)=10000.0"),
                       (FocalLGBMClassifier(gamma=0, reg_alpha=1e4),
                        r"lambda_l1 \(reg_alpha\)=10000.0"),
                       (FocalXGBClassifier(gamma=0, subsample=0.01),
                        r"subsample=0.01 grows each tree on that share of the rows")):
        with pytest.warns(UserWarning, match=f"no split: {named}") as w:
            clf.set_params(n_estimators=5).fit(X, y)
        assert "Hessians" not in str(w[0].message)
        assert "more than one class has sample weight" in str(w[0].message)
    with pytest.warns(UserWarning, match=r"no split: reg_alpha \(XGBoost's alpha\)=10000.0 "):
        fxgb.train({"alpha": 1e4}, xgb.DMatrix(X, y), focal_loss(0.0), 3)
    # a random forest whose every bag is too small for min_child_samples=20 on each side
    with pytest.warns(UserWarning, match=r"no split: bagging_fraction \(subsample\)=0.7 "
                                         "grows each tree on that share of the rows"):
        FocalLGBMClassifier(gamma=0, boosting_type="rf", subsample=0.7, subsample_freq=1,
                            n_estimators=5).fit(X[:45], y[:45])
    # gradients quantized to one level: that setting is named first (lowering the
    # minimum Hessian, the only advice, changed nothing)
    with pytest.warns(UserWarning, match="no split: use_quantized_grad rounds the gradients "
                                         "to num_grad_quant_bins=1 levels"):
        FocalLGBMClassifier(n_estimators=5, min_child_weight=1e-12, use_quantized_grad=True,
                            num_grad_quant_bins=1).fit(X, y)
    # feature penalties of cost-efficient gradient boosting that log-loss gains pass and
    # focal gains do not: named (the only advice was the minimum Hessian, which did
    # nothing here)
    Xc, yc = make_classification(1500, 8, n_informative=5, random_state=0, weights=[0.8])
    penalties = {"cegb_penalty_feature_coupled": [1] * 8,
                 "cegb_penalty_feature_lazy": ",".join(["0.1"] * 8)}
    assert FocalLGBMClassifier(gamma=0, n_estimators=5, **penalties).fit(
        Xc, yc).booster_.trees_to_dataframe().split_feature.notna().any()
    with pytest.warns(UserWarning, match="no split: cegb_penalty_feature_coupled and "
                                         r"cegb_penalty_feature_lazy \(times cegb_tradeoff=1.0\)"):
        FocalLGBMClassifier(gamma=2, n_estimators=5, min_child_weight=0, **penalties).fit(Xc, yc)
    # a minimum Hessian of 0 or None is not the advice (None: the library's default)
    with pytest.warns(UserWarning, match="no split: min_gain_to_split") as w:
        FocalLGBMClassifier(gamma=2, min_child_weight=0, min_split_gain=1e4,
                            n_estimators=5).fit(X, y)
    assert "Hessians" not in str(w[0].message)
    with pytest.warns(UserWarning, match="no split: focal Hessians .* min_child_weight=1 "):
        fxgb.train({"min_child_weight": None, "min_split_loss": 1e4}, xgb.DMatrix(X, y),
                   focal_loss(), 3)
    # at a large gamma with min_child_weight 0, the gains fall below XGBoost's least split
    # gain, which no parameter lowers: said (the warning named no cause at all)
    Xg, yg = make_classification(2000, 8, n_informative=5, random_state=0)
    for extra, lam in (({"reg_lambda": 0}, ""), ({}, "; reg_lambda=1 lowers them further: "
                                                     "set reg_lambda=0")):
        with pytest.warns(UserWarning, match=re.escape(
                "no split: at gamma=50 focal split gains, about (1 - pt)**gamma times the "
                "logistic ones, can all fall below XGBoost's least split gain (1e-6), which "
                f"no parameter lowers{lam}; sample weights scaled up raise the gains by the "
                "same factor; a smaller gamma learns")):
            FocalXGBClassifier(gamma=50, min_child_weight=0, n_estimators=10, **extra).fit(
                Xg, yg)
    # which they do: weights of 1e9 split there
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scaled = FocalXGBClassifier(gamma=50, min_child_weight=0, reg_lambda=0,
                                    n_estimators=10).fit(Xg, yg, sample_weight=np.full(2000, 1e9))
    assert len(scaled.get_booster().trees_to_dataframe()) > 10  # (10 trees: no leaf alone)
    # with min_child_weight already 0, lowering it is not the advice (it was: "e.g. 1e-3")
    X, y = make_classification(600, 6, random_state=2)
    with pytest.warns(UserWarning, match="no split: check that the features carry "
                                         "information and that more than one class") as w:
        FocalXGBClassifier(gamma=0, n_estimators=5, min_child_weight=0).fit(
            X, y, sample_weight=np.where(y == 1, 0.0, 1.0))
    assert "1e-3" not in str(w[0].message)


def test_no_split_names_bagging_only_where_rows_are_bagged():
    # bagging_fraction < 1 bags rows only at bagging_freq > 0 (subsample_freq), and
    # bagging_freq > 0 bags nothing at bagging_fraction=1: neither is a reason there
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 3))
    y = (X[:, 0] > 0).astype(int)
    for params in ({"subsample": 0.5}, {"subsample_freq": 1}):
        clf = FocalLGBMClassifier(gamma=0, min_split_gain=1e4, n_estimators=3, **params)
        with pytest.warns(UserWarning, match=r"no split: min_gain_to_split \(min_split_gain\)"
                                             r"=10000.0 can stop every split; check") as w:
            clf.fit(X, y)
        assert "bagging_fraction" not in str(w[0].message)


def test_xgboost_no_split_of_data_that_cannot_split_names_the_data(monkeypatch):
    # constant and all-missing columns: XGBClassifier makes no split either; the warning
    # blamed min_child_weight and the least split gain, which no setting would mend
    import scipy.sparse as sp

    rng = np.random.default_rng(0)
    y = (rng.random(300) < 0.3).astype(int)
    data = "no split: no feature of the training data can be split (each column holds one value"
    for X in (np.ones((300, 3)), np.full((300, 2), np.nan), np.zeros((300, 2)),
              np.c_[np.ones(300), np.full(300, np.nan)], sp.csr_matrix((300, 3))):
        plain = xgb.XGBClassifier(n_estimators=3).fit(X, y)
        assert plain.get_booster().trees_to_dataframe()["Feature"].eq("Leaf").all()
        with pytest.warns(UserWarning, match=re.escape(data)) as caught:
            FocalXGBClassifier(n_estimators=3).fit(X, y)
        assert "min_child_weight" not in str(caught[0].message)
        for dmat in (xgb.DMatrix, xgb.QuantileDMatrix):
            with pytest.warns(UserWarning, match=re.escape(data)):
                fxgb.train({}, dmat(X, y), focal_loss(), 3)
    # one value and missing rows can split (missing ones go to a side of their own)
    X = np.c_[np.ones(300), np.where(y == 1, 1.0, np.nan)]
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        assert FocalXGBClassifier(n_estimators=3).fit(X, y).get_booster().get_score()
    # settings that stop the splits of data that can split are named, as before
    with pytest.warns(UserWarning, match="no split: focal Hessians") as caught:
        FocalXGBClassifier(n_estimators=3, min_child_weight=1e6).fit(X, y)
    assert "no feature" not in str(caught[0].message)
    # data too large to read back: the settings are named
    monkeypatch.setattr(fxgb, "_READ_BACK_LIMIT", 100)
    with pytest.warns(UserWarning, match="no split: focal Hessians"):
        FocalXGBClassifier(n_estimators=3).fit(np.ones((300, 3)), y)


def test_class_totals_far_apart_learn_with_the_readmes_min_child_weight():
    # the README's advice for class totals 1000:1 apart at gamma 0 (a start beyond 0.999,
    # the lighter class's Hessians near 1e-3): a lower min_child_weight learns
    from sklearn.datasets import make_classification

    X, y = make_classification(6000, 10, weights=[0.9], random_state=0)
    Xt, yt, X, y = X[4000:], y[4000:], X[:4000], y[:4000]
    with pytest.warns(UserWarning, match=r"no split: the training rows' Hessian sum at the "
                                         r"start is 0\.36, below twice min_child_weight=1"):
        FocalXGBClassifier(gamma=0, alpha=0.9999).fit(X, y)
    for alpha in ({0: 1, 1: 1e4}, 0.9999):
        model = FocalXGBClassifier(gamma=0, alpha=alpha, min_child_weight=1e-3).fit(X, y)
        assert roc_auc_score(yt, model.predict_proba(Xt)[:, 1]) > 0.93


def test_no_split_for_want_of_hessian_at_the_root_names_min_child_weight():
    # AdaBoostClassifier hands weights that sum to 1 (a root Hessian sum of 1/4); a rare
    # class of 2 in 40 rows gives 1.9: below the 2 * min_child_weight=1 a split needs,
    # which was not said at gamma 0 (only the features and the classes were blamed);
    # XGBClassifier grows no split there either, without a word
    from sklearn.datasets import make_classification

    X, y = make_classification(300, 8, random_state=0)
    w = np.full(len(y), 1 / len(y))
    named = (r"no split: the training rows' Hessian sum at the start is {}, below twice "
             r"min_child_weight=1, which a split's two leaves need .*; lower "
             r"min_child_weight below {} or scale the sample weights up")
    with pytest.warns(UserWarning, match=named.format("0.25", "0.125")) as caught:
        FocalXGBClassifier(gamma=0, n_estimators=3).fit(X, y, sample_weight=w)
    assert len(caught) == 1
    assert xgb.XGBClassifier(n_estimators=3).fit(
        X, y, sample_weight=w).get_booster().get_score() == {}
    assert FocalXGBClassifier(gamma=0, n_estimators=3, min_child_weight=1e-3).fit(
        X, y, sample_weight=w).get_booster().get_score()
    with pytest.warns(UserWarning, match=named.format("0.125", "0.0625")):
        fxgb.train({}, xgb.DMatrix(X, y, weight=w / 2), focal_loss(0.0), 3)
    rare = np.zeros(40, int)
    rare[:2] = 1
    Xr = np.where(rare[:, None] == 1, 5.0, 0.0) + np.arange(40)[:, None] % 3
    with pytest.warns(UserWarning, match=named.format("1.9", "0.95")):
        FocalXGBClassifier(gamma=0, n_estimators=3).fit(Xr, rare)
    assert FocalXGBClassifier(gamma=0, n_estimators=3, min_child_weight=1e-3).fit(
        Xr, rare).get_booster().get_score()
    # XGBoost's softmax Hessian is 2 p (1 - p): 3 classes of weight 5 in all hold 2.2 at
    # the root, enough; constant features are the cause there, and only they are named
    X3 = np.ones((300, 3))
    with pytest.warns(UserWarning, match="no split") as caught:
        FocalXGBClassifier(gamma=0, n_estimators=3).fit(X3, np.arange(300) % 3,
                                                        sample_weight=np.full(300, 5 / 300))
    assert "Hessian sum" not in str(caught[0].message)
    # thousands of classes: no k**2 table for the hint (20,000 classes took 3 GB)
    from focal_boost.xgboost import _root_hessian

    assert _root_hessian(focal_loss(), np.ones(5000), np.zeros(5000), 5000) is None
    few = np.zeros(20000)
    few[:5] = 1.0  # (5 classes present of 20,000)
    assert _root_hessian(focal_loss(), few, np.zeros(20000), 20000) > 0
    # the loss's warnings are the first round's, not the hint's too
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _root_hessian(focal_loss(6.0, hessian="exact"), np.ones(2), np.array([4.0]), None)


# ---------------------------------------------------------- 7. native APIs
def test_eval_set_with_zero_weights_reports_nan():
    X, y = _rng_data(300)
    loss = focal_loss()
    result = {}
    fxgb.train({}, xgb.DMatrix(X, y), loss, 2, evals_result=result,
               evals=[(xgb.DMatrix(X, y, weight=np.zeros(len(y))), "zero")])
    assert np.isnan(result["zero"]["focal_loss"]).all()
    result = {}
    train = lgb.Dataset(X, y)
    flgb.train({"verbose": -1}, train, loss, 2, callbacks=[lgb.record_evaluation(result)],
               valid_sets=[lgb.Dataset(X, y, weight=np.zeros(len(y)), reference=train)])
    assert np.isnan(result["valid_0"]["focal_loss"]).all()


# ------------------------------------------------- 8. missing dependencies
@pytest.mark.parametrize(("blocked", "code", "extra"), [
    ("sklearn", "from focal_boost import FocalXGBClassifier", "focal-boost[sklearn,xgboost]"),
    ("xgboost", "import focal_boost.xgboost", "focal-boost[xgboost]"),
    ("lightgbm", "import focal_boost.lightgbm", "focal-boost[lightgbm]"),
])
def test_missing_optional_dependency_names_the_extra(blocked, code, extra):
    result = _run(f"""
        import sys
        sys.modules[{blocked!r}] = None  # as if it were not installed
        import focal_boost  # the core needs none of them
        try:
            {code}
        except ImportError as exc:
            print(exc)
    """)
    assert result.returncode == 0, result.stderr[-2000:]
    assert extra in result.stdout


@pytest.mark.parametrize("cls", [FocalXGBClassifier, FocalLGBMClassifier])
def test_fits_in_threads_leave_the_warning_machinery_as_they_found_it(cls, monkeypatch):
    # two fits validating their eval sets at once (each records the feature-name warnings
    # to name the set) left a finished fit's recorder in place: every later warning of
    # the process went into a list nobody read
    import threading
    import time

    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = (X[:, 0] > 0).astype(int)
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    validate = cls._validate_X
    delays = iter([0.05, 0.15])  # the first to enter leaves first: the interleaving

    def slow_validate(self, X, **kwargs):
        if not kwargs.get("reset", True) and not kwargs.get("predict", False):
            time.sleep(next(delays, 0.0))
        return validate(self, X, **kwargs)

    monkeypatch.setattr(cls, "_validate_X", slow_validate)
    before = (warnings.showwarning, warnings._showwarnmsg_impl, list(warnings.filters))
    errors = []

    def fit():
        try:
            cls(n_estimators=2).fit(frame, y, eval_set=[(X, y)])  # names: a warning
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=fit) for _ in range(2)]
    for thread in threads:
        thread.start()
        time.sleep(0.02)
    for thread in threads:
        thread.join()
    assert errors == []
    assert (warnings.showwarning, warnings._showwarnmsg_impl, list(warnings.filters)) == before


def test_lightgbm_split_search_failure_at_min_child_weight_0_names_the_parameter():
    # LightGBM counts a split side's rows from its Hessian sum: at min_child_weight=0
    # focal Hessians near 0 (labels of one class, a class of no weight) made sides of
    # "0 rows" and a C++ check failure that named nothing to change. LGBMClassifier
    # trains there (its binary objective skips labels of one class, and its start
    # floors a probability at 1e-15): ours names the parameter
    import lightgbm as lgb
    pd = pytest.importorskip("pandas")

    X = np.array([[-1.34], [1.12], [-1.13], [1.64], [0.48], [-1.32], [1.12], [1.19],
                  [1.68], [-1.44]])
    y = np.ones(10, dtype=int)
    kw = dict(n_estimators=2, min_child_weight=0.0, min_child_samples=1, random_state=0,
              n_jobs=1, verbose=-1)
    Xc = pd.DataFrame({"f0": pd.Categorical(["v2", "v0", "v2", "v2", "v2"],
                                            categories=["v0", "v1", "v2", "v3", "v4"]),
                       "f1": [-3.33, 1.92, -4.50, -9.17, -3.98]})
    yc = np.array([13, 5, 13, 19, 13])
    w = np.array([2.14, 2.85, 2.26, 0.0, 1.83])
    kwc = dict(n_estimators=2, learning_rate=0.3, reg_lambda=0.0, min_child_weight=0.0,
               min_child_samples=2, random_state=38, n_jobs=1, verbose=-1)
    message = re.escape("with min_sum_hessian_in_leaf (min_child_weight)=0.0 it tried "
                        "sides of focal Hessians near 0") + (
        ".*set min_child_weight to at least 0.001")
    for data, params, fit in (((X, y), kw, {}), ((Xc, yc), kwc, {"sample_weight": w})):
        lgb.LGBMClassifier(**params).fit(*data, **fit)
        with pytest.raises(ValueError, match=message):
            FocalLGBMClassifier(gamma=0.0, **params).fit(*data, **fit)
        # LightGBM's default (1e-3) trains
        FocalLGBMClassifier(gamma=0.0, **{**params, "min_child_weight": 1e-3}).fit(*data, **fit)


def test_a_fit_inside_an_eval_sets_computation_neither_hangs_nor_fails():
    # an eval set's X computed by user code (a dask graph) that itself fits a focal model
    # with an eval set: a lock held while validating eval sets hung it for good
    pytest.importorskip("dask.dataframe")
    script = textwrap.dedent("""
        import numpy as np, pandas as pd, dask, dask.dataframe as dd
        from focal_boost import FocalXGBClassifier
        rng = np.random.default_rng(0)
        X = pd.DataFrame(rng.normal(size=(200, 3)), columns=list("abc"))
        y = (X.a > 0).astype(int)
        def per_part(p):
            yp = (p.a > 0).astype(int)
            # (an eval set other than the training data, which is not validated again)
            FocalXGBClassifier(n_estimators=3).fit(p, yp, eval_set=[(p + 0.0, yp)])
            return p
        dX = dd.from_pandas(X, npartitions=2).map_partitions(per_part, meta=X)
        with dask.config.set(scheduler="synchronous"):
            FocalXGBClassifier(n_estimators=3).fit(X, y, eval_set=[(dX, y)])
        print("done")
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "done", out.stderr[-2000:]


@pytest.mark.parametrize("cls", [FocalXGBClassifier, FocalLGBMClassifier])
def test_an_eval_sets_feature_names_and_count_are_checked_under_its_name(cls):
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 3))
    y = (X[:, 0] > 0).astype(int)
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    with pytest.warns(UserWarning, match=re.escape(
            f"eval_set[0]'s X does not have valid feature names, but {cls.__name__} was "
            "fitted with feature names")):
        cls(n_estimators=2).fit(frame, y, eval_set=[(X, y)])
    with pytest.warns(UserWarning, match=re.escape(
            f"eval_set[0]'s X has feature names, but {cls.__name__} was fitted without "
            "feature names")):
        named = cls(n_estimators=2).fit(X, y, eval_set=[(frame, y)])
    # ... and the set is read by position, as predict reads X: XGBoost took the frame's
    # names for the booster's and refused the training data ("data did not contain
    # feature names"; XGBClassifier alike, where LGBMClassifier trains)
    plain = cls(n_estimators=2).fit(X, y, eval_set=[(X.copy(), y)])
    assert named.evals_result_ == plain.evals_result_
    np.testing.assert_array_equal(named.predict_proba(X), plain.predict_proba(X))
    if cls is FocalXGBClassifier:
        assert named.booster_.feature_names is None
    # a categorical column there is read by its codes, as predict reads it (its type had
    # become the booster's, whose trees split it as numbers: get_dump failed)
    kind = pd.Categorical(np.round(X[:, 2]).astype(int))
    categories = frame.assign(c=kind)
    codes = np.c_[X[:, :2], kind.codes]
    kw = {"enable_categorical": True} if cls is FocalXGBClassifier else {}
    model = cls(n_estimators=2, **kw).fit(X, y, eval_set=[(categories, y)])
    assert model.evals_result_ == cls(n_estimators=2, **kw).fit(
        X, y, eval_set=[(codes, y)]).evals_result_
    np.testing.assert_array_equal(model.predict_proba(categories), model.predict_proba(codes))
    if cls is FocalXGBClassifier:
        assert model.booster_.feature_types is None and len(model.booster_.get_dump()) == 2
    for given in (frame, X):  # (fitted with names or without)
        with pytest.raises(ValueError, match=re.escape(
                f"eval_set[0]'s X has 2 features, but {cls.__name__} is expecting 3 "
                "features")):
            cls(n_estimators=2).fit(given, y, eval_set=[(X[:, :2], y)])


@pytest.mark.parametrize("cls", [FocalXGBClassifier, FocalLGBMClassifier])
def test_an_eval_frames_other_column_names_are_refused_under_its_name(cls):
    # (scikit-learn's check said "should match those that were passed during fit",
    # naming no set; XGBClassifier says "feature_names mismatch", LGBMClassifier trains
    # on the columns by position)
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(100, 3)), columns=["a", "b", "c"])
    y = (frame.a > 0).astype(int)
    cases = {"in another order": frame[["c", "b", "a"]],
             "not in the training data: 'd'; missing: 'c'": frame.rename(columns={"c": "d"}),
             "missing: 'c'": frame[["a", "b"]],
             "not in the training data: 'd'": frame.assign(d=1.0)}
    for detail, other in cases.items():
        with pytest.raises(ValueError, match=re.escape(
                f"eval_set[1]'s X's feature names differ from the training data's "
                f"({detail}): give its columns as X's")):
            cls(n_estimators=2).fit(frame, y, eval_set=[(frame, y), (other, y)])
    # a name twice is said so (it read "in another order" or "missing"), also where the
    # model is fitted on an array (LightGBM's "appears more than one time" after a warning)
    for columns in (["a", "b", "c", "c"], ["a", "b", "b"]):
        with pytest.raises(ValueError, match=re.escape(
                f"eval_set[0]'s X has columns of the same name: {columns[-1]!r}")):
            cls(n_estimators=2).fit(frame, y, eval_set=[(frame[columns], y)])
    with pytest.raises(ValueError, match=re.escape(
            "eval_set[0]'s X has columns of the same name: 'a'")):
        cls(n_estimators=2).fit(frame.to_numpy(), y,
                                eval_set=[(frame.set_axis(["a", "a", "c"], axis=1), y)])


def test_xgboost_categorical_tag_follows_enable_categorical():
    # the tag said categories were taken where enable_categorical=False refuses them
    # (XGBClassifier's tag follows the setting)
    assert not FocalXGBClassifier(
        enable_categorical=False).__sklearn_tags__().input_tags.categorical
    assert FocalXGBClassifier().__sklearn_tags__().input_tags.categorical
    assert FocalLGBMClassifier().__sklearn_tags__().input_tags.categorical


def test_an_eval_sets_start_margin_that_is_not_finite_is_named():
    # the focal metric's check said "y_pred contains NaN or infinite values", an argument
    # no user passed, where an eval set's base_margin held a NaN
    import xgboost as xgb

    from focal_boost.metrics import focal_metric

    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 4))
    y = (X[:, 0] > 0).astype(int)
    message = re.escape("margin contains NaN or infinite values; in training, the margins "
                        "of an evaluation set: a start margin that is not finite")
    # (the estimator's, by its row before training)
    with pytest.raises(ValueError, match=r"^base_margin_eval_set\[0\] holds nan \(row 0\): a "
                                         r"start margin must be finite$"):
        FocalXGBClassifier(n_estimators=3).fit(
            X, y, eval_set=[(X[:100], y[:100])],
            base_margin_eval_set=[np.r_[np.nan, np.zeros(99)]])
    with pytest.raises(ValueError, match=message):
        fxgb.train({}, xgb.DMatrix(X, label=y), focal_loss(2.0), 3, verbose_eval=False,
                   evals=[(xgb.DMatrix(X, label=y, base_margin=np.full(200, np.nan)), "v")])
    with pytest.raises(ValueError, match=message):
        focal_metric(focal_loss(2.0), y, np.full(200, np.nan))


def test_an_eval_frames_differing_names_are_listed_up_to_five():
    # five names are listed whole; a sixth and more as "..."
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(100, 3)), columns=["a", "b", "c"])
    y = (frame.a > 0).astype(int)
    for n, listed in ((5, "'d0', 'd1', 'd2', 'd3', 'd4')"),
                      (6, "'d0', 'd1', 'd2', 'd3', 'd4', ...)")):
        other = frame.assign(**{f"d{i}": 1.0 for i in range(n)})
        with pytest.raises(ValueError, match=re.escape(
                f"(not in the training data: {listed}: give its columns as X's")):
            FocalLGBMClassifier(n_estimators=2).fit(frame, y, eval_set=[(other, y)])


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_a_fit_leaves_the_process_warning_filters_alone(cls, package_warning_swaps):
    """A fit in which no tree splits computed its hint's Hessians under
    catch_warnings + simplefilter("ignore"): fits of FocalXGBClassifier in two threads
    interleaving there left "ignore" set for the whole process (every later warning,
    the user's own and the no-split advice, unseen in 3 of 4 runs of 300 fits;
    XGBClassifier leaves the filters alone). No fit enters catch_warnings itself."""
    X = np.random.default_rng(0).normal(size=(200, 4))
    y = (X[:, 0] > 0).astype(int)
    with pytest.warns(UserWarning, match="the model has no split"):
        cls(n_estimators=2, min_child_weight=1e6).fit(X, y, eval_set=[(X, y)])
    cls(n_estimators=2, hessian="exact", early_stopping_rounds=1).fit(X, y)
    assert package_warning_swaps == []


# ------ found unpinned by mutation testing (the category-level check, eval frames' codes)
def _level_rows(n=400, seed=0, levels="abcdefgh"):
    rng = np.random.default_rng(seed)
    cat = rng.choice(list(levels), n)
    frame = pd.DataFrame({"cat": pd.Categorical(cat), "x": rng.normal(size=n)})
    y = (np.isin(cat, list(levels[::2])) ^ (frame["x"].to_numpy() > 0.8)).astype(int)
    return frame, y


def test_an_unseen_level_coded_zero_is_refused():
    # the unseen level is the dtype's first category (code 0), held by a row
    X, y = _level_rows()
    model = FocalXGBClassifier(n_estimators=3).fit(X, y)
    rows = pd.DataFrame({"cat": pd.Categorical(["a0", "b"], categories=["a0", *"abcdefgh"]),
                         "x": [0.0, 0.0]})
    with pytest.raises(ValueError, match=r"^X holds, in column 'cat', categories the model "
                                         r"was not trained on \('a0'\)"):
        model.predict_proba(rows)


def test_every_category_column_is_checked_past_one_of_another_dtype():
    # 'first' is a category at fit and numbers at predict (the library's own refusal);
    # 'second', after it, holds an unseen level: ours names it before XGBoost's refusal
    X, y = _level_rows()
    X = pd.DataFrame({"first": X["cat"], "second": X["cat"], "x": X["x"]})
    model = FocalXGBClassifier(n_estimators=3).fit(X, y)
    rows = X[:2].assign(first=[0.0, 1.0],
                        second=pd.Categorical(["zz", "a"], categories=["a", "zz"]))
    with pytest.raises(ValueError, match=r"^X holds, in column 'second', categories"):
        model.predict_proba(rows)


def test_a_category_column_given_as_numbers_gets_xgboosts_refusal_as_xgbclassifier():
    X, y = _level_rows()
    ours = FocalXGBClassifier(n_estimators=3).fit(X, y)
    plain = xgb.XGBClassifier(enable_categorical=True, n_estimators=3).fit(X, y)
    rows = X[:3].assign(cat=X["cat"][:3].cat.codes.astype(float))
    for model in (ours, plain):
        with pytest.raises(xgb.core.XGBoostError, match="data type doesn't match"):
            model.predict_proba(rows)


def test_an_array_after_a_categorical_fit_is_read_by_position_as_xgbclassifier():
    X, y = _level_rows()
    ours = FocalXGBClassifier(n_estimators=3).fit(X, y)
    rows = X[:5].assign(cat=X["cat"][:5].cat.codes).to_numpy(dtype=float)
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        by_position = ours.predict_proba(rows)
    np.testing.assert_allclose(by_position, ours.predict_proba(X[:5]), rtol=1e-6)


def test_a_model_continued_on_fewer_levels_keeps_the_continued_models_levels():
    # XGBoost codes the new rows by the continued model's categories: the model scores
    # every one of them, those the new rows lack too (as XGBClassifier)
    X, y = _level_rows(levels="abcd")
    first = FocalXGBClassifier(n_estimators=3).fit(X, y)
    some = X["cat"].isin(["a", "b"]).to_numpy()
    fewer = X[some].assign(cat=X["cat"][some].cat.remove_unused_categories())
    continued = FocalXGBClassifier(n_estimators=3).fit(fewer, y[some], xgb_model=first)
    assert {column: levels.tolist() for column, levels
            in continued._category_levels.items()} == {"cat": ["a", "b", "c", "d"]}
    rows = X[X["cat"].isin(["c", "d"]).to_numpy()][:4]
    proba = continued.predict_proba(rows)  # (levels the new rows lacked: no refusal)
    assert proba.shape == (4, 2) and np.isfinite(proba).all()


def _plain_xgboost_takes_the_levels(X, y) -> bool:
    """Whether XGBClassifier trains on X's category levels: XGBoost 3.2 takes tuples,
    3.4 refuses levels that are not all strings or all integers (a TypeError), and so
    do ours there, with its message."""
    try:
        xgb.XGBClassifier(n_estimators=1, enable_categorical=True).fit(X, y)
    except TypeError:
        with pytest.raises(TypeError, match="Category index must contain only values of "
                                            "the same type"):
            FocalXGBClassifier(n_estimators=2).fit(X, y)
        return False
    return True


def test_levels_json_cannot_keep_are_not_saved_and_the_model_loads(tmp_path):
    # tuples as levels (XGBoost 3.2 trains on them): JSON would make them lists
    X, y = _level_rows(levels="abc")
    codes = X["cat"].cat.codes.to_numpy()
    X = X.assign(cat=pd.Categorical.from_codes(codes, categories=[(1, 2), (3, 4), (5, 6)]))
    if not _plain_xgboost_takes_the_levels(X, y):
        return
    model = FocalXGBClassifier(n_estimators=2).fit(X, y)
    assert model._category_levels["cat"].tolist() == [(1, 2), (3, 4), (5, 6)]
    model.save_model(tmp_path / "m.json")
    loaded = FocalXGBClassifier().load_model(tmp_path / "m.json")
    assert loaded._category_levels is None
    np.testing.assert_allclose(loaded.predict_proba(X[:5]), model.predict_proba(X[:5]))


@pytest.mark.parametrize("levels", [["a", "b"], {"cat": "ab"}])
def test_a_file_with_edited_categories_is_refused_as_damaged(tmp_path, levels):
    X, y = _level_rows(levels="ab")
    FocalXGBClassifier(n_estimators=2).fit(X, y).save_model(tmp_path / "m.json")
    model = json.loads((tmp_path / "m.json").read_text())
    attributes = model["learner"]["attributes"]
    meta = json.loads(attributes["focal_boost_estimator"])
    assert meta["categories"] == {"cat": ["a", "b"]}
    meta["categories"] = levels
    attributes["focal_boost_estimator"] = json.dumps(meta)
    (tmp_path / "edited.json").write_text(json.dumps(model))
    with pytest.raises(ValueError, match=r"edited\.json: .*\(TypeError: categories must "
                                         r"be a dict of lists\).*edited or damaged"):
        FocalXGBClassifier().load_model(tmp_path / "edited.json")


@pytest.mark.parametrize("given", ["booster", "file", "pyarrow-less booster"])
def test_a_model_continued_from_a_booster_or_file_codes_by_its_levels(tmp_path, given,
                                                                     monkeypatch):
    # the Booster's levels (XGBoost's own, read with pyarrow, or save_model's record)
    # code the continuing rows and its evaluation sets: rows of another level are
    # refused, as for a continued estimator (they trained as the next level: "b2" as
    # "c"); without pyarrow a Booster's cannot be read, and the rows' own stand
    if given == "booster":
        pytest.importorskip("pyarrow")  # (XGBoost exports a Booster's levels with it)
    X, y = _level_rows()
    first = FocalXGBClassifier(n_estimators=3).fit(X, y)
    if given == "file":
        first.save_model(tmp_path / "m.json")
        model = tmp_path / "m.json"
    else:
        model = first.get_booster()
    if given == "pyarrow-less booster":
        monkeypatch.setitem(sys.modules, "pyarrow", None)  # (its import then fails)
    more = X.assign(cat=pd.Categorical(X.cat.astype(str).str.replace("c", "b2")))
    refusal = r"holds, in column 'cat', categories the model was not trained on \('b2'\)"
    if given == "pyarrow-less booster":
        try:
            continued = FocalXGBClassifier(n_estimators=2).fit(more, y, xgb_model=model)
        except xgb.core.XGBoostError as error:  # XGBoost 3.4 checks them itself
            assert "Found a category not in the training set" in str(error)
            assert tuple(map(int, xgb.__version__.split(".")[:2])) >= (3, 4)
        else:
            assert "b2" in continued._category_levels["cat"]
        return
    with pytest.raises(ValueError, match="^X " + refusal):
        FocalXGBClassifier(n_estimators=2).fit(more, y, xgb_model=model)
    # the evaluation sets too, read after the model's levels are taken
    extra = X.cat.cat.add_categories(["b2"])
    with pytest.raises(ValueError, match=r"^eval_set\[0\]'s X " + refusal):
        FocalXGBClassifier(n_estimators=2).fit(
            X.assign(cat=extra), y, xgb_model=model,
            eval_set=[(X[:5].assign(cat=pd.Categorical(["b2"] * 5, categories=extra.cat
                                                       .categories)), y[:5])])


def test_xgboost_unused_levels_the_model_lacks_are_dropped_before_xgboost():
    # a level of the dtype that no row holds and that sorts after the training levels:
    # XGBoost refused the frame with a C++ trace ("Found a category not in the training
    # set"); ours scores its rows as those of the training dtype
    X, y = _level_rows()
    model = FocalXGBClassifier(n_estimators=3).fit(X, y)
    rows = X[:6].assign(cat=X.cat[:6].cat.add_categories(["zz"]))
    with pytest.raises(xgb.core.XGBoostError, match="not in the training set"):
        model.get_booster().inplace_predict(rows)
    np.testing.assert_array_equal(model.predict_proba(rows), model.predict_proba(X[:6]))
    # an eval set's too, and a continued model's training rows
    model.fit(X, y, eval_set=[(rows, y[:6])])
    FocalXGBClassifier(n_estimators=2).fit(X.assign(cat=X.cat.cat.add_categories(["zz"])), y,
                                           xgb_model=model)


# ------- found unpinned by mutation testing (continued models' levels, the file's record)
_N = 200


def _levels_frame(levels, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"x": rng.normal(size=_N),
                      "c": pd.Categorical(rng.choice(levels, _N), categories=levels)})
    y = ((X["c"] == levels[0]).to_numpy() ^ (X["x"] > 1).to_numpy()).astype(int)
    return X, y


def _with_new_level(X, column, level, rows=5):
    """X with its first ``rows`` rows of ``column`` set to ``level`` (a new category)."""
    values = X[column].astype(object).to_numpy().copy()
    values[:rows] = level
    levels = sorted({*X[column].cat.categories, level})
    return X.assign(**{column: pd.Categorical(values, categories=levels)})


def _level_refusal(column, level):
    return re.escape(f"X holds, in column {column!r}, categories the model was not trained "
                     f"on ({level!r})")


def test_integer_levels_are_kept_by_save_model_and_checked_after_loading(tmp_path):
    X, y = _levels_frame([10, 20, 30])
    model = FocalXGBClassifier(n_estimators=2).fit(X, y)
    path = tmp_path / "model.json"
    model.save_model(path)
    loaded = FocalXGBClassifier()
    loaded.load_model(path)
    assert {c: v.tolist() for c, v in loaded._category_levels.items()} == {"c": [10, 20, 30]}
    np.testing.assert_allclose(loaded.predict_proba(X), model.predict_proba(X))
    with pytest.raises(ValueError, match=_level_refusal("c", 15)):
        loaded.predict(_with_new_level(X, "c", 15))


def test_a_fitted_estimator_continued_uses_its_own_levels_not_the_boosters_export(monkeypatch):
    # the Booster's own levels need pyarrow (None without it): a fitted estimator's
    # recorded levels stand for them
    X, y = _levels_frame(["a", "b", "c"])
    model = FocalXGBClassifier(n_estimators=2).fit(X, y)
    monkeypatch.setattr(fxgb, "category_levels", lambda booster, columns: None)
    with pytest.raises(ValueError, match=_level_refusal("c", "b2")):
        FocalXGBClassifier(n_estimators=1).fit(_with_new_level(X, "c", "b2"), y, xgb_model=model)


def test_a_column_of_some_levels_json_cannot_keep_is_left_out_of_the_file(tmp_path):
    # a tuple among strings: JSON would make it a list, which no level equals
    X, y = _levels_frame(["a", "b", "c"])
    codes = X["c"].cat.codes.to_numpy()
    X = X.assign(c=pd.Categorical.from_codes(codes, categories=["a", (1, 2), "c"]))
    if not _plain_xgboost_takes_the_levels(X, y):
        return
    model = FocalXGBClassifier(n_estimators=2).fit(X, y)
    model.save_model(tmp_path / "m.json")
    loaded = FocalXGBClassifier()
    loaded.load_model(tmp_path / "m.json")
    assert loaded._category_levels is None
    np.testing.assert_allclose(loaded.predict_proba(X[:5]), model.predict_proba(X[:5]))


def test_a_loaded_model_saves_its_levels_again(tmp_path):
    X, y = _levels_frame(["a", "b", "c"])
    FocalXGBClassifier(n_estimators=2).fit(X, y).save_model(tmp_path / "first.json")
    loaded = FocalXGBClassifier()
    loaded.load_model(tmp_path / "first.json")
    loaded.save_model(tmp_path / "second.json")
    again = FocalXGBClassifier()
    again.load_model(tmp_path / "second.json")
    assert {c: v.tolist() for c, v in again._category_levels.items()} == {"c": ["a", "b", "c"]}
    with pytest.raises(ValueError, match=_level_refusal("c", "b2")):
        again.predict(_with_new_level(X, "c", "b2"))


def test_a_save_model_files_record_of_levels_stands_without_pyarrow(tmp_path, monkeypatch):
    # XGBoost's own export of a Booster's levels needs pyarrow; the file's record does not
    X, y = _levels_frame(["a", "b", "c"])
    FocalXGBClassifier(n_estimators=2).fit(X, y).save_model(tmp_path / "m.json")
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # (import pyarrow: ImportError)
    booster = xgb.Booster(model_file=tmp_path / "m.json")
    assert {c: v.tolist() for c, v in fxgb.category_levels(booster, X.columns).items()} == {
        "c": ["a", "b", "c"]}
    with pytest.raises(ValueError, match=_level_refusal("c", "b2")):
        FocalXGBClassifier(n_estimators=1).fit(_with_new_level(X, "c", "b2"), y,
                                               xgb_model=tmp_path / "m.json")


def test_a_record_that_is_not_an_object_falls_back_to_the_boosters_levels(tmp_path):
    X, y = _levels_frame(["a", "b", "c"])
    FocalXGBClassifier(n_estimators=2).fit(X, y).save_model(tmp_path / "m.json")
    model = json.loads((tmp_path / "m.json").read_text())
    model["learner"]["attributes"][fxgb.ESTIMATOR_ATTR] = "[1]"
    (tmp_path / "edited.json").write_text(json.dumps(model))
    booster = xgb.Booster(model_file=tmp_path / "edited.json")
    pytest.importorskip("pyarrow")
    assert {c: v.tolist() for c, v in fxgb.category_levels(booster, X.columns).items()} == {
        "c": ["a", "b", "c"]}
    with pytest.raises(ValueError, match=_level_refusal("c", "b2")):
        FocalXGBClassifier(n_estimators=1).fit(_with_new_level(X, "c", "b2"), y, xgb_model=booster)


def test_a_categorical_booster_without_feature_names_on_an_array_gets_xgboosts_error():
    # (no columns to key levels by: XGBoost's own refusal, as XGBClassifier gives it)
    X, y = _levels_frame(["a", "b", "c"])
    booster = FocalXGBClassifier(n_estimators=2).fit(X, y).get_booster()
    booster.feature_names = None
    assert fxgb.category_levels(booster, None) is None
    array = np.column_stack([X["x"], X["c"].cat.codes]).astype(float)
    plain = xgb.XGBClassifier(n_estimators=2, enable_categorical=True).fit(X, y).get_booster()
    plain.feature_names = None
    with pytest.raises(xgb.core.XGBoostError, match="different categorical features"):
        xgb.XGBClassifier(n_estimators=1).fit(array, y, xgb_model=plain)
    with pytest.raises(xgb.core.XGBoostError, match="different categorical features"):
        FocalXGBClassifier(n_estimators=1).fit(array, y, xgb_model=booster)


def test_a_boosters_levels_are_read_by_position_where_its_names_are_the_defaults():
    # names XGBoost refuses: the booster's are f0, f1 (a warning says so); X keeps its own
    pytest.importorskip("pyarrow")  # (XGBoost exports a Booster's levels with it)
    X, y = _levels_frame(["a", "b", "c"])
    X = X.set_axis(["x[0]", "c<1"], axis=1)
    with pytest.warns(UserWarning, match="booster names the features f0, f1"):
        booster = FocalXGBClassifier(n_estimators=2).fit(X, y).get_booster()
    assert booster.feature_names == ["f0", "f1"]
    assert list(fxgb.category_levels(booster, X.columns)) == ["c<1"]
    with pytest.raises(ValueError, match=_level_refusal("c<1", "b2")):
        FocalXGBClassifier(n_estimators=1).fit(_with_new_level(X, "c<1", "b2"), y,
                                               xgb_model=booster)


def test_continued_models_read_their_levels_by_position():
    # a model fitted on names XGBoost refuses names its booster's features f0, f1; rows
    # named so (which XGBoost takes) were not matched to the recorded names, and "b2"
    # trained as "c" (a fitted estimator, a save_model file); an estimator loaded from a
    # Booster's own file records none: its booster's levels are read
    pytest.importorskip("pyarrow")  # (XGBoost exports a Booster's levels with it)
    X, y = _levels_frame(["a", "b", "c"])
    X = X.set_axis(["x[0]", "c<1"], axis=1)
    with pytest.warns(UserWarning, match="booster names the features f0, f1"):
        model = FocalXGBClassifier(n_estimators=2).fit(X, y)
    rows = _with_new_level(X, "c<1", "b2").set_axis(["f0", "f1"], axis=1)
    for given in (model, model.get_booster()):
        with pytest.raises(ValueError, match=_level_refusal("f1", "b2")):
            FocalXGBClassifier(n_estimators=1).fit(rows, y, xgb_model=given)
    plain, y = _levels_frame(["a", "b", "c"])
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "booster.json"
        FocalXGBClassifier(n_estimators=2).fit(plain, y).get_booster().save_model(path)
        loaded = FocalXGBClassifier().load_model(path)
    assert loaded._category_levels is None
    pytest.importorskip("pyarrow")
    with pytest.raises(ValueError, match=_level_refusal("c", "b2")):
        FocalXGBClassifier(n_estimators=1).fit(_with_new_level(plain, "c", "b2"), y,
                                               xgb_model=loaded)


def test_levels_pickled_as_lists_by_an_earlier_build_save(tmp_path):
    X, y = _levels_frame(["a", "b", "c"])
    model = FocalXGBClassifier(n_estimators=2).fit(X, y)
    model._category_levels = {"c": ["a", "b", "c"]}  # (as that build kept them)
    model.save_model(tmp_path / "m.json")
    with pytest.raises(ValueError, match=_level_refusal("c", "b2")):
        FocalXGBClassifier().load_model(tmp_path / "m.json").predict(
            _with_new_level(X, "c", "b2"))
