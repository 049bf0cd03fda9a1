"""Fast kernels (focal_boost._kernels) against the numpy reference path."""

import os
import pickle
import subprocess
import sys
import textwrap
import threading
import time
import warnings

import numpy as np
import pytest

from focal_boost import focal_loss
from focal_boost._hessian import HESSIANS as _HESSIANS

numba = pytest.importorskip("numba")
from focal_boost._validation import kernels_from_environment  # noqa: E402

if not kernels_from_environment():
    pytest.skip("FOCAL_BOOST_KERNELS=numpy turns the fast kernels off in this process "
                "(the other modules test the numpy path it selects)",
                allow_module_level=True)
from focal_boost import _kernels  # noqa: E402  (needs numba to be meaningful)

RNG = np.random.default_rng(7)
GAMMAS = [0.0, 0.5, 1.0, 2.0, 5.0, 11.0, 2.5, 20.0]  # 11: u * u**2 * u**8; 2.5 and 20: pow()
# Margins from benign to saturated, both signs, exact zeros included.
SCALES = np.array([0.0, 1e-3, 1.0, 5.0, 40.0, 800.0, 1e4])


@pytest.fixture(autouse=True)
def _kernels_on():
    previous = _kernels.set_enabled(True)
    threads = _kernels.set_num_threads(None)
    yield
    _kernels.set_enabled(previous)
    _kernels.set_num_threads(threads)


def _reference(obj, *args, **kwargs):
    previous = _kernels.set_enabled(False)
    try:
        return obj(*args, **kwargs)
    finally:
        _kernels.set_enabled(previous)


def _fast(obj, *args, **kwargs):
    """obj(...) on the fast path, which must accept the input."""
    assert _kernels.grad_hess(obj.gamma, obj.alpha, obj.hessian, *args, **kwargs) is not None
    return obj(*args, **kwargs)


def _binary_data(n, dtype, rng=RNG):
    z = rng.normal(size=n) * SCALES[rng.integers(0, len(SCALES), n)]
    z[:4] = [1e4, -1e4, 745.0, -745.0]
    return rng.integers(0, 2, n), z.astype(dtype)


def _multi_data(n, k, dtype, rng=RNG):
    z = rng.normal(size=(n, k)) * SCALES[rng.integers(0, len(SCALES), n)][:, None]
    y = rng.integers(0, k, n)
    # Target far ahead of every other class (their softmax underflows), far behind,
    # and ties.
    z[0], y[0] = -1e4, 1
    z[0, 1] = 1e4
    z[1], y[1] = 0.0, 0
    z[1, 0] = 800.0
    z[2], y[2] = 3.0, k - 1
    return y, z.astype(dtype)


def _assert_same(fast, ref):
    for a, b in zip(fast, ref, strict=True):
        assert a.dtype == np.float64 and a.shape == b.shape
        assert np.isfinite(a).all()
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-300)


