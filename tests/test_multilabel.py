"""Multi-label: a 2-D 0/1 label matrix means one sigmoid focal loss per label."""

import numpy as np
import pytest
from conftest import raw_margins  # noqa: E402
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from scipy.optimize import minimize
from scipy.special import expit, log_expit

from focal_boost import focal_loss
from focal_boost._hessian import HESSIANS as _HESSIANS

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
        # (it said "integer class indices", which a label matrix does not hold)
        (lambda: focal_loss()(np.full((3, 2), 0.5), np.zeros((3, 2))), ValueError,
         "must hold only 0 and 1, got 0.5"),
        (lambda: focal_loss()(np.zeros((3, 2)), np.zeros((3, 3))), ValueError,
         r"multi-label y_true of shape \(3, 2\) needs margins y_pred of the same shape"),
        (lambda: focal_loss()(np.zeros((3, 2)), np.zeros(3)), ValueError, "same shape"),
        (lambda: focal_loss(2.0, [0.2, 0.3, 0.5])(np.zeros((3, 2)), np.zeros((3, 2))),
         ValueError, "alpha has 3 weights but the label matrix has 2 labels"),
        (lambda: focal_loss(2.0, [1.0, 2.0])(np.zeros((3, 2)), np.zeros((3, 2))),
         ValueError, r"positive-class weight, which must lie in \(0, 1\), got \[1\.0, 2\.0\] "
                     r"for label\(s\) \[0, 1\] of 2$"),
        # one bad weight of many named by its label, not 40 numbers
        (lambda: focal_loss(2.0, [0.3] * 7 + [1.5] + [0.3] * 32)(
            np.zeros((3, 40)), np.zeros((3, 40))), ValueError,
         r"got \[1\.5\] for label\(s\) \[7\] of 40$"),
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


def test_label_weights_further_apart_than_float64_resolves_are_refused():
    # [1e-16, 1e-16] passed the sequence check (ratio 1) though each label weighs its
    # classes (1 - 1e-16, 1e-16), which the float 1e-16 is refused for
    y, z = _data(50)
    with pytest.raises(ValueError, match="within a factor 1/eps"):
        focal_loss(0.0, [1e-16] * K)(y, z)
    with pytest.raises(ValueError, match="within a factor 1/eps"):
        focal_loss(0.0, 1e-16)


# ====================================================================== XGBoost
def _xgb():
    return pytest.importorskip("xgboost")


def _labelled(n=2000, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 5))
    Y = (2 * X[:, :3] + rng.logistic(size=(n, 3)) > [0.0, 2.0, 4.0]).astype(int)  # 50/22/8%
    return X, Y, rng.uniform(0.5, 2.0, n)


ML_ALPHA = (0.25, 0.5, 0.75)


def test_one_output_per_tree_equals_separate_binary_boosters():
    xgb = _xgb()
    from focal_boost import xgboost as fx

    X, Y, w = _labelled()
    params = {"max_depth": 3, "nthread": 1}
    booster = fx.train(dict(params, multi_strategy="one_output_per_tree"),
                       xgb.DMatrix(X, label=Y, weight=w), focal_loss(2.0, ML_ALPHA), 20)
    margin = fx.predict_margin(booster, X)
    proba = fx.predict_proba(booster, X)
    for j in range(3):
        loss_j = focal_loss(2.0, ML_ALPHA[j])
        single = fx.train(params, xgb.DMatrix(X, label=Y[:, j], weight=w), loss_j, 20)
        # Same gradients, same histogram cuts, one tree per label and round: identical.
        assert_array_equal(margin[:, j], fx.predict_margin(single, X))
        assert_array_equal(proba[:, j], fx.predict_proba(single, X))


