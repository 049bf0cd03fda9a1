"""Focal loss on raw margins: values, exact derivatives, optimal constant.

Pure numpy/scipy. Nothing here imports xgboost, lightgbm or scikit-learn.

Notation (one row): ``z`` raw margin(s), ``pt`` the model probability of the true
class, ``u = 1 - pt``, ``a`` the class weight of the true class, ``0 <= gamma <= 50``.

    FL = -a * u**gamma * log(pt)

Binary rows use the sigmoid link (``pt = expit(s*z)``, ``s = 2y - 1``); multiclass
rows use softmax (``pt = softmax(z)[y]``). Multi-label rows (a 0/1 label matrix
``y`` of shape ``(n, k)`` with margins of the same shape) are ``k`` independent
binary problems, one sigmoid focal loss per entry (RetinaNet's own form). All
share one set of row terms::

    r = -log(pt) / u                      (-> 1 as u -> 0)
    A = u**gamma * (1 + gamma*pt*r)        = u**(gamma-1) * (u - gamma*pt*log(pt))
    B = gamma*pt*u**(gamma+1) * (2 + log(pt) + (gamma-1)*pt*r)

    dFL/dz_j    = a * (p_j - [j==y]) * A
    d2FL/dz_j^2 = a * (p_j*(1-p_j)*A + B * ((p_j - [j==y]) / u)**2)

Binary is the two-class case: ``grad = a*(p - y)*A`` and ``hess = a*(pt*u*A + B)``,
which expands to the textbook ``a*pt*u**gamma*(u*(1 + 2g + g*log pt) - g**2*pt*log pt)``.
Every power is of ``u`` itself with a non-negative exponent, so ``u = 0`` and
non-integer ``gamma`` stay finite; ``log(pt)`` comes from ``log_expit`` /
``log_softmax``, and ``u`` (like every ``1 - p_j``) from ``-expm1(log pt)`` in binary
and from the sum of the other classes' probabilities in multiclass, never ``1 - pt``.

Positive curvature. With ``gamma > 0`` the exact Hessian is negative on confidently
wrong rows, which neither booster handles. Writing ``FL = a * F(c)`` with ``c = -log(pt)``
the cross-entropy and ``F(c) = c * (1 - exp(-c))**gamma`` splits it in two::

    d2FL/dz_j^2 = a * (F'(c) * d2c/dz_j^2 + F''(c) * (dc/dz_j)**2)
    F'(c) = A >= 0,   d2c/dz_j^2 = p_j*(1-p_j),   F''(c) * u**2 = B

The first term is non-negative (``F`` increases, the cross-entropy is convex); ``F`` is
concave for large ``c`` (``B < 0`` below ``pt`` = 0.135, 0.104, 0.064 for gamma 1, 2,
5), so the second carries all the negativity. The ``"fisher"`` Hessian keeps the first::

    fisher_j = a * A * p_j*(1-p_j) = |dFL/dz_j| * (1 - |p_j - [j==y]|)

the Hessian of the cross-entropy weighted by the focal factor ``a*A`` frozen at the
current margins (Fisher scoring / IRLS), which has the focal gradient there; the
second form needs only the gradient and ``p``. It is ``1 + gamma`` times too small
on well-classified rows (``u -> 0``, where ``B > 0``). The default, ``"saddle_free"``,
takes the absolute value of the exact Hessian (as saddle-free Newton does) and never
lets it fall below the Fisher one::

    saddle_free_j = max(|exact_j|, fisher_j)

It is exact wherever ``B >= 0`` (there ``exact >= fisher``), is ``fisher`` around the
sign change of the exact Hessian, where ``|exact|`` alone would fall to 0 under a
non-zero gradient, and ``|exact|`` on deeply wrong rows. Every strategy gives
``p*(1-p)`` when ``gamma = 0`` (``"clip"``: at least its floor).
"""

from __future__ import annotations

import importlib
import numbers
import warnings
from collections.abc import Sequence
from typing import Literal

import numpy as np
from scipy.optimize import minimize, minimize_scalar
from scipy.special import log_expit, log_softmax, logit, softmax

from focal_boost import _posterior

__all__ = ["FocalLoss", "focal_loss", "ce_loss"]

# Largest focusing parameter accepted (see FocalLoss, gamma).
MAX_GAMMA = 50.0

# Largest |margin| (binary) or margin spread (multiclass) an intercept may take:
# log(1/eps), where the probability of a missing class saturates.
_MAX_INIT_MARGIN = float(-np.log(np.finfo(np.float64).eps))

# Ways to hand the booster a Hessian (FocalLoss(hessian=...)); the first is the default.
_HESSIANS = ("saddle_free", "fisher", "clip", "abs", "exact")
# Floor of hessian="clip", per row and unit of sample weight (XGBoost's demos use 1e-6).
_HESSIAN_FLOOR = 1e-6


