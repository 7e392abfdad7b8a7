"""ESPNet (Mehta, Rastegari, Caspi, Shapiro, Hajishirzi, ECCV 2018, arXiv 1803.06815).

The external reference network: the project does not train it, it loads the published CamVid
checkpoint in ../shared/reference-models/espnet/ into this definition and exports it. The paper's
Fig. 4 and the checkpoint's key names and shapes define the layers:

- ESP module (Fig. 3): a "reduce" convolution to n = out/5 channels, then five parallel 3x3
  convolutions dilated 1, 2, 4, 8, 16 (the first one wider, out - 4n, so the five add up to out);
  hierarchical feature fusion adds each dilated branch to the sum of the smaller ones before the
  concatenation, which removes the gridding artefacts of plain dilated pyramids. A strided ESP
  module reduces with a 3x3/2 convolution and has no residual; the others reduce with 1x1 and add
  their input.
- ESPNet-C encoder (p=2, q=8): conv 3x3/2 to 16, the input image average-pooled to 1/2 and 1/4 and
  concatenated in at each level (19 and 131 channels), a strided ESP to 64 then p ESP modules,
  a strided ESP to 128 then q ESP modules, both level outputs concatenated (256).
- The light decoder: 1x1 projections to class scores at 1/8 and 1/4, 2x2 transposed convolutions
  for each x2 step, an ESP module to merge 1/4 with the upsampled 1/8 scores, and a 3x3 conv over
  the 1/2 scores concatenated with the 19 level-1 channels.

Every batch norm uses eps 1e-3 and every activation is a per-channel PReLU, as the checkpoint
holds them. The decoder concatenates each 2x upsampled map with the one above it, so sizes must
be multiples of 8: in PyTorch other sizes are padded (edge pixels repeated) and the output cropped
back; the ONNX export is traced at a multiple of 8 and says `size_multiple` 8 in its metadata.
"""
from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

from zoo.registry import register

BN_EPS = 1e-3


class BNPReLU(nn.Module):
    """Batch norm and per-channel PReLU (the checkpoint's `bn` + `act`)."""

    def __init__(self, channels: int):
        super().__init__()
        self.bn = nn.BatchNorm2d(channels, eps=BN_EPS)
        self.act = nn.PReLU(channels)

    def forward(self, x):
        return self.act(self.bn(x))


class Conv(nn.Module):
    """Bias-free convolution with "same" padding for its dilation (the checkpoint's `conv`)."""

    def __init__(self, in_ch: int, out_ch: int, kernel_size: int, stride: int = 1,
                 dilation: int = 1):
        super().__init__()
        self.conv = nn.Conv2d(in_ch, out_ch, kernel_size, stride,
                              padding=(kernel_size - 1) // 2 * dilation, dilation=dilation,
                              bias=False)

    def forward(self, x):
        return self.conv(x)


class ConvBNPReLU(nn.Module):
    """Convolution, batch norm, PReLU."""

    def __init__(self, in_ch: int, out_ch: int, kernel_size: int, stride: int = 1):
        super().__init__()
        self.conv = nn.Conv2d(in_ch, out_ch, kernel_size, stride, (kernel_size - 1) // 2,
                              bias=False)
        self.bn = nn.BatchNorm2d(out_ch, eps=BN_EPS)
        self.act = nn.PReLU(out_ch)

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


class EfficientSpatialPyramid(nn.Module):
    """The ESP module: reduce, split into five dilated branches, fuse hierarchically, merge.

    `downsample` makes it the strided variant (3x3/2 reduction, no residual, its own BN + PReLU
    fields); otherwise the reduction is 1x1 and the input is added back when `residual` is set
    (the decoder's merge module has none: its input is twice as wide as its output)."""

    DILATIONS = (2, 4, 8, 16)

    def __init__(self, in_ch: int, out_ch: int, downsample: bool = False, residual: bool = True):
        super().__init__()
        n = out_ch // 5
        self.downsample = downsample
        self.residual = residual and not downsample
        self.c1 = Conv(in_ch, n, 3 if downsample else 1, stride=2 if downsample else 1)
        self.d1 = Conv(n, out_ch - 4 * n, 3)
        self.d2, self.d4, self.d8, self.d16 = (Conv(n, n, 3, dilation=d) for d in self.DILATIONS)
        if downsample:  # the checkpoint keeps these two as direct children here
            self.bn = nn.BatchNorm2d(out_ch, eps=BN_EPS)
            self.act = nn.PReLU(out_ch)
        else:
            self.bn = BNPReLU(out_ch)

    def forward(self, x):
        reduced = self.c1(x)
        fused, total = [], None
        for branch in (self.d2, self.d4, self.d8, self.d16):
            out = branch(reduced)
            total = out if total is None else total + out  # hierarchical feature fusion
            fused.append(total)
        merged = torch.cat([self.d1(reduced)] + fused, 1)
        if self.residual:
            merged = merged + x
        if self.downsample:
            return self.act(self.bn(merged))
        return self.bn(merged)


