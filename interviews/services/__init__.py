"""Every write to the interview data happens here, one module per domain: the admin, the
web views and the agent all call these functions (`from interviews.services import
candidates`). Each runs in one transaction; bad input raises ValidationError with a
message a person (or the interviewer agent) can act on, and writes nothing.
"""
