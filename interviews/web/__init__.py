"""The candidate's side on the web: invite and open links, the join page, consent, the
LiveKit token endpoint, and LiveKit's webhook. The rules live in services and models;
these views read the request, call them, and answer. Request plumbing (the 503 guard, the
JSON helpers, the session, rate limits) and page text sit in their own modules.
"""
