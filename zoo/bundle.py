"""Export the trained networks into assets/models/ and write zoo/results/RESULTS.md.

`python -m zoo.bundle [--runs zoo/runs] [--data ../shared/datasets/camvid]`

For every bundled network: export its checkpoint with full metadata and evaluate on the 101 val
images twice, with the engine (`./segbench eval`, the numbers we show) and with ONNX Runtime from
Python (zoo/evaluate.py), so that the two can be checked against each other. Which checkpoint:
- a finished bundle run, zoo/runs/NAME-trainval/ (`train --trainval`: train+val, fixed budget, no
  selection), is what gets bundled. Its val figure would be a training figure, so the figures shown
  are its *train-only twin's*: the selection run zoo/runs/NAME/ at the end of the same budget
  (its last epoch, not its best), exported to zoo/runs/NAME/trainonly.onnx and evaluated there;
- otherwise a finished selection run is bundled by its last epoch, the same weights as the twin
  above (a train-only bundle, to be followed by its train+val run);
- otherwise, while the selection run goes on, its best val epoch so far (the earlier bundles;
  selection flatters it).
Fast-SCNN is also evaluated with `skip_gain` 0, the paper's skip-connection ablation. A new file
replaces a bundled one only when it is at least a point better (`--force` overrides).
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import subprocess
import sys
import tempfile
import torch
from pathlib import Path

from zoo import data
from zoo.train import cpu_name, run_name, schedule_ended, training_summary
from zoo.evaluate import boundary_accuracy, evaluate, onnx_normalisation, onnx_runner, report

# bundle file name -> (registry name, display name, fp16 weights to stay small)
BUNDLE = {
    "fastscnn": ("fastscnn", "Fast-SCNN", False),
    "ndnet29": ("ndnet29", "NDNet29", False),
    "ndnet45": ("ndnet45", "NDNet45", False),
    "ndnet61": ("ndnet61", "NDNet61", False),
    "spssnet": ("spssnet", "SPSSNet (reconstruction)", False),
    "shelfnet18": ("shelfnet18", "ShelfNet-ResNet18", True),
}
# bundle file name -> display name of models the project did not train: exported by
# `python -m zoo reference` from their authors' checkpoint, evaluated like the others.
EXTERNAL = {"espnet_camvid": "ESPNet (external reference, published test 55.6)"}
SIZE = "360x480"  # the training resolution: CamVid's own
TWIN_ONNX = "trainonly.onnx"  # a selection run's last epoch, exported beside it in zoo/runs/NAME/


def run(cmd: list[str]) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=data.REPO)


def engine_eval(model: Path, data_root: Path, out_json: Path, knobs: dict[str, float]) -> dict:
    cmd = ["./segbench", "eval", "--model", str(model), "--dataset", "camvid",
           "--images", str(data_root / "val"), "--labels", str(data_root / "valannot"),
           "--list", str(data_root / "val.txt"),
           "--size", SIZE, "--provider", "cpu", "--json", str(out_json)]
    for k, v in knobs.items():
        cmd += ["--set", f"{k}={v}"]
    run(cmd)
    return json.loads(out_json.read_text())


def onnx_metadata(path: Path) -> dict:
    import onnx
    return {p.key: p.value for p in onnx.load(str(path), load_external_data=False).metadata_props}


def write_with_val_miou(src: Path, out: Path, val_miou: float) -> None:
    """Copy an exported model, adding the val figure measured on it to its metadata (no new export:
    the weights and graph stay byte for byte those that were measured)."""
    import onnx
    from zoo.export import miou_text, set_metadata
    graph = onnx.load(str(src))
    set_metadata(graph, {p.key: p.value for p in graph.metadata_props} | {"val_miou": miou_text(val_miou)})
    onnx.save(graph, str(out))


def export(name: str, ckpt: Path, out: Path, fp16: bool) -> None:
    run([sys.executable, "-m", "zoo", "export", name, "--classes", "camvid", "--weights", str(ckpt),
         "--input-size", SIZE, "--native-logits", "--out", str(out)] + (["--fp16-weights"] if fp16 else []))


def pct(v) -> str:
    return "n/a" if v is None else f"{100 * v:.1f}"


def previous_rows(stem: str, name: str, display: str, models_dir: Path, results: Path) -> dict:
    """Rows of a model bundled by an earlier run, read back from its result files, so that a
    partial bundle (`--only`) still writes a complete RESULTS.md."""
    onnx_path, rows = models_dir / f"{stem}.onnx", {}
    if not onnx_path.exists():
        return rows
    # The bundled file's own metadata, not the checkpoint: training may have moved on since.
    md = onnx_metadata(onnx_path)
    epochs = re.search(r"(\d+) epochs", md.get("training", ""))
    meta = {"training": md.get("training", ""), "epoch": epochs.group(1) if epochs else ""}
    seen = results / f"{stem}_bundled_engine.json"
    for tag in [stem] + ([f"{stem}_skip_gain0"] if name == "fastscnn" else []):
        eng, py = results / f"{tag}_engine.json", results / f"{tag}_python.json"
        if eng.exists() and py.exists():
            rows[tag] = {"display": display, "engine": json.loads(eng.read_text()),
                         "python": json.loads(py.read_text()), "meta": meta, "onnx": onnx_path,
                         "parameters": int(md.get("parameters", 0)),
                         "trainval": is_trainval(md.get("training", "")),
                         "bundled_engine": json.loads(seen.read_text()) if seen.exists() else None}
    return rows


def is_trainval(training: str) -> bool:
    """Whether a training summary (zoo/train.py) is a bundle run's: it saw the val images."""
    return "train+val" in training


