"""Where each word of a message stands: its clause, and what the clause says about it.

A cue phrase means an intent only when the writer states it for themselves, now. The
same words mean something else in "I don't want to contest" (negated), "I did a course
last month" (done already), "my friend contested hers and won" (someone else's story),
"the article says a driver contested his fine" (a report, as FOI requests quote) and
"should I contest or take the course?" (undecided). This module splits the words into
sentences and clauses and answers those questions for a word position; `intents` decides
which intents each question applies to.

Clauses end at sentence punctuation, commas, colons and brackets, and before a
conjunction that starts a new statement ("but", "and", "so", "because"): "I did the
course last year but I want to book it again" is two clauses, one done, one wanted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

__all__ = ["Reading", "read"]


def _bag(words: str) -> frozenset[str]:
    return frozenset(words.split())


_APOSTROPHE = re.compile(r"['’‘`]")
# The month, not the modal: "I appealed in May" wants nothing, "may I pay?" does. The month
# is read as "mai", a word no cue or context list holds.
_MONTH_MAY = re.compile(
    r"\b(in|since|of|early|late|mid|until|till|from|during|before|after|last|next|\d+"
    r"|\d+st|\d+nd|\d+rd|\d+th) may\b|\bmay(?= \d)"
)


def _month(match: re.Match[str]) -> str:
    return f"{match.group(1)} mai" if match.group(1) else "mai"


_PIECE = re.compile(r"[a-z0-9]+|[.!?;\n]+|[,:()/\[\]]| [-–] ")

_STARTS_CLAUSE = _bag("but and so because cos coz although though however whereas while unless")
# Apostrophes are removed before reading, so "don't" is "dont" and "I'll" is "ill".
_NEGATORS = _bag(
    "not no never dont doesnt didnt wont wouldnt shouldnt havent hasnt hadnt isnt arent"
    " wasnt werent nor neither refuse"
)
# "not sure", "don't know how to pay", "don't mind doing the course" negate nothing.
_NOT_NEGATED_BY_NEXT = _bag("sure know understand mind only just care")
_NEGATION_REACH = 6
_DONE = _bag(
    "did done completed attended finished went already previously ago last earlier before"
    " appealed contested disputed challenged"
)
_WANTED = _bag(
    "want wish like would will ill id can could may need please happy prefer intend"
    " going plan again another rebook reschedule shall how when where which"
)
_FIRST_PERSON = _bag("i me we us im ive id ill")
_OTHERS = _bag(
    "he she they someone somebody people others everyone friend friends mate mates"
    " neighbour neighbor colleague brother sister cousin dad mum mom father mother son"
    " daughter wife husband partner boss uncle aunt man woman lady guy bloke motorist"
    " drivers article story"
)
# A clause that starts "and ..." or "but ..." with no subject of its own keeps the last one.
_CARRIES_SUBJECT = _bag("and but")
_NEW_SUBJECT = _bag(
    "i me we us im ive id ill my our you your youve youre youd youll weve were it its this"
    " that the a there he she they hes shes theyve theyre his her their"
)
_REPORT = _bag("article newspaper reported reports press headline headlines bbc")
# "Any news?" asks for an update; "the news" and "a news story" report someone else's.
_REPORT_PAIRS = frozenset(
    {
        ("read", "that"),
        ("read", "about"),
        ("read", "in"),
        ("how", "many"),
        ("the", "news"),
        ("news", "story"),
        ("local", "news"),
    }
)
_ASKS_OWN_POINTS = frozenset({("many", "points")})
_STATISTICS = _bag("statistics figures percentage proportion")
_HEDGES = _bag("unsure undecided either considering deciding torn thinking wondering difference")
_HEDGE_PAIRS = frozenset({("not", "sure"), ("should", "i"), ("or", "should"), ("whether", "to")})
# Someone else's advice or claim: "someone told me I could appeal".
_HEARSAY_PAIRS = frozenset(
    {("told", "me"), ("said", "i"), ("says", "i"), ("told", "us"), ("said", "we")}
)
# "Someone told me to do a stat dec" is advice about the writer's own next step, not a claim.
_ADVICE_NEXT = _bag("to")
# A step the writer has already taken: "I made a stat dec", "we returned the nomination".
_STEP_TAKEN = _bag(
    "made did done swore sworn signed submitted filed lodged completed sent returned put"
)
_STEP_REACH = 3
# An intention given up: "I was going to dispute it but...".
_GIVEN_UP = frozenset({("was", "going"), ("was", "gonna"), ("thought", "about"), ("did", "think")})


@dataclass(frozen=True, slots=True)
class Reading:
    """The words of a text, each with its clause and sentence, and facts per clause."""

    words: tuple[str, ...]
    clause_of: tuple[int, ...]
    sentence_of: tuple[int, ...]
    clause_start: tuple[int, ...]  # first word position of each clause
    done_clauses: frozenset[int]  # says something was done already, and wants nothing
    story_clauses: frozenset[int]  # someone else is the subject, and nothing is wanted
    report_sentences: frozenset[int]  # a news report, or statistics about other people
    hedged_sentences: frozenset[int]  # the writer has not decided
    question_clauses: frozenset[int]  # ends in a question mark
    wanting_clauses: frozenset[int] = frozenset()  # holds a word of wanting, or asks

    def step_taken_before(self, position: int) -> bool:
        """True when the writer's verb of a step taken ("I made", "we submitted") comes
        just before `position` in a clause that wants nothing: "I made a stat dec last
        month" ("the notice was sent out of time" is not the writer's step)."""
        clause = self.clause_of[position]
        if clause in self.wanting_clauses:
            return False
        start = max(self.clause_start[clause], position - _STEP_REACH)
        return any(
            self.words[at] in _STEP_TAKEN and self.first_person_before(at)
            for at in range(start, position)
        )

    def negated(self, position: int) -> bool:
        """True when a negation earlier in the same clause reaches `position`."""
        start = max(self.clause_start[self.clause_of[position]], position - _NEGATION_REACH)
        for at in range(start, position):
            word = self.words[at]
            if word in _NEGATORS:
                following = self.words[at + 1] if at + 1 < len(self.words) else ""
                if following not in _NOT_NEGATED_BY_NEXT:
                    return True
        return False

    def hearsay_before(self, position: int) -> bool:
        """True when "told me", "said I" or the like comes earlier in the clause."""
        start = self.clause_start[self.clause_of[position]]
        return any(
            (self.words[at], self.words[at + 1]) in _HEARSAY_PAIRS
            and not (at + 2 < len(self.words) and self.words[at + 2] in _ADVICE_NEXT)
            for at in range(start, position - 1)
        )

    def first_person_before(self, position: int) -> bool:
        """True when "I", "me" or "we" comes earlier in the clause of `position`."""
        start = self.clause_start[self.clause_of[position]]
        return any(word in _FIRST_PERSON for word in self.words[start:position])


