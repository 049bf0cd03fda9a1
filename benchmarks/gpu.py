"""The focal estimators on a GPU, side by side with the plain classifiers there.

One command, on a machine with an NVIDIA GPU and XGBoost's CUDA build (the Linux wheels
are) and LightGBM's OpenCL build (its Linux wheels; an OpenCL driver for the GPU must be
installed)::

    python benchmarks/gpu.py                  # 1M x 20 rows, 3 repeats
    python benchmarks/gpu.py --device cpu --rows 50000 --repeats 1   # a dry run without a GPU

prints a markdown report and writes it to ``benchmarks/GPU.md`` (``--out``):

1. Agreement: at gamma 0 the focal estimators are the plain classifiers'
   log-loss models, on the GPU as on the CPU (max |difference| of held-out
   probabilities: XGBoost binary and 3 classes, LightGBM binary); and how far a GPU
   fit is from a CPU fit, for ours (gamma 2) and for the plain classifiers (the
   libraries' GPU and CPU histograms split differently), with held-out log-loss.
2. Training time: ``FocalXGBClassifier(device="cuda")`` against
   ``XGBClassifier(device="cuda")`` without and with an eval set scored every round,
   ``focal_boost.xgboost.train`` against ``xgb.train`` with ``binary:logistic`` (both
   ``device="cuda"``), and ``FocalLGBMClassifier(device_type="gpu")`` against
   ``LGBMClassifier(device_type="gpu")`` with an eval set; binary, float32 X (80% train,
   20% eval), 200 rounds, defaults otherwise, medians of ``--repeats`` side-by-side
   repeats after one warm-up fit of each. The focal gradients are computed on the CPU
   every round (the margins come to the host and the gradients go back), so the ratio
   is far above the CPU's: the report gives the time of one loss call on the training
   rows too.
"""

from __future__ import annotations

import argparse
import datetime
import subprocess
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.datasets import make_classification
from sklearn.metrics import log_loss

HERE = Path(__file__).resolve().parent


def _data(n: int, n_classes: int = 2, seed: int = 0):
    weights = [0.9] if n_classes == 2 else [0.7, 0.2]
    X, y = make_classification(n, 20, n_informative=8, n_classes=n_classes, weights=weights,
                               random_state=seed)
    cut = int(0.8 * n)
    X = X.astype(np.float32)
    return X[:cut], y[:cut], X[cut:], y[cut:]


def _gap(a, b) -> str:
    d = np.abs(np.asarray(a) - np.asarray(b))
    return f"{d.max():.2g} (mean {d.mean():.2g})"