def finished_selection_run(run: Path, committed: Path | None = None) -> dict:
    """The selection run's final weights, as an exportable checkpoint, from its run directory or,
    on a machine without one, its state committed in zoo/checkpoints/; refused before its budget
    ends, because its figure at the end of the budget is the one that stands for the bundle run."""
    last = run / "last.pt"
    if not last.exists() and committed is not None and committed.exists():
        last = committed
    if not last.exists():
        raise FileNotFoundError(f"{last}: no selection run, so no train-only figure for its bundle run")
    ckpt = torch.load(last, map_location="cpu", weights_only=False)
    epoch = ckpt["state"]["epoch"]
    if not schedule_ended(ckpt):
        planned = ckpt["state"].get("planned_epochs", ckpt["args"]["epochs"])
        raise ValueError(f"{last}: the selection run is at epoch {epoch} of {planned}; "
                         "finish it before bundling its train+val twin")
    return {"model": ckpt["model"], "meta": {"epoch": epoch, "training": final_epoch_note(ckpt)}}


LAST_EPOCH_NOTE = "its last epoch, no selection on val"


def final_epoch_note(ckpt: dict) -> str:
    """The training note of a selection run's final weights. States written before they kept
    their split and hardware were all train-only runs on this project's CPU machine."""
    args, state = ckpt["args"], ckpt["state"]
    threads = args.get("threads") or torch.get_num_threads()
    hardware = state.get("hardware") or (
        f"{cpu_name()}, {threads} CPU thread{'' if threads == 1 else 's'}" if args.get("device", "cpu") == "cpu"
        else args["device"])
    summary = training_summary(args, state, state.get("split", "train (367 images)"), hardware)
    return f"{summary}; {LAST_EPOCH_NOTE}"


def weights_kind(training: str) -> str:
    """What the figures of a bundled file are of, from its training note (RESULTS.md's column)."""
    if is_trainval(training):
        return "train+val"
    return "train, last epoch" if LAST_EPOCH_NOTE in training else "train, best val"


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m zoo.bundle", description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=Path, default=data.REPO / "zoo" / "runs")
    p.add_argument("--data", type=Path, default=data.REPO.parent / "shared" / "datasets" / "camvid")
    p.add_argument("--only", nargs="*", help="bundle only these; the others keep their earlier files and results")
    p.add_argument("--force", action="store_true",
                   help="replace a bundled file even when the new weights are not a point better")
    p.add_argument("--rewrite", action="store_true",
                   help="export and evaluate nothing: rewrite RESULTS.md and the README table from "
                        "the result files already in zoo/results")
    args = p.parse_args(argv)

    models_dir, results = data.REPO / "assets" / "models", data.REPO / "zoo" / "results"
    models_dir.mkdir(parents=True, exist_ok=True)
    labels = data.label_set("camvid")
    pairs = data.read_split(args.data, "val.txt")
    rows = {}
    if args.rewrite:
        args.only = ["--rewrite: none"]
    size = tuple(int(v) for v in SIZE.split("x"))
    for stem, display in EXTERNAL.items():
        onnx_path = models_dir / f"{stem}.onnx"
        if args.only and stem not in args.only:
            rows.update(previous_rows(stem, stem, display, models_dir, results))
            continue
        run([sys.executable, "-m", "zoo", "reference", "--out", str(onnx_path)])
        eng = engine_eval(onnx_path, args.data, results / f"{stem}_engine.json", {})
        py = report(evaluate(onnx_runner(onnx_path, {}), pairs, len(labels["classes"]),
                             labels["ignore_index"], size, onnx_normalisation(onnx_path)),
                    labels["classes"])
        (results / f"{stem}_python.json").write_text(json.dumps(py, indent=1))
        rows[stem] = {"display": display, "engine": eng, "python": py, "onnx": onnx_path,
                      "meta": {"training": onnx_metadata(onnx_path).get("training", ""), "epoch": ""},
                      "parameters": int(onnx_metadata(onnx_path).get("parameters", 0))}
    for stem, (name, display, fp16) in BUNDLE.items():
        if args.only and stem not in args.only:
            rows.update(previous_rows(stem, name, display, models_dir, results))
            continue
        bundled = bundle_network(stem, name, display, fp16, args, models_dir, results)
        rows.update(bundled if bundled is not None else
                    previous_rows(stem, name, display, models_dir, results))
    write_results(rows, labels["classes"], results / "RESULTS.md")
    readme = data.REPO / "README.md"
    readme.write_text(with_model_table(readme.read_text(), rows))
    return 0


