"""Train every bundled seed network, one after another, within one time budget.

`python -m zoo train-all --device cuda --budget-min 10 [--pack zoo/packed/camvid.npz] [--trainval]`

Made for a GPU machine lent for minutes: it reads the frames from a packed file (`python -m zoo
pack`, 34 MiB, carried with the working tree), augments in worker processes, computes in bfloat16
autocast, and gives each network a share of the budget by its measured cost (ShelfNet-ResNet18
about three times a light network). Each run writes zoo/runs/NAME/ (zoo/runs/NAME-trainval/ with
`--trainval`: `best.pt`, `last.pt`, `log.csv`), which `python -m zoo.bundle` takes; running it again resumes every run where it
stopped. `--trainval` trains the bundle models (train+val, no selection) for the iterations their
finished selection run trained for; without it, the runs select on val, which is how the budget
is chosen.
On a CPU it works too, with a tiny budget, which is how the tests check it.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from zoo import data, runs_trip, train

# Relative cost of one epoch (Fast-SCNN = 1), measured with `python -m zoo train-speed`.
COST = {"fastscnn": 1.0, "ndnet29": 1.0, "ndnet45": 1.0, "ndnet61": 1.0, "spssnet": 1.2,
        "shelfnet18": 3.0}


def selection_iterations(run: Path) -> int | None:
    """Iterations the finished selection run of a network trained for, if there is one: its bundle
    run trains for the same budget (zoo/train.py, "honest selection")."""
    last = run / "last.pt"
    if not last.exists():
        return None
    import torch
    ckpt = torch.load(last, map_location="cpu", weights_only=False)
    return ckpt["state"]["iteration"] if train.schedule_ended(ckpt) else None


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m zoo train-all", description=__doc__.splitlines()[0])
    p.add_argument("--device", default="cuda")
    p.add_argument("--budget-min", type=float, default=10.0, help="wall time for all networks")
    p.add_argument("--networks", default=",".join(COST))
    p.add_argument("--pack", type=Path, default=data.REPO / "zoo" / "packed" / "camvid.npz")
    p.add_argument("--data", type=Path, default=data.REPO.parent / "shared" / "datasets" / "camvid")
    p.add_argument("--trainval", action="store_true", help="bundle runs: train+val, no selection")
    p.add_argument("--epochs", type=int, default=1000, help="planned epochs before the budget cuts it")
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--workers", type=int, default=-1, help="augmentation processes (-1: cores - 1 on a GPU, 0 on a CPU)")
    p.add_argument("--eval-every", type=int, default=5)
    p.add_argument("--runs", type=Path, default=data.REPO / "zoo" / "runs")
    p.add_argument("--extra", default="", help="more arguments for every `train` run, e.g. '--crop 64x96'")
    p.add_argument("--send-to", type=Path,
                   help="afterwards, also after a failure, write the runs here for the trip back "
                        "(the device call's $OUT; zoo/runs_trip.py)")
    args = p.parse_args(argv)
    try:
        return train_every(args)
    finally:
        if args.send_to:
            mine = [train.run_name(n, args.trainval) for n in args.networks.split(",") if n]
            sent, left_out, parts = runs_trip.send(
                args.runs, args.send_to, [r for r in mine if (args.runs / r / "last.pt").exists()])
            print(f"sent {len(sent)} runs to {args.send_to} in {len(parts)} parts"
                  + (f"; left out {', '.join(left_out)}" if left_out else ""), flush=True)


def train_every(args) -> int:
    """Train the networks one after another, each for its share of what is left of the budget."""
    names = [n for n in args.networks.split(",") if n]
    unknown = [n for n in names if n not in COST]
    if unknown:
        print(f"unknown network(s) {', '.join(unknown)}; known: {', '.join(COST)}", file=sys.stderr)
        return 2
    workers = args.workers if args.workers >= 0 else \
        (max((os.cpu_count() or 2) - 1, 1) if args.device != "cpu" else 0)
    source = ["--pack", str(args.pack)] if args.pack.exists() else ["--data", str(args.data)]
    started = time.time()
    total_cost = sum(COST[n] for n in names)
    for i, name in enumerate(names):
        # What is left of the budget, shared among the networks still to train by their cost.
        left_s = args.budget_min * 60 - (time.time() - started)
        share_s = left_s * COST[name] / sum(COST[n] for n in names[i:])
        if share_s <= 0:
            print(f"budget spent before {name}", file=sys.stderr)
            return 1
        budget = ["--hours", f"{share_s / 3600:.6f}", "--epochs", str(args.epochs)]
        if args.trainval:
            iterations = selection_iterations(args.runs / name)
            if iterations:  # the budget the selection run chose, in iterations, not in wall time
                budget = ["--iterations", str(iterations)]
            else:
                print(f"{name}: no finished selection run in {args.runs}; the bundle run gets a time budget instead",
                      file=sys.stderr)
        run = [name, *source, "--device", args.device, *budget, "--batch-size", str(args.batch_size),
               "--workers", str(workers), "--eval-every", str(args.eval_every),
               "--out", str(args.runs / train.run_name(name, args.trainval)), "--fresh", "--channels-last", *args.extra.split()]
        if args.trainval:
            run.append("--trainval")
        print(f"== {name}: {share_s:.0f} s of the {args.budget_min:g} min budget "
              f"({COST[name] / total_cost:.0%} by cost)", flush=True)
        if train.main(run) != 0:
            return 1
    print(f"trained {len(names)} networks in {(time.time() - started) / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
