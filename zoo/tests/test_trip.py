"""A trip to a lent GPU machine: what is sent (a real git checkout) and what comes back (real runs)."""
import os
import subprocess

import pytest
import torch

from zoo import data, runs_trip, train, travel
from zoo.tests.test_training import needs_camvid, tiny_camvid, tiny_pack

PLAN = data.REPO / "zoo" / "device_plan.sh"


def git(repo, *args):
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def checkout(tmp_path):
    """A git checkout shaped like ours: a bundled model, code, an ignored run and an untracked note."""
    repo = tmp_path / "repo"
    (repo / "assets" / "models").mkdir(parents=True)
    (repo / "zoo").mkdir()
    (repo / "assets" / "models" / "big.onnx").write_bytes(b"\1" * 300_000)
    (repo / "assets" / "palette.json").write_text("{}")
    (repo / "zoo" / "train.py").write_text("print('train')\n")
    (repo / ".gitignore").write_text("/zoo/runs/\n")
    git(repo.parent, "init", "-q", str(repo))
    git(repo, "add", ".")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "seed")
    (repo / "zoo" / "runs").mkdir()
    (repo / "zoo" / "runs" / "state.pt").write_bytes(b"\2" * 50_000)
    (repo / "notes.txt").write_text("untracked, not ignored: it travels\n")
    return repo


def test_travelling_counts_tracked_untracked_and_carried_paths(checkout):
    sizes = travel.travelling(checkout)
    assert sizes["assets/models/big.onnx"] == 300_000 and "notes.txt" in sizes
    assert not any(name.startswith("zoo/runs") for name in sizes)  # ignored, not carried
    assert travel.travelling(checkout, ["zoo/runs"])["zoo/runs/"] == 50_000


def test_slim_hides_the_bundled_binaries_and_restore_puts_them_back(checkout):
    exclude = travel.exclude_file(checkout)
    exclude_before = exclude.read_text()
    assert travel.slim(checkout) == ["assets/models/big.onnx"]
    sizes = travel.travelling(checkout)
    assert "assets/models/big.onnx" not in sizes and "zoo/train.py" in sizes
    assert (checkout / "assets" / "models" / "big.onnx").stat().st_size == 300_000  # still on disk
    assert "assets/models/big.onnx" not in git(checkout, "ls-files")
    with pytest.raises(travel.TravelError, match="already slim"):
        travel.slim(checkout)
    (checkout / "zoo" / "train.py").write_text("print('changed')\n")
    refused = subprocess.run(["git", "-C", str(checkout), "-c", "user.name=t", "-c", "user.email=t@t", "commit",
                              "-qam", "would delete the models"], capture_output=True, text=True)
    assert refused.returncode != 0 and "travel --restore" in refused.stderr
    assert travel.restore(checkout) == ["assets/models/big.onnx"]
    assert git(checkout, "status", "--porcelain") == " M zoo/train.py\n?? notes.txt\n"
    assert not travel.commit_guard(checkout).exists()
    assert exclude.read_text() == exclude_before
    assert travel.restore(checkout) == []  # nothing hidden any more


def test_slim_refuses_a_staged_change_it_would_lose(checkout):
    (checkout / "assets" / "models" / "big.onnx").write_bytes(b"\3" * 10)
    git(checkout, "add", "assets/models/big.onnx")
    with pytest.raises(travel.TravelError, match="big.onnx: staged changes"):
        travel.slim(checkout)
    assert travel.hidden_block(checkout) is None


@pytest.fixture
def bundle_run(tmp_path, monkeypatch):
    """A finished tiny bundle run (train+val: its best.pt holds the last epoch's weights)."""
    root = tiny_camvid(tmp_path, 4)
    monkeypatch.setattr(data, "REPO", tmp_path)
    runs = tmp_path / "device-runs"
    assert train.main(["ndnet61", "--data", str(root), "--epochs", "1", "--batch-size", "4", "--crop", "64x96",
                       "--threads", "1", "--trainval", "--out", str(runs / "ndnet61-trainval")]) == 0
    return runs


