"""The tiny fixtures written for the engine's tests: each has the property its name promises."""
import json

import numpy as np
import onnx
import onnxruntime as ort
import pytest

from zoo.models.tiny import export_test_models

ort.set_default_logger_severity(3)


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory):
    out = tmp_path_factory.mktemp("fixtures")
    return {p.name: p for p in export_test_models(out)}


def run(path, size=(64, 96), **feeds):
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    x = np.random.default_rng(0).standard_normal((1, 3, *size)).astype(np.float32)
    return sess, sess.run(None, {"image": x, **feeds})


def metadata(path):
    return {p.key: p.value for p in onnx.load(str(path)).metadata_props}


def test_all_fixtures_written_and_small(fixtures):
    assert set(fixtures) == {
        "tiny_fastscnn_cityscapes.onnx", "tiny_camvid.onnx", "tiny_fixed_64x96.onnx",
        "tiny_labelmap.onnx", "tiny_multi_output.onnx", "tiny_classifier.onnx",
        "tiny_no_metadata.onnx", "tiny_lowres_logits.onnx"}
    for path in fixtures.values():
        assert path.stat().st_size < 1_000_000
        assert onnx.load(str(path)).opset_import[0].version >= 17


def test_tiny_fastscnn_has_a_working_skip_gain_knob(fixtures):
    path = fixtures["tiny_fastscnn_cityscapes.onnx"]
    sess, (default,) = run(path)
    assert default.shape == (1, 19, 64, 96)
    _, (one,) = run(path, skip_gain=np.array(1.0, np.float32))
    _, (zero,) = run(path, skip_gain=np.array(0.0, np.float32))
    assert np.array_equal(default, one) and not np.allclose(default, zero)
    assert len(json.loads(metadata(path)["classes"])) == 19


def test_camvid_is_dynamic(fixtures):
    _, (logits,) = run(fixtures["tiny_camvid.onnx"], size=(40, 56))
    assert logits.shape == (1, 11, 40, 56)


def test_fixed_size_input(fixtures):
    sess, (logits,) = run(fixtures["tiny_fixed_64x96.onnx"])
    assert sess.get_inputs()[0].shape == [1, 3, 64, 96] and logits.shape == (1, 11, 64, 96)
    assert metadata(fixtures["tiny_fixed_64x96.onnx"])["input_size"] == "64x96"


def test_label_map_output(fixtures):
    _, (labels,) = run(fixtures["tiny_labelmap.onnx"])
    assert labels.dtype == np.int64 and labels.shape == (1, 64, 96)
    assert labels.min() >= 0 and labels.max() < 11


def test_multi_output_puts_a_vector_first(fixtures):
    sess, (scores, logits) = run(fixtures["tiny_multi_output.onnx"])
    assert [o.name for o in sess.get_outputs()] == ["scores", "logits"]
    assert scores.shape == (1, 11) and logits.shape == (1, 11, 64, 96)


def test_classifier_has_no_spatial_output(fixtures):
    sess, outputs = run(fixtures["tiny_classifier.onnx"])
    assert [o.shape for o in outputs] == [(1, 11)]


def test_no_metadata(fixtures):
    assert metadata(fixtures["tiny_no_metadata.onnx"]) == {}
    _, (logits,) = run(fixtures["tiny_no_metadata.onnx"])
    assert logits.shape == (1, 11, 64, 96)


def test_lowres_logits_are_a_quarter_of_the_input(fixtures):
    _, (logits,) = run(fixtures["tiny_lowres_logits.onnx"])
    assert logits.shape == (1, 11, 16, 24)
