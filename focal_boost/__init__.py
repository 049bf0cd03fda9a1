"""focal_boost: focal loss as a training objective for XGBoost and LightGBM.

The core (:func:`focal_loss`, :func:`ce_loss`, :class:`FocalLoss`) needs only numpy
and scipy. The adapters :mod:`focal_boost.xgboost` and :mod:`focal_boost.lightgbm`
and the scikit-learn estimators import their libraries when first used.
"""

from typing import TYPE_CHECKING

from focal_boost._loss import FocalLoss, ce_loss, focal_loss

if TYPE_CHECKING:  # type checkers read the estimators' own types (imported lazily below)
    from focal_boost.estimators import FocalLGBMClassifier as FocalLGBMClassifier
    from focal_boost.estimators import FocalXGBClassifier as FocalXGBClassifier

__version__ = "0.1.0"

_ESTIMATORS = ("FocalXGBClassifier", "FocalLGBMClassifier")


def _have_sklearn() -> bool:
    from importlib.util import find_spec

    try:
        return find_spec("sklearn") is not None
    except (ImportError, ValueError):  # a module that is not a package, or blocked
        return False


# The estimators are public where they can be imported: without scikit-learn a star
# import, help() and inspect.getmembers would stop at them (an ImportError that says
# what to install stays for those who name them).
__all__ = ["FocalLoss", "focal_loss", "ce_loss", *(_ESTIMATORS if _have_sklearn() else ())]


def __getattr__(name: str):
    # Estimators need scikit-learn: import them only when asked for.
    if name in _ESTIMATORS:
        from focal_boost import estimators

        return getattr(estimators, name)
    raise AttributeError(f"module 'focal_boost' has no attribute {name!r}")


def __dir__() -> list[str]:
    # the lazily imported estimators too (where they can be), for tab completion
    return sorted({*globals(), *__all__})
