#!/usr/bin/env python3
"""Writes a VGG16-shaped ONNX model with random weights for bench/classifierBench.ts:
VGG16's 13 convolutions (all but 0.1 of its 15.5 GMACs at 224x224) with
pocovidnet's kind of head (global average pooling, a small dense layer, the
classes), input [N, 3, 224, 224]. Written to a temporary folder at bench
time, never committed.

    python3 training/make_bench_models.py OUT_DIR
"""
import os
import sys

import torch
import torch.nn as nn
from torchvision.models import vgg16


class Vgg16Cam(nn.Module):
    def __init__(self, classes=4):
        super().__init__()
        self.features = vgg16().features
        self.head = nn.Sequential(nn.Linear(512, 64), nn.ReLU(inplace=True), nn.Linear(64, classes))

    def forward(self, x):
        return torch.softmax(self.head(self.features(x).mean(dim=(2, 3))), 1)


def main(out):
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    m = Vgg16Cam().eval()
    path = os.path.join(out, 'vgg16-cam.onnx')
    torch.onnx.export(m, torch.zeros(1, 3, 224, 224), path, input_names=['input'], output_names=['probs'], opset_version=13,
                      dynamic_axes={'input': {0: 'n'}, 'probs': {0: 'n'}})
    print(path)


if __name__ == '__main__':
    main(sys.argv[1])
