"""scikit-learn classifiers trained with focal loss: FocalXGBClassifier, FocalLGBMClassifier.

Both share one base class: input validation (pandas DataFrames keep their dtypes, so
categorical columns reach the libraries as categories), label encoding, the ``alpha``
and ``gamma`` of the loss, the internal validation split for early stopping,
evaluation metrics on the probability scale, probabilities and the estimator
protocol. The subclasses only translate parameters and call the thin library adapters
(:mod:`focal_boost.xgboost`, :mod:`focal_boost.lightgbm`), which the classes import
when fitting.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import inspect
import json
import operator
import sys
import textwrap
import warnings
from collections.abc import Callable
from numbers import Integral, Number, Real
from typing import Any

import numpy as np
import scipy.sparse

try:
    from sklearn.base import BaseEstimator, ClassifierMixin
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "the focal_boost estimators need scikit-learn and their library: pip install "
        "'focal-boost[sklearn,xgboost]' for FocalXGBClassifier, "
        "'focal-boost[sklearn,lightgbm]' for FocalLGBMClassifier"
    ) from exc
from sklearn import get_config
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.class_weight import compute_class_weight, compute_sample_weight
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import (
    _check_sample_weight,
    check_array,
    check_consistent_length,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from focal_boost._conventions import caller_level, is_training_data, library_of
from focal_boost._hessian import HESSIANS
from focal_boost._loss import MAX_GAMMA, FocalLoss
from focal_boost._validation import (
    category_codes,
    check_model_margins,
    check_start_margins,
    first_rows,
    numeric_array,
    one_class,
    same_value,
    thread_bound,
    thread_count,
)
from focal_boost.metrics import (
    METRIC_NAME,
    eval_metrics,
    library_metric_name,
    metric_scores,
    metric_values,
)

__all__ = ["FocalXGBClassifier", "FocalLGBMClassifier", "InconsistentVersionWarning"]

# X as the boosters take it: dense or sparse, NaN = missing.
_X_CHECKS = {"accept_sparse": ["csr", "csc"],
             "dtype": [np.float64, np.float32]}


def encode_labels(encoder: LabelEncoder, y) -> np.ndarray:
    """Class indices of ``y`` (fitted ``encoder``) in float32, the dtype XGBoost and
    LightGBM keep labels in: their data takes the array without a conversion copy,
    and the copy the fit holds is half the size of int64 indices (4 MB per million
    rows). float32 is exact for indices below 2**24."""
    return encoder.transform(y).astype(np.float32)


class _OneClassEncoder:
    """Class indices of an evaluation set's labels for a model of one class: 0 for the
    class, 1 for the other label, taken as the model's class never seen."""

    def __init__(self, label) -> None:
        self.label = label

    def transform(self, y) -> np.ndarray:
        return (np.asarray(y) != self.label).astype(np.intp)


def eval_encoder(encoder: LabelEncoder, labels: np.ndarray, name: str):
    """The encoder of the labels of the evaluation set ``name`` (``labels``: its
    distinct ones): ``encoder``, the fit's, where they are among its classes.

    A model of one class (a binary model of it and a class never seen) scores one
    other label as that class never seen, as XGBClassifier scores it (a fold of
    ``y`` without the rare class, validated on rows with it); LGBMClassifier refuses
    it. More labels than that cannot be placed and are refused."""
    unknown = np.setdiff1d(labels, encoder.classes_)
    if not len(unknown):
        return encoder
    if len(encoder.classes_) == 1 and len(unknown) == 1:
        return _OneClassEncoder(encoder.classes_[0])
    hint = (" (a model of one class scores one other label, as its class never seen)"
            if len(encoder.classes_) == 1 else "")
    raise ValueError(f"{name} has labels not seen in y: {unknown.tolist()}{hint}")


def check_no_missing_labels(y, name: str = "y") -> None:
    """Refuse labels that are missing: None, NaN or pandas' NA, among labels of any type."""
    missing = missing_label_rows(y)
    if missing.size:
        raise missing_labels(missing, name)
    y = np.asarray(y)
    if y.dtype.kind == "f" and np.isinf(y).any():  # (before scikit-learn's target checks,
        # whose casts warn of it first)
        raise ValueError(f"Input {name} contains infinity, which is no class label")


def missing_label_rows(y) -> np.ndarray:
    """The rows of ``y`` (labels, or a label matrix) with a missing label: None, NaN or
    pandas' NA."""
    y = np.asarray(y)
    if y.dtype.kind == "f":
        missing = np.flatnonzero(np.isnan(y.ravel()))
    elif y.dtype.kind == "O":
        na = getattr(sys.modules.get("pandas"), "NA", None)
        missing = np.flatnonzero([v is None or v is na or (isinstance(v, float) and v != v)
                                  for v in y.ravel()])
    else:
        return np.zeros(0, dtype=np.intp)
    return np.unique(missing // (y.shape[1] if y.ndim == 2 else 1))


def missing_labels(missing: np.ndarray, name: str) -> ValueError:
    """The error for labels missing in rows ``missing`` of ``name``."""
    return ValueError(f"{name} has {missing.size} missing label(s) (None or NaN; rows "
                      f"{first_rows(missing)}): drop those rows or give them a label")


def _on_host(value):
    """``value`` in host memory: a CuPy array (an array on a CUDA device with ``get``)
    or another array-API library's array as a NumPy array, a cuDF DataFrame or Series
    as pandas; anything else as it is.
    XGBClassifier takes data that lies on the GPU; the focal gradients are computed on
    the CPU from NumPy arrays and scikit-learn's checks cannot read device memory, so
    the data is copied to the host once, here (``np.asarray`` of a CuPy array raises)."""
    if type(value).__module__.split(".")[0] == "cudf" and hasattr(value, "to_pandas"):
        return value.to_pandas()
    if hasattr(value, "__cuda_array_interface__") and hasattr(value, "get"):
        return value.get()
    if (hasattr(value, "__array_namespace__") and not isinstance(value, np.ndarray)
            and not hasattr(value, "__dask_graph__")):  # (a Dask array stays where it is)
        # an array of another array-API library in host memory (array-api-strict, ...):
        # under scikit-learn's array_api_dispatch its checks would compute in that
        # library, where the numpy dtypes asked for are none
        return np.asarray(value)
    return value


def _start_margins(value, n_rows: int, columns: int | None, name: str,
                   flat_order: str, float32_library: str | None = None) -> np.ndarray:
    """Start margins of ``n_rows`` rows (LightGBM's ``init_score``, XGBoost's
    ``base_margin`` of ``fit``), checked: one per row, or per row and output
    (``columns``: classes or labels; None: one output). A flat array of every row's
    outputs is read in the library's order: ``flat_order`` "C" row by row (XGBoost),
    "F" output by output (LightGBM). ``float32_library``: the library that holds them
    in float32 (XGBoost), where margins that are not finite or beyond its range are
    refused."""
    if isinstance(value, str):
        raise TypeError(f"{name} must be an array of start margins, one per row (and "
                        f"output), got {value!r}: the intercept ('auto', a number) is the "
                        "constructor's init_score")
    value = numeric_array(_on_host(value), name)
    shape = (n_rows,) if columns is None else (n_rows, columns)
    if columns is not None and value.ndim == 1 and value.size == n_rows * columns:
        value = value.reshape(shape, order=flat_order)
    if value.ndim == 2 and columns is None and value.shape[1:] == (1,):
        value = value[:, 0]
    if value.shape != shape:
        raise ValueError(f"{name} has shape {value.shape}: fit takes one start margin per "
                         f"row{'' if columns is None else ' and output'}, shape {shape}")
    # (LightGBM would start NaN rows from 0 without a word)
    check_start_margins(value, n_rows, name, float32_library)
    return value


def _is_dataframe(X) -> bool:
    return hasattr(X, "dtypes") and hasattr(X, "columns") and hasattr(X, "iloc")


def _is_series(value) -> bool:
    """A pandas Series: values under labels."""
    return getattr(value, "ndim", None) == 1 and hasattr(value, "index") and hasattr(
        value, "items")


def _is_arrow_frame(X) -> bool:
    """A polars DataFrame or pyarrow Table (what XGBClassifier reads through Arrow)."""
    return (type(X).__module__.split(".")[0] in ("polars", "pyarrow")
            and hasattr(X, "to_pandas") and hasattr(X, "schema"))


def _arrow_booleans(X) -> list[str]:
    """The boolean columns of a polars DataFrame or pyarrow Table (by their names)."""
    schema = X.schema
    if hasattr(schema, "items"):  # polars: {name: dtype}
        return [name for name, dtype in schema.items() if str(dtype) == "Boolean"]
    return [field.name for field in schema if str(field.type) == "bool"]  # pyarrow


def _is_lazy_frame(X) -> bool:
    """A polars LazyFrame: a query, whose rows are made by ``collect()``."""
    return type(X).__module__.split(".")[0] == "polars" and hasattr(X, "collect") and (
        not hasattr(X, "to_pandas"))


def _collected(X):
    """The rows of the polars LazyFrame ``X``, as XGBClassifier makes them (with its
    warning): its query run with polars' default settings."""
    warnings.warn("Using the default parameters for the polars `LazyFrame.collect`. "
                  "Consider passing a realized `DataFrame` or `Series` instead.",
                  UserWarning, stacklevel=caller_level())
    return X.collect()


def _in_pandas(X):
    """``X`` as pandas where it is a polars DataFrame or LazyFrame (collected, with
    :func:`_collected`'s warning) or a pyarrow Table (:func:`_arrow_to_pandas`); any
    other ``X`` as it is."""
    if _is_lazy_frame(X):
        X = _collected(X)
    return _arrow_to_pandas(X) if _is_arrow_frame(X) else X


def _arrow_to_pandas(X):
    """The polars DataFrame or pyarrow Table ``X`` as a pandas DataFrame, its categorical
    columns as categories (XGBClassifier reads them from Arrow), which the float array
    scikit-learn would make of it cannot hold; unordered, as a polars Enum or an
    ordered dictionary arrives ordered, and LightGBM takes ordered pandas categories for
    numbers."""
    import pandas as pd

    booleans = _arrow_booleans(X)
    try:
        X = X.to_pandas()
    except (TypeError, ValueError):  # (pandas 3 raises the first, pandas 2 the second)
        # a pyarrow Table whose pandas metadata names a dtype pandas cannot make
        # again (a pd.ArrowDtype dictionary): its columns as Arrow types them,
        # the frame's index columns as its index again (not features)
        index = [name for name in (X.schema.pandas_metadata or {}).get(
            "index_columns", []) if isinstance(name, str) and name in X.column_names]
        X = X.to_pandas(ignore_metadata=True)
        if index:
            X = X.set_index(index)
    ordered = [c for c in X.columns if isinstance(X[c].dtype, pd.CategoricalDtype)
               and X[c].cat.ordered]
    if ordered:
        X = X.astype({c: X[c].cat.as_unordered().dtype for c in ordered})
    # a boolean column with nulls arrives as objects (True, False, None), which
    # the plain classifiers read as numbers with missing values: pandas' boolean
    with_nulls = [c for c in booleans if c in X.columns and X[c].dtype == object]
    if with_nulls:
        X = X.astype(dict.fromkeys(with_nulls, "boolean"))
    # a Table whose pandas metadata names Arrow-backed numbers (a parquet file of a
    # frame of "float64[pyarrow]" columns) arrives so, which LightGBM's pandas path
    # refuses (LGBMClassifier reads the Table's numbers)
    return arrow_numbers_in_numpy(X)


def arrow_numbers_in_numpy(X):
    """The pandas DataFrame ``X`` with its Arrow-backed columns of numbers or booleans
    ("float64[pyarrow]", pandas' ``dtype_backend="pyarrow"``) in NumPy's dtypes, a null
    missing (:func:`_numpy_numbers`): LightGBM's pandas path refuses them."""
    import pandas as pd

    arrow = {i: _numpy_numbers(X.iloc[:, i]) for i, dtype in enumerate(X.dtypes)
             if isinstance(dtype, pd.ArrowDtype) and dtype.kind in "biuf"}
    if arrow:
        X = X.copy(deep=False)
        for i, dtype in arrow.items():
            X.isetitem(i, X.iloc[:, i].astype(dtype))
    return X


def _numpy_numbers(column) -> str | np.dtype:
    """The NumPy dtype for an Arrow-backed column of numbers or booleans, or where it
    holds nulls pandas' nullable one ("Int64", "boolean": a null missing), which the
    plain classifiers read as they read the Table (XGBoost's feature type "int")."""
    dtype = column.dtype
    if not column.hasnans or dtype.kind == "f":
        return dtype.numpy_dtype
    if dtype.kind == "b":
        return "boolean"
    return f"{'U' if dtype.kind == 'u' else ''}Int{dtype.numpy_dtype.itemsize * 8}"


def _check_frame(X, min_rows: int, source: str = "pandas") -> None:
    """A pandas DataFrame the libraries take as it is: numbers, booleans, categories
    (``source``: the container it was given as, for the conversions to advise)."""
    if X.shape[0] < min_rows or X.shape[1] < 1:
        raise ValueError(f"X has shape {X.shape}: it needs at least {min_rows} row and one "
                         "column")
    check_frame_dtypes(X, source=source)


def _n_rows(X) -> int | None:
    """The rows of a 2-D X (None: no shape)."""
    shape = getattr(X, "shape", None)
    return shape[0] if shape is not None and len(shape) == 2 else None


def infinite_columns(X, sign: float | None = None) -> list:
    """The names (a DataFrame's) or positions (an array's, a sparse matrix's) of the
    float columns of X that hold inf or -inf; ``sign`` +1 or -1: that infinity only."""
    def infinite(values: np.ndarray) -> np.ndarray:
        found = np.isinf(values)
        return found if sign is None else found & (np.sign(values) == sign)

    if _is_dataframe(X):
        return [name for name, column in X.items() if column.dtype.kind == "f"
                and infinite(column.to_numpy(dtype=np.float64, na_value=np.nan)).any()]
    if scipy.sparse.issparse(X):
        rows = scipy.sparse.csr_matrix(X)  # (its stored values; an absent one is 0)
        if rows.dtype.kind != "f":
            return []
        return np.unique(rows.indices[infinite(rows.data)]).tolist()
    values = np.asarray(X)
    if values.dtype.kind != "f" or values.ndim != 2:
        return []
    return np.flatnonzero(infinite(values).any(axis=0)).tolist()


def category_levels(X) -> dict[str, Any] | None:
    """The levels of a DataFrame's category columns, by column (None: no such column):
    the dtype's categories (a pandas Index), by which XGBoost codes them, whether rows
    hold them or not."""
    if not _is_dataframe(X):
        return None
    import pandas as pd

    levels = {name: dtype.categories for name, dtype in zip(X.columns, X.dtypes, strict=True)
              if isinstance(dtype, pd.CategoricalDtype)}
    return levels or None


def other_levels(X, known: dict[str, Any] | None) -> dict[str, np.ndarray]:
    """The category columns of the DataFrame X whose dtype holds levels ``known`` (a
    model's :func:`category_levels`) lacks: for each, the mask of those levels over the
    dtype's categories."""
    if not known or not _is_dataframe(X):
        return {}
    import pandas as pd  # (only now: numpy rows need no pandas installed)

    dtypes = dict(zip(X.columns, X.dtypes, strict=True))  # (one read: a predict of a row
    # pays this check on every call)
    found = {}
    for column, levels in known.items():
        dtype = dtypes.get(column)
        if not isinstance(dtype, pd.CategoricalDtype):
            continue  # (other dtypes: the library's own checks)
        if dtype.categories.equals(levels):  # the training data's: the usual case
            continue
        other = pd.Index(levels).get_indexer(dtype.categories) < 0
        if other.any() or (dtype.categories.empty and len(levels)):  # (none: all missing)
            found[column] = other
    return found


def known_categories(X, known: dict[str, Any] | None, name: str):
    """X, checked against ``known`` (a model's :func:`category_levels`): rows whose
    category columns hold other levels are refused, which XGBoost cannot score (and
    XGBoost 3.2 scores one that sorts before the last known level as the next known
    level, without a word: an XGBoost bug, XGBClassifier alike). Levels of the dtype
    that no row holds are dropped from it (XGBoost refused one that sorts last, with a
    C++ trace), and a column left with none, every row missing, takes the training
    levels (XGBoost fails on a category column without levels, XGBClassifier alike: a
    column of missing values read as pandas gives it, or dask's stand-in levels).
    Returns X, a shallow copy where a dtype was changed."""
    dropped = {}
    for column, other in other_levels(X, known).items():
        values = X[column]
        categories = values.cat.categories
        codes = values.cat.codes.to_numpy()
        held = np.bincount(codes[codes >= 0], minlength=len(categories)) > 0
        unseen = categories[other & held]
        if len(unseen):
            raise ValueError(
                f"{name} holds, in column {column!r}, categories the model was not trained "
                f"on ({shown_names(unseen)}), which XGBoost cannot score (XGBoost 3.2 scores "
                "some as other categories without a word): map them to training "
                "categories, or to NaN (missing)")
        kept = values.cat.remove_categories(categories[other])
        dropped[column] = (kept.cat.set_categories(known[column])
                           if kept.cat.categories.empty else kept)
    return X.assign(**dropped) if dropped else X


def _integer_seed(name: str, value) -> int:
    """A seed given under a library's own name (``seed=``), which the library reads as
    an integer (XGBoost refuses 5.7; int() would make it 5)."""
    if not isinstance(value, bool) and isinstance(value, Integral | str):
        try:
            return int(value)
        except ValueError:
            pass
    raise ValueError(f"{name} must be an integer, got {value!r}")


def non_string_column_names(X) -> bool:
    """Whether some column names of the DataFrame X are not strings (``[0, 1, 2]``,
    ``["a", 1, "c", 2.5]``): XGBClassifier and LGBMClassifier name those features by
    their strings (and check them at predict time); scikit-learn records no names for
    them, or refuses names of mixed types."""
    return not all(isinstance(col, str) for col in X.columns)


def string_columns(X, fitted=None):
    """X with its column names as strings (:func:`non_string_column_names`), as the
    plain classifiers name such features, so that a predict on columns in another
    order is refused, as XGBClassifier refuses it. The data is not copied.

    ``fitted``: the model's ``feature_names_in_`` (None while fitting); a model fitted
    before a tuple in a flat index was named as XGBClassifier names it holds its parts
    joined, which such a column is then read by."""
    if not non_string_column_names(X):
        return X
    import pandas as pd

    levels = isinstance(X.columns, pd.MultiIndex)
    known = set() if fitted is None else {str(name) for name in fitted}
    # (a name another column of X holds is not taken: the frame is of today's naming)
    others = {str(col) for col in X.columns if not isinstance(col, tuple)}

    def name(col) -> str:
        joined = " ".join(map(str, col)) if isinstance(col, tuple) else str(col)
        if levels or (str(col) not in known and joined in known and joined not in others):
            return joined
        return str(col)

    X = X.copy(deep=False)  # a new frame over the same data
    # a MultiIndex's levels joined, as XGBClassifier names them; a tuple in a flat index
    # is one name, str() of it, as there
    X.columns = [name(col) for col in X.columns]
    return X


def check_missing_is_nan(model, target: str) -> None:
    """Refuse to export ``model`` (a focal estimator or a native LightGBM booster) to
    ``target`` ("ONNX", "Treelite"), which take NaN alone as a missing value, where the
    model reads missing values otherwise: an XGBoost ``missing`` other than NaN (the
    Booster does not carry it), LightGBM's ``zero_as_missing`` (its trees send zeros
    where the export sends values). Its predictions would differ without a word."""
    from focal_boost import lightgbm as flgb

    missing = getattr(model, "missing", np.nan)
    if isinstance(model, FocalXGBClassifier) and not np.isnan(missing):
        raise ValueError(
            f"this FocalXGBClassifier takes {missing!r} as its missing value; {target} "
            f"takes NaN: refit with missing=np.nan (X with NaN where it held {missing!r}) "
            "to export it")
    booster = getattr(model, "booster_", model)
    if not type(booster).__module__.startswith("lightgbm"):
        return
    params = getattr(booster, "params", None) or {}
    if any(flgb.as_bool(params[key], False, key)
           for key in flgb.aliases("zero_as_missing") & params.keys()) or _zero_missing_splits(
            booster):  # (a model continued from one: its trees, not its parameters)
        raise ValueError(f"this LightGBM model was trained with zero_as_missing=True, which "
                         f"{target} cannot express: retrain without it (NaN for missing "
                         "values) to export it")


def _zero_missing_splits(booster) -> bool:
    """Whether a split of the LightGBM ``booster`` sends zeros as missing values (its
    decision_type's missing type 1, as LightGBM writes a zero_as_missing tree)."""
    for line in booster.model_to_string().splitlines():
        if line.startswith("decision_type="):
            if any((int(v) >> 2) & 3 == 1 for v in line.split("=", 1)[1].split()):
                return True
    return False


# The conversions to advise for a column of dates / of text, in the container given
_CONVERSIONS = {
    "pandas": ("(X[col] - X[col].min()).dt.days",
               "numbers stored as text with pd.to_numeric(X[col]), other text with "
               "X[col].astype('category')"),
    "dask": ("(X[col] - X[col].min()).dt.days",
             "numbers stored as text with dd.to_numeric(X[col]), other text with "
             "X = X.categorize(columns=[...])"),
    "polars": ("(pl.col(col) - pl.col(col).min()).dt.total_days()",
               "numbers stored as text with pl.col(col).cast(pl.Float64, strict=False), "
               "other text with pl.col(col).cast(pl.Categorical)"),
    "pyarrow": ("pyarrow.compute.days_between(pyarrow.compute.min(X[col]), X[col]) for "
                "dates, X[col].cast(pyarrow.int64()) for durations",
                "numbers stored as text with pyarrow.compute.cast(X[col], pyarrow.float64()), "
                "other text with X[col].dictionary_encode()"),
}


def check_frame_dtypes(X, source: str = "pandas") -> None:
    """Refuse DataFrame columns that are neither numbers nor categories, naming each with
    its dtype and the conversion that fits its kind (both libraries take numbers, bools
    and pandas categories only), written for the container X was given as (``source``:
    "pandas", "dask", "polars" or "pyarrow"; X itself is the pandas frame of it, or a
    dask DataFrame's meta)."""
    bad = {str(col): dtype for col, dtype in X.dtypes.items()
           if dtype.kind not in "biuf" and str(dtype) != "category"}
    if not bad:
        return
    dates, text = _CONVERSIONS[source]
    hints = []
    # categories as Arrow types them (a parquet file read with dtype_backend="pyarrow"):
    # pandas' own are what the libraries take (XGBClassifier: "Use pandas category")
    dictionaries = [col for col, dtype in bad.items() if str(dtype).startswith("dictionary<")]
    if dictionaries:
        hints.append("Arrow dictionaries as pandas categories with "
                     + ("X = X.astype({col: 'category'}).categorize(columns=[...])"
                        if source == "dask" else "X = X.astype({col: 'category'})"))
    kinds = {dtype.kind for col, dtype in bad.items() if col not in dictionaries}
    if kinds & set("Mm"):
        hints.append(f"dates and durations as numbers, e.g. days: {dates}")
    if "c" in kinds:  # (no text conversion applies to them)
        hints.append("complex numbers as real ones, e.g. their real parts and imaginary "
                     "parts as two columns")
    if kinds - set("Mmc"):
        hints.append(text)
    raise TypeError(
        "X has columns that are neither numbers nor pandas categories: "
        + ", ".join(f"{col!r} ({dtype})" for col, dtype in bad.items())
        + "; convert them: " + "; ".join(hints)
    )


def feature_names(estimator, forbidden: str, default: str, spaces_as: str = " ",
                  empty: bool = False) -> list[str] | None:
    """``feature_names_in_`` for the booster; the library's own default names
    (``default.format(i)``) where it would refuse them (``forbidden`` characters, an
    empty name where ``empty``, or names that are equal once the library writes spaces
    as ``spaces_as``); None without names."""
    names = getattr(estimator, "feature_names_in_", None)
    if names is None:
        return None
    names = [str(name) for name in names]
    if _refused_names(names, forbidden, spaces_as, empty):
        return [default.format(i) for i in range(len(names))]
    return names


def _refused_names(names: list[str], forbidden: str, spaces_as: str = " ",
                   empty: bool = False) -> tuple[list[str], str] | None:
    """The ``names`` a library refuses and why (:func:`feature_names`' rules): those
    with ``forbidden`` characters, an empty one (where ``empty``), else those alike once
    spaces are written as ``spaces_as``; None where it takes them all."""
    bad = [name for name in names if any(c in name for c in forbidden)]
    if bad:  # (a line break shown as \n)
        shown = (c if c.isprintable() else repr(c)[1:-1] for c in forbidden)
        return bad, f"the characters {' '.join(shown)}"
    if empty and "" in names:
        return [""], "an empty name"
    written = [name.replace(" ", spaces_as) for name in names]
    times = collections.Counter(written)  # (written.count per name took 22 s at 30k names)
    bad = [name for name, w in zip(names, written, strict=True) if times[w] > 1]
    if bad:
        return bad, f"names alike once spaces are written as {spaces_as!r}"
    return None


# LightGBM's rules: JSON punctuation refused; line breaks, NUL and an empty name break
# the model text's list of names ("Wrong size of feature_names"; "a\0b" is cut to "a");
# spaces written as "_" ("x y" and "x_y" would be one name, which it refuses)
LIGHTGBM_NAMES = {"forbidden": '",:[]{}\n\r\0', "default": "Column_{}", "spaces_as": "_",
                  "empty": True}


# XGBoost's rules: [ ] < refused in feature names; NUL cuts a name short ("a\0b" is "a",
# which can make two features one name: their importances merged)
XGBOOST_NAMES = {"forbidden": "[]<\0", "default": "f{}"}


def values_by_position(frame) -> np.ndarray:
    """A DataFrame as the values an estimator fitted on an array reads: its columns by
    position (names may repeat), a category column by its codes (a missing one NaN), as
    the in-memory estimators read such a DataFrame (the Dask estimators, a partition of
    an evaluation set at a time)."""
    import pandas as pd

    columns = []
    for i in range(frame.shape[1]):
        column = frame.iloc[:, i]
        columns.append(category_codes(column) if isinstance(column.dtype, pd.CategoricalDtype)
                       else column.to_numpy(dtype=np.float64, na_value=np.nan))
    return np.column_stack(columns) if columns else np.empty((len(frame), 0))


def columns_by_position(options: dict[str, Any]) -> bool:
    """Whether the library's predict option ``validate_features=False`` was given:
    both plain classifiers then read a DataFrame's columns by position. Without it the
    names are checked, as in XGBClassifier (LGBMClassifier reads by position by default,
    which gives wrong numbers on reordered columns without a word)."""
    return "validate_features" in options and not options["validate_features"]


def _class_weight(value, label, name: str) -> float:
    """A class's weight in ``alpha`` as a float; refused, naming the class, unless it is
    a finite number > 0 (text and bools are none: "1" and True would read as 1)."""
    try:
        if isinstance(value, str | bytes | bool | np.bool_):
            raise TypeError
        weight = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name}: the weight of class {label!r} must be a number, got "
                        f"{value!r}") from None
    if not (np.isfinite(weight) and weight > 0):
        raise ValueError(f"{name}: the weight of class {label!r} must be finite and > 0, "
                         f"got {value!r}")
    return weight


