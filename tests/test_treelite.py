"""Treelite imports focal models: margins equal to the library's, the posterior after."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

pytest.importorskip("xgboost")
pytest.importorskip("lightgbm")
pytest.importorskip("sklearn")
pytest.importorskip("treelite")

from conftest import near_zero_rows, raw_margins  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402

from focal_boost import FocalLGBMClassifier, FocalXGBClassifier  # noqa: E402
from focal_boost import treelite as ftl  # noqa: E402


@pytest.mark.parametrize("library", ["xgboost", "lightgbm"])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_treelite_margins_and_posterior(library, n_classes):
    X, y = make_classification(500, 5, n_informative=3, n_classes=n_classes, flip_y=0.2,
                               random_state=0)
    kwargs = {"gamma": 2.0, "alpha": "balanced", "n_estimators": 300,
              "early_stopping_rounds": 3}
    if library == "xgboost":
        model = FocalXGBClassifier(max_depth=3, **kwargs).fit(X, y)
    else:
        model = FocalLGBMClassifier(num_leaves=8, verbose=-1, **kwargs).fit(X, y)
    assert model.best_iteration_ + 1 < 300
    tl_model = ftl.to_treelite(model)
    margin = ftl.predict_margin(tl_model, X)
    # XGBoost: float32 sums; LightGBM: float64
    tol = 1e-6 if library == "xgboost" else 1e-12
    np.testing.assert_allclose(margin, raw_margins(model, X), rtol=0, atol=tol)
    proba = ftl.predict_proba(tl_model, X, model.loss_)
    expected = model.predict_proba(X)
    np.testing.assert_allclose(proba, expected[:, 1] if n_classes == 2 else expected,
                               rtol=0, atol=10 * tol)


def test_early_stopped_native_boosters_predict_up_to_their_best_round():
    # (the tests early-stopped estimators only: a booster's trees past its best round, or
    # its best round missing, went unnoticed: 3.2e-2 off for XGBoost, 6.7e-2 LightGBM)
    import lightgbm as lgb
    import xgboost as xgb

    from focal_boost import FocalLoss
    from focal_boost import lightgbm as flgb
    from focal_boost import xgboost as fxgb

    X, y = make_classification(600, 6, n_informative=4, weights=[0.8], random_state=0)
    loss = FocalLoss(2.0, 0.25)
    booster = fxgb.train({"max_depth": 3, "eta": 0.3}, xgb.DMatrix(X[:400], label=y[:400]),
                         loss, 200, evals=[(xgb.DMatrix(X[400:], label=y[400:]), "v")],
                         early_stopping_rounds=5, verbose_eval=False)
    assert 0 < booster.best_iteration < booster.num_boosted_rounds() - 1
    np.testing.assert_allclose(ftl.predict_proba(ftl.to_treelite(booster), X, loss),
                               fxgb.predict_proba(booster, X), atol=1e-6)
    booster = flgb.train({"num_leaves": 8, "learning_rate": 0.3, "verbose": -1},
                         lgb.Dataset(X[:400], label=y[:400]), loss, 200,
                         valid_sets=[lgb.Dataset(X[400:], label=y[400:])],
                         callbacks=[lgb.early_stopping(5, verbose=False)])
    assert booster.best_iteration > 1  # (lgb.train keeps the trees up to it)
    np.testing.assert_allclose(ftl.predict_proba(ftl.to_treelite(booster), X, loss),
                               flgb.predict_proba(booster, X, loss), atol=1e-6)

def test_native_lightgbm_file_multiclass(tmp_path):
    lgb = pytest.importorskip("lightgbm")
    from focal_boost import FocalLoss
    from focal_boost import lightgbm as flgb

    X, y = make_classification(400, 5, n_informative=3, n_classes=3, random_state=0)
    loss = FocalLoss(2.0, [1.0, 2.0, 4.0])
    booster = flgb.train({"num_class": 3, "num_leaves": 8, "verbose": -1},
                         lgb.Dataset(X, y), loss, 10)
    flgb.save_model(booster, tmp_path / "focal.txt", loss)
    loaded = lgb.Booster(model_file=tmp_path / "focal.txt")
    tl_model = ftl.to_treelite(loaded)
    np.testing.assert_allclose(ftl.predict_margin(tl_model, X), loaded.predict(X),
                               rtol=0, atol=1e-12)
    np.testing.assert_allclose(ftl.predict_proba(tl_model, X, flgb.stored_loss(loaded)),
                               flgb.predict_proba(loaded, X), rtol=0, atol=1e-11)


@pytest.mark.parametrize("alpha", [None, 0.25, [0.2, 0.3, 0.4, 0.5]])
def test_treelite_multilabel_posterior_per_label(alpha):
    # the labels' margins went through one softmax across labels (off by up to 0.80, rows
    # summing to 1); each label has its own sigmoid and posterior
    from sklearn.datasets import make_multilabel_classification

    X, Y = make_multilabel_classification(300, n_features=6, n_classes=4, random_state=0)
    model = FocalXGBClassifier(alpha=alpha, n_estimators=10).fit(X, Y)
    proba = ftl.predict_proba(ftl.to_treelite(model), X, model.loss_)
    np.testing.assert_allclose(proba, model.predict_proba(X), atol=1e-6)


@pytest.mark.parametrize("cls", [FocalXGBClassifier, FocalLGBMClassifier])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_treelite_predicts_on_no_rows(cls, n_classes):
    X, y = make_classification(200, 5, n_informative=3, n_classes=n_classes, random_state=0)
    model = cls(n_estimators=3).fit(X, y)
    proba = ftl.predict_proba(ftl.to_treelite(model), X[:0], model.loss_)
    assert proba.shape == ((0,) if n_classes == 2 else (0, 3))


@pytest.mark.parametrize("cls", [FocalXGBClassifier, FocalLGBMClassifier])
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("posterior_correction", [True, False])
def test_given_the_estimator_probabilities_are_its_predict_proba(cls, n_classes,
                                                                 posterior_correction):
    X, y = make_classification(400, 5, n_informative=3, n_classes=n_classes,
                               weights=[0.8] + [0.2 / (n_classes - 1)] * (n_classes - 1),
                               random_state=0)
    model = cls(n_estimators=20, alpha="balanced",
                posterior_correction=posterior_correction).fit(X, y)
    proba = ftl.predict_proba(ftl.to_treelite(model), X, model)
    expected = model.predict_proba(X)
    np.testing.assert_allclose(proba, expected[:, 1] if n_classes == 2 else expected,
                               rtol=0, atol=1e-5)
    if not posterior_correction:  # the loss alone gives the posterior, a different number
        posterior = ftl.predict_proba(ftl.to_treelite(model), X, model.loss_)
        assert np.max(np.abs(posterior - proba)) > 0.05


def test_probabilities_need_a_loss_or_a_fitted_estimator():
    X, y = make_classification(200, 5, random_state=0)
    tl_model = ftl.to_treelite(FocalXGBClassifier(n_estimators=2).fit(X, y))
    with pytest.raises(ValueError, match="not fitted yet"):
        ftl.predict_proba(tl_model, X, FocalXGBClassifier())
    with pytest.raises(TypeError, match="loss must be a FocalLoss or a fitted"):
        ftl.predict_proba(tl_model, X, "focal")


def test_xgboost_booster_of_no_rounds_is_imported():
    # (every model is sliced for Treelite; XGBoost refuses an empty slice)
    import xgboost as xgb

    from focal_boost import focal_loss
    from focal_boost import xgboost as fxgb
    X, y = make_classification(200, 4, random_state=0)
    booster = fxgb.train({}, xgb.DMatrix(X, y), focal_loss(2.0), 0)
    np.testing.assert_array_equal(ftl.predict_margin(ftl.to_treelite(booster), X),
                                  fxgb.predict_margin(booster, X))
    # multiclass: Treelite's own check failed deep inside ("size_leaf_vector > 0"),
    # for XGBClassifier(n_estimators=0) too
    X, y = make_classification(200, 4, n_informative=3, n_redundant=0, n_classes=3,
                               random_state=0)
    for model in (fxgb.train({"num_class": 3}, xgb.DMatrix(X, y), focal_loss(2.0), 0),
                  FocalXGBClassifier(n_estimators=0).fit(X, y)):
        with pytest.raises(ValueError, match=r"^the multiclass model has no trees \(0 "
                                             r"boosting rounds, e\.g\. n_estimators=0\)"):
            ftl.to_treelite(model)


def test_lightgbm_linear_trees_are_refused_in_words_that_say_what_to_do():
    # Treelite's own check came through as it is ("lightgbm.cc:308: Check failed: ...")
    X, y = make_classification(300, 4, random_state=0)
    model = FocalLGBMClassifier(linear_tree=True, n_estimators=5).fit(X, y)
    with pytest.raises(NotImplementedError, match="linear trees are not imported by "
                                                  "Treelite.*linear_tree=False"):
        ftl.to_treelite(model)


def test_gblinear_is_refused_by_name_early_stopped_or_not():
    # an early-stopped gblinear model was sliced first: XGBoost's "Slice is not
    # supported by the current booster"; otherwise Treelite's ubjson parse error
    X, y = make_classification(600, 4, random_state=0)
    for stopping in (None, 2):
        model = FocalXGBClassifier(booster="gblinear", n_estimators=30,
                                   early_stopping_rounds=stopping).fit(X, y)
        with pytest.raises(NotImplementedError, match="^XGBoost 'gblinear' models are not "
                                                      "imported by Treelite"):
            ftl.to_treelite(model)


def test_a_missing_value_other_than_nan_is_refused():
    # Treelite takes NaN as missing, as ONNX does: XGBoost's missing=-999 and LightGBM's
    # zero_as_missing gave probabilities 0.94 and 0.61 off without a word
    lgb = pytest.importorskip("lightgbm")
    X, y = make_classification(300, 4, random_state=0)
    with pytest.raises(ValueError, match="missing=np.nan"):
        ftl.to_treelite(FocalXGBClassifier(n_estimators=3, missing=-999.0).fit(X, y))
    model = FocalLGBMClassifier(n_estimators=3, zero_as_missing=True).fit(X, y)
    with pytest.raises(ValueError, match="zero_as_missing=True, which Treelite"):
        ftl.to_treelite(model)
    with pytest.raises(ValueError, match="zero_as_missing"):
        ftl.to_treelite(lgb.Booster(model_str=model.booster_.model_to_string()))


@pytest.mark.parametrize("cls", [FocalXGBClassifier, FocalLGBMClassifier])
def test_sparse_rows_read_as_the_library_reads_them(cls):
    # absent entries are missing to XGBoost and Treelite, 0 to LightGBM: CSR for the one,
    # dense rows for the other (every sparse format); ours made an object array of it
    import scipy.sparse as sp
    import treelite

    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 5))
    X[rng.random(X.shape) < 0.5] = 0
    X[rng.random(X.shape) < 0.1] = np.nan
    y = (np.nan_to_num(X[:, 0]) + rng.logistic(size=400) > 0).astype(int)
    model = cls(n_estimators=10, n_jobs=1).fit(sp.csr_matrix(X), y)
    tl_model = ftl.to_treelite(model)
    for sparse in (sp.csr_matrix, sp.csc_matrix, sp.coo_matrix, sp.csr_array):
        rows = sparse(X)
        np.testing.assert_allclose(ftl.predict_proba(tl_model, rows, model),
                                   model.predict_proba(rows)[:, 1], atol=1e-5)
    loaded = treelite.Model.deserialize_bytes(tl_model.serialize_bytes())
    with pytest.raises(TypeError, match="how the model's library reads absent entries"):
        ftl.predict_margin(loaded, sp.csr_matrix(X))
    np.testing.assert_allclose(ftl.predict_margin(loaded, X), ftl.predict_margin(tl_model, X))


def test_dataframe_categories_are_the_codes_lightgbm_trained_on():
    # np.asarray read a category column by its values (5, 15, ...), where the model
    # splits on codes (0, 1, ...): 0.96 off; text categories raised float()'s error
    import pandas as pd

    rng = np.random.default_rng(4)
    n = 1500
    v = rng.integers(0, 8, n)
    y = (rng.normal(size=8)[v] * 2 + rng.normal(size=n) > 0).astype(int)
    ints = pd.Categorical(v * 10 + 5)
    text = pd.Categorical([f"s{k}" for k in v])
    nullable = pd.array(v, dtype="Int64")
    nullable[:5] = pd.NA
    for column in (ints, text, nullable):
        X = pd.DataFrame({"x": rng.normal(size=n), "c": column})
        clf = FocalLGBMClassifier(n_estimators=20, n_jobs=1).fit(X, y)
        model = ftl.to_treelite(clf)
        new = X.iloc[::-1].copy()  # other rows, and for categories another category set
        if isinstance(X["c"].dtype, pd.CategoricalDtype):
            new["c"] = new["c"].cat.remove_categories(X["c"].cat.categories[0])
        np.testing.assert_allclose(ftl.predict_proba(model, new, clf),
                                   clf.predict_proba(new)[:, 1], atol=1e-6)
    xgb_model = ftl.to_treelite(FocalXGBClassifier(n_estimators=3, n_jobs=1).fit(
        X.astype({"c": "float64"}), y))
    with pytest.raises(TypeError, match=r"category columns \['c'\], which an XGBoost model"):
        ftl.predict_margin(xgb_model, X.assign(c=pd.Categorical(v)))
    with pytest.raises(TypeError, match=r"neither numbers nor pandas categories: 'c' \("):
        ftl.predict_margin(model, X.assign(c=[f"s{k}" for k in v]))


@pytest.mark.parametrize("extra", [{}, {"early_stopping_rounds": 3},
                                   {"booster": "dart", "rate_drop": 0.2}])
def test_xgboost_model_of_pandas_categories_is_imported_and_scores_their_codes(extra):
    # the model's category encoder, which Treelite 4.8 cannot read, made its TreeliteError
    # unless early stopping had sliced the model (a slice leaves the encoder out): the
    # same model was refused or imported by whether early stopping cut a round
    pd = pytest.importorskip("pandas")
    rng = np.random.RandomState(0)
    X = pd.DataFrame({"a": rng.normal(size=600),
                      "c": pd.Categorical(rng.choice(list("abcd"), 600))})
    y = ((X.a + 1.5 * (X.c == "b") + rng.normal(scale=0.5, size=600)) > 0.5).astype(int)
    clf = FocalXGBClassifier(n_estimators=30, max_depth=3, **extra).fit(X, y)
    model = ftl.to_treelite(clf)
    codes = np.column_stack([X.a, X.c.cat.codes])
    np.testing.assert_allclose(ftl.predict_proba(model, codes, clf),
                               clf.predict_proba(X)[:, 1], atol=1e-6)
    with pytest.raises(TypeError, match=r"category columns \['c'\], which an XGBoost model "
                                        r"cannot code as trained; pass the rows as numbers"):
        ftl.predict_proba(model, X, clf)


@pytest.mark.parametrize("cls", [FocalXGBClassifier, FocalLGBMClassifier])
def test_dataframe_columns_in_another_order_are_refused(cls):
    # Treelite reads columns by position: X[["s", "q", "p"]] scored other features
    # (0.92 / 0.996 off in probability) where the estimators and XGBoost refuse it
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"p": rng.normal(size=400), "q": rng.normal(size=400),
                      "s": rng.normal(size=400)})
    y = ((X.p - X.s) > 0).astype(int).to_numpy()
    clf = cls(n_estimators=20).fit(X, y)
    model = ftl.to_treelite(clf)
    np.testing.assert_allclose(ftl.predict_proba(model, X, clf), clf.predict_proba(X)[:, 1],
                               atol=1e-6)
    with pytest.raises(ValueError, match="in another order"):
        ftl.predict_proba(model, X[["s", "q", "p"]], clf)
    with pytest.raises(ValueError, match="other than the model's"):
        ftl.predict_margin(model, X.rename(columns={"q": "r"}))
    ftl.predict_margin(model, X.to_numpy())  # an array: by position, as before


@pytest.mark.parametrize("cls", [FocalXGBClassifier, FocalLGBMClassifier])
def test_dataframe_columns_are_read_by_the_names_the_estimators_give_them(cls):
    # MultiIndex columns are named by their levels joined ("a x"), as XGBClassifier
    # names them: the estimators predict on the frame, Treelite refused it (comparing
    # "('a', 'x')") and its hint, X[names], was a KeyError
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(300, 3)),
                     columns=pd.MultiIndex.from_tuples([("a", "x"), ("a", "y"), ("b", "x")]))
    y = (X.iloc[:, 0] > 0).astype(int).to_numpy()
    clf = cls(n_estimators=10).fit(X, y)
    model = ftl.to_treelite(clf)
    np.testing.assert_allclose(ftl.predict_proba(model, X, clf), clf.predict_proba(X)[:, 1],
                               atol=1e-6)
    with pytest.raises(ValueError, match=r"in another order; the model was trained on "
                                         r"\['a x', 'a y', 'b x'\]"):
        ftl.predict_margin(model, X.iloc[:, ::-1])


def test_xgboost_default_names_point_to_reading_by_position():
    # a booster named f0, f1, ... (the estimators' names where XGBoost refuses the
    # columns'): its frame's columns can never be X[names]; by position they can
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(300, 3)), columns=["a[0]", "b", "c"])
    y = (X.iloc[:, 0] > 0).astype(int).to_numpy()
    with pytest.warns(UserWarning, match="refuses some of X's column names"):
        clf = FocalXGBClassifier(n_estimators=10).fit(X, y)
    model = ftl.to_treelite(clf.get_booster())
    with pytest.raises(ValueError, match=r"other than the model's; the model names its "
                                         r"features f0, f1, \.\.\. .*pass X\.to_numpy\(\)"):
        ftl.predict_margin(model, X)
    np.testing.assert_allclose(ftl.predict_proba(model, X.to_numpy(), clf),
                               clf.predict_proba(X)[:, 1], atol=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_lightgbm_values_in_its_zero_band_go_as_lightgbm_sends_them(dtype):
    # LightGBM reads |x| <= float32(1e-35) as 0 and writes a split between negative
    # values and 0 at -float32(1e-35); Treelite compared the value: float32(-1e-35)
    # went left where LightGBM sends it right (0.80 -> 0.27)
    X, y, rows = near_zero_rows(dtype)
    model = FocalLGBMClassifier(n_estimators=10, verbose=-1).fit(X, y)
    np.testing.assert_allclose(ftl.predict_proba(ftl.to_treelite(model), rows, model),
                               model.predict_proba(rows)[:, 1], rtol=0, atol=1e-6)


# ------------------------------------------- found unpinned by mutation testing
@pytest.mark.parametrize("name", ["FocalXGBClassifier", "FocalLGBMClassifier"])
def test_treelite_of_an_unfitted_estimator_says_so(name):
    """to_treelite of an unfitted estimator: ValueError "not fitted", no AttributeError."""
    import focal_boost
    with pytest.raises(ValueError, match="not fitted yet"):
        ftl.to_treelite(getattr(focal_boost, name)())


def test_treelite_of_a_lightgbm_booster_stops_at_its_best_iteration():
    """A LightGBM booster whose best_iteration is set exports up to that round."""
    import lightgbm as lgb

    from focal_boost import focal_loss
    from focal_boost import lightgbm as flgb

    X, y = make_classification(300, 5, random_state=0)
    booster = flgb.train({"num_leaves": 4, "verbose": -1}, lgb.Dataset(X, y),
                         focal_loss(2.0), 10)
    booster.best_iteration = 3
    want = booster.predict(X, raw_score=True)  # (up to best_iteration)
    assert np.abs(want - booster.predict(X, raw_score=True, num_iteration=-1)).max() > 1e-3
    np.testing.assert_allclose(ftl.predict_margin(ftl.to_treelite(booster), X), want,
                               rtol=0, atol=1e-10)


def test_treelite_refuses_more_category_columns_than_trained():
    """A frame with a category column LightGBM trained as numbers: the TypeError that
    says so, not a zip error."""
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"c": pd.Categorical(rng.choice(list("abc"), 200)),
                      "n": rng.integers(0, 3, 200).astype(float)})
    y = ((X["c"] == "a") ^ (X["n"] > 1)).astype(int)
    model = FocalLGBMClassifier(n_estimators=3, num_leaves=4, verbose=-1).fit(X, y)
    tl_model = ftl.to_treelite(model)
    ftl.predict_margin(tl_model, X)  # as trained: scores
    extra = X.assign(n=X["n"].astype("category"))
    with pytest.raises(TypeError, match="category columns"):
        ftl.predict_margin(tl_model, extra)


# ---------------------------------------------------------------------------
# Behaviour found unpinned by mutation testing of treelite.py (each test fails on the
# changed code it was written against)
import xgboost as xgb  # noqa: E402

from focal_boost import FocalLoss  # noqa: E402
from focal_boost import xgboost as fxgb  # noqa: E402


def _category_frame(n=400, seed=0):
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"a": rng.normal(size=n),
                          "c": pd.Categorical(rng.choice(list("abcd"), n)),
                          "d": pd.Categorical(rng.choice(list("xyz"), n))})
    y = ((frame.a > 0) ^ (frame.c == "b") ^ (frame.d == "y")).astype(int).to_numpy()
    return frame, y


@pytest.mark.parametrize("booster_name", ["gbtree", "dart"])
def test_treelite_native_xgboost_booster_of_pandas_categories_without_a_best_round(
        booster_name):
    """A booster keeps XGBoost's category encoder, which Treelite cannot read: it is
    left out of what Treelite reads (XGBoost 3.2 wrote a DART model's trees one level
    deeper, where it was missed), and the model scores the categories' codes."""
    frame, y = _category_frame()
    with warnings.catch_warnings():  # XGBoost 3.4: booster="dart" is deprecated
        warnings.simplefilter("ignore", UserWarning)
        booster = fxgb.train({"max_depth": 3, "booster": booster_name},
                             xgb.DMatrix(frame, y, enable_categorical=True), FocalLoss(2.0), 5)
    model = ftl.to_treelite(booster)
    codes = np.column_stack([frame.a, frame.c.cat.codes, frame.d.cat.codes])
    np.testing.assert_allclose(ftl.predict_margin(model, codes),
                               fxgb.predict_margin(booster, frame), rtol=0, atol=1e-6)


