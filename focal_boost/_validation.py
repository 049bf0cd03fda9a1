"""Checks of the loss's parameters and inputs, and the link of a call.

Every error message a user sees for a malformed ``gamma``, ``alpha``, ``hessian``,
label array, margin array or row weights comes from here (margins: from
:func:`focal_boost._posterior.check_margins`). :func:`validate` also decides, once,
which link a call uses:

- ``"sigmoid"``: 1-D labels, one margin per row (binary);
- ``"softmax"``: 1-D labels, ``k >= 2`` margin columns (multiclass);
- ``"multilabel"``: a 0/1 label matrix shaped like the margins, one sigmoid per entry.

Imports numpy, :mod:`focal_boost._hessian` and :mod:`focal_boost._posterior`.
"""

from __future__ import annotations

import numbers
import os

import numpy as np
import numpy.typing as npt

from focal_boost._hessian import HESSIANS
from focal_boost._posterior import check_margins

__all__ = ["MAX_GAMMA", "SIGMOID", "SOFTMAX", "MULTILABEL", "check_gamma", "check_alpha",
           "check_hessian", "check_derivatives", "check_multilabel", "check_labels",
           "check_sample_weight", "check_margins", "class_weight", "link_class_weight",
           "n_classes", "class_totals", "validate"]

# Largest focusing parameter accepted (see FocalLoss, gamma).
MAX_GAMMA = 50.0

# The links (see the module docstring).
SIGMOID, SOFTMAX, MULTILABEL = "sigmoid", "softmax", "multilabel"


def check_gamma(gamma) -> float:
    if isinstance(gamma, np.ndarray) and gamma.ndim == 0:  # a 0-d array, as alpha takes
        gamma = gamma[()]
    if isinstance(gamma, np.ndarray) and gamma.ndim > 0:
        raise TypeError(
            f"gamma must be a real number, got an array of shape {np.shape(gamma)}" + (
                # (labels: a library called the factory; a one-element array is a user's)
                ": a library called focal_loss (or FocalLoss) itself as the objective, with "
                "its labels; pass a loss, objective=focal_loss(gamma=2.0)"
                if gamma.size > 1 else ""))
    if isinstance(gamma, bool) or not isinstance(gamma, numbers.Real):
        raise TypeError(f"gamma must be a real number, got {type(gamma).__name__}")
    gamma = float(gamma) + 0.0  # (-0.0 is 0.0: one loss, one repr and hash)
    if not np.isfinite(gamma) or gamma < 0:
        raise ValueError(f"gamma must be a finite number >= 0, got {gamma}")
    if gamma > MAX_GAMMA:
        raise ValueError(
            f"gamma must be at most {MAX_GAMMA:g}, got {gamma!r}: the focal factor scales "
            "the gradients of undecided rows (pt = 1/2) by 2**-gamma * (1 + gamma*ln 2), "
            f"{2.0 ** -gamma * (1 + gamma * np.log(2)):.1g} here, far below what "
            "XGBoost and LightGBM can split on; useful values are 0.5 to 5"
        )
    return gamma


def _holds_bools_or_text(alpha) -> bool:
    """Whether ``alpha`` is a bool or holds one (numpy's, pandas' nullable ones too), which
    would read as the weights 1 and 0, or holds text, which would read as the numbers it
    spells (["1", "2"]; alpha="0.25" itself is refused as text)."""
    if isinstance(alpha, str | dict):
        return False
    try:
        values = np.asarray(alpha, dtype=object).ravel()
    except (TypeError, ValueError):
        return False
    return any(isinstance(v, bool | np.bool_ | str | bytes) for v in values)