def _two_columns(proba: np.ndarray) -> np.ndarray:
    return np.column_stack([1.0 - proba, proba]) if proba.ndim == 1 else proba


def _unchanged_if_failed(fit):
    """``fit`` that leaves the estimator as it was when it raises.

    The plain classifiers keep their booster, and with it their loss, when a fit
    fails; ours keeps the loss in ``loss_`` (and the classes, the start), which a fit
    sets before it trains: a failed refit paired the old trees with the new loss
    (probabilities 0.2 off), a failed first fit looked fitted. The model continued
    (``xgb_model`` / ``init_model``) when it is the estimator itself is the one before
    this fit, so that its loss is the one it was trained on.
    """

    signature = inspect.signature(fit)

    @functools.wraps(fit)
    def wrapper(self, *args, **kwargs):
        before = object.__new__(type(self))
        before.__dict__.update(self.__dict__)
        # (given by keyword or position: LGBMClassifier.fit's init_model is 14th)
        try:
            call = signature.bind_partial(self, *args, **kwargs)
        except TypeError as exc:  # (inspect's message names no method)
            raise TypeError(f"{type(self).__name__}.fit(): {exc}") from None
        for key in ("xgb_model", "init_model"):
            if call.arguments.get(key) is self:
                call.arguments[key] = before
        try:
            result = fit(*call.args, **call.kwargs)
        except BaseException:
            _restore(self, before)
            raise
        if inspect.isawaitable(result):  # (a Dask fit through an asynchronous client:
            # it runs, and may fail, when awaited)
            return _restored_if_failed(self, before, result)
        return result

    return wrapper


def _restore(estimator, before) -> None:
    """Put back the state ``before`` (a copy of the estimator's attributes)."""
    estimator.__dict__.clear()
    estimator.__dict__.update(before.__dict__)


async def _restored_if_failed(estimator, before, awaitable):
    """``awaitable``'s result, the estimator's state ``before`` put back if it raises."""
    try:
        return await awaitable
    except BaseException:
        _restore(estimator, before)
        raise


def _check_eval_columns(given: list[str], names: list[str], eval_name: str) -> None:
    """Refuse an evaluation DataFrame whose columns are not the training data's names in
    their order, naming the set (scikit-learn's own check says the names "passed during
    fit", in a call that is the fit)."""
    if given == names:
        return

    known, had = set(names), set(given)
    unseen = [name for name in given if name not in known]
    missing = [name for name in names if name not in had]
    detail = "; ".join(part for part in (
        unseen and f"not in the training data: {shown_names(unseen)}",
        missing and f"missing: {shown_names(missing)}") if part) or "in another order"
    raise ValueError(f"{eval_name}'s feature names differ from the training data's "
                     f"({detail}): give its columns as X's, in the same order")


def shown_names(names) -> str:
    """Up to five ``names`` for a message, "..." for more."""
    names = list(names)
    return ", ".join(map(repr, names[:5])) + (", ..." if len(names) > 5 else "")


class InconsistentVersionWarning(UserWarning):
    """Warning that a fitted estimator was pickled by another version of focal_boost
    (``original_version`` None: a development build that recorded none), as
    scikit-learn's :class:`~sklearn.exceptions.InconsistentVersionWarning` for its own
    version: a fitted model's outputs may mean something else in this one. Filter it by
    this class: ``warnings.simplefilter("error", InconsistentVersionWarning)``."""

    def __init__(self, message: str, *, estimator_name: str, current_version: str,
                 original_version: str | None) -> None:
        super().__init__(message)
        self.estimator_name = estimator_name
        self.current_version = current_version
        self.original_version = original_version


# the modules between a user's load and __setstate__: pickle's pure-Python unpickler
# (joblib's is built on it), copy's protocol, joblib, cloudpickle
_UNPICKLERS = ("pickle", "copy", "copyreg", "joblib", "cloudpickle")


