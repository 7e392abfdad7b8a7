"""Hand the engine the logits at the network's own resolution.

Every zoo network ends in a bilinear resize of its class scores to the input size (Fast-SCNN's
classifier works at 1/8 of it). The engine upsamples the logits it gets to the frame's size
anyway, in one bilinear step with the same half-pixel convention, and its argmax shortcut reads
every logit once: handing it 11x45x60 values instead of 11x360x480 makes that pass 64x smaller
and takes the resize out of `session.run`. Labels differ from the resized graph's only where two
bilinear steps (network input size, then frame size) and one step disagree, at class boundaries.

    python -m zoo native-logits IN.onnx OUT.onnx

removes the graph's final `Resize` (linear, half-pixel) in front of its logits output, and the
nodes that only fed the resize its size; the output's height and width become free dimensions,
and the metadata says so (`logits_resolution`). Weights, knobs and other metadata are untouched.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import onnx

RESOLUTION_NOTE = "network: the final resize to the input size is left to the engine"


class NotResizedAtTheEnd(ValueError):
    """The graph's logits do not come straight out of a bilinear resize."""


def strip_final_resize(model: onnx.ModelProto, output: str | None = None) -> onnx.ModelProto:
    """Returns a copy of `model` whose output `output` (default: the first) is the final Resize's
    input. Raises NotResizedAtTheEnd when there is no such resize."""
    model = onnx.ModelProto.FromString(model.SerializeToString())
    graph = model.graph
    out = next((o for o in graph.output if output in (None, o.name)), None)
    if out is None:
        raise NotResizedAtTheEnd(f"no output named {output}")
    producers = {name: node for node in graph.node for name in node.output}
    resize = producers.get(out.name)
    if resize is None or resize.op_type != "Resize":
        raise NotResizedAtTheEnd(f"output {out.name} is made by "
                                 f"{resize.op_type if resize else 'no node'}, not a Resize")
    attrs = {a.name: onnx.helper.get_attribute_value(a) for a in resize.attribute}
    mode = attrs.get("mode", b"nearest").decode()
    coords = attrs.get("coordinate_transformation_mode", b"half_pixel").decode()
    if mode != "linear" or coords not in ("half_pixel", "pytorch_half_pixel"):
        raise NotResizedAtTheEnd(f"the final resize is {mode}/{coords}; the engine upsamples "
                                 "linear/half_pixel, so dropping this one would change the labels")
    scores = resize.input[0]
    graph.node.remove(resize)
    for node in graph.node:   # the scores tensor takes the output's name
        for i, name in enumerate(node.output):
            if name == scores:
                node.output[i] = out.name
        for i, name in enumerate(node.input):
            if name == scores:
                node.input[i] = out.name
    _drop_unused(graph)
    dims = out.type.tensor_type.shape.dim
    for i, label in ((2, "logits_height"), (3, "logits_width")):
        dims[i].Clear()
        dims[i].dim_param = label
    props = {p.key: p for p in model.metadata_props}
    if "logits_resolution" in props:
        props["logits_resolution"].value = RESOLUTION_NOTE
    else:
        model.metadata_props.add(key="logits_resolution", value=RESOLUTION_NOTE)
    onnx.checker.check_model(model)
    return model


def _drop_unused(graph: onnx.GraphProto):
    """Removes nodes (walking back from the outputs) and initializers nothing reads any more."""
    needed = {o.name for o in graph.output}
    kept = []
    for node in reversed(list(graph.node)):
        if any(name in needed for name in node.output):
            kept.append(node)
            needed.update(name for name in node.input if name)
    del graph.node[:]
    graph.node.extend(reversed(kept))
    used = [init for init in graph.initializer if init.name in needed]
    del graph.initializer[:]
    graph.initializer.extend(used)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zoo native-logits",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="exported model whose logits end in a bilinear resize")
    parser.add_argument("out", type=Path, help="where to write the model with network-resolution logits")
    parser.add_argument("--output", help="output to change (default: the first)")
    args = parser.parse_args(argv)
    try:
        model = onnx.load(str(args.source))
    except Exception as e:  # noqa: BLE001 - onnx raises several kinds for a file that is not ONNX
        print(f"{args.source}: not an ONNX model ({e.__class__.__name__})", file=sys.stderr)
        return 2
    try:
        stripped = strip_final_resize(model, args.output)
    except NotResizedAtTheEnd as e:
        print(f"{args.source}: {e}", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(stripped, str(args.out))
    before = sum(1 for _ in model.graph.node)
    after = sum(1 for _ in stripped.graph.node)
    print(f"wrote {args.out}: {before - after} nodes removed (the final resize and its size)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
