"""Scale-out on loopback: two LiveKit nodes in multi-node mode sharing one Redis, two
`runagent` workers (one on each node), PostgreSQL, the Redis channel layer and two web
processes. Six candidates (the LiveKit Python SDK, half through each web process and so
each node) are interviewed by both workers; one worker is killed mid-interview and its
interviews resume on the other with nothing lost; both dashboards hear every change."""

import asyncio
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest
from django.db import connection

from agent_worker import prompts
from devtools.processes import free_port
from interviews.models import Interview, RoomEvent, Stage, TranscriptSegment
from interviews.services.invites import interview_create
from tests.browser.conftest import db
from tests.dashboard.conftest import session_cookie
from tests.dashboard.redis_process import RedisServer
from tests.e2e.conftest import QUICK_CONVERSATION, database_url
from tests.factories import CandidateFactory, PositionFactory, QuestionFactory
from tests.provider_protocol.candidate import Candidate
from tests.scaleout.cluster import (
    Dashboard,
    LiveKitNode,
    WebProcess,
    Worker,
    django_env,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.scaleout,
    pytest.mark.django_db(transaction=True),
]

# Enough for each worker to finish one interview, lose one or more to the kill and keep
# one or more running (LiveKit gives each join to the less loaded worker).
INTERVIEWS = 6
# A plan of two questions: one answered by everyone before the kill, one after it.
QUESTIONS = [
    (Stage.TECHNICAL, "How would you find a slow database query in production?"),
    (Stage.BEHAVIORAL, "Tell me about a time you disagreed with a teammate."),
]
ANSWERS = [
    "I would read the slow query log and run explain on the worst query.",
    "We disagreed on a schema, measured both designs, and chose together.",
]


@dataclass
class Cluster:
    nodes: list[LiveKitNode]
    webs: list[WebProcess]
    workers: list[Worker]

    def logs(self) -> str:
        parts = [f"--- worker {i}\n{w.log()[-2500:]}" for i, w in enumerate(self.workers)]
        parts += [f"--- web {i}\n{w.log()[-1500:]}" for i, w in enumerate(self.webs)]
        return "\n".join(parts)

    def worker_of(self, room_name: str) -> int | None:
        """The worker a room's job went to: each worker registers with its own node, and
        the node that hands a job to one of its workers logs it."""
        pattern = re.compile(rf"assigned job to worker.*\b{re.escape(room_name)}\b")
        found = [i for i, node in enumerate(self.nodes) if pattern.search(node.log())]
        return found[-1] if found else None


@pytest.fixture
def cluster(transactional_db, tmp_path: Path) -> Iterator[Cluster]:
    assert connection.vendor == "postgresql", (
        "The scale-out test needs PostgreSQL (several processes write at once): "
        "run it with `make test-postgres`."
    )
    with RedisServer(tmp_path) as redis:
        # LiveKit keeps its cluster state in Redis database 0; Django uses database 1.
        django_redis = f"redis://127.0.0.1:{redis.port}/1"
        first = LiveKitNode(
            port=free_port(),
            redis_address=f"127.0.0.1:{redis.port}",
            log_path=tmp_path / "lk-0.log",
        )
        second = LiveKitNode(
            port=free_port(),
            redis_address=first.redis_address,
            api_secret=first.api_secret,
            log_path=tmp_path / "lk-1.log",
        )
        nodes = [first, second]
        webs = [
            WebProcess(django_env(database_url(), django_redis, node), tmp_path / f"web-{i}.log")
            for i, node in enumerate(nodes)
        ]
        workers = [
            Worker(
                django_env(
                    database_url(),
                    django_redis,
                    node,
                    # A typed answer is replied to at once; no speech in this test.
                    **{**QUICK_CONVERSATION, "TYPED_ANSWER_PAUSE_SECONDS": "0.3"},
                    STRUCTURED_SPEECH_TO_TEXT="false",
                ),
                tmp_path / f"worker-{i}.log",
                "--executor",
                "thread",
            )
            for i, node in enumerate(nodes)
        ]
        try:
            for web, node in zip(webs, nodes, strict=True):
                web.start()
                node.webhook_url = f"{web.url}/livekit/webhook"
                node.start()
            for worker in workers:
                worker.start()
            yield Cluster(nodes=nodes, webs=webs, workers=workers)
        finally:
            for child in [*workers, *webs]:
                child.stop()
            for node in nodes:
                node.stop()