def agreement(device: str, lgb_device: str, rows: int) -> str:
    import lightgbm as lgb
    import xgboost as xgb

    from focal_boost import FocalLGBMClassifier, FocalXGBClassifier

    Xt, yt, Xv, yv = _data(rows)
    X3, y3, X3v, _ = _data(rows // 2, 3, seed=1)
    lines = ["| comparison | max abs difference of P (mean) | held-out log-loss |",
             "|---|---:|---:|"]

    def row(name, a, b, ll=""):
        lines.append(f"| {name} | {_gap(a, b)} | {ll} |")
        print(lines[-1], flush=True)

    p = xgb.XGBClassifier(device=device).fit(Xt, yt).predict_proba(Xv)
    f = FocalXGBClassifier(gamma=0, device=device).fit(Xt, yt).predict_proba(Xv)
    row("XGBoost binary, gamma 0 / XGBClassifier, both on the device", f, p,
        f"{log_loss(yv, f):.5f} / {log_loss(yv, p):.5f}")
    p = xgb.XGBClassifier(device=device).fit(X3, y3).predict_proba(X3v)
    f = FocalXGBClassifier(gamma=0, device=device).fit(X3, y3).predict_proba(X3v)
    row("XGBoost 3 classes, gamma 0 / XGBClassifier, both on the device", f, p)
    pc = xgb.XGBClassifier(device="cpu").fit(Xt, yt).predict_proba(Xv)
    pd_ = xgb.XGBClassifier(device=device).fit(Xt, yt).predict_proba(Xv)
    row("XGBClassifier, device / CPU", pd_, pc,
        f"{log_loss(yv, pd_):.5f} / {log_loss(yv, pc):.5f}")
    fc = FocalXGBClassifier(device="cpu").fit(Xt, yt).predict_proba(Xv)
    fd = FocalXGBClassifier(device=device).fit(Xt, yt).predict_proba(Xv)
    row("FocalXGBClassifier gamma 2, device / CPU", fd, fc,
        f"{log_loss(yv, fd):.5f} / {log_loss(yv, fc):.5f}")
    kw = {"device_type": lgb_device, "verbose": -1}
    p = lgb.LGBMClassifier(**kw).fit(Xt, yt).predict_proba(Xv)
    f = FocalLGBMClassifier(gamma=0, **kw).fit(Xt, yt).predict_proba(Xv)
    row("LightGBM binary, gamma 0 / LGBMClassifier, both on the device", f, p,
        f"{log_loss(yv, f):.5f} / {log_loss(yv, p):.5f}")
    fc = FocalLGBMClassifier(verbose=-1).fit(Xt, yt).predict_proba(Xv)
    fd = FocalLGBMClassifier(**kw).fit(Xt, yt).predict_proba(Xv)
    row("FocalLGBMClassifier gamma 2, device / CPU", fd, fc,
        f"{log_loss(yv, fd):.5f} / {log_loss(yv, fc):.5f}")
    return "\n".join(lines)


def _timed(fit) -> float:
    start = time.perf_counter()
    fit()
    return time.perf_counter() - start


def training(device: str, lgb_device: str, rows: int, repeats: int) -> str:
    import lightgbm as lgb
    import xgboost as xgb

    from focal_boost import FocalLGBMClassifier, FocalXGBClassifier, focal_loss
    from focal_boost import xgboost as fxgb

    Xt, yt, Xv, yv = _data(rows, seed=2)
    ev = [(Xv, yv)]
    xkw = {"device": device, "n_estimators": 200}
    lkw = {"device_type": lgb_device, "n_estimators": 200, "verbose": -1}
    dtrain = xgb.QuantileDMatrix(Xt, label=yt)
    pairs = {
        "XGBoost estimator, no eval set": (
            lambda: xgb.XGBClassifier(**xkw).fit(Xt, yt),
            lambda: FocalXGBClassifier(**xkw).fit(Xt, yt)),
        "XGBoost estimator, eval set": (
            lambda: xgb.XGBClassifier(**xkw).fit(Xt, yt, eval_set=ev, verbose=False),
            lambda: FocalXGBClassifier(**xkw).fit(Xt, yt, eval_set=ev, verbose=False)),
        "XGBoost native train": (
            lambda: xgb.train({"device": device, "objective": "binary:logistic"}, dtrain, 200),
            lambda: fxgb.train({"device": device}, dtrain, focal_loss(2), 200,
                               verbose_eval=False)),
        "LightGBM estimator, eval set": (
            lambda: lgb.LGBMClassifier(**lkw).fit(Xt, yt, eval_set=ev),
            lambda: FocalLGBMClassifier(**lkw).fit(Xt, yt, eval_set=ev)),
    }
    lines = ["| setting | plain (s) | focal (s) | focal / plain |", "|---|---:|---:|---:|"]
    for name, (plain, focal) in pairs.items():
        plain(), focal()  # warm-up: kernels compiled, device initialised
        times = {"plain": [], "focal": []}
        for _ in range(repeats):
            times["plain"].append(_timed(plain))
            times["focal"].append(_timed(focal))
        ratio = np.median(np.divide(times["focal"], times["plain"]))
        lines.append(f"| {name} | {np.median(times['plain']):.2f} | "
                     f"{np.median(times['focal']):.2f} | {ratio:.2f}x |")
        print(lines[-1], flush=True)
    loss = focal_loss(2)
    margins = np.random.default_rng(0).normal(size=len(yt))
    loss(yt, margins)
    per_call = np.median([_timed(lambda: loss(yt, margins)) for _ in range(10)])
    lines.append("")
    lines.append(f"One focal loss call on the {len(yt)} training rows (the CPU's part of a "
                 f"round): {per_call * 1e3:.1f} ms.")
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cuda", help="XGBoost's device (cpu: a dry run)")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "GPU.md")
    args = parser.parse_args(argv)
    import lightgbm as lgb
    import xgboost as xgb
    from perf import machine_yardstick

    lgb_device = "cpu" if args.device == "cpu" else "gpu"
    try:
        gpu = subprocess.run(["nvidia-smi", "-L"], capture_output=True, text=True,
                             timeout=30).stdout.strip() or "none found"
    except (OSError, subprocess.SubprocessError):
        gpu = "none found"
    warnings.filterwarnings("ignore", message=".*mismatched devices.*")
    head = [f"# The focal estimators on a GPU ({datetime.date.today()})", "",
            f"GPU: {gpu}. {machine_yardstick()} xgboost {xgb.__version__}, "
            f"lightgbm {lgb.__version__}; XGBoost device {args.device!r}, LightGBM "
            f"device_type {lgb_device!r}. `python benchmarks/gpu.py --rows {args.rows} "
            f"--repeats {args.repeats}`.", ""]
    agree = agreement(args.device, lgb_device, args.rows // 5)
    train = training(args.device, lgb_device, args.rows, args.repeats)
    text = "\n".join([*head, f"## 1. Agreement ({args.rows // 5} rows, 20% held out)", "",
                      agree, "", f"## 2. Training time ({args.rows} rows x 20, 200 rounds)",
                      "", train, ""])
    print(text)
    args.out.write_text(text)


if __name__ == "__main__":
    main()