def test_treelite_native_xgboost_booster_refuses_columns_in_another_order():
    """A native booster keeps its feature names: another column order is refused."""
    frame, y = _category_frame()
    frame = frame.assign(c=frame.c.cat.codes.astype(float), d=frame.d.cat.codes.astype(float))
    booster = fxgb.train({"max_depth": 3}, xgb.DMatrix(frame, y), FocalLoss(2.0), 3)
    model = ftl.to_treelite(booster)
    np.testing.assert_allclose(ftl.predict_margin(model, frame),
                               fxgb.predict_margin(booster, frame), rtol=0, atol=1e-6)
    with pytest.raises(ValueError, match="in another order"):
        ftl.predict_margin(model, frame[["d", "c", "a"]])


def test_treelite_refuses_fewer_category_columns_than_trained():
    """Two category columns in training, one given: the TypeError that says so."""
    frame, y = _category_frame()
    clf = FocalLGBMClassifier(n_estimators=3, num_leaves=4, verbose=-1).fit(frame, y)
    model = ftl.to_treelite(clf)
    np.testing.assert_allclose(ftl.predict_proba(model, frame, clf),
                               clf.predict_proba(frame)[:, 1], rtol=0, atol=1e-6)
    fewer = frame.assign(d=frame.d.cat.codes.astype(float))
    with pytest.raises(TypeError, match=r"category columns \['c'\], which the model "
                                        r"\(2 category columns in training\)"):
        ftl.predict_margin(model, fewer)


