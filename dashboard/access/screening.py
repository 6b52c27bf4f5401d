"""Finding personal data in free text, so a case study or comment cannot carry it into the dashboard.

A case study holding a name, street address, postcode and NHS number was once accepted by the loader
and published. Every free-text cell of a return is now screened before anything is stored: the file
is rejected, naming the row, column and what was found (masked, because the problems report can be
downloaded), or, at the officer's choice, stored with each finding replaced by a bracketed label.

Pure (no Streamlit, no database). Public surface: ``Finding``, ``find_personal_data``, ``redact``,
``describe`` (findings in words, for problems and warnings) and ``nhs_number_valid``.

Text is screened as ``normalise`` makes it, never as typed: Unicode NFKC (full-width and styled
letters and digits become plain ones), every kind of space (no-break, narrow no-break, thin, ...) a
plain space, and characters that print as nothing (zero-width space and joiners, word joiner, soft
hyphen, byte-order mark, direction marks) removed, so ``NHS 943\u00a0476\u00a05919`` or a postcode
with a zero-width space inside is found like its plain form. Findings point into the text as typed,
so redaction removes exactly what was written.

What is found, and how:
- e-mail addresses;
- UK phone numbers, by Google's ``phonenumbers`` (``PhoneNumberMatcher``, region GB, valid numbers
  only) plus the same library's check of every UK-looking digit run the matcher skips. Only numbers
  written with a leading 0 or + count (a bare 10-digit reference is not a phone number), and only
  numbers a person can have: landlines, mobiles, personal and VoIP numbers. Service numbers (0300,
  0800, 0845, 09…) belong to organisations and are left alone;
- full UK postcodes (``LE1 6ZG``, ``le16zg``, ``GIR 0AA``) under the Royal Mail letter rules; a bare
  outward code (``LE1``) or a district name is not personal data;
- NHS numbers (also Scottish CHI numbers, same rule): 10 digits, alone or grouped 3-3-4 by spaces,
  dashes or dots, only when the modulus-11 check digit holds;
- National Insurance numbers under HMRC's prefix rules (D, F, I, Q, U, V never first; D, F, I, O, Q,
  U, V never second; BG, GB, KN, NK, NT, TN, ZZ never issued), six digits and a suffix A–D. HMRC's
  specimen ``QQ 12 34 56 C`` therefore belongs to nobody and is not flagged;
- dates of birth: a date in any UK form (12/06/1931, 12.06.31, 12 June 1931, 12th of June 1931,
  12-Jun-1931, 1931-06-12) just after "born", "DOB", "d.o.b.", "date of birth" or "birthday", or
  just before "(DOB)";
- ages of 90 and over ("aged 93", "age: 97", "93 years old", "a 94-year-old", "her 95th birthday"):
  so few people are that old in a district that the age identifies them (the HIPAA Safe Harbor rule
  groups every age of 90 and over for the same reason);
- street addresses: a house number, up to three capitalised words and a street word
  (``14 Church Lane``, ``Flat 2, 7 Acacia Avenue``); in lower case or capitals (``22 mill lane``)
  only with a street word that is rarely anything else (Street, Road, Lane, Avenue, ...) and no
  unit or little word before it ("3 days down the lane" is not an address);
- personal names: below.

Names. The first-name list is ``first_names.txt`` beside this module, built once by
``scripts/build_name_list.py`` from MIT-licensed sources only: Faker's person lists (the
Latin-script first names of its 86 locales) and this project's supplement of names usual in the
UK's Punjabi, Gujarati, Urdu, Gaelic, Welsh and West African communities that Faker lacks
(``scripts/name_supplement.txt``). Nothing is downloaded or installed for it at run time. Measured on
this machine (Python 3.11, 2 cores) on the 105 first names in ``tests/fixtures/names`` (usual in
the UK, born 1930s–2020s: English, Scottish, Welsh, Irish, South Asian, Polish, West African):

| candidate | licence | size | load | memory | recall |
| --- | --- | --- | --- | --- | --- |
| first_names.txt (chosen) | MIT | 180 KB | 0.02 s | 7 MB | 99% in context, 91% alone |
| Faker's lists alone | MIT | the file less 270 names | – | – | 90.5% |
| gender-guesser 0.4.0 (until now) | GPLv3: not for an MIT product | 4.3 MB | 0.29 s | +22 MB | 92% |
| names-dataset 3.3.1 | | 77 MB with pycountry | 10.7 s | 1.9 GB | – |

The supplement was written after seeing which names of the test set Faker missed (Punjabi and
Gujarati names common in Leicester and Coventry, Morag, Cerys, Oluwaseun), so the 99% flatters it;
Faker's own 90.5% is the honest floor. Only ``_name_tables`` reads the file.

The list alone would flag ordinary words ("Grant", "May", "Door" are all names somewhere), so a
name is reported only in a shape people write names in, and a word is never a first name if it is a
common English word (flagged ``w`` in the file: a lower-case word in Debian's British English word
list, ``wbritish``, when the file was built) unless usual here as a name, a month, day,
nationality, local place or a word in ``places``:
- a title and a capitalised word: "Mrs Hughes", "Dr Patel", "Mr and Mrs Jones" ("Mrs A" is already
  anonymised and passes);
- a first name and a capitalised surname-like word: "Margaret Hughes", "Harpreet Kaur", "Aisha M.
  Rahman"; not when an organisation or street word follows ("Grace Hospital", "Victoria Road");
- a first name after a relationship or naming word: "her son Dylan", "a client called Priya";
- a first name on its own when usual in Britain or Ireland and not a word: "Margaret lives alone",
  "Mohammed's son".

Names written in capitals ("MARGARET HILL", "MRS JONES") are read as if written in the usual way.

Known gaps: surnames alone ("the Hughes family"), names in lower case, rare first names
on their own, dates of birth without a cue word, addresses without a house number, and anything
indirect ("the only thatched cottage in Newtown"). False positives are possible (a person-like
place, "Victoria Park"): the officer rewords the text or chooses to redact.

Every pattern runs in linear time (bounded repeats, start positions fixed by look-behinds, cheap
pre-checks before the phone and name passes), so a 20,000-character text, even a hostile one, takes
well under a second, and 10,000 typical short fields about 0.2 s. Nothing is truncated: long texts
are screened in full.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import phonenumbers
from phonenumbers import PhoneNumberMatcher, PhoneNumberType

EMAIL = "e-mail address"
PHONE = "UK phone number"
FOREIGN_PHONE = "phone number"  # a valid personal number from another country, "+33 6 12 34 56 78"
POSTCODE = "postcode"
NHS_NUMBER = "NHS number"
NI_NUMBER = "National Insurance number"
BIRTH_DATE = "date of birth"
OLD_AGE = "age over 90"
NAME = "personal name"
ADDRESS = "street address"

# When two findings overlap, the more specific one is kept (an NHS number is not also a phone).
_PRIORITY = {kind: rank for rank, kind in enumerate(
    (EMAIL, NHS_NUMBER, NI_NUMBER, POSTCODE, BIRTH_DATE, PHONE, FOREIGN_PHONE, ADDRESS, OLD_AGE,
     NAME))}
_ARTICLE = {EMAIL: "an", NHS_NUMBER: "an", OLD_AGE: "an"}
ELLIPSIS = "…"
_ANY_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: what it is, where, and a masked excerpt safe to show anyone."""

    kind: str
    start: int
    end: int
    shown: str


