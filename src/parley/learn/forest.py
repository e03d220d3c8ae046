"""Gradient-boosted trees evaluated with numpy: the coder's models at run time.

The models are trained with scikit-learn's ``HistGradientBoostingClassifier`` by
``make train`` (``parley.learn.train``) and exported to plain arrays (``export``), so
running Parley needs numpy only. ``Forest.proba`` walks every tree for every row at
once, one depth level per numpy step, and each step moves only the (row, tree) pairs
that have not reached a leaf.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Forest:
    feature: np.ndarray  # int32 per node; -1 at leaves
    threshold: np.ndarray  # float64 per node: go left when x <= threshold
    missing_left: np.ndarray  # bool per node: where NaN goes
    left: np.ndarray  # int32 per node
    right: np.ndarray  # int32 per node
    value: np.ndarray  # float64 per node (leaf values)
    roots: np.ndarray  # int32 per tree
    tree_class: np.ndarray  # int32 per tree: which class's score the tree adds to
    baseline: np.ndarray  # float64 per class
    n_classes: int  # 1 for a binary model (one logit)
    depth: int  # the longest root-to-leaf path

    def raw(self, X: np.ndarray) -> np.ndarray:
        """Summed tree outputs plus the baseline: (rows, n_classes)."""
        X = np.asarray(X, dtype=np.float64)
        n = X.shape[0]
        if n == 0:
            return np.zeros((0, self.n_classes))
        t = self.roots.size
        nodes = np.tile(self.roots, n)  # (row, tree) pairs, row-major
        base = np.repeat(np.arange(n) * X.shape[1], t)  # each pair's row offset into X
        flat = X.ravel()
        active = np.arange(n * t)
        # only the pairs not yet at a leaf take the next step
        for _ in range(self.depth):
            at = nodes[active]
            f = self.feature[at]
            inner = f >= 0
            if not inner.all():
                active, at, f = active[inner], at[inner], f[inner]
                if active.size == 0:
                    break
            x = flat[base[active] + f]
            go_left = np.where(np.isnan(x), self.missing_left[at], x <= self.threshold[at])
            nodes[active] = np.where(go_left, self.left[at], self.right[at])
        nodes = nodes.reshape(n, t)
        leaf = self.value[nodes]
        out = np.zeros((n, self.n_classes))
        for k in range(self.n_classes):
            out[:, k] = leaf[:, self.tree_class == k].sum(axis=1)
        return out + self.baseline

    def proba(self, X: np.ndarray) -> np.ndarray:
        """Class probabilities: (rows, 2) for a binary model, else (rows, n_classes)."""
        raw = self.raw(X)
        if self.n_classes == 1:
            p = 1.0 / (1.0 + np.exp(-raw[:, 0]))
            return np.stack([1 - p, p], axis=1)
        raw = raw - raw.max(axis=1, keepdims=True)
        e = np.exp(raw)
        return e / e.sum(axis=1, keepdims=True)

    def arrays(self) -> dict[str, np.ndarray]:
        return {"feature": self.feature, "threshold": self.threshold,
                "missing_left": self.missing_left, "left": self.left, "right": self.right,
                "value": self.value, "roots": self.roots, "tree_class": self.tree_class,
                "baseline": self.baseline,
                "meta": np.array([self.n_classes, self.depth], dtype=np.int64)}

    @classmethod
    def from_arrays(cls, a: Any, prefix: str = "") -> Forest:
        meta = a[prefix + "meta"]
        return cls(feature=a[prefix + "feature"], threshold=a[prefix + "threshold"],
                   missing_left=a[prefix + "missing_left"], left=a[prefix + "left"],
                   right=a[prefix + "right"], value=a[prefix + "value"],
                   roots=a[prefix + "roots"], tree_class=a[prefix + "tree_class"],
                   baseline=a[prefix + "baseline"], n_classes=int(meta[0]),
                   depth=int(meta[1]))


def export(model: Any) -> Forest:
    """A fitted ``HistGradientBoostingClassifier`` as a ``Forest`` (numerical splits only:
    the coder's features are all numbers)."""
    feature, threshold, missing, left, right, value = [], [], [], [], [], []
    roots, classes = [], []
    depth = 0
    offset = 0
    for iteration in model._predictors:
        for k, tree in enumerate(iteration):
            nodes = tree.nodes
            if np.any(nodes["is_categorical"]):
                raise ValueError("categorical splits are not supported")
            roots.append(offset)
            classes.append(k)
            leaf = nodes["is_leaf"].astype(bool)
            feature.append(np.where(leaf, -1, nodes["feature_idx"]).astype(np.int32))
            threshold.append(nodes["num_threshold"].astype(np.float64))
            missing.append(nodes["missing_go_to_left"].astype(bool))
            left.append((nodes["left"] + offset).astype(np.int32))
            right.append((nodes["right"] + offset).astype(np.int32))
            value.append(nodes["value"].astype(np.float64))
            depth = max(depth, int(nodes["depth"].max()))
            offset += len(nodes)
    baseline = np.asarray(model._baseline_prediction, dtype=np.float64).reshape(-1)
    n_classes = baseline.size
    return Forest(feature=np.concatenate(feature), threshold=np.concatenate(threshold),
                  missing_left=np.concatenate(missing), left=np.concatenate(left),
                  right=np.concatenate(right), value=np.concatenate(value),
                  roots=np.asarray(roots, dtype=np.int32),
                  tree_class=np.asarray(classes, dtype=np.int32), baseline=baseline,
                  n_classes=n_classes, depth=depth + 1)