MIN_GAIN = 1.0  # points of val mIoU a new bundle must gain to replace the committed file (its history stays)


def bundle_network(stem: str, name: str, display: str, fp16: bool, args, models_dir: Path,
                   results: Path) -> dict | None:
    """Export and measure one network; its rows, or None when nothing was bundled (no checkpoint,
    an unfinished selection run, or no gain of MIN_GAIN points over the file already bundled)."""
    labels = data.label_set("camvid")
    pairs = data.read_split(args.data, "val.txt")
    size = tuple(int(v) for v in SIZE.split("x"))
    selection, bundle_run = args.runs / name, args.runs / run_name(name, True)
    trainval = (bundle_run / "best.pt").exists()  # written only when its budget ends
    committed = data.REPO / "zoo" / "checkpoints" / f"{name}.pt"
    onnx_path = models_dir / f"{stem}.onnx"
    if trainval:
        chosen = torch.load(bundle_run / "best.pt", map_location="cpu", weights_only=False)
    else:
        try:  # the selection run's last epoch: its val figure is not chosen by val
            chosen = finished_selection_run(selection, committed)
        except ValueError:  # still going: its best epoch so far, as the earlier bundles were
            chosen = torch.load(selection / "best.pt", map_location="cpu", weights_only=False) \
                if (selection / "best.pt").exists() else None
        except FileNotFoundError:
            chosen = None
        if chosen is None:
            print(f"{selection}: no checkpoint, {stem} not bundled", file=sys.stderr)
            return None
    meta = chosen.get("meta", {})
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if trainval:
            try:
                twin = finished_selection_run(selection, committed)
            except (FileNotFoundError, ValueError) as e:
                print(f"{e}; {stem} not bundled", file=sys.stderr)
                return None
            measured = selection / TWIN_ONNX
            selection.mkdir(parents=True, exist_ok=True)
            twin["meta"]["training_images"] = image_names(args.data, False)
            torch.save(twin, tmp / "twin.pt")
            export(name, tmp / "twin.pt", measured, fp16)
            meta = meta | {"epoch": meta.get("epoch", twin["meta"]["epoch"])}
        else:
            measured = tmp / onnx_path.name  # moved into assets/ only if it is kept
            torch.save(chosen | {"meta": meta | {"training_images": image_names(args.data, False)}},
                       tmp / "selected.pt")
            export(name, tmp / "selected.pt", measured, fp16)
        measures = {}
        for knobs in [{}] + ([{"skip_gain": 0.0}] if name == "fastscnn" else []):
            tag = stem + "".join(f"_{k}{v:g}" for k, v in knobs.items())
            eng = engine_eval(measured, args.data, tmp / f"{tag}_engine.json", knobs)
            if not knobs and not gains_enough(stem, eng["miou"], results, args.force,
                                              trainval and not bundled_saw_val(onnx_path)):
                return None
            runner = onnx_runner(measured, knobs)
            py = report(evaluate(runner, pairs, len(labels["classes"]), labels["ignore_index"], size),
                        labels["classes"])
            if name == "fastscnn":  # the ablation's claim is about boundaries: measure there
                py["boundary"] = boundary_accuracy(runner, pairs, labels["ignore_index"], size)
            measures[tag] = (eng, py)
        rows = {}
        for tag, (eng, py) in measures.items():
            if not trainval:  # measured in the staging folder, kept in assets/
                eng["model"] = str(onnx_path)
            (results / f"{tag}_engine.json").write_text(json.dumps(eng, indent=2))
            (results / f"{tag}_python.json").write_text(json.dumps(py, indent=1))
            rows[tag] = {"display": display, "engine": eng, "python": py, "meta": meta, "onnx": onnx_path,
                         "parameters": int(onnx_metadata(measured).get("parameters", 0)),
                         "trainval": trainval, "bundled_engine": None}
        if (selection / "log.csv").exists():  # a fresh machine resumed from zoo/checkpoints/ has none
            shutil.copy(selection / "log.csv", results / f"{name}_log.csv")
        if (selection / "curves.png").exists():
            shutil.copy(selection / "curves.png", results / f"{name}_curves.png")
        if not trainval:
            if "val_miou" in meta:  # a best epoch carries the val figure it was chosen by
                shutil.move(measured, onnx_path)
            else:  # a last epoch: the same graph, with the figure just measured
                write_with_val_miou(measured, onnx_path, 100 * rows[stem]["engine"]["miou"])
            (results / f"{stem}_bundled_engine.json").unlink(missing_ok=True)
            return rows
        # The bundle file itself, carrying its twin's val figure in its metadata; its own val
        # figure is kept, marked as seen in training, for whoever evaluates it on val.
        note = (f"{meta.get('training', '')}; val mIoU {pct(rows[stem]['engine']['miou'])} is its "
                "train-only twin's (same recipe and budget, val unseen)")
        torch.save({"model": chosen["model"],
                    "meta": meta | {"training": note, "val_miou": 100 * rows[stem]["engine"]["miou"],
                                    "training_images": image_names(args.data, True)}},
                   tmp / "bundle.pt")
        export(name, tmp / "bundle.pt", onnx_path, fp16)
    rows[stem]["meta"] = meta | {"training": note}
    rows[stem]["bundled_engine"] = engine_eval(onnx_path, args.data, results / f"{stem}_bundled_engine.json", {})
    return rows


