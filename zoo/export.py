"""Export zoo networks to ONNX files that follow docs/model-format.md.

    python -m zoo export NAME --classes camvid|cityscapes [--weights CKPT] [--fp16-weights]
                         [--option KEY=VALUE ...] --out PATH.onnx
    python -m zoo export-test-models --out engine/src/test/resources/models/

Graph: input `image` (N x 3 x H x W, dynamic batch/height/width), output `logits` at the input
resolution, and one scalar float input per knob (e.g. Fast-SCNN's `skip_gain`) that also has an
initializer of the same name holding its default, so a runtime may leave it out.
"""
from __future__ import annotations

import argparse
import ast
import json
import sys
from pathlib import Path

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import helper, numpy_helper

from zoo.registry import count_parameters, create, spec
from zoo.native_logits import strip_final_resize

OPSET = 17
PALETTE_DIR = Path(__file__).resolve().parent.parent / "assets" / "palettes"
# The normalisation the zoo trains with (ImageNet statistics, RGB, 0..1 scale).
MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)
# Input size a dataset's models are meant to run at when the network's spec does not decide it.
DATASET_INPUT_SIZE = {"camvid": (360, 480), "cityscapes": (1024, 2048)}
# Initializers with at least this many elements are stored as fp16 by --fp16-weights; small ones
# (BN shifts, biases) stay fp32, they cost nothing and keep the numerics closer.
FP16_MIN_ELEMENTS = 1024
# Size the tracer runs at; the graph stays dynamic, so this only needs to be cheap.
TRACE_SIZE = (64, 128)


def load_label_set(dataset: str) -> dict:
    """Class names, palette and ignore index from assets/palettes/DATASET.json."""
    path = PALETTE_DIR / f"{dataset}.json"
    if not path.exists():
        known = sorted(p.stem for p in PALETTE_DIR.glob("*.json"))
        raise SystemExit(f"unknown dataset {dataset!r}; known: {', '.join(known)}")
    return json.loads(path.read_text())


def load_checkpoint(path) -> tuple[dict, dict]:
    """(state_dict, meta) from a torch file holding a state_dict, or {'model': state_dict,
    'meta': {...}}. Prefixes left by DataParallel or torch.compile are removed."""
    try:
        blob = torch.load(path, map_location="cpu", weights_only=True)
    except Exception:  # checkpoints that pickle richer objects (our own files only)
        blob = torch.load(path, map_location="cpu", weights_only=False)
    meta = {}
    if isinstance(blob, dict) and "model" in blob and isinstance(blob["model"], dict):
        meta = dict(blob.get("meta") or {})
        blob = blob["model"]
    state = {}
    for key, value in blob.items():
        for prefix in ("module.", "_orig_mod."):
            if key.startswith(prefix):
                key = key[len(prefix):]
        state[key] = value
    return state, meta


def load_weights(model: nn.Module, state: dict):
    """Load a state_dict; only training-only auxiliary heads may be missing or extra."""
    try:
        result = model.load_state_dict(state, strict=False)
    except RuntimeError as error:  # shape mismatches: another network or other options
        raise SystemExit(f"checkpoint does not match the network: {error}") from error
    bad = [k for k in list(result.missing_keys) + list(result.unexpected_keys)
           if not k.startswith("aux_heads.")]
    if bad:
        raise SystemExit(f"checkpoint does not match the network: {bad[:8]}"
                         f"{' ...' if len(bad) > 8 else ''}")


class KnobbedForward(nn.Module):
    """Presents `model(image, knob=...)` as `forward(image, knob1, knob2, ...)` for the tracer, so
    each knob becomes a graph input."""

    def __init__(self, model: nn.Module, knob_names):
        super().__init__()
        self.model = model
        self.knob_names = list(knob_names)

    def forward(self, image, *knobs):
        return self.model(image, **dict(zip(self.knob_names, knobs)))


