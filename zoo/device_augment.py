"""The training augmentation (zoo/data.py, Augment) as batched tensor operations on the training device.

On a GPU machine the CPU cannot keep up: OpenCV augments about 80 full frames a second per core,
and one small network on an H200 takes several hundred a second, so several runs side by side
would each wait for their frames. Here the 468 frames live on the GPU (240 MB as uint8) and every
batch is rescaled, cropped, flipped and photometrically changed there, in a few dozen kernels.

The same distribution as Augment: rescale x0.5-2, a crop of the rescaled frame padded below and
to the right with the mean colour and the void label, a horizontal flip (p 0.5), then brightness,
contrast, saturation (x0.6-1.4 each) and hue (2-degree steps within +-18) in a random order per
frame, a Gaussian blur (p 0.3, sigma 0.3-1.5) and sensor noise (p 0.3, sigma 2-8 grey levels).
It differs from OpenCV's arithmetic only in rounding: bilinear sampling without OpenCV's
fixed-point weights, hue shifted in float rather than 8-bit HSV, no uint8 steps in between.
Each epoch draws from a generator seeded by (seed, epoch), so a resumed run sees the same stream.
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from zoo import data

GREY = (0.299, 0.587, 0.114)  # ITU-R BT.601 luma, as OpenCV's saturation and grey use
BLUR_RADIUS = 6  # taps either side: 4 sigma at the largest sigma, 1.5, as OpenCV sizes it


class DeviceBatches:
    """Endless shuffled epochs of augmented, normalised (image, label) batches made on `device`."""

    def __init__(self, images: list[np.ndarray], labels: list[np.ndarray], crop: tuple[int, int],
                 scale: tuple[float, float], ignore_index: int, batch_size: int, seed: int,
                 device: torch.device):
        if len({im.shape for im in images}) != 1:
            raise ValueError("device augmentation needs frames of one size; these differ: "
                             + ", ".join(sorted({f"{im.shape[1]}x{im.shape[0]}" for im in images})))
        self.device = torch.device(device)
        self.images = torch.from_numpy(np.stack(images)).permute(0, 3, 1, 2).contiguous().to(self.device)
        self.labels = torch.from_numpy(np.stack(labels)).to(self.device)
        self.crop, self.scale, self.ignore = crop, scale, ignore_index
        self.batch_size, self.seed = batch_size, seed
        self.generator = torch.Generator(device=self.device)
        self.mean = torch.tensor(data.MEAN, device=self.device).view(1, 3, 1, 1)
        self.std = torch.tensor(data.STD, device=self.device).view(1, 3, 1, 1)

    def __len__(self) -> int:
        return len(self.images) // self.batch_size  # drop the ragged tail: BN wants full batches

    def uniform(self, n: int, low: float, high: float) -> torch.Tensor:
        return torch.rand(n, generator=self.generator, device=self.device) * (high - low) + low

    def epoch(self, epoch: int):
        self.generator.manual_seed(self.seed * 100_003 + epoch)
        order = torch.randperm(len(self.images), generator=self.generator, device=self.device)
        for b in range(len(self)):
            pick = order[b * self.batch_size:(b + 1) * self.batch_size]
            rgb, label = self.geometric(self.images[pick].float(), self.labels[pick])
            rgb = self.photometric(rgb)
            yield (rgb / 255.0 - self.mean) / self.std, label.long()

    def geometric(self, rgb: torch.Tensor, label: torch.Tensor):
        """Rescale, crop (padding below and right) and flip, as one sampling grid per frame."""
        n, _, h, w = rgb.shape
        ch, cw = self.crop
        s = self.uniform(n, *self.scale)
        nh = torch.clamp(torch.floor(h * s + 0.5), min=8)
        nw = torch.clamp(torch.floor(w * s + 0.5), min=8)
        # crop origin in the rescaled frame padded to at least the crop: uniform over the positions
        room_y, room_x = torch.clamp(nh - ch, min=0), torch.clamp(nw - cw, min=0)
        oy = torch.minimum(torch.floor(self.uniform(n, 0, 1) * (room_y + 1)), room_y)
        ox = torch.minimum(torch.floor(self.uniform(n, 0, 1) * (room_x + 1)), room_x)
        flip = self.uniform(n, 0, 1) < 0.5
        ys = torch.arange(ch, device=self.device, dtype=torch.float32).view(1, ch, 1)
        xs = torch.arange(cw, device=self.device, dtype=torch.float32).view(1, 1, cw)
        xs = torch.where(flip.view(n, 1, 1), cw - 1 - xs, xs)  # the crop is flipped after cropping
        ry, rx = ys + oy.view(n, 1, 1), xs + ox.view(n, 1, 1)  # pixel in the rescaled frame
        inside = (ry < nh.view(n, 1, 1)) & (rx < nw.view(n, 1, 1))
        # rescaled pixel centre -> source pixel centre (OpenCV's half-pixel mapping) -> [-1, 1]
        sy = (ry + 0.5) * (h / nh).view(n, 1, 1) / h * 2 - 1
        sx = (rx + 0.5) * (w / nw).view(n, 1, 1) / w * 2 - 1
        grid = torch.stack([sx.expand(n, ch, cw), sy.expand(n, ch, cw)], dim=-1)
        rgb = F.grid_sample(rgb, grid, mode="bilinear", padding_mode="border", align_corners=False)
        rgb = torch.where(inside.unsqueeze(1), rgb, 255.0 * self.mean)
        label = F.grid_sample(label.unsqueeze(1).float(), grid, mode="nearest", padding_mode="border",
                              align_corners=False).squeeze(1)
        label = torch.where(inside, label, float(self.ignore))
        return rgb, label

    def photometric(self, f: torch.Tensor) -> torch.Tensor:
        """Jitter in a random order per frame, then blur and noise; f is N x 3 x H x W in 0..255."""
        n = f.shape[0]
        one = lambda: self.uniform(n, 0.6, 1.4).view(n, 1, 1, 1)  # noqa: E731
        factors = {0: one(), 1: one(), 2: one()}
        hue = (torch.randint(-9, 10, (n,), generator=self.generator, device=self.device) * 2.0).view(n, 1, 1)
        order = torch.argsort(torch.rand(n, 4, generator=self.generator, device=self.device), dim=1)
        for slot in range(4):
            for op in range(4):
                chosen = (order[:, slot] == op).view(n, 1, 1, 1)
                if op == 0:  # brightness
                    f = f * torch.where(chosen, factors[0], 1.0)
                elif op == 1:  # contrast about each frame's mean grey
                    grey = f.mean(dim=(1, 2, 3), keepdim=True)
                    f = (f - grey) * torch.where(chosen, factors[1], 1.0) + grey
                elif op == 2:  # saturation about each pixel's grey
                    grey = luma(f)
                    f = (f - grey) * torch.where(chosen, factors[2], 1.0) + grey
                else:
                    f = torch.where(chosen, shift_hue(f.clamp(0, 255), torch.where(chosen.view(n, 1, 1), hue, 0.0)), f)
        blurred = self.uniform(n, 0, 1) < 0.3
        f = torch.where(blurred.view(n, 1, 1, 1), gaussian_blur(f, self.uniform(n, 0.3, 1.5)), f)
        noisy = (self.uniform(n, 0, 1) < 0.3).float() * self.uniform(n, 2, 8)
        f = f + torch.randn(f.shape, generator=self.generator, device=self.device) * noisy.view(n, 1, 1, 1)
        return f.clamp(0, 255)


def luma(f: torch.Tensor) -> torch.Tensor:
    return (f * torch.tensor(GREY, device=f.device, dtype=f.dtype).view(1, 3, 1, 1)).sum(1, keepdim=True)


def shift_hue(f: torch.Tensor, degrees: torch.Tensor) -> torch.Tensor:
    """Rotate each pixel's hue by `degrees` (N x 1 x 1) keeping its value and saturation (HSV)."""
    r, g, b = f.unbind(1)
    value, _ = f.max(1)
    low, _ = f.min(1)
    delta = value - low
    safe = torch.where(delta > 0, delta, 1.0)
    hue = torch.where(value == r, (g - b) / safe,
                      torch.where(value == g, 2.0 + (b - r) / safe, 4.0 + (r - g) / safe))
    hue = torch.remainder(hue + degrees / 60.0, 6.0)  # sextants of the colour wheel
    # HSV back to RGB, written as each channel's distance around the wheel (no branches)
    channels = []
    for k in (5.0, 3.0, 1.0):
        t = torch.remainder(k + hue, 6.0)
        channels.append(value - delta * torch.clamp(torch.minimum(t, 4.0 - t), 0.0, 1.0))
    return torch.stack(channels, 1)


def gaussian_blur(f: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
    """Separable Gaussian blur with one sigma per frame, borders reflected as OpenCV's default."""
    n, c, h, w = f.shape
    taps = torch.arange(-BLUR_RADIUS, BLUR_RADIUS + 1, device=f.device, dtype=f.dtype)
    kernel = torch.exp(-0.5 * (taps.view(1, -1) / sigma.view(-1, 1)) ** 2)
    kernel = (kernel / kernel.sum(1, keepdim=True)).repeat_interleave(c, 0)  # (n*c) x taps
    x = F.pad(f.reshape(1, n * c, h, w), (BLUR_RADIUS, BLUR_RADIUS, BLUR_RADIUS, BLUR_RADIUS), mode="reflect")
    x = F.conv2d(x, kernel.view(n * c, 1, 1, -1), groups=n * c)
    x = F.conv2d(x, kernel.view(n * c, 1, -1, 1), groups=n * c)
    return x.view(n, c, h, w)

