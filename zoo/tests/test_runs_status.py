"""`python -m zoo runs`: one line a run, read from real tiny training runs."""
from zoo import runs_status, train
from zoo.tests.test_training import tiny_pack


def test_each_run_says_where_it_stands(tmp_path, monkeypatch, capsys):
    packed = tiny_pack(tmp_path, monkeypatch)
    common = ["ndnet61", "--pack", str(packed), "--batch-size", "4", "--crop", "64x96", "--threads", "1"]
    runs = tmp_path / "zoo" / "runs"
    assert train.main(common + ["--iterations", "3", "--out", str(runs / "ndnet61")]) == 0
    # a bundle run stopped after its first epoch of a longer plan, as a session's end leaves it
    assert train.main(common + ["--trainval", "--iterations", "6", "--stop-hours", "1e-9",
                                "--out", str(runs / "ndnet61-trainval")]) == 0
    committed = tmp_path / "zoo" / "checkpoints"
    committed.mkdir(parents=True)
    (committed / "ndnet29.pt").write_bytes((runs / "ndnet61" / "last.pt").read_bytes())

    rows = {r["run"]: r for r in runs_status.collect(runs, committed, window=100)}
    assert list(rows) == ["ndnet61", "ndnet61-trainval", "ndnet29"]
    selection, bundle = rows["ndnet61"], rows["ndnet61-trainval"]
    assert (selection["kind"], selection["left"], selection["restarts"]) == ("selection", "finished", "-")
    epochs = int(selection["epoch"].split("/")[1])
    assert selection["epoch"] == f"{epochs}/{epochs}" and selection["iterations"] >= 3
    checks = [line for line in (runs / "ndnet61" / "log.csv").read_text().splitlines()[1:]
              if line.split(",")[4]]
    assert selection["mean"].endswith(f"({len(checks)})") and selection["best"] != "-"
    assert bundle["kind"] == "bundle" and bundle["epoch"].startswith("1/") and bundle["last"] == "-"
    assert bundle["left"].endswith(" h")  # not finished: the rest at its epoch time
    assert rows["ndnet29"]["source"].endswith("checkpoints/ndnet29.pt")

    capsys.readouterr()  # the training runs' own lines
    assert runs_status.main(["--runs", str(runs), "--checkpoints", str(committed)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:3] == ["run", "kind", "epoch"] and "finished" in out
