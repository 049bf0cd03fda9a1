"""The core's modules import one way, and none of the libraries or the adapters.

Read from the source (every import statement, also inside functions), so that a lazy
import counts as much as one at the top.
"""

import ast
from pathlib import Path

import pytest

import focal_boost

PACKAGE = Path(focal_boost.__file__).parent

# Each core module and the focal_boost modules it may import: every module only
# imports modules listed before it.
LAYERS = {
    "_hessian": set(),
    "_posterior": set(),
    "_reference": set(),
    "_validation": {"_hessian", "_posterior"},
    "_conventions": {"_validation"},
    "_kernels": {"_conventions", "_hessian", "_validation"},
    "_intercept": {"_reference", "_validation"},
    "_loss": {"_conventions", "_hessian", "_intercept", "_kernels", "_posterior",
              "_reference", "_validation"},
    "__init__": {"_loss"},
}
FORBIDDEN = ("xgboost", "lightgbm", "sklearn", "pandas", "dask")
# focal_boost/__init__.py makes the estimators importable by name, lazily (PEP 562).
LAZY_ESTIMATORS = {"__init__": {"estimators"}}


def _imports(module: str) -> set[str]:
    """Every module named by an import statement of ``module`` (absolute names)."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{module}: relative import"
            names.add(node.module)
            if node.module == "focal_boost":  # from focal_boost import _x
                names.update(f"focal_boost.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("module", LAYERS)
def test_core_module_imports_only_lower_layers(module):
    names = _imports(module)
    own = {n.split(".")[1] for n in names if n.startswith("focal_boost.")}
    assert own <= LAYERS[module] | LAZY_ESTIMATORS.get(module, set()), own
    third_party = {n.split(".")[0] for n in names if not n.startswith("focal_boost")}
    assert not third_party & set(FORBIDDEN), third_party


def test_layers_are_ordered():
    order = list(LAYERS)
    for i, module in enumerate(order):
        assert LAYERS[module] <= set(order[:i]), module
