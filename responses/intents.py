"""What the writer wants: one or more intents, with a confidence, robust to typos.

Each intent has cue phrases with a weight (how strongly the phrase alone means the
intent). A phrase is a sequence of slots, each slot a set of alternative words
("book|booking|attend"); "~N" between slots lets up to N other words stand in between.
A word that is not English (pyspellchecker's word list, `intent_spelling`) may match a
cue word within a small edit distance (transpositions count once), so "recieved my
lisence" still reads as sending documents; an English word matches only as written, so
"case" is never "chase" nor "complied" "complaint". Short words must match exactly:
"update me" (a status query) and "update my address" must not merge.

A cue counts only where the writer states the intent for themselves, now
(`intent_context`): not negated ("I don't want to contest"), not already done ("I did a
course last month"), not someone else's story ("my friend contested hers") or a report
an FOI request quotes. Which of these applies to which intent is set below: "I still
haven't heard" is a status query, and "my son was driving" names a driver.

An intent's score is the noisy-or of its counted cues' weights, lowered a little for
each typo corrected. The intents at or above `INCLUDE_AT` are returned, most confident
first; when the best score is below `CLEAR_AT` the message is unclear and the result
names no intent but "other", so that a clerk reads it without a guess. The same holds
when the writer asks for two things whose letters promise different outcomes (contest
and the course, contest and paying) with neither clearly leading, or is undecided
("should I contest or do the course?"): the result is "other", with those intents in
`candidates` for the clerk.

Only the writer's own words count: quoted earlier mail and signatures are cut off with
`lookup.text_parts.split_message`, which is harmless when the caller already did so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from lookup.text_parts import split_message
from responses.intent_context import Reading, read
from responses.intent_spelling import is_english_word

__all__ = [
    "ALREADY_PAID",
    "APPEAL",
    "CAMERA_SITE_COMPLAINT",
    "CHANGE_OF_ADDRESS",
    "CLEAR_AT",
    "COLLISION_ADMIN",
    "COMPLAINT",
    "CONSEQUENCES",
    "CONTEST",
    "COURT_DATE",
    "DOCUMENTS_SENT",
    "FOI",
    "HOW_TO_PAY",
    "INCLUDE_AT",
    "INTENTS",
    "IS_GENUINE",
    "LICENCE_QUESTION",
    "MITIGATION",
    "MORE_TIME",
    "NEW_INTENTS",
    "NOMINATE_DRIVER",
    "NOT_RECEIVED",
    "OTHER",
    "PLEA_BY_POST",
    "SEE_EVIDENCE",
    "STATUS",
    "STATUTORY_DECLARATION",
    "SUBJECT_ACCESS",
    "VICTIM_REVIEW",
    "WANTS_COURSE",
    "IntentResult",
    "detect_intents",
]

STATUS = "status"
ALREADY_PAID = "already_paid"
HOW_TO_PAY = "how_to_pay"
DOCUMENTS_SENT = "documents_sent"
WANTS_COURSE = "wants_course"
CONTEST = "contest"
NOMINATE_DRIVER = "nominate_driver"
COURT_DATE = "court_date"
CHANGE_OF_ADDRESS = "change_of_address"
COMPLAINT = "complaint"
SUBJECT_ACCESS = "subject_access"
FOI = "foi"
# Issue 15's vocabulary: what the office is really asked.
PLEA_BY_POST = "plea_by_post"
STATUTORY_DECLARATION = "statutory_declaration"
APPEAL = "appeal"
SEE_EVIDENCE = "see_evidence"
NOT_RECEIVED = "not_received"
LICENCE_QUESTION = "licence_question"
CONSEQUENCES = "consequences"
MITIGATION = "mitigation"
MORE_TIME = "more_time"
COLLISION_ADMIN = "collision_admin"
IS_GENUINE = "is_genuine"
VICTIM_REVIEW = "victim_review"
CAMERA_SITE_COMPLAINT = "camera_site_complaint"
OTHER = "other"

NEW_INTENTS: tuple[str, ...] = (
    PLEA_BY_POST,
    STATUTORY_DECLARATION,
    APPEAL,
    SEE_EVIDENCE,
    NOT_RECEIVED,
    LICENCE_QUESTION,
    CONSEQUENCES,
    MITIGATION,
    MORE_TIME,
    COLLISION_ADMIN,
    IS_GENUINE,
    VICTIM_REVIEW,
    CAMERA_SITE_COMPLAINT,
)

INTENTS: tuple[str, ...] = (
    STATUS,
    ALREADY_PAID,
    HOW_TO_PAY,
    DOCUMENTS_SENT,
    WANTS_COURSE,
    CONTEST,
    NOMINATE_DRIVER,
    COURT_DATE,
    CHANGE_OF_ADDRESS,
    COMPLAINT,
    SUBJECT_ACCESS,
    FOI,
    *NEW_INTENTS,
    OTHER,
)

# An intent is listed from this score; the message is clear when the best reaches CLEAR_AT.
INCLUDE_AT = 0.5
CLEAR_AT = 0.6

# The subject line is a weaker witness than the body ("Re: Complaint" may be old).
SUBJECT_FACTOR = 0.85
# Each corrected typo costs this much of a cue's weight.
TYPO_PENALTY = 0.08
# Words of the own text read; intents are stated early, and the bound keeps a pasted
# wall of text cheap.
MAX_WORDS = 600

_DOCS = (
    "licence|license|licences|documents|document|paperwork|photocard|insurance|certificate"
    "|mot|form|forms"
)
_SENT = (
    "posted|sent|returned|mailed|submitted|enclosed|delivered|dropped|emailed|handed|gave|brought"
)
# "I send you my licence" says it is on its way; "do I need to send my licence?" asks.
_SEND_NOW = "send|give"
# Where a licence comes from: "a Polish licence", "a licence issued in Spain".
_ABROAD = (
    "abroad|foreign|overseas|eu|european|international|country|outside|irish|polish|american"
    "|australian|romanian|spanish|french|german|italian|indian|us|canadian|nigerian|lithuanian"
    "|latvian|bulgarian|portuguese|dutch|belgian|chinese|pakistani|brazilian|ukrainian|turkish"
    "|greek|hungarian|czech|slovak|swiss|swedish|danish|ghanaian|kenyan|south|spain|france"
    "|germany|italy|poland|ireland|romania|lithuania|latvia|bulgaria|portugal|nigeria|canada"
    "|australia|india|pakistan|ukraine|usa|america|dubai|uae"
)
_PAYABLE = "ticket|fine|penalty|notice|it|this|that|amount|charge|balance"
_PEOPLE_NOUNS = (
    "wife|husband|son|daughter|partner|friend|colleague|brother|sister|mother|mum|mom|father"
    "|dad|employee|boyfriend|girlfriend|driver|nephew|niece|cousin|flatmate|lodger|uncle|aunt"
    "|grandson|granddaughter|stepson|stepdaughter|sis|bro|bf|gf|mate|m8|fiance|fiancee"
)
_PEOPLE = "he|she|they|someone|somebody|" + _PEOPLE_NOUNS

# Each phrase is "slot slot ...", a slot being alternatives; "~N" lets N other words stand
# between two slots; a leading "?" or "!" keeps the phrase to questions or statements. Real English words match only as written (see intent_spelling), so
# each inflection a writer uses is listed.
_CUES: Mapping[str, tuple[tuple[str, float], ...]] = {
    STATUS: (
        ("current status", 0.9),
        ("status of|on|update", 0.85),
        ("what|whats ~2 status", 0.85),
        ("status", 0.6),
        ("where are we|things ~1 with|are", 0.85),
        ("where ~2 things|matters|it|this|that ~1 stand|stands|are", 0.85),
        ("where ~3 up to", 0.85),
        ("where is|are my|the ~1 case|ticket|fine|notice|summons|claim|report|matter", 0.8),
        ("whats|what|wots|wat ~1 happening|happened|happenin|happen", 0.85),
        ("whats|what|wots|wat ~2 going|goin on", 0.8),
        ("what happens next|now", 0.8),
        ("any|an update|updates|news|progress|word|upd8|updt", 0.85),
        ("no update|updates|news|reply|response|word", 0.8),
        ("update me|us", 0.85),
        (
            "not|havent|hasnt|never heard|had|herd ~2 anything|back|nothing|nothin|word|reply"
            "|response|news",
            0.8,
        ),
        ("heard|herd nothing|nothin", 0.8),
        ("nothing|nothin heard|herd|yet", 0.7),
        ("nobody|noone|anyone ~2 got|get|gets ~1 back", 0.8),
        ("decision|outcome", 0.6),
        ("is|been|has ~3 closed|finished|concluded|resolved|processed", 0.75),
        ("?has|have|is|was ~3 been|it|this ~1 paid|received", 0.8),
        ("latest", 0.75),
        ("far along", 0.8),
        ("anything|things moved on", 0.8),
        ("still waiting|wait", 0.8),
        ("still live|open|active|ongoing|valid|outstanding|pending", 0.8),
        ("progress of|on|with", 0.75),
        ("chase|chasing", 0.55),
        ("chasing|following up", 0.75),
        ("can|could someone|anyone|you check", 0.6),
        ("what stage", 0.8),
        ("situation ~1 of|with", 0.75),
        ("latest on", 0.8),
        ("has|have anything ~1 happened", 0.8),
        ("is|are there ~1 anything ~1 outstanding", 0.7),
        ("how long ~4 take|takes|taking", 0.8),
        ("how much longer", 0.8),
        ("?gone|go|went through", 0.8),
        ("where are things|we ~1 now|at", 0.85),
        # "is the case finish or not", "is that the end of it now?"
        (
            "is|has ~3 case|matter|ticket|fine|it|this|that ~1 finish|finished|over|done|closed|ended",
            0.8,
        ),
        ("?end of ~1 it|matter", 0.8),
        ("anyone|someone|somebody ~1 dealing|looking|handling|working", 0.8),
        ("any joy", 0.85),
        # "has the notice been cancelled like the officer said?" asks how it stands.
        ("?has|have|is|was ~3 been ~1 cancelled|dropped|withdrawn|quashed", 0.8),
        ("current ~1 position|situation|state", 0.85),
        ("?has|have|is|was ~3 result|outcome|decision ~3 been|come|out|recorded|known", 0.8),
    ),
    ALREADY_PAID: (
        ("already|alrdy|allready paid|payed|settled", 0.95),
        ("already|alrdy ~1 make|made|done ~1 payment", 0.85),
        # "It has been paid" says so; "has it been paid?" asks where things stand.
        ("!was|been|is|its paid|payed|settled", 0.8),
        ("money ~3 left|taken|gone ~2 account|card|bank", 0.8),
        ("have|had|has|ive|weve|hes|shes paid|payed|settled", 0.85),
        ("i|we|they paid|payed|settled", 0.85),
        (_PEOPLE + " paid|payed|settled", 0.8),
        (
            "paid ~3 full|online|twice|already|yesterday|today|last|week|morning|mornin"
            "|ystrday|yday",
            0.8,
        ),
        ("made ~1 payment|payments", 0.8),
        ("!paid by|with|using|via|over ~3 card|debit|credit|cheque|phone|bank|transfer", 0.8),
        ("!paid the|my ~1 fine|ticket|penalty|notice|charge", 0.75),
        ("payment ~7 made|taken|sent|went|gone|debited|cleared|received", 0.8),
        ("posted|sent ~2 cheque|payment", 0.8),
        ("taken from my ~1 account|card", 0.8),
        ("proof of payment", 0.7),
        ("receipt ~2 payment", 0.6),
        ("refund", 0.6),
        ("reminder letter|letters", 0.35),
        ("still getting|receiving ~1 letters|reminders", 0.4),
    ),
    HOW_TO_PAY: (
        ("how|hw ~3 pay", 0.9),
        ("how|hw long ~4 pay", 0.9),
        ("where|whr ~3 pay", 0.85),
        ("where|whr ~4 send ~3 payment|cheque|money", 0.9),
        ("can|may|could i|we ~2 pay", 0.8),
        ("way|ways ~2 to pay", 0.8),
        ("too late ~2 pay", 0.75),
        ("want|like|wish|need|trying|happy|willing|prepared ~1 to pay", 0.75),
        ("pay ~2 " + _PAYABLE, 0.55),
        (
            "pay by|over|with|online|via ~1 card|phone|cheque|bank|transfer|online|post|website|instalments",
            0.75,
        ),
        ("make ~1 payment|payments", 0.8),
        ("payment options|methods|method|details|link|website|page|plan", 0.8),
        ("instalments|installments", 0.8),
        ("bank details", 0.75),
        ("payable to", 0.8),
        ("want|like|wish ~1 to settle", 0.8),
        ("cannot|cant|unable ~1 afford", 0.6),
        ("how much ~2 owe|pay|cost|due", 0.75),
        ("how much is it|this", 0.75),
    ),
    DOCUMENTS_SENT: (
        (_SENT + " ~3 " + _DOCS, 0.85),
        ("!" + _SEND_NOW + " ~3 " + _DOCS, 0.85),
        ("received|receive|got|get ~3 my ~2 " + _DOCS, 0.85),
        ("has|have it|they arrived", 0.6),
        ("did ~3 arrive", 0.7),
        (_DOCS + " ~1 attached|enclosed", 0.8),
        (_DOCS + " ~3 in the post", 0.8),
        ("handed ~3 in", 0.6),
        (_DOCS + " ~2 back", 0.75),
        ("produce|produced|producing ~3 " + _DOCS, 0.85),
        ("find|see|have attached|enclosed", 0.75),
        ("attached|attaching|enclosing ~3 " + _DOCS + "|copy|copies|scan", 0.8),
        (
            "posted|sent|mailed|emailed|returned it|them|this|everything ~2 today|yesterday|off"
            "|back|2day|yday",
            0.8,
        ),
    ),
    WANTS_COURSE: (
        ("awareness course|courses|workshop", 0.9),
        ("speed|driver ~1 awareness", 0.8),
        (
            "book|booking|booked|attend|attending|do|take|taking|complete|rebook|reschedule"
            " ~3 course|workshop",
            0.9,
        ),
        ("instead of ~1 points|penalty|fine", 0.85),
        ("eligible|offered|offer ~1 me ~2 course", 0.85),
        ("go|going with|for ~2 course|workshop", 0.85),
        ("missed ~2 course|workshop", 0.8),
        ("accept|accepting|choose|opt|prefer|happy ~4 course|workshop", 0.85),
        ("course ~3 link|place|date|provider|booking|instead|option|please", 0.7),
        ("course", 0.3),
    ),
    CONTEST: (
        (
            "contest|contesting|contested|dispute|disputing|disputed|challenge|challenging"
            "|appeal|appealing|appealed",
            0.9,
        ),
        ("not guilty", 0.9),
        ("plead|pleading", 0.4),
        ("request|requesting|requested|apply|demand|elect|opt ~3 hearing|trial", 0.9),
        ("want|wish|like|need ~3 hearing|trial", 0.85),
        ("want|wish|like|prefer|choose|elect ~1 to ~1 go|take|fight|have ~3 court|trial", 0.85),
        ("take ~2 to court", 0.85),
        ("day in court", 0.9),
        ("fight|fighting ~3 this|it|ticket|fine|charge|case|penalty", 0.8),
        ("thrown|chucked|kicked out", 0.8),
        ("throw|chuck ~2 out", 0.8),
        ("falsely|wrongly|wrongfully|unfairly accused|fined|charged|ticketed|penalised", 0.85),
        # Out of time is a defence when the prosecution or notice is ("the NIP was out of
        # time"); a writer "out of time to reply" wants more time (below).
        ("prosecution|summons|notice|nip|it|ticket|case ~3 out of time", 0.85),
        ("out of time", 0.55),
        ("want|wish|like|need ~3 heard in|by ~1 court", 0.9),
        ("not|dont|never accept|agree ~2 this|it|that|ticket|fine|penalty|notice|with", 0.8),
        ("get|have|want ~3 cancelled|quashed|dropped|withdrawn|rescinded|overturned", 0.8),
        ("cancel|quash|withdraw|rescind ~3 ticket|fine|notice|penalty|it|this", 0.75),
        ("not|wasnt|wsnt|never speeding|speedin", 0.7),
        ("not|wasnt|never the driver|driving", 0.45),
        ("wasnt|not me ~1 driving", 0.45),
        ("wrong|incorrect|mistake|unfair|innocent", 0.35),
    ),
    NOMINATE_DRIVER: (
        ("nominate|nominating|nominated|nomination", 0.85),
        (_PEOPLE + " ~1 was|is driving|drivin", 0.85),
        ("used|borrowed|driven ~1 by ~2 " + _PEOPLE, 0.8),
        ("it was|is my|our|ma ~1 " + _PEOPLE_NOUNS, 0.8),
        ("driver was|is", 0.75),
        ("driver ~7 was|is ~1 my|our|his|her", 0.8),
        ("name|naming|identify|identifying|give|provide ~2 driver|drivers", 0.8),
        ("driver details|information|name", 0.8),
        ("who was driving", 0.65),
        ("transfer ~3 driver|name|points", 0.7),
        ("not|wasnt|never the driver|driving", 0.45),
        ("sold the|my|this ~1 car|vehicle", 0.6),
        ("lent|borrowed|loaned ~3 car|vehicle|van", 0.6),
        ("hire|rental|company|lease car|vehicle", 0.4),
    ),
    COURT_DATE: (
        ("court date|dates", 0.9),
        ("hearing date", 0.9),
        ("date ~3 hearing|court|trial", 0.85),
        ("when|wen|where ~4 hearing|court|trial", 0.85),
        ("time|place|location|venue ~3 hearing|court|trial", 0.85),
        ("?heard in court", 0.85),
        ("next|new ~1 date|hearing", 0.7),
        ("hearing|case ~3 listed|scheduled|arranged|booked|set|adjourned|moved", 0.85),
        ("which|what court", 0.8),
        # Going to, or attending, court is not asking when: "I won't be going to court".
        ("gone|going|go|sent|referred|been ~1 to court", 0.4),
        ("has|have|is ~4 gone|been|going ~1 to court ~1 yet", 0.8),
        ("been listed", 0.8),
        ("date ~5 heard", 0.8),
        ("attend|appear ~1 court", 0.45),
        ("listed", 0.35),
    ),
    CHANGE_OF_ADDRESS: (
        ("change|changed|changing|update|updating|amend|correct ~2 address|addresses", 0.9),
        ("new address|addy", 0.9),
        ("moved|moving ~1 house|home|address|flat|out|to|away|hse", 0.85),
        ("address ~7 wrong|incorrect|old|changed|out", 0.8),
        ("address is now", 0.85),
        ("no longer live|living|reside", 0.85),
        ("moved", 0.45),
    ),
    COMPLAINT: (
        ("complaint|complain|complaining|complained|complaints", 0.95),
        ("formal complaint", 1.0),
        ("professional standards", 0.9),
        ("ombudsman|iopc", 0.85),
        ("poor|bad|terrible|awful service", 0.8),
        (
            "unhappy|disgusted|appalled|outraged|furious|unacceptable|disgraceful|disgusting"
            "|appalling|shocking",
            0.6,
        ),
        (
            "rude|rudeness|aggressive|unprofessional|abusive|dismissive|racist|intimidating"
            "|arrogant|condescending|patronising|bullying|rudely",
            0.7,
        ),
        ("not happy", 0.6),
        ("how|way ~3 spoke|spoken|talked|treated|dealt ~1 to|me|us|with", 0.75),
        ("misconduct", 0.85),
        ("escalate|escalating", 0.6),
        ("raise ~1 concern|concerns", 0.85),
        ("unhappiness|apology", 0.6),
        ("looked into", 0.6),
        ("way ~2 i|we was|were ~1 treated|spoken", 0.85),
        ("treated ~1 me|us", 0.6),
        ("report|reporting ~3 officer|officers|behaviour|conduct|staff", 0.8),
        ("conduct|behaviour|attitude of ~2 officer|officers|staff", 0.8),
        ("swore|shouted|laughed|yelled at", 0.75),
        ("speak|talk to ~2 manager|supervisor|senior", 0.7),
    ),
    SUBJECT_ACCESS: (
        ("subject access", 1.0),
        ("sar|dsar", 0.85),
        ("right of access", 0.9),
        ("article 15", 0.9),
        ("personal data|information", 0.6),
        ("data|information ~3 you hold|have|keep ~2 about|on me", 0.85),
        ("copy ~3 my ~1 data|records|file", 0.85),
        ("data protection", 0.6),
        ("my own data|information", 0.8),
        ("footage of me", 0.75),
        ("gdpr", 0.7),
    ),
    FOI: (
        ("freedom of information", 1.0),
        ("foi|foia", 0.9),
        ("information act", 0.8),
        ("statistics|figures", 0.5),
        (
            "how many ~6 issued|tickets|fines|penalties|notices|cameras|prosecutions|drivers"
            "|people|offences|courses|complaints|motorists",
            0.8,
        ),
        (
            "number of ~4 tickets|fines|penalties|notices|cameras|prosecutions|drivers|offences"
            "|complaints|courses|motorists|people",
            0.8,
        ),
        ("how much ~4 revenue|money|income", 0.8),
        ("revenue", 0.6),
        ("per year|month|annum|day", 0.3),
    ),
    PLEA_BY_POST: (
        ("plead|pleading|plea|pled|pleaded guilty", 0.9),
        ("guilty plea|pleas", 0.9),
        ("!i am|im|we are|were guilty", 0.8),
        ("plea|pleading ~2 form|forms|post|online|letter", 0.85),
        ("by post ~3 plead|plea|guilty", 0.8),
        ("admit|admitting ~3 offence|guilt", 0.6),
        ("single justice procedure|notice", 0.7),
        ("sjp", 0.7),
        ("make|enter ~1 plea|pleas", 0.8),
        ("guilty ~6 post", 0.8),
        ("guilty", 0.45),
    ),
    STATUTORY_DECLARATION: (
        ("statutory declaration|declarations", 0.95),
        ("stat dec|decs|declaration", 0.95),
        ("statdec|statdecs", 0.95),
        ("section 14", 0.8),
        (
            "never|didnt|not|no knew|know|aware|idea|told ~4 case|summons|court|hearing"
            "|proceedings|conviction|prosecution|convicted",
            0.85,
        ),
        ("never|didnt|not ~1 received|receive|got|get|seen|see ~3 summons|requisition", 0.6),
        ("convicted|conviction|fined|sentenced|tried ~6 without|absence", 0.85),
        (
            "knew|know nothing ~3 about|of ~3 case|summons|court|hearing|conviction|proceedings",
            0.85,
        ),
        ("without ~3 knowing|knowledge|knew", 0.8),
        ("conviction|case|fine ~3 set aside", 0.7),
        ("case|court|fine|summons|conviction ~3 never ~1 heard|knew", 0.85),
        ("in my absence", 0.8),
        ("first i|we ~1 knew|heard ~3 of|about", 0.85),
        (
            "found|find out|learned|learnt ~4 convicted|conviction|fined|case|court|summons"
            "|bailiffs|enforcement",
            0.6,
        ),
        ("bailiff|bailiffs|enforcement", 0.45),
        ("convicted|conviction", 0.3),
    ),
    APPEAL: (
        (
            "appeal|appealing|challenge ~4 conviction|convictions|sentence|verdict|ban"
            "|disqualification|magistrates",
            0.95,
        ),
        ("appeal|appealing ~4 court|courts|magistrates ~1 decision|ruling|result", 0.85),
        ("appeal ~3 crown court", 0.95),
        ("crown court", 0.45),
        (
            "convicted|conviction|sentenced|sentence|banned|disqualified|magistrates"
            " ~8 appeal|appealing|challenge",
            0.9,
        ),
        ("magistrates ~4 wrong|decision|verdict", 0.75),
        ("against ~2 conviction|sentence|verdict", 0.8),
        ("reopen|reopening ~3 case|conviction", 0.8),
        ("section 142", 0.85),
    ),
    SEE_EVIDENCE: (
        (
            "see|view|get|send|show|receive|request|requesting|copy|copies|provide|viewing"
            " ~4 photo|photos|picture|pictures|photograph|photographs|evidence|footage|video"
            "|image|images|calibration|proof|still|stills|reading|readings|vid|pic|pics",
            0.85,
        ),
        ("calibration|calibrated", 0.85),
        ("speed ~1 reading|readings|gun|device", 0.7),
        ("photo|photos|picture|footage|video|evidence|calibration ~1 please|pls", 0.8),
        ("what|which ~2 evidence", 0.8),
        ("evidence ~2 against|have|that|of", 0.75),
        ("prove|proof ~3 it was|that|me", 0.6),
        ("photo|photos|picture|image ~4 unclear|blurry|blurred|dark|clear|grainy", 0.75),
        ("how fast|speed ~3 was|recorded|clocked", 0.6),
        ("radar|laser|lidar|vascar", 0.55),
        ("photographic|photo|video|camera ~1 evidence", 0.85),
        ("evidence", 0.45),
        ("footage|video|bodycam|bodyworn", 0.45),
    ),
    NOT_RECEIVED: (
        (
            "never|not|didnt|havent|hasnt|hadnt|no ~3 received|receive|got|get|arrived|arrive"
            "|seen ~4 letter|letters|notice|notices|ticket|nip|form|forms|paperwork|reminder"
            "|fine|penalty|summons|post",
            0.85,
        ),
        (
            "lost|misplaced|lose|threw|thrown ~4 letter|notice|ticket|form|paperwork|nip|reference",
            0.85,
        ),
        ("cant|cannot|couldnt ~2 find ~3 letter|notice|ticket|form|paperwork|reference", 0.85),
        (
            "went|sent|gone|go|going|delivered|posted ~4 old|wrong|previous|former"
            " ~1 address|flat|house|place",
            0.8,
        ),
        ("nothing|nothin came|arrived", 0.8),
        ("didnt|never|not receive|received", 0.45),
        ("never|not|didnt|havent|hasnt ~1 received|receive|got|get ~1 it|them|one|anything", 0.8),
        ("copy|duplicate|replacement ~3 letter|notice|form|ticket", 0.75),
        ("send|have ~1 another|new ~2 letter|copy|notice|form|one", 0.75),
        ("resend|reissue|send ~2 again|another", 0.75),
        ("never|not|hasnt|havent|didnt ~1 arrived|arrive|came", 0.8),
        ("reissue|reissued|resent", 0.75),
        ("lost|missing in ~1 post", 0.85),
        ("gone|go|went|going missing", 0.8),
        ("send|have ~2 copy", 0.7),
        ("binned|shredded|chewed|ripped", 0.5),
    ),
    LICENCE_QUESTION: (
        ("lost|misplaced|stolen|nicked ~3 licence|license|licences|licenses|photocard", 0.85),
        ("licence|license|photocard ~3 lost|stolen|missing|misplaced|nicked", 0.85),
        ("licence|license|photocard ~4 " + _ABROAD, 0.85),
        (_ABROAD + " ~2 licence|license|licences", 0.85),
        (
            "?do|does|must|should|need|needed|required|necessary|have ~4 send|post|include"
            "|enclose|return|provide ~3 licence|license|photocard",
            0.85,
        ),
        ("cant|cannot|unable ~3 send|post|return ~3 licence|license|photocard", 0.8),
        ("do|does i|we ~1 have|need ~2 send|post|include ~3 licence|license|photocard", 0.85),
        ("licence|license|photocard ~3 out of date", 0.8),
        ("gave|give|surrendered|handed ~1 up|in ~2 licence|license", 0.75),
        ("cant|cannot|couldnt find ~3 licence|license|photocard", 0.85),
        ("licence|license ~4 abroad|foreign|overseas|eu|international|country", 0.85),
        (
            "foreign|overseas|international|eu|european|irish|polish|american|australian|romanian"
            "|spanish|french|german|italian|indian|us"
            " ~2 licence|license|licences",
            0.85,
        ),
        ("licence|license ~4 dvla", 0.8),
        ("licence|license ~2 is ~1 australian|american|irish|polish|foreign|romanian|french", 0.85),
        ("dvla ~4 has|have|got|kept ~2 licence|license", 0.8),
        ("licence|license ~3 expired|renewal|renewing|renew|renewed", 0.8),
        ("dont|havent|not ~2 have|got ~2 licence|license", 0.7),
        ("non ~1 uk ~1 licence|license", 0.85),
        ("provisional ~1 licence|license", 0.7),
        ("paper ~1 licence|license|counterpart", 0.7),
    ),
    CONSEQUENCES: (
        ("how many points", 0.9),
        ("points ~3 licence|license", 0.8),
        ("get|getting|lose|add|added|given ~3 points", 0.8),
        ("points", 0.3),
        ("happens|happen ~3 points|licence|insurance", 0.8),
        (
            "insurance ~4 go|increase|rise|premium|affect|affected|tell|declare|disclose",
            0.85,
        ),
        ("tell|declare|disclose|inform ~4 insurer|insurers|insurance|employer|work|boss", 0.8),
        (
            "affect|affects|effect|impact ~4 job|work|insurance|career|visa|licence|record"
            "|employment|future",
            0.85,
        ),
        ("mean ~1 for ~3 job|work|insurance|career|visa|licence|record|employment|future", 0.85),
        ("dbs|crb", 0.85),
        ("background|enhanced check|checks", 0.8),
        ("criminal record", 0.85),
        ("on my record", 0.8),
        ("new driver|drivers|driving|probation|probationary", 0.8),
        ("passed ~2 test ~4 points|revoked|lose|years", 0.85),
        ("totting|totted", 0.9),
        ("lose|losing ~2 licence|license|job", 0.8),
        ("banned|ban|disqualified|disqualification", 0.55),
        ("revoked", 0.7),
        ("penalty points", 0.8),
        ("will|would|could|might ~1 i ~2 banned|disqualified|lose", 0.85),
        ("go|goes ~2 on ~2 licence|license|record", 0.8),
        ("endorsement|endorsed", 0.75),
        ("6|six|3|three|9|nine|12|twelve points", 0.5),
        ("what ~1 happens|happen ~1 if ~3 dont|not|cant|cannot|miss|ignore|nothing", 0.85),
        ("go|goes ~1 to court ~1 if", 0.8),
        ("end|ending ~1 up ~2 court", 0.85),
        ("if ~1 i|we ~1 ignore|ignored", 0.8),
        ("spent|unspent", 0.75),
        ("how long ~4 stay|stays|remain|remains|last", 0.75),
        ("happen ~2 to me", 0.8),
        ("points ~2 already", 0.7),
        ("points ~2 count|counts|apply|stand", 0.75),
        ("number of ~2 points", 0.8),
        ("insurer|insurers|insurance|employer ~4 informed|told|notified", 0.8),
    ),
    MITIGATION: (
        ("special reason|reasons", 0.95),
        ("exceptional hardship|circumstances", 0.95),
        ("hardship", 0.8),
        ("mitigating|mitigation|mitigate", 0.9),
        ("emergency", 0.55),
        ("take into account|consideration ~2 circumstances|situation", 0.75),
        ("circumstances ~3 taken|considered|account", 0.8),
        ("leniency|lenient|compassion|compassionate|sympathetic|discretion", 0.8),
        ("rushing|rushed|taking ~4 hospital|birth|labour|dying", 0.7),
        ("let ~1 me ~1 off", 0.75),
        ("personal|my|family circumstances", 0.75),
        ("consider ~3 circumstances|situation|reasons", 0.8),
        (
            "need|needs ~2 car|van|licence|license|vehicle ~2 for|4 ~1 work|job|living|business",
            0.85,
        ),
        ("drive|driving for a living", 0.75),
        ("mean|cost ~1 losing|lose ~2 job|house|home|business", 0.8),
        ("dont|not|please ~1 ban|disqualify me", 0.8),
        ("cant|cannot|couldnt ~1 be|get ~1 banned|disqualified", 0.75),
        ("rushing|rushed|taking|driving|took ~4 to ~1 a ~1 e", 0.7),
        ("way ~3 hospital|vet|vets|ae|labour|emergency", 0.65),
        ("heart attack", 0.5),
        ("like|want|wish|chance|opportunity|allowed|way to explain", 0.75),
        ("take|taken|took ~2 into account|consideration", 0.75),
        ("like|want ~2 that|this|it ~1 considered", 0.75),
        ("can|could|will|would ~2 this|that|it ~1 be considered", 0.7),
        ("show|have ~2 understanding|mercy|sympathy", 0.75),
        ("want|like ~3 court|magistrates ~2 to know", 0.8),
    ),
    MORE_TIME: (
        ("more|extra|additional|longer ~1 time", 0.85),
        ("extension|extend|extended", 0.85),
        ("more|extra time ~2 pay|reply|respond|return", 0.95),
        ("deadline ~3 extended|moved|pushed", 0.85),
        ("more|extra ~1 weeks|days|week|month", 0.8),
        ("delay|postpone|defer ~2 payment|paying|deadline", 0.8),
        ("grace period", 0.85),
        ("bit|little|while longer", 0.85),
        ("have|get|give ~2 until|till ~3 end|next|payday", 0.8),
        ("out of time to|for", 0.9),
        ("?can|could|may i|we still ~3 send|pay|reply|respond|return|accept", 0.75),
        ("missed|miss ~2 deadline", 0.6),
        ("give ~1 me ~1 until", 0.8),
        ("until ~3 payday|paid|wages|salary", 0.6),
        ("pay ~3 after|later|next", 0.75),
        ("get|when ~2 paid|salary|wages|payday", 0.55),
        ("can|could|may ~1 i ~2 pay ~3 later|payday|next|end", 0.8),
    ),
    COLLISION_ADMIN: (
        ("collision|accident|crash|rta ~10 report|reports|number|reference|abstract|details", 0.85),
        ("abstract|abstracts", 0.85),
        (
            "other ~1 driver|drivers|party|partys|parties|vehicle ~6 details|insurance|insurer"
            "|name|address|information|registration",
            0.85,
        ),
        ("third party ~3 details|insurance|insurer", 0.8),
        ("statement form|forms", 0.8),
        ("witness statement|statements", 0.8),
        ("witness|witnesses ~3 form|forms|statement|statements|details", 0.8),
        ("dashcam|dashcams", 0.45),
        ("dash cam|camera|cams", 0.45),
        ("dashcam|dashcams|cam ~6 crash|collision|accident|hit", 0.85),
        ("report|reported|reporting ~3 collision|accident|crash|incident", 0.75),
        (
            "insurer|insurers|insurance ~6 need|needs|want|wants|asking|asked|requested"
            " ~3 report|number|reference|details|copy",
            0.85,
        ),
        ("collision|accident|crash", 0.45),
        ("police report", 0.75),
        ("crime|incident reference|number", 0.6),
        ("hit and run", 0.55),
        ("reference|number ~3 for ~1 my ~1 insurer|insurers|insurance", 0.85),
    ),
    IS_GENUINE: (
        (
            "genuine|legit|legitimate|authentic|fake|scam|scammed|phishing|fraudulent|hoax",
            0.9,
        ),
        ("real|true ~3 letter|email|text|message|notice|not", 0.8),
        ("is ~1 this|it ~1 real|genuine", 0.85),
        ("really|actually|genuinely from ~2 you|police", 0.85),
        ("did ~1 you|police ~1 send|sent ~2 this|it", 0.8),
        ("is ~2 from ~1 you|police", 0.55),
        ("?is ~2 from ~1 you|police", 0.85),
        ("was ~1 that|this|it ~1 you|really", 0.8),
        ("claiming|claims|claimed|pretending|purporting ~3 from|be", 0.85),
        ("suspicious|dodgy|bogus|spoof", 0.75),
        ("came|come|sent from|by ~2 you|your|police", 0.7),
        ("really|actually|genuinely ~1 came|come|sent ~1 from|by ~2 you|your|police", 0.85),
        ("?one of yours", 0.8),
        ("letter|email|text|message|notice|ticket ~2 is ~1 real|genuine|legit|legitimate", 0.8),
        ("check|confirm|verify ~5 from ~1 you|your|police", 0.85),
        ("verify|authenticate ~3 notice|letter|email|text|message|this|it", 0.85),
        ("?did ~1 you|police ~1 send|sent ~3 text|email|letter|message|call", 0.8),
        ("proper|official ~2 letter|notice|email|text ~2 from", 0.8),
    ),
    VICTIM_REVIEW: (
        ("right to review", 1.0),
        ("victims|victim ~1 right", 0.95),
        ("vrr", 0.95),
        ("review ~4 decision|decisions", 0.85),
        ("no further action", 0.7),
        ("nfa", 0.7),
        ("decision ~3 not to ~1 charge|prosecute|proceed|take", 0.9),
        (
            "not|no ~2 charge|charged|prosecute|prosecuted|prosecuting ~6 victim|assaulted"
            "|attacked",
            0.6,
        ),
        ("case ~3 dropped|closed|discontinued ~6 victim", 0.7),
        ("victim|assaulted|attacked|burgled|robbed|harassed", 0.45),
        ("reconsider|reconsidered", 0.6),
        ("decision ~3 again", 0.8),
        ("decision|decisions ~3 reviewed|review", 0.85),
        ("victim ~6 want|like ~2 review", 0.9),
        ("victim ~10 review|reviewed|reconsider|reconsidered|dropped", 0.85),
    ),
    CAMERA_SITE_COMPLAINT: (
        (
            "camera|cameras|van ~7 hidden|hiding|concealed|behind|obscured|invisible|tucked"
            "|camouflaged|covered|hedge|bush|tree|trees|overgrown",
            0.9,
        ),
        (
            "camera|cameras ~5 sign|signs|signage|signposted|visible|painted|yellow|position"
            "|positioned|placed|placement|siting|sited",
            0.85,
        ),
        ("no|missing|covered|hidden|obscured ~1 sign|signs|signage|warning", 0.45),
        ("sign|signs|signage|warning ~4 camera|cameras", 0.85),
        ("camera|cameras ~8 no ~1 sign|signs|warning|signage", 0.85),
        ("placement|siting|positioning|location ~6 camera|cameras", 0.85),
        ("place ~3 camera", 0.7),
        (
            "sign|signs|signage ~4 covered|hidden|missing|obscured|overgrown|unclear|blocked|ivy",
            0.45,
        ),
        ("speed trap", 0.85),
        ("cash cow", 0.6),
        ("money making", 0.6),
        ("trap", 0.5),
        ("camera|cameras ~3 site|sites|siting|placement|positioning", 0.9),
        ("move|moved|remove|removed|relocate ~3 camera|cameras", 0.8),
    ),
}

# Which context takes a cue away from which intent (see intent_context). Status and
# documents are asked in the negative ("I still haven't heard"), a driver is named in
# the third person and after a denial ("wasn't me driving, it was my son"), and a
# payment may be someone else's.
_NEGATABLE = frozenset(
    {
        CONTEST,
        WANTS_COURSE,
        COURT_DATE,
        COMPLAINT,
        CHANGE_OF_ADDRESS,
        HOW_TO_PAY,
        ALREADY_PAID,
        # "I don't want to plead guilty", "I'm not appealing", "no need for more time".
        PLEA_BY_POST,
        APPEAL,
        SEE_EVIDENCE,
        MITIGATION,
        MORE_TIME,
        IS_GENUINE,
        LICENCE_QUESTION,
    }
)
# Said in the negative by their nature, so never negated: "I never knew about the case"
# (a statutory declaration), "I didn't receive the notice", "I don't have my licence",
# "it won't affect my job, will it?".
_NOT_WHEN_DONE = frozenset(
    {CONTEST, WANTS_COURSE, COURT_DATE, HOW_TO_PAY, PLEA_BY_POST, APPEAL, MORE_TIME}
)
_NOT_IN_STORY = frozenset(
    {
        CONTEST,
        WANTS_COURSE,
        COURT_DATE,
        COMPLAINT,
        HOW_TO_PAY,
        PLEA_BY_POST,
        STATUTORY_DECLARATION,
        APPEAL,
        MITIGATION,
        MORE_TIME,
        VICTIM_REVIEW,
        CAMERA_SITE_COMPLAINT,
        NOT_RECEIVED,
        COLLISION_ADMIN,
        LICENCE_QUESTION,
        CONSEQUENCES,
    }
)
_NOT_IN_REPORT = frozenset(INTENTS) - {FOI, SUBJECT_ACCESS}
# Intents whose letters promise different things: when two are heard and neither clearly
# leads, or the writer is undecided, a clerk chooses. The contest letter records a request
# for court; the course and payment letters accept the offer; a guilty plea by post is
# the opposite of contesting; a statutory declaration (never knew of the case) and an
# appeal (knew, and disagrees with the decision) are different applications to a court.
_CONFLICTS: tuple[frozenset[str], ...] = (
    frozenset({CONTEST, WANTS_COURSE}),
    frozenset({CONTEST, HOW_TO_PAY}),
    frozenset({CONTEST, PLEA_BY_POST}),
    frozenset({APPEAL, STATUTORY_DECLARATION}),
)
_HEDGED = frozenset(
    {CONTEST, WANTS_COURSE, HOW_TO_PAY, PLEA_BY_POST, APPEAL, STATUTORY_DECLARATION}
)
# A more specific intent answers what a general one would: "appeal my conviction" is not
# a contest of a ticket, "more time to pay" not a question of how, a complaint about a
# camera's site has its own route, and a writer who never knew of a conviction needs the
# declaration, not a new copy of a letter. The general intent is dropped unless it scores
# at least the given level on its own ("more time, or instalments?" asks both).
_SUPERSEDES: Mapping[str, Mapping[str, float]] = {
    APPEAL: {CONTEST: 0.99, COURT_DATE: 0.97, COMPLAINT: 0.97, CONSEQUENCES: 0.97},
    STATUTORY_DECLARATION: {
        NOT_RECEIVED: 0.97,
        CONTEST: 0.97,
        COURT_DATE: 0.97,
        CONSEQUENCES: 0.97,
        COMPLAINT: 0.97,
    },
    PLEA_BY_POST: {COURT_DATE: 0.97, DOCUMENTS_SENT: 0.97, CONSEQUENCES: 0.85},
    MORE_TIME: {HOW_TO_PAY: 0.8, DOCUMENTS_SENT: 0.97},
    MITIGATION: {CONSEQUENCES: 0.97, LICENCE_QUESTION: 0.97},
    # "My licence is with the DVLA, do I still send it?" asks, it does not report a posting.
    LICENCE_QUESTION: {DOCUMENTS_SENT: 0.9},
    IS_GENUINE: {HOW_TO_PAY: 0.85},
    CAMERA_SITE_COMPLAINT: {COMPLAINT: 0.97},
    VICTIM_REVIEW: {COMPLAINT: 0.97, STATUS: 0.97, CONTEST: 0.99, APPEAL: 0.99},
    COLLISION_ADMIN: {SEE_EVIDENCE: 0.97, DOCUMENTS_SENT: 0.97},
    SEE_EVIDENCE: {DOCUMENTS_SENT: 0.97},
    FOI: {SEE_EVIDENCE: 0.97},
    SUBJECT_ACCESS: {SEE_EVIDENCE: 0.97},
}
# A step the writer says they have taken wants nothing new of that kind: "I made a stat
# dec last month, any news?" asks where it stands, as does "we returned the nomination".
_NOT_WHEN_TAKEN = frozenset({STATUTORY_DECLARATION, APPEAL, CONTEST, NOMINATE_DRIVER, MORE_TIME})
CONFLICT_MARGIN = 0.2
HEDGE_FACTOR = 0.7


@dataclass(frozen=True, slots=True)
class IntentResult:
    """The intents found, most confident first, and whether a clerk must read the message.

    When `unclear` is true, `intents` is `("other",)`: a low-scoring guess is kept only in
    `scores` (every intent with a score above zero, highest first) for a clerk to see.
    `candidates` names the intents a clerk must choose between when the writer asked for
    things whose letters promise different outcomes (contest or the course) without one
    clearly leading, or is undecided between them; it is empty otherwise.
    """

    intents: tuple[str, ...]
    confidence: float
    unclear: bool
    scores: tuple[tuple[str, float], ...] = ()
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Cue:
    intent: str
    slots: tuple[frozenset[str], ...]
    gaps: tuple[int, ...]  # gaps[i] = words allowed between slot i and slot i + 1
    weight: float
    mood: str = ""  # "?": counts only in a question; "!": only in a statement


def _parse(intent: str, phrase: str, weight: float) -> _Cue:
    mood = phrase[0] if phrase[0] in "?!" else ""
    phrase = phrase.lstrip("?!")
    slots: list[frozenset[str]] = []
    gaps: list[int] = []
    pending_gap = 0
    for item in phrase.split():
        if item.startswith("~"):
            pending_gap = int(item[1:])
            continue
        if slots:
            gaps.append(pending_gap)
        pending_gap = 0
        slots.append(frozenset(item.split("|")))
    return _Cue(intent, tuple(slots), tuple(gaps), weight, mood)


_ALL_CUES: tuple[_Cue, ...] = tuple(
    _parse(intent, phrase, weight) for intent, cues in _CUES.items() for phrase, weight in cues
)
_VOCABULARY: tuple[str, ...] = tuple(
    sorted({word for cue in _ALL_CUES for slot in cue.slots for word in slot})
)
_VOCABULARY_SET = frozenset(_VOCABULARY)


def _allowed_edits(word: str) -> int:
    # Short words and abbreviations ("sar", "dsar", "foi") must be exact: one edit turns
    # "dear" into "dsar".
    if len(word) <= 4:
        return 0
    return 1 if len(word) <= 7 else 2


@lru_cache(maxsize=8192)
def _word_matches(token: str) -> tuple[tuple[str, int], ...]:
    """The cue words `token` may stand for, with the edits needed (0 = exact)."""
    if token in _VOCABULARY_SET:
        return ((token, 0),)
    if len(token) <= 3 or not token.isalpha() or is_english_word(token):
        # A real word is what the writer meant: "case" is not "chase", "complied" is
        # not "complaint".
        return ()
    found = process.extract(token, _VOCABULARY, scorer=OSA.distance, score_cutoff=2, limit=None)
    matches: list[tuple[str, int]] = []
    for word, edits, _ in found:
        if 0 < edits <= _allowed_edits(word) and token[0] == word[0]:
            # A typo in the first letter is rare; allowing it merges "said" with "paid".
            matches.append((word, int(edits)))
    return tuple(matches)


def _occurrences(cue: _Cue, at: Mapping[str, Mapping[int, int]]) -> dict[int, int]:
    """Where `cue` occurs in the text: its first word's position, with the fewest edits."""

    def slot_positions(index: int) -> dict[int, int]:
        positions: dict[int, int] = {}
        for word in cue.slots[index]:
            for position, edits in at.get(word, {}).items():
                if edits < positions.get(position, edits + 1):
                    positions[position] = edits
        return positions

    per_slot = [slot_positions(i) for i in range(len(cue.slots))]
    if any(not positions for positions in per_slot):
        return {}
    # Walk forward from each place the first slot occurs, remembering where it started;
    # the gaps are small, so the search stays tiny however long the message.
    frontier = {position: (position, edits) for position, edits in per_slot[0].items()}
    for index in range(1, len(cue.slots)):
        gap = cue.gaps[index - 1]
        following: dict[int, tuple[int, int]] = {}
        for position, (start, edits) in frontier.items():
            for nxt in range(position + 1, position + gap + 2):
                extra = per_slot[index].get(nxt)
                if extra is None:
                    continue
                best = following.get(nxt)
                if best is None or edits + extra < best[1]:
                    following[nxt] = (start, edits + extra)
        if not following:
            return {}
        frontier = following
    starts: dict[int, int] = {}
    for start, edits in frontier.values():
        if edits < starts.get(start, edits + 1):
            starts[start] = edits
    return starts