class FocalLoss:
    """Focal loss objective for gradient boosting on raw margins.

    ``FL = -alpha_t * (1 - pt)**gamma * log(pt)`` (Lin et al., 2017), with ``pt``
    the sigmoid (binary) or softmax (multiclass) probability of the true class.
    ``gamma = 0`` and ``alpha = None`` is the logistic / softmax cross-entropy.

    Calling the object returns the gradient and diagonal Hessian with respect to
    the raw margin, which is what XGBoost and LightGBM need.

    Parameters
    ----------
    gamma : float, default=2.0
        Focusing parameter, ``0 <= gamma <= 50`` (:data:`MAX_GAMMA`). The focal
        factor scales the gradient of an undecided row (``pt = 1/2``) by
        ``2**-gamma``, and the boosters' absolute thresholds (XGBoost's
        ``min_child_weight`` and minimum split gain, LightGBM's
        ``min_sum_hessian_in_leaf``, float32 gradients) stop all splits.
        Measured on balanced data of 1e3 and 1e5 rows
        (``benchmarks/large_gamma.py``): with their defaults XGBoost learns
        nothing from gamma 15-25 and LightGBM from 30-40; with those thresholds
        lowered XGBoost still stops at 30-40, and LightGBM learned up to 60 and
        failed a check at 70. Larger values are refused.
    alpha : float, sequence of float or None, default=None
        Class weights. A float in (0, 1) is the weight of class 1 in binary
        problems (class 0 gets ``1 - alpha``), as in RetinaNet, and of the
        positives of every label in multi-label problems. A sequence gives one
        positive weight per class (binary or multiclass); with a multi-label
        ``y_true`` of ``k`` columns it gives, instead, one positive-class weight in
        (0, 1) per label (label ``j`` weighs its negatives ``1 - alpha[j]``). The
        shape of ``y_true`` decides which: 1-D labels are classes, a 2-D 0/1
        matrix is labels. None weighs all classes 1.
    derivatives : {"analytic", "numeric"}, default="analytic"
        ``"analytic"`` uses the closed forms; ``"numeric"`` takes 4th-order
        central finite differences of :meth:`loss` (a reference path for tests).
    hessian : {"saddle_free", "fisher", "clip", "abs", "exact"}, default="saddle_free"
        How the Hessian handed to the booster is made positive; the exact one is
        negative on confidently wrong rows when ``gamma > 0`` (module docstring):

        - ``"saddle_free"``: ``max(|exact|, fisher)``. Equal to the exact Hessian
          wherever that is at least the Fisher one (``pt`` above 0.104 for
          gamma 2), never below ``"fisher"``. Chosen from measurements
          (``benchmarks/hessian.py``): it learns on both libraries where the exact
          Hessian stalls, and matches the exact Hessian on ordinary data.
        - ``"fisher"``: ``a * A * p_j*(1-p_j)``, the exact Hessian without its
          outer-curvature term: the Hessian of the cross-entropy weighted by the
          focal factor at the current margins. Never negative, but up to
          ``1 + gamma`` times smaller than the exact Hessian on well-classified
          rows, which makes the boosting steps there that much longer.
        - ``"clip"``: the exact Hessian raised to at least ``1e-6`` per row (times the
          sample weight). The floor counts for next to nothing in the boosters'
          Hessian-mass rules, so clipped regions hardly split.
        - ``"abs"``: the absolute value of the exact Hessian; it passes through 0
          where the exact Hessian changes sign, under a non-zero gradient.
        - ``"exact"``: unchanged, for study; warns (``RuntimeWarning``) when a call
          gives a non-positive entry with a non-zero gradient.

        Only the Hessian changes; the gradient is always exact.

    Examples
    --------
    >>> import numpy as np
    >>> from focal_boost import focal_loss
    >>> obj = focal_loss(gamma=2.0, alpha=0.25)
    >>> grad, hess = obj(np.array([0, 1]), np.array([-1.0, 0.5]))
    """

    def __init__(
        self,
        gamma: float = 2.0,
        alpha: float | Sequence[float] | None = None,
        *,
        derivatives: Literal["analytic", "numeric"] = "analytic",
        hessian: Literal["saddle_free", "fisher", "clip", "abs", "exact"] = "saddle_free",
    ) -> None:
        self.gamma = _check_gamma(gamma)
        self.alpha = _check_alpha(alpha)
        if derivatives not in ("analytic", "numeric"):
            raise ValueError(
                f"derivatives must be 'analytic' or 'numeric', got {derivatives!r}"
            )
        self.derivatives = derivatives
        self.hessian = _check_hessian(hessian)

    def __repr__(self) -> str:
        alpha = self.alpha if not isinstance(self.alpha, np.ndarray) else self.alpha.tolist()
        extra = "" if self.derivatives == "analytic" else f", derivatives={self.derivatives!r}"
        if self.hessian != _HESSIANS[0]:
            extra += f", hessian={self.hessian!r}"
        return f"FocalLoss(gamma={self.gamma!r}, alpha={alpha!r}{extra})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FocalLoss):
            return NotImplemented
        return repr(self) == repr(other)

    def __hash__(self) -> int:
        return hash(repr(self))

    # ------------------------------------------------------------------ API
    def __call__(self, y_true, y_pred, sample_weight=None):
        """Gradient and diagonal Hessian of the loss at the raw margins.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
            Labels: 0/1 for binary, integers in ``[0, n_classes)`` for multiclass,
            a 0/1 indicator matrix for multi-label (one sigmoid per column).
        y_pred : array-like of shape (n_samples,), (n_samples, 1) or (n_samples, k)
            Raw margins. One column means binary (sigmoid); ``k >= 2`` columns
            mean softmax over ``k`` classes with 1-D ``y_true``, and ``k``
            independent sigmoids with a 2-D ``y_true`` of the same shape.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative row weights; they multiply both outputs.

        Returns
        -------
        grad, hess : ndarray of the shape of ``y_pred``
            The gradient is exact; the Hessian is made as ``hessian`` says
            (``"exact"``: it may be negative for confidently wrong rows when
            ``gamma > 0``).

        Notes
        -----
        The loss can also be passed as it is to ``xgb.train(params, dtrain,
        obj=loss)`` and ``lgb.train({"objective": loss}, dtrain)``, which call it as
        ``loss(margins, dtrain)``: given an object with ``get_label`` and
        ``get_weight`` (an ``xgboost.DMatrix`` or a ``lightgbm.Dataset``) as second
        argument, the loss takes the labels and row weights from it, and returns
        what ``focal_boost.xgboost.objective(loss)`` / ``focal_boost.lightgbm.objective(loss)``
        return (their multiclass Hessian carries the library's softmax scale). The libraries
        then start from their own constant, not from :meth:`init_score` (XGBoost:
        margin ``base_score``, 0.5 unless set; LightGBM: 0), and neither reports
        the focal loss; ``focal_boost.xgboost.train`` and
        ``focal_boost.lightgbm.train`` do both.
        """
        if _is_training_data(y_pred):
            if sample_weight is not None:
                raise TypeError(
                    "sample_weight must be None when the second argument is a "
                    f"{type(y_pred).__name__}: its own weights are used"
                )
            data, labels = y_pred, _data_labels(y_pred)
            library = type(data).__module__.partition(".")[0]
            if library in ("xgboost", "lightgbm"):  # exactly the adapter's objective
                adapter = importlib.import_module(f"focal_boost.{library}")
                return adapter.objective(self)(y_true, data)
            y_true, y_pred, sample_weight = labels, y_true, data.get_weight()
        if self.derivatives == "analytic":
            fast = _fast_grad_hess(self, y_true, y_pred, sample_weight)
            if fast is not None:
                # The kernels apply the Hessian strategy themselves; "exact" only warns.
                if self.hessian == "exact":
                    self._positive_hessian(y_true, y_pred, *fast, sample_weight)
                return fast
        y, z, shape = self._validate(y_true, y_pred)
        sw = _check_sample_weight(sample_weight, len(y))
        if self.derivatives == "numeric":
            grad, hess = self._numeric_grad_hess(y, z)
        else:
            grad, hess = self._grad_hess(y, z)
        self._positive_hessian(y, z, grad, hess, None)
        if sw is not None:
            sw = sw[:, None] if grad.ndim == 2 else sw
            grad *= sw
            hess *= sw
        return grad.reshape(shape), hess.reshape(shape)

    gradient_hessian = __call__

    def loss(self, y_true, y_pred) -> np.ndarray:
        """Per-sample focal loss ``-alpha_t * (1 - pt)**gamma * log(pt)``.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
            As in :meth:`__call__`.
        y_pred : array-like of shape (n_samples,), (n_samples, 1) or (n_samples, k)
            Raw margins.

        Returns
        -------
        ndarray of shape (n_samples,), or (n_samples, n_labels) for multi-label
            Non-negative, finite losses, one per label in multi-label problems; a
            metric averages them (with row weights).
        """
        y, z, _ = self._validate(y_true, y_pred)
        return self._loss(y, z)

    def init_score(self, y_true, sample_weight=None, *, n_classes: int | None = None):
        """Constant raw margin that minimises the weighted mean loss.

        The weighted mean loss of a constant depends on the data only through the
        total weight of each class, so the search runs over ``k`` class totals:
        a grid plus bounded Brent search for binary, L-BFGS-B for multiclass
        (softmax is shift invariant: the result is centred to sum 0). With
        ``gamma = 0`` the closed form ``log(W_c * alpha_c)`` is returned. A class
        with no weight gets the margin at which its probability reaches machine
        epsilon, as scikit-learn does. Multi-label: each label's binary constant,
        exactly as for that column alone with its own ``alpha``.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
            Labels: 0/1 for binary, integers in ``[0, n_classes)`` for multiclass,
            a 0/1 indicator matrix for multi-label. The number of classes is
            ``max(y_true) + 1`` (at least 2); binary when 2.
        sample_weight : array-like of shape (n_samples,), default=None
        n_classes : int, default=None
            Number of classes; inferred as ``max(2, max(y_true) + 1)`` when None.
            Must be None (or 2) for multi-label ``y_true``.

        Returns
        -------
        float (binary), ndarray of shape (n_classes,) (multiclass) or
        ndarray of shape (n_labels,) (multi-label, one binary margin per label)
        """
        y = _check_labels(y_true)
        sw = _check_sample_weight(sample_weight, len(y))
        if y.ndim == 2:
            if n_classes not in (None, 2):
                raise ValueError(
                    "n_classes does not apply to a multi-label y_true (every label is "
                    f"binary): leave it None, got {n_classes!r}"
                )
            cw = self._class_weight(y.shape[1], multilabel=True)
            return np.array([
                self._label_loss(cw, j)._init_score_from_totals(_class_totals(y[:, j], sw, 2))
                for j in range(y.shape[1])
            ])
        if n_classes is None:
            n_classes = max(2, int(y.max()) + 1) if len(y) else 2
        elif (isinstance(n_classes, bool) or not isinstance(n_classes, numbers.Integral)
              or n_classes < 2):
            raise ValueError(f"n_classes must be an integer >= 2, got {n_classes!r}")
        k = int(n_classes)
        return self._init_score_from_totals(_class_totals(y, sw, k))

    def predict_proba(self, y_pred, *, multilabel: bool = False) -> np.ndarray:
        """Class posterior recovered from raw margins of a focal-trained model.

        Focal loss is not a proper scoring rule: for ``gamma > 0`` the
        sigmoid/softmax ``q`` of the focal-optimal margin is not the class
        posterior but an under-confident distortion of it that depends on
        ``gamma`` and ``alpha``. Setting the derivative of the expected loss to
        zero inverts it in closed form (Charoenphakdee et al., CVPR 2021)::

            eta_j = w_j / sum_i w_i,    w_j = q_j / (a_j * A(q_j))
            A(q)  = (1 - q)**(gamma - 1) * ((1 - q) - gamma * q * log(q))

        with ``a_j`` the class weights (binary: ``(1 - alpha, alpha)``). ``q / A(q)``
        is ``1 / |l'(q)|`` for ``l(q) = -(1 - q)**gamma * log(q)``. With
        ``gamma = 0`` and ``alpha = None`` this is :meth:`inverse_link` (to
        rounding). It is evaluated in log space, so it is finite and in [0, 1]
        for any finite margin and any allowed ``gamma``, and monotone in the margin
        (binary, and per label in multi-label), so rankings and AUC are unchanged.

        Parameters
        ----------
        y_pred : array-like of shape (n_samples,), (n_samples, 1) or (n_samples, k)
            Raw margins (any float or integer dtype). One column means binary
            (sigmoid), ``k >= 2`` columns softmax over ``k`` classes, or ``k``
            labels with ``multilabel=True``.
        multilabel : bool, default=False
            The margins are one sigmoid per column (a model trained on a 2-D 0/1
            ``y_true``): the binary correction per label, with label ``j``'s
            weights ``(1 - alpha_j, alpha_j)``.

        Returns
        -------
        ndarray of float64, shape (n_samples,) or (n_samples, k)
            Binary: the probability of class 1, shape ``(n_samples,)`` for both
            1-D and one-column input. Multiclass: one row per sample, summing to 1.
            Multi-label: the probability of each label, per column.

        See Also
        --------
        inverse_link : the plain sigmoid/softmax, without the correction.

        Examples
        --------
        >>> import numpy as np
        >>> from focal_boost import focal_loss
        >>> obj = focal_loss(gamma=2.0)
        >>> obj.inverse_link(np.array([1.0])).round(3), obj.predict_proba(np.array([1.0])).round(3)
        (array([0.731]), array([0.936]))
        """
        z = _posterior.check_margins(y_pred)
        multilabel = _check_multilabel(multilabel) and z.ndim == 2
        k = 2 if z.ndim == 1 else z.shape[1]
        cw = self._class_weight(k, multilabel=multilabel)
        return _posterior.posterior(z, self.gamma, cw, multilabel=multilabel)

    def inverse_link(self, y_pred, *, multilabel: bool = False) -> np.ndarray:
        """Plain inverse link: sigmoid (binary) or softmax (multiclass) of the margins.

        This is what a model trained with the log-loss reports as probabilities.
        For ``gamma > 0`` (or with ``alpha``) it is *not* the class posterior of a
        focal-trained model; use :meth:`predict_proba` for that.

        Parameters
        ----------
        y_pred : array-like of shape (n_samples,), (n_samples, 1) or (n_samples, k)
            Raw margins.
        multilabel : bool, default=False
            One sigmoid per column instead of a softmax over them.

        Returns
        -------
        ndarray of float64, shape (n_samples,) or (n_samples, k)
            Binary: ``expit(y_pred)``, the probability of class 1, shape
            ``(n_samples,)``. Multiclass: ``softmax(y_pred, axis=1)``.
            Multi-label: ``expit(y_pred)`` per entry.
        """
        z = _posterior.check_margins(y_pred)
        return _posterior.inverse_link(z, multilabel=_check_multilabel(multilabel))

    # ------------------------------------------------------------ internals
    def _validate(self, y_true, y_pred):
        """Labels and float64 margins; ``y.ndim == z.ndim`` means one sigmoid per entry."""
        shape = np.shape(y_pred)
        z = _posterior.check_margins(y_pred)
        y = _check_labels(y_true)
        if len(y) != z.shape[0]:
            raise ValueError(
                f"y_true has {len(y)} samples but y_pred has {z.shape[0]}; lengths must match"
            )
        if y.ndim == 2:
            if y.shape != z.shape:
                raise ValueError(
                    f"a multi-label y_true of shape {y.shape} needs margins y_pred of the same "
                    f"shape, got {shape}"
                )
            self._class_weight(y.shape[1], multilabel=True)
            return y, z, shape
        k = 2 if z.ndim == 1 else z.shape[1]
        if len(y) and (y.min() < 0 or y.max() >= k):
            raise ValueError(
                f"y_true must hold class indices in [0, {k}) for y_pred with "
                f"{'1 column (binary)' if z.ndim == 1 else f'{k} columns'}, "
                f"got values in [{y.min()}, {y.max()}]"
            )
        self._class_weight(k)  # alpha must fit the number of classes
        return y, z, shape

    def _class_weight(self, k: int, multilabel: bool = False) -> np.ndarray | None:
        """Per-class weights for ``k`` classes (None: all ones).

        ``multilabel``: ``k`` labels instead, as an array of shape (2, k) whose rows
        are the negative and positive weights of each label.
        """
        alpha = self.alpha
        if alpha is None:
            return None
        if multilabel:
            if not isinstance(alpha, float):
                if len(alpha) != k:
                    raise ValueError(
                        f"alpha has {len(alpha)} weights but y_true has {k} labels: give one "
                        "positive-class weight per label"
                    )
                if not ((alpha > 0) & (alpha < 1)).all():
                    raise ValueError(
                        "alpha as a sequence for a multi-label y_true gives each label's "
                        f"positive-class weight, which must lie in (0, 1), got {alpha.tolist()}"
                    )
            a = np.broadcast_to(alpha, (k,))
            return np.stack([1.0 - a, a])
        if isinstance(alpha, float):
            if k != 2:
                raise ValueError(
                    f"a float alpha is the class-1 weight of a binary problem; with "
                    f"{k} classes pass a sequence of {k} per-class weights"
                )
            return np.array([1.0 - alpha, alpha])
        if len(alpha) != k:
            raise ValueError(f"alpha has {len(alpha)} weights but there are {k} classes")
        return alpha

    def _label_loss(self, cw: np.ndarray | None, j: int) -> FocalLoss:
        """The binary loss of label ``j`` of a multi-label problem (``cw``: (2, k) weights)."""
        return FocalLoss(self.gamma, None if cw is None else float(cw[1, j]),
                         derivatives=self.derivatives, hessian=self.hessian)

    def _weight(self, y, z):
        """``alpha_t`` per entry (sigmoid) or per row (softmax); None when alpha is None."""
        if y.ndim == z.ndim:  # binary, or multi-label (one binary loss per entry)
            cw = self._class_weight(2 if z.ndim == 1 else z.shape[1], multilabel=z.ndim == 2)
            return None if cw is None else np.where(y == 1, cw[1], cw[0])
        cw = self._class_weight(z.shape[1])
        return None if cw is None else cw[y]

    def _row_terms(self, logpt: np.ndarray, u: np.ndarray):
        """pt, A, B of the module docstring, per row, from log(pt) and u = 1 - pt."""
        g = self.gamma
        pt = np.exp(logpt)
        r = np.divide(-logpt, u, out=np.ones_like(u), where=u > 0)
        ug = u**g
        A = ug * (1.0 + g * pt * r)
        B = (g * pt) * ug * u * (2.0 + logpt + (g - 1.0) * pt * r)
        return pt, A, B

    @staticmethod
    def _log_pt_u(y, z, logp=None, q=None):
        """log(pt) and u = 1 - pt per row (per entry when sigmoid), to full relative precision.

        Multiclass: u is the sum of the other classes' probabilities (see
        :func:`_one_minus_softmax`), since log_softmax rounds log(pt) to 0 once
        u < 1e-16 and -expm1 cannot recover u from that. ``logp``: log_softmax(z),
        when already computed; ``q``: 1 - softmax(z), likewise.
        """
        if y.ndim == z.ndim:
            logpt = log_expit(np.where(y == 1, z, -z))
            return logpt, -np.expm1(logpt)
        rows = np.arange(len(y))
        logp = log_softmax(z, axis=1) if logp is None else logp
        u = (_one_minus_softmax(z, logp) if q is None else q)[rows, y]
        # log1p(-u) is precise for small u; the minimum keeps it finite where unused
        logpt = np.where(u < 0.5, np.log1p(-np.minimum(u, 0.5)), logp[rows, y])
        return logpt, u

    def _loss(self, y, z):
        logpt, u = self._log_pt_u(y, z)
        out = (u**self.gamma) * -logpt
        a = self._weight(y, z)
        return out if a is None else a * out

    def _grad_hess(self, y, z):
        a = self._weight(y, z)
        a = 1.0 if a is None else a
        if y.ndim == z.ndim:
            s = np.where(y == 1, 1.0, -1.0)
            logpt, u = self._log_pt_u(y, z)
            pt, A, B = self._row_terms(logpt, u)
            grad = a * (-s * u) * A  # p - y = -s*u
            hess = a * (pt * u * A + B)
            return grad, hess
        rows = np.arange(len(y))
        logp = log_softmax(z, axis=1)
        q = _one_minus_softmax(z, logp)  # 1 - p_j
        logpt, u = self._log_pt_u(y, z, logp, q)
        pt, A, B = self._row_terms(logpt, u)
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

    def _positive_hessian(self, y_true, y_pred, grad, hess, sample_weight) -> None:
        """Apply the ``hessian`` strategy to the exact ``hess``, in place.

        ``grad`` and ``hess`` may already carry non-negative row weights
        ``sample_weight``: ``|w*h| = w*|h|``, the clip floor is scaled by ``w``, and
        the Fisher form is linear in ``|grad|``, so every strategy commutes with them.
        The inputs have passed validation; they are only reshaped here.
        """
        strategy = self.hessian
        if strategy == "exact":
            if self.gamma > 0 and ((hess < 0) | ((hess == 0) & (grad != 0))).any():
                warnings.warn(
                    "the exact focal Hessian has non-positive entries (confidently wrong "
                    "rows); XGBoost and LightGBM need positive Hessians: use "
                    "hessian='saddle_free'",
                    RuntimeWarning,
                    stacklevel=3,
                )
        elif strategy == "abs":
            np.abs(hess, out=hess)
        elif strategy == "clip":
            floor = _HESSIAN_FLOOR
            sw = _check_sample_weight(sample_weight, hess.shape[0])
            if sw is not None:  # one weight per row, broadcast over the columns
                floor = floor * sw.reshape(-1, *(1,) * (hess.ndim - 1))
            np.maximum(hess, floor, out=hess)
        elif self.gamma > 0:  # with gamma = 0 the exact Hessian is already a*p*(1-p)
            fisher = self._fisher_factor(y_true, y_pred)
            np.multiply(fisher, grad, out=fisher)
            np.abs(fisher, out=fisher)  # |grad| * factor: the factor is >= 0
            if strategy == "fisher":
                np.copyto(hess, fisher)
            else:  # "saddle_free"
                np.abs(hess, out=hess)
                np.maximum(hess, fisher, out=hess)

    def _fisher_factor(self, y_true, y_pred) -> np.ndarray:
        """``1 - |p_j - [j==y]|``: the Fisher Hessian is ``|grad|`` times this.

        ``pt`` in binary and per entry in multi-label; ``p_y`` in the target column
        and ``1 - p_j`` elsewhere in multiclass, by :func:`_one_minus_softmax` so
        that ``1 - p_j`` keeps its precision. Shaped like ``y_pred``.
        """
        z = np.asarray(y_pred)
        y = np.asarray(y_true).reshape(-1)
        if y.size == z.size:  # one label per margin: binary or multi-label
            # pt = expit(t), t = s*z, as exp(min(t, 0)) / (1 + exp(-|t|)): no overflow,
            # full relative precision, and in place (scipy's expit is several times slower).
            t = np.multiply(z.reshape(-1), 2.0 * y - 1.0, dtype=np.float64)
            e = np.abs(t)
            np.exp(np.negative(e, out=e), out=e)
            e += 1.0
            np.exp(np.minimum(t, 0.0, out=t), out=t)
            t /= e
            return t.reshape(z.shape)
        z = np.asarray(z, dtype=np.float64)
        rows = np.arange(len(y))
        y = y.astype(np.intp, copy=False)
        logp = log_softmax(z, axis=1)
        factor = _one_minus_softmax(z, logp)
        factor[rows, y] = np.exp(logp[rows, y])
        return factor

    def _numeric_grad_hess(self, y, z):
        """4th-order central differences of the loss, one margin column at a time.

        Steps ~eps**(1/5) (gradient) and ~eps**(1/6) (Hessian) balance truncation
        against rounding; the perturbed points are formed first so that the step
        used is the one actually taken.
        """
        grad = np.empty_like(z)
        hess = np.empty_like(z)
        stencils = {  # offsets -> coefficients, divided by 12*h**order
            1: {-2: 1.0, -1: -8.0, 1: 8.0, 2: -1.0},
            2: {-2: -1.0, -1: 16.0, 0: -30.0, 1: 16.0, 2: -1.0},
        }
        # Sigmoid entries are independent: all perturbed at once.
        columns = [None] if y.ndim == z.ndim else range(z.shape[1])
        for j in columns:
            zj = z if j is None else z[:, j]
            for order, h0, out in ((1, 1e-3, grad), (2, 3e-3, hess)):
                h = (zj + h0) - zj
                d = np.zeros_like(zj)
                for m, coef in stencils[order].items():
                    zz = zj + m * h if j is None else z.copy()
                    if j is not None:
                        zz[:, j] = zj + m * h
                    d += coef * self._loss(y, zz)
                d /= 12 * h**order
                if j is None:
                    out[:] = d
                else:
                    out[:, j] = d
        return grad, hess

    def _init_score_from_totals(self, totals: np.ndarray):
        """Optimal constant margin given the total sample weight of each class."""
        k = len(totals)
        if not (totals.sum() > 0):
            raise ValueError("y_true/sample_weight have zero total weight")
        labels = np.arange(k)
        if self.gamma == 0:  # weighted prior log-odds, clipped like scikit-learn
            a = self._class_weight(k)
            cw = totals if a is None else totals * a
            prob = np.clip(cw / cw.sum(), np.finfo(float).eps, 1 - np.finfo(float).eps)
            if k == 2:
                return float(logit(prob[1]))
            logp = np.log(prob)
            return logp - logp.mean()
        # self._loss and self._grad_hess already carry alpha: weigh rows by totals only.
        cw = totals
        m = _MAX_INIT_MARGIN
        if k == 2:
            def f(c):
                c = np.atleast_1d(c)
                return cw[0] * self._loss(np.zeros(len(c), int), c) + cw[1] * self._loss(
                    np.ones(len(c), int), c
                )

            grid = np.linspace(-m, m, 1441)
            i = int(np.argmin(f(grid)))
            step = grid[1] - grid[0]
            lo, hi = max(-m, grid[i] - step), min(m, grid[i] + step)
            res = minimize_scalar(lambda c: f(c)[0], bounds=(lo, hi), method="bounded",
                                  options={"xatol": 1e-12})
            return float(res.x)

        def fun(c):
            zz = np.broadcast_to(c, (k, k))
            grad, _ = self._grad_hess(labels, zz)
            return float(cw @ self._loss(labels, zz)), cw @ grad

        x0 = self.__class__(0.0, self.alpha)._init_score_from_totals(totals)
        res = minimize(fun, x0, jac=True, method="L-BFGS-B",
                       bounds=[(-m / 2, m / 2)] * k, options={"ftol": 1e-15, "gtol": 1e-12})
        return res.x - res.x.mean()


