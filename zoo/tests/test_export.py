"""ONNX export: parity with PyTorch under ONNX Runtime, knobs, metadata, fp16 weights."""
import json

import numpy as np
import onnx
import onnx.numpy_helper
import onnxruntime as ort
import pytest
import torch

from zoo.export import (export_graph, export_network, flush_subnormals, load_label_set,
                        store_weights_fp16)
from zoo.registry import count_parameters, create, names, spec
from zoo.tests.conftest import calibrate_batch_norm

ort.set_default_logger_severity(3)  # silence the expected "initializer in graph inputs" note
TOLERANCE = 1e-4
NUM_CLASSES = 5


def session(path):
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])


@pytest.fixture(scope="module", params=names())
def exported(request, tmp_path_factory):
    """(name, calibrated eval-mode model, ORT session) exported once per network."""
    name = request.param
    torch.manual_seed(0)
    model = calibrate_batch_norm(create(name, num_classes=NUM_CLASSES))
    path = tmp_path_factory.mktemp("onnx") / f"{name}.onnx"
    graph = export_graph(model, path, spec(name)["knobs"])
    onnx.checker.check_model(graph)
    onnx.save(graph, str(path))
    return name, model, session(path)


def _torch(model, x, **knobs):
    with torch.no_grad():
        return model(torch.from_numpy(x), **knobs).numpy()


def test_graph_interface(exported):
    name, _, sess = exported
    inputs = {i.name: i for i in sess.get_inputs()}
    assert list(inputs) == ["image"]
    assert inputs["image"].shape == ["batch", 3, "height", "width"]
    # Knobs are inputs backed by an initializer: ONNX Runtime lists them as overridable
    # initializers, not among the required inputs.
    overridable = {i.name: i for i in sess.get_overridable_initializers()}
    assert set(overridable) == set(spec(name)["knobs"])
    for knob in overridable.values():
        assert knob.shape == [] and knob.type == "tensor(float)"
    outputs = sess.get_outputs()
    assert [o.name for o in outputs] == ["logits"]
    assert outputs[0].shape == ["batch", NUM_CLASSES, "height", "width"]


def test_knobs_are_graph_inputs_with_a_default_initializer(tmp_path):
    model = create("spssnet", num_classes=NUM_CLASSES)
    graph = export_graph(model, tmp_path / "spssnet.onnx", spec("spssnet")["knobs"])
    inputs = [i.name for i in graph.graph.input]
    defaults = {i.name: onnx.numpy_helper.to_array(i) for i in graph.graph.initializer}
    assert inputs == ["image", "pool_gain_16", "pool_gain_32", "skip_gain"]
    for knob in inputs[1:]:
        assert defaults[knob].shape == () and defaults[knob] == 1.0


@pytest.mark.parametrize("size", [(64, 128), (72, 104)])
def test_onnxruntime_matches_pytorch(exported, size):
    name, model, sess = exported
    x = np.random.default_rng(0).standard_normal((1, 3, *size)).astype(np.float32)
    ours = sess.run(None, {"image": x})[0]
    reference = _torch(model, x)
    assert ours.shape == (1, NUM_CLASSES, *size)
    assert np.abs(ours - reference).max() < TOLERANCE


def test_knob_zero_matches_pytorch_with_the_branch_zeroed(exported):
    name, model, sess = exported
    x = np.random.default_rng(1).standard_normal((1, 3, 64, 128)).astype(np.float32)
    default = sess.run(None, {"image": x})[0]
    for knob in spec(name)["knobs"]:
        zero = np.array(0.0, dtype=np.float32)
        ours = sess.run(None, {"image": x, knob: zero})[0]
        assert np.abs(ours - _torch(model, x, **{knob: 0.0})).max() < TOLERANCE
        assert np.abs(ours - default).max() > 1e-3, f"{knob}=0 changed nothing"
        half = sess.run(None, {"image": x, knob: np.array(0.5, dtype=np.float32)})[0]
        assert np.abs(half - _torch(model, x, **{knob: 0.5})).max() < TOLERANCE


