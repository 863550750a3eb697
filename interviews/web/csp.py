"""The Content-Security-Policy of the pages that talk to LiveKit: the candidate's join
page, and the recruiters' dashboard and watch pages."""

from urllib.parse import urlsplit

from django.conf import settings


def livekit_origins(url: str) -> list[str]:
    """The WebSocket origin of the media server and its HTTP twin (the client probes it
    over HTTP when a connection fails)."""
    parts = urlsplit(url)
    if not parts.netloc:
        return []
    twins = {"ws": "http", "wss": "https", "http": "ws", "https": "wss"}
    schemes = [parts.scheme, twins.get(parts.scheme, "")]
    return [f"{scheme}://{parts.netloc}" for scheme in schemes if scheme]


def join_page_policy() -> str:
    connect = " ".join(["'self'", *livekit_origins(settings.LIVEKIT_PUBLIC_URL)])
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "media-src 'self' blob: mediastream:",
            f"connect-src {connect}",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )
