"""Multiclass step size: which Hessian scale makes focal probabilities closest to the truth.

One command::

    python benchmarks/multiclass_step.py           # 3 data draws (~5 min on 2 cores)
    python benchmarks/multiclass_step.py --quick   # 1 small draw (~20 s)

prints a markdown report and writes it to ``benchmarks/MULTICLASS_STEP.md`` (``--out``;
``--quick`` writes under ``benchmarks/_cache/``).

The libraries' own softmax objectives do not hand the booster the exact diagonal
Hessian ``p(1-p)``: XGBoost's ``multi:softprob`` uses ``2p(1-p)`` and LightGBM's
``multiclass`` ``k/(k-1) p(1-p)``. A Newton step is ``-sum(grad) / (sum(hess) +
lambda)``, so at the same ``learning_rate`` the exact Hessian takes steps 2x
(XGBoost) or k/(k-1)x (LightGBM) larger. The emulation below multiplies only the
Hessian the booster receives (the gradient is unchanged), as the libraries do.

Data: 3 classes with a known softmax posterior, ``P(y | x) = softmax(f(x))``
(5 standard normal features, non-linear logits, priors about 0.63 / 0.22 / 0.15),
60,000 training rows, 30,000 test rows. Trees: depth 4 (LightGBM ``max_depth=4,
num_leaves=16``), learning rate 0.05, 1000 trees, scored after 300 and 1000 and
at the best multiple of 50 trees (the number an oracle would stop at); library
defaults otherwise, no early stopping. Score: mean squared error of the predicted
class probabilities to the true posterior (mean over rows and classes), averaged
over the data draws.

Models per library: the log-loss classifier (``XGBClassifier`` /
``LGBMClassifier``); focal loss through the native ``focal_boost.xgboost.train``
/ ``focal_boost.lightgbm.train`` (focal-optimal start, default Hessian strategy,
posterior correction) at gamma 0 and 2, with the Hessian as the package hands it
(scale 1) and scaled as the library scales its own (2 for XGBoost, k/(k-1) = 1.5
for LightGBM).
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_WAIT_POLICY", "passive")  # before the libraries load OpenMP

import argparse  # noqa: E402
import datetime  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import lightgbm as lgb  # noqa: E402
import numpy as np  # noqa: E402
import xgboost as xgb  # noqa: E402
from perf import cpu_model  # noqa: E402
from scipy.special import softmax  # noqa: E402

from focal_boost import FocalLoss  # noqa: E402
from focal_boost import lightgbm as flgb  # noqa: E402
from focal_boost import xgboost as fxgb  # noqa: E402

HERE = Path(__file__).resolve().parent
K = 3
LEARNING_RATE = 0.05
DEPTH = 4
THREADS = 2
SCALE = {"xgboost": 2.0, "lightgbm": K / (K - 1)}


class ScaledHessian(FocalLoss):
    """Focal loss whose Hessian (only) is multiplied by ``scale``: a library's step size.

    The adapters ask the loss for ``gradient_hessian(..., hessian_scale=<the library's
    softmax scale>)``; this loss puts ``scale`` in its place."""

    def __init__(self, gamma: float, scale: float) -> None:
        super().__init__(gamma)
        self.scale = scale

    def gradient_hessian(self, y_true, y_pred, sample_weight=None, *, hessian_scale=1.0,
                         **kwargs):
        return super().gradient_hessian(y_true, y_pred, sample_weight,
                                        hessian_scale=self.scale, **kwargs)


def make_data(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels drawn from the posterior, and the true posterior."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 5))
    logits = np.column_stack([
        np.zeros(n),
        1.5 * X[:, 0] + X[:, 1] * X[:, 2] - 1.0,
        -X[:, 0] + np.sin(2 * X[:, 3]) + 0.5 * X[:, 4] ** 2 - 1.5,
    ])
    p = softmax(logits, axis=1)
    y = (rng.random(n)[:, None] > np.cumsum(p, axis=1)).sum(axis=1)
    return X, y, p


def fit_predict(lib: str, model: str, X, y, Xt, trees: int, stages) -> dict[int, np.ndarray]:
    """Test probabilities after each number of trees in ``stages``."""
    if model == "logloss":
        if lib == "xgboost":
            clf = xgb.XGBClassifier(n_estimators=trees, learning_rate=LEARNING_RATE,
                                    max_depth=DEPTH, n_jobs=THREADS, random_state=0).fit(X, y)
            return {s: clf.predict_proba(Xt, iteration_range=(0, s)) for s in stages}
        clf = lgb.LGBMClassifier(n_estimators=trees, learning_rate=LEARNING_RATE,
                                 max_depth=DEPTH, num_leaves=2**DEPTH, n_jobs=THREADS,
                                 random_state=0, verbose=-1).fit(X, y)
        return {s: clf.predict_proba(Xt, num_iteration=s) for s in stages}
    gamma, scaled = model
    loss = ScaledHessian(gamma, SCALE[lib] if scaled else 1.0)
    if lib == "xgboost":
        params = {"eta": LEARNING_RATE, "max_depth": DEPTH, "nthread": THREADS, "seed": 0,
                  "num_class": K}
        booster = fxgb.train(params, xgb.DMatrix(X, label=y), loss, trees)
        margins = {s: fxgb.predict_margin(booster, Xt, iteration_range=(0, s)) for s in stages}
    else:
        params = {"learning_rate": LEARNING_RATE, "max_depth": DEPTH,
                  "num_leaves": 2**DEPTH, "num_threads": THREADS, "seed": 0,
                  "verbose": -1, "num_class": K}
        booster = flgb.train(params, lgb.Dataset(X, label=y), loss, trees)
        margins = {s: flgb.predict_margin(booster, Xt, num_iteration=s) for s in stages}
    return {s: loss.predict_proba(z) for s, z in margins.items()}


MODELS = ["logloss", (0.0, False), (0.0, True), (2.0, False), (2.0, True)]


def label(lib: str, model) -> str:
    if model == "logloss":
        return "XGBClassifier" if lib == "xgboost" else "LGBMClassifier"
    gamma, scaled = model
    scale = SCALE[lib] if scaled else 1.0
    return f"focal gamma {gamma:g}, Hessian x {scale:g}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 draw of 10k rows, 300 trees")
    parser.add_argument("--seeds", type=int, default=3, help="data draws")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    n_train, n_test, seeds = (10_000, 10_000, 1) if args.quick else (60_000, 30_000, args.seeds)
    trees = 300 if args.quick else 1000
    stages = tuple(range(50, trees + 1, 50))
    shown = (300,) if args.quick else (300, 1000)
    out_path = args.out or (HERE / "_cache" / "MULTICLASS_STEP_quick.md" if args.quick
                            else HERE / "MULTICLASS_STEP.md")
    out_path.parent.mkdir(parents=True, exist_ok=True)

    start = time.perf_counter()
    mse = {}  # (lib, model, stage) -> list over seeds
    for seed in range(seeds):
        X, y, p = make_data(n_train + n_test, seed)
        for lib in ("xgboost", "lightgbm"):
            for model in MODELS:
                probas = fit_predict(lib, model, X[:n_train], y[:n_train], X[n_train:],
                                     trees, stages)
                for s, proba in probas.items():
                    err = float(np.mean((proba - p[n_train:]) ** 2))
                    mse.setdefault((lib, model, s), []).append(err)
    wall = time.perf_counter() - start

    command = "python benchmarks/multiclass_step.py" + (" --quick" if args.quick else "")
    lines = ["# Multiclass step size: distance to the true posterior\n",
             f"Generated by `{command}` on {datetime.date.today()} ({cpu_model()}, "
             f"{THREADS} threads; xgboost "
             f"{xgb.__version__}, lightgbm {lgb.__version__}); {n_train} training rows, "
             f"{n_test} test rows, {seeds} data draw(s), wall time {wall:.0f} s. "
             "Setup in the module docstring.\n",
             "Mean squared error of the predicted probabilities to the true posterior "
             "(x 1e-4; mean over draws, range in brackets) and the ratio to the log-loss "
             "classifier of the same library (\"best\": at the number of trees, a "
             "multiple of 50, where the mean error is lowest, against the log-loss "
             "classifier's best):\n"]
    header = ["library", "model"]
    for s in shown:
        header += [f"MSE {s} trees", f"ratio {s}"]
    header += ["best MSE (trees)", "ratio best"]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    for lib in ("xgboost", "lightgbm"):
        for model in MODELS:
            row = [lib, label(lib, model)]
            for s in shown:
                v = np.array(mse[(lib, model, s)]) * 1e4
                ref = np.mean(mse[(lib, "logloss", s)]) * 1e4
                row += [f"{v.mean():.2f} [{v.min():.2f}, {v.max():.2f}]",
                        f"{v.mean() / ref:.2f}"]
            best = min(stages, key=lambda s: np.mean(mse[(lib, model, s)]))
            ref = min(np.mean(mse[(lib, "logloss", s)]) for s in stages)
            row += [f"{np.mean(mse[(lib, model, best)]) * 1e4:.2f} ({best})",
                    f"{np.mean(mse[(lib, model, best)]) / ref:.2f}"]
            lines.append("| " + " | ".join(row) + " |")
    text = "\n".join(lines) + "\n"
    print(text)
    out_path.write_text(text)
    print(f"written to {out_path}")


if __name__ == "__main__":
    main()
