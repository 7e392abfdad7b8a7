"""gpubench: refuses clearly without a GPU; the reduced CPU protocol runs and writes a report."""
import pytest
import torch

from zoo.gpubench import main, paper_figure, time_forward


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a GPU")
def test_gpu_mode_without_gpu_exits_non_zero_with_one_line(capsys):
    assert main([]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "no CUDA GPU" in err


def test_cpu_mode_writes_a_report(tmp_path):
    out = tmp_path / "bench.md"
    assert main(["--device", "cpu", "--networks", "ndnet61", "fastscnn", "--burn-in", "1",
                 "--frames", "1", "--out", str(out)]) == 0
    text = out.read_text()
    assert "| ndnet61 | 302,998 | 256x512 | fp32 | eager |" in text
    assert "485.4 fps (Titan Xp)" in text  # the paper's figure beside ours
    assert "torch " + torch.__version__ in text


def test_time_forward_measures_something():
    assert time_forward(lambda x: x @ x, torch.randn(64, 64), torch.device("cpu"), 1, 3) > 0


def test_unknown_network_is_refused():
    assert main(["--device", "cpu", "--networks", "nonet"]) == 2


def test_paper_figures_are_recorded_beside_the_networks():
    assert paper_figure("fastscnn", (1024, 2048)).startswith("123.5")
    assert paper_figure("ndnet45", (1024, 2048)).startswith("54.34")
    assert paper_figure("shelfnet101", (512, 512)).startswith("42")
