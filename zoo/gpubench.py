"""python -m zoo gpubench: inference speed of every network, written to zoo/BENCHMARKS.md.

Protocol (Fast-SCNN's): batch 1, `burn_in` frames first, then the mean time of the next `frames`
frames, with a device synchronisation around the timed loop (CUDA kernels are asynchronous).
GPU runs cover 1024x2048, 512x1024, 256x512 in fp32 and fp16, each eager and compiled
(torch.compile with mode "reduce-overhead", which captures CUDA graphs).

    python -m zoo gpubench                  # needs CUDA; exits 2 with one line if there is none
    python -m zoo gpubench --device cpu     # reduced protocol at 256x512, to exercise the code
"""
from __future__ import annotations

import argparse
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import torch

from zoo.registry import count_parameters, create, names, spec

GPU_SIZES = ((1024, 2048), (512, 1024), (256, 512))
CPU_SIZES = ((256, 512),)
DEFAULT_OUT = Path(__file__).resolve().parent / "BENCHMARKS.md"


@dataclass(frozen=True)
class Timing:
    network: str
    size: tuple
    precision: str   # fp32 | fp16
    mode: str        # eager | compiled
    ms: float | None  # mean milliseconds per frame; None when the run failed
    note: str = ""

    @property
    def fps(self):
        return None if not self.ms else 1000.0 / self.ms


