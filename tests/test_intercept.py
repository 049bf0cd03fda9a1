"""focal_boost._intercept.intercept: the one intercept rule of the adapters."""

import numpy as np
import pytest

from focal_boost import focal_loss
from focal_boost._intercept import intercept

RNG = np.random.default_rng(3)
N = 400
W = RNG.random(N) + 0.1
Y2 = (RNG.random(N) < 0.2).astype(int)
Y3 = RNG.integers(0, 3, N)
YL = (RNG.random((N, 4)) < [0.1, 0.3, 0.5, 0.9]).astype(int)
KINDS = "init_score must be 'auto', None, a number or an array"


@pytest.mark.parametrize("loss", [focal_loss(2.0), focal_loss(2.0, 0.25), focal_loss(0.0)],
                         ids=repr)
@pytest.mark.parametrize("w", [None, W], ids=["unweighted", "weighted"])
def test_auto_binary_is_the_loss_constant(loss, w):
    got = intercept("auto", loss, 1, y_true=Y2, sample_weight=w)
    assert got.dtype == np.float64 and got.shape == (1,)
    assert got[0] == loss.init_score(Y2, w)


@pytest.mark.parametrize("loss", [focal_loss(2.0), focal_loss(1.0, [1.0, 3.0])], ids=repr)
def test_auto_two_column_softmax_splits_the_binary_constant(loss):
    c = loss.init_score(Y2, W, n_classes=2)
    got = intercept("auto", loss, 2, y_true=Y2, sample_weight=W)
    np.testing.assert_array_equal(got, [-0.5 * c, 0.5 * c])
    assert got.shape == (2,) and got.dtype == np.float64


@pytest.mark.parametrize("k", [3, 5])
def test_auto_multiclass_is_the_loss_vector(k):
    loss = focal_loss(2.0)
    got = intercept("auto", loss, k, y_true=Y3, sample_weight=W)
    np.testing.assert_array_equal(got, loss.init_score(Y3, W, n_classes=k))
    assert got.shape == (k,)


@pytest.mark.parametrize("alpha", [None, 0.25, [0.2, 0.4, 0.6, 0.8]])
def test_auto_multilabel_is_one_binary_constant_per_label(alpha):
    loss = focal_loss(2.0, alpha)
    got = intercept("auto", loss, 4, y_true=YL, sample_weight=W, multilabel=True)
    np.testing.assert_array_equal(got, loss.init_score(YL, W))
    for j in range(4):  # each label's constant is that column's binary constant
        a = None if alpha is None else np.broadcast_to(alpha, (4,))[j]
        assert got[j] == pytest.approx(focal_loss(2.0, a).init_score(YL[:, j], W), abs=1e-9)


@pytest.mark.parametrize("y,k", [(Y2, 1), (Y2, 2), (Y3, 3)])
@pytest.mark.parametrize("loss", [focal_loss(2.0), focal_loss(0.0)], ids=repr)
def test_auto_from_class_totals_as_the_dask_front_end_calls_it(y, k, loss):
    totals = np.bincount(y, weights=W, minlength=max(k, 2))
    from_rows = intercept("auto", loss, k, y_true=y, sample_weight=W)
    from_totals = intercept("auto", loss, k, y_true=np.arange(max(k, 2)),
                            sample_weight=totals)
    np.testing.assert_allclose(from_totals, from_rows, rtol=1e-9, atol=1e-9)


def test_auto_from_totals_with_an_empty_class():
    loss = focal_loss(2.0)
    got = intercept("auto", loss, 3, y_true=np.arange(3), sample_weight=[5.0, 0.0, 2.0])
    assert np.isfinite(got).all() and got[1] < got[0] and got[1] < got[2]


@pytest.mark.parametrize("gamma", [0.0, 1e-12, 2.0])
@pytest.mark.parametrize("k", [3, 50])
def test_a_class_without_weight_starts_at_machine_epsilon(gamma, k):
    # as documented and as at gamma 0 (scikit-learn's clip); for gamma > 0 it sat at
    # its optimiser bound: 5.7e-14 (3 classes) to 1.6e-10 (50)
    from scipy.special import softmax

    loss = focal_loss(gamma)
    weights = np.r_[0.0, np.ones(k - 1)]
    proba = softmax(loss.init_score(np.arange(k), weights))
    assert proba[0] == pytest.approx(np.finfo(np.float64).eps, rel=1e-6, abs=0)
    others = softmax(loss.init_score(np.arange(1, k), n_classes=k)[1:])
    np.testing.assert_allclose(proba[1:], others, rtol=1e-9)  # the rest unchanged


