"""Performance of the focal objective: kernels, memory, training time against built-ins.

One command::

    python benchmarks/perf.py            # full run (~35 min on 2 cores)
    python benchmarks/perf.py --quick    # reduced sizes and repeats (~5 min)
    python benchmarks/perf.py --sections multilabel   # one section

prints a markdown report and writes it to ``benchmarks/RESULTS.md`` (``--out``; a
``--quick`` run, or one of some ``--sections`` or other ``--repeats`` / ``--threads``, to
``benchmarks/_cache/RESULTS_quick.md`` or ``benchmarks/_cache/RESULTS_sections.md``: only
a full run replaces the committed report).
On a machine shared with other work, ``--omp-wait passive`` keeps the libraries'
idle OpenMP threads from spinning, which otherwise makes timings erratic.

Sections:

1. Kernel throughput: ns per row (binary) and per row-class (multiclass, k = 10)
   of one gradient + Hessian call, at 1e4, 1e5, 1e6 rows, gamma 2, alpha 0.25,
   float32 margins (as XGBoost passes them), for the fast kernels (the default
   ``obj(y, z)``), the numpy reference path (the same call with the kernels
   off), the finite-difference path (``derivatives="numeric"``) and a naive numpy
   transcription of the textbook formula. Validation is included in the public
   calls (the naive one validates nothing). Wall time, and CPU time summed over
   threads (steadier on a busy machine).
2. Peak memory of one call (tracemalloc) relative to the size of the margins.
3. End-to-end training time of focal loss (gamma 2, alpha 0.25) against the
   library's built-in loss, same data, parameters and rounds, timed side by side
   in this process: each repeat runs every variant once, in turn, and the ratio
   is the median over repeats of focal time / built-in time of that repeat. Also
   timed: the focal objective's own time per round, the same focal loss on the
   numpy reference path (first repeat only), and ``ce_loss()`` (the
   cross-entropy through the same Python objective), which shows the cost of a
   Python objective as such.
3b. Multi-label (``multilabel``): XGBoost training on a 5-label 0/1 matrix, focal
   loss against the built-in ``binary:logistic`` on the same matrix, for both
   ``multi_strategy`` values, timed side by side as in 3.
4. Scaling of the binary ratios from 1e4 to 1e6 rows.
5. First-call cost: import time, compile time of the kernels with an empty
   compile cache, and load time from the cache, in fresh processes; and the first
   gradient call inside an estimator's fit (the kernels load in the background
   while the library builds its training data).
6. Peak memory of a fit (``fit-memory``): peak RSS of ``FocalXGBClassifier`` and
   ``FocalLGBMClassifier`` against ``XGBClassifier`` and ``LGBMClassifier`` (5 trees,
   float32 X), without and with an eval set and with early stopping, in fresh
   processes per model (median of 3).
7. Fit as users run it (``fit-eval``): the focal estimators against the plain
   classifiers, default parameters but ``n_estimators`` and ``n_jobs``, with an eval
   set scored every round (the focal metric for ours, log-loss for theirs), no early
   stop reached; 200k x 30 float32 (160k train, 40k eval), binary (300 rounds) and 10
   classes (100 rounds), timed side by side in this process after one warm-up fit
   of each; and, as the control, the plain classifier with a numpy cross-entropy
   objective (what any Python objective costs there).

8. Prediction (``predict``): ``predict_proba`` of the focal estimators (gamma 0 and
   2: the posterior correction) against the plain classifiers with as many trees (50,
   fitted on 100k x 20), on 1e6 float32 rows, binary and 10 classes: time side by side
   in this process (median of the repeats), and the memory a call adds to the
   process's peak RSS, in a fresh process per model; and the time of a call on one
   row (a scoring service's fixed cost per call), side by side.

Every report starts with the CPU model and a yardstick of the machine's ``exp``:
ns per value of numpy's ``np.exp`` and of a compiled loop of scalar ``math.exp``
over 1e6 float64 (the kernels' share of a round depends on both).

Thread counts: XGBoost ``nthread`` and LightGBM ``num_threads`` are set to
``--threads``, and so is the kernels' thread count (``FOCAL_BOOST_NUM_THREADS``).
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import platform
import re
import shlex
import subprocess
import sys
import tempfile
import textwrap
import time
import tracemalloc
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
GAMMA, ALPHA = 2.0, 0.25
K_MULTI = 10
K_MULTILABEL = 5


# ---------------------------------------------------------------------- helpers
def _median_time(fn, *, min_repeats: int = 3, max_repeats: int = 30, budget: float = 1.0):
    """Median wall and CPU (all threads) time of ``fn()`` over repeats."""
    fn()  # warm-up (compilation, page faults)
    times, cpu = [], []
    start = time.perf_counter()
    while len(times) < max_repeats and (
        len(times) < min_repeats or time.perf_counter() - start < budget
    ):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return float(np.median(times)), float(np.median(cpu)), len(times)


def _naive_binary(y, z, gamma=GAMMA, alpha=ALPHA):
    """The textbook formulas of DESIGN §1, transcribed directly (no validation)."""
    z = z.astype(np.float64)
    p = 1.0 / (1.0 + np.exp(-z))
    pt = np.where(y == 1, p, 1.0 - p)
    q = 1.0 - pt
    s = 2.0 * y - 1.0
    at = alpha * y + (1.0 - alpha) * (1.0 - y)
    logpt = np.log(pt)
    grad = at * s * q**gamma * (gamma * pt * logpt - q)
    hess = at * pt * q**gamma * (q * (1.0 + 2.0 * gamma + gamma * logpt)
                                 - gamma**2 * pt * logpt)
    return grad, hess


def _naive_multiclass(y, z, gamma=GAMMA, alpha=None):
    """Softmax focal loss, direct transcription (no validation, no stability care)."""
    z = z.astype(np.float64)
    y = y.astype(np.intp)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    onehot = np.zeros_like(p)
    onehot[np.arange(len(y)), y] = 1.0
    pt = p[np.arange(len(y)), y][:, None]
    u = 1.0 - pt
    logpt = np.log(pt)
    a = 1.0 if alpha is None else np.asarray(alpha)[y][:, None]
    big_a = u ** (gamma - 1.0) * (u - gamma * pt * logpt)
    big_b = gamma * pt * u ** (gamma + 1.0) * (2.0 + logpt + (gamma - 1.0) * pt * -logpt / u)
    grad = a * (p - onehot) * big_a
    hess = a * (p * (1.0 - p) * big_a + big_b * ((p - onehot) / u) ** 2)
    return grad, hess


def _binary_data(n, rng):
    z = (rng.normal(size=n) * 3.0).astype(np.float32)
    y = (rng.random(n) < 0.1).astype(np.float32)
    return y, z


def _multi_data(n, rng):
    z = (rng.normal(size=(n, K_MULTI)) * 3.0).astype(np.float32)
    y = rng.integers(0, K_MULTI, n).astype(np.float32)
    return y, z


class _Timed:
    """Wraps an objective ``f(preds, data)`` and records the seconds of each call."""

    def __init__(self, fn):
        self.fn = fn
        self.seconds: list[float] = []

    def __deepcopy__(self, memo):  # lgb.train deep-copies params: keep recording here
        return self

    def __call__(self, preds, data):
        t0 = time.perf_counter()
        out = self.fn(preds, data)
        self.seconds.append(time.perf_counter() - t0)
        return out


class _Reference:
    """Context manager: the numpy reference path (fast kernels off)."""

    def __enter__(self):
        from focal_boost import _kernels

        self._previous = _kernels.set_enabled(False)

    def __exit__(self, *exc):
        from focal_boost import _kernels

        _kernels.set_enabled(self._previous)


# --------------------------------------------------------------------- sections
def kernel_section(sizes, rng, *, fd_max=1_000_000, budget=1.0):
    from focal_boost import focal_loss

    fast = focal_loss(GAMMA, ALPHA)
    numeric = focal_loss(GAMMA, ALPHA, derivatives="numeric")
    mfast = focal_loss(GAMMA)
    mnumeric = focal_loss(GAMMA, derivatives="numeric")
    rows = []
    for kind in ("binary", "multiclass"):
        for n in sizes:
            y, z = (_binary_data if kind == "binary" else _multi_data)(n, rng)
            values = z.size
            obj, num = (fast, numeric) if kind == "binary" else (mfast, mnumeric)
            naive = _naive_binary if kind == "binary" else _naive_multiclass

            def ref(obj=obj, y=y, z=z):
                with _Reference():
                    return obj(y, z)

            def one_thread(obj=obj, y=y, z=z):
                from focal_boost import _kernels

                previous = _kernels.set_num_threads(1)
                try:
                    return obj(y, z)
                finally:
                    _kernels.set_num_threads(previous)

            paths = [
                ("fast kernels", lambda obj=obj, y=y, z=z: obj(y, z)),
                ("fast kernels, 1 thread", one_thread),
                ("numpy reference", ref),
                ("naive numpy", lambda naive=naive, y=y, z=z: naive(y, z)),
            ]
            # Finite differences at 1e6 x 10 take ~10 s a call: measured up to fd_max values.
            if values <= fd_max:
                paths.append(("finite differences", lambda num=num, y=y, z=z: num(y, z)))
            timings = {}
            for name, fn in paths:
                with np.errstate(all="ignore"):
                    t, cpu, reps = _median_time(fn, budget=budget)
                timings[name] = t
                rows.append({"kind": kind, "n": n, "path": name, "t": t, "cpu": cpu,
                             "reps": reps, "ns": t / values * 1e9})
            for r in rows[-len(paths):]:
                r["vs_naive"] = timings["naive numpy"] / r["t"]
    lines = [
        "| problem | rows | path | ms / call | ns / value | speed-up vs naive | "
        "CPU ms / call (all threads) | repeats |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        unit = "row" if r["kind"] == "binary" else f"row-class (k={K_MULTI})"
        lines.append(
            f"| {r['kind']} | {r['n']:.0e} | {r['path']} | {r['t'] * 1e3:.2f} | "
            f"{r['ns']:.2f} / {unit} | {r['vs_naive']:.1f}x | {r['cpu'] * 1e3:.2f} | "
            f"{r['reps']} |"
        )
    return rows, "\n".join(lines)


def memory_section(n_bin, n_multi, rng):
    from focal_boost import focal_loss

    lines = [
        "| problem | path | margins MiB | peak MiB | peak / margins | "
        "peak beyond the outputs / margins |",
        "|---|---|---:|---:|---:|---:|",
    ]
    rows = []
    for kind, n in (("binary", n_bin), ("multiclass", n_multi)):
        y, z = (_binary_data if kind == "binary" else _multi_data)(n, rng)
        obj = focal_loss(GAMMA, ALPHA if kind == "binary" else None)
        naive = _naive_binary if kind == "binary" else _naive_multiclass

        def ref(obj=obj, y=y, z=z):
            with _Reference():
                return obj(y, z)

        outputs = 2 * z.size * 8  # grad + hess, float64
        for name, fn in (("fast kernels", lambda obj=obj, y=y, z=z: obj(y, z)),
                         ("numpy reference", ref),
                         ("naive numpy", lambda naive=naive, y=y, z=z: naive(y, z))):
            fn()  # compile outside the trace
            gc.collect()
            tracemalloc.start()
            with np.errstate(all="ignore"):
                out = fn()
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            del out
            rows.append({"kind": kind, "path": name, "ratio": peak / z.nbytes})
            lines.append(
                f"| {kind} {n:.0e}{'' if kind == 'binary' else f' x {K_MULTI}'} | {name} | "
                f"{z.nbytes / 2**20:.1f} | {peak / 2**20:.1f} | {peak / z.nbytes:.1f}x | "
                f"{(peak - outputs) / z.nbytes:.1f}x |"
            )
    return rows, "\n".join(lines)


def _xgb_runner(X, y, k, rounds, threads):
    import xgboost as xgb

    from focal_boost import ce_loss, focal_loss
    from focal_boost.xgboost import prepare

    dtrain = xgb.DMatrix(X, label=y, nthread=threads)
    base = {"tree_method": "hist", "max_depth": 6, "nthread": threads, "eta": 0.1,
            "verbosity": 0}
    if k:
        base["num_class"] = k

    def custom(loss, reference=False):
        # The objective and intercept of focal_boost.xgboost.train (prepare: the start at
        # the focal-optimal constant, gradients written into the last round's arrays)
        run = prepare(dict(base, disable_default_eval_metric=1), loss, y_true=y)
        params = run.params
        timed = _Timed(run.obj)

        def run(n_rounds=rounds):
            if reference:
                with _Reference():
                    return xgb.train(params, dtrain, n_rounds, obj=timed)
            return xgb.train(params, dtrain, n_rounds, obj=timed)
        run.timed = timed
        return run

    def builtin(n_rounds=rounds):
        params = dict(base, objective="multi:softprob" if k else "binary:logistic")
        return xgb.train(params, dtrain, n_rounds)

    mloss = focal_loss(GAMMA, [ALPHA] * k) if k else focal_loss(GAMMA, ALPHA)
    return {
        "built-in": builtin,
        "focal": custom(mloss),
        "focal (numpy reference)": custom(mloss, reference=True),
        "ce_loss()": custom(ce_loss()),
    }


def _lgb_runner(X, y, k, rounds, threads):
    import lightgbm as lgb

    from focal_boost import ce_loss, focal_loss
    from focal_boost.lightgbm import prepare

    dtrain = lgb.Dataset(X, label=y, params={"verbose": -1, "num_threads": threads},
                         free_raw_data=False).construct()
    base = {"num_leaves": 63, "max_depth": 6, "num_threads": threads, "learning_rate": 0.1,
            "verbose": -1, "metric": "None"}
    if k:
        base["num_class"] = k

    def custom(loss, reference=False):
        # The objective of focal_boost.lightgbm.train (gradients written into the last
        # round's arrays), from margin 0 (init_score=None: LightGBM's start for a custom
        # objective; the built-in one starts at the log-odds, one pass at set-up)
        run = prepare(base, loss, rounds, train_set=dtrain, init_score=None)
        timed = _Timed(run.params["objective"])
        params = dict(base, objective=timed)

        def run(n_rounds=rounds):
            if reference:
                with _Reference():
                    return lgb.train(params, dtrain, n_rounds)
            return lgb.train(params, dtrain, n_rounds)
        run.timed = timed
        return run

    def builtin(n_rounds=rounds):
        return lgb.train(dict(base, objective="multiclass" if k else "binary"), dtrain,
                         n_rounds)

    mloss = focal_loss(GAMMA, [ALPHA] * k) if k else focal_loss(GAMMA, ALPHA)
    return {
        "built-in": builtin,
        "focal": custom(mloss),
        "focal (numpy reference)": custom(mloss, reference=True),
        "ce_loss()": custom(ce_loss()),
    }


def _train_data(n, k, rng, n_features=20):
    X = rng.normal(size=(n, n_features)).astype(np.float32)
    if not k:
        score = X[:, :5] @ rng.normal(size=5) + rng.normal(size=n)
        y = (score > np.quantile(score, 0.9)).astype(np.float32)
    else:
        score = X[:, :8] @ rng.normal(size=(8, k)) + rng.gumbel(size=(n, k))
        y = score.argmax(axis=1).astype(np.float32)
    return X, y


def time_training(lib, n, k, rounds, threads, repeats, rng, variants=None):
    """Median times and the median per-repeat ratio to the built-in loss."""
    X, y = _train_data(n, k, rng)
    runners = (_xgb_runner if lib == "XGBoost" else _lgb_runner)(X, y, k, rounds, threads)
    if variants is not None:
        runners = {name: fn for name, fn in runners.items() if name in variants}
    return _time_runners(runners, rounds, repeats)


def _time_runners(runners, rounds, repeats):
    """Time ``runners`` side by side, ``repeats`` times; ratios to ``runners["built-in"]``."""
    for fn in runners.values():  # warm-up: histogram index, compilation
        fn(2)
        if hasattr(fn, "timed"):
            fn.timed.seconds.clear()
    times = {name: [] for name in runners}
    for rep in range(repeats):
        for name, fn in runners.items():
            if name in ONCE and rep > 0:
                continue
            gc.collect()
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    base = np.array(times["built-in"])
    out = {
        name: {"t": float(np.median(ts)),
               "ratio": float(np.median(np.array(ts) / base[:len(ts)]))}
        for name, ts in times.items()
    }
    for name, fn in runners.items():
        out[name]["round_ms"] = out[name]["t"] / rounds * 1e3
        if hasattr(fn, "timed"):
            out[name]["objective_ms"] = float(np.median(fn.timed.seconds)) * 1e3
    return out


# Timed in the first repeat only: the slow path, for comparison.
ONCE = ("focal (numpy reference)",)


def _multilabel_data(n, k, rng, n_features=20):
    """``k`` labels of 5-30% positives, each a noisy linear score of the features."""
    X = rng.normal(size=(n, n_features)).astype(np.float32)
    score = X[:, :8] @ rng.normal(size=(8, k)) + rng.logistic(size=(n, k))
    Y = (score > np.quantile(score, np.linspace(0.95, 0.7, k), axis=0).diagonal())
    return X, Y.astype(np.float32)


def _xgb_multilabel_runner(X, Y, strategy, rounds, threads):
    """Built-in binary:logistic on the label matrix against the focal loss, same model."""
    import xgboost as xgb

    from focal_boost import ce_loss, focal_loss
    from focal_boost.xgboost import objective

    dtrain = xgb.DMatrix(X, label=Y, nthread=threads)
    base = {"tree_method": "hist", "max_depth": 6, "nthread": threads, "eta": 0.1,
            "verbosity": 0, "multi_strategy": strategy}

    def custom(loss):
        params = dict(base, disable_default_eval_metric=1,
                      base_score=[float(v) for v in loss.init_score(Y)])
        timed = _Timed(objective(loss))

        def run(n_rounds=rounds):
            return xgb.train(params, dtrain, n_rounds, obj=timed)
        run.timed = timed
        return run

    def builtin(n_rounds=rounds):
        return xgb.train(dict(base, objective="binary:logistic"), dtrain, n_rounds)

    return {"built-in": builtin, "focal": custom(focal_loss(GAMMA, ALPHA)),
            "ce_loss()": custom(ce_loss())}


def multilabel_section(cfg, threads, rng):
    """XGBoost multi-label training: focal against built-in binary:logistic, both strategies."""
    n, k = cfg["n_multilabel"], K_MULTILABEL
    X, Y = _multilabel_data(n, k, rng)
    lines = [
        "| multi_strategy | rows x labels | rounds | built-in s | focal s | "
        "**focal / built-in** | focal objective ms / round (built-in round ms) | "
        "ce_loss() / built-in |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for strategy in ("one_output_per_tree", "multi_output_tree"):
        res = _time_runners(_xgb_multilabel_runner(X, Y, strategy, cfg["rounds"], threads),
                            cfg["rounds"], cfg["repeats"])
        lines.append(
            f"| {strategy} | {n:.0e} x {k} | {cfg['rounds']} | {res['built-in']['t']:.2f} | "
            f"{res['focal']['t']:.2f} | **{res['focal']['ratio']:.2f}x** | "
            f"{res['focal']['objective_ms']:.1f} ({res['built-in']['round_ms']:.0f}) | "
            f"{res['ce_loss()']['ratio']:.2f}x |"
        )
        print(lines[-1], flush=True)
    return "\n".join(lines)


# The performance goals for training only: binary at most 1.08x (XGBoost) and 1.05x
# (LightGBM) the built-in objective; multiclass no worse than where it stood when the
# goals were set (1.05x and 1.02x on a 2-core AMD EPYC machine).
TARGETS = {("XGBoost", False): 1.08, ("LightGBM", False): 1.05,
           ("XGBoost", True): 1.05, ("LightGBM", True): 1.02}


def _against(ratio: float, target: float) -> str:
    """The ratio cell and the target cell of a table row: two decimals, or three where
    two would round a missed target onto it (1.104 against 1.10)."""
    shown = f"{ratio:.2f}" if round(ratio, 2) != target or ratio <= target else f"{ratio:.3f}"
    return f"**{shown}x** | <= {target:.2f}x {'met' if ratio <= target else 'NOT met'}"


def training_section(cfg, threads, rng):
    lines = [
        "| library | problem | rounds | built-in s | focal s | **focal / built-in** | target "
        "| focal objective ms / round (built-in round ms) | focal on numpy reference / "
        "built-in | ce_loss() / built-in |",
        "|---|---|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    results = {}
    for lib in ("XGBoost", "LightGBM"):
        for multi in (False, True):
            n = cfg["n_multi"] if multi else cfg["n_bin"]
            k = K_MULTI if multi else 0
            res = time_training(lib, n, k, cfg["rounds"], threads, cfg["repeats"], rng)
            results[(lib, multi)] = res
            target = TARGETS[(lib, multi)]
            ratio = res["focal"]["ratio"]
            problem = f"{'multiclass k=10' if multi else 'binary'}, {n:.0e} x 20"
            lines.append(
                f"| {lib} | {problem} | {cfg['rounds']} | {res['built-in']['t']:.2f} | "
                f"{res['focal']['t']:.2f} | {_against(ratio, target)} | "
                f"{res['focal']['objective_ms']:.1f} ({res['built-in']['round_ms']:.0f}) | "
                f"{res['focal (numpy reference)']['ratio']:.2f}x | "
                f"{res['ce_loss()']['ratio']:.2f}x |"
            )
            print(lines[-1], flush=True)
    return results, "\n".join(lines)


def scaling_section(sizes, rounds, threads, repeats, rng, full_results=None, n_full=None):
    lines = ["| rows | XGBoost focal / built-in | LightGBM focal / built-in |",
             "|---:|---:|---:|"]
    for n in sizes:
        cells = []
        for lib in ("XGBoost", "LightGBM"):
            if full_results is not None and n == n_full:
                res = full_results[(lib, False)]
            else:
                res = time_training(lib, n, 0, rounds, threads, repeats, rng,
                                    variants=("built-in", "focal"))
            cells.append(f"{res['focal']['ratio']:.2f}x")
        lines.append(f"| {n:.0e} | {cells[0]} | {cells[1]} |")
        print(lines[-1], flush=True)
    return "\n".join(lines)


_FIRST_CALL = textwrap.dedent("""
    import sys, time
    t0 = time.perf_counter()
    import focal_boost
    t_import = time.perf_counter() - t0
    assert "numba" not in sys.modules, "import focal_boost imported numba"
    import numpy as np
    rng = np.random.default_rng(0)
    obj = focal_boost.focal_loss(2.0, 0.25)
    out = {"import focal_boost": t_import}
    z32 = rng.normal(size=1000).astype(np.float32)
    y32 = (rng.random(1000) < 0.5).astype(np.float32)
    cases = [
        ("binary, float32 margins and labels (XGBoost)", obj, y32, z32),
        ("binary, float64 margins, float32 labels (LightGBM)", obj, y32, z32.astype(float)),
        ("multiclass, float32 (XGBoost)", focal_boost.focal_loss(2.0),
         (y32 * 9).astype(np.float32), rng.normal(size=(1000, 10)).astype(np.float32)),
        ("multiclass, float64 Fortran order (LightGBM)", focal_boost.focal_loss(2.0),
         (y32 * 9).astype(np.float32), np.asfortranarray(rng.normal(size=(1000, 10)))),
    ]
    for name, o, y, z in cases:
        t0 = time.perf_counter()
        o(y, z)
        out[name] = time.perf_counter() - t0
    from focal_boost import _kernels
    out["fast kernels used"] = _kernels.grad_hess(obj.gamma, obj.alpha, obj.hessian, y32,
                                                  z32) is not None
    print(repr(out))