# Every kind of space (no-break, thin, figure, ideographic, ...) reads as a space, and characters
# that print as nothing (zero-width space and joiners, word joiner, soft hyphen, byte-order mark,
# bidirectional marks) are dropped: Word and Excel put them into text, and a hostile writer can too.
_INVISIBLE = frozenset("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d"
                       "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063"
                       "\u2064\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f"
                       "\u3164\ufeff\uffa0")


def normalise(text: str) -> tuple[str, list[int]]:
    """``text`` as screened: Unicode NFKC (full-width letters, ligatures and styled digits become
    plain ones), every space a plain space and invisible characters gone, with, for each character
    of the result, the position in ``text`` it came from (so a finding maps back for redaction).

    Each base character is normalised with the combining marks that follow it, so an accent typed
    as a separate mark composes as NFKC would compose the whole text."""
    out: list[str] = []
    origin: list[int] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        piece = text[i:j]
        if piece[0] in _INVISIBLE or unicodedata.category(piece[0]) == "Cf":
            piece = piece[1:]
        for char in unicodedata.normalize("NFKC", piece):
            out.append(" " if char.isspace() and char not in "\n\r\t" else char)
            origin.append(i)
        i = j
    return "".join(out), origin


def find_personal_data(text: str, places: Iterable[str] = ()) -> list[Finding]:
    """Every piece of personal data in ``text``, in order, none overlapping, with positions in
    ``text`` itself; the text is screened as ``normalise`` makes it.

    ``places``: names that are never people here, such as the programme's districts ("Melton").
    """
    if not text or not text.strip():
        return []
    plain, origin = normalise(text)
    findings = _find(plain, places)
    ends = [*origin[1:], len(text)]  # a normalised character ends where the next one starts
    return [Finding(f.kind, origin[f.start], _end(origin, ends, f.end, len(text)), f.shown)
            for f in findings]


