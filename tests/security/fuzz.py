"""Hostile requests for every form, every htmx endpoint and the import: one generator for
two runs.

``tests/security/test_fuzz.py`` sends a couple of thousand of them in process on every
test run; ``tests/security/fuzz_live.py`` (``make fuzz``) sends more than ten thousand to
gunicorn on PostgreSQL. Both send the same kinds of request, so a 5xx found by the long
run can be replayed in process, and both end the same way: every page of every account
must still answer 200.

Each request departs from what the real form sends (the endpoint's ``data`` in
``endpoints.ENDPOINTS``), so that all but the hostile part is valid and the hostile part
reaches the code that reads it. It is hostile in one of four ways:

* a value (``VALUE_CLASSES``: numbers of thousands of digits, 1e400, NaN, NUL and other
  control characters, 100,000 characters, bytes that are not UTF-8, wrong types, ...): in
  one field with the rest valid, so a value the field lets through goes on to be saved,
  and in every field at once, so every field's own checks meet every class; plain and by
  htmx;
* the shape: a field missing, sent twice with different values, sent 100 times, field
  names no form has;
* the body: charsets other than UTF-8 (``charset=utf-16``), JSON or multipart bodies where
  a form is expected, broken percent-encoding, too many fields, too large a body;
* the import: export files made hostile at every kind of value (``hostile_imports``).

``variant`` shifts which class goes to which field and which value of the class is
taken: variants 0 to ``len(VALUE_CLASSES) - 1`` between them put every class in every
field on its own.
"""

from __future__ import annotations

import itertools
import json
import urllib.parse
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.urls import reverse

from opportunities.accounts.forms import DeleteAccountForm, EmailForm, SignupForm
from opportunities.accounts.queries import CSV_TABLES, export_user_data
from opportunities.criteria.forms import CriterionForm, WeightForm
from opportunities.journal.forms import DecisionForm, JournalFilterForm, OutcomeForm
from opportunities.models import (
    Criterion,
    Decision,
    Evaluation,
    GutRanking,
    Opportunity,
    Person,
    Profile,
)
from opportunities.pay.forms import CompensationForm
from opportunities.pay.services import save_pay_settings
from opportunities.pay.settings_forms import PaySettingsForm
from opportunities.people.forms import PersonForm
from opportunities.pipeline.forms import OpportunityForm, StageForm
from opportunities.scoring.forms import CheckpointForm
from opportunities.timeline.forms import EntryForm
from opportunities.web.once import ONCE_FIELD
from tests.security.endpoints import ENDPOINTS, Endpoint, World, build_world

FORM = "application/x-www-form-urlencoded"
HUGE_DIGITS = "9" * 5000  # past Python's 4,300-digit limit for int("...")

VALUE_CLASSES: dict[str, tuple[str | bytes, ...]] = {
    "huge integer": (HUGE_DIGITS, "-" + HUGE_DIGITS, "9" * 100_000, "1" + "0" * 4300, "9" * 40),
    "1e400": ("1e400", "-1e400", "1e-400", "9.9e99999", "1" + "0" * 400 + ".5"),
    "NaN and infinity": ("NaN", "Infinity", "-inf", "sNaN", "nan", "∞", "-NaN"),
    "NUL": ("a\x00b", "\x00", "\x00" * 100),
    "control characters": ("\x01\x07\x08\x1b[31m\x7f", "x\x85\x9f", "\x0b\x0c", "\r"),
    "invisible unicode": ("\u202eevil\u202c", "\u200b\ufeff", "\u2028\u2029", "e\u0301" * 50),
    "oversized text": ("x" * 100_000, "𝓐" * 30_000, "word " * 20_000),
    "empty": ("", " ", "\t\r\n"),
    "wrong type": ("[]", "{}", "true", "null", "None", "1.5", "-1", "0", "[1, 2]", '{"a": 1}'),
    "odd digits": ("١٢٣", "１２", "½", "Ⅻ", "1_000", "0x1A", "1,5", " 7 ", "+5", "07"),
    "odd dates": ("2026-02-30", "0000-00-00", "99999-12-31", "0001-01-01", "9999-12-31", "-1-1-1"),
    "not UTF-8": (b"\xff\xfe", b"\xed\xa0\x80", b"\xc0\xaf", b"a\x80b"),
    "markup": ("<script>alert(1)</script>", "{{ 7|add:7 }}{% debug %}", "' OR 1=1 --", "%s%n"),
}

