"""Native model files: what a LightGBM file written by focal_boost says, and what
plain LightGBM, converters and Treelite make of it; FocalXGBClassifier's save_model and
load_model."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

lgb = pytest.importorskip("lightgbm")
pytest.importorskip("sklearn")

from sklearn.datasets import make_classification  # noqa: E402

from focal_boost import FocalLGBMClassifier, FocalLoss  # noqa: E402
from focal_boost import lightgbm as flgb  # noqa: E402


def _booster(n_classes, loss):
    X, y = make_classification(400, 5, n_informative=3, n_classes=n_classes, random_state=0)
    params = {"num_leaves": 8, "verbose": -1}
    if n_classes > 2:
        params["num_class"] = n_classes
    return flgb.train(params, lgb.Dataset(X, y), loss, 15), X


@pytest.mark.parametrize("n_classes, alpha", [(2, None), (2, 0.25), (3, [1.0, 2.0, 4.0])])
def test_lightgbm_file_names_its_loss_and_still_predicts_margins(tmp_path, n_classes, alpha):
    loss = FocalLoss(2.0, alpha)
    booster, X = _booster(n_classes, loss)
    path = tmp_path / "focal.txt"
    flgb.save_model(booster, path, loss)
    text = path.read_text()
    link = ("binary" if n_classes == 2 else "multiclass") + "_focal"
    assert f"[objective: {link}]" in text and "[objective: custom]" not in text
    assert not re.search(r"^objective=", text, re.M)  # the header names no link
    loaded = lgb.Booster(model_file=path)
    assert loaded.params["objective"] == link
    # plain LightGBM: raw margins, intercept included
    np.testing.assert_array_equal(loaded.predict(X), flgb.predict_margin(booster, X))
    restored = flgb.stored_loss(loaded)
    assert restored.gamma == 2.0
    if alpha is None:
        assert restored.alpha is None
    else:
        np.testing.assert_array_equal(restored.alpha, loss.alpha)
    np.testing.assert_allclose(flgb.predict_proba(loaded, X),
                               flgb.predict_proba(booster, X, loss), rtol=0, atol=0)
    assert flgb.stored_loss(booster) is None  # a trained Booster holds no loss
    with pytest.raises(ValueError, match="carries no focal loss"):
        flgb.predict_proba(booster, X)
    # another loss given for a file that names its own: a warning (a stale variable
    # gave other probabilities without a word); the same loss, spelled otherwise: none
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        flgb.predict_proba(loaded, X, FocalLoss(2.0, None if alpha is None else loss.alpha))
    with pytest.warns(UserWarning, match=r"trained on FocalLoss\(gamma=2.0.*not on the loss "
                                         r"given, FocalLoss\(gamma=0.0"):
        flgb.predict_proba(loaded, X, FocalLoss(0.0, loss.alpha))


@pytest.mark.parametrize("n_classes, alpha", [(2, 0.25), (3, [1.0, 2.0, 4.0])])
def test_xgboost_booster_read_with_another_loss_warns(n_classes, alpha):
    import xgboost as xgb

    from focal_boost import xgboost as fxgb

    X, y = make_classification(300, 5, n_informative=3, n_classes=n_classes, random_state=0)
    params = {"num_class": n_classes} if n_classes > 2 else {}
    booster = fxgb.train(params, xgb.DMatrix(X, label=y), FocalLoss(2.0, alpha), 5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        same = fxgb.predict_proba(booster, X, FocalLoss(2.0, alpha))
    np.testing.assert_array_equal(same, fxgb.predict_proba(booster, X))
    with pytest.warns(UserWarning, match="leave loss out to read them with the saved one"):
        fxgb.predict_proba(booster, X, FocalLoss(0.0, alpha))


def test_estimator_booster_round_trip(tmp_path):
    X, y = make_classification(400, 5, random_state=0)
    model = FocalLGBMClassifier(gamma=3.0, alpha="balanced", n_estimators=15,
                                verbose=-1).fit(X, y)
    path = tmp_path / "focal.txt"
    flgb.save_model(model.booster_, path, model.loss_)
    loaded = lgb.Booster(model_file=path)
    np.testing.assert_allclose(flgb.predict_proba(loaded, X), model.predict_proba(X)[:, 1],
                               rtol=0, atol=1e-15)


def test_converters_and_treelite_read_the_file(tmp_path):
    loss = FocalLoss(2.0, 0.25)
    booster, X = _booster(2, loss)
    path = tmp_path / "focal.txt"
    flgb.save_model(booster, path, loss)
    onnxmltools = pytest.importorskip("onnxmltools")
    from onnxmltools.convert.common.data_types import FloatTensorType

    # onnxmltools reads the objective of the parameters section: it converts the file
    # (as a sigmoid classifier: the plain link; focal_boost.onnx adds the posterior)
    onnxmltools.convert_lightgbm(lgb.Booster(model_file=path), zipmap=False,
                                 initial_types=[("input", FloatTensorType([None, 5]))])
    pytest.importorskip("onnxruntime")
    from focal_boost.onnx import to_onnx

    to_onnx(lgb.Booster(model_file=path))  # the loss from the file


# ------------------------------------------------------------ XGBoost estimator files
@pytest.mark.parametrize("suffix", ["json", "ubj"])
@pytest.mark.parametrize("labels", [np.array(["no", "maybe", "yes"]), np.array([10, 20, 30]),
                                    np.array(["x", "y", "z"], dtype=object)])
def test_xgboost_estimator_save_model_and_load_model(tmp_path, suffix, labels):
    # as XGBClassifier.save_model / load_model: the loaded estimator predicts as the
    # saved one (the loss, labels of their type, feature names and best iteration kept)
    pd = pytest.importorskip("pandas")
    pytest.importorskip("xgboost")
    from focal_boost import FocalXGBClassifier

    X, y = make_classification(400, 4, n_informative=3, n_redundant=0, n_classes=3,
                               random_state=0)
    frame = pd.DataFrame(X, columns=list("pqrs"))
    model = FocalXGBClassifier(gamma=1.5, alpha="balanced", n_estimators=40,
                               early_stopping_rounds=3).fit(frame, labels[y])
    assert model.best_iteration_ < 39
    path = tmp_path / f"model.{suffix}"
    model.save_model(path)
    loaded = FocalXGBClassifier().load_model(path)
    np.testing.assert_array_equal(loaded.classes_, model.classes_)
    assert loaded.classes_.dtype == model.classes_.dtype
    assert loaded.feature_names_in_.tolist() == list("pqrs")
    assert (loaded.gamma, loaded.best_iteration_, loaded.best_score_) == (
        1.5, model.best_iteration_, model.best_score_)
    np.testing.assert_array_equal(loaded.predict_proba(frame), model.predict_proba(frame))
    np.testing.assert_array_equal(loaded.predict(frame), model.predict(frame))
    assert model.booster_.attr("focal_boost_estimator") is None  # saving leaves it as it was
    assert loaded.alpha == "balanced"  # as given: a refit on other rows balances those


def test_xgboost_saved_estimator_keeps_what_shapes_its_predictions(tmp_path):
    # posterior_correction=False and missing=-1 change the probabilities: the loaded
    # estimator keeps them (it gave the corrected posterior, 0.21 away); plain
    # XGBClassifier.load_model refuses the file (it read the margins as probabilities)
    xgb = pytest.importorskip("xgboost")
    from focal_boost import FocalXGBClassifier

    X, y = make_classification(300, 4, random_state=0)
    X[::7, 0] = -1.0
    model = FocalXGBClassifier(alpha=0.25, posterior_correction=False, missing=-1.0,
                               n_estimators=10).fit(X, y)
    model.save_model(tmp_path / "m.json")
    loaded = FocalXGBClassifier().load_model(tmp_path / "m.json")
    assert (loaded.posterior_correction, loaded.missing, loaded.alpha) == (False, -1.0, 0.25)
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
    for path in (tmp_path / "m.json", tmp_path / "booster.json"):
        model.get_booster().save_model(tmp_path / "booster.json")
        with pytest.raises(TypeError, match="focal-loss model.*FocalXGBClassifier"):
            xgb.XGBClassifier().load_model(path)


def test_xgboost_estimator_loads_native_boosters_and_refuses_plain_ones(tmp_path):
    xgb = pytest.importorskip("xgboost")
    from focal_boost import FocalXGBClassifier, focal_loss
    from focal_boost import xgboost as fxgb

    X, y = make_classification(300, 4, n_informative=3, n_redundant=0, n_classes=3,
                               random_state=0)
    booster = fxgb.train({"num_class": 3}, xgb.DMatrix(X, label=y), focal_loss(1.0), 5)
    booster.save_model(tmp_path / "native.json")
    loaded = FocalXGBClassifier().load_model(tmp_path / "native.json")
    assert loaded.classes_.tolist() == [0, 1, 2] and loaded.gamma == 1.0
    np.testing.assert_allclose(loaded.predict_proba(X), fxgb.predict_proba(booster, X))
    xgb.XGBClassifier(n_estimators=3).fit(X, y).save_model(tmp_path / "plain.json")
    with pytest.raises(ValueError, match="holds no focal loss.*XGBClassifier.load_model"):
        FocalXGBClassifier().load_model(tmp_path / "plain.json")
    raw = xgb.XGBClassifier(n_estimators=3).fit(X, y).get_booster().save_raw("json")
    with pytest.raises(ValueError, match="^the model bytes holds no focal loss") as caught:
        FocalXGBClassifier().load_model(raw)  # (the message held all 10k bytes of the model)
    assert len(str(caught.value)) < 500
    model = FocalXGBClassifier(n_estimators=3).fit(X, y)
    model.classes_ = np.array([(1, 2), (3,), None], dtype=object)  # labels JSON cannot keep
    with pytest.raises(TypeError, match="save_model stores labels that are numbers"):
        model.save_model(tmp_path / "tuples.json")


def test_xgboost_training_on_from_a_saved_estimator_drops_its_labels(tmp_path):
    # a model continued from a save_model file carried the old file's labels: its
    # Booster saved natively and loaded again answered 'pos' where it predicts 1 (the
    # labels continued on are the file's, which it records: other labels are refused)
    xgb = pytest.importorskip("xgboost")
    from focal_boost import FocalXGBClassifier

    X, y = make_classification(300, 4, random_state=0)
    labels = np.array(["neg", "pos"])[y]
    FocalXGBClassifier(n_estimators=3).fit(X, labels).save_model(tmp_path / "old.json")
    with pytest.raises(ValueError, match=r"fitted on the classes \['neg', 'pos'\], y has"):
        FocalXGBClassifier(n_estimators=3).fit(X, y, xgb_model=tmp_path / "old.json")
    new = FocalXGBClassifier(n_estimators=3).fit(X, labels, xgb_model=tmp_path / "old.json")
    assert new.booster_.attr("focal_boost_estimator") is None
    new.booster_.save_model(tmp_path / "new.json")
    loaded = FocalXGBClassifier().load_model(tmp_path / "new.json")
    assert loaded.classes_.tolist() == [0, 1]
    # a native early-stopped Booster keeps its best score, as XGBClassifier reads it
    from focal_boost import focal_loss
    from focal_boost import xgboost as fxgb

    dtrain, dvalid = xgb.DMatrix(X[:200], label=y[:200]), xgb.DMatrix(X[200:], label=y[200:])
    booster = fxgb.train({"eta": 0.5}, dtrain, focal_loss(2.0), 100, evals=[(dvalid, "v")],
                         early_stopping_rounds=3, verbose_eval=False)
    booster.save_model(tmp_path / "stopped.json")
    loaded = FocalXGBClassifier().load_model(tmp_path / "stopped.json")
    assert loaded.best_score_ == pytest.approx(float(booster.attr("best_score")))


def test_a_booster_without_its_loss_is_one_error_on_both_adapters():
    """A Booster that holds no loss is the right type with a missing part: the same
    ValueError from either library's predict_proba and from to_onnx (one meaning)."""
    xgb = pytest.importorskip("xgboost")
    from focal_boost import xgboost as fxgb

    X, y = make_classification(200, 4, random_state=0)
    boosters = {
        "xgboost": (fxgb, xgb.train({"objective": "binary:logistic"}, xgb.DMatrix(X, y), 3)),
        "lightgbm": (flgb, lgb.train({"verbose": -1}, lgb.Dataset(X, y), 3)),
    }
    for adapter, booster in boosters.values():
        with pytest.raises(ValueError, match="carries no focal loss.*pass the loss"):
            adapter.predict_proba(booster, X)