def test_omitting_a_knob_equals_feeding_its_default(exported):
    name, _, sess = exported
    x = np.random.default_rng(2).standard_normal((1, 3, 64, 128)).astype(np.float32)
    omitted = sess.run(None, {"image": x})[0]
    fed = {k: np.array(v, dtype=np.float32) for k, v in spec(name)["knobs"].items()}
    assert np.array_equal(sess.run(None, {"image": x, **fed})[0], omitted)


def test_fastscnn_skip_knobs_remove_the_branch_before_and_after_its_bn(tmp_path):
    # skip_gain 0 must equal a skip convolution with zero weights (the BN shift stays);
    # skip_output_gain 0 must equal a BN with zero scale and shift (the branch is gone).
    torch.manual_seed(0)
    model = calibrate_batch_norm(create("fastscnn", num_classes=NUM_CLASSES))
    path = tmp_path / "fastscnn.onnx"
    onnx.save(export_graph(model, path, spec("fastscnn")["knobs"]), str(path))
    x = np.random.default_rng(3).standard_normal((1, 3, 64, 128)).astype(np.float32)
    zero = np.array(0.0, np.float32)
    with torch.no_grad():
        conv, bn = model.fusion.high[0], model.fusion.high[1]
        saved = conv.weight.clone(), bn.weight.clone(), bn.bias.clone()
        conv.weight.zero_()
        input_zeroed = _torch(model, x)
        conv.weight.copy_(saved[0])
        bn.weight.zero_()
        bn.bias.zero_()
        output_zeroed = _torch(model, x)
        bn.weight.copy_(saved[1])
        bn.bias.copy_(saved[2])
    sess = session(path)
    assert np.abs(sess.run(None, {"image": x, "skip_gain": zero})[0] - input_zeroed).max() < TOLERANCE
    assert np.abs(sess.run(None, {"image": x, "skip_output_gain": zero})[0] - output_zeroed).max() \
        < TOLERANCE
    assert np.abs(input_zeroed - output_zeroed).max() > 1e-3


def test_dynamic_batch_and_size(tmp_path):
    model = create("ndnet61", num_classes=NUM_CLASSES).eval()
    path = tmp_path / "ndnet61.onnx"
    onnx.save(export_graph(model, path), str(path))
    sess = session(path)
    for shape in [(1, 3, 64, 128), (3, 3, 96, 64), (1, 3, 360, 480)]:
        x = np.random.default_rng(4).standard_normal(shape).astype(np.float32)
        assert sess.run(None, {"image": x})[0].shape == (shape[0], NUM_CLASSES, *shape[2:])


def _metadata(path):
    return {p.key: p.value for p in onnx.load(str(path)).metadata_props}


def test_metadata_round_trips_from_a_checkpoint(tmp_path):
    torch.manual_seed(0)
    trained = create("fastscnn", num_classes=11)
    checkpoint = tmp_path / "fastscnn.pt"
    meta = {"training": "CamVid train, 3 epochs, CPU", "val_miou": 41.25,
            "training_images": ["0016E5_07961", "0001TP_006690"]}
    torch.save({"model": trained.state_dict(), "meta": meta}, checkpoint)
    out = tmp_path / "fastscnn_camvid.onnx"
    export_network("fastscnn", "camvid", out, weights=checkpoint)

    props = _metadata(out)
    camvid = load_label_set("camvid")
    assert set(props) == {"classes", "palette", "mean", "std", "input_size", "dataset",
                          "ignore_index", "description", "name", "paper", "parameters",
                          "training", "val_miou", "reconstruction", "training_images"}
    assert json.loads(props["classes"]) == camvid["classes"]
    assert json.loads(props["palette"]) == camvid["palette"]
    assert json.loads(props["mean"]) == pytest.approx([0.485, 0.456, 0.406])
    assert json.loads(props["std"]) == pytest.approx([0.229, 0.224, 0.225])
    assert props["input_size"] == "360x480" and props["dataset"] == "camvid"
    assert props["ignore_index"] == "11"
    assert props["name"] == "Fast-SCNN" and "1902.04502" in props["paper"]
    assert props["parameters"] == str(count_parameters(trained))
    assert props["training"] == meta["training"]
    assert float(props["val_miou"]) == pytest.approx(41.25)
    assert json.loads(props["training_images"]) == ["0001TP_006690", "0016E5_07961"]
    assert props["reconstruction"] == "false"
    # The checkpoint's weights are the ones exported.
    x = np.random.default_rng(5).standard_normal((1, 3, 64, 96)).astype(np.float32)
    assert np.abs(session(out).run(None, {"image": x})[0]
                  - _torch(trained.eval(), x)).max() < TOLERANCE


