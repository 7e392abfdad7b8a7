"""Export the external reference model: the published CamVid ESPNet, with its authors' weights.

    python -m zoo reference [--checkpoint PTH] [--out assets/models/espnet_camvid.onnx]

The checkpoint (../shared/reference-models/espnet/, MIT, Sachin Mehta) is loaded into our own
definition (zoo/models/espnet.py) and exported so that the engine feeds it like every other model:
- The authors feed BGR images standardised in 0..255 units and then divided by 255 once more.
  The exported graph takes the engine's RGB input and does the channel swap and the extra /255
  itself; the metadata's mean/std are the authors' statistics divided by 255, so the engine's
  `(x/255 - mean) / std` equals their `(x - mean) / std` before the graph's /255.
- Its 12th output is CamVid's void (label 11). The metadata lists it as a 12th class `void` with
  `void_class` 11, and the engine counts a void prediction as an error for the pixel's ground-truth
  class (docs/void-classes.md).
- Licence and attribution travel in the metadata (`licence`, `source`) and in assets/models/README.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import cv2
import numpy as np
import torch
import torch.nn as nn

from zoo import data
from zoo.export import build_metadata, export_graph, flush_subnormals, load_label_set, set_metadata
from zoo.registry import count_parameters, create, spec

CHECKPOINT = data.REPO.parent / "shared" / "reference-models" / "espnet" / \
    "espnet_p_2_q_8_camvid.pth"
OUT = data.REPO / "assets" / "models" / "espnet_camvid.onnx"
# The authors' loader: the mean over the 367 CamVid train images of each image's per-channel mean
# and standard deviation, BGR, 0..255. Recomputed here by `measure_statistics` (a test checks it).
MEAN_BGR = (110.33139, 108.40919, 105.03353)
STD_BGR = (72.125206, 72.68849, 69.902596)
VOID_CLASS = 11
PUBLISHED_TEST_MIOU = 55.64
LICENCE = "MIT, Copyright (c) 2018 Sachin Mehta"
SOURCE = ("weights by the ESPNet authors, github.com/sacmehta/ESPNet commit afe71c38, "
          "pretrained/decoder/espnet_p_2_q_8_camvid.pth (sha256 7d354a25...); exported by segbench")


class EngineInput(nn.Module):
    """The engine's RGB input in, the authors' BGR `/255` convention inside the graph."""

    def __init__(self, network: nn.Module):
        super().__init__()
        self.network = network

    def forward(self, image):
        return self.network(image[:, [2, 1, 0]] / 255.0)


def measure_statistics(data_root: Path) -> tuple[np.ndarray, np.ndarray]:
    """BGR mean and std in 0..255 units, averaged per image over the train split."""
    means, stds = [], []
    for image_path, _ in data.read_split(data_root, "train.txt"):
        pixels = cv2.imread(str(image_path), cv2.IMREAD_COLOR).reshape(-1, 3).astype(np.float32)
        means.append(pixels.mean(0))
        stds.append(pixels.std(0))
    return np.mean(means, 0), np.mean(stds, 0)


def load_network(checkpoint: Path = CHECKPOINT) -> nn.Module:
    """Our ESPNet definition with the authors' weights (every key must match)."""
    state = torch.load(checkpoint, map_location="cpu", weights_only=True)
    network = create("espnet", num_classes=len(void_label_set()["classes"]))
    network.load_state_dict(state, strict=True)
    return network.eval()


def void_label_set() -> dict:
    """CamVid's 11 classes plus void as class 11, drawn black."""
    labels = load_label_set("camvid")
    return {**labels, "classes": labels["classes"] + ["void"],
            "palette": labels["palette"] + [[0, 0, 0]]}


def engine_normalisation() -> tuple[list[float], list[float]]:
    """RGB mean/std on the engine's 0..1 scale that reproduce the authors' standardisation."""
    mean = [m / 255.0 for m in reversed(MEAN_BGR)]
    std = [s / 255.0 for s in reversed(STD_BGR)]
    return mean, std


def export_reference(checkpoint: Path = CHECKPOINT, out: Path = OUT, val_miou=None) -> Path:
    network = load_network(checkpoint)
    graph = export_graph(EngineInput(network), out, sample_size=(64, 96))
    facts = spec("espnet")
    mean, std = engine_normalisation()
    metadata = build_metadata(
        void_label_set(), name="ESPNet (external reference)", paper=facts["paper"],
        description=facts["description"], parameters=count_parameters(network),
        input_size=facts["input_size"],
        training=f"by its authors on CamVid train (367 images) at 480x360; published CamVid "
                 f"test mIoU {PUBLISHED_TEST_MIOU}", val_miou=val_miou, mean=mean, std=std)
    metadata.update({"void_class": str(VOID_CLASS), "licence": LICENCE, "source": SOURCE,
                     "reference": f"external reference (published test {PUBLISHED_TEST_MIOU})",
                     "size_multiple": "8"})
    set_metadata(graph, metadata)
    flush_subnormals(graph)  # 10,610 in the published weights: three times slower on a CPU
    import onnx
    onnx.checker.check_model(graph)
    onnx.save(graph, str(out))
    return Path(out)


def parity(onnx_path: Path, checkpoint: Path = CHECKPOINT, image: np.ndarray | None = None,
           size=(360, 480)) -> float:
    """Largest absolute logit difference between our definition with the checkpoint, fed as the
    authors feed it (BGR, their standardisation, /255), and the exported file fed as the engine
    feeds it (RGB, metadata mean/std)."""
    import onnxruntime as ort
    if image is None:
        image = np.random.default_rng(0).integers(0, 256, (*size, 3), dtype=np.uint8)
    rgb = cv2.resize(image, (size[1], size[0]))
    bgr = rgb[:, :, ::-1].astype(np.float32)
    authors = ((bgr - np.array(MEAN_BGR, np.float32)) / np.array(STD_BGR, np.float32)) / 255.0
    with torch.no_grad():
        expected = load_network(checkpoint)(torch.from_numpy(
            np.ascontiguousarray(authors.transpose(2, 0, 1)))[None]).numpy()
    mean, std = engine_normalisation()
    fed = data.normalise(rgb, mean, std)[None].numpy()
    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    got = session.run(None, {"image": fed})[0]
    return float(np.abs(got - expected).max())


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m zoo reference", description=__doc__.splitlines()[0])
    p.add_argument("--checkpoint", type=Path, default=CHECKPOINT)
    p.add_argument("--out", type=Path, default=OUT)
    p.add_argument("--val-miou", type=float, help="CamVid val mIoU to record in the metadata")
    args = p.parse_args(argv)
    if not args.checkpoint.exists():
        print(f"{args.checkpoint}: no such checkpoint", file=sys.stderr)
        return 1
    path = export_reference(args.checkpoint, args.out, args.val_miou)
    diff = parity(path, args.checkpoint)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB); max |logit difference| against "
          f"the checkpoint in PyTorch: {diff:.2e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