def _end(origin: list[int], ends: list[int], end: int, length: int) -> int:
    """Where in the original text the normalised span ending at ``end`` ends."""
    if end >= len(origin):
        return length
    return origin[end] if origin[end] > origin[end - 1] else ends[end - 1]


def _find(text: str, places: Iterable[str]) -> list[Finding]:
    if not text.strip():
        return []
    place_words = _place_words(places if isinstance(places, tuple) else tuple(places))
    found = [*_emails(text), *_names(text, place_words)]
    if _ANY_DIGIT.search(text):  # every other kind has a digit in it
        found += [*_nhs_numbers(text), *_ni_numbers(text), *_postcodes(text), *_birth_dates(text),
                  *_phones(text), *_addresses(text), *_old_ages(text)]
    kept: list[Finding] = []  # in text order, never overlapping
    for finding in sorted(found, key=lambda f: (_PRIORITY[f.kind], f.start - f.end, f.start)):
        at = bisect.bisect_left(kept, finding.start, key=lambda k: k.start)
        if (at == len(kept) or finding.end <= kept[at].start) and (
                at == 0 or kept[at - 1].end <= finding.start):
            kept.insert(at, finding)
    return kept


@lru_cache(maxsize=64)
def _place_words(places: tuple[str, ...]) -> frozenset[str]:
    """Each word of each place, lower case (cached: the loader passes the same districts per cell)."""
    return frozenset(w.lower() for p in places for w in _WORD.findall(p))


def redact(text: str, places: Iterable[str] = ()) -> tuple[str, list[Finding]]:
    """``text`` with each finding replaced by a label such as "[postcode removed]"."""
    findings = find_personal_data(text, places)
    parts, at = [], 0
    for f in findings:
        parts += [text[at:f.start], f"[{f.kind} removed]"]
        at = f.end
    parts.append(text[at:])
    return "".join(parts), findings


def describe(findings: Iterable[Finding], excerpts: bool = True) -> str:
    """"a postcode (LE1 …), an NHS number (943 …)"; kinds alone with ``excerpts=False``."""
    said: list[str] = []
    for f in findings:
        phrase = f"{_ARTICLE.get(f.kind, 'a')} {f.kind}" + (f" ({f.shown})" if excerpts else "")
        if phrase not in said:
            said.append(phrase)
    return ", ".join(said)


# --- e-mail --------------------------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.%+'-])[\w.%+'-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}"
                    r"(?![\w-])")


def _emails(text: str) -> Iterator[Finding]:
    if "@" not in text:
        return
    for m in _EMAIL.finditer(text):
        yield Finding(EMAIL, m.start(), m.end(), f"{m.group()[0]}{ELLIPSIS}@{ELLIPSIS}")


# --- phone numbers -------------------------------------------------------------------------------

_PERSONAL_LINES = {PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE,
                   PhoneNumberType.FIXED_LINE_OR_MOBILE, PhoneNumberType.PERSONAL_NUMBER,
                   PhoneNumberType.VOIP, PhoneNumberType.PAGER}
# A UK-looking number: +44 or 0, then 9 or 10 more digits in groups. The matcher misses some runs
# (several numbers separated only by spaces), so these are checked with the same library.
_UK_DIGITS = re.compile(r"(?<![\d+])(?:\+44[ ]?(?:\(0\)[ ]?)?|\(?0)\d{2,4}\)?(?:[ -]?\d){5,8}(?!\d)")
_NO_DIGITS = str.maketrans("", "", "0123456789")


