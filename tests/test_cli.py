"""The command line, ``python -m focal_boost`` / ``focal-boost``.

Most runs are in-process (``cli.main`` / ``cli.run``) on small data with few folds and
rounds; a few go through a real subprocess for the exit code, the entry points and
the start-up imports.
"""

from __future__ import annotations

import ast
import json
import os
import pickle
import re
import signal
import subprocess
import sys
import threading
import unicodedata
from importlib.metadata import entry_points
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("xgboost")
pytest.importorskip("lightgbm")
pytest.importorskip("sklearn")
pd = pytest.importorskip("pandas")

from conftest import raw_margins  # noqa: E402

from focal_boost import cli, metrics  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FAST = ["-q", "--folds", "3", "--n-estimators", "25", "--n-jobs", "1"]
METRIC_KEYS = ["pr_auc", "roc_auc", "log_loss", "brier", "ece"]


def _binary_frame(n=400, minority="yes", majority="no", seed=0):
    from sklearn.datasets import make_classification

    X, y = make_classification(n, 5, n_informative=3, weights=[0.85], flip_y=0.02,
                               random_state=seed)
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(5)])
    frame.loc[::9, "x1"] = np.nan  # missing values pass through to the boosters
    frame["label"] = np.where(y == 1, minority, majority)
    return frame


@pytest.fixture
def binary_csv(tmp_path):
    path = tmp_path / "binary.csv"
    _binary_frame().to_csv(path, index=False)
    return path


@pytest.fixture
def wine_csv(tmp_path):
    from sklearn.datasets import load_wine

    frame = load_wine(as_frame=True).frame
    frame["target"] = frame["target"].map({0: "barolo", 1: "grignolino", 2: "barbera"})
    path = tmp_path / "wine.csv"
    frame.to_csv(path, index=False)
    return path


def _check_rows(rows, libraries=("xgboost", "lightgbm")):
    assert [(r["library"], r["model"]) for r in rows] == [
        (lib, model) for lib in libraries for model in ("log-loss", "focal")]
    for r in rows:
        for key in METRIC_KEYS:
            assert r[f"{key}_std"] >= 0
        assert 0 <= r["pr_auc_mean"] <= 1 and 0.5 < r["roc_auc_mean"] <= 1
        assert 0 < r["log_loss_mean"] < np.log(2)  # better than a coin
        assert 0 <= r["ece_mean"] < 0.5 and r["fit_seconds_mean"] > 0
        assert 1 <= r["rounds_mean"] <= 25
        if r["model"] == "log-loss":
            assert r["gamma"] is None and r["alpha"] is None


# --------------------------------------------------------------------- main job
def test_default_run_bundled_digits(tmp_path, capsys):
    out = tmp_path / "table.json"
    assert cli.main([*FAST, "--output", str(out)]) == 0
    stdout, stderr = capsys.readouterr()
    # -q: warnings only, here that 25 rounds were too few (the default is 500)
    assert all(re.fullmatch(r"focal-boost: warning: \S+ \S+: early stopping kept all 25 "
                            r"rounds in \d of 3 folds: .* raise --n-estimators", line)
               for line in stderr.splitlines()), stderr
    assert "digits" in stdout and "digit 8" in stdout
    assert re.search(r"^xgboost\s+focal\s+2\s+none\s+0\.\d{3} ± 0\.\d{3}", stdout, re.M)
    assert stdout.endswith(f"\nwrote {out}\n")  # the last line ends as a line
    report = json.loads(out.read_text())
    rows = report["results"]
    _check_rows(rows)
    # the label itself, as in "classes" (was its repr, "'8'", which matched no class)
    assert report["settings"]["positive_class"] == "8" in report["settings"]["classes"]
    assert report["settings"]["folds"] == 3
    # Digit 8 against the rest is easy for every model: a broken pipeline is not.
    assert min(r["roc_auc_mean"] for r in rows) > 0.95
    assert all(r["gamma"] == 2.0 and r["alpha"] == "none" and r["gamma_per_fold"] == [2.0] * 3
               for r in rows if r["model"] == "focal")


@pytest.mark.parametrize(("name", "value"), [("FOCAL_BOOST_NUM_THREADS", "two"),
                                           ("FOCAL_BOOST_KERNELS", "numbo")])
