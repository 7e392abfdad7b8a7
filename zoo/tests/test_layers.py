"""One test per building block: structure, parameter counts, and behaviour that could break."""
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from zoo.layers import (ConvBNReLU, DepthwiseSeparableConv, InvertedResidual, PyramidPooling,
                        adaptive_avg_pool)
from zoo.models.fastscnn import FeatureFusion, LearningToDownsample
from zoo.models.ndnet import NarrowResidualLayer
from zoo.models.resnet import resnet
from zoo.models.shelfnet import DecoderStep, SBlock
from zoo.models.spssnet import StagePooling
from zoo.registry import count_parameters


def n_params(module):
    return sum(p.numel() for p in module.parameters())


def n_conv_weights(module):
    return sum(m.weight.numel() for m in module.modules() if isinstance(m, nn.Conv2d))


def test_conv_bn_relu_has_no_bias_and_optional_relu():
    block = ConvBNReLU(8, 16, 3)
    assert block[0].bias is None and isinstance(block[-1], nn.ReLU)
    assert not isinstance(ConvBNReLU(8, 16, 1, relu=False)[-1], nn.ReLU)


def test_depthwise_separable_conv_is_depthwise_then_pointwise_without_relu_between():
    block = DepthwiseSeparableConv(32, 48, stride=2)
    depthwise, pointwise = block
    assert depthwise[0].groups == 32 and depthwise[0].kernel_size == (3, 3)
    assert not any(isinstance(m, nn.ReLU) for m in depthwise)
    assert pointwise[0].kernel_size == (1, 1) and isinstance(pointwise[-1], nn.ReLU)
    assert n_conv_weights(block) == 9 * 32 + 32 * 48
    assert block(torch.randn(1, 32, 20, 30)).shape == (1, 48, 10, 15)


@pytest.mark.parametrize("in_ch,out_ch,stride,residual", [(64, 64, 1, True), (64, 96, 1, False),
                                                          (64, 64, 2, False)])