def _phones(text: str) -> Iterator[Finding]:
    if len(text) - len(text.translate(_NO_DIGITS)) < 9:
        return
    seen: list[tuple[int, int]] = []
    for match in PhoneNumberMatcher(text, "GB"):
        finding = _phone(match.raw_string, match.number, match.start)
        if finding is not None:
            seen.append((finding.start, finding.end))
            yield finding
    for m in _UK_DIGITS.finditer(text):
        if any(m.start() < end and m.end() > start for start, end in seen):
            continue
        try:
            number = phonenumbers.parse(m.group(), "GB")
        except phonenumbers.NumberParseException:
            continue
        finding = _phone(m.group(), number, m.start())
        if finding is not None and phonenumbers.is_valid_number(number):
            yield finding


def _phone(raw: str, number: phonenumbers.PhoneNumber, start: int) -> Finding | None:
    if not raw.lstrip("(").startswith(("0", "+")):
        return None  # a reference number, not a phone number as anyone writes one
    if phonenumbers.number_type(number) not in _PERSONAL_LINES:
        return None
    uk = phonenumbers.region_code_for_number(number) in ("GB", "GG", "JE", "IM")
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    shown = (national.split()[0] if uk else "+" + str(number.country_code)) + f" {ELLIPSIS}"
    return Finding(PHONE if uk else FOREIGN_PHONE, start, start + len(raw), shown)


# --- postcodes -----------------------------------------------------------------------------------

# Outward: first letter never Q, V, X; second never I, J, Z. Inward letters never C, I, K, M, O, V.
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(?:([A-PR-UWYZ][A-HK-Y]?[0-9][A-Z0-9]?)[ ]?([0-9][ABD-HJLNP-UW-Z]{2})"
    r"|(GIR)[ ]?(0AA))(?![A-Za-z0-9])", re.IGNORECASE)
_ORDINAL = re.compile(r"[0-9](?:st|nd|rd|th)")


def _postcodes(text: str) -> Iterator[Finding]:
    for m in _POSTCODE.finditer(text):
        outward, inward = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        if _ORDINAL.fullmatch(inward) or (outward.isupper() and inward[1:].islower()):
            continue  # "A1 1st floor", "B2 4ft": an ordinal or a unit, not an inward code
        yield Finding(POSTCODE, m.start(), m.end(), f"{outward.upper()} {ELLIPSIS}")


# --- NHS numbers ---------------------------------------------------------------------------------

_NHS = re.compile(r"(?<![\d/.,-])(\d{3})([ .-]?)(\d{3})\2(\d{4})(?![\d/]|[.,]\d)")


def nhs_number_valid(digits: str) -> bool:
    """The NHS modulus-11 rule: weights 10..2 on the first nine digits; 11 - (sum mod 11) is the
    check digit (11 counts as 0; 10 means no valid number)."""
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    check = 11 - sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _nhs_numbers(text: str) -> Iterator[Finding]:
    for m in _NHS.finditer(text):
        if nhs_number_valid(m.group(1) + m.group(3) + m.group(4)):
            yield Finding(NHS_NUMBER, m.start(), m.end(), f"{m.group(1)} {ELLIPSIS}")


# --- National Insurance numbers ------------------------------------------------------------------

_NINO = re.compile(r"(?<![A-Za-z0-9])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])[ ]?(\d{2})[ ]?(\d{2})[ ]?"
                   r"(\d{2})[ ]?([A-D])(?![A-Za-z0-9])", re.IGNORECASE)
_NINO_NEVER = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def _ni_numbers(text: str) -> Iterator[Finding]:
    for m in _NINO.finditer(text):
        prefix = m.group(1).upper()
        if prefix not in _NINO_NEVER:
            yield Finding(NI_NUMBER, m.start(), m.end(), f"{prefix} {ELLIPSIS}")


# --- dates of birth and great ages ---------------------------------------------------------------

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_DAY = r"(?:0?[1-9]|[12][0-9]|3[01])"
_DATE = (rf"(?:\d{{4}}-[01]?\d-[0-3]?\d"
         rf"|{_DAY}[/.-](?:0?[1-9]|1[0-2])[/.-](?:\d{{4}}|\d{{2}})"
         rf"|{_DAY}(?:st|nd|rd|th)?(?:[ ]+of)?[ -]+{_MONTH}\.?,?[ -]+\d{{4}}"
         rf"|{_MONTH}\.?[ ]+{_DAY}(?:st|nd|rd|th)?,?[ ]+\d{{4}})(?![\d/.-]\d)")
