"""focal_boost.metrics: every metric against an independent reference, the estimators'
eval_metric table, the command line's table and plot legends, the quality benchmark."""

from __future__ import annotations

import ast
import importlib.util
import re
import subprocess
import sys
import warnings
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("sklearn")

from sklearn.metrics import average_precision_score, roc_auc_score  # noqa: E402

from focal_boost import FocalLoss, metrics  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _binary(n=400, seed=0):
    rng = np.random.default_rng(seed)
    p = rng.uniform(size=n)
    y = (rng.uniform(size=n) < p ** 2).astype(np.intp)  # miscalibrated on purpose
    w = rng.uniform(0.2, 3.0, size=n)
    return y, p, w


def _multiclass(n=300, k=3, seed=2):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, size=n)
    proba = rng.dirichlet(np.ones(k), size=n)
    proba[np.arange(n), y] += 0.5
    proba /= proba.sum(axis=1, keepdims=True)
    return y, proba, rng.uniform(0.2, 3.0, size=n)


def _multilabel(n=300, labels=3, seed=3):
    rng = np.random.default_rng(seed)
    P = rng.uniform(size=(n, labels))
    Y = (rng.uniform(size=(n, labels)) < P).astype(np.intp)
    return Y, P, rng.uniform(0.2, 3.0, size=n)


def _ece_loop(y, p, w=None, n_bins=15):
    """ECE by its textbook definition: bin share times |mean p - fraction positive|."""
    w = np.ones_like(p) if w is None else w
    total = 0.0
    for b in range(n_bins):
        lo, hi = b / n_bins, (b + 1) / n_bins
        inside = (p >= lo) & ((p < hi) if b < n_bins - 1 else (p <= hi))
        if inside.any():
            wb = w[inside]
            total += wb.sum() / w.sum() * abs(np.average(p[inside], weights=wb)
                                               - np.average(y[inside], weights=wb))
    return total


# ------------------------------------------------------------------ binary
def test_binary_ranking_metrics_match_scikit_learn():
    y, p, w = _binary()
    for sample_weight in (None, w):
        assert metrics.pr_auc(y, p, sample_weight) == pytest.approx(
            average_precision_score(y, p, sample_weight=sample_weight), rel=1e-12)
        assert metrics.roc_auc(y, p, sample_weight) == pytest.approx(
            roc_auc_score(y, p, sample_weight=sample_weight), rel=1e-12)
    # two columns: of class 1, the same numbers
    both = np.column_stack([1 - p, p])
    for name, func in metrics.SCORES.items():
        assert func(y, both, w) == pytest.approx(func(y, p, w), rel=1e-12), name
    # undefined with one class: NaN, whatever scikit-learn's version does
    assert np.isnan(metrics.roc_auc(np.zeros(5, dtype=int), np.linspace(0, 1, 5)))
    assert np.isnan(metrics.pr_auc(np.zeros(5, dtype=int), np.linspace(0, 1, 5)))


def test_rankings_leave_out_classes_whose_rows_weigh_nothing():
    # rows of weight 0 are left out of the rankings: a class whose rows all weigh 0 is
    # not present (binary: pr_auc gave 0.0 where roc_auc gave NaN; multiclass: its
    # NaN AUC made the macro mean NaN, its AP of 0 pulled the mean down)
    yb, pb = np.array([0, 1, 1, 0, 1, 0]), np.array([.1, .8, .6, .3, .7, .9])
    wb = np.array([1, 0, 0, 1, 0, 1.0])
    assert np.isnan(metrics.pr_auc(yb, pb, wb)) and np.isnan(metrics.roc_auc(yb, pb, wb))
    y = np.array([0, 1, 2, 0, 1, 2, 0, 1])
    P = np.random.default_rng(1).dirichlet(np.ones(3), size=8)
    w = np.where(y == 2, 0.0, 1.0)
    kept = w > 0
    for func in (metrics.pr_auc, metrics.roc_auc):
        assert func(y, P, w) == pytest.approx(func(y[kept], P[kept]), rel=1e-12)


def test_multiclass_auc_early_stopping_leaves_out_a_class_without_weight():
    # the eval set's class 2 weighs nothing: its AUC is left out of the mean, where it
    # made the mean NaN every round and early stopping kept the first
    from sklearn.datasets import make_classification

    from focal_boost import FocalXGBClassifier

    X, y = make_classification(600, 8, n_informative=5, n_classes=3, random_state=0)
    w = np.where(y[400:] == 2, 0.0, 1.0)
    model = FocalXGBClassifier(n_estimators=60, early_stopping_rounds=5, eval_metric="auc")
    model.fit(X[:400], y[:400], eval_set=[(X[400:], y[400:])], eval_sample_weight=[w])
    aucs = model.evals_result_["validation_0"]["auc"]
    assert np.isfinite(aucs).all() and model.best_iteration_ > 0
    kept = w > 0
    assert model.best_score_ == pytest.approx(metrics.auc(
        y[400:][kept], model.predict_proba(X[400:][kept])), rel=1e-6)


def test_binary_probability_metrics_by_hand():
    y, p, w = _binary()
    p_true = np.where(y == 1, p, 1 - p)
    assert metrics.log_loss(y, p) == pytest.approx(-np.mean(np.log(p_true)), rel=1e-12)
    assert metrics.log_loss(y, p, w) == pytest.approx(-np.average(np.log(p_true), weights=w),
                                                      rel=1e-12)
    assert metrics.brier(y, p) == pytest.approx(np.mean((p - y) ** 2), rel=1e-12)
    assert metrics.brier(y, p, w) == pytest.approx(np.average((p - y) ** 2, weights=w),
                                                   rel=1e-12)
    assert metrics.error(y, p, w) == pytest.approx(np.average((p > 0.5) != y, weights=w))
    assert metrics.error([0, 1], [0.5, 0.5]) == 0.5  # 1/2 predicts class 0


# ------------------------------------------------------------------ ECE
def test_ece_hand_made_example():
    # 15 bins of width 1/15: 0.05 and 0.06 share bin 0, 0.5 is in bin 7, 0.95 in bin 14
    p = np.array([0.05, 0.06, 0.5, 0.5, 0.95, 0.95, 0.95, 0.95])
    y = np.array([0, 0, 1, 1, 1, 1, 1, 0])
    # bin 0: |0.11 - 0| = 0.11; bin 7: |1.0 - 2| = 1.0; bin 14: |3.8 - 3| = 0.8
    assert metrics.ece(y, p) == pytest.approx((0.11 + 1.0 + 0.8) / 8, rel=1e-12)
    # 2 bins: [0, 0.5) and [0.5, 1]: |0.11 - 0| + |4.8 - 5| over 8 rows
    assert metrics.ece(y, p, n_bins=2) == pytest.approx((0.11 + 0.2) / 8, rel=1e-12)
    # perfectly calibrated constant: the mean of y
    assert metrics.ece([0, 0, 1, 0], np.full(4, 0.25)) == 0
    # p = 1 falls in the last bin, p = 0 in the first
    assert metrics.ece([1, 0], [1.0, 0.0]) == 0


def test_ece_against_a_loop_with_weights():
    y, p, w = _binary()
    expected = _ece_loop(y, p)
    assert metrics.ece(y, p) == pytest.approx(expected, rel=1e-12)
    assert expected > 0.05  # miscalibrated on purpose
    assert metrics.ece(y, p, w) == pytest.approx(_ece_loop(y, p, w), rel=1e-12)
    # integer weights are repeated rows
    counts = np.arange(len(y)) % 3 + 1
    assert metrics.ece(y, p, counts) == pytest.approx(
        metrics.ece(np.repeat(y, counts), np.repeat(p, counts)), rel=1e-12)
    # the reliability curve is the ECE's bins
    mean, frac, share = metrics.reliability_curve(y, p, w)
    assert share.sum() == pytest.approx(1.0)
    assert np.sum(share * np.abs(mean - frac)) == pytest.approx(metrics.ece(y, p, w))
    # the same curve from the two columns of binary probabilities
    two = metrics.reliability_curve(y, np.column_stack([1 - p, p]), w)
    np.testing.assert_allclose(np.concatenate(two), np.concatenate([mean, frac, share]))


def test_bins_and_score_names_are_checked_by_name():
    y, p, _ = _binary()
    for call in (metrics.ece, metrics.reliability_curve):
        for n_bins, error in ((0, ValueError), (-1, ValueError), (2.5, TypeError),
                              (True, TypeError)):
            with pytest.raises(error, match=f"^n_bins must be .*got {n_bins!r}$"):
                call(y, p, n_bins=n_bins)
    assert metrics.ece(y, p, n_bins=np.int64(1)) == pytest.approx(abs(p.mean() - y.mean()))
    with pytest.raises(ValueError, match="^names has \\['auc'\\], not among the scores"):
        metrics.scores(y, p, names=["auc"])
    with pytest.raises(ValueError, match="^proba must be finite"):
        metrics.reliability_curve(y, np.where(p > 0.5, np.nan, p))
    with pytest.raises(ValueError, match="^reliability_curve takes 0/1 targets"):
        metrics.reliability_curve([0, 1, 2], np.full((3, 3), 1 / 3))


