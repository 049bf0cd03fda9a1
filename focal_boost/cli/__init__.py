"""``python -m focal_boost``: focal loss against log-loss on a data set, by cross-validation.

With no data file the comparison runs on a bundled imbalanced task built from
scikit-learn's digits data (digit 8 against the other nine, 9.7% positives). With
``DATA.csv --target COLUMN`` (or a parquet file) it runs on the user's data.

For every library (XGBoost, LightGBM) two models are trained on the same stratified
folds: the library's own classifier on log-loss and the focal_boost estimator on
focal loss. Each is early-stopped on its own loss on a stratified part of its
training fold, and scored on the held-out fold. The libraries, scikit-learn and
pandas are imported only once the arguments are valid.

The package: :mod:`._args` (arguments, constants), :mod:`._data` (reading files, the
default task), :mod:`._evaluate` (models, cross-validation, the gamma search),
:mod:`._report` (table, plot, output files, saved models), :mod:`._prepare` (the
preprocessing saved with the model: column names, types, category sets, columns left
out), :mod:`._main` (:func:`run`, :func:`predict`, :func:`main`). The metrics are
those of :mod:`focal_boost.metrics`.
"""

from focal_boost.cli._args import (
    EARLY_STOPPING_ROUNDS,
    GAMMA_GRID,
    LEARNING_RATE,
    LIBRARIES,
    METRICS,
    MODELS,
    VALIDATION_FRACTION,
    UsageError,
    build_parser,
    build_predict_parser,
)
from focal_boost.cli._data import (
    Task,
    encode,
    load_default,
    make_task,
    read_table,
    sniff,
    split_target,
)
from focal_boost.cli._evaluate import (
    Result,
    cross_validate,
    fit,
    make_model,
    refit,
    scores,
)
from focal_boost.cli._main import check_paths, load_task, main, predict, run
from focal_boost.cli._report import (
    format_report,
    format_table,
    plot_series,
    render_plot,
    table_bytes,
)

__all__ = [
    "EARLY_STOPPING_ROUNDS", "GAMMA_GRID", "LEARNING_RATE", "LIBRARIES", "METRICS", "MODELS",
    "VALIDATION_FRACTION", "UsageError", "build_parser", "build_predict_parser", "Task",
    "load_default", "make_task", "read_table", "split_target", "encode", "sniff", "Result",
    "cross_validate", "fit", "make_model", "refit", "scores", "check_paths", "load_task",
    "main", "predict", "run", "format_report", "format_table", "plot_series", "render_plot",
    "table_bytes", "FrameEncoder",
]


def __getattr__(name: str):
    # FrameEncoder subclasses scikit-learn's classes: imported when asked for, so that
    # --help and argument errors answer before scikit-learn is imported.
    if name == "FrameEncoder":
        from focal_boost.cli._prepare import FrameEncoder

        return FrameEncoder
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