# ---------------------------------------------------------------- equivalence
@pytest.mark.parametrize("gamma", GAMMAS)
@pytest.mark.parametrize("alpha", [None, 0.25, (0.3, 1.7)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("hessian", _HESSIANS)
def test_binary_matches_reference(gamma, alpha, dtype, hessian):
    y, z = _binary_data(3000, dtype)
    labels = y.astype(np.float32) if dtype == np.float32 else y  # as XGBoost / numpy pass them
    sw = RNG.uniform(0, 3, len(y)).astype(dtype)
    sw[:50] = 0.0
    obj = focal_loss(gamma, alpha, hessian=hessian)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # hessian="exact" warns
        for weights in (None, sw):
            _assert_same(_fast(obj, labels, z, weights), _reference(obj, labels, z, weights))


@pytest.mark.parametrize("gamma", GAMMAS)
@pytest.mark.parametrize("k", [2, 3, 10])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("hessian", _HESSIANS)
def test_multiclass_matches_reference(gamma, k, dtype, hessian):
    y, z = _multi_data(1500, k, dtype)
    labels = y.astype(np.float32) if dtype == np.float32 else y
    sw = RNG.uniform(0, 3, len(y))
    obj = focal_loss(gamma, RNG.uniform(0.2, 2.0, k) if k != 3 else None, hessian=hessian)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for weights in (None, sw):
            _assert_same(_fast(obj, labels, z, weights), _reference(obj, labels, z, weights))


def _multilabel_data(n, k, dtype, rng=RNG):
    z = rng.normal(size=(n, k)) * SCALES[rng.integers(0, len(SCALES), (n, k))]
    z[0] = [(1e4, -1e4, 745.0, -745.0, 0.0)[j % 5] for j in range(k)]
    y = (rng.random((n, k)) < rng.uniform(0.02, 0.5, k)).astype(np.intp)
    return y, z.astype(dtype)


@pytest.mark.parametrize("gamma", GAMMAS)
@pytest.mark.parametrize("alpha", [None, 0.25, "per label"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("hessian", _HESSIANS)
def test_multilabel_matches_reference(gamma, alpha, dtype, hessian):
    k = 5
    y, z = _multilabel_data(1500, k, dtype)
    labels = y.astype(np.float32) if dtype == np.float32 else y  # XGBoost: (n, k) float32
    sw = RNG.uniform(0, 3, len(y))
    sw[:50] = 0.0
    if alpha == "per label":
        alpha = RNG.uniform(0.05, 0.95, k)
    obj = focal_loss(gamma, alpha, hessian=hessian)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for weights in (None, sw):
            _assert_same(_fast(obj, labels, z, weights), _reference(obj, labels, z, weights))
        # Several blocks, and label j equals the binary kernels on column j, bit for bit.
        y, z = _multilabel_data(20_000, k, dtype)
        grad, hess = _fast(obj, y, z, None)
        for j in (0, k - 1):
            a = alpha if alpha is None or isinstance(alpha, float) else float(alpha[j])
            gj, hj = _fast(focal_loss(gamma, a, hessian=hessian), y[:, j], z[:, j].copy())
            assert np.array_equal(grad[:, j], gj) and np.array_equal(hess[:, j], hj)


def test_multilabel_memory_order_and_label_dtypes():
    y, z = _multilabel_data(30_000, 3, np.float64)  # several blocks
    obj = focal_loss(2.0, [0.2, 0.5, 0.7])
    sw = RNG.uniform(0, 2, len(y))
    grad, hess = _fast(obj, np.asfortranarray(y.astype(bool)), np.asfortranarray(z), sw)
    _assert_same((grad, hess), _reference(obj, y, z, sw))
    _assert_same(_fast(obj, y.astype(np.float32), z[:, ::-1][:, ::-1]), _reference(obj, y, z))


@pytest.mark.parametrize("case", ["nan margin", "label 2", "label 0.5", "negative weight",
                                  "alpha length", "alpha above 1", "margins shape"])
def test_multilabel_errors_match_reference(case):
    y, z = _multilabel_data(5000, 3, np.float32)
    y = y.astype(np.float32)
    w = np.ones(len(y))
    obj = focal_loss(2.0, [0.25, 0.5, 0.75])
    if case == "nan margin":
        z[4000, 2] = np.nan
    elif case == "label 2":
        y[4000, 1] = 2
    elif case == "label 0.5":
        y[4000, 0] = 0.5
    elif case == "negative weight":
        w[4000] = -2.0
    elif case == "alpha length":
        obj = focal_loss(2.0, [0.25, 0.5])
    elif case == "alpha above 1":
        obj = focal_loss(2.0, [0.25, 0.5, 2.0])
    else:
        z = z[:, :2]
    assert _kernels.grad_hess(obj.gamma, obj.alpha, obj.hessian, y, z, w) is None
    assert _error(lambda: obj(y, z, w)) == _error(lambda: _reference(obj, y, z, w))


@pytest.mark.parametrize("gamma", [0.5, 2.0, 5.0])
def test_multiclass_saturated_rows_keep_relative_precision(gamma):
    # Target ahead by 20-60: u = 1 - pt falls to 1e-9..1e-26, below where log(pt)
    # rounds to 0. Both paths must keep the factor (1 + gamma*pt*r), r -> 1:
    # grad_target -> -(1 + gamma) * u**(gamma + 1).
    k = 4
    z = RNG.normal(size=(300, k))
    y = RNG.integers(0, k, 300)
    z[np.arange(300), y] += RNG.uniform(20, 60, 300)
    u = np.exp(z - z[np.arange(300), y][:, None])
    u[np.arange(300), y] = 0.0
    u = u.sum(axis=1)
    obj = focal_loss(gamma, hessian="exact")
    fast, ref = _fast(obj, y, z), _reference(obj, y, z)
    for a, b in zip(fast, ref, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=0)
    expected = -(1 + gamma) * u ** (gamma + 1)
    np.testing.assert_allclose(fast[0][np.arange(300), y], expected, rtol=1e-6)
    # A wrong class far ahead instead: 1 - p of that class is tiny, the target's p too.
    wrong = (y + 1) % k
    z[np.arange(300), wrong] += 2 * (z[np.arange(300), y] - z[np.arange(300), wrong])
    for hessian in ("exact", "fisher", "saddle_free"):
        obj = focal_loss(gamma, hessian=hessian)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # exact: negative on these rows
            pairs = zip(_fast(obj, y, z), _reference(obj, y, z), strict=True)
        for a, b in pairs:
            np.testing.assert_allclose(a, b, rtol=1e-10, atol=0)


def test_fortran_ordered_margins_keep_their_order():
    # LightGBM hands multiclass margins as an (n, k) Fortran-ordered view.
    y, z = _multi_data(2000, 5, np.float64)
    zf = np.asfortranarray(z)
    obj = focal_loss(2.0)
    grad, hess = _fast(obj, y.astype(np.float32), zf)
    assert grad.flags.f_contiguous and hess.flags.f_contiguous
    _assert_same((grad, hess), _reference(obj, y, z))


@pytest.mark.parametrize("y_dtype", [np.int8, np.uint8, np.int32, np.int64, np.float32,
                                     np.float64, bool])
def test_label_dtypes(y_dtype):
    y, z = _binary_data(500, np.float64)
    labels = y.astype(y_dtype)
    obj = focal_loss(2.0, 0.25)
    _assert_same(_fast(obj, labels, z), _reference(obj, y, z))


@pytest.mark.parametrize("w_dtype", [np.int8, np.int64, np.uint32, np.float32, bool])
def test_weight_dtypes(w_dtype):
    # weights of other dtypes are converted to float64 on the fast path: the same outputs
    y, z = _binary_data(500, np.float64)
    w = np.random.default_rng(4).integers(0, 4, 500)
    obj = focal_loss(2.0, 0.25)
    _assert_same(_fast(obj, y, z, w.astype(w_dtype)),
                 _reference(obj, y, z, w.astype(w_dtype).astype(np.float64)))


def test_shapes_lists_and_integer_margins():
    obj = focal_loss(2.0, 0.25)
    y, z = _binary_data(300, np.float64)
    grad, hess = _fast(obj, y[:, None], z[:, None])
    assert grad.shape == hess.shape == (300, 1)
    _assert_same((grad, hess), _reference(obj, y[:, None], z[:, None]))
    _assert_same(_fast(obj, y.tolist(), z.tolist()), _reference(obj, y, z))
    zi = np.arange(-150, 150)
    _assert_same(_fast(obj, y, zi), _reference(obj, y, zi))
    # XGBoost reports "no weights" as an empty array.
    _assert_same(_fast(obj, y, z, np.empty(0, np.float32)), _reference(obj, y, z))


def test_inputs_are_not_modified():
    y, z = _multi_data(3000, 4, np.float64)
    y0, z0 = y.copy(), z.copy()
    sw = RNG.uniform(0, 2, len(y))
    sw0 = sw.copy()
    _fast(focal_loss(2.0), y, z, sw)
    assert np.array_equal(y, y0) and np.array_equal(z, z0) and np.array_equal(sw, sw0)


@pytest.mark.parametrize("kind", ["binary", "multiclass", "multilabel"])
def test_thread_count_does_not_change_results(kind):
    # Several blocks per thread: 200k binary values, 40k x 5 multiclass values.
    if kind == "binary":
        y, z = _binary_data(200_000, np.float32)
        obj = focal_loss(2.0, 0.25)
    elif kind == "multilabel":
        y, z = _multilabel_data(40_000, 5, np.float32)
        obj = focal_loss(2.5, [0.1, 0.3, 0.5, 0.7, 0.9])
    else:
        y, z = _multi_data(40_000, 5, np.float32)
        obj = focal_loss(0.5, [1.0, 2.0, 1.0, 0.5, 3.0])
    sw = RNG.uniform(0, 2, len(y))
    results = []
    for threads in (1, 2, 3, 1):
        _kernels.set_num_threads(threads)
        assert _kernels.get_num_threads() == threads
        results.append(_fast(obj, y, z, sw))
    for grad, hess in results[1:]:
        assert np.array_equal(grad, results[0][0]) and np.array_equal(hess, results[0][1])
    _assert_same(results[0], _reference(obj, y, z, sw))


def test_non_positive_check_still_warns_for_exact_hessian():
    y = np.zeros(200, int)
    z = np.full(200, 4.0)  # confidently wrong: negative exact Hessian
    obj = focal_loss(2.0, hessian="exact")
    with pytest.warns(RuntimeWarning, match="non-positive"):
        _, hess = _fast(obj, y, z)
    assert (hess < 0).all()


# ---------------------------------------------------------------- validation
def _error(fn):
    with pytest.raises((ValueError, TypeError)) as info:
        fn()
    return type(info.value), str(info.value)


BAD_BINARY = {
    "nan margin": (lambda y, z, w: (y, np.where(np.arange(len(z)) == 7, np.nan, z), w)),
    "inf margin": (lambda y, z, w: (y, np.where(np.arange(len(z)) == 7, -np.inf, z), w)),
    "label 2": (lambda y, z, w: (np.where(np.arange(len(y)) == 9, 2, y), z, w)),
    "label -1": (lambda y, z, w: (np.where(np.arange(len(y)) == 9, -1, y), z, w)),
    "label 0.5": (lambda y, z, w: (np.where(np.arange(len(y)) == 9, 0.5, y), z, w)),
    "label nan": (lambda y, z, w: (np.where(np.arange(len(y)) == 9, np.nan, y), z, w)),
    "label strings": (lambda y, z, w: (y.astype(str), z, w)),
    "short labels": (lambda y, z, w: (y[:-1], z, w)),
    "negative weight": (lambda y, z, w: (y, z, np.where(np.arange(len(w)) == 3, -1.0, w))),
    "nan weight": (lambda y, z, w: (y, z, np.where(np.arange(len(w)) == 3, np.nan, w))),
    "inf weight": (lambda y, z, w: (y, z, np.where(np.arange(len(w)) == 3, np.inf, w))),
    "short weights": (lambda y, z, w: (y, z, w[:-1])),
    "2-D weights": (lambda y, z, w: (y, z, w[:, None])),
    "bool margins": (lambda y, z, w: (y, z > 0, w)),
    "3-D margins": (lambda y, z, w: (y, z[:, None, None], w)),
    "nan margin and bad label": (
        lambda y, z, w: (np.where(np.arange(len(y)) == 9, 3, y),
                         np.where(np.arange(len(z)) == 7, np.nan, z), w)),
}


@pytest.mark.parametrize("case", sorted(BAD_BINARY))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_binary_errors_match_reference(case, dtype):
    y, z = _binary_data(40_000, dtype)  # two blocks: a bad value in either is found
    w = np.ones(len(y), dtype)
    y, z, w = BAD_BINARY[case](y.astype(dtype), z, w)
    obj = focal_loss(2.0, 0.25)
    assert _error(lambda: obj(y, z, w)) == _error(lambda: _reference(obj, y, z, w))


@pytest.mark.parametrize("case", ["nan margin", "label k", "label 1.5", "negative weight",
                                  "alpha length", "float alpha"])
def test_multiclass_errors_match_reference(case):
    y, z = _multi_data(5000, 4, np.float32)
    y = y.astype(np.float32)
    w = np.ones(len(y))
    obj = focal_loss(2.0, [1.0, 1.0, 2.0, 2.0])
    if case == "nan margin":
        z[4000, 2] = np.nan
    elif case == "label k":
        y[4000] = 4
    elif case == "label 1.5":
        y[4000] = 1.5
    elif case == "negative weight":
        w[4000] = -2.0
    elif case == "alpha length":
        obj = focal_loss(2.0, [1.0, 2.0, 3.0])
    else:
        obj = focal_loss(2.0, 0.25)
    assert _error(lambda: obj(y, z, w)) == _error(lambda: _reference(obj, y, z, w))


# ------------------------------------------------------------- float32 outputs
@pytest.mark.parametrize("kind", ["binary", "softmax", "softmax Fortran", "multilabel"])
@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_float32_outputs_are_the_float64_ones_rounded_once(kind, scale):
    """gradient_hessian(dtype=float32) (what the adapters hand the libraries): the float64
    values, the Hessian times ``hessian_scale``, rounded once, on both paths."""
    if kind == "binary":
        y, z = _binary_data(70_000, np.float32)  # several blocks
        obj = focal_loss(2.0, 0.25)
    elif kind == "multilabel":
        y, z = _multilabel_data(20_000, 5, np.float32)
        obj = focal_loss(2.5, 0.25)
    else:
        y, z = _multi_data(20_000, 4, np.float64)
        z = np.asfortranarray(z) if kind == "softmax Fortran" else z
        obj = focal_loss(2.0, [1.0, 2.0, 0.5, 1.0])
    sw = RNG.uniform(0, 2, len(y))
    assert _kernels.grad_hess(obj.gamma, obj.alpha, obj.hessian, y, z, sw,
                              dtype=np.float32) is not None
    for path in (lambda f, *a, **k: f(*a, **k), _reference):
        g64, h64 = path(obj, y, z, sw)
        g32, h32 = path(obj.gradient_hessian, y, z, sw, dtype=np.float32,
                        hessian_scale=scale)
        assert g32.dtype == h32.dtype == np.float32 and g32.shape == z.shape
        np.testing.assert_array_equal(g32, g64.astype(np.float32))
        np.testing.assert_array_equal(h32, (h64 * scale).astype(np.float32))
        if kind == "softmax Fortran" and path is not _reference:  # LightGBM's order kept
            assert g32.flags.f_contiguous and h32.flags.f_contiguous
        g, h = path(obj.gradient_hessian, y, z, sw, hessian_scale=scale)
        assert g.dtype == np.float64
        np.testing.assert_array_equal(g, g64)
        np.testing.assert_array_equal(h, h64 * scale)


@pytest.mark.parametrize("kind", ["binary", "softmax Fortran", "multilabel"])
def test_outputs_are_written_into_arrays_that_fit(kind):
    """out=: an earlier call's arrays take the next result (the training runs' rounds);
    arrays that do not fit are left alone and new ones returned."""
    if kind == "binary":
        y, z = _binary_data(5000, np.float32)
    elif kind == "multilabel":
        y, z = _multilabel_data(2000, 5, np.float32)
    else:
        y, z = _multi_data(2000, 4, np.float64)
        z = np.asfortranarray(z)
    obj = focal_loss(2.0)
    first = obj.gradient_hessian(y, z, dtype=np.float32)
    expected = obj.gradient_hessian(y, z * 0.5, dtype=np.float32)
    again = obj.gradient_hessian(y, z * 0.5, dtype=np.float32, out=first)
    assert again[0] is first[0] and again[1] is first[1]
    np.testing.assert_array_equal(again[0], expected[0])
    np.testing.assert_array_equal(again[1], expected[1])
    # wrong dtype, shape, order, read-only, or one array twice: new arrays
    wrong_order = (np.empty(2 * len(z), np.float32)[::2] if z.ndim == 1 else  # strided
                   np.empty(z.shape, np.float32, order="C" if kind == "softmax Fortran" else "F"))
    read_only = np.empty_like(first[0])
    read_only.flags.writeable = False
    for out in ((first[0].astype(np.float64), first[1]), (first[0][:-1], first[1][:-1]),
                (wrong_order, wrong_order.copy()), (read_only, first[1]),
                (first[0], first[0])):
        before = [a.copy() for a in out]
        got = obj.gradient_hessian(y, z, dtype=np.float32, out=out)
        assert got[0] is not out[0] and got[1] is not out[1]
        for a, b in zip(out, before, strict=True):
            np.testing.assert_array_equal(a, b)


def test_training_runs_reuse_their_outputs_and_public_objectives_do_not():
    xgb = pytest.importorskip("xgboost")
    lgb = pytest.importorskip("lightgbm")
    from focal_boost import lightgbm as flgb
    from focal_boost import xgboost as fxgb

    y, z = _binary_data(1000, np.float32)
    X = RNG.normal(size=(1000, 3))
    loss = focal_loss(2.0)
    dtrain = xgb.DMatrix(X, label=y)
    public = fxgb.objective(loss)
    a, b = public(z, dtrain), public(z, dtrain)
    assert a[0] is not b[0]
    run = fxgb.prepare({}, loss, y_true=y)
    a, b = run.obj(z, dtrain), run.obj(z * 0.5, dtrain)
    assert a[0] is b[0] and a[0].dtype == np.float32
    np.testing.assert_array_equal(b[0], public(z * 0.5, dtrain)[0])
    import pickle

    assert pickle.loads(pickle.dumps(run.obj)).gradients._outputs is None  # no arrays travel
    data = lgb.Dataset(X, y.astype(np.float64), params={"verbose": -1}).construct()
    lgb_obj = flgb.objective(loss)
    assert lgb_obj(z.astype(float), data)[0] is not lgb_obj(z.astype(float), data)[0]
    reused = flgb.prepare({"verbose": -1}, loss, 5, train_set=data).params["objective"]
    a, b = reused(z.astype(float), data), reused(z.astype(float) * 0.5, data)
    assert a[0] is b[0]
    np.testing.assert_array_equal(b[0], lgb_obj(z.astype(float) * 0.5, data)[0])


def test_training_runs_use_no_more_threads_than_the_library(monkeypatch):
    """n_jobs=1 means one thread: the kernels follow XGBoost's nthread and LightGBM's
    num_threads in a training run, for the gradients and the per-round focal metric
    (plain and with other metrics); unset, the kernels' own setting (None), but for
    LightGBM, whose unset n_jobs is the physical cores (as in LGBMClassifier)."""
    pytest.importorskip("xgboost")
    pytest.importorskip("lightgbm")
    from focal_boost import FocalLGBMClassifier, FocalXGBClassifier

    seen = []
    inner = _kernels._run_blocks

    def spy(run, n, block, n_threads=None):
        seen.append(n_threads)
        return inner(run, n, block, n_threads)

    from focal_boost import _loss

    focal_loss(2.0)  # the background load of the kernels, done before the spy goes in
    assert _loss._join_warm_up(timeout=120)
    monkeypatch.setattr(_kernels, "_run_blocks", spy)
    y, _ = _binary_data(3000, np.float64)
    X = RNG.normal(size=(3000, 4))
    evals = {"eval_set": [(X[:500], y[:500])]}
    from joblib import cpu_count

    for cls, extra, unset in ((FocalXGBClassifier, {}, None),
                              (FocalLGBMClassifier, {"verbose": -1},
                               cpu_count(only_physical_cores=True))):
        for n_jobs, expected in ((1, 1), (2, 2), (None, unset)):
            for fit_kwargs, metric in (({}, None), (evals, None), (evals, "auc")):
                seen.clear()
                model = cls(n_estimators=3, n_jobs=n_jobs, **extra)
                if metric and cls is FocalXGBClassifier:
                    model.set_params(eval_metric=metric)
                elif metric:
                    fit_kwargs = {**fit_kwargs, "eval_metric": metric}
                model.fit(X, y, **fit_kwargs)
                # three rounds of gradients, and of the metric on each eval set
                assert len(seen) >= (6 if fit_kwargs else 3), (cls.__name__, seen)
                assert set(seen) == {expected}, (cls.__name__, n_jobs, metric, seen)
    # the native training runs, through fxgb.train / flgb.train
    import lightgbm as lgb
    import xgboost as xgb

    from focal_boost import lightgbm as flgb
    from focal_boost import xgboost as fxgb

    seen.clear()
    dtrain = xgb.DMatrix(X, label=y)
    fxgb.train({"nthread": 1}, dtrain, focal_loss(2.0), 2, evals=[(dtrain, "train")])
    assert len(seen) == 4 and set(seen) == {1}
    seen.clear()  # n_jobs, which xgb.train takes for nthread as well
    fxgb.train({"n_jobs": 1}, dtrain, focal_loss(2.0), 2, evals=[(dtrain, "train")])
    assert len(seen) == 4 and set(seen) == {1}
    seen.clear()
    flgb.train({"num_threads": 1, "verbose": -1}, lgb.Dataset(X, y), focal_loss(2.0), 2,
               valid_sets=[lgb.Dataset(X[:500], y[:500])])
    assert len(seen) == 4 and set(seen) == {1}
    with pytest.raises(ValueError, match="n_threads must be a positive integer"):
        focal_loss(2.0).gradient_hessian(y, X[:, 0], n_threads=0)
    with pytest.raises(ValueError, match="n_threads must be a positive integer"):
        focal_loss(2.0).loss(y, X[:, 0], n_threads=True)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"dtype": np.int32}, ValueError, "dtype must be numpy.float32 or numpy.float64"),
    ({"dtype": "float16"}, ValueError, "dtype must be"),
    ({"hessian_scale": 0.0}, ValueError, "hessian_scale must be positive and finite"),
    ({"hessian_scale": np.inf}, ValueError, "hessian_scale must be positive and finite"),
    ({"hessian_scale": "2"}, TypeError, "hessian_scale must be a number"),
])
def test_gradient_hessian_refuses_bad_outputs(kwargs, error, message):
    y, z = _binary_data(10, np.float64)
    with pytest.raises(error, match=message):
        focal_loss(2.0).gradient_hessian(y, z, **kwargs)


