"""Dropping the final resize: the logits at the network's resolution, which upsampled the way the
engine does (bilinear, half-pixel) give the labels of the full graph."""
import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch
import torch.nn.functional as F

from zoo.export import export_network
from zoo.native_logits import NotResizedAtTheEnd, main, strip_final_resize
from zoo.registry import names

ort.set_default_logger_severity(3)


def run(path, x):
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(None, {"image": x})[0]


@pytest.mark.parametrize("name", [n for n in names() if n != "espnet"])
def test_every_zoo_network_hands_over_its_logits_before_the_resize(name, tmp_path):
    full = tmp_path / "full.onnx"
    export_network(name, "camvid", full)
    native = tmp_path / "native.onnx"
    assert main([str(full), str(native)]) == 0
    x = np.random.default_rng(0).standard_normal((1, 3, 96, 128)).astype(np.float32)
    small, big = run(native, x), run(full, x)
    assert small.shape[2] < 96 and small.shape[3] < 128, small.shape
    # the engine's upsampling of the small logits is the graph's own resize
    up = F.interpolate(torch.from_numpy(small), size=(96, 128), mode="bilinear", align_corners=False)
    assert np.abs(up.numpy() - big).max() < 1e-4
    props = {p.key: p.value for p in onnx.load(str(native)).metadata_props}
    assert "logits_resolution" in props and props["name"]  # the rest of the metadata stays
    graph = onnx.load(str(native)).graph
    assert not any(n.op_type == "Resize" and "logits" in n.output for n in graph.node)
    assert [d.dim_param for d in graph.output[0].type.tensor_type.shape.dim][2:] == \
        ["logits_height", "logits_width"]


def test_export_can_do_it_in_one_step(tmp_path):
    out = tmp_path / "fastscnn.onnx"
    export_network("fastscnn", "camvid", out, native_logits=True)
    x = np.zeros((1, 3, 64, 96), np.float32)
    assert run(out, x).shape == (1, 11, 8, 12)  # Fast-SCNN's classifier works at 1/8


def test_a_model_not_ending_in_a_bilinear_resize_is_refused(tmp_path):
    x = onnx.helper.make_tensor_value_info("image", onnx.TensorProto.FLOAT, [1, 3, 8, 8])
    y = onnx.helper.make_tensor_value_info("logits", onnx.TensorProto.FLOAT, [1, 3, 8, 8])
    graph = onnx.helper.make_graph([onnx.helper.make_node("Relu", ["image"], ["logits"])], "g", [x], [y])
    model = onnx.helper.make_model(graph)
    with pytest.raises(NotResizedAtTheEnd, match="Relu"):
        strip_final_resize(model)
    path = tmp_path / "relu.onnx"
    onnx.save(model, str(path))
    assert main([str(path), str(tmp_path / "out.onnx")]) == 2
    assert not (tmp_path / "out.onnx").exists()


def test_a_file_that_is_not_onnx_gets_one_line(tmp_path, capsys):
    bad = tmp_path / "notes.onnx"
    bad.write_text("not a model")
    assert main([str(bad), str(tmp_path / "out.onnx")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(str(bad)) and "not an ONNX model" in err and "\n" not in err
