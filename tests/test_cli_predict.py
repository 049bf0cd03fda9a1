"""The command line from a raw file to a saved model that scores raw rows: columns
that are not features, reading real files, ``focal-boost predict``, ``--param``."""

from __future__ import annotations

import csv
import io
import json
import os
import pickle
import re
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

pytest.importorskip("xgboost")
pytest.importorskip("lightgbm")
pytest.importorskip("sklearn")
pd = pytest.importorskip("pandas")

from sklearn.pipeline import Pipeline  # noqa: E402

from focal_boost import cli  # noqa: E402

FAST = ["-q", "--folds", "3", "--n-estimators", "25", "--n-jobs", "1"]


def _customers(n=300, seed=0):
    """A churn file as users have them: an ID, dates, free text, a text category
    with missing cells, a column name with a comma and unicode, a boolean."""
    rng = np.random.default_rng(seed)
    plan = rng.choice(["basic", "pro", "team"], size=n)
    churn = (plan == "basic") & (rng.uniform(size=n) < 0.7) | (rng.uniform(size=n) < 0.05)
    frame = pd.DataFrame({
        "customer_id": [f"C{i:05d}" for i in rng.permutation(n)],
        "signup": pd.date_range("2021-01-01", periods=n, freq="D").strftime("%Y-%m-%d"),
        "comment": [f"customer {i} said {w} about the service" for i, w in
                    zip(range(n), rng.choice(["good things", "bad things", "little"], n),
                        strict=True)],
        "worst area, mm²": rng.normal(size=n),
        "plan": plan,
        "paid": rng.uniform(size=n) < 0.5,
        "churn": np.where(churn, "gone", "stays"),
    })
    frame.loc[::11, "plan"] = np.nan
    return frame


@pytest.mark.parametrize("library", ["xgboost", "lightgbm"])
def test_train_save_predict_raw_rows(tmp_path, capsys, library):
    data, model_path = tmp_path / "customers.csv", tmp_path / "model.pkl"
    frame = _customers()
    frame.to_csv(data, index=False)
    task, _, models = cli.run([str(data), "--target", "churn", *FAST, "--library", library,
                               "--save-model", str(model_path)])
    stdout = capsys.readouterr().out
    assert ("not features: 'customer_id' (ID-like: 300 distinct values in 300 rows); "
            "'signup' (dates); 'comment' (free text") in stdout
    assert list(task.X.columns) == ["worst area_ mm²", "plan", "paid"]
    assert f"focal-boost predict {model_path} {data}" in stdout

    # New rows as they appear in a file: a new customer ID, a plan never seen, the
    # target column absent, the columns in another order, one extra column.
    new = frame.drop(columns="churn").head(30).iloc[:, ::-1].copy()
    new.loc[0, "plan"] = "enterprise"
    new.loc[1, "customer_id"] = "C99999"
    new["note"] = "extra"
    new_path = tmp_path / "new.csv"
    new.to_csv(new_path, index=False)
    scores_path = tmp_path / "scores.csv"
    assert cli.main(["predict", str(model_path), str(new_path), "--id", "customer_id",
                     "--output", str(scores_path), "-q"]) == 0
    scores = pd.read_csv(scores_path)
    assert list(scores.columns) == ["customer_id", "proba_gone", "proba_stays", "predicted"]
    assert scores["customer_id"].tolist() == new["customer_id"].tolist()
    np.testing.assert_allclose(scores[["proba_gone", "proba_stays"]].sum(axis=1), 1)
    assert set(scores["predicted"]) <= {"gone", "stays"}

    # The pickle scores the raw rows the same way, the README's recipe included.
    saved = pickle.loads(model_path.read_bytes())
    raw = pd.read_csv(new_path)
    np.testing.assert_allclose(saved.predict_proba(raw)[:, 0], scores["proba_gone"],
                               rtol=1e-12)
    # (the label column is the most probable class: a label other than predict's passed)
    assert scores["predicted"].tolist() == saved.predict(raw).tolist()
    assert len(set(scores["predicted"])) == 2
    whole = saved.predict_proba(pd.read_csv(data).drop(columns="churn"))
    np.testing.assert_allclose(whole, models[library].predict_proba(task_rows(data)))
    # an unseen category is a missing value
    missing = raw.copy()
    missing.loc[0, "plan"] = np.nan
    np.testing.assert_array_equal(saved.predict_proba(raw)[0], saved.predict_proba(missing)[0])
    assert saved[-1].n_features_in_ == 3


def task_rows(path):
    return pd.read_csv(path).drop(columns="churn")


def test_predict_prints_csv_without_output(tmp_path, capsys):
    data, model_path = tmp_path / "customers.csv", tmp_path / "model.pkl"
    _customers().to_csv(data, index=False)
    cli.run([str(data), "--target", "churn", *FAST, "--library", "lightgbm",
             "--save-model", str(model_path)])
    capsys.readouterr()
    assert cli.main(["predict", str(model_path), str(data)]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0] == "proba_gone,proba_stays,predicted" and len(lines) == 301
    assert err.startswith(f"read {data} (separator comma): 300 rows, 7 columns")


def _saved(tmp_path, frame, library, *options):
    """``frame`` written to a file, and a model trained on it and saved: their paths."""
    data, model_path = tmp_path / "customers.csv", tmp_path / "model.pkl"
    frame.to_csv(data, index=False)
    cli.run([str(data), "--target", "churn", *FAST, "--library", library, *options,
             "--save-model", str(model_path)])
    return data, model_path


def test_predict_refuses_an_output_stream_that_cannot_write_the_scores(tmp_path, capsys,
                                                                      monkeypatch):
    # on an ASCII stdout the table's escapes wrote a "Übergrün" ID as the text
    # "\xdcbergr\xfcn": the data changed, and the exit code was 0
    frame = _customers()
    frame.insert(0, "name", [f"Übergrün {i}" for i in range(len(frame))])
    data, model_path = _saved(tmp_path, frame, "lightgbm", "--drop", "name")
    capsys.readouterr()
    ascii_out = io.TextIOWrapper(io.BytesIO(), encoding="ascii", errors="strict")
    monkeypatch.setattr("sys.stdout", ascii_out)
    assert cli.main(["predict", str(model_path), str(data), "--id", "name"]) == 2
    ascii_out.flush()
    assert ascii_out.buffer.getvalue() == b""
    err = capsys.readouterr().err.splitlines()[-1]
    assert err == ("focal-boost: error: the scores hold 'Ü', which the output's encoding "
                   "(ascii) cannot write; write them to a file with --output SCORES.csv "
                   "(UTF-8), or set PYTHONIOENCODING=utf-8")


def test_closed_standard_streams(tmp_path, capsys, monkeypatch):
    # started with stderr closed (`2>&-`: sys.stderr is None), print(file=sys.stderr)
    # wrote the progress lines to stdout, into the scores; with stdout closed, predict
    # failed with a traceback after the work, and the main job's table was lost
    # without a word
    data, model_path = _saved(tmp_path, _customers(), "xgboost")
    capsys.readouterr()
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setattr("sys.stderr", None)
    assert cli.main(["predict", str(model_path), str(data)]) == 0
    assert sys.stderr is None  # (as it was)
    lines = out.getvalue().splitlines()
    assert lines[0] == "proba_gone,proba_stays,predicted" and len(lines) == 301
    monkeypatch.setattr("sys.stdout", None)
    err = io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    assert cli.main(["predict", str(model_path), str(data)]) == 2
    assert cli.main([str(data), "--target", "churn", *FAST]) == 2
    assert err.getvalue().splitlines() == [
        f"focal-boost: error: standard output is closed: the {what} would be lost; give "
        "--output FILE" for what in ("scores", "table")]
    written = tmp_path / "scores.csv"
    assert cli.main(["predict", str(model_path), str(data), "--output", str(written)]) == 0
    assert len(written.read_text().splitlines()) == 301
    # a job that saves a model (a nightly refit) has its output: it runs
    again = tmp_path / "again.pkl"
    assert cli.main([str(data), "--target", "churn", *FAST, "--library", "xgboost",
                     "--save-model", str(again)]) == 0 and again.is_file()


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
def test_a_standard_output_that_cannot_be_written_is_the_commands_error(tmp_path, capsys,
                                                                       monkeypatch):
    # `> /dev/full` (a full disk): predict and the main job ended in a traceback, the
    # main job's after writing its files
    data, model_path = _saved(tmp_path, _customers(), "xgboost")
    capsys.readouterr()
    again = tmp_path / "again.pkl"
    for argv in (["predict", str(model_path), str(data)],
                 [str(data), "--target", "churn", *FAST, "--library", "xgboost",
                  "--save-model", str(again)]):
        with open("/dev/full", "w") as full:  # (afterwards its descriptor is the null
            monkeypatch.setattr("sys.stdout", full)  # device's: one for each run)
            assert cli.main(argv) == 2
    assert again.is_file()  # written before the table
    err = capsys.readouterr().err.splitlines()
    assert [line for line in err if "error" in line] == [
        "focal-boost: error: standard output could not be written (No space left on "
        "device)"] * 2
    with open("/dev/full", "w") as full:  # and nothing more at exit
        out = subprocess.run([sys.executable, "-m", "focal_boost", "predict",
                              str(model_path), str(data)], stdout=full,
                             stderr=subprocess.PIPE, text=True, timeout=300)
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    assert out.stderr.splitlines()[-1] == (
        "focal-boost: error: standard output could not be written (No space left on "
        "device)")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_output_to_a_named_pipe_reaches_its_reader(tmp_path):
    # the check that --output can be written opened the pipe: it waited for a reader
    # (hung before any work without one) and closing it ended the reader's input, so
    # the reader got nothing and the final write hung
    data, model_path = _saved(tmp_path, _customers(), "lightgbm")
    pipe = tmp_path / "scores.csv"
    os.mkfifo(pipe)
    reader = subprocess.Popen(["cat", str(pipe)], stdout=subprocess.PIPE, text=True)
    out = subprocess.run([sys.executable, "-m", "focal_boost", "predict", str(model_path),
                          str(data), "--output", str(pipe)], capture_output=True, text=True,
                         timeout=300)
    scores, _ = reader.communicate(timeout=60)
    assert out.returncode == 0, out.stderr
    lines = scores.splitlines()
    assert lines[0] == "proba_gone,proba_stays,predicted" and len(lines) == 301


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not hasattr(os, "geteuid")
                    or os.geteuid() == 0, reason="no named pipes, or root writes anything")
def test_output_naming_a_read_only_pipe_is_refused_before_the_work(tmp_path, capsys):
    data, model_path = _saved(tmp_path, _customers(), "lightgbm")
    capsys.readouterr()
    pipe = tmp_path / "scores.csv"
    os.mkfifo(pipe)
    os.chmod(pipe, 0o444)
    assert cli.main(["predict", str(model_path), str(data), "--output", str(pipe)]) == 2
    assert capsys.readouterr().err == (f"focal-boost: error: --output {pipe}: cannot be "
                                       "written (permission denied); choose another path\n")


