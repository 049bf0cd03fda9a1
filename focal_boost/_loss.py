"""Focal loss on raw margins: values, exact derivatives, optimal constant.

Pure numpy/scipy. Nothing here imports xgboost, lightgbm or scikit-learn.

The public objects live here; the work is done, importing one way, by
:mod:`focal_boost._validation` (checks, the link of a call, class weights),
:mod:`focal_boost._reference` (the numpy math below), :mod:`focal_boost._hessian`
(the Hessian strategies), :mod:`focal_boost._kernels` (the same math, compiled),
:mod:`focal_boost._intercept` (the optimal constant and the intercept rule),
:mod:`focal_boost._posterior` (the posterior) and :mod:`focal_boost._conventions`
(the libraries' calling conventions, known without importing them).

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

# Before the fork hook below (os.register_at_fork), whose before-hooks run in the
# reverse order of registration: logging's hook takes a lock the kernels' warm-up
# thread needs (numba's import takes it), so it must run after ours has joined the
# warm-up. Registered later (imported by the warm-up itself, where numpy and scipy had
# not imported it: scipy 1.11), a fork right after making a loss hung: logging's hook
# held its lock while ours waited for the warm-up, which waited for that lock.
import importlib.util
import logging  # noqa: F401
import os
import threading
from typing import Literal

import numpy as np
import numpy.typing as npt

from focal_boost import _conventions, _hessian, _intercept, _posterior, _reference
from focal_boost import _validation as _v
from focal_boost._validation import MAX_GAMMA as MAX_GAMMA  # (the estimators' bound)

__all__ = ["FocalLoss", "focal_loss", "ce_loss"]

_warm_up_lock = threading.Lock()
_warm_up_thread: threading.Thread | None = None
_warm_up_done = threading.Event()


def _warm_up_kernels() -> None:
    """Start loading the compiled kernels in a background thread, once per process.

    numba's first compiled call in a process costs about half a second (its import and
    target set-up), whichever function it calls. Started when a loss is made, before
    the training data are built (XGBoost and LightGBM release the GIL while they build
    them), the load mostly runs meanwhile, and the first gradient call waits only for
    what is left of it. Results do not depend on it: every call runs the same kernels.
    """
    global _warm_up_thread
    try:
        if _warm_up_thread is not None or not _v.kernels_from_environment():
            return
    except ValueError:  # a misspelt setting: the first loss call says so
        return
    try:
        if importlib.util.find_spec("numba") is None:
            return
    except (ImportError, ValueError):  # numba blocked in sys.modules
        return
    with _warm_up_lock:
        if _warm_up_thread is None:
            _warm_up_thread = threading.Thread(target=_load_kernels, daemon=True,
                                               name="focal_boost-warm-up")
            _warm_up_thread.start()


def _load_kernels() -> None:
    try:
        from focal_boost import _kernels

        _kernels.warm_up()
    except Exception:  # noqa: BLE001 - the first call on the caller's thread reports it
        pass
    finally:
        _warm_up_done.set()
    # Then stay, idle. When a thread ends, glibc hands its malloc arena, here interleaved
    # with numba's and LLVM's objects, to the next thread started: the booster's OpenMP
    # threads, whose large temporaries then raised the process's peak RSS
    # (FocalXGBClassifier on 20k x 500: +55 MB in half the fits; none with the thread kept).
    threading.Event().wait()


def _join_warm_up(timeout: float | None = None) -> bool:
    """Wait until the warm-up has loaded the kernels (or failed to; False: ``timeout``
    ran out). A fork must not copy a lock it holds (numba's compiler lock, an import
    lock) into a child that has no thread to release it."""
    thread = _warm_up_thread
    if thread is not None and thread is not threading.current_thread():
        return _warm_up_done.wait(timeout)
    return True


if hasattr(os, "register_at_fork"):  # not on Windows, which does not fork
    os.register_at_fork(before=_join_warm_up)


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
        Focusing parameter, ``0 <= gamma <= 50``. The focal
        factor scales the loss of an undecided row (``pt = 1/2``) by
        ``2**-gamma`` and its gradient by ``2**-gamma * (1 + gamma*ln 2)``
        (0.60 at gamma 2, 3e-14 at 50), until the boosters' absolute thresholds stop all splits:
        with their defaults XGBoost learned nothing from gamma 15-25 and LightGBM
        from 30-40 (``benchmarks/large_gamma.py``).
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
        negative on confidently wrong rows when ``gamma > 0`` (module docstring).
        Only the Hessian changes; the gradient is always exact.

        - ``"saddle_free"``: ``max(|exact|, fisher)``: the exact Hessian wherever
          that is at least the Fisher one (``pt`` above 0.104 for gamma 2). It
          learns on both libraries where the exact Hessian stalls, and matches it
          on ordinary data (``benchmarks/hessian.py``).
        - ``"fisher"``: ``a * A * p_j*(1-p_j)``, the cross-entropy Hessian weighted
          by the focal factor; never negative, but up to ``1 + gamma`` times
          smaller than the exact one on well-classified rows (longer steps there).
        - ``"clip"``: the exact Hessian raised to at least ``1e-6`` per row (times
          the sample weight); clipped regions hardly split.
        - ``"abs"``: ``|exact|``; it passes through 0 where the exact Hessian
          changes sign, under a non-zero gradient.
        - ``"exact"``: unchanged, for study; warns (``RuntimeWarning``) when a call
          at ``gamma > 0`` gives a non-positive entry with a non-zero gradient (at
          ``gamma = 0`` only a saturated row's Hessian, rounded to 0, can be: no
          warning: "saddle_free" gives the same 0).

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
        alpha: float | npt.ArrayLike | None = None,
        *,
        derivatives: Literal["analytic", "numeric"] = "analytic",
        hessian: Literal["saddle_free", "fisher", "clip", "abs", "exact"] = "saddle_free",
    ) -> None:
        self.gamma = _v.check_gamma(gamma)
        self.alpha = _v.check_alpha(alpha)
        self.derivatives = _v.check_derivatives(derivatives)
        self.hessian = _v.check_hessian(hessian)
        if self.derivatives == "analytic":
            _warm_up_kernels()

    def __setstate__(self, state: dict) -> None:
        # No warm-up here: a fitted model loaded to predict (its loss_) never calls
        # the kernels, and numba would take ~100 MB of a serving process. The training
        # objective's LibraryGradients starts it where a process will train.
        self.__dict__.update(state)
        if isinstance(self.alpha, np.ndarray):  # read-only as made (pickle copies it
            self.alpha.setflags(write=False)     # writable): the loss's hash is by value

    def __repr__(self) -> str:
        alpha = self.alpha if not isinstance(self.alpha, np.ndarray) else self.alpha.tolist()
        extra = "" if self.derivatives == "analytic" else f", derivatives={self.derivatives!r}"
        if self.hessian != _hessian.HESSIANS[0]:
            extra += f", hessian={self.hessian!r}"
        return f"FocalLoss(gamma={self.gamma!r}, alpha={alpha!r}{extra})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FocalLoss):
            return NotImplemented
        return repr(self) == repr(other)

    def __hash__(self) -> int:
        return hash(repr(self))

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
        grad, hess : float64 ndarray of the shape of ``y_pred``
            The gradient is exact; the Hessian is made as ``hessian`` says.
            :meth:`gradient_hessian` gives them in float32 too.

        Notes
        -----
        ``xgb.train(params, dtrain, obj=loss)`` and ``lgb.train({"objective": loss},
        dtrain)`` call ``loss(margins, dtrain)``: the labels and row weights then
        come from ``dtrain``, and the result is what ``focal_boost.xgboost.objective``
        / ``focal_boost.lightgbm.objective`` return (the multiclass Hessian carries
        the library's softmax scale). The libraries then start from their own
        constant, not :meth:`init_score`, and do not report the focal loss;
        ``focal_boost.xgboost.train`` and ``focal_boost.lightgbm.train`` do both.
        LightGBM's scikit-learn wrapper counts these three parameters.
        """
        if _conventions.is_training_data(y_pred):
            return _on_training_data(self, y_true, y_pred, sample_weight)
        try:
            return self._gradients(y_true, y_pred, sample_weight, np.float64, 1.0)
        except _posterior.NonFiniteMarginsError:
            # XGBClassifier(objective=loss) and LGBMClassifier(objective=loss) call the
            # loss in this form, with margins their user never saw as y_pred
            raise _posterior.NonFiniteMarginsError(
                "y_pred contains NaN or infinite values; where a library calls the loss "
                "(XGBClassifier(objective=loss), LGBMClassifier(objective=loss)) these are "
                f"its margins: {_NOT_FINITE_MARGINS}"
            ) from None

    def gradient_hessian(self, y_true, y_pred, sample_weight=None, *,
                         dtype: npt.DTypeLike = np.float64,
                         hessian_scale: float = 1.0, out=None, n_threads: int | None = None):
        """Gradient and diagonal Hessian, as :meth:`__call__`, in float32 if asked.

        Parameters
        ----------
        y_true, y_pred, sample_weight
            As in :meth:`__call__` (arrays only).
        dtype : {numpy.float64, numpy.float32}, default=numpy.float64
            Of the outputs; computed in float64 either way and rounded once. XGBoost
            and LightGBM keep gradients in float32: the adapters ask for that, so
            that the libraries need not convert them (LightGBM would copy float64
            gradients every round).
        hessian_scale : float, default=1.0
            Multiplies the Hessian before it is rounded to ``dtype`` (the adapters
            pass the libraries' softmax scale, :mod:`focal_boost._conventions`).
        out : (grad, hess), default=None
            Arrays the fast kernels may write the result into, when their shape,
            dtype and memory order fit and they share no memory with each other or an
            input (the adapters' training runs pass the previous round's, which the
            library has copied); otherwise new arrays.
        n_threads : int, default=None
            At most this many threads for the fast kernels in this call (the adapters'
            training runs pass the library's ``nthread`` / ``num_threads``, so that
            ``n_jobs=1`` means one thread); None: ``focal_boost._kernels`` decides
            (``FOCAL_BOOST_NUM_THREADS``, else every CPU this process may use).

        Returns
        -------
        grad, hess : ndarray of ``dtype``, of the shape of ``y_pred``
        """
        dtype, hessian_scale = _v.check_output(dtype, hessian_scale)
        if out is not None and not (isinstance(out, tuple | list) and len(out) == 2):
            raise TypeError(f"out must be None or a pair (grad, hess) of arrays, got {out!r}")
        return self._gradients(y_true, y_pred, sample_weight, dtype, hessian_scale, out,
                               _v.check_n_threads(n_threads))

    def _gradients(self, y_true, y_pred, sample_weight, dtype, hessian_scale, out=None,
                   n_threads=None, warn: bool = True):
        # "exact"'s warning points at the line that called the loss, or that trained
        # where a library calls it (every round: the default filter shows it once).
        # warn=False: none (the adapters' hints compute Hessians the first round warned
        # of; catch_warnings would swap the process's filters, unsafe in threads)
        warn = warn and self.hessian == "exact"
        level = _conventions.caller_level(through_libraries=True) if warn else 1
        if getattr(y_pred, "shape", None) == (0, 0):
            # no rows (a Dask worker's empty partition): XGBoost 3.4 hands margins of
            # shape (0, 0), as xgb.train's obj and XGBClassifier's objective, which would
            # read as a softmax of no classes; it takes (0,) back
            y_pred = np.reshape(y_pred, 0)
        if self.derivatives == "analytic":
            from focal_boost import _kernels  # lazily: importing focal_boost skips numba

            fast = _kernels.grad_hess(self.gamma, self.alpha, self.hessian, y_true, y_pred,
                                      sample_weight, dtype=dtype, hessian_scale=hessian_scale,
                                      out=out, n_threads=n_threads)
            if fast is not None:
                # The kernels apply the Hessian strategy themselves; "exact" only warns.
                if warn:
                    _hessian.warn_non_positive(self.gamma, *fast, stacklevel=level)
                return fast
        y, z, shape, link = _v.validate(y_true, y_pred, self.alpha)
        sw = _v.check_sample_weight(sample_weight, len(y))
        cw = _v.link_class_weight(self.alpha, z, link)
        derivatives = (_reference.numeric_grad_hess if self.derivatives == "numeric"
                       else _reference.grad_hess)
        grad, hess = derivatives(y, z, link, self.gamma, cw)
        fisher = (_reference.fisher_factor(y, z, link)
                  if _hessian.needs_fisher(self.hessian, self.gamma) else None)
        _hessian.apply(self.hessian, self.gamma, grad, hess, fisher, stacklevel=level,
                       warn=warn)
        if sw is not None:
            sw = sw[:, None] if grad.ndim == 2 else sw
            grad *= sw
            hess *= sw
        if hessian_scale != 1.0:
            hess *= hessian_scale
        return (grad.reshape(shape).astype(dtype, copy=False),
                hess.reshape(shape).astype(dtype, copy=False))

    def loss(self, y_true, y_pred, *, n_threads: int | None = None) -> np.ndarray:
        """Per-sample focal loss ``-alpha_t * (1 - pt)**gamma * log(pt)``.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
            As in :meth:`__call__`.
        y_pred : array-like of shape (n_samples,), (n_samples, 1) or (n_samples, k)
            Raw margins.
        n_threads : int, default=None
            At most this many threads (None: the kernels' setting), as in
            :meth:`gradient_hessian`.

        Returns
        -------
        ndarray of shape (n_samples,), or (n_samples, n_labels) for multi-label
            Non-negative, finite losses, one per label in multi-label problems.
        """
        from focal_boost import _kernels  # lazily: importing focal_boost skips numba

        fast = _kernels.loss(self.gamma, self.alpha, y_true, y_pred,
                             n_threads=_v.check_n_threads(n_threads))
        if fast is not None:
            return fast
        y, z, _, link = _v.validate(y_true, y_pred, self.alpha)
        return _reference.loss(y, z, link, self.gamma, _v.link_class_weight(self.alpha, z, link))

    def init_score(self, y_true, sample_weight=None, *, n_classes: int | None = None):
        """Constant raw margin that minimises the weighted mean loss.

        It depends on the data only through the total weight of each class
        (:func:`focal_boost._intercept.optimal_constant`); multiclass margins are
        centred to sum 0. ``gamma = 0``: the closed form ``log(W_c * alpha_c)``. A
        class with no weight, or whose optimal probability lies below machine
        epsilon, gets the margin at which its sigmoid (softmax) probability is
        machine epsilon, as scikit-learn clips the priors (its focal posterior,
        :meth:`predict_proba`, is smaller still). Multi-label: each label's binary
        constant, as for that column alone with its own ``alpha``.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
            Labels, as in :meth:`__call__`.
        sample_weight : array-like of shape (n_samples,), default=None
        n_classes : int, default=None
            Number of classes; inferred as ``max(2, max(y_true) + 1)`` when None, or
            as the number of ``alpha``'s per-class weights where that is more.
            Must be None (or 2) for multi-label ``y_true``.

        Returns
        -------
        float (binary), ndarray of shape (n_classes,) (multiclass) or
        ndarray of shape (n_labels,) (multi-label, one binary margin per label)
        """
        return _intercept.init_score(self.gamma, self.alpha, y_true, sample_weight, n_classes)

    def predict_proba(self, y_pred, *, multilabel: bool = False) -> np.ndarray:
        """Class posterior recovered from raw margins of a focal-trained model.

        Focal loss is not a proper scoring rule: for ``gamma > 0`` the
        sigmoid/softmax ``q`` of the focal-optimal margin is not the class
        posterior but an under-confident distortion of it that depends on
        ``gamma`` and ``alpha``. Setting the derivative of the expected loss to
        zero inverts it in closed form (Charoenphakdee et al., CVPR 2021)::

            eta_j = w_j / sum_i w_i,    w_j = q_j / (a_j * A(q_j))
            A(q)  = (1 - q)**(gamma - 1) * ((1 - q) - gamma * q * log(q))

        with ``a_j`` the class weights (binary: ``(1 - alpha, alpha)``); see
        :mod:`focal_boost._posterior`. ``gamma = 0``, ``alpha = None``: :meth:`inverse_link`.
        Monotone in the margin (per label), so rankings and AUC are unchanged.

        Parameters
        ----------
        y_pred : array-like of shape (n_samples,), (n_samples, 1) or (n_samples, k)
            Raw margins: binary, softmax over ``k`` classes, or ``k`` labels.
        multilabel : bool, default=False
            One sigmoid per column (a model trained on a 2-D 0/1 ``y_true``): the
            binary correction per label, with weights ``(1 - alpha_j, alpha_j)``.

        Returns
        -------
        ndarray of float64, shape (n_samples,) or (n_samples, k)
            Binary: the probability of class 1, shape ``(n_samples,)``. Multiclass:
            rows summing to 1. Multi-label: the probability of each label.

        Examples
        --------
        >>> import numpy as np
        >>> from focal_boost import focal_loss
        >>> obj = focal_loss(gamma=2.0)
        >>> obj.inverse_link(np.array([1.0])).round(3), obj.predict_proba(np.array([1.0])).round(3)
        (array([0.731]), array([0.936]))
        """
        z, cw, multilabel = self._posterior_inputs(y_pred, multilabel)
        return _posterior.posterior(z, self.gamma, cw, multilabel=multilabel)

    def decision_function(self, y_pred, *, multilabel: bool = False) -> np.ndarray:
        """The recovered class posterior (:meth:`predict_proba`) in log space: its log-odds
        (binary, and each label of a multi-label model) or its log-probabilities (softmax),
        finite at any margin. Its sign (binary) or argmax (multiclass) is the class the
        posterior favours, which the raw margin's is not when ``alpha`` weighs the classes;
        the estimators' ``decision_function`` returns it. ``gamma = 0``, ``alpha = None``:
        the margins themselves (binary), their log-softmax (multiclass).

        Parameters
        ----------
        y_pred : array-like of shape (n_samples,), (n_samples, 1) or (n_samples, k)
            Raw margins.
        multilabel : bool, default=False
            One sigmoid per column.

        Returns
        -------
        ndarray of float64, shape (n_samples,) or (n_samples, k)
        """
        z, cw, multilabel = self._posterior_inputs(y_pred, multilabel)
        return _posterior.log_odds(z, self.gamma, cw, multilabel=multilabel)

    def _posterior_inputs(self, y_pred, multilabel):
        """Checked margins, the class weights for them and whether they are multi-label:
        what :func:`_posterior.posterior` and :func:`_posterior.log_odds` take."""
        z = _posterior.check_margins(y_pred, keep_float32=True)
        multilabel = _v.check_multilabel(multilabel) and z.ndim == 2
        return z, _v.class_weight(self.alpha, _v.n_classes(z), multilabel=multilabel), multilabel

    def inverse_link(self, y_pred, *, multilabel: bool = False) -> np.ndarray:
        """Plain inverse link: sigmoid (binary) or softmax (multiclass) of the margins.

        What a log-loss model reports; *not* the class posterior of a focal-trained
        model when ``gamma > 0`` or with ``alpha`` (:meth:`predict_proba` is).

        Parameters
        ----------
        y_pred : array-like of shape (n_samples,), (n_samples, 1) or (n_samples, k)
        multilabel : bool, default=False
            One sigmoid per column instead of a softmax over them.

        Returns
        -------
        ndarray of float64, shape (n_samples,) or (n_samples, k)
            Binary: ``expit(y_pred)``, shape ``(n_samples,)``. Multiclass:
            ``softmax(y_pred, axis=1)``. Multi-label: ``expit(y_pred)`` per entry.
        """
        z = _posterior.check_margins(y_pred)
        return _posterior.inverse_link(z, multilabel=_v.check_multilabel(multilabel))