@pytest.mark.parametrize("strategy", ["one_output_per_tree", "multi_output_tree"])
def test_train_multilabel_intercept_metric_and_predictions(strategy):
    xgb = _xgb()
    from focal_boost import xgboost as fx

    X, Y, w = _labelled()
    loss = focal_loss(2.0, ML_ALPHA)
    dtrain = xgb.DMatrix(X[:1500], label=Y[:1500], weight=w[:1500])
    dvalid = xgb.DMatrix(X[1500:], label=Y[1500:])
    params = {"max_depth": 3, "nthread": 1, "multi_strategy": strategy}
    # Zero rounds: the model is its intercept, one focal-optimal constant per label,
    # whose recovered posterior is the weighted label frequency.
    start = fx.train(params, dtrain, loss, 0)
    init = loss.init_score(Y[:1500], w[:1500])
    assert_allclose(fx.predict_margin(start, X[:2]), np.tile(init, (2, 1)), rtol=1e-6)
    assert_allclose(fx.predict_proba(start, X[:1])[0],
                    np.average(Y[:1500], axis=0, weights=w[:1500]), rtol=1e-5)
    history = {}
    booster = fx.train(params, dtrain, loss, 200, evals=[(dtrain, "train"), (dvalid, "valid")],
                       early_stopping_rounds=10, evals_result=history)
    margin = fx.predict_margin(booster, X[1500:])
    assert margin.shape == (500, 3)
    assert_array_equal(fx.predict_proba(booster, X[1500:]),
                       loss.predict_proba(margin, multilabel=True))
    assert_array_equal(fx.inverse_link(booster, X[1500:]), expit(margin))
    # The logged metric (6 significant digits) is the mean focal loss over rows and
    # labels, each row weighted.
    best = history["valid"]["focal_loss"][booster.best_iteration]
    assert best == pytest.approx(loss.loss(Y[1500:], margin).mean(), rel=2e-5)
    assert best < history["valid"]["focal_loss"][0]
    last = fx.predict_margin(booster, X[:1500], iteration_range=(0, 0))
    assert history["train"]["focal_loss"][-1] == pytest.approx(
        np.average(loss.loss(Y[:1500], last).mean(axis=1), weights=w[:1500]), rel=2e-5)
    # Every label is learned: held-out AUC near that of the true score 2 * X[:, j]
    # (0.84-0.89), far from the 0.5 of the intercept alone.
    from sklearn.metrics import roc_auc_score

    assert min(roc_auc_score(Y[1500:, j], margin[:, j]) for j in range(3)) > 0.8


def test_multilabel_booster_pickles_saves_and_loads(tmp_path):
    xgb = _xgb()
    import pickle

    from focal_boost import xgboost as fx

    X, Y, _ = _labelled(600)
    loss = focal_loss(2.0, ML_ALPHA)
    booster = fx.train({"max_depth": 2, "nthread": 1, "multi_strategy": "multi_output_tree"},
                       xgb.DMatrix(X, label=Y), loss, 10)
    expected = fx.predict_proba(booster, X)
    assert expected.shape == (600, 3)
    assert_array_equal(fx.predict_proba(pickle.loads(pickle.dumps(booster)), X), expected)
    for name in ("model.json", "model.ubj"):
        booster.save_model(tmp_path / name)
        loaded = xgb.Booster(model_file=tmp_path / name)
        # the per-label intercept (vector base_score) and the loss travel with the model
        assert_array_equal(fx.predict_proba(loaded, X), expected)
        assert_array_equal(fx.predict_margin(loaded, xgb.DMatrix(X)),
                           fx.predict_margin(booster, X))


def test_multilabel_training_errors():
    xgb = _xgb()
    from focal_boost import xgboost as fx

    X, Y, _ = _labelled(100)
    dtrain = xgb.DMatrix(X, label=Y)
    with pytest.raises(ValueError, match="label matrix of 3 columns .* num_class"):
        fx.train({"num_class": 3}, dtrain, focal_loss(), 1)
    with pytest.raises(ValueError,
                       match=r"init_score must be a number or an array of shape \(3,\)"):
        fx.train({}, dtrain, focal_loss(), 1, init_score=[0.0, 1.0])
    with pytest.raises(ValueError, match="alpha has 2 weights but the label matrix has 3 labels"):
        fx.train({}, dtrain, focal_loss(2.0, [0.2, 0.3]), 1)
    with pytest.raises(ValueError, match="must hold only 0 and 1"):
        fx.train({}, xgb.DMatrix(X, label=Y * 2), focal_loss(), 1)
    # an explicit per-label intercept is the model's start
    start = fx.train({}, dtrain, focal_loss(), 0, init_score=[-1.0, 0.0, 1.0])
    assert_allclose(fx.predict_margin(start, X[:1]), [[-1.0, 0.0, 1.0]])