@pytest.mark.skipif(not hasattr(__import__("socket"), "AF_UNIX"), reason="no UNIX sockets")
def test_output_naming_a_socket_is_refused_before_the_work(tmp_path, capsys):
    # a socket cannot be opened as a file: refused first, as before the pipes' fix made
    # every target other than a regular file pass the check (the error came after
    # the scoring)
    import socket

    data, model_path = _saved(tmp_path, _customers(), "lightgbm")
    capsys.readouterr()
    with socket.socket(socket.AF_UNIX) as bound:
        bound.bind(str(tmp_path / "sock.csv"))
        assert cli.main(["predict", str(model_path), str(data), "--output",
                         str(tmp_path / "sock.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"focal-boost: error: --output {tmp_path / 'sock.csv'}: cannot be "
                          "written ("), err
    assert "read " not in err  # before the data were read


def test_predict_answers_a_header_alone_with_a_header_of_scores(tmp_path, capsys):
    # a batch job's empty file (the header alone) was refused ("has no rows"); the
    # estimators score zero rows, and training still needs rows
    frame = _customers()
    _, model_path = _saved(tmp_path, frame, "xgboost")
    frame.head(0).drop(columns="churn").to_csv(tmp_path / "empty.csv", index=False)
    capsys.readouterr()
    assert cli.main(["predict", str(model_path), str(tmp_path / "empty.csv"),
                     "--id", "customer_id"]) == 0
    assert capsys.readouterr().out == "customer_id,proba_gone,proba_stays,predicted\n"
    frame.head(0).to_csv(tmp_path / "empty_train.csv", index=False)
    assert cli.main([str(tmp_path / "empty_train.csv"), "--target", "churn", *FAST]) == 2
    assert "has no rows; give a file with data" in capsys.readouterr().err


def test_predict_names_the_columns_closest_to_the_missing_ones(tmp_path, capsys):
    # "lacks 'plan'" where the file had "Plan ", and every column where the file was read
    # at the wrong separator: the training --target error gave both hints, predict none
    frame = _customers()
    data, model_path = _saved(tmp_path, frame, "lightgbm")
    frame.drop(columns="churn").rename(columns={"plan": "Plan "}).to_csv(
        tmp_path / "renamed.csv", index=False)
    capsys.readouterr()
    assert cli.main(["predict", str(model_path), str(tmp_path / "renamed.csv")]) == 2
    assert capsys.readouterr().err.strip().endswith(
        "lacks 1 column(s) the model was trained on: 'plan' (the file has 'Plan ' for "
        "'plan': rename them); give a file with the training file's columns (other "
        "columns are ignored)")
    assert cli.main(["predict", str(model_path), str(data), "--sep", ";"]) == 2
    assert "(read with separator semicolon; if the file is separated by comma, give --sep "\
           "',')" in capsys.readouterr().err


def test_predict_refuses_a_saved_pipeline_that_was_taken_apart(tmp_path, capsys):
    # A pipeline with its model removed, replaced or unfitted went on to a traceback
    # (AttributeError 'classes_'), exit 1, where other files get one line and exit 2.
    data, model_path = tmp_path / "customers.csv", tmp_path / "model.pkl"
    _customers().to_csv(data, index=False)
    cli.run([str(data), "--target", "churn", *FAST, "--library", "xgboost",
             "--save-model", str(model_path)])
    saved = pickle.loads(model_path.read_bytes())
    unfitted = pickle.loads(model_path.read_bytes())
    del unfitted[-1].loss_
    for i, model in enumerate([saved[:1], Pipeline([("prepare", saved[0]),
                                                   ("model", "passthrough")]), unfitted]):
        edited = tmp_path / f"edited{i}.pkl"
        edited.write_bytes(pickle.dumps(model))
        capsys.readouterr()
        assert cli.main(["predict", str(edited), str(data)]) == 2
        err = capsys.readouterr().err
        assert len(err.splitlines()) == 1 and "not a model saved by focal-boost" in err, err
    assert cli.main(["predict", str(model_path), str(data)]) == 0


def test_predict_says_a_model_is_from_another_version_in_one_line(tmp_path, capsys,
                                                                  monkeypatch):
    # the estimators' warning on loading a pickle of another version: as the command's
    # other warnings, not Python's two lines ending in a line of the command's source
    import focal_boost

    data, model_path = tmp_path / "customers.csv", tmp_path / "model.pkl"
    _customers().to_csv(data, index=False)
    monkeypatch.setattr(focal_boost, "__version__", "0.0.9")
    cli.run([str(data), "--target", "churn", *FAST, "--library", "xgboost",
             "--save-model", str(model_path)])
    monkeypatch.undo()
    capsys.readouterr()
    assert cli.main(["predict", str(model_path), str(data)]) == 0
    err = capsys.readouterr().err
    assert (f"focal-boost: warning: {model_path}: this FocalXGBClassifier was pickled by "
            "focal_boost 0.0.9") in err
    assert "UserWarning" not in err


def test_predict_says_a_librarys_warning_on_loading_in_one_line(tmp_path, capsys,
                                                                monkeypatch):
    # XGBoost's own on a model serialised by another version (eight lines, after a time
    # stamp) was printed as it came, where training prints one line without the stamp
    xgb = pytest.importorskip("xgboost")
    data, model_path = tmp_path / "customers.csv", tmp_path / "model.pkl"
    _customers().to_csv(data, index=False)
    cli.run([str(data), "--target", "churn", *FAST, "--library", "xgboost",
             "--save-model", str(model_path)])
    loaded = xgb.Booster.__setstate__

    def warning_setstate(booster, state):
        warnings.warn("[22:10:09] WARNING: error_msg.h:83: If you are loading a "
                      "serialized model\n\n  (like pickle in Python) ...\n", UserWarning,
                      stacklevel=2)
        loaded(booster, state)

    monkeypatch.setattr(xgb.Booster, "__setstate__", warning_setstate)
    capsys.readouterr()
    assert cli.main(["predict", str(model_path), str(data), "-q"]) == 0
    assert capsys.readouterr().err == (
        f"focal-boost: warning: {model_path}: WARNING: error_msg.h:83: If you are loading "
        "a serialized model (like pickle in Python) ...\n")


def test_predict_says_which_values_it_reads_as_missing(tmp_path, capsys):
    # text in a number column, an unseen category, a boolean spelled otherwise: scored as
    # missing, as documented, and now said on stderr with counts (it was silent)
    data, model_path = tmp_path / "customers.csv", tmp_path / "model.pkl"
    _customers().to_csv(data, index=False)
    cli.run([str(data), "--target", "churn", *FAST, "--library", "lightgbm",
             "--save-model", str(model_path)])
    changed = _customers()
    changed["worst area, mm²"] = changed["worst area, mm²"].astype(object)
    changed.loc[:4, "worst area, mm²"] = "0.3x"
    changed.loc[:1, "plan"] = "enterprise"
    changed["paid"] = np.where(changed["paid"], "yes", "no")
    new = tmp_path / "new.csv"
    changed.to_csv(new, index=False)
    capsys.readouterr()
    assert cli.main(["predict", str(model_path), str(new), "-q"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"focal-boost: warning: {new}: column 'worst area, mm²' has 5 value(s) that are not "
        "numbers (e.g. '0.3x'); they are scored as missing",
        f"focal-boost: warning: {new}: column 'plan' has 2 value(s) that are categories not "
        "seen in training (e.g. 'enterprise'); they are scored as missing",
        f"focal-boost: warning: {new}: column 'paid' has 300 value(s) that are not "
        "true/false (e.g. 'no', 'yes'); they are scored as missing",
    ]
    capsys.readouterr()
    assert cli.main(["predict", str(model_path), str(data), "-q"]) == 0
    assert capsys.readouterr().err == ""


def test_rows_with_fewer_fields_than_the_header_are_said(tmp_path, capsys):
    """A record with fewer fields than the header (a file cut off mid-line, a separator
    left out), which pandas reads with its missing fields as missing values without a
    word, is said on stderr with the count and the first line; records that are whole
    (missing values written as empty fields, a quoted line break, blank lines) are not."""
    whole = "a;b;t\n1;2;x\n\n\"3\n4\";5;\n6;;\n"
    (tmp_path / "whole.csv").write_text(whole)
    warn = []
    assert cli.read_table(tmp_path / "whole.csv", sep=";", warn=warn)[0].shape == (3, 3)
    assert warn == []
    import gzip
    cut = whole + "7;8;y\n9;1\n2\n"
    (tmp_path / "cut.csv.gz").write_bytes(gzip.compress(cut.encode()))
    warn = []
    table, _ = cli.read_table(tmp_path / "cut.csv.gz", sep=";", warn=warn)
    assert table.shape == (6, 3)
    assert warn == [f"{tmp_path / 'cut.csv.gz'}: 2 row(s) have fewer fields than the "
                    "header's 3 (line 8 has 2), and their missing fields are read as missing "
                    "values; if the file was cut off or a separator is missing, mend those "
                    "lines"]
    # the command line's predict says it, as training does
    data, model_path = _saved(tmp_path, _customers(), "xgboost")
    text = data.read_text().splitlines()
    new = tmp_path / "new.csv"
    new.write_text("\n".join(text[:4]) + "\n" + text[4][: len(text[4]) // 2] + "\n")
    capsys.readouterr()
    assert cli.main(["predict", str(model_path), str(new), "-q"]) == 0
    assert "1 row(s) have fewer fields than the header's" in capsys.readouterr().err


def test_keep_and_drop(tmp_path, capsys):
    data = tmp_path / "customers.csv"
    frame = _customers()
    frame.to_csv(data, index=False)
    task, _, models = cli.run([str(data), "--target", "churn", *FAST, "--library", "xgboost",
                               "--keep", "signup", "--keep", "customer_id", "--drop", "paid",
                               "--save-model", str(tmp_path / "m.pkl")])
    assert list(task.X.columns) == ["customer_id", "signup", "worst area_ mm²", "plan"]
    assert task.X["customer_id"].dtype == "category"
    assert task.X["signup"].dtype == np.float64  # dates: days since 1970-01-01
    assert task.X["signup"].iloc[0] == (pd.Timestamp("2021-01-01") -
                                        pd.Timestamp("1970-01-01")).days
    model = models["xgboost"]
    encoder = model[0]
    assert encoder.dropped_ == {"comment": encoder.dropped_["comment"], "paid": "--drop"}
    assert "'paid' (--drop)" in capsys.readouterr().out
    # a customer ID never seen in training is a missing value, not an XGBoost error
    new = frame.drop(columns="churn").head(5).copy()
    new["customer_id"] = ["N1", "N2", "N3", "N4", "N5"]
    missing = new.assign(customer_id=np.nan)
    np.testing.assert_array_equal(model.predict_proba(new), model.predict_proba(missing))


PREDICT_ERRORS = {
    "missing columns": (lambda f: f.drop(columns=["plan", "worst area, mm²"]),
                        [], "lacks 2 column(s) the model was trained on: 'worst area, mm²', "
                            "'plan'"),
    "unknown --id": (None, ["--id", "customer"], "did you mean 'customer_id'?"),
    "output suffix": (None, ["--output", "scores.xlsx"], "must end in .csv"),
    "infinite values": (lambda f: f.assign(**{"worst area, mm²": np.inf}), [],
                        "infinite values"),
}


@pytest.mark.parametrize("case", PREDICT_ERRORS, ids=list(PREDICT_ERRORS))
def test_predict_bad_input_one_line(case, tmp_path, monkeypatch, capsys):
    change, extra, needle = PREDICT_ERRORS[case]
    monkeypatch.chdir(tmp_path)
    frame = _customers()
    frame.to_csv("customers.csv", index=False)
    cli.run(["customers.csv", "--target", "churn", *FAST, "--library", "lightgbm",
             "--save-model", "model.pkl"])
    (change or (lambda f: f))(frame).to_csv("new.csv", index=False)
    capsys.readouterr()
    before = sorted(p.name for p in tmp_path.iterdir())
    argv = ["predict", "model.pkl", "new.csv", *extra]
    if "--output" not in extra:
        argv += ["--output", "scores.csv"]
    assert cli.main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1, err
    assert err.startswith("focal-boost: error: ") and needle in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.parametrize("model, needle", [
    ("model.json", "model.json: predict takes the .pkl of --save-model, which holds the "
                   "preprocessing; a .json file holds none"),
    # a missing file was "a native model file" by its suffix alone
    ("gone.json", "gone.json: no such file"),
    ("other.pkl", "holds an object of type dict, not a model saved by focal-boost"),
    ("broken.pkl", "cannot load broken.pkl"),
    ("nope.pkl", "no such file"),
    ("new.csv", "new.csv is not a model saved by focal-boost --save-model (not a pickle"),
])
def test_predict_refuses_other_model_files(model, needle, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _customers().to_csv("new.csv", index=False)
    (tmp_path / "model.json").write_text("{}")
    (tmp_path / "other.pkl").write_bytes(pickle.dumps({"a": 1}))
    (tmp_path / "broken.pkl").write_bytes(b"\x80\x05garbage")
    assert cli.main(["predict", model, "new.csv", "--output", "s.csv"]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and needle in err
    assert not (tmp_path / "s.csv").exists()


def test_predict_refuses_an_output_it_cannot_write(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _customers().to_csv("new.csv", index=False)
    (tmp_path / "model.pkl").write_bytes(pickle.dumps({"a": 1}))
    (tmp_path / "s.csv").mkdir()
    assert cli.main(["predict", "model.pkl", "new.csv", "--output", "s.csv"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == ["focal-boost: error: --output s.csv: is a directory; give a "
                                "file name"]


# ------------------------------------------------------------------ reading files
def test_numbers_with_separators_or_placeholders_stay_numbers(tmp_path, capsys):
    # the amounts written "1,234,567" and a measure with "?" for missing were left out as
    # "ID-like"; the target's " no" was a third class, empty target cells made labels
    # floats, a header naming a column twice was renamed without a word
    rng = np.random.default_rng(0)
    n = 120
    measure = rng.normal(size=n)
    amount = rng.integers(1_000, 5_000_000, size=n)
    label = np.where(measure + rng.normal(scale=0.5, size=n) > 0.5, "yes", "no")
    frame = pd.DataFrame({"measure": measure.round(4).astype(str),
                          "amount": [f"{a:,}" for a in amount],
                          "other": rng.normal(size=n), "other ": rng.normal(size=n),
                          "code": np.where(np.arange(n) % 2, 1, 0), "label": label})
    frame.loc[:4, "measure"] = "?"
    frame.loc[7, "label"] = " no"
    frame.loc[9, "label"] = None
    path = tmp_path / "data.csv"
    text = frame.to_csv(index=False).replace("other ,", "other,", 1)  # "other" twice
    path.write_text(text)
    warn = []
    table, how = cli.read_table(path, warn=warn)
    raw, y = cli.split_target(table, "label", path, warn=warn)
    encoder, X = cli.encode(raw, path)
    assert encoder.dropped_ == {}
    assert [encoder.columns_[c][1] for c in ("measure", "amount")] == ["number", "number"]
    np.testing.assert_array_equal(X["amount"].to_numpy()[5:], np.delete(amount, 9)[5:])
    assert X["measure"].isna().sum() == 5
    assert sorted(set(y)) == ["no", "yes"] and len(y) == n - 1
    assert [line.split(": ", 1)[1] for line in warn] == [
        "the header names 'other' more than once; the columns are read as 'measure', "
        "'amount', 'other', 'other.1', 'code', 'label'",
        "1 row(s) have no label in 'label' and are left out (data rows 10)",
        "labels of 'label' with spaces around them are read without: ' no'"]
    numbers = pd.DataFrame({"x": rng.normal(size=n), "y": np.where(np.arange(n) % 3, 1.0,
                                                                   0.0)})
    numbers.loc[3, "y"] = np.nan
    numbers.to_csv(path, index=False)
    _, y = cli.split_target(cli.read_table(path)[0], "y", path)
    assert y.dtype == np.int64  # 0/1 with an empty cell: the labels are 0 and 1


def test_a_decimal_comma_file_is_read_alike_in_training_and_predict(tmp_path, capsys):
    # with a decimal comma, "37,835" is 37.835: one "1,234,567" (not a number there)
    # kept the column as text in training, which read 37835, while predict read 37.835
    rng = np.random.default_rng(1)
    n = 120
    amount = rng.uniform(0, 100, size=n).round(3)
    label = np.where(amount + rng.normal(scale=20, size=n) > 50, "yes", "no")
    cells = [f"{a:.3f}".replace(".", ",") for a in amount]
    train = pd.DataFrame({"amount": cells, "x": rng.normal(size=n).round(2), "label": label})
    train.loc[0, "amount"] = "1,234,567"
    (tmp_path / "train.csv").write_text(train.to_csv(index=False, sep=";").replace(
        ".", ","))
    encoder, X = cli.encode(*cli.split_target(cli.read_table(tmp_path / "train.csv")[0],
                                              "label", tmp_path / "train.csv")[:1],
                            tmp_path / "train.csv", decimal=",")
    np.testing.assert_allclose(X["amount"].to_numpy()[1:], amount[1:])
    assert cli.main([str(tmp_path / "train.csv"), "--target", "label", *FAST,
                     "--library", "lightgbm", "--save-model", str(tmp_path / "m.pkl")]) == 0
    rows = train.drop(columns="label").iloc[1:]
    (tmp_path / "new.csv").write_text(rows.to_csv(index=False, sep=";").replace(".", ","))
    scores = cli.predict(["predict", str(tmp_path / "m.pkl"), str(tmp_path / "new.csv"),
                          "-q", "--output", str(tmp_path / "s.csv")][1:])
    with open(tmp_path / "m.pkl", "rb") as handle:
        model = pickle.load(handle)
    np.testing.assert_allclose(scores.filter(like="proba_").to_numpy(),
                               model[1:].predict_proba(X.iloc[1:]), atol=1e-12)


def test_number_categories_are_scored_as_numbers_in_a_file_of_text(tmp_path, capsys):
    # a kept ID-like code column that pandas read as numbers in training ("00017" as 17)
    # and as text in the file to score (one cell "X1"): every row was a category never
    # seen
    rng = np.random.default_rng(3)
    n = 400
    x = rng.normal(size=n)
    y = np.where(x + rng.logistic(size=n) > 0, "yes", "no")
    train = pd.DataFrame({"code": [f"{c:05d}" for c in range(n)], "x": x, "target": y})
    train.to_csv(tmp_path / "train.csv", index=False)
    assert cli.main([str(tmp_path / "train.csv"), "--target", "target", *FAST, "--library",
                     "lightgbm", "--keep", "code", "--save-model", str(tmp_path / "m.pkl")]) == 0
    rows = train.drop(columns="target").head(20).copy()
    rows.loc[0, "code"] = "X1"
    rows.to_csv(tmp_path / "new.csv", index=False)
    capsys.readouterr()
    scores = cli.predict([str(tmp_path / "m.pkl"), str(tmp_path / "new.csv"), "-q"])
    with open(tmp_path / "m.pkl", "rb") as handle:
        model = pickle.load(handle)
    numbers = rows.assign(code=pd.to_numeric(rows.code, errors="coerce"))  # as trained
    np.testing.assert_allclose(scores.filter(like="proba_").to_numpy(),
                               model.predict_proba(numbers), atol=1e-12)
    err = capsys.readouterr().err
    assert ("column 'code' has 1 value(s) that are categories not seen in training (e.g. "
            "'X1')") in err  # alone


def test_text_categories_that_look_like_numbers_are_scored_as_text(tmp_path, capsys):
    # "007" and "012" alone in a file to score were read as 7 and 12, categories never
    # seen in training ("007"...): scored as missing, 3 of 4 predicted labels flipped
    rng = np.random.default_rng(13)
    n = 600
    codes = np.array(["007", "012", "040", "X9", "Y1"])
    k = rng.integers(0, 5, n)
    x = rng.normal(size=n)
    y = np.where(np.array([2.0, -2.0, 0.5, -0.5, 1.0])[k] + x + rng.logistic(size=n) > 0,
                 "yes", "no")
    train = pd.DataFrame({"code": codes[k], "x": x, "target": y})
    train.to_csv(tmp_path / "train.csv", index=False)
    rows = train[train.code.isin(["007", "012"])].head(6).drop(columns="target")
    rows.to_csv(tmp_path / "new.csv", index=False)
    assert cli.main([str(tmp_path / "train.csv"), "--target", "target", *FAST, "--library",
                     "lightgbm", "--save-model", str(tmp_path / "m.pkl")]) == 0
    scores = cli.predict([str(tmp_path / "m.pkl"), str(tmp_path / "new.csv"), "-q"])
    with open(tmp_path / "m.pkl", "rb") as handle:
        model = pickle.load(handle)
    np.testing.assert_allclose(scores.filter(like="proba_").to_numpy(),
                               model.predict_proba(rows), atol=1e-12)
    assert "not seen in training" not in capsys.readouterr().err


def test_printed_predict_command_runs_as_copied(tmp_path, capsys):
    # a path with spaces was printed unquoted: the copied line failed in a shell
    import shlex

    folder = tmp_path / "my models é"
    folder.mkdir()
    data, model_path = folder / "customers 2026.csv", folder / "churn model.pkl"
    _customers().to_csv(data, index=False)
    cli.run([str(data), "--target", "churn", *FAST, "--library", "xgboost",
             "--save-model", str(model_path)])
    line = next(line for line in capsys.readouterr().out.splitlines()
                if "focal-boost predict" in line)
    command = line[line.index("focal-boost predict"):].split(" --output")[0].split(", or")[0]
    argv = shlex.split(command)
    assert argv == ["focal-boost", "predict", str(model_path), str(data)]
    assert cli.main([*argv[1:], "-q", "--output", str(tmp_path / "s.csv")]) == 0


def test_separators_that_are_regular_expressions_and_compressed_headers(tmp_path, capsys):
    rng = np.random.default_rng(2)
    frame = pd.DataFrame({"a": rng.normal(size=60).round(3), "b": rng.normal(size=60).round(3),
                          "t": np.where(np.arange(60) % 3, "no", "yes")})
    (tmp_path / "ws.txt").write_text(frame.to_csv(index=False, sep=" ").replace(" ", "   "))
    table, _ = cli.read_table(tmp_path / "ws.txt", sep=r"\s+", warn=[])
    assert list(table.columns) == ["a", "b", "t"]
    text = frame.to_csv(index=False).replace("a,b,t", "a,a,t", 1)
    import gzip
    (tmp_path / "dup.csv.gz").write_bytes(gzip.compress(text.encode()))
    warn = []
    cli.read_table(tmp_path / "dup.csv.gz", warn=warn)
    assert len(warn) == 1 and "names 'a' more than once" in warn[0]


@pytest.mark.parametrize("suffix", [".gz", ".bz2", ".xz", ".zip"])
def test_compressed_files_are_sniffed_as_plain_ones(tmp_path, suffix):
    # a compressed file's separator and decimal mark were not detected: with "; " and
    # decimal commas, 3,398 was read as 3398 even with --sep ';' and 17 numeric columns
    # were left out as ID-like
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"a": rng.normal(size=80).round(3), "b": rng.normal(size=80) * 10,
                          "t": np.where(np.arange(80) % 3, "no", "yes")})
    frame.to_csv(tmp_path / "plain.csv", sep=";", decimal=",", index=False)
    frame.to_csv(tmp_path / f"packed.csv{suffix}", sep=";", decimal=",", index=False)
    plain, plain_how = cli.read_table(tmp_path / "plain.csv")
    packed, packed_how = cli.read_table(tmp_path / f"packed.csv{suffix}")
    assert packed_how == plain_how == "separator semicolon, decimal comma"
    pd.testing.assert_frame_equal(packed, plain)
    np.testing.assert_allclose(packed["b"], frame["b"])


def test_blank_and_large_whole_number_labels(tmp_path):
    path = tmp_path / "t.csv"
    frame = pd.DataFrame({"x": np.arange(8.0), "t": ["a", "b", "   ", "a", "b", "a", "b", "a"]})
    frame.to_csv(path, index=False)
    warn = []
    _, y = cli.split_target(cli.read_table(path)[0], "t", path, warn=warn)
    assert sorted(set(y)) == ["a", "b"] and "1 row(s) have no label" in warn[0]
    frame["t"] = [1e19, 2e19, np.nan, 1e19, 2e19, 1e19, 2e19, 1e19]  # beyond int64
    frame.to_csv(path, index=False)
    _, y = cli.split_target(cli.read_table(path)[0], "t", path)
    assert sorted(set(y)) == [1e19, 2e19]


def test_placeholder_labels_are_no_label(tmp_path):
    # "?" in a 0/1 column was a third class (and the labels became text): a file's
    # mark for an unknown value is no label, as an empty cell is
    path = tmp_path / "t.csv"
    frame = pd.DataFrame({"x": np.arange(10.0),
                          "t": ["0", "1", "?", "1", "0", " - ", "1", "_", "1", "0"]})
    frame.to_csv(path, index=False)
    warn = []
    _, y = cli.split_target(cli.read_table(path)[0], "t", path, warn=warn)
    assert y.dtype == np.int64 and y.tolist() == [0, 1, 1, 0, 1, 1, 0]
    assert warn == [f"{path}: 3 row(s) have no label in 't' and are left out (data rows 3, "
                    f"6, 8; '-' and '?' and '_' read as no label)"]
    frame["t"] = ["007", "008", "?", "007", "008", "007", "008", "007", "008", "n/a."]
    frame.to_csv(path, index=False)
    _, y = cli.split_target(cli.read_table(path)[0], "t", path)
    assert sorted(set(y)) == ["007", "008", "n/a."]  # as written: not whole numbers


def test_label_codes_with_leading_zeros_stay_as_written(tmp_path):
    # "007" and "012" became the classes 7 and 12 when every row had a label, but stayed
    # "007" and "012" when one label was "?": the same classes must not depend on that
    path = tmp_path / "t.csv"
    codes = ["007", "012", "007", "012", "007", "012"]
    for labels in (codes, [*codes[:2], "?", *codes[3:]], [*codes[:2], "", *codes[3:]],
                   [" 007", *codes[1:]]):
        pd.DataFrame({"x": np.arange(6.0), "t": labels}).to_csv(path, index=False)
        _, y = cli.split_target(cli.read_table(path)[0], "t", path)
        assert y.dtype == object and sorted(set(y)) == ["007", "012"], labels
    # beside a label written as a decimal ("7.0"), which pandas read as 7 too: one class
    # of two, silently (a three-class file trained a two-class model)
    pd.DataFrame({"x": np.arange(6.0), "t": ["007", "7.0", "8", "007", "7.0", "8"]}).to_csv(
        path, index=False)
    _, y = cli.split_target(cli.read_table(path)[0], "t", path)
    assert y.dtype == object and sorted(set(y)) == ["007", "7.0", "8"]
    # whole numbers written as such stay integers, "1.0" and "True" as before
    for labels, expected in ((["1", "0", "1"], [1, 0, 1]), (["1.0", "0.0", ""], [1, 0]),
                             (["-1", "2", "3"], [-1, 2, 3]),
                             (["True", "False", "True"], [True, False, True])):
        pd.DataFrame({"x": np.arange(3.0), "t": labels}).to_csv(path, index=False)
        _, y = cli.split_target(cli.read_table(path)[0], "t", path)
        assert y.dtype != object and y.tolist() == expected, labels
    # codes beyond a float's integers keep their value beside a missing label (pandas'
    # floats read 9007199254740993 as 9007199254740992, another class)
    for labels in (["9007199254740993", "9007199254740995", "9007199254740993"],
                   ["9007199254740993", "9007199254740995", ""]):
        pd.DataFrame({"x": np.arange(3.0), "t": labels}).to_csv(path, index=False)
        _, y = cli.split_target(cli.read_table(path)[0], "t", path)
        assert y.dtype == np.int64 and set(y) == {9007199254740993, 9007199254740995}, labels


def test_training_warns_once_per_model_in_its_own_words(tmp_path, capsys):
    frame = _customers()
    frame["worst area, mm²"] = frame["worst area, mm²"].round(3).astype(str)
    frame.loc[:9, "worst area, mm²"] = "?"
    frame.to_csv(tmp_path / "data.csv", index=False)
    assert cli.main([str(tmp_path / "data.csv"), "--target", "churn", *FAST,
                     "--gamma", "50"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert any("column 'worst area, mm²' has 10 value(s) that are not numbers (e.g. '?'"
               "); they are read as missing" in line for line in err)
    no_split = [line for line in err if "the model has no split" in line]
    # gamma 50 leaves no Hessian to split on: one line per model, not Python's two per fit
    assert no_split and all(line.startswith("focal-boost: warning: ") and "(3 fits)" in line
                            for line in no_split)
    assert not any("UserWarning" in line or "warnings.warn" in line for line in err)


def test_semicolon_decimal_comma_sniffed(tmp_path, capsys):
    from sklearn.datasets import load_wine

    frame = load_wine(as_frame=True).frame.rename(columns={"target": "cultivar"})
    path = tmp_path / "wine.csv"
    frame.to_csv(path, sep=";", decimal=",", index=False)
    assert ";" in path.read_text().splitlines()[0] and "14,23" in path.read_text()
    out = tmp_path / "t.json"
    assert cli.main([str(path), "--target", "cultivar", *FAST, "--library", "lightgbm",
                     "--output", str(out)]) == 0
    stdout = capsys.readouterr().out
    assert "wine.csv (separator semicolon, decimal comma): 178 rows, 13 features" in stdout
    raw, _ = cli.split_target(cli.read_table(path)[0], "cultivar", path)
    assert (raw.dtypes == np.float64).sum() >= 11  # numbers, not text
    # forced: the same file read with the wrong decimal mark has text columns
    wrong = cli.read_table(path, sep=";", decimal=".")[0]["alcohol"]
    assert not pd.api.types.is_numeric_dtype(wrong)


def test_sniff():
    assert cli.sniff("a,b,c\n1,2,3\n") == (",", ".")
    assert cli.sniff("a;b;c\n1,5;2;3\n") == (";", ",")
    assert cli.sniff("a;b\n1.5;2\n") == (";", ".")
    assert cli.sniff("a\tb\n1,5\t2\n") == ("\t", ",")
    assert cli.sniff('"x, y";b\n1;2\n') == (";", ".")  # a comma inside quotes
    assert cli.sniff("a\n1\n") == (",", ".")  # one column
    # one thousands-separated number among decimal points: the decimal mark is the point
    assert cli.sniff("a;b;c\n0.5;1,234;0.25\n0.7;2,345;0.1\n") == (";", ".")
    # numbers that can be thousands (11,401; 1.304) count after those that cannot
    # (0.126): US thousands outnumbering 0.126 and 1.304 read 1.304 as 1304
    assert cli.sniff("a;b;c\n11,401;12,001;0.126\n3,333;40,000;1.304\n") == (";", ".")
    assert cli.sniff("a;b\n1,234;2,345\n") == (";", ",")


def test_given_separator_still_finds_the_decimal_comma(tmp_path):
    # --sep ';' took the decimal mark found for the separator detected (a comma, in a
    # file whose quoted line breaks hid its separator), not for ';': decimal commas were
    # read as text (numeric columns left out as ID-like, ROC-AUC 0.53 for 0.93) and in
    # predict 1,203 became 1203
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=90).round(3), "b": rng.normal(size=90).round(3),
                          "note": np.where(np.arange(90) % 3 == 0, "called back\nlater", "ok"),
                          "y": np.arange(90) % 2})
    path = tmp_path / "semi.csv"
    frame.to_csv(path, sep=";", decimal=",", index=False)
    table, how = cli.read_table(path, sep=";")
    assert how == "separator semicolon, decimal comma"
    np.testing.assert_array_equal(table["a"], frame["a"])
    assert cli.sniff("a;b\n1,5;2,25\n", sep=";") == (";", ",")
    assert cli.sniff("a  b\n1,5  2,25\n", sep=r"\s+") == (r"\s+", ",")


def test_line_breaks_in_quoted_cells_do_not_hide_the_separator(tmp_path):
    # the separator was detected on the first 50 lines, which cut a record whose
    # quoted cell holds a line break: no separator split every line alike, the file
    # was read with commas and refused ("rows have more fields than the header")
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=90).round(3),
                          "note": np.where(np.arange(90) % 3 == 0, "called back\nlater", "ok"),
                          "y": np.arange(90) % 2})
    path = tmp_path / "notes.csv"
    frame.to_csv(path, sep=";", decimal=",", index=False)
    text = path.read_text()
    assert text.splitlines()[49].count(";") != 2  # line 50 is inside a record
    assert cli.sniff(text) == (";", ",")
    table, _ = cli.read_table(path)
    np.testing.assert_array_equal(table["a"], frame["a"])
    # a sample that ends inside a record: that record is not counted
    assert cli.sniff(text[:text.index("called back", 200) + 8], complete=False) == (";", ",")


def test_latin1_with_encoding(tmp_path, capsys):
    frame = pd.DataFrame({"ville": ["Besançon", "Orléans"] * 60,
                          "x": np.arange(120.0), "y": ["a", "b", "b"] * 40})
    path = tmp_path / "fr.csv"
    path.write_bytes(frame.to_csv(index=False).encode("latin-1"))
    table, how = cli.read_table(path, encoding="latin-1")
    assert how == "separator comma, encoding latin-1"
    assert set(table["ville"]) == {"Besançon", "Orléans"}


def test_target_typo_lists_all_columns_that_fit(tmp_path):
    frame = pd.DataFrame({f"c{i}": [1, 2] for i in range(30)})
    path = tmp_path / "wide.csv"
    frame.to_csv(path, index=False)
    table, _ = cli.read_table(path)
    with pytest.raises(cli.UsageError) as info:
        cli.split_target(table, "c_29", path)
    message = str(info.value)
    assert "did you mean 'c29'" in message and "'c0', 'c1'" in message and "'c29'" in message
    wide = pd.DataFrame({f"a rather long column name {i}": [1, 2] for i in range(40)})
    with pytest.raises(cli.UsageError) as info:
        cli.split_target(wide, "target", path)
    assert "... (40 columns)" in str(info.value)


# -------------------------------------------------------------------- --param, rows
def test_param_reaches_both_models(tmp_path, capsys, monkeypatch):
    from focal_boost.cli import _evaluate

    made = []
    real = _evaluate.make_model

    def spy(*args, **kwargs):
        est = real(*args, **kwargs)
        made.append(est)
        return est

    monkeypatch.setattr(_evaluate, "make_model", spy)
    data = tmp_path / "customers.csv"
    _customers().to_csv(data, index=False)
    out = tmp_path / "t.json"
    assert cli.main([str(data), "--target", "churn", *FAST, "--param", "max_depth=3",
                     "--param", "lightgbm.num_leaves=7", "--param", "min_child_weight=0.01",
                     "--output", str(out)]) == 0
    stdout = capsys.readouterr().out
    assert ("--param max_depth=3 (both), min_child_weight=0.01 (both), num_leaves=7 "
            "(lightgbm)") in stdout
    assert json.loads(out.read_text())["settings"]["params"]["lightgbm"] == {
        "max_depth": 3, "num_leaves": 7, "min_child_weight": 0.01}
    assert {type(e).__name__ for e in made} == {"XGBClassifier", "FocalXGBClassifier",
                                                "LGBMClassifier", "FocalLGBMClassifier"}
    for est in made:
        params = est.get_params()
        assert params["max_depth"] == 3 and params["min_child_weight"] == 0.01
        if "LGBM" in type(est).__name__:
            assert params["num_leaves"] == 7
    assert "learning rate 0.1" in stdout
    first = len(made)
    # a learning rate given with --param is the one the settings line names (it said
    # "learning rate 0.1; --param learning_rate=0.5")
    assert cli.main([str(data), "--target", "churn", *FAST, "--library", "lightgbm",
                     "--param", "learning_rate=0.5"]) == 0
    stdout = capsys.readouterr().out
    assert "--param learning_rate=0.5" in stdout and "learning rate 0.1" not in stdout
    assert {e.get_params()["learning_rate"] for e in made[first:]} == {0.5}
    # one library's learning rate given: the other's, the command's, is still named (the
    # line dropped it, and XGBoost trained at 0.1 all the same)
    assert cli.main([str(data), "--target", "churn", *FAST,
                     "--param", "lightgbm.learning_rate=0.2"]) == 0
    stdout = capsys.readouterr().out
    assert "learning rate 0.1 (xgboost)" in stdout
    # an alias of num_leaves reaches the LightGBM models (the estimators' num_leaves=31,
    # LightGBM's main name, won over it: 25 leaves where 7 were asked)
    second = len(made)
    assert cli.main([str(data), "--target", "churn", *FAST, "--library", "lightgbm",
                     "--param", "max_leaves=7"]) == 0
    assert {e.get_params()["num_leaves"] for e in made[second:]} == {7}
    leaves = [tree["num_leaves"] for e in made[second:]
              for tree in e.booster_.dump_model()["tree_info"]]
    assert max(leaves) <= 7


def test_param_takes_xgboosts_own_names(tmp_path, capsys, monkeypatch):
    # XGBoost's names that XGBClassifier passes on from **kwargs were refused as "not a
    # parameter of xgboost": only the names of get_params() were known
    from focal_boost.cli import _evaluate

    made = []
    real = _evaluate.make_model
    monkeypatch.setattr(_evaluate, "make_model",
                        lambda *a, **k: made.append(real(*a, **k)) or made[-1])
    data = tmp_path / "customers.csv"
    _customers().to_csv(data, index=False)
    given = {"min_split_loss": 1.5, "max_cached_hist_node": 128}
    assert cli.main([str(data), "--target", "churn", *FAST, "--library", "xgboost",
                     *(f"--param=xgboost.{k}={v}" for k, v in given.items())]) == 0
    assert "--param min_split_loss=1.5, max_cached_hist_node=128" in capsys.readouterr().out
    assert {type(e).__name__ for e in made} == {"XGBClassifier", "FocalXGBClassifier"}
    for est in made:  # the fitted boosters ran with them
        config = json.loads(est.get_booster().save_config())["learner"]["gradient_booster"]
        assert float(config["tree_train_param"]["min_split_loss"]) == 1.5
        assert config["updater"][0]["hist_train_param"]["max_cached_hist_node"] == "128"
    dart = [("xgboost", "rate_drop", 0.1), (None, "skip_drop", 0.5),
            (None, "sample_type", "weighted")]
    assert _evaluate.library_params(dart, ("xgboost",)) == {
        "xgboost": {"rate_drop": 0.1, "skip_drop": 0.5, "sample_type": "weighted"}}
    # the coordinate updater's own parameter (refused as "not a parameter of xgboost")
    linear = [("xgboost", "updater", "coord_descent"), ("xgboost", "top_k", 2)]
    assert _evaluate.library_params(linear, ("xgboost",)) == {
        "xgboost": {"updater": "coord_descent", "top_k": 2}}
    for name, needle in (("min_split_los", "not a parameter of xgboost: did you mean "
                                           "min_split_loss?"),
                         ("gamma", "set by --gamma (XGBoost's gamma is min_split_loss)"),
                         ("alpha", "set by --alpha (the L1 penalty is reg_alpha)")):
        with pytest.raises(cli.UsageError, match=re.escape(needle)):
            _evaluate.library_params([("xgboost", name, 1.0)], ("xgboost",))


def test_param_names_are_collected_without_xgboosts_deprecation_warnings():
    # the names of XGBoost's parameters are read from boosters of every kind; XGBoost 3.4
    # warned that dart and gblinear are deprecated, to a user who had chosen neither
    from focal_boost.cli._evaluate import _xgboost_names

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        names = _xgboost_names.__wrapped__()
    assert caught == [] and {"rate_drop", "top_k", "max_depth"} <= names
    # ... nor takes the user's own: XGBoost 3.4 warns of dart once a process
    code = textwrap.dedent("""
        import sys, warnings
        import numpy as np, xgboost as xgb
        from focal_boost.cli._evaluate import _xgboost_names
        if sys.argv[1] == "probe":
            _xgboost_names()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            xgb.XGBClassifier(booster="dart", n_estimators=2).fit(np.eye(4), [0, 1, 0, 1])
        print(sum("dart" in str(w.message) for w in caught))
        """)
    said = [subprocess.run([sys.executable, "-c", code, mode], capture_output=True, text=True,
                           timeout=120, check=True).stdout.strip() for mode in ("", "probe")]
    assert said[0] == said[1], said


def test_param_given_twice_with_other_values_is_refused():
    # the last one won, unsaid: learning_rate=0.05 then eta=0.1 trained at 0.1
    from focal_boost.cli import _evaluate

    both = ("xgboost", "lightgbm")
    for params, needle in (
            ([(None, "learning_rate", 0.05), (None, "eta", 0.1)],
             "--param learning_rate=0.05 and --param eta=0.1 both set xgboost's "
             "learning_rate: give it once, or one value per library, each with its "
             "library's prefix (xgboost.learning_rate=...)"),
            ([(None, "max_depth", 4), ("lightgbm", "max_depth", 6)],
             "--param max_depth=4 and --param lightgbm.max_depth=6 both set lightgbm's "
             "max_depth"),
            # aliases: LightGBM's, and XGBoost's own names beside XGBClassifier's
            ([(None, "num_leaves", 15), (None, "max_leaves", 31)],
             "--param num_leaves=15 and --param max_leaves=31 both set lightgbm's "
             "num_leaves"),
            ([(None, "lambda", 1.0), ("xgboost", "reg_lambda", 5.0)],
             "--param lambda=1.0 and --param xgboost.reg_lambda=5.0 both set xgboost's "
             "reg_lambda"),
            ([(None, "max_depth", 1), (None, "max_depth", True)], "max_depth=True")):
        with pytest.raises(cli.UsageError, match=re.escape(needle)):
            _evaluate.library_params(params, both)
    # the same value twice, or one per library, is what it says
    # a LightGBM alias goes under the estimators' own name, whose value (a default too)
    # won over one longer or not the main name (l2_regularization=1000 trained lambda_l2 0)
    assert _evaluate.library_params([(None, "l2_regularization", 1000.0),
                                     ("lightgbm", "min_data_per_leaf", 5)], both) == {
        "xgboost": {}, "lightgbm": {"reg_lambda": 1000.0, "min_child_samples": 5}}
    assert _evaluate.library_params([("xgboost", "missing", np.nan)] * 2,
                                    both)["xgboost"]["missing"] is not None  # (nan is nan)
    assert _evaluate.library_params([(None, "max_depth", 4), (None, "max_depth", 4),
                                     ("xgboost", "min_child_weight", 2),
                                     ("lightgbm", "min_child_weight", 3)], both) == {
        "xgboost": {"max_depth": 4, "min_child_weight": 2},
        "lightgbm": {"max_depth": 4, "min_child_weight": 3}}


def test_small_file_runs_when_the_libraries_can_fit_it(tmp_path, capsys):
    from sklearn.datasets import make_classification

    X, y = make_classification(45, 4, n_informative=3, n_redundant=0, weights=[0.7], random_state=1)
    frame = pd.DataFrame(X, columns=list("abcd"))
    frame["y"] = y
    path = tmp_path / "small.csv"
    frame.to_csv(path, index=False)
    assert cli.main([str(path), "--target", "y", *FAST, "--library", "xgboost"]) == 0
    assert cli.main([str(path), "--target", "y", *FAST, "--library", "lightgbm",
                     "--param", "lightgbm.min_child_samples=5"]) == 0


def test_gamma_auto_on_large_folds_fits_candidates_on_part(binary_csv_path, monkeypatch,
                                                           capsys):
    from focal_boost.cli import _args, _evaluate

    sizes = []
    real = _evaluate.fit

    def spy(estimator, library, model, X, y, *rest):
        if model == "focal" and rest:
            sizes.append(len(X))
        return real(estimator, library, model, X, y, *rest)

    monkeypatch.setattr(_evaluate, "fit", spy)
    monkeypatch.setattr(_args, "SEARCH_ROWS", 100)
    assert cli.main([str(binary_csv_path), "--target", "churn", *FAST, "--library",
                     "lightgbm", "--gamma", "auto"]) == 0
    # per fold: 5 candidates on 100 rows, then the chosen gamma on all 160
    assert sizes == ([100] * len(cli.GAMMA_GRID) + [160]) * 3
    stdout = capsys.readouterr().out
    assert re.search(r"search 5 candidate fits on 100 rows and the chosen gamma on all "
                     r"rows per fold; the focal folds took \d+\.\d s in all", stdout)


@pytest.fixture
def binary_csv_path(tmp_path):
    path = tmp_path / "customers.csv"
    _customers().to_csv(path, index=False)
    return path


# -------------------------------------------------------------------------- plots
@pytest.mark.parametrize("n_classes", [2, 5])
def test_plot_series_bin_counts_and_class_views(tmp_path, capsys, n_classes):
    from sklearn.datasets import make_classification

    X, y = make_classification(600, 6, n_informative=4, n_classes=n_classes,
                               weights=[0.9] if n_classes == 2 else
                               [0.4, 0.3, 0.15, 0.1, 0.05], random_state=0)
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(6)])
    frame["y"] = np.array(list("abcde"))[y]
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    alpha = ["--alpha", "0.25"] if n_classes == 2 else ["--alpha", "balanced"]
    task, results, _ = cli.run([str(path), "--target", "y", *FAST, *alpha, "--plot",
                                str(tmp_path / "p.png")])
    series = cli.plot_series(task, results, ("xgboost", "lightgbm"))
    for out in series.values():
        n_points = len(task.y) * (1 if n_classes == 2 else n_classes)
        for left, counts, _ in out["counts"]:  # the bars: every row in one bin
            assert counts.sum() == n_points and np.all((0 <= left) & (left < 1))
        labels = [label for _, _, label in out["pr"]]
        assert labels[1].startswith(f"focal, gamma 2, alpha {alpha[1]} (PR-AUC ")
        if n_classes == 2:
            assert out["title"] == "positive class 'b'" and out["classes"] == []
        else:  # the 3 rarest classes, each one-vs-rest, labels without numbers
            titles = [title for title, _ in out["classes"]]
            assert [t.split(" one-vs-rest")[0] for t in titles] == [
                "class 'c'", "class 'd'", "class 'e'"]
            for _, view in out["classes"]:
                assert all("(" not in label for _, _, label in view["pr"])
                assert view["counts"][0][1].sum() == len(task.y)


def test_plot_titles_show_labels_with_dollars_as_written(tmp_path, monkeypatch):
    # matplotlib read "$5 to $" as TeX math: the title showed '5to10'; "$1^^2$ up" failed
    # to parse after every fold had run (no table, no --output). The log axis's ticks
    # stay math (turning math off for the whole figure printed '$\mathdefault{10^{2}}$').
    from matplotlib.figure import Figure

    from focal_boost.cli._report import render_plot

    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 3))
    frame = pd.DataFrame(x, columns=["a", "b", "c"])
    frame["y"] = np.where(x[:, 0] + rng.normal(size=300) > 1.2, "$1^^2$ up", "under $5")
    path = tmp_path / "d.csv"
    frame.to_csv(path, index=False)
    task, results, _ = cli.run([str(path), "--target", "y", *FAST, "--library", "lightgbm"])
    figures, savefig = [], Figure.savefig
    monkeypatch.setattr(Figure, "savefig", lambda fig, *a, **k: (
        figures.append(fig), savefig(fig, *a, **k))[1])
    assert render_plot(task, results, ("lightgbm",))[:4] == b"\x89PNG"
    titled = [ax for ax in figures[0].axes if ax.get_title()]
    assert len(titled) == 2  # (titles wrap: compared as one line)
    assert all("precision-recall, positive class '$1^^2$ up'" in ax.get_title().replace(
        "\n", " ") or "reliability, positive class '$1^^2$ up'" in ax.get_title()
        for ax in titled)
    assert not any(ax.title.get_parse_math() for ax in titled)
    ticks = [t for ax in figures[0].axes if ax.get_yscale() == "log"
             for t in ax.get_yticklabels() if t.get_text()]
    assert ticks and all(t.get_parse_math() and t.get_text().startswith("$") for t in ticks)


