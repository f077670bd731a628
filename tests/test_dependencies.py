"""The import graph says the truth: no circles, and every import inside a function says why.

tests.dependencies reads the graph from the source, imports inside functions included;
these tests hold the apps in CHECKED to it. An app joins CHECKED once its circles are broken.
"""

import pytest

from tests.dependencies import report

CHECKED = ("catalogue", "search", "config")
# Benchmarks are moving to tests/bench/ (issue 19); drop these once they are gone from search/.
NOT_YET = ("search.bench", "search.management.commands.bench_")


def _checked(module):
    return module.split(".")[0] in CHECKED and not module.startswith(NOT_YET)


@pytest.fixture(scope="module")
def graph():
    return report()


def test_no_import_circle_touches_a_checked_app(graph):
    circles, _local = graph
    found = [group for group in circles if any(_checked(module) for module in group)]
    assert not found, "import circles:\n" + "\n".join("  " + " ↔ ".join(group) for group in found)


def test_every_import_inside_a_function_says_why(graph):
    _circles, local = graph
    silent = [item for item in local if _checked(item.module) and not item.reason]
    assert not silent, "imports inside functions without a reason comment:\n" + "\n".join(
        f"  {item.module}:{item.line} {item.target}" for item in silent
    )
