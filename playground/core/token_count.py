"""Token counts of a prompt or a conversation: the server's own count where it serves
``/v1/tokenize-text``, else an estimate labelled as one (pure, no Streamlit).

A :class:`TokenCounter` lives in one session. It keeps counts by (server, model, digest of the
text) in a bounded LRU cache and remembers which servers (or models) do not tokenize, so a
server without the route is asked once, and one that failed (unreachable, 5xx, 429) is left
alone for a minute. It holds no client and no key: the client is passed to each call, and the
server is named by the caller (the backend and base URL, never the key).

The estimate: about 4 characters per token for ASCII text (English, code) and one token per
3 UTF-8 bytes for the rest (about one per CJK character, two per three Cyrillic letters); it errs
on the high side, which suits a context bar.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from xai_core import APIStatusError, BadRequestError, NotFoundError, XaiError

__all__ = [
    "BYTES_PER_TOKEN",
    "CHARS_PER_TOKEN",
    "MAX_COUNTED_CHARS",
    "MESSAGE_FRAMING_TOKENS",
    "TokenCount",
    "TokenCounter",
    "Tokenizer",
    "context_line",
    "context_share",
    "estimate",
    "estimate_tokens",
    "message_text",
]

CHARS_PER_TOKEN = 4  # ASCII characters per token (estimate)
BYTES_PER_TOKEN = 3  # UTF-8 bytes per token for non-ASCII text (estimate)
#: Tokens a chat template adds around each message (role markers, separators): an estimate.
MESSAGE_FRAMING_TOKENS = 4
#: Longer texts are estimated rather than sent to be counted (the local backend takes 1,000,000).
MAX_COUNTED_CHARS = 500_000
RETRY_AFTER_S = 60.0  # a server whose tokenizer failed is asked again after this long
SERVER_SOURCE = "counted by the server (/v1/tokenize-text)"
_NOT_SERVED_STATUSES = (404, 405, 501)


class Tokenizer(Protocol):
    """What counting needs of a client (:class:`xai_core.XaiClient` is one)."""

    def tokenize_text(self, text: str, *, model: str) -> Sequence[object]: ...


@dataclass(frozen=True)
class TokenCount:
    """``tokens`` counted by the server (``exact``) or estimated; ``source`` says how, in words.

    For a conversation, ``framing`` is the part of ``tokens`` that is an estimate of the message
    framing (always estimated), and ``images`` the images its messages hold, not counted.
    """

    tokens: int
    exact: bool
    source: str
    framing: int = 0
    images: int = 0

    @property
    def number(self) -> str:
        """``1,234`` or ``≈ 1,234``."""
        return f"{self.tokens:,}" if self.exact else f"≈ {self.tokens:,}"

    @property
    def qualifier(self) -> str:
        """``exact``, ``estimate``, or what of an exact count is estimated (framing, images)."""
        if not self.exact:
            return "estimate"
        parts = ["exact"]
        if self.framing:
            parts.append(f"{self.framing:,} estimated for message framing")
        if self.images:
            parts.append(f"{self.images} image{'s' if self.images > 1 else ''} not counted")
        return ", ".join(parts)

    def label(self) -> str:
        """``1,234 tokens (exact)`` or ``≈ 1,234 tokens (estimate)``."""
        unit = "token" if self.tokens == 1 else "tokens"
        return f"{self.number} {unit} ({self.qualifier})"


def estimate_tokens(text: str) -> int:
    """About how many tokens ``text`` is: its ASCII characters / 4 plus its other UTF-8
    bytes / 3, rounded up."""
    ascii_chars = sum(1 for char in text if ord(char) < 128)
    other_bytes = len(text.encode("utf-8", errors="replace")) - ascii_chars
    return math.ceil(ascii_chars / CHARS_PER_TOKEN + other_bytes / BYTES_PER_TOKEN)


def estimate(text: str, reason: str) -> TokenCount:
    """The estimate of ``text``, its ``source`` saying why it is not the server's count."""
    return TokenCount(
        estimate_tokens(text),
        False,
        f"estimated (~{CHARS_PER_TOKEN} characters per token): {reason}",
    )