# ------------------------------------------------------------------ multiclass
def test_multiclass_definitions():
    y, proba, w = _multiclass()
    onehot = np.eye(3)[y]
    for sw in (None, w):
        assert metrics.pr_auc(y, proba, sw) == pytest.approx(
            average_precision_score(onehot, proba, sample_weight=sw, average="macro"))
        assert metrics.roc_auc(y, proba, sw) == pytest.approx(
            roc_auc_score(y, proba, sample_weight=sw, multi_class="ovr"))
        weights = np.ones(len(y)) if sw is None else sw
        assert metrics.log_loss(y, proba, sw) == pytest.approx(
            -np.average(np.log(proba[np.arange(len(y)), y]), weights=weights))
        assert metrics.brier(y, proba, sw) == pytest.approx(  # summed over classes
            np.average(((proba - onehot) ** 2).sum(axis=1), weights=weights))
        assert metrics.ece(y, proba, sw) == pytest.approx(  # class-wise
            np.mean([_ece_loop(onehot[:, j], proba[:, j], sw) for j in range(3)]))
        assert metrics.error(y, proba, sw) == pytest.approx(
            np.average(proba.argmax(axis=1) != y, weights=weights))


def test_multiclass_ranking_over_the_classes_present():
    y, proba, _ = _multiclass(k=4)
    y = np.where(y == 3, 0, y)  # class 3 never occurs
    onehot = np.eye(4)[y]
    assert metrics.pr_auc(y, proba) == pytest.approx(np.mean(
        [average_precision_score(onehot[:, j], proba[:, j]) for j in range(3)]))
    assert metrics.roc_auc(y, proba) == pytest.approx(np.mean(
        [roc_auc_score(onehot[:, j], proba[:, j]) for j in range(3)]))
    # ECE is defined for every class, the absent one included
    assert metrics.ece(y, proba) == pytest.approx(
        np.mean([_ece_loop(onehot[:, j], proba[:, j]) for j in range(4)]))


def test_multilabel_is_the_mean_over_labels():
    Y, P, w = _multilabel()
    assert metrics.pr_auc(Y, P, w) == pytest.approx(
        average_precision_score(Y, P, sample_weight=w, average="macro"))
    assert metrics.roc_auc(Y, P, w) == pytest.approx(roc_auc_score(Y, P, sample_weight=w))
    for name in ("log_loss", "brier", "ece", "pr_auc"):
        func = getattr(metrics, name)
        assert func(Y, P, w) == pytest.approx(
            np.mean([func(Y[:, j], P[:, j], w) for j in range(Y.shape[1])])), name
    assert metrics.log_loss(Y, P) == pytest.approx(
        -np.mean(np.log(np.where(Y == 1, P, 1 - P))))
    assert metrics.error(Y, P, w) == pytest.approx(
        np.average(((P > 0.5) != Y).mean(axis=1), weights=w))


def test_scores_and_folds():
    y, proba, w = _multiclass()
    s = metrics.scores(y, proba, w)
    assert list(s) == ["pr_auc", "roc_auc", "log_loss", "brier", "ece"]
    for name, value in s.items():
        assert value == getattr(metrics, name)(y, proba, w)
    assert metrics.scores(y, proba, names=("ece",)) == {"ece": metrics.ece(y, proba)}
    assert metrics.fold_mean_std([0.2, 0.4, 0.9]) == pytest.approx(
        (0.5, np.std([0.2, 0.4, 0.9], ddof=1)))
    assert metrics.fold_mean_std([0.3]) == (0.3, 0.0)


# ------------------------------------------------------------------ focal loss, eval_metric
def test_focal_metric_on_margins():
    rng = np.random.default_rng(4)
    loss = FocalLoss(2.0, 0.25)
    y = rng.integers(0, 2, size=200)
    margin, w = rng.normal(size=200), rng.uniform(size=200)
    pt = np.where(y == 1, 1 / (1 + np.exp(-margin)), 1 / (1 + np.exp(margin)))
    alpha_t = np.where(y == 1, 0.25, 0.75)
    by_hand = -alpha_t * (1 - pt) ** 2 * np.log(pt)
    assert metrics.focal_metric(loss, y, margin) == pytest.approx(by_hand.mean(), rel=1e-9)
    assert metrics.focal_metric(loss, y, margin, w) == pytest.approx(
        np.average(by_hand, weights=w), rel=1e-9)
    assert np.isnan(metrics.focal_metric(loss, y[:0], margin[:0]))
    # its weights are checked as every metric's (a negative one gave 0.36, above both
    # rows' losses; NaN gave NaN; a wrong length numpy's matmul error)
    for bad, said in (([2, -1], r"has 1 weight\(s\) .* \(rows 1, e\.g\. -1\.0\)"),
                      ([1, np.nan], r"has 1 weight\(s\) that are negative or not finite"),
                      ([1, 1, 1], r"must have shape \(2,\)")):
        with pytest.raises(ValueError, match=f"^sample_weight {said}"):
            metrics.focal_metric(loss, [0, 1], [0.3, -0.2], bad)


def test_log_loss_clips_by_the_epsilon_of_the_dtype_given():
    # as scikit-learn's log_loss: float32 probabilities of exactly 0 or 1 (XGBoost's) cost
    # -log(1.2e-7) = 15.9, not -log(2.2e-16) = 36.0 after a cast to float64
    from sklearn.metrics import log_loss

    y, p = [1, 0, 0], np.float32([0.0, 0.3, 0.6])
    assert metrics.log_loss(y, p) == pytest.approx(log_loss(y, p), rel=1e-6)
    assert metrics.log_loss(y, p.astype(np.float64)) == pytest.approx(
        log_loss(y, p.astype(np.float64)), rel=1e-12)
    P = np.float32([[1, 0, 0], [0.2, 0.3, 0.5], [0.1, 0.1, 0.8]])
    assert metrics.log_loss([2, 0, 2], P) == pytest.approx(
        log_loss([2, 0, 2], P, labels=[0, 1, 2]), rel=1e-6)
    Y = np.array([[1, 0], [0, 1]])
    assert metrics.log_loss(Y, np.float32([[0, 1], [0.5, 0.5]])) == pytest.approx(
        np.mean([log_loss(Y[:, j], np.float32([[0, 1], [0.5, 0.5]])[:, j], labels=[0, 1])
                 for j in range(2)]), rel=1e-6)


def test_log_loss_of_float32_softmax_rows_is_quiet_and_matches_float64():
    # float32 rows (XGBoost's softmax) sum to 1 to float32 rounding only: scikit-learn warns
    # ("do not sum to one") unless they are renormalised first
    from scipy.special import softmax

    rng = np.random.default_rng(7)
    z = rng.normal(scale=3, size=(500, 4))
    y = rng.integers(0, 4, 500)
    p32 = softmax(z, axis=1).astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = metrics.log_loss(y, p32)
    assert value == pytest.approx(metrics.log_loss(y, softmax(z, axis=1)), rel=1e-6)


def test_a_probability_of_1_falls_in_the_last_bin():
    # bin of p: min(floor(p * n_bins), n_bins - 1); clipped at n_bins, p = 1 had a bin of
    # its own (ece 0.525, two bins)
    mean_p, positives, weight = metrics.reliability_curve([1, 0], [0.95, 1.0])
    np.testing.assert_allclose(mean_p, [0.975])
    np.testing.assert_allclose(positives, [0.5])
    assert metrics.ece([1, 0], [0.95, 1.0]) == pytest.approx(0.475, rel=1e-12)


def test_error_takes_a_probability_of_one_half_as_class_0():
    # class 1 where p > 1/2 (XGBoost's error metric), per label for multi-label
    assert metrics.error([0, 0], [0.5, 0.5]) == 0.0
    assert metrics.error([1, 0], [0.5, 0.5]) == 0.5
    assert metrics.error([[0, 1], [0, 0]], [[0.5, 0.9], [0.1, 0.5]]) == 0.0


def test_multilabel_auc_averages_the_labels_with_both_values():
    # a label that is 1 in every row (or whose 0 rows weigh nothing) has no AUC: the mean
    # of the others, not NaN
    rng = np.random.default_rng(3)
    Y = (rng.random((200, 3)) < 0.4).astype(int)
    Y[:, 1] = 1
    P = rng.random((200, 3))
    expected = np.mean([roc_auc_score(Y[:, j], P[:, j]) for j in (0, 2)])
    assert metrics.roc_auc(Y, P) == pytest.approx(expected, rel=1e-12)
    assert metrics.pr_auc(Y, P) == pytest.approx(
        np.mean([average_precision_score(Y[:, j], P[:, j]) for j in (0, 2)]), rel=1e-12)
    Y[0, 1] = 0  # its one 0 row, of weight 0
    w = np.r_[0.0, np.ones(199)]
    assert metrics.roc_auc(Y, P, sample_weight=w) == pytest.approx(
        np.mean([roc_auc_score(Y[:, j], P[:, j], sample_weight=w) for j in (0, 2)]),
        rel=1e-12)


def test_metric_scores_of_multilabel_margins_use_one_sigmoid_per_label():
    from sklearn.metrics import log_loss

    rng = np.random.default_rng(4)
    Y = (rng.random((300, 3)) < 0.3).astype(int)
    Z = rng.normal(size=(300, 3))
    loss = FocalLoss(2.0)
    (name, value, higher), = metrics.metric_scores(loss, metrics.eval_metrics("logloss"), Y, Z)
    P = loss.predict_proba(Z, multilabel=True)
    expected = np.mean([log_loss(Y[:, j], P[:, j]) for j in range(3)])
    assert (name, higher) == ("logloss", False) and value == pytest.approx(expected, rel=1e-9)

def test_half_precision_rows_are_probabilities_as_in_scikit_learn():
    # float16 rows sum to 1 within ~4e-4 only: every metric refused them (tolerance 1e-4)
    from sklearn.metrics import log_loss

    rng = np.random.default_rng(5)
    y, P = rng.integers(0, 4, 500), rng.dirichlet(np.ones(4), 500).astype(np.float16)
    assert np.abs(P.sum(axis=1, dtype=np.float64) - 1).max() > 1e-4
    assert metrics.log_loss(y, P) == pytest.approx(log_loss(y, P), rel=1e-3)  # its float16 sum
    assert np.isfinite(metrics.brier(y, P)) and np.isfinite(metrics.error(y, P))
    with pytest.raises(ValueError, match="proba rows must sum to 1"):
        metrics.log_loss(y, P * np.float16(0.9))


