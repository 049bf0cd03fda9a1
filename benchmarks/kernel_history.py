"""The objective's cost per boosting round, this checkout against an earlier revision.

    python benchmarks/kernel_history.py REV [--pairs 5]

Checks ``REV`` out into a temporary git worktree and times both checkouts side by
side, in fresh processes that alternate between them (``--pairs`` of each), on the
same data and threads:

- the public call ``focal_loss(2, 0.25)(y, margins)`` (float64 outputs);
  multiclass: ``focal_loss(2)``;
- the objective one round of ``focal_boost.xgboost.train`` calls, on the DMatrix;
- the objective one round of ``focal_boost.lightgbm.train`` calls, plus the float32
  copy LightGBM makes of what it returns (none when it is float32 already).

The public call writes fresh float64 arrays each time: its time moves with the state
of the allocator (page faults), 2-7 ms in either revision on a 2-core machine; the
training runs of later revisions write into the last round's arrays.

Binary: 1M rows, float32 margins (XGBoost) or float64 (LightGBM), 10% positives;
multiclass: 100k rows x 10 classes. Each process warms the kernels up (compiling
them for a checkout whose numba cache is empty), then reports the median of 30 calls.
Prints a table of medians over the pairs and their ratio (REV / this checkout).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent

# Run in a fresh process with the checkout to time first on sys.path. The revisions
# differ in how a training run builds its objective: `prepare` where it exists, else
# the `objective` factory that revision's `train` used.
_CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
import numpy as np
import focal_boost
import focal_boost._loss
assert focal_boost.__file__.startswith(sys.argv[1]), focal_boost.__file__
import lightgbm as lgb
import xgboost as xgb
from focal_boost import focal_loss
from focal_boost import lightgbm as flgb
from focal_boost import xgboost as fxgb

def median_ms(fn, calls=30):
    for _ in range(3):
        fn()
    times = []
    for _ in range(calls):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times)) * 1e3

def xgb_objective(loss, y, k):
    params = {"num_class": k} if k > 2 else {}
    if hasattr(fxgb, "prepare"):
        return fxgb.prepare(params, loss, y_true=y).obj
    return fxgb.objective(loss)

def lgb_objective(loss, ds, k):
    params = {"num_class": k, "verbose": -1} if k > 2 else {"verbose": -1}
    if hasattr(flgb, "prepare"):
        return flgb.prepare(params, loss, 50, train_set=ds).params["objective"]
    return flgb.objective(loss)

def lightgbm_round(obj, preds, ds):
    grad, hess = obj(preds, ds)
    # LightGBM's Booster.update: float32, flattened class-major (a copy unless it is so)
    np.asarray(grad, dtype=np.float32).ravel(order="F")
    np.asarray(hess, dtype=np.float32).ravel(order="F")

rng = np.random.default_rng(0)
out = {}
for k, n in ((2, 1_000_000), (10, 100_000)):
    loss = focal_loss(2.0, 0.25 if k == 2 else None)
    # a revision that loads the kernels in a background thread: wait for it
    getattr(focal_boost._loss, "_join_warm_up", lambda: None)()
    name = "binary, 1M rows" if k == 2 else "10 classes, 100k rows"
    y = ((rng.random(n) < 0.1) if k == 2 else rng.integers(0, k, n)).astype(np.float32)
    shape = (n,) if k == 2 else (n, k)
    z32 = rng.standard_normal(shape).astype(np.float32)
    if k == 2:
        out[f"public call loss(y, margins), {name}"] = median_ms(lambda: loss(y, z32))
    dtrain = xgb.DMatrix(np.zeros((n, 1), np.float32), label=y)
    obj = xgb_objective(loss, y, k)
    out[f"XGBoost objective per round, {name}"] = median_ms(lambda: obj(z32, dtrain))
    ds = lgb.Dataset(np.zeros((n, 1)), label=y, params={"verbose": -1}).construct()
    z64 = np.asfortranarray(z32, dtype=np.float64)  # LightGBM's (n, k) view is Fortran
    lobj = lgb_objective(loss, ds, k)
    out[f"LightGBM objective per round + its float32 copy, {name}"] = median_ms(
        lambda: lightgbm_round(lobj, z64 if k > 2 else z64.ravel(), ds))
print(json.dumps(out))
"""


def _time(src: Path) -> dict[str, float]:
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(src)], capture_output=True,
                          text=True)
    if proc.returncode:
        raise RuntimeError(f"timing {src} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rev", help="the earlier revision (a commit, tag or branch)")
    parser.add_argument("--pairs", type=int, default=5)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from perf import machine_yardstick

    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "old"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(old),
                        args.rev], check=True)
        try:
            runs: dict[str, list] = {"old": [], "new": []}
            for _ in range(args.pairs):
                runs["old"].append(_time(old))
                runs["new"].append(_time(ROOT))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                            str(old)], check=True)
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True, check=True).stdout.strip()
    processes = f"{args.pairs} process{'es' if args.pairs != 1 else ''}"
    print(f"| per call (median of {processes} x 30 calls) | {args.rev} ms | "
          f"{head} ms | **{args.rev} / {head}** |")
    print("|---|---:|---:|---:|")
    for key in runs["new"][0]:
        old_ms = float(np.median([r[key] for r in runs["old"]]))
        new_ms = float(np.median([r[key] for r in runs["new"]]))
        print(f"| {key} | {old_ms:.2f} | {new_ms:.2f} | **{old_ms / new_ms:.1f}x** |")
    print(f"\n_{machine_yardstick()}_")


if __name__ == "__main__":
    main()