# ------------------------------------------------------------- loss values
def _loss_pair(obj, y, z):
    """``obj.loss`` on the fast path (which must accept the input) and the reference."""
    assert _kernels.loss(obj.gamma, obj.alpha, y, z) is not None
    return obj.loss(y, z), _reference(obj.loss, y, z)


@pytest.mark.parametrize("gamma", GAMMAS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_loss_values_match_reference(gamma, dtype):
    """The per-row loss (the evaluation metric of every round) from the kernels."""
    cases = [(focal_loss(gamma, alpha), *_binary_data(40_000, dtype))  # two blocks
             for alpha in (None, 0.25)]
    for k in (3, 10):
        y, z = _multi_data(1500, k, dtype)
        cases += [(focal_loss(gamma, alpha), y, z) for alpha in (None, RNG.uniform(0.2, 2, k))]
    y, z = _multilabel_data(1500, 5, dtype)
    cases += [(focal_loss(gamma, alpha), y, z) for alpha in (None, 0.25, RNG.uniform(0, 1, 5))]
    for obj, y, z in cases:
        fast, ref = _loss_pair(obj, y, z)
        assert fast.dtype == np.float64 and fast.shape == ref.shape
        assert np.isfinite(fast).all() and (fast >= 0).all()
        np.testing.assert_allclose(fast, ref, rtol=1e-10, atol=1e-300)


def test_loss_values_at_saturated_margins():
    # Confidently right rows lose ~exp(-|z|)**(gamma + 1), far below 1e-300 at |z| = 800:
    # both paths give the same tiny or zero values, never NaN; confidently wrong rows
    # lose |z|.
    obj = focal_loss(2.0)
    z = np.array([800.0, -800.0, 40.0, -40.0, 1e4, -1e4])
    y = np.array([1, 0, 1, 0, 0, 1])
    fast, ref = _loss_pair(obj, y, z)
    np.testing.assert_allclose(fast, ref, rtol=1e-10, atol=1e-300)
    assert fast[-2:] == pytest.approx([1e4, 1e4])


@pytest.mark.parametrize("case", ["nan margin", "label 2", "label 1.5", "short labels"])
def test_loss_values_errors_match_reference(case):
    y, z = _binary_data(40_000, np.float64)
    y = y.astype(np.float64)
    if case == "nan margin":
        z[35_000] = np.nan
    elif case == "label 2":
        y[35_000] = 2
    elif case == "label 1.5":
        y[35_000] = 1.5
    else:
        y = y[:-1]
    obj = focal_loss(2.0, 0.25)
    assert _kernels.loss(obj.gamma, obj.alpha, y, z) is None
    assert _error(lambda: obj.loss(y, z)) == _error(lambda: _reference(obj.loss, y, z))


# ------------------------------------------------------------- switches, import
def test_set_enabled_and_fallback():
    obj = focal_loss(2.0)
    y, z = _binary_data(100, np.float64)
    assert _kernels.available()
    assert _kernels.set_enabled(False) is True
    assert not _kernels.available()
    assert _kernels.grad_hess(obj.gamma, obj.alpha, obj.hessian, y, z) is None
    assert _kernels.set_enabled(True) is False
    assert _kernels.grad_hess(obj.gamma, obj.alpha, obj.hessian, y, z) is not None
    # Not handled by the kernels: empty input, finite differences.
    assert _kernels.grad_hess(obj.gamma, obj.alpha, obj.hessian, y[:0], z[:0]) is None
    numeric = focal_loss(2.0, derivatives="numeric")
    grad, _ = numeric(y, z)
    np.testing.assert_allclose(grad, obj(y, z)[0], rtol=1e-5, atol=1e-8)


def test_import_does_not_load_numba_or_compile():
    code = (
        "import sys, focal_boost\n"
        "assert 'numba' not in sys.modules, 'numba imported'\n"
        "assert 'focal_boost._kernels' not in sys.modules\n"
        "import numpy as np\n"
        "focal_boost.focal_loss(2.0)(np.array([0, 1]), np.array([0.5, -0.5]))\n"
        "assert 'focal_boost._kernels' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_making_a_loss_loads_the_kernels_in_the_background():
    # numba's set-up (~0.5 s) runs while the training data are built: the first call
    # then finds the kernels loaded.
    code = (
        "import sys, threading, time\n"
        "import focal_boost\n"
        "from focal_boost import _loss\n"
        "assert _loss._warm_up_thread is None and 'numba' not in sys.modules\n"
        "focal_boost.focal_loss(2.0)\n"
        "thread = _loss._warm_up_thread\n"
        "assert thread.daemon and thread.name == 'focal_boost-warm-up'\n"
        "focal_boost.ce_loss()  # one thread per process\n"
        "assert _loss._warm_up_thread is thread\n"
        "assert _loss._join_warm_up(timeout=120)\n"
        "assert 'focal_boost._kernels' in sys.modules and 'numba' in sys.modules\n"
        "# the thread stays, idle: glibc would hand its malloc arena, full of numba's\n"
        "# and LLVM's objects, to the next thread started (the booster's)\n"
        "assert thread.is_alive()\n"
        "import numpy as np\n"
        "t0 = time.perf_counter()\n"
        "focal_boost.focal_loss(2.0)(np.array([0, 1], np.float32), np.zeros(2, np.float32))\n"
        "print(time.perf_counter() - t0)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, timeout=300)
    assert float(out.stdout) < 0.1  # loaded: milliseconds, not numba's set-up


def _python(code: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """``code`` run by a fresh Python process, its output captured as text."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=timeout)


def test_an_interrupt_while_a_helper_thread_starts_does_not_hang_the_exit():
    # A Ctrl-C landing while a ThreadPoolExecutor started its thread left that thread
    # unregistered for shut-down: the process printed "interrupted" and never exited.
    # The helpers are daemon threads now, which the exit does not wait for.
    code = textwrap.dedent("""\
        import threading
        import numpy as np
        from focal_boost import focal_loss
        start = threading.Thread.start
        def interrupted(self):
            start(self)
            if self.name.startswith('focal_boost_'):
                raise KeyboardInterrupt
        threading.Thread.start = interrupted
        z = np.zeros(200_000)
        try:
            focal_loss(2.0).gradient_hessian(z > 0, z, n_threads=2)
        except KeyboardInterrupt:
            print('interrupted')
    """)
    out = _python(code, timeout=60)  # (it hung: TimeoutExpired)
    assert out.returncode == 0 and out.stdout == "interrupted\n", out.stderr[-2000:]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_a_fork_while_another_thread_starts_the_helpers_leaves_the_child_working():
    # the helpers are started under a lock, which a fork copied held: the child's first
    # call on two threads waited for it forever
    code = textwrap.dedent("""\
        import os, threading, time
        import numpy as np
        from focal_boost import focal_loss
        loss = focal_loss(2.0)
        z = np.zeros(200_000)
        loss.gradient_hessian(z > 0, z, n_threads=1)  # the kernels loaded
        start = threading.Thread.start
        def slow(self):  # a thread start that takes a while (a loaded machine)
            start(self)
            if self.name.startswith('focal_boost_'):
                time.sleep(1.0)
        threading.Thread.start = slow
        other = threading.Thread(target=loss.gradient_hessian, args=(z > 0, z),
                                 kwargs={'n_threads': 2})
        other.start()
        time.sleep(0.3)  # the other thread is starting a helper
        pid = os.fork()
        if pid == 0:
            threading.Thread.start = start
            grad, _ = loss.gradient_hessian(z > 0, z, n_threads=2)
            helpers = [t for t in threading.enumerate() if t.name.startswith('focal_boost_')]
            os._exit(0 if grad.shape == z.shape and helpers else 1)  # its own helpers
        other.join()
        for _ in range(300):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                print('child', status)
                break
            time.sleep(0.1)
        else:
            os.kill(pid, 9)
            print('child hung')
    """)
    out = _python(code)
    assert out.stdout == "child 0\n", out.stdout + out.stderr[-2000:]


def test_the_helper_threads_take_blocks():
    # n_threads=4: three helpers besides the caller, which take blocks while it works
    code = textwrap.dedent("""\
        import threading, time
        from focal_boost import _kernels
        names = []
        def run(lo, hi):
            names.append(threading.current_thread().name)
            time.sleep(0.05)
            return 0
        _kernels._run_blocks(run, 8, 1, n_threads=4)
        helpers = {t.name for t in threading.enumerate() if t.name.startswith('focal_boost_')}
        print(len(helpers), len({n for n in names if n.startswith('focal_boost_')}) > 0)
    """)
    out = _python(code)
    assert out.stdout == "3 True\n", out.stdout + out.stderr[-2000:]


def test_a_failed_block_ends_the_call_without_running_the_others():
    # a Ctrl-C in the caller's block (n_threads > 1) came through only once every block
    # had been computed, the whole call's time later
    ran = []

    def run(lo, hi):
        ran.append(lo)
        if threading.current_thread() is threading.main_thread():
            raise KeyboardInterrupt
        time.sleep(0.01)
        return 0

    with pytest.raises(KeyboardInterrupt):
        _kernels._run_blocks(run, 200, 1, n_threads=2)
    assert len(ran) <= 5, len(ran)  # the caller's block and the helper's in progress


def test_an_unpickled_training_objective_loads_the_kernels_in_the_background():
    # A Dask worker or joblib process receives the adapters' objective pickled, and
    # trains with it.
    import pickle

    from focal_boost import lightgbm as flgb
    from focal_boost import xgboost as fxgb

    for objective in (fxgb.objective(focal_loss(2.0, 0.25)),
                      flgb.objective(focal_loss(2.0, 0.25))):
        blob = pickle.dumps(objective)
        code = (
            "import pickle, sys\n"
            "from focal_boost import _loss\n"
            f"objective = pickle.loads({blob!r})\n"
            "assert repr(objective.loss) == 'FocalLoss(gamma=2.0, alpha=0.25)'\n"
            "assert _loss._join_warm_up(timeout=120)\n"
            "assert 'focal_boost._kernels' in sys.modules\n"
        )
        subprocess.run([sys.executable, "-c", code], check=True, timeout=300)


def test_a_model_loaded_to_predict_does_not_load_the_kernels():
    # Its loss_ (or a plain classifier's focal objective) was unpickled with a warm-up
    # that imported numba (~100 MB of every serving process) for kernels that
    # predictions never call.
    import pickle

    import xgboost as xgb

    from focal_boost import FocalLGBMClassifier, FocalXGBClassifier

    X = np.random.default_rng(0).normal(size=(200, 3))
    y = (X[:, 0] > 0).astype(int)
    models = [FocalXGBClassifier(n_estimators=3).fit(X, y),
              FocalLGBMClassifier(n_estimators=3).fit(X, y),
              xgb.XGBClassifier(n_estimators=3, objective=focal_loss(2.0)).fit(X, y)]
    for model in models:
        blob = pickle.dumps((model, X[:5]))
        code = (
            "import pickle, sys, time\n"
            "from focal_boost import _loss\n"
            f"model, X = pickle.loads({blob!r})\n"
            "model.predict_proba(X); model.predict(X)\n"
            "assert _loss._warm_up_thread is None, 'warm-up started'\n"
            "assert 'numba' not in sys.modules, 'numba imported'\n"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             timeout=300)
        assert out.returncode == 0, (type(model).__name__, out.stderr[-500:])


_CACHE_PROBE = """
import sys, warnings
import numpy as np
from focal_boost import _kernels, focal_loss
{setup}
rng = np.random.default_rng(0)
y = rng.integers(0, 2, 1000).astype(np.float32); z = rng.normal(size=1000)
y3 = rng.integers(0, 3, 1000); z3 = rng.normal(size=(1000, 3))
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    out = [*focal_loss(2.0)(y, z), focal_loss(2.0).loss(y, z), *focal_loss(2.0)(y3, z3)]
was_on = _kernels.available()
_kernels.set_enabled(False)
ref = [*focal_loss(2.0)(y, z), focal_loss(2.0).loss(y, z), *focal_loss(2.0)(y3, z3)]
print(max(float(np.abs(a - b).max()) for a, b in zip(out, ref)), was_on)
print("|".join(str(w.message) for w in caught if "cache" in str(w.message)))
print("|".join(w.filename for w in caught if "cache" in str(w.message)))
"""


@pytest.mark.skipif(not _kernels.available(), reason="numba kernels not available")
def test_a_cache_that_cannot_be_written_is_passed_over(tmp_path):
    # a full disk, or a cache folder made read-only after numba checked it: numba
    # raised OSError from the first call of each kernel (the fit failed, where plain
    # XGBoost trains); the kernel is compiled by then, and is used uncached
    setup = ("import numba.core.caching as caching\n"
             "def full(self, *args, **kwargs):\n"
             "    raise OSError(28, 'No space left on device')\n"
             "caching.IndexDataCacheFile.save = full\n")
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", _CACHE_PROBE.format(setup=setup)],
                         capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-1500:]
    gap, was_on = out.stdout.splitlines()[0].split()
    assert float(gap) < 1e-12 and was_on == "True"  # the kernels ran, no warning
    assert out.stdout.splitlines()[1:] in ([], [""], ["", ""])


@pytest.mark.skipif(not _kernels.available(), reason="numba kernels not available")
def test_a_cache_file_cut_short_falls_back_to_the_reference_path(tmp_path):
    # a copy or a crash left a cache file empty: every call raised EOFError (numba's
    # pickle), in every process, naming neither the file nor the fix
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)}
    probe = _CACHE_PROBE.format(setup="")
    subprocess.run([sys.executable, "-c", probe], check=True, env=env, timeout=300,
                   capture_output=True)
    files = list(tmp_path.rglob("*.nbc"))
    assert files
    for file in files:
        file.write_bytes(b"")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-1500:]
    gap, was_on = out.stdout.splitlines()[0].split()
    assert float(gap) == 0.0 and was_on == "False"  # the reference path, turned off
    message = out.stdout.splitlines()[1]
    assert "numba's cache of the fast kernels does not load (EOFError" in message
    assert str(tmp_path) in message and "NUMBA_CACHE_DIR" in message
    # once, at the caller's line (the warm-up thread's named threading.py)
    assert out.stdout.splitlines()[2] == "<string>"


@pytest.mark.skipif(not _kernels.available(), reason="numba kernels not available")
def test_a_cache_file_damaged_inside_falls_back_to_the_reference_path(tmp_path):
    # bytes changed inside a cache file: numba's load raised LLVM's "bitcode parsing
    # error" (a RuntimeError), a UnicodeDecodeError or a TypeError, which failed the fit
    # with numba's traceback (a cut-short file, an EOFError, warned and fell back)
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-c", _CACHE_PROBE.format(setup="")], check=True,
                   env=env, timeout=300, capture_output=True)
    assert list(tmp_path.rglob("*.nbc"))
    setup = ("import numba.core.caching as caching\n"
             "def damaged(self, *args, **kwargs):\n"
             "    raise RuntimeError('LLVM bitcode parsing error')\n"
             "caching.IndexDataCacheFile._load_data = damaged\n")
    out = subprocess.run([sys.executable, "-c", _CACHE_PROBE.format(setup=setup)],
                         capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-1500:]
    gap, was_on = out.stdout.splitlines()[0].split()
    assert float(gap) == 0.0 and was_on == "False"
    message = out.stdout.splitlines()[1]
    assert "does not load (RuntimeError: LLVM bitcode parsing error)" in message
    assert str(tmp_path) in message


def test_an_error_of_a_kernel_outside_numbas_cache_is_raised(monkeypatch):
    # only a failure to read the cache turns the kernels off: another error is the
    # caller's to see
    def broken(*args, **kwargs):
        raise RuntimeError("not from the cache")

    monkeypatch.setattr(_kernels, "_run_blocks", broken)
    with pytest.raises(RuntimeError, match="not from the cache"):
        _kernels._compiled_run(None, 10, 10, 1)


@pytest.mark.parametrize("module, from_cache", [("numba.core.caching", True),
                                                ("numba.core.dispatcher", False)])
def test_only_an_error_raised_in_numbas_cache_module_turns_the_kernels_off(
        monkeypatch, module, from_cache):
    # a pickle of the wrong shape read from the cache raises a TypeError inside
    # numba.core.caching: the cache does not load (warned, at the caller's line); the
    # same error from another numba module is not the cache's, and is raised
    scope = {"__name__": module}
    exec("def load(*args, **kwargs):\n"
         "    raise TypeError('a pickle of the wrong shape')\n", scope)
    monkeypatch.setattr(_kernels, "_run_blocks", scope["load"])
    if from_cache:
        with pytest.warns(RuntimeWarning, match=r"does not load \(TypeError: a pickle") as rec:
            focal_loss(2.0)(Y_FEW, Z_FEW)
        assert rec[0].filename == __file__
    else:
        with pytest.raises(TypeError, match="wrong shape"):
            focal_loss(2.0)(Y_FEW, Z_FEW)
    assert _kernels.set_enabled(True) is not from_cache  # (off only where it warned)


def test_an_unpickling_error_is_a_cache_that_does_not_load(monkeypatch):
    # numba's pickle of a damaged file raises UnpicklingError as a cut-short one raises
    # EOFError: both turn the kernels off with the warning
    def unreadable(*args, **kwargs):
        raise pickle.UnpicklingError("invalid load key, '\\x00'.")

    monkeypatch.setattr(_kernels, "_run_blocks", unreadable)
    with pytest.warns(RuntimeWarning, match=r"does not load \(UnpicklingError") as rec:
        focal_loss(2.0)(Y_FEW, Z_FEW)
    assert rec[0].filename == __file__
    assert _kernels.set_enabled(True) is False


def _compile_error():
    from numba.core.errors import NumbaError
    return NumbaError("no LLVM")


@pytest.mark.parametrize("error, message", [
    (_compile_error, "the fast kernels failed to compile"),
    (lambda: OSError(28, "No space left on device"),
     "numba's cache of the fast kernels cannot be used")])
def test_a_failed_compile_or_cache_write_warns_at_the_caller_and_raises_in_warm_up(
        monkeypatch, error, message):
    # numba failing to compile, or to write its cache past every retry: the kernels are
    # turned off with a warning naming the caller's line; warm_up raises it instead,
    # the kernels left on (as for a cache that does not load)
    def failing(*args, **kwargs):
        raise error()

    monkeypatch.setattr(_kernels, "_run_blocks", failing)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(type(error())):
            _kernels.warm_up()
    assert _kernels.set_enabled(True) is True
    with pytest.warns(RuntimeWarning, match=message) as rec:
        focal_loss(2.0).loss(Y_FEW, Z_FEW)
    assert rec[0].filename == __file__
    assert _kernels.set_enabled(True) is False


def _output_with_kernels_setting(code: str, setting: str) -> str:
    """What ``code`` prints in a fresh process with FOCAL_BOOST_KERNELS=``setting``."""
    env = {**os.environ, "FOCAL_BOOST_KERNELS": setting}
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, env=env, timeout=300)
    return out.stdout.strip()


def test_no_warm_up_where_the_kernels_are_off():
    code = (
        "import focal_boost\n"
        "from focal_boost import _loss\n"
        "focal_boost.focal_loss(2.0)\n"
        "focal_boost.focal_loss(2.0, derivatives='numeric')\n"
        "print(_loss._warm_up_thread)\n"
    )
    for setting in ("numpy", " NumPy "):
        assert _output_with_kernels_setting(code, setting) == "None"


def test_numba_is_not_loaded_where_the_kernels_are_off():
    # FOCAL_BOOST_KERNELS=numpy ran the reference path but imported numba at the first
    # call all the same (about 115 MB of the process)
    code = (
        "import sys, focal_boost\n"
        "loss = focal_boost.focal_loss(2.0, 0.25)\n"
        "loss([0, 1], [0.1, 0.2]); loss.loss([0, 1], [0.1, 0.2])\n"
        "print('numba' in sys.modules)\n"
    )
    assert _output_with_kernels_setting(code, "numpy") == "False"


def test_a_misspelt_kernel_setting_is_refused_by_name():
    # FOCAL_BOOST_KERNELS=off (or "reference") left the kernels on without a word
    code = (
        "import focal_boost\n"
        "try:\n"
        "    focal_boost.focal_loss(2.0)([0, 1], [0.1, 0.2])\n"
        "except ValueError as exc:\n"
        "    print(exc)\n"
    )
    assert _output_with_kernels_setting(code, "off") == (
        "FOCAL_BOOST_KERNELS must be 'numpy' (the numpy reference path) or unset (the fast "
        "kernels), got 'off'")


def test_a_malformed_thread_setting_is_refused_on_both_paths():
    # FOCAL_BOOST_NUM_THREADS=abc: refused by the kernels, ignored by the numpy path (a
    # setting that worked on a machine without numba failed on one with it); the
    # command line refused it with a traceback at the first fit, now as its error
    code = (
        "import os, focal_boost\n"
        "os.environ['FOCAL_BOOST_NUM_THREADS'] = 'abc'\n"
        "try:\n"
        "    focal_boost.focal_loss(2.0)([0, 1], [0.1, 0.2])\n"
        "except ValueError as exc:\n"
        "    print(exc)\n"
    )
    expected = "FOCAL_BOOST_NUM_THREADS must be a positive integer, got 'abc'"
    assert _output_with_kernels_setting(code, "numpy") == expected
    assert _output_with_kernels_setting(code, "") == expected
    done = subprocess.run([sys.executable, "-m", "focal_boost", "predict", "m.pkl", "d.csv"],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "FOCAL_BOOST_NUM_THREADS": "abc"})
    assert (done.returncode, done.stderr) == (2, f"focal-boost: error: {expected}\n")
    done = subprocess.run([sys.executable, "-m", "focal_boost", "data.csv", "--target", "y"],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "FOCAL_BOOST_KERNELS": "off"})
    assert done.returncode == 2 and done.stderr.startswith(
        "focal-boost: error: FOCAL_BOOST_KERNELS must be 'numpy'"), done.stderr


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_fork_during_the_warm_up_does_not_hang_the_child():
    # The fork waits for the warm-up thread, so the child inherits no lock it held.
    code = (
        "import os, numpy as np, focal_boost\n"
        "loss = focal_boost.focal_loss(2.0)\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    g, h = loss(np.array([0, 1]), np.array([0.5, -0.5]))\n"
        "    os._exit(0 if np.isfinite(g).all() else 3)\n"
        "_, status = os.waitpid(pid, 0)\n"
        "assert os.waitstatus_to_exitcode(status) == 0, status\n"
    )
    subprocess.run([sys.executable, "-W", "ignore", "-c", code], check=True, timeout=300)


def test_without_numba_the_reference_path_runs():
    code = (
        "import sys\n"
        "sys.modules['numba'] = None  # as if numba were not installed\n"
        "import numpy as np, focal_boost\n"
        "from focal_boost import _kernels\n"
        "assert not _kernels.available() and not _kernels.set_enabled(True)\n"
        "obj = focal_boost.focal_loss(2.0, 0.25)\n"
        "y, z = np.array([0, 1, 1]), np.array([0.5, -2.0, 3.0], np.float32)\n"
        "assert _kernels.grad_hess(obj.gamma, obj.alpha, obj.hessian, y, z) is None\n"
        "g, h = obj(y, z)\n"
        "print(g.tolist()); print(h.tolist())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout.splitlines()
    y, z = np.array([0, 1, 1]), np.array([0.5, -2.0, 3.0], np.float32)
    grad, hess = _fast(focal_loss(2.0, 0.25), y, z)
    np.testing.assert_allclose(eval(out[0]), grad, rtol=1e-12)  # noqa: S307 - own output
    np.testing.assert_allclose(eval(out[1]), hess, rtol=1e-12)  # noqa: S307


def _with_a_stand_in_numba(tmp_path, raises: str) -> list[str]:
    """Lines printed by a fresh process whose ``import numba`` runs ``raises``: the
    warnings of "does not load", then the gradient and Hessian of a loss call."""
    (tmp_path / "numba").mkdir()
    (tmp_path / "numba" / "__init__.py").write_text(raises + "\n")
    code = (
        "import warnings, numpy as np, focal_boost\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    g, h = focal_boost.focal_loss(2.0, 0.25)(np.array([0, 1, 1]),\n"
        "                                             np.array([0.5, -2.0, 3.0]))\n"
        "from focal_boost import _kernels\n"
        "assert not _kernels.available()\n"
        "print([str(w.message) for w in caught if 'does not load' in str(w.message)])\n"
        "print(g.tolist()); print(h.tolist())\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(tmp_path), *filter(None, [os.environ.get("PYTHONPATH")])])}
    env.pop("FOCAL_BOOST_KERNELS", None)
    return subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                          text=True, env=env, timeout=300).stdout.splitlines()


@pytest.mark.parametrize(("error", "message"), [
    ("OSError", "Could not find/load shared object file 'libllvmlite.so'"),
    # a numpy newer than numba supports: an ImportError, which was taken for no numba
    # (the slow path without a word)
    ("ImportError", "Numba needs NumPy 2.5 or less. Got NumPy 2.6."),
])
def test_a_numba_that_does_not_load_falls_back_to_the_reference_path(tmp_path, error,
                                                                      message):
    # llvmlite's shared library missing or built for another libc: `import numba`
    # raises OSError. The loss must still work, with a warning.
    out = _with_a_stand_in_numba(tmp_path, f"raise {error}({message!r})")
    assert error in out[0] and message in out[0] and "reference path" in out[0]
    grad, hess = _fast(focal_loss(2.0, 0.25), np.array([0, 1, 1]), np.array([0.5, -2.0, 3.0]))
    np.testing.assert_allclose(eval(out[1]), grad, rtol=1e-12)  # noqa: S307 - own output
    np.testing.assert_allclose(eval(out[2]), hess, rtol=1e-12)  # noqa: S307


def test_a_numba_without_njit_warns_as_a_broken_install(tmp_path):
    # an ImportError naming numba that is no ModuleNotFoundError (a package that does
    # not provide njit) is a broken install: a warning, then the reference path
    out = _with_a_stand_in_numba(tmp_path, "")
    assert "ImportError" in out[0] and "njit" in out[0] and "reference path" in out[0], out


@pytest.mark.parametrize("missing", ["numba", "llvmlite"])
def test_numba_or_llvmlite_not_installed_is_the_numpy_path_without_a_warning(tmp_path,
                                                                             missing):
    # numba left out (or its llvmlite, which pip installs with it): the choice of the
    # user's environment, not a broken install, so no warning
    out = _with_a_stand_in_numba(
        tmp_path, f"raise ModuleNotFoundError(\"No module named {missing!r}\", "
                  f"name={missing!r})")
    assert out[0] == "[]"


def test_concurrent_calls_from_several_threads():
    # e.g. a threaded dask worker: every call gets its own, correct result.
    _kernels.set_num_threads(2)
    obj = focal_loss(2.0, 0.25)
    data = [_binary_data(70_000, np.float32) for _ in range(4)]
    expected = [_reference(obj, y, z) for y, z in data]
    results = [None] * len(data)

    def call(i):
        results[i] = obj(*data[i])

    threads = [threading.Thread(target=call, args=(i,)) for i in range(len(data))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for got, want in zip(results, expected, strict=True):
        _assert_same(got, want)


def test_concurrent_calls_with_different_thread_counts():
    # two fits with different n_jobs in two threads: a call that asked for another
    # thread count shut down the pool the other call was still handing blocks to
    # ("cannot schedule new futures after shutdown", the fit failed)
    obj = focal_loss(2.0, 0.25)
    y, z = _binary_data(200_000, np.float32)
    expected = obj.gradient_hessian(y, z, dtype=np.float32, n_threads=1)
    errors: list[BaseException] = []
    mismatches = []

    def calls(n_threads):
        for _ in range(15):
            try:
                got = obj.gradient_hessian(y, z, dtype=np.float32, n_threads=n_threads)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
                return
            if not all(np.array_equal(g, e) for g, e in zip(got, expected, strict=True)):
                mismatches.append(n_threads)

    threads = [threading.Thread(target=calls, args=(n,)) for n in (2, 3, 4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and mismatches == []


def test_thread_count_setting(monkeypatch):
    _kernels.set_num_threads(None)
    monkeypatch.setenv("FOCAL_BOOST_NUM_THREADS", "3")
    assert _kernels.get_num_threads() == 3
    assert _kernels.set_num_threads(1) is None
    assert _kernels.get_num_threads() == 1
    monkeypatch.delenv("FOCAL_BOOST_NUM_THREADS")
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    _kernels.set_num_threads(None)
    assert _kernels.get_num_threads() == len(os.sched_getaffinity(0))
    for bad in (0, -1, 1.5, True, "2"):
        with pytest.raises(ValueError, match="n must be"):
            _kernels.set_num_threads(bad)
    monkeypatch.setenv("FOCAL_BOOST_NUM_THREADS", "zero")
    with pytest.raises(ValueError, match="FOCAL_BOOST_NUM_THREADS"):
        _kernels.get_num_threads()
    for blank in ("", "  ", "\t"):  # set but blank: unset, as documented
        monkeypatch.setenv("FOCAL_BOOST_NUM_THREADS", blank)
        monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
        assert _kernels.get_num_threads() == len(os.sched_getaffinity(0))


@pytest.mark.parametrize(("omp", "expected"), [
    ("1", 1), ("1,1", 1), (" 1 ", 1), ("+1", 1), ("1 , 1", 1), ("10000", None), ("0", None),
    ("1,", None), ("1,0", None), ("-1", None), ("٣", None), ("\u0661", None), ("two", None),
    ("", None)])
def test_unset_threads_follow_openmps_limit(monkeypatch, omp, expected):
    # joblib's process workers set OMP_NUM_THREADS to their share of the CPUs, which the
    # libraries' OpenMP follows; the kernels took every CPU beside them (two workers on
    # two CPUs ran four kernel threads). Read as GNU OpenMP reads it (checked with
    # threadpoolctl beside XGBoost): a malformed value is ignored whole
    _kernels.set_num_threads(None)
    monkeypatch.delenv("FOCAL_BOOST_NUM_THREADS", raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", omp)
    cpus = len(os.sched_getaffinity(0))
    assert _kernels.get_num_threads() == (cpus if expected is None else expected)
    monkeypatch.setenv("FOCAL_BOOST_NUM_THREADS", "3")  # the package's own setting wins
    assert _kernels.get_num_threads() == 3


def test_joblib_process_workers_run_the_kernels_on_their_share(monkeypatch):
    from joblib import Parallel, cpu_count, delayed

    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)  # (joblib sets it where unset)
    monkeypatch.delenv("FOCAL_BOOST_NUM_THREADS", raising=False)
    threads = Parallel(n_jobs=2, backend="loky")(
        delayed(_kernels.get_num_threads)() for _ in range(2))
    share = max(cpu_count() // 2, 1)
    assert threads == [min(share, len(os.sched_getaffinity(0)))] * 2


@pytest.mark.parametrize("kind", ["binary", "softmax"])
def test_outputs_that_overlap_an_input_or_each_other_are_not_written_into(kind):
    # the kernels write the gradient before they are done reading the margins and
    # weights: a gradient written over the margins was 0.21 off (softmax), over the
    # weights or half over the Hessian 2.1 / 1.3 off (binary); the numpy path gave the
    # right numbers
    rng = np.random.default_rng(0)
    n = 1000
    if kind == "binary":
        y, z = rng.integers(0, 2, n).astype(np.float64), rng.normal(size=n) * 3
    else:
        y, z = rng.integers(0, 3, n).astype(np.float64), rng.normal(size=(n, 3)) * 3
    w = rng.uniform(0.5, 2.0, n)
    obj = focal_loss(2.0)
    expected = obj.gradient_hessian(y, z, w)
    zz, ww = z.copy(), w.copy()
    buffer = np.empty(z.size + 1)
    halves = (buffer[:-1].reshape(z.shape), buffer[1:].reshape(z.shape))
    cases = [((zz, np.empty_like(z)), zz, w), ((np.empty_like(z), zz), zz, w), (halves, z, w)]
    if kind == "binary":
        cases.append(((ww, np.empty_like(z)), z, ww))
    for out, margins, weights in cases:
        got = obj.gradient_hessian(y, margins, weights, out=out)
        assert got[0] is not out[0]
        np.testing.assert_array_equal(got[0], expected[0])
        np.testing.assert_array_equal(got[1], expected[1])


def test_outputs_are_plain_arrays_whatever_the_margins_subclass(tmp_path):
    # np.empty_like kept the margins' class: np.matrix gradients, for which g * w is
    # a matrix product (the numpy path returned ndarrays)
    obj = focal_loss(2.0)
    z = np.memmap(tmp_path / "z", dtype=np.float64, mode="w+", shape=(10,))
    for margins, y in ((np.matrix(np.zeros((4, 3))), np.array([0, 1, 2, 0])),
                       (z, np.arange(10) % 2)):
        g, h = obj(y, margins)
        assert type(g) is np.ndarray and type(h) is np.ndarray


def test_the_kernel_setting_is_read_in_any_case_and_spacing():
    # " NumPy " is numpy: the reference path runs, numba is not loaded, nothing is refused
    code = (
        "import sys, focal_boost\n"
        "focal_boost.focal_loss(2.0)([0, 1], [0.1, 0.2])\n"
        "print('numba' in sys.modules)\n"
    )
    assert _output_with_kernels_setting(code, " NumPy ") == "False"


# ------------------------------------------- found unpinned by mutation testing
# The kernels' settings and edges: thread settings and their precedence, Hessian scales
# below 1, multi-label blocks, the integer-power bound, output reuse, weights of the
# wrong shape, helper threads, the cache warning's line.
Y_FEW = np.array([0, 1, 1, 0, 1])
Z_FEW = np.array([0.5, -2.0, 3.0, 0.0, 1.5])


def test_set_num_threads_wins_over_a_malformed_environment(monkeypatch):
    """set_num_threads(n) takes precedence: a malformed FOCAL_BOOST_NUM_THREADS is then
    not read, on the kernels' path and on the numpy path alike."""
    monkeypatch.setenv("FOCAL_BOOST_NUM_THREADS", "abc")
    _kernels.set_num_threads(2)
    assert _kernels.get_num_threads() == 2
    fast = focal_loss(2.0)(Y_FEW, Z_FEW)
    _kernels.set_enabled(False)
    slow = focal_loss(2.0)(Y_FEW, Z_FEW)
    np.testing.assert_allclose(fast[0], slow[0], rtol=1e-12)


def test_a_call_n_threads_wins_over_a_malformed_environment(monkeypatch):
    """A call's n_threads means the environment is not read, kernels on or off (the
    training runs pass the library's thread count)."""
    monkeypatch.setenv("FOCAL_BOOST_NUM_THREADS", "abc")
    for enabled in (True, False):
        _kernels.set_enabled(enabled)
        grad, _ = focal_loss(2.0).gradient_hessian(Y_FEW, Z_FEW, n_threads=1)
        assert grad.shape == Z_FEW.shape
        assert focal_loss(2.0).loss(Y_FEW, Z_FEW, n_threads=1).shape == Z_FEW.shape


def test_loss_refuses_a_malformed_thread_setting_with_the_kernels_off(monkeypatch):
    """FocalLoss.loss refuses FOCAL_BOOST_NUM_THREADS=abc on the numpy path too."""
    monkeypatch.setenv("FOCAL_BOOST_NUM_THREADS", "abc")
    _kernels.set_enabled(False)
    with pytest.raises(ValueError, match="FOCAL_BOOST_NUM_THREADS must be a positive"):
        focal_loss(2.0).loss(Y_FEW, Z_FEW)


def test_openmp_limit_is_its_outermost_level(monkeypatch):
    """OMP_NUM_THREADS='4,2' limits the kernels to 4 (the first level), not 2."""
    monkeypatch.delenv("FOCAL_BOOST_NUM_THREADS", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(8)), raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "4,2")
    assert _kernels.get_num_threads() == 4
    monkeypatch.setenv("OMP_NUM_THREADS", "16")  # at most the CPUs
    assert _kernels.get_num_threads() == 8


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_a_hessian_scale_below_one_scales_the_kernels_hessian(dtype):
    """hessian_scale=0.5 halves the Hessian on the fast path, in float64 as in float32."""
    obj = focal_loss(2.0)
    grad, hess = obj.gradient_hessian(Y_FEW, Z_FEW, dtype=dtype, hessian_scale=0.5)
    assert _kernels.grad_hess(2.0, None, obj.hessian, Y_FEW, Z_FEW) is not None
    _kernels.set_enabled(False)
    ref_grad, ref_hess = obj.gradient_hessian(Y_FEW, Z_FEW, dtype=dtype, hessian_scale=0.5)
    np.testing.assert_allclose(grad, ref_grad, rtol=1e-6)
    np.testing.assert_allclose(hess, ref_hess, rtol=1e-6)


def test_multilabel_loss_over_several_blocks_keeps_the_label_weights():
    """Multi-label per-row losses with one alpha per label over several blocks of rows
    (n * k above the block size) match the reference path."""
    rng = np.random.default_rng(3)
    n, k = 24_000, 3
    y = rng.integers(0, 2, (n, k))
    z = rng.normal(size=(n, k))
    obj = focal_loss(2.0, np.array([0.2, 0.5, 0.9]))
    assert _kernels.loss(obj.gamma, obj.alpha, y, z, n_threads=1) is not None
    fast = obj.loss(y, z)
    _kernels.set_enabled(False)
    np.testing.assert_allclose(fast, obj.loss(y, z), rtol=1e-10)


@pytest.mark.parametrize("gamma", [15.0, 16.0])
def test_integer_gammas_at_the_power_table_bound_match_the_reference(gamma):
    """gamma 15 (the last of the u, u**2, u**4, u**8 products) and 16 (pow) give the
    reference gradients, Hessians and losses, for binary and softmax rows."""
    rng = np.random.default_rng(5)
    cases = [(rng.integers(0, 2, 50), rng.normal(size=50) * 3),
             (rng.integers(0, 3, 50), rng.normal(size=(50, 3)) * 3)]
    obj = focal_loss(gamma)
    for y, z in cases:
        assert _kernels.grad_hess(gamma, None, obj.hessian, y, z) is not None
        fast, fast_loss = obj(y, z), obj.loss(y, z)
        _kernels.set_enabled(False)
        ref, ref_loss = obj(y, z), obj.loss(y, z)
        _kernels.set_enabled(True)
        for a, b in zip((*fast, fast_loss), (*ref, ref_loss), strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-300)


def test_outputs_for_strided_softmax_margins_are_reused():
    """Softmax margins that are neither C- nor F-contiguous get C-ordered outputs, which
    a next call with out= writes into."""
    rng = np.random.default_rng(11)
    base = rng.normal(size=(200, 6))
    z, z2 = base[:, ::2], (base * 0.5)[:, ::2]
    y = rng.integers(0, 3, 200)
    assert not (z2.flags.c_contiguous or z2.flags.f_contiguous)
    obj = focal_loss(2.0)
    first = obj.gradient_hessian(y, z)
    assert first[0].flags.c_contiguous
    expected = obj.gradient_hessian(y, z2)
    again = obj.gradient_hessian(y, z2, out=first)
    assert again[0] is first[0] and again[1] is first[1]
    np.testing.assert_array_equal(again[0], expected[0])
    np.testing.assert_array_equal(again[1], expected[1])


def test_two_dimensional_sample_weight_is_refused_without_turning_the_kernels_off():
    """sample_weight of shape (n, 1): the reference path's error, no warning, and the
    kernels stay on for the next call."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"sample_weight must have shape \(5,\)"):
            focal_loss(2.0)(Y_FEW, Z_FEW, np.ones((5, 1)))
    assert _kernels.available()


def test_a_small_call_starts_no_more_helpers_than_it_has_blocks():
    """n_threads=8 on a one-block input runs on the calling thread: no helper threads."""
    code = (
        "import threading, numpy as np\n"
        "from focal_boost import focal_loss\n"
        "focal_loss(2.0).gradient_hessian(np.array([0, 1] * 50), np.zeros(100), n_threads=8)\n"
        "focal_loss(2.0).loss(np.array([0, 1] * 50), np.zeros(100), n_threads=8)\n"
        "print(sum(t.name.startswith('focal_boost_') for t in threading.enumerate()))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, timeout=300)
    assert out.stdout.strip() == "0", out.stdout + out.stderr[-2000:]


@pytest.mark.parametrize("call", ["loss", "gradient_hessian", "__call__"])
def test_a_cache_warning_points_at_the_caller(monkeypatch, call):
    """The "cache does not load" warning names the caller's line, whichever method it
    called (gradient_hessian and __call__ named a line of _loss.py)."""
    def unreadable(*args, **kwargs):
        raise EOFError("Ran out of input")

    monkeypatch.setattr(_kernels, "_run_blocks", unreadable)
    with pytest.warns(RuntimeWarning, match="cache of the fast kernels does not load") as rec:
        getattr(focal_loss(2.0), call)(Y_FEW, Z_FEW)
    assert rec[0].filename == __file__


@pytest.mark.parametrize("estimator", ["FocalXGBClassifier", "FocalLGBMClassifier"])
def test_a_cache_warning_in_a_fit_points_at_the_fit(monkeypatch, estimator):
    """Met where the library calls the objective, the warning names the line that
    trained (it named the objective's line in _loss.py)."""
    import focal_boost

    def unreadable(*args, **kwargs):
        raise EOFError("Ran out of input")

    monkeypatch.setattr(_kernels, "_run_blocks", unreadable)
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(200, 3)), rng.integers(0, 2, 200)
    with pytest.warns(RuntimeWarning, match="cache of the fast kernels does not load") as rec:
        getattr(focal_boost, estimator)(n_estimators=2).fit(X, y)
    assert [w.filename for w in rec if "cache" in str(w.message)] == [__file__]


def test_warm_up_leaves_a_cache_failure_to_the_first_call(monkeypatch):
    """warm_up, on its own thread, raises numba's failure with the kernels left on: it
    warned there, naming threading.py, and turned the kernels off, so that the first
    call on the caller's thread ran the reference path without a word."""
    def unreadable(*args, **kwargs):
        raise EOFError("Ran out of input")

    monkeypatch.setattr(_kernels, "_run_blocks", unreadable)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(EOFError):
            _kernels.warm_up()
    assert _kernels.set_enabled(True) is True  # still on
    with pytest.warns(RuntimeWarning, match="cache of the fast kernels does not load") as rec:
        focal_loss(2.0)(Y_FEW, Z_FEW)
    assert rec[0].filename == __file__


# Zero and infinite weights in every layout, more classes than a block holds, what
# warm_up loads (found unpinned by a second mutation run).
def _three_layouts(rng):
    """(loss, y, margins) of a binary, a softmax and a multi-label problem."""
    y3 = rng.integers(0, 3, 50)
    return [(focal_loss(2.0, 0.25), rng.integers(0, 2, 50), rng.normal(size=50)),
            (focal_loss(2.0, [1.0, 2.0, 3.0]), y3, rng.normal(size=(50, 3))),
            (focal_loss(2.0, [0.25, 0.5, 0.75]), rng.integers(0, 2, (50, 3)),
             rng.normal(size=(50, 3)))]


def test_weights_of_zero_stay_on_the_kernels():
    # weights of 0 are valid ("not negative"): the kernels take them (they returned None,
    # the reference path's work, when 0 counted as invalid)
    rng = np.random.default_rng(5)
    w = rng.uniform(0.5, 2.0, 50)
    w[[3, 17]] = 0.0
    for obj, y, z in _three_layouts(rng):
        fast = _kernels.grad_hess(obj.gamma, obj.alpha, obj.hessian, y, z, w)
        assert fast is not None
        reference = _reference(obj, y, z, w)
        for a, b in zip(fast, reference, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=0)
        assert not fast[0][[3, 17]].any()


def test_an_infinite_weight_leaves_the_kernels_and_is_refused():
    rng = np.random.default_rng(6)
    w = rng.uniform(0.5, 2.0, 50)
    w[9] = np.inf
    for obj, y, z in _three_layouts(rng):
        assert _kernels.grad_hess(obj.gamma, obj.alpha, obj.hessian, y, z, w) is None
        with pytest.raises(ValueError) as fast:
            obj(y, z, w)
        with pytest.raises(ValueError) as reference:
            _reference(obj, y, z, w)
        assert str(fast.value) == str(reference.value)


def test_more_classes_than_a_block_holds():
    # k above the block's 2**15 values: blocks of one row (a block of 0 rows divided
    # by zero)
    rng = np.random.default_rng(8)
    k = 2**15 + 3
    obj = focal_loss(2.0)
    for y, z in ((rng.integers(0, k, 3), rng.normal(size=(3, k))),
                 (rng.integers(0, 2, (3, k)), rng.normal(size=(3, k)))):
        fast = _kernels.grad_hess(obj.gamma, obj.alpha, obj.hessian, y, z)
        assert fast is not None
        reference = _reference(obj, y, z)
        for a, b in zip(fast, reference, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-300)
        loss = _kernels.loss(obj.gamma, obj.alpha, y, z)
        np.testing.assert_allclose(loss, _reference(obj.loss, y, z),
                                   rtol=1e-10)


def test_warm_up_loads_the_kernels_of_both_libraries_margins():
    # "binary rows with float32 labels, float32 margins (XGBoost) and float64 ones
    # (LightGBM)", for the gradients and the evaluation metric's loss
    code = (
        "from focal_boost import _kernels\n"
        "_kernels.warm_up()\n"
        "for f in (_kernels._bin_shift, _kernels._bin_finish, _kernels._bin_loss):\n"
        "    print(sorted(f'{s[0]} {s[1]}' for s in f.signatures))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True).stdout.splitlines()
    both = str(["array(float32, 1d, C) array(float32, 1d, C)",
                "array(float64, 1d, C) array(float32, 1d, C)"])
    assert out == [both] * 3, out