def test_bad_package_settings_in_the_environment_are_the_commands_error(
        binary_csv, capsys, monkeypatch, name, value):
    # refused before any work, as one line naming the variable (the first fit raised
    # with a traceback), by the main job and by predict
    monkeypatch.setenv(name, value)
    assert cli.main([str(binary_csv), "--target", "label", *FAST]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"focal-boost: error: {name}") and len(err.splitlines()) == 1
    assert cli.main(["predict", str(binary_csv.with_suffix(".pkl")), str(binary_csv)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"focal-boost: error: {name}") and len(err.splitlines()) == 1


def test_progress_on_stderr(binary_csv, capsys):
    args = [str(binary_csv), "--target", "label", "--library", "lightgbm", "--folds", "2",
            "--n-estimators", "5", "--n-jobs", "1"]
    assert cli.main(args) == 0
    # (5 rounds: early stopping may keep them all, which is warned about in the same stream)
    lines = [line for line in capsys.readouterr().err.splitlines()
             if "early stopping kept all 5 rounds" not in line]
    assert lines[0] == f"read {binary_csv} (separator comma): 400 rows, 6 columns"
    assert lines[1].startswith("warm-up fit of every model on fold 1")
    fits = [re.fullmatch(rf"lightgbm {model} fold {i}/2: \d+\.\d s, \d+ rounds; about "
                         rf"\d+ (s|min) left", line)
            for line, (model, i) in zip(lines[2:], [(m, i) for m in ("log-loss", "focal")
                                                    for i in (1, 2)], strict=True)]
    assert all(fits), lines
    assert lines[-1].endswith("about 0 s left")
    assert cli.main([*args, "-q"]) == 0
    assert all("early stopping kept all 5 rounds" in line
               for line in capsys.readouterr().err.splitlines())


def test_csv_binary_string_labels_missing_values(binary_csv, tmp_path, capsys):
    out = tmp_path / "table.csv"
    assert cli.main([str(binary_csv), "--target", "label", *FAST, "--output", str(out)]) == 0
    stdout = capsys.readouterr().out
    assert "positive class 'yes'" in stdout  # the minority class, whatever its name
    table = pd.read_csv(out)
    assert list(table.columns[:4]) == ["library", "model", "gamma", "alpha"]
    assert {f"{k}_{s}" for k in METRIC_KEYS for s in ("mean", "std")} <= set(table.columns)
    rows = table.to_dict("records")
    for r in rows:  # CSV: empty cells for the log-loss rows
        r["gamma"] = None if pd.isna(r["gamma"]) else r["gamma"]
        r["alpha"] = None if pd.isna(r["alpha"]) else r["alpha"]
    _check_rows(rows)
    assert table["gamma_per_fold"].tolist()[1] == "2 2 2"


def test_multiclass_gamma_auto_balanced(wine_csv, tmp_path, capsys):
    out = tmp_path / "table.json"
    argv = [str(wine_csv), "--target", "target", *FAST, "--gamma", "auto", "--alpha",
            "balanced", "--output", str(out)]
    assert cli.main(argv) == 0
    stdout = capsys.readouterr().out
    report = json.loads(out.read_text())
    _check_rows(report["results"])
    assert report["settings"]["classes"] == ["barbera", "barolo", "grignolino"]
    assert report["settings"]["positive_class"] is None
    grid = [f"{g:g}" for g in cli.GAMMA_GRID]
    assert "0" in grid
    for library in ("xgboost", "lightgbm"):
        search = report["settings"]["gamma_search"][library]
        assert list(search) == grid and all(0 < v < 1 for v in search.values())
        focal = next(r for r in report["results"]
                     if r["library"] == library and r["model"] == "focal")
        assert focal["alpha"] == "balanced"
        assert len(focal["gamma_per_fold"]) == 3
        assert set(focal["gamma_per_fold"]) <= set(cli.GAMMA_GRID)
        # the refit gamma is the one with the lowest mean validation log-loss
        assert f"{focal['gamma']:g}" == min(search, key=search.get)
        assert f"{library} --gamma auto: mean validation log-loss by gamma" in stdout
    assert "macro" in stdout and "class-wise" in stdout
    # each label with its count, which integer labels made hard to tell apart ("1 4913")
    assert "classes 'barbera': 48, 'barolo': 59, 'grignolino': 71" in stdout


@pytest.mark.parametrize("labels", [("yes", "no"), ("a", "b"), (True, False), (7, 3)])
def test_alpha_number_weighs_the_least_frequent_class(tmp_path, capsys, labels):
    minority, majority = labels
    path = tmp_path / "data.csv"
    _binary_frame(minority=minority, majority=majority).to_csv(path, index=False)
    task, _, models = cli.run([str(path), "--target", "label", "--library", "xgboost",
                               "--alpha", "0.25", *FAST, "--save-model",
                               str(tmp_path / "m.pkl")])
    model = models["xgboost"]
    assert task.classes[task.positive] == minority
    expected = [0.25, 0.75] if model.classes_[0] == minority else [0.75, 0.25]
    np.testing.assert_allclose(model[-1].loss_.alpha, expected)
    assert set(model.predict(pd.read_csv(path))) <= {minority, majority}
    # the report gives the weights as Python's alpha takes them (a float there weighs
    # classes_[1], which need not be the least frequent class)
    line = next(line for line in capsys.readouterr().out.splitlines()
                if line.startswith("alpha 0.25 weighs the positive class"))
    assert ast.literal_eval(line.split("in Python: alpha=", 1)[1]) == {minority: 0.25,
                                                                      majority: 0.75}


@pytest.mark.parametrize("library, suffix", [("both", ".pkl"), ("xgboost", ".json"),
                                             ("xgboost", ".ubj"), ("lightgbm", ".txt")])
def test_save_model_round_trip(binary_csv, tmp_path, capsys, library, suffix):
    import lightgbm as lgb
    import xgboost as xgb

    from focal_boost import lightgbm as flgb
    from focal_boost import xgboost as fxgb
    from focal_boost.xgboost import predict_margin

    path = tmp_path / f"model{suffix}"
    task, results, models = cli.run([str(binary_csv), "--target", "label", *FAST,
                                     "--library", library, "--save-model", str(path)])
    stdout = capsys.readouterr().out
    X = task.X  # the prepared features, which the native model files take
    rows = pd.read_csv(binary_csv).drop(columns="label")  # the rows as in the file
    for lib, pipeline in models.items():
        model = pipeline[-1]
        focal = next(r for r in results if r.library == lib and r.model == "focal")
        assert model.n_estimators == max(1, int(np.median(focal.rounds)))
        assert model.n_jobs == 1  # --n-jobs reaches the models
        assert len(model.booster_.feature_names if lib == "xgboost"
                   else model.booster_.feature_name()) == X.shape[1]
        if suffix == ".pkl":
            saved = path.with_name(f"model-{lib}.pkl")
            loaded = pickle.loads(saved.read_bytes())
            np.testing.assert_array_equal(loaded.predict_proba(rows), model.predict_proba(X))
            np.testing.assert_array_equal(loaded.predict(rows), model.predict(X))
            assert set(loaded.classes_) == {"yes", "no"}
        elif lib == "xgboost":
            booster = xgb.Booster(model_file=str(path))
            np.testing.assert_allclose(predict_margin(booster, X), raw_margins(model, X),
                                       rtol=1e-6, atol=1e-6)
            # the printed recipe: the booster stores its loss
            np.testing.assert_allclose(fxgb.predict_proba(booster, X),
                                       model.predict_proba(X)[:, 1], rtol=1e-6, atol=1e-7)
            assert "focal_boost.xgboost.predict_proba(xgboost.Booster(model_file=" in stdout
        else:
            booster = lgb.Booster(model_file=str(path))
            margin = booster.predict(X, raw_score=True)
            np.testing.assert_allclose(margin, raw_margins(model, X), rtol=1e-9)
            # the printed recipe: the file names its loss (focal_boost.lightgbm.save_model's)
            assert "focal_boost.lightgbm.predict_proba(lightgbm.Booster(model_file=" in stdout
            assert flgb.stored_loss(booster) == model.loss_
            np.testing.assert_allclose(flgb.predict_proba(booster, X),
                                       model.predict_proba(X)[:, 1], rtol=1e-9)
        assert f"saved to {saved if suffix == '.pkl' else path}" in stdout
    assert sorted(models) == sorted(["xgboost", "lightgbm"] if library == "both"
                                    else [library])


def test_plot_one_column_per_library(binary_csv, wine_csv, tmp_path, capsys):
    from matplotlib.image import imread

    widths = {}
    for data, target, library in [(binary_csv, "label", "both"),
                                  (wine_csv, "target", "lightgbm")]:
        png = tmp_path / f"{library}.png"
        assert cli.main([str(data), "--target", target, *FAST, "--library", library,
                         "--plot", str(png)]) == 0
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        image = imread(png)
        assert image.shape[0] > 500 and image.std() > 0.05  # not blank
        widths[library] = image.shape[1]
    assert widths["both"] == pytest.approx(2 * widths["lightgbm"], rel=0.02)


def test_text_columns_become_categorical(tmp_path):
    frame = _binary_frame()
    frame["colour"] = np.array(["red", "green", "blue"])[np.arange(len(frame)) % 3]
    frame.loc[::5, "colour"] = None
    frame["flag"] = frame["x0"] > 0
    frame["odd[name]"] = 1.0
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    frame, how = cli.read_table(path)
    assert how == "separator comma"
    raw, y = cli.split_target(frame, "label", path)
    encoder, X = cli.encode(raw, path)
    assert X["colour"].dtype == "category"
    assert sorted(X["colour"].cat.categories) == ["blue", "green", "red"]
    assert X["colour"].isna().sum() == frame["colour"].isna().sum()  # missing stays missing
    assert X["flag"].dtype == np.float64 and X["x1"].isna().sum() > 0
    assert "odd_name_" in X.columns  # XGBoost refuses [ ] < in feature names
    assert sorted(set(y)) == ["no", "yes"]


def test_categorical_column_used_by_every_model(tmp_path, capsys):
    # The label follows a text column, so AUC is high only if the models use it.
    rng = np.random.default_rng(0)
    n = 600
    colour = rng.choice(["red", "green", "blue", "grey"], size=n)
    label = np.where((colour == "red") ^ (rng.uniform(size=n) < 0.05), "hit", "miss")
    frame = pd.DataFrame({"colour": colour, "noise": rng.normal(size=n), "label": label})
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    out = tmp_path / "table.json"
    assert cli.main([str(path), "--target", "label", *FAST, "--output", str(out)]) == 0
    rows = json.loads(out.read_text())["results"]
    assert "1 categorical" in json.loads(out.read_text())["settings"]["data"]
    assert min(r["roc_auc_mean"] for r in rows) > 0.9


def test_parquet_input(tmp_path, capsys):
    pytest.importorskip("pyarrow")
    path = tmp_path / "data.parquet"
    frame = _binary_frame()
    frame["label"] = frame["label"].astype("category")
    frame.to_parquet(path)
    out = tmp_path / "table.json"
    assert cli.main([str(path), "--target", "label", *FAST, "--library", "lightgbm",
                     "--output", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["settings"]["positive_class"] == "yes"
    _check_rows(report["results"], libraries=("lightgbm",))


@pytest.mark.parametrize("mark", [";", "x", "..", " "])
def test_a_decimal_mark_other_than_point_or_comma_is_refused_by_name(mark, tmp_path, capsys):
    # it reached the reading of numbers ("KeyError: ';'", a traceback) or pandas ("cannot
    # read ... (Only length-1 decimal markers supported)"), which blamed the file
    path = tmp_path / "data.csv"
    _binary_frame().to_csv(path, index=False)
    assert cli.main([str(path), "--target", "label", "--decimal", mark]) == 2
    assert f"--decimal: {mark!r}: give '.' or ','" in capsys.readouterr().err


def test_a_compressed_file_whose_package_is_missing_says_so(tmp_path, capsys, monkeypatch):
    # pandas' ImportError was wrapped in "give a readable CSV (..., also compressed
    # .zst) or parquet file": the line that listed the format refused it
    path = tmp_path / "data.csv.zst"
    path.write_bytes(b"\x28\xb5\x2f\xfd")  # (a Zstandard frame's magic number)
    monkeypatch.setitem(sys.modules, "zstandard", None)  # importing it fails
    assert cli.main([str(path), "--target", "label"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"focal-boost: error: cannot read {path}: a package its format "
                          "needs is not installed (")
    assert "zstandard" in err and "give a readable" not in err


# ------------------------------------------------------------------------ metrics
def test_scores_binary_and_multiclass_definitions():
    from sklearn.metrics import average_precision_score, roc_auc_score

    rng = np.random.default_rng(2)
    y = rng.integers(0, 3, size=300)
    proba = rng.dirichlet([1, 1, 1], size=300)
    proba[np.arange(300), y] += 0.5
    proba /= proba.sum(axis=1, keepdims=True)
    s = cli.scores(y, proba, None)
    onehot = np.eye(3)[y]
    assert s["brier"] == pytest.approx(np.mean(((proba - onehot) ** 2).sum(axis=1)))
    assert s["log_loss"] == pytest.approx(-np.mean(np.log(proba[np.arange(300), y])))
    assert s["pr_auc"] == pytest.approx(np.mean([average_precision_score(onehot[:, j],
                                                                         proba[:, j])
                                                 for j in range(3)]))
    assert s["roc_auc"] == pytest.approx(np.mean([roc_auc_score(onehot[:, j], proba[:, j])
                                                  for j in range(3)]))
    assert s["ece"] == pytest.approx(np.mean([metrics.ece(onehot[:, j], proba[:, j])
                                              for j in range(3)]))
    # binary: metrics of the positive column, whichever index it has
    yb = (y == 0).astype(int)
    pb = np.column_stack([1 - proba[:, 0], proba[:, 0]])
    flipped = cli.scores(1 - yb, pb[:, ::-1], 0)
    plain = cli.scores(yb, pb, 1)
    assert flipped == pytest.approx(plain)
    assert plain["brier"] == pytest.approx(np.mean((proba[:, 0] - yb) ** 2))


# ---------------------------------------------------------------------- bad input
def _write_single_class(tmp_path):
    frame = _binary_frame()
    frame["label"] = "same"
    frame.to_csv(tmp_path / "data.csv", index=False)


def _write_rare_class(tmp_path):
    frame = _binary_frame()
    frame.loc[:2, "label"] = "rare"  # 3 rows of a third class
    frame.to_csv(tmp_path / "data.csv", index=False)


def _write_garbage(tmp_path):
    (tmp_path / "data.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")


def _write_json(tmp_path):
    _binary_frame().to_json(tmp_path / "data.json")


def _write_latin1(tmp_path):
    frame = _binary_frame()
    frame["town"] = "Besançon"
    (tmp_path / "data.csv").write_bytes(frame.to_csv(index=False).encode("latin-1"))


def _write_two_positives(tmp_path):
    frame = _binary_frame()
    frame["label"] = "no"
    frame.loc[:1, "label"] = "yes"
    frame.to_csv(tmp_path / "data.csv", index=False)


def _write_decomposed_header(tmp_path):
    # a header in the decomposed Unicode form (as macOS writes file names): the error
    # listed a name that looks the same as the one typed, and said nothing more
    import unicodedata

    _binary_frame().rename(columns={"label": unicodedata.normalize("NFD", "clé")}).to_csv(
        tmp_path / "data.csv", index=False)


def _write_composed_header(tmp_path):
    # the other way round: the header composed (NFC), the name typed decomposed
    _binary_frame().rename(columns={"label": unicodedata.normalize("NFC", "clé")}).to_csv(
        tmp_path / "data.csv", index=False)


def _write_45_rows(tmp_path):
    _binary_frame().head(45).to_csv(tmp_path / "data.csv", index=False)


def _make_directories(tmp_path):  # paths the command could not write a file to
    (tmp_path / "out.json").mkdir()
    (tmp_path / "pl.png").mkdir()


def _write_empty_features(tmp_path):
    frame = _binary_frame()[["label"]]
    frame["a"], frame["b"] = np.nan, np.nan
    frame.to_csv(tmp_path / "data.csv", index=False)


def _write_infinite_label(tmp_path):
    frame = _binary_frame()
    frame["x0"] = (frame["label"] == "yes").astype(float)
    frame.loc[3, "x0"] = np.inf
    frame.to_csv(tmp_path / "data.csv", index=False)


def _write_ragged(tmp_path):  # every row has a value past the header's last name
    lines = _binary_frame().to_csv(index=False).splitlines()
    lines[1:] = [line + ",7" for line in lines[1:]]
    (tmp_path / "data.csv").write_text("\n".join(lines) + "\n")


def _write_unquoted_decimal_commas(tmp_path):  # 1,5 in a comma-separated file
    frame = _binary_frame().fillna(0)
    lines = [",".join(frame.columns)] + [
        ",".join(f"{v:.2f}".replace(".", ",") if isinstance(v, float) else v for v in row)
        for row in frame.itertuples(index=False)]
    (tmp_path / "data.csv").write_text("\n".join(lines) + "\n")


def _write_ragged_semicolons(tmp_path):  # no separator splits every line alike
    lines = _binary_frame().to_csv(index=False, sep=";").splitlines()
    lines[5] += ";7"
    (tmp_path / "data.csv").write_text("\n".join(lines) + "\n")


def _write_comment_line(tmp_path):  # a title line above the header
    text = "# exported by tool X\n" + _binary_frame().to_csv(index=False)
    (tmp_path / "data.csv").write_text(text)


def _write_windows_text(tmp_path):  # cp1252: the euro sign is byte 0x80
    frame = _binary_frame()
    frame["price €"] = 1.0
    (tmp_path / "data.csv").write_bytes(frame.to_csv(index=False).encode("cp1252"))


def _write_late_latin1(tmp_path):  # the first byte that is not UTF-8 past the 64 KiB sample
    frame = _binary_frame(4000)
    frame["town"] = "Paris"
    frame.loc[3000, "town"] = "Besançon"
    text = frame.to_csv(index=False).encode("latin-1")
    (tmp_path / "data.csv").write_bytes(text)
    (tmp_path / "offset").write_text(str(text.index("ç".encode("latin-1"))))


def _make_fifo(tmp_path):
    os.mkfifo(tmp_path / "pipe.csv")


BAD_INPUTS = {
    "missing file": ([], ["nope.csv", "--target", "label"], "no such file"),
    "unreadable file": (_write_garbage, ["data.csv", "--target", "label"], "cannot read"),
    "directory": ([], [".", "--target", "label"], "is a directory"),
    "unknown target": ([], ["data.csv", "--target", "labl"], "no column 'labl'"),
    "no target option": ([], ["data.csv"], "--target"),
    "target without data": ([], ["--target", "label"], "DATA"),
    "single class": (_write_single_class, ["data.csv", "--target", "label"], "single class"),
    "class smaller than folds": (_write_rare_class, ["data.csv", "--target", "label"],
                                 "class 'rare'"),
    "continuous target": ([], ["data.csv", "--target", "x0"], "continuous"),
    "negative gamma": ([], ["data.csv", "--target", "label", "--gamma", "-1"], "gamma"),
    "gamma not a number": ([], ["data.csv", "--target", "label", "--gamma", "big"], "gamma"),
    "bad alpha word": ([], ["data.csv", "--target", "label", "--alpha", "heavy"], "alpha"),
    "alpha out of range": ([], ["data.csv", "--target", "label", "--alpha", "1.5"], "alpha"),
    "alpha number multiclass": (_write_rare_class, ["data.csv", "--target", "label",
                                                    "--folds", "3", "--alpha", "0.3"],
                                "--alpha 0.3"),
    "one fold": ([], ["data.csv", "--target", "label", "--folds", "1"], "--folds"),
    "output suffix": ([], ["data.csv", "--target", "label", "--output", "t.xlsx"], ".json"),
    "output directory": ([], ["data.csv", "--target", "label", "--output", "no/t.json"],
                         "does not exist"),
    "native model, both libraries": ([], ["data.csv", "--target", "label", "--save-model",
                                          "m.json"], "--library xgboost"),
    "unknown option": ([], ["--colour", "red"], "unrecognized"),
    "unknown library": ([], ["--library", "catboost"], "catboost"),
    "json file": (_write_json, ["data.json", "--target", "label"],
                  ".json files are not supported; give a CSV"),
    "not utf-8": (_write_latin1, ["data.csv", "--target", "label"], "--encoding latin-1"),
    # latin-1 reads every byte, cp1252's euro sign as a control character
    "Windows text": (_write_windows_text, ["data.csv", "--target", "label"],
                     "(byte 0x80 at offset 27); give the file's encoding, e.g. --encoding "
                     "cp1252 (Windows) or --encoding latin-1"),
    "title line above the header": (_write_comment_line, ["data.csv", "--target", "label"],
                                     "if it is a title or a comment above the header, "
                                     "delete it"),
    "standard input": ([], ["-", "--target", "label"], "reading standard input is not "
                                                         "supported"),
    "a pipe": (_make_fifo, ["pipe.csv", "--target", "label"],
               "pipe.csv is not a regular file (a pipe or a device)"),
    "unknown encoding": ([], ["data.csv", "--target", "label", "--encoding", "klingon"],
                         "unknown encoding"),
    "target typo, closest names": ([], ["data.csv", "--target", "Label"],
                                   "did you mean 'label'?"),
    "target in another Unicode form": (_write_decomposed_header,
                                       ["data.csv", "--target", "clé"],
                                       "in the file and 'clé' differ in their Unicode form"),
    "target typed decomposed, header composed": (
        _write_composed_header, ["data.csv", "--target", unicodedata.normalize("NFD", "clé")],
        "in the file and 'cle\u0301' differ in their Unicode form"),
    "target typo, no Unicode hint": ([], ["data.csv", "--target", "lable"],
                                     "did you mean 'label'? --target must be one of"),
    "binary class of 2 rows": (_write_two_positives, ["data.csv", "--target", "label"],
                               "add rows of that class"),
    "45 rows, LightGBM": (_write_45_rows, ["data.csv", "--target", "label"],
                          "--param lightgbm.min_child_samples="),
    "features all empty": (_write_empty_features, ["data.csv", "--target", "label"],
                           "no feature column left ('a': no values; 'b': no values)"),
    "unknown --param": ([], ["data.csv", "--target", "label", "--param", "max_dept=4"],
                        "did you mean max_depth"),
    "--param the command sets": ([], ["data.csv", "--target", "label", "--param",
                                      "n_estimators=5"], "set by --n-estimators"),
    # named as typed, the library's prefix included (it was dropped)
    "--param the command sets, for a library": (
        [], ["data.csv", "--target", "label", "--param", "lightgbm.objective=binary"],
        "--param lightgbm.objective: set by --gamma"),
    # the estimator's refusal named init_score, which --param then refused for base_score
    "--param base_score": ([], ["data.csv", "--target", "label", "--library", "xgboost",
                                "--param", "base_score=0.3"],
                           "--param base_score: set by the command (each model starts"),
    "--param init_score": ([], ["data.csv", "--target", "label", "--param", "init_score=0"],
                           "--param init_score: set by the command"),
    "--param is_unbalance": ([], ["data.csv", "--target", "label", "--param",
                                  "unbalance=true"], "--param unbalance: set by --alpha"),
    # LightGBM's file-loading parameters, which in-memory data ignore without a word (a
    # weight column stayed a feature)
    "--param weight_column": ([], ["data.csv", "--target", "label", "--param",
                                   "lightgbm.weight_column=x0"],
                              "--param lightgbm.weight_column: LightGBM reads it only from "
                              "data files it loads itself; the command reads the file and "
                              "takes no sample weights: --alpha weighs the classes"),
    "--param misspelt, for a library": (
        [], ["data.csv", "--target", "label", "--param", "xgboost.max_dept=3"],
        "--param xgboost.max_dept: not a parameter of xgboost: did you mean max_depth"),
    "--param for a library not compared, an alias": (
        [], ["data.csv", "--target", "label", "--library", "xgboost", "--param",
             "lightgbm.shrinkage_rate=0.1"],
        "--param lightgbm.shrinkage_rate: lightgbm is not compared"),
    "--param label, an alias": ([], ["data.csv", "--target", "label", "--param", "label=x0"],
                                "the command reads the file, and --target names the label"),
    "--param of LightGBM's program": ([], ["data.csv", "--target", "label", "--param",
                                           "output_model=m.txt"],
                                      "--param output_model: a setting of LightGBM's own "
                                      "command-line program, which its Python package "
                                      "ignores"),
    # a config file of LightGBM's program, read by the program alone: it ran without a word
    "--param config, an alias": ([], ["data.csv", "--target", "label", "--param",
                                      "config_file=train.conf"],
                                 "--param config_file: a setting of LightGBM's own "
                                 "command-line program"),
    "--param categorical_feature": ([], ["data.csv", "--target", "label", "--param",
                                         "cat_feature=0"],
                                    "--param cat_feature: set by the command (text columns "
                                    "are categories) and --category"),
    # "not a parameter of xgboost" with --library xgboost; LightGBM's fit failed with a
    # [Fatal] line even with -q
    "--param num_class, XGBoost": ([], ["data.csv", "--target", "label", "--library",
                                        "xgboost", "--param", "num_class=3"],
                                   "--param num_class: set by the --target column's classes"),
    "--param num_class, LightGBM": ([], ["data.csv", "--target", "label", "--param",
                                         "num_class=3"],
                                    "--param num_class: set by the --target column's classes"),
    # a suggestion from the named library, never the name given
    "--param of the other library": ([], ["data.csv", "--target", "label", "--param",
                                          "xgboost.num_leaves=7"],
                                     "not a parameter of xgboost: did you mean max_leaves?"),
    "--param without value": ([], ["data.csv", "--target", "label", "--param", "max_depth"],
                              "NAME=VALUE"),
    "--drop unknown column": ([], ["data.csv", "--target", "label", "--drop", "x9"],
                              "--drop must be one of"),
    "infinite label": (_write_infinite_label, ["data.csv", "--target", "x0"],
                       "column 'x0' of data.csv holds infinite values (data rows 4)"),
    "gamma above 50": ([], ["data.csv", "--target", "label", "--gamma", "51"], "above 50"),
    "--output is a directory": (_make_directories, ["data.csv", "--target", "label",
                                                    "--output", "out.json"],
                                "--output out.json: is a directory"),
    "--plot is a directory": (_make_directories, ["data.csv", "--target", "label", "--plot",
                                                  "pl.png", "--save-model", "m.pkl"],
                              "--plot pl.png: is a directory"),
    # outputs never overwrite the data or one another (the data was replaced by the table)
    "--output is the data file": ([], ["data.csv", "--target", "label", "--output",
                                       "data.csv"], "--output data.csv: is also the data file"),
    "--save-model is --output": ([], ["data.csv", "--target", "label", "--library", "xgboost",
                                      "--output", "same.json", "--save-model", "same.json"],
                                 "--save-model same.json: is also --output"),
    "seed out of range": ([], ["data.csv", "--target", "label", "--seed", "-1"],
                          "from 0 to 2**32 - 1"),
    "decimal mark is the separator, unquoted": (
        _write_unquoted_decimal_commas, ["data.csv", "--target", "label", "--decimal", ","],
        "numbers written with the decimal mark ',', which is also the separator"),
    "rows longer than the header": (_write_ragged, ["data.csv", "--target", "label"],
                                    "rows have more fields than the header names"),
    "separator not detected": (_write_ragged_semicolons, ["data.csv", "--target", "label"],
                               "if the file is separated by semicolon, give --sep ';'"),
    "--drop the target": ([], ["data.csv", "--target", "label", "--drop", "label"],
                          "--drop label: is the --target column"),
    "--param the library refuses": ([], ["-q", "data.csv", "--target", "label", "--library",
                                         "xgboost", "--param", "max_depth=abc"],
                                    "a fit with --param max_depth='abc' failed (XGBoostError"),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_one_line_no_traceback_nothing_written(case, tmp_path, monkeypatch,
                                                         capsys):
    prepare, argv, needle = BAD_INPUTS[case]
    _binary_frame().to_csv(tmp_path / "data.csv", index=False)
    if callable(prepare):
        prepare(tmp_path)
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    outputs = ["--plot", "p.png", "--save-model", "m.pkl"]
    if "--output" not in argv:
        outputs += ["--output", "t.json"]
    code = cli.main([*argv, *outputs] if "--save-model" not in argv else argv)
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("focal-boost: error: ") and needle in lines[0]
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_bad_input_real_process(tmp_path):
    result = subprocess.run([sys.executable, "-m", "focal_boost", "missing.csv", "--target",
                             "y", "--output", "t.json"], capture_output=True, text=True,
                            cwd=tmp_path, check=False)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "missing.csv: no such file" in result.stderr
    assert not (tmp_path / "t.json").exists()


def test_table_on_an_output_that_cannot_write_plus_minus(binary_csv, monkeypatch, capsys):
    # on an ASCII stdout "±" was escaped as "\xb1" after the widths were measured: every
    # cell 3 characters wider than its column
    import io

    ascii_out = io.TextIOWrapper(io.BytesIO(), encoding="ascii", errors="strict")
    monkeypatch.setattr("sys.stdout", ascii_out)
    assert cli.main([str(binary_csv), "--target", "label", "--library", "lightgbm",
                     "--folds", "2", "--n-estimators", "3", "-q"]) == 0
    ascii_out.flush()
    out = ascii_out.buffer.getvalue().decode("ascii")
    assert "\\xb1" not in out and "mean +/- standard deviation over the 2 folds" in out
    head, rule, *rows = out.split("\n\n")[1].splitlines()
    assert len(rows) == 2
    for row in rows:  # each metric's cell starts under its header
        assert all(row[head.index(name)] != " " and row[head.index(name) - 1] == " "
                   for name in ("PR-AUC", "ROC-AUC", "log-loss", "Brier", "ECE")), (head, row)


def test_passive_openmp_while_the_command_runs_then_the_callers_environment(monkeypatch):
    # main() set OMP_WAIT_POLICY=PASSIVE for the rest of the caller's process (and every
    # process it started later), even after a usage error
    from focal_boost.cli import _main

    seen = []
    monkeypatch.setattr(_main, "run", lambda argv: seen.append(
        os.environ.get("OMP_WAIT_POLICY")))
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    assert cli.main(["data.csv"]) == 0 and seen == ["passive"]
    assert "OMP_WAIT_POLICY" not in os.environ
    monkeypatch.setattr(_main, "run", lambda argv: (_ for _ in ()).throw(
        _main.UsageError("bad")))
    assert cli.main(["data.csv"]) == 2 and "OMP_WAIT_POLICY" not in os.environ
    monkeypatch.setenv("OMP_WAIT_POLICY", "ACTIVE")  # the caller's own setting is kept
    assert cli.main(["data.csv"]) == 2 and os.environ["OMP_WAIT_POLICY"] == "ACTIVE"


# ---------------------------------------------------------------- entry points
def test_console_script_declared():
    scripts = {ep.name: ep.value for ep in entry_points(group="console_scripts")}
    assert scripts.get("focal-boost") == "focal_boost.cli:main"


def test_start_up_imports_no_heavy_library():
    # --help and argument errors answer before xgboost, lightgbm, scikit-learn,
    # pandas or matplotlib are imported.
    code = ("import sys, runpy\n"
            "sys.argv = ['focal-boost', '--help']\n"
            "try:\n    runpy.run_module('focal_boost', run_name='__main__')\n"
            "except SystemExit as e:\n    assert e.code == 0\n"
            "heavy = [m for m in ('xgboost', 'lightgbm', 'sklearn', 'pandas', 'matplotlib',"
            " 'numba') if m in sys.modules]\n"
            "print('HEAVY', heavy, file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert "--gamma GAMMA|auto" in result.stdout
    assert "HEAVY []" in result.stderr


# ------------------------------------------------------------------------- README
def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```(?:bash|console|sh)\n(.*?)```", text, flags=re.S)
    commands = []
    for block in blocks:
        for line in block.splitlines():
            for part in re.split(r"&&|;", line):
                part = part.strip().removeprefix("$ ")
                if part.startswith(("python -m focal_boost", "focal-boost")):
                    commands.append(part)
    return commands


def test_readme_first_command_runs_the_main_job():
    text = (ROOT / "README.md").read_text()
    first = re.search(r"```bash\n(.*?)```", text, flags=re.S).group(1)
    assert "pip install" in first and first.strip().endswith("python -m focal_boost")


def test_readme_commands_parse_and_options_documented():
    import shlex

    commands = _readme_commands()
    assert len(commands) >= 3
    parser = cli.build_parser()
    predict = cli.build_predict_parser()
    for command in commands:
        words = shlex.split(command)
        words = words[3:] if words[0] == "python" else words[1:]
        if words[:1] == ["predict"]:
            predict.parse_args(words[1:])
        else:
            parser.parse_args(words)  # raises UsageError on an unknown option
    assert any(c.startswith("focal-boost predict ") for c in commands)
    text = (ROOT / "README.md").read_text()
    options = [o for p in (parser, predict) for action in p._actions
               for o in action.option_strings if o.startswith("--") and o != "--help"]
    missing = [o for o in options if f"`{o}" not in text]
    assert not missing, f"options not documented in the README: {missing}"


def test_early_stopping_at_the_last_round_says_to_raise_n_estimators(tmp_path, capsys):
    # every fold kept all its rounds (the validation loss still falling): the table
    # showed "rounds 3" and the saved model refit on 3 without a word
    frame = _binary_frame()
    frame.to_csv(tmp_path / "b.csv", index=False)
    assert cli.main([str(tmp_path / "b.csv"), "--target", "label", "--library", "xgboost",
                     "--n-estimators", "3", "--folds", "2", "-q"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [f"focal-boost: warning: xgboost {model}: early stopping kept all 3 rounds "
                   "in 2 of 2 folds: the validation loss was still falling at the last one; "
                   "raise --n-estimators" for model in ("log-loss", "focal")]


def test_early_stopping_at_the_first_round_is_one_warning_line(tmp_path, capsys):
    # a target the features say nothing about: the estimator's own warning (about an
    # eval_set passed through a Pipeline) does not apply here; the command says it once
    # per model, with -q too
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(600, 4)), columns=list("abcd"))
    frame["y"] = rng.integers(0, 3, 600)
    frame.to_csv(tmp_path / "noise.csv", index=False)
    assert cli.main([str(tmp_path / "noise.csv"), "--target", "y", "--library", "lightgbm",
                     "--n-estimators", "20", "--folds", "2", "-q"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err and all(line.startswith("focal-boost: warning: lightgbm ") and
                       "early stopping kept only the first round in" in line for line in err)
    assert not any("Pipeline" in line for line in err)


def test_table_reaches_a_stream_that_cannot_encode_it(tmp_path, monkeypatch):
    # a label in Japanese (or the table's "±") on a cp1252 / ASCII stdout: a
    # UnicodeEncodeError after every fit had run, and no table
    import io

    frame = _binary_frame(minority="悪性", majority="良性")
    frame.to_csv(tmp_path / "ja.csv", index=False)
    out = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    monkeypatch.setattr(sys, "stdout", out)
    assert cli.main([str(tmp_path / "ja.csv"), "--target", "label", *FAST,
                     "--library", "xgboost"]) == 0
    assert out.errors == "strict"  # the stream is handed back as it came
    out.flush()
    table = out.buffer.getvalue().decode("ascii")
    # (the table's "±" as "+/-", which keeps its columns: test below)
    assert "positive class '\\u60aa\\u6027'" in table and " +/- " in table
    assert sum(line.startswith("xgboost") for line in table.splitlines()) == 2


def test_learning_rate_aliases_are_the_learning_rate(binary_csv, capsys):
    # eta=0.02 was shown as the setting and ignored by both libraries (beside the
    # command's learning_rate=0.1); xgboost.eta was refused as not XGBoost's
    rows = {}
    for rate in ("learning_rate=0.02", "eta=0.02", "shrinkage_rate=0.02", "xgboost.eta=0.02",
                 "learning_rate=0.1"):
        assert cli.main([str(binary_csv), "--target", "label", *FAST, "--param", rate]) == 0
        out = capsys.readouterr().out
        assert f"learning_rate={rate.split('=')[1]}" in out  # the setting, as used
        rows[rate] = [line.split()[4:8] for line in out.splitlines()  # the metrics
                      if line.startswith(("xgboost", "lightgbm"))]
    assert rows["eta=0.02"] == rows["learning_rate=0.02"] == rows["shrinkage_rate=0.02"]
    assert rows["xgboost.eta=0.02"][:2] == rows["learning_rate=0.02"][:2]  # XGBoost's rows
    assert rows["xgboost.eta=0.02"][2:] != rows["learning_rate=0.02"][2:]
    assert rows["learning_rate=0.02"] != rows["learning_rate=0.1"]


def test_library_logs_of_a_verbosity_set_by_param_go_to_stderr(binary_csv, tmp_path,
                                                               capsys):
    # stdout holds the table (and the files written): LightGBM's and XGBoost's logs,
    # which they print, were 288 lines of it ahead of the table, -q or not
    model = tmp_path / "model.pkl"
    assert cli.main([str(binary_csv), "--target", "label", "--folds", "3", "-q",
                     "--n-estimators", "20", "--param", "lightgbm.verbose=1",
                     "--param", "xgboost.verbosity=2", "--save-model", str(model)]) == 0
    captured = capsys.readouterr()
    assert "[LightGBM]" in captured.err and "[LightGBM]" not in captured.out
    lines = captured.out.splitlines()
    assert lines[0].startswith("data: "), captured.out[:500]  # (the table's first line)
    assert not any("INFO" in line or "[LightGBM]" in line for line in lines)


def test_lightgbm_early_stopping_params_reach_both_models(tmp_path, capsys):
    # --param metric / early_stopping_min_delta / first_metric_only are LightGBM's
    # early-stopping settings: they reached the focal model only (min_delta), or the focal
    # model watched its loss besides the metric (16 rounds for the log-loss model's 18)
    from sklearn.datasets import make_classification

    X, y = make_classification(2000, 20, n_informative=5, flip_y=0.2, weights=[0.8],
                               random_state=6)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(20)]).assign(T=y)
    frame.to_csv(tmp_path / "d.csv", index=False)
    for params in (["--param", "lightgbm.metric=auc"],
                   ["--param", "lightgbm.early_stopping_min_delta=0.01"],
                   ["--param", "first_metric_only=true", "--param", "metric=auc,binary_error"]):
        assert cli.main([str(tmp_path / "d.csv"), "--target", "T", "--library", "lightgbm",
                         "--gamma", "0", "--n-jobs", "1", "-q", *params]) == 0
        out = capsys.readouterr().out
        rows = [line.split()[4:] for line in out.splitlines() if line.startswith("lightgbm")]
        columns = [row[:-2] + row[-1:] for row in rows]  # less the fit time
        assert len(rows) == 2 and columns[0] == columns[1], out
    assert "(LightGBM's: the metrics --param metric=auc,binary_error names)" in out
    # reading those settings warns about nothing else (LGBMClassifier's subsample=1.0 was
    # reported "ignored" beside --param bagging_fraction)
    assert cli.main([str(tmp_path / "d.csv"), "--target", "T", "--library", "lightgbm",
                     "--n-jobs", "1", "-q", "--param", "bagging_fraction=0.8",
                     "--param", "bagging_freq=1"]) == 0
    assert "ignored" not in capsys.readouterr().err
    for alias in ("lightgbm.early_stopping_round=5", "num_trees=50"):  # LightGBM's aliases
        assert cli.main([str(tmp_path / "d.csv"), "--target", "T", "--param", alias]) == 2
        assert "not by --param" in capsys.readouterr().err


def test_lightgbm_row_check_reads_the_setting_lightgbm_trains_with():
    # min_data_per_leaf loses to the classifiers' own min_child_samples=20 (same length,
    # alphabetical): the check read the --param value alone, refusing folds LightGBM
    # trains on (60) and passing folds it cannot split (5)
    from types import SimpleNamespace

    from focal_boost.cli._args import UsageError
    from focal_boost.cli._evaluate import check_rows

    def args(folds=5, **params):
        return SimpleNamespace(library_params={"lightgbm": params}, folds=folds)

    folds = [(np.arange(100), None, None)]
    check_rows(folds, ["lightgbm"], args(min_data_per_leaf=60))
    with pytest.raises(UsageError, match="min_child_samples=60"):
        check_rows(folds, ["lightgbm"], args(min_child_samples=60))
    with pytest.raises(UsageError, match="min_child_samples=20"):
        check_rows([(np.arange(30), None, None)], ["lightgbm"], args(min_data_per_leaf=5))
    check_rows([(np.arange(30), None, None)], ["lightgbm"], args(min_data_in_leaf=5))
    with pytest.raises(UsageError, match=f"{re.escape('=7 or --library xgboost')}$"):
        check_rows([(np.arange(30), None, None)], ["lightgbm"], args())


def test_too_small_training_folds_advise_more_folds_where_they_help(tmp_path, capsys):
    # "use fewer --folds" was advised: fewer folds train on fewer rows; the fewest
    # --folds whose training folds are large enough is advised, where there is one
    rng = np.random.default_rng(0)
    path = tmp_path / "tiny.csv"
    pd.DataFrame({"a": rng.normal(size=60), "t": np.arange(60) % 2}).to_csv(path, index=False)
    common = [str(path), "--target", "t", "-q", "--n-estimators", "5", "--library",
              "lightgbm"]
    assert cli.main([*common, "--folds", "5"]) == 2
    assert capsys.readouterr().err.endswith(
        "the training folds have 38 rows to fit on (after the early-stopping rows), too few "
        "for LightGBM's min_child_samples=20 (a split needs 40): add --param "
        "lightgbm.min_child_samples=9, give --folds 6 (larger training folds), or "
        "--library xgboost\n")
    assert cli.main([*common, "--folds", "6"]) == 0
    # none large enough (a fold per row of the rarest class at most): not advised
    assert cli.main([*common, "--folds", "5", "--param", "lightgbm.min_child_samples=30"]) == 2
    assert capsys.readouterr().err.endswith(
        "lightgbm.min_child_samples=9 or --library xgboost\n")


def test_output_files_are_written_all_or_none(tmp_path):
    # a full disk or a size limit left a model truncated in place and the table beside
    # it already replaced; now the files that were there stay as they were
    import subprocess
    import textwrap

    from focal_boost.cli._main import write_files

    model, table = tmp_path / "m.pkl", tmp_path / "t.json"
    model.write_bytes(b"old model")
    table.write_bytes(b"old table")
    model.chmod(0o640)
    code = textwrap.dedent(f"""
        import resource
        from pathlib import Path
        from focal_boost.cli._main import write_files
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        write_files({{Path({str(table)!r}): b"new table", Path({str(model)!r}): b"x" * 10000}})
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode != 0 and "could not be written" in done.stderr, done.stderr
    assert model.read_bytes() == b"old model" and table.read_bytes() == b"old table"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.pkl", "t.json"]  # no leftovers
    write_files({table: b"new table", model: b"new model"})
    assert model.read_bytes() == b"new model" and table.read_bytes() == b"new table"
    assert model.stat().st_mode & 0o777 == 0o640  # an existing file keeps its permissions
    link = tmp_path / "out"
    link.symlink_to(table)
    write_files({link: b"through the link"})
    assert link.is_symlink() and table.read_bytes() == b"through the link"
    # a link's file is replaced with the others, all or none (it was written first,
    # before a later file failed); nothing is left behind
    with pytest.raises(cli.UsageError, match="m.pkl: could not be written .*unchanged"):
        write_files({link: b"new", tmp_path / "no" / "m.pkl": b"model"})
    assert table.read_bytes() == b"through the link" and link.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.pkl", "out", "t.json"]


def test_a_sigterm_while_writing_leaves_no_temporary_file(tmp_path):
    # SIGTERM's default ended the process at once, leaving the hidden temporary file
    # beside its target; now the process still ends by the signal, after the clean-up
    import signal
    import subprocess
    import textwrap

    model = tmp_path / "m.pkl"
    model.write_bytes(b"old model")
    code = textwrap.dedent(f"""
        import os, signal, tempfile
        from pathlib import Path
        from focal_boost.cli._main import write_files
        opened = tempfile.NamedTemporaryFile

        def terminated_while_writing(*args, **kwargs):
            handle = opened(*args, **kwargs)
            write = handle.write

            def half_written(data):
                write(data[:4])
                os.kill(os.getpid(), signal.SIGTERM)  # (as a user's kill)
                write(data[4:])

            handle.write = half_written
            return handle

        tempfile.NamedTemporaryFile = terminated_while_writing
        write_files({{Path({str(model)!r}): b"new model"}})
        print("not ended")
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == -signal.SIGTERM, (done.returncode, done.stdout, done.stderr)
    assert done.stdout == "" and done.stderr == ""
    assert [p.name for p in tmp_path.iterdir()] == ["m.pkl"]
    assert model.read_bytes() == b"old model"
    # a SIGTERM during the clean-up after a Ctrl-C: it cut the removal short (one
    # temporary file of two was left); it ends the process once both are gone
    cleanup = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        import focal_boost.cli._main as main
        staged, chmod, unlink = [], os.chmod, Path.unlink

        def interrupted(path, mode):
            chmod(path, mode)
            staged.append(path)
            if len(staged) == 2:
                raise KeyboardInterrupt

        def terminated(self, missing_ok=False):
            unlink(self, missing_ok=missing_ok)
            os.kill(os.getpid(), signal.SIGTERM)

        main.os.chmod, Path.unlink = interrupted, terminated
        main.write_files({{Path({str(tmp_path / "a.txt")!r}): b"a",
                          Path({str(tmp_path / "b.txt")!r}): b"b"}})
    """)
    done = subprocess.run([sys.executable, "-c", cleanup], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == -signal.SIGTERM, (done.returncode, done.stderr)
    assert [p.name for p in tmp_path.iterdir()] == ["m.pkl"]
    # whoever handles SIGTERM themselves (or ignores it) keeps their handling
    ignored = code.replace("from focal_boost", "signal.signal(signal.SIGTERM, "
                           "signal.SIG_IGN)\nfrom focal_boost", 1)
    done = subprocess.run([sys.executable, "-c", ignored], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0 and done.stdout == "not ended\n", done.stderr
    assert model.read_bytes() == b"new model"
    assert [p.name for p in tmp_path.iterdir()] == ["m.pkl"]


def test_a_sigterm_after_the_files_are_written_ends_the_process_by_its_default(tmp_path):
    import signal
    import textwrap

    # the handler is SIGTERM's default again once write_files returns
    code = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from focal_boost.cli._main import write_files
        write_files({{Path({str(tmp_path / 'm.pkl')!r}): b"model"}})
        os.kill(os.getpid(), signal.SIGTERM)
        print("not ended")
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == -signal.SIGTERM and done.stderr == "", done.stderr


def test_a_second_sigterm_does_not_cut_the_clean_up():
    import signal

    from focal_boost.cli._main import _raise_terminated, _Terminated

    previous = signal.getsignal(signal.SIGTERM)
    try:
        with pytest.raises(_Terminated):
            _raise_terminated(signal.SIGTERM, None)
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_write_files_in_another_thread(tmp_path):
    import threading

    from focal_boost.cli._main import write_files

    failed = []

    def write():
        try:
            write_files({tmp_path / "t.csv": b"table"})
        except Exception as exc:  # noqa: BLE001
            failed.append(exc)

    thread = threading.Thread(target=write)
    thread.start()
    thread.join()
    assert not failed and (tmp_path / "t.csv").read_bytes() == b"table"


def test_more_folds_advised_up_to_one_per_row_of_the_rarest_class(tmp_path, capsys):
    # 6 rows of class 1: --folds 6 is the most there can be, and is large enough
    rng = np.random.default_rng(0)
    t = np.zeros(60, int)
    t[:6] = 1
    path = tmp_path / "tiny.csv"
    pd.DataFrame({"a": rng.normal(size=60), "t": t}).to_csv(path, index=False)
    common = [str(path), "--target", "t", "-q", "--n-estimators", "5", "--library",
              "lightgbm"]
    assert cli.main([*common, "--folds", "5"]) == 2
    assert capsys.readouterr().err.endswith(
        ", give --folds 6 (larger training folds), or --library xgboost\n")
    assert cli.main([*common, "--folds", "6"]) == 0


def test_more_folds_advised_beyond_ten(tmp_path, capsys):
    rng = np.random.default_rng(0)
    path = tmp_path / "rows.csv"
    pd.DataFrame({"a": rng.normal(size=1100), "t": np.arange(1100) % 2}).to_csv(path,
                                                                              index=False)
    assert cli.main([str(path), "--target", "t", "-q", "--n-estimators", "2", "--library",
                     "lightgbm", "--folds", "5", "--param",
                     "lightgbm.min_child_samples=398"]) == 2
    assert capsys.readouterr().err.endswith(
        ", give --folds 11 (larger training folds), or --library xgboost\n")


def test_output_files_in_a_folder_the_command_cannot_write(tmp_path, monkeypatch):
    # a writable file in a folder that is not: written in place, as before (the
    # temporary file beside it cannot be made)
    import tempfile

    from focal_boost.cli._main import write_files

    table = tmp_path / "t.csv"
    table.write_bytes(b"old")

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refused)
    write_files({table: b"new"})
    assert table.read_bytes() == b"new"


def test_warnings_a_second_apart_are_one_message(capsys):
    # XGBoost stamps each of its messages with the time: the same message from fits a
    # second apart was printed once per second, not counted as one
    import warnings

    from focal_boost.cli._evaluate import one_line_warnings

    with one_line_warnings("xgboost focal"):
        warnings.warn("[18:58:29] WARNING: context.cc:53: No visible GPU is found", UserWarning,
                      stacklevel=1)
        warnings.warn("[18:58:30] WARNING: context.cc:53: No visible GPU is found", UserWarning,
                      stacklevel=1)
    assert capsys.readouterr().err == (
        "focal-boost: warning: xgboost focal: WARNING: context.cc:53: No visible GPU is found "
        "(2 fits)\n")


def test_column_names_lightgbm_would_split_or_merge(tmp_path, capsys):
    # a header cell with a line break failed LightGBM's runs ("Wrong size of
    # feature_names"; the focal one in parsing dump_model's JSON), and "a b" beside
    # "a_b" was one feature there ("appears more than one time"): tracebacks
    rng = np.random.default_rng(0)
    n = 120
    a, b = rng.normal(size=n), rng.normal(size=n)
    frame = pd.DataFrame({"a b": a, "a_b": b, "Amount\n(EUR)": rng.normal(size=n),
                          "x\ty": rng.normal(size=n),
                          "label": np.where(a + b + rng.normal(size=n) > 0.5, "yes", "no")})
    path = tmp_path / "names.csv"
    frame.to_csv(path, index=False)
    task, results, _ = cli.run([str(path), "--target", "label", *FAST, "--library", "both"])
    names = list(task.X.columns)
    assert len({name.replace(" ", "_") for name in names}) == 4
    assert not any(c in name for name in names for c in "\n\t")
    assert {r.library for r in results} == {"xgboost", "lightgbm"}


@pytest.mark.parametrize("boosting", [
    ["dart"],
    # a focal forest takes no validation data (only the whole forest is a model): the
    # command failed after the log-loss folds had trained, blaming the bagging values
    ["rf", "--param", "lightgbm.bagging_fraction=0.5", "--param", "lightgbm.bagging_freq=1"],
])
def test_lightgbm_dart_trains_every_round_on_every_training_row(binary_csv, capsys,
                                                              monkeypatch, boosting):
    # LightGBM's dart does not stop early (LightGBM says so): the log-loss model's rounds
    # read 0 (its best_iteration_ when early stopping did not run), the focal model's
    # all-rounds warning advised raising --n-estimators for a validation loss "still
    # falling", and the early-stopping rows (20%) were held out of training for nothing
    from focal_boost.cli import _evaluate

    seen = []
    real_fit = _evaluate.fit

    def fit(estimator, library, model, X, y, X_valid=None, y_valid=None):
        if estimator.get_params()["n_estimators"] == 20:  # (not the 2-round warm-up)
            seen.append((library, len(X), X_valid is None))
        return real_fit(estimator, library, model, X, y, X_valid, y_valid)

    monkeypatch.setattr(_evaluate, "fit", fit)
    assert cli.main([str(binary_csv), "--target", "label", "--folds", "4",
                     "--n-estimators", "20", "--n-jobs", "1",
                     "--param", f"lightgbm.boosting={boosting[0]}", *boosting[1:]]) == 0
    captured = capsys.readouterr()
    rows = [line.split() for line in captured.out.splitlines()
            if line.startswith("lightgbm")]
    assert [row[-1] for row in rows] == ["20", "20"], captured.out
    assert f"LightGBM's {boosting[0]} has no early stopping" in captured.out
    lightgbm_warnings = [line for line in captured.err.splitlines()
                         if line.startswith("focal-boost: warning: lightgbm")]
    assert not lightgbm_warnings, lightgbm_warnings  # (dart's, and raise --n-estimators)
    training_rows = 300  # 3 of the 4 folds of 400 rows
    fits = {library: {(n, unvalidated) for lib, n, unvalidated in seen if lib == library}
            for library in ("xgboost", "lightgbm")}
    assert fits["lightgbm"] == {(training_rows, True)}
    assert fits["xgboost"] == {(training_rows - 60, False)}  # early-stopped on 20%


@pytest.mark.parametrize(("folds", "fix"), [("2", "use --folds 3"), ("5", "use --folds 3")])
def test_fold_advice_names_folds_that_work(tmp_path, capsys, folds, fix):
    # a class of 3 rows: 3 folds take it, 2 need 4 (each fold's early-stopping split
    # takes 2); "--folds 2 needs at least 4 ...: use --folds 3 or fewer" advised 2 again
    _write_rare_class(tmp_path)
    assert cli.main([str(tmp_path / "data.csv"), "--target", "label", "--folds", folds]) == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith(f": {fix}"), err
    assert cli.main([str(tmp_path / "data.csv"), "--target", "label", *FAST]) == 0


def test_labels_pandas_reads_as_missing_are_named(tmp_path, capsys):
    # a class written "NA" (North America) is a missing label to pandas: the error said
    # only "a single class ('EU')", its warning of unlabelled rows was never printed, and
    # the warning did not say which cells were left out
    frame = _binary_frame()
    frame["label"] = np.where(frame["label"] == "yes", "NA", "EU")
    frame.to_csv(tmp_path / "data.csv", index=False)
    assert cli.main([str(tmp_path / "data.csv"), "--target", "label"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "single class ('EU')" in err, err
    assert "'NA' read as no label" in err, err
    frame.loc[:40, "label"] = "AS"  # two classes left: it trains, and says what it left out
    frame.to_csv(tmp_path / "data.csv", index=False)
    assert cli.main([str(tmp_path / "data.csv"), "--target", "label", *FAST]) == 0
    assert "'NA' read as no label" in capsys.readouterr().err


@pytest.mark.parametrize("labels", ["numbers", "text"])
def test_na_values_that_take_labels_away_are_named_for_parquet_too(tmp_path, capsys, labels):
    # a CSV's message said "'0' read as no label"; a parquet file's said nothing of
    # --na-values, whose mark had taken the labels away
    pytest.importorskip("pyarrow")
    frame = _binary_frame()
    mark = "no"
    if labels == "numbers":
        frame["label"], mark = (frame["label"] == "yes").astype(int), "0"
    frame.to_csv(tmp_path / "data.csv", index=False)
    frame.to_parquet(tmp_path / "data.parquet")
    for path in (tmp_path / "data.csv", tmp_path / "data.parquet"):
        assert cli.main([str(path), "--target", "label", "--na-values", mark]) == 2
        err = capsys.readouterr().err
        assert f"; '{mark}' read as no label))" in err, err

def test_the_table_scores_the_positive_class_where_it_sorts_first(tmp_path):
    # PR-AUC and the other binary metrics are the positive (rarer) class's whichever way
    # the labels sort: a table of the other class's (0.95 here) would not be noticed
    tables = {}
    for minority in ("a_rare", "z_rare"):
        _binary_frame(minority=minority, majority="m_common").to_csv(tmp_path / "d.csv",
                                                                    index=False)
        out = tmp_path / "t.json"
        assert cli.main([str(tmp_path / "d.csv"), "--target", "label", *FAST,
                         "--output", str(out)]) == 0
        report = json.loads(out.read_text())
        assert report["settings"]["positive_class"] == minority
        tables[minority] = [r["pr_auc_mean"] for r in report["results"]]
    assert max(tables["a_rare"]) < 0.8  # a class of 16% of the rows
    np.testing.assert_allclose(tables["a_rare"], tables["z_rare"], atol=0.1)

def test_table_cells_are_the_fold_mean_and_spread_and_the_mean_rounds():
    # mean and standard deviation in their places, rounds their mean (not the median)
    from focal_boost.cli._evaluate import Result
    from focal_boost.cli._report import format_table

    values = [0.8, 0.9, 0.7]
    scores = [{key: v for key in METRIC_KEYS} for v in values]
    result = Result("xgboost", "focal", 2.0, "none", scores=scores,
                    fit_seconds=[1.0, 2.0, 3.0], rounds=[10, 20, 90])
    summary = result.summary()
    assert summary["rounds_mean"] == 40.0
    mean, std = metrics.fold_mean_std(values)
    assert (summary["pr_auc_mean"], summary["pr_auc_std"]) == (mean, std)
    row = format_table([result]).splitlines()[2].split()
    assert row[4:7] == [f"{mean:.3f}", "±", f"{std:.3f}"] and row[-1] == "40"
    assert std > 0 and f"{mean:.3f}" != f"{std:.3f}"


def test_gamma_search_reports_the_mean_validation_log_loss_of_each_gamma(tmp_path):
    path = tmp_path / "data.csv"
    _binary_frame().to_csv(path, index=False)
    out = tmp_path / "table.json"
    _, results, _ = cli.run([str(path), "--target", "label", "--library", "xgboost", *FAST,
                             "--gamma", "auto", "--output", str(out)])
    search = json.loads(out.read_text())["settings"]["gamma_search"]["xgboost"]
    focal = next(r for r in results if r.search)
    assert search == {f"{g:g}": pytest.approx(np.mean(v), rel=1e-12)
                      for g, v in focal.search.items()}
    assert any(len(set(v)) > 1 for v in focal.search.values())  # (a mean of several)


def test_the_positive_class_of_two_equal_classes_is_the_second():
    from focal_boost.cli._data import make_task

    X = pd.DataFrame({"x": np.arange(20.0)})
    task = make_task(X, np.array(["no", "yes"] * 10), "d", 3)
    assert task.classes[task.positive] == "yes"  # (the one sorting last, as for 0 / 1)

def test_numbers_past_float32_are_refused_for_xgboost(tmp_path, capsys):
    # XGBoost holds data in float32: 3.5e38 is infinite there, which it refused with a
    # traceback and a C++ stack trace; LightGBM takes it
    frame = _binary_frame()
    frame.loc[5, "x2"] = -3.5e38
    frame.to_csv(tmp_path / "data.csv", index=False)
    assert cli.main([str(tmp_path / "data.csv"), "--target", "label", *FAST]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "column 'x2'" in err and "--library lightgbm" in err, err
    assert cli.main([str(tmp_path / "data.csv"), "--target", "label", "--library",
                     "lightgbm", *FAST]) == 0


def test_quoted_decimal_commas_in_a_comma_separated_file(tmp_path, capsys):
    # pd.read_csv(decimal=",") reads "-0,8" quoted in a comma-separated file as a number;
    # --decimal , was refused as the separator, and without it the column was a category
    frame = _binary_frame()
    frame.to_csv(tmp_path / "data.csv", index=False, decimal=",")  # pandas quotes them
    assert '"' in (tmp_path / "data.csv").read_text()
    task, _, _ = cli.run([str(tmp_path / "data.csv"), "--target", "label", "--decimal", ",",
                          *FAST, "--library", "lightgbm"])
    assert list(task.X.dtypes) == [np.float64] * 5
    np.testing.assert_allclose(task.X.to_numpy(), frame.drop(columns="label").to_numpy())


def test_a_decimal_comma_that_reads_points_as_thousands_says_so(tmp_path, capsys):
    # --decimal ',' on a file of decimal points read "-0.126" as -0.126 and "1.304" as
    # 1304 without a word: a column of 1000-fold values for some rows
    frame = _binary_frame()
    frame.to_csv(tmp_path / "data.csv", index=False, sep=";", float_format="%.3f")
    task, _, _ = cli.run([str(tmp_path / "data.csv"), "--target", "label", "--decimal", ",",
                          *FAST, "--library", "lightgbm"])
    err = capsys.readouterr().err
    assert err.count("beside numbers the decimal comma reads with a thousands point") == 5
    assert "column 'x0' has numbers with a decimal point (" in err, err
    assert "if its '.' is the decimal mark, give --decimal '.'" in err
    assert np.abs(task.X["x0"]).max() > 100  # (as it warns: some read 1000-fold)
    # with the file's decimal point, or a decimal comma's own file: read alike, no word
    for decimal in (".", ","):
        frame.to_csv(tmp_path / "data.csv", index=False, sep=";", float_format="%.3f",
                     decimal=decimal)
        task, _, _ = cli.run([str(tmp_path / "data.csv"), "--target", "label", "--decimal",
                              decimal, *FAST, "--library", "lightgbm"])
        assert "thousands point" not in capsys.readouterr().err
        np.testing.assert_allclose(task.X.to_numpy(), frame.drop(columns="label").to_numpy(),
                                   atol=5e-4)


def test_points_read_as_grouping_needs_both_kinds_of_cell_and_no_comma():
    import pandas as pd

    from focal_boost.cli._prepare import points_read_as_grouping

    def column(cells):
        return pd.Series(cells, dtype=object)

    assert points_read_as_grouping(column(["0.126", "1.304", "-1.265"]), ",") == (
        "0.126", "1.304")
    assert points_read_as_grouping(column(["12.5", "1.304"]), ",") == ("12.5", "1.304")
    assert points_read_as_grouping(column(["0.126", "1.304"]), ".") is None  # (read so)
    assert points_read_as_grouping(column(["1.304", "2.500", "7"]), ",") is None  # grouping
    assert points_read_as_grouping(column(["0.126", "0.5", "7"]), ",") is None  # points
    assert points_read_as_grouping(column(["0.126", "1.304", "2,5"]), ",") is None  # comma
    assert points_read_as_grouping(column(["0.1.2", "1.304"]), ",") is None  # no number
    assert points_read_as_grouping(pd.Series([0.126, 1304.0]), ",") is None  # numbers


def test_points_read_as_grouping_leaves_out_cells_grouped_by_spaces():
    # "1 304" (a no-break space between the thousands) is 1304 with either decimal
    # mark: no cell the decimal comma reads with a thousands point
    import pandas as pd

    from focal_boost.cli._prepare import points_read_as_grouping

    for spaced in ("1\u00a0304", "1\u202f304", "-12\u00a0500"):
        assert points_read_as_grouping(pd.Series(["0.126", spaced], dtype=object),
                                       ",") is None, spaced
    assert points_read_as_grouping(pd.Series(["0.126", "1\u00a0304", "1.304"],
                                             dtype=object), ",") == ("0.126", "1.304")


def test_a_decimal_comma_says_nothing_of_points_in_a_category_column(tmp_path, capsys):
    # the decimal mark reads no category: codes "0.5" and "1.250" are categories as
    # written, whatever --decimal is
    frame = _binary_frame()
    frame["code"] = np.array(["0.5", "1.250", "2.125"])[np.arange(len(frame)) % 3]
    frame.to_csv(tmp_path / "data.csv", index=False, sep=";", decimal=",")
    task, _, _ = cli.run([str(tmp_path / "data.csv"), "--target", "label", "--decimal", ",",
                          "--category", "code", *FAST, "--library", "lightgbm"])
    assert task.encoder.columns_["code"][1] == "category"
    assert "thousands point" not in capsys.readouterr().err
    assert not any("thousands point" in w for w in task.warnings), task.warnings


def test_na_values_apply_to_parquet_and_cells_with_spaces(tmp_path):
    # --na-values was refused for parquet (and a model trained with it scored a parquet
    # file's -999 as a number); pandas matches " ?" as written, which the advice said '?'
    pytest.importorskip("pyarrow")
    frame = _binary_frame()
    frame.loc[::4, "x0"] = -999.0
    frame.to_parquet(tmp_path / "data.parquet")
    task, _, _ = cli.run([str(tmp_path / "data.parquet"), "--target", "label",
                          "--na-values", "-999", *FAST, "--library", "lightgbm"])
    assert task.X["x0"].isna().sum() == len(frame[::4])
    text = frame.assign(x3=[" ?" if i % 5 == 0 else f" {v}" for i, v in
                            enumerate(frame["x3"])])
    text.to_csv(tmp_path / "data.csv", index=False)
    task, _, _ = cli.run([str(tmp_path / "data.csv"), "--target", "label",
                          "--na-values", "?", *FAST, "--library", "lightgbm"])
    assert task.X["x3"].dtype == np.float64 and task.X["x3"].isna().sum() == 80


def test_classes_written_as_marks_are_classes(tmp_path):
    # UCI's credit approval writes its classes "+" and "-": a label without a letter or
    # a digit was no label, and the column "empty"
    frame = _binary_frame()
    frame["label"] = np.where(frame["label"] == "yes", "+", "-")
    frame.loc[3, "label"] = ""
    frame.to_csv(tmp_path / "data.csv", index=False)
    task, _, _ = cli.run([str(tmp_path / "data.csv"), "--target", "label", *FAST,
                          "--library", "lightgbm"])
    assert task.classes.tolist() == ["+", "-"] and len(task.y) == len(frame) - 1


def test_lightgbm_dart_gamma_search_says_the_chosen_gamma_trains_on_all_rows(binary_csv,
                                                                           capsys):
    assert cli.main([str(binary_csv), "--target", "label", "--library", "lightgbm",
                     "--folds", "3", "--n-estimators", "10", "--n-jobs", "1", "--gamma",
                     "auto", "--param", "boosting=dart"]) == 0
    out = capsys.readouterr().out
    assert "candidate fits on" in out and "and the chosen gamma on all rows" in out, out


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz"])
def test_encoding_error_gives_the_offset_in_the_file(tmp_path, monkeypatch, capsys, suffix):
    # pandas' UnicodeDecodeError counts from the block it was decoding
    import gzip

    _write_late_latin1(tmp_path)
    data = tmp_path / f"late{suffix}"
    raw = (tmp_path / "data.csv").read_bytes()
    data.write_bytes(gzip.compress(raw) if suffix.endswith(".gz") else raw)
    offset = int((tmp_path / "offset").read_text())
    assert offset > 1 << 16
    assert cli.main([str(data), "--target", "label"]) == 2
    assert f"(byte 0xe7 at offset {offset})" in capsys.readouterr().err


def test_lone_carriage_returns_end_lines(tmp_path, capsys):
    # old Mac exports: pandas reads them; the separator sniffing raised csv.Error
    path = tmp_path / "mac.csv"
    _binary_frame().to_csv(path, index=False, lineterminator="\r")
    code = cli.main([str(path), "--target", "label", "--library", "lightgbm", "--folds", "2",
                     "--n-estimators", "5", "-q"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "lightgbm  focal" in out


def test_latin1_control_characters_advise_cp1252(tmp_path, capsys):
    _write_windows_text(tmp_path)
    code = cli.main([str(tmp_path / "data.csv"), "--target", "label", "--encoding", "latin-1",
                     "--library", "lightgbm", "--folds", "2", "--n-estimators", "5", "-q",
                     "--save-model", str(tmp_path / "m.pkl")])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert ("holds the control character '\\x80' (byte 0x80, '€' in Windows' cp1252); if "
            "the file was written on Windows, give --encoding cp1252") in err
    # the command printed to score the same file reads it as training did
    assert f"focal-boost predict {tmp_path / 'm.pkl'} {tmp_path / 'data.csv'} --encoding " \
           f"latin-1 --output scores.csv" in out


@pytest.mark.parametrize("command", [[], ["predict"]])
def test_files_the_command_may_not_read(tmp_path, monkeypatch, capsys, command):
    # (a permission the test's user may bypass: refused by Path.open itself)
    _binary_frame().to_csv(tmp_path / "data.csv", index=False)
    if command:
        assert cli.main([str(tmp_path / "data.csv"), "--target", "label", "--library",
                         "lightgbm", "--folds", "2", "--n-estimators", "3", "-q",
                         "--save-model", str(tmp_path / "m.pkl")]) == 0
        capsys.readouterr()
    locked = tmp_path / ("m.pkl" if command else "data.csv")
    real_open = Path.open

    def refusing_open(self, *args, **kwargs):
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refusing_open)
    argv = ([*command, str(tmp_path / "m.pkl"), str(tmp_path / "data.csv")] if command
            else [str(tmp_path / "data.csv"), "--target", "label"])
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    from focal_boost.cli._data import SUPPORTED

    what = ".pkl saved by --save-model" if command else f"{SUPPORTED} file"
    assert err == f"focal-boost: error: cannot read {locked} (Permission denied); give a " \
                  f"readable {what}\n"


def test_tab_typed_in_a_shell_and_all_cores(tmp_path, capsys):
    import warnings

    path = tmp_path / "data.txt"
    _binary_frame().to_csv(path, index=False, sep="\t")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pandas' regular-expression ParserWarning
        code = cli.main([str(path), "--target", "label", "--sep", "\\t", "--n-jobs", "-1",
                         "--library", "lightgbm", "--folds", "2", "--n-estimators", "3"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "(separator tab)" in err
    assert cli.main(["--n-jobs", "0"]) == 2
    assert "give an integer >= 1, or -1 for all cores" in capsys.readouterr().err


def test_reader_of_the_table_leaves(binary_csv):
    # `... | head -1`: no BrokenPipeError traceback after the work is done
    proc = subprocess.Popen([sys.executable, "-m", "focal_boost", str(binary_csv), "--target",
                             "label", "--library", "lightgbm", "--folds", "2",
                             "--n-estimators", "3", "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    with proc.stderr:
        err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 1
    assert "Traceback" not in err and "BrokenPipeError" not in err, err


def test_reader_of_the_progress_leaves(binary_csv, tmp_path):
    # stderr a pipe whose reader has gone: the first progress line raised BrokenPipeError,
    # taken for stdout's reader leaving: exit 1, and nothing written (not --output either)
    out = tmp_path / "t.json"
    proc = subprocess.Popen([sys.executable, "-m", "focal_boost", str(binary_csv), "--target",
                             "label", "--library", "lightgbm", "--folds", "2",
                             "--n-estimators", "3", "--output", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stderr.close()
    with proc.stdout:
        table = proc.stdout.read().decode()
    assert proc.wait(timeout=300) == 0
    assert "lightgbm  focal" in table and json.loads(out.read_text())["results"]


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts /proc/self/fd")
def test_a_caller_whose_stderr_reader_left_keeps_its_file_descriptors(binary_csv, tmp_path,
                                                                      monkeypatch):
    # each such run in-process left one descriptor of the null device open
    import io

    argv = [str(binary_csv), "--target", "label", "--library", "lightgbm", "--folds", "2",
            "--n-estimators", "3", "--output", str(tmp_path / "t.json")]

    def run_reader_gone():
        read, write = os.pipe()
        os.close(read)
        stream = io.TextIOWrapper(io.FileIO(write, "w"), encoding="utf-8",
                                  line_buffering=True)
        monkeypatch.setattr("sys.stderr", stream)
        try:
            assert cli.main(argv) == 0
        finally:
            monkeypatch.setattr("sys.stderr", sys.__stderr__)
            stream.close()  # (its descriptor: the null device's now)

    run_reader_gone()  # (the first run may import what opens files)
    before = len(os.listdir("/proc/self/fd"))
    run_reader_gone()
    run_reader_gone()
    assert len(os.listdir("/proc/self/fd")) == before


def test_plot_glyph_warnings_are_lines_of_the_command(tmp_path, capsys):
    path = tmp_path / "data.csv"
    _binary_frame(minority="陽性", majority="陰性").to_csv(path, index=False)
    code = cli.main([str(path), "--target", "label", "--library", "lightgbm", "--folds", "2",
                     "--n-estimators", "3", "-q", "--plot", str(tmp_path / "p.png")])
    err = capsys.readouterr().err
    assert code == 0, err
    plot = [line for line in err.splitlines() if "--plot" in line]
    # (matplotlib names the font since 3.9)
    assert len(plot) == 1 and re.fullmatch(r"focal-boost: warning: --plot: the font "
                                           r"(DejaVu Sans )?lacks '性', '陽', drawn as boxes",
                                           plot[0]), err
    assert all(line.startswith("focal-boost: warning: ") for line in err.splitlines()), err


def test_plot_warnings_of_older_matplotlib_are_lines_too(capsys):
    # matplotlib before 3.9 says "missing from current font.", and before 3.10.7 it
    # calls pyparsing's old names, whose deprecation warnings (pyparsing 3.3) are
    # UserWarnings: they were printed as the command's, one line each
    import warnings

    from focal_boost.cli._main import _plot_warnings

    class PyparsingDeprecationWarning(UserWarning):
        pass

    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        for glyph in (38525, 24615):
            warnings.warn(f"Glyph {glyph} (\\N{{CJK}}) missing from current font.",
                          UserWarning, stacklevel=1)
        warnings.warn("'parseString' deprecated - use 'parse_string'",
                      PyparsingDeprecationWarning, stacklevel=1)
    _plot_warnings(said)
    assert capsys.readouterr().err.splitlines() == [
        "focal-boost: warning: --plot: the font lacks '性', '陽', drawn as boxes"]


def test_true_false_with_blanks_is_a_bool_column_in_training_and_scoring(tmp_path, capsys):
    # pandas reads TRUE/FALSE with blank cells as objects (bools and NaN): judged a
    # category of 'False'/'True', scoring the same file read its cells as written
    # ('TRUE') and scored every one as missing (0.53 off the saved pipeline)
    rng = np.random.default_rng(7)
    flag, x = rng.random(200) < 0.5, rng.normal(size=200)
    y = np.where(rng.random(200) < 1 / (1 + np.exp(-(3 * flag - 1.5 + x))), "yes", "no")
    cells = np.where(flag, "TRUE", "FALSE").astype(object)
    cells[::10] = ""
    path = tmp_path / "flags.csv"
    pd.DataFrame({"flag": cells, "x": x, "y": y}).to_csv(path, index=False)
    model = tmp_path / "m.pkl"
    assert cli.main([str(path), "--target", "y", "--folds", "2", "--n-estimators", "10",
                     "--library", "lightgbm", "--save-model", str(model), "-q"]) == 0
    pipeline = pickle.loads(model.read_bytes())
    assert pipeline[0].columns_["flag"][1] == "bool"
    capsys.readouterr()
    scores = cli.predict([str(model), str(path), "-q"])
    assert "not seen in training" not in capsys.readouterr().err
    np.testing.assert_allclose(scores["proba_yes"],
                               pipeline.predict_proba(pd.read_csv(path))[:, 1], atol=1e-12)


def test_version_numbers_are_not_dates():
    from focal_boost.cli._prepare import judge_column

    versions = pd.Series(np.resize(["4.2.1", "4.3.2", "5.1.1", "10.15.7"], 100))
    assert judge_column("app_version", versions) == ("category", None)
    for dates in (["04.02.2021", "13.01.2021"], ["2021.02.04", "2021.12.31"],
                  ["04.02.21", "13.01.21"]):
        assert judge_column("day", pd.Series(np.resize(dates, 100)))[0] == "date", dates


@pytest.mark.parametrize("labels", ["one row left over", "a class of one row"])
def test_gamma_search_subsample_of_awkward_folds(labels):
    # the stratified subsample for --gamma auto refused a fold with fewer rows left over
    # than classes (20001 rows for 20000), or a class of one row there: a traceback
    from focal_boost.cli._evaluate import _search_rows

    rng = np.random.default_rng(0)
    rows = np.sort(rng.choice(1000, 300, replace=False))
    y = (np.arange(1000) % 3 == 0).astype(int)
    size = 299 if labels == "one row left over" else 100
    if labels == "a class of one row":
        y[rows[7]] = 2
    chosen = _search_rows(rows, y, size, seed=0)
    assert len(chosen) == size and len(np.unique(chosen)) == size
    assert np.isin(chosen, rows).all()
    assert set(y[chosen]) == set(y[rows])  # every class of the fold searched on


def test_time_left_counts_the_refit_without_early_stopping():
    from focal_boost.cli._evaluate import _fit_units

    assert _fit_units(5, 300) == 5.0  # the best candidate is the model
    assert _fit_units(5, 300, stops=False) == 6.0  # dart: fit again on every row
    assert _fit_units(1, 300, stops=False) == 1.0


def test_numeric_target_beside_a_question_mark(tmp_path, capsys):
    # a "?" kept the column text: "1" and "1.0" were two classes (4-class models of a
    # binary task), and a continuous target trained as text classes
    rng = np.random.default_rng(1)
    a = rng.normal(size=200)
    y = (a + rng.normal(size=200) * 0.5 > 0).astype(int)
    labels = [str(v) if i % 2 else str(float(v)) for i, v in enumerate(y)]
    labels[7] = "?"
    path = tmp_path / "t.csv"
    pd.DataFrame({"t": labels, "a": a, "b": rng.normal(size=200)}).to_csv(path, index=False)
    assert cli.main([str(path), "--target", "t", "--folds", "2", "--n-estimators", "5",
                     "--library", "lightgbm"]) == 0
    assert "positive class 1: " in capsys.readouterr().out
    steps = (np.clip(np.round(a * 2) / 2, -1, 1) + 0.25).astype(str).astype(object)
    steps[5] = "?"
    pd.DataFrame({"t": steps, "a": a}).to_csv(path, index=False)
    assert cli.main([str(path), "--target", "t", "--folds", "2"]) == 2
    assert "a continuous target" in capsys.readouterr().err


def test_target_types_of_a_file_read_whole(tmp_path):
    # pandas reads a large CSV in blocks and types each: a blank early and a "?" late
    # gave floats ('1.0') in one block and text ('1') in another: four classes
    from focal_boost.cli._data import make_task, read_table, split_target

    rng = np.random.default_rng(1)
    n = 300_000
    y = rng.integers(0, 2, n).astype(str).astype(object)
    y[5], y[n - 5] = "", "?"
    path = tmp_path / "big.csv"
    pd.DataFrame({"t": y, "a": rng.integers(0, 100, n)}).to_csv(path, index=False)
    frame, _ = read_table(path)
    assert frame["t"].dropna().map(type).nunique() == 1  # one type for the whole column
    X, labels = split_target(frame, "t", path)
    assert make_task(X, labels, "d", 2, "t").classes.tolist() == [0, 1]


def test_json_table_is_strict_json(tmp_path, binary_csv, capsys):
    out = tmp_path / "t.json"
    assert cli.main([str(binary_csv), "--target", "label", "--folds", "2", "--n-estimators",
                     "3", "--library", "xgboost", "--param", "max_delta_step=inf",
                     "--output", str(out), "-q"]) == 0

    def refuse(constant):
        raise ValueError(constant)

    table = json.loads(out.read_text(), parse_constant=refuse)  # NaN / Infinity refused
    assert table["settings"]["params"]["xgboost"]["max_delta_step"] == "inf"


def test_output_through_a_link_to_no_file(tmp_path, binary_csv, capsys):
    # the check made the link's file and then removed the link: the table replaced the
    # link, an empty file beside it
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "target.json")
    assert cli.main([str(binary_csv), "--target", "label", "--folds", "2", "--n-estimators",
                     "3", "--library", "xgboost", "--output", str(link), "-q"]) == 0
    assert link.is_symlink() and json.loads((tmp_path / "target.json").read_text())


def test_reading_warnings_join_the_error_they_explain(tmp_path, capsys):
    _write_windows_text(tmp_path)
    assert cli.main([str(tmp_path / "data.csv"), "--target", "price €", "--encoding",
                     "latin-1"]) == 2
    err = capsys.readouterr().err
    assert "has no column 'price €'" in err and "give --encoding cp1252" in err


def test_printed_predict_command_spells_a_tab(tmp_path, capsys):
    path = tmp_path / "data.txt"
    _binary_frame().to_csv(path, index=False, sep="\t")
    assert cli.main([str(path), "--target", "label", "--sep", "\t", "--folds", "2",
                     "--n-estimators", "3", "--library", "lightgbm", "-q",
                     "--save-model", str(tmp_path / "m.pkl")]) == 0
    out = capsys.readouterr().out
    assert "--sep tab --output scores.csv" in out and "\t" not in out.splitlines()[-1]


def test_gamma_search_keeps_a_class_of_two_rows_among_many():
    # the stratified subsample gave a class of 2 rows among 100k none (no error to fall
    # back on): the candidates never saw it, and the early-stopping rows held it
    from focal_boost.cli._evaluate import _search_rows

    rows = np.arange(100_000)
    y = np.zeros(100_000, dtype=int)
    y[:2], y[2:4] = 1, 2
    chosen = _search_rows(rows, y, 20_000, seed=0)
    assert set(y[chosen]) == {0, 1, 2} and len(np.unique(chosen)) == len(chosen)


def test_encoding_advice_and_warning_read_the_whole_file(tmp_path, capsys):
    # the cp1252 advice and the latin-1 warning read the first 64 KiB only: a 0x81 past
    # it (no cp1252 character) was advised cp1252, which then advised utf-8; a 0x80 past
    # it was not warned about
    lines = ["a,b,target"] + [f"{i},x,{'yes' if i % 5 else 'no'}" for i in range(8000)]
    head = ("\n".join(lines) + "\n").encode()
    assert len(head) > 1 << 16
    undefined = tmp_path / "undefined.csv"
    undefined.write_bytes(head + b"1,caf\x81,no\n")
    assert cli.main([str(undefined), "--target", "target"]) == 2
    err = capsys.readouterr().err
    assert "e.g. --encoding latin-1" in err and "cp1252" not in err
    euro = tmp_path / "euro.csv"
    euro.write_bytes(head + b"1,10 \x80,no\n")
    assert cli.main([str(euro), "--target", "target", "--encoding", "latin-1", "--library",
                     "lightgbm", "--folds", "2", "--n-estimators", "2", "-q"]) == 0
    assert "'€' in Windows' cp1252" in capsys.readouterr().err


def test_a_pipe_as_the_model_to_score_with(tmp_path, binary_csv, capsys):
    fifo = tmp_path / "model.pkl"
    os.mkfifo(fifo)
    assert cli.main(["predict", str(fifo), str(binary_csv)]) == 2
    assert "is not a regular file (a pipe or a device)" in capsys.readouterr().err


def test_long_codes_as_labels_beside_a_question_mark(tmp_path, capsys):
    # read as numbers, 19-digit codes a float cannot tell apart were one class
    a, b = "1234567890123456789", "1234567890123456790"
    y = np.array([a, b, "5"] * 100, dtype=object)
    y[0] = "?"
    rng = np.random.default_rng(0)
    path = tmp_path / "codes.csv"
    pd.DataFrame({"f": rng.normal(size=300), "y": y}).to_csv(path, index=False)
    assert cli.main([str(path), "--target", "y", "--library", "lightgbm", "--folds", "2",
                     "--n-estimators", "3", "-q"]) == 0
    assert f"{a}: 99, {b}: 100" in capsys.readouterr().out


def test_a_loop_of_links_as_the_output(tmp_path, binary_csv, capsys):
    (tmp_path / "a.json").symlink_to(tmp_path / "b.json")
    (tmp_path / "b.json").symlink_to(tmp_path / "a.json")
    assert cli.main([str(binary_csv), "--target", "label", "--output",
                     str(tmp_path / "a.json")]) == 2
    assert "cannot be resolved" in capsys.readouterr().err


def test_plus_minus_on_a_stream_of_an_unknown_encoding(monkeypatch):
    # a stdout whose encoding Python does not know: "+/-", not a LookupError
    import io

    from focal_boost.cli import _main

    class Stream(io.StringIO):
        encoding = "no-such-codec"

    monkeypatch.setattr("sys.stdout", Stream())
    assert _main._plus_minus() == "+/-"


# ------------------------------------------------------------ table, plots, JSON and time left
def test_table_marks_a_searched_gamma_auto_and_log_loss_alpha_dash():
    # the gamma cell of --gamma auto says "auto" beside the refit gamma; a log-loss row
    # has no alpha: "-", not "None"
    from focal_boost.cli._evaluate import Result
    from focal_boost.cli._report import format_table

    scores = [{key: 0.5 for key in METRIC_KEYS}] * 2
    common = {"scores": scores, "fit_seconds": [1.0, 1.0], "rounds": [5, 5]}
    log_loss = Result("xgboost", "log-loss", 0.0, "none", **common)
    fixed = Result("xgboost", "focal", 2.0, "none", **common)
    searched = Result("xgboost", "focal", 0.5, "none", search={0.5: [0.3, 0.3],
                                                               2.0: [0.4, 0.4]}, **common)
    rows = [line.split() for line in format_table([log_loss, fixed, searched]).splitlines()[2:]]
    assert rows[0][2:4] == ["-", "-"]
    assert rows[1][2:4] == ["2", "none"]
    assert rows[2][2:5] == ["auto", "0.5", "none"]


def test_gamma_search_chooses_per_fold_the_lowest_validation_log_loss(tmp_path):
    # each fold's model is the gamma of lowest validation log-loss in that fold
    path = tmp_path / "data.csv"
    _binary_frame().to_csv(path, index=False)
    _, results, _ = cli.run([str(path), "--target", "label", "--library", "xgboost", *FAST,
                             "--gamma", "auto"])
    focal = next(r for r in results if r.search)
    assert len(focal.gamma_per_fold) == 3
    for i, chosen in enumerate(focal.gamma_per_fold):
        assert chosen == min(focal.search, key=lambda g: focal.search[g][i])


def test_plot_series_binary_curves_are_the_positive_class(tmp_path):
    # the binary PR curve and reliability bins are of the positive class's probability
    # (where the positive class sorts first too), as the table's numbers are
    from sklearn.metrics import precision_recall_curve

    from focal_boost.metrics import ECE_BINS, reliability_curve

    path = tmp_path / "data.csv"
    _binary_frame(minority="a_rare", majority="m_common").to_csv(path, index=False)
    task, results, _ = cli.run([str(path), "--target", "label", "--library", "xgboost",
                                *FAST])
    j = task.positive
    t = (task.y_index == j).astype(int)
    out = cli.plot_series(task, results, ("xgboost",))["xgboost"]
    for r, (recall, precision, _), (mean, frac, _) in zip(
            results, out["pr"], out["reliability"], strict=True):
        want_precision, want_recall, _ = precision_recall_curve(t, r.oof[:, j])
        np.testing.assert_allclose(recall, want_recall)
        np.testing.assert_allclose(precision, want_precision)
        want_mean, want_frac, _ = reliability_curve(t, r.oof[:, j], n_bins=ECE_BINS)
        np.testing.assert_allclose(mean, want_mean)
        np.testing.assert_allclose(frac, want_frac)


def test_json_table_holds_numeric_classes_as_numbers(tmp_path):
    # a target of 0 / 1 is written as the numbers, not as the text "0" / "1"
    frame = _binary_frame()
    frame["label"] = (frame["label"] == "yes").astype(int)
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    out = tmp_path / "t.json"
    assert cli.main([str(path), "--target", "label", "--library", "xgboost", *FAST,
                     "--output", str(out)]) == 0
    settings = json.loads(out.read_text())["settings"]
    assert settings["classes"] == [0, 1] and settings["positive_class"] == 1


def test_native_model_note_names_the_class_its_probability_is_of(tmp_path, capsys):
    # focal_boost.xgboost.predict_proba on the saved booster gives P(the second class)
    path = tmp_path / "data.csv"
    _binary_frame(minority="yes", majority="no").to_csv(path, index=False)
    model = tmp_path / "m.json"
    assert cli.main([str(path), "--target", "label", "--library", "xgboost", *FAST,
                     "--save-model", str(model)]) == 0
    out = capsys.readouterr().out  # (the note follows the table)
    assert "gives P('yes')" in out and "P('no')" not in out


@pytest.mark.parametrize("library", ["xgboost", "lightgbm"])
@pytest.mark.parametrize("model", ["log-loss", "focal"])
def test_every_model_trains_at_the_commands_learning_rate(library, model):
    # the report says "learning rate 0.1": XGBoost's own default is 0.3
    from focal_boost.cli._args import LEARNING_RATE
    from focal_boost.cli._evaluate import make_model

    est = make_model(library, model, gamma=2.0, alpha=None, n_estimators=5, seed=0,
                     n_jobs=1, early_stopping=True)
    assert est.get_params()["learning_rate"] == LEARNING_RATE == 0.1


@pytest.mark.parametrize("param", ["tree_method=exact", "booster=gblinear"])
def test_xgboost_settings_the_plain_classifier_takes_on_numbers(binary_csv, capsys, param):
    # enable_categorical=True on a file of numbers alone made XGBoost's exact method
    # refuse ("categorical data is not implemented"), as XGBClassifier refuses it; the
    # log-loss model's own tree_method="hist" warned gblinear "not used"
    assert cli.main([str(binary_csv), *FAST, "--target", "label", "--library", "xgboost",
                     "--param", f"xgboost.{param}"]) == 0
    captured = capsys.readouterr()
    assert "not used" not in captured.err and "categorical" not in captured.err
    assert len([line for line in captured.out.splitlines()
                if line.startswith("xgboost")]) == 2


def test_xgboost_models_read_category_columns_only_where_there_are_some():
    from focal_boost.cli._evaluate import has_categories, make_model

    numbers = pd.DataFrame({"x": [0.5, 1.5]})
    assert not has_categories(numbers)
    assert has_categories(numbers.assign(c=pd.Categorical(["a", "b"])))
    for model in ("log-loss", "focal"):
        for categories in (True, False):
            est = make_model("xgboost", model, gamma=2.0, alpha=None, n_estimators=5,
                             seed=0, n_jobs=1, early_stopping=True, categories=categories)
            assert est.get_params()["enable_categorical"] is categories
            assert est.get_params()["tree_method"] is None  # (the library's default)


def test_early_stopping_rows_hold_every_class_of_a_small_fold():
    # a fifth of a small training fold is fewer rows than classes: the early-stopping
    # rows are still one of each class (the stratified split refused fewer)
    from types import SimpleNamespace

    from focal_boost.cli._data import make_task
    from focal_boost.cli._evaluate import _splits

    X = pd.DataFrame({"x": np.arange(30.0)})
    task = make_task(X, np.array(list("abcde") * 6), "d", 3)
    for fit_rows, valid_rows, test in _splits(task, SimpleNamespace(folds=3, seed=0)):
        assert set(task.y_index[valid_rows]) == set(range(5))
        assert len(np.intersect1d(fit_rows, valid_rows)) == 0
        assert len(np.intersect1d(np.union1d(fit_rows, valid_rows), test)) == 0


def test_time_left_counts_the_search_on_a_subsample_and_the_refit():
    # a fold of more than SEARCH_ROWS rows: the candidates on SEARCH_ROWS rows, then the
    # chosen gamma on all of them (one whole fit)
    from focal_boost.cli import _args
    from focal_boost.cli._evaluate import _fit_units

    n_fit = 4 * _args.SEARCH_ROWS
    assert _fit_units(5, n_fit) == pytest.approx(1.0 + 5 / 4)
    assert _fit_units(1, n_fit) == 1.0


# Early stopping, warnings, report, plots, JSON and the reading of columns ------
@pytest.mark.parametrize(("library", "model"), [("xgboost", "log-loss"),
                                                ("xgboost", "focal"), ("lightgbm", "focal")])
def test_every_model_stops_after_the_rounds_the_report_names(library, model):
    # the report says "30 rounds without improvement"; LGBMClassifier gets them in fit's
    # callback, the others as early_stopping_rounds
    from focal_boost.cli._args import EARLY_STOPPING_ROUNDS
    from focal_boost.cli._evaluate import make_model

    est = make_model(library, model, gamma=2.0, alpha=None, n_estimators=5, seed=0,
                     n_jobs=1, early_stopping=True)
    assert est.get_params()["early_stopping_rounds"] == EARLY_STOPPING_ROUNDS == 30
    est = make_model(library, model, gamma=2.0, alpha=None, n_estimators=5, seed=0,
                     n_jobs=1, early_stopping=False)
    assert est.get_params()["early_stopping_rounds"] is None


def test_a_warning_of_one_fit_is_not_counted(capsys):
    import warnings

    from focal_boost.cli._evaluate import one_line_warnings

    with one_line_warnings("xgboost focal"):
        warnings.warn("a message of one fit", UserWarning, stacklevel=1)
    assert capsys.readouterr().err == (
        "focal-boost: warning: xgboost focal: a message of one fit\n")


def test_a_warning_only_the_warm_up_fit_heard_is_printed(binary_csv, capsys, monkeypatch):
    # the untimed warm-up fit's warnings were dropped, as the folds repeat them; XGBoost
    # 3.4 says once a process that dart is deprecated, to the warm-up only: never shown
    import warnings

    from focal_boost.cli import _evaluate

    real_fit, heard = _evaluate.fit, []

    def fit(estimator, library, model, X, y, X_valid=None, y_valid=None):
        if not heard:
            heard.append(estimator.get_params()["n_estimators"])
            warnings.warn("[18:58:29] WARNING: once a process", UserWarning, stacklevel=1)
        warnings.warn("every fit", UserWarning, stacklevel=1)
        return real_fit(estimator, library, model, X, y, X_valid, y_valid)

    monkeypatch.setattr(_evaluate, "fit", fit)
    assert cli.main([str(binary_csv), "--target", "label", "--folds", "2", "--library",
                     "xgboost", "--n-estimators", "5", "--n-jobs", "1", "-q"]) == 0
    assert heard == [2]  # (the warm-up's)
    said = [line for line in capsys.readouterr().err.splitlines() if "fit" in line
            or "once" in line]
    assert said == ["focal-boost: warning: xgboost log-loss: every fit (2 fits)",
                    "focal-boost: warning: xgboost log-loss: WARNING: once a process",
                    "focal-boost: warning: xgboost focal: every fit (2 fits)"], said
    with _evaluate.one_line_warnings(None) as messages:  # prints nothing, says what it heard
        warnings.warn("[18:58:30] WARNING: once a process", UserWarning, stacklevel=1)
    assert messages == ["WARNING: once a process"] and capsys.readouterr().err == ""


def test_a_ctrl_c_a_library_turns_into_its_own_error_is_an_interruption(binary_csv, capsys,
                                                                       monkeypatch):
    # XGBoost catches a Ctrl-C that arrives in its callbacks while it builds a DMatrix
    # from batches and fails its own check instead ("Check failed: accumulated_rows"):
    # the command printed that traceback, not "interrupted" with exit code 130
    import signal

    from focal_boost.cli import _evaluate

    def fit(*args, **kwargs):
        try:
            signal.raise_signal(signal.SIGINT)
        except KeyboardInterrupt:
            raise RuntimeError("Check failed: accumulated_rows == info.num_row_") from None

    monkeypatch.setattr(_evaluate, "fit", fit)
    argv = [str(binary_csv), "--target", "label", "--library", "xgboost", "-q"]
    assert cli.main(argv) == 130
    assert capsys.readouterr().err == "focal-boost: interrupted\n"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    # an error with no Ctrl-C is the error it is
    monkeypatch.setattr(_evaluate, "fit", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        cli.main(argv)


def test_warnings_other_than_user_warnings_are_passed_on(capsys):
    import warnings

    from focal_boost.cli._evaluate import one_line_warnings

    with warnings.catch_warnings(record=True) as passed:
        warnings.simplefilter("always")
        with one_line_warnings("xgboost focal"):
            warnings.warn("an old spelling", DeprecationWarning, stacklevel=1)
    assert [(w.category, str(w.message)) for w in passed] == [
        (DeprecationWarning, "an old spelling")]
    assert capsys.readouterr().err == ""  # (not one of the command's lines)


def test_lightgbm_dart_gamma_candidates_are_scored_on_rows_they_did_not_train_on(
        binary_csv, monkeypatch):
    # without early stopping the early-stopping rows choose gamma, then train the chosen
    # one: a candidate fit on them too was chosen by its training loss
    from focal_boost.cli import _evaluate

    seen = []
    real_fit = _evaluate.fit

    def fit(estimator, library, model, X, y, X_valid=None, y_valid=None):
        if model == "focal" and estimator.get_params()["n_estimators"] == 10:
            seen.append(len(X))
        return real_fit(estimator, library, model, X, y, X_valid, y_valid)

    monkeypatch.setattr(_evaluate, "fit", fit)
    cli.run([str(binary_csv), "--target", "label", "--library", "lightgbm", "-q",
             "--folds", "4", "--n-estimators", "10", "--n-jobs", "1", "--gamma", "auto",
             "--param", "boosting=dart"])
    n = len(_evaluate.GAMMA_GRID)
    # 4 folds of 300 training rows: the candidates on 240, the chosen gamma on all 300
    assert seen[:4 * (n + 1)] == ([240] * n + [300]) * 4, seen


def test_time_left_below_a_minute_and_a_half_is_in_seconds():
    # "1 min" for 60 to 89 s would round away up to half of it
    from focal_boost.cli._evaluate import _duration

    assert _duration(59) == "59 s"
    assert _duration(75) == "75 s"
    assert _duration(150) == "2 min"


def test_table_fit_seconds_keep_hundredths():
    # small data fits in hundredths of a second: "0.0" for every model says nothing
    from focal_boost.cli._evaluate import Result
    from focal_boost.cli._report import format_table

    scores = [{key: 0.5 for key in METRIC_KEYS}] * 3
    result = Result("xgboost", "focal", 2.0, "none", scores=scores,
                    fit_seconds=[0.02, 0.03, 0.04], rounds=[5, 5, 5])
    row = format_table([result]).splitlines()[2].split()
    assert row[-2:] == ["0.03", "5"]


def test_report_of_a_gamma_search_says_what_its_numbers_are(binary_csv, capsys):
    # the share of early-stopping rows as a whole percent, the fit-time note of a search,
    # and each gamma's mean (not best) validation log-loss over the folds
    _, results, _ = cli.run([str(binary_csv), "--target", "label", "--library", "xgboost",
                             *FAST, "--gamma", "auto"])
    out = capsys.readouterr().out
    assert "in every training fold 20% of the rows (stratified)" in out, out
    assert "fit s = seconds per fold (with --gamma auto: the whole search) after" in out
    focal = next(r for r in results if r.search)
    grid = ", ".join(f"{g:g}: {np.mean(v):.4f}" for g, v in focal.search.items())
    assert f"mean validation log-loss by gamma {grid};" in out, out


def test_plot_legends_carry_the_tables_fold_means(binary_csv):
    from focal_boost.cli import METRICS

    task, results, _ = cli.run([str(binary_csv), "--target", "label", "--library",
                                "xgboost", *FAST])
    view = cli.plot_series(task, results, ["xgboost"])["xgboost"]
    for r, (_, _, pr), (_, _, ece) in zip(results, view["pr"], view["reliability"],
                                          strict=True):
        s = r.summary()
        assert pr.endswith(f"(PR-AUC {s['pr_auc_mean']:.{METRICS['pr_auc'][1]}f})"), pr
        assert ece.endswith(f"(ECE {s['ece_mean']:.{METRICS['ece'][1]}f})"), ece


def test_plot_bin_counts_put_a_probability_of_one_in_the_last_bin():
    from focal_boost.cli._evaluate import Result
    from focal_boost.cli._report import _view
    from focal_boost.metrics import ECE_BINS

    p = np.array([0.0, 0.01, 0.5, 1 - 0.1 / ECE_BINS, 1.0, 1.0])
    t = np.array([0, 0, 1, 1, 1, 1])
    view = _view(None, [Result("xgboost", "log-loss", 0.0, "none")], lambda r: t,
                 lambda r: p, False)
    left, counts, _ = view["counts"][0]
    # p = 1 is in the last bin, as ECE counts it (not a bin of its own past 1)
    assert (left * ECE_BINS).round().tolist() == [0, ECE_BINS // 2, ECE_BINS - 1]
    assert counts.tolist() == [2, 1, 3]


def test_json_holds_an_undefined_metric_as_null_and_infinities_as_text():
    from focal_boost.cli._report import _json_safe

    assert _json_safe({"a": [float("nan"), np.float64("nan")], "b": float("inf"),
                       "c": -np.inf, "d": 1.5}) == {"a": [None, None], "b": "inf",
                                                   "c": "-inf", "d": 1.5}


def test_reliability_bins_of_twenty_rows_are_drawn_filled():
    # the legend says hollow is "bin of < 20 rows"
    from matplotlib.colors import same_color
    from matplotlib.figure import Figure

    from focal_boost.cli._report import MIN_BIN_ROWS, _draw_reliability

    ax = Figure().subplots()
    x = np.array([0.1, 0.5])
    model = ((x, x, "m"), (x, np.array([MIN_BIN_ROWS - 1, MIN_BIN_ROWS]), "m"))
    _draw_reliability(ax, {"reliability": [model[0]] * 2, "counts": [model[1]] * 2},
                      "title", None)
    hollow = [line.get_xdata().tolist() for line in ax.lines
              if line.get_marker() == "o" and same_color(line.get_markerfacecolor(), "white")
              and len(line.get_xdata())]
    assert hollow == [[0.1], [0.1]], hollow


def test_blank_cells_are_no_category():
    import pandas as pd

    from focal_boost.cli._prepare import FrameEncoder

    frame = pd.DataFrame({"c": ["a", "b", " ", "a", "  "] * 5, "x": np.arange(25.0) % 3})
    encoder = FrameEncoder().fit(frame)
    assert encoder.columns_["c"][1:] == ("category", ["a", "b"])


def test_infinities_written_out_are_no_numbers():
    import pandas as pd

    from focal_boost.cli._prepare import _numbers

    values = _numbers(pd.Series(["1", "inf", "-Infinity", "2.5"], dtype=object))
    np.testing.assert_array_equal(values, [1.0, np.nan, np.nan, 2.5])


def test_text_of_nine_distinct_values_in_ten_rows_is_id_like():
    # ID_SHARE = 0.9: at that share, not only above it
    import pandas as pd

    from focal_boost.cli._prepare import judge_column

    cells = [f"k{i:02d}" for i in range(18)] + ["k00", "k01"]
    assert judge_column("code", pd.Series(cells, dtype=object))[0] == "id"


def test_text_of_nine_numbers_in_ten_cells_is_a_number_column():
    # NUMBER_SHARE = 0.9: at that share, not only above it
    import pandas as pd

    from focal_boost.cli._prepare import judge_column

    cells = [str(i) for i in range(1, 10)] + ["?"]
    assert judge_column("x", pd.Series(cells, dtype=object)) == ("number", None)


def test_half_numbers_half_missing_marks_gets_the_na_values_hint():
    import pandas as pd

    from focal_boost.cli._prepare import number_hint

    hint = number_hint(pd.Series(["1", "2", "?", "?"], dtype=object))
    assert hint is not None and hint[1] == ["?"], hint


def test_letters_after_a_few_numbers_are_a_unit_only_when_nine_in_ten_share_them():
    import pandas as pd

    from focal_boost.cli._prepare import number_hint

    cells = [str(i) for i in range(95)] + ["5kg"] * 3 + ["7lb"] * 2
    assert number_hint(pd.Series(cells, dtype=object)) is None


def test_category_on_an_empty_column_leaves_it_out():
    import pandas as pd

    from focal_boost.cli._prepare import FrameEncoder

    frame = pd.DataFrame({"e": [np.nan] * 25, "x": np.arange(25.0) % 3})
    encoder = FrameEncoder(categorical=["e"]).fit(frame)
    assert "e" not in encoder.columns_ and encoder.dropped_ == {"e": "no values"}


def test_values_read_as_missing_are_named_three_at_most():
    import pandas as pd

    from focal_boost.cli._prepare import FrameEncoder

    encoder = FrameEncoder().fit(pd.DataFrame({"x": np.arange(25.0) % 7}))
    rows = pd.DataFrame({"x": pd.Series(["a", "b", "c", "d", "1"], dtype=object)})
    assert encoder.lost_values(rows, encoder.transform(rows)) == {"x": (4, ["a", "b", "c"])}


def test_dates_half_in_each_of_two_formats_have_no_one_format():
    import pandas as pd

    from focal_boost.cli._prepare import _date_format

    cells = [f"2021-01-{d:02d}" for d in range(1, 11)] + [f"{d}/01/2021" for d in
                                                          range(13, 23)]
    assert _date_format(pd.Series(cells)) is None
    assert _date_format(pd.Series(cells[10:])) == "%d/%m/%Y"


def test_codes_read_as_numbers_are_not_text_columns():
    import pandas as pd

    from focal_boost.cli._prepare import FrameEncoder

    frame = pd.DataFrame({"zip": [10115, 20095, 80331] * 9,
                          "town": ["a", "b", "c"] * 9})
    encoder = FrameEncoder(categorical=["zip"]).fit(frame)
    assert encoder.columns_["zip"][1] == "category"
    assert encoder.text_columns_ == ["town"]


def test_a_name_lightgbm_writes_as_one_taken_gets_a_suffix():
    # "a b" is "a_b" in LightGBM's model text: after a column "a_b" it is renamed
    from focal_boost.cli._prepare import feature_name

    assert feature_name("a b", {"a_b": None}) == "a b_1"
    assert feature_name("a b", {}) == "a b"


@pytest.mark.parametrize("alpha", [None, "balanced"])
def test_report_has_no_alpha_line_for_alpha_none_or_balanced(alpha):
    # only a number --alpha (which weighs the positive class) gets the "in Python:" line
    from types import SimpleNamespace

    rng = np.random.default_rng(0)
    n = 90
    labels = rng.choice(["a", "b"], size=n, p=[0.8, 0.2])
    task = cli.make_task(pd.DataFrame({"x": rng.normal(size=n)}), labels, "synthetic",
                         folds=3)
    folds = np.arange(n) % 3
    results = []
    for library in ("xgboost", "lightgbm"):
        r = cli.Result(library, "focal", 2.0, "none" if alpha is None else alpha)
        r.oof = rng.dirichlet(np.ones(2), size=n)
        for f in range(3):
            r.scores.append(cli.scores(task.y_index[folds == f], r.oof[folds == f],
                                       task.positive))
        r.fit_seconds, r.rounds = [0.1] * 3, [10] * 3
        results.append(r)
    args = SimpleNamespace(folds=3, seed=0, n_estimators=25, gamma=2.0, alpha=alpha)
    report = cli.format_report(task, results, args)
    assert "in Python: alpha=" not in report
    args.alpha = 0.25
    minority = task.classes[task.positive]
    assert (f"alpha 0.25 weighs the positive class; in Python: alpha={{'{minority}': 0.25"
            in cli.format_report(task, results, args))


def _argv(path):
    return [str(path), "--target", "label", "--library", "xgboost", "--folds", "2",
            "--n-estimators", "3", "--n-jobs", "1", "-q"]


def _ctrl_c_then_fit(monkeypatch):
    from focal_boost.cli import _evaluate

    real_fit = _evaluate.fit

    def fit(*args, **kwargs):
        signal.raise_signal(signal.SIGINT)
        return real_fit(*args, **kwargs)

    monkeypatch.setattr(_evaluate, "fit", fit)


def test_a_ctrl_c_during_a_fit_stops_the_command(binary_csv, capsys, monkeypatch):
    _ctrl_c_then_fit(monkeypatch)
    assert cli.main(_argv(binary_csv)) == 130
    assert capsys.readouterr().err == "focal-boost: interrupted\n"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_sigint_handler_of_whoever_runs_the_command_is_kept(binary_csv, capsys, monkeypatch):
    heard = []

    def handler(signum, frame):
        heard.append(signum)

    _ctrl_c_then_fit(monkeypatch)
    previous = signal.signal(signal.SIGINT, handler)
    try:
        assert cli.main(_argv(binary_csv)) == 0
        assert signal.getsignal(signal.SIGINT) is handler
    finally:
        signal.signal(signal.SIGINT, previous)
    assert heard and set(heard) == {signal.SIGINT}


def test_the_command_runs_in_a_thread_other_than_the_main_one(binary_csv, capsys):
    codes, errors = [], []

    def command():
        try:
            codes.append(cli.main(_argv(binary_csv)))
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    thread = threading.Thread(target=command)
    thread.start()
    thread.join(timeout=60)
    assert errors == [] and codes == [0]


def test_other_decimal_mark_is_judged_on_the_non_blank_cells_against_the_mark_given():
    import pandas as pd

    from focal_boost.cli._prepare import number_hint, other_decimal_mark

    def column(cells):
        return pd.Series(cells, dtype=object)

    # blank text cells are no cells; nine in ten (exactly) suffice
    assert other_decimal_mark(column(["0,126", "1,304", " ", "  ", ""])) == ","
    assert other_decimal_mark(column(["0,5"] * 9 + ["abc"])) == ","
    # cells that read as numbers with either mark need no other
    assert other_decimal_mark(column(["1", "2", "3"])) is None
    # read with a decimal comma, the other mark is the point
    cells = column(["0.126", "1.304", "-1.265"])
    assert other_decimal_mark(cells, ",") == "."
    assert "give --decimal '.'" in number_hint(cells, ",")[0]
