"""Deploying focal models as ONNX: the posterior correction travels inside the model.

focal_boost.onnx.to_onnx converts the trees with onnxmltools and appends the intercept
and the posterior correction as ONNX operators, so onnxruntime returns the estimator's
predict_proba (the recovered class posterior, not the plain sigmoid / softmax of the
margins) and predict, with no focal_boost, XGBoost or LightGBM where the model is served.

Run: python examples/deploy_onnx.py   (needs the extra focal-boost[onnx])
"""

import tempfile
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from _data import breast_cancer_rare, digits_imbalanced
from sklearn.model_selection import train_test_split

from focal_boost import FocalLGBMClassifier, FocalXGBClassifier
from focal_boost.onnx import to_onnx

workdir = tempfile.TemporaryDirectory()  # removed at the end
folder = Path(workdir.name)

tasks = {"binary (breast cancer, 1 in 10 malignant)": breast_cancer_rare(),
         "10 classes (imbalanced digits)": digits_imbalanced()}
print(f"{'task':<42} {'model':<20} {'max |proba - predict_proba|':>28} {'labels equal':>13}")
for task, (X, y) in tasks.items():
    X = X.astype(np.float32)  # ONNX tree ensembles take float32 features
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y,
                                                        random_state=0)
    for model in (FocalXGBClassifier(gamma=2.0, alpha=0.25 if len(set(y)) == 2 else None,
                                     n_estimators=100, max_depth=4, n_jobs=1),
                  FocalLGBMClassifier(gamma=2.0, n_estimators=100, num_leaves=15,
                                      n_jobs=1, verbose=-1)):
        model.fit(X_train, y_train)
        path = folder / f"{type(model).__name__}.onnx"
        onnx.save(to_onnx(model), path)

        # Scoring side: onnxruntime only.
        session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        label, proba = session.run(["label", "probabilities"], {"input": X_test})

        diff = np.abs(proba - model.predict_proba(X_test)).max()
        same = bool((label == model.predict(X_test)).all())
        print(f"{task:<42} {type(model).__name__:<20} {diff:>28.1e} {str(same):>13}")

print(f"outputs: {[o.name for o in session.get_outputs()]}, probabilities {proba.shape}, "
      f"rows sum to 1: {bool(np.allclose(proba.sum(axis=1), 1, atol=1e-6))}")
workdir.cleanup()