def _counts(intent: str, start: int, reading: Reading) -> bool:
    """Whether a cue of `intent` at `start` is the writer's own, current request."""
    clause = reading.clause_of[start]
    if intent in _NEGATABLE and reading.negated(start):
        return False
    if intent in _NOT_WHEN_DONE and clause in reading.done_clauses:
        return False
    if intent in _NOT_WHEN_TAKEN and reading.step_taken_before(start):
        return False
    if intent in _NOT_IN_STORY and (
        (clause in reading.story_clauses and not reading.first_person_before(start))
        or reading.hearsay_before(start)
    ):
        return False
    return not (intent in _NOT_IN_REPORT and reading.sentence_of[start] in reading.report_sentences)


def _scores(reading: Reading, factor: float) -> tuple[dict[str, list[float]], set[str]]:
    """The weights of the cues heard for each intent, and the intents heard only hedged."""
    at: dict[str, dict[int, int]] = {}
    for position, token in enumerate(reading.words):
        for word, edits in _word_matches(token):
            at.setdefault(word, {})[position] = edits
    weights: dict[str, list[float]] = {}
    firm: set[str] = set()
    hedged: set[str] = set()
    for cue in _ALL_CUES:
        # Most cues have a slot with no word in the text: skip them before any search.
        if any(slot.isdisjoint(at) for slot in cue.slots):
            continue
        best = 0.0
        best_firm = False
        for start, edits in _occurrences(cue, at).items():
            if not _counts(cue.intent, start, reading):
                continue
            if cue.mood and (cue.mood == "?") != (
                reading.clause_of[start] in reading.question_clauses
            ):
                continue
            weight = cue.weight * max(0.5, 1.0 - TYPO_PENALTY * edits) * factor
            is_hedged = (
                cue.intent in _HEDGED and reading.sentence_of[start] in reading.hedged_sentences
            )
            if is_hedged:
                weight *= HEDGE_FACTOR
            if weight > best or (weight == best and not is_hedged):
                best, best_firm = weight, not is_hedged
        if best > 0.0:
            weights.setdefault(cue.intent, []).append(best)
            (firm if best_firm else hedged).add(cue.intent)
    return weights, hedged - firm