# Field names no form has: sent next to the real ones, each with a plain value.
HOSTILE_NAMES = (
    "",
    "\x00\u202e",
    "a" * 5000,
    "place-" + HUGE_DIGITS,
    "w" + HUGE_DIGITS,
    HUGE_DIGITS + "-value",
)

# What an htmx request says it targets: the page's fragments, and ids no page has.
HX_TARGETS = (
    "",
    "score-summary",
    "comparison",
    "journal-entries",
    "checkpoint-form",
    "<script>",
    "t" * 500,
)

# Fields no form of Crossroads reads (log-in reads ``next``): sent with hostile values
# next to every form's own when all of them are hostile at once.
GENERIC_FIELDS = ("next", "id")

MODEL_FORM_EXTRAS = ("loaded_version", ONCE_FIELD)

POST_FIELDS: dict[str, list[str]] = {
    "opportunities:opportunity_create": [*OpportunityForm.base_fields, *MODEL_FORM_EXTRAS],
    "opportunities:opportunity_edit": [*OpportunityForm.base_fields, *MODEL_FORM_EXTRAS],
    "opportunities:compensation": [*CompensationForm.base_fields, "preview", "loaded_version"],
    "opportunities:pay_settings": [*PaySettingsForm.base_fields, "loaded_version"],
    "opportunities:stage_move": list(StageForm.base_fields),
    "opportunities:opportunity_reopen": ["stage", "back_to"],
    "opportunities:opportunity_duplicate": [ONCE_FIELD],
    "opportunities:story_entry_add": [*EntryForm.base_fields, "back"],
    "opportunities:story_entry_edit": [*EntryForm.base_fields, "loaded_version", "back"],
    "opportunities:person_create": [*PersonForm.base_fields, *MODEL_FORM_EXTRAS],
    "opportunities:person_edit": [*PersonForm.base_fields, "loaded_version"],
    "opportunities:person_follow_up_done": ["back"],
    "opportunities:opportunity_follow_up_done": ["back"],
    "opportunities:checkpoint_create": [*CheckpointForm.base_fields, ONCE_FIELD],
    "opportunities:decision_create": [*DecisionForm.base_fields, *MODEL_FORM_EXTRAS],
    "opportunities:outcome_edit": [*OutcomeForm.base_fields, "loaded_version"],
    "opportunities:compare_weights": ["ids"],
    "opportunities:compare_gut_ranking": ["ids", "skip"],
    "opportunities:swing": ["ids", "order", "action", "move"],
    "opportunities:swing_preview": ["ids", "order", "move"],
    "opportunities:criterion_add": [*CriterionForm.base_fields, *MODEL_FORM_EXTRAS],
    "opportunities:criterion_update": [*CriterionForm.base_fields, "loaded_version"],
    "opportunities:criterion_weight": list(WeightForm.base_fields),
    "opportunities:criterion_move": ["direction"],
    "password_change": list(PasswordChangeForm.base_fields),
    "account_email": list(EmailForm.base_fields),
    "import_json": ["file"],
    "delete_account": list(DeleteAccountForm.base_fields),
    "login": [*AuthenticationForm.base_fields, "next"],
    "signup": list(SignupForm.base_fields),
}
GET_FIELDS: dict[str, list[str]] = {
    "opportunities:opportunity_create": ["status_quo"],
    "opportunities:journal": [*JournalFilterForm.base_fields, "page"],
    "opportunities:compare": ["ids", "gut", "money_a", "money_b"],
    "opportunities:compare_export": ["ids"],
    "opportunities:swing": ["ids"],
    "opportunities:story": ["order", "page"],
    "opportunities:story_entry_add": ["back"],
    "opportunities:person_detail": ["page"],
}
# Forms that read a field per criterion (w<criterion id>) or per option (place-<id>).
PER_CRITERION = {"opportunities:compare", "opportunities:compare_export"}

