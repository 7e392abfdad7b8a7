"""ResNet-18/50/101 feature extractors (He et al., 2016), written here because torchvision is not a
dependency and no pre-trained weights exist offline: the zoo trains them from scratch.

`ResNet.forward` returns the features at 1/8, 1/16 and 1/32 (outputs of layer2, layer3, layer4);
there is no classification layer.
"""
from __future__ import annotations

import torch.nn as nn
import torch.nn.functional as F

from zoo.layers import ConvBNReLU


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, in_ch: int, width: int, stride: int = 1):
        super().__init__()
        out_ch = width * self.expansion
        self.body = nn.Sequential(ConvBNReLU(in_ch, width, 3, stride),
                                  ConvBNReLU(width, out_ch, 3, relu=False))
        self.downsample = _projection(in_ch, out_ch, stride)

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        return F.relu(self.body(x) + identity)


class Bottleneck(nn.Module):
    """1x1 reduce, 3x3 (strided, as in ResNet v1.5), 1x1 expand x4."""
    expansion = 4

    def __init__(self, in_ch: int, width: int, stride: int = 1):
        super().__init__()
        out_ch = width * self.expansion
        self.body = nn.Sequential(ConvBNReLU(in_ch, width, 1),
                                  ConvBNReLU(width, width, 3, stride),
                                  ConvBNReLU(width, out_ch, 1, relu=False))
        self.downsample = _projection(in_ch, out_ch, stride)

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        return F.relu(self.body(x) + identity)


def _projection(in_ch: int, out_ch: int, stride: int):
    if stride == 1 and in_ch == out_ch:
        return None
    return ConvBNReLU(in_ch, out_ch, 1, stride, relu=False)


class ResNet(nn.Module):
    def __init__(self, block, layers):
        super().__init__()
        self.stem = nn.Sequential(ConvBNReLU(3, 64, 7, stride=2), nn.MaxPool2d(3, 2, 1))
        in_ch = 64
        stages = []
        for i, (width, n) in enumerate(zip((64, 128, 256, 512), layers)):
            stride = 1 if i == 0 else 2
            blocks = [block(in_ch, width, stride)]
            in_ch = width * block.expansion
            blocks += [block(in_ch, width) for _ in range(n - 1)]
            stages.append(nn.Sequential(*blocks))
        self.layer1, self.layer2, self.layer3, self.layer4 = stages
        self.out_channels = tuple(w * block.expansion for w in (128, 256, 512))
        _init_weights(self)

    def forward(self, x):
        c4 = self.layer1(self.stem(x))
        c8 = self.layer2(c4)
        c16 = self.layer3(c8)
        c32 = self.layer4(c16)
        return c8, c16, c32


def _init_weights(model: nn.Module):
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
    # Zero the last BN of each residual branch so every block starts as an identity: this is
    # what makes deep ResNets trainable from scratch without warm-up.
    for m in model.modules():
        if isinstance(m, (BasicBlock, Bottleneck)):
            nn.init.zeros_(m.body[-1][1].weight)


DEPTHS = {18: (BasicBlock, (2, 2, 2, 2)), 50: (Bottleneck, (3, 4, 6, 3)),
          101: (Bottleneck, (3, 4, 23, 3))}


def resnet(depth: int) -> ResNet:
    block, layers = DEPTHS[depth]
    return ResNet(block, layers)
