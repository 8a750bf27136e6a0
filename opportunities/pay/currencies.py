"""Currency codes and money as people read it: ``USD 96,525`` or ``EUR 53.63``.

Pure, like ``pay``: no Django. The code is shown rather than a symbol because
symbols are ambiguous ($ is a dozen currencies) and Crossroads compares offers
across currencies.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, Literal

_CIRCULATING = """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD
    BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB
    EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK
    JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA
    MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK
    PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN
    SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST
    XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
"""
ISO_4217: Final = frozenset(_CIRCULATING.split())
"""The ISO 4217 codes of currencies in circulation (fund and metal codes left out)."""

COMMON: Final = ("USD", "EUR", "GBP", "CAD", "AUD", "CHF", "JPY", "SEK", "NOK", "DKK", "NZD")
"""Suggested first in a currency field."""

_CODE = re.compile(r"[A-Z]{3}")

_DOLLAR_MAGNITUDES = {
    1: """
        AED ANG AUD AWG AZN BAM BBD BGN BND BOB BRL BYN BZD CAD CNY DKK FJD GEL GTQ HKD
        ILS LYD MOP MYR NZD PEN PGK PLN QAR RON SAR SBD SGD SVC TMT TND TOP TTD WST XCD
        XCG
    """,
    2: """
        AFN ALL BTN BWP CZK DOP EGP ERN GHS GMD HNL INR KGS LSL MAD MDL MKD MRU MUR MVR
        MXN MZN NAD NIO NOK PHP SCR SEK SLE SRD STN SZL THB TJS TRY TWD UAH UYU ZAR
        ZMW ZWG
    """,
    3: """
        AMD AOA BDT CLP CRC CUP CVE DJF DZD ETB GYD HTG HUF ISK JMD JPY KES KMF KPW KZT
        LKR LRD NPR PKR RSD RUB SOS VUV XAF XOF XPF YER
    """,
    4: """
        ARS BIF CDF COP GNF IQD KHR KRW MGA MMK MNT MWK NGN PYG RWF SDG SSP TZS UGX VES
    """,
    5: "IDR LAK LBP SYP UZS VND",
    6: "IRR",
}
DOLLAR_MAGNITUDE: Final = {
    code: power for power, codes in _DOLLAR_MAGNITUDES.items() for code in codes.split()
}
"""How many units of a currency make a US dollar, as the smallest power of ten at least
that many: 3 for the yen (about 150 to the dollar), 4 for the won (about 1,400), 0 for a
currency worth a dollar or more (USD, EUR, GBP, CHF, KWD...).

Rounded up, and one power higher where a currency is losing value fast or trades far
from its official rate (RUB, VES, SDG, CUP, IRR), so that it stays generous as rates
move. Rates of 2025. Only the plausibility check uses it, never a conversion."""


def dollar_magnitude(code: str) -> int:
    """:data:`DOLLAR_MAGNITUDE` of a currency code, 0 for any other."""
    return DOLLAR_MAGNITUDE.get(code, 0)


def normalise_code(text: str) -> str:
    """``" eur "`` -> ``"EUR"``; no validation."""
    return text.strip().upper()


def is_currency_code(code: str) -> bool:
    """True for a three-letter ISO 4217 code of a currency in circulation (``"EUR"``)."""
    return bool(_CODE.fullmatch(code)) and code in ISO_4217


def format_money(
    amount: Decimal,
    currency: str,
    *,
    places: int = 0,
    sign: Literal["", "always"] = "",
) -> str:
    """``USD 96,525`` (``places=0``), ``USD 53.63`` (``places=2``).

    A negative amount reads ``−USD 24,750``; with ``sign="always"`` a positive one
    reads ``+USD 22,275`` (for the lines of a breakdown).
    """
    step = Decimal(1).scaleb(-places)
    rounded = Decimal(amount).quantize(step, rounding=ROUND_HALF_UP)
    text = f"{currency} {abs(rounded):,.{places}f}"
    if rounded < 0:
        return f"\N{MINUS SIGN}{text}"
    if sign == "always" and rounded > 0:
        return f"+{text}"
    return text
