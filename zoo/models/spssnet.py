"""SPSSNet, stage-pooling segmentation network: a RECONSTRUCTION.

Mamoon, Manzoor, Zhang, Ali, Lu (FITEE 21(12), 2020) publish only an abstract: a light network that
reuses important early-layer features at several later stages, at different resolutions ("stage
pooling"), full-resolution input, 1.42M parameters, 69.4% Cityscapes mIoU without pre-training.
This file rebuilds a network from that description; see zoo/README.md for the design and reasons.

    E    = stem(x)                                  3 strided convs, 1/8, 64 ch
    f16  = relu(stage16(E) + g16 * P16(pool2(E)))   4 bottlenecks 64->96, 1/16
    f32  = relu(stage32(f16) + g32 * P32(pool4(E))) 5 bottlenecks 96->128, 1/32
    d16  = DSConv(relu(up(L32(f32)) + L16(f16)))    light decoder, 64 ch
    d8   = DSConv(relu(up(d16) + skip_gain * P8(E)))
    out  = up_to_input(conv1x1(d8))

P16, P32, P8 are linear 1x1 projections (conv + BN) of the pooled early features to the width of
the place they join. Each joins through a gain (ONNX knob): pool_gain_16, pool_gain_32, skip_gain.
"""
from __future__ import annotations

import torch.nn as nn
import torch.nn.functional as F

from zoo.layers import ConvBNReLU, DepthwiseSeparableConv, bottleneck_stage, resize_to
from zoo.registry import register


def pool_to(x, factor: int):
    """Average-pool by `factor` in ceil mode: ceil(H/factor) is exactly the size the stride-2,
    pad-1 3x3 convs of the stages produce, for odd sizes too (360x480: 45x60 -> 23x30 -> 12x15)."""
    return F.avg_pool2d(x, factor, factor, ceil_mode=True, count_include_pad=False)


class StagePooling(nn.Module):
    """Early features pooled to a later stage's resolution, projected to its width, scaled by a
    gain and added to that stage's output, then ReLU."""

    def __init__(self, early_ch: int, stage_ch: int, factor: int):
        super().__init__()
        self.factor = factor
        self.project = ConvBNReLU(early_ch, stage_ch, 1, relu=False)

    def forward(self, stage, early, gain=1.0):
        reused = self.project(pool_to(early, self.factor))
        return F.relu(stage + reused * gain)


class SPSSNet(nn.Module):
    def __init__(self, num_classes: int = 19, stem_widths=(32, 48, 64), stage16=(96, 4),
                 stage32=((128, 5),), decoder_width: int = 64, expansion: int = 6,
                 dropout: float = 0.1):
        super().__init__()
        c1, c2, early_ch = stem_widths
        self.stem = nn.Sequential(ConvBNReLU(3, c1, 3, stride=2),
                                  DepthwiseSeparableConv(c1, c2, stride=2),
                                  DepthwiseSeparableConv(c2, early_ch, stride=2))
        ch16, n16 = stage16
        self.stage16 = bottleneck_stage(early_ch, ch16, n16, 2, expansion)
        self.pool16 = StagePooling(early_ch, ch16, 2)
        layers32 = []
        in_ch, stride = ch16, 2
        for ch, n in stage32:
            layers32.append(bottleneck_stage(in_ch, ch, n, stride, expansion))
            in_ch, stride = ch, 1
        self.stage32 = nn.Sequential(*layers32)
        self.pool32 = StagePooling(early_ch, in_ch, 4)
        # Light decoder: two upsample-add-DSConv steps back to 1/8.
        self.lateral32 = ConvBNReLU(in_ch, decoder_width, 1, relu=False)
        self.lateral16 = ConvBNReLU(ch16, decoder_width, 1, relu=False)
        self.refine16 = DepthwiseSeparableConv(decoder_width, decoder_width)
        self.skip8 = ConvBNReLU(early_ch, decoder_width, 1, relu=False)
        self.refine8 = DepthwiseSeparableConv(decoder_width, decoder_width)
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Conv2d(decoder_width, num_classes, 1)

    def forward(self, x, pool_gain_16=1.0, pool_gain_32=1.0, skip_gain=1.0):
        early = self.stem(x)
        f16 = self.pool16(self.stage16(early), early, pool_gain_16)
        f32 = self.pool32(self.stage32(f16), early, pool_gain_32)
        d = resize_to(self.lateral32(f32), f16.shape[-2:]) + self.lateral16(f16)
        d = self.refine16(F.relu(d))
        d = resize_to(d, early.shape[-2:]) + self.skip8(early) * skip_gain
        d = self.refine8(F.relu(d))
        return resize_to(self.classifier(self.dropout(d)), x.shape[-2:])


@register(
    "spssnet",
    display_name="SPSSNet (reconstruction)",
    paper="Mamoon, Manzoor, Zhang, Ali, Lu: SPSSNet: a real-time network for image semantic "
          "segmentation, Frontiers of Information Technology & Electronic Engineering 21(12), "
          "2020 (abstract only; this network is a reconstruction)",
    paper_params=1_420_000,
    paper_params_note="1.42M (abstract)",
    input_size=(1024, 2048),
    knobs={"pool_gain_16": 1.0, "pool_gain_32": 1.0, "skip_gain": 1.0},
    reconstruction=True,
    description="RECONSTRUCTION from the SPSSNet abstract: early 1/8 features are pooled to 1/16 "
                "and 1/32 and reused there (stage pooling, gains pool_gain_16/pool_gain_32), and "
                "reused again as the light decoder's 1/8 skip (skip_gain).",
    paper_fps={"1024x2048": (59.0, "not stated in the abstract")},
)
def spssnet(num_classes: int = 19, **options) -> SPSSNet:
    return SPSSNet(num_classes, **options)
