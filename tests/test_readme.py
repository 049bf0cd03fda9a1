"""Every ```python block of the README runs, in order, on small data."""

import importlib.util
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
    try:
        import shap  # noqa: F401
    except ImportError:  # (on Python 3.10 [all] installs without it: the README says so)
        shap = None
    for i, block in enumerate(blocks):
        if shap is None and re.search(r"\bshap\b", block):
            continue
        # (the ONNX blocks need the [onnx] extra, which [tests] alone does not install)
        if re.search(r"^import onnxruntime", block, re.M) and importlib.util.find_spec(
                "onnxruntime") is None:
            continue
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


def _slug(heading: str) -> str:
    """A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces as
    hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_readme_links_within_it_reach_a_heading():
    # the contents list (and any link to a section) must name a heading that exists
    # (a "# comment" in a code block is no heading)
    text = re.sub(r"^```.*?^```", "", README.read_text(), flags=re.S | re.M)
    anchors = {_slug(h) for h in re.findall(r"^#{1,6} (.+)$", text, flags=re.M)}
    links = re.findall(r"\]\(#([^)]+)\)", text)
    assert len(links) >= 10
    assert [link for link in links if link not in anchors] == []
    # every section is in the contents list
    assert {_slug(h) for h in re.findall(r"^## (.+)$", text, flags=re.M)} <= set(links)