def test_auto_needs_labels():
    with pytest.raises(ValueError, match="needs the labels y_true"):
        intercept("auto", focal_loss(2.0), 1)


def test_auto_errors_of_the_labels_are_the_loss_errors():
    with pytest.raises(ValueError, match=r"class indices in \[0, 2\)"):
        intercept("auto", focal_loss(2.0), 1, y_true=Y3)


def test_auto_multilabel_with_another_number_of_labels():
    with pytest.raises(ValueError, match="gives 4 margins.*3 outputs"):
        intercept("auto", focal_loss(2.0), 3, y_true=YL, multilabel=True)


@pytest.mark.parametrize("bad", ["Auto", "zero", ""])
def test_other_strings(bad):
    with pytest.raises(ValueError) as info:
        intercept(bad, focal_loss(2.0), 1, y_true=Y2)
    assert str(info.value) == f"{KINDS}, got {bad!r}"


@pytest.mark.parametrize("n", [1, 2, 5])
def test_none_is_zeros(n):
    got = intercept(None, focal_loss(2.0), n, y_true=Y2)
    np.testing.assert_array_equal(got, np.zeros(n))
    assert got.dtype == np.float64 and got.shape == (n,)


@pytest.mark.parametrize("bad", [True, False, np.True_])
def test_bool_is_refused(bad):
    with pytest.raises(TypeError, match="init_score.*got bool"):
        intercept(bad, focal_loss(2.0), 1)


@pytest.mark.parametrize("value", [0.5, -2, np.float32(1.5), np.int64(3)])
@pytest.mark.parametrize("n", [1, 3])
def test_number_is_every_output(value, n):
    got = intercept(value, focal_loss(2.0), n)
    np.testing.assert_array_equal(got, np.full(n, float(value)))
    assert got.dtype == np.float64 and got.shape == (n,)


@pytest.mark.parametrize("value", [[0.5, -1.0, 2.0], np.array([1, 2, 3]), (0.0, 0.0, 1e-3)])
def test_array_of_the_right_shape_is_as_given(value):
    got = intercept(value, focal_loss(2.0), 3)
    np.testing.assert_array_equal(got, np.asarray(value, dtype=np.float64))
    assert got.dtype == np.float64 and got.shape == (3,)


def test_one_element_array_for_one_output_and_a_copy():
    value = np.array([0.7])
    got = intercept(value, focal_loss(2.0), 1)
    np.testing.assert_array_equal(got, [0.7])
    got[0] = 5.0
    assert value[0] == 0.7


@pytest.mark.parametrize("value,n", [([1.0, 2.0], 3), ([1.0], 3), ([1.0, 2.0], 1),
                                     (np.zeros((1, 3)), 3), (np.zeros((3, 1)), 3), ([], 2)])
def test_other_shapes(value, n):
    with pytest.raises(ValueError, match=rf"init_score must be .*shape \({n},\), got shape"):
        intercept(value, focal_loss(2.0), n)


@pytest.mark.parametrize("bad", [["a", "b"], object(), {"x": 1.0}, [True, False],
                                 [1.0, [2.0, 3.0]], 1 + 2j, [None, 1.0]])
def test_non_numeric(bad):
    with pytest.raises(TypeError, match="init_score"):
        intercept(bad, focal_loss(2.0), 2)


@pytest.mark.parametrize("bad,n", [(np.nan, 1), (np.inf, 2), ([0.0, -np.inf], 2),
                                   (np.array([np.nan]), 1)])
def test_non_finite(bad, n):
    with pytest.raises(ValueError, match="init_score must be finite"):
        intercept(bad, focal_loss(2.0), n)


@pytest.mark.parametrize("bad", [0, -1, 1.0, True, "2"])
def test_n_outputs_is_checked(bad):
    with pytest.raises(ValueError, match="n_outputs must be an integer >= 1"):
        intercept(None, focal_loss(2.0), bad)


def test_per_class_alpha_counts_the_classes():
    # three class weights are three classes, also where y shows two (it said "alpha has
    # 3 weights but there are 2 classes" without naming n_classes)
    from scipy.special import softmax

    loss = focal_loss(2.0, [1.0, 2.0, 3.0])
    got = loss.init_score([0, 1, 1, 0])
    np.testing.assert_allclose(got, loss.init_score([0, 1, 1, 0], n_classes=3), rtol=1e-12)
    assert softmax(got)[2] == pytest.approx(np.finfo(np.float64).eps, rel=1e-6, abs=0)
    with pytest.raises(ValueError, match="alpha has 2 weights but there are 3 classes"):
        focal_loss(2.0, [1.0, 2.0]).init_score([0, 1, 2])


