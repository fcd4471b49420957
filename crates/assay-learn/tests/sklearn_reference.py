"""Reference values for tests/penguins.rs, computed once with scikit-learn.

Run: /var/cache/assay/bench-venv/bin/python crates/assay-learn/tests/sklearn_reference.py
(scikit-learn 1.9.1, numpy 2.3.5). The printed constants are pasted into tests/penguins.rs.

Data: shared/data/tabular/penguins.csv, rows with any empty field dropped (333 rows), in file
order. The reference split is fixed (no RNG): row i (0-based, after dropping) is a test row
when i % 4 == 3, so both sides see the same rows.
"""

import csv
import os

import numpy as np
from sklearn.cluster import KMeans
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.linear_model import ElasticNet, LogisticRegression
from sklearn.metrics import accuracy_score, log_loss, r2_score, roc_auc_score, silhouette_score, f1_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

here = os.path.dirname(os.path.abspath(__file__))
path = os.path.join(here, "../../../../shared/data/tabular/penguins.csv")
rows = [r for r in csv.DictReader(open(path)) if all(v != "" for v in r.values())]
num = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
X = np.array([[float(r[c]) for c in num] for r in rows])
species = np.array([r["species"] for r in rows])
n = len(rows)
test = np.arange(n) % 4 == 3
train = ~test
print("rows", n, "train", train.sum(), "test", test.sum())
np.set_printoptions(precision=17)

def show(name, v):
    print(f"{name} = {np.array2string(np.asarray(v), separator=', ', precision=17, max_line_width=200)}")

# 1. Multinomial logistic regression on the 4 numeric features, standardised, C = 1.
lr = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, tol=1e-12, max_iter=100000))
lr.fit(X[train], species[train])
p = lr.predict_proba(X[test])
show("LR3_COEF", lr[-1].coef_)
show("LR3_INTERCEPT", lr[-1].intercept_)
show("LR3_TEST_LOG_LOSS", log_loss(species[test], p, labels=lr.classes_))
show("LR3_TEST_ACCURACY", accuracy_score(species[test], lr.predict(X[test])))

# 2. Binary: Adelie vs Chinstrap, bill length and depth only, C = 0.1.
two = (species != "Gentoo")
Xb, yb = X[two][:, :2], species[two]
tb = np.arange(two.sum()) % 4 == 3
lr2 = make_pipeline(StandardScaler(), LogisticRegression(C=0.1, tol=1e-12, max_iter=100000))
lr2.fit(Xb[~tb], yb[~tb])
show("LR2_COEF", lr2[-1].coef_)
show("LR2_INTERCEPT", lr2[-1].intercept_)
pb = lr2.predict_proba(Xb[tb])[:, 1]
show("LR2_TEST_ROC_AUC", roc_auc_score(yb[tb] == "Chinstrap", pb))
show("LR2_TEST_LOG_LOSS", log_loss(yb[tb], lr2.predict_proba(Xb[tb]), labels=lr2.classes_))

# 3. Elastic net: body_mass_g from the other three, standardised, alpha = 1, l1_ratio = 0.5.
Xr, yr = X[:, :3], X[:, 3]
en = make_pipeline(StandardScaler(), ElasticNet(alpha=1.0, l1_ratio=0.5, tol=1e-12, max_iter=1000000))
en.fit(Xr[train], yr[train])
show("EN_COEF", en[-1].coef_)
show("EN_INTERCEPT", en[-1].intercept_)
show("EN_TEST_R2", r2_score(yr[test], en.predict(Xr[test])))
en01 = make_pipeline(StandardScaler(), ElasticNet(alpha=10.0, l1_ratio=0.9, tol=1e-12, max_iter=1000000))
en01.fit(Xr[train], yr[train])
show("EN_A10_L09_COEF", en01[-1].coef_)

# 4. Trees. (Depth 2: at depth 3 one node has two equally good splits, bill length <= 44.9
# and bill depth <= 19.2, which scikit-learn breaks by a random feature order and we by the
# first feature, so only the shallower trees are compared split for split.)
dt = DecisionTreeClassifier(max_depth=2, random_state=0).fit(X[train], species[train])
show("DT2_IMPORTANCES", dt.feature_importances_)
show("DT2_TEST_ACCURACY", accuracy_score(species[test], dt.predict(X[test])))
show("DT2_ROOT", [dt.tree_.feature[0], dt.tree_.threshold[0]])
dte = DecisionTreeClassifier(criterion="entropy", max_depth=2, random_state=0).fit(X[train], species[train])
show("DT2E_IMPORTANCES", dte.feature_importances_)
dtf = DecisionTreeClassifier(random_state=0).fit(X[train], species[train])
show("DT_FULL_DEPTH", dtf.get_depth())
show("DT_FULL_TEST_ACCURACY", accuracy_score(species[test], dtf.predict(X[test])))
show("DT_FULL_LEAVES", dtf.get_n_leaves())
dtr = DecisionTreeRegressor(max_depth=4, min_samples_leaf=5, random_state=0).fit(Xr[train], yr[train])
show("DTR4_IMPORTANCES", dtr.feature_importances_)
show("DTR4_TEST_R2", r2_score(yr[test], dtr.predict(Xr[test])))

# 5. Forests (different RNG from ours: compared with a tolerance).
accs = [accuracy_score(species[test], RandomForestClassifier(random_state=s).fit(X[train], species[train]).predict(X[test])) for s in range(10)]
show("RF_TEST_ACCURACY_MEAN_10_SEEDS", np.mean(accs))
r2s = [r2_score(yr[test], RandomForestRegressor(random_state=s).fit(Xr[train], yr[train]).predict(Xr[test])) for s in range(10)]
show("RFR_TEST_R2_MEAN_10_SEEDS", np.mean(r2s))

# 6. K-means, k = 3, on all rows, standardised.
Xs = StandardScaler().fit_transform(X)
km = KMeans(n_clusters=3, n_init=10, random_state=0).fit(Xs)
show("KM3_INERTIA", km.inertia_)
show("KM3_SILHOUETTE", silhouette_score(Xs, km.labels_))
show("KM3_SIZES", sorted(np.bincount(km.labels_)))

# Small arrays for the unit tests in src/metrics.rs.
show("AUC", roc_auc_score([0, 0, 1, 1, 1, 0], [0.1, 0.4, 0.35, 0.8, 0.4, 0.2]))
show("F1", f1_score([0, 1, 2, 2, 1, 0], [0, 2, 2, 2, 1, 1], average="macro"))
show("LL", log_loss([0, 1, 1], [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]))
show("R2", r2_score([3, -0.5, 2, 7], [2.5, 0, 2, 8]))
