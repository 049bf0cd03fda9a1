"""Training time of the Dask focal estimators against the libraries' own Dask estimators.

One command::

    python benchmarks/dask_perf.py                      # 2M x 20 rows, 2 workers, 3 repeats
    python benchmarks/dask_perf.py --rows 200000 --repeats 1   # a quick look

starts a ``distributed.LocalCluster`` of ``--workers`` worker processes with
``--threads`` threads each, generates binary data on the cluster (a dask array of
``--rows`` x 20 float32 values in chunks of 250k rows, about 10% positives,
persisted before any timing) and times ``fit``, side by side in each repeat (the
order alternates between repeats):

* ``xgboost.dask.DaskXGBClassifier`` (``binary:logistic``) and
  ``FocalDaskXGBClassifier`` (gamma 2, alpha 0.25): hist, depth 6, 50 rounds;
* ``lightgbm.dask.DaskLGBMClassifier`` (``binary``) and ``FocalDaskLGBMClassifier``:
  63 leaves, 50 rounds.

Learning rate 0.1, no early stopping. The focal time is all of ``fit``: the pass
that summarises the labels on the workers, the concatenation of each worker's rows
(LightGBM), the intercept, the training with the Python objective and the baking of the
intercept. Wall time and CPU time (of this process and of all worker processes, steadier
on a busy machine) are both reported. The report gives the median over repeats of
(focal time / built-in time) of each repeat and the median times, prints a markdown
section and writes it
into ``benchmarks/RESULTS.md`` (``--out``), replacing the section an earlier run
of this script wrote there; a run of other ``--rows``, ``--repeats``, ``--workers`` or
``--threads`` (a quick look) writes into ``benchmarks/_cache/RESULTS_dask.md`` instead,
so that the committed section stays the full run's.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import time
from pathlib import Path

import numpy as np
from perf import cpu_model

HERE = Path(__file__).resolve().parent
TITLE = "## Dask: focal estimators against the libraries' Dask estimators"
ROUNDS = 50


def _data(client, n_rows: int, seed: int = 0):
    import dask.array as da

    rng = da.random.default_rng(seed)
    X = rng.standard_normal((n_rows, 20), chunks=(250_000, 20), dtype=np.float32)
    score = X[:, :5].sum(axis=1) + rng.standard_normal(n_rows, chunks=250_000) * 1.5
    y = (score > 3.3).astype(np.int32)  # about 10% positives
    X, y = client.persist([X, y])
    return X, y


def _estimators(client):
    """(library, built-in estimator, focal estimator) factories with the same trees."""
    from lightgbm.dask import DaskLGBMClassifier
    from xgboost.dask import DaskXGBClassifier

    from focal_boost.dask import FocalDaskLGBMClassifier, FocalDaskXGBClassifier

    xgb = {"n_estimators": ROUNDS, "max_depth": 6, "learning_rate": 0.1,
           "tree_method": "hist"}
    lgb = {"n_estimators": ROUNDS, "num_leaves": 63, "learning_rate": 0.1, "verbose": -1}
    focal = {"gamma": 2.0, "alpha": 0.25}
    return [
        ("XGBoost", lambda: DaskXGBClassifier(**xgb),
         lambda: FocalDaskXGBClassifier(**focal, **xgb)),
        ("LightGBM", lambda: DaskLGBMClassifier(client=client, **lgb),
         lambda: FocalDaskLGBMClassifier(**focal, **lgb)),
    ]


def _cpu_seconds(client) -> float:
    """CPU time of this process and of every worker process so far."""
    return time.process_time() + sum(client.run(time.process_time).values())


def _fit_time(make, X, y, client) -> tuple[float, float]:
    """Wall time and CPU time (client and workers) of one ``fit``."""
    clf = make()
    cpu, start = _cpu_seconds(client), time.perf_counter()
    clf.fit(X, y)
    return time.perf_counter() - start, _cpu_seconds(client) - cpu


def run(n_rows: int, workers: int, threads: int, repeats: int) -> str:
    import warnings

    import dask
    import distributed
    import lightgbm
    import xgboost

    warnings.filterwarnings("ignore", "Parameter n_jobs will be ignored")
    load0 = os.getloadavg()
    started = time.perf_counter()
    with (distributed.LocalCluster(n_workers=workers, threads_per_worker=threads,
                                   processes=True, dashboard_address=None) as cluster,
          distributed.Client(cluster) as client):
        X, y = _data(client, n_rows)
        positives = float(y.mean().compute())
        rows = []
        for name, builtin, focal in _estimators(client):
            _fit_time(focal, X[:100_000], y[:100_000], client)  # warm-up: imports, compiling
            times = {"built-in": [], "focal": []}  # (wall, CPU) per repeat
            for r in range(repeats):
                order = [("built-in", builtin), ("focal", focal)]
                for key, make in order if r % 2 == 0 else order[::-1]:
                    times[key].append(_fit_time(make, X, y, client))
                    wall, cpu = times[key][-1]
                    print(f"{name} {key} repeat {r + 1}: {wall:.1f} s, CPU {cpu:.1f} s",
                          flush=True)
            builtin_t, focal_t = np.array(times["built-in"]), np.array(times["focal"])
            rows.append((name, *np.median(builtin_t, axis=0), *np.median(focal_t, axis=0),
                         *np.median(focal_t / builtin_t, axis=0)))
    load1 = os.getloadavg()
    minutes = (time.perf_counter() - started) / 60

    lines = [
        TITLE,
        "",
        f"{datetime.datetime.now().isoformat(timespec='minutes')}; `python "
        f"benchmarks/dask_perf.py --rows {n_rows} --workers {workers} --threads {threads} "
        f"--repeats {repeats}`; {cpu_model()}, {os.cpu_count()} CPUs; Python "
        f"{platform.python_version()}, dask {dask.__version__}, distributed "
        f"{distributed.__version__}, xgboost {xgboost.__version__}, lightgbm "
        f"{lightgbm.__version__}. LocalCluster of {workers} worker processes x {threads} "
        f"thread(s); {n_rows:,} x 20 float32 rows ({positives:.1%} positives), chunks of "
        f"{min(n_rows, 250_000):,} rows, persisted before timing.",
        "",
        "| library | built-in: wall s (CPU s) | focal: wall s (CPU s) | **focal / built-in, "
        "wall** | **focal / built-in, CPU** |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, wall_b, cpu_b, wall_f, cpu_f, ratio_wall, ratio_cpu in rows:
        builtin = "DaskXGBClassifier" if name == "XGBoost" else "DaskLGBMClassifier"
        lines.append(f"| {name} ({builtin} vs Focal{builtin}) | {wall_b:.1f} ({cpu_b:.1f}) | "
                     f"{wall_f:.1f} ({cpu_f:.1f}) | **{ratio_wall:.2f}x** | "
                     f"**{ratio_cpu:.2f}x** |")
    lines += [
        "",
        f"Binary, {ROUNDS} rounds, learning rate 0.1, no early stopping; XGBoost hist, depth "
        "6 (both build a DaskQuantileDMatrix); LightGBM 63 leaves. Focal: gamma 2, alpha "
        "0.25; its time is the "
        "whole `fit` (label summary on the workers, one partition per worker for "
        "LightGBM, intercept, "
        "training with the Python objective). Each repeat times both estimators of a "
        "library in turn, the order alternating; a ratio is the median over repeats of "
        "that repeat's focal / built-in. CPU: seconds of CPU time of the client process "
        "and of all worker processes during `fit`, which other work on the machine "
        "disturbs less than wall time.",
        "",
        f"Load average (1 min) {load0[0]:.1f} at the start, {load1[0]:.1f} at the end, on "
        f"{os.cpu_count()} CPUs shared with other work; run time {minutes:.1f} min. "
        "Absolute times move with the load; the ratios are measured side by side.",
    ]
    return "\n".join(lines) + "\n"


def _write_section(path: Path, section: str) -> None:
    """Put ``section`` into ``path``, in place of an earlier one with the same title."""
    text = path.read_text() if path.exists() else ""
    pattern = re.compile(re.escape(TITLE) + r".*?(?=\n## |\Z)", flags=re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: section.rstrip("\n") + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="threads per worker")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None,
                        help="default RESULTS.md; other --rows, --repeats, --workers or "
                             "--threads: _cache/RESULTS_dask.md")
    args = parser.parse_args(argv)
    if args.out is None:
        full = all(getattr(args, name) == parser.get_default(name)
                   for name in ("rows", "repeats", "workers", "threads"))
        args.out = HERE / "RESULTS.md" if full else HERE / "_cache" / "RESULTS_dask.md"
    args.out.parent.mkdir(parents=True, exist_ok=True)  # (before the run, not after it)
    section = run(args.rows, args.workers, args.threads, args.repeats)
    print(section)
    _write_section(args.out, section)
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
