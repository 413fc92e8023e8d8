"""Third parties (contracts.md section 2) are found in the writer's own words, and subjects
writing about their own case while mentioning other people are not taken for them."""

from __future__ import annotations

import re
import time

import pytest

from lookup.third_party import ThirdPartyKind, third_party

RELATIVE = ThirdPartyKind.RELATIVE
EMPLOYER = ThirdPartyKind.EMPLOYER
INSURER = ThirdPartyKind.INSURER
SOLICITOR = ThirdPartyKind.SOLICITOR
VICTIM = ThirdPartyKind.VICTIM
REPRESENTATIVE = ThirdPartyKind.REPRESENTATIVE

POSITIVES: list[tuple[str, ThirdPartyKind]] = [
    # Parents, partners, other relatives and household members.
    (
        "Hello, my son got a speeding ticket last week, reference 3462166202. Can I pay it?",
        RELATIVE,
    ),
    ("My wife received a notice of intended prosecution yesterday, what happens next?", RELATIVE),
    ("I am writing about my husband's court case on 14 March.", RELATIVE),
    ("Hi there, my daughter (17) got a parking ticket outside the college. Is it paid?", RELATIVE),
    ("My 19 year old son has been summonsed and he is too anxious to call you.", RELATIVE),
    ("Please can you tell me the status of my son's fixed penalty? He is at university.", RELATIVE),
    ("My partner, who is in hospital, was fined on the 3rd. I want to pay it for them.", RELATIVE),
    ("I'm writing on behalf of my elderly mother who doesn't use email.", RELATIVE),
    ("Dear sir, my husband he have receive letter from police, what he must do?", RELATIVE),
    ("my daughter get penalty for bus lane, she is student, can she pay less", RELATIVE),
    ("I write for my brother, he not speak English. Ticket ref 9981234455.", RELATIVE),
    ("Is this ticket for my son? The letter came to our house.", RELATIVE),
    ("Could you update me on my father's case? He has dementia.", RELATIVE),
    ("I am his mother and I need to know when his hearing is.", RELATIVE),
    ("My son, James, was caught on camera doing 38 in a 30.", RELATIVE),
    ("My lodger was stopped by police in my car, has he been given points?", RELATIVE),
    (
        "We are applying for compensation for our daughter after the assault in May (CICA).",
        RELATIVE,
    ),
    ("I'm making the CICA claim on behalf of my late husband's estate.", RELATIVE),
    ("My grandson's summons says court on Friday, can I attend instead?", RELATIVE),
    ("my sons ticket was sent to the wrong address", RELATIVE),
    ("Our son has a court date next month and we would like to know the charges.", RELATIVE),
    ("I paid the fine for my daughter last week but it still shows as unpaid.", RELATIVE),
    ("My boyfriend's been charged with careless driving, when is the hearing?", RELATIVE),
    ("My flatmate received a penalty notice for disorder and asked me to check it.", RELATIVE),
    ("The car is registered in my wife's name, she got the letter.", RELATIVE),
    ("Regarding my sister, she was involved in a collision on the A38.", RELATIVE),
    ("I am enquiring about my nephew, he was arrested on Saturday.", RELATIVE),
    ("My mum was hit by a car on the crossing. Where is the collision report?", RELATIVE),
    # Employers, HR, fleet managers, hire and lease companies.
    ("Dear Sir/Madam, one of our drivers received a camera notice in our company van.", EMPLOYER),
    ("Our employee was stopped on the M5 on 2 Nov. Please confirm the outcome.", EMPLOYER),
    (
        "HR Department here. We need the status of a fixed penalty issued to a staff member.",
        EMPLOYER,
    ),
    ("Fleet Manager, Acme Logistics. Ref 3462166202 - driver details attached.", EMPLOYER),
    ("I am the fleet manager for a courier firm and need to nominate the driver.", EMPLOYER),
    (
        "We are a vehicle hire company. At the time of the offence the car was on hire to a customer.",
        EMPLOYER,
    ),
    ("Please transfer liability to the hirer, whose details are enclosed.", EMPLOYER),
    ("I'm his line manager and he has asked me to find out about his court date.", EMPLOYER),
    ("Hi, I work in HR. One of our engineers says he got a ticket in a pool car.", EMPLOYER),
    ("As a leasing company we are the registered keeper; the lessee was driving.", EMPLOYER),
    ("he works for us as a delivery driver. has the fine been paid?", EMPLOYER),
    ("Could you send me the notice for our company vehicle AB12 CDE?", EMPLOYER),
    # Insurers and loss adjusters.
    ("We write on behalf of our insured in respect of the collision on 4 October.", INSURER),
    (
        "Our policyholder was involved in a road traffic collision; please provide the report.",
        INSURER,
    ),
    (
        "I am a loss adjuster instructed on this claim and request a copy of the collision report.",
        INSURER,
    ),
    ("Claims Handler, Motor Claims Department. Our client's vehicle was damaged.", INSURER),
    ("We are the insurers of the vehicle and seek details of any prosecution.", INSURER),
    ("Dear Sirs, the insured driver states the third party ran a red light.", INSURER),
    ("Please accept this as our subrogated claim request for the police report.", INSURER),
    # Solicitors and legal representatives.
    ("We act for Mr Smith in relation to the summons dated 1 November.", SOLICITOR),
    ("We represent the defendant and request initial disclosure.", SOLICITOR),
    ("I have been instructed by the above-named to deal with this penalty notice.", SOLICITOR),
    (
        "Our client has asked us to obtain a copy of the notice. Signed authority enclosed.",
        SOLICITOR,
    ),
    ("I am a trainee solicitor at Jones & Co and write regarding our client's case.", SOLICITOR),
    ("Defence solicitors for the accused, please call us about the trial date.", SOLICITOR),
    ("My client instructs me that he was not the driver at the time.", SOLICITOR),
    ("Solicitors Regulation Authority number 123456. Please see the attached request.", SOLICITOR),
    # Victims and witnesses.
    ("What is happening with the case against Daniel Shaw? He punched me in May.", VICTIM),
    ("I was the victim of an assault outside the pub and have heard nothing.", VICTIM),
    ("The man who assaulted me is still walking around. Has he been charged?", VICTIM),
    ("The person who hit my car drove off. Have they been traced?", VICTIM),
    ("I was a witness to the crash on Mill Lane and have been asked to give evidence.", VICTIM),
    ("Has anyone been arrested for the burglary at my house?", VICTIM),
    ("When is the defendant due in court? I want to give a victim personal statement.", VICTIM),
    ("the driver that rear-ended me last week, will you prosecute him?", VICTIM),
    # Anyone else, "on behalf of", carers, authority.
    ("I am writing on behalf of a friend who received a fixed penalty notice.", REPRESENTATIVE),
    ("On behalf of Ms Patel, please find the signed form of authority.", REPRESENTATIVE),
    ("I hold lasting power of attorney for Mr Green and deal with his post.", REPRESENTATIVE),
    ("My neighbour got a summons and cannot read English well, I help him.", REPRESENTATIVE),
    ("I'm his carer and he asked me to email you about the ticket.", REPRESENTATIVE),
    ("I'm writing for someone who is too unwell to contact you.", REPRESENTATIVE),
    (
        "A colleague's speeding ticket came to the office, can you confirm the reference?",
        REPRESENTATIVE,
    ),
    ("Enquiring on her behalf as she is abroad: is the fine paid?", REPRESENTATIVE),
    ("He got a ticket last week and doesn't know what to do.", REPRESENTATIVE),
    ("She has received a summons for next week.", REPRESENTATIVE),
    (
        "Good morning, this is the office of the MP, my constituent received a penalty notice.",
        REPRESENTATIVE,
    ),
    (
        "Dear Sir, I am contacting you regarding my son. He received a penalty notice on 3 May.",
        RELATIVE,
    ),
    ("My 16 year old was given a community resolution, what does that mean for him?", RELATIVE),
    ("my husband got nicked for drink driving last night, when is he in court", RELATIVE),
    ("I'm emailing on my dad's behalf, he has no internet.", RELATIVE),
    ("i write for my wife she dont speak english good, she get ticket for speed", RELATIVE),
    ("my son he was catch by camera, he is 18 and the letter come to me", RELATIVE),
    ("I am the mother of the boy who was given the ticket.", RELATIVE),
    ("We act on behalf of ABC Haulage Ltd in respect of the attached notice.", SOLICITOR),
    ("Dear Sirs, We are instructed by our client in connection with the above notice.", SOLICITOR),
    (
        "Dear Team, our HGV driver was stopped at the weighbridge. Can you confirm the penalty?",
        EMPLOYER,
    ),
    ("As his employer we need to confirm his licence has been endorsed.", EMPLOYER),
    ("I am writing from XYZ Insurance regarding our customer's claim.", INSURER),
    ("Our ref ABC/123. We are the motor insurers for the vehicle AB12CDE.", INSURER),
    ("I was assaulted and want to know if the man has been charged.", VICTIM),
    ("What is the outcome of the trial of the man who stabbed my brother?", VICTIM),
    ("The youths who damaged my car, have they been caught?", VICTIM),
    ("I'm enquiring for my colleague who is on leave, ticket ref 1234567890.", REPRESENTATIVE),
    ("My friend's car was clamped and she asked me to sort it.", REPRESENTATIVE),
    (
        "Hello, I share the house with the person named on this compensation claim. They are in "
        "hospital so I am dealing with the post.",
        RELATIVE,
    ),
    ("I live with the claimant and I am helping with the CICA application.", RELATIVE),
]

