"""Core objective: values, derivatives, intercept, validation."""

import pickle
import re
import warnings
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize, minimize_scalar
from scipy.special import expit, log_expit, log_softmax, softmax

from focal_boost import FocalLoss, _reference, ce_loss, focal_loss, metrics
from focal_boost._intercept import optimal_constant

GAMMAS = [0.0, 0.5, 1.0, 2.0, 5.0]
# These tests study the exact Hessian, which warns where it is non-positive.
exact_hessian = pytest.mark.filterwarnings("ignore:the exact focal Hessian:RuntimeWarning")
RNG = np.random.default_rng(20261123)


def _binary_data(n=400, low=-30, high=30, rng=RNG):
    return rng.integers(0, 2, n), rng.uniform(low, high, n)


def _multi_data(n=300, k=4, low=-30, high=30, rng=RNG):
    return rng.integers(0, k, n), rng.uniform(low, high, (n, k))


def _assert_close_scaled(actual, expected, rtol):
    """Relative agreement, measured against the largest magnitude present."""
    scale = np.max(np.abs(expected))
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=rtol * scale)


@exact_hessian
# ------------------------------------------------------- analytic vs numeric
@pytest.mark.parametrize("gamma", GAMMAS)
@pytest.mark.parametrize("alpha", [None, 0.25, (0.3, 1.7)])
@pytest.mark.parametrize("weighted", [False, True])
def test_binary_analytic_matches_finite_differences(gamma, alpha, weighted):
    y, z = _binary_data()
    sw = RNG.uniform(0, 3, len(y)) if weighted else None
    grad, hess = focal_loss(gamma, alpha, hessian="exact")(y, z, sw)
    ngrad, nhess = focal_loss(gamma, alpha, derivatives="numeric", hessian="exact")(y, z, sw)
    _assert_close_scaled(grad, ngrad, 1e-6)
    _assert_close_scaled(hess, nhess, 1e-6)


@exact_hessian
@pytest.mark.parametrize("gamma", GAMMAS)
@pytest.mark.parametrize("alpha", [None, (0.25, 0.75, 0.75, 2.0)])
@pytest.mark.parametrize("weighted", [False, True])
def test_multiclass_analytic_matches_finite_differences(gamma, alpha, weighted):
    y, z = _multi_data()
    sw = RNG.uniform(0, 3, len(y)) if weighted else None
    grad, hess = focal_loss(gamma, alpha, hessian="exact")(y, z, sw)
    ngrad, nhess = focal_loss(gamma, alpha, derivatives="numeric", hessian="exact")(y, z, sw)
    assert grad.shape == hess.shape == z.shape
    _assert_close_scaled(grad, ngrad, 1e-6)
    _assert_close_scaled(hess, nhess, 1e-6)


def test_hessian_is_exact_and_negative_for_confidently_wrong_rows():
    # gamma 2: binary Hessian is negative below pt ~ 0.058, minimum about -0.047.
    z = np.linspace(-12, 0, 2001)
    with pytest.warns(RuntimeWarning, match="non-positive"):
        _, hess = focal_loss(2.0, hessian="exact")(np.ones_like(z), z)
    pt = expit(z)
    assert hess.min() == pytest.approx(-0.047, abs=2e-3)
    crossing = pt[np.argmax(hess > 0)]
    assert 0.05 < crossing < 0.065


