"""SHAP on focal models: TreeExplainer's values are additive in margin space, and
a model-agnostic explainer on predict_proba is additive in probability space."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("xgboost")
pytest.importorskip("lightgbm")
pytest.importorskip("sklearn")
shap = pytest.importorskip("shap")

from conftest import raw_margins  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402

from focal_boost import FocalLGBMClassifier, FocalXGBClassifier  # noqa: E402


def _estimator(library, **kwargs):
    if library == "xgboost":
        return FocalXGBClassifier(max_depth=3, **kwargs)
    return FocalLGBMClassifier(num_leaves=8, verbose=-1, **kwargs)


@pytest.mark.parametrize("library", ["xgboost", "lightgbm"])
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("early_stopping", [False, True])
def test_tree_explainer_is_additive_in_margin_space(library, n_classes, early_stopping):
    X, y = make_classification(500, 5, n_informative=3, n_classes=n_classes, flip_y=0.2,
                               random_state=0)
    kwargs = {"n_estimators": 300, "early_stopping_rounds": 3} if early_stopping else {
        "n_estimators": 20}
    model = _estimator(library, gamma=2.0, alpha="balanced", **kwargs).fit(X, y)
    if early_stopping:
        assert model.best_iteration_ + 1 < 300  # SHAP explains only the rounds used
    explainer = shap.TreeExplainer(model.booster_)
    values = np.asarray(explainer.shap_values(X[:60]))
    expected = np.asarray(explainer.expected_value)
    margin = raw_margins(model, X[:60])
    assert values.shape == (60, 5) if n_classes == 2 else (60, 5, n_classes)
    # XGBoost sums float32 leaves; LightGBM float64 ones
    tol = 1e-5 if library == "xgboost" else 1e-10
    np.testing.assert_allclose(values.sum(axis=1) + expected, margin, atol=tol)


@pytest.mark.parametrize("library", ["xgboost", "lightgbm"])
def test_probability_space_attributions_through_predict_proba(library):
    X, y = make_classification(300, 3, n_informative=2, n_redundant=0, random_state=0)
    model = _estimator(library, gamma=2.0, n_estimators=20).fit(X, y)
    masker = shap.maskers.Independent(X[:20])
    explainer = shap.Explainer(lambda rows: model.predict_proba(rows)[:, 1], masker,
                               algorithm="exact")
    explanation = explainer(X[:5])
    total = explanation.values.sum(axis=1) + explanation.base_values
    np.testing.assert_allclose(total, model.predict_proba(X[:5])[:, 1], atol=1e-10)
    # the base value is the mean posterior over the background rows
    np.testing.assert_allclose(explanation.base_values,
                               model.predict_proba(X[:20])[:, 1].mean(), atol=1e-10)


@pytest.mark.parametrize("library", ["xgboost", "lightgbm"])
def test_probability_output_refuses_focal_models_in_memory_and_in_files(library, tmp_path):
    # a file of focal_boost.lightgbm.save_model named its link "binary", which SHAP read
    # as LightGBM's log-loss objective: the sigmoid of the margin as "probabilities",
    # 0.19 off predict_proba, without an error
    import lightgbm as lgb
    import xgboost as xgb

    from focal_boost import lightgbm as flgb

    X, y = make_classification(300, 5, random_state=0)
    model = _estimator(library, gamma=2.0, n_estimators=10).fit(X, y)
    path = tmp_path / ("focal.json" if library == "xgboost" else "focal.txt")
    if library == "xgboost":
        model.save_model(path)
        loaded = xgb.Booster(model_file=str(path))
    else:
        flgb.save_model(model.booster_, path, model.loss_)
        loaded = lgb.Booster(model_file=str(path))
    for booster in (model.booster_, loaded):
        with pytest.raises(Exception, match="known objective|not yet supported"):
            shap.TreeExplainer(booster, X[:50], model_output="probability").shap_values(X[:3])
    # margin space still works on the file
    explainer = shap.TreeExplainer(loaded)
    total = np.asarray(explainer.shap_values(X[:5])).sum(axis=1) + explainer.expected_value
    np.testing.assert_allclose(total, raw_margins(model, X[:5]), atol=1e-5)


def test_background_data_on_multiclass_xgboost_adds_up_for_class_0_only():
    """With a background sample (interventional TreeExplainer), SHAP 0.51 reads only the
    first of a multiclass XGBoost booster's per-class base_score, so the other classes
    are off by its differences: for the plain XGBClassifier too, and more for a focal
    model's per-class start margin; SHAP 0.54 reads each class's (with XGBoost 3.2 and
    3.4 alike). init_score=None (a start of 0 for every class) adds up exactly, as the
    README says; the default mode (no data) does for every start."""
    import xgboost as xgb
    from packaging.version import Version

    X, y = make_classification(500, 6, n_informative=4, n_classes=3, random_state=0)

    def errors(model):
        explainer = shap.TreeExplainer(model.get_booster(), data=X[:50])
        total = explainer.shap_values(X[:20]).sum(axis=1) + explainer.expected_value
        return np.abs(total - model.predict(X[:20], output_margin=True)).max(axis=0)

    plain = xgb.XGBClassifier(n_estimators=20, max_depth=3).fit(X, y)
    assert errors(plain)[0] < 1e-5
    first_only = errors(plain)[1:].max() > 1e-3  # SHAP's reading, of the plain model too
    version = Version(shap.__version__)
    if version < Version("0.52"):  # (0.52 and 0.53 not tried)
        assert first_only
    if version >= Version("0.54"):
        assert not first_only
    start = FocalXGBClassifier(n_estimators=20, max_depth=3, init_score=[0.5, -0.3, -0.2])
    np.testing.assert_allclose(errors(start.fit(X, y)), [0, 0.8, 0.7] if first_only else 0,
                               atol=1e-5)
    zero = FocalXGBClassifier(n_estimators=20, max_depth=3, init_score=None).fit(X, y)
    np.testing.assert_allclose(errors(zero), 0, atol=1e-5)