_BIRTH_CUE = r"(?:born|b\.|d\.?o\.?b\b\.?|date[ ]+of[ ]+birth|birth[ ]?date|birthday)"
_BIRTH_BEFORE = re.compile(rf"\b(?P<cue>{_BIRTH_CUE})[^\n.?!\d]{{0,24}}?(?<![\d])(?P<date>{_DATE})",
                           re.IGNORECASE)
_BIRTH_AFTER = re.compile(rf"(?<![\d])(?P<date>{_DATE})[ ]*[(\[]?[ ]*(?:dob|d\.o\.b\.?|date of birth)"
                          r"\b[)\]]?", re.IGNORECASE)


def _birth_dates(text: str) -> Iterator[Finding]:
    lowered = text.lower()
    if not any(cue in lowered for cue in ("born", "b.", "dob", "d.o.b", "birth")):
        return
    for m in _BIRTH_BEFORE.finditer(text):
        yield Finding(BIRTH_DATE, m.start(), m.end(), f"{m.group('cue')} {ELLIPSIS}")
    for m in _BIRTH_AFTER.finditer(text):
        yield Finding(BIRTH_DATE, m.start(), m.end(), f"{ELLIPSIS} (date of birth)")


_AGE = re.compile(
    r"\b(?:(?P<w1>aged?[ ]*[:=]?[ ]*)(?P<n1>\d{2,3})(?![\d,.]\d)"
    r"|(?P<n2>\d{2,3})(?P<w2>[ -]*(?:years?|yrs?)[ -]*(?:old\b|of[ ]+age\b)|[ ]?y\.?o\b\.?)"
    r"|(?P<n3>\d{2,3})(?P<w3>(?:st|nd|rd|th)[ ]+birthday))",
    re.IGNORECASE)
OLDEST_AGE = 125


def _old_ages(text: str) -> Iterator[Finding]:
    for m in _AGE.finditer(text):
        number = m.group("n1") or m.group("n2") or m.group("n3")
        if not 90 <= int(number) <= OLDEST_AGE:
            continue
        masked = number[0] + ELLIPSIS
        shown = (m.group("w1") + masked if m.group("n1")
                 else masked + (m.group("w2") or m.group("w3")))
        yield Finding(OLD_AGE, m.start(), m.end(), shown.strip())


# --- street addresses ----------------------------------------------------------------------------

# Street words that are rarely surnames; the rest ("Lane", "Hill", "Green", …) still make addresses.
_STREETS = ("Street St Road Rd Avenue Ave Close Drive Way Crescent Cres Place Pl Gardens Gdns Grove "
            "Terrace Walk Row Square Sq Rise Mews Parade Croft Meadows Chase Vale Wharf Yard Gate "
            "Boulevard Drove Approach Villas Cottages Estate").split()
_SURNAME_STREETS = "Lane Hill Green Park Court Fields Wood End Bank Lea View".split()
_ADDRESS = re.compile(
    r"(?<![\w£$.,/-])(?:Flat[ ]+\d{1,4}[A-Za-z]?,?[ ]+)?(?P<number>\d{1,4}[A-Za-z]?),?[ ]+"
    r"(?P<street>(?:[A-Z][a-z'’]+(?:-[A-Z][a-z]+)?[ ]+){1,3}?"
    rf"(?:{'|'.join(sorted(set(_STREETS + _SURNAME_STREETS), key=len, reverse=True))}))\b\.?")


# In lower case or capitals ("22 mill lane", "22 MILL LANE") only street words that are rarely
# anything else count, and none of the words before may be a unit or a little word ("3 days down
# the lane" is not an address).
_PLAIN_STREETS = "street road rd lane avenue ave crescent terrace gardens grove mews boulevard".split()
_ADDRESS_ANY_CASE = re.compile(
    r"(?<![\w£$.,/-])(?:flat[ ]+\d{1,4}[a-z]?,?[ ]+)?(?P<number>\d{1,4}[a-z]?),?[ ]+"
    r"(?P<street>(?:[a-z'’]+(?:-[a-z]+)?[ ]+){1,3}?"
    rf"(?:{'|'.join(_PLAIN_STREETS)}))\b\.?", re.IGNORECASE)
_NOT_STREET_NAMES = frozenset("""
    day days week weeks month months year years hour hours minute minutes min mins time times
    step steps metre metres meter meters m km mile miles yard yards foot feet ft inch inches
    rail rails grab door doors way further down up along across off out back front side end
    """.split())


