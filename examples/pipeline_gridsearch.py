"""FocalXGBClassifier and FocalLGBMClassifier in a Pipeline, tuned by GridSearchCV.

gamma and alpha are ordinary hyper-parameters (`clf__gamma`, `clf__alpha`); gamma = 0
with alpha = None is plain log-loss, so the grid compares focal loss with log-loss on
the data. Scoring is average precision (PR-AUC) on digit 8 against the rest.

Run: python examples/pipeline_gridsearch.py
"""

import numpy as np
from sklearn.datasets import load_digits
from sklearn.feature_selection import VarianceThreshold
from sklearn.metrics import average_precision_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.pipeline import Pipeline

from focal_boost import FocalLGBMClassifier, FocalXGBClassifier

X, y = load_digits(return_X_y=True)
y = (y == 8).astype(int)  # 9.7% positives
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y,
                                                    random_state=0)
grid = {"clf__gamma": [0.0, 1.0, 2.0], "clf__alpha": [None, 0.25]}
cv = StratifiedKFold(3, shuffle=True, random_state=0)

for clf in (FocalXGBClassifier(n_estimators=60, learning_rate=0.2, max_depth=4,
                               random_state=0, n_jobs=1),
            FocalLGBMClassifier(n_estimators=60, learning_rate=0.2, num_leaves=15,
                                random_state=0, n_jobs=1)):
    pipe = Pipeline([("drop_constant_pixels", VarianceThreshold()), ("clf", clf)])
    search = GridSearchCV(pipe, grid, scoring="average_precision", cv=cv).fit(X_train, y_train)
    print(f"{type(clf).__name__}: cross-validated PR-AUC")
    for params, mean, std in zip(search.cv_results_["params"],
                                 search.cv_results_["mean_test_score"],
                                 search.cv_results_["std_test_score"], strict=True):
        print(f"   gamma={params['clf__gamma']:<4} alpha={params['clf__alpha']!s:<5} "
              f"{mean:.4f} ± {std:.4f}")
    best = search.best_params_
    p = search.predict_proba(X_test)[:, 1]  # the refitted best pipeline
    print(f"   best gamma={best['clf__gamma']}, alpha={best['clf__alpha']}: test PR-AUC "
          f"{average_precision_score(y_test, p):.4f}, "
          f"{search.best_estimator_[0].get_support().sum()} of {X.shape[1]} pixels kept")
    assert np.allclose(search.predict_proba(X_test).sum(axis=1), 1)