# ------------------------------------------------------ special cases
@pytest.mark.parametrize("obj", [ce_loss(), focal_loss(0.0)])
def test_gamma_zero_is_logistic_loss(obj):
    y, z = _binary_data(low=-40, high=40)
    p = expit(z)
    grad, hess = obj(y, z)
    np.testing.assert_allclose(obj.loss(y, z), -(y * log_expit(z) + (1 - y) * log_expit(-z)),
                               rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(grad, p - y, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(hess, p * expit(-z), rtol=1e-12, atol=1e-300)


def test_gamma_zero_is_softmax_cross_entropy():
    y, z = _multi_data(k=5, low=-20, high=20)
    obj = ce_loss()
    p = softmax(z, axis=1)
    onehot = np.eye(5)[y]
    grad, hess = obj(y, z)
    # atol: log_softmax itself rounds log(pt) near 0 to ~1e-16 absolute
    np.testing.assert_allclose(obj.loss(y, z), -log_softmax(z, axis=1)[np.arange(len(y)), y],
                               rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(grad, p - onehot, rtol=1e-10, atol=1e-15)
    # 1 - p_j as the sum of the other classes' probabilities (no cancellation)
    one_minus_p = np.stack([np.delete(p, j, axis=1).sum(axis=1) for j in range(5)], axis=1)
    np.testing.assert_allclose(hess, p * one_minus_p, rtol=1e-10, atol=1e-300)


@exact_hessian
@pytest.mark.parametrize("gamma", GAMMAS)
@pytest.mark.parametrize("alpha", [None, 0.25])
def test_binary_equals_two_class_softmax(gamma, alpha):
    y, z = _binary_data()
    two = np.column_stack([np.zeros_like(z), z])
    alpha2 = None if alpha is None else (1 - alpha, alpha)
    b, m = focal_loss(gamma, alpha, hessian="exact"), focal_loss(gamma, alpha2, hessian="exact")
    np.testing.assert_allclose(b.loss(y, z), m.loss(y, two), rtol=1e-12, atol=1e-15)
    gb, hb = b(y, z)
    gm, hm = m(y, two)
    np.testing.assert_allclose(gb, gm[:, 1], rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(hb, hm[:, 1], rtol=1e-10, atol=1e-15)


def test_published_value_seed_004():
    logits = np.array([[2.0, -1.0, 3.0], [1.0, 0.0, -0.5], [2.0, 1.0, -0.5], [1, 8, 2]])
    labels = np.array([2, 0, 1, 1])
    loss = focal_loss(2.0, [0.25, 0.75, 0.75]).loss(labels, logits)
    assert loss.mean() == pytest.approx(0.1520, abs=5e-5)


def _torchvision_sigmoid_focal_loss(inputs, targets, alpha=0.25, gamma=2.0):
    """numpy transcription of torchvision.ops.sigmoid_focal_loss, reduction='none'."""
    p = 1 / (1 + np.exp(-inputs))
    ce = np.maximum(inputs, 0) - inputs * targets + np.log1p(np.exp(-np.abs(inputs)))
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * ((1 - p_t) ** gamma)
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return loss


@pytest.mark.parametrize("gamma", [0.0, 1.0, 2.0, 3.5])
@pytest.mark.parametrize("alpha", [0.25, 0.6])
def test_loss_matches_torchvision_formula(gamma, alpha):
    y, z = _binary_data(low=-15, high=15)
    np.testing.assert_allclose(
        focal_loss(gamma, alpha).loss(y, z),
        _torchvision_sigmoid_focal_loss(z, y, alpha, gamma),
        rtol=1e-10, atol=1e-14,
    )


# --------------------------------------------------------------- numerics
@settings(max_examples=60, deadline=None)
@given(
    gamma=st.floats(0, 10),
    z=st.floats(-1e4, 1e4),
    label=st.integers(0, 1),
    dtype=st.sampled_from([np.float32, np.float64]),
)
def test_binary_finite_everywhere(gamma, z, label, dtype):
    obj = focal_loss(gamma, 0.3)
    zz = np.array([z, -z, 0.0], dtype=dtype)
    y = np.array([label, label, label])
    grad, hess = obj(y, zz)
    loss = obj.loss(y, zz)
    assert np.isfinite(grad).all() and np.isfinite(hess).all() and np.isfinite(loss).all()
    assert (loss >= 0).all()
    assert (np.abs(grad) <= 1.0).all()


@settings(max_examples=60, deadline=None)
@given(
    gamma=st.floats(0, 10),
    scale=st.floats(0, 1e4),
    seed=st.integers(0, 2**16),
    dtype=st.sampled_from([np.float32, np.float64]),
)
def test_multiclass_finite_everywhere(gamma, scale, seed, dtype):
    rng = np.random.default_rng(seed)
    z = (rng.standard_normal((8, 3)) * scale).astype(dtype)
    y = rng.integers(0, 3, 8)
    obj = focal_loss(gamma, [0.5, 1.0, 2.0])
    grad, hess = obj(y, z)
    assert np.isfinite(grad).all() and np.isfinite(hess).all()
    assert np.isfinite(obj.loss(y, z)).all()
    # the gradient of a softmax loss sums to zero over classes
    np.testing.assert_allclose(grad.sum(axis=1), 0.0, atol=1e-12)


@pytest.mark.filterwarnings("ignore:overflow encountered")  # scipy's log_softmax
@pytest.mark.parametrize("fast", [True, False], ids=["kernels", "numpy"])
@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0])
def test_multiclass_finite_at_margins_over_the_float_range_apart(gamma, fast):
    # 1e308 - (-1e308) overflows: log(pt) of the losing target was -inf and every
    # output NaN. The gradient is the limit reached long before (here at 1e300).
    from focal_boost import _kernels

    z = np.array([[1e308, -1e308, 0.0], [1e308, 1e308, -1e308], [-1e308, 1e308, 1e308]])
    y = np.array([1, 2, 0])
    obj = focal_loss(gamma)
    previous = _kernels.set_enabled(fast)
    try:
        grad, hess = obj(y, z)
        near, near_hess = obj(y, z / 1e8)
    finally:
        _kernels.set_enabled(previous)
    assert np.isfinite(grad).all() and np.isfinite(hess).all()
    np.testing.assert_allclose(grad, near, atol=1e-12)
    np.testing.assert_allclose(hess, near_hess, atol=1e-12)


def test_non_integer_gamma_at_saturation_is_zero_not_nan():
    obj = focal_loss(0.5)
    grad, hess = obj(np.array([1, 0]), np.array([800.0, -800.0]))
    assert np.array_equal(grad, [0.0, 0.0]) and np.array_equal(hess, [0.0, 0.0])


def test_output_shape_follows_y_pred():
    y, z = _binary_data(10)
    grad, hess = focal_loss()(y, z[:, None])
    assert grad.shape == hess.shape == (10, 1)
    grad32, _ = focal_loss()(y, z.astype(np.float32))
    np.testing.assert_allclose(grad32, focal_loss()(y, z.astype(np.float32).astype(float))[0])


def test_sample_weight_multiplies_both():
    y, z = _multi_data(50, k=3, low=-5, high=5)
    sw = RNG.uniform(0, 2, 50)
    g, h = focal_loss(2.0, [1, 2, 3])(y, z)
    gw, hw = focal_loss(2.0, [1, 2, 3])(y, z, sample_weight=sw)
    np.testing.assert_allclose(gw, g * sw[:, None])
    np.testing.assert_allclose(hw, h * sw[:, None])


# ------------------------------------------------------------ init score
def _brute_force_binary(obj, y, sw):
    res = minimize_scalar(lambda c: np.average(obj.loss(y, np.full(len(y), c)), weights=sw),
                          bounds=(-20, 20), method="bounded", options={"xatol": 1e-10})
    return res.x


@pytest.mark.parametrize("gamma", GAMMAS)
@pytest.mark.parametrize("alpha", [None, 0.25, 0.9])
def test_binary_init_score_minimises_mean_loss(gamma, alpha):
    y = (RNG.uniform(size=500) < 0.056).astype(int)
    sw = RNG.uniform(0.5, 2, 500)
    obj = focal_loss(gamma, alpha)
    c = obj.init_score(y, sw)
    assert isinstance(c, float)
    assert c == pytest.approx(_brute_force_binary(obj, y, sw), abs=1e-5)


def test_binary_init_score_published_constant():
    # DESIGN.md: alpha 0.25, gamma 2, 5.6% positives -> p = 0.188, margin -1.46
    y = np.r_[np.ones(56), np.zeros(944)]
    c = focal_loss(2.0, 0.25).init_score(y)
    assert c == pytest.approx(-1.46, abs=5e-3)
    assert ce_loss().init_score(y) == pytest.approx(np.log(56 / 944), rel=1e-12)


@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0, 5.0])
@pytest.mark.parametrize("alpha", [None, (0.5, 1.0, 2.0, 0.25)])
def test_multiclass_init_score_minimises_mean_loss(gamma, alpha):
    y = RNG.choice(4, size=600, p=[0.7, 0.2, 0.07, 0.03])
    sw = RNG.uniform(0.5, 2, 600)
    obj = focal_loss(gamma, alpha)
    c = obj.init_score(y, sw)
    assert c.shape == (4,) and abs(c.sum()) < 1e-9

    def mean_loss(v):
        return np.average(obj.loss(y, np.broadcast_to(np.r_[0.0, v], (600, 4))), weights=sw)

    best = minimize(mean_loss, np.zeros(3), method="Nelder-Mead",
                    options={"xatol": 1e-9, "fatol": 1e-14, "maxiter": 20000})
    assert mean_loss(c[1:] - c[0]) <= best.fun + 1e-10
    np.testing.assert_allclose(c[1:] - c[0], best.x, atol=1e-3)


