"""The words of each request a candidate makes instead of answering (repeat, clarify,
skip, "I don't know", go back, pause, ready, stop, "that's it", yes, no, hello, ok): one
pattern per request, matched against a whole clause in normal words (by
agent_worker.understanding.requests), and which request is acted on when a message
makes several.
"""

import re
from enum import StrEnum


class Request(StrEnum):
    REPEAT = "repeat"
    CLARIFY = "clarify"
    SKIP = "skip"
    DONT_KNOW = "dont_know"
    GO_BACK = "go_back"
    PAUSE = "pause"
    READY = "ready"
    STOP = "stop"
    FINISHED = "finished"
    YES = "yes"
    NO = "no"
    GREETING = "greeting"
    ACKNOWLEDGE = "acknowledge"


# Polite frames around a request: "could you please ...", "I'd like to ...".
_P = (
    r"(?:(?:(?:can|could|would|will|may|shall) (?:you|we|i)(?: please| maybe| just| kindly)? "
    r"|please |kindly |(?:i'd|i would|we'd|we would) (?:like|love|prefer|want) (?:you )?to "
    r"|(?:i|we) (?:want|need|wish) (?:you )?to |let's |let us |lets "
    r"|(?:do you|would you) mind |is it (?:ok|okay|possible|alright) (?:if (?:we|i) |to )"
    r"|i'd rather |i would rather |i think (?:we should |i(?:'ll| will) )?|maybe |perhaps "
    r"|we should |i should |just ))*"
)
_S = (
    r"(?: (?:please|for me|if (?:you|that's|that is) (?:don't mind|ok|okay|possible|alright)"
    r"|if possible|now|here|then|again|thanks|thank you|sorry))*"
)
_THIS = r"(?:it|this|that|this one|that one|the question|this question|that question)"

