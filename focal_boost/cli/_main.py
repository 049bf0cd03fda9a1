"""The command line's entry points: :func:`run` and :func:`main`."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import signal
import stat
import sys
import threading
import warnings
from pathlib import Path
from typing import Any

from focal_boost._validation import first_rows
from focal_boost.cli._args import (
    LIBRARIES,
    MAX_CLASSES_NAMED,
    NATIVE_SUFFIXES,
    PICKLE_SUFFIXES,
    UsageError,
    _require,
    build_parser,
    build_predict_parser,
)
from focal_boost.cli._data import (
    Task,
    check_finite,
    check_float32,
    decimal_comma_cells,
    encode,
    header_looks_like_data,
    header_rows,
    header_rows_warning,
    load_default,
    make_task,
    missing_columns_error,
    read_as_written,
    read_table,
    split_target,
    unknown_column,
    without_header_rows,
)
from focal_boost.cli._evaluate import (
    Progress,
    Result,
    cross_validate,
    library_params,
    one_line,
    refit,
)
from focal_boost.cli._report import (
    format_report,
    left_out,
    model_bytes,
    model_note,
    model_paths,
    render_plot,
    table_bytes,
)


def _check_writable(option: str, path: Path) -> None:
    """Refuse a path the command could not write at the end (a directory, no permission),
    by opening it for appending; a file that was not there is removed again."""
    if path.is_dir():
        raise UsageError(f"{option} {path}: is a directory; give a file name")
    # a symbolic link is written through, as write_files writes it (also one whose file
    # is not there yet: the file it names is made, and removed again here)
    target = _resolved(path, option) if path.is_symlink() else path
    existed = target.exists()
    if existed and stat.S_ISFIFO(target.stat().st_mode):
        # a named pipe, written in place: opening it waits for its reader (the command
        # hung before any work), and closing it ends the reader's input
        if not os.access(target, os.W_OK):
            raise UsageError(f"{option} {path}: cannot be written (permission denied); "
                             "choose another path")
        return
    try:
        with target.open("ab"):
            pass
    except OSError as exc:
        raise UsageError(f"{option} {path}: cannot be written ({exc.strerror}); choose "
                         "another path") from None
    if not existed:
        target.unlink(missing_ok=True)


def write_files(files: dict[Path, bytes]) -> None:
    """Write every file or none of them.

    Each regular file (also behind a symbolic link) goes to a temporary file beside it,
    and the temporary files replace their targets once all are written: a full disk or
    a file size limit then leaves the files that were there as they were (a model
    written in place was left truncated, and a table already replaced beside it).
    Other targets (a device, a pipe, a file in a folder the command cannot write to) are
    written in place, after the others.
    """
    import tempfile

    staged: dict[Path, Path] = {}  # target -> its temporary file
    path = None  # the file being written, named if it fails
    in_place: list[tuple[Path, bytes]] = []
    changed = False  # whether a file has been replaced or written to
    with _terminated_after_cleanup():  # (the finally clause below runs first)
        try:
            for path, content in files.items():
                target = _resolved(path, "output") if path.is_symlink() else path
                if target.exists() and not target.is_file():
                    in_place.append((path, content))
                    continue
                mode = target.stat().st_mode & 0o777 if target.exists() else _new_file_mode()
                try:
                    handle = tempfile.NamedTemporaryFile(
                        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp", delete=False)
                except PermissionError:  # a writable file in a folder that is not
                    in_place.append((path, content))
                    continue
                with handle:
                    staged[target] = Path(handle.name)
                    handle.write(content)
                os.chmod(staged[target], mode)
            for path in list(staged):
                changed = True
                os.replace(staged[path], path)
                del staged[path]
            for path, content in in_place:
                changed = True
                path.write_bytes(content)
        except OSError as exc:
            kept = "" if changed else "; the files that were there are unchanged"
            raise UsageError(
                f"{path}: could not be written ({exc.strerror or exc}){kept}") from None
        finally:  # (also on an interrupt)
            with _termination_deferred():
                for temporary in staged.values():
                    temporary.unlink(missing_ok=True)


class _Terminated(BaseException):
    """A SIGTERM, raised where the command is writing its files."""


_deferred = {"active": False, "pending": False}  # (the handler's state, in the main thread)


def _raise_terminated(signum, frame) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # (a second one must not cut the clean-up)
    if _deferred["active"]:  # removing the temporary files: once they are gone
        _deferred["pending"] = True
        return
    raise _Terminated


@contextlib.contextmanager
def _termination_deferred():
    """A SIGTERM in the block (the clean-up after an error or a Ctrl-C) is raised after
    it, not in it: it cut the removal of the temporary files short."""
    _deferred["active"] = True
    try:
        yield
    finally:
        _deferred["active"] = False
    if _deferred["pending"]:
        _deferred["pending"] = False
        raise _Terminated


@contextlib.contextmanager
def _handled(signum: int, default, handler):
    """``handler`` for the signal ``signum`` inside, ``default`` again after, where the
    signal has its ``default`` handling in the main thread; else left as it is (ignored,
    or handled by whoever runs the command; signal() refuses other threads)."""
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signum) is not default):
        yield
        return
    signal.signal(signum, handler)
    try:
        yield
    finally:
        signal.signal(signum, default)


@contextlib.contextmanager
def _terminated_after_cleanup():
    """Let a SIGTERM end the process only after the block's clean-up has run.

    SIGTERM's default ends the process at once, and left the temporary files of
    :func:`write_files` beside their targets. Here it raises in the block instead, and is
    sent again, to its default handling, once the block has unwound: the process still
    ends by the signal, as its parent expects.
    """
    with _handled(signal.SIGTERM, signal.SIG_DFL, _raise_terminated):
        try:
            yield
        except _Terminated:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            raise  # pragma: no cover - (where the signal is blocked)


@contextlib.contextmanager
def _interrupts_noted(noted: list[bool]):
    """Note each Ctrl-C (SIGINT) in ``noted``, then raise ``KeyboardInterrupt`` as
    Python does. XGBoost turns one that arrives while it builds a DMatrix from batches
    (in its callbacks) into an error of its own ("Check failed: accumulated_rows ==
    ..."): the command says it was interrupted all the same."""

    def note(signum, frame):
        noted.append(True)
        raise KeyboardInterrupt

    with _handled(signal.SIGINT, signal.default_int_handler, note):
        yield


def _new_file_mode() -> int:
    """The permissions a file created by open() gets: 0o666 less the umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _resolved(path: Path, what: str) -> Path:
    """``path.resolve()``, a loop of symbolic links refused as the command's error."""
    try:
        try:  # (strict: Python 3.13 leaves a loop, of the file or a folder, unresolved)
            return path.resolve(strict=True)
        except (FileNotFoundError, NotADirectoryError):  # an output still to be made
            return path.resolve()
    except (RuntimeError, OSError) as exc:  # (Python 3.11: RuntimeError "Symlink loop")
        raise UsageError(f"{what} {path}: cannot be resolved ({exc}); choose another "
                         "path") from None


def _check_distinct(inputs: dict[str, Path], outputs: list[tuple[str, Path]]) -> None:
    """Refuse an output that would overwrite an input, or another output."""
    seen: dict[Path, str] = {_resolved(path, name): name for name, path in inputs.items()}
    for option, path in outputs:
        where = _resolved(path, option)
        if where in seen:
            raise UsageError(f"{option} {path}: is also {seen[where]}; give each file its own "
                             "path")
        seen[where] = option


def check_paths(args, libraries) -> None:
    """Refuse bad output paths before any work, so that failures write nothing."""
    outputs = []
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
        targets = (model_paths(path, libraries).values() if option == "--save-model"
                   else [path])
        outputs += [(option, target) for target in targets]
    _check_distinct({} if args.data is None else {"the data file": Path(args.data)}, outputs)
    for option, target in outputs:
        _check_writable(option, target)
    if args.save_model:
        suffix = Path(args.save_model).suffix.lower()
        owner = NATIVE_SUFFIXES.get(suffix)
        if owner is not None and libraries != (owner,):
            name = "an XGBoost" if owner == "xgboost" else "a LightGBM"
            raise UsageError(f"--save-model {args.save_model}: {suffix} is {name} model "
                             f"file; add --library {owner}, or save with .pkl")
    if args.plot:
        _require("matplotlib", "--plot", "pip install matplotlib, or leave out --plot")


@contextlib.contextmanager
def _explained_by(lines: list[str]):
    """A UsageError raised inside carries ``lines`` (warnings that may say why), as
    they stand when it is raised."""
    try:
        yield
    except UsageError as exc:
        if not lines:
            raise
        raise UsageError(f"{exc} ({'; '.join(lines)})") from None


def load_task(args) -> Task:
    """The task of the arguments: DATA and --target, or the default digits task; the
    features through the preprocessing fitted on the file's columns. What it read and
    left out is in ``task.notes``, for the progress once every check has passed (an
    error is one line)."""
    notes, warn, about_labels = [], [], []
    if args.data is None:
        frame, y, description = load_default()
        path = "the digits data"
        file_rows = None
    else:
        path = Path(args.data)
        table, how = read_table(path, args.sep, args.decimal, args.encoding, warn=warn,
                                na_values=args.na_values, text_columns=args.category)
        table = without_header_rows(table, path, warn, text_columns=args.category)
        if table.attrs["sep"] is not None and header_looks_like_data(table):
            shown = ", ".join(repr(str(name)) for name in table.columns[:5])
            warn.append(f"{path}: its first line looks like data, not column names "
                        f"({shown}{', ...' if table.shape[1] > 5 else ''}), and was read "
                        "as the names: that row is not trained on; give the file a header "
                        "row with the names")
        notes.append(f"read {path}{f' ({how})' if how else ''}: {table.shape[0]} rows, "
                     f"{table.shape[1]} columns")
        before = len(warn)
        with _explained_by(warn):  # what reading said may be why ("prix \x80": cp1252)
            frame, y = split_target(table, args.target, path, warn=warn)
        file_rows = frame.index.to_numpy()  # (for messages; the folds take positions)
        frame = frame.reset_index(drop=True)
        about_labels = warn[before:]  # (rows left out for their label)
        for option, names in (("--drop", args.drop), ("--keep", args.keep),
                              ("--category", args.category)):
            if args.target in names:
                raise UsageError(f"{option} {args.target}: is the --target column, which is "
                                 "never a feature")
        description = f"{path}{f' ({how})' if how else ''}"
    encoder, X = encode(frame, path, args.drop, args.keep, categorical=args.category,
                        decimal=table.attrs.get("decimal", ".") if args.data else ".",
                        columns=table.drop(columns=[args.target]) if args.data else None,
                        na_values=args.na_values if args.data else (), warn=warn)
    warn += lost_values(encoder, frame, X, path, "read as missing")
    if args.library in ("xgboost", "both"):
        check_float32(X, encoder, path)
    with _explained_by(about_labels):  # the rows left out may be why (a class "NA")
        task = make_task(X, y, description, args.folds, target=args.target,
                         file_rows=file_rows)
    task.encoder = encoder
    task.notes = [*notes, *([left_out(encoder.dropped_)] if encoder.dropped_ else [])]
    task.warnings = warn
    if isinstance(args.alpha, float) and task.positive is None:
        raise UsageError(f"--alpha {args.alpha:g} weighs the positive class of a binary "
                         f"target, but there are {task.n_classes} classes: use --alpha "
                         f"balanced or none")
    return task


def lost_values(encoder, frame, encoded, path, outcome: str, decimal=None,
                decimal_hint: bool = False, marked: bool = True) -> list[str]:
    """One warning per column of ``frame`` with values the features lost (text in a
    number column, unseen categories, ...): the count, examples and ``outcome``
    (``decimal``: the one ``frame`` was encoded with, by default the encoder's).
    ``decimal_hint``: where a number column's text is numbers with the other decimal
    mark, say to give ``--decimal`` (those cells that also read as numbers with
    ``decimal``, "1,304" as 1304, are not counted among the lost). ``marked``: the
    text of ``frame`` was written with a decimal mark (a CSV's, not parquet's, whose
    cells are read with the model's): where a decimal comma read some of a column's
    cells with a thousands point, beside cells of a decimal point, say so."""
    from focal_boost.cli._prepare import other_decimal_mark, points_read_as_grouping

    lines = []
    for name, (count, examples) in encoder.lost_values(frame, encoded, decimal).items():
        kind = encoder.columns_[name][1]
        what = {"category": "categories not seen in training", "bool": "not true/false",
                "date": "not dates"}.get(kind, "not numbers")
        line = (f"{path}: column {name!r} has {count} value(s) that are {what} (e.g. "
                f"{', '.join(map(repr, examples))}); they are {outcome}")
        other = (other_decimal_mark(frame[name], decimal or getattr(encoder, "decimal", "."))
                 if decimal_hint and kind == "number" else None)
        if other is not None:
            line += (f"; its cells are numbers written with the decimal mark {other!r}: "
                     f"give --decimal '{other}'")
        lines.append(line)
    mark = decimal or getattr(encoder, "decimal", ".")
    for name, (_, kind, _) in encoder.columns_.items():
        both = (points_read_as_grouping(frame[name], mark) if kind == "number" and marked
                else None)
        if both is not None:
            lines.append(f"{path}: column {name!r} has numbers with a decimal point "
                         f"({both[0]!r}) beside numbers the decimal comma reads with a "
                         f"thousands point ({both[1]!r} as {both[1].replace('.', '')}); "
                         "if its '.' is the decimal mark, give --decimal '.'")
    for name, (count, examples, date_format, other) in encoder.other_dates(frame).items():
        how = f"as {other}" if other else "each by its own look"
        lines.append(f"{path}: column {name!r} has {count} date(s) not written in the "
                     f"format training read it in ({date_format}, e.g. "
                     f"{', '.join(map(repr, examples))}); they are read {how}")
    return lines




def _refused_params(exc: Exception, params) -> UsageError:
    """A fit that failed on values given with --param (a library's own check, which
    the command cannot run before fitting): its reason, on one line."""
    from focal_boost.cli._evaluate import params_text

    reason = " ".join(str(exc).split("Stack trace:")[0].split())[:300]  # XGBoost's C++ one
    return UsageError(f"a fit with --param {params_text(params)} failed "
                      f"({type(exc).__name__}: {reason}); check those values")


def run(argv: list[str] | None = None) -> tuple[Task, list[Result], dict[str, Any]]:
    """Parse, check, cross-validate, report and write; returns what it computed.

    Raises UsageError for bad input; :func:`main` turns it into one line on stderr.
    """
    args = build_parser().parse_args(argv)
    _check_environment()  # (after --help, which needs none)
    libraries = LIBRARIES if args.library == "both" else (args.library,)
    if args.data is None and args.target is not None:
        raise UsageError("--target needs a DATA file: focal-boost DATA.csv --target COLUMN")
    if args.data is not None and args.target is None:
        raise UsageError(f"{args.data}: name the class column with --target COLUMN")
    for module in ("sklearn", "pandas", *libraries):
        _require(module, "focal-boost", 'pip install "focal-boost[cli]"')
    check_paths(args, libraries)
    _check_stdout(args, "the table", args.save_model, args.plot)
    args.library_params = library_params(args.param, libraries)
    progress = Progress(args.quiet)
    task = load_task(args)
    try:
        with _library_logs_to_stderr():
            results = cross_validate(task, libraries, args, progress)
    except Exception as exc:  # XGBoostError is a ValueError
        if args.param and (isinstance(exc, ValueError | TypeError)
                           or type(exc).__name__ == "LightGBMError"):
            raise _refused_params(exc, args.library_params) from None
        raise
    report = format_report(task, results, args, _plus_minus())

    # Everything to write is made in memory first: a failure writes nothing.
    files: dict[Path, bytes] = {}
    notes = []
    models = {}
    if args.output:
        files[Path(args.output)] = table_bytes(Path(args.output), task, results, args)
    if args.plot:
        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always", UserWarning)
            files[Path(args.plot)] = render_plot(task, results, libraries)
        _plot_warnings(said)
    if args.save_model:
        for library, path in model_paths(Path(args.save_model), libraries).items():
            focal = next(r for r in results if r.library == library and r.model == "focal")
            with _library_logs_to_stderr():
                models[library] = refit(task, focal, args, progress)
            files[path] = model_bytes(models[library], library, path)
            notes.append(model_note(models[library], library, path, args.data,
                                    reading_options(args)))
    write_files(files)
    wrote = [f"wrote {option}" for option in (args.output, args.plot) if option]
    _to_stdout("\n".join([report, *notes, *wrote]) + "\n")
    return task, results, models


def _library_logs_to_stderr() -> contextlib.AbstractContextManager:
    """Within it, what the libraries print (their logs at a verbosity set with --param,
    the evaluation log of verbose training) goes to stderr with the progress lines:
    stdout holds the table and the names of the files written."""
    return contextlib.redirect_stdout(sys.stderr)


def _to_stdout(text: str) -> None:
    """``text`` written to standard output and flushed; a write that fails (a full disk
    under `> FILE`) is the command's error, where it was a traceback. Nothing where the
    process has no standard output (:func:`_check_stdout` let it run: its work is
    written to files)."""
    if sys.stdout is None:
        return
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise  # (the reader left: main ends quietly)
    except OSError as exc:
        _discard_buffered(sys.stdout)
        raise UsageError(f"standard output could not be written "
                         f"({exc.strerror or exc})") from None


def _plus_minus() -> str:
    """The table's plus-minus sign: "±", or "+/-" where stdout cannot write it (ASCII; a
    C locale without UTF-8 mode), whose escape "\\xb1" would widen the table's cells
    past their columns."""
    try:
        "±".encode(getattr(sys.stdout, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return "+/-"
    return "±"


def _plot_warnings(said) -> None:
    """matplotlib's warnings while drawing the plot, as the command's lines: those of
    glyphs its font lacks (labels in Chinese: two lines with a source path per
    character and figure) as one."""
    glyphs, other = {}, {}
    for w in said:
        if w.category.__name__ == "PyparsingDeprecationWarning":
            continue  # (matplotlib before 3.10.7 calls pyparsing's old names: not ours)
        # "missing from font(s) DejaVu Sans." since matplotlib 3.9, "missing from
        # current font." before
        found = re.match(r"Glyph (\d+) .* missing from (?:font\(s\) (.*)|current font)\.$",
                         str(w.message))
        if found:
            font = f"the font {found.group(2)}" if found.group(2) else "the font"
            glyphs.setdefault(font, set()).add(chr(int(found.group(1))))
        else:
            other[" ".join(str(w.message).split())] = None
    for font, characters in glyphs.items():
        names = ", ".join(map(repr, sorted(characters)))
        print(f"focal-boost: warning: --plot: {font} lacks {names}, drawn as boxes",
              file=sys.stderr)
    for message in other:
        print(f"focal-boost: warning: --plot: {message}", file=sys.stderr)


def reading_options(args) -> list[str]:
    """The options given for reading the data file, as typed for ``predict`` (the
    missing-value marks are kept in the model)."""
    sep = "tab" if args.sep == "\t" else args.sep  # (a tab is lost when copied)
    given = [("--sep", sep), ("--decimal", args.decimal), ("--encoding", args.encoding)]
    return [text for option, value in given if value is not None for text in (option, value)]


def predict(argv: list[str] | None = None):
    """``focal-boost predict MODEL DATA``: the class probabilities and the predicted
    label of every row of DATA, by a model saved with ``--save-model MODEL.pkl``;
    returns the scores as a DataFrame."""
    import pickle

    import numpy as np

    args = build_predict_parser().parse_args(argv)
    _check_environment()  # (after --help, which needs none)
    for module in ("sklearn", "pandas"):
        _require(module, "focal-boost predict", 'pip install "focal-boost[cli]"')
    model_path, data = Path(args.model), Path(args.data)
    if model_path.is_dir():
        raise UsageError(f"{model_path} is a directory; give a .pkl saved by --save-model")
    if model_path.exists() and not model_path.is_file():
        raise UsageError(f"{model_path} is not a regular file (a pipe or a device); give a "
                         ".pkl saved by --save-model")
    if not model_path.is_file():
        raise UsageError(f"{model_path}: no such file; give a .pkl saved by --save-model")
    if model_path.suffix.lower() in NATIVE_SUFFIXES:
        # (a table of --output or any other file of that suffix is no model either)
        raise UsageError(f"{model_path}: predict takes the .pkl of --save-model, which "
                         f"holds the preprocessing; a {model_path.suffix} file holds none "
                         f"(a native model file scores prepared features only)")
    if args.output is not None:
        out = Path(args.output)
        if out.suffix.lower() != ".csv":
            raise UsageError(f"--output {args.output}: the name must end in .csv")
        if not out.parent.is_dir():
            raise UsageError(f"--output {args.output}: directory {out.parent} does not "
                             f"exist; create it or choose another path")
        _check_distinct({"the model file": model_path, "the data file": data},
                        [("--output", out)])
        _check_writable("--output", out)
    _check_stdout(args, "the scores")
    progress = Progress(args.quiet)
    try:
        with model_path.open("rb") as handle:
            first = handle.read(1)
    except OSError as exc:  # no permission to read it, ...
        raise UsageError(f"cannot read {model_path} ({exc.strerror or exc}); give a "
                         f"readable .pkl saved by --save-model") from None
    if first != b"\x80":  # every pickle of protocol 2 or later
        raise UsageError(f"{model_path} is not a model saved by focal-boost "
                         f"--save-model (not a pickle file); give the .pkl it wrote")
    try:
        # what loading says (a model pickled by another version) is said as the
        # command's other warnings are
        with model_path.open("rb") as handle, warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always")
            model = pickle.load(handle)
    except Exception as exc:  # a truncated file, another program's pickle, ...
        library = (getattr(exc, "name", None) or "").split(".")[0]
        if (isinstance(exc, ModuleNotFoundError) and library in ("xgboost", "lightgbm")
                and importlib.util.find_spec(library) is None):  # (not a module it lacks)
            # a model of a library this installation lacks: the file is fine
            raise UsageError(f"{model_path} is a model of {library}: focal-boost predict "
                             f"needs {library} to score it, which is not installed: pip "
                             'install "focal-boost[cli]"') from None
        raise UsageError(f"cannot load {model_path} ({type(exc).__name__}: "
                         f"{str(exc).splitlines()[0] if str(exc) else ''}); give a .pkl "
                         f"saved by focal-boost --save-model") from None
    from sklearn.pipeline import Pipeline

    from focal_boost.cli._prepare import FrameEncoder
    from focal_boost.estimators import FocalLGBMClassifier, FocalXGBClassifier

    # what --save-model writes: the file's encoder, then a fitted focal estimator
    if not (isinstance(model, Pipeline) and len(model) == 2
            and isinstance(model[0], FrameEncoder)
            and isinstance(model[-1], FocalXGBClassifier | FocalLGBMClassifier)
            and all(hasattr(model[-1], name) for name in ("classes_", "loss_", "booster_"))):
        raise UsageError(f"{model_path} holds an object of type {type(model).__name__}, "
                         "not a model saved by focal-boost --save-model; save one with "
                         "--save-model MODEL.pkl")
    encoder = model[0]
    warn: list[str] = [f"{model_path}: {one_line(w.message)}" for w in said]
    # (a model saved before text_columns_ was kept reads the file as pandas guesses)
    # the cells training read as missing, as well as those given here (a model saved
    # before --na-values existed has none)
    na_values = dict.fromkeys([*getattr(encoder, "na_values", ()), *args.na_values])
    # a few rows may not tell the decimal mark ("1.584;;yes"): the model's then, which
    # the whole file was read with (they read 1.584 where it read 1584, 0.54 off)
    frame, how = read_table(data, args.sep, args.decimal, args.encoding, warn=warn,
                            text_columns=getattr(encoder, "text_columns_", ()),
                            rows_needed=False, na_values=na_values,  # a header alone: a
                            undecided_decimal=getattr(encoder, "decimal", "."))  # header
    # of scores
    missing = encoder.missing_columns(frame)
    if missing:
        raise missing_columns_error(data, missing, frame)
    outputs = [*(f"proba_{label}" for label in model.classes_), "predicted"]
    for name in args.id:
        if name not in frame.columns:
            raise unknown_column(data, name, frame.columns, "--id")
        if str(name) in outputs:
            raise UsageError(f"--id {name}: the output has a column of that name (its "
                             f"columns: the --id columns, {', '.join(outputs)}); rename the "
                             "column in the file")
    check_finite(frame[list(encoder.columns_)], data)
    progress(f"read {data}{f' ({how})' if how else ''}: {frame.shape[0]} rows, "
             f"{frame.shape[1]} columns")
    repeated = header_rows(frame)
    if repeated.any():  # (a row per row of the file still: scored as rows of no values)
        warn.append(header_rows_warning(data, repeated, "scored as rows of missing values"))
        frame = frame.mask(np.repeat(repeated[:, None], frame.shape[1], axis=1))
    empty = frame.isna().all(axis=1).to_numpy() & ~repeated
    if empty.any() and frame.shape[1] > 1:  # (a spreadsheet's rows of ",,": rows of the
        # file, scored as such; in a file of one column a missing value)
        rows = np.flatnonzero(empty) + 1
        warn.append(f"{data}: {len(rows)} row(s) have no value in any column (data rows "
                    f"{first_rows(rows)}); scored as rows of missing values")
    if len(frame) > 1 and not empty.all():  # (one row: its blank cells are plain)
        for name in encoder.blank_columns(frame):  # (a column an export left blank)
            warn.append(f"{data}: column {name!r} has no value in any row; it is scored "
                        "as missing throughout")
    # numbers left as text (a column with a "?") are written with this file's decimal
    # mark, which need not be the training file's; parquet cells have no mark of their
    # own, so they are read as in training. A comma-separated file's decimal comma is
    # not detected (quoted "1,535"): a model of decimal commas reads its cells of one
    # comma so (1.535, not 1535)
    decimal = frame.attrs["decimal"] if frame.attrs["sep"] else None
    if (frame.attrs["sep"] == "," and args.decimal is None
            and getattr(encoder, "decimal", ".") == ","
            and decimal_comma_cells(frame[list(encoder.columns_)])):
        decimal = ","
    encoded = encoder.transform(frame, decimal=decimal)
    if isinstance(model[-1], FocalXGBClassifier):  # (its infinity, refused above)
        check_float32(encoded, encoder, data, "leave such cells empty (missing) or read "
                                              "them as missing with --na-values")
    for line in [*warn, *lost_values(encoder, frame, encoded, data, "scored as missing",
                                     decimal, decimal_hint=decimal is not None,
                                     marked=decimal is not None)]:
        print(f"focal-boost: warning: {line}", file=sys.stderr)
    proba = model[1:].predict_proba(encoded)
    classes = model.classes_
    # the IDs as written, not as pandas guessed them ("00123" was the number 123)
    scores = read_as_written(data, frame, args.id).reset_index(drop=True)
    import pandas as pd

    # one block: a column at a time, pandas warned of a fragmented frame past 100 classes
    scores = pd.concat([scores, pd.DataFrame(proba, columns=outputs[:-1])], axis=1)
    scores["predicted"] = classes[proba.argmax(axis=1)]
    text = scores.to_csv(index=False, lineterminator="\n")
    if args.output is None:
        # the scores are the data: not written with the escapes the table may take
        encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
        try:
            text.encode(encoding)
        except UnicodeEncodeError as exc:
            raise UsageError(
                f"the scores hold {text[exc.start:exc.end]!r}, which the output's encoding "
                f"({encoding}) cannot write; write them to a file with --output "
                "SCORES.csv (UTF-8), or set PYTHONIOENCODING=utf-8") from None
        _to_stdout(text)
    else:
        write_files({Path(args.output): text.encode("utf-8")})
        named = list(map(str, scores.columns))
        if len(classes) > MAX_CLASSES_NAMED:  # (not a line of 259 names)
            named[-len(outputs):-1] = [f"{outputs[0]} .. {outputs[-2]} ({len(classes)} "
                                       "classes)"]
        progress(f"wrote {args.output}: {len(scores)} rows, columns {', '.join(named)}")
    return scores


@contextlib.contextmanager
def _escaped_unencodable():
    """Characters stdout or stderr cannot encode (a label in Japanese, the table's "±"
    on a cp1252 or ASCII stream) written as backslash escapes, instead of a
    UnicodeEncodeError that lost the table after every fit had run."""
    streams = [(stream, stream.errors) for stream in (sys.stdout, sys.stderr)
               if hasattr(stream, "reconfigure") and getattr(stream, "errors", None)]
    for stream, _ in streams:
        stream.reconfigure(errors="backslashreplace")
    try:
        yield
    finally:
        for stream, errors in streams:
            stream.reconfigure(errors=errors)


@contextlib.contextmanager
def _passive_openmp():
    """``OMP_WAIT_POLICY=passive`` (unless set) while the command runs, then as it was.

    The job is many short fits on small data. OpenMP threads that spin while they wait
    (the default) made it 3-25 times slower on 2 cores shared with other processes;
    passive waiting did not. It takes effect if the libraries are not loaded yet, and in
    the processes the command starts; a caller of :func:`main` keeps its environment."""
    ours = "OMP_WAIT_POLICY" not in os.environ
    if ours:  # (lower case: libgomp compares by the locale's case rules, and in a
        # Turkish locale "PASSIVE" is no "passive": refused, with a message per library)
        os.environ["OMP_WAIT_POLICY"] = "passive"
    try:
        yield
    finally:
        if ours:
            os.environ.pop("OMP_WAIT_POLICY", None)


def _to_null(fd: int) -> None:
    """File descriptor ``fd`` pointed at the null device (a pipe whose reader left)."""
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, fd)
    finally:
        os.close(null)


def _discard_buffered(stream) -> None:
    """What is still buffered in ``stream`` goes nowhere at exit, not into a second
    error: its file descriptor pointed at the null device (nothing where it has none)."""
    try:
        _to_null(stream.fileno())
    except (OSError, ValueError, AttributeError):  # no file descriptor of its own
        pass


class _StderrUntilClosed:
    """Standard error whose writes stop without an error once its reader has gone (a
    pipe closed at the other end): the first progress line raised BrokenPipeError,
    which ended the whole job as if stdout's reader had left, with nothing written.
    Anything else is the stream's."""

    def __init__(self, stream) -> None:
        self._stream, self._gone = stream, False

    def _closed(self) -> None:
        self._gone = True
        _discard_buffered(self._stream)

    def write(self, text: str) -> int:
        if not self._gone:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._closed()
        return len(text)

    def flush(self) -> None:
        if not self._gone:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._closed()

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


@contextlib.contextmanager
def _safe_stderr():
    """Standard error as the command can always write to it, while it runs: the null
    device in a process started without one (file descriptor 2 closed: ``sys.stderr``
    is None, and ``print(..., file=sys.stderr)`` wrote the progress lines to stdout,
    into the table or into ``predict``'s scores), else the stream, until its reader
    leaves (:class:`_StderrUntilClosed`). The messages then go nowhere, as a program's
    writes to fd 2 would."""
    given = sys.stderr
    with contextlib.ExitStack() as stack:
        sys.stderr = (_StderrUntilClosed(given) if given is not None else
                      stack.enter_context(open(os.devnull, "w", encoding="utf-8")))
        try:
            yield
        finally:
            sys.stderr = given


def _check_stdout(args, what: str, *others: str | None) -> None:
    """Refuse to start where ``what`` would go to a standard output the process was
    started without (closed: ``sys.stdout`` is None) and nothing else is written
    (``--output``, or ``others``: ``--save-model``, ``--plot``), which would lose the
    work without a word (``predict`` failed on writing, after the work)."""
    if sys.stdout is None and args.output is None and not any(others):
        raise UsageError(f"standard output is closed: {what} would be lost; give --output "
                         "FILE")


def _check_environment() -> None:
    """The package's settings in the environment (FOCAL_BOOST_KERNELS,
    FOCAL_BOOST_NUM_THREADS), refused as the command's error before any work: a
    misspelt one failed at the first fit, with a traceback."""
    from focal_boost._validation import kernels_from_environment, threads_from_environment

    try:
        kernels_from_environment()
        threads_from_environment()
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m focal_boost`` and ``focal-boost``; returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    interrupted: list[bool] = []
    with _safe_stderr():  # (its messages included)
        try:
            with _interrupts_noted(interrupted), _passive_openmp(), _escaped_unencodable():
                if argv[:1] == ["predict"]:
                    predict(argv[1:])
                else:
                    run(argv)
        except UsageError as exc:
            print(f"focal-boost: error: {exc}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print("focal-boost: interrupted", file=sys.stderr)
            return 130
        except BrokenPipeError:
            # the reader of stdout left (`| head`): what is still buffered goes nowhere
            # rather than into a second error at exit
            _to_null(sys.stdout.fileno())
            return 1
        except Exception:
            if not interrupted:
                raise
            # a library's error that the Ctrl-C caused (see _interrupts_noted)
            print("focal-boost: interrupted", file=sys.stderr)
            return 130
    return 0
