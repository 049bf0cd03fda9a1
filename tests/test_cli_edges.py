"""The command line at its edges, each behaviour pinned where mutation testing of
focal_boost/cli/_args.py, _data.py and _main.py found none: option parsing, output names,
the data's refusals, predict's model check."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

pytest.importorskip("xgboost")
pytest.importorskip("lightgbm")
pytest.importorskip("sklearn")
pd = pytest.importorskip("pandas")

from sklearn.pipeline import Pipeline  # noqa: E402

from focal_boost import cli  # noqa: E402

QUICK = ["-q", "--folds", "3", "--n-estimators", "10", "--n-jobs", "1"]


def _frame(n=240, seed=0):
    from sklearn.datasets import make_classification

    X, y = make_classification(n, 4, n_informative=3, n_redundant=0, weights=[0.8],
                               random_state=seed)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(4)])
    frame["label"] = np.where(y == 1, "yes", "no")
    return frame


@pytest.fixture
def small_csv(tmp_path):
    path = tmp_path / "small.csv"
    _frame().to_csv(path, index=False)
    return path


def _saved_lightgbm(tmp_path_factory, frame):
    """A LightGBM model saved by --save-model from ``frame``, and its training file."""
    folder = tmp_path_factory.mktemp("saved")
    data, model = folder / "small.csv", folder / "model.pkl"
    frame.to_csv(data, index=False)
    assert cli.main([str(data), "--target", "label", *QUICK, "--library", "lightgbm",
                     "--save-model", str(model)]) == 0
    return model, data


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory):
    return _saved_lightgbm(tmp_path_factory, _frame())


@pytest.mark.parametrize("given", ["0", "1", "-0.2"])
def test_alpha_bounds_are_open(given, capsys):
    """--alpha takes a number strictly inside (0, 1): 0 and 1 are refused by name."""
    assert cli.main(["--alpha", given]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not a class weight" in err, err


def test_alpha_none_is_no_weight():
    """--alpha none is None, which the estimators take (the text 'none' they refuse)."""
    assert cli.build_parser().parse_args(["--alpha", "none"]).alpha is None
    assert cli.build_parser().parse_args(["--alpha", "balanced"]).alpha == "balanced"


@pytest.mark.parametrize("given", ["nan", "inf"])
def test_gamma_not_finite_is_refused(given, small_csv, capsys):
    """--gamma nan / inf are refused before any work, as a negative gamma is."""
    code = cli.main([str(small_csv), "--target", "label", *QUICK, "--gamma", given])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "not finite" in err, err


def test_gamma_zero_and_fifty_are_accepted():
    """--gamma takes its closed range [0, 50]."""
    parser = cli.build_parser()
    assert parser.parse_args(["--gamma", "0"]).gamma == 0.0
    assert parser.parse_args(["--gamma", "50"]).gamma == 50.0


def test_sep_tab_spelled_as_a_word():
    """--sep tab is a tab, as the help says (the printed predict command writes it so)."""
    assert cli.build_parser().parse_args(["--sep", "tab"]).sep == "\t"
    assert cli.build_predict_parser().parse_args(["m.pkl", "d.csv", "--sep", "tab"]).sep == "\t"


def test_param_prefix_other_than_a_library_is_kept(small_csv, capsys):
    """--param foo.max_depth=3 keeps its name (refused, with the suggestion), not read
    as max_depth for every library."""
    assert cli.build_parser().parse_args(["--param", "foo.max_depth=3"]).param == [
        (None, "foo.max_depth", 3)]
    code = cli.main([str(small_csv), "--target", "label", *QUICK, "--param",
                     "foo.max_depth=3"])
    err = capsys.readouterr().err
    assert code == 2 and "--param foo.max_depth: not a parameter" in err, err


def test_param_values_true_false_none_are_python_values():
    """--param VALUE true / false / none (any case) are True / False / None, numbers are
    int before float, other text stays text."""
    parsed = cli.build_parser().parse_args(
        ["--param", "lightgbm.extra_trees=true", "--param", "a=False", "--param", "b=None",
         "--param", "c=4", "--param", "d=0.5", "--param", "e=gbtree"]).param
    assert parsed == [("lightgbm", "extra_trees", True), (None, "a", False), (None, "b", None),
                      (None, "c", 4), (None, "d", 0.5), (None, "e", "gbtree")]
    assert isinstance(parsed[3][2], int)


def test_param_values_in_brackets_are_sequences():
    """A bracketed value of numbers is a tuple; other bracketed text (nested
    brackets too, which both libraries read as text) stays text."""
    given = ["m=(-1,0,1)", "m=[-1, 0, 1.5]", "i=[[0,1],[2]]", "i=([0], (1, 2))", "t=(a,b)",
             "t=[1, 'x']", "t=()", "t=(1", "t=[[0], 1]", "t=[True, False]"]
    parsed = [value for _, _, value in cli.build_parser().parse_args(
        [part for text in given for part in ("--param", text)]).param]
    assert parsed == [(-1, 0, 1), (-1, 0, 1.5), "[[0,1],[2]]", "([0], (1, 2))", "(a,b)",
                      "[1, 'x']", (), "(1", "[[0], 1]", "[True, False]"]


def test_monotone_constraints_in_brackets_reach_both_libraries(tmp_path, capsys):
    """LightGBM read the text "(-1,0,0,0)" without its first constraint ("(-1" as 0),
    without a word (XGBoost refuses "[...]" and "-1,0,0,0"): one spelling now
    constrains both."""
    import pickle

    # f2, which goes with the positives, first: LightGBM read "(1" as 0
    frame = _frame()[["f2", "f0", "f1", "f3", "label"]]
    frame.to_csv(tmp_path / "small.csv", index=False)
    for value in ("(1,0,0,0)", "[1,0,0,0]"):
        assert cli.main([str(tmp_path / "small.csv"), "--target", "label", *QUICK,
                         "--param", f"monotone_constraints={value}", "--save-model",
                         str(tmp_path / "m.pkl")]) == 0
        out = capsys.readouterr().out
        grid = np.linspace(-3, 3, 25)
        rows = frame.drop(columns="label").iloc[:40]
        for library in ("xgboost", "lightgbm"):
            with open(tmp_path / f"m-{library}.pkl", "rb") as handle:
                model = pickle.load(handle)
            proba = np.array([model.predict_proba(rows.assign(f2=v))[:, 1] for v in grid])
            assert (np.diff(proba, axis=0) >= -1e-12).all(), (library, value)
            assert np.ptp(proba, axis=0).max() > 0.05, (library, value)
        assert "--param monotone_constraints=(1, 0, 0, 0) (both)" in out
    # nested brackets as text, which both read (XGBoost takes a list of lists of
    # numbers for feature names of a DataFrame: "not a subset of ... feature names")
    assert cli.main([str(tmp_path / "small.csv"), "--target", "label", *QUICK,
                     "--param", "interaction_constraints=[[0,1],[2,3]]"]) == 0


def test_param_values_in_brackets_that_are_no_sequence_stay_text():
    """A bracketed value that Python reads as no sequence ("(5)" is 5), or not at all
    ("[1 2]"), or that only starts with a bracket ("(0),1"), stays text: not a number,
    a tuple or a traceback."""
    given = ["t=(5)", "t=[1.5]", "t=[1 2]", "t=(,)", "t=(0),1", "t=[0, 1] # x"]
    parsed = [value for _, _, value in cli.build_parser().parse_args(
        [part for text in given for part in ("--param", text)]).param]
    assert parsed == ["(5)", (1.5,), "[1 2]", "(,)", "(0),1", "[0, 1] # x"]


@pytest.mark.parametrize("given", ["max_depth=", "max_depth=  ", "=3"])
def test_param_without_a_value_or_name_is_refused(given, capsys):
    """--param NAME= (or =VALUE) is refused while parsing, with the form to give."""
    assert cli.main(["--param", given]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "give NAME=VALUE" in err, err


def test_output_suffixes_in_upper_case_are_taken(tmp_path):
    """--output T.JSON, --plot P.PNG and --save-model M.PKL pass the path checks, as
    their lower-case names do (the table is written as JSON by its suffix, any case)."""
    args = cli.build_parser().parse_args(
        ["--output", str(tmp_path / "T.JSON"), "--plot", str(tmp_path / "P.PNG"),
         "--save-model", str(tmp_path / "M.PKL")])
    cli.check_paths(args, ("xgboost", "lightgbm"))
    args = cli.build_parser().parse_args(["--save-model", str(tmp_path / "M.JSON"),
                                          "--library", "xgboost"])
    cli.check_paths(args, ("xgboost",))
    assert list(tmp_path.iterdir()) == []


def test_numbers_past_float32_refused_with_library_xgboost_alone(tmp_path, capsys):
    """--library xgboost alone also refuses numbers past float32, in one line."""
    frame = _frame()
    frame.loc[7, "f1"] = 3.5e38
    frame.to_csv(tmp_path / "data.csv", index=False)
    code = cli.main([str(tmp_path / "data.csv"), "--target", "label", "--library", "xgboost",
                     *QUICK])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "float32" in err, err


def test_predict_refuses_a_pipeline_with_a_step_added(saved_model, tmp_path, capsys):
    """predict takes the two steps --save-model writes; a pipeline with a step added
    between them is refused as not such a model."""
    model_path, data = saved_model
    saved = pickle.loads(model_path.read_bytes())
    edited = tmp_path / "edited.pkl"
    edited.write_bytes(pickle.dumps(Pipeline([("prepare", saved[0]), ("extra", "passthrough"),
                                              ("model", saved[-1])])))
    capsys.readouterr()
    assert cli.main(["predict", str(edited), str(data)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a model saved by focal-boost" in err, err


def test_predict_output_never_overwrites_the_model(saved_model, tmp_path, capsys):
    """predict --output naming the model file (here a model named .csv, and a link to
    it) is refused, and the model is left as it was."""
    import os

    model_path, data = saved_model
    renamed = tmp_path / "model.csv"
    renamed.write_bytes(model_path.read_bytes())
    os.symlink(renamed, tmp_path / "scores.csv")
    for output in (renamed, tmp_path / "scores.csv"):
        capsys.readouterr()
        assert cli.main(["predict", str(renamed), str(data), "--output", str(output)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "is also the model file" in err, err
        assert renamed.read_bytes() == model_path.read_bytes()


def test_a_file_named_with_a_number_suffix_is_read_as_csv(tmp_path):
    """data.2024 (a suffix that is no word) is read as CSV, not refused as a format."""
    path = tmp_path / "data.2024"
    _frame().to_csv(path, index=False)
    frame, how = cli.read_table(path)
    assert frame.shape == (240, 5) and how == "separator comma"


def test_a_tsv_file_is_read_at_tabs_when_its_rows_are_ragged(tmp_path):
    """A .tsv file whose last cells are left off on some rows is still split at tabs
    (detection finds no separator splitting every row alike)."""
    lines = _frame(40).to_csv(index=False, sep="\t").splitlines()
    lines[3] = lines[3].rsplit("\t", 1)[0]  # a row without its label
    (tmp_path / "data.tsv").write_text("\n".join(lines) + "\n")
    frame, how = cli.read_table(tmp_path / "data.tsv")
    assert list(frame.columns) == ["f0", "f1", "f2", "f3", "label"] and "tab" in how
    assert frame["label"].isna().sum() == 1


def test_utf16_text_is_read_with_its_encoding_given(tmp_path):
    """UTF-16 text holds NUL bytes: refused as binary without --encoding, read with it."""
    path = tmp_path / "data.csv"
    path.write_bytes(_frame(30).to_csv(index=False).encode("utf-16"))
    with pytest.raises(cli.UsageError, match="--encoding utf-16"):
        cli.read_table(path)
    frame, how = cli.read_table(path, encoding="utf-16")
    assert frame.shape == (30, 5) and "encoding utf-16" in how


def test_a_target_column_without_any_label_is_refused_by_name(tmp_path, capsys):
    """A --target column whose cells are all empty is one line naming it, exit 2."""
    frame = _frame()
    frame["label"] = np.nan
    frame.to_csv(tmp_path / "data.csv", index=False)
    assert cli.main([str(tmp_path / "data.csv"), "--target", "label", *QUICK]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "column 'label' of" in err and "is empty" in err, err


def test_a_second_target_is_refused(small_csv, capsys):
    """--target twice took the last and trained on the other label column as a feature
    (a multi-label file read so): one line naming both, exit 2."""
    assert cli.main([str(small_csv), "--target", "a", "--target", "b", *QUICK]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "--target given twice ('a' and 'b'): the command takes one target column" in err


def test_a_file_of_the_target_alone_says_so(tmp_path, capsys):
    """A file with no column besides --target says that, not that its features were
    all left out."""
    _frame()[["label"]].to_csv(tmp_path / "data.csv", index=False)
    assert cli.main([str(tmp_path / "data.csv"), "--target", "label", *QUICK]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "has no column besides 'label'" in err, err


def test_features_without_two_values_are_refused(tmp_path, capsys):
    """Feature columns that never vary are refused before any fit, in one line."""
    frame = _frame()
    frame[["f0", "f1", "f2", "f3"]] = 1.5
    frame.to_csv(tmp_path / "data.csv", index=False)
    assert cli.main([str(tmp_path / "data.csv"), "--target", "label", *QUICK]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "has two different values" in err, err


def test_predict_id_given_twice_is_one_column(saved_model):
    """--id x --id x writes column x once."""
    model_path, data = saved_model
    scores = cli.predict([str(model_path), str(data), "--id", "f0", "--id", "f0", "-q"])
    assert list(scores.columns) == ["f0", "proba_no", "proba_yes", "predicted"]


def test_new_output_files_follow_the_umask(small_csv, tmp_path):
    """A file the command creates gets 0o666 less the umask, as open() would give it."""
    import os

    old = os.umask(0o077)
    try:
        cli.run([str(small_csv), "--target", "label", *QUICK, "--library", "lightgbm",
                 "--output", str(tmp_path / "t.csv")])
    finally:
        os.umask(old)
    assert (tmp_path / "t.csv").stat().st_mode & 0o777 == 0o600


def test_a_failure_without_param_is_not_blamed_on_param(small_csv, monkeypatch):
    """A fit that fails on a run without --param is not reported as a --param refusal
    (that one-line error names the --param values as the cause)."""
    from focal_boost.cli import _main

    def failing(*args, **kwargs):
        raise ValueError("a failure of the fit itself")

    monkeypatch.setattr(_main, "cross_validate", failing)
    with pytest.raises(ValueError, match="a failure of the fit itself"):
        cli.main([str(small_csv), "--target", "label", *QUICK])


def test_the_default_task_is_digit_eight_against_the_rest():
    """The bundled task's positive rows are the digits 8 (174 of 1797, 9.7%)."""
    from sklearn.datasets import load_digits

    X, y, description = cli.load_default()
    target = load_digits().target
    assert X.shape == (1797, 64) and "digit 8" in description
    assert np.array_equal(y == "8", target == 8) and (y == "8").sum() == 174