def test_large_gamma_is_refused_with_the_working_range():
    # Above 50 the focal factor leaves nothing the boosters can split on (a gradient of
    # 2**-gamma * (1 + gamma ln 2) times cross-entropy's at pt = 1/2); without the bound,
    # 2000 gave an intercept of -0.70 on balanced labels.
    with pytest.raises(ValueError, match=r"at most 50, got 2000.*2\*\*-gamma"):
        focal_loss(2000)
    with pytest.raises(ValueError, match=r"got 60\.0: .*, 4e-17 here"):  # (the scale)
        focal_loss(60)
    assert focal_loss(50).init_score([0, 1, 1, 0]) == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("gamma", [0.0, 2.0, 5.0, 50.0])
def test_the_stated_scale_of_an_undecided_rows_gradient(gamma):
    # The docstring, README and the refusal above state the focal gradient at pt = 1/2 as
    # cross-entropy's times 2**-gamma * (1 + gamma ln 2) (2**-gamma is the loss's scale).
    y, z = np.array([1.0, 0.0]), np.zeros(2)
    ratio = focal_loss(gamma)(y, z)[0] / ce_loss()(y, z)[0]
    np.testing.assert_allclose(ratio, 2.0**-gamma * (1 + gamma * np.log(2)), rtol=1e-12)
    np.testing.assert_allclose(focal_loss(gamma).loss(y, z) / ce_loss().loss(y, z),
                               2.0**-gamma, rtol=1e-12)


@pytest.mark.parametrize("gamma", [20.0, 50.0])
@pytest.mark.parametrize("alpha", [None, 0.25, 1e-6])
@pytest.mark.parametrize("share", [0.5, 0.05, 1e-4, 1e-7])
def test_init_score_at_large_gamma_matches_a_log_space_search(gamma, alpha, share):
    # The mean loss falls to ~2**-gamma near its minimum: compare with a search on its
    # logarithm, which does not underflow.
    a0, a1 = (1.0, 1.0) if alpha is None else (1 - alpha, alpha)

    def log_mean_loss(c):
        pos = np.log(share * a1) + gamma * log_expit(-c) + np.log(-log_expit(c))
        neg = np.log((1 - share) * a0) + gamma * log_expit(c) + np.log(-log_expit(-c))
        return np.logaddexp(pos, neg)

    grid = np.linspace(-36, 36, 14401)
    i = int(np.argmin(log_mean_loss(grid)))
    best = minimize_scalar(log_mean_loss, bounds=(grid[i - 1], grid[i + 1]), method="bounded",
                           options={"xatol": 1e-12}).x
    c = optimal_constant(np.array([1 - share, share]), gamma, focal_loss(gamma, alpha).alpha)
    assert c == pytest.approx(best, abs=1e-6)


def test_init_score_missing_class_is_finite():
    c = focal_loss(2.0).init_score(np.array([0, 1, 1, 0]), n_classes=3)
    assert np.isfinite(c).all() and softmax(c)[2] < 1e-12
    np.testing.assert_allclose(c[1] - c[0], 0.0, atol=1e-6)
    with pytest.raises(ValueError, match="zero total weight"):
        focal_loss().init_score([0, 1], sample_weight=[0.0, 0.0])


# --------------------------------------------------------------- objects
def test_pickle_round_trip_and_repr():
    obj = focal_loss(1.5, [0.2, 0.3, 0.5])
    clone = pickle.loads(pickle.dumps(obj))
    assert clone == obj and repr(clone) == "FocalLoss(gamma=1.5, alpha=[0.2, 0.3, 0.5])"
    y, z = _multi_data(20, k=3)
    np.testing.assert_array_equal(clone(y, z)[1], obj(y, z)[1])
    assert repr(ce_loss()) == "FocalLoss(gamma=0.0, alpha=None)"
    assert isinstance(focal_loss(), FocalLoss) and focal_loss() != focal_loss(1.0)


