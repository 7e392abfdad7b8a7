"""NDNet, the narrow deep network (Yang, Yu, Fu, Sun, Jia, Sun, Mao), with the FCN32 head.

Backbone per the paper's Table I: conv1 3x3/2, max pool 3x3/2, then three blocks at 1/8, 1/16,
1/32 of residual layers (Fig. 3b, eq. 6). Choices the paper leaves open (written down in
zoo/README.md and checked against Table II's parameter counts by zoo/tests):
- conv1 has as many output channels as the first block (e * its middle width), so the first
  block's strided layer sees its own width;
- a block's first layer strides in its first depthwise conv and its shortcut is parameter-free
  (3x3/2 average pool, then zero channels appended up to the block's width), so every shortcut
  stays an identity in the paper's sense and eq. 6 holds for every layer inside the blocks;
- the FCN32 head's 3x3 conv maps the backbone output to `head_width` channels, ~5/16 of the last
  block's middle width (30/20/15 for NDNet29/45/61, 80 for the wide NDNet29), then dropout and a
  1x1 conv to class scores.
"""
from __future__ import annotations

import torch.nn as nn
import torch.nn.functional as F

from zoo.layers import ConvBNReLU, DepthwiseSeparableConv, resize_to
from zoo.registry import register


class NarrowResidualLayer(nn.Module):
    """Two stacked depthwise-separable convs: e*n -> n -> e*n, BN after every conv, identity
    shortcut, ReLU after the add. Conv weights: 9en + en^2 + 9n + en^2 (eq. 6); BN adds
    2 per channel after each of the four convs: 4en + 4n.

    With stride 2 (a block's first layer) the input may be narrower than e*n; the shortcut then
    average-pools and appends zero channels, adding no parameters.
    """

    def __init__(self, middle: int, expansion: int = 4, stride: int = 1, in_ch: int | None = None):
        super().__init__()
        outer = expansion * middle
        in_ch = outer if in_ch is None else in_ch
        if in_ch > outer:
            raise ValueError(f"input width {in_ch} exceeds layer width {outer}")
        self.stride = stride
        self.pad_channels = outer - in_ch
        self.reduce = DepthwiseSeparableConv(in_ch, middle, stride=stride, relu=True)
        self.restore = DepthwiseSeparableConv(middle, outer, relu=False)

    def shortcut(self, x):
        if self.stride != 1:
            x = F.avg_pool2d(x, 3, self.stride, 1, count_include_pad=False)
        if self.pad_channels:
            x = F.pad(x, (0, 0, 0, 0, 0, self.pad_channels))
        return x

    def forward(self, x):
        return F.relu(self.shortcut(x) + self.restore(self.reduce(x)))


class NDNet(nn.Module):
    def __init__(self, num_classes: int = 19, middles=(24, 48, 96), repeats=(3, 8, 3),
                 expansion: int = 4, stem_width: int | None = None, head_width: int = 30,
                 dropout: float = 0.1):
        super().__init__()
        stem_width = stem_width or expansion * middles[0]
        self.stem = nn.Sequential(ConvBNReLU(3, stem_width, 3, stride=2),
                                  nn.MaxPool2d(3, 2, 1))
        blocks = []
        in_ch = stem_width
        for middle, n in zip(middles, repeats):
            layers = [NarrowResidualLayer(middle, expansion, 2, in_ch)]
            layers += [NarrowResidualLayer(middle, expansion) for _ in range(n - 1)]
            blocks.append(nn.Sequential(*layers))
            in_ch = expansion * middle
        self.blocks = nn.Sequential(*blocks)
        # FCN32 head: 3x3 conv over the 1/32 output, 1x1 conv to class scores.
        self.head = nn.Sequential(ConvBNReLU(in_ch, head_width, 3), nn.Dropout(dropout),
                                  nn.Conv2d(head_width, num_classes, 1))

    def forward(self, x):
        return resize_to(self.head(self.blocks(self.stem(x))), x.shape[-2:])


_PAPER = ("Yang, Yu, Fu, Sun, Jia, Sun, Mao: NDNet: Narrow While Deep Network for Real-time "
          "Semantic Segmentation")
_DESCRIPTION = ("Narrow deep network: residual layers of stacked depthwise-separable convs that "
                "squeeze e*n channels to n and back, FCN32 head. Option expansion=2 gives the "
                "paper's e=2 variant.")


def _register_ndnet(name, display, middles, repeats, head_width, paper_params, fps):
    @register(name, display_name=display, paper=_PAPER, paper_params=paper_params,
              paper_params_note=f"{paper_params:,} (Table II, e=4)", input_size=(1024, 2048),
              description=_DESCRIPTION, paper_fps={"1024x2048": (fps, "Titan X")},
              options={"middles": middles, "repeats": repeats, "head_width": head_width},
              train_scale=(0.75, 2.0))  # the paper's scales {0.75, 1, 1.25, 1.5, 2}, as a range
    def factory(num_classes: int = 19, **options):
        return NDNet(num_classes, **options)

    return factory


ndnet29 = _register_ndnet("ndnet29", "NDNet29", (24, 48, 96), (3, 8, 3), 30, 515_000, 55.23)
ndnet45 = _register_ndnet("ndnet45", "NDNet45", (16, 32, 64), (4, 12, 6), 20, 386_000, 54.34)
ndnet61 = _register_ndnet("ndnet61", "NDNet61", (12, 24, 48), (6, 16, 8), 15, 292_000, 52.36)
ndnet29_wide = _register_ndnet("ndnet29_wide", "NDNet29-wide", (64, 128, 256), (3, 8, 3), 80,
                               3_505_000, 28.23)
