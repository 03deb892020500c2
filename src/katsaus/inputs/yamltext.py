"""YAML of the inputs and parameters, read as plain data (yaml.SafeLoader) and within limits: the text's
length, how many values its aliases expand it to, and how deep it nests. A "billion laughs" of aliases is
refused before it is expanded. A text is parsed once in a process: a build reads its plan a few times."""

from __future__ import annotations

import copy
import functools

import yaml

from katsaus.errors import BadYAML

VALUES = 100_000  # values the document may hold once its aliases are expanded
DEPTH = 50  # levels of nesting


def load(text: str, size: int):
    """The plain data of a YAML text of at most `size` characters, its aliases and nesting bounded."""
    if len(text) > size:
        raise BadYAML(f"is {len(text)} characters long, more than the {size} allowed")
    try:
        return copy.deepcopy(_parsed(text))  # a copy: the caller may change what it is given
    except yaml.YAMLError as error:
        raise BadYAML(f"is not valid YAML: {error}") from None
    except RecursionError:
        raise BadYAML(f"nests deeper than {DEPTH} levels") from None


@functools.lru_cache(maxsize=64)
def _parsed(text: str):
    """The text's data, composed once, and constructed only once its aliases are counted."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded(node, {}, set(), 0)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _expanded(node: yaml.Node, sizes: dict[int, int], open_: set[int], depth: int) -> int:
    """How many values the node stands for with its aliases expanded (an alias is counted, not walked,
    once its node is known)."""
    if id(node) in sizes:
        return sizes[id(node)]
    if id(node) in open_:
        raise BadYAML("refers to itself through an alias")
    if depth > DEPTH:
        raise BadYAML(f"nests deeper than {DEPTH} levels")
    open_.add(id(node))
    if isinstance(node, yaml.MappingNode):
        children = [part for pair in node.value for part in pair]
    else:
        children = node.value if isinstance(node, yaml.SequenceNode) else []
    size = 1 + sum(_expanded(child, sizes, open_, depth + 1) for child in children)
    if size > VALUES:
        raise BadYAML(f"expands to more than {VALUES} values (aliases used as a bomb?)")
    open_.discard(id(node))
    sizes[id(node)] = size
    return size
