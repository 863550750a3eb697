"""The recording's file: Ogg/Opus parts joined into one file without re-encoding, and
how long a file plays. PyAV (FFmpeg) comes with livekit-agents."""

from collections.abc import Sequence
from pathlib import Path

import av

OPUS_RATE = 48_000


def ogg_duration(path: Path) -> float:
    """Seconds of audio in an Ogg/Opus file (its packets' span, less the encoder's delay)."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        first, end = None, 0
        for packet in container.demux(stream):
            if packet.pts is None or packet.duration is None:
                continue
            first = packet.pts if first is None else first
            end = max(end, packet.pts + packet.duration)
        if first is None or stream.time_base is None:
            return 0.0
        return max(0.0, float((end - max(first, stream.start_time or 0)) * stream.time_base))


def ogg_join(parts: Sequence[Path], target: Path) -> float:
    """Write `parts` one after the other into `target` (Opus packets copied as they are);
    returns the joined file's duration in seconds."""
    with av.open(str(target), mode="w", format="ogg") as output:
        out_stream = None
        offset = 0  # in 1/48000 s: where the next part starts
        for part in parts:
            with av.open(str(part)) as source:
                stream = source.streams.audio[0]
                if out_stream is None:
                    out_stream = output.add_stream_from_template(stream)
                start = stream.start_time or 0
                end = offset
                for packet in source.demux(stream):
                    if packet.pts is None or packet.dts is None:
                        continue  # the flush packet that ends a stream
                    shifted = packet.pts - start + offset
                    packet.pts = packet.dts = shifted
                    end = max(end, shifted + (packet.duration or 0))
                    packet.stream = out_stream
                    output.mux(packet)
                offset = end
    return ogg_duration(target)