def message_text(message: Mapping[str, Any]) -> tuple[str, int]:
    """The text an OpenAI-format message sends (content, text parts, tool call names and
    arguments) and how many images it holds."""
    content = message.get("content")
    texts: list[str] = []
    images = 0
    if isinstance(content, str):
        texts.append(content)
    elif isinstance(content, list):
        for part in content:
            if not isinstance(part, Mapping):
                continue
            if isinstance(part.get("text"), str):
                texts.append(part["text"])
            elif part.get("type") in ("image_url", "input_image"):
                images += 1
    for call in message.get("tool_calls") or []:
        function = call.get("function") if isinstance(call, Mapping) else None
        if isinstance(function, Mapping):
            texts += [str(function.get("name") or ""), str(function.get("arguments") or "")]
    return "\n".join(t for t in texts if t), images


def context_share(tokens: int, context_length: int | None) -> float | None:
    """The part of a ``context_length``-token context that ``tokens`` fill (at most 1)."""
    if not context_length:
        return None
    return min(1.0, tokens / context_length)


def _percent(share: float) -> str:
    return f"{share:.0%}" if share >= 0.1 else f"{share * 100:.2g}%"


def context_line(
    what: str, count: TokenCount, context_length: int | None, *, qualified: bool = True
) -> str:
    """``Prompt: 12 of 131,072 tokens · 0.0092% (exact)`` (without the qualifier when not
    ``qualified``), or without a known context ``Prompt: ≈ 12 tokens (estimate)``; a count past
    the context says so."""
    share = context_share(count.tokens, context_length)
    if share is None or not context_length:
        return f"{what}: {count.label()}"
    over = " · over the model's context" if count.tokens > context_length else ""
    line = f"{what}: {count.number} of {context_length:,} tokens · {_percent(share)}{over}"
    return f"{line} ({count.qualifier})" if qualified else line


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