NEGATIVES: list[str] = [
    "I wasn't driving, it was my son. I have filled in the form.",
    "My wife was driving, I have named her on the form.",
    "My husband paid it for me last week, please confirm it is closed.",
    "My solicitor told me to write and ask for the photographs.",
    "I'm the registered keeper of AB12 CDE and want to appeal the notice.",
    "I was hit by another car at the junction and need my collision report.",
    "I am writing on behalf of myself about ticket 3462166202.",
    "My son is ill so I can't attend court on Monday. Can it be moved?",
    "I am not writing on behalf of anyone, this is my own ticket.",
    "I got a ticket while taking my son to school, I was only there two minutes.",
    "I was driving my wife's car when I was stopped.",
    "My insurance company wants the collision report, can you send it to me?",
    "My insurer asked me for the reference number of my accident report.",
    "My employer needs proof of my court date so I can have the day off.",
    "I'm a delivery driver and the points on my licence could cost me my job.",
    "My partner opened the letter by mistake, the fine is mine and I will pay it.",
    "I can't pay the fine in full because my wife lost her job.",
    "My daughter will come with me to court for support.",
    "I have to care for my mother so I need a morning hearing.",
    "I was caught speeding rushing to get medicine for my daughter.",
    "I represent myself, I don't have a lawyer. When is my hearing?",
    "I am the defendant in this case and want to plead guilty by post.",
    "The officer who stopped me was rude and I want to complain.",
    "My car was cloned, I was the victim of plate cloning, I was never in London.",
    "I was the driver and I accept the fixed penalty.",
    "Can I pay my fine in instalments? My husband and I are on benefits.",
    "I received a notice for speeding but my dad was with me and says I was under the limit.",
    "My friend was a passenger in my car and can confirm I was not speeding.",
    "I have instructed a solicitor but wanted to check the date myself.",
    "My lawyer advised me to ask for disclosure of the speed camera calibration.",
    "I was driving my company van when I got the ticket, my boss knows.",
    "I missed my court date because my father was taken into hospital.",
    "The letter was sent to my old address, my mum forwarded it to me.",
    "Please send the course details to me, my son is off school so I can only do evenings.",
    "My drivers licence number is MORGA657054SM9IJ and my date of birth is 05/04/1965.",
    "I rang yesterday and the lady said she would send me the form.",
    "I was instructed by the officer to send my licence to you.",
    "I was the victim of identity theft, someone is using my details.",
    "I need my collision report for my insurer, the other driver hit me from behind.",
    "I'm the policy holder and my car was damaged in the crash you attended.",
    "Dear Sir, I am writing about my parking ticket. My name is Anne Graham, 12/03/1958.",
    "My boss asked me to write in as I need the day off for court.",
    "The hire company passed the notice to me as I was the hirer at the time.",
    "My HR department asked for a copy of my court summons.",
    "I'm not a solicitor, just a normal person trying to understand the letter.",
    "I was taking my elderly father to hospital when the camera flashed me.",
    "The officer said he would send me a ticket in the post, I haven't got it yet.",
    "It says the case against me will be heard on 2 December, can I change the date?",
    "Hi, I got a speeding ticket, ref 3462166202. My wife says I should appeal. Can I?",
    "I was stopped by an officer and given a ticket. My son was in the car with me.",
    "I have a court date on 5 Jan but my daughter is getting married that day.",
    "I've named my wife as the driver, she was driving at the time.",
    "It was my brother driving, not me. I have sent his details.",
    "Someone stole my car and it got a ticket while it was stolen, I'm the keeper.",
    "The fine is for me, not my husband, he just opened the letter.",
    "My solicitors, Smith & Co, will be in touch about my case.",
    "The officer said he had stopped me for speeding but I was under the limit.",
    "I have a witness who saw that I stopped at the red light.",
    "I'm a carer for my disabled son and need the car, please don't ban me.",
    "I am writing for myself, not for anyone else.",
    "As the mother of three I cannot afford this fine.",
    "I had written permission from the landowner to park there.",
    "I want to challenge the prosecution of the offence.",
    "I received a letter on behalf of the Chief Constable.",
    "I spoke to your colleague and she has a reference for me.",
    "I hired a van from a rental company and they sent my details to you.",
    "hi, i would like to know whether my driver awareness course has been paid. ref da27683767",
    "I live with my parents and the notice went to their address.",
    "The name on it is wrong, it should be Anne not Ann.",
]