# ------------------------------------------------------------ validation
@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"gamma": -1.0}, ValueError, "gamma"),
        ({"gamma": float("nan")}, ValueError, "gamma"),
        ({"gamma": "2"}, TypeError, "gamma"),
        ({"gamma": 50.5}, ValueError, "gamma must be at most 50"),
        ({"gamma": 1e6}, ValueError, "gamma must be at most 50"),
        ({"alpha": 0.0}, ValueError, "alpha"),
        ({"alpha": 1.0}, ValueError, "alpha"),
        ({"alpha": 1.5}, ValueError, "alpha"),
        ({"alpha": [1.0, -1.0]}, ValueError, "alpha"),
        ({"alpha": [1.0]}, ValueError, "alpha"),
        ({"alpha": "balanced"}, TypeError, "alpha"),
        ({"derivatives": "exact"}, ValueError, "derivatives"),
    ],
)
def test_bad_parameters(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        focal_loss(**kwargs)


@pytest.mark.parametrize(
    ("y_true", "y_pred", "match"),
    [
        ([0, 1, np.nan], [0.0, 1.0, 2.0], "y_true contains NaN"),
        ([0, 1, 2], [0.0, 1.0, 2.0], r"y_true must hold class indices in \[0, 2\)"),
        ([0, 1, -1], [0.0, 1.0, 2.0], "y_true must hold class indices"),
        ([0, 1], [0.0, 1.0, 2.0], "lengths must match"),
        ([0, 1, 1], [0.0, np.inf, 2.0], "y_pred contains NaN"),
        ([0, 1, 0.5], [0.0, 1.0, 2.0], "integer"),
        ([0, 3], np.zeros((2, 3)), r"\[0, 3\)"),
        ([0, 1], np.zeros((2, 2, 2)), "shape"),
    ],
)
def test_bad_inputs(y_true, y_pred, match):
    with pytest.raises(ValueError, match=match):
        focal_loss()(np.asarray(y_true, dtype=float), np.asarray(y_pred))


def test_reference_path_keeps_the_digits_of_confident_softmax_rows():
    # -log(pt) as -log1p(-u): log(1 - u) made the loss of z = (0, 40) exactly 0 and its
    # gradient 3 times too small (the reference path, which runs without numba)
    from focal_boost import _reference

    u = expit(-40.0)
    y, z = np.array([1]), np.array([[0.0, 40.0]])
    loss = _reference.loss(y, z, "softmax", 2.0, None)
    grad, _ = _reference.grad_hess(y, z, "softmax", 2.0, None)
    assert loss[0] == pytest.approx(u**3, rel=1e-12, abs=0)  # u**2 * -log(1 - u)
    assert grad[0, 1] == pytest.approx(-3 * u**3, rel=1e-12, abs=0)  # -u * A, A = 3 u**2


def test_bad_alpha_for_data_and_weights():
    with pytest.raises(ValueError, match="pass a sequence"):
        focal_loss(2.0, 0.25)([0, 1, 2], np.zeros((3, 3)))
    with pytest.raises(ValueError, match="alpha has 2 weights but there are 3 classes"):
        focal_loss(2.0, [1, 2])([0, 1, 2], np.zeros((3, 3)))
    # the first bad rows are shown, on the kernels' path and the reference's, and by
    # the start margin's rule, as for the libraries' data (one check for all)
    for loss in (focal_loss(), focal_loss(derivatives="numeric")):
        with pytest.raises(ValueError, match=r"^sample_weight has 2 weight\(s\) that are "
                                             r"negative or not finite \(rows 1, 3, e\.g\. "
                                             r"-1\.0\): row weights must be finite and >= 0$"):
            loss([0, 1, 0, 1], np.zeros(4), sample_weight=[1.0, -1.0, 1.0, np.nan])
    with pytest.raises(ValueError, match=r"^sample_weight has 1 weight\(s\) .* \(rows 0, "
                                         r"e\.g\. inf\)"):
        focal_loss().init_score([0, 1], [np.inf, 1.0])
    with pytest.raises(ValueError, match=r"^sample_weight must have shape \(2,\), one weight "
                                         r"per row, got \(1,\)$"):
        focal_loss()([0, 1], [0.0, 1.0], sample_weight=[1.0])
    with pytest.raises(TypeError, match="y_true"):
        focal_loss()(["a", "b"], [0.0, 1.0])
    # a bool is no weight (numpy's was read as the float 1.0, "must lie in (0, 1)"),
    # nor is text
    pd = pytest.importorskip("pandas")
    for flag in (True, np.True_, np.array(True), np.array([True, False]), [True, True],
                 [np.True_, np.False_], pd.array([True, False], dtype="boolean"),
                 # text spelling numbers (read as them, where alpha="0.25" is refused)
                 ["1", "2", "4"], np.array(["1", "2"]), [1.0, "2"], [b"1", b"2"]):
        with pytest.raises(TypeError,
                           match=f"or a sequence of weights, got {re.escape(repr(flag))}$"):
            focal_loss(2.0, flag)
    # a ragged sequence: numpy's own error named no alpha
    with pytest.raises(TypeError, match=r"^alpha must be None, a float in \(0, 1\) or a "
                                        r"sequence of weights, got list \("):
        focal_loss(2.0, [[1.0, 2.0], [3.0]])


@pytest.mark.parametrize("labels, shown", [
    (np.array([2**63 + 1, 1], dtype=np.uint64), "9223372036854775809"),
    (np.array([1e20, 1.0]), "1e+20"),
    (np.array([-1e20, 1.0]), "-1e+20"),
    (np.array([2.0**63, 1.0]), "9.223372036854776e+18"),
])
def test_labels_past_any_class_index_are_shown_as_given(labels, shown):
    # the cast to an index came first: a uint64 label showed as -9223372036854775807,
    # 1e20 was "non-integer" (with numpy's RuntimeWarning about the cast)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError,
                           match=rf"y_true must hold class indices, got {re.escape(shown)}$"):
            focal_loss()(labels, np.zeros(2))


