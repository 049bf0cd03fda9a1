"""The loss object passed straight to XGBClassifier / LGBMClassifier as `objective=`."""

import re

import numpy as np
import pytest

from focal_boost import focal_loss

xgb = pytest.importorskip("xgboost")
lgb = pytest.importorskip("lightgbm")
datasets = pytest.importorskip("sklearn.datasets")
metrics = pytest.importorskip("sklearn.metrics")


def _binary():
    return datasets.make_classification(1500, 8, weights=[0.9], random_state=0)


def _multiclass():
    return datasets.make_classification(1500, 8, n_informative=5, n_classes=3, random_state=0)


def test_xgbclassifier_binary_with_weights():
    X, y = _binary()
    model = xgb.XGBClassifier(objective=focal_loss(2, 0.25), n_estimators=30, n_jobs=1)
    model.fit(X, y, sample_weight=np.where(y == 1, 2.0, 1.0))
    proba = model.predict_proba(X)
    assert proba.shape == (len(y), 2) and np.isfinite(proba).all()
    assert metrics.roc_auc_score(y, proba[:, 1]) > 0.9


def test_xgbclassifier_multiclass_sequence_alpha():
    X, y = _multiclass()
    model = xgb.XGBClassifier(objective=focal_loss(2, [1.0, 2.0, 3.0]), n_estimators=30, n_jobs=1)
    model.fit(X, y)
    proba = model.predict_proba(X)
    assert proba.shape == (len(y), 3) and np.isfinite(proba).all()
    assert (model.predict(X) == y).mean() > 0.8


def test_lgbmclassifier_binary_with_weights():
    X, y = _binary()
    model = lgb.LGBMClassifier(objective=focal_loss(2, 0.25), n_estimators=30, n_jobs=1,
                               verbose=-1)
    model.fit(X, y, sample_weight=np.where(y == 1, 2.0, 1.0))
    # LightGBM returns raw scores from predict_proba with a callable objective.
    with pytest.warns(UserWarning, match="raw scores"):
        raw = model.predict_proba(X)
    assert raw.shape == (len(y),) and np.isfinite(raw).all()
    assert metrics.roc_auc_score(y, raw) > 0.9


def test_lgbmclassifier_multiclass_sequence_alpha():
    X, y = _multiclass()
    model = lgb.LGBMClassifier(objective=focal_loss(2, [1.0, 2.0, 3.0]), n_estimators=30,
                               n_jobs=1, verbose=-1)
    model.fit(X, y)
    with pytest.warns(UserWarning, match="raw scores"):
        raw = model.predict_proba(X)
    assert raw.shape == (len(y), 3) and np.isfinite(raw).all()
    assert (raw.argmax(axis=1) == y).mean() > 0.8


# ------------------------------------- the loss itself as xgb.train / lgb.train objective
def _weighted_dmatrix(X, y):
    return xgb.DMatrix(X, label=y, weight=np.linspace(0.5, 2.0, len(X)))


@pytest.mark.parametrize("kind", ["binary", "multiclass", "multilabel"])
def test_loss_as_xgb_train_obj_equals_the_adapter_objective(kind):
    from focal_boost.xgboost import objective

    X, y = _multiclass() if kind == "multiclass" else _binary()
    params = {"max_depth": 3, "nthread": 1, "base_score": 0.0,
              "disable_default_eval_metric": 1}
    loss = focal_loss(2.0, [1.0, 2.0, 3.0] if kind == "multiclass" else 0.25)
    if kind == "multiclass":
        params["num_class"] = 3
    elif kind == "multilabel":
        y = np.column_stack([y, X[:, 0] > 0.5, X[:, 1] < -1]).astype(int)
        params["num_target"] = 3
    dtrain = _weighted_dmatrix(X, y)
    predt = np.random.default_rng(0).normal(size=np.shape(y) if kind != "multiclass"
                                            else (len(y), 3)).astype(np.float32)
    for a, b in zip(loss(predt, dtrain), objective(loss)(predt, dtrain), strict=True):
        np.testing.assert_array_equal(a, b)
    direct = xgb.train(params, dtrain, 10, obj=loss)
    wrapped = xgb.train(params, dtrain, 10, obj=objective(loss))
    np.testing.assert_array_equal(direct.predict(dtrain, output_margin=True),
                                  wrapped.predict(dtrain, output_margin=True))


