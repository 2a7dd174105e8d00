"""The HTML engine: a scanner (compiled, or pure Python), a tokenizer over it, and the consent gate."""

from .legacy import Blocking, HtmlRewriter, attr_value, attributes

__all__ = ["Blocking", "HtmlRewriter", "attr_value", "attributes"]
