"""ONNX export of focal models, with the intercept and the posterior correction inside.

:func:`to_onnx` turns a fitted :class:`~focal_boost.FocalXGBClassifier` /
:class:`~focal_boost.FocalLGBMClassifier`, or a native booster with its
:class:`~focal_boost.FocalLoss`, into one ONNX model whose outputs are those of a
scikit-learn classifier converted by ``skl2onnx`` with ``zipmap=False``:

* ``label``: the class of each row, the argmax of ``probabilities`` (int64 for
  integer or boolean classes, strings otherwise);
* ``probabilities``: float32, shape ``(n_rows, n_classes)``, what the estimator's
  ``predict_proba`` returns (binary: two columns).

How the graph is built:

1. The trees go through the maintained converter (``onnxmltools.convert_xgboost`` /
   ``convert_lightgbm``). The converters know the libraries' objectives, not a
   custom one: the XGBoost converter reads a focal Booster as a regressor (binary)
   or a ``multi:softmax`` classifier, and the LightGBM one refuses the objective
   LightGBM writes for a custom objective (``Unsupported LightGbm objective``). So a
   LightGBM model is converted from a copy of its text whose ``objective`` line says
   ``binary`` / ``multiclass`` (the trees are unchanged), and in both cases the
   converter's tree-ensemble node is then rewritten as a ``TreeEnsembleRegressor``
   with no link function (``post_transform="NONE"``) and no base value: it returns
   the raw sums of the leaves, one column per class.
2. The intercept is added as an ``Add`` in float64 (XGBoost's ``base_score``;
   LightGBM models hold theirs in the leaves of their first trees).
3. The posterior correction follows as ONNX operators in float64, in log space as in
   ``focal_boost._posterior``: ``log q`` and ``log(1 - q)`` from a stable softplus /
   ``LogSoftmax`` (``log1p`` is built from ``Log`` with the compensated form
   ``x * log(1 + x) / ((1 + x) - 1)``, exact where ``1 + x`` rounds), the
   log-weights, and a sigmoid of their difference (binary, as ``exp(log_expit)``:
   onnxruntime's ``Sigmoid`` flushes probabilities below about 1e-8 to 0) or a softmax
   (multiclass). Estimators with ``posterior_correction=False`` get the plain
   sigmoid / softmax.

Precision: ONNX tree ensembles compare float32 features against float32 thresholds
and sum float32 leaf values. XGBoost does the same (it reads features as float32),
so rows take the same branches and margins agree to float32 rounding of the sums.
LightGBM keeps float64 thresholds: each is written to ONNX as the largest float32 at
or below it, so a float32 feature takes the branch it takes in LightGBM (float64
features are rounded to float32 on the way in, and a value within that rounding of
a threshold can take the other branch); leaf sums agree to float32 rounding.
Probabilities are then within about 1e-6 of ``predict_proba`` (the tests check 1e-5).

Multi-label XGBoost models (one output per tree) convert, with ``probabilities`` of
shape ``(n_rows, n_labels)`` (P(label = 1), as ``predict_proba``) and ``label`` of the
same shape (as ``predict``); the trees are mapped to their labels from the model's
``tree_info``, since the converter maps them to the wrong outputs.

Not converted (a clear error): XGBoost's ``gblinear`` and ``dart`` (XGBoost 3.4:
any model whose trees carry dropout weights), categorical
splits of XGBoost models (the XGBoost converter does not support them), vector-leaf
trees (``multi_strategy="multi_output_tree"``, multiclass or multi-label) and LightGBM's
linear trees.
LightGBM categorical splits convert: feed the category codes LightGBM uses, by the
training category sets (``frame[col].cat.set_categories(booster.pandas_categorical[i])
.cat.codes`` for the i-th category column, as float, -1 as NaN), not the frame's own
codes, which differ wherever its category set does.

Needs ``onnx`` and ``onnxmltools`` (the extra ``focal-boost[onnx]``; ``onnxruntime``
to run the models).
"""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np

from focal_boost import _validation as _v
from focal_boost._loss import FocalLoss
from focal_boost._posterior import LOG_W_MAX  # the posterior's bound on the log-weights

__all__ = ["to_onnx"]

# ONNX operator sets of the models written: the default domain, and the ai.onnx.ml
# domain of the tree ensembles (TreeEnsembleRegressor, version 3).
OPSET = 17
ML_OPSET = 3
# The default-domain set the converters are asked for (the highest both support); only
# their tree-ensemble node is kept.
_CONVERTER_OPSET = 15