@dataclass
class Person:
    """A candidate with a personal invite, their browser's cookies and their room."""

    interview_pk: int
    public_id: str
    invite: str
    web: WebProcess
    http: aiohttp.ClientSession | None = None
    room: Candidate | None = None
    answered: int = 0
    history: list[str] = field(default_factory=list)

    async def open_invite_and_consent(self) -> None:
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        async with self.http.get(f"{self.web.url}/interview/{self.invite}/") as response:
            assert response.status == 200, await response.text()
        async with self.http.post(
            f"{self.web.url}/interview/consent",
            json={"choice": "consent", "consent": True},
            headers=self._csrf(),
        ) as response:
            assert response.status == 200, await response.text()

    def _csrf(self) -> dict[str, str]:
        token = next(c.value for c in self.http.cookie_jar if c.key == "csrftoken")
        return {"X-CSRFToken": token}

    async def join(self) -> None:
        async with self.http.post(
            f"{self.web.url}/interview/token", json={}, headers=self._csrf()
        ) as response:
            assert response.status == 201, await response.text()
            details = await response.json()
        # Six interviews, two LiveKit nodes, two workers and two web processes share the
        # machine: be as patient as a candidate on a slow connection.
        self.room = Candidate(patience=90.0)
        # Candidates here type (no speech in this test): without a microphone the workers
        # run no voice detection, which six silent tracks would keep busy on two cores.
        await self.room.join(details["server_url"], details["participant_token"], microphone=False)

    async def answer_next(self) -> None:
        """Wait for the next question, then type its answer."""
        await self.room.sees(QUESTIONS[self.answered][1])
        await self.room.interviewer_listens()
        await self.room.type(ANSWERS[self.answered])
        self.answered += 1

    async def leave(self) -> None:
        if self.room is not None:
            await self.room.leave()
            self.room = None

    async def close(self) -> None:
        await self.leave()
        if self.http is not None:
            await self.http.close()


def new_people(webs: list[WebProcess]) -> list[Person]:
    position = PositionFactory(
        title="Platform engineer", technical_questions=1, behavioral_questions=1
    )
    for order, (stage, text) in enumerate(QUESTIONS):
        QuestionFactory(position=position, stage=stage, text=text, order=order)
    people = []
    for i in range(INTERVIEWS):
        candidate = CandidateFactory(position=position, experience_years=5)
        new = interview_create(position=position, candidate=candidate)
        people.append(
            Person(
                interview_pk=new.interview.pk,
                public_id=str(new.interview.public_id),
                invite=new.invite_secret,
                web=webs[i % 2],
            )
        )
    return people


def answers_recorded(person: Person, count: int) -> bool:
    interview = Interview.objects.get(pk=person.interview_pk)
    answered = interview.asked.filter(answered_at__isnull=False).count()
    said = interview.transcript.filter(speaker=TranscriptSegment.Speaker.CANDIDATE).count()
    return answered >= count and said >= count


def interrupted_and_room_closed(person: Person) -> bool:
    interview = Interview.objects.get(pk=person.interview_pk)
    closed = RoomEvent.objects.filter(room_name=interview.room_name, event="room_finished")
    return interview.status == Interview.Status.INTERRUPTED and closed.exists()


async def until(condition, *args) -> None:  # noqa: ANN001
    deadline = asyncio.get_running_loop().time() + 90
    while not await db(condition, *args):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {condition.__name__}")
        await asyncio.sleep(0.25)


async def dashboards_see_completed(dashboards: list[Dashboard], person: Person) -> None:
    deadline = asyncio.get_running_loop().time() + 30
    while not all("completed" in d.statuses(person.public_id) for d in dashboards):
        if asyncio.get_running_loop().time() > deadline:
            heard = [(d.web.url, d.closed, d.statuses(person.public_id)) for d in dashboards]
            raise AssertionError(f"a dashboard did not hear the interview complete: {heard}")
        await asyncio.sleep(0.1)