def _noisy_or(weights: Iterable[float]) -> float:
    missing = 1.0
    for weight in weights:
        missing *= 1.0 - min(max(weight, 0.0), 1.0)
    return 1.0 - missing


def detect_intents(text: str, subject: str = "") -> IntentResult:
    """The intents of a message: `text` is the body (the writer's own words are used),
    `subject` the subject line, if any."""
    own = split_message(text).own
    found, hedged = _scores(read(own, MAX_WORDS), 1.0)
    from_subject, subject_hedged = _scores(read(subject, MAX_WORDS), SUBJECT_FACTOR)
    for intent, weights in from_subject.items():
        if intent not in found:
            hedged |= subject_hedged & {intent}
        found.setdefault(intent, []).extend(weights)
    order = {intent: index for index, intent in enumerate(INTENTS)}
    scored = sorted(
        ((intent, round(_noisy_or(weights), 3)) for intent, weights in found.items()),
        key=lambda item: (-item[1], order[item[0]]),
    )
    confidence = scored[0][1] if scored else 0.0
    if confidence < CLEAR_AT:
        return IntentResult((OTHER,), confidence, True, tuple(scored))
    score = dict(scored)
    listed = [intent for intent, value in scored if value >= INCLUDE_AT]
    for specific, general in _SUPERSEDES.items():
        if specific in listed:
            listed = [intent for intent in listed if score[intent] >= general.get(intent, 0.0)]
    candidates: set[str] = set()
    for pair in _CONFLICTS:
        present = [intent for intent in listed if intent in pair]
        if len(present) == 2:
            high, low = present
            if score[high] - score[low] < CONFLICT_MARGIN or hedged & pair:
                candidates |= pair
            else:
                listed.remove(low)
        elif len(present) == 1 and present[0] in hedged:
            # Undecided about one of a pair ("should I contest?"): the clerk answers.
            candidates |= {intent for intent in pair if score.get(intent, 0.0) > 0.0}
            candidates.add(present[0])
    if candidates:
        named = tuple(intent for intent, _ in scored if intent in candidates)
        return IntentResult((OTHER,), confidence, True, tuple(scored), named)
    return IntentResult(tuple(listed), confidence, False, tuple(scored))
