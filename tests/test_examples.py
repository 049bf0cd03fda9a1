"""Every script in ``examples/`` runs offline in a fresh process and prints what it claims."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("xgboost")
pytest.importorskip("lightgbm")
pytest.importorskip("sklearn")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.py") if not p.name.startswith("_"))


def _numbers(pattern: str, text: str) -> list[float]:
    match = re.search(pattern, text)
    assert match, f"no line matching {pattern!r} in:\n{text}"
    return [float(g) for g in match.groups()]


def check_xgboost_native(out: str) -> None:
    intercept, prior = _numbers(r"intercept ([-+]\d\.\d+) \(prior log-odds ([-+]\d\.\d+)\)", out)
    assert prior < intercept < 0  # the focal-optimal start is not the prior log-odds
    first, best = _numbers(r"focal loss (\d\.\d+) after one round, (\d\.\d+) at the best", out)
    assert best < first
    (auc,) = _numbers(r"focal gamma=2 alpha=0.25: test PR-AUC \d\.\d+, ROC-AUC (\d\.\d+)", out)
    assert auc > 0.9


def check_lightgbm_native(out: str) -> None:
    with_, without = _numbers(r"after one tree: ([-+]\d\.\d+) with the intercept, "
                              r"([-+]\d\.\d+) without", out)
    assert with_ < -0.5 and abs(without) < 0.3
    assert len(re.findall(r"ROC-AUC 0\.9\d\d", out)) == 2


def check_sklearn_objective(out: str) -> None:
    assert "= sigmoid(margin): True" in out
    assert re.search(r"LGBMClassifier.predict_proba: shape \(\d+,\)", out)  # raw margins
    aucs = re.findall(r"ROC-AUC (\d\.\d+) \(same as of the margin: (\d\.\d+)\)", out)
    assert len(aucs) == 2 and all(a == b for a, b in aucs)
    assert re.search(r"FocalLGBMClassifier.predict_proba: shape \(\d+, 2\), rows sum to 1: "
                     r"True", out)


def check_pipeline_gridsearch(out: str) -> None:
    assert len(re.findall(r"^   gamma=\d\.\d  alpha=", out, re.M)) == 12
    best = re.findall(r"best gamma=(\d\.\d), alpha=(\S+): test PR-AUC (\d\.\d+)", out)
    assert len(best) == 2 and all(float(ap) > 0.85 for _, _, ap in best)


def check_multiclass_alpha(out: str) -> None:
    rows = re.findall(r"^\s+(none|balanced|dict: 3 for 7, 8, 9)\s+(\d\.\d\d) (\d\.\d\d) "
                      r"(\d\.\d\d)\s+(\d\.\d+)\s+(\d\.\d+)", out, re.M)
    assert [r[0] for r in rows] == ["none", "balanced", "dict: 3 for 7, 8, 9"]
    assert all(float(r[5]) > 0.9 for r in rows)  # macro PR-AUC
    weights = [float(w) for w in re.search(r"balanced weights per digit: \[(.*)\]", out)
               .group(1).split(",")]
    assert len(weights) == 10 and weights[9] > 3 * weights[0]


def check_calibrated_probabilities(out: str) -> None:
    for alpha in ("None", "0.25"):
        plain = _numbers(rf"alpha={alpha}\s+loss.inverse_link\s+(\d\.\d+)", out)[0]
        posterior = _numbers(rf"alpha={alpha}\s+loss.predict_proba\s+(\d\.\d+)", out)[0]
        logloss_model = _numbers(r"log-loss\s+sigmoid\s+(\d\.\d+)", out)[0]
        assert posterior < plain / 3 and posterior < 1.5 * logloss_model


def check_save_load(out: str) -> None:
    assert re.search(r"focal.json: \d+ kB, max \|margin difference\| after loading", out)
    assert "rows sum to 1: True" in out
    assert "identical predict_proba after loading: True" in out


def check_dask_train(out: str) -> None:
    rows = {name: (int(rounds), float(auc), float(mean)) for name, rounds, auc, mean in
            re.findall(r"^(Focal\w+)\s+(\d+)\s+(\d\.\d+)\s+(\d\.\d+)$", out, re.M)}
    (rate,) = _numbers(r"observed rate of y=1\s+(\d\.\d+)", out)
    for lib in ("XGB", "LGBM"):
        dask, local = rows[f"FocalDask{lib}Classifier"], rows[f"Focal{lib}Classifier"]
        assert dask[0] < 300 and dask[1] > 0.95 and abs(dask[1] - local[1]) < 0.01
        assert abs(dask[2] - local[2]) < 0.02 and abs(dask[2] - rate) < 0.02
    assert "same probabilities without dask: True" in out


def check_multilabel(out: str) -> None:
    assert re.search(r"n_outputs_ 8, predict_proba \(1500, 8\), predict \(1500, 8\)", out)
    rows = {name: [float(v) for v in values.split()] for name, values in re.findall(
        r"^(XGBClassifier \(log-loss\)|FocalXGBClassifier, plain sigmoid|"
        r"FocalXGBClassifier.predict_proba|MultiOutputClassifier\(FocalLGBMClassifier\))"
        r"\s+([\d. ]+)$", out, re.M)}
    assert len(rows) == 4
    plain, corrected = rows["FocalXGBClassifier, plain sigmoid"], rows[
        "FocalXGBClassifier.predict_proba"]
    assert plain[:2] == corrected[:2]  # the correction keeps each label's ranking
    assert corrected[2] < plain[2] and corrected[3] < plain[3]  # Brier, log-loss
    assert corrected[3] < 1.1 * rows["XGBClassifier (log-loss)"][3]
    assert all(r[0] > 0.85 for r in rows.values())  # ROC-AUC


def check_deploy_onnx(out: str) -> None:
    rows = re.findall(r"^(binary|10 classes) .*(Focal(?:XGB|LGBM)Classifier)\s+(\S+)\s+(\w+)$",
                      out, re.M)
    assert len(rows) == 4
    assert all(float(diff) < 1e-5 and same == "True" for _, _, diff, same in rows)
    assert "outputs: ['label', 'probabilities'], probabilities (290, 10)" in out


# Examples that need an optional extra: skipped where it is not installed.
REQUIRES = {"deploy_onnx.py": ("onnx", "onnxmltools", "onnxruntime")}

CHECKS = {name[len("check_"):] + ".py": f for name, f in globals().items()
          if name.startswith("check_")}


def test_every_example_has_a_check_and_a_readme_entry():
    assert sorted(p.name for p in EXAMPLES) == sorted(CHECKS)
    readme = (ROOT / "README.md").read_text()
    missing = [p.name for p in EXAMPLES if f"examples/{p.name}" not in readme]
    assert not missing, f"examples not listed in the README: {missing}"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(path, tmp_path):
    for module in REQUIRES.get(path.name, ()):
        pytest.importorskip(module)
    result = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                            cwd=tmp_path, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr, result.stderr
    assert list(tmp_path.iterdir()) == []  # writes nothing where it runs
    # no per-round log of the libraries between the lines it means to print (two
    # examples printed ~400 once train's verbose_eval defaulted to True, as xgb.train's)
    assert not re.search(r"^\[\d+\]\t", result.stdout, re.M), result.stdout[:500]
    CHECKS[path.name](result.stdout)
