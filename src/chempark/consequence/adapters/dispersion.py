"""JSON adapters for the dispersion models."""

from collections.abc import Callable
from typing import Any

MODELS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {}
