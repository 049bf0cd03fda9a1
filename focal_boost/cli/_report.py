"""The command line's output: the table, the plot, the table file, saved models."""

from __future__ import annotations

import io
import json
import pickle
import shlex
import textwrap
from pathlib import Path
from typing import Any

import numpy as np

from focal_boost.cli._args import (
    EARLY_STOPPING_ROUNDS,
    LEARNING_RATE,
    LEARNING_RATE_NAMES,
    METRICS,
    PICKLE_SUFFIXES,
    VALIDATION_FRACTION,
)
from focal_boost.cli._data import Task, _label
from focal_boost.cli._evaluate import (
    Result,
    _alpha_param,
    _alpha_text,
    rounds_text,
    unstopped_boosting,
)


def format_table(results: list[Result], plus_minus: str = "±") -> str:
    """The results table: a row per model, each metric's mean ``plus_minus`` its standard
    deviation over the folds (``"+/-"`` for an output that cannot write ``±``, whose
    escape would widen the cells past their columns)."""
    rows = [r.summary() for r in results]
    head = ["library", "model", "gamma", "alpha", *(t for t, _ in METRICS.values()),
            "fit s", "rounds"]
    body = []
    for r, res in zip(rows, results, strict=True):
        gamma = "-" if r["model"] == "log-loss" else (
            f"auto {r['gamma']:g}" if res.search else f"{r['gamma']:g}")
        cells = [r["library"], r["model"], gamma, r["alpha"] or "-"]
        for key, (_, digits) in METRICS.items():
            cells.append(f"{r[key + '_mean']:.{digits}f} {plus_minus} "
                         f"{r[key + '_std']:.{digits}f}")
        cells.append(f"{r['fit_seconds_mean']:.2f}")
        cells.append(f"{r['rounds_mean']:.0f}")
        body.append(cells)
    widths = [max(len(str(row[i])) for row in [head, *body]) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
             for row in [head, *body]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_report(task: Task, results: list[Result], args, plus_minus: str = "±") -> str:
    """The report the command prints: the run's settings, the table of
    :func:`format_table` (with ``plus_minus``) and its legend."""
    from focal_boost.cli._evaluate import params_text
    from focal_boost.metrics import ECE_BINS

    k = args.folds
    binary = task.positive is not None
    params = getattr(args, "library_params", {})
    chosen = params_text(params)
    others = (f"; --param {chosen}; other parameters" if chosen else ", other parameters")
    # a learning rate given with --param is the one used (and named there); the command's
    # for the libraries not given one
    given = [lib for lib, values in params.items() if LEARNING_RATE_NAMES & set(values)]
    others_rate = [lib for lib in params if lib not in given]
    rate = (f"; learning rate {LEARNING_RATE}" if not given
            else f"; learning rate {LEARNING_RATE} ({', '.join(others_rate)})" if others_rate
            else "")
    # LightGBM's metric parameter replaces its models' own loss in early stopping
    metric = None
    if params.get("lightgbm"):
        from focal_boost import lightgbm as flgb

        metric = flgb.param_value(params["lightgbm"], "metric", None)
    watched = "its own loss" + (f" (LightGBM's: the metrics --param metric={metric!s} names)"
                                if metric is not None else "")
    dropped = task.encoder.dropped_ if task.encoder is not None else {}
    # LightGBM's dart and rf cannot stop early: their models fit every round on all
    # those rows
    boosting = next(filter(None, (unstopped_boosting(r.library, params) for r in results)),
                    None)
    unstopped = (f"; LightGBM's {boosting} has no early stopping: its models train all "
                 f"{args.n_estimators} rounds on every training row"
                 if boosting is not None else "")
    lines = [
        f"data: {task.description}",
        *([left_out(dropped)] if dropped else []),
        f"{k}-fold stratified cross-validation (seed {args.seed}); in every training fold "
        f"{VALIDATION_FRACTION:.0%} of the rows (stratified) early-stop each model on "
        f"{watched} ({EARLY_STOPPING_ROUNDS} rounds without improvement, at most "
        f"{args.n_estimators}){unstopped}{rate}{others} the libraries' defaults",
        "log-loss: XGBClassifier / LGBMClassifier; focal: FocalXGBClassifier / "
        "FocalLGBMClassifier, probabilities = the recovered class posterior",
        "",
        format_table(results, plus_minus),
        "",
        f"mean {plus_minus} standard deviation over the {k} folds; fit s = seconds per fold"
        + (" (with --gamma auto: the whole search)" if args.gamma == "auto" else "")
        + " after an untimed warm-up fit"
        + "; rounds = boosting rounds kept by early stopping",
        (f"binary metrics of the positive class; ECE: {ECE_BINS} equal-width bins" if binary
         else "multiclass: PR-AUC and ROC-AUC one-vs-rest, macro; Brier summed over classes; "
         f"ECE class-wise (mean over classes of the ECE of each class, {ECE_BINS} "
         "equal-width bins)"),
    ]
    alpha = getattr(args, "alpha", None)
    if isinstance(alpha, float):  # (Python's alpha=0.25 weighs classes_[1] instead)
        weights = ", ".join(f"{_label(label)}: {weight:g}"
                            for label, weight in _alpha_param(alpha, task).items())
        lines.append(f"alpha {alpha:g} weighs the positive class; in Python: "
                     f"alpha={{{weights}}}")
    for r in results:
        if r.search:
            grid = ", ".join(f"{g:g}: {np.mean(v):.4f}" for g, v in r.search.items())
            per_fold = ", ".join(f"{g:g}" for g in r.gamma_per_fold)
            lines.append(f"{r.library} --gamma auto: mean validation log-loss by gamma "
                         f"{grid}; chosen per fold: {per_fold}; search {_search_cost(r)}")
    return "\n".join(lines)


def _search_cost(result: Result) -> str:
    """What the gamma search cost: the fits, their rows, the time."""
    n = len(result.search)
    seconds = sum(result.fit_seconds)
    rows = f"on {result.search_rows} rows" if result.search_rows else ""
    per_fold = (f"{n} candidate fits {rows} and the chosen gamma on all rows"
                if result.search_refit else f"{n} candidate fits {rows}")
    return f"{per_fold} per fold; the focal folds took {seconds:.1f} s in all"


def left_out(dropped) -> str:
    """The line that says which columns are not features, and why (in the progress and
    in the report)."""
    by_reason: dict[str, list] = {}  # (a wide file's 100 empty columns: one entry)
    for name, reason in dropped.items():
        by_reason.setdefault(reason, []).append(name)
    why = "; ".join(
        ", ".join(map(repr, names[:MAX_NAMES])) + (
            f" and {len(names) - MAX_NAMES} more" if len(names) > MAX_NAMES else "")
        + f" ({reason})" for reason, names in by_reason.items())
    # (a column of no values is no feature, kept or not)
    keep = ("; --keep COLUMN uses one" if any(reason != "no values" for reason in by_reason)
            else "")
    return f"not features: {why}{keep}"


MAX_NAMES = 5  # columns named per reason in the line of those left out


def _legend_value(result: Result, key: str) -> str:
    """A metric as the table prints it: the mean over folds, with the table's digits."""
    digits = METRICS[key][1]
    return f"{result.summary()[key + '_mean']:.{digits}f}"


MIN_BIN_ROWS = 20  # reliability bins with fewer rows are drawn hollow
TITLE_WIDTH = 60  # characters in a line of a panel's title (6.5 inches wide)
MAX_CLASS_PANELS = 3  # multiclass: panels for each class up to this many, else the rarest


def _model_name(result: Result) -> str:
    if result.model == "log-loss":
        return "log-loss"
    gamma = "gamma auto" if result.search else f"gamma {result.gamma:g}"
    return f"focal, {gamma}, alpha {result.alpha}"


def _view(task: Task, results, t_of, p_of, with_numbers: bool) -> dict[str, Any]:
    """PR curves, reliability bins and bin counts of every model for one target."""
    from sklearn.metrics import precision_recall_curve

    from focal_boost.metrics import ECE_BINS, reliability_curve

    out: dict[str, Any] = {"pr": [], "reliability": [], "counts": []}
    for r in results:
        t, p = t_of(r), p_of(r)
        name = _model_name(r)
        precision, recall, _ = precision_recall_curve(t, p)
        pr_label = f"{name} (PR-AUC {_legend_value(r, 'pr_auc')})" if with_numbers else name
        out["pr"].append((recall, precision, pr_label))
        mean, frac, _ = reliability_curve(t, p, n_bins=ECE_BINS)
        ece_label = f"{name} (ECE {_legend_value(r, 'ece')})" if with_numbers else name
        out["reliability"].append((mean, frac, ece_label))
        counts = np.bincount(np.minimum((p * ECE_BINS).astype(np.intp), ECE_BINS - 1),
                             minlength=ECE_BINS)
        out["counts"].append((np.flatnonzero(counts) / ECE_BINS, counts[counts > 0], name))
        out["chance"] = float(t.mean())
    return out


def plot_series(task: Task, results: list[Result], libraries) -> dict[str, dict[str, Any]]:
    """What :func:`render_plot` draws, per library: the out-of-fold curves (pooled over
    folds) with legend labels that carry the table's numbers (means over folds).

    ``{library: {"pr": [(recall, precision, label)], "reliability": [(mean predicted,
    fraction of positives, label)], "counts": [(left edge, rows of each non-empty bin,
    model)],
    "chance": fraction of positives, "title": what the curves are of, "classes":
    [(title, view)]}}``, one entry per model, in the table's order. Binary: the positive
    class. Multiclass: all classes one-vs-rest, pooled (the table's numbers), and in
    ``classes`` one view per class (the rarest :data:`MAX_CLASS_PANELS` when there are
    more), whose labels carry no number: the table has none per class.
    """
    onehot = np.eye(task.n_classes)[task.y_index]
    counts = onehot.sum(axis=0).astype(int)
    series = {}
    for library in libraries:
        rows = [r for r in results if r.library == library]
        if task.positive is not None:
            j = task.positive
            out = _view(task, rows, lambda r, j=j: onehot[:, j], lambda r, j=j: r.oof[:, j],
                        True)
            out["title"] = f"positive class {_label(task.classes[j])}"
            out["classes"] = []
        else:
            out = _view(task, rows, lambda r: onehot.ravel(), lambda r: r.oof.ravel(), True)
            out["title"] = "all classes one-vs-rest, pooled"
            chosen = np.argsort(counts, kind="stable")[:MAX_CLASS_PANELS]
            out["classes"] = [
                (f"class {_label(task.classes[j])} one-vs-rest ({counts[j]} rows, "
                 f"{counts[j] / len(task.y):.1%})",
                 _view(task, rows, lambda r, j=j: onehot[:, j], lambda r, j=j: r.oof[:, j],
                       False))
                for j in sorted(chosen)]
        series[library] = out
    return series


def _set_title(ax, title: str) -> None:
    """``title``, which names the user's classes, as written: a label's "$" ("under $5",
    "$40K - $60K") is not TeX math, which dropped the dollars and spaces from the title,
    or failed to parse once every fold had run (the axes' own labels stay math: a log
    axis writes its ticks as TeX). Lines are wrapped at :data:`TITLE_WIDTH` characters:
    a class's name and share ran past the panel into the next one's title."""
    lines = [textwrap.fill(line, TITLE_WIDTH, break_long_words=False,
                           break_on_hyphens=False)  # (a label "2020-01-05" kept whole)
             for line in title.split("\n")]
    ax.set_title("\n".join(lines), parse_math=False)


def _draw_pr(ax, view, title: str, legend_title: str | None) -> None:
    lows = []
    for color, (recall, precision, label) in zip(("C0", "C3"), view["pr"], strict=True):
        ax.plot(recall, precision, color=color, drawstyle="steps-post", label=label)
        lows.append(float(np.min(precision[recall <= 0.9], initial=1.0)))
    ax.axhline(view["chance"], color="grey", ls=":", lw=1, label="chance")
    # zoom where the curves crowd the top: from a little under their lowest precision
    # up to recall 0.9 (from 0 when that is low anyway)
    low = min(lows) - 0.05
    ax.set(xlabel="recall", ylabel="precision", xlim=(0, 1),
           ylim=(low if low > 0.3 else 0, 1.01))
    _set_title(ax, title)
    ax.legend(loc="lower left", fontsize=7, title_fontsize=7, title=legend_title)


def _draw_reliability(ax, view, title: str, legend_title: str | None) -> None:
    from focal_boost.metrics import ECE_BINS

    width = 1 / ECE_BINS
    hist = ax.twinx()
    for k, (color, (mean, frac, label), (left, counts, _)) in enumerate(
            zip(("C0", "C3"), view["reliability"], view["counts"], strict=True)):
        few = counts < MIN_BIN_ROWS
        ax.plot(mean, frac, "-", color=color, lw=1, label=label)
        ax.plot(mean[~few], frac[~few], "o", color=color, ms=5)
        ax.plot(mean[few], frac[few], "o", mfc="white", color=color, ms=5)
        hist.bar(left + width * (0.1 + 0.4 * k), counts, width=width * 0.4, align="edge",
                 color=color, alpha=0.25)
    hist.set_yscale("log")
    top = max(int(c.max()) for _, c, _ in view["counts"])
    hist.set_ylim(0.8, top ** 3.2)  # the bars in the lower third
    hist.set_yticks([10.0 ** e for e in range(int(np.log10(top)) + 1)])
    hist.set_ylabel("rows per bin (bars, log)", fontsize=7)
    hist.tick_params(labelsize=7)
    ax.plot([0, 1], [0, 1], "k:", lw=1)
    ax.set(xlabel="mean predicted probability", ylabel="fraction of positives",
           xlim=(0, 1), ylim=(0, 1))
    _set_title(ax, title)
    ax.plot([], [], "o", mfc="white", color="grey", label=f"bin of < {MIN_BIN_ROWS} rows")
    ax.legend(loc="upper left", fontsize=7, title_fontsize=7, title=legend_title)


def render_plot(task: Task, results: list[Result], libraries) -> bytes:
    """PNG, one column per library: PR curves and reliability diagrams (with the rows in
    each bin as bars, bins of few rows hollow); multiclass adds one pair per class
    (the rarest ones when there are many).

    The curves are out-of-fold, pooled over folds; the first pair's legends give the
    table's PR-AUC and ECE (means over folds), so a label never shows a number the
    table does not.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from focal_boost.metrics import ECE_BINS

    series = plot_series(task, results, libraries)
    n_views = 1 + len(next(iter(series.values()))["classes"])
    fig = Figure(figsize=(6.5 * len(libraries), 4.6 * 2 * n_views), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(2 * n_views, len(libraries), squeeze=False)
    binary = task.positive is not None
    pr_title, ece_title = ("PR-AUC", "ECE") if binary else ("macro PR-AUC", "class-wise ECE")
    for col, (library, out) in enumerate(series.items()):
        views = [(out["title"], out, True), *((t, v, False) for t, v in out["classes"])]
        for i, (what, view, numbers) in enumerate(views):
            _draw_pr(axes[2 * i, col], view,
                     f"{library}: precision-recall, {what}, out-of-fold",
                     f"{pr_title} as in the table (mean over folds)" if numbers else None)
            _draw_reliability(axes[2 * i + 1, col], view,
                              f"{library}: reliability, {what}\n({ECE_BINS} equal-width "
                              f"bins, out-of-fold)",
                              f"{ece_title} as in the table (mean over folds)" if numbers
                              else None)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80)
    return buffer.getvalue()


def _json_safe(value):
    """``value`` with the floats JSON has no number for as JSON takes them: NaN (a
    metric undefined in a fold) as null, an infinity (--param max_delta_step=inf) as the
    text "inf" / "-inf" (Python's json would write NaN and Infinity, which strict
    parsers refuse)."""
    if isinstance(value, dict):
        return {key: _json_safe(v) for key, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, float | np.floating) and not np.isfinite(value):
        return None if np.isnan(value) else str(float(value))
    return value


def _value(label):
    """A class label as JSON holds it (the value, not its repr)."""
    return label.item() if isinstance(label, np.generic) else label


def table_bytes(path: Path, task: Task, results: list[Result], args) -> bytes:
    rows = [r.summary() for r in results]
    if path.suffix.lower() == ".json":
        settings = {"data": task.description, "folds": args.folds, "seed": args.seed,
                    "n_estimators": args.n_estimators, "gamma": args.gamma,
                    "alpha": _alpha_text(args.alpha),
                    "classes": [_value(c) for c in task.classes],
                    "positive_class": (None if task.positive is None
                                       else _value(task.classes[task.positive]))}
        if task.encoder is not None:
            settings["features"] = [str(c) for c in task.encoder.columns_]
            settings["left_out"] = {str(c): why for c, why in task.encoder.dropped_.items()}
        settings["params"] = getattr(args, "library_params", {})
        if args.gamma == "auto":
            settings["gamma_search"] = {
                r.library: {f"{g:g}": float(np.mean(v)) for g, v in r.search.items()}
                for r in results if r.search}
        return (json.dumps(_json_safe({"settings": settings, "results": rows}), indent=2,
                           default=str, allow_nan=False) + "\n").encode()
    import csv

    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "gamma_per_fold": " ".join(f"{g:g}" for g in
                                                            row["gamma_per_fold"])})
    return text.getvalue().encode()


def model_paths(path: Path, libraries) -> dict[str, Path]:
    if len(libraries) == 1:
        return {libraries[0]: path}
    return {lib: path.with_name(f"{path.stem}-{lib}{path.suffix}") for lib in libraries}


def model_bytes(model, library: str, path: Path) -> bytes:
    """.pkl: the whole ``Pipeline`` (preprocessing and estimator); native files: the
    estimator's booster, which takes the prepared features."""
    suffix = path.suffix.lower()
    if suffix in PICKLE_SUFFIXES:
        return pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)
    estimator = model[-1]
    if library == "xgboost":
        return bytes(estimator.booster_.save_raw(raw_format=suffix[1:]))
    from focal_boost import lightgbm as flgb

    # as focal_boost.lightgbm.save_model writes it: the file names its loss and link
    return flgb.model_to_string(estimator.booster_, estimator.loss_).encode()


def model_note(model, library: str, path: Path, data=None, reading=()) -> str:
    """The line that says where the model went and how to score with it; ``reading``:
    the options the data file was read with (``--encoding cp1252``), which scoring the
    same file needs again."""
    estimator = model[-1]
    head = (f"{library} focal model ({rounds_text(estimator.n_estimators)}, all rows) "
            f"saved to {path}")
    if path.suffix.lower() in PICKLE_SUFFIXES:
        # quoted as a shell reads them: the line is meant to be copied
        command = shlex.join(["focal-boost", "predict", str(path), str(data or "DATA.csv"),
                              *reading])
        return (f"{head}, with its preprocessing: {command} "
                f"--output scores.csv, or pickle.load(open({str(path)!r}, 'rb'))"
                f".predict_proba(rows) on rows as in the file")
    classes = estimator.classes_
    columns = (f"P({_label(classes[1])})" if len(classes) == 2 else
               f"columns {', '.join(_label(c) for c in classes)}")
    # the file stores its loss
    how = (f"focal_boost.{library}.predict_proba({library}.Booster(model_file="
           f"{str(path)!r}), X)")
    return (f"{head}: {how} gives {columns}, X the prepared features (numbers; text "
            f"columns as categories; save .pkl to score rows as in the file)")
