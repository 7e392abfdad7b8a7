"""Evaluate a checkpoint or an ONNX file on a CamVid list, the Cityscapes-benchmark way.

`python -m zoo evaluate --onnx assets/models/fastscnn.onnx --data ../shared/datasets/camvid`
`python -m zoo evaluate --model fastscnn --weights zoo/runs/fastscnn/best.pt --set skip_gain=0`

One confusion matrix over the whole list; void (11) ignored; a class with neither ground truth nor
prediction has no IoU and stays out of the mean. Logits are upsampled bilinearly to the label size
before the argmax, as the engine does, so both report the same numbers.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import cv2
import numpy as np
import torch
import torch.nn.functional as F

from zoo import data


class ConfusionMatrix:
    """Rows: ground truth, columns: prediction, plus one last column for predictions outside the
    label set (a model's extra void class, docs/void-classes.md): those pixels are errors for
    their ground-truth class and a false positive for no class."""

    def __init__(self, num_classes: int, ignore_index: int):
        self.n, self.ignore = num_classes, ignore_index
        self.m = np.zeros((num_classes, num_classes + 1), np.int64)

    def update(self, gt: np.ndarray, pred: np.ndarray) -> None:
        keep = (gt != self.ignore) & (gt < self.n)
        cols = np.minimum(pred[keep].astype(np.int64), self.n)
        idx = gt[keep].astype(np.int64) * (self.n + 1) + cols
        self.m += np.bincount(idx, minlength=self.n * (self.n + 1)).reshape(self.n, self.n + 1)

    def iou(self) -> np.ndarray:
        tp = np.diag(self.m).astype(np.float64)
        denom = self.m[:, :self.n].sum(0) + self.m.sum(1) - tp
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(denom > 0, tp / denom, np.nan)

    def class_accuracy(self) -> np.ndarray:
        gt = self.m.sum(1).astype(np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(gt > 0, np.diag(self.m) / gt, np.nan)

    def miou(self) -> float:
        return float(np.nanmean(self.iou()))

    def pixel_accuracy(self) -> float:
        return float(np.trace(self.m) / max(self.m.sum(), 1))


def parse_size(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    h, w = text.lower().split("x")
    return int(h), int(w)


def predict(run, rgb: np.ndarray, size: tuple[int, int] | None, norm=None) -> np.ndarray:
    """Label map at the image's resolution. `run` maps a 1x3xHxW tensor to logits; `norm` is the
    model's (mean, std), ImageNet's when None."""
    h, w = rgb.shape[:2]
    if size and size != (h, w):
        rgb = cv2.resize(rgb, (size[1], size[0]), interpolation=cv2.INTER_LINEAR)
    logits = torch.as_tensor(run(data.normalise(rgb, *(norm or ()))[None]))
    if logits.shape[-2:] != (h, w):
        logits = F.interpolate(logits, size=(h, w), mode="bilinear", align_corners=False)
    return logits[0].argmax(0).numpy().astype(np.uint8)


def torch_runner(model: torch.nn.Module, knobs: dict[str, float]):
    model.eval()

    def run(x):
        with torch.no_grad():
            return model(x, **knobs)
    return run


def onnx_runner(path: Path, knobs: dict[str, float], threads: int = 0):
    import onnxruntime as ort
    opts = ort.SessionOptions()
    opts.log_severity_level = 3  # knob initializers listed as inputs are intended; no warning
    if threads:
        opts.intra_op_num_threads = threads
    session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    image_name = session.get_inputs()[0].name
    feeds = {k: np.array(v, np.float32) for k, v in knobs.items()}

    def run(x):
        return session.run(None, {image_name: x.numpy(), **feeds})[0]
    return run


def onnx_normalisation(path: Path) -> tuple[tuple, tuple]:
    """(mean, std) from an exported file's metadata, ImageNet's when it has none."""
    import onnx
    props = {p.key: p.value for p in onnx.load(str(path), load_external_data=False).metadata_props}
    return (tuple(json.loads(props["mean"])) if "mean" in props else data.MEAN,
            tuple(json.loads(props["std"])) if "std" in props else data.STD)


def evaluate(run, pairs, num_classes: int, ignore_index: int, size=None,
             norm=None) -> ConfusionMatrix:
    cm = ConfusionMatrix(num_classes, ignore_index)
    for image_path, label_path in pairs:
        rgb = cv2.cvtColor(cv2.imread(str(image_path), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
        label = cv2.imread(str(label_path), cv2.IMREAD_UNCHANGED)
        cm.update(label, predict(run, rgb, size, norm))
    return cm


def boundary_band(label: np.ndarray, ignore_index: int, width: int) -> np.ndarray:
    """Pixels within `width` pixels of a change of ground-truth class (void edges included: in
    CamVid, void often outlines objects). Boolean mask, same size as `label`."""
    kernel = np.ones((3, 3), np.uint8)
    edge = cv2.dilate(label, kernel) != cv2.erode(label, kernel)
    band = cv2.dilate(edge.astype(np.uint8), np.ones((2 * width + 1, 2 * width + 1), np.uint8)) > 0
    return band


def boundary_accuracy(run, pairs, ignore_index: int, size=None, width: int = 4,
                      norm=None) -> dict:
    """Pixel accuracy near class boundaries and away from them (void left out of both): where a
    skip connection's fine detail should matter, and where it should not."""
    hits, counts = np.zeros(2, np.int64), np.zeros(2, np.int64)  # [near, far]
    for image_path, label_path in pairs:
        rgb = cv2.cvtColor(cv2.imread(str(image_path), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
        label = cv2.imread(str(label_path), cv2.IMREAD_UNCHANGED)
        correct = predict(run, rgb, size, norm) == label
        valid = label != ignore_index
        near = boundary_band(label, ignore_index, width)
        for i, region in enumerate((near & valid, ~near & valid)):
            hits[i] += int(np.count_nonzero(correct & region))
            counts[i] += int(np.count_nonzero(region))
    acc = hits / np.maximum(counts, 1)
    return {"width_px": width, "near_accuracy": float(acc[0]), "far_accuracy": float(acc[1]),
            "near_pixels": int(counts[0]), "far_pixels": int(counts[1])}


def report(cm: ConfusionMatrix, class_names: list[str]) -> dict:
    iou, acc = cm.iou(), cm.class_accuracy()
    nan_to_none = lambda v: None if math.isnan(v) else float(v)
    return {"classes": [{"name": n, "iou": nan_to_none(i), "accuracy": nan_to_none(a)}
                        for n, i, a in zip(class_names, iou, acc)],
            "miou": cm.miou(), "pixel_accuracy": cm.pixel_accuracy()}


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m zoo evaluate", description=__doc__.splitlines()[0])
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--onnx", type=Path, help="an exported model, run by ONNX Runtime")
    src.add_argument("--model", help="a registry name; needs --weights")
    p.add_argument("--weights", type=Path, help="checkpoint for --model")
    p.add_argument("--data", type=Path, default=data.REPO.parent / "shared" / "datasets" / "camvid")
    p.add_argument("--list", default="val.txt")
    p.add_argument("--size", help="HxW fed to the network (default: the image's own size)")
    p.add_argument("--set", action="append", default=[], metavar="KNOB=VALUE")
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)

    labels = data.label_set("camvid")
    knobs = {k: float(v) for k, v in (s.split("=", 1) for s in args.set)}
    norm = None
    if args.onnx:
        run = onnx_runner(args.onnx, knobs)
        norm = onnx_normalisation(args.onnx)
        what = str(args.onnx)
    else:
        from zoo.registry import create
        model = create(args.model, num_classes=len(labels["classes"]))
        state = torch.load(args.weights, map_location="cpu", weights_only=False)
        model.load_state_dict(state.get("model", state))
        run = torch_runner(model, knobs)
        what = f"{args.model} ({args.weights})"
    pairs = data.read_split(args.data, args.list)
    cm = evaluate(run, pairs, len(labels["classes"]), labels["ignore_index"], parse_size(args.size),
                  norm)
    result = {"model": what, "images": len(pairs), "knobs": knobs, **report(cm, labels["classes"])}
    for c in result["classes"]:
        iou = "  n/a" if c["iou"] is None else f"{100 * c['iou']:5.1f}"
        print(f"{c['name']:<14}{iou}")
    print(f"{'mIoU':<14}{100 * result['miou']:5.1f}\n{'pixel acc':<14}{100 * result['pixel_accuracy']:5.1f}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
