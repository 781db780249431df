"""Phone numbers in E.164, the one form stored and published."""

from functools import lru_cache

import phonenumbers

# The press office is in Kazakhstan: a number written without a country code is a Kazakh one.
DEFAULT_REGION = "KZ"


def normalise_phone(text: str, *, region: str = DEFAULT_REGION) -> str:
    """Return `text` as an E.164 number ("+77770362658"); raise ValueError if it is not one."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"{text!r} is not a phone number") from exc
    if not phonenumbers.is_possible_number(number):
        raise ValueError(f"{text!r} is not a possible phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=1024)  # a few contacts' numbers, shown on most pages: parsing cost 0.1 ms each
def format_phone(e164: str) -> str:
    """Return an E.164 number in the readable international form ("+7 777 036 2658")."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