def focal_loss(
    gamma: float = 2.0,
    alpha: float | Sequence[float] | None = None,
    *,
    derivatives: Literal["analytic", "numeric"] = "analytic",
    hessian: Literal["saddle_free", "fisher", "clip", "abs", "exact"] = "saddle_free",
) -> FocalLoss:
    """Focal loss objective ``-alpha_t * (1 - pt)**gamma * log(pt)``.

    See :class:`FocalLoss` for the parameters. The returned object is called as
    ``obj(y_true, y_pred, sample_weight=None) -> (grad, hess)`` and can be passed
    as ``objective=`` to ``XGBClassifier`` and ``LGBMClassifier``. ``hessian``
    names how the Hessian is kept positive (default ``"saddle_free"``).
    """
    return FocalLoss(gamma, alpha, derivatives=derivatives, hessian=hessian)


def ce_loss(*, derivatives: Literal["analytic", "numeric"] = "analytic") -> FocalLoss:
    """Logistic / softmax cross-entropy: focal loss with ``gamma = 0``, no alpha."""
    return FocalLoss(0.0, None, derivatives=derivatives)


def _one_minus_softmax(z: np.ndarray, logp: np.ndarray) -> np.ndarray:
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


def _fast_grad_hess(loss, y_true, y_pred, sample_weight):
    """Analytic gradient and Hessian by the fused kernels (``focal_boost._kernels``).

    The same values as ``_validate`` + ``_grad_hess`` to rounding, with every check
    done in the same pass. None when numba is not installed or the input does not
    fit the fast path (including any invalid value): the reference path then runs
    and raises its errors. Imported on first use so that importing focal_boost
    does not import numba.
    """
    from focal_boost import _kernels

    return _kernels.grad_hess(loss, y_true, y_pred, sample_weight)


