"""Whole interviews in the AI modes: a real livekit-server, the real `runagent` with
INTERVIEW_AI=realtime or pipeline pointed at the local OpenAI server, and a candidate
through the LiveKit Python SDK who speaks (the server transcribes it as scripted) and
types, sees captions and hears the interviewer; at a coding exercise, the candidate is in
Chromium."""

import asyncio
import functools
import itertools
import wave
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.test import Client
from playwright.async_api import expect

from agent_worker import prompts
from agent_worker.session.run import AI_SERVICE_LOST_MESSAGE
from interviews.models import Candidate as CandidateProfile
from interviews.models import CodingHint, Interview, Position, RoomEvent, Stage
from interviews.services.invites import interview_create
from tests.browser.conftest import chromium
from tests.browser.test_coding_editor import replace_code, server_runs
from tests.e2e.conftest import AgentProcess
from tests.e2e.test_coding_round import (
    EXPLANATION,
    RIGHT,
    SLOW,
    WRONG,
    coding_interview,
    interviewer_says,
)
from tests.e2e.test_interview import answer, join, kill_the_running_interview_job, until
from tests.factories import (
    CandidateFactory,
    PositionFactory,
    QuestionFactory,
)
from tests.provider_protocol.candidate import Candidate
from tests.provider_protocol.interviewer_model import (
    ASK_PROFILE,
    CODE,
    HINT_SAID,
    WALK_THROUGH,
    InterviewerModel,
)
from tests.provider_protocol.openai_server import Failure, ScriptedOpenAIServer, spoken_pcm

pytestmark = [
    pytest.mark.provider_protocol,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]

MODES = ["realtime", "pipeline"]
QUESTIONS = [
    (Stage.TECHNICAL, "How would you find a slow database query in production?"),
    (Stage.TECHNICAL, "When would you choose a queue over a direct call between services?"),
    (Stage.BEHAVIORAL, "Tell me about a time you disagreed with a teammate."),
]
ANSWERS = [
    "I would read the slow query log and run explain on the worst query.",
    "A queue when the caller need not wait and work must survive a crash.",
    "We disagreed on a schema, measured both designs, and chose together.",
]


@pytest.fixture(scope="session")
def provider(tmp_path_factory) -> Iterator[ScriptedOpenAIServer]:
    """The local OpenAI server every worker of these tests talks to."""
    server = ScriptedOpenAIServer().start()
    # The model speaks quickly: these tests prove the conversation, not the speech.
    server.voice_words_per_minute = 450
    yield server
    server.stop()


@pytest.fixture
def openai_server(provider: ScriptedOpenAIServer) -> ScriptedOpenAIServer:
    return provider.reset(InterviewerModel())


@pytest.fixture(scope="session")
def outbox(tmp_path_factory) -> Path:
    """Where the workers write emails (the one-time codes) as files, for the candidate."""
    return tmp_path_factory.mktemp("outbox")


@pytest.fixture(scope="session")
def workers(django_db_setup, livekit_server, provider, outbox, tmp_path_factory):
    """The running `runagent` worker of each mode, shared by the tests (starting one takes
    10-15 s); a test that kills one gets a new one from its next `start_agent`."""
    started: dict[str, AgentProcess] = {}
    count = itertools.count(1)

    def worker(mode: str) -> AgentProcess:
        if mode not in started or not started[mode].is_running():
            # A log per worker: a second worker must not read the first's registration.
            log = tmp_path_factory.getbasetemp() / f"agent-{mode}-{next(count)}.log"
            env = {
                "INTERVIEW_AI": mode,
                "OPENAI_API_KEY": provider.api_key,
                "OPENAI_BASE_URL": provider.base_url,
                "EMAIL_HOST": "",
                "EMAIL_FILE_PATH": str(outbox),
            }
            started[mode] = AgentProcess(
                livekit_server, log, env=env, agent_name=f"{mode}-interviewer"
            ).start()
            started[mode].wait_registered()
        return started[mode]

    yield worker
    for agent in started.values():
        agent.stop()


