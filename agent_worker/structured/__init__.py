"""The provider-free interviewer (`INTERVIEW_AI=structured`): the `llm.LLM` (interviewer), the
flow over the chat history (flow), its transition table (states), identification,
answering and what it says (replies).
"""
