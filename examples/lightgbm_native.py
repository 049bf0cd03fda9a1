"""Native LightGBM: focal loss through lgb.train, with early stopping on the focal loss.

focal_boost.lightgbm.train wraps lgb.train. LightGBM starts a custom objective at margin
0 and ignores boost_from_average; train starts from the focal-optimal constant instead and
bakes it into the first trees, so booster.predict(X, raw_score=True), saved models and
pickles include it. The second model is plain lgb.train with the same objective and
metric, which starts from 0.

Run: python examples/lightgbm_native.py
"""

import lightgbm as lgb
from _data import breast_cancer_rare
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import train_test_split

from focal_boost import focal_loss
from focal_boost.lightgbm import metric, objective, predict_margin, train

X, y = breast_cancer_rare()
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y,
                                                    random_state=0)
X_fit, X_valid, y_fit, y_valid = train_test_split(X_train, y_train, test_size=0.25,
                                                  stratify=y_train, random_state=0)
params = {"learning_rate": 0.05, "num_leaves": 7, "min_data_in_leaf": 5, "verbose": -1,
          "seed": 0, "num_threads": 1}
loss = focal_loss(gamma=2.0, alpha=0.25)


def datasets():
    dfit = lgb.Dataset(X_fit, y_fit)
    return dfit, lgb.Dataset(X_valid, y_valid, reference=dfit)


dfit, dvalid = datasets()
booster = train(params, dfit, loss, 1000, valid_sets=[dvalid], valid_names=["valid"],
                callbacks=[lgb.early_stopping(50, verbose=False)])
print(f"focal_boost.lightgbm.train: intercept {loss.init_score(y_fit):+.3f}, best round "
      f"{booster.best_iteration}, validation focal loss "
      f"{booster.best_score['valid']['focal_loss']:.4f}")

dfit, dvalid = datasets()
plain = lgb.train({**params, "objective": objective(loss), "metric": "None"}, dfit, 1000,
                  valid_sets=[dvalid], valid_names=["valid"], feval=metric(loss),
                  callbacks=[lgb.early_stopping(50, verbose=False)])
print(f"plain lgb.train:            intercept +0.000, best round {plain.best_iteration}, "
      f"validation focal loss {plain.best_score['valid']['focal_loss']:.4f}")

one_tree = predict_margin(booster, X_test, num_iteration=1)
print(f"mean margin after one tree: {one_tree.mean():+.3f} with the intercept, "
      f"{predict_margin(plain, X_test, num_iteration=1).mean():+.3f} without")
for name, model in [("train", booster), ("plain lgb.train", plain)]:
    p = loss.predict_proba(predict_margin(model, X_test))  # best round, class posterior
    print(f"{name:>16}: test PR-AUC {average_precision_score(y_test, p):.3f}, "
          f"ROC-AUC {roc_auc_score(y_test, p):.3f}")
assert abs(one_tree.mean() - loss.init_score(y_fit)) < 1.0
