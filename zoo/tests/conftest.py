"""Shared helpers for the zoo tests: keep inputs small, the machine is a shared 2-core CPU."""
import pytest
import torch
import torch.nn as nn

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
    model.train()
    for _ in range(2):
        model(torch.randn(2, 3, *size, generator=generator))
    return model.eval()


@pytest.fixture
def rng():
    return torch.Generator().manual_seed(1234)