def test_loss_as_xgb_train_obj_takes_a_dmatrix_without_rows():
    # a DMatrix of 0 rows has labels (none to give): "has no labels" where objective(loss)
    # and a Python objective train (a Dask worker's empty partition is one)
    from focal_boost.xgboost import objective

    X, y = _binary()
    empty = xgb.DMatrix(X[:0], label=y[:0])
    for obj in (focal_loss(), objective(focal_loss())):
        assert xgb.train({"base_score": 0.5}, empty, 2, obj=obj).num_boosted_rounds() == 2
    for obj in (focal_loss(), objective(focal_loss())):
        with pytest.raises(ValueError, match="the DMatrix passed to the loss has no labels"):
            xgb.train({"base_score": 0.5}, xgb.DMatrix(X), 2, obj=obj)


def test_margins_of_no_rows_and_no_columns_are_no_rows():
    # XGBoost 3.4 hands a DMatrix of 0 rows margins of shape (0, 0) (3.2: (0,)), which
    # read as a softmax of no classes ("zero-size array to reduction"); it takes (0,) back
    from focal_boost.xgboost import objective

    X, y = _binary()
    empty = xgb.DMatrix(X[:0], label=y[:0])
    for obj in (focal_loss(), objective(focal_loss())):
        grad, hess = obj(np.zeros((0, 0), np.float32), empty)
        assert grad.shape == hess.shape == (0,)
    # XGBClassifier(objective=loss) calls loss(labels, margins)
    for loss in (focal_loss(), focal_loss(derivatives="numeric")):
        grad, hess = loss(np.zeros(0), np.zeros((0, 0), np.float32))
        assert grad.shape == hess.shape == (0,)


def test_adapter_metric_refuses_a_dmatrix_without_labels():
    # it returned NaN, as objective(loss) named y_true (never passed) instead
    from focal_boost.xgboost import metric

    X, _ = _binary()
    with pytest.raises(ValueError, match="the DMatrix passed to the loss has no labels"):
        metric(focal_loss())(np.zeros(len(X), np.float32), xgb.DMatrix(X))


def test_plain_xgb_train_obj_starts_from_xgboosts_base_score():
    # Documented: no focal intercept with a bare xgb.train(obj=loss); XGBoost starts a
    # custom objective at margin base_score, 0.5 unless set.
    X, y = _binary()
    booster = xgb.train({"nthread": 1}, xgb.DMatrix(X, label=y), 0, obj=focal_loss())
    np.testing.assert_array_equal(booster.predict(xgb.DMatrix(X[:3]), output_margin=True),
                                  np.full(3, 0.5, np.float32))


@pytest.mark.parametrize("kind", ["binary", "multiclass"])
def test_loss_as_lgb_train_objective_equals_the_adapter_objective(kind):
    from focal_boost.lightgbm import objective

    X, y = _multiclass() if kind == "multiclass" else _binary()
    loss = focal_loss(2.0, [1.0, 2.0, 3.0] if kind == "multiclass" else 0.25)
    params = {"verbose": -1, "num_threads": 1, "metric": "None"}
    if kind == "multiclass":
        params["num_class"] = 3
    w = np.linspace(0.5, 2.0, len(X))
    direct = lgb.train(dict(params, objective=loss), lgb.Dataset(X, y, weight=w), 10)
    wrapped = lgb.train(dict(params, objective=objective(loss)), lgb.Dataset(X, y, weight=w),
                        10)
    np.testing.assert_array_equal(direct.predict(X, raw_score=True),
                                  wrapped.predict(X, raw_score=True))
    data = lgb.Dataset(X, y, weight=w).construct()
    preds = np.zeros((len(y), 3) if kind == "multiclass" else len(y), order="F")
    for a, b in zip(loss(preds, data), objective(loss)(preds, data), strict=True):
        np.testing.assert_array_equal(a, b)


def test_library_data_with_sample_weight_is_refused():
    X, y = _binary()
    with pytest.raises(TypeError, match="sample_weight must be None when the second argument "
                                        "is a DMatrix"):
        focal_loss()(np.zeros(len(y)), xgb.DMatrix(X, label=y), np.ones(len(y)))
    with pytest.raises(ValueError, match="the DMatrix passed to the loss has no labels"):
        focal_loss()(np.zeros(len(y)), xgb.DMatrix(X))


