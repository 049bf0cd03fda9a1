"""Every ```python block of the README runs, in order, on small data."""

import re
from pathlib import Path

import pytest

pytest.importorskip("xgboost")
pytest.importorskip("lightgbm")
pytest.importorskip("sklearn")

README = Path(__file__).resolve().parents[1] / "README.md"
PRELUDE = """
import numpy as np
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from focal_boost import focal_loss
X, y = make_classification(1500, 8, n_informative=4, weights=[0.9], random_state=0)
X_train, X_rest, y_train, y_rest = train_test_split(X, y, test_size=0.4, random_state=0)
X_valid, X_test, y_valid, y_test = train_test_split(X_rest, y_rest, test_size=0.5,
                                                    random_state=0)
w_train = np.ones(len(y_train))
loss = focal_loss(2.0, 0.25)
"""


def _python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_readme_python_blocks_run():
    blocks = _python_blocks(README.read_text())
    assert len(blocks) >= 4
    namespace: dict = {}
    exec(PRELUDE, namespace)
    for i, block in enumerate(blocks):
        try:
            exec(compile(block, f"README.md python block {i}", "exec"), namespace)
        except Exception as exc:  # name the block that broke
            raise AssertionError(f"README python block {i} failed:\n{block}") from exc
