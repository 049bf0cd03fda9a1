"""The native adapters (``focal_boost.xgboost.train``, ``focal_boost.lightgbm.train``) take
what ``xgb.train`` and ``lgb.train`` take, side by side with them: parameters in the forms
the libraries accept, Datasets whose rows are not in memory (subsets, files), the rounds
and the start as the libraries read them from ``params``; and where the input cannot train
a focal model, an error that names it."""

from __future__ import annotations

import re
import warnings
from decimal import Decimal

import numpy as np
import pytest

xgb = pytest.importorskip("xgboost")
lgb = pytest.importorskip("lightgbm")

from sklearn.datasets import make_classification  # noqa: E402

from focal_boost import focal_loss  # noqa: E402
from focal_boost import lightgbm as flgb  # noqa: E402
from focal_boost import xgboost as fxgb  # noqa: E402

LOSS = focal_loss(2.0)
QUIET = {"verbose": -1}


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, 5))
    y = (X[:, 0] + rng.normal(size=600) > 1).astype(np.float64)
    y3 = np.digitize(X[:, 1], [-0.5, 0.5]).astype(np.float64)
    return X, y, y3


# ------------------------------------------------------------------- LightGBM
def test_lightgbm_rounds_in_params_win_as_in_lgb_train(data):
    X, y, _ = data
    plain = lgb.train({**QUIET, "objective": LOSS, "num_iterations": 7}, lgb.Dataset(X, y), 3)
    ours = flgb.train({**QUIET, "num_iterations": 7}, lgb.Dataset(X, y), LOSS, 3)
    assert plain.num_trees() == ours.num_trees() == 7
    # the random forest is the mean of that many trees: each adds 1/rounds of a step
    rf = {**QUIET, "boosting": "rf", "bagging_freq": 1, "bagging_fraction": 0.5, "seed": 1}
    c = LOSS.init_score(y)
    by_argument = flgb.train(rf, lgb.Dataset(X, y), LOSS, 20)
    by_params = flgb.train({**rf, "n_iter": 20}, lgb.Dataset(X, y), LOSS, 10)
    assert by_params.num_trees() == 20
    np.testing.assert_allclose(by_params.predict(X) - c, by_argument.predict(X) - c,
                               rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match=r"params\['num_iterations'\]"):
        flgb.train({**QUIET, "num_iterations": 0}, lgb.Dataset(X, y), LOSS, 3)

    # LightGBM's own forest takes GOSS, which the emulated forest (gbdt rounds of
    # learning rate 1/rounds) would never apply: refused by name, where the message
    # said bagging was needed "as in LightGBM"
    goss = {**QUIET, "boosting": "rf", "data_sample_strategy": "goss"}
    lgb.train({**goss, "objective": "binary"}, lgb.Dataset(X, y), 5)
    for strategy in (rf, {}):
        with pytest.raises(ValueError, match="takes no data_sample_strategy='goss' .*use "
                                             "data_sample_strategy='bagging'"):
            flgb.train({**strategy, **goss}, lgb.Dataset(X, y), LOSS, 5)


def test_lightgbm_categorical_feature_in_params_yields_to_the_datasets_own():
    # lgb.train builds the Dataset after merging params: the Dataset's own categorical
    # columns (given, or a DataFrame's category columns) win, with LightGBM's warning.
    # Ours builds it first, and lgb.train's params given again to the built Dataset
    # raised "Cannot change categorical_feature after constructed Dataset handle".
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.normal(size=500), rng.integers(0, 8, 500),
                         rng.integers(0, 3, 500)])
    y = ((X[:, 1] % 3 == 0) ^ (X[:, 0] > 1)).astype(np.float64)
    frame = pd.DataFrame({"a": X[:, 0], "b": X[:, 1],
                          "c": pd.Categorical(X[:, 2].astype(int))})
    for data, own in ((X, {"categorical_feature": [2]}), (frame, {})):
        given = {**QUIET, "categorical_feature": "1"}
        with pytest.warns(UserWarning, match="categorical_feature in param dict is overridden"):
            lgb.train({**given, "objective": "binary"}, lgb.Dataset(data, y, **own), 5)
        with pytest.warns(UserWarning, match="categorical_feature in param dict is overridden"):
            ours = flgb.train(given, lgb.Dataset(data, y, **own), LOSS, 5)
        alone = flgb.train(QUIET, lgb.Dataset(data, y, **own), LOSS, 5)
        assert ours.model_to_string().count("num_cat=1") > 0  # split on the category
        np.testing.assert_array_equal(ours.predict(data), alone.predict(data))
        # a Dataset the user built: lgb.train refuses the conflict, and so does ours
        # (the parameter was left out, silently)
        for plain in (True, False):
            built = lgb.Dataset(data, y, params=QUIET, **own).construct()
            with pytest.raises(lgb.basic.LightGBMError, match="Cannot change categorical"):
                if plain:
                    lgb.train({**given, "objective": "binary"}, built, 5)
                else:
                    flgb.train(given, built, LOSS, 5)


def test_lightgbm_boost_from_average_false_starts_at_zero(data):
    X, y, _ = data
    ours = flgb.train({**QUIET, "boost_from_average": False}, lgb.Dataset(X, y), LOSS, 2)
    plain = lgb.train({**QUIET, "objective": LOSS, "boost_from_average": False},
                      lgb.Dataset(X, y), 2)
    np.testing.assert_array_equal(ours.predict(X), plain.predict(X))
    # the model's parameters say it, as the plain model's do (they said 1, the default)
    assert "[boost_from_average: 0]" in ours.model_to_string()
    auto = flgb.train({**QUIET, "boost_from_average": True}, lgb.Dataset(X, y), LOSS, 2)
    default = flgb.train(QUIET, lgb.Dataset(X, y), LOSS, 2)
    np.testing.assert_array_equal(auto.predict(X), default.predict(X))
    assert abs(auto.predict(X).mean() - ours.predict(X).mean()) > 0.3  # the intercept


def test_lightgbm_subsets_train_and_validate(data):
    # Dataset.subset, the usual pattern of hand-made folds: its labels are read once it
    # is built, with the run's parameters, as lgb.train builds it
    X, y, _ = data
    full = lgb.Dataset(X, y, free_raw_data=False).construct()
    rows = np.arange(400)
    ours = flgb.train(QUIET, full.subset(rows), LOSS, 3)
    c = LOSS.init_score(y[rows])
    started = full.subset(rows).construct()
    started.set_init_score(np.full(len(rows), c))
    plain = lgb.train({**QUIET, "objective": LOSS}, started, 3)
    np.testing.assert_allclose(ours.predict(X), plain.predict(X) + c, rtol=0, atol=1e-12)
    result: dict = {}
    booster = flgb.train(QUIET, full, LOSS, 3, valid_sets=[full.subset(np.arange(50))],
                         callbacks=[lgb.record_evaluation(result)])
    expected = LOSS.loss(y[:50], booster.predict(X[:50])).mean()
    assert result["valid_0"]["focal_loss"][-1] == pytest.approx(expected, rel=1e-6)