def to_onnx(
    model: Any,
    loss: FocalLoss | None = None,
    *,
    n_features: int | None = None,
    classes: Any = None,
    input_name: str = "input",
    name: str = "focal_boost",
):
    """An ONNX model of a focal classifier: trees, intercept and posterior correction.

    Parameters
    ----------
    model : FocalXGBClassifier, FocalLGBMClassifier, xgboost.Booster or lightgbm.Booster
        A fitted estimator (its ``loss_``, ``classes_``, best iteration and
        ``posterior_correction`` are used), or a native booster trained by
        ``focal_boost.xgboost.train`` / ``focal_boost.lightgbm.train`` (or with a focal
        objective otherwise). Native boosters use all their rounds, or those up to
        the best iteration where early stopping set it, as their ``predict_margin``.
    loss : FocalLoss, optional
        The loss the booster was trained with. Needed for a LightGBM booster (which
        holds none unless loaded from a file written by
        ``focal_boost.lightgbm.save_model``) and for an XGBoost booster not trained by
        ``focal_boost.xgboost.train``; not taken with an estimator.
    n_features : int, optional
        Number of input columns; default: the model's.
    classes : array-like, optional
        Native boosters: the labels ``label`` returns, in class-index order; default
        ``0 .. n_classes - 1``. Estimators use their ``classes_``.
    input_name : str, default="input"
        Name of the float32 input of shape ``(n_rows, n_features)``.
    name : str, default="focal_boost"
        Name of the ONNX graph.

    Returns
    -------
    onnx.ModelProto
        Outputs ``label`` (shape ``(n_rows,)``; ``(n_rows, n_labels)`` of 0/1 for a
        multi-label model) and ``probabilities`` (float32, ``(n_rows, n_classes)``, or
        one column per label). Run it with ``onnxruntime.InferenceSession(
        model.SerializeToString())``; save it with ``onnx.save(model, path)``.
    """
    if not isinstance(input_name, str) or not input_name:
        raise TypeError(f"input_name must be a non-empty string, got {input_name!r}")
    try:
        import onnx  # noqa: F401
        import onnxmltools  # noqa: F401
    except ImportError as exc:
        raise ImportError("to_onnx needs onnx and onnxmltools: pip install "
                          f"'focal-boost[onnx]' ({exc})") from exc
    spec = _model_spec(model, loss, classes)
    if spec["library"] == "xgboost" and spec["booster"].num_boosted_rounds() == 0:
        # (onnxmltools fails on it deep inside, for XGBClassifier too)
        raise ValueError("the model has no trees (0 boosting rounds, e.g. n_estimators=0): "
                         "it predicts its constant start, which predict_proba gives; train "
                         "at least one round to convert it")
    needed = _n_features(spec)
    if n_features is not None and n_features < needed:
        raise ValueError(f"n_features={n_features} is fewer than the {needed} features the "
                         "model splits on or was trained with: leave it out or pass more")
    n_features = n_features or needed
    trees, n_targets, intercept = _tree_ensemble(spec, n_features, input_name)
    return _assemble(trees, n_targets, intercept, spec, n_features, input_name, name)


