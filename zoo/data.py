"""CamVid (SegNet split) for training and validation.

The whole split is small (367 + 101 images at 480x360), so it is decoded once into memory and
augmented on the fly with OpenCV; no worker processes, the cores belong to the network.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import torch

REPO = Path(__file__).resolve().parent.parent
PALETTES = REPO / "assets" / "palettes"

# ImageNet statistics: the usual choice for street-scene networks, written into every export.
MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)


def label_set(name: str) -> dict:
    """Class names, palette and ignore index of a label set (assets/palettes/NAME.json)."""
    return json.loads((PALETTES / f"{name}.json").read_text())


def read_split(root: Path, list_name: str) -> list[tuple[Path, Path]]:
    """Pairs (image, label) from a CamVid list file such as train.txt / val.txt."""
    pairs = []
    for line in (root / list_name).read_text().splitlines():
        if line.strip():
            image, label = line.split()[:2]
            pairs.append((root / image.lstrip("/"), root / label.lstrip("/")))
    return pairs


def load_pairs(pairs: list[tuple[Path, Path]]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Decode every pair: images as RGB uint8 HxWx3, labels as uint8 HxW."""
    images, labels = [], []
    for image_path, label_path in pairs:
        bgr = cv2.imread(str(image_path), cv2.IMREAD_COLOR)
        label = cv2.imread(str(label_path), cv2.IMREAD_UNCHANGED)
        if bgr is None or label is None:
            raise ValueError(f"{image_path if bgr is None else label_path}: cannot be decoded")
        if label.shape != bgr.shape[:2]:
            raise ValueError(f"{label_path}: label is {label.shape[1]}x{label.shape[0]}, "
                             f"image is {bgr.shape[1]}x{bgr.shape[0]}")
        images.append(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
        labels.append(label)
    return images, labels


def normalise(rgb: np.ndarray, mean=MEAN, std=STD) -> torch.Tensor:
    """HxWx3 uint8 RGB -> 3xHxW float, (x/255 - mean) / std, the contract of docs/model-format.md."""
    x = rgb.astype(np.float32) / 255.0
    x = (x - np.array(mean, np.float32)) / np.array(std, np.float32)
    return torch.from_numpy(np.ascontiguousarray(x.transpose(2, 0, 1)))


@dataclass
class Augment:
    """Random scale, crop and flip, then photometric changes strong enough for another day's light
    and another camera: brightness, contrast, saturation and hue jitter, blur and sensor noise.

    `photometric=False` keeps only the mild brightness/contrast/colour noise of the first recipe
    (kept so that older runs can be resumed unchanged)."""
    crop: tuple[int, int]
    scale: tuple[float, float] = (0.5, 2.0)
    ignore_index: int = 11
    photometric: bool = True

    def __call__(self, rgb: np.ndarray, label: np.ndarray, rng: np.random.Generator):
        s = rng.uniform(*self.scale)
        h, w = label.shape
        nh, nw = max(int(h * s + 0.5), 8), max(int(w * s + 0.5), 8)
        rgb = cv2.resize(rgb, (nw, nh), interpolation=cv2.INTER_LINEAR)
        label = cv2.resize(label, (nw, nh), interpolation=cv2.INTER_NEAREST)
        ch, cw = self.crop
        # Pad with the mean colour (zero after normalisation) and the ignore label.
        ph, pw = max(ch - nh, 0), max(cw - nw, 0)
        if ph or pw:
            mean_rgb = [int(255 * m) for m in MEAN]
            rgb = cv2.copyMakeBorder(rgb, 0, ph, 0, pw, cv2.BORDER_CONSTANT, value=mean_rgb)
            label = cv2.copyMakeBorder(label, 0, ph, 0, pw, cv2.BORDER_CONSTANT, value=self.ignore_index)
        y = rng.integers(0, rgb.shape[0] - ch + 1)
        x = rng.integers(0, rgb.shape[1] - cw + 1)
        rgb, label = rgb[y:y + ch, x:x + cw], label[y:y + ch, x:x + cw]
        if rng.random() < 0.5:
            rgb, label = rgb[:, ::-1], label[:, ::-1]
        rgb = photometric(np.ascontiguousarray(rgb), rng) if self.photometric \
            else mild_photometric(rgb, rng)
        return rgb, np.ascontiguousarray(label)


def mild_photometric(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The first recipe's brightness, contrast and per-channel colour noise."""
    f = rgb.astype(np.float32)
    f = (f - f.mean()) * rng.uniform(0.8, 1.2) + f.mean() + rng.uniform(-25, 25)
    f = f * rng.uniform(0.92, 1.08, size=3).astype(np.float32)
    return np.clip(f, 0, 255).astype(np.uint8)


def photometric(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Colour jitter in random order of brightness, contrast, saturation (each x0.6-1.4) and hue
    (+-18 degrees), then a Gaussian blur (p 0.3, sigma 0.3-1.5) and sensor noise (p 0.3, sigma
    2-8 grey levels). The unseen CamVid sequences differ from the training ones mostly in light,
    white balance and camera sharpness, so each of these is wide."""
    f = rgb.astype(np.float32)
    for op in rng.permutation(4):
        if op == 0:  # brightness
            f *= rng.uniform(0.6, 1.4)
        elif op == 1:  # contrast about the mean grey
            grey = f.mean()
            f = (f - grey) * rng.uniform(0.6, 1.4) + grey
        elif op == 2:  # saturation about each pixel's grey
            grey = f @ np.array([0.299, 0.587, 0.114], np.float32)
            f = (f - grey[..., None]) * rng.uniform(0.6, 1.4) + grey[..., None]
        else:  # hue: OpenCV's 8-bit hue runs 0..180
            hsv = cv2.cvtColor(np.clip(f, 0, 255).astype(np.uint8), cv2.COLOR_RGB2HSV)
            hsv[..., 0] = ((hsv[..., 0].astype(np.int16) + int(rng.integers(-9, 10))) % 180).astype(np.uint8)
            f = cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB).astype(np.float32)
    if rng.random() < 0.3:
        f = cv2.GaussianBlur(f, (0, 0), rng.uniform(0.3, 1.5))
    if rng.random() < 0.3:
        f += rng.normal(0.0, rng.uniform(2, 8), f.shape).astype(np.float32)
    return np.clip(f, 0, 255).astype(np.uint8)


class TrainBatches:
    """Endless shuffled epochs of augmented (image, label) batches from in-memory data."""

    def __init__(self, images, labels, augment: Augment, batch_size: int, seed: int):
        self.images, self.labels, self.augment = images, labels, augment
        self.batch_size = batch_size
        self.rng = np.random.default_rng(seed)

    def __len__(self) -> int:
        return len(self.images) // self.batch_size  # drop the ragged tail: BN wants full batches

    def epoch(self):
        order = self.rng.permutation(len(self.images))
        for b in range(len(self)):
            xs, ys = [], []
            for i in order[b * self.batch_size:(b + 1) * self.batch_size]:
                rgb, label = self.augment(self.images[i], self.labels[i], self.rng)
                xs.append(normalise(rgb))
                ys.append(torch.from_numpy(label.astype(np.int64)))
            yield torch.stack(xs), torch.stack(ys)


def class_weights(labels: list[np.ndarray], num_classes: int, ignore_index: int) -> torch.Tensor:
    """Square root of median-frequency balancing: helps thin and rare classes (pole, sign,
    bicyclist) without the instability of full inverse-frequency weights."""
    counts = np.zeros(num_classes, np.float64)
    for label in labels:
        hist = np.bincount(label.ravel(), minlength=max(num_classes, ignore_index + 1))
        counts += hist[:num_classes]
    freq = counts / counts.sum()
    w = np.sqrt(np.median(freq) / np.maximum(freq, 1e-12))
    return torch.tensor(w / w.mean(), dtype=torch.float32)


def load_packed(path: Path, split: str) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Decode one split of a file written by `python -m zoo pack`: RGB uint8 images, uint8 labels."""
    with np.load(path) as pack:
        blob, offsets = pack[f"{split}_blob"], pack[f"{split}_offsets"]
    images, labels = [], []
    for i in range(0, len(offsets) - 1, 2):
        jpeg = blob[offsets[i]:offsets[i + 1]]
        png = blob[offsets[i + 1]:offsets[i + 2]]
        images.append(cv2.cvtColor(cv2.imdecode(jpeg, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB))
        labels.append(cv2.imdecode(png, cv2.IMREAD_UNCHANGED))
    return images, labels


class AugmentedFrames(torch.utils.data.Dataset):
    """The same augmentation as TrainBatches, one frame per index, for a DataLoader with worker
    processes (a GPU machine's cores feed its GPU). Each (epoch, index) draws from its own seeded
    generator, so a resumed run sees the same stream without carrying RNG state."""

    def __init__(self, images, labels, augment: Augment, seed: int):
        self.images, self.labels, self.augment, self.seed = images, labels, augment, seed
        self.epoch = 0

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, i: int):
        rng = np.random.default_rng((self.seed, self.epoch, i))
        rgb, label = self.augment(self.images[i], self.labels[i], rng)
        return normalise(rgb), torch.from_numpy(label.astype(np.int64))