@needs_camvid
def test_runs_come_back_slim_with_their_weights_once(bundle_run, tmp_path, monkeypatch):
    monkeypatch.setattr(runs_trip, "PART_BYTES", 200_000)  # several parts from a small run
    sent, left_out, parts = runs_trip.send(bundle_run, tmp_path / "OUT")
    assert sent == ["ndnet61-trainval"] and not left_out
    assert len(parts) > 1 and all(p.stat().st_size <= 200_000 for p in parts)
    slim_last = runs_trip.encoded_size(runs_trip.slim_run(bundle_run / "ndnet61-trainval")[0]["last.pt"])
    assert sum(p.stat().st_size for p in parts) < 1.3 * slim_last  # best.pt shares last.pt's tensors

    here = tmp_path / "runs-here"
    assert runs_trip.receive(tmp_path / "OUT", here) == (["ndnet61-trainval"], [])
    run, device_run = here / "ndnet61-trainval", bundle_run / "ndnet61-trainval"
    assert (run / "log.csv").read_bytes() == (device_run / "log.csv").read_bytes()
    last = torch.load(run / "last.pt", weights_only=False)
    full = torch.load(device_run / "last.pt", weights_only=False)
    assert last["slim"] and "optimizer" not in last and last["state"] == full["state"]
    for key, value in full["model"].items():
        if value.is_floating_point():
            assert last["model"][key].dtype == torch.float16
            torch.testing.assert_close(last["model"][key].float(), value, rtol=1e-3, atol=1e-4)
    best = torch.load(run / "best.pt", weights_only=False)
    assert best["meta"]["trainval"]  # what zoo.bundle looks for
    # A run received here resumes like one committed in zoo/checkpoints/.
    assert train.main(["ndnet61", "--data", str(tmp_path / "camvid"), "--epochs", "2", "--batch-size", "4",
                       "--crop", "64x96", "--threads", "1", "--trainval", "--out", str(run)]) == 0
    assert torch.load(run / "last.pt", weights_only=False)["state"]["epoch"] == 2

    # Sent again: the run here is further along, so it stays.
    assert runs_trip.receive(tmp_path / "OUT", here) == ([], ["ndnet61-trainval"])
    assert torch.load(run / "last.pt", weights_only=False)["state"]["epoch"] == 2


@needs_camvid
def test_a_run_behind_is_moved_aside_not_deleted(bundle_run, tmp_path):
    runs_trip.send(bundle_run, tmp_path / "OUT")
    here = tmp_path / "runs-here"
    behind = here / "ndnet61-trainval"
    behind.mkdir(parents=True)
    state = torch.load(bundle_run / "ndnet61-trainval" / "last.pt", weights_only=False)
    torch.save(state | {"state": state["state"] | {"iteration": 0}}, behind / "last.pt")
    assert runs_trip.receive(tmp_path / "OUT", here) == (["ndnet61-trainval"], [])
    aside = [d for d in here.iterdir() if d.name.startswith("ndnet61-trainval.before-trip-")]
    assert len(aside) == 1 and (aside[0] / "last.pt").exists()