@pytest.mark.parametrize(("text", "kind"), POSITIVES)
def test_third_party_is_found(text: str, kind: ThirdPartyKind) -> None:
    """Each message written for or about someone else is a third party of the right kind."""
    found = third_party(text)
    assert found is not None, text
    assert found.kind == kind, (text, found)


@pytest.mark.parametrize("text", NEGATIVES)
def test_subject_writing_about_their_own_case_is_not_a_third_party(text: str) -> None:
    """A subject mentioning family, a solicitor or an employer about their own case is no third party."""
    assert third_party(text) is None, (text, third_party(text))


def test_there_are_enough_examples() -> None:
    """The examples cover at least 60 third parties and 40 subjects."""
    assert len(POSITIVES) >= 60
    assert len(NEGATIVES) >= 40


def test_reasons_never_contain_names_from_the_text() -> None:
    """The reason is a fixed cue description: no name written in the text appears in it."""
    names = re.compile(r"\b(?:Daniel|Shaw|Smith|Patel|Green|James|Jones|Acme)\b")
    for text, _ in POSITIVES:
        found = third_party(text)
        assert found is not None
        assert not names.search(found.reason), found.reason


def test_negation_undoes_the_cue() -> None:
    """'Not on behalf of anyone' and 'not about my son' are not third parties; without 'not' they are."""
    assert third_party("I am not writing on behalf of anyone else.") is None
    assert third_party("I am writing on behalf of someone else.") is not None
    assert third_party("This is not about my son, it is my own notice.") is None
    assert third_party("This is about my son.") is not None


