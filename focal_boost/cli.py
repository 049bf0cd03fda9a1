"""``python -m focal_boost``: focal loss against log-loss on a data set, by cross-validation.

With no data file the comparison runs on a bundled imbalanced task built from
scikit-learn's digits data (digit 8 against the other nine, 9.7% positives). With
``DATA.csv --target COLUMN`` (or a parquet file) it runs on the user's data.

For every library (XGBoost, LightGBM) two models are trained on the same stratified
folds: the library's own classifier on log-loss and the focal_boost estimator on
focal loss. Each is early-stopped on its own loss on a stratified part of its
training fold, and scored on the held-out fold. The libraries, scikit-learn and
pandas are imported only once the arguments are valid.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import pickle
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

LIBRARIES = ("xgboost", "lightgbm")
MODELS = ("log-loss", "focal")
GAMMA_GRID = (0.0, 0.5, 1.0, 2.0, 3.0)  # --gamma auto
EARLY_STOPPING_ROUNDS = 30
VALIDATION_FRACTION = 0.2  # of each training fold, for early stopping
LEARNING_RATE = 0.1
ECE_BINS = 15
METRICS = {  # key: (column title, digits)
    "pr_auc": ("PR-AUC", 3),
    "roc_auc": ("ROC-AUC", 3),
    "log_loss": ("log-loss", 4),
    "brier": ("Brier", 4),
    "ece": ("ECE", 4),
}
NATIVE_SUFFIXES = {".json": "xgboost", ".ubj": "xgboost", ".txt": "lightgbm"}
PICKLE_SUFFIXES = (".pkl", ".pickle")
PARQUET_SUFFIXES = (".parquet", ".pq")


class UsageError(Exception):
    """Bad input: reported as one line that names the problem and the fix."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage block
        raise UsageError(f"{message} (see --help)")


def _gamma(text: str) -> float | str:
    if text == "auto":
        return text
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number: give a number >= 0 "
                                         f"or 'auto'") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative or not finite; gamma must be "
                                         f">= 0 (0 is log-loss): give a number >= 0 or 'auto'")
    return value


def _alpha(text: str) -> float | str | None:
    if text in ("none", "balanced"):
        return None if text == "none" else text
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a class weight: give a number in (0, 1) (the weight of the "
            f"positive class), 'balanced' or 'none'")
    return value


