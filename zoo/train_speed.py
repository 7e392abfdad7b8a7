"""Measure training speed before spending hours: images/s for one network, split into augmentation
and the optimisation step, for each thread count and memory format asked for.

`python -m zoo train-speed fastscnn [--threads 1,2] [--steps 5] [--crop 360x480] [--batch-size 8]`

Each configuration runs one warm-up step, then `--steps` timed steps on real augmented CamVid
batches; the figures go into zoo/README.md by hand. Pause other CPU work while it runs.
"""
from __future__ import annotations

import argparse
import itertools
import sys
import time

import numpy as np
import torch

from zoo import data
from zoo.registry import create, spec
from zoo.train import parameter_groups, segmentation_loss


LAYOUTS, PRECISIONS, MODES = ("NCHW", "channels-last"), ("fp32", "bf16"), ("eager", "compiled")


def measure(name: str, threads: int, channels_last: bool, crop, batch_size: int, steps: int,
            images, labels, bf16: bool = False, compiled: bool = False) -> dict:
    torch.set_num_threads(threads)
    num_classes, ignore = 11, 11
    model = create(name, num_classes=num_classes).train()
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
    optimizer = torch.optim.SGD(parameter_groups(model, 4e-5), lr=0.01, momentum=0.9)
    forward = torch.compile(model) if compiled else model
    batches = data.TrainBatches(images, labels, data.Augment(crop), batch_size, seed=0)
    aux = spec(name)["aux_weight"] or 0.0
    augment_s, step_s = [], []
    # 32 images make 4 batches an epoch: more steps draw on the next epochs
    stream = itertools.chain.from_iterable(batches.epoch() for _ in itertools.count())
    for i in range(steps + 1):
        t0 = time.perf_counter()
        x, y = next(stream)
        if channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        t1 = time.perf_counter()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            out = forward(x)
        loss = segmentation_loss(out, y, None, aux, ignore)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        t2 = time.perf_counter()
        if i == 0:
            first_step_s = t2 - t1
        if i:  # the first step pays for allocations, kernel selection and any compilation
            augment_s.append(t1 - t0)
            step_s.append(t2 - t1)
    per_batch = np.mean(augment_s) + np.mean(step_s)
    return {"threads": threads, "channels_last": channels_last, "bf16": bf16, "compiled": compiled,
            "first_step_s": first_step_s,
            "augment_ms": 1000 * np.mean(augment_s) / batch_size,
            "step_ms": 1000 * np.mean(step_s) / batch_size,
            "images_per_s": batch_size / per_batch}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m zoo train-speed", description=__doc__.splitlines()[0])
    p.add_argument("name")
    p.add_argument("--data", default=str(data.REPO.parent / "shared" / "datasets" / "camvid"))
    p.add_argument("--threads", default="1,2")
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--crop", default="360x480")
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--layouts", default="NCHW,channels-last")
    p.add_argument("--precisions", default="fp32",
                   help="fp32,bf16: bf16 autocasts the forward pass (CPUs with AVX512-BF16 or AMX)")
    p.add_argument("--modes", default="eager",
                   help="eager,compiled: compiled runs the forward through torch.compile")
    args = p.parse_args(argv)
    for option, given, known in (("--layouts", args.layouts, LAYOUTS), ("--precisions", args.precisions, PRECISIONS),
                                 ("--modes", args.modes, MODES)):
        unknown = [v for v in given.split(",") if v not in known]
        if unknown:  # a misspelt layout would otherwise be measured as NCHW without a word
            p.error(f"{option}: unknown {', '.join(unknown)} (choose from {', '.join(known)})")
    from pathlib import Path
    images, labels = data.load_pairs(data.read_split(Path(args.data), "train.txt")[:32])
    crop = tuple(int(v) for v in args.crop.split("x"))
    print(f"{args.name}, crops {args.crop}, batch {args.batch_size}, {args.steps} timed steps")
    print(f"{'threads':>7} {'layout':>13} {'precision':>9} {'mode':>8} {'augment ms/img':>15} "
          f"{'step ms/img':>12} {'img/s':>7} {'img/s/core':>10} {'first step s':>12}")
    for threads in (int(t) for t in args.threads.split(",")):
        for layout, precision, mode in itertools.product(
                args.layouts.split(","), args.precisions.split(","), args.modes.split(",")):
            r = measure(args.name, threads, layout == "channels-last", crop, args.batch_size,
                        args.steps, images, labels, bf16=precision == "bf16",
                        compiled=mode == "compiled")
            print(f"{threads:>7} {layout:>13} {precision:>9} {mode:>8} "
                  f"{r['augment_ms']:>15.1f} {r['step_ms']:>12.1f} {r['images_per_s']:>7.2f} "
                  f"{r['images_per_s'] / threads:>10.2f} {r['first_step_s']:>12.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
