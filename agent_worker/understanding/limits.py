"""How much of a candidate's message the readers look at."""

# A message longer than this is an answer, not an identification: only its start is read.
MAX_READ_LENGTH = 1000

# Experience is kept in whole years up to this (interviews.models checks it is the same).
MAX_EXPERIENCE_YEARS = 60
