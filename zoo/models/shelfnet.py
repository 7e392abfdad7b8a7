"""ShelfNet (Zhuang, Yang, Gu, Dvornek) on ResNet-18/50/101 backbones, trained from scratch.

The backbone's 1/8, 1/16, 1/32 features are brought to the shelf widths by 1x1 convs, then flow
through three columns, each joining the previous one at every level:

    decoder 1 (top-down):   d32 = S(L32);  d16 = S(up(d32) + g1*L16);  d8 = S(up(d16) + g1*L8)
    encoder   (bottom-up):  e8 = S(d8);    e16 = S(down(e8) + g2*d16); e32 = S(down(e16) + g2*d32)
    decoder 2 (top-down):   f32 = S(e32);  f16 = S(up(f32) + g3*e16);  f8 = S(up(f16) + g3*e8)

S = S-Block (shared-weight residual block), up = decoder step (3x3 conv-BN-ReLU with channel
attention, nearest upsample, add the lateral, 3x3 conv-BN-ReLU), down = strided 3x3 conv-BN-ReLU.
The lateral joins are exposed as gains g1 (backbone_lateral_gain), g2 (encoder_lateral_gain),
g3 (decoder_lateral_gain). Head at 1/8, auxiliary heads on f16 and f32 for training.
"""
from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

from zoo.layers import ConvBNReLU, SegmentationHead, resize_to
from zoo.models.resnet import resnet
from zoo.registry import register


class SBlock(nn.Module):
    """Residual block whose two 3x3 convolutions share ONE weight tensor (conv2.weight is
    conv1.weight), each followed by its own batch norm; dropout between them."""

    def __init__(self, ch: int, dropout: float = 0.1):
        super().__init__()
        self.conv1 = nn.Conv2d(ch, ch, 3, padding=1, bias=False)
        self.conv2 = nn.Conv2d(ch, ch, 3, padding=1, bias=False)
        self.conv2.weight = self.conv1.weight  # the sharing: one Parameter, two uses
        self.bn1 = nn.BatchNorm2d(ch)
        self.bn2 = nn.BatchNorm2d(ch)
        self.dropout = nn.Dropout2d(dropout)

    def forward(self, x):
        if torch.onnx.is_in_onnx_export():
            # The exporter folds each batch norm into its convolution, which gives the shared kernel
            # two scaled copies in the file (2.3M extra weights in ShelfNet18). As a per-channel
            # scale and shift after the convolution, the kernel stays one initializer.
            out = F.relu(_as_affine(self.bn1, self.conv1(x)))
            return F.relu(x + _as_affine(self.bn2, self.conv2(out)))
        out = self.dropout(F.relu(self.bn1(self.conv1(x))))
        return F.relu(x + self.bn2(self.conv2(out)))


def _as_affine(bn: nn.BatchNorm2d, x):
    """Eval-mode batch norm written as x * scale + shift (what the exporter cannot fold)."""
    scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
    shift = bn.bias - bn.running_mean * scale
    return x * scale[None, :, None, None] + shift[None, :, None, None]


class ChannelAttention(nn.Module):
    """Global average pool, 1x1 conv, sigmoid: per-channel weights."""

    def __init__(self, ch: int):
        super().__init__()
        self.conv = nn.Conv2d(ch, ch, 1)

    def forward(self, x):
        return x * torch.sigmoid(self.conv(x.mean(dim=(2, 3), keepdim=True)))


class DecoderStep(nn.Module):
    """Bring a coarse feature up one level: 3x3 conv-BN-ReLU + channel attention, nearest upsample
    to the lateral's size, add the (gain-scaled) lateral, 3x3 conv-BN-ReLU."""

    def __init__(self, in_ch: int, out_ch: int):
        super().__init__()
        self.reduce = ConvBNReLU(in_ch, out_ch, 3)
        self.attention = ChannelAttention(out_ch)
        self.fuse = ConvBNReLU(out_ch, out_ch, 3)

    def forward(self, coarse, lateral, gain=1.0):
        up = resize_to(self.attention(self.reduce(coarse)), lateral.shape[-2:], mode="nearest")
        return self.fuse(up + lateral * gain)


