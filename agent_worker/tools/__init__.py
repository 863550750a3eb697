"""The interviewer's function tools and their plumbing: questions, identification, the
JSON results (calls), and the guard that keeps requests out of answers.
"""
