"""What the interviewer says and how it is told to behave.

The seed's names are kept: WELCOME_MESSAGE (the greeting), AGENT_INSTRUCTIONS (the
model's standing instructions, agent_instructions.md with the request rules of
request_rules.py) and LOOKUP_EMAIL_MESSAGE (how to identify a candidate on an open
position link, lookup_email.md); the long prompts are text files beside this module,
read once at import. `instructions_for()` adds the interview's context: the position,
the kind of link, and whether this is a resumed session.

Authorization never depends on these words: the tools refuse what the prompt forbids.
Everything here is spoken aloud, so it is written as short plain sentences without
markdown. The structured interviewer speaks the STRUCTURED_* lines verbatim.
"""

from dataclasses import dataclass
from pathlib import Path

from agent_worker.prompts import request_rules

_HERE = Path(__file__).parent


def _text(name: str) -> str:
    """A prompt kept as a text file beside this module, read once at import."""
    return (_HERE / name).read_text(encoding="utf-8")


# Short on purpose: the consent page has already explained the interview, and the first
# question should come within seconds of joining.
WELCOME_MESSAGE = "Hello, I am the automated interviewer."

AGENT_INSTRUCTIONS = _text("agent_instructions.md").format(requests=request_rules.as_instructions())

LOOKUP_EMAIL_MESSAGE = _text("lookup_email.md")

# Said, in every mode, once lookup_candidate has emailed the code.
CODE_SENT_MESSAGE = "I have sent a six-digit code to that address; please type or say it."

PERSONAL_INVITE_CONTEXT = (
    "This is a personal invitation: the candidate is already identified, and their "
    "details are known. Do not ask who they are; after your greeting, call "
    "get_next_question and ask the first question."
)

# Told to the candidate, in every AI mode, when the AI service fails for good.
AI_SERVICE_LOST_MESSAGE = (
    "The interviewer has lost its connection to the AI service. Your answers so far are "
    "saved. Please try again in a few minutes."
)

RESUME_CONTEXT = (
    "This interview was interrupted earlier. Tell the candidate you are picking up where "
    "you left off, then continue with get_next_question."
)

CLOSING_REMARKS = (
    "That was the last question. Thank you very much for your time today. The hiring team "
    "will review the interview and get back to you. Goodbye."
)

EARLY_CLOSING_REMARKS = (
    "Thank you for your time. We will stop here for now; you can use the same link to "
    "continue the interview later. Goodbye."
)

RESUME_MESSAGE = "Welcome back. We will pick up where we left off."

TYPE_IN_CHAT_MESSAGE = (
    "I cannot hear spoken answers in this interview. Please type your answers in the chat "
    "box below."
)

# --- The structured interviewer's lines -------------------------------------------------

# Said after the greeting only when spoken answers cannot be heard.
STRUCTURED_TYPING_HINT = "Please type your answers in the chat box."

STRUCTURED_ASK_EMAIL = "What is the email address you applied with?"
STRUCTURED_CLARIFY_EMAIL = (
    "The email address you used when you applied, like jane.doe@example.com. It links this "
    "interview to your application."
)
STRUCTURED_EMAIL_NOT_UNDERSTOOD = (
    "I could not make out an email address. Please type it, for example jane.doe@example.com."
)
STRUCTURED_EMAIL_NEEDED = (
    "I need the email address you applied with to find your application; I cannot start "
    "without it. Please type it in the chat box, like jane.doe@example.com."
)

STRUCTURED_CODE_NOT_UNDERSTOOD = (
    "I could not read a six-digit code. Please type the six digits from the email, like "
    "4 8 1 2 0 3."
)
STRUCTURED_CODE_CLARIFY = (
    "I emailed you a six-digit code to check that the address is yours. Please type or say "
    "it. If it has not arrived, check your spam folder, or tell me the address again."
)
STRUCTURED_CODE_WRONG = "That code is not right. Please check the email and try again."
STRUCTURED_CODE_EXPIRED = "That code no longer works."
STRUCTURED_CODE_NOT_SENT = "I could not send a code to that address."

STRUCTURED_ASK_NAME = "I do not have a profile for that address yet. What is your full name?"
STRUCTURED_ASK_NAME_AGAIN = "What is your full name?"
STRUCTURED_CLARIFY_NAME = "Your full name, as you would like the hiring team to see it."
STRUCTURED_NAME_NOT_UNDERSTOOD = "Sorry, I did not catch your name. What is your full name?"
STRUCTURED_NAME_NEEDED = (
    "I need a name to put on your application. The name you would like the hiring team to "
    "use is fine, for example Jane Doe."
)
STRUCTURED_NAME_TAKEN_AS_GIVEN = (
    "I will note your name as you gave it; the hiring team can correct it."
)

STRUCTURED_ASK_POSITION = "Thank you. Which position are you applying for?"
STRUCTURED_CLARIFY_POSITION = "The job you are applying for, for example the title in the job ad."
STRUCTURED_CONFIRM_POSITION = (
    "This interview is for {title}. Is that the position you are applying for? Please say yes "
    "or no."
)
STRUCTURED_POSITION_KNOWN = "Thank you. This interview is for {title}."
STRUCTURED_WRONG_POSITION = (
    "This link is for the {title} interview only. To apply for another position, please use "
    "that position's link."
)