def export_graph(model: nn.Module, path, knobs: dict | None = None,
                 output_names=("logits",), output_axes=None, dynamic: bool = True,
                 sample_size=TRACE_SIZE, opset: int = OPSET,
                 knob_defaults: bool = True) -> onnx.ModelProto:
    """Trace `model` (eval mode) to ONNX at `path` and return the loaded graph, with knob inputs
    backed by default-valued initializers (plain required inputs if `knob_defaults` is off).
    Metadata is left to the caller."""
    knobs = dict(knobs or {})
    model = model.eval()
    # The wrapper must be in eval mode too: the exporter restores the mode it found afterwards.
    wrapper = (KnobbedForward(model, knobs) if knobs else model).eval()
    image = torch.randn(1, 3, *sample_size)
    args = (image,) + tuple(torch.tensor(float(v)) for v in knobs.values())
    dynamic_axes = None
    if dynamic:
        dynamic_axes = {"image": {0: "batch", 2: "height", 3: "width"}}
        for name in output_names:
            dynamic_axes[name] = dict((output_axes or {}).get(
                name, {0: "batch", 2: "height", 3: "width"}))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(wrapper, args, str(path), input_names=["image", *knobs],
                          output_names=list(output_names), dynamic_axes=dynamic_axes,
                          opset_version=opset, do_constant_folding=True, dynamo=False)
        traced_outputs = wrapper(*args)
    if isinstance(traced_outputs, torch.Tensor):
        traced_outputs = (traced_outputs,)
    graph = onnx.load(str(path))
    fix_static_output_dims(graph, traced_outputs, dynamic_axes or {})
    if knob_defaults:
        add_knob_defaults(graph, knobs)
    return graph


def fix_static_output_dims(graph: onnx.ModelProto, traced_outputs, dynamic_axes: dict):
    """Write the concrete size of every output axis that is not dynamic (the class count above
    all), which the tracer leaves symbolic after a Resize; readers take C from here."""
    for output, tensor in zip(graph.graph.output, traced_outputs):
        dynamic = dynamic_axes.get(output.name, {})
        for axis, dim in enumerate(output.type.tensor_type.shape.dim):
            if axis not in dynamic:
                dim.Clear()
                dim.dim_value = int(tensor.shape[axis])


def add_knob_defaults(graph: onnx.ModelProto, knobs: dict):
    """Give each knob input an initializer of the same name holding its default value."""
    inputs = {i.name for i in graph.graph.input}
    for name, default in knobs.items():
        if name not in inputs:
            raise RuntimeError(f"knob {name!r} is not a graph input (unused by the network?)")
        graph.graph.initializer.append(
            numpy_helper.from_array(np.array(default, dtype=np.float32), name))


def store_weights_fp16(graph: onnx.ModelProto, min_elements: int = FP16_MIN_ELEMENTS):
    """Store large float initializers as fp16, each followed by a Cast back to float, so files
    halve in size while every op still computes in fp32."""
    keep = {i.name for i in graph.graph.input}  # knob defaults stay fp32 graph inputs
    casts = []
    for init in graph.graph.initializer:
        if (init.name in keep or init.data_type != onnx.TensorProto.FLOAT
                or int(np.prod(init.dims)) < min_elements):
            continue
        array = numpy_helper.to_array(init).astype(np.float16)
        name = init.name
        init.CopyFrom(numpy_helper.from_array(array, f"{name}__fp16"))
        casts.append(helper.make_node("Cast", [f"{name}__fp16"], [name],
                                      to=onnx.TensorProto.FLOAT, name=f"{name}__cast"))
    nodes = list(graph.graph.node)
    del graph.graph.node[:]
    graph.graph.node.extend(casts + nodes)
    return len(casts)


