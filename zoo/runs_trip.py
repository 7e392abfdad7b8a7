"""Bring training runs back from a lent GPU machine, within what its output folder returns.

On the device:  `python -m zoo send-runs --to "$OUT" [--runs zoo/runs] [NAME ...]`
Here:           `python -m zoo receive-runs FOLDER [--runs zoo/runs]`

Only files under the device call's $OUT come back, at most 8 of 16 MiB each and 64 MiB in all
(/work/.library/device/README.md); the machine and its zoo/runs/ are gone after the call. A run
directory holds a full resume state (ShelfNet-ResNet18: 124 MB with its SGD momentum), so
`send-runs` keeps what `zoo.bundle` and a later resume need, in one container split into parts:
- `last.pt` slim, as zoo/checkpoints/ keeps it (fp16 weights, no momentum: zoo/checkpoint.py);
- `best.pt` slim, its weights stored once when they are last.pt's (a finished bundle run);
- `log.csv` and `curves.png`.
Runs that do not fit are left out whole, and named. A best.pt with weights of its own (a selection
run's best val epoch) goes only where room is left once every run's last.pt is in: ShelfNet's
two would take 61 of the 64 MiB. `receive-runs` unpacks the parts into
zoo/runs/NAME/. A run directory here that is as far along or further is kept and the one sent is
skipped; one that is behind is moved aside to NAME.before-trip-TIMESTAMP, never deleted.
"""
from __future__ import annotations

import argparse
import io
import re
import sys
import time
from pathlib import Path

import torch

from zoo import data
from zoo.checkpoint import slim

FORMAT = "segbench-runs/1"
PART_BYTES = 15 * 2**20  # under the 16 MiB a returned file may have
MAX_PARTS = 8
TOTAL_BYTES = 64 * 2**20
PREFIX = "runs.pt."
FILES = ("log.csv", "curves.png")
KNOWN_FILES = {"last.pt", "best.pt", *FILES}


def slim_run(run: Path) -> tuple[dict, dict | None]:
    """One run directory as the container holds it: its states slim, its log and curves as bytes;
    and, apart, a best.pt whose weights are not last.pt's (sent only where room is left)."""
    last = torch.load(run / "last.pt", map_location="cpu", weights_only=False)
    entry, own_best = {"last.pt": slim(last)}, None
    if (run / "best.pt").exists():
        best = torch.load(run / "best.pt", map_location="cpu", weights_only=False)
        if best["model"].keys() == last["model"].keys() and all(
                torch.equal(best["model"][k], last["model"][k]) for k in best["model"]):
            # the same fp16 tensors, so torch.save writes the weights once
            entry["best.pt"] = best | {"model": entry["last.pt"]["model"], "slim": True}
        else:
            own_best = slim(best)
    for name in FILES:
        if (run / name).exists():
            entry[name] = (run / name).read_bytes()
    return entry, own_best


def encoded(obj) -> bytes:
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    return buffer.getvalue()


def encoded_size(obj) -> int:
    return len(encoded(obj))


FRAMING = encoded_size({})  # what torch.save adds around any object: its zip records


def say_not_sent(run: Path, budget: int) -> None:
    print(f"{run}: does not fit in the {budget / 2**20:.0f} MiB that comes back, not sent", file=sys.stderr)


def say_best_not_sent(run: Path) -> None:
    print(f"{run}/best.pt: no room left, not sent (last.pt is)", file=sys.stderr)


def send(runs: Path, to: Path, names: list[str] | None = None) -> tuple[list[str], list[str], list[Path]]:
    """Write the runs into `to` as parts of one container; (sent, left out, part files)."""
    if names is not None:
        candidates = names
    else:  # every run, not the ones an earlier receive moved aside
        candidates = sorted(d.name for d in runs.iterdir() if (d / "last.pt").exists()
                            and ".before-trip-" not in d.name) if runs.exists() else []
    container, sent, left_out, bests = {"format": FORMAT, "runs": {}}, [], [], {}
    budget = min(TOTAL_BYTES, PART_BYTES * MAX_PARTS)
    # Each piece is measured once, on its own, less the zip framing every saved file has; the whole
    # container is measured again at the end (record names and alignment differ by a few bytes).
    used = encoded_size(container)
    for name in candidates:  # first what resuming and bundling a finished run need, for every run
        if not (runs / name / "last.pt").exists():
            print(f"{runs / name}: no last.pt, not sent", file=sys.stderr)
            left_out.append(name)
            continue
        entry, bests[name] = slim_run(runs / name)
        size = encoded_size({name: entry}) - FRAMING
        if used + size > budget:
            say_not_sent(runs / name, budget)
            left_out.append(name)
            continue
        container["runs"][name] = entry
        used += size
        sent.append(name)
    for name in sent:  # then the best val epochs of unfinished selection runs, where room is left
        if bests.get(name) is not None:
            size = encoded_size(bests[name]) - FRAMING
            if used + size <= budget:
                container["runs"][name]["best.pt"] = bests[name]
                used += size
            else:
                say_best_not_sent(runs / name)
    blob = encoded(container)
    while len(blob) > budget and sent:  # the sum was a little short: drop a best epoch, else a run
        with_best = [n for n in sent if "best.pt" in container["runs"][n]]
        if with_best:
            del container["runs"][with_best[-1]]["best.pt"]
            say_best_not_sent(runs / with_best[-1])
        else:
            dropped = sent.pop()
            del container["runs"][dropped]
            left_out.append(dropped)
            say_not_sent(runs / dropped, budget)
        blob = encoded(container)
    to.mkdir(parents=True, exist_ok=True)
    parts = []
    for i in range(0, len(blob), PART_BYTES):
        part = to / f"{PREFIX}{i // PART_BYTES:03d}"
        part.write_bytes(blob[i:i + PART_BYTES])
        parts.append(part)
    return sent, left_out, parts


