"""Quote separation: agreement of `split_message` with peer projects' test expectations.

The corpora in `bench/data/quote_corpora/<project>/cases.jsonl` are the test data of
email-reply-parser, talon, quotequail and mail-parser-reply (see the README there for
where each came from and its licence): a mail body, plain text or HTML, and what that
project's tests expect the reply (the writer's new text) to be.

Figures per corpus, for our split and for a baseline measured in the same run (no
splitting at all: the whole body is the writer's):

- *agree*: the share of cases whose expected reply equals the writer's text, all
  whitespace removed on both sides (renderers differ in line breaks). The writer's text is
  our `own` part, or `own` and `signature` together: some projects keep the sign-off in the
  reply and we keep it apart, which is no quoting error. For cases whose tests only say
  what the reply must and must not contain, agreement means every such check holds.
- *no leak*: the share of cases where no line of the writer's text (4 or more characters
  once whitespace is removed) is missing from the expected reply, that is where nothing of
  the quoted message leaks into what we call the writer's. This is the figure that matters
  for disclosure. Cases with only containment checks count as leaking when a must-not-
  contain text is in the writer's part.
- *ratio*: our share over the baseline's.

HTML inputs and expected HTML replies are turned into text for comparison by a plain tag
strip (not our splitter, so as not to grade ourselves with our own renderer).

    python bench/quotes.py                      # measure (a second or two)
    python bench/quotes.py --extract /tmp/peer  # rebuild cases.jsonl from the sdists

Extraction reads only test data: fixture files, and the string literals of the test
modules (parsed with `ast`, never imported or run).
"""

from __future__ import annotations

import argparse
import ast
import email
import html
import json
import re
import sys
import tarfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lookup.html_quotes import looks_like_html
from lookup.text_parts import split_message

DATA = Path(__file__).resolve().parent / "data" / "quote_corpora"
PROJECTS = ("email-reply-parser", "talon", "quotequail", "mail-parser-reply")
_WHITESPACE = re.compile(r"\s+")
_TAG = re.compile(r"<[^<>]{0,4000}>")
_HIDDEN = re.compile(r"<(script|style|head)\b.{0,200000}?</\1\s*>", re.IGNORECASE | re.DOTALL)
_MIN_LINE = 4


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    input: str
    expected: str | None = None
    contains: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()


@dataclass(slots=True)
class Tally:
    cases: int = 0
    agree: int = 0
    no_leak: int = 0
    seconds: float = 0.0
    disagreeing: list[str] = field(default_factory=list)


def squeeze(text: str) -> str:
    return _WHITESPACE.sub("", text)


def strip_tags(markup: str) -> str:
    """Text of `markup` by a plain tag strip (block ends become line breaks)."""
    without = _HIDDEN.sub(" ", re.sub(r"<!--.*?-->", " ", markup, flags=re.DOTALL))
    broken = re.sub(
        r"<(?:br|/p|/div|/li|/tr|/h\d|/blockquote)\b[^<>]{0,4000}>", "\n", without, flags=re.I
    )
    return html.unescape(_TAG.sub("", broken))


def load(project: str) -> list[Case]:
    path = DATA / project / "cases.jsonl"
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        cases.append(
            Case(
                id=row["id"],
                input=row["input"],
                expected=row.get("expected"),
                contains=tuple(row.get("contains", ())),
                excludes=tuple(row.get("excludes", ())),
            )
        )
    return cases


def judge(case: Case, own: str, signature: str) -> tuple[bool, bool]:
    """(agrees, leak-free) for the writer's text `own` (and `signature`) of `case`."""
    writer = f"{own}\n{signature}" if signature else own
    if case.expected is None:
        ok_in = all(
            squeeze(text) in squeeze(own) or squeeze(text) in squeeze(writer)
            for text in case.contains
        )
        clean = not any(squeeze(text) in squeeze(writer) for text in case.excludes)
        return ok_in and clean, clean
    expected = squeeze(
        strip_tags(case.expected) if looks_like_html(case.expected) else case.expected
    )
    # A project may keep the RFC 3676 "-- " line in the reply; we drop it with the sign-off.
    undelimited = squeeze(re.sub(r"(?m)^--[ ]?$", "", case.expected))
    agrees = bool({expected, undelimited} & {squeeze(own), squeeze(writer)})
    leak_free = all(
        len(squeeze(line)) < _MIN_LINE or squeeze(line) in expected for line in writer.split("\n")
    )
    return agrees, leak_free