# --------------------------------------------------------------------- what to convert
def _model_spec(model, loss, classes) -> dict[str, Any]:
    """Library, booster, rounds to use, loss, classes and whether to correct."""
    from focal_boost.estimators import (
        FocalLGBMClassifier,
        FocalXGBClassifier,
        check_missing_is_nan,
    )

    if isinstance(model, (FocalXGBClassifier, FocalLGBMClassifier)):
        if not hasattr(model, "booster_"):
            raise ValueError(f"this {type(model).__name__} is not fitted yet: call fit first")
        if loss is not None or classes is not None:
            raise TypeError("an estimator converts with its own loss_ and classes_: "
                            "pass neither loss nor classes")
        library = "xgboost" if isinstance(model, FocalXGBClassifier) else "lightgbm"
        check_missing_is_nan(model, "the ONNX tree ensemble")
        return {"library": library, "booster": model.booster_,
                "rounds": model.best_iteration_ + 1, "loss": model.loss_,
                # one class: both columns name it, as the estimator's predict reads them
                "classes": np.resize(np.asarray(model.classes_), max(2, len(model.classes_))),
                "correct": bool(model.posterior_correction), "multilabel": False}
    library = _native_library(model)
    if library == "xgboost":
        from focal_boost import xgboost as fxgb

        rounds = None
        best = model.attr("best_iteration")
        if best is not None:
            rounds = int(best) + 1
        if loss is None:
            loss = fxgb.stored_loss(model, missing_ok=True)  # (its message names predict_proba)
            if loss is None:
                raise ValueError("this xgboost.Booster carries no focal loss (it was not "
                                 "trained by focal_boost.xgboost.train): pass the FocalLoss "
                                 "it was trained with, to_onnx(booster, loss)")
        fxgb.check_link(model)  # (a Poisson or hinge model: not the posterior's link)
    else:
        from focal_boost import lightgbm as flgb

        flgb.check_link(model)  # (a forest's average, another sigmoid: not the posterior's)
        rounds = model.best_iteration if model.best_iteration > 0 else None
        if loss is None:
            loss = flgb.stored_loss(model)  # a file written by focal_boost.lightgbm.save_model
        check_missing_is_nan(model, "the ONNX tree ensemble")
        if loss is None:
            raise ValueError("this lightgbm.Booster carries no focal loss (only a file "
                             "written by focal_boost.lightgbm.save_model does): pass the "
                             "FocalLoss it was trained with, to_onnx(booster, loss)")
    if not isinstance(loss, FocalLoss):
        raise TypeError(f"loss must be a FocalLoss, got {type(loss).__name__}")
    return {"library": library, "booster": model, "rounds": rounds, "loss": loss,
            "classes": None if classes is None else np.asarray(classes), "correct": True,
            "multilabel": False}


def _native_library(model) -> str:
    module = type(model).__module__.split(".")[0]
    if module == "xgboost" and type(model).__name__ == "Booster":
        return "xgboost"
    if module == "lightgbm" and type(model).__name__ == "Booster":
        return "lightgbm"
    raise TypeError(
        "model must be a fitted FocalXGBClassifier or FocalLGBMClassifier, an "
        f"xgboost.Booster or a lightgbm.Booster, got {type(model).__name__}"
    )


# --------------------------------------------------------------------- the trees
def _tree_ensemble(spec, n_features, input_name):
    """The converter's tree ensemble as raw sums: (node, n_targets, intercept or None)."""
    tree_targets = None
    if spec["library"] == "xgboost":
        onx, n_targets, intercept, tree_targets = _xgboost_trees(spec, n_features, input_name)
    else:
        onx, n_targets, intercept = _lightgbm_trees(spec, n_features, input_name)
    return _raw_sums(onx, n_targets, input_name, tree_targets), n_targets, intercept


def _float_input(n_features, input_name):
    from onnxmltools.convert.common.data_types import FloatTensorType

    return [(input_name, FloatTensorType([None, n_features]))]


