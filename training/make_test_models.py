#!/usr/bin/env python3
"""Writes the tiny ONNX files the unit tests feed the app to check that a
model with the wrong inputs/outputs is refused with a clear message. Our own
output, a few hundred bytes; committed under tests/unit/classifier/fixtures/.

    python3 training/make_test_models.py tests/unit/classifier/fixtures
"""
import os
import sys

import torch
import torch.nn as nn


class WrongIo(nn.Module):
    """Input named x with 3 channels, one output named y: not what the app expects."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 2, 3)

    def forward(self, x):
        return self.conv(x).mean(dim=(2, 3))


class ThreeClasses(nn.Module):
    """The right names and input shape, but 3 classes instead of 4."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 3, 3, stride=16)

    def forward(self, input):  # noqa: A002 - the ONNX input name
        cam = self.conv(input)
        return torch.softmax(cam.mean(dim=(2, 3)), 1), cam


class WithFindings(nn.Module):
    """The app's four classes and CAM, plus a findings output of n sigmoids (6 is right; 5 is refused)."""

    def __init__(self, n=6):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, stride=16)
        self.fc = nn.Linear(4, n)

    def forward(self, input):  # noqa: A002 - the ONNX input name
        cam = self.conv(input)
        pooled = cam.mean(dim=(2, 3))
        return torch.softmax(pooled, 1), cam, torch.sigmoid(self.fc(pooled))


def main(out):
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    torch.onnx.export(WrongIo(), torch.zeros(1, 3, 64, 64), os.path.join(out, 'wrong-io.onnx'), input_names=['x'], output_names=['y'],
                      opset_version=13, dynamic_axes={'x': {0: 'n'}, 'y': {0: 'n'}})
    torch.onnx.export(ThreeClasses(), torch.zeros(1, 1, 128, 128), os.path.join(out, 'three-classes.onnx'), input_names=['input'],
                      output_names=['probs', 'cam'], opset_version=13,
                      dynamic_axes={'input': {0: 'n'}, 'probs': {0: 'n'}, 'cam': {0: 'n'}})
    for name, n in (('with-findings.onnx', 6), ('five-findings.onnx', 5)):
        torch.onnx.export(WithFindings(n), torch.zeros(1, 1, 128, 128), os.path.join(out, name), input_names=['input'],
                          output_names=['probs', 'cam', 'findings'], opset_version=13,
                          dynamic_axes={'input': {0: 'n'}, 'probs': {0: 'n'}, 'cam': {0: 'n'}, 'findings': {0: 'n'}})


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else 'tests/unit/classifier/fixtures')