class DecoderColumn(nn.Module):
    def __init__(self, widths, dropout: float):
        super().__init__()
        w8, w16, w32 = widths
        self.top = SBlock(w32, dropout)
        self.up16 = DecoderStep(w32, w16)
        self.block16 = SBlock(w16, dropout)
        self.up8 = DecoderStep(w16, w8)
        self.block8 = SBlock(w8, dropout)

    def forward(self, x8, x16, x32, gain=1.0):
        y32 = self.top(x32)
        y16 = self.block16(self.up16(y32, x16, gain))
        y8 = self.block8(self.up8(y16, x8, gain))
        return y8, y16, y32


class EncoderColumn(nn.Module):
    def __init__(self, widths, dropout: float):
        super().__init__()
        w8, w16, w32 = widths
        self.bottom = SBlock(w8, dropout)
        self.down16 = ConvBNReLU(w8, w16, 3, stride=2)
        self.block16 = SBlock(w16, dropout)
        self.down32 = ConvBNReLU(w16, w32, 3, stride=2)
        self.block32 = SBlock(w32, dropout)

    def forward(self, x8, x16, x32, gain=1.0):
        # Stride-2, pad-1 convs give ceil(H/2), the same sizes as the backbone's levels.
        y8 = self.bottom(x8)
        y16 = self.block16(self.down16(y8) + x16 * gain)
        y32 = self.block32(self.down32(y16) + x32 * gain)
        return y8, y16, y32


class ShelfNet(nn.Module):
    def __init__(self, num_classes: int = 19, depth: int = 18, widths=(64, 128, 256),
                 aux: bool = True, dropout: float = 0.1):
        super().__init__()
        self.backbone = resnet(depth)
        self.laterals = nn.ModuleList(ConvBNReLU(c, w, 1)
                                      for c, w in zip(self.backbone.out_channels, widths))
        self.decoder1 = DecoderColumn(widths, dropout)
        self.encoder = EncoderColumn(widths, dropout)
        self.decoder2 = DecoderColumn(widths, dropout)
        self.head = nn.Sequential(ConvBNReLU(widths[0], 64, 3), nn.Conv2d(64, num_classes, 3,
                                                                          padding=1))
        self.aux_heads = nn.ModuleList([SegmentationHead(widths[1], 64, num_classes, dropout),
                                        SegmentationHead(widths[2], 64, num_classes, dropout)]
                                       ) if aux else None

    def forward(self, x, backbone_lateral_gain=1.0, encoder_lateral_gain=1.0,
                decoder_lateral_gain=1.0):
        l8, l16, l32 = (lat(f) for lat, f in zip(self.laterals, self.backbone(x)))
        d8, d16, d32 = self.decoder1(l8, l16, l32, backbone_lateral_gain)
        e8, e16, e32 = self.encoder(d8, d16, d32, encoder_lateral_gain)
        f8, f16, f32 = self.decoder2(e8, e16, e32, decoder_lateral_gain)
        logits = resize_to(self.head(f8), x.shape[-2:])
        if self.training and self.aux_heads is not None:
            return logits, self.aux_heads[0](f16), self.aux_heads[1](f32)
        return logits


_PAPER = ("Zhuang, Yang, Gu, Dvornek: ShelfNet for Fast Semantic Segmentation "
          "(ICCV Workshops 2019)")
_KNOBS = {"backbone_lateral_gain": 1.0, "encoder_lateral_gain": 1.0, "decoder_lateral_gain": 1.0}


def _register_shelfnet(name, depth, widths, note, fps):
    @register(name, display_name=f"ShelfNet (ResNet{depth})", paper=_PAPER, paper_params=None,
              paper_params_note="not published", input_size=(1024, 2048), knobs=dict(_KNOBS),
              aux_weight=1.0, options={"depth": depth, "widths": widths},
              description=f"ShelfNet on a ResNet{depth} backbone (random init, trained from "
                          f"scratch): decoder-encoder-decoder shelf of shared-weight S-Blocks. "
                          f"{note}",
              paper_fps=fps)
    def factory(num_classes: int = 19, **options):
        return ShelfNet(num_classes, **options)

    return factory


shelfnet18 = _register_shelfnet("shelfnet18", 18, (64, 128, 256),
                                "The real-time version.", {})
shelfnet50 = _register_shelfnet("shelfnet50", 50, (64, 128, 256), "",
                                {"512x512": (59.0, "GTX 1080Ti")})
shelfnet101 = _register_shelfnet("shelfnet101", 101, (64, 128, 256), "",
                                 {"512x512": (42.0, "GTX 1080Ti")})