class _FocalClassifierBase(ClassifierMixin, BaseEstimator):
    """Shared machinery; subclasses implement ``_train`` and ``_raw_predict``.

    Booster parameters that are not named in ``__init__`` are accepted as keyword
    arguments, kept as attributes and returned by ``get_params``, as the libraries'
    own scikit-learn wrappers do.
    """

    def __init__(self, **kwargs: Any) -> None:
        for key, value in kwargs.items():
            setattr(self, key, value)

    # ------------------------------------------------------------- pickling
    # A pickle records the focal_boost version that made it, as scikit-learn's own
    # estimators record theirs: what a fitted model's outputs mean can change between
    # versions (decision_function was the raw margin before it was the posterior's
    # log-odds), and a calibrator or threshold fitted on them would then be wrong.
    def __getstate__(self):
        from focal_boost import __version__

        state = {**super().__getstate__(), "_focal_boost_version": __version__}
        state.pop("_fit_seed", None)  # (one fit's seed: a copy taken mid-fit draws anew)
        return state

    def __setstate__(self, state):
        from focal_boost import __version__

        state = dict(state)
        saved = state.pop("_focal_boost_version", None)
        if saved != __version__ and "booster_" in state:  # a fitted model
            made_by = (f"focal_boost {saved}" if saved is not None
                       else "an earlier development build of focal_boost that recorded "
                            "no version (its decision_function may be the raw margin, "
                            "where this build gives the posterior's log-odds)")
            warnings.warn(InconsistentVersionWarning(
                f"this {type(self).__name__} was pickled by {made_by}; this is focal_boost "
                f"{__version__}: its outputs may differ from those it gave. Refit it (and "
                "whatever was fitted on its outputs), or load it with the version that "
                "saved it", estimator_name=type(self).__name__, current_version=__version__,
                original_version=saved),
                # (the line that loaded it, not one of the unpickler's)
                stacklevel=caller_level(through=_UNPICKLERS))
        super().__setstate__(state)

    # ---------------------------------------------------------- parameters
    # The parameters named in ``__init__`` and the values they take, checked once at the
    # start of ``fit`` (scikit-learn's ``_validate_params``): the focal loss's and the
    # estimator's own here, the library's in each subclass (never stricter than the
    # library's own classifier). Keyword arguments passed through to the library have no
    # entry: the library checks them.
    _parameter_constraints: dict = {
        "gamma": [Interval(Real, 0, MAX_GAMMA, closed="both")],
        "alpha": [None, Interval(Real, 0, 1, closed="neither"), "array-like", dict,
                  StrOptions({"balanced"})],
        "posterior_correction": ["boolean"],
        "hessian": [StrOptions(set(HESSIANS))],
        "init_score": [None, StrOptions({"auto"}), Real, "array-like"],
        # any int, as XGBClassifier and LGBMClassifier take it (negative ones too)
        "random_state": [None, Integral, np.random.RandomState, np.random.Generator],
        "n_jobs": [None, Integral],
        "early_stopping_rounds": [None, Interval(Integral, 0, None, closed="left")],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
    }

    # Added to the message for gamma=None: where the library's own gamma went.
    _GAMMA_HINT = ""

    def _check_params(self) -> None:
        """The declared parameters, checked once, first thing in ``fit`` (unless
        scikit-learn's ``skip_parameter_validation`` is set)."""
        from sklearn.utils._param_validation import InvalidParameterError

        if getattr(self, "gamma", 0.0) is None:  # a parameter set copied from XGBClassifier
            raise InvalidParameterError(
                f"{type(self).__name__}: gamma=None; gamma is the focal loss's focusing "
                f"parameter here, a float in [0, {MAX_GAMMA:g}] (default 2.0)"
                f"{self._GAMMA_HINT}")
        if not get_config()["skip_parameter_validation"]:
            try:
                self._validate_params()
            except InvalidParameterError as error:
                alpha = getattr(self, "alpha", None)
                if not (str(error).startswith("The 'alpha' parameter")
                        and isinstance(alpha, Real) and not isinstance(alpha, bool)):
                    raise
                # a number outside (0, 1): XGBoost's own alpha, as xgb.train takes it?
                raise InvalidParameterError(
                    f"{error} alpha is the focal loss's class weight here; L1 "
                    "regularisation is reg_alpha") from None
            except TypeError:  # a value scikit-learn's check cannot read (a Fraction)
                self._name_unreadable_parameter()
                raise

    def _name_unreadable_parameter(self) -> None:
        """Raise a TypeError naming the parameter whose value scikit-learn's check
        could not read (it fails inside numpy, naming none); nothing if none is found."""
        from sklearn.utils._param_validation import (
            InvalidParameterError,
            validate_parameter_constraints,
        )

        for key, constraint in self._parameter_constraints.items():
            value = getattr(self, key, None)
            try:
                validate_parameter_constraints({key: constraint}, {key: value},
                                               type(self).__name__)
            except InvalidParameterError:
                continue
            except TypeError:
                raise TypeError(
                    f"{type(self).__name__}: {key}={value!r} is of a type the parameter "
                    f"check cannot read ({type(value).__name__}); pass a float or an int"
                ) from None

    def _extra_param_names(self) -> list[str]:
        named = set(self._get_param_names())
        return sorted(
            k for k in vars(self) if not k.startswith("_") and not k.endswith("_")
            and k not in named
        )

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        params = super().get_params(deep)
        params.update({k: getattr(self, k) for k in self._extra_param_names()})
        return params

    def set_params(self, **params: Any):
        named = set(self._get_param_names())
        for key in [k for k in params if k not in named]:
            setattr(self, key, params.pop(key))
        return super().set_params(**params)

    # NaN marks a missing value; LightGBM also takes infinite values, XGBoost only as
    # its ``missing`` value.
    _ENSURE_ALL_FINITE: str | bool = "allow-nan"

    def _ensure_all_finite(self) -> str | bool:
        """What X may hold besides finite numbers (``check_array``'s ``ensure_all_finite``)."""
        return self._ENSURE_ALL_FINITE

    # Added to scikit-learn's message when X holds an infinite value it refuses.
    _INF_HINT = ""

    # Whether a DataFrame's Arrow-backed numbers are handed over in NumPy's dtypes (the
    # library's pandas path refuses them; XGBoost reads them)
    _ARROW_NUMBERS_IN_NUMPY = False

    # Keyword arguments that would silently do nothing or fight the focal loss.
    _REJECTED_PARAMS = {
        "class_weight": "class weights of the focal loss are `alpha`",
        "num_class": "the number of classes comes from y",
        "num_classes": "the number of classes comes from y",
        "objective": "the objective is the focal loss: set gamma and alpha",
    }

    def _booster_extra_params(self) -> dict[str, Any]:
        extra = {k: getattr(self, k) for k in self._extra_param_names()}
        for key in list(extra):
            if key in self._REJECTED_PARAMS:
                if extra[key] is None:  # the plain classifier's default: nothing to do
                    del extra[key]
                    continue
                raise ValueError(f"{type(self).__name__} does not take {key!r}: "
                                 f"{self._REJECTED_PARAMS[key]}")
        return extra

    # Whether the booster trains on a 2-D 0/1 label matrix (one output per label).
    _MULTI_LABEL = False
    # The library's rules for feature names (feature_names' keywords) and its name
    _BOOSTER_NAMES: dict[str, Any] = {}
    _LIBRARY = ""

    def _warn_booster_names(self) -> None:
        """Say where the booster gets the library's default feature names because the
        library refuses the user's (the plain classifiers raise there; the estimator
        trains, and keeps the user's names in ``feature_names_in_``)."""
        given = getattr(self, "feature_names_in_", None)
        rules = self._BOOSTER_NAMES
        refused = None if given is None else _refused_names(
            [str(name) for name in given], rules["forbidden"], rules.get("spaces_as", " "),
            rules.get("empty", False))
        if refused is None:
            return
        bad, why = refused
        default = rules["default"]
        warnings.warn(
            f"{self._LIBRARY} refuses some of X's column names ({bad[:3]}: {why}), so the "
            f"booster names the features {default.format(0)}, {default.format(1)}, ...; "
            "feature_names_in_ keeps yours, by which the estimator reads DataFrames (give "
            "the booster itself, and tools that read it such as SHAP, X.to_numpy())",
            UserWarning, stacklevel=caller_level())

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.sparse = True
        tags.input_tags.categorical = True
        tags.target_tags.multi_output = self._MULTI_LABEL
        tags.classifier_tags.multi_label = self._MULTI_LABEL
        return tags

    # ---------------------------------------------------------- validation
    def _validate_X(self, X, *, reset: bool, predict: bool = False, by_position: bool = False,
                    eval_name: str | None = None):
        """Validated X: a pandas DataFrame as it is (dtypes kept; column names that are
        not strings as strings), else a float array. The training X (``reset``) needs a
        row; X to predict on or an ``eval_set`` may have none, as in XGBClassifier. X to
        ``predict`` on may hold infinite values, which both libraries take there.
        ``by_position``: a DataFrame's columns are the features in the training order,
        whatever their names (the libraries' ``validate_features=False``).
        ``eval_name``: X is that evaluation set's, which the feature-name warnings and
        the feature count's error name (scikit-learn's say "X", the training data's)."""
        min_rows = 1 if reset else 0
        X = _on_host(X)
        source = "pandas"  # (the container given, for the conversions a refusal advises)
        if isinstance(X, np.matrix):  # XGBClassifier takes one; scikit-learn refuses it
            X = np.asarray(X)
        # a DMatrix or a Dataset (not a lightgbm.Sequence, rows the classifiers take)
        library = library_of(X) if is_training_data(X) else None
        if library is not None:
            raise TypeError(
                f"X is a {type(X).__name__} ({library}): {type(self).__name__} takes the data "
                "itself (an array, a DataFrame, a sparse matrix), as the libraries' "
                f"classifiers do; train on a {type(X).__name__} with "
                f"focal_boost.{library}.train")
        if _is_lazy_frame(X) or _is_arrow_frame(X):
            source = type(X).__module__.split(".")[0]
            X = _in_pandas(X)
        if _is_dataframe(X) and hasattr(X, "__dask_graph__"):
            # a dask DataFrame, brought into memory as the plain classifiers take it (the
            # Dask estimators of focal_boost.dask train on it where it lies)
            X = X.compute()
        if _is_dataframe(X):
            names = getattr(self, "feature_names_in_", None)
            X = string_columns(X, None if reset else names)
            if self._ARROW_NUMBERS_IN_NUMPY:
                X = arrow_numbers_in_numpy(X)
            if by_position and names is not None and X.shape[1] == len(names):
                X = X.set_axis(list(names), axis=1)
            if eval_name is not None:
                self._check_eval_features(X, eval_name)
            else:
                validate_data(self, X, reset=reset, skip_check_array=True)
            _check_frame(X, min_rows, source)
            if not predict:  # (as check_array refuses an array)
                self._check_every_infinity(functools.partial(infinite_columns, X),
                                           eval_name or "X")
        else:
            kind = getattr(getattr(X, "dtype", None), "kind", None)
            if kind in ("M", "m"):  # (check_array reads them as integers, NaT too)
                raise TypeError(
                    f"{eval_name or 'X'} is an array of {X.dtype} (dates or durations), "
                    "which would be read as integers, a missing NaT as -9.2e18; convert "
                    "it to numbers, e.g. days: (X - np.datetime64('1970-01-01')) / "
                    "np.timedelta64(1, 'D') for dates, X / np.timedelta64(1, 'D') for "
                    "durations (NaT becomes NaN)")
            checks = dict(**_X_CHECKS, ensure_min_samples=min_rows,
                          ensure_all_finite=not predict and self._ensure_all_finite())
            try:
                if eval_name is not None:
                    X = check_array(X, input_name=eval_name, estimator=self, **checks)
                    self._check_eval_features(X, eval_name)
                else:
                    X = validate_data(self, X, reset=reset, **checks)
            except ValueError as exc:
                if self._INF_HINT and "infinity" in str(exc):
                    raise ValueError(f"{exc} {self._INF_HINT}") from None
                raise
        if not predict:
            self._check_infinities(functools.partial(infinite_columns, X), eval_name or "X")
        return self._check_categories(X, reset=reset, name=eval_name or "X")

    # The two checks below take ``columns_of(sign)``: the columns of the data that hold
    # inf (+1), -inf (-1) or either (None), found only where a check needs them (on a
    # Dask cluster: a pass over the partitions). The data is named ``name``.
    def _check_every_infinity(self, columns_of: Callable[[float | None], list],
                              name: str) -> None:
        """Refuse every infinite value where X may hold NaN only (``_ensure_all_finite``),
        naming the columns: check_array's refusal of an array, for a DataFrame and for
        Dask's data (the library's own check is a C++ trace that names none)."""
        if self._ensure_all_finite() == "allow-nan":
            infinite = columns_of(None)
            if infinite:
                raise ValueError(f"{name} contains infinity in column(s) "
                                 f"{shown_names(infinite)}. {self._INF_HINT}")

    def _check_infinities(self, columns_of: Callable[[float | None], list], name: str) -> None:
        """Refuse infinite values to train on that the library refuses where this
        estimator's checks let them through (none here)."""

    def _check_categories(self, X, *, reset: bool, name: str):
        """X, after recording the training data's category levels (``reset``), or
        checked against them where the library cannot score others (LightGBM reads them
        as missing: X as it is here). Either library scores a category column given
        for a feature it trained on as numbers by the codes of its levels (0, 1, ...:
        the plain classifiers alike): refused, by the columns recorded at fit from a
        DataFrame (an array's columns may be the codes of the categories given later)."""
        if reset:
            self._category_columns = (frozenset(category_levels(X) or ())
                                      if _is_dataframe(X) else None)
            return X
        self._check_category_dtypes(X, name)
        return X

    def _check_category_dtypes(self, X, name: str) -> None:
        """Refuse category columns of X (``name``) for features trained as numbers
        (:meth:`_check_categories`)."""
        trained = getattr(self, "_category_columns", None)  # (None: a model of before)
        given = category_levels(X)
        numbers = [column for column in given or () if column not in (trained or ())]
        if trained is not None and numbers:
            raise ValueError(
                f"{name} has category columns the model was trained on as numbers "
                f"({shown_names(numbers)}), which {self._LIBRARY} would score by the codes of "
                "their levels (0, 1, ...); give their values as numbers (.astype(float) "
                "of a column whose levels are numbers)")

    def _continue_categories(self, X, fit_params: dict):
        """X, after taking the category levels of the model continued (``fit_params``),
        which code the training rows and the evaluation sets, checked against them (as
        it is here: LightGBM reads other levels as missing)."""
        return X

    def _continued_levels(self, fit_params: dict, columns) -> dict[str, Any] | None:
        """The category levels of the model continued, by X's ``columns`` (None here)."""
        return None

    def _validate_eval_X(self, X, name: str):
        """An evaluation set's X, validated as X to predict on, named ``name`` in the
        feature-name warnings (scikit-learn's said "X", the training data's name)."""
        return self._validate_X(X, reset=False, eval_name=name)

    def _check_eval_features(self, X, name: str) -> None:
        """scikit-learn's checks of an evaluation set's X (``validate_data``'s) under the
        set's ``name``: its feature names against the training data's (the warning where
        one has names and the other none; the error where they differ), and its feature
        count. ``X``: a validated array or DataFrame (string column names), a dask
        array, or the empty meta of a dask DataFrame. Made here, not recorded from
        ``validate_data`` and said again: recording swaps the process's warning state
        (``warnings.catch_warnings``, before Python 3.14), and two fits in threads
        interleaving there left a finished fit's recorder in place, and every later
        warning of the process unseen."""
        estimator = type(self).__name__
        names = getattr(self, "feature_names_in_", None)
        mismatch = None
        twice = [str(column) for column, count in collections.Counter(
            X.columns if _is_dataframe(X) else ()).items() if count > 1]
        if twice:  # (as the training data's and predict's check says: narwhals')
            raise ValueError(f"{name} has columns of the same name: {shown_names(twice)}; give "
                             "each column one name")
        if _is_dataframe(X) and names is not None:
            _check_eval_columns(list(X.columns), list(names), name)
        elif _is_dataframe(X):
            mismatch = f"has feature names, but {estimator} was fitted without feature names"
        elif names is not None:
            mismatch = (f"does not have valid feature names, but {estimator} was fitted "
                        "with feature names")
        if mismatch is not None:
            warnings.warn(f"{name} {mismatch}", UserWarning, stacklevel=caller_level())
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"{name} has {X.shape[1]} features, but {estimator} is "
                             f"expecting {self.n_features_in_} features as input.")

    def _check_y(self, y, name: str = "y") -> np.ndarray:
        """1-D labels, or a 0/1 label matrix (multi-label) where the booster takes one."""
        y = _on_host(y)
        if hasattr(y, "toarray") and hasattr(y, "nnz"):  # scipy sparse
            raise TypeError(f"{name} is a sparse matrix: pass the labels dense (y.toarray() for a "
                            "label matrix), as the libraries take them")
        if _is_dataframe(y) and y.shape[1] == 1:  # one column: its labels as they are
            y = y.iloc[:, 0]  # (not as floats, which merge large integers)
        if getattr(y, "ndim", 1) == 2 and hasattr(y, "to_numpy"):  # a label DataFrame:
            try:  # its nullable columns (Int64, boolean) as numbers, missing as NaN
                y = y.to_numpy(dtype=np.float64, na_value=np.nan)
            except (TypeError, ValueError):
                pass
        y = np.asarray(y)
        if y.ndim > 2:  # (scikit-learn's "Found array with dim 3" named no argument)
            raise ValueError(
                f"{name} has shape {y.shape}: give one label per sample" + (
                    ", or a 0/1 label matrix of shape (n_samples, n_labels)"
                    if self._MULTI_LABEL else ""))
        if y.ndim != 2 or y.shape[1] < 2:
            y = column_or_1d(y, warn=not self._MULTI_LABEL)
            check_no_missing_labels(y, name)
            return _numbers_from_objects(y)
        check_no_missing_labels(y, name)
        y = _numbers_from_objects(y)
        if not self._MULTI_LABEL:
            if name != "y":  # (an evaluation set's: y was 1-D, MultiOutputClassifier's own)
                raise ValueError(f"{name} has shape {y.shape}: {type(self).__name__} takes "
                                 "one label per sample, as y has")
            raise ValueError(
                f"{type(self).__name__} takes one label per sample, got y of shape "
                f"{y.shape}: for multi-label y wrap it in "
                "sklearn.multioutput.MultiOutputClassifier (or use FocalXGBClassifier)"
            )
        if type_of_target(y) != "multilabel-indicator" or not np.isin(y, (0, 1)).all():
            raise ValueError("a 2-D y must be a 0/1 multi-label indicator matrix, got "
                             f"values {np.unique(y)[:5].tolist()}")
        return y.astype(np.float32)  # 0/1, as encode_labels gives class indices

    # ---------------------------------------------------------------- fit
    def _make_loss(self, class_counts: np.ndarray | None) -> FocalLoss:
        """The loss to train on, ``alpha`` resolved with ``class_counts`` (rows per class;
        None for a multi-label y)."""
        n_classes = self.n_classes_
        alpha = self.alpha
        if class_counts is None:  # multi-label: a float or one positive weight per label
            # a Series as a dict (by label, as for classes): a label matrix's labels are
            # its columns, which the weights follow by position
            if isinstance(alpha, str | dict) or _is_series(alpha):
                what = "alpha as a pandas Series" if _is_series(alpha) else f"alpha={alpha!r}"
                raise ValueError(
                    f"{what} weighs classes; for a multi-label y pass a float (the "
                    "positive weight of every label) or one positive weight in (0, 1) per "
                    "label, in the order of y's columns"
                    + (" (alpha.reindex(Y.columns).to_numpy() for a Series indexed by the "
                       "label names)" if _is_series(alpha) else "")
                )
        elif isinstance(alpha, str):
            if alpha != "balanced":  # (scikit-learn's parameter check may be skipped)
                raise ValueError(f"alpha={alpha!r}: the only text alpha takes is "
                                 "'balanced'; else a float, one weight per class or a dict")
            # one row per class weighted by its count: the counts are all "balanced" needs.
            # A class without rows (of a model continued on rows of its other classes)
            # weighs 1, the mean weight of a row, as the class a one-class y never saw
            present = np.flatnonzero(class_counts)
            alpha = np.ones(n_classes)
            alpha[present] = compute_class_weight("balanced", classes=present, y=present,
                                                  sample_weight=class_counts[present])
        elif isinstance(alpha, dict) or _is_series(alpha):
            # a labelled Series (value_counts(), say) weighs classes by label, as a dict
            form = "dict" if isinstance(alpha, dict) else "Series"
            hint = "" if form == "dict" else (
                ": a Series is read by its index, the class labels (alpha.to_numpy() gives "
                "weights in classes_ order)")
            alpha = dict(alpha.items())
            labels = self.classes_.tolist()  # (named as Python values: 1, not np.int64(1))
            missing = [label for c, label in zip(self.classes_, labels, strict=True)
                       if c not in alpha]
            known = set(labels)
            unknown = [key for key in alpha if key not in known]
            # scikit-learn's class_weight rule: once every class of y has its weight,
            # keys of other labels are classes this y lacks (a cross-validation fold
            # without a rare class) and are ignored; with a class unweighed they are
            # named beside it (a typo, or labels of another type: '2' for 2)
            if missing:
                codes = list(range(len(labels)))
                if labels == codes and unknown and (missing == labels or all(
                        isinstance(key, Integral) and not isinstance(key, bool)
                        and key >= len(labels) for key in unknown)):
                    # keys of other labels (none a code, or integers past the codes:
                    # ratings 1..3), y's the codes 0 .. k-1: cross_val_predict(
                    # method="predict_proba") fits on the labels' codes
                    hint += (f"; y's labels are the codes 0 .. {len(labels) - 1}, as "
                             "cross_val_predict(method='predict_proba') hands them (the "
                             "labels in sorted order): key alpha by the codes, or pass "
                             "a sequence in that order, or alpha='balanced'")
                extra = f" and weighs {unknown}, which are not classes of y" if unknown else ""
                raise ValueError(f"alpha {form} has no weight for classes {missing}{extra} "
                                 f"(the classes: {labels}){hint}")
            for c, label in zip(self.classes_, labels, strict=True):
                _class_weight(alpha[c], label, f"alpha {form}")
            alpha = [alpha[c] for c in self.classes_]
        elif isinstance(alpha, Real) and n_classes > 2:
            raise ValueError(
                f"a float alpha is the weight of the positive class of a binary problem; "
                f"y has {n_classes} classes: pass a sequence of {n_classes} weights, a dict "
                f"or 'balanced'"
            )
        elif n_classes >= 2 and _sequence_length(alpha) not in (None, n_classes):
            # a sequence weighs classes by position: a fit that sees fewer classes (a
            # cross-validation fold without a rare one) cannot tell which weight is whose
            raise ValueError(
                f"alpha has {_sequence_length(alpha)} weights but y has {n_classes} classes "
                f"({self.classes_.tolist()}): a sequence weighs the classes of y in "
                "classes_ order; where a fit may see fewer classes (a cross-validation "
                "fold without a rare class) key the weights by label, a dict {label: "
                "weight}, whose other keys are ignored")
        if n_classes == 1 and alpha is not None and not isinstance(alpha, Real):
            # the one class's weight; the class never seen (no row) takes the same
            label = self.classes_.tolist()[0]
            weights = np.ravel(np.asarray(alpha, dtype=object))
            if weights.size != 1:
                raise ValueError(f"alpha has {weights.size} weights but y has 1 class "
                                 f"({label!r})")
            alpha = [_class_weight(weights[0], label, "alpha")] * 2
        return FocalLoss(self.gamma, alpha, hessian=self.hessian)

    def _fit(self, *args, **kwargs):
        """Fit (:meth:`_fit_steps`, the Dask estimators' own), one seed throughout; a
        model to continue given as a saved model's path or bytes is read once here, for
        every step that looks at it (its classes, its loss, its trees)."""
        kwargs = self._read_model(kwargs)
        with self._fit_scope():
            return self._fit_steps(*args, **kwargs)

    @contextlib.contextmanager
    def _fit_scope(self):
        """What a fit's steps run in: one seed throughout, and the library's settings."""
        with self._one_seed(), self._library_settings():
            yield

    def _read_model(self, fit_params: dict) -> dict:
        """``fit_params`` with the model to continue read from its file (the library's
        ``read_model``)."""
        return fit_params

    def _library_settings(self):
        """The library's process-wide settings a fit changes, restored after it (as the
        plain classifier restores them)."""
        return contextlib.nullcontext()

    def _fit_steps(self, X, y, sample_weight, eval_set, eval_sample_weight, verbose,
                   eval_metric, callbacks, row_margins=None, **fit_params):
        """Fit; ``row_margins`` is every training row's start margin (``init_score`` of
        LGBMClassifier's ``fit``, ``base_margin`` of XGBClassifier's; ``init_score`` of
        the constructor is the model's start, another thing), ``fit_params`` go to
        ``_train`` (``xgb_model``, ``init_model``, ``categorical_feature``,
        ``eval_row_margins``: each eval set's)."""
        self._check_params()
        X_given, y_given = X, y
        X = self._validate_X(X, reset=True)
        X = self._continue_categories(X, fit_params)  # (before the evaluation sets)
        named = fit_params.get("feature_name", "auto")  # (LightGBM's fit: names given)
        if isinstance(named, str) and named == "auto":
            self._warn_booster_names()
        y = self._check_y(y)
        check_consistent_length(X, y)
        check_classification_targets(y)
        self.n_outputs_ = 1 if y.ndim == 1 else y.shape[1]
        # multi-label: every label is binary, as in XGBClassifier
        given = LabelEncoder().fit(y if y.ndim == 1 else [0, 1]).classes_
        encoder = LabelEncoder().fit(self._continued_classes(given, fit_params))
        self.classes_ = encoder.classes_
        self.n_classes_ = len(self.classes_)
        # One class: a binary model of it and a class never seen, as LGBMClassifier and
        # HistGradientBoostingClassifier fit it (two probability columns, the second ~0)
        n_classes = max(self.n_classes_, 2)
        y_enc = encode_labels(encoder, y) if y.ndim == 1 else y
        # weights in float32, as both libraries hold them (their own objectives and
        # metrics weigh by those: gamma 0 is then the plain classifier's model exactly)
        sw = None if sample_weight is None else _weights(sample_weight, X)
        outputs = (self.n_outputs_ if self.n_outputs_ > 1
                   else n_classes if n_classes > 2 else None)
        if row_margins is not None:
            row_margins = _start_margins(row_margins, X.shape[0], outputs,
                                         self._START_NAMES[0], self._FLAT_START_ORDER,
                                         self._START_FLOAT32)
        self.loss_ = self._make_loss(
            np.bincount(y_enc.astype(np.intp), minlength=self.n_classes_) if y_enc.ndim == 1
            else None)
        metrics = eval_metrics(self._library_spelling(eval_metric, n_classes),
                               parameter=self._METRIC_PARAMETERS,
                               multiclass=n_classes > 2)  # (multi-label: 2)
        stopping = int(self.early_stopping_rounds or 0) or None  # 0: off, as in XGBoost

        evals = []
        eval_set = list(eval_set or [])
        # The set best_score_ reports: the last one, for LightGBM the last that is not
        # the training data itself (X and y passed again, as LGBMClassifier tells them
        # apart; its early stopping skips them, and is off where no other set is left)
        is_training = training_data(eval_set, X_given, y_given)
        self._training_sets = is_training  # (LightGBM names them "training")
        stopping, self._stopping_set = self._follow(is_training, stopping)
        check_set_weights(eval_sample_weight, len(eval_set))
        for i, pair in enumerate(eval_set):
            if len(pair) != 2:
                raise ValueError("eval_set must be a list of (X, y) pairs")
            if is_training[i]:  # X and y themselves, validated above
                Xv, yv = X, y
            else:
                Xv = self._validate_eval_X(pair[0], f"eval_set[{i}]'s X")
                yv = self._check_y(pair[1], f"eval_set[{i}]'s y")
            check_consistent_length(Xv, yv)
            if yv.shape[1:] != y.shape[1:]:
                raise ValueError(f"eval_set[{i}] has {_label_layout(yv)}, y has "
                                 f"{_label_layout(y)}")
            set_encoder = eval_encoder(encoder, yv, f"eval_set[{i}]")
            swv = None if eval_sample_weight is None else eval_sample_weight[i]
            if swv is not None:  # also refuses weights that are all zero
                try:
                    swv = _weights(swv, Xv)
                except ValueError as exc:  # (scikit-learn's message says sample_weight)
                    raise ValueError(f"the weights of eval_set[{i}]: {exc}") from None
            if is_training[i] and self._EVALUATES_TRAINING_DATA:
                evals.append((X, y_enc, sw))  # _train finds the training data by these
                continue
            evals.append((Xv, encode_labels(set_encoder, yv.ravel()).reshape(yv.shape), swv))
        if fit_params.get("eval_row_margins") is not None:
            starts = list(fit_params["eval_row_margins"])
            if len(starts) != len(evals):
                raise ValueError(f"{self._START_NAMES[1]} needs one entry per eval_set pair")
            fit_params["eval_row_margins"] = [
                None if start is None else _start_margins(start, ev[0].shape[0], outputs,
                                                          f"{self._START_NAMES[1]}[{i}]",
                                                          self._FLAT_START_ORDER,
                                                          self._START_FLOAT32)
                for i, (start, ev) in enumerate(zip(starts, evals, strict=True))]
        if stopping is not None and not evals:
            X, y_enc, sw, row_margins, held_out, held_out_init = self._validation_split(
                X, y_enc, sw, row_margins)
            evals.append(held_out)
            if held_out_init is not None:  # the held-out rows keep their start margins
                fit_params["eval_row_margins"] = [held_out_init]
        if row_margins is not None:
            fit_params["row_margins"] = row_margins
        warn_unweighted_metrics(metrics, any(ev[2] is not None for ev in evals))

        self._train(X, y_enc, sw, evals, n_classes, verbose, metrics, stopping, callbacks,
                    **fit_params)
        self._set_best(evals, metrics, stopping, held_out=not eval_set, callbacks=callbacks,
                       constant=one_class(y_enc))
        return self

    def _continued_classes(self, classes: np.ndarray, fit_params: dict) -> np.ndarray:
        """The classes to fit by: ``classes`` are the labels', ``fit_params`` may hold the
        model to continue (``xgb_model``, ``init_model``).

        A fitted classifier continued on labels of some of its classes keeps its classes
        (a day without fraud continues the fraud model): its trees' margins keep their
        meaning, and ``predict`` stays the argmax of ``predict_proba``. One continued on
        labels of other classes is refused: its trees hold the margins of its classes,
        in its order (a model of "cat", "dog" continued on "dog", "zebra" took "dog"
        for the negative class). A model of one class continued on labels that add
        classes after it is the same binary model. A Booster or a model file does not
        record its classes (a file of FocalXGBClassifier.save_model does): labels of one
        class are read as a binary model's class index, 0 or 1, as XGBClassifier reads
        labels (other labels of one class are refused: which class they are cannot be
        told)."""
        name = "xgb_model" if "xgb_model" in fit_params else "init_model"
        model = fit_params.get(name)
        if model is None or self.n_outputs_ > 1 or getattr(model, "n_outputs_", 1) > 1:
            return classes
        old = self._recorded_classes(model)
        if old is None:  # a Booster or a model file
            if len(classes) != 1:
                return classes
            label = classes[0]
            if classes.dtype.kind in "biuf" and label in (0, 1):
                return np.array([0, 1], dtype=classes.dtype)
            raise ValueError(
                f"y holds one class ({label.item() if hasattr(label, 'item') else label!r}), "
                f"and the {name} given (a Booster or a model file) does not record its "
                f"classes, so which of them it is cannot be told: pass the fitted "
                f"{type(self).__name__} as {name}, or labels 0 or 1 (a binary model's "
                "class indices)")
        old_list, new = np.asarray(old).tolist(), classes.tolist()
        if len(new) < len(old_list) and all(label in old_list for label in new):
            return np.asarray(old)  # (its classes, in its order)
        if len(old_list) > len(new) or old_list != new[:len(old_list)]:
            raise ValueError(f"the model to continue was fitted on the classes {old_list}, y "
                             f"has {new}: continue it on labels of its classes, or fit anew")
        return classes

    def _recorded_classes(self, model) -> np.ndarray | None:
        """The classes a model to continue records: a fitted classifier's ``classes_``;
        None where it records none (a Booster, a model file)."""
        return getattr(model, "classes_", None)

    def _validation_split(self, X, y, sample_weight, row_margins=None):
        """Hold out a ``validation_fraction`` of the rows for early stopping, stratified by
        class (not for multi-label ``y``, whose label combinations can be unique); the
        weights and start margins are split along."""
        fraction = float(self.validation_fraction)  # (train_test_split refuses np.float32)
        optional = [a for a in (sample_weight, row_margins) if a is not None]
        arrays = [X, y, *optional]

        def refused(why: str, change: str | None = "raise") -> ValueError:
            stratified = ", stratified by class" if y.ndim == 1 else ""
            return hold_out_refused(fraction, f"{stratified}, which fails here ({why})",
                                    change)

        if y.ndim == 1:  # scikit-learn would name these classes by their codes
            single = np.flatnonzero(np.bincount(y.astype(np.intp)) == 1)
            if single.size:  # (which no fraction splits)
                raise refused(f"classes with a single row: {self.classes_[single].tolist()}",
                              None)
        seed = self._split_seed()  # (its own errors name the seed)
        try:
            parts = train_test_split(*arrays, test_size=fraction,
                                     stratify=y if y.ndim == 1 else None, random_state=seed)
        except ValueError as exc:
            raise refused(str(exc)) from None
        X_tr, X_va, y_tr, y_va = parts[:4]
        rest = iter(parts[4:])
        w_tr, w_va = (next(rest), next(rest)) if sample_weight is not None else (None, None)
        if w_va is not None and not w_va.sum() > 0:  # every metric would be NaN there
            raise unweighted_hold_out(fraction)
        if w_tr is not None and not w_tr.sum() > 0:
            raise unweighted_hold_out(fraction, trained=True)
        s_tr, s_va = (next(rest), next(rest)) if row_margins is not None else (None, None)
        return X_tr, y_tr, w_tr, s_tr, (X_va, y_va, w_va), s_va

    def _eval_names(self, n_evals: int) -> list[str]:
        """The evaluation sets' names, the keys of ``evals_result_``: those given to
        ``fit`` (LightGBM's ``eval_names``), the rest ``validation_i``, as
        XGBClassifier names them."""
        given = list(getattr(self, "_given_eval_names", ()))[:n_evals]
        return given + [f"validation_{i}" for i in range(len(given), n_evals)]

    def _library_spelling(self, eval_metric, n_classes: int):
        """``eval_metric`` with its names as the library's classifier records them,
        each name once (``"error@0.5"`` is ``"error"``)."""
        return _named_once([library_metric_name(m) for m in _as_list(eval_metric)])

    # Whether the training data passed again in eval_set is evaluated as trained on
    # (the training Dataset itself, its weights and start margins included), as in
    # LGBMClassifier; XGBClassifier builds another DMatrix, weighted by
    # sample_weight_eval_set only
    _EVALUATES_TRAINING_DATA = False

    # Where the metrics of a fit come from, as its errors name them
    _METRIC_PARAMETERS = "eval_metric"

    def _stopping_set_of(self, is_training: list[bool]) -> int | None:
        """The evaluation set early stopping follows, given which ones are the training
        data: the last one, as in XGBoost (-1: none given yet, the held-out rows; None:
        none to follow)."""
        return len(is_training) - 1

    def _follow(self, is_training: list[bool], stopping: int | None):
        """``(stopping, index)``: the early-stopping rounds and the index of the set it
        follows (:meth:`_stopping_set_of`); no early stopping, with a warning, where
        every set is the training data that LightGBM's early stopping skips."""
        index = self._stopping_set_of(is_training)
        if index is not None:
            return stopping, index
        if stopping is not None:
            warnings.warn(
                "early_stopping_rounds: the only evaluation set is the training data, "
                "which LightGBM's early stopping skips (as in LGBMClassifier): all "
                "n_estimators rounds are trained; pass other rows in eval_set",
                UserWarning, stacklevel=caller_level())
        return None, -1

    def _stopping_index(self, n_evals: int) -> int:
        """The index of the evaluation set early stopping follows among ``n_evals``
        (:meth:`_stopping_set_of`; the last one where none was chosen, the held-out rows)."""
        index = getattr(self, "_stopping_set", -1)
        return index if 0 <= index < n_evals else n_evals - 1

    def _set_best(self, evals, metrics, stopping, held_out: bool, callbacks=None,
                  constant: bool = False) -> None:
        """``best_iteration_`` is set by ``_train``; add ``best_score_`` and warnings.
        ``callbacks``: the fit's (an early-stopping one may choose the metric);
        ``constant``: the labels hold one class (each label one value), whose constant
        start is the model: early stopping at its first round is no news."""
        self.stopping_metric_ = self._stopping_metric(metrics, callbacks or [])
        self.best_score_ = None
        rounds = 0  # evaluated rounds of the stopping set
        # the log of every round (one round for LightGBM's constant model; none for
        # n_estimators=0, which has no best score)
        name = self._eval_names(len(evals))[self._stopping_index(len(evals))] if evals else None
        last = self.evals_result_.get(name, {}).get(self.stopping_metric_)
        if last is not None:
            rounds = len(last)
            # a continued model's rounds come first: the log holds this fit's only
            position = self.best_iteration_ - self._start_round
            self.best_score_ = (float(last[position]) if 0 <= position < rounds
                                else self._reported_score(name, self.stopping_metric_))
        # (a continued model whose first new round is its best keeps all its own trees:
        # nothing points at the validation set then; nor does a first round that scores
        # a perfect 1 or 0 there, an AUC of 1 or no error, which no round betters)
        maximised = self._directions(metrics).get(self.stopping_metric_, False)
        perfect = self.best_score_ == (1.0 if maximised else 0.0)
        if (stopping is not None and self.best_iteration_ == self._start_round == 0
                and rounds > 1 and not constant and not perfect):
            if held_out:
                hint = (f"the held-out validation_fraction={self.validation_fraction} has "
                        f"{len(evals[0][1])} rows: raise validation_fraction, or pass eval_set")
            else:
                hint = ("are its rows drawn as the training rows are? An eval_set passed "
                        "through a Pipeline skips the earlier steps: leave eval_set out there, "
                        "and the estimator holds out validation_fraction of the rows itself")
            warnings.warn(
                f"early stopping kept only the first iteration: {self._stalled()} never "
                f"improved after it. Check the validation set ({hint})"
                "; or lower learning_rate or raise early_stopping_rounds",
                UserWarning,
                stacklevel=caller_level(),
            )

    def _stalled(self) -> str:
        """What early stopping found stalled, in a warning."""
        return f"{self.stopping_metric_} on the validation set"

    def _reported_score(self, set_name: str, metric: str) -> float:
        """The score of the best round where the log does not hold it (a callback that
        ended training before the round was recorded): NaN here."""
        return float("nan")

    def _stopping_metric(self, metrics, callbacks=()) -> str:
        """The metric early stopping follows: the last one, as in XGBoost."""
        return metrics[-1].name if metrics else METRIC_NAME

    def _recorded(self, metrics) -> list[str]:
        """The names of the metrics a fit records, in its order: the focal loss, then
        ``metrics``."""
        return [METRIC_NAME, *(m.name for m in metrics)]

    def _directions(self, metrics) -> dict[str, bool]:
        """:meth:`_recorded`'s names, each with whether higher is better."""
        return dict(zip(self._recorded(metrics),
                        [False, *(m.higher_is_better for m in metrics)], strict=True))

    def _seed(self) -> int:
        """The seed handed to the library (:meth:`_draw_seed`), drawn once per fit: the
        booster and the early-stopping hold-out get the same value (two draws from a
        RandomState gave the booster another seed than the plain classifier's)."""
        if "_fit_seed" not in self.__dict__:  # not fitting
            return self._draw_seed()
        if self._fit_seed is None:  # (drawn where first needed: after the checks)
            self._fit_seed = self._draw_seed()
        return self._fit_seed

    @contextlib.contextmanager
    def _one_seed(self):
        """Within it, :meth:`_seed` is one draw."""
        self._fit_seed = None
        try:
            yield
        finally:
            del self._fit_seed

    def _draw_seed(self) -> int:
        """The seed handed to the library, derived as the plain classifiers do: an int as
        given (the libraries take negative and large ones), a draw below 2**31 - 1 from
        a RandomState or Generator; None: 0."""
        rs = self.random_state
        if isinstance(rs, bool):  # (an Integral; both libraries refuse it)
            raise ValueError(f"random_state must be an int, a RandomState, a Generator or "
                             f"None, got {rs!r}")
        if rs is None or isinstance(rs, Integral):
            return 0 if rs is None else int(rs)
        if isinstance(rs, np.random.Generator):
            return int(rs.integers(np.iinfo(np.int32).max))
        return int(check_random_state(rs).randint(np.iinfo(np.int32).max))

    def _split_seed(self) -> int:
        """A seed for the estimator's own draws (the early-stopping hold-out): the
        library seed modulo 2**32, which numpy takes."""
        return self._seed() % 2**32

    def _proba_from_margin(self, margin: np.ndarray) -> np.ndarray:
        """P(class 1) (binary, shape (n,)) or (n, k) (classes, or labels for multi-label):
        posterior or plain link."""
        multilabel = self.n_outputs_ > 1
        margin = check_model_margins(margin, multilabel)
        if self.posterior_correction:
            return self.loss_.predict_proba(margin, multilabel=multilabel)
        return self.loss_.inverse_link(margin, multilabel=multilabel)

    def _metric_values(self, metrics, y, margin, weight) -> list[tuple[str, float, bool]]:
        """``(name, value, higher_is_better)`` of the focal loss and each metric
        (:func:`focal_boost.metrics.metric_values`, on this model's probabilities)."""
        return metric_values(self.loss_, metrics, y, margin, weight,
                             to_proba=self._proba_from_margin,
                             n_threads=self._kernel_threads())

    def _kernel_threads(self) -> int | None:
        """At most this many threads for the focal kernels in a fit: ``n_jobs`` when
        positive (``n_jobs=1`` means one thread, as for the library), else None (the
        kernels' own setting)."""
        return thread_bound(self.n_jobs)

    # ------------------------------------------------------------ predict
    # Fitted state besides the public attributes that predictions read
    _PREDICT_STATE: tuple[str, ...] = ("_category_columns",)
    # The fit parameters of the rows' start margins: the training rows', each eval set's.
    _START_NAMES = ("init_score", "eval_init_score")
    # The library that holds the rows' start margins in float32 (None: float64).
    _START_FLOAT32: str | None = None
    # How a flat array of start margins lists every row's outputs: output by output
    # (LightGBM's init_score), "F"; row by row (XGBoost's base_margin), "C"
    _FLAT_START_ORDER = "F"

    # The prediction options of the library's own classifier that each class takes
    # (XGBoost's iteration_range, LightGBM's num_iteration, raw_score, ...), by method.
    _PREDICT_OPTIONS: dict[str, tuple[str, ...]] = {}
    # Those the library's classifier also takes by position after X, in its order
    # (LGBMClassifier.predict_proba(X, raw_score, start_iteration, ...)), by method.
    _POSITIONAL_OPTIONS: dict[str, tuple[str, ...]] = {}

    def _by_name(self, method: str, args: tuple, options: dict[str, Any]) -> dict[str, Any]:
        """``options`` with the prediction options given by position after X named."""
        order = self._POSITIONAL_OPTIONS.get(method, ())
        where = f"{type(self).__name__}.{method}"
        if len(args) > len(order):
            raise TypeError(f"{where} takes {len(order) + 1} positional argument(s) "
                            f"(X{''.join(', ' + name for name in order)}) but "
                            f"{len(args) + 1} were given; give the prediction options "
                            f"by keyword: {list(self._PREDICT_OPTIONS.get(method, ()))}")
        twice = sorted(set(order[:len(args)]) & set(options))
        if twice:
            raise TypeError(f"{where} got multiple values for argument(s) {twice}")
        return {**dict(zip(order, args, strict=False)), **options}  # args may be fewer

    def _options(self, method: str, options: dict[str, Any]) -> dict[str, Any]:
        allowed = self._PREDICT_OPTIONS.get(method, ())
        unknown = sorted(set(options) - set(allowed))
        if unknown:
            raise TypeError(f"{type(self).__name__}.{method} got unexpected keyword "
                            f"argument(s) {unknown}; it takes {list(allowed) or 'none'}"
                            f"{self._options_hint(unknown)}")
        return options

    def _options_hint(self, unknown: list[str]) -> str:
        """What to give instead of the prediction ``unknown`` options (the other
        library's), after the refusal's text; "" where nothing."""
        return ""

    def _library_output(self, X, options: dict[str, Any]) -> np.ndarray | None:
        """What an option asks for instead of probabilities or labels (margins, leaf
        indices, contributions), as the library's own classifier returns it; None: none."""
        return None

    def _predict_step(self, method: str, X, options: dict[str, Any]):
        """``(other, proba)`` of ``method``: what a library option asks for instead
        (:meth:`_library_output`), else None and the probabilities, (n, n_classes)."""
        check_is_fitted(self)
        options = self._options(method, options)
        X = self._validate_X(X, reset=False, predict=True, by_position=columns_by_position(options))
        other = self._library_output(X, options)
        if other is not None:
            return other, None
        return None, _two_columns(self._proba_from_margin(self._proba_margins(X, **options)))

    def _proba_margins(self, X, **options) -> np.ndarray:
        """The margins :meth:`_predict_step` turns into probabilities: :meth:`_raw_predict`'s,
        or the same in the library's own dtype (the posterior converts a block at a time)."""
        return self._raw_predict(X, **options)

    def decision_function(self, X, *args, **options) -> np.ndarray:
        """Decision scores, whose sign (binary, each label) or argmax (multiclass) is
        :meth:`predict`: shape (n_samples,) for binary, (n_samples, n_classes) multiclass,
        (n_samples, n_labels) multi-label (FocalXGBClassifier).

        With ``posterior_correction=True`` (default) the log-odds (log-probabilities,
        multiclass) of the recovered posterior, :meth:`FocalLoss.decision_function`;
        with False, the raw margins. The raw margins are also what the library's own
        option gives: ``predict(X, output_margin=True)`` (XGBoost),
        ``predict(X, raw_score=True)`` (LightGBM).

        Parameters
        ----------
        X, *args, **options
            As in :meth:`predict_proba`, less its output kinds (XGBoost:
            ``iteration_range``; LightGBM: ``start_iteration``, ``num_iteration``, and
            LightGBM's prediction parameters).

        Returns
        -------
        ndarray of float64
            Shape (n_samples,) binary, (n_samples, n_classes) multiclass,
            (n_samples, n_labels) multi-label (FocalXGBClassifier).
        """
        check_is_fitted(self)
        options = self._options("decision_function",
                                self._by_name("decision_function", args, options))
        X = self._validate_X(X, reset=False, predict=True, by_position=columns_by_position(options))
        margins = self._raw_predict(X, **options)
        if not self.posterior_correction:
            return margins
        multilabel = self.n_outputs_ > 1
        return self.loss_.decision_function(check_model_margins(margins, multilabel),
                                            multilabel=multilabel)

    def predict_proba(self, X, *args, **options) -> np.ndarray:
        """Class probabilities, shape (n_samples, n_classes), rows summing to 1.

        A model of one class has two columns: the class, and a class never seen (~0).

        Multi-label (FocalXGBClassifier): the probability of each label, shape
        (n_samples, n_labels).
        With ``posterior_correction=True`` (default) the focal-trained margins are
        mapped to the class posterior (see :meth:`FocalLoss.predict_proba`); with
        False, the plain sigmoid / softmax of the margins.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame of shape (n_samples, n_features)
            Rows with the features seen in ``fit``.
        *args, **options
            The library's prediction options, as its own classifier takes them
            (XGBoost: ``iteration_range``; LightGBM: ``start_iteration``,
            ``num_iteration``, ``raw_score``, ``pred_leaf``, ``pred_contrib``, and
            LightGBM's prediction parameters, such as ``num_threads``). The output
            kinds (``raw_score``, ``pred_leaf``, ``pred_contrib``) return what the
            plain classifier returns for them.

        Returns
        -------
        ndarray of float64
            Shape (n_samples, n_classes), or (n_samples, n_labels) multi-label
            (FocalXGBClassifier).
        """
        other, proba = self._predict_step("predict_proba", X,
                                          self._by_name("predict_proba", args, options))
        return other if other is not None else proba

    def predict(self, X, *args, **options) -> np.ndarray:
        """Class labels (of the type seen in ``fit``): the argmax of :meth:`predict_proba`.

        Multi-label (FocalXGBClassifier): shape (n_samples, n_labels), 1 where a
        label's probability exceeds 1/2.

        For decisions with costs (a threshold other than 0.5 on binary problems),
        wrap the estimator in scikit-learn's ``FixedThresholdClassifier`` or
        ``TunedThresholdClassifierCV``.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame of shape (n_samples, n_features)
            Rows with the features seen in ``fit``.
        *args, **options
            As in :meth:`predict_proba` (XGBoost's ``output_margin=True`` returns the
            margins, as in XGBClassifier).

        Returns
        -------
        ndarray
            Shape (n_samples,) of ``classes_``' type, or (n_samples, n_labels)
            multi-label (FocalXGBClassifier).
        """
        other, proba = self._predict_step("predict", X, self._by_name("predict", args, options))
        if other is not None:
            return other
        if self.n_outputs_ > 1:  # multi-label: per label, the more probable of 0 and 1
            return self.classes_[(proba > 0.5).astype(np.intp)]
        # one class: the second column is a class never seen, not a label; the one class
        # is every prediction (the argmax from init_score "auto", the focal-optimal start)
        return self.classes_[np.minimum(proba.argmax(axis=1), len(self.classes_) - 1)]


