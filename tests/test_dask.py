"""The objects work on Dask clusters as they are (pickled to worker processes)."""

import numpy as np
import pytest

pytest.importorskip("distributed")
pytest.importorskip("dask.dataframe")  # xgboost.dask needs it
dxgb = pytest.importorskip("xgboost.dask")
lgb = pytest.importorskip("lightgbm")
da = pytest.importorskip("dask.array")
from distributed import Client, LocalCluster  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402

from focal_boost import focal_loss  # noqa: E402
from focal_boost.xgboost import metric, objective  # noqa: E402


@pytest.mark.filterwarnings("ignore:Parameter n_jobs will be ignored")
@pytest.mark.filterwarnings("ignore:Cannot compute class probabilities")  # raw scores
def test_xgboost_and_lightgbm_dask_train_on_the_focal_loss():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(4000, 5))
    y = (X[:, 0] + rng.normal(size=4000) > 1.5).astype(float)
    loss = focal_loss(2.0, 0.25)
    with (LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                       dashboard_address=None) as cluster, Client(cluster) as client):
        dX, dy = da.from_array(X, chunks=1000), da.from_array(y, chunks=1000)
        # Workers see only their own rows: the intercept is computed here, on all of them.
        dtrain = dxgb.DaskDMatrix(client, dX, dy)
        params = {"max_depth": 3, "base_score": loss.init_score(y),
                  "disable_default_eval_metric": 1}
        out = dxgb.train(client, params, dtrain, 20, obj=objective(loss),
                         custom_metric=metric(loss), evals=[(dtrain, "train")])
        margin = dxgb.predict(client, out["booster"], dX, output_margin=True).compute()
        history = out["history"]["train"]["focal_loss"]
        assert history[-1] < history[0]
        np.testing.assert_allclose(history[-1], loss.loss(y, margin).mean(), rtol=1e-4)
        assert roc_auc_score(y, margin) > 0.85

        clf = lgb.DaskLGBMClassifier(objective=loss, n_estimators=20, verbose=-1,
                                     client=client).fit(dX, dy)
        raw = clf.predict_proba(dX).compute()  # raw margins, LightGBM's rule
        assert roc_auc_score(y, raw) > 0.85
