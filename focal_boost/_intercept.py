"""The intercept rule: where boosting starts (placeholder until the core split lands)."""

from __future__ import annotations

import numpy as np


def intercept(init_score, loss, n_outputs: int, *, y_true=None, sample_weight=None,
              multilabel: bool = False) -> np.ndarray:
    if isinstance(init_score, str):
        if init_score != "auto":
            raise ValueError(
                f"init_score must be 'auto', None, a number or an array, got {init_score!r}")
        if y_true is None:
            raise ValueError("init_score='auto' needs the training labels")
        if multilabel:
            return np.asarray(loss.init_score(y_true, sample_weight), dtype=np.float64)
        c = loss.init_score(y_true, sample_weight, n_classes=max(n_outputs, 2))
        if n_outputs == 2:
            c = np.array([-0.5 * c, 0.5 * c])
        return np.atleast_1d(np.asarray(c, dtype=np.float64))
    if init_score is None:
        return np.zeros(n_outputs)
    if isinstance(init_score, bool):
        raise TypeError("init_score must be 'auto', None, a number or an array, got bool")
    try:
        value = np.asarray(init_score, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError("init_score must be 'auto', None, a number or an array of numbers, "
                        f"got {type(init_score).__name__}") from None
    if value.ndim == 0:
        value = np.full(n_outputs, float(value))
    if value.shape != (n_outputs,):
        want = "a number" if n_outputs == 1 else f"a number or shape ({n_outputs},)"
        raise ValueError(f"init_score must be {want}, got shape {value.shape}")
    if not np.isfinite(value).all():
        raise ValueError("init_score must be finite")
    return value