def _int_at_least(minimum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{text!r}: give an integer >= {minimum}")
        return value
    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="focal-boost",
        epilog="examples: focal-boost | focal-boost data.csv --target label --gamma auto "
               "--output table.json --plot curves.png | python -m focal_boost data.parquet "
               "--target y --library lightgbm --save-model model.txt",
        description="Compare focal loss with log-loss for XGBoost and LightGBM by stratified "
                    "k-fold cross-validation. Without DATA: scikit-learn's digits, digit 8 "
                    "against the rest (9.7% positives).",
    )
    parser.add_argument("data", nargs="?", metavar="DATA",
                        help="CSV file (or .parquet with pyarrow installed); needs --target")
    parser.add_argument("--target", metavar="COLUMN", help="column holding the class labels")
    parser.add_argument("--library", choices=("xgboost", "lightgbm", "both"), default="both",
                        help="which libraries to compare on (default both)")
    parser.add_argument("--gamma", type=_gamma, default=2.0, metavar="GAMMA|auto",
                        help="focal gamma >= 0, or 'auto': chosen in every training fold from "
                             f"{', '.join(f'{g:g}' for g in GAMMA_GRID)} by validation log-loss "
                             "(default 2)")
    parser.add_argument("--alpha", type=_alpha, default=None, metavar="ALPHA|balanced|none",
                        help="class weights of the focal loss: a number in (0, 1) weighs the "
                             "positive (least frequent) class of a binary target, 'balanced' "
                             "weighs classes by inverse frequency, 'none' (default)")
    parser.add_argument("--folds", type=_int_at_least(2), default=5, metavar="K",
                        help="cross-validation folds (default 5)")
    parser.add_argument("--n-estimators", type=_int_at_least(1), default=500, metavar="N",
                        help="most boosting rounds; early stopping picks fewer (default 500)")
    parser.add_argument("--n-jobs", type=_int_at_least(1), default=None, metavar="N",
                        help="threads per fit (default: the libraries' default, all cores)")
    parser.add_argument("--seed", type=int, default=0, metavar="SEED",
                        help="random seed of the folds and the models (default 0)")
    parser.add_argument("--output", metavar="FILE",
                        help="write the table as .json or .csv")
    parser.add_argument("--plot", metavar="FILE.png",
                        help="PR curves and reliability diagrams, one column per library")
    parser.add_argument("--save-model", metavar="PATH",
                        help="refit the focal model on all rows and save it: .pkl (pickle of "
                             "the estimator), .json/.ubj (XGBoost model file) or .txt "
                             "(LightGBM model file); with --library both, .pkl only, one file "
                             "per library (PATH-xgboost.pkl, PATH-lightgbm.pkl)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    return parser


# --------------------------------------------------------------------------- data
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


def _require(module: str, purpose: str, fix: str) -> None:
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise UsageError(f"{purpose} needs {module}, which is not installed: {fix}")


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


# ------------------------------------------------------------------------ metrics
def expected_calibration_error(proba: np.ndarray, y_true: np.ndarray,
                               n_bins: int = ECE_BINS) -> float:
    """ECE of the probability of one class: sum over equal-width bins of
    ``|sum(proba - y_true)| / n``, that is the bin's share of rows times the gap
    between its mean probability and its fraction of positives."""
    bins = np.minimum((proba * n_bins).astype(int), n_bins - 1)
    gap = np.bincount(bins, proba - y_true, minlength=n_bins)
    return float(np.abs(gap).sum() / len(proba))


def scores(y_index: np.ndarray, proba: np.ndarray, positive: int | None) -> dict[str, float]:
    """PR-AUC, ROC-AUC, log-loss, Brier score and ECE of predicted class probabilities.

    Binary: of the positive class. Multiclass: one-vs-rest macro PR-AUC and ROC-AUC,
    Brier score summed over classes (0 to 2), class-wise ECE (mean over classes).
    """
    from sklearn.metrics import (
        average_precision_score,
        brier_score_loss,
        log_loss,
        roc_auc_score,
    )

    k = proba.shape[1]
    labels = np.arange(k)
    out = {"log_loss": float(log_loss(y_index, proba, labels=labels))}
    if positive is not None:
        p, t = proba[:, positive], (y_index == positive).astype(float)
        out["pr_auc"] = float(average_precision_score(t, p))
        out["roc_auc"] = float(roc_auc_score(t, p))
        out["brier"] = float(brier_score_loss(t, p))
        out["ece"] = expected_calibration_error(p, t)
    else:
        onehot = np.eye(k)[y_index]
        out["pr_auc"] = float(average_precision_score(onehot, proba, average="macro"))
        out["roc_auc"] = float(roc_auc_score(y_index, proba, multi_class="ovr",
                                             labels=labels))
        out["brier"] = float(brier_score_loss(y_index, proba, labels=labels))
        out["ece"] = float(np.mean([expected_calibration_error(proba[:, j], onehot[:, j])
                                    for j in range(k)]))
    return out


# ------------------------------------------------------------------------- models
def _alpha_param(alpha, task: Task):
    """--alpha as the estimators take it: a float weighs the positive class."""
    if isinstance(alpha, float):
        negative = 1 - task.positive
        return {task.classes[task.positive]: alpha, task.classes[negative]: 1.0 - alpha}
    return alpha


def make_model(library: str, model: str, *, gamma: float, alpha, n_estimators: int,
               seed: int, n_jobs: int | None, early_stopping: bool):
    """The library's classifier on log-loss, or the focal_boost estimator."""
    rounds = EARLY_STOPPING_ROUNDS if early_stopping else None
    common = {"n_estimators": n_estimators, "learning_rate": LEARNING_RATE,
              "random_state": seed, "n_jobs": n_jobs}
    if library == "xgboost":
        if model == "log-loss":
            from xgboost import XGBClassifier

            return XGBClassifier(**common, early_stopping_rounds=rounds,
                                 enable_categorical=True, tree_method="hist")
        from focal_boost import FocalXGBClassifier

        return FocalXGBClassifier(gamma, alpha, **common, early_stopping_rounds=rounds,
                                  enable_categorical=True)
    if model == "log-loss":
        from lightgbm import LGBMClassifier

        return LGBMClassifier(**common, verbose=-1)
    from focal_boost import FocalLGBMClassifier

    return FocalLGBMClassifier(gamma, alpha, **common, early_stopping_rounds=rounds)


def fit(estimator, library: str, model: str, X, y, X_valid=None, y_valid=None) -> int:
    """Fit, early-stopped on (X_valid, y_valid) when given; returns the rounds kept."""
    if X_valid is None:
        estimator.fit(X, y)
        return estimator.n_estimators
    if model == "focal":
        estimator.fit(X, y, eval_set=[(X_valid, y_valid)])
        return estimator.best_iteration + 1
    if library == "xgboost":
        estimator.fit(X, y, eval_set=[(X_valid, y_valid)], verbose=False)
        return estimator.best_iteration + 1
    import inspect

    import lightgbm as lgb

    stop = [lgb.early_stopping(EARLY_STOPPING_ROUNDS, verbose=False)]
    if "eval_X" in inspect.signature(estimator.fit).parameters:  # lightgbm >= 4.7
        estimator.fit(X, y, eval_X=(X_valid,), eval_y=(y_valid,), callbacks=stop)
    else:
        estimator.fit(X, y, eval_set=[(X_valid, y_valid)], callbacks=stop)
    return estimator.best_iteration_


# ------------------------------------------------------------------ cross-validation
@dataclass
class Result:
    """One (library, model) row of the table, with its per-fold numbers."""

    library: str
    model: str
    gamma: float  # the fixed gamma, or with --gamma auto the one refit on all rows
    alpha: str
    gamma_per_fold: list[float] = field(default_factory=list)
    scores: list[dict[str, float]] = field(default_factory=list)
    fit_seconds: list[float] = field(default_factory=list)
    rounds: list[int] = field(default_factory=list)
    search: dict[float, list[float]] = field(default_factory=dict)  # --gamma auto
    oof: np.ndarray | None = None  # out-of-fold probabilities

    def summary(self) -> dict[str, Any]:
        focal = self.model == "focal"  # the log-loss rows have no gamma or alpha
        row: dict[str, Any] = {"library": self.library, "model": self.model,
                               "gamma": self.gamma if focal else None,
                               "alpha": self.alpha if focal else None}
        for key in METRICS:
            values = [s[key] for s in self.scores]
            row[f"{key}_mean"] = float(np.mean(values))
            row[f"{key}_std"] = float(np.std(values, ddof=1)) if len(values) > 1 else 0.0
        row["fit_seconds_mean"] = float(np.mean(self.fit_seconds))
        row["fit_seconds_std"] = (float(np.std(self.fit_seconds, ddof=1))
                                  if len(self.fit_seconds) > 1 else 0.0)
        row["rounds_mean"] = float(np.mean(self.rounds))
        row["gamma_per_fold"] = list(self.gamma_per_fold)
        return row


class Progress:
    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet

    def __call__(self, text: str) -> None:
        if not self.quiet:
            print(text, file=sys.stderr, flush=True)


def cross_validate(task: Task, libraries, args, progress: Progress) -> list[Result]:
    """Out-of-fold scores of every (library, model) on the same folds and splits."""
    from sklearn.model_selection import StratifiedKFold, train_test_split

    X, y = task.X, task.y_index
    folds = list(StratifiedKFold(args.folds, shuffle=True, random_state=args.seed).split(X, y))
    splits = []  # (fit rows, early-stopping rows, test rows), shared by all models
    for train, test in folds:
        n_valid = max(round(VALIDATION_FRACTION * len(train)), task.n_classes)
        fit_rows, valid_rows = train_test_split(train, test_size=n_valid, stratify=y[train],
                                                random_state=args.seed)
        splits.append((fit_rows, valid_rows, test))
    alpha = _alpha_param(args.alpha, task)
    warm_up(task, libraries, splits[0][0], alpha, args)
    grid = GAMMA_GRID if args.gamma == "auto" else (args.gamma,)
    results = []
    for library in libraries:
        for model in MODELS:
            gammas = grid if model == "focal" else (0.0,)
            result = Result(library, model, gammas[0], _alpha_text(args.alpha, task))
            result.oof = np.zeros((len(y), task.n_classes))
            for i, (fit_rows, valid_rows, test) in enumerate(splits):
                start = time.perf_counter()
                best = None
                for gamma in gammas:
                    label = f"gamma {gamma:g} " if len(gammas) > 1 else ""
                    progress(f"{library} {model} {label}fold {i + 1}/{len(splits)}")
                    est = make_model(library, model, gamma=gamma, alpha=alpha,
                                     n_estimators=args.n_estimators, seed=args.seed,
                                     n_jobs=args.n_jobs, early_stopping=True)
                    # Focal estimators take the labels as given, the libraries' own
                    # classifiers class indices; both order classes the same way.
                    labels = task.y if model == "focal" else y
                    rounds = fit(est, library, model, X.iloc[fit_rows], labels[fit_rows],
                                 X.iloc[valid_rows], labels[valid_rows])
                    if len(gammas) > 1:
                        valid = scores(y[valid_rows], est.predict_proba(X.iloc[valid_rows]),
                                       task.positive)["log_loss"]
                        result.search.setdefault(gamma, []).append(valid)
                        if best is not None and valid >= best[0]:
                            continue
                        best = (valid, gamma, est, rounds)
                    else:
                        best = (0.0, gamma, est, rounds)
                _, gamma, est, rounds = best
                result.fit_seconds.append(time.perf_counter() - start)
                proba = est.predict_proba(X.iloc[test])
                result.oof[test] = proba
                result.scores.append(scores(y[test], proba, task.positive))
                result.rounds.append(rounds)
                if model == "focal":
                    result.gamma_per_fold.append(gamma)
            if result.search:  # refit gamma: lowest mean validation log-loss
                result.gamma = min(result.search, key=lambda g: np.mean(result.search[g]))
            results.append(result)
    return results


def warm_up(task: Task, libraries, rows: np.ndarray, alpha, args) -> None:
    """Fit every model once for 2 rounds, untimed: the fit times then leave out
    one-off costs (the libraries' lazy imports, loading the compiled kernels)."""
    for library in libraries:
        for model in MODELS:
            est = make_model(library, model, gamma=2.0, alpha=alpha, n_estimators=2,
                             seed=args.seed, n_jobs=args.n_jobs, early_stopping=False)
            fit(est, library, model, task.X.iloc[rows],
                (task.y if model == "focal" else task.y_index)[rows])


def _alpha_text(alpha, task: Task) -> str:
    if alpha is None:
        return "none"
    if isinstance(alpha, float):
        return f"{alpha:g}"
    return alpha


# ------------------------------------------------------------------------ report
def format_table(results: list[Result]) -> str:
    rows = [r.summary() for r in results]
    head = ["library", "model", "gamma", "alpha", *(t for t, _ in METRICS.values()),
            "fit s", "rounds"]
    body = []
    for r, res in zip(rows, results, strict=True):
        gamma = "-" if r["model"] == "log-loss" else (
            f"auto {r['gamma']:g}" if res.search else f"{r['gamma']:g}")
        cells = [r["library"], r["model"], gamma, r["alpha"] or "-"]
        for key, (_, digits) in METRICS.items():
            cells.append(f"{r[key + '_mean']:.{digits}f} ± {r[key + '_std']:.{digits}f}")
        cells.append(f"{r['fit_seconds_mean']:.2f}")
        cells.append(f"{r['rounds_mean']:.0f}")
        body.append(cells)
    widths = [max(len(str(row[i])) for row in [head, *body]) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
             for row in [head, *body]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_report(task: Task, results: list[Result], args, n_libraries: int) -> str:
    k = args.folds
    binary = task.positive is not None
    lines = [
        f"data: {task.description}",
        f"{k}-fold stratified cross-validation (seed {args.seed}); in every training fold "
        f"{VALIDATION_FRACTION:.0%} of the rows (stratified) early-stop each model on its own "
        f"loss ({EARLY_STOPPING_ROUNDS} rounds without improvement, at most "
        f"{args.n_estimators}); learning rate {LEARNING_RATE}, other parameters the "
        f"libraries' defaults",
        "log-loss: XGBClassifier / LGBMClassifier; focal: FocalXGBClassifier / "
        "FocalLGBMClassifier, probabilities = the recovered class posterior",
        "",
        format_table(results),
        "",
        f"mean ± standard deviation over the {k} folds; fit s = seconds per fold"
        + (" (with --gamma auto: the whole search)" if args.gamma == "auto" else "")
        + " after an untimed warm-up fit"
        + "; rounds = boosting rounds kept by early stopping",
        ("binary metrics of the positive class; ECE: 15 equal-width bins" if binary else
         "multiclass: PR-AUC and ROC-AUC one-vs-rest, macro; Brier summed over classes; "
         "ECE class-wise (mean over classes of the ECE of each class, 15 equal-width bins)"),
    ]
    for r in results:
        if r.search:
            grid = ", ".join(f"{g:g}: {np.mean(v):.4f}" for g, v in r.search.items())
            per_fold = ", ".join(f"{g:g}" for g in r.gamma_per_fold)
            lines.append(f"{r.library} --gamma auto: mean validation log-loss by gamma "
                         f"{grid}; chosen per fold: {per_fold}")
    return "\n".join(lines)


def render_plot(task: Task, results: list[Result], libraries) -> bytes:
    """PNG: PR curves (top) and reliability diagrams (bottom), one column per library."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import average_precision_score, precision_recall_curve

    fig = Figure(figsize=(5.5 * len(libraries), 9.5), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(2, len(libraries), squeeze=False)
    onehot = np.eye(task.n_classes)[task.y_index]
    what = ("positive class" if task.positive is not None
            else "all classes one-vs-rest, pooled")
    for col, library in enumerate(libraries):
        ax_pr, ax_rel = axes[0, col], axes[1, col]
        for r, color in zip([r for r in results if r.library == library], ("C0", "C3"),
                            strict=True):
            if task.positive is not None:
                p, t = r.oof[:, task.positive], onehot[:, task.positive]
            else:
                p, t = r.oof.ravel(), onehot.ravel()
            name = (r.model if r.model == "log-loss" else "focal, gamma auto" if r.search
                    else f"focal, gamma {r.gamma:g}")
            precision, recall, _ = precision_recall_curve(t, p)
            ax_pr.plot(recall, precision, color=color, drawstyle="steps-post",
                       label=f"{name} (AP {average_precision_score(t, p):.3f})")
            frac, mean = calibration_curve(t, p, n_bins=10)
            ax_rel.plot(mean, frac, "o-", color=color,
                        label=f"{name} (ECE {expected_calibration_error(p, t):.4f})")
        ax_pr.axhline(t.mean(), color="grey", ls=":", lw=1, label="chance")
        ax_pr.set(title=f"{library}: precision-recall ({what})", xlabel="recall",
                  ylabel="precision", xlim=(0, 1), ylim=(0, 1.02))
        ax_rel.plot([0, 1], [0, 1], "k:", lw=1)
        ax_rel.set(title=f"{library}: reliability, out-of-fold (10 bins)",
                   xlabel="mean predicted probability", ylabel="fraction of positives",
                   xlim=(0, 1), ylim=(0, 1))
        ax_pr.legend(loc="lower left", fontsize=8)
        ax_rel.legend(loc="upper left", fontsize=8)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    return buffer.getvalue()


def table_bytes(path: Path, task: Task, results: list[Result], args) -> bytes:
    rows = [r.summary() for r in results]
    if path.suffix.lower() == ".json":
        settings = {"data": task.description, "folds": args.folds, "seed": args.seed,
                    "n_estimators": args.n_estimators, "gamma": args.gamma,
                    "alpha": _alpha_text(args.alpha, task),
                    "classes": [c.item() if isinstance(c, np.generic) else c
                                for c in task.classes],
                    "positive_class": (None if task.positive is None
                                       else _label(task.classes[task.positive]))}
        if args.gamma == "auto":
            settings["gamma_search"] = {
                r.library: {f"{g:g}": float(np.mean(v)) for g, v in r.search.items()}
                for r in results if r.search}
        return (json.dumps({"settings": settings, "results": rows}, indent=2,
                           default=str) + "\n").encode()
    import csv

    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "gamma_per_fold": " ".join(f"{g:g}" for g in
                                                            row["gamma_per_fold"])})
    return text.getvalue().encode()


def refit(task: Task, result: Result, args, progress: Progress):
    """The focal model on all rows, with the median rounds early stopping kept."""
    rounds = max(1, int(np.median(result.rounds)))
    progress(f"{result.library} focal refit on all {len(task.y)} rows "
             f"(gamma {result.gamma:g}, {rounds} rounds)")
    est = make_model(result.library, "focal", gamma=result.gamma,
                     alpha=_alpha_param(args.alpha, task), n_estimators=rounds,
                     seed=args.seed, n_jobs=args.n_jobs, early_stopping=False)
    fit(est, result.library, "focal", task.X, task.y)
    return est


def model_paths(path: Path, libraries) -> dict[str, Path]:
    if len(libraries) == 1:
        return {libraries[0]: path}
    return {lib: path.with_name(f"{path.stem}-{lib}{path.suffix}") for lib in libraries}


def model_bytes(estimator, library: str, path: Path) -> bytes:
    suffix = path.suffix.lower()
    if suffix in PICKLE_SUFFIXES:
        return pickle.dumps(estimator, protocol=pickle.HIGHEST_PROTOCOL)
    if library == "xgboost":
        return bytes(estimator.booster_.save_raw(raw_format=suffix[1:]))
    return estimator.booster_.model_to_string().encode()


def model_note(estimator, library: str, path: Path) -> str:
    head = f"{library} focal model ({estimator.n_estimators} rounds, all rows) saved to {path}"
    if path.suffix.lower() in PICKLE_SUFFIXES:
        return f"{head}: pickle.load(open({str(path)!r}, 'rb')).predict_proba(X)"
    classes = estimator.classes_
    columns = (f"P({_label(classes[1])})" if len(classes) == 2 else
               f"columns {', '.join(_label(c) for c in classes)}")
    if library == "xgboost":  # the booster stores its loss
        how = f"focal_boost.xgboost.predict_proba(xgboost.Booster(model_file={str(path)!r}), X)"
    else:
        how = (f"focal_boost.lightgbm.predict_proba(lightgbm.Booster(model_file="
               f"{str(path)!r}), X, focal_boost.{estimator.loss_!r})")
    return f"{head}: {how} gives {columns}"


# --------------------------------------------------------------------------- main
def check_paths(args, libraries) -> None:
    """Refuse bad output paths before any work, so that failures write nothing."""
    for option, value, suffixes in (
        ("--output", args.output, (".json", ".csv")),
        ("--plot", args.plot, (".png",)),
        ("--save-model", args.save_model, (*PICKLE_SUFFIXES, *NATIVE_SUFFIXES)),
    ):
        if value is None:
            continue
        path = Path(value)
        if path.suffix.lower() not in suffixes:
            raise UsageError(f"{option} {value}: the name must end in "
                             f"{' or '.join(suffixes)}")
        if not path.parent.is_dir():
            raise UsageError(f"{option} {value}: directory {path.parent} does not exist; "
                             f"create it or choose another path")
    if args.save_model:
        suffix = Path(args.save_model).suffix.lower()
        owner = NATIVE_SUFFIXES.get(suffix)
        if owner is not None and libraries != (owner,):
            name = "an XGBoost" if owner == "xgboost" else "a LightGBM"
            raise UsageError(f"--save-model {args.save_model}: {suffix} is {name} model "
                             f"file; add --library {owner}, or save with .pkl")
    if args.plot:
        _require("matplotlib", "--plot", "pip install matplotlib, or leave out --plot")


def run(argv: list[str] | None = None) -> tuple[Task, list[Result], dict[str, Any]]:
    """Parse, check, cross-validate, report and write; returns what it computed.

    Raises UsageError for bad input; :func:`main` turns it into one line on stderr.
    """
    args = build_parser().parse_args(argv)
    libraries = LIBRARIES if args.library == "both" else (args.library,)
    if args.data is None and args.target is not None:
        raise UsageError("--target needs a DATA file: focal-boost DATA.csv --target COLUMN")
    if args.data is not None and args.target is None:
        raise UsageError(f"{args.data}: name the class column with --target COLUMN")
    for module in ("sklearn", "pandas", *libraries):
        _require(module, "focal-boost", 'pip install "focal-boost[cli]"')
    check_paths(args, libraries)
    progress = Progress(args.quiet)

    if args.data is None:
        X, y, description = load_default()
        task = make_task(X, y, description, args.folds)
    else:
        path = Path(args.data)
        X, y = split_target(read_table(path), args.target, path)
        task = make_task(X, y, str(path), args.folds, target=args.target)
    if isinstance(args.alpha, float) and task.positive is None:
        raise UsageError(f"--alpha {args.alpha:g} weighs the positive class of a binary "
                         f"target, but there are {task.n_classes} classes: use --alpha "
                         f"balanced or none")

    results = cross_validate(task, libraries, args, progress)
    report = format_report(task, results, args, len(libraries))

    # Everything to write is made in memory first: a failure writes nothing.
    files: dict[Path, bytes] = {}
    notes = []
    models = {}
    if args.output:
        files[Path(args.output)] = table_bytes(Path(args.output), task, results, args)
    if args.plot:
        files[Path(args.plot)] = render_plot(task, results, libraries)
    if args.save_model:
        for library, path in model_paths(Path(args.save_model), libraries).items():
            focal = next(r for r in results if r.library == library and r.model == "focal")
            models[library] = refit(task, focal, args, progress)
            files[path] = model_bytes(models[library], library, path)
            notes.append(model_note(models[library], library, path))
    for path, content in files.items():
        path.write_bytes(content)
    print(report)
    for note in notes:
        print(note)
    for option in (args.output, args.plot):
        if option:
            print(f"wrote {option}")
    return task, results, models


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m focal_boost`` and ``focal-boost``; returns the exit code."""
    # The job is many short fits on small data. OpenMP threads that spin while they wait
    # (the default) made it 3-25 times slower on 2 cores shared with other processes;
    # passive waiting did not. It takes effect if the libraries are not loaded yet.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        run(argv)
    except UsageError as exc:
        print(f"focal-boost: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("focal-boost: interrupted", file=sys.stderr)
        return 130
    return 0
