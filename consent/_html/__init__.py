"""The HTML engine: a scanner (compiled, or pure Python) under a tokenizer, and the consent gate over it."""

from .gate import Blocking, Options
from .rewriter import Engine, Rewriter

__all__ = ["Blocking", "Engine", "Options", "Rewriter"]
