"""The command line's arguments, constants and usage errors."""

from __future__ import annotations

import argparse
import ast
import math

from focal_boost._validation import MAX_GAMMA

LIBRARIES = ("xgboost", "lightgbm")
MODELS = ("log-loss", "focal")
GAMMA_GRID = (0.0, 0.5, 1.0, 2.0, 3.0)  # --gamma auto
SEARCH_ROWS = 20_000  # --gamma auto: candidates fit on at most this many rows of a fold
EARLY_STOPPING_ROUNDS = 30
VALIDATION_FRACTION = 0.2  # of each training fold, for early stopping
LEARNING_RATE = 0.1
LEARNING_RATE_NAMES = {"learning_rate", "eta", "shrinkage_rate"}  # --param spellings of it
METRICS = {  # key of focal_boost.metrics.SCORES: (column title, digits)
    "pr_auc": ("PR-AUC", 3),
    "roc_auc": ("ROC-AUC", 3),
    "log_loss": ("log-loss", 4),
    "brier": ("Brier", 4),
    "ece": ("ECE", 4),
}
NATIVE_SUFFIXES = {".json": "xgboost", ".ubj": "xgboost", ".txt": "lightgbm"}
PICKLE_SUFFIXES = (".pkl", ".pickle")
PARQUET_SUFFIXES = (".parquet", ".pq")
MAX_CLASSES_NAMED = 10  # a line names each class up to this many, else sums them up


class UsageError(Exception):
    """Bad input: reported as one line that names the problem and the fix."""


def _require(module: str, purpose: str, fix: str) -> None:
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise UsageError(f"{purpose} needs {module}, which is not installed: {fix}")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage block
        raise UsageError(f"{message} (see --help)")


class _Once(argparse.Action):
    """An option given at most once: ``--target a --target b`` took b and trained on a as
    a feature (a multi-label target, which the command does not take, read so)."""

    def __call__(self, parser, namespace, values, option_string=None):
        if getattr(namespace, self.dest) is not None:
            parser.error(f"{option_string} given twice ({getattr(namespace, self.dest)!r} "
                         f"and {values!r}): the command takes one target column (a "
                         "multi-label target needs FocalXGBClassifier in Python)")
        setattr(namespace, self.dest, values)


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
    if value > MAX_GAMMA:
        raise argparse.ArgumentTypeError(f"{text} is above {MAX_GAMMA:g}, where the focal "
                                         "factor leaves nothing to split on; useful values "
                                         "are 0.5 to 5, or 'auto'")
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


def _separator(text: str) -> str:
    """--sep's value; a tab also as typed in a shell, ``'\\t'`` (two characters, which
    pandas would take as a regular expression) or ``tab``."""
    return "\t" if text in ("\\t", "tab") else text


def _decimal(text: str) -> str:
    """--decimal: '.' or ',' (the marks numbers are written with; others are no decimal
    mark pandas or the reading of numbers takes)."""
    if text not in (".", ","):
        raise argparse.ArgumentTypeError(f"{text!r}: give '.' or ','")
    return text