def test_line_wrapped_mail_is_read_across_lines() -> None:
    """A cue broken over two lines by the mail program is still found."""
    found = third_party("Hello,\n\nMy son got a\nspeeding ticket and I am\nwriting for him.")
    assert found is not None
    assert found.kind == RELATIVE


def test_curly_apostrophes_are_read() -> None:
    """Typographic apostrophes (as phones write them) read as plain ones."""
    found = third_party("I’m asking about my husband’s court case.")
    assert found is not None
    assert found.kind == RELATIVE


def test_empty_and_plain_texts_are_not_third_parties() -> None:
    """Nothing, or a bare question about a ticket, names nobody else."""
    assert third_party("") is None
    assert third_party("Where is my ticket 3462166202?") is None


def test_long_text_costs_little() -> None:
    """200,000 characters of text with many near-cues is read quickly."""
    text = ("my son is fine and my wife was driving, for my " * 5000)[:200_000]
    started = time.monotonic()
    third_party(text)
    assert time.monotonic() - started < 5  # a blow-up guard, not a speed test


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Hi, I'm Liam's dad. Ref 3462166203, dob 02/07/1992.", ThirdPartyKind.RELATIVE),
        ("As Mrs Okafor's daughter I am writing about her fine.", ThirdPartyKind.RELATIVE),
        ("I am a carer for Mr Smith and help him with his post.", ThirdPartyKind.REPRESENTATIVE),
        ("My partner is the registered keeper but I was driving.", ThirdPartyKind.RELATIVE),
    ],
)
def test_relatives_carers_and_keepers_found_later(text: str, kind: ThirdPartyKind) -> None:
    """Named relatives ("Liam's dad"), carers and a relative who is the keeper."""
    found = third_party(text)
    assert found is not None
    assert found.kind is kind
