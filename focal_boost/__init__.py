"""focal_boost: focal loss as a training objective for XGBoost and LightGBM."""

from focal_boost._loss import FocalLoss, ce_loss, focal_loss

__all__ = ["FocalLoss", "focal_loss", "ce_loss"]
__version__ = "0.1.0"
