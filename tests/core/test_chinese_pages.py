"""Every page reads in Chinese, for every role, on the demo park.

The crawl starts from each role's menu (the navigation registry, so a module added later is walked
too), follows the links of every page to the first detail and edit page of each kind, and opens each
list once per value of its drop-down filters (status, level, kind ...), so a detail page is seen in
every state its objects have in the demo data. The visible text (no scripts, styles, attributes or
addresses) must hold none of the internal words a user should never meet: the models' field names,
the stored codes of their choices, ``None``/``True``/``False``, Django's ``object (3)`` and English
error words. Allowed on purpose: text in ``<code>`` (user names, identifiers, coordinates shown for
checking), ``<cite>`` (literature references) and ``<kbd>``.

The Django test client keeps it fast (no browser): about a thousand page loads.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from chempark.accounts import audit_display
from chempark.accounts.models import AuditEvent, User
from chempark.config import current
from chempark.core.actors import Actor, actor_for_user
from chempark.core.errors import Forbidden
from chempark.core.navigation import visible_items
from chempark.core.roles import Role
from chempark.monitoring import mqtt_accounts
from chempark.park.models import Enterprise

ROLES_DEMO_USERS = ("admin", "inspector", "dispatcher", "expert", "auditor", "secadmin", "ent1")
ENGLISH_ERROR_WORDS = frozenset(
    {
        "None",
        "True",
        "False",
        "null",
        "undefined",
        "NaN",
        "Error",
        "error",
        "Exception",
        "Traceback",
        "invalid",
        "Invalid",
        "required",
        "Required",
        "Forbidden",
        "denied",
        "Enter",
        "This",
        "must",
        "nan",
    }
)
ALLOWED_ELEMENTS = frozenset({"code", "cite", "kbd", "script", "style", "template", "textarea"})
SKIPPED_PATHS = re.compile(r"(\.xlsx|\.docx|\.pdf|\.json|\.atom|\.xml|/live/|/logout/|/i18n/)")
MAX_FILTER_OPTIONS = 12  # drop-downs longer than this list data (enterprises), not states
WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?: \((?=\d))?")  # "object (" only before a number
ADDRESS = re.compile(r"\S*/\S*|\S+@\S+")


def internal_words() -> frozenset[str]:
    """The field names and choice codes of every model of the platform, and English error words."""
    words: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("chempark."):
            continue
        for field in model._meta.concrete_fields:
            words.update({field.name, field.attname})
            words.update(str(code) for code, _label in field.flatchoices if isinstance(code, str))
    words = {w for w in words if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", w) and len(w) > 1}
    return frozenset(words | ENGLISH_ERROR_WORDS | {"object ("})


class PageText(HTMLParser):
    """The visible text of a page, its links and its filter drop-downs."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self.selects: dict[str, list[str]] = {}
        self._hidden = 0
        self._select: str | None = None
        self._in_filters = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ALLOWED_ELEMENTS:
            self._hidden += 1
        if tag == "a" and attributes.get("href"):
            self.links.append(str(attributes["href"]))
        if tag == "form":
            self._in_filters = attributes.get("role") == "search"  # a list's filters, not a tool's inputs
        if tag == "select" and self._in_filters and attributes.get("name"):
            self._select = str(attributes["name"])
            self.selects[self._select] = []
        if tag == "option" and self._select and attributes.get("value"):
            self.selects[self._select].append(str(attributes["value"]))
        for name in ("title", "placeholder", "aria-label", "alt"):
            if attributes.get(name):
                self.text.append(str(attributes[name]))

    def handle_endtag(self, tag: str) -> None:
        if tag in ALLOWED_ELEMENTS and self._hidden:
            self._hidden -= 1
        if tag == "select":
            self._select = None
        if tag == "form":
            self._in_filters = False

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)


