"""A candidate holds a whole interview through Chromium, livekit-server and `runagent`."""

import asyncio
import subprocess
import time
import wave
from pathlib import Path

import psutil
import pytest

from agent_worker import prompts
from interviews.models import Candidate, Interview, RoomEvent, Stage, TranscriptSegment
from interviews.services.invites import NewInterview, interview_create
from tests.browser.conftest import chromium, db
from tests.e2e.conftest import AgentProcess
from tests.e2e.smtp import code_in
from tests.factories import CandidateFactory, PositionFactory, QuestionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUESTIONS = [
    (Stage.TECHNICAL, "How would you find a slow database query in production?"),
    (Stage.TECHNICAL, "When would you choose a queue over a direct call between services?"),
    (Stage.BEHAVIORAL, "Tell me about a time you disagreed with a teammate."),
]

# WebAudio on the candidate's side: from the moment the agent's audio track is attached,
# keep the loudest sample it plays in window.agentPeak.
LISTEN_TO_AGENT_AUDIO = """
() => {
  window.agentPeak = 0;
  (async () => {
    let element = null;
    for (let i = 0; i < 600 && !element; i++) {
      await new Promise(r => setTimeout(r, 50));
      element = document.querySelector('#audio-sink audio');
    }
    if (!element || !element.srcObject) return;
    const context = new AudioContext();
    await context.resume();
    const analyser = context.createAnalyser();
    context.createMediaStreamSource(element.srcObject).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      for (const s of samples) window.agentPeak = Math.max(window.agentPeak, Math.abs(s));
    }, 20);
  })();
}
"""


def interview_for_a_known_candidate(questions=QUESTIONS) -> NewInterview:  # noqa: ANN001
    technical = sum(stage == Stage.TECHNICAL for stage, _ in questions)
    position = PositionFactory(
        title="Platform engineer",
        technical_questions=technical,
        behavioral_questions=len(questions) - technical,
    )
    for order, (stage, text) in enumerate(questions):
        QuestionFactory(position=position, stage=stage, text=text, order=order)
    candidate = CandidateFactory(name="Ada Example", position=position, experience_years=5)
    return interview_create(position=position, candidate=candidate)


async def wait_for_caption(page, text: str, *, times: int = 1) -> None:
    await (
        page.locator("#captions")
        .get_by_text(text, exact=False)
        .nth(times - 1)
        .wait_for(timeout=30_000)
    )


async def answer(page, text: str) -> None:
    await page.fill("#chat-input", text)
    await page.press("#chat-input", "Enter")


async def join(page, base_url: str, *, path: str) -> None:
    await page.goto(f"{base_url}{path}")
    await page.wait_for_selector("body[data-ready=true]")
    await page.check("#consent")
    await page.click("#consent-submit")
    await page.click("#start")
    await page.wait_for_selector("#connection-state[data-state=connected]", timeout=20_000)


def test_a_candidate_completes_a_structured_interview_from_a_personal_invite(live_server, agent):
    new = interview_for_a_known_candidate()
    answers = [
        "I would read the slow query log and run explain on the worst query.",
        "A queue when the caller need not wait and work must survive a crash.",
        "We disagreed on a schema; we wrote both down, measured, and chose together.",
    ]

    async def scenario() -> float:
        async with chromium() as page:
            await join(page, live_server.url, path=f"/interview/{new.invite_secret}/")
            await page.evaluate(LISTEN_TO_AGENT_AUDIO)
            await page.wait_for_selector(
                "#agent-state:not([data-state=absent]):not([data-state=connecting])", timeout=20_000
            )
            for (_stage, question), reply in zip(QUESTIONS, answers, strict=True):
                await wait_for_caption(page, question)
                await answer(page, reply)
            await page.wait_for_selector("#step-done:not([hidden])", timeout=30_000)
            return await page.evaluate("window.agentPeak")

    peak = agent.run(scenario())

    interview = Interview.objects.get(pk=new.interview.pk)
    assert interview.status == Interview.Status.COMPLETED, agent.log()[-3000:]
    assert interview.ai_mode == "structured"
    asked = list(interview.asked.filter(follow_up_to__isnull=True).order_by("sequence"))
    assert [q.text for q in asked] == [text for _stage, text in QUESTIONS]
    assert [q.answer for q in asked] == answers
    transcript = list(interview.transcript.order_by("sequence"))
    speakers = [segment.speaker for segment in transcript]
    assert speakers[0] == TranscriptSegment.Speaker.AGENT
    candidate_lines = [s.text for s in transcript if s.speaker == "candidate"]
    assert candidate_lines == answers
    agent_lines = " ".join(s.text for s in transcript if s.speaker == "agent")
    for _stage, question in QUESTIONS:
        assert question in agent_lines
    assert peak > 0.01, "the agent's voice reached the candidate as silence"
    delivered = set(
        RoomEvent.objects.filter(room_name=interview.room_name).values_list("event", flat=True)
    )
    assert {"room_started", "participant_joined"} <= delivered