def check_alpha(alpha):
    """None, a float in (0, 1), or a read-only float64 array of >= 2 positive weights."""
    if alpha is None:
        return None
    if _holds_bools_or_text(alpha):
        raise TypeError("alpha must be None, a float in (0, 1) or a sequence of weights, "
                        f"got {alpha!r}")
    if isinstance(alpha, str | dict):
        raise TypeError(
            f"alpha must be None, a float in (0, 1) or a sequence of weights, got {alpha!r}: "
            "'balanced' and dicts need the class labels, which only the estimators have; "
            "here give one weight per class index (e.g. sklearn.utils.class_weight."
            "compute_class_weight('balanced', classes=np.unique(y), y=y))"
        )
    try:
        scalar = isinstance(alpha, numbers.Real) or np.ndim(alpha) == 0
    except ValueError:  # a ragged sequence ([[1.0, 2.0], [3.0]]): refused as one below
        scalar = False
    if scalar:  # also Decimal, 0-d arrays
        try:
            value = float(alpha)
        except (TypeError, ValueError):
            raise TypeError("alpha must be None, a float in (0, 1) or a sequence of weights, "
                            f"got {type(alpha).__name__}") from None
        if not 0.0 < value < 1.0:
            raise ValueError(f"alpha as a float must lie in (0, 1), got {value}")
        _check_alpha_ratio(max(value, 1.0 - value) / min(value, 1.0 - value), alpha)
        return value
    index = getattr(alpha, "index", None)  # a pandas Series' labels (a list's is a method)
    if index is not None and not callable(index) and list(index) != list(range(len(index))):
        # the loss knows class indices only: labels in another order would weigh the
        # wrong classes (the estimators read a Series by label)
        labels = list(index)
        # sorting helps an index of the indices out of order, not one of label names
        fix = ("alpha.sort_index()" if set(labels) == set(range(len(labels)))
               else "alpha.to_numpy() in class order")
        raise ValueError("alpha as a Series must be indexed by the class indices 0..k-1 in "
                         f"order, got index {labels}: pass {fix} or a list")
    try:  # a copy: the caller's array stays writable, ours is frozen
        arr = np.array(alpha, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            "alpha must be None, a float in (0, 1) or a sequence of weights, "
            f"got {type(alpha).__name__} ({exc})"
        ) from None
    if arr.ndim != 1 or len(arr) < 2:
        raise ValueError(f"alpha as a sequence needs one weight per class (>= 2), got {alpha!r}")
    bad = ~(np.isfinite(arr) & (arr > 0))
    if bad.any():
        raise ValueError(f"alpha weights must be finite and > 0, got "
                         f"{_named_by_position(arr, bad, 'class(es)')}")
    with np.errstate(over="ignore"):  # a ratio past the float range is inf: refused below
        ratio = arr.max() / arr.min()
    _check_alpha_ratio(ratio, arr.tolist())
    if arr.min() < np.finfo(np.float64).tiny:  # subnormal: the weighted sums underflow
        raise ValueError(f"alpha weights must be at least {np.finfo(np.float64).tiny:.3g}, "
                         f"the smallest normal float (scale them up, e.g. divide them by "
                         f"the smallest), got {arr.tolist()}")
    if arr.max() > MAX_ALPHA_RATIO:  # gradients of that size overflow float32 sums
        raise ValueError(f"alpha weights must not exceed 1/eps = {MAX_ALPHA_RATIO:.3g} "
                         f"(scale them down, e.g. divide them by the largest), "
                         f"got {arr.tolist()}")
    arr.setflags(write=False)
    return arr


# Class weights further apart than float64 resolves: the start is clipped at
# log(1/eps), the posterior would divide by the full ratio, and the gradients of the
# lighter class vanish (or of the heavier one overflow float32).
MAX_ALPHA_RATIO = 1.0 / np.finfo(np.float64).eps


def _named_by_position(values: np.ndarray, bad: np.ndarray, what: str) -> str:
    """The weights ``values[bad]`` for a message, named by position (at most five): a
    long sequence would hide the wrong one."""
    where = np.flatnonzero(bad)
    more = " ..." if where.size > 5 else ""
    return (f"{values[where[:5]].tolist()} for {what} {where[:5].tolist()}{more} "
            f"of {len(values)}")


def category_codes(column) -> np.ndarray:
    """A pandas category column as the libraries read it: its codes as floats, a missing
    value (code -1) as NaN."""
    codes = column.cat.codes.to_numpy()
    return np.where(codes < 0, np.nan, codes)


def first_rows(rows: np.ndarray) -> str:
    """Row numbers for a message: the first five, "..." after them if there are more."""
    return ", ".join(map(str, rows[:5].tolist())) + (", ..." if rows.size > 5 else "")


