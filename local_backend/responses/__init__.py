"""``/v1/responses`` for the local models: the request and its translation into a chat request
(``request``), the answer's objects (``objects``), the stream's events (``events``) and the
in-memory store of responses for ``previous_response_id`` (``store``). The routes are in
``api/responses.py``."""
