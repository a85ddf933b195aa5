"""YAML parsed once, with line numbers: how config.yml and the data files are read.

The loaders need both the data and the node tree (to say on which line a problem
is). Parsing twice in pure Python took a third of a second of every start; libyaml's
parser (in PyYAML's wheels) composes the tree once, ten times faster, and the data
is built from that same tree. Only YAML's safe tags are accepted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

# libyaml's parser where PyYAML was built with it; the same results in pure Python otherwise.
_BASE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BASE):  # type: ignore[misc,valid-type]
    """YAML's safe loader with dates left as text, for the models to parse.

    PyYAML turns an impossible date such as 2026-13-01 into a ValueError with no line;
    pydantic reports it at its key, like any other bad value.
    """

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _BASE.yaml_implicit_resolvers.items()
    }


_LOADER: type[yaml.SafeLoader] = _Loader


def parse(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line numbers) and the data ``yaml.safe_load`` would give, dates as text.

    Raises yaml.YAMLError, with the line in its ``problem_mark``, for text that is not YAML.
    """
    root = compose(text)
    if root is None:
        return None, None
    return root, yaml.SafeLoader("").construct_document(root)


def compose(text: str) -> yaml.Node | None:
    """Only the node tree (None for an empty document); raises yaml.YAMLError."""
    return yaml.compose(text, Loader=_LOADER)


# A problem found in a file: where (the keys and list positions down to it) and what.
Problem = tuple[tuple[str | int, ...], str]


def line_of(node: yaml.Node | None, location: tuple[str | int, ...]) -> int:
    """1-based line of the deepest key (or list item) that exists along an error location."""
    line = node.start_mark.line + 1 if node is not None else 1
    for part in location:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == str(part):
                    child, line = value_node, key_node.start_mark.line + 1
                    break
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            child = node.value[part]
            line = child.start_mark.line + 1
        if child is None:
            break
        node = child
    return line


def format_problems(path: Path, root: yaml.Node | None, problems: list[Problem]) -> str:
    """One line per problem: ``file:line: key.path: message``, as staff fix them."""
    lines = []
    for location, message in problems:
        key = ".".join(str(part) for part in location) or "(top level)"
        lines.append(f"{path}:{line_of(root, location)}: {key}: {message}")
    return "\n".join(lines)


def syntax_error(path: Path, error: yaml.YAMLError) -> str:
    """``file:line: not valid YAML: ...`` for text the parser refused."""
    mark = getattr(error, "problem_mark", None)
    line = f"{mark.line + 1}" if mark is not None else "1"
    problem = getattr(error, "problem", None) or str(error)
    context, context_mark = (
        getattr(error, "context", None),
        getattr(error, "context_mark", None),
    )
    if context and context_mark is not None and context_mark.line + 1 != int(line):
        # For an unclosed bracket the parser gives up lines later; say where it opened.
        problem += f" ({context}, opened at {path}:{context_mark.line + 1})"
    return f"{path}:{line}: not valid YAML: {problem}"