@pytest.mark.parametrize("written", ["-inf", "inf"])
def test_negative_infinity_is_refused_as_infinity_is(written, tmp_path, capsys):
    """A feature cell -inf is refused as +inf is, in one line naming the column."""
    frame = _frame().astype({"f2": object})
    frame.loc[4, "f2"] = written
    frame.to_csv(tmp_path / "data.csv", index=False)
    assert cli.main([str(tmp_path / "data.csv"), "--target", "label", *QUICK]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "column 'f2'" in err and "infinite values" in err, err


# ---------------------------------------------------------------------------
# Behaviour found unpinned by mutation testing of the command line's evaluation,
# preparation and report code (each test fails on the changed code it was written against)
import json  # noqa: E402
from types import SimpleNamespace  # noqa: E402

MUTATION_FAST = ["-q", "--folds", "3", "--n-estimators", "15", "--n-jobs", "1"]


@pytest.fixture(scope="module")
def xgboost_run(tmp_path_factory):
    """One cross-validation of XGBoost's two models, with its JSON table."""
    folder = tmp_path_factory.mktemp("run")
    path, out = folder / "data.csv", folder / "table.json"
    _frame(300).to_csv(path, index=False)
    task, results, _ = cli.run([str(path), "--target", "label", "--library", "xgboost",
                                "--seed", "3", *MUTATION_FAST, "--output", str(out)])
    return task, results, json.loads(out.read_text())


def test_folds_are_the_stratified_folds_of_the_seed():
    # --seed chooses the folds (the report says "seed N"): the test rows are those of
    # scikit-learn's shuffled StratifiedKFold with that seed
    from sklearn.model_selection import StratifiedKFold

    from focal_boost.cli._data import make_task
    from focal_boost.cli._evaluate import _splits

    X = pd.DataFrame({"x": np.arange(60.0)})
    y = np.array(["a", "b", "b"] * 20)
    task = make_task(X, y, "d", 3)
    for seed in (1, 7):
        expected = [test for _, test in StratifiedKFold(3, shuffle=True, random_state=seed)
                    .split(X, task.y_index)]
        got = [test for _, _, test in _splits(task, SimpleNamespace(folds=3, seed=seed))]
        assert len(got) == len(expected)
        for a, b in zip(got, expected, strict=True):
            np.testing.assert_array_equal(np.sort(a), np.sort(b))


def test_out_of_fold_probabilities_are_each_folds_predictions(xgboost_run):
    # the plot's curves are drawn from the out-of-fold probabilities: every row's, from
    # the model of the fold that held it out, scoring as the table's fold does
    from focal_boost.cli._evaluate import _splits, scores

    task, results, _ = xgboost_run
    splits = _splits(task, SimpleNamespace(folds=3, seed=3))
    for r in results:
        np.testing.assert_allclose(r.oof.sum(axis=1), 1.0, rtol=1e-6)
        for (_, _, test), fold in zip(splits, r.scores, strict=True):
            again = scores(task.y_index[test], r.oof[test], task.positive)
            for key, value in fold.items():
                assert again[key] == pytest.approx(value, rel=1e-9, abs=1e-12), key


def test_log_loss_rows_have_no_gamma_per_fold(xgboost_run):
    # log-loss has no gamma: its rows of the table file list none; the focal row one
    # per fold, the gamma it was given
    _, _, report = xgboost_run
    rows = {r["model"]: r for r in report["results"]}
    assert rows["log-loss"]["gamma"] is None and rows["log-loss"]["gamma_per_fold"] == []
    assert rows["focal"]["gamma_per_fold"] == [2.0, 2.0, 2.0]


def test_lightgbm_row_check_reads_the_smallest_training_fold():
    # training folds differ by a row: the one of 39 rows cannot split with
    # min_child_samples=20 (a split needs 40), whatever the other folds hold
    from focal_boost.cli._args import UsageError
    from focal_boost.cli._evaluate import check_rows

    args = SimpleNamespace(library_params={"lightgbm": {}})
    empty = np.array([], dtype=np.intp)
    splits = [(np.arange(n), empty, empty) for n in (41, 39, 40)]
    with pytest.raises(UsageError, match="the training folds have 39 rows to fit on"):
        check_rows(splits, ("lightgbm",), args)
    check_rows([(np.arange(40), empty, empty)] * 3, ("lightgbm",), args)
    check_rows(splits, ("xgboost",), args)  # (XGBoost has no such minimum)


@pytest.mark.parametrize("library", ["xgboost", "lightgbm"])
def test_refit_takes_the_searched_gamma_and_the_median_rounds(library):
    # with --gamma auto the refit's gamma is the one of lowest mean validation loss
    # (result.gamma), not a fold's choice; its rounds the folds' median; --alpha as given
    from focal_boost.cli._data import make_task
    from focal_boost.cli._evaluate import Result, refit

    rng = np.random.default_rng(0)
    X = pd.DataFrame({"x": rng.normal(size=120), "z": rng.normal(size=120)})
    task = make_task(X, np.where(X["x"] + rng.normal(size=120) > 0.8, "yes", "no"), "d", 3)
    result = Result(library, "focal", 1.0, "0.3", gamma_per_fold=[3.0, 0.5, 3.0],
                    rounds=[4, 9, 7])
    args = SimpleNamespace(alpha=0.3, seed=0, n_jobs=1, library_params={library: {}})
    est = refit(task, result, args, lambda text: None)[-1]
    assert est.gamma == 1.0 and est.n_estimators == 7
    assert est.alpha == {"yes": 0.3, "no": pytest.approx(0.7)}
    assert list(est.classes_) == ["no", "yes"]


def test_distinct_integers_with_a_gap_are_no_row_numbers():
    # one distinct integer per row is a row number only where they are consecutive
    # (0..n-1 here); skipping one value (a span of n+1) leaves a number column
    from focal_boost.cli._prepare import judge_column

    n = 25
    consecutive = pd.Series(np.arange(n))
    assert judge_column("count", consecutive) == (
        "id", "ID-like: consecutive integers, one distinct value per row")
    gap = pd.Series(np.delete(np.arange(n + 1), 7))
    assert judge_column("count", gap) == ("number", None)
    assert judge_column("count", pd.Series(np.delete(np.arange(n + 2), [3, 9]))) == (
        "number", None)


def test_a_number_mark_leaves_true_false_columns_alone():
    # --na-values 0 marks the number 0 missing, not False (which equals 0 in pandas'
    # isin): a boolean column keeps its values, in training and in scoring
    from focal_boost.cli._prepare import FrameEncoder, without_na_values

    frame = pd.DataFrame({"b": [True, False, True, False], "n": [0, 1, 2, 0]})
    out = without_na_values(frame.copy(), ["0"])
    assert out["b"].tolist() == [True, False, True, False]
    assert out["n"].isna().tolist() == [True, False, False, True]
    encoder = FrameEncoder(na_values=("0",)).fit(out)
    features = encoder.transform(frame)
    assert features["b"].tolist() == [1.0, 0.0, 1.0, 0.0]
    assert features["n"].isna().tolist() == [True, False, False, True]


# ------- found unpinned by mutation testing (reading files, arguments, predict)
def _colour_frame(n=150, seed=0):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"amount": rng.normal(size=n),
                          "colour": rng.choice(["red", "green", "blue"], n)})
    frame["label"] = np.where(frame["amount"] + (frame["colour"] == "red") > 0.8, "yes", "no")
    return frame


