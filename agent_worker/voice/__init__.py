"""Speech in and out without a provider: offline speech-to-text, espeak-ng, the speech cache,
the speaking rate.
"""
