"""A minimal Chrome DevTools Protocol client for the offline browser test.

Only what the test needs: start headless Chromium on a fresh profile with every non-loopback
connection refused, open one page target, send commands and collect events. Speaking CDP
directly (over ``websocket-client``, already installed with Jupyter) gives us every network
request and every JavaScript exception, which WebDriver does not expose.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from collections import deque
from pathlib import Path
from typing import Any

import websocket

#: Flags that work as root in a container, with no GPU and a closed network.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--mute-audio",
    "--hide-scrollbars",
    "--window-size=1280,900",
    # The network is cut except loopback: names other than localhost do not resolve and any
    # other connection goes to a dead proxy (Chromium never proxies loopback).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    "--proxy-server=http://127.0.0.1:9",
    "--remote-debugging-port=0",
    "--remote-allow-origins=*",
]


def find_chromium() -> str:
    """Return the path of a Chromium binary or raise with the install command."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    raise FileNotFoundError(
        "Chromium is not installed: run `make test-browser` (installs Debian's chromium as "
        "root) or `apt-get install chromium`."
    )


class Browser:
    """Headless Chromium with one page target driven over CDP.

    Parameters
    ----------
    timeout
        Seconds to wait for Chromium to start and for any single command.
    """

    def __init__(self, timeout: float = 30.0) -> None:
        self.timeout = timeout
        # A first start in a new network namespace has once taken longer than `timeout`
        # (fresh profile, font caches): give Chromium a second, longer chance before failing.
        for attempt in (1, 2):
            self.profile = Path(tempfile.mkdtemp(prefix="ecomxai-chromium-"))
            self.proc = subprocess.Popen(
                [find_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                port = self._devtools_port(self.timeout * attempt)
                break
            except TimeoutError:
                self.proc.kill()
                self.proc.wait()
                if attempt == 2:
                    raise
        page = self._first_page(port)
        self.ws = websocket.create_connection(
            page["webSocketDebuggerUrl"], timeout=timeout, suppress_origin=True
        )
        self._next_id = 0
        self.events: deque[dict[str, Any]] = deque()

    def _devtools_port(self, wait: float) -> int:
        marker = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Chromium exited at start with code {self.proc.returncode}")
            if marker.exists():
                text = marker.read_text().split()
                if text:
                    return int(text[0])
            time.sleep(0.05)
        raise TimeoutError("Chromium did not open its DevTools port")

    def _first_page(self, port: int) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as r:
                targets = json.load(r)
            pages = [t for t in targets if t.get("type") == "page"]
            if pages:
                return pages[0]
            time.sleep(0.05)
        raise TimeoutError("Chromium opened no page target")

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one CDP command and return its result; events seen meanwhile are queued."""
        self._next_id += 1
        msg_id = self._next_id
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            message = json.loads(self.ws.recv())
            if message.get("id") == msg_id:
                if "error" in message:
                    raise RuntimeError(f"{method} failed: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)
        raise TimeoutError(f"no answer to {method}")

    def pump(self, seconds: float) -> None:
        """Collect events for ``seconds``."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self.ws.settimeout(left)
            try:
                message = json.loads(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                break
            finally:
                self.ws.settimeout(self.timeout)
            if "method" in message:
                self.events.append(message)

    def wait_for(self, method: str, seconds: float) -> bool:
        """Collect events until one named ``method`` arrives; False on time-out."""
        if any(e["method"] == method for e in self.events):
            return True
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self.ws.settimeout(left)
            try:
                message = json.loads(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                break
            finally:
                self.ws.settimeout(self.timeout)
            if "method" in message:
                self.events.append(message)
                if message["method"] == method:
                    return True
        return False

    def evaluate(self, expression: str, await_promise: bool = False) -> Any:
        """Evaluate JavaScript in the page and return its JSON value."""
        result = self.send(
            "Runtime.evaluate",
            expression=expression,
            returnByValue=True,
            awaitPromise=await_promise,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def close(self) -> None:
        """Stop Chromium (only the process this object started) and delete its profile."""
        try:
            self.ws.close()
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
            shutil.rmtree(self.profile, ignore_errors=True)


def loopback_url(url: str) -> bool:
    """True for URLs that need no network: loopback HTTP, data:, blob:, about:."""
    if url.startswith(("data:", "blob:", "about:", "chrome-error:")):
        return True
    host = url.split("://", 1)[-1].split("/", 1)[0].rsplit("@", 1)[-1]
    host = host.rsplit(":", 1)[0] if not host.startswith("[") else host.split("]")[0] + "]"
    return host in {"127.0.0.1", "localhost", "[::1]"}


def env_network_mode() -> str:
    """How the network was cut for this run (set by the Makefile), for the report."""
    return os.environ.get("ECOMXAI_NETWORK_CUT", "chromium flags only")