@pytest.fixture(scope="module")
def colour_model(tmp_path_factory):
    return _saved_lightgbm(tmp_path_factory, _colour_frame())


def test_json_content_in_a_csv_named_file_is_refused_as_json(tmp_path, capsys):
    # the suffix says CSV, the content is JSON records: refused by what it holds
    path = tmp_path / "records.csv"
    path.write_text('[{"a": 1, "label": "x"}, {"a": 2, "label": "y"}]\n')
    assert cli.main([str(path), "--target", "label"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (f"focal-boost: error: {path} looks like JSON, which is not supported; "
                   f"give a CSV (.csv, .tsv, .txt, also compressed .gz/.bz2/.zip/.xz/.zst) "
                   f"or parquet (.parquet, .pq) file\n")


def test_a_comma_separated_file_never_takes_a_decimal_comma(tmp_path):
    # quoted "1,5" cells in a comma-separated file: the separator is the comma, so the
    # decimal mark stays '.', and the file reads as pandas reads it
    from focal_boost.cli._data import read_table, sniff

    text = 'a,b,label\n"1,5",1,x\n"2,5",2,y\n"3,5",3,x\n'
    assert sniff(text) == (",", ".")
    path = tmp_path / "quoted.csv"
    path.write_text(text)
    frame, how = read_table(path)
    assert how == "separator comma"
    pd.testing.assert_frame_equal(frame, pd.read_csv(path), check_dtype=False)


def test_predict_names_a_column_spelled_alike_for_a_missing_one(colour_model, tmp_path, capsys):
    # "color" where training read "colour": named as the column to rename
    model, _ = colour_model
    new = tmp_path / "new.csv"
    _colour_frame(5, seed=1).drop(columns="label").rename(columns={"colour": "color"}).to_csv(
        new, index=False)
    capsys.readouterr()
    assert cli.main(["predict", str(model), str(new)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (f"focal-boost: error: {new} lacks 1 column(s) the model was trained on: "
                   "'colour' (the file has 'color' for 'colour': rename them); give a file "
                   "with the training file's columns (other columns are ignored)\n")


def test_an_unnamed_last_column_with_values_is_kept(tmp_path):
    # only an empty "Unnamed: N" column (a separator at the end of the header) is dropped
    path = tmp_path / "t.csv"
    path.write_text("a,b,\n1,2,3\n4,5,6\n")
    table, _ = cli.read_table(path)
    assert list(table.columns) == ["a", "b", "Unnamed: 2"]
    np.testing.assert_array_equal(table["Unnamed: 2"], [3, 6])
