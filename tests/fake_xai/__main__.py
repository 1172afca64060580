"""``python -m tests.fake_xai --port 8787 [--key KEY]``: serve the fake in the foreground."""

from __future__ import annotations

import argparse
import time

from tests.fake_xai.server import DEFAULT_KEY, FakeXai


def main(argv: list[str] | None = None) -> None:
    """Serve until Ctrl-C."""
    parser = argparse.ArgumentParser(description="Serve a fake xAI API on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8787)
    parser.add_argument("--key", default=DEFAULT_KEY, help="the valid API key (default: test key)")
    parser.add_argument("--stream-delay", type=float, default=0.0)
    args = parser.parse_args(argv)
    fake = FakeXai(api_key=args.key, port=args.port, stream_delay=args.stream_delay).start()
    print(f"fake xAI API at {fake.base_url} (Ctrl-C to stop)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
