"""What the candidate's side of the room can reach of the interviewer: its captions and
its voice, never its session. LiveKit's session host protocol (topic `lk.agent.session`)
would broadcast every session event (the conversation, the tools' calls and results) and
answer any participant's requests for the chat history, the instructions included."""

import asyncio

import pytest
from livekit import rtc
from livekit.agents.voice.remote_session import TOPIC_SESSION_MESSAGES
from livekit.protocol.agent_pb import agent_session as agent_pb

from interviews.models import Interview
from tests.e2e.test_conversation import QUESTIONS, personal_invite
from tests.provider_protocol.candidate import Candidate
from tests.provider_protocol.test_interviews_e2e import join_details

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_candidate_receives_no_session_messages_and_cannot_read_the_chat_history(
    live_server, agent
):
    new = personal_invite()

    async def scenario() -> list[bytes]:
        candidate = Candidate()
        received: list[bytes] = []

        def on_session_message(reader: rtc.ByteStreamReader, _sender: str) -> None:
            async def read() -> None:
                received.append(b"".join([chunk async for chunk in reader]))

            candidate._spawn(read())

        candidate.room.register_byte_stream_handler(TOPIC_SESSION_MESSAGES, on_session_message)
        details = await asyncio.to_thread(join_details, f"/interview/{new.invite_secret}/")
        await candidate.join(details["server_url"], details["participant_token"], microphone=False)
        try:
            # The greeting and the question: a session host would have sent the agent's
            # state changes and the conversation by now.
            await candidate.sees(QUESTIONS[0][1])
            await candidate.interviewer_listens()
            interviewer = candidate.agent()
            assert interviewer is not None
            request = agent_pb.AgentSessionMessage(
                request=agent_pb.SessionRequest(
                    request_id="req_candidate",
                    get_chat_history=agent_pb.SessionRequest.GetChatHistory(),
                )
            )
            await candidate.room.local_participant.send_bytes(
                request.SerializeToString(),
                topic=TOPIC_SESSION_MESSAGES,
                destination_identities=[interviewer.identity],
            )
            # A reply would come long before the interviewer has taken an answer and
            # asked the next question.
            await candidate.type("I would read the slow query log first. That's it.")
            await candidate.sees(QUESTIONS[1][1])
            return received
        finally:
            await candidate.leave()

    received = agent.run(scenario())

    assert received == []
    first = Interview.objects.get(pk=new.interview.pk).asked.order_by("sequence").first()
    assert first.answer == "I would read the slow query log first."
