"""The classifier: a small plain CNN (3x3 convolutions, batch norm, ReLU,
max pooling) with a global-average-pooling head, so class activation maps
come for free.

Why plain convolutions and not MobileNet's depthwise ones: on this CPU
(Debian's torch, generic BLAS, 2 shared cores) a depthwise network of a
fifth of the FLOPs trained three times slower than this one, and training
time is the binding budget. FLOPs stay far below the limit (see flops.py:
about 1/45 of VGG16 at the same input size).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_bn(cin, cout, stride=1):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class LusNet(nn.Module):
    # Widths per stage; stride 16 overall, so a 128 px input gives an 8x8 activation map.
    def __init__(self, num_classes=4, in_ch=1, widths=(16, 32, 48, 96, 128), dropout=0.3, inorm=False, num_findings=0, clip_attn=False):
        super().__init__()
        # Per-frame standardisation inside the graph: removes the overall gain
        # and brightness of a clip, which say more about the machine than the lung.
        self.inorm = inorm
        w0, w1, w2, w3, w4 = widths
        self.features = nn.Sequential(
            conv_bn(in_ch, w0, 2),           # 64
            conv_bn(w0, w1, 2),              # 32
            conv_bn(w1, w2), conv_bn(w2, w2),
            nn.MaxPool2d(2),                 # 16
            conv_bn(w2, w3), conv_bn(w3, w3),
            nn.MaxPool2d(2),                 # 8
            conv_bn(w3, w4), conv_bn(w4, w4),
        )
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(w4, num_classes)
        # Multi-task head: one logit per expert finding (B-lines, consolidations, ...) on the same pooled
        # features, so the trunk is also trained on what physicians look at; None when not used.
        self.findings_fc = nn.Linear(w4, num_findings) if num_findings else None
        # Clip-level attention pooling over the frames' pooled features (ablation variant motion-attn): a score per
        # frame, softmax over the clip's frames, the weighted feature mean through the same heads. None when not used.
        self.attn = nn.Sequential(nn.Linear(w4, 64), nn.Tanh(), nn.Linear(64, 1)) if clip_attn else None
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0, 0.01)
                nn.init.zeros_(m.bias)

    def feature_map(self, x):
        if self.inorm:
            mean = x.mean(dim=(1, 2, 3), keepdim=True)
            std = (x - mean).pow(2).mean(dim=(1, 2, 3), keepdim=True).sqrt()
            x = (x - mean) / (std + 0.05)
        return self.features(x)

    def forward(self, x):
        return self.forward_all(x)[0]

    def forward_all(self, x):
        """(class logits [N, classes], finding logits [N, findings] or None)."""
        h = self.dropout(self.feature_map(x).mean(dim=(2, 3)))
        return self.fc(h), (self.findings_fc(h) if self.findings_fc is not None else None)

    def heads(self, h):
        """(class logits, finding logits or None) of pooled features [N, w4] (dropout in training)."""
        h = self.dropout(h)
        return self.fc(h), (self.findings_fc(h) if self.findings_fc is not None else None)

    def attn_pool(self, h, lengths):
        """Frames' pooled features [sum(lengths), w4], clip after clip -> clip features [clips, w4] (attention-weighted
        mean over each clip's frames) and the weights per clip."""
        out, weights = [], []
        for hc in torch.split(h, list(lengths)):
            w = torch.softmax(self.attn(hc).squeeze(-1), 0)
            out.append((w.unsqueeze(-1) * hc).sum(0))
            weights.append(w)
        return torch.stack(out), weights
