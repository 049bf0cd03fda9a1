"""The core imports with none of the optional libraries installed."""

import subprocess
import sys
import textwrap


def test_core_imports_without_optional_libraries():
    code = textwrap.dedent(
        """
        import sys
        for name in ("xgboost", "lightgbm", "sklearn", "dask"):
            sys.modules[name] = None  # makes `import name` raise ImportError
        import numpy as np
        import focal_boost
        grad, hess = focal_boost.focal_loss(2.0, 0.25)(np.array([0, 1]), np.array([0.5, -0.5]))
        assert np.isfinite(grad).all() and np.isfinite(hess).all()
        loaded = sorted(m for m in ("xgboost", "lightgbm", "sklearn", "dask")
                        if sys.modules.get(m) is not None)
        print("LOADED", loaded)
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert "LOADED []" in result.stdout
