"""Screening free text for personal data: each kind caught in case-study prose, clean prose left alone.

Every value here is made up: the NHS number is the NHS's own example, the phone numbers are Ofcom's
drama ranges or invented, the NI number follows HMRC's rules but was written for this test.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest

from dashboard.access.screening import Finding, describe, find_personal_data, nhs_number_valid, redact

ROOT = Path(__file__).resolve().parents[2]


def found(text: str, **options: object) -> list[tuple[str, str]]:
    """(kind, the text found) for every finding."""
    return [(f.kind, text[f.start:f.end]) for f in find_personal_data(text, **options)]


# --- each kind in a realistic sentence, several formats each ------------------------------------

@pytest.mark.parametrize(("text", "kind", "value"), [
    ("Her daughter can be reached at jane.hughes@example.com about the works.",
     "e-mail address", "jane.hughes@example.com"),
    ("Contact: J_O'Brien+dfg@mail.example.co.uk, or the office.", "e-mail address",
     "J_O'Brien+dfg@mail.example.co.uk"),
    ("Her e-mail is mhughes1931@example.org.", "e-mail address", "mhughes1931@example.org"),
    ("Ring her landline on 0116 496 0123 before visiting.", "UK phone number", "0116 496 0123"),
    ("Son's mobile 07911 123456 is best.", "UK phone number", "07911 123456"),
    ("Mobile +44 7911 123456 (evenings).", "UK phone number", "+44 7911 123456"),
    ("Call +44 (0)116 496 0123 first.", "UK phone number", "+44 (0)116 496 0123"),
    ("Tel 0116-496-0123 or write.", "UK phone number", "0116-496-0123"),
    ("Numbers on file: 020 7946 0958 0116 496 0124", "UK phone number", "0116 496 0124"),
    ("Her son in Lyon: +33 6 12 34 56 78.", "phone number", "+33 6 12 34 56 78"),
    ("She lives near the park, Leicester LE1 6ZG, with her cat.", "postcode", "LE1 6ZG"),
    ("postcode le16zg on the referral form", "postcode", "le16zg"),
    ("Moved to CV34 4RL last year.", "postcode", "CV34 4RL"),
    ("Forwarded to GIR 0AA by mistake.", "postcode", "GIR 0AA"),
    ("London flat at SW1A 1AA.", "postcode", "SW1A 1AA"),
    ("NHS number 943 476 5919 on the discharge letter.", "NHS number", "943 476 5919"),
    ("NHS no. 9434765919 given by the ward.", "NHS number", "9434765919"),
    ("Quoted 943-476-5919 on the phone.", "NHS number", "943-476-5919"),
    ("NI number JG 10 37 29 B for the benefits check.", "National Insurance number", "JG 10 37 29 B"),
    ("Benefits check used JG103729B.", "National Insurance number", "JG103729B"),
    ("Her NINO is jg 103729 b apparently.", "National Insurance number", "jg 103729 b"),
    ("She was born on 12 June 1931 in Hinckley.", "date of birth", "born on 12 June 1931"),
    ("DOB: 12/06/1931, lives alone.", "date of birth", "DOB: 12/06/1931"),
    ("d.o.b. 12-Jun-1931 on the form.", "date of birth", "d.o.b. 12-Jun-1931"),
    ("Date of birth 12.06.31 per the GP.", "date of birth", "Date of birth 12.06.31"),
    ("born 3rd of March 1929, widowed", "date of birth", "born 3rd of March 1929"),
    ("Client 12/06/1931 (DOB) referred.", "date of birth", "12/06/1931 (DOB)"),
    ("Mr Khan, aged 93, was sleeping downstairs.", "age over 90", "aged 93"),
    ("She is 93 years old and determined.", "age over 90", "93 years old"),
    ("Age: 97. Lives alone.", "age over 90", "Age: 97"),
    ("A 94-year-old woman could not use her bath.", "age over 90", "94-year-old"),
    ("Stairlift fitted before her 100th birthday.", "age over 90", "100th birthday"),
    ("Aged 90 and still gardening.", "age over 90", "Aged 90"),
    ("Mrs Hughes could not climb the stairs.", "personal name", "Mrs Hughes"),
    ("Referred by Dr Patel at the surgery.", "personal name", "Dr Patel"),
    ("Mrs. Hughes could not climb the stairs.", "personal name", "Mrs. Hughes"),
    ("Mr and Mrs O'Neill asked for a ramp.", "personal name", "Mrs O'Neill"),
    ("Margaret Hughes was discharged early.", "personal name", "Margaret Hughes"),
    ("The OT, Harpreet Kaur, assessed the bathroom.", "personal name", "Harpreet Kaur"),
    ("Visited by Wojciech Nowak from the council.", "personal name", "Wojciech Nowak"),
    ("Aisha M. Rahman asked for a stair rail.", "personal name", "Aisha M. Rahman"),
    ("Her son Dylan rang the Customer Service Centre.", "personal name", "Dylan"),
    ("A client called Priya needed a ramp.", "personal name", "Priya"),
    ("Margaret lives alone and was frightened of falling.", "personal name", "Margaret"),
    ("Stayed at Siobhan's house while the works were done.", "personal name", "Siobhan"),
    ("John lives alone since his wife died.", "personal name", "John"),
    ("Mohammed's son rang the Customer Service Centre.", "personal name", "Mohammed"),
    ("She lives at 14 Church Lane with her husband.", "street address", "14 Church Lane"),
    ("Address: Flat 2, 7 Acacia Avenue, Melton.", "street address", "Flat 2, 7 Acacia Avenue"),
    ("Moved from 112b St Mary's Road last spring.", "street address", "112b St Mary's Road"),
    ("Works at 3 The Crescent finished on time.", "street address", "3 The Crescent"),
])
def test_each_kind_is_found_in_a_sentence(text: str, kind: str, value: str) -> None:
    assert (kind, value) in found(text)


def test_a_case_study_with_everything_in_it() -> None:
    """The case study that was published: name, address, postcode and NHS number."""
    text = ("Mrs Margaret Hughes (NHS 943 476 5919), 93 years old, of 14 Church Lane, Leicester "
            "LE1 6ZG, rang on 0116 496 0123.")
    assert found(text) == [
        ("personal name", "Mrs Margaret Hughes"), ("NHS number", "943 476 5919"),
        ("age over 90", "93 years old"), ("street address", "14 Church Lane"),
        ("postcode", "LE1 6ZG"), ("UK phone number", "0116 496 0123"),
    ]


def test_shown_is_masked_never_the_whole_value() -> None:
    text = ("Mrs Margaret Hughes, NHS 943 476 5919, 14 Church Lane, LE1 6ZG, 07911 123456, "
            "jane.hughes@example.com, JG 10 37 29 B, born 12/06/1931, aged 93")
    shown = {f.kind: f.shown for f in find_personal_data(text)}
    assert shown == {
        "personal name": "Mrs M… H…", "NHS number": "943 …", "street address": "… C… Lane",
        "postcode": "LE1 …", "UK phone number": "07911 …", "e-mail address": "j…@…",
        "National Insurance number": "JG …", "date of birth": "born …", "age over 90": "aged 9…",
    }
    for f in find_personal_data(text):
        assert text[f.start:f.end] not in f.shown


# --- the NHS number's check digit ----------------------------------------------------------------

def test_nhs_number_needs_a_valid_modulus_11_check_digit() -> None:
    # 943 476 591 ? : 9×10 + 4×9 + 3×8 + 4×7 + 7×6 + 6×5 + 5×4 + 9×3 + 1×2
    #               = 90 + 36 + 24 + 28 + 42 + 30 + 20 + 27 + 2 = 299
    # 299 mod 11 = 2 (11 × 27 = 297), 11 − 2 = 9: the check digit is 9, so 943 476 5919 is valid.
    assert nhs_number_valid("9434765919")
    assert not nhs_number_valid("9434765918")  # same digits, wrong check digit
    # 401 023 213 ? : 4×10 + 0 + 1×8 + 0 + 2×6 + 3×5 + 2×4 + 1×3 + 3×2 = 92; 92 mod 11 = 4;
    # 11 − 4 = 7, so 401 023 2137 is valid.
    assert nhs_number_valid("4010232137")
    # 123 456 789 ? : 10 + 18 + 24 + 28 + 30 + 30 + 28 + 24 + 18 = 210; 210 mod 11 = 1; 11 − 1 = 10,
    # which no check digit can be: no NHS number starts 123 456 789.
    assert not any(nhs_number_valid(f"123456789{d}") for d in range(10))
    assert not nhs_number_valid("0000000000")  # passes the sum, but is a placeholder, not a number


def test_a_ten_digit_number_failing_the_check_is_not_flagged() -> None:
    assert found("NHS number 943 476 5918 on the letter; 943 476 5919 on the form.") == [
        ("NHS number", "943 476 5919")]
    assert found("Reference 4012345678 and order 9434765918.") == []


# --- what is deliberately not flagged ------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Works in LE1 and LE2 finished; Blaby and Charnwood next.",  # outward codes, districts
    "Fitted on the 1st floor of block A1 1st phase; door B2 4ft wide.",  # not postcodes
    "HMRC's example number QQ 12 34 56 C is not anyone's.",  # Q is never a first letter
    "Prefix check: BG 12 34 56 A and GB 12 34 56 A are never issued.",
    "Call First Contact Plus on 0300 123 4567 or the free line 0800 111 999.",  # service numbers
    "Completed on 12/06/2019 and signed off on 14 June 2019.",  # dates with no birth cue
    "She has been aged 89 for a year, and 45 years old is young; over 100 days waiting.",
    "Grant of £6,102.50 paid on 12/06/2019 for ref 4012345678.",
    "Mrs A and Mr B asked for the same adaptations.",  # initials: already anonymised
    "Level access shower through First Contact Plus; Adult Social Care and Age UK helped.",
    "In June the OT visited. May was busy. Will the grant be approved? Hope so. Grace period.",
    "Referred by Leicester Royal Infirmary to the Home Improvement Agency and St John Ambulance.",
    "The grant paid for works near Victoria Road; Grace Hospital discharged her.",
    "Took 2 days; fitted 3 grab rails on the way out.",
    "Lightbulb OT and the Trading Standards team; Melton Borough Council; Harborough District.",
])
def test_ordinary_prose_is_not_flagged(text: str) -> None:
    assert found(text) == []


def test_places_given_by_the_caller_are_never_names() -> None:
    text = "Moved from Rhys Mowbray to Coleford Heath."
    assert ("personal name", "Rhys Mowbray") in found(text)
    assert found(text, places=["Rhys Mowbray"]) == []


def _sample_texts() -> list[tuple[str, str, str]]:
    """Every free-text cell of the built-in sample data: (file, column, text)."""
    columns = {"case_studies": ("title", "main_issues", "actions_taken", "referrals_made", "benefits",
                                "others_involved", "ongoing_support", "quote"),
               "feedback": ("summary",), "dfg": ("withdrawn_reason",)}
    texts = set()
    for kind, names in columns.items():
        for path in sorted((ROOT / "sample_data").glob(f"*/{kind}.csv")):
            with path.open(encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    texts |= {(f"{path.parent.name}/{path.name}", c, row[c]) for c in names if row[c]}
    return sorted(texts)


def test_every_sample_text_is_clean() -> None:
    texts = _sample_texts()
    assert len(texts) > 150  # every case study field, feedback summary and withdrawal reason
    flagged = [(where, column, text, found(text)) for where, column, text in texts if found(text)]
    assert flagged == []


# --- redaction -----------------------------------------------------------------------------------

def test_redact_replaces_each_finding_with_a_label() -> None:
    text = ("Mrs Hughes of 14 Church Lane, LE1 6ZG (NHS 943 476 5919) is 93 years old; "
            "her son Dylan is on 07911 123456.")
    cleaned, findings = redact(text)
    assert cleaned == ("[personal name removed] of [street address removed], [postcode removed] "
                       "(NHS [NHS number removed]) is [age over 90 removed]; her son "
                       "[personal name removed] is on [UK phone number removed].")
    assert [f.kind for f in findings] == ["personal name", "street address", "postcode",
                                          "NHS number", "age over 90", "personal name",
                                          "UK phone number"]
    assert redact("A clean sentence about a stairlift.") == ("A clean sentence about a stairlift.", [])


def test_describe_names_each_kind_once_with_its_article() -> None:
    findings = find_personal_data("LE1 6ZG, LE1 6ZG and 943 476 5919; mail a@example.org")
    assert describe(findings) == "a postcode (LE1 …), an NHS number (943 …), an e-mail address (a…@…)"
    assert describe(findings, excerpts=False) == "a postcode, an NHS number, an e-mail address"


def test_finding_is_frozen() -> None:
    finding = Finding("postcode", 0, 7, "LE1 …")
    with pytest.raises(AttributeError):
        finding.kind = "e-mail address"  # type: ignore[misc]


# --- work bounded by the content -----------------------------------------------------------------

def test_ten_thousand_short_fields_take_well_under_a_few_seconds() -> None:
    fields = [text for _, _, text in _sample_texts()]
    fields = (fields * (10_000 // len(fields) + 1))[:10_000]
    find_personal_data("Margaret")  # the name list loads once, on first use
    started = time.perf_counter()
    assert not any(find_personal_data(text) for text in fields)
    assert time.perf_counter() - started < 3.0


@pytest.mark.parametrize("text", [
    "a" * 60_000, "1" * 60_000, "A" * 60_000, "Mr " * 20_000, "x@" * 30_000, "Aa " * 20_000,
    "1 Aa " * 12_000, "born " * 12_000, "0116 496 0123 " * 1_500, "12/06/1931 " * 5_000,
    "aged " * 12_000, "LE1 " * 15_000,
])
def test_long_and_hostile_texts_are_screened_in_linear_time(text: str) -> None:
    started = time.perf_counter()
    find_personal_data(text)
    assert time.perf_counter() - started < 2.0


def test_a_long_text_is_screened_to_the_end() -> None:
    text = "Ordinary words about a stairlift and rails. " * 600 + "Postcode LE1 6ZG."
    assert len(text) > 20_000
    assert found(text) == [("postcode", "LE1 6ZG")]


# --- written the way Word, Excel and a determined writer write it ----------------------------------

NBSP, NNBSP, THIN = "\u00a0", "\u202f", "\u2009"  # no-break, narrow no-break, thin spaces
ZWSP, ZWJ, WJ, SHY, BOM = "\u200b", "\u200d", "\u2060", "\u00ad", "\ufeff"  # print as nothing


@pytest.mark.parametrize(("text", "kind", "value"), [
    # No-break and other spaces where a plain space would be (Word and Excel insert them).
    (f"NHS{NBSP}943{NBSP}476{NBSP}5919 on file.", "NHS number", f"943{NBSP}476{NBSP}5919"),
    (f"NI AB{NBSP}12{NBSP}34{NBSP}56{NBSP}C noted.", "National Insurance number",
     f"AB{NBSP}12{NBSP}34{NBSP}56{NBSP}C"),
    (f"Lives at 22{NBSP}Mill{NBSP}Lane with her son.", "street address", f"22{NBSP}Mill{NBSP}Lane"),
    (f"Postcode LE18{NBSP}2TT.", "postcode", f"LE18{NBSP}2TT"),
    (f"Postcode LE18{NNBSP}2TT.", "postcode", f"LE18{NNBSP}2TT"),
    (f"Visited Mrs{NBSP}Jones today.", "personal name", f"Mrs{NBSP}Jones"),
    (f"Call 07911{THIN}123456 after six.", "UK phone number", f"07911{THIN}123456"),
    # Characters that print as nothing, inside a value.
    (f"Postcode LE18{ZWSP}2TT.", "postcode", f"LE18{ZWSP}2TT"),
    (f"NHS 943{ZWJ}476{WJ}5919 on file.", "NHS number", f"943{ZWJ}476{WJ}5919"),
    (f"Visited Mrs Jo{SHY}nes today.", "personal name", f"Mrs Jo{SHY}nes"),
    (f"{BOM}Margaret Hughes, 22 Mill Lane.", "personal name", "Margaret Hughes"),
    # Full-width and styled characters (NFKC makes them plain).
    ("Postcode ＬＥ１８ ２ＴＴ.", "postcode", "ＬＥ１８ ２ＴＴ"),
    ("NHS ９４３ ４７６ ５９１９.", "NHS number", "９４３ ４７６ ５９１９"),
    # Other ways of writing the same thing.
    ("NHS 943.476.5919 on file.", "NHS number", "943.476.5919"),
    ("Lives at 22 mill lane now.", "street address", "22 mill lane"),
    ("Lives at 22 MILL LANE now.", "street address", "22 MILL LANE"),
    ("Referred by MARGARET HILL last week.", "personal name", "MARGARET HILL"),
    ("Her son DYLAN helps.", "personal name", "DYLAN"),
    ("MRS JONES lives alone.", "personal name", "MRS JONES"),
])
def test_each_variant_is_found_where_it_is_written(text: str, kind: str, value: str) -> None:
    assert (kind, value) in found(text)
    cleaned, _ = redact(text)
    assert value not in cleaned and f"[{kind} removed]" in cleaned


@pytest.mark.parametrize("text", [
    "It took 3 days down the lane to the site.",
    "Fitted 2 grab rails by the back door.",
    "NHS funding for 2 OT visits, agreed by the HSC and the DFG panel.",
    "WORKS COMPLETED ON TIME AND THE CUSTOMER IS HAPPY.",
    f"Works{NBSP}completed{NBSP}in{NBSP}6{NBSP}weeks.",
])
def test_variants_of_ordinary_prose_are_not_flagged(text: str) -> None:
    assert found(text) == []
