"""The coding round's execution on the server: the candidate's code and the exercise's
tests run by Pyodide under Node.js, in a separate, confined process per run
(`interviews.coding.sandbox.sandbox_run`)."""