# ----------------------------------------------------------------- validation
def check_loss(loss) -> FocalLoss:
    """``loss`` itself if it is a :class:`FocalLoss`; the adapters take nothing else."""
    if not isinstance(loss, FocalLoss):
        raise TypeError(
            "loss must be a FocalLoss (from focal_boost.focal_loss or ce_loss), "
            f"got {type(loss).__name__}"
        )
    return loss


def weighted_mean(values: np.ndarray, sample_weight: np.ndarray | None) -> float:
    """Mean of ``values`` weighted by ``sample_weight`` (None: equal weights).

    ``values`` of shape (n,), or (n, k) for multi-label losses: each row then counts
    with the mean over its labels (every entry weighs its row's weight).
    NaN when there is nothing to average (no rows, or weights summing to 0), which is
    what XGBoost and LightGBM report for their own metrics there.
    """
    values = np.asarray(values, dtype=np.float64)
    if values.ndim == 2:
        values = values.mean(axis=1)
    if sample_weight is None or np.size(sample_weight) == 0:
        return float(values.mean()) if values.size else float("nan")
    weight = np.asarray(sample_weight, dtype=np.float64)
    total = weight.sum()
    return float(values @ weight / total) if total > 0 else float("nan")


def _check_gamma(gamma) -> float:
    if isinstance(gamma, bool) or not isinstance(gamma, numbers.Real):
        raise TypeError(f"gamma must be a real number, got {type(gamma).__name__}")
    gamma = float(gamma)
    if not np.isfinite(gamma) or gamma < 0:
        raise ValueError(f"gamma must be a finite number >= 0, got {gamma}")
    if gamma > MAX_GAMMA:
        raise ValueError(
            f"gamma must be at most {MAX_GAMMA:g}, got {gamma:g}: the focal factor scales "
            "the gradients of undecided rows (pt = 1/2) by 2**-gamma, far below what "
            "XGBoost and LightGBM can split on; useful values are 0.5 to 5"
        )
    return gamma