def _xgboost_trees(spec, n_features, input_name):
    from onnxmltools.convert import convert_xgboost

    from focal_boost import xgboost as fxgb

    booster = spec["booster"]
    config = json.loads(booster.save_config())["learner"]
    kind = config["gradient_booster"]["name"]
    if kind == "dart":
        raise NotImplementedError(
            "XGBoost 'dart' models are not converted to ONNX (only 'gbtree'): the "
            "converter reads trees without dart's weights; use focal_boost.treelite, "
            "which reads them, or train with booster='gbtree'")
    if kind != "gbtree":
        raise NotImplementedError(
            f"XGBoost {kind!r} models are not converted to ONNX (only 'gbtree'): the "
            "converter reads trees, which gblinear has none of; predict with the model "
            "itself, or train with booster='gbtree'")
    model_param = config["learner_model_param"]
    n_labels = int(model_param["num_target"])
    n_classes = int(model_param["num_class"])
    spec["multilabel"] = n_labels > 1
    if any(t == "c" for t in (booster.feature_types or [])):
        raise NotImplementedError(
            "XGBoost models with categorical features are not converted to ONNX: the "
            "XGBoost converter (onnxmltools) does not support categorical splits. "
            "Train on one-hot or ordinal codes, or use FocalLGBMClassifier, whose "
            "categorical splits convert"
        )
    n_targets = n_labels if n_labels > 1 else (n_classes if n_classes > 1 else 1)
    rounds = spec["rounds"]
    if rounds is not None and rounds < booster.num_boosted_rounds():
        booster = booster[:rounds]
    if booster.feature_names is not None or booster.feature_types is not None:
        # the converter reads features by XGBoost's default names f0, f1, ... (and refuses
        # a DataFrame's own); the ONNX input is positional anyway. A DataFrame's bool
        # column is an indicator ('i') feature, whose dumped splits have no threshold
        # (the converter fails on 'split_condition'); as a number it splits at 1, the
        # same rows (categorical 'c' features are refused above)
        booster = booster.copy()
        booster.feature_names = None
        booster.feature_types = None
    model = json.loads(booster.save_raw("json"))["learner"]["gradient_booster"]["model"]
    if fxgb.has_vector_leaves(model):
        raise NotImplementedError("XGBoost models with vector leaves "
                                  "(multi_strategy='multi_output_tree') are not converted "
                                  "to ONNX: the converter reads one output per tree; train "
                                  "with multi_strategy='one_output_per_tree' (the default)")
    # XGBoost 3.4 trains dart as gbtree with dropout weights (rate_drop > 0), which the
    # converter does not read: its trees' sums were 0.44 off predict_proba
    if fxgb.has_dropout_weights(model):
        raise NotImplementedError(
            "XGBoost models whose trees carry dropout weights (trained with booster='dart' "
            "or rate_drop > 0, one_drop, unless skip_drop=1) are not converted to ONNX: the "
            "converter reads trees without their dropout weights; use "
            "focal_boost.treelite, which reads them, or train without dropout")
    intercept = np.broadcast_to(fxgb.start_margin(booster), (n_targets,)).copy()
    # The converter reads base_score as a probability and takes its logit, which is NaN
    # for a margin-space base_score; its base values are dropped below anyway.
    with np.errstate(invalid="ignore", divide="ignore"):
        onx = convert_xgboost(booster, initial_types=_float_input(n_features, input_name),
                              target_opset=_CONVERTER_OPSET)
    # the output each tree adds to, from the model itself (the converter maps the trees
    # of a multi-label model to the wrong outputs)
    tree_targets = [int(t) for t in model["tree_info"]]
    return onx, n_targets, intercept, tree_targets


def _lightgbm_trees(spec, n_features, input_name):
    import lightgbm as lgb
    from onnxmltools.convert import convert_lightgbm

    from focal_boost import lightgbm as flgb

    booster = spec["booster"]
    text = booster.model_to_string(num_iteration=spec["rounds"] or -1)
    if flgb.has_linear_trees(text):
        raise NotImplementedError("LightGBM models with linear trees are not converted to "
                                  "ONNX (the converter does not support them, nor does "
                                  "Treelite): predict with the model itself, or train "
                                  "with linear_tree=False")
    n_targets = booster.num_model_per_iteration()
    if n_targets == 1:
        objective = "binary sigmoid:1"
    else:
        objective = f"multiclass num_class:{n_targets}"
    # The converter refuses a custom objective: a copy of the model says binary /
    # multiclass instead. Only the link of the converted classifier depends on it,
    # and that link is removed below; the trees are the same.
    text = re.sub(r"^objective=.*$", f"objective={objective}", text, count=1, flags=re.M)
    text = re.sub(r"^\[objective: .*\]$", f"[objective: {objective.split()[0]}]", text,
                  count=1, flags=re.M)
    text = _float32_thresholds(text)
    # The graph reads features by position: the copy's default names spare the
    # converter's JSON dump names it cannot read back (a tab or other control character)
    text = re.sub(r"^feature_names=.*$",
                  "feature_names=" + " ".join(f"Column_{i}" for i in range(n_features)),
                  text, count=1, flags=re.M)
    copy = lgb.Booster(model_str=text)
    onx = convert_lightgbm(copy, initial_types=_float_input(n_features, input_name),
                           target_opset=_CONVERTER_OPSET, zipmap=False)
    return onx, n_targets, None