def flush_subnormals(graph: onnx.ModelProto) -> int:
    """Replace float32 initializer values below the normal range (|x| < 2^-126, nonzero) by zero;
    returns how many there were. Weight decay leaves such values in filters a network stopped
    using (the published CamVid ESPNet has 10,610), and x86 CPUs compute with them on a slow
    path: ONNX Runtime ran that network three times slower on one core. The engine flushes them
    at load too; doing it here keeps the files themselves fast for every runtime."""
    tiny = np.finfo(np.float32).tiny
    flushed = 0
    for init in graph.graph.initializer:
        if init.data_type != onnx.TensorProto.FLOAT:
            continue
        array = numpy_helper.to_array(init)
        subnormal = (array != 0) & (np.abs(array) < tiny)
        if subnormal.any():
            flushed += int(subnormal.sum())
            init.CopyFrom(numpy_helper.from_array(np.where(subnormal, np.float32(0), array)
                                                  .astype(np.float32), init.name))
    return flushed


def set_metadata(graph: onnx.ModelProto, metadata: dict):
    """Replace metadata_props with `metadata` (every value a string, per the model contract)."""
    del graph.metadata_props[:]
    for key, value in metadata.items():
        entry = graph.metadata_props.add()
        entry.key = key
        entry.value = value


def miou_text(val_miou) -> str:
    """A val mIoU in percent as the `val_miou` metadata holds it: two decimals at most."""
    return f"{float(val_miou):.2f}".rstrip("0").rstrip(".")


def build_metadata(label_set: dict, *, name: str, paper: str, description: str,
                   parameters: int, input_size, reconstruction: bool = False,
                   training: str | None = None, val_miou=None, mean=MEAN, std=STD,
                   training_images: list[str] | None = None) -> dict:
    """The metadata_props of docs/model-format.md, as strings (JSON where the contract says)."""
    metadata = {
        "classes": json.dumps(label_set["classes"]),
        "palette": json.dumps(label_set["palette"]),
        "mean": json.dumps([float(m) for m in mean]),
        "std": json.dumps([float(s) for s in std]),
        "input_size": f"{input_size[0]}x{input_size[1]}",
        "dataset": label_set["dataset"],
        "ignore_index": str(label_set["ignore_index"]),
        "description": description,
        "name": name,
        "paper": paper,
        "parameters": str(int(parameters)),
        "training": training or "untrained: random initialisation",
        "reconstruction": "true" if reconstruction else "false",
    }
    if val_miou is not None:
        metadata["val_miou"] = miou_text(val_miou)
    if training_images:  # file stems: the engine flags scores on images the model learnt from
        metadata["training_images"] = json.dumps(sorted(training_images), separators=(",", ":"))
    return metadata


def export_network(name: str, dataset: str, out, weights=None, fp16_weights: bool = False,
                   options: dict | None = None, input_size=None, opset: int = OPSET,
                   sample_size=TRACE_SIZE, required_knobs: bool = False,
                   native_logits: bool = False) -> onnx.ModelProto:
    """Build network `name` for `dataset`, load `weights` if given, export with full metadata.
    With `native_logits` the final resize of the logits to the input size is left out of the graph
    (zoo/native_logits.py): the engine upsamples them to the frame itself."""
    facts = spec(name)
    label_set = load_label_set(dataset)
    meta = {}
    state = None
    if weights:
        state, meta = load_checkpoint(weights)
    merged_options = dict(meta.get("options") or {})
    merged_options.update(options or {})
    model = create(name, num_classes=len(label_set["classes"]), **merged_options)
    if state is not None:
        load_weights(model, state)
    model.eval()
    size = input_size or meta.get("input_size") or DATASET_INPUT_SIZE.get(dataset) \
        or facts["input_size"]
    if isinstance(size, str):
        size = tuple(int(v) for v in size.lower().split("x"))
    display = facts["display_name"] or name
    if merged_options.get("expansion") == 2:
        display += " (e=2)"
    graph = export_graph(model, out, facts["knobs"], opset=opset, sample_size=sample_size,
                         knob_defaults=not required_knobs)
    description = facts["description"]
    if facts["knobs"]:
        description += " Knobs: " + ", ".join(f"{k} (default {v})"
                                               for k, v in facts["knobs"].items()) + "."
    set_metadata(graph, build_metadata(
        label_set, name=display, paper=facts["paper"], description=description,
        parameters=count_parameters(model), input_size=size,
        reconstruction=facts["reconstruction"], training=meta.get("training"),
        val_miou=meta.get("val_miou"), mean=meta.get("mean", MEAN), std=meta.get("std", STD),
        training_images=meta.get("training_images")))
    flush_subnormals(graph)
    if fp16_weights:
        store_weights_fp16(graph)
    if native_logits:
        graph = strip_final_resize(graph)
    onnx.checker.check_model(graph)
    onnx.save(graph, str(out))
    return graph