def test_alpha_weights_further_apart_than_float64_resolves_are_refused():
    # alpha 1e-16 at gamma 0: a constant model predicted 0.69 for a share of 0.52 (the
    # start clipped at log(1/eps), the posterior divided by the full ratio); alpha
    # [1e100, 1] overflowed XGBoost's float32 gradients ("y_pred contains NaN") and
    # LightGBM predicted 1.0 everywhere
    for alpha in (1e-16, 1.0 - 1e-16, [1e100, 1.0], [1.0, 1.0, 1e-17]):
        with pytest.raises(ValueError, match=r"alpha weights must lie within a factor "
                                             r"1/eps = 4.5e\+15"):
            focal_loss(0.0, alpha)
    with pytest.raises(ValueError, match="alpha weights must not exceed 1/eps"):
        focal_loss(2.0, [1e39, 1e39])  # overflowed the float32 gradients
    with warnings.catch_warnings():  # refused without numpy's overflow warning first
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"within a factor .* a factor inf$"):
            focal_loss(2.0, [1e-300, 1e300])
    with pytest.raises(ValueError, match=r"got 1e-20 \(position 249\) to 1\.0 \(position 0\) "
                                         r"among 250 weights, a factor 1e\+20$"):
        focal_loss(0.0, [1.0] * 249 + [1e-20])  # the pair, not 250 weights
    assert focal_loss(0.0, 1e-15).alpha == 1e-15  # within the factor: the data's share
    y = np.r_[np.zeros(479), np.ones(521)]
    loss = focal_loss(0.0, 1e-15)
    assert loss.predict_proba(np.array([loss.init_score(y)]))[0] == pytest.approx(0.521)


def test_alpha_bound_messages_say_how_to_rescale_the_weights():
    # only the weights' ratios reach the probabilities, but XGBoost's min_child_weight
    # and reg_lambda are absolute: the advice is a division, that keeps the ratios
    with pytest.raises(ValueError, match=r"\(scale them up, e\.g\. divide them by the "
                                         r"smallest\), got \[1e-310, 2e-310\]$"):
        focal_loss(2.0, [1e-310, 2e-310])
    with pytest.raises(ValueError, match=r"\(scale them down, e\.g\. divide them by the "
                                         r"largest\), got \[1e\+39, 2e\+39\]$"):
        focal_loss(2.0, [1e39, 2e39])


def test_alpha_series_is_read_by_class_index():
    import pandas as pd

    by_index = focal_loss(2.0, pd.Series([1.0, 2.0, 3.0]))
    assert by_index.alpha.tolist() == [1.0, 2.0, 3.0]
    with pytest.raises(ValueError, match=r"indexed by the class indices 0..k-1 in order, "
                                         r"got index \[2, 1, 0\]: pass alpha.sort_index\(\)"):
        focal_loss(2.0, pd.Series([1.0, 2.0, 3.0], index=[2, 1, 0]))
    # an index of label names: sorting never makes it the indices (it was advised)
    with pytest.raises(ValueError, match=r"got index \['a', 'b', 'c'\]: pass alpha.to_numpy\(\) "
                                         r"in class order or a list$"):
        focal_loss(2.0, pd.Series([1.0, 2.0, 3.0], index=["a", "b", "c"]))
    with pytest.raises(TypeError, match=r"sequence of weights, got \[1.0, 'x', 3.0\]$"):
        focal_loss(2.0, [1.0, "x", 3.0])


def test_alpha_array_is_copied_not_frozen():
    a = np.array([1.0, 2.0, 3.0])
    obj = focal_loss(2.0, a)
    a[0] = 5.0  # the caller's array stays writable...
    assert obj.alpha.tolist() == [1.0, 2.0, 3.0]  # ...and the loss keeps its own weights
    with pytest.raises(ValueError):
        obj.alpha[0] = 5.0


@pytest.mark.parametrize("alpha", ["balanced", {0: 1.0, 1: 3.0}])
def test_alpha_forms_of_the_estimators_say_why_the_loss_refuses_them(alpha):
    # the estimators take 'balanced' and dicts by label; the loss knows class indices
    # only, and said just "got 'balanced'" / "got dict"
    with pytest.raises(TypeError, match=r"need the class labels, which only the estimators "
                                        r"have; here give one weight per class index"):
        focal_loss(2.0, alpha)


