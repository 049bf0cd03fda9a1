"""What the core knows of the boosting libraries' calling conventions.

This is the one place in the core that knows XGBoost and LightGBM, and it imports
neither: their training data is recognised by duck typing, and the library by the
module its type is defined in.

- Training data (``xgboost.DMatrix``, ``lightgbm.Dataset``): an object with
  callable ``get_label`` and ``get_weight`` (:func:`is_training_data`); its
  labels and row weights (:func:`labels_weights`; XGBoost reports "no weights"
  as an empty array, LightGBM as None).
- Both keep gradients in float32 (XGBoost's gradient pairs, LightGBM's score_t):
  the adapters ask the loss for float32 outputs (:func:`gradient_output`), which
  the libraries take without a copy.
- The softmax Hessian scale of each library's own multiclass objective
  (:func:`softmax_hessian_scale`): XGBoost's ``multi:softprob`` hands the booster
  ``2 p (1 - p)``, LightGBM's ``multiclass`` ``k / (k - 1) p (1 - p)``. The
  adapters scale the focal softmax Hessian the same way, so that the learning
  rate means what it means there and ``gamma = 0`` is that model.
- Continued training (``xgb_model`` / ``init_model``) of a model trained on another
  loss: both adapters read what the model was trained on, and warn the same way
  (:func:`warn_continued_loss`).

Imports numpy, and the class-weight rule of :mod:`focal_boost._validation`.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Sequence

import numpy as np

from focal_boost._validation import class_weight

__all__ = ["LIBRARIES", "is_training_data", "library_of", "labels_weights", "row_weights",
           "softmax_hessian_scale", "gradient_output", "declared_loss",
           "warn_continued_loss", "warn_given_loss", "check_booster", "caller_level"]

LIBRARIES = ("xgboost", "lightgbm")


def is_training_data(obj) -> bool:
    """Whether ``obj`` is a library's training data (an object with ``get_label`` and
    ``get_weight``, as ``xgboost.DMatrix`` and ``lightgbm.Dataset``)."""
    return not isinstance(obj, np.ndarray) and all(
        callable(getattr(obj, name, None)) for name in ("get_label", "get_weight")
    )


def library_of(data) -> str | None:
    """``"xgboost"`` or ``"lightgbm"``: the library ``data``'s type comes from (also a
    subclass of a library's type: a user's DMatrix subclass); else None."""
    for kind in type(data).__mro__:
        library = kind.__module__.partition(".")[0]
        if library in LIBRARIES:
            return library
    return None


def check_booster(booster, booster_class: type, expected: str, accessor: str) -> None:
    """Refuse anything but a ``booster_class`` (``expected``, as the message names it),
    saying what to do with a fitted estimator: ``accessor`` hands out its booster."""
    if not isinstance(booster, booster_class):
        kind = type(booster)
        library = library_of(booster)  # (named: both libraries have a Booster)
        name = kind.__name__ if library is None else f"{library}.{kind.__name__}"
        hint = ""
        # a fix only for the expected library's objects (the other's booster is refused
        # too); the class's attributes: lgb.cv's CVBooster hands any name on to its
        # boosters, an estimator of the other library has no such accessor
        expected_library = booster_class.__module__.partition(".")[0]
        own = str(getattr(kind, "_LIBRARY", "")).lower()  # focal_boost's estimators
        if expected_library in (library, own):
            if hasattr(kind, "predict_proba"):
                hint = f": call its own predict_proba(X), or pass its {accessor}"
            elif isinstance(getattr(booster, "boosters", None), list):
                hint = ": pass one of its boosters (cvbooster.boosters[i]), one per fold"
        raise TypeError(f"booster must be {expected}, got {name}{hint}")


def labels_weights(data) -> tuple[np.ndarray, np.ndarray | None]:
    """Labels and row weights of training data (None: no weights).

    Raises ValueError when ``data`` has no labels.
    """
    labels = data.get_label()
    if labels is None or (np.size(labels) == 0 and _n_rows(data) != 0):
        raise ValueError(f"the {type(data).__name__} passed to the loss has no labels")
    return labels, row_weights(data)


def row_weights(data) -> np.ndarray | None:
    """Row weights of training data; None when it has none (XGBoost reports that as an
    empty array, LightGBM as None)."""
    weights = data.get_weight()
    return None if weights is None or np.size(weights) == 0 else weights


def _n_rows(data) -> int | None:
    """Rows of an XGBoost DMatrix or a LightGBM Dataset (None: not known). A DMatrix
    without rows returns no labels, as one without labels does."""
    for method in ("num_row", "num_data"):
        try:
            return int(getattr(data, method)())
        except Exception:  # another kind of data, or a Dataset not built yet
            continue
    return None


def softmax_hessian_scale(library: str, k: int) -> float:
    """The factor ``library``'s own ``k``-class softmax objective puts on ``p (1 - p)``.

    ``"xgboost"`` (``multi:softprob``): 2.0, whatever ``k``. ``"lightgbm"``
    (``multiclass``): ``k / (k - 1)``, for ``k >= 2``.
    """
    if library == "xgboost":
        return 2.0
    if library == "lightgbm":
        if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 2:
            raise ValueError(f"LightGBM's softmax needs k >= 2 classes, got {k!r}")
        return k / (k - 1)
    raise ValueError(f"library must be one of {LIBRARIES}, got {library!r}")


def gradient_output(library: str, labels, margins) -> dict:
    """``dtype`` and ``hessian_scale`` of the gradients ``library`` is handed: float32,
    and the library's softmax scale for multiclass margins (1-D labels, margins of two
    columns or more: one column is binary, as the loss reads it)."""
    softmax = np.ndim(margins) == 2 and np.shape(margins)[1] >= 2 and np.ndim(labels) == 1
    scale = softmax_hessian_scale(library, np.shape(margins)[1]) if softmax else 1.0
    return {"dtype": np.float32, "hessian_scale": scale}


def declared_loss(model, attributes: tuple[str, ...]):
    """What a fitted estimator says it was trained on: the first of its ``attributes``
    that is set (focal_boost's ``loss_``, the plain classifiers' objective); None: none."""
    for name in attributes:
        value = getattr(model, name, None)
        if value is not None:
            return value
    return None


def warn_continued_loss(trained, loss, name: str, n_classes: int = 2,
                        multilabel: bool = False) -> None:
    """Warn that the model training continues (the argument ``name``) was trained on
    ``trained``, not on the focal loss ``loss`` (None: not known, no warning; nor
    when ``loss`` is the cross-entropy, whose posterior is the plain link, and
    ``trained`` is not a focal loss that distorts it).

    The margins of such a model are right, but ``predict_proba``'s posterior
    correction assumes every tree was trained on ``loss``. Two focal losses are one
    loss for a model of ``n_classes`` classes (labels, ``multilabel``) when their gamma
    and their class weights agree (``alpha=0.25`` is ``[0.75, 0.25]`` for two classes);
    the Hessian they train with does not change the posterior.
    """
    if trained is None or trained == loss or _same_focal_loss(trained, loss, n_classes,
                                                              multilabel):
        return
    plain = loss.gamma == 0 and loss.alpha is None  # its posterior is the plain link
    if plain and not (hasattr(trained, "gamma") and (trained.gamma != 0
                                                     or trained.alpha is not None)):
        return  # a log-loss model continued on the cross-entropy: nothing to correct
    warnings.warn(
        f"{name} was trained on {trained!r}, not on {loss!r}: predict_proba's posterior "
        "correction assumes every tree was trained on the focal loss. For the plain "
        "sigmoid/softmax of the margins set posterior_correction=False (estimators) or "
        "use inverse_link (focal_boost.xgboost, focal_boost.lightgbm)",
        UserWarning, stacklevel=caller_level())


def warn_given_loss(stored, given, n_classes: int = 2, multilabel: bool = False) -> None:
    """Warn that a booster which records the loss it was trained on, ``stored`` (None:
    it records none, no warning), is read with another focal loss ``given``: the
    probabilities are then ``given``'s posterior of its margins."""
    if stored is None or stored == given or _same_focal_loss(stored, given, n_classes,
                                                             multilabel):
        return
    warnings.warn(
        f"the booster was trained on {stored!r} (saved with it), not on the loss given, "
        f"{given!r}: these are {given!r}'s probabilities of its margins; leave loss out "
        "to read them with the saved one", UserWarning, stacklevel=caller_level())


