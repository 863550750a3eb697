"""Reading a six-digit code as a candidate types or says it: "481203", "481 203",
"4-8-1-2-0-3", "four eight one two oh three", "double four one...". Spoken number words
above nine ("forty-eight") are not digits of a code and make it unreadable."""

import re

CODE_LENGTH = 6
MAX_CODE_TEXT = 200

_DIGIT_WORDS = {
    "zero": "0",
    "oh": "0",
    "o": "0",
    "nought": "0",
    "one": "1",
    "two": "2",
    "to": "2",
    "too": "2",
    "three": "3",
    "four": "4",
    "for": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
_REPEAT = {"double": 2, "triple": 3}
# Words a candidate puts around the code; anything else makes the text not a code.
_FILLER = {
    "the", "code", "is", "it", "its", "it's", "my", "i", "got", "think", "ok", "okay",
    "um", "uh", "so", "and", "then", "yes", "sure", "here", "that", "was", "says",
    "sorry", "oops", "actually", "wait", "right", "correct", "please", "thanks", "thank",
    "you", "email", "in", "from", "this", "now", "should", "be", "hmm", "ah", "yeah",
}  # fmt: skip
# A typed code among a few other words ("oh sorry, it's 481203"): only its digits count.
_TYPED_CODE = re.compile(r"(?<![\d-])\d{3}[ -]?\d{3}(?![\d-])")
MAX_WORDS_AROUND_TYPED_CODE = 8


def find_code(text: str) -> str | None:
    """The six digits in `text` when it holds a code and nothing that reads as another
    number, else None."""
    if not isinstance(text, str) or len(text) > MAX_CODE_TEXT:
        return None
    typed = _TYPED_CODE.findall(text)
    if len(typed) == 1 and not re.search(r"\d", _TYPED_CODE.sub(" ", text)):
        if len(re.findall(r"[a-z']+", text.lower())) <= MAX_WORDS_AROUND_TYPED_CODE:
            return re.sub(r"\D", "", typed[0])
    digits: list[str] = []
    repeat = 1
    for word in re.findall(r"[a-z']+|\d+", text.lower()):
        if word.isdigit():
            digits.extend(word * repeat if len(word) == 1 else word)
            repeat = 1
        elif word in _REPEAT:
            repeat = _REPEAT[word]
        elif word in _DIGIT_WORDS:
            digits.extend(_DIGIT_WORDS[word] * repeat)
            repeat = 1
        elif word not in _FILLER:
            return None
    code = "".join(digits)
    return code if len(code) == CODE_LENGTH else None


def parse_code(value: str | int) -> str | None:
    """A tool argument: the code as digits, or None when it is not six digits."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return f"{value:06d}" if 0 <= value < 10**CODE_LENGTH else None
    return find_code(value)
