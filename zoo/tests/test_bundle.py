"""The README's table of bundled models is rewritten from the committed result files."""
import json

import pytest
import torch

from zoo import bundle, data

MODELS, RESULTS = data.REPO / "assets" / "models", data.REPO / "zoo" / "results"


def committed_rows() -> dict:
    rows = {}
    for stem, (name, display, _) in bundle.BUNDLE.items():
        rows.update(bundle.previous_rows(stem, name, display, MODELS, RESULTS))
    return rows


def table_lines(readme: str) -> list[str]:
    block = readme.split(bundle.README_START, 1)[1].split(bundle.README_END, 1)[0]
    return [line for line in block.splitlines() if line.startswith("| ") and "bundled model" not in line]


def test_readme_table_matches_the_engine_results_best_first():
    rows = committed_rows()
    assert rows, "no bundled model with results in the repository"
    text = bundle.with_model_table((data.REPO / "README.md").read_text(), rows)
    lines = table_lines(text)
    plain = [t for t in rows if "_skip_gain" not in t]
    assert len(lines) == len(plain)
    shown = [float(line.split("|")[2]) for line in lines]
    assert shown == sorted(shown, reverse=True)
    for tag in plain:
        miou = 100 * json.loads((RESULTS / f"{tag}_engine.json").read_text())["miou"]
        assert any(line.startswith(f"| {rows[tag]['display']}") and f"| {miou:.1f} |" in line
                   for line in lines), tag
    missing = [d for s, (_, d, _) in bundle.BUNDLE.items() if s not in rows]
    assert ("Not bundled yet" in text) == bool(missing)
    # Rewriting is stable and leaves the text outside the markers alone.
    assert bundle.with_model_table(text, rows) == text
    readme = (data.REPO / "README.md").read_text()
    assert text.split(bundle.README_START)[0] == readme.split(bundle.README_START)[0]
    assert text.split(bundle.README_END)[1] == readme.split(bundle.README_END)[1]


def test_readme_without_markers_is_refused():
    with pytest.raises(ValueError, match="markers"):
        bundle.with_model_table("# a readme\n", committed_rows())


def test_short_parameter_counts():
    assert [bundle.short_count(n) for n in (302_998, 1_137_795, 15_243_411)] == ["303K", "1.14M", "15.24M"]


def test_train_val_bundles_are_marked_and_explained():
    rows = {t: r | {"trainval": False} for t, r in committed_rows().items()}
    tag = next(t for t in rows if t in bundle.BUNDLE)
    marked = {t: r | ({"trainval": True} if t == tag else {}) for t, r in rows.items()}
    lines = table_lines(bundle.with_model_table((data.REPO / "README.md").read_text(), marked))
    row = next(line for line in lines if line.startswith(f"| {rows[tag]['display']}"))
    assert bundle.TRAINVAL_MARK.strip() in row
    text = bundle.with_model_table((data.REPO / "README.md").read_text(), marked)
    assert "train-only twin" in text
    assert "train-only twin" not in bundle.with_model_table((data.REPO / "README.md").read_text(), rows)
    # What the repository ships: a train+val bundle is marked exactly when its file says it saw val.
    for t, r in committed_rows().items():
        if t in bundle.BUNDLE:
            assert r["trainval"] == bundle.bundled_saw_val(MODELS / f"{t}.onnx"), t
    assert bundle.is_trainval("CamVid train+val (468 images), fixed budget, no selection, ...")
    assert not bundle.is_trainval("CamVid train (367 images), crops 360x480 ...")


@pytest.mark.skipif(not (data.REPO.parent / "shared" / "datasets" / "camvid").exists(),
                    reason="../shared/datasets/camvid missing")
