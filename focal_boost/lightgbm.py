"""LightGBM adapter: focal loss through LightGBM's native API.

Calling conventions only; the mathematics lives in :mod:`focal_boost._loss`.
``import focal_boost`` does not import this module (nor LightGBM).

- :func:`objective` wraps a loss as ``params["objective"]`` for ``lgb.train``.
- :func:`metric` wraps it as a ``feval`` callable.
- :func:`train` calls ``lgb.train`` with both, plus the optimal constant start
  (intercept), which it bakes into the returned model.
- :func:`predict_margin` (raw margins, also what ``Booster.predict`` returns),
  :func:`predict_proba` (the class posterior recovered from them, given the loss)
  and :func:`inverse_link` (their plain sigmoid / softmax) predict from such a model.

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
>>> proba = predict_proba(booster, X_test, loss)  # doctest: +SKIP
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import functools
import inspect
import numbers
import os
import re
import threading
import warnings
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import scipy.sparse
from scipy.special import logsumexp

from focal_boost._conventions import (
    caller_level,
    check_booster,
    declared_loss,
    warn_continued_loss,
    warn_given_loss,
)
from focal_boost._intercept import intercept
from focal_boost._loss import FocalLoss, LibraryGradients
from focal_boost._loss import check_loss as _check_loss
from focal_boost._validation import (
    as_number,
    category_codes,
    check_model_margins,
    check_num_class,
    check_start_margins,
    first_rows,
    is_number,
    one_class,
    same_value,
    thread_bound,
)
from focal_boost._validation import check_n_threads as _v_threads
from focal_boost.metrics import METRIC_NAME, focal_metric, refuse_focal_metric_name

try:
    import lightgbm as lgb
    from lightgbm.basic import LightGBMError, _ConfigAliases
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "focal_boost.lightgbm needs LightGBM >= 4.7: pip install 'focal-boost[lightgbm]'"
    ) from exc

__all__ = ["objective", "metric", "train", "predict_margin", "predict_proba", "inverse_link",
           "model_to_string", "save_model", "stored_loss"]


def aliases(name: str) -> set[str]:
    """Every spelling LightGBM accepts for the parameter ``name`` (main name or alias).

    LightGBM's own table, as its scikit-learn wrapper uses it.
    """
    return _ConfigAliases.get_by_alias(name)


@functools.cache
def _main_names() -> dict[str, str]:
    """The main name of every LightGBM parameter, by each of its spellings."""
    return {alias: main for main, spellings in _ConfigAliases._get_all_param_aliases().items()
            for alias in (main, *spellings)}


def main_name(name: str) -> str:
    """LightGBM's main name of the parameter ``name`` (``name`` itself if unknown)."""
    return _main_names().get(name, name)


def constructor_name(name: str) -> str | None:
    """The name LightGBM's scikit-learn constructor gives the parameter ``name`` (a main
    name or an alias: ``reg_lambda`` for ``lambda_l2`` or ``l2_regularization``,
    ``num_leaves`` for ``max_leaves``); None where it has none. Its value, a default too,
    wins over an alias given beside it that is not the main name and is longer."""
    main = _main_names().get(name)
    return None if main is None else _by_main_name().get(main)


@functools.cache
def _by_main_name() -> dict[str, str]:
    """The constructor's parameters by their main name."""
    return {main_name(name): name for name in _estimator_param_names()
            if name in _main_names()}


@functools.cache
def _estimator_param_names() -> frozenset[str]:
    """The constructor parameters of LightGBM's scikit-learn models that name a
    booster parameter, but the number of rounds (passed on its own)."""
    names = inspect.signature(lgb.LGBMModel.__init__).parameters
    return frozenset(names) - {"self", "kwargs", "n_estimators"}


def is_parameter(name: str) -> bool:
    """True when ``name`` is a LightGBM parameter or one of its aliases."""
    return name in _main_names()


# LightGBM parameters whose main name is also an argument of lgb.Dataset
_DATASET_ARGUMENTS = frozenset({"categorical_feature"})


def resolve_aliases(params: Mapping[str, Any], *, quiet: Sequence[str] = (),
                    stacklevel: int = 2) -> dict[str, Any]:
    """``params`` with one entry per LightGBM parameter, under its main name
    (``categorical_feature``: under the spelling that wins, see below).

    Where a parameter is given under several spellings, the value LightGBM itself
    takes wins, as in ``lgb.train`` and ``LGBMClassifier``: the main name, else the
    shortest alias, else the alphabetically first (LightGBM's ``KeyAliasTransform``),
    of those not None (a None value is no value: both hand LightGBM none, so
    ``max_leaves=4`` beside ``num_leaves=None`` grows 4 leaves). The others are dropped
    with a warning (LightGBM's own says so only when ``verbose >= 0``), except those in
    ``quiet`` (defaults the caller filled in) and None ones. Names LightGBM does not know
    are kept as they are.
    """
    spellings: dict[str, list[str]] = {}
    for key in params:
        spellings.setdefault(main_name(key), []).append(key)
    resolved = {}
    for main, keys in spellings.items():
        winner = _taken_spelling(main, params, keys)
        # lgb.Dataset warns that a parameter named as one of its own arguments "will be
        # ignored" (LightGBM reads it all the same): an alias keeps its spelling, as in
        # lgb.train, which gives no such warning for it
        resolved[winner if main in _DATASET_ARGUMENTS else main] = params[winner]
        lost = [f"{k}={params[k]!r}" for k in keys if k != winner and k not in quiet
                and params[k] is not None  # (equal, or None: nothing is lost)
                and not same_value(params[k], params[winner])]
        if lost:
            warnings.warn(
                f"{', '.join(lost)} ignored: LightGBM takes {winner}={params[winner]!r} "
                f"for its parameter {main!r} (the main name wins over an alias, then the "
                f"shortest alias); set {main} alone",
                UserWarning,
                stacklevel=stacklevel + 1,
            )
    return resolved


def winning_spelling(main: str, keys: Sequence[str]) -> str:
    """Of the spellings ``keys`` given for LightGBM's parameter ``main``, the one
    LightGBM takes: the main name, else the shortest alias, else the alphabetically
    first (its ``KeyAliasTransform``; not the order given, nor a set's order)."""
    return main if main in keys else min(keys, key=lambda k: (len(k), k))


def _taken_spelling(main: str, params: Mapping[str, Any], keys: Sequence[str]) -> str:
    """Of the spellings ``keys`` of ``params`` for LightGBM's parameter ``main``, the one
    whose value LightGBM takes: :func:`winning_spelling` among those not None (a None
    value is no value: lgb.train and LGBMClassifier hand LightGBM none); all None: among
    them all."""
    return winning_spelling(main, [k for k in keys if params[k] is not None] or keys)


class _Objective:
    """``f(preds, train_data) -> (grad, hess)`` for ``params["objective"]``.

    ``reuse_outputs`` and ``n_threads``: as :class:`~focal_boost._loss.LibraryGradients`
    (training runs of this module reuse the arrays, which LightGBM has used by then, and
    pass its ``num_threads``).
    """

    def __init__(self, loss, *, reuse_outputs: bool = False,
                 n_threads: int | None = None) -> None:
        self.loss = loss
        # float32, as LightGBM keeps them (it would copy float64 gradients every round),
        # and LightGBM's multiclass Hessian scale k / (k - 1), so that learning_rate
        # means what it means there (gamma 0 is that model)
        self.gradients = LibraryGradients(loss, "lightgbm", reuse_outputs=reuse_outputs,
                                          n_threads=n_threads)

    def __repr__(self) -> str:
        return f"focal_boost.lightgbm.objective({self.loss!r})"

    def __call__(self, preds: np.ndarray, train_data: lgb.Dataset):
        if not hasattr(train_data, "get_label"):
            raise TypeError(
                "focal_boost.lightgbm.objective(loss) is lgb.train's objective, "
                "f(preds, train_data); LGBMClassifier calls f(y_true, y_pred): pass the loss "
                "itself there, LGBMClassifier(objective=loss), or use FocalLGBMClassifier")
        # preds is LightGBM's reusable score buffer ((n, k) Fortran view in multiclass):
        # the loss only reads it. The (n, k) result is flattened class-major by LightGBM
        # (ravel(order="F")), which is the layout its C API expects.
        return self.gradients(train_data.get_label(), preds, train_data.get_weight())


class _WrapperObjective(_Objective):
    """``f(y_true, y_pred, weight)`` for LightGBM's scikit-learn and Dask estimators."""

    def __call__(self, y_true, y_pred, weight):
        return self.gradients(y_true, y_pred, weight)


class _FrozenObjective(_Objective):
    """The gradients at the first margins seen (the start), returned every round.

    Random-forest mode: each tree is one Newton step from the starting margins.
    """

    def __init__(self, loss) -> None:
        super().__init__(loss)
        self._grad_hess = None

    def __call__(self, preds: np.ndarray, train_data: lgb.Dataset):
        if self._grad_hess is None:
            self._grad_hess = super().__call__(preds, train_data)
        return self._grad_hess


class _Metric:
    """``f(preds, eval_data) -> ("focal_loss", value, False)`` for ``feval``; also
    ``f(y_true, preds, weight)``, the form ``LGBMClassifier(eval_metric=...)`` calls (it
    counts three parameters)."""

    def __init__(self, loss, *, n_threads: int | None = None) -> None:
        self.loss = loss
        self.n_threads = n_threads  # training runs: LightGBM's num_threads

    @property
    def __name__(self) -> str:  # the name it records, as the XGBoost adapter's metric
        return METRIC_NAME

    def __repr__(self) -> str:
        return f"focal_boost.lightgbm.metric({self.loss!r})"

    # (types wide enough for both forms, as LightGBM's hints declare them: its
    # scikit-learn form's labels are Optional)
    def __call__(self, preds: np.ndarray | None, eval_data: lgb.Dataset | np.ndarray,
                 weight: np.ndarray | None = None) -> tuple[str, float, bool]:
        if hasattr(eval_data, "get_label"):  # a Dataset (or the constant model's labels)
            y, weight = eval_data.get_label(), eval_data.get_weight()
        else:  # LGBMClassifier: (y_true, preds, weight)
            y, preds = preds, eval_data
        return METRIC_NAME, focal_metric(self.loss, y, preds, weight,
                                         n_threads=self.n_threads), False