def test_lightgbm_datasets_read_from_a_file(data, tmp_path):
    X, y, _ = data
    path = tmp_path / "train.csv"
    np.savetxt(path, np.column_stack([y, X]), delimiter=",")
    from_file = flgb.train(QUIET, lgb.Dataset(str(path), params={"header": False}), LOSS, 3)
    in_memory = flgb.train(QUIET, lgb.Dataset(X, y), LOSS, 3)
    np.testing.assert_allclose(from_file.predict(X), in_memory.predict(X), rtol=0, atol=1e-12)
    result: dict = {}
    booster = flgb.train(QUIET, lgb.Dataset(X, y), LOSS, 3, init_score=-1.0,
                         valid_sets=[lgb.Dataset(str(path), params={"header": False})],
                         callbacks=[lgb.record_evaluation(result)])
    expected = LOSS.loss(y, booster.predict(X)).mean()
    assert result["valid_0"]["focal_loss"][-1] == pytest.approx(expected, rel=1e-6)


def test_lightgbm_weights_held_by_lightgbm_set_the_start(data, tmp_path):
    # a file's .weight file, a binary Dataset or a subset has its weights in LightGBM
    # only: the focal-optimal start is the weighted one, as for the same rows in memory
    # (it was the unweighted one: 0.8 off in margin)
    X, y, _ = data
    w = np.where(y == 1, 10.0, 1.0)
    weighted = LOSS.init_score(y, w)
    assert abs(weighted - LOSS.init_score(y)) > 0.5
    in_memory = flgb.train(QUIET, lgb.Dataset(X, y, weight=w), LOSS, 3)
    csv = tmp_path / "train.csv"
    np.savetxt(csv, np.column_stack([y, X]), delimiter=",")
    np.savetxt(str(csv) + ".weight", w)
    binary = str(tmp_path / "train.bin")
    lgb.Dataset(X, y, weight=w).save_binary(binary)
    subset = lgb.Dataset(X, y, weight=w, free_raw_data=False).construct().subset(
        np.arange(len(y)))
    for train_set in (lgb.Dataset(str(csv), params={"header": False}),
                      lgb.Dataset(binary), subset):
        assert flgb.prepare(QUIET, LOSS, 3, train_set=train_set).intercept == pytest.approx(
            [weighted], rel=1e-6)
        booster = flgb.train(QUIET, train_set, LOSS, 3)
        np.testing.assert_allclose(booster.predict(X), in_memory.predict(X), atol=1e-6)


def test_lightgbm_keep_training_booster_with_linear_trees(data):
    # the intercept reaches linear leaves through the model text, which leaves a booster
    # that cannot train on (AttributeError at update): refused, naming what works
    X, y, _ = data
    linear = {**QUIET, "linear_tree": True}
    with pytest.raises(ValueError, match="keep_training_booster=True with linear_tree.*"
                       "init_score=None"):
        flgb.train(linear, lgb.Dataset(X, y), LOSS, 3, keep_training_booster=True)
    kept = flgb.train(linear, lgb.Dataset(X, y), LOSS, 3, init_score=None,
                      keep_training_booster=True)
    kept.update(fobj=flgb.objective(LOSS))
    assert kept.current_iteration() == 4
    plain = flgb.train(QUIET, lgb.Dataset(X, y), LOSS, 3, keep_training_booster=True)
    plain.update(fobj=flgb.objective(LOSS))  # without linear trees the intercept is set in place
    assert plain.current_iteration() == 4


def test_lightgbm_num_class_as_a_string(data):
    X, _, y3 = data
    ours = flgb.train({**QUIET, "num_class": "3"}, lgb.Dataset(X, y3), LOSS, 3)
    same = flgb.train({**QUIET, "num_class": 3}, lgb.Dataset(X, y3), LOSS, 3)
    np.testing.assert_array_equal(ours.predict(X), same.predict(X))
    with pytest.raises(ValueError, match=r"params\['num_class'\]"):
        flgb.train({**QUIET, "num_class": "three"}, lgb.Dataset(X, y3), LOSS, 3)


def test_numbers_as_text_are_read_as_the_libraries_read_them(data):
    # min_data_in_leaf="5" failed comparing text with a number (continuing a model, every
    # Dask fit, random-forest fractions); a default given as text ("1.0") was refused as
    # "has no effect"; lgb.train and xgb.train take both
    X, y, _ = data
    text = {**QUIET, "min_data_in_leaf": "5"}
    first = flgb.train(text, lgb.Dataset(X, y), LOSS, 3)
    continued = flgb.train(text, lgb.Dataset(X, y), LOSS, 3, init_model=first)
    numbers = flgb.train({**QUIET, "min_data_in_leaf": 5}, lgb.Dataset(X, y), LOSS, 6)
    np.testing.assert_allclose(continued.predict(X, raw_score=True),
                               numbers.predict(X, raw_score=True), rtol=1e-12)
    forest = {**QUIET, "boosting": "rf", "bagging_freq": "1", "bagging_fraction": "0.5"}
    assert flgb.train(forest, lgb.Dataset(X, y), LOSS, 3).num_trees() == 3
    flgb.train({**QUIET, "scale_pos_weight": "1.0", "sigmoid": "1"}, lgb.Dataset(X, y), LOSS, 2)
    fxgb.train({"scale_pos_weight": "1"}, xgb.DMatrix(X, y), LOSS, 2)
    with pytest.raises(ValueError, match="^scale_pos_weight='2' has no effect"):
        fxgb.train({"scale_pos_weight": "2"}, xgb.DMatrix(X, y), LOSS, 2)
    with pytest.raises(ValueError, match="^bagging_fraction='half' must be a number$"):
        flgb.train({**forest, "bagging_fraction": "half"}, lgb.Dataset(X, y), LOSS, 3)


def test_lightgbm_label_matrix_is_refused_naming_multilabel(data):
    X, y, _ = data
    with pytest.raises(ValueError, match="one label per row.*multi-label"):
        flgb.train(QUIET, lgb.Dataset(X, np.column_stack([y, y, y])), LOSS, 2)