def test_auc_mu_ties_raw_scores_that_tie_at_small_probabilities():
    # classes 0 and 1 have the same raw scores on every row (LightGBM ties them all);
    # through the softmax and the log, at log p of -10 to -20, their differences spread
    # by up to 1.8e-14: an absolute 1e-15 no longer tied them (0.5975 against 0.6133)
    from scipy.special import softmax

    rng = np.random.default_rng(3)
    y = np.tile([0, 1, 2, 3], 10)
    z = np.column_stack([np.full(40, 0.7), np.full(40, -0.4), rng.normal(10, 3, 40),
                         rng.normal(10, 3, 40)])
    z[y == 2, 2] += 2
    z[y == 3, 3] += 2
    assert metrics.auc_mu(y, softmax(z, axis=1)) == pytest.approx(
        _lightgbm_auc_mu(z, y), rel=1e-12)


def test_auc_mu_of_probabilities_of_exactly_zero():
    # log 0 = -inf: the floor at the smallest float keeps every difference finite (the
    # rows still rank as their probabilities do); without it the ranking raised
    y = np.array([0, 1, 2, 0, 1, 2])
    proba = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0.5, 0.5, 0], [0.2, 0.8, 0],
                      [0, 0.3, 0.7]], dtype=float)
    assert metrics.auc_mu(y, proba) == 1.0


def test_multiclass_auc_of_one_class_present_is_nan_without_a_warning():
    # (every row of one class: no one-vs-rest pair; a 0/0 warned)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(metrics.auc(np.array([0, 0, 0]), np.full((3, 3), 1 / 3)))


def _auc_mu_reference(y, proba, w=None):
    """AUC-mu from its definition with scikit-learn's roc_auc_score on each pair."""
    log_p, aucs = np.log(proba), []
    present = [c for c in range(proba.shape[1])
               if (np.ones(len(y)) if w is None else w)[y == c].sum() > 0]
    for a, i in enumerate(present):
        for j in present[a + 1:]:
            rows = (y == i) | (y == j)
            aucs.append(roc_auc_score(y[rows] == i, log_p[rows, i] - log_p[rows, j],
                                      sample_weight=None if w is None else w[rows]))
    return np.mean(aucs)


@pytest.mark.parametrize("k", [12, 40])
@pytest.mark.parametrize("batch", [1, 37, 2**16])
def test_auc_mu_of_many_classes_in_batches_of_pairs_is_its_definition(monkeypatch, batch, k):
    # the pairs' rows are sorted together, a batch of pairs at a time (one pass per pair
    # took 2-3.5 s an evaluation at 257 classes): batches of one pair, of a few pairs
    # and of all; pairs of 83 rows on average (sorted one by one) and of 25 (sorted
    # together by score, then by pair)
    monkeypatch.setattr(metrics, "_PAIR_BATCH", batch)
    rng = np.random.default_rng(11)
    y = rng.integers(0, k, 500)
    z = rng.normal(size=(500, k)) + 0.8 * np.eye(k)[y]
    proba = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    proba[::2] = proba[1::2]  # rows scored alike: ties, which count half
    w = rng.uniform(0.1, 4.0, 500) * (y != 5)  # class 5 without weight: no pairs
    for weight in (None, w):
        assert metrics.auc_mu(y, proba, weight) == pytest.approx(
            _auc_mu_reference(y, proba, weight), rel=1e-12)


