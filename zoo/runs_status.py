"""Where every training run stands: one line a run, from its resume state and its log.

`python -m zoo runs [--runs zoo/runs] [--checkpoints zoo/checkpoints] [--window 100]`

Runs go on across sessions, one core each, for hours; this answers the questions each session
starts with. For every `zoo/runs/NAME/last.pt` (and every committed `zoo/checkpoints/NAME.pt` that
has no run directory here): selection or bundle run, epoch of its plan, iterations, hours of
epoch time, warm restarts, the last and best val figures and their mean over the last `--window`
epochs (a single check is noisy by a point or two), how long ago the state was written (a
running run writes it every epoch) and the time left at its recent median epoch time.
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import torch

from zoo import data
from zoo.train import read_log, schedule_ended

RECENT_EPOCHS = 20  # epochs whose median time predicts the rest


def describe(name: str, state_path: Path, log: list[dict], window: int, now: float) -> dict:
    ckpt = torch.load(state_path, map_location="cpu", weights_only=False)
    state, args = ckpt["state"], ckpt.get("args", {})
    planned = state.get("planned_epochs", args.get("epochs", state["epoch"]))
    checks = [(int(r["epoch"]), 100 * float(r["val_miou"])) for r in log if r.get("val_miou")]
    recent = [v for e, v in checks if e > state["epoch"] - window]
    seconds = [float(r["seconds"]) for r in log[-RECENT_EPOCHS:] if r.get("seconds")]
    finished = schedule_ended(ckpt)
    left_h = 0.0 if finished or not seconds else (planned - state["epoch"]) * statistics.median(seconds) / 3600
    best = max(checks, key=lambda c: c[1]) if checks else None
    return {
        "run": name,
        "kind": "bundle" if args.get("trainval") else "selection",
        "epoch": f"{state['epoch']}/{planned}",
        "iterations": state["iteration"],
        "hours": state.get("train_seconds", 0.0) / 3600,
        "restarts": ",".join(map(str, state.get("restarts", []))) or "-",
        "last": f"{checks[-1][1]:.1f} ({checks[-1][0]})" if checks else "-",
        "best": f"{best[1]:.1f} ({best[0]})" if best else "-",
        "mean": f"{statistics.mean(recent):.1f} ({len(recent)})" if recent else "-",
        "written": f"{(now - state_path.stat().st_mtime) / 60:.0f} min ago",
        "left": "finished" if finished else f"{left_h:.1f} h" if seconds else "?",
        "source": str(state_path),
    }


def collect(runs: Path, checkpoints: Path, window: int) -> list[dict]:
    now, rows, seen = time.time(), [], set()
    for state in sorted(runs.glob("*/last.pt")):
        seen.add(state.parent.name)
        rows.append(describe(state.parent.name, state, read_log(state.parent / "log.csv"), window, now))
    for state in sorted(checkpoints.glob("*.pt")):
        if state.stem not in seen:  # committed, not resumed on this machine yet: no log here
            rows.append(describe(state.stem, state, [], window, now))
    return rows


COLUMNS = [("run", "run"), ("kind", "kind"), ("epoch", "epoch"), ("iterations", "iterations"),
           ("hours", "hours"), ("restarts", "restarted at"), ("last", "val last (ep)"),
           ("best", "best (ep)"), ("mean", "mean (checks)"), ("written", "state written"), ("left", "left")]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m zoo runs", description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=Path, default=data.REPO / "zoo" / "runs")
    p.add_argument("--checkpoints", type=Path, default=data.REPO / "zoo" / "checkpoints")
    p.add_argument("--window", type=int, default=100, help="epochs the mean val figure covers")
    args = p.parse_args(argv)
    rows = collect(args.runs, args.checkpoints, args.window)
    if not rows:
        print(f"no runs in {args.runs} and no committed states in {args.checkpoints}")
        return 0
    cells = [[h for _, h in COLUMNS]] + [[f"{r[k]:.2f}" if k == "hours" else str(r[k]) for k, _ in COLUMNS]
                                        for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS))]
    for row in cells:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    print(f"val: mean over the checks of the last {args.window} epochs; left: at the median of the last "
          f"{RECENT_EPOCHS} epoch times")
    return 0
