"""Tiny models in other people's conventions, as the engine's tests meet them (issue 16).

The zoo's own exports are NCHW, RGB, ImageNet-normalised float32 with full metadata. Models that
users bring often are not: TensorFlow and OpenVINO exports take NHWC, BGR, 0-255 input and give an
NHWC softmax; SegNet-style CamVid models (ENet, ESPNet) have a 12th void output; GPU exports are
float16 end to end; a Cityscapes model may be wanted on CamVid ground truth; and published
checkpoints can hold subnormal weights. Each fixture here
is one of those, with random weights (fixed seed) and no metadata_props, so the engine has to work
it out from the shapes, a sidecar, or the user's flags.

    python -m zoo export-foreign-test-models --out engine/src/test/resources/models/
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import onnx
import torch
import torch.nn as nn

from zoo.models.tiny import TinySegmenter, _seeded

OPSET = 17
SIZE = (64, 96)


class NhwcBgr255(nn.Module):
    """TensorFlow style: NHWC BGR input on the 0-255 scale, NHWC softmax output."""

    def __init__(self, num_classes: int):
        super().__init__()
        self.segmenter = TinySegmenter(num_classes)

    def forward(self, x):
        rgb = x.permute(0, 3, 1, 2).flip(1) / 255.0
        return torch.softmax(self.segmenter(rgb), dim=1).permute(0, 2, 3, 1)


class HalfPrecision(nn.Module):
    """float16 in, float16 out, float16 weights: a GPU export."""

    def __init__(self, num_classes: int):
        super().__init__()
        self.segmenter = TinySegmenter(num_classes)

    def forward(self, x):
        return self.segmenter(x)


def _export(model: nn.Module, path: Path, sample: torch.Tensor, input_name: str, output_name: str,
            dynamic: bool, classes: int | None = None):
    """Trace to ONNX; `classes` fixes the output's class axis (the tracer leaves it symbolic)."""
    axes = None
    if dynamic:
        axes = {input_name: {0: "batch", 2: "height", 3: "width"},
                output_name: {0: "batch", 2: "height", 3: "width"}}
    with torch.no_grad():
        torch.onnx.export(model, (sample,), str(path), input_names=[input_name],
                          output_names=[output_name], dynamic_axes=axes, opset_version=OPSET,
                          do_constant_folding=True, dynamo=False)
    graph = onnx.load(str(path))
    if classes is not None:
        graph.graph.output[0].type.tensor_type.shape.dim[1].dim_value = classes
        onnx.save(graph, str(path))
    onnx.checker.check_model(graph)
    return graph


def export_foreign_test_models(out_dir) -> list[Path]:
    """Write the foreign-convention fixtures (and the one sidecar) into out_dir; returns the paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    h, w = SIZE

    # 1. NHWC in and out, BGR 0-255, fixed size, 11 CamVid classes; its sidecar says BGR and the scale
    path = out_dir / "foreign_nhwc_bgr255.onnx"
    _export(_seeded(NhwcBgr255, 11), path, torch.rand(1, h, w, 3) * 255, "data", "softmax", False)
    sidecar = path.with_name(path.name + ".json")
    sidecar.write_text(json.dumps({
        "dataset": "camvid", "channel_order": "bgr", "mean": [0.0, 0.0, 0.0],
        "std": [1 / 255, 1 / 255, 1 / 255],
        "description": "NHWC BGR 0-255 input, NHWC softmax output (test fixture); the layout is "
                       "left for the engine to detect"}, indent=1) + "\n")
    written += [path, sidecar]

    # 2. 12 outputs: CamVid's 11 classes and void (the SegNet convention), dynamic size
    path = out_dir / "foreign_void_camvid.onnx"
    model = _seeded(TinySegmenter, 12)
    with torch.no_grad():
        # random weights rarely pick the last class; a nudge makes void win on part of the image,
        # so the void rule is exercised
        model.classifier.bias[11] += 0.5
    _export(model, path, torch.randn(1, 3, h, w), "input", "output", True, 12)
    written.append(path)

    # 3. float16 throughout (weights, input, output), dynamic size, 11 classes left symbolic: the
    #    engine learns the count from a float16 probe run
    path = out_dir / "foreign_fp16.onnx"
    model = _seeded(HalfPrecision, 11).half()
    _export(model, path, torch.randn(1, 3, h, w).half(), "input", "logits", True)
    written.append(path)

    # 4. 19 Cityscapes classes, no metadata: scored on CamVid through a class map
    path = out_dir / "foreign_cityscapes19.onnx"
    _export(_seeded(TinySegmenter, 19), path, torch.randn(1, 3, h, w), "input", "logits", True, 19)
    written.append(path)

    # 5. subnormal weights, as in published checkpoints whose unused filters weight decay shrank
    #    below float32's normal range (ESPNet's CamVid weights hold 10,610): x86 CPUs compute with
    #    them on a slow path, so the engine flushes them to zero before ONNX Runtime sees them
    path = out_dir / "foreign_subnormal_weights.onnx"
    model = _seeded(TinySegmenter, 11)
    with torch.no_grad():
        for conv in (m for m in model.modules() if isinstance(m, nn.Conv2d)):
            half = conv.weight.shape[0] // 2
            conv.weight[half:] *= 1e-39
    _export(model, path, torch.randn(1, 3, h, w), "input", "logits", True)
    written.append(path)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zoo export-foreign-test-models",
                                     description="Write the engine's test models in other "
                                                 "conventions (NHWC, BGR 0-255, void, float16, "
                                                 "Cityscapes classes).")
    parser.add_argument("--out", default="engine/src/test/resources/models/")
    args = parser.parse_args(argv)
    for path in export_foreign_test_models(args.out):
        print(f"wrote {path} ({path.stat().st_size / 1024:.1f} KB)")
    return 0
