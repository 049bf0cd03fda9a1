"""scikit-learn classifiers trained with focal loss: FocalXGBClassifier, FocalLGBMClassifier.

Both share one base class: label encoding, the ``alpha`` and ``gamma`` of the loss, the
focal-optimal intercept, evaluation sets, probabilities and the estimator protocol.
The subclasses only translate parameters and call the thin library adapters
(:mod:`focal_boost.xgboost`, :mod:`focal_boost.lightgbm`), which the classes import
when fitting.
"""

from __future__ import annotations

import dataclasses
from numbers import Integral, Real
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import check_random_state
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import (
    _check_sample_weight,
    check_consistent_length,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from focal_boost._loss import FocalLoss

__all__ = ["FocalXGBClassifier", "FocalLGBMClassifier"]

# X as the boosters take it: dense or sparse, NaN = missing.
_X_CHECKS = {"accept_sparse": ["csr", "csc"], "ensure_all_finite": "allow-nan",
             "dtype": [np.float64, np.float32]}


def _feature_names(estimator, forbidden: str) -> list[str] | None:
    """``feature_names_in_`` for the booster, or None where the library would refuse them."""
    names = getattr(estimator, "feature_names_in_", None)
    if names is None or len(set(names)) < len(names):
        return None
    if any(c in name for name in names for c in forbidden):
        return None
    return [str(name) for name in names]


class _FocalClassifierBase(ClassifierMixin, BaseEstimator):
    """Shared machinery; subclasses implement ``_train`` and ``_raw_predict``.

    Booster parameters that are not named in ``__init__`` are accepted as keyword
    arguments, kept as attributes and returned by ``get_params``, as the libraries'
    own scikit-learn wrappers do.
    """

    def __init__(self, **kwargs: Any) -> None:
        for key, value in kwargs.items():
            setattr(self, key, value)

    # ---------------------------------------------------------- parameters
    def _extra_param_names(self) -> list[str]:
        named = set(self._get_param_names())
        return sorted(
            k for k in vars(self) if not k.startswith("_") and not k.endswith("_")
            and k not in named
        )

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        params = super().get_params(deep)
        params.update({k: getattr(self, k) for k in self._extra_param_names()})
        return params

    def set_params(self, **params: Any):
        named = set(self._get_param_names())
        for key in [k for k in params if k not in named]:
            setattr(self, key, params.pop(key))
        return super().set_params(**params)

    # Keyword arguments that would silently do nothing or fight the focal loss.
    _REJECTED_PARAMS = {
        "class_weight": "class weights of the focal loss are `alpha`",
        "num_class": "the number of classes comes from y",
        "num_classes": "the number of classes comes from y",
    }

    def _booster_extra_params(self) -> dict[str, Any]:
        extra = {k: getattr(self, k) for k in self._extra_param_names()}
        for key in extra:
            if key in self._REJECTED_PARAMS:
                raise ValueError(f"{type(self).__name__} does not take {key!r}: "
                                 f"{self._REJECTED_PARAMS[key]}")
        return extra

    # Whether the booster trains on a 2-D 0/1 label matrix (one output per label).
    _MULTI_LABEL = False

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.sparse = True
        tags.target_tags.multi_output = self._MULTI_LABEL
        tags.classifier_tags.multi_label = self._MULTI_LABEL
        return tags

    # ---------------------------------------------------------------- fit
    def _make_loss(self, y: np.ndarray, n_classes: int) -> FocalLoss:
        alpha = self.alpha
        if y.ndim == 2:  # multi-label: a float or one positive weight per label
            if isinstance(alpha, str | dict):
                raise ValueError(
                    f"alpha={alpha!r} weighs classes; for a multi-label y pass a float (the "
                    "positive weight of every label) or one positive weight in (0, 1) per "
                    "label"
                )
        elif isinstance(alpha, str):
            if alpha != "balanced":
                raise ValueError(f"alpha must be None, a float, a sequence, a dict or "
                                 f"'balanced', got {alpha!r}")
            alpha = compute_class_weight("balanced", classes=np.arange(n_classes), y=y)
        elif isinstance(alpha, dict):
            missing = [c for c in self.classes_ if c not in alpha]
            if missing:
                raise ValueError(f"alpha dict has no weight for classes {missing}")
            alpha = [alpha[c] for c in self.classes_]
        elif isinstance(alpha, Real) and n_classes != 2:
            raise ValueError(
                f"a float alpha is the weight of the positive class of a binary problem; "
                f"y has {n_classes} classes: pass a sequence of {n_classes} weights, a dict "
                f"or 'balanced'"
            )
        return FocalLoss(self.gamma, alpha, hessian=self.hessian)

    def fit(self, X, y, sample_weight=None, eval_set=None, eval_sample_weight=None,
            verbose: bool = False):
        """Fit the booster on focal loss, starting from the focal-optimal constant.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            NaN marks a missing value, as in XGBoost and LightGBM.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels of any type (at least two classes), or, for
            :class:`FocalXGBClassifier`, a 0/1 indicator matrix: multi-label, one
            sigmoid focal loss per label (``classes_`` is then ``[0, 1]``).
        sample_weight : array-like of shape (n_samples,), default=None
        eval_set : list of (X, y) tuples, default=None
            Evaluated with the focal loss after every round; with
            ``early_stopping_rounds`` set, training stops on the last one.
        eval_sample_weight : list of array-like, default=None
            One weight array (or None) per evaluation set.
        verbose : bool, default=False
            Print the evaluation metric every round.

        Returns
        -------
        self
        """
        X, y = validate_data(self, X, y, multi_output=True, **_X_CHECKS)
        if y.ndim == 2 and not self._MULTI_LABEL:
            if y.shape[1] > 1:
                raise ValueError(
                    f"{type(self).__name__} takes one label per sample, got y of shape "
                    f"{y.shape}: for multi-label y wrap it in "
                    "sklearn.multioutput.MultiOutputClassifier (or use FocalXGBClassifier)"
                )
            y = column_or_1d(y, warn=True)
        elif y.ndim == 2 and y.shape[1] == 1:  # one label: not multi-label
            y = y[:, 0]
        check_classification_targets(y)
        self.n_outputs_ = 1 if y.ndim == 1 else y.shape[1]
        if y.ndim == 2:  # multi-label: each label binary, as in XGBClassifier
            if type_of_target(y) != "multilabel-indicator" or not np.isin(y, (0, 1)).all():
                raise ValueError(
                    "a 2-D y must be a 0/1 multi-label indicator matrix, got values "
                    f"{np.unique(y)[:5].tolist()}"
                )
            encoder = LabelEncoder().fit([0, 1])
            y_enc = y.astype(np.intp)
        else:
            encoder = LabelEncoder().fit(y)
            y_enc = encoder.transform(y)
        self.classes_ = encoder.classes_
        n_classes = len(self.classes_)
        if n_classes < 2:
            raise ValueError(
                f"y has 1 class ({self.classes_[0]!r}); {type(self).__name__} needs at "
                f"least 2 classes"
            )
        sw = None if sample_weight is None else _check_sample_weight(
            sample_weight, X, ensure_non_negative=True)
        self.loss_ = self._make_loss(y_enc, n_classes)

        evals = []
        eval_set = list(eval_set or [])
        if eval_sample_weight is not None and len(eval_sample_weight) != len(eval_set):
            raise ValueError("eval_sample_weight needs one entry per eval_set pair")
        for i, pair in enumerate(eval_set):
            if len(pair) != 2:
                raise ValueError("eval_set must be a list of (X, y) pairs")
            Xv = validate_data(self, pair[0], reset=False, **_X_CHECKS)
            yv = column_or_1d(pair[1]) if y.ndim == 1 else np.asarray(pair[1])
            check_consistent_length(Xv, yv)
            if yv.shape[1:] != y.shape[1:]:
                raise ValueError(f"eval_set[{i}] has labels of shape {yv.shape[1:]}, "
                                 f"y has {y.shape[1:]}")
            unknown = np.setdiff1d(yv, self.classes_)
            if len(unknown):
                raise ValueError(f"eval_set[{i}] has labels not seen in y: {unknown.tolist()}")
            swv = None if eval_sample_weight is None else eval_sample_weight[i]
            if swv is not None:  # also refuses weights that are all zero
                swv = _check_sample_weight(swv, Xv, ensure_non_negative=True)
            evals.append((Xv, encoder.transform(yv.ravel()).reshape(yv.shape), swv))

        self._train(X, y_enc, sw, evals, n_classes, verbose)
        return self

    def _seed(self) -> int:
        rs = self.random_state
        if rs is None or isinstance(rs, Integral):
            return 0 if rs is None else int(rs)
        return int(check_random_state(rs).randint(np.iinfo(np.int32).max))

    def _check_early_stopping(self, evals) -> None:
        if self.early_stopping_rounds is not None and not evals:
            raise ValueError("early_stopping_rounds needs at least one eval_set")

    # ------------------------------------------------------------ predict
    def decision_function(self, X) -> np.ndarray:
        """Raw margins: shape (n_samples,) for binary, (n_samples, n_classes) multiclass,
        (n_samples, n_labels) multi-label."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, **_X_CHECKS)
        return self._raw_predict(X)

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, shape (n_samples, n_classes), rows summing to 1.

        Multi-label: the probability of each label, shape (n_samples, n_labels).
        With ``posterior_correction=True`` (default) the focal-trained margins are
        mapped to the class posterior (see :meth:`FocalLoss.predict_proba`); with
        False, the plain sigmoid / softmax of the margins.
        """
        if not isinstance(self.posterior_correction, bool | np.bool_):
            raise TypeError(
                f"posterior_correction must be True or False, got {self.posterior_correction!r}"
            )
        margin = self.decision_function(X)
        multilabel = self.n_outputs_ > 1
        if self.posterior_correction:
            proba = self.loss_.predict_proba(margin, multilabel=multilabel)
        else:
            proba = self.loss_.inverse_link(margin, multilabel=multilabel)
        if proba.ndim == 1:
            proba = np.column_stack([1.0 - proba, proba])
        return proba

    def predict(self, X) -> np.ndarray:
        """Predicted class labels (of the type seen in ``fit``): the argmax of the margins.

        Without ``alpha`` this is the argmax of :meth:`predict_proba`. With ``alpha``
        the class weights act as misclassification costs: the prediction is
        ``argmax_j alpha_j * predict_proba(X)[:, j]`` (binary, ``alpha`` a float:
        class 1 when ``P(y=1) > 1 - alpha``), since ``predict_proba`` estimates the
        unweighted class posterior while the model was trained with weights.
        """
        margin = self.decision_function(X)
        # one decision per label (multi-label) as in binary: class 1 where the margin > 0
        sigmoid = margin.ndim == 1 or self.n_outputs_ > 1
        index = (margin > 0).astype(int) if sigmoid else margin.argmax(axis=1)
        return self.classes_[index]


_FOCAL_DOC_PARAMS = """
    gamma : float, default=2.0
        Focal focusing parameter (XGBoost's own ``gamma`` is ``min_split_loss``).
    alpha : float, sequence, dict, "balanced" or None, default=None
        Class weights of the focal loss: a float in (0, 1) weighs the positive
        class (binary only); a sequence in ``classes_`` order or a dict
        ``{label: weight}``; "balanced" uses ``n_samples / (n_classes * count)``.
    posterior_correction : bool, default=True
        ``predict_proba`` returns the recovered class posterior instead of the
        plain sigmoid/softmax of the focal-trained margin.
    hessian : {"saddle_free", "fisher", "clip", "abs", "exact"}, default="saddle_free"
        How the Hessian handed to the booster is kept positive (see
        :class:`~focal_boost.FocalLoss`); the gradient is always exact.
"""


class FocalXGBClassifier(_FocalClassifierBase):
    __doc__ = f"""XGBoost classifier trained on focal loss.

    Binary, multiclass, and multi-label with a 2-D 0/1 ``y`` (one sigmoid focal
    loss per label, XGBoost's multi-output models; ``multi_strategy`` passes
    through).

    Parameters
    ----------{_FOCAL_DOC_PARAMS}    n_estimators : int, default=100
        Boosting rounds.
    learning_rate, max_depth, min_child_weight, subsample, colsample_bytree,
    reg_lambda, reg_alpha, max_bin, tree_method
        As in :class:`xgboost.XGBClassifier`.
    random_state : int, RandomState or None, default=None
    n_jobs : int or None, default=None
        Threads (XGBoost's ``nthread``).
    early_stopping_rounds : int or None, default=None
        Stop when the focal loss of the last ``eval_set`` has not improved for
        this many rounds; predictions then use the best iteration.
    **kwargs
        Any other XGBoost training parameter, passed through.

    Attributes
    ----------
    classes_, n_outputs_ (number of labels, 1 unless multi-label), n_features_in_,
    feature_names_in_, loss_, booster_, best_iteration_, evals_result_,
    feature_importances_

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from focal_boost import FocalXGBClassifier
    >>> X, y = make_classification(1000, weights=[0.9], random_state=0)
    >>> clf = FocalXGBClassifier(gamma=2.0, alpha=0.25, n_estimators=20).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    """

    def __init__(
        self,
        gamma: float = 2.0,
        alpha=None,
        *,
        posterior_correction: bool = True,
        hessian: str = "saddle_free",
        n_estimators: int = 100,
        learning_rate: float = 0.3,
        max_depth: int = 6,
        min_child_weight: float = 1.0,
        subsample: float = 1.0,
        colsample_bytree: float = 1.0,
        reg_lambda: float = 1.0,
        reg_alpha: float = 0.0,
        max_bin: int = 256,
        tree_method: str = "hist",
        random_state=None,
        n_jobs: int | None = None,
        early_stopping_rounds: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.gamma = gamma
        self.alpha = alpha
        self.posterior_correction = posterior_correction
        self.hessian = hessian
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.max_depth = max_depth
        self.min_child_weight = min_child_weight
        self.subsample = subsample
        self.colsample_bytree = colsample_bytree
        self.reg_lambda = reg_lambda
        self.reg_alpha = reg_alpha
        self.max_bin = max_bin
        self.tree_method = tree_method
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.early_stopping_rounds = early_stopping_rounds
        super().__init__(**kwargs)

    _MULTI_LABEL = True

    def _train(self, X, y, sample_weight, evals, n_classes, verbose) -> None:
        import xgboost as xgb

        from focal_boost import xgboost as fxgb

        self._check_early_stopping(evals)
        params = {
            "eta": self.learning_rate,
            "max_depth": self.max_depth,
            "min_child_weight": self.min_child_weight,
            "subsample": self.subsample,
            "colsample_bytree": self.colsample_bytree,
            "lambda": self.reg_lambda,
            "alpha": self.reg_alpha,
            "max_bin": self.max_bin,
            "tree_method": self.tree_method,
            "seed": self._seed(),
            **self._booster_extra_params(),
        }
        if self.n_jobs is not None:
            params["nthread"] = self.n_jobs
        if n_classes > 2:
            params["num_class"] = n_classes
        names = _feature_names(self, forbidden="[]<")

        def dmatrix(X, y, w):
            return xgb.DMatrix(X, label=y, weight=w, missing=np.nan, feature_names=names)

        dtrain = dmatrix(X, y, sample_weight)
        dmats = [(dmatrix(*ev), f"validation_{i}") for i, ev in enumerate(evals)]
        evals_result: dict = {}
        self.booster_ = fxgb.train(
            params, dtrain, self.loss_, num_boost_round=self.n_estimators, evals=dmats,
            early_stopping_rounds=self.early_stopping_rounds, verbose_eval=verbose,
            evals_result=evals_result,
        )
        self.evals_result_ = evals_result
        self.best_iteration_ = (
            int(self.booster_.best_iteration) if self.early_stopping_rounds is not None
            else self.n_estimators - 1
        )

    def _raw_predict(self, X) -> np.ndarray:
        from focal_boost import xgboost as fxgb

        return fxgb.predict_margin(self.booster_, X,
                                   iteration_range=(0, self.best_iteration_ + 1))

    @property
    def best_iteration(self) -> int:
        """Index of the best round (last round without early stopping)."""
        check_is_fitted(self)
        return self.best_iteration_

    @property
    def feature_importances_(self) -> np.ndarray:
        """Normalised total gain per feature (XGBoost's ``importance_type='total_gain'``)."""
        check_is_fitted(self)
        score = self.booster_.get_score(importance_type="total_gain")
        names = self.booster_.feature_names or [f"f{i}" for i in range(self.n_features_in_)]
        imp = np.array([score.get(f, 0.0) for f in names], dtype=np.float64)
        total = imp.sum()
        return imp / total if total > 0 else imp


class FocalLGBMClassifier(_FocalClassifierBase):
    __doc__ = f"""LightGBM classifier trained on focal loss.

    Parameters
    ----------{_FOCAL_DOC_PARAMS}    n_estimators : int, default=100
        Boosting rounds.
    learning_rate, num_leaves, max_depth, min_child_samples, min_child_weight,
    subsample, subsample_freq, colsample_bytree, reg_alpha, reg_lambda
        As in :class:`lightgbm.LGBMClassifier`.
    random_state : int, RandomState or None, default=None
    n_jobs : int or None, default=None
        Threads (LightGBM's ``num_threads``).
    early_stopping_rounds : int or None, default=None
        Stop when the focal loss of the last ``eval_set`` has not improved for
        this many rounds; predictions then use the best iteration.
    **kwargs
        Any other LightGBM parameter, passed through (``verbose`` defaults to -1).

    Attributes
    ----------
    classes_, n_outputs_ (number of labels, 1 unless multi-label), n_features_in_,
    feature_names_in_, loss_, booster_, best_iteration_, evals_result_,
    feature_importances_

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from focal_boost import FocalLGBMClassifier
    >>> X, y = make_classification(1000, weights=[0.9], random_state=0)
    >>> clf = FocalLGBMClassifier(gamma=2.0, alpha=0.25, n_estimators=20).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    """

    def __init__(
        self,
        gamma: float = 2.0,
        alpha=None,
        *,
        posterior_correction: bool = True,
        hessian: str = "saddle_free",
        n_estimators: int = 100,
        learning_rate: float = 0.1,
        num_leaves: int = 31,
        max_depth: int = -1,
        min_child_samples: int = 20,
        min_child_weight: float = 1e-3,
        subsample: float = 1.0,
        subsample_freq: int = 0,
        colsample_bytree: float = 1.0,
        reg_alpha: float = 0.0,
        reg_lambda: float = 0.0,
        random_state=None,
        n_jobs: int | None = None,
        early_stopping_rounds: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.gamma = gamma
        self.alpha = alpha
        self.posterior_correction = posterior_correction
        self.hessian = hessian
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.max_depth = max_depth
        self.min_child_samples = min_child_samples
        self.min_child_weight = min_child_weight
        self.subsample = subsample
        self.subsample_freq = subsample_freq
        self.colsample_bytree = colsample_bytree
        self.reg_alpha = reg_alpha
        self.reg_lambda = reg_lambda
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.early_stopping_rounds = early_stopping_rounds
        super().__init__(**kwargs)

    def _train(self, X, y, sample_weight, evals, n_classes, verbose) -> None:
        import lightgbm as lgb

        from focal_boost import lightgbm as flgb

        self._check_early_stopping(evals)
        params = {
            "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves,
            "max_depth": self.max_depth,
            "min_data_in_leaf": self.min_child_samples,
            "min_sum_hessian_in_leaf": self.min_child_weight,
            "bagging_fraction": self.subsample,
            "bagging_freq": self.subsample_freq,
            "feature_fraction": self.colsample_bytree,
            "lambda_l1": self.reg_alpha,
            "lambda_l2": self.reg_lambda,
            "seed": self._seed(),
            "verbose": -1,
        }
        if self.n_jobs is not None:
            params["num_threads"] = self.n_jobs
        for key, value in self._booster_extra_params().items():
            spellings = flgb._aliases(key)
            if spellings & {"num_iterations", "early_stopping_round"}:
                raise ValueError(f"{type(self).__name__} does not take {key!r}: use "
                                 "n_estimators and early_stopping_rounds")
            for other in spellings & params.keys():  # a LightGBM alias replaces the
                del params[other]  # value set above, as in LGBMClassifier
            params[key] = value
        if n_classes > 2:
            params["num_class"] = n_classes
        names = _feature_names(self, forbidden='",:[]{}') or "auto"
        train_set = lgb.Dataset(X, label=y, weight=sample_weight, feature_name=names,
                                free_raw_data=True)
        valid_sets = [lgb.Dataset(Xv, label=yv, weight=wv, reference=train_set)
                      for Xv, yv, wv in evals]
        names = [f"validation_{i}" for i in range(len(evals))]
        evals_result: dict = {}
        callbacks = [lgb.record_evaluation(evals_result)]
        if verbose:
            callbacks.append(lgb.log_evaluation(1))
        if self.early_stopping_rounds is not None:
            # Stop on the last eval set only, as XGBoost does.
            callbacks.append(_LastSetEarlyStopping(self.early_stopping_rounds, names[-1]))
        self.booster_ = flgb.train(
            params, train_set, self.loss_, num_boost_round=self.n_estimators,
            valid_sets=valid_sets or None, valid_names=names or None, callbacks=callbacks,
        )
        self.evals_result_ = evals_result
        self.best_iteration_ = (
            int(self.booster_.best_iteration) - 1 if self.early_stopping_rounds is not None
            else self.n_estimators - 1
        )

    def _raw_predict(self, X) -> np.ndarray:
        from focal_boost import lightgbm as flgb

        return flgb.predict_margin(self.booster_, X, num_iteration=self.best_iteration_ + 1)

    @property
    def best_iteration(self) -> int:
        """Index of the best round (last round without early stopping)."""
        check_is_fitted(self)
        return self.best_iteration_

    @property
    def feature_importances_(self) -> np.ndarray:
        """Normalised total gain per feature."""
        check_is_fitted(self)
        imp = self.booster_.feature_importance(importance_type="gain").astype(np.float64)
        total = imp.sum()
        return imp / total if total > 0 else imp


class _LastSetEarlyStopping:
    """LightGBM's early stopping on the focal loss of one validation set (the last).

    LightGBM's own callback stops on whichever set or metric stalls first; XGBoost
    stops on the last metric of the last set, which is the focal loss.
    """

    order = 30
    before_iteration = False

    def __init__(self, rounds: int, name: str) -> None:
        import lightgbm as lgb

        from focal_boost.lightgbm import METRIC_NAME

        self._inner = lgb.early_stopping(rounds, first_metric_only=True, verbose=False)
        self._key = (name, METRIC_NAME)

    def __call__(self, env) -> None:
        keep = [r for r in env.evaluation_result_list if r[:2] == self._key]
        self._inner(dataclasses.replace(env, evaluation_result_list=keep))