def _float32_thresholds(text: str) -> str:
    """The model text with every numerical threshold ``t`` replaced by the largest
    float32 value ``<= t``, after :func:`focal_boost.lightgbm.zero_band`.

    ONNX tree ensembles hold float32 thresholds and compare float32 features; for a
    float32 feature ``x``, ``x <= t`` exactly when ``x`` is at most that value, whereas
    ``float32(t)`` rounds to nearest and can exceed ``t`` (so ``x`` equal to it would go
    left in ONNX and right in LightGBM). Categorical splits keep their thresholds.
    """
    from focal_boost import lightgbm as flgb

    def rewrite(t: float) -> float:
        t = flgb.zero_band(t)
        with np.errstate(over="ignore"):  # beyond the float32 range: infinite, below
            f = np.float32(t)
        if float(f) > t:  # (a float32 compared with a float compares in float32)
            f = np.nextafter(f, np.float32(-np.inf))
        # below -FLT_MAX: -inf, which only -inf is at most, as in LightGBM (-FLT_MAX
        # itself, a float32 feature's lowest value, goes right there)
        return float(f)

    return flgb.rewrite_thresholds(text, rewrite)


def _raw_sums(onx, n_targets: int, input_name: str, tree_targets=None):
    """The converter's tree-ensemble node as a TreeEnsembleRegressor with ``n_targets``
    outputs, no link and no base values, from ``input_name`` to ``"margin_trees"``."""
    from onnx import helper

    ensembles = [n for n in onx.graph.node if n.op_type.startswith("TreeEnsemble")]
    if len(ensembles) != 1 or ensembles[0].input[0] != input_name:
        raise NotImplementedError(
            "the converter's graph is not one tree ensemble on the input "
            f"({[n.op_type for n in onx.graph.node]}); this converter version is not supported"
        )
    attrs = {a.name: helper.get_attribute_value(a) for a in ensembles[0].attribute}
    keep = {k: v for k, v in attrs.items() if k.startswith("nodes_")}
    prefix = "class" if ensembles[0].op_type == "TreeEnsembleClassifier" else "target"
    for field in ("ids", "nodeids", "treeids", "weights"):
        keep[f"target_{field}"] = attrs[f"{prefix}_{field}"]
    if tree_targets is not None:
        keep["target_ids"] = [tree_targets[t] for t in keep["target_treeids"]]
    if n_targets == 1:
        keep["target_ids"] = [0] * len(keep["target_ids"])
    elif max(keep["target_ids"]) >= n_targets:
        raise NotImplementedError("the converted ensemble has more outputs than classes")
    return helper.make_node("TreeEnsembleRegressor", [input_name], ["margin_trees"],
                            domain="ai.onnx.ml", name="trees", n_targets=n_targets,
                            post_transform="NONE", aggregate_function="SUM", **keep)


# --------------------------------------------------------------------- the graph
class _Builder:
    """Nodes and constants of a graph, with fresh names."""

    def __init__(self) -> None:
        self.nodes: list = []
        self.initializers: list = []
        self._count = 0

    def _name(self, stem: str) -> str:
        self._count += 1
        return f"{stem}_{self._count}"

    def const(self, value, dtype=np.float64) -> str:
        from onnx import numpy_helper

        name = self._name("c")
        self.initializers.append(numpy_helper.from_array(np.asarray(value, dtype=dtype), name))
        return name

    def op(self, op_type: str, *inputs: str, out: str | None = None, **attrs) -> str:
        from onnx import helper

        out = out or self._name(op_type.lower())
        self.nodes.append(helper.make_node(op_type, list(inputs), [out], **attrs))
        return out

    # float64 elementwise math
    def log1p(self, x: str) -> str:
        """``log(1 + x)``, accurate for small ``x``: ``x * log(w) / (w - 1)`` with
        ``w = 1 + x`` (Goldberg), and ``x`` itself where ``w`` rounds to 1."""
        one = self.const(1.0)
        w = self.op("Add", x, one)
        d = self.op("Sub", w, one)
        ratio = self.op("Div", self.op("Mul", x, self.op("Log", w)), d)
        return self.op("Where", self.op("Equal", d, self.const(0.0)), x, ratio)

    def log_expit(self, x: str) -> str:
        """``log(sigmoid(x)) = -softplus(-x) = min(x, 0) - log1p(exp(-|x|))``."""
        tail = self.log1p(self.op("Exp", self.op("Neg", self.op("Abs", x))))
        return self.op("Sub", self.op("Min", x, self.const(0.0)), tail)

    def log_inverse_weight(self, logq: str, logu: str, gamma: float) -> str:
        """``log(q / A(q))`` as ``focal_boost._posterior._log_inverse_weight``."""
        if gamma == 0.0:
            return logq
        zero, one = self.const(0.0), self.const(1.0)
        q, u = self.op("Exp", logq), self.op("Exp", logu)
        # t = -q log(q) / u: for u < 1/2 with -log(q) = -log1p(-u), else -q log(q) / u.
        minus_log_q = self.op("Neg", self.log1p(self.op("Neg", u)))
        t_small = self.op("Where", self.op("Greater", u, zero),
                          self.op("Mul", q, self.op("Div", minus_log_q, u)), one)
        t_large = self.op("Where", self.op("Greater", q, zero),
                          self.op("Div", self.op("Neg", self.op("Mul", q, logq)), u), zero)
        t = self.op("Where", self.op("Less", u, self.const(0.5)), t_small, t_large)
        g = self.const(gamma)
        log_a = self.op("Add", self.op("Mul", g, logu),
                        self.log1p(self.op("Mul", g, t)))
        return self.op("Sub", logq, log_a)

    def clip(self, x: str) -> str:
        return self.op("Clip", x, self.const(-LOG_W_MAX), self.const(LOG_W_MAX))


