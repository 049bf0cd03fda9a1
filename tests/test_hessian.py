"""Hessian strategies, ``FocalLoss(hessian=...)``: positivity, formulas, stress test.

The exact focal Hessian is negative on confidently wrong rows when gamma > 0. Each
strategy is checked for what it promises; the Fisher curvature against an
independent derivation (finite differences of ``F(c) = c * (1 - exp(-c))**gamma``
in the cross-entropy ``c``); and the default against the stress test of the design
notes on both libraries, where the exact Hessian learns nothing.
"""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest
from scipy.special import expit, softmax

from focal_boost import FocalLoss, _kernels, ce_loss, focal_loss
from focal_boost._hessian import HESSIAN_FLOOR as _HESSIAN_FLOOR

POSITIVE = ["saddle_free", "fisher", "clip", "abs"]
ALL = [*POSITIVE, "exact"]
GAMMAS = [0.5, 1.0, 2.0, 5.0]


@pytest.fixture(params=["kernels", "numpy"], autouse=True)
def path(request):
    """Run every test on the fast kernels (where installed) and on the numpy path."""
    previous = _kernels.set_enabled(request.param == "kernels")
    yield request.param
    _kernels.set_enabled(previous)


def _rows(k: int, n: int = 3000, scale: float = 6.0, seed: int = 0):
    """Labels and margins: binary (k = 1, one margin column) or k-class softmax."""
    rng = np.random.default_rng(seed)
    z = rng.normal(scale=scale, size=(n,) if k == 1 else (n, k))
    y = rng.integers(0, 2 if k == 1 else k, n)
    return y, z


def _alpha(k: int):
    return 0.25 if k == 1 else [0.5, 1.0, 2.0][:k] + [1.0] * (k - 3)


