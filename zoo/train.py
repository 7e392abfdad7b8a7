"""Train a registry network on CamVid with resumable checkpoints.

`python -m zoo train fastscnn --data ../shared/datasets/camvid --epochs 300 --hours 1`

Recipe (the papers' adapted to CamVid): SGD momentum 0.9 with a poly schedule (power 0.9) over the
planned epochs, no weight decay on depthwise kernels, BN or bias terms; random scale 0.5-2.0, crops
of the full 360x480 frame (the papers crop at their full training size), flip, and strong
photometric changes (brightness, contrast, saturation, hue, blur, noise: zoo/data.py);
cross-entropy with void ignored and square-root median-frequency class weights; auxiliary losses
where the network has aux heads (weight from its registry spec).

Two kinds of run, as CamVid papers report them:
- selection (default): trains on the 367 train images and validates on the 101 val images each
  epoch; its val curve chooses the recipe and the budget, and `best.pt` is the best val epoch.
- `--trainval`: trains on all 468 train+val images for the fixed budget (`--iterations` or
  `--epochs`) with no validation and no selection; `best.pt` is the final weights. That is the
  model to bundle; its val figure would be a training figure and is not reported.

Writes to --out (default zoo/runs/NAME, or zoo/runs/NAME-trainval for a bundle run, so the two
runs of a network never resume from each other): `last.pt` (resume state), `best.pt` (best val mIoU,
exportable), `log.csv` (one line per epoch) and `curves.png`; `zoo.bundle` copies the last two
into zoo/results/ when it bundles the run.
`--hours` fits the schedule into a time budget: after each epoch the planned length shrinks to the
epochs that still fit, so the poly decay ends with the budget. Running the command again resumes.
"""
from __future__ import annotations

import argparse
import csv
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from zoo import data
from zoo.device_augment import DeviceBatches
from zoo.evaluate import ConfusionMatrix
from zoo.registry import create, spec

LOG_FIELDS = ["epoch", "iterations", "lr", "train_loss", "val_miou", "val_pixel_accuracy", "seconds"]


def parameter_groups(model: torch.nn.Module, weight_decay: float):
    """Fast-SCNN's rule, used for all: no decay on depthwise kernels, BN weights or biases.

    A shared Parameter (ShelfNet's S-Block convolutions) is listed once: listed twice, SGD would
    apply its gradient twice per step."""
    decay, no_decay, seen = [], [], set()
    for module in model.modules():
        for name, p in module.named_parameters(recurse=False):
            if id(p) in seen:
                continue
            seen.add(id(p))
            depthwise = isinstance(module, torch.nn.Conv2d) and module.groups > 1 \
                and module.groups == module.in_channels
            (no_decay if p.ndim <= 1 or depthwise else decay).append(p)
    return [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]


def segmentation_loss(outputs, target, weights, aux_weight: float, ignore: int):
    if not isinstance(outputs, (tuple, list)):
        outputs = (outputs,)
    loss = F.cross_entropy(outputs[0], target, weight=weights, ignore_index=ignore)
    for aux in outputs[1:]:
        aux = F.interpolate(aux, size=target.shape[-2:], mode="bilinear", align_corners=False)
        loss = loss + aux_weight * F.cross_entropy(aux, target, weight=weights, ignore_index=ignore)
    return loss


def validate(model, images, labels, num_classes: int, ignore: int,
             device=torch.device("cpu")) -> ConfusionMatrix:
    model.eval()
    cm = ConfusionMatrix(num_classes, ignore)
    # frames of one size go through in batches (eval-mode BN: each frame's result is its own)
    batch = 8 if len({im.shape for im in images}) == 1 else 1
    with torch.no_grad():
        for i in range(0, len(images), batch):
            x = torch.stack([data.normalise(rgb) for rgb in images[i:i + batch]]).to(device)
            predictions = model(x).argmax(1).cpu().numpy()
            for label, prediction in zip(labels[i:i + batch], predictions):
                cm.update(label, prediction)
    model.train()
    return cm


