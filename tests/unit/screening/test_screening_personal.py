"""Personal-information screen: positives, hard negatives, severities and masking."""
from __future__ import annotations

import pytest
from helpers_screening import LISTS, QUIET, flagged, flags_of

from board.screening import personal
from board.screening.flags import Severity
from board.screening.pipeline import MASK, mask_personal, process

POSITIVES = [
    # US Social Security numbers
    ("My SSN is 123-45-6789.", "123-45-6789", personal.SSN),
    ("ssn 123 45 6789", "123 45 6789", personal.SSN),
    ("SSN: 123456789", "123456789", personal.SSN),
    ("social security number 078051120 please", "078051120", personal.SSN),
    ("ｓｓｎ １２３-４５-６７８９", "１２３-４５-６７８９", personal.SSN),  # full-width digits
    # USCIS A-numbers
    ("My A-number is A-123456789", "A-123456789", personal.A_NUMBER),
    ("A# 123 456 789", "A# 123 456 789", personal.A_NUMBER),
    ("file A123456789 today", "A123456789", personal.A_NUMBER),
    ("old file A12345678", "A12345678", personal.A_NUMBER),
    ("alien registration number: 123456789", "123456789", personal.A_NUMBER),
    # USCIS receipt numbers
    ("receipt EAC2190012345", "EAC2190012345", personal.RECEIPT),
    ("case WAC-2190012345 pending", "WAC-2190012345", personal.RECEIPT),
    ("IOE0912345678", "IOE0912345678", personal.RECEIPT),
    ("my case is lin2190012345", "lin2190012345", personal.RECEIPT),
    # US phone numbers
    ("call (202) 555-0143", "(202) 555-0143", personal.PHONE),
    ("call 202-555-0143", "202-555-0143", personal.PHONE),
    ("call 202.555.0143", "202.555.0143", personal.PHONE),
    ("call 202 555 0143", "202 555 0143", personal.PHONE),
    ("call +1 202 555 0143", "+1 202 555 0143", personal.PHONE),
    ("call +1 (202) 555-0143", "+1 (202) 555-0143", personal.PHONE),
    ("call 1-800-555-0199", "1-800-555-0199", personal.PHONE),
    ("reach me +12025550143", "+12025550143", personal.PHONE),
    ("text me at 2025550143", "2025550143", personal.PHONE),
    # e-mail addresses
    ("write to john.doe@example.com", "john.doe@example.com", personal.EMAIL),
    ("jane_o'hara+tag@mail.example.co.uk!", "jane_o'hara+tag@mail.example.co.uk",
     personal.EMAIL),
    ("'john@example.com'", "john@example.com", personal.EMAIL),
    ("MAIL: X@Y.ORG", "X@Y.ORG", personal.EMAIL),
    # payment cards (Luhn-valid)
    ("card 4111 1111 1111 1111", "4111 1111 1111 1111", personal.CARD),
    ("card 4111-1111-1111-1111 exp 12/28", "4111-1111-1111-1111", personal.CARD),
    ("amex 378282246310005", "378282246310005", personal.CARD),
    ("mc 5555555555554444.", "5555555555554444", personal.CARD),
    ("mc 2223 0031 2200 3222", "2223 0031 2200 3222", personal.CARD),
    ("discover 6011 1111 1111 1117", "6011 1111 1111 1117", personal.CARD),
]


@pytest.mark.parametrize("text, expected, kind", POSITIVES)
def test_positives(text: str, expected: str, kind: str) -> None:
    found = flags_of(text, "personal_information")
    assert [(text[f.span[0]:f.span[1]], f.detail) for f in found if f.span] == [(expected, kind)]


