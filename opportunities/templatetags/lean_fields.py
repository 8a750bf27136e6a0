"""``{{ form.name|as_lean_field }}``: the markup ``as_crispy_field`` gives a field (up to
whitespace), written in Python by ``web.quick_fields.crispy_cell``, crispy's own for a
field it does not write. The criteria page shows every criterion's form, and crispy's
templates were most of its cost (``tests/criteria/test_lean_fields.py`` compares the two).
"""

from __future__ import annotations

from django import template

from opportunities.web.quick_fields import crispy_cell

register = template.Library()
register.filter("as_lean_field", crispy_cell)
as_lean_field = crispy_cell