def _edited(path, tmp_path, edit, name="edited.json"):
    """A copy of the JSON model at ``path`` with ``edit(attributes)`` applied."""
    import json

    model = json.loads(path.read_text())
    edit(model["learner"]["attributes"])
    out = tmp_path / name
    out.write_text(json.dumps(model))
    return out


def _edit_meta(change):
    import json

    def edit(attributes):
        meta = json.loads(attributes["focal_boost_estimator"])
        change(meta)
        attributes["focal_boost_estimator"] = json.dumps(meta)
    return edit


@pytest.mark.parametrize("stored", ['{"gamma": -1, "alpha": 0.25}', '{gamma: 2',
                                    '{"alpha": 0.25}', "[2, 0.25]",
                                    '{"gamma": 2, "alpha": 1.5}'])
def test_xgboost_file_with_an_edited_loss_is_refused_by_name(tmp_path, stored):
    # It said "holds no focal loss ... loads with XGBClassifier.load_model" (a file that
    # holds one), or KeyError / TypeError / JSONDecodeError from inside.
    xgb = pytest.importorskip("xgboost")
    from focal_boost import FocalXGBClassifier
    from focal_boost import xgboost as fxgb

    X, y = make_classification(200, 4, random_state=0)
    FocalXGBClassifier(n_estimators=3, alpha=0.25).fit(X, y).save_model(tmp_path / "m.json")
    path = _edited(tmp_path / "m.json", tmp_path,
                   lambda attributes: attributes.update(focal_boost_loss=stored))
    with pytest.raises(ValueError, match=r"^.*edited\.json: the booster's attribute "
                       r"focal_boost_loss=.*edited or damaged"):
        FocalXGBClassifier().load_model(path)
    with pytest.raises(ValueError, match="focal_boost_loss=.*edited or damaged"):
        fxgb.predict_proba(xgb.Booster(model_file=path), X)
    with pytest.raises(ValueError, match="focal_boost_loss=.*edited or damaged"):
        FocalXGBClassifier(n_estimators=2).fit(X, y, xgb_model=path)