_FOCAL_DOC_PARAMS = """
    gamma : float, default=2.0
        Focal focusing parameter.
    alpha : float, sequence, dict, "balanced" or None, default=None
        Class weights of the focal loss: a float in (0, 1) weighs the positive
        class (binary, and every label of a multi-label ``y`` in FocalXGBClassifier; class 0 gets
        ``1 - alpha``, so RetinaNet's 0.25 *down*-weights class 1); a sequence in
        ``classes_`` order (multi-label: one positive weight in (0, 1) per label)
        or a dict ``{label: weight}`` (a pandas Series is read as one, by label)
        with a weight for every class of ``y`` (and of a model continued with
        ``xgb_model`` / ``init_model``); keys of other labels are ignored, as
        scikit-learn's ``class_weight`` ignores them (a cross-validation fold without a
        rare class);
        "balanced" uses
        ``n_samples / (n_classes * count)``, counting rows (not ``sample_weight``), as
        LGBMClassifier's ``class_weight="balanced"`` does.
    posterior_correction : bool, default=True
        ``predict_proba`` returns the recovered class posterior instead of the
        plain sigmoid/softmax of the focal-trained margin.
    hessian : {"saddle_free", "fisher", "clip", "abs", "exact"}, default="saddle_free"
        How the Hessian handed to the booster is kept positive (see
        :class:`~focal_boost.FocalLoss`); the gradient is always exact.
    init_score : "auto", None, float or array of shape (1,) (binary) or (n_classes,), default="auto"
        Where boosting starts. "auto": the focal-optimal constant margin
        (:meth:`FocalLoss.init_score`), the focal counterpart of XGBClassifier's
        estimated ``base_score`` and LightGBM's ``boost_from_average``: a model with
        few or no effective trees then predicts the base rate (its posterior is the
        class shares), as the plain classifiers do. None: margin 0 (the trees learn
        the offset; see ``benchmarks/QUALITY.md`` for both starts with early
        stopping). A number or an array of shape (1,) (binary: the margin of class 1),
        or one margin per class (multiclass). The model stores its start, so
        predictions include it.
"""
# FocalXGBClassifier's: the same, with where XGBoost's own gamma and alpha went
_XGBOOST_DOC_PARAMS = _FOCAL_DOC_PARAMS.replace(
    "Focal focusing parameter.",
    "Focal focusing parameter (XGBoost's own ``gamma`` is ``min_split_loss``).").replace(
    "``class_weight=\"balanced\"`` does.", "``class_weight=\"balanced\"`` does. "
    "(XGBoost's own ``alpha``, L1\n        regularisation, is ``reg_alpha`` here.)")

_STOPPING_DOC = """    early_stopping_rounds : int or None, default=None
        Stop when the last metric (the focal loss unless ``eval_metric`` says
        otherwise) on the last evaluation set has not improved for this many
        rounds, as XGBClassifier does; FocalLGBMClassifier stops as LGBMClassifier,
        when any metric on any set but the training data has not (the first
        metric only with ``first_metric_only=True``). Predictions then use the best
        iteration. Without ``eval_set`` a
        stratified ``validation_fraction`` of the training rows is held out for it.
        None or 0: no early stopping.
    validation_fraction : float, default=0.1
        Share of the training rows held out for early stopping when ``fit`` gets
        no ``eval_set`` (stratified, seeded by ``random_state``; sample weights
        are split along).
"""

_METRIC_DOC = """eval_metric : str, callable or list of them, default=None
        Validation metrics besides the focal loss, computed on the probabilities
        of ``predict_proba`` (not on raw margins): a library name (``"auc"`` and
        ``"aucpr"``, XGBoost's, :func:`focal_boost.metrics.auc` and
        :func:`~focal_boost.metrics.aucpr`; ``"average_precision"``, ``"auc_mu"``,
        ``"logloss"`` / ``"binary_logloss"``
        / ``"mlogloss"`` / ``"multi_logloss"``, ``"error"`` / ``"merror"`` /
        ``"binary_error"`` / ``"multi_error"``, XGBoost's ``"error@t"``, the binary or
        per-label error at threshold t) or a callable
        ``f(y_true, y_score[, sample_weight]) -> float`` taking class indices and
        P(class 1) (binary) or the probability matrix, such as
        ``sklearn.metrics.average_precision_score``; a name ending in ``_score`` or
        starting with ``auc``, ``roc_auc``, ``pr_auc``, ``average_precision``,
        ``accuracy``, ``f1``, ``precision``, ``recall`` or ``matthews_corrcoef`` is
        maximised. XGBoost's early stopping follows the last one.
        A metric that raises makes ``fit`` raise, as in the plain classifiers; one
        undefined on the validation set (an AUC of one class) is NaN."""

_ATTRIBUTES_DOC = """
    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        ``[0, 1]`` for a multi-label ``y`` (FocalXGBClassifier).
    n_classes_ : int
    n_outputs_ : int
        The number of labels of a multi-label ``y`` (FocalXGBClassifier), else 1.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Present when ``X`` was a DataFrame.
    loss_ : FocalLoss
        The loss trained on (``alpha`` resolved to per-class weights).
    booster_ : Booster
        The library's model; its raw margins include the intercept.
    best_iteration_ : int
        The best round with early stopping, else the last one (0-based, as
        XGBClassifier's ``best_iteration``; LGBMClassifier's ``best_iteration_``
        counts from 1, and is 0 without early stopping).
    best_score_ : float or None
        Value of ``stopping_metric_`` on the last evaluation set (LightGBM: the last
        that is not the training data) at ``best_iteration_`` (None without
        evaluation sets; for LightGBM's constant model, where no feature can be
        split, its value on that set). One number, not LGBMClassifier's
        ``{set: {metric: value}}``.
    stopping_metric_ : str
        The last metric, or the first with LightGBM's ``first_metric_only``: the
        one XGBoost's early stopping follows (LightGBM's follows them all).
    evals_result_ : dict
        ``{name: {metric: [value per round]}}``, the sets named as the library's own
        classifier names them: ``validation_i`` (FocalXGBClassifier);
        ``eval_names``, else ``valid_i``, and ``training`` for the training data
        passed again, through ``eval_X`` as through ``eval_set`` (FocalLGBMClassifier;
        LGBMClassifier 4.7 names it ``valid_i`` given through ``eval_X``, and
        evaluates it; FocalDaskLGBMClassifier: ``valid_i``, as DaskLGBMClassifier).
    feature_importances_ : ndarray of shape (n_features,)
"""