_REQUEST_PATTERNS: dict[Request, str] = {
    Request.REPEAT: (
        rf"{_P}(?:repeat|say again|say (?:it|that|this) again|read (?:it|that|the question) "
        rf"again|ask (?:it|that|the question) again|ask again|go over (?:it|that|the question) "
        r"again)(?: (?:that|it|this|the question|that question|this question|the last question"
        r"|the last part|what you said|yourself))?(?: (?:again|once more|one more time))?"
        rf"{_S}"
        r"|(?:what (?:was|is|were) (?:the|that|your) (?:question|last question|last part)"
        r"|what was that|what did you (?:say|ask)|what's the question|come again|pardon(?: me)?"
        r"|once more|one more time|again|say again|sorry what"
        r"|i (?:didn't|did not|couldn't|could not|can't|cannot|didnt) (?:catch|hear) "
        r"(?:that|it|you|the question|what you said|the last part)"
        rf"|i missed (?:that|it|the question|the last part)){_S}"
    ),
    Request.CLARIFY: (
        r"(?:what do you mean(?: by (?:that|this|it|[a-z' ]{1,40}))?|what does (?:that|this|it) "
        r"mean|what is meant by [a-z' ]{1,40}"
        r"|i (?:don't|do not|dont|didn't|did not) (?:understand|get)(?: (?:the question|that|this"
        r"|it|what you mean|what you're asking|what you are asking))?"
        r"|i'm confused|i am confused|(?:i'm |i am )?not sure what you mean"
        r"|(?:i'm |i am )?not sure (?:what|how) to answer(?: (?:that|this|it))?"
        r"|in what sense|meaning|what exactly do you mean|which one|what are you looking for"
        r"|what kind of (?:answer|example|situation|project)(?: (?:are you looking for|do you "
        rf"want|do you mean|should i give))?){_S}"
        rf"|{_P}(?:clarify|explain|rephrase|elaborate(?: on)?|reword|simplify|be more specific"
        r"|give (?:me )?(?:an example|some context|more context|a hint)"
        r"|put (?:it|that) (?:another|a different) way|say (?:it|that) (?:another way|differently"
        r"|in another way))(?: (?:that|this|it|the question|what you mean|a bit|a little))*"
        rf"(?: (?:more|further|differently))?{_S}"
    ),
    Request.SKIP: (
        rf"{_P}(?:skip(?: {_THIS}| ahead| to the next (?:one|question))?|pass(?: on {_THIS})?"
        r"|move on(?: to the next (?:one|question))?|go to the next (?:one|question)"
        rf"|next(?: question| one)?|come back to {_THIS}(?: later)?|leave {_THIS}(?: for later)?"
        rf"|not answer(?: {_THIS})?){_S}"
        r"|(?:i(?:'ll| will) pass|i(?:'d| would) rather not (?:answer|say|talk about it)"
        rf"(?: {_THIS})?|i prefer not to (?:answer|say)(?: {_THIS})?|no answer|no comment"
        rf"|skip please){_S}"
    ),
    Request.DONT_KNOW: (
        r"(?:i (?:really )?(?:don't|do not|dont) (?:really )?know(?: (?:the answer(?: to "
        r"(?:that|this|it))?|how to answer (?:that|this|it)|that|this|this one|that one"
        r"|what to say|anything about (?:that|this|it)))?"
        r"|(?:i have |i've |i've got |i got )?(?:absolutely )?no (?:idea|clue)"
        r"|(?:i'm |i am |im )?(?:really )?not sure(?: about (?:that|this|it))?|dunno"
        r"|i (?:can't|cannot|cant) answer (?:that|this|it|this one)"
        r"|i (?:don't|do not) have an answer(?: (?:to|for) (?:that|this|it))?"
        r"|i (?:don't|do not|can't|cannot) remember|beats me|i have no answer"
        rf"|my mind is blank|i(?:'m| am) drawing a blank|i'm blank){_S}"
    ),
    Request.GO_BACK: (
        r"(?:"
        rf"{_P}(?:go back(?: to (?:it|that|that one|the previous (?:question|one)|the last "
        r"(?:question|one)|the question before|the one before|the (?:first|earlier|other) "
        r"(?:question|one)|question \w+|my (?:last|previous|first|earlier) answer))?"
        r"|return to (?:the )?(?:previous|last) (?:question|one)|(?:go )?back to the (?:previous"
        r"|last) (?:question|one)|see the (?:previous|last) question|previous question"
        r"|(?:the )?last question again|change my (?:last |previous )?answer"
        r"|add (?:something|more|a bit) to my (?:last|previous) answer"
        r"|redo the (?:last|previous) (?:question|answer)|revisit the (?:last|previous) question)"
        rf"){_S}"
    ),
    Request.PAUSE: (
        rf"{_P}(?:give me (?:a|one|a few|some|just a|just one) (?:minute|moment|second|sec"
        r"|few minutes|bit|moment to think|second to think|minute to think)"
        r"|(?:have|take|get) (?:a|one|a short) (?:minute|moment|second|sec|break|pause)"
        r"|pause(?: (?:it|the interview|for a (?:moment|minute|second)))?"
        r"|think (?:about it|for a (?:moment|minute|second))|hold on|hang on"
        rf"|wait(?: a (?:moment|minute|second|sec|bit))?){_S}"
        r"|(?:(?:one|a|just a|just one) (?:moment|minute|second|sec)|brb|be right back"
        r"|i(?:'ll| will) be right back|bear with me"
        r"|i need (?:a|one|a few|some) (?:minute|moment|second|minutes|break|time to think|time)"
        r"|let me think(?: about (?:it|that|this))?|let me (?:see|check|get some water)"
        rf"|thinking|i need to think){_S}"
    ),
    Request.READY: (
        r"(?:(?:i'm|i am|im|we're|we are) (?:ready|back)(?: now)?(?: to (?:continue|go on|start))?"
        r"|ready(?: now)?|back|(?:let's|let us|lets|we can|you can|please) (?:continue|go on"
        r"|carry on|resume|proceed|go|start)|continue|go ahead|go on|carry on|resume|proceed"
        rf"|shall we continue){_S}"
    ),
    Request.STOP: (
        rf"{_P}(?:stop(?: (?:here|now|this|it|the interview|this interview|for today))*"
        r"|end(?: (?:it|this|here|now|the interview|this interview|the session|the call))+"
        r"|finish(?: (?:it|here|now|the interview|this interview))+"
        r"|quit(?: (?:the interview|this|now))*|leave(?: (?:the interview|now))*"
        r"|exit(?: (?:the interview|now))*|cancel(?: (?:the interview|this interview|it))?"
        r"|wrap (?:it|this) up(?: here| now)?|call it a day|not continue|discontinue)"
        rf"{_S}"
        r"|(?:i (?:have|need|got) to (?:go|leave|stop|run)(?: now)?"
        r"|i(?:'m| am) not interested(?: anymore| any more)?"
        r"|i (?:don't|do not) want to (?:continue|do this|go on)(?: anymore| any more)?"
        rf"|that's enough|that is enough|i quit|i give up|end interview|stop please){_S}"
    ),
    Request.FINISHED: (
        r"(?:(?:and )?(?:i think |yeah )?that(?:'s| is| was| should be) (?:it|all|about it"
        r"|everything|my answer|all i have(?: to say)?|all from me|it from me"
        r"|all for this (?:one|question))"
        r"|(?:i'm|i am|im) (?:done|finished)(?: (?:with (?:this|that|my answer|the answer)"
        r"|answering))?|done|finished|all done|nothing (?:more|else)(?: to add)?"
        r"|end of (?:my )?answer|over to you|over|i have nothing (?:more|else)(?: to add| to say)?"
        rf"){_S}"
    ),
    Request.YES: (
        r"(?:yes|yeah|yep|yup|ya|yea|aye|correct|that's (?:right|correct)|that is (?:right"
        r"|correct)|indeed|absolutely|of course|definitely|affirmative|please do|do it"
        r"|i'm sure|i am sure|exactly|i confirm|confirm(?:ed)?|uh huh|sure thing)"
        r"(?: (?:please|i do|it is|that's right|i'm sure|sure|thanks|thank you|go ahead))*"
    ),
    Request.NO: (
        r"(?:no|nope|nah|no thanks|no thank you|not really|no no|not now|not yet|never ?mind"
        r"|cancel that|don't stop|do not stop|i (?:don't|do not) want to stop|keep going"
        r"|let's keep going|i (?:want|would like|'d like) to continue|i'd like to continue"
        r"|no way)(?: (?:thanks|thank you|please|wait|sorry|continue|let's continue"
        r"|keep going|not yet))*"
    ),
    Request.GREETING: (
        r"(?:(?:hi|hello|hey|hiya|howdy|greetings|good (?:morning|afternoon|evening|day))"
        r"(?: (?:there|everyone|again))?"
        r"|(?:(?:it's |it is )?(?:nice|good|great|pleased|glad) to meet you(?: too)?)"
        r"|how are you(?: doing)?(?: today)?|how's it going|how is it going"
        r"|thanks for having me|thank you for having me"
        r"|(?:(?:hi|hello|hey) )?(?:are you (?:there|still there)|is (?:anyone|anybody) "
        r"there|can you (?:hear|see) me))"
    ),
    Request.ACKNOWLEDGE: (
        r"(?:ok|okay|k|alright|all right|sure|got it|cool|great|thanks|thank you|thanks a lot"
        r"|thank you very much|understood|fine|sounds good|perfect|right|i see|noted|good|nice"
        r"|no problem)(?: (?:thanks|thank you|cool|then|got it))*"
        # Saying how one will answer, not answering: "I'll type my answers."
        r"|(?:i(?: will|'ll| am going to|'m going to| would rather|'d rather)|let me) "
        r"(?:type|write)(?: (?:it|that|them|my answers?|the answers?|instead|in the chat|here))*"
    ),
}
COMPILED_REQUEST_PATTERNS = {
    request: re.compile(pattern) for request, pattern in _REQUEST_PATTERNS.items()
}
# When a message holds several requests, the one acted on.
REQUEST_PRIORITY = (
    Request.STOP,
    Request.GO_BACK,
    Request.SKIP,
    Request.DONT_KNOW,
    Request.CLARIFY,
    Request.REPEAT,
    Request.PAUSE,
    Request.READY,
    Request.FINISHED,
    Request.NO,
    Request.YES,
    Request.GREETING,
    Request.ACKNOWLEDGE,
)
