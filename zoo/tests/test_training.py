"""CamVid loading, augmentation and a resumable training run, on the real data in ../shared."""
import csv
import shutil

import numpy as np
import pytest
import torch

from zoo import checkpoint, data, pack, runs_trip, train, train_all
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


def tiny_pack(tmp_path, monkeypatch, images: int = 4):
    """tiny_camvid packed as for a GPU machine, with the zoo's own paths moved under tmp_path."""
    root = tiny_camvid(tmp_path, images)
    monkeypatch.setattr(data, "REPO", tmp_path)
    return pack.pack(root, tmp_path / "camvid.npz")


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
    assert (out / "curves.png").exists()
    assert not (tmp_path / "zoo" / "results").exists()  # the bundled curves stay untouched


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


@needs_camvid
def test_photometric_augment_changes_colours_not_labels():
    images, labels = data.load_pairs(data.read_split(CAMVID, "val.txt")[:1])
    rng = np.random.default_rng(3)
    outputs = [data.photometric(images[0], rng) for _ in range(6)]
    assert all(o.shape == images[0].shape and o.dtype == np.uint8 for o in outputs)
    # every draw differs from the input, and the mean brightness spreads over draws
    assert all(np.abs(o.astype(int) - images[0]).mean() > 1 for o in outputs)
    assert np.ptp([o.mean() for o in outputs]) > 5
    augment = data.Augment(crop=(360, 480), scale=(1.0, 1.0), ignore_index=11)
    _, label = augment(images[0], labels[0], np.random.default_rng(0))
    assert set(np.unique(label)) <= set(np.unique(labels[0]))


@needs_camvid
def test_pack_round_trip_keeps_labels_exact(tmp_path):
    root = tiny_camvid(tmp_path, 3)
    out = pack.pack(root, tmp_path / "camvid.npz", quality=95)
    images, labels = data.load_packed(out, "train")
    originals, original_labels = data.load_pairs(data.read_split(root, "train.txt"))
    assert len(images) == 3
    for got, want in zip(labels, original_labels):
        np.testing.assert_array_equal(got, want)  # PNG: lossless
    for got, want in zip(images, originals):
        assert got.shape == want.shape and np.abs(got.astype(int) - want).mean() < 3  # JPEG 95


@needs_camvid
def test_trainval_run_has_no_selection_and_bundles_the_last_epoch(tmp_path, monkeypatch):
    root = tiny_camvid(tmp_path, 4)
    monkeypatch.setattr(data, "REPO", tmp_path)
    out = tmp_path / "run"
    assert train.main(["ndnet61", "--data", str(root), "--epochs", "1", "--batch-size", "4",
                       "--crop", "64x96", "--threads", "1", "--trainval", "--out", str(out)]) == 0
    rows = list(csv.DictReader((out / "log.csv").open()))
    assert rows[0]["val_miou"] == ""  # nothing held out, nothing selected
    best = torch.load(out / "best.pt", map_location="cpu", weights_only=False)
    assert best["meta"]["trainval"] and "train+val (8 images)" in best["meta"]["training"]
    last = torch.load(out / "last.pt", map_location="cpu", weights_only=False)
    for key, value in last["model"].items():
        torch.testing.assert_close(best["model"][key], value)


@needs_camvid
def test_train_all_fits_a_tiny_budget_from_a_pack_with_workers(tmp_path, monkeypatch):
    packed = tiny_pack(tmp_path, monkeypatch)
    runs = tmp_path / "runs"
    assert train_all.main(["--device", "cpu", "--budget-min", "1", "--networks", "ndnet61",
                           "--pack", str(packed), "--runs", str(runs), "--epochs", "1",
                           "--workers", "1", "--extra", "--crop 64x96 --threads 1 --batch-size 4"]) == 0
    assert (runs / "ndnet61" / "best.pt").exists()
    state = torch.load(runs / "ndnet61" / "last.pt", map_location="cpu", weights_only=False)["state"]
    assert state["iteration"] == 1  # 4 frames, batch 4
    # The bundle runs: their own directories, for the iterations the selection run trained.
    assert train_all.main(["--device", "cpu", "--budget-min", "1", "--networks", "ndnet61", "--trainval",
                           "--pack", str(packed), "--runs", str(runs), "--epochs", "5",
                           "--workers", "0", "--extra", "--crop 64x96 --threads 1 --batch-size 4",
                           "--send-to", str(tmp_path / "OUT")]) == 0
    bundle_state = torch.load(runs / "ndnet61-trainval" / "last.pt", map_location="cpu", weights_only=False)
    assert bundle_state["args"]["trainval"] and bundle_state["args"]["iterations"] == 1
    assert bundle_state["state"]["iteration"] == 2  # one epoch of the 8 train+val frames: the budget rounded up
    assert (runs / "ndnet61-trainval" / "best.pt").exists()
    # --send-to: the runs this call trained, where a device call's $OUT returns them
    assert runs_trip.receive(tmp_path / "OUT", tmp_path / "back") == (["ndnet61-trainval"], [])
    assert (tmp_path / "back" / "ndnet61-trainval" / "best.pt").exists()


