#!/usr/bin/env python3
"""Screenshots of the main pages for the README, taken with headless Chromium through
WebDriver (chromedriver), at a desktop width and at a phone's (390 px).

Run it against the demo (the fictional sample site), then commit docs/screenshots/:

    speakerdb demo &                      # serves http://127.0.0.1:5001 once the pipeline ran
    python3 scripts/screenshots.py --base http://127.0.0.1:5001

Re-run it when pages change. Needs chromium and chromium-driver (scripts/bootstrap.sh).
"""
import argparse
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

PAGES = [
    ("home", "/"),
    ("search", "/search?q=speakers+on+ocean+finance"),
    ("speakers", "/speakers"),
    ("profile", "/speakers/1"),
    ("event", "/events/1"),
    ("stats", "/stats"),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"{}").get("value")


def session(driver, phone):
    args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"]
    options = {"args": args + ([] if phone else ["--window-size=1280,900"])}
    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium:
        options["binary"] = chromium
    if phone:
        options["mobileEmulation"] = {"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2.0}}
    value = call(driver, "POST", "/session", {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": options}}})
    return value["sessionId"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:5001", help="the running web app")
    parser.add_argument("--out", default="docs/screenshots", help="where the PNG files go")
    args = parser.parse_args()
    executable = os.environ.get("CHROMEDRIVER_PATH") or shutil.which("chromedriver")
    if not executable:
        sys.exit("chromedriver not found: install chromium-driver (scripts/bootstrap.sh) or set CHROMEDRIVER_PATH")
    os.makedirs(args.out, exist_ok=True)
    port = free_port()
    driver = subprocess.Popen([executable, f"--port={port}", "--allowed-ips=127.0.0.1", "--log-level=OFF"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if call(base, "GET", "/status").get("ready"):
                    break
            except OSError:
                pass
            time.sleep(0.1)
        for phone in (False, True):
            sid = session(base, phone)
            try:
                for name, path in PAGES:
                    call(base, "POST", f"/session/{sid}/url", {"url": args.base + path})
                    if not phone:
                        # The whole page height, up to a limit, so a screenshot shows the page.
                        height = call(base, "POST", f"/session/{sid}/execute/sync",
                                      {"script": "return Math.min(document.documentElement.scrollHeight, 1800);", "args": []})
                        call(base, "POST", f"/session/{sid}/window/rect", {"width": 1280, "height": int(height) + 90})
                    png = base64.b64decode(call(base, "GET", f"/session/{sid}/screenshot"))
                    target = os.path.join(args.out, f"{name}-{'phone' if phone else 'desktop'}.png")
                    with open(target, "wb") as f:
                        f.write(png)
                    print(target, len(png), "bytes")
            finally:
                call(base, "DELETE", f"/session/{sid}")
    finally:
        driver.terminate()
        driver.wait(timeout=10)


if __name__ == "__main__":
    main()