def test_numeric_derivatives_at_huge_margins():
    # a fixed step vanished past |z| = 1e14 (z + 1e-3 == z): NaN, and was rounding
    # noise from 1e12 (a Hessian of -2.18 at gamma 0); a loss near 1e308 overflowed the
    # stencil. A softmax row steps by its largest margin (a 0 beside 1e17 read 0).
    z = np.array([1e12, 1e14, 1e16, 5.0, 1e300, -1.7e308, 0.3])
    y = np.array([0, 0, 0, 1, 1, 1, 0])
    Z = np.array([[1e17, 0.0, 0.0], [0.0, 1e17, 0.0], [1.0, 2.0, 3.0],
                  [1e12, 1e12 + 1.0, 1e12 - 1.0]])  # (steps by the spread, not by 1e12)
    Y = np.array([1, 0, 2, 0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for gamma in (0.0, 0.5, 2.0):
            for labels, margins in ((y, z), (Y, Z)):
                numeric = focal_loss(gamma, derivatives="numeric")(labels, margins)
                exact = focal_loss(gamma)(labels, margins)
                for n, e in zip(numeric, exact, strict=True):
                    np.testing.assert_allclose(n, e, rtol=1e-6, atol=1e-9)


def test_output_dtype_other_than_float32_or_float64_is_refused():
    # np.dtype("float64") == None: a dtype numpy cannot read passed the check
    for dtype in ("bogus", ["float32"], np.float16):
        with pytest.raises(ValueError, match="dtype must be numpy.float32 or numpy.float64"):
            focal_loss(2.0).gradient_hessian([0, 1], [0.0, 1.0], dtype=dtype)


def test_loss_arguments_keep_their_form_after_a_copy():
    import copy

    loss = focal_loss(2.0, [0.2, 0.3, 0.5])
    for other in (pickle.loads(pickle.dumps(loss)), copy.deepcopy(loss)):
        with pytest.raises(ValueError, match="read-only"):
            other.alpha[0] = 5.0  # writable once unpickled: the hash is by value
        assert other == loss and hash(other) == hash(loss)
    with pytest.raises(ValueError, match="derivatives must be"):
        focal_loss(2.0, derivatives=np.array(["numeric"]))


def test_float16_labels_raise_no_overflow_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grad, _ = focal_loss(2.0)(np.array([0, 1], dtype=np.float16), np.array([0.1, 0.2]))
    np.testing.assert_allclose(grad, focal_loss(2.0)(np.array([0, 1]),
                                                     np.array([0.1, 0.2]))[0], rtol=1e-15)


def test_a_fork_right_after_making_a_loss_is_quiet():
    # the warm-up imported concurrent.futures.thread while a fork ran its before-hooks:
    # that module's release hook alone ran, "release unlocked lock" in the parent
    import subprocess
    import sys

    # (Python 3.12 warns of any fork in a process with threads, as after XGBClassifier.fit:
    # the warm-up's thread is one)
    code = ("import os, warnings\nwarnings.filterwarnings('ignore', 'This process .* is "
            "multi-threaded', DeprecationWarning)\nfrom focal_boost import focal_loss\n"
            "L = focal_loss(2.0)\n"
            "pid = os.fork()\nif pid == 0:\n    os._exit(0)\nos.waitpid(pid, 0)\n")
    if not hasattr(__import__("os"), "fork"):
        pytest.skip("no fork here")
    for _ in range(2):
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                timeout=120, check=True)
        assert result.stderr == ""


def test_the_fork_hook_runs_before_the_hooks_of_what_the_warm_up_needs():
    # fork's before-hooks run in the reverse order of registration: logging's, registered
    # after ours (imported by the warm-up where numpy and scipy had not: scipy 1.11),
    # held logging's lock while ours waited for the warm-up, which waited for that lock
    # in numba's import: a fork right after making a loss hung
    import subprocess
    import sys

    if not hasattr(__import__("os"), "register_at_fork"):
        pytest.skip("no fork here")
    code = """if True:
        import os
        order = []
        register = os.register_at_fork

        def recording(**hooks):
            before = hooks.get("before")
            if before is not None:
                order.append(getattr(before, "__module__", None)
                             or type(getattr(before, "__self__", None)).__module__)
            register(**hooks)

        os.register_at_fork = recording
        from focal_boost import _loss, focal_loss
        focal_loss(2.0)
        assert _loss._join_warm_up(120)
        print(order)
        ours = order.index("focal_boost._loss")
        later = order[ours + 1:]
        assert "logging" not in later and "_thread" not in later, later
    """
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]


def test_edge_values_of_gamma_and_alpha():
    # subnormal alpha underflowed the weighted sums: a start at the clip bound and zero
    # gradients; -0.0 made another loss (repr, hash); a 0-d gamma was refused where a
    # 0-d alpha was taken
    with pytest.raises(ValueError, match="alpha weights must be at least"):
        focal_loss(2.0, [5e-324, 1e-323])
    assert focal_loss(-0.0) == focal_loss(0.0) and repr(focal_loss(-0.0)).find("-0") < 0
    assert focal_loss(np.array(2.0)) == focal_loss(2.0)


def test_a_zero_alpha_weight_is_refused_as_not_positive():
    # a weight of 0 is named as such, not as weights too far apart (max/min = inf)
    with pytest.raises(ValueError, match=r"alpha weights must be finite and > 0, got \[0\.0\] "
                                         r"for class\(es\) \[0\] of 2$"):
        focal_loss(2.0, [0.0, 1.0])


def test_bad_alpha_weights_are_named_up_to_five_then_dots():
    with pytest.raises(ValueError, match=re.escape(
            "got [-1.0, -1.0, -1.0, -1.0, -1.0] for class(es) [0, 1, 2, 3, 4] ... of 7")):
        focal_loss(2.0, [-1.0] * 6 + [1.0])
    with pytest.raises(ValueError, match=re.escape(
            "got [-1.0, -1.0, -1.0, -1.0, -1.0] for class(es) [0, 1, 2, 3, 4] of 6")):
        focal_loss(2.0, [-1.0] * 5 + [1.0])


def test_alpha_weights_exactly_1_over_eps_apart_are_accepted():
    # the bound is inclusive: a factor 2**52 is the largest float64 resolves
    assert focal_loss(2.0, [1.0, 2.0**52]).alpha.tolist() == [1.0, 2.0**52]
    with pytest.raises(ValueError, match="within a factor 1/eps"):
        focal_loss(2.0, [1.0, 2.0**52 + 1])


def test_labels_of_one_column_are_read_as_class_indices():
    y, z = _binary_data(50)
    loss = focal_loss(2.0)
    # float16 labels take the reference path, which reads them through validate
    np.testing.assert_array_equal(loss.loss(y.astype(np.float16)[:, None], z),
                                  loss.loss(y.astype(np.float16), z))
    assert np.shape(loss.init_score(y[:, None])) == ()
    assert loss.init_score(y[:, None]) == loss.init_score(y)


# ------------------------------------------- found unpinned by mutation testing
def test_numeric_derivatives_show_in_repr_and_equality():
    """A loss on finite differences is told apart from the analytic one."""
    numeric, analytic = focal_loss(2.0, derivatives="numeric"), focal_loss(2.0)
    assert "derivatives='numeric'" in repr(numeric)
    assert numeric != analytic
    assert len({numeric, analytic}) == 2


