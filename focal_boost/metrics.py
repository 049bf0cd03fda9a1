"""Evaluation metrics: one definition of each, shared by the estimators, the command
line and the benchmarks.

Conventions
-----------
``y_true`` holds class indices ``0 .. k-1`` of shape (n,), or a 0/1 label matrix of
shape (n, L) for multi-label problems. ``proba`` holds probabilities:

* binary: P(class 1) of shape (n,), or the two columns (n, 2), of which column 1 is
  used; binary metrics are those of class 1 (the positive class);
* multiclass: shape (n, k), rows summing to 1;
* multi-label: shape (n, L), the probability of each label.

``sample_weight`` (None: equal weights) weighs rows; for multi-label every entry of a
row carries the row's weight.

Definitions (:math:`w_i` the weights, :math:`p_i` the probability of the positive class
or label, :math:`y_i \\in \\{0, 1\\}`):

================  ===========================================================
``pr_auc``        average precision,
                  :math:`\\sum_t (R_t - R_{t-1}) P_t` over thresholds
                  (scikit-learn's ``average_precision_score``)
``roc_auc``       area under the ROC curve (``roc_auc_score``)
``auc``           XGBoost's ``auc``: ``roc_auc``, but multiclass weighs each
                  class by its share of the rows
``aucpr``         XGBoost's ``aucpr``: the precision-recall curve's area,
                  interpolated between thresholds (Davis and Goadrich 2006)
``log_loss``      :math:`-\\sum_i w_i \\log p_{i, y_i} / \\sum_i w_i`
``brier``         :math:`\\sum_i w_i \\sum_j (p_{ij} - [y_i = j])^2 / \\sum_i w_i`,
                  the sum over classes for multiclass (0 to 2); binary
                  :math:`\\sum_i w_i (p_i - y_i)^2 / \\sum_i w_i` (0 to 1)
``ece``           expected calibration error over ``ECE_BINS`` = 15 equal-width
                  bins :math:`b = \\min(\\lfloor 15 p \\rfloor, 14)`:
                  :math:`\\sum_b |\\sum_{i \\in b} w_i (p_i - y_i)| / \\sum_i w_i`,
                  i.e. each bin's share of the weight times the gap between its
                  mean probability and its fraction of positives
``error``         share of rows whose most probable class is wrong (binary:
                  :math:`p_i > 1/2` predicts class 1)
``auc_mu``        multiclass only: the mean over pairs of classes
                  :math:`i < j` of the AUC of class :math:`i` against class
                  :math:`j` on their rows, ranked by
                  :math:`\\log p_{\\cdot i} - \\log p_{\\cdot j}` (LightGBM's
                  AUC-mu with its default weights, Kleiman and Page 2019)
================  ===========================================================

Multiclass: PR-AUC and ROC-AUC are one-vs-rest and macro, the unweighted mean over
the classes present in ``y_true`` (with at least one row in and one row out of the
class) of the binary metric of that class; ECE is class-wise, the mean over all
classes of the one-vs-rest ECE of each class's probability (not the top-label ECE);
log-loss, Brier score and error as above. Multi-label: every metric is the mean over
labels of the binary metric of each label (PR-AUC and ROC-AUC over the labels with
both values present).

Cross-validation combines folds as the mean of the per-fold values, with the sample
standard deviation over folds as the spread (:func:`fold_mean_std`).

The focal loss as an evaluation metric (:func:`focal_metric`) is computed on raw
margins; every other metric on probabilities. :func:`eval_metrics` resolves an
estimator's ``eval_metric`` (library metric names and callables) and
:func:`metric_values` evaluates the focal loss and those metrics on margins.

This module needs numpy and the core; scikit-learn is imported when a ranking metric
or log-loss is computed.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import numbers
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import numpy.typing as npt

from focal_boost._loss import FocalLoss, check_loss, weighted_mean
from focal_boost._posterior import NonFiniteMarginsError
from focal_boost._validation import check_sample_weight, numeric_array

__all__ = [
    "METRIC_NAME", "ECE_BINS", "SCORES", "LIBRARY_METRICS", "EvalMetric",
    "focal_metric", "pr_auc", "roc_auc", "auc", "aucpr", "auc_mu", "log_loss", "brier",
    "ece", "error",
    "reliability_curve", "scores", "fold_mean_std", "callable_metric", "eval_metrics",
    "metric_values", "metric_scores", "refuse_focal_metric_name", "library_metric_name",
]

METRIC_NAME = "focal_loss"
ECE_BINS = 15


# ------------------------------------------------------------------ shapes
def _weights(sample_weight) -> np.ndarray | None:
    if sample_weight is None or np.size(sample_weight) == 0:
        return None
    return numeric_array(sample_weight, "sample_weight")


def _unit_scaled(w: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """``w``, each class's weights times the power of two that brings the class's
    largest into [0.5, 1). A ranking of one class against another (an AUC) does not
    change with either class's scale, and powers of two multiply exactly: the value is
    unchanged, and products of two classes' total weights neither overflow nor
    underflow (weights of 1e160, or 1e-200, each gave NaN; classes weighed 1e300 and
    1e-300 too). ``classes``: each row's class index."""
    top = np.zeros(int(classes.max(initial=0)) + 1)
    np.maximum.at(top, classes, w)
    shift = np.frexp(top)[1]  # (0 where a class weighs nothing: left as it is)
    return np.ldexp(w, -shift[classes])


# Rows of probabilities must sum to 1 within this: float32 probabilities of many
# classes (XGBoost's) stay well inside it, a mistaken column does not. Rows of a
# coarser dtype are allowed scikit-learn's sqrt(eps) of it where that is larger
# (float32: 3.5e-4; half precision: 0.03).
_ROW_SUM_TOL = 1e-4