# -------------------------------------------------------------------- XGBoost
def test_xgboost_params_in_every_form_xgb_train_takes(data):
    X, y, _ = data
    dtrain = xgb.DMatrix(X, label=y)
    reference = fxgb.train({}, dtrain, LOSS, 3, verbose_eval=False)
    for params in (None, [], {"num_class": 1}, {"num_class": "1"}):
        booster = fxgb.train(params, dtrain, LOSS, 3, verbose_eval=False)
        np.testing.assert_array_equal(fxgb.predict_margin(booster, X),
                                      fxgb.predict_margin(reference, X))
    # a list of pairs: a repeated eval_metric adds a metric, as in xgb.train
    pairs = [("max_depth", 3), ("eval_metric", "auc"), ("eval_metric", "aucpr")]
    ours: dict = {}
    fxgb.train(pairs, dtrain, LOSS, 2, evals=[(dtrain, "t")], evals_result=ours,
               verbose_eval=False)
    plain: dict = {}
    xgb.train(pairs, dtrain, 2, evals=[(dtrain, "t")], evals_result=plain, verbose_eval=False)
    assert set(plain["t"]) == {"auc", "aucpr"}
    assert set(ours["t"]) == {"auc", "aucpr", "focal_loss"}
    with pytest.raises(TypeError, match="params must be"):
        fxgb.train("max_depth=3", dtrain, LOSS, 2)


def test_xgboost_evaluation_log_by_default_as_in_xgb_train(data, capsys):
    X, y, _ = data
    dtrain = xgb.DMatrix(X, label=y)
    xgb.train({"objective": "binary:logistic"}, dtrain, 2, evals=[(dtrain, "t")])
    plain = capsys.readouterr().out
    fxgb.train({}, dtrain, LOSS, 2, evals=[(dtrain, "t")])
    ours = capsys.readouterr().out
    assert plain.count("t-logloss") == 2 and ours.count("t-focal_loss") == 2


def test_xgboost_dmatrix_without_labels_is_named(data):
    X, y, _ = data
    survival = xgb.DMatrix(X)
    survival.set_float_info("label_lower_bound", y)
    for dtrain in (xgb.DMatrix(X), survival):
        with pytest.raises(ValueError, match="dtrain has no labels"):
            fxgb.train({}, dtrain, LOSS, 2)


def test_xgboost_evaluation_sets_as_xgb_train_takes_them(data):
    # evals=None is xgb.train's default; a set without labels is refused by name (its
    # focal loss was NaN every round, and early stopping followed it; XGBoost's own
    # metrics refuse it too)
    X, y, _ = data
    dtrain = xgb.DMatrix(X, label=y)
    none = fxgb.train({}, dtrain, LOSS, 2, evals=None)
    np.testing.assert_array_equal(none.predict(dtrain),
                                  fxgb.train({}, dtrain, LOSS, 2).predict(dtrain))
    with pytest.raises(xgb.core.XGBoostError, match="label"):
        xgb.train({"objective": "binary:logistic"}, dtrain, 2, evals=[(xgb.DMatrix(X), "v")],
                  verbose_eval=False)
    with pytest.raises(ValueError, match=r"evals\[1\] \('v'\) has no labels"):
        fxgb.train({}, dtrain, LOSS, 2, evals=[(dtrain, "t"), (xgb.DMatrix(X), "v")])
    empty = fxgb.train({}, dtrain, LOSS, 2, evals=[(xgb.DMatrix(X[:0]), "empty")])
    assert empty.num_boosted_rounds() == 2  # a set without rows needs no labels


def test_xgboost_class_past_num_class_names_num_class(data):
    X, _, y3 = data
    for params, said in (({}, " has no num_class"), ({"num_class": 2}, r"\['num_class'\] is 2")):
        with pytest.raises(ValueError, match=f"labels up to 2 but params{said}.*set num_class"):
            fxgb.train(params, xgb.DMatrix(X, label=y3), LOSS, 2)
        with pytest.raises(ValueError, match=f"labels up to 2 but params{said}.*set num_class"):
            flgb.train({**QUIET, **params}, lgb.Dataset(X, y3), LOSS, 2)  # the same check
    assert fxgb.train({"num_class": 3}, xgb.DMatrix(X, label=y3), LOSS, 2).num_boosted_rounds() == 2
    # labels 1..k with num_class=k (or 1/2 for a binary model): the labels are what to
    # change, and the message says so (it said to set num_class, which was set)
    with pytest.raises(ValueError, match=r"class indices 0..num_class-1; labels 1..3 count "
                                         "from 1: subtract 1"):
        fxgb.train({"num_class": 3}, xgb.DMatrix(X, label=y3 + 1), LOSS, 2)
    with pytest.raises(ValueError, match="labels 1..2 count from 1: subtract 1"):
        flgb.train(QUIET, lgb.Dataset(X, (y3 > 0) + 1.0), LOSS, 2)


def test_a_start_from_labels_without_weight_names_init_score(data):
    # no rows, or every weight 0: "y_true/sample_weight have zero total weight", which
    # train does not take; the plain libraries train from their own start there
    X, y, _ = data
    for run in (lambda score: fxgb.train({}, xgb.DMatrix(X[:0], label=y[:0]), LOSS, 2,
                                         init_score=score),
                lambda score: flgb.train(QUIET, lgb.Dataset(X, y, weight=np.zeros(len(y))),
                                         LOSS, 2, init_score=score)):
        with pytest.raises(ValueError, match=r"init_score='auto' .* whose total weight is 0"
                                             r".*pass init_score=None"):
            run("auto")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the model has no split
            booster = run(None)
        # (LightGBM stops after a round without a split, as lgb.train does)
        assert booster.num_boosted_rounds() == 2 if isinstance(booster, xgb.Booster) else (
            booster.current_iteration() >= 1)


def test_xgboost_num_target_with_class_labels_is_refused(data):
    # XGBoost grew 3 outputs and the loss read binary labels as a 3-class softmax
    # (XGBClassifier and xgb.train refuse num_target=3 with one base_score)
    X, y, _ = data
    with pytest.raises(ValueError, match="num_target=3 but the training label is "
                                         "one column of classes"):
        fxgb.train({"num_target": 3}, xgb.DMatrix(X, label=y), LOSS, 2)
    with pytest.raises(ValueError, match="num_target=3 but .* has 2 columns"):
        fxgb.train({"num_target": 3}, xgb.DMatrix(X, label=np.c_[y, 1 - y]), LOSS, 2)
    both = fxgb.train({"num_target": 2}, xgb.DMatrix(X, label=np.c_[y, 1 - y]), LOSS, 2)
    assert fxgb.predict_proba(both, X).shape == (len(X), 2)