def test_an_open_link_identifies_a_new_candidate_then_finds_them_the_second_time(
    live_server, agent, mail_over_smtp
):
    mailbox = mail_over_smtp.mailbox
    position = PositionFactory(
        title="Data engineer", slug="data-engineer", technical_questions=1, behavioral_questions=1
    )
    QuestionFactory(position=position, stage=Stage.TECHNICAL, text=QUESTIONS[0][1])
    QuestionFactory(position=position, stage=Stage.BEHAVIORAL, text=QUESTIONS[2][1])

    async def code_for_grace(page, address: str) -> None:
        """Types `address`, then the code the interviewer mails to grace.hopper@."""
        before = len(mailbox.messages())
        await answer(page, address)
        await wait_for_caption(page, prompts.CODE_SENT_MESSAGE)
        message = await asyncio.to_thread(
            mailbox.wait_for, to="grace.hopper@example.com", after=before
        )
        await answer(page, code_in(message))

    async def first_visit() -> None:
        async with chromium() as page:
            await join(page, live_server.url, path="/apply/data-engineer/")
            await wait_for_caption(page, prompts.STRUCTURED_ASK_EMAIL)
            await code_for_grace(page, "Grace.Hopper@Example.com")
            await wait_for_caption(page, prompts.STRUCTURED_ASK_NAME)
            await answer(page, "Grace Hopper")
            # The link says the position: it is not asked.
            await wait_for_caption(page, prompts.STRUCTURED_ASK_EXPERIENCE)
            await answer(page, "seven years")
            await wait_for_caption(page, QUESTIONS[0][1])
            await answer(page, "Slow query log, then explain.")
            await wait_for_caption(page, QUESTIONS[2][1])
            await answer(page, "We measured both designs.")
            await page.wait_for_selector("#step-done:not([hidden])", timeout=30_000)

    async def second_visit() -> None:
        async with chromium() as page:
            await join(page, live_server.url, path="/apply/data-engineer/")
            await wait_for_caption(page, prompts.STRUCTURED_ASK_EMAIL)
            await code_for_grace(page, "grace.hopper@example.com")
            await wait_for_caption(page, QUESTIONS[0][1])

    agent.run(first_visit())
    agent.wait_idle()
    agent.run(second_visit())

    grace = Candidate.objects.get(email="grace.hopper@example.com")
    assert (grace.name, grace.position, grace.experience_years) == ("Grace Hopper", position, 7)
    interviews = list(Interview.objects.filter(position=position).order_by("created_at"))
    assert [i.candidate for i in interviews] == [grace, grace]
    assert interviews[0].status == Interview.Status.COMPLETED
    assert Candidate.objects.filter(email__contains="grace").count() == 1


COUNT_IN_CAPTIONS = "n => document.querySelector('#captions').innerText.split(n).length - 1"


def kill_the_running_interview_job(agent_process, livekit_port: int) -> None:
    """SIGKILL the job process that holds the room connection; the worker lives on."""
    worker = psutil.Process(agent_process.process.pid)
    for child in worker.children(recursive=True):
        try:
            connections = child.net_connections(kind="tcp")
        except psutil.Error:
            continue
        if any(c.raddr and c.raddr.port == livekit_port for c in connections):
            child.kill()
            return
    raise AssertionError("no job process is connected to LiveKit")


async def until(condition) -> None:
    deadline = time.monotonic() + 60
    while not await db(condition):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {condition.__name__}")
        await asyncio.sleep(0.25)


