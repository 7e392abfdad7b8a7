"""Command line: python -m zoo COMMAND [ARGS...]

Each command lives in its own module, imported only when asked for, so `params` does not pay
for ONNX and `train` does not pay for the exporter.
"""
from __future__ import annotations

import importlib
import sys

# command -> (module, function taking argv, one-line help)
COMMANDS = {
    "params": ("zoo.params", "main", "parameter count of every network vs. its paper"),
    "export": ("zoo.export", "main", "export one network to ONNX with engine metadata"),
    "export-test-models": ("zoo.export", "export_test_models_main",
                           "write the tiny ONNX models the engine's tests use"),
    "export-foreign-test-models": ("zoo.models.foreign", "main",
                                   "write the engine's test models in other conventions (NHWC, fp16, ...)"),
    "gpubench": ("zoo.gpubench", "main", "time every network, write zoo/BENCHMARKS.md"),
    "train": ("zoo.train", "main", "train a network"),
    "train-all": ("zoo.train_all", "main", "train every bundled network within one time budget"),
    "train-speed": ("zoo.train_speed", "main", "images/s of training per thread count and layout"),
    "pack": ("zoo.pack", "main", "pack CamVid's frames into one file for a GPU machine"),
    "evaluate": ("zoo.evaluate", "main", "evaluate a checkpoint"),
    "reference": ("zoo.reference", "main", "export the published ESPNet as the external reference"),
    "native-logits": ("zoo.native_logits", "main", "drop the final resize: the engine upsamples the logits itself"),
    "ablation": ("zoo.ablation", "main", "the Fast-SCNN skip ablation both ways on CamVid val"),
    "checkpoint": ("zoo.checkpoint", "main", "keep a run's resume state in zoo/checkpoints/"),
    "runs": ("zoo.runs_status", "main", "where every training run stands: epoch, hours, val, time left"),
    "travel": ("zoo.travel", "main", "what a GPU machine would be sent; hide the bundled binaries for a trip"),
    "send-runs": ("zoo.runs_trip", "send_main", "on a GPU machine: write its runs where the device tool returns them"),
    "receive-runs": ("zoo.runs_trip", "receive_main", "here: unpack runs a GPU machine sent back into zoo/runs/"),
}


def usage() -> str:
    lines = ["usage: python -m zoo COMMAND [ARGS...]", "", "commands:"]
    lines += [f"  {name:<20} {text}" for name, (_, _, text) in COMMANDS.items()]
    return "\n".join(lines)


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(usage())
        return 0
    command, rest = argv[0], argv[1:]
    if command not in COMMANDS:
        print(f"unknown command {command!r}\n\n{usage()}", file=sys.stderr)
        return 2
    module_name, function, _ = COMMANDS[command]
    result = getattr(importlib.import_module(module_name), function)(rest)
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