def _checked(y_true, proba, sample_weight, *, ranks: bool = False):
    """``(y, proba, w)`` checked as scikit-learn's metrics check them, with errors that
    name the argument: probabilities in [0, 1] of shape (n,), (n, k) or (n, L) (rows of
    class probabilities summing to 1; with labels of shape (n,), a column (n, 1) is
    P(class 1)), labels that are class indices (0/1 for binary and multi-label) of
    shape (n,) -- a column (n, 1) is taken as (n,) -- or (n, L),
    weights that are finite and not negative, one per row. ``proba`` keeps a float
    dtype (scikit-learn's log-loss tolerance of row sums depends on it). ``ranks``: a
    ranking metric, which takes binary and multi-label scores on any finite scale
    (margins), as scikit-learn's; multiclass rows are still class probabilities."""
    p = np.asarray(proba)
    if p.dtype.kind not in "f":
        p = p.astype(np.float64)
    if p.ndim not in (1, 2):
        raise ValueError(f"proba must have shape (n,) or (n, k), got {p.shape}")
    if p.size and not np.isfinite(p).all():
        raise ValueError(f"proba must be finite, got {p[~np.isfinite(p)][:3].tolist()}")
    y = np.asarray(y_true)
    if y.ndim == 2 and y.shape[1] == 1 and not (p.ndim == 2 and p.shape[1] == 1):
        y = y[:, 0]  # a column vector, as scikit-learn takes it
    if y.ndim == 1 and p.ndim == 2 and p.shape[1] == 1:
        p = p[:, 0]  # one column: P(class 1), as scikit-learn's log_loss takes it
    # (after a column y is flattened: its multiclass rows are probabilities too)
    ranked = ranks and not (y.ndim == 1 and p.ndim == 2 and p.shape[1] > 1)
    if p.size and not ranked and not (p.min() >= 0.0 and p.max() <= 1.0):
        bad = p[~((p >= 0.0) & (p <= 1.0))]
        raise ValueError(f"proba must hold probabilities in [0, 1], got {bad[:3].tolist()}")
    if y.dtype.kind not in "biuf":
        raise TypeError(f"y_true must hold class indices 0 .. k-1 (numbers), got dtype "
                        f"{y.dtype}: encode labels first (e.g. LabelEncoder)")
    if y.ndim not in (1, 2) or (y.ndim == 2 and y.shape != p.shape):
        raise ValueError(f"y_true of shape {y.shape} does not fit proba of shape {p.shape}"
                         ": y_true is (n,) class indices, or an (n, L) label matrix with "
                         "proba of the same shape")
    if len(y) != len(p):
        raise ValueError(f"y_true has {len(y)} rows and proba {len(p)}: one row each")
    top = 1 if y.ndim == 2 or p.ndim == 1 or p.shape[1] == 2 else p.shape[1] - 1
    ok = (y == np.round(y)) & (y >= 0) & (y <= top)
    if not ok.all():
        what = ("a label matrix must hold only 0 and 1" if y.ndim == 2
                else f"y_true must hold class indices 0 to {top}")
        raise ValueError(f"{what}, got {y[~ok][:3].tolist()}")
    if y.ndim == 1 and p.ndim == 2:  # class probabilities: rows sum to 1
        if p.shape[1] < 2:
            raise ValueError(f"proba of shape {p.shape}: give P(class 1) as shape (n,), "
                             "or one column per class")
        tol = max(_ROW_SUM_TOL, float(np.sqrt(np.finfo(p.dtype).eps)))
        off = np.abs(p.sum(axis=1, dtype=np.float64) - 1.0) > tol
        if off.any():
            raise ValueError(f"proba rows must sum to 1 (one probability per class); "
                             f"{int(off.sum())} row(s) do not, e.g. row "
                             f"{int(np.flatnonzero(off)[0])}: {p[off][0].tolist()}")
    return y, p, _checked_weights(sample_weight, len(y))


def _checked_weights(sample_weight, n: int) -> np.ndarray | None:
    """Weights that are finite and not negative, one per row (None: none)."""
    w = _weights(sample_weight)
    if w is not None and w.ndim == 2 and w.shape[1] == 1:  # a column, as scikit-learn takes
        w = w[:, 0]
    w = check_sample_weight(w, n)
    if w is not None and w.max(initial=0.0) > 0:
        # Every metric here is a ratio of weighted sums, which a power-of-two scale
        # leaves exactly as it is (short of the subnormals): the largest weight at most
        # 2**960 keeps the sums of weighted values finite (weights of 1e308 summed to
        # inf: a log-loss of 0.0, an AUC of NaN), and at least 0.5 keeps them normal.
        # No further down: an AUC scales each class on its own, and a class weighed
        # 1e-300 beside one of 1e300 is kept (as a subnormal)
        top = np.frexp(w.max())[1]
        w = np.ldexp(w, min(max(-top, 0), 960 - top))
    return w


def _nothing_to_average(y: np.ndarray, w: np.ndarray | None) -> bool:
    """No rows, or weights that sum to 0: every metric is NaN there (as
    :func:`focal_metric` and the libraries report it)."""
    return len(y) == 0 or (w is not None and not w.sum() > 0)


def _binary(y_true, proba) -> tuple[np.ndarray, np.ndarray] | None:
    """(y, P(class 1)) for a binary problem, None for multiclass and multi-label."""
    y = np.asarray(y_true)
    proba = np.asarray(proba, dtype=np.float64)
    if y.ndim == 2:
        return None
    if proba.ndim == 1:
        return y, proba
    if proba.shape[1] == 2:
        return y, proba[:, 1]
    return None


def _columns(y_true, proba) -> tuple[np.ndarray, np.ndarray]:
    """0/1 targets and probabilities of shape (n, k): one column per class or label."""
    y = np.asarray(y_true)
    proba = np.asarray(proba, dtype=np.float64)
    if y.ndim == 2:
        return y.astype(np.float64), proba
    return np.eye(proba.shape[1])[y.astype(np.intp)], proba


def _macro_present(binary_metric, y_true, proba, sample_weight) -> float:
    """Mean of ``binary_metric`` over the columns with both 0 and 1 in ``y_true``, among
    the rows of weight (a class whose rows all weigh 0 is not present)."""
    onehot, proba = _columns(y_true, proba)
    w = np.ones(len(onehot)) if sample_weight is None else np.asarray(sample_weight)
    present = np.flatnonzero((w @ onehot > 0) & (w @ (1.0 - onehot) > 0))
    if len(present) == 0:
        return float("nan")
    return float(np.mean([binary_metric(onehot[:, j], proba[:, j], sample_weight)
                          for j in present]))


def _one_vs_rest(binary_metric, y_true, proba, sample_weight) -> float:
    """A ranking metric, checked: ``binary_metric(y, p, w)`` of class 1 for a binary
    problem, else its mean over the classes (labels) present (:func:`_macro_present`);
    NaN without rows of weight."""
    y_true, proba, w = _checked(y_true, proba, sample_weight, ranks=True)
    if _nothing_to_average(y_true, w):
        return float("nan")
    binary = _binary(y_true, proba)
    if binary is not None:
        return binary_metric(*binary, w)
    return _macro_present(binary_metric, y_true, proba, w)


def _per_column_mean(binary_metric, y_true, proba, sample_weight) -> float:
    """Mean over all columns (classes one-vs-rest, or labels) of ``binary_metric``."""
    onehot, proba = _columns(y_true, proba)
    return float(np.mean([binary_metric(onehot[:, j], proba[:, j], sample_weight)
                          for j in range(proba.shape[1])]))


# ------------------------------------------------------------------ focal loss
def focal_metric(loss: FocalLoss, y_true, margin, sample_weight=None, *,
                 n_threads: int | None = None) -> float:
    """The focal loss as an evaluation metric, on raw margins.

    ``weighted_mean(loss.loss(y_true, margin), sample_weight)``: the weighted mean over
    rows of the per-row focal loss (multi-label: each row's mean over its labels).

    Parameters
    ----------
    loss : FocalLoss
    y_true : array of shape (n,) or (n, L)
        Class indices, or a 0/1 label matrix.
    margin : array of shape (n,) or (n, k)
        Raw margins, as the booster predicts them.
    sample_weight : array of shape (n,), default=None
    n_threads : int, default=None
        At most this many threads for the loss (:meth:`FocalLoss.loss`); training
        runs pass the library's thread count.

    Returns
    -------
    float
        NaN without rows or with weights summing to 0 (as the libraries report).
    """
    loss = check_loss(loss)
    if len(y_true) == 0:  # (the libraries hand margins of shape (0,) for every model)
        return float("nan")
    try:
        values = loss.loss(y_true, margin, n_threads=n_threads)
    except NonFiniteMarginsError:  # (the loss names its own argument, y_pred)
        raise ValueError(
            "margin contains NaN or infinite values; in training, the margins of an "
            "evaluation set: a start margin that is not finite (an eval set's "
            "base_margin / init_score: base_margin_eval_set, eval_init_score), "
            "training that diverged, or a linear model on infinite or huge feature values "
            "of the set (LightGBM's linear_tree, XGBoost's booster='gblinear'; a missing "
            "value is NaN)") from None
    return weighted_mean(values, _checked_weights(sample_weight, len(y_true)))