@pytest.mark.parametrize("gamma", [0.5, 1.0, 2.0, 5.0])
def test_balanced_classes_start_at_zero_exactly(gamma):
    # the search placed the optimum of a symmetric loss at 3e-13 (1e-8 elsewhere): a
    # constant model then predicted class 1 for every row, where XGBClassifier and
    # LGBMClassifier (margin 0, a tie) predict class 0
    y = np.resize([0, 1], 400)
    assert focal_loss(gamma).init_score(y) == 0.0
    assert focal_loss(gamma, 0.5).init_score(y) == 0.0
    assert focal_loss(gamma, [1, 3]).init_score(np.r_[np.zeros(300), np.ones(100)]) == 0.0
    # and the search still finds the others (the weighted classes' balance decides)
    loss = focal_loss(gamma, [1, 3])
    assert loss.init_score(np.r_[np.zeros(400), np.ones(100)]) < 0
    assert loss.init_score(np.r_[np.zeros(200), np.ones(100)]) > 0


def test_the_multiclass_constant_leaves_the_blas_threads_alone(monkeypatch):
    # BLAS's thread limit is the whole process's: the solve set it to 1 and put back
    # what it found, so another thread's limit taken inside that window (scikit-learn's
    # KMeans, say) was put back to 1 thread for the rest of the process
    threadpoolctl = pytest.importorskip("threadpoolctl")

    def blas_threads():
        return [info["num_threads"] for info in threadpoolctl.threadpool_info()
                if info["user_api"] == "blas"]

    if not blas_threads():
        pytest.skip("no BLAS library loaded")
    import scipy.optimize

    theirs = []
    brentq = scipy.optimize.brentq

    def meanwhile(*args, **kwargs):  # another thread takes its limit during the solve
        limit = threadpoolctl.threadpool_limits(1, user_api="blas")
        theirs.append(limit)
        return brentq(*args, **kwargs)

    monkeypatch.setattr(scipy.optimize, "brentq", meanwhile)  # (_intercept's, when called)
    with threadpoolctl.threadpool_limits(2, user_api="blas"):  # as on a 2-core machine
        got = focal_loss(2.0).init_score(np.repeat(np.arange(5), [180, 170, 190, 160, 200]))
        theirs.pop().restore_original_limits()  # ... and gives it back after ours
        assert blas_threads() == [2] * len(blas_threads())
    np.testing.assert_allclose(got.sum(), 0.0, atol=1e-12)
    assert np.argmax(got) == 4 and np.argmin(got) == 3  # the largest and smallest class


def _constant_loss_grad(totals, c, gamma, class_weight):
    """Softmax loss of one margin row ``c`` summed over the classes with weights
    ``totals``, and its gradient, in O(k): with ``v_j = W_j alpha_j`` and ``A`` of the
    formulas, per class as the target, ``grad = p * sum(v A) - v A``. Equal to the
    reference loss and gradient on ``k`` copies of the row, which cost O(k^2)."""
    from scipy.special import log_softmax

    from focal_boost import _reference

    logp = log_softmax(c)
    u = _reference.one_minus_softmax(c[None, :], logp[None, :])[0]
    logpt = _reference._log_pt(u, logp)
    _, A, _ = _reference.row_terms(logpt, u, gamma)
    v = totals if class_weight is None else totals * class_weight
    vA = v * A
    return float(v @ (u**gamma * -logpt)), np.exp(logp) * vA.sum() - vA


@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0, 3.7])
@pytest.mark.parametrize("weighted", [False, True])
def test_the_constant_objective_is_the_loss_of_one_row_per_class(gamma, weighted):
    # the multiclass solve evaluates one margin row in O(k): it must be the weighted
    # sum of the k rows' loss and gradient (O(k^2)), margins near and far apart,
    # classes without weight included
    from focal_boost import _reference
    from focal_boost._validation import SOFTMAX

    rng = np.random.default_rng(int(gamma * 10) + weighted)
    for trial in range(40):
        k = int(rng.integers(3, 25))
        totals = rng.exponential(size=k) * 10 ** rng.uniform(-3, 6, size=k)
        totals[rng.integers(k)] *= trial % 2  # a class without weight, every other trial
        cw = rng.uniform(0.05, 1.0, size=k) if weighted else None
        c = rng.normal(scale=[0.1, 3.0, 40.0][trial % 3], size=k)
        rows, zz = np.arange(k), np.tile(c, (k, 1))
        want_grad, _ = _reference.grad_hess(rows, zz, SOFTMAX, gamma, cw)
        want = totals @ _reference.loss(rows, zz, SOFTMAX, gamma, cw)
        got, got_grad = _constant_loss_grad(totals, c, gamma, cw)
        assert got == pytest.approx(want, rel=1e-13)
        # both sides sum terms up to the total weight: compare on that scale
        scale = totals.sum()
        np.testing.assert_allclose(got_grad / scale, totals @ want_grad / scale,
                                   rtol=0, atol=1e-13)