@pytest.mark.parametrize("make", [_binary, _multiclass])
def test_metric_adapters_as_the_plain_classifiers_eval_metric(make):
    # XGBClassifier calls eval_metric(y_true, margin[, sample_weight=]) and records it
    # under its __name__; LGBMClassifier calls it with (y_true, preds, weight). Both were
    # an AttributeError (the adapters took only (margins, DMatrix / Dataset)).
    from focal_boost import lightgbm as flgb
    from focal_boost import xgboost as fxgb
    from focal_boost.metrics import focal_metric

    X, y = make()
    X, Xv, y, yv = X[:1000], X[1000:], y[:1000], y[1000:]
    w = np.random.default_rng(0).uniform(0.5, 2.0, len(yv))
    loss = focal_loss(2.0)
    model = xgb.XGBClassifier(objective=loss, eval_metric=fxgb.metric(loss), n_estimators=40,
                              early_stopping_rounds=5, n_jobs=1)
    model.fit(X, y, eval_set=[(Xv, yv)], sample_weight_eval_set=[w], verbose=False)
    recorded = model.evals_result()["validation_0"]["focal_loss"]
    best = model.best_iteration
    margin = model.predict(Xv, output_margin=True, iteration_range=(0, best + 1))
    # XGBoost records metrics rounded to 6 significant digits
    assert recorded[best] == pytest.approx(focal_metric(loss, yv, margin, w), rel=5e-5)
    assert best == int(np.argmin(recorded))  # early stopping followed it

    model = lgb.LGBMClassifier(objective=loss, n_estimators=40, verbose=-1, n_jobs=1)
    model.fit(X, y, eval_set=[(Xv, yv)], eval_sample_weight=[w],
              eval_metric=flgb.metric(loss))
    recorded = model.evals_result_["valid_0"]["focal_loss"]
    margin = model.predict(Xv, raw_score=True)
    assert recorded[-1] == pytest.approx(focal_metric(loss, yv, margin, w), rel=1e-6)


def test_labels_past_the_binary_margins_name_num_class():
    # xgb.train / lgb.train / their cv with the loss and num_class left out: the message
    # said the labels were out of range, not what to set (the wrapped train functions do)
    X, y = datasets.make_classification(300, 6, n_informative=4, n_classes=4, random_state=0)
    loss = focal_loss(2.0)
    with pytest.raises(ValueError,
                       match=r"values in \[0, 3\]: set num_class=4 in the library's parameters"):
        xgb.train({"nthread": 1}, xgb.DMatrix(X, label=y), 2, obj=loss)
    with pytest.raises(ValueError, match="set num_class=4"):
        lgb.train({"objective": loss, "verbose": -1, "num_threads": 1}, lgb.Dataset(X, y), 2)


def test_margins_that_are_not_finite_name_what_to_change():
    # class weights 1e4 apart without regularisation: the margins diverge, and the error
    # was "y_pred contains NaN or infinite values", an argument the user never passed
    from focal_boost import lightgbm as flgb
    from focal_boost import xgboost as fxgb

    X = np.zeros((2, 1))
    margins = np.array([np.inf, 0.0])
    with pytest.raises(ValueError, match="margins the library hands the loss contain NaN .*"
                                         "reg_lambda / lambda_l2 > 0"):
        fxgb.objective(focal_loss(2.0))(margins, xgb.DMatrix(X, label=[0, 1]))
    with pytest.raises(ValueError, match="margins the library hands the loss contain NaN"):
        flgb.objective(focal_loss(2.0))(margins, lgb.Dataset(X, [0, 1]).construct())


def test_adapter_objectives_in_the_plain_classifiers_say_what_to_pass():
    # objective(loss) is the native train's callable; the plain classifiers call it as
    # f(y_true, y_pred), which failed inside it ('ndarray' has no attribute 'get_label')
    from focal_boost import lightgbm as flgb
    from focal_boost import xgboost as fxgb

    X, y = _binary()
    with pytest.raises(TypeError, match=r"XGBClassifier\(objective=loss\)"):
        xgb.XGBClassifier(objective=fxgb.objective(focal_loss()), n_estimators=2).fit(X, y)
    with pytest.raises(TypeError, match=r"LGBMClassifier\(objective=loss\)"):
        lgb.LGBMClassifier(objective=flgb.objective(focal_loss()), n_estimators=2,
                           verbose=-1).fit(X, y)


