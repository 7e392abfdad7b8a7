"""Shared helpers for the zoo tests: keep inputs small, the machine is a shared 2-core CPU."""
import pytest
import torch
import torch.nn as nn

from zoo.models.resnet import BasicBlock, Bottleneck

# Networks cheap enough to run at full Cityscapes resolution on a CPU in a test run.
LIGHT = ("fastscnn", "ndnet29", "ndnet45", "ndnet61", "ndnet29_wide", "spssnet")


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: heavy CPU work (full-resolution ShelfNet); "
                                       "deselect with -m 'not slow'")


@torch.no_grad()
def calibrate_batch_norm(model: nn.Module, size=(64, 128), seed: int = 0) -> nn.Module:
    """Give every BN random affine parameters, then statistics measured on random inputs, the
    way a trained network's BNs look: outputs then depend on every layer (a fresh BN is an
    identity) without activations blowing up through 100 residual layers."""
    generator = torch.Generator().manual_seed(seed)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.weight.copy_(torch.rand(m.num_features, generator=generator) + 0.5)
            m.bias.copy_(torch.randn(m.num_features, generator=generator) * 0.1)
            m.reset_running_stats()
            m.momentum = None  # cumulative average over the calibration batches
    # As in trained ResNets, the BN closing each residual branch stays small, so the residual
    # stream of a 100-layer backbone keeps a moderate scale (fp32 parity is then meaningful).
    for m in model.modules():
        if isinstance(m, (BasicBlock, Bottleneck)):
            m.body[-1][1].weight.copy_(torch.rand(m.body[-1][1].num_features,
                                                  generator=generator) * 0.2 + 0.1)
    model.train()
    for _ in range(2):
        model(torch.randn(2, 3, *size, generator=generator))
    return model.eval()


@pytest.fixture
def rng():
    return torch.Generator().manual_seed(1234)