class FocalXGBClassifier(_FocalClassifierBase):
    __doc__ = f"""XGBoost classifier trained on focal loss.

    Binary, multiclass, and multi-label with a 2-D 0/1 ``y`` (one sigmoid focal
    loss per label on XGBoost's multi-output models, as XGBClassifier fits them;
    ``multi_strategy`` passes through).

    Parameters
    ----------{_XGBOOST_DOC_PARAMS}    n_estimators : int, default=100
        Boosting rounds.
    learning_rate, max_depth, min_child_weight, subsample, colsample_bytree : default=None
        As in :class:`xgboost.XGBClassifier`; None: XGBoost's default for the booster
        (trees: 0.3, 6, 1, 1, 1; gblinear: learning rate 0.5).
    reg_lambda, reg_alpha, max_bin, tree_method : default=None
        As in :class:`xgboost.XGBClassifier`; None: XGBoost's default for the booster
        (trees: 1, 0, 256, "hist"; gblinear: reg_lambda 0).
    random_state : int, RandomState, Generator or None, default=None
        XGBoost's ``seed``, as XGBClassifier derives it (any int; a RandomState or
        Generator: one draw from it per fit); also seeds the held-out rows of early
        stopping.
    n_jobs : int or None, default=None
        Threads (XGBoost's ``nthread``).
{_STOPPING_DOC}    {_METRIC_DOC}
    callbacks : list of xgboost.callback.TrainingCallback, default=None
        Passed to ``xgb.train``.
    importance_type : str, default=None
        ``feature_importances_`` as in XGBClassifier: "gain" (None, tree
        boosters) or "weight" (None, gblinear), "cover", "total_gain",
        "total_cover"; normalised to sum 1.
    enable_categorical : bool or None, default=True
        Take pandas ``category`` columns as categories (XGBoost's DMatrix
        parameter); False (or None, as XGBClassifier reads it) refuses X with such
        columns. True is XGBClassifier's default from XGBoost 3.4 (before it,
        False), here on every version.
    missing : float, default=np.nan
        The value that marks a missing entry.
    **kwargs
        Any other XGBoost training parameter (``booster``, ``max_cat_to_onehot``,
        ``multi_strategy``, ...), passed through; ``feature_types`` goes to the
        DMatrix.
{_ATTRIBUTES_DOC}
    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from focal_boost import FocalXGBClassifier
    >>> X, y = make_classification(1000, weights=[0.9], random_state=0)
    >>> clf = FocalXGBClassifier(gamma=2.0, n_estimators=20).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    """

    _REJECTED_PARAMS = {
        **_FocalClassifierBase._REJECTED_PARAMS,
        "base_score": "the start of boosting is init_score ('auto': the focal-optimal "
                      "constant, None: margin 0)",
        **{key: "the number of rounds is n_estimators" for key in (
            "num_boost_round", "num_round", "num_rounds", "nrounds", "num_iterations",
            "n_iter")},
        "xgb_model": "the model to continue is a fit parameter, as in XGBClassifier.fit: "
                     "fit(X, y, xgb_model=...)",
        "obj": "the objective is the focal loss: set gamma and alpha",
    }

    # As XGBClassifier takes them (None: XGBoost's default).
    _parameter_constraints: dict = {
        **_FocalClassifierBase._parameter_constraints,
        # 0: the start only; None: XGBoost's default, 100
        "n_estimators": [None, Interval(Integral, 0, None, closed="left")],
        "learning_rate": [None, Interval(Real, 0, None, closed="left")],
        "max_depth": [None, Interval(Integral, 0, None, closed="left")],  # 0: no limit
        "min_child_weight": [None, Interval(Real, 0, None, closed="left")],
        "subsample": [None, Interval(Real, 0, 1, closed="both")],
        "colsample_bytree": [None, Interval(Real, 0, 1, closed="both")],
        "reg_lambda": [None, Interval(Real, 0, None, closed="left")],
        "reg_alpha": [None, Interval(Real, 0, None, closed="left")],
        "max_bin": [None, Interval(Integral, 2, None, closed="left")],
        "tree_method": [None, StrOptions({"auto", "exact", "approx", "hist"})],
        "eval_metric": [None, str, callable, list, tuple],
        "callbacks": [None, list, tuple],
        "importance_type": [None, StrOptions({"gain", "weight", "cover", "total_gain",
                                              "total_cover"})],
        "enable_categorical": ["boolean", Interval(Integral, 0, 1, closed="both"), None],
        "missing": [Real],
    }

    def __init__(
        self,
        gamma: float = 2.0,
        alpha=None,
        *,
        posterior_correction: bool = True,
        hessian: str = "saddle_free",
        init_score="auto",
        n_estimators: int = 100,
        learning_rate: float | None = None,
        max_depth: int | None = None,
        min_child_weight: float | None = None,
        subsample: float | None = None,
        colsample_bytree: float | None = None,
        reg_lambda: float | None = None,
        reg_alpha: float | None = None,
        max_bin: int | None = None,
        tree_method: str | None = None,
        random_state=None,
        n_jobs: int | None = None,
        early_stopping_rounds: int | None = None,
        validation_fraction: float = 0.1,
        eval_metric=None,
        callbacks: list | None = None,
        importance_type: str | None = None,
        enable_categorical: bool | None = True,
        missing: float = np.nan,
        **kwargs: Any,
    ) -> None:
        self.gamma = gamma
        self.alpha = alpha
        self.posterior_correction = posterior_correction
        self.hessian = hessian
        self.init_score = init_score
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.max_depth = max_depth
        self.min_child_weight = min_child_weight
        self.subsample = subsample
        self.colsample_bytree = colsample_bytree
        self.reg_lambda = reg_lambda
        self.reg_alpha = reg_alpha
        self.max_bin = max_bin
        self.tree_method = tree_method
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.early_stopping_rounds = early_stopping_rounds
        self.validation_fraction = validation_fraction
        self.eval_metric = eval_metric
        self.callbacks = callbacks
        self.importance_type = importance_type
        self.enable_categorical = enable_categorical
        self.missing = missing
        super().__init__(**kwargs)

    _MULTI_LABEL = True
    _BOOSTER_NAMES = XGBOOST_NAMES
    _LIBRARY = "XGBoost"

    _INF_HINT = ("XGBoost takes an infinite value only as the missing value: set "
                 "missing=np.inf to treat inf as missing (as XGBClassifier does; "
                 "missing=-np.inf for -inf, where the data holds one sign of infinity), or "
                 "replace it")

    def _check_infinities(self, columns_of: Callable[[float | None], list], name: str) -> None:
        # missing=inf lets every value through scikit-learn's checks; XGBoost refuses
        # the other infinity with a C++ check that says missing is not set to inf
        linear = self._extra_param("booster") == "gblinear"
        if not np.isinf(self.missing) or (self.tree_method == "exact" and not linear):
            return  # (exact trees read no quantiles: they split on it)
        other = columns_of(-np.sign(self.missing))
        if other:
            value = "-inf" if self.missing > 0 else "inf"
            why = ("booster='gblinear' multiplies it by a coefficient, which makes the "
                   "margins NaN (XGBClassifier predicts NaN)" if linear else
                   "XGBoost takes one infinite value as its missing value and refuses the "
                   "other")
            raise ValueError(f"{name} contains {value} in column(s) {shown_names(other)}, which "
                             f"missing={self.missing} does not mark as missing: {why}; "
                             "replace them (with NaN, missing)")

    # the training data's category levels (a predict holds them: Dask's workers too)
    _PREDICT_STATE = ("_category_columns", "_category_levels")

    def _check_categories(self, X, *, reset: bool, name: str):
        X = super()._check_categories(X, reset=reset, name=name)
        if reset:
            self._category_levels = category_levels(X)
            return X
        return known_categories(X, getattr(self, "_category_levels", None), name)

    def _continue_categories(self, X, fit_params: dict):
        levels = self._continued_levels(fit_params, X.columns if _is_dataframe(X) else None)
        if levels is None:
            return X
        self._category_levels = levels
        return known_categories(X, levels, "X")  # (XGBoost re-codes the rows by them)

    def _continued_levels(self, fit_params: dict, columns) -> dict[str, Any] | None:
        """The category levels of the model to continue (``xgb_model``) by X's
        ``columns``: a fitted estimator's, or a Booster's (None: no model, or levels
        that cannot be read: XGBoost's own need pyarrow)."""
        model = fit_params.get("xgb_model")
        if model is None or columns is None:
            return None
        from focal_boost import xgboost as fxgb

        levels = getattr(model, "_category_levels", None)
        if levels is not None:  # by the position of its features, as XGBoost reads X
            return fxgb.levels_by_position(levels, model.feature_names_in_, columns)
        return fxgb.category_levels(fxgb.to_booster(model), columns)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # category columns are taken only with enable_categorical (as XGBClassifier's tag)
        tags.input_tags.categorical = bool(self.enable_categorical)
        return tags

    def _ensure_all_finite(self) -> str | bool:
        # missing=inf (or -inf): XGBoost takes that value as missing and checks the rest
        return False if np.isinf(self.missing) else "allow-nan"

    _START_NAMES = ("base_margin", "base_margin_eval_set")
    _START_FLOAT32 = "XGBoost"
    _FLAT_START_ORDER = "C"

    _GAMMA_HINT = ". XGBoost's own gamma is min_split_loss: pass that name"

    @_unchanged_if_failed
    def fit(self, X, y, sample_weight=None, eval_set=None, eval_sample_weight=None,
            verbose: bool | int = False, *, xgb_model=None, base_margin=None,
            sample_weight_eval_set=None, base_margin_eval_set=None, feature_weights=None):
        # docstring: after the classes
        if feature_weights is not None:  # XGBClassifier still takes it, deprecated
            raise TypeError(f"{type(self).__name__} takes feature_weights in the "
                            "constructor or set_params, not in fit (XGBClassifier.fit's "
                            "is deprecated for the same reason)")
        if sample_weight_eval_set is not None:  # XGBClassifier's name of eval_sample_weight
            if eval_sample_weight is not None:
                raise ValueError("pass eval_sample_weight or sample_weight_eval_set (its "
                                 "name in XGBClassifier.fit), not both")
            if eval_set is None or len(sample_weight_eval_set) != len(eval_set):
                raise ValueError("sample_weight_eval_set needs one entry per eval_set pair")
            eval_sample_weight = sample_weight_eval_set
        if base_margin_eval_set is not None and not eval_set:
            raise ValueError("base_margin_eval_set needs eval_set: one start per set")
        more = {key: value for key, value in (("xgb_model", xgb_model),
                                              ("eval_row_margins", base_margin_eval_set))
                if value is not None}
        return self._fit(X, y, sample_weight, eval_set, eval_sample_weight, verbose,
                         self.eval_metric, self.callbacks, row_margins=base_margin,
                         **more)

    def _draw_seed(self) -> int:
        # XGBoost's own spelling seed= wins over random_state (XGBClassifier hands both
        # on and XGBoost applies them in name order), for the booster and the
        # early-stopping hold-out alike
        seed = self._extra_param("seed")
        return super()._draw_seed() if seed is None else _integer_seed("seed", seed)

    def _extra_param(self, name: str) -> Any:
        """A keyword argument given under XGBoost's own name (None: not given)."""
        return getattr(self, name, None) if name in self._extra_param_names() else None

    def _n_threads(self) -> int | None:
        """XGBoost's ``nthread``: the keyword nthread= wins over n_jobs, as in
        XGBClassifier (XGBoost applies both spellings in name order)."""
        nthread = self._extra_param("nthread")
        return self.n_jobs if nthread is None else nthread

    def _kernel_threads(self) -> int | None:
        return thread_bound(self._n_threads())  # ("2" too, as XGBoost reads it)

    def _dmatrix_kwargs(self) -> dict[str, Any]:
        """The DMatrix keywords of the model's data, in training and prediction alike."""
        return {
            "missing": self.missing,
            "feature_names": feature_names(self, **self._BOOSTER_NAMES),
            "feature_types": self._extra_param("feature_types"),
            "enable_categorical": self.enable_categorical,
        }

    def _xgboost_params(self, n_classes: int) -> tuple[dict[str, Any], dict[str, Any]]:
        """Training parameters for ``n_classes`` classes, and the DMatrix keywords."""
        extra = self._booster_extra_params()
        extra.pop("feature_types", None)  # (a DMatrix keyword)
        data_kwargs = {
            **self._dmatrix_kwargs(),
            # a DMatrix field, as XGBClassifier(feature_weights=...) hands it on
            "feature_weights": extra.pop("feature_weights", None),
        }
        named = {
            "eta": self.learning_rate,
            "max_depth": self.max_depth,
            "min_child_weight": self.min_child_weight,
            "subsample": self.subsample,
            "colsample_bytree": self.colsample_bytree,
            "lambda": self.reg_lambda,
            "alpha": self.reg_alpha,
            "max_bin": self.max_bin,
            "tree_method": self.tree_method,
        }
        # None (the default) leaves a value to XGBoost, as XGBClassifier does: the
        # booster's own default (gblinear's learning rate is 0.5, its lambda 0; a value
        # equal to the tree booster's default, once left out, trained gblinear with its
        # defaults instead). A keyword under XGBoost's name of a named parameter (eta=,
        # lambda=) applies where the named one is None; a named value that is set wins,
        # as in XGBClassifier. seed= and nthread= win over random_state and n_jobs
        # (XGBoost applies the spellings XGBClassifier hands on in name order).
        params = {**extra, **{key: value for key, value in named.items() if value is not None}}
        params["seed"] = self._seed()
        if self._n_threads() is not None:
            params["nthread"] = self._n_threads()
        if n_classes > 2:
            params["num_class"] = n_classes
        self._constraints_by_booster_names(params, data_kwargs["feature_names"])
        return params, data_kwargs

    def _constraints_by_booster_names(self, params: dict[str, Any], booster_names) -> None:
        """Constraints that name features by the user's names, renamed where the booster
        takes XGBoost's default names (it refuses the user's: :meth:`_warn_booster_names`);
        XGBoost refused them as "not a subset of training data feature names"."""
        names = getattr(self, "feature_names_in_", None)
        if names is None or booster_names is None or list(map(str, names)) == booster_names:
            return
        rename = dict(zip(map(str, names), booster_names, strict=True))
        given = params.get("monotone_constraints")
        if isinstance(given, dict):
            params["monotone_constraints"] = {rename.get(str(k), k): v for k, v in given.items()}
        given = params.get("interaction_constraints")
        if isinstance(given, list | tuple):
            params["interaction_constraints"] = [
                [rename.get(f, f) if isinstance(f, str) else f for f in group]
                for group in given]

    @staticmethod
    def _check_category_columns(params: dict, X, feature_types=None) -> None:
        """Refuse category columns of a DataFrame ``X``, or features ``feature_types``
        marks "c", that the booster cannot train on, before XGBoost's own check in C++ (a
        stack trace that names no column): categories are on here by default
        (``enable_categorical``). (Neither booster refused here trains on Dask, whose
        estimator refuses it first.)"""
        columns = ([str(name) for name, dtype in X.dtypes.items() if str(dtype) == "category"]
                   if _is_dataframe(X) else [])
        if isinstance(feature_types, list | tuple):  # (not a continued model's categories)
            names = (list(map(str, X.columns)) if _is_dataframe(X)
                     else [f"f{i}" for i in range(len(feature_types))])
            columns += [name for name, kind in zip(names, feature_types, strict=False)
                        if kind == "c" and name not in columns]
        if not columns:
            return
        if params.get("tree_method") == "exact":
            raise ValueError("tree_method='exact' takes no categorical features: use "
                             "tree_method='hist' (the default) or 'approx'")
        if params.get("booster") == "gblinear":
            raise ValueError(f"booster='gblinear' takes no categorical features, and X has "
                             f"{len(columns)} category column(s) ({shown_names(columns)}): encode "
                             "them as numbers (e.g. one-hot) or use booster='gbtree'")

    def _train(self, X, y, sample_weight, evals, n_classes, verbose, metrics, stopping,
               callbacks, xgb_model=None, row_margins=None, eval_row_margins=None) -> None:
        from focal_boost import xgboost as fxgb  # first: its ImportError names the extra

        xgb = fxgb.xgb

        params, data_kwargs = self._xgboost_params(n_classes)
        self._check_category_columns(params, X, data_kwargs.get("feature_types"))
        # (a saved model was read by _read_model)
        self._start_round = fxgb.num_rounds(xgb_model)  # rounds before this fit's
        categories = None  # the category levels the trees' codes stand for
        continued = None if xgb_model is None else fxgb.to_booster(xgb_model)
        # (gblinear has no categories: XGBoost refuses to retrieve them, and
        # XGBClassifier fails continuing one on a DataFrame so)
        if (continued is not None and _is_dataframe(X)
                and fxgb.booster_type(continued) != "gblinear"):
            # the categories coded as the continued model codes them, as XGBClassifier.fit
            # re-codes X (a column whose categories come in another order would train the
            # new trees on other codes)
            categories = continued.get_categories()
            if not categories.empty():
                data_kwargs["feature_types"] = categories
        # Histogram trees train from quantiles of the data, as in XGBClassifier: the
        # quantile DMatrix builds them without a copy of X in XGBoost's own format.
        quantile = fxgb.uses_quantile_data(params)

        def build(X, y, w, ref, margin):
            X = fxgb.native_byte_order(X)
            kwargs = data_kwargs
            if (ref is not None and _is_dataframe(X) and categories is not None
                    and not categories.empty()):
                # an evaluation frame's categories coded by their values as the
                # training data's, as XGBClassifier codes them (a level the training
                # data lacks shifted the codes after it: the metrics, and early
                # stopping, read other categories)
                kwargs = {**data_kwargs, "feature_types": categories}
            if quantile:
                try:
                    return xgb.QuantileDMatrix(X, label=y, weight=w, ref=ref,
                                               base_margin=margin,
                                               max_bin=params.get("max_bin"),
                                               nthread=thread_count(self._n_threads()),
                                               **kwargs)
                except TypeError:  # an input type only DMatrix takes (as XGBClassifier)
                    pass
            return xgb.DMatrix(X, label=y, weight=w, base_margin=margin,
                               nthread=thread_count(self._n_threads()), **kwargs)

        # The objective and metrics read labels from the arrays the DMatrices are built
        # from (float32, as XGBoost keeps them), not from a copy read back from XGBoost.
        labels = fxgb.DMatrixLabels()

        def dmatrix(X, y, w, ref=None, margin=None):
            dmat = build(X, y, w, ref, margin)
            if ref is not None and dmat.feature_names != ref.feature_names:
                # an evaluation set's X is read by position as the training data's, as
                # predict reads X (_validate_X checked it): a DataFrame's names where the
                # training data had none became the booster's, and training refused
                # itself ("data did not contain feature names"); its types too, and the
                # trees split a categorical column's codes as numbers, as predict reads
                # them, where get_dump then failed ("numerical but tree node is
                # categorical")
                dmat.feature_names = ref.feature_names
                dmat.feature_types = ref.feature_types
            labels.add(dmat, y)
            return dmat

        dtrain = dmatrix(X, y, sample_weight, margin=row_margins)
        quantile = isinstance(dtrain, xgb.QuantileDMatrix)  # validation sets use its bins
        if categories is None or categories.empty():
            categories = dtrain.get_categories()
        margins = list(eval_row_margins or []) + [None] * len(evals)
        training = list(self._training_sets) + [False] * len(evals)  # (the hold-out: not)

        def evaluated(i, ev):
            # The training data passed again, neither it nor the training data weighted
            # or given start margins: the training DMatrix itself, as XGBClassifier
            # reuses it (a second quantile DMatrix of X doubled the time and memory of
            # building the data)
            if (training[i] and ev[2] is None and sample_weight is None
                    and margins[i] is None and row_margins is None):
                return dtrain
            return dmatrix(*ev, ref=dtrain, margin=margins[i])

        dmats = [(evaluated(i, ev), name)
                 for i, (ev, name) in enumerate(zip(evals, self._eval_names(len(evals)),
                                                    strict=True))]
        fxgb.check_callbacks(callbacks, self._recorded(metrics))
        evals_result: dict = {}
        with fxgb.directed_callbacks(callbacks, self._directions(metrics)) as callbacks:
            booster = fxgb.train(
                params, dtrain, self.loss_, num_boost_round=self.get_num_boosting_rounds(),
                evals=dmats,
                early_stopping_rounds=stopping, verbose_eval=verbose,
                evals_result=evals_result, callbacks=callbacks, init_score=self.init_score,
                xgb_model=xgb_model, labels=labels,
                warn_other_loss=self.posterior_correction,
                **self._xgboost_metric(metrics, labels),
            )
        self._set_booster(booster, evals_result)

    def _stopping_callback(self, callbacks=None):
        """The ``xgb.callback.EarlyStopping`` among ``callbacks`` (the fit's; None: the
        ``callbacks`` parameter's), None where there is none."""
        from focal_boost import xgboost as fxgb  # first: its ImportError names the extra

        xgb = fxgb.xgb

        given = self.callbacks if callbacks is None else callbacks
        return next((callback for callback in given or []
                     if isinstance(callback, xgb.callback.EarlyStopping)), None)

    def _stopping_metric(self, metrics, callbacks=()) -> str:
        # an EarlyStopping callback's metric_name, as XGBClassifier's best_score reads it
        callback = self._stopping_callback(callbacks)
        if callback is not None and callback.metric_name is not None:
            return callback.metric_name
        return super()._stopping_metric(metrics)

    def _stopping_index(self, n_evals: int) -> int:
        # an EarlyStopping callback's data_name (the last set unless it names one)
        callback = self._stopping_callback()
        names = self._eval_names(n_evals)
        data_name = getattr(callback, "data", None)  # (EarlyStopping keeps data_name there)
        if data_name in names:
            return names.index(data_name)
        return super()._stopping_index(n_evals)

    def _xgboost_metric(self, metrics, labels) -> dict[str, Any]:
        """``custom_metric`` (the focal loss, then ``metrics``) and ``maximize`` for
        xgb.train; ``labels`` reads the labels and weights of a DMatrix of the fit."""

        def custom_metric(predt, dmat):
            y, w = labels(dmat)
            values = self._metric_values(metrics, y, predt, w)
            return [(name, value) for name, value, _ in values]

        return {"custom_metric": custom_metric,
                "maximize": bool(metrics and metrics[-1].higher_is_better)}

    def _set_booster(self, booster, evals_result: dict) -> None:
        from focal_boost import xgboost as fxgb

        self.booster_ = booster
        self.evals_result_ = evals_result
        self.best_iteration_ = fxgb.best_iteration(booster)

    _PREDICT_OPTIONS = {
        "decision_function": ("iteration_range", "validate_features"),
        "predict_proba": ("iteration_range", "validate_features"),
        "predict": ("iteration_range", "validate_features", "output_margin"),
    }
    # XGBClassifier.predict takes its options by keyword only
    _POSITIONAL_OPTIONS = {"predict_proba": ("validate_features", "base_margin",
                                             "iteration_range")}
    # scikit-learn's metadata routing (set_predict_proba_request, ...) learns a method's
    # parameters from its signature, which shows only **options: declare them.
    __metadata_request__decision_function = dict.fromkeys(_PREDICT_OPTIONS["decision_function"])
    __metadata_request__predict_proba = dict.fromkeys(_PREDICT_OPTIONS["predict_proba"])
    __metadata_request__predict = dict.fromkeys(_PREDICT_OPTIONS["predict"])

    def _options(self, method: str, options: dict[str, Any]) -> dict[str, Any]:
        # base_margin=None is XGBClassifier's default, no start margins; others are
        # refused (they would replace the intercept)
        if "base_margin" in options and options["base_margin"] is None:
            options = {k: v for k, v in options.items() if k != "base_margin"}
        return super()._options(method, options)

    def _library_output(self, X, options: dict[str, Any]) -> np.ndarray | None:
        if options.pop("output_margin", False):  # XGBClassifier.predict's margins
            return self._raw_predict(X, **options)
        return None

    def _iteration_range(self, iteration_range) -> tuple[int, int]:
        """``iteration_range`` as XGBClassifier reads it: None, or any range that ends at
        0 (``(0, 0)``), is up to the best iteration (every tree without early stopping)."""
        if iteration_range is None or iteration_range[1] == 0:
            return (0, self.best_iteration_ + 1)
        return tuple(iteration_range)

    def _raw_predict(self, X, iteration_range=None, validate_features=True) -> np.ndarray:
        """Margins of the trees in ``iteration_range`` (default: up to the best
        iteration); the intercept (``base_score``) is in every range."""
        return np.asarray(self._proba_margins(X, iteration_range, validate_features),
                          dtype=np.float64)

    def _proba_margins(self, X, iteration_range=None, validate_features=True) -> np.ndarray:
        # XGBoost's float32 margins, which the posterior converts a block at a time
        # (library_margins)
        from focal_boost import xgboost as fxgb

        iteration_range = self._iteration_range(iteration_range)
        # feature names were checked by validate_data (and may differ from the
        # booster's where XGBoost refused the DataFrame's own): validate_features,
        # which XGBClassifier takes, has nothing left to check
        return fxgb.library_margins(self.booster_, X, missing=self.missing,
                                    iteration_range=tuple(iteration_range),
                                    validate_features=False)

    def _options_hint(self, unknown: list[str]) -> str:
        hints = []
        if "base_margin" in unknown:  # (XGBClassifier's, positional there too)
            hints.append("base_margin: the model's margins are predict(X, "
                         "output_margin=True), its own start included (the intercept, 0 "
                         "for a model fitted with base_margin); add start margins to them")
        lightgbm = sorted(set(unknown) & set(FocalLGBMClassifier._NAMED_OPTIONS))
        if lightgbm:
            hints.append(f"{', '.join(lightgbm)}: FocalLGBMClassifier's; the margins here "
                         "are predict(X, output_margin=True), the leaves apply(X), the "
                         "rounds iteration_range")
        return f" ({'; '.join(hints)})" if hints else ""

    def get_xgb_params(self) -> dict[str, Any]:
        """The parameters handed to ``xgb.train`` (as ``XGBClassifier.get_xgb_params``),
        XGBoost's names, without the objective (the focal loss), ``num_class`` and the
        start margin.

        ``focal_boost.xgboost.train(params, dtrain, self.loss_, n_rounds)``, with
        ``num_class`` added for more than two classes, trains this model again on the
        same rows (it finds the start as ``fit`` does). ``xgb.train`` / ``xgb.cv``
        given them alone train XGBoost's default regression; they also need
        ``obj=focal_boost.xgboost.objective(self.loss_)``, the start as ``base_score``
        (a tree model's ``intercept_``: XGBoost starts a custom objective at margin
        0.5) and ``disable_default_eval_metric=True`` (its default metric reads
        margins), with ``custom_metric=focal_boost.xgboost.metric(self.loss_)`` to
        evaluate the focal loss."""
        params, _ = self._xgboost_params(2)
        return params

    def get_booster(self):
        """The trained ``xgboost.Booster`` (as in XGBClassifier)."""
        check_is_fitted(self)
        return self.booster_

    def get_num_boosting_rounds(self) -> int:
        """The boosting rounds a fit adds: ``n_estimators``, 100 when None (as in
        XGBClassifier)."""
        return 100 if self.n_estimators is None else self.n_estimators

    def apply(self, X, iteration_range=None) -> np.ndarray:
        """The leaf of every tree each row falls in (as ``XGBClassifier.apply``).

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame of shape (n_samples, n_features)
            Rows with the features seen in ``fit``.
        iteration_range : (int, int), default=None
            The rounds whose trees to use; None: up to the best iteration.

        Returns
        -------
        ndarray of shape (n_samples, n_trees)
        """
        from focal_boost import xgboost as fxgb  # first: its ImportError names the extra

        xgb = fxgb.xgb

        check_is_fitted(self)
        X = self._validate_X(X, reset=False, predict=True)
        iteration_range = self._iteration_range(iteration_range)
        # (not the training parameters: set_params since, a seed drawn, do not matter here)
        dmat = xgb.DMatrix(fxgb.native_byte_order(X), nthread=thread_count(self._n_threads()),
                           **self._dmatrix_kwargs())
        return self.booster_.predict(dmat, pred_leaf=True,
                                     iteration_range=tuple(iteration_range))

    def save_model(self, fname) -> None:
        """Save the model in XGBoost's format, JSON or UBJSON by the file's suffix (as
        ``XGBClassifier.save_model``).

        The file holds the Booster with the loss (``focal_boost.xgboost.predict_proba``
        reads it) and what predictions need besides (``classes_``, the features,
        ``best_score_``, the parameters that change predictions: ``posterior_correction``,
        ``missing``, and ``alpha`` as given, e.g. "balanced"); :meth:`load_model`
        restores a fitted estimator from it that predicts as this one.
        ``evals_result_`` is not kept, as in XGBClassifier. Labels must be numbers,
        strings or booleans (pickle the estimator for other types).

        Parameters
        ----------
        fname : str or path-like
            The file to write; ``.json`` for JSON, ``.ubj`` for UBJSON.
        """
        check_is_fitted(self)
        classes = self.classes_.tolist()
        if not all(isinstance(c, bool | int | float | str) for c in classes):
            kinds = sorted({type(c).__name__ for c in classes})
            raise TypeError(f"save_model stores labels that are numbers, strings or "
                            f"booleans; classes_ holds {kinds}: pickle the estimator")
        names = getattr(self, "feature_names_in_", None)
        meta = {"classes": classes, "classes_dtype": self.classes_.dtype.str,
                "n_outputs": self.n_outputs_, "n_features_in": self.n_features_in_,
                "feature_names_in": None if names is None else names.tolist(),
                "best_score": self.best_score_, "stopping_metric": self.stopping_metric_,
                "categories": _json_levels(getattr(self, "_category_levels", None)),
                "params": {"posterior_correction": bool(self.posterior_correction),
                           "missing": float(self.missing),
                           # alpha as given where JSON keeps it (a dict's labels would
                           # become strings: the loss's resolved weights stand for it)
                           "alpha": self.alpha if self.alpha is None or isinstance(
                               self.alpha, str | int | float) else None}}
        from focal_boost.xgboost import ESTIMATOR_ATTR

        # on a copy: set on the fitted booster and cleared after, the attribute was
        # cleared under another thread's save (a quarter of the files of 4 threads'
        # saves lost the classes), and a pickle taken meanwhile kept it
        booster = self.booster_.copy()
        booster.set_attr(**{ESTIMATOR_ATTR: json.dumps(meta)})
        booster.save_model(fname)

    def load_model(self, fname) -> FocalXGBClassifier:
        """Load a model saved by :meth:`save_model`, or a Booster file of
        ``focal_boost.xgboost.train`` (classes ``0 .. k-1`` then), into this estimator
        (as ``XGBClassifier.load_model``): ``gamma``, ``alpha``, ``booster``,
        ``posterior_correction`` and ``missing`` become the saved model's, so that it
        predicts as the saved one; the other parameters stay this estimator's.

        Parameters
        ----------
        fname : str, path-like, bytes or bytearray
            The file, or its bytes (a raw buffer as ``XGBClassifier.load_model`` takes).

        Returns
        -------
        self
        """
        from focal_boost import xgboost as fxgb  # first: its ImportError names the extra

        booster = fxgb.load_booster(fname)
        source = "the model bytes" if isinstance(fname, bytes | bytearray) else f"{fname!s}"
        try:
            loss = fxgb.stored_loss(booster, missing_ok=True)
        except ValueError as exc:
            raise ValueError(f"{source}: {exc}") from None
        if loss is None:
            raise ValueError(
                f"{source} holds no focal loss: it was saved neither by "
                "FocalXGBClassifier.save_model nor from focal_boost.xgboost.train (a "
                "plain XGBClassifier's model loads with XGBClassifier.load_model)")
        stored = booster.attr(fxgb.ESTIMATOR_ATTR)
        booster.set_attr(**{fxgb.ESTIMATOR_ATTR: None})
        k = fxgb.n_outputs(booster)
        if stored is not None:
            meta = _saved_meta(stored, k, source, loss)
        else:  # a native Booster: what its file tells
            multilabel = fxgb.is_multilabel(booster)
            names = booster.feature_names
            meta = {"classes": list(range(2 if k == 1 or multilabel else k)),
                    "classes_dtype": np.dtype(np.int64).str,
                    "n_outputs": k if multilabel else 1,
                    "n_features_in": booster.num_features(),
                    "feature_names_in": names or None,  # (f0, f1, ... too, as
                    # XGBClassifier keeps them: a DataFrame of those columns trained it)
                    "best_score": None if booster.attr("best_score") is None
                    else float(booster.attr("best_score")), "stopping_metric": METRIC_NAME}
        self.classes_ = _saved_classes(meta)
        self.n_classes_ = len(self.classes_)
        self._category_levels = _loaded_levels(meta.get("categories"))  # (files before
        # it: none)
        # the features trained as categories, by the booster's own feature types (a
        # model of a DataFrame: else none is recorded, and none is checked)
        types = booster.feature_types
        if meta["feature_names_in"] is not None and types is not None:
            self._category_columns = frozenset(
                name for name, kind in zip(meta["feature_names_in"], types, strict=True)
                if kind == "c")
        else:
            self.__dict__.pop("_category_columns", None)
        self.n_outputs_ = meta["n_outputs"]
        self.n_features_in_ = meta["n_features_in"]
        if meta["feature_names_in"] is not None:
            self.feature_names_in_ = np.asarray(meta["feature_names_in"], dtype=object)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        # what shapes predictions becomes the saved model's (XGBClassifier.load_model
        # sets its objective and booster so), the rest stays as this estimator has it
        saved = meta.get("params", {})
        self.gamma = loss.gamma
        self.alpha = saved.get("alpha") if saved.get("alpha") is not None else (
            loss.alpha.tolist() if isinstance(loss.alpha, np.ndarray) else loss.alpha)
        if self.n_classes_ == 1 and isinstance(self.alpha, list):
            self.alpha = self.alpha[:1]  # the one class's weight (fit gave the unseen its copy)
        for key in ("posterior_correction", "missing"):
            if key in saved:
                setattr(self, key, saved[key])
        kind = fxgb.booster_type(booster)
        if kind != getattr(self, "booster", "gbtree"):
            self.booster = kind
        if "c" in (booster.feature_types or ()):  # as XGBClassifier.load_model sets it:
            self.enable_categorical = True  # the DMatrix of apply() needs it
        self.loss_ = loss
        self.booster_ = booster
        self.evals_result_ = {}
        self.best_iteration_ = fxgb.best_iteration(booster)
        self.best_score_ = meta["best_score"]
        self.stopping_metric_ = meta["stopping_metric"]
        return self

    def _read_model(self, fit_params: dict) -> dict:
        if fit_params.get("xgb_model") is None:
            return fit_params
        from focal_boost import xgboost as fxgb

        return {**fit_params, "xgb_model": fxgb.read_model(fit_params["xgb_model"])}

    def _library_settings(self):
        # the verbosity the booster's parameters set is XGBoost's global one: as
        # XGBClassifier, the fit sets it for its own time (it stayed set for the process)
        verbosity = getattr(self, "verbosity", None)
        if verbosity is None:
            return contextlib.nullcontext()
        from focal_boost import xgboost as fxgb

        if isinstance(verbosity, np.integer):  # (a grid's value: XGBoost's JSON takes int)
            verbosity = int(verbosity)
        return fxgb.xgb.config_context(verbosity=verbosity)

    def _recorded_classes(self, model) -> np.ndarray | None:
        # a Booster read from a file of save_model records the classes too
        classes = super()._recorded_classes(model)
        if classes is not None or type(model).__name__ != "Booster":
            return classes
        from focal_boost import xgboost as fxgb

        try:
            stored = model.attr(fxgb.ESTIMATOR_ATTR)
            return None if stored is None else _saved_classes(json.loads(stored))
        except Exception:  # noqa: BLE001 (an edited attribute: a Booster's rule then)
            return None

    def evals_result(self) -> dict:
        """The evaluation history, ``evals_result_``: ``{}`` without ``eval_set``
        (where XGBClassifier's raises ``XGBoostError``)."""
        check_is_fitted(self)
        return self.evals_result_

    @property
    def best_iteration(self) -> int:
        """Index of the best round (last round without early stopping)."""
        check_is_fitted(self)
        return self.best_iteration_

    @property
    def best_score(self) -> float | None:
        """``best_score_``: also without early stopping (its value at the last round;
        None without ``eval_set``), where XGBClassifier's raises ``AttributeError``."""
        check_is_fitted(self)
        return self.best_score_

    @property
    def coef_(self) -> np.ndarray:
        """Feature weights of a linear model (``booster="gblinear"`` only, as in
        XGBClassifier): shape (n_features,) binary, else (n_classes or n_labels,
        n_features). The raw margins are ``X @ coef_.T + intercept_``."""
        from focal_boost.xgboost import linear_weights

        check_is_fitted(self)
        return linear_weights(self.booster_)

    @property
    def intercept_(self) -> np.ndarray:
        """The margin every row starts from, shape (1,) binary, else (n_classes or
        n_labels,): the focal intercept (XGBoost's ``base_score``, in margin space), and
        a linear model's bias with it, so that ``X @ coef_.T + intercept_`` are the raw
        margins (XGBClassifier's leaves its ``base_score`` out of a linear model's)."""
        from focal_boost.xgboost import start_margin

        check_is_fitted(self)
        return start_margin(self.booster_)

    @property
    def feature_importances_(self) -> np.ndarray:
        """Feature importances as XGBClassifier computes them (``importance_type``)."""
        from focal_boost.xgboost import booster_type

        check_is_fitted(self)
        linear = booster_type(self.booster_) == "gblinear"
        kind = self.importance_type or ("weight" if linear else "gain")
        score = self.booster_.get_score(importance_type=kind)
        names = self.booster_.feature_names or [f"f{i}" for i in range(self.n_features_in_)]
        # float32 and divided by any non-zero total (a linear model's weights may sum
        # to a negative number), as XGBClassifier computes them
        imp = np.array([score.get(f, 0.0) for f in names], dtype=np.float32)
        total = imp.sum()
        return imp / total if total != 0 else imp


