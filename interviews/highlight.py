"""Python code as HTML for the recruiters' report: escaped, with keywords, names being
defined, strings, numbers and comments wrapped in <span class="tok-..."> for the page's
CSS to colour. Python's own tokenizer reads the code; it is never run. Code that does not
tokenize (a candidate's half-written line) is shown from there on as plain text."""

import builtins
import io
import keyword
import token
import tokenize

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_BUILTINS = frozenset(name for name in dir(builtins) if not name.startswith("_"))
_STRINGS = {token.STRING}
for _name in ("FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END"):  # Python 3.12+
    if hasattr(token, _name):
        _STRINGS.add(getattr(token, _name))


def _css_class(tok: tokenize.TokenInfo, previous: str) -> str | None:
    if tok.type in _STRINGS:
        return "tok-str"
    if tok.type == token.COMMENT:
        return "tok-com"
    if tok.type == token.NUMBER:
        return "tok-num"
    if tok.type == token.NAME:
        if keyword.iskeyword(tok.string):
            return "tok-kw"
        if previous in ("def", "class"):
            return "tok-def"
        if tok.string in _BUILTINS:
            return "tok-bi"
    return None


def highlight_python(code: str) -> SafeString:
    """The code as escaped HTML with token spans, for a <pre><code> block."""
    # Rows as the tokenizer counts them: lines end at "\n" only.
    line_starts = [0]
    for line in io.StringIO(code).readlines():
        line_starts.append(line_starts[-1] + len(line))

    def offset(row: int, col: int) -> int:
        return line_starts[min(row - 1, len(line_starts) - 1)] + col

    parts: list[str] = []
    done = 0
    previous = ""
    try:
        for tok in tokenize.generate_tokens(io.StringIO(code).readline):
            css = _css_class(tok, previous)
            if tok.type == token.NAME:
                previous = tok.string
            if css is None or not tok.string:
                continue
            start, end = offset(*tok.start), offset(*tok.end)
            if start < done:  # never reorder text: a token already covered stays plain
                continue
            parts.append(str(escape(code[done:start])))
            parts.append(f'<span class="{css}">{escape(code[start:end])}</span>')
            done = end
    except (tokenize.TokenError, SyntaxError):
        pass
    parts.append(str(escape(code[done:])))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of the code is escaped