@needs_camvid
def test_a_run_that_does_not_fit_is_left_out_and_named(bundle_run, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(runs_trip, "TOTAL_BYTES", 10_000)
    sent, left_out, parts = runs_trip.send(bundle_run, tmp_path / "OUT")
    assert sent == [] and left_out == ["ndnet61-trainval"]
    assert "ndnet61-trainval: does not fit" in capsys.readouterr().err
    assert runs_trip.send_main(["--to", str(tmp_path / "OUT2"), "--runs", str(bundle_run)]) == 1


@needs_camvid
def test_a_best_epoch_of_its_own_comes_back_only_where_room_is_left(bundle_run, tmp_path, monkeypatch, capsys):
    run = bundle_run / "ndnet61-trainval"
    best = torch.load(run / "best.pt", weights_only=False)
    best["model"] = {k: v + 1 if v.is_floating_point() else v for k, v in best["model"].items()}  # another epoch's
    torch.save(best, run / "best.pt")
    entry, own_best = runs_trip.slim_run(run)
    assert "best.pt" not in entry and own_best is not None
    room = runs_trip.encoded_size({"format": runs_trip.FORMAT, "runs": {run.name: entry}})
    monkeypatch.setattr(runs_trip, "TOTAL_BYTES", room + 1000)
    assert runs_trip.send(bundle_run, tmp_path / "OUT")[:2] == (["ndnet61-trainval"], [])
    assert "best.pt: no room left, not sent" in capsys.readouterr().err
    runs_trip.receive(tmp_path / "OUT", tmp_path / "here")
    assert (tmp_path / "here" / run.name / "last.pt").exists() and not (tmp_path / "here" / run.name / "best.pt").exists()
    monkeypatch.setattr(runs_trip, "TOTAL_BYTES", 64 * 2**20)
    runs_trip.send(bundle_run, tmp_path / "OUT2")
    runs_trip.receive(tmp_path / "OUT2", tmp_path / "here2")
    came = torch.load(tmp_path / "here2" / run.name / "best.pt", weights_only=False)["model"]
    key = next(k for k, v in best["model"].items() if v.is_floating_point())
    torch.testing.assert_close(came[key].float(), best["model"][key], rtol=1e-3, atol=1e-3)


@needs_camvid
def test_a_missing_or_broken_part_is_one_line_naming_it(bundle_run, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(runs_trip, "PART_BYTES", 200_000)
    _, _, parts = runs_trip.send(bundle_run, tmp_path / "OUT")
    parts[1].unlink()
    assert runs_trip.receive_main([str(tmp_path / "OUT"), "--runs", str(tmp_path / "here")]) == 1
    assert "part runs.pt.001 is missing" in capsys.readouterr().err
    for part in parts[1:]:
        part.unlink(missing_ok=True)
    parts[0].write_bytes(b"not a container")
    assert runs_trip.receive_main([str(tmp_path / "OUT"), "--runs", str(tmp_path / "here")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "runs.pt.000: not a complete send-runs container" in err
    assert "\n" not in err
    assert not (tmp_path / "here").exists()


@needs_camvid
def test_the_device_plan_runs_on_a_cpu_and_sends_every_run(tmp_path, monkeypatch):
    packed = tiny_pack(tmp_path, monkeypatch)
    runs = tmp_path / "runs"
    # a bundle run carried from here, halfway: the plan resumes it
    assert train.main(["ndnet61", "--pack", str(packed), "--iterations", "4", "--batch-size", "4", "--crop", "64x96",
                       "--threads", "1", "--trainval", "--stop-hours", "1e-9", "--out", str(runs / "ndnet61-trainval")]) == 0
    env = os.environ | {"OUT": str(tmp_path / "OUT"), "DEVICE": "cpu", "BUDGET_MIN": "1", "ITERATIONS": "4",
                        "BOTH": "ndnet45", "SELECTION": "", "RESUME": "fastscnn,ndnet61", "PACK": str(packed),
                        "RUNS": str(runs), "EXTRA": "--crop 64x96 --batch-size 4 --augment-on device"}
    plan = subprocess.run(["bash", str(PLAN)], env=env, capture_output=True, text=True)
    assert plan.returncode == 0, plan.stdout + plan.stderr
    assert "resumed ndnet61" in (runs / "ndnet61-trainval.out").read_text()
    assert not (runs / "fastscnn-trainval").exists()  # not carried, so not started from nothing
    back = runs_trip.receive(tmp_path / "OUT", tmp_path / "back")[0]
    assert sorted(back) == ["ndnet45", "ndnet45-trainval", "ndnet61-trainval"]
    for run in back:
        state = torch.load(tmp_path / "back" / run / "last.pt", weights_only=False)["state"]
        assert state["iteration"] == 4


def test_a_container_naming_paths_outside_the_runs_is_refused(tmp_path):
    for i, (name, entry) in enumerate((("../escape", {"log.csv": b"x"}), ("ndnet61", {"../../etc.csv": b"x"}))):
        out = tmp_path / "device" / f"OUT{i}"
        out.mkdir(parents=True)
        torch.save({"format": runs_trip.FORMAT, "runs": {name: entry}}, out / "runs.pt.000")
        with pytest.raises(ValueError, match="names that are not a run's"):
            runs_trip.receive(out, tmp_path / "runs")
    assert not (tmp_path / "runs").exists() and not (tmp_path / "escape").exists() and not (tmp_path / "etc.csv").exists()
