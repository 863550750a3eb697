"""A rolling restart loses nobody: worker B starts, worker A is told to stop (SIGTERM)
in the middle of an interview, and a candidate arrives in between. A finishes the
interview it runs and takes no new one; B takes the newcomer; both interviews complete.
Real livekit-server, two `runagent start` processes, candidates through the LiveKit SDK."""

import asyncio
import signal

import pytest

from agent_worker import prompts
from interviews.models import Interview
from tests.e2e.conftest import AgentProcess
from tests.e2e.test_conversation import QUESTIONS, personal_invite
from tests.e2e.test_interviewer_sent_again import until
from tests.provider_protocol.candidate import Candidate
from tests.provider_protocol.test_interviews_e2e import join_details

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Two questions: the first interview is on its second when the deploy begins.
PLAN = [QUESTIONS[0], QUESTIONS[2]]
ANSWERS = [
    "I would read the slow query log and explain the worst query.",
    "We wrote both designs down and chose one together.",
]
DRAINING = "stopping: finishing running interviews, accepting no new ones"


async def answer_the_rest(candidate: Candidate, *, from_question: int) -> None:
    for (_stage, question), reply in list(zip(PLAN, ANSWERS, strict=True))[from_question:]:
        await candidate.sees(question)
        await candidate.interviewer_listens()
        await candidate.type(reply)
    await candidate.sees(prompts.STRUCTURED_ANYTHING_ELSE)
    await candidate.interviewer_listens()
    await candidate.type("No, that is all.")
    await candidate.sees(prompts.CLOSING_REMARKS)


def test_a_rolling_restart_completes_every_interview(
    live_server, livekit_settings, mail_over_smtp, settings, tmp_path
):
    settings.LIVEKIT_AGENT_NAME = "rolling-interviewer"
    workers = {
        name: AgentProcess(
            livekit_settings,
            tmp_path / f"{name}.log",
            env=mail_over_smtp.settings_env(),
            agent_name="rolling-interviewer",
        )
        for name in ("A", "B")
    }
    early, late = personal_invite(PLAN), personal_invite(PLAN)

    async def scenario() -> None:
        first, second = Candidate(), Candidate()
        try:
            details = await asyncio.to_thread(join_details, f"/interview/{early.invite_secret}/")
            await first.join(details["server_url"], details["participant_token"], microphone=False)
            await first.sees(PLAN[0][1])
            await first.interviewer_listens()
            await first.type(ANSWERS[0])
            await first.sees(PLAN[1][1])

            # The deploy: B starts, then A is told to stop in the middle of the interview.
            workers["B"].start()
            await asyncio.to_thread(workers["B"].wait_registered)
            workers["A"].process.send_signal(signal.SIGTERM)
            await until(lambda: DRAINING in workers["A"].whole_log(), "worker A to drain", 60)

            details = await asyncio.to_thread(join_details, f"/interview/{late.invite_secret}/")
            await second.join(details["server_url"], details["participant_token"], microphone=False)
            await asyncio.gather(
                answer_the_rest(first, from_question=1), answer_the_rest(second, from_question=0)
            )
        finally:
            await first.leave()
            await second.leave()
        # A leaves once its interview has ended; B goes on serving.
        await until(lambda: not workers["A"].is_running(), "worker A to exit", 60)

    workers["A"].start().wait_registered()
    try:
        workers["A"].run(scenario())
    finally:
        for worker in workers.values():
            worker.stop()

    for invite in (early, late):
        interview = Interview.objects.get(pk=invite.interview.pk)
        said = list(interview.transcript.values_list("speaker", "text"))
        assert interview.status == Interview.Status.COMPLETED, said
        answers = [q.answer for q in interview.asked.order_by("sequence")]
        assert answers == ANSWERS, said
    # One interview each: A's was the early one (the late one came after A drained).
    assert workers["A"].whole_log().count("interview starting") == 1
    assert workers["B"].whole_log().count("interview starting") == 1
    assert workers["A"].process.returncode == 0
