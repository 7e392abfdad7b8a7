"""The on-device augmentation draws what zoo/data.py's Augment draws, image and label still aligned."""
import colorsys

import numpy as np
import pytest
import torch

from zoo import data
from zoo.device_augment import DeviceBatches, gaussian_blur, shift_hue

PALETTE = np.array([[30 + 20 * k, 250 - 20 * k, (90 * k) % 256] for k in range(11)], np.uint8)


def checkerboard(h=72, w=96, cell=12, seed=0):
    """A frame whose colour says its label: cells of the 11 classes (no void), one colour each."""
    rng = np.random.default_rng(seed)
    cells = rng.integers(0, 11, (h // cell, w // cell))
    label = np.kron(cells, np.ones((cell, cell), np.int64)).astype(np.uint8)
    return PALETTE[label], label


def batches(frames, crop, scale, batch_size=4, seed=0):
    images, labels = zip(*frames)
    return DeviceBatches(list(images), list(labels), crop, scale, 11, batch_size, seed, "cpu")


def test_rescale_crop_and_flip_keep_image_and_label_aligned():
    db = batches([checkerboard(seed=s) for s in range(8)], crop=(48, 64), scale=(0.5, 2.0))
    db.generator.manual_seed(1)
    for _ in range(4):
        pick = torch.arange(4) + torch.randint(0, 5, (1,), generator=db.generator)
        rgb, label = db.geometric(db.images[pick].float(), db.labels[pick])
        label = label.long().numpy()
        colour = rgb.permute(0, 2, 3, 1).numpy()
        nearest = np.abs(colour[..., None, :] - PALETTE.astype(np.float32)).sum(-1).argmin(-1)
        inside = label != 11
        # bilinear colours blend across cell edges; everywhere else colour and label agree
        assert (nearest[inside] == label[inside]).mean() > 0.9
        mean_colour = 255 * np.array(data.MEAN, np.float32)
        assert np.allclose(colour[~inside], mean_colour, atol=1e-3)  # padding: the mean colour


def test_full_size_crop_at_scale_one_is_the_frame_or_its_mirror():
    frames = [checkerboard(seed=s) for s in range(16)]
    db = batches(frames, crop=(72, 96), scale=(1.0, 1.0), batch_size=16)
    db.generator.manual_seed(0)
    order = torch.arange(16)
    rgb, label = db.geometric(db.images[order].float(), db.labels[order])
    flipped = 0
    for i in range(16):
        image, truth = frames[i]
        if torch.equal(label[i].byte(), torch.from_numpy(truth[:, ::-1].copy())):
            flipped += 1
            truth_rgb = image[:, ::-1]
        else:
            assert torch.equal(label[i].byte(), torch.from_numpy(truth))
            truth_rgb = image
        assert np.allclose(rgb[i].permute(1, 2, 0).numpy(), truth_rgb, atol=1e-3)
    assert 0 < flipped < 16


def test_padding_has_the_void_label_below_and_right_of_a_shrunk_frame():
    db = batches([checkerboard()], crop=(72, 96), scale=(0.5, 0.5), batch_size=1)
    db.generator.manual_seed(0)
    _, label = db.geometric(db.images.float(), db.labels)
    assert (label[0, 36:] == 11).all()
    # padded on the right, then the crop is flipped or not, as Augment does
    left, right = label[0, :36, :48], label[0, :36, 48:]
    assert ((left != 11).all() and (right == 11).all()) or ((left == 11).all() and (right != 11).all())


@pytest.mark.parametrize("scale", [(0.5, 2.0), (0.5, 1.0)])
def test_share_of_padding_matches_the_opencv_augment(scale):
    frames = [checkerboard(seed=s) for s in range(8)]
    crop = (72, 96)
    cpu = data.Augment(crop, scale, 11, photometric=False)
    rng = np.random.default_rng(0)
    cpu_void = np.mean([(cpu(*frames[i % 8], rng)[1] == 11).mean() for i in range(400)])
    db = batches(frames, crop, scale, batch_size=8)
    db.generator.manual_seed(0)
    every = torch.arange(8)
    device_void = np.mean([(db.geometric(db.images.float(), db.labels[every])[1] == 11).float().mean().item()
                           for _ in range(50)])
    assert device_void == pytest.approx(cpu_void, abs=0.04)
    if scale == (0.5, 1.0):
        assert device_void > 0.2  # the check has something to compare


def test_hue_shift_is_the_hsv_rotation():
    f = torch.rand(2, 3, 5, 7, generator=torch.Generator().manual_seed(0)) * 255
    degrees = torch.tensor([18.0, -12.0]).view(2, 1, 1)
    shifted = shift_hue(f, degrees)
    for n in range(2):
        for y, x in [(0, 0), (2, 3), (4, 6)]:
            h, s, v = colorsys.rgb_to_hsv(*(f[n, :, y, x] / 255).tolist())
            expected = colorsys.hsv_to_rgb((h + degrees[n].item() / 360) % 1, s, v)
            assert np.allclose(shifted[n, :, y, x].numpy() / 255, expected, atol=1e-5)
    assert torch.allclose(shift_hue(f, torch.zeros(2, 1, 1)), f, atol=1e-3)


def test_blur_keeps_a_flat_frame_and_smooths_an_edge():
    flat = torch.full((2, 3, 20, 30), 100.0)
    assert torch.allclose(gaussian_blur(flat, torch.tensor([0.3, 1.5])), flat)
    edge = torch.zeros(2, 3, 20, 30)
    edge[..., 15:] = 255.0
    out = gaussian_blur(edge, torch.tensor([0.3, 1.5]))
    assert out[1, 0, 10, 14] > out[0, 0, 10, 14] > 0  # the wider sigma spreads further


def test_epochs_are_reproducible_and_differ():
    frames = [checkerboard(seed=s) for s in range(4)]
    first = [x for x, _ in batches(frames, (48, 64), (0.5, 2.0)).epoch(3)]
    again = [x for x, _ in batches(frames, (48, 64), (0.5, 2.0)).epoch(3)]
    other = [x for x, _ in batches(frames, (48, 64), (0.5, 2.0)).epoch(4)]
    assert torch.equal(first[0], again[0]) and not torch.equal(first[0], other[0])
    assert first[0].shape == (4, 3, 48, 64) and first[0].dtype == torch.float32


def test_frames_of_different_sizes_are_refused():
    a, b = checkerboard(), checkerboard(h=48)
    with pytest.raises(ValueError, match="frames of one size"):
        batches([a, b], (48, 64), (1.0, 1.0))