# --------- found unpinned by mutation testing (reading a frame's columns by name)
def _treelite_model(columns):
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(300, len(columns))), columns=columns)
    y = (X.iloc[:, 0] > 0).astype(int).to_numpy()
    clf = FocalXGBClassifier(n_estimators=5).fit(X, y)
    return ftl, ftl.to_treelite(clf), clf, X


def test_treelite_reads_a_flattened_multiindex_by_the_joined_names():
    pd = pytest.importorskip("pandas")
    columns = pd.MultiIndex.from_tuples([("a", "x"), ("a", "y"), ("b", "x")])
    ftl, model, clf, X = _treelite_model(columns)
    flat = X.set_axis(X.columns.to_flat_index(), axis=1)
    np.testing.assert_allclose(ftl.predict_proba(model, flat, clf),
                               clf.predict_proba(X)[:, 1], atol=1e-6)


def test_treelite_names_a_repeated_column_other_than_the_models():
    ftl, model, clf, X = _treelite_model(["a", "b"])
    with pytest.raises(ValueError, match=r"^X's columns are other than the model's; the "
                                         r"model was trained on \['a', 'b'\]"):
        ftl.predict_margin(model, X[["a", "b", "b"]])


def test_treelite_a_first_column_named_f0_is_no_default_name():
    ftl, model, clf, X = _treelite_model(["f0", "b"])
    with pytest.raises(ValueError, match=r"in another order; the model was trained on "
                                         r"\['f0', 'b'\]: pass X\[names\]"):
        ftl.predict_margin(model, X[["b", "f0"]])