def test_auc_mu_against_its_definition_and_lightgbm():
    # LGBMClassifier(metric="auc_mu") records it; the estimators refused the name
    rng = np.random.default_rng(7)
    y, proba, _ = _multiclass(n=300, k=4, seed=7)
    proba = np.maximum(np.round(proba, 2), 0.01)  # ties, which count half
    proba /= proba.sum(axis=1, keepdims=True)
    w = rng.uniform(0.2, 3.0, size=300)
    for weight in (None, w):
        assert metrics.auc_mu(y, proba, weight) == pytest.approx(
            _auc_mu_reference(y, proba, weight), rel=1e-12)
    # pairs of the classes present only (LightGBM's is NaN where a class has no rows)
    without_2 = y != 2
    assert metrics.auc_mu(y[without_2], proba[without_2]) == pytest.approx(
        _auc_mu_reference(y[without_2], proba[without_2]), rel=1e-12)
    zero_2 = np.where(y == 2, 0.0, w)
    assert metrics.auc_mu(y, proba, zero_2) == pytest.approx(
        metrics.auc_mu(y[without_2], proba[without_2], w[without_2]), rel=1e-12)
    assert np.isnan(metrics.auc_mu(np.zeros(5, int), proba[:5]))
    # near ties (less than 1e-15 apart) count half, as exact ties; a chain of close
    # values does not tie values far apart (all of one class above the other: 1)
    def pair_auc(s_first, s_second):
        """The AUC of rows scored s_first against rows scored s_second (log p_0 - log p_1)."""
        log_p = np.column_stack([np.concatenate([s_first, s_second]), np.zeros(100)])
        return metrics._pair_aucs(log_p, np.ones(100), np.array([50, 50]), np.array([0, 50]),
                                  np.array([0]), np.array([1]))[0] / 2500

    assert pair_auc(1 + np.arange(50) % 4 * 2.2e-16, np.ones(50)) == 0.5
    assert pair_auc(3e-14 + np.arange(50) * 6e-16, np.arange(50) * 6e-16) == 1.0
    runs = metrics._tie_runs(np.array([0.0, 9e-16, 0.5, 2.0, 2.0 + 4e-16, 30.0,
                                       30.0 + 4e-15]), np.full(7, 1e-15))
    assert runs.tolist() == [0, 0, 1, 2, 2, 3, 4]
    # a value's own tolerance, or its run's first's, the larger
    runs = metrics._tie_runs(np.array([1.0, 1.0 + 5e-15, 1.0 + 9e-15]),
                             np.array([1e-14, 1e-15, 1e-15]))
    assert runs.tolist() == [0, 0, 0]
    # a probability of 0 ranks below every other (the log of 0 tied it with the highest)
    zero = np.array([[0.5, 0.0, 0.5], [0.9, 0.05, 0.05], [0.1, 0.1, 0.8]])
    assert metrics.auc_mu(np.array([0, 1, 2]), zero) == 1.0
    with warnings.catch_warnings():  # one class present: NaN, without numpy's warning
        warnings.simplefilter("error")
        assert np.isnan(metrics.auc_mu(np.zeros(5, int), np.full((5, 3), 1 / 3)))
    assert metrics.auc_mu(y, np.full((300, 4), 0.25)) == 0.5
    # a probability of 0 ranks below the others, and the value stays finite
    zeroed = proba.copy()
    zeroed[y == 0, 1] = 0.0
    zeroed /= zeroed.sum(axis=1, keepdims=True)
    assert np.isfinite(metrics.auc_mu(y, zeroed))
    for binary in (proba[:, :2] / proba[:, :2].sum(axis=1, keepdims=True), proba[:, 1]):
        with pytest.raises(ValueError, match="auc_mu is a multiclass metric.*use 'auc'"):
            metrics.auc_mu(y % 2, binary)
    with pytest.raises(ValueError, match="auc_mu is a multiclass metric"):
        metrics.auc_mu(rng.integers(0, 2, (300, 4)), proba)

    lgb = pytest.importorskip("lightgbm")
    X = rng.normal(size=(600, 5))
    yl = rng.integers(0, 4, 600)
    X[:, 0] += 0.7 * yl
    model = lgb.LGBMClassifier(n_estimators=40, metric="auc_mu", verbose=-1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # eval_set's deprecation in 4.7
        model.fit(X[:400], yl[:400], eval_set=[(X[400:], yl[400:])])
    # LightGBM ranks raw scores z_i - z_j: for softmax probabilities that is
    # log p_i - log p_j (here no two rows' differences tie)
    assert metrics.auc_mu(yl[400:], model.predict_proba(X[400:])) == pytest.approx(
        model.evals_result_["valid_0"]["auc_mu"][-1], rel=1e-12)


def _xgboost_metric(name, y, proba, w=None):
    """XGBoost's own metric ``name`` of the given probabilities (their log-odds or logs as
    base_margin under one round that adds nothing)."""
    xgb = pytest.importorskip("xgboost")
    binary = proba.ndim == 1
    margin = np.log(proba) - (np.log1p(-proba) if binary else 0.0)
    data = xgb.DMatrix(np.zeros((len(y), 1)), label=y, weight=w, base_margin=margin)
    params = ({"objective": "binary:logistic", "base_score": 0.5} if binary else
              {"objective": "multi:softprob", "num_class": proba.shape[1]})
    record = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # (its warning on a NaN metric)
        xgb.train({**params, "eta": 0.0, "eval_metric": name}, data, 1,
                  evals=[(data, "v")], evals_result=record, verbose_eval=False)
    return record["v"][name][0]


def test_auc_and_aucpr_are_xgboosts():
    # "aucpr" was scikit-learn's average precision (0.914 where XGBoost's interpolated
    # area was 0.925) and multiclass "auc" the plain mean over classes (XGBoost weighs
    # them by their rows): the estimators recorded other numbers than XGBClassifier
    rng = np.random.default_rng(0)
    y = (rng.uniform(size=300) < 0.2).astype(int)
    p = np.clip(np.round(rng.beta(2, 5, 300) + 0.3 * y, 2), 0.01, 0.99)  # ties
    w = rng.uniform(0.2, 3.0, 300)
    for weight in (None, w):  # (XGBoost sums float32 weights)
        for name, ours in (("aucpr", metrics.aucpr), ("auc", metrics.auc)):
            assert ours(y, p, weight) == pytest.approx(_xgboost_metric(name, y, p, weight),
                                                       rel=1e-8, abs=0)
    assert metrics.aucpr(y, p) != pytest.approx(metrics.pr_auc(y, p), rel=1e-3)
    y = rng.choice(4, 300, p=[0.6, 0.25, 0.1, 0.05])
    proba = rng.dirichlet(np.ones(4), 300)
    proba[np.arange(300), y] += 0.3
    proba /= proba.sum(axis=1, keepdims=True)
    for weight in (None, w):
        for name, ours in (("aucpr", metrics.aucpr), ("auc", metrics.auc)):
            assert ours(y, proba, weight) == pytest.approx(
                _xgboost_metric(name, y, proba, weight), rel=1e-8, abs=0)
    assert metrics.auc(y, proba) != pytest.approx(metrics.roc_auc(y, proba), rel=1e-4)
    # a class without rows (XGBoost's is NaN every round, and early stopping keeps the
    # first): the others', each weighing its rows (auc) or alike (aucpr)
    rows, w0 = y != 3, np.where(y == 3, 0.0, w)
    for name, ours in (("aucpr", metrics.aucpr), ("auc", metrics.auc)):
        assert np.isnan(_xgboost_metric(name, y[rows], proba[rows]))
        per_class = [_xgboost_metric(name, (y[rows] == c).astype(int), proba[rows, c])
                     for c in range(3)]
        shares = np.bincount(y[rows]) if name == "auc" else np.ones(3)
        assert ours(y[rows], proba[rows]) == pytest.approx(
            np.dot(per_class, shares) / shares.sum(), rel=1e-12)
        assert ours(y, proba, w0) == pytest.approx(ours(y[rows], proba[rows], w[rows]),
                                                   rel=1e-12)
    # one class of a binary problem: NaN; a perfect ranking: 1
    assert np.isnan(metrics.aucpr(np.ones(5, int), np.linspace(0.1, 0.9, 5)))
    assert metrics.aucpr(np.array([0, 0, 1, 1]), np.array([0.1, 0.2, 0.8, 0.9])) == 1.0


def test_auc_gives_equal_areas_equal_numbers_and_early_stopping_keeps_xgboosts_round():
    # two rankings of the same area, 163/288: roc_auc_score's normalised curve gave
    # them an ulp apart, and early stopping on "auc" took the later round for progress
    # (best_iteration_ 12 where XGBClassifier keeps 9, probabilities 0.099 apart)
    y = np.array([int(c) for c in "110011111001011001000100"])
    first = np.array([int(c) for c in "332335432440330355102220"]) / 5
    second = np.array([int(c) for c in "142345421250535320000240"]) / 5
    assert metrics.auc(y, first) == metrics.auc(y, second) == 163 / 288
    assert metrics.auc(y, first) == pytest.approx(roc_auc_score(y, first), rel=1e-15)
    xgb = pytest.importorskip("xgboost")
    from sklearn.datasets import make_classification

    from focal_boost import FocalXGBClassifier
    X, y = make_classification(300, 4, n_informative=3, n_redundant=0, flip_y=0.2,
                               random_state=48)
    params = {"n_estimators": 20, "max_depth": 1, "eval_metric": "auc",
              "early_stopping_rounds": 5, "n_jobs": 1}
    fit = {"eval_set": [(X[200:], y[200:])]}
    plain = xgb.XGBClassifier(**params).fit(X[:200], y[:200], verbose=False, **fit)
    ours = FocalXGBClassifier(gamma=0, **params).fit(X[:200], y[:200], **fit)
    assert ours.best_iteration_ == plain.best_iteration == 9
    np.testing.assert_allclose(ours.predict_proba(X), plain.predict_proba(X), atol=1e-6)


def test_binary_auc_of_one_class_is_nan_without_a_warning():
    # (one class among the rows of weight: no pair, and the summed area is 0/0, which warned)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(metrics.auc(np.ones(5, dtype=int), np.linspace(0.1, 0.9, 5)))
        assert np.isnan(metrics.auc(np.array([0, 1, 0, 1]), np.array([.2, .7, .4, .9]),
                                    np.array([0.0, 1, 0, 1])))


def test_multiclass_auc_gives_equal_areas_equal_numbers():
    # class 1's one-vs-rest rankings of the same area, 163/288 (the binary test's): its
    # columns differ, classes 0 and 2 rank alike in both; roc_auc_score's normalised
    # curve gave class 1 an ulp apart, and the weighted mean with it
    y = np.array([int(c) for c in "110011111001011001000100"])
    first = np.array([int(c) for c in "332335432440330355102220"]) / 5e3
    second = np.array([int(c) for c in "142345421250535320000240"]) / 5e3
    labels = np.where(y == 1, 1, np.where(np.arange(24) % 2 == 0, 0, 2))
    a = np.random.default_rng(0).permutation(24) * 0.03  # (steps above class 1's range)
    proba = [np.column_stack([a, p, 1 - a - p]) for p in (first, second)]
    assert metrics.auc(labels, proba[0]) == metrics.auc(labels, proba[1])
    assert metrics.auc(y, first) == metrics.auc(y, second) == 163 / 288


def test_aucpr_where_the_top_threshold_ties_a_positive_and_a_negative():
    # the first step of the curve starts at b = 0 (precision constant, 1/a): its area is
    # delta-recall / a; with positives and negatives tied at the top, a != 1
    y = np.array([1, 0, 1, 0, 1, 0])
    p = np.array([0.9, 0.9, 0.6, 0.5, 0.3, 0.1])
    assert metrics.aucpr(y, p) == pytest.approx(_xgboost_metric("aucpr", y, p), rel=1e-8)


def test_multilabel_auc_is_the_plain_mean_over_labels():
    # metrics.auc is roc_auc for a label matrix (its docstring), not weighted by the
    # labels' positives as multiclass (XGBoost's auc takes no label matrix)
    rng = np.random.default_rng(0)
    Y = (rng.uniform(size=(200, 3)) < [0.5, 0.2, 0.05]).astype(int)
    P = np.clip(0.6 * Y + rng.uniform(0, 0.7, size=(200, 3)), 0.01, 0.99)
    assert metrics.auc(Y, P) == pytest.approx(metrics.roc_auc(Y, P), rel=1e-12)
    assert metrics.auc(Y, P) != pytest.approx(
        np.average([metrics.roc_auc(Y[:, j], P[:, j]) for j in range(3)],
                   weights=Y.sum(axis=0)), rel=1e-6)


def test_near_ties_merge_values_less_than_the_tolerance_above_the_first_of_a_run():
    # "less than 1e-15 above the first of a run": 1e-15 above it is not tied
    runs = metrics._tie_runs(np.array([0.0, 5e-16, 1e-15]), np.full(3, 1e-15))
    assert runs.tolist() == [0, 0, 1]


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(-6, 6), st.sampled_from(
    [1e-15, 3e-15, 1e-14])), min_size=1, max_size=60),
    st.sampled_from([1e-16, 4e-16, 1e-15, 4e-15]))
@settings(max_examples=300, deadline=None)
def test_tie_runs_are_the_runs_walked_value_by_value(cells, step):
    # the clusters taken at once give the runs of the plain walk over the sorted values
    values = np.array([base + k * step for base, k, _ in cells])
    tolerance = np.array([t for _, _, t in cells])
    order = np.argsort(values, kind="stable")
    values, tolerance = values[order], tolerance[order]
    expected, first, tol = [], None, {}
    for v, t in zip(values, tolerance, strict=True):
        tol[v] = max(tol.get(v, 0.0), t)
    for v in values:
        if first is None or (v != first and v - first >= max(tol[first], tol[v])):
            first = v
            expected.append((expected[-1] + 1) if expected else 0)
        else:
            expected.append(expected[-1])
    assert metrics._tie_runs(values, tolerance).tolist() == expected


def _lightgbm_auc_mu(raw_scores, y):
    """LightGBM's own auc_mu of a validation set's raw scores (its init_score, under
    one round of a model that adds nothing)."""
    lgb = pytest.importorskip("lightgbm")
    k = raw_scores.shape[1]
    train = lgb.Dataset(np.arange(3.0 * k)[:, None], np.arange(3 * k) % k,
                        init_score=np.zeros((3 * k, k)))
    valid = lgb.Dataset(np.zeros((len(y), 1)), y, init_score=raw_scores, reference=train)
    record = {}
    lgb.train({"objective": lambda p, d: (np.zeros_like(p), np.ones_like(p)),
               "num_class": k, "metric": "auc_mu", "verbose": -1, "min_data_in_leaf": 1},
              train, 1, valid_sets=[valid], callbacks=[lgb.record_evaluation(record)])
    return record["valid_0"]["auc_mu"][0]


@pytest.mark.parametrize("gap", [0.0, 3e-16, 8e-16, 2e-15, 1e-13])
def test_auc_mu_ties_raw_scores_as_lightgbm_does(gap):
    # two rows' raw-score differences 1e-13 apart (0.5 and 0.5 + 1e-13) were tied here
    # (a relative 1e-12), LightGBM tells them apart: 0.83 against its 1.0
    from scipy.special import softmax

    z = np.array([[0.0, 0.5, 0.0], [0.0, 0.5 + gap, 0.0], [0.0, 0.0, 1.0]])
    y = np.array([0, 1, 2])
    lightgbm = _lightgbm_auc_mu(z, y)
    assert lightgbm == (1.0 if gap > 5e-16 else 5 / 6)  # (its distances are 2 z_i - 2 z_j)
    ours = metrics.auc_mu(y, softmax(z, axis=1))
    # twice LightGBM's tolerance: differences 5e-16 to 1e-15 apart tie here, not there
    assert ours == pytest.approx(5 / 6 if gap == 8e-16 else lightgbm, rel=1e-15)