# ------------------------------------------- statistical: known posterior per label
def test_corrected_probabilities_are_calibrated_per_label():
    xgb = _xgb()
    from focal_boost import ce_loss
    from focal_boost import xgboost as fx

    rng = np.random.default_rng(2)
    n_train, n_valid, n_test = 6000, 3000, 10000
    X = rng.normal(size=(n_train + n_valid + n_test, 4))
    logits = np.c_[1.5 * X[:, 0] - 0.5, 0.8 * X[:, 1] ** 2 - 2.0,
                   np.sin(2 * X[:, 2]) - 0.5 * X[:, 0] - 1.5]
    eta = expit(logits)  # known posterior of each label: ~40% / 25% / 20% positives
    Y = (rng.uniform(size=eta.shape) < eta).astype(int)
    tr, va, te = (slice(0, n_train), slice(n_train, n_train + n_valid),
                  slice(n_train + n_valid, None))

    def fit(loss):
        booster = fx.train({"max_depth": 3, "eta": 0.05, "nthread": 1}, xgb.DMatrix(
            X[tr], label=Y[tr]), loss, 500, evals=[(xgb.DMatrix(X[va], label=Y[va]), "v")],
            early_stopping_rounds=30)
        return booster, fx.predict_margin(booster, X[te])

    loss = focal_loss(2.0, (0.25, 0.5, 0.75))
    booster, z = fit(loss)
    plain, corrected = expit(z), fx.predict_proba(booster, X[te])
    _, z_ll = fit(ce_loss())
    mse_plain, mse_corr, mse_ll = (np.mean((p - eta[te]) ** 2, axis=0)
                                   for p in (plain, corrected, expit(z_ll)))
    # Every label: the correction brings the focal model to the log-loss model's error.
    # Measured (three data seeds): plain/corrected 22-36x, corrected/log-loss 0.92-1.10.
    assert (mse_corr <= 0.5 * mse_plain).all()
    assert (mse_corr <= 1.5 * mse_ll).all()


@pytest.mark.parametrize("strategy", ["one_output_per_tree", "multi_output_tree"])
def test_gamma_zero_reproduces_xgboost_binary_logistic_multilabel(strategy):
    xgb = _xgb()
    from focal_boost import ce_loss
    from focal_boost import xgboost as fx

    X, Y, w = _labelled()
    params = {"max_depth": 3, "nthread": 1, "multi_strategy": strategy}
    dtrain = xgb.DMatrix(X, label=Y, weight=w)
    builtin = xgb.train(dict(params, objective="binary:logistic"), dtrain, 20)
    ours = fx.train(params, dtrain, ce_loss(), 20)
    # XGBoost's intercept is its weighted label mean, ours the same constant in margin
    # space; the rest differs by float32 rounding only (measured max 1.1e-7).
    assert_allclose(fx.predict_proba(ours, X), builtin.predict(xgb.DMatrix(X)), atol=1e-6)


# ================================================================ estimators
def _estimators():
    pytest.importorskip("sklearn")
    _xgb()
    from focal_boost import FocalLGBMClassifier, FocalXGBClassifier

    return FocalXGBClassifier, FocalLGBMClassifier


@pytest.mark.parametrize("strategy", ["one_output_per_tree", "multi_output_tree"])
def test_focal_xgb_classifier_fits_a_label_matrix(strategy):
    FocalXGBClassifier, _ = _estimators()
    xgb = _xgb()
    from focal_boost import xgboost as fx

    X, Y, w = _labelled()
    clf = FocalXGBClassifier(alpha=list(ML_ALPHA), n_estimators=20, max_depth=3, n_jobs=1,
                             multi_strategy=strategy, init_score="auto")
    clf.fit(X, Y, sample_weight=w)
    assert_array_equal(clf.classes_, [0, 1])
    assert clf.n_outputs_ == 3
    # the same model as the native API's
    booster = fx.train({"eta": 0.3, "max_depth": 3, "nthread": 1, "multi_strategy": strategy,
                        "seed": 0}, xgb.DMatrix(X, label=Y, weight=w), clf.loss_, 20)
    margin = raw_margins(clf, X)
    assert_array_equal(margin, fx.predict_margin(booster, X))
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), 3)
    assert_array_equal(proba, focal_loss(2.0, ML_ALPHA).predict_proba(margin, multilabel=True))
    clf.set_params(posterior_correction=False)
    assert_array_equal(clf.predict_proba(X), expit(margin))
    # predict: per label, the more probable of 0 and 1 (the argmax of the posterior)
    clf.set_params(posterior_correction=True)
    predicted = clf.predict(X)
    assert predicted.shape == Y.shape and predicted.dtype.kind == "i"
    assert_array_equal(predicted, (proba > 0.5).astype(int))
    assert (predicted != (margin > 0)).any()  # alpha moves the sigmoid's threshold


