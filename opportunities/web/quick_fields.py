"""Forms drawn cheaply, the same markup as before: the one place that writes widgets and
crispy's fields in Python.

Django draws every widget through its template engine (an input, its attributes, each
option of a select, each radio), and crispy draws every field through a dozen more
templates: on the commit step (some sixty widgets and forty fields), the criteria page
(every criterion's form) and a friends' round page (its form for a new link) that was most
of the time spent.

``QuickRenderer`` writes the plain widgets (inputs, selects, text areas, radios and
checkboxes) as Django's own templates would, in Python; any other widget goes through the
templates as before. ``crispy_cell`` writes a field as crispy's ``as_crispy_field``
(bootstrap5 ``field.html``) does, up to whitespace: its classes, label, radio buttons,
errors and help, the widget by ``QuickRenderer`` whatever the form's renderer; a field it
does not know is crispy's own. Templates use it as ``{{ form.name|as_lean_field }}``
(``templatetags.lean_fields``), or a form hands it out (``learning.forms.commit``,
``friends.forms``). ``tests/criteria/test_lean_fields.py`` compares it with crispy."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from html import escape
from typing import Any

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.conf import settings
from django.forms.boundfield import BoundField
from django.forms.widgets import ChoiceWidget
from django.utils.safestring import SafeData, SafeString, mark_safe

from opportunities.web.forms import FormRenderer


def _e(value: Any) -> str:
    """``{{ value }}`` in a template: escaped unless already safe (``escape`` without its
    lazy-string wrapper, which cost more than the escaping on a form of sixty widgets)."""
    return str(value) if isinstance(value, SafeData) else escape(str(value))


_text = _e  # ``{{ value|stringformat:'s' }}``: the same, for the values Django writes.


@cache
def _name(name: str) -> str:
    """An attribute's name, escaped once: names come from the code, a few dozen in all."""
    return escape(name)


