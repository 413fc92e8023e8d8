"""Whether the writer says they write for or about someone else (contracts.md, section 2).

A parent, an employer, a fleet manager, an insurer, a solicitor, a victim or anyone writing
"on behalf of" another person is never verified as the record's subject, however many of
that person's details they hold: the enquiry goes to a clerk marked as a third party.
Read from the writer's own words only (quoted mail is someone else's).

The cues are phrases, not single words: subjects mention other people all the time while
writing about their own case ("I wasn't driving, it was my son", "my husband paid it for
me", "my solicitor told me to write"), and those must not count. A missed third party can
disclose a case, while a false one only sends the enquiry to a clerk, so where a phrase
can go either way it counts. No pattern repeats a repeat without bound, so the cost stays
linear in the length of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class ThirdPartyKind(StrEnum):
    """Who the writer says they are, for the letter that explains the proper route."""

    RELATIVE = "relative"  # parent, partner, child, other family or household member
    EMPLOYER = "employer"  # employer, HR department, fleet or hire company
    INSURER = "insurer"
    SOLICITOR = "solicitor"  # or another legal representative of anyone
    VICTIM = "victim"  # a victim or witness asking about the case against someone
    REPRESENTATIVE = "representative"  # "on behalf of" someone, otherwise unsaid


@dataclass(frozen=True, slots=True)
class ThirdParty:
    """Who the writer says they write for or about, and the cue that shows it."""

    kind: ThirdPartyKind
    reason: str  # for the decision's reasons: the cue, never a name


# Text beyond this is not read (mail text is cut at the same length when parsed).
MAX_CHARS = 200_000

# The reasons given, one per cue: fixed words, so no name from the text can reach them.
RELATIVE_CASE = "writes about a relative's or household member's case"
RELATIVE_FOR = "writes for a relative or household member"
RELATIVE_SELF = "writes as the subject's parent, partner or relative"
EMPLOYER_STAFF = "an employer writing about an employee's or driver's case"
EMPLOYER_ROLE = "an HR department or fleet manager writing about a driver"
EMPLOYER_HIRE = "a hire or lease company writing about its hirer"
INSURER_INSURED = "an insurer writing about its policyholder"
INSURER_ROLE = "an insurer, claims handler or loss adjuster writing"
INSURER_CLIENT = "an insurer writing about its client"
SOLICITOR_ACTS = "a solicitor or representative acting for a client"
SOLICITOR_ROLE = "a solicitor or legal representative writing"
SOLICITOR_CLIENT = "writes about a client's case"
VICTIM_CASE = "a victim asking about the case against someone"
VICTIM_SELF = "the writer says they are the victim"
VICTIM_OFFENDER = "asks about the person who harmed them or their property"
VICTIM_WITNESS = "a witness asking about someone else's case"
VICTIM_DEFENDANT = "asks about a defendant or suspect"
ON_BEHALF = "writes on behalf of someone"
AUTHORITY = "writes with someone else's authority or power of attorney"
SOMEONE_ELSE = "writes about someone else's case"
ASKED_BY = "writes because someone else asked them to"

_FLAGS = re.IGNORECASE

# The case words a third party's question is about.
_NOUN = (
    r"(?:tickets?|fines?|notices?|penalt(?:y|ies)|pcns?|fpns?|nips?|summons(?:es)?|court|"
    r"hearings?|trial|case|charges?|caution|conviction|points|licen[cs]e|offen[cs]es?|"
    r"letters?|requisition|claim|compensation|appeal|course|speed awareness|endorsement|"
    r"ban|disqualification|bail|warrant|speeding|parking|report|statement|disposal|"
    r"community resolution|pnd|cofp|conditional offer|reference|paperwork|documents?|"
    r"forms?|reminder|final demand|enforcement|bailiffs?|collection order|cica|"
    r"camera (?:detection|notice|offen[cs]e))(?![\w-])"
)
# Further words that make "my son's ..." about his case.
_POSSESSED = (
    r"(?:" + _NOUN + r"|accident|collision|crash|injur(?:y|ies)|assault|attack|arrest|"
    r"record|prosecution|defen[cs]e|solicitor|sentencing|custody)(?![\w-])"
)
# Family and household, with the spellings people use.
_REL_WORDS = (
    r"(?:son|daughter|child|children|kids?|boy|girl|lad|step-?son|step-?daughter|"
    r"husband|hubby|wife|partner|spouse|fianc[eé]e?|boyfriend|girlfriend|other half|"
    r"civil partner|ex|ex-?(?:wife|husband|partner|girlfriend|boyfriend)|"
    r"mother|mum|mom|mam|mummy|mammy|father|dad|daddy|parents?|"
    r"step-?(?:mother|father|mum|dad)|brother|sister|siblings?|twin|"
    r"grand(?:son|daughter|child|children|mother|father|ma|pa|dad|mum)|granny|gran|"
    r"nan|nana|nanna|uncle|aunt|auntie|aunty|nephew|niece|cousin|"
    r"(?:son|daughter|mother|father|brother|sister)-in-law|in-laws|family member|"
    r"relative|flat-?mate|house-?mate|room-?mate|lodger|tenant|"
    r"\d{1,2}[ -]?(?:year|yr)s?[ -]?old|teenager|teen)"
)
# Other people the writer may speak for.
_OTHER_WORDS = (
    r"(?:friend|neighbou?r|colleague|co-?worker|workmate|mate|pal|buddy|constituent|"
    r"patient|service user|resident|pupil|student|carer)"
)
# "'s been" and the like after a person: "my son's been charged".
_CONTRACTED = r"(?:'s(?= (?:been|got|gotten|just|had|recently|also|now|already|received)\b))?"
_REL = _REL_WORDS + r"(?:s|'s|s')?(?![\w-])"
_REL_BARE = _REL_WORDS + r"s?" + _CONTRACTED + r"(?![\w'-])"
# "my son's", and "my sons" as people write it without the apostrophe.
_REL_POSSESSIVE = _REL_WORDS + r"(?:'s|s'|s)(?![\w-])"
_OTHER_BARE = _OTHER_WORDS + r"s?" + _CONTRACTED + r"(?![\w'-])"
_OTHER_POSSESSIVE = _OTHER_WORDS + r"(?:'s|s')(?![\w-])"
_MY = r"\b(?:my|our) (?:[\w'-]+ ){0,3}?"
# A name or short aside between the person and the verb: "my son, who is 17, got ...",
# "my son William Thornbury got ...".
_ASIDE = (
    r"(?:,[^,.;!?]{1,40},| \([^()]{0,40}\)|(?: (?-i:[A-Z][a-z'-]{1,20})){1,3}"
    r"| who(?: (?!i\b|i'm\b|me\b|my\b|so\b|and\b|but\b|because\b|as\b)[\w'-]+){1,5})?"
    r"(?: (?:he|she))?"
)
_ADVERB = r"(?:just |recently |also |now |then |already |again |both |today |yesterday )?"
# Auxiliaries that make a passive ("was charged"); "had stopped" is not one.
_PASSIVE_AUX = (
    r"(?:was |were |is |are |got |gets |has been |have been |had been |is being |was being |"
    r"been |being )"
)
_HAVE = r"(?:has |have |had |'s )"
# Before a weak verb: "has received", "was given".
_WEAK_AUX = r"(?:has been |have been |had been |has |have |had |'s |was |were |is |been )"
# Events that are about someone's case whatever follows them.
_PASSIVE = (
    r"(?:summonsed|summoned|charged|fined|arrested|prosecuted|convicted|cautioned|sentenced|"
    r"banned|disqualified|bailed|remanded|reported|caught|flashed|snapped|clocked|booked|"
    r"stopped|pulled over|done for|nicked|ticketed|penali[sz]ed|accused|investigated|"
    r"interviewed|assaulted|attacked|injured|hurt|hit by|knocked (?:down|over|off)|"
    r"involved in|in an accident|in a crash|in a collision|issued|the victim|a victim|"
    r"due in court|due at court|due to appear|due to attend|in court|taken to court|"
    r"told to pay|asked to pay|catch|catched|stop|arrest|charge)(?![\w-])"
)
_ACTIVE = (
    r"(?:has to (?:appear|attend court|go to court)|needs to (?:appear|attend court)|"
    r"must (?:appear|attend court)|appeared (?:in|at|before)|pleaded|pled|crashed|collided|"
    r"had an accident|had a crash|faces? (?:a )?(?:charge|court|prosecution|ban)|"
    r"is facing|go(?:es)? to court|going to court)(?![\w-])"
)
# Verbs that are about a case only with a case word after them ("got a ticket").
_WEAK = (
    r"(?:got|gets|get|getting|gotten|received|receive|receives|recieved|recieve|recived|"
    r"has|have|had|having|took|take|taken|given|sent|obtained|incurred|incur|owes|owe|"
    r"needs to pay|has to pay|have to pay|must pay|offered|picked up|handed|served|"
    r"signed for|give)(?![\w-])"
)
# Of those, the ones that say nothing of an officer's doing ("he sent the notice").
_WEAK_PRONOUN = (
    r"(?:got|gets|gotten|received|receives|recieved|recived|has|have|had|owes|incurred|"
    r"needs to pay|has to pay|must pay|picked up)(?![\w-])"
)
# The case words that, after "he got" or "she has", are someone's own matter.
_PRONOUN_NOUN = (
    r"(?:tickets?|fines?|notices?|penalt(?:y|ies)|pcns?|fpns?|nips?|summons(?:es)?|court|"
    r"hearings?|trial|charges?|caution|conviction|points|speeding|parking|ban|"
    r"disqualification|requisition|endorsement|fixed penalty|court date)(?![\w-])"
)
# Up to three words, none of them "my" or "me" (then the thing is the writer's own).
_THEN = r"(?: (?!my\b|me\b|mine\b)[\w'-]+){0,3}? "


def _event(weak: str, noun: str) -> str:
    return (
        rf"(?:{_ADVERB}{_PASSIVE_AUX}{_ADVERB}{_PASSIVE}|{_HAVE}?{_ADVERB}{_ACTIVE}"
        rf"|{_WEAK_AUX}?{_ADVERB}{weak}{_THEN}{noun})"
    )


_EVENT = _event(_WEAK, _NOUN)
_PRONOUN_EVENT = _event(_WEAK_PRONOUN, _PRONOUN_NOUN)
# What a writer says they are to the subject: "I am his mother".
_KIN = (
    r"(?:mother|father|mum|mom|mam|dad|parents?|guardian|legal guardian|wife|husband|partner|"
    r"son|daughter|sister|brother|grandmother|grandfather|gran|nan|aunt|uncle|family|"
    r"step-?(?:mother|father|mum|dad))"
)
# Words before "for my son" that make it "on his behalf".
_FOR_VERBS = (
    r"(?:writ\w*|wrote|email\w*|e-mail\w*|ask\w*|enquir\w*|inquir\w*|request\w*|quer\w+|"
    r"call\w*|ring\w*|phon\w+|contact\w*|pay\w*|paid|settl\w+|deal\w*|sort\w*|handl\w+|"
    r"act|acts|acting|speak\w*|spoke|respond\w*|repl\w+|message\w*|appeal\w*|claim\w*|apply\w*|"
    r"applied|application|complain\w*|information|details|update|status|news|tickets?|"
    r"fines?|notices?|case|reference|summons|penalty|points|hearing|letter|booking|"
    r"compensation)"
)
# Words just before "for my son" that make it something done for him, not his case.
_FOR_NOT = (
    r"(?!(?:care|caring|cared|cares|carers?|childcare|babysit\w*|sitter|look\w*|"
    r"responsible|cook\w*|shop\w*|medicine|medication|prescription|presents?|gifts?|time|"
    r"off|leave|waiting|wait|worried|scared|afraid|concerned|fear\w*|sake|cover|hospital|"
    r"appointment|school|nursery|pick|collect\w*|drop\w*|lift|food|buy\w*|bought|work\w*|"
    r"job|attend\w*|court)\b)"
)
_AUTHORITIES = (
    r"(?:(?:the |an |a |your |this )?(?:police|court|courts|council|dvla|magistrates|crown|"
    r"cps|officers?|force|constabulary|letter|notice|website|clerk|staff|chief|commissioner|"
    r"hmcts|prosecutors?|king|queen|government|department|safety camera|camera partnership|"
    r"road safety)\b|you\b|your\b)"
)
# People whose asking the writer to write leaves the case the writer's own.
_ASKERS = (
    r"(?:solicitors?|lawyers?|barristers?|insurers?|insurance|employer|boss|manager|"
    r"officers?|court|dvla|police|clerk|advisers?|advisors?|gp|doctor|probation|"
    r"supervisor|union|rep)"
)
# Said by a writer of themselves: "I was the hirer", "I am the defendant".
_SAYS_SELF = r"(?:\bi am|\bi'm|\bim|\bi was|\bas|\bbeing|\bme,?|\bit was me,?|\bi'm not)"

# What comes just before a cue and undoes it: "I am not writing on behalf of anyone".
_NEGATED = re.compile(
    r"(?:\bnot|n't|\bnever|\bno longer|\brather than|\binstead of)"
    r"(?: (?:writing|acting|emailing|contacting|asking|enquiring|inquiring|here|being|doing|"
    r"this|it|is|am|are|was|a|an|the|any|his|her|their|your|anyone's|someone's|really|"
    r"actually|for|on|as|to|you|i|we|calling|representing|about|regarding|concerning|"
    r"in|relation|respect|of|behalf|at|all|even)){0,4} ?$",
    _FLAGS,
)
# Before a role word ("solicitor"): someone the writer has, or the writer themselves.
_ROLE_MINE = re.compile(r"\bmy\b(?: [\w'-]+){0,2} ?$", _FLAGS)
_ROLE_SELF = re.compile(
    r"(?:\b(?:i am|i'm|im|we are|we're|as|this is|acting as|i work as|we work as|i work for|"
    r"i work at|i work in|we work for|i am from|i'm from|we are from|we're from|writing from|"
    r"calling from|i'm with|we're with)(?: (?:a|an|the|his|her|their|your|one of the))?"
    r"(?: [\w'&.-]+)?"
    r"|\b(?:from|our|at)(?: (?!the\b|a\b|an\b|their\b|your\b|his\b|her\b|my\b)[\w'&.-]+){0,3}"
    r"|\b(?:i am|i'm|im|we are|we're|this is)(?: [\w'-]+){0,2} (?:from|in|at|with|for) "
    r"(?:the|our)(?: [\w'&.-]+)?"
    r"|,|\|| -) ?$",
    _FLAGS,
)
_ROLE_OTHER = re.compile(
    r"\b(?:the|their|your|his|her|a|an|by|to|with|see|seeing|consult\w*|contact\w*|spoke|"
    r"speak\w*|instruct\w*|hire\w*|get|got|need|find|found|afford|any|no|some)\b"
    r"(?: [\w'-]+){0,2} ?$",
    _FLAGS,
)
_WINDOW = 60


class _Role(StrEnum):
    """How a role word ("solicitor", "fleet manager") must stand to count."""

    SELF = "self"  # said of the writer: "I am a solicitor", not "my solicitor"
    SELF_OR_BARE = "self_or_bare"  # also with nothing before it, as a sign-off title


@dataclass(frozen=True, slots=True)
class _Cue:
    kind: ThirdPartyKind
    reason: str
    pattern: re.Pattern[str]
    role: _Role | None = None
    # The cue does not count right after these words (the writer speaking of themselves).
    not_after: re.Pattern[str] | None = None
    # The cue counts only when the text also says this somewhere (for an insurer's
    # "our client"; for the costlier patterns, the words they cannot match without).
    requires: re.Pattern[str] | None = None


def _cue(
    kind: ThirdPartyKind,
    reason: str,
    pattern: str,
    *,
    role: _Role | None = None,
    not_after: str | None = None,
    requires: str | None = None,
) -> _Cue:
    return _Cue(
        kind,
        reason,
        re.compile(pattern, _FLAGS),
        role,
        re.compile(not_after + r" ?$", _FLAGS) if not_after else None,
        re.compile(requires, _FLAGS) if requires else None,
    )


_INSURER_WORDS = (
    r"\b(?:insur\w+|policy ?-?holders?|underwrit\w+|loss adjust\w+|claims? (?:handler|team|"
    r"department)|subrogat\w+|motor claims|credit hire)"
)

# In order: the most specific first, since a solicitor or an insurer writing about a
# victim, an employee or a relative is best answered as a solicitor or an insurer.
_CUES: tuple[_Cue, ...] = (
    # Insurers and loss adjusters.
    _cue(
        ThirdPartyKind.INSURER,
        INSURER_INSURED,
        r"\bour (?:[\w-]+ )?(?:insured|insureds|policy ?-?holders?|assured)(?![\w-])",
    ),
    _cue(
        ThirdPartyKind.INSURER,
        INSURER_INSURED,
        r"\bthe insured\b(?! (?:with|by)\b)",
        not_after=_SAYS_SELF,
    ),
    _cue(
        ThirdPartyKind.INSURER,
        INSURER_ROLE,
        r"\b(?:(?:loss|claims?) adjust(?:er|ers|or|ors|ing)|claims? (?:handler|handlers|handling|"
        r"technician|negotiator|team|department|dept|manager|consultant|executive|investigator|"
        r"advisor|adviser|officer)|motor claims|recovery (?:agents?|department|team)|"
        r"credit hire|accident management (?:company|firm)|claims management (?:company|firm)|"
        r"insurance (?:investigator|investigations)|counter[- ]fraud (?:team|unit|investigator))\b",
        role=_Role.SELF_OR_BARE,
    ),
    _cue(
        ThirdPartyKind.INSURER,
        INSURER_ROLE,
        r"\b(?:(?:motor )?insurers?(?: (?:of|for|to))?|insurance (?:company|provider|firm)|"
        r"underwriters?)\b",
        role=_Role.SELF,
    ),
    _cue(ThirdPartyKind.INSURER, INSURER_ROLE, r"\b(?:subrogat\w+|we (?:insure|underwrite))\b"),
    _cue(
        ThirdPartyKind.INSURER,
        INSURER_ROLE,
        r"\b(?:writing|calling|emailing|contacting you|write) (?:from|on behalf of|for) "
        r"(?:[\w&'.-]+ ){0,3}?(?:insurance|insurers|assurance|underwriting)\b",
    ),
    # Solicitors and other legal representatives.
    _cue(
        ThirdPartyKind.SOLICITOR,
        SOLICITOR_ACTS,
        r"\b(?:we|i) (?:act|are acting|am acting|have acted|acted|will be acting) "
        r"(?:for|on behalf of)\b(?! (?:myself|me|my ?self)\b)",
    ),
    _cue(
        ThirdPartyKind.SOLICITOR,
        SOLICITOR_ACTS,
        r"\b(?:we (?:are|have been|were|'ve been)|i (?:am|have been|was|'ve been)) instructed\b"
        r"(?! by " + _AUTHORITIES + r")(?! to\b)",
    ),
    _cue(
        ThirdPartyKind.SOLICITOR,
        SOLICITOR_ACTS,
        r"\b(?:we|i) (?:represent|are representing|am representing|have represented)\b"
        r"(?! (?:myself|me|my ?self)\b)",
    ),
    _cue(
        ThirdPartyKind.SOLICITOR,
        SOLICITOR_ROLE,
        r"\b(?:solicitors?|lawyers?|barristers?|counsel|legal representatives?|legal rep|"
        r"paralegal|legal executive|trainee solicitor|law firm|firm of solicitors|"
        r"defen[cs]e (?:solicitors?|lawyers?|team|counsel|representatives?)|legal advisers?|"
        r"appropriate adult|duty solicitor)\b",
        role=_Role.SELF,
    ),
    _cue(
        ThirdPartyKind.SOLICITOR,
        SOLICITOR_ROLE,
        r"\b(?:solicitors?|counsel|lawyers?) (?:for|acting for|representing|on behalf of|"
        r"instructed by|acting on behalf of) (?:the |our |mr|mrs|ms|miss|dr|(?-i:[A-Z]))",
        not_after=r"\bmy",
    ),
    _cue(
        ThirdPartyKind.SOLICITOR,
        SOLICITOR_ROLE,
        r"\b(?:solicitors regulation authority|sra (?:number|no|id|reference)|"
        r"regulated by the sra)\b",
    ),
    # Employers, fleets and hire companies.
    _cue(
        ThirdPartyKind.EMPLOYER,
        EMPLOYER_STAFF,
        r"\b(?:our|my|one of our|one of my) (?:[\w-]+ ){0,2}?(?:employees?|staff members?|"
        r"members? of (?:our )?staff|workers?|drivers?|engineers?|operatives?|technicians?|"
        r"couriers?|contractors?|sub-?contractors?|apprentices?|fitters?|team members?|staff)"
        r"(?!'?s? ?(?:licen[cs]e|job|jobs|role|position|work|cpc|card|hours|training|course|"
        r"career|contract|permit|record|agency|details|handbook|discount|pass|car park|number|"
        r"awareness|improvement|education|retraining|rehabilitation|scheme))"
        r"(?![\w-])",
    ),
    _cue(
        ThirdPartyKind.EMPLOYER,
        EMPLOYER_STAFF,
        r"\b(?:(?:an? )?employees? of (?:ours|our company|this company|the company)|"
        r"employed by (?:us|our company|this company)|(?:he|she|they) (?:works?|worked|"
        r"is working|was working) for (?:us|our company|this company)|on behalf of "
        r"(?:the|our|my) (?:company|business|firm|organi[sz]ation|employer))\b",
    ),
    _cue(
        ThirdPartyKind.EMPLOYER,
        EMPLOYER_STAFF,
        r"\b(?:our (?:company|fleet|pool|hire|lease|leased|hired|works|business) "
        r"(?:cars?|vehicles?|vans?|lorr(?:y|ies)|trucks?|hgvs?)|one of our (?:vehicles|vans|cars|"
        r"lorries|trucks|fleet)|our (?:company|business|firm|organi[sz]ation)'s (?:cars?|"
        r"vehicles?|vans?|lorr(?:y|ies)|trucks?))\b",
    ),
    _cue(
        ThirdPartyKind.EMPLOYER,
        EMPLOYER_ROLE,
        r"\b(?:i am|i'm|im|we are|we're|as) (?:his|her|their|the driver's|the employee's) "
        r"(?:employers?|line manager|manager|boss|supervisor|team leader)\b",
    ),
    _cue(
        ThirdPartyKind.EMPLOYER,
        EMPLOYER_ROLE,
        r"\b(?:fleet|transport|hr|human resources|personnel) (?:manager|director|officer|"
        r"administrator|admin|co-?ordinator|department|dept|team|services|advisor|adviser|"
        r"business partner|assistant)\b",
        role=_Role.SELF_OR_BARE,
    ),
    _cue(
        ThirdPartyKind.EMPLOYER,
        EMPLOYER_HIRE,
        r"\b(?:(?:we are|we're|as) (?:an? |the )?(?:[\w-]+ )?(?:hire|rental|lease|leasing|"
        r"rent-a-car|contract hire|vehicle hire|van hire|car hire) (?:company|firm|business|"
        r"provider)|our (?:hire|rental|lease|leasing) (?:customers?|agreements?|vehicles?|fleet|"
        r"clients?)|(?:was|is|were) on (?:hire|lease|rental) to|hired to (?:our|a) (?:customer|"
        r"client)|transfer (?:of )?liability)\b",
    ),
    _cue(
        ThirdPartyKind.EMPLOYER,
        EMPLOYER_HIRE,
        r"\bthe (?:hirer|lessee)s?\b",
        not_after=_SAYS_SELF,
    ),
    # "Our client": an insurer's when the text speaks of insurance, else a solicitor's.
    _cue(
        ThirdPartyKind.INSURER,
        INSURER_CLIENT,
        r"\b(?:our|my) clients?(?:'s|s')?(?![\w-])",
        requires=_INSURER_WORDS,
    ),
    _cue(
        ThirdPartyKind.INSURER,
        INSURER_CLIENT,
        r"\bour customers?(?:'s|s')?(?![\w-])",
        requires=_INSURER_WORDS,
    ),
    _cue(ThirdPartyKind.SOLICITOR, SOLICITOR_CLIENT, r"\b(?:our|my) clients?(?:'s|s')?(?![\w-])"),
    # Victims and witnesses.
    _cue(
        ThirdPartyKind.VICTIM,
        VICTIM_CASE,
        r"\b(?:(?:case|charges?|proceedings|trial) against|prosecution (?:of|against)) "
        r"(?!(?:me|myself|us|my|our|mine)\b)(?!the (?:offen[cs]es?|case|matter|ticket|charges?|"
        r"alleged|notice|penalty)\b)(?:(?:the|a|an|this|that|those|these|him|her|them|"
        r"mr|mrs|ms|miss|dr)\b|(?-i:[A-Z]))",
    ),
    _cue(
        ThirdPartyKind.VICTIM,
        VICTIM_SELF,
        r"\b(?:i was|i am|i'm|im|i've been|i have been|as|being) (?:the|a) victim\b"
        r"(?! of (?:(?:a |my )?(?:car |number |vehicle |registration )?(?:plates? )?"
        r"(?:clon\w*|being cloned)|identity theft|(?:car |number )?plate (?:clon\w*|theft)))",
    ),
    _cue(
        ThirdPartyKind.VICTIM,
        VICTIM_SELF,
        r"\bi (?:was|have been|'ve been|got|had been) (?:sexually )?(?:assaulted|attacked|mugged|"
        r"robbed|punched|stabbed|threatened|harassed|stalked|raped|beaten up|burgled|abused|"
        r"groped|glassed|headbutted|bitten)\b",
    ),
    _cue(
        ThirdPartyKind.VICTIM,
        VICTIM_SELF,
        r"\b(?:victim (?:personal statement|support|liaison|care|right to review|contact scheme|"
        r"impact statement)|victims'? code|witness (?:care|service))\b",
    ),
    _cue(
        ThirdPartyKind.VICTIM,
        VICTIM_OFFENDER,
        r"\b(?:the|that|this|a|an) (?:[\w-]+ )?(?:man|woman|person|lad|guy|bloke|driver|male|"
        r"female|people|youths?|kids?|individual|suspect|offender|boy|girl|gang|men|women|"
        r"cyclist|motorist|motorcyclist|neighbou?r|party|one|idiot|thief|thieves)"
        r" (?:who|that|which) (?:[\w'-]+ ){0,2}?(?:assaulted|attacked|hit|punched|kicked|"
        r"robbed|mugged|burgled|broke into|damaged|threatened|harassed|stalked|crashed into|"
        r"drove into|ran into|ran me|rear-?ended|reversed into|knocked|scratched|keyed|"
        r"vandali[sz]ed|abused|spat at|stabbed|injured|hurt|bit|smashed|shunted|"
        r"collided with|struck|groped|sexually|raped)\b",
        not_after=r"(?:\bi am|\bi'm|\bim|\bi was|\bit was me,?|\bwas i)",
    ),
    _cue(
        ThirdPartyKind.VICTIM,
        VICTIM_OFFENDER,
        r"\b(?:my (?:attacker|assailant|abuser|stalker|mugger|harasser)s?|the (?:perpetrator|"
        r"offender|accused|attacker|assailant|culprit)s?)\b",
        not_after=_SAYS_SELF,
    ),
    _cue(
        ThirdPartyKind.VICTIM,
        VICTIM_OFFENDER,
        r"\b(?:has|have|was|were|will|is|are|did) (?:he|she|they|him|her|them|anyone|anybody|"
        r"someone|somebody|the (?:other )?(?:driver|man|woman|person|suspect|offender|"
        r"defendant|lad|male|female|youths?)) (?:been |be |being |ever |yet |now )?(?:charged|"
        r"arrested|prosecuted|convicted|sentenced|summonsed|cautioned|caught|identified|traced|"
        r"interviewed|dealt with|punished)\b(?! (?:me|us)\b)",
    ),
    _cue(
        ThirdPartyKind.VICTIM,
        VICTIM_OFFENDER,
        r"\bthe (?:other )?(?:driver|man|woman|person|suspect|offender|defendant|lad|male|"
        r"female|youths?|attacker|people|men|women|boys?|girls?) (?:has|have|had|was|were|will|"
        r"is|are)(?: not| ever| yet| now| already)? (?:been |be |being )?(?:charged|arrested|"
        r"prosecuted|convicted|sentenced|summonsed|cautioned|caught|identified|traced|"
        r"interviewed|dealt with|punished)\b",
    ),
    _cue(
        ThirdPartyKind.VICTIM,
        VICTIM_OFFENDER,
        r"\b(?:prosecute|charge|arrest|summons|caution|convict|sentence) (?:him|her|them|the "
        r"(?:other )?(?:driver|man|woman|person|suspect|offender|lad|male|female))\b",
    ),
    _cue(
        ThirdPartyKind.VICTIM,
        VICTIM_WITNESS,
        r"\b(?:(?:i was|i am|i'm|we were|we are|as) (?:a|an|the|one of the) (?:[\w-]+ )?"
        r"witness(?:es)?|i witnessed|we witnessed|(?:called|cited|asked|summonsed|required) "
        r"(?:as a witness|to give evidence)|my witness statement)\b",
    ),
    _cue(
        ThirdPartyKind.VICTIM,
        VICTIM_DEFENDANT,
        r"\bthe defendant(?:s|'s)?\b",
        not_after=_SAYS_SELF,
    ),
    # Relatives and household.
    _cue(
        ThirdPartyKind.RELATIVE,
        RELATIVE_CASE,
        _MY
        + _REL_WORDS
        + r"(?:(?:'s|s')(?![\w-])(?: [\w-]+){0,2}?|s(?![\w'-]))"
        + " "
        + _POSSESSED,
    ),
    _cue(ThirdPartyKind.RELATIVE, RELATIVE_CASE, _MY + _REL_BARE + _ASIDE + " " + _EVENT),
    _cue(
        ThirdPartyKind.RELATIVE,
        RELATIVE_FOR,
        r"\b(?:regarding|concerning|re|in relation to|in respect of|with regard to|"
        r"on behalf of):? " + _MY + _REL + r"|\b(?:against|representing) " + _MY + _REL_BARE,
    ),
    _cue(
        ThirdPartyKind.RELATIVE,
        RELATIVE_FOR,
        r"\b(?:writ\w*|wrote|email\w*|e-mail\w*|contact\w*|enquir\w+|inquir\w+|ask\w*|quer\w+|"
        r"call\w*|ring\w*|phon\w+|messag\w+|this is|it is|it's|here|questions?|information|"
        r"info|update|news|know|details)(?: (?!not\b|never\b)[\w']+){0,2}? about " + _MY + _REL,
        requires=r"\babout (?:my|our) ",
    ),
    _cue(
        ThirdPartyKind.RELATIVE,
        RELATIVE_FOR,
        r"\b" + _FOR_VERBS + r"(?: " + _FOR_NOT + r"[\w'-]+){0,3}? for " + _MY + _REL_BARE,
        requires=r"\bfor (?:my|our) ",
    ),
    _cue(
        ThirdPartyKind.RELATIVE,
        RELATIVE_FOR,
        r"\b(?:is|are|was|it's|it is|this is)(?: (?:it|this|these|that|they|all))? for "
        + _MY
        + _REL_BARE,
    ),
    _cue(ThirdPartyKind.RELATIVE, RELATIVE_FOR, r"\bon " + _MY + _REL_POSSESSIVE + r" behalf\b"),
    _cue(
        ThirdPartyKind.RELATIVE,
        RELATIVE_SELF,
        r"\b(?:i am|i'm|im|as|being|we are|we're) (?:(?:his|her|their) "
        + _KIN
        + r"|the "
        + _KIN
        + r" of (?:the|this|that|mr|mrs|ms|miss|(?-i:[A-Z])[a-z]*)|(?:the|his|her|their) next of kin)\b",
    ),
    # "I'm Liam's dad", "I am Mrs Okafor's daughter".
    _cue(
        ThirdPartyKind.RELATIVE,
        RELATIVE_SELF,
        r"\b(?:i am|i'm|im|as) (?:(?:mr|mrs|ms|miss|dr)\.? )?(?-i:[A-Z][\w'-]{1,20})(?:'s|’s|s') "
        + _KIN
        + r"\b",
    ),
    # A carer, support worker or appointee, who helps but is not the person.
    _cue(
        ThirdPartyKind.REPRESENTATIVE,
        ON_BEHALF,
        r"\b(?:i am|i'm|im|as|we are) (?:his|her|their) (?:carer|care worker|support worker|"
        r"key worker|advocate|appointee|social worker)s?\b"
        # "a carer for Mr Smith", but not "a carer for my disabled son" (their own case).
        r"|\b(?:carer|care worker|support worker|key worker|advocate|appointee|social worker)s? "
        r"(?:for|of|to) (?!my\b|our\b)(?:mr|mrs|ms|miss|dr|(?-i:[A-Z]))",
    ),
    # "My partner is the registered keeper": the notice is the keeper's, not the writer's.
    _cue(
        ThirdPartyKind.RELATIVE,
        RELATIVE_CASE,
        _MY + _REL_BARE + r" (?:is|was) (?:the )?(?:registered )?(?:keeper|owner)\b",
    ),
    _cue(
        ThirdPartyKind.RELATIVE,
        RELATIVE_SELF,
        r"\bparents? ?(?:or|/|and) ?guardians?\b",
        not_after=r"\bmy",
    ),
    _cue(
        ThirdPartyKind.RELATIVE,
        RELATIVE_CASE,
        r"\b(?:registered|registered keeper is|registered to|is in|in) "
        + _MY
        + _REL_POSSESSIVE
        + r" name\b",
    ),
    _cue(
        ThirdPartyKind.RELATIVE,
        RELATIVE_FOR,
        r"\b(?:(?:live|lives|living) with|share (?:the|a|this|my|our) (?:house|flat|home|address) "
        r"with) (?:the|him|her|them|someone|somebody|a|an|mr|mrs|ms|miss)\b(?! (?:police|court)\b)",
    ),
    _cue(
        ThirdPartyKind.REPRESENTATIVE,
        SOMEONE_ELSE,
        r"\b(?:the (?:person|people|man|woman|lady|gentleman) (?:named|whose name is) on|"
        r"the name on (?:it|the \w+|this \w+) is(?! (?:mine|me|my|correct|wrong|right|spelt|"
        r"spelled|misspelt|misspelled|not)\b)|dealing with (?:the|his|her|their) (?:post|mail|"
        r"letters|affairs|paperwork)|the claimant)\b",
        not_after=_SAYS_SELF,
    ),
    # Anyone else: friends, carers, "on behalf of", someone's authority.
    _cue(
        ThirdPartyKind.REPRESENTATIVE,
        SOMEONE_ELSE,
        _MY + _OTHER_POSSESSIVE + r" (?:[\w-]+ ){0,2}?" + _POSSESSED,
    ),
    _cue(ThirdPartyKind.REPRESENTATIVE, SOMEONE_ELSE, _MY + _OTHER_BARE + _ASIDE + " " + _EVENT),
    _cue(
        ThirdPartyKind.REPRESENTATIVE,
        SOMEONE_ELSE,
        r"\b(?:" + _FOR_VERBS + r"(?: " + _FOR_NOT + r"[\w'-]+){0,3}? for|about|regarding|"
        r"concerning|on behalf of) (?:my|our|a) (?:[\w'-]+ ){0,2}?" + _OTHER_BARE,
        requires=r"\b(?:for|about|regarding|concerning|of) (?:my|our|a) ",
    ),
    _cue(
        ThirdPartyKind.REPRESENTATIVE,
        SOMEONE_ELSE,
        r"\b(?:someone else's|somebody else's|another person's|other people's|"
        r"a (?:friend|colleague|neighbou?r|relative|family member)'s) (?:[\w-]+ ){0,2}?"
        + _POSSESSED,
    ),
    _cue(
        ThirdPartyKind.REPRESENTATIVE,
        ON_BEHALF,
        r"\bon behalf of (?!" + _AUTHORITIES + r")(?!(?:myself|me|my ?self)\b(?! ?(?:and|&|\+)))",
    ),
    _cue(
        ThirdPartyKind.REPRESENTATIVE,
        ON_BEHALF,
        r"\bon (?:his|her|their|them|someone's|somebody's|someone else's|a friend's|"
        r"(?!my\b)[\w-]+'s) behalf\b",
    ),
    _cue(
        ThirdPartyKind.REPRESENTATIVE,
        ON_BEHALF,
        r"\b(?:writing|emailing|asking|enquiring|inquiring|contacting you|acting|calling|"
        r"replying|responding|translating|interpreting) (?:for|on behalf of) (?:him|her|them|"
        r"someone|somebody|a friend|others|another person)\b",
    ),
    _cue(
        ThirdPartyKind.REPRESENTATIVE,
        ON_BEHALF,
        r"\bacting for (?!(?:myself|me)\b)(?:(?:the|a|an|mr|mrs|ms|miss|dr)\b|(?-i:[A-Z]))",
    ),
    _cue(
        ThirdPartyKind.REPRESENTATIVE,
        AUTHORITY,
        r"\b(?:(?:lasting )?power of attorney|(?:signed |written )?(?:form|letter) of authority|"
        r"(?:his|her|their) (?:consent|authority|authorisation|authorization|permission|mandate)|"
        r"(?:written|signed) (?:consent|authority|authorisation|authorization|mandate)|(?:i am|i'm|im|as) (?:his|her|their) (?:attorney|carer|"
        r"guardian|advocate|appointee|deputy|representative|support worker|social worker|"
        r"key worker|care worker|interpreter|translator|mp)|my constituent)\b",
    ),
    _cue(
        ThirdPartyKind.REPRESENTATIVE,
        ASKED_BY,
        r"\b(?!(?:which|that|it|letter|notice|form|email|website|site|page|system|they|you|"
        + _ASKERS
        + r")\b)[\w'-]+ (?:has |had |have )?asked me to (?:write|contact|email|e-mail|enquire|"
        r"inquire|ask|find out|get in touch|chase|check|message|query|sort|deal with|pay|"
        r"help|handle|look into|appeal|reply|respond|speak)\b",
        not_after=r"\b(?:" + _ASKERS + r"|the|your|an?)(?: [\w'-]+){0,3},?",
        requires=r"\basked me to\b",
    ),
    _cue(
        ThirdPartyKind.REPRESENTATIVE,
        SOMEONE_ELSE,
        r"\b(?:he|she)" + _CONTRACTED + _ASIDE + " " + _PRONOUN_EVENT,
    ),
    _cue(
        ThirdPartyKind.REPRESENTATIVE,
        SOMEONE_ELSE,
        r"\b(?:his|her) (?:court|hearing|summons|case|trial|claim|caution|charge|pcn|fpn|nip)\b"
        r"|(?<!it's )(?<!it is )(?<!is )(?<!be )\b(?:his|her) (?:fine|ticket|notice|penalty|"
        r"points|speeding|parking)\b",
    ),
)

_RELATION_MENTIONED = re.compile(_MY + _REL, _FLAGS)
_CLEAN_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_SPACES = re.compile(r"\s+")


def third_party(own_text: str) -> ThirdParty | None:
    """The third party the writer's own words show, or None.

    `own_text` is the writer's new text only (quoted mail removed by the caller). The
    first cue found, in a fixed order of precedence, decides the kind; the reason names
    the cue in fixed words, never anything from the text.
    """
    text = _SPACES.sub(" ", own_text[:MAX_CHARS].translate(_CLEAN_QUOTES))
    for cue in _CUES:
        if cue.requires is not None and not cue.requires.search(text):
            continue
        if any(_counts(cue, text, match) for match in cue.pattern.finditer(text)):
            return _refined(cue, text)
    return None


def _counts(cue: _Cue, text: str, match: re.Match[str]) -> bool:
    before = text[max(0, match.start() - _WINDOW) : match.start()]
    if _NEGATED.search(before):
        return False
    if cue.not_after is not None and cue.not_after.search(before):
        return False
    if cue.role is None:
        return True
    if _ROLE_MINE.search(before):
        return False
    if _ROLE_SELF.search(before):
        return True
    return cue.role is _Role.SELF_OR_BARE and not _ROLE_OTHER.search(before)


def _refined(cue: _Cue, text: str) -> ThirdParty:
    """Someone unnamed ("he got a ticket") is a relative when the text names one."""
    if cue.reason in (SOMEONE_ELSE, ASKED_BY) and _RELATION_MENTIONED.search(text):
        return ThirdParty(ThirdPartyKind.RELATIVE, RELATIVE_CASE)
    return ThirdParty(cue.kind, cue.reason)