# The metric names LGBMClassifier spells by the number of classes, and LightGBM's
# aliases of its log-loss metrics: name -> the metric, after "binary_" or "multi_"
_LIGHTGBM_CLASS_METRICS = {  # (XGBoost's names too: "mlogloss", "merror")
    **dict.fromkeys(["logloss", "mlogloss", "binary_logloss", "multi_logloss", "binary",
                     "multiclass", "softmax", "multiclassova", "multiclass_ova", "ova",
                     "ovr"], "logloss"),
    **dict.fromkeys(["error", "merror", "binary_error", "multi_error"], "error")}


class FocalLGBMClassifier(_FocalClassifierBase):
    __doc__ = f"""LightGBM classifier trained on focal loss.

    Parameters
    ----------{_FOCAL_DOC_PARAMS}    n_estimators : int, default=100
        Boosting rounds.
    learning_rate, num_leaves, max_depth, min_child_samples, min_child_weight
        As in :class:`lightgbm.LGBMClassifier`.
    subsample, subsample_freq, colsample_bytree, reg_alpha, reg_lambda
        As in :class:`lightgbm.LGBMClassifier`.
    random_state : int, RandomState, Generator or None, default=None
        LightGBM's ``seed``, as LGBMClassifier derives it (any int; a RandomState or
        Generator: one draw from it per fit); also seeds the held-out rows of early
        stopping.
    n_jobs : int or None, default=None
        Threads (LightGBM's ``num_threads``) of fit and predict; None: the physical
        cores, a negative number counts back from the logical CPUs (as LGBMClassifier).
{_STOPPING_DOC}    importance_type : {{"split", "gain"}}, default="split"
        ``feature_importances_`` as in LGBMClassifier (not normalised).
    **kwargs
        Any other LightGBM parameter or alias, passed through (``verbose``
        defaults to -1; an unknown name warns). ``boosting="rf"`` trains a random
        forest of Newton steps from the intercept; ``boost_from_average=False``
        starts from margin 0; ``metric`` adds to ``eval_metric`` (``"None"``, LightGBM's
        way to switch its metrics off, adds nothing).
{_ATTRIBUTES_DOC}
    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from focal_boost import FocalLGBMClassifier
    >>> X, y = make_classification(1000, weights=[0.9], random_state=0)
    >>> clf = FocalLGBMClassifier(gamma=2.0, n_estimators=20).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    """

    _ENSURE_ALL_FINITE = False
    # a forest's predictions average all its trees
    _PREDICT_STATE = ("_category_columns", "_trained_forest")
    _BOOSTER_NAMES = LIGHTGBM_NAMES
    _LIBRARY = "LightGBM"
    _ARROW_NUMBERS_IN_NUMPY = True

    _REJECTED_PARAMS = {
        **_FocalClassifierBase._REJECTED_PARAMS,
        "init_model": "the model to continue is a fit parameter, as in LGBMClassifier.fit: "
                      "fit(X, y, init_model=...)",
    }

    # As LGBMClassifier takes them (None: LightGBM's default).
    _parameter_constraints: dict = {
        **_FocalClassifierBase._parameter_constraints,
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [None, Interval(Real, 0, None, closed="neither")],
        "num_leaves": [None, Interval(Integral, 2, 131072, closed="both")],
        "max_depth": [None, Integral],  # <= 0: no limit
        "min_child_samples": [None, Interval(Integral, 0, None, closed="left")],
        "min_child_weight": [None, Interval(Real, 0, None, closed="left")],
        "subsample": [None, Interval(Real, 0, 1, closed="right")],
        "subsample_freq": [None, Integral],  # <= 0: no bagging
        "colsample_bytree": [None, Interval(Real, 0, 1, closed="right")],
        "reg_alpha": [None, Interval(Real, 0, None, closed="left")],
        "reg_lambda": [None, Interval(Real, 0, None, closed="left")],
        "importance_type": [StrOptions({"split", "gain"})],
    }

    def __init__(
        self,
        gamma: float = 2.0,
        alpha=None,
        *,
        posterior_correction: bool = True,
        hessian: str = "saddle_free",
        init_score="auto",
        n_estimators: int = 100,
        learning_rate: float = 0.1,
        num_leaves: int = 31,
        max_depth: int = -1,
        min_child_samples: int = 20,
        min_child_weight: float = 1e-3,
        subsample: float = 1.0,
        subsample_freq: int = 0,
        colsample_bytree: float = 1.0,
        reg_alpha: float = 0.0,
        reg_lambda: float = 0.0,
        random_state=None,
        n_jobs: int | None = None,
        early_stopping_rounds: int | None = None,
        validation_fraction: float = 0.1,
        importance_type: str = "split",
        **kwargs: Any,
    ) -> None:
        self.gamma = gamma
        self.alpha = alpha
        self.posterior_correction = posterior_correction
        self.hessian = hessian
        self.init_score = init_score
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.max_depth = max_depth
        self.min_child_samples = min_child_samples
        self.min_child_weight = min_child_weight
        self.subsample = subsample
        self.subsample_freq = subsample_freq
        self.colsample_bytree = colsample_bytree
        self.reg_alpha = reg_alpha
        self.reg_lambda = reg_lambda
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.early_stopping_rounds = early_stopping_rounds
        self.validation_fraction = validation_fraction
        self.importance_type = importance_type
        super().__init__(**kwargs)

    @_unchanged_if_failed
    def fit(self, X, y, sample_weight=None, init_score=None, eval_set=None, eval_names=None,
            eval_sample_weight=None, eval_class_weight=None, eval_init_score=None,
            eval_metric=None, feature_name="auto", categorical_feature="auto",
            callbacks=None, init_model=None, *, eval_X=None, eval_y=None,
            verbose: bool | int = False):
        # LGBMClassifier.fit's order, for positional calls; docstring: after the classes

        eval_set = eval_set_from_xy(eval_set, eval_X, eval_y)
        # LGBMClassifier's other forms: one (X, y) pair; weights and starts by set index
        if isinstance(eval_set, tuple):
            eval_set = [eval_set]
        n_sets = len(eval_set or [])
        eval_sample_weight, eval_init_score = (
            _per_set(value, n_sets, name) for value, name in (
                (eval_sample_weight, "eval_sample_weight"), (eval_init_score, "eval_init_score")))
        if isinstance(eval_class_weight, dict):  # (its lists: _with_class_weight)
            eval_class_weight = [eval_class_weight.get(i) for i in range(n_sets)]
        # (Dask evaluates every set, the training data passed twice as well: no shared name)
        training = [self._NAMES_TRAINING_DATA and is_training
                    for is_training in training_data(eval_set or [], X, y)]
        self._given_eval_names = _check_eval_names(eval_names, self._default_set_names(training),
                                                   training)
        check_set_weights(eval_sample_weight, n_sets)  # (before class weights multiply them)
        eval_sample_weight = _with_class_weight(eval_set, eval_sample_weight,
                                                eval_class_weight, X, y)

        def given(values):  # names as LightGBM reads them ("auc,binary_error", "AUC"),
            # less its spellings of "no metric" ("None", "na", "null", "custom") and of
            # "the objective's default" ("", the focal loss is always evaluated)
            from focal_boost import lightgbm as flgb

            return [m for value in values for m in flgb.named_metrics(value)]

        # LightGBM's own metric parameter (one spelling: the value LightGBM takes) joins
        # eval_metric in LGBMClassifier's order: eval_metric's names, the metric
        # parameter's, then eval_metric's callables (evaluated around the focal loss,
        # see _lightgbm_feval)
        metric = given([self._metric_param()])
        eval_metric = given([eval_metric])
        # the names (LightGBM's aliases as LGBMClassifier records them) checked under the
        # parameter that gave them, before they join
        eval_metrics(self._library_spelling(metric, 2), parameter="metric")
        eval_metrics(self._library_spelling(eval_metric, 2))
        eval_metric = ([m for m in eval_metric if isinstance(m, str) and m not in metric]
                       + metric + [m for m in eval_metric if not isinstance(m, str)])
        if "auc_mu" in eval_metric and self._auc_mu_weights() is not None:
            raise ValueError(
                "auc_mu_weights: the estimator computes auc_mu on predict_proba with "
                "LightGBM's default weights and takes no others; leave auc_mu_weights "
                "unset (focal_boost.lightgbm.train passes it to LightGBM's own auc_mu)")
        more = {key: value for key, value in (("init_model", init_model),
                                              ("categorical_feature", categorical_feature),
                                              ("eval_row_margins", eval_init_score),
                                              ("feature_name", feature_name))
                if value is not None and not (isinstance(value, str) and value == "auto")}
        return self._fit(X, y, sample_weight, eval_set, eval_sample_weight, verbose,
                         eval_metric, callbacks, row_margins=init_score, **more)

    def _lightgbm_params(self, n_classes: int = 2) -> dict[str, Any]:
        """LightGBM parameters for ``n_classes`` classes (``num_class`` above 2) under
        their main names: the named ones spelled as LGBMClassifier passes them (several
        are LightGBM aliases) and the keyword arguments, resolved as LightGBM resolves
        aliases (:func:`flgb.resolve_aliases`: the main name, else the shortest alias),
        so that a clash ends as in LGBMClassifier; ``verbose=-1`` unless a keyword sets
        the verbosity."""
        from focal_boost import lightgbm as flgb

        params = {
            "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves,
            "max_depth": self.max_depth,
            "min_child_samples": self.min_child_samples,
            "min_child_weight": self.min_child_weight,
            "subsample": self.subsample,
            "subsample_freq": self.subsample_freq,
            "colsample_bytree": self.colsample_bytree,
            "reg_alpha": self.reg_alpha,
            "reg_lambda": self.reg_lambda,
        }
        if self.random_state is not None:
            # None: no seed, as LGBMClassifier (LightGBM's own default seeds, which
            # seed=0 would replace with seeds derived from it)
            params["random_state"] = self._seed()
        if self.n_jobs is not None:
            params["n_jobs"] = self._n_jobs()
        elif self._given_threads() is None:  # none set: what LGBMClassifier's None is
            params["n_jobs"] = self._num_threads()
        extra = self._booster_extra_params()
        flgb.check_ignored(extra)  # (naming the spelling typed, before aliases resolve)
        for key, value in extra.items():
            spellings = flgb.aliases(key)
            if spellings & {"num_iterations", "early_stopping_round"}:
                raise ValueError(f"{type(self).__name__} does not take {key!r}: use "
                                 "n_estimators and early_stopping_rounds")
            if spellings & {"metric"}:
                continue  # taken by fit as eval_metric
            if value is None and spellings & {"num_threads"}:
                continue  # unset, as in LGBMClassifier: n_jobs above says the cores
            rejected = spellings & self._REJECTED_PARAMS.keys()
            if rejected and value is not None:  # an alias of a parameter refused (None:
                # the default, dropped as under the main name)
                name = rejected.pop()
                raise ValueError(f"{type(self).__name__} does not take {key!r} (LightGBM's "
                                 f"alias of {name!r}): {self._REJECTED_PARAMS[name]}")
            if not flgb.is_parameter(key):  # LightGBM would say so; verbose=-1 hides it
                warnings.warn(f"Unknown parameter: {key!r} is not a LightGBM parameter "
                              "and has no effect", UserWarning,
                              stacklevel=caller_level())
            params[key] = value
        # a named parameter left at its default gives way without a warning
        signature = inspect.signature(type(self).__init__).parameters
        defaults = [key for key in params if key in signature
                    and same_value(getattr(self, key), signature[key].default)]
        flgb.check_text_values(params)  # before anything reads them (Dask's rf check)
        params = flgb.resolve_aliases(params, quiet=defaults, stacklevel=caller_level())
        params.setdefault("verbosity", -1)
        if n_classes > 2:
            params["num_class"] = n_classes
        return params

    def _train(self, X, y, sample_weight, evals, n_classes, verbose, metrics, stopping,
               callbacks, row_margins=None, eval_row_margins=None, categorical_feature="auto",
               init_model=None, feature_name="auto") -> None:
        import lightgbm as lgb

        from focal_boost import lightgbm as flgb

        params = self._lightgbm_params(n_classes)
        # what predict reads: the model's kind, not set_params' since
        self._trained_forest = flgb.is_random_forest(params)
        training = [Xv is X and yv is y for Xv, yv, _ in evals]  # (see _fit)
        names = (feature_name if not (isinstance(feature_name, str) and feature_name == "auto")
                 else feature_names(self, **LIGHTGBM_NAMES) or "auto")
        if (_is_dataframe(X) and names != "auto" and len(names) == X.shape[1]
                and list(X.columns) != list(names)):
            # LightGBM finds a DataFrame's categories by its column names: the frames
            # carry the names the booster gets (no copy of the data), and categorical
            # features given by the old names are renamed alike
            renamed = dict(zip(X.columns, names, strict=True))
            if not isinstance(categorical_feature, str):
                categorical_feature = [renamed.get(c, c) if isinstance(c, str) else c
                                       for c in categorical_feature]
            X = X.set_axis(list(names), axis=1)
            evals = [(Xv.set_axis(list(names), axis=1) if _is_dataframe(Xv) else Xv, yv, wv)
                     for Xv, yv, wv in evals]
        flgb.warn_negative_categories(X, categorical_feature, names)
        train_set = lgb.Dataset(X, label=y, weight=sample_weight, init_score=row_margins,
                                feature_name=names, categorical_feature=categorical_feature,
                                free_raw_data=True)
        eval_row_margins = list(eval_row_margins or [])
        eval_row_margins += [None] * (len(evals) - len(eval_row_margins))
        valid_sets = [train_set if is_training else
                      lgb.Dataset(Xv, label=yv, weight=wv, init_score=sv, reference=train_set)
                      for (Xv, yv, wv), sv, is_training in zip(evals, eval_row_margins,
                                                               training, strict=True)]
        # (a model file was read by _read_model)
        self._start_round = flgb.num_rounds(init_model)  # rounds before this fit's
        valid_names = self._eval_names(len(evals))
        for i, (Xv, _, _) in enumerate(evals):  # named as the user passed them
            flgb.check_valid_rows(Xv.shape[0], f"eval_set[{i}]")
        self._check_callbacks(callbacks, metrics)
        evals_result: dict = {}
        callbacks = [lgb.record_evaluation(evals_result),
                     *self._fit_callbacks(callbacks, metrics, verbose, stopping)]

        self.booster_ = flgb.train(
            # (int: True is one round, as FocalXGBClassifier and XGBClassifier read it;
            # the native train refused it under its own argument's name)
            params, train_set, self.loss_, num_boost_round=int(self.n_estimators),
            valid_sets=valid_sets or None, valid_names=valid_names or None,
            callbacks=callbacks, init_score=self.init_score,
            feval=self._lightgbm_feval(metrics),
            init_model=init_model, warn_other_loss=self.posterior_correction,
        )
        self.evals_result_ = evals_result
        self.best_iteration_ = flgb.best_iteration(self.booster_)
        if names != "auto" and not hasattr(self, "feature_names_in_"):
            # names given to fit for data without any are the features' names, as in
            # LGBMClassifier (a DataFrame's own columns stay the names it is read by)
            self.feature_names_in_ = np.asarray(names, dtype=object)

    def _read_model(self, fit_params: dict) -> dict:
        if fit_params.get("init_model") is None:
            return fit_params
        from focal_boost import lightgbm as flgb

        return {**fit_params, "init_model": flgb.read_model(fit_params["init_model"])}

    def _reported_score(self, set_name: str, metric: str) -> float:
        # lgb.train keeps the scores an EarlyStopException carried (a user's callback
        # may raise one before record_evaluation has logged that round)
        return float(self.booster_.best_score.get(set_name, {}).get(metric, np.nan))

    def _split_seed(self) -> int:
        # LightGBM's own spellings (seed=, random_seed=) beside random_state: the one
        # LightGBM takes for the booster (the main name, else the shortest alias) seeds
        # the early-stopping hold-out too
        from focal_boost import lightgbm as flgb

        extra = self._booster_extra_params()  # (a spelling set to None gives way)
        given = [key for key in extra if key in flgb.aliases("seed") and extra[key] is not None]
        if self.random_state is not None:
            given.append("random_state")
        winner = flgb.winning_spelling("seed", given) if given else "random_state"
        if winner == "random_state":  # (a RandomState is drawn from only where it wins)
            return super()._split_seed()
        return _integer_seed(winner, getattr(self, winner)) % 2**32

    def _n_jobs(self) -> int | None:
        """``n_jobs`` as LGBMClassifier hands it on: a negative one counts back from the
        CPUs (-1: all, -2: all but one; joblib's rule)."""
        return None if self.n_jobs is None else _counted_back(int(self.n_jobs))

    def _given_threads(self):
        """The thread count the user set: ``n_jobs`` and LightGBM's ``num_threads``
        given as a keyword under any spelling, resolved as LightGBM resolves aliases
        (``n_jobs`` is one of them: the main name wins over it, it wins over the longer
        ones), as in LGBMClassifier; None: none set (or all None). An unset ``n_jobs``
        gives way to ``nthread=3`` here, where LGBMClassifier's ``n_jobs=None`` wins."""
        from focal_boost import lightgbm as flgb  # (lazily, as the other LightGBM steps)

        spellings = {key: getattr(self, key) for key in
                     flgb.aliases("num_threads") & set(self._extra_param_names())}
        if self.n_jobs is not None:
            spellings["n_jobs"] = self._n_jobs()
        spellings = {key: value for key, value in spellings.items() if value is not None}
        return flgb.resolve_aliases(spellings, quiet=list(spellings)).get("num_threads")

    def _num_threads(self):
        """The thread count to fit and predict with: :meth:`_given_threads`, else the
        physical cores, as LGBMClassifier's ``n_jobs=None`` (LightGBM's own default
        would take every logical CPU, twice as many threads on a machine with two per
        core)."""
        given = self._given_threads()
        return _physical_cores() if given is None else given

    def _kernel_threads(self) -> int | None:
        # LightGBM's threads, which the objective follows (always set: the physical
        # cores when the user set none)
        return thread_bound(self._num_threads())

    def _library_spelling(self, eval_metric, n_classes: int):
        # LGBMClassifier names log-loss and error by the number of classes
        # ("logloss" -> "binary_logloss", "error" -> "multi_error" with 3 classes)
        # (and "error@0.5" is "error": one metric, one name)
        kind = "binary" if n_classes <= 2 else "multi"
        return _named_once([f"{kind}_{_LIGHTGBM_CLASS_METRICS[m]}"
                            if isinstance(m, str) and m in _LIGHTGBM_CLASS_METRICS else m
                            for m in super()._library_spelling(eval_metric, n_classes)])

    _EVALUATES_TRAINING_DATA = True

    _METRIC_PARAMETERS = "eval_metric or metric"

    def _stalled(self) -> str:
        if getattr(self, "_first_metric_only", False):  # (the one metric followed)
            return super()._stalled()
        return "a metric on a validation set (LightGBM stops on the first one to stall)"

    # LGBMClassifier names the training data passed again "training" (lgb.train's name
    # of its training Dataset); DaskLGBMClassifier names every set valid_i
    _NAMES_TRAINING_DATA = True

    def _default_set_names(self, training: list[bool], n_evals: int | None = None) -> list[str]:
        """The names of ``n_evals`` evaluation sets left unnamed: ``training`` for the
        training data passed again (``training[i]``), else ``valid_i``."""
        n_evals = len(training) if n_evals is None else n_evals
        return ["training" if self._NAMES_TRAINING_DATA and i < len(training) and training[i]
                else f"valid_{i}" for i in range(n_evals)]

    def _eval_names(self, n_evals: int) -> list[str]:
        """LGBMClassifier's names of the evaluation sets, the keys of ``evals_result_``:
        those given to ``fit`` (``eval_names``), else :meth:`_default_set_names` (the
        held-out rows: ``valid_0``)."""
        given = list(getattr(self, "_given_eval_names", ()))[:n_evals]
        default = self._default_set_names(getattr(self, "_training_sets", []), n_evals)
        return given + default[len(given):]

    def _stopping_set_of(self, is_training: list[bool]) -> int | None:
        # the last set that is not the training data, as lgb.early_stopping skips it
        others = [i for i, training in enumerate(is_training) if not training]
        return others[-1] if others else None if is_training else -1

    def _stopping_metric(self, metrics, callbacks=()) -> str:
        # LightGBM's first_metric_only: the first metric named (eval_metric, metric),
        # as in LGBMClassifier; the focal loss (its objective's metric) when none is.
        # Set as a parameter, or on an lgb.early_stopping callback of the fit.
        from focal_boost import lightgbm as flgb

        # (by its truth, as lightgbm.train and the callback read it: the text "false"
        # is True there); the estimator's own early stopping, where it runs, follows
        # the parameter, whatever a callback's says
        first_only = flgb.param_value(self.get_params(), "first_metric_only", False)
        if not self.early_stopping_rounds:
            first_only = first_only or any(getattr(callback, "first_metric_only", False)
                                           for callback in callbacks)
        self._first_metric_only = bool(metrics and first_only)  # (for _stalled)
        if self._first_metric_only:
            return self._recorded(metrics)[0]
        return super()._stopping_metric(metrics)

    def _recorded(self, metrics) -> list[str]:
        # in LGBMClassifier's order (_lightgbm_feval's)
        return self._in_lightgbm_order(super()._recorded(metrics), metrics)

    def _auc_mu_weights(self):
        """LightGBM's ``auc_mu_weights`` parameter as set (None: not set)."""
        from focal_boost import lightgbm as flgb

        return flgb.param_value(self.get_params(), "auc_mu_weights", None)

    def _metric_param(self, quiet: bool = False):
        """LightGBM's ``metric`` parameter as LightGBM takes it (the main name, else the
        shortest alias, with :func:`flgb.resolve_aliases`' warning unless ``quiet``),
        None: not set."""
        from focal_boost import lightgbm as flgb

        given = {key: value for key, value in vars(self).items()
                 if key in flgb.aliases("metric") and value is not None}
        return flgb.resolve_aliases(given, quiet=list(given) if quiet else (),
                                    stacklevel=caller_level()).get("metric")

    def _fit_callbacks(self, callbacks, metrics, verbose, stopping: int | None,
                       skip=()) -> list:
        """The callbacks a fit trains with, in LGBMClassifier's order: the user's
        (:meth:`_user_callbacks`), the evaluation log every ``verbose`` rounds, then the
        estimator's own early stopping after ``stopping`` rounds (:meth:`_early_stopping`).
        ``skip``: as there."""
        import lightgbm as lgb

        callbacks = self._user_callbacks(callbacks, metrics, skip)
        if verbose:
            callbacks.append(lgb.log_evaluation(1 if verbose is True else int(verbose)))
        if stopping is not None:
            callbacks.append(self._early_stopping(stopping, skip, metrics))
        return callbacks

    def _early_stopping(self, rounds: int, skip=(), metrics=()):
        """LGBMClassifier's early stopping: every metric of every set but the training
        data (the first metric with ``first_metric_only``); the first to stall for
        ``rounds`` rounds stops training. ``skip``: names of sets that hold the training
        data as another Dataset (Dask), skipped as LightGBM skips its training Dataset.
        A ``metric`` parameter replaces the objective's metric in LGBMClassifier: the
        focal loss, recorded still, is then not watched where ``metrics`` are."""
        import lightgbm as lgb

        from focal_boost import lightgbm as flgb

        params = self.get_params()
        # its messages where LightGBM's verbosity is above 0, as lightgbm.train's own
        # callback prints them: the estimator's default is -1; None leaves LightGBM's 1,
        # and LightGBM reads text ("1") as the number
        verbosity = flgb.param_value(params, "verbosity", -1)
        try:
            level = 1.0 if verbosity is None else float(verbosity)
        except (TypeError, ValueError):  # (LightGBM refuses it)
            level = -1.0
        stopping = lgb.early_stopping(
            rounds, first_metric_only=bool(  # (by its truth, as lightgbm.train reads it)
                flgb.param_value(params, "first_metric_only", False)),
            verbose=level > 0, min_delta=self._min_delta())
        unwatched = self._unwatched(metrics)
        return flgb.skipping(stopping, skip, unwatched) if skip or unwatched else stopping

    def _unwatched(self, metrics) -> list[str]:
        """The metrics early stopping does not watch: the focal loss where LightGBM's
        ``metric`` parameter is set and ``metrics`` computed (it replaces the
        objective's metric in LGBMClassifier; metric="None" too, which leaves the
        objective's metric out as well)."""
        metric_set = self._metric_param(quiet=True) is not None
        return [METRIC_NAME] if metrics and metric_set else []

    def _user_callbacks(self, callbacks, metrics, skip=()) -> list:
        """The fit's callbacks, an ``lgb.early_stopping`` among them watching what the
        estimator's own would (:meth:`_unwatched`; it stopped on the focal loss where
        LGBMClassifier's watches the metric parameter's metrics: 28 rounds for 55), and
        not the sets ``skip`` (the training data as another Dataset, on Dask), as
        :meth:`_early_stopping`."""
        from focal_boost import lightgbm as flgb

        unwatched = self._unwatched(metrics)
        return [flgb.skipping(callback, skip, unwatched)
                if (skip or unwatched) and flgb.is_early_stopping(callback) else callback
                for callback in callbacks or []]

    def _min_delta(self) -> float:
        """LightGBM's ``early_stopping_min_delta``: the least improvement that counts."""
        from focal_boost import lightgbm as flgb

        value = flgb.param_value(self.get_params(), "early_stopping_min_delta", None)
        return 0.0 if value is None else float(value)

    def _lightgbm_feval(self, metrics) -> list:
        """``feval`` of a LightGBM run in LGBMClassifier's order: the metrics given by
        name, the focal loss where LGBMClassifier has its objective's metric, then the
        callables (``lgb.early_stopping(first_metric_only=True)`` follows the first)."""
        from focal_boost import lightgbm as flgb

        def scores(group):
            def feval(preds, data):
                return metric_scores(self.loss_, group, data.get_label(), preds,
                                     data.get_weight(), to_proba=self._proba_from_margin)
            return feval

        named = [m for m in metrics if m.builtin]
        others = [m for m in metrics if not m.builtin]
        return ([scores(named)] * bool(named)
                + [flgb._Metric(self.loss_, n_threads=self._kernel_threads())]
                + [scores(others)] * bool(others))

    def _check_callbacks(self, callbacks, metrics) -> None:
        """Refuse an ``lgb.early_stopping`` whose ``min_delta`` list does not count the
        metrics the fit records (LightGBM's own check names no count: the focal loss is
        one more than ``eval_metric``)."""
        recorded = self._recorded(metrics)
        for callback in callbacks or []:
            delta = getattr(callback, "min_delta", None)
            if (hasattr(callback, "stopping_rounds") and isinstance(delta, list)
                    and len(delta) > 1 and len(delta) != len(recorded)):
                raise ValueError(
                    f"callbacks: early_stopping(min_delta={delta}) gives {len(delta)} values "
                    f"where the fit records {len(recorded)} metrics per set, {recorded} (the "
                    "focal loss always): give one per metric in that order, or one value")

    @staticmethod
    def _in_lightgbm_order(values: list, metrics) -> list:
        """``values`` of :meth:`_metric_values` (the focal loss first) in
        :meth:`_lightgbm_feval`'s order."""
        n = sum(m.builtin for m in metrics)  # fit puts the named ones first
        return [*values[1:n + 1], values[0], *values[n + 1:]]

    # LGBMClassifier.predict's named options; any other keyword is a LightGBM
    # prediction parameter (:meth:`_predict_params`)
    _NAMED_OPTIONS = ("raw_score", "start_iteration", "num_iteration", "pred_leaf",
                      "pred_contrib", "validate_features")
    _PREDICT_OPTIONS = dict.fromkeys(("decision_function", "predict_proba", "predict"),
                                     _NAMED_OPTIONS)
    _PREDICT_OPTIONS["decision_function"] = ("start_iteration", "num_iteration",
                                             "validate_features")
    # LGBMClassifier's order; its predict and predict_proba take them so
    _POSITIONAL_OPTIONS = {"predict_proba": _NAMED_OPTIONS, "predict": _NAMED_OPTIONS}

    def _options(self, method: str, options: dict[str, Any]) -> dict[str, Any]:
        # any other keyword is a LightGBM prediction parameter (num_threads,
        # pred_early_stop, ...), passed to Booster.predict as LGBMClassifier passes it;
        # the other methods' options stay refused here, and FocalXGBClassifier's
        # (iteration_range: LightGBM would ignore it without a word)
        own = set(self._NAMED_OPTIONS)
        xgboost_only = sorted(set(options) & (
            set().union(*FocalXGBClassifier._PREDICT_OPTIONS.values()) - own))
        if xgboost_only:
            raise TypeError(f"{type(self).__name__}.{method} got unexpected keyword "
                            f"argument(s) {xgboost_only}, FocalXGBClassifier's; it takes "
                            f"{list(self._PREDICT_OPTIONS[method])} (raw_score=True: the "
                            "margins) and LightGBM's prediction parameters")
        super()._options(method, {k: v for k, v in options.items() if k in own})
        return options
    # for scikit-learn's metadata routing, as in FocalXGBClassifier
    __metadata_request__decision_function = dict.fromkeys(_PREDICT_OPTIONS["decision_function"])
    __metadata_request__predict_proba = dict.fromkeys(_PREDICT_OPTIONS["predict_proba"])
    __metadata_request__predict = dict.fromkeys(_PREDICT_OPTIONS["predict"])

    def _library_output(self, X, options: dict[str, Any]) -> np.ndarray | None:
        # LGBMClassifier returns raw scores, leaf indices or contributions instead
        # (contributions before leaf indices before raw scores, as LightGBM ranks them)
        raw, leaf, contrib = (options.pop(key, False)
                              for key in ("raw_score", "pred_leaf", "pred_contrib"))
        if leaf or contrib:
            leaf = leaf and not contrib
            start, num = self._iterations(options, averaged=not leaf)
            if _n_rows(X) == 0:  # (LightGBM divides by it, or crashes on sparse X)
                raise ValueError(f"Found array with 0 sample(s) (shape={X.shape}) while a "
                                 f"minimum of 1 is required for "
                                 f"{'pred_contrib' if contrib else 'pred_leaf'}, as in "
                                 "LGBMClassifier")
            # feature names were checked by validate_data (the booster's may be
            # LightGBM's defaults where it refused the frame's own)
            return self.booster_.predict(X, pred_leaf=bool(leaf), pred_contrib=bool(contrib),
                                         start_iteration=start, num_iteration=num,
                                         **self._predict_params(options))
        if raw:
            return self._raw_predict(X, **options)
        return None

    def _predict_params(self, options: dict[str, Any]) -> dict[str, Any]:
        """LightGBM's prediction parameters: the keywords beyond the named options, as
        LGBMClassifier passes them, and ``num_threads``: the one given under any
        spelling (a negative one counted back from the CPUs, as LGBMClassifier's
        ``n_jobs``), else the fit's (:meth:`_num_threads`); 0, LightGBM's own default,
        is passed as none. (A process that predicted on more threads than it asked for
        hangs in a forked child's next LightGBM fit.)"""
        from focal_boost import lightgbm as flgb

        params = {k: v for k, v in options.items() if k not in self._NAMED_OPTIONS}
        flgb.check_predict_params(
            params, type(self).__name__, "the output kind and iterations are the named "
            "options raw_score, pred_leaf, pred_contrib, start_iteration, num_iteration")
        given = {k: params.pop(k) for k in list(params) if k in flgb.aliases("num_threads")}
        n = thread_count(flgb.resolve_aliases(given, quiet=list(given)).get("num_threads"))
        n = thread_bound(self._num_threads() if n is None else _counted_back(n))
        return params if n is None else {**params, "num_threads": n}

    def _iterations(self, options: dict[str, Any], averaged: bool = True) -> tuple[int, int]:
        """``start_iteration`` and ``num_iteration`` as LGBMClassifier reads them: None or
        <= 0 iterations is the best iteration (all without early stopping).

        A random forest's trees each hold 1/n_estimators of the forest's mean, so the
        outputs of some of them (``averaged``: margins, probabilities, contributions) are
        not that forest's mean over them, which LGBMClassifier gives: refused.
        """
        from focal_boost import lightgbm as flgb

        for name in ("start_iteration", "num_iteration"):  # (3.7 read as 3 otherwise)
            value = options.get(name)
            try:  # an integer as LightGBM takes one: np.int64, a 0-d integer array
                if value is not None:
                    operator.index(value)
            except TypeError:
                raise TypeError(f"{name} must be an integer or None, got {value!r}") from None
        start = int(options.get("start_iteration") or 0)
        num = options.get("num_iteration")
        num = self.best_iteration_ + 1 - start if num is None or num <= 0 else int(num)
        total = self.booster_.current_iteration()
        forest = getattr(self, "_trained_forest", None)
        if forest is None:  # (a model pickled before the kind was kept)
            forest = flgb.is_random_forest(self.get_params())
        if averaged and (start > 0 or start + num < total) and forest:
            raise ValueError(
                f"start_iteration={start}, num_iteration={num}: this random forest "
                f"(boosting_type='rf') averages all its {total} trees, and predictions from "
                "some of them are not supported; fit one with n_estimators set to that "
                "number of trees")
        return start, num

    def _raw_predict(self, X, start_iteration=None, num_iteration=None,
                     validate_features=False, **params) -> np.ndarray:
        """Margins of ``num_iteration`` iterations from ``start_iteration`` (default: all
        up to the best one). The intercept is in the first trees: a start past them
        leaves it out, as LightGBM's does for boost_from_average."""
        from focal_boost import lightgbm as flgb

        start, num = self._iterations({"start_iteration": start_iteration,
                                       "num_iteration": num_iteration})
        # validate_features: the names were checked by validate_data (the booster's may
        # be LightGBM's defaults where it refused the frame's own)
        params = self._predict_params(params)
        if start == 0 or _n_rows(X) == 0:  # (the one path that takes X without rows)
            return flgb.predict_margin(self.booster_, X, num_iteration=num, **params)
        return np.asarray(self.booster_.predict(X, raw_score=True, start_iteration=start,
                                                num_iteration=num, **params))

    @property
    def best_iteration(self) -> int:
        """Index of the best round (last round without early stopping)."""
        check_is_fitted(self)
        return self.best_iteration_

    @property
    def feature_importances_(self) -> np.ndarray:
        """Feature importances as LGBMClassifier computes them (``importance_type``)."""
        check_is_fitted(self)
        return self.booster_.feature_importance(importance_type=self.importance_type)

    # LGBMClassifier's other fitted attributes, under its names
    @property
    def n_features_(self) -> int:
        """The number of features (``n_features_in_``)."""
        check_is_fitted(self)
        return self.n_features_in_

    @property
    def n_estimators_(self) -> int:
        """The boosting rounds the model keeps (early stopping: up to the best round,
        as LGBMClassifier's ``n_estimators_``)."""
        check_is_fitted(self)
        return self.booster_.current_iteration()

    @property
    def n_iter_(self) -> int:
        """As ``n_estimators_``."""
        return self.n_estimators_

    @property
    def objective_(self) -> FocalLoss:
        """The objective trained on: the focal loss (``loss_``)."""
        check_is_fitted(self)
        return self.loss_

    @property
    def feature_name_(self) -> list[str]:
        """The booster's feature names."""
        check_is_fitted(self)
        return self.booster_.feature_name()

    @property
    def fitted_(self) -> bool:
        """True once fitted (before: NotFittedError, an AttributeError as LGBMClassifier's)."""
        check_is_fitted(self)
        return True