class TokenCounter:
    """Counts text with a server's tokenizer; see the module docstring. Bounded: at most
    ``max_entries`` counts are kept (the least recently used go first)."""

    def __init__(
        self,
        max_entries: int = 512,
        *,
        clock: Callable[[], float] = time.monotonic,
        retry_after_s: float = RETRY_AFTER_S,
    ) -> None:
        self._counts: OrderedDict[tuple[str, str, str], int] = OrderedDict()
        self._max_entries = max_entries
        self._clock = clock
        self._retry_after_s = retry_after_s
        #: (server, model or "") -> (why it is not asked, until when; inf: this session)
        self._refused: OrderedDict[tuple[str, str], tuple[str, float]] = OrderedDict()
        self._serving: set[str] = set()  # servers that have tokenized something
        #: How many tokenize requests were sent (tests, diagnostics).
        self.requests = 0

    def __repr__(self) -> str:
        return f"TokenCounter({len(self._counts)} counts, {len(self._refused)} refusals)"

    # --- the cache --------------------------------------------------------------------------

    def _get(self, key: tuple[str, str, str]) -> int | None:
        found = self._counts.get(key)
        if found is not None:
            self._counts.move_to_end(key)
        return found

    def _put(self, key: tuple[str, str, str], tokens: int) -> None:
        self._counts[key] = tokens
        self._counts.move_to_end(key)
        while len(self._counts) > self._max_entries:
            self._counts.popitem(last=False)

    def cache_keys(self) -> list[tuple[str, str, str]]:
        """The keys of the cached counts: (server, model, digest), least recent first."""
        return list(self._counts)

    # --- refusals ---------------------------------------------------------------------------

    def refusal(self, server: str, model: str) -> str | None:
        """Why ``server`` is not asked to tokenize for ``model`` now, or None."""
        now = self._clock()
        for key in ((server, ""), (server, model)):
            found = self._refused.get(key)
            if found is not None:
                if found[1] > now:
                    return found[0]
                del self._refused[key]
        return None

    def _refuse(self, server: str, model: str, reason: str, seconds: float) -> None:
        self._refused[(server, model)] = (reason, self._clock() + seconds)
        while len(self._refused) > 64:
            self._refused.popitem(last=False)

    def _note_failure(self, server: str, model: str, exc: XaiError) -> str:
        status = exc.status_code if isinstance(exc, APIStatusError) else None
        if status in _NOT_SERVED_STATUSES and server not in self._serving:
            reason = "the server does not serve /v1/tokenize-text"
            self._refuse(server, "", reason, math.inf)
        elif status in _NOT_SERVED_STATUSES or isinstance(exc, BadRequestError | NotFoundError):
            reason = f"the server does not tokenize for {model}"
            self._refuse(server, model, reason, math.inf)
        else:
            what = f"HTTP {status}" if status else "no answer"
            reason = f"the server's tokenizer failed ({what}); asked again in a minute"
            self._refuse(server, "", reason, self._retry_after_s)
        return reason

    # --- counting ---------------------------------------------------------------------------

    def _ask(self, client: Tokenizer, server: str, model: str, text: str) -> int | str:
        """The server's count of ``text``, or why there is none."""
        reason = self.refusal(server, model)
        if reason is not None:
            return reason
        if len(text) > MAX_COUNTED_CHARS:
            return f"the text is over {MAX_COUNTED_CHARS:,} characters"
        self.requests += 1
        try:
            tokens = len(client.tokenize_text(text, model=model))
        except XaiError as exc:
            return self._note_failure(server, model, exc)
        self._serving.add(server)
        return tokens

    def count_text(
        self, client: Tokenizer, server: str, model: str | None, text: str
    ) -> TokenCount:
        """``text`` in ``model``'s tokens on ``server``, or an estimate when it cannot say."""
        if not text:
            return TokenCount(0, True, "counted: the text is empty")
        if not model:
            return estimate(text, "no model chosen")
        key = (server, model, _digest(text))
        cached = self._get(key)
        if cached is not None:
            return TokenCount(cached, True, SERVER_SOURCE)
        answer = self._ask(client, server, model, text)
        if isinstance(answer, str):
            return estimate(text, answer)
        self._put(key, answer)
        return TokenCount(answer, True, SERVER_SOURCE)

    def count_messages(
        self,
        client: Tokenizer,
        server: str,
        model: str | None,
        messages: Sequence[Mapping[str, Any]],
    ) -> TokenCount:
        """The conversation ``messages`` as it will be sent: the text of every message counted
        (by the server when it can; what an earlier call counted is not sent again, only the
        messages added since), plus an estimate of the framing of each message."""
        found = [message_text(m) for m in messages]
        texts = [text for text, _ in found]
        framing = MESSAGE_FRAMING_TOKENS * len(messages)
        images = sum(n for _, n in found)
        # chain[i]: a digest of the first i texts, so a count of a prefix is found again
        chain = [_digest("conversation")]
        for text in texts:
            chain.append(_digest(chain[-1] + _digest(text)))
        text_count = self._count_chain(client, server, model, texts, chain)
        return TokenCount(
            text_count.tokens + framing, text_count.exact, text_count.source, framing, images
        )

    def _count_chain(
        self,
        client: Tokenizer,
        server: str,
        model: str | None,
        texts: list[str],
        chain: list[str],
    ) -> TokenCount:
        """The tokens of ``texts`` joined: the longest counted prefix from the cache, the rest
        counted in one request and cached under the whole chain."""
        joined = "\n".join(texts)
        if not model or not joined:
            return self.count_text(client, server, model, joined)
        start, counted = 0, 0
        for i in range(len(texts), 0, -1):
            cached = self._get((server, model, chain[i]))
            if cached is not None:
                start, counted = i, cached
                break
        if start == len(texts):
            return TokenCount(counted, True, SERVER_SOURCE)
        rest = "\n".join(texts[start:])
        answer = self._ask(client, server, model, rest) if rest else 0
        if isinstance(answer, str):
            return estimate(joined, answer)
        self._put((server, model, chain[-1]), counted + answer)
        return TokenCount(counted + answer, True, SERVER_SOURCE)
