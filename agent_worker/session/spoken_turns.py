"""A spoken "... and that's it" ends the answer's turn at once.

Spoken answers end after `SPOKEN_TURN_END_SECONDS` of silence, so that the parts of one
answer said with pauses between them are one turn. When the candidate's last words say
the answer is complete, waiting is pointless: the session's end-of-turn delay drops to
`FINISHED_TURN_END_SECONDS` for that turn, and is back to the usual pause once the turn
is in (or a later utterance does not end that way). The words themselves are not filed
with the answer (see record_answer).
"""

from livekit.agents import AgentSession, ConversationItemAddedEvent, UserInputTranscribedEvent

from agent_worker.ai_modes import SPOKEN_TURN_END_SECONDS
from agent_worker.understanding import says_finished

FINISHED_TURN_END_SECONDS = 0.3


class SpokenTurns:
    def __init__(self, session: AgentSession) -> None:
        self._session = session
        self._delay = SPOKEN_TURN_END_SECONDS

    def attach(self) -> None:
        self._session.on("user_input_transcribed", self._on_transcribed)
        self._session.on("conversation_item_added", self._on_item_added)

    def _on_transcribed(self, event: UserInputTranscribedEvent) -> None:
        # Emitted before the session decides when the turn ends: the new delay applies.
        if event.is_final and event.transcript.strip():
            finished = says_finished(event.transcript)
            self._set(FINISHED_TURN_END_SECONDS if finished else SPOKEN_TURN_END_SECONDS)

    def _on_item_added(self, event: ConversationItemAddedEvent) -> None:
        if getattr(event.item, "role", None) == "user":
            self._set(SPOKEN_TURN_END_SECONDS)

    def _set(self, delay: float) -> None:
        if delay != self._delay:
            self._delay = delay
            self._session.update_options(
                endpointing_opts={"min_delay": delay, "max_delay": delay * 2}
            )
