"""Train every bundled seed network within one time budget, on a GPU machine lent for minutes.

`python -m zoo train-all --device cuda --budget-min 10 [--parallel] [--trainval | --iterations N --both] [--send-to DIR]`

Made for a machine that gets a copy of the working tree and nothing else: it reads the frames from
a packed file (`python -m zoo pack`, 34 MiB, carried with the working tree), computes in bfloat16
autocast with channels-last tensors and, with a GPU, augments on the GPU (zoo/device_augment.py).
- one after another (default): each network gets a share of the budget by its measured cost
  (ShelfNet-ResNet18 about three times a light network), its schedule fitted into that share;
- `--parallel`: one process per run, all at once, each for the whole budget (small networks
  leave a big GPU mostly idle);
- `--iterations N`: every run plans N iterations and the budget only stops it, resumable, so a
  short loan never turns into a short schedule; `--both` then trains each network's selection run
  and its bundle run side by side, since the bundle run's budget no longer waits for selection.
Without `--iterations`, `--trainval` trains the bundle runs for the iterations their finished
selection run trained. Runs land in zoo/runs/NAME/ and zoo/runs/NAME-trainval/ (`best.pt`,
`last.pt`, `log.csv`), which `python -m zoo.bundle` takes; running it again resumes every run.
`--send-to $OUT` then packs them, slim, where the device call returns them (zoo/runs_trip.py).
On a CPU it works too, with a tiny budget, which is how the tests check it.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from zoo import data, runs_trip, train

PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # where `python -m zoo` finds this package

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
    p.add_argument("--parallel", action="store_true",
                   help="train the networks side by side, each for the whole budget (a big GPU)")
    p.add_argument("--iterations", type=int, default=0,
                   help="a fixed planned length for every run; the budget then stops the runs, "
                        "resumable, instead of shortening their schedules")
    p.add_argument("--both", action="store_true",
                   help="with --parallel and --iterations: each network's selection and bundle runs "
                        "side by side (the budget is fixed in advance, so neither waits for the other)")
    p.add_argument("--augment-on", choices=("cpu", "device"),
                   help="where to augment (default: on the GPU with a GPU, else on the CPU)")
    p.add_argument("--send-to", type=Path,
                   help="afterwards, also after a failure, write the runs here for the trip back "
                        "(the device call's $OUT; zoo/runs_trip.py)")
    args = p.parse_args(argv)
    try:
        return train_every(args)
    finally:
        if args.send_to:
            mine = [train.run_name(n, tv) for n in args.networks.split(",") if n for tv in run_kinds(args)]
            sent, left_out, parts = runs_trip.send(
                args.runs, args.send_to, [r for r in mine if (args.runs / r / "last.pt").exists()])
            print(f"sent {len(sent)} runs to {args.send_to} in {len(parts)} parts"
                  + (f"; left out {', '.join(left_out)}" if left_out else ""), flush=True)


def run_kinds(args) -> tuple[bool, ...]:
    """Which runs each network gets, as `trainval` flags: the selection run, the bundle run or both."""
    return (False, True) if args.both else (args.trainval,)


def train_every(args) -> int:
    """Train the networks one after another, each for its share of what is left of the budget, or
    with --parallel side by side, each for the whole budget."""
    names = [n for n in args.networks.split(",") if n]
    unknown = [n for n in names if n not in COST]
    if unknown:
        print(f"unknown network(s) {', '.join(unknown)}; known: {', '.join(COST)}", file=sys.stderr)
        return 2
    if args.both and not (args.parallel and args.iterations):
        print("--both needs --parallel and --iterations: a bundle run trains for a budget fixed "
              "in advance", file=sys.stderr)
        return 2
    started = time.time()
    if args.parallel:
        return train_side_by_side(args, [(n, tv) for n in names for tv in run_kinds(args)], started)
    total_cost = sum(COST[n] for n in names)
    for i, name in enumerate(names):
        # What is left of the budget, shared among the networks still to train by their cost.
        left_s = args.budget_min * 60 - (time.time() - started)
        share_s = left_s * COST[name] / sum(COST[n] for n in names[i:])
        if share_s <= 0:
            print(f"budget spent before {name}", file=sys.stderr)
            return 1
        print(f"== {name}: {share_s:.0f} s of the {args.budget_min:g} min budget "
              f"({COST[name] / total_cost:.0%} by cost)", flush=True)
        if train.main(run_arguments(args, name, args.trainval, share_s, threads=0)) != 0:
            return 1
    print(f"trained {len(names)} networks in {(time.time() - started) / 60:.1f} min")
    return 0


def train_side_by_side(args, runs: list[tuple[str, bool]], started: float) -> int:
    """One `train` process per run, all at once, each for the whole budget: small networks leave
    a big GPU mostly idle, so several share it at little cost to each. `runs` are (network,
    trainval) pairs; each run's output goes to zoo/runs/RUN.out."""
    args.runs.mkdir(parents=True, exist_ok=True)
    threads = max((os.cpu_count() or 2) // len(runs), 1)
    running = []
    for name, trainval in runs:
        run = train.run_name(name, trainval)
        out = (args.runs / f"{run}.out").open("a")
        command = [sys.executable, "-m", "zoo", "train",
                   *run_arguments(args, name, trainval, args.budget_min * 60, threads)]
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=PACKAGE_ROOT)
        running.append((run, process, out))
        print(f"== {run}: the whole {args.budget_min:g} min budget, output in {out.name}", flush=True)
    failed = []
    try:
        for run, process, out in running:
            if process.wait() != 0:
                failed.append(run)
    finally:  # cancelled (Ctrl-C) or failed: no run keeps the GPU
        for run, process, out in running:
            if process.poll() is None:
                process.terminate()
                process.wait()
            out.close()
    for run, process, out in running:
        lines = Path(out.name).read_text().splitlines()
        print(f"{run}: {lines[-1] if lines else 'no output'}")
    print(f"trained {len(runs) - len(failed)} of {len(runs)} runs side by side in "
          f"{(time.time() - started) / 60:.1f} min" + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


def run_arguments(args, name: str, trainval: bool, seconds: float, threads: int) -> list[str]:
    """The `python -m zoo train` arguments of one network's run within `seconds` of wall time."""
    augment_on = args.augment_on or ("cpu" if args.device == "cpu" else "device")
    workers = 0 if augment_on == "device" else args.workers if args.workers >= 0 else \
        (max((os.cpu_count() or 2) - 1, 1) if args.device != "cpu" else 0)
    # absolute: a side-by-side run starts in the package's folder, not in the caller's
    source = ["--pack", str(args.pack.resolve())] if args.pack.exists() else ["--data", str(args.data.resolve())]
    budget = ["--hours", f"{seconds / 3600:.6f}", "--epochs", str(args.epochs)]
    if args.iterations:  # the plan stays; the budget only stops the run, resumable
        budget = ["--iterations", str(args.iterations), "--stop-hours", f"{seconds / 3600:.6f}"]
    elif trainval:
        iterations = selection_iterations(args.runs / name)
        if iterations:  # the budget the selection run chose, in iterations, not in wall time
            budget = ["--iterations", str(iterations)]
        else:
            print(f"{name}: no finished selection run in {args.runs}; the bundle run gets a time budget instead",
                  file=sys.stderr)
    run = [name, *source, "--device", args.device, *budget, "--batch-size", str(args.batch_size),
           "--workers", str(workers), "--augment-on", augment_on, "--eval-every", str(args.eval_every),
           "--out", str((args.runs / train.run_name(name, trainval)).resolve()), "--fresh", "--channels-last"]
    if threads:
        run += ["--threads", str(threads)]
    if trainval:
        run.append("--trainval")
    return run + args.extra.split()

if __name__ == "__main__":
    sys.exit(main())
