"""Metrics shared by train.py and ablation.py: the findings' targets, probabilities at a
temperature, AUC, calibration (clip-level NLL / ECE) and the temperature fit."""
import numpy as np

# The experts' findings (manifest 'findings', dataset_metadata.csv columns), the multi-task head's targets.
FINDINGS = ['Effusion', 'Consolidations', 'B-lines', 'A-lines', 'Pleural line irregularities', 'Air bronchogram']


def finding_targets(clip):
    """float32 [len(FINDINGS)]: 1 present, 0 absent, NaN not assessed (masked in the loss and the AUC)."""
    f = clip.get('findings') or {}
    return np.array([{'present': 1.0, 'absent': 0.0}.get(f.get(k), np.nan) for k in FINDINGS], np.float32)


NO_FINDINGS = np.full(len(FINDINGS), np.nan, np.float32)


def probs_at(logits, temperature=1.0):
    """Frame probabilities [n, classes] from raw logits [passes, n, classes]: softmax(z / T), averaged over passes."""
    z = logits / temperature
    z = z - z.max(-1, keepdims=True)
    e = np.exp(z)
    return (e / e.sum(-1, keepdims=True)).mean(0)


def auc(scores, targets):
    """Area under the ROC curve (Mann-Whitney U / (n1 n0), ties counted half); None without both classes.
    (Debian's training packages have no scikit-learn; this is its roc_auc_score for binary targets.)"""
    scores, targets = np.asarray(scores, np.float64), np.asarray(targets)
    pos, neg = scores[targets == 1], scores[targets == 0]
    if len(pos) == 0 or len(neg) == 0:
        return None
    gt = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(gt / (len(pos) * len(neg)))


def findings_auc(rows):
    """Per-finding clip-level AUC over rows of (clip finding probabilities, targets with NaN = not assessed)."""
    if not rows:
        return None
    s = np.stack([r[0] for r in rows])
    t = np.stack([r[1] for r in rows])
    out = {}
    for j, name in enumerate(FINDINGS):
        known = ~np.isnan(t[:, j])
        out[name] = {'auc': auc(s[known, j], t[known, j]), 'present': int((t[known, j] == 1).sum()), 'absent': int((t[known, j] == 0).sum())}
    return out


def calibration(clip_logits, labels, temperature):
    """Clip-level negative log-likelihood and expected calibration error (10 bins, confidence of the top class of
    all four) of the clip probabilities the app shows (mean of frame probabilities) at a temperature."""
    p = np.stack([probs_at(z, temperature).mean(0) for z in clip_logits])
    y = np.asarray(labels)
    nll = float(-np.mean(np.log(np.clip(p[np.arange(len(y)), y], 1e-12, 1))))
    conf, pred = p.max(1), p.argmax(1)
    bins = np.minimum((conf * 10).astype(int), 9)
    ece = float(sum(abs((pred[bins == b] == y[bins == b]).mean() - conf[bins == b].mean()) * (bins == b).sum()
                    for b in range(10) if (bins == b).any()) / len(y))
    return {'nll': nll, 'ece': ece}


def fit_temperature(clip_logits, labels):
    """The temperature minimising clip-level NLL (grid 0.25..5, then refined): fitted on validation folds only."""
    grid = np.exp(np.linspace(np.log(0.25), np.log(5.0), 61))
    best = min(grid, key=lambda t: calibration(clip_logits, labels, t)['nll'])
    fine = best * np.exp(np.linspace(-0.05, 0.05, 21))
    return float(min(fine, key=lambda t: calibration(clip_logits, labels, t)['nll']))