# ------------------------------------------------------------------ probabilities
def _one_class(y, w=None) -> bool:
    """Whether ``y`` has one class among the rows of weight (those of weight 0 are left
    out, as the rankings leave them out)."""
    return len(np.unique(y if w is None else y[np.asarray(w) > 0])) < 2


def _sklearn_metrics():
    """scikit-learn's metrics module, which the ranking and log-loss metrics use, or an
    ImportError naming the extra to install (the core needs numpy and scipy only)."""
    try:
        from sklearn import metrics
    except ImportError as exc:
        raise ImportError("this metric needs scikit-learn: pip install "
                          f"'focal-boost[sklearn]' ({exc})") from exc
    return metrics


def _binary_ap(y, p, w) -> float:
    average_precision_score = _sklearn_metrics().average_precision_score

    if _one_class(y, w):
        return float("nan")
    return float(average_precision_score(y, p, sample_weight=w))


def _binary_roc(y, p, w) -> float:
    roc_auc_score = _sklearn_metrics().roc_auc_score

    if _one_class(y, w):
        return float("nan")
    return float(roc_auc_score(y, p, sample_weight=w))


def _binary_summed_roc(y, p, w) -> float:
    """:func:`_binary_roc`'s area summed as XGBoost's ``BinaryROCAUC`` sums it: trapezoids
    between distinct scores on the unnormalised curve (false against true positives'
    weights), divided once by the product of the classes' weights.

    Early stopping compares these numbers round to round: two rounds of the same area
    (unit weights: whole pair counts, exact) give the same number here, and the
    library's round is kept; ``roc_auc_score`` normalises the curve first, so equal
    areas came a few ulp apart and the later round was taken for progress.
    """
    if _one_class(y, w):
        return float("nan")
    y = np.asarray(y, dtype=np.float64)
    w = (np.ones(len(y)) if w is None
         else _unit_scaled(np.asarray(w, dtype=np.float64), (y > 0).astype(np.intp)))
    order = np.argsort(p, kind="stable")[::-1]  # highest score first
    scores, y, w = np.asarray(p)[order], y[order], w[order]
    ends = np.append(np.flatnonzero(scores[1:] != scores[:-1]), len(scores) - 1)
    tp = np.concatenate([[0.0], np.cumsum(w * y)[ends]])
    fp = np.concatenate([[0.0], np.cumsum(w * (1.0 - y))[ends]])
    area = np.sum(np.diff(fp) * (tp[1:] + tp[:-1]) / 2.0)
    return float(area / (tp[-1] * fp[-1]))


def pr_auc(y_true, proba, sample_weight=None) -> float:
    """PR-AUC as average precision: :math:`\\sum_t (R_t - R_{t-1}) P_t`.

    Precision :math:`P_t` and recall :math:`R_t` at each threshold ``t`` (scikit-learn's
    ``average_precision_score``, no interpolation). Binary: of class 1. Multiclass:
    one-vs-rest, the mean over the classes present in ``y_true``. Multi-label: the
    mean over the labels with both values present. NaN where no class (label) has
    rows of weight in and out of it.

    Parameters
    ----------
    y_true : array of shape (n,) or (n, L)
    proba : array of shape (n,), (n, 2), (n, k) or (n, L)
        Binary and multi-label: scores on any finite scale (margins too), as
        scikit-learn ranks them; multiclass: class probabilities.
    sample_weight : array of shape (n,), default=None

    Returns
    -------
    float
    """
    return _one_vs_rest(_binary_ap, y_true, proba, sample_weight)


def roc_auc(y_true, proba, sample_weight=None) -> float:
    """ROC-AUC: the probability that a positive row outranks a negative one (ties
    count half), weighted (scikit-learn's ``roc_auc_score``).

    Binary: of class 1. Multiclass: one-vs-rest, the mean over the classes present
    in ``y_true`` (equal to ``roc_auc_score(..., multi_class="ovr")`` when all are
    present). Multi-label: the mean over the labels with both values present. NaN
    where no class (label) has rows of weight in and out of it.

    Parameters
    ----------
    y_true : array of shape (n,) or (n, L)
    proba : array of shape (n,), (n, 2), (n, k) or (n, L)
        Binary and multi-label: scores on any finite scale (margins too), as
        scikit-learn ranks them; multiclass: class probabilities.
    sample_weight : array of shape (n,), default=None

    Returns
    -------
    float
    """
    return _one_vs_rest(_binary_roc, y_true, proba, sample_weight)


def auc(y_true, proba, sample_weight=None) -> float:
    """XGBoost's ``auc``: :func:`roc_auc` for binary and multi-label problems, summed as
    XGBoost sums it (equal areas give equal numbers, which early stopping compares); for
    multiclass the one-vs-rest ROC-AUCs weighted by each class's share of the (weighted)
    rows, :math:`\\sum_c W_c A_c / \\sum_c W_c` (XGBoost's ``MultiClassOVR``), over the
    classes present (XGBoost's is NaN where a class has no rows of weight, which weighs
    0 here: early stopping on NaN kept the first round); NaN with one class present.

    Parameters
    ----------
    y_true : array of shape (n,) or (n, L)
    proba : array of shape (n,), (n, 2), (n, k) or (n, L)
        As in :func:`roc_auc`.
    sample_weight : array of shape (n,), default=None

    Returns
    -------
    float
    """
    y_true, proba, w = _checked(y_true, proba, sample_weight, ranks=True)
    if _nothing_to_average(y_true, w) or y_true.ndim == 2 or _binary(y_true, proba):
        return _one_vs_rest(_binary_summed_roc, y_true, proba, w)
    onehot, proba = _columns(y_true, proba)
    weight = np.ones(len(onehot)) if w is None else w
    positives = weight @ onehot
    present = np.flatnonzero((positives > 0) & (weight @ (1.0 - onehot) > 0))
    if len(present) == 0:
        return float("nan")
    aucs = [_binary_summed_roc(onehot[:, c], proba[:, c], w) for c in present]
    return float(np.dot(aucs, positives[present]) / positives[present].sum())