def eval_set_from_xy(eval_set, eval_X, eval_y):
    """``eval_set`` from LightGBM's ``eval_X`` / ``eval_y`` (LightGBM 4.7 spells the
    evaluation sets so: one array each, or tuples of them), with its errors."""
    if eval_X is None and eval_y is None:
        return eval_set
    if eval_set is not None:
        raise ValueError("Specify either 'eval_set' or 'eval_X' and 'eval_y', but not both.")
    if eval_X is None or eval_y is None:
        raise ValueError("You must specify eval_X and eval_y, not just one of them.")
    if isinstance(eval_X, tuple) != isinstance(eval_y, tuple) or (
            isinstance(eval_X, tuple) and len(eval_X) != len(eval_y)):
        raise ValueError("If eval_X is a tuple, eval_y must be a tuple of the same length, "
                         "and vice versa.")
    if isinstance(eval_X, tuple):
        return list(zip(eval_X, eval_y, strict=True))
    return [(eval_X, eval_y)]


_FIT_HEAD = """Fit the booster on focal loss, starting from the focal-optimal constant.

        Parameters
        ----------
        X : array-like, sparse matrix or pandas DataFrame of shape (n_samples, n_features)
            NaN marks a missing value. DataFrame columns keep their dtypes:
            ``category`` columns are categorical features{categorical}.
        y : array-like of shape (n_samples,){multilabel_shape}
            Class labels of any type{multilabel}. One class gives a binary model of it
            and a class never seen (two ``predict_proba`` columns, the second ~0; every
            prediction the one class), as LGBMClassifier fits it.
        sample_weight : array-like of shape (n_samples,), default=None
"""
_EVAL_SET_DOC = """        eval_set : list of (X, y) tuples, default=None
            Evaluated after every round; XGBoost's early stopping follows the last one,
            LightGBM's every one but the training data passed again (``X`` and ``y``
            themselves, evaluated as trained on), as in the plain classifiers.
"""
_EVAL_WEIGHT_DOC = """        eval_sample_weight : list of array-like, default=None
            One weight array (or None) per evaluation set.
"""
_VERBOSE_DOC = """        verbose : bool or int, default=False
            Print the evaluation metrics every round (True) or every ``verbose`` rounds.
"""
_RETURNS_DOC = """
        Returns
        -------
        self
        """