def test_eval_metrics_names_callables_and_values():
    def recall_like(y_true, y_score, sample_weight=None):
        return float(np.average(y_score, weights=sample_weight))

    def brier_loss(y_true, y_score):  # minimised, takes no weights
        return float(np.mean((y_score - y_true) ** 2))

    found = metrics.eval_metrics(["auc", "aucpr", "multi_logloss", "merror", recall_like,
                                  brier_loss])
    assert [m.name for m in found] == ["auc", "aucpr", "multi_logloss", "merror",
                                       "recall_like", "brier_loss"]
    assert [m.higher_is_better for m in found] == [True, True, False, False, True, False]
    assert found[0].score is metrics.auc and found[1].score is metrics.aucpr
    # every library name in the direction the libraries stop on: the areas up, the rest
    # down (a log-loss spelling maximised kept round 0 in early stopping)
    for name, (_, higher) in metrics.LIBRARY_METRICS.items():
        assert higher == name.startswith(("auc", "average_precision")), name
    assert metrics.eval_metrics(None) == [] and len(metrics.eval_metrics("error")) == 1
    with pytest.raises(ValueError, match=r"eval_metric 'rmse' is not supported: use one of"):
        metrics.eval_metrics("rmse")

    rng = np.random.default_rng(5)
    loss = FocalLoss(2.0)
    y = rng.integers(0, 2, size=100).astype(float)  # labels as the libraries hand them
    margin, w = rng.normal(size=100), rng.uniform(size=100)
    values = metrics.metric_values(loss, found[:2] + found[4:5], y, margin, w)
    proba = loss.predict_proba(margin)
    assert values[0] == (metrics.METRIC_NAME, metrics.focal_metric(loss, y, margin, w), False)
    assert values[1][1] == pytest.approx(roc_auc_score(y, proba, sample_weight=w))
    assert values[3][1] == pytest.approx(np.average(proba, weights=w))  # weights passed
    unweighted = metrics.metric_values(loss, found[5:], y, margin)
    assert unweighted[1][1] == pytest.approx(np.mean((proba - y) ** 2))
    # weighted rows: a callable of **kwargs takes them as sample_weight= (as XGBClassifier
    # passes them); one that takes no weights scores them unweighted (as LGBMClassifier
    # scores it; the estimators' fit warns of it)

    def kw_average(y_true, y_score, **kwargs):
        return float(np.average(y_score, weights=kwargs.get("sample_weight")))

    (found_kw,) = metrics.eval_metrics([kw_average])
    assert metrics.metric_values(loss, [found_kw], y, margin, w)[1][1] == pytest.approx(
        np.average(proba, weights=w))
    assert [m.takes_weight for m in found] == [True] * 5 + [False] and found_kw.takes_weight
    weighted = metrics.metric_values(loss, found[5:], y, margin, w)
    assert weighted[1][1] == pytest.approx(np.mean((proba - y) ** 2))
    one_class = metrics.metric_values(loss, found[:1], np.zeros(5), margin[:5])
    assert np.isnan(one_class[1][1])  # AUC of one class: NaN, not an error

    def failing_auc(y_true, y_score):
        raise ValueError("one class")

    # a metric that raises raises (as in the plain classifiers), it is not NaN
    with pytest.raises(ValueError, match="one class"):
        metrics.metric_values(loss, [metrics.callable_metric(failing_auc)], y, margin)

    # a functools.partial is named by its function (it was "partial", minimised: early
    # stopping on a weighted AUC kept the worst round)
    import functools

    weighted = functools.partial(functools.partial(roc_auc_score, multi_class="ovr"),
                                 average="weighted")
    (found,) = metrics.eval_metrics([weighted])
    assert (found.name, found.higher_is_better) == ("roc_auc_score", True)
    # this module's own rankings (and scikit-learn's matthews_corrcoef) are maximised:
    # they were minimised, and early stopping kept the worst round
    from sklearn.metrics import matthews_corrcoef

    found = metrics.eval_metrics([metrics.roc_auc, metrics.pr_auc, matthews_corrcoef,
                                  metrics.log_loss, metrics.brier, metrics.ece])
    assert [m.higher_is_better for m in found] == [True, True, True, False, False, False]


def test_estimators_and_dask_use_the_module():
    estimators = pytest.importorskip("focal_boost.estimators")
    assert estimators.METRIC_NAME == metrics.METRIC_NAME
    assert estimators.eval_metrics is metrics.eval_metrics
    assert estimators.metric_values is metrics.metric_values
    dask = pytest.importorskip("focal_boost.dask")
    assert dask.eval_metrics is metrics.eval_metrics
    assert not hasattr(dask, "METRIC_NAME")  # its early stopping asks the estimators


def test_every_front_end_refuses_the_focal_loss_by_name_as_recorded_anyway():
    # the native trains said "under a custom objective LightGBM computes its metrics on
    # raw scores" of a name neither library has (the focal loss, which they record every
    # round); the estimators said it was recorded: one message, naming where
    xgb = pytest.importorskip("xgboost")
    lgb = pytest.importorskip("lightgbm")
    from focal_boost import FocalLGBMClassifier, FocalXGBClassifier, focal_loss
    from focal_boost import lightgbm as flgb
    from focal_boost import xgboost as fxgb

    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 4))
    y = (X[:, 0] + rng.normal(size=200) > 0).astype(int)
    said = "'focal_loss': the focal loss is recorded every round without it "
    cases = [
        (lambda: fxgb.train({"eval_metric": ["auc", "focal_loss"]},
                            xgb.DMatrix(X, label=y), focal_loss(2.0), 2),
         r"params\['eval_metric'\] " + said + r"\(evals_result\[set\]\['focal_loss'\], "
         "custom_metric's default\\); leave it out$"),
        (lambda: flgb.train({"verbose": -1, "metrics": ["auc", "focal_loss"]},
                            lgb.Dataset(X, y), focal_loss(2.0), 2),
         r"params\['metric'\] " + said + r"\(lgb.record_evaluation's \[set\]"),
        (lambda: FocalXGBClassifier(eval_metric="focal_loss").fit(X, y),
         "^eval_metric " + said + r"\(evals_result_\[set\]"),
        (lambda: FocalLGBMClassifier().fit(X, y, eval_metric="focal_loss"),
         "^eval_metric " + said + r"\(evals_result_\[set\]"),
    ]
    for fit, message in cases:
        with pytest.raises(ValueError, match=message):
            fit()