def read_container(folder: Path) -> dict:
    parts = sorted(folder.glob(f"{PREFIX}[0-9][0-9][0-9]"))
    if not parts:
        raise ValueError(f"{folder}: no {PREFIX}NNN parts (written by `python -m zoo send-runs`)")
    numbers = [int(p.name[len(PREFIX):]) for p in parts]
    if numbers != list(range(len(parts))):
        missing = sorted(set(range(max(numbers) + 1)) - set(numbers))
        raise ValueError(f"{folder}: part {PREFIX}{missing[0]:03d} is missing")
    blob = b"".join(p.read_bytes() for p in parts)
    try:
        container = torch.load(io.BytesIO(blob), map_location="cpu", weights_only=False)
    except Exception as e:  # a truncated or foreign file; torch's multi-line reason is chained
        raise ValueError(f"{parts[0]}: not a complete send-runs container ({type(e).__name__})") from e
    if not isinstance(container, dict) or container.get("format") != FORMAT:
        raise ValueError(f"{parts[0]}: not a {FORMAT} container")
    for name, entry in container["runs"].items():
        # names from the file: run directories and their known files, nothing that leaves zoo/runs/
        if not re.fullmatch(r"[A-Za-z0-9_-][A-Za-z0-9._-]*", name) or not set(entry) <= KNOWN_FILES:
            raise ValueError(f"{parts[0]}: run {name!r} has names that are not a run's "
                             f"({', '.join(sorted(entry))})")
    return container


def receive(folder: Path, runs: Path) -> tuple[list[str], list[str]]:
    """Unpack the runs sent into `runs`; (received, kept because the local run is as far along)."""
    container = read_container(folder)
    received, kept = [], []
    stamp = time.strftime("%Y%m%dT%H%M%S")
    for name, entry in container["runs"].items():
        target = runs / name
        incoming = entry["last.pt"]["state"]["iteration"]
        if (target / "last.pt").exists():
            local = torch.load(target / "last.pt", map_location="cpu", weights_only=False)
            if local["state"]["iteration"] >= incoming:
                print(f"{target}: at iteration {local['state']['iteration']} here, the one sent is at "
                      f"{incoming}; kept", file=sys.stderr)
                kept.append(name)
                continue
        if target.exists():
            target.rename(runs / f"{name}.before-trip-{stamp}")
        target.mkdir(parents=True)
        for file_name, value in entry.items():
            if isinstance(value, bytes):
                (target / file_name).write_bytes(value)
            else:
                torch.save(value, target / file_name)
        received.append(name)
    return received, kept


def describe(state: dict) -> str:
    best = state["best_miou"]
    return (f"epoch {state['epoch']}, {state['iteration']} iterations"
            + (f", best val mIoU {100 * best:.1f}" if best >= 0 else ""))


def send_main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m zoo send-runs", description="on a GPU machine: "
                                "write its runs where the device tool returns them (zoo/runs_trip.py)")
    p.add_argument("names", nargs="*", help="run directories to send (default: every one with a last.pt)")
    p.add_argument("--to", type=Path, required=True, help="the device call's $OUT")
    p.add_argument("--runs", type=Path, default=data.REPO / "zoo" / "runs")
    args = p.parse_args(argv)
    sent, left_out, parts = send(args.runs, args.to, args.names or None)
    size = sum(part.stat().st_size for part in parts)
    print(f"sent {len(sent)} runs ({', '.join(sent) or 'none'}) in {len(parts)} parts, "
          f"{size / 2**20:.1f} MiB" + (f"; left out {', '.join(left_out)}" if left_out else ""))
    return 1 if left_out or not sent else 0


def receive_main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m zoo receive-runs", description="here: unpack runs a "
                                "GPU machine sent back into zoo/runs/ (zoo/runs_trip.py)")
    p.add_argument("folder", type=Path, help="where the device call's files landed")
    p.add_argument("--runs", type=Path, default=data.REPO / "zoo" / "runs")
    args = p.parse_args(argv)
    try:
        received, kept = receive(args.folder, args.runs)
    except (ValueError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    for name in received:
        state = torch.load(args.runs / name / "last.pt", map_location="cpu", weights_only=False)["state"]
        print(f"{args.runs / name}: {describe(state)}")
    print(f"received {len(received)} runs" + (f", kept {len(kept)} further along here" if kept else ""))
    return 0


if __name__ == "__main__":
    sys.exit(receive_main())
