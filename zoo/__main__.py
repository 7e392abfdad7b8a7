"""Command line: python -m zoo COMMAND [ARGS...]

Each command lives in its own module, imported only when asked for, so `params` does not pay
for ONNX and `train` does not pay for the exporter.
"""
from __future__ import annotations

import importlib
import sys

# command -> (module, one-line help)
COMMANDS = {
    "params": ("zoo.params", "parameter count of every network vs. its paper"),
    "export": ("zoo.export", "export one network to ONNX with engine metadata"),
    "export-test-models": ("zoo.test_models", "write the tiny ONNX models the engine tests use"),
    "gpubench": ("zoo.gpubench", "time every network on the GPU, write zoo/BENCHMARKS.md"),
    "train": ("zoo.train", "train a network"),
    "evaluate": ("zoo.evaluate", "evaluate a checkpoint"),
}


def usage() -> str:
    lines = ["usage: python -m zoo COMMAND [ARGS...]", "", "commands:"]
    lines += [f"  {name:<20} {text}" for name, (_, text) in COMMANDS.items()]
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
    module = importlib.import_module(COMMANDS[command][0])
    result = module.main(rest)
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
