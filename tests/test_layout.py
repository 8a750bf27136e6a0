"""The layout holds what the README says of it: every write goes through a feature's
services. (import-linter checks who may import what: ``make lint``.)"""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "opportunities"
WRITES = {
    "save",
    "delete",
    "create",
    "create_user",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}
"""Methods that write rows, on a model instance, a manager or a queryset."""
QUERYSET_WRITES = {"update"}
"""Methods that write when called on a queryset (``.filter(...).update(...)``); on a dict
(``widget.attrs.update``) they do not."""


def writes_in(source: str) -> list[str]:
    """The calls in ``source`` that write rows, as "line .method()"."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method, receiver = node.func.attr, node.func.value
        queryset_call = isinstance(receiver, ast.Call) or (
            isinstance(receiver, ast.Attribute) and receiver.attr == "objects"
        )
        if method in WRITES or (method in QUERYSET_WRITES and queryset_call):
            found.append(f"{node.lineno} .{method}()")
    return found


NOT_SERVICES = sorted(
    path
    for pattern in ("*/views.py", "*/forms.py", "*/fields.py", "*/queries.py", "*/core.py")
    for path in APP.glob(pattern)
    if path.parent.name != "models"
) + sorted((APP / "management" / "commands").glob("*.py"))


@pytest.mark.parametrize("path", NOT_SERVICES, ids=lambda p: str(p.relative_to(APP.parent)))
def test_only_services_write(path):
    assert writes_in(path.read_text()) == []


def test_the_check_finds_a_view_that_writes_for_itself():
    view = (
        "def view(request, form):\n"
        "    form.save()\n"
        "    Opportunity.objects.filter(pk=1).update(title='x')\n"
        "    request.user.delete()\n"
        "    form.fields['x'].widget.attrs.update({'class': 'y'})\n"
    )
    assert writes_in(view) == ["2 .save()", "3 .update()", "4 .delete()"]