""")

# The first gradient call inside a fit, in a fresh process: the estimator makes its loss,
# then builds the library's training data while the kernels load in the background.
_FIRST_CALL_IN_FIT = textwrap.dedent("""
    import sys, time
    import numpy as np
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100_000, 20)).astype(np.float32)
    y = (X[:, 0] + rng.normal(size=100_000) > 1.5).astype(int)
    import focal_boost
    from focal_boost._loss import FocalLoss
    first = []
    inner = FocalLoss.gradient_hessian
    def timed(self, *args, **kwargs):
        t0 = time.perf_counter()
        result = inner(self, *args, **kwargs)
        if not first:
            first.append(time.perf_counter() - t0)
        return result
    FocalLoss.gradient_hessian = timed
    cls = getattr(focal_boost, sys.argv[1])
    cls(n_estimators=5, n_jobs=2).fit(X, y)
    print(first[0])
""")


def first_call_section():
    env = dict(os.environ)
    lines = ["| step | empty compile cache (first use after install) s | "
             "warm compile cache s |", "|---|---:|---:|"]
    with tempfile.TemporaryDirectory() as cache:
        env["NUMBA_CACHE_DIR"] = cache
        runs = []
        for _ in range(2):
            proc = subprocess.run([sys.executable, "-c", _FIRST_CALL], env=env,
                                  capture_output=True, text=True, check=True)
            runs.append(eval(proc.stdout.strip().splitlines()[-1]))  # noqa: S307 - own output
    for key in runs[0]:
        if key == "fast kernels used":
            continue
        label = key if key == "import focal_boost" else f"first call: {key}"
        lines.append(f"| {label} | {runs[0][key]:.2f} | {runs[1][key]:.2f} |")
    for name in ("FocalXGBClassifier", "FocalLGBMClassifier"):
        times = []
        for _ in range(2):  # the compile cache is warm from the runs above
            proc = subprocess.run([sys.executable, "-c", _FIRST_CALL_IN_FIT, name],
                                  capture_output=True, text=True, check=True)
            times.append(float(proc.stdout.strip().splitlines()[-1]))
        lines.append(f"| first gradient call inside `{name}(n_estimators=5).fit` on "
                     f"100k x 20 | | {min(times):.3f}-{max(times):.3f} |")
    note = ("The first call imports numba and sets it up (about half a second, included in "
            "the first row of calls), then loads or compiles the loops for that dtype "
            "combination; later calls, and later processes, reuse the compiled code. Making "
            "a loss starts that load in a background thread, so inside a fit (last rows, "
            "two fresh processes each) it runs while the library builds its training data: "
            "the first calls above, made right after the loss, wait for it.")
    if not runs[0]["fast kernels used"]:
        note = "numba is not installed: the numpy reference path is used."
    return "\n".join(lines) + "\n\n" + note


# Peak RSS of one fit, in a fresh process per model: the child builds the data,
# imports the libraries, fits and reports its RSS at each step (MiB).
_FIT_MEMORY = textwrap.dedent("""
    import json, resource, sys
    import numpy as np

    def rss():  # resident now
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * resource.getpagesize() / 2**20

    lib, model, n, d, k, mode, threads = sys.argv[1:]
    n, d, k, threads = int(n), int(d), int(k), int(threads)
    rng = np.random.default_rng(0)

    def data(rows):
        X = rng.standard_normal((rows, d), dtype=np.float32)
        s = X[:, 0] + X[:, 1] + rng.standard_normal(rows, dtype=np.float32)
        y = (s > 1.5).astype(np.int64) if k == 2 else np.digitize(
            s, np.quantile(s, np.linspace(0, 1, k + 1)[1:-1]))
        return X, y

    X, y = data(n)
    X_eval, y_eval = data(n // 10) if mode == "eval_set" else (None, None)
    from sklearn.model_selection import train_test_split
    from focal_boost import FocalLGBMClassifier, FocalXGBClassifier, focal_loss
    if lib == "xgboost":
        from xgboost import XGBClassifier as Plain
        Focal, margins = FocalXGBClassifier, np.float32
    else:
        from lightgbm import LGBMClassifier as Plain, early_stopping
        Focal, margins = FocalLGBMClassifier, np.float64
    kw = {"n_estimators": 5, "n_jobs": threads, "random_state": 0}
    if lib == "lightgbm":
        kw["verbose"] = -1
    out = {"base": rss()}
    fit = {}
    if model == "focal":
        # load the compiled kernels for the margins the library passes (a constant
        # of the process, about the size of numba and LLVM, not of the data)
        focal_loss(2.0)(np.zeros(8), np.zeros((8, k) if k > 2 else 8, margins))
        out["kernels"] = rss()
        if mode == "eval_set":
            fit["eval_set"] = [(X_eval, y_eval)]
        est = Focal(**kw, early_stopping_rounds=3 if mode == "early stopping" else None)
    else:
        if lib == "xgboost":
            fit["verbose"] = False
        if mode == "eval_set":
            fit["eval_set"] = [(X_eval, y_eval)]
        elif mode == "early stopping":  # the focal estimator's split, given as eval_set
            X_tr, X_va, y_tr, y_va = train_test_split(
                X, y, test_size=0.1, stratify=y, random_state=0)
            fit["eval_set"] = [(X_va, y_va)]
            if lib == "xgboost":
                kw["early_stopping_rounds"] = 3
            else:
                fit["callbacks"] = [early_stopping(3, verbose=False)]
            X_all, X, y = X, X_tr, y_tr  # the caller keeps X, as with the focal estimator
        est = Plain(**kw)
    est.fit(X, y, **fit)
    # VmHWM, this process's own peak: ru_maxrss keeps the parent's peak across exec
    with open("/proc/self/status") as f:
        out["peak"] = next(int(line.split()[1]) for line in f
                           if line.startswith("VmHWM")) / 1024
    print(json.dumps(out))
""")

FIT_MEMORY_MODES = ("no eval set", "eval_set", "early stopping")


def _fit_memory(lib, model, n, d, k, mode, threads, processes=1):
    """RSS at each step of one fit (MiB), the median of each over ``processes`` fresh
    processes: a process's peak moves by tens of MB from run to run with the timing of
    its threads (which of glibc's per-thread heaps a large temporary lands in)."""
    runs = []
    for _ in range(processes):
        proc = subprocess.run([sys.executable, "-c", _FIT_MEMORY, lib, model, str(n),
                               str(d), str(k), mode, str(threads)],
                              capture_output=True, text=True, check=True)
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return {key: float(np.median([run[key] for run in runs])) for key in runs[0]}


def fit_memory_section(cases, threads, processes=1):
    """Peak RSS of a fit, focal estimator against the plain classifier (5 trees),
    medians over ``processes`` fresh processes per model and case."""
    lines = [
        "| library | problem | evaluation | plain: data + imports | plain: peak | "
        "focal: data + imports | focal: + kernels | focal: peak | peak focal / plain | "
        "fit's share focal / plain |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    rows = []
    for lib, name in (("xgboost", "XGBoost"), ("lightgbm", "LightGBM")):
        for n, d, k in cases:
            for mode in FIT_MEMORY_MODES:
                plain = _fit_memory(lib, "plain", n, d, k, mode, threads, processes)
                focal = _fit_memory(lib, "focal", n, d, k, mode, threads, processes)
                ratio = focal["peak"] / plain["peak"]
                share = (focal["peak"] - focal["kernels"]) / (plain["peak"] - plain["base"])
                rows.append({"lib": lib, "n": n, "d": d, "k": k, "mode": mode,
                             "ratio": ratio, "share": share})
                problem = f"{n:.0e} x {d}, {'binary' if k == 2 else f'{k} classes'}"
                lines.append(
                    f"| {name} | {problem} | {mode} | {plain['base']:.0f} | "
                    f"{plain['peak']:.0f} | {focal['base']:.0f} | {focal['kernels']:.0f} | "
                    f"{focal['peak']:.0f} | {ratio:.2f}x | {share:.2f}x |")
                print(lines[-1], flush=True)
    return rows, "\n".join(lines)


def _fit_eval_data(n, k, rng, n_features=30):
    X, y = _train_data(n, k, rng, n_features=n_features)
    return X, y.astype(np.int64)


def numpy_cross_entropy(y_true, y_pred):
    """The plainest Python objective a user writes: logistic / softmax cross-entropy
    in numpy (``y_pred`` raw margins, (n,) or (n, k)). The control of the fit-eval
    section: what a Python objective as such costs in the library's own classifier."""
    from scipy.special import expit, softmax

    if y_pred.ndim == 1:
        p = expit(y_pred)
        return p - y_true, p * (1.0 - p)
    p = softmax(y_pred, axis=1)
    grad = p.copy()
    grad[np.arange(len(p)), np.asarray(y_true, dtype=np.intp)] -= 1.0
    return grad, 2.0 * p * (1.0 - p)


def _fit_eval_models(lib, rounds, threads):
    """``{"plain": make(), "focal": make(), "numpy objective": make()}`` for one
    library, as users set them up; the last one is the plain classifier with
    :func:`numpy_cross_entropy` as its objective."""
    if lib == "XGBoost":
        from xgboost import XGBClassifier

        from focal_boost import FocalXGBClassifier

        common = {"n_estimators": rounds, "n_jobs": threads}
        return {"plain": lambda: XGBClassifier(**common),
                "focal": lambda: FocalXGBClassifier(**common),
                "numpy objective": lambda: XGBClassifier(objective=numpy_cross_entropy,
                                                         **common)}
    from lightgbm import LGBMClassifier

    from focal_boost import FocalLGBMClassifier

    common = {"n_estimators": rounds, "n_jobs": threads, "verbose": -1}
    return {"plain": lambda: LGBMClassifier(**common),
            "focal": lambda: FocalLGBMClassifier(**common),
            "numpy objective": lambda: LGBMClassifier(objective=numpy_cross_entropy,
                                                      **common)}


def fit_eval_section(cases, threads, repeats, rng):
    """Fit with an eval set every round: focal estimator / plain classifier."""
    import warnings

    lines = ["| library | problem | rounds | plain s | focal s | **focal / plain** | "
             "target | plain with a numpy objective / plain |",
             "|---|---|---:|---:|---:|---:|---|---:|"]
    rows = []
    for lib in ("XGBoost", "LightGBM"):
        for n, k, rounds in cases:
            X, y = _fit_eval_data(n, k, rng)
            cut = n * 4 // 5
            fit_args = (X[:cut], y[:cut])
            fit_kwargs = {"eval_set": [(X[cut:], y[cut:])]}
            if lib == "XGBoost":
                fit_kwargs["verbose"] = False  # both: no line per round
            models = _fit_eval_models(lib, rounds, threads)
            times = {name: [] for name in models}
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # LightGBM's eval_set deprecation notice
                for make in models.values():  # warm-up: imports, compiled kernels
                    make().set_params(n_estimators=2).fit(*fit_args, **fit_kwargs)
                for _ in range(repeats):
                    for name, make in models.items():
                        gc.collect()
                        t0 = time.perf_counter()
                        make().fit(*fit_args, **fit_kwargs)
                        times[name].append(time.perf_counter() - t0)
            plain = np.array(times["plain"])
            ratio = float(np.median(np.array(times["focal"]) / plain))
            control = float(np.median(np.array(times["numpy objective"]) / plain))
            rows.append({"lib": lib, "k": k, "ratio": ratio, "control": control})
            problem = f"{'binary' if k == 2 else f'{k} classes'}, {cut} + {n - cut} x 30"
            lines.append(
                f"| {lib} | {problem} | {rounds} | {np.median(times['plain']):.2f} | "
                f"{np.median(times['focal']):.2f} | {_against(ratio, 1.10)} | {control:.2f}x |")
            print(lines[-1], flush=True)
    return rows, "\n".join(lines)


_PREDICT_MEMORY = textwrap.dedent("""
    import pickle, sys
    import numpy as np
    model, X = pickle.load(open(sys.argv[1], "rb")), np.load(sys.argv[2])

    def status(key):
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith(key)) / 1024

    model.predict_proba(X[:10])  # imports, compiled kernels: a constant of the process
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # VmHWM from here on
    except OSError:  # (Linux's: elsewhere, or where it is not writable, not measured)
        print("nan")
        sys.exit()
    before = status("VmRSS")
    model.predict_proba(X)
    print(status("VmHWM") - before)
""")


def _predict_models(lib, k, threads, rng, n_train=100_000):
    """Fitted ``{"plain": ..., "focal, gamma 0": ..., "focal, gamma 2": ...}`` of one
    library, 50 trees each, on ``n_train`` x 20 rows of ``k`` classes."""
    import warnings

    X, y = _train_data(n_train, k, rng)
    make = _fit_eval_models(lib, 50, threads)  # (the plain and focal models, as users set them)
    depth = {"max_depth": 6} if lib == "XGBoost" else {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {"plain": make["plain"]().set_params(**depth).fit(X, y),
                "focal, gamma 0": make["focal"]().set_params(gamma=0.0, **depth).fit(X, y),
                "focal, gamma 2": make["focal"]().set_params(gamma=2.0, **depth).fit(X, y)}


def predict_section(n, threads, repeats, rng):
    """predict_proba: time (side by side) and memory added (fresh processes)."""
    import pickle

    lines = ["| library | problem | plain s | focal s, gamma 0 (ratio) | "
             "focal s, gamma 2 (ratio) | plain: MiB added | focal: MiB added, gamma 0 / 2 |",
             "|---|---|---:|---:|---:|---:|---:|"]
    # one row at a time, as a scoring service calls it: the fixed cost of a call
    single = ["| library | problem | plain ms | focal ms, gamma 0 (ratio) | "
              "focal ms, gamma 2 (ratio) |", "|---|---|---:|---:|---:|"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for lib in ("XGBoost", "LightGBM"):
            for k in (2, K_MULTI):
                models = _predict_models(lib, k, threads, rng)
                X = rng.normal(size=(n, 20)).astype(np.float32)
                data = Path(tmp) / "X.npy"
                np.save(data, X)
                times = {name: [] for name in models}
                for model in models.values():
                    model.predict_proba(X[:10])
                for _ in range(repeats):
                    for name, model in models.items():
                        gc.collect()
                        t0 = time.perf_counter()
                        model.predict_proba(X)
                        times[name].append(time.perf_counter() - t0)
                added = {}
                for name, model in models.items():
                    path = Path(tmp) / "model.pkl"
                    path.write_bytes(pickle.dumps(model))
                    proc = subprocess.run([sys.executable, "-c", _PREDICT_MEMORY, str(path),
                                           str(data)], capture_output=True, text=True,
                                          check=True)
                    added[name] = float(proc.stdout.strip().splitlines()[-1])
                plain = np.array(times["plain"])
                ratio = {name: float(np.median(np.array(t) / plain))
                         for name, t in times.items()}
                one = {name: [] for name in models}
                for _ in range(repeats):
                    for name, model in models.items():
                        t0 = time.perf_counter()
                        for i in range(200):
                            model.predict_proba(X[i:i + 1])
                        one[name].append((time.perf_counter() - t0) / 200)
                one_plain = np.array(one["plain"])
                one_ratio = {name: float(np.median(np.array(t) / one_plain))
                             for name, t in one.items()}
                rows.append({"lib": lib, "k": k, "ratio": ratio, "added": added,
                             "one_row_ratio": one_ratio})
                problem = f"{n:.0e} x 20, {'binary' if k == 2 else f'{k} classes'}"
                lines.append(
                    f"| {lib} | {problem} | {np.median(plain):.3f} | "
                    f"{np.median(times['focal, gamma 0']):.3f} "
                    f"({ratio['focal, gamma 0']:.2f}x) | "
                    f"{np.median(times['focal, gamma 2']):.3f} "
                    f"({ratio['focal, gamma 2']:.2f}x) | {added['plain']:.0f} | "
                    f"{added['focal, gamma 0']:.0f} / {added['focal, gamma 2']:.0f} |")
                print(lines[-1], flush=True)
                single.append(
                    f"| {lib} | one row, {'binary' if k == 2 else f'{k} classes'} | "
                    f"{np.median(one_plain) * 1e3:.3f} | "
                    + " | ".join(f"{np.median(one[name]) * 1e3:.3f} ({one_ratio[name]:.2f}x)"
                                 for name in ("focal, gamma 0", "focal, gamma 2")) + " |")
                print(single[-1], flush=True)
    return rows, "\n".join(lines) + "\n\n" + "\n".join(single)


# Beside every table of side-by-side ratios: a ratio is not the quotient of the medians
RATIO_NOTE = ("A ratio is the median over repeats of that repeat's focal / {other} time; the "
              "times are each column's own median, so their quotient can differ from it "
              "(by 0.1x and more on a busy machine).")


def cpu_model() -> str:
    """The CPU's model name (Linux's /proc/cpuinfo), else what the platform module says."""
    try:
        with open("/proc/cpuinfo") as f:
            return next(line.split(":", 1)[1].strip() for line in f
                        if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or platform.machine()


def machine_yardstick() -> str:
    """The CPU model and ns per value of np.exp and of a compiled scalar math.exp loop."""
    model = cpu_model()
    x = np.random.default_rng(0).normal(0.0, 3.0, 1_000_000)
    out = np.empty_like(x)
    t_np = _median_time(lambda: np.exp(x, out=out), budget=0.3)[0]
    text = f"CPU: {model}, {os.cpu_count()} CPUs; exp yardstick: np.exp {t_np * 1e3:.2f} ns/value"
    try:
        import math

        import numba

        @numba.njit
        def scalar_exp(a, o):
            for i in range(a.shape[0]):
                o[i] = math.exp(a[i])

        scalar_exp(x[:10], out[:10])
        t_sc = _median_time(lambda: scalar_exp(x, out), budget=0.3)[0]
        text += f", scalar math.exp in a compiled loop {t_sc * 1e3:.2f} ns/value"
    except ImportError:
        pass
    return text + " (1e6 float64, one thread)."


# ------------------------------------------------------------------------- main
SECTIONS = ("kernel", "memory", "training", "multilabel", "scaling", "first-call",
            "fit-memory", "fit-eval", "predict")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="reduced sizes and repeats")
    parser.add_argument("--threads", type=int, default=2,
                        help="threads of the libraries and the kernels (default 2)")
    parser.add_argument("--repeats", type=int, default=None,
                        help="repeats of each timed fit or prediction (default 5, quick 2)")
    parser.add_argument("--out", type=Path, default=None,
                        help="report path (default RESULTS.md; --quick: "
                             "_cache/RESULTS_quick.md; some --sections, other --repeats "
                             "or --threads: _cache/RESULTS_sections.md)")
    parser.add_argument("--omp-wait", choices=("default", "passive"), default="default",
                        help="passive: OMP_WAIT_POLICY=passive, so that idle OpenMP threads "
                        "sleep instead of spinning (steadier timings on a busy machine)")
    parser.add_argument("--sections", default=",".join(SECTIONS),
                        help=f"comma-separated subset of {','.join(SECTIONS)}")
    args = parser.parse_args(argv)
    sections_wanted = set(args.sections.split(","))
    if not sections_wanted <= set(SECTIONS):
        parser.error(f"--sections: choose from {','.join(SECTIONS)}")
    # a quick run, or one of some sections, never replaces the committed report (whose
    # sections the README quotes) unless --out says so
    if args.out is None:
        full = (sections_wanted == set(SECTIONS) and (args.repeats or 5) == 5
                and args.threads == parser.get_default("threads"))
        args.out = (HERE / "_cache" / "RESULTS_quick.md" if args.quick
                    else HERE / "RESULTS.md" if full
                    else HERE / "_cache" / "RESULTS_sections.md")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.omp_wait == "passive" and os.environ.get("OMP_WAIT_POLICY", "").lower() != "passive":
        # Read by the OpenMP runtime when it loads: restart with it set.
        os.environ["OMP_WAIT_POLICY"] = "passive"
        os.execv(sys.executable, [sys.executable, *sys.argv])

    os.environ["FOCAL_BOOST_NUM_THREADS"] = str(args.threads)
    from importlib.metadata import PackageNotFoundError, version

    try:
        numba_version = version("numba")
    except PackageNotFoundError:
        numba_version = "not installed"
    import lightgbm
    import scipy
    import xgboost

    from focal_boost import _kernels

    quick = args.quick
    cfg = {
        "kernel_sizes": (10_000, 100_000) if quick else (10_000, 100_000, 1_000_000),
        "n_bin": 100_000 if quick else 1_000_000,
        "n_multi": 20_000 if quick else 200_000,
        "rounds": 20 if quick else 50,
        "repeats": args.repeats or (2 if quick else 5),
        "scaling": (10_000, 100_000) if quick else (10_000, 100_000, 1_000_000),
        "n_multilabel": 20_000 if quick else 100_000,
    }
    rng = np.random.default_rng(0)
    t_start = time.perf_counter()
    load0 = os.getloadavg()
    yardstick = machine_yardstick()
    print(yardstick, flush=True)
    # the command as run, every option (pasted back, it runs the same)
    command = shlex.join(["python", "benchmarks/perf.py",
                          *(sys.argv[1:] if argv is None else argv)])
    header = [
        f"# focal_boost performance{' (quick run)' if quick else ''}",
        "",
        f"{datetime.datetime.now().isoformat(timespec='minutes')}; `{command}`; "
        f"{yardstick} "
        f"Python {platform.python_version()}, numpy {np.__version__}, scipy "
        f"{scipy.__version__}, numba {numba_version}, xgboost {xgboost.__version__}, "
        f"lightgbm {lightgbm.__version__}. Threads: {args.threads} (libraries and kernels). "
        f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', 'unset')}. "
        f"Fast kernels {'on' if _kernels.available() else 'OFF (numba missing)'}. "
        f"gamma {GAMMA}; alpha {ALPHA} in the binary rows of sections 1 and 2 and in "
        f"sections 3 and 4 ({ALPHA} per class there), none elsewhere (the estimators' "
        "default).",
    ]
    sections = []

    if "kernel" in sections_wanted:
        print("## Kernel throughput", flush=True)
        _, table = kernel_section(cfg["kernel_sizes"], rng,
                                  fd_max=100_000 if quick else 1_000_000,
                                  budget=0.3 if quick else 1.0)
        print(table, flush=True)
        sections += ["## 1. Kernel throughput (one gradient + Hessian call, float32 margins)",
                     "", table, "",
                     "Each call returns new float64 outputs (16 MB at 1e6 binary rows). Whether "
                     "their memory is fresh from the system (page faults, which two threads take "
                     "in turn) or reused depends on the C allocator's state, set by earlier work "
                     "in the process. With glibc's trimming off (MALLOC_TRIM_THRESHOLD_ and "
                     "MALLOC_MMAP_THRESHOLD_ set to 1e9) 1e6 binary rows took 1.3 ms on 2 threads "
                     "(2026-11-25, 2-core x86_64). Inside training the objective's own time per "
                     "round is in section 3."]

    if "memory" in sections_wanted:
        print("## Memory", flush=True)
        _, table = memory_section(cfg["kernel_sizes"][-1], cfg["kernel_sizes"][-1] // 10, rng)
        print(table, flush=True)
        sections += ["", "## 2. Peak memory of one call (tracemalloc)", "", table, "",
                     "The outputs alone (float64 grad + hess) are 4x float32 margins."]

    full = None
    if "training" in sections_wanted:
        print("## Training", flush=True)
        full, table = training_section(cfg, args.threads, rng)
        sections += [
            "", f"## 3. Training time against the built-in loss (median of {cfg['repeats']} "
            "side-by-side repeats)", "", table, "",
            "Same data, parameters and rounds (hist, depth 6; LightGBM num_leaves 63). "
            "ce_loss() is the plain cross-entropy through the same Python objective: the "
            "cost of a Python objective in that library, which no kernel removes. The numpy "
            "reference path is timed in the first repeat only. "
            + RATIO_NOTE.format(other="built-in")]

    if "multilabel" in sections_wanted:
        print("## Multi-label", flush=True)
        table = multilabel_section(cfg, args.threads, rng)
        sections += [
            "", f"## 3b. Multi-label training time, XGBoost (median of {cfg['repeats']} "
            "side-by-side repeats)", "", table, "",
            f"{K_MULTILABEL} labels of 5-30% positives, one label matrix; built-in "
            "`binary:logistic` on it against `focal_loss(2, 0.25)` through "
            "`focal_boost.xgboost.objective`, same parameters (hist, depth 6) and rounds. "
            + RATIO_NOTE.format(other="built-in")]

    if "scaling" in sections_wanted:
        print("## Scaling", flush=True)
        table = scaling_section(cfg["scaling"], cfg["rounds"], args.threads, cfg["repeats"],
                                rng, full_results=full, n_full=cfg["n_bin"])
        sections += ["", "## 4. Scaling of the binary training ratio", "", table]

    if "first-call" in sections_wanted:
        print("## First call", flush=True)
        table = first_call_section()
        print(table, flush=True)
        sections += ["", "## 5. First-call cost (fresh processes)", "", table]

    if "fit-memory" in sections_wanted:
        print("## Fit memory", flush=True)
        cases = ([(100_000, 20, 2), (20_000, 100, 2), (20_000, 100, K_MULTI)] if quick else
                 [(1_000_000, 20, 2), (20_000, 500, 2), (20_000, 500, K_MULTI)])
        processes = 1 if quick else 3
        _, table = fit_memory_section(cases, args.threads, processes)
        sections += [
            "", "## 6. Peak memory of a fit (RSS, MiB, median of "
            f"{processes} fresh process{'es' if processes > 1 else ''} per model)", "", table,
            "", "float32 X, 5 trees, library defaults otherwise. `eval_set`: a tenth as many "
            "other rows; early stopping: the focal estimator holds out 10% (stratified), the "
            "plain classifier gets the same split as `eval_set` (the caller keeps the full X "
            "in both). Peak: the process's high-water mark (VmHWM) at the end of the fit, "
            "nothing subtracted. Data + imports: resident before the fit; + kernels: after "
            "loading the compiled focal kernels (numba and LLVM, a constant of the "
            "process). Fit's share: focal peak minus its RSS with the kernels loaded, over "
            "plain peak minus its data + imports. A process's peak moves by tens of MB from "
            "run to run with the timing of its threads (which of glibc's per-thread heaps "
            "a large temporary lands in; with `MALLOC_ARENA_MAX=1` it does not): hence "
            "the medians."]

    if "fit-eval" in sections_wanted:
        print("## Fit with an eval set", flush=True)
        cases = ([(50_000, 2, 100), (50_000, K_MULTI, 30)] if quick else
                 [(200_000, 2, 300), (200_000, K_MULTI, 100)])
        _, table = fit_eval_section(cases, args.threads, cfg["repeats"], rng)
        sections += [
            "", f"## 7. Fit with an eval set, as users run it (median of {cfg['repeats']} "
            "side-by-side repeats)", "", table, "",
            "Default parameters but `n_estimators` and `n_jobs`; the eval set is scored "
            "every round (ours: the focal loss, theirs: log-loss), no early stop reached. "
            "After one warm-up fit of each model in this process (the first fit in a fresh "
            "process also loads the compiled kernels: section 5). The last column is the "
            "control: the plain classifier with the plainest Python objective, numpy's "
            "logistic / softmax cross-entropy (`numpy_cross_entropy`), which is what any "
            "Python objective costs in that library as users run it. "
            + RATIO_NOTE.format(other="plain")]

    if "predict" in sections_wanted:
        print("## Prediction", flush=True)
        _, table = predict_section(100_000 if quick else 1_000_000, args.threads,
                                   cfg["repeats"], rng)
        sections += [
            "", f"## 8. Prediction (median of {cfg['repeats']} side-by-side repeats; memory "
            "in a fresh process per model)", "", table, "",
            "`predict_proba` on float32 rows of 20 features, 50 trees fitted on 100k rows "
            "(XGBoost depth 6, LightGBM's defaults); the second table calls it on one row "
            "at a time (200 calls per repeat). Gamma 0 is log-loss, whose posterior "
            "is the plain sigmoid / softmax, gamma 2 adds the posterior correction. The focal "
            "estimators return float64 (XGBClassifier float32). MiB added: the process's "
            "peak RSS during the call less its RSS before it (after a 10-row call: "
            "imports and compiled kernels are a constant of the process). "
            + RATIO_NOTE.format(other="plain")]

    load1 = os.getloadavg()
    elapsed = time.perf_counter() - t_start
    sections += ["", f"Load average (1 min) {load0[0]:.1f} at the start, {load1[0]:.1f} at the "
                 f"end, on {os.cpu_count()} CPUs; run time {elapsed / 60:.1f} min. Ratios are "
                 "measured side by side; absolute times move with the load."]
    # The machine beside every table: ratios depend on it (the speed of exp above all).
    sections = [part for item in sections
                for part in ([item, "", f"_{yardstick}_"] if item.startswith("|") else [item])]
    report = "\n".join(header + [""] + sections) + "\n"
    # benchmarks/dask_perf.py keeps its own section in the same file: carry it over.
    old = args.out.read_text() if args.out.exists() else ""
    dask = re.search(r"\n## Dask: .*?(?=\n## |\Z)", old, flags=re.S)
    if dask:
        report += dask.group(0).rstrip("\n") + "\n"
    args.out.write_text(report)
    print(report)
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