def image_names(data_root: Path, trainval: bool) -> list[str]:
    """File stems of the CamVid images a run trained on (train, or train+val), for the bundled
    file's `training_images` metadata: the engine then flags scores on them as training figures."""
    splits = ["train.txt", "val.txt"] if trainval else ["train.txt"]
    return [image.stem for split in splits for image, _ in data.read_split(data_root, split)]


def bundled_saw_val(onnx_path: Path) -> bool:
    return onnx_path.exists() and is_trainval(onnx_metadata(onnx_path).get("training", ""))


def gains_enough(stem: str, miou: float, results: Path, force: bool, replaces_train_only: bool = False) -> bool:
    """Whether new weights scoring `miou` may replace the bundled file: every re-bundled model
    stays in the history for good, so only a gain of MIN_GAIN points is worth its size. A train+val
    bundle replacing a train-only one (`replaces_train_only`) is measured by its twin, which is that
    train-only run itself: it may not score lower, and it needs no gain, since what it adds is the
    101 val images, which val cannot measure."""
    previous = results / f"{stem}_engine.json"
    if force or not previous.exists():
        return True
    before = json.loads(previous.read_text())["miou"]
    if 100 * (miou - before) >= MIN_GAIN or replaces_train_only and 100 * (miou - before) > -0.05:
        return True
    print(f"{stem}: {pct(miou)} mIoU is not {MIN_GAIN:g} point above the bundled {pct(before)}; the bundled "
          "file stays (--force replaces it)", file=sys.stderr)
    return False


README_START, README_END = "<!-- bundled-models:start -->", "<!-- bundled-models:end -->"
TRAINVAL_MARK = " †"  # after a display name: bundled from train+val, figures of its train-only twin


def short_count(n: int) -> str:
    return f"{n / 1e6:.2f}M" if n >= 1e6 else f"{round(n / 1e3)}K"