def test_plain_state_dict_checkpoint_and_reconstruction_flag(tmp_path):
    model = create("spssnet", num_classes=19)
    checkpoint = tmp_path / "spssnet.pt"
    torch.save(model.state_dict(), checkpoint)
    out = tmp_path / "spssnet.onnx"
    export_network("spssnet", "cityscapes", out, weights=checkpoint)
    props = _metadata(out)
    assert props["reconstruction"] == "true" and "reconstruction" in props["name"].lower()
    assert props["dataset"] == "cityscapes" and props["ignore_index"] == "255"
    assert len(json.loads(props["classes"])) == 19 and "val_miou" not in props
    assert props["input_size"] == "1024x2048"


def test_mismatched_checkpoint_is_refused(tmp_path):
    checkpoint = tmp_path / "ndnet29.pt"
    torch.save(create("ndnet29", num_classes=11).state_dict(), checkpoint)
    with pytest.raises(SystemExit):
        export_network("ndnet45", "camvid", tmp_path / "x.onnx", weights=checkpoint)


def test_fp16_weights_halve_the_file_and_keep_fp32_compute(tmp_path):
    torch.manual_seed(0)
    model = calibrate_batch_norm(create("ndnet29_wide", num_classes=NUM_CLASSES))
    full, half = tmp_path / "full.onnx", tmp_path / "half.onnx"
    graph = export_graph(model, full)
    onnx.save(graph, str(full))
    assert store_weights_fp16(graph) > 0
    onnx.checker.check_model(graph)
    onnx.save(graph, str(half))
    assert half.stat().st_size < 0.6 * full.stat().st_size
    sess = session(half)
    assert sess.get_inputs()[0].type == "tensor(float)"
    x = np.random.default_rng(6).standard_normal((1, 3, 64, 128)).astype(np.float32)
    a = sess.run(None, {"image": x})[0]
    b = session(full).run(None, {"image": x})[0]
    assert a.dtype == np.float32
    assert np.abs(a - b).max() < 2e-2 * max(1.0, np.abs(b).max())


def test_subnormal_weights_are_flushed_and_nothing_else_changes(tmp_path):
    torch.manual_seed(0)
    model = calibrate_batch_norm(create("ndnet29_wide", num_classes=NUM_CLASSES))
    with torch.no_grad():  # a filter weight decay shrank to nothing, as in published checkpoints
        conv = next(m for m in model.modules() if isinstance(m, torch.nn.Conv2d) and m.weight.shape[0] > 4)
        conv.weight[:2] *= 1e-39
    graph = export_graph(model, tmp_path / "m.onnx")
    before = {i.name: onnx.numpy_helper.to_array(i).copy() for i in graph.graph.initializer}
    tiny = np.finfo(np.float32).tiny
    expected = sum(int(((a != 0) & (np.abs(a) < tiny)).sum()) for a in before.values()
                   if a.dtype == np.float32)
    assert expected > 0
    assert flush_subnormals(graph) == expected
    for init in graph.graph.initializer:
        a, b = before[init.name], onnx.numpy_helper.to_array(init)
        assert a.dtype == b.dtype and a.shape == b.shape
        normal = (a == 0) | (np.abs(a) >= tiny)
        assert np.array_equal(a[normal], b[normal]) and not b[~normal].any()
    assert flush_subnormals(graph) == 0