def test_xgboost_num_target_1_with_class_labels_is_the_default(data):
    # num_target=1 is XGBoost's default (xgb.train and XGBClassifier take it with class
    # labels): the same model as without it, binary and multiclass
    X, y, y3 = data
    for params, label in (({}, y), ({"num_class": 3}, y3)):
        plain = fxgb.train(params, xgb.DMatrix(X, label=label), LOSS, 2)
        one = fxgb.train({**params, "num_target": 1}, xgb.DMatrix(X, label=label), LOSS, 2)
        np.testing.assert_array_equal(fxgb.predict_margin(one, X),
                                      fxgb.predict_margin(plain, X))


def test_xgboost_base_margin_takes_init_score_none_as_auto(data):
    # a base_margin replaces the intercept: init_score None (no intercept) is the same
    # run as "auto"; a value is refused
    X, y, _ = data
    margin = np.linspace(-1, 1, len(y))
    runs = [fxgb.train({}, xgb.DMatrix(X, label=y, base_margin=margin), LOSS, 2,
                       init_score=score) for score in ("auto", None)]
    np.testing.assert_array_equal(*(fxgb.predict_margin(b, X) for b in runs))
    with pytest.raises(ValueError,
                       match=r"pass init_score='auto' or None \(got init_score=0.5\)"):
        fxgb.train({}, xgb.DMatrix(X, label=y, base_margin=margin), LOSS, 2, init_score=0.5)


# ----------------------------------------------------------- loss arguments
@pytest.mark.parametrize("alpha", [np.array(0.25), Decimal("0.25"), np.float32(0.25)])
def test_alpha_as_any_scalar(alpha):
    assert focal_loss(2.0, alpha).alpha == 0.25


def test_argument_errors_show_the_value_given():
    with pytest.raises(ValueError, match=r"got 50\.0000001"):
        focal_loss(50.0000001)
    with pytest.raises(ValueError, match=r"alpha as a float must lie in \(0, 1\), got 1\.5"):
        focal_loss(2.0, np.array(1.5))


@pytest.mark.parametrize("library", ["xgboost", "lightgbm"])
def test_native_metrics_that_would_read_raw_margins_are_refused(library, data):
    # under a custom objective the libraries apply no link before their metrics: logloss
    # came out -0.68 (XGBoost) and binary_logloss 1.42 against a true 0.27 (LightGBM,
    # whose early stopping then followed it); rankings stay right and are taken
    X, y, _ = data
    if library == "xgboost":
        dtrain = xgb.DMatrix(X, label=y)
        for bad in ("logloss", ["auc", "error@0.3"]):
            with pytest.raises(ValueError, match=r"eval_metric.*raw margins.*'auc' and"):
                fxgb.train({"eval_metric": bad}, dtrain, LOSS, 2)
        # multiclass: XGBoost ranks by the softmax of the margins, not the posterior
        three = xgb.DMatrix(X, label=np.arange(len(X)) % 3)
        with pytest.raises(ValueError, match=r"'auc' and 'aucpr' of a binary "
                                             r"(or multi-label )?model"):
            fxgb.train({"eval_metric": "auc", "num_class": 3}, three, LOSS, 2)
        result: dict = {}
        fxgb.train({"eval_metric": ["auc", "aucpr"]}, dtrain, LOSS, 2,
                   evals=[(dtrain, "t")], evals_result=result, verbose_eval=False)
        assert set(result["t"]) == {"auc", "aucpr", "focal_loss"}
        return
    for bad in ({"metric": "binary_logloss"}, {"metric": "auc,binary_error"},
                {"metrics": ["multi_logloss"]}):
        with pytest.raises(ValueError, match=r"metric.*raw scores.*'auc'"):
            flgb.train({"verbose": -1, **bad}, lgb.Dataset(X, y), LOSS, 2)
    result = {}
    flgb.train({"verbose": -1, "metric": ["auc", "average_precision"]},
               lgb.Dataset(X, y), LOSS, 2, valid_sets=[lgb.Dataset(X, y)],
               callbacks=[lgb.record_evaluation(result)])
    assert set(result["valid_0"]) == {"auc", "average_precision", "focal_loss"}