def with_model_table(readme: str, rows: dict) -> str:
    """README text with the block between the bundled-models markers rewritten from the rows,
    best engine mIoU first, so the README cannot drift from RESULTS.md."""
    if README_START not in readme or README_END not in readme:
        raise ValueError(f"README.md lacks the {README_START} ... {README_END} markers")
    plain = sorted(((t, r) for t, r in rows.items() if "_skip_gain" not in t),
                   key=lambda tr: -tr[1]["engine"]["miou"])
    lines = ["| bundled model | CamVid val mIoU (`segbench eval`, 360x480) | parameters |", "|---|---|---|"]
    for tag, r in plain:
        ablation = rows.get(f"{tag}_skip_gain0")
        note = f" (`skip_gain` 0: {pct(ablation['engine']['miou'])})" if ablation else ""
        params = short_count(r["parameters"]) if r["parameters"] else ""
        mark = TRAINVAL_MARK if r.get("trainval") else ""
        lines.append(f"| {r['display']}{mark}{note} | {pct(r['engine']['miou'])} | {params} |")
    if any(r.get("trainval") for r in rows.values()):
        lines += ["", f"{TRAINVAL_MARK.strip()} Bundled from train+val (fixed budget, no selection); the figure is its "
                  "train-only twin's at the same budget, on val it never saw "
                  "([zoo/results/RESULTS.md](zoo/results/RESULTS.md))."]
    missing = [display for stem, (_, display, _) in BUNDLE.items() if stem not in rows]
    if missing:
        lines += ["", f"Not bundled yet: {', '.join(missing)} (see "
                  "[assets/models/README.md](assets/models/README.md))."]
    head, rest = readme.split(README_START, 1)
    tail = rest.split(README_END, 1)[1]
    return head + README_START + "\n" + "\n".join(lines) + "\n" + README_END + tail


SMALL_CLASSES = ("pole", "sign/symbol", "pedestrian", "bicyclist")  # thin or small in CamVid frames


def ablation_reading(on: dict, off: dict, b_on: dict | None, b_off: dict | None, classes: list[str]) -> list[str]:
    """The paper's claim, that the skip connection carries boundaries and small objects, checked
    in numbers: IoU change of small against large classes, accuracy near against far from edges."""
    def mean_change(names):
        d = [100 * (off["classes"][i]["iou"] - on["classes"][i]["iou"]) for i, c in enumerate(classes)
             if c in names and on["classes"][i]["iou"] is not None and off["classes"][i]["iou"] is not None]
        return sum(d) / len(d) if d else float("nan")
    small = mean_change(SMALL_CLASSES)
    large = mean_change([c for c in classes if c not in SMALL_CLASSES])
    lines = ["", f"Mean IoU change of the small and thin classes ({', '.join(SMALL_CLASSES)}): **{small:+.1f}** points;",
             f"of the other classes: **{large:+.1f}** points."]
    if b_on and b_off:
        w = b_on["width_px"]
        lines += ["", f"Pixel accuracy within {w} px of a ground-truth class edge ({b_on['near_pixels']:,} pixels) "
                  f"and away from edges ({b_on['far_pixels']:,} pixels), void excluded (Python, same ONNX file):", "",
                  "| region | gain 1 | gain 0 | change |", "|---|---|---|---|",
                  f"| near edges | {pct(b_on['near_accuracy'])} | {pct(b_off['near_accuracy'])} | "
                  f"{100 * (b_off['near_accuracy'] - b_on['near_accuracy']):+.1f} |",
                  f"| away from edges | {pct(b_on['far_accuracy'])} | {pct(b_off['far_accuracy'])} | "
                  f"{100 * (b_off['far_accuracy'] - b_on['far_accuracy']):+.1f} |"]
        near = b_on["near_accuracy"] - b_off["near_accuracy"]
        far = b_on["far_accuracy"] - b_off["far_accuracy"]
        if far > 0:
            lines += ["", f"Without the skip connection, accuracy near edges falls {near / far:.1f}x as much as away "
                      "from them: the paper's point that the high-resolution branch carries the boundaries."]
    return lines


