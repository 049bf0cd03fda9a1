"""The command line's models: making and fitting them, cross-validation, the gamma
search, the refit on all rows."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from focal_boost.cli._args import (
    EARLY_STOPPING_ROUNDS,
    GAMMA_GRID,
    LEARNING_RATE,
    METRICS,
    MODELS,
    VALIDATION_FRACTION,
)
from focal_boost.cli._data import Task


def scores(y_index: np.ndarray, proba: np.ndarray, positive: int | None) -> dict[str, float]:
    """The table's metrics of one fold (:data:`focal_boost.metrics.SCORES`).

    ``proba`` has one column per class. Binary (``positive`` the index of the positive
    class): the metrics of that class; multiclass (``positive`` None): one-vs-rest
    macro PR-AUC and ROC-AUC, Brier score summed over classes, class-wise ECE, as
    :mod:`focal_boost.metrics` defines them.
    """
    from focal_boost import metrics

    if positive is not None:
        return metrics.scores((y_index == positive).astype(np.intp), proba[:, positive])
    return metrics.scores(y_index, proba)


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
        from focal_boost.metrics import fold_mean_std

        for key in METRICS:  # the mean and spread of the per-fold values
            row[f"{key}_mean"], row[f"{key}_std"] = fold_mean_std([s[key] for s in self.scores])
        row["fit_seconds_mean"], row["fit_seconds_std"] = fold_mean_std(self.fit_seconds)
        row["rounds_mean"] = float(np.mean(self.rounds))
        row["gamma_per_fold"] = list(self.gamma_per_fold)
        return row


class Progress:
    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet

    def __call__(self, text: str) -> None:
        if not self.quiet:
            print(text, file=sys.stderr, flush=True)


def _splits(task: Task, args) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(fit rows, early-stopping rows, test rows) of every fold, shared by all models."""
    from sklearn.model_selection import StratifiedKFold, train_test_split

    X, y = task.X, task.y_index
    folds = StratifiedKFold(args.folds, shuffle=True, random_state=args.seed).split(X, y)
    splits = []
    for train, test in folds:
        n_valid = max(round(VALIDATION_FRACTION * len(train)), task.n_classes)
        fit_rows, valid_rows = train_test_split(train, test_size=n_valid, stratify=y[train],
                                                random_state=args.seed)
        splits.append((fit_rows, valid_rows, test))
    return splits


def _fit_fold(task: Task, result: Result, gammas, fit_rows, valid_rows, alpha, args,
              progress: Progress, fold: str):
    """The model of one training fold: ``(gamma, estimator, rounds)``; with several
    gammas the one of lowest validation log-loss (each gamma's joins ``result.search``)."""
    X, y = task.X, task.y_index
    # Focal estimators take the labels as given, the libraries' own classifiers class
    # indices; both order classes the same way.
    labels = task.y if result.model == "focal" else y
    best = None
    for gamma in gammas:
        label = f"gamma {gamma:g} " if len(gammas) > 1 else ""
        progress(f"{result.library} {result.model} {label}fold {fold}")
        est = make_model(result.library, result.model, gamma=gamma, alpha=alpha,
                         n_estimators=args.n_estimators, seed=args.seed,
                         n_jobs=args.n_jobs, early_stopping=True)
        rounds = fit(est, result.library, result.model, X.iloc[fit_rows], labels[fit_rows],
                     X.iloc[valid_rows], labels[valid_rows])
        if len(gammas) == 1:
            return gamma, est, rounds
        valid = scores(y[valid_rows], est.predict_proba(X.iloc[valid_rows]),
                       task.positive)["log_loss"]
        result.search.setdefault(gamma, []).append(valid)
        if best is None or valid < best[0]:
            best = (valid, gamma, est, rounds)
    return best[1:]


def cross_validate(task: Task, libraries, args, progress: Progress) -> list[Result]:
    """Out-of-fold scores of every (library, model) on the same folds and splits."""
    splits = _splits(task, args)
    alpha = _alpha_param(args.alpha, task)
    warm_up(task, libraries, splits[0][0], alpha, args)
    grid = GAMMA_GRID if args.gamma == "auto" else (args.gamma,)
    results = []
    for library in libraries:
        for model in MODELS:
            gammas = grid if model == "focal" else (0.0,)
            result = Result(library, model, gammas[0], _alpha_text(args.alpha, task))
            result.oof = np.zeros((len(task.y), task.n_classes))
            for i, (fit_rows, valid_rows, test) in enumerate(splits):
                start = time.perf_counter()
                gamma, est, rounds = _fit_fold(task, result, gammas, fit_rows, valid_rows,
                                               alpha, args, progress,
                                               f"{i + 1}/{len(splits)}")
                result.fit_seconds.append(time.perf_counter() - start)
                proba = est.predict_proba(task.X.iloc[test])
                result.oof[test] = proba
                result.scores.append(scores(task.y_index[test], proba, task.positive))
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
