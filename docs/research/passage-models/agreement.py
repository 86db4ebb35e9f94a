"""Inter-annotator agreement: how noisy is the majority gold? (caps achievable accuracy)"""
import numpy as np
from sklearn.metrics import balanced_accuracy_score, cohen_kappa_score
from common import load, WARNINGS
rows, texts, y, warn, groups, votes = load()
print("| warning | n | pos (maj) | unanimous | single-vote BA vs majority (incl. self) | Fleiss kappa |")
print("|---|---|---|---|---|---|")
def fleiss(v):
    n = v.shape[1]; k1 = v.sum(1); k0 = n - k1
    P = ((k1*(k1-1) + k0*(k0-1)) / (n*(n-1))).mean()
    p1 = k1.sum()/(len(v)*n); Pe = p1**2 + (1-p1)**2
    return (P-Pe)/(1-Pe)
for w in WARNINGS + ["ALL"]:
    m = np.ones(len(y), bool) if w == "ALL" else warn == w
    v = votes[m]; g = y[m]
    una = np.mean((v.sum(1) == 0) | (v.sum(1) == 3))
    ba = np.mean([balanced_accuracy_score(g, v[:, i]) for i in range(3)])
    print(f"| {w} | {m.sum()} | {g.sum()} ({g.mean():.2f}) | {una:.2f} | {ba:.3f} | {fleiss(v):.2f} |")
# a 'perfect model of the two other annotators': predict with one held-out annotator as the truth
# BA of majority-of-other-two (tie -> 0.5 coin) vs the held-out vote
bas = []
for i in range(3):
    o = np.delete(votes, i, 1).sum(1)
    bas.append(balanced_accuracy_score(votes[:, i], (o >= 1).astype(int)))
    bas.append(balanced_accuracy_score(votes[:, i], (o >= 2).astype(int)))
print("\nheld-out single annotator vs other two (>=1 / >=2 of 2):", [round(b, 3) for b in bas])

# Oracle ceiling under a beta-binomial model: each passage has a latent rate p ~ Beta(a,b) (fit per warning by
# maximum likelihood on the 0..3 vote counts), votes ~ Bernoulli(p). An oracle that knows p (the best any text
# model could do, if annotators are exchangeable) predicts P(majority=1 | p) >= t; we report its best expected BA.
from scipy.special import betaln, comb
from scipy.optimize import minimize
from scipy.stats import beta as B
print("\n| warning | beta a | beta b | oracle BA (knows latent p) |\n|---|---|---|---|")
grid = np.linspace(1e-4, 1 - 1e-4, 4000)
for w in WARNINGS + ["ALL"]:
    m = np.ones(len(y), bool) if w == "ALL" else warn == w
    k = votes[m].sum(1)
    nll = lambda th: -np.sum(np.log(comb(3, k)) + betaln(k + np.exp(th[0]), 3 - k + np.exp(th[1])) - betaln(np.exp(th[0]), np.exp(th[1])))
    a, b = np.exp(minimize(nll, [0, 0], method="Nelder-Mead").x)
    dens = B.pdf(grid, a, b); dens /= dens.sum()
    pm = 3 * grid**2 * (1 - grid) + grid**3          # P(majority positive | p)
    best = 0
    for t in np.linspace(0.01, 0.99, 99):
        pred = pm >= t
        tpr = (dens * pm * pred).sum() / (dens * pm).sum()
        tnr = (dens * (1 - pm) * ~pred).sum() / (dens * (1 - pm)).sum()
        best = max(best, (tpr + tnr) / 2)
    print(f"| {w} | {a:.2f} | {b:.2f} | {best:.3f} |")