def aucpr(y_true, proba, sample_weight=None) -> float:
    """XGBoost's ``aucpr``: the area under the precision-recall curve interpolated
    between thresholds as precision varies along it (Davis and Goadrich 2006; XGBoost's
    ``BinaryPRAUC``), not the step sum of :func:`pr_auc`.

    Between two thresholds, with :math:`TP` rising by :math:`\\Delta TP` and :math:`FP`
    by :math:`\\Delta FP`, precision at recall :math:`r` is :math:`r / (a r + b)`, where
    :math:`h = \\Delta FP / \\Delta TP`, :math:`a = 1 + h`,
    :math:`b = (FP_{prev} - h TP_{prev}) / P`; the area of the step is
    :math:`(\\Delta r - (b / a) \\log((a r + b) / (a r_{prev} + b))) / a`.
    Binary: of class 1, NaN without rows of weight in both classes. Multiclass: the
    mean of each one-vs-rest area over the classes present (XGBoost's is NaN where a
    class has no rows of weight); multi-label: over the labels with both values present.

    Parameters
    ----------
    y_true : array of shape (n,) or (n, L)
    proba : array of shape (n,), (n, 2), (n, k) or (n, L)
        As in :func:`pr_auc`.
    sample_weight : array of shape (n,), default=None

    Returns
    -------
    float
    """
    return _one_vs_rest(_binary_interpolated_pr, y_true, proba, sample_weight)


def _binary_interpolated_pr(y, p, w) -> float:
    """:func:`aucpr` of one class: P(class) ``p``, 0/1 ``y``, weights ``w`` (or None)."""
    y = np.asarray(y, dtype=np.float64)
    w = np.ones(len(y)) if w is None else np.asarray(w, dtype=np.float64)
    total_pos, total_neg = w @ y, w @ (1.0 - y)
    if not (total_pos > 0 and total_neg > 0):
        return float("nan")
    order = np.argsort(-np.asarray(p, dtype=np.float64), kind="stable")
    p, tp, fp = p[order], np.cumsum((w * y)[order]), np.cumsum((w * (1.0 - y))[order])
    ends = np.append(np.flatnonzero(p[1:] != p[:-1]), len(p) - 1)  # of each threshold
    tp, fp = tp[ends], fp[ends]
    tp_prev, fp_prev = np.append(0.0, tp[:-1]), np.append(0.0, fp[:-1])
    r, r_prev = tp / total_pos, tp_prev / total_pos
    rises = tp != tp_prev
    with np.errstate(divide="ignore", invalid="ignore"):
        h = np.where(rises, (fp - fp_prev) / (tp - tp_prev), 0.0)
        a = np.where(rises, h + 1.0, 1.0)
        b = np.where(rises, (fp_prev - h * tp_prev) / total_pos, 0.0)
        curved = (r - r_prev - b / a * (np.log(a * r + b) - np.log(a * r_prev + b))) / a
    return float(np.sum(np.where(b != 0.0, curved, (r - r_prev) / a)))


def auc_mu(y_true, proba, sample_weight=None) -> float:
    """AUC-mu (Kleiman and Page, 2019), LightGBM's ``auc_mu`` with its default weights:
    :math:`\\frac{2}{k(k-1)} \\sum_{i<j} A_{ij}`, where :math:`A_{ij}` is the ROC-AUC of
    class ``i`` against class ``j`` over the rows of those two classes, ranked by
    :math:`\\log p_{\\cdot i} - \\log p_{\\cdot j}` (weighted; ties count half, and
    values less than :math:`10^{-15} + 2 \\epsilon \\max(|\\log p_{\\cdot i}|,
    |\\log p_{\\cdot j}|)` above the first of a run of values are tied, the rounding
    of the logs: :func:`_tie_runs`).

    For softmax probabilities that ranking is LightGBM's, which ranks raw scores
    :math:`z_i - z_j`; ranked on the probabilities, it is defined for any model's.
    Where two rows' differences come within rounding of a tie, LightGBM's raw scores
    (summed as it sums them) and the log-probabilities may fall on either side of the
    tie rule, and the values differ.
    The mean is over the pairs of classes present in ``y_true`` (with rows of weight),
    as :func:`roc_auc` averages over the classes present (LightGBM's is NaN when a
    class has no rows); NaN where fewer than two classes are present.

    Parameters
    ----------
    y_true : array of shape (n,)
        Class indices.
    proba : array of shape (n, k), k >= 3
        Class probabilities.
    sample_weight : array of shape (n,), default=None

    Returns
    -------
    float

    Raises
    ------
    ValueError
        For binary and multi-label problems (use :func:`roc_auc`), as LightGBM refuses
        ``auc_mu`` under a binary objective.
    """
    y_true, proba, w = _checked(y_true, proba, sample_weight)
    if y_true.ndim == 2 or _binary(y_true, proba) is not None:
        raise ValueError(
            "auc_mu is a multiclass metric (three classes or more), as in LightGBM; got "
            f"labels of shape {y_true.shape} and probabilities of shape {proba.shape}: "
            "use 'auc'")
    if _nothing_to_average(y_true, w):
        return float("nan")
    y = y_true.astype(np.intp)
    weight = np.ones(len(y)) if w is None else _unit_scaled(w, y)
    totals = np.bincount(y, weights=weight, minlength=proba.shape[1])
    present = np.flatnonzero(totals > 0)
    if len(present) < 2:
        return float("nan")
    # the rows by class (each class's rows one block, read in place for every pair);
    # a probability of 0 (underflow) ranks below every other: the log of the smallest
    # normal float keeps the differences finite
    order = np.argsort(y, kind="stable")
    log_p = np.log(np.maximum(proba[order].astype(np.float64), np.finfo(np.float64).tiny))
    weight = weight[order]
    counts = np.bincount(y, minlength=proba.shape[1])
    blocks = np.cumsum(counts) - counts
    first, second = (present[side] for side in np.triu_indices(len(present), 1))
    # the pairs' rows sorted together in batches of about _PAIR_BATCH values: one pass
    # per pair cost about 0.1 ms of Python each, 3 s an evaluation at 257 classes
    sizes = np.cumsum(counts[first] + counts[second])
    batch = (sizes - 1) // _PAIR_BATCH
    bounds = np.append(np.flatnonzero(np.diff(batch, prepend=-1)), len(batch))
    pair_aucs = np.concatenate([
        _pair_aucs(log_p, weight, counts, blocks, first[lo:hi], second[lo:hi])
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)])
    return float(np.mean(pair_aucs / (totals[first] * totals[second])))


# Values of one batch of auc_mu's pairs sorted at once: a few MB, near the caches
# (2**18 took 1.5 times as long at 200,000 rows of 50 classes).
_PAIR_BATCH = 2**16


# Differences closer than this to the first of a run count as tied: LightGBM's
# distances are twice these, tied within 1e-15 (its kEpsilon). (A relative 1e-12 tied
# differences LightGBM tells apart: 1e-13 apart, or leaves a few ulps apart.)
_TIE_ATOL = 1e-15


