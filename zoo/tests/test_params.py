"""Parameter counts at 19 classes against the papers (within 5%), walking the registry."""
import pytest

from zoo.params import format_table, rows
from zoo.registry import count_parameters, create, names, spec

EXPECTED_NAMES = {"fastscnn", "ndnet29", "ndnet45", "ndnet61", "ndnet29_wide", "spssnet",
                  "shelfnet18", "shelfnet50", "shelfnet101", "espnet"}


def test_registry_holds_exactly_the_seed_networks():
    assert set(names()) == EXPECTED_NAMES


@pytest.mark.parametrize("name", [n for n in names() if spec(n)["paper_params"]])
def test_parameter_count_within_5_percent_of_paper(name):
    count = count_parameters(create(name, num_classes=19))
    paper = spec(name)["paper_params"]
    assert abs(count - paper) / paper < 0.05, f"{name}: {count:,} vs paper {paper:,}"


def test_every_network_but_shelfnet_has_a_paper_count():
    missing = {n for n in names() if spec(n)["paper_params"] is None}
    assert missing == {"shelfnet18", "shelfnet50", "shelfnet101"}


def test_ndnet_e2_variants_are_narrower():
    for name in ("ndnet29", "ndnet45", "ndnet61"):
        assert count_parameters(create(name, expansion=2)) < count_parameters(create(name))


def test_shelfnet_counts_grow_with_backbone_depth():
    counts = [count_parameters(create(n)) for n in ("shelfnet18", "shelfnet50", "shelfnet101")]
    assert counts == sorted(counts) and counts[0] > 10_000_000


def test_aux_heads_are_not_counted():
    with_aux = create("fastscnn", aux=True)
    without = create("fastscnn", aux=False)
    assert count_parameters(with_aux) == count_parameters(without)
    assert count_parameters(with_aux, include_aux=True) > count_parameters(without)


def test_only_spssnet_is_a_reconstruction():
    assert [n for n in names() if spec(n)["reconstruction"]] == ["spssnet"]


def test_params_table_lists_every_network_and_variant():
    table = rows()
    labels = [r[0] for r in table]
    assert set(names()) <= set(labels)
    assert "ndnet45 expansion=2" in labels
    text = format_table(table)
    assert "(reconstruction)" in text and "1,110,000" in text
