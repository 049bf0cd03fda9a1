"""Every ```python block of the README runs, in order, on small data."""

import re
from pathlib import Path

import pytest

pytest.importorskip("xgboost")
pytest.importorskip("lightgbm")
pytest.importorskip("sklearn")

README = Path(__file__).resolve().parents[1] / "README.md"


def _python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_readme_python_blocks_run():
    blocks = _python_blocks(README.read_text())
    assert len(blocks) >= 4
    namespace: dict = {}  # the blocks alone, in order, as a reader runs them
    for i, block in enumerate(blocks):
        try:
            exec(compile(block, f"README.md python block {i}", "exec"), namespace)
        except Exception as exc:  # name the block that broke
            raise AssertionError(f"README python block {i} failed:\n{block}") from exc


def test_readme_table_rows_are_one_line_each():
    # a Markdown table row continued on the next line ends the table there: the rest of
    # the row, and every row after it, rendered as a paragraph (two rows did)
    broken = [number for number, line in enumerate(README.read_text().splitlines(), 1)
              if line.startswith("|") and not line.rstrip().endswith("|")]
    assert broken == []