def _hess(gamma, alpha, strategy, y, z, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # "exact" warns by design
        return focal_loss(gamma, alpha, hessian=strategy, **kw)(y, z)


def _pt(y, z):
    if z.ndim == 1:
        return expit(np.where(y == 1, z, -z))
    return softmax(z, axis=1)[np.arange(len(y)), y]


# ------------------------------------------------------------------ promises
def test_default_is_saddle_free():
    assert focal_loss().hessian == FocalLoss().hessian == "saddle_free"
    assert ce_loss().hessian == "saddle_free"


@pytest.mark.parametrize("k", [1, 3])
@pytest.mark.parametrize("gamma", GAMMAS)
@pytest.mark.parametrize("strategy", POSITIVE)
def test_positive(strategy, gamma, k):
    y, z = _rows(k)
    _, exact = _hess(gamma, _alpha(k), "exact", y, z)
    assert (exact < 0).any()  # the sample does reach the negative region
    grad, hess = _hess(gamma, _alpha(k), strategy, y, z)
    assert np.isfinite(hess).all() and (hess >= 0).all()
    if strategy == "clip":
        assert (hess >= _HESSIAN_FLOOR).all()
    elif strategy != "abs":  # abs passes through 0 where the exact Hessian changes sign
        assert (hess[grad != 0] > 0).all()


@pytest.mark.parametrize("k", [1, 3])
@pytest.mark.parametrize("gamma", GAMMAS)
def test_each_strategy_from_exact_and_fisher(gamma, k):
    y, z = _rows(k)
    a = _alpha(k)
    grad, exact = _hess(gamma, a, "exact", y, z)
    _, fisher = _hess(gamma, a, "fisher", y, z)
    tol = {"rtol": 1e-12, "atol": 1e-300}
    np.testing.assert_allclose(_hess(gamma, a, "abs", y, z)[1], np.abs(exact), **tol)
    np.testing.assert_allclose(_hess(gamma, a, "clip", y, z)[1],
                               np.maximum(exact, _HESSIAN_FLOOR), **tol)
    # The default may run on the other path (kernels vs numpy): agree to rounding of
    # the sum p*(1-p)*A + B*w**2, whose terms cancel where the Hessian changes sign.
    np.testing.assert_allclose(_hess(gamma, a, "saddle_free", y, z)[1],
                               np.maximum(np.abs(exact), fisher), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(_hess(gamma, a, "exact", y, z)[0], grad, **tol)
    # Fisher: |grad| * pt (binary); |grad_j| * (1 - |p_j - [j==y]|) (softmax).
    if k == 1:
        np.testing.assert_allclose(fisher, np.abs(grad) * _pt(y, z), **tol)
    else:
        p = softmax(z, axis=1)
        # (1 - p_j in plain floats loses digits when p_j ~ 1: hence atol.)
        np.testing.assert_allclose(fisher, np.abs(grad) * (1 - np.abs(p - np.eye(k)[y])),
                                   rtol=1e-9, atol=1e-15)


@pytest.mark.parametrize("k", [1, 3])
@pytest.mark.parametrize("gamma", GAMMAS)
def test_saddle_free_is_exact_on_well_classified_rows(gamma, k):
    # The outer curvature B is >= 0 above pt = 0.161 (gamma 0.5) ... 0.064 (gamma 5):
    # there exact >= fisher and the default hands over the exact Hessian.
    y, z = _rows(k)
    _, exact = _hess(gamma, _alpha(k), "exact", y, z)
    _, fisher = _hess(gamma, _alpha(k), "fisher", y, z)
    _, default = _hess(gamma, _alpha(k), "saddle_free", y, z)
    well = _pt(y, z) > 0.17
    assert 0.3 < well.mean() < 0.9
    assert (exact[well] >= fisher[well] * (1 - 1e-12)).all()
    np.testing.assert_allclose(default[well], exact[well], rtol=1e-12, atol=1e-15)
    assert (default >= fisher * (1 - 1e-12)).all()
    # Below, it takes over where the exact Hessian is negative.
    wrong = exact < 0
    np.testing.assert_allclose(default[wrong], np.maximum(-exact[wrong], fisher[wrong]),
                               rtol=1e-12)


@pytest.mark.parametrize("k", [1, 4])
@pytest.mark.parametrize("gamma", [0.5, 1.0, 2.0, 3.7])
def test_fisher_against_derivation_in_cross_entropy(gamma, k):
    # FL = a * F(c), c = -log(pt), F(c) = c * (1 - exp(-c))**gamma. Then
    #   d2FL/dz_j^2 = a * (F'(c) * p_j*(1-p_j) + F''(c) * (p_j - [j==y])**2)
    # and fisher keeps the first term. F' and F'' by finite differences in c.
    y, z = _rows(k, n=2000, scale=4.0, seed=1)
    c = -np.log(_pt(y, z))
    keep = (c > 0.2) & (c < 30)  # F is singular at c = 0 for gamma < 1
    y, z, c = y[keep], z[keep], c[keep]
    p = np.c_[1 - expit(z), expit(z)] if k == 1 else softmax(z, axis=1)
    onehot = np.eye(p.shape[1])[y]
    a = np.array([0.75, 0.25]) if k == 1 else np.asarray(_alpha(k))
    a = a[y]

    def F(c):
        return c * (-np.expm1(-c)) ** gamma

    # 4th-order central differences; the wider step for F'' keeps rounding below 1e-9.
    h = 1e-3
    f = {m: F(c + m * h) for m in (-2, -1, 1, 2)}
    dF = (f[-2] - 8 * f[-1] + 8 * f[1] - f[2]) / (12 * h)
    h = 5e-3
    f = {m: F(c + m * h) for m in (-2, -1, 0, 1, 2)}
    d2F = (-f[-2] + 16 * f[-1] - 30 * f[0] + 16 * f[1] - f[2]) / (12 * h * h)
    if k == 1:  # the margin is the class-1 column
        inner = a * dF * p[:, 1] * p[:, 0]
        outer = a * d2F * (p[:, 1] - onehot[:, 1]) ** 2
    else:
        inner = (a * dF)[:, None] * p * (1 - p)
        outer = (a * d2F)[:, None] * (p - onehot) ** 2
    _, fisher = _hess(gamma, _alpha(k), "fisher", y, z)
    _, exact = _hess(gamma, _alpha(k), "exact", y, z)
    np.testing.assert_allclose(fisher, inner, rtol=1e-6, atol=1e-12)
    # (atol: rounding of the F'' stencil, ~eps * c / h**2.)
    np.testing.assert_allclose(exact, inner + outer, rtol=1e-5, atol=5e-9)
    assert (outer < 0).any() and (outer > 0).any()


@pytest.mark.parametrize("gamma", [1.0, 2.0, 5.0])
def test_fisher_is_one_plus_gamma_times_too_small_when_well_classified(gamma):
    # Why the default is not plain "fisher": as u -> 0, exact / fisher -> 1 + gamma.
    for y, z in ((np.array([1]), np.array([12.0])),
                 (np.array([0]), np.array([[12.0, 0.0, -1.0]]))):
        _, exact = _hess(gamma, None, "exact", y, z)
        _, fisher = _hess(gamma, None, "fisher", y, z)
        assert exact.ravel()[0] / fisher.ravel()[0] == pytest.approx(1 + gamma, rel=1e-4)


@pytest.mark.parametrize("k", [1, 3])
@pytest.mark.parametrize("strategy", ALL)
def test_numeric_derivatives(strategy, k):
    # derivatives="numeric" applies the same strategy to the finite-difference
    # derivatives: "exact" must match the analytic exact Hessian, the others theirs.
    y, z = _rows(k, n=500, scale=4.0)
    ga, ha = _hess(2.0, _alpha(k), strategy, y, z)
    gn, hn = _hess(2.0, _alpha(k), strategy, y, z, derivatives="numeric")
    np.testing.assert_allclose(gn, ga, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(hn, ha, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("k", [1, 3])
@pytest.mark.parametrize("strategy", ALL)
def test_gamma_zero_is_logistic_for_every_strategy(strategy, k):
    y, z = _rows(k, scale=3.0)
    p = expit(z) if k == 1 else softmax(z, axis=1)
    for obj in (focal_loss(0.0, hessian=strategy), FocalLoss(0.0, hessian=strategy)):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # gamma = 0 never warns, even for "exact"
            grad, hess = obj(y, z)
        expected = p * (1 - p)
        if strategy == "clip":  # the floor still applies
            expected = np.maximum(expected, _HESSIAN_FLOOR)
        np.testing.assert_allclose(hess, expected, rtol=1e-10, atol=1e-300)
        np.testing.assert_allclose(grad, p - (y if k == 1 else np.eye(k)[y]), rtol=1e-12,
                                   atol=1e-15)


@pytest.mark.parametrize("k", [1, 3])
@pytest.mark.parametrize("strategy", ALL)
def test_sample_weight_multiplies_every_strategy(strategy, k):
    y, z = _rows(k, n=1000)
    sw = np.random.default_rng(3).uniform(0, 3, len(y))
    sw[:50] = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        obj = focal_loss(2.0, _alpha(k), hessian=strategy)
        grad, hess = obj(y, z)
        gw, hw = obj(y, z, sample_weight=sw)
    w = sw if k == 1 else sw[:, None]
    np.testing.assert_allclose(gw, grad * w, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(hw, hess * w, rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("k", [1, 3])
@pytest.mark.parametrize("strategy", ALL)
def test_kernels_and_numpy_path_agree(strategy, k, path):
    if path == "numpy" or not _kernels.available():
        pytest.skip("compares the fast kernels against the numpy path")
    y, z = _rows(k, n=2000)
    sw = np.random.default_rng(4).uniform(0, 2, len(y))
    fast = _hess_w(strategy, _alpha(k), y, z, sw)
    _kernels.set_enabled(False)
    ref = _hess_w(strategy, _alpha(k), y, z, sw)
    for a, b in zip(fast, ref, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-11, atol=1e-15)


def _hess_w(strategy, alpha, y, z, sw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return focal_loss(2.0, alpha, hessian=strategy)(y, z, sample_weight=sw)


# ------------------------------------------------------------------- warning
@pytest.mark.parametrize("k", [1, 3])
def test_exact_warns_when_non_positive(k):
    y, z = _rows(k)
    with pytest.warns(RuntimeWarning, match="non-positive"):
        focal_loss(2.0, hessian="exact")(y, z)
    # Well-classified rows only: the exact Hessian is positive, no warning.
    y = np.argmax(z, axis=1) if k > 1 else (z > 0).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, hess = focal_loss(2.0, hessian="exact")(y, z)
        for strategy in POSITIVE:  # and never from the positive strategies
            focal_loss(2.0, hessian=strategy)(*_rows(k))
    assert (hess > 0).all()
    # a Hessian of exactly 0 under a gradient (a row confidently wrong past exp's range)
    with pytest.warns(RuntimeWarning, match="non-positive"):
        grad, hess = focal_loss(2.0, hessian="exact")([1.0], [-800.0])
    assert hess[0] == 0.0 and grad[0] == pytest.approx(-1.0)


def test_clip_floor_is_one_millionth_per_unit_of_weight():
    # XGBoost's demos' floor, per row and unit of sample weight
    grad, hess = focal_loss(2.0, hessian="clip")([0.0, 0.0], [10.0, 10.0],
                                                 sample_weight=[1.0, 3.0])
    assert hess.tolist() == [1e-6, 3e-6] and _HESSIAN_FLOOR == 1e-6


# ---------------------------------------------------------------- validation
@pytest.mark.parametrize("bad,error", [("bogus", ValueError), ("Exact", ValueError),
                                       (None, TypeError), (1, TypeError)])
def test_hessian_validation(bad, error):
    with pytest.raises(error, match="hessian"):
        focal_loss(hessian=bad)
    with pytest.raises(error, match="hessian"):
        FocalLoss(2.0, hessian=bad)


def test_repr_equality_pickle():
    assert repr(focal_loss(2.0)) == "FocalLoss(gamma=2.0, alpha=None)"
    obj = focal_loss(1.5, 0.25, hessian="fisher")
    assert repr(obj) == "FocalLoss(gamma=1.5, alpha=0.25, hessian='fisher')"
    assert obj != focal_loss(1.5, 0.25) and obj == focal_loss(1.5, 0.25, hessian="fisher")
    clone = pickle.loads(pickle.dumps(obj))
    assert clone == obj and clone.hessian == "fisher"


# --------------------------------------------------------------- stress test
# One thread: the sets are tiny, and spinning OpenMP threads stall on a busy machine.
def _stress(k: int):
    """Every row starts at +4 on class 1 (binary) or 0 (multiclass); 86% are not it."""
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    weights = [0.86] if k == 2 else [0.14, 0.43, 0.43]
    X, y = sklearn_datasets.make_classification(1000, 10, n_informative=5, n_classes=k,
                                                weights=weights, flip_y=0.02, random_state=0)
    init = np.full(len(y), 4.0) if k == 2 else np.tile([4.0, 0.0, 0.0], (len(y), 1))
    return X[:600], y[:600], init[:600], X[600:], y[600:], init[600:]


def _auc(y, z, k):
    from sklearn.metrics import roc_auc_score

    if not np.isfinite(z).all():
        return 0.5
    return roc_auc_score(y, z) if k == 2 else roc_auc_score(y, softmax(z, axis=1),
                                                            multi_class="ovr")


def _fit_xgboost(obj, k):
    xgb = pytest.importorskip("xgboost")
    X, y, m, X_te, y_te, m_te = _stress(k)
    params = {"max_depth": 4, "eta": 0.1, "nthread": 1, "base_score": 0.0, "seed": 0,
              "disable_default_eval_metric": 1, **({"num_class": k} if k > 2 else {})}
    booster = xgb.train(params, xgb.DMatrix(X, label=y, base_margin=m), 40,
                        obj=lambda p, d: obj(d.get_label(), p))
    return _auc(y_te, booster.predict(xgb.DMatrix(X_te, base_margin=m_te),
                                      output_margin=True), k)


def _fit_lightgbm(obj, k):
    lgb = pytest.importorskip("lightgbm")
    X, y, m, X_te, y_te, m_te = _stress(k)
    params = {"objective": lambda p, d: obj(d.get_label(), p), "num_leaves": 15,
              "learning_rate": 0.1, "num_threads": 1, "verbose": -1, "seed": 0,
              **({"num_class": k} if k > 2 else {})}
    try:
        booster = lgb.train(params, lgb.Dataset(X, label=y, init_score=m), 40)
    except lgb.basic.LightGBMError:  # a Hessian sum that is not positive can abort
        return 0.5
    return _auc(y_te, booster.predict(X_te) + m_te, k)


@pytest.mark.parametrize("fit", [_fit_xgboost, _fit_lightgbm], ids=["xgboost", "lightgbm"])
@pytest.mark.parametrize("gamma", [2.0, 5.0])
def test_stress_default_learns_where_exact_does_not(fit, gamma, path):
    if path == "numpy":
        pytest.skip("the training runs once, on the default path")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        auc_exact = [fit(focal_loss(gamma, hessian="exact"), k) for k in (2, 3)]
    assert abs(auc_exact[0] - 0.5) < 0.02 and abs(auc_exact[1] - 0.5) < 0.02
    assert fit(focal_loss(gamma), 2) >= 0.80
    # Multiclass (margins (4, 0, 0)): on LightGBM, which has no L2 damping by default,
    # "fisher" reaches 0.72-0.85 and max(exact, fisher) 0.82-0.87 here; |exact| 0.94.
    assert fit(focal_loss(gamma), 3) >= 0.90
