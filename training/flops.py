"""Multiply-accumulate counts of convolutions and linear layers, from a
forward pass with hooks. VGG16's "15.5 GFLOPs at 224x224" is this count
(multiply-accumulates), so both networks are counted the same way."""
import torch
import torch.nn as nn


def count_macs(model: nn.Module, input_shape) -> int:
    total = [0]

    def conv_hook(m, inp, out):
        k = m.kernel_size[0] * m.kernel_size[1]
        total[0] += out.numel() // out.shape[0] * (m.in_channels // m.groups) * k

    def lin_hook(m, inp, out):
        total[0] += m.in_features * m.out_features

    hooks = []
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            hooks.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, nn.Linear):
            hooks.append(m.register_forward_hook(lin_hook))
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, *input_shape))
    for h in hooks:
        h.remove()
    return total[0]


def vgg16_macs(size: int) -> int:
    """VGG16's count at size x size (3 channels), from torchvision's definition with random weights."""
    from torchvision.models import vgg16
    return count_macs(vgg16(), (3, size, size))
