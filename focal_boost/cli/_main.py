"""The command line's entry points: :func:`run` and :func:`main`."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from focal_boost.cli._args import (
    LIBRARIES,
    NATIVE_SUFFIXES,
    PICKLE_SUFFIXES,
    UsageError,
    _require,
    build_parser,
)
from focal_boost.cli._data import Task, load_default, make_task, read_table, split_target
from focal_boost.cli._evaluate import Progress, Result, cross_validate, refit
from focal_boost.cli._report import (
    format_report,
    model_bytes,
    model_note,
    model_paths,
    render_plot,
    table_bytes,
)


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


def load_task(args) -> Task:
    """The task of the arguments: DATA and --target, or the default digits task."""
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
    return task


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
    task = load_task(args)
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
