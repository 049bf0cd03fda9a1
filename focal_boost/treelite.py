"""Treelite models of focal models: the library's margins, the posterior after them.

:func:`to_treelite` imports a fitted :class:`~focal_boost.FocalXGBClassifier` /
:class:`~focal_boost.FocalLGBMClassifier` or a native booster into a ``treelite.Model``
(the rounds predictions use: up to the best iteration where early stopping set it);
:func:`predict_margin` runs it with Treelite's ``gtil.predict(..., pred_margin=True)``
and :func:`predict_proba` applies the posterior correction of the focal loss
(``loss.predict_proba``) after it, or what the estimator's ``predict_proba`` applies
when given the estimator. Treelite knows the libraries' links, not the focal
posterior, so probabilities always come from the margins.

XGBoost models are imported as they are (``treelite.frontend.from_xgboost``). LightGBM
models are read from their text; Treelite needs an ``objective=multiclass`` header line
for a multiclass model, which focal_boost's files leave out (plain LightGBM would apply
the softmax), so a multiclass model is imported from a copy of its text that has it:
the margins do not depend on it.

Needs ``treelite`` (the extra ``focal-boost[treelite]``).
"""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np

from focal_boost._loss import FocalLoss
from focal_boost._validation import category_codes

__all__ = ["predict_margin", "predict_proba", "to_treelite"]


def to_treelite(model: Any):
    """A ``treelite.Model`` of a fitted focal estimator or a native XGBoost / LightGBM
    booster: the rounds its predictions use, margins with the intercept included.

    Parameters
    ----------
    model : FocalXGBClassifier, FocalLGBMClassifier, xgboost.Booster or lightgbm.Booster
        A fitted estimator (its best iteration's rounds, its column names), or a
        booster of ``focal_boost.xgboost.train`` / ``focal_boost.lightgbm.train``.

    Returns
    -------
    treelite.Model
        Its margins (:func:`predict_margin`) are the model's raw margins; its
        probabilities are :func:`predict_proba`'s.
    """
    try:
        import treelite
    except ImportError as exc:
        raise ImportError("to_treelite needs Treelite: pip install 'focal-boost[treelite]' "
                          f"({exc})") from exc

    from focal_boost.estimators import (
        FocalLGBMClassifier,
        FocalXGBClassifier,
        check_missing_is_nan,
    )

    rounds = names = None
    if isinstance(model, (FocalXGBClassifier, FocalLGBMClassifier)):
        if not hasattr(model, "booster_"):
            raise ValueError(f"this {type(model).__name__} is not fitted yet: call fit first")
    check_missing_is_nan(model, "Treelite")
    if isinstance(model, (FocalXGBClassifier, FocalLGBMClassifier)):
        rounds = model.best_iteration_ + 1
        names = getattr(model, "feature_names_in_", None)
        model = model.booster_
    module = type(model).__module__.split(".")[0]
    if module == "xgboost" and type(model).__name__ == "Booster":
        from focal_boost.xgboost import booster_type, has_dropout_weights, has_vector_leaves

        if booster_type(model) == "gblinear":  # before slicing it, which gblinear refuses
            raise NotImplementedError(
                "XGBoost 'gblinear' models are not imported by Treelite, which reads "
                "trees (gblinear has none): predict with the model itself")
        best = model.attr("best_iteration")
        rounds = rounds or (int(best) + 1 if best is not None else None)
        if rounds is not None and model.num_boosted_rounds() > 0:  # (XGBoost refuses
            model = model[:rounds]                                   # an empty slice)
        names = model.feature_names if names is None else names
        # without XGBoost's category encoder (of a model fitted on pandas categories),
        # which Treelite 4.8 cannot read ("category_container.enc.empty()"); the splits
        # hold the training categories' codes, which the rows must hold. XGBoost 3.2
        # left it out of a slice, 3.4 keeps it there.
        raw = json.loads(model.save_raw("json"))
        if (model.num_boosted_rounds() == 0
                and int(raw["learner"]["learner_model_param"]["num_class"]) > 1):
            raise ValueError(  # (Treelite's own check fails on it, deep inside)
                "the multiclass model has no trees (0 boosting rounds, e.g. "
                "n_estimators=0): it predicts its constant start, which predict_proba "
                "gives; train at least one round to import it")
        booster = raw["learner"]["gradient_booster"]
        for trees in (booster.get("model"), booster.get("gbtree", {}).get("model")):  # dart
            if trees is None:
                continue
            trees.pop("cats", None)
            # XGBoost 3.4 trains dropout (rate_drop > 0) with vector leaves, whose
            # dropout weights Treelite 4.8 misreads: margins 0.2 off, without a word
            if has_dropout_weights(trees) and has_vector_leaves(trees):
                raise NotImplementedError(
                    "XGBoost models with vector leaves (multi_strategy='multi_output_tree') "
                    "whose trees carry dropout weights (rate_drop > 0, booster='dart') are "
                    "not imported into Treelite, which reads those weights wrong; train "
                    "with multi_strategy='one_output_per_tree' (the default) or without "
                    "dropout")
        return _from(treelite.frontend.from_xgboost_json(json.dumps(raw)), "xgboost", names)
    if module == "lightgbm" and type(model).__name__ == "Booster":
        if rounds is None and model.best_iteration > 0:
            rounds = model.best_iteration
        text = model.model_to_string(num_iteration=rounds or -1)
        k = model.num_model_per_iteration()
        if k > 1:
            text = re.sub(r"^objective=.*\n", "", text, flags=re.M)
            text = re.sub(r"^(num_tree_per_iteration=.*)$",
                          rf"\1\nobjective=multiclass num_class:{k}", text, count=1,
                          flags=re.M)
        import lightgbm as lgb

        from focal_boost import lightgbm as flgb

        if flgb.has_linear_trees(text):  # (Treelite's own check says less)
            raise NotImplementedError(
                "LightGBM models with linear trees are not imported by Treelite, which "
                "reads constant leaves: predict with the model itself, or train with "
                "linear_tree=False")
        # Treelite compares a value itself, LightGBM reads one near 0 as 0
        text = flgb.rewrite_thresholds(text, flgb.zero_band)
        # (a bare LightGBM Booster reads a frame's columns by position, as its predict)
        imported = _from(treelite.frontend.from_lightgbm(lgb.Booster(model_str=text)),
                         "lightgbm", names)
        # the category sets of a DataFrame's category columns, by which LightGBM codes
        # them (the model reads codes; Treelite does not keep the sets)
        imported.focal_boost_categories = model.pandas_categorical
        return imported
    raise TypeError(
        "model must be a fitted FocalXGBClassifier or FocalLGBMClassifier, an "
        f"xgboost.Booster or a lightgbm.Booster, got {type(model).__name__}"
    )


