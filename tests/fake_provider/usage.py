"""The usage numbers the fake provider returns, fixed so that tests know the
expected token counts without asking Loupe.

Every reply of one kind carries the same usage, whatever the prompt, and the
numbers are chosen so that no two fields are equal (a field read from the
wrong key shows up as a wrong number, not a lucky match).
"""

# OpenAI chat completions: prompt_tokens INCLUDES cached_tokens and
# completion_tokens INCLUDES reasoning_tokens (that is how the API counts).
OPENAI_CHAT = {
    "prompt_tokens": 1500,
    "completion_tokens": 300,
    "total_tokens": 1800,
    "prompt_tokens_details": {"cached_tokens": 1024, "audio_tokens": 0},
    "completion_tokens_details": {
        "reasoning_tokens": 120,
        "audio_tokens": 0,
        "accepted_prediction_tokens": 0,
        "rejected_prediction_tokens": 0,
    },
}

# OpenAI embeddings: only prompt tokens.
OPENAI_EMBEDDINGS = {"prompt_tokens": 16, "total_tokens": 16}

# Anthropic messages: input_tokens EXCLUDES the cache reads and writes
# (the API reports the three disjointly).
ANTHROPIC = {
    "input_tokens": 200,
    "cache_creation_input_tokens": 300,
    "cache_read_input_tokens": 1000,
    "output_tokens": 150,
}

# Disjoint truth, as Loupe's TokenUsage defines it: uncached input, cache
# read, cache write, output excluding reasoning, reasoning.
OPENAI_CHAT_DISJOINT = {
    "input": 1500 - 1024,
    "cache_read": 1024,
    "cache_write": 0,
    "output": 300 - 120,
    "reasoning": 120,
}
OPENAI_EMBEDDINGS_DISJOINT = {"input": 16, "cache_read": 0, "cache_write": 0, "output": 0, "reasoning": 0}
ANTHROPIC_DISJOINT = {"input": 200, "cache_read": 1000, "cache_write": 300, "output": 150, "reasoning": 0}

# Request model -> the model string the provider answers with (real
# providers answer with a dated snapshot).
RESPONSE_MODELS = {
    "gpt-4o": "gpt-4o-2024-08-06",
    "gpt-4o-mini": "gpt-4o-mini-2024-07-18",
    "claude-sonnet-4-5": "claude-sonnet-4-5-20250929",
    "claude-haiku-4-5": "claude-haiku-4-5-20251001",
}


def response_model(request_model: str) -> str:
    return RESPONSE_MODELS.get(request_model, request_model)


# The reply text, split in the chunks a streaming reply sends.
REPLY_CHUNKS = ["Hello", " from the", " fake provider."]
REPLY_TEXT = "".join(REPLY_CHUNKS)