def _addresses(text: str) -> Iterator[Finding]:
    for m in _ADDRESS.finditer(text):
        yield _address(m)
    for m in _ADDRESS_ANY_CASE.finditer(text):
        *words, _street = m.group("street").lower().split()
        if not any(w in _NOT_NAMES or w in _NOT_STREET_NAMES for w in words):
            yield _address(m)


def _address(m: re.Match[str]) -> Finding:
    *words, street = m.group("street").split()
    shown = " ".join([ELLIPSIS, *(w[0] + ELLIPSIS for w in words), street])
    return Finding(ADDRESS, m.start(), m.end(), shown)


# --- personal names ------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_CAPITALISED = re.compile(r"\b[A-Z][^\W\d_]*")
_TITLES = {"Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Sir", "Dame", "Rev", "Revd", "Prof", "Mister"}
_CUES = {"son", "daughter", "husband", "wife", "partner", "mother", "father", "mum", "mam", "dad",
         "brother", "sister", "grandson", "granddaughter", "grandmother", "grandfather", "nan",
         "nephew", "niece", "aunt", "uncle", "carer", "neighbour", "friend", "named", "called",
         "client", "resident", "tenant", "customer", "applicant", "patient", "widow", "widower"}
# Never a person here, in either place of a name.
_NOT_NAMES = frozenset("""
    a an the and or but nor of in on at to for from with by as into onto after before during since
    until till about over under between through without within via per than then when where while
    he she they we i you it his her hers their our my your its him them us me this that these those
    there here now not no yes all any some both each every more most very also just only still again
    mr mrs ms miss mx dr sir dame rev revd prof st saint mister lady lord
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec christmas easter ramadan diwali eid noel
    english british irish welsh scottish scots christian muslim jewish sikh hindu catholic
    england scotland wales ireland britain europe india jordan georgia israel asia africa america
    warwick melton avon stratford lincoln chester kent devon derby preston kingston clifton stafford
    ashby bradford burton carlton rugby coventry leicester nuneaton hinckley harborough charnwood
    blaby oadby wigston bosworth bedworth loughborough lutterworth coalville god jesus christ
    hong kong sri lanka pakistan bangladesh poland romania lithuania somalia nigeria ghana kenya
    china japan milton keynes malvern pembroke hilton dallas eden
    """.split())
# After a first name, these make an organisation, a place or a thing, not a surname.
_NOT_SURNAMES = frozenset(w.lower() for w in _STREETS) | frozenset("""
    hospital infirmary council borough district county city town village parish service services
    team trust centre center clinic surgery practice ward unit association society charity
    foundation fund scheme project programme partnership agency network plus contact care advice
    uk nhs gp ot school college academy university library police fire ambulance homes housing
    group groups officer officers coordinator co-ordinator assessor worker workers therapist nurse
    nurses department office line hub board panel committee forum alliance ltd limited plc company
    house lodge manor hospice home
    """.split())


# Usual British names that are also words, yet rarely a capitalised word in a case study.
_NAMES_NOT_WORDS = frozenset("""
    john peter harry jack terry billy bobby jimmy tony martin victor dean sally maria ruby lily ivy
    violet hazel heather holly daisy olive pearl iris jasmine
    """.split())


FIRST_NAMES = Path(__file__).with_name("first_names.txt")


@lru_cache(maxsize=1)
def _name_tables() -> tuple[frozenset[str], frozenset[str]]:
    """(first names for names in context, first names that stand alone), lower case.

    From ``first_names.txt`` (built by scripts/build_name_list.py): each name flagged ``u`` when
    usual in Britain or Ireland and ``w`` when also an English word. In context (a surname or a
    cue beside it) any name counts, but one that is also a word only if usual here ("Grace",
    "Mark"). Alone, a name must be usual here, longer than two letters, and never a word.
    """
    in_context, alone = set(), set()
    for line in FIRST_NAMES.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        name, _, flags = line.partition("\t")
        if name in _NOT_NAMES:
            continue
        usual = "u" in flags
        word = "w" in flags and name not in _NAMES_NOT_WORDS
        if not word or usual:
            in_context.add(name)
        if not word and usual and len(name) > 2:
            alone.add(name)
    return frozenset(in_context), frozenset(alone)


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str
    capitalised: bool
    gap: str  # the characters between the previous word and this one


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    at = 0
    for m in _WORD.finditer(text):
        word, end = m.group(), m.end()
        if word[-2:] in ("'s", "’s") and len(word) > 3:  # "Margaret's": the name is "Margaret"
            word, end = word[:-2], end - 2
        capitalised = word[0].isupper() and not word.isupper() and len(word) > 1
        tokens.append(_Token(m.start(), end, word, capitalised, text[at:m.start()]))
        at = m.end()
    return tokens


