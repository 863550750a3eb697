"""Figure 1: what our code adds to a candidate's turn.

A turn is `AgentSession.run(user_input=answer)` in text mode with the structured
interviewer: record_answer (which stores the answer and picks the next question in one
transaction), the question as the reply, and the transcript recorder storing both
messages on its own thread. The same session with tools that return constants (the same
shape of outputs, no transcript writes) is the baseline; the real tools without the
transcript recorder split the cost. Turns of the three interleave, on a seeded database,
so a burst of load from elsewhere on the machine hits all of them.

    DATABASE_URL=... python -m bench.turns --out turns.json
"""

import argparse
import asyncio
import json
import os
import threading
import time
from typing import Any

from bench.common import load_average, setup_django, summary_ms, write_json

# As a worker runs in production: DEBUG off (with DEBUG on, Django logs every query, a
# cost no deployment pays).
PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": "bench-" + "s" * 50,
    "LIVEKIT_API_KEY": "benchkey",
    "LIVEKIT_API_SECRET": "bench-secret-" + "x" * 32,
    "ALLOWED_HOSTS": "127.0.0.1",
}
os.environ.update(PRODUCTION)
setup_django()

from asgiref.sync import sync_to_async  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from livekit.agents import AgentSession, RunResult, function_tool  # noqa: E402

from agent_worker.ai_modes import MAX_TOOL_STEPS  # noqa: E402
from agent_worker.interviewer import Interviewer  # noqa: E402
from agent_worker.prompts import InterviewContext  # noqa: E402
from agent_worker.session.transcript import TranscriptRecorder, on_writer_thread  # noqa: E402
from agent_worker.structured.interviewer import StructuredInterviewer  # noqa: E402
from agent_worker.tools.calls import ok  # noqa: E402
from bench.seed import TURNS_POSITION  # noqa: E402
from interviews.models import Interview, Position  # noqa: E402
from interviews.services.candidates import candidate_create  # noqa: E402
from interviews.services.invites import interview_create  # noqa: E402
from interviews.services.lifecycle import interview_start  # noqa: E402

PAIRS = 16
TURNS_PER_INTERVIEW = 18  # the plan has 20 questions: the session never reaches its end
WARMUP_TURNS = 2
ANSWER = "I would start from the slow query log, then read the plan and add an index."


class ConstantInterviewer(Interviewer):
    """The same agent, whose tools answer at once with what the real ones would say."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._number = 0

    def _next(self) -> dict:
        self._number += 1
        return {
            "ok": True,
            "done": False,
            "number": self._number,
            "stage": "technical",
            "question": f"Turn question {self._number}?",
            "resumed": False,
        }

    # livekit-agents types a tool as generic in its method's `self`, so every override of a
    # tool differs in type from the one it replaces, as these are meant to.
    @function_tool
    async def get_next_question(self) -> str:  # type: ignore[override]
        """Get the question to ask now. Ask it exactly once; when the answer is in, call
        record_answer, then call this again. It says when the interview plan is done."""
        return ok(**self._next())

    @function_tool
    async def record_answer(self, answer: str) -> str:  # type: ignore[override]
        """Record the candidate's answer to the question you asked last.

        Args:
            answer: What the candidate answered, faithfully, in their words.
        """
        if self._takes_next_question_with_answer():  # as the real tool does
            return ok(
                recorded=True,
                instruction="Acknowledge briefly and neutrally, then ask the next question.",
                next=self._next(),
            )
        return ok(
            recorded=True,
            instruction="Acknowledge briefly and neutrally, then call get_next_question.",
        )


def new_interview(index: int) -> Interview:
    position = Position.objects.get(slug=TURNS_POSITION)
    candidate = candidate_create(
        email=f"turns.{index}.{time.time_ns()}@example.com",
        name=f"Turn Candidate {index}",
        position=position,
        experience_years=5,
    )
    interview = interview_create(position=position, candidate=candidate).interview
    return interview_start(interview=interview, ai_mode="structured")


def context_for(interview: Interview) -> InterviewContext:
    return InterviewContext(
        position_title=interview.position.title,
        position_description=interview.position.description,
        personal_invite=True,
        resuming=False,
    )


class QueryCounter:
    """Counts the queries and the committed transactions of the sync thread's connection
    (where the tools run) and of the transcript writer's (installed on each)."""

    def __init__(self) -> None:
        self.count = 0
        self.commits = 0
        self._lock = threading.Lock()

    def __call__(self, execute, sql, params, many, context):  # noqa: ANN001, ANN204
        # A write outside a transaction commits on its own (autocommit).
        writes = sql.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE")
        autocommits = writes and not context["connection"].in_atomic_block
        with self._lock:
            self.count += 1
            self.commits += autocommits
        return execute(sql, params, many, context)

    def install(self) -> None:
        connection.execute_wrappers.append(self)
        commit = connection.commit

        def counted_commit() -> None:
            with self._lock:
                self.commits += 1
            commit()

        # Counted by wrapping this connection's own method, for this benchmark only.
        connection.commit = counted_commit  # type: ignore[method-assign]