# Why a library's margins are not finite, and what to change.
_NOT_FINITE_MARGINS = (
    "a start margin that is not finite (base_margin, init_score), or training that "
    "diverged (Newton steps on vanishing Hessians, as with class weights far apart and no "
    "regularisation): regularise the trees (reg_lambda / lambda_l2 > 0, min_child_weight / "
    "min_sum_hessian_in_leaf > 0) or bring alpha's class weights closer")


def _on_training_data(loss: FocalLoss, margins, data, sample_weight):
    """``loss(margins, dtrain)``: labels and weights from ``data``, with the softmax
    Hessian scale of the library ``data`` comes from (:mod:`focal_boost._conventions`)."""
    if sample_weight is not None:
        raise TypeError(
            "sample_weight must be None when the second argument is a "
            f"{type(data).__name__}: its own weights are used"
        )
    labels, weights = _conventions.labels_weights(data)
    library = _conventions.library_of(data)
    # the data named as the library's train function names it: the loss would name
    # its own arguments, y_true and sample_weight, which this caller never passed
    # (soft labels, -1/1, a negative weight: the libraries' own objectives take them)
    name = {"xgboost": "dtrain", "lightgbm": "train_set"}.get(library, "the data")
    _v.check_class_indices(labels, name)  # (past the classes: the loss says what to set)
    weights = _v.check_sample_weight(weights, len(labels), name)
    if library is None:
        return loss(labels, margins, weights)
    return LibraryGradients(loss, library)(labels, margins, weights)


