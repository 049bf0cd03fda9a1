"""Native model files: what a LightGBM file written by focal_boost says, and what
plain LightGBM, converters and Treelite make of it."""

from __future__ import annotations

import re

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
    link = "binary" if n_classes == 2 else "multiclass"
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
    with pytest.raises(TypeError, match="carries no focal loss"):
        flgb.predict_proba(booster, X)


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