def _synchronize(device: torch.device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


@torch.inference_mode()
def time_forward(forward, x, device, burn_in: int, frames: int) -> float:
    """Mean milliseconds per call of forward(x) after burn_in untimed calls."""
    for _ in range(burn_in):
        forward(x)
    _synchronize(device)
    start = time.perf_counter()
    for _ in range(frames):
        forward(x)
    _synchronize(device)
    return (time.perf_counter() - start) * 1000.0 / frames


def bench_network(name: str, device: torch.device, sizes, precisions, modes, burn_in: int,
                  frames: int, log=print) -> list[Timing]:
    results = []
    for precision in precisions:
        dtype = torch.float16 if precision == "fp16" else torch.float32
        model = create(name, num_classes=19, aux=False) if spec(name)["aux_weight"] else \
            create(name, num_classes=19)
        model = model.eval().to(device=device, dtype=dtype)
        for mode in modes:
            if mode == "compiled":
                # CUDA graphs remove per-kernel launch overhead, which dominates small networks.
                forward = torch.compile(model, mode="reduce-overhead" if device.type == "cuda"
                                        else "default", dynamic=False)
            else:
                forward = model
            for size in sizes:
                x = torch.randn(1, 3, *size, device=device, dtype=dtype)
                try:
                    ms = time_forward(forward, x, device, burn_in, frames)
                    timing = Timing(name, size, precision, mode, ms)
                except Exception as error:  # e.g. out of memory at full resolution
                    timing = Timing(name, size, precision, mode, None,
                                    f"{type(error).__name__}: {str(error).splitlines()[0][:80]}")
                    if device.type == "cuda":
                        torch.cuda.empty_cache()
                results.append(timing)
                fps_text = f"{timing.fps:8.1f} fps" if timing.ms else timing.note
                log(f"{name:<14} {size[0]}x{size[1]:<5} {precision} {mode:<8} {fps_text}")
        del model
        if device.type == "cuda":
            torch.cuda.empty_cache()
    return results


def environment(device: torch.device) -> dict:
    info = {"python": platform.python_version(), "torch": torch.__version__,
            "platform": platform.platform()}
    if device.type == "cuda":
        info["gpu"] = torch.cuda.get_device_name(device)
        info["cuda"] = torch.version.cuda
        info["cudnn"] = str(torch.backends.cudnn.version())
        info["driver"] = _nvidia_driver()
    else:
        info["cpu"] = platform.processor() or platform.machine()
        info["threads"] = str(torch.get_num_threads())
    return info


def _nvidia_driver() -> str:
    import subprocess

    try:
        out = subprocess.run(["nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader"],
                             capture_output=True, text=True, timeout=20)
        return out.stdout.strip().splitlines()[0]
    except Exception:
        return "unknown"


def paper_figure(name: str, size) -> str:
    figures = spec(name)["paper_fps"]
    key = f"{size[0]}x{size[1]}"
    if key in figures:
        fps, gpu = figures[key]
        return f"{fps:g} fps ({gpu})"
    return ""


def write_report(results: list[Timing], info: dict, protocol: str, path: Path):
    lines = ["# Inference speed of the zoo networks", "",
             "Written by `python -m zoo gpubench`; do not edit by hand.", "",
             f"Protocol: {protocol}. Batch 1, 19 classes, random weights and input "
             "(speed does not depend on the values), logits upsampled to the input size "
             "inside the network. fps = 1000 / mean ms.", "",
             "Environment: " + ", ".join(f"{k} {v}" for k, v in info.items()), "",
             "Papers' figures (their GPUs, their implementations): Fast-SCNN 123.5 / 285.8 / "
             "485.4 fps at 1024x2048 / 512x1024 / 256x512 (Titan Xp); NDNet29/45/61 55.23 / "
             "54.34 / 52.36 fps at 1024x2048 (Titan X), wide NDNet29 28.23; SPSSNet 59 fps at "
             "2048x1024 (GPU not stated; our SPSSNet is a reconstruction); ShelfNet R50 59 fps, "
             "R101 42 fps at 512x512 (GTX 1080Ti; we time 512x1024, so expect about half).", "",
             "| network | params | input | precision | mode | ms | fps | paper |",
             "|---|---:|---|---|---|---:|---:|---|"]
    params = {}
    for t in results:
        if t.network not in params:
            params[t.network] = count_parameters(create(t.network))
        ms = f"{t.ms:.2f}" if t.ms else "-"
        fps = f"{t.fps:.1f}" if t.ms else t.note
        label = t.network + (" (reconstruction)" if spec(t.network)["reconstruction"] else "")
        lines.append(f"| {label} | {params[t.network]:,} | {t.size[0]}x{t.size[1]} | "
                     f"{t.precision} | {t.mode} | {ms} | {fps} | {paper_figure(t.network, t.size)} |")
    path.write_text("\n".join(lines) + "\n")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zoo gpubench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--device", default="cuda", help="cuda (default) or cpu")
    parser.add_argument("--networks", nargs="*", default=None, help="subset of names")
    parser.add_argument("--burn-in", type=int, default=None)
    parser.add_argument("--frames", type=int, default=None)
    parser.add_argument("--modes", nargs="+", choices=("eager", "compiled"), default=None,
                        help="default: eager and compiled on CUDA, eager on CPU")
    parser.add_argument("--out", type=Path, default=None, help="report path")
    args = parser.parse_args(argv)

    networks = args.networks or names()
    unknown = set(networks) - set(names())
    if unknown:
        print(f"unknown networks: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    if args.device.startswith("cuda"):
        if not torch.cuda.is_available():
            print("gpubench: no CUDA GPU available here (torch.cuda.is_available() is False); "
                  "run it on a GPU machine, or use --device cpu for the reduced CPU protocol",
                  file=sys.stderr)
            return 2
        device = torch.device(args.device)
        torch.backends.cudnn.benchmark = True
        sizes, precisions = GPU_SIZES, ("fp32", "fp16")
        burn_in, frames = args.burn_in or 100, args.frames or 100
        out = args.out or DEFAULT_OUT
    else:
        device = torch.device("cpu")
        sizes, precisions = CPU_SIZES, ("fp32",)
        burn_in, frames = args.burn_in or 2, args.frames or 3
        # Keep the GPU report intact: CPU numbers go beside it unless asked otherwise.
        out = args.out or DEFAULT_OUT.with_name("BENCHMARKS_CPU.md")
    modes = tuple(args.modes or (("eager", "compiled") if device.type == "cuda" else ("eager",)))

    results = []
    for name in networks:
        results += bench_network(name, device, sizes, precisions, modes, burn_in, frames)
    protocol = f"{burn_in} burn-in frames, then the mean over {frames} frames"
    write_report(results, environment(device), protocol, out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
