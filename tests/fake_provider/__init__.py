"""A local fake LLM provider speaking the real OpenAI and Anthropic wire formats."""
from .server import FakeProvider  # noqa: F401
from . import usage  # noqa: F401