def _parse_options(pairs) -> dict:
    options = {}
    for pair in pairs or []:
        key, _, value = pair.partition("=")
        try:
            options[key] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            options[key] = value
    return options


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zoo export",
                                     description="Export a zoo network to ONNX.")
    parser.add_argument("name", help="registered network name (python -m zoo params lists them)")
    parser.add_argument("--classes", required=True, help="label set: camvid or cityscapes")
    parser.add_argument("--weights", help="checkpoint: state_dict or {'model':..., 'meta':...}")
    parser.add_argument("--fp16-weights", action="store_true",
                        help="store large weights as fp16 (computation stays fp32)")
    parser.add_argument("--option", action="append", metavar="KEY=VALUE",
                        help="network option, e.g. expansion=2 (repeatable)")
    parser.add_argument("--input-size", help="default input size HxW for the metadata")
    parser.add_argument("--opset", type=int, default=OPSET)
    parser.add_argument("--required-knobs", action="store_true",
                        help="knobs as plain required inputs, without default initializers "
                             "(for runtimes that cannot feed overridable initializers, e.g. "
                             "ONNX Runtime's Java API, which only accepts get_inputs() names)")
    parser.add_argument("--native-logits", action="store_true",
                        help="leave the logits at the network's resolution (no final resize in the "
                             "graph): the engine upsamples them, with less work (zoo/native_logits.py)")
    parser.add_argument("--out", required=True, help="output .onnx path")
    args = parser.parse_args(argv)
    graph = export_network(args.name, args.classes, args.out, weights=args.weights,
                           fp16_weights=args.fp16_weights, options=_parse_options(args.option),
                           input_size=args.input_size, opset=args.opset,
                           required_knobs=args.required_knobs, native_logits=args.native_logits)
    verify_with_onnxruntime(args.out, knobs=spec(args.name)["knobs"] if args.required_knobs
                            else None)
    props = {p.key: p.value for p in graph.metadata_props}
    size_mb = Path(args.out).stat().st_size / 1e6
    print(f"wrote {args.out} ({size_mb:.1f} MB): {props['name']}, {props['parameters']} "
          f"parameters, {props['dataset']}, knobs: "
          f"{', '.join(spec(args.name)['knobs']) or 'none'}")
    return 0


def verify_with_onnxruntime(path, size=TRACE_SIZE, knobs: dict | None = None):
    """Run the exported file once, knobs omitted unless given: fails loudly if ORT cannot."""
    import onnxruntime as ort

    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    image = np.random.default_rng(0).standard_normal((1, 3, *size)).astype(np.float32)
    feeds = {"image": image}
    feeds.update({k: np.array(v, dtype=np.float32) for k, v in (knobs or {}).items()})
    outputs = session.run(None, feeds)
    if not all(np.isfinite(o).all() for o in outputs if o.dtype.kind == "f"):
        raise RuntimeError(f"{path}: non-finite output from onnxruntime")
    return outputs


def export_test_models_main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zoo export-test-models",
                                     description="Write the tiny ONNX models the engine's "
                                                 "tests use (random weights, fixed seed).")
    parser.add_argument("--out", default="engine/src/test/resources/models/")
    args = parser.parse_args(argv)
    from zoo.models.tiny import export_test_models

    for path in export_test_models(args.out):
        print(f"wrote {path} ({Path(path).stat().st_size / 1024:.1f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
