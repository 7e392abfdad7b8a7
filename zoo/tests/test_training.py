"""CamVid loading, augmentation and a resumable training run, on the real data in ../shared."""
import csv
import shutil

import numpy as np
import pytest
import torch

from zoo import checkpoint, data, train
from zoo.registry import create

CAMVID = data.REPO.parent / "shared" / "datasets" / "camvid"
needs_camvid = pytest.mark.skipif(not (CAMVID / "train.txt").exists(), reason="../shared/datasets/camvid missing")


def tiny_camvid(tmp_path, images: int):
    """A CamVid root whose train and val lists are the first few train images: seconds on a CPU."""
    root = tmp_path / "camvid"
    root.mkdir()
    for folder in ("train", "trainannot"):
        (root / folder).symlink_to(CAMVID / folder)
    lines = (CAMVID / "train.txt").read_text().splitlines()[:images]
    for name in ("train.txt", "val.txt"):
        (root / name).write_text("\n".join(lines) + "\n")
    return root


@needs_camvid
def test_splits_are_the_segnet_ones():
    assert len(data.read_split(CAMVID, "train.txt")) == 367
    val = data.read_split(CAMVID, "val.txt")
    assert len(val) == 101
    assert all(image.exists() and label.exists() for image, label in val[:5])


@needs_camvid
def test_augment_keeps_labels_valid_and_pads_with_void():
    images, labels = data.load_pairs(data.read_split(CAMVID, "val.txt")[:2])
    augment = data.Augment(crop=(288, 384), scale=(0.5, 0.5), ignore_index=11)
    rgb, label = augment(images[0], labels[0], np.random.default_rng(0))
    assert rgb.shape == (288, 384, 3) and label.shape == (288, 384)
    # At scale 0.5 the image is 180x240: everything outside it is padding, labelled void.
    assert set(np.unique(label)) <= set(range(12))
    assert (label[180:] == 11).all()  # padding goes below and right of the image
    assert (label == 11).mean() > 0.5


@needs_camvid
def test_class_weights_favour_rare_classes():
    _, labels = data.load_pairs(data.read_split(CAMVID, "train.txt")[:20])
    w = data.class_weights(labels, 11, 11)
    names = data.label_set("camvid")["classes"]
    assert w[names.index("pole")] > w[names.index("road")]
    assert w.mean().item() == pytest.approx(1.0, rel=1e-5)


@needs_camvid
def test_training_writes_checkpoints_and_resumes(tmp_path, monkeypatch):
    root = tiny_camvid(tmp_path, 8)
    monkeypatch.setattr(data, "REPO", tmp_path)  # curves and committed checkpoints under tmp
    out = tmp_path / "run"
    args = ["ndnet61", "--data", str(root), "--epochs", "1", "--batch-size", "4", "--crop", "64x96",
            "--threads", "1", "--out", str(out)]
    assert train.main(args) == 0
    assert (out / "last.pt").exists() and (out / "best.pt").exists()
    rows = list(csv.DictReader((out / "log.csv").open()))
    assert [r["epoch"] for r in rows] == ["1"]
    assert 0.0 <= float(rows[0]["val_miou"]) <= 1.0
    # Running again with a longer plan resumes at epoch 1 instead of starting over.
    args[args.index("--epochs") + 1] = "2"
    assert train.main(args) == 0
    rows = list(csv.DictReader((out / "log.csv").open()))
    assert [r["epoch"] for r in rows] == ["1", "2"]
    state = torch.load(out / "last.pt", map_location="cpu", weights_only=False)["state"]
    assert state["epoch"] == 2 and state["iteration"] == 4
    assert (tmp_path / "zoo" / "results" / "ndnet61_curves.png").exists()


def test_shared_weights_are_optimised_once():
    # ShelfNet's S-Block uses one conv weight twice; the optimizer must hold it once, or SGD
    # applies its gradient twice per step.
    model = create("shelfnet18", num_classes=11)
    groups = train.parameter_groups(model, 4e-5)
    listed = [id(p) for g in groups for p in g["params"]]
    assert len(listed) == len(set(listed))
    assert set(listed) == {id(p) for p in model.parameters()}


@needs_camvid
def test_slim_resume_state_continues_training(tmp_path, monkeypatch):
    root = tiny_camvid(tmp_path, 4)
    monkeypatch.setattr(data, "REPO", tmp_path)
    runs = tmp_path / "zoo" / "runs"
    args = ["ndnet61", "--data", str(root), "--epochs", "1", "--batch-size", "4", "--crop", "64x96",
            "--threads", "1"]
    assert train.main(args) == 0
    full = torch.load(runs / "ndnet61" / "last.pt", map_location="cpu", weights_only=False)

    # Forced slim (max 0 MB): fp16 weights, no momentum; the run directory is gone, as on a fresh
    # machine, so training must resume from zoo/checkpoints/ at epoch 1.
    kept = checkpoint.keep("ndnet61", runs, tmp_path / "zoo" / "checkpoints", max_mb=0.0)
    state = torch.load(kept, map_location="cpu", weights_only=False)
    assert state["slim"] and "optimizer" not in state
    assert all(v.dtype == torch.float16 for v in state["model"].values() if v.is_floating_point())
    assert kept.stat().st_size < (runs / "ndnet61" / "last.pt").stat().st_size
    for key, value in full["model"].items():
        if value.is_floating_point():
            torch.testing.assert_close(state["model"][key].float(), value, rtol=1e-3, atol=1e-3)
    shutil.rmtree(runs / "ndnet61")
    args[args.index("--epochs") + 1] = "2"
    assert train.main(args) == 0
    resumed = torch.load(runs / "ndnet61" / "last.pt", map_location="cpu", weights_only=False)
    assert resumed["state"]["epoch"] == 2 and resumed["state"]["iteration"] == 2
    assert "optimizer" in resumed  # the run's own state is full again


def test_keeping_a_missing_run_says_which_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothere/last.pt"):
        checkpoint.keep("nothere", tmp_path, tmp_path / "out")