def test_plot_titles_of_long_class_names_are_wrapped_within_their_panel(tmp_path,
                                                                         monkeypatch):
    # "xgboost: precision-recall, class 'species 000' one-vs-rest (30 rows, 25.0%),
    # out-of-fold" ran past its panel into the next one's title; a line breaks at
    # spaces, not hyphens (a label "2020-01-05" is kept whole)
    from matplotlib.figure import Figure

    from focal_boost.cli._report import TITLE_WIDTH, render_plot

    rng = np.random.default_rng(0)
    y = np.repeat([f"species {i:03d}" for i in range(4)], 75)
    frame = pd.DataFrame(rng.normal(size=(300, 3)), columns=["a", "b", "c"])
    frame["y"] = y
    frame.to_csv(tmp_path / "d.csv", index=False)
    task, results, _ = cli.run([str(tmp_path / "d.csv"), "--target", "y", *FAST])
    figures, savefig = [], Figure.savefig
    monkeypatch.setattr(Figure, "savefig", lambda fig, *a, **k: (
        figures.append(fig), savefig(fig, *a, **k))[1])
    assert render_plot(task, results, ("xgboost", "lightgbm"))[:4] == b"\x89PNG"
    titles = [ax.get_title() for ax in figures[0].axes if ax.get_title()]
    assert len(titles) == 2 * 2 * 4  # (pooled + the 3 rarest classes, PR and reliability)
    assert max(len(line) for title in titles for line in title.split("\n")) <= TITLE_WIDTH
    assert any("class 'species 000' one-vs-rest" in " ".join(t.split("\n")) for t in titles)
    from focal_boost.cli._report import _set_title

    ax = Figure().subplots()
    _set_title(ax, "xgboost: precision-recall, class '40K-60K-80K-100K' one-vs-rest (3 "
                   "rows, 1.2%), out-of-fold")  # (broken at hyphens: "one-vs-\nrest")
    assert ax.get_title() == ("xgboost: precision-recall, class '40K-60K-80K-100K'\n"
                              "one-vs-rest (3 rows, 1.2%), out-of-fold")