def _posterior_nodes(b: _Builder, z: str, n_targets: int, loss: FocalLoss,
                     correct: bool, multilabel: bool = False) -> str:
    """Nodes from float64 margins ``z`` of shape (n, n_targets) to float64
    probabilities of shape (n, n_classes) (multi-label: (n, n_labels), P(label = 1));
    returns the output's name."""
    gamma = float(loss.gamma) if correct else 0.0
    k = 2 if n_targets == 1 else n_targets
    class_weight = _v.class_weight(loss.alpha, k, multilabel=multilabel) if correct else None
    if multilabel:  # one binary posterior per label, elementwise
        logq1 = b.log_expit(z)
        logq0 = b.log_expit(b.op("Neg", z))
        d = b.op("Sub", b.log_inverse_weight(logq1, logq0, gamma),
                 b.log_inverse_weight(logq0, logq1, gamma))
        if class_weight is not None:
            shift = np.log(class_weight[1] / class_weight[0]).reshape(1, -1)
            d = b.op("Sub", d, b.const(shift))
        return b.op("Exp", b.log_expit(b.clip(d)))
    if n_targets == 1:
        logq1 = b.log_expit(z)
        logq0 = b.log_expit(b.op("Neg", z))
        d = b.op("Sub", b.log_inverse_weight(logq1, logq0, gamma),
                 b.log_inverse_weight(logq0, logq1, gamma))
        if class_weight is not None:
            d = b.op("Sub", d, b.const(np.log(class_weight[1] / class_weight[0])))
        # exp(log_expit(d)), not onnxruntime's Sigmoid, which returns 0 below about -18
        p1 = b.op("Exp", b.log_expit(b.clip(d)))
        p0 = b.op("Sub", b.const(1.0), p1)  # as the estimators' two columns
        return b.op("Concat", p0, p1, axis=1)
    logq = b.op("LogSoftmax", z, axis=1)
    if gamma != 0.0:
        # log(1 - q): log1p(-q), except for a class with q > 1/2 (at most one per row),
        # where 1 - q is the sum of the other classes' probabilities (log-sum-exp).
        q = b.op("Exp", logq)
        top = b.op("Greater", q, b.const(0.5))
        others = b.op("Where", top, b.const(-np.inf), logq)
        lse = b.op("ReduceLogSumExp", others, axes=[1], keepdims=1)
        logu = b.op("Where", top, lse, b.log1p(b.op("Neg", q)))
        logw = b.log_inverse_weight(logq, logu, gamma)
    else:
        logw = logq
    if class_weight is not None:
        logw = b.op("Sub", logw, b.const(np.log(class_weight)))
    return b.op("Softmax", b.clip(logw), axis=1)


