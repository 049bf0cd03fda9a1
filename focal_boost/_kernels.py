"""Fast gradient/Hessian kernels (optional, numba + numpy).

The numpy implementation in :mod:`focal_boost._reference` is the reference path;
this module computes the same formulas (module docstring of :mod:`focal_boost._loss`:
``u``, ``A``, ``B``) faster, and :class:`~focal_boost.FocalLoss` uses it when numba is installed
(``pip install focal-boost[fast]``).

Design, from measurements on x86-64 with AVX-512 (CPU time per row):

* numpy's SIMD ``exp``/``log1p`` cost ~1 ns per value while the scalar libm
  calls that numba compiles to cost 5 (``exp``) and 12 (``log1p``) ns, so the
  transcendental functions run as numpy ufuncs, in place (one fused loop with
  vectorisable polynomial ``exp``/``log1p``, under 1 ulp, measured 2.3x slower than
  this design on AVX-512 and on AVX2, where numpy's ufuncs are SIMD as well);
* everything else (checks, sign flips, the row terms, alpha, sample weights)
  is fused into two compiled loops that LLVM vectorises, one before and one
  after them, instead of ~35 numpy passes with float64 temporaries;
* multi-label rows run through the binary loops, flattened, with per-entry class
  and row weights: a loop over the labels of one row would be too short to vectorise;
* the rows are processed in cache-sized blocks, and the blocks are split over
  threads (the compiled loops and the ufuncs release the GIL). float64 outputs
  serve as the scratch space, so a call allocates only ``grad`` and ``hess`` (none
  when given arrays to write into, ``out=``); float32 outputs (what the libraries
  keep) get a float64 scratch block each, rounded once into them.

One pass checks every value the reference path checks (finite margins, labels
that are class indices, finite non-negative weights) while reading it. When a
call does not fit the fast path (numba missing, disabled or run with
``NUMBA_DISABLE_JIT=1``, an unusual dtype or shape, or any invalid value)
:func:`grad_hess` returns None and the caller runs the reference path, which raises
exactly the reference errors.

Nothing is cached between calls except compiled code: the loops compile on
first use (and are kept on disk by numba's cache where a writable location
exists), never at import of :mod:`focal_boost`, which imports this module lazily
(in a background thread once a loss is made: :func:`warm_up`).

Threads: a call's ``n_threads`` (training runs pass the library's thread count), else
:func:`set_num_threads`, else the environment variable ``FOCAL_BOOST_NUM_THREADS``,
else the CPUs this process may run on. numba's own
threading layer is not used (no OpenMP runtime is loaded). Each output value is
computed by the same instructions whichever thread and block it falls in, so
results do not depend on the number of threads.
"""

from __future__ import annotations

import itertools
import math
import os
import pickle
import queue
import re
import threading
import warnings
from functools import partial

import numpy as np

from focal_boost._conventions import caller_level
from focal_boost._hessian import EXACT, FISHER_BASED, HESSIAN_FLOOR, MODES
from focal_boost._validation import (
    class_weight,
    kernels_from_environment,
    threads_from_environment,
)

# FOCAL_BOOST_KERNELS=numpy forces the reference path (e.g. to compare); numba is then
# not even imported (about 115 MB of the process for nothing). A misspelt value raises
# here, at the first loss call.
if kernels_from_environment():
    try:  # numba is optional: without it the numpy reference path is used.
        import numba
        from numba import njit
        from numba.core.errors import NumbaError
    except ImportError as exc:
        numba = None
        if not (isinstance(exc, ModuleNotFoundError) and exc.name in ("numba", "llvmlite")):
            # installed but refusing to load (numba of a numpy it does not support:
            # "Numba needs NumPy 2.5 or less"): the slow path is not the user's choice
            warnings.warn(f"focal_boost: numba is installed but does not load "
                          f"({type(exc).__name__}: {exc}); using the numpy reference path",
                          RuntimeWarning, stacklevel=2)
    except Exception as exc:  # noqa: BLE001 - a broken install, e.g. llvmlite's library
        # that does not load (OSError: "GLIBCXX not found"): the loss still works
        warnings.warn(f"focal_boost: numba is installed but does not load "
                      f"({type(exc).__name__}: {exc}); using the numpy reference path",
                      RuntimeWarning, stacklevel=2)
        numba = None
else:
    numba = None
if numba is not None and numba.config.DISABLE_JIT:
    # NUMBA_DISABLE_JIT=1 (a debugging setting) makes njit return the plain Python
    # functions, which would be far slower than the numpy reference path: use that.
    numba = None

__all__ = ["available", "get_num_threads", "grad_hess", "loss", "set_enabled", "set_num_threads",
           "warm_up"]

_enabled = numba is not None

_F_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))
_Y_DTYPES = (np.dtype(np.float32), np.dtype(np.float64), np.dtype(np.int32), np.dtype(np.int64))
_NO_WEIGHT = np.ones(1)
# Integer gammas below 2**_GAMMA_BITS use products of u, u**2, u**4, ... (exact
# to rounding and vectorisable); other gammas call pow.
_GAMMA_BITS = 4
# Rows are processed in blocks of about this many values (each float64 array
# of a block then takes 256 KiB and the block's arrays stay in L2).
_BLOCK_VALUES = 1 << 15


def available() -> bool:
    """Whether the fast kernels are installed and enabled."""
    return _enabled