def objective(loss) -> Callable[[np.ndarray, lgb.Dataset], tuple[np.ndarray, np.ndarray]]:
    """LightGBM custom objective for ``lgb.train(params={"objective": ...})``.

    The returned callable ``f(preds, train_data) -> (grad, hess)`` evaluates the
    loss derivatives at the raw scores ``preds`` (``(n,)`` binary, ``(n, k)``
    multiclass with ``params["num_class"] = k``), with the labels and the row
    weights of ``train_data`` (``grad_i`` and ``hess_i`` are multiplied by
    ``w_i``; LightGBM does not apply weights to a custom objective itself).
    ``preds`` is never modified. For multiclass the Hessian is multiplied by
    ``k / (k - 1)``, as LightGBM's ``multiclass`` objective does, so that
    ``learning_rate`` means what it means there and :func:`ce_loss` reproduces that
    model; the loss object itself returns the exact diagonal.

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


def metric(loss) -> _Metric:
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
        Picklable; ``f.loss`` is ``loss``. Also ``LGBMClassifier(objective=loss)``'s
        ``fit(eval_metric=f)`` form, ``f(y_true, preds, weight)`` (a callable objective
        hands metrics raw scores); give it ``metric="None"`` too, or its own log-loss,
        computed on those raw scores, is recorded and watched by early stopping.

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
    warn_other_loss: bool = True,
    **kwargs: Any,
) -> lgb.Booster:
    """Train a LightGBM booster on the focal loss, starting from its optimal constant.

    A thin wrapper over ``lgb.train``. On a copy of ``params`` it sets
    ``objective`` to :func:`objective` of ``loss``, ``metric`` to ``"None"``
    (unless ``params`` names a metric) and ``num_class`` (binary when
    ``params`` has no ``num_class``/``num_classes`` or it is 1). The metric
    :func:`metric` (``"focal_loss"``) is always evaluated on ``valid_sets``,
    before any ``feval`` passed in ``kwargs``; a ``feval`` list that holds
    :func:`metric` (of ``loss`` or of another focal loss) has that one evaluated in its
    place instead, once: one ``"focal_loss"``, as LightGBM records and early-stops on
    metrics by name (the metric first in the log is the one
    ``lgb.early_stopping(first_metric_only=True)`` follows).

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
        (the loss is the objective), nor, other than at their defaults, what only
        LightGBM's own objectives apply: ``is_unbalance``, ``scale_pos_weight``,
        ``alpha`` (its Huber and quantile losses'; the focal alpha is ``loss``'s),
        ``sigmoid``, balanced bagging. Use ``num_class = k`` for ``k >= 3``
        classes (labels ``0 .. k-1``). ``num_class = 2`` trains a 2-column
        softmax; leave it out for the usual one-column binary model.
        A parameter given under several spellings takes the value LightGBM
        takes (:func:`resolve_aliases`), with a warning naming the others.
    train_set : lightgbm.Dataset
        Training data with labels (and optional weights). For ``"auto"``, a Dataset
        whose labels are not in memory (a subset, a file) is built first, with the
        run's parameters, as ``lgb.train`` builds it. A NaN label is refused with its
        rows (LightGBM would train it as class 0).
    loss : FocalLoss
        From :func:`focal_boost.focal_loss` or :func:`focal_boost.ce_loss`.
    num_boost_round : int, default=100
        Number of boosting iterations (``>= 1``); ``num_iterations`` (or an alias)
        in ``params`` wins, as in ``lgb.train``.
    valid_sets, valid_names : optional
        As in ``lgb.train``; evaluated with the ``"focal_loss"`` metric.
    init_score : "auto", float, array-like of shape (n_classes,) or None, default="auto"
        The intercept. ``"auto"``: ``loss.init_score(labels, weights)``, the
        constant minimising the weighted mean training loss, except that no
        intercept is used when ``train_set`` already has an ``init_score``
        (as LightGBM's ``boost_from_average`` does) or ``init_model`` is given
        (the initial model carries its own). A float (binary) or length-``k``
        array (multiclass) is used as given, on top of any Dataset
        ``init_score``. None: start from 0 like plain LightGBM;
        ``boost_from_average=False`` in ``params`` turns ``"auto"`` into None.
    callbacks : list of callable, optional
        As in ``lgb.train``, e.g. ``[lgb.early_stopping(10)]``.
    warn_other_loss : bool, default=True
        Warn when ``init_model`` was trained on another loss (a log-loss model, or a
        focal model of another gamma or alpha: a fitted estimator's ``loss_``, a
        booster's :func:`stored_loss`): its trees'
        margins are kept, but :func:`predict_proba`'s posterior correction assumes
        every tree was trained on ``loss``.
    **kwargs
        Passed to ``lgb.train``: ``feval`` (extra metrics), ``init_model``
        (continued training, from a Booster, a model file or a fitted estimator: the
        model keeps its intercept, and ``N`` rounds then ``M`` more equal one run of
        ``N + M``), ``keep_training_booster`` (a booster
        kept for training has the intercept in its leaves only: LightGBM's API cannot
        set the internal values of a live booster, so the first trees' split nodes show
        it without, in ``dump_model`` and ``trees_to_dataframe``).

    Returns
    -------
    lightgbm.Booster
        Its raw scores include the intercept; see :func:`predict_margin` and
        :func:`predict_proba`.

    Raises
    ------
    ValueError
        If ``params`` sets an objective, the labels do not fit ``num_class``, or
        ``init_score`` is malformed.

    Notes
    -----
    Built-in metrics named in ``params["metric"]`` are computed by LightGBM on
    raw scores under a custom objective: only the ranking metrics ``"auc"``,
    ``"average_precision"`` and ``"auc_mu"`` are right there, and the others are
    refused.

    Examples
    --------
    >>> import lightgbm as lgb
    >>> from focal_boost import focal_loss
    >>> from focal_boost.lightgbm import predict_proba, train
    >>> dtrain = lgb.Dataset(X, y)  # doctest: +SKIP
    >>> dvalid = lgb.Dataset(X_val, y_val, reference=dtrain)  # doctest: +SKIP
    >>> loss = focal_loss(gamma=2.0, alpha=0.25)
    >>> booster = train({"learning_rate": 0.05, "verbose": -1}, dtrain, loss,  # doctest: +SKIP
    ...                 1000, valid_sets=[dvalid],
    ...                 callbacks=[lgb.early_stopping(50)])
    >>> booster.best_score["valid_0"]["focal_loss"]  # doctest: +SKIP
    >>> proba = predict_proba(booster, X_test, loss)  # doctest: +SKIP
    """
    if not isinstance(params, Mapping):
        raise TypeError(f"params must be a mapping (dict), got {type(params).__name__}")
    if not isinstance(train_set, lgb.Dataset):
        raise TypeError(f"train_set must be a lightgbm.Dataset, got {type(train_set).__name__}")
    if isinstance(valid_sets, lgb.Dataset):
        valid_sets = [valid_sets]
    valid_sets = list(valid_sets) if valid_sets is not None else []
    if isinstance(valid_names, str):  # one set's name, as lgb.train takes it
        valid_names = [valid_names]
    for i, ds in enumerate(valid_sets):
        if not isinstance(ds, lgb.Dataset):
            raise TypeError(f"valid_sets[{i}] must be a lightgbm.Dataset, got {type(ds).__name__}")
    with _DatasetsHeld([train_set, *valid_sets]) as held:  # (see _OWN_INIT_SCORE)
        names = _valid_names(train_set, valid_sets, valid_names)
        # labels to train on and to score: LightGBM takes a Dataset without them as all
        # class 0 (the focal loss would learn nothing, or score nonsense every round)
        for ds, name in [(train_set, "train_set"),
                         *((ds, f"valid_sets[{i}] ({names[i]!r})")
                           for i, ds in enumerate(valid_sets) if ds is not train_set)]:
            if name != "train_set":
                _check_rows(ds, name)
            if (ds.label is None and not _is_constructed(ds)
                    and not isinstance(ds.data, str | os.PathLike)  # (a file holds them,
                    and getattr(ds, "used_indices", None) is None):  # a subset its parent)
                raise ValueError(f"{name} has no labels: build it with lgb.Dataset(X, label=y) "
                                 "(the class index of each row)")
            _check_labels(ds.label, name)
            _check_weights(ds, name)
            _check_init_score(ds, name)
        user_feval = kwargs.pop("feval", None)
        if kwargs.get("init_model") is not None:  # a model file read once, not at every step
            kwargs["init_model"] = read_model(kwargs["init_model"])
        run = prepare(params, loss, num_boost_round, train_set=train_set, init_score=init_score,
                      init_model=kwargs.get("init_model"), validated=bool(valid_sets),
                      feval=user_feval, warn_other_loss=warn_other_loss)
        for i, ds in enumerate(valid_sets):  # labels checked as train_set's, by name
            if ds is not train_set and ds.label is not None and (
                    np.ndim(ds.label) == 1 or np.shape(ds.label)[1:] == (1,)):  # (a column too)
                check_num_class(np.asarray(ds.label, dtype=np.float64).ravel(), run.n_classes,
                                f"valid_sets[{i}] ({names[i]!r})")
        if kwargs.get("init_model") is not None:  # a fitted estimator's, as LGBMClassifier.fit
            kwargs["init_model"] = to_booster(kwargs["init_model"])
        if (kwargs.get("keep_training_booster") and run.intercept is not None
                and _is_linear(run.params, train_set)):
            raise ValueError(
                "keep_training_booster=True with linear_tree: the intercept reaches linear "
                "leaves only through the model text, and a booster rebuilt from it trains no "
                "more; pass init_score=None (start at 0), or continue with init_model= instead")
        keep = bool(kwargs.pop("keep_training_booster", False))
        # lgb.train's own last step (rebuild a booster that does not keep training from its
        # text) is finish()'s, which puts the intercept into that text
        booster = _train_from_intercept(run, held, train_set, valid_sets, run.num_boost_round,
                                        set_names=names,
                                        valid_names=valid_names, callbacks=callbacks,
                                        keep_training_booster=True, **kwargs)
        if booster is None:
            booster = constant_model(run, train_set, init_model=kwargs.get("init_model"),
                                     keep_training_booster=keep)
            booster.best_iteration = 0  # no early stopping, as lgb.train leaves it
            evaluate_constant(booster, run, train_set, valid_sets, names, callbacks,
                              run.num_boost_round)
            return booster
        return finish(booster, run, train_set, keep_training_booster=keep)


def _valid_names(train_set, valid_sets, valid_names) -> list[str]:
    """The name of each validation set in the evaluation log, as ``lgb.train`` gives them."""
    names = list(valid_names or [])
    return [str(names[i]) if i < len(names) else "training" if ds is train_set
            else f"valid_{i}" for i, ds in enumerate(valid_sets)]


def _check_rows(ds: lgb.Dataset, name: str) -> None:
    if _is_constructed(ds):
        check_valid_rows(ds.num_data(), name)
    elif ds.label is not None:
        check_valid_rows(np.shape(ds.label)[0] if np.ndim(ds.label) else 1, name)
    elif hasattr(ds.data, "shape"):
        check_valid_rows(ds.data.shape[0], name)
    # else a file, or rows not in memory: LightGBM checks them


def warn_negative_categories(X, categorical_feature, names) -> None:
    """Warn where a numeric column named in ``categorical_feature`` (indices or
    ``names``) holds negative values or codes past int32, which LightGBM reads as missing
    values: its own warning ("Met negative value in categorical features") comes from
    its threads, printed or not from run to run, whatever the verbosity."""
    if categorical_feature is None or isinstance(categorical_feature, str):
        return  # "auto": a DataFrame's category columns, whose codes are >= 0
    names = list(names) if not isinstance(names, str) else (
        [str(c) for c in X.columns] if hasattr(X, "columns") else [])
    for feature in categorical_feature:
        index = int(feature) if isinstance(feature, numbers.Integral) else (
            names.index(feature) if feature in names else None)
        if index is None or not 0 <= index < X.shape[1]:
            continue  # LightGBM says what is wrong with it
        column = X.iloc[:, index] if hasattr(X, "iloc") else X[:, index]
        try:  # a category column (pandas' dtype, which numpy cannot read): its codes
            values = np.asarray(column.toarray() if hasattr(column, "toarray") else column,
                                dtype=np.float64).ravel()
        except (TypeError, ValueError):
            continue
        if str(getattr(column, "dtype", "")) == "category":
            continue
        bad = (values < 0) | (values >= 2.0**31 - 1)
        if bad.any():
            name = names[index] if index < len(names) else index
            warnings.warn(
                f"categorical feature {name!r} holds {int(bad.sum())} value(s) that are "
                f"negative or past int32 (e.g. {values[bad][0]:g}), which LightGBM reads as "
                "missing values; code the categories as integers from 0",
                UserWarning, stacklevel=caller_level())


def check_valid_rows(n_rows: int, name: str) -> None:
    """Refuse a validation set without rows: LightGBM stops with ``Check failed:
    (num_data) > (0)`` when it builds one (XGBoost evaluates an empty set)."""
    if n_rows == 0:
        raise ValueError(f"{name} has no rows: LightGBM cannot evaluate an empty "
                         "Dataset; leave it out")


class _DartFirstRound:
    """Makes DART's first round with a custom objective the same in every fit.

    LightGBM's DART decides whether to drop trees when the training scores are first
    read in a round, behind a flag its constructor leaves uninitialised (``dart.hpp``:
    ``is_update_score_cur_iter_``). A built-in objective clears it before reading the
    scores; a custom objective reads them first, so whether the first round draws from
    the drop generator depends on what the memory held: the same fit gave different
    models within one process. Before that first read this callback reads the
    scores once (the flag is then set) and resets the parameters, which re-seeds the
    drop generator: every fit then starts from the same state. The state is the one
    the built-in objective's first round leaves, which draws once (whether to skip the
    drop) with no trees to drop: ``drop_seed`` (the Booster's own, which LightGBM
    derives from ``seed`` unless given) advanced one step of LightGBM's generator, so
    that from a start of 0 the trees are the built-in DART's. The model's parameters
    then show that state as its ``drop_seed``.
    """

    order = 0
    before_iteration = True

    def __call__(self, env) -> None:
        if env.iteration == env.begin_iteration:
            env.model.eval_train(feval=_no_metric)  # reads the training scores
            # no trees, only the parameters (the rounds of a continued model are skipped)
            text = env.model.model_to_string(num_iteration=1, start_iteration=env.iteration)
            seed = int(re.search(r"^\[drop_seed: (-?\d+)\]$", text, flags=re.M).group(1))
            # LightGBM's Random (utils/random.h): x <- 214013 x + 2531011 modulo 2**32,
            # seeded with the int drop_seed as unsigned; given back as an int32
            state = (214013 * (seed % 2**32) + 2531011) % 2**32
            env.model.reset_parameter({"drop_seed": state - 2**32 if state >= 2**31 else state})


def _no_metric(preds, data) -> tuple[str, float, bool]:
    return "none", 0.0, False


def _train_from_intercept(run, held: _DatasetsHeld, train_set, valid_sets, num_boost_round,
                          set_names: Sequence[str] | None = None, **kwargs):
    """``lgb.train`` with every Dataset starting at its own offset plus the intercept
    (``set_names``: the validation sets' names, for messages).

    The Datasets' own ``init_score`` is put back once LightGBM has built the Booster
    (``held``: the run's hold on them). None when LightGBM's
    custom-objective path cannot grow even a constant tree because feature
    pre-filtering left no usable feature (few rows, constant or all-NaN columns);
    its built-in objectives return a constant model there (:func:`constant_model`).
    That is checked before LightGBM trains (:func:`cannot_split`), so that it does not
    print its ``[Fatal] Check failed`` whatever the verbosity: on the Dataset, built as
    ``lgb.train`` would build it, or, when training continues ``init_model`` (which
    ``lgb.train`` has to build it with), on the training data's columns.
    """
    try:
        # (before the shift, which builds the training set for a validation subset,
        # after which its rows are gone; a built Dataset that kept them is checked too)
        check_linear_values(run.params, train_set)
        if run.intercept is not None:
            held.shift(run, train_set, valid_sets, set_names)
        elif kwargs.get("init_model") is None:  # (a continued model's: lgb.train sets
            # their start from it as it builds them)
            held.build_valid(run, train_set, valid_sets, set_names)
        valid_names = kwargs.pop("valid_names", None)
        callbacks = [_Restore(held), *(run.callbacks(kwargs.pop("callbacks", None)) or [])]
        if kwargs.get("init_model") is None and not _is_constructed(train_set):
            # Construct it as lgb.train would (same parameters); a continued model sets
            # the Dataset's start as lgb.train builds it, so its columns are read instead.
            _construct_train(train_set, run.params)
        elif not _is_constructed(train_set):
            # a DataFrame's categories coded as the continued model codes them (as
            # XGBClassifier.fit re-codes them; lgb.train codes them anew, and the old
            # trees then read the new codes too: 0.36 off one run in one case)
            categories = kwargs["init_model"].pandas_categorical  # (train made it a Booster)
            dtypes = getattr(train_set.data, "dtypes", ())
            if (categories and train_set.pandas_categorical is None
                    and sum(str(dtype) == "category" for dtype in dtypes) == len(categories)):
                train_set.pandas_categorical = categories
        # weights LightGBM read itself (a subset, a file's .weight, a binary file), as it
        # holds them (a NaN already 0): unseen when train() checked the weights given
        names = _valid_names(train_set, valid_sets, valid_names)
        for name, ds in [("train_set", train_set),
                         *((f"valid_sets[{i}] ({names[i]!r})", ds)
                           for i, ds in enumerate(valid_sets))]:
            if _is_constructed(ds):
                _check_weights(ds, name)
        if cannot_split(run.params, train_set):
            return None
        if _is_constructed(train_set):  # (a continued model's: lgb.train builds it)
            check_bagged_rows(run.params, train_set.num_data())
        # LightGBM refuses forced bins given again to a built Dataset, whatever their
        # value (lgb.train builds its Dataset after reading them): ours has them. And
        # a Dataset's own categorical columns overrode the parameter's when ours built
        # it (LightGBM warned then, as in lgb.train); given again, they would be refused.
        built = train_set.params or {}
        own_categories = train_set in _BUILT_HERE and "categorical_column" in built
        params = {key: value for key, value in run.params.items()
                  if not (key in aliases("forcedbins_filename") and built.get(key) == value)
                  and not (own_categories and key in aliases("categorical_feature"))}
        try:
            return lgb.train(
                params,
                train_set,
                num_boost_round=num_boost_round,
                valid_sets=valid_sets or None,
                valid_names=list(valid_names) if valid_names is not None else None,
                feval=run.feval,
                callbacks=callbacks,
                **kwargs,
            )
        except LightGBMError as exc:
            if _no_usable_feature(train_set):
                return None
            refused = split_search_error(exc, run.params)
            if refused is None:
                raise
            raise refused from exc
    finally:
        held.restore()  # (already, where training began)


# A run starts LightGBM at each Dataset's own init_score plus the intercept by setting
# that on the Dataset until LightGBM has built the Booster (which copies it: the margins
# its rounds start from), then puts its own back. Two runs on one Dataset (the threads
# of a search sharing it) each start from the Dataset's own: the runs of other threads
# wait for this one to end (_DatasetsHeld: lgb.train builds a shared validation set
# again for another training set, under a running Booster), and a run inside a training
# one of its thread before the Dataset is put back (a callback ordered before
# _Restore's) reads the init_score that one found (one shifted twice started from two
# intercepts: 0.5 off in probability)
_DATASET_LOCKS: weakref.WeakKeyDictionary[lgb.Dataset, threading.RLock] = (
    weakref.WeakKeyDictionary())
_DATASET_LOCKS_GUARD = threading.Lock()
_OWN_INIT_SCORE: dict[int, Any] = {}  # id of a Dataset a run has shifted: its own init_score


class _DatasetsHeld:
    """The Datasets of a run, held by it until it ends: another thread's run on any of
    them waits (a run of this thread goes on). :meth:`shift` starts them at their own
    ``init_score`` plus the intercept; :meth:`restore` puts theirs back (once LightGBM
    has built the Booster: :class:`_Restore`)."""

    def __init__(self, datasets: Iterable[lgb.Dataset]) -> None:
        # and the Datasets a subset is built from (it copies their init_score then)
        chains = []
        for ds in datasets:
            while ds is not None:
                chains.append(ds)
                ds = ds.reference if getattr(ds, "used_indices", None) is not None else None
        unique = list({id(ds): ds for ds in chains}.values())
        with _DATASET_LOCKS_GUARD:
            # in one order, so that runs sharing Datasets in other roles do not deadlock
            self._locks = [_DATASET_LOCKS.setdefault(ds, threading.RLock())
                           for ds in sorted(unique, key=id)]
        self._held: list[threading.RLock] = []
        self._touched: list[tuple[lgb.Dataset, Any, bool, int]] = []

    def __enter__(self) -> _DatasetsHeld:
        try:
            for lock in self._locks:
                lock.acquire()
                self._held.append(lock)
        except BaseException:  # (a Ctrl-C while waiting: __exit__ is not called)
            self.release()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.release()

    @staticmethod
    def build_valid(run, train_set: lgb.Dataset, valid_sets: Sequence[lgb.Dataset],
                    valid_names: Sequence[str] | None = None) -> None:
        """Build the validation sets whose rows are not in memory (a subset, a file),
        as ``lgb.train`` would, and check their labels, read now, by name as those
        given in memory are (the loss would name its own argument, y_true)."""
        for i, ds in enumerate(valid_sets):
            if ds is not train_set and ds.label is None and not _is_constructed(ds):
                _construct_valid(ds, train_set, run)
                name = (f"valid_sets[{i}]" if valid_names is None
                        else f"valid_sets[{i}] ({valid_names[i]!r})")
                _check_labels(ds.get_label(), name)
                check_num_class(ds.get_label(), run.n_classes, name)

    def shift(self, run, train_set: lgb.Dataset, valid_sets: Sequence[lgb.Dataset],
              valid_names: Sequence[str] | None = None) -> None:
        # validation sets whose rows are not in memory are built first: a subset of
        # train_set takes its start from train_set as it is now
        self.build_valid(run, train_set, valid_sets, valid_names)
        seen: set[int] = set()
        for name, ds in [("train_set", train_set)] + [
            (f"valid_sets[{i}]", ds) for i, ds in enumerate(valid_sets)
        ]:
            if id(ds) in seen:
                continue
            seen.add(id(ds))
            current, own = _current_init_score(ds), _own_init_score(ds)
            start = _shifted_init_score(ds, own, run.intercept, run.n_classes, name)
            first = id(ds) not in _OWN_INIT_SCORE  # (else a run this one runs inside)
            self._touched.append((ds, current, first, ds.version))
            if first:
                _OWN_INIT_SCORE[id(ds)] = current
            ds.set_init_score(start)
            # LightGBM holds the start margins (in C++, and once the Dataset is built
            # a copy it reads back): none of ours lives through training
            del start

    def restore(self) -> None:
        while self._touched:
            ds, current, first, version = self._touched.pop()
            _restore_init_score(ds, current)
            # the Dataset as it was, its version too: a Booster training on it (the run
            # this one runs inside, from a callback) counts a new version as a new
            # Dataset and drops its buffer of training scores at its next update, then
            # hands the objective that buffer unfilled where it was read already that
            # round (the training set among valid_sets): uninitialised margins
            ds.version = version
            if first:
                del _OWN_INIT_SCORE[id(ds)]

    def release(self) -> None:
        try:
            self.restore()
        finally:
            while self._held:
                self._held.pop().release()


def _own_init_score(ds: lgb.Dataset):
    """The Dataset's own ``init_score``: the one it had before a run shifted it."""
    return _OWN_INIT_SCORE[id(ds)] if id(ds) in _OWN_INIT_SCORE else _current_init_score(ds)


class _Restore:
    """A callback that puts the Datasets' own ``init_score`` back once LightGBM has
    built the Booster (and added the validation sets), before the first round: the
    caller's callbacks, and code beside the run, see the Datasets as the caller made
    them."""

    before_iteration = True

    def __init__(self, held: _DatasetsHeld) -> None:
        self.held = held
        # before the caller's callbacks (lgb.train gives each callback without an order
        # of its own one by its place in the list: on the instance, here), except one
        # ordered below -2**31, which sees the shifted start (a run inside it still
        # starts from the Dataset's own: _OWN_INIT_SCORE)
        self.order = -(2**31)

    def __call__(self, env) -> None:
        if env.iteration != env.begin_iteration:
            return
        self.held.restore()
        # Setting a field of the training Dataset counts as a new one to the Booster:
        # its next update "resets" it (the same one: nothing) and drops the buffer of
        # training scores it then hands the objective unfilled where they were read
        # already this round (by DART's first round, a callback's eval_train): the
        # first gradients came from uninitialised memory
        env.model.train_set_version = env.model.train_set.version


def check_bagged_rows(params: Mapping[str, Any], n_rows: int) -> None:
    """Refuse bagging that draws no row of the ``n_rows`` training rows:
    ``int(bagging_fraction * n_rows)`` is 0, and LightGBM fails its check
    ("Check failed: (num_data) > (0)") after printing ``[Fatal]``, in ``lgb.train``
    and ``LGBMClassifier`` alike. (Balanced bagging, which draws by class, is refused
    with a custom objective: :data:`_IGNORED_BY_CUSTOM_OBJECTIVES`.)"""
    fraction = number_value(params, "bagging_fraction", 1.0)
    freq = number_value(params, "bagging_freq", 0)
    if freq <= 0 or not 0 < fraction < 1 or int(fraction * n_rows) > 0:
        return
    raise ValueError(
        f"bagging_fraction (subsample)={fraction:g} of {n_rows} training rows draws none "
        f"of them (LightGBM bags int({fraction:g} * {n_rows}) = 0 rows): raise it to at "
        f"least {1 / n_rows:.3g}, or turn bagging off with bagging_freq (subsample_freq)=0")


def split_search_error(exc: Exception, params: Mapping[str, Any]) -> ValueError | None:
    """What to set where LightGBM's split search failed its check of a side's row count
    ("Check failed: (best_split_info.left_count) > (0)"), which it estimates from the
    side's Hessian sum: with ``min_sum_hessian_in_leaf`` 0 or below LightGBM's default
    1e-3 (1e-300 too), focal Hessians near 0 (a class of no weight, margins at the start's bound)
    leave a side of "0 rows" (None: another error, or the default or above)."""
    hessian = number_value(params, "min_sum_hessian_in_leaf", _MIN_SUM_HESSIAN)
    check = re.search(r"Check failed: \(best_split_info\.(left|right)_count\) > \(0\)",
                      str(exc))
    if check is None or hessian >= _MIN_SUM_HESSIAN:
        return None
    return ValueError(
        f"LightGBM's split search failed ({check.group(0)}): it counts a "
        "side's rows from its Hessian sum, and with min_sum_hessian_in_leaf "
        f"(min_child_weight)={hessian} it tried sides of focal Hessians near 0 (a class "
        "of little or no weight, rows far from the boundary): set min_child_weight to "
        f"at least {_MIN_SUM_HESSIAN:g} (LightGBM's default)")


_MIN_SUM_HESSIAN = 1e-3  # LightGBM's default min_sum_hessian_in_leaf


# ----------------------------------------------------------- training steps
# One training run, the same for every front end (train above, the estimators, the
# Dask estimators): prepare() the parameters, intercept, objective and metrics; train
# with lgb.train (the Datasets starting at the intercept, the callbacks of
# run.callbacks()) or lightgbm.dask with run.estimator_params(); finish() the Booster
# (the intercept baked into its first trees), or constant_model() when nothing can
# split (and evaluate_constant() on the validation sets); best_iteration() for
# predictions. The package's internal API (not in __all__).


@dataclasses.dataclass
class TrainingRun:
    """What one training run hands to LightGBM (made by :func:`prepare`).

    Attributes
    ----------
    params : dict
        The caller's parameters with the focal ``objective``, ``num_class`` and
        ``metric`` ("None" unless the caller named one).
    loss : FocalLoss
    n_classes : int
        ``num_class``: 1 for a binary model.
    intercept : ndarray of shape (max(n_classes, 1),) or None
        The start of every row (None: margin 0, or the Datasets' own start).
    feval : list of callable
        The caller's metrics with the focal loss (:func:`metric`) among them: first
        where the caller's list holds none, else where the caller put it.
    continued : bool
        Training continues ``init_model``.
    n_threads : int or None
        At most this many threads for the focal kernels (gradients and metric).
    num_boost_round : int
        The rounds: ``num_iterations`` of ``params`` when set there (it wins over the
        argument in ``lgb.train``), else the argument.
    live_intercept : bool
        :meth:`callbacks` added :class:`_LiveIntercept`: training with them puts the
        intercept into the first trees' leaves after the first round, and
        :func:`finish` adds it to their internal values only.
    one_class : bool
        The labels hold one class: a model without splits is then what the data asks
        for (as in ``lgb.train``, :func:`finish` does not warn of it).
    """

    params: dict[str, Any]
    loss: FocalLoss
    n_classes: int
    intercept: np.ndarray | None
    feval: list[Callable]
    continued: bool = False
    n_threads: int | None = None
    num_boost_round: int = 100
    live_intercept: bool = False
    one_class: bool = False

    def estimator_params(self) -> dict[str, Any]:
        """The parameters as LightGBM's scikit-learn interface takes them, for
        ``lightgbm.dask``: under its constructor's names where it has one
        (``min_child_samples`` for ``min_data_in_leaf``, ...), whose defaults they then
        replace (under the main name, both spellings reached LightGBM, which warned
        about each pair), else under LightGBM's main names; the objective as that
        interface calls it (``f(y_true, y_pred, weight)``)."""
        by_main = _by_main_name()
        params = {by_main.get(main_name(key), main_name(key)): value
                  for key, value in self.params.items()}
        params["objective"] = _WrapperObjective(self.loss, reuse_outputs=True,
                                                n_threads=self.n_threads)
        return params

    def metric_named(self) -> bool:
        """Whether ``params["metric"]`` names a built-in metric (it then replaces the
        objective's metric for early stopping, as in ``lgb.train``)."""
        return any(named_metrics(self.params[key])
                   for key in aliases("metric") & self.params.keys())

    def _params_early_stopping(self) -> list[Callable]:
        """``early_stopping_round`` of ``params`` (under any spelling; removed from
        them) as the ``lgb.early_stopping`` that ``lgb.train`` makes of it."""
        callbacks = params_early_stopping(self.params)
        for key in aliases("early_stopping_round") & self.params.keys():
            del self.params[key]
        return callbacks

    def callbacks(self, given: Sequence[Callable] | None) -> list[Callable] | None:
        """The caller's callbacks and those the run needs: with an intercept,
        :class:`_LiveIntercept` (the model callbacks see includes it); with
        ``boosting="dart"``, :class:`_DartFirstRound` (every fit the same); in random-forest mode
        ``lgb.reset_parameter`` without the learning rate, which LightGBM's forests
        ignore (ours would have weighed the trees by it, not averaged them)."""
        # (random-forest mode trains gbdt rounds on a frozen objective, see prepare)
        if isinstance(self.params.get("objective"), _FrozenObjective) and given is not None:
            given = [_without_learning_rate(callback) for callback in given]
            given = [callback for callback in given if callback is not None]
        if self.metric_named():
            # a metric parameter replaces the objective's metric in lgb.train: early
            # stopping does not watch the focal loss there, which is recorded all the
            # same (it stopped on it: 28 rounds where lgb.train's AUC ran to 55);
            # params' early_stopping_round becomes the callback lgb.train makes of it
            given = [skipping(callback, (), [METRIC_NAME]) if is_early_stopping(callback)
                     else callback
                     for callback in [*(given or []), *self._params_early_stopping()]]
        own = []
        if self.intercept is not None:
            own.append(_LiveIntercept(self))
            self.live_intercept = True
        if boosting_type(self.params) == "dart":
            own.append(_DartFirstRound())
        if not own:
            return None if given is None else list(given)
        return [*(given or []), *own]

    def start_margins(self, n_rows: int) -> np.ndarray | None:
        """The intercept as ``n_rows`` initial scores (None without an intercept)."""
        if self.intercept is None:
            return None
        if self.n_classes == 1:
            return np.full(n_rows, self.intercept[0])
        return np.tile(self.intercept, (n_rows, 1))


def prepare(
    params: Mapping[str, Any],
    loss: FocalLoss,
    num_boost_round: int,
    *,
    train_set: lgb.Dataset | None = None,
    y_true: np.ndarray | None = None,
    sample_weight: np.ndarray | None = None,
    init_score: str | float | Sequence[float] | np.ndarray | None = "auto",
    init_model: Any = None,
    validated: bool = False,
    feval: Callable | Sequence[Callable] | None = None,
    n_threads: int | None = None,
    warn_other_loss: bool = True,
) -> TrainingRun:
    """First step of a training run: parameters, intercept, objective and metrics.

    Parameters
    ----------
    params : mapping
        LightGBM parameters, as :func:`train` takes them; not modified.
    loss : FocalLoss
    num_boost_round : int
        Boosting rounds (random-forest mode averages that many trees).
    train_set : lightgbm.Dataset, default=None
        The training data: its labels and weights give the intercept ``"auto"``,
        unless it has an ``init_score`` of its own (then no intercept is used).
    y_true, sample_weight : ndarray, default=None
        The labels and weights instead of ``train_set``; give the weights as LightGBM
        holds them, float32 (a ``train_set``'s are read so), to start where :func:`train`
        starts on them. Only the total weight of each class matters:
        ``y_true=np.arange(k)`` with ``sample_weight`` the class totals gives the same
        intercept. Labels of one class (``y_true`` of one value; :func:`finish` reads
        a ``train_set``'s) make a model without splits no warning.
    init_score : "auto", float, array-like or None, default="auto"
        The intercept (:func:`focal_boost._intercept.intercept`); LightGBM's
        ``boost_from_average=False`` in ``params`` turns ``"auto"`` into None.
    init_model : Booster, path or fitted estimator, default=None
        The model training continues, which carries its intercept: "auto" adds none, a
        value is refused.
    validated : bool, default=False
        Validation sets or early stopping are used (random-forest mode refuses them).
    feval : callable or list of callable, default=None
        Metrics evaluated after the focal loss; where the list holds a :func:`metric`
        (of ``loss`` or another focal loss), that one is the ``"focal_loss"`` (once).
    n_threads : int, default=None
        At most this many threads for the focal kernels; None: ``num_threads`` of
        ``params`` when positive (``n_jobs=1`` means one thread), else the kernels'
        own setting. The Dask estimators pass their workers' thread count.
    warn_other_loss : bool, default=True
        Warn when ``init_model`` was trained on another loss (:func:`trained_loss`):
        the posterior correction assumes every tree was trained on ``loss``. A front
        end that does not apply it passes False.

    Returns
    -------
    TrainingRun
    """
    loss = _check_loss(loss)
    model = None if init_model is None else to_booster(init_model)
    continued = init_model is not None
    _check_rounds(num_boost_round, "num_boost_round")
    if train_set is not None and (not _is_constructed(train_set)
                                  or train_set.data is not None):
        # (a built Dataset that kept its rows: lgb.train builds it again from the
        # merged parameters where they change it; one without them is refused)
        params = _with_dataset_spellings(params, train_set)
    params, n_classes = _training_params(params)
    if model is not None:
        _check_continued_outputs(model, n_classes)
    if warn_other_loss:
        warn_continued_loss(trained_loss(init_model), loss, "init_model", max(n_classes, 2))
    if "num_iterations" in params:  # as lgb.train: the rounds in params win
        num_boost_round = _check_rounds(params["num_iterations"], "params['num_iterations']")
    # LightGBM's boost_from_average=False: start from 0 (its built-in objectives' rule;
    # it ignores the parameter under a custom objective, and keeps it in the model's
    # parameters, as the plain model says it)
    for key in aliases("boost_from_average") & params.keys():
        if (not as_bool(params[key], True, key)
                and isinstance(init_score, str) and init_score == "auto"):
            init_score = None
    n_threads = _threads(params) if n_threads is None else _v_threads(n_threads)
    if is_random_forest(params):
        _check_random_forest(params, validated or continued,
                             linear=_is_linear(params, train_set))
        for key in aliases("boosting") | aliases("learning_rate"):
            params.pop(key, None)
        # Random forest by hand (LightGBM's own refuses custom objectives): every tree
        # is a Newton step from the starting margins, and the model is their mean.
        params.update(boosting="gbdt", learning_rate=1.0 / num_boost_round)
        params["objective"] = _FrozenObjective(loss)
    else:
        params["objective"] = _Objective(loss, reuse_outputs=True, n_threads=n_threads)
    _check_metric_names(params)
    if train_set is not None and not _is_constructed(train_set):
        subset = train_set.data is None and isinstance(train_set.reference, lgb.Dataset)
        check_monotone_categories({**(train_set.params or {}), **params},
                                  train_set.reference.data if subset else train_set.data,
                                  train_set.categorical_feature, train_set.feature_name)
    if train_set is not None:  # (before LightGBM reads past its arrays)
        check_interaction_constraints({**(train_set.params or {}), **params},
                                      _num_features(train_set))
    if not aliases("metric") & params.keys():
        params["metric"] = "None"
    if (train_set is not None and train_set.label is None and not continued
            and not _is_constructed(train_set)):
        # a subset or a file: its labels (and its init_score) are read once it is built,
        # with the run's parameters, as lgb.train would build it
        _construct_train(train_set, params)
    start = _intercept_margins(init_score, loss, n_classes, train_set, y_true, sample_weight,
                               continued)
    feval = [] if feval is None else [feval] if callable(feval) else list(feval)
    if not any(isinstance(f, _Metric) for f in feval):  # one metric per name
        feval.insert(0, _Metric(loss, n_threads=n_threads))
    return TrainingRun(params, loss, n_classes, start, feval, continued, n_threads,
                       num_boost_round, one_class=one_class(y_true))


def _with_dataset_spellings(params: Mapping[str, Any], train_set: lgb.Dataset) -> dict:
    """``params`` with the Dataset's own setting of a parameter where LightGBM takes it.

    ``lgb.train`` merges the training parameters into the Dataset's own and
    LightGBM then takes, of the spellings of one parameter, the winning one (the main
    name, then the shortest alias): ``Dataset(params={"max_bin": 63})`` trained with
    ``{"max_bins": 31}`` has 63 bins. Resolved on their own, the training parameters
    (``max_bin`` 31) replaced the Dataset's. The spellings that lose are dropped with
    a warning (LightGBM's own says nothing at ``verbose=-1``).
    """
    out = dict(params)
    for key, value in train_set.get_params().items():
        main = main_name(key)
        spellings = [k for k in params if main_name(k) == main]
        if not spellings or key in spellings:  # (the same spelling: the training's wins)
            continue
        if winning_spelling(main, [key, *spellings]) == key:
            lost = [f"{k}={params[k]!r}" for k in spellings
                    if not same_value(params[k], value)]
            if lost:
                warnings.warn(
                    f"params' {', '.join(lost)} ignored: LightGBM takes train_set's own "
                    f"{key}={value!r} for its parameter {main!r} (the main name wins over "
                    f"an alias, then the shortest alias); set {main} in one place",
                    UserWarning, stacklevel=caller_level())
            for k in spellings:
                del out[k]
            out[key] = value
    return out


def _check_rounds(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    return int(value)


def _construct_train(train_set: lgb.Dataset, params: Mapping[str, Any]) -> None:
    """Build ``train_set`` as ``lgb.train`` builds it: with the run's parameters.

    ``lgb.train`` hands the training set's feature names to the validation sets before
    it builds the training set; building it reads back LightGBM's names (spaces written
    as "_"), which a validation DataFrame's category columns would not be found by. The
    names as given stay the ones the validation sets take.
    """
    given = train_set.feature_name
    train_set._update_params({**params, "objective": "none"}).construct()
    train_set.feature_name = given
    _BUILT_HERE.add(train_set)


# The training Datasets built by _construct_train, before lgb.train: a parameter their
# own settings overrode then (LightGBM warned, as lgb.train does when it builds one) is
# left out of lgb.train's, which would refuse it given again. One the user built is
# not in it: lgb.train refuses that conflict, and so does train.
_BUILT_HERE: weakref.WeakSet = weakref.WeakSet()


def _intercept_margins(init_score, loss, n_classes, train_set, y_true, sample_weight,
                       continued) -> np.ndarray | None:
    """The intercept per tree of an iteration, shape (max(n_classes, 1),); None: none."""
    auto = isinstance(init_score, str) and init_score == "auto"
    if train_set is not None and train_set.label is not None:
        _check_labels(train_set.label)  # as given (a constructed Dataset has no NaN left)
        # on every path, as XGBoost's prepare checks them: labels that are no class
        # index reached the loss, which named its own argument y_true
        check_num_class(np.asarray(train_set.label, dtype=np.float64), n_classes,
                        "train_set")
    _check_labels(y_true)
    if y_true is not None:
        check_num_class(y_true, n_classes, "train_set")
    if continued and not auto and init_score is not None:
        raise ValueError(
            "init_score must be 'auto' or None with init_model: the initial model "
            "already contains its intercept"
        )
    if auto and (continued or (train_set is not None
                               and _own_init_score(train_set) is not None)):
        return None  # as boost_from_average: the model or the Dataset sets the start
    if auto and train_set is not None:
        read_back = train_set.label is None  # (from LightGBM: not checked above)
        y_true, sample_weight = _labels_and_weights(train_set, "train_set")
        _check_weight_values(sample_weight, "train_set")  # (a file's or a subset's too)
        if read_back:
            check_num_class(y_true, n_classes, "train_set")
    margins = intercept(init_score, loss, n_classes, y_true=y_true,
                        sample_weight=sample_weight)
    if auto and n_classes > 1:
        # softmax ignores a shift: LightGBM's multiclass objective starts each class at
        # its log prior (log-sum-exp 0), so raw scores and contributions match its own
        margins = margins - logsumexp(margins)
    return margins if margins.any() else None


def finish(booster: lgb.Booster, run: TrainingRun, train_set: lgb.Dataset | None = None,
           keep_training_booster: bool = False) -> lgb.Booster:
    """Last step of a training run: warn when ``booster`` has no split (but for labels
    of one class); add the
    intercept to the nodes of its first trees (as LightGBM does for
    ``boost_from_average``: leaves and internal values), so that every prediction and
    every dump of the trees include it. Trained with ``run.callbacks()``, the
    leaves hold it since the first round (:class:`_LiveIntercept`), and only the
    internal values take it here.

    A booster still holding its training data is rebuilt from its text without it, as
    ``lgb.train`` does, unless ``keep_training_booster``: then only its leaves take the
    intercept (LightGBM's API sets no internal value of a live booster).
    """
    # (labels of one class: the constant is the model; a train_set's labels are read
    # here, where LightGBM has built it, also from a file or a subset)
    if not booster.feature_importance(importance_type="split").any() and not (
            run.one_class or (train_set is not None and one_class(train_set.get_label()))):
        warnings.warn(f"the model has no split: {_no_split_reasons(run)}", UserWarning,
                      stacklevel=caller_level())
    trains_on = "train_set" in vars(booster)  # lgb.Booster.free_dataset removes it
    # trained with run.callbacks(): the leaves hold it since the first round
    live = run.live_intercept and _bakes_live(run, booster)
    if keep_training_booster and trains_on:
        if run.intercept is not None and not live:
            _bake_intercept(booster, run.intercept)
        return booster
    if run.intercept is None and not trains_on:
        return booster
    shift = {} if run.intercept is None else dict(enumerate(run.intercept))
    booster.model_from_string(_shifted_model(booster, shift, leaves=not live))
    if trains_on:
        booster.free_dataset()
    return booster


def cannot_split(params: Mapping[str, Any], train_set: lgb.Dataset | None = None, *,
                 ranges: np.ndarray | None = None, rows: Sequence[int] | None = None) -> bool:
    """True when LightGBM keeps no feature to split on: its custom-objective path then
    fails (``Check failed: num_features() > 0``) and the model is :func:`constant_model`.

    A constructed ``train_set`` answers as LightGBM built it (no feature kept a bin).
    Otherwise the answer comes from the columns of the training data, where LightGBM's
    feature pre-filter surely drops every feature: each column is constant or all
    missing, or (``feature_pre_filter``, the default) each machine bins fewer than
    ``2 * min_data_in_leaf`` rows, so that no threshold leaves ``min_data_in_leaf`` rows
    on both sides. Where that is not sure (a rare value, ``zero_as_missing``), the
    answer is False and LightGBM decides.

    Parameters
    ----------
    params : mapping
        The run's parameters (``TrainingRun.params``); a ``train_set``'s own ``params``
        count too, as in ``lgb.train``.
    train_set : lightgbm.Dataset, default=None
        Constructed: LightGBM's answer. Not constructed: its data, when in memory (a
        2-D array or a DataFrame), gives ``ranges`` and ``rows``.
    ranges : ndarray of shape (3, n_features), default=None
        :func:`column_ranges` of the training rows (:func:`merge_ranges` of parts).
    rows : sequence of int, default=None
        The training rows each machine bins: one number on one machine, one per worker
        in distributed training (LightGBM filters each feature on the rows of the
        machine that bins it).
    """
    own: Mapping[str, Any] = {}
    if train_set is not None:
        if _is_constructed(train_set):
            return _no_usable_feature(train_set)
        own = train_set.params or {}
        if ranges is None:
            ranges = column_ranges(train_set.data)
            rows = None if ranges is None else [train_set.data.shape[0]]
    if ranges is None:
        return False
    low, high, missing = ranges
    if ((low > high) | ((low == high) & (missing == 0))).all():  # no value, or one
        return True

    def value(name, default):  # the run's parameters first, then the Dataset's
        return param_value(params, name, param_value(own, name, default))

    return bool(rows) and as_bool(value("feature_pre_filter", True), True,
                                  "feature_pre_filter") and (
        max(rows) < 2 * as_number(value("min_data_in_leaf", 20), "min_data_in_leaf"))


def check_linear_values(params: Mapping[str, Any], train_set: lgb.Dataset | None = None, *,
                        ranges: np.ndarray | None = None) -> None:
    """Refuse infinite feature values in training with ``linear_tree``: a linear leaf
    multiplies the feature by its coefficient, so the margins of those rows are NaN
    or infinite (``LGBMClassifier`` then predicts NaN for them without a word; the
    focal loss stops at its NaN margins with a message about diverged training).

    ``ranges``: :func:`column_ranges` of the training rows; else read from
    ``train_set``'s data where it is in memory (not a file). A column without an
    infinite value, or data that cannot be read here, passes."""
    if not _is_linear(params, train_set):
        return
    if ranges is None and train_set is not None:
        ranges = column_ranges(train_set.data)
    if ranges is None:
        return
    low, high, _ = ranges
    infinite = np.flatnonzero((low <= high) & ((low == -np.inf) | (high == np.inf)))
    if len(infinite):
        raise ValueError(
            f"linear_tree=True takes no infinite feature values, and the training data "
            f"has some in {len(infinite)} column(s) (by position: {first_rows(infinite)}): "
            "a linear leaf multiplies them by its coefficient, which makes those rows' "
            "margins NaN (LGBMClassifier predicts NaN for them); replace them with NaN "
            "(missing), or set linear_tree=False")


def column_ranges(data: Any) -> np.ndarray | None:
    """Each column's lowest and highest value (missing values left out) and its missing
    values, as LightGBM reads the column; what :func:`cannot_split` takes.

    Parameters
    ----------
    data : 2-D ndarray, scipy.sparse matrix or DataFrame
        Numbers, and for a DataFrame categories (their codes); a sparse matrix's absent
        entries are zeros, as LightGBM reads them. Anything else (files) gives None.

    Returns
    -------
    ndarray of shape (3, n_features) or None
        Rows: lowest, highest, number of missing values (NaN). A column without values
        has lowest ``inf`` and highest ``-inf``.
    """
    if isinstance(data, np.ndarray) and data.ndim == 2 and data.dtype.kind in "biuf":
        columns = [data]
    elif scipy.sparse.issparse(data) and data.ndim == 2 and data.dtype.kind in "biuf":
        return _sparse_column_ranges(data)
    elif hasattr(data, "dtypes") and hasattr(data, "items") and getattr(data, "ndim", 0) == 2:
        columns = []
        for _, column in data.items():
            if str(column.dtype) == "category":  # the codes LightGBM trains on
                columns.append(category_codes(column)[:, None])
            elif column.dtype.kind in "biuf":
                columns.append(column.to_numpy(dtype=np.float64, na_value=np.nan)[:, None])
            else:
                return None
    else:
        return None
    out = []
    for block in columns:
        if block.dtype.kind == "f":
            # row blocks: the missing-value mask of one block at a time
            low = np.full(block.shape[1], np.inf)
            high = np.full(block.shape[1], -np.inf)
            missing = np.zeros(block.shape[1])
            for start in range(0, block.shape[0], 65536):
                part = block[start:start + 65536]
                low = np.fmin(low, np.fmin.reduce(part, axis=0, initial=np.inf))
                high = np.fmax(high, np.fmax.reduce(part, axis=0, initial=-np.inf))
                missing += np.isnan(part).sum(axis=0)
        elif len(block):  # integers, booleans: no missing value
            low = block.min(axis=0).astype(np.float64)
            high = block.max(axis=0).astype(np.float64)
            missing = np.zeros(block.shape[1])
        else:
            low, high = np.full(block.shape[1], np.inf), np.full(block.shape[1], -np.inf)
            missing = np.zeros(block.shape[1])
        out.append(np.vstack([low, high, missing]))
    return np.hstack(out) if out else np.empty((3, 0))


def _sparse_column_ranges(data) -> np.ndarray:
    """:func:`column_ranges` of a scipy.sparse matrix: its stored values, each as LightGBM
    reads it (an entry stored twice in a CSR or CSC matrix is two values there, not
    their sum; other formats it converts to CSR, which sums them, as here), and a zero
    in every column with fewer distinct stored entries than rows."""
    rows = scipy.sparse.csr_matrix(data)
    values, columns = rows.data.astype(np.float64), rows.indices
    n_rows, n_columns = rows.shape
    low, high = np.full(n_columns, np.inf), np.full(n_columns, -np.inf)
    np.fmin.at(low, columns, values)  # (fmin and fmax pass over NaN)
    np.fmax.at(high, columns, values)
    if rows.has_canonical_format:
        stored = np.bincount(columns, minlength=n_columns)
    else:  # distinct (row, column) pairs
        row_of = np.repeat(np.arange(n_rows, dtype=np.int64), np.diff(rows.indptr))
        pairs = np.unique(row_of * n_columns + columns)
        stored = np.bincount(pairs % n_columns, minlength=n_columns)
    zeros = stored < n_rows
    low[zeros], high[zeros] = np.fmin(low[zeros], 0.0), np.fmax(high[zeros], 0.0)
    missing = np.bincount(columns[np.isnan(values)], minlength=n_columns).astype(np.float64)
    return np.vstack([low, high, missing])


def merge_ranges(parts: Sequence[np.ndarray | None]) -> np.ndarray | None:
    """The :func:`column_ranges` of row parts, as one: of all their rows together
    (None where a part's are: columns :func:`column_ranges` cannot read)."""
    parts = list(parts)
    if any(part is None for part in parts):
        return None
    parts = np.stack(parts)
    return np.vstack([parts[:, 0].min(axis=0), parts[:, 1].max(axis=0),
                      parts[:, 2].sum(axis=0)])


def constant_model(run: TrainingRun, train_set: lgb.Dataset, *, init_model: Any = None,
                   y_true: np.ndarray | None = None, sample_weight: np.ndarray | None = None,
                   workers: int = 1, keep_training_booster: bool = False) -> lgb.Booster:
    """The last step when no feature of ``train_set`` can be split (:func:`cannot_split`),
    with a warning: a constant model, the start ``run.intercept`` (an ``init_score``
    given), else the focal-optimal constant (whatever the start was to be), or, when
    training continues ``init_model``, that model as it is (``lgb.train`` adds no tree
    to it there).

    Parameters
    ----------
    run : TrainingRun
    train_set : lightgbm.Dataset
        Rows with the training data's columns; their labels and weights give the
        constant unless ``y_true`` does.
    init_model : Booster, str or path, default=None
        The model training continues.
    y_true, sample_weight : ndarray, default=None
        The labels and weights of all the training rows, where ``train_set`` holds only
        some of them (as in :func:`prepare`, class totals will do).
    workers : int, default=1
        The machines that bin the data (distributed training: the rows of each count).
    keep_training_booster : bool, default=False
        Asked for by the caller: the warning says that it does not apply (the model is
        built from its text, without the training data).
    """
    # LightGBM reads the parameters as it builds a booster (and refuses an unknown value,
    # a device it lacks): build the constant model first, as lgb.train fails before it
    # warns, also where training continues init_model and the constant is not kept
    if init_model is None:
        start = run.intercept
        if start is None:
            try:
                start = _intercept_margins("auto", run.loss, run.n_classes,
                                           train_set if y_true is None else None, y_true,
                                           sample_weight, continued=False)
            except ValueError:  # labels not in memory
                start = None
        booster = _constant_booster(run.params, train_set, start, run.n_classes)
    else:  # train_set holds init_model's margins (lgb.train cannot take it again)
        lgb.Booster(_builtin_params(run.params, run.n_classes), train_set)
    rows = "too few rows for" if workers == 1 else (
        f"too few rows on each of the {workers} workers, which LightGBM bins apart, for")
    warnings.warn(
        f"no feature of the training data can be split ({rows} min_data_in_leaf="
        f"{param_value(run.params, 'min_data_in_leaf', 20)}, or constant / all-missing columns"
        + (" on the worker that bins each" if workers > 1 else "") + "): "
        + ("no tree is added to init_model, which is the model, as in lgb.train. "
           if init_model is not None else "the model is a constant: the init_score given, "
           "else the focal-optimal constant. ")
        + "Lower min_data_in_leaf (min_child_samples) or pass more data to learn from the "
        "features"
        + ("; keep_training_booster=True does not apply: the model is built from its text, "
           "without the training data that rollback_one_iter, update and eval_train need"
           if keep_training_booster else ""),
        UserWarning,
        stacklevel=caller_level(),
    )
    if init_model is not None:
        if isinstance(init_model, lgb.Booster):  # every tree, as lgb.train continues it
            return lgb.Booster(model_str=init_model.model_to_string(num_iteration=-1))
        return lgb.Booster(model_file=init_model)
    return booster


class _Labels:
    """The labels and weights of a validation set held elsewhere (the Dask estimators'),
    read by the metrics as they read a Dataset's."""

    def __init__(self, label, weight) -> None:
        self.label = np.asarray(label)
        self.weight = None if weight is None else np.asarray(weight)

    def get_label(self) -> np.ndarray:
        return self.label

    def get_weight(self) -> np.ndarray | None:
        return self.weight

    def num_data(self) -> int:
        return len(self.label)


def evaluate_constant(booster: lgb.Booster, run: TrainingRun, train_set: lgb.Dataset,
                      valid_sets: Sequence[lgb.Dataset | tuple], valid_names: Sequence[str],
                      callbacks: Sequence[Callable] | None, num_boost_round: int) -> None:
    """After :func:`constant_model`: the evaluation ``lgb.train`` gives a model after its
    first round, for that model on ``valid_sets``.

    The metrics of ``run.feval`` (in their order) are computed on the constant
    margins (plus each set's own ``init_score``; when training continues a model, that
    model's margins, which replace it as in ``lgb.train``) and handed to the callbacks
    that run after an iteration (``record_evaluation``, ``log_evaluation``, early
    stopping), once, as round 0 of ``num_boost_round``; ``booster.best_score`` is set as
    ``lgb.train`` sets it. LightGBM's built-in metrics (``params["metric"]``) are not
    computed. The validation sets are constructed against ``train_set``, as ``lgb.train``
    would. A ``(labels, weights)`` pair in ``valid_sets`` stands for a set whose rows are
    elsewhere (the Dask estimators' validation sets): the metrics read those. Without
    validation sets the callbacks are called all the same, with no results, as
    ``lgb.train`` calls them (a callback that saves the model gets it).
    """
    k = max(run.n_classes, 1)
    constant = np.array([booster.get_leaf_output(j, 0) for j in range(k)])
    # a continued model's margins first: constructing a Dataset may free another's data
    continued = [_continued_margins(booster, ds, name, run.n_classes)
                 if run.continued and isinstance(ds, lgb.Dataset) else None
                 for ds, name in zip(valid_sets, valid_names, strict=True)]
    results = []
    for ds, name, margins in zip(valid_sets, valid_names, continued, strict=True):
        if not isinstance(ds, lgb.Dataset):
            ds = _Labels(*ds)
            preds = np.zeros((ds.num_data(), k) if k > 1 else ds.num_data())
            preds += constant if k > 1 else constant[0]
        elif margins is not None:
            preds = margins
            _construct_valid(ds, train_set, run)
        else:
            _construct_valid(ds, train_set, run)
            n = ds.num_data()
            preds = np.zeros((n, k) if k > 1 else n) + (constant if k > 1 else constant[0])
            own = _own_init_score(ds)
            if own is not None:
                preds = preds + _shifted_init_score(ds, own, np.zeros(k), run.n_classes, name)
        for feval in run.feval:
            out = feval(preds, ds)
            for metric_name, value, higher in out if isinstance(out, list) else [out]:
                results.append(_eval_result(name, metric_name, value, higher))
    # lgb.train numbers the rounds on from those of the model it continues
    done = booster.current_iteration() if run.continued else 0
    env = lgb.callback.CallbackEnv(model=booster, params=run.params, iteration=done,
                                   begin_iteration=done, end_iteration=done + num_boost_round,
                                   evaluation_result_list=results)
    # (with the early stopping lgb.train makes of params' early_stopping_round)
    after = sorted((cb for cb in [*(callbacks or []), *params_early_stopping(run.params)]
                    if not getattr(cb, "before_iteration", False)),
                   key=lambda cb: getattr(cb, "order", 0))
    try:
        for cb in after:
            cb(env)
    except lgb.callback.EarlyStopException as exc:  # (a single round)
        booster.best_iteration = exc.best_iteration + 1
        results = exc.best_score
    else:
        if results and any(_stops(cb) for cb in after):
            # lgb.train goes on, every round the same as this one, until early stopping
            # keeps its first (best_iteration past a continued model's rounds, as there)
            booster.best_iteration = done + 1
    booster.best_score = collections.defaultdict(collections.OrderedDict)
    for result in results:
        booster.best_score[result[0]][result[1]] = result[2]


def params_early_stopping(params: Mapping[str, Any]) -> list[Callable]:
    """``early_stopping_round`` of ``params`` (under any spelling) as the
    ``lgb.early_stopping`` that ``lgb.train`` makes of it (none: 0 rounds, or not given)."""
    keys = aliases("early_stopping_round") & params.keys()
    given = resolve_aliases({key: params[key] for key in keys}, quiet=list(keys))
    rounds = given.get("early_stopping_round")
    if rounds is None:
        return []
    if isinstance(rounds, bool) or not isinstance(rounds, int):
        # (lgb.train's own check: an integer)
        raise TypeError(f"params['early_stopping_round'] must be an integer, got "
                        f"{rounds!r}")
    if not rounds > 0:
        return []
    get = {main_name(key): value for key, value in params.items()}.get
    return [lgb.early_stopping(
        int(rounds), first_metric_only=bool(get("first_metric_only", False)),
        min_delta=get("early_stopping_min_delta", 0.0),
        verbose=as_number(get("verbosity", 1), "verbosity") > 0)]


def _stops(callback) -> bool:
    """Whether ``callback``, once called, is an early stopping that is on (LightGBM's
    turns itself off in dart mode, with 0 rounds, on the training data alone)."""
    if isinstance(callback, _Skipping):
        return not callback._off and _stops(callback._callback)
    return is_early_stopping(callback) and callback.enabled


def _construct_valid(ds: lgb.Dataset, train_set: lgb.Dataset, run: TrainingRun) -> None:
    """Construct ``ds`` as ``lgb.train`` does: against ``train_set``, with the run's
    parameters (verbosity included).

    It takes the run's parameters before it is built, as ``lgb.train`` gives them: a
    subset built with its parent's was found changed by ``lgb.train``
    (``min_data_in_leaf`` below the pre-filter's) and built again from its parent,
    which dropped the start margins set on it (its scores, and early stopping, then
    went wrong).
    """
    if not _is_constructed(train_set):  # (building ds would build it, with its names lost)
        _construct_train(train_set, run.params)
    if _is_constructed(ds):
        return
    if ds is not train_set:
        ds._update_params({**run.params, "objective": "none"})
        if ds.reference is None:
            ds.set_reference(train_set)
    ds.construct()


def _continued_margins(booster: lgb.Booster, ds: lgb.Dataset, name: str,
                       n_classes: int) -> np.ndarray:
    """The margins of the continued model ``booster`` on ``ds``, where ``lgb.train``
    starts it (the model's prediction replaces the Dataset's own ``init_score``)."""
    if ds.data is not None:
        return np.asarray(booster.predict(ds.data, raw_score=True), dtype=np.float64)
    if _is_constructed(ds) and getattr(ds, "_predictor", None) is not None:
        # lgb.train built it with the continued model's margins as its init_score
        return _shifted_init_score(ds, _current_init_score(ds), np.zeros(max(n_classes, 1)),
                                   n_classes, name)
    raise ValueError(
        f"{name} holds no raw data to evaluate init_model on (a constructed Dataset frees "
        "it): pass it unconstructed, or with free_raw_data=False, as lgb.train needs "
        "with init_model"
    )


def _eval_result(dataset_name, metric_name, value, higher):
    """One entry of LightGBM's evaluation list (a named tuple since LightGBM 4.7)."""
    make = getattr(lgb.callback, "EvalResult", None)
    if make is None:
        return (dataset_name, metric_name, value, higher)
    return make(dataset_name=dataset_name, metric_name=metric_name, metric_value=value,
                maximize=higher)


def best_iteration(booster: lgb.Booster) -> int:
    """Index of the last round predictions use: the best one where early stopping set
    it, else the last round."""
    best = booster.best_iteration
    # (lgb.train's best_iteration may pass the model's rounds: a continued model that
    # could not split, every round the same as its own last)
    return min(best, booster.current_iteration()) - 1 if best > 0 else (
        booster.current_iteration() - 1)


def num_rounds(init_model: Any) -> int:
    """Boosting rounds of the model ``init_model`` (a Booster, a model file, or a fitted
    estimator with ``booster_``); 0: None."""
    if init_model is None:
        return 0
    return to_booster(init_model).current_iteration()


def read_model(init_model: Any) -> Any:
    """A model to continue given as a model file's path as a Booster, read once for
    every step that looks at it; a Booster or a fitted estimator as it is (an
    estimator says what it was trained on, :func:`trained_loss`)."""
    if isinstance(init_model, str | os.PathLike):
        return lgb.Booster(model_file=init_model)
    return init_model


def to_booster(init_model: Any) -> lgb.Booster:
    """The Booster of a model to continue: a Booster, a fitted estimator (its
    ``booster_``, as ``LGBMClassifier.fit`` takes it) or a model file's path."""
    if isinstance(init_model, lgb.Booster):
        return init_model
    if isinstance(init_model, str | os.PathLike):
        return read_model(init_model)
    booster = getattr(init_model, "booster_", None)  # (None: an estimator not fitted)
    if isinstance(booster, lgb.Booster):
        return booster
    fitted = getattr(init_model, "__sklearn_is_fitted__", lambda: False)
    if booster is None and hasattr(init_model, "fit") and not fitted():
        raise ValueError(f"init_model is a {type(init_model).__name__} that is not fitted: "
                         "fit it first, or pass a fitted model")
    raise TypeError("init_model must be a LightGBM Booster, a model file's path or a fitted "
                    f"LightGBM estimator, got {type(init_model).__name__}")


def trained_loss(init_model: Any) -> FocalLoss | str | Callable | None:
    """What the model ``init_model`` was trained on, where it can be told.

    A fitted estimator: its ``loss_`` (focal_boost's) or ``objective_``
    (``LGBMClassifier``'s, a name or a callable); a Booster (or a model file): the
    focal loss a file of :func:`save_model` names, else the built-in objective in the
    model's header. None: nothing to tell (no model; a Booster of a custom objective,
    which LightGBM does not record; a file that does not load: training refuses it).
    """
    if init_model is None:
        return None
    declared = (declared_loss(init_model, ("loss_", "objective_", "objective"))
                if hasattr(init_model, "booster_") else None)
    if declared is not None:
        return declared
    try:
        booster = to_booster(init_model)
    except Exception:  # noqa: BLE001 (a file that does not load is lgb.train's to refuse)
        return None
    loss = stored_loss(booster)
    if loss is None:  # a built-in objective is in the header (a custom one is not)
        header = booster.model_to_string(num_iteration=1)
        found = re.search(r"^objective=(\S+)", header, flags=re.M)
        loss = found.group(1) if found else None
    return loss


# LightGBM's spellings of "no metric", and "" (the objective's default metric)
NO_METRIC = frozenset({"none", "na", "null", "custom", ""})


def named_metrics(value) -> list:
    """The metrics a LightGBM ``metric`` value names, as LightGBM reads it (a list, or
    names separated by commas; any case), less its spellings of "no metric"
    (:data:`NO_METRIC`); callables kept as they are."""
    # a list, tuple, set or array LightGBM joins with commas (param_dict_to_str)
    items = ([] if value is None else list(value)
             if isinstance(value, list | tuple | set | frozenset | np.ndarray) else [value])
    names = [m.strip().lower() if isinstance(m, str) else m
             for item in items for m in (item.split(",") if isinstance(item, str) else [item])]
    return [m for m in names if not (isinstance(m, str) and m in NO_METRIC)]


def is_early_stopping(callback) -> bool:
    """Whether ``callback`` is an ``lgb.early_stopping`` (LightGBM's own class)."""
    return isinstance(callback, lgb.callback._EarlyStoppingCallback)


def skipping(callback: Callable, names, metrics=()) -> Callable:
    """``callback`` (an ``lgb.early_stopping``) that does not see the sets ``names``
    nor the metrics ``metrics``."""
    return _Skipping(callback, frozenset(names), frozenset(metrics))


class _Skipping:
    def __init__(self, callback: Callable, names: frozenset, metrics: frozenset) -> None:
        # lgb.train orders callbacks by their ``order`` (early stopping's: 30)
        self.order = callback.order
        self.before_iteration = False
        self._callback = callback
        self._names = names
        self._metrics = metrics
        self._results: dict[int, list] = {}  # every round's full results
        self._off = False

    def __call__(self, env) -> None:
        keep = [r for r in env.evaluation_result_list
                if r[0] not in self._names and r[1] not in self._metrics]
        if env.evaluation_result_list and not keep and {
                r[0] for r in env.evaluation_result_list} <= self._names:
            # the training data alone: LightGBM's callback stops nothing there (it says so
            # once, as here)
            if not self._off:
                warnings.warn("Only training set found, disabling early stopping.",
                              UserWarning, stacklevel=2)
                self._off = True
            return
        self._results[env.iteration] = env.evaluation_result_list
        try:
            self._callback(dataclasses.replace(env, evaluation_result_list=keep))
        except lgb.callback.EarlyStopException as stop:
            # the booster's best_score as lgb.train keeps it: every set and metric of
            # the best round, those not watched included
            raise lgb.callback.EarlyStopException(
                stop.best_iteration,
                self._results.get(stop.best_iteration, stop.best_score)) from None


def _check_booster(booster) -> None:
    check_booster(booster, lgb.Booster, "a lightgbm.Booster", "booster_")


def predict_margin(
    booster: lgb.Booster, data: Any, *, num_iteration: int | None = None,
    num_threads: int | None = None, **params: Any,
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
    num_threads : int, optional
        Threads LightGBM predicts on; None: its default (every core).
    **params
        Other LightGBM prediction parameters, passed to ``Booster.predict`` as
        ``LGBMClassifier.predict`` passes its keywords. Refused: ``pred_early_stop``
        (LightGBM applies it to its built-in objectives only) and the output kind and
        iterations (``raw_score``, ``pred_leaf``, ``pred_contrib``,
        ``start_iteration`` under any spelling: raw margins from the first iteration
        hold the intercept; call ``booster.predict`` for the others).

    Returns
    -------
    ndarray of shape (n_samples,) (binary) or (n_samples, n_classes)
        Also for ``data`` without rows.
    """
    _check_booster(booster)
    check_predict_params(params)
    shape = getattr(data, "shape", None)
    if shape is not None and len(shape) == 2 and shape[0] == 0:
        # LightGBM refuses an empty DataFrame and returns (0,) for every model
        if shape[1] != booster.num_feature():
            raise ValueError(f"The number of features in data ({shape[1]}) is not the same "
                             f"as it was in training data ({booster.num_feature()})")
        k = booster.num_model_per_iteration()
        return np.empty((0,) if k == 1 else (0, k))
    if num_threads is not None:
        params["num_threads"] = int(num_threads)
    return np.asarray(booster.predict(data, raw_score=True, num_iteration=num_iteration,
                                      **params))


def predict_proba(
    booster: lgb.Booster, data: Any, loss=None, *, num_iteration: int | None = None,
    num_threads: int | None = None, **params: Any,
) -> np.ndarray:
    """Class probabilities: the posterior recovered from the focal-trained margins.

    ``loss.predict_proba(predict_margin(booster, data))``: focal loss is not a
    proper scoring rule, and this undoes its distortion of the sigmoid/softmax
    (see :meth:`focal_boost.FocalLoss.predict_proba`); :func:`inverse_link` is the
    plain link.

    Parameters
    ----------
    booster, data
        As in :func:`predict_margin`.
    loss : FocalLoss, optional
        The loss the booster was trained with. A LightGBM Booster holds no loss; a
        model file written by :func:`save_model` does, and None reads it from there.
    num_iteration, num_threads, **params
        As in :func:`predict_margin` (keywords only).

    Returns
    -------
    ndarray of float64
        Shape (n_samples,), the probability of class 1, for a binary model;
        (n_samples, num_class), rows summing to 1, for a multiclass one.
    """
    _check_booster(booster)  # (before its loss is read from it)
    text = booster.model_to_string(num_iteration=1)  # (its header, read once)
    stored = _loss_in(text)
    if loss is None:
        loss = stored
        if loss is None:
            raise ValueError("the booster carries no focal loss (only a model file written "
                             "by focal_boost.lightgbm.save_model does): pass the loss, "
                             "predict_proba(booster, data, loss)")
    else:
        loss = _check_loss(loss)
        warn_given_loss(stored, loss, max(booster.num_model_per_iteration(), 2))
    check_link(booster, text)  # (after the loss: a booster without one says that first)
    return loss.predict_proba(check_model_margins(predict_margin(
        booster, data, num_iteration=num_iteration, num_threads=num_threads, **params)))


# LightGBM's kZeroThreshold (meta.h: the float 1e-35f held in a double): when it predicts,
# a feature value x with |x| <= it is read as 0
ZERO_THRESHOLD = float(np.float32(1e-35))


def zero_band(threshold: float) -> float:
    """The threshold that sends every value as LightGBM's prediction does, for readers
    of its trees that compare the value itself (ONNX, Treelite).

    LightGBM reads a value of a dense row within ``[-ZERO_THRESHOLD, ZERO_THRESHOLD]``
    as 0: a threshold in ``[-ZERO_THRESHOLD, 0)`` (LightGBM writes ``-ZERO_THRESHOLD``
    for a split between negative values and 0) sends the whole band right, one in
    ``[0, ZERO_THRESHOLD)`` sends it left. Other thresholds are kept. (A sparse
    matrix's stored values LightGBM compares as they are: its dense and sparse
    predictions of such a value differ.)
    """
    if -ZERO_THRESHOLD <= threshold < 0:
        return float(np.nextafter(-ZERO_THRESHOLD, -np.inf))
    if 0 <= threshold < ZERO_THRESHOLD:
        return ZERO_THRESHOLD
    return threshold


def rewrite_thresholds(text: str, rewrite: Callable[[float], float]) -> str:
    """The model text with every numerical threshold ``t`` of its trees replaced by
    ``rewrite(t)`` (categorical splits keep theirs), without the header's tree sizes,
    which no longer hold (LightGBM reads the text without them)."""
    def fix_tree(match) -> str:
        tree = match.group(0)
        kinds = re.search(r"^decision_type=(.*)$", tree, re.M)
        values = re.search(r"^threshold=(.*)$", tree, re.M)
        if kinds is None or values is None:  # a tree with one leaf
            return tree
        out = []
        for kind, value in zip(kinds.group(1).split(), values.group(1).split(), strict=True):
            # categorical: an index into the category sets
            out.append(value if int(kind) & 1 else repr(rewrite(float(value))))
        start, end = values.span(1)
        return tree[:start] + " ".join(out) + tree[end:]

    text = re.sub(r"^Tree=\d+$.*?(?=^Tree=|^end of trees)", fix_tree, text,
                  flags=re.M | re.S)
    return re.sub(r"^tree_sizes=.*\n", "", text, count=1, flags=re.M)


# The loss in a model file's parameters section; LightGBM keeps the line on loading.
_LOSS_LINE = re.compile(r"^\[focal_loss: gamma=(\S+) alpha=(\S+)\]$", re.M)


def model_to_string(booster: lgb.Booster, loss, *, num_iteration: int | None = None) -> str:
    """The model text of ``Booster.model_to_string``, saying what the model is.

    LightGBM writes ``[objective: custom]`` in the parameters section of a model
    trained with a custom objective, which converters and readers refuse
    (onnxmltools: "Unsupported LightGbm objective"). This text names there the link
    the margins were trained for and the loss, ``[objective: binary_focal]`` or
    ``[objective: multiclass_focal]`` and ``[focal_loss: gamma=2.0 alpha=0.25]``:
    converters that read the link by its prefix (onnxmltools) take the file, while SHAP's
    ``model_output="probability"``, which knows ``binary`` exactly and would apply
    its sigmoid, refuses it as it refuses a model in memory. The header
    keeps no ``objective=`` line: LightGBM reads the link to apply from the header,
    so ``lightgbm.Booster(model_file=...).predict`` still returns the raw margins
    (intercept included). The probabilities are the focal posterior of those
    margins, ``focal_boost.lightgbm.predict_proba(booster, X)`` (the loss read from
    the file), not their sigmoid / softmax, which is what a converter that trusts
    the objective would produce.

    Parameters
    ----------
    booster : lightgbm.Booster
        A model from :func:`train`.
    loss : FocalLoss
        The loss the booster was trained with, which the text names.
    num_iteration : int, optional
        Iterations to write, as in ``Booster.model_to_string``; None: up to the best
        iteration where early stopping set one, else all.

    Returns
    -------
    str
        The model text, as :func:`save_model` writes it to a file.
    """
    loss = _check_loss(loss)
    text = booster.model_to_string(num_iteration=num_iteration)
    link = ("binary" if booster.num_model_per_iteration() == 1 else "multiclass") + "_focal"
    alpha = loss.alpha
    if alpha is None:
        alpha_text = "None"
    elif isinstance(alpha, np.ndarray):
        alpha_text = ",".join(repr(float(a)) for a in alpha)
    else:
        alpha_text = repr(float(alpha))
    lines = f"[objective: {link}]\n[focal_loss: gamma={float(loss.gamma)!r} alpha={alpha_text}]"
    text = _LOSS_LINE.sub("", text)
    text, found = re.subn(r"^\[objective: .*\]$", lines, text, count=1, flags=re.M)
    if not found and "\nparameters:\n" in text:
        text = text.replace("\nparameters:\n", f"\nparameters:\n{lines}\n", 1)
    elif not found:  # a model text without the section (edited): one of its own
        section = f"parameters:\n{lines}\nend of parameters\n\n"
        at = text.find("pandas_categorical:")
        text = text + "\n" + section if at < 0 else text[:at] + section + text[at:]
    return text


def save_model(booster: lgb.Booster, filename, loss, *,
               num_iteration: int | None = None) -> None:
    """Write :func:`model_to_string` to ``filename``: a LightGBM model file that names
    its link and its focal loss and still predicts raw margins in plain LightGBM.

    Parameters
    ----------
    booster : lightgbm.Booster
        A model from :func:`train`.
    filename : str or path-like
        The file to write (UTF-8 text).
    loss : FocalLoss
        The loss the booster was trained with; :func:`predict_proba` and
        :func:`stored_loss` read it back from the file.
    num_iteration : int, optional
        Iterations to save, as in ``Booster.save_model``; None: up to the best
        iteration where early stopping set one, else all.
    """
    with open(filename, "w", encoding="utf-8") as f:
        f.write(model_to_string(booster, loss, num_iteration=num_iteration))


def stored_loss(booster: lgb.Booster):
    """The ``FocalLoss`` a model file written by :func:`save_model` names, else None.

    Parameters
    ----------
    booster : lightgbm.Booster
        A booster loaded from a model file or string (``lightgbm.Booster(model_file=...)``).

    Returns
    -------
    FocalLoss or None
        None for a booster whose text names no focal loss (one trained in this
        process and not saved, or saved by ``Booster.save_model``). A loss line
        this package did not write raises ``ValueError``.
    """
    return _loss_in(booster.model_to_string(num_iteration=1))


def _loss_in(text: str):
    """:func:`stored_loss` of a model's text (its first iteration's is enough)."""
    lines = re.findall(r"^\[focal_loss:.*$", text, re.M)
    if not lines:
        return None
    try:  # the line of an edited or damaged file: say which, never guess a loss
        if len(lines) > 1:
            raise ValueError("one line expected")
        match = _LOSS_LINE.fullmatch(lines[0])
        if match is None:
            raise ValueError("expected [focal_loss: gamma=<number> alpha=<alpha>]")
        gamma, alpha = match.groups()
        if alpha == "None":
            alpha = None
        elif "," in alpha:
            alpha = [float(a) for a in alpha.split(",")]
        else:
            alpha = float(alpha)
        return FocalLoss(float(gamma), alpha)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"the model's loss line {' / '.join(lines)!r} is not one this "
                         f"package wrote ({exc}); the model file was edited or "
                         "damaged") from None


def inverse_link(
    booster: lgb.Booster, data: Any, *, num_iteration: int | None = None,
    num_threads: int | None = None, **params: Any,
) -> np.ndarray:
    """The plain link of the margins: ``sigmoid`` (binary) or ``softmax`` (multiclass).

    What a log-loss model reports as probabilities; for a focal-trained model
    (``gamma > 0`` or ``alpha``) a score ranked like the class posterior, not the
    posterior (use :func:`predict_proba`).

    Parameters
    ----------
    booster, data, num_iteration, num_threads, **params
        As in :func:`predict_margin`.

    Returns
    -------
    ndarray of float64, shape (n_samples,) binary or (n_samples, num_class)
    """
    _check_booster(booster)
    check_link(booster)
    return FocalLoss(0.0).inverse_link(predict_margin(booster, data, num_iteration=num_iteration,
                                                      num_threads=num_threads, **params))


# LightGBM's objectives whose probabilities are the sigmoid (of scale 1) or the softmax of
# the raw scores; a custom objective's model names none
_PLAIN_LINKS = ("binary", "multiclass", "cross_entropy")


def check_link(booster: lgb.Booster, text: str | None = None) -> None:
    """Refuse a model whose probabilities are not the sigmoid or softmax of its raw
    scores, which predict_proba and inverse_link apply: LightGBM's random forest
    (``average_output``: it divides the sum of the trees by their number), a sigmoid of
    another scale (``sigmoid:2``), one-vs-all multiclass (``multiclassova``),
    ``cross_entropy_lambda``, objectives of regression or ranking. They came out as
    probabilities up to 0.4 off ``booster.predict``, silently. ``text``: the model's
    text, where the caller has it (its first iteration's is enough)."""
    if text is None:
        text = booster.model_to_string(num_iteration=1)
    header = text.split("\nTree=", 1)[0]
    reasons = []
    objective = re.search(r"^objective=(.*)$", header, re.M)
    if objective is not None:
        name, *options = objective.group(1).split()
        scales = [option.partition(":")[2] for option in options
                  if option.startswith("sigmoid:")]
        if name not in _PLAIN_LINKS or any(float(scale) != 1.0 for scale in scales):
            reasons.append(f"its objective is {objective.group(1)!r}")
    if re.search(r"^average_output$", header, re.M):
        reasons.append("it is a random forest (boosting='rf'), which averages its trees")
    if reasons:
        raise ValueError(
            f"the booster's probabilities are not the sigmoid or softmax of its raw scores "
            f"({' and '.join(reasons)}): booster.predict(data) gives them; "
            "focal_boost.lightgbm.predict_margin gives the raw scores")


# --------------------------------------------------------------------- helpers
def _threads(params: Mapping[str, Any]) -> int | None:
    """LightGBM's ``num_threads`` in ``params`` (main name), when positive (0: its default)."""
    return thread_bound(params.get("num_threads"))  # ("2" too, as LightGBM reads it)


# What LightGBM applies through its built-in objectives only: taken at the default, which
# does nothing, else refused (the main name: its default and why)
_CLASS_WEIGHTS = "weigh the classes with the loss's alpha"
_BALANCED_BAGGING = ("LightGBM's balanced bagging needs its own binary objective; use "
                     "bagging_fraction, and weigh the classes with the loss's alpha")
_IGNORED_BY_CUSTOM_OBJECTIVES = {
    "is_unbalance": (False, _CLASS_WEIGHTS),
    "scale_pos_weight": (1.0, _CLASS_WEIGHTS),
    "pos_bagging_fraction": (1.0, _BALANCED_BAGGING),
    "neg_bagging_fraction": (1.0, _BALANCED_BAGGING),
    # its binary objective scales the link by it (LGBMClassifier(sigmoid=2) learns scores
    # of half the size); the focal loss's link is the plain sigmoid
    "sigmoid": (1.0, "the focal loss's link is the plain sigmoid; leave it at 1"),
    # its Huber and quantile losses' parameter, not a class weight (lgb.train ignores it
    # without a word under a custom objective: a focal alpha meant here would be lost)
    "alpha": (0.9, "LightGBM's alpha is its Huber and quantile losses' parameter; the "
                   "focal loss's class weight is the loss's alpha, focal_loss(gamma, alpha)"),
    "multi_error_top_k": (1, "the focal models' multi_error is the top-1 error of the "
                             "posterior; score top-k with an eval_metric callable"),
    # LGBMClassifier's predictions stop early by margin with a built-in objective only
    "pred_early_stop": (False, "LightGBM stops predictions early only for its built-in "
                               "objectives; a custom objective's model sums all its trees"),
}


# Read by lightgbm.train in Python (by its truth), never by LightGBM's parameter text
_READ_BY_PYTHON = frozenset({"first_metric_only"})


def check_text_values(params: Mapping[str, Any]) -> None:
    """Refuse a value given as text that starts with a space: LightGBM splits its
    parameter text at spaces, so ``" false"`` or ``" 100"`` is no value there and the
    parameter keeps its default, without a word (where this package would read it)."""
    for key, value in params.items():
        if key in _READ_BY_PYTHON:
            continue
        if isinstance(value, str) and value != value.lstrip():
            raise ValueError(f"{key}={value!r}: LightGBM ignores a value that starts with "
                             "a space (the default applies); write it without")


def check_ignored(params: Mapping[str, Any],
                  mains: Iterable[str] = tuple(_IGNORED_BY_CUSTOM_OBJECTIVES)) -> None:
    """Refuse the parameters ``mains`` (of :data:`_IGNORED_BY_CUSTOM_OBJECTIVES`) under
    any spelling, unless at their default, which does nothing; named as in ``params``
    (the estimators check the spellings their users typed, before resolving aliases)."""
    for main in mains:
        default, why = _IGNORED_BY_CUSTOM_OBJECTIVES[main]
        for key in aliases(main):
            value = params.get(key)
            valid = ""
            if isinstance(default, bool):
                try:
                    at_default = value is not None and as_bool(value, default, key) is default
                except ValueError:  # a value LightGBM refuses (0, "yes"): say so too
                    at_default, valid = False, " (and LightGBM takes only true or false)"
            else:  # a number, or its text as LightGBM reads it
                at_default = is_number(value, default)
            if value is not None and not at_default:
                raise ValueError(f"{key}={value!r} has no effect with a custom "
                                 f"objective: {why}{valid}")


# Booster.predict's output kind and iterations, under every spelling: not prediction
# parameters here (raw margins with the intercept, which the first trees hold)
_OUTPUT_OPTIONS = frozenset().union(
    {"raw_score", "pred_leaf", "pred_contrib", "start_iteration", "num_iteration"},
    *(aliases(main) for main in ("predict_raw_score", "predict_leaf_index", "predict_contrib",
                                 "start_iteration_predict", "num_iteration_predict")))


def check_predict_params(params: Mapping[str, Any], where: str = "predict_margin",
                         instead: str = "call booster.predict for LightGBM's other "
                                        "outputs") -> None:
    """Refuse prediction parameters that do nothing for a focal model
    (``pred_early_stop``: LightGBM applies it to its built-in objectives only) or
    that would change what ``where`` returns (the output kind, the iterations:
    raw margins from the first iteration hold the intercept); ``instead`` says what
    to do."""
    check_ignored(params, ("pred_early_stop",))
    output = sorted(_OUTPUT_OPTIONS & set(params))
    if output:
        raise TypeError(f"{where} does not take {output} as LightGBM prediction "
                        f"parameters: {instead}")


def _training_params(params: Mapping[str, Any]) -> tuple[dict[str, Any], int]:
    """A copy of ``params`` for a focal-loss model, and its ``num_class`` (1: binary).

    Refuses what a custom objective ignores or replaces and normalises ``num_class``;
    the caller sets the objective.
    """
    check_text_values(params)
    params = dict(params)
    check_ignored(params)
    for main in ("is_unbalance", "scale_pos_weight"):
        for key in aliases(main):
            params.pop(key, None)  # at its default: not handed on
    for key in aliases("objective"):
        if params.get(key) is not None:
            raise ValueError(
                f"params[{key!r}] must not be set: the focal loss is the objective "
                f"(got {params[key]!r})"
            )
        params.pop(key, None)
    n_classes = _num_class(params)
    for key in aliases("num_class"):
        params.pop(key, None)
    # one spelling per parameter, as LightGBM resolves them (num_class: checked above)
    params = resolve_aliases(params, stacklevel=caller_level())
    if n_classes > 1:
        params["num_class"] = n_classes
    return params, n_classes


# LightGBM metrics that stay right on raw scores (rankings), and its spellings of none.
_SCORE_METRICS = {"auc", "average_precision", "auc_mu"}  # (besides NO_METRIC's names)


def _check_metric_names(params: Mapping[str, Any]) -> None:
    """Refuse built-in metrics that LightGBM would compute on raw scores: under a
    custom objective it applies no link, so ``binary_logloss`` came out 1.42 where the
    model's is 0.27, and early stopping followed it."""
    for key in aliases("metric") & params.keys():
        refuse_focal_metric_name(named_metrics(params[key]), f"params[{key!r}]",
                                 f"lgb.record_evaluation's [set][{METRIC_NAME!r}]")
    bad = [name for key in aliases("metric") & params.keys()
           for name in named_metrics(params[key])
           if not (isinstance(name, str) and name in _SCORE_METRICS)]
    if bad:
        raise ValueError(
            f"params['metric'] {bad}: under a custom objective LightGBM computes its "
            "metrics on raw scores, which gives wrong values for any but 'auc', "
            "'average_precision' and 'auc_mu' (rankings); use FocalLGBMClassifier and "
            "fit(eval_metric=...), which computes them on the posterior probabilities, or "
            "pass feval=f(preds, dataset) that scores the loss's predict_proba(preds)"
        )


def _without_learning_rate(callback: Callable) -> Callable | None:
    """``callback``, a ``lgb.reset_parameter`` one less its learning-rate schedule
    (None when nothing else is left)."""
    kwargs = getattr(callback, "kwargs", None)
    if not (isinstance(callback, lgb.callback._ResetParameterCallback)
            and isinstance(kwargs, dict) and aliases("learning_rate") & kwargs.keys()):
        return callback
    rest = {key: value for key, value in kwargs.items() if key not in aliases("learning_rate")}
    return lgb.reset_parameter(**rest) if rest else None


def boosting_type(params: Mapping[str, Any]) -> str:
    """LightGBM's ``boosting`` in ``params`` as LightGBM reads it: any case, its
    aliases' values under the main name (``"random_forest"`` is ``"rf"``, ``"gbrt"``
    ``"gbdt"``); ``"gbdt"`` when not set."""
    value = str(param_value(params, "boosting", "gbdt")).strip().lower()
    return {"random_forest": "rf", "gbrt": "gbdt"}.get(value, value)


def is_random_forest(params: Mapping[str, Any]) -> bool:
    return boosting_type(params) == "rf"


def _num_class(params: dict[str, Any]) -> int:
    """``num_class`` from params (1, binary, when absent)."""
    values = {key: params[key] for key in aliases("num_class") if params.get(key) is not None}
    if not values:
        return 1
    ks = set()
    for key, value in values.items():
        k = None
        if isinstance(value, numbers.Integral) and not isinstance(value, bool):
            k = int(value)
        elif isinstance(value, str) and value.strip().isdigit():  # LightGBM parses strings
            k = int(value)
        if k is None or k < 1:
            raise ValueError(f"params[{key!r}] must be an integer >= 1, got {value!r}")
        ks.add(k)
    if len(ks) > 1:
        raise ValueError(f"params set different numbers of classes: {values}")
    return ks.pop()


def _is_constructed(ds: lgb.Dataset) -> bool:
    # A Dataset whose construction failed keeps a NULL handle that is not None, and
    # LightGBM's C API crashes on it: look at the handle, never call through it.
    handle = getattr(ds, "_handle", None)
    return handle is not None and bool(getattr(handle, "value", handle))


def _no_usable_feature(ds: lgb.Dataset) -> bool:
    """True when the constructed ``ds`` kept no feature with a bin to split on."""
    return _is_constructed(ds) and not any(
        ds.feature_num_bin(i) for i in range(ds.num_feature())
    )


def _no_split_reasons(run: TrainingRun) -> str:
    """What can stop every split of a model: the settings that do (at their values),
    and the focal Hessians' scale at gamma > 0."""
    params = run.params
    reasons = []
    if as_bool(param_value(params, "use_quantized_grad", False), False, "use_quantized_grad"):
        bins = param_value(params, "num_grad_quant_bins", 4)
        reasons.append(f"use_quantized_grad rounds the gradients to num_grad_quant_bins={bins} "
                       "levels, which can stop every split; raise it or set "
                       "use_quantized_grad=False")
    hessian = number_value(params, "min_sum_hessian_in_leaf", 1e-3)  # LightGBM's default
    if run.loss.gamma > 0 and hessian > 0:
        reasons.append(f"focal Hessians are about (1 - pt)**gamma times the logistic ones "
                       f"(times alpha), so min_sum_hessian_in_leaf (min_child_weight)="
                       f"{hessian} can stop every split; lower it")
    elif hessian > 1e-3:
        reasons.append(f"min_sum_hessian_in_leaf (min_child_weight)={hessian} stops splits "
                       "of leaves with a smaller Hessian sum")
    rows = number_value(params, "min_data_in_leaf", 20)
    if rows > 20 and not run.loss.gamma > 0:  # (LightGBM's default; at gamma > 0 below)
        reasons.append(f"min_data_in_leaf (min_child_samples)={rows:g} can stop every split")
    for name, sklearn_name, default in (("min_gain_to_split", "min_split_gain", 0.0),
                                        ("lambda_l1", "reg_alpha", 0.0),
                                        ("cegb_penalty_split", None, 0.0)):
        value = param_value(params, name, None)
        if value is not None and float(value) > default:
            named = f"{name} ({sklearn_name})" if sklearn_name else name
            reasons.append(f"{named}={value} can stop every split")
    fraction = number_value(params, "bagging_fraction", 1.0)
    if number_value(params, "bagging_freq", 0) > 0 and fraction < 1:
        # (a random forest's bags: one too small for min_data_in_leaf grows no tree)
        reasons.append(f"bagging_fraction (subsample)={fraction} grows each tree on that "
                       "share of the rows, which can leave too few for every split; raise it")
    # penalties in gain units, which focal gains (about (1 - pt)**gamma times the
    # logistic ones) may not reach where log-loss gains do
    penalties = [name for name in ("cegb_penalty_feature_coupled", "cegb_penalty_feature_lazy")
                 if _any_positive(param_value(params, name, None))]
    tradeoff = param_value(params, "cegb_tradeoff", 1.0)
    if penalties and float(tradeoff) > 0:  # (0 turns them off)
        reasons.append(f"{' and '.join(penalties)} (times cegb_tradeoff="
                       f"{tradeoff}) can stop every split; "
                       "lower them or cegb_tradeoff")
    if run.loss.gamma > 0 and rows > 0:
        # LightGBM's histograms hold no row counts: a side's rows are estimated from its
        # share of the Hessian sum, so rows of small focal Hessians count as fewer (a
        # split of 40 rows, 8 positives, made none at the default 20)
        reasons.append(f"LightGBM counts a leaf's rows by its share of the Hessian sum, "
                       f"in which the rows the model fits well weigh little, so "
                       f"min_data_in_leaf (min_child_samples)={rows:g} can stop every "
                       "split on few rows; lower it")
    return "; ".join([*reasons, "check that the features carry information and that more "
                                "than one class has sample weight"])


def _any_positive(values: Any) -> bool:
    """Whether a per-feature parameter (a sequence, or text "1,0.5") has a value > 0."""
    if isinstance(values, str):
        values = values.replace(",", " ").split()
    try:
        return values is not None and any(float(v) > 0 for v in np.ravel(values))
    except (TypeError, ValueError):  # LightGBM refuses it as it reads it
        return False


def param_value(params: Mapping[str, Any], name: str, default: Any) -> Any:
    """The value LightGBM takes for its parameter ``name`` from ``params``, given under
    any spelling; where several are given, the one :func:`resolve_aliases` keeps (a
    None one only where all are None)."""
    keys = [key for key in params if main_name(key) == main_name(name)]
    return params[_taken_spelling(main_name(name), params, keys)] if keys else default


def number_value(params: Mapping[str, Any], name: str, default: float) -> float:
    """:func:`param_value` read as a number; None (which the estimators pass for a
    parameter left at its default) is LightGBM's ``default``."""
    value = param_value(params, name, None)
    return default if value is None else as_number(value, name)


def as_bool(value: Any, default: bool = False, name: str = "the parameter") -> bool:
    """A LightGBM boolean parameter's value as LightGBM's configuration reads it:
    ``True`` / ``False``, or the text ``"true"`` / ``"+"`` and ``"false"`` / ``"-"`` in
    any case (``bool("false")`` would be True); None or ``""``: ``default``. Anything
    else (``"yes"``, 0) LightGBM refuses, and so does this, naming ``name``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    if isinstance(value, bool | np.bool_):
        return bool(value)
    check_text_values({name: value})  # (also read from a Dataset's or a model's params)
    text = str(value).strip().lower() if isinstance(value, str) else None
    if text in ("true", "+"):
        return True
    if text in ("false", "-"):
        return False
    raise ValueError(f"{name}={value!r}: LightGBM takes true or false (or the text "
                     "'true' / 'false', '+' / '-')")


def _builtin_params(params, n_classes) -> dict[str, Any]:
    """``params`` with LightGBM's built-in binary / multiclass objective and no metric
    in place of the focal ones, and no early stopping (which, without a metric, LightGBM
    refuses: "at least one dataset and eval metric is required")."""
    dropped = set().union(*map(aliases, ("objective", "metric", "early_stopping_round",
                                         "first_metric_only", "early_stopping_min_delta")))
    builtin = {key: value for key, value in params.items() if key not in dropped}
    builtin.update(objective="binary" if max(n_classes, 1) == 1 else "multiclass",
                   metric="None")
    return builtin


def _constant_booster(params, train_set, intercept, n_classes) -> lgb.Booster:
    """A Booster of one constant tree per class, leaves ``intercept`` (0 when None).

    Grown by LightGBM's built-in objective, which handles data without a usable
    feature, then rewritten as a custom-objective model (raw scores from ``predict``,
    as every model of :func:`train`).
    """
    k = max(n_classes, 1)
    # its one tree's leaves are replaced: bagging, which fails where it draws no row
    # (one row, say), has nothing to do here (a random forest is trained as gbdt,
    # prepare's, so none needs bagging here)
    params = {key: value for key, value in _builtin_params(params, n_classes).items()
              if key not in aliases("bagging_freq")}
    booster = lgb.train(params, train_set, num_boost_round=1)
    for j, c in enumerate(np.zeros(k) if intercept is None else intercept):
        booster.set_leaf_output(j, 0, float(c))
    lines = [
        "[objective: custom]" if line.startswith("[objective: ") else line
        for line in booster.model_to_string().splitlines()
        if not line.startswith("objective=")
    ]
    return lgb.Booster(model_str="\n".join(lines) + "\n")


def _check_labels(y_true, name: str = "train_set") -> None:
    """Refuse missing labels, which LightGBM silently trains (or scores) as class 0;
    ``name``: the Dataset's, in the message."""
    if y_true is None:
        return
    use = "train" if name == "train_set" else "score"
    if np.ndim(y_true) == 2 and np.shape(y_true)[1] != 1:
        raise ValueError(
            f"{name} has labels of shape {np.shape(y_true)}: LightGBM takes one label "
            "per row; for multi-label targets train one model per label (FocalLGBMClassifier "
            "in sklearn.multioutput.MultiOutputClassifier) or use focal_boost.xgboost"
        )
    kind = getattr(getattr(y_true, "dtype", None), "kind", "f")
    try:
        numbers = np.asarray(y_true, dtype=np.float64)
    except (TypeError, ValueError):  # not numbers: refused below, or LightGBM says
        numbers = None
    # numbers held in an object array are numbers: lgb.Dataset casts it to float too
    held = kind == "O" and isinstance(y_true, np.ndarray) and numbers is not None
    if kind not in "iufb" and not held:  # a category, text or object Series or array
        raise ValueError(
            f"{name} has labels of dtype {y_true.dtype}: give the class indices "
            "0..num_class-1 as numbers (int, float or bool); encode them first (e.g. "
            "sklearn.preprocessing.LabelEncoder, or FocalLGBMClassifier, which takes any)"
        )
    if numbers is None:
        return
    missing = np.flatnonzero(np.isnan(numbers))
    if missing.size:
        raise ValueError(
            f"{name} has {missing.size} NaN label{'s' if missing.size > 1 else ''} "
            f"(rows {first_rows(missing)}); LightGBM would {use} them as class 0: drop those "
            "rows or give them a label"
        )


def _check_weights(ds: lgb.Dataset, name: str) -> None:
    """Refuse row weights outside [0, 1e38), by the Dataset's name: LightGBM
    trains a NaN weight as 0 and clips the others to +-1e38 without a word, and the loss
    would name its own argument, sample_weight."""
    _check_weight_values(
        ds.weight if ds.weight is not None or not _is_constructed(ds) else ds.get_weight(),
        name)


def _check_init_score(ds: lgb.Dataset, name: str) -> None:
    """Refuse the start margins given to the Dataset ``name`` (its ``init_score``) that
    are not finite, naming the first such row, as ``focal_boost.xgboost.train`` refuses
    a DMatrix's base_margin: LightGBM trains a NaN one as 0 without a word. A flat array
    of several classes is read class by class, as LightGBM reads it."""
    if ds.init_score is None:
        return
    try:
        margins = np.asarray(ds.init_score, dtype=np.float64)
    except (TypeError, ValueError):  # not numbers: LightGBM says
        return
    n_rows = np.shape(ds.label)[0] if ds.label is not None else len(margins)
    if margins.ndim == 1 and n_rows and margins.size != n_rows and not margins.size % n_rows:
        margins = margins.reshape(-1, n_rows).T  # (class-major: a column per class)
    if len(margins) == n_rows:  # (other shapes: LightGBM's own refusal)
        check_start_margins(margins, n_rows, f"{name}'s init_score")


def _check_weight_values(weight, name: str) -> None:
    """:func:`_check_weights` of the weights read from the Dataset ``name``."""
    if weight is None:
        return
    try:
        numbers = np.asarray(weight, dtype=np.float64).ravel()
    except (TypeError, ValueError):  # not numbers: LightGBM says
        return
    # (a Dataset LightGBM built holds its weights clipped to +-1e38, NaN made 0)
    bad = np.flatnonzero(~(np.abs(numbers) < np.float32(1e38)) | (numbers < 0))
    if bad.size:
        raise ValueError(
            f"{name} has {bad.size} weight{'s' if bad.size > 1 else ''} outside [0, 1e38) "
            f"(rows {first_rows(bad)}, e.g. {numbers[bad[0]]:g}): give every row a weight "
            ">= 0 below 1e38, LightGBM's infinity (it would train a NaN weight as 0, an "
            "infinite one as 1e38, a negative one as it is)")


def _labels_and_weights(ds: lgb.Dataset, name: str):
    # the labels as given, in full precision (LightGBM keeps float32); the weights from
    # LightGBM once it holds them: a Dataset read from a file (its .weight file), a
    # binary Dataset or a subset has its weights there only, with its labels in memory
    # after construct()
    label = ds.label
    if isinstance(label, np.ndarray) and label.dtype == object:  # numbers (_check_labels)
        label = label.astype(np.float64)
    if _is_constructed(ds):
        return (ds.get_label() if label is None else label), ds.get_weight()
    if label is not None:
        # the weights as LightGBM will hold and train on them: float32 (a start from
        # float64 weights was 5e-10 off lgb.train's binary model at gamma 0, 0.2 with
        # weights across 1e+-20); what does not convert is refused by intercept, by name
        weight = ds.weight
        if weight is not None:
            with contextlib.suppress(TypeError, ValueError):
                weight = np.asarray(weight, dtype=np.float32)
                if weight.ndim == 2 and weight.shape[1] == 1:  # LightGBM takes a column
                    weight = weight.ravel()
        return label, weight
    raise ValueError(f"{name} holds no labels in memory: call {name}.construct() first")


def _num_rows(ds: lgb.Dataset, name: str) -> int:
    if _is_constructed(ds):
        return ds.num_data()
    return int(np.size(_labels_and_weights(ds, name)[0]))


def _current_init_score(ds: lgb.Dataset):
    if ds.init_score is not None or not _is_constructed(ds):
        return ds.init_score
    return ds.get_field("init_score")


def _restore_init_score(ds: lgb.Dataset, original) -> None:
    if not _is_constructed(ds):  # also a failed construction: no C call on its handle
        ds.init_score = original
    elif original is not None:
        ds.set_init_score(original)
    else:
        ds.init_score = None
        ds.set_field("init_score", None)  # set_init_score(None) leaves the C++ field as is


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


def has_linear_trees(text: str) -> bool:
    """Whether a model's text (``Booster.model_to_string()``) holds linear trees, which
    the exporters' converters (onnxmltools, Treelite) do not read."""
    return re.search(r"^is_linear=1", text, re.M) is not None


def _is_linear(params: dict[str, Any], ds: lgb.Dataset | None) -> bool:
    # the training parameters merged into the Dataset's, the winning spelling taken,
    # as LightGBM reads them
    merged = {**((ds.params if ds is not None else None) or {}), **params}
    keys = [key for key in merged if key in aliases("linear_tree")]
    return bool(keys) and as_bool(merged[_taken_spelling("linear_tree", merged, keys)],
                                  False, "linear_tree")


class _LiveIntercept:
    """After the first round, the intercept into the first trees' leaves, so that the
    model the callbacks see (``env.model``: a checkpoint saved or pickled, a score of
    its predictions) is the model training returns, as with LightGBM's own start
    (``boost_from_average`` puts it in the first trees). The training scores already
    hold it (the Datasets' ``init_score``) and ``set_leaf_output`` leaves them as they
    are. Not with DART, which drops and rescales trees (the intercept would go with
    them), nor linear trees (``set_leaf_output`` does not reach their ``leaf_const``):
    there :func:`finish` adds it (:func:`_bakes_live` decides, for both).
    """

    def __init__(self, run: TrainingRun) -> None:
        self.run = run
        # first among the callbacks: lgb.train numbers the caller's from -len(callbacks)
        self.order = -(2**31)
        self.before_iteration = False

    def __call__(self, env) -> None:
        if env.iteration == env.begin_iteration and _bakes_live(self.run, env.model):
            _bake_intercept(env.model, self.run.intercept)


def _bakes_live(run: TrainingRun, booster: lgb.Booster) -> bool:
    """Whether :class:`_LiveIntercept` put ``run``'s intercept into ``booster``'s first
    trees after the first round (an intercept, not DART, first trees not linear)."""
    return (run.intercept is not None
            and boosting_type(run.params) != "dart"
            and "is_linear=1" not in booster.model_to_string(num_iteration=1))


def _bake_intercept(booster: lgb.Booster, intercept: np.ndarray) -> None:
    """Add ``intercept[j]`` to every leaf of tree ``j`` (iteration 0, class ``j``).

    LightGBM always keeps the first iteration's trees (as constant trees if
    they could not split), so tree ``j`` exists for every class.
    """
    # each tree's leaf count from the model text (dump_model's JSON holds the feature
    # names unescaped: one with a tab or a line break in it cannot be parsed)
    leaves = [int(n) for n in re.findall(r"^Tree=\d+\nnum_leaves=(\d+)$",
                                         booster.model_to_string(num_iteration=1), re.M)]
    if len(leaves) != len(intercept):
        raise RuntimeError(
            f"expected {len(intercept)} trees in the first iteration, found {len(leaves)}"
        )
    for j, c in enumerate(intercept):
        if c == 0.0:
            continue
        for leaf in range(leaves[j]):
            booster.set_leaf_output(j, leaf, booster.get_leaf_output(j, leaf) + float(c))


def _check_continued_outputs(booster: lgb.Booster, n_classes: int) -> None:
    """Refuse to continue a model of other classes (LightGBM stops with "Number of class
    for initial score error"); ``n_classes`` is the run's ``num_class``."""
    trees = booster.num_model_per_iteration()
    if trees == max(n_classes, 1):
        return
    # in the words of XGBoost's twin: classes, which both front ends have (the
    # estimators set no num_class)
    # (2 classes either way where num_class=2 asks for a two-margin softmax)
    have = ("2 classes (binary, one margin)" if trees == 1 else
            "2 classes (softmax, two margins)" if trees == 2 else f"{trees} classes")
    want = ("2 classes (binary, one margin)" if n_classes <= 1 else
            "2 classes with params['num_class']=2 (softmax, two margins)" if n_classes == 2
            else f"{n_classes} classes")
    raise ValueError(
        f"init_model was trained on {have}, but the training labels are {want}: continue "
        "a model of the same classes, or leave init_model out to train a new one"
    )


def _check_random_forest(params, validated: bool, linear: bool) -> None:
    """LightGBM's own conditions on random-forest mode, and what the emulation lacks
    (``linear``: linear trees, as the training Dataset's own parameters may set them)."""
    strategy = param_value(params, "data_sample_strategy", "bagging")
    if str(strategy).strip().lower() == "goss":
        # LightGBM's forest takes GOSS; GOSS samples nothing for the first 1/learning_rate
        # rounds, and the emulation's learning rate is 1/num_boost_round: never
        raise ValueError(
            "boosting='rf' with focal loss takes no data_sample_strategy='goss' (LightGBM's "
            "own forest does): the forest is grown as gbdt rounds of learning rate "
            "1/num_boost_round (1/n_estimators), in which GOSS never samples; use "
            "data_sample_strategy='bagging' with bagging_freq > 0 and 0 < bagging_fraction < "
            "1 (subsample_freq and subsample in the estimators)"
        )
    # (numbers, or their text as LightGBM reads it)
    bagging_freq, bagging_fraction, feature_fraction = (
        number_value(params, name, default) for name, default in (
            ("bagging_freq", 0), ("bagging_fraction", 1.0), ("feature_fraction", 1.0)))
    if not ((bagging_freq > 0 and 0.0 < bagging_fraction < 1.0)
            or 0.0 < feature_fraction < 1.0):
        raise ValueError(
            "boosting='rf' needs bagging (bagging_freq > 0 and 0 < bagging_fraction < 1; "
            "subsample_freq and subsample in the estimators) or 0 < feature_fraction < 1 "
            "(colsample_bytree), as in LightGBM"
        )
    if linear:
        # gbdt fits no linear model in its first tree: the forest's tree 0 would lack one
        raise ValueError(
            "boosting='rf' with focal loss takes no linear_tree: each round is a gbdt "
            "round, and LightGBM's first gbdt tree has no linear leaves (the forest would "
            "differ from LightGBM's); use boosting='gbdt' or set linear_tree=False"
        )
    if validated:
        raise ValueError(
            "boosting='rf' with focal loss takes no validation data (valid_sets; eval_set "
            "in the estimators), early stopping or init_model: each round adds "
            "1/num_boost_round (1/n_estimators) of a tree, so only the whole forest is a "
            "model to validate"
        )


def check_monotone_categories(params: Mapping[str, Any], data: Any,
                              categorical_feature: Any = "auto",
                              feature_name: Any = "auto") -> None:
    """Refuse a monotone constraint on a categorical feature before LightGBM builds the
    Dataset of ``data``. LightGBM cannot keep one: building such a Dataset from all the
    rows in one process it raises a fatal error ("The output cannot be monotone with
    respect to categorical features") inside a parallel loop, which aborts that process
    (``terminate called``), ``lgb.train`` and ``LGBMClassifier`` alike (on Dask, a
    worker that holds all the rows, and the fit waits); rows from a file, a subset, or
    spread over several workers it trains without a word. Refused wherever the
    categorical features are known before training.

    The categorical features are found as ``lgb.Dataset`` finds them: those of a list
    ``categorical_feature``, by index (a Python int) or name (``"auto"``: a DataFrame's
    unordered category columns; ordered ones are numbers to LightGBM); where that names
    none, the indices of the ``categorical_feature`` parameter in ``params``. Anything
    else (names LightGBM cannot find, other types) is left to LightGBM's own error.

    Parameters
    ----------
    params : mapping
        The training parameters with the Dataset's (``monotone_constraints`` and
        ``categorical_feature`` under any spelling).
    data : array-like, DataFrame, path or None
        The rows (a frame may be empty: its columns' dtypes are read; a subset's are its
        reference's).
    categorical_feature, feature_name : list or "auto", default="auto"
        As given to ``lgb.Dataset``.
    """
    values = param_value(params, "monotone_constraints", None)
    if isinstance(values, str):
        values = values.replace(",", " ").split()
    try:
        constrained = {i for i, v in enumerate(np.ravel(values)) if float(v) != 0}
    except (TypeError, ValueError):  # (None, or what LightGBM refuses as it reads it)
        return
    if not constrained:
        return
    frame = hasattr(data, "columns") and hasattr(data, "dtypes")
    names = (list(feature_name) if isinstance(feature_name, list)
             else [str(c) for c in data.columns] if frame else [])
    categorical: set[int] = set()
    if isinstance(categorical_feature, str):  # "auto": a DataFrame's category columns
        categorical = {i for i, dtype in enumerate(data.dtypes if frame else [])
                       if str(dtype) == "category" and not dtype.ordered}
    elif isinstance(categorical_feature, list):  # (lgb.Dataset reads no other kind)
        if not all(type(f) is int or (isinstance(f, str) and f in names)
                   for f in categorical_feature):
            return  # LightGBM's TypeError names it
        categorical = {f if type(f) is int else names.index(f) for f in categorical_feature}
    if not categorical:  # lgb.Dataset then passes the parameter on: indices
        value = param_value(params, "categorical_feature", None)
        items = (value.split(",") if isinstance(value, str)
                 else list(np.ravel(value)) if value is not None else [])
        categorical = {int(v) for v in items if str(v).strip().isdigit()}
    both = sorted(constrained & categorical)
    if both:
        where = (f"{[names[i] for i in both]} (index {both})"
                 if len(names) > both[-1] else f"at index {both}")
        raise ValueError(
            f"monotone_constraints constrains categorical feature(s) {where}: LightGBM "
            "cannot make the output monotone in a categorical feature (building such a "
            "Dataset from all the rows aborts the process that builds it); set their "
            "constraints to 0, leave them out of categorical_feature, or pass such a "
            "column as numbers (or an ordered category)"
        )


def _num_features(ds: lgb.Dataset) -> int | None:
    """The feature count of ``ds``: built, its own; else its rows' columns (a subset's
    are its reference's); None where not known before it is built (a file)."""
    if _is_constructed(ds):
        return ds.num_feature()
    subset = ds.data is None and isinstance(ds.reference, lgb.Dataset)
    data = ds.reference.data if subset else ds.data
    shape = getattr(data, "shape", None)
    return int(shape[1]) if shape is not None and len(shape) == 2 else None


def check_interaction_constraints(params: Mapping[str, Any], n_features: int | None) -> None:
    """Refuse a feature index in ``interaction_constraints`` (any spelling) outside
    ``0 .. n_features - 1`` (None: not known yet, nothing checked). LightGBM reads past
    its arrays on such an index: ``[[0, 9]]`` on 5 features grows trees that split on
    feature 4, which no constraint names, from one run to the next, and now and then
    ends the process (a segmentation fault), ``lgb.train`` and ``LGBMClassifier``
    alike; XGBoost refuses such an index. Indices only: anything else is LightGBM's to
    read."""
    value = param_value(params, "interaction_constraints", None)
    if n_features is None or value is None:
        return
    if isinstance(value, str):  # as LightGBM reads it: "[0,1],[2,3]"
        items = re.findall(r"[-+]?\d+(?:\.\d*)?", value)
    else:
        try:
            items = [v for group in value for v in np.ravel(group)]
        except (TypeError, ValueError):  # (no list of lists of numbers: LightGBM's to read)
            return
    # as LightGBM reads their text: "9.0" (and 9.7) is feature 9
    texts = [str(v).strip() for v in items]
    indices = [int(float(t)) for t in texts if re.fullmatch(r"[-+]?\d+(\.\d*)?", t)]
    bad = sorted({i for i in indices if not 0 <= i < n_features})
    if bad:
        raise ValueError(
            f"interaction_constraints {value!r} names feature index(es) {bad}, but the "
            f"data has {n_features} feature(s) (indices 0 to {n_features - 1}): LightGBM "
            "reads past its arrays on such an index (trees then split on features no "
            "constraint names, and the process may crash); give indices of columns of X"
        )


def _shifted_model(booster: lgb.Booster, shift: dict[int, float], *,
                   leaves: bool = True) -> str:
    """The text of ``booster`` (as ``model_to_string()``) with ``shift[t]`` added to
    every node of tree ``t``: leaf values, the constant term of linear-tree leaves
    (``leaf_const``, which ``set_leaf_output`` does not reach) and internal values;
    ``leaves=False``: the internal values only (the leaves hold it already)."""
    text = booster.model_to_string()
    if not shift:
        return text
    # the shifted trees come first; the others are copied as they are
    cut = text.find(f"\nTree={max(shift) + 1}\n")
    head, tail = (text, "") if cut < 0 else (text[:cut], text[cut:])
    # Without tree_sizes (byte counts of the original tree blocks) LightGBM reads the
    # trees one after another, so edited numbers may change length.
    lines = [line for line in head.split("\n") if not line.startswith("tree_sizes=")]
    tree = None
    for i, line in enumerate(lines):
        if line.startswith("Tree="):
            tree = int(line[5:])
        elif tree in shift and line.startswith(
                ("leaf_value=", "leaf_const=", "internal_value=") if leaves
                else ("internal_value=",)):
            key, values = line.split("=", 1)
            lines[i] = key + "=" + " ".join(
                repr(float(v) + float(shift[tree])) for v in values.split())
    return "\n".join(lines) + tail
