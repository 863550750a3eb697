"""The one contract between the token endpoint and the interviewer agent.

The candidate's token carries, in its room configuration, a dispatch of the agent named
`settings.LIVEKIT_AGENT_NAME` with this metadata. LiveKit hands the metadata to the agent
job, which reads the interview's public id from it. Both sides import this module.
"""

import json
import uuid
from dataclasses import dataclass


class DispatchMetadataError(ValueError):
    pass


@dataclass(frozen=True)
class DispatchMetadata:
    interview_id: uuid.UUID

    def to_json(self) -> str:
        return json.dumps({"interview_id": str(self.interview_id)})

    @classmethod
    def from_json(cls, raw: str | None) -> "DispatchMetadata":
        try:
            data = json.loads(raw or "")
            return cls(interview_id=uuid.UUID(str(data["interview_id"])))
        except (ValueError, TypeError, KeyError) as exc:
            raise DispatchMetadataError(f"not interview dispatch metadata: {exc}") from None
