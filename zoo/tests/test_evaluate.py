"""The Python evaluation the bundle step checks the engine against: IoU rules, boundary bands."""
import math

import cv2
import numpy as np
import pytest
import torch

from zoo.evaluate import ConfusionMatrix, boundary_accuracy, boundary_band, evaluate, report


def test_iou_from_a_hand_computed_matrix():
    cm = ConfusionMatrix(3, ignore_index=255)
    gt = np.array([[0, 0, 1, 1]], np.uint8)
    pred = np.array([[0, 1, 1, 1]], np.uint8)
    cm.update(gt, pred)
    # class 0: tp 1, fn 1, fp 0 -> 1/2; class 1: tp 2, fp 1 -> 2/3; class 2 absent -> no IoU
    iou = cm.iou()
    assert iou[0] == pytest.approx(0.5)
    assert iou[1] == pytest.approx(2 / 3)
    assert math.isnan(iou[2])
    assert cm.miou() == pytest.approx((0.5 + 2 / 3) / 2)  # the absent class stays out of the mean
    assert cm.pixel_accuracy() == pytest.approx(3 / 4)


def test_ignored_pixels_count_nowhere():
    cm = ConfusionMatrix(2, ignore_index=11)
    cm.update(np.array([11, 11, 0], np.uint8), np.array([1, 0, 0], np.uint8))
    assert cm.m.sum() == 1
    assert cm.iou()[0] == 1.0
    assert math.isnan(cm.iou()[1])  # predicted only on void pixels: not a false positive


def test_a_class_predicted_but_absent_from_ground_truth_has_zero_iou():
    cm = ConfusionMatrix(2, ignore_index=11)
    cm.update(np.array([0, 0], np.uint8), np.array([0, 1], np.uint8))
    assert cm.iou()[1] == 0.0
    r = report(cm, ["a", "b"])
    assert r["classes"][1]["accuracy"] is None  # no ground truth: no class accuracy


def test_boundary_band_surrounds_class_changes_only():
    label = np.zeros((20, 20), np.uint8)
    label[:, 10:] = 1
    band = boundary_band(label, 11, width=2)
    assert band[:, 7:13].all()  # the edge at column 9|10, widened by 2 on each side
    assert not band[:, :6].any() and not band[:, 14:].any()


def _pair(tmp_path, label):
    image, lab = tmp_path / "img.png", tmp_path / "lab.png"
    cv2.imwrite(str(image), np.full(label.shape + (3,), 128, np.uint8))
    cv2.imwrite(str(lab), label)
    return [(image, lab)]


def test_boundary_accuracy_puts_a_shifted_edge_near_the_boundary(tmp_path):
    label = np.zeros((32, 64), np.uint8)
    label[:, 32:] = 1
    label[:2] = 11  # void rows count nowhere

    def shifted(x):  # predicts the class edge 3 columns to the right of the truth
        logits = torch.zeros(1, 2, *x.shape[-2:])
        logits[:, 0, :, :35] = 1
        logits[:, 1, :, 35:] = 1
        return logits

    pairs = _pair(tmp_path, label)
    result = boundary_accuracy(shifted, pairs, ignore_index=11, width=4)
    assert result["far_accuracy"] == 1.0
    assert result["near_accuracy"] < 0.9
    assert result["near_pixels"] + result["far_pixels"] == 30 * 64
    cm = evaluate(shifted, pairs, 2, 11)
    assert cm.pixel_accuracy() == pytest.approx(1 - 3 / 64)
