"""The interview session: the LiveKit worker and `runagent` (worker, runner), one job (job), the
run that ties a session to its interview record (run), turns typed or spoken, the transcript.
"""