def _n_jobs(text: str) -> int:
    """--n-jobs: a positive number of threads, or -1 for all, as the libraries read it."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1 and value != -1:
        raise argparse.ArgumentTypeError(f"{text!r}: give an integer >= 1, or -1 for all "
                                         f"cores")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(f"{text!r}: give an integer from 0 to 2**32 - 1")
    return value


def _param(text: str) -> tuple[str | None, str, object]:
    """``[LIBRARY.]NAME=VALUE`` -> (library or None, name, value as a number, a
    boolean, None, a tuple or text). A value of numbers in brackets, ``(-1,0,1)`` or
    ``[-1,0,1]``, is a tuple, which both libraries take for ``monotone_constraints``
    (XGBoost reads no list there, and LightGBM the text "(-1,0,1)" without its first
    constraint); nested brackets stay text, which both read
    (``interaction_constraints=[[0,1],[2]]``: XGBoost reads a list of lists of
    numbers as feature names there)."""
    name, sep, raw = text.partition("=")
    library, dot, rest = name.partition(".")
    if dot and library in LIBRARIES:
        name = rest
    else:
        library = None
    if not sep or not name.strip() or not raw.strip():
        raise argparse.ArgumentTypeError(f"{text!r}: give NAME=VALUE, e.g. max_depth=4 or "
                                         f"lightgbm.num_leaves=15")
    value: object = raw.strip()
    for convert in (int, float):
        try:
            value = convert(raw)
            break
        except ValueError:
            pass
    else:
        value = {"true": True, "false": False, "none": None}.get(raw.strip().lower(), value)
        if raw.strip()[:1] in "([" and raw.strip()[-1:] in ")]":
            value = _sequence(raw.strip())
    return library, name.strip(), value


def _sequence(text: str) -> tuple | str:
    """A bracketed --param value as a tuple of numbers; text where it holds anything
    else."""
    try:
        items = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return text
    if not isinstance(items, tuple | list):
        return text
    if all(isinstance(item, int | float) and not isinstance(item, bool) for item in items):
        return tuple(items)
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="focal-boost",
        epilog="scoring new rows with a saved model: focal-boost predict MODEL.pkl DATA.csv "
               "--output scores.csv (see focal-boost predict --help). "
               "examples: focal-boost | focal-boost data.csv --target label --gamma auto "
               "--output table.json --plot curves.png | python -m focal_boost data.parquet "
               "--target y --library lightgbm --save-model model.txt",
        description="Compare focal loss with log-loss for XGBoost and LightGBM by stratified "
                    "k-fold cross-validation. Without DATA: scikit-learn's digits, digit 8 "
                    "against the rest (9.7% positives).",
    )
    parser.add_argument("data", nargs="?", metavar="DATA",
                        help="CSV file (or .parquet with pyarrow installed); needs --target")
    parser.add_argument("--target", metavar="COLUMN", action=_Once,
                        help="column holding the class labels")
    parser.add_argument("--library", choices=("xgboost", "lightgbm", "both"), default="both",
                        help="which libraries to compare on (default both)")
    parser.add_argument("--gamma", type=_gamma, default=2.0, metavar="GAMMA|auto",
                        help="focal gamma >= 0, or 'auto': chosen in every training fold from "
                             f"{', '.join(f'{g:g}' for g in GAMMA_GRID)} by validation log-loss "
                             "(default 2)")
    parser.add_argument("--alpha", type=_alpha, default=None, metavar="ALPHA|balanced|none",
                        help="class weights of the focal loss: a number in (0, 1) weighs the "
                             "positive (least frequent) class of a binary target (the report "
                             "prints the weights as the estimators' alpha takes them), "
                             "'balanced' weighs classes by inverse frequency, 'none' (default)")
    parser.add_argument("--folds", type=_int_at_least(2), default=5, metavar="K",
                        help="cross-validation folds (default 5)")
    parser.add_argument("--n-estimators", type=_int_at_least(1), default=500, metavar="N",
                        help="most boosting rounds; early stopping picks fewer (default 500)")
    parser.add_argument("--n-jobs", type=_n_jobs, default=None, metavar="N",
                        help="threads per fit, -1 for all cores (default: the libraries' "
                             "default, all cores; LightGBM's physical cores)")
    parser.add_argument("--seed", type=_seed, default=0, metavar="SEED",
                        help="random seed of the folds and the models (default 0)")
    parser.add_argument("--output", metavar="FILE",
                        help="write the table as .json or .csv")
    parser.add_argument("--plot", metavar="FILE.png",
                        help="PR curves and reliability diagrams, one column per library")
    parser.add_argument("--save-model", metavar="PATH",
                        help="refit the focal model on all rows and save it: .pkl (pickle of "
                             "a Pipeline: the preprocessing, then the estimator), .json/.ubj "
                             "(XGBoost model file) or .txt (LightGBM model file); with "
                             "--library both, .pkl only, one file per library "
                             "(NAME.pkl writes NAME-xgboost.pkl and NAME-lightgbm.pkl)")
    parser.add_argument("--param", type=_param, action="append", default=[],
                        metavar="[LIBRARY.]NAME=VALUE",
                        help="a library parameter for both the log-loss and the focal model, "
                             "e.g. max_depth=4, min_child_weight=0.1 or lightgbm.num_leaves=15; "
                             "without LIBRARY. it goes to each library that has it "
                             "(repeatable)")
    parser.add_argument("--drop", action="append", default=[], metavar="COLUMN",
                        help="leave this column out of the features (repeatable)")
    parser.add_argument("--keep", action="append", default=[], metavar="COLUMN",
                        help="use this column although it looks like an ID, dates or free "
                             "text (repeatable); dates become days since 1970-01-01")
    parser.add_argument("--category", action="append", default=[], metavar="COLUMN",
                        help="use this column as categories, its cells read as text: codes "
                             "written as numbers, such as ZIP or diagnosis codes "
                             "(repeatable)")
    _reading_options(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    return parser


def _reading_options(parser) -> None:
    parser.add_argument("--sep", metavar="CHAR", type=_separator,
                        help="CSV field separator (default: detected among , ; tab |; "
                             "a tab as '\\t' or tab)")
    parser.add_argument("--decimal", metavar="CHAR", type=_decimal,
                        help="CSV decimal mark (default: '.', or ',' detected in a file "
                             "separated by anything but a comma, --sep's too)")
    parser.add_argument("--encoding", metavar="NAME",
                        help="text encoding of a CSV file (default utf-8), e.g. latin-1")
    parser.add_argument("--na-values", action="append", default=[], metavar="TEXT",
                        help="a CSV cell written so is a missing value, e.g. '?' or -999 "
                             "(repeatable; besides pandas' own: empty, NA, null, ...)")


def build_predict_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="focal-boost predict",
        description="Score the rows of a CSV or parquet file with a model saved by "
                    "focal-boost --save-model (.pkl): the class probabilities (the recovered "
                    "posterior) and the predicted label of every row. Load only model files "
                    "you trust: a pickle can run code.",
        epilog="example: focal-boost predict model.pkl new.csv --id customer_id "
               "--output scores.csv")
    parser.add_argument("model", metavar="MODEL", help="a .pkl file saved by --save-model")
    parser.add_argument("data", metavar="DATA", help="CSV or parquet file with the columns "
                        "the model was trained on (the target column may be absent)")
    parser.add_argument("--output", metavar="FILE",
                        help="write the scores as .csv (default: print them as CSV)")
    parser.add_argument("--id", metavar="COLUMN", action="append", default=[],
                        help="copy this column of DATA into the output (repeatable)")
    _reading_options(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    return parser
