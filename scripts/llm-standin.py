#!/usr/bin/env python3
"""A local stand-in for an OpenAI-compatible chat completions server, for measuring what
extraction would send to a model (docs/QUALITY.md, "LLM only for unsure pages").

It answers every request with an empty speakers list and reports token usage the way the
API does, so speakerdb records and prices each call as it would a real one. Tokens are
counted as one per four characters of the request's messages (and of the answer): an
approximation of English BPE tokenisers, the same for every request, so two runs compare
fairly. Every call is appended to a JSON Lines log.

    scripts/llm-standin.py --port 8765 --log /tmp/llm-calls.jsonl &
    LLM_BASE_URL=http://127.0.0.1:8765/v1 LLM_MODEL=gpt-4o-mini speakerdb eval ...
"""
import argparse
import json
import math
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWER = json.dumps({"speakers": []})


def tokens(text: str) -> int:
    return max(1, math.ceil(len(text) / 4))


class Handler(BaseHTTPRequestHandler):
    lock = threading.Lock()
    log_path = None

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            request = json.loads(raw)
            messages = request.get("messages") or []
            text = "".join(m.get("content") if isinstance(m.get("content"), str) else json.dumps(m.get("content")) for m in messages)
        except (ValueError, AttributeError):
            self.send_error(400, "not a chat completions request")
            return
        if not self.path.endswith("/chat/completions"):
            self.send_error(404)
            return
        usage = {"prompt_tokens": tokens(text), "completion_tokens": tokens(ANSWER)}
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        body = json.dumps({
            "id": "standin", "object": "chat.completion", "model": request.get("model") or "standin",
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": ANSWER}}],
            "usage": usage,
        }).encode()
        schema = ((request.get("response_format") or {}).get("json_schema") or {}).get("name")
        with Handler.lock:
            with open(Handler.log_path, "a") as log:
                log.write(json.dumps({"schema": schema, "characters": len(text), **usage}) + "\n")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--log", required=True, help="JSON Lines file that gets one line per call")
    parser.add_argument("--summary", action="store_true", help="print the totals of an existing log and exit")
    args = parser.parse_args()
    if args.summary:
        calls = [json.loads(line) for line in open(args.log)]
        by_schema = {}
        for call in calls:
            entry = by_schema.setdefault(call.get("schema") or "none", {"calls": 0, "prompt_tokens": 0, "completion_tokens": 0})
            entry["calls"] += 1
            entry["prompt_tokens"] += call["prompt_tokens"]
            entry["completion_tokens"] += call["completion_tokens"]
        print(json.dumps(by_schema, indent=1))
        return
    Handler.log_path = args.log
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"stand-in listening on http://127.0.0.1:{args.port}/v1", file=sys.stderr)
    server.serve_forever()


if __name__ == "__main__":
    main()