def _kind_of(path: str) -> tuple[str, ...] | None:
    """What a link opens, without its ids: one detail page of each kind is enough."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    kwargs = tuple(sorted((k, str(v)) for k, v in match.kwargs.items() if not isinstance(v, int) and k != "uscc"))
    return (f"{match.namespace}:{match.url_name}", *(f"{k}={v}" for k, v in kwargs))


class Crawl:
    def __init__(self, client: Client, deny: frozenset[str]) -> None:
        self.client = client
        self.deny = deny
        self.seen: set[str] = set()
        self.kinds: set[tuple[str, ...]] = set()
        self.found: dict[str, set[str]] = defaultdict(set)
        self.failures: list[str] = []
        self.loads = 0

    def page(self, url: str, follow: bool = True) -> PageText | None:
        if url in self.seen:
            return None
        self.seen.add(url)
        response = self.client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        self.loads += 1
        if response.status_code == 302:  # the site root sends roles without the map to their first page
            return None
        if response.status_code != 200:
            self.failures.append(f"{url}: HTTP {response.status_code}")
            return None
        if not response["Content-Type"].startswith("text/html"):
            return None
        parsed = PageText()
        parsed.feed(response.content.decode())
        text = ADDRESS.sub(" ", " ".join(parsed.text))
        for word in WORD.findall(text):
            if word in self.deny:
                self.found[word].add(url)
        if follow:
            self.follow(url, parsed)
        return parsed

    def follow(self, url: str, parsed: PageText) -> None:
        base = urlsplit(url).path
        for name, values in parsed.selects.items():
            if 0 < len(values) <= MAX_FILTER_OPTIONS:
                for value in values:  # the list in each state, and the first detail page it links
                    filtered = self.page(f"{base}?{urlencode({name: value})}", follow=False)
                    if filtered is not None:
                        self.open_new_kinds(filtered, per_state=True)
        self.open_new_kinds(parsed, per_state=False)

    def open_new_kinds(self, parsed: PageText, *, per_state: bool) -> None:
        opened: set[tuple[str, ...]] = set()
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.netloc or not parts.path.startswith("/") or SKIPPED_PATHS.search(parts.path):
                continue
            kind = _kind_of(parts.path)
            if kind is None or kind in opened or (not per_state and kind in self.kinds):
                continue
            opened.add(kind)
            self.kinds.add(kind)
            self.page(parts.path)


@pytest.fixture
def demo_park(db: None) -> None:
    call_command("demo", "--no-serve", stdout=io.StringIO())


def issue_broker_accounts() -> None:
    """A broker account of every kind, one of them revoked, so their page is read with rows."""
    secadmin = actor_for_user(User.objects.get(username="secadmin"))
    enterprise = Enterprise.objects.order_by("pk").first()
    assert enterprise is not None
    gateway, _password = mqtt_accounts.enterprise_credential_issue(actor=secadmin, enterprise_id=enterprise.pk)
    # under a name of its own: the default chempark-ingest holds the stored code "ingest", which the
    # auditor's trail shows as the account's name (a name, not a leaked code, but the crawl cannot tell)
    mqtt_accounts.ingest_credential_issue(actor=secadmin, username="jieru-1")
    mqtt_accounts.positions_ingest_credential_issue(actor=secadmin)
    mqtt_accounts.position_platform_credential_issue(actor=secadmin, name="wuliu")
    mqtt_accounts.credential_revoke(actor=secadmin, credential_id=gateway.pk)


def crawl_as(username: str, deny: frozenset[str]) -> Crawl:
    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    crawl = Crawl(client, deny)
    starts = [reverse(item.url_name) for item in visible_items(actor_for_user(user))]
    for url in [*starts, reverse("accounts:password")]:
        parsed = crawl.page(url)
        if parsed is not None:
            crawl.kinds.add(_kind_of(url) or (url,))
    return crawl


def _report(crawls: dict[str, Crawl]) -> list[str]:
    lines = []
    for username, crawl in crawls.items():
        lines += [f"{username}: {failure}" for failure in crawl.failures]
        for word, urls in sorted(crawl.found.items()):
            lines.append(f"{username}: {word!r} on {len(urls)} page(s), e.g. {sorted(urls)[:3]}")
    return lines


def test_every_page_reads_in_chinese_for_every_role(demo_park: Any) -> None:
    deny = internal_words()
    assert {"object (", "None", "enterprise_id", "address"} <= deny
    # a password login, as people sign in (force_login leaves no row): the auditor's first page lists it
    signed_in = Client().post(
        reverse("accounts:login"),
        {"username": "inspector", "password": current().demo_password},
        REMOTE_ADDR="10.0.0.8",
    )
    assert signed_in.status_code == 302
    # every kind of object the demo's audit rows record is named by a model (the filter's drop-down
    # and the rows showed 「crew」, 「budget_indicator」 ...)
    recorded = AuditEvent.objects.values_list("object_type", flat=True).distinct()
    assert not sorted(t for t in recorded if audit_display.model_for(t) is None)
    # and every key they record by a word, not its name (「address」, 「transition」, 「project」)
    unlabelled = {
        (row.object_type, change.label)
        for row in AuditEvent.objects.all()
        for change in audit_display.changes(row.object_type, row.before, row.after)
        if re.fullmatch(r"[a-z][a-z0-9_]*", change.label)
    }
    assert not unlabelled, sorted(unlabelled)
    issue_broker_accounts()
    crawls = {username: crawl_as(username, deny) for username in ROLES_DEMO_USERS}
    assert crawls["admin"].loads > 60 and crawls["auditor"].loads >= 2, "the crawl reached the pages"
    broker_accounts = reverse("monitoring:mqtt-accounts")
    assert broker_accounts in crawls["secadmin"].seen, "the security administrator's menu leads to broker accounts"
    crawls["secadmin"].page(reverse("monitoring:mqtt-issued"))  # the one-time result, once its password is gone
    problems = _report(crawls)
    assert not problems, "\n".join(problems)


def test_the_crawl_sees_internal_words() -> None:
    """The parser finds a field name in text but not in an attribute, an address or a <code>."""
    parsed = PageText()
    parsed.feed(
        '<p data-x="enterprise_id">状态：filed <a href="/registry/unit/3/">单元</a> <code>kind</code></p>'
        '<form role="search"><select name="status"><option value="">全部</option><option value="filed">已备案</option>'
        "</select></form>"
    )
    text = ADDRESS.sub(" ", " ".join(parsed.text))
    assert WORD.findall(text) == ["filed"]
    assert parsed.links == ["/registry/unit/3/"]
    assert parsed.selects == {"status": ["filed"]}


def test_a_refusal_names_the_role_in_chinese() -> None:
    auditor = Actor(user_id=1, username="a", role=Role.AUDITOR)
    with pytest.raises(Forbidden) as refused:
        auditor.require("registry.write")
    assert refused.value.message == "审计员无权执行此操作。"
    assert refused.value.details == {"role": "auditor", "capability": "registry.write"}
