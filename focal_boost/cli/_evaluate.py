"""The command line's models: making and fitting them, cross-validation, the gamma
search, the refit on all rows."""

from __future__ import annotations

import contextlib
import functools
import re
import sys
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from focal_boost.cli._args import (
    EARLY_STOPPING_ROUNDS,
    GAMMA_GRID,
    LEARNING_RATE,
    LEARNING_RATE_NAMES,
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


# Set by the command's own options, never by --param.
_OWN_PARAMS = {
    "n_estimators": "--n-estimators", "num_iterations": "--n-estimators",
    "num_boost_round": "--n-estimators", "random_state": "--seed", "seed": "--seed",
    "n_jobs": "--n-jobs", "nthread": "--n-jobs", "num_threads": "--n-jobs",
    "early_stopping_rounds": "the command's early stopping",
    "early_stopping_round": "the command's early stopping",
    "objective": "--gamma (gamma 0 is log-loss)", "class_weight": "--alpha",
    "scale_pos_weight": "--alpha", "eval_metric": "the command's metrics",
    "enable_categorical": "the command (text columns are categories)",
    "categorical_feature": "the command (text columns are categories) and --category",
    "callbacks": "the command", "gamma": "--gamma (XGBoost's gamma is min_split_loss)",
    "alpha": "--alpha (the L1 penalty is reg_alpha)",
    "is_unbalance": "--alpha",
    # each model starts at its own constant: XGBoost's estimate and LightGBM's average
    # for log-loss, the focal-optimal one for focal loss
    "base_score": "the command (each model starts at its loss's best constant)",
    "init_score": "the command (each model starts at its loss's best constant)",
    "num_class": "the --target column's classes", "num_classes": "the --target column's classes",
}


# LightGBM's parameters for the data files it loads itself and for its own command-line
# program, which the Python package ignores without a word (a weight column stayed a
# feature): why each is refused
_FILE = "LightGBM reads it only from data files it loads itself; the command reads the file"
_PROGRAM = ("a setting of LightGBM's own command-line program, which its Python package "
            "ignores; the command reads DATA and writes with --save-model and --output")
_FILE_PARAMS = {
    "label_column": f"{_FILE}, and --target names the label",
    "weight_column": f"{_FILE} and takes no sample weights: --alpha weighs the classes",
    "ignore_column": f"{_FILE}, and --drop leaves a column out",
    "group_column": f"{_FILE}, and query groups are for ranking",
    **dict.fromkeys(("header", "two_round", "save_binary", "precise_float_parser",
                     "parser_config_file"), _FILE),
    **dict.fromkeys(("config", "data", "valid", "input_model", "output_model", "task",
                     "output_result", "convert_model", "convert_model_language",
                     "snapshot_freq", "metric_freq", "is_provide_training_metric"),
                    _PROGRAM),
    # prediction settings, which a model's training ignores (pred_early_stop the focal
    # model refuses in its own words)
    **dict.fromkeys(("predict_raw_score", "predict_leaf_index", "predict_contrib",
                     "num_iteration_predict", "start_iteration_predict",
                     "predict_disable_shape_check"),
                    "a prediction setting of LightGBM's, which training ignores; the "
                    "command predicts with the model as trained"),
}


def _known(library: str, name: str) -> bool:
    if library == "lightgbm":
        from focal_boost import lightgbm as flgb

        return flgb.is_parameter(name) or name in _param_names("lightgbm")
    return name in _param_names("xgboost")


def _param_names(library: str) -> set[str]:
    """The names the estimator's ``get_params`` lists; for XGBoost, also its own."""
    if library == "lightgbm":
        from lightgbm import LGBMClassifier

        return set(LGBMClassifier().get_params())
    from xgboost import XGBClassifier

    return set(XGBClassifier().get_params()) | _xgboost_names()


@functools.cache
def _xgboost_names() -> frozenset[str]:
    """XGBoost's own training parameters, which XGBClassifier passes on from its
    ``**kwargs`` (``min_split_loss``, dart's ``rate_drop``): not in ``get_params``.

    They are the names of the training sections (``*_train_param``, ``generic_param``,
    the coordinate updater's ``coordinate_param``) of a booster's configuration
    (``save_config``), which holds every parameter of the parts in use: a dart booster
    (its own and gbtree's, the hist updater's), an exact gbtree (its updater's) and
    the linear one of each updater. The other sections are the model's shape
    (``num_class``, ``num_trees``), set from the data, and the objective's, which the
    command sets."""
    import json

    import xgboost as xgb

    data = xgb.DMatrix(np.zeros((2, 1)), label=[0.0, 1.0])
    names: set[str] = set()

    def collect(node) -> None:
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            if str(key).endswith("_train_param") or key in ("generic_param",
                                                             "coordinate_param"):
                names.update(value)
            elif isinstance(value, dict | list):
                collect(value)

    for params in ({"booster": "gbtree"}, {"booster": "gbtree", "tree_method": "exact"},
                   {"booster": "dart"},
                   {"booster": "gblinear"},
                   {"booster": "gblinear", "updater": "coord_descent"}):  # (its top_k)
        if params["booster"] == "dart" and "rate_drop" in names:
            # XGBoost 3.4's gbtree has dart's parameters; its dart warns once a process,
            # which a booster made here would take from the user's own dart fit
            continue
        with warnings.catch_warnings():  # (XGBoost 3.4 deprecates dart and gblinear: the
            warnings.simplefilter("ignore")  # user chose neither here)
            booster = xgb.Booster({**params, "nthread": 1}, [data])
            booster.update(data, 0)  # the updaters' parameters appear once they have run
        collect(json.loads(booster.save_config()))
    return frozenset(names)


def library_params(params, libraries) -> dict[str, dict[str, Any]]:
    """--param as ``{library: {name: value}}``: a name without a library goes to each
    library that has it; a name no chosen library has is refused."""
    from focal_boost.cli._args import UsageError

    out: dict[str, dict[str, Any]] = {lib: {} for lib in libraries}
    # (library, the parameter's main name): the --param that set it, and its value
    given: dict[tuple[str, str], tuple[str, Any]] = {}
    for library, name, value in params:
        written = f"{library}.{name}" if library else name
        if name in LEARNING_RATE_NAMES:
            # XGBoost's eta and LightGBM's aliases are the estimators' learning_rate:
            # beside the command's learning_rate each library ignored its alias
            name = "learning_rate"
        own, why = _OWN_PARAMS.get(name), None
        if library != "xgboost" and "lightgbm" in libraries:
            from focal_boost import lightgbm as flgb

            lightgbm_main = flgb.main_name(name)
            own = own or _OWN_PARAMS.get(lightgbm_main)  # LightGBM's aliases of them
            why = _FILE_PARAMS.get(lightgbm_main) if flgb.is_parameter(name) else None
        if own is not None:
            raise UsageError(f"--param {written}: set by {own}, not by --param")
        if why is not None:
            raise UsageError(f"--param {written}: {why}")
        targets = [library] if library else [lib for lib in libraries if _known(lib, name)]
        if library and library not in libraries:
            raise UsageError(f"--param {written}: {library} is not compared; add "
                             f"--library {library} or both")
        if not targets or not all(_known(lib, name) for lib in targets):
            import difflib

            names = set().union(*(_param_names(lib) for lib in targets or libraries))
            close = difflib.get_close_matches(name, sorted(names - {name}), n=3)
            hint = f": did you mean {' or '.join(close)}?" if close else ""
            which = library or " or ".join(libraries)
            raise UsageError(f"--param {written}: not a parameter of {which}{hint}")
        for lib in targets:
            main = _main_name(lib, name)
            # a LightGBM parameter under the estimators' own name: their value (a default
            # too) won over an alias that is longer or not the main name (max_leaves,
            # l2_regularization), unsaid in the log-loss model
            key = name
            if lib == "lightgbm":
                from focal_boost import lightgbm as flgb

                key = flgb.constructor_name(name) or name
            if (lib, main) in given:
                before, old = given[lib, main]
                if repr(old) != repr(value):  # (the last one won, unsaid; nan is nan)
                    raise UsageError(
                        f"--param {before}={old!r} and --param {written}={value!r} both "
                        f"set {lib}'s {main}: give it once, or one value per library, "
                        f"each with its library's prefix ({lib}.{main}=...)")
            out[lib][key] = value
            given[lib, main] = (written, value)
    return out


# XGBClassifier's names of the booster's parameters given under both names
_XGBOOST_ALIASES = {"lambda": "reg_lambda", "alpha": "reg_alpha"}


def _main_name(library: str, name: str) -> str:
    """The name ``library`` reads a parameter by: LightGBM's main name of an alias,
    XGBClassifier's of XGBoost's own ``lambda`` / ``alpha``."""
    if library == "lightgbm":
        from focal_boost import lightgbm as flgb

        return flgb.main_name(name)
    return _XGBOOST_ALIASES.get(name, name)


def params_text(params: dict[str, dict[str, Any]]) -> str:
    """``max_depth=4 (both), num_leaves=15 (lightgbm)``."""
    seen: dict[tuple[str, str], list[str]] = {}
    for library, values in params.items():
        for name, value in values.items():
            seen.setdefault((name, repr(value) if isinstance(value, str) else str(value)),
                            []).append(library)
    both = len(params) > 1
    return ", ".join(f"{name}={value}" + ((" (both)" if len(libs) == 2 else f" ({libs[0]})")
                                          if both else "")
                     for (name, value), libs in seen.items())


def make_model(library: str, model: str, *, gamma: float, alpha, n_estimators: int,
               seed: int, n_jobs: int | None, early_stopping: bool, params=None,
               categories: bool = True):
    """The library's classifier on log-loss, or the focal_boost estimator; ``params``
    (the library's parameters) go to both. ``categories``: the features hold category
    columns, which XGBoost reads with ``enable_categorical`` (set only then: its exact
    tree method refuses it on numbers alone, as XGBClassifier does)."""
    rounds = EARLY_STOPPING_ROUNDS if early_stopping else None
    common = {"n_estimators": n_estimators, "learning_rate": LEARNING_RATE,
              "random_state": seed, "n_jobs": n_jobs, **(params or {})}
    if library == "xgboost":
        if model == "log-loss":
            from xgboost import XGBClassifier

            return XGBClassifier(**common, early_stopping_rounds=rounds,
                                 enable_categorical=categories)
        from focal_boost import FocalXGBClassifier

        return FocalXGBClassifier(gamma, alpha, **common, early_stopping_rounds=rounds,
                                  enable_categorical=categories)
    if model == "log-loss":
        from lightgbm import LGBMClassifier

        return LGBMClassifier(**{"verbose": -1, **common})
    from focal_boost import FocalLGBMClassifier

    return FocalLGBMClassifier(gamma, alpha, **common, early_stopping_rounds=rounds)


def has_categories(X) -> bool:
    """Whether the feature frame ``X`` holds a category column (as the estimators tell
    them)."""
    from focal_boost.estimators import category_levels

    return category_levels(X) is not None


def one_line(message) -> str:
    """A warning's ``message`` on one line, without XGBoost's time stamp ("[18:58:29]
    WARNING: ..."): one message from fits a second apart is one message."""
    return re.sub(r"^\[\d\d:\d\d:\d\d\] ", "", " ".join(str(message).split()))


@contextlib.contextmanager
def one_line_warnings(what: str | None, earlier: Sequence[str] = ()):
    """The ``UserWarning``s raised inside (the estimators', the libraries'), each
    distinct message printed once after it as one line of the command's own, prefixed
    by ``what`` and counted, instead of Python's two lines with a source path each
    time; ``what`` None prints none. Yields the list it fills with the messages on
    leaving. ``earlier``: the messages of the untimed warm-up of the same model, printed
    where the fits inside do not say them again (a library says some once a process:
    XGBoost 3.4 that dart is deprecated). Other warnings are passed on."""
    messages: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        yield messages
    counts: dict[str, int] = {}
    for w in caught:
        if not issubclass(w.category, UserWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
            continue
        message = one_line(w.message)
        messages.append(message)
        counts[message] = counts.get(message, 0) + 1
    for message in earlier:
        counts.setdefault(message, 1)
    if what is None:
        return
    for message, n in counts.items():
        print(f"focal-boost: warning: {what}: {message}"
              f"{f' ({n} fits)' if n > 1 else ''}", file=sys.stderr)


def fit(estimator, library: str, model: str, X, y, X_valid=None, y_valid=None) -> int:
    """Fit, early-stopped on (X_valid, y_valid) when given; returns the rounds kept."""
    if X_valid is None:
        estimator.fit(X, y)
        return estimator.n_estimators
    if model == "focal":
        with warnings.catch_warnings():  # its advice is about eval_set in a Pipeline;
            # the command says it its own way (cross_validate: rounds kept of 1)
            warnings.filterwarnings("ignore", "early stopping kept only the first iteration")
            estimator.fit(X, y, eval_set=[(X_valid, y_valid)])
        return estimator.best_iteration + 1
    if library == "xgboost":
        estimator.fit(X, y, eval_set=[(X_valid, y_valid)], verbose=False)
        return estimator.best_iteration + 1
    import inspect

    import lightgbm as lgb

    from focal_boost import lightgbm as flgb

    # the early-stopping settings a --param gives both models (the focal estimator reads
    # them itself; LGBMClassifier only with its own early_stopping_round)
    given = {key: value for key, value in estimator.get_params().items() if value is not None}
    stop = [lgb.early_stopping(
        EARLY_STOPPING_ROUNDS, verbose=False,
        first_metric_only=bool(flgb.param_value(given, "first_metric_only", False)),
        min_delta=flgb.param_value(given, "early_stopping_min_delta", 0.0))]
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
    search_rows: int = 0  # --gamma auto: the most rows a candidate was fit on
    search_refit: bool = False  # --gamma auto: the chosen gamma fit again on all rows
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


def _fit_fold(task: Task, result: Result, gammas, fit_rows, valid_rows, alpha, args):
    """The model of one training fold: ``(gamma, estimator, rounds)``; with several
    gammas the one of lowest validation log-loss (each gamma's joins ``result.search``).

    With several gammas and more than ``SEARCH_ROWS`` rows to fit on, the candidates
    are fit on a stratified ``SEARCH_ROWS`` of them, and the chosen gamma again on all.
    """
    from focal_boost.cli import _args

    X, y = task.X, task.y_index
    # Focal estimators take the labels as given, the libraries' own classifiers class
    # indices; both order classes the same way.
    labels = task.y if result.model == "focal" else y
    stops = unstopped_boosting(result.library, args.library_params) is None

    def one(gamma, rows, final=True):
        est = make_model(result.library, result.model, gamma=gamma, alpha=alpha,
                         n_estimators=args.n_estimators, seed=args.seed,
                         n_jobs=args.n_jobs, early_stopping=stops,
                         params=args.library_params[result.library],
                         categories=has_categories(X))
        if stops:
            return est, fit(est, result.library, result.model, X.iloc[rows], labels[rows],
                            X.iloc[valid_rows], labels[valid_rows])
        # no early stopping: the early-stopping rows train the model too, but while
        # they choose gamma
        rows = np.concatenate([rows, valid_rows]) if final else rows
        return est, fit(est, result.library, result.model, X.iloc[rows], labels[rows])

    if len(gammas) == 1:
        return (gammas[0], *one(gammas[0], fit_rows))
    search_rows = fit_rows
    if len(fit_rows) > _args.SEARCH_ROWS:
        search_rows = _search_rows(fit_rows, y, _args.SEARCH_ROWS, args.seed)
    result.search_rows = max(result.search_rows, len(search_rows))
    best = None
    for gamma in gammas:
        est, rounds = one(gamma, search_rows, final=False)
        valid = scores(y[valid_rows], est.predict_proba(X.iloc[valid_rows]),
                       task.positive)["log_loss"]
        result.search.setdefault(gamma, []).append(valid)
        if best is None or valid < best[0]:
            best = (valid, gamma, est, rounds)
    if len(search_rows) < len(fit_rows) or not stops:  # (no early stopping: all rows)
        result.search_refit = True
        return (best[1], *one(best[1], fit_rows))
    return best[1:]


def cross_validate(task: Task, libraries, args, progress: Progress) -> list[Result]:
    """Out-of-fold scores of every (library, model) on the same folds and splits."""
    splits = _splits(task, args)
    check_rows(splits, libraries, args, task)
    for line in task.notes:
        progress(line)
    for line in task.warnings:  # not hidden by --quiet
        print(f"focal-boost: warning: {line}", file=sys.stderr)
    alpha = _alpha_param(args.alpha, task)
    progress(f"warm-up fit of every model on fold 1 ({len(splits[0][0])} rows)")
    warned = warm_up(task, libraries, splits[0][0], alpha, args)
    grid = GAMMA_GRID if args.gamma == "auto" else (args.gamma,)
    results = []
    # fits left, weighted by the gammas each fits (the estimate of the time left)
    n_fit = len(splits[0][0])
    stops = {library: unstopped_boosting(library, args.library_params) is None
             for library in libraries}
    total = len(splits) * sum(1 + _fit_units(len(grid), n_fit, stops[library])
                              for library in libraries)
    done, spent = 0.0, 0.0
    for library in libraries:
        for model in MODELS:
            gammas = grid if model == "focal" else (0.0,)
            result = Result(library, model, gammas[0], _alpha_text(args.alpha))
            result.oof = np.zeros((len(task.y), task.n_classes))
            with one_line_warnings(f"{library} {model}", warned[library, model]):
                for i, (fit_rows, valid_rows, test) in enumerate(splits):
                    start = time.perf_counter()
                    gamma, est, rounds = _fit_fold(task, result, gammas, fit_rows, valid_rows,
                                                   alpha, args)
                    seconds = time.perf_counter() - start
                    result.fit_seconds.append(seconds)
                    done = done + _fit_units(len(gammas), n_fit, stops[library])
                    spent += seconds
                    searched = f", {len(gammas)} gammas" if len(gammas) > 1 else ""
                    left = spent / done * (total - done)
                    progress(f"{library} {model} fold {i + 1}/{len(splits)}: {seconds:.1f} s"
                             f"{searched}, {rounds_text(rounds)}; about {_duration(left)} left")
                    proba = est.predict_proba(task.X.iloc[test])
                    result.oof[test] = proba
                    result.scores.append(scores(task.y_index[test], proba, task.positive))
                    result.rounds.append(rounds)
                    if model == "focal":
                        result.gamma_per_fold.append(gamma)
            if result.search:  # refit gamma: lowest mean validation log-loss
                result.gamma = min(result.search, key=lambda g: np.mean(result.search[g]))
            first_only = sum(r == 1 for r in result.rounds)
            if first_only and args.n_estimators > 1:
                print(f"focal-boost: warning: {library} {model}: early stopping kept only "
                      f"the first round in {first_only} of {len(splits)} folds: the "
                      "validation loss never improved after it (the features may say "
                      "little about the target)", file=sys.stderr)
            at_cap = sum(r >= args.n_estimators for r in result.rounds)
            if at_cap and args.n_estimators > 1 and stops[library]:
                # (the refit takes the median rounds)
                print(f"focal-boost: warning: {library} {model}: early stopping kept all "
                      f"{args.n_estimators} rounds in {at_cap} of {len(splits)} folds: the "
                      "validation loss was still falling at the last one; raise "
                      "--n-estimators", file=sys.stderr)
            results.append(result)
    return results


def unstopped_boosting(library: str, library_params) -> str | None:
    """The boosting of the library's models that cannot stop early with the --param
    given (``library_params``: by library), else None: LightGBM's dart (LightGBM says
    so and keeps every round) and rf (a focal forest takes no validation data: only
    the whole forest is a model; both models then train alike)."""
    if library != "lightgbm":
        return None
    from focal_boost import lightgbm as flgb

    boosting = flgb.boosting_type(library_params.get(library, {}))
    return boosting if boosting in ("dart", "rf") else None


def _search_rows(rows: np.ndarray, y: np.ndarray, size: int, seed: int) -> np.ndarray:
    """About ``size`` of ``rows`` for the gamma search, stratified by class, with a row of
    every class; where a class has one row there, or too few rows are left over for
    every class, a row of each class and the rest drawn at random (the stratified split
    refuses both)."""
    from sklearn.model_selection import train_test_split

    classes, first = np.unique(y[rows], return_index=True)
    try:
        chosen = train_test_split(rows, train_size=size, stratify=y[rows],
                                  random_state=seed)[0]
    except ValueError:
        rest = np.delete(rows, first)
        drawn = np.random.default_rng(seed).permutation(rest)[:size - len(first)]
        return np.concatenate([rows[first], drawn])
    # a class of 2 or 3 rows among 100k can get none: its first row joins (the
    # early-stopping rows would hold a class the candidates never saw)
    absent = np.setdiff1d(classes, y[chosen])
    return np.concatenate([chosen, rows[first[np.searchsorted(classes, absent)]]])


def _fit_units(n_gammas: int, n_fit: int, stops: bool = True) -> float:
    """The cost of a fold in fits on all its rows: the candidates of --gamma auto on at
    most SEARCH_ROWS rows, then the chosen one on all (the estimate of the time left);
    without early stopping (``stops`` False: dart, rf) the chosen one is always fit again,
    on the early-stopping rows too."""
    from focal_boost.cli import _args

    if n_gammas == 1:
        return 1.0
    if n_fit <= _args.SEARCH_ROWS:
        return float(n_gammas) + (not stops)
    return 1.0 + n_gammas * _args.SEARCH_ROWS / n_fit


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"


def check_rows(splits, libraries, args, task: Task | None = None) -> None:
    """LightGBM cannot split a training fold smaller than twice min_child_samples;
    its model would be a constant: refuse, and say what to change (with ``task``, also
    the fewest --folds whose training folds are large enough, where there are such)."""
    from focal_boost.cli._args import UsageError

    if "lightgbm" not in libraries:
        return
    from lightgbm import LGBMClassifier

    from focal_boost import lightgbm as flgb

    # what both models train with: --param beside the classifiers' named parameters
    # (min_child_samples=20), LightGBM's rule deciding between the spellings
    params = {**LGBMClassifier().get_params(), **args.library_params["lightgbm"]}
    minimum = flgb.param_value(params, "min_data_in_leaf", 20)
    n_fit = min(len(fit_rows) for fit_rows, _, _ in splits)
    if isinstance(minimum, (int, float)) and n_fit < 2 * minimum:
        folds = None if task is None else _enough_folds(task, args, 2 * minimum)
        more = "" if folds is None else f", give --folds {folds} (larger training folds),"
        raise UsageError(
            f"the training folds have {n_fit} rows to fit on (after the early-stopping "
            f"rows), too few for LightGBM's min_child_samples={minimum:g} (a split needs "
            f"{2 * minimum:g}): add --param lightgbm.min_child_samples={max(1, n_fit // 4)}"
            f"{more} or --library xgboost")


def _enough_folds(task: Task, args, rows: float) -> int | None:
    """The fewest --folds above ``args.folds`` whose training folds all have ``rows``
    rows to fit on; None where none has (a fold per row of the rarest class at most).
    Only the fold counts whose largest possible training fold would do are split."""
    import copy

    counts = np.bincount(task.y_index)
    n, n_classes = len(task.y_index), int((counts > 0).sum())
    for folds in range(args.folds + 1, min(int(counts[counts > 0].min()), 100) + 1):
        # a stratified fold holds at least n // folds - n_classes rows out
        train = n - max(n // folds - n_classes, 0)
        if train - max(round(VALIDATION_FRACTION * train), n_classes) < rows:
            continue
        more = copy.copy(args)
        more.folds = folds
        if min(len(fit_rows) for fit_rows, _, _ in _splits(task, more)) >= rows:
            return folds
    return None


def warm_up(task: Task, libraries, rows: np.ndarray, alpha,
            args) -> dict[tuple[str, str], list[str]]:
    """Fit every model once for 2 rounds, untimed: the fit times then leave out
    one-off costs (the libraries' lazy imports, loading the compiled kernels). Returns
    each model's warnings, unprinted: the folds say them again, but for what a library
    says once a process (see :func:`one_line_warnings`)."""
    said = {}
    for library in libraries:
        for model in MODELS:
            est = make_model(library, model, gamma=2.0, alpha=alpha, n_estimators=2,
                             seed=args.seed, n_jobs=args.n_jobs, early_stopping=False,
                             params=args.library_params[library],
                             categories=has_categories(task.X))
            with one_line_warnings(None) as said[library, model]:
                fit(est, library, model, task.X.iloc[rows],
                    (task.y if model == "focal" else task.y_index)[rows])
    return said


def _alpha_text(alpha) -> str:
    if alpha is None:
        return "none"
    if isinstance(alpha, float):
        return f"{alpha:g}"
    return alpha


def rounds_text(n: int) -> str:
    return f"{n} round{'s' if n != 1 else ''}"


def refit(task: Task, result: Result, args, progress: Progress):
    """The focal model on all rows, with the median rounds early stopping kept, after
    the preprocessing fitted on the file: a ``Pipeline`` that scores rows as they
    appear in the file."""
    from sklearn.pipeline import Pipeline

    rounds = max(1, int(np.median(result.rounds)))
    progress(f"{result.library} focal refit on all {len(task.y)} rows "
             f"(gamma {result.gamma:g}, {rounds_text(rounds)})")
    est = make_model(result.library, "focal", gamma=result.gamma,
                     alpha=_alpha_param(args.alpha, task), n_estimators=rounds,
                     seed=args.seed, n_jobs=args.n_jobs, early_stopping=False,
                     params=args.library_params[result.library],
                     categories=has_categories(task.X))
    with one_line_warnings(f"{result.library} focal refit"):
        fit(est, result.library, "focal", task.X, task.y)
    return Pipeline([("prepare", task.encoder), ("model", est)])