def _initial(token: _Token) -> bool:
    """"A" or "A." between a first name and surname, or after a title."""
    return len(token.text) == 1 and token.text.isupper()


_SHOUTED = re.compile(r"\b[^\W\d_a-z]{2,20}\b")  # no name is longer


def _unshouted(text: str) -> str:
    """Words in capitals as a name is usually written ("MARGARET HILL" -> "Margaret Hill"), where
    that keeps the text's length, so positions still match."""
    def title(m: re.Match[str]) -> str:
        word = m.group()
        written = word[0] + word[1:].lower()
        return written if len(written) == len(word) else word
    return _SHOUTED.sub(title, text)


def _names(text: str, places: frozenset[str]) -> Iterator[Finding]:
    text = _unshouted(text)
    in_context, alone = _name_tables()
    if not any(w in _TITLES or w.lower() in in_context for w in _CAPITALISED.findall(text)):
        return  # most texts: no title and no capitalised first name, so nothing to look at
    tokens = _tokens(text)

    def plain(i: int) -> bool:
        """Word ``i`` follows word ``i - 1`` with only spaces between, or the full stop of an
        initial or a title ("A. Rahman", "Mrs. Hughes")."""
        if not 0 < i < len(tokens):
            return False
        gap, before = tokens[i].gap, tokens[i - 1]
        return gap.strip(" ") == "" or (gap.strip(" ") == "." and gap[0] == "."
                                        and (_initial(before) or before.text in _TITLES))

    def surname(i: int) -> bool:
        if i >= len(tokens) or not tokens[i].capitalised:
            return False
        word = tokens[i].text.lower()
        return word not in _NOT_NAMES and word not in _NOT_SURNAMES and word not in places

    def first(i: int, names: frozenset[str]) -> bool:
        if not tokens[i].capitalised:
            return False
        word = tokens[i].text.lower()
        base = word.split("-")[0]
        return (word in names or base in names) and word not in places and base not in places

    def organisation_after(i: int) -> bool:
        """"Victoria Road", "Florence Nightingale Hospital": the words name a place or body."""
        j = i + 1
        while j < len(tokens) and plain(j) and tokens[j].capitalised and j - i <= 3:
            if tokens[j].text.lower() in _NOT_SURNAMES:
                return True
            j += 1
        return False

    def after_saint(i: int) -> bool:
        return i > 0 and plain(i) and tokens[i - 1].text in ("St", "Saint")

    def extend(i: int) -> int:
        """The last word of the name starting at ``i``: an initial and up to two surnames."""
        j = i
        while j + 1 < len(tokens) and plain(j + 1) and j - i < 3 and (
                surname(j + 1) or (_initial(tokens[j + 1]) and j + 2 < len(tokens)
                                   and plain(j + 2) and surname(j + 2))):
            j += 1
        return j

    i = 0
    while i < len(tokens):
        token = tokens[i]
        end = None
        if token.text in _TITLES and i + 1 < len(tokens) and plain(i + 1):
            j = i + 1
            if _initial(tokens[j]) and j + 1 < len(tokens) and plain(j + 1) and surname(j + 1):
                end = extend(j)
            elif surname(j) or first(j, in_context):
                end = extend(j)
        elif first(i, in_context) and not after_saint(i) and not organisation_after(i):
            if plain(i + 1) and (surname(i + 1) or (_initial(tokens[i + 1]) and plain(i + 2)
                                                    and surname(i + 2))):
                end = extend(i)
            elif i > 0 and tokens[i - 1].text.lower() in _CUES and tokens[i].gap.strip(" ,") == "":
                end = i
            elif first(i, alone):
                end = i
        if end is None:
            i += 1
            continue
        words = tokens[i:end + 1]
        shown = " ".join(w.text if w.text in _TITLES else w.text[0] + ELLIPSIS for w in words)
        yield Finding(NAME, token.start, tokens[end].end, shown)
        i = end + 1