@pytest.mark.parametrize("n_classes, alpha, change", [
    (3, None, lambda meta: meta.update(classes=[0, 1])),  # 3 classes' trees: predict failed
    (2, None, lambda meta: meta.update(classes=[0, 1, 2])),
    (3, None, lambda meta: meta.pop("classes")),
    (3, None, lambda meta: meta.update(classes="012")),
    (3, None, lambda meta: meta.update(params=[1])),
    (3, None, lambda meta: meta["params"].update(posterior_correction="no")),  # was true
    (2, 0.25, lambda meta: meta["params"].update(alpha=0.9)),  # get_params 0.9, loss 0.25
    (2, 0.25, lambda meta: meta["params"].update(alpha=[0.9, 0.1])),  # never saved so
    (2, None, lambda meta: meta["params"].update(alpha="balanced")),  # the loss has none
])
def test_xgboost_file_with_edited_estimator_metadata_is_refused_by_name(tmp_path, n_classes,
                                                                         alpha, change):
    pytest.importorskip("xgboost")
    from focal_boost import FocalXGBClassifier

    X, y = make_classification(300, 5, n_informative=3, n_classes=n_classes, random_state=0)
    FocalXGBClassifier(n_estimators=3, alpha=alpha).fit(X, y).save_model(tmp_path / "m.json")
    path = _edited(tmp_path / "m.json", tmp_path, _edit_meta(change))
    with pytest.raises(ValueError, match=r"edited\.json: .*edited or damaged"):
        FocalXGBClassifier().load_model(path)
    loaded = FocalXGBClassifier().load_model(tmp_path / "m.json")  # the file as saved
    assert loaded.predict_proba(X).shape == (300, n_classes)