def _pair_aucs(log_p: np.ndarray, weight: np.ndarray, counts: np.ndarray,
               blocks: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The weighted ROC-AUC of class ``first[p]`` against class ``second[p]`` of each
    pair ``p``, times the two classes' total weights: the rows of the two classes
    ranked by ``s = log p_first - log p_second``, ties counting half (near ties too:
    within ``_TIE_ATOL`` plus the rounding of the logs, 2 eps of the larger, of a
    run's first value, :func:`_tie_runs`). Rows whose raw scores z_i - z_j tie
    (LightGBM ties them) differ by that rounding once their other classes' scores
    have gone through the softmax and the log: ~1e-14 at log p of -20.

    Every pair's rows are laid end to end (the first class's, then the second's) and
    sorted once, within pairs: ``roc_auc_score``'s value, without its checks (0.3 ms a
    call) or a pass per pair. ``log_p`` and ``weight``: the rows sorted by class, class
    ``c``'s ``counts[c]`` rows from row ``blocks[c]``."""
    # the pieces: pair p's first class's rows at 2p, its second class's at 2p + 1
    lengths = np.column_stack([counts[first], counts[second]]).ravel()
    piece_starts = np.column_stack([blocks[first], blocks[second]]).ravel()
    ends = np.cumsum(lengths)
    rows = np.arange(ends[-1]) + np.repeat(piece_starts - (ends - lengths), lengths)
    pair = np.repeat(np.arange(len(first)), lengths[0::2] + lengths[1::2])
    positive = np.repeat(np.arange(len(lengths)) % 2 == 0, lengths)
    a, b = log_p[rows, first[pair]], log_p[rows, second[pair]]
    scores = a - b
    tolerance = _TIE_ATOL + 2 * np.finfo(np.float64).eps * np.maximum(abs(a), abs(b))
    group_starts = ends[1::2] - lengths[0::2] - lengths[1::2]
    # within each pair by score (np.lexsort took 2-3 times as long as either way here):
    # pairs of 32 values or more on average, one sort each (short sorts cost less per
    # value); else all by score, then stably by pair (a radix sort of 16-bit numbers)
    if len(scores) >= 32 * len(first):
        by = np.concatenate([start + np.argsort(scores[start:end]) for start, end
                             in zip(group_starts.tolist(), ends[1::2].tolist(), strict=True)])
    else:
        by = np.argsort(scores)
        key = pair[by]
        by = by[np.argsort(key.astype(np.uint16) if len(first) <= 2**16 else key,
                           kind="stable")]
    run = _tie_runs(scores[by], tolerance[by], group_starts)
    positive, w = positive[by], weight[rows][by]
    pos = np.bincount(run, np.where(positive, w, 0.0))
    neg = np.bincount(run, np.where(positive, 0.0, w))
    # the negatives' weight in the lower runs of the same pair (the running sum brought
    # back to about 0 at each pair: summed over every pair its rounding would grow)
    first_runs = run[group_starts]
    shifted = neg.copy()
    shifted[first_runs[1:]] -= np.add.reduceat(neg, first_runs)[:-1]
    below = np.cumsum(shifted) - neg
    below -= np.repeat(below[first_runs], np.diff(first_runs, append=len(neg)))
    return np.add.reduceat(pos * (below + 0.5 * neg), first_runs)


def _tie_runs(values: np.ndarray, tolerance: np.ndarray,
              group_starts: np.ndarray | None = None) -> np.ndarray:
    """The run of ties of each of the sorted ``values``, numbered 0, 1, ...: a value less
    than its ``tolerance`` (or that of its run's first value, the larger) above the
    first value of a run joins it (measured from the run's first value, as LightGBM
    measures, not from the neighbour: a chain of close values does not merge values far
    apart); equal values are one run. ``group_starts``: where groups of values, each
    sorted, begin; a group's first value begins a run."""
    new_value = np.diff(values, prepend=np.nan) != 0  # (of equal values)
    if group_starts is not None:
        new_value[group_starts] = True
    firsts = np.flatnonzero(new_value)
    distinct = values[firsts]
    tol = np.maximum.reduceat(tolerance, firsts)
    # clusters of values each nearer its neighbour than any tolerance (rounding's: rare,
    # or many near ties of tied raw scores); a cluster narrower than its members'
    # tolerances is one run, the others are walked value by value
    cluster = np.diff(distinct, prepend=-np.inf) >= tol.max(initial=0.0)
    if group_starts is not None:
        cluster[np.searchsorted(firsts, group_starts)] = True
    starts = np.flatnonzero(cluster)
    new_run = np.zeros(len(distinct), dtype=bool)
    new_run[starts] = True
    ends = np.append(starts[1:], len(distinct))
    wide = distinct[ends - 1] - distinct[starts] >= np.minimum.reduceat(tol, starts)
    for lo, hi in zip(starts[wide], ends[wide], strict=True):
        first = lo
        for i in range(lo + 1, hi):
            if distinct[i] - distinct[first] >= max(tol[first], tol[i]):
                first = i
                new_run[i] = True
    return np.repeat(np.cumsum(new_run) - 1, np.diff(firsts, append=len(values)))


def _binary_log_loss(y, p, w) -> float:
    sk_log_loss = _sklearn_metrics().log_loss

    return float(sk_log_loss(y, np.column_stack([1.0 - p, p]), sample_weight=w,
                             labels=[0, 1]))


def log_loss(y_true, proba, sample_weight=None) -> float:
    """Log-loss, :math:`-\\sum_i w_i \\log p_{i, y_i} / \\sum_i w_i`.

    Probabilities are clipped away from 0 and 1 by the machine epsilon of their dtype
    (scikit-learn's ``log_loss``: 1.2e-7 for float32, 2.2e-16 for float64).
    Binary: :math:`p_{i,1} = p_i`, :math:`p_{i,0} = 1 - p_i`.
    Multi-label: the mean over labels of each label's binary log-loss.

    Parameters
    ----------
    y_true : array of shape (n,) or (n, L)
    proba : array of shape (n,), (n, 2), (n, k) or (n, L)
    sample_weight : array of shape (n,), default=None

    Returns
    -------
    float
    """
    sk_log_loss = _sklearn_metrics().log_loss

    y_true, proba, w = _checked(y_true, proba, sample_weight)
    if _nothing_to_average(y_true, w):
        return float("nan")
    # scikit-learn clips by the epsilon of the dtype given (float32: 1.2e-7, so a
    # saturated row costs 15.9), before anything here works in float64
    eps = np.finfo(proba.dtype).eps
    proba = np.clip(proba, eps, 1 - eps)
    binary = _binary(y_true, proba)
    if binary is not None:
        return _binary_log_loss(*binary, w)
    if np.ndim(y_true) == 2:
        return _per_column_mean(_binary_log_loss, y_true, proba, w)
    # rows sum to 1 (checked); float32 ones (XGBoost's) only to their precision, which
    # scikit-learn warns about once they are float64: renormalise
    proba = np.asarray(proba, dtype=np.float64)
    proba = proba / proba.sum(axis=1, keepdims=True)
    return float(sk_log_loss(np.asarray(y_true), proba, sample_weight=w,
                             labels=np.arange(proba.shape[1])))


def _binary_brier(y, p, w) -> float:
    return weighted_mean((p - y) ** 2, w)


def brier(y_true, proba, sample_weight=None) -> float:
    """Brier score: the weighted mean over rows of the squared error of the
    probabilities.

    Binary: :math:`(p_i - y_i)^2`, of class 1 (0 to 1). Multiclass: summed over
    classes, :math:`\\sum_j (p_{ij} - [y_i = j])^2` (0 to 2). Multi-label: the mean
    over labels of each label's binary Brier score.

    Parameters
    ----------
    y_true : array of shape (n,) or (n, L)
    proba : array of shape (n,), (n, 2), (n, k) or (n, L)
    sample_weight : array of shape (n,), default=None

    Returns
    -------
    float
    """
    y_true, proba, w = _checked(y_true, proba, sample_weight)
    binary = _binary(y_true, proba)
    if binary is not None:
        return _binary_brier(binary[0].astype(np.float64), binary[1], w)
    onehot, proba = _columns(y_true, proba)
    if np.ndim(y_true) == 2:
        return _per_column_mean(_binary_brier, y_true, proba, w)
    return weighted_mean(((proba - onehot) ** 2).sum(axis=1), w)


def _check_n_bins(n_bins) -> int:
    """``n_bins`` as an int of at least 1, else an error that names it."""
    if isinstance(n_bins, bool) or not isinstance(n_bins, numbers.Integral):
        raise TypeError(f"n_bins must be an int, got {n_bins!r}")
    if n_bins < 1:
        raise ValueError(f"n_bins must be at least 1, got {n_bins}")
    return int(n_bins)


def _bins(p: np.ndarray, n_bins: int) -> np.ndarray:
    """Equal-width bin of each probability: ``min(floor(p * n_bins), n_bins - 1)``."""
    return np.clip((p * n_bins).astype(np.intp), 0, n_bins - 1)


def reliability_curve(y_true, proba, sample_weight=None, n_bins: int = ECE_BINS):
    """The bins :func:`ece` sums over: mean probability, fraction of positives and
    share of the weight of each non-empty bin.

    Parameters
    ----------
    y_true : array of shape (n,)
        0/1 targets.
    proba : array of shape (n,) or (n, 2)
        Probabilities of the positive class (or of both classes), as :func:`ece`
        takes them.
    sample_weight : array of shape (n,), default=None
    n_bins : int, default=ECE_BINS (15)
        Equal-width bins of [0, 1]; a probability of 1 falls in the last.

    Returns
    -------
    mean_proba, fraction, share : arrays of shape (non-empty bins,)
        ``ece = sum(share * abs(mean_proba - fraction))``.
    """
    n_bins = _check_n_bins(n_bins)
    y, proba, w = _checked(y_true, proba, sample_weight)
    binary = _binary(y, proba)
    if binary is None:
        raise ValueError("reliability_curve takes 0/1 targets of shape (n,) and the "
                         "probabilities of class 1; for one class of a multiclass or "
                         "multi-label model pass its column and whether each row is it")
    y, p = binary[0].astype(np.float64), binary[1]
    w = np.ones_like(p) if w is None else w
    b = _bins(p, n_bins)
    mass = np.bincount(b, w, minlength=n_bins)
    filled = mass > 0
    mean_proba = np.bincount(b, w * p, minlength=n_bins)[filled] / mass[filled]
    fraction = np.bincount(b, w * y, minlength=n_bins)[filled] / mass[filled]
    return mean_proba, fraction, mass[filled] / mass.sum()


def _binary_ece(y, p, w, n_bins: int = ECE_BINS) -> float:
    y = np.asarray(y, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    w = np.ones_like(p) if w is None else w
    total = w.sum()
    if total <= 0:
        return float("nan")
    gap = np.bincount(_bins(p, n_bins), w * (p - y), minlength=n_bins)
    return float(np.abs(gap).sum() / total)


def ece(y_true, proba, sample_weight=None, n_bins: int = ECE_BINS) -> float:
    """Expected calibration error over equal-width bins.

    For the probability :math:`p_i` of one class and its 0/1 target :math:`y_i`, with
    bins :math:`b(i) = \\min(\\lfloor n_{bins}\\, p_i \\rfloor, n_{bins} - 1)`:

    .. math:: ECE = \\sum_b \\Big|\\sum_{i: b(i) = b} w_i (p_i - y_i)\\Big| \\Big/
              \\sum_i w_i,

    each bin's share of the weight times the gap between its mean probability and its
    fraction of positives. Binary: of class 1. Multiclass: class-wise, the mean over
    all classes of the one-vs-rest ECE of each class's probability. Multi-label: the
    mean over labels.

    Parameters
    ----------
    y_true : array of shape (n,) or (n, L)
    proba : array of shape (n,), (n, 2), (n, k) or (n, L)
    sample_weight : array of shape (n,), default=None
    n_bins : int, default=ECE_BINS (15)

    Returns
    -------
    float
    """
    n_bins = _check_n_bins(n_bins)
    y_true, proba, w = _checked(y_true, proba, sample_weight)
    binary = _binary(y_true, proba)
    if binary is not None:
        return _binary_ece(*binary, w, n_bins)
    return _per_column_mean(lambda y, p, w: _binary_ece(y, p, w, n_bins), y_true, proba, w)


def error(y_true, proba, sample_weight=None, *, threshold: float = 0.5) -> float:
    """Error rate: the weighted share of rows whose most probable class is not
    ``y_true`` (binary: class 1 when :math:`p_i > t`, ``threshold`` :math:`t`, 1/2
    by default, as XGBoost's ``error@t``). Multi-label: the mean over labels of each
    label's binary error.

    Parameters
    ----------
    y_true : array of shape (n,) or (n, L)
    proba : array of shape (n,), (n, 2), (n, k) or (n, L)
    sample_weight : array of shape (n,), default=None
    threshold : float, default=0.5
        Binary and multi-label only (multiclass takes the most probable class).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        A ``threshold`` other than 0.5 for a multiclass ``proba``.
    """
    y_true, proba, w = _checked(y_true, proba, sample_weight)
    y = np.asarray(y_true)
    binary = _binary(y_true, proba)
    if binary is not None:
        return weighted_mean((binary[1] > threshold) != binary[0], w)
    proba = np.asarray(proba, dtype=np.float64)
    if y.ndim == 2:
        return weighted_mean((proba > threshold) != y, w)  # rows: mean over labels
    if threshold != 0.5:
        raise ValueError(f"threshold={threshold:g} is for binary or multi-label "
                         f"probabilities; these are of {proba.shape[1]} classes")
    return weighted_mean(proba.argmax(axis=1) != y, w)


# ------------------------------------------------------------------ tables
SCORES: dict[str, Callable[..., float]] = {
    "pr_auc": pr_auc,
    "roc_auc": roc_auc,
    "log_loss": log_loss,
    "brier": brier,
    "ece": ece,
}
"""The metrics of a model's probabilities reported by the command line and the
benchmarks, by key."""


def scores(y_true, proba, sample_weight=None,
           names: Sequence[str] = tuple(SCORES)) -> dict[str, float]:
    """``{name: SCORES[name](y_true, proba, sample_weight)}`` for each of ``names``.

    Parameters
    ----------
    y_true : array of shape (n,) or (n, L)
    proba : array of shape (n,), (n, 2), (n, k) or (n, L)
    sample_weight : array of shape (n,), default=None
    names : sequence of str, default: all of ``SCORES``

    Returns
    -------
    dict of str to float
    """
    names = [names] if isinstance(names, str) else list(names)  # one name, not letters
    unknown = [name for name in names if name not in SCORES]
    if unknown:
        raise ValueError(f"names has {unknown}, not among the scores {list(SCORES)}")
    return {name: float(SCORES[name](y_true, proba, sample_weight)) for name in names}


def fold_mean_std(values: npt.ArrayLike) -> tuple[float, float]:
    """How cross-validation combines folds: the mean of the per-fold values, and the
    sample standard deviation over folds (``ddof=1``; 0 for a single fold).

    Parameters
    ----------
    values : array-like of float
        One value per fold (a list, or ``cross_val_score``'s array).

    Returns
    -------
    mean, std : float
    """
    values = np.asarray(values, dtype=np.float64)
    if not len(values):
        raise ValueError("values is empty: give one value per fold")
    std = float(np.std(values, ddof=1)) if len(values) > 1 else 0.0
    return float(np.mean(values)), std


# ------------------------------------------------------------------ eval_metric
@dataclasses.dataclass(frozen=True)
class EvalMetric:
    """A validation metric on class probabilities: ``score(y, proba, w) -> float``.

    ``y`` holds class indices (a 0/1 matrix for multi-label); ``proba`` is P(class 1)
    of shape (n,) for binary models and (n, k) otherwise (what scikit-learn's
    metrics take).

    Attributes
    ----------
    name : str
        The name its values are recorded under (``evals_result_[set][name]``).
    score : callable
        ``score(y, proba, sample_weight) -> float``; ``sample_weight`` may be None.
    higher_is_better : bool
        The direction early stopping follows.
    builtin : bool, default=False
        Named by one of :data:`LIBRARY_METRICS`' names, not a callable (LightGBM
        evaluates those before its objective's metric, callables after).
    takes_weight : bool, default=True
        Whether ``score`` weighs rows by ``sample_weight``: False for a callable that
        takes no weights, which scores weighted rows unweighted.
    """

    name: str
    score: Callable[[np.ndarray, np.ndarray, np.ndarray | None], float]
    higher_is_better: bool
    builtin: bool = False
    takes_weight: bool = True


# The libraries' metric names (XGBoost's and LightGBM's spellings), computed on the
# probabilities: under a custom objective the libraries would evaluate their own
# metrics on raw margins.
LIBRARY_METRICS: dict[str, tuple[Callable[..., float], bool]] = {
    "auc": (auc, True),
    "auc_mu": (auc_mu, True),
    "aucpr": (aucpr, True),
    "average_precision": (pr_auc, True),
    "logloss": (log_loss, False),
    "mlogloss": (log_loss, False),
    "binary_logloss": (log_loss, False),
    "multi_logloss": (log_loss, False),
    "error": (error, False),
    "merror": (error, False),
    "binary_error": (error, False),
    "multi_error": (error, False),
}
"""XGBoost's and LightGBM's metric names: ``name -> (function, higher_is_better)``."""

# Callables: scikit-learn's naming convention says which way is better.
_MAXIMISED_PREFIXES = ("auc", "roc_auc", "pr_auc", "average_precision", "accuracy", "f1",
                       "precision", "recall", "matthews_corrcoef")


def callable_metric(func: Callable) -> EvalMetric:
    """A callable ``f(y_true, y_score[, sample_weight])`` as an :class:`EvalMetric`.

    Its name (``__name__``, a ``functools.partial``'s function's) says which way is
    better: a name ending in ``_score`` or starting with ``auc``, ``roc_auc``,
    ``pr_auc`` (this module's), ``average_precision``, ``accuracy``, ``f1``,
    ``precision``, ``recall`` or ``matthews_corrcoef`` (in any case) is maximised, any other
    minimised. Weights are passed as ``sample_weight=`` (as ``XGBClassifier`` passes
    them); a callable that takes neither that parameter nor ``**kwargs`` scores weighted
    rows unweighted (as ``LGBMClassifier`` scores such a callable; ``takes_weight``
    False, which the estimators' ``fit`` warns of).

    Parameters
    ----------
    func : callable
        ``func(y_true, y_score[, sample_weight]) -> float``, scikit-learn's form
        (``sklearn.metrics.average_precision_score``; ``functools.partial`` of one).

    Returns
    -------
    EvalMetric

    Raises
    ------
    TypeError
        For ``func`` not callable; for LightGBM's form ``f(y_true, y_pred, weight)``
        (three required arguments), and, when called, for a tuple returned in its place.
    ValueError
        For a callable named as the focal loss's own record (``focal_loss``).
    """
    if not callable(func):
        raise TypeError(f"func must be a callable f(y_true, y_score), got {func!r}")
    named = func
    while isinstance(named, functools.partial):  # partial(roc_auc_score, average=...)
        named = named.func
    name = getattr(named, "__name__", type(func).__name__)
    form = ("the estimators take scikit-learn's form, f(y_true, y_score) -> one number "
            "(weights as sample_weight=), named by its "
            "__name__ (a name ending in '_score' is maximised)")
    try:
        parameters = inspect.signature(func).parameters
    except (TypeError, ValueError):  # (a callable without a signature: passed as below)
        parameters = {}
        takes_weight = True
    else:
        # XGBClassifier passes evaluation weights as sample_weight=, which **kwargs take
        takes_weight = "sample_weight" in parameters or any(
            p.kind is p.VAR_KEYWORD for p in parameters.values())
    required = [p for p in parameters.values() if p.default is p.empty
                and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if len(required) > 2:  # LightGBM's f(y_true, y_pred, weight[, group])
        raise TypeError(f"eval_metric {name!r} takes {len(required)} arguments "
                        f"({', '.join(p.name for p in required)}), LightGBM's form; {form}")
    if name == METRIC_NAME:  # its values would join the focal loss's under one key
        raise ValueError(
            f"eval_metric {name!r}: the estimators record the focal loss under that name "
            "every round, on the margins (focal_boost.xgboost.metric and "
            "focal_boost.lightgbm.metric are for xgb.train, lgb.train and the plain "
            "classifiers trained on the loss); leave it out, or give your metric another "
            "__name__")

    def score(y, proba, w):
        if w is not None and takes_weight:
            value = func(y, proba, sample_weight=w)
        else:  # (unweighted, as LGBMClassifier scores such a callable; fit says so)
            value = func(y, proba)
        if isinstance(value, tuple | list):  # LightGBM's (name, value, is_higher_better)
            raise TypeError(f"eval_metric {name!r} returned a {type(value).__name__} "
                            f"({value!r:.80}), LightGBM's form; {form}")
        return float(value)

    # in any case: a function named AUC or F1 is a score as much as auc or f1
    higher = name.lower().endswith("_score") or name.lower().startswith(_MAXIMISED_PREFIXES)
    return EvalMetric(name, score, higher, takes_weight=takes_weight)


def refuse_focal_metric_name(names: Iterable, parameter: str, recorded: str) -> None:
    """Refuse the focal loss's own name among a front end's metric names.

    Every front end records the focal loss each round without being asked; neither
    library has a metric of that name (XGBoost refuses it, LightGBM ignores it in a
    binary model and stops a multiclass one: "Multiclass objective and metrics don't
    match"), so it would only ever reach the library.

    Parameters
    ----------
    names : iterable
        The metric names given (other items are ignored).
    parameter : str
        The parameter's name, as the error shows it.
    recorded : str
        Where the front end records the focal loss, as the error shows it.

    Raises
    ------
    ValueError
        Where ``names`` holds ``METRIC_NAME``.
    """
    if any(isinstance(name, str) and name == METRIC_NAME for name in names):
        raise ValueError(f"{parameter} {METRIC_NAME!r}: the focal loss is recorded every "
                         f"round without it ({recorded}); leave it out")


def eval_metrics(eval_metric, *, parameter: str = "eval_metric",
                 multiclass: bool | None = None) -> list[EvalMetric]:
    """An estimator's ``eval_metric`` (None, a name, a callable, or a list of those)
    as metrics.

    Names are those of :data:`LIBRARY_METRICS` and XGBoost's ``"error@t"`` (the
    binary or per-label error at threshold t); callables go through
    :func:`callable_metric`.

    Parameters
    ----------
    eval_metric : str, callable, list of those, or None
        The estimator's parameter; None: no metric besides the focal loss.
    parameter : str, default="eval_metric"
        The parameter's name in error messages (LightGBM's ``metric`` joins
        ``eval_metric``).
    multiclass : bool, default=None
        Whether the model is multiclass (False: binary or multi-label, where
        ``"auc_mu"`` is refused, as LightGBM refuses it; None: not known yet).

    Returns
    -------
    list of EvalMetric
        In the order given.

    Raises
    ------
    ValueError
        For any other name, and ``"auc_mu"`` where ``multiclass`` is False.
    """
    if eval_metric is None:
        return []
    items = eval_metric if isinstance(eval_metric, list | tuple) else [eval_metric]
    metrics = []
    for item in items:
        if callable(item):
            metrics.append(callable_metric(item))
        elif isinstance(item, str) and item in LIBRARY_METRICS:
            if item == "auc_mu" and multiclass is False:  # (as its first evaluation would)
                raise ValueError(f"{parameter} 'auc_mu' is LightGBM's multiclass AUC-mu, "
                                 "for three classes or more; y is binary or multi-label: "
                                 "use 'auc'")
            score, higher = LIBRARY_METRICS[item]
            metrics.append(EvalMetric(item, score, higher, builtin=True))
        elif isinstance(item, str) and item == METRIC_NAME:
            refuse_focal_metric_name([item], parameter,
                                     f"evals_result_[set][{METRIC_NAME!r}]")
        elif isinstance(item, str) and item.startswith("error@"):
            metrics.append(_thresholded_error(item, parameter, multiclass))
        else:
            raise ValueError(
                f"{parameter} {item!r} is not supported: use one of "
                f"{sorted(LIBRARY_METRICS)}, 'error@t' (a threshold t), or a callable "
                "f(y_true, y_score) such as sklearn.metrics.average_precision_score"
            )
    return metrics


def _thresholded_error(name: str, parameter: str, multiclass: bool | None) -> EvalMetric:
    """XGBoost's ``error@t``: :func:`error` at ``threshold`` t, read as XGBoost reads
    it (a float32) and named as it names it (as :func:`library_metric_name`)."""
    try:
        t = _error_threshold(name)
    except ValueError:
        raise ValueError(f"{parameter} {name!r}: the threshold after '@' must be a number, "
                         "as in 'error@0.7'") from None
    if multiclass:
        raise ValueError(f"{parameter} {name!r} is the binary error at threshold {t:g}; y "
                         "has more than two classes: use 'merror' (the most probable class)")
    return EvalMetric(_error_name(t), functools.partial(error, threshold=t), False,
                      builtin=True)


def _error_threshold(name: str) -> float:
    """The t of ``"error@t"``, as XGBoost reads it: a float32 (ValueError if none)."""
    return float(np.float32(name[len("error@"):]))


def _error_name(t: float) -> str:
    """XGBoost's name of its error at threshold ``t``."""
    return "error" if t == 0.5 else f"error@{t:g}"


def library_metric_name(name):
    """The name XGBoost records the metric ``name`` under: ``"error@t"`` as
    ``"error"`` at t = 0.5, else ``error@`` and t to 6 significant digits
    (``"error@.70"`` is ``"error@0.7"``); any other name (or item) as given."""
    if not (isinstance(name, str) and name.startswith("error@")):
        return name
    try:
        t = _error_threshold(name)
    except ValueError:
        return name  # (refused by eval_metrics)
    return _error_name(t)


def metric_values(loss: FocalLoss, metrics: Sequence[EvalMetric], y, margin,
                  sample_weight=None, *, to_proba: Callable | None = None,
                  n_threads: int | None = None) -> list[tuple[str, float, bool]]:
    """``(name, value, higher_is_better)`` of the focal loss (first, on the margins)
    and of each metric (on the probabilities ``to_proba(margin)``).

    Parameters
    ----------
    loss : FocalLoss
    metrics : sequence of EvalMetric
    y : array of shape (n,) or (n, L)
        Class indices (as floats, as the libraries hand labels back) or a 0/1 matrix.
    margin : array of shape (n,) or (n, k)
    sample_weight : array of shape (n,), default=None
        An empty array counts as None.
    to_proba : callable, default=None
        Margins to probabilities: P(class 1) of shape (n,) for binary models, else
        (n, k); None: ``loss.predict_proba`` (the recovered posterior).
    n_threads : int, default=None
        For the focal loss, as in :func:`focal_metric`.

    Returns
    -------
    list of (str, float, bool)
        A metric that is undefined on the validation set (an AUC of one class) is NaN,
        as the libraries' own are; a metric that raises (e.g. ``accuracy_score`` given
        probabilities) raises here, as in XGBClassifier and LGBMClassifier.
    """
    weight = _weights(sample_weight)
    focal = focal_metric(loss, y, margin, weight, n_threads=n_threads)
    return [(METRIC_NAME, focal, False),
            *metric_scores(loss, metrics, y, margin, weight, to_proba=to_proba)]


def metric_scores(loss: FocalLoss, metrics: Sequence[EvalMetric], y, margin,
                  sample_weight=None, *,
                  to_proba: Callable | None = None) -> list[tuple[str, float, bool]]:
    """:func:`metric_values` less the focal loss: ``(name, value, higher_is_better)`` of
    each metric, on the probabilities ``to_proba(margin)``.

    Parameters
    ----------
    loss, metrics, y, margin, sample_weight, to_proba
        As in :func:`metric_values`.

    Returns
    -------
    list of (str, float, bool)
        One per metric, NaN for ``y`` without rows.
    """
    if not metrics:
        return []
    if len(y) == 0:  # no rows: undefined, as the focal loss (margins of shape (0,))
        return [(m.name, float("nan"), m.higher_is_better) for m in metrics]
    weight = _weights(sample_weight)
    y = np.asarray(y).astype(np.intp)  # (n, k) 0/1 for multi-label
    proba = (to_proba(margin) if to_proba is not None
             else loss.predict_proba(margin, multilabel=y.ndim == 2))
    return [(m.name, float(m.score(y, proba, weight)), m.higher_is_better) for m in metrics]
