"""Verification figures on labelled data: the adversarial set and the shared sample.

For tests/data/verification (its README says what each category is) the figures are given
per split and per category; for the shared sample in tests/data per group of its truth
(answerable emails, other emails, emails quoting someone else's reference, chat):

- count: enquiries;
- expected: enquiries that should verify (`expect_verified`; for the sample, answerable
  emails; officers in chat may be verified but are not counted as expected);
- right: verified for the record the enquiry is about, by a writer entitled to it (the
  subject proving it, or an officer in chat);
- wrong: verified otherwise: for a stranger, a relative or a third party, for a subject
  who gave no personal identifier, or for another record;
- missed: expected but not verified right;
- not verified: no verification at all;
- third party: decisions whose reasons mention "third party".

Each set is imported through the real import into a fresh SQLite database and every
enquiry is matched as `enquiry-desk match` does it. The held-out split is for reporting
only: never tune on it.

    python bench/verification.py
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.matching import Matcher, match_item
from storage import migrate
from storage.engine import make_engine, sqlite_url
from storage.records_import import import_file

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
TODAY = date(2026, 12, 7)


@dataclass
class Tally:
    count: int = 0
    expected: int = 0
    right: int = 0
    wrong: int = 0
    missed: int = 0
    unverified: int = 0
    third_party: int = 0

    def add(self, *, expected: bool, entitled: bool, decision: dict[str, Any]) -> None:
        self.count += 1
        self.expected += expected
        verified = bool(decision["verified"])
        ok = verified and entitled
        self.right += ok
        self.wrong += verified and not ok
        self.missed += expected and not ok
        self.unverified += not verified
        self.third_party += any("third party" in r for r in decision["reasons"])


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def decide_all(folder: Path, work: Path) -> dict[str, dict[str, Any]]:
    engine = make_engine(sqlite_url(work / f"{folder.name}.db"))
    migrate.upgrade(engine)
    import_file(engine, folder / "records.csv")
    matcher = Matcher(engine, today=lambda: TODAY)
    out = {}
    for item in read_jsonl(folder / "enquiries.jsonl"):
        out[item["id"]] = match_item(matcher, item)
    engine.dispose()
    return out


def table(title: str, groups: Iterable[tuple[str, Tally]]) -> None:
    print(f"\n{title}")
    head = ("", "count", "expected", "right", "wrong", "missed", "not verified", "third party")
    print(f"  {head[0]:<24}" + "".join(f"{h:>13}" for h in head[1:]))
    for name, t in groups:
        cells = (t.count, t.expected, t.right, t.wrong, t.missed, t.unverified, t.third_party)
        print(f"  {name:<24}" + "".join(f"{c:>13}" for c in cells))


def verification_set(decisions: dict[str, dict[str, Any]], truths: list[dict[str, Any]]) -> None:
    tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for t in truths:
        d = decisions[t["id"]]
        right_record = t["about"] is not None and d["reference"] == t["about"]
        entitled = right_record and (t["expect_verified"] or t["channel"] == "chat")
        for key in ((t["split"], t["category"]), (t["split"], "ALL"), ("all", "ALL")):
            tallies[key].add(expected=t["expect_verified"], entitled=entitled, decision=d)
    categories = sorted({t["category"] for t in truths})
    for split in ("dev", "heldout"):
        rows = [(c, tallies[(split, c)]) for c in categories if (split, c) in tallies]
        table(f"verification set, {split}", [*rows, ("ALL", tallies[(split, "ALL")])])
    table("verification set, both splits", [("ALL", tallies[("all", "ALL")])])


def sample_group(t: dict[str, Any]) -> str:
    if t["channel"] == "chat":
        return "chat"
    if t["adversarial"]:
        return "email, quoting another"
    return "email, answerable" if t["answerable"] else "email, not answerable"


def shared_sample(decisions: dict[str, dict[str, Any]], truths: list[dict[str, Any]]) -> None:
    tallies: dict[str, Tally] = defaultdict(Tally)
    for t in truths:
        d = decisions[t["id"]]
        in_acceptable = d["reference"] is not None and d["reference"] in t["acceptable"]
        chat = t["channel"] == "chat"
        expected = t["answerable"] and not chat
        entitled = in_acceptable and (t["answerable"] or chat)
        for key in (sample_group(t), "ALL"):
            tallies[key].add(expected=expected, entitled=entitled, decision=d)
    names = sorted(k for k in tallies if k != "ALL")
    table(
        "shared sample (tests/data)", [*[(n, tallies[n]) for n in names], ("ALL", tallies["ALL"])]
    )


def timed(label: str, work: Callable[[], dict[str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    start = time.perf_counter()
    result = work()
    print(f"{label}: {len(result)} enquiries in {time.perf_counter() - start:.1f} s")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Verification figures on labelled data.")
    parser.add_argument(
        "--set", type=Path, default=DATA / "verification", help="the adversarial set"
    )
    parser.add_argument("--sample", type=Path, default=DATA, help="the shared sample's copy")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        ours = timed("verification set", lambda: decide_all(args.set, work))
        sample = timed("shared sample", lambda: decide_all(args.sample, work))
    verification_set(ours, read_jsonl(args.set / "truth.jsonl"))
    shared_sample(sample, read_jsonl(args.sample / "truth.jsonl"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
