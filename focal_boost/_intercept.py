"""The constant margin a model starts from: the focal-optimal one, and the one rule.

:func:`optimal_constant` minimises the weighted mean loss of a constant margin,
which depends on the data only through the total weight of each class.
:func:`init_score` is :meth:`FocalLoss.init_score <focal_boost.FocalLoss.init_score>`.
:func:`intercept` turns what a user passes as ``init_score`` (``"auto"``, None, a
number or an array) into the margins every adapter starts from.

Imports numpy, scipy and :mod:`focal_boost._validation`.
"""

from __future__ import annotations

import numbers

import numpy as np
from scipy.special import log_expit, logit

from focal_boost._validation import (
    check_labels,
    check_sample_weight,
    class_totals,
    class_weight,
)

__all__ = ["MAX_INIT_MARGIN", "optimal_constant", "init_score", "intercept"]

# Largest |margin| (binary) or margin spread (multiclass) an intercept may take:
# log(1/eps), where the probability of a missing class saturates.
MAX_INIT_MARGIN = float(-np.log(np.finfo(np.float64).eps))

_INIT_SCORE_KINDS = "init_score must be 'auto', None, a number or an array"


class ZeroTotalWeight(ValueError):
    """Labels whose weights sum to 0: no constant minimises their loss."""


def optimal_constant(totals: np.ndarray, gamma: float, alpha):
    """Optimal constant margin given the total sample weight of each class.

    ``alpha`` as checked by :func:`focal_boost._validation.check_alpha`. Binary
    (two totals): a float, the log-odds of :func:`_stationary_log_odds`. More classes: a
    margin vector centred to sum 0 (softmax is shift invariant), the log-probabilities
    of :func:`_stationary_log_probabilities`, where the weighted sum of the classes'
    losses is stationary on the simplex, clipped at ``log(eps)``.
    ``gamma = 0``: the closed form ``log(W_c * alpha_c)``, clipped like scikit-learn.
    """
    k = len(totals)
    if not np.isfinite(totals).all():
        raise ValueError("y_true/sample_weight: the weights of a class sum past the largest "
                         "float; scale sample_weight down (the start does not depend on it)")
    if not (totals.max(initial=0.0) > 0):  # (totals are not negative)
        raise ZeroTotalWeight("y_true/sample_weight have zero total weight")
    cw = class_weight(alpha, k)
    eps = np.finfo(float).eps
    # The weight of each class's loss, v = W alpha, scale-free (no overflow in sums) by
    # powers of two, which are exact: tied classes stay tied (and start at 0), and the
    # products stay normal where they can (alpha 1e-307 each)
    v = np.ldexp(totals, -np.frexp(totals.max())[1])
    if cw is not None:
        v *= np.ldexp(cw, -np.frexp(cw.max())[1])
    small = (v < np.finfo(float).tiny) & (totals > 0)
    with np.errstate(divide="ignore"):  # (-inf: a class without weight)
        # where a weight went subnormal or 0 (weights more than the float range apart):
        # the logs of the factors, since the start is no bound there (v 1e-347 of the
        # largest starts at 15.0 at gamma 50)
        log_v = np.log(v) if not small.any() else (
            np.log(totals) + (0.0 if cw is None else np.log(cw)))
    if k == 2:
        odds = (log_v[1] - log_v[0]) if small.any() else _log_ratio(v[1], v[0])
        if gamma == 0:  # the weighted prior log-odds, clipped like scikit-learn
            return float(np.clip(odds, logit(eps), logit(1 - eps)))
        return _stationary_log_odds(odds, gamma)
    if gamma == 0:  # weighted prior log-probabilities, clipped like scikit-learn
        logp = np.log(np.clip(v / v.sum(), eps, 1 - eps))
        return logp - logp.mean()
    # Each class's loss depends on its own probability alone: the optimum is the
    # stationary point of sum_j v_j FL(p_j) on the simplex, found class by class
    if np.all(v == v[0]):
        # every class alike: the optimum is 0 exactly (the loss is symmetric in them), as
        # a solve would not place it (a tie, which predict breaks towards class 0)
        return np.zeros(k)
    logp = _stationary_log_probabilities(log_v - log_v.max(), gamma)
    # Probabilities clipped at eps, as at gamma 0 (a class without weight too): below it
    # the model cannot tell a probability from 0, and the spread stays within
    # MAX_INIT_MARGIN. The other classes stay at their optimum, as the gamma-0 clip leaves
    # them (not re-balanced against the clipped classes' share, eps each: softmax takes
    # that from every class in proportion).
    logp = np.maximum(logp, np.log(eps))
    return logp - logp.mean()