@pytest.fixture
def start_agent(
    livekit_settings, openai_server, workers, settings
) -> Iterator[Callable[[str], AgentProcess]]:
    """`runagent` in an AI mode, its provider being the local OpenAI server; idle before
    and after the test, which dispatches its tokens to it."""
    used: list[AgentProcess] = []

    def start(mode: str) -> AgentProcess:
        agent = workers(mode).begin_test()
        settings.LIVEKIT_AGENT_NAME = agent.agent_name
        used.append(agent)
        return agent

    yield start
    for agent in used:
        if agent.is_running():
            agent.wait_idle()


def position_with_questions(questions=QUESTIONS, **fields) -> Position:
    technical = sum(stage == Stage.TECHNICAL for stage, _ in questions)
    position = PositionFactory(
        technical_questions=technical, behavioral_questions=len(questions) - technical, **fields
    )
    for order, (stage, text) in enumerate(questions):
        QuestionFactory(position=position, stage=stage, text=text, order=order)
    return position


def join_details(path: str, client: Client | None = None) -> dict:
    """What the join page does: open the link, consent, ask for a token."""
    client = client or Client()
    assert client.get(path).status_code == 302
    consent = client.post(
        "/interview/consent",
        {"choice": "consent", "consent": True},
        content_type="application/json",
    )
    assert consent.status_code == 200, consent.content
    return new_token(client)


def new_token(client: Client) -> dict:
    token = client.post("/interview/token", {}, content_type="application/json")
    assert token.status_code == 201, token.content
    return token.json()


async def answer_by_voice(candidate: Candidate, server: ScriptedOpenAIServer, text: str) -> None:
    server.candidate_says(text)
    await candidate.speak(spoken_pcm(text))


def emailed_code(outbox: Path, address: str) -> str:
    """The one-time code in the newest message to `address` (Django's file email backend)."""
    for path in sorted(outbox.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True):
        headers, _, body = path.read_text().partition("\n\n")
        if f"To: {address}" in headers and (code := CODE.search(body)):
            return code.group(0)
    raise AssertionError(f"no code was emailed to {address}")


