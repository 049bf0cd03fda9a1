"""Scoring speed of the ONNX export against the libraries' own ``predict_proba``.

One command::

    python benchmarks/onnx_speed.py               # 100k rows, 3 repeats
    python benchmarks/onnx_speed.py --rows 20000  # a quick look

trains ``FocalXGBClassifier`` (depth 6) and ``FocalLGBMClassifier`` (31 leaves), 200
rounds each at learning rate 0.1, gamma 2, on 20k synthetic float32 rows with 20
features, binary and 3 classes, converts each with ``focal_boost.onnx.to_onnx`` and
times, on ``--rows`` fresh rows, the estimator's ``predict_proba`` (the library's margins
and the posterior correction in numpy) against one ``InferenceSession.run`` of the ONNX
model (onnxruntime, CPU, its default threads), best of ``--repeats`` after one untimed
call each. It prints a markdown table with the wall times, the agreement (max absolute
difference of the probabilities, and whether the labels are equal) and the machine's
load average.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import onnxruntime as ort
from perf import cpu_model
from sklearn.datasets import make_classification

from focal_boost import FocalLGBMClassifier, FocalXGBClassifier
from focal_boost.onnx import to_onnx


def best_time(fn, repeats: int) -> tuple[float, object]:
    out = fn()  # untimed
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"{args.rows} rows x 20 features, best of {args.repeats}; "
          f"{cpu_model()}, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print("| model | classes | `predict_proba` s | ONNX s | ONNX / library | max abs diff | "
          "labels equal |")
    print("|---|---|---|---|---|---|---|")
    for n_classes in (2, 3):
        X, y = make_classification(20_000 + args.rows, 20, n_informative=10,
                                   n_classes=n_classes, random_state=0)
        X = X.astype(np.float32)
        X_train, y_train, X_test = X[:20_000], y[:20_000], X[20_000:]
        for model in (FocalXGBClassifier(gamma=2.0, n_estimators=200, max_depth=6),
                      FocalLGBMClassifier(gamma=2.0, n_estimators=200, verbose=-1)):
            model.fit(X_train, y_train)
            session = ort.InferenceSession(to_onnx(model).SerializeToString(),
                                           providers=["CPUExecutionProvider"])
            t_lib, proba = best_time(lambda m=model, X=X_test: m.predict_proba(X), args.repeats)
            t_onnx, (label, onnx_proba) = best_time(
                lambda s=session, X=X_test: s.run(None, {"input": X}), args.repeats)
            diff = np.abs(onnx_proba - proba).max()
            same = bool((label == model.predict(X_test)).all())
            print(f"| {type(model).__name__} | {n_classes} | {t_lib:.3f} | {t_onnx:.3f} | "
                  f"{t_onnx / t_lib:.2f} | {diff:.1e} | {'yes' if same else 'no'} |")


if __name__ == "__main__":
    main()
