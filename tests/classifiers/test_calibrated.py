import numpy as np
import pytest

from feedback_nlp.classifiers.calibrated import PlattLR, best_threshold


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 5))
    y = (X[:, 0] + 0.5 * rng.normal(size=120) > 0).astype(int)
    return X, y


def test_calibrated_average_predicts_with_the_mean_of_fold_models(data):
    X, y = data
    refit, averaged = PlattLR(C=1.0).fit(X, y), PlattLR(C=1.0, average=True).fit(X, y)
    # same out-of-fold scores, hence the same calibration and threshold
    assert refit.calibration_ == averaged.calibration_ and refit.threshold_ == averaged.threshold_
    assert not np.allclose(refit.coef_, averaged.coef_)
    p = averaged.predict_proba(X)
    assert p.shape == (120, 2) and np.allclose(p.sum(axis=1), 1)


def test_calibrated_proba_from_decision_equals_predict_proba(data):
    X, y = data
    model = PlattLR(C=1.0).fit(X, y)
    assert np.allclose(model.proba_from_decision(X @ model.coef_.T + model.intercept_), model.predict_proba(X))


def test_calibrated_best_threshold():
    proba = np.array([0.9, 0.8, 0.3, 0.2])
    assert best_threshold(proba, np.array([True, True, False, False])) == pytest.approx(0.3, abs=0.03)
