"""Focal-loss classifiers for Dask collections: FocalDaskXGBClassifier, FocalDaskLGBMClassifier.

They take every parameter of :class:`~focal_boost.FocalXGBClassifier` and
:class:`~focal_boost.FocalLGBMClassifier`, plus ``client``, and keep their contract
(labels of any type, sample weights, ``eval_set``, early stopping on the focal loss
with an internal validation split, probabilities posterior-corrected by default,
the same fitted attributes). They fit on dask arrays and dask DataFrames and
predict to dask arrays; :meth:`to_local` gives the in-memory estimator with the
same booster.

What is computed where:

* **Workers**, one pass over the labels and weights of each partition: the labels
  present, with the rows and the total weight of each (for the training rows and
  the held-out rows apart). The client adds up these summaries, a few numbers per
  class and partition: the class set, the number of rows, the counts behind
  ``alpha="balanced"`` and the class totals behind the intercept, the constant
  margin that minimises the training loss (:meth:`FocalLoss.init_score` depends on
  the labels only through those totals).
* **Workers**: label encoding, the seeded hold-out of ``validation_fraction`` of the
  rows (a random draw per row, from the seed and the partition's position: not
  stratified), and, for LightGBM, the concatenation of each worker's training rows
  into one partition on that worker (XGBoost takes the partitions where they lie).
* **Every training worker holds a whole copy of every validation set.** XGBoost
  and LightGBM evaluate a custom metric on each worker's own rows and LightGBM
  never combines them; with the same rows everywhere each worker computes the
  global metric, so every metric (AUC included) is exact and all workers stop
  early at the same round. A validation set must fit in one worker's memory.
* **Training**: ``xgboost.dask.train`` and ``lightgbm.dask`` with the focal
  objective. The intercept is stored in the model as on one machine (XGBoost's
  ``base_score``; added to the leaves of LightGBM's first trees), so the booster
  predicts correctly anywhere.
* **Workers**, before LightGBM trains: each column's lowest and highest value and its
  missing values on each worker's training rows. Where every column is constant or
  all missing, or every worker has fewer than ``2 * min_child_samples`` rows (LightGBM
  bins each worker's rows apart), LightGBM can split no feature and would fail on
  every worker: the model is then the focal-optimal constant, as on one machine
  (grown here on a few training rows, evaluated here on the validation labels).
* **Prediction**: the in-memory estimator, applied to each partition on the workers.

LightGBM trains through ``lightgbm.dask.DaskLGBMRegressor``: ``DaskLGBMClassifier``
re-encodes each worker's labels from the classes that worker holds, which numbers
them differently on a worker that lacks a class; the regressor takes the class
indices encoded here as they are, and the focal objective with ``num_class`` makes
the model a classifier.
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import operator
from typing import Any

import numpy as np
import scipy.sparse

try:
    import dask
    import dask.array as da
    import dask.dataframe as dd
    import distributed
    import sklearn  # noqa: F401 - in the same extra
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "focal_boost.dask needs dask, distributed and scikit-learn: pip install "
        f"'focal-boost[dask]' ({exc})"
    ) from exc

from sklearn.preprocessing import LabelEncoder
from sklearn.utils._param_validation import HasMethods
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from focal_boost.estimators import (
    LIGHTGBM_NAMES,
    FocalLGBMClassifier,
    FocalXGBClassifier,
    all_zero_weights,
    arrow_numbers_in_numpy,
    category_levels,
    check_frame_dtypes,
    check_set_weights,
    columns_by_position,
    encode_labels,
    eval_encoder,
    eval_set_from_xy,
    feature_names,
    hold_out_refused,
    infinite_columns,
    known_categories,
    missing_label_rows,
    missing_labels,
    non_string_column_names,
    other_levels,
    shown_names,
    training_data,
    unweighted_hold_out,
    values_by_position,
    warn_unweighted_metrics,
)
from focal_boost.metrics import eval_metrics

__all__ = ["FocalDaskXGBClassifier", "FocalDaskLGBMClassifier"]


# ------------------------------------------------------------- input checks
def _get_client(client) -> distributed.Client:
    return distributed.default_client() if client is None else client


def _closed(client) -> bool:
    """Whether ``client`` was closed (it can no longer compute)."""
    return getattr(client, "status", None) in ("closing", "closed")


def _check_X(X, name: str, predict: bool = False, levels: dict[str, Any] | None = None,
             refused_as: str | None = None):
    """A dask array (2-D, numbers, one chunk of columns; numpy or scipy.sparse blocks, the
    latter as CSR matrices) or DataFrame the boosters take
    (``predict``: to predict on, whose partitions may each have their own categories:
    the in-memory estimator matches each partition's categories by value).

    ``levels``: an evaluation set's, the model's category levels by column: its columns
    of categories unknown to dask (``dd.read_parquet``'s) among them are coded by them,
    each partition matched by value (:func:`_in_model_categories`, ``refused_as``)."""
    if isinstance(X, dd.DataFrame):
        if len(X.columns) < 1:
            raise ValueError(f"{name} has no columns")
        if non_string_column_names(X):  # as strings, as in the in-memory estimators
            X = X.rename(columns=str)
        check_frame_dtypes(X._meta, source="dask")
        unknown = [str(col) for col, dtype in X.dtypes.items()
                   if str(dtype) == "category" and not X[col].cat.known]
        coded = {col: levels[col] for col in unknown if col in (levels or {})}
        if coded and not predict:  # (the partitions coded here, the dtype declared so)
            X = X.map_partitions(_in_model_categories, coded, refused_as,
                                 meta=_in_model_categories(X._meta, coded, None))
            unknown = [col for col in unknown if col not in coded]
        if unknown and not predict:
            raise ValueError(
                f"{name} has categorical columns with unknown categories: {unknown}. "
                f"Call {name} = {name}.categorize(columns={unknown}) first, so that every "
                "partition numbers the categories alike"
            )
        return X
    if isinstance(X, da.Array):
        if X.ndim != 2:
            raise ValueError(f"{name} must be 2-D (n_samples, n_features), got {X.ndim}-D")
        # sparse blocks (as the plain Dask classifiers take them) become CSR matrices of
        # floats where they are computed (_part): dask's meta does not always say which
        # blocks are sparse (coo_matrix, bsr, dia blocks have a numpy meta)
        sparse = scipy.sparse.issparse(X._meta)
        if not (sparse or isinstance(X._meta, np.ndarray)) or X.dtype.kind not in "biuf":
            raise TypeError(f"{name} must hold numbers in numpy or scipy.sparse blocks, "
                            f"got {type(X._meta).__name__} of {X.dtype}")
        if X.dtype.kind != "f" and not sparse:
            X = X.astype(np.float64)
        return X.rechunk({1: -1}) if len(X.chunks[1]) > 1 else X
    raise TypeError(
        f"{name} must be a dask array or dask DataFrame, got {type(X).__name__}; "
        "in-memory data goes to FocalXGBClassifier / FocalLGBMClassifier (to_local() "
        "gives a fitted one)"
    )


def _float_dtype(dtype) -> np.dtype:
    """float32 and float64 as they are, other numbers as float64 (what the libraries
    take; LightGBM refuses a sparse matrix of any other dtype)."""
    return np.dtype(dtype) if np.dtype(dtype) in (np.float32, np.float64) else np.dtype(
        np.float64)


def _csr_block(block) -> scipy.sparse.csr_matrix:
    """A sparse block as a CSR matrix of floats: one kind of block, which both libraries'
    Dask training takes (LightGBM's refuses scipy's sparse arrays and most formats)."""
    return scipy.sparse.csr_matrix(block, dtype=_float_dtype(block.dtype))


def _check_vector(v, name: str):
    if isinstance(v, dd.DataFrame) and len(v.columns) == 1:
        return v.iloc[:, 0]
    if isinstance(v, da.Array) and v.ndim == 2 and v.shape[1] == 1:
        return v[:, 0]
    if isinstance(v, dd.Series) or (isinstance(v, da.Array) and v.ndim == 1):
        return v
    if isinstance(v, da.Array | dd.DataFrame) and len(v.shape) == 2:
        # a dask DataFrame's row count is an unevaluated expression: name the columns only
        hint = (": a multi-label y (label matrix) needs the in-memory FocalXGBClassifier"
                if name == "y" else "")  # (an evaluation set's labels or weights: as y)
        raise ValueError(f"{name} must be 1-D, got {v.shape[1]} columns{hint}")
    raise TypeError(f"{name} must be a 1-D dask array or a dask Series, got "
                    f"{getattr(v, 'shape', type(v).__name__)!r} {type(v).__name__}")


def _and(items) -> str:
    """'a and b', 'a, b and c'."""
    items = [str(item) for item in items]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _blocks(collection, optimize: bool = True) -> list:
    """The row partitions of a dask collection, as Delayed objects (``optimize``: of
    its optimized graph)."""
    parts = collection.to_delayed(optimize_graph=optimize)
    return list(parts.ravel()) if isinstance(parts, np.ndarray) else list(parts)


def _part(X, y, w, names: tuple[str, str, str] = ("X", "y", "sample_weight"),
          categories: dict[str, Any] | None = None) -> dict[str, Any]:
    """One row partition: X as it is (its category columns coded by ``categories``, see
    :func:`_in_categories`), labels and weights as numpy arrays."""
    if categories:
        X = _in_categories(X, categories, names[0])
    y = np.asarray(y)
    if len(y) != X.shape[0] or (w is not None and len(w) != len(y)):
        given = names if w is not None else names[:2]  # (no weights: not named)
        rows = (X.shape[0], len(y), *(() if w is None else (len(w),)))
        raise ValueError(
            f"{_and(given)} have partitions of different lengths "
            f"({', '.join(map(str, rows))} rows): chunk or partition them alike"
        )
    if scipy.sparse.issparse(X):
        X = _csr_block(X)
    # weights in float32, as the in-memory estimators and both libraries hold them
    w32 = None if w is None else np.asarray(w, dtype=np.float32)
    # weights that are all 0 only in float32 (1e-50), for the error that names the cause
    tiny = w32 is not None and not w32.any() and bool(np.asarray(w, dtype=np.float64).any())
    return {"X": X, "y": y, "w": w32, "tiny": tiny}


def _same_levels(values, levels) -> bool:
    """Whether the category column ``values`` has ``levels``, in their order and of their
    dtype (pandas' ``str`` and ``string`` levels are equal Indexes, but frames of both
    concatenate to strings, not categories: LightGBM then finds a category column
    fewer in an evaluation set than in the training data)."""
    categories = values.cat.categories
    return categories.equals(levels) and categories.dtype == levels.dtype


def _in_model_categories(X, levels: dict[str, Any], refused_as: str | None):
    """The partition X with the category columns of ``levels`` (an evaluation set's
    columns of categories unknown to dask) coded by the model's levels, matched by value,
    as the in-memory estimator codes an evaluation set's: a level the model lacks is
    refused where rows hold it, the set named ``refused_as`` (XGBoost's estimator,
    :func:`known_categories`), or, ``refused_as`` None, read as missing (LightGBM sets
    the training data's levels on an evaluation set)."""
    if refused_as is not None:
        X = known_categories(X, levels, refused_as)
    changed = {column: X[column].cat.set_categories(column_levels)
               for column, column_levels in levels.items()
               if not _same_levels(X[column], column_levels)}
    return X.assign(**changed) if changed else X


def _in_categories(X, categories: dict[str, Any], name: str):
    """The partition X with each category column coded by the levels of its
    collection's dtype (``categories``, dask's meta). A partition may code the same
    levels in another order, or a subset of them (``dd.concat`` of frames categorized
    apart): XGBoost would train on its codes as those of other levels (DaskXGBClassifier
    alike) or fail on the workers; matched by value, as predict matches them. Levels
    the dtype lacks are refused where rows hold them (else dropped)."""
    changed = {}
    for column, levels in categories.items():
        values = X[column]
        if _same_levels(values, levels):
            continue
        extra = values.cat.categories.difference(levels)
        held = extra[extra.isin(values.dropna().unique())]
        if len(held):
            raise ValueError(f"{name} holds, in column {column!r}, categories its dtype "
                             f"lacks ({shown_names(held)}): call {name} = "
                             f"{name}.categorize(columns=[{column!r}]) first")
        changed[column] = values.cat.set_categories(levels)
    return X.assign(**changed) if changed else X


def _part_infinities(part, sign: float | None) -> list:
    """The columns of a partition's X that hold inf (``sign`` +1), -inf (-1) or either."""
    return infinite_columns(part["X"], sign)


def _wait_raising(futures: list) -> None:
    """Wait for ``futures``, raising the first failed one's error as raised on its
    worker (as gather would, without bringing the results here)."""
    distributed.wait(futures)
    for future in futures:
        if future.status == "error":
            future.result()


def _part_categories(part, known: dict, name: str) -> dict:
    """A partition checked as the in-memory estimator checks X's category levels, its
    X less the levels of its dtypes that no row holds (XGBoost 3.4 refuses those)."""
    return {**part, "X": known_categories(part["X"], known, name)}


def _infinities_of(client, parts, meta):
    """``columns_of(sign)`` of the estimators' infinity checks for the partitions
    ``parts`` of a collection like ``meta``: the columns that hold that infinity in any
    of them, each once, in X's column order (as in memory: a message lists the first
    five)."""
    def columns_of(sign: float | None) -> list:
        found = client.gather(client.map(_part_infinities, parts, sign=sign, pure=False))
        union = {column for columns in found for column in columns}
        if hasattr(meta, "columns"):  # a DataFrame's names
            return [column for column in meta.columns if column in union]
        return sorted(union)  # positions
    return columns_of


def _all_zero_weights(client, parts) -> ValueError:
    """The error for weights of ``parts`` that are all 0: in float32 only, where some
    partition's given weights were not (as in memory)."""
    tiny = any(client.gather(client.map(operator.itemgetter("tiny"), parts)))
    return all_zero_weights(in_float32=tiny)


def _known_length(v) -> int | None:
    """The rows of an array whose chunks are known; None otherwise (a DataFrame, a
    Series or an array of unknown chunks: counting them would compute them)."""
    if not isinstance(v, da.Array) or np.isnan(v.shape[0]):
        return None
    return int(v.shape[0])


def _like(v, X):
    """``v`` chunked along the rows as X is, where both are arrays of known chunks."""
    if (isinstance(v, da.Array) and isinstance(X, da.Array) and v.chunks[0] != X.chunks[0]
            and not np.isnan(X.shape[0]) and not np.isnan(v.shape[0])):
        return v.rechunk({0: X.chunks[0]})
    return v


def _compute_parts(client, X, y, w, names: tuple[str, str, str],
                   arrow_numbers: bool = False, levels: dict[str, Any] | None = None,
                   refused_as: str | None = None) -> tuple[list, Any]:
    """Futures of the row partitions of (X, y, w), each on the worker that computed it,
    and the checked X (``arrow_numbers``: a DataFrame's Arrow-backed numbers in NumPy's
    dtypes, :func:`focal_boost.estimators.arrow_numbers_in_numpy`; ``levels`` and
    ``refused_as``: an evaluation set's, see :func:`_check_X`)."""
    import pandas as pd

    X = _check_X(X, names[0], levels=levels, refused_as=refused_as)
    if arrow_numbers and isinstance(X, dd.DataFrame) and any(
            isinstance(dtype, pd.ArrowDtype) and dtype.kind in "biuf" for dtype in X.dtypes):
        X = X.map_partitions(arrow_numbers_in_numpy, meta=arrow_numbers_in_numpy(X._meta))
    y = _check_vector(y, names[1])
    w = None if w is None else _check_vector(w, names[2])
    for v, name in ((y, names[1]), (w, names[2])):  # where both lengths are known
        rows, length = _known_length(X), _known_length(v)
        if rows is not None and length is not None and rows != length:
            raise ValueError(f"{names[0]} has {rows} rows but {name} has {length} "
                             "entries: give one per row (scikit-learn: inconsistent numbers "
                             "of samples)")
    y = _like(y, X)
    w = None if w is None else _like(w, X)
    xs, ys = _blocks(X), _blocks(y)
    ws = [None] * len(xs) if w is None else _blocks(w)
    if not len(xs) == len(ys) == len(ws):
        # dask's optimizer fuses the partitions of each collection by its own size: X
        # and y of one dd.read_parquet frame (4 partitions each, as dask reports them)
        # came as 4 and 2, as y's one column fused two files a partition. Their
        # partitions as written, which the reported counts describe
        xs, ys = _blocks(X, optimize=False), _blocks(y, optimize=False)
        ws = [None] * len(xs) if w is None else _blocks(w, optimize=False)
    if not len(xs) == len(ys) == len(ws):
        given = names if w is not None else names[:2]  # (no weights: not named)
        counts = [len(xs), len(ys), *(() if w is None else (len(ws),))]
        raise ValueError(
            f"{_and(given)} must have the same number of row partitions, got "
            f"{_and(counts)}: repartition them alike"
        )
    # (known: _check_X refused unknown ones, or coded them by the model's levels)
    categories = category_levels(X._meta) if isinstance(X, dd.DataFrame) else None
    parts = client.compute([dask.delayed(_part)(*p, names=names, categories=categories)
                            for p in zip(xs, ys, ws, strict=True)])
    return parts, X


# ------------------------------------------------------------ label summary
def _held_out(n: int, seed: int, index: int, fraction: float | None) -> np.ndarray:
    """The rows of partition ``index`` held out for validation: a seeded draw per row."""
    if fraction is None:
        return np.zeros(n, dtype=bool)
    return np.random.default_rng([seed, index]).random(n) < fraction


def _class_totals(y: np.ndarray, w: np.ndarray | None):
    classes, inverse = np.unique(y, return_inverse=True)
    counts = np.bincount(inverse, minlength=len(classes))
    return classes, counts, np.bincount(inverse, weights=w, minlength=len(classes))


def _label_summary(part, index: int, seed: int, fraction: float | None,
                   weight_name: str = "sample_weight"):
    """The partition's rows, those of them whose label is missing, and (where none is)
    labels present, rows and total weight of each: training rows, then held-out rows."""
    y, w = part["y"], part["w"]
    missing = missing_label_rows(y)
    if missing.size:  # named by their row in the whole y, once all partitions are in
        return len(y), missing, None
    if w is not None and not (np.isfinite(w).all() and (w >= 0).all()):
        # (in float32: 1e39 is infinite there)
        raise ValueError(f"{weight_name} must be finite and >= 0 in float32, as both "
                         "libraries hold weights (at most 3.4e38)")
    out = _held_out(len(y), seed, index, fraction)
    return len(y), missing, [_class_totals(y[rows], None if w is None else w[rows])
                             for rows in (~out, out)]


class _Summary:
    """The summaries of all partitions, added up: classes, counts and totals per class."""

    def __init__(self, summaries: list) -> None:
        self.classes = np.unique(np.concatenate([s[0] for part in summaries for s in part]))
        k = len(self.classes)
        # [training, held out] x class; rows of each partition [training, held out]
        self.counts, self.totals = np.zeros((2, k)), np.zeros((2, k))
        self.part_rows = np.zeros((len(summaries), 2), dtype=np.int64)
        for i, part in enumerate(summaries):
            for j, (classes, counts, totals) in enumerate(part):
                idx = np.searchsorted(self.classes, classes)
                self.counts[j, idx] += counts
                self.totals[j, idx] += totals
                self.part_rows[i, j] = counts.sum()

    def cover(self, classes: np.ndarray) -> None:
        """Count by ``classes``, which hold the labels' (those of a model continued on
        rows of some of its classes): the others count 0."""
        if len(classes) == len(self.classes):
            return
        idx = [classes.tolist().index(label) for label in self.classes.tolist()]
        self.classes = classes
        for name in ("counts", "totals"):
            counted = np.zeros((2, len(classes)))
            counted[:, idx] = getattr(self, name)
            setattr(self, name, counted)


def _summarise(client, parts, seed: int, fraction: float | None, name: str = "y",
               weight_name: str = "sample_weight") -> _Summary:
    summaries = client.gather(client.map(
        _label_summary, parts, range(len(parts)), seed=seed, fraction=fraction,
        weight_name=weight_name, pure=False))
    starts = np.cumsum([0, *(rows for rows, _, _ in summaries)])
    missing = np.concatenate([start + rows for start, (_, rows, _)
                              in zip(starts[:-1], summaries, strict=True)])
    if missing.size:  # rows of the whole y, as in memory
        raise missing_labels(missing, name)
    return _Summary([summary for _, _, summary in summaries])


# ------------------------------------------------------------- data layout
def _select(part, index: int, encoder, seed: int, fraction: float | None, held_out: bool):
    """The training (or held-out) rows of a partition, labels encoded. All of them (no
    hold-out): X and the weights as they are, not a copy of the worker's features."""
    X, y, w = part["X"], part["y"], part["w"]
    rows = _held_out(len(y), seed, index, fraction) == held_out
    if not rows.all():
        X = X.iloc[rows] if hasattr(X, "iloc") else X[rows]
        y, w = y[rows], None if w is None else w[rows]
    return {"X": X, "y": encode_labels(encoder, y), "w": w}


def _concat(*parts) -> dict[str, Any]:
    """Row partitions as one; a single one as it is (concatenating copies it)."""
    import pandas as pd

    if len(parts) == 1:
        return parts[0]
    X = [p["X"] for p in parts]
    w = [p["w"] for p in parts]
    if isinstance(X[0], pd.DataFrame):
        X = pd.concat(X)
    elif scipy.sparse.issparse(X[0]):
        X = scipy.sparse.vstack(X, format="csr")
    else:
        X = np.concatenate(X)
    return {"X": X,
            "y": np.concatenate([p["y"] for p in parts]),
            "w": None if w[0] is None else np.concatenate(w)}


def _collections(futures, rows, X_meta, weighted: bool) -> tuple:
    """(X, y, w) dask collections with one partition per future of a non-empty partition.

    Empty partitions are left out: a 0-row DataFrame partition stays a partition where
    ``da.concatenate`` drops a 0-length block, and XGBoost's Dask interface refuses X and
    labels with different numbers of partitions.
    """
    kept = [(f, n) for f, n in zip(futures, rows, strict=True) if n > 0] or [
        (futures[0], rows[0])]
    parts, rows = [dask.delayed(f) for f, _ in kept], [n for _, n in kept]
    if isinstance(X_meta, np.ndarray) or scipy.sparse.issparse(X_meta):
        X = da.concatenate([da.from_delayed(p["X"], (n, X_meta.shape[1]), X_meta.dtype,
                                            meta=X_meta)
                            for p, n in zip(parts, rows, strict=True)])
    else:
        X = dd.from_delayed([p["X"] for p in parts], meta=X_meta, verify_meta=False)

    def vector(key, dtype):
        return da.concatenate([da.from_delayed(p[key], (n,), dtype)
                               for p, n in zip(parts, rows, strict=True)])

    return X, vector("y", np.float32), vector("w", np.float32) if weighted else None


def _meta(X):
    """An empty block like X's: (0, n_features) array or CSR matrix, or empty DataFrame."""
    if not isinstance(X, da.Array):
        return X._meta
    empty = np.empty((0, X.shape[1]), X.dtype)
    return _csr_block(empty) if scipy.sparse.issparse(X._meta) else empty


def _column_ranges(part, ranges):
    """``ranges`` of a partition's features (the adapter's summary of its columns)."""
    return ranges(part["X"])


def _head(part, n: int) -> dict[str, Any]:
    """The first ``n`` rows of a partition (features and labels)."""
    X = part["X"]
    return {"X": X.iloc[:n] if hasattr(X, "iloc") else X[:n], "y": part["y"][:n]}


def _labels(part) -> tuple:
    return part["y"], part["w"]


class _Data:
    """Training rows as one partition per worker; each validation set whole on each.

    ``train`` and each entry of ``valid`` are ``(X, y, sample_weight)`` dask
    collections whose partition ``i`` lies on ``workers[i]``, which holds
    ``train_rows[i]`` training rows. With ``per_worker=False`` they are the
    training partitions as they lie instead (``train_rows`` still counts each
    worker's rows).
    ``valid_sets``: ``(partitions, rows of each, weighted, X's meta)`` per validation
    set (the meta None: the training data's, ``X_meta``).
    """

    def __init__(self, client, train_parts, train_rows, valid_sets, X_meta, weighted, *,
                 per_worker: bool = True) -> None:
        _wait_raising(train_parts)  # (who_has names no holder of a failed part)
        holders = client.who_has(train_parts)
        by_worker: dict[str, list[int]] = {}
        for i, f in enumerate(train_parts):
            by_worker.setdefault(holders[f.key][0], []).append(i)
        self.workers = list(by_worker)
        rows = [int(sum(train_rows[i] for i in idx)) for idx in by_worker.values()]
        self.train_rows = rows
        self.valid = []
        if per_worker:
            merged = [client.submit(_concat, *[train_parts[i] for i in idx], workers=[w],
                                    pure=False) for w, idx in by_worker.items()]
            self.train = _collections(merged, rows, X_meta, weighted)
        else:  # XGBoost's Dask interface takes the partitions where they lie
            merged = None  # (LightGBM's helpers below read the joined ones)
            self.train = _collections(train_parts, [int(r) for r in train_rows], X_meta,
                                      weighted)
        self._parts, self._valid_parts = merged, []
        # Every worker scores the whole validation set: the libraries average a custom
        # metric over the workers, which is right only when each one saw every row
        for parts, part_rows, valid_weighted, valid_meta in valid_sets:
            n_rows = int(sum(part_rows))
            copies = [client.submit(_concat, *parts, workers=[w], pure=False)
                      for w in self.workers]
            self.valid.append(_collections(
                copies, [n_rows] * len(copies),
                X_meta if valid_meta is None else valid_meta, valid_weighted))
            self._valid_parts.append(copies[0])

    def column_ranges(self, client, ranges) -> list:
        """``ranges(X)`` of each worker's training rows, computed there."""
        return client.gather(client.map(_column_ranges, self._parts, ranges=ranges,
                                        pure=False))

    def head(self, client, n: int) -> dict[str, Any]:
        """The first ``n`` training rows of the largest worker partition, here."""
        return client.submit(_head, self._parts[int(np.argmax(self.train_rows))], n,
                             pure=False).result()

    def valid_labels(self, client) -> list[tuple]:
        """The labels and weights (None: unweighted) of each validation set, here."""
        return client.gather([client.submit(_labels, part, pure=False)
                              for part in self._valid_parts])


# ------------------------------------------------------------- prediction
def _apply(block, estimator, method: str, shape: tuple[int, ...], dtype, options=None):
    if not block.shape[0]:  # (the libraries refuse zero rows for leaves and contributions)
        return np.empty((0, *shape), dtype=dtype)
    out = getattr(estimator, method)(block, **(options or {}))
    if isinstance(out, list):  # LightGBM's contributions of sparse rows, one per class
        out = scipy.sparse.hstack(out)
    # dense, as from dense rows (the plain Dask classifiers keep LightGBM's sparse ones)
    return np.asarray(out.toarray() if scipy.sparse.issparse(out) else out, dtype=dtype)


def _apply_column(block, estimator, method: str, dtype, options=None):
    """``method``'s one value per row of a block, as a column (:func:`_apply`)."""
    return _apply(block, estimator, method, (), dtype, options)[:, None]


def _apply_series(part, estimator, method: str, dtype, options=None):
    """``method``'s labels of a DataFrame partition as a Series on its index."""
    import pandas as pd

    return pd.Series(np.asarray(getattr(estimator, method)(part, **(options or {})),
                                dtype=dtype), index=part.index)


def _one_row(X):
    """A row like X's, of missing values where the dtypes allow (the shape of a
    prediction does not depend on the values); dense for an array, whose sparse
    blocks' outputs :func:`_apply` makes dense too."""
    if isinstance(X, dd.DataFrame):
        import pandas as pd
        from dask.dataframe.utils import meta_nonempty

        row = meta_nonempty(X._meta).iloc[:1].copy()
        for name, dtype in row.dtypes.items():
            # dask's stand-in category ('__UNKNOWN_CATEGORIES__', or the first level
            # declared) is one the model may not know, which XGBoost cannot score
            if isinstance(dtype, pd.CategoricalDtype):
                row[name] = pd.Categorical([None], dtype=dtype)
            elif dtype.kind == "f":
                row[name] = np.nan
        return row
    return np.full((1, X.shape[1]), np.nan if X.dtype.kind == "f" else 0, dtype=X.dtype)


def _dask_signature(local_class) -> inspect.Signature:
    """The local class's ``__init__`` signature with ``client`` before ``**kwargs``."""
    sig = inspect.signature(local_class.__init__)
    params = list(sig.parameters.values())
    client = inspect.Parameter("client", inspect.Parameter.KEYWORD_ONLY, default=None)
    return sig.replace(parameters=[*params[:-1], client, params[-1]])


class _DaskClassifierMixin:
    """Fit on dask collections, predict to dask arrays; the rest as the local class."""

    _local_class: type
    _MULTI_LABEL = False  # one label per row
    # The training rows joined into one partition per worker (LightGBM's Dask path
    # reads each worker's rows); False: the partitions as they lie
    _PER_WORKER = True

    def __getstate__(self):
        # a client does not travel; None: the default one (the state may be __dict__ itself)
        return {**super().__getstate__(), "client": None}

    def __sklearn_clone__(self):
        # a clone shares the client (clone would deep-copy it, which a client refuses):
        # cloned from a shallow copy without it (copy takes __getstate__'s), so that
        # this estimator keeps its client throughout (threads cloning it at once)
        unbound = copy.copy(self)
        new = super(_DaskClassifierMixin, unbound).__sklearn_clone__()
        new.client = self.client
        return new

    def to_local(self):
        """The in-memory estimator (FocalXGBClassifier / FocalLGBMClassifier), same booster.

        It has the same parameters, less ``client``, and the fitted attributes.
        """
        check_is_fitted(self)
        params = self.get_params(deep=False)
        del params["client"]
        local = self._local_class(**params)
        vars(local).update({key: value for key, value in vars(self).items()
                            if (key.endswith("_") and not key.startswith("_"))
                            or key in local._PREDICT_STATE})
        return local

    # ---------------------------------------------------------------- fit
    def _kernel_threads(self) -> int | None:
        """``n_jobs`` when positive (xgboost.dask's ``nthread`` on every worker), else the
        threads of the smallest worker (set by ``fit``)."""
        own = super()._kernel_threads()
        return own if own is not None else getattr(self, "_worker_threads", None)

    def _validate_meta(self, X, *, reset: bool, by_position: bool = False,
                       eval_name: str | None = None) -> None:
        """Feature names and count, from a dask array or a DataFrame's empty meta;
        ``by_position``: a DataFrame's columns in the training order, whatever their
        names (the libraries' ``validate_features=False``, as the in-memory estimators);
        ``eval_name``: X is that evaluation set's, checked as in memory, by its name."""
        meta = X._meta if isinstance(X, dd.DataFrame) else X
        names = getattr(self, "feature_names_in_", None)
        if (by_position and isinstance(X, dd.DataFrame) and names is not None
                and meta.shape[1] == len(names)):
            meta = meta.set_axis(list(names), axis=1)
        if eval_name is not None:
            self._check_eval_features(meta, eval_name)
        else:
            validate_data(self, meta, reset=reset, skip_check_array=True)
        if reset:  # the training data's category levels, which predict checks (the
            # partitions, by the in-memory estimator; _check_X named the columns)
            self._check_categories(meta, reset=True, name="X")
        else:  # (before the workers, as the partitions are checked again there)
            self._check_category_dtypes(meta, eval_name or "X")

    # The local class's fit parameters that this class's fit also takes.
    _DASK_FIT_PARAMS: tuple[str, ...] = ()
    # An evaluation set's category level the model lacks, where rows hold it: refused,
    # as the in-memory estimator refuses it (XGBoost's), or read as missing (LightGBM's)
    _REFUSES_UNSEEN_LEVELS = False

    def _model_levels(self, X) -> dict[str, Any] | None:
        """The category levels, by column, that code the rows of the model fitted on
        X (checked): the continued model's (XGBoost's estimator records them, or the
        training data's), else X's."""
        levels = getattr(self, "_category_levels", None)
        return levels if levels is not None else category_levels(_meta(X))

    def _fit_steps(self, *args, **kwargs):
        self._check_params()
        client = _get_client(self.client)
        if _closed(client):
            raise ValueError(f"the client of this {type(self).__name__} is closed: "
                             "set_params(client=...) to an open one, or client=None for "
                             "the default client")
        if getattr(client, "asynchronous", False):
            return self._fit_awaitable(client, args, kwargs)
        # the client the estimator names is the current one while it fits: xgboost.dask
        # persists the training data on the current client (the default one), and waited
        # forever on another client for it (as DaskXGBClassifier(client=...) does)
        with self._client_scope():
            return self._fit_on(client, *args, **kwargs)

    async def _fit_awaitable(self, client, args, kwargs):
        """``fit`` through an asynchronous client, awaited as DaskXGBClassifier's: with a
        synchronous client of the same scheduler, in a thread (every step here calls the
        client synchronously; the first one's coroutine failed), then the estimator."""
        import asyncio

        def fit() -> None:
            # (the scope of _fit's, which ended when it got this coroutine; XGBoost's
            # settings are per thread)
            with (self._fit_scope(),
                  distributed.Client(client.scheduler.address, security=client.security,
                                     set_as_default=False) as own, own.as_current()):
                self._fit_on(own, *args, **kwargs)

        await asyncio.to_thread(fit)
        return self

    def _check_part_infinities(self, client, parts, X, name: str) -> None:
        """The in-memory estimator's infinity checks, of the partitions ``parts`` of X on
        the workers (XGBoost's own refusal there is a C++ trace, or a broken ring of
        workers); a pass over them only where a check needs one."""
        columns_of = _infinities_of(client, parts, _meta(X))
        self._check_every_infinity(columns_of, name)
        self._check_infinities(columns_of, name)

    def _check_part_categories(self, client, parts, X, name: str) -> list:
        """The partitions ``parts`` of X checked on the workers as the in-memory
        estimator checks category levels, where X's dtypes hold levels the model's lack:
        the checked partitions (the levels no row holds left out, as in memory)."""
        known = getattr(self, "_category_levels", None)
        if not (isinstance(X, dd.DataFrame) and other_levels(X._meta, known)):
            return parts
        checked = client.map(_part_categories, parts, known=known, name=name, pure=False)
        _wait_raising(checked)
        return checked

    def _fit_on(self, client, X, y, sample_weight, eval_set, eval_sample_weight, verbose,
                eval_metric, callbacks, row_margins=None, **fit_params):
        unknown = ["init_score"] * (row_margins is not None) + sorted(
            set(fit_params) - set(self._DASK_FIT_PARAMS))
        if unknown:  # not in the Dask fit signatures
            raise TypeError(f"{type(self).__name__}.fit does not take {unknown}")
        # The threads of the smallest worker: the libraries' Dask estimators run each
        # worker on its own threads, and so do the focal kernels there (never more)
        self._worker_threads = min(client.nthreads().values(), default=None)
        stopping = int(self.early_stopping_rounds or 0) or None  # 0: off, as in XGBoost
        eval_set = list(eval_set or [])
        check_set_weights(eval_sample_weight, len(eval_set))
        # the training data passed again, as the in-memory estimators tell it apart
        is_training = training_data(eval_set, X, y)
        stopping, stopping_set = self._follow(is_training, stopping)
        fraction = self.validation_fraction if stopping is not None and not eval_set else None
        seed = self._split_seed()

        parts, X = _compute_parts(client, X, y, sample_weight, ("X", "y", "sample_weight"),
                                  self._ARROW_NUMBERS_IN_NUMPY)
        self._validate_meta(X, reset=True)
        self._check_part_infinities(client, parts, X, "X")
        levels = self._continued_levels(fit_params, getattr(_meta(X), "columns", None))
        if levels is not None:  # the continued model's levels code the rows, as in memory
            self._category_levels = levels
            parts = self._check_part_categories(client, parts, X, "X")
        self._warn_booster_names()  # as in memory
        # (an evaluation set's columns of categories unknown to dask are coded by them)
        model_levels = self._model_levels(X)
        summary = _summarise(client, parts, seed, fraction)
        if sample_weight is not None and not summary.totals.sum() > 0:
            raise _all_zero_weights(client, parts)  # as in memory
        classes = summary.classes
        # the distinct classes, not the labels: every one unique, which scikit-learn's
        # check reads as a regression target past 20 classes (a warning the labels, as
        # DaskXGBClassifier and DaskLGBMClassifier check them, do not give); each class
        # twice is half unique, below that warning, and of the same type of target
        # (catch_warnings would swap the process's warning state, which fits in threads
        # could leave changed)
        check_classification_targets(np.repeat(classes, 2))
        if not len(classes):
            raise ValueError(f"y has no class; {type(self).__name__} needs labels")
        self.n_outputs_ = 1
        encoder = LabelEncoder().fit(self._continued_classes(classes, fit_params))
        self.classes_ = encoder.classes_
        self.n_classes_ = len(self.classes_)
        summary.cover(self.classes_)  # (classes of the model continued without rows here)
        self.loss_ = self._make_loss(summary.counts.sum(axis=0))
        metrics = eval_metrics(self._library_spelling(eval_metric, self.n_classes_),
                               parameter=self._METRIC_PARAMETERS,
                               multiclass=self.n_classes_ > 2)

        valid_sets = []
        for i, pair in enumerate(eval_set):
            if len(pair) != 2:
                raise ValueError("eval_set must be a list of (X, y) pairs")
            w = None if eval_sample_weight is None else eval_sample_weight[i]
            if is_training[i] and self._EVALUATES_TRAINING_DATA:
                w = sample_weight  # evaluated as trained on, as in memory
            name = f"eval_set[{i}]"
            Xe = pair[0]
            if isinstance(Xe, dd.DataFrame) and not hasattr(self, "feature_names_in_"):
                # fitted on an array: the set's columns are read by position, as predict
                # reads a DataFrame (and as in memory); XGBoost's Dask interface took its
                # names for the booster's and failed on the workers ("data did not
                # contain feature names"), as DaskXGBClassifier does
                Xe = _check_X(Xe, f"{name}[0]")
                self._validate_meta(Xe, reset=False, eval_name=f"{name}'s X")
                categories = [str(c) for c, dtype in Xe.dtypes.items()
                              if str(dtype) == "category"]
                if categories and not getattr(self, "enable_categorical", True):
                    # (XGBoost's, as the in-memory estimator's DMatrix refuses them)
                    raise ValueError(f"{name}'s X has category columns ({categories}): "
                                     "set enable_categorical=True to take them")
                Xe = Xe.map_partitions(values_by_position,
                                       meta=np.empty((0, len(Xe.columns)), np.float64))
            vparts, Xv = _compute_parts(client, Xe, pair[1], w, (
                f"{name}[0]", f"{name}[1]", f"the weights of {name}"),
                self._ARROW_NUMBERS_IN_NUMPY, levels=model_levels,
                refused_as=f"{name}'s X" if self._REFUSES_UNSEEN_LEVELS else None)
            self._validate_meta(Xv, reset=False, eval_name=f"{name}'s X")
            self._check_part_infinities(client, vparts, Xv, f"{name}'s X")
            vparts = self._check_part_categories(client, vparts, Xv, f"{name}'s X")
            # (named by the set: FocalDaskXGBClassifier's sample_weight_eval_set, too)
            vsummary = _summarise(client, vparts, seed, None, f"{name}[1]",
                                  f"the weights of {name}")
            if w is not None and not vsummary.totals.sum() > 0:  # its metric would be NaN
                # (as in memory)
                raise ValueError(f"the weights of {name}: {_all_zero_weights(client, vparts)}")
            set_encoder = eval_encoder(encoder, vsummary.classes, name)
            selected = client.map(_select, vparts, range(len(vparts)), encoder=set_encoder,
                                  seed=seed, fraction=None, held_out=False, pure=False)
            # an array's own blocks (sparse or dense, its dtype), whatever the training's
            valid_sets.append((selected, vsummary.part_rows.sum(axis=1), w is not None,
                               _meta(Xv) if isinstance(Xv, da.Array) else None))
        select = {"encoder": encoder, "seed": seed, "fraction": fraction}
        if fraction is not None:
            n_valid = int(summary.part_rows[:, 1].sum())
            if n_valid == 0 or summary.part_rows[:, 0].sum() == 0:
                raise hold_out_refused(
                    fraction, f", which leaves {n_valid} of {summary.part_rows.sum()} for "
                    "validation here", "change")
            untrained = summary.classes[(summary.counts[0] == 0)
                                        & (summary.counts.sum(axis=0) > 0)]
            if len(untrained):  # (the hold-out is a random share of each partition)
                raise hold_out_refused(
                    fraction, ", which leaves no training row of class(es) "
                    f"{untrained.tolist()} here", "change")
            if sample_weight is not None and not summary.totals[1].sum() > 0:
                raise unweighted_hold_out(fraction)
            if sample_weight is not None and not summary.totals[0].sum() > 0:
                raise unweighted_hold_out(fraction, trained=True)
            held_out = client.map(_select, parts, range(len(parts)), held_out=True,
                                  pure=False, **select)
            valid_sets.append((held_out, summary.part_rows[:, 1], sample_weight is not None,
                               None))
        warn_unweighted_metrics(metrics, any(weighted for _, _, weighted, _ in valid_sets))
        train = client.map(_select, parts, range(len(parts)), held_out=False, pure=False,
                           **select)
        del parts  # the selections keep what they need
        data = _Data(client, train, summary.part_rows[:, 0], valid_sets, _meta(X),
                     sample_weight is not None, per_worker=self._PER_WORKER)
        skip = [name for name, training in zip(self._eval_names(len(eval_set)), is_training,
                                               strict=True)
                if training and self._EVALUATES_TRAINING_DATA]
        self._train_on_cluster(client, data, summary.totals[0], verbose, metrics, stopping,
                               callbacks, skip=skip, **fit_params)
        # (X, y, w) of each validation set as _set_best reads them: y's length is its rows
        self._stopping_set = stopping_set
        self._set_best([(None, range(int(sum(n))), None) for _, n, _, _ in valid_sets],
                       metrics, stopping, held_out=not eval_set, callbacks=callbacks,
                       constant=self.n_classes_ == 1)
        return self

    # ------------------------------------------------------------ predict
    def _map_blocks(self, X, method: str, shape: tuple[int, ...], dtype,
                    series: bool = False, options: dict | None = None):
        """``method`` of the in-memory estimator on each block of X, as a dask array
        (``series``: for a dask DataFrame, a dask Series on its index). ``options``:
        the method's keyword arguments (the libraries' prediction options), which
        may change the shape and type of a row's output: they are then those of the
        in-memory estimator's output on one row like X's (:func:`_one_row`)."""
        check_is_fitted(self)
        if method in self._PREDICT_OPTIONS:  # unknown options refused in this class's name
            self._options(method, options or {})
        X = _check_X(X, "X", predict=True)
        self._validate_meta(X, reset=False, by_position=columns_by_position(options or {}))
        local_estimator = self.to_local()
        if options:
            with self._client_scope():  # (X's meta may be computed)
                row = getattr(local_estimator, method)(_one_row(X), **options)
            shape, dtype = np.shape(row)[1:], np.asarray(row).dtype
        local = dask.delayed(local_estimator, pure=True)
        if isinstance(X, dd.DataFrame) and series and not shape:
            import pandas as pd

            return X.map_partitions(_apply_series, local, method, dtype, options,
                                    meta=pd.Series([], dtype=dtype))
        meta = np.empty((0, *shape), dtype=dtype)
        if isinstance(X, dd.DataFrame):
            return X.map_partitions(_apply, local, method, shape, dtype, options, meta=meta)
        if not shape:  # one value per row: a column of each block, then its values (with
            # drop_axis=1 dask before 2025.3 joined scipy.sparse array blocks as objects)
            return X.map_blocks(_apply_column, local, method, dtype, options, dtype=dtype,
                                meta=np.empty((0, 1), dtype=dtype),
                                chunks=(X.chunks[0], (1,)))[:, 0]
        return X.map_blocks(_apply, local, method, shape, dtype, options, dtype=dtype,
                            meta=meta, chunks=(X.chunks[0], *((n,) for n in shape)))

    def score(self, X, y, sample_weight=None) -> float:
        """Mean accuracy of ``predict(X)`` against ``y`` (weighted), as the in-memory
        classifiers give it; the predictions and labels are gathered here."""
        from sklearn.metrics import accuracy_score

        def gathered(v):  # one collection at a time: dask warns on mixed graph kinds
            return None if v is None else np.asarray(v.compute() if hasattr(v, "compute")
                                                     else v)

        with self._client_scope():
            return float(accuracy_score(gathered(y), gathered(self.predict(X)),
                                        sample_weight=gathered(sample_weight)))

    def _client_scope(self):
        """The estimator's ``client`` as the current one (its data may be there, not on
        the default client's cluster); without one (or closed since), dask's default as
        it stands."""
        client = self.client
        if client is None or _closed(client):
            return contextlib.nullcontext()
        return client.as_current()

    def decision_function(self, X, *args, **options):
        """The in-memory estimator's ``decision_function`` (the posterior's log-odds, or
        the raw margins with ``posterior_correction=False``) as a dask array:
        (n_samples,) binary, (n_samples, n_classes) else; ``options`` as there."""
        check_is_fitted(self)
        shape = () if self.n_classes_ <= 2 else (self.n_classes_,)  # (one class: binary)
        return self._map_blocks(X, "decision_function", shape, np.float64,
                                options=self._by_name("decision_function", args, options))

    def predict_proba(self, X, *args, **options):
        """Class probabilities as a dask array of shape (n_samples, n_classes) (two
        columns for a model of one class, as in memory).

        The recovered class posterior unless ``posterior_correction=False``, as in the
        in-memory estimator; ``options``: its prediction options (the library's:
        ``iteration_range``, ``num_iteration``, ``raw_score``, ``pred_contrib``, ...),
        as the library's Dask classifier takes them. For a dask DataFrame the chunk
        sizes are unknown (``compute_chunk_sizes()`` finds them).
        """
        check_is_fitted(self)
        return self._map_blocks(X, "predict_proba", (max(2, self.n_classes_),), np.float64,
                                options=self._by_name("predict_proba", args, options))

    # binary predict on a dask DataFrame: a dask Series on its index (DaskXGBClassifier's),
    # or an array (DaskLGBMClassifier's)
    _PREDICT_SERIES = False

    def predict(self, X, *args, **options):
        """Class labels (the argmax of :meth:`predict_proba`): a dask array, or for a
        binary model on a dask DataFrame what the library's Dask classifier returns
        there (XGBoost: a dask Series on X's index; LightGBM: a dask array).
        ``options``: the in-memory estimator's prediction options (the library's:
        margins, leaves or contributions instead of labels)."""
        check_is_fitted(self)
        return self._map_blocks(X, "predict", (), self.classes_.dtype,
                                series=self._PREDICT_SERIES and self.n_classes_ <= 2,
                                options=self._by_name("predict", args, options))


# ``client`` joins the local class's parameters, checked at the start of its ``fit``.
_CLIENT_CONSTRAINT = [None, HasMethods(["compute", "gather", "map", "submit"])]


def _dask_init(local_class):
    """``__init__``: the local class's parameters, and ``client``."""
    def __init__(self, gamma: float = 2.0, alpha=None, *, client=None, **kwargs: Any) -> None:
        local_class.__init__(self, gamma, alpha, **kwargs)
        self.client = client

    __init__.__signature__ = _dask_signature(local_class)  # what get_params reads
    return __init__


def _dask_doc(local_class, engine: str) -> str:
    return f"""{local_class.__doc__.splitlines()[0].rstrip('.')}, on a Dask cluster.

    Takes every parameter of :class:`~focal_boost.{local_class.__name__}` (see there)
    and keeps its contract; fits on dask arrays and dask DataFrames (categorical
    columns with known categories) with dask labels and weights, and returns dask
    arrays from ``predict_proba``, ``predict`` and ``decision_function``. Trains
    with ``{engine}``. See :mod:`focal_boost.dask` for what is computed where.

    Parameters
    ----------
    gamma, alpha, ..., **kwargs
        Every parameter of {local_class.__name__}, with its default and meaning
        (see there).
    client : distributed.Client or None, default=None
        The cluster to fit on; None uses the current default client. Not pickled.

    Attributes
    ----------
    As {local_class.__name__}: ``classes_``, ``n_classes_``, ``n_features_in_``,
    ``feature_names_in_``, ``n_outputs_``, ``loss_``, ``booster_``, ``best_iteration_``,
    ``best_score_``, ``stopping_metric_``, ``evals_result_``,
    ``feature_importances_``.
    """


_FIT_HEAD = """Fit on a Dask cluster, starting from the focal-optimal constant.

        Parameters
        ----------
        X : dask array or dask DataFrame of shape (n_samples, n_features)
            NaN marks a missing value; blocks may be scipy.sparse (whose absent entries
            are zeros to LightGBM, missing to XGBoost); DataFrame columns keep their dtypes
            (``category`` columns need known categories: ``X.categorize()``).
        y : dask array or dask Series of shape (n_samples,)
            Class labels of any type, partitioned like X.
        sample_weight : dask array or dask Series of shape (n_samples,), default=None
"""
_EVAL_SET_DOC = """        eval_set : list of (X, y) pairs of dask collections, default=None
            Each is copied whole to every training worker. Its ``category`` columns
            may have categories unknown to dask (``dd.read_parquet``'s) where the
            model trains them as categories: coded by the training data's levels,
            matched by value, as the in-memory estimator codes them.
"""
_EVAL_WEIGHT_DOC = """        eval_sample_weight : list of dask collections or None, default=None
"""
_VERBOSE_DOC = """        verbose : bool or int, default=False
            Evaluation log, printed by the workers.
"""
_RETURNS_DOC = """
        Returns
        -------
        self
            With an asynchronous client, a coroutine that gives self once awaited (as
            DaskXGBClassifier's fit there).
        """


class FocalDaskXGBClassifier(_DaskClassifierMixin, FocalXGBClassifier):
    __doc__ = _dask_doc(FocalXGBClassifier, "xgboost.dask.train")
    _local_class = FocalXGBClassifier
    _PREDICT_SERIES = True
    __init__ = _dask_init(FocalXGBClassifier)
    _parameter_constraints = {**FocalXGBClassifier._parameter_constraints,
                              "client": _CLIENT_CONSTRAINT}

    _DASK_FIT_PARAMS = ("xgb_model",)
    _PER_WORKER = False  # xgboost.dask takes the partitions where they lie
    _REFUSES_UNSEEN_LEVELS = True  # (XGBoost cannot score them)

    def _check_params(self) -> None:
        super()._check_params()
        if self.tree_method == "exact":  # (first thing in fit, before any data is read:
            # XGBoost's C++ check fails on the workers, or, on category columns,
            # DaskXGBClassifier's message names them, not the tree method)
            raise ValueError("tree_method='exact' does not train on Dask: XGBoost's exact "
                             "method has no distributed training; use tree_method='hist' "
                             "(the default) or 'approx'")
        if self._extra_param("booster") == "gblinear":  # (as exact trees: before the data)
            raise NotImplementedError("booster='gblinear' does not train on Dask: "
                                      "xgboost.dask has no distributed linear booster; use "
                                      "booster='gbtree' (the default) or 'dart'")

    def apply(self, X, iteration_range=None):
        """The leaf of every tree each row falls in, as a dask array of shape
        (n_samples, n_trees) (as ``DaskXGBClassifier.apply``)."""
        return self._map_blocks(X, "apply", (), np.float32,
                                options={"iteration_range": iteration_range})

    def fit(self, X, y, sample_weight=None, eval_set=None, eval_sample_weight=None,
            verbose: bool | int = False, *, xgb_model=None, sample_weight_eval_set=None,
            feature_weights=None, base_margin=None, base_margin_eval_set=None):
        for name, value in (("base_margin", base_margin),
                            ("base_margin_eval_set", base_margin_eval_set)):
            if value is not None:  # (DaskXGBClassifier.fit takes them)
                raise TypeError(f"{type(self).__name__}.fit does not take {name}: fit "
                                "FocalXGBClassifier in memory for it")
        return super().fit(X, y, sample_weight, eval_set, eval_sample_weight, verbose,
                           xgb_model=xgb_model, sample_weight_eval_set=sample_weight_eval_set,
                           feature_weights=feature_weights)

    fit.__doc__ = _FIT_HEAD + _EVAL_SET_DOC + _EVAL_WEIGHT_DOC + _VERBOSE_DOC + """\
        xgb_model : Booster, str, path or fitted estimator, default=None
            A model to continue training, as in FocalXGBClassifier.fit.
        sample_weight_eval_set : list of dask collections or None, default=None
            DaskXGBClassifier's name of ``eval_sample_weight``.
        feature_weights : None
            Refused, as in FocalXGBClassifier.fit: pass it to the constructor.
        base_margin, base_margin_eval_set : None
            Refused: fit FocalXGBClassifier in memory for them.
""" + _RETURNS_DOC

    def _train_on_cluster(self, client, data: _Data, class_totals, verbose, metrics,
                          stopping, callbacks, skip=(), xgb_model=None) -> None:
        # skip is always empty here: XGBoost evaluates the training data as any other set
        from focal_boost import xgboost as fxgb  # first: its ImportError names the extra

        xgb = fxgb.xgb
        from xgboost import dask as dxgb

        params, data_kwargs = self._xgboost_params(self.n_classes_)
        # (a saved model was read by _read_model)
        self._start_round = fxgb.num_rounds(xgb_model)  # rounds before this fit's
        # The intercept depends on the labels only through the total weight of each class.
        run = fxgb.prepare(params, self.loss_, y_true=np.arange(self.n_classes_),
                           sample_weight=class_totals, init_score=self.init_score,
                           xgb_model=xgb_model, n_threads=self._kernel_threads(),
                           warn_other_loss=self.posterior_correction,
                           **self._xgboost_metric(metrics, fxgb.DMatrixLabels()))
        if xgb_model is not None:  # xgboost.dask takes a Booster
            xgb_model = fxgb.to_booster(xgb_model)
        params = run.params

        # Histogram trees train from quantiles of the data, as in DaskXGBClassifier: the
        # quantile DMatrix builds them without a copy of the data in XGBoost's format.
        quantile = fxgb.uses_quantile_data(params)

        fxgb.check_callbacks(callbacks, self._recorded(metrics))  # (before data is sent)
        matrices = []

        def dmatrix(X, y, w, ref=None):
            X = fxgb.native_byte_order(X)
            if quantile:
                matrix = dxgb.DaskQuantileDMatrix(client, X, label=y, weight=w, ref=ref,
                                                  max_bin=params.get("max_bin"), **data_kwargs)
            else:
                matrix = dxgb.DaskDMatrix(client, X, label=y, weight=w, **data_kwargs)
            matrices.append(matrix)
            return matrix

        try:
            dtrain = dmatrix(*data.train)
            evals = [(dmatrix(*valid, ref=dtrain), name)
                     for valid, name in zip(data.valid, self._eval_names(len(data.valid)),
                                            strict=True)]
            with fxgb.directed_callbacks(callbacks, self._directions(metrics)) as callbacks:
                if stopping is not None:  # xgboost.dask.train has no `maximize`: say it
                    callbacks.append(xgb.callback.EarlyStopping(rounds=stopping,
                                                                maximize=run.maximize))
                out = dxgb.train(client, params, dtrain,
                                 num_boost_round=self.get_num_boosting_rounds(), evals=evals,
                                 verbose_eval=verbose, xgb_model=xgb_model,
                                 **run.train_kwargs(evals, callbacks))
        finally:
            # A DaskDMatrix built outside an event loop refers to itself (xgboost.dask
            # stores what its set-up returns, the matrix, in _init): its futures, the
            # training data on the workers, stayed held until the garbage collector ran.
            for matrix in matrices:
                if getattr(matrix, "_init", None) is matrix:
                    matrix._init = None
        self._set_booster(fxgb.finish(out["booster"], run), out["history"])


class FocalDaskLGBMClassifier(_DaskClassifierMixin, FocalLGBMClassifier):
    __doc__ = _dask_doc(FocalLGBMClassifier, "lightgbm.dask")
    _local_class = FocalLGBMClassifier
    __init__ = _dask_init(FocalLGBMClassifier)
    _parameter_constraints = {**FocalLGBMClassifier._parameter_constraints,
                              "client": _CLIENT_CONSTRAINT}
    _NAMES_TRAINING_DATA = False  # every set valid_i, as DaskLGBMClassifier names them

    def fit(self, X, y, sample_weight=None, init_score=None, eval_set=None, eval_names=None,
            eval_sample_weight=None, eval_class_weight=None, eval_init_score=None,
            eval_metric=None, *, eval_X=None, eval_y=None, callbacks=None,
            verbose: bool | int = False):
        # DaskLGBMClassifier.fit's order, for positional calls
        for name, value in (("init_score", init_score), ("eval_class_weight", eval_class_weight),
                            ("eval_init_score", eval_init_score)):
            if value is not None:
                raise TypeError(f"{type(self).__name__}.fit does not take {name}: fit "
                                "FocalLGBMClassifier in memory for it")
        eval_set = eval_set_from_xy(eval_set, eval_X, eval_y)
        return super().fit(X, y, sample_weight, eval_set=eval_set, eval_names=eval_names,
                           eval_sample_weight=eval_sample_weight, eval_metric=eval_metric,
                           callbacks=callbacks, verbose=verbose)

    fit.__doc__ = _FIT_HEAD + """\
        init_score : None
            Refused, as ``eval_class_weight`` and ``eval_init_score`` (they hold
            DaskLGBMClassifier.fit's positions, so that positional calls bind as
            there): fit FocalLGBMClassifier in memory for them.
""" + _EVAL_SET_DOC + """\
        eval_names : list of str or str, default=None
            As in FocalLGBMClassifier.fit.
""" + _EVAL_WEIGHT_DOC + """\
        eval_class_weight, eval_init_score : None
            Refused, as ``init_score``.
        eval_metric : str, callable or list of them, default=None
            As in FocalLGBMClassifier.fit.
        eval_X, eval_y : dask collections, or tuples of them, default=None
            The evaluation sets as DaskLGBMClassifier takes them; not together with
            ``eval_set``.
        callbacks : list of callable, default=None
            As in FocalLGBMClassifier.fit; they run on the workers, each on its copy (a
            dict given to ``lgb.record_evaluation`` stays empty here, as with
            DaskLGBMClassifier: ``evals_result_`` holds the record).
""" + _VERBOSE_DOC + _RETURNS_DOC

    def _kernel_threads(self) -> int | None:
        """The threads of the smallest worker: lightgbm.dask sets ``num_threads`` to each
        worker's threads, whatever ``n_jobs`` says."""
        return getattr(self, "_worker_threads", None)

    def _train_on_cluster(self, client, data: _Data, class_totals, verbose, metrics,
                          stopping, callbacks, skip=()) -> None:
        import lightgbm as lgb
        from lightgbm.dask import DaskLGBMRegressor

        from focal_boost import lightgbm as flgb

        self._check_callbacks(callbacks, metrics)
        params = self._lightgbm_params(self.n_classes_)
        self._start_round = 0  # lightgbm.dask continues no model
        self._trained_forest = False  # (refused below)
        if flgb.is_random_forest(params):
            raise ValueError(
                f"{type(self).__name__} does not take boosting='rf': LightGBM refuses it "
                "with a custom objective, and the forest FocalLGBMClassifier grows itself "
                "is not distributed; use FocalLGBMClassifier, or gbdt with subsampling"
            )
        # The intercept depends on the labels only through the total weight of each class.
        totals = {"y_true": np.arange(self.n_classes_), "sample_weight": class_totals}
        run = flgb.prepare(params, self.loss_, self.n_estimators, init_score=self.init_score,
                           feval=self._lightgbm_feval(metrics),
                           n_threads=self._kernel_threads(), **totals)
        # Main names: LightGBM's scikit-learn defaults (its aliases) then give way.
        params = {**run.estimator_params(), "metric": "None"}

        def start_margins(y):  # the intercept as every row's initial score
            if run.intercept is None:
                return None
            shape = {} if run.n_classes == 1 else {"new_axis": 1,
                                                   "chunks": (y.chunks[0], (run.n_classes,))}
            return y.map_blocks(lambda b: run.start_margins(len(b)), dtype=np.float64, **shape)

        names = self._eval_names(len(data.valid))
        for i, (_, y_valid, _) in enumerate(data.valid):
            flgb.check_valid_rows(y_valid.shape[0], f"eval_set[{i}]")
        callbacks = self._fit_callbacks(callbacks, metrics, verbose, stopping, skip)
        feature_name = feature_names(self, **LIGHTGBM_NAMES) or "auto"
        # (before the workers build their Datasets: LightGBM's refusal aborts a worker)
        flgb.check_monotone_categories(params, data.train[0]._meta,
                                       feature_name=feature_name)
        flgb.check_interaction_constraints(params, _meta(data.train[0]).shape[1])
        constraints = flgb.param_value(params, "interaction_constraints", None)
        if len(data.workers) > 1 and constraints is not None and len(constraints) > 0:
            # LightGBM's distributed learners fail with them: std::bad_alloc, or a worker's
            # crash (DaskLGBMClassifier alike; LightGBM's issue 5680)
            raise ValueError(
                "interaction_constraints: LightGBM's distributed training fails with them "
                "(std::bad_alloc, or a crash of the worker, on every tree_learner), and "
                f"the training rows lie on {len(data.workers)} workers; fit "
                "FocalLGBMClassifier on the computed rows, or hold the rows on one worker"
            )
        ranges = flgb.merge_ranges(data.column_ranges(client, flgb.column_ranges))
        flgb.check_linear_values(params, ranges=ranges)

        def constant() -> None:
            # LightGBM fails on every worker: the model is the constant, as on one
            # machine, grown on a few of the training rows (they have the columns)
            head = data.head(client, 10)
            train_set = lgb.Dataset(head["X"], label=head["y"], feature_name=feature_name)
            self.booster_ = flgb.constant_model(run, train_set, workers=len(data.workers),
                                                **totals)
            self.evals_result_ = {}
            flgb.evaluate_constant(self.booster_, run, train_set, data.valid_labels(client),
                                   names, [lgb.record_evaluation(self.evals_result_),
                                           *callbacks], self.n_estimators)
            self.best_iteration_ = flgb.best_iteration(self.booster_)

        if flgb.cannot_split(run.params, ranges=ranges, rows=data.train_rows):
            constant()
            return
        if 1 in data.train_rows:
            # lightgbm.dask's per-worker estimator refuses one row ("minimum of 2 is
            # required by LGBMRegressor") on that worker, while the others wait for it
            # to join, holding their threads
            raise ValueError(
                "a worker holds 1 training row (of its partitions, less the early-stopping "
                "hold-out, validation_fraction, where there is one); LightGBM's distributed "
                "training needs at least 2 on every worker: repartition X and y into "
                "fewer, larger partitions")
        weighted = any(w is not None for _, _, w in data.valid)
        model = DaskLGBMRegressor(client=client, n_estimators=self.n_estimators, **params)

        def eval_metric(y_true, y_pred, weight):  # in the in-memory estimator's order
            return self._in_lightgbm_order(
                self._metric_values(metrics, y_true, y_pred, weight), metrics)

        X, y, w = data.train
        evals = dict(
            eval_X=tuple(v[0] for v in data.valid), eval_y=tuple(v[1] for v in data.valid),
            eval_names=names, eval_init_score=[start_margins(v[1]) for v in data.valid],
            eval_sample_weight=[da.ones_like(v[1], dtype=np.float64) if v[2] is None
                                else v[2] for v in data.valid] if weighted else None,
        ) if data.valid else {}
        if run.intercept is None:
            evals.pop("eval_init_score", None)
        try:
            # lightgbm.dask trains on each worker's threads and says that n_jobs is
            # ignored, set or not, as DaskLGBMClassifier does: let it say so (a filter
            # here would be the process's, not this fit's)
            model.fit(X, y, sample_weight=w, init_score=start_margins(y),  # the workers
                      eval_metric=eval_metric if data.valid else None,
                      callbacks=run.callbacks(callbacks), feature_name=feature_name, **evals)
        except lgb.basic.LightGBMError as exc:
            # Each worker bins its own share of the features on its own rows: where no
            # worker keeps one (a feature constant on the worker that bins it, a worker
            # of exactly 2 * min_data_in_leaf rows), LightGBM's custom-objective path
            # stops ("num_features() > 0") where the rule above could not tell;
            # DaskLGBMClassifier fits its constant model there, and so does this one
            if "num_features()) > (0)" not in str(exc):
                refused = flgb.split_search_error(exc, run.params)
                if refused is None:
                    raise
                raise refused from exc
            constant()
            return
        self.booster_ = flgb.finish(model.booster_, run)
        self.evals_result_ = model.evals_result_
        self.best_iteration_ = flgb.best_iteration(self.booster_)