def test_xgboost_model_bytes_load_and_continue_as_a_bytearray_does(tmp_path):
    # XGBoost reads a bytearray as a model and bytes not at all ("Unknown type: b'{...")
    xgb = pytest.importorskip("xgboost")
    from focal_boost import FocalXGBClassifier, focal_loss
    from focal_boost import xgboost as fxgb

    X, y = make_classification(200, 4, random_state=0)
    model = FocalXGBClassifier(n_estimators=3).fit(X, y)
    model.save_model(tmp_path / "m.json")
    raw = (tmp_path / "m.json").read_bytes()
    np.testing.assert_array_equal(FocalXGBClassifier().load_model(raw).predict_proba(X),
                                  model.predict_proba(X))
    booster = fxgb.train({}, xgb.DMatrix(X, label=y), focal_loss(2.0), 2, xgb_model=raw)
    again = fxgb.train({}, xgb.DMatrix(X, label=y), focal_loss(2.0), 2,
                       xgb_model=bytearray(raw))
    assert booster.num_boosted_rounds() == again.num_boosted_rounds() == 5
    np.testing.assert_array_equal(fxgb.predict_margin(booster, X),
                                  fxgb.predict_margin(again, X))
    assert FocalXGBClassifier(n_estimators=2).fit(X, y, xgb_model=raw).booster_ \
        .num_boosted_rounds() == 5