async def open_session(agent: Interviewer) -> AgentSession[None]:
    session: AgentSession[None] = AgentSession(
        llm=StructuredInterviewer(), max_tool_steps=MAX_TOOL_STEPS
    )
    await session.__aenter__()
    await asyncio.wait_for(session.start(agent, capture_run=True), 20)
    return session


async def timed_turn(session: AgentSession[None]) -> float:
    started = time.perf_counter()
    result: RunResult[None] = await asyncio.wait_for(session.run(user_input=ANSWER), 20)
    elapsed = time.perf_counter() - started
    replies = [e for e in result.events if e.type == "message" and e.item.role == "assistant"]
    if not replies or "Question" not in (replies[-1].item.text_content or ""):
        raise RuntimeError(f"unexpected turn: {[str(e) for e in result.events]}")
    return elapsed


async def measure() -> dict:
    """Three sessions per interview, turns interleaved: the real tools with the transcript
    recorder (production), the real tools alone, and constant tools."""
    counter = QueryCounter()
    await sync_to_async(counter.install)()
    await on_writer_thread(counter.install)
    times: dict[str, list[float]] = {"real": [], "tools_only": [], "constant": []}
    real_queries = real_commits = 0
    for pair in range(PAIRS):
        agents = {}
        for variant in ("real", "tools_only"):
            interview = await sync_to_async(new_interview)(pair)
            context = await sync_to_async(context_for)(interview)
            agents[variant] = Interviewer(interview=interview, context=context)
        agents["constant"] = ConstantInterviewer(interview=interview, context=context)
        recorder = TranscriptRecorder(interview=interview)
        sessions: dict[str, AgentSession[None]] = {
            name: AgentSession(llm=StructuredInterviewer(), max_tool_steps=MAX_TOOL_STEPS)
            for name in agents
        }
        async with sessions["real"], sessions["tools_only"], sessions["constant"]:
            recorder.attach(sessions["real"])
            for name, session in sessions.items():
                await asyncio.wait_for(session.start(agents[name], capture_run=True), 20)
            await recorder.flush()
            order = list(sessions)
            for turn in range(TURNS_PER_INTERVIEW):
                # Rotate which goes first, so none always follows another's tail.
                for name in order[turn % 3 :] + order[: turn % 3]:
                    before, commits_before = counter.count, counter.commits
                    elapsed = await timed_turn(sessions[name])
                    if name == "real":
                        await recorder.flush()  # its writes belong to this turn
                    if turn >= WARMUP_TURNS:
                        times[name].append(elapsed)
                        if name == "real":
                            real_queries += counter.count - before
                            real_commits += counter.commits - commits_before
            await recorder.aclose()
    real, constant = summary_ms(times["real"]), summary_ms(times["constant"])
    tools_only = summary_ms(times["tools_only"])
    return {
        "real": real,
        "tools_only": tools_only,
        "constant": constant,
        "ratio_median": round(real["median_ms"] / constant["median_ms"], 3),
        "ratio_p95": round(real["p95_ms"] / constant["p95_ms"], 3),
        "added_median_ms": round(real["median_ms"] - constant["median_ms"], 3),
        "added_p95_ms": round(real["p95_ms"] - constant["p95_ms"], 3),
        "tools_only_added_p95_ms": round(tools_only["p95_ms"] - constant["p95_ms"], 3),
        "queries_per_real_turn": round(real_queries / max(1, len(times["real"])), 1),
        "commits_per_real_turn": round(real_commits / max(1, len(times["real"])), 1),
        "turns_per_variant": len(times["real"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    result: dict[str, Any] = {
        "vendor": connection.vendor,
        "load_average": load_average(),
        "debug": settings.DEBUG,
    }
    result.update(asyncio.run(measure()))
    write_json(args.out, result)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