def test_lightgbm_column_vector_weights_as_lgb_train_takes_them(data):
    # lgb.train flattens weights of shape (n, 1); ours refused them, naming
    # "sample_weight", which lgb.train does not take
    X, y, _ = data
    w = np.random.default_rng(0).integers(1, 4, size=(len(y), 1)).astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (LightGBM's "Converting column-vector" warning)
        column = flgb.train({"verbose": -1}, lgb.Dataset(X, y, weight=w), LOSS, 5)
    flat = flgb.train({"verbose": -1}, lgb.Dataset(X, y, weight=w.ravel()), LOSS, 5)
    np.testing.assert_array_equal(flgb.predict_margin(column, X), flgb.predict_margin(flat, X))


def test_native_labels_that_are_not_class_indices_are_named():
    # a category / text Series: numpy's and pandas' internals ("Categorical is not ordered
    # for operation max", "ufunc 'isfinite' not supported"); -1/1: "y_true must hold class
    # indices", an argument the caller never passed
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = (X[:, 0] > 0).astype(int)
    for label, dtype in ((pd.Series(y).astype("category"), "category"),
                         (pd.Series(y.astype(str), dtype="string"), "string")):
        with pytest.raises(ValueError, match=f"train_set has labels of dtype {dtype}: give "
                                             "the class indices 0..num_class-1 as numbers"):
            flgb.train({"verbose": -1}, lgb.Dataset(X, label), LOSS, 2)
    # numbers held as objects are numbers, as lgb.Dataset reads them (they were refused
    # as "labels of dtype object"); text held as objects is not
    for labels in (y.astype(object), y.astype(float).astype(object)):
        plain = lgb.train({"verbose": -1, "objective": "binary"}, lgb.Dataset(X, labels), 2)
        ours = flgb.train({"verbose": -1}, lgb.Dataset(X, labels), focal_loss(0.0), 2)
        np.testing.assert_allclose(ours.predict(X), plain.predict(X, raw_score=True),
                                   atol=1e-12)
    with pytest.raises(ValueError, match="train_set has labels of dtype object: give"):
        flgb.train({"verbose": -1}, lgb.Dataset(X, np.where(y, "yes", "no").astype(object)),
                   LOSS, 2)
    with pytest.raises(ValueError, match=r"train_set has 1 NaN label \(rows 3\)"):
        flgb.train({"verbose": -1}, lgb.Dataset(X, np.where(np.arange(200) == 3, None, y)),
                   LOSS, 2)
    # an infinite label (lgb.train trains it as 1e38) said "y_true contains NaN or
    # infinite values" in train_set and "y_true must hold class indices" in a valid set
    infinite = np.where(np.arange(200) == 5, -np.inf, y)
    with pytest.raises(ValueError, match=r"train_set has 1 infinite label \(rows 5;"):
        flgb.train({"verbose": -1}, lgb.Dataset(X, infinite), LOSS, 2)
    with pytest.raises(ValueError, match=r"valid_sets\[0\] \('valid_0'\) has 1 infinite "
                                         r"label \(rows 5;"):
        flgb.train({"verbose": -1}, lgb.Dataset(X, y), LOSS, 2,
                   valid_sets=[lgb.Dataset(X, np.where(np.arange(200) == 5, np.inf, y))])
    with warnings.catch_warnings():  # (and 1e39, infinite as float32, without numpy's
        warnings.simplefilter("error")  # overflow warning)
        with pytest.raises(ValueError, match=r"train_set has 1 infinite label \(rows 5; as "
                                             r"float32"):
            flgb.train({"verbose": -1}, lgb.Dataset(X, np.where(np.arange(200) == 5, 1e39, y)),
                       LOSS, 2)
    signed = np.where(y, 1, -1)
    with pytest.raises(ValueError, match="train_set has labels from -1: labels are class "):
        flgb.train({"verbose": -1}, lgb.Dataset(X, signed), LOSS, 2)
    with pytest.raises(ValueError, match="dtrain has labels from -1: labels are class "):
        fxgb.train({}, xgb.DMatrix(X, label=signed), LOSS, 2)


@pytest.mark.parametrize("text", ["false", "FALSE", "-"])
def test_lightgbm_boolean_parameters_given_as_text_read_as_lightgbm_reads_them(data, text):
    # LightGBM reads "false" / "-" as False; ours read the text by its truth:
    # boost_from_average="false" kept the focal start (0.46 in margin off False),
    # linear_tree="false" was refused beside keep_training_booster, is_unbalance="false"
    # as an effect the custom objective ignores
    X, y, _ = data
    as_text = flgb.train({"verbose": -1, "boost_from_average": text}, lgb.Dataset(X, y), LOSS, 3)
    as_bool = flgb.train({"verbose": -1, "boost_from_average": False}, lgb.Dataset(X, y), LOSS, 3)
    np.testing.assert_array_equal(flgb.predict_margin(as_text, X), flgb.predict_margin(as_bool, X))
    flgb.train({"verbose": -1, "linear_tree": text}, lgb.Dataset(X, y), LOSS, 2,
               keep_training_booster=True)
    flgb.train({"verbose": -1, "is_unbalance": text}, lgb.Dataset(X, y), LOSS, 2)
    with pytest.raises(ValueError, match="is_unbalance='true' has no effect"):
        flgb.train({"verbose": -1, "is_unbalance": "true"}, lgb.Dataset(X, y), LOSS, 2)



@pytest.mark.parametrize("value", ["no", "yes", 0, "0"])
def test_lightgbm_boolean_values_lightgbm_refuses_are_refused(data, value):
    # boost_from_average is taken out of the parameters LightGBM sees: "no" was read as
    # True (the focal start kept, the opposite of what it says), where lgb.train refuses
    X, y, _ = data
    with pytest.raises(lgb.basic.LightGBMError, match="boost_from_average"):
        lgb.train({"objective": "binary", "verbose": -1, "boost_from_average": value},
                  lgb.Dataset(X, y), 2)
    with pytest.raises(ValueError, match=f"^boost_from_average={value!r}: LightGBM takes "
                                         "true or false"):
        flgb.train({"verbose": -1, "boost_from_average": value}, lgb.Dataset(X, y), LOSS, 2)


def test_lightgbm_boolean_text_after_a_space_is_refused(data):
    # LightGBM splits its parameter text at spaces: " false" is no value and the default
    # (True) applies, where ours read False: 0.24 off LGBMClassifier in mean probability
    X, y, _ = data
    plain = lgb.train({"objective": "binary", "verbose": -1, "boost_from_average": " false"},
                      lgb.Dataset(X, y), 1)
    default = lgb.train({"objective": "binary", "verbose": -1}, lgb.Dataset(X, y), 1)
    np.testing.assert_array_equal(plain.predict(X), default.predict(X))
    with pytest.raises(ValueError, match="^boost_from_average=' false': LightGBM ignores a "
                                         "value that starts with a space"):
        flgb.train({"verbose": -1, "boost_from_average": " false"}, lgb.Dataset(X, y), LOSS, 2)
    flgb.train({"verbose": -1, "boost_from_average": "false "}, lgb.Dataset(X, y), LOSS, 2)
    # any value: read by this package (numbers, boosting, booleans it reads itself), it
    # would train another model than LightGBM's, or fail after training
    from focal_boost import FocalLGBMClassifier

    for params in ({"min_data_in_leaf": " 100"}, {"boosting": " rf"},
                   {"use_quantized_grad": " true"}):
        key, value = next(iter(params.items()))
        message = f"^{key}={value!r}: LightGBM ignores a value that starts with a space"
        with pytest.raises(ValueError, match=message):
            flgb.train({"verbose": -1, **params}, lgb.Dataset(X, y), LOSS, 2)
        with pytest.raises(ValueError, match=message):
            FocalLGBMClassifier(n_estimators=2, **params).fit(X, y)
    # a Dataset's own parameters are read too; first_metric_only is read by
    # lightgbm.train in Python (by its truth), not from LightGBM's text: taken
    with pytest.raises(ValueError, match="^linear_tree=' true': LightGBM ignores"):
        flgb.train({"verbose": -1}, lgb.Dataset(X, y, params={"linear_tree": " true"}),
                   LOSS, 2, keep_training_booster=True)
    flgb.train({"verbose": -1, "first_metric_only": " true"}, lgb.Dataset(X, y), LOSS, 2)


def test_lightgbm_boolean_none_is_the_default(data):
    # boost_from_average=None started from 0 where LightGBM keeps its default (True)
    X, y, _ = data
    default = flgb.train({"verbose": -1}, lgb.Dataset(X, y), LOSS, 2)
    given_none = flgb.train({"verbose": -1, "boost_from_average": None}, lgb.Dataset(X, y),
                            LOSS, 2)
    np.testing.assert_array_equal(flgb.predict_margin(given_none, X),
                                  flgb.predict_margin(default, X))


@pytest.mark.parametrize("train_width, eval_width", [(None, 4), (4, None), (4, 1), (4, 3)])
def test_xgboost_evaluation_set_of_another_kind_of_label_is_refused(train_width, eval_width):
    # a binary dtrain beside a label-matrix eval set trained a 4-output softmax model on
    # 0/1 labels (XGBoost takes the outputs from the widest labels); a multi-label dtrain
    # beside 1-D eval labels scored them as softmax classes, and early stopping followed
    # that. xgb.train refuses both.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 5))
    y = (X[:, 0] > 0).astype(float)

    def labels(width):
        return y if width is None else (rng.random((200, width)) < 0.3).astype(float)

    dtrain, dvalid = xgb.DMatrix(X, label=labels(train_width)), xgb.DMatrix(
        X, label=labels(eval_width))
    with pytest.raises(xgb.core.XGBoostError):
        xgb.train({"objective": "binary:logistic"}, dtrain, 2, evals=[(dvalid, "v")],
                  verbose_eval=False)
    with pytest.raises(ValueError, match=r"evals\[0\] \('v'\) has labels of shape"):
        fxgb.train({}, dtrain, focal_loss(2.0), 2, evals=[(dvalid, "v")])


def _labelled_rows(n: int = 200):
    """n rows of 4 features and their binary labels (as floats)."""
    X = np.random.default_rng(0).normal(size=(n, 4))
    return X, (X[:, 0] > 0).astype(float)


def test_lightgbm_datasets_without_labels_are_refused_by_name():
    # lgb.train takes a Dataset without labels as all class 0: ours trained on it (the
    # only warning advised a lower minimum Hessian) and scored a validation set without
    # labels, or with NaN ones, as class 0 every round; focal_boost.xgboost.train
    # refuses such sets by name
    X, y = _labelled_rows()
    loss = focal_loss(2.0)
    with pytest.raises(ValueError, match=r"train_set has no labels: build it with "
                                         r"lgb.Dataset\(X, label=y\)"):
        flgb.train({"verbose": -1}, lgb.Dataset(X), loss, 3)
    with pytest.raises(ValueError, match=r"valid_sets\[0\] \('check'\) has no labels"):
        flgb.train({"verbose": -1}, lgb.Dataset(X, y), loss, 3, valid_sets=[lgb.Dataset(X)],
                   valid_names=["check"])
    with pytest.raises(ValueError, match=r"valid_sets\[0\] \('valid_0'\) has 200 NaN labels "
                                         r"\(rows 0, 1, 2, 3, 4, \.\.\.\); LightGBM would score"):
        flgb.train({"verbose": -1}, lgb.Dataset(X, y), loss, 3,
                   valid_sets=[lgb.Dataset(X, np.full(200, np.nan))])
    train = lgb.Dataset(X, y)  # the training data as a validation set: its labels
    flgb.train({"verbose": -1}, train, loss, 3, valid_sets=[train])


def test_native_predictions_given_a_fitted_estimator_say_what_to_do():
    # AttributeError 'FocalXGBClassifier' object has no attribute 'attr' (the loss was
    # read from it before its type was checked)
    from focal_boost import FocalLGBMClassifier, FocalXGBClassifier

    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 3))
    y = (X[:, 0] > 0).astype(int)
    for module, model, how in (
            (fxgb, FocalXGBClassifier(n_estimators=2).fit(X, y), "get_booster()"),
            (flgb, FocalLGBMClassifier(n_estimators=2, verbose=-1).fit(X, y), "booster_")):
        for predict in (module.predict_proba, module.predict_margin, module.inverse_link):
            with pytest.raises(TypeError, match=rf"got {type(model).__name__}: call its own "
                                                rf"predict_proba\(X\), or pass its {how}"):
                predict(model, X)
    for read in (fxgb.linear_weights, fxgb.start_margin):  # (no data to pass)
        with pytest.raises(TypeError, match="got FocalXGBClassifier: call its own"):
            read(FocalXGBClassifier(n_estimators=2, booster="gblinear").fit(X, y))