@pytest.mark.parametrize("gamma", [0.5, 2.0, 5.0])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("k", [20, 100])
def test_the_multiclass_constant_is_stationary_with_class_totals_far_apart(gamma, weighted, k):
    # totals over 6 orders of magnitude: the solve stopped thousands of iterations
    # short of the small classes' optimum (gradient 4e-3 per unit of their weight)
    from focal_boost._intercept import optimal_constant
    from focal_boost._validation import class_weight

    rng = np.random.default_rng(k + int(gamma * 10) + weighted)
    totals = 10 ** rng.uniform(0, 6, size=k)
    alpha = rng.uniform(0.1, 1.0, size=k) if weighted else None
    c = optimal_constant(totals, gamma, alpha)
    _, grad = _constant_loss_grad(totals, c, gamma, class_weight(alpha, k))
    # (below 1e-7 for most seeds, up to ~5e-7 where the loss's rounding hides the small
    # classes' last steps)
    assert np.abs(grad / totals).max() < 1e-6
    assert c.sum() == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("k", [2, 4])
def test_the_constant_is_free_of_the_weights_scale(k):
    # the weights' scale does not move the optimum; the multiclass solve stopped at its
    # start below a total weight of ~1e-12 (an absolute gradient tolerance), and totals
    # whose sum overflows gave NaN
    import warnings

    from focal_boost._intercept import optimal_constant

    totals = np.array([3.0, 30.0, 300.0, 3000.0])[-k:]
    want = optimal_constant(totals, 2.0, None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for scale in (1e-300, 1e-15, 1e-12, 1e300):
            np.testing.assert_allclose(optimal_constant(totals * scale, 2.0, None), want,
                                       rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(optimal_constant(np.full(k, 1e308), 2.0, None),
                                   optimal_constant(np.ones(k), 2.0, None), atol=1e-9)


def test_the_constant_at_the_largest_gamma_with_two_classes_present():
    # u**50 made every gradient smaller than the solver's tolerance: it stopped at
    # once, P = [0.0017, 0, 0.9983] for class shares 1/4 and 3/4
    loss = focal_loss(50.0)
    proba = loss.predict_proba(loss.init_score(np.repeat([0, 2], [1, 3]), n_classes=3)[None])[0]
    np.testing.assert_allclose(proba, [0.25, 0.0, 0.75], atol=1e-6)
    loss = focal_loss(50.0, [0.67, 0.96, 0.15])
    proba = loss.predict_proba(loss.init_score(np.repeat([0, 2], [7, 7]), n_classes=3)[None])[0]
    np.testing.assert_allclose(proba, [0.5, 0.0, 0.5], atol=1e-6)


def test_tied_classes_start_at_zero_exactly_whatever_the_scale():
    # alpha 0.1 against 9 positives to 1 negative is a tie (0.9 * 1 = 0.1 * 9): the start
    # is 0, so that predict breaks the tie towards class 0, as the plain classifiers;
    # dividing the totals by their largest rounded it to 8e-10
    assert focal_loss(2.0, 0.1).init_score(np.array([0] + [1] * 9)) == 0.0
    # ties in exact arithmetic that rounding tips (0.3 * 7 against 0.7 * 3): the start is
    # within rounding of 0, as the gamma-0 closed form (a search left 1.6e-10 / 3.3e-13,
    # too flat a loss to place the minimum; now the root of its slope)
    for alpha, counts in ((0.7, [7, 3]), (0.3, [3, 7])):
        assert abs(focal_loss(2.0, alpha).init_score(np.repeat([0, 1], counts))) < 1e-14
    # k balanced classes: the solve wandered 1e-16 off 0, and a model without splits
    # predicted class 1 where XGBClassifier and LGBMClassifier predict class 0
    for k in (3, 9, 30):
        start = focal_loss(2.0).init_score(np.repeat(np.arange(k), 7), n_classes=k)
        np.testing.assert_array_equal(start, np.zeros(k))


def test_class_totals_past_the_largest_float_are_refused():
    with pytest.raises(ValueError, match="sum past the largest float; scale sample_weight"):
        focal_loss(2.0).init_score(np.array([0, 1, 1, 1]), sample_weight=np.full(4, 1e308))


@pytest.mark.parametrize(("k", "share"), [(100, 1e-10), (10, 1.1e-11), (100, 1e-8)])
def test_a_rare_class_starts_at_its_share(k, share):
    # its start margin sat at the per-class bound (-18, centred) and the solver stopped
    # there: a start probability 27% (share 1e-10) to 16 times (1.1e-11) its share
    w = np.ones(k)
    w[0] = share * (k - 1) / (1 - share)
    loss = focal_loss(2.0)
    start = loss.init_score(np.arange(k), sample_weight=w)
    np.testing.assert_allclose(loss.predict_proba(start[None])[0, 0], share, rtol=1e-3)


@pytest.mark.parametrize("gamma", [0.5, 2.0, 5.0])
@pytest.mark.parametrize("k", [3, 10, 100])
def test_rare_classes_start_at_their_shares_to_a_millionth(gamma, k):
    # a class of tiny share moves the loss by less than its rounding, and L-BFGS-B's
    # line search stopped short of its optimum: 1.00175e-10 for a share of 1e-10 (k=100,
    # gamma 2) on one machine, 1e-10 on another; up to 2.6e-3 off over random cases.
    # At the optimum the recovered posterior is the class shares.
    rng = np.random.default_rng(k)
    for alpha in (None, rng.uniform(0.2, 3.0, k)):
        for rare in ([1e-10], [3e-13, 2e-5], [1e-7, 4e-4]):
            w = rng.uniform(0.1, 1.0, k)
            w[:len(rare)] = rare
            loss = focal_loss(gamma, alpha)
            start = loss.init_score(np.arange(k), sample_weight=w)
            np.testing.assert_allclose(loss.predict_proba(start[None])[0, :len(rare)],
                                       w[:len(rare)] / w.sum(), rtol=1e-6)


def test_gamma_0_multiclass_start_is_centred_log_priors_clipped_at_eps():
    # the log of each class's share (clipped at machine epsilon, as scikit-learn clips),
    # shifted to sum to 0 (softmax ignores a shift; the intercept's margins are centred)
    from scipy.special import softmax

    start = focal_loss(0.0).init_score(np.array([0, 0, 0, 1, 2, 2]), n_classes=4)
    assert abs(start.sum()) < 1e-12
    p = softmax(start)
    eps = np.finfo(np.float64).eps
    np.testing.assert_allclose(p[:3], np.array([3, 1, 2]) / 6, rtol=1e-12)
    assert p[3] == pytest.approx(eps / (1 + eps), rel=1e-9, abs=0)  # a class of no rows


def _stationary_probabilities(v, gamma):
    """The focal-optimal constant's softmax probabilities, by an independent route: the
    stationarity p_j / A(p_j) = t v_j (A = u**(gamma-1) (u - gamma p log p), u = 1 - p,
    v_j the class's weight), each p_j a 1-D root in log p for a given t, and t the 1-D
    root of sum(p) = 1 (both sides increasing)."""
    from scipy.optimize import brentq

    def log_h(log_p):  # log(p / A(p))
        u = -np.expm1(log_p)
        return log_p - (gamma - 1) * np.log(u) - np.log(u - gamma * np.exp(log_p) * log_p)

    def log_probabilities(log_t):  # (relative precision, also in log p near 0)
        return np.array([brentq(lambda lp, target: log_h(lp) - target, -5000.0, -1e-300,
                                args=(log_t + np.log(vj),), xtol=1e-300, rtol=1e-15,
                                maxiter=500) for vj in v])

    def log_total(log_t):  # log(sum p), the others' share of 1 - p_top kept by log1p
        logp = log_probabilities(log_t)
        top = np.argmax(logp)
        return logp[top] + np.log1p(np.exp(np.delete(logp, top) - logp[top]).sum())

    low = -np.log(v.max()) - 700.0
    log_t = brentq(log_total, low, low + 730.0 + 30.0 * gamma, xtol=1e-15, rtol=1e-15)
    return np.exp(log_probabilities(log_t))


@pytest.mark.parametrize(("weights", "gamma", "rtol"), [
    # every class but one rare, gamma > 1: stepping the rare classes to their own
    # optimum together moved the top class's focal factor about gamma times as much, and
    # diverged (21% off here; 326 times the share at gamma 5 below)
    ([1, 3e-25, 3.6e-25, 3.6e-25, 4.5e-25, 4.1e-25, 2.8e-25, 3.5e-25, 3.7e-25], 10.0, 1e-12),
    ([1.0, 2e-12, 3e-12], 2.0, 1e-11),
    ([1.0, 1e-30, 2e-30], 5.0, 1e-10),  # (L-BFGS-B alone: 0.89)
    ([1.0, 5e-6, 7e-6], 0.5, 1e-12),
    ([1.0, 1e-9, 0.3], 2.0, 1e-12),  # (L-BFGS-B alone: 4.7e-8)
    (np.r_[1e-10 * 99 / (1 - 1e-10), np.ones(99)], 2.0, 1e-12),  # (1.7e-3)
    # a class whose optimum lies past the spread's bound (L-BFGS-B and a polish: the
    # others 0.91 off), or several
    ([1.0, 7.44221828e-02, 2.70776379e-03, 8.43025544e-52, 2.27891869e-02], 20.0, 1e-12),
    ([2.2e-20, 1.0, 4.6e-26, 1.4e-24, 5.6e-03, 2.2e-56], 1.0, 1e-12),  # (1.3e-3)
])
def test_multiclass_start_matches_an_independent_solution(weights, gamma, rtol):
    from scipy.special import softmax

    weights = np.asarray(weights, dtype=float)
    start = focal_loss(gamma).init_score(np.arange(len(weights)), sample_weight=weights)
    expected = _stationary_probabilities(weights, gamma)
    # (a class whose optimum lies below eps is clipped there, as at gamma 0, where the
    # others barely move: by its probability, 2.2e-16)
    eps = np.finfo(float).eps
    beyond = expected < eps
    np.testing.assert_allclose(softmax(start)[~beyond], expected[~beyond], rtol=rtol)
    np.testing.assert_allclose(softmax(start)[beyond], eps, rtol=1e-14)


@pytest.mark.parametrize(("weights", "gamma"), [
    # log t, the solve's unknown, near 0 (always so as gamma -> 0): a tolerance of 1e-300
    # asked more than the sum of the probabilities could tell, and Brent's method ran out
    # of iterations (RuntimeError)
    ([1.0, 3e-15, 3e-15], 1e-12),
    ([1.0, 1e-14, 0.0], 1e-9),
    ([1.0, 0.09761698298259767, 0.10227418088091966], 0.3),
])
def test_multiclass_start_where_the_solve_is_near_its_origin(weights, gamma):
    from scipy.special import softmax

    weights = np.asarray(weights)
    start = focal_loss(gamma).init_score(np.arange(3), sample_weight=weights)
    present = weights > 0
    if gamma < 1e-6:  # the cross-entropy's class shares, to O(gamma)
        expected = weights[present] / weights.sum()
    else:
        expected = _stationary_probabilities(weights[present], gamma)
    np.testing.assert_allclose(softmax(start)[present], expected, rtol=1e-7)


@pytest.mark.parametrize("gamma", [0.0, 2.0])
def test_equal_tiny_class_weights_change_nothing(gamma):
    # only alpha's ratios matter: products with the class totals went subnormal and lost
    # digits (a probability 1.2% off)
    y, weights = np.arange(3), np.array([1.0, 1e-15, 0.5])
    plain = focal_loss(gamma).init_score(y, sample_weight=weights)
    tiny = focal_loss(gamma, [1e-307] * 3).init_score(y, sample_weight=weights)
    np.testing.assert_allclose(tiny, plain, rtol=1e-14)


@pytest.mark.parametrize("gamma", [7.0, 31.0, 46.0, 8.7])
def test_binary_start_of_nearly_tied_classes_at_a_large_gamma(gamma):
    # the slope's root, where the slope is rounding noise in Brent's last steps: it ran
    # past its 100 iterations (RuntimeError from fit, for classes of 99 and 100 rows)
    y = np.repeat([0, 1], [99, 100])
    p = _stationary_probabilities(np.array([99.0, 100.0]), gamma)
    assert focal_loss(gamma).init_score(y) == pytest.approx(np.log(p[1] / p[0]), rel=1e-9)


@pytest.mark.parametrize("gamma", [2.0, 20.0, 25.0, 50.0])
def test_binary_start_of_a_class_without_weight_is_the_bound(gamma):
    # the loss falls all the way to the bound; a grid search found the first of the points
    # where it had underflowed to 0 (14.67 at gamma 50 for a label always 1, -35.99 for
    # one always 0), and a bounded search stopped 7.3e-7 short of the bound below them
    from focal_boost._intercept import MAX_INIT_MARGIN

    loss = focal_loss(gamma)
    assert loss.init_score(np.ones(5, int)) == MAX_INIT_MARGIN
    assert loss.init_score(np.zeros(5, int)) == -MAX_INIT_MARGIN
    labels = np.stack([np.ones(50, int), np.zeros(50, int), np.arange(50) % 3 == 0], axis=1)
    start = loss.init_score(labels.astype(int))  # (multi-label: one per column)
    assert start[0] == MAX_INIT_MARGIN and start[1] == -MAX_INIT_MARGIN
    assert start[2] == loss.init_score((np.arange(50) % 3 == 0).astype(int))


@pytest.mark.parametrize(("weights", "gamma", "alpha", "expected"), [
    # 50-digit solutions of the weights as given: weights beyond the float range apart
    # (a product of the scaled weights was 0: the bound, 36.04, where the optimum is
    # inside at a large gamma) ...
    ([1e-300, 1e300], 30.0, None, 36.04365338911715),
    ([1e-300, 1e300], 40.0, None, 33.786942143003145),
    ([1e-300, 1e300], 50.0, None, 27.166331008372335),
    ([4.853047878748026e-241, 6.157254165125385e106], 50.0, 2.0**-52, 15.041627503912823),
    # ... and one ulp apart (times alpha 0.5, log() rounded them to one value: 0, a tie,
    # where the start must favour the heavier class)
    ([2.747699948389735e186, 2.7476999483897344e186], 6.0, 0.5, -2.6837927976726286e-17),
    ([3.5394789901190195e-216, 3.53947899011902e-216], 10.0, 0.5, 1.731007609881738e-17),
])
def test_binary_start_of_extreme_weights(weights, gamma, alpha, expected):
    start = focal_loss(gamma, alpha).init_score([0, 1], sample_weight=weights)
    if abs(expected) > 1e-10:
        assert start == pytest.approx(expected, rel=1e-14)
        # the multiclass solve alike, with a third class of no weight
        if alpha is None and expected < 36:
            three = focal_loss(gamma).init_score(np.arange(3), sample_weight=[*weights, 0.0])
            assert three[1] - three[0] == pytest.approx(expected, rel=1e-14)
    else:  # (the side is what counts here: the rounding of the weights is 1e-16)
        assert np.sign(start) == np.sign(expected) and abs(start) < 1e-15


@pytest.mark.parametrize("gamma", [0.5, 2.0, 20.0, 50.0])
def test_binary_start_matches_an_independent_solution(gamma):
    from scipy.special import expit

    rng = np.random.default_rng(int(gamma * 10))
    for _ in range(20):
        weights = 10.0 ** rng.uniform(-8, 8, 2)
        p = _stationary_probabilities(weights, gamma)
        if np.log(p.max() / p.min()) > 36.0:  # (past the bound)
            continue
        start = focal_loss(gamma).init_score([0, 1], sample_weight=weights)
        np.testing.assert_allclose(expit([start, -start]), p[::-1], rtol=1e-12)


def test_one_class_of_weight_at_a_large_gamma_starts_without_a_warning():
    # (every focal factor underflowing to 0 made the polish's residual 0 / 0)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        start = focal_loss(50.0).init_score(np.zeros(10, int), n_classes=3)
    assert np.isfinite(start).all() and start.argmax() == 0


def test_rare_classes_reach_their_optimum_where_the_search_left_the_top_class():
    # the search's box is absolute: its top class had left the upper bound, so classes at
    # the lower one were a spread of 18 from it, not 36, and were taken as held there
    # (class 4 at 1.5e-8 where its optimum is 1.3e-14)
    from scipy.special import softmax

    from focal_boost._intercept import optimal_constant

    totals = np.array([3.54e-25, 1.0, 1.42e-06, 1.30e-09, 8.28e-18])
    alpha = np.array([0.134, 9.24, 1.615, 0.771, 0.011])
    p = softmax(optimal_constant(totals, 10.0, alpha))
    expected = _stationary_probabilities(totals * alpha, 10.0)
    np.testing.assert_allclose(p[1:], expected[1:], rtol=1e-12)
    # class 0's optimum (6.6e-21) lies below eps: it is clipped there, as at gamma 0
    assert p[0] == pytest.approx(np.finfo(float).eps, rel=1e-14)


def test_classes_an_ulp_apart_where_the_solve_starts_at_its_root():
    # the top class at 1/k already makes the probabilities sum to 1 (every class within
    # the solve's resolution of it): Brent's bracket had no sign change there
    from focal_boost._intercept import optimal_constant

    start = optimal_constant(np.r_[1.0, [np.nextafter(1.0, 0)] * 6], 0.5, None)
    np.testing.assert_allclose(start, 0.0, atol=1e-15)


def test_a_class_of_little_weight_starts_no_lower_than_one_of_none():
    # both clipped at eps, as at gamma 0: the bound on the spread from the top class put a
    # class of weight 1e-30 at half the probability of a class without weight
    from scipy.special import softmax

    eps = np.finfo(float).eps
    for gamma in (0.0, 1e-300, 2.0, 20.0):
        p = softmax(focal_loss(gamma).init_score(np.arange(4),
                                                 sample_weight=[1.0, 1.0, 1e-30, 0.0]))
        np.testing.assert_allclose(p[2:], eps, rtol=1e-14)


def test_tied_classes_start_tied():
    # two classes of the same weight, at the top or below it: the polish stepped one of
    # two tied top classes down by ~1e-15 (23 of 150 cases; 7 by L-BFGS-B alone)
    from focal_boost._intercept import optimal_constant

    # (seed 2: L-BFGS-B with the polish broke 6 ties of 300, where the gradients of two
    # tied top classes differed in their last digits)
    rng = np.random.default_rng(2)
    for _ in range(300):
        k = int(rng.integers(3, 8))
        totals = 10.0 ** rng.uniform(-10, 0, k)
        i, j = rng.choice(k, 2, replace=False)
        totals[i] = totals[j] = totals.max() * (1.0 if rng.random() < 0.5 else 0.3)
        start = optimal_constant(totals, float(rng.choice([0.5, 2.0, 3.0])), None)
        assert start[i] == start[j], (totals, i, j)


def test_binary_log_odds_at_gamma_0_keep_their_digits():
    # logit(w1 / (w0 + w1)) lost digits to 1 - p where class 1 dominates
    loss = focal_loss(0.0)
    for weights in ([1.0, 1e12], [1.0, 1e6], [1e12, 1.0]):
        expected = np.log(weights[1]) - np.log(weights[0])
        assert loss.init_score([0, 1], sample_weight=weights) == pytest.approx(expected,
                                                                              rel=1e-15)
    # and the posterior's log-odds at gamma 0 are the margins themselves, bit for bit
    z = np.array([1e-20, -3.3, 40.0, 1e-300])
    np.testing.assert_array_equal(loss.decision_function(z), z)


def test_binary_start_at_gamma_0_is_clipped_at_eps():
    # one class without rows, or weights past eps apart: log-odds clipped at logit(eps),
    # as the multiclass start and scikit-learn clip them (not -inf, nor 1383)
    bound = float(np.log(np.finfo(float).eps) - np.log1p(-np.finfo(float).eps))
    loss = focal_loss(0.0)
    assert loss.init_score(np.zeros(5, dtype=int)) == pytest.approx(bound, rel=1e-12)
    assert loss.init_score(np.ones(5, dtype=int)) == pytest.approx(-bound, rel=1e-12)
    heavy = loss.init_score([0, 1, 1], sample_weight=[1e-300, 1e300, 1e300])
    assert heavy == pytest.approx(-bound, rel=1e-12)


@pytest.mark.parametrize("n_classes", [1, 0, True, 2.0, -3])
def test_init_score_refuses_n_classes_that_is_no_count_of_classes(n_classes):
    with pytest.raises(ValueError, match=r"n_classes must be an integer >= 2, got "):
        focal_loss(2.0).init_score(np.zeros(5, int), n_classes=n_classes)


# ---------------------------------------------- found unpinned by mutation testing
def test_multilabel_init_score_takes_n_classes_2_as_documented():
    # "Must be None (or 2) for multi-label y_true": each label is binary
    Y = np.array([[1, 0, 1], [0, 0, 1], [1, 1, 0], [0, 0, 0], [1, 0, 1]])
    loss = focal_loss(2.0, 0.3)
    np.testing.assert_array_equal(loss.init_score(Y, n_classes=2), loss.init_score(Y))
    with pytest.raises(ValueError, match="n_classes does not apply to a multi-label y_true"):
        loss.init_score(Y, n_classes=3)


@pytest.mark.parametrize("gamma", [0.0, 2.0])
def test_init_score_of_no_rows_is_the_zero_weight_error(gamma):
    # no rows is the case of every weight 0 (not numpy's error of a max of nothing)
    with pytest.raises(ValueError, match="^y_true/sample_weight have zero total weight$"):
        focal_loss(gamma).init_score(np.array([], dtype=int))
