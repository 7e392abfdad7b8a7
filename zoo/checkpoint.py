"""Keep a run's resume state in the repository so the next session continues instead of restarting.

`python -m zoo checkpoint NAME [--runs zoo/runs]`

Copies `zoo/runs/NAME/last.pt` to `zoo/checkpoints/NAME.pt`, where `python -m zoo train` resumes
from on a fresh machine. A state that would be larger than --max-mb (ShelfNet-ResNet18: 124 MB
with its SGD momentum) is stored slim: fp16 weights and no optimizer state. Resuming from a slim
state restarts the momentum from zero and rounds the weights to fp16, which a warm restart of the
learning rate shakes off within an epoch; the epoch counter, schedule position, best val mIoU and
augmentation RNG are kept.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

import torch

from zoo import data

DEFAULT_MAX_MB = 20.0


def slim(state: dict) -> dict:
    """The resume state without optimizer momentum, its float weights stored as fp16."""
    weights, halves = {}, {}
    for key, value in state["model"].items():
        if value.is_floating_point():
            # one fp16 copy per shared tensor (ShelfNet's S-Block kernels), so torch.save stores it once
            shared = (value.data_ptr(), tuple(value.shape))
            value = halves.setdefault(shared, value.half())
        weights[key] = value
    return {key: value for key, value in state.items() if key != "optimizer"} | {
        "model": weights, "slim": True}


def keep(name: str, runs: Path, out_dir: Path, max_mb: float = DEFAULT_MAX_MB) -> Path:
    """Write runs/NAME/last.pt to out_dir/NAME.pt, slim if the full state exceeds max_mb."""
    source = runs / name / "last.pt"
    if not source.exists():
        raise FileNotFoundError(f"{source}: no resume state (train {name} first)")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{name}.pt"
    state = torch.load(source, map_location="cpu", weights_only=False)
    if source.stat().st_size > max_mb * 1e6:
        state = slim(state)
    torch.save(state, str(target) + ".tmp")
    os.replace(str(target) + ".tmp", target)
    return target


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m zoo checkpoint", description=__doc__.splitlines()[0])
    p.add_argument("name")
    p.add_argument("--runs", type=Path, default=data.REPO / "zoo" / "runs")
    p.add_argument("--out", type=Path, default=data.REPO / "zoo" / "checkpoints")
    p.add_argument("--max-mb", type=float, default=DEFAULT_MAX_MB,
                   help="store slim (fp16, no momentum) above this size")
    args = p.parse_args(argv)
    try:
        target = keep(args.name, args.runs, args.out, args.max_mb)
    except FileNotFoundError as e:
        print(f"error: {e}")
        return 1
    state = torch.load(target, map_location="cpu", weights_only=False)
    kind = "slim (fp16 weights, no momentum)" if state.get("slim") else "full"
    best = state["state"]["best_miou"]
    print(f"{target}: {target.stat().st_size / 1e6:.1f} MB, {kind}, epoch {state['state']['epoch']}, "
          + (f"best val mIoU {100 * best:.1f}" if best >= 0 else "not validated (a bundle run)"))
    return 0