def measure(cases: list[Case]) -> tuple[Tally, Tally]:
    ours, baseline = Tally(), Tally()
    for case in cases:
        started = time.perf_counter()
        parts = split_message(case.input)
        ours.seconds += time.perf_counter() - started
        agrees, clean = judge(case, parts.own, parts.signature)
        ours.cases += 1
        ours.agree += agrees
        ours.no_leak += clean
        if not agrees:
            ours.disagreeing.append(case.id)
        started = time.perf_counter()
        whole = strip_tags(case.input) if looks_like_html(case.input) else case.input
        baseline.seconds += time.perf_counter() - started
        agrees, clean = judge(case, whole.strip(), "")
        baseline.cases += 1
        baseline.agree += agrees
        baseline.no_leak += clean
    return ours, baseline


def share(count: int, total: int) -> float:
    return count / total if total else 0.0


def ratio(ours: float, base: float) -> str:
    return f"{ours / base:.2f}x" if base else "inf" if ours else "n/a"


def report(verbose: bool) -> None:
    print("quote separation: agreement with peer projects' test expectations")
    print(
        f"{'corpus':<20} {'cases':>5}  {'agree':>6} {'base':>6} {'ratio':>7}  {'no leak':>7} {'base':>6} {'ratio':>7}  {'ms':>6}"
    )
    totals = [Tally(), Tally()]
    for project in PROJECTS:
        path = DATA / project / "cases.jsonl"
        if not path.exists():
            print(f"{project:<20} (no cases.jsonl; run with --extract)")
            continue
        ours, base = measure(load(project))
        for total, tally in zip(totals, (ours, base), strict=True):
            total.cases += tally.cases
            total.agree += tally.agree
            total.no_leak += tally.no_leak
            total.seconds += tally.seconds
        _row(project, ours, base)
        if verbose and ours.disagreeing:
            print("    disagree:", ", ".join(ours.disagreeing))
    _row("all", totals[0], totals[1])


def _row(name: str, ours: Tally, base: Tally) -> None:
    agree, base_agree = share(ours.agree, ours.cases), share(base.agree, base.cases)
    clean, base_clean = share(ours.no_leak, ours.cases), share(base.no_leak, base.cases)
    print(
        f"{name:<20} {ours.cases:>5}  {agree:>6.1%} {base_agree:>6.1%} {ratio(agree, base_agree):>7}"
        f"  {clean:>7.1%} {base_clean:>6.1%} {ratio(clean, base_clean):>7}  {ours.seconds * 1000:>6.1f}"
    )


# -- extraction from the peer projects' source distributions (test data only)


def extract(sdists: Path) -> None:
    for project, reader in (
        ("talon", _talon),
        ("quotequail", _quotequail),
        ("email-reply-parser", _email_reply_parser),
        ("mail-parser-reply", _mail_parser_reply),
    ):
        archive = _find_sdist(sdists, project)
        if archive is None:
            print(f"{project}: no sdist in {sdists}")
            continue
        with tarfile.open(archive) as tar:
            files = {
                member.name.split("/", 1)[1]: tar.extractfile(member).read()  # type: ignore[union-attr]
                for member in tar.getmembers()
                if member.isfile() and "/" in member.name
            }
        cases = list(reader(files))
        out = DATA / project
        out.mkdir(parents=True, exist_ok=True)
        with (out / "cases.jsonl").open("w", encoding="utf-8") as handle:
            for case in cases:
                row: dict[str, Any] = {"id": case.id, "input": case.input}
                if case.expected is not None:
                    row["expected"] = case.expected
                if case.contains:
                    row["contains"] = list(case.contains)
                if case.excludes:
                    row["excludes"] = list(case.excludes)
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"{project}: {len(cases)} cases from {archive.name}")


def _find_sdist(folder: Path, project: str) -> Path | None:
    stem = project.replace("-", "_")
    found = sorted(folder.glob(f"{stem}-*.tar.gz")) + sorted(folder.glob(f"{project}-*.tar.gz"))
    return found[-1] if found else None


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace").replace("\r\n", "\n")