ANONYMOUS_DATA: dict[str, dict[str, str]] = {
    "login": {"username": "nobody-at-all", "password": "not-the-password"},
    "signup": {
        "username": "fuzzed-newcomer",
        "email": "",
        "password1": "a-long-fuzz-password-3",
        "password2": "a-long-fuzz-password-3",
    },
}

Value = str | bytes
Pairs = list[tuple[str, Value]]


@dataclass(frozen=True)
class Target:
    """One method of one URL, with the form data a real page sends to it."""

    name: str
    method: str
    path: str
    data: tuple[tuple[str, str], ...]
    fields: tuple[str, ...]
    fragments: tuple[str, ...] = ()


@dataclass(frozen=True)
class Case:
    """One hostile request, with what makes it hostile (``what``) for the report."""

    target: str
    what: str
    method: str
    path: str
    body: bytes = b""
    content_type: str = ""
    headers: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        headers = "".join(f"\n  {k}: {v}" for k, v in self.headers)
        body = self.body[:300] + (b"..." if len(self.body) > 300 else b"")
        kind = f"\n  Content-Type: {self.content_type}" if self.content_type else ""
        return (
            f"{self.target} [{self.what}]\n  {self.method} {self.path[:300]}{kind}{headers}"
            f"\n  body ({len(self.body):,} bytes): {body!r}"
        )


def _pairs(data: dict) -> tuple[tuple[str, str], ...]:
    """Form data as sent: a list value (a multiple choice) is the field sent once each."""
    return tuple(
        (name, str(item))
        for name, value in data.items()
        for item in (value if isinstance(value, list | tuple) else [value])
    )


def _fields(endpoint: Endpoint, world: World, method: str) -> tuple[str, ...]:
    data = endpoint.data(world) if method == "POST" else endpoint.query(world)
    known = POST_FIELDS if method == "POST" else GET_FIELDS
    names = [*data, *known.get(endpoint.name, [])]
    if method == "GET" and endpoint.name in PER_CRITERION:
        names.append(f"w{world.criterion.pk}")
    return tuple(dict.fromkeys(names))


LAST_TO_DELETE = {"opportunities:opportunity_delete", "delete_account"}


def targets(world: World, *, destructive: bool = False) -> list[Target]:
    """Every form and htmx endpoint of ``world``'s account: each POST endpoint, and each
    GET endpoint that reads a query. ``destructive`` picks the ones that delete (run them
    last, on an account of their own) instead of the others."""
    found = []
    for endpoint in ENDPOINTS:
        if endpoint.destructive != destructive:
            continue
        path = reverse(endpoint.name, kwargs=endpoint.kwargs(world))
        if "POST" in endpoint.methods:
            data = endpoint.data(world)
            if endpoint.name == "delete_account":
                # A wrong password: the account stays to take every other request, and
                # each field is still read and checked.
                data = data | {"password": "not-the-password"}
            fields = _fields(endpoint, world, "POST")
            found.append(Target(endpoint.name, "POST", path, _pairs(data), fields))
        if "GET" in endpoint.methods and endpoint.name in GET_FIELDS:
            query = _pairs(endpoint.query(world))
            fields = _fields(endpoint, world, "GET")
            found.append(Target(endpoint.name, "GET", path, query, fields, endpoint.fragments))
    # What deletes a story entry or a person goes before what deletes the opportunity or
    # the account they belong to, so that each meets a row to delete.
    return sorted(found, key=lambda t: t.name in LAST_TO_DELETE)


