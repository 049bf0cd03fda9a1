"""Hessian strategies: how the Hessian handed to the booster is made positive.

The exact focal Hessian is negative on confidently wrong rows when ``gamma > 0``
(module docstring of :mod:`focal_boost._loss`). A strategy turns it into what the
booster gets, given the gradient and the Fisher factor ``1 - |p_j - [j==y]|``
(the Fisher Hessian is ``|grad|`` times it):

- ``"saddle_free"`` (default): ``max(|exact|, fisher)``;
- ``"fisher"``: ``fisher``;
- ``"clip"``: ``max(exact, HESSIAN_FLOOR * sample_weight)``;
- ``"abs"``: ``|exact|``;
- ``"exact"``: unchanged (warns on non-positive entries under a non-zero gradient).

This module holds the names, the floor, the integer codes the compiled kernels
(:mod:`focal_boost._kernels`) use for them, and the numpy implementation used by
the reference path. It imports only numpy.
"""

from __future__ import annotations

import warnings

import numpy as np

__all__ = ["HESSIANS", "HESSIAN_FLOOR", "MODES", "FISHER_BASED", "needs_fisher", "apply",
           "warn_non_positive"]

# Ways to hand the booster a Hessian (FocalLoss(hessian=...)); the first is the default.
HESSIANS = ("saddle_free", "fisher", "clip", "abs", "exact")
# Floor of hessian="clip", per row and unit of sample weight (XGBoost's demos use 1e-6).
HESSIAN_FLOOR = 1e-6

# Integer codes of the strategies in the compiled kernels.
EXACT, FISHER, ABS, CLIP, SADDLE_FREE = 0, 1, 2, 3, 4
MODES = {"exact": EXACT, "fisher": FISHER, "abs": ABS, "clip": CLIP,
         "saddle_free": SADDLE_FREE}
# The strategies that use the Fisher Hessian. With gamma = 0 the exact Hessian already
# is the Fisher one, which all of them then return.
FISHER_BASED = (FISHER, SADDLE_FREE)


def needs_fisher(strategy: str, gamma: float) -> bool:
    """Whether :func:`apply` needs the Fisher factor for ``strategy`` at ``gamma``."""
    return MODES.get(strategy) in FISHER_BASED and gamma > 0


def warn_non_positive(gamma: float, grad: np.ndarray, hess: np.ndarray, *,
                      stacklevel: int = 2) -> None:
    """Warn when the exact Hessian has a non-positive entry under a non-zero gradient,
    at ``gamma > 0`` (cross-entropy's is positive, or rounded to 0 on saturated rows,
    where "saddle_free" gives the same 0).

    ``stacklevel`` as in :func:`warnings.warn`, seen from the caller (1: the line
    calling this function).
    """
    if gamma > 0 and ((hess < 0) | ((hess == 0) & (grad != 0))).any():
        warnings.warn(
            "the exact focal Hessian has non-positive entries (confidently wrong "
            "rows); XGBoost and LightGBM need positive Hessians: use "
            "hessian='saddle_free'",
            RuntimeWarning,
            stacklevel=stacklevel + 1,
        )


def apply(strategy: str, gamma: float, grad: np.ndarray, hess: np.ndarray,
          fisher_factor: np.ndarray | None = None, *, stacklevel: int = 2,
          warn: bool = True) -> None:
    """Apply ``strategy`` to the exact, unweighted ``hess``, in place (row weights
    multiply the result: the clip floor is per unit of weight, as in the kernels).
    ``fisher_factor``: shaped like ``hess``, needed when
    :func:`needs_fisher` says so (it is overwritten). ``stacklevel``: of the
    ``"exact"`` warning, as in :func:`warnings.warn` seen from the caller (1: the
    line calling this function); ``warn=False``: none.
    """
    if strategy == "exact":
        if warn:
            warn_non_positive(gamma, grad, hess, stacklevel=stacklevel + 1)
    elif strategy == "abs":
        np.abs(hess, out=hess)
    elif strategy == "clip":
        np.maximum(hess, HESSIAN_FLOOR, out=hess)
    elif gamma > 0:  # with gamma = 0 the exact Hessian is already a*p*(1-p)
        fisher = fisher_factor
        np.multiply(fisher, grad, out=fisher)
        np.abs(fisher, out=fisher)  # |grad| * factor: the factor is >= 0
        if strategy == "fisher":
            np.copyto(hess, fisher)
        else:  # "saddle_free"
            np.abs(hess, out=hess)
            np.maximum(hess, fisher, out=hess)