@pytest.mark.parametrize("line", ["[focal_loss: gamma= alpha=0.25]",
                                  "[focal_loss: gamma=abc alpha=0.25]",
                                  "[focal_loss: gamma=2.0 alpha=,]",
                                  "[focal_loss: gamma=2.0 alpha=0.25 beta=1]",
                                  "[focal_loss: gamma=0.0 alpha=None]\n"
                                  "[focal_loss: gamma=2.0 alpha=0.25]"])
def test_lightgbm_file_with_an_edited_loss_line_is_refused_by_name(tmp_path, line):
    # A second line was ignored (the first, gamma 0, gave other probabilities); a
    # malformed one read as "carries no focal loss", or "could not convert string".
    booster, X = _booster(2, FocalLoss(2.0, 0.25))
    flgb.save_model(booster, tmp_path / "m.txt", FocalLoss(2.0, 0.25))
    text = (tmp_path / "m.txt").read_text()
    text = text.replace("[focal_loss: gamma=2.0 alpha=0.25]", line)
    (tmp_path / "edited.txt").write_text(text)
    loaded = lgb.Booster(model_file=tmp_path / "edited.txt")
    with pytest.raises(ValueError, match="loss line .*edited or damaged"):
        flgb.predict_proba(loaded, X)
    with pytest.raises(ValueError, match="loss line .*edited or damaged"):
        flgb.stored_loss(loaded)


def test_xgboost_multilabel_estimator_file_loads_past_the_metadata_check(tmp_path):
    # three labels' trees, classes [0, 1]: the check of classes against the trees
    # counts outputs per label there
    pytest.importorskip("xgboost")
    from focal_boost import FocalXGBClassifier

    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 4))
    Y = (X[:, :3] + rng.normal(size=(300, 3)) > 0).astype(int)
    model = FocalXGBClassifier(n_estimators=3).fit(X, Y)
    model.save_model(tmp_path / "m.json")
    loaded = FocalXGBClassifier().load_model(tmp_path / "m.json")
    assert loaded.n_outputs_ == 3 and loaded.classes_.tolist() == [0, 1]
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
    path = _edited(tmp_path / "m.json", tmp_path, _edit_meta(lambda m: m.update(n_outputs=2)))
    with pytest.raises(ValueError, match="n_outputs=2 for trees of 3 output"):
        FocalXGBClassifier().load_model(path)


