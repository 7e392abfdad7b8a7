"""The ablation report is written from its figures: which variant shows the paper's pattern."""
from zoo import ablation

CLASSES = ["sky", "building", "pole", "road", "sidewalk", "tree", "sign/symbol", "fence", "car",
           "pedestrian", "bicyclist"]


def variant(ious, near, far):
    return {"miou": sum(ious) / len(ious), "classes": [{"iou": v} for v in ious],
            "boundary": {"near_accuracy": near, "far_accuracy": far, "width_px": 4}}


def test_the_reading_names_the_variant_whose_loss_is_at_the_edges(tmp_path):
    kept = variant([0.9] * 11, 0.70, 0.97)
    detail_only = variant([0.85] + [0.8] * 10, 0.60, 0.96)  # sky -5, near -10 / far -1: 10x
    shift_too = variant([0.5] + [0.8] * 10, 0.62, 0.93)     # sky -40, near -8 / far -4: 2x
    names = [n for n, _ in ablation.VARIANTS]
    out = tmp_path / "ABLATION.md"
    ablation.write(dict(zip(names, [kept, detail_only, shift_too])), CLASSES, "x.onnx", out)
    text = out.read_text()
    assert f"The clearest boundary pattern (near/far ratio) is {names[1]}'s." in text
    assert f"{names[2]} changes sky by -40.0" in text and "| 10.0x |" in text and "| 2.0x |" in text
    swapped = tmp_path / "swapped.md"
    ablation.write(dict(zip(names, [kept, shift_too, detail_only])), CLASSES, "x.onnx", swapped)
    assert f"is {names[2]}'s." in swapped.read_text()


def test_a_twin_source_is_named_for_what_it_is(tmp_path):
    # The twin's path is in the uncommitted zoo/runs/, so the report must say what that file is.
    r = variant([0.9] * 11, 0.70, 0.97)
    names = [n for n, _ in ablation.VARIANTS]
    for source, said in (("zoo/runs/fastscnn/trainonly.onnx", True), ("assets/models/fastscnn.onnx", False)):
        out = tmp_path / "ABLATION.md"
        ablation.write(dict(zip(names, [r, r, r])), CLASSES, source, out)
        assert ("train-only twin of the bundled train+val model" in out.read_text()) == said