@pytest.mark.parametrize("text", [
    # invalid SSNs: area 000, 666, 9xx; group 00; serial 0000
    "000-12-3456", "666-12-3456", "900-12-3456", "987-65-4321", "123-00-4567", "123-45-0000",
    "123-45 6789",  # mixed separators
    "order 123456789",  # nine bare digits without SSN context
    # dates, ZIP+4, order and reference numbers, versions, prices
    "on 2026-11-23", "on 11/23/2026", "on 23.11.2026", "Washington, DC 20500-0003",
    "order 123-456-7890123", "Order #112-4839201-5531284", "invoice INV-2026-000123",
    "tracking 1Z999AA10123456784", "ref 2025550143",  # ten bare digits, no phone context
    "version 10.15.7", "v1.2.3.4567", "build 2026.11.23.1", "price $1,234,567.89",
    "$12345678.90", "€ 1.234.567,89", "pi is 3.14159265358979",
    "ISBN 978-0-306-40615-7", "978-3-16-148410-0",
    # invalid phone numbers: area or exchange starting 0/1, N11 codes
    "123-456-7890", "202-155-0143", "911-555-0143", "202-911-0143",
    # invalid (Luhn-failing) or non-card numbers
    "4111 1111 1111 1112", "1234 5678 9012 3456", "0000 0000 0000 0000",
    "9999 9999 9999 9995",
    # not A-numbers / receipts
    "A 1234567", "Section A12 of the plan", "AB123456789", "EAC123", "ABC1234567890",
    # not e-mail
    "@username", "a@b", "user@localhost", "meet @ 5pm",
    "IP 192.168.100.200", "the year 1999 to 2026", "room 101, floor 3",
])
def test_hard_negatives(text: str) -> None:
    assert flagged(text, "personal_information") == [], text


@pytest.mark.parametrize("text, severity", [
    ("123-45-6789", Severity.BLOCK), ("A-123456789", Severity.BLOCK),
    ("EAC2190012345", Severity.BLOCK), ("4111 1111 1111 1111", Severity.BLOCK),
    ("202-555-0143", Severity.WARN), ("a@example.com", Severity.WARN),
])
def test_severities(text: str, severity: Severity) -> None:
    [flag] = flags_of(text, "personal_information")
    assert flag.severity is severity


def test_detail_never_contains_the_data() -> None:
    text = "SSN 123-45-6789, A-123456789, call 202-555-0143, john@example.com, 4111111111111111"
    found = flags_of(text, "personal_information")
    assert len(found) == 5
    for flag in found:
        assert flag.span is not None
        assert text[flag.span[0]:flag.span[1]] not in flag.detail
        assert not any(c.isdigit() for c in flag.detail) and "@" not in flag.detail


def test_overlaps_keep_the_more_serious_finding() -> None:
    # A receipt number's digits are also ten digits; the card wins over a phone inside it.
    assert [f.detail for f in flags_of("EAC2025550143", "personal_information")] == [
        personal.RECEIPT]


def test_mask_personal_for_logs() -> None:
    text = "Call 202-555-0143 or mail a@example.com about SSN 123-45-6789."
    masked = mask_personal(text, flags_of(text, "personal_information"))
    assert masked == f"Call {MASK} or mail {MASK} about SSN {MASK}."
    assert mask_personal("nothing", []) == "nothing"


@pytest.mark.parametrize("text, secret", [
    ("SSN 123-45-6789", "6789"),
    ("[mail me](mailto:john@example.com)", "john@example.com"),
    ("<john@example.com>", "john@example.com"),
    ("`202-555-0143`", "0143"),
    ("> quote 4111 1111 1111 1111", "1111 1111"),
    ("123-45-6789: http://example.org", "6789"),  # would be a link reference definition
    ("SSN 123\\-45\\-6789", "6789"),  # Markdown escapes only the renderer resolves
    ("mail john&#64;example.com", "example.com"),  # entities likewise
    ("call 202&#45;555&#45;0143", "0143"),
])
def test_public_html_never_holds_personal_information(text: str, secret: str) -> None:
    screened = process(text, QUIET, LISTS)
    assert secret not in screened.html
    assert "personal information removed" in screened.html
    assert any(f.code == "personal_information" for f in screened.flags)


def test_luhn() -> None:
    assert personal.luhn_ok("4111111111111111")
    assert not personal.luhn_ok("4111111111111112")
