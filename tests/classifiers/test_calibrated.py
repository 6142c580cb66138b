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


def test_grouped_folds_keep_each_group_in_one_test_fold_and_fall_back_when_too_few():
    from feedback_nlp.classifiers.calibrated import _splits

    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    groups = np.repeat([f"g{k}" for k in range(12)], 25)
    grouped = _splits(y, groups, 3, 0)
    assert len(grouped) == 3
    for _, test in grouped:
        for g in set(groups[test]):
            assert set(np.flatnonzero(groups == g)) <= set(test)   # the whole group is held out together
    assert sorted(np.concatenate([t for _, t in grouped]).tolist()) == list(range(300))
    # two groups cannot fill three folds: plain stratified folds, which split groups
    plain = _splits(y, np.repeat(["a", "b"], 150), 3, 0)
    assert any(len(set(np.repeat(["a", "b"], 150)[t])) == 2 for _, t in plain)


def test_grouped_calibration_is_less_confident_on_unseen_groups():
    from feedback_nlp.classifiers.calibrated import PlattLR

    # each group has its own marker word for the positive class: random folds see every marker in
    # training, grouped folds never do — so grouped out-of-fold scores are weaker, and the Platt
    # slope fitted on them is smaller
    rng = np.random.default_rng(1)
    n_groups, per = 10, 60
    y = rng.integers(0, 2, n_groups * per)
    groups = np.repeat(np.arange(n_groups), per)
    X = np.zeros((len(y), n_groups + 1))
    X[np.arange(len(y)), groups] = y
    X[:, -1] = y + rng.normal(0, 1.5, len(y))
    plain = PlattLR(C=1.0).fit(X, y)
    grouped = PlattLR(C=1.0).fit(X, y, groups)
    assert grouped.calibration_[0] < plain.calibration_[0]
    assert np.all(plain.model_.coef_ == grouped.model_.coef_)   # the final model itself is the same
