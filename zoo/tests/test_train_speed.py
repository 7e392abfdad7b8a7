"""`python -m zoo train-speed`, on real CamVid images at a tiny crop."""
import pytest

from zoo import train_speed


def test_more_steps_than_one_epoch_of_batches_are_measured(capsys):
    # 32 images make 4 batches of 8; 6 steps (one untimed) run into the next epochs
    assert train_speed.main(["ndnet29", "--threads", "1", "--steps", "5", "--crop", "64x96",
                             "--layouts", "NCHW,channels-last"]) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines()[2:]]
    assert [r[1] for r in rows] == ["NCHW", "channels-last"]
    assert all(float(r[6]) > 0 for r in rows)  # images/s


def test_a_misspelt_layout_is_refused_not_measured_as_nchw(capsys):
    with pytest.raises(SystemExit):
        train_speed.main(["ndnet29", "--layouts", "nchw,channels_last"])
    assert "unknown nchw, channels_last" in capsys.readouterr().err
