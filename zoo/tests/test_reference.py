"""The external reference: the published ESPNet checkpoint in our definition and in the bundle."""
import json

import cv2
import numpy as np
import onnx
import pytest
import torch

from zoo import data, reference
from zoo.evaluate import ConfusionMatrix

CAMVID = data.REPO.parent / "shared" / "datasets" / "camvid"
BUNDLED = data.REPO / "assets" / "models" / "espnet_camvid.onnx"
needs_checkpoint = pytest.mark.skipif(not reference.CHECKPOINT.exists(),
                                      reason="../shared/reference-models/espnet is missing")


@needs_checkpoint
def test_checkpoint_loads_into_our_definition_key_for_key():
    network = reference.load_network()  # strict: a missing or extra key fails
    assert sum(p.numel() for p in network.parameters()) == 354_517


@needs_checkpoint
def test_bundled_export_matches_the_checkpoint_on_a_camvid_frame():
    image_path, _ = data.read_split(CAMVID, "val.txt")[0]
    rgb = cv2.cvtColor(cv2.imread(str(image_path)), cv2.COLOR_BGR2RGB)
    assert reference.parity(BUNDLED, image=rgb) < 1e-4


@needs_checkpoint
def test_fresh_export_matches_the_checkpoint(tmp_path):
    path = reference.export_reference(out=tmp_path / "espnet.onnx")
    assert reference.parity(path) < 1e-4


def test_bundled_metadata_carries_the_void_class_and_the_attribution():
    props = {p.key: p.value for p in onnx.load(str(BUNDLED)).metadata_props}
    classes = json.loads(props["classes"])
    assert len(classes) == 12 and classes[int(props["void_class"])] == "void"
    assert "MIT" in props["licence"] and "Mehta" in props["licence"]
    assert "sacmehta/ESPNet" in props["source"]
    mean, std = reference.engine_normalisation()
    assert json.loads(props["mean"]) == pytest.approx(mean)
    assert json.loads(props["std"]) == pytest.approx(std)


def test_statistics_are_the_authors_recipe_on_camvid_train():
    mean, std = reference.measure_statistics(CAMVID)
    assert mean == pytest.approx(reference.MEAN_BGR, abs=0.01)
    assert std == pytest.approx(reference.STD_BGR, abs=0.01)


def test_void_predictions_are_errors_for_the_ground_truth_class():
    cm = ConfusionMatrix(2, 11)
    gt = np.array([[0, 0, 1, 11]], np.uint8)
    pred = np.array([[0, 2, 1, 2]], np.uint8)  # 2 = the model's void class
    cm.update(gt, pred)
    # class 0: one hit, one pixel lost to void; class 1: one hit; void ground truth ignored
    assert cm.iou() == pytest.approx([0.5, 1.0])
    assert cm.pixel_accuracy() == pytest.approx(2 / 3)
