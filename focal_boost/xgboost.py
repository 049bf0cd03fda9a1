"""Focal loss for the native XGBoost API (``xgb.train``).

Calling conventions only: the math lives in :mod:`focal_boost._loss`. This module
turns a :class:`~focal_boost.FocalLoss` into what ``xgb.train`` expects:

* :func:`objective` -- ``obj(predt, dtrain) -> (grad, hess)``, with the DMatrix
  labels and weights (XGBoost does not apply weights to a custom objective).
* :func:`metric` -- ``custom_metric(predt, dtrain) -> (name, value)``, the weighted
  mean focal loss on raw margins.
* :func:`train` -- ``xgb.train`` with both of the above, the model intercept set to
  the focal-optimal constant margin, and the built-in metric switched off.
* :func:`predict_margin` -- raw margins, intercept included (``Booster.predict``
  also returns margins for binary models, but argmax labels with ``num_class``).
* :func:`predict_proba` -- the class posterior recovered from the margins
  (:meth:`FocalLoss.predict_proba`; gamma and alpha are stored in the Booster).
* :func:`inverse_link` -- the plain sigmoid / softmax of the margins.

Binary models have one output: ``predt`` is ``(n_samples,)``, the sigmoid link.
Multiclass models need ``num_class`` in ``params``: ``predt`` is
``(n_samples, num_class)``, the softmax link, labels are class indices.
Multi-label models come from a 2-D 0/1 label matrix in the DMatrix (XGBoost infers
``num_target`` from it): ``predt`` is ``(n_samples, n_labels)``, one sigmoid per
label, with either ``multi_strategy`` (``"one_output_per_tree"``, the default, or
``"multi_output_tree"``).

The intercept is stored in the Booster as ``base_score``, which XGBoost reads in
margin space when no built-in objective is set (a vector of one margin per class
or label). A saved, loaded or pickled Booster
therefore predicts with its intercept on any DMatrix or array.

This module imports ``xgboost``; ``import focal_boost`` does not.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import json
import numbers
import os
import re
import threading
import warnings
import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from focal_boost._conventions import (
    caller_level,
    check_booster,
    declared_loss,
    labels_weights,
    row_weights,
    warn_continued_loss,
    warn_given_loss,
)
from focal_boost._intercept import intercept
from focal_boost._loss import FocalLoss, LibraryGradients
from focal_boost._loss import check_loss as _check_loss
from focal_boost._validation import (
    check_model_margins,
    check_num_class,
    check_start_margins,
    class_totals,
    is_number,
    one_class,
    thread_bound,
)
from focal_boost._validation import check_n_threads as _v_threads
from focal_boost.metrics import METRIC_NAME, focal_metric, refuse_focal_metric_name

try:
    import xgboost as xgb
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "focal_boost.xgboost needs XGBoost >= 3.2: pip install 'focal-boost[xgboost]'"
    ) from exc

__all__ = ["METRIC_NAME", "objective", "metric", "train", "predict_margin", "predict_proba",
           "inverse_link", "stored_loss", "linear_weights", "start_margin"]

# Booster attribute holding the loss's gamma and alpha (saved with the model).
LOSS_ATTR = "focal_boost_loss"
_SKLEARN_ATTR = "scikit_learn"  # what XGBModel.save_model / load_model keep there
# What FocalXGBClassifier.save_model adds to a saved Booster (labels, features): a
# model trained on from such a file is another model, and drops it.
ESTIMATOR_ATTR = "focal_boost_estimator"
_NOT_PLAIN = ("a focal-loss model, which plain XGBoost reads as raw margins: load it with "
              "focal_boost.FocalXGBClassifier().load_model, or xgboost.Booster and "
              "focal_boost.xgboost.predict_proba")

# METRIC_NAME: early stopping in XGBoost maximises metrics whose name starts with auc,
# pre, map, ndcg...; "focal_loss" does not, and train() also passes maximize=False.


class DMatrixLabels:
    """``labels(dmat) -> (y, w)``: the labels and weights of the DMatrices one training
    run sees, each read from XGBoost once.

    ``DMatrix.get_label`` and ``get_weight`` copy them out of XGBoost at every call,
    and a custom objective and metric ask every round, for the training data and each
    validation set: on perf.py's fit-eval setting (160k + 40k rows) that was 7% of
    the fit. The labels of a training run's DMatrices do not change while it trains.
    An entry goes with its DMatrix (weak keys); a copy or unpickled instance starts
    empty (it travels to Dask workers with the objective).
    """

    def __init__(self) -> None:
        self._seen: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def add(self, dmat: xgb.DMatrix, y: np.ndarray) -> None:
        """Take ``y``, the float32 labels ``dmat`` was built from, as its labels, so that
        they are not copied back out of XGBoost (4 MB per million rows the run would
        hold twice); its weights are read as usual."""
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1:  # one label per row, as XGBoost reads it
            y = y[:, 0]
        if y.dtype != np.float32 or y.shape[:1] != (dmat.num_row(),):
            raise ValueError(
                f"y must be the float32 labels dmat was built from ({dmat.num_row()} rows), "
                f"got {y.dtype} of shape {y.shape}"
            )
        self._seen[dmat] = (y, row_weights(dmat))

    def __call__(self, dmat: xgb.DMatrix) -> tuple[np.ndarray, np.ndarray | None]:
        seen = self._seen.get(dmat)
        if seen is None:
            seen = self._seen[dmat] = labels_weights(dmat)
        return seen

    def __reduce__(self):
        return (DMatrixLabels, ())


class _Objective:
    """Picklable ``obj(predt, dtrain) -> (grad, hess)`` (see :func:`objective`).

    ``reuse_outputs`` and ``n_threads``: as :class:`~focal_boost._loss.LibraryGradients`
    (training runs of this module reuse the arrays, which XGBoost has copied into its
    gradient pairs, and pass the booster's ``nthread``). ``labels``: how a DMatrix's
    labels and weights are read (training runs: a :class:`DMatrixLabels`, once).
    """

    def __init__(self, loss: FocalLoss, *, reuse_outputs: bool = False,
                 n_threads: int | None = None,
                 labels: Callable[[xgb.DMatrix], tuple] = labels_weights) -> None:
        self.loss = _check_loss(loss)
        # float32, as XGBoost keeps gradient pairs; softmax: multi:softprob's 2p(1-p)
        self.gradients = LibraryGradients(self.loss, "xgboost", reuse_outputs=reuse_outputs,
                                          n_threads=n_threads)
        self.labels = labels

    def __repr__(self) -> str:
        return f"focal_boost.xgboost.objective({self.loss!r})"

    def __call__(self, predt: np.ndarray, dtrain: xgb.DMatrix):
        if not isinstance(dtrain, xgb.DMatrix):
            raise TypeError(
                "focal_boost.xgboost.objective(loss) is xgb.train's obj, f(predt, dtrain); "
                "XGBClassifier calls f(y_true, y_pred): pass the loss itself there, "
                "XGBClassifier(objective=loss), or use FocalXGBClassifier")
        y, w = self.labels(dtrain)
        return self.gradients(y, predt, w)  # predt itself is never written


class _Metric:
    """Picklable ``custom_metric(predt, dmat) -> (name, value)`` (see :func:`metric`),
    also a scikit-learn metric ``f(y_true, margin, sample_weight=None) -> value`` named
    ``__name__``, the form ``XGBClassifier(eval_metric=...)`` calls."""

    def __init__(self, loss: FocalLoss, name: str = METRIC_NAME, *,
                 labels: Callable[[xgb.DMatrix], tuple] = labels_weights,
                 n_threads: int | None = None) -> None:
        self.loss = _check_loss(loss)
        self.name = name
        self.labels = labels
        self.n_threads = n_threads

    @property
    def __name__(self) -> str:  # the key XGBClassifier records the metric under
        return self.name

    def __repr__(self) -> str:
        return f"focal_boost.xgboost.metric({self.loss!r})"

    # (one signature per form, so that a user's type checker reads either form's result)
    @overload
    def __call__(self, predt: np.ndarray, dmat: xgb.DMatrix) -> tuple[str, float]: ...

    @overload
    def __call__(self, predt: npt.ArrayLike, dmat: npt.ArrayLike,
                 sample_weight: npt.ArrayLike | None = None) -> float: ...

    def __call__(self, predt, dmat, sample_weight=None):
        if not isinstance(dmat, xgb.DMatrix):  # XGBClassifier: (y_true, margin, weight)
            return focal_metric(self.loss, predt, dmat, sample_weight,
                                n_threads=self.n_threads)
        y, w = self.labels(dmat)
        return self.name, focal_metric(self.loss, y, predt, w, n_threads=self.n_threads)


def objective(loss: FocalLoss) -> Callable[[np.ndarray, xgb.DMatrix], tuple]:
    """Custom objective for ``xgb.train(obj=...)``.

    The returned callable computes, at the raw margins ``predt``, the gradient and
    diagonal Hessian of ``w_i * FL(y_i, predt_i)`` with ``y`` and ``w`` the label and
    weight of the DMatrix (no weights: ``w = 1``). For softmax multiclass the Hessian
    is doubled, as ``multi:softprob`` does (``2p(1-p)`` at gamma 0), so that ``eta``
    means what it means there and :func:`ce_loss` reproduces that model; the loss
    object itself returns the exact diagonal.

    Parameters
    ----------
    loss : FocalLoss
        From :func:`focal_boost.focal_loss` or :func:`focal_boost.ce_loss`.

    Returns
    -------
    callable
        ``f(predt, dtrain) -> (grad, hess)``; ``predt`` of shape ``(n_samples,)``
        (binary), ``(n_samples, num_class)`` (multiclass, ``num_class`` set in the
        parameters) or ``(n_samples, n_labels)`` (multi-label: a label matrix in
        ``dtrain``), and ``grad``, ``hess`` float32 (what XGBoost keeps) of the same
        shape. ``predt`` is not modified. The callable pickles.

    Notes
    -----
    Prefer :func:`train`, which also sets the intercept: with a bare custom
    objective XGBoost starts every row at margin 0.5.

    Examples
    --------
    >>> import xgboost as xgb
    >>> from focal_boost import focal_loss
    >>> from focal_boost.xgboost import metric, objective
    >>> loss = focal_loss(gamma=2.0, alpha=0.25)
    >>> booster = xgb.train(  # doctest: +SKIP
    ...     {"base_score": 0.0, "disable_default_eval_metric": True},
    ...     dtrain, 100, obj=objective(loss), custom_metric=metric(loss),
    ...     evals=[(dvalid, "valid")], early_stopping_rounds=10,
    ... )
    """
    return _Objective(loss)


def metric(loss: FocalLoss) -> _Metric:
    """Evaluation metric for ``xgb.train(custom_metric=...)``: the mean focal loss.

    ``value = sum_i w_i * FL(y_i, predt_i) / sum_i w_i`` on raw margins (which is
    what XGBoost passes to a custom metric when the objective is custom), with
    ``w`` the DMatrix weights (none: the plain mean).

    Parameters
    ----------
    loss : FocalLoss

    Returns
    -------
    callable
        ``f(predt, dmat) -> ("focal_loss", value)``. Lower is better: early
        stopping minimises it (pass ``maximize=False`` to ``xgb.train`` to be
        explicit; :func:`train` does). Also ``XGBClassifier(objective=loss,
        eval_metric=f)``'s form, ``f(y_true, margin, sample_weight=None) -> value``,
        recorded as ``"focal_loss"`` (a custom objective hands metrics raw margins).

    Notes
    -----
    XGBoost records a custom metric's values with six decimals (``"%f"``): a focal
    loss falling from 1.118e-05 to 1.101e-05 is recorded 1.1e-05 both rounds, and
    early stopping takes such rounds for no progress (it kept round 96 in one case
    where the loss still fell at round 299). :func:`train` and the estimators record
    it at full precision.

    Examples
    --------
    >>> from focal_boost import focal_loss
    >>> from focal_boost.xgboost import metric
    >>> feval = metric(focal_loss(gamma=2.0))
    >>> name, value = feval(booster.predict(dvalid, output_margin=True), dvalid)  # doctest: +SKIP
    """
    return _Metric(loss)


def _n_classes(params: Mapping[str, Any]) -> int | None:
    """Number of classes for multiclass ``params``, None for binary."""
    k = params.get("num_class")
    if k is None:
        return None
    if isinstance(k, bool) or not isinstance(k, numbers.Integral | str):
        raise TypeError(f"params['num_class'] must be an integer, got {k!r}")
    try:
        k = int(k)
    except ValueError:
        raise TypeError(f"params['num_class'] must be an integer, got {k!r}") from None
    if k < 0:
        raise ValueError(f"params['num_class'] must be >= 0, got {k}")
    return k if k > 1 else None  # 0 (XGBoost's default) and 1: binary, as xgb.train trains it


def _n_labels(y_true: np.ndarray | None) -> int | None:
    """Number of labels of a multi-label ``y_true`` (a label matrix of 2 or more
    columns); None for one label per row, 1-D or a single column (XGBoost reads an
    ``(n, 1)`` label as 1-D)."""
    shape = np.shape(y_true)
    return shape[1] if len(shape) == 2 and shape[1] > 1 else None


def _base_score(margins: np.ndarray) -> float | list[float]:
    """``base_score`` (margin space) for intercept margins of shape (n_outputs,)."""
    if np.abs(margins).max() > np.finfo(np.float32).max:  # (a given init_score: auto's
        # are bounded) XGBoost holds base_score in float32: 1e39 became inf, and training
        # failed on margins "not finite, or diverged"
        raise ValueError(f"init_score {np.asarray(margins).tolist()} is beyond float32's "
                         "range (3.4e38), in which XGBoost holds the start: give a "
                         "smaller margin")
    if np.ptp(margins) == 0:  # one output, or softmax ignoring a common shift: a scalar
        return float(margins[0])
    # A list of Python floats: XGBoost parses its str(), and numpy's has no commas.
    return [float(v) for v in margins]


# ----------------------------------------------------------- training steps
# One training run, the same for every front end (train below, the estimators, the
# Dask estimators): prepare() the parameters, intercept, objective and metrics; train
# with xgb.train or xgboost.dask.train and run.train_kwargs(); finish() the Booster;
# best_iteration() for predictions. The package's internal API (not in __all__).


@dataclasses.dataclass
class TrainingRun:
    """What one training run hands to ``xgb.train`` (made by :func:`prepare`).

    Attributes
    ----------
    params : dict
        The caller's parameters with ``num_class``, the intercept as ``base_score``
        (margin space) and ``disable_default_eval_metric``.
    loss : FocalLoss
    obj, custom_metric : callable
        The focal objective, and the evaluation metric (the focal loss unless the
        caller evaluates more).
    maximize : bool
        Whether early stopping maximises the last metric.
    start_round : int
        Rounds already in the model that training continues (``xgb_model``), else 0.
    one_class : bool
        The labels hold one class: a model without splits is then what the data asks
        for (as in ``xgb.train``, :func:`finish` does not warn of it).
    class_totals, start : ndarray or None
        Each class's total training weight and the starting margins, from which
        :func:`finish` reads the first tree's root (:func:`_root_hessian`) when no tree
        split; None where unknown (a continued model, a base_margin, a label matrix).
    """

    params: dict[str, Any]
    loss: FocalLoss
    obj: Callable
    custom_metric: Callable
    maximize: bool
    start_round: int = 0
    one_class: bool = False
    class_totals: np.ndarray | None = None
    start: np.ndarray | None = None

    def train_kwargs(self, evals: Sequence[tuple[Any, str]] = (),
                     callbacks: Sequence[xgb.callback.TrainingCallback] | None = None
                     ) -> dict[str, Any]:
        """``obj``, ``custom_metric`` and ``callbacks`` (the caller's, after one that
        logs the metric at full precision and one that stores the loss in the model
        from the start), as ``xgb.train`` and ``xgboost.dask.train`` take them for the
        evaluation sets ``evals``."""
        exact = _FullPrecision(self.custom_metric, [name for _, name in evals])
        return {"obj": self.obj, "custom_metric": exact,
                "callbacks": [exact, _StoredLoss(self.loss), *(callbacks or [])]}


def _check_label_reader(labels) -> None:
    """Refuse ``labels`` (train's and prepare's) other than a DMatrixLabels or None: the
    labels themselves are the DMatrix's (an array failed in the first round, "'numpy.ndarray'
    object is not callable")."""
    if labels is not None and not isinstance(labels, DMatrixLabels):
        raise TypeError(
            "labels must be a focal_boost.xgboost.DMatrixLabels (how the run reads the "
            f"DMatrices' labels and weights) or None, got {type(labels).__name__}")


def prepare(
    params: Mapping[str, Any],
    loss: FocalLoss,
    *,
    y_true: np.ndarray | None,
    sample_weight: np.ndarray | None = None,
    init_score: str | float | Sequence[float] | np.ndarray | None = "auto",
    base_margin: bool = False,
    xgb_model: Any = None,
    custom_metric: Callable | None = None,
    maximize: bool = False,
    labels: DMatrixLabels | None = None,
    n_threads: int | None = None,
    warn_other_loss: bool = True,
) -> TrainingRun:
    """First step of a training run: parameters, intercept, objective and metrics.

    Parameters
    ----------
    params : mapping
        XGBoost parameters, as :func:`train` takes them; not modified.
    loss : FocalLoss
    y_true : ndarray or None
        The training labels (a 2-D 0/1 matrix: multi-label), for the intercept
        ``"auto"`` and the number of outputs; ``sample_weight`` the row weights.
        Only the total weight of each class matters: a front end that holds class
        totals passes ``y_true=np.arange(k)`` and ``sample_weight=totals``. Labels of
        one class (``y_true`` of one value) make a model without splits no warning.
    init_score : {"auto"}, float, array-like or None, default="auto"
        The intercept (:func:`focal_boost._intercept.intercept`).
    base_margin : bool, default=False
        The training data has a ``base_margin``, which replaces the intercept: then
        ``init_score`` must be "auto" or None, and ``base_score`` is 0.
    xgb_model : Booster, path, bytes or fitted estimator, default=None
        The model training continues (as ``xgb.train`` takes it, or a fitted
        estimator), which keeps its intercept: then ``init_score`` must be "auto". Its
        rounds are counted, so that :func:`finish` can tell its stale
        ``best_iteration`` from one set by this run.
    custom_metric : callable, default=None
        The evaluation metric, as ``xgb.train`` takes it; None: the focal loss
        (:func:`metric`).
    maximize : bool, default=False
        Whether early stopping maximises the last value of ``custom_metric``.
    labels : DMatrixLabels, default=None
        How the run's objective and focal metric read labels and weights (a caller
        that has read the training data's through it passes it on); None: a new one.
    n_threads : int, default=None
        At most this many threads for the focal kernels (gradients and metric); None:
        ``nthread`` / ``n_jobs`` of ``params`` when positive (``n_jobs=1`` means one
        thread), else the kernels' own setting. The Dask estimator passes its workers'
        thread count.
    warn_other_loss : bool, default=True
        Warn when ``xgb_model`` was trained on another loss (:func:`trained_loss`):
        the posterior correction assumes every tree was trained on ``loss``. A front
        end that does not apply it passes False.

    Returns
    -------
    TrainingRun
    """
    _check_loss(loss)
    _check_label_reader(labels)
    model = None if xgb_model is None else to_booster(xgb_model)
    start_round = num_rounds(model)
    params, k = _training_params(params)
    n_labels = _n_labels(y_true)
    _check_metric_names(params.get("eval_metric"), multiclass=k is not None,
                        multilabel=n_labels is not None)
    if k is not None and n_labels is not None:
        raise ValueError(
            f"dtrain has a label matrix of {n_labels} columns (multi-label) and params has "
            "num_class (multiclass): give class indices for multiclass, or leave num_class "
            "out for multi-label"
        )
    if n_labels is None:
        check_num_class(y_true, k, "dtrain")
    if model is not None:
        _check_continued_outputs(model, k, n_labels)
    if warn_other_loss:
        warn_continued_loss(trained_loss(xgb_model), loss, "xgb_model", k or n_labels or 2,
                            multilabel=n_labels is not None)
    targets = params.get("num_target")
    if targets is not None and int(targets) != (n_labels or 1):
        # XGBoost would grow one output per target and the loss read class labels as a
        # label matrix: a softmax over classes that do not exist
        raise ValueError(
            f"num_target={targets} but the training label "
            + (f"matrix has {n_labels} columns" if n_labels else "is one column of classes")
            + ": leave num_target out (it follows the label)"
        )
    explicit = not (isinstance(init_score, str) and init_score == "auto")
    margins = totals = None
    if model is not None:  # a continued model keeps its intercept
        if explicit:
            raise ValueError(
                "init_score must be 'auto' with xgb_model: continued training keeps the "
                "model's intercept"
            )
    elif base_margin:
        if explicit and init_score is not None:
            raise ValueError(
                "a base_margin replaces the intercept during training: pass "
                f"init_score='auto' or None (got init_score={init_score!r})"
            )
        params["base_score"] = 0.0
    else:
        margins = intercept(init_score, loss, k or n_labels or 1, y_true=y_true,
                            sample_weight=sample_weight, multilabel=n_labels is not None)
        params["base_score"] = _base_score(margins)
        if n_labels is None and y_true is not None:  # (for the no-split warning's hint)
            totals = class_totals(np.asarray(y_true, dtype=np.float64).astype(np.intp),
                                  sample_weight, k or 2)
    # The run's DMatrices keep their labels while it trains: each is read once.
    labels = DMatrixLabels() if labels is None else labels
    n_threads = _threads(params) if n_threads is None else _v_threads(n_threads)
    if custom_metric is None:
        custom_metric = _Metric(loss, labels=labels, n_threads=n_threads)
        maximize = False
    obj = _Objective(loss, reuse_outputs=True, n_threads=n_threads, labels=labels)
    return TrainingRun(params, loss, obj, custom_metric, maximize, start_round,
                       one_class(y_true), totals,
                       None if margins is None else np.asarray(margins, dtype=np.float64))


def _root_hessian(loss: FocalLoss, class_totals: np.ndarray, start: np.ndarray,
                  k: int | None) -> float | None:
    """The Hessian sum of all rows at the margins ``start``, the largest over the
    outputs: each class's total weight times the loss's Hessian of a row of that class,
    at XGBoost's softmax scale (2, where the logistic Hessian p (1 - p) is at most
    1/4). None past :data:`_ROOT_HESSIAN_VALUES` (a table of classes by outputs)."""
    n_classes = k or 2
    present = np.flatnonzero(class_totals > 0)  # (a row per class present, k outputs each)
    if present.size * n_classes > _ROOT_HESSIAN_VALUES:
        return None  # (thousands of classes: not worth k**2 memory for a warning's hint)
    y_pred = (np.full(present.size, float(start.ravel()[0])) if k is None
              else np.tile(start.reshape(1, k), (present.size, 1)))
    # (no warning: the first round warned of the same Hessians)
    _, hess = loss._gradients(present.astype(np.float64), y_pred, class_totals[present],
                              np.float64, 1.0 if k is None else 2.0, n_threads=1,
                              warn=False)  # (a row per class)
    return float(np.max(np.sum(hess, axis=0), initial=0.0))


# At most this many values (classes present times outputs) for _root_hessian: 32 MB.
_ROOT_HESSIAN_VALUES = 2**22


def _check_continued_outputs(booster: xgb.Booster, k: int | None,
                             n_labels: int | None) -> None:
    """Refuse to continue a model whose outputs are not this run's (XGBoost would grow
    the new trees on the old outputs: a 3-class model continued on 0/1 labels predicted
    3 columns for 2 classes)."""
    def kind(outputs: int, multilabel: bool) -> str:
        if multilabel:
            return f"{outputs} labels (multi-label)"
        return "2 classes (binary, one margin)" if outputs == 1 else f"{outputs} classes"

    have = kind(n_outputs(booster), is_multilabel(booster))
    want = kind(k or n_labels or 1, n_labels is not None)
    if have != want:
        raise ValueError(
            f"xgb_model was trained on {have}, but the training labels are {want}: continue "
            "a model of the same classes, or leave xgb_model out to train a new one"
        )


def _threads(params: Mapping[str, Any]) -> int | None:
    """XGBoost's thread count in ``params`` (``nthread``, or ``n_jobs``), when positive."""
    for key in ("nthread", "n_jobs"):
        value = thread_bound(params.get(key))  # ("2" too, as XGBoost reads it)
        if value is not None:
            return value
    return None


def num_rounds(xgb_model: Any) -> int:
    """Boosting rounds of the model ``xgb_model`` (a Booster, a file or its bytes); 0: None."""
    if xgb_model is None:
        return 0
    return to_booster(xgb_model).num_boosted_rounds()


def read_model(xgb_model: Any) -> Any:
    """A model to continue given as a saved model (a path or its bytes) as a Booster,
    read once for every step that looks at it; a Booster or a fitted estimator as it is
    (an estimator says what it was trained on, :func:`trained_loss`)."""
    if isinstance(xgb_model, str | os.PathLike | bytes | bytearray):
        return load_booster(xgb_model)
    return xgb_model


def category_levels(booster: xgb.Booster, columns) -> dict[str, Any] | None:
    """The category levels a Booster codes its category features by, keyed by the
    ``columns`` of the data it is given (its features, by position): the record of
    ``FocalXGBClassifier.save_model``, or XGBoost's own, which only pyarrow reads
    (None without it, or for a model of no categories)."""
    if columns is None:
        return None
    stored = booster.attr(ESTIMATOR_ATTR)
    if stored is not None:
        try:
            meta = json.loads(stored)
            levels, names = meta.get("categories"), meta.get("feature_names_in")
        except (ValueError, AttributeError):  # (an edited record: XGBoost's own, then)
            levels = names = None
        if levels and names:
            return levels_by_position(levels, names, columns)
    try:
        import pyarrow  # noqa: F401 (XGBoost's export needs it)
    except ImportError:
        return None
    if booster_type(booster) == "gblinear":  # (no categories: XGBoost refuses to say so)
        return None
    categories = booster.get_categories(export_to_arrow=True)
    if categories.empty():
        return None
    exported = categories.to_arrow()
    return levels_by_position(
        {index: values.to_pylist() for index, (_, values) in enumerate(exported)
         if values is not None}, range(len(exported)), columns)


def levels_by_position(levels: dict, names, columns) -> dict[str, Any] | None:
    """``levels`` of the features ``names`` (a model's, in its order) keyed by the
    ``columns`` of the data at those positions (a model's names and the data's differ
    where XGBoost refused the training names: f0, f1, ...), each a pandas Index."""
    import pandas as pd

    position = {name: i for i, name in enumerate(names)}
    found = {columns[position[name]]: pd.Index(values) for name, values in levels.items()
             if name in position and position[name] < len(columns)}
    return found or None


def load_booster(fname: str | os.PathLike | bytes | bytearray) -> xgb.Booster:
    """``xgb.Booster(model_file=fname)``, taking the model's ``bytes`` as well: XGBoost
    reads a ``bytearray`` as a model and ``bytes`` not at all ("Unknown type")."""
    if isinstance(fname, bytes):
        fname = bytearray(fname)
    return xgb.Booster(model_file=fname)


def to_booster(xgb_model: Any) -> xgb.Booster:
    """The Booster of a model to continue: a Booster, a fitted estimator (its
    ``get_booster()``, as ``XGBClassifier.fit`` takes it), a saved model's path or bytes."""
    if isinstance(xgb_model, xgb.Booster):
        return xgb_model
    if isinstance(xgb_model, str | os.PathLike | bytes | bytearray):
        return read_model(xgb_model)
    if hasattr(xgb_model, "get_booster"):
        try:
            booster = xgb_model.get_booster()
        except Exception:  # noqa: BLE001 (an estimator not fitted, in its own words)
            raise ValueError(f"xgb_model is a {type(xgb_model).__name__} that is not "
                             "fitted: fit it first, or pass a fitted model") from None
        if isinstance(booster, xgb.Booster):
            return booster
    raise TypeError("xgb_model must be an XGBoost Booster, a saved model's path or bytes, or "
                    f"a fitted XGBoost estimator, got {type(xgb_model).__name__}")


def trained_loss(xgb_model: Any) -> FocalLoss | str | Callable | None:
    """What the model ``xgb_model`` was trained on, where it can be told.

    A fitted estimator: its ``loss_`` (focal_boost's) or ``objective``
    (``XGBClassifier``'s, a name or a callable); a Booster (or a saved model's path or
    bytes): the focal loss :func:`train` stores in it, else ``"another loss"`` (XGBoost
    records no custom objective). None: nothing to tell (no model, or a file that does
    not load: training refuses it).
    """
    if xgb_model is None:
        return None
    declared = (declared_loss(xgb_model, ("loss_", "objective"))
                if hasattr(xgb_model, "get_booster") else None)
    if declared is not None:
        return declared
    try:
        booster = to_booster(xgb_model)
    except Exception:  # noqa: BLE001 (a file that does not load is xgb.train's to refuse)
        return None
    stored = stored_loss(booster, missing_ok=True)
    return "another loss" if stored is None else stored


def _store_loss(booster: xgb.Booster, loss: FocalLoss) -> None:
    """The loss as Booster attributes (and a continued estimator's own attribute gone)."""
    alpha = loss.alpha.tolist() if isinstance(loss.alpha, np.ndarray) else loss.alpha
    booster.set_attr(**{LOSS_ATTR: json.dumps({"gamma": loss.gamma, "alpha": alpha}),
                        ESTIMATOR_ATTR: None,
                        # XGBClassifier.load_model compares this with "classifier" and
                        # refuses the file, which it would read as a squared-error
                        # regressor's (its "probabilities" the raw margins)
                        _SKLEARN_ATTR: json.dumps({"_estimator_type": _NOT_PLAIN})})


class _StoredLoss(xgb.callback.TrainingCallback):
    """Stores the loss in the booster before the first round, so that a model saved
    during training (``xgb.callback.TrainingCheckPoint``) carries it as the final one
    does: its probabilities and a continued fit read it."""

    def __init__(self, loss: FocalLoss) -> None:
        super().__init__()
        self.loss = loss

    def before_training(self, model):
        _store_loss(model, self.loss)
        return model


def finish(booster: xgb.Booster, run: TrainingRun,
           dtrain: xgb.DMatrix | None = None) -> xgb.Booster:
    """Last step of a training run: store the loss in ``booster``; warn when it has no
    split (but for labels of one class), naming the data where ``dtrain``, the
    training data, has no column that can split, else the settings that can stop it.

    The loss (gamma and alpha) is a Booster attribute, so that :func:`predict_proba`
    finds it after saving, loading or pickling. A continued model keeps the
    ``best_iteration`` of the model it continues (XGBoost copies the attributes):
    early stopping of this run sets one at or after ``run.start_round``, so one before
    it is stale where this run added rounds and is removed (with ``best_score``), and
    predictions use every tree. A run that adds none (``process_type="update"``:
    ``refresh`` or ``prune`` of the model's trees) keeps it, as ``xgb.train`` does.
    """
    best = booster.attr("best_iteration")
    # XGBoost configures the learner again at the first query after training and logs
    # its configuration warnings a second time (gblinear's deprecation from XGBoost 3.4,
    # as after xgb.train alone): they were shown once, when training began
    with xgb.config_context(verbosity=0):
        added = booster.num_boosted_rounds() > run.start_round
    if best is not None and int(best) < run.start_round and added:
        booster.set_attr(best_iteration=None, best_score=None)
    _store_loss(booster, run.loss)
    if (booster.num_boosted_rounds() and booster_type(booster) != "gblinear"
            and not run.one_class and not booster.get_score(importance_type="weight")):
        reasons = (_CONSTANT_COLUMNS if _no_column_splits(dtrain)
                   else _no_split_reasons(run))
        warnings.warn(f"the model has no split: {reasons}", UserWarning,
                      stacklevel=caller_level())
    return booster


_CONSTANT_COLUMNS = ("no feature of the training data can be split (each column holds one "
                     "value, or none, in every row): pass features that vary")

_READ_BACK_LIMIT = 10_000_000  # stored values of the training data read back, at most


def _no_column_splits(dtrain: xgb.DMatrix | None) -> bool:
    """Whether no column of ``dtrain`` can be split: each is missing in every row, or
    holds one value in every row. XGBoost splits a column of two values, or of one
    value and missing rows (missing ones go to a side of their own); the settings do
    not matter then. False where that is not known: no data, data too large to read
    back cheaply (a copy of its stored values, on a path that only warns), or data
    that cannot be read back."""
    if dtrain is None or dtrain.num_nonmissing() > _READ_BACK_LIMIT:
        return False
    try:
        data = dtrain.get_data().tocsc()
    except xgb.core.XGBoostError:
        return False
    counts = np.diff(data.indptr)
    stored = counts > 0
    varies = np.zeros_like(stored)
    if stored.any():  # (reduceat over each stored column's values)
        starts = data.indptr[:-1][stored]
        varies[stored] = (np.maximum.reduceat(data.data, starts)
                          > np.minimum.reduceat(data.data, starts))
    return not (varies | (stored & (counts < dtrain.num_row()))).any()


def _no_split_reasons(run: TrainingRun) -> str:
    """What can stop every split of a model: the settings that do (at their values),
    and the focal Hessians' scale at gamma > 0."""
    params = run.params
    reasons = []
    hessian = params.get("min_child_weight")
    hessian = 1 if hessian is None else hessian  # XGBoost's default
    penalty = params.get("reg_lambda", params.get("lambda"))
    penalty = 1 if penalty is None else penalty  # XGBoost's default
    root = None  # the first tree's root, where the start is known
    if run.class_totals is not None:
        root = _root_hessian(run.loss, run.class_totals, run.start,
                             None if run.start.size == 1 else run.start.size)
    if run.loss.gamma > 0 and float(hessian) > 1e-3:
        reasons.append(f"focal Hessians are about (1 - pt)**gamma times the logistic ones "
                       f"(times alpha), so min_child_weight={hessian} can stop every split; "
                       "lower min_child_weight (e.g. 1e-3)")
    elif float(hessian) > 1:
        reasons.append(f"min_child_weight={hessian} stops splits of leaves with a smaller "
                       "Hessian sum")
    elif root and root < 2 * float(hessian):  # (0: no weight, said below)
        # the default stops every split of few rows, a rare class or light weights
        reasons.append(f"the training rows' Hessian sum at the start is "
                       f"{root:.3g}, below twice min_child_weight={hessian}, "
                       "which a split's two leaves need (few rows, a rare class, light "
                       "sample weights or class weights); lower min_child_weight below "
                       f"{root / 2:.3g} or scale the sample weights up")
    gain = params.get("min_split_loss", params.get("gamma", 0))  # XGBoost's gamma
    if gain is not None and float(gain) > 0:
        reasons.append(f"min_split_loss={gain} can stop every split")
    l1 = params.get("reg_alpha", params.get("alpha", 0))
    if l1 is not None and float(l1) > 0:  # (the estimators' alpha is the focal one)
        reasons.append(f"reg_alpha (XGBoost's alpha)={l1} can stop every split")
    subsample = params.get("subsample", 1)
    if subsample is not None and float(subsample) < 1:
        reasons.append(f"subsample={subsample} grows each tree on that share of the rows, "
                       "which can leave too few for every split; raise it")
    if run.loss.gamma > 0 and not reasons:
        # XGBoost splits only where the gain exceeds kRtEps (1e-6), which no parameter
        # sets; a leaf's gain is G**2 / (H + reg_lambda), and focal G and H are small
        lower = (f"; reg_lambda={penalty} lowers them further: set reg_lambda=0"
                 if float(penalty) > 0 else "")
        # (G and H scale with the sample weights: so does the gain, with reg_lambda=0)
        reasons.append(f"at gamma={run.loss.gamma:g} focal split gains, about (1 - pt)**gamma "
                       f"times the logistic ones, can all fall below XGBoost's least split "
                       f"gain (1e-6), which no parameter lowers{lower}; sample weights "
                       "scaled up raise the gains by the same factor; a smaller gamma learns")
    return "; ".join([*reasons, "check that the features carry information and that more "
                                "than one class has sample weight"])


def uses_quantile_data(params: Mapping[str, Any]) -> bool:
    """Whether to train on a ``QuantileDMatrix``, as ``XGBClassifier`` and
    ``DaskXGBClassifier`` decide: histogram trees (``tree_method`` hist or auto), not
    ``gblinear``, not a SYCL device. It builds the histograms without a copy of the data
    in XGBoost's own format."""
    return (params.get("tree_method") in ("hist", "auto", None)
            and params.get("booster") != "gblinear"
            and not str(params.get("device", "")).startswith("sycl"))


def best_iteration(booster: xgb.Booster) -> int:
    """Index of the last round predictions use: the best one where early stopping set
    it, else the last round."""
    best = booster.attr("best_iteration")
    return int(best) if best is not None else booster.num_boosted_rounds() - 1


def train(
    params: Mapping[str, Any],
    dtrain: xgb.DMatrix,
    loss: FocalLoss,
    num_boost_round: int = 100,
    *,
    evals: Sequence[tuple[xgb.DMatrix, str]] | None = (),
    init_score: str | float | Sequence[float] | np.ndarray | None = "auto",
    early_stopping_rounds: int | None = None,
    verbose_eval: bool | int = True,
    callbacks: Sequence[xgb.callback.TrainingCallback] | None = None,
    labels: DMatrixLabels | None = None,
    warn_other_loss: bool = True,
    **kwargs: Any,
) -> xgb.Booster:
    """Train a Booster on the focal loss with ``xgb.train``.

    Sets ``obj=objective(loss)``, ``custom_metric=metric(loss)`` (reported as
    ``"focal_loss"``, minimised by early stopping), ``disable_default_eval_metric``
    and the model intercept ``base_score`` (in margin space), then calls
    ``xgb.train``. The intercept is part of the returned Booster: predicting on
    data without ``base_margin``, after ``save_model``/``load_model`` or pickling,
    includes it.

    Parameters
    ----------
    params : mapping
        XGBoost parameters; not modified. Binary unless ``num_class`` (>= 2) is
        given, which makes the model softmax multiclass with labels in
        ``[0, num_class)``, or ``dtrain`` holds a label matrix (multi-label).
        ``objective`` and ``base_score`` are not allowed (the loss is the
        objective, ``init_score`` the intercept). ``gamma`` and ``alpha`` here
        are XGBoost's (``min_split_loss`` and the L1 penalty ``reg_alpha``), as in
        ``xgb.train``; the focal gamma and alpha are ``loss``'s.
    dtrain : xgboost.DMatrix
        Training data with labels (0/1 binary, class indices multiclass, a 0/1
        matrix of shape ``(n_samples, n_labels)`` multi-label: one sigmoid focal
        loss per label, ``num_target`` and ``multi_strategy`` as XGBoost takes
        them) and optional row weights, which multiply the gradient, Hessian and
        metric.
    loss : FocalLoss
        From :func:`focal_boost.focal_loss` or :func:`focal_boost.ce_loss`.
    num_boost_round : int, default=100
    evals : sequence of (DMatrix, str), default=()
        Evaluation sets; the focal metric is logged on each, and the last one
        drives early stopping.
    init_score : {"auto"}, float, array-like of shape (num_class,) or None, default="auto"
        Starting raw margin of every row. ``"auto"``: the constant that minimises
        the weighted mean loss on ``dtrain`` (``loss.init_score``; one per label
        for multi-label); a number or a per-class (per-label) array: that margin;
        None: margin 0. Ignored by XGBoost when
        ``dtrain`` has a ``base_margin`` (that margin is the start): then only
        ``"auto"`` or None are accepted and the stored intercept is 0, so the
        model predicts consistently when given the same kind of ``base_margin``.
        With ``xgb_model`` (continued training) the model's own intercept is
        kept and ``init_score`` must be ``"auto"``; the new model predicts with
        all its trees (the continued model's ``best_iteration`` is dropped) unless
        early stopping of this run sets a new one.
    early_stopping_rounds : int, default=None
        Stop when the last metric on the last eval set has not improved for
        this many rounds; the Booster then has ``best_iteration``, which
        :func:`predict_margin` uses by default.
    verbose_eval : bool or int, default=True
        As in ``xgb.train``: print the metrics on ``evals`` every round (or every
        ``verbose_eval`` rounds).
    callbacks : sequence of TrainingCallback, default=None
    labels : DMatrixLabels, default=None
        How the objective and the focal metric read the DMatrices' labels and
        weights: a caller that built ``dtrain`` from labels it still holds passes
        them in (:meth:`DMatrixLabels.add`) instead of a copy read back from
        XGBoost. None: each DMatrix is read once. One run's: it keeps what it has
        read, so a DMatrix whose labels were set again since is read as before;
        pass a new one to each run.
    warn_other_loss : bool, default=True
        Warn when ``xgb_model`` was trained on another loss (a log-loss model, or a
        focal model of another gamma or alpha: a fitted estimator's ``loss_``, a
        booster's :func:`stored_loss`): its trees'
        margins are kept, but :func:`predict_proba`'s posterior correction assumes
        every tree was trained on ``loss``.
    **kwargs
        Passed to ``xgb.train`` (``evals_result``, ``xgb_model``, ``maximize``,
        ``custom_metric``...). A ``custom_metric`` given here replaces the
        focal metric (``maximize`` is then left to the caller). With
        ``params["eval_metric"]``, early stopping follows its last metric, as
        ``xgb.train`` does (``maximize`` applies to it), not the focal loss. ``obj`` is
        not accepted. ``xgb_model`` may also be a fitted estimator, as
        ``XGBClassifier.fit`` takes it.

    Returns
    -------
    xgboost.Booster

    Examples
    --------
    >>> import numpy as np
    >>> import xgboost as xgb
    >>> from focal_boost import focal_loss
    >>> from focal_boost.xgboost import predict_proba, train
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(500, 3))
    >>> y = (X[:, 0] + rng.normal(size=500) > 1.5).astype(int)
    >>> dtrain = xgb.DMatrix(X[:400], label=y[:400])
    >>> dvalid = xgb.DMatrix(X[400:], label=y[400:])
    >>> booster = train(
    ...     {"max_depth": 3, "eta": 0.1}, dtrain, focal_loss(gamma=2, alpha=0.25),
    ...     num_boost_round=50, evals=[(dvalid, "valid")], early_stopping_rounds=5,
    ...     verbose_eval=False,
    ... )
    >>> proba = predict_proba(booster, X[400:])  # P(y=1), the recovered posterior
    >>> proba.shape
    (100,)

    Multiclass: add ``"num_class": k`` to ``params``; ``predict_proba`` then
    returns ``(n_samples, k)``. Multi-label: give the DMatrix a 0/1 label matrix
    of shape ``(n_samples, k)``; ``predict_proba`` returns the probability of
    each label, ``(n_samples, k)``.
    """
    if not isinstance(dtrain, xgb.DMatrix):
        raise TypeError(f"dtrain must be an xgboost.DMatrix, got {type(dtrain).__name__}")
    if kwargs.pop("obj", None) is not None:  # (None is xgb.train's default)
        raise TypeError("train() sets obj from loss; pass a FocalLoss as loss instead")
    check_callbacks(callbacks)
    _check_label_reader(labels)
    labels = DMatrixLabels() if labels is None else labels  # for the intercept and every round
    try:  # (labels_weights refuses a DMatrix with rows but no labels)
        y, w = labels(dtrain)
    except ValueError:
        raise ValueError(
            "dtrain has no labels: build it with xgb.DMatrix(X, label=y) (the class index "
            "of each row, or a 0/1 matrix for multi-label)"
        ) from None
    evals = list(evals or ())  # None too, as xgb.train takes it
    for i, pair in enumerate(evals):
        if not (isinstance(pair, tuple | list) and len(pair) == 2
                and isinstance(pair[0], xgb.DMatrix) and isinstance(pair[1], str)):
            got = (f"({', '.join(type(x).__name__ for x in pair)})"
                   if isinstance(pair, tuple | list) else type(pair).__name__)
            raise TypeError(f"evals[{i}] must be a (DMatrix, name) pair, got {got}")
        dmat, name = pair
        try:  # the focal loss would have nothing to score
            yv, _ = labels(dmat)
        except ValueError:
            raise ValueError(f"evals[{i}] ({name!r}) has no labels: build it with "
                             "xgb.DMatrix(X, label=y) to evaluate the model on it") from None
        # A label matrix of another width: XGBoost would take its width as the number
        # of outputs (the training labels then scored as softmax classes), or score 1-D
        # labels against the model's label columns; xgb.train with a built-in objective
        # refuses both
        if yv.size and _n_labels(yv) != _n_labels(y):
            raise ValueError(
                f"evals[{i}] ({name!r}) has labels of shape {np.shape(yv)}, dtrain "
                f"{np.shape(y)}: give every set the training data's kind of label (one "
                "class index per row, or a 0/1 matrix of as many labels)")
    # A custom_metric given here replaces the focal loss; maximize is then the caller's.
    custom_metric = kwargs.pop("custom_metric", None)
    if kwargs.get("xgb_model") is not None:  # a saved model read once, not at every step
        kwargs["xgb_model"] = read_model(kwargs["xgb_model"])
    start = dtrain.get_base_margin()
    if start.size:
        check_start_margins(start, dtrain.num_row(), "dtrain's base_margin",
                            note=" (XGBoost holds them in float32, where a value beyond "
                                 "3.4e38 is inf)")
    run = prepare(params, loss, y_true=y, sample_weight=w, init_score=init_score,
                  base_margin=bool(start.size),
                  xgb_model=kwargs.get("xgb_model"), custom_metric=custom_metric,
                  labels=labels, warn_other_loss=warn_other_loss)
    # each evaluation set's labels checked as dtrain's, by name (the loss named its own
    # arguments, y_true and y_pred, in the first round's metric)
    k = run.params.get("num_class")
    for i, (dmat, name) in enumerate(evals if custom_metric is None else ()):
        yv, _ = labels(dmat)  # (a custom_metric of the caller's reads them its own way)
        if _n_labels(yv) is None:
            check_num_class(np.ravel(yv), None if k is None else int(k),
                            f"evals[{i}] ({name!r})")
    if kwargs.get("xgb_model") is not None:
        kwargs["xgb_model"] = to_booster(kwargs["xgb_model"])
    named: list = []  # the caller's EarlyStopping given a metric name for this run
    if custom_metric is None:
        early_stopping_rounds, callbacks, verbose_eval, named = _follow_eval_metric(
            run.params, early_stopping_rounds, callbacks, verbose_eval, kwargs)
    try:
        booster = xgb.train(
            run.params,
            dtrain,
            num_boost_round,
            evals=evals,
            early_stopping_rounds=early_stopping_rounds,
            verbose_eval=verbose_eval,
            **run.train_kwargs(evals, callbacks),
            **kwargs,
        )
    finally:
        for callback in named:  # (left as given, as xgb.train leaves it)
            callback.metric_name = None
    return finish(booster, run, dtrain)


def _follow_eval_metric(params, early_stopping_rounds, callbacks, verbose_eval, kwargs):
    """Early stopping as ``xgb.train`` does it with the caller's ``eval_metric``: on the
    last one (XGBoost evaluates the focal loss, a custom metric, after its own
    metrics, and stopped on it), with the caller's ``maximize`` for it (it maximised
    the focal loss: one tree kept), also in the caller's ``EarlyStopping`` callbacks
    that name no metric (named for the run: the last return value lists them);
    without one on the focal loss, minimised. Returns the rounds, callbacks and
    ``verbose_eval`` for ``xgb.train``; ``kwargs`` loses ``maximize``."""
    names = params.get("eval_metric")
    names = [names] if isinstance(names, str) else list(names or [])
    maximize = kwargs.pop("maximize", None)
    if maximize and early_stopping_rounds and not names:
        raise ValueError("maximize=True: early stopping follows the focal loss, which is "
                         "minimised; name the metric to maximise in params['eval_metric'] "
                         "(early stopping then follows the last one)")
    named = [callback for callback in callbacks or []
             if names and isinstance(callback, xgb.callback.EarlyStopping)
             and not callback.metric_name]
    for callback in named:  # the caller's object, which training updates
        callback.metric_name = names[-1]
    if names and early_stopping_rounds:
        # after the evaluation log's printer, as xgb.train orders them (the round that
        # stops is printed)
        monitor = ([xgb.callback.EvaluationMonitor(
            period=1 if verbose_eval is True else int(verbose_eval))] if verbose_eval else [])
        stopping = xgb.callback.EarlyStopping(rounds=int(early_stopping_rounds),
                                              metric_name=names[-1], maximize=maximize)
        return None, [*(callbacks or []), *monitor, stopping], False, named
    kwargs["maximize"] = False
    return early_stopping_rounds, callbacks, verbose_eval, named


class _FullPrecision(xgb.callback.TrainingCallback):
    """A custom metric whose values reach the evaluation log at full precision.

    XGBoost logs a custom metric's values formatted with ``"%f"``, six decimals:
    3.65e-05 is logged as 3.7e-05, and early stopping sees ties where the loss still
    falls. Called as the metric, this keeps the round's values (one call per
    evaluation set, in order); as the first callback it puts them into the log
    before the others (early stopping, the monitor) read it. The values are kept by
    thread: Dask workers in one process share the object. (On Dask every worker
    evaluates whole validation sets, so its own values are the global ones.)
    """

    def __init__(self, metric: Callable, names: list[str]) -> None:
        super().__init__()
        self.metric = metric
        self.names = names if len(set(names)) == len(names) else []  # one log per set
        self.values: dict[int, list] = {}

    def __call__(self, predt: np.ndarray, dmat: xgb.DMatrix):
        out = self.metric(predt, dmat)
        self.values.setdefault(threading.get_ident(), []).append(out)
        return out

    def after_iteration(self, model, epoch: int, evals_log) -> bool:
        values = self.values.pop(threading.get_ident(), [])
        # (no names: two sets of one name share a log, whose last entry is not theirs)
        for name, out in zip(self.names, values, strict=False):
            for metric, value in out if isinstance(out, list) else [out]:
                log = evals_log.get(name, {}).get(metric)
                if log:
                    log[-1] = float(value)
        return False


def check_callbacks(callbacks: Sequence[xgb.callback.TrainingCallback] | None,
                    recorded: Sequence[str] | None = None) -> None:
    """Refuse callbacks that would give a wrong model without an error.

    An ``EarlyStopping`` used in an earlier run keeps that run's history (XGBoost's
    callbacks are stateful; its documentation asks for a fresh one per run): it stopped
    the next run after one round. With ``recorded`` (the metrics the run records), an
    ``EarlyStopping`` on a metric not among them is refused as well.
    """
    for callback in callbacks or []:
        if not isinstance(callback, xgb.callback.EarlyStopping):
            continue
        if callback.stopping_history:
            raise ValueError(
                "callbacks: this EarlyStopping was used in an earlier fit and keeps its "
                "history (XGBoost's callbacks are stateful): pass a new "
                "xgb.callback.EarlyStopping(...) for every fit, or use "
                "early_stopping_rounds")
        name = callback.metric_name
        if recorded is not None and name is not None and name not in recorded:
            # XGBClassifier records its logloss by default; this model its focal loss
            raise ValueError(f"callbacks: EarlyStopping(metric_name={name!r}) follows "
                             f"a metric the fit does not record ({list(recorded)}): add it "
                             f"to eval_metric (eval_metric={name!r}) or follow one "
                             "of these")


@contextlib.contextmanager
def directed_callbacks(callbacks: Sequence[xgb.callback.TrainingCallback] | None,
                       directions: Mapping[str, bool]):
    """The callbacks an estimator's fit trains with (checked by :func:`check_callbacks`).

    An ``EarlyStopping`` left to guess the direction from the metric's name
    (``maximize=None``: XGBoost maximises names that start with "auc", "map", "ndcg" or
    "pre") gets the direction of the metric it follows, its ``metric_name`` or else the
    last of ``directions`` (the recorded names, each with whether higher is better): it
    minimised "average_precision" and ``roc_auc_score``, which early_stopping_rounds
    maximises. XGBoost's own class trains as a fresh copy, so that the caller's object
    stays as given for the next fit (which may follow another metric; in the Dask
    estimator a copy trains on the workers anyway); a subclass, which may hold what does
    not copy or record into itself for its caller, trains as given, its direction set
    for the fit and unset after it.
    """
    out, unset = [], []
    last = list(directions)[-1] if directions else None
    for callback in callbacks or []:
        if isinstance(callback, xgb.callback.EarlyStopping):
            direction = (directions.get(callback.metric_name or last)
                         if callback.maximize is None else None)
            if type(callback) is xgb.callback.EarlyStopping:
                callback = copy.deepcopy(callback)
            elif direction is not None:
                unset.append(callback)
            if direction is not None:
                callback.maximize = direction
        out.append(callback)
    try:
        yield out
    finally:
        for callback in unset:
            callback.maximize = None


def _params_dict(params) -> dict[str, Any]:
    """``params`` as ``xgb.train`` takes them: a mapping, None (no parameters) or a
    list of ``(name, value)`` pairs, where a repeated ``eval_metric`` adds a metric."""
    if params is None:
        return {}
    if isinstance(params, Mapping):
        return dict(params)
    if isinstance(params, list | tuple) and all(
            isinstance(pair, list | tuple) and len(pair) == 2 and isinstance(pair[0], str)
            for pair in params):
        result: dict[str, Any] = {}
        for key, value in params:
            if key == "eval_metric" and key in result:
                previous = result[key]
                result[key] = [*(previous if isinstance(previous, list) else [previous]),
                               value]
            else:
                result[key] = value
        return result
    raise TypeError("params must be a mapping (dict), None or a list of (name, value) "
                    f"pairs, got {type(params).__name__}")


def _training_params(params: Mapping[str, Any]) -> tuple[dict[str, Any], int | None]:
    """A copy of ``params`` for a focal-loss model, and its number of classes (None: binary).

    Refuses what a custom objective ignores or replaces; sets ``num_class`` as an
    integer and switches the default metric off.
    """
    params = _params_dict(params)
    for key in ("objective", "obj", "base_score"):
        if params.get(key) is not None:  # None: XGBoost's default
            hint = "set init_score instead" if key == "base_score" else "the loss is the objective"
            raise ValueError(f"params must not contain {key!r}: {hint}")
        params.pop(key, None)
    weight = params.get("scale_pos_weight")
    if weight is not None and not is_number(weight, 1):  # 1 (or "1"): the default
        raise ValueError(f"scale_pos_weight={weight!r} has no effect with a custom objective: "
                         "weigh the classes with the loss's alpha")
    params.pop("scale_pos_weight", None)
    k = _n_classes(params)
    if k is not None:
        params["num_class"] = k
    else:
        params.pop("num_class", None)
    params.setdefault("disable_default_eval_metric", True)
    return params, k


# XGBoost metrics that stay right on raw margins: they read only the ranking of rows.
_MARGIN_METRICS = {"auc", "aucpr"}
# XGBoost 3.4's AUCs take a label matrix (the mean over the labels, as the estimators');
# 3.2's stopped at the first evaluation ("labels.Size() == predts.size()")
_LABEL_MATRIX_AUCS = tuple(int(part) for part in re.findall(r"\d+", xgb.__version__)[:2]) >= (3, 4)


def _check_metric_names(eval_metric, *, multiclass: bool, multilabel: bool = False) -> None:
    """Refuse built-in metrics that XGBoost would compute on raw margins: under a custom
    objective it applies no link, so ``logloss`` came out negative and ``error@t``
    thresholded margins. Multiclass AUCs are refused too: XGBoost ranks rows by the
    softmax of the margins, not by the posterior; and for a label matrix before XGBoost
    3.4 (its AUCs stopped at the first evaluation: "labels.Size() == predts.size()")."""
    names = [] if eval_metric is None else (
        [eval_metric] if isinstance(eval_metric, str) else list(eval_metric))
    refuse_focal_metric_name(names, "params['eval_metric']",
                             f"evals_result[set][{METRIC_NAME!r}], custom_metric's default")
    allowed = (set() if multiclass or (multilabel and not _LABEL_MATRIX_AUCS)
               else _MARGIN_METRICS)
    bad = [n for n in names if not (isinstance(n, str) and n in allowed)]
    if bad and multilabel and not _LABEL_MATRIX_AUCS:
        raise ValueError(
            f"params['eval_metric'] {bad}: XGBoost's metrics under a custom objective are "
            "computed on raw margins, and before XGBoost 3.4 its 'auc' and 'aucpr' do not "
            "take a label matrix (multi-label); use FocalXGBClassifier(eval_metric=...), "
            "which computes them on "
            "the posterior probabilities per label, or pass custom_metric=f(predt, dmatrix) "
            "that scores focal_boost.metrics.auc / aucpr of "
            "loss.predict_proba(predt, multilabel=True) (your FocalLoss)")
    if bad:
        # (a label matrix's margins, read by predict_proba as one row's classes, would
        # be a softmax across the labels)
        proba = f"loss.predict_proba(predt{', multilabel=True' * multilabel})"
        raise ValueError(
            f"params['eval_metric'] {bad}: under a custom objective XGBoost computes its "
            "metrics on raw margins, which gives wrong values for any but 'auc' and "
            f"'aucpr' of a binary{' or multi-label' * _LABEL_MATRIX_AUCS} model (rankings); "
            "use FocalXGBClassifier(eval_metric=...), which computes them on the posterior "
            f"probabilities, or pass custom_metric=f(predt, dmatrix) that scores {proba} "
            "(your FocalLoss)"
        )


def booster_type(booster: xgb.Booster) -> str:
    """``"gbtree"``, ``"dart"`` or ``"gblinear"``."""
    return json.loads(booster.save_config())["learner"]["gradient_booster"]["name"]


def has_vector_leaves(trees: Mapping[str, Any]) -> bool:
    """Whether the trees of a model's JSON (its gradient booster's ``model``) have
    vector leaves (``multi_strategy="multi_output_tree"``), read from the trees
    themselves: a model file keeps no multi_strategy."""
    return any(int(tree["tree_param"].get("size_leaf_vector", 1)) > 1
               for tree in trees.get("trees", ()))


def has_dropout_weights(trees: Mapping[str, Any]) -> bool:
    """Whether the trees of a model's JSON (its gradient booster's ``model``) carry
    dropout weights other than 1: ``booster="dart"``, and from XGBoost 3.4 a tree
    booster's ``rate_drop`` (``one_drop``; none with ``skip_drop=1``)."""
    return any(float(w) != 1.0 for w in trees.get("weight_drop", ()))


def is_multilabel(booster: xgb.Booster) -> bool:
    """Whether the booster has several targets (multi-label), not classes."""
    model = json.loads(booster.save_config())["learner"]["learner_model_param"]
    return int(model["num_target"]) > 1


def stored_loss(booster: xgb.Booster, *, missing_ok: bool = False) -> FocalLoss | None:
    """The focal loss a Booster of :func:`train` was trained on (a Booster attribute).

    Parameters
    ----------
    booster : xgboost.Booster
        A model of :func:`train`, in memory or loaded from its file.
    missing_ok : bool, default=False
        Give None for a Booster that carries no loss, rather than raise (for callers
        that say in their own words what to pass instead).

    Returns
    -------
    FocalLoss or None
        None only with ``missing_ok=True``.

    Raises
    ------
    ValueError
        The Booster carries no loss (without ``missing_ok``), or an attribute this
        package did not write (an edited or damaged file).
    """
    stored = booster.attr(LOSS_ATTR)
    if stored is None:
        if missing_ok:
            return None
        raise ValueError(
            "the booster carries no focal loss (it was not trained by "
            "focal_boost.xgboost.train): pass the loss, predict_proba(booster, data, loss)"
        )
    try:  # the attribute of an edited or damaged file: say which, never guess a loss
        spec = json.loads(stored)
        if not isinstance(spec, dict) or set(spec) != {"gamma", "alpha"}:
            raise ValueError('not {"gamma": ..., "alpha": ...}')
        return FocalLoss(spec["gamma"], spec["alpha"])
    except (ValueError, TypeError) as exc:  # (json's errors are ValueErrors)
        raise ValueError(f"the booster's attribute {LOSS_ATTR}={stored!r} is not a focal "
                         f"loss this package wrote ({exc}); the model file was edited or "
                         "damaged") from None


def _check_booster(booster) -> None:
    check_booster(booster, xgb.Booster, "an xgboost.Booster", "get_booster()")


def predict_margin(
    booster: xgb.Booster,
    data: Any,
    *,
    iteration_range: tuple[int, int] | None = None,
    missing: float = np.nan,
    validate_features: bool = True,
) -> np.ndarray:
    """Raw margins of a focal-loss Booster, intercept included.

    ``Booster.predict`` of a model trained with a custom objective and
    ``num_class`` returns argmax labels, not margins; this always returns margins.

    Parameters
    ----------
    booster : xgboost.Booster
        A model from :func:`train` (or ``xgb.train`` with a custom objective);
        any booster (``gbtree``, ``dart``, ``gblinear``).
    data : xgboost.DMatrix or array-like
        A DMatrix (its ``base_margin``, if any, replaces the intercept, as in
        training) or anything ``Booster.inplace_predict`` accepts (numpy,
        scipy.sparse, pandas with categorical columns, ...).
    iteration_range : (int, int), default=None
        Trees to use, as in ``Booster.predict``. None uses the trees up to
        ``best_iteration`` when the model was early-stopped, else all of them
        (as the scikit-learn wrapper of XGBoost does).
    missing : float, default=np.nan
        The value that marks a missing entry in ``data`` (not a DMatrix).
    validate_features : bool, default=True
        Check that the feature names of ``data`` match the booster's.

    Returns
    -------
    ndarray of float64, shape (n_samples,) binary or (n_samples, num_class / n_labels)
        Also for ``data`` without rows.
    """
    return np.asarray(library_margins(booster, data, iteration_range=iteration_range,
                                      missing=missing, validate_features=validate_features),
                      dtype=np.float64)


def library_margins(booster: xgb.Booster, data: Any, *,
                    iteration_range: tuple[int, int] | None = None, missing: float = np.nan,
                    validate_features: bool = True) -> np.ndarray:
    """:func:`predict_margin` in XGBoost's own float32: where the margins only pass through
    the posterior, which converts them a block of rows at a time, a float64 copy of them
    all (80 MB for 1M rows of 10 classes) raised predict_proba's peak memory by 40 MB. The
    package's internal API (not in __all__)."""
    _check_booster(booster)
    if iteration_range is None:
        best = booster.attr("best_iteration")
        iteration_range = (0, int(best) + 1) if best is not None else (0, 0)
    predict = {"iteration_range": iteration_range, "validate_features": validate_features}
    data = native_byte_order(data)
    try:
        out = _library_margins(booster, data, missing, predict)
    except ValueError as exc:
        raise _renamed_features(exc, booster, data) from None
    if out.size == 0:  # no rows: XGBoost returns (0,) whatever the number of outputs
        k = n_outputs(booster)
        out = out.reshape((0,) if k == 1 else (0, k))
    return out


def _renamed_features(exc: ValueError, booster: xgb.Booster, data: Any) -> ValueError:
    """``exc``, XGBoost's, with a hint where it is a feature-name mismatch of a booster
    whose features are XGBoost's default names (f0, f1, ...: the estimators' where
    XGBoost refused the column names of a DataFrame) and data of other names."""
    default = [f"f{i}" for i in range(booster.num_features())]
    if ("feature_names mismatch" not in str(exc) or booster.feature_names != default
            or not hasattr(data, "columns")):
        return exc
    return ValueError(f"{exc}\nThe booster names its features f0, f1, ... (as the "
                      "estimators name them where XGBoost refuses the column names): pass "
                      "validate_features=False to read the columns by position, or an "
                      "array")


def _library_margins(booster: xgb.Booster, data: Any, missing: float,
                     predict: dict[str, Any]) -> np.ndarray:
    """The margins of ``data`` from XGBoost, in place where it can (``predict``: the
    keywords of both ways)."""
    out = None
    if not isinstance(data, xgb.DMatrix):
        try:
            out = booster.inplace_predict(data, predict_type="margin", missing=missing,
                                          **predict)
        except TypeError:  # a type inplace_predict does not take: go through a DMatrix
            pass
        except xgb.core.XGBoostError:
            # gblinear has no in-place prediction (its type is read only here: parsing
            # the configuration took a third of a one-row prediction's time)
            if booster_type(booster) != "gblinear":
                raise
    if out is None:
        if not isinstance(data, xgb.DMatrix):  # gblinear has no in-place prediction
            names = None
            if (not predict["validate_features"] and hasattr(data, "columns")
                    and len(booster.feature_names or ()) == data.shape[1]):
                # the booster's, where XGBoost refused the frame's own (f0, ...: the
                # estimators checked them): DMatrix would refuse them again
                names = booster.feature_names
            data = xgb.DMatrix(data, missing=missing, enable_categorical=True,
                               feature_names=names)
        out = booster.predict(data, output_margin=True, **predict)
    return np.asarray(out)


def _native(dtype: Any) -> Any:
    """``dtype`` in this machine's byte order: a NumPy dtype, or a pandas sparse one's
    values (``Sparse[>f8]``); ``dtype`` itself where it is native or neither."""
    if isinstance(dtype, np.dtype):
        return dtype if dtype.isnative else dtype.newbyteorder("=")
    subtype = getattr(dtype, "subtype", None)  # (pandas' SparseDtype)
    if type(dtype).__name__ == "SparseDtype" and not subtype.isnative:
        return type(dtype)(subtype.newbyteorder("="), dtype.fill_value)
    return dtype


def native_byte_order(data: Any) -> Any:
    """``data`` (an array or a DataFrame) with its numbers in this machine's byte order.

    XGBoost 3.2 reads big-endian numbers (a ``">f8"`` array or DataFrame column) as if
    they were native: probabilities 0.97 off in one case, or "inf" refused in training
    (dmlc/xgboost#12433); NumPy converts them exactly. Anything else is returned as
    it is.
    """
    dtypes = getattr(data, "dtypes", None)
    if hasattr(data, "columns") and hasattr(dtypes, "items"):  # a pandas or Dask DataFrame
        swapped = {i: native for i, dtype in enumerate(dtypes)
                   if (native := _native(dtype)) is not dtype}
        if not swapped:
            return data
        if data.columns.is_unique:
            return data.astype({data.columns[i]: dtype for i, dtype in swapped.items()})
        data = data.copy(deep=False)  # (pandas: names given twice, by position)
        for i, dtype in swapped.items():
            data.isetitem(i, data.iloc[:, i].astype(dtype))
        return data
    dtype = getattr(data, "dtype", None)
    if isinstance(dtype, np.dtype) and not dtype.isnative and hasattr(data, "astype"):
        return data.astype(dtype.newbyteorder("="))  # a NumPy or Dask array
    return data


def linear_weights(booster: xgb.Booster) -> np.ndarray:
    """The feature weights of a linear booster (``booster="gblinear"``): the raw
    margins are ``X @ weights.T + start_margin(booster)``.

    Parameters
    ----------
    booster : xgboost.Booster
        A linear booster; another kind raises ``AttributeError`` (as
        ``XGBClassifier.coef_`` does).

    Returns
    -------
    ndarray of float64
        Shape (n_features,) for one output, else (n_outputs, n_features).
    """
    _check_booster(booster)
    if booster_type(booster) != "gblinear":
        raise AttributeError(f"feature weights are defined for booster='gblinear' only, "
                             f"this booster is {booster_type(booster)!r}")
    weights = np.asarray(json.loads(booster.get_dump(dump_format="json")[0])["weight"],
                         dtype=np.float64)
    k = n_outputs(booster)
    # stored feature-major: the weight of feature j for output g is weights[j * k + g]
    return weights if k == 1 else weights.reshape(-1, k).T


def start_margin(booster: xgb.Booster) -> np.ndarray:
    """The margin a row starts from: the intercept ``base_score`` of trees; for a
    linear booster the margin of a row of zeros (its bias, and ``base_score``, which
    XGBoost's linear booster adds as one number to every output).

    Parameters
    ----------
    booster : xgboost.Booster
        Any booster (``gbtree``, ``dart``, ``gblinear``).

    Returns
    -------
    ndarray of float64, shape (n_outputs,)
    """
    _check_booster(booster)
    k = n_outputs(booster)
    if booster_type(booster) == "gblinear":
        zeros = np.zeros((1, booster.num_features()))
        return predict_margin(booster, zeros, validate_features=False).reshape(k)
    learner = json.loads(booster.save_config())["learner"]
    base = np.asarray(json.loads(learner["learner_model_param"]["base_score"]),
                      dtype=np.float64)
    # a model begun with a built-in logistic objective (XGBClassifier's, continued here)
    # keeps its base_score as a probability, one with a log link as a mean: XGBoost turns
    # them into margins
    objective = learner["objective"]["name"]
    if objective in _PROBABILITY_BASE_SCORE:
        from scipy.special import logit

        base = logit(base)
    elif objective in _MEAN_BASE_SCORE:
        base = np.log(base)
    return np.broadcast_to(base, (k,)).copy()


# objectives whose base_score XGBoost stores as a probability, or as the mean of a log
# link (ours, and the others, store margins)
_PROBABILITY_BASE_SCORE = ("binary:logistic", "reg:logistic")
_MEAN_BASE_SCORE = ("count:poisson", "reg:gamma", "reg:tweedie", "survival:cox",
                    "survival:aft")


def n_outputs(booster: xgb.Booster) -> int:
    """Margins per row: 1 (binary), the classes or the labels."""
    model = json.loads(booster.save_config())["learner"]["learner_model_param"]
    return max(int(model["num_class"]), int(model["num_target"]), 1)


def predict_proba(
    booster: xgb.Booster,
    data: Any,
    loss: FocalLoss | None = None,
    *,
    iteration_range: tuple[int, int] | None = None,
    missing: float = np.nan,
    validate_features: bool = True,
) -> np.ndarray:
    """Class probabilities: the posterior recovered from the focal-trained margins.

    ``loss.predict_proba(predict_margin(booster, data))``: focal loss is not a
    proper scoring rule, and this undoes its distortion of the sigmoid/softmax
    (see :meth:`focal_boost.FocalLoss.predict_proba`); :func:`inverse_link` is the
    plain link.

    Parameters
    ----------
    booster, data
        As in :func:`predict_margin`.
    loss : FocalLoss, default=None
        The loss the booster was trained with. None: the gamma and alpha that
        :func:`train` stored in the booster (they survive saving, loading and
        pickling).
    iteration_range, missing, validate_features
        As in :func:`predict_margin` (keywords only).

    Returns
    -------
    ndarray of float64
        Shape (n_samples,), the probability of class 1, for a binary model;
        (n_samples, num_class), rows summing to 1, for a multiclass one;
        (n_samples, n_labels), the probability of each label, for a multi-label one.
    """
    _check_booster(booster)  # (before its loss is read from it)
    given = loss
    loss = stored_loss(booster) if given is None else _check_loss(given)
    check_link(booster)
    margin = predict_margin(booster, data, iteration_range=iteration_range, missing=missing,
                            validate_features=validate_features)
    multilabel = is_multilabel(booster)
    stored = None if given is None else stored_loss(booster, missing_ok=True)
    if stored is not None:  # (given None: the loss was read from it)
        warn_given_loss(stored, loss, 2 if margin.ndim == 1 else margin.shape[1], multilabel)
    return loss.predict_proba(check_model_margins(margin, multilabel), multilabel=multilabel)


def inverse_link(
    booster: xgb.Booster,
    data: Any,
    *,
    iteration_range: tuple[int, int] | None = None,
    missing: float = np.nan,
    validate_features: bool = True,
) -> np.ndarray:
    """The plain link of the margins: ``sigmoid`` (binary, per label) or ``softmax``.

    What a log-loss model reports as probabilities; for a focal-trained model
    (``gamma > 0`` or ``alpha``) a score ranked like the class posterior, not the
    posterior (use :func:`predict_proba`).

    Parameters
    ----------
    booster, data, iteration_range, missing, validate_features
        As in :func:`predict_margin`.

    Returns
    -------
    ndarray of float64, shape (n_samples,) binary or (n_samples, num_class / n_labels)
    """
    _check_booster(booster)
    check_link(booster)
    margin = predict_margin(booster, data, iteration_range=iteration_range, missing=missing,
                            validate_features=validate_features)
    return FocalLoss(0.0).inverse_link(margin, multilabel=is_multilabel(booster))


# XGBoost's objectives whose probabilities are the sigmoid or softmax of the margins, and
# reg:squarederror, which a model of a custom objective records (it cannot be told apart
# from a plain regression model)
_PLAIN_LINKS = ("binary:logistic", "binary:logitraw", "reg:logistic", "multi:softprob",
                "multi:softmax", "reg:squarederror")


def check_link(booster: xgb.Booster) -> None:
    """Refuse a plain model whose objective does not map margins to probabilities by
    the sigmoid or softmax that predict_proba and inverse_link apply (count:poisson,
    binary:hinge, survival and ranking objectives, ...): they came out as
    probabilities, silently (0.14 and 0.48 off ``booster.predict``)."""
    name = json.loads(booster.save_config())["learner"]["objective"]["name"]
    if name not in _PLAIN_LINKS:
        raise ValueError(f"the booster's objective {name!r} does not map its margins to "
                         "probabilities by the sigmoid or softmax: booster.predict(data) "
                         "gives its predictions; focal_boost.xgboost.predict_margin the "
                         "margins")