def _constants(function: ast.AST) -> dict[str, str]:
    """String constants assigned to names in `function` (msg_body = \"\"\"...\"\"\")."""
    found: dict[str, str] = {}
    for node in ast.walk(function):
        value = node.value if isinstance(node, ast.Assign) else None
        if (
            isinstance(node, ast.Assign)
            and isinstance(value, ast.Constant)
            and isinstance(value.value, str)
        ):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = value.value
    return found


def _string(node: ast.AST, names: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return names.get(node.id)
    return None


def _talon(files: dict[str, bytes]) -> Iterator[Case]:
    fixtures = {
        "REPLY_SEPARATED_BY_HR": _text(files["tests/fixtures/reply-separated-by-hr.html"]),
        "OLK_SRC_BODY_SECTION": _text(files["tests/fixtures/OLK_SRC_BODY_SECTION.html"]),
    }
    for module, method in (
        ("tests/text_quotations_test.py", "extract_from_plain"),
        ("tests/html_quotations_test.py", "extract_from_html"),
    ):
        tree = ast.parse(files[module])
        for function in tree.body:
            if not isinstance(function, ast.FunctionDef) or function.decorator_list:
                continue  # decorated tests change the library's limits
            names = {**fixtures, **_constants(function)}
            for number, node in enumerate(n for n in ast.walk(function) if isinstance(n, ast.Call)):
                if not (
                    isinstance(node.func, ast.Name)
                    and node.func.id == "eq_"
                    and len(node.args) >= 2
                ):
                    continue
                call = node.args[1]
                if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
                    continue
                if call.func.attr != method or not call.args:
                    continue
                expected, body = _string(node.args[0], names), _string(call.args[0], names)
                if expected is not None and body is not None and body.strip():
                    yield Case(id=f"{function.name}#{number}", input=body, expected=expected)
    for name, data in sorted(files.items()):
        if name.startswith("tests/fixtures/html_replies/") and name.endswith(".html"):
            yield Case(
                id=name.rsplit("/", 1)[1],
                input=_text(data),
                expected="Hi. I am fine.\n\nThanks,\nAlex",
            )
        if name.startswith("tests/fixtures/standard_replies/") and name.endswith(".eml"):
            reply = files.get(name[:-4] + "_reply_text")
            body = _plain_part(email.message_from_bytes(data))
            if body is not None:
                expected = _text(reply).strip() if reply is not None else "Hello"
                yield Case(id=name.rsplit("/", 1)[1], input=body, expected=expected)


def _plain_part(message: Message) -> str | None:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return payload.decode(part.get_content_charset() or "utf-8", "replace").replace(
                    "\r\n", "\n"
                )
    return None


def _quotequail(files: dict[str, bytes]) -> Iterator[Case]:
    for module in (
        "tests/test_quote.py",
        "tests/test_quote_html.py",
        "tests/test_unwrap.py",
        "tests/test_unwrap_html.py",
    ):
        tree = ast.parse(files[module])
        for function in tree.body:
            if not isinstance(function, ast.FunctionDef):
                continue
            for decorator in function.decorator_list:
                if not (isinstance(decorator, ast.Call) and len(decorator.args) == 2):
                    continue
                try:
                    names = ast.literal_eval(decorator.args[0])
                    rows = ast.literal_eval(decorator.args[1])
                except ValueError:
                    continue
                if "file" in names:
                    continue  # fixture files the sdist does not ship
                for number, row in enumerate(rows):
                    case = _quotequail_case(
                        f"{module.rsplit('/', 1)[1]}:{function.name}#{number}", row
                    )
                    if case is not None:
                        yield case


def _quotequail_case(case_id: str, row: tuple[Any, ...]) -> Case | None:
    body = row[0]
    if len(row) == 3:  # quote(): the visible parts with the intro line counted as quoted
        visible = [text for shown, text in row[2] if shown]
        return Case(id=case_id, input=body, expected="\n".join(visible))
    expected = row[1]
    if isinstance(expected, dict) and expected.get("type") in ("reply", "forward"):
        top = expected.get("text_top", expected.get("html_top", ""))
        return Case(id=case_id, input=body, expected=top)
    return None


def _tests_by_fixture(files: dict[str, bytes], module: str) -> Iterator[tuple[str, str, ast.AST]]:
    """(function name, fixture name, assertion) for each assertion in each test."""
    tree = ast.parse(files[module])
    for function in tree.body:
        if not isinstance(function, ast.ClassDef):
            continue
        for method in function.body:
            if not isinstance(method, ast.FunctionDef):
                continue
            fixture = None
            for node in ast.walk(method):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    match = re.fullmatch(r"test/emails/(\w+)\.txt", node.value)
                    if match:
                        fixture = match.group(1)
                if _method_call(node, "get_email") and node.args:  # type: ignore[attr-defined]
                    fixture = _string(node.args[0], {}) or fixture  # type: ignore[attr-defined]
            if fixture is None:
                continue
            for node in ast.walk(method):
                if _method_call(node, "assert"):
                    yield method.name, fixture, node


def _method_call(node: ast.AST, prefix: str) -> bool:
    """Whether `node` calls a method whose name starts with `prefix`."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr.startswith(prefix)
    )


def _fixture(project: str, name: str) -> str | None:
    path = DATA / project / "emails" / f"{name}.txt"
    return path.read_text(encoding="utf-8") if path.exists() else None


def _email_reply_parser(files: dict[str, bytes]) -> Iterator[Case]:
    # Expected replies come from the sdist's test module; the sdist ships no fixture
    # mails, so only those kept in emails/ (see the README) make cases.
    for name, fixture, node in _tests_by_fixture(files, "test/test_email_reply_parser.py"):
        body = _fixture("email-reply-parser", fixture)
        call = (
            node  # assertEqual(expected, parse_reply(...)) or assertEqual(reply.strip(), expected)
        )
        if body is None or not isinstance(call, ast.Call) or call.func.attr != "assertEqual":  # type: ignore[attr-defined]
            continue
        expected = next(
            (_string(arg, {}) for arg in call.args if _string(arg, {}) is not None), None
        )
        if expected is not None:
            yield Case(id=name, input=body, expected=expected)


def _mail_parser_reply(files: dict[str, bytes]) -> Iterator[Case]:
    checks: dict[tuple[str, str], dict[str, list[str]]] = {}
    for name, fixture, node in _tests_by_fixture(files, "test/test_email_reply_parser.py"):
        if not isinstance(node, ast.Call):
            continue
        kind, text = _reply_check(node)
        if kind is not None and text is not None:
            checks.setdefault((name, fixture), {}).setdefault(kind, []).append(text)
    for (name, fixture), found in checks.items():
        body = _fixture("mail-parser-reply", fixture)
        if body is None:
            continue
        exact = found.get("equals")
        yield Case(
            id=name,
            input=body,
            expected=exact[0] if exact else None,
            contains=tuple(found.get("contains", ())) if not exact else (),
            excludes=tuple(found.get("excludes", ())) if not exact else (),
        )


def _reply_check(call: ast.Call) -> tuple[str | None, str | None]:
    """What an assertion says of the latest reply's body: equals, contains or excludes."""

    def is_latest(node: ast.AST) -> bool:
        source = ast.unparse(node)
        return source in ("mail.replies[0].body", "mail.latest_reply", "mail.latest_reply.strip()")

    method = call.func.attr  # type: ignore[attr-defined]
    if method in ("assertIn", "assertNotIn") and len(call.args) == 2 and is_latest(call.args[1]):
        return ("contains" if method == "assertIn" else "excludes"), _string(call.args[0], {})
    if method == "assertTrue" and call.args and isinstance(call.args[0], ast.Compare):
        compare = call.args[0]
        if len(compare.ops) == 1 and is_latest(compare.comparators[0]):
            text = _string(compare.left, {})
            operator = compare.ops[0]
            if isinstance(operator, ast.Eq):
                return "equals", text
            if isinstance(operator, ast.In):
                return "contains", text
            if isinstance(operator, ast.NotIn):
                return "excludes", text
    return None, None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--extract", type=Path, metavar="DIR", help="rebuild the corpora from sdists in DIR"
    )
    parser.add_argument("--verbose", action="store_true", help="list the cases that disagree")
    args = parser.parse_args()
    if args.extract is not None:
        extract(args.extract)
        return
    started = time.perf_counter()
    report(args.verbose)
    print(f"total {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