def test_inverted_residual_adds_only_when_shapes_match(in_ch, out_ch, stride, residual):
    block = InvertedResidual(in_ch, out_ch, stride, expansion=6).eval()
    assert block.use_residual == residual
    # Zero the projection's BN: the branch outputs 0, so the block returns x or 0.
    project_bn = block.block[-1][1]
    nn.init.zeros_(project_bn.weight)
    nn.init.zeros_(project_bn.bias)
    x = torch.randn(1, in_ch, 16, 16)
    out = block(x)
    if residual:
        assert torch.equal(out, x)
    else:
        assert out.shape == (1, out_ch, 16 // stride, 16 // stride) and not out.any()
    # Linear bottleneck: the projection is not followed by ReLU; expansion uses ReLU, not ReLU6.
    assert not isinstance(block.block[-1][-1], nn.ReLU)
    assert not any(isinstance(m, nn.ReLU6) for m in block.modules())
    assert block.block[0][0].out_channels == 6 * in_ch


@pytest.mark.parametrize("size", [(12, 15), (45, 61), (1, 1), (6, 6)])
def test_adaptive_avg_pool_matches_pytorch(size):
    x = torch.randn(2, 4, *size)
    for bins in (1, 2, 3, 6):
        assert torch.allclose(adaptive_avg_pool(x, bins), F.adaptive_avg_pool2d(x, bins),
                              atol=1e-6)


def test_pyramid_pooling_keeps_size_and_width():
    ppm = PyramidPooling(128, 128).eval()
    assert ppm.bins == (1, 2, 3, 6)
    assert [b[0].out_channels for b in ppm.branches] == [32] * 4
    assert ppm.fuse[0].in_channels == 256
    assert ppm(torch.randn(1, 128, 12, 15)).shape == (1, 128, 12, 15)


def test_learning_to_downsample_is_three_stride_2_layers():
    lds = LearningToDownsample()
    assert lds(torch.randn(1, 3, 64, 128)).shape == (1, 64, 8, 16)
    assert lds.conv[0].out_channels == 32 and lds.dsconv1[1][0].out_channels == 48


def test_feature_fusion_follows_table_3_and_gain_zero_drops_the_skip():
    ffm = FeatureFusion(64, 128, 128).eval()
    assert ffm.low_dw[0].dilation == (4, 4) and ffm.low_dw[0].groups == 128
    assert not isinstance(ffm.high[-1], nn.ReLU) and not isinstance(ffm.low_pw[-1], nn.ReLU)
    high, low = torch.randn(1, 64, 16, 32), torch.randn(1, 128, 4, 8)
    with torch.no_grad():
        upsampled = F.interpolate(low, size=(16, 32), mode="bilinear", align_corners=False)
        low_only = F.relu(ffm.low_pw(ffm.low_dw(upsampled)))
        assert torch.allclose(ffm(high, low, 0.0), low_only)
        assert not torch.allclose(ffm(high, low, 1.0), low_only)


@pytest.mark.parametrize("n", [12, 16, 24, 48, 96])
def test_ndnet_residual_layer_matches_eq_6(n):
    e = 4
    layer = NarrowResidualLayer(n, expansion=e)
    eq6 = 9 * e * n + e * n * n + 9 * n + e * n * n
    assert n_conv_weights(layer) == eq6
    # BN after each of the four convs adds a scale and a shift per channel: 2(en + n + n + en).
    assert n_params(layer) == eq6 + 4 * e * n + 4 * n
    x = torch.randn(1, e * n, 8, 8)
    assert layer(x).shape == x.shape


def test_ndnet_strided_layer_has_parameter_free_shortcut():
    layer = NarrowResidualLayer(48, expansion=4, stride=2, in_ch=96).eval()
    assert layer(torch.randn(1, 96, 45, 60)).shape == (1, 192, 23, 30)
    # Only the two depthwise-separable convs (and their BNs) hold parameters.
    assert n_conv_weights(layer) == 9 * 96 + 96 * 48 + 9 * 48 + 48 * 192


def test_sblock_two_convs_share_one_parameter():
    block = SBlock(64)
    assert block.conv1.weight is block.conv2.weight
    assert block.bn1 is not block.bn2
    # One 3x3 weight tensor, two BNs.
    assert count_parameters(block) == 9 * 64 * 64 + 2 * 2 * 64
    # Training updates both uses together: the gradient reaches the single tensor.
    block.train()
    block(torch.randn(2, 64, 8, 8)).sum().backward()
    assert block.conv1.weight.grad is not None
    assert any(isinstance(m, nn.Dropout2d) for m in block.modules())


def test_sblock_sharing_survives_state_dict_round_trip():
    a, b = SBlock(16), SBlock(16)
    b.load_state_dict(a.state_dict())
    assert b.conv1.weight is b.conv2.weight
    assert torch.equal(b.conv1.weight, a.conv1.weight)


def test_shelfnet_decoder_step_upsamples_to_the_lateral():
    step = DecoderStep(256, 128).eval()
    out = step(torch.randn(1, 256, 12, 15), torch.randn(1, 128, 23, 30))
    assert out.shape == (1, 128, 23, 30)


@pytest.mark.parametrize("depth,channels", [(18, (128, 256, 512)), (50, (512, 1024, 2048))])
def test_resnet_features_at_1_8_1_16_1_32(depth, channels):
    backbone = resnet(depth).eval()
    with torch.no_grad():
        feats = backbone(torch.randn(1, 3, 64, 128))
    assert [f.shape[1] for f in feats] == list(channels) == list(backbone.out_channels)
    assert [f.shape[-2:] for f in feats] == [(8, 16), (4, 8), (2, 4)]


def test_resnet_depths_have_the_standard_block_counts():
    assert count_parameters(resnet(18)) == 11_176_512   # ResNet-18 without its fc layer
    assert count_parameters(resnet(50)) == 23_508_032   # ResNet-50 without its fc layer


def test_stage_pooling_reuses_pooled_early_features_through_a_gain():
    pool = StagePooling(64, 96, factor=2).eval()
    stage, early = torch.randn(1, 96, 23, 30), torch.randn(1, 64, 45, 60)
    with torch.no_grad():
        assert torch.equal(pool(stage, early, 0.0), F.relu(stage))
        assert pool(stage, early, 1.0).shape == (1, 96, 23, 30)
