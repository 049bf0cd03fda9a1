"""Reference numpy math of the focal loss (formulas: :mod:`focal_boost._loss`).

Plain functions of validated inputs (:func:`focal_boost._validation.validate`):
integer labels ``y``, float64 margins ``z``, the ``link`` (``"sigmoid"``,
``"softmax"`` or ``"multilabel"``), ``gamma`` and the resolved class weights
(:func:`focal_boost._validation.class_weight`: None, shape (k,), or (2, k) for
multi-label). The fast kernels (:mod:`focal_boost._kernels`) compute the same
values; these are what they are tested against.

Imports numpy and scipy only.
"""

from __future__ import annotations

import numpy as np
from scipy.special import log_expit, log_softmax, softmax

__all__ = [
    "loss", "grad_hess", "fisher_factor", "numeric_grad_hess",
    "one_minus_softmax",
]

_SOFTMAX = "softmax"


def one_minus_softmax(z: np.ndarray, logp: np.ndarray) -> np.ndarray:
    """``1 - softmax(z)``, precise also for the largest probability of each row.

    At most one class per row has ``p > 1/2``; for the others ``1 - p`` is exact to
    rounding. For the top class it is the sum of the other probabilities, since
    ``1 - p`` rounds to 0 once ``p`` rounds to 1. ``logp``: ``log_softmax(z)``.
    """
    p = np.exp(logp)
    q = 1.0 - p
    rows, top = np.arange(z.shape[0]), np.argmax(z, axis=1)
    p[rows, top] = 0.0
    q[rows, top] = p.sum(axis=1)
    return q


def entry_weight(y, link: str, class_weight):
    """``alpha_t`` per entry (sigmoid links) or per row (softmax); None without weights."""
    if class_weight is None:
        return None
    if link != _SOFTMAX:  # binary, or multi-label (one binary loss per entry)
        return np.where(y == 1, class_weight[1], class_weight[0])
    return class_weight[y]


def row_terms(logpt: np.ndarray, u: np.ndarray, gamma: float):
    """pt, A, B of the formulas, per row, from log(pt) and u = 1 - pt."""
    g = gamma
    pt = np.exp(logpt)
    r = np.divide(-logpt, u, out=np.ones_like(u), where=u > 0)
    ug = u**g
    A = ug * (1.0 + g * pt * r)
    B = (g * pt) * ug * u * (2.0 + logpt + (g - 1.0) * pt * r)
    return pt, A, B


_MAX_FLOAT = np.finfo(np.float64).max


def log_pt_u(y, z, link: str, logp=None, q=None):
    """log(pt) and u = 1 - pt per row (per entry when sigmoid), to full relative precision.

    Softmax: u is the sum of the other classes' probabilities (see
    :func:`one_minus_softmax`), since log_softmax rounds log(pt) to 0 once
    u < 1e-16 and -expm1 cannot recover u from that. ``logp``: log_softmax(z),
    when already computed; ``q``: 1 - softmax(z), likewise.
    """
    if link != _SOFTMAX:
        logpt = log_expit(np.where(y == 1, z, -z))
        return logpt, -np.expm1(logpt)
    rows = np.arange(len(y))
    logp = log_softmax(z, axis=1) if logp is None else logp
    u = (one_minus_softmax(z, logp) if q is None else q)[rows, y]
    return _log_pt(u, logp[rows, y]), u


def _log_pt(u: np.ndarray, logpt: np.ndarray) -> np.ndarray:
    """log(pt) from u = 1 - pt and log_softmax's log(pt), each where it is precise."""
    # log1p(-u) is precise for small u; the minimum keeps it finite where unused.
    # Margins over 1e308 apart make log(pt) overflow to -inf: keep the largest finite
    # value, so that every output stays finite (the target's pt is 0 there).
    return np.where(u < 0.5, np.log1p(-np.minimum(u, 0.5)), np.maximum(logpt, -_MAX_FLOAT))


def loss(y, z, link: str, gamma: float, class_weight) -> np.ndarray:
    """Focal loss per row (per entry for multi-label)."""
    logpt, u = log_pt_u(y, z, link)
    out = (u**gamma) * -logpt
    a = entry_weight(y, link, class_weight)
    return out if a is None else a * out


