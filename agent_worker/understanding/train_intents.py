"""Train the intent model from intent_examples.txt and write intent_model.npz beside it:
`python -m agent_worker.understanding.train_intents` (make intent-model)."""

from agent_worker.understanding.intents import (
    MODEL_PATH,
    IntentModel,
    examples_digest,
    load_examples,
)

if __name__ == "__main__":
    IntentModel.trained(load_examples()).save(MODEL_PATH, digest=examples_digest())
    print(f"wrote {MODEL_PATH}")
