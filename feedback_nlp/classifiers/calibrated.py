"""Platt-calibrated logistic regression whose out-of-fold scores also pick the threshold.

One cross-validation serves both purposes: out-of-fold decision values fit the calibration
(sigmoid for two classes, a temperature-free multinomial refit for more) and choose the
probability threshold that maximises F1 — always on the training data only.
"""
from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

THRESHOLD_GRID = np.round(np.arange(0.10, 0.81, 0.025), 3)


class PlattLR:
    """LogisticRegression + Platt sigmoid on out-of-fold scores (binary) or plain multinomial."""

    def __init__(self, C: float = 1.0, folds: int = 3, seed: int = 0, class_weight: str | None = None,
                 average: bool = False):
        self.C, self.folds, self.seed, self.class_weight = C, folds, seed, class_weight
        self.average = average

    def _base(self, binary: bool) -> LogisticRegression:
        return LogisticRegression(C=self.C, max_iter=2000, solver="liblinear" if binary else "lbfgs",
                                  class_weight=self.class_weight)

    def fit(self, X, y, groups=None) -> PlattLR:
        """Fit; with ``groups`` the out-of-fold scores come from folds that keep each group whole
        (``StratifiedGroupKFold``), so calibration and threshold see scores of unseen groups."""
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        self.threshold_ = 0.5
        self.oof_ = None
        if len(self.classes_) < 2:
            self.model_ = None
            return self
        binary = len(self.classes_) == 2
        self.model_ = self._base(binary).fit(X, y)
        self.calibration_ = (1.0, 0.0)
        counts = np.unique(y, return_counts=True)[1]
        if binary and counts.min() >= self.folds:
            scores = np.zeros(len(y))
            splits = _splits(y, groups, self.folds, self.seed)
            coefs, intercepts = [], []
            for train, test in splits:
                fold = self._base(True).fit(X[train], y[train])
                scores[test] = fold.decision_function(X[test])
                coefs.append(fold.coef_)
                intercepts.append(fold.intercept_)
            if self.average:
                # Cross-fit: predict with the mean of the fold models, the models whose out-of-fold
                # scores the calibration and the threshold were fitted on (a refit on all data
                # scores more confidently than they did, which costs precision).
                self.model_.coef_ = np.mean(coefs, axis=0)
                self.model_.intercept_ = np.mean(intercepts, axis=0)
            platt = LogisticRegression(C=1e4).fit(scores[:, None], y)
            self.calibration_ = (float(platt.coef_[0, 0]), float(platt.intercept_[0]))
            self.oof_ = platt.predict_proba(scores[:, None])[:, 1]
            self.threshold_ = best_threshold(self.oof_, y == self.classes_[1])
        return self

    def linear(self) -> tuple[np.ndarray, float, float, float]:
        """``(weights, intercept, a, b)`` with P(positive) = sigmoid(a · (X·w + intercept) + b) (binary)."""
        if self.model_ is None:
            n = 0
            return np.zeros(n), 0.0, 0.0, (50.0 if self.classes_[0] == 1 else -50.0)
        a, b = self.calibration_
        return self.model_.coef_[0], float(self.model_.intercept_[0]), a, b

    def proba_from_decision(self, Z: np.ndarray) -> np.ndarray:
        """``predict_proba`` from decision values ``Z = X @ coef_.T + intercept`` (rows × classes or 1)."""
        if self.model_ is None:
            return np.ones((Z.shape[0], 1))
        if len(self.classes_) > 2:
            Z = Z - Z.max(axis=1, keepdims=True)
            E = np.exp(Z)
            return E / E.sum(axis=1, keepdims=True)
        a, b = self.calibration_
        p = 1 / (1 + np.exp(-(a * Z[:, 0] + b)))
        return np.column_stack([1 - p, p])

    @property
    def intercept_(self) -> np.ndarray:
        return self.model_.intercept_ if self.model_ is not None else np.zeros(1)

    @property
    def coef_(self) -> np.ndarray:
        return self.model_.coef_ if self.model_ is not None else np.zeros((1, 0))

    def predict_proba(self, X) -> np.ndarray:
        if self.model_ is None:
            return np.ones((X.shape[0], 1))
        if len(self.classes_) > 2:
            return self.model_.predict_proba(X)
        a, b = self.calibration_
        p = 1 / (1 + np.exp(-(a * self.model_.decision_function(X) + b)))
        return np.column_stack([1 - p, p])


def _splits(y: np.ndarray, groups, folds: int, seed: int) -> list:
    """Stratified folds; grouped ones when ``groups`` has enough groups for every fold to train on
    both classes (else plain stratified folds: a tiny corpus or a rare class)."""
    plain = list(StratifiedKFold(folds, shuffle=True, random_state=seed).split(np.zeros(len(y)), y))
    if groups is None:
        return plain
    groups = np.asarray(groups)
    if len(np.unique(groups)) < folds:
        return plain
    grouped = list(StratifiedGroupKFold(folds, shuffle=True, random_state=seed).split(np.zeros(len(y)), y, groups))
    if any(len(np.unique(y[train])) < 2 or len(test) == 0 for train, test in grouped):
        return plain
    return grouped


def best_threshold(proba: np.ndarray, truth: np.ndarray) -> float:
    """Grid threshold with the best F1 of ``proba >= t`` against boolean ``truth``."""
    best, best_f1 = 0.5, -1.0
    for t in THRESHOLD_GRID:
        pred = proba >= t
        tp = np.sum(pred & truth)
        f1 = 2 * tp / max(1, pred.sum() + truth.sum())
        if f1 > best_f1 + 1e-9:
            best, best_f1 = float(t), f1
    return best


def fit_calibrated(X, y, *, C: float, folds: int, seed: int, class_weight: str | None = None,
                   average: bool = False, groups=None) -> PlattLR:
    """A fitted PlattLR (``groups``: see ``PlattLR.fit``)."""
    return PlattLR(C=C, folds=folds, seed=seed, class_weight=class_weight, average=average).fit(X, y, groups)