def _same_focal_loss(a, b, n_classes: int, multilabel: bool) -> bool:
    """Whether the focal losses ``a`` and ``b`` have one gamma and the same class weights
    for ``n_classes`` classes (labels, ``multilabel``); False for anything else."""
    if not all(hasattr(x, "gamma") and hasattr(x, "alpha") for x in (a, b)):
        return False
    if a.gamma != b.gamma:
        return False
    try:
        weights = [class_weight(x.alpha, n_classes, multilabel) for x in (a, b)]
    except ValueError:
        return False
    shape = (2, n_classes) if multilabel else (n_classes,)
    return np.array_equal(*(np.ones(shape) if w is None else w for w in weights))


def caller_level(through_libraries: bool = False, through: Sequence[str] = ()) -> int:
    """The ``stacklevel`` of the first frame outside this package, for a warning raised
    here: front ends reach the shared steps at different depths.

    ``through_libraries``: outside XGBoost and LightGBM too, for a warning raised where
    a library calls the loss (its objective, every round): the line that trained, which
    the default warning filter then shows once, not a line of the library's loop.
    ``through``: outside these modules or packages too (those loaded), e.g. ``pickle``
    and ``joblib`` for a warning raised while a model is unpickled."""
    here = os.path.dirname(os.path.abspath(__file__)) + os.sep
    names = (*(("xgboost", "lightgbm") if through_libraries else ()), *through)
    skipped = [here]
    for module in map(sys.modules.get, names):  # (loaded where they call: never imported)
        path = getattr(module, "__file__", None)
        if path:  # a package: its folder; a module: its file
            path = os.path.abspath(path)
            skipped.append(os.path.dirname(path) + os.sep if hasattr(module, "__path__")
                           else path)
    frame, level = sys._getframe(1), 1
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(
            tuple(skipped)):
        frame, level = frame.f_back, level + 1
    return level