def test_a_model_text_without_a_parameters_section_gets_one_for_its_loss(tmp_path):
    # (an edited file): the loss line went nowhere, without a word, and the saved model
    # then "held no loss"
    X, y = make_classification(200, 3, n_informative=2, n_redundant=0, random_state=0)
    loss = FocalLoss(2.0, 0.25)
    booster = flgb.train({"verbose": -1}, lgb.Dataset(X, y), loss, 3)
    text = re.sub(r"\nparameters:\n.*?end of parameters\n", "\n", booster.model_to_string(),
                  flags=re.S)
    assert "parameters:" not in text
    path = tmp_path / "model.txt"
    flgb.save_model(lgb.Booster(model_str=text), path, loss)
    again = lgb.Booster(model_file=path)
    assert flgb.stored_loss(again) == loss
    np.testing.assert_array_equal(flgb.predict_proba(again, X),
                                  flgb.predict_proba(booster, X, loss))


def test_xgboost_loaded_linear_model_keeps_its_booster(tmp_path):
    # load_model sets booster to the saved model's kind, as XGBClassifier.load_model does:
    # a refit of the loaded estimator trains gblinear again (it trained trees)
    xgb = pytest.importorskip("xgboost")
    from focal_boost import FocalXGBClassifier

    X, y = make_classification(300, 4, random_state=0)
    FocalXGBClassifier(booster="gblinear", n_estimators=5).fit(X, y).save_model(
        tmp_path / "m.json")
    plain = xgb.XGBClassifier(booster="gblinear", n_estimators=5).fit(X, y)
    plain.save_model(tmp_path / "plain.json")
    plain_loaded = xgb.XGBClassifier()
    plain_loaded.load_model(tmp_path / "plain.json")
    loaded = FocalXGBClassifier().load_model(tmp_path / "m.json")
    assert loaded.get_params()["booster"] == plain_loaded.get_params()["booster"] == "gblinear"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        refit = loaded.fit(X, y)
    assert refit.coef_.shape == (4,)