# log(-log p) of the classes' probabilities lies within these (p from exp(-2000) to
# 1 - 5e-324; a probability below eps is clipped to it anyway)
_LOG_NEG_LOGP = (float(np.log(np.finfo(np.float64).smallest_subnormal)), float(np.log(2000.0)))
# Halvings of that range: 64 leave an interval of 1e-16, relative precision in log p
_BISECTIONS = 64


def _log_focal_ratio(logp: np.ndarray, gamma: float) -> np.ndarray:
    """``log(p / A(p))`` at ``log p``, with ``A(p) = u**(gamma-1) (u - gamma p log p)``,
    ``u = 1 - p``: ``-FL'(p) = A(p) / p`` for the focal loss ``FL(p) = -u**gamma log p``
    of a row whose true class has probability ``p``. Strictly increasing in ``p``, from
    -inf to +inf (``gamma > 0``): ``FL`` is convex in ``p``."""
    p = np.exp(logp)
    u = -np.expm1(logp)  # (full precision where p is near 1)
    with np.errstate(divide="ignore"):
        return logp - (gamma - 1.0) * np.log(u) - np.log(u - gamma * p * logp)


def _log_probabilities_at(log_t: float, log_v: np.ndarray, gamma: float) -> np.ndarray:
    """``log p_j`` solving ``p_j / A(p_j) = t v_j`` for each class (given ``log t`` and
    ``log v_j``), by bisection in ``log(-log p)``, which keeps relative precision in
    ``log p`` near 0 (``p`` near 1) and far below it alike."""
    target = log_t + log_v
    lo = np.full(len(log_v), _LOG_NEG_LOGP[0])  # p nearest 1: the ratio largest
    hi = np.full(len(log_v), _LOG_NEG_LOGP[1])
    for _ in range(_BISECTIONS):
        mid = 0.5 * (lo + hi)
        # the ratio falls as log(-log p) rises: above the target, p is still too large
        above = _log_focal_ratio(-np.exp(mid), gamma) > target
        lo = np.where(above, mid, lo)
        hi = np.where(above, hi, mid)
    return -np.exp(0.5 * (lo + hi))


def _log_ratio(a: float, b: float) -> float:
    """``log(a / b)`` of two weights ``>= 0`` (+-inf where one is 0), to full precision
    where they are close (their difference is then exact): of two weights one ulp apart
    log() may round both to one value, a tie, where the start must favour the heavier
    class."""
    if b / 2 <= a <= 2 * b:
        return float(np.log1p((a - b) / b))
    with np.errstate(divide="ignore"):
        return float(np.log(a) - np.log(b))


def _stationary_log_odds(log_ratio: float, gamma: float) -> float:
    """The binary start: the log-odds ``c`` that minimise
    ``v_0 FL(1 - sigmoid(c)) + v_1 FL(sigmoid(c))`` (``gamma > 0``; ``log_ratio``:
    ``log(v_1 / v_0)``), within the bound ``MAX_INIT_MARGIN``.

    Stationary where ``p_1 / A(p_1) : p_0 / A(p_0) = v_1 : v_0`` (as in
    :func:`_stationary_log_probabilities` with two classes): the root in ``c`` of
    ``log(p_1 / A(p_1)) - log(p_0 / A(p_0)) - log(v_1 / v_0)``, which increases with
    ``c``. At ``c = 0`` its first terms cancel exactly, so the root's side, the class the
    start favours, is that of the heavier class even where the weights differ in their
    last digit; a class without weight puts it at the bound.
    """
    from scipy.optimize import brentq

    if log_ratio == 0:  # the loss is symmetric in the classes: 0 exactly (a tie)
        return 0.0

    def excess(c):
        log_p = log_expit(np.array([c, -c]))  # (full precision near p = 1 as well)
        ratio = _log_focal_ratio(log_p, gamma)
        return float(ratio[0] - ratio[1]) - log_ratio

    bound = float(np.copysign(MAX_INIT_MARGIN, log_ratio))
    if np.sign(excess(bound)) != np.sign(bound):  # the optimum lies past the bound
        return bound
    eps = np.finfo(float).eps
    # (near a tie the root is ~1e-16, where the terms round to equal: many small steps)
    return float(brentq(excess, min(0.0, bound), max(0.0, bound), xtol=1e-300,
                        rtol=4 * eps, maxiter=1000, disp=False))