def read(text: str, max_words: int) -> Reading:
    """The reading of the first `max_words` words of `text`."""
    folded = _MONTH_MAY.sub(_month, _APOSTROPHE.sub("", text.lower()))
    words: list[str] = []
    clause_of: list[int] = []
    sentence_of: list[int] = []
    clause_start: list[int] = [0]
    clause_question: dict[int, bool] = {}
    clause, sentence = 0, 0
    pending_break, pending_sentence = False, False
    for match in _PIECE.finditer(folded):
        piece = match.group()
        if piece[0].isalnum():
            if words and (pending_break or piece in _STARTS_CLAUSE):
                clause += 1
                clause_start.append(len(words))
                if pending_sentence:
                    sentence += 1
            pending_break, pending_sentence = False, False
            words.append(piece)
            clause_of.append(clause)
            sentence_of.append(sentence)
            if len(words) >= max_words:
                break
        else:
            if "?" in piece:
                clause_question[clause] = True
            pending_break = True
            if any(mark in piece for mark in ".!?;\n"):
                pending_sentence = True
    clauses: dict[int, list[str]] = {}
    sentences: dict[int, list[str]] = {}
    for word, c, s in zip(words, clause_of, sentence_of, strict=True):
        clauses.setdefault(c, []).append(word)
        sentences.setdefault(s, []).append(word)
    done: set[int] = set()
    story: set[int] = set()
    wanting: set[int] = set()
    for c, clause_words in clauses.items():
        bag = set(clause_words)
        if bag & _WANTED or clause_question.get(c):
            wanting.add(c)
        if set(pairwise(clause_words)) & _GIVEN_UP:
            done.add(c)
            continue
        if c in wanting:
            continue
        if bag & _DONE:
            done.add(c)
        if set(clause_words[:3]) & _OTHERS:
            story.add(c)
        elif (
            c - 1 in story
            and len(clause_words) > 1
            and clause_words[0] in _CARRIES_SUBJECT
            and clause_words[1] not in _NEW_SUBJECT
        ):
            # "My friend was in an accident and never got the details": the subject of
            # the first clause carries on.
            story.add(c)
    report: set[int] = set()
    hedged: set[int] = set()
    for s, sentence_words in sentences.items():
        bag = set(sentence_words)
        pairs = set(pairwise(sentence_words))
        if ("how", "many") in pairs and _ASKS_OWN_POINTS & set(pairwise(sentence_words[1:])):
            # "How many points will I get?" asks about the writer's own case.
            pairs = pairs - {("how", "many")}
        if bag & _REPORT or bag & _STATISTICS or pairs & _REPORT_PAIRS:
            report.add(s)
        if bag & _HEDGES or pairs & _HEDGE_PAIRS:
            hedged.add(s)
    return Reading(
        tuple(words),
        tuple(clause_of),
        tuple(sentence_of),
        tuple(clause_start),
        frozenset(done),
        frozenset(story),
        frozenset(report),
        frozenset(hedged),
        frozenset(clause_question),
        frozenset(wanting),
    )