def run(scenario, *agents: AgentProcess):  # noqa: ANN001, ANN201
    try:
        return asyncio.run(scenario())
    except Exception as failure:
        logs = "\n".join(agent.log()[-6000 // len(agents) :] for agent in agents)
        raise AssertionError(f"agent logs:\n{logs}") from failure


def transcript_of(interview: Interview) -> list[tuple[str, str]]:
    return list(interview.transcript.order_by("sequence").values_list("speaker", "text"))


@pytest.mark.parametrize("mode", MODES)
def test_a_personal_invite_interview_runs_to_completion_by_voice_and_chat(
    mode, live_server, start_agent, openai_server
):
    position = position_with_questions()
    invited = CandidateFactory(name="Ada Example", position=position, experience_years=5)
    new = interview_create(position=position, candidate=invited)
    agent = start_agent(mode)
    details = join_details(f"/interview/{new.invite_secret}/")

    async def scenario() -> int:
        candidate = Candidate()
        await candidate.join(details["server_url"], details["participant_token"])
        try:
            await candidate.sees(QUESTIONS[0][1])
            await candidate.interviewer_listens()
            await answer_by_voice(candidate, openai_server, ANSWERS[0])
            await candidate.sees(QUESTIONS[1][1])
            await candidate.interviewer_listens()
            await candidate.type(ANSWERS[1])
            await candidate.sees(QUESTIONS[2][1])
            await candidate.interviewer_listens()
            await answer_by_voice(candidate, openai_server, ANSWERS[2])
            await candidate.sees(prompts.CLOSING_REMARKS)
            await candidate.interviewer_leaves()
            return candidate.agent_peak
        finally:
            await candidate.leave()

    peak = run(scenario, agent)

    interview = Interview.objects.get(pk=new.interview.pk)
    assert interview.status == Interview.Status.COMPLETED, agent.log()[-3000:]
    assert interview.ai_mode == mode
    asked = list(interview.asked.filter(follow_up_to__isnull=True).order_by("sequence"))
    assert [q.text for q in asked] == [text for _stage, text in QUESTIONS]
    assert [q.answer for q in asked] == ANSWERS
    transcript = transcript_of(interview)
    assert [text for speaker, text in transcript if speaker == "candidate"] == ANSWERS
    assert transcript[-1] == ("agent", prompts.CLOSING_REMARKS)
    assert peak > 1000, "the interviewer's voice reached the candidate as silence"
    # The spoken answers crossed the wire as audio: Realtime input or speech-to-text.
    if mode == "pipeline":
        assert len(openai_server.requests_to("transcriptions")) >= 2
        assert openai_server.requests_to("speech")
    else:
        assert openai_server.audio_appended_bytes > 0
    # Both spoken answers were transcribed (they were never typed).
    assert openai_server.pending_utterances == 0


@pytest.mark.parametrize("mode", MODES)
def test_an_open_link_identifies_a_new_candidate_and_completes(
    mode, live_server, start_agent, openai_server, outbox
):
    position = position_with_questions(
        [QUESTIONS[0], QUESTIONS[2]], title="Data engineer", slug="data-engineer"
    )
    agent = start_agent(mode)
    details = join_details("/apply/data-engineer/")

    async def scenario() -> None:
        candidate = Candidate()
        await candidate.join(details["server_url"], details["participant_token"])
        try:
            await candidate.sees("what is your email address?")
            await candidate.interviewer_listens()
            await candidate.type("It is Grace.Hopper@Example.com")
            await candidate.sees(prompts.CODE_SENT_MESSAGE)
            await candidate.interviewer_listens()
            code = emailed_code(outbox, "grace.hopper@example.com")
            await candidate.type(f"The code is {code}")
            await candidate.sees(ASK_PROFILE)
            await candidate.interviewer_listens()
            await answer_by_voice(candidate, openai_server, "Grace Hopper, seven years")
            await candidate.sees(QUESTIONS[0][1])
            await candidate.interviewer_listens()
            await candidate.type(ANSWERS[0])
            await candidate.sees(QUESTIONS[2][1])
            await candidate.interviewer_listens()
            await answer_by_voice(candidate, openai_server, ANSWERS[2])
            await candidate.interviewer_leaves()
        finally:
            await candidate.leave()

    run(scenario, agent)

    grace = CandidateProfile.objects.get(email="grace.hopper@example.com")
    assert (grace.name, grace.position, grace.experience_years) == ("Grace Hopper", position, 7)
    interview = Interview.objects.get(position=position)
    assert interview.candidate == grace
    assert interview.status == Interview.Status.COMPLETED, agent.log()[-3000:]
    assert [q.answer for q in interview.asked.order_by("sequence")] == [ANSWERS[0], ANSWERS[2]]


@pytest.mark.parametrize("mode", MODES)
def test_the_candidate_is_told_when_the_ai_service_fails_and_the_interview_is_interrupted(
    mode, live_server, start_agent, openai_server
):
    position = position_with_questions()
    new = interview_create(position=position, candidate=CandidateFactory(position=position))
    openai_server.fail(Failure.SERVER_ERROR, endpoints=["chat", "realtime"])
    agent = start_agent(mode)
    details = join_details(f"/interview/{new.invite_secret}/")

    async def scenario() -> None:
        candidate = Candidate()
        await candidate.join(details["server_url"], details["participant_token"])
        try:
            await candidate.sees(AI_SERVICE_LOST_MESSAGE)
            if mode == "pipeline":  # its text-to-speech still works: the notice is said
                await candidate.hears_the_interviewer()
            await candidate.interviewer_leaves()
        finally:
            await candidate.leave()

    run(scenario, agent)

    interview = Interview.objects.get(pk=new.interview.pk)
    assert interview.status == Interview.Status.INTERRUPTED
    assert transcript_of(interview) == [("agent", AI_SERVICE_LOST_MESSAGE)]
    assert agent.log().count("the AI service failed; interrupting the interview") == 1


@pytest.mark.parametrize("crash", ["job process", "whole worker"])
@pytest.mark.parametrize("mode", MODES)
def test_after_the_interviewer_is_killed_a_new_one_continues_at_the_next_question(
    mode, crash, live_server, start_agent, openai_server, livekit_settings
):
    """SIGKILL of the job process (its worker lives on and takes the next job), or of the
    whole `runagent` worker with its job processes (a new worker is started): the candidate
    reconnects and the interview goes on from what the database holds. A plan of two
    questions: one answered before the kill, one after."""
    questions, answers = [QUESTIONS[0], QUESTIONS[2]], [ANSWERS[0], ANSWERS[2]]
    position = position_with_questions(questions)
    new = interview_create(position=position, candidate=CandidateFactory(position=position))
    agents = [start_agent(mode)]
    client = Client()
    details = join_details(f"/interview/{new.invite_secret}/", client)

    def first_answer_recorded() -> bool:
        return new.interview.asked.filter(answered_at__isnull=False).count() == 1

    def interrupted_and_room_closed() -> bool:
        interview = Interview.objects.get(pk=new.interview.pk)
        closed = RoomEvent.objects.filter(room_name=interview.room_name, event="room_finished")
        return interview.status == Interview.Status.INTERRUPTED and closed.exists()

    async def until_the_interviewer_is_killed() -> None:
        candidate = Candidate()
        await candidate.join(details["server_url"], details["participant_token"])
        try:
            await candidate.sees(questions[0][1])
            await candidate.interviewer_listens()
            await candidate.type(answers[0])
            await until(first_answer_recorded)
            if crash == "job process":
                kill_the_running_interview_job(agents[0], livekit_settings.port)
            else:
                agents[0].kill()
            await candidate.interviewer_leaves()
        finally:
            await candidate.leave()
        await until(interrupted_and_room_closed)

    async def after_reconnecting(details: dict) -> None:
        candidate = Candidate()
        await candidate.join(details["server_url"], details["participant_token"])
        try:
            await candidate.sees(questions[1][1])
            await candidate.interviewer_listens()
            await answer_by_voice(candidate, openai_server, answers[1])
            await candidate.sees(prompts.CLOSING_REMARKS)
            await candidate.interviewer_leaves()
        finally:
            await candidate.leave()

    run(until_the_interviewer_is_killed, agents[0])
    interrupted = Interview.objects.get(pk=new.interview.pk)
    assert [q.answer for q in interrupted.asked.order_by("sequence")][:1] == answers[:1]
    if crash == "whole worker":
        assert agents[0].process.poll() is not None, "the first worker survived its kill"
        agents.append(start_agent(mode))
    run(functools.partial(after_reconnecting, new_token(client)), *agents)

    interview = Interview.objects.get(pk=new.interview.pk)
    assert interview.status == Interview.Status.COMPLETED
    asked = list(interview.asked.filter(follow_up_to__isnull=True).order_by("sequence"))
    assert [q.text for q in asked] == [text for _stage, text in questions]
    assert [q.answer for q in asked] == answers
    transcript = transcript_of(interview)
    assert [text for speaker, text in transcript if speaker == "candidate"] == answers
    # What was answered before the kill was not asked again. (The first interviewer may
    # or may not have asked the second question before it died.)
    agent_lines = [text for speaker, text in transcript if speaker == "agent"]
    assert sum(questions[0][1] in line for line in agent_lines) == 1, agent_lines
    assert transcript[-1] == ("agent", prompts.CLOSING_REMARKS)
    if crash == "whole worker":  # the second interviewer ran in the new worker
        assert "received job request" in agents[1].log()


# --- The coding round ------------------------------------------------------------------


def assert_the_coding_round_is_recorded(new, exercise, mode: str, agent) -> None:  # noqa: ANN001
    """The server's runs, the hint, the walk-through asked and its answer recorded."""
    interview = Interview.objects.get(pk=new.interview.pk)
    assert interview.status == Interview.Status.COMPLETED, agent.log()[-3000:]
    assert interview.ai_mode == mode
    assert server_runs(interview) == [
        ("run", "failed", 1, 2, 0, 0),
        ("submit", "passed", 2, 2, 3, 3),
    ]
    (asked,) = interview.asked.all()
    assert (asked.stage, asked.answer) == (Stage.CODING, EXPLANATION)
    hints = CodingHint.objects.filter(work__asked=asked).values_list("level", "text")
    assert list(hints) == [(1, exercise.hint_1)]
    agent_lines = [text for speaker, text in transcript_of(interview) if speaker == "agent"]
    assert HINT_SAID.format(hint=exercise.hint_1) in agent_lines
    assert WALK_THROUGH in agent_lines


def quiet_microphone(path: Path) -> Path:
    """A WAV of silence for Chromium's fake microphone: this candidate types. Chromium's
    own fake device beeps, and the local server's turn detection (by loudness, not a
    model) takes every beep for speech that cuts the interviewer off."""
    with wave.open(str(path), "wb") as target:
        target.setnchannels(1)
        target.setsampwidth(2)
        target.setframerate(48_000)
        target.writeframes(b"\x00\x00" * 48_000)
    return path


@pytest.mark.parametrize("mode", MODES)
def test_at_a_coding_exercise_the_interviewer_gives_a_hint_and_asks_for_the_walk_through(
    live_server, start_agent, mode, tmp_path
):
    """A plan of one coding exercise, the candidate in Chromium: wrong code run on the
    server, the Hint button, the right code submitted; told by the room, the interviewer
    asks for the walk-through, which is the recorded answer."""
    new, exercise = coding_interview()
    agent = start_agent(mode)
    hint = HINT_SAID.format(hint=exercise.hint_1)
    microphone = quiet_microphone(tmp_path / "quiet.wav")

    async def scenario() -> None:
        fake_microphone = f"--use-file-for-fake-audio-capture={microphone}"
        async with chromium(extra_args=(fake_microphone,)) as page:
            await page.set_viewport_size({"width": 1400, "height": 1000})
            await page.context.grant_permissions(
                ["clipboard-read", "clipboard-write"], origin=live_server.url
            )
            await join(page, live_server.url, path=f"/interview/{new.invite_secret}/")
            await interviewer_says(page, exercise.question.text)
            await page.wait_for_selector("#coding[data-editor=ready]", timeout=30_000)
            editor = page.get_by_role("textbox", name="Your code (Python)")

            await replace_code(page, editor, WRONG)
            await page.get_by_role("button", name="Run").click()
            server = page.locator("#coding-server-box")
            await expect(server).to_contain_text("1 of 2 visible tests passed.", timeout=SLOW)

            await page.get_by_role("button", name="Hint").click()
            await interviewer_says(page, hint)

            await replace_code(page, editor, RIGHT)
            submit = page.get_by_role("button", name="Submit")
            await expect(submit).to_have_attribute("aria-disabled", "false", timeout=SLOW)
            await submit.click()
            dialog = page.get_by_role("dialog", name="Submit your code?")
            await dialog.get_by_role("button", name="Yes, submit").click()
            await expect(server).to_contain_text("3 of 3 hidden tests passed.", timeout=SLOW)

            # Told by the room, read from the database: the interviewer asks for the why.
            await interviewer_says(page, WALK_THROUGH)
            await answer(page, EXPLANATION)
            await interviewer_says(page, prompts.CLOSING_REMARKS)

    run(scenario, agent)

    assert_the_coding_round_is_recorded(new, exercise, mode, agent)