def test_reading_as_the_file_is_written(tmp_path, capsys):
    # a separator at the end of every line shifted every column (pandas took the first
    # as row labels); a row number was a feature once unlabelled rows were left out; a
    # 0.125 in a decimal-comma file was 125; true/false labels with a blank were text
    from focal_boost.cli._prepare import _numbers

    frame = _customers(n=60)
    path = tmp_path / "trailing.csv"
    path.write_text("\n".join(line + "," if i else line for i, line in
                              enumerate(frame.to_csv(index=False).splitlines())) + "\n")
    table, _ = cli.read_table(path)
    assert list(table.columns) == list(frame.columns)
    np.testing.assert_array_equal(table["churn"], frame["churn"])
    # the header ending in the separator too (every line does), or the header alone:
    # no column either (it was an empty "Unnamed: N" column reported as no feature),
    # and no row is short of a field
    for rows_too in (True, False):
        path.write_text("\n".join(line + "," if i == 0 or rows_too else line for i, line
                                  in enumerate(frame.to_csv(index=False).splitlines())) + "\n")
        warn = []
        table, _ = cli.read_table(path, warn=warn)
        assert list(table.columns) == list(frame.columns) and warn == []
        np.testing.assert_array_equal(table["churn"], frame["churn"])

    rows = pd.DataFrame({"x": np.random.default_rng(0).normal(size=60),
                         "label": (np.arange(60) % 2 == 0).astype(object)})
    rows.loc[[3, 40], "label"] = None
    path = tmp_path / "numbered.csv"
    rows.to_csv(path)  # with its row numbers, a column without a name
    table, _ = cli.read_table(path)
    X, y = cli.split_target(table, "label", path)
    encoder, _ = cli.encode(X, path, columns=table.drop(columns=["label"]))
    assert "Unnamed: 0" in encoder.dropped_ and "consecutive" in encoder.dropped_["Unnamed: 0"]
    assert y.dtype == bool and len(y) == 58

    numbers = _numbers(pd.Series(["0.125", "1.250", "0,5", "12.345.678,9", "-0.375"]), ",")
    np.testing.assert_array_equal(numbers, [0.125, 1250, 0.5, 12345678.9, -0.375])
    np.testing.assert_array_equal(_numbers(pd.Series(["0,125", "1,250.5"]), "."),
                                  [np.nan, 1250.5])  # 0,125 is no number with a decimal point


def test_predict_outputs_overwrite_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    frame = _customers()
    frame.to_csv("customers.csv", index=False)
    cli.run(["customers.csv", "--target", "churn", *FAST, "--library", "lightgbm",
             "--save-model", "model.pkl"])
    frame.assign(predicted=1).to_csv("new.csv", index=False)
    capsys.readouterr()
    for argv, needle in (
            (["--output", "new.csv"], "--output new.csv: is also the data file"),
            (["--output", "model.pkl"], "must end in .csv"),
            (["--id", "predicted"], "--id predicted: the output has a column of that name")):
        before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
        assert cli.main(["predict", "model.pkl", "new.csv", *argv]) == 2
        err = capsys.readouterr().err
        assert len(err.splitlines()) == 1 and needle in err, err
        assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    (tmp_path / "model_dir").mkdir()
    assert cli.main(["predict", "model_dir", "new.csv"]) == 2
    assert "model_dir is a directory" in capsys.readouterr().err


@pytest.mark.parametrize("trained_with, scored_with", [(",", ";"), (";", ",")])
def test_predict_reads_text_numbers_with_the_scored_files_decimal_mark(
        tmp_path, capsys, trained_with, scored_with):
    # a number column with one "?" is text; its cells were parsed with the training
    # file's decimal mark: "1,265" in a decimal-comma file became 1265, "1,5" missing
    rng = np.random.default_rng(0)
    n = 300
    x = rng.uniform(-3, 3, size=n).round(3)
    train = pd.DataFrame({"x": x, "z": rng.normal(size=n).round(3),
                          "y": np.where((x > 1) & (x < 2), "yes", "no")})

    def write(frame, path, sep):
        text = frame.to_csv(index=False, sep=sep)
        path.write_text(text.replace(".", ",") if sep == ";" else text)

    write(train, tmp_path / "train.csv", trained_with)
    assert cli.main([str(tmp_path / "train.csv"), "--target", "y", *FAST, "--library",
                     "lightgbm", "--save-model", str(tmp_path / "m.pkl")]) == 0
    rows = pd.DataFrame({"x": ["?", "1.265", "1.5", "1.750", "-2.5"],
                         "z": [0.1, 0.2, 0.3, 0.4, 0.5]})
    write(rows, tmp_path / "new.csv", scored_with)
    capsys.readouterr()
    scores = cli.predict([str(tmp_path / "m.pkl"), str(tmp_path / "new.csv"), "-q"])
    with open(tmp_path / "m.pkl", "rb") as handle:
        model = pickle.load(handle)
    numbers = rows.assign(x=[np.nan, 1.265, 1.5, 1.75, -2.5])
    expected = model.predict_proba(numbers)
    assert expected[1:4, 1].min() > 0.5 > expected[[0, 4], 1].max()  # the numbers matter
    np.testing.assert_allclose(scores[["proba_no", "proba_yes"]].to_numpy(), expected,
                               atol=1e-12)
    assert capsys.readouterr().err == (
        f"focal-boost: warning: {tmp_path / 'new.csv'}: column 'x' has 1 value(s) that are "
        f"not numbers (e.g. '?'); they are scored as missing\n")
    if scored_with == ";":  # --decimal given is this file's mark too
        again = cli.predict([str(tmp_path / "m.pkl"), str(tmp_path / "new.csv"), "-q",
                             "--decimal", ","])
        pd.testing.assert_frame_equal(again, scores)