def _vector_leaves_with_dropout(rate_drop: float):
    """3-class rows, and a FocalXGBClassifier of vector leaves trained with dropout
    (XGBoost 3.4; 3.2 ignores rate_drop there)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 5))
    y = np.digitize(X[:, 0] + rng.normal(size=400), [-0.5, 0.8])
    with warnings.catch_warnings():  # (XGBoost 3.2: rate_drop "not used")
        warnings.simplefilter("ignore", UserWarning)
        clf = FocalXGBClassifier(n_estimators=6, rate_drop=rate_drop, skip_drop=0.0,
                                 multi_strategy="multi_output_tree").fit(X, y)
    return X, clf


def test_xgboost_vector_leaves_with_dropout_weights_are_refused():
    """XGBoost 3.4 trains dropout (rate_drop) with vector leaves; Treelite reads those
    trees' dropout weights wrong (margins 0.2 off): refused. XGBoost 3.2 ignores rate_drop
    there, and the model is imported as it is."""
    X, clf = _vector_leaves_with_dropout(rate_drop=0.3)
    trees = json.loads(clf.get_booster().save_raw("json"))["learner"]["gradient_booster"]
    if any(w != 1.0 for w in trees["model"].get("weight_drop", ())):
        with pytest.raises(NotImplementedError, match=r"^XGBoost models with vector leaves "
                                                      r"\(multi_strategy="):
            ftl.to_treelite(clf)
    else:
        model = ftl.to_treelite(clf)
        np.testing.assert_allclose(ftl.predict_proba(model, X, clf), clf.predict_proba(X),
                                   rtol=0, atol=1e-6)


def test_treelite_refuses_a_slice_whose_only_tree_carries_a_dropout_weight():
    # a slice to the first round keeps tree 0's dropout weight (0.93 here, from later
    # rounds' drops); read from the weights' first entry on, not from the second
    X, clf = _vector_leaves_with_dropout(rate_drop=0.5)
    booster = clf.get_booster()
    first = booster[:1]
    weights = json.loads(first.save_raw("json"))["learner"]["gradient_booster"]["model"].get(
        "weight_drop", [])
    booster.set_attr(best_iteration="0")
    if any(w != 1.0 for w in weights):  # (XGBoost 3.4)
        with pytest.raises(NotImplementedError, match=r"^XGBoost models with vector leaves "
                                                      r"\(multi_strategy="):
            ftl.to_treelite(booster)
    else:  # (XGBoost 3.2 ignores rate_drop here: the first tree as it is)
        model = ftl.to_treelite(booster)
        np.testing.assert_allclose(
            ftl.predict_margin(model, X),
            first.predict(xgb.DMatrix(X), output_margin=True), rtol=0, atol=1e-5)