def test_lightgbm_file_read_with_its_loss_spelled_otherwise_does_not_warn(tmp_path):
    # the same loss: alpha=0.25 as weights [0.75, 0.25], another Hessian
    loss = FocalLoss(2.0, 0.25)
    booster, X = _booster(2, loss)
    path = tmp_path / "focal.txt"
    flgb.save_model(booster, path, loss)
    loaded = lgb.Booster(model_file=path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for same in (FocalLoss(2.0, [0.75, 0.25]), FocalLoss(2.0, 0.25, hessian="fisher")):
            np.testing.assert_array_equal(flgb.predict_proba(loaded, X, same),
                                          flgb.predict_proba(loaded, X))


def test_xgboost_load_model_drops_the_feature_names_of_the_model_it_replaces(tmp_path):
    # a fitted estimator that loads a model fitted on arrays has no feature names, as
    # XGBClassifier.load_model (the stale names warned at every predict on arrays)
    pd = pytest.importorskip("pandas")
    xgb = pytest.importorskip("xgboost")
    from focal_boost import FocalXGBClassifier

    X, y = make_classification(300, 4, random_state=0)
    frame = pd.DataFrame(X, columns=list("pqrs"))
    FocalXGBClassifier(n_estimators=3).fit(X, y).save_model(tmp_path / "arrays.json")
    loaded = FocalXGBClassifier(n_estimators=3).fit(frame, y).load_model(
        tmp_path / "arrays.json")
    xgb.XGBClassifier(n_estimators=3).fit(X, y).save_model(tmp_path / "plain.json")
    plain = xgb.XGBClassifier(n_estimators=3).fit(frame, y)
    plain.load_model(tmp_path / "plain.json")
    assert not hasattr(loaded, "feature_names_in_")
    assert not hasattr(plain, "feature_names_in_")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loaded.predict_proba(X)


def test_xgboost_native_model_of_columns_named_f0_f1_keeps_their_names(tmp_path):
    # a native Booster trained on a DataFrame of columns f0, f1, ... loaded with names
    # None, and predict read swapped columns by position; XGBClassifier keeps the names
    # and refuses them
    pd = pytest.importorskip("pandas")
    xgb = pytest.importorskip("xgboost")
    from focal_boost import FocalXGBClassifier, focal_loss
    from focal_boost import xgboost as fxgb

    X, y = make_classification(300, 3, n_informative=2, n_redundant=0, random_state=0)
    frame = pd.DataFrame(X, columns=["f0", "f1", "f2"])
    fxgb.train({}, xgb.DMatrix(frame, label=y), focal_loss(2.0), 3).save_model(
        tmp_path / "focal.json")
    xgb.train({"objective": "binary:logistic"}, xgb.DMatrix(frame, label=y), 3).save_model(
        tmp_path / "plain.json")
    ours = FocalXGBClassifier().load_model(tmp_path / "focal.json")
    plain = xgb.XGBClassifier()
    plain.load_model(tmp_path / "plain.json")
    assert list(ours.feature_names_in_) == list(plain.feature_names_in_) == ["f0", "f1", "f2"]
    swapped = frame[["f1", "f0", "f2"]]
    with pytest.raises(ValueError, match="feature_names mismatch"):
        plain.predict_proba(swapped)
    with pytest.raises(ValueError, match="feature names"):
        ours.predict_proba(swapped)
    with pytest.warns(UserWarning, match="X does not have valid feature names"):
        by_position = ours.predict_proba(X)  # (scikit-learn's warning, as after a fit)
    np.testing.assert_array_equal(ours.predict_proba(frame), by_position)


def test_xgboost_load_model_into_a_fitted_estimator_drops_its_evaluation_history(tmp_path):
    # the history was the replaced model's: load_model keeps none (evals_result_ is not
    # saved), where the old fit's history stayed
    pytest.importorskip("xgboost")
    from focal_boost import FocalXGBClassifier

    X, y = make_classification(300, 4, random_state=0)
    FocalXGBClassifier(n_estimators=3).fit(X, y).save_model(tmp_path / "m.json")
    fitted = FocalXGBClassifier(n_estimators=3).fit(X, y, eval_set=[(X, y)])
    assert fitted.evals_result_
    assert fitted.load_model(tmp_path / "m.json").evals_result() == {}


def test_xgboost_multilabel_file_with_other_classes_is_refused(tmp_path):
    # a label matrix's model holds classes [0, 1]; a file edited to three classes is
    # refused by name, as the binary and multiclass files are
    import json

    pytest.importorskip("xgboost")
    from focal_boost import FocalXGBClassifier

    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 4))
    Y = (X[:, :3] + rng.normal(size=(200, 3)) > 0).astype(int)
    FocalXGBClassifier(n_estimators=2).fit(X, Y).save_model(tmp_path / "m.json")
    meta = json.loads(json.loads((tmp_path / "m.json").read_text())
                      ["learner"]["attributes"]["focal_boost_estimator"])
    assert meta["classes"] == [0, 1] and meta["n_outputs"] == 3
    path = _edited(tmp_path / "m.json", tmp_path,
                   _edit_meta(lambda meta: meta.update(classes=[0, 1, 2])))
    with pytest.raises(ValueError, match=r"edited\.json: .*3 classes and n_outputs=3 for "
                                         r"trees of 3 output\(s\).*edited or damaged"):
        FocalXGBClassifier().load_model(path)


def test_xgboost_estimator_saved_from_threads_at_once_keeps_its_classes(tmp_path):
    # save_model set the estimator's attribute on the fitted booster, saved, and cleared
    # it: another thread's clear came between (about a quarter of the files of 4 threads'
    # saves loaded with classes [0 1])
    from concurrent.futures import ThreadPoolExecutor

    pytest.importorskip("xgboost")
    from focal_boost import FocalXGBClassifier

    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 4))
    model = FocalXGBClassifier(n_estimators=3, n_jobs=1).fit(X, rng.choice(["cat", "dog"], 300))
    paths = [tmp_path / f"m{i}.json" for i in range(80)]
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(model.save_model, paths))
    assert [FocalXGBClassifier().load_model(p).classes_.tolist() for p in paths] == [
        ["cat", "dog"]] * len(paths)
    assert model.booster_.attr("focal_boost_estimator") is None
