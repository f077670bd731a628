"""The import graph says the truth: no circles, and few imports inside functions, each saying why.

tests.dependencies reads the graph from the source, imports inside functions included (a
circle hidden in a function is still a circle); `python -m tests.dependencies` prints it.
"""

import pytest

from tests.dependencies import APPS, report

# An import inside a function is a circle someone hid, or a cost someone deferred: a handful, each explained.
MAX_LOCAL_IMPORTS = 10


def _checked(module):
    return module.split(".")[0] in APPS


@pytest.fixture(scope="module")
def graph():
    return report()


def test_no_import_circle_between_first_party_modules(graph):
    circles, _local = graph
    found = [group for group in circles if any(_checked(module) for module in group)]
    assert not found, "import circles:\n" + "\n".join("  " + " ↔ ".join(group) for group in found)


def test_every_import_inside_a_function_says_why(graph):
    _circles, local = graph
    silent = [item for item in local if _checked(item.module) and not item.reason]
    assert not silent, "imports inside functions without a reason comment:\n" + "\n".join(
        f"  {item.module}:{item.line} {item.target}" for item in silent
    )


def test_imports_inside_functions_stay_few(graph):
    _circles, local = graph
    assert len([item for item in local if _checked(item.module)]) <= MAX_LOCAL_IMPORTS
