"""Pack CamVid's labelled frames into one small file for a machine without ../shared.

`python -m zoo pack [--data ../shared/datasets/camvid] [--out zoo/packed/camvid.npz] [--quality 95]`

A GPU machine lent for minutes gets a copy of the working tree and nothing else (no network, no
../shared, at most 64 MiB of extra files). This writes the 367 train and 101 val frames as
high-quality JPEG and their labels as lossless PNG into one `.npz` (about 35 MB at quality 95),
which `python -m zoo train --pack` and `train-all --pack` read. The file is data, not code: it is
git-ignored (zoo/packed/) and travels only as a carried path.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np

from zoo import data

OUT = data.REPO / "zoo" / "packed" / "camvid.npz"
LIMIT_MB = 64.0


def pack(data_root: Path, out: Path, quality: int = 95) -> Path:
    arrays = {}
    for split in ("train", "val"):
        chunks, offsets = [], [0]
        for image_path, label_path in data.read_split(data_root, f"{split}.txt"):
            bgr = cv2.imread(str(image_path), cv2.IMREAD_COLOR)
            label = cv2.imread(str(label_path), cv2.IMREAD_UNCHANGED)
            if bgr is None or label is None:
                raise ValueError(f"{image_path if bgr is None else label_path}: cannot be decoded")
            for ok, encoded in (cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, quality]),
                                cv2.imencode(".png", label, [cv2.IMWRITE_PNG_COMPRESSION, 9])):
                chunks.append(encoded.ravel())
                offsets.append(offsets[-1] + encoded.size)
        arrays[f"{split}_blob"] = np.concatenate(chunks)
        arrays[f"{split}_offsets"] = np.array(offsets, np.int64)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(out, **arrays)
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m zoo pack", description=__doc__.splitlines()[0])
    p.add_argument("--data", type=Path, default=data.REPO.parent / "shared" / "datasets" / "camvid")
    p.add_argument("--out", type=Path, default=OUT)
    p.add_argument("--quality", type=int, default=95)
    args = p.parse_args(argv)
    out = pack(args.data, args.out, args.quality)
    size_mb = out.stat().st_size / 2**20
    print(f"wrote {out}: {size_mb:.1f} MiB")
    if size_mb > LIMIT_MB:
        print(f"{out}: {size_mb:.1f} MiB is over the {LIMIT_MB:.0f} MiB a device run may carry; "
              f"lower --quality", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