def _check_multilabel(multilabel) -> bool:
    if not isinstance(multilabel, bool | np.bool_):
        raise TypeError(f"multilabel must be True or False, got {type(multilabel).__name__}")
    return bool(multilabel)


def _is_training_data(obj) -> bool:
    """Whether ``obj`` is a library's training data (xgboost.DMatrix, lightgbm.Dataset).

    By duck typing, so that the core imports neither library.
    """
    return not isinstance(obj, np.ndarray) and all(
        callable(getattr(obj, name, None)) for name in ("get_label", "get_weight")
    )


def _data_labels(data) -> np.ndarray:
    labels = data.get_label()
    if labels is None or np.size(labels) == 0:
        raise ValueError(f"the {type(data).__name__} passed to the loss has no labels")
    return labels


def _check_alpha(alpha):
    if alpha is None:
        return None
    if isinstance(alpha, bool):
        raise TypeError("alpha must be None, a float in (0, 1) or a sequence of weights")
    if isinstance(alpha, numbers.Real):
        alpha = float(alpha)
        if not 0.0 < alpha < 1.0:
            raise ValueError(f"alpha as a float must lie in (0, 1), got {alpha}")
        return alpha
    if isinstance(alpha, str):
        raise TypeError(
            f"alpha must be None, a float in (0, 1) or a sequence of weights, got {alpha!r}"
        )
    try:  # a copy: the caller's array stays writable, ours is frozen
        arr = np.array(alpha, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            "alpha must be None, a float in (0, 1) or a sequence of weights, "
            f"got {type(alpha).__name__}"
        ) from None
    if arr.ndim != 1 or len(arr) < 2:
        raise ValueError(f"alpha as a sequence needs one weight per class (>= 2), got {alpha!r}")
    if not (np.isfinite(arr).all() and (arr > 0).all()):
        raise ValueError(f"alpha weights must be finite and > 0, got {arr.tolist()}")
    arr.setflags(write=False)
    return arr