def write_results(rows: dict, classes: list[str], out: Path) -> None:
    plain = {t: r for t, r in rows.items() if "_skip_gain" not in t}
    lines = ["# CamVid results of the bundled models", "",
             "Written by `python -m zoo.bundle`. Every figure below is on the 101 CamVid val images",
             f"(SegNet split, `../shared/datasets/camvid/val.txt`) at {SIZE}, single scale, void ignored,",
             "one confusion matrix over the set (Cityscapes-benchmark IoU). **Engine** = `./segbench eval`",
             "on the ONNX file (what the workbench shows); **Python** = ONNX Runtime from",
             "`zoo/evaluate.py` on the same file and images.", "",
             "Which weights the figures are of (the **weights** column):",
             "- **train+val**: the bundled file was trained on all 468 train+val images for a fixed",
             "  budget with no selection, as CamVid papers report. Its own val figure would be a training",
             "  figure, so the figures are its train-only twin's: the same recipe and budget on the 367",
             "  train images, at its last epoch (not its best), evaluated on val it never saw. The bundled",
             "  file's own val figure is in the last column, marked as seen in training.",
             "- **train, last epoch**: the bundled file is the train-only run at the end of its budget",
             "  (the twin above, bundled until its train+val run ends); val chose only the budget.",
             "- **train, best val**: the bundled file is the train-only run's best val epoch, so val also",
             "  chose the checkpoint and flatters it a little: validation, not test, figures.", "",
             "ESPNet is the external reference: its authors' published CamVid weights (MIT), exported by",
             "`python -m zoo reference`; its 12th output, void, counts as an error (docs/void-classes.md).", "",
             "Hardware: the training column names the machine each bundled run trained on (the last one,",
             "for a run resumed elsewhere). On this project's CPU machine",
             f"({cpu_name()}, no GPU) each run had one PyTorch thread, two runs side by side; on",
             "a lent GPU (zoo/README.md, \"A trip to a GPU machine\") several runs shared it. The column",
             "gives the bundled run's epochs and its summed epoch wall time up to the bundled epoch; runs",
             "may span several poly cycles (warm restarts) and sessions, resumed from their checkpoints.", "",
             "## Summary", "",
             "| model | weights | mIoU engine | mIoU Python | difference | pixel acc. | params | epochs "
             "| training | bundled file on val |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for tag, r in plain.items():
        e, p, m = r["engine"], r["python"], r["meta"]
        params = f"{r['parameters']:,}"
        if tag in EXTERNAL:
            weights = "its authors'"
        else:
            weights = weights_kind(m.get("training", ""))
        seen = r.get("bundled_engine")
        seen = f"{pct(seen['miou'])} (seen in training)" if seen else "the same"
        lines.append(f"| {r['display']} | {weights} | {pct(e['miou'])} | {pct(p['miou'])} | "
                     f"{100 * abs(e['miou'] - p['miou']):.2f} | {pct(e['pixel_accuracy'])} | {params} | "
                     f"{m.get('epoch', '')} | {m.get('training', '')} | {seen} |")
    lines += ["", "## Per-class IoU (engine, %)", "",
              "| class | " + " | ".join(r["display"] for r in plain.values()) + " |",
              "|---|" + "---|" * len(plain)]
    for i, c in enumerate(classes):
        lines.append(f"| {c} | " + " | ".join(pct(r["engine"]["classes"][i]["iou"]) for r in plain.values()) + " |")
    lines.append("| **mIoU** | " + " | ".join(pct(r["engine"]["miou"]) for r in plain.values()) + " |")
    if "fastscnn" in rows and "fastscnn_skip_gain0" in rows:
        on, off = rows["fastscnn"]["engine"], rows["fastscnn_skip_gain0"]["engine"]
        lines += ["", "## Fast-SCNN skip-connection ablation", "",
                  "`skip_gain` multiplies the input of the fusion module's high-resolution (1/8) branch; 0",
                  "removes the skip connection's detail at inference and keeps its BN shift, as in the paper's",
                  "Fig. 3 discussion (Cityscapes val: 69.22 -> 64.30, -4.9 points). Same weights, same images;",
                  "only the knob differs. The other way, zeroing the branch after its BN (`skip_output_gain`),",
                  "is compared with this one in [ABLATION.md](ABLATION.md).", "",
                  "| class | gain 1 | gain 0 | change |", "|---|---|---|---|"]
        for i, c in enumerate(classes):
            a, b = on["classes"][i]["iou"], off["classes"][i]["iou"]
            delta = "n/a" if a is None or b is None else f"{100 * (b - a):+.1f}"
            lines.append(f"| {c} | {pct(a)} | {pct(b)} | {delta} |")
        lines.append(f"| **mIoU** | {pct(on['miou'])} | {pct(off['miou'])} | {100 * (off['miou'] - on['miou']):+.1f} |")
        lines += ablation_reading(on, off, rows["fastscnn"]["python"].get("boundary"),
                                  rows["fastscnn_skip_gain0"]["python"].get("boundary"), classes)
    lines += ["", "## Training curves", ""]
    lines += [f"![{r['display']}]({t}_curves.png)" for t, r in plain.items()
              if (out.parent / f"{t}_curves.png").exists()]
    out.write_text("\n".join(lines) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
