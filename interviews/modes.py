"""The interviewer modes, named once: settings check INTERVIEW_AI against them, the agent
builds a session for each, and the candidate's page describes each.

Plain data with no imports, so that settings can read it before Django is set up.
"""

MODES = ("realtime", "pipeline", "structured")
# The modes in which an AI model chooses what to ask (the structured one follows a script).
AI_MODES = ("realtime", "pipeline")