def set_enabled(enabled: bool) -> bool:
    """Turn the fast kernels on or off; returns the previous setting.

    Turning them on has no effect when numba is not installed (or not loaded:
    ``FOCAL_BOOST_KERNELS=numpy``).
    """
    global _enabled
    previous = _enabled
    _enabled = bool(enabled) and numba is not None
    return previous


_num_threads: int | None = None


def set_num_threads(n: int | None) -> int | None:
    """Set the number of threads of the kernels (None: the default); returns the old setting.

    The default is ``FOCAL_BOOST_NUM_THREADS`` when set, else the number of CPUs
    this process may run on, at most ``OMP_NUM_THREADS`` where that is set.
    """
    global _num_threads
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
        raise ValueError(f"n must be a positive integer or None, got {n!r}")
    previous, _num_threads = _num_threads, n
    return previous


def get_num_threads() -> int:
    """The number of threads the next call will use (at most)."""
    if _num_threads is not None:
        return _num_threads
    n = threads_from_environment()
    if n is not None:
        return n
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        n = os.cpu_count() or 1
    # OpenMP's limit, which the libraries' own threads follow by default: joblib's process
    # workers (cross_val_score, GridSearchCV with n_jobs) set it to their share of the
    # CPUs, and the kernels beside the library take no more than it
    return min(n, _openmp_threads() or n)


def _openmp_threads() -> int | None:
    """``OMP_NUM_THREADS``'s thread count (its first, outermost level), None where it is
    unset or malformed, which OpenMP (GNU's, which XGBoost and LightGBM load) ignores too:
    a list of positive numbers, each with an optional "+" ("4,2", "+1"; not "1," or "1,0")."""
    value = os.environ.get("OMP_NUM_THREADS", "").strip()
    if not re.fullmatch(r"\+?[0-9]+(\s*,\s*\+?[0-9]+)*", value):
        return None
    levels = [int(level) for level in value.split(",")]
    return levels[0] if min(levels) > 0 else None


def grad_hess(gamma: float, alpha, hessian: str, y_true, y_pred, sample_weight=None, *,
              dtype=np.float64, hessian_scale: float = 1.0, out=None,
              n_threads: int | None = None):
    """Gradient and Hessian of the focal loss at ``y_pred`` by the fast kernels.

    Same contract as ``FocalLoss(gamma, alpha, hessian=hessian)(y_true, y_pred,
    sample_weight)`` for the inputs it handles; returns None for any other input,
    and whenever a value is invalid, so that the reference path raises its own error.

    Parameters
    ----------
    gamma : float
        Checked focusing parameter.
    alpha : None, float or ndarray
        Checked class weights (``FocalLoss.alpha``); None is returned when they do
        not fit the number of classes or labels.
    hessian : str
        The Hessian strategy (:data:`focal_boost._hessian.HESSIANS`); None is
        returned for any other name.
    y_true : array-like of shape (n_samples,), (n_samples, 1) or (n_samples, n_labels)
        Class indices, or a 0/1 multi-label matrix shaped like ``y_pred``.
    y_pred : array-like of shape (n_samples,), (n_samples, 1) or (n_samples, k)
    sample_weight : array-like of shape (n_samples,), default=None
    dtype : {numpy.float64, numpy.float32}, default=numpy.float64
        Of the outputs. The values are computed in float64 either way; float32 is
        what XGBoost and LightGBM keep, so that they need not convert (LightGBM
        copies float64 gradients to float32 every round).
    hessian_scale : float, default=1.0
        Multiplies the Hessian (the libraries' softmax scale) before it is rounded
        to ``dtype``.
    out : (grad, hess), default=None
        Arrays to write into (an earlier call's outputs: no fresh memory, and so no
        page faults, every round), used when their shape, dtype and memory order are
        those of the result and they share no memory with each other or an input (the
        kernels write the gradient before they are done reading the margins); otherwise
        new arrays.
    n_threads : int, default=None
        At most this many threads for this call (a training run passes the library's
        thread count); None: :func:`get_num_threads`.

    Returns
    -------
    (grad, hess) or None
        Arrays of the shape of ``y_pred``; multiclass outputs keep the
        memory order of ``y_pred`` (LightGBM hands over Fortran-ordered margins and
        flattens the outputs class-major, which is then free), multi-label ones
        are in C order (as XGBoost hands them over).
    """
    hmode = MODES.get(hessian)
    _check_thread_setting(n_threads)
    inputs = _inputs(gamma, alpha, y_true, y_pred, sample_weight)
    if inputs is None or hmode is None:  # hmode None: a strategy the kernels do not know
        return None
    z, shape, y, w, use_w, cw, g, gint = inputs
    multilabel = y.ndim == 2
    if hmode in FISHER_BASED and g == 0:
        hmode = EXACT

    # Multi-label outputs in C order (a block of rows is then one flat run of entries);
    # the others keep the order of the margins.
    order = "C" if multilabel else "K"
    dtype = np.dtype(dtype)
    if dtype not in _F_DTYPES:
        raise ValueError(f"dtype must be float32 or float64, got {dtype}")
    grad = hess = None
    if (out is not None and all(_fits(a, z, dtype, multilabel) for a in out)
            and not _shares_memory(out, (z, y, w, cw))):
        grad, hess = out
    if grad is None:  # plain ndarrays (an np.matrix's product is another operation)
        grad = np.empty_like(z, dtype=dtype, order=order, subok=False)
        hess = np.empty_like(z, dtype=dtype, order=order, subok=False)
    layout = _binary if z.ndim == 1 else _multilabel if multilabel else _softmax
    compute, block = layout(z, y, w, use_w, cw, (g, gint, hmode, HESSIAN_FLOOR))
    scale = float(hessian_scale)

    def run(lo, hi):
        if dtype == np.float64:  # straight into the outputs
            gb, hb = grad[lo:hi], hess[lo:hi]
            bad = compute(lo, hi, gb, hb)
            if scale != 1.0:
                hb *= scale
            return bad
        # float64 block scratch (in cache), rounded once into the float32 outputs
        gb = np.empty((hi - lo, *z.shape[1:]))
        hb = np.empty_like(gb)
        bad = compute(lo, hi, gb, hb)
        grad[lo:hi] = gb
        np.multiply(hb, scale, out=hess[lo:hi], casting="same_kind")
        return bad

    bad = _compiled_run(run, z.shape[0], block, n_threads)
    if bad is None or bad:
        return None
    if grad.shape != shape:  # (n, 1) margins were flattened
        grad, hess = grad.reshape(shape), hess.reshape(shape)
    return grad, hess