def read_log(path: Path) -> list[dict]:
    """A run's log.csv as rows (LOG_FIELDS), none when it has no log yet."""
    if not path.exists():
        return []
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def plot_curves(log_path: Path, out_png: Path, title: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    rows = read_log(log_path)
    if not rows:
        return
    epochs = [int(r["epoch"]) for r in rows]
    fig, ax = plt.subplots(figsize=(6, 3.7), dpi=100, layout="constrained")
    ax.plot(epochs, [float(r["train_loss"]) for r in rows], color="tab:red", label="train loss")
    ax.set_xlabel("epoch"), ax.set_ylabel("train loss")
    ax2 = ax.twinx()
    val = [(e, 100 * float(r["val_miou"])) for e, r in zip(epochs, rows) if r["val_miou"]]
    if val:
        ax2.plot(*zip(*val), color="tab:blue", marker=".", label="val mIoU")
    ax2.set_ylabel("CamVid val mIoU (%)")
    ax.set_title(title)
    # Below the axes: inside, the legend covered the val curve where it plateaus.
    fig.legend(loc="outside lower center", ncol=2, fontsize=8)
    out_png.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out_png)
    plt.close(fig)


def cpu_name() -> str:
    """The CPU model, for the training summary (platform.processor() is empty on Linux)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return f"{line.split(':', 1)[1].strip()} ({os.cpu_count()} cores)"
    except OSError:
        pass
    return platform.processor() or platform.machine()


def training_summary(args: dict, state: dict, split: str, hardware: str) -> str:
    """The one-line training note of a checkpoint and of the bundled file made from it; `args` are
    the run's arguments as its state saves them, `state` its counters."""
    restarts = state.get("restarts", [])
    restarted = f" restarted at iteration{'s' * (len(restarts) > 1)} {', '.join(map(str, restarts))}" \
        if restarts else ""
    return (f"CamVid {split}, crops {args['crop']} of 360x480 rescaled {args['scale']}, "
            f"{'mild colour noise' if args.get('mild_augment') else 'photometric augmentation'}, "
            f"batch {args['batch_size']}, SGD lr {args['lr']} poly 0.9{restarted}, {state['epoch']} epochs "
            f"({state['iteration']} iterations), {state['train_seconds'] / 3600:.2f} h on {hardware}")


def run_name(name: str, trainval: bool) -> str:
    """The run directory and committed-state name: a network's selection and bundle runs differ."""
    return f"{name}-trainval" if trainval else name


def run_scale(ckpt: dict | None) -> str | None:
    """The rescale range a run was started with (`--scale`), from its state."""
    return (ckpt or {}).get("args", {}).get("scale")


def twin_scale(out: Path, name: str) -> str | None:
    """A new bundle run takes its selection run's rescale range (beside it, else committed), so the
    pair keeps one recipe even when the paper default changed in between."""
    for state in (out.parent / name / "last.pt", data.REPO / "zoo" / "checkpoints" / f"{name}.pt"):
        if state.exists():
            return run_scale(torch.load(state, map_location="cpu", weights_only=False))
    return None