STRUCTURED_ASK_EXPERIENCE = "How many years of professional experience do you have?"
STRUCTURED_CLARIFY_EXPERIENCE = (
    "Roughly how many years you have worked professionally. A rough number is fine, and so is none."
)
STRUCTURED_EXPERIENCE_NOT_UNDERSTOOD = (
    "Please give your experience as a whole number of years, like 3, or say none."
)
STRUCTURED_EXPERIENCE_LEFT_OPEN = "I will leave your experience for the hiring team to confirm."
STRUCTURED_EXPERIENCE_NUMBER_NEEDED = (
    "I need your experience as a whole number of years to continue, like 3, or none."
)

STRUCTURED_CORRECT_DETAILS = "You can correct anything now: just tell me again."
STRUCTURED_HELLO = "Hello."

STRUCTURED_ACKNOWLEDGEMENTS = ("Thank you.", "Thank you for your answer.", "Noted, thank you.")
STRUCTURED_REPEAT_PREFIX = "Of course."
# Said once per question when the candidate asks what it means, before repeating it.
STRUCTURED_CLARIFY_BY_STAGE = {
    "technical": (
        "Answer in your own words, as you would explain it to a colleague. There is no single "
        "right answer, and you can go as deep as you like."
    ),
    "behavioral": (
        "Take it from your own experience: a real situation, what you did, and how it turned "
        "out. There is no single right answer."
    ),
}
STRUCTURED_CLARIFY_ANY = "Answer in your own words; there is no single right answer."
STRUCTURED_ONLY_REPEAT = "I can only repeat the question."
STRUCTURED_STILL_OPEN = (
    "Take your time. When you are ready, answer the question, or say skip to move on."
)
STRUCTURED_STILL_HERE = "I am here."
STRUCTURED_SKIPPED = "Alright, we will skip that one."
STRUCTURED_SKIPPED_DONT_KNOW = (
    "That is fine, we will skip it for now. You can say go back to return to it."
)
STRUCTURED_CANNOT_SKIP = "I could not skip this question just now."
STRUCTURED_GOING_BACK = "Going back to the previous question."
STRUCTURED_NO_PREVIOUS = "There is no earlier question to go back to."
STRUCTURED_CANNOT_GO_BACK = "I cannot go back to the previous question just now."
STRUCTURED_PAUSE = "Take your time. Say or type 'ready' when you want to continue."
STRUCTURED_CONFIRM_STOP = (
    "Do you want to end the interview now? You can continue later with the same link. "
    "Please say yes or no."
)
STRUCTURED_CONTINUE = "Alright, let us continue."

# Unsure whether a message was the answer or a request: asked once, never guessed.
STRUCTURED_ANSWER_OR_MOMENT = "Shall I take that as your answer, or would you like a moment?"
# Said once when the candidate asks to wait; the question stays open.
STRUCTURED_TAKE_YOUR_TIME = "Take your time."
# After a long silence at an open question, once.
STRUCTURED_GENTLE_PROMPT = (
    "Whenever you are ready, answer in your own words, or say skip to move on."
)
STRUCTURED_THANKS_FOR_ANSWER = "Thank you for your answer."
STRUCTURED_ANYTHING_ELSE = "Before we finish, is there anything you would like to add or correct?"
STRUCTURED_ANYTHING_ELSE_CLARIFY = (
    "If you want to change an answer, say go back; to add something, just say it. "
    "Otherwise say no, and we will finish."
)
STRUCTURED_GO_AHEAD = "Please go ahead."
STRUCTURED_NOTED = "Thank you, that is noted for the hiring team."
# Read back what was understood with too little confidence to keep it unconfirmed.
STRUCTURED_CONFIRM_NAME = "I have your name as {name}; is that right?"
STRUCTURED_CONFIRM_EMAIL = (
    "I have your email address as {email}; is that right? I will send a code there."
)
STRUCTURED_CONFIRM_FIELD_AGAIN = "Please tell me again, or type it."
# The worker's notice to the structured interviewer that the candidate has been silent
# for a while (never shown or said).
SILENCE_NOTICE = "[the candidate has been silent for a while]"

# --- The coding exercise -----------------------------------------------------------------

# get_next_question's instruction to the AI modes with a coding question.
CODING_QUESTION_INSTRUCTION = (
    "This is a coding exercise, and its task is on the candidate's screen. Introduce it in "
    "a sentence or two: they write code in the editor, Run tries it on the visible tests, "
    "Submit when they are done, and they can ask you for a hint at any time. Then read the "
    "task. Record no answer before they have submitted and explained their approach."
)
CODING_SUBMITTED_QUESTION_INSTRUCTION = (
    "This coding exercise is already submitted: ask the candidate to walk you through their "
    "approach and its time and space cost, then call record_answer with their explanation."
)