def test_focal_xgb_classifier_multilabel_like_xgbclassifier():
    FocalXGBClassifier, _ = _estimators()
    xgb = _xgb()
    import pickle

    X, Y, _ = _labelled(1500)
    plain = xgb.XGBClassifier(n_estimators=20, n_jobs=1).fit(X, Y)
    ours = FocalXGBClassifier(gamma=0.0, init_score="auto", n_estimators=20, n_jobs=1).fit(X, Y)
    assert_array_equal(ours.classes_, plain.classes_)
    assert_allclose(ours.predict_proba(X), plain.predict_proba(X), atol=1e-6)
    assert_array_equal(ours.predict(X), plain.predict(X))
    focal = FocalXGBClassifier(n_estimators=20, n_jobs=1, early_stopping_rounds=5)
    focal.fit(X[:1000], Y[:1000], eval_set=[(X[1000:], Y[1000:])])
    history = focal.evals_result_["validation_0"]["focal_loss"]
    assert focal.best_iteration_ == int(np.argmin(history))  # early-stopped on the focal loss
    clone = pickle.loads(pickle.dumps(focal))
    assert_array_equal(clone.predict_proba(X), focal.predict_proba(X))


def test_focal_xgb_classifier_multilabel_errors():
    FocalXGBClassifier, _ = _estimators()
    X, Y, _ = _labelled(200)
    with pytest.raises(ValueError, match="0/1 multi-label indicator matrix"):
        FocalXGBClassifier(n_estimators=2).fit(X, Y * 2)
    with pytest.raises(ValueError, match="alpha='balanced' weighs classes"):
        FocalXGBClassifier(alpha="balanced", n_estimators=2).fit(X, Y)
    # a Series is read as a dict, by label, which a label matrix's weights are not: it
    # was taken by position, or refused with advice to sort its index, which did not help
    import pandas as pd

    frame = pd.DataFrame(Y, columns=["a", "b", "c"])
    for alpha in (1 - frame.mean(), pd.Series([0.2, 0.3, 0.4])):
        with pytest.raises(ValueError, match=r"^alpha as a pandas Series weighs classes; .* in "
                                             r"the order of y's columns \(alpha\.reindex\("
                                             r"Y\.columns\)\.to_numpy\(\) for a Series"):
            FocalXGBClassifier(alpha=alpha, n_estimators=2).fit(X, frame)
    by_position = FocalXGBClassifier(alpha=(1 - frame.mean()).to_numpy(), n_estimators=2)
    np.testing.assert_allclose(by_position.fit(X, frame).loss_.alpha, 1 - Y.mean(axis=0))
    with pytest.raises(ValueError, match=r"^eval_set\[0\] has a matrix of 2 labels, y has a "
                                         r"matrix of 3 labels$"):
        FocalXGBClassifier(n_estimators=2).fit(X, Y, eval_set=[(X, Y[:, :2])])
    with pytest.raises(ValueError, match=r"^eval_set\[0\] has one label per row, y has a "
                                         r"matrix of 3 labels$"):  # (was "of shape ()")
        FocalXGBClassifier(n_estimators=2).fit(X, Y, eval_set=[(X, Y[:, 0])])
    with pytest.raises(ValueError, match="alpha"):
        FocalXGBClassifier(alpha=[0.2, 0.3], n_estimators=2).fit(X, Y)


def test_focal_lgbm_classifier_under_multioutput_classifier():
    _, FocalLGBMClassifier = _estimators()
    from sklearn.multioutput import MultiOutputClassifier

    X, Y, w = _labelled(1500)
    params = {"alpha": 0.25, "n_estimators": 20, "n_jobs": 1}
    model = MultiOutputClassifier(FocalLGBMClassifier(**params)).fit(X, Y, sample_weight=w)
    proba = model.predict_proba(X)
    assert len(proba) == 3
    for j in range(3):
        single = FocalLGBMClassifier(**params).fit(X, Y[:, j], sample_weight=w)
        assert_array_equal(proba[j], single.predict_proba(X))
        assert_array_equal(model.predict(X)[:, j], single.predict(X))
    # without the wrapper: a clear error naming it
    with pytest.raises(ValueError, match="wrap it in sklearn.multioutput.MultiOutputClassifier"):
        FocalLGBMClassifier(**params).fit(X, Y)
    # an evaluation set's label matrix named as such (it was y's message, under the
    # wrapper the user had already put it in)
    with pytest.raises(ValueError, match=r"^eval_set\[0\]'s y has shape \(1500, 3\): "
                                         r"FocalLGBMClassifier takes one label per sample, "
                                         r"as y has$"):
        MultiOutputClassifier(FocalLGBMClassifier(**params)).fit(X, Y, eval_set=[(X, Y)])