def test_export_command_line(tmp_path):
    from zoo.__main__ import main

    out = tmp_path / "ndnet45_e2.onnx"
    assert main(["export", "ndnet45", "--classes", "camvid", "--option", "expansion=2",
                 "--fp16-weights", "--out", str(out)]) == 0
    props = _metadata(out)
    assert props["name"] == "NDNet45 (e=2)"
    assert props["parameters"] == str(count_parameters(create("ndnet45", 11, expansion=2)))


def test_required_knobs_option_makes_knobs_plain_inputs(tmp_path):
    out = tmp_path / "fastscnn_required.onnx"
    export_network("fastscnn", "cityscapes", out, required_knobs=True)
    sess = session(out)
    assert [i.name for i in sess.get_inputs()] == ["image", "skip_gain", "skip_output_gain"]
    assert sess.get_overridable_initializers() == []
    x = np.random.default_rng(7).standard_normal((1, 3, 64, 128)).astype(np.float32)
    with pytest.raises(Exception):
        sess.run(None, {"image": x})  # required now: leaving it out is an error
    one = np.array(1.0, np.float32)
    assert sess.run(None, {"image": x, "skip_gain": one, "skip_output_gain": one})[0].shape \
        == (1, 19, 64, 128)


def test_shelfnet_shared_kernels_stay_shared_in_the_graph(tmp_path):
    # Each S-Block's two convolutions read one weight initializer, so the file holds the
    # parameters the network has, not a folded copy per batch norm.
    from zoo.models.shelfnet import SBlock
    torch.manual_seed(0)
    model = calibrate_batch_norm(create("shelfnet18", num_classes=NUM_CLASSES))
    graph = export_graph(model, tmp_path / "shelfnet18.onnx", spec("shelfnet18")["knobs"])
    readers = {}
    for node in graph.graph.node:
        if node.op_type == "Conv":
            readers[node.input[1]] = readers.get(node.input[1], 0) + 1
    shared = [name for name, count in readers.items() if count == 2]
    blocks = sum(isinstance(m, SBlock) for m in model.modules())
    assert blocks > 0 and len(shared) == blocks
    elements = sum(onnx.numpy_helper.to_array(i).size for i in graph.graph.initializer)
    assert elements < 1.01 * count_parameters(model)


def test_upgrading_an_old_export_gives_the_current_knob_meanings(tmp_path):
    # Files exported when skip_gain meant the output after BN: the graph edit must compute
    # exactly what today's PyTorch knobs do, and leave the network unchanged at default gains.
    from zoo.ablation import upgrade_knobs

    class OldMeaning(torch.nn.Module):  # the network as it was exported before the split
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, image, skip_gain=1.0):
            return self.model(image, skip_output_gain=skip_gain)

    torch.manual_seed(1)
    model = calibrate_batch_norm(create("fastscnn", num_classes=NUM_CLASSES))
    old = tmp_path / "fastscnn_old.onnx"
    onnx.save(export_graph(OldMeaning(model), old, {"skip_gain": 1.0}), str(old))
    upgraded = upgrade_knobs(old, tmp_path / "fastscnn_upgraded.onnx")
    x = np.random.default_rng(5).standard_normal((1, 3, 64, 128)).astype(np.float32)
    zero = np.array(0.0, np.float32)
    sess = session(upgraded)
    with torch.no_grad():
        for knob in ("skip_gain", "skip_output_gain"):
            reference = model(torch.from_numpy(x), **{knob: 0.0}).numpy()
            assert np.abs(sess.run(None, {"image": x, knob: zero})[0] - reference).max() < TOLERANCE
    kept = sess.run(None, {"image": x})[0]
    assert np.abs(kept - session(old).run(None, {"image": x})[0]).max() < 1e-5