def test_labels_the_libraries_read_themselves_are_named_as_those_given(tmp_path):
    # labels read from a file, or a subset's from its parent, came to the loss unchecked
    # and were refused as its own arguments ("y_true must hold class indices ...",
    # "y_true contains NaN"), without the set's name; given in memory they are named
    X, y = _labelled_rows()
    loss = focal_loss(2.0)

    def file(name, labels):
        np.savetxt(tmp_path / name, np.column_stack([labels, X]), delimiter=",")
        return str(tmp_path / name)

    missing = y.astype(float)
    missing[5] = np.nan
    cases = [(2 * y - 1, r"has labels from -1: .* map them \(-1/1 to 0/1\)$"),
             (y * 0.5, r"has non-integer labels \(e\.g\. 0\.5\)"),
             (missing, r"has 1 NaN label \(rows 5\); LightGBM would score them as class 0")]
    for i, (labels, message) in enumerate(cases):
        valid = lgb.Dataset(file(f"v{i}.csv", labels), params={"header": False})
        with pytest.raises(ValueError, match=rf"^valid_sets\[0\] \('held'\) {message}"):
            flgb.train({"verbose": -1}, lgb.Dataset(X, y), loss, 3, valid_sets=[valid],
                       valid_names=["held"])
    parent = lgb.Dataset(X, y * 2, free_raw_data=False)
    with pytest.raises(ValueError, match=r"^valid_sets\[0\] \('valid_0'\) has labels up to 2 "):
        flgb.train({"verbose": -1}, lgb.Dataset(X, y), loss, 3,
                   valid_sets=[parent.subset(list(range(100)))])
    uri = file("n.csv", missing) + "?format=csv&label_column=0"
    with pytest.raises(ValueError, match=r"^dtrain has 1 NaN label \(rows 5\): "):
        fxgb.train({}, xgb.DMatrix(uri), loss, 3)
    with pytest.raises(ValueError, match=r"^evals\[0\] \('v'\) has 1 NaN label \(rows 5\): "):
        fxgb.train({}, xgb.DMatrix(X, label=y), loss, 3, evals=[(xgb.DMatrix(uri), "v")],
                   verbose_eval=False)
    # a file of good labels trains as the same rows in memory
    valid = lgb.Dataset(file("ok.csv", y), params={"header": False})
    result: dict = {}
    flgb.train({"verbose": -1}, lgb.Dataset(X, y), loss, 3, valid_sets=[valid],
               callbacks=[lgb.record_evaluation(result)])
    again: dict = {}
    flgb.train({"verbose": -1}, lgb.Dataset(X, y), loss, 3, valid_sets=[lgb.Dataset(X, y)],
               callbacks=[lgb.record_evaluation(again)])
    np.testing.assert_allclose(result["valid_0"]["focal_loss"], again["valid_0"]["focal_loss"],
                               rtol=1e-6)