def test_the_factory_itself_as_objective_says_to_call_it():
    # XGBoost called focal_loss(y_true, y_pred): "gamma must be a real number, got
    # ndarray", naming a parameter the user never passed
    from focal_boost import FocalLoss

    X, y = _binary()
    for factory in (focal_loss, FocalLoss):
        with pytest.raises(TypeError, match=r"objective=focal_loss\(gamma=2.0\)"):
            xgb.XGBClassifier(objective=factory, n_estimators=2).fit(X, y)
    with pytest.raises(TypeError, match="gamma must be a real number, got list"):
        focal_loss([2.0])  # (a list is no array of labels here: the message names it)
    with pytest.raises(TypeError, match=r"got an array of shape \(1,\)$"):
        focal_loss(np.array([2.0]))  # (no library's labels: no guess that one called it)


def test_a_subclass_of_the_librarys_data_trains_as_the_library_s_own():
    # the library was told by the data's type's module alone: a DMatrix / Dataset
    # subclass trained multiclass on another Hessian (1.73 / 0.66 off in margin)
    from focal_boost import ce_loss

    X, y = datasets.make_classification(600, 6, n_informative=4, n_classes=3,
                                        random_state=0)

    class MyDMatrix(xgb.DMatrix):
        pass

    class MyDataset(lgb.Dataset):
        pass

    params = {"num_class": 3, "max_depth": 3, "eta": 0.3}
    margins = [xgb.train(params, data(X, label=y), 10, obj=ce_loss()).predict(
        xgb.DMatrix(X), output_margin=True) for data in (xgb.DMatrix, MyDMatrix)]
    np.testing.assert_array_equal(*margins)
    params = {"objective": ce_loss(), "num_class": 3, "verbose": -1, "num_leaves": 7}
    scores = [lgb.train(params, data(X, y), 10).predict(X) for data in (lgb.Dataset, MyDataset)]
    np.testing.assert_array_equal(*scores)


# ---------------------------------------------- found unpinned by mutation testing
def test_lightgbm_softmax_scale_is_k_over_k_minus_1_and_refuses_fewer_than_2_classes():
    from focal_boost import _conventions

    # LightGBM's multiclass objective puts k / (k - 1) on p (1 - p); XGBoost's 2
    assert _conventions.softmax_hessian_scale("lightgbm", 2) == 2.0
    assert _conventions.softmax_hessian_scale("lightgbm", 4) == 4 / 3
    assert _conventions.softmax_hessian_scale("xgboost", 7) == 2.0
    for k in (1, 0, np.int64(1)):
        with pytest.raises(ValueError, match="^" + re.escape(
                f"LightGBM's softmax needs k >= 2 classes, got {k!r}") + "$"):
            _conventions.softmax_hessian_scale("lightgbm", k)


def test_one_column_of_margins_with_the_libraries_data_is_binary():
    # (n, 1) margins are binary for the loss (labels given), and were read as a softmax
    # of one class with a DMatrix (Hessian doubled, silently) or a Dataset (refused)
    X = np.zeros((4, 1))
    y = np.array([0.0, 1.0, 0.0, 1.0])
    z = np.array([-1.0, 0.5, 2.0, 0.0])
    loss = focal_loss(0.0)
    expected = loss(y, z[:, None])
    for data in (xgb.DMatrix(X, label=y), lgb.Dataset(X, y).construct()):
        for got, want in zip(loss(z[:, None], data), expected, strict=True):
            np.testing.assert_allclose(got, want, rtol=1e-6)


def test_a_plain_classifiers_margins_that_are_not_finite_say_where_they_come_from():
    # XGBClassifier(objective=loss) with a NaN base_margin: "y_pred contains NaN or
    # infinite values", an argument its user never passed, and nothing about the start
    X, y = _binary()
    start = np.zeros(len(y))
    start[0] = np.nan
    with pytest.raises(ValueError, match=r"^y_pred contains NaN or infinite values; where a "
                                         r"library calls the loss .* a start margin that is "
                                         r"not finite \(base_margin, init_score\)"):
        xgb.XGBClassifier(objective=focal_loss(2.0), n_estimators=2).fit(X, y,
                                                                         base_margin=start)
    with pytest.raises(ValueError, match="^y_pred contains NaN"):  # called by hand too
        focal_loss(2.0)(y, start)


