"""Check-character validation for identifiers the whole platform stores.

A typo in a 统一社会信用代码 (USCC) or a CAS registry number silently links records to the
wrong enterprise or chemical, so every entry point validates the check character instead of
only the shape.

* USCC — GB 32100-2015: 18 characters from ``0-9`` and the upper-case letters without
  I, O, Z, S, V; positions 3–8 are the registering authority's administrative-division code
  (digits); the 18th character is a check character computed modulo 31 with weights
  3^(i-1) mod 31.
* CAS registry number — up to ten digits written ``NNNNNNN-NN-N``; the last digit is the sum of
  the other digits, each multiplied by its position counted from the right, modulo 10.
"""

from __future__ import annotations

import re
import unicodedata

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""GB 32100-2015 Table 1: code characters in order of their value 0..30."""

USCC_LENGTH = 18

_USCC_VALUE = {char: value for value, char in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = tuple(pow(3, position, 31) for position in range(USCC_LENGTH - 1))
_USCC_SHAPE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}")

_CAS_SHAPE = re.compile(r"([0-9]{2,7})-([0-9]{2})-([0-9])")


def _fold(value: str) -> str:
    """Full-width digits, letters and hyphens (common in Chinese forms) become ASCII; edges trimmed."""
    return unicodedata.normalize("NFKC", value).strip()


def normalise_uscc(value: str) -> str:
    """The canonical spelling of a USCC as typed by a person: ASCII, no surrounding space, upper case."""
    return _fold(value).upper()


def uscc_check_character(first_17: str) -> str:
    """The check character GB 32100-2015 assigns to the first 17 characters of a USCC.

    Raises ``ValueError`` if the input is not 17 characters of the code alphabet.
    """
    if len(first_17) != USCC_LENGTH - 1 or any(char not in _USCC_VALUE for char in first_17):
        raise ValueError(f"expected 17 characters from {USCC_ALPHABET!r}, got {first_17!r}")
    weighted_sum = sum(_USCC_VALUE[char] * weight for char, weight in zip(first_17, _USCC_WEIGHTS, strict=True))
    # C18 = 31 - MOD(sum, 31), itself taken modulo 31 so that a remainder of 0 gives "0".
    return USCC_ALPHABET[(31 - weighted_sum % 31) % 31]


def uscc_problem(value: str) -> str | None:
    """Why ``value`` is not a valid USCC (a sentence for a form or an error), or None if it is valid.

    The value is judged as typed: normalise it with :func:`normalise_uscc` first if lower case or
    full-width characters should be accepted.
    """
    if len(value) != USCC_LENGTH:
        return f"统一社会信用代码 must be {USCC_LENGTH} characters, got {len(value)}"
    if not _USCC_SHAPE.fullmatch(value):
        return (
            "统一社会信用代码 may only contain digits and upper-case letters other than I, O, Z, S, V, "
            "with digits in positions 3-8"
        )
    expected = uscc_check_character(value[:-1])
    if value[-1] != expected:
        return f"统一社会信用代码 check character is {value[-1]!r}, expected {expected!r}"
    return None


def is_valid_uscc(value: str) -> bool:
    """True if ``value`` is an 18-character USCC whose check character is right (see :func:`uscc_problem`)."""
    return uscc_problem(value) is None


def normalise_cas(value: str) -> str:
    """The canonical spelling of a CAS number: ASCII digits and hyphens, no surrounding space."""
    return _fold(value)


def cas_check_digit(digits: str) -> int:
    """The CAS check digit for the digits before it (hyphens removed)."""
    if not digits.isascii() or not digits.isdigit():
        raise ValueError(f"expected ASCII digits, got {digits!r}")
    return sum(position * int(digit) for position, digit in enumerate(reversed(digits), start=1)) % 10


def cas_problem(value: str) -> str | None:
    """Why ``value`` is not a valid CAS registry number, or None if it is valid."""
    match = _CAS_SHAPE.fullmatch(value)
    if match is None:
        return f"CAS number must look like 7782-50-5 (2-7 digits, 2 digits, 1 check digit), got {value!r}"
    body = match.group(1) + match.group(2)
    expected = cas_check_digit(body)
    if int(match.group(3)) != expected:
        return f"CAS number {value} has check digit {match.group(3)}, expected {expected}"
    return None


def is_valid_cas(value: str) -> bool:
    """True if ``value`` is a CAS registry number in ``N-NN-N`` form with a correct check digit."""
    return cas_problem(value) is None