def test_equality_with_a_foreign_object_defers_to_it():
    """__eq__ returns NotImplemented for other types, so their own __eq__ decides."""
    assert focal_loss().__eq__(object()) is NotImplemented
    assert focal_loss() == mock.ANY
    assert focal_loss() != "focal"


def test_ce_loss_keeps_its_derivatives():
    """ce_loss(derivatives="numeric") is the finite-difference loss, not the analytic one."""
    loss = ce_loss(derivatives="numeric")
    assert loss.derivatives == "numeric"
    assert loss == focal_loss(0.0, derivatives="numeric")


@pytest.mark.parametrize("derivatives", ["analytic", "numeric"])
def test_exact_hessian_warning_points_at_the_caller(derivatives):
    """The "exact" Hessian's RuntimeWarning names the line that called the loss."""
    loss = focal_loss(2.0, derivatives=derivatives, hessian="exact")
    y, z = np.array([0, 1]), np.array([6.0, -6.0])  # confidently wrong rows
    with pytest.warns(RuntimeWarning, match="non-positive") as record:
        loss(y, z)
    assert [w.filename for w in record] == [__file__]
    with pytest.warns(RuntimeWarning, match="non-positive") as record:
        loss.gradient_hessian(y, z, dtype=np.float32)
    assert [w.filename for w in record] == [__file__]


def test_exact_hessian_warning_in_training_points_at_the_line_that_trained():
    # a library calls the loss every round: the warning named a line of _loss.py (or of
    # XGBoost's sklearn.py), and so the default filter showed it every round
    import warnings

    xgb = pytest.importorskip("xgboost")
    lgb = pytest.importorskip("lightgbm")
    from focal_boost import FocalLGBMClassifier, FocalXGBClassifier
    from focal_boost import lightgbm as flgb
    from focal_boost import xgboost as fxgb

    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    y = (X[:, 0] > 0).astype(int)
    wrong = {"hessian": "exact", "init_score": 6.0, "n_estimators": 5}
    loss = focal_loss(2.0, hessian="exact")
    starts = np.full(len(y), 6.0)
    fits = [
        lambda: FocalXGBClassifier(**wrong).fit(X, y),
        lambda: FocalLGBMClassifier(**wrong, verbose=-1).fit(X, y),
        lambda: fxgb.train({}, xgb.DMatrix(X, y, base_margin=starts), loss, 5,
                           init_score=None),
        lambda: flgb.train({"verbose": -1}, lgb.Dataset(X, y, init_score=starts), loss, 5,
                           init_score=None),
        lambda: xgb.XGBClassifier(n_estimators=5, objective=loss).fit(X, y, base_margin=starts),
    ]
    for fit in fits:
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("default")  # (once per line)
            fit()
        exact = [w for w in record if "non-positive" in str(w.message)]
        assert [w.filename for w in exact] == [__file__]


