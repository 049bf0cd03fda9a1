"""The command line's data: reading files, the default task, the target column."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from focal_boost.cli._args import PARQUET_SUFFIXES, UsageError, _require


@dataclass
class Task:
    """Features, labels and how to describe them."""

    X: Any  # pandas DataFrame
    y: np.ndarray  # labels as given
    classes: np.ndarray  # sorted, as the estimators' classes_
    y_index: np.ndarray  # index into classes
    positive: int | None  # binary: index of the positive (least frequent) class
    description: str

    @property
    def n_classes(self) -> int:
        return len(self.classes)


def _label(value) -> str:
    return repr(value.item() if isinstance(value, np.generic) else value)


def load_default():
    """Digits 8 against the rest, as a DataFrame of 64 pixel columns."""
    import pandas as pd
    from sklearn.datasets import load_digits

    digits = load_digits()
    X = pd.DataFrame(digits.data, columns=[f"pixel_{i}" for i in range(64)])
    y = np.where(digits.target == 8, "8", "other")
    return X, y, ("scikit-learn's digits (sklearn.datasets.load_digits), digit 8 against "
                  "the other nine")


def read_table(path: Path):
    import pandas as pd

    if not path.exists():
        raise UsageError(f"{path}: no such file; give the path of a CSV or parquet file")
    if path.is_dir():
        raise UsageError(f"{path} is a directory; give the path of a CSV or parquet file")
    parquet = path.suffix.lower() in PARQUET_SUFFIXES
    if parquet:
        _require("pyarrow", "reading parquet", "pip install pyarrow, or give a CSV file")
    try:
        frame = pd.read_parquet(path) if parquet else pd.read_csv(path)
    except Exception as exc:  # pandas raises many types; the reason is in the message
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        kind = "parquet" if parquet else "CSV"
        raise UsageError(f"cannot read {path} as {kind} ({reason}); give a readable "
                         f"{kind} file with a header row") from None
    if frame.shape[0] == 0:
        raise UsageError(f"{path} has no rows; give a file with data")
    return frame


def split_target(frame, target: str, path: Path):
    """Features (text columns as pandas ``category``) and the target column."""
    import pandas as pd

    if target not in frame.columns:
        names = ", ".join(map(str, frame.columns[:20])) + (", ..." if frame.shape[1] > 20
                                                         else "")
        raise UsageError(f"{path} has no column {target!r}; --target must be one of: {names}")
    frame = frame[frame[target].notna()]
    if frame.shape[0] == 0:
        raise UsageError(f"column {target!r} of {path} is empty; --target needs class labels")
    target_column = frame[target]
    if pd.api.types.is_extension_array_dtype(target_column) and hasattr(
            target_column.dtype, "numpy_dtype"):  # nullable Int64, boolean: NA dropped above
        target_column = target_column.astype(target_column.dtype.numpy_dtype)
    y = target_column.to_numpy()
    X = frame.drop(columns=[target])
    if X.shape[1] == 0:
        raise UsageError(f"{path} has no column besides {target!r}; give at least one feature")
    columns = {}
    for name in X.columns:
        col = X[name]
        if pd.api.types.is_bool_dtype(col):
            col = col.astype(np.float64)
        elif pd.api.types.is_numeric_dtype(col):
            if np.isinf(col.to_numpy(dtype=np.float64, na_value=np.nan)).any():
                raise UsageError(f"column {name!r} of {path} holds infinite values; replace "
                                 f"them with numbers or leave the cells empty (missing)")
        else:  # text, dates, mixed: a categorical feature, missing stays missing
            col = col.astype(str).where(col.notna()).astype("category")
        columns[_feature_name(name, columns)] = col
    return pd.DataFrame(columns, index=X.index).reset_index(drop=True), y


def _feature_name(name, taken) -> str:
    # XGBoost refuses [ ] < in feature names, LightGBM JSON punctuation.
    clean = "".join("_" if c in '[]<>{}":,' else c for c in str(name)) or "feature"
    candidate, i = clean, 1
    while candidate in taken:
        candidate, i = f"{clean}_{i}", i + 1
    return candidate


def make_task(X, y, description: str, folds: int, target: str | None = None) -> Task:
    from sklearn.utils.multiclass import type_of_target

    column = f"column {target!r}" if target else "the target"
    y = np.asarray(y)
    if y.dtype.kind == "f" and type_of_target(y) == "continuous":
        raise UsageError(f"{column} holds {len(np.unique(y))} distinct numbers, a continuous "
                         f"target; focal loss is for class labels: give a column of classes")
    if y.dtype.kind == "O":
        y = np.array([str(v) if not isinstance(v, str) else v for v in y], dtype=object)
    classes, y_index, counts = np.unique(y, return_inverse=True, return_counts=True)
    if len(classes) < 2:
        raise UsageError(f"{column} has a single class ({_label(classes[0])}); a classifier "
                         f"needs at least two: choose another --target or add rows of "
                         f"another class")
    # Each training fold must keep two rows of every class for the early-stopping split.
    needed = folds if folds >= 3 else 4
    small = int(np.argmin(counts))
    if counts[small] < needed:
        n = int(counts[small])
        fix = (f"use --folds {n} or fewer" if n >= 3
               else "drop the rows of that class or merge it with another (a class needs at "
                    "least 3 rows)")
        raise UsageError(f"class {_label(classes[small])} of {column} has {n} row"
                         f"{'s' if n != 1 else ''}; --folds {folds} needs at least {needed} "
                         f"of every class: {fix}")
    positive = None
    share = ""
    if len(classes) == 2:
        positive = int(np.argmin(counts)) if counts[0] != counts[1] else 1
        share = (f", positive class {_label(classes[positive])}: {counts[positive]} rows "
                 f"({counts[positive] / len(y):.1%})")
    else:
        share = (", classes " + ", ".join(f"{_label(c)} {n}" for c, n in
                                          zip(classes, counts, strict=True)))
    n_text = int((X.dtypes == "category").sum())
    features = f"{X.shape[1]} features" + (f" ({n_text} categorical)" if n_text else "")
    description = f"{description}: {len(y)} rows, {features}{share}"
    return Task(X, y, classes, y_index, positive, description)