def _attrs(attrs: dict[str, Any]) -> str:
    """Django's ``attrs.html``: False leaves the attribute out, True writes its bare name."""
    return "".join(
        f" {_name(name)}" if value is True else f' {_name(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict[str, Any]) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{_text(value)}"'
    return (
        f'<input type="{_e(widget["type"])}" '
        f'name="{_e(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def _input_option(widget: dict[str, Any]) -> str:
    if not widget.get("wrap_label"):
        return _input(widget)
    target = widget["attrs"].get("id")
    label_for = f' for="{_e(target)}"' if target else ""
    return f"<label{label_for}>{_input(widget)} {_e(widget['label'])}</label>"


def _select(widget: dict[str, Any]) -> str:
    parts = [f'<select name="{_e(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _ in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_e(group_name)}">')
        for option in group_choices:
            parts.append(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_e(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(widget: dict[str, Any]) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{_e(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{_e(value) if value else ''}</textarea>"
    )


_WIDGETS = "django/forms/widgets/"
_DRAWN: dict[str, Callable[[dict[str, Any]], str]] = {
    **{
        f"{_WIDGETS}{kind}.html": _input
        for kind in ("text", "number", "date", "email", "url", "hidden", "checkbox")
    },
    f"{_WIDGETS}radio_option.html": _input_option,
    f"{_WIDGETS}checkbox_option.html": _input_option,
    f"{_WIDGETS}select.html": _select,
    f"{_WIDGETS}textarea.html": _textarea,
}


class QuickRenderer(FormRenderer):
    """The app's form renderer (lengths counted, ``web.forms``), the plain widgets drawn
    without the template engine; anything else as before."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        draw = _DRAWN.get(template_name)
        if draw is None:
            return super().render(template_name, context, request=request)
        return draw(context["widget"])


_QUICK = QuickRenderer()


def _widget(field: BoundField) -> str:
    """``str(field)``: the plain widgets written by ``QuickRenderer`` whatever renderer of
    the app's the form has; a renderer of its own, or a field of its own, as it says."""
    if (
        not isinstance(field.form.renderer, FormRenderer)
        or field.field.show_hidden_initial
        or type(field).as_widget is not BoundField.as_widget
    ):
        return str(field)
    # ``BoundField.as_widget``, with this renderer.
    widget = field.field.widget
    if field.field.localize:
        widget.is_localized = True
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    return widget.render(field.html_name, field.value(), attrs, renderer=_QUICK)


def _add_classes(widget: forms.Widget, extra: str) -> None:
    """What crispy's ``crispy_field`` tag does to the widget's classes (in place, as it
    does): its own name (``textinput``), then each of ``extra`` not there yet."""
    class_name = type(widget).__name__.lower()
    class_name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(class_name, class_name)
    css_class = widget.attrs.get("class", "")
    if not css_class:
        css_class = class_name
    elif css_class.find(class_name) == -1:
        css_class += f" {class_name}"
    words = css_class.split()
    css_class += "".join(f" {word}" for word in extra.split() if word not in words)
    widget.attrs["class"] = css_class


def _errors(field: BoundField, errors: Any) -> str:
    """``bootstrap5/layout/field_errors_block.html``."""
    if not errors:
        return ""
    ident = _e(field.auto_id)
    lines = "".join(
        f'<p id="error_{n}_{ident}"><strong>{_e(error)}</strong></p>'
        for n, error in enumerate(errors, start=1)
    )
    return f'<div id="{_e(errors.field_id)}_error" class="invalid-feedback">{lines}</div>'


def _help(field: BoundField) -> str:
    """``bootstrap5/layout/help_text.html`` (the help text is written as it is, as there)."""
    if not field.help_text:
        return ""
    where = f'id="{_e(field.auto_id)}_helptext" ' if field.auto_id else ""
    return f'<div {where}class="form-text">{field.help_text}</div>'


def _radio_options(field: BoundField, errors: Any) -> str:
    """``bootstrap5/layout/radio_checkbox_select.html``, the options from crispy's
    ``optgroups`` filter; the errors in the last option, as there."""
    widget = field.field.widget
    assert isinstance(widget, ChoiceWidget)
    id_ = widget.attrs.get("id") or field.auto_id
    attrs = field.build_widget_attrs({"id": id_} if id_ else {})
    values = widget.format_value(field.value())
    groups = list(widget.optgroups(field.html_name, values, attrs))
    invalid = " is-invalid" if errors else ""
    name = _e(field.html_name)
    parts = []
    for g, (group, options, _index) in enumerate(groups, start=1):
        if group:
            parts.append(f"<strong>{_e(group)}</strong>")
        for n, option in enumerate(options, start=1):
            last = g == len(groups) and n == len(options)
            parts.append(
                f'<div class="form-check"><input type="{_e(option["type"])}" '
                f'class="form-check-input{invalid}" name="{name}" '
                f'value="{_e(str(option["value"]))}"{_attrs(option["attrs"])}>'
                f'<label for="{_e(option["attrs"].get("id", ""))}" class="form-check-label"> '
                f"{_e(option['label'])} </label>{_errors(field, errors) if last else ''}</div>"
            )
    return f"<div >{''.join(parts)}</div>"


def _quick(field: Any) -> bool:
    """A field ``crispy_cell`` writes itself: crispy's own for anything else (a form with a
    layout helper, a file, several checkboxes, a widget of several widgets)."""
    if not isinstance(field, BoundField) or getattr(field.form, "helper", None) is not None:
        return False
    widget = field.field.widget
    return not (
        isinstance(widget, forms.FileInput | forms.CheckboxSelectMultiple)
        or hasattr(widget, "widgets")
        or hasattr(widget, "widget")
    )


def crispy_cell(field: Any) -> SafeString:
    """The field as crispy's bootstrap5 ``field.html`` writes it (``as_crispy_field``, up to
    whitespace), without its templates: a hidden field as its input, a checkbox in its
    ``form-check``, radio buttons in a fieldset, any other widget under its label with
    crispy's classes (``textinput form-control``, ``is-invalid`` when it has an error); then
    its errors and its help. The widget is ``QuickRenderer``'s. Anything else is crispy's."""
    if not _quick(field):
        return as_crispy_field(field)
    if field.is_hidden:
        return mark_safe(_widget(field))  # noqa: S308 - Django's widget, as crispy writes it
    widget = field.field.widget
    errors = field.errors
    form = field.form
    if hasattr(form, "required_css_class") or hasattr(form, "error_css_class"):
        wrapper = _e(field.css_classes())
        wrapper = f" {wrapper}" if wrapper else ""
    else:
        wrapper = ""
    required = field.field.required
    marked = " requiredField" if required else ""
    label = f" {_e(field.label)}" + ('<span class="asteriskField">*</span> ' if required else " ")
    ident = _e(field.auto_id)
    if isinstance(widget, forms.CheckboxInput):
        _add_classes(widget, "form-check-input is-invalid" if errors else "form-check-input")
        html = (
            f'<div class="mb-3"><div id="div_{ident}" class="form-check{wrapper}">'
            f'{_widget(field)}<label for="{_e(field.id_for_label)}" '
            f'class="form-check-label{marked}">{label}</label>'
            f"{_errors(field, errors)}{_help(field)}</div></div>"
        )
        return mark_safe(html)  # noqa: S308 - every value in it escaped, help text as crispy
    fieldset = field.use_fieldset and bool(field.label)
    head = ""
    if field.label:
        tag = "legend" if fieldset else "label"
        target = f'for="{_e(field.id_for_label)}" ' if field.id_for_label else ""
        size = " fs-6" if fieldset else ""
        head = f'<{tag} {target}class="form-label{marked}{size}">{label}</{tag}>'
    if isinstance(widget, forms.RadioSelect):
        body = _radio_options(field, errors) + _help(field)
    else:
        kind = "form-select" if isinstance(widget, forms.Select) else "form-control"
        _add_classes(widget, f"{kind} is-invalid" if errors else kind)
        body = f"{_widget(field)}{_errors(field, errors)}{_help(field)}"
    if fieldset:
        described = field.aria_describedby
        opening = f' aria-describedby="{_e(described)}"' if described else ""
        head = f"<fieldset{opening}>{head}"
        body += "</fieldset>"
    html = f'<div id="div_{ident}" class="mb-3{wrapper}">{head}{body}</div>'
    return mark_safe(html)  # noqa: S308 - every value in it escaped, help text as crispy


@dataclass(frozen=True)
class Radio:
    """One radio of a group: its input, and the id and words of its label."""

    tag: SafeString
    id: str
    label: str


def radios(field: BoundField) -> list[Radio]:
    return [Radio(radio.tag(), radio.id_for_label, radio.choice_label) for radio in field]