FocalXGBClassifier.fit.__doc__ = _FIT_HEAD.format(
    categorical=" (with ``enable_categorical=True``)",
    multilabel_shape=" or (n_samples, n_labels)",
    multilabel=", or a 0/1 label matrix (multi-label: one sigmoid focal loss per label)",
) + _EVAL_SET_DOC + _EVAL_WEIGHT_DOC + _VERBOSE_DOC.replace(
    "rounds.", "rounds\n            (XGBClassifier.fit's default is True).") + """\
        xgb_model : Booster, str, path or fitted estimator, default=None
            A model to continue training (as in ``XGBClassifier.fit``): its trees and
            intercept are kept (``init_score`` must be "auto") and ``n_estimators``
            rounds are added; predictions use all trees, unless early stopping of this
            fit sets a best iteration (the continued model's is dropped).
        base_margin : array-like of shape (n_samples,) or (n_samples, n_classes), default=None
            Every training row's start margin, as in ``XGBClassifier.fit``: used in
            training only (predictions do not add it), in place of the intercept
            (``init_score`` must be "auto" or None). Rows held out for early stopping
            keep theirs.
        sample_weight_eval_set : list of array-like, default=None
            ``XGBClassifier.fit``'s name of ``eval_sample_weight`` (not both).
        base_margin_eval_set : list of array-like, default=None
            Each evaluation set's start margins, as ``base_margin`` for the training
            rows (one entry per set).
        feature_weights : None
            Refused: pass it to the constructor or ``set_params`` (``XGBClassifier.fit``
            takes it with a deprecation warning).
""" + _RETURNS_DOC
FocalLGBMClassifier.fit.__doc__ = _FIT_HEAD.format(
    categorical="", multilabel_shape="",
    multilabel=" (for multi-label, wrap the estimator in MultiOutputClassifier)",
) + """        init_score : array-like of shape (n_samples,) or (n_samples, n_classes), default=None
            Every training row's start margin, as in ``LGBMClassifier.fit``: used in
            training only (predictions do not add it); with it the constructor's
            ``init_score="auto"`` adds no intercept (as LightGBM's
            ``boost_from_average``), a number or one margin per class is added to it.
            Rows held out for early stopping keep theirs.
""" + _EVAL_SET_DOC + """        eval_names : list of str or str, default=None
            Names of the evaluation sets, the keys of ``evals_result_`` (default
            ``valid_i``, and ``training`` for the training data passed again), as in
            ``LGBMClassifier.fit``; one string names the first set.
""" + _EVAL_WEIGHT_DOC + """\
        eval_class_weight : list of dict, "balanced" or None, default=None
            Per evaluation set, class weights that multiply its sample weights for
            the metrics (not for training), as in ``LGBMClassifier.fit``.
        eval_init_score : list of array-like, default=None
            Each evaluation set's start margins, as ``init_score`` for the training
            rows (one entry per set, None for none), as in ``LGBMClassifier.fit``.
    """ + textwrap.indent(_METRIC_DOC, "    ") + """
        feature_name : list of str or "auto", default="auto"
            The booster's feature names, as in ``LGBMClassifier.fit``; "auto": the
            DataFrame's column names, or ``Column_i``.
        categorical_feature : list of str or int, or "auto", default="auto"
            Categorical columns by name or index, as in ``LGBMClassifier.fit``
            ("auto": the ``category`` columns of a DataFrame).
        callbacks : list of callable, default=None
            LightGBM callbacks, passed to ``lgb.train``.
        init_model : Booster, str, path or fitted estimator, default=None
            A model to continue training (as in ``LGBMClassifier.fit``): its trees and
            intercept are kept (``init_score`` must be "auto" or None) and
            ``n_estimators`` rounds are added.
        eval_X, eval_y : array-like, or tuples of them, default=None
            The evaluation sets as LightGBM 4.7 spells them (``eval_set=[(eval_X,
            eval_y)]``; tuples give several sets); not together with ``eval_set``.
            (LGBMClassifier.fit deprecates ``eval_set`` for them; this estimator
            takes both, without a warning, and keeps ``eval_set``: it trains through
            ``lightgbm.train``.)
""" + _VERBOSE_DOC + _RETURNS_DOC


def _check_eval_names(eval_names, default: list[str], training: list[bool]) -> list[str]:
    """``eval_names`` as LightGBM takes them (one per evaluation set, extra ones unused),
    refusing a name given twice, or that of a set left unnamed (``default``: its
    names), whose logs would be merged into one; the training data passed again
    (``training``) may share one name, as it is evaluated once."""
    n_sets = len(default)
    if eval_names is None or n_sets == 0:
        return []
    if isinstance(eval_names, str):  # one set's name, as LGBMClassifier (lgb.train) takes it
        eval_names = [eval_names]
    names = list(eval_names)[:n_sets]
    every = names + default[len(names):]
    twice = sorted({str(n) for n in every
                    if not all(training[i] for i, m in enumerate(every) if m == n)
                    and every.count(n) > 1})
    if twice:
        raise ValueError(f"eval_names must be distinct, also from the names of the sets "
                         f"left unnamed ({', '.join(default)}): {twice} would be used twice")
    return names


def _per_set(value, n_sets: int, name: str) -> list | None:
    """One entry per evaluation set, as LGBMClassifier.fit reads its eval_* values: a
    dict by set index, or a list for the first sets (the others None); none used
    without ``eval_set``. A string (``name``'s) is refused: its letters were read as
    one entry per set ('auto': 'a' the first set's start margins)."""
    if value is None or not n_sets:
        return None
    if isinstance(value, str):
        raise TypeError(f"{name} must be a list with one entry per evaluation set (or a "
                        f"dict by set index), got {value!r}")
    if isinstance(value, dict):
        return [value.get(i) for i in range(n_sets)]
    return [*list(value)[:n_sets], *[None] * (n_sets - len(value))]


def _label_layout(y: np.ndarray) -> str:
    """Labels' layout for a message: one per row, or a label matrix of its columns."""
    return "one label per row" if y.ndim == 1 else f"a matrix of {y.shape[1]} labels"


def check_set_weights(eval_sample_weight, n_sets: int) -> None:
    """Refuse evaluation weights of another number of sets than ``n_sets``, and a set's
    weights that are a number: the entries of a flat list of weights, the outer list
    forgotten, were each spread over a whole set's rows (LGBMClassifier refuses them:
    "Wrong type(float) for weight")."""
    if eval_sample_weight is None:
        return
    if len(eval_sample_weight) != n_sets:
        raise ValueError("eval_sample_weight needs one entry per eval_set pair")
    for i, weights in enumerate(eval_sample_weight):
        if weights is not None and np.ndim(weights) == 0:
            raise TypeError(f"the weights of eval_set[{i}] must be an array of one weight "
                            f"per row, got {weights}: give the evaluation weights as a "
                            "list with one array (or None) per evaluation set")


def _with_class_weight(eval_set, eval_sample_weight, eval_class_weight, X, y):
    """Each evaluation set's weights times its class weights (``eval_class_weight``: a
    dict ``{label: weight}``, "balanced" or None per set, as in ``LGBMClassifier.fit``,
    missing entries None); they weigh the metrics only, and not the training data passed
    again (``X`` and ``y`` themselves), which LightGBM evaluates as it trains on it."""
    if eval_class_weight is None or not eval_set:
        return eval_sample_weight
    if isinstance(eval_class_weight, str | dict):
        raise TypeError("eval_class_weight must be a list with one entry per evaluation "
                        f"set (a dict, 'balanced' or None each), got {eval_class_weight!r}")
    eval_set = list(eval_set)  # (eval_sample_weight: one entry per set, _per_set's)
    class_weights = _per_set(eval_class_weight, len(eval_set), "eval_class_weight")
    weights = list(eval_sample_weight or [None] * len(eval_set))
    for i, (class_weight, pair, training) in enumerate(
            zip(class_weights, eval_set, training_data(eval_set, X, y), strict=True)):
        if class_weight is None or len(pair) != 2 or training:
            continue  # len: _fit says what is wrong
        by_class = compute_sample_weight(class_weight, column_or_1d(_on_host(pair[1])))
        if not len(by_class):  # no rows: _fit refuses the set as such
            continue
        weights[i] = by_class if weights[i] is None else np.multiply(_on_host(weights[i]),
                                                                     by_class)
        if not np.any(weights[i]):  # (the set's check would name eval_set's weights,
            # which may never have been given)
            given = "" if eval_sample_weight is None else " (with eval_sample_weight)"
            raise ValueError(f"eval_class_weight[{i}] weighs every row of eval_set[{i}] "
                             f"0{given}: its metrics would be undefined; give a class "
                             "present a weight above 0")
    return weights


def _numbers_from_objects(y: np.ndarray) -> np.ndarray:
    """Labels that are numbers held as objects (a pandas object column of ints or bools,
    ``Y.astype(object)``) as numbers, which XGBClassifier takes and scikit-learn calls an
    unknown label type; other labels as they are."""
    if y.dtype == object and all(isinstance(v, Number) and not isinstance(v, str)
                                 for v in y.ravel()):
        return np.array(y.tolist())
    return y


def training_data(eval_set: list, X: Any, y: Any) -> list[bool]:
    """Which ``eval_set`` pairs are the training data passed again: ``X`` and ``y``
    themselves (the objects, as LGBMClassifier tells them apart)."""
    return [len(pair) == 2 and pair[0] is X and pair[1] is y for pair in eval_set]


def _counted_back(n_jobs: int) -> int:
    """A thread count as LGBMClassifier hands ``n_jobs`` on: a negative one counts back
    from the CPUs (-1: all, -2: all but one; joblib's rule)."""
    if n_jobs >= 0:
        return n_jobs
    from joblib import cpu_count

    return max(cpu_count() + 1 + n_jobs, 1)


def _physical_cores() -> int:
    """The threads of LGBMClassifier's ``n_jobs=None``: the physical cores (joblib's
    count, as LightGBM's own), which LightGBM's documentation advises."""
    from joblib import cpu_count

    return cpu_count(only_physical_cores=True)


def _saved_classes(meta: dict) -> np.ndarray:
    """The ``classes_`` :meth:`FocalXGBClassifier.save_model` stored (in ``meta``), of
    their dtype."""
    dtype = np.dtype(meta["classes_dtype"])
    if dtype.kind == "O":
        return np.array(meta["classes"], dtype=object)
    return np.array(meta["classes"], dtype=dtype if dtype.kind != "U" else None)


def _json_levels(levels: dict[str, Any] | None) -> dict[str, list] | None:
    """Category levels as save_model's JSON keeps them: the columns of levels JSON
    holds as they are (numbers, strings; not tuples, whose columns go unchecked after
    loading). None: none."""
    if not levels:
        return None
    import pandas as pd

    # (an Index; a list in a pickle of an earlier build)
    kept = {column: pd.Index(values).tolist() for column, values in levels.items()}
    kept = {column: values for column, values in kept.items()
            if all(isinstance(level, bool | int | float | str) for level in values)}
    return kept or None


def _loaded_levels(levels: dict[str, list] | None) -> dict[str, Any] | None:
    """:func:`_json_levels` read back: each column's levels a pandas Index again."""
    if not levels:
        return None
    import pandas as pd

    return {column: pd.Index(values) for column, values in levels.items()}


def _saved_meta(stored: str, n_model_outputs: int, source: str, loss: FocalLoss) -> dict:
    """What :meth:`FocalXGBClassifier.save_model` stored beside the trees, checked
    against them and their ``loss``: an edited or damaged file is refused by name here,
    where it would load and then fail (or predict other classes) later."""
    from focal_boost.xgboost import ESTIMATOR_ATTR

    try:
        meta = json.loads(stored)
        n_outputs = meta["n_outputs"]
        classes = meta["classes"]
        np.dtype(meta["classes_dtype"])
        for key in ("n_features_in", "feature_names_in", "best_score", "stopping_metric"):
            meta[key]  # noqa: B018 (each is read at loading)
        params = meta.get("params", {})
        if not isinstance(params, dict) or not isinstance(classes, list):
            raise TypeError("params must be a dict and classes a list")
        if not isinstance(params.get("posterior_correction", True), bool):
            raise TypeError("posterior_correction must be true or false")
        float(params.get("missing", 0.0))
        levels = meta.get("categories")
        if levels is not None and not (isinstance(levels, dict) and all(
                isinstance(value, list) for value in levels.values())):
            raise TypeError("categories must be a dict of lists")
        # alpha as given is saved where JSON keeps it (else None): a number is the
        # loss's own, "balanced" resolved into the loss's weights
        alpha = params.get("alpha")
        if isinstance(alpha, bool) or not (
                alpha is None
                or alpha == "balanced" and loss.alpha is not None
                or isinstance(alpha, int | float) and loss.alpha is not None
                and np.ndim(loss.alpha) == 0 and float(loss.alpha) == alpha):
            raise ValueError(f"alpha={alpha!r} is not the loss's alpha={loss.alpha!r}")
        if n_outputs > 1:  # multi-label: an output per label, each of classes 0 and 1
            fits = n_outputs == n_model_outputs and len(classes) == 2
        else:  # a binary model has one output (of one class or two), a multiclass one
            # an output per class
            fits = (len(classes) in (1, 2) if n_model_outputs == 1
                    else len(classes) == n_model_outputs)
        if not fits:
            raise ValueError(f"{len(classes)} classes and n_outputs={n_outputs} for trees of "
                             f"{n_model_outputs} output(s)")
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"{source}: the attribute {ESTIMATOR_ATTR} is not what "
                         f"FocalXGBClassifier.save_model wrote ({type(exc).__name__}: {exc}); "
                         "the model file was edited or damaged") from None
    return meta


def hold_out_refused(fraction: float, what: str, change: str | None = "raise") -> ValueError:
    """The error for a hold-out of ``validation_fraction`` that cannot serve; ``what``
    follows "of the rows" and says why, ``change`` is what to do to the fraction (None:
    no fraction would serve)."""
    fix = "pass eval_set" + (f", {change} validation_fraction" if change else "")
    return ValueError(
        f"early stopping without eval_set holds out validation_fraction={fraction} of "
        f"the rows{what}; {fix} or set early_stopping_rounds=None")


def warn_unweighted_metrics(metrics, weighted: bool) -> None:
    """Warn, at the start of a fit whose evaluation rows are ``weighted``, of each
    callable metric that takes no weights: it scores them unweighted (as LGBMClassifier
    scores it; XGBClassifier raises), and may so pick another best round. Said here, in
    the caller's process: the metric itself runs inside the library, on Dask workers."""
    if not weighted:
        return
    for metric in metrics:
        if not metric.takes_weight:
            warnings.warn(
                f"eval_metric {metric.name!r} takes no sample_weight: the evaluation "
                "rows are weighted (an eval set's weights, the training data's where it "
                "is the training data, or sample_weight split into the early-stopping "
                "hold-out) and it scores them unweighted; give it a sample_weight "
                "parameter, as scikit-learn's metrics have", UserWarning,
                stacklevel=caller_level())


def unweighted_hold_out(fraction: float, trained: bool = False) -> ValueError:
    """The error for a held-out share whose sample weights sum to 0, or (``trained``)
    that leaves rows to train on whose weights do (every weighted row held out: the
    focal-optimal start had no rows to be computed on)."""
    if trained:
        return hold_out_refused(fraction, ", which leaves rows to train on whose sample "
                                "weights sum to 0 here", "lower")
    return hold_out_refused(fraction, ", whose sample weights sum to 0 here")


def _weights(sample_weight, X) -> np.ndarray:
    """Weights checked as scikit-learn checks them, in float32 as both libraries hold
    them; a column (n, 1) is taken as (n,), as XGBClassifier and LGBMClassifier take it."""
    sample_weight = _on_host(sample_weight)
    shape = getattr(sample_weight, "shape", ())
    if len(shape) == 2 and shape[1] == 1:
        sample_weight = np.asarray(sample_weight)[:, 0]
    if sample_weight is not None and not isinstance(sample_weight, Number):
        # (as numbers once, here: scikit-learn's refusal names no argument)
        sample_weight = numeric_array(sample_weight, "sample_weight")
    try:
        weights = _check_sample_weight(sample_weight, X, dtype=np.float32,
                                       ensure_non_negative=True)
    except ValueError:  # scikit-learn's "at least one non-zero number" of 1e-50s
        _check_not_all_zero(sample_weight)
        raise
    if weights.size and not weights.any():  # scikit-learn refuses them from 1.9 only
        _check_not_all_zero(sample_weight)
        raise all_zero_weights()
    return weights


def _check_not_all_zero(sample_weight) -> None:
    """Refuse weights that are not all 0 but are in float32 (1e-50 each), naming the
    cause, which "must contain at least one non-zero number" hid."""
    try:
        given = np.asarray(sample_weight, dtype=np.float64)
    except (TypeError, ValueError):
        return
    if given.any() and not given.astype(np.float32).any():
        raise all_zero_weights(in_float32=True)


def all_zero_weights(in_float32: bool = False) -> ValueError:
    """The error for sample weights that are all 0 (scikit-learn's words), or all 0
    only in float32 (``in_float32``: 1e-50 each), naming that cause."""
    if in_float32:
        return ValueError("sample weights are all 0 in float32, as both libraries hold "
                          "them (below 1.4e-45): scale them up")
    return ValueError("Sample weights must contain at least one non-zero number.")


def _sequence_length(alpha) -> int | None:
    """The number of weights of an ``alpha`` that is a 1-D sequence; None for any other
    (a number, a 0-d array, which is one; a ragged sequence, which the loss refuses)."""
    try:
        return len(alpha) if np.ndim(alpha) == 1 else None
    except (TypeError, ValueError):
        return None


def _named_once(metrics: list) -> list:
    """``metrics`` with each name kept at its first place only, as both plain
    classifiers evaluate a metric named twice (the XGBoost estimator recorded 2 values a
    round, and its early stopping followed the later place); callables stay, each
    evaluated, as there."""
    return [m for i, m in enumerate(metrics) if not isinstance(m, str) or m not in metrics[:i]]


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]
