"""The AI evaluator: scores each answer against its question's rubric, citing what the
candidate said. Its output is a suggestion for the person who decides.

Blind by design: the model receives the questions, their rubrics and what was said from
the first question on, with the candidate's name and email scrubbed; never the profile.
Every passage it quotes is looked up in what the candidate said, in code: a score whose
quotes cannot all be found becomes "insufficient evidence".

It runs after the interview, outside it (`manage.py evaluate_interviews`, or the admin's
"(Re)run the evaluation"); a failure is recorded on the evaluation and never touches the
interview.

Modules: `llm` (the model), `blind` (what it sees), `reply` (checking what it says),
`run` (evaluating one interview; the writes are interviews.services.evaluations).
"""