async def finish(person: Person, dashboards: list[Dashboard]) -> None:
    """Answer the remaining questions; stay in the room until both dashboards heard the
    interview complete. While the candidate is still in the room, no LiveKit webhook about
    it can arrive: that news came from the worker, through Redis, to both web processes."""
    while person.answered < len(QUESTIONS):
        await person.answer_next()
    await person.room.sees(prompts.CLOSING_REMARKS)
    await dashboards_see_completed(dashboards, person)
    await person.leave()


async def resume_elsewhere(person: Person, dashboards: list[Dashboard]) -> None:
    """The interviewer vanished with its worker: the page offers to reconnect, the
    candidate does, and the other worker picks up at the next question."""
    await person.room.interviewer_leaves()
    await person.leave()
    await until(interrupted_and_room_closed, person)
    await person.join()
    await person.room.sees(prompts.RESUME_MESSAGE)
    await finish(person, dashboards)


def test_interviews_spread_over_two_nodes_and_two_workers_survive_a_killed_worker(
    cluster: Cluster, django_user_model
):
    recruiter = django_user_model.objects.create_user(
        "recruiter", password="not-used-0", is_superuser=True, is_staff=True
    )
    cookie = session_cookie(recruiter)
    people = new_people(cluster.webs)
    kept_before_kill: dict[int, list[tuple[int, str]]] = {}
    placement: dict[str, int] = {}

    async def scenario() -> None:
        async with (
            Dashboard(cluster.webs[0], cookie) as first,
            Dashboard(cluster.webs[1], cookie) as second,
        ):
            dashboards = [first, second]
            try:
                # One after another, each greeted before the next joins: the workers'
                # reported load is current when LiveKit picks one for the next job.
                for person in people:
                    await person.open_invite_and_consent()
                    await person.join()
                    await person.room.sees(QUESTIONS[0][1])
                await asyncio.gather(*(person.answer_next() for person in people))
                for person in people:
                    await until(answers_recorded, person, 1)
                for person in people:
                    room = await db(
                        lambda p=person: Interview.objects.get(pk=p.interview_pk).room_name
                    )
                    placement[person.public_id] = cluster.worker_of(room)
                served = [[p for p in people if placement[p.public_id] == i] for i in (0, 1)]
                assert all(len(group) >= 2 for group in served), placement

                # One interview on each worker runs to its end before the crash.
                await asyncio.gather(*(finish(group[0], dashboards) for group in served))

                victims, survivors = served[0][1:], served[1][1:]
                for person in victims:
                    kept_before_kill[person.interview_pk] = await db(
                        lambda p=person: list(
                            TranscriptSegment.objects.filter(interview_id=p.interview_pk)
                            .order_by("sequence")
                            .values_list("pk", "text")
                        )
                    )
                cluster.workers[0].kill()
                await asyncio.gather(
                    *(finish(person, dashboards) for person in survivors),
                    *(resume_elsewhere(person, dashboards) for person in victims),
                )
            finally:
                for person in people:
                    await person.close()

    try:
        asyncio.run(scenario())
    except Exception as failure:
        raise AssertionError(f"{failure!r}\n{placement}\n{cluster.logs()}") from failure

    for person in people:
        interview = Interview.objects.get(pk=person.interview_pk)
        assert interview.status == Interview.Status.COMPLETED
        asked = list(interview.asked.filter(follow_up_to__isnull=True).order_by("sequence"))
        assert [q.text for q in asked] == [text for _stage, text in QUESTIONS]
        assert [q.answer for q in asked] == ANSWERS
        candidate_lines = list(
            interview.transcript.filter(speaker=TranscriptSegment.Speaker.CANDIDATE)
            .order_by("sequence")
            .values_list("text", flat=True)
        )
        assert candidate_lines == ANSWERS
    for pk, before in kept_before_kill.items():
        after = list(
            TranscriptSegment.objects.filter(interview_id=pk)
            .order_by("sequence")
            .values_list("pk", "text")
        )
        assert after[: len(before)] == before
        assert any(prompts.RESUME_MESSAGE in text for _pk, text in after[len(before) :])
    # The killed worker served interviews; the survivor finished them.
    assert set(placement.values()) == {0, 1}
    assert cluster.workers[1].running()