class LibraryGradients:
    """The gradient and Hessian a boosting library is handed each round.

    ``loss.gradient_hessian`` in float32 with ``library``'s softmax Hessian scale
    (:func:`focal_boost._conventions.gradient_output`), on at most ``n_threads``
    threads (None: the kernels' setting). With ``reuse_outputs`` each call writes into
    the previous call's arrays, which the library has copied or used by then (the
    adapters' training runs; not for a callable whose caller may keep what it
    returns). Picklable; the arrays do not travel.
    """

    def __init__(self, loss: FocalLoss, library: str, *, reuse_outputs: bool = False,
                 n_threads: int | None = None) -> None:
        self.loss = loss
        self.library = library
        self.reuse_outputs = reuse_outputs
        self.n_threads = n_threads
        self._outputs = None

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_outputs": None}

    def __setstate__(self, state: dict) -> None:
        # Unpickled in a Dask worker or a joblib process, which will train: start
        # loading the kernels there too, while that process builds its share of the data.
        self.__dict__.update(state)
        if self.loss.derivatives == "analytic":
            _warm_up_kernels()

    def __call__(self, y_true, y_pred, sample_weight=None):
        try:
            outputs = self.loss.gradient_hessian(
                y_true, y_pred, sample_weight, out=self._outputs, n_threads=self.n_threads,
                **_conventions.gradient_output(self.library, y_true, y_pred))
        except _posterior.NonFiniteMarginsError:  # the library's, which no user passed
            raise ValueError("the margins the library hands the loss contain NaN or "
                             f"infinite values: {_NOT_FINITE_MARGINS}") from None
        if self.reuse_outputs:
            self._outputs = outputs
        return outputs


