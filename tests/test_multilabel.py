"""Multi-label: a 2-D 0/1 label matrix means one sigmoid focal loss per label."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from scipy.optimize import minimize
from scipy.special import expit, log_expit

from focal_boost import focal_loss
from focal_boost._loss import _HESSIANS

GAMMAS = [0.0, 0.5, 1.0, 2.0, 2.5, 5.0]
K = 4
# alpha for every label, or one positive-class weight per label
ALPHAS = [None, 0.25, (0.1, 0.5, 0.75, 0.9)]
exact_hessian = pytest.mark.filterwarnings("ignore:the exact focal Hessian:RuntimeWarning")
RNG = np.random.default_rng(15)


def _data(n=300, k=K, low=-30, high=30, rng=RNG):
    y = (rng.random((n, k)) < rng.uniform(0.05, 0.5, k)).astype(int)
    z = rng.uniform(low, high, (n, k))
    z[:3] = [[800.0, -800.0, 0.0, 1e4][j % 4] for j in range(k)]  # saturated and exact 0
    return y, z


def _label_alpha(alpha, j):
    return alpha[j] if isinstance(alpha, tuple) else alpha


@pytest.fixture(params=["reference", "kernels"])
def path(request):
    """Run a test on the numpy reference path and on the fast kernels."""
    if request.param == "reference":
        from focal_boost import _kernels

        previous = _kernels.set_enabled(False)
        yield request.param
        _kernels.set_enabled(previous)
    else:
        pytest.importorskip("numba")
        from focal_boost import _kernels

        previous = _kernels.set_enabled(True)
        yield request.param
        _kernels.set_enabled(previous)


# --------------------------------------------------- k labels = k binary losses
@exact_hessian
@pytest.mark.parametrize("gamma", GAMMAS)
@pytest.mark.parametrize("alpha", ALPHAS)
@pytest.mark.parametrize("hessian", _HESSIANS)
def test_labels_equal_separate_binary_losses_exactly(path, gamma, alpha, hessian):
    y, z = _data()
    sw = RNG.uniform(0, 3, len(y))
    loss = focal_loss(gamma, alpha, hessian=hessian)
    for weight in (None, sw):
        grad, hess = loss(y, z, weight)
        assert grad.shape == hess.shape == z.shape
        for j in range(K):
            binary = focal_loss(gamma, _label_alpha(alpha, j), hessian=hessian)
            gj, hj = binary(y[:, j], z[:, j], weight)
            assert_array_equal(grad[:, j], gj)
            assert_array_equal(hess[:, j], hj)
    values = loss.loss(y, z)
    assert values.shape == z.shape
    init = loss.init_score(y, sw)
    assert init.shape == (K,)
    proba = loss.predict_proba(z, multilabel=True)
    for j in range(K):
        binary = focal_loss(gamma, _label_alpha(alpha, j))
        assert_array_equal(values[:, j], binary.loss(y[:, j], z[:, j]))
        assert init[j] == binary.init_score(y[:, j], sw)
        assert_array_equal(proba[:, j], binary.predict_proba(z[:, j]))
        assert_array_equal(loss.inverse_link(z, multilabel=True)[:, j], expit(z[:, j]))


# ------------------------------------------------------- analytic vs numeric
@exact_hessian
@pytest.mark.parametrize("gamma", GAMMAS)
@pytest.mark.parametrize("alpha", ALPHAS)
def test_analytic_matches_finite_differences(gamma, alpha):
    y, z = _data()
    sw = RNG.uniform(0, 3, len(y))
    grad, hess = focal_loss(gamma, alpha, hessian="exact")(y, z, sw)
    ngrad, nhess = focal_loss(gamma, alpha, derivatives="numeric", hessian="exact")(y, z, sw)
    for a, b in ((grad, ngrad), (hess, nhess)):
        assert_allclose(a, b, rtol=1e-6, atol=1e-6 * np.abs(b).max())


# ------------------------------------------------------------ special cases
def test_gamma_zero_is_binary_cross_entropy_per_label():
    y, z = _data(low=-40, high=40)
    loss = focal_loss(0.0)
    p = expit(z)
    grad, hess = loss(y, z)
    assert_allclose(loss.loss(y, z), -(y * log_expit(z) + (1 - y) * log_expit(-z)),
                    rtol=1e-12, atol=1e-300)
    assert_allclose(grad, p - y, rtol=1e-12, atol=1e-15)
    assert_allclose(hess, p * expit(-z), rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("gamma", [0.0, 1.0, 2.0, 3.5])
@pytest.mark.parametrize("alpha", [0.25, 0.6])
def test_loss_is_torchvision_sigmoid_focal_loss(gamma, alpha):
    # torchvision.ops.sigmoid_focal_loss(inputs, targets, alpha, gamma, reduction="none")
    # on (n, k) inputs, transcribed: RetinaNet's multi-label form.
    y, z = _data(low=-15, high=15)
    with np.errstate(over="ignore"):  # the transcription overflows at saturation
        p = 1 / (1 + np.exp(-z))
    ce = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    p_t = p * y + (1 - p) * (1 - y)
    expected = (alpha * y + (1 - alpha) * (1 - y)) * ce * (1 - p_t) ** gamma
    assert_allclose(focal_loss(gamma, alpha).loss(y, z), expected, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0, 5.0])
@pytest.mark.parametrize("alpha", ALPHAS)
def test_init_score_minimises_the_mean_loss(gamma, alpha):
    y = (RNG.random((500, K)) < [0.5, 0.2, 0.05, 0.01]).astype(int)
    sw = RNG.uniform(0.5, 2, 500)
    loss = focal_loss(gamma, alpha)
    c = loss.init_score(y, sw)

    def mean_loss(v):
        return np.average(loss.loss(y, np.broadcast_to(v, y.shape)).sum(axis=1), weights=sw)

    best = minimize(mean_loss, np.zeros(K), method="Nelder-Mead",
                    options={"xatol": 1e-9, "fatol": 1e-14, "maxiter": 40000})
    assert mean_loss(c) <= best.fun + 1e-10
    assert_allclose(c, best.x, atol=1e-3)


@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0, 5.0])
@pytest.mark.parametrize("alpha", ALPHAS)
def test_posterior_of_the_optimal_constant_is_the_label_frequency(gamma, alpha):
    # The focal-optimal constant of a label whose positives weigh eta is the margin
    # whose corrected probability is eta: the correction inverts the minimiser.
    eta = np.array([0.5, 0.2, 0.05, 0.01])
    y = (np.arange(1000)[:, None] < eta * 1000).astype(int)  # label j: 1000 * eta_j ones
    sw = RNG.uniform(0.5, 2, 1000)
    eta = (sw[:, None] * y).sum(axis=0) / sw.sum()  # the weighted frequency
    loss = focal_loss(gamma, alpha)
    c = loss.init_score(y, sw)
    proba = loss.predict_proba(c[None, :], multilabel=True)[0]
    assert_allclose(proba, eta, rtol=1e-6)
    if gamma > 0:  # the plain sigmoid is not the frequency
        assert np.abs(expit(c) - eta).max() > 1e-3


# ------------------------------------------------------------------ numerics
@settings(max_examples=60, deadline=None)
@given(
    gamma=st.floats(0, 50),
    scale=st.floats(0, 1e4),
    seed=st.integers(0, 2**16),
    dtype=st.sampled_from([np.float32, np.float64]),
)
def test_finite_everywhere(gamma, scale, seed, dtype):
    rng = np.random.default_rng(seed)
    z = (rng.standard_normal((8, 3)) * scale).astype(dtype)
    y = rng.integers(0, 2, (8, 3))
    loss = focal_loss(gamma, (0.2, 0.5, 0.9))
    grad, hess = loss(y, z)
    values = loss.loss(y, z)
    proba = loss.predict_proba(z, multilabel=True)
    assert np.isfinite(grad).all() and np.isfinite(hess).all() and np.isfinite(values).all()
    assert (values >= 0).all() and (hess >= 0).all()
    # |dFL/dz| = a * u**gamma * (u + gamma * pt * (-log pt)) <= a * (1 + gamma / e)
    assert (np.abs(grad) <= np.array([0.8, 0.5, 0.9]) * (1 + gamma / np.e)).all()
    assert ((proba >= 0) & (proba <= 1)).all()
    # the sign of the gradient is that of p - y, label by label
    assert (grad[y == 1] <= 0).all() and (grad[y == 0] >= 0).all()


# ------------------------------------------------------- label shape decides
def test_label_shape_decides_between_softmax_and_sigmoids():
    rng = np.random.default_rng(3)
    z = rng.normal(size=(50, 3))
    classes = rng.integers(0, 3, 50)
    indicators = np.eye(3, dtype=int)[classes]
    alpha = (0.2, 0.3, 0.5)
    loss = focal_loss(2.0, alpha)
    g_softmax, _ = loss(classes, z)
    g_sigmoid, _ = loss(indicators, z)
    # softmax: the gradient of a row sums to 0; sigmoids: label j is its own binary loss
    assert_allclose(g_softmax.sum(axis=1), 0.0, atol=1e-12)
    assert np.abs(g_sigmoid.sum(axis=1)).max() > 0.1
    assert_array_equal(g_sigmoid[:, 1], focal_loss(2.0, 0.3)(indicators[:, 1], z[:, 1])[0])
    # the same margins read as classes or as labels
    assert_allclose(loss.predict_proba(z).sum(axis=1), 1.0)
    assert_array_equal(loss.predict_proba(z, multilabel=True)[:, 2],
                       focal_loss(2.0, 0.5).predict_proba(z[:, 2]))
    # a one-column label matrix is binary
    binary = focal_loss(2.0, 0.3)
    assert_array_equal(binary(classes[:, None] % 2, z[:, :1])[0][:, 0],
                       binary(classes % 2, z[:, 0])[0])


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: focal_loss()(np.full((3, 2), 2), np.zeros((3, 2))), ValueError,
         "must hold only 0 and 1"),
        (lambda: focal_loss()(np.zeros((3, 2)), np.zeros((3, 3))), ValueError,
         r"multi-label y_true of shape \(3, 2\) needs margins y_pred of the same shape"),
        (lambda: focal_loss()(np.zeros((3, 2)), np.zeros(3)), ValueError, "same shape"),
        (lambda: focal_loss(2.0, [0.2, 0.3, 0.5])(np.zeros((3, 2)), np.zeros((3, 2))),
         ValueError, "alpha has 3 weights but y_true has 2 labels"),
        (lambda: focal_loss(2.0, [1.0, 2.0])(np.zeros((3, 2)), np.zeros((3, 2))),
         ValueError, r"positive-class weight, which must lie in \(0, 1\)"),
        (lambda: focal_loss().init_score(np.zeros((3, 2)), n_classes=3), ValueError,
         "n_classes does not apply to a multi-label y_true"),
        (lambda: focal_loss().loss(np.zeros((3, 2, 2)), np.zeros((3, 2))), ValueError,
         "y_true must be 1-D"),
        (lambda: focal_loss().predict_proba(np.zeros((3, 2)), multilabel="yes"), TypeError,
         "multilabel must be True or False"),
        (lambda: focal_loss()(np.array([[0, np.nan]]), np.zeros((1, 2))), ValueError,
         "NaN"),
        (lambda: focal_loss()(np.zeros((2, 2)), np.zeros((2, 2)), [1.0, -1.0]), ValueError,
         "sample_weight"),
    ],
)
def test_bad_multilabel_inputs(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_float_alpha_and_sequence_alpha_agree():
    y, z = _data(50)
    a = focal_loss(2.0, 0.25)(y, z)
    b = focal_loss(2.0, [0.25] * K)(y, z)
    for u, v in zip(a, b, strict=True):
        assert_array_equal(u, v)
