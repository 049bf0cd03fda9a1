"""LightGBM adapter: focal loss through LightGBM's native API.

Calling conventions only; the mathematics lives in :mod:`focal_boost._loss`.
``import focal_boost`` does not import this module (nor LightGBM).

- :func:`objective` wraps a loss as ``params["objective"]`` for ``lgb.train``.
- :func:`metric` wraps it as a ``feval`` callable.
- :func:`train` calls ``lgb.train`` with both, plus the optimal constant start
  (intercept), which it bakes into the returned model.
- :func:`predict_margin` / :func:`predict_proba` predict from such a model.

A loss object also works directly as ``lightgbm.LGBMClassifier(objective=loss)``
(LightGBM passes ``(y_true, y_pred, sample_weight)`` because the call takes
three arguments). That model starts from margin 0, and its ``predict_proba``
returns **raw margins** (shape ``(n,)`` for binary) and ``predict`` raw floats,
with a warning: LightGBM applies no link to a custom objective. For
probabilities, an intercept and early stopping on the focal loss, use
:class:`focal_boost.FocalLGBMClassifier`.

Examples
--------
Native LightGBM, no wrapper (the model then starts from margin 0, and
``Booster.predict`` returns raw margins):

>>> import lightgbm as lgb
>>> from focal_boost import focal_loss
>>> from focal_boost.lightgbm import metric, objective
>>> loss = focal_loss(gamma=2.0, alpha=0.25)
>>> params = {"objective": objective(loss), "metric": "None", "verbose": -1}
>>> booster = lgb.train(params, lgb.Dataset(X, y), 100,  # doctest: +SKIP
...                     valid_sets=[lgb.Dataset(X_val, y_val)], feval=metric(loss))

With the intercept, in one call:

>>> from focal_boost.lightgbm import predict_proba, train
>>> booster = train({"verbose": -1}, lgb.Dataset(X, y), loss)  # doctest: +SKIP
>>> proba = predict_proba(booster, X_test)  # doctest: +SKIP
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from scipy.special import expit, softmax

from focal_boost._loss import check_loss as _check_loss

try:
    import lightgbm as lgb
    from lightgbm.basic import LightGBMError, _ConfigAliases
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "focal_boost.lightgbm needs LightGBM >= 4.0: pip install 'focal-boost[lightgbm]'"
    ) from exc

__all__ = ["objective", "metric", "train", "predict_margin", "predict_proba"]

METRIC_NAME = "focal_loss"


def _aliases(name: str) -> set[str]:
    """Every spelling LightGBM accepts for the parameter ``name`` (main name or alias).

    LightGBM's own table, as its scikit-learn wrapper uses it.
    """
    return _ConfigAliases.get_by_alias(name)


class _Objective:
    """``f(preds, train_data) -> (grad, hess)`` for ``params["objective"]``."""

    def __init__(self, loss) -> None:
        self.loss = loss

    def __repr__(self) -> str:
        return f"focal_boost.lightgbm.objective({self.loss!r})"

    def __call__(self, preds: np.ndarray, train_data: lgb.Dataset):
        # preds is LightGBM's reusable score buffer ((n, k) Fortran view in multiclass):
        # the loss only reads it. The (n, k) result is flattened class-major by LightGBM
        # (ravel(order="F")), which is the layout its C API expects.
        return self.loss(train_data.get_label(), preds, train_data.get_weight())


class _Metric:
    """``f(preds, eval_data) -> ("focal_loss", value, False)`` for ``feval``."""

    def __init__(self, loss) -> None:
        self.loss = loss

    def __repr__(self) -> str:
        return f"focal_boost.lightgbm.metric({self.loss!r})"

    def __call__(self, preds: np.ndarray, eval_data: lgb.Dataset) -> tuple[str, float, bool]:
        values = self.loss.loss(eval_data.get_label(), preds)
        return METRIC_NAME, float(np.average(values, weights=eval_data.get_weight())), False


def objective(loss) -> Callable[[np.ndarray, lgb.Dataset], tuple[np.ndarray, np.ndarray]]:
    """LightGBM custom objective for ``lgb.train(params={"objective": ...})``.

    The returned callable ``f(preds, train_data) -> (grad, hess)`` evaluates the
    loss derivatives at the raw scores ``preds`` (``(n,)`` binary, ``(n, k)``
    multiclass with ``params["num_class"] = k``), with the labels and the row
    weights of ``train_data`` (``grad_i`` and ``hess_i`` are multiplied by
    ``w_i``; LightGBM does not apply weights to a custom objective itself).
    ``preds`` is never modified.

    Parameters
    ----------
    loss : FocalLoss
        From :func:`focal_boost.focal_loss` or :func:`focal_boost.ce_loss`.

    Returns
    -------
    callable
        Picklable; ``f.loss`` is ``loss``.

    Notes
    -----
    LightGBM starts a custom objective from margin 0 and ignores
    ``boost_from_average``; :func:`train` adds the optimal constant.

    Examples
    --------
    >>> import lightgbm as lgb
    >>> from focal_boost import focal_loss
    >>> from focal_boost.lightgbm import objective
    >>> params = {"objective": objective(focal_loss(2.0, [1.0, 2.0, 4.0])),
    ...           "num_class": 3, "metric": "None", "verbose": -1}
    >>> booster = lgb.train(params, lgb.Dataset(X, y))  # doctest: +SKIP
    >>> raw = booster.predict(X, raw_score=True)  # doctest: +SKIP
    """
    return _Objective(_check_loss(loss))


def metric(loss) -> Callable[[np.ndarray, lgb.Dataset], tuple[str, float, bool]]:
    """LightGBM ``feval`` callable: the weighted mean focal loss.

    ``f(preds, eval_data) -> ("focal_loss", value, False)`` with
    ``value = sum_i w_i * FL(y_i, preds_i) / sum_i w_i`` on raw scores (the
    weights of ``eval_data``, all 1 when it has none); lower is better, so it
    drives early stopping directly. Set ``params["metric"] = "None"`` so that
    LightGBM does not also evaluate a built-in metric on raw scores.

    Parameters
    ----------
    loss : FocalLoss

    Returns
    -------
    callable
        Picklable; ``f.loss`` is ``loss``.

    Examples
    --------
    >>> import lightgbm as lgb
    >>> from focal_boost import focal_loss
    >>> from focal_boost.lightgbm import metric, objective
    >>> loss = focal_loss(gamma=2.0)
    >>> dtrain = lgb.Dataset(X, y)  # doctest: +SKIP
    >>> dvalid = lgb.Dataset(X_val, y_val, reference=dtrain)  # doctest: +SKIP
    >>> booster = lgb.train(  # doctest: +SKIP
    ...     {"objective": objective(loss), "metric": "None", "verbose": -1},
    ...     dtrain, 500, valid_sets=[dvalid], feval=metric(loss),
    ...     callbacks=[lgb.early_stopping(20)])
    """
    return _Metric(_check_loss(loss))


def train(
    params: Mapping[str, Any],
    train_set: lgb.Dataset,
    loss,
    num_boost_round: int = 100,
    *,
    valid_sets: Sequence[lgb.Dataset] | None = None,
    valid_names: Sequence[str] | None = None,
    init_score: str | float | Sequence[float] | np.ndarray | None = "auto",
    callbacks: Sequence[Callable] | None = None,
    **kwargs: Any,
) -> lgb.Booster:
    """Train a LightGBM booster on the focal loss, starting from its optimal constant.

    A thin wrapper over ``lgb.train``. On a copy of ``params`` it sets
    ``objective`` to :func:`objective` of ``loss``, ``metric`` to ``"None"``
    (unless ``params`` names a metric) and ``num_class`` (binary when
    ``params`` has no ``num_class``/``num_classes`` or it is 1). The metric
    :func:`metric` (``"focal_loss"``) is always evaluated on ``valid_sets``,
    before any ``feval`` passed in ``kwargs``.

    The intercept ``c`` (one margin, or one per class) is the start of
    boosting: during training it is added to the ``init_score`` of
    ``train_set`` and of every ``valid_sets`` entry, so the first trees and the
    metric see margins ``c + trees``; the Datasets' own ``init_score`` is
    restored afterwards (a constructed Dataset stays constructed). Because
    LightGBM does not add a Dataset's ``init_score`` at prediction time, ``c``
    is then added to every leaf of the first tree of each class (as LightGBM
    does for ``boost_from_average``), so ``booster.predict(X, raw_score=True)``,
    ``num_iteration``/``best_iteration`` predictions, ``save_model``,
    ``model_to_string`` and pickling all include it. Predicting with
    ``start_iteration > 0`` skips the first trees, and the intercept with them.

    Parameters
    ----------
    params : dict
        LightGBM parameters; not modified. Must not set ``objective``
        (the loss is the objective). Use ``num_class = k`` for ``k >= 3``
        classes (labels ``0 .. k-1``). ``num_class = 2`` trains a 2-column
        softmax; leave it out for the usual one-column binary model.
    train_set : lightgbm.Dataset
        Training data with labels (and optional weights). For ``"auto"`` its
        labels must be in memory or the Dataset constructed.
    loss : FocalLoss
        From :func:`focal_boost.focal_loss` or :func:`focal_boost.ce_loss`.
    num_boost_round : int, default=100
        Number of boosting iterations (``>= 1``).
    valid_sets, valid_names : optional
        As in ``lgb.train``; evaluated with the ``"focal_loss"`` metric.
    init_score : "auto", float, array-like of shape (n_classes,) or None, default="auto"
        The intercept. ``"auto"``: ``loss.init_score(labels, weights)``, the
        constant minimising the weighted mean training loss, except that no
        intercept is used when ``train_set`` already has an ``init_score``
        (as LightGBM's ``boost_from_average`` does) or ``init_model`` is given
        (the initial model carries its own). A float (binary) or length-``k``
        array (multiclass) is used as given, on top of any Dataset
        ``init_score``. None: start from 0 like plain LightGBM.
    callbacks : list of callable, optional
        As in ``lgb.train``, e.g. ``[lgb.early_stopping(10)]``.
    **kwargs
        Passed to ``lgb.train``: ``feval`` (extra metrics), ``init_model``,
        ``keep_training_booster``.

    Returns
    -------
    lightgbm.Booster
        Its raw scores include the intercept; see :func:`predict_margin` and
        :func:`predict_proba`.

    Raises
    ------
    ValueError
        If ``params`` sets an objective, the labels do not fit ``num_class``,
        ``init_score`` is malformed, or a non-zero intercept is asked for
        with ``linear_tree`` (its leaves cannot be shifted).

    Notes
    -----
    Built-in metrics named in ``params["metric"]`` are computed by LightGBM on
    raw scores under a custom objective: only ranking metrics such as
    ``"auc"`` are meaningful there.

    Examples
    --------
    >>> import lightgbm as lgb
    >>> from focal_boost import focal_loss
    >>> from focal_boost.lightgbm import predict_proba, train
    >>> dtrain = lgb.Dataset(X, y)  # doctest: +SKIP
    >>> dvalid = lgb.Dataset(X_val, y_val, reference=dtrain)  # doctest: +SKIP
    >>> booster = train({"learning_rate": 0.05, "verbose": -1}, dtrain,  # doctest: +SKIP
    ...                 focal_loss(gamma=2.0, alpha=0.25), 1000, valid_sets=[dvalid],
    ...                 callbacks=[lgb.early_stopping(50)])
    >>> booster.best_score["valid_0"]["focal_loss"]  # doctest: +SKIP
    >>> proba = predict_proba(booster, X_test)  # doctest: +SKIP
    """
    loss = _check_loss(loss)
    if not isinstance(params, Mapping):
        raise TypeError(f"params must be a mapping (dict), got {type(params).__name__}")
    if not isinstance(train_set, lgb.Dataset):
        raise TypeError(f"train_set must be a lightgbm.Dataset, got {type(train_set).__name__}")
    if (
        isinstance(num_boost_round, bool)
        or not isinstance(num_boost_round, numbers.Integral)
        or num_boost_round < 1
    ):
        raise ValueError(f"num_boost_round must be an integer >= 1, got {num_boost_round!r}")
    if isinstance(valid_sets, lgb.Dataset):
        valid_sets = [valid_sets]
    valid_sets = list(valid_sets) if valid_sets is not None else []
    for i, ds in enumerate(valid_sets):
        if not isinstance(ds, lgb.Dataset):
            raise TypeError(f"valid_sets[{i}] must be a lightgbm.Dataset, got {type(ds).__name__}")

    params = dict(params)
    for key in _aliases("is_unbalance") | _aliases("scale_pos_weight"):
        if key in params:
            raise ValueError(f"params[{key!r}] has no effect with a custom objective: "
                             "weigh the classes with the loss's alpha")
    for key in _aliases("objective"):
        if params.get(key) is not None:
            raise ValueError(
                f"params[{key!r}] must not be set: the focal loss is the objective "
                f"(got {params[key]!r})"
            )
        params.pop(key, None)
    n_classes = _num_class(params)
    for key in _aliases("num_class"):
        params.pop(key, None)
    if n_classes > 1:
        params["num_class"] = n_classes
    params["objective"] = objective(loss)
    if not _aliases("metric") & params.keys():
        params["metric"] = "None"

    user_feval = kwargs.pop("feval", None)
    if user_feval is None:
        user_feval = []
    elif callable(user_feval):
        user_feval = [user_feval]
    feval = [metric(loss), *user_feval]

    intercept = _resolve_intercept(
        init_score, loss, train_set, n_classes, has_init_model=kwargs.get("init_model") is not None
    )
    if intercept is not None and _is_linear(params, train_set):
        raise ValueError(
            "init_score: a non-zero intercept cannot be baked into linear trees "
            "(linear_tree=True); pass init_score=None"
        )

    # Start every dataset at offset + intercept, and put the offsets back afterwards.
    touched: list[tuple[lgb.Dataset, Any]] = []
    try:
        if intercept is not None:
            seen: set[int] = set()
            for name, ds in [("train_set", train_set)] + [
                (f"valid_sets[{i}]", ds) for i, ds in enumerate(valid_sets)
            ]:
                if id(ds) in seen:
                    continue
                seen.add(id(ds))
                original = _current_init_score(ds)
                start = _shifted_init_score(ds, original, intercept, n_classes, name)
                touched.append((ds, original))
                ds.set_init_score(start)
        booster = lgb.train(
            params,
            train_set,
            num_boost_round=num_boost_round,
            valid_sets=valid_sets or None,
            valid_names=list(valid_names) if valid_names is not None else None,
            feval=feval,
            callbacks=list(callbacks) if callbacks is not None else None,
            **kwargs,
        )
    finally:
        for ds, original in touched:
            _restore_init_score(ds, original)

    if intercept is not None:
        _bake_intercept(booster, intercept)
    return booster


def predict_margin(
    booster: lgb.Booster, data: Any, *, num_iteration: int | None = None
) -> np.ndarray:
    """Raw margins of a booster trained by :func:`train`, intercept included.

    Parameters
    ----------
    booster : lightgbm.Booster
    data : array-like, sparse matrix or DataFrame
        Features (not a ``lightgbm.Dataset``).
    num_iteration : int, optional
        Iterations to use; None uses ``booster.best_iteration`` when early
        stopping set it, else all (LightGBM's convention; ``<= 0``: all).

    Returns
    -------
    ndarray of shape (n_samples,) (binary) or (n_samples, n_classes)
    """
    if not isinstance(booster, lgb.Booster):
        raise TypeError(f"booster must be a lightgbm.Booster, got {type(booster).__name__}")
    return np.asarray(booster.predict(data, raw_score=True, num_iteration=num_iteration))


def predict_proba(
    booster: lgb.Booster, data: Any, *, num_iteration: int | None = None
) -> np.ndarray:
    """Sigmoid (binary) or softmax (multiclass) of :func:`predict_margin`.

    This is the model's link applied to the margins. Focal loss is not a proper
    scoring rule, so for ``gamma > 0`` these are scores, not calibrated class
    posteriors.

    Returns
    -------
    ndarray of shape (n_samples,) (positive-class probability, binary) or
    (n_samples, n_classes)
    """
    margin = predict_margin(booster, data, num_iteration=num_iteration)
    if margin.ndim == 1:
        return expit(margin)
    return softmax(margin, axis=1)


# --------------------------------------------------------------------- helpers
def _num_class(params: dict[str, Any]) -> int:
    """``num_class`` from params (1, binary, when absent)."""
    values = {key: params[key] for key in _aliases("num_class") if params.get(key) is not None}
    if not values:
        return 1
    ks = set()
    for key, value in values.items():
        if (
            isinstance(value, bool)
            or not isinstance(value, numbers.Integral)
            or value < 1
        ):
            raise ValueError(f"params[{key!r}] must be an integer >= 1, got {value!r}")
        ks.add(int(value))
    if len(ks) > 1:
        raise ValueError(f"params set different numbers of classes: {values}")
    return ks.pop()


def _is_constructed(ds: lgb.Dataset) -> bool:
    try:
        ds.num_data()
    except LightGBMError:
        return False
    return True


def _labels_and_weights(ds: lgb.Dataset, name: str):
    if _is_constructed(ds):
        return ds.get_label(), ds.get_weight()
    if ds.label is None:
        raise ValueError(
            f"{name} holds no labels in memory: call {name}.construct() first, "
            "or pass init_score=None or a value"
        )
    return ds.label, ds.weight


def _num_rows(ds: lgb.Dataset, name: str) -> int:
    if _is_constructed(ds):
        return ds.num_data()
    return int(np.size(_labels_and_weights(ds, name)[0]))


def _current_init_score(ds: lgb.Dataset):
    if ds.init_score is not None or not _is_constructed(ds):
        return ds.init_score
    return ds.get_field("init_score")


def _restore_init_score(ds: lgb.Dataset, original) -> None:
    if original is not None:
        ds.set_init_score(original)
        return
    ds.init_score = None
    if _is_constructed(ds):
        ds.set_field("init_score", None)  # set_init_score(None) leaves the C++ field as is


def _resolve_intercept(init_score, loss, train_set, n_classes, *, has_init_model):
    """Intercept per tree of an iteration: shape (1,) binary, (k,) multiclass; None: none."""
    k = n_classes
    if isinstance(init_score, str):
        if init_score != "auto":
            raise ValueError(
                f"init_score must be 'auto', a number, an array or None, got {init_score!r}"
            )
        if has_init_model or _current_init_score(train_set) is not None:
            return None
        labels, weights = _labels_and_weights(train_set, "train_set")
        labels = np.asarray(labels)
        n_label_classes = int(np.max(labels)) + 1 if labels.size else 0
        if n_label_classes > max(k, 2):
            raise ValueError(
                f"train_set has labels up to {n_label_classes - 1} but params['num_class'] "
                f"is {k}: set num_class to the number of classes"
            )
        c = loss.init_score(labels, weights, n_classes=max(k, 2))
        if k == 2:  # 2-column softmax: split the binary log-odds across the columns
            c = np.array([-0.5 * c, 0.5 * c])
        c = np.atleast_1d(np.asarray(c, dtype=np.float64))
    elif init_score is None:
        return None
    else:
        if has_init_model:
            raise ValueError(
                "init_score must be 'auto' or None with init_model: the initial model "
                "already contains its intercept"
            )
        if isinstance(init_score, bool):
            raise TypeError("init_score must be 'auto', a number, an array or None, got bool")
        try:
            c = np.asarray(init_score, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(
                "init_score must be 'auto', a number, an array or None, "
                f"got {type(init_score).__name__}"
            ) from None
        c = c.reshape(-1) if k == 1 and c.size == 1 else c
        if c.shape != (k,):
            want = "a float" if k == 1 else f"an array of shape ({k},)"
            raise ValueError(f"init_score must be {want} for num_class={k}, got shape {c.shape}")
        if not np.isfinite(c).all():
            raise ValueError("init_score must be finite")
    return None if not c.any() else c


def _shifted_init_score(ds, original, intercept, n_classes, name) -> np.ndarray:
    """The Dataset's own init_score (zeros when absent) plus the intercept."""
    n = _num_rows(ds, name)
    k = n_classes
    if original is None:
        base = np.zeros((n, k) if k > 1 else n)
    else:
        base = np.asarray(original, dtype=np.float64)
        if k > 1 and base.ndim == 1 and base.size == n * k:
            base = base.reshape(k, n).T  # LightGBM's flat layout is class-major
        elif k == 1 and base.ndim == 2 and base.shape[1] == 1:
            base = base[:, 0]
        if base.shape != ((n, k) if k > 1 else (n,)):
            raise ValueError(
                f"{name} has an init_score of shape {base.shape}, which does not fit "
                f"{n} rows and num_class={k}"
            )
    return base + (intercept if k > 1 else intercept[0])


def _is_linear(params: dict[str, Any], ds: lgb.Dataset) -> bool:
    sources = [params, ds.params or {}]
    return any(bool(src.get(key)) for src in sources for key in _aliases("linear_tree"))


def _bake_intercept(booster: lgb.Booster, intercept: np.ndarray) -> None:
    """Add ``intercept[j]`` to every leaf of tree ``j`` (iteration 0, class ``j``).

    LightGBM always keeps the first iteration's trees (as constant trees if
    they could not split), so tree ``j`` exists for every class.
    """
    trees = booster.dump_model(num_iteration=1)["tree_info"]
    if len(trees) != len(intercept):
        raise RuntimeError(
            f"expected {len(intercept)} trees in the first iteration, found {len(trees)}"
        )
    for j, c in enumerate(intercept):
        if c == 0.0:
            continue
        for leaf in range(trees[j]["num_leaves"]):
            booster.set_leaf_output(j, leaf, booster.get_leaf_output(j, leaf) + float(c))