def test_an_unfinished_selection_run_is_not_a_twin(tmp_path, monkeypatch):
    from zoo import train
    from zoo.tests.test_training import tiny_camvid
    root = tiny_camvid(tmp_path, 4)
    monkeypatch.setattr(data, "REPO", tmp_path)
    run = tmp_path / "zoo" / "runs" / "ndnet61"
    assert train.main(["ndnet61", "--data", str(root), "--batch-size", "4", "--crop", "64x96",
                       "--threads", "1", "--epochs", "1"]) == 0
    twin = bundle.finished_selection_run(run)
    assert twin["meta"]["epoch"] == 1
    last = torch.load(run / "last.pt", map_location="cpu", weights_only=False)
    assert all(torch.equal(twin["model"][k], v) for k, v in last["model"].items())
    # The same state, as if stopped one epoch into a two-epoch schedule (a session ending).
    last["state"]["planned_epochs"] = 2
    torch.save(last, run / "last.pt")
    with pytest.raises(ValueError, match="epoch 1 of 2"):
        bundle.finished_selection_run(run)
    with pytest.raises(FileNotFoundError, match="no selection run"):
        bundle.finished_selection_run(tmp_path / "zoo" / "runs" / "ndnet29")
    # A fresh machine: no run directory, the finished state committed in zoo/checkpoints/.
    last["state"]["planned_epochs"] = 1
    committed = tmp_path / "zoo" / "checkpoints" / "ndnet29.pt"
    committed.parent.mkdir(parents=True)
    torch.save(last, committed)
    assert bundle.finished_selection_run(tmp_path / "zoo" / "runs" / "ndnet29", committed)["meta"]["epoch"] == 1
    # Its note is the final epoch's, whether the state kept its split and hardware or not.
    note = twin["meta"]["training"]
    assert note.startswith("CamVid train (4 images)") and "1 epochs (1 iterations)" in note, note
    assert bundle.weights_kind(note) == "train, last epoch"
    del last["state"]["split"], last["state"]["hardware"]
    old_note = bundle.final_epoch_note(last)
    assert old_note.startswith("CamVid train (367 images)") and "1 CPU thread;" in old_note, old_note


def test_the_weights_column_says_which_weights_the_figures_are_of():
    assert bundle.weights_kind("CamVid train+val (468 images), fixed budget, no selection, ...") == "train+val"
    assert bundle.weights_kind("CamVid train (367 images), ..., 0.5 h on Xeon") == "train, best val"
    assert bundle.weights_kind(f"CamVid train (367 images), ...; {bundle.LAST_EPOCH_NOTE}") == "train, last epoch"


def test_a_bundle_must_gain_a_point_to_replace_the_file(tmp_path):
    (tmp_path / "ndnet45_engine.json").write_text(json.dumps({"miou": 0.506}))
    assert not bundle.gains_enough("ndnet45", 0.512, tmp_path, force=False)
    assert bundle.gains_enough("ndnet45", 0.512, tmp_path, force=True)
    assert bundle.gains_enough("ndnet45", 0.5161, tmp_path, force=False)
    assert bundle.gains_enough("ndnet29", 0.1, tmp_path, force=False)  # nothing bundled yet
    # The train+val run of a bundled train-only run: its twin is that run, so the same figure will do.
    assert bundle.gains_enough("ndnet45", 0.506, tmp_path, force=False, replaces_train_only=True)
    assert not bundle.gains_enough("ndnet45", 0.500, tmp_path, force=False, replaces_train_only=True)


@pytest.mark.skipif(not (data.REPO.parent / "shared" / "datasets" / "camvid").exists(),
                    reason="../shared/datasets/camvid missing")
def test_training_image_names_are_the_splits_stems():
    root = data.REPO.parent / "shared" / "datasets" / "camvid"
    train, trainval = bundle.image_names(root, False), bundle.image_names(root, True)
    assert len(train) == 367 and len(trainval) == 468 and set(train) < set(trainval)
    val = {image.stem for image, _ in data.read_split(root, "val.txt")}
    assert not val & set(train) and val <= set(trainval)


def test_a_last_epoch_is_bundled_as_measured_with_its_figure_added(tmp_path):
    import onnx
    src = data.REPO / "engine" / "src" / "test" / "resources" / "models" / "tiny_camvid.onnx"
    out = tmp_path / "bundled.onnx"
    bundle.write_with_val_miou(src, out, 57.6789)
    before, after = onnx.load(str(src)), onnx.load(str(out))
    props_before = {p.key: p.value for p in before.metadata_props}
    props_after = {p.key: p.value for p in after.metadata_props}
    assert props_after.pop("val_miou") == "57.68"
    props_before.pop("val_miou", None)
    assert props_after == props_before
    assert after.graph == before.graph  # the weights that were measured, not a new export