def test_focal_xgb_classifier_multilabel_eval_metrics_and_validation_split():
    FocalXGBClassifier, _ = _estimators()
    from sklearn.metrics import log_loss, roc_auc_score

    X, Y, w = _labelled(1500)
    clf = FocalXGBClassifier(n_estimators=10, n_jobs=1,
                             eval_metric=["auc", "aucpr", "logloss", "error"])
    clf.fit(X[:1000], Y[:1000], eval_set=[(X[1000:], Y[1000:])],
            eval_sample_weight=[w[1000:]])
    history = clf.evals_result_["validation_0"]
    proba, Yv, wv = clf.predict_proba(X[1000:]), Y[1000:], w[1000:]
    # on the probabilities: AUC and XGBoost's interpolated PR area per label (macro),
    # log-loss and error per entry, each row weighing its weight
    from focal_boost import metrics

    expected = {
        "auc": roc_auc_score(Yv, proba, sample_weight=wv),
        "aucpr": np.mean([metrics.aucpr(Yv[:, j], proba[:, j], wv) for j in range(3)]),
        "logloss": log_loss(Yv.ravel(), proba.ravel(), sample_weight=np.repeat(wv, 3)),
        "error": np.average((proba > 0.5) != Yv, weights=np.repeat(wv, 3).reshape(Yv.shape)),
        "focal_loss": np.average(clf.loss_.loss(Yv, raw_margins(clf, X[1000:])).mean(
            axis=1), weights=wv),
    }
    for name, value in expected.items():
        assert history[name][-1] == pytest.approx(value, rel=1e-4), name
    # early stopping without eval_set holds out rows (label matrices are not stratified)
    stopped = FocalXGBClassifier(n_estimators=200, n_jobs=1, early_stopping_rounds=5,
                                 learning_rate=0.5).fit(X, Y)
    assert stopped.best_iteration_ < 199
    assert stopped.best_score_ == min(stopped.evals_result_["validation_0"]["focal_loss"])


@pytest.mark.parametrize("name", ["auc", "aucpr"])
def test_native_train_takes_xgboost_aucs_of_a_label_matrix_where_xgboost_does(name):
    # XGBoost 3.2: they passed the check (binary and multi-label were allowed alike) and
    # XGBoost stopped at the first evaluation: "labels.Size() == predts.size() (300 vs.
    # 900)"; refused. XGBoost 3.4 takes them (the mean over the labels): taken, and the
    # values are the estimator's (refused, though right)
    xgb = _xgb()
    from focal_boost import FocalXGBClassifier
    from focal_boost import xgboost as fx

    X, Y, _ = _labelled(300)
    d = xgb.DMatrix(X, label=Y)
    plain_takes = True
    try:
        xgb.train({"objective": "binary:logistic", "eval_metric": name}, d, 2,
                  evals=[(d, "train")], verbose_eval=False)
    except xgb.core.XGBoostError:
        plain_takes = False
    if not plain_takes:
        with pytest.raises(ValueError, match="before XGBoost 3.4 its 'auc' and 'aucpr' do "
                                             "not take a label matrix"):
            fx.train({"eval_metric": name}, d, focal_loss(2.0), 2, evals=[(d, "train")])
    else:
        log: dict = {}
        fx.train({"eval_metric": name}, d, focal_loss(2.0), 2, evals=[(d, "train")],
                 evals_result=log, verbose_eval=False)
        clf = FocalXGBClassifier(n_estimators=2, eval_metric=name).fit(X, Y,
                                                                       eval_set=[(X, Y)])
        np.testing.assert_allclose(log["train"][name],
                                   clf.evals_result_["validation_0"][name], rtol=1e-6)
    binary = xgb.DMatrix(X, label=Y[:, 0])  # binary: still allowed
    fx.train({"eval_metric": name}, binary, focal_loss(2.0), 2, evals=[(binary, "train")])


def test_label_matrix_of_objects_fits_as_xgbclassifier_does():
    # Y.astype(object): XGBClassifier fits; ours said "a 2-D y must be a 0/1 multi-label
    # indicator matrix, got values [0, 1]"
    xgb = _xgb()
    from focal_boost import FocalXGBClassifier

    X, Y, _ = _labelled(300)
    plain = xgb.XGBClassifier(n_estimators=3).fit(X, Y.astype(object))
    ours = FocalXGBClassifier(n_estimators=3).fit(X, Y.astype(object))
    same = FocalXGBClassifier(n_estimators=3).fit(X, Y)
    assert plain.predict_proba(X).shape == ours.predict_proba(X).shape == (300, 3)
    assert_array_equal(ours.predict_proba(X), same.predict_proba(X))


def test_early_stopping_refusal_does_not_say_stratified_for_a_label_matrix():
    _xgb()
    from focal_boost import FocalXGBClassifier

    X, Y, _ = _labelled(300)
    with pytest.raises(ValueError, match="validation_fraction=0.1 of the rows, which") as info:
        FocalXGBClassifier(early_stopping_rounds=2).fit(X[:1], Y[:1])
    assert "stratified" not in str(info.value)