def anonymous_targets() -> list[Target]:
    """Log-in and sign-up, as someone not signed in sends them."""
    return [
        Target(name, "POST", reverse(name), _pairs(data), tuple(POST_FIELDS[name]))
        for name, data in ANONYMOUS_DATA.items()
    ]


def _encode(pairs: Pairs, *, encoding: str = "utf-8") -> bytes:
    return urllib.parse.urlencode(pairs, encoding=encoding, errors="replace").encode("ascii")


def _pick(values: tuple[Value, ...], n: int) -> Value:
    return values[n % len(values)]


def _as_text(value: Value) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value


def _multipart(pairs: Pairs, files: list[tuple[str, str, bytes]] = (), boundary: str = "") -> bytes:
    boundary = boundary or "fuzzboundary7MA4YWxkTrZu0gW"
    parts = []
    for name, value in pairs:
        raw = value if isinstance(value, bytes) else value.encode()
        head = f'Content-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"--{boundary}\r\n".encode() + head.encode() + raw + b"\r\n")
    for name, filename, content in files:
        head = (
            f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/json\r\n\r\n"
        )
        parts.append(f"--{boundary}\r\n".encode() + head.encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


MULTIPART = "multipart/form-data; boundary=fuzzboundary7MA4YWxkTrZu0gW"


CHARSET_BODIES = 7
"""How many of ``_bodies`` come first and are sent to every endpoint however sampled."""


def _bodies(pairs: Pairs) -> Iterator[tuple[str, str, bytes]]:
    """The same form data in bodies a form does not expect: (what, content type, body)."""
    text = _encode(pairs).decode()
    for charset in ("utf-16", "utf-32"):
        yield f"charset={charset}", f"{FORM}; charset={charset}", text.encode(charset)
    yield "charset=utf-16, percent-encoded", f"{FORM}; charset=utf-16", _encode(pairs)
    for charset in ("latin-1", "shift_jis"):
        yield f"charset={charset}", f"{FORM}; charset={charset}", _encode(pairs, encoding=charset)
    yield "unknown charset", f"{FORM}; charset=x-no-such-charset", _encode(pairs)
    yield "two charsets", f"{FORM}; charset=utf-8; charset=utf-16", _encode(pairs)
    # The charsets above go to every endpoint; the bodies below may be sampled.
    yield "a long parameter", f"{FORM}; " + "a=b;" * 1000, _encode(pairs)
    as_dict = {k: _as_text(v) for k, v in pairs}
    yield "JSON body", "application/json", json.dumps(as_dict).encode()
    yield "no content type", "", _encode(pairs)
    yield "multipart without a boundary", "multipart/form-data", _encode(pairs)
    yield "multipart form", MULTIPART, _multipart(pairs)
    yield "multipart cut short", MULTIPART, _multipart(pairs)[:-30]
    yield (
        "multipart, a 5,000-character boundary",
        "multipart/form-data; boundary=" + "b" * 5000,
        _multipart(pairs, boundary="b" * 5000),
    )
    yield "broken percent-encoding", FORM, b"%%&=&&%ZZ=%FF&a=%&" + _encode(pairs)
    yield "raw bytes that are not UTF-8", FORM, _encode(pairs) + b"&notes=\xff\xfe\xed\xa0\x80"
    yield "2,000 fields", FORM, _encode(pairs + [(f"f{i}", "1") for i in range(2000)])
    yield "a 3 MB body", FORM, _encode([*pairs, ("notes", "x" * 3_000_000)])


def hostile_requests(target: Target, *, variant: int = 0, sample: int = 1) -> Iterator[Case]:
    """The hostile requests for ``target`` (see the module's docstring). The shapes and
    bodies are sent by variants 0 and 1 only, one plain where the other is htmx.

    ``sample`` (for a quicker pass) sends one in ``sample`` of the unknown field names and
    of the bodies other than the charsets, a different one for each endpoint."""
    spread = zlib.crc32(target.name.encode())

    def sampled(n: int) -> bool:
        return (n + spread) % sample == 0

    base: Pairs = list(target.data)
    sent = dict(target.data)
    htmx_turn = itertools.count(variant)

    def case(what: str, pairs: Pairs, *, htmx: bool | None = None) -> Case:
        turn = next(htmx_turn)
        headers: tuple[tuple[str, str], ...] = ()
        if htmx is None:
            htmx = bool(turn % 2)
        if htmx:
            targets = target.fragments or HX_TARGETS
            headers = (("HX-Request", "true"), ("HX-Target", _pick(targets, turn // 2)))
        if target.method == "GET":
            query = _encode(pairs).decode()
            path = f"{target.path}?{query}" if query else target.path
            return Case(target.name, what, "GET", path, headers=headers)
        return Case(target.name, what, "POST", target.path, _encode(pairs), FORM, headers)

    def with_value(name: str, value: Value) -> Pairs:
        return [(k, v) for k, v in base if k != name] + [(name, value)]

    classes = list(VALUE_CLASSES.items())
    fields = target.fields
    # One field hostile, everything else as the form sends it, so a value the field lets
    # through goes on to be saved: field n gets class n + variant. Variants 0 to
    # len(VALUE_CLASSES) - 1 between them give every field every class.
    for n in range(max(len(classes), len(fields)) if fields else 0):
        name = fields[n % len(fields)]
        kind, values = classes[(n + variant) % len(classes)]
        htmx = bool((n + variant) % 2)
        yield case(f"{name}: {kind}", with_value(name, _pick(values, n + variant)), htmx=htmx)
    # Every field hostile at once, with the class's value of each: every field's own
    # checks meet every class, by htmx where the one-field request was plain and back.
    for c, (kind, values) in enumerate(classes):
        pairs = [(name, _pick(values, c + variant)) for name in (*fields, *GENERIC_FIELDS)]
        yield case(f"every field: {kind}", pairs, htmx=not c % 2)

    if variant >= 2:
        return  # what follows differs between variants only in which requests are htmx
    for name in sent:
        yield case(f"{name} missing", [(k, v) for k, v in base if k != name])
    yield case("no fields at all", [])
    for name in sent or target.fields[:1]:
        yield case(f"{name} twice", [*with_value(name, sent.get(name, "1")), (name, HUGE_DIGITS)])
    yield case("every field twice", base + [(k, _as_text(v) + "0") for k, v in base])
    if target.fields:
        yield case("one field 100 times", base + [(target.fields[0], "1")] * 100)
    for n, name in enumerate(HOSTILE_NAMES):
        if sampled(n):
            yield case(f"field named {name[:20]!r}", [*base, (name, _pick(("1", "x", ""), n))])

    if target.method == "GET":
        for what, query in (
            ("broken percent-encoding", "%%&=&&%ZZ=%FF&a=%"),
            ("bytes that are not UTF-8", "ids=%FF%FE%ED%A0%80&year=%C0%AF"),
            ("2,000 parameters", "&".join(f"p{i}=1" for i in range(2000))),
            ("2,000 ids", "ids=" + ",".join(str(i) for i in range(2000))),
            ("ids of thousands of digits", f"ids={HUGE_DIGITS},{HUGE_DIGITS}"),
        ):
            yield Case(target.name, what, "GET", f"{target.path}?{query}")
        return
    for n, (what, content_type, body) in enumerate(_bodies(base)):
        if n >= CHARSET_BODIES and not sampled(n):
            continue
        headers = (("HX-Request", "true"),) if (n + variant) % 2 else ()
        yield Case(target.name, what, "POST", target.path, body, content_type, headers)


# --- The import -------------------------------------------------------------------------------

_MARK = "__fuzz_value__"

# What replaces one value of an export: raw JSON text, so 1e400 and NaN stay themselves.
JSON_VALUES = (
    "1e400",
    "-1e400",
    "NaN",
    "Infinity",
    HUGE_DIGITS,
    "-1",
    "0",
    "1.5",
    "true",
    "null",
    '""',
    json.dumps("x" * 100_000),
    '"a\\u0000b"',
    '"bell\\u0007"',
    '"\\ud800"',
    '"\\u202e"',
    "[]",
    "{}",
    '"9999-12-31"',
    '"0001-01-01T00:30:00+01:00"',
    '"2026-02-30"',
    "[" * 1000 + "]" * 1000,
)

WHOLE_FILES: dict[str, bytes] = {
    "nested 100,000 deep": b"[" * 100_000 + b"]" * 100_000,
    "objects nested 50,000 deep": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    "1e400": b"1e400",
    "NaN": b"NaN",
    "a string with NUL": b'"\\u0000"',
    "empty": b"",
    "null": b"null",
    "a list": b"[]",
    "an object": b"{}",
    "a number of 5,000 digits": HUGE_DIGITS.encode(),
    "not UTF-8": b"\xff\xfe{\x00}\x00",
    "only the format": b'{"format": "crossroads-export", "version": 1}',
    "a version of 5,000 digits": b'{"format": "crossroads-export", "version": '
    + HUGE_DIGITS.encode()
    + b"}",
    "a version of 1e400": b'{"format": "crossroads-export", "version": 1e400}',
    "lists that are objects": b'{"format": "crossroads-export", "version": 1, '
    b'"criteria": {}, "opportunities": {}}',
    "larger than 5 MB": b'{"a": "' + b"x" * (5 * 1024 * 1024) + b'"}',
}


def _leaves(data: Any, path: tuple = ()) -> Iterator[tuple]:
    """The path of every value in ``data``, lists and objects included."""
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _leaves(value, (*path, index))


def _replaced(export: dict, path: tuple, raw: str) -> bytes:
    data = json.loads(json.dumps(export))
    holder = data
    for key in path[:-1]:
        holder = holder[key]
    holder[path[-1]] = _MARK
    return json.dumps(data).replace(json.dumps(_MARK), raw).encode("utf-8", "surrogatepass")


def hostile_imports(
    export: dict, *, variant: int = 0, sample: int = 1
) -> Iterator[tuple[str, bytes]]:
    """Export files made hostile, as (what, file content): whole files no export is, and
    ``export`` with one of its values replaced by one of ``JSON_VALUES``, at each field of
    each kind of row (the first row of every list), taking the values in turn so each is
    tried in several places. Another ``variant`` puts other values in those places, and
    sends the whole files only at 0; ``sample`` changes one field in ``sample``."""
    if variant == 0:
        yield "the export as it is", json.dumps(export).encode()
        yield from WHOLE_FILES.items()
        yield "with a byte-order mark", b"\xef\xbb\xbf" + json.dumps(export).encode()
        yield "in UTF-16", json.dumps(export).encode("utf-16")
        for key in ("format", "version", "criteria", "opportunities"):
            rest = {k: v for k, v in export.items() if k != key}
            yield f"{key} missing", json.dumps(rest).encode()
    paths = [p for p in _leaves(export) if p and all(k == 0 for k in p if isinstance(k, int))]
    for n, path in enumerate(paths):
        if (n + variant) % sample:
            continue
        raw = _pick(JSON_VALUES, n + variant)
        yield f"{'/'.join(map(str, path))} = {raw[:24]}", _replaced(export, path, raw)


def an_export() -> dict:
    """An export as a real account makes one, to make hostile: a world (criteria,
    opportunities, scores, a checkpoint, a decision, a gut ranking) with pay settings and
    an offer."""
    world = build_world(tag="export")
    save_pay_settings(profile=Profile(owner=world.user, currency="EUR"))
    Opportunity.objects.filter(pk=world.opportunity.pk).update(
        pay_basis="annual", pay_amount=Decimal(52_000), currency="EUR"
    )
    return json.loads(json.dumps(export_user_data(world.user)))


def import_cases(export: dict, *, variant: int = 0, sample: int = 1) -> Iterator[Case]:
    """``hostile_imports`` as uploads to the import form, some sent by htmx, and the upload
    itself made hostile (no file, a file under another name, an odd file name)."""
    path = reverse("import_json")
    imports = hostile_imports(export, variant=variant, sample=sample)
    for n, (what, content) in enumerate(imports):
        headers = (("HX-Request", "true"),) if n % 2 else ()
        body = _multipart([], [("file", "export.json", content)])
        yield Case("import_json", f"file: {what}", "POST", path, body, MULTIPART, headers)
    if variant:
        return
    valid = json.dumps(export).encode()
    for what, files in (
        ("no file", []),
        ("the file under another name", [("data", "export.json", valid)]),
        ("two files", [("file", "a.json", valid), ("file", "b.json", b"{}")]),
        ("a file name with NUL and ../", [("file", "../../x\x00.json", valid)]),
        ("a file name of 5,000 characters", [("file", "n" * 5000 + ".json", valid)]),
    ):
        yield Case("import_json", what, "POST", path, _multipart([], files), MULTIPART)


# --- The account afterwards -------------------------------------------------------------------

PAGES_PER_KIND = 10
"""Objects of each kind whose pages are checked, per account (the first ones made)."""


def account_pages(user, *, per_kind: int = PAGES_PER_KIND) -> list[tuple[str, tuple]]:
    """Every page of ``user``'s account, as (path, headers): each GET endpoint for each of
    their opportunities, checkpoints, decisions and people (the first ``per_kind`` of
    each), every CSV export, and each page's htmx fragments."""

    def first(model, *fields, **filters) -> list:
        rows = model.objects.for_user(user).filter(**filters).order_by("pk")
        return list(rows.values_list(*fields, flat=len(fields) == 1)[:per_kind])

    opportunities = first(Opportunity, "pk")
    checkpoints = first(Evaluation, "pk", "opportunity_id", frozen_at__isnull=False)
    decisions = first(Decision, "pk")
    people = first(Person, "pk")
    criteria = first(Criterion, "pk", archived_at__isnull=True)  # an archived one has no page
    ids = ",".join(map(str, opportunities[:2]))

    def world(opportunity=None, checkpoint=None, decision=None, person=None) -> SimpleNamespace:
        return SimpleNamespace(
            user=user,
            opportunity=SimpleNamespace(pk=opportunity),
            status_quo=None,
            criterion=SimpleNamespace(pk=criteria[0] if criteria else None),
            checkpoint=SimpleNamespace(pk=checkpoint),
            decision=SimpleNamespace(pk=decision),
            person=SimpleNamespace(pk=person) if person else None,
            ranking=None,
            ids=ids,
        )

    worlds = [world()]
    worlds += [world(opportunity=pk) for pk in opportunities]
    worlds += [world(opportunity=o, checkpoint=c) for c, o in checkpoints]
    worlds += [world(decision=pk) for pk in decisions]
    worlds += [world(person=pk) for pk in people]
    pages: dict[tuple[str, tuple], None] = {}
    for endpoint in ENDPOINTS:
        if "GET" not in endpoint.methods:
            continue
        for each in worlds:
            kwargs = endpoint.kwargs(each)
            if None in kwargs.values() or (endpoint.object_url and not kwargs):
                continue
            if endpoint.name == "export_csv":
                for table in CSV_TABLES:
                    pages[(reverse("export_csv", kwargs={"table": table}), ())] = None
                continue
            path = reverse(endpoint.name, kwargs=kwargs)
            query = endpoint.query(each)
            if query and ids:
                path += "?" + urllib.parse.urlencode(query)
            pages[(path, ())] = None
            for fragment in endpoint.fragments:
                pages[(path, (("HX-Request", "true"), ("HX-Target", fragment)))] = None
    return list(pages)


def reset_import_account(user) -> None:
    """Empty ``user``'s account again after an import went in, so the next file can be
    tried: an import only goes into an account without opportunities."""
    GutRanking.objects.for_user(user).delete()
    Opportunity.objects.for_user(user).delete()
