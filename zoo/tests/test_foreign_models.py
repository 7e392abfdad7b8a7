"""The foreign-convention fixtures (zoo/models/foreign.py): each has the convention it stands for,
and the committed files are what the exporter writes today."""
import json
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest

from zoo.models.foreign import export_foreign_test_models

ort.set_default_logger_severity(3)
COMMITTED = Path(__file__).resolve().parents[2] / "engine/src/test/resources/models"


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory):
    out = tmp_path_factory.mktemp("foreign")
    return {p.name: p for p in export_foreign_test_models(out)}


def session(path):
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])


def test_small_without_metadata_and_as_committed(fixtures):
    for name, path in fixtures.items():
        assert path.stat().st_size < 1_000_000
        committed = COMMITTED / name
        if not name.endswith(".onnx"):
            assert json.loads(path.read_text()) == json.loads(committed.read_text()), name
            continue
        assert not onnx.load(str(path)).metadata_props, name
        # the committed fixture computes what this code exports (compared by output, not bytes,
        # so another exporter version that serialises differently still passes)
        fresh, kept = session(path), session(committed)
        inp = fresh.get_inputs()[0]
        shape = [d if isinstance(d, int) else (1 if i == 0 else 32) for i, d in enumerate(inp.shape)]
        dtype = np.float16 if inp.type == "tensor(float16)" else np.float32
        x = np.random.default_rng(0).standard_normal(shape).astype(dtype)
        (a,), (b,) = fresh.run(None, {inp.name: x}), kept.run(None, {inp.name: x})
        assert np.allclose(a.astype(np.float32), b.astype(np.float32), atol=1e-3), name


def test_nhwc_bgr_255_softmax(fixtures):
    s = session(fixtures["foreign_nhwc_bgr255.onnx"])
    assert s.get_inputs()[0].shape == [1, 64, 96, 3]
    x = np.random.default_rng(0).uniform(0, 255, (1, 64, 96, 3)).astype(np.float32)
    (y,) = s.run(None, {"data": x})
    assert y.shape == (1, 64, 96, 11)
    assert np.allclose(y.sum(-1), 1, atol=1e-5)
    sidecar = json.loads(fixtures["foreign_nhwc_bgr255.onnx.json"].read_text())
    assert sidecar["channel_order"] == "bgr" and sidecar["mean"] == [0, 0, 0]
    assert "layout" not in sidecar


def test_void_camvid_predicts_void_somewhere(fixtures):
    s = session(fixtures["foreign_void_camvid.onnx"])
    (y,) = s.run(None, {"input": np.random.default_rng(0).standard_normal((1, 3, 64, 96)).astype(np.float32)})
    assert y.shape == (1, 12, 64, 96)
    assert (y.argmax(1) == 11).any()


def test_fp16_in_and_out(fixtures):
    s = session(fixtures["foreign_fp16.onnx"])
    assert s.get_inputs()[0].type == "tensor(float16)" and s.get_outputs()[0].type == "tensor(float16)"
    (y,) = s.run(None, {"input": np.zeros((1, 3, 32, 48), np.float16)})
    assert y.dtype == np.float16 and y.shape == (1, 11, 32, 48)


def test_cityscapes_classes(fixtures):
    s = session(fixtures["foreign_cityscapes19.onnx"])
    assert s.get_outputs()[0].shape[1] == 19