@needs_camvid
def test_train_all_side_by_side_augmenting_on_the_device(tmp_path, monkeypatch):
    packed = tiny_pack(tmp_path, monkeypatch)
    runs = tmp_path / "runs"
    common = ["--device", "cpu", "--parallel", "--augment-on", "device", "--pack", str(packed),
              "--runs", str(runs), "--extra", "--crop 64x96 --batch-size 4"]
    # Selection and bundle runs side by side, for a budget fixed in advance; sent for the trip back.
    assert train_all.main(common + ["--networks", "ndnet61", "--both", "--iterations", "2", "--budget-min", "1",
                                    "--send-to", str(tmp_path / "OUT")]) == 0
    for run, epochs in (("ndnet61", 2), ("ndnet61-trainval", 1)):  # 4 train frames, 8 train+val
        last = torch.load(runs / run / "last.pt", map_location="cpu", weights_only=False)
        assert last["args"]["augment_on"] == "device" and last["args"]["threads"] >= 1
        assert last["state"]["iteration"] == 2 and last["state"]["epoch"] == epochs
        assert f"ndnet61 epoch {epochs}/{epochs}" in (runs / f"{run}.out").read_text()
    assert (runs / "ndnet61-trainval" / "best.pt").exists()
    assert sorted(runs_trip.receive(tmp_path / "OUT", tmp_path / "back")[0]) == ["ndnet61", "ndnet61-trainval"]
    # A budget too short for the plan stops the run, resumable, and leaves the plan as it was.
    assert train_all.main(common + ["--networks", "ndnet45", "--iterations", "3", "--budget-min", "0.0005"]) == 0
    last = torch.load(runs / "ndnet45" / "last.pt", map_location="cpu", weights_only=False)
    assert last["state"]["epoch"] == 1 and last["state"]["planned_epochs"] == 3
    assert not train.schedule_ended(last)
    assert "stopped at epoch 1 of 3" in (runs / "ndnet45.out").read_text()
    # A run that fails is named.
    assert train_all.main(common[:-1] + ["--crop 64x96 --batch-size 4 --mild-augment", "--networks", "ndnet61",
                                         "--budget-min", "1", "--epochs", "1"]) == 1
    assert train_all.main(common + ["--networks", "ndnet61", "--both", "--budget-min", "1"]) == 2


@needs_camvid
def test_bundle_run_never_resumes_the_selection_run(tmp_path, monkeypatch, capsys):
    root = tiny_camvid(tmp_path, 4)
    monkeypatch.setattr(data, "REPO", tmp_path)
    runs = tmp_path / "zoo" / "runs"
    common = ["ndnet61", "--data", str(root), "--batch-size", "4", "--crop", "64x96", "--threads", "1"]
    assert train.main(common + ["--epochs", "1"]) == 0
    # Same network, --trainval: a fresh run in its own directory, from random weights.
    assert train.main(common + ["--epochs", "1", "--trainval"]) == 0
    bundle_state = torch.load(runs / "ndnet61-trainval" / "last.pt", map_location="cpu", weights_only=False)
    assert bundle_state["state"]["epoch"] == 1 and bundle_state["args"]["trainval"]
    selection = torch.load(runs / "ndnet61" / "last.pt", map_location="cpu", weights_only=False)
    assert selection["state"]["epoch"] == 1 and not selection["args"]["trainval"]
    # Pointing one kind of run at the other's directory is refused, not silently resumed.
    assert train.main(common + ["--epochs", "2", "--trainval", "--out", str(runs / "ndnet61")]) == 2
    assert "is a selection run (train only)" in capsys.readouterr().err
    selection_after = torch.load(runs / "ndnet61" / "last.pt", map_location="cpu", weights_only=False)
    assert selection_after["state"]["epoch"] == 1


@needs_camvid
def test_compiled_loss_trains_the_same_weights(tmp_path, monkeypatch):
    root = tiny_camvid(tmp_path, 4)
    monkeypatch.setattr(data, "REPO", tmp_path)
    common = ["fastscnn", "--data", str(root), "--batch-size", "4", "--crop", "64x96", "--threads", "1",
              "--epochs", "1", "--lr", "0.01"]  # Fast-SCNN: a main and two auxiliary loss heads
    assert train.main(common + ["--out", str(tmp_path / "eager")]) == 0
    assert train.main(common + ["--out", str(tmp_path / "compiled"), "--compile-loss"]) == 0
    eager, compiled = (torch.load(tmp_path / run / "last.pt", map_location="cpu", weights_only=False)
                       for run in ("eager", "compiled"))
    torch.manual_seed(0)  # the runs' seed: the weights both started from
    start = create("fastscnn", num_classes=11).state_dict()
    moved = 0
    for key, value in eager["model"].items():
        if value.is_floating_point():
            torch.testing.assert_close(compiled["model"][key], value, rtol=1e-4, atol=1e-5)
            moved += int(not torch.allclose(value, start[key]))
    assert moved > 10  # the step did change the weights, so agreeing means something
    rows = [list(csv.DictReader((tmp_path / run / "log.csv").open()))[0] for run in ("eager", "compiled")]
    assert abs(float(rows[0]["train_loss"]) - float(rows[1]["train_loss"])) < 1e-3