def _small_model(tmp_path, n=200):
    """A LightGBM model of y ~ x saved by the command, and its path."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=n).round(3)
    pd.DataFrame({"x": x, "y": np.where(x + rng.normal(size=n) > 0, "yes", "no")}).to_csv(
        tmp_path / "train.csv", index=False)
    path = tmp_path / "m.pkl"
    assert cli.main([str(tmp_path / "train.csv"), "--target", "y", *FAST, "--library",
                     "lightgbm", "--save-model", str(path)]) == 0
    return path


def test_predict_writes_id_columns_as_in_the_file(tmp_path, capsys):
    # pandas' guess retyped --id columns: "00123" became 123.0 and, beside an empty cell,
    # 9007199254740993 became 9007199254740992.0 (another customer's number), 19 digits
    # 1.2345678901234568e+18
    model = _small_model(tmp_path)
    capsys.readouterr()
    ids = ["00123", "9007199254740993", "", "NA", "1234567890123456789", "9007199254740995"]
    (tmp_path / "new.csv").write_text("account,x\n" + "".join(
        f"{i},{x}\n" for i, x in zip(ids, [0.5, -0.5, 0.1, 0.2, 0.3, 1.0], strict=True)))
    assert cli.main(["predict", str(model), str(tmp_path / "new.csv"), "--id", "account",
                     "--output", str(tmp_path / "s.csv"), "-q"]) == 0
    lines = (tmp_path / "s.csv").read_text().splitlines()
    assert lines[0] == "account,proba_no,proba_yes,predicted"
    assert [line.split(",")[0] for line in lines[1:]] == ids

    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    # an integer column with a missing value, as other programs write it (no pandas types)
    big = [9007199254740993, None, 123]
    pq.write_table(pa.table({"account": pa.array(big, pa.int64()), "x": [0.5, 0.1, 1.0]}),
                   tmp_path / "new.parquet")
    scores = cli.predict([str(model), str(tmp_path / "new.parquet"), "--id", "account", "-q"])
    assert scores["account"].tolist()[::2] == [9007199254740993, 123]
    assert capsys.readouterr().out.splitlines()[1].startswith("9007199254740993,")


def test_arrow_typed_columns_are_read_as_their_values(tmp_path):
    # a bool[pyarrow] column (a parquet file written from an Arrow-backed frame reads
    # back so) was read as the text "True"/"False", then as missing: every row of a
    # training file or a file to score lost it, with a warning of values that "are not
    # true/false (e.g. True, False)"
    from focal_boost.cli._prepare import FrameEncoder

    pa = pytest.importorskip("pyarrow")
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=40), "k": rng.integers(0, 5, 40),
                          "flag": (rng.uniform(size=40) < 0.5).astype(object),
                          "plan": rng.choice(["a", "b"], 40)})
    frame.loc[::7, "flag"] = None
    arrow = frame.convert_dtypes(dtype_backend="pyarrow")
    assert str(arrow["flag"].dtype) == "bool[pyarrow]"
    encoder = FrameEncoder().fit(frame)
    expected = encoder.transform(frame)
    assert expected["flag"].notna().sum() == 34
    pd.testing.assert_frame_equal(encoder.transform(arrow), expected)
    pd.testing.assert_frame_equal(FrameEncoder().fit(arrow).transform(arrow), expected)
    # a saved model scores polars and pyarrow tables as pandas' (a pyarrow Table's
    # columns were "lacking", polars' failed on Series.astype); an array, which has no
    # names, is refused by saying so
    pd.testing.assert_frame_equal(encoder.transform(pa.Table.from_pandas(arrow)), expected)
    pl = pytest.importorskip("polars")
    pd.testing.assert_frame_equal(encoder.transform(pl.from_pandas(frame)), expected)
    with pytest.raises(TypeError, match=r"^X \(ndarray\) has no column names"):
        encoder.transform(frame.to_numpy())


def test_numbers_kept_as_text_and_durations_are_judged_by_their_values():
    # a parquet file's string column of "00000".."00299" (a CSV file's reads as the
    # numbers 0..299, left out as an ID) was a numeric feature; a duration column was
    # read as text categories ("0 days 02:00:00"), unseen durations scored as missing
    from focal_boost.cli._prepare import FrameEncoder, judge_column

    ids = pd.Series([f"{i:05d}" for i in range(300)])
    assert judge_column("cust_id", ids) == judge_column("cust_id", pd.Series(range(300)))
    assert judge_column("cust_id", ids)[0] == "id"
    assert judge_column("code", pd.Series([f"{7 * i:05d}" for i in range(300)])) == (
        "number", None)
    big = pd.Series(np.arange(300, dtype=np.int64) * 3 + 2**53 + 1)  # (not distinct as floats)
    assert judge_column("account_id", big)[0] == "id"
    tweets = pd.Series(np.arange(300, dtype=np.int64) + 2**60).astype(str)  # (19 digits)
    assert judge_column("tweet_id", tweets)[0] == "id"
    # integers past both int64 and uint64 as text (one negative, one of 19 nines): pandas
    # keeps them as objects, which are read as floats then (not a traceback)
    past = pd.Series(["-1", "9" * 19] + [str(i) for i in range(1, 39)], dtype=object)
    assert judge_column("account_id", past)[0] == "id"
    # digits of other scripts (full-width) are no integers there: a traceback in to_numeric
    wide = pd.Series([str(1000 + i) for i in range(99)] + ["\uff11\uff12\uff13"])
    assert judge_column("id", wide) == ("number", None)
    hours = pd.Series(pd.to_timedelta(np.arange(300) % 7, unit="h"))
    pa = pytest.importorskip("pyarrow")
    for durations in (hours, hours.astype(pd.ArrowDtype(pa.duration("s")))):
        encoder = FrameEncoder().fit(pd.DataFrame({"d": durations}))
        assert encoder.columns_ == {"d": ("d", "number", None)}
        scored = encoder.transform(pd.DataFrame({"d": pd.to_timedelta([1.5, None], unit="h")}))
        np.testing.assert_array_equal(scored["d"], [5400.0, np.nan])


def test_columns_of_lists_or_records_are_left_out_as_such():
    # a parquet file's list column was left out as "ID-like: 60 distinct values", a
    # struct column as "free text"
    from focal_boost.cli._prepare import judge_column

    lists = pd.Series([np.array([i, i + 1]) for i in range(60)], dtype=object)
    records = pd.Series([{"a": i, "b": "x"} for i in range(60)], dtype=object)
    for column in (lists, records, pd.Series([None, [1, 2]] * 30, dtype=object)):
        assert judge_column("c", column) == (
            "text", "lists or records in its cells, not single values")


def test_the_saved_model_reads_its_missing_value_marks_in_python_too(tmp_path):
    # --na-values -999: focal-boost predict read the file with them, the saved model's
    # predict_proba on a frame did not (training saw -999 as missing, Python as -999)
    from focal_boost.cli._prepare import FrameEncoder

    frame = pd.DataFrame({"x": [1.0, -999.0, 2.0], "c": ["a", "?", "b"]})
    encoder = FrameEncoder(na_values=("-999", "?")).fit(frame)
    scored = encoder.transform(frame)
    assert scored["x"].isna().tolist() == [False, True, False]
    assert scored["c"].isna().tolist() == [False, True, False]
    assert frame["x"][1] == -999.0 and frame["c"][1] == "?"  # (the rows given unchanged)
    # a number column read as text (its "?" cells, or dtype=str): the mark's value however
    # written, as pandas reads a column it types as numbers ("-999.0" and "-999.00" were
    # scored -999: the rows' scores depended on a "?" in another row)
    text = pd.DataFrame({"x": ["1.5", "-999.0", "?", " -999 ", "2", "0999", "-999.00"],
                         "c": ["a"] * 7})
    assert encoder.transform(text)["x"].isna().tolist() == [
        False, True, True, True, False, False, True]
    comma = FrameEncoder(na_values=("-999",), decimal=",").fit(frame)
    assert comma.transform(pd.DataFrame({"x": ["0,5", "-999,0", "?", "-999,00"],
                                         "c": ["a"] * 4}))["x"].isna().tolist() == [
        False, True, True, True]
    # a mark written otherwise is no "value that is not a number" in the warning
    assert encoder.lost_values(text, encoder.transform(text)) == {"x": (1, ["?"])}
    # infinite marks: the cells pandas typed as inf, as the same cells written as text
    inf = FrameEncoder(na_values=("inf", "-inf")).fit(pd.DataFrame({"x": [1.5, 2.5]}))
    for given in ([1.5, np.inf, -np.inf], ["1.5", "inf", "-inf"]):
        got = inf.transform(pd.DataFrame({"x": given}))["x"]
        assert got.isna().tolist() == [False, True, True]
    # codes are text: "0999" under the mark 999 is a code (for a few commits, missing)
    codes = pd.DataFrame({"code": ["0999", "999", "A17", "0123"] * 10})
    coder = FrameEncoder(na_values=("999",), categorical=("code",)).fit(
        codes.where(codes != "999"))
    assert coder.transform(codes)["code"].tolist()[:4] == ["0999", np.nan, "A17", "0123"]
    # a column the model does not read named twice: scored (it failed on DataFrame.str)
    doubled = pd.concat([frame, pd.DataFrame({"t": [1, 2, 3]})] * 1 + [frame[[]].assign(
        t=[4, 5, 6])], axis=1)
    pd.testing.assert_frame_equal(encoder.transform(doubled), scored)


def test_parquet_columns_of_arrow_types_pandas_cannot_compute_on(tmp_path):
    # a string_view column failed with NotImplementedError (astype(str)); a file whose
    # pandas metadata names an Arrow dictionary was "not a readable parquet file"
    pa = pytest.importorskip("pyarrow")
    from focal_boost.cli._data import read_table
    from focal_boost.cli._prepare import FrameEncoder

    labels = ["a", "b", None, "c"] * 10
    plain = pd.DataFrame({"s": labels, "h": np.linspace(0, 1, 40)})
    expected = FrameEncoder().fit(plain).transform(plain)
    written = {
        "view": plain.assign(s=pd.array(labels, dtype=pd.ArrowDtype(pa.string_view()))),
        "dictionary": plain.assign(s=pd.Series(labels).astype(
            pd.ArrowDtype(pa.dictionary(pa.int32(), pa.string())))),
        "half": plain.assign(h=pd.array(plain["h"].astype("float16"),
                                        dtype=pd.ArrowDtype(pa.float16()))),
    }
    for name, frame in written.items():
        frame.to_parquet(tmp_path / f"{name}.parquet")
        read, _ = read_table(tmp_path / f"{name}.parquet")
        encoded = FrameEncoder().fit(read).transform(read)
        pd.testing.assert_series_equal(encoded["s"], expected["s"])
        np.testing.assert_allclose(encoded["h"], expected["h"], atol=1e-3)  # (float16)
        # a saved model scores such a frame given in Python as the file
        pd.testing.assert_frame_equal(FrameEncoder().fit(plain).transform(frame)[["s"]],
                                      expected[["s"]])


def test_parquet_binary_columns_and_nul_characters_are_read_as_text(tmp_path, capsys):
    # bytes cells (16 random bytes of an ID, a flag b"\x00"/b"\x01") and text with a
    # NUL failed with a traceback: a UnicodeDecodeError judging the column, XGBoost's
    # assertion on a category holding NUL
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    rng = np.random.default_rng(0)
    n = 200
    x = rng.normal(size=n)
    table = pa.table({
        "x": x, "uuid": pa.array([rng.bytes(16) for _ in range(n)]),
        "flag": pa.array([bytes([i % 2]) for i in range(n)]),
        "word": pa.array([b"abc", b"de"] * (n // 2), type=pa.large_binary()),
        "note": pa.array(["x\0y", "z", None, "z"] * (n // 4)),
        "y": np.where(x + rng.normal(size=n) > 0, "yes", "no")})
    pq.write_table(table, tmp_path / "data.parquet")
    model = tmp_path / "m.pkl"
    capsys.readouterr()
    assert cli.main([str(tmp_path / "data.parquet"), "--target", "y", *FAST, "--library",
                     "xgboost", "--save-model", str(model)]) == 0
    with open(model, "rb") as handle:
        pipeline = pickle.load(handle)
    columns = pipeline[0].columns_
    assert "uuid" in pipeline[0].dropped_ and "ID-like" in pipeline[0].dropped_["uuid"]
    assert columns["flag"][1] == "number"  # (hexadecimal 00 and 01)
    assert columns["word"] == ("word", "category", ["abc", "de"])  # (UTF-8: decoded)
    assert columns["note"] == ("note", "category", ["x\\x00y", "z"])
    scores = cli.predict([str(model), str(tmp_path / "data.parquet"), "-q"])
    expected = pipeline.predict_proba(pd.read_parquet(tmp_path / "data.parquet"))
    np.testing.assert_array_equal(scores[["proba_no", "proba_yes"]].to_numpy(), expected)
    assert len(np.unique(expected[:, 1])) > 4


def test_binary_as_text_decodes_utf8_and_writes_other_bytes_in_hexadecimal():
    from focal_boost.cli._prepare import _binary_as_text

    def column(cells):
        return pd.Series(cells, dtype=object)

    text = _binary_as_text(column([b"ab", None, bytearray(b"c")]))
    assert text[[0, 2]].tolist() == ["ab", "c"] and text.isna().tolist() == [False, True,
                                                                              False]
    # one cell that is no UTF-8, or holds NUL: the column in hexadecimal
    assert _binary_as_text(column([b"ab", b"\x9e"])).tolist() == ["6162", "9e"]
    assert _binary_as_text(column([b"ab", b"\x00"])).tolist() == ["6162", "00"]
    assert _binary_as_text(column(["a\0b", 1.5, None])).tolist() == ["a\\x00b", 1.5, None]
    for other in (["ab", "c"], [1, 2], [None, None], [b"ab", "c"], []):
        assert _binary_as_text(column(other)) is None, other


def test_arrow_typed_binary_and_nul_text_are_read_as_the_plain_types_read():
    # a frame of Arrow types (pd.read_parquet(..., dtype_backend="pyarrow")) given to a
    # saved model: its binary cells and text with NUL read as those of pd.read_parquet
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    from focal_boost.cli._prepare import FrameEncoder, computable_arrow_types

    table = pa.table({
        "b": pa.array([b"ab", None, b"c", b"ab"] * 5),
        "lb": pa.array([b"ab", b"\x9e", None, b"ab"] * 5, type=pa.large_binary()),
        "fb": pa.array([b"ab", b"\x00\x01", b"cd", None] * 5, type=pa.binary(2)),
        "s": pa.array(["a\0b", "c", None, "c"] * 5),
        "ls": pa.array(["a\0b", "c", None, "c"] * 5, type=pa.large_string()),
        "x": np.arange(20.0)})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)

    def read(**kw):
        buffer.seek(0)
        return pd.read_parquet(buffer, **kw)

    def cells(frame):
        return {c: [None if pd.isna(v) else v for v in frame[c]] for c in frame}

    plain, arrow = read(), read(dtype_backend="pyarrow")
    assert all(isinstance(dtype, pd.ArrowDtype) for dtype in arrow.dtypes)
    expected = cells(computable_arrow_types(plain))
    assert expected["lb"][:2] == ["6162", "9e"] and expected["s"][0] == "a\\x00b"
    assert cells(computable_arrow_types(arrow)) == expected
    encoder = FrameEncoder().fit(computable_arrow_types(plain))
    pd.testing.assert_frame_equal(encoder.transform(arrow), encoder.transform(plain))
    # fit reads a frame as transform does (Arrow bytes that are no UTF-8 failed there)
    for given in (arrow, plain):
        assert FrameEncoder().fit(given).columns_ == encoder.columns_


def test_ids_are_judged_from_twenty_rows_on():
    from focal_boost.cli._prepare import judge_column

    # MIN_ROWS_TO_JUDGE = 20: "fewer non-missing rows: never judged ID-like"
    assert judge_column("row_id", pd.Series(range(20)))[0] == "id"
    assert judge_column("row_id", pd.Series(range(19))) == ("number", None)
    # as text (a parquet file's) alike
    assert judge_column("row_id", pd.Series([f"{i:03d}" for i in range(20)]))[0] == "id"


def test_unnamed_row_labels_reach_below_ten_times_the_rows():
    from focal_boost.cli._prepare import judge_column

    labels = np.append(np.arange(19), 10 * 20 - 1)
    assert judge_column("Unnamed: 0", pd.Series(labels))[0] == "id"
    labels = np.append(np.arange(19), 10 * 20)
    assert judge_column("Unnamed: 0", pd.Series(labels)) == ("number", None)


def test_integers_named_like_an_id_are_ids_only_when_distinct():
    from focal_boost.cli._prepare import judge_column

    assert judge_column("cust_id", pd.Series(np.arange(300) * 7))[0] == "id"
    assert judge_column("cust_id", pd.Series(np.arange(300) % 150 * 7)) == ("number", None)
    assert judge_column("cust_id", pd.Series(np.arange(300) * 7 + 0.5)) == ("number", None)
    text = pd.Series([f"{i % 150 * 7:05d}" for i in range(300)])
    assert judge_column("cust_id", text) == ("number", None)


def test_tuples_in_cells_are_left_out_as_lists_or_records():
    from focal_boost.cli._prepare import judge_column

    tuples = pd.Series([(i, i + 1) for i in range(60)], dtype=object)
    assert judge_column("c", tuples) == (
        "text", "lists or records in its cells, not single values")


def test_an_object_column_without_values_is_empty():
    from focal_boost.cli._prepare import judge_column

    kind, _ = judge_column("c", pd.Series([None] * 30, dtype=object))
    assert kind == "empty"


def test_durations_of_more_than_a_day_are_their_seconds():
    from focal_boost.cli._prepare import FrameEncoder

    pa = pytest.importorskip("pyarrow")
    days = pd.Series(pd.to_timedelta(np.arange(40) % 9, unit="D"))
    for durations in (days, days.astype(pd.ArrowDtype(pa.duration("s")))):
        encoder = FrameEncoder().fit(pd.DataFrame({"d": durations}))
        scored = encoder.transform(pd.DataFrame({"d": pd.to_timedelta([1.5, 3], unit="D")}))
        np.testing.assert_array_equal(scored["d"], [129600.0, 259200.0])


def test_transform_leaves_the_callers_frame_as_it_was():
    from focal_boost.cli._prepare import FrameEncoder

    pa = pytest.importorskip("pyarrow")
    labels = ["a", "b", None, "c"] * 10
    plain = pd.DataFrame({"s": labels, "h": np.linspace(0, 1, 40)})
    frame = plain.assign(s=pd.array(labels, dtype=pd.ArrowDtype(pa.string_view())),
                         h=pd.array(plain["h"].astype("float16"),
                                    dtype=pd.ArrowDtype(pa.float16())))
    dtypes = frame.dtypes.copy()
    FrameEncoder().fit(plain).transform(frame)
    pd.testing.assert_series_equal(frame.dtypes, dtypes)


def test_the_saved_model_scores_a_polars_lazy_frame():
    from focal_boost.cli._prepare import FrameEncoder

    pl = pytest.importorskip("polars")
    pytest.importorskip("pyarrow")  # (the frame reaches pandas through it)
    frame = pd.DataFrame({"x": np.linspace(0, 1, 30), "plan": ["a", "b", "c"] * 10})
    encoder = FrameEncoder().fit(frame)
    with pytest.warns(UserWarning, match="LazyFrame.collect"):
        scored = encoder.transform(pl.from_pandas(frame).lazy())
    pd.testing.assert_frame_equal(scored, encoder.transform(frame))


def test_consecutive_integers_are_ids_whatever_their_name():
    from focal_boost.cli._prepare import judge_column

    why = "ID-like: consecutive integers, one distinct value per row"
    assert judge_column("x", pd.Series(np.arange(300) + 1000)) == ("id", why)
    assert judge_column("x", pd.Series([str(i) for i in range(1000, 1300)])) == ("id", why)
    assert judge_column("x", pd.Series(np.arange(300) * 2)) == ("number", None)


def test_integer_ids_above_two_to_the_53_are_judged_as_integers():
    from focal_boost.cli._prepare import judge_column

    # as floats, 2**53 + k and 2**53 + k + 1 are one value: not distinct, not an ID
    ids = pd.Series(np.arange(300, dtype=np.int64) + 2**53)
    assert judge_column("x", ids) == (
        "id", "ID-like: consecutive integers, one distinct value per row")


def test_na_values_match_text_cells_with_the_decimal_comma():
    # a column kept as text (a cell that is no number) of a file with decimal commas:
    # the mark -999 is also written "-999,0" there, as pandas writes it "-999.0"
    from focal_boost.cli._prepare import without_na_values

    frame = pd.DataFrame({"x": ["1,5", "-999,0", "n/a?", "-999"]}, dtype=object)
    out = without_na_values(frame, ["-999"], decimal=",")
    assert out["x"].isna().tolist() == [False, True, False, True]
    assert out.attrs["na_marks"] == {"x": ["-999"]}


def test_a_half_float_parquet_column_takes_na_values(tmp_path):

    # pandas cannot compute on halffloat[pyarrow] (isin, max, round): read as float32
    pa = pytest.importorskip("pyarrow")
    from focal_boost.cli._data import read_table

    h = np.array([0.5, -999.0, 1.0] * 10, dtype="float16")
    pd.DataFrame({"h": pd.array(h, dtype=pd.ArrowDtype(pa.float16()))}).to_parquet(
        tmp_path / "half.parquet")
    read, _ = read_table(tmp_path / "half.parquet", na_values=["-999"])
    assert read["h"].isna().sum() == 10 and read["h"].max() == 1.0


def test_predict_warns_about_cells_that_hold_lists(tmp_path, capsys):
    # a parquet column of lists crashed the warning on values read as missing
    # (unhashable numpy arrays), after the model had scored them as missing
    pytest.importorskip("pyarrow")
    model = _small_model(tmp_path)
    pd.DataFrame({"x": [[1.0, 2.0], [3.0], [1.0, 2.0], None]}).to_parquet(
        tmp_path / "lists.parquet")
    capsys.readouterr()
    assert cli.main(["predict", str(model), str(tmp_path / "lists.parquet"), "-q"]) == 0
    out, err = capsys.readouterr()
    with open(model, "rb") as handle:
        expected = pickle.load(handle).predict_proba(pd.DataFrame({"x": [np.nan] * 4}))
    scores = pd.read_csv(io.StringIO(out))[["proba_no", "proba_yes"]].to_numpy()
    np.testing.assert_allclose(scores, expected, atol=1e-12)
    assert err.startswith(f"focal-boost: warning: {tmp_path / 'lists.parquet'}: column 'x' "
                          "has 3 value(s) that are not numbers (e.g. array([1., 2.]), "
                          "array([3.])); they are scored as missing")


def test_a_separator_outside_the_detected_ones_that_misses_the_target(tmp_path, capsys):
    # --sep ':' (not one of , ; tab |) on a comma file: the hint about the header's
    # separator looked the given one up by name and ended in KeyError: ':'
    path = tmp_path / "c.csv"
    pd.DataFrame({"a": np.arange(30.0), "target": np.arange(30) % 2}).to_csv(path, index=False)
    assert cli.main([str(path), "--target", "target", "--sep", ":", *FAST]) == 2
    err = capsys.readouterr().err
    assert "read with separator ':'" in err and "give --sep ','" in err


@pytest.mark.parametrize("written", ["%d/%m/%Y", "%m/%d/%Y", "%Y-%m-%d", "%d.%m.%Y"])
def test_kept_dates_are_read_in_one_format(tmp_path, written):
    # read cell by cell, "04/01/2021" was April 4th beside "13/01/2021", January 13th:
    # 35 of 100 days wrong, in training and in the saved model alike
    from focal_boost.cli._prepare import FrameEncoder

    days = pd.date_range("2021-01-01", periods=100, freq="3D")
    frame = pd.DataFrame({"visit": days.strftime(written), "x": np.arange(100.0)})
    encoder = FrameEncoder(keep=("visit",)).fit(frame)
    expected = (days - pd.Timestamp("1970-01-01")).days.to_numpy(dtype=float)
    np.testing.assert_array_equal(encoder.transform(frame)["visit"], expected)
    # a file to score holding only days <= 12 reads them the same way
    early = frame[days.day <= 12]
    np.testing.assert_array_equal(encoder.transform(early)["visit"], expected[days.day <= 12])


def test_na_values_turn_a_mostly_numbers_column_into_numbers(tmp_path, capsys):
    # a temperature written "?" in a quarter of its cells became categories with no word:
    # LightGBM found no split (ROC-AUC 0.5), where pd.read_csv(na_values="?") and
    # LGBMClassifier score 0.9; now a warning names the cells and --na-values reads them
    rng = np.random.default_rng(0)
    temp = np.round(rng.normal(38, 1, 300), 1)
    label = np.where(temp + rng.normal(0, 0.5, 300) > 38.3, "died", "lived")
    cells = temp.astype(object)
    cells[rng.random(300) < 0.25] = "?"
    data = tmp_path / "q.csv"
    pd.DataFrame({"temp": cells, "outcome": label}).to_csv(data, index=False)
    task, _, _ = cli.run([str(data), "--target", "outcome", *FAST, "--library", "lightgbm"])
    assert task.X["temp"].dtype == "category"
    assert any("column 'temp' is used as categories" in w and "--na-values '?'" in w
               for w in task.warnings), task.warnings
    task, results, models = cli.run([str(data), "--target", "outcome", *FAST, "--library",
                                     "lightgbm", "--na-values", "?",
                                     "--save-model", str(tmp_path / "m.pkl")])
    expected = pd.to_numeric(pd.Series(cells), errors="coerce").to_numpy(dtype=float)
    np.testing.assert_array_equal(task.X["temp"].to_numpy(), expected)
    assert not task.warnings and min(r.summary()["roc_auc_mean"] for r in results) > 0.8
    capsys.readouterr()
    # the saved model reads the file it scores with them: no cell "scored as missing"
    assert cli.main(["predict", str(tmp_path / "m.pkl"), str(data)]) == 0
    assert "scored as missing" not in capsys.readouterr().err


@pytest.mark.parametrize(("cells", "fix"), [(["12.5%", "3.25%", "7%"], "with a unit"),
                                            (["12,5", "3,25", "7,75"], "--decimal ','"),
                                            (["1.5", "2", "n/a"], "--na-values 'n/a'")])
def test_numbers_written_otherwise_are_named(cells, fix):
    from focal_boost.cli._prepare import number_hint

    assert fix in number_hint(pd.Series(cells * 10), ".")[0]
    # categories beside numbers are no missing values (sizes S, M, L and 36 to 46)
    assert number_hint(pd.Series(["S", "M", "L", "38", "40", "42"] * 10), ".") is None
    assert number_hint(pd.Series(["basic", "pro", "1"] * 10), ".") is None


def test_number_hints_reach_columns_left_out_and_name_other_columns(tmp_path):
    # measurements written with a decimal comma are mostly distinct: the column was left
    # out as ID-like with no warning; a suggested --na-values token that other columns
    # hold would make those cells missing too, unsaid
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x0": rng.normal(size=300).round(2),
                          "label": rng.choice(["yes", "no"], 300)})
    frame["z"] = [f"{v:.3f}".replace(".", ",") for v in rng.normal(size=len(frame))]
    frame["temp"] = [("?" if i % 4 == 0 else str(v)) for i, v in enumerate(frame["x0"])]
    frame["plan"] = np.where(np.arange(len(frame)) % 3 == 0, "?", "basic")
    frame.to_csv(tmp_path / "data.csv", index=False)
    task, _, _ = cli.run([str(tmp_path / "data.csv"), "--target", "label", *FAST,
                          "--library", "lightgbm"])
    z = [w for w in task.warnings if "column 'z'" in w]
    assert len(z) == 1 and "left out (ID-like" in z[0] and "--decimal ','" in z[0], z
    temp = [w for w in task.warnings if "column 'temp'" in w]
    assert len(temp) == 1 and "--na-values '?'" in temp[0], temp
    assert "such cells of 'plan' missing too" in temp[0], temp


def test_many_columns_with_a_hint_name_five_others_each(tmp_path):
    # each of 400 such warnings named the 399 other columns (1.3 MB on stderr, and the
    # cells of every column read again for every warning: 64 s)
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({f"v{j}": np.where(rng.random(200) < 0.2, "?",
                                            rng.integers(0, 9, 200).astype(str))
                          for j in range(7)})
    frame["y"] = rng.choice(["a", "b"], 200)
    frame.to_csv(tmp_path / "d.csv", index=False)
    task, _, _ = cli.run([str(tmp_path / "d.csv"), "--target", "y", *FAST,
                          "--library", "lightgbm"])
    hints = [w for w in task.warnings if "--na-values '?'" in w]
    assert len(hints) == 7, task.warnings
    assert hints[0].endswith("(which makes such cells of 'v1', 'v2', 'v3', 'v4', 'v5' and 1 "
                             "other column missing too)"), hints[0]


def test_a_line_longer_than_the_csv_modules_field_limit_is_read(tmp_path):
    # the separator is judged on whole records: under another separator a line of 144 KB
    # is one field, which the csv module refused ("field larger than field limit")
    from focal_boost.cli._data import read_table

    rng = np.random.default_rng(0)
    lines = ["x,note,y"] + [f"{rng.random():.4f},{'lorem ipsum ' * 12000}{i},{'ab'[i % 2]}"
                            for i in range(8)]
    (tmp_path / "long.csv").write_text("\n".join(lines) + "\n")
    limit = csv.field_size_limit()
    table, how = read_table(tmp_path / "long.csv")
    assert table.shape == (8, 3) and how == "separator comma", how
    assert csv.field_size_limit() == limit  # (left as it was)


def test_the_sample_of_a_file_of_long_lines_holds_five_of_them(tmp_path):
    # doubling reads up to 16 MiB until five line breaks: records of 300 KB each
    from focal_boost.cli._data import _sample

    (tmp_path / "long.csv").write_bytes(b"".join(b"x;" * 150_000 + b"\n" for _ in range(8)))
    assert _sample(tmp_path / "long.csv").count(b"\n") >= 5
    (tmp_path / "short.csv").write_bytes(b"a;b\n" * 100_000)
    assert len(_sample(tmp_path / "short.csv")) == 1 << 16  # (no more than before)


def test_encode_without_a_warning_list_gives_no_hints():
    # the command line passes its list; encode, public, takes none (warn=None)
    from pathlib import Path

    encoder, X = cli.encode(pd.DataFrame({"v": ["1", "2", "?", "3"] * 10,
                                          "w": ["a", "b", "?", "c"] * 10}), Path("x.csv"))
    assert X.shape == (40, 2)


def test_the_parquet_fallback_takes_pandas_2s_valueerror(tmp_path, monkeypatch):
    # pandas 2 refuses a pandas-metadata Arrow dictionary with ValueError (pandas 3:
    # TypeError); only the latter took the fallback (pyarrow's Table.to_pandas, which the
    # estimators' fallback catches alike, cannot be replaced here)
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    from focal_boost.cli._data import read_table

    frame = pd.DataFrame({"x": np.arange(40.0), "colour": pd.Series(
        ["red", "blue"] * 20).astype(pd.ArrowDtype(pa.dictionary(pa.int32(), pa.string())))})
    pq.write_table(pa.Table.from_pandas(frame), tmp_path / "d.parquet")

    def refuse(*args, **kwargs):
        raise ValueError('format number 1 of "dictionary<values=string>[pyarrow]" is not '
                         'recognized')

    monkeypatch.setattr(pd, "read_parquet", refuse)
    read, _ = read_table(tmp_path / "d.parquet")
    assert list(read.columns) == ["x", "colour"] and len(read) == 40


def test_the_decimal_comma_of_a_file_whose_first_record_is_long_is_seen(tmp_path):
    # the separator and the decimal mark were judged on the first 64 KiB, which 3000
    # columns fill with the header and the first record: no record left, every number
    # read as text ('0,345584')
    from focal_boost.cli._data import read_table

    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.random((4, 3500)), columns=[f"feature_{j}" for j in range(3500)])
    frame.to_csv(tmp_path / "wide.csv", sep=";", decimal=",", index=False, float_format="%.6f")
    text = (tmp_path / "wide.csv").read_bytes()
    assert text.index(b"\n", text.index(b"\n") + 1) > 1 << 16  # (the first record's end)
    table, how = read_table(tmp_path / "wide.csv")
    assert "decimal comma" in how and (table.dtypes == np.float64).all(), how


def test_predict_reads_quoted_decimal_commas_with_the_models_mark(tmp_path, capsys):
    # trained with --decimal , on a comma-separated file ("1,535" quoted), scored without
    # it: the file's detected "." made "1,535" the number 1535 and "0,432" missing
    rng = np.random.default_rng(0)
    v = np.round(rng.uniform(0, 3, 300), 3)
    label = np.where(v + rng.normal(0, 0.5, 300) > 1.5, "yes", "no")
    data = tmp_path / "q.csv"
    pd.DataFrame({"v": v, "label": label}).to_csv(data, index=False, decimal=",")
    cli.run([str(data), "--target", "label", "--decimal", ",", *FAST, "--library",
             "lightgbm", "--save-model", str(tmp_path / "m.pkl")])
    scored = []
    for extra in ([], ["--decimal", ","]):
        out = tmp_path / f"s{len(extra)}.csv"
        assert cli.main(["predict", str(tmp_path / "m.pkl"), str(data), "--output", str(out),
                         *extra]) == 0
        scored.append(pd.read_csv(out))
    assert "scored as missing" not in capsys.readouterr().err
    pd.testing.assert_frame_equal(scored[0], scored[1])


def test_a_frame_encoder_saved_before_na_values_still_clones():
    # repr, get_params and clone failed on models pickled before the attribute existed
    from sklearn.base import clone

    from focal_boost.cli._prepare import FrameEncoder

    encoder = FrameEncoder().fit(pd.DataFrame({"x": [1.0, 2.0]}))
    del encoder.na_values, encoder.decimal, encoder.categorical
    loaded = pickle.loads(pickle.dumps(encoder))
    assert clone(loaded).get_params()["na_values"] == () and "FrameEncoder" in repr(loaded)


def test_a_models_decimal_comma_does_not_read_thousands(tmp_path):
    # a file of "." decimals and quoted "," thousands: one cell of one comma made every
    # such cell a decimal comma ("2,900" scored as 2.9) for a model of decimal commas
    from focal_boost.cli._data import decimal_comma_cells

    assert not decimal_comma_cells(pd.DataFrame({"v": ["1,234", "2,900", "987.5", "200"]}))
    assert decimal_comma_cells(pd.DataFrame({"v": ["1,535", "0,432", "2"]}))


def test_date_cells_without_a_year_are_missing():
    # read by their own look they were year 1 (719,000 days before 1970), unwarned
    from focal_boost.cli._prepare import FrameEncoder

    train = pd.DataFrame({"d": ["13/01/2021", "02/03/2021", "25/12/2020", "01/01/2021"] * 10})
    encoder = FrameEncoder(keep=("d",)).fit(train)
    score = pd.DataFrame({"d": ["02/03/2021", "12/05", "May", "2021-03-02", "02.03.2021"]})
    out = encoder.transform(score)
    np.testing.assert_array_equal(out["d"], [18688.0, np.nan, np.nan, 18688.0, 18688.0])
    assert encoder.lost_values(score, out) == {"d": (2, ["12/05", "May"])}


def test_dates_written_otherwise_in_a_file_to_score_are_read_one_way(tmp_path, capsys):
    # trained on ISO timestamps, scored on "05/01/2023 13:45" and "21/01/2023 04:45":
    # read cell by cell, the first was May 1st (116 days off) beside January 21st,
    # silently; now one format reads both, and a warning names it
    from focal_boost.cli._prepare import FrameEncoder

    stamps = pd.date_range("2023-01-05 13:45", periods=300, freq="15h")
    train = pd.DataFrame({"t": stamps.strftime("%Y-%m-%d %H:%M:%S"), "x": np.arange(300.0)})
    encoder = FrameEncoder(keep=("t",)).fit(train)
    rows = [0, 25]
    expected = encoder.transform(train.iloc[rows])["t"].to_numpy()
    other = train.iloc[rows].assign(t=stamps[rows].strftime("%d/%m/%Y %H:%M"))
    assert other["t"].tolist() == ["05/01/2023 13:45", "21/01/2023 04:45"]
    np.testing.assert_array_equal(encoder.transform(other)["t"], expected)
    assert encoder.other_dates(other) == {
        "t": (2, ["05/01/2023 13:45", "21/01/2023 04:45"], "%Y-%m-%d %H:%M:%S",
              "%d/%m/%Y %H:%M")}
    assert encoder.other_dates(train) == {}  # (ISO 8601 and the file's own: no word)
    data, model = tmp_path / "d.csv", tmp_path / "m.pkl"
    train.assign(y=np.arange(300) % 2).to_csv(data, index=False)
    cli.run([str(data), "--target", "y", "--keep", "t", *FAST, "--library", "lightgbm",
             "--save-model", str(model)])
    other.to_csv(tmp_path / "new.csv", index=False)
    capsys.readouterr()
    assert cli.main(["predict", str(model), str(tmp_path / "new.csv"), "-q"]) == 0
    assert ("column 't' has 2 date(s) not written in the format training read it in "
            "(%Y-%m-%d %H:%M:%S, e.g. '05/01/2023 13:45', '21/01/2023 04:45'); they are "
            "read as %d/%m/%Y %H:%M") in capsys.readouterr().err


def test_blank_cells_of_a_number_column_are_missing(tmp_path):
    # Telco's TotalCharges holds " " for new customers: past 10% of the rows the column
    # became ~1300 categories, with advice to give --decimal ',' (then '.', back and forth)
    rng = np.random.default_rng(1)
    charges = np.array([f"{v:.2f}" for v in rng.uniform(20, 8000, 400)], dtype=object)
    charges[rng.random(400) < 0.2] = " "
    churn = np.where(rng.random(400) < 0.3, "Yes", "No")
    data = tmp_path / "telco.csv"
    pd.DataFrame({"TotalCharges": charges, "Churn": churn}).to_csv(data, index=False)
    task, _, _ = cli.run([str(data), "--target", "Churn", *FAST, "--library", "lightgbm"])
    expected = pd.to_numeric(pd.Series(charges), errors="coerce").to_numpy()
    np.testing.assert_array_equal(task.X["TotalCharges"].to_numpy(), expected)
    assert not task.warnings, task.warnings
    from focal_boost.cli._prepare import number_hint

    # the other decimal mark is advised only where cells hold it
    assert number_hint(pd.Series(["1189.80", "7.5", "abc", "def"] * 10), ".") is None


def test_spaces_around_category_cells_are_not_part_of_them(tmp_path, capsys):
    # UCI's adult file writes ", " between cells: " Private" was the category, and a
    # file to score written "Private" lost every such cell (scored as missing)
    rng = np.random.default_rng(0)
    work = rng.choice(["Private", "Self-emp", "State-gov"], 600)
    income = np.where((work == "Self-emp") | (rng.random(600) < 0.2), ">50K", "<=50K")
    data, model = tmp_path / "adult.csv", tmp_path / "m.pkl"
    data.write_text("workclass,hours,income\n" + "".join(
        f" {w}, {h}, {i}\n" for w, h, i in zip(work, rng.integers(1, 99, 600), income,
                                               strict=True)))
    task, _, _ = cli.run([str(data), "--target", "income", *FAST, "--library", "lightgbm",
                          "--save-model", str(model)])
    assert sorted(task.X["workclass"].cat.categories) == ["Private", "Self-emp", "State-gov"]
    clean = pd.DataFrame({"workclass": work[:5], "hours": [40] * 5})
    clean.to_csv(tmp_path / "clean.csv", index=False)
    spaced = clean.assign(workclass=" " + clean["workclass"])
    spaced.to_csv(tmp_path / "spaced.csv", index=False)
    scores = []
    capsys.readouterr()
    for name in ("clean.csv", "spaced.csv"):
        assert cli.main(["predict", str(model), str(tmp_path / name), "-q"]) == 0
        out, err = capsys.readouterr()
        assert "scored as missing" not in err
        scores.append(pd.read_csv(io.StringIO(out)))
    pd.testing.assert_frame_equal(scores[0], scores[1])


def test_a_model_saved_with_spaced_categories_scores_cells_without_them():
    # models saved before kept " Private" as the category: the cells of a file to score
    # are matched by their text without the spaces, after the text as written (such a
    # model may hold " Private" beside "Private", or a blank category " ")
    from focal_boost.cli._prepare import FrameEncoder

    encoder = FrameEncoder().fit(pd.DataFrame({"w": ["a", "b"] * 10}))
    encoder.columns_["w"] = ("w", "category", [" a", " b"])
    out = encoder.transform(pd.DataFrame({"w": ["a", " b ", "c"]}))["w"]
    assert out.tolist()[:2] == [" a", " b"] and pd.isna(out.iloc[2])
    encoder.columns_["w"] = ("w", "category", [" ", " Private", "Private"])
    out = encoder.transform(pd.DataFrame({"w": ["Private", " Private", " ", "  Private "]}))
    assert out["w"].tolist() == ["Private", " Private", " ", " Private"]


def test_keep_on_a_feature_says_it_changes_nothing(tmp_path):
    rng = np.random.default_rng(0)
    data = tmp_path / "zip.csv"
    pd.DataFrame({"zip": rng.choice([2139, 10001, 94105], 200), "x": rng.normal(size=200),
                  "y": rng.choice(["a", "b"], 200)}).to_csv(data, index=False)
    task, _, _ = cli.run([str(data), "--target", "y", "--keep", "zip", *FAST,
                          "--library", "lightgbm"])
    assert any("--keep 'zip' changes nothing: the column is a feature already, used as "
               "numbers" in w and "--category 'zip' makes it" in w for w in task.warnings), \
        task.warnings
    pd.read_csv(data).assign(zip=lambda f: "z" + f["zip"].astype(str)).to_csv(
        data, index=False)
    task, _, _ = cli.run([str(data), "--target", "y", "--keep", "zip", "--category", "x",
                          "--drop", "x", "--keep", "x", *FAST, "--library", "lightgbm"])
    assert any(w.endswith("--keep 'zip' changes nothing: the column is a feature already, "
                          "used as categories (--keep brings back a column left out as an "
                          "ID, dates or free text)") for w in task.warnings), task.warnings
    # (--keep with --drop of one column was silent: the drop wins, as for --category)
    for option in ("--category", "--keep"):
        assert any(w.endswith(f"{option} 'x' changes nothing: --drop 'x' leaves the column "
                              "out") for w in task.warnings), task.warnings


def test_keep_or_category_on_a_column_of_no_values_says_it_changes_nothing(tmp_path,
                                                                           capsys):
    # the column stayed out without a word, while the line of columns left out offered
    # "--keep COLUMN uses one"
    rng = np.random.default_rng(0)
    data = tmp_path / "blank.csv"
    pd.DataFrame({"x": rng.normal(size=200), "blank": [np.nan] * 200,
                  "y": rng.choice(["a", "b"], 200)}).to_csv(data, index=False)
    task, _, _ = cli.run([str(data), "--target", "y", "--keep", "blank", "--category",
                          "blank", *FAST, "--library", "lightgbm"])
    for option in ("--keep", "--category"):
        assert any(w.endswith(f"{option} 'blank' changes nothing: the column has no value "
                              "in any row, so no split can use it") for w in task.warnings), \
            task.warnings
    assert "not features: 'blank' (no values)\n" in capsys.readouterr().out
    from focal_boost.cli._report import left_out

    assert left_out({"blank": "no values", "id": "ID-like"}).endswith(
        "; --keep COLUMN uses one")


def test_thousands_beside_empty_cells_read_without_a_warning():
    # pandas 2 warned of a downcast in fillna (the match of an empty cell is NA), on
    # stderr of every run on such a column
    from focal_boost.cli._prepare import _numbers

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = _numbers(pd.Series(["1,234", None, "5", "12,345.5"], dtype=object), ".")
    np.testing.assert_array_equal(values, [1234, np.nan, 5, 12345.5])


def test_decimal_commas_beside_thousands_points_are_detected():
    from focal_boost.cli._data import _decimal_mark

    assert _decimal_mark(["1.685,19", "2.001,50", "12", "7"]) == ","
    assert _decimal_mark(["1,685.19", "2,001.50", "12"]) != ","
    assert _decimal_mark(["1,234", "0.5"]) != ","  # (thousands or a decimal: "." wins)


def test_the_decimal_mark_weighs_distinct_cells_by_their_counts():
    # a large file's cells are matched once each, with their counts: the same mark
    # as every cell matched in turn
    import pandas as pd

    from focal_boost.cli._data import _decimal_mark, decimal_comma_cells

    assert _decimal_mark({"1,5": 3, "2.5": 2}) == ","
    assert _decimal_mark({"1,5": 2, "2.5": 3}) == "."
    assert _decimal_mark({"1,234": 5, "0.5": 1}) == "."  # (the numbers that can't be thousands)
    cells = ["1,5"] * 3 + [" 2.5 "] * 2 + ["7,25"]
    assert _decimal_mark([c.strip() for c in cells]) == ","
    assert decimal_comma_cells(pd.DataFrame({"a": cells[:4], "b": cells[2:]}))
    assert not decimal_comma_cells(pd.DataFrame({"a": ["1,5"] * 2 + ["2.5"] * 3}))


def test_category_reads_a_code_column_as_categories(tmp_path, capsys):
    # ZIP codes written as numbers were numbers (00501 as 501, an unseen 99999 scored
    # as a number past 94105) with no way to make them categories; --keep did nothing
    rng = np.random.default_rng(0)
    codes = rng.choice(["02139", "10001", "94105", "00501"], 400)
    x = rng.normal(size=400)
    label = np.where(x + 2 * (codes == "02139") > 1, "high", "low")
    data, model = tmp_path / "zip.csv", tmp_path / "m.pkl"
    pd.DataFrame({"zip": codes, "x": x, "segment": label}).to_csv(data, index=False)
    task, _, _ = cli.run([str(data), "--target", "segment", "--category", "zip", *FAST,
                          "--library", "lightgbm", "--save-model", str(model)])
    assert list(task.X["zip"].cat.categories) == ["00501", "02139", "10001", "94105"]
    assert not task.warnings, task.warnings
    pd.DataFrame({"zip": ["02139", "99999"], "x": [0.0, 0.0]}).to_csv(
        tmp_path / "new.csv", index=False)
    capsys.readouterr()
    assert cli.main(["predict", str(model), str(tmp_path / "new.csv"), "-q"]) == 0
    out, err = capsys.readouterr()
    assert "column 'zip' has 1 value(s) that are categories not seen in training (e.g. " \
           "'99999')" in err
    with open(model, "rb") as handle:
        expected = pickle.load(handle).predict_proba(
            pd.DataFrame({"zip": ["02139", None], "x": [0.0, 0.0]}))
    scores = pd.read_csv(io.StringIO(out))[["proba_high", "proba_low"]].to_numpy()
    np.testing.assert_allclose(scores, expected, atol=1e-12)
    for args, message in ((["--category", "zipp"], "no column 'zipp'; did you mean 'zip'"),
                          (["--category", "segment"], "--category segment: is the --target")):
        assert cli.main([str(data), "--target", "segment", *args, *FAST]) == 2
        assert message in capsys.readouterr().err


def test_rows_repeating_the_header_are_left_out(tmp_path):
    # exports joined together, each with its header line: the target's name was a third
    # class ('target': 5 rows) and the table's macro ROC-AUC rode on it, silently
    rng = np.random.default_rng(2)
    x = rng.normal(size=600)
    frame = pd.DataFrame({"a": x.round(3), "flag": x > 0.5, "code": rng.choice(
        ["007", "012"], 600), "target": (x + rng.normal(size=600) > 1).astype(int)})
    data = tmp_path / "joined.csv"
    with open(data, "w") as handle:
        for part in range(3):
            handle.write(frame.iloc[part * 200:(part + 1) * 200].to_csv(index=False))
    frame.to_csv(tmp_path / "one.csv", index=False)
    joined, _, _ = cli.run([str(data), "--target", "target", *FAST, "--library", "lightgbm",
                            "--category", "code"])
    one, _, _ = cli.run([str(tmp_path / "one.csv"), "--target", "target", *FAST,
                         "--library", "lightgbm", "--category", "code"])
    assert joined.classes.tolist() == [0, 1]
    assert any("2 row(s) repeat the header (files joined together?): data rows 201, 402; "
               "left out" in w for w in joined.warnings), joined.warnings
    # typed as pandas types the file without them: numbers, booleans, codes as text
    pd.testing.assert_frame_equal(joined.X.reset_index(drop=True), one.X)


@pytest.mark.parametrize("kind", ["csv", "parquet", "parquet with its index"])
def test_rows_after_a_repeated_header_are_named_by_their_numbers_in_the_file(tmp_path, kind):
    # the header warning numbers rows as the file does; the label warning and the refusal
    # of a tiny class counted them without the repeated header (data row 50 for 51)
    if kind != "csv":
        pytest.importorskip("pyarrow")
    rng = np.random.default_rng(0)
    lines = ["a,b,y"] + [f"{rng.normal():.3f},{rng.normal():.3f},{'yes' if i % 5 else 'no'}"
                         for i in range(100)]
    lines.insert(11, "a,b,y")  # data row 11
    lines[51] = lines[51].rsplit(",", 1)[0] + ","  # data row 51: no label
    data = tmp_path / f"joined.{kind[:7]}"

    def write(lines):
        text = "\n".join(lines) + "\n"
        if kind == "csv":
            data.write_text(text)
            return
        import io  # (a parquet file of text columns, as a CSV read as text makes it)
        frame = pd.read_csv(io.StringIO(text), dtype=str)
        if kind == "parquet with its index":
            frame.index = 1000 + 3 * np.arange(len(frame))
        frame.to_parquet(data)

    write(lines)
    task, _, _ = cli.run([str(data), "--target", "y", *FAST, "--library", "lightgbm"])
    assert [w.split(": ", 1)[1] for w in task.warnings] == [
        "1 row(s) repeat the header (files joined together?): data rows 11; left out",
        "1 row(s) have no label in 'y' and are left out (data rows 51)"]
    lines[80] = lines[80].rsplit(",", 1)[0] + ",zz"  # data row 80: a class of one row
    write(lines)
    with pytest.raises(cli.UsageError, match=r"class 'zz' of column 'y' has 1 row \(data row "
                       r"80\)"):
        cli.run([str(data), "--target", "y", *FAST, "--library", "lightgbm"])
    # labels of numbers: an infinite one named by its number in the file too
    numbers = [line.replace(",yes", ",1").replace(",no", ",0") for line in lines]
    numbers[80] = numbers[80].rsplit(",", 1)[0] + ",inf"
    write(numbers)
    with pytest.raises(cli.UsageError, match=r"holds infinite values \(data rows 80\)"):
        cli.run([str(data), "--target", "y", *FAST, "--library", "lightgbm"])


@pytest.mark.parametrize("written", [
    "{name},a,y\n",  # pandas' own index column: blank in the header, "Unnamed: 0"
    "1,2,y\n",  # names that are numbers, read as 1.0 in a number column
    "x,x,y\n",  # a name given twice, which pandas renames x.1
])
def test_header_rows_are_found_as_pandas_names_the_columns(written):
    import io

    from focal_boost.cli._data import header_rows

    header = written.format(name="")
    text = header + "0,1.5,0\n1,2.5,1\n" + header + "2,3.5,0\n"
    np.testing.assert_array_equal(header_rows(pd.read_csv(io.StringIO(text))),
                                  [False, False, True, False])


def test_a_repeated_header_in_a_file_to_score_is_a_row_of_missing_values(tmp_path, capsys):
    frame = _customers()
    data, model = tmp_path / "c.csv", tmp_path / "m.pkl"
    frame.to_csv(data, index=False)
    cli.run([str(data), "--target", "churn", *FAST, "--library", "lightgbm",
             "--save-model", str(model)])
    joined = tmp_path / "joined.csv"
    joined.write_text(frame.iloc[:3].to_csv(index=False) + frame.iloc[3:5].to_csv(index=False))
    capsys.readouterr()
    scores = cli.predict([str(model), str(joined), "-q"])
    err = capsys.readouterr().err
    assert len(scores) == 6 and err.splitlines() == [
        f"focal-boost: warning: {joined}: 1 row(s) repeat the header (files joined "
        "together?): data rows 4; scored as rows of missing values"], err


def test_excel_errors_and_money_cells_get_the_fix():
    from focal_boost.cli._prepare import number_hint

    cells = pd.Series(["1.5", "#DIV/0!", "2.25", "#VALUE!", "3"] * 20)
    assert "--na-values '#DIV/0!' --na-values '#VALUE!'" in number_hint(cells, ".")[0]
    for written in (["($1,234.56)", "$12.50", "($3.00)"], ["USD 12", "USD 3", "EUR 7"],
                    ["45 years", "3 years", "12 years"]):
        hint = number_hint(pd.Series(written * 10), ".")[0]
        assert "numbers with a unit or in parentheses" in hint, hint
    assert number_hint(pd.Series(["Grade A", "Grade B", "S", "M"] * 10), ".") is None
    # codes and sizes are no amounts: no advice to write "12A" as a plain number
    for codes in (["12A", "12B", "7A"], ["1st", "2nd", "3rd"],
                  ["SKU-02686", "SKU-00017", "INV-1000"]):  # (no currency: SKU-)
        assert number_hint(pd.Series(codes * 10), ".") is None, codes
    # letters most cells end in are a unit, in any case, glued or not
    for written in (["8GB", "16GB", "4GB"], ["52k", "3k"], ["15 MPH", "20 MPH"]):
        assert "with a unit" in number_hint(pd.Series(written * 10), ".")[0], written


def test_a_cleaned_feature_name_never_takes_another_columns_name():
    # "a[1]" (a name XGBoost refuses) became "a_1_", and the file's own column "a_1_"
    # then "a_1__1": importances and native model files named the wrong column
    from focal_boost.cli._prepare import FrameEncoder

    encoder = FrameEncoder().fit(pd.DataFrame({"a[1]": [1.0, 2.0], "a_1_": [3.0, 4.0]}))
    assert encoder.columns_["a_1_"][0] == "a_1_"
    assert encoder.columns_["a[1]"][0] == "a_1__1"


def test_columns_left_out_for_one_reason_are_one_entry():
    # a wide file's 100 empty columns made a line of 2,400 characters
    from focal_boost.cli._report import left_out

    dropped = {f"e{i}": "no values" for i in range(100)}
    dropped["id"] = "ID-like: consecutive integers, one distinct value per row"
    assert left_out(dropped) == (
        "not features: 'e0', 'e1', 'e2', 'e3', 'e4' and 95 more (no values); 'id' (ID-like: "
        "consecutive integers, one distinct value per row); --keep COLUMN uses one")


def _score_rows(model, path, rows, tmp_path):
    """focal-boost predict's scores of the whole file at ``rows`` and of a file of
    those rows alone, written as the file is."""
    lines = path.read_text().splitlines(keepends=True)
    subset = tmp_path / f"rows{path.suffix}"
    subset.write_text(lines[0] + "".join(lines[1 + r] for r in rows))
    whole = cli.predict([str(model), str(path), "-q"])
    alone = cli.predict([str(model), str(subset), "-q"])
    return whole.iloc[rows].reset_index(drop=True), alone


def test_a_few_rows_to_score_are_read_with_the_models_decimal_mark(tmp_path):
    # "1.584;;yes" alone does not tell a decimal comma from thousands: it was read as
    # 1.584 where the whole file (its "0,54" cells tell) read 1584, 0.54 off, silently
    rng = np.random.default_rng(0)
    s = rng.normal(size=300)
    amount = np.round(np.exp(7.5 + s)).astype(int)
    rate = np.where(rng.random(300) < 0.3, np.nan, rng.normal(size=300))
    label = np.where(s + rng.normal(scale=0.5, size=300) > 0, "yes", "no")
    for name, thousands, mark in (("de.csv", ".", ","), ("us.csv", ",", ".")):
        data, model = tmp_path / name, tmp_path / f"{name}.pkl"
        data.write_text("amount;rate;target\n" + "".join(
            f"{a:,}".replace(",", thousands) + ";"
            + ("" if np.isnan(r) else f"{r:.2f}".replace(".", mark)) + f";{t}\n"
            for a, r, t in zip(amount, rate, label, strict=True)))
        cli.run([str(data), "--target", "target", *FAST, "--library", "lightgbm",
                 "--save-model", str(model)])
        rows = [i for i in range(300) if amount[i] >= 1000 and np.isnan(rate[i])][:3]
        whole, alone = _score_rows(model, data, rows, tmp_path)
        pd.testing.assert_frame_equal(whole, alone)


def test_a_few_dates_to_score_are_read_in_the_format_training_read_them(tmp_path):
    # a kept date column mostly ISO, some cells dd/mm/yyyy: "01/03/2022" alone was read
    # month first (January 3rd) where the whole file's other cells (13/05/2022) told
    # the day first, March 1st
    rng = np.random.default_rng(0)
    s = rng.normal(size=300)
    days = np.datetime64("2022-06-01") + (s * 120).astype(int)
    other = (rng.random(300) < 0.1) | (np.arange(300) == 0)
    label = np.where(s + rng.normal(scale=0.5, size=300) > 0, "yes", "no")
    data, model = tmp_path / "d.csv", tmp_path / "d.pkl"
    cells = [pd.Timestamp(d).strftime("%d/%m/%Y" if o else "%Y-%m-%d")
             for d, o in zip(days, other, strict=True)]
    pd.DataFrame({"when": cells, "target": label}).to_csv(data, index=False)
    cli.run([str(data), "--target", "target", "--keep", "when", *FAST, "--library",
             "lightgbm", "--save-model", str(model)])
    rows = [i for i in np.flatnonzero(other) if int(cells[i][:2]) <= 12][:3]
    assert rows
    whole, alone = _score_rows(model, data, rows, tmp_path)
    pd.testing.assert_frame_equal(whole, alone)


def test_rows_read_by_pandas_alone_find_their_text_categories():
    # a category column read as text in training ("2", "3.25", "A"): a few rows read
    # with pd.read_csv are numbers (2.0, 3.25), and "2.0" was no category (scored as
    # missing: 0.83 off the same row read with the whole file)
    from focal_boost.cli._prepare import FrameEncoder

    train = pd.DataFrame({"cat": ["1.50", "2", "A", "3.25", "007"] * 10})
    encoder = FrameEncoder().fit(train)
    assert encoder.text_columns_ == ["cat"]
    rows = pd.DataFrame({"cat": [2.0, 3.25, 1.5, 7.0, 8.0]})
    out = encoder.transform(rows)["cat"]
    assert out.tolist()[:4] == ["2", "3.25", "1.50", "007"] and pd.isna(out.iloc[4])


def test_a_class_of_a_few_rows_names_them(tmp_path, capsys):
    # a summary row ("Total", its target the sum 191) is a class of one row: the error
    # said which class, not where it is
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=200).round(3),
                          "target": (rng.random(200) < 0.5).astype(int)})
    frame.loc[200] = [999.0, 191]
    frame.to_csv(tmp_path / "total.csv", index=False)
    assert cli.main([str(tmp_path / "total.csv"), "--target", "target", *FAST]) == 2
    assert ("class 191 of column 'target' has 1 row (data row 201); --folds 3 needs at "
            "least 3 of every class: drop the rows of that class") in capsys.readouterr().err


def test_unix_times_used_as_numbers_are_named(tmp_path):
    # ISO dates are left out (a tree model cannot extrapolate them), the same times as
    # epoch seconds or milliseconds were used as numbers without a word
    from focal_boost.cli._prepare import epoch_range

    rng = np.random.default_rng(0)
    seconds = 1672531200 + rng.integers(0, 86400 * 400, 300)
    data = tmp_path / "sensor.csv"
    pd.DataFrame({"epoch_ms": seconds * 1000, "reading": rng.normal(size=300),
                  "candidate": seconds, "target": rng.choice(["ok", "fault"], 300)}).to_csv(
        data, index=False)
    task, _, _ = cli.run([str(data), "--target", "target", *FAST, "--library", "lightgbm"])
    named = [w for w in task.warnings if "looks like Unix times" in w]
    assert len(named) == 1 and "column 'epoch_ms' looks like Unix times (2023-" in named[0]
    assert "--drop 'epoch_ms'" in named[0]
    assert epoch_range("ts", pd.Series([5, 6])) is None  # (small numbers: no times)


def _reference_and(tmp_path, frame, target, written, *options, train=()):
    """Scores of the training file ``frame`` (written as CSV) and of ``written`` (the
    same rows as a spreadsheet saved them: the text of a file), by one saved model."""
    data, model, other = tmp_path / "train.csv", tmp_path / "m.pkl", tmp_path / "resaved.csv"
    frame.to_csv(data, index=False) if not isinstance(frame, str) else data.write_text(frame)
    cli.run([str(data), "--target", target, *FAST, "--library", "lightgbm",
             "--save-model", str(model), *train])
    other.write_text(written, encoding="utf-8")
    return (cli.predict([str(model), str(data), "-q"]),
            cli.predict([str(model), str(other), "-q", *options]))


def test_a_us_file_scored_by_a_model_of_decimal_commas_keeps_its_thousands(tmp_path):
    # trained on a German export (24.000;0,5621), scored on the same rows from US
    # Excel ("24,000",0.5621): the model's decimal comma read "24,000" as 24.0 (0.47
    # off, silently); the 0.5621 pandas read as a number now counts for the point
    rng = np.random.default_rng(1)
    limit, util = rng.integers(1, 50, 300) * 1000, rng.uniform(0, 1, 300).round(4)
    bad = (rng.random(300) < 1 / (1 + np.exp(-(2 * util - limit / 25000)))).astype(int)
    german = "limit;util;bad\n" + "".join(
        f"{a:,}".replace(",", ".") + f";{str(u).replace('.', ',')};{b}\n"
        for a, u, b in zip(limit, util, bad, strict=True))
    us = pd.DataFrame({"limit": [f"{a:,}" for a in limit], "util": util, "bad": bad})
    reference, resaved = _reference_and(tmp_path, german, "bad", us.to_csv(index=False))
    pd.testing.assert_frame_equal(reference, resaved)


def test_spreadsheet_resaves_score_as_the_training_file(tmp_path):
    # US Excel's m/d/yyyy of a d/m/yyyy file (4/1/2020 read day first beside 4/17/2022:
    # 0.62 off, unwarned), codes without their leading zeros (007 -> 7: scored as
    # missing), French Excel's "51 964,18" (no-break space) and VRAI/FAUX
    rng = np.random.default_rng(2)
    days = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 1000, 300), "D")
    code = rng.choice(["007", "012", "042", "100"], 300)
    salary = rng.normal(65000, 20000, 300).round(2)
    remote = rng.random(300) < 0.5
    y = (rng.random(300) < 1 / (1 + np.exp(-((days - days.min()).days / 300 - 1.5
                                            + (code == "007") - remote)))).astype(int)
    frame = pd.DataFrame({"visit": days.strftime("%d/%m/%Y"), "status": code,
                          "salary": salary, "remote": remote, "y": y})
    resaved = frame.assign(visit=[f"{t.month}/{t.day}/{t.year}" for t in days],
                           status=[c.lstrip("0") for c in code])
    reference, scores = _reference_and(
        tmp_path, frame, "y", resaved.to_csv(index=False),
        train=["--keep", "visit", "--category", "status"])
    pd.testing.assert_frame_equal(reference, scores)
    french = "visit;status;salary;remote;y\n" + "".join(
        f"{v};{c};" + f"{s:,.2f}".replace(",", "\u00a0").replace(".", ",")
        + f";{'VRAI' if r else 'FAUX'};{t}\n"
        for v, c, s, r, t in zip(frame.visit, code, salary, remote, y, strict=True))
    (tmp_path / "fr.csv").write_text(french, encoding="utf-8")
    scores = cli.predict([str(tmp_path / "m.pkl"), str(tmp_path / "fr.csv"), "-q",
                          "--decimal", ","])
    pd.testing.assert_frame_equal(reference, scores)


def test_rows_without_values_and_empty_header_names_in_a_file_to_score(tmp_path, capsys):
    # Excel's ",," rows were scored as rows without a word; its empty columns (",,,")
    # were "the header names nan more than once"
    frame = _customers(100)
    text = frame.to_csv(index=False)
    lines = text.splitlines()
    resaved = "\n".join(line + ",," for line in lines) + "\n" + ",,,,,,,,\n" * 2
    reference, scores = _reference_and(tmp_path, frame, "churn", resaved)
    pd.testing.assert_frame_equal(reference, scores.iloc[:100])
    err = capsys.readouterr().err
    assert "2 row(s) have no value in any column (data rows 101, 102); scored as rows of " \
           "missing values" in err, err
    assert "more than once" not in err, err


def test_database_and_stats_tool_exports(tmp_path, capsys):
    # MySQL's \N made a number column ~800 categories (and a class of the target);
    # a file pandas wrote with its index after sampling rows used the row labels as a
    # feature (they held the label order: ROC-AUC 1.0); OrderID with gaps was a
    # number; SAS's dates were categories; a headerless export named no cause
    from focal_boost.cli._prepare import judge_column, number_hint

    rng = np.random.default_rng(4)
    x = rng.normal(size=600)
    y = np.where(rng.random(600) < 1 / (1 + np.exp(-2 * x)), "Y", "N")
    cells = np.array([f"{v:.4f}" for v in x], dtype=object)
    cells[rng.random(600) < 0.3] = "\\N"
    label = y.astype(object)
    label[::20] = "\\N"
    frame = pd.DataFrame({"x": cells, "label": label}).sample(frac=0.8, random_state=0)
    data = tmp_path / "export.csv"
    frame.to_csv(data)  # (pandas' index: row labels without a name)
    task, _, _ = cli.run([str(data), "--target", "label", *FAST, "--library", "lightgbm"])
    assert task.classes.tolist() == ["N", "Y"]
    assert task.X.columns.tolist() == ["x"] and task.X["x"].dtype == np.float64
    assert "'Unnamed: 0' (ID-like: integers in a column without a name (row labels)" in \
        " ".join(task.notes)
    ids = pd.Series(np.sort(rng.choice(10**6, 300, replace=False)))
    assert [judge_column(name, ids)[0] for name in ("OrderID", "customerId", "userid",
                                                    "SUBJID", "paid", "PAID")] == [
        "id", "id", "id", "id", "number", "number"]
    days = pd.Series(pd.date_range("2020-01-01", periods=300).strftime("%d%b%Y").str.upper())
    assert judge_column("VISITDT", days) == ("date", "dates")
    assert "--na-values '.a'" in number_hint(pd.Series(["1.5", ".a", "2.5", "3"] * 20))[0]
    headerless = tmp_path / "noheader.tsv"
    headerless.write_text("".join(f"{i}\t{v:.3f}\t{t}\n" for i, (v, t) in enumerate(
        zip(x, (y == "Y").astype(int), strict=True))))
    assert cli.main([str(headerless), "--target", "label", *FAST]) == 2
    assert "its first line looks like data, not column names: the file needs a header " \
           "row" in capsys.readouterr().err


def test_training_on_a_file_whose_first_line_is_data_says_so(tmp_path):
    # a --target named by a cell of the first line trained without it (the names 5.1,
    # 3.5, ...) without a word; a header of whole numbers or of years says nothing
    from sklearn.datasets import load_iris

    iris = load_iris(as_frame=True).frame.assign(
        target=lambda f: np.array(["setosa", "versicolor", "virginica"])[f["target"]])
    data = tmp_path / "iris.csv"
    iris.to_csv(data, index=False, header=False)
    task, _, _ = cli.run([str(data), "--target", "setosa", *FAST, "--library",
                          "lightgbm"])
    assert len(task.y) == 149
    assert (f"{data}: its first line looks like data, not column names ('5.1', '3.5', "
            "'1.4', '0.2', 'setosa'), and was read as the names: that row is not trained "
            "on; give the file a header row with the names") in task.warnings
    for header in (["0", "1", "2", "3", "label"], ["2019", "2020", "2021", "2022", "label"]):
        iris.set_axis(header, axis=1).to_csv(data, index=False)
        task, _, _ = cli.run([str(data), "--target", "label", *FAST, "--library",
                              "lightgbm"])
        assert not any("looks like data" in w for w in task.warnings), header


def test_a_parquet_files_column_names_are_never_a_line_of_data(tmp_path):
    # parquet stores its names apart from its rows: names that look like numbers are
    # names (no advice to give the file a header row)
    pytest.importorskip("pyarrow.parquet")
    rng = np.random.default_rng(0)
    x = rng.normal(size=200)
    pd.DataFrame({"0.5": x, "-1.5": rng.normal(size=200),
                  "y": np.where(x > 0, "a", "b")}).to_parquet(tmp_path / "data.parquet")
    task, _, _ = cli.run([str(tmp_path / "data.parquet"), "--target", "y", *FAST,
                          "--library", "lightgbm"])
    assert not any("looks like data" in w for w in task.warnings), task.warnings


def test_header_looks_like_data_needs_most_names_to_be_data():
    from focal_boost.cli._data import header_looks_like_data

    def names(*columns):
        return pd.DataFrame(columns=list(columns))

    assert header_looks_like_data(names("1.5", "-2", "x"))
    assert not header_looks_like_data(names("1.5", "-2", "x", "y"))  # (half: names)
    assert not header_looks_like_data(names("0", "1", "2", "label"))  # (whole numbers)


def test_new_reading_rules_keep_what_they_should_not_touch(tmp_path):
    # a numpy dump's header 0,1 cannot be told from its rows 0,1 (they were scored as
    # header rows: 0.51 -> 0.90); an amount column under an empty header cell other
    # than the first is no row labels; dates beside cells that are no dates stay in the
    # training format (they were switched to month first); phone numbers grouped
    # 3-3-3 by spaces are no amounts; a header of years is no line of data
    import io

    from focal_boost.cli._data import _separator_hint, header_rows
    from focal_boost.cli._prepare import judge_column, read_dates

    dump = pd.read_csv(io.StringIO("0,1\n0,1\n1,1\n0,1\n"))
    assert not header_rows(dump).any()
    rng = np.random.default_rng(0)
    amounts = pd.Series(rng.integers(1000, 1_000_000, 400))
    assert judge_column("Unnamed: 3", amounts)[0] == "number"
    march = [f"{d:02d}/03/2023" for d in range(1, 13)]
    parsed, other, _ = read_dates(pd.Series(march + ["00/00/0000"] * 3), "%d/%m/%Y")
    assert (parsed[:12].dt.month == 3).all() and not other.any()
    phones = pd.Series([f"{a} {b} {c}" for a, b, c in rng.integers(100, 999, (400, 3))])
    assert judge_column("phone", phones)[0] == "id"
    years = pd.DataFrame(columns=["2019", "2020", "2021", "country", "grew"])
    years.attrs["sep"] = ","
    assert _separator_hint(years) == ""



def test_dates_with_a_time_to_score_keep_the_training_day_order():
    # a model of 17/04/2022 scoring "05/03/2024 13:45": the other format's guess broke
    # the tie towards month first (May 3rd)
    from focal_boost.cli._prepare import read_dates

    parsed, other, other_format = read_dates(
        pd.Series(["05/03/2024 13:45", "01/02/2024 10:00"]), "%d/%m/%Y")
    assert parsed.dt.month.tolist() == [3, 2] and other_format == "%d/%m/%Y %H:%M"
    parsed, _, _ = read_dates(pd.Series(["05/03/2024 13:45"]), "%m/%d/%Y")
    assert parsed.dt.month.tolist() == [5]


@pytest.mark.parametrize("library", ["xgboost", "lightgbm"])
def test_predict_without_the_models_library_names_it_and_the_extra(tmp_path, library):
    # "cannot load model.pkl (ModuleNotFoundError: No module named 'xgboost'); give a .pkl
    # saved by focal-boost --save-model", of a file that was one
    import subprocess
    import sys

    data, model_path = _saved(tmp_path, _customers(), library)
    script = (f"import sys; sys.modules[{library!r}] = None\n"
              "from focal_boost import cli\n"
              f"sys.exit(cli.main(['predict', {str(model_path)!r}, {str(data)!r}]))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 2, out.stderr
    assert out.stderr.strip().splitlines()[-1] == (
        f"focal-boost: error: {model_path} is a model of {library}: focal-boost predict "
        f'needs {library} to score it, which is not installed: pip install '
        '"focal-boost[cli]"')


def test_closed_stdout_a_job_that_draws_its_plot_runs(tmp_path, capsys, monkeypatch):
    # --plot is work written, as --save-model is: the job runs without --output
    pytest.importorskip("matplotlib")
    data, _ = _saved(tmp_path, _customers(), "xgboost")
    capsys.readouterr()
    monkeypatch.setattr("sys.stdout", None)
    plot = tmp_path / "p.png"
    assert cli.main([str(data), "--target", "churn", *FAST, "--library", "xgboost",
                     "--plot", str(plot)]) == 0
    assert plot.is_file()


# ------------------------------------------------------------------ many classes
def test_many_classes_are_summed_up_in_lines_and_scored_in_one_block(tmp_path, capsys):
    # 120 classes: the data line listed every class (4,793 characters at 257), the
    # scores' line every column, and predict warned 21 times of pandas' fragmented
    # frame (a column added at a time), -q or not
    rng = np.random.default_rng(0)
    k = 120
    y = np.repeat([f"c{i:03d}" for i in range(k)], 6)
    frame = pd.DataFrame({"x": rng.normal(size=y.size) + np.repeat(np.arange(k) % 7, 6),
                          "label": y})
    data, model, scores = tmp_path / "d.csv", tmp_path / "m.pkl", tmp_path / "s.csv"
    frame.to_csv(data, index=False)
    assert cli.main([str(data), "--target", "label", "--library", "xgboost", "--folds",
                     "3", "--n-estimators", "2", "--n-jobs", "1", "--save-model",
                     str(model)]) == 0
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    assert ", 120 classes of 6 to 6 rows, the rarest 'c000': 6, 'c001': 6, 'c002': 6" in first
    assert "'c119'" not in first
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (pandas' PerformanceWarning)
        assert cli.main(["predict", str(model), str(data), "--output", str(scores)]) == 0
    err = capsys.readouterr().err
    assert (f"wrote {scores}: 720 rows, columns proba_c000 .. proba_c119 (120 classes), "
            "predicted") in err
    written = pd.read_csv(scores)
    assert list(written.columns) == [f"proba_c{i:03d}" for i in range(k)] + ["predicted"]
    saved = pickle.loads(model.read_bytes())
    np.testing.assert_allclose(written.iloc[:, :k].to_numpy(),
                               saved.predict_proba(frame.drop(columns="label")), rtol=1e-12)


def test_too_few_rows_names_every_short_class(tmp_path, capsys):
    # the error named the rarest class only: a file with many short classes took a run
    # per class to learn which
    counts = {"k00": 1, **{f"k{i:02d}": 2 for i in range(1, 14)}, "big": 40}
    y = np.concatenate([[label] * n for label, n in counts.items()])
    x = np.random.default_rng(0).normal(size=y.size).round(2)
    pd.DataFrame({"x": x, "label": y}).to_csv(tmp_path / "d.csv", index=False)
    assert cli.main([str(tmp_path / "d.csv"), "--target", "label", "--folds", "3"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert ("class 'k00' of column 'label' has 1 row (data row 1); --folds 3 needs at "
            "least 3 of every class (13 other classes too: 'k01': 2, 'k02': 2,") in err, err
    assert "'k10': 2, ...): no number of folds takes fewer than 3 rows of a class" in err, err
    assert err.endswith("add rows of those 14 classes\n"), err  # (dropping leaves one)
    assert "'k11'" not in err and "'big'" not in err, err


@pytest.mark.parametrize(("counts", "fix"), [
    ({"a": 1, "b": 4, "c": 4, "d": 60},
     "drop the rows of that class or merge it with another (no number of folds takes "
     "fewer than 3 rows of a class: --folds 3 needs 3); for the other classes, use "
     "--folds 4 or fewer"),
    ({"p": 2, "q": 3},
     "add rows of that class; for the other class, use --folds 3"),
    ({"a": 2, "b": 2, "c": 60, "d": 60},
     "drop the rows of those 2 classes or merge them with"),
    ({"a": 3, "b": 4, "c": 60}, "use --folds 3"),
    # dropping them would leave one class: rows are what helps
    ({"a": 1, "b": 2, "c": 60}, "add rows of those 2 classes"),
])
def test_too_few_rows_advises_each_short_class(tmp_path, capsys, counts, fix):
    # the advice was the rarest class's for all: drop 'b' and 'c', which 4 folds keep
    y = np.concatenate([[label] * n for label, n in counts.items()])
    x = np.random.default_rng(0).normal(size=y.size).round(2)
    pd.DataFrame({"x": x, "label": y}).to_csv(tmp_path / "d.csv", index=False)
    assert cli.main([str(tmp_path / "d.csv"), "--target", "label", "--folds", "5"]) == 2
    err = capsys.readouterr().err
    assert f": {fix}" in err, err


def test_predict_says_a_feature_column_with_no_value_in_any_row(tmp_path, capsys):
    # a column an export left blank is scored as missing throughout: said, as text in a
    # number column is (it moved scores by up to 0.5 without a word); one row's blank
    # cell is not
    path = _small_model(tmp_path)
    (tmp_path / "blank.csv").write_text("x,y\n,yes\n,no\n")
    (tmp_path / "one.csv").write_text("x\n\n")
    (tmp_path / "full.csv").write_text("x\n0.5\n-0.5\n")
    capsys.readouterr()
    scores = cli.predict([str(path), str(tmp_path / "blank.csv"), "-q"])
    assert capsys.readouterr().err == (
        f"focal-boost: warning: {tmp_path / 'blank.csv'}: column 'x' has no value in any "
        "row; it is scored as missing throughout\n")
    with open(path, "rb") as handle:
        model = pickle.load(handle)
    np.testing.assert_array_equal(
        scores[["proba_no", "proba_yes"]].to_numpy(),
        model.predict_proba(pd.DataFrame({"x": [np.nan, np.nan]})))
    for name in ("one.csv", "full.csv"):
        cli.predict([str(path), str(tmp_path / name), "-q"])
        assert capsys.readouterr().err == ""


def test_predict_points_at_decimal_for_a_number_column_of_the_other_mark(tmp_path, capsys):
    # "0,126" beside "1,304" in a file read with ".": the first is lost, the second read
    # as 1304 (not counted among the lost); the warning says how to read them all
    path = _small_model(tmp_path)
    data = tmp_path / "new.csv"
    data.write_text('x\n"0,126"\n"1,304"\n"-1,265"\n')
    capsys.readouterr()
    cli.predict([str(path), str(data), "-q"])
    assert capsys.readouterr().err == (
        f"focal-boost: warning: {data}: column 'x' has 1 value(s) that are not numbers "
        "(e.g. '0,126'); they are scored as missing; its cells are numbers written with "
        "the decimal mark ',': give --decimal ','\n")
    scores = cli.predict([str(path), str(data), "-q", "--decimal", ","])
    assert capsys.readouterr().err == ""
    with open(path, "rb") as handle:
        model = pickle.load(handle)
    np.testing.assert_array_equal(
        scores[["proba_no", "proba_yes"]].to_numpy(),
        model.predict_proba(pd.DataFrame({"x": [0.126, 1.304, -1.265]})))
    # text that is no number either way: no hint
    data.write_text('x\n"0,126"\n"abc"\n"def"\n')
    cli.predict([str(path), str(data), "-q"])
    assert "--decimal" not in capsys.readouterr().err


@pytest.mark.parametrize("text", [
    "x,y\n,yes\n",              # one row: its blank cell is plain
    "x,y\n,\n,\n",              # rows of no value: said as such, not by column
    "x,y\n0.5,yes\n,no\n",      # a value in some row
    "x,note\n0.5,\n-0.5,\n",    # a blank column the model does not use
])
def test_predict_says_nothing_of_columns_blank_in_part_or_not_used(tmp_path, capsys, text):
    path = _small_model(tmp_path)
    (tmp_path / "new.csv").write_text(text)
    capsys.readouterr()
    cli.predict([str(path), str(tmp_path / "new.csv"), "-q"])
    assert "no value in any row" not in capsys.readouterr().err


def test_predict_points_at_decimal_point_for_a_file_read_with_decimal_commas(tmp_path, capsys):
    # the other mark is the file's (--decimal ','), not the model's ('.'): nine in ten
    # cells are numbers written with a point
    path = _small_model(tmp_path)
    data = tmp_path / "new.csv"
    data.write_text("x\n" + "".join(f"{v / 1000:.3f}\n" for v in range(-4126, 5000, 1013))
                    + "abc\n")
    capsys.readouterr()
    cli.predict([str(path), str(data), "-q", "--decimal", ","])
    err = capsys.readouterr().err
    assert "(e.g. 'abc')" in err and err.endswith("give --decimal '.'\n"), err


def test_predict_says_a_decimal_comma_read_points_as_thousands(tmp_path, capsys):
    # --decimal ',' on a file of decimal points scored "1.304" as 1304 without a word
    path = _small_model(tmp_path)
    data = tmp_path / "new.csv"
    data.write_text("x\n0.126\n1.304\n-1.265\n")
    capsys.readouterr()
    cli.predict([str(path), str(data), "-q", "--decimal", ","])
    assert capsys.readouterr().err == (
        f"focal-boost: warning: {data}: column 'x' has numbers with a decimal point "
        "('0.126') beside numbers the decimal comma reads with a thousands point ('1.304' "
        "as 1304); if its '.' is the decimal mark, give --decimal '.'\n")
    cli.predict([str(path), str(data), "-q"])
    assert capsys.readouterr().err == ""
    # parquet text is read with the model's mark, which --decimal does not change: a
    # model of decimal commas says nothing of it
    pytest.importorskip("pyarrow.parquet")
    pd.read_csv(tmp_path / "train.csv").to_csv(tmp_path / "comma.csv", sep=";",
                                               decimal=",", index=False)
    assert cli.main([str(tmp_path / "comma.csv"), "--target", "y", *FAST, "--library",
                     "lightgbm", "--decimal", ",", "--save-model",
                     str(tmp_path / "comma.pkl")]) == 0
    pd.DataFrame({"x": ["0.126", "1.304", "-1.265"]}).to_parquet(tmp_path / "new.parquet")
    capsys.readouterr()
    cli.predict([str(tmp_path / "comma.pkl"), str(tmp_path / "new.parquet"), "-q"])
    assert capsys.readouterr().err == ""
    cli.predict([str(tmp_path / "comma.pkl"), str(data), "-q", "--decimal", ","])  # (a
    assert "('1.304' as 1304)" in capsys.readouterr().err  # CSV read with ',': said)


def test_predict_of_a_parquet_file_gives_no_decimal_hint(tmp_path, capsys):
    # parquet cells have no decimal mark of their own (--decimal does not read them)
    pytest.importorskip("pyarrow.parquet")
    path = _small_model(tmp_path)
    pd.DataFrame({"x": ["0,126", "1,304", "-1,265"]}).to_parquet(tmp_path / "new.parquet")
    capsys.readouterr()
    cli.predict([str(path), str(tmp_path / "new.parquet"), "-q"])
    err = capsys.readouterr().err
    assert "value(s) that are not numbers" in err and "--decimal" not in err, err


def test_predict_refuses_numbers_past_float32_for_an_xgboost_model(tmp_path, monkeypatch,
                                                                  capsys):
    # XGBoost reads 1e39 as infinity, which predict refuses written as inf (it scored
    # the row as one of infinite area); LightGBM reads float64, where 1e39 is a number
    monkeypatch.chdir(tmp_path)
    frame = _customers()
    frame.to_csv("customers.csv", index=False)
    cli.run(["customers.csv", "--target", "churn", *FAST, "--library", "both",
             "--save-model", "model.pkl"])
    frame.drop(columns="churn").head(3).assign(**{"worst area, mm²": [1.0, 1e39, 2.0]}
                                               ).to_csv("new.csv", index=False)
    capsys.readouterr()
    assert cli.main(["predict", "model-xgboost.pkl", "new.csv", "--output", "x.csv"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[1:] == [
        "focal-boost: error: column 'worst area, mm²' of new.csv holds 1e+39, past the "
        "float32 range XGBoost reads data in (±3.4e+38); leave such cells empty (missing) "
        "or read them as missing with --na-values"]
    assert not (tmp_path / "x.csv").exists()
    assert cli.main(["predict", "model-lightgbm.pkl", "new.csv", "--output", "l.csv"]) == 0
    assert len(pd.read_csv("l.csv")) == 3