def grad_hess(y, z, link: str, gamma: float, class_weight):
    """Exact gradient and diagonal Hessian, shaped like ``z``."""
    a = entry_weight(y, link, class_weight)
    a = 1.0 if a is None else a
    if link != _SOFTMAX:
        s = np.where(y == 1, 1.0, -1.0)
        logpt, u = log_pt_u(y, z, link)
        pt, A, B = row_terms(logpt, u, gamma)
        grad = a * (-s * u) * A  # p - y = -s*u
        hess = a * (pt * u * A + B)
        return grad, hess
    rows = np.arange(len(y))
    logp = log_softmax(z, axis=1)
    q = one_minus_softmax(z, logp)  # 1 - p_j
    logpt, u = log_pt_u(y, z, link, logp, q)
    pt, A, B = row_terms(logpt, u, gamma)
    # w_j = (p_j - [j==y]) / u: softmax over the other classes, -1 at the target.
    zo = z.copy()
    zo[rows, y] = -np.inf
    w = softmax(zo, axis=1)
    w[rows, y] = -1.0
    a = np.asarray(a)[..., None] if np.ndim(a) else a
    grad = (a * (u * A)[:, None]) * w
    p = np.exp(logp)
    hess = a * (p * q * A[:, None] + B[:, None] * w * w)
    return grad, hess


def fisher_factor(y, z, link: str) -> np.ndarray:
    """``1 - |p_j - [j==y]|``: the Fisher Hessian is ``|grad|`` times this.

    ``pt`` per entry for the sigmoid links; ``p_y`` in the target column and
    ``1 - p_j`` elsewhere in softmax, by :func:`one_minus_softmax` so that
    ``1 - p_j`` keeps its precision. Shaped like ``z``.
    """
    if link != _SOFTMAX:
        # pt = expit(t), t = s*z, as exp(min(t, 0)) / (1 + exp(-|t|)): no overflow,
        # full relative precision, and in place (scipy's expit is several times slower).
        t = np.multiply(z.reshape(-1), 2.0 * y.reshape(-1) - 1.0, dtype=np.float64)
        e = np.abs(t)
        np.exp(np.negative(e, out=e), out=e)
        e += 1.0
        np.exp(np.minimum(t, 0.0, out=t), out=t)
        t /= e
        return t.reshape(z.shape)
    rows = np.arange(len(y))
    logp = log_softmax(z, axis=1)
    factor = one_minus_softmax(z, logp)
    factor[rows, y] = np.exp(logp[rows, y])
    return factor


# Central 4th-order stencils: offsets -> coefficients, divided by 12*h**order.
_STENCILS = {
    1: {-2: 1.0, -1: -8.0, 1: 8.0, 2: -1.0},
    2: {-2: -1.0, -1: 16.0, 0: -30.0, 1: 16.0, 2: -1.0},
}


def numeric_grad_hess(y, z, link: str, gamma: float, class_weight):
    """4th-order central differences of :func:`loss`, one margin column at a time.

    Steps ~eps**(1/5) (gradient) and ~eps**(1/6) (Hessian) balance truncation
    against rounding; the perturbed points are formed first so that the step
    used is the one actually taken. Past |z| = 1e8 (a softmax row's spread) the steps
    grow with it: a fixed one vanished at 1e14 (``z + 1e-3 == z``: NaN) and was
    rounding noise before.
    """
    grad = np.empty_like(z)
    hess = np.empty_like(z)
    # Sigmoid entries are independent: all perturbed at once.
    columns = range(z.shape[1]) if link == _SOFTMAX else [None]
    at_z = loss(y, z, link, gamma, class_weight)
    # The size of each entry's loss, which its rounding follows: a softmax row's is the
    # spread of its margins (it depends on their differences alone), and a step must
    # still register once added to a margin (1e-4 of it)
    spread = np.abs(z) if link != _SOFTMAX else np.ptp(z, axis=1)
    for j in columns:
        zj = z if j is None else z[:, j]
        size = spread if j is None else np.maximum(spread, 1e-4 * np.abs(zj))
        for order, h0, out in ((1, 1e-3, grad), (2, 3e-3, hess)):
            h = (zj + h0 * np.maximum(1.0, size * 1e-8)) - zj
            d = np.zeros_like(zj)
            for m, coef in _STENCILS[order].items():
                zz = zj + m * h if j is None else z.copy()
                if j is not None:
                    zz[:, j] = zj + m * h
                # differences from the loss at z (the stencils sum to 0): 16 times a
                # loss near 1e308 would overflow
                d += coef * (loss(y, zz, link, gamma, class_weight) - at_z)
            d = d / 12 / h
            if order == 2:
                d = d / h  # (h**2 overflows where h is 1e297)
            if j is None:
                out[:] = d
            else:
                out[:, j] = d
    return grad, hess