def check_start_margins(value: np.ndarray, n_rows: int, name: str,
                        float32_library: str | None = None, note: str = "") -> None:
    """Refuse start margins ``value`` (``n_rows`` rows, one or more outputs each) that
    are not finite, or beyond float32's range where ``float32_library`` holds them in
    float32 (1e39 would become inf there), naming the first such row: the loss's own
    refusal at the first round names none, and advises regularising. ``note`` ends the
    first message."""
    checks = [(~np.isfinite(value), f": a start margin must be finite{note}")]
    if float32_library is not None:
        checks.append((np.abs(value) > np.finfo(np.float32).max,
                       f", beyond float32's range (3.4e38), in which {float32_library} "
                       "holds the start margins: give smaller margins"))
    for bad, why in checks:
        if bad.any():
            row = int(np.flatnonzero(bad.reshape(n_rows, -1).any(axis=1))[0])
            raise ValueError(f"{name} holds {value[bad].flat[0]:g} (row {row}){why}")


def check_model_margins(margins: np.ndarray, multilabel: bool = False) -> np.ndarray:
    """``margins`` a model gave, refused where a row's are NaN, or infinite in a
    multiclass model (the loss would name its own argument, y_pred, which the user never
    passed), with the rows. A binary or ``multilabel`` margin of +-inf (a linear model's
    float32 sum past 3.4e38) is the largest finite one of its sign: the probability 1 or
    0 that the sigmoid gives it in XGBClassifier and LGBMClassifier (a softmax of +-inf
    is NaN there)."""
    z = np.asarray(margins)
    finite = np.isfinite(z)
    if finite.all():
        return margins
    if (z.ndim == 1 or multilabel) and not np.isnan(z).any():
        return np.clip(z, -np.finfo(z.dtype).max, np.finfo(z.dtype).max)
    rows = np.flatnonzero(~(finite if z.ndim == 1 else finite.all(axis=1)))
    raise ValueError(
        f"the model's raw margins are NaN or infinite for {rows.size} row(s) of X "
        f"(rows {first_rows(rows)}): linear models give such margins for infinite or huge "
        "feature values (LightGBM's linear_tree, XGBoost's booster='gblinear', whose "
        "float32 sums overflow past 3.4e38; a missing value is NaN); the library's raw "
        "margins are its own prediction option (raw_score=True, output_margin=True)")


def _extremes(values: list) -> str:
    """A list of weights for a message: whole up to ten, else its lightest and heaviest
    weight by position (the pair that is too far apart)."""
    if len(values) <= 10:
        return repr(values)
    low, high = int(np.argmin(values)), int(np.argmax(values))
    return (f"{values[low]!r} (position {low}) to {values[high]!r} (position {high}) "
            f"among {len(values)} weights")


def _check_alpha_ratio(ratio: float, alpha) -> None:
    if not ratio <= MAX_ALPHA_RATIO:  # also inf, of weights past the float range
        raise ValueError(
            f"alpha weights must lie within a factor 1/eps = {MAX_ALPHA_RATIO:.3g} of each "
            f"other (float64 cannot carry the lighter class's share beyond it), got "
            f"{_extremes(alpha) if isinstance(alpha, list) else repr(alpha)}, a factor "
            f"{ratio:.3g}"
        )


def check_hessian(hessian) -> str:
    if not isinstance(hessian, str):
        raise TypeError(f"hessian must be one of {HESSIANS}, got {type(hessian).__name__}")
    if hessian not in HESSIANS:
        raise ValueError(f"hessian must be one of {HESSIANS}, got {hessian!r}")
    return hessian