# The notes about the candidate's runs (agent_worker.coding_round), for the AI modes.
CODING_RUN_INSTRUCTION = (
    "The candidate ran their code. Do not comment on it unless they ask; never give the answer."
)
CODING_STUCK_INSTRUCTION = (
    "The candidate seems stuck: several runs in a row failed since the last hint. Offer "
    "a hint in one short sentence, asking whether they would like one; call give_hint "
    "only if they say yes."
)
CODING_SUBMIT_AGAIN_INSTRUCTION = (
    "The server could not run the candidate's submission, and their code is saved. Tell "
    "them in one sentence, and ask them to press Submit again in a moment."
)
CODING_SUBMITTED_INSTRUCTION = (
    "The candidate submitted their code. Thank them, say the server's result in one "
    "sentence, then ask them to walk you through their approach and its time and space "
    "cost. Record that explanation with record_answer."
)

# The structured interviewer at a coding question. The intro comes before the task.
STRUCTURED_CODING_INTRO = (
    "Next is a coding exercise, and the task is on your screen. Write your code in the "
    "editor, press Run to try it on the visible tests, and Submit when you are done. You "
    "can ask me for a hint at any time."
)
STRUCTURED_CODING_CLARIFY = (
    "Write code in the editor that does what the task says. Run tries it on the visible "
    "tests; Submit sends it for the final check, and then I will ask about your approach."
)
# Thinking aloud while coding is acknowledged once; after that, silence.
STRUCTURED_CODING_GO_ON = "Take your time; think aloud as much as you like."
STRUCTURED_CODING_SUBMIT_FIRST = (
    "When you are happy with your code, press Submit. Then I will ask you about your approach."
)
STRUCTURED_CODING_HINT = "Here is a hint: {hint}"
STRUCTURED_CODING_NO_HINT_LEFT = (
    "There are no more hints for this exercise. Keep going your own way, and press Submit "
    "when you are done."
)
STRUCTURED_CODING_HINT_FAILED = "I could not get a hint just now. Please ask again in a moment."
STRUCTURED_CODING_WANT_A_HINT = "Would you like a hint?"
STRUCTURED_CODING_OFFER_HINT = f"That run did not pass yet. {STRUCTURED_CODING_WANT_A_HINT}"
STRUCTURED_CODING_NO_HINT_THEN = "Alright. Keep going, and ask whenever you like."
# Skipping gives up the exercise: confirmed first ("I'm not sure what to do next" can
# read as skipping, and is better met with a hint).
STRUCTURED_CODING_CONFIRM_SKIP = (
    "Do you want to skip this exercise? Your code so far is kept. Please say yes or no. If "
    "you are stuck, you can ask me for a hint instead."
)
STRUCTURED_CODING_NOT_SKIPPED = "Alright, the exercise stays open. Keep going."
STRUCTURED_CODING_SUBMITTED = "Thank you for submitting."
STRUCTURED_CODING_SUBMIT_AGAIN = (
    "The server could not run your submission just now; your code is saved. Please press "
    "Submit again in a moment."
)
# The server's result, by CodeRun outcome.
STRUCTURED_CODING_RESULT = {
    "passed": "All the server's tests passed: {passed} of {total}.",
    "failed": "The server's tests: {passed} of {total} passed.",
    "error": "Your code raised an error on the server's tests.",
    "timeout": "The server stopped your code at its time limit.",
    "memory": "Your code went over the server's memory limit.",
    "output": "Your code printed more than the server allows.",
}
STRUCTURED_CODING_ALREADY_SUBMITTED = "Your code for this exercise is submitted."
# Going back would withdraw the exercise and the candidate's work on it.
STRUCTURED_CODING_NO_GOING_BACK = (
    "We cannot go back during the coding exercise, but you can correct earlier answers at "
    "the end of the interview."
)
STRUCTURED_CODING_WALK_THROUGH = (
    "Please walk me through your approach, and tell me its time and space cost."
)

STRUCTURED_REPEAT_ANSWER = "I did not get that answer. Could you type it again?"
STRUCTURED_SAVE_FAILED = (
    "I am sorry, I could not save that just now. Let us try again. Could you repeat it?"
)
STRUCTURED_TRY_AGAIN = (
    "I am sorry, something went wrong on my side. Say or type 'ready' and I will try again."
)


@dataclass(frozen=True)
class InterviewContext:
    position_title: str
    position_description: str
    personal_invite: bool
    resuming: bool


def instructions_for(context: InterviewContext) -> str:
    """AGENT_INSTRUCTIONS with this interview's position, link kind and resume state."""
    parts = [
        AGENT_INSTRUCTIONS,
        f"The position is: {context.position_title}.",
    ]
    if context.position_description:
        parts.append(f"About the position: {context.position_description[:1000]}")
    parts.append(
        f"Start by greeting the candidate with the gist of: {WELCOME_MESSAGE}",
    )
    parts.append(PERSONAL_INVITE_CONTEXT if context.personal_invite else LOOKUP_EMAIL_MESSAGE)
    if context.resuming:
        parts.append(RESUME_CONTEXT)
    return "\n\n".join(parts)
