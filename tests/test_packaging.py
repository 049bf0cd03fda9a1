"""Packaging: the core imports with none of the optional libraries installed; the
docstring examples run as written."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest


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
        # every public name is listed (tab completion); without scikit-learn the
        # estimators are not public names, so a star import and inspect.getmembers
        # work (they raised the estimators' ImportError), and naming one says what
        # to install
        assert set(focal_boost.__all__) <= set(dir(focal_boost))
        assert "FocalXGBClassifier" not in focal_boost.__all__
        namespace = {}
        exec("from focal_boost import *", namespace)
        assert "focal_loss" in namespace
        import inspect
        inspect.getmembers(focal_boost)
        try:
            from focal_boost import FocalXGBClassifier
        except ImportError as exc:
            assert "focal-boost[sklearn,xgboost]" in str(exc)
        else:
            raise AssertionError("imported without scikit-learn")
        loaded = sorted(m for m in ("xgboost", "lightgbm", "sklearn", "dask")
                        if sys.modules.get(m) is not None)
        print("LOADED", loaded)
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert "LOADED []" in result.stdout



def test_docstring_examples_run_as_written():
    # the examples are the API reference's first lines; one printed XGBoost's round log
    # its shown output lacked (verbose_eval left at xgb.train's default)
    import doctest
    import importlib

    import pytest

    for name in ("xgboost", "lightgbm", "sklearn"):
        pytest.importorskip(name)
    package = Path(__file__).resolve().parents[1] / "focal_boost"
    modules = sorted(f"focal_boost.{path.stem}" for path in package.glob("*.py")
                     if ">>>" in path.read_text(encoding="utf-8"))
    assert len(modules) >= 4
    for name in modules:
        result = doctest.testmod(importlib.import_module(name),
                                 optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        assert result.attempted > 0 and result.failed == 0, name


def test_estimators_without_their_library_name_the_extra_to_install(tmp_path):
    # FocalXGBClassifier.fit / load_model raised a bare "No module named 'xgboost'" where
    # FocalLGBMClassifier named its extra
    code = textwrap.dedent(
        """
        import sys
        sys.modules["xgboost"] = sys.modules["lightgbm"] = None
        import numpy as np
        from focal_boost import FocalLGBMClassifier, FocalXGBClassifier
        X, y = np.random.default_rng(0).normal(size=(40, 2)), np.arange(40) % 2
        for call in (lambda: FocalXGBClassifier().fit(X, y),
                     lambda: FocalXGBClassifier().load_model("m.json"),
                     lambda: FocalLGBMClassifier().fit(X, y)):
            try:
                call()
            except ImportError as exc:
                print("ERR", exc)
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    errors = [line for line in result.stdout.splitlines() if line.startswith("ERR")]
    assert len(errors) == 3, result.stdout
    assert sum("pip install 'focal-boost[xgboost]'" in line for line in errors) == 2
    assert "pip install 'focal-boost[lightgbm]'" in errors[2]


