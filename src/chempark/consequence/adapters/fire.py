"""JSON adapters for the fire models."""

from collections.abc import Callable
from typing import Any

MODELS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {}