def check_output(dtype, hessian_scale) -> tuple[np.dtype, float]:
    """The outputs' ``dtype`` (float32 or float64) and a positive finite ``hessian_scale``."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    # (np.dtype("float64") == None is True: None must be tested first)
    if dt is None or dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype must be numpy.float32 or numpy.float64, got {dtype!r}")
    if isinstance(hessian_scale, bool) or not isinstance(hessian_scale, int | float | np.number):
        raise TypeError(f"hessian_scale must be a number, got {type(hessian_scale).__name__}")
    if not (np.isfinite(hessian_scale) and hessian_scale > 0):
        raise ValueError(f"hessian_scale must be positive and finite, got {hessian_scale!r}")
    return dt, float(hessian_scale)


def kernels_from_environment() -> bool:
    """Whether ``FOCAL_BOOST_KERNELS`` lets the fast kernels run: unset or empty, yes;
    ``numpy`` (any case), no: the reference path runs. Anything else is refused, so that
    a misspelt setting does not leave the kernels on unnoticed."""
    value = os.environ.get("FOCAL_BOOST_KERNELS", "").strip().lower()
    if value not in ("", "numpy"):
        raise ValueError("FOCAL_BOOST_KERNELS must be 'numpy' (the numpy reference path) "
                         f"or unset (the fast kernels), got {os.environ['FOCAL_BOOST_KERNELS']!r}")
    return value != "numpy"


def threads_from_environment() -> int | None:
    """``FOCAL_BOOST_NUM_THREADS``, the fast kernels' default thread count: None where it
    is unset or empty; anything but a positive integer is refused (on the numpy path
    too, so that a setting that works on one machine does not fail on another)."""
    env = os.environ.get("FOCAL_BOOST_NUM_THREADS", "")
    if not env.strip():
        return None
    try:
        n = int(env)
    except ValueError:
        n = 0
    if n < 1:
        raise ValueError(f"FOCAL_BOOST_NUM_THREADS must be a positive integer, got {env!r}")
    return n


def check_n_threads(n_threads) -> int | None:
    """A thread bound for the fast kernels: a positive integer, or None (their setting)."""
    if n_threads is not None and (isinstance(n_threads, bool)
                                  or not isinstance(n_threads, int | np.integer)
                                  or n_threads < 1):
        raise ValueError(f"n_threads must be a positive integer or None, got {n_threads!r}")
    return None if n_threads is None else int(n_threads)


def check_derivatives(derivatives) -> str:
    if not isinstance(derivatives, str) or derivatives not in ("analytic", "numeric"):
        raise ValueError(f"derivatives must be 'analytic' or 'numeric', got {derivatives!r}")
    return derivatives


def check_multilabel(multilabel) -> bool:
    if not isinstance(multilabel, bool | np.bool_):
        raise TypeError(f"multilabel must be True or False, got {type(multilabel).__name__}")
    return bool(multilabel)


def check_labels(y_true) -> np.ndarray:
    """Class indices (1-D) or a 0/1 multi-label indicator matrix (2-D, >= 2 columns)."""
    y = np.asarray(y_true)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim not in (1, 2):
        raise ValueError(
            f"y_true must be 1-D (classes) or 2-D (multi-label indicators), got shape {y.shape}"
        )
    if y.dtype.kind == "u" and y.size and y.max() > np.uint64(np.iinfo(np.intp).max):
        # past the index range (the cast would wrap it to a negative number); compared as
        # uint64 (numpy 1.24 compares a uint64 with a Python int through float64, where
        # 2**63 + 1 equals 2**63 - 1)
        raise ValueError(f"y_true must hold class indices, got {y.max()}")
    if y.dtype.kind in "iu":
        y = y.astype(np.intp, copy=False)
    elif y.dtype.kind == "b":
        y = y.astype(np.intp)
    elif y.dtype.kind != "f":
        raise TypeError(f"y_true must hold numeric class indices, got dtype {y.dtype}")
    else:
        if not np.isfinite(y).all():
            raise ValueError("y_true contains NaN or infinite values")
        if y.ndim == 1:  # (a label matrix is checked for 0 and 1 below)
            # no class index, and past what the cast can hold (float16 cannot hold 2**62)
            huge = np.abs(y.astype(np.float64, copy=False)) >= 2.0**62
            if huge.any():
                raise ValueError(f"y_true must hold class indices, got {float(y[huge][0])!r}")
            yi = y.astype(np.intp)
            if not (yi == y).all():
                raise ValueError("y_true must hold integer class indices, got non-integer "
                                 "values")
            y = yi
    if y.ndim == 2 and y.size and not ((y == 0) | (y == 1)).all():
        odd = y[(y != 0) & (y != 1)][0]
        raise ValueError("a 2-D y_true is a multi-label indicator matrix and must hold "
                         f"only 0 and 1, got {odd:g}")
    return y.astype(np.intp, copy=False)


def numeric_array(value, name: str, dtype: npt.DTypeLike = np.float64) -> np.ndarray:
    """``value`` as an array of ``dtype``, or numpy's refusal with ``name`` in front (its
    own, "could not convert string to float: 'a'", names no argument)."""
    try:
        return np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"{name} must hold numbers: {exc}") from None


def check_sample_weight(sample_weight, n: int, name: str = "sample_weight"
                        ) -> np.ndarray | None:
    """Finite non-negative float64 row weights of shape (n,); None (or empty): None.

    ``name``: where the weights came from (an argument, or a library's data whose
    weights they are), for the messages, which show the first bad rows.
    """
    if sample_weight is None:
        return None
    sw = numeric_array(sample_weight, name)
    if sw.size == 0:  # XGBoost reports "no weights" as an empty array
        return None
    if sw.ndim != 1 or len(sw) != n:
        raise ValueError(f"{name} must have shape ({n},), one weight per row, got {sw.shape}")
    bad = np.flatnonzero(~(np.isfinite(sw) & (sw >= 0)))
    if bad.size:
        raise ValueError(f"{name} has {bad.size} weight(s) that are negative or not finite "
                         f"(rows {first_rows(bad)}, e.g. {float(sw[bad[0]])!r}): row weights "
                         "must be finite and >= 0")
    return sw


def class_weight(alpha, k: int, multilabel: bool = False) -> np.ndarray | None:
    """Per-class weights of a checked ``alpha`` for ``k`` classes (None: all ones).

    ``multilabel``: ``k`` labels instead, as an array of shape (2, k) whose rows
    are the negative and positive weights of each label. Raises ValueError when
    ``alpha`` does not fit.
    """
    if alpha is None:
        return None
    if multilabel:
        if not isinstance(alpha, float):
            if len(alpha) != k:
                raise ValueError(
                    f"alpha has {len(alpha)} weights but the label matrix has {k} labels "
                    "(columns): give one positive-class weight per label"
                )
            bad = ~((alpha > 0) & (alpha < 1))
            if bad.any():
                raise ValueError(
                    "alpha as a sequence for multi-label labels gives each label's "
                    f"positive-class weight, which must lie in (0, 1), got "
                    f"{_named_by_position(alpha, bad, 'label(s)')}"
                )
            # each label weighs its classes (1 - a, a): the bound of a float alpha
            pairs = np.maximum(alpha, 1.0 - alpha) / np.minimum(alpha, 1.0 - alpha)
            _check_alpha_ratio(float(pairs.max()), alpha.tolist())
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


def n_classes(z: np.ndarray) -> int:
    """Classes of validated margins: 2 for one column, else the number of columns."""
    return 2 if z.ndim == 1 else z.shape[1]


def link_class_weight(alpha, z: np.ndarray, link: str) -> np.ndarray | None:
    """:func:`class_weight` for margins ``z`` under ``link``."""
    return class_weight(alpha, n_classes(z), multilabel=link == MULTILABEL)


def class_totals(y: np.ndarray, sw: np.ndarray | None, k: int) -> np.ndarray:
    """Total row weight of each of ``k`` classes (1-D class indices ``y``)."""
    if len(y) and (y.min() < 0 or y.max() >= k):
        raise ValueError(f"y_true must hold class indices in [0, {k})")
    return np.bincount(y, weights=sw, minlength=k).astype(np.float64)


def validate(y_true, y_pred, alpha=None):
    """Labels, float64 margins, the shape of ``y_pred`` and the link of a call.

    Returns ``(y, z, shape, link)``; ``alpha`` (checked) must fit the number of
    classes or labels.
    """
    shape = np.shape(y_pred)
    z = check_margins(y_pred)
    y = check_labels(y_true)
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
        class_weight(alpha, y.shape[1], multilabel=True)
        return y, z, shape, MULTILABEL
    k = n_classes(z)
    if len(y) and (y.min() < 0 or y.max() >= k):
        # labels past the margins' classes: most often num_class left out of (or set
        # too low in) the library's parameters, which sets the margins' columns
        hint = (f": set num_class={int(y.max()) + 1} in the library's parameters for "
                f"{int(y.max()) + 1} classes, or leave out rows of classes the training "
                "data lacks" if y.min() >= 0 and float(y.max()).is_integer() else "")
        raise ValueError(
            f"y_true must hold class indices in [0, {k}) for y_pred with "
            f"{'1 column (binary)' if z.ndim == 1 else f'{k} columns'}, "
            f"got values in [{y.min()}, {y.max()}]{hint}"
        )
    class_weight(alpha, k)  # alpha must fit the number of classes
    return y, z, shape, SIGMOID if z.ndim == 1 else SOFTMAX


def same_value(a, b) -> bool:
    """``a == b`` for parameter values, False where that is no single answer (arrays)."""
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def as_number(value, name: str) -> float:
    """A numeric library parameter as the libraries read it: a number or its text
    (``"5"``), not a boolean; else an error naming ``name``."""
    if not isinstance(value, bool | np.bool_):
        try:
            return float(value)
        except (TypeError, ValueError):
            pass
    raise ValueError(f"{name}={value!r} must be a number")


def thread_count(value) -> int | None:
    """A library's thread count as it reads one: an integer or its text (``"2"``);
    None for anything else (None, a fraction, a boolean: the library's default)."""
    try:
        number = as_number(value, "")
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def thread_bound(value) -> int | None:
    """:func:`thread_count` when positive, else None: at most that many threads for the
    kernels (0 or a negative count is the library's own rule for all of them)."""
    count = thread_count(value)
    return count if count is not None and count > 0 else None


def is_number(value, number: float) -> bool:
    """Whether a library parameter's ``value`` is ``number``, as a number or its text
    (``"1.0"`` is 1, as XGBoost and LightGBM read it)."""
    try:
        return as_number(value, "") == number
    except ValueError:
        return False


def one_class(y_true) -> bool:
    """Whether every row has the same labels ``y_true`` (one class; of a label matrix,
    each label one value): the model is then its constant start, which no split
    improves."""
    y = None if y_true is None else np.asarray(y_true)
    return y is not None and y.ndim in (1, 2) and y.size > 0 and bool((y == y[0]).all())


def check_num_class(y_true, n_classes: int | None, data_name: str) -> None:
    """Refuse a class index past the classes ``params`` gives (``n_classes``; None or 1:
    binary), naming the parameter to set: a multiclass label matrix's training data
    whose ``num_class`` was left out, or set too small; and labels that are no class
    index (:func:`check_class_indices`)."""
    if y_true is None or not np.size(y_true):
        return
    check_class_indices(y_true, data_name)
    top, low = np.max(y_true), np.min(y_true)
    k = n_classes if n_classes is not None and n_classes > 1 else None
    if np.isfinite(top) and float(top).is_integer() and top >= (k or 2):
        # labels 1..k: counted from 1, where k classes are already set (or binary)
        from_one = low == 1 and top == (k or 2)
        raise ValueError(f"{data_name} has labels up to {int(top)} but params"
                         + (f"['num_class'] is {k}" if k else " has no num_class (binary)")
                         + ": labels are class indices 0..num_class-1; "
                         + (f"labels 1..{int(top)} count from 1: subtract 1" if from_one
                            else "set num_class to the number of classes"))


def check_class_indices(y_true, data_name: str) -> None:
    """Refuse labels that are no class index (missing, infinite, non-integer,
    negative), naming ``data_name``: a library reading a file keeps a NaN label, and
    the libraries' own objectives take soft labels and -1/1, which the loss would
    refuse naming its own argument, y_true."""
    if y_true is None or not np.size(y_true):
        return
    # as the libraries hold them (float32: 1 + 1e-12 is 1 there)
    with np.errstate(over="ignore"):  # (1e39 is inf there, as the libraries hold it)
        values = np.asarray(y_true, dtype=np.float32)
    missing = np.flatnonzero(np.isnan(values))
    if missing.size:
        raise ValueError(f"{data_name} has {missing.size} NaN label"
                         f"{'s' if missing.size > 1 else ''} (rows {first_rows(missing)}): "
                         "labels are class indices 0..num_class-1: drop those rows or give "
                         "them a label")
    infinite = np.flatnonzero(np.isinf(values))
    if infinite.size:  # (LightGBM would train them as +-1e38)
        raise ValueError(f"{data_name} has {infinite.size} infinite label"
                         f"{'s' if infinite.size > 1 else ''} (rows {first_rows(infinite)}; "
                         "as float32, in which the libraries hold labels): labels are class "
                         "indices 0..num_class-1: drop those rows or give them a label")
    fractional = np.isfinite(values) & (values != np.round(values))
    if fractional.any():  # (the libraries' own objectives take them as soft labels)
        raise ValueError(f"{data_name} has non-integer labels (e.g. "
                         f"{float(values[fractional][0])!r}): labels are class indices "
                         "0..num_class-1; the focal loss takes no soft labels")
    low = np.min(y_true)
    if np.isfinite(low) and low < 0:
        raise ValueError(f"{data_name} has labels from {low:g}: labels are class indices "
                         "0..num_class-1 (0 and 1 for a binary model); map them (-1/1 to "
                         "0/1)")