def test_estimators_work_on_arrays_without_pandas(tmp_path):
    # [xgboost,sklearn] installs no pandas: FocalXGBClassifier fitted, then every
    # predict raised "No module named 'pandas'" (the category check imported it first)
    code = textwrap.dedent(
        """
        import pickle, sys

        class NoPandas:  # as if not installed (scikit-learn reads sys.modules["pandas"])
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] == "pandas":
                    raise ModuleNotFoundError("No module named 'pandas'")

        sys.meta_path.insert(0, NoPandas())
        import numpy as np
        import scipy.sparse
        from focal_boost import FocalLGBMClassifier, FocalXGBClassifier
        rng = np.random.default_rng(0)
        X = rng.normal(size=(120, 3))
        y = np.array(["no", "yes", "maybe"])[(X[:, 0] > 0).astype(int) + (X[:, 1] > 1)]
        for cls, more in ((FocalXGBClassifier, "xgb_model"),
                          (FocalLGBMClassifier, "init_model")):
            for labels in (y, y == "no"):
                clf = cls(n_estimators=3, early_stopping_rounds=2).fit(
                    X, labels, eval_set=[(X[:40], labels[:40])])
                p = clf.predict_proba(X)
                assert np.allclose(p.sum(axis=1), 1.0)
                assert (clf.predict(X) == clf.classes_[p.argmax(axis=1)]).all()
                clf.decision_function(X)
                clf.score(X, labels)
                copy = pickle.loads(pickle.dumps(clf))
                assert np.array_equal(copy.predict_proba(X), p)
                cls(n_estimators=2).fit(X, labels, **{more: clf}).predict_proba(X)
                cls(n_estimators=2).fit(scipy.sparse.csr_matrix(X), labels).predict(X)
            if cls is FocalXGBClassifier:
                clf.save_model("model.json")
        loaded = FocalXGBClassifier()
        loaded.load_model("model.json")
        loaded.predict_proba(X)
        assert "pandas" not in sys.modules
        print("OK")
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("OK")


def test_exports_and_dask_without_their_packages_name_the_extra_to_install(tmp_path):
    # to_onnx / to_treelite raised a bare "No module named 'onnxmltools'" ('treelite'),
    # focal_boost.dask without scikit-learn "No module named 'sklearn'"
    code = textwrap.dedent(
        """
        import sys
        for name in ("onnx", "onnxmltools", "treelite"):
            sys.modules[name] = None
        import numpy as np
        from focal_boost import focal_loss
        from focal_boost.onnx import to_onnx
        from focal_boost.treelite import to_treelite
        for call in (lambda: to_onnx(object(), focal_loss()), lambda: to_treelite(object())):
            try:
                call()
            except ImportError as exc:
                print("ERR", exc)
        sys.modules["sklearn"] = None
        for name in [m for m in sys.modules if m.startswith("sklearn.")]:
            sys.modules[name] = None
        try:
            import focal_boost.dask
        except ImportError as exc:
            print("ERR", exc)
        from focal_boost import metrics  # the core's metrics: scikit-learn for some
        print("focal", metrics.brier([0, 1], [0.2, 0.8]) > 0)
        try:
            metrics.roc_auc([0, 1], [0.2, 0.8])
        except ImportError as exc:
            print("ERR", exc)
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr
    errors = [line for line in result.stdout.splitlines() if line.startswith("ERR")]
    assert len(errors) == 4, result.stdout
    for error, extra in zip(errors, ("onnx", "treelite", "dask", "sklearn"), strict=True):
        assert f"pip install 'focal-boost[{extra}]'" in error, error


def test_dask_xgboost_without_xgboost_names_the_extra_to_install():
    # the twin of the in-memory estimator's message: a bare "import of xgboost halted"
    code = textwrap.dedent(
        """
        import sys
        sys.modules["xgboost"] = None
        import numpy as np, dask.array as da
        from dask.distributed import Client, LocalCluster
        from focal_boost.dask import FocalDaskXGBClassifier
        X, y = np.random.default_rng(0).normal(size=(40, 2)), np.arange(40) % 2
        with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as c, \\
                Client(c):
            try:
                FocalDaskXGBClassifier(n_estimators=2).fit(da.from_array(X, 20),
                                                           da.from_array(y, 20))
            except ImportError as exc:
                print("ERR", exc)
        """
    )
    import pytest

    pytest.importorskip("distributed")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "ERR focal_boost.xgboost needs XGBoost" in result.stdout, result.stdout
    assert "pip install 'focal-boost[xgboost]'" in result.stdout


def test_source_distribution_holds_what_the_tests_read(tmp_path):
    # the sdist held the tests but not conftest.py (10 modules stopped at collection),
    # the examples and notebooks the tests run, nor the license the metadata names
    import tarfile

    root = Path(__file__).resolve().parents[1]
    build = subprocess.run(
        [sys.executable, "-c", "import sys; from setuptools import build_meta; "
         "print(build_meta.build_sdist(sys.argv[1]))", str(tmp_path)],
        cwd=root, capture_output=True, text=True, check=False)
    assert build.returncode == 0, build.stderr[-2000:]
    name = build.stdout.strip().splitlines()[-1]
    with tarfile.open(tmp_path / name) as sdist:
        members = {m.split("/", 1)[1] for m in sdist.getnames() if "/" in m}
        pkg_info = sdist.extractfile(f"{name.removesuffix('.tar.gz')}/PKG-INFO").read().decode()
    tracked = {p.relative_to(root).as_posix() for folder in ("examples", "notebooks")
               for p in (root / folder).iterdir() if p.suffix in (".py", ".ipynb")}
    assert {"LICENSE", "README.md", "tests/conftest.py", "benchmarks/quality.py"} <= members
    assert tracked and tracked <= members
    assert not any(m.endswith(".pyc") or "/_cache/" in m for m in members)
    import focal_boost

    assert f"\nVersion: {focal_boost.__version__}\n" in pkg_info
    assert "\nLicense-Expression: MIT\n" in pkg_info and "\nLicense-File: LICENSE\n" in pkg_info


def test_the_package_declares_its_type_hints():
    # PEP 561: without py.typed in the installed package, users' type checkers skip
    # focal_boost ("missing library stubs or py.typed marker") and see every name as Any
    import focal_boost

    assert (Path(focal_boost.__file__).parent / "py.typed").is_file()
    pyproject = (Path(__file__).parents[1] / "pyproject.toml").read_text()
    assert '[tool.setuptools.package-data]\nfocal_boost = ["py.typed"]' in pyproject


def test_type_hints_cover_the_documented_forms():
    # What a user's type checker reads: the estimators by their own types where the
    # README imports them (from focal_boost, lazily at run time), and the metrics'
    # second, scikit-learn form (f(y_true, margin) -> value) beside the native one.
    import ast
    import typing

    import numpy as np
    import numpy.typing as npt
    import xgboost as xgb

    import focal_boost
    from focal_boost import lightgbm as flgb
    from focal_boost import metrics
    from focal_boost import xgboost as fxgb

    tree = ast.parse(Path(focal_boost.__file__).read_text())
    checked = {alias.asname or alias.name
               for node in ast.walk(tree) if isinstance(node, ast.If)
               and getattr(node.test, "id", None) == "TYPE_CHECKING"
               for stmt in node.body if isinstance(stmt, ast.ImportFrom)
               for alias in stmt.names}
    assert checked == set(focal_boost._ESTIMATORS)

    if sys.version_info >= (3, 11):  # typing.get_overloads is new in 3.11
        xgb_forms = [typing.get_type_hints(f, {"xgb": xgb, "np": np, **vars(fxgb)})
                     for f in typing.get_overloads(fxgb._Metric.__call__)]
        assert [forms["return"] for forms in xgb_forms] == [tuple[str, float], float]
    assert typing.get_type_hints(fxgb.metric)["return"] is fxgb._Metric

    lgb_hints = typing.get_type_hints(flgb._Metric.__call__, vars(flgb))
    assert lgb_hints["preds"] == np.ndarray | None  # LightGBM's scikit-learn form: labels
    assert typing.get_type_hints(flgb.metric)["return"] is flgb._Metric

    # cross_val_score's array of fold scores, not only a list
    assert (typing.get_type_hints(metrics.fold_mean_std, vars(metrics))["values"]
            == npt.ArrayLike)


def test_perf_report_header_records_the_command_as_run(tmp_path, monkeypatch):
    # every option as run, quoted, so that the report's command runs the same again
    import importlib.util

    pytest.importorskip("xgboost")
    pytest.importorskip("lightgbm")
    spec = importlib.util.spec_from_file_location(
        "_perf_under_test", Path(__file__).resolve().parents[1] / "benchmarks" / "perf.py")
    perf = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "_perf_under_test", perf)
    spec.loader.exec_module(perf)
    monkeypatch.setattr(perf, "machine_yardstick", lambda: "Machine.")
    monkeypatch.setattr(perf, "kernel_section", lambda *a, **k: (None, "TABLE"))
    monkeypatch.setattr(sys, "argv", ["perf.py", "--what-sys-argv-says"])
    monkeypatch.delenv("FOCAL_BOOST_NUM_THREADS", raising=False)
    out = tmp_path / "a report.md"
    perf.main(["--sections", "kernel", "--threads", "1", "--out", str(out)])
    header = out.read_text().splitlines()[2]
    assert (f"; `python benchmarks/perf.py --sections kernel --threads 1 --out "
            f"'{out}'`; Machine. ") in header, header
