"""The kernels' settings and edges, each pinned where mutation testing of
focal_boost._kernels found none: a broken numba, thread settings and their precedence,
Hessian scales below 1, multi-label blocks, the integer-power bound, output reuse,
weights of the wrong shape, helper threads, the cache warning's line."""

import os
import subprocess
import sys

import numpy as np
import pytest

from focal_boost import focal_loss

pytest.importorskip("numba")
from focal_boost._validation import kernels_from_environment  # noqa: E402

if not kernels_from_environment():
    pytest.skip("FOCAL_BOOST_KERNELS=numpy turns the fast kernels off in this process",
                allow_module_level=True)
from focal_boost import _kernels  # noqa: E402

Y = np.array([0, 1, 1, 0, 1])
Z = np.array([0.5, -2.0, 3.0, 0.0, 1.5])


@pytest.fixture(autouse=True)
def _kernels_on_and_unset():
    previous = _kernels.set_enabled(True)
    threads = _kernels.set_num_threads(None)
    yield
    _kernels.set_enabled(previous)
    _kernels.set_num_threads(threads)


def test_set_num_threads_wins_over_a_malformed_environment(monkeypatch):
    """set_num_threads(n) takes precedence: a malformed FOCAL_BOOST_NUM_THREADS is then
    not read, on the kernels' path and on the numpy path alike."""
    monkeypatch.setenv("FOCAL_BOOST_NUM_THREADS", "abc")
    _kernels.set_num_threads(2)
    assert _kernels.get_num_threads() == 2
    fast = focal_loss(2.0)(Y, Z)
    _kernels.set_enabled(False)
    slow = focal_loss(2.0)(Y, Z)
    np.testing.assert_allclose(fast[0], slow[0], rtol=1e-12)


def test_a_call_n_threads_wins_over_a_malformed_environment(monkeypatch):
    """A call's n_threads means the environment is not read, kernels on or off (the
    training runs pass the library's thread count)."""
    monkeypatch.setenv("FOCAL_BOOST_NUM_THREADS", "abc")
    for enabled in (True, False):
        _kernels.set_enabled(enabled)
        grad, _ = focal_loss(2.0).gradient_hessian(Y, Z, n_threads=1)
        assert grad.shape == Z.shape
        assert focal_loss(2.0).loss(Y, Z, n_threads=1).shape == Z.shape


def test_loss_refuses_a_malformed_thread_setting_with_the_kernels_off(monkeypatch):
    """FocalLoss.loss refuses FOCAL_BOOST_NUM_THREADS=abc on the numpy path too."""
    monkeypatch.setenv("FOCAL_BOOST_NUM_THREADS", "abc")
    _kernels.set_enabled(False)
    with pytest.raises(ValueError, match="FOCAL_BOOST_NUM_THREADS must be a positive"):
        focal_loss(2.0).loss(Y, Z)


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
    grad, hess = obj.gradient_hessian(Y, Z, dtype=dtype, hessian_scale=0.5)
    assert _kernels.grad_hess(2.0, None, obj.hessian, Y, Z) is not None
    _kernels.set_enabled(False)
    ref_grad, ref_hess = obj.gradient_hessian(Y, Z, dtype=dtype, hessian_scale=0.5)
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
            focal_loss(2.0)(Y, Z, np.ones((5, 1)))
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


def test_a_cache_warning_of_loss_points_at_the_caller(monkeypatch):
    """The "cache does not load" warning of FocalLoss.loss names the caller's line."""
    def unreadable(*args, **kwargs):
        raise EOFError("Ran out of input")

    monkeypatch.setattr(_kernels, "_run_blocks", unreadable)
    with pytest.warns(RuntimeWarning, match="cache of the fast kernels does not load") as rec:
        focal_loss(2.0).loss(Y, Z)
    assert rec[0].filename == __file__