@needs_camvid
def test_a_run_stopped_by_its_time_budget_is_resumable_and_plots_once(tmp_path, monkeypatch, capsys):
    packed = tiny_pack(tmp_path, monkeypatch)
    plots = []
    monkeypatch.setattr(train, "plot_curves", lambda log, png, title: plots.append(png))
    args = ["ndnet61", "--pack", str(packed), "--iterations", "4", "--batch-size", "4", "--crop", "64x96",
            "--threads", "1", "--trainval", "--out", str(tmp_path / "run")]
    assert train.main(args + ["--stop-hours", "1e-9"]) == 0
    assert "stopped at epoch 1 of 2" in capsys.readouterr().out
    assert len(plots) == 1  # the stop draws the curves once, not again for the once-a-minute rule
    assert not (tmp_path / "run" / "best.pt").exists()  # the budget has not ended
    assert train.main(args) == 0
    state = torch.load(tmp_path / "run" / "last.pt", weights_only=False)["state"]
    assert (state["epoch"], state["iteration"]) == (2, 4)
    assert (tmp_path / "run" / "best.pt").exists()


@needs_camvid
def test_the_rescale_range_is_the_papers_and_a_resumed_run_keeps_its_own(tmp_path, monkeypatch):
    from zoo.registry import spec
    assert spec("fastscnn")["train_scale"] == (0.5, 2.0)  # Poudel et al.: random resize 0.5-2
    assert spec("ndnet61")["train_scale"] == (0.75, 2.0)  # Yang et al.: scales {0.75, ..., 2}
    packed = tiny_pack(tmp_path, monkeypatch)
    common = ["ndnet61", "--pack", str(packed), "--iterations", "4", "--batch-size", "4", "--crop", "64x96",
              "--threads", "1", "--trainval"]

    def run_scale(out):
        return torch.load(out / "last.pt", weights_only=False)["args"]["scale"]

    assert train.main(common + ["--out", str(tmp_path / "new")]) == 0
    assert run_scale(tmp_path / "new") == "0.75,2"
    # A bundle run started beside a selection run of the older range takes that range: one recipe per pair.
    selection = common[:-1] + ["--scale", "0.5,2.0", "--out", str(tmp_path / "runs" / "ndnet61")]
    assert train.main(selection) == 0
    assert train.main(common + ["--out", str(tmp_path / "runs" / "ndnet61-trainval")]) == 0
    assert run_scale(tmp_path / "runs" / "ndnet61-trainval") == "0.5,2.0"
    assert train.main(common + ["--scale", "0.5,2.0", "--stop-hours", "1e-9", "--out", str(tmp_path / "old")]) == 0
    assert torch.load(tmp_path / "old" / "last.pt", weights_only=False)["state"]["epoch"] == 1
    assert train.main(common + ["--out", str(tmp_path / "old")]) == 0  # resumed, no --scale given
    assert torch.load(tmp_path / "old" / "last.pt", weights_only=False)["state"]["epoch"] == 2
    assert run_scale(tmp_path / "old") == "0.5,2.0"
    assert "rescaled 0.5,2.0" in torch.load(tmp_path / "old" / "best.pt", weights_only=False)["meta"]["training"]


@needs_camvid
def test_a_warm_restart_is_recorded_and_said_in_the_training_note(tmp_path, monkeypatch, capsys):
    packed = tiny_pack(tmp_path, monkeypatch)
    args = ["ndnet61", "--pack", str(packed), "--batch-size", "4", "--crop", "64x96", "--threads", "1",
            "--trainval", "--out", str(tmp_path / "run")]

    def saved():
        return torch.load(tmp_path / "run" / "last.pt", weights_only=False)

    assert train.main(args + ["--iterations", "2"]) == 0
    assert "restarts" not in saved()["state"]
    assert train.main(args + ["--iterations", "2"]) == 0  # finished: resuming the same plan is no restart
    assert "restarts" not in saved()["state"]
    assert "warm restart" not in capsys.readouterr().out
    assert train.main(args + ["--iterations", "4", "--stop-hours", "1e-9"]) == 0  # the decay climbs back up
    assert saved()["state"]["restarts"] == [2]
    assert "warm restart, poly decay climbs back up from iteration 2" in capsys.readouterr().out
    assert train.main(args + ["--iterations", "4"]) == 0  # resuming the restarted plan adds nothing
    assert "warm restart" not in capsys.readouterr().out
    last = saved()
    assert (last["state"]["iteration"], last["state"]["restarts"]) == (4, [2])
    note = torch.load(tmp_path / "run" / "best.pt", weights_only=False)["meta"]["training"]
    assert "poly 0.9 restarted at iteration 2, 2 epochs (4 iterations)" in note
