"""Focal loss on a Dask cluster, and the same model back in memory.

Starts a LocalCluster of two worker processes and fits FocalDaskXGBClassifier and
FocalDaskLGBMClassifier on dask arrays (imbalanced binary data, 1 positive in 10),
with early stopping on a held-out 10% of the rows. Beside each, the in-memory
estimator is fitted on the same rows: the table shows the rounds kept, the held-out
ROC-AUC and the mean predicted probability (which should be near the observed rate
of positives: the intercept and the posterior correction are applied on both sides).
Then `to_local()` gives the in-memory estimator holding the Dask-trained booster.

    python examples/dask_train.py   (needs the extras focal-boost[cli,dask])
"""

import warnings

import dask.array as da
import numpy as np
from distributed import Client, LocalCluster
from sklearn.datasets import make_classification
from sklearn.metrics import roc_auc_score

from focal_boost import FocalLGBMClassifier, FocalXGBClassifier
from focal_boost.dask import FocalDaskLGBMClassifier, FocalDaskXGBClassifier


def main() -> None:
    # lightgbm.dask says on every fit that n_jobs is ignored (a worker's threads are
    # its --nthreads), as DaskLGBMClassifier does: this example leaves n_jobs unset
    warnings.filterwarnings("ignore", "Parameter n_jobs will be ignored")
    X, y = make_classification(30_000, 20, n_informative=8, weights=[0.9], random_state=0)
    X_train, y_train, X_test, y_test = X[:20_000], y[:20_000], X[20_000:], y[20_000:]
    params = {"gamma": 2.0, "n_estimators": 300, "learning_rate": 0.1,
              "early_stopping_rounds": 10, "random_state": 0}
    # (":0": a free port for the dashboard, where another cluster may hold the default)
    with (LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0") as cluster,
          Client(cluster)):  # the default client, which the estimators use
        dX_train = da.from_array(X_train, chunks=(5_000, 20))
        dy_train = da.from_array(y_train, chunks=5_000)
        dX_test = da.from_array(X_test, chunks=(5_000, 20))

        rows = []
        for dask_class, local_class in [(FocalDaskXGBClassifier, FocalXGBClassifier),
                                        (FocalDaskLGBMClassifier, FocalLGBMClassifier)]:
            clf = dask_class(**params).fit(dX_train, dy_train)
            proba = clf.predict_proba(dX_test).compute()[:, 1]  # a dask array until here
            rows.append((dask_class.__name__, clf, proba))
            ref = local_class(**params).fit(X_train, y_train)
            rows.append((local_class.__name__, ref, ref.predict_proba(X_test)[:, 1]))

        print(f"{'estimator':<24} {'rounds':>6} {'ROC-AUC':>8} {'mean P(y=1)':>12}")
        for name, clf, proba in rows:
            print(f"{name:<24} {clf.best_iteration_ + 1:>6} {roc_auc_score(y_test, proba):>8.4f}"
                  f" {proba.mean():>12.4f}")
        print(f"{'observed rate of y=1':<24} {'':>6} {'':>8} {y_test.mean():>12.4f}")

        dask_clf, proba = rows[0][1], rows[0][2]
        local = dask_clf.to_local()
        same = np.allclose(local.predict_proba(X_test)[:, 1], proba)
        print(f"\n{type(dask_clf).__name__}.to_local() is a {type(local).__name__} with the "
              f"same booster; same probabilities without dask: {same}")


if __name__ == "__main__":
    main()
