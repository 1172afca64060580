"""``python -m local_backend --port 8000``: the xAI API offline; prints the base URL and key."""

from __future__ import annotations

import argparse
import ipaddress
import os
import secrets
import threading
import time
from pathlib import Path

import uvicorn

from local_backend.engines.pool import EngineSettings, ModelPool
from local_backend.registry import default_registry
from local_backend.server import create_app


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _exit_with_parent(parent_pid: int) -> None:
    """Stop when the process that started us is gone (the app was killed, not just closed)."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m local_backend", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="loopback only unless --allow-remote")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--gguf",
        type=Path,
        action="append",
        default=[],
        help="a GGUF model served as a chat model, under its file stem and with its own chat "
        "template, listed before the bundled ones (repeatable; default: LOCAL_LLM_GGUF, one or "
        "more paths separated by ':' or ',')",
    )
    parser.add_argument(
        "--ctx", type=int, help="every text model's context window in tokens (default: 4096)"
    )
    parser.add_argument("--parallel", type=int, default=4, help="simultaneous generations")
    parser.add_argument("--allow-remote", action="store_true", help="allow a non-loopback --host")
    parser.add_argument("--exit-with-parent", type=int, metavar="PID", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if not _is_loopback(args.host) and not args.allow_remote:
        parser.error(f"--host {args.host} is not a loopback address; add --allow-remote to mean it")
    if args.exit_with_parent:
        _exit_with_parent(args.exit_with_parent)

    key_from_env = os.environ.get("LOCAL_API_KEY")
    api_key = key_from_env or "local-" + secrets.token_urlsafe(24)
    try:
        registry = default_registry(args.gguf)
    except ValueError as exc:
        parser.error(str(exc))
    if args.ctx is not None:
        registry = registry.with_context(args.ctx)
    models = ModelPool(registry, EngineSettings(n_parallel=args.parallel))
    app = create_app(models, api_key=api_key, workers=args.parallel * 2)

    print(f"Local backend: http://{args.host}:{args.port}/v1", flush=True)
    print(f"API key: {'(from LOCAL_API_KEY)' if key_from_env else api_key}", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
