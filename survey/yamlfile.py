"""YAML parsed once, with line numbers: how config.yml and the data files are read.

The loaders need both the data and the node tree (to say on which line a problem
is). Parsing twice in pure Python took a third of a second of every start; libyaml's
parser (in PyYAML's wheels) composes the tree once, ten times faster, and the data
is built from that same tree. Only YAML's safe tags are accepted.
"""

from __future__ import annotations

from typing import Any

import yaml

# libyaml's parser where PyYAML was built with it; the same results in pure Python otherwise.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line numbers) and the data ``yaml.safe_load`` would give.

    Raises yaml.YAMLError, with the line in its ``problem_mark``, for text that is not YAML.
    """
    root = compose(text)
    if root is None:
        return None, None
    return root, yaml.SafeLoader("").construct_document(root)


def compose(text: str) -> yaml.Node | None:
    """Only the node tree (None for an empty document); raises yaml.YAMLError."""
    return yaml.compose(text, Loader=_LOADER)