def _stationary_log_probabilities(log_v: np.ndarray, gamma: float) -> np.ndarray:
    """``log p`` of the softmax constant that minimises ``sum_j v_j FL(p_j)``
    (``gamma > 0``; ``log_v``: the log of the classes' weights, the largest 0, -inf for
    a class without weight).

    Stationary on the simplex where ``v_j FL'(p_j)`` is the same for every class, i.e.
    ``p_j / A(p_j) = t v_j`` (see :func:`_log_focal_ratio`). That ratio increases in
    ``p_j``, so each ``p_j`` is a 1-D root for a given ``t`` and increases with it, and
    ``t`` is the 1-D root of ``sum_j p_j = 1``: exact to rounding, where a search in the
    margins stops short of a class that moves the loss by less than its rounding.
    """
    from scipy.optimize import brentq

    def log_total(log_t):
        # log(sum p), where the top class's 1 - p may be far below 1e-16: log1p of the
        # others' share of it
        logp = _log_probabilities_at(log_t, log_v, gamma)
        top = int(np.argmax(logp))
        rest = np.exp(np.delete(logp, top) - logp[top]).sum()
        return logp[top] + np.log1p(rest), logp

    # The class of weight 1 at p = 1/k makes the sum at most 1 (the others' p are
    # smaller); the sum exceeds 1 at some larger t unless the other classes have no
    # weight that a probability can hold (then the top class takes it all)
    lo = float(_log_focal_ratio(np.array([-np.log(len(log_v))]), gamma)[0])
    total, logp = log_total(lo)
    if total >= 0:
        return logp
    step = 1.0
    for _ in range(64):
        hi = lo + step
        total, logp = log_total(hi)
        if total >= 0:
            break
        lo, step = hi, 2 * step
    else:
        return logp
    # (an error in log t is a relative error of every p: an absolute tolerance of eps;
    # 1e-300 asked more than the sum's rounding can tell where log t is near 0, as at
    # a small gamma, and Brent ran out of iterations)
    eps = np.finfo(float).eps
    log_t = brentq(lambda s: log_total(s)[0], lo, hi, xtol=eps, rtol=4 * eps, maxiter=500,
                   disp=False)
    return log_total(log_t)[1]


def init_score(gamma: float, alpha, y_true, sample_weight=None, n_classes=None):
    """:meth:`FocalLoss.init_score <focal_boost.FocalLoss.init_score>` of a loss
    with these (checked) ``gamma`` and ``alpha``."""
    y = check_labels(y_true)
    sw = check_sample_weight(sample_weight, len(y))
    if y.ndim == 2:
        if n_classes not in (None, 2):
            raise ValueError(
                "n_classes does not apply to a multi-label y_true (every label is "
                f"binary): leave it None, got {n_classes!r}"
            )
        cw = class_weight(alpha, y.shape[1], multilabel=True)
        return np.array([
            optimal_constant(class_totals(y[:, j], sw, 2), gamma,
                             None if cw is None else float(cw[1, j]))
            for j in range(y.shape[1])
        ])
    if n_classes is None:  # the classes y shows, or alpha's weights (one per class)
        given = len(alpha) if isinstance(alpha, np.ndarray) and alpha.ndim == 1 else 2
        n_classes = max(2, given, int(y.max()) + 1 if len(y) else 2)
    elif (isinstance(n_classes, bool) or not isinstance(n_classes, numbers.Integral)
          or n_classes < 2):
        raise ValueError(f"n_classes must be an integer >= 2, got {n_classes!r}")
    return optimal_constant(class_totals(y, sw, int(n_classes)), gamma, alpha)