def test_evaluation_labels_and_soft_labels_are_named_as_the_training_ones():
    # an eval set's -1/1 labels, or soft labels anywhere, came from the loss in the
    # first round as "y_true must hold class indices ... y_pred", arguments the caller
    # never passed, without the set's name or the -1/1 hint the training data gets
    X, y = _labelled_rows()
    loss = focal_loss(2.0)
    with pytest.raises(ValueError, match=r"^evals\[0\] \('valid'\) has labels from -1: .* "
                                         r"map them \(-1/1 to 0/1\)$"):
        fxgb.train({}, xgb.DMatrix(X, label=y), loss, 3,
                   evals=[(xgb.DMatrix(X, label=2 * y - 1), "valid")])
    with pytest.raises(ValueError, match=r"^valid_sets\[0\] \('valid_0'\) has labels up to 2 "):
        flgb.train({"verbose": -1}, lgb.Dataset(X, y), loss, 3,
                   valid_sets=[lgb.Dataset(X, y + 1)])
    soft = r"has non-integer labels \(e\.g\. 0\.5\): .* the focal loss takes no soft labels$"
    with pytest.raises(ValueError, match=rf"^dtrain {soft}"):
        fxgb.train({}, xgb.DMatrix(X, label=y * 0.5), loss, 3)
    with pytest.raises(ValueError, match=rf"^train_set {soft}"):
        flgb.train({"verbose": -1}, lgb.Dataset(X, y * 0.5), loss, 3)
    with pytest.raises(ValueError, match=rf"^valid_sets\[0\] \('valid_0'\) {soft}"):
        flgb.train({"verbose": -1}, lgb.Dataset(X, y), loss, 3,
                   valid_sets=[lgb.Dataset(X, y * 0.5)])
    # what the check must leave alone: an eval set that only the caller's custom_metric
    # scores (soft labels there train with xgb.train), and labels an integer in the
    # float32 the libraries hold (1 + 1e-12)
    def brier(predt, dmat):
        return "brier", float(np.mean((1 / (1 + np.exp(-predt)) - dmat.get_label()) ** 2))

    result: dict = {}
    fxgb.train({}, xgb.DMatrix(X, label=y), loss, 3, custom_metric=brier,
               evals=[(xgb.DMatrix(X, label=y * 0.9 + 0.05), "soft")], evals_result=result,
               verbose_eval=False)
    assert len(result["soft"]["brier"]) == 3
    flgb.train({"verbose": -1}, lgb.Dataset(X, y), loss, 3,
               valid_sets=[lgb.Dataset(X, y * (1 + 1e-12))])


def test_lightgbm_weights_not_finite_and_non_negative_are_refused_by_the_datasets_name(
        tmp_path):
    # LightGBM trains a NaN weight as 0 and an infinite one as 1e38 without a word; ours
    # refused them under the start (init_score="auto") as "sample_weight", trained on them
    # from margin 0, and never looked at a validation set's weights (the focal metric
    # scored them)
    X, y = _labelled_rows()
    loss = focal_loss(2.0)
    for bad, shown in ((np.nan, "nan"), (np.inf, "inf"), (-1.0, "-1"),
                       (1e39, "1e+39"), (1e38, "1e+38")):
        w = np.ones(len(y))
        w[[3, 7]] = bad
        for init_score in ("auto", None):
            with pytest.raises(ValueError, match=(
                    r"train_set has 2 weights outside \[0, 1e38\) \(rows 3, 7, "
                    f"e.g. {re.escape(shown)}\\): give every row a weight >= 0 below 1e38, "
                    "LightGBM's infinity")):
                flgb.train({"verbose": -1}, lgb.Dataset(X, y, weight=w), loss, 3,
                           init_score=init_score)
        with pytest.raises(ValueError, match=r"valid_sets\[0\] \('check'\) has 2 weights "):
            flgb.train({"verbose": -1}, lgb.Dataset(X, y), loss, 3, valid_names=["check"],
                       valid_sets=[lgb.Dataset(X, y, weight=w)])
    # a Dataset LightGBM built holds the weights it trains on: an infinite one as 1e38
    w = np.ones(len(y))
    w[5] = np.inf
    built = lgb.Dataset(X, y, weight=w, params={"verbose": -1}).construct()
    built.weight = None  # as a Dataset read from a file or a binary: LightGBM's copy only
    with pytest.raises(ValueError, match=r"train_set has 1 weight outside \[0, 1e38\) "
                                         r"\(rows 5, e.g. 1e\+38\)"):
        flgb.train({"verbose": -1}, built, loss, 3)
    # and weights LightGBM reads itself: a subset's, a binary file's
    for bad in (np.inf, -1.0):
        w = np.ones(len(y))
        w[5] = bad
        full = lgb.Dataset(X, y, weight=w, free_raw_data=False)
        path = tmp_path / f"weighted{bad}.bin"
        lgb.Dataset(X, y, weight=w, params={"verbose": -1}).save_binary(str(path))
        for init_score in ("auto", None):
            for dataset in (full.subset(np.arange(len(y))), lgb.Dataset(str(path))):
                with pytest.raises(ValueError, match=r"train_set has 1 weight outside "
                                                     r"\[0, 1e38\) \(rows 5, e.g. "):
                    flgb.train({"verbose": -1}, dataset, loss, 3, init_score=init_score)
    # weights of 0 drop rows, as in lgb.train
    w = np.ones(len(y))
    w[:10] = 0.0
    flgb.train({"verbose": -1}, lgb.Dataset(X, y, weight=w), loss, 3)