@pytest.mark.parametrize("derivatives", ["analytic", "numeric"])
def test_exact_hessian_of_cross_entropy_does_not_warn(derivatives):
    """gamma = 0: a saturated wrong row's Hessian underflows to 0, which is no warning."""
    loss = focal_loss(0.0, derivatives=derivatives, hessian="exact")
    y, z = np.array([0, 1]), np.array([800.0, -800.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grad, hess = loss(y, z)
    np.testing.assert_array_equal(grad, [1.0, -1.0])
    np.testing.assert_array_equal(hess, [0.0, 0.0])


@pytest.mark.parametrize("alpha", [[1.0, 3.0], [0.2, 0.8], 0.25, None])
def test_binary_margins_read_multilabel_are_binary(alpha):
    """1-D margins with multilabel=True are one binary model, weighed by its classes."""
    loss = focal_loss(2.0, alpha)
    z = np.array([-2.0, 0.3, 1.5])
    np.testing.assert_array_equal(loss.predict_proba(z, multilabel=True),
                                  loss.predict_proba(z))
    np.testing.assert_array_equal(loss.decision_function(z, multilabel=True),
                                  loss.decision_function(z))


def test_inverse_link_checks_multilabel():
    """inverse_link refuses a multilabel that is not a bool, as predict_proba does."""
    z = np.array([[0.0, 1.0], [2.0, -1.0]])
    with pytest.raises(TypeError, match="multilabel must be True or False"):
        focal_loss().inverse_link(z, multilabel="no")
    with pytest.raises(TypeError, match="multilabel must be True or False"):
        focal_loss().predict_proba(z, multilabel="no")


def test_metrics_of_zero_weights_or_no_rows_are_nan_without_warnings():
    """Weights summing to 0 and no rows give NaN quietly (no 0/0 or empty-mean warning)."""
    y, p = np.array([0, 1, 1]), np.array([0.2, 0.7, 0.4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(metrics.focal_metric(focal_loss(), y, np.array([0.1, 0.5, -1.0]),
                                        np.zeros(3)))
        assert np.isnan(metrics.error(y, p, np.zeros(3)))
        assert np.isnan(metrics.brier(y, p, np.zeros(3)))
        assert np.isnan(metrics.error(np.array([], dtype=int), np.array([])))
        assert np.isnan(metrics.brier(np.array([], dtype=int), np.array([])))


def test_numeric_softmax_derivatives_at_equal_huge_margins():
    """A softmax row of equal margins of 1e14 (spread 0): finite differences stay finite."""
    y = np.array([0, 2])
    z = np.full((2, 3), 1e14)
    grad, hess = focal_loss(2.0, derivatives="numeric", hessian="exact")(y, z)
    want_grad, want_hess = focal_loss(2.0, hessian="exact")(y, z)
    assert np.isfinite(grad).all() and np.isfinite(hess).all()
    np.testing.assert_allclose(grad, want_grad, rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(hess, want_hess, rtol=1e-3, atol=1e-6)


# ---------------------------------------------- found unpinned by mutation testing
def test_boolean_labels_are_class_indices():
    z = np.array([0.3, -1.0, 2.0])
    Y = np.array([[True, False], [False, False], [True, True]])
    loss = focal_loss(2.0)
    for got, want in ((loss(np.array([True, False, True]), z), loss(np.array([1, 0, 1]), z)),
                      (loss(Y, np.c_[z, -z]), loss(Y.astype(int), np.c_[z, -z]))):
        np.testing.assert_array_equal(got[0], want[0])
        np.testing.assert_array_equal(got[1], want[1])
    assert loss.init_score(np.array([True, False, True])) == loss.init_score([1, 0, 1])


# -------- found unpinned by mutation testing (numeric path, adapters, strategies)
_STENCILS = {1: {-2: 1.0, -1: -8.0, 1: 8.0, 2: -1.0},
             2: {-2: -1.0, -1: 16.0, 0: -30.0, 1: 16.0, 2: -1.0}}


def _finite_differences(loss, z, order, h0):
    """The 4th-order central difference the README documents, taken independently."""
    h = (z + h0) - z
    d = sum(coef * (loss(z + m * h) - loss(z)) for m, coef in _STENCILS[order].items())
    return d / 12 / h / (h if order == 2 else 1.0)


def test_numeric_derivatives_are_finite_differences_not_the_closed_forms():
    """derivatives="numeric" takes 4th-order central differences of the loss (steps
    1e-3 and 3e-3 at ordinary margins): its output is those differences, which differ
    from the closed forms by the truncation and rounding error."""
    y = np.array([0, 1, 1, 0, 1])
    z = np.array([-2.0, -0.7, 0.3, 1.1, 2.5])

    def per_row(m):
        return _reference.loss(y, m, "sigmoid", 2.0, None)

    grad, hess = focal_loss(2.0, derivatives="numeric", hessian="exact")(y, z)
    np.testing.assert_allclose(grad, _finite_differences(per_row, z, 1, 1e-3), rtol=1e-12)
    np.testing.assert_allclose(hess, _finite_differences(per_row, z, 2, 3e-3), rtol=1e-12)
    exact_grad, exact_hess = focal_loss(2.0, hessian="exact")(y, z)
    np.testing.assert_allclose(hess, exact_hess, rtol=1e-6)
    assert not np.array_equal(hess, exact_hess)  # not the closed form


@pytest.mark.parametrize("module", ["xgboost", "lightgbm"])
def test_the_adapters_refuse_a_loss_that_is_not_a_focal_loss_by_name(module):
    """The adapters' objective takes a FocalLoss only, and says so naming the type given,
    not an AttributeError at the first boosting round."""
    import importlib

    pytest.importorskip(module)
    adapter = importlib.import_module(f"focal_boost.{module}")
    with pytest.raises(TypeError, match=r"^loss must be a FocalLoss \(from focal_boost\.focal_loss "
                                        r"or ce_loss\), got str$"):
        adapter.objective("binary:logistic")


def test_an_unknown_hessian_strategy_is_refused_listing_them_default_first():
    """The message lists the strategies in the documented order, the default first."""
    message = ("hessian must be one of ('saddle_free', 'fisher', 'clip', 'abs', 'exact'), "
               "got 'newton'")
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        focal_loss(2.0, hessian="newton")


def test_outputs_and_weights_that_are_not_what_they_name_are_refused_by_name():
    # out=3: "'int' object is not iterable"; a weight "a": numpy's message, naming none
    loss = focal_loss(2.0)
    y, z = np.array([0, 1]), np.array([0.5, -0.5])
    with pytest.raises(TypeError, match=r"^out must be None or a pair \(grad, hess\)"):
        loss.gradient_hessian(y, z, out=3)
    with pytest.raises(ValueError, match="^sample_weight must hold numbers"):
        loss(y, z, sample_weight=["a", "b"])


# ----------------------------------------------- found unpinned by mutation testing


def test_gradient_hessian_writes_into_a_list_pair_and_refuses_three_arrays():
    # out is "a pair (grad, hess)": a list of two is one, three arrays are not
    loss = focal_loss(2.0)
    y, z = np.array([0, 1]), np.array([0.5, -0.5])
    expected = loss.gradient_hessian(y, z)
    grad, hess = np.empty(2), np.empty(2)
    result = loss.gradient_hessian(y, z, out=[grad, hess])
    assert result[0] is grad and result[1] is hess
    np.testing.assert_array_equal(grad, expected[0])
    np.testing.assert_array_equal(hess, expected[1])
    with pytest.raises(TypeError, match=r"^out must be None or a pair \(grad, hess\)"):
        loss.gradient_hessian(y, z, out=(np.empty(2), np.empty(2), np.empty(2)))
    with pytest.raises(TypeError, match=r"^out must be None or a pair \(grad, hess\)"):
        loss.gradient_hessian(y, z, out=(np.empty(2),))


def test_sample_weight_that_numpy_refuses_with_a_type_error_is_named():
    # numpy raises TypeError (not ValueError) for complex numbers or dicts: the type is
    # kept and the message names the argument
    loss = focal_loss(2.0)
    y, z = np.array([0, 1]), np.array([0.5, -0.5])
    for weights in ([1j, 2j], [{}, {}]):
        with pytest.raises(TypeError, match="^sample_weight must hold numbers: float"):
            loss(y, z, sample_weight=weights)


def test_empty_sample_weight_counts_as_none():
    # XGBoost reports "no weights" as an empty array: the loss takes it as unweighted
    # (not "must have shape (2,)")
    for loss in (focal_loss(2.0), focal_loss(2.0, derivatives="numeric")):
        expected = loss([0, 1], [0.3, -0.2])
        for empty in ([], np.array([]), np.zeros(0, dtype=np.float32)):
            np.testing.assert_array_equal(loss([0, 1], [0.3, -0.2], sample_weight=empty),
                                          expected)
