#!/usr/bin/env python3
"""The Python peer of `segbench bench --pipeline`: the same decode -> resize -> normalise -> run ->
argmax -> colourise -> overlay pipeline on the same video and model, written the straightforward
way a user would (OpenCV + numpy + onnxruntime, one loop, one thread of Python).

    python3 bench/peer.py --model M.onnx --input sample-images/vtest.avi --size 360x480 --frames 200

Prints end-to-end FPS (steady state, after --warmup frames) and, with --json, writes the figures.
"""
import argparse
import json
import time

import cv2
import numpy as np
import onnxruntime as ort


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--input", required=True, help="video file (looped if shorter than warm-up + frames)")
    ap.add_argument("--size", required=True, help="network input HxW, e.g. 360x480")
    ap.add_argument("--frames", type=int, default=200)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--alpha", type=float, default=0.5)
    ap.add_argument("--json")
    args = ap.parse_args()
    h, w = (int(v) for v in args.size.lower().split("x"))

    session = ort.InferenceSession(args.model, providers=["CPUExecutionProvider"])
    meta = session.get_modelmeta().custom_metadata_map
    mean = np.array(json.loads(meta.get("mean", "[0.485, 0.456, 0.406]")), dtype=np.float32)
    std = np.array(json.loads(meta.get("std", "[0.229, 0.224, 0.225]")), dtype=np.float32)
    palette_rgb = np.array(json.loads(meta["palette"]), dtype=np.uint8)
    palette_bgr = np.zeros((256, 3), np.uint8)  # labels beyond the palette draw black
    palette_bgr[: len(palette_rgb)] = palette_rgb[:, ::-1]
    input_name = session.get_inputs()[0].name

    video = cv2.VideoCapture(args.input)
    start = None
    done = 0
    for i in range(args.warmup + args.frames):
        ok, frame = video.read()
        if not ok:  # loop the clip
            video.release()
            video = cv2.VideoCapture(args.input)
            ok, frame = video.read()
        if i == args.warmup:
            start = time.perf_counter()

        rgb = cv2.cvtColor(cv2.resize(frame, (w, h)), cv2.COLOR_BGR2RGB)
        x = (rgb.astype(np.float32) / 255.0 - mean) / std
        x = x.transpose(2, 0, 1)[np.newaxis].copy()
        logits = session.run(None, {input_name: x})[0]
        labels = logits[0].argmax(axis=0).astype(np.uint8)
        labels = cv2.resize(labels, (frame.shape[1], frame.shape[0]), interpolation=cv2.INTER_NEAREST)
        colour = palette_bgr[labels]
        overlay = cv2.addWeighted(colour, args.alpha, frame, 1 - args.alpha, 0)

        if i >= args.warmup:
            done += 1
    seconds = time.perf_counter() - start
    fps = done / seconds
    print(f"python peer: {args.model} at {args.size} on {args.input}: {done} frames in {seconds:.2f} s, "
          f"{fps:.2f} FPS (onnxruntime {ort.__version__}, OpenCV {cv2.__version__}, numpy {np.__version__})")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"model": args.model, "size": args.size, "frames": done, "seconds": seconds, "fps": fps,
                       "onnxruntime": ort.__version__, "opencv": cv2.__version__, "numpy": np.__version__}, f,
                      indent=2)


if __name__ == "__main__":
    main()