def test_lightgbm_flat_init_score_is_read_class_by_class_as_lightgbm_reads_it():
    # LightGBM reads a flat init_score class-major (all rows' class 0, then class 1, ...)
    X, y = make_classification(300, 5, n_informative=3, n_classes=3, random_state=0)
    S = np.random.default_rng(0).normal(size=(300, 3))
    params = {"verbose": -1, "seed": 0, "num_class": 3}

    def margins(init_score, intercept="auto", construct=False):
        # (an intercept given beside the Dataset's own start is added to it; a constructed
        # Dataset holds LightGBM's flat copy)
        ds = lgb.Dataset(X, y, init_score=init_score, params={"verbose": -1})
        booster = flgb.train(params, ds.construct() if construct else ds, LOSS, 5,
                             init_score=intercept)
        return booster.predict(X, raw_score=True)

    np.testing.assert_array_equal(margins(S.T.ravel()), margins(S))
    assert np.abs(margins(S.ravel()) - margins(S)).max() > 0.1  # row-major is other margins
    shift = [0.1, 0.2, -0.3]
    np.testing.assert_array_equal(margins(S.T.ravel(), shift), margins(S, shift))
    np.testing.assert_array_equal(margins(S, shift, construct=True), margins(S, shift))
    # and the estimator's flat init_score / eval_init_score, class-major as LGBMClassifier's
    from focal_boost import FocalLGBMClassifier

    def proba(start, eval_start):
        clf = FocalLGBMClassifier(gamma=1.0, n_estimators=5, random_state=0, n_jobs=1)
        clf.fit(X, y, init_score=start, eval_set=[(X, y)], eval_init_score=[eval_start])
        return clf.predict_proba(X), clf.evals_result_
    flat, flat_log = proba(S.ravel(order="F"), S.ravel(order="F"))
    given, given_log = proba(S, S)
    np.testing.assert_array_equal(flat, given)
    assert flat_log == given_log


def test_lightgbm_weight_refusal_shows_the_first_bad_rows_value():
    # rows 3 and 7 are refused for different values: the example is row 3's
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    y = (X[:, 0] > 0).astype(float)
    w = np.ones(len(y))
    w[3], w[7] = -2.0, np.inf
    with pytest.raises(ValueError, match=re.escape(
            "train_set has 2 weights outside [0, 1e38) (rows 3, 7, e.g. -2): ")):
        flgb.train({"verbose": -1}, lgb.Dataset(X, y, weight=w), focal_loss(2.0), 2)


def test_lightgbm_dataset_start_margins_that_are_not_finite_are_refused_by_row():
    # lgb.train trains a NaN init_score as 0 without a word (so did ours), where
    # focal_boost.xgboost.train refuses such a DMatrix base_margin and the estimators
    # such a fit init_score; a flat multiclass one is read class by class
    X, y = make_classification(300, 5, n_informative=3, n_classes=3, random_state=0)
    binary = (y > 0).astype(int)
    start = np.zeros(300)
    start[4] = np.nan
    with pytest.raises(ValueError, match=r"^train_set's init_score holds nan \(row 4\): a "
                                         "start margin must be finite"):
        flgb.train({"verbose": -1}, lgb.Dataset(X, binary, init_score=start), LOSS, 2)
    with pytest.raises(ValueError, match=r"^valid_sets\[0\] \('check'\)'s init_score holds "
                                         r"nan \(row 4\)"):
        flgb.train({"verbose": -1}, lgb.Dataset(X, binary), LOSS, 2, valid_names=["check"],
                   valid_sets=[lgb.Dataset(X, binary, init_score=start)])
    flat = np.zeros(900)
    flat[300 + 7] = -np.inf  # class 1 of row 7
    with pytest.raises(ValueError, match=r"^train_set's init_score holds -inf \(row 7\)"):
        flgb.train({"verbose": -1, "num_class": 3}, lgb.Dataset(X, y, init_score=flat),
                   LOSS, 2)
    flgb.train({"verbose": -1}, lgb.Dataset(X, binary, init_score=np.zeros(300)), LOSS, 2,
               init_score=None)  # finite ones train


def test_labels_a_library_reads_itself_are_checked_against_num_class_by_name(tmp_path):
    # a multiclass model's file of labels 0..2 is scored as the same rows in memory (its
    # labels checked against num_class, not as a binary model's); the set named is the
    # one that holds the labels, among several
    X, y = _labelled_rows()
    y3 = y + (X[:, 1] > 0)
    loss = focal_loss(2.0)

    def file(name, labels):
        np.savetxt(tmp_path / name, np.column_stack([labels, X]), delimiter=",")
        return lgb.Dataset(str(tmp_path / name), params={"header": False})

    params = {"verbose": -1, "num_class": 3}
    result: dict = {}
    flgb.train(params, lgb.Dataset(X, y3), loss, 3, valid_sets=[file("ok.csv", y3)],
               callbacks=[lgb.record_evaluation(result)])
    again: dict = {}
    flgb.train(params, lgb.Dataset(X, y3), loss, 3, valid_sets=[lgb.Dataset(X, y3)],
               callbacks=[lgb.record_evaluation(again)])
    np.testing.assert_allclose(result["valid_0"]["focal_loss"], again["valid_0"]["focal_loss"],
                               rtol=1e-6)
    with pytest.raises(ValueError, match=r"^valid_sets\[1\] \('b'\) has labels up to 3 but "
                                         r"params\['num_class'\] is 3"):
        flgb.train(params, lgb.Dataset(X, y3), loss, 3,
                   valid_sets=[file("a.csv", y3), file("b.csv", y3 + 1)],
                   valid_names=["a", "b"])


@pytest.mark.parametrize("init_score", [None, 0.0])
def test_labels_read_from_a_file_are_named_without_an_intercept_too(tmp_path, init_score):
    # without an intercept the validation sets were left for lgb.train to build, and
    # their labels came to the loss unchecked ("y_true must hold class indices ...")
    X, y = _labelled_rows()
    np.savetxt(tmp_path / "v.csv", np.column_stack([2 * y - 1, X]), delimiter=",")
    valid = lgb.Dataset(str(tmp_path / "v.csv"), params={"header": False})
    with pytest.raises(ValueError, match=r"^valid_sets\[0\] \('held'\) has labels from -1"):
        flgb.train({"verbose": -1}, lgb.Dataset(X, y), focal_loss(2.0), 3, valid_sets=[valid],
                   valid_names=["held"], init_score=init_score)
    np.savetxt(tmp_path / "ok.csv", np.column_stack([y, X]), delimiter=",")
    result: dict = {}
    flgb.train({"verbose": -1}, lgb.Dataset(X, y), focal_loss(2.0), 3,
               valid_sets=[lgb.Dataset(str(tmp_path / "ok.csv"), params={"header": False})],
               init_score=init_score, callbacks=[lgb.record_evaluation(result)])
    again: dict = {}
    flgb.train({"verbose": -1}, lgb.Dataset(X, y), focal_loss(2.0), 3,
               valid_sets=[lgb.Dataset(X, y)], init_score=init_score,
               callbacks=[lgb.record_evaluation(again)])
    np.testing.assert_allclose(result["valid_0"]["focal_loss"], again["valid_0"]["focal_loss"],
                               rtol=1e-6)