def _check_hessian(hessian) -> str:
    if not isinstance(hessian, str):
        raise TypeError(f"hessian must be one of {_HESSIANS}, got {type(hessian).__name__}")
    if hessian not in _HESSIANS:
        raise ValueError(f"hessian must be one of {_HESSIANS}, got {hessian!r}")
    return hessian


def _check_labels(y_true) -> np.ndarray:
    """Class indices (1-D) or a 0/1 multi-label indicator matrix (2-D, >= 2 columns)."""
    y = np.asarray(y_true)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim not in (1, 2):
        raise ValueError(
            f"y_true must be 1-D (classes) or 2-D (multi-label indicators), got shape {y.shape}"
        )
    if y.dtype.kind in "iu":
        y = y.astype(np.intp, copy=False)
    elif y.dtype.kind == "b":
        y = y.astype(np.intp)
    elif y.dtype.kind != "f":
        raise TypeError(f"y_true must hold numeric class indices, got dtype {y.dtype}")
    else:
        if not np.isfinite(y).all():
            raise ValueError("y_true contains NaN or infinite values")
        yi = y.astype(np.intp)
        if not (yi == y).all():
            raise ValueError("y_true must hold integer class indices, got non-integer values")
        y = yi
    if y.ndim == 2 and y.size and not ((y == 0) | (y == 1)).all():
        raise ValueError(
            "a 2-D y_true is a multi-label indicator matrix and must hold only 0 and 1, "
            f"got values in [{y.min()}, {y.max()}]"
        )
    return y


def _check_sample_weight(sample_weight, n: int) -> np.ndarray | None:
    if sample_weight is None:
        return None
    sw = np.asarray(sample_weight, dtype=np.float64)
    if sw.size == 0:  # XGBoost reports "no weights" as an empty array
        return None
    if sw.ndim != 1 or len(sw) != n:
        raise ValueError(f"sample_weight must have shape ({n},), got {sw.shape}")
    if not np.isfinite(sw).all() or (sw < 0).any():
        raise ValueError("sample_weight must be finite and >= 0")
    return sw


def _class_totals(y: np.ndarray, sw: np.ndarray | None, k: int) -> np.ndarray:
    if len(y) and (y.min() < 0 or y.max() >= k):
        raise ValueError(f"y_true must hold class indices in [0, {k})")
    return np.bincount(y, weights=sw, minlength=k).astype(np.float64)