def _posterior_model(loss: FocalLoss, n_targets: int, correct: bool = True,
                     multilabel: bool = False):
    """The posterior correction alone: float64 margins ``(n, n_targets)`` to float64
    probabilities (binary: two columns), to compare with ``loss.predict_proba``."""
    from onnx import TensorProto, helper

    b = _Builder()
    proba = _posterior_nodes(b, "margins", n_targets, loss, correct, multilabel)
    b.op("Identity", proba, out="probabilities")
    n_classes = 2 if n_targets == 1 and not multilabel else n_targets
    graph = helper.make_graph(
        b.nodes, "focal_posterior",
        [helper.make_tensor_value_info("margins", TensorProto.DOUBLE, [None, n_targets])],
        [helper.make_tensor_value_info("probabilities", TensorProto.DOUBLE, [None, n_classes])],
        initializer=b.initializers,
    )
    model = helper.make_model(graph, producer_name="focal_boost",
                              opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    return model


def _label_values(classes, n_classes: int):
    """The class labels as an int64 or string array, as skl2onnx writes them: whole
    numbers (floats like -1.0 and 1.0 too, as onnxmltools writes a plain classifier's)
    as int64, other labels as strings."""
    if classes is None:
        return np.arange(n_classes, dtype=np.int64)
    classes = np.asarray(classes)
    if classes.shape != (n_classes,):
        raise ValueError(f"classes must hold {n_classes} labels, got shape {classes.shape}")
    if (classes.dtype.kind == "u" and classes.size
            and classes.max() > np.uint64(np.iinfo(np.int64).max)):  # (as uint64: exact)
        return np.array([str(c) for c in classes], dtype=object)  # past int64: as text
    if classes.dtype.kind in "iub" or (
            classes.dtype.kind == "f" and np.all(np.isfinite(classes))
            and np.all(classes == np.round(classes)) and np.all(np.abs(classes) < 2.0**53)):
        return classes.astype(np.int64)
    return np.array([str(c) for c in classes], dtype=object)


def _assemble(trees, n_targets, intercept, spec, n_features, input_name, name):
    from onnx import TensorProto, helper

    b = _Builder()
    b.nodes.append(trees)
    z = b.op("Cast", "margin_trees", to=TensorProto.DOUBLE)
    if intercept is not None and np.any(intercept != 0.0):
        z = b.op("Add", z, b.const(intercept.reshape(1, -1)))
    multilabel = spec["multilabel"]
    proba = _posterior_nodes(b, z, n_targets, spec["loss"], spec["correct"], multilabel)
    b.op("Cast", proba, out="probabilities", to=TensorProto.FLOAT)
    n_classes = 2 if n_targets == 1 or multilabel else n_targets
    labels = _label_values(spec["classes"], n_classes)
    if multilabel:  # per label, the more probable of 0 and 1 (as the estimator's predict)
        index = b.op("Cast", b.op("Greater", proba, b.const(0.5)), to=TensorProto.INT64)
    else:
        index = b.op("ArgMax", proba, axis=1, keepdims=0)
    if labels.dtype == object:
        from onnx import numpy_helper

        const = b._name("classes")
        b.initializers.append(numpy_helper.from_array(labels, const))
        label_type = TensorProto.STRING
    else:
        const = b.const(labels, dtype=np.int64)
        label_type = TensorProto.INT64
    b.op("Gather", const, index, out="label", axis=0)
    taken = {out for node in b.nodes for out in node.output} | {
        init.name for init in b.initializers}
    if input_name in taken:
        outputs = "an output" if input_name in ("label", "probabilities") else "a step"
        raise ValueError(f"input_name={input_name!r} is the name of {outputs} of the graph; "
                         f"choose another name for the input")
    graph = helper.make_graph(
        b.nodes, name,
        [helper.make_tensor_value_info(input_name, TensorProto.FLOAT, [None, n_features])],
        [helper.make_tensor_value_info("label", label_type,
                                       [None, n_targets] if multilabel else [None]),
         helper.make_tensor_value_info("probabilities", TensorProto.FLOAT,
                                       [None, n_targets if multilabel else n_classes])],
        initializer=b.initializers,
    )
    model = helper.make_model(graph, producer_name="focal_boost", opset_imports=[
        helper.make_opsetid("", OPSET), helper.make_opsetid("ai.onnx.ml", ML_OPSET)])
    model.ir_version = 8
    model.doc_string = _description(spec)
    return model


def _n_features(spec) -> int:
    booster = spec["booster"]
    if spec["library"] == "xgboost":
        return booster.num_features()
    return booster.num_feature()


def _description(spec) -> str:
    loss = spec["loss"]
    alpha = loss.alpha.tolist() if isinstance(loss.alpha, np.ndarray) else loss.alpha
    link = "posterior correction" if spec["correct"] else "plain link"
    return (f"focal_boost {spec['library']} model: focal loss gamma={loss.gamma}, "
            f"alpha={alpha}; probabilities = {link} of the margins")