def test_layering_metrics_imports_no_adapter():
    tree = ast.parse((ROOT / "focal_boost" / "metrics.py").read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {a.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for a in node.names}
    assert {m for m in imported if m and m.startswith("focal_boost")} <= {
        "focal_boost._loss", "focal_boost._posterior", "focal_boost._validation"}
    code = ("import sys, focal_boost.metrics\n"
            "print(sorted(m for m in sys.modules if m.startswith(('focal_boost.', 'xgboost',"
            " 'lightgbm', 'sklearn'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert "focal_boost.metrics" in out
    for module in ("xgboost", "lightgbm", "sklearn", "focal_boost.estimators",
                   "focal_boost.cli", "focal_boost.dask"):
        assert f"'{module}" not in out, out


# ------------------------------------------------------------------ command line
def _cli_results(binary: bool, seed: int = 6):
    """A task and out-of-fold results as cross_validate makes them, without fitting."""
    pd = pytest.importorskip("pandas")
    from focal_boost import cli

    rng = np.random.default_rng(seed)
    n, k = 240, 2 if binary else 3
    labels = rng.choice(["a", "b", "c"][:k], size=n, p=[0.8, 0.2] if binary else None)
    X = pd.DataFrame({"x": rng.normal(size=n)})
    task = cli.make_task(X, labels, "synthetic", folds=3)
    folds = np.arange(n) % 3
    results = []
    for library in ("xgboost", "lightgbm"):
        for model in ("log-loss", "focal"):
            r = cli.Result(library, model, 2.0, "none")
            r.oof = rng.dirichlet(np.ones(k), size=n)
            r.oof[np.arange(n), task.y_index] += rng.uniform(0, 1, size=n)
            r.oof /= r.oof.sum(axis=1, keepdims=True)
            for f in range(3):
                test = folds == f
                r.scores.append(cli.scores(task.y_index[test], r.oof[test], task.positive))
            r.fit_seconds, r.rounds = [0.1] * 3, [10] * 3
            results.append(r)
    return task, results


@pytest.mark.parametrize("binary", [True, False])
def test_cli_plot_legends_carry_the_table_numbers(binary):
    pytest.importorskip("pandas")
    from focal_boost import cli

    task, results = _cli_results(binary)
    table = cli.format_table(results).splitlines()[2:]
    series = cli.plot_series(task, results, ("xgboost", "lightgbm"))
    for library in ("xgboost", "lightgbm"):
        rows = [(r, line) for r, line in zip(results, table, strict=True)
                if r.library == library]
        for (r, line), (_, _, pr_label), (_, _, ece_label) in zip(
                rows, series[library]["pr"], series[library]["reliability"], strict=True):
            pr = re.search(r"PR-AUC (\d\.\d+)", pr_label).group(1)
            ece = re.search(r"ECE (\d\.\d+)", ece_label).group(1)
            # the table's cells (mean ± std over folds) start with the legend's numbers
            assert f" {pr} ± " in line and f" {ece} ± " in line, (line, pr_label, ece_label)
            summary = r.summary()
            assert float(pr) == pytest.approx(summary["pr_auc_mean"], abs=5e-4)
            assert float(ece) == pytest.approx(summary["ece_mean"], abs=5e-5)
            # and they are the module's metrics, averaged over the folds
            folds = np.arange(len(task.y)) % 3
            per_fold = [metrics.ece(*_fold(task, r, folds == f)) for f in range(3)]
            assert summary["ece_mean"] == pytest.approx(np.mean(per_fold), rel=1e-12)


def _fold(task, result, rows):
    if task.positive is not None:
        return (task.y_index[rows] == task.positive).astype(int), \
            result.oof[rows, task.positive]
    return task.y_index[rows], result.oof[rows]


def test_cli_report_states_the_definitions():
    pytest.importorskip("pandas")
    from focal_boost import cli

    args = SimpleNamespace(folds=3, seed=0, n_estimators=25, gamma=2.0)
    for binary, expected in [(True, "ECE: 15 equal-width bins"),
                             (False, "ECE class-wise (mean over classes")]:
        task, results = _cli_results(binary)
        report = cli.format_report(task, results, args)
        assert expected in report
        assert "learning rate 0.1" in report  # (args without --param: the command's rate)


# ------------------------------------------------------------------ quality benchmark
def test_quality_benchmark_scores_with_the_module():
    pytest.importorskip("pandas")
    spec = importlib.util.spec_from_file_location("quality", ROOT / "benchmarks" / "quality.py")
    quality = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(quality)
    except ImportError as exc:  # the benchmark's own extras
        pytest.skip(f"benchmarks/quality.py needs {exc.name}")
    assert quality.metrics is metrics
    assert not hasattr(quality, "ece")  # no definition of its own
    y, p, _ = _binary()
    out = quality.scores(y, np.column_stack([1 - p, p]), 2)
    expected = metrics.scores(y, p)
    expected["logloss"] = expected.pop("log_loss")
    assert out == pytest.approx(expected, rel=1e-12)
    y, proba, _ = _multiclass()
    out = quality.scores(y, proba, 3, ranking=False)
    assert out == pytest.approx({"brier": metrics.brier(y, proba), "ece": metrics.ece(y, proba),
                                 "logloss": metrics.log_loss(y, proba)}, rel=1e-12)


ALL_METRICS = ["pr_auc", "roc_auc", "log_loss", "brier", "ece", "error"]
_P5 = [0.1, 0.8, 0.3, 0.6, 0.4]


@pytest.mark.parametrize("name", ALL_METRICS)
@pytest.mark.parametrize(("y_true", "proba", "weight", "needle"), [
    ([0, 1], [0.2, 1.5], None, "in \\[0, 1\\]"),
    ([0, 1], [-0.5, 0.5], None, "in \\[0, 1\\]"),
    ([0, 1], [np.nan, 0.5], None, "must be finite"),
    ([0.5, 1], [0.2, 0.6], None, "class indices 0 to 1"),
    ([1, 2, 1, 2, 2], _P5, None, "class indices 0 to 1"),  # pr_auc scored label 1, roc 2
    ([0, 3], [[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]], None, "class indices 0 to 2"),
    ([0, 1.5], [[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]], None, "class indices 0 to 2"),
    ([1], _P5, None, "y_true has 1 rows and proba 5"),  # was broadcast: brier 0.372
    ([0, 1, 0, 1, 1], [0.3], None, "y_true has 5 rows and proba 1"),
    ([0, 1, 0, 1, 1], _P5, np.ones(4), r"sample_weight must have shape \(5,\)"),
    ([0, 1, 0, 1, 1], _P5, [1, np.nan, 1, 1, 1], r"sample_weight has 1 weight\(s\) that are "
                                                 "negative or not finite"),
    ([0, 1], [[0.9, 0.9], [0.2, 0.8]], None, "rows must sum to 1"),
    ([[0, 1], [1, 0]], _P5[:2], None, "does not fit proba of shape"),
])
def test_probability_metrics_refuse_what_scikit_learn_refuses(name, y_true, proba, weight,
                                                              needle):
    # scikit-learn's metrics refuse the same inputs; ours gave numbers for some (0.145
    # for a probability of 1.5, lengths broadcast, labels 1/2 scored with different
    # positive classes by pr_auc and roc_auc)
    if name in ("pr_auc", "roc_auc") and needle.startswith("in "):
        return  # rankings take scores on any scale (below)
    with pytest.raises(ValueError, match=needle):
        getattr(metrics, name)(y_true, proba, weight)


def test_weights_as_a_column():
    # scikit-learn takes a column (n, 1) of weights; ours refused it
    y, p, w = np.array([0, 1, 0, 1, 1]), np.array(_P5), np.array([1.0, 2.0, 1.0, 0.5, 3.0])
    for name in ALL_METRICS:
        metric = getattr(metrics, name)
        assert metric(y, p, w[:, None]) == metric(y, p, w)


def test_rankings_take_binary_and_multi_label_scores_on_any_scale():
    # as scikit-learn's: margins rank as probabilities do (ours refused them, and the
    # package's own benchmarks that pass margins stopped with a traceback)
    from sklearn.metrics import average_precision_score, roc_auc_score

    rng = np.random.default_rng(3)
    y, z = rng.integers(0, 2, 300), rng.normal(scale=4, size=300)
    labels, scores = rng.integers(0, 2, (300, 3)), rng.normal(scale=4, size=(300, 3))
    for ours, theirs in ((metrics.roc_auc, roc_auc_score),
                         (metrics.pr_auc, average_precision_score)):
        assert ours(y, z + y) == pytest.approx(theirs(y, z + y), rel=1e-12)
        assert ours(y, z + y) == ours(y, 1 / (1 + np.exp(-(z + y))))
        assert ours(labels, scores + labels) == pytest.approx(
            theirs(labels, scores + labels), rel=1e-12)
        with pytest.raises(ValueError, match="in \\[0, 1\\]"):  # multiclass: probabilities
            ours(rng.integers(0, 3, 300), scores)


@pytest.mark.parametrize("name", ALL_METRICS)
def test_metrics_take_labels_as_scikit_learn_does(name):
    y, p = np.array([0, 1, 0, 1, 1]), np.array(_P5)
    metric = getattr(metrics, name)
    assert metric(y[:, None], p) == metric(y, p)  # a column, as scikit-learn takes it
    # a probability column is P(class 1), as scikit-learn's log_loss takes it (the error
    # said the labels must be class indices 0 to 0)
    assert metric(y, p[:, None]) == metric(y, p)
    with pytest.raises(TypeError, match="class indices.*encode labels first"):
        metric(np.array(["n", "y", "n", "y", "y"]), p)
    # nothing to average: NaN everywhere, as the focal metric and the libraries report it
    assert np.isnan(metric(y, p, np.zeros(5))) and np.isnan(metric([], []))


def test_a_label_matrix_of_other_values_is_named_as_one():
    # a 2-D y_true of 0.5 was refused as "class indices 0 to 1"
    with pytest.raises(ValueError, match=r"a label matrix must hold only 0 and 1, got \[0.5"):
        metrics.pr_auc(np.full((3, 2), 0.5), np.zeros((3, 2)))
    with pytest.raises(ValueError, match="class indices 0 to 1"):
        metrics.pr_auc(np.full(3, 0.5), np.zeros(3))


def test_edge_arguments_of_the_metric_helpers():
    # a column y scored multiclass rows as margins (refused for 1-D y); scores(names="ece")
    # split the name into letters; fold_mean_std([]) gave (nan, 0.0) with numpy's warnings
    y = np.array([0, 1, 1, 0, 1])
    s = np.array([-2.0, 1.0, 0.5, -1.0, 3.0])
    P = np.column_stack([1 - s, s])
    for metric in (metrics.roc_auc, metrics.pr_auc):
        for labels in (y, y[:, None]):
            with pytest.raises(ValueError, match=r"probabilities in \[0, 1\]"):
                metric(labels, P)
    assert metrics.scores([0, 1], [0.2, 0.7], names="ece") == {
        "ece": metrics.scores([0, 1], [0.2, 0.7], names=["ece"])["ece"]}
    with pytest.raises(ValueError, match="values is empty"):
        metrics.fold_mean_std([])


# Edges of the inputs: empty and negative weights, rows off one, bins, names ---
_Y5 = np.array([0, 1, 0, 1, 1])
_P5 = np.array([0.1, 0.8, 0.3, 0.6, 0.4])


# m01 (_weights: an empty weight array counts as None) -> tests/test_metrics.py
def test_an_empty_weight_array_counts_as_none():
    # XGBoost's DMatrix.get_weight() and LightGBM's Dataset.get_weight() hand back an empty
    # array for an unweighted set; metric_values documents that it counts as None
    for name in ("pr_auc", "roc_auc", "log_loss", "brier", "ece", "error"):
        metric = getattr(metrics, name)
        assert metric(_Y5, _P5, np.array([])) == metric(_Y5, _P5), name
    loss = FocalLoss(2.0)
    margin = np.array([-2.0, 1.0, -0.5, 0.3, 0.1])
    empty = metrics.metric_values(loss, metrics.eval_metrics(["logloss"]), _Y5.astype(float),
                                  margin, np.array([]))
    assert empty == metrics.metric_values(loss, metrics.eval_metrics(["logloss"]),
                                          _Y5.astype(float), margin)


# m09 (_ROW_SUM_TOL 1e-4 loosened) -> tests/test_metrics.py
@pytest.mark.parametrize("name", ["log_loss", "brier", "ece", "error", "auc_mu"])
def test_rows_a_thousandth_off_one_are_not_probabilities(name):
    P = np.array([[0.2, 0.3, 0.501], [0.6, 0.2, 0.2], [0.1, 0.1, 0.8]])  # row 0 sums 1.001
    with pytest.raises(ValueError, match="rows must sum to 1"):
        getattr(metrics, name)([0, 1, 2], P)
    P[0, 2] = 0.50005  # within 1e-4: float32 softmax rows of many classes pass
    getattr(metrics, name)([0, 1, 2], P)


# m13 (_checked_weights: negative weights let through) -> tests/test_metrics.py
@pytest.mark.parametrize("name", ["pr_auc", "roc_auc", "auc", "aucpr", "log_loss", "brier",
                                  "ece", "error"])
def test_negative_weights_are_refused(name):
    with pytest.raises(ValueError, match=r"^sample_weight has 1 weight\(s\) that are "
                                         r"negative or not finite \(rows 1, e\.g\. -0\.5\)"):
        getattr(metrics, name)(_Y5, _P5, [1.0, -0.5, 1.0, 1.0, 1.0])
    loss = FocalLoss(2.0)
    with pytest.raises(ValueError, match="negative or not finite"):
        metrics.focal_metric(loss, _Y5, np.zeros(5), [1.0, -0.5, 1.0, 1.0, 1.0])


# m22 (focal_metric drops n_threads) -> tests/test_metrics.py
def test_focal_metric_passes_n_threads_to_the_loss():
    seen = []

    class Recording(FocalLoss):
        def loss(self, y_true, y_pred, *args, n_threads=None, **kwargs):
            seen.append(n_threads)
            return super().loss(y_true, y_pred, *args, n_threads=n_threads, **kwargs)

    metrics.focal_metric(Recording(2.0), _Y5, np.zeros(5), n_threads=3)
    metrics.metric_values(Recording(2.0), [], _Y5, np.zeros(5), n_threads=2)
    assert seen == [3, 2]


# m48 (binary log-loss without labels=[0, 1]) -> tests/test_metrics.py
def test_binary_log_loss_of_one_class_present():
    from sklearn.metrics import log_loss

    # an eval set of one class (early stopping on a small, imbalanced split)
    y, p = np.zeros(4), np.array([0.1, 0.2, 0.3, 0.4])
    assert metrics.log_loss(y, p) == pytest.approx(log_loss(y, p, labels=[0, 1]))
    assert metrics.log_loss(np.ones((4, 2)), np.full((4, 2), 0.9)) == pytest.approx(
        -np.log(0.9))


# m58 (_binary_ece: total <= 0 -> total < 0) -> tests/test_metrics.py
def test_ece_without_weight_is_nan_without_a_warning():
    y, p = np.array([0, 1, 1]), np.array([0.2, 0.7, 0.9])
    P = np.array([[0.5, 0.3, 0.2], [0.1, 0.6, 0.3], [0.2, 0.2, 0.6]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # 0/0 in the ratio warned (invalid value)
        assert np.isnan(metrics.ece(y, p, np.zeros(3)))
        assert np.isnan(metrics.ece([0, 1, 2], P, np.zeros(3)))
        assert np.isnan(metrics.ece([], []))


# m60 (ece ignores n_bins for multiclass and multi-label) -> tests/test_metrics.py
def test_ece_n_bins_reaches_every_class_and_label():
    rng = np.random.default_rng(7)
    y = rng.integers(0, 3, 200)
    P = rng.dirichlet(np.ones(3), 200)
    onehot = np.eye(3)[y]
    for n_bins in (1, 4, 15):
        expected = np.mean([metrics.ece(onehot[:, c], P[:, c], n_bins=n_bins)
                            for c in range(3)])
        assert metrics.ece(y, P, n_bins=n_bins) == pytest.approx(expected, rel=1e-12)
        assert metrics.ece(onehot.astype(int), P, n_bins=n_bins) == pytest.approx(
            expected, rel=1e-12)
    assert metrics.ece(y, P, n_bins=1) != metrics.ece(y, P)


# m76 (callable_metric: the '_score' suffix rule dropped) -> tests/test_metrics.py
def test_a_callable_named_score_is_maximised():
    from sklearn.metrics import balanced_accuracy_score, jaccard_score

    def custom_gain_score(y_true, y_score):
        return 1.0

    found = metrics.eval_metrics([balanced_accuracy_score, jaccard_score, custom_gain_score])
    assert [m.higher_is_better for m in found] == [True, True, True]


def test_a_callable_is_judged_by_its_name_in_any_case():
    # a function named AUC or F1_Score was minimised: early stopping went the wrong way;
    # My_SCORE ends in "_score" in another case (no score's prefix starts it)
    def named(name):
        def metric(y_true, y_score):
            return 1.0
        metric.__name__ = name
        return metric

    found = metrics.eval_metrics([named(name) for name in (
        "AUC", "F1_Score", "Balanced_Accuracy_Score", "My_SCORE", "Brier")])
    assert [m.higher_is_better for m in found] == [True, True, True, True, False]


# m80 (eval_metrics lets 'auc_mu' through for a binary / multi-label model) -> tests/test_metrics.py
def test_eval_metrics_refuses_auc_mu_only_where_the_model_is_not_multiclass():
    with pytest.raises(ValueError, match="'auc_mu' is LightGBM's multiclass AUC-mu"):
        metrics.eval_metrics("auc_mu", multiclass=False)
    with pytest.raises(ValueError, match="metric 'auc_mu' is LightGBM's multiclass"):
        metrics.eval_metrics(["auc", "auc_mu"], parameter="metric", multiclass=False)
    for multiclass in (True, None):
        (found,) = metrics.eval_metrics("auc_mu", multiclass=multiclass)
        assert found.score is metrics.auc_mu and found.higher_is_better


@pytest.mark.parametrize("scale", [2.0**-700, 1e-200, 1e160, 2.0**600])
def test_auc_of_weights_on_any_scale(scale):
    # the product of two classes' total weights overflowed (1e160 each) or underflowed
    # (1e-200) into NaN, where roc_auc and scikit-learn take them
    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, 300)
    p = np.clip(0.3 * y + rng.uniform(0, 0.7, 300), 0, 1)
    w = rng.uniform(0.1, 3, 300)
    y3, P3, _ = _multiclass(300)
    Y, P, _ = _multilabel(300)
    for score, args in [(metrics.auc, (y, p)), (metrics.auc, (y3, P3)), (metrics.auc, (Y, P)),
                        (metrics.auc_mu, (y3, P3))]:
        expected = score(*args, w)
        assert 0.5 < expected < 1
        assert score(*args, w * scale) == pytest.approx(expected, rel=1e-12)
    assert metrics.auc(y, p, w * scale) == pytest.approx(roc_auc_score(y, p, sample_weight=w),
                                                         rel=1e-12)


# ---------------------------------------------- found unpinned by mutation testing
# auc_mu: the tie rule's rounding term, the per-pair running weights, float64 logs.
def _auc_mu_row_by_row(y, proba, w=None):
    """AUC-mu from its definition, pair by pair and row by row (exact ties only):
    the mean over pairs i < j of the classes present of
    sum_{a in i, b in j} w_a w_b ([s_a > s_b] + [s_a = s_b] / 2) / (W_i W_j),
    s = log p_i - log p_j."""
    w = np.ones(len(y)) if w is None else np.asarray(w, dtype=float)
    log_p = np.log(proba.astype(np.float64))
    present = [c for c in range(proba.shape[1]) if w[y == c].sum() > 0]
    values = []
    for a, i in enumerate(present):
        for j in present[a + 1:]:
            s = log_p[:, i] - log_p[:, j]
            si, sj = s[y == i], s[y == j]
            wi, wj = w[y == i], w[y == j]
            wins = (si[:, None] > sj[None, :]) + 0.5 * (si[:, None] == sj[None, :])
            values.append((wi[:, None] * wj[None, :] * wins).sum() / (wi.sum() * wj.sum()))
    return float(np.mean(values))


def test_auc_mu_ties_the_rounding_of_the_more_negative_log():
    # classes 0 and 1 share raw scores on every row (LightGBM ties the whole pair);
    # class 1's log p is near -19 to -50: the rounding of the logs of the class of
    # the larger |log p| (2 eps of it) ties the differences as LightGBM does
    from scipy.special import softmax

    rng = np.random.default_rng(4)
    y = np.tile([0, 1, 2, 3], 10)
    z = np.column_stack([np.full(40, rng.uniform(-1, 1)), np.full(40, rng.uniform(-40, 1)),
                         rng.normal(20, 8, 40), rng.normal(20, 8, 40)])
    lightgbm = _lightgbm_auc_mu(z, y)
    assert lightgbm == pytest.approx(0.5033333333333333, rel=1e-12)
    assert metrics.auc_mu(y, softmax(z, axis=1)) == pytest.approx(lightgbm, rel=1e-12)


def test_auc_mu_of_one_heavy_class_keeps_every_pair_exact():
    # the negatives' running weight is brought back to 0 at each pair: a class of
    # weight 1e8 a row leaves no rounding in the pairs after its own
    rng = np.random.default_rng(0)
    y = np.arange(200) % 4
    z = rng.normal(size=(200, 4)) + np.eye(4)[y]
    proba = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    w = np.where(y == 1, 1e8, rng.uniform(0.5, 2, 200))
    assert metrics.auc_mu(y, proba, w) == pytest.approx(
        _auc_mu_row_by_row(y, proba, w), rel=1e-13)


def test_auc_mu_ranks_tiny_probabilities_by_their_float64_logs():
    # float32 probabilities (XGBoost's) one float32 step apart at 1e-30: their float64
    # logs differ by 1.2e-7, far beyond the tie tolerance (float32 logs tie them), and
    # a probability of 1e-305 still ranks above one of 0 (the floor is the smallest
    # normal float64, not some larger cut-off)
    lo = np.float32(1e-30)
    hi = np.nextafter(lo, np.float32(1))
    y = np.array([0, 1, 2, 0, 1, 2])
    proba = np.array([[hi, 0.5, 0.5], [lo, 0.5, 0.5], [0.1, 0.1, 0.8], [0.6, 0.2, 0.2],
                      [0.2, 0.6, 0.2], [0.2, 0.2, 0.6]], dtype=np.float32)
    expected = _auc_mu_row_by_row(y, proba)
    assert expected == 0.75  # (0.7083 with the two rows tied)
    assert metrics.auc_mu(y, proba) == expected
    floor = np.array([[1e-305, 0.5, 0.5], [0.0, 0.5, 0.5], [0.1, 0.1, 0.8],
                      [0.6, 0.2, 0.2], [0.2, 0.6, 0.2], [0.2, 0.2, 0.6]])
    with np.errstate(divide="ignore"):
        expected = _auc_mu_row_by_row(y, floor)
    assert expected == 0.75
    assert metrics.auc_mu(y, floor) == expected


def test_auc_of_classes_weighed_on_scales_far_apart():
    # each class's weights scaled on their own: classes of 1e300 and 1e-300 a row gave
    # NaN (binary) or dropped a class (auc_mu: 1.0 for 0.9167), where an AUC does not
    # depend on either class's scale
    got = metrics.auc([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9], [1e300, 1e300, 1e-300, 1e-300])
    assert got == roc_auc_score([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9]) == 0.75
    y, P, _ = _multiclass(300)
    by_class = np.array([1e-300, 1.0, 1e300])[y]  # one weight a class: the unweighted AUC
    assert metrics.auc_mu(y, P, by_class) == pytest.approx(metrics.auc_mu(y, P), rel=1e-12)


# ---------------------------------------------------------------------------
# Behaviour found unpinned by mutation testing of metrics.py (each test fails on the
# changed code it was written against)
from sklearn import metrics as skm  # noqa: E402

_Y6 = np.array([0, 1, 1, 0, 1, 0])
_P6 = np.array([0.1, 0.8, 0.35, 0.4, 0.9, 0.2])


def test_integer_probabilities_are_taken_as_floats_as_scikit_learn_takes_them():
    # 0/1 predictions given as ints: log-loss clips them by float64's epsilon
    y, p = np.array([0, 1, 1, 0]), np.array([0, 1, 0, 0])
    assert metrics.log_loss(y, p) == pytest.approx(skm.log_loss(y, p), rel=1e-12)
    two = np.column_stack([1 - p, p])
    assert metrics.log_loss(y, two) == pytest.approx(skm.log_loss(y, p), rel=1e-12)


def test_boolean_labels_are_class_indices_as_in_scikit_learn():
    y = _Y6.astype(bool)
    assert metrics.roc_auc(y, _P6) == pytest.approx(skm.roc_auc_score(y, _P6))
    assert metrics.log_loss(y, _P6) == pytest.approx(skm.log_loss(y, _P6))
    assert metrics.brier(y, _P6) == pytest.approx(skm.brier_score_loss(y, _P6))


@pytest.mark.parametrize("name", ["log_loss", "brier", "ece", "error", "roc_auc", "aucpr"])
def test_negative_labels_are_refused_by_name(name):
    with pytest.raises(ValueError, match=r"^y_true must hold class indices 0 to 1, got \[-1\]$"):
        getattr(metrics, name)([0, -1, 1], [0.2, 0.3, 0.9])
    # (multiclass: -1 would index the last class's column)
    with pytest.raises(ValueError, match=r"^y_true must hold class indices 0 to 2, got \[-1\]$"):
        getattr(metrics, name)([0, -1, 2], np.full((3, 3), 1 / 3))


def test_focal_metric_of_no_rows_is_nan_for_the_libraries_empty_margins():
    # XGBoost and LightGBM hand margins of shape (0,) for every model, multi-label too
    from focal_boost import FocalLoss

    loss = FocalLoss()
    assert np.isnan(metrics.focal_metric(loss, np.zeros((0, 2)), np.zeros(0)))
    values = metrics.metric_values(loss, metrics.eval_metrics(["auc"]), np.zeros((0, 2)),
                                   np.zeros(0))
    assert [name for name, _, _ in values] == ["focal_loss", "auc"]
    assert all(np.isnan(value) for _, value, _ in values)
    # a callable that raises on no rows (scikit-learn's) is NaN there too
    scored = metrics.metric_scores(loss, metrics.eval_metrics([skm.average_precision_score]),
                                   np.zeros(0), np.zeros(0))
    assert len(scored) == 1 and np.isnan(scored[0][1])


def test_row_sum_tolerance_is_that_of_the_probabilities_dtype():
    # 1e-4, or sqrt(eps) of a coarser dtype (float32: 3.5e-4), as the README says
    y = [2, 1, 0]
    rows = np.array([[0.3, 0.3, 0.4002], [0.2, 0.5, 0.3], [0.1, 0.1, 0.8]])
    with pytest.raises(ValueError, match="proba rows must sum to 1"):
        metrics.log_loss(y, rows)
    assert metrics.log_loss(y, rows.astype(np.float32)) == pytest.approx(
        skm.log_loss(y, rows.astype(np.float32) / rows.astype(np.float32).sum(axis=1,
                                                                                keepdims=True)),
        rel=1e-6)
    rows[0, 2] = 0.401
    with pytest.raises(ValueError, match="proba rows must sum to 1"):
        metrics.log_loss(y, rows.astype(np.float32))


def test_arguments_that_are_not_what_they_name_are_refused_by_name():
    # focal_metric(None, ...): "'NoneType' object has no attribute 'loss'"; a weight "a":
    # numpy's "could not convert string to float" naming none; callable_metric(5) was
    # accepted and failed later inside fit with the EvalMetric's repr
    y, p = np.array([0, 1, 1, 0]), np.array([0.2, 0.7, 0.6, 0.4])
    with pytest.raises(TypeError, match="^loss must be a FocalLoss"):
        metrics.focal_metric(None, y, p)
    with pytest.raises(ValueError, match="^sample_weight must hold numbers"):
        metrics.roc_auc(y, p, ["a"] * 4)
    with pytest.raises(TypeError, match="^func must be a callable f"):
        metrics.callable_metric(5)


def test_error_refuses_a_threshold_for_multiclass_probabilities():
    y = np.array([0, 1, 2, 1])
    proba = np.array([[0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.1, 0.1, 0.8], [0.5, 0.4, 0.1]])
    assert metrics.error(y, proba) == 0.25 == metrics.error(y, proba, threshold=0.5)
    for t in (0.7, 0.3):
        with pytest.raises(ValueError, match=rf"^threshold={t:g} is for binary or multi-label "
                                             r"probabilities; these are of 3 classes$"):
            metrics.error(y, proba, threshold=t)


def test_error_at_t_reads_the_threshold_as_a_float32():
    # as XGBoost reads 'error@0.7': a probability between float32(0.7) and 0.7 is above it
    (score,) = metrics.eval_metrics("error@0.7", multiclass=False)
    t32 = float(np.float32(0.7))
    assert t32 < 0.7
    between = (t32 + 0.7) / 2
    y = np.array([0, 0, 1])
    assert score.name == "error@0.7" and score.higher_is_better is False
    assert score.score(y, np.array([between, t32, 0.9]), None) == pytest.approx(1 / 3)


def test_library_metric_name_names_error_at_t_as_xgboost_does():
    # XGBoost's names: t as a float32 to 6 significant digits, "error" at 0.5
    assert [metrics.library_metric_name(name) for name in (
        "error@0.7", "error@.70", "error@7e-1", "error@0.5000", "error@0.123456789", "auc",
        "error@x", len)] == ["error@0.7", "error@0.7", "error@0.7", "error", "error@0.123457",
                             "auc", "error@x", len]


def test_library_metric_name_is_public():
    # (named in metrics.__all__, as the other helpers a caller maps names with)
    assert "library_metric_name" in metrics.__all__
    namespace: dict = {}
    exec("from focal_boost.metrics import *", namespace)  # noqa: S102
    assert namespace["library_metric_name"]("error@.70") == "error@0.7"


def _weighted_scorer(name):
    """300 rows of labels, probabilities and weights in [0.2, 1), and the metric
    ``name`` ("focal": the focal loss of the probabilities' margins) as a function of
    the weights."""
    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, 300)
    proba = np.clip(0.5 + 0.3 * (y - 0.5) + rng.normal(0, 0.2, 300), 0.01, 0.99)
    w = rng.uniform(0.2, 1.0, 300)
    if name == "focal":
        def score(weight):
            return metrics.focal_metric(FocalLoss(2.0), y, np.log(proba / (1 - proba)), weight)
    else:
        def score(weight):
            return getattr(metrics, name)(y, proba, weight)
    return w, score


@pytest.mark.parametrize("scale", [1e308, 1e-320, 3.0])
@pytest.mark.parametrize("name", [*ALL_METRICS, "auc", "aucpr", "focal"])
def test_metrics_do_not_change_with_the_scale_of_the_weights(name, scale):
    # every metric is a ratio of weighted sums: weights of 1e308 summed to inf (a
    # log-loss of 0.0, which reads as perfect; NaN for roc_auc), subnormal ones lost bits
    w, score = _weighted_scorer(name)
    expected = score(w)
    assert np.isfinite(expected) and expected > 0
    assert score(w * scale) == pytest.approx(expected, rel=1e-12 if scale > 1e-300 else 1e-3)


@pytest.mark.parametrize("name", [*ALL_METRICS, "auc", "aucpr", "focal"])
def test_subnormal_weights_score_as_the_same_weights_scaled_up(name):
    # weights of 1e-320 are subnormal: a power-of-two scale of them is exact, and the
    # metric scales them up before weighing (their products with the rows' values
    # lost bits: a log-loss 2e-5 off, an ECE 1e-4 off)
    w, score = _weighted_scorer(name)
    w = w * 1e-320
    assert score(w) == pytest.approx(score(w * 2.0**1000), rel=1e-12, abs=0)
