"""Class posterior from focal-trained margins (Charoenphakdee et al., CVPR 2021).

Focal loss is classification-calibrated but not a proper scoring rule: at the
minimiser of the expected loss, ``softmax(z)`` is *not* the class posterior
``eta``. Write ``q = softmax(z)``, ``a_j`` for the class weights and

    l(q) = -(1 - q)**gamma * log(q)

for the per-class loss. The expected loss ``L(z) = sum_j eta_j a_j l(q_j)`` has

    dL/dz_i = sum_j eta_j a_j l'(q_j) q_j ([i == j] - q_i)
            = q_i * (eta_i a_i l'(q_i) - sum_j eta_j a_j l'(q_j) q_j)

so at a stationary point ``eta_i a_i l'(q_i)`` is the same for every class.
Since ``l' < 0`` on (0, 1), the posterior is recovered in closed form::

    eta_j = w_j / sum_i w_i,    w_j = 1 / (a_j |l'(q_j)|) = q_j / (a_j A(q_j))

    A(q) = q |l'(q)| = u**(gamma-1) * (u - gamma*q*log(q))    (u = 1 - q)
         = u**gamma * (1 + gamma*t),    t = -q*log(q)/u

``A`` is the factor that multiplies ``p - onehot(y)`` in the focal gradient.
Binary sigmoid margins are the two-class case ``z -> (0, z)`` with weights
``(1 - alpha, alpha)``; multi-label margins are that case once per entry, with
each label's own weights. ``gamma = 0`` gives ``A = 1`` and ``eta ∝ q / a``: the
plain sigmoid/softmax when there are no class weights.

Everything is computed in log space: ``log q`` from ``log_expit`` /
``log_softmax`` and ``log u`` as the log-sum-exp of the *other* classes'
probabilities (never ``log(1 - q)``, which is 0 once ``q`` rounds to 1), so
margins far beyond the float64 range of ``exp`` and non-integer or sub-unit
``gamma`` stay finite.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit, log_expit, log_softmax, logsumexp, softmax

__all__ = ["LOG_W_MAX", "check_margins", "inverse_link", "posterior"]

# Bound on the log-weights; only reached when log(u) underflows to -inf, i.e. for
# margin differences near the float64 limit, and keeps the normalisation NaN-free.
LOG_W_MAX = 1e300

# Entries per block of rows: the float64 temporaries of a block (about 1 MiB each) stay
# in cache, and memory stays near the output's size (1M rows x 10 classes at gamma 2
# held 770 MiB of temporaries at once, 10x the output)
_BLOCK_ENTRIES = 1 << 17


class NonFiniteMarginsError(ValueError):
    """Margins with NaN or infinite values (:func:`check_margins`). A caller that hands
    the loss margins the user never passed as ``y_pred`` (the library's, in training)
    catches it by its type and says which margins they are."""


def check_margins(y_pred, *, keep_float32: bool = False) -> np.ndarray:
    """Raw margins as float64: shape (n,) for binary, (n, k) with k >= 2 for softmax.

    A 2-D input with one column is treated as binary and flattened. ``keep_float32``:
    float32 margins stay float32 (:func:`posterior` and :func:`log_odds` convert a block
    of rows at a time; a float64 copy of them all would double their memory).
    """
    z = np.asarray(y_pred)
    if z.dtype.kind not in "fiu":
        raise TypeError(f"y_pred must be a numeric array of raw margins, got dtype {z.dtype}")
    shape = z.shape
    if z.ndim == 2 and z.shape[1] == 1:
        z = z[:, 0]
    if z.ndim not in (1, 2):
        raise ValueError(
            f"y_pred must have shape (n_samples,) or (n_samples, n_classes), got {shape}"
        )
    if not (keep_float32 and z.dtype == np.float32):
        z = np.asarray(z, dtype=np.float64)
    if not np.isfinite(z).all():
        raise NonFiniteMarginsError("y_pred contains NaN or infinite values")
    return z


def inverse_link(z: np.ndarray, multilabel: bool = False) -> np.ndarray:
    """Plain sigmoid (1-D margins, or per entry when ``multilabel``) or row-wise softmax."""
    return expit(z) if z.ndim == 1 or multilabel else softmax(z, axis=1)


def _log_inverse_weight(logq: np.ndarray, logu: np.ndarray, gamma: float) -> np.ndarray:
    """``log(q / A(q)) = -log|l'(q)|`` elementwise, from ``log q`` and ``log(1 - q)``."""
    if gamma == 0.0:
        return logq
    q = np.exp(logq)
    u = np.exp(logu)
    with np.errstate(divide="ignore", invalid="ignore"):
        # t = -q*log(q)/u. For u < 1/2 use -log(q) = -log1p(-u), accurate as u -> 0
        # (t -> 1 there); otherwise q <= 1/2 and q*log(q) -> 0 as q -> 0.
        small_u = u < 0.5
        t_small = np.where(u > 0, q * (-np.log1p(-u) / u), 1.0)
        t_large = np.where(q > 0, -q * logq / u, 0.0)
        t = np.where(small_u, t_small, t_large)
    log_a = gamma * logu + np.log1p(gamma * t)
    return logq - log_a


def _log_u_softmax(z: np.ndarray, logq: np.ndarray) -> np.ndarray:
    """``log(1 - softmax(z)_j)`` per entry, accurate when ``q_j`` rounds to 1.

    At most one class per row has ``q_j > 1/2``: for it, ``1 - q_j`` is the sum of
    the other probabilities, taken as a log-sum-exp; the rest use ``log1p(-q_j)``
    (every class of a row without such a class, so that tied margins stay tied).
    """
    with np.errstate(divide="ignore"):
        logu = np.log1p(-np.exp(logq))
    top = np.argmax(z, axis=1)
    rows = np.flatnonzero(logq[np.arange(z.shape[0]), top] > -np.log(2.0))
    others = logq[rows].copy()
    others[np.arange(len(rows)), top[rows]] = -np.inf
    logu[rows, top[rows]] = logsumexp(others, axis=1)
    return logu


def log_odds(
    z: np.ndarray, gamma: float, class_weight: np.ndarray | None, multilabel: bool = False
) -> np.ndarray:
    """The recovered posterior in log space: its log-odds (binary, each label of a
    multi-label model) or log-probabilities (softmax), finite; :func:`posterior` is their
    sigmoid / softmax. Arguments as :func:`posterior`."""
    if z.ndim == 1 or multilabel:
        return _by_blocks(z, gamma, class_weight, multilabel, None)
    return _by_blocks(z, gamma, class_weight, multilabel,
                      lambda d: np.maximum(log_softmax(d, axis=1), -LOG_W_MAX))


def posterior(
    z: np.ndarray, gamma: float, class_weight: np.ndarray | None, multilabel: bool = False
) -> np.ndarray:
    """Class posterior recovered from focal-optimal margins.

    Parameters
    ----------
    z : ndarray of shape (n,) or (n, k)
        Validated float64 (or float32) margins (see :func:`check_margins`).
    gamma : float
        Focusing parameter, ``>= 0``.
    class_weight : ndarray of shape (k,), (2, k) or None
        Per-class weights ``a_j`` (binary: ``(1 - alpha, alpha)``; multi-label:
        rows of negative and positive weights, one column per label); None for
        all ones.
    multilabel : bool, default=False
        ``z`` of shape (n, k) holds ``k`` independent binary margins.

    Returns
    -------
    ndarray of shape (n,) (binary: probability of class 1) or (n, k)
    """
    return _by_blocks(z, gamma, class_weight, multilabel,
                      expit if z.ndim == 1 or multilabel else lambda d: softmax(d, axis=1))


def _by_blocks(z: np.ndarray, gamma: float, class_weight: np.ndarray | None,
               multilabel: bool, finish) -> np.ndarray:
    """``finish(_log_posterior(...))`` (``finish`` None: the log-posterior itself),
    computed a block of rows at a time into one float64 array of ``z``'s shape."""
    out = np.empty(z.shape, dtype=np.float64)
    rows = max(1, _BLOCK_ENTRIES // (max(z.shape[1], 1) if z.ndim == 2 else 1))
    # Margin differences near the float64 limit overflow to -inf in log q / log u;
    # the clip in _log_posterior turns those into exact 0 / 1 probabilities.
    with np.errstate(over="ignore"):
        for start in range(0, z.shape[0], rows):
            block = slice(start, start + rows)
            d = _log_posterior(z[block], gamma, class_weight, multilabel)
            out[block] = d if finish is None else finish(d)
    return out


def _log_posterior(z: np.ndarray, gamma: float, class_weight: np.ndarray | None,
                   multilabel: bool) -> np.ndarray:
    """Binary / per label: the posterior's log-odds; softmax: its log-weights (the
    log-probabilities up to a constant per row). Clipped to finite values."""
    z = np.asarray(z, dtype=np.float64)  # (a block of float32 margins: computed in float64)
    if z.ndim == 1 or multilabel:
        # Two classes with margins (0, z): log q1 = log_expit(z), log q0 = log_expit(-z),
        # and 1 - q1 = q0, so each class's log(u) is the other's log(q). Elementwise:
        # multi-label weights (2, k) broadcast over the rows.
        if gamma == 0.0:  # log q1 - log q0 = z itself (the difference loses its last bits)
            d = z
        else:
            logq1 = log_expit(z)
            logq0 = log_expit(-z)
            d = (_log_inverse_weight(logq1, logq0, gamma)
                 - _log_inverse_weight(logq0, logq1, gamma))
        if class_weight is not None:
            d = d - np.log(class_weight[1] / class_weight[0])
        return np.clip(d, -LOG_W_MAX, LOG_W_MAX)
    if gamma == 0.0:  # log q is z less a constant per row, which softmax drops: the
        # row's largest margin, so that the clip below cannot tie margins past 1e300 there
        logw = z - z.max(axis=1, keepdims=True)
    else:
        logq = log_softmax(z, axis=1)
        logw = _log_inverse_weight(logq, _log_u_softmax(z, logq), gamma)
    if class_weight is not None:
        logw = logw - np.log(class_weight)
    return np.clip(logw, -LOG_W_MAX, LOG_W_MAX)