def _from(model, library: str, names=None):
    """``model`` marked with the library it came from, which says how its absent
    sparse entries read (XGBoost: missing, as Treelite reads them; LightGBM: 0), and
    the feature names a DataFrame's columns must match (None: by position)."""
    model.focal_boost_library = library
    model.focal_boost_feature_names = None if names is None else [str(n) for n in names]
    return model


def _rows(model, X, dtype):
    """X as Treelite reads it: a dense array, or for sparse X a CSR matrix where the
    library also takes absent entries as missing (XGBoost) and dense rows where it takes
    them as 0 (LightGBM). A DataFrame's category columns become the codes LightGBM's
    model was trained on, as ``Booster.predict`` codes them (unknown categories
    missing)."""
    if hasattr(X, "dtypes") and hasattr(X, "columns") and hasattr(X, "iloc"):
        return _frame_rows(model, X, dtype)
    if not hasattr(X, "tocsr"):
        return np.asarray(X, dtype=dtype)
    library = getattr(model, "focal_boost_library", None)
    if library == "xgboost":
        import scipy.sparse

        return scipy.sparse.csr_matrix(X, dtype=dtype)
    if library == "lightgbm":
        return X.toarray().astype(dtype, copy=False)
    raise TypeError("sparse X needs to know how the model's library reads absent entries "
                    "(XGBoost: missing, LightGBM: 0); pass a model made by to_treelite, or "
                    "dense rows")