class ImagePyramid(nn.Module):
    """The input image average-pooled by 2 `times` times, to be concatenated into a level."""

    def __init__(self, times: int):
        super().__init__()
        self.pool = nn.Sequential(*(nn.AvgPool2d(3, stride=2, padding=1) for _ in range(times)))

    def forward(self, x):
        return self.pool(x)


class ESPNetEncoder(nn.Module):
    """ESPNet-C without its own upsampling: returns the 1/2, 1/4 and 1/8 features."""

    def __init__(self, num_classes: int, p: int = 2, q: int = 8):
        super().__init__()
        self.level1 = ConvBNPReLU(3, 16, 3, stride=2)
        self.sample1 = ImagePyramid(1)
        self.sample2 = ImagePyramid(2)
        self.b1 = BNPReLU(16 + 3)
        self.level2_0 = EfficientSpatialPyramid(16 + 3, 64, downsample=True)
        self.level2 = nn.ModuleList(EfficientSpatialPyramid(64, 64) for _ in range(p))
        self.b2 = BNPReLU(128 + 3)
        self.level3_0 = EfficientSpatialPyramid(128 + 3, 128, downsample=True)
        self.level3 = nn.ModuleList(EfficientSpatialPyramid(128, 128) for _ in range(q))
        self.b3 = BNPReLU(256)
        self.classifier = Conv(256, num_classes, 1)

    def forward(self, image):
        half = self.b1(torch.cat([self.level1(image), self.sample1(image)], 1))
        level2_in = self.level2_0(half)
        level2 = level2_in
        for module in self.level2:
            level2 = module(level2)
        quarter = self.b2(torch.cat([level2, level2_in, self.sample2(image)], 1))
        level3_in = self.level3_0(quarter)
        level3 = level3_in
        for module in self.level3:
            level3 = module(level3)
        eighth = self.b3(torch.cat([level3_in, level3], 1))
        return half, quarter, self.classifier(eighth)


def _up2(channels: int) -> nn.ConvTranspose2d:
    return nn.ConvTranspose2d(channels, channels, 2, stride=2, bias=False)


class ESPNet(nn.Module):
    """ESPNet-C plus the light decoder (the paper's full ESPNet), class scores at full size."""

    def __init__(self, num_classes: int = 12, p: int = 2, q: int = 8):
        super().__init__()
        c = num_classes
        self.encoder = ESPNetEncoder(c, p, q)
        self.br = nn.BatchNorm2d(c, eps=BN_EPS)
        self.up_l3 = nn.Sequential(_up2(c))
        self.level3_C = Conv(128 + 3, c, 1)
        self.combine_l2_l3 = nn.Sequential(BNPReLU(2 * c),
                                           EfficientSpatialPyramid(2 * c, c, residual=False))
        self.up_l2 = nn.Sequential(_up2(c), BNPReLU(c))
        self.conv = ConvBNPReLU(16 + 3 + c, c, 3)
        self.classifier = _up2(c)

    def forward(self, image):
        h, w = image.shape[-2:]
        pad_h, pad_w = -h % 8, -w % 8
        if pad_h or pad_w:  # only at sizes the authors never used; see the module docstring
            image = F.pad(image, (0, pad_w, 0, pad_h), mode="replicate")
            return self._scores(image)[..., :h, :w]
        return self._scores(image)

    def _scores(self, image):
        half, quarter, eighth_scores = self.encoder(image)
        quarter_from_eighth = self.up_l3(self.br(eighth_scores))
        merged = self.combine_l2_l3(torch.cat([self.level3_C(quarter), quarter_from_eighth], 1))
        half_scores = self.conv(torch.cat([self.up_l2(merged), half], 1))
        return self.classifier(half_scores)


@register(
    "espnet",
    display_name="ESPNet (p=2, q=8)",
    paper="Mehta, Rastegari, Caspi, Shapiro, Hajishirzi: ESPNet: Efficient Spatial Pyramid of "
          "Dilated Convolutions for Semantic Segmentation, ECCV 2018 (arXiv 1803.06815)",
    paper_params=364_000,
    paper_params_note="0.364M (paper, Cityscapes, 20 outputs); the CamVid checkpoint has 12 "
                      "outputs and 354,517 values",
    input_size=(360, 480),
    description="External reference: the published CamVid ESPNet (p=2, q=8), weights by its "
                "authors (MIT). ESP modules of five dilated 3x3 branches with hierarchical "
                "feature fusion, image pyramid inputs, light decoder of 2x2 transposed "
                "convolutions.",
)
def espnet(num_classes: int = 12, p: int = 2, q: int = 8) -> ESPNet:
    return ESPNet(num_classes, p, q)