def intercept(init_score, loss, n_outputs: int, *, y_true=None, sample_weight=None,
              multilabel: bool = False) -> np.ndarray:
    """The margins a model starts from: float64 of shape ``(n_outputs,)``.

    Parameters
    ----------
    init_score : "auto", None, number or array-like
        ``"auto"``: ``loss.init_score(y_true, sample_weight, n_classes=...)``, the
        focal-optimal constant (binary: ``[c]``; a 2-column softmax: ``[-c/2, c/2]``
        from the binary ``c``; multiclass: the ``k`` margins; multi-label: one
        binary constant per label). None: zeros. A number: that margin for every
        output. An array of shape ``(n_outputs,)`` (or ``(1,)`` with one output):
        as given.
    loss : FocalLoss
    n_outputs : int
        1 for a one-column binary model, ``k`` for a ``k``-column softmax
        (``k >= 2``), the number of labels with ``multilabel``.
    y_true, sample_weight : array-like, default=None
        Labels and row weights for ``"auto"``. The constant depends on the data
        only through the total weight of each class, so ``y_true=np.arange(k)``
        with ``sample_weight`` the class totals gives the same.
    multilabel : bool, default=False
        The outputs are independent sigmoids, one per label.

    Raises
    ------
    ValueError
        An unknown string, ``"auto"`` without ``y_true``, an array of another
        shape, a non-finite value, or a constant of another shape than the outputs.
    TypeError
        A bool, or a value that is not numeric.
    """
    if isinstance(n_outputs, bool) or not isinstance(n_outputs, numbers.Integral) \
            or n_outputs < 1:
        raise ValueError(f"n_outputs must be an integer >= 1, got {n_outputs!r}")
    n_outputs = int(n_outputs)
    if isinstance(init_score, str):
        if init_score != "auto":
            raise ValueError(f"{_INIT_SCORE_KINDS}, got {init_score!r}")
        if y_true is None:
            raise ValueError("init_score='auto' needs the labels y_true to compute the "
                             "focal-optimal constant")
        try:
            value = _auto(loss, n_outputs, y_true, sample_weight, multilabel)
        except ZeroTotalWeight:
            # no rows, or all weights 0: the training data gives no constant to start from
            raise ValueError(
                "init_score='auto' is the focal-optimal constant of the training labels, "
                "whose total weight is 0 (no rows, or every weight 0): pass "
                "init_score=None (margin 0) or a number, or give rows weight"
            ) from None
        if value.shape != (n_outputs,):
            raise ValueError(
                f"init_score='auto' gives {value.size} margins for these labels, but the "
                f"model has {n_outputs} outputs"
            )
        return value
    if init_score is None:
        return np.zeros(n_outputs)
    return _given(init_score, n_outputs)


def _auto(loss, n_outputs: int, y_true, sample_weight, multilabel: bool) -> np.ndarray:
    """The focal-optimal constant as one margin per output."""
    if multilabel:  # one binary constant per label
        value = loss.init_score(y_true, sample_weight)
    else:
        value = loss.init_score(y_true, sample_weight, n_classes=max(n_outputs, 2))
        if n_outputs == 2:  # the binary log-odds c; a 2-column softmax takes (-c/2, c/2)
            value = np.array([-0.5 * value, 0.5 * value])
    return np.atleast_1d(np.asarray(value, dtype=np.float64))


def _given(init_score, n_outputs: int) -> np.ndarray:
    """A number or an array given as ``init_score``, checked, as ``n_outputs`` margins."""
    if isinstance(init_score, bool | np.bool_):
        raise TypeError(f"{_INIT_SCORE_KINDS}, got bool")
    try:
        raw = np.asarray(init_score)
    except (TypeError, ValueError):  # e.g. a ragged sequence
        raw = np.asarray(None)
    if raw.dtype.kind not in "fiu":
        raise TypeError(f"{_INIT_SCORE_KINDS} of numbers, got {type(init_score).__name__}"
                        + (f" of dtype {raw.dtype}" if raw.ndim else ""))
    value = raw.astype(np.float64)  # a copy
    if value.ndim == 0:
        value = np.full(n_outputs, float(value))
    elif value.shape != (n_outputs,):
        raise ValueError(
            f"init_score must be a number or an array of shape ({n_outputs},), "
            f"got shape {value.shape}: the intercept of every row; start margins of each "
            "row are the training data's (fit's init_score in FocalLGBMClassifier, "
            "base_margin in FocalXGBClassifier; a Dataset's init_score, a DMatrix's "
            "base_margin)"
        )
    if not np.isfinite(value).all():
        raise ValueError("init_score must be finite")
    return value
