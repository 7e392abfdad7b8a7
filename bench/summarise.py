#!/usr/bin/env python3
"""Medians and spreads of the JSON files bench/run-all.sh writes, as the Markdown tables of
BENCHMARKS.md.  Usage: python3 bench/summarise.py RESULTS_DIR"""
import glob
import json
import os
import statistics
import sys


def spread(values, digits=1):
    values = sorted(values)
    f = f"{{:.{digits}f}}"
    return f"{f.format(statistics.median(values))} ({f.format(values[0])}-{f.format(values[-1])})"


def main(root):
    rows = []
    cpu = []
    for model in ("fastscnn", "ndnet45"):
        for size in ("360x480", "512x1024"):
            java = [json.load(open(p)) for p in sorted(glob.glob(f"{root}/java_{model}_{size}_run*.json"))]
            peer = [json.load(open(p)) for p in sorted(glob.glob(f"{root}/peer_{model}_{size}_run*.json"))]
            if not java:
                continue
            raw = [j["raw_fps"] for j in java]
            e2e = [j["end_to_end_fps"] for j in java]
            ratio = [j["ratio"] for j in java]
            py = [p["fps"] for p in peer]
            jp = [e / p for e, p in zip(e2e, py)] if len(py) == len(e2e) else []
            stages = {k: statistics.median(j["stage_ms"][k]["mean"] for j in java)
                      for k in ("decode", "preprocess", "inference", "argmax", "render")}
            rows.append((model, size, len(java), raw, e2e, ratio, py, jp, stages,
                         [j["raw_fps_ort_defaults"] for j in java], [j["raw_fps_pipeline_tuning"] for j in java]))
            cpu.append((model, size, statistics.median(j["raw_cpu_ms_per_frame"] for j in java),
                        statistics.median(j["end_to_end_cpu_ms_per_frame"] for j in java), java[0].get("cores", 2),
                        java[-1]["session"]))
    print("| model | input | runs | raw session.run FPS | end-to-end FPS | ratio | Python peer FPS | Java/Python |")
    print("|---|---|---|---|---|---|---|---|")
    for model, size, n, raw, e2e, ratio, py, jp, _, _, _ in rows:
        print(f"| {model} | {size} | {n} | {spread(raw)} | {spread(e2e)} | {spread(ratio, 3)} | "
              f"{spread(py) if py else '-'} | {spread(jp, 2) if jp else '-'} |")
    print()
    print("Raw FPS by session options (median): ONNX Runtime defaults (spinning) vs the pipeline's (no spinning)")
    print()
    print("| model | input | ORT defaults | pipeline tuning |")
    print("|---|---|---|---|")
    for model, size, _, _, _, _, _, _, _, d, t in rows:
        print(f"| {model} | {size} | {statistics.median(d):.1f} | {statistics.median(t):.1f} |")
    print()
    print("Per-stage busy time in the pipeline, ms per frame (median of the runs' means)")
    print()
    print("| model | input | decode | preprocess | inference | argmax | render |")
    print("|---|---|---|---|---|---|---|")
    for model, size, *_, stages, _, _ in rows:
        print(f"| {model} | {size} | " + " | ".join(f"{stages[k]:.2f}" for k in
                                                     ("decode", "preprocess", "inference", "argmax", "render")) + " |")
    print()
    print("Process CPU per frame (median): what the cores pay for one frame, and the throughput ceiling it sets")
    print()
    print("| model | input | pipeline session | raw CPU ms/frame | end-to-end CPU ms/frame | extra | ceiling FPS (cores x 1000 / CPU ms) |")
    print("|---|---|---|---|---|---|---|")
    for model, size, raw_cpu, e2e_cpu, cores, session in cpu:
        print(f"| {model} | {size} | {session.split(',')[0]} | {raw_cpu:.1f} | {e2e_cpu:.1f} | {e2e_cpu - raw_cpu:+.1f} | "
              f"{cores * 1000 / e2e_cpu:.0f} |")
    soak = sorted(glob.glob(f"{root}/soak*.json"))
    for p in soak:
        s = json.load(open(p))
        mb = 1024 * 1024
        print()
        print(f"Soak ({os.path.basename(p)}): {s['models']}, {s['frames']} frames each; RSS after warm-up "
              f"(frame {s['baseline_frame']}) {s['baseline_rss_bytes'] / mb:.1f} MB, at the end "
              f"{s['end_rss_bytes'] / mb:.1f} MB: growth {s['growth_bytes'] / mb:+.1f} MB "
              f"(max {s['max_growth_bytes'] / mb:+.1f} MB, trend {s['trend_bytes_per_1000_frames'] / mb:+.2f} MB "
              f"per 1000 frames)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench/results")