def focal_loss(
    gamma: float = 2.0,
    alpha: float | npt.ArrayLike | None = None,
    *,
    derivatives: Literal["analytic", "numeric"] = "analytic",
    hessian: Literal["saddle_free", "fisher", "clip", "abs", "exact"] = "saddle_free",
) -> FocalLoss:
    """Focal loss objective ``-alpha_t * (1 - pt)**gamma * log(pt)``.

    The returned object is called as ``obj(y_true, y_pred, sample_weight=None) ->
    (grad, hess)`` on raw margins and can be passed as ``objective=`` to
    ``XGBClassifier`` and ``LGBMClassifier``.

    Parameters
    ----------
    gamma : float, default=2.0
        Focusing parameter, ``0 <= gamma <= 50``; 0 is cross-entropy.
    alpha : float, sequence of float or None, default=None
        Class weights: a float in (0, 1) weighs class 1 (class 0 ``1 - alpha``), a
        sequence weighs each class (each label's positives for a multi-label
        ``y_true``), None weighs every class 1.
    derivatives : {"analytic", "numeric"}, default="analytic"
        The closed forms, or central finite differences of the loss (a reference).
    hessian : {"saddle_free", "fisher", "clip", "abs", "exact"}, default="saddle_free"
        How the Hessian handed to the booster is kept positive.

    Returns
    -------
    FocalLoss
        The objective; :class:`FocalLoss` describes each parameter in full.

    Examples
    --------
    >>> import numpy as np
    >>> from focal_boost import focal_loss
    >>> grad, hess = focal_loss(gamma=2.0)(np.array([0, 1]), np.array([-1.0, 0.5]))
    >>> bool((hess > 0).all())
    True
    """
    return FocalLoss(gamma, alpha, derivatives=derivatives, hessian=hessian)


def ce_loss(*, derivatives: Literal["analytic", "numeric"] = "analytic") -> FocalLoss:
    """Logistic / softmax cross-entropy: focal loss with ``gamma = 0``, no alpha.

    Parameters
    ----------
    derivatives : {"analytic", "numeric"}, default="analytic"
        As in :class:`FocalLoss`: the closed-form gradient and Hessian, or the
        finite-difference reference path.

    Returns
    -------
    FocalLoss
        ``FocalLoss(0.0, None, derivatives=derivatives)``, whose gradient and Hessian
        are ``p - y`` and ``p (1 - p)`` (binary) as in the libraries' built-in log-loss.
    """
    return FocalLoss(0.0, None, derivatives=derivatives)


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
