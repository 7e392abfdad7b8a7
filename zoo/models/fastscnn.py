"""Fast-SCNN (Poudel, Liwicki, Cipolla, arXiv 1902.04502, 2019), per the paper's Tables 1-3.

Four modules: learning to downsample (1/8), global feature extractor (bottlenecks + pyramid
pooling, 1/32), feature fusion (the 1/8 skip + the upsampled 1/32 branch), classifier.
ReLU everywhere (the paper uses ReLU, not MobileNetV2's ReLU6).
"""
from __future__ import annotations

import torch.nn as nn
import torch.nn.functional as F

from zoo.layers import (ConvBNReLU, DepthwiseSeparableConv, PyramidPooling, SegmentationHead,
                        bottleneck_stage, resize_to)
from zoo.registry import register


class LearningToDownsample(nn.Module):
    """Conv 3->32, DSConv 32->48, DSConv 48->64, each stride 2: the shared 1/8 features."""

    def __init__(self, widths=(32, 48, 64)):
        super().__init__()
        c1, c2, c3 = widths
        self.conv = ConvBNReLU(3, c1, 3, stride=2)
        self.dsconv1 = DepthwiseSeparableConv(c1, c2, stride=2)
        self.dsconv2 = DepthwiseSeparableConv(c2, c3, stride=2)

    def forward(self, x):
        return self.dsconv2(self.dsconv1(self.conv(x)))


class GlobalFeatureExtractor(nn.Module):
    """Bottlenecks (t6,c64,n3,s2), (t6,c96,n3,s2), (t6,c128,n3,s1), then pyramid pooling."""

    def __init__(self, in_ch=64, widths=(64, 96, 128), repeats=(3, 3, 3), expansion=6):
        super().__init__()
        strides = (2, 2, 1)
        stages = []
        for out_ch, n, s in zip(widths, repeats, strides):
            stages.append(bottleneck_stage(in_ch, out_ch, n, s, expansion))
            in_ch = out_ch
        self.bottlenecks = nn.Sequential(*stages)
        self.ppm = PyramidPooling(widths[-1], widths[-1])

    def forward(self, x):
        return self.ppm(self.bottlenecks(x))


class FeatureFusion(nn.Module):
    """Table 3: high-res 1x1 conv (linear) + low-res [upsample, dw 3x3 dilation 4 + ReLU, 1x1
    linear]; add; ReLU. Two ways to remove the high-resolution branch (the paper's ablation):
    `skip_gain` scales the branch's input, so at 0 the BN shift stays and only the 1/8 detail is
    gone: the losses then fall on small objects and boundaries, the paper's pattern.
    `skip_output_gain` scales the branch's output after its BN; at 0 the BN shift goes too, a
    constant offset the network was trained with, and whole regions flip (sky loses 46 points).
    zoo/results/ABLATION.md compares them."""

    def __init__(self, high_ch=64, low_ch=128, out_ch=128):
        super().__init__()
        self.high = ConvBNReLU(high_ch, out_ch, 1, relu=False)
        self.low_dw = ConvBNReLU(low_ch, low_ch, 3, dilation=4, groups=low_ch)
        self.low_pw = ConvBNReLU(low_ch, out_ch, 1, relu=False)

    def forward(self, high, low, skip_gain=1.0, skip_output_gain=1.0):
        # Upsample to the skip's exact size: x4 only when the input is a multiple of 32.
        low = self.low_pw(self.low_dw(resize_to(low, high.shape[-2:])))
        return F.relu(self.high(high * skip_gain) * skip_output_gain + low)


class Classifier(nn.Module):
    """DSConv x2, dropout, 1x1 conv to class scores."""

    def __init__(self, ch: int, num_classes: int, dropout: float = 0.1):
        super().__init__()
        self.dsconv1 = DepthwiseSeparableConv(ch, ch)
        self.dsconv2 = DepthwiseSeparableConv(ch, ch)
        self.dropout = nn.Dropout(dropout)
        self.conv = nn.Conv2d(ch, num_classes, 1)

    def forward(self, x):
        return self.conv(self.dropout(self.dsconv2(self.dsconv1(x))))


class FastSCNN(nn.Module):
    """Returns logits at the input resolution; in training mode with aux heads, a tuple
    (logits, aux after module 1 at 1/8, aux after module 2 at 1/32)."""

    def __init__(self, num_classes: int = 19, aux: bool = True, downsample_widths=(32, 48, 64),
                 bottleneck_widths=(64, 96, 128), bottleneck_repeats=(3, 3, 3), expansion=6,
                 dropout: float = 0.1):
        super().__init__()
        high_ch = downsample_widths[-1]
        low_ch = bottleneck_widths[-1]
        self.learning_to_downsample = LearningToDownsample(downsample_widths)
        self.global_features = GlobalFeatureExtractor(high_ch, bottleneck_widths,
                                                      bottleneck_repeats, expansion)
        self.fusion = FeatureFusion(high_ch, low_ch, low_ch)
        self.classifier = Classifier(low_ch, num_classes, dropout)
        # Training-only heads (the paper's auxiliary losses at the end of modules 1 and 2).
        self.aux_heads = nn.ModuleList([
            SegmentationHead(high_ch, high_ch // 2, num_classes, dropout),
            SegmentationHead(low_ch, low_ch // 2, num_classes, dropout),
        ]) if aux else None

    def forward(self, x, skip_gain=1.0, skip_output_gain=1.0):
        high = self.learning_to_downsample(x)
        low = self.global_features(high)
        fused = self.fusion(high, low, skip_gain, skip_output_gain)
        logits = resize_to(self.classifier(fused), x.shape[-2:])
        if self.training and self.aux_heads is not None:
            return logits, self.aux_heads[0](high), self.aux_heads[1](low)
        return logits


@register(
    "fastscnn",
    display_name="Fast-SCNN",
    paper="Poudel, Liwicki, Cipolla: Fast-SCNN: Fast Semantic Segmentation Network, "
          "arXiv 1902.04502, 2019",
    paper_params=1_110_000,
    paper_params_note="1.11M (paper, Cityscapes, 19 classes)",
    input_size=(1024, 2048),
    knobs={"skip_gain": 1.0, "skip_output_gain": 1.0},
    aux_weight=0.4,
    description="Two-branch real-time network: learning-to-downsample skip at 1/8 fused with a "
                "global feature extractor at 1/32. skip_gain scales the 1/8 skip's input (0 = the "
                "paper's skip-connection ablation, BN shift kept); skip_output_gain scales the "
                "skip after its BN (0 removes the BN shift too).",
    paper_fps={"1024x2048": (123.5, "Titan Xp"), "512x1024": (285.8, "Titan Xp"),
               "256x512": (485.4, "Titan Xp")},
)
def fastscnn(num_classes: int = 19, **options) -> FastSCNN:
    return FastSCNN(num_classes, **options)