def loss(gamma: float, alpha, y_true, y_pred, *, n_threads: int | None = None):
    """Per-row focal loss ``-alpha_t * u**gamma * log(pt)`` by the fast kernels.

    Same contract as ``FocalLoss(gamma, alpha).loss(y_true, y_pred)`` for the inputs
    it handles (the evaluation metric calls it every round); returns None for any
    other input and whenever a value is invalid, so that the reference path raises
    its own error. ``n_threads``: at most this many threads, as in :func:`grad_hess`.

    Returns
    -------
    ndarray or None
        float64, shape (n_samples,), or (n_samples, n_labels) for multi-label.
    """
    _check_thread_setting(n_threads)
    inputs = _inputs(gamma, alpha, y_true, y_pred, None)
    if inputs is None:
        return None
    z, _, y, _, _, cw, g, gint = inputs
    if z.ndim == 1 or y.ndim == 2:  # binary, or multi-label
        out = np.empty(z.shape, dtype=np.float64)
        n, k = (z.shape[0], 1) if z.ndim == 1 else z.shape
        rows = max(1, _BLOCK_VALUES // k)
        if cw is None:
            a0, a1 = 1.0, 1.0
        elif z.ndim == 1:
            a0, a1 = float(cw[0]), float(cw[1])
        else:  # one weight per entry of a block of rows, as in grad_hess
            a0, a1 = np.tile(cw[0], min(rows, n)), np.tile(cw[1], min(rows, n))

        def run(lo, hi):
            m = (hi - lo) * k
            flat = z.ndim == 1
            zb = z[lo:hi] if flat else np.ascontiguousarray(z[lo:hi]).reshape(m)
            yb = y[lo:hi] if flat else np.ascontiguousarray(y[lo:hi]).reshape(m)
            ob = out[lo:hi] if flat else out[lo:hi].reshape(m)
            lg = np.empty(m)
            bad = _bin_shift(zb, yb, _NO_WEIGHT, False, ob)  # ob <- -|t|
            np.exp(ob, out=ob)
            np.log1p(ob, out=lg)
            if np.ndim(a0) == 0:
                _bin_loss(zb, yb, a0, a1, g, gint, ob, lg)
            else:
                _bin_loss_each(zb, yb, a0[:m], a1[:m], g, gint, ob, lg)
            return bad
    else:
        k = z.shape[1]
        out = np.empty(z.shape[0], dtype=np.float64)
        cw = np.ones(k) if cw is None else np.array(cw, dtype=np.float64)
        rows = max(1, _BLOCK_VALUES // k)

        def run(lo, hi):
            e = np.empty((hi - lo, k))
            bad = _mc_shift(z[lo:hi], y[lo:hi], _NO_WEIGHT, False, e)
            np.exp(e, out=e)
            _mc_loss(z[lo:hi], y[lo:hi], cw, g, gint, e, out[lo:hi])
            return bad
    bad = _compiled_run(run, z.shape[0], rows if z.ndim == 2 else _BLOCK_VALUES, n_threads)
    return None if bad is None or bad else out


def _check_thread_setting(n_threads: int | None) -> None:
    """Refuse a malformed ``FOCAL_BOOST_NUM_THREADS`` where a call would read it, also
    when the kernels are off (the numpy path ignored it: a setting that worked on a
    machine without numba failed on one with it)."""
    if not _enabled and n_threads is None and _num_threads is None:
        threads_from_environment()


def _inputs(gamma: float, alpha, y_true, y_pred, sample_weight):
    """``(z, shape, y, w, use_w, cw, g, gint)`` of a call (:func:`_arrays`, the class
    weights, gamma and its integer value or -1), or None when the fast path does not
    take it (kernels off, an input :func:`_arrays` refuses, weights that do not fit)."""
    if not _enabled:
        return None
    arrays = _arrays(y_true, y_pred, sample_weight)
    if arrays is None:
        return None
    z, shape, y, w, use_w = arrays
    try:
        cw = class_weight(alpha, 2 if z.ndim == 1 else z.shape[1], multilabel=y.ndim == 2)
    except ValueError:
        return None
    g = float(gamma)
    gint = int(g) if g == int(g) and g < 2**_GAMMA_BITS else -1
    return z, shape, y, w, use_w, cw, g, gint


def _shares_memory(out, inputs) -> bool:
    """Whether the two outputs overlap, or one overlaps an input (by memory bounds)."""
    grad, hess = out
    return np.may_share_memory(grad, hess) or any(
        np.may_share_memory(a, b) for a in out for b in inputs if isinstance(b, np.ndarray))


def _fits(a, z, dtype, multilabel: bool) -> bool:
    """Whether ``a`` can take an output for margins ``z``: ndarray of ``z``'s shape and
    of ``dtype``, writable, in the memory order an output would get."""
    if not (isinstance(a, np.ndarray) and a.shape == z.shape and a.dtype == dtype
            and a.flags.writeable):
        return False
    if multilabel or z.ndim == 1 or not z.flags.f_contiguous:
        return a.flags.c_contiguous
    return a.flags.f_contiguous


def warm_up() -> None:
    """Compile, or load from numba's cache, the kernels training calls most: binary
    rows with float32 labels, float32 margins (XGBoost) and float64 ones (LightGBM).

    The first of them pays numba's set-up for the process; other specialisations then
    load in milliseconds on first use.
    """
    if not _enabled:
        return
    y = np.array([0.0, 1.0], dtype=np.float32)
    _warming_up.active = True  # (failures raised to the caller: see _compiled_run)
    try:
        for dtype in (np.float32, np.float64):
            z = np.zeros(2, dtype=dtype)
            grad_hess(2.0, None, "saddle_free", y, z)
            loss(2.0, None, y, z)
    finally:
        _warming_up.active = False


# Set while this thread runs warm_up: numba's failures are raised, not warned of.
_warming_up = threading.local()


def _arrays(y_true, y_pred, sample_weight):
    """``(z, shape, y, w, use_w)`` in dtypes the loops take, or None when the input
    does not fit the fast path. ``shape``: of ``y_pred``; one-column inputs flattened."""
    z = y_pred if isinstance(y_pred, np.ndarray) else np.asarray(y_pred)
    if z.dtype not in _F_DTYPES:
        if z.dtype.kind not in "fiu":
            return None
        z = z.astype(np.float64)
    shape = z.shape
    if z.ndim == 2 and shape[1] == 1:
        z = z[:, 0]
    if z.ndim not in (1, 2) or z.shape[0] == 0:
        return None
    n = z.shape[0]

    y = y_true if isinstance(y_true, np.ndarray) else np.asarray(y_true)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if (y.ndim == 2 and y.shape != z.shape) or y.ndim not in (1, 2) or len(y) != n:
        return None
    if y.dtype not in _Y_DTYPES:
        if y.dtype.kind not in "iub":
            return None
        y = y.astype(np.intp)

    w, use_w = _NO_WEIGHT, False
    if sample_weight is not None:
        sw = np.asarray(sample_weight)
        if sw.size:  # XGBoost reports "no weights" as an empty array
            if sw.ndim != 1 or len(sw) != n:
                return None
            if sw.dtype not in _F_DTYPES:
                if sw.dtype.kind not in "iub":
                    return None
                sw = sw.astype(np.float64)
            w, use_w = sw, True
    return z, shape, y, w, use_w


# The three layouts: each returns ``compute(lo, hi, grad, hess)`` (one block of rows into
# the float64 blocks ``grad``, ``hess``; returns its count of invalid rows) and the number
# of rows per block. ``terms``: gamma, the integer gamma (-1: none), the Hessian mode and
# the clip floor.
def _binary(z, y, w, use_w, cw, terms):
    a0, a1 = (1.0, 1.0) if cw is None else (float(cw[0]), float(cw[1]))

    def compute(lo, hi, grad, hess):
        return _sigmoid_block(z[lo:hi], y[lo:hi], w[lo:hi] if use_w else w, use_w,
                              a0, a1, *terms, grad, hess)

    return compute, _BLOCK_VALUES


def _multilabel(z, y, w, use_w, cw, terms):
    # Entry by entry as binary, on the rows flattened: label j of every row takes
    # (a0[j], a1[j]) and row i's weight, from per-entry arrays (contiguous loads, so
    # the loop vectorises as in binary; k is often below the vector width).
    n, k = z.shape
    rows = max(1, _BLOCK_VALUES // k)
    a0, a1 = (np.ones(k), np.ones(k)) if cw is None else cw
    a0, a1 = np.tile(a0, min(rows, n)), np.tile(a1, min(rows, n))

    def compute(lo, hi, grad, hess):  # grad, hess: C-ordered blocks of rows
        m = (hi - lo) * k
        wb = np.repeat(w[lo:hi], k) if use_w else w
        return _sigmoid_block(np.ascontiguousarray(z[lo:hi]).reshape(m),
                              np.ascontiguousarray(y[lo:hi]).reshape(m), wb, use_w,
                              a0[:m], a1[:m], *terms, grad.reshape(m), hess.reshape(m))

    return compute, rows


def _softmax(z, y, w, use_w, cw, terms):
    k = z.shape[1]
    cw = np.ones(k) if cw is None else np.array(cw, dtype=np.float64)  # writable: one type
    g, gint, hmode, floor = terms

    def compute(lo, hi, grad, hess):
        zb = z[lo:hi]
        bad = _mc_shift(zb, y[lo:hi], w[lo:hi] if use_w else w, use_w, grad)
        np.exp(grad, out=grad)
        _mc_finish(zb, y[lo:hi], w[lo:hi] if use_w else w, use_w, cw, g, gint, hmode,
                   floor, grad, hess)
        return bad

    return compute, max(1, _BLOCK_VALUES // k)


def _sigmoid_block(z, y, w, use_w, a0, a1, g, gint, hmode, floor, grad, hess) -> int:
    """One block of sigmoid entries (1-D): checks, then the three steps, in place.

    Class weights ``a0``, ``a1``: scalars (binary rows) or one per entry (multi-label
    rows flattened, with ``w`` one per entry too).
    """
    finish = _bin_finish if np.ndim(a0) == 0 else _bin_finish_each
    bad = _bin_shift(z, y, w, use_w, grad)  # grad <- -|t|
    np.exp(grad, out=grad)  # grad <- e = exp(-|t|)
    np.log1p(grad, out=hess)  # hess <- log1p(e)
    if gint < 0:  # non-integer gamma: u**gamma by numpy's pow, in a scratch array
        ug = np.empty_like(grad)
        _bin_u(z, y, grad, ug)
        np.power(ug, g, out=ug)
        finish(z, y, w, use_w, a0, a1, g, gint, ug, True, hmode, floor, grad, hess)
    else:
        finish(z, y, w, use_w, a0, a1, g, gint, _NO_WEIGHT, False, hmode, floor, grad, hess)
    return bad


# ---------------------------------------------------------------- threading
_pool_lock = threading.Lock()
_pool_tasks: queue.SimpleQueue = queue.SimpleQueue()
_pool_size = 0


def _workers(n: int) -> queue.SimpleQueue:
    """The task queue of at least ``n`` helper threads (started as calls need them),
    each running the callables put on it.

    Daemon threads: the process's exit waits for none of them. A ThreadPoolExecutor's
    thread whose start a Ctrl-C interrupted was never registered for shut-down, never
    told to stop, and the process hung at exit after "interrupted"."""
    global _pool_size
    with _pool_lock:
        while _pool_size < n:
            threading.Thread(target=_serve, args=(_pool_tasks,), daemon=True,
                             name=f"focal_boost_{_pool_size}").start()
            _pool_size += 1
        return _pool_tasks


def _new_pool() -> None:
    """No helper threads, and the lock free: in a forked child, which copies no thread
    (and copies the lock held where another thread was starting helpers)."""
    global _pool_lock, _pool_tasks, _pool_size
    _pool_lock, _pool_tasks, _pool_size = threading.Lock(), queue.SimpleQueue(), 0


if hasattr(os, "register_at_fork"):  # not on Windows, which does not fork
    os.register_at_fork(after_in_child=_new_pool)


def _serve(tasks: queue.SimpleQueue) -> None:
    while True:
        tasks.get()()  # (_Blocks.work, which keeps its own errors)


def _compiled_run(run, n: int, block: int, n_threads: int | None) -> int | None:
    """:func:`_run_blocks`, or None where numba fails (the kernels are then turned off,
    with a warning, and the caller's reference path runs).

    A kernel compiled on its first call is kept in memory before numba writes its
    cache file: where that write fails (a full disk, a cache folder made read-only
    meanwhile: numba checks it is writable only once), the call is run again and the
    kernel is just not cached. A cache file that cannot be read (cut short by a copy or
    a crash, or damaged inside) fails every call, in every process, until it is
    deleted. The warnings name the first line outside the package and the libraries
    (the caller's call of the loss, or the line that trained: an estimator's fit, which
    met the cache in the library's objective call).
    Within :func:`warm_up` the failure is raised instead, the kernels left on: the
    first call, on the caller's thread, meets it and warns at the caller's line (from
    warm_up's thread the warning named threading.py, and the first call was silent).
    """
    for _ in range(16):  # (each failed write leaves one more kernel compiled)
        try:
            return _run_blocks(run, n, block, n_threads)
        except OSError as exc:
            error = exc
            continue
        except NumbaError as exc:  # pragma: no cover - broken install
            if getattr(_warming_up, "active", False):
                raise
            set_enabled(False)
            warnings.warn(f"focal_boost: the fast kernels failed to compile ({exc}); using "
                          "the numpy reference path", RuntimeWarning,
                          stacklevel=caller_level(through_libraries=True))
            return None
        except Exception as exc:
            if getattr(_warming_up, "active", False) or not _from_numba_cache(exc):
                raise
            set_enabled(False)
            cache = getattr(getattr(_bin_shift, "_cache", None), "_cache_path", None)
            warnings.warn(
                f"focal_boost: numba's cache of the fast kernels does not load "
                f"({type(exc).__name__}: {exc}); using the numpy reference path: delete "
                f"the cache files ({cache or 'numba cache directory'}), or set "
                "NUMBA_CACHE_DIR to another directory", RuntimeWarning,
                stacklevel=caller_level(through_libraries=True))
            return None
    if getattr(_warming_up, "active", False):  # pragma: no cover
        raise error
    set_enabled(False)  # pragma: no cover - writes failing past every kernel
    warnings.warn(f"focal_boost: numba's cache of the fast kernels cannot be used "
                  f"({error}); using the numpy reference path: set NUMBA_CACHE_DIR to a "
                  "writable directory", RuntimeWarning,
                  stacklevel=caller_level(through_libraries=True))
    return None


def _from_numba_cache(exc: BaseException) -> bool:
    """Whether ``exc`` was raised while numba read a kernel from its cache: a file cut
    short (EOFError, UnpicklingError) or damaged inside (LLVM's "bitcode parsing
    error", a UnicodeDecodeError, a TypeError from a pickle of the wrong shape...)."""
    if isinstance(exc, (EOFError, pickle.UnpicklingError)):
        return True
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_globals.get("__name__") == "numba.core.caching":
            return True
        tb = tb.tb_next
    return False


def _run_blocks(run, n: int, block: int, n_threads: int | None = None) -> int:
    """Run ``run(lo, hi)`` over blocks of rows on several threads; sum the results.

    The blocks are handed out one at a time (dynamic scheduling) and the calling
    thread works too, waiting only for blocks another thread has started. A helper
    that is slow to get a core (e.g. while the booster's OpenMP threads still spin
    after their last parallel region) then costs nothing: the caller takes its
    blocks, and the call is never slower than on one thread.
    """
    n_blocks = -(-n // block)
    threads = min(n_threads or get_num_threads(), n_blocks)
    if threads <= 1:
        return sum(run(lo, min(n, lo + block)) for lo in range(0, n, block))
    state = _Blocks(run, n, block, n_blocks)
    tasks = _workers(threads - 1)
    for _ in range(threads - 1):
        tasks.put(state.work)
    state.work()
    state.done.wait()
    if state.error is not None:
        raise state.error
    return state.bad


class _Blocks:
    """Shared state of one :func:`_run_blocks` call."""

    def __init__(self, run, n: int, block: int, n_blocks: int) -> None:
        self.run, self.n, self.block, self.n_blocks = run, n, block, n_blocks
        self.next_block = itertools.count()  # next() is atomic under the GIL
        self.lock = threading.Lock()
        self.finished = 0
        self.bad = 0
        self.error: BaseException | None = None
        self.done = threading.Event()

    def work(self) -> None:
        while (b := next(self.next_block)) < self.n_blocks:
            lo = b * self.block
            bad, error = 0, None
            # Once a block has failed (a Ctrl-C in the caller's), the others are only
            # counted: the call ends as soon as the blocks in progress do (it computed
            # the whole call before the interrupt came through)
            if self.error is None:
                try:
                    bad = self.run(lo, min(self.n, lo + self.block))
                except BaseException as exc:  # re-raised in the calling thread
                    error = exc
            with self.lock:
                self.bad += bad
                if error is not None and self.error is None:
                    self.error = error
                self.finished += 1
                if self.finished == self.n_blocks:
                    self.done.set()


# ------------------------------------------------------------ compiled loops
# The formulas follow _reference.row_terms / grad_hess in the same order of
# operations, so that both paths agree to rounding. error_model="numpy": a
# division by zero gives inf/nan like numpy instead of raising, and the loops
# stay free of checks. No fastmath, which would not preserve inf and nan.
if numba is not None:

    def _jit(fn, **options):
        dispatcher = njit(nogil=True, error_model="numpy", **options)(fn)
        try:  # keep the machine code on disk, where numba finds a writable place
            dispatcher.enable_caching()
        except RuntimeError:  # pragma: no cover - no cache location: compile per process
            pass
        return dispatcher

    @_jit
    def _upow_int(u, gint):  # pragma: no cover - compiled
        """``u**gint`` for ``0 <= gint < 16`` from u, u**2, u**4, u**8 (no branches)."""
        u2 = u * u
        u4 = u2 * u2
        u8 = u4 * u4
        return ((u if gint & 1 else 1.0) * (u2 if gint & 2 else 1.0)
                * (u4 if gint & 4 else 1.0) * (u8 if gint & 8 else 1.0))

    @_jit
    def _hessian(hmode, exact, fisher, floor):  # pragma: no cover - compiled
        """The Hessian handed to the booster, from its candidates.

        ``hmode``: focal_boost._hessian.MODES, spelled out as literals here (numba's
        on-disk cache would not see a change of an imported constant).
        """
        if hmode == 1:
            return fisher
        if hmode == 2:
            return abs(exact)
        if hmode == 3:
            return max(exact, floor)
        if hmode == 4:  # "saddle_free"
            return max(abs(exact), fisher)
        return exact

    @_jit
    def _row_terms(logpt, pt, u, ug, g):  # pragma: no cover - compiled
        """A and B of the module docstring of focal_boost._loss."""
        r = -logpt / u if u > 0.0 else 1.0
        a_term = ug * (1.0 + g * pt * r)
        b_term = (g * pt) * ug * u * (2.0 + logpt + (g - 1.0) * pt * r)
        return a_term, b_term

    @partial(_jit, inline="always")  # inlined into the loops, which LLVM then vectorises
    def _bin_one(zi, pos, e, lg, ug, use_ug, gint, g, a0, a1, wi, hmode,
                 floor):  # pragma: no cover - compiled
        """Gradient and Hessian of one binary entry from ``e = exp(-|t|)``,
        ``lg = log1p(e)`` and, when ``use_ug``, ``ug = u**gamma``."""
        t = zi if pos else -zi
        # log_expit(t) and expit(+-t) without cancellation for either sign.
        d = 1.0 / (1.0 + e)
        c = e * d
        tpos = t >= 0.0
        u = c if tpos else d
        pt = d if tpos else c
        logpt = -lg if tpos else t - lg
        if not use_ug:
            ug = _upow_int(u, gint)
        a_term, b_term = _row_terms(logpt, pt, u, ug, g)
        a = a1 if pos else a0
        # p - y = -s*u
        gr = (a * (u if not pos else -u)) * a_term * wi
        return gr, _hessian(hmode, a * (pt * u * a_term + b_term) * wi, abs(gr) * pt,
                            floor * wi)

    @_jit
    def _bin_shift(z, y, w, use_w, out):  # pragma: no cover - compiled
        """Check the rows; ``out = -|t|`` with ``t = s*z``. Returns the bad-row count."""
        bad = 0
        for i in range(z.shape[0]):
            zi = np.float64(z[i])
            yi = y[i]
            ok = math.isfinite(zi) and (yi == 0 or yi == 1)
            if use_w:
                wi = np.float64(w[i])
                ok = ok and wi >= 0.0 and wi < math.inf
            bad += not ok
            out[i] = -abs(zi)
        return bad

    @_jit
    def _bin_u(z, y, e, out):  # pragma: no cover - compiled
        """``out = u = expit(-t)`` from ``e = exp(-|t|)``."""
        for i in range(z.shape[0]):
            zi = np.float64(z[i])
            t = zi if y[i] == 1 else -zi
            d = 1.0 / (1.0 + e[i])
            out[i] = e[i] * d if t >= 0.0 else d

    @_jit
    def _bin_finish(z, y, w, use_w, a0, a1, g, gint, ugs, use_ugs, hmode, floor, grad,
                    hess):  # pragma: no cover - compiled
        """Binary rows from ``grad = exp(-|t|)``, ``hess = log1p(exp(-|t|))``."""
        for i in range(z.shape[0]):
            wi = np.float64(w[i]) if use_w else 1.0
            grad[i], hess[i] = _bin_one(np.float64(z[i]), y[i] == 1, grad[i], hess[i],
                                        ugs[i] if use_ugs else 0.0, use_ugs, gint, g,
                                        a0, a1, wi, hmode, floor)

    @_jit
    def _bin_finish_each(z, y, w, use_w, a0, a1, g, gint, ugs, use_ugs, hmode, floor, grad,
                         hess):  # pragma: no cover - compiled
        """As :func:`_bin_finish`, with class weights ``a0[i]``, ``a1[i]`` per entry."""
        for i in range(z.shape[0]):
            wi = np.float64(w[i]) if use_w else 1.0
            grad[i], hess[i] = _bin_one(np.float64(z[i]), y[i] == 1, grad[i], hess[i],
                                        ugs[i] if use_ugs else 0.0, use_ugs, gint, g,
                                        a0[i], a1[i], wi, hmode, floor)

    @partial(_jit, inline="always")
    def _bin_loss_one(zi, pos, e, lg, a0, a1, g, gint):  # pragma: no cover - compiled
        """The loss of one binary entry from ``e = exp(-|t|)``, ``lg = log1p(e)``."""
        t = zi if pos else -zi
        d = 1.0 / (1.0 + e)
        tpos = t >= 0.0
        u = e * d if tpos else d
        logpt = -lg if tpos else t - lg
        ug = _upow_int(u, gint) if gint >= 0 else u**g
        return (a1 if pos else a0) * (ug * -logpt)

    @_jit
    def _bin_loss(z, y, a0, a1, g, gint, out, lg):  # pragma: no cover - compiled
        """Binary losses from ``out = exp(-|t|)``, ``lg = log1p(exp(-|t|))``, into ``out``."""
        for i in range(z.shape[0]):
            out[i] = _bin_loss_one(np.float64(z[i]), y[i] == 1, out[i], lg[i], a0, a1, g, gint)

    @_jit
    def _bin_loss_each(z, y, a0, a1, g, gint, out, lg):  # pragma: no cover - compiled
        """As :func:`_bin_loss`, with class weights ``a0[i]``, ``a1[i]`` per entry."""
        for i in range(z.shape[0]):
            out[i] = _bin_loss_one(np.float64(z[i]), y[i] == 1, out[i], lg[i], a0[i], a1[i], g,
                                   gint)

    @_jit
    def _mc_loss(z, y, cw, g, gint, e, out):  # pragma: no cover - compiled
        """Softmax losses per row from ``e = exp(z - rowmax)``, as in :func:`_mc_finish`."""
        n, k = z.shape
        for i in range(n):
            yi = int(y[i])
            if not (0 <= yi < k):  # a bad row: the call is rejected anyway
                out[i] = 0.0
                continue
            s_all, s_oth, m, top, s_top = _mc_sums(z, e, i, yi, k)
            logpt = _mc_logpt(np.float64(z[i, yi]), e[i, yi], s_all, s_oth, m)
            u = s_oth / s_all
            ug = _upow_int(u, gint) if gint >= 0 else u**g
            out[i] = cw[yi] * (ug * -logpt)

    @_jit
    def _mc_shift(z, y, w, use_w, out):  # pragma: no cover - compiled
        """Check the rows; ``out = z - rowmax(z)``. Returns the bad-row count."""
        n, k = z.shape
        bad = 0
        for i in range(n):
            yf = y[i]
            ok = yf >= 0 and yf < k and yf == int(yf)
            if use_w:
                wi = np.float64(w[i])
                ok = ok and wi >= 0.0 and wi < math.inf
            m = -math.inf
            for j in range(k):
                zj = np.float64(z[i, j])
                ok = ok and math.isfinite(zj)
                m = max(m, zj)
            bad += not ok
            if not ok:
                m = 0.0
            for j in range(k):
                out[i, j] = np.float64(z[i, j]) - m
        return bad

    @partial(_jit, inline="always")
    def _mc_sums(z, e, i, yi, k):  # pragma: no cover - compiled
        """Row ``i`` from ``e = exp(z - rowmax)``: the sum of ``e``, the sum over the
        classes other than ``yi``, the largest margin, its class, and the sum over
        the classes other than that one (``1 - p_top`` times the first sum)."""
        s_all = 0.0
        s_oth = 0.0
        m = -math.inf
        top = 0
        for j in range(k):
            ej = e[i, j]
            s_all += ej
            s_oth += 0.0 if j == yi else ej
            zj = np.float64(z[i, j])
            if zj > m:
                m = zj
                top = j
        # 1 - p_top, the sum of the other classes: s_all - 1 would cancel.
        s_top = s_oth
        if top != yi:
            s_top = 0.0
            for j in range(k):
                s_top += 0.0 if j == top else e[i, j]
        return s_all, s_oth, m, top, s_top

    @partial(_jit, inline="always")
    def _mc_logpt(zy, ey, s_all, s_oth, m):  # pragma: no cover - compiled
        """``log(pt)`` of a softmax row from :func:`_mc_sums`: ``zy`` the label's margin,
        ``ey`` its ``exp(zy - m)``."""
        if s_oth < ey:  # pt > 1/2: log(pt) = -log1p(u/pt), precise as u -> 0
            return -math.log1p(s_oth / ey)
        # margins over 1e308 apart overflow to -inf: the largest finite value instead
        return max((zy - m) - math.log(s_all), -1.7976931348623157e308)

    @partial(_jit, inline="always")
    def _mc_columns_far(z, i, yi, k, s_all, inv_all, ua, aw, a_term, b_term, hmode, fw,
                        grad, hess):  # pragma: no cover - compiled
        """The columns of row ``i`` of :func:`_mc_finish` when the other classes' ``e_j``
        underflow: their softmax is taken against the largest other margin, with
        ``hess`` as scratch (the target column is overwritten by the caller)."""
        mo = -math.inf
        for j in range(k):
            if j != yi:
                mo = max(mo, np.float64(z[i, j]))
        s_oth = 0.0
        for j in range(k):
            e = 0.0 if j == yi else math.exp(np.float64(z[i, j]) - mo)
            hess[i, j] = e
            s_oth += e
        inv_oth = 1.0 / s_oth
        for j in range(k):
            e = grad[i, j]
            wj = hess[i, j] * inv_oth
            q = (s_all - e) * inv_all
            gr = ua * wj
            grad[i, j] = gr
            hess[i, j] = _hessian(hmode, aw * (e * inv_all * q * a_term + b_term * wj * wj),
                                  abs(gr) * q, fw)

    @_jit
    def _mc_finish(z, y, w, use_w, cw, g, gint, hmode, floor, grad,
                   hess):  # pragma: no cover - compiled
        """Softmax rows from ``grad = exp(z - rowmax)``; ``hess`` is scratch."""
        n, k = z.shape
        for i in range(n):
            yi = int(y[i])
            if not (0 <= yi < k):  # a bad row: the call is rejected anyway
                continue
            s_all, s_oth, m, top, s_top = _mc_sums(z, grad, i, yi, k)
            ey = grad[i, yi]
            logpt = _mc_logpt(np.float64(z[i, yi]), ey, s_all, s_oth, m)
            inv_all = 1.0 / s_all
            pt = ey * inv_all
            u = s_oth * inv_all
            ug = _upow_int(u, gint) if gint >= 0 else u**g
            a_term, b_term = _row_terms(logpt, pt, u, ug, g)
            a = cw[yi]
            wi = np.float64(w[i]) if use_w else 1.0
            ua = a * (u * a_term) * wi
            aw = a * wi
            fw = floor * wi
            # w_j = (p_j - [j==y]) / u is the softmax of the other classes (-1 at
            # the target). When the target is so far ahead that the other e_j
            # underflow, take it against the largest other margin instead.
            if s_oth < 1e-280:
                _mc_columns_far(z, i, yi, k, s_all, inv_all, ua, aw, a_term, b_term, hmode,
                                fw, grad, hess)
            else:
                inv_oth = 1.0 / s_oth
                for j in range(k):
                    e = grad[i, j]
                    wj = e * inv_oth
                    q = (s_all - e if j != top else s_top) * inv_all  # 1 - p_j
                    gr = ua * wj
                    grad[i, j] = gr
                    hess[i, j] = _hessian(hmode, aw * (e * inv_all * q * a_term
                                                       + b_term * wj * wj),
                                          abs(gr) * q, fw)
            # the target column: w_y = -1
            grad[i, yi] = -ua
            hess[i, yi] = _hessian(hmode, aw * (pt * u * a_term + b_term), abs(ua) * pt, fw)
