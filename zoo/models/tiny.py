"""Tiny networks (random weights, fixed seed) whose ONNX exports are the engine's test fixtures.

Each file exercises one thing the engine must handle: knobs, dynamic or fixed sizes, label-map
outputs, several outputs, non-segmentation outputs, missing metadata, low-resolution logits.
They are written by the same export code as the real networks (zoo/export.py).
"""
from __future__ import annotations

from pathlib import Path

import torch
import torch.nn as nn

from zoo.layers import ConvBNReLU, resize_to
from zoo.models.fastscnn import FastSCNN
from zoo.registry import count_parameters

SEED = 0


def tiny_fastscnn(num_classes: int = 19) -> FastSCNN:
    """Fast-SCNN's exact topology (all four modules, PPM, skip_gain) at toy widths."""
    return FastSCNN(num_classes, aux=False, downsample_widths=(4, 4, 8),
                    bottleneck_widths=(8, 8, 8), bottleneck_repeats=(1, 1, 1), expansion=2)


class TinySegmenter(nn.Module):
    """Two strided convs, 1x1 to class scores; upsampled to the input unless `upsample` is off
    (then the logits stay at 1/4 of the input and the engine must upsample them)."""

    def __init__(self, num_classes: int, width: int = 8, upsample: bool = True):
        super().__init__()
        self.features = nn.Sequential(ConvBNReLU(3, width, 3, 2), ConvBNReLU(width, width, 3, 2))
        self.classifier = nn.Conv2d(width, num_classes, 1)
        self.upsample = upsample

    def forward(self, x):
        logits = self.classifier(self.features(x))
        return resize_to(logits, x.shape[-2:]) if self.upsample else logits


class LabelMapOutput(nn.Module):
    """Argmax inside the graph: the output is an int64 N x H x W label map."""

    def __init__(self, segmenter: nn.Module):
        super().__init__()
        self.segmenter = segmenter

    def forward(self, x):
        return torch.argmax(self.segmenter(x), dim=1)


class TinyClassifier(nn.Module):
    """Image classifier: N x C scores only. Not a segmentation model; the engine must say so."""

    def __init__(self, num_classes: int, width: int = 8):
        super().__init__()
        self.features = ConvBNReLU(3, width, 3, 2)
        self.fc = nn.Linear(width, num_classes)

    def forward(self, x):
        return self.fc(self.features(x).mean(dim=(2, 3)))


class ScoresAndLogits(nn.Module):
    """Two outputs: a per-image N x C score vector first, then the segmentation logits."""

    def __init__(self, num_classes: int):
        super().__init__()
        self.segmenter = TinySegmenter(num_classes)

    def forward(self, x):
        logits = self.segmenter(x)
        return logits.mean(dim=(2, 3)), logits


def _seeded(factory, *args, **kwargs) -> nn.Module:
    torch.manual_seed(SEED)
    model = factory(*args, **kwargs).eval()
    _randomise_batch_norm(model)
    return model


def _randomise_batch_norm(model: nn.Module):
    """Fresh BNs are identities in eval mode; give them statistics so the fixtures' outputs
    depend on every layer (and a wrong BN fold would show)."""
    generator = torch.Generator().manual_seed(SEED)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            n = m.num_features
            m.running_mean.copy_(torch.randn(n, generator=generator) * 0.1)
            m.running_var.copy_(torch.rand(n, generator=generator) + 0.5)
            m.weight.data.copy_(torch.rand(n, generator=generator) + 0.5)
            m.bias.data.copy_(torch.randn(n, generator=generator) * 0.1)


def export_test_models(out_dir) -> list[Path]:
    """Write every fixture into out_dir; returns their paths."""
    from zoo.export import build_metadata, export_graph, load_label_set, set_metadata

    import onnx

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    camvid, cityscapes = load_label_set("camvid"), load_label_set("cityscapes")
    camvid_classes = len(camvid["classes"])
    written = []

    def save(filename, model, label_set, display, description, input_size, **export_args):
        path = out_dir / filename
        graph = export_graph(model, path, **export_args)
        if label_set is not None:
            set_metadata(graph, build_metadata(
                label_set, name=display, paper="none: segbench engine test fixture",
                description=description, parameters=count_parameters(model),
                input_size=input_size,
                training=f"untrained: random weights (torch seed {SEED}), test fixture"))
        onnx.checker.check_model(graph)
        onnx.save(graph, str(path))
        written.append(path)

    save("tiny_fastscnn_cityscapes.onnx", _seeded(tiny_fastscnn, 19), cityscapes,
         "Tiny Fast-SCNN (test)", "Fast-SCNN topology at toy widths; knob skip_gain "
         "(default 1.0) scales the fusion module's 1/8 skip.", (64, 128),
         knobs={"skip_gain": 1.0})
    save("tiny_camvid.onnx", _seeded(TinySegmenter, camvid_classes), camvid,
         "Tiny CamVid segmenter (test)", "11-class logits at the input resolution, dynamic "
         "batch/height/width.", (360, 480))
    save("tiny_fixed_64x96.onnx", _seeded(TinySegmenter, camvid_classes), camvid,
         "Tiny fixed-size segmenter (test)", "Input fixed at 1x3x64x96; the engine must resize "
         "frames to it.", (64, 96), dynamic=False, sample_size=(64, 96))
    save("tiny_labelmap.onnx", _seeded(lambda: LabelMapOutput(TinySegmenter(camvid_classes))),
         camvid, "Tiny label-map segmenter (test)", "Argmax inside the graph: output `labels` "
         "is an int64 N x H x W label map.", (360, 480), output_names=("labels",),
         output_axes={"labels": {0: "batch", 1: "height", 2: "width"}})
    save("tiny_multi_output.onnx", _seeded(ScoresAndLogits, camvid_classes), camvid,
         "Tiny two-output segmenter (test)", "First output `scores` is N x C (not a "
         "segmentation), second `logits` is N x C x H x W.", (360, 480),
         output_names=("scores", "logits"), output_axes={"scores": {0: "batch"}})
    save("tiny_classifier.onnx", _seeded(TinyClassifier, camvid_classes), camvid,
         "Tiny classifier (test)", "Image classifier, only an N x C output: not a "
         "segmentation model; the engine must reject it.", (360, 480),
         output_names=("scores",), output_axes={"scores": {0: "batch"}})
    save("tiny_no_metadata.onnx", _seeded(TinySegmenter, camvid_classes), None, None, None,
         None)
    save("tiny_lowres_logits.onnx", _seeded(TinySegmenter, camvid_classes, upsample=False),
         camvid, "Tiny low-resolution segmenter (test)", "Logits at 1/4 of the input "
         "resolution; the engine must upsample them.", (360, 480),
         output_axes={"logits": {0: "batch", 2: "height_4", 3: "width_4"}})
    return written