@pytest.mark.parametrize("crash", ["job process", "whole worker"])
def test_after_a_crash_a_new_interviewer_continues_at_the_next_question(
    live_server, livekit_settings, tmp_path, crash, request
):
    # A plan of two questions: one answered before the crash, one after.
    questions = [QUESTIONS[0], QUESTIONS[2]]
    new = interview_for_a_known_candidate(questions)
    answers = ["Slow query log.", "We measured."]
    if crash == "job process":
        # The worker lives on: the shared one serves, and starts the next job itself.
        agents = [request.getfixturevalue("agent")]
    else:
        agents = [AgentProcess(livekit_settings, tmp_path / "first-agent.log").start()]
        agents[0].wait_registered()

    def first_answer_recorded() -> bool:
        return new.interview.asked.filter(answered_at__isnull=False).count() == 1

    def interrupted() -> bool:
        return Interview.objects.get(pk=new.interview.pk).status == Interview.Status.INTERRUPTED

    async def scenario() -> None:
        async with chromium() as page:
            await join(page, live_server.url, path=f"/interview/{new.invite_secret}/")
            await wait_for_caption(page, questions[0][1])
            await answer(page, answers[0])
            await until(first_answer_recorded)

            if crash == "job process":
                kill_the_running_interview_job(agents[0], livekit_settings.port)
            else:
                agents[0].kill()
                agents.append(AgentProcess(livekit_settings, tmp_path / "second-agent.log"))
                await asyncio.to_thread(agents[-1].start().wait_registered)

            await page.wait_for_selector("#retry:visible", timeout=60_000)
            await until(interrupted)
            # The first interviewer may or may not have asked the second question aloud.
            asked_before = await page.evaluate(COUNT_IN_CAPTIONS, questions[1][1])
            await page.click("#retry")
            await wait_for_caption(page, prompts.RESUME_MESSAGE)
            await page.wait_for_function(
                f"n => ({COUNT_IN_CAPTIONS})(n) > {asked_before}",
                arg=questions[1][1],
                timeout=30_000,
            )
            await answer(page, answers[1])
            await page.wait_for_selector("#step-done:not([hidden])", timeout=30_000)

    try:
        asyncio.run(scenario())
    except Exception as failure:
        logs = "\n".join(agent.log()[-3000:] for agent in agents)
        raise AssertionError(f"agent logs:\n{logs}") from failure
    finally:
        if crash == "whole worker":
            for agent in agents:
                agent.stop()

    interview = Interview.objects.get(pk=new.interview.pk)
    assert interview.status == Interview.Status.COMPLETED
    asked = list(interview.asked.filter(follow_up_to__isnull=True).order_by("sequence"))
    assert [q.text for q in asked] == [text for _stage, text in questions]
    assert [q.answer for q in asked] == answers
    candidate_lines = [s.text for s in interview.transcript.filter(speaker="candidate")]
    assert candidate_lines == answers


def spoken_answer_with_pauses(path: Path) -> Path:
    """espeak-ng speech followed by silence: Chromium loops the file, and the pause lets
    voice activity detection hear the end of each utterance."""
    subprocess.run(
        ["espeak-ng", "-w", str(path), "I would look at the slow query log first."],
        check=True,
        timeout=30,
    )
    with wave.open(str(path), "rb") as source:
        params, frames = source.getparams(), source.readframes(source.getnframes())
    silence = b"\x00" * (params.sampwidth * params.nchannels * params.framerate * 3)
    with wave.open(str(path), "wb") as target:
        target.setparams(params)
        target.writeframes(frames + silence)
    return path


def test_a_spoken_answer_without_speech_to_text_gets_a_request_to_type(
    live_server, livekit_settings, tmp_path
):
    """Chromium's microphone plays recorded speech; the structured interviewer hears that
    someone spoke (voice activity) and, with no speech-to-text, asks for typing."""
    speech = spoken_answer_with_pauses(tmp_path / "answer.wav")
    new = interview_for_a_known_candidate()
    agent = AgentProcess(
        livekit_settings, tmp_path / "agent.log", env={"STRUCTURED_SPEECH_TO_TEXT": "false"}
    ).start()
    agent.wait_registered()

    async def scenario() -> None:
        fake_microphone = f"--use-file-for-fake-audio-capture={speech}"
        async with chromium(extra_args=(fake_microphone,)) as page:
            await join(page, live_server.url, path=f"/interview/{new.invite_secret}/")
            await wait_for_caption(page, prompts.TYPE_IN_CHAT_MESSAGE)
            await wait_for_caption(page, QUESTIONS[0][1])
            await page.wait_for_selector("#answer-how[data-hears-speech=false]")
            await answer(page, "Typed after all: the slow query log.")
            await wait_for_caption(page, QUESTIONS[1][1])

    agent.run(scenario(), then_stop=True)

    first = new.interview.asked.order_by("sequence").first()
    assert first.answer == "Typed after all: the slow query log."
    agent_lines = [s.text for s in new.interview.transcript.filter(speaker="agent")]
    assert any(prompts.TYPE_IN_CHAT_MESSAGE in line for line in agent_lines)
