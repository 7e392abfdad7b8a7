"""Every network maps N x 3 x H x W to N x C x H x W, also where H, W are not multiples of 32."""
import pytest
import torch

from zoo.registry import create, names, spec
from zoo.tests.conftest import LIGHT

HEAVY = tuple(n for n in names() if n not in LIGHT)


def _logits(name, size, num_classes=19):
    model = create(name, num_classes=num_classes).eval()
    with torch.no_grad():
        return model(torch.randn(1, 3, *size))


@pytest.mark.parametrize("name", names())
@pytest.mark.parametrize("size", [(360, 480), (512, 1024)])
def test_logits_at_input_resolution(name, size):
    assert _logits(name, size).shape == (1, 19, *size)


@pytest.mark.parametrize("name", LIGHT)
def test_full_cityscapes_resolution_light(name):
    assert _logits(name, (1024, 2048)).shape == (1, 19, 1024, 2048)


@pytest.mark.slow
@pytest.mark.parametrize("name", HEAVY)
def test_full_cityscapes_resolution_heavy(name):
    assert _logits(name, (1024, 2048)).shape == (1, 19, 1024, 2048)


@pytest.mark.parametrize("name", names())
def test_odd_sizes_and_batches(name):
    model = create(name, num_classes=11).eval()
    with torch.no_grad():
        assert model(torch.randn(2, 3, 72, 100)).shape == (2, 11, 72, 100)


@pytest.mark.parametrize("name", names())
def test_training_mode_returns_aux_logits_only_when_the_network_has_aux_heads(name):
    model = create(name, num_classes=7).train()
    out = model(torch.randn(2, 3, 64, 128))
    if spec(name)["aux_weight"] > 0:
        assert isinstance(out, tuple) and len(out) == 3
        assert out[0].shape == (2, 7, 64, 128)
        for aux in out[1:]:
            assert aux.shape[:2] == (2, 7) and aux.shape[2] < 64 and aux.shape[3] < 128
    else:
        assert isinstance(out, torch.Tensor) and out.shape == (2, 7, 64, 128)


def test_fastscnn_aux_heads_sit_after_module_1_and_module_2():
    out = create("fastscnn").train()(torch.randn(2, 3, 64, 128))
    assert out[1].shape[-2:] == (8, 16)   # end of learning-to-downsample, 1/8
    assert out[2].shape[-2:] == (2, 4)    # end of global feature extractor, 1/32
    assert spec("fastscnn")["aux_weight"] == 0.4


@pytest.mark.parametrize("name", [n for n in names() if spec(n)["knobs"]])
def test_knobs_default_to_one_and_zero_changes_the_output(name):
    torch.manual_seed(0)
    model = create(name, num_classes=5).eval()
    x = torch.randn(1, 3, 64, 128)
    with torch.no_grad():
        base = model(x)
        for knob, default in spec(name)["knobs"].items():
            assert default == 1.0
            assert torch.equal(model(x, **{knob: 1.0}), base)
            assert torch.equal(model(x, **{knob: torch.tensor(1.0)}), base)
            assert not torch.allclose(model(x, **{knob: 0.0}), base), knob