def schedule_ended(ckpt: dict) -> bool:
    """Whether a resume state's poly schedule has run out: its planned epochs (shrunk by a time
    budget; states written before that was recorded planned their --epochs) are done."""
    state = ckpt["state"]
    return state["epoch"] >= state.get("planned_epochs", ckpt["args"]["epochs"])


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m zoo train", description=__doc__.splitlines()[0])
    p.add_argument("name")
    p.add_argument("--data", type=Path, default=data.REPO.parent / "shared" / "datasets" / "camvid")
    p.add_argument("--epochs", type=int, default=300, help="planned length; sets the poly schedule")
    p.add_argument("--iterations", type=int, default=0,
                   help="planned length in iterations of --batch-size (overrides --epochs)")
    p.add_argument("--trainval", action="store_true",
                   help="train on train+val for the fixed budget, no validation or selection")
    p.add_argument("--fresh", action="store_true",
                   help="start from random weights even if zoo/checkpoints/NAME.pt exists")
    p.add_argument("--mild-augment", action="store_true",
                   help="the first recipe's mild colour noise instead of the photometric set")
    p.add_argument("--device", default="cpu", help="cpu or cuda")
    p.add_argument("--channels-last", action="store_true",
                   help="NHWC memory format (faster convolutions on recent CPUs and GPUs)")
    p.add_argument("--workers", type=int, default=0,
                   help="augment in this many worker processes (a GPU machine); 0: in-process")
    p.add_argument("--augment-on", choices=("cpu", "device"), default="cpu",
                   help="device: keep the frames on --device and augment there in batches "
                        "(zoo/device_augment.py; a GPU outruns the CPU's augmentation)")
    p.add_argument("--pack", type=Path, help="read the frames from a packed file (python -m zoo pack)")
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--lr", type=float, default=0.045)
    p.add_argument("--weight-decay", type=float, default=4e-5)
    p.add_argument("--crop", default="360x480", help="HxW random crop of the rescaled image")
    p.add_argument("--scale", help="random rescale range, e.g. 0.5,2.0 (default: the paper's, from the "
                                   "network's spec; a resumed run keeps its own)")
    p.add_argument("--eval-every", type=int, default=1)
    p.add_argument("--hours", type=float, default=0.0,
                   help="fit the schedule into this wall time: the poly decay ends with it (0: no limit)")
    p.add_argument("--stop-hours", type=float, default=0.0,
                   help="stop, resumable, before an epoch would pass this wall time; unlike --hours "
                        "the schedule keeps its planned length (a machine lent for minutes)")
    p.add_argument("--compile-loss", action="store_true",
                   help="compile the loss heads (upsampling + cross-entropy at full size) into fused "
                        "kernels: the same loss, about 17%% faster Fast-SCNN steps on a CPU")
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path)
    args = p.parse_args(argv)

    if args.threads:
        torch.set_num_threads(args.threads)
    run = run_name(args.name, args.trainval)
    out = args.out or data.REPO / "zoo" / "runs" / run
    out.mkdir(parents=True, exist_ok=True)
    labels_def = data.label_set("camvid")
    num_classes, ignore = len(labels_def["classes"]), labels_def["ignore_index"]

    if args.pack:
        train_images, train_labels = data.load_packed(args.pack, "train")
        val_images, val_labels = data.load_packed(args.pack, "val")
    else:
        train_images, train_labels = data.load_pairs(data.read_split(args.data, "train.txt"))
        val_images, val_labels = data.load_pairs(data.read_split(args.data, "val.txt"))
    split = f"train ({len(train_images)} images)"
    if args.trainval:  # the bundle run: every labelled image, nothing held out to select on
        train_images, train_labels = train_images + val_images, train_labels + val_labels
        val_images, val_labels = [], []
        split = f"train+val ({len(train_images)} images), fixed budget, no selection"
    last = out / "last.pt"
    # A fresh machine has no run directory: resume from the state committed in zoo/checkpoints/.
    committed = data.REPO / "zoo" / "checkpoints" / f"{run}.pt"
    resume_from = last if last.exists() else \
        committed if committed.exists() and not args.fresh else None
    ckpt = torch.load(resume_from, map_location=args.device, weights_only=False) if resume_from else None
    if args.scale is None:  # a run keeps the range it started with, even if the paper default changed
        args.scale = run_scale(ckpt) or (twin_scale(out, args.name) if args.trainval else None) \
            or ",".join(f"{v:g}" for v in spec(args.name)["train_scale"])
    crop = tuple(int(v) for v in args.crop.lower().split("x"))
    scale = tuple(float(v) for v in args.scale.split(","))
    augment = data.Augment(crop, scale, ignore, photometric=not args.mild_augment)
    batches = data.TrainBatches(train_images, train_labels, augment, args.batch_size, args.seed)
    loader = device_batches = None
    device = torch.device(args.device)
    if args.augment_on == "device":
        if args.mild_augment or args.workers:
            print("error: --augment-on device does the photometric set in-process: drop --mild-augment "
                  "and --workers", file=sys.stderr)
            return 2
        device_batches = DeviceBatches(train_images, train_labels, crop, scale, ignore,
                                       args.batch_size, args.seed, device)
    elif args.workers:
        frames = data.AugmentedFrames(train_images, train_labels, augment, args.seed)
        loader = torch.utils.data.DataLoader(
            frames, batch_size=args.batch_size, shuffle=True, drop_last=True,
            num_workers=args.workers, pin_memory=args.device != "cpu", persistent_workers=False,
            generator=torch.Generator().manual_seed(args.seed))
    weights = data.class_weights(train_labels, num_classes, ignore).to(device)
    if args.iterations:
        args.epochs = -(-args.iterations // len(batches))

    torch.manual_seed(args.seed)
    model = create(args.name, num_classes=num_classes).to(device)
    if args.channels_last:
        model = model.to(memory_format=torch.channels_last)
    aux_weight = spec(args.name).get("aux_weight", 0.0) or 0.0
    # Eager, the loss heads are a third of a Fast-SCNN step on one core: three upsamplings to
    # 360x480 and log-softmaxes over 11 channels, each a separate memory-bound pass.
    loss_fn = torch.compile(segmentation_loss, dynamic=False) if args.compile_loss else segmentation_loss
    optimizer = torch.optim.SGD(parameter_groups(model, args.weight_decay), lr=args.lr, momentum=0.9)
    # The poly schedule runs over the planned epochs; with a time budget the plan shrinks to what
    # fits, so the learning rate still reaches zero when the budget ends instead of stopping high.
    planned = [args.epochs]
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda it: max(1 - it / (planned[0] * len(batches)), 0.0) ** 0.9)

    state = {"epoch": 0, "iteration": 0, "best_miou": -1.0, "train_seconds": 0.0}
    if resume_from:
        if bool(ckpt.get("args", {}).get("trainval")) != args.trainval:
            kinds = ("a selection run (train only)", "a bundle run (train+val)")
            print(f"error: {resume_from} is {kinds[not args.trainval]}; this is {kinds[args.trainval]}: "
                  f"pass another --out", file=sys.stderr)
            return 2
        model.load_state_dict(ckpt["model"])  # fp16 weights of a slim state are cast back
        if "optimizer" in ckpt:  # a slim state (zoo/checkpoint.py) restarts momentum from zero
            optimizer.load_state_dict(ckpt["optimizer"])
        schedule.load_state_dict(ckpt["schedule"])
        for group, lr in zip(optimizer.param_groups, schedule.get_last_lr()):
            group["lr"] = lr  # the loaded optimizer state carries it; a slim state does not
        batches.rng.bit_generator.state = ckpt["rng"]
        state = ckpt["state"]
        warm_restart = schedule_ended(ckpt) and state["epoch"] < args.epochs
        if warm_restart:
            # A finished run given a longer plan: the decay climbs back up (a warm restart), which
            # the run's summary and the bundled model's metadata must say.
            state.setdefault("restarts", []).append(state["iteration"])
        print(f"resumed {args.name} from {resume_from}{' (slim: momentum restarts)' if ckpt.get('slim') else ''} "
              f"at epoch {state['epoch']}" + (f" (best val mIoU {100 * state['best_miou']:.1f})"
                                              if state["best_miou"] >= 0 else "")
              + (f": warm restart, poly decay climbs back up from iteration {state['iteration']} "
                 f"to a plan of {args.epochs} epochs" if warm_restart else ""))
    log_path = out / "log.csv"
    if not log_path.exists():
        with log_path.open("w", newline="") as f:
            csv.writer(f).writerow(LOG_FIELDS)

    threads = torch.get_num_threads()
    hardware = f"{cpu_name()}, {threads} CPU thread{'' if threads == 1 else 's'}"
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True  # fixed crop size: let cuDNN pick its kernels once
        hardware = torch.cuda.get_device_name(device)
    started, epoch_seconds, plotted = time.time(), [], 0.0
    model.train()
    while state["epoch"] < planned[0]:
        t0, losses = time.time(), []
        if loader is not None:
            loader.dataset.epoch = state["epoch"]
            loader.generator.manual_seed(args.seed * 100_003 + state["epoch"])
        epoch_batches = loader if loader is not None else \
            device_batches.epoch(state["epoch"]) if device_batches is not None else batches.epoch()
        for x, y in epoch_batches:
            x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
            if args.channels_last:
                x = x.contiguous(memory_format=torch.channels_last)
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
                outputs = model(x)
            outputs = [o.float() for o in outputs] if isinstance(outputs, (tuple, list)) \
                else outputs.float()
            loss = loss_fn(outputs, y, weights, aux_weight, ignore)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()
            state["iteration"] += 1
            losses.append(loss.detach())  # no .item() per step: it would make a GPU wait for the CPU
        state["epoch"] += 1
        epoch_loss = torch.stack(losses).mean().item()
        miou = pixacc = ""
        if val_images and (state["epoch"] % args.eval_every == 0 or state["epoch"] >= planned[0]):
            cm = validate(model, val_images, val_labels, num_classes, ignore, device)
            miou, pixacc = cm.miou(), cm.pixel_accuracy()
        state["train_seconds"] += time.time() - t0
        epoch_seconds.append(time.time() - t0)
        if args.hours:
            remaining = args.hours * 3600 - (time.time() - started)
            fits = state["epoch"] + int(remaining / np.mean(epoch_seconds))
            planned[0] = max(min(args.epochs, fits), state["epoch"])
        with log_path.open("a", newline="") as f:
            csv.writer(f).writerow([state["epoch"], state["iteration"], f"{schedule.get_last_lr()[0]:.6f}",
                                    f"{epoch_loss:.4f}", f"{miou:.4f}" if miou != "" else "",
                                    f"{pixacc:.4f}" if pixacc != "" else "", f"{time.time() - t0:.1f}"])
        summary = training_summary(vars(args), state, split, hardware)
        final = state["epoch"] >= planned[0]
        if args.trainval and final:  # no selection: the bundle is the last epoch of the budget
            torch.save({"model": model.state_dict(), "meta": {"training": summary,
                        "epoch": state["epoch"], "trainval": True}}, out / "best.pt")
        if miou != "" and miou > state["best_miou"]:
            state["best_miou"] = miou
            torch.save({"model": model.state_dict(), "meta": {"training": summary, "val_miou": 100 * miou,
                        "epoch": state["epoch"]}}, out / "best.pt")
        state["planned_epochs"] = planned[0]  # where the poly decay ends; a time budget shrinks it
        state["split"], state["hardware"] = split, hardware  # zoo.bundle's note for the final weights
        torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                    "schedule": schedule.state_dict(), "rng": batches.rng.bit_generator.state,
                    "state": state, "args": vars(args)}, str(last) + ".tmp")
        os.replace(str(last) + ".tmp", last)  # never leave a half-written checkpoint
        print(f"{args.name} epoch {state['epoch']}/{planned[0]} loss {epoch_loss:.3f} "
              f"val mIoU {'' if miou == '' else f'{100 * miou:.1f}'} ({time.time() - t0:.0f} s)", flush=True)
        # into the run directory: zoo/results/ keeps the bundled model's curves until zoo.bundle
        # copies this run's over them
        # (at most once a minute: on a GPU an epoch can take less time than drawing the plot)
        stopping = bool(args.stop_hours) and state["epoch"] < planned[0] and \
            time.time() - started + np.mean(epoch_seconds[-5:]) > args.stop_hours * 3600
        if state["epoch"] >= planned[0] or stopping or time.time() - plotted > 60:
            plot_curves(log_path, out / "curves.png", f"{args.name} on CamVid")
            plotted = time.time()
        if stopping:
            print(f"stopped at epoch {state['epoch']} of {planned[0]}: the next would pass --stop-hours "
                  f"{args.stop_hours:g}; the schedule is unchanged, run again to continue", flush=True)
            return 0
    if state["epoch"] < args.epochs:
        print(f"stopped at epoch {state['epoch']} of {args.epochs} (time budget {args.hours} h); "
              f"run again with a larger --epochs or --hours to continue")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
