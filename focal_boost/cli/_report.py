"""The command line's output: the table, the plot, the table file, saved models."""

from __future__ import annotations

import io
import json
import pickle
from pathlib import Path
from typing import Any

import numpy as np

from focal_boost.cli._args import (
    EARLY_STOPPING_ROUNDS,
    LEARNING_RATE,
    METRICS,
    PICKLE_SUFFIXES,
    VALIDATION_FRACTION,
)
from focal_boost.cli._data import Task, _label
from focal_boost.cli._evaluate import Result, _alpha_text


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
    from focal_boost.cli._evaluate import params_text
    from focal_boost.metrics import ECE_BINS

    k = args.folds
    binary = task.positive is not None
    chosen = params_text(getattr(args, "library_params", {}))
    others = (f"; --param {chosen}; other parameters" if chosen else ", other parameters")
    dropped = task.encoder.dropped_ if task.encoder is not None else {}
    lines = [
        f"data: {task.description}",
        *([_left_out(dropped)] if dropped else []),
        f"{k}-fold stratified cross-validation (seed {args.seed}); in every training fold "
        f"{VALIDATION_FRACTION:.0%} of the rows (stratified) early-stop each model on its own "
        f"loss ({EARLY_STOPPING_ROUNDS} rounds without improvement, at most "
        f"{args.n_estimators}); learning rate {LEARNING_RATE}{others} the "
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
        (f"binary metrics of the positive class; ECE: {ECE_BINS} equal-width bins" if binary
         else "multiclass: PR-AUC and ROC-AUC one-vs-rest, macro; Brier summed over classes; "
         f"ECE class-wise (mean over classes of the ECE of each class, {ECE_BINS} "
         "equal-width bins)"),
    ]
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
                if result.search_subsampled else f"{n} candidate fits {rows}")
    return f"{per_fold} per fold, {seconds:.1f} s in all"


def _left_out(dropped) -> str:
    why = "; ".join(f"{name!r} ({reason})" for name, reason in dropped.items())
    return f"not features: {why}; --keep COLUMN uses one"


def _legend_value(result: Result, key: str) -> str:
    """A metric as the table prints it: the mean over folds, with the table's digits."""
    digits = METRICS[key][1]
    return f"{result.summary()[key + '_mean']:.{digits}f}"


def plot_series(task: Task, results: list[Result], libraries) -> dict[str, dict[str, Any]]:
    """What :func:`render_plot` draws, per library: the out-of-fold curves (pooled over
    folds) with legend labels that carry the table's numbers (means over folds).

    ``{library: {"pr": [(recall, precision, label)], "reliability": [(mean predicted,
    fraction of positives, label)], "chance": fraction of positives}}``, one entry per
    model, in the table's order.
    """
    from sklearn.metrics import precision_recall_curve

    from focal_boost.metrics import ECE_BINS, reliability_curve

    onehot = np.eye(task.n_classes)[task.y_index]
    series = {}
    for library in libraries:
        out: dict[str, Any] = {"pr": [], "reliability": []}
        for r in (r for r in results if r.library == library):
            if task.positive is not None:
                p, t = r.oof[:, task.positive], onehot[:, task.positive]
            else:  # every class one-vs-rest, pooled
                p, t = r.oof.ravel(), onehot.ravel()
            name = (r.model if r.model == "log-loss" else "focal, gamma auto" if r.search
                    else f"focal, gamma {r.gamma:g}")
            precision, recall, _ = precision_recall_curve(t, p)
            out["pr"].append((recall, precision,
                              f"{name} (PR-AUC {_legend_value(r, 'pr_auc')})"))
            mean, frac, _ = reliability_curve(t, p, n_bins=ECE_BINS)
            out["reliability"].append((mean, frac, f"{name} (ECE {_legend_value(r, 'ece')})"))
            out["chance"] = float(t.mean())
        series[library] = out
    return series


def render_plot(task: Task, results: list[Result], libraries) -> bytes:
    """PNG: PR curves (top) and reliability diagrams (bottom), one column per library.

    The curves are out-of-fold, pooled over folds; the legends give the table's PR-AUC
    and ECE (means over folds), so a label never shows a number the table does not.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from focal_boost.metrics import ECE_BINS

    fig = Figure(figsize=(6 * len(libraries), 9.5), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(2, len(libraries), squeeze=False)
    binary = task.positive is not None
    what = "positive class" if binary else "classes one-vs-rest, pooled"
    pr_title, ece_title = ("PR-AUC", "ECE") if binary else ("macro PR-AUC", "class-wise ECE")
    for col, (library, series) in enumerate(plot_series(task, results, libraries).items()):
        ax_pr, ax_rel = axes[0, col], axes[1, col]
        for color, (recall, precision, label) in zip(("C0", "C3"), series["pr"],
                                                     strict=True):
            ax_pr.plot(recall, precision, color=color, drawstyle="steps-post", label=label)
        for color, (mean, frac, label) in zip(("C0", "C3"), series["reliability"],
                                              strict=True):
            ax_rel.plot(mean, frac, "o-", color=color, label=label)
        ax_pr.axhline(series["chance"], color="grey", ls=":", lw=1, label="chance")
        ax_pr.set(title=f"{library}: precision-recall, out-of-fold ({what})",
                  xlabel="recall", ylabel="precision", xlim=(0, 1), ylim=(0, 1.02))
        ax_rel.plot([0, 1], [0, 1], "k:", lw=1)
        ax_rel.set(title=f"{library}: reliability, out-of-fold ({ECE_BINS} equal-width bins)",
                   xlabel="mean predicted probability", ylabel="fraction of positives",
                   xlim=(0, 1), ylim=(0, 1))
        ax_pr.legend(loc="lower left", fontsize=8, title_fontsize=8,
                     title=f"{pr_title} as in the table (mean over folds)")
        ax_rel.legend(loc="upper left", fontsize=8, title_fontsize=8,
                      title=f"{ece_title} as in the table (mean over folds)")
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
        if task.encoder is not None:
            settings["features"] = [str(c) for c in task.encoder.columns_]
            settings["left_out"] = {str(c): why for c, why in task.encoder.dropped_.items()}
        settings["params"] = getattr(args, "library_params", {})
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
    return estimator.booster_.model_to_string().encode()


def model_note(model, library: str, path: Path, data=None) -> str:
    estimator = model[-1]
    head = f"{library} focal model ({estimator.n_estimators} rounds, all rows) saved to {path}"
    if path.suffix.lower() in PICKLE_SUFFIXES:
        data = data or "DATA.csv"
        return (f"{head}, with its preprocessing: focal-boost predict {path} {data} "
                f"--output scores.csv, or pickle.load(open({str(path)!r}, 'rb'))"
                f".predict_proba(rows) on rows as in the file")
    classes = estimator.classes_
    columns = (f"P({_label(classes[1])})" if len(classes) == 2 else
               f"columns {', '.join(_label(c) for c in classes)}")
    if library == "xgboost":  # the booster stores its loss
        how = f"focal_boost.xgboost.predict_proba(xgboost.Booster(model_file={str(path)!r}), X)"
    else:
        how = (f"focal_boost.lightgbm.predict_proba(lightgbm.Booster(model_file="
               f"{str(path)!r}), X, focal_boost.{estimator.loss_!r})")
    return (f"{head}: {how} gives {columns}, X the prepared features (numbers; text "
            f"columns as categories; save .pkl to score rows as in the file)")
