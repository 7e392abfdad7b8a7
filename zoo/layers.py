"""Building blocks shared by the zoo's networks.

Every block here is written once and reused; the networks in zoo/models only wire them together.
All convolutions that are followed by batch norm carry no bias (the BN shift replaces it).
"""
from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F


def resize_to(x: torch.Tensor, size, mode: str = "bilinear") -> torch.Tensor:
    """Resize a feature map to an explicit (h, w).

    Networks never assume exact x2 factors: 360x480 gives 45x60 at 1/8 but 12x15 at 1/32, so every
    upsample names its target size, taken from the tensor it must match.
    """
    if mode == "nearest":
        return F.interpolate(x, size=size, mode="nearest")
    return F.interpolate(x, size=size, mode=mode, align_corners=False)


class ConvBNReLU(nn.Sequential):
    """k x k convolution, batch norm, and (optionally) ReLU."""

    def __init__(self, in_ch: int, out_ch: int, kernel_size: int = 3, stride: int = 1,
                 dilation: int = 1, groups: int = 1, relu: bool = True):
        padding = dilation * (kernel_size - 1) // 2
        layers = [
            nn.Conv2d(in_ch, out_ch, kernel_size, stride, padding, dilation=dilation,
                      groups=groups, bias=False),
            nn.BatchNorm2d(out_ch),
        ]
        if relu:
            layers.append(nn.ReLU(inplace=True))
        super().__init__(*layers)


class DepthwiseSeparableConv(nn.Sequential):
    """Depthwise 3x3 + BN, then pointwise 1x1 + BN (+ ReLU).

    No non-linearity between the depthwise and pointwise parts (Fast-SCNN's DSConv); BN sits after
    both convolutions because every layer of these papers is followed by batch norm.
    """

    def __init__(self, in_ch: int, out_ch: int, stride: int = 1, dilation: int = 1,
                 relu: bool = True):
        super().__init__(
            ConvBNReLU(in_ch, in_ch, 3, stride, dilation=dilation, groups=in_ch, relu=False),
            ConvBNReLU(in_ch, out_ch, 1, relu=relu),
        )


class InvertedResidual(nn.Module):
    """MobileNetV2 bottleneck: 1x1 expand + ReLU, 3x3 depthwise + ReLU, linear 1x1 project.

    The residual add happens only when input and output shapes match (stride 1, same width).
    """

    def __init__(self, in_ch: int, out_ch: int, stride: int, expansion: int):
        super().__init__()
        hidden = in_ch * expansion
        self.use_residual = stride == 1 and in_ch == out_ch
        self.block = nn.Sequential(
            ConvBNReLU(in_ch, hidden, 1),
            ConvBNReLU(hidden, hidden, 3, stride, groups=hidden),
            ConvBNReLU(hidden, out_ch, 1, relu=False),
        )

    def forward(self, x):
        out = self.block(x)
        return x + out if self.use_residual else out


def bottleneck_stage(in_ch: int, out_ch: int, repeats: int, stride: int,
                     expansion: int) -> nn.Sequential:
    """n inverted residuals; only the first one strides and changes width."""
    blocks = [InvertedResidual(in_ch, out_ch, stride, expansion)]
    blocks += [InvertedResidual(out_ch, out_ch, 1, expansion) for _ in range(repeats - 1)]
    return nn.Sequential(*blocks)


def adaptive_avg_pool(x: torch.Tensor, bins: int) -> torch.Tensor:
    """Adaptive average pooling to bins x bins, written as two small matrix products.

    Same result as F.adaptive_avg_pool2d, but it exports to ONNX with dynamic height and width
    (the ONNX exporter refuses adaptive pooling whose output size does not divide the input).
    """
    rows = _pooling_matrix(x[0, 0, :, 0], bins)  # bins x H
    cols = _pooling_matrix(x[0, 0, 0, :], bins)  # bins x W
    return torch.matmul(torch.matmul(rows, x), cols.transpose(0, 1))


def _pooling_matrix(line: torch.Tensor, bins: int) -> torch.Tensor:
    """Averaging weights of each bin over one axis, built from tensor ops only so that the traced
    ONNX graph follows the input's length instead of freezing the length seen while tracing.

    Bin i covers [floor(i*L/bins), ceil((i+1)*L/bins)), as in PyTorch's adaptive pooling. The float
    arithmetic is exact here: a quotient of small integers is never within rounding of an integer
    unless it is one.
    """
    ones = torch.ones_like(line)
    pos = (torch.cumsum(ones, 0) - 1).unsqueeze(0)          # 1 x L: 0 .. L-1
    length = ones.sum()
    index = torch.arange(bins, dtype=line.dtype, device=line.device).unsqueeze(1)
    start = torch.floor(index * length / bins)
    end = torch.ceil((index + 1) * length / bins)
    inside = ((pos >= start) & (pos < end)).to(line.dtype)
    return inside / inside.sum(dim=1, keepdim=True)


class PyramidPooling(nn.Module):
    """PSPNet pyramid pooling: pool to 1, 2, 3, 6 bins, 1x1 conv to in/4 each, upsample, concat
    with the input, fuse back to out_ch with a 1x1 conv."""

    def __init__(self, in_ch: int, out_ch: int, bins=(1, 2, 3, 6)):
        super().__init__()
        self.bins = tuple(bins)
        branch_ch = in_ch // len(self.bins)
        self.branches = nn.ModuleList(ConvBNReLU(in_ch, branch_ch, 1) for _ in self.bins)
        self.fuse = ConvBNReLU(in_ch + branch_ch * len(self.bins), out_ch, 1)

    def forward(self, x):
        size = x.shape[-2:]
        pooled = [resize_to(branch(adaptive_avg_pool(x, b)), size)
                  for b, branch in zip(self.bins, self.branches)]
        return self.fuse(torch.cat([x] + pooled, dim=1))


class SegmentationHead(nn.Module):
    """3x3 conv-BN-ReLU, dropout, 1x1 conv to class scores. Used for auxiliary and main heads."""

    def __init__(self, in_ch: int, mid_ch: int, num_classes: int, dropout: float = 0.1):
        super().__init__()
        self.conv = ConvBNReLU(in_ch, mid_ch, 3)
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Conv2d(mid_ch, num_classes, 1)

    def forward(self, x):
        return self.classifier(self.dropout(self.conv(x)))

