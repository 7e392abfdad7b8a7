"""Build every network by name, and keep the facts each one must match beside its definition.

    from zoo.registry import create, names, spec
    model = create("fastscnn", num_classes=19)

A network family registers a factory with `@register(name, **facts)`. `spec(name)` returns those
facts (paper, paper parameter count, default input size, knobs, aux loss weight, ...), so tests and
tools can walk the registry instead of repeating numbers.
"""
from __future__ import annotations

import copy
import importlib
from typing import Callable

import torch.nn as nn

_FACTORIES: dict[str, Callable[..., nn.Module]] = {}
_SPECS: dict[str, dict] = {}

# Modules that hold registered networks; imported on first use so `import zoo.registry` stays cheap.
_FAMILY_MODULES = ("zoo.models.fastscnn", "zoo.models.ndnet", "zoo.models.spssnet",
                   "zoo.models.shelfnet", "zoo.models.espnet")
_loaded = False

# Defaults every spec carries, so callers can read any key without guarding.
_SPEC_DEFAULTS = {
    "display_name": None,       # shown to users, e.g. "Fast-SCNN"
    "paper": None,              # reference
    "paper_params": None,       # parameter count the paper reports (None: not published)
    "paper_params_note": "",    # what the paper's figure refers to
    "input_size": (1024, 2048),  # default (H, W) the network is meant to run at
    "knobs": {},                # forward keyword -> default gain, exported as ONNX inputs
    "aux_weight": 0.0,          # auxiliary loss weight (0: no auxiliary heads)
    "reconstruction": False,    # True when rebuilt from an abstract, not a full paper
    "options": {},              # keyword options passed to the factory for this name
    "description": "",
    "paper_fps": {},            # "HxW" -> (fps, GPU) as reported by the paper
    "train_scale": (0.5, 2.0),  # the paper's random rescale range, `train --scale`'s default
}


def register(name: str, **facts):
    """Decorator: register `factory(num_classes, **options)` under `name` with its facts."""
    unknown = set(facts) - set(_SPEC_DEFAULTS)
    if unknown:
        raise KeyError(f"unknown spec keys for {name}: {sorted(unknown)}")

    def wrap(factory):
        if name in _FACTORIES:
            raise KeyError(f"network {name!r} registered twice")
        entry = copy.deepcopy(_SPEC_DEFAULTS)
        entry.update(facts)
        entry["name"] = name
        _FACTORIES[name] = factory
        _SPECS[name] = entry
        return factory

    return wrap


def _load_families():
    global _loaded
    if not _loaded:
        for module in _FAMILY_MODULES:
            importlib.import_module(module)
        _loaded = True


def names() -> list[str]:
    """Registered network names, in registration order."""
    _load_families()
    return list(_FACTORIES)


def spec(name: str) -> dict:
    """The facts registered beside network `name` (a copy: safe to modify)."""
    _load_families()
    if name not in _SPECS:
        raise KeyError(f"unknown network {name!r}; known: {', '.join(_FACTORIES)}")
    return copy.deepcopy(_SPECS[name])


def create(name: str, num_classes: int = 19, **options) -> nn.Module:
    """Build network `name` with `num_classes` outputs; options override the registered ones."""
    entry = spec(name)
    merged = dict(entry["options"])
    merged.update(options)
    return _FACTORIES[name](num_classes=num_classes, **merged)


def count_parameters(model: nn.Module, include_aux: bool = False) -> int:
    """Trainable parameters of the inference network.

    Auxiliary heads are training-only and are left out by default, as the papers count them.
    Shared parameters (ShelfNet's S-Block) are counted once.
    """
    seen = set()
    total = 0
    for pname, p in model.named_parameters():
        if not p.requires_grad or id(p) in seen:
            continue
        if not include_aux and pname.split(".")[0] == "aux_heads":
            continue
        seen.add(id(p))
        total += p.numel()
    return total