@pytest.mark.parametrize("library", ["xgboost", "lightgbm"])
def test_the_libraries_data_the_loss_refuses_is_named_as_their_train_names_it(library):
    # soft labels, -1/1 and a negative weight, which the libraries' own objectives take,
    # were refused as "y_true ..." and "sample_weight ...", arguments the caller of
    # xgb.train(obj=loss) / lgb.train({"objective": loss}) never passed
    X, y = _binary()
    name = {"xgboost": "dtrain", "lightgbm": "train_set"}[library]

    def train(labels, weight=None):
        if library == "xgboost":
            return xgb.train({}, xgb.DMatrix(X, label=labels, weight=weight), 2,
                             obj=focal_loss(2.0))
        return lgb.train({"objective": focal_loss(2.0), "verbose": -1},
                         lgb.Dataset(X, labels, weight=weight), 2)

    with pytest.raises(ValueError, match=rf"^{name} has non-integer labels \(e\.g\. 0\.1.*"
                                         "the focal loss takes no soft labels$"):
        train(y * 0.8 + 0.1)
    with pytest.raises(ValueError, match=rf"^{name} has labels from -1: .*map them \(-1/1 "
                                         r"to 0/1\)$"):
        train(2 * y - 1)
    if library == "lightgbm":  # (XGBoost refuses a negative weight in its DMatrix)
        weight = np.ones(len(y))
        weight[[3, 7]] = -1.0
        with pytest.raises(ValueError, match=r"^train_set has 2 weight\(s\) that are "
                                             r"negative or not finite \(rows 3, 7, e\.g\. "
                                             r"-1\.0\): row weights must be finite and >= 0$"):
            train(y, weight)
    booster = train(y, np.ones(len(y)))
    assert (booster.num_boosted_rounds() if library == "xgboost" else booster.num_trees()) == 2


def test_the_libraries_data_weights_are_checked_row_by_row_and_zero_is_a_weight():
    # a zero weight trains, as in the libraries' own objectives; a single bad weight is
    # refused, NaN too (a Dataset LightGBM has not built keeps it; built, it reads 0),
    # showing the first bad row's value; data of neither library is "the data"
    X, y = _binary()
    weight = np.ones(len(y))
    weight[[2, 5]] = 0.0
    booster = xgb.train({}, xgb.DMatrix(X, label=y, weight=weight), 2, obj=focal_loss(2.0))
    assert booster.num_boosted_rounds() == 2
    booster = lgb.train({"objective": focal_loss(2.0), "verbose": -1},
                        lgb.Dataset(X, y, weight=weight), 2)
    assert booster.num_trees() == 2
    z = np.zeros(4)
    labels = np.array([0.0, 1.0, 0.0, 1.0])
    for bad, count, shown in (([1.0, np.nan, 1.0, 1.0], 1, "rows 1, e.g. nan"),
                              ([1.0, 1.0, np.inf, 1.0], 1, "rows 2, e.g. inf"),
                              ([1.0, -3.0, 0.0, -2.0], 2, "rows 1, 3, e.g. -3.0")):
        with pytest.raises(ValueError, match=rf"^train_set has {count} weight\(s\) that are "
                                             rf"negative or not finite \({shown}\): row "
                                             r"weights must be finite and >= 0$"):
            focal_loss(2.0)(z, lgb.Dataset(np.zeros((4, 1)), labels, weight=np.array(bad)))

    class Data:  # any object with the libraries' get_label / get_weight
        def __init__(self, label, weight=None):
            self.label, self.weight = label, weight

        def get_label(self):
            return self.label

        def get_weight(self):
            return self.weight

    with pytest.raises(ValueError, match=r"^the data has labels from -1: "):
        focal_loss(2.0)(z, Data(2 * labels - 1))
    with pytest.raises(ValueError, match=r"^the data has 1 weight\(s\) that are negative "):
        focal_loss(2.0)(z, Data(labels, np.array([1.0, 1.0, -1.0, 1.0])))
    grad, hess = focal_loss(2.0)(z, Data(labels, np.array([1.0, 0.0, 1.0, 0.0])))
    assert grad[1] == hess[1] == grad[3] == hess[3] == 0.0


def test_a_dataset_s_weights_of_another_shape_or_not_numbers_are_named_as_its():
    # the weights are the Dataset's (train_set), never the loss's sample_weight argument
    z = np.zeros(4)
    labels = np.array([0.0, 1.0, 0.0, 1.0])
    with pytest.raises(ValueError, match=r"^train_set must have shape \(4,\), one weight per "
                                         r"row, got \(3,\)$"):
        focal_loss(2.0)(z, lgb.Dataset(np.zeros((4, 1)), labels, weight=[1.0, 1.0, 1.0]))
    with pytest.raises(ValueError, match=r"^train_set must hold numbers: "):
        focal_loss(2.0)(z, lgb.Dataset(np.zeros((4, 1)), labels, weight=["a", "b", "c", "d"]))
