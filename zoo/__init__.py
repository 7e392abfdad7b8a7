"""segbench model zoo: the seed segmentation networks in PyTorch, exported to ONNX for the engine."""
from zoo.registry import count_parameters, create, names, spec

__all__ = ["create", "names", "spec", "count_parameters"]