def _frame_rows(model, X, dtype) -> np.ndarray:
    """A pandas DataFrame as the array LightGBM's ``predict`` reads from it."""
    import pandas as pd

    from focal_boost.estimators import check_frame_dtypes, string_columns

    names = getattr(model, "focal_boost_feature_names", None)
    X = string_columns(X, names)  # (names that are not strings as the estimators read them)
    if names is not None and list(X.columns) != names:
        # Treelite reads columns by position: another order would score other features,
        # where the estimators and XGBoost refuse it
        order = ("in another order" if sorted(X.columns) == sorted(names)
                 else "other than the model's")
        if names == [f"f{i}" for i in range(len(names))]:  # XGBoost's own names
            how = ("the model names its features f0, f1, ... (as the estimators name them "
                   "where XGBoost refuses the column names): pass X.to_numpy() to read the "
                   "columns by position, in the training order")
        else:
            how = (f"the model was trained on {names[:10]}"
                   f"{' ...' if len(names) > 10 else ''}: pass X[names] in that order")
        raise ValueError(f"X's columns are {order}; {how}")
    categorical = [c for c in X.columns if isinstance(X[c].dtype, pd.CategoricalDtype)]
    categories = getattr(model, "focal_boost_categories", None) or []
    if categorical:
        if len(categories) != len(categorical):
            library = getattr(model, "focal_boost_library", None)
            where = ("a model not made by to_treelite (it keeps no category sets)"
                     if library is None else "an XGBoost model" if library == "xgboost"
                     else f"the model ({len(categories)} category columns in training)")
            raise TypeError(
                f"X has category columns {categorical}, which {where} cannot code as "
                "trained; pass the rows as numbers (the training categories' codes)")
        X = X.copy()
        for column, known in zip(categorical, categories, strict=True):
            # the training categories' codes; an unknown or missing value NaN
            X[column] = category_codes(X[column].cat.set_categories(known))
    check_frame_dtypes(X)  # text columns: refused as by the estimators
    return X.to_numpy(dtype=dtype, na_value=np.nan)


def _is_multilabel(model) -> bool:
    """Whether a ``treelite.Model`` has several targets (a multi-label model)."""
    return int(np.asarray(model.get_header_accessor().get_field("num_target"))[0]) > 1


def predict_margin(model, X) -> np.ndarray:
    """Raw margins of a ``treelite.Model`` from :func:`to_treelite`.

    Parameters
    ----------
    model : treelite.Model
        From :func:`to_treelite`.
    X : array-like or DataFrame
        Rows with the model's features (a DataFrame's columns as in training).

    Returns
    -------
    ndarray of float64
        Shape (n,) for a binary model, (n, n_classes) for a multiclass one,
        (n, n_labels) for a multi-label one; also for X without rows.
    """
    import treelite.gtil

    X = _rows(model, X, np.float64 if model.input_type == "float64" else np.float32)
    out = np.asarray(treelite.gtil.predict(model, X, pred_margin=True), dtype=np.float64)
    out = out.reshape(out.shape[0], int(np.prod(out.shape[1:])))  # (n, targets x classes)
    return out[:, 0] if out.shape[1] == 1 else out


def predict_proba(model, X, loss: Any) -> np.ndarray:
    """Probabilities of a ``treelite.Model`` from :func:`to_treelite`.

    Parameters
    ----------
    model : treelite.Model
        From :func:`to_treelite`.
    X : array-like or DataFrame
        As in :func:`predict_margin`.
    loss : FocalLoss, FocalXGBClassifier or FocalLGBMClassifier
        The :class:`~focal_boost.FocalLoss` the booster was trained with (the class
        posterior: ``loss.predict_proba(predict_margin(model, X))``), or the fitted
        focal estimator the model was made from: then its ``loss_``, and the plain
        sigmoid / softmax where it has ``posterior_correction=False``, as its
        ``predict_proba``.

    Returns
    -------
    ndarray of float64
        Shape (n,) (P(class 1)) for a binary model, (n, n_classes) for a multiclass
        one, and each label's P(1), shape (n, n_labels), for a multi-label one.
    """
    from focal_boost.estimators import FocalLGBMClassifier, FocalXGBClassifier

    correct = True
    if isinstance(loss, (FocalXGBClassifier, FocalLGBMClassifier)):
        if not hasattr(loss, "loss_"):
            raise ValueError(f"this {type(loss).__name__} is not fitted yet: call fit first")
        loss, correct = loss.loss_, loss.posterior_correction
    if not isinstance(loss, FocalLoss):
        raise TypeError("loss must be a FocalLoss or a fitted FocalXGBClassifier / "
                        f"FocalLGBMClassifier, got {type(loss).__name__}")
    margin, multilabel = predict_margin(model, X), _is_multilabel(model)
    if correct:
        return loss.predict_proba(margin, multilabel=multilabel)
    return loss.inverse_link(margin, multilabel=multilabel)
