"""python -m zoo params: each network's parameter count at 19 classes beside its paper's figure."""
from __future__ import annotations

import argparse

from zoo.registry import count_parameters, create, names, spec

# Variants that are options of a registered name rather than names of their own.
VARIANTS = {
    "ndnet29": [{"expansion": 2}],
    "ndnet45": [{"expansion": 2}],
    "ndnet61": [{"expansion": 2}],
}


def rows(num_classes: int = 19):
    """(label, params, paper params or None, difference % or None, reconstruction) per network."""
    out = []
    for name in names():
        facts = spec(name)
        for options in [{}] + VARIANTS.get(name, []):
            model = create(name, num_classes=num_classes, **options)
            count = count_parameters(model)
            label = name + "".join(f" {k}={v}" for k, v in options.items())
            paper = facts["paper_params"] if not options else None
            diff = None if paper is None else 100.0 * (count - paper) / paper
            out.append((label, count, paper, diff, facts["reconstruction"]))
    return out


def format_table(table) -> str:
    lines = [f"{'model':<22} {'params':>11} {'paper':>11} {'diff %':>8}",
             "-" * 55]
    for label, count, paper, diff, reconstruction in table:
        paper_text = f"{paper:,}" if paper is not None else "n/a"
        diff_text = f"{diff:+.2f}" if diff is not None else ""
        note = "  (reconstruction)" if reconstruction else ""
        lines.append(f"{label:<22} {count:>11,} {paper_text:>11} {diff_text:>8}{note}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zoo params", description=__doc__)
    parser.add_argument("--classes", type=int, default=19, help="class count (default 19)")
    args = parser.parse_args(argv)
    print(format_table(rows(args.classes)))
    print("\nCounts exclude training-only auxiliary heads; BN scale/shift are included.")
    return 0
