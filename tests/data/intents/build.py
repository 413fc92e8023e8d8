"""Build messages.jsonl from the hand-written batches and four small generators.

Batches added after the first build draw their own held-out third (`SEED + 2`), so the
earlier messages keep their split.

Run from the repository root: `.venv/bin/python tests/data/intents/build.py`. The output
is committed; run this only when a batch or a generator changes. The held-out third is a
seeded draw over the finished list, so it does not depend on which file a message came
from, and rebuilding with the same inputs gives the same split.

Each generator has its own phrasings and its own way of joining them, so no single
template shapes the set: web-form notes with identifiers, two questions in one message,
texting shorthand, and a sentence that must not count before the one that does.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).parent
SEED = 20261215
Row = tuple[list[str], str, str]  # intents (main first), subject, text


# The batches of the first build (630 messages with the generators). Batches added later
# are a second build with its own seeded draw, so that adding messages never moves an
# earlier message between dev and held-out.
FIRST_BATCHES = (
    "a_short",
    "b_angry",
    "c_confused",
    "d_hard",
    "e_texting",
    "f_multi",
    "g_holds",
    "h_pasted",
    "i_long",
    "j_mixed",
)
# The third build: batches written after reading dev failures, all of them dev, so the
# held-out part stays as it was.
DEV_ONLY_BATCHES = ("t_dev_weak",)
# The fourth build: fresh voices and situations written before any tuning on them, with
# their own held-out third (`SEED + 3`).
FOURTH_BATCHES = ("u_fresh_voices", "v_fresh_situations")


def _build_of(stem: str) -> str:
    if stem in FIRST_BATCHES:
        return "first"
    if stem in DEV_ONLY_BATCHES:
        return "dev_only"
    if stem in FOURTH_BATCHES:
        return "fourth"
    return "second"


def hand_written(build: str) -> Iterator[tuple[str, Row]]:
    """The hand-written messages of one build ("first", "second", "dev_only", "fourth")."""
    for path in sorted((HERE / "batches").glob("*.txt")):
        if _build_of(path.stem) != build:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            intents, subject, text = (part.strip() for part in line.split("||"))
            labels = [] if intents == "other" else intents.split(",")
            yield f"{path.stem}-{number:03d}", (labels, subject, text.replace("\\n", "\n"))


def _ref(rng: random.Random) -> str:
    return rng.choice(
        [
            f"ref {rng.randrange(10**9, 10**10)}",
            f"SR{rng.randrange(10**8, 10**9)}",
            f"reference 42{rng.choice('ABCDEF')}{rng.randrange(10**6, 10**7)}",
            f"the ticket for car reg {rng.choice(['AB12 CDE', 'yx19 kpl', 'LN70OPQ', 'wr65 tuv'])}",
            "my ticket",
        ]
    )


_FORM: dict[str, list[str]] = {
    "status": [
        "Could you let me know the progress of my penalty {ref}?",
        "Please can you tell me what stage my case {ref} is at.",
        "I'm writing to find out whether there is an update on {ref}.",
        "Is {ref} still outstanding or has it been closed?",
    ],
    "already_paid": [
        "I have paid {ref} in full and would like confirmation.",
        "Payment for {ref} was made online on Friday.",
        "Please note {ref} has been settled by card.",
    ],
    "how_to_pay": [
        "What payment methods are available for {ref}?",
        "I would like to pay {ref}, please send the payment details.",
        "Can I pay {ref} by cheque?",
    ],
    "documents_sent": [
        "I have returned the completed form for {ref}.",
        "My licence for {ref} was posted to you recorded delivery.",
        "Could you confirm receipt of my documents for {ref}?",
    ],
    "wants_course": [
        "I would like to book a place on the course for {ref}.",
        "Please could I take the awareness course offered for {ref}?",
        "I accept the course offer for {ref}.",
    ],
    "contest": [
        "I wish to dispute {ref}.",
        "I request a court hearing for {ref}.",
        "Please treat this as my appeal against {ref}.",
    ],
    "nominate_driver": [
        "The driver for {ref} was my colleague, details attached.",
        "I am nominating my wife as the driver for {ref}.",
        "For {ref}, my father was driving the vehicle.",
    ],
    "court_date": [
        "Please confirm the hearing date for {ref}.",
        "When will {ref} be heard in court?",
        "Which court is {ref} listed at?",
    ],
    "change_of_address": [
        "Please update the address held for {ref}; I have moved.",
        "My address for {ref} has changed to the one below.",
    ],
}
_OPEN = ["Dear Sir/Madam,", "Hello,", "Good morning,", "To whom it may concern,", "Hi,", ""]
_CLOSE = ["Many thanks", "Regards, J. Khan", "Kind regards\nSam", "Thanks in advance", ""]
_DOB = ["", "Date of birth 04/05/1977.", "DOB 1990-12-01.", "My postcode is LS6 2AB."]


def form_notes(rng: random.Random, count: int) -> Iterator[Row]:
    intents = sorted(_FORM)
    for _ in range(count):
        intent = rng.choice(intents)
        line = rng.choice(_FORM[intent]).format(ref=_ref(rng)).replace("  ", " ")
        parts = [rng.choice(_OPEN), f"{line} {rng.choice(_DOB)}".strip(), rng.choice(_CLOSE)]
        subject = rng.choice(["", "Enquiry", "Penalty notice", "Web form"])
        yield [intent], subject, "\n\n".join(part for part in parts if part)


_ASKS: dict[str, list[str]] = {
    "status": ["where do things stand", "is there any news", "has anything moved on"],
    "already_paid": ["I have already paid it", "it was paid last week"],
    "how_to_pay": ["how can I pay", "can I pay over the phone"],
    "documents_sent": ["did my licence arrive", "I posted the paperwork on Monday"],
    "wants_course": ["can I book the course", "I'd like to do the workshop"],
    "change_of_address": ["please note my new address", "I've moved house since"],
    "court_date": ["when is the hearing", "what is my court date"],
    "nominate_driver": ["my sister was driving", "the driver was my lodger"],
}
_JOIN = [". Also, ", "? And ", ", and also ", ". One more thing: ", "\n\nSecondly, "]
# Pairs a letter can answer together; contest with the course or a payment is left to
# the hand-written batches, where the label is decided message by message.
_PAIRS = [
    ("status", "change_of_address"),
    ("already_paid", "change_of_address"),
    ("documents_sent", "status"),
    ("how_to_pay", "change_of_address"),
    ("court_date", "change_of_address"),
    ("wants_course", "change_of_address"),
    ("nominate_driver", "status"),
    ("court_date", "status"),
    ("already_paid", "status"),
    ("how_to_pay", "status"),
]


def two_questions(rng: random.Random, count: int) -> Iterator[Row]:
    for _ in range(count):
        first, second = rng.choice(_PAIRS)
        one, two = rng.choice(_ASKS[first]), rng.choice(_ASKS[second])
        text = one[0].upper() + one[1:] + rng.choice(_JOIN) + two + rng.choice(["?", ".", ""])
        yield [first, second], "", text


_TEXTS: dict[str, list[str]] = {
    "status": ["any upd8 on my fine", "hw far along is my case", "nothin heard yet wots goin on"],
    "already_paid": ["paid it this mornin", "alrdy paid on the app"],
    "how_to_pay": ["how do i pay 4 this", "cn i pay by card"],
    "documents_sent": ["sent u the form back", "posted ma licence yday"],
    "wants_course": ["can i book the course", "id rather do the course"],
    "contest": ["im gonna appeal", "disputin this 100%"],
    "nominate_driver": ["my mum was drivin", "it was my bro drivin"],
    "court_date": ["wen is court", "wat date is my hearing"],
    "change_of_address": ["new addy pls update", "ive moved hse"],
    "complaint": ["wanna make a complaint", "that copper was so rude"],
}
_TAILS = ["", " x", " ta", " thx", " pls", "!!", " asap", " cheers"]


def texting(rng: random.Random, count: int) -> Iterator[Row]:
    intents = sorted(_TEXTS)
    for _ in range(count):
        intent = rng.choice(intents)
        text = rng.choice(_TEXTS[intent]) + rng.choice(_TAILS)
        if rng.random() < 0.3:
            text = rng.choice(["hi ", "hiya ", "hey ", "yo "]) + text
        yield [intent], "", text


# A first sentence that states no intent of the writer's own (negated, already done,
# someone else's), then the one that does.
_NOT_MINE = [
    "I don't want to go to court.",
    "My friend appealed his and won.",
    "I did a course years ago.",
    "I'm not contesting anything.",
    "My brother took his to court last year.",
    "I'm not going to dispute it.",
    "I won't be appealing.",
]
_THEN: dict[str, list[str]] = {
    "how_to_pay": ["How do I pay?", "Can I pay it online?", "Where do I send a cheque?"],
    "status": ["Is it still open?", "Any update?", "What's the latest?"],
    "already_paid": ["I've paid it already.", "It was paid yesterday."],
    "documents_sent": ["I've posted my licence.", "Please find attached the form."],
    "change_of_address": ["My address has changed.", "I've moved, new address below."],
}


def not_mine_then(rng: random.Random, count: int) -> Iterator[Row]:
    intents = sorted(_THEN)
    for _ in range(count):
        intent = rng.choice(intents)
        text = f"{rng.choice(_NOT_MINE)} {rng.choice(_THEN[intent])}"
        yield [intent], "", text


def main() -> None:
    rng = random.Random(SEED)
    rows: list[tuple[str, Row]] = list(hand_written("first"))
    generators = [(form_notes, 95), (two_questions, 60), (texting, 60), (not_mine_then, 60)]
    for generator, count in generators:
        name = generator.__name__
        seen: set[str] = set()
        for number, row in enumerate(generator(rng, count), 1):
            if row[2] in seen:
                continue
            seen.add(row[2])
            rows.append((f"gen-{name}-{number:03d}", row))
    draw = random.Random(SEED + 1)
    heldout = set(draw.sample(range(len(rows)), len(rows) // 3))
    # The second build (issue 15's new intents): the same rule, a third held out by a
    # seeded draw over its own list.
    later = list(hand_written("second"))
    second = random.Random(SEED + 2)
    heldout |= {len(rows) + i for i in second.sample(range(len(later)), len(later) // 3)}
    rows.extend(later)
    # The third build: all dev.
    rows.extend(hand_written("dev_only"))
    # The fourth build: its own third held out, drawn over its own list.
    fresh = list(hand_written("fourth"))
    fourth = random.Random(SEED + 3)
    heldout |= {len(rows) + i for i in fourth.sample(range(len(fresh)), len(fresh) // 3)}
    rows.extend(fresh)
    with (HERE / "messages.jsonl").open("w", encoding="utf-8") as out:
        for index, (key, (intents, subject, text)) in enumerate(rows):
            record = {
                "id": key,
                "text": text,
                "subject": subject,
                "intents": intents or ["other"],
                "split": "heldout" if index in heldout else "dev",
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(rows)} messages, {len(heldout)} held out")


if __name__ == "__main__":
    main()
