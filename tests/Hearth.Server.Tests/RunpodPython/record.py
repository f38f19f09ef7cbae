#!/usr/bin/python3
"""Records what the genuine runpod-python SDK sends to `hearth dev` and what Hearth answers (recording.json).

Re-record (after a change to Hearth's worker answers that is meant, or to record another SDK version):

    dotnet build Hearth.sln -c Release
    /usr/bin/python3 tests/Hearth.Server.Tests/RunpodPython/record.py

Use Debian's /usr/bin/python3 (it has python3-aiohttp and the SDK's other dependencies; see
/work/shared/vendor/runpod-python/README.md). The SDK is read from RUNPOD_PYTHON (default
/work/shared/vendor/runpod-python); it is never copied into this repository.

How: this script starts `hearth dev` with two endpoints whose `command:` is this script in --worker mode. The worker
mode starts a small recording proxy, points the SDK's RUNPOD_WEBHOOK_* URLs at it (Hearth sets them, the proxy only
swaps the origin), and runs handler.py with the genuine SDK. Every worker request (method, path and query, headers,
body) and Hearth's answer (status, Content-Type, body) is appended to a JSON-lines log per endpoint. The driver (this
script without --worker) plays the client: it submits one job per case, waits for each to finish, cancels one, and
records what it sent and the /status it saw. At the end all events are merged into one timeline ordered by the time
each answer was complete; RunpodPythonReplayTests replays that timeline against a test server.
"""

import http.client
import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
SDK = os.environ.get("RUNPOD_PYTHON", "/work/shared/vendor/runpod-python")
CLIENT_KEY = "record-client-key"
ENDPOINT = "rp-python"
STREAM_ENDPOINT = "rp-python-stream"

# Request headers worth keeping: the ones Hearth reads or that show what the SDK declares. Hop-by-hop and transport
# headers (Host, Content-Length, Connection, Accept) are left out; the replay's HTTP client sets its own.
REQUEST_HEADERS = ["authorization", "content-type", "charset", "x-request-id", "user-agent", "accept-encoding"]


# ----------------------------------------------------------------------------------------------- worker mode: proxy

class _Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    upstream = ("127.0.0.1", 0)
    log_path = ""
    # hearth dev's worker token (random per run) is kept out of the recording; the replay puts its own in its place.
    token = os.environ.get("RUNPOD_AI_API_KEY", "")
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def _forward(self):
        started = time.time()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        connection = http.client.HTTPConnection(*self.upstream, timeout=120)
        connection.request(self.command, self.path, body=body if body else None, headers=headers)
        response = connection.getresponse()
        answer = response.read()
        status = response.status
        content_type = response.getheader("Content-Type")
        connection.close()
        self.send_response(status)
        for name, value in response.getheaders():
            if name.lower() not in ("transfer-encoding", "content-length", "connection", "date", "server"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)
        self.wfile.flush()
        record = {
            "side": "worker",
            "started": started,
            "ended": time.time(),
            "method": self.command,
            "path": self.path,
            "headers": {k: self.headers[k].replace(self.token, "<worker-token>") if self.token else self.headers[k]
                        for k in REQUEST_HEADERS if self.headers.get(k) is not None},
            "body": body.decode("utf-8") if body else None,
            "status": status,
            "contentType": content_type,
            "response": answer.decode("utf-8"),
        }
        with self.lock, open(self.log_path, "a", encoding="utf-8") as log:
            log.write(json.dumps(record, ensure_ascii=False) + "\n")
            log.flush()

    do_GET = _forward
    do_POST = _forward


def worker(argv):
    """--worker handler.py [args]: proxy + the genuine SDK behind it. Started by hearth dev as an endpoint command."""
    upstream = re.match(r"^http://([^/:]+):(\d+)", os.environ["RUNPOD_WEBHOOK_GET_JOB"])
    _Proxy.upstream = (upstream.group(1), int(upstream.group(2)))
    _Proxy.log_path = os.environ["RECORD_LOG"]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Proxy)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    env = dict(os.environ)
    for name in ("RUNPOD_WEBHOOK_GET_JOB", "RUNPOD_WEBHOOK_POST_OUTPUT", "RUNPOD_WEBHOOK_POST_STREAM",
                 "RUNPOD_WEBHOOK_PING"):
        env[name] = origin + env[name][upstream.end():]
    child = subprocess.Popen([sys.executable, "-u", *argv], env=env)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda s, _f: child.send_signal(s))
    sys.exit(child.wait())


# ----------------------------------------------------------------------------------------------- driver mode: client

class Driver:
    def __init__(self, address, logs):
        self.address = address
        self.logs = logs
        self.events = []

    def call(self, method, path, body=None, record=True):
        started = time.time()
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.address + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {CLIENT_KEY}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, answer = response.status, response.read().decode()
                content_type = response.headers.get("Content-Type")
        except urllib.error.HTTPError as error:
            status, answer = error.code, error.read().decode()
            content_type = error.headers.get("Content-Type")
        if record:
            self.events.append({"side": "client", "started": started, "ended": time.time(), "method": method,
                                "path": path, "body": data.decode() if data else None, "status": status,
                                "contentType": content_type, "response": answer})
        return status, json.loads(answer) if answer else None

    def worker_saw(self, endpoint, predicate, what, seconds=40):
        """Waits until the worker's log holds a finished exchange matching predicate (so its answer is complete)."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            if os.path.exists(self.logs[endpoint]):
                with open(self.logs[endpoint], encoding="utf-8") as log:
                    if any(predicate(json.loads(line)) for line in log if line.strip()):
                        return
            time.sleep(0.05)
        raise TimeoutError(f"the {endpoint} worker never {what}")

    def status(self, endpoint, job_id, expected):
        """Records one /status read, made after the worker exchange that caused the expected state had finished."""
        _, status = self.call("GET", f"/v2/{endpoint}/status/{job_id}")
        if status.get("status") != expected:
            raise AssertionError(f"job {job_id} is {status}, expected {expected}")

    def run(self, endpoint, job_input, label):
        _, answer = self.call("POST", f"/v2/{endpoint}/run", {"input": job_input})
        self.events[-1]["label"] = label
        return answer["id"]

    def finished(self, endpoint, job_id):
        self.worker_saw(endpoint, lambda r: "/job-done/" in r["path"] and job_id in r["path"]
                        and '"IN_PROGRESS"' not in (r["body"] or ""), f"posted the result of {job_id}")


def drive(d):
    # First an idle period longer than Hearth's long-poll (20 s), so the recording holds the empty answers (204) to
    # job-take and job-stop as well.
    for endpoint in (ENDPOINT, STREAM_ENDPOINT):
        for route in ("/job-take/", "/job-stop/"):
            d.worker_saw(endpoint, lambda r: route in r["path"] and r["status"] == 204, f"got a 204 from {route}")

    for label, job_input, expected in (("plain", {"case": "plain", "text": "héllo wörld ✓"}, "COMPLETED"),
                                       ("error-dict", {"case": "error-dict"}, "FAILED"),
                                       ("raise", {"case": "raise"}, "FAILED")):
        job = d.run(ENDPOINT, job_input, label)
        d.finished(ENDPOINT, job)
        d.status(ENDPOINT, job, expected)

    job = d.run(ENDPOINT, {"case": "progress"}, "progress")
    d.worker_saw(ENDPOINT, lambda r: job in r["path"] and '"IN_PROGRESS"' in (r["body"] or ""), "posted progress")
    d.status(ENDPOINT, job, "IN_PROGRESS")
    d.finished(ENDPOINT, job)
    d.status(ENDPOINT, job, "COMPLETED")

    job = d.run(ENDPOINT, {"case": "cancel"}, "cancel")
    # Cancel once the handler runs (it posts progress first): runpod-python drops a stop signal for a job it has
    # taken but not yet started, and Hearth then kills the worker after a grace period; not the path recorded here.
    d.worker_saw(ENDPOINT, lambda r: job in r["path"] and '"IN_PROGRESS"' in (r["body"] or ""), "posted progress")
    d.status(ENDPOINT, job, "IN_PROGRESS")
    d.call("POST", f"/v2/{ENDPOINT}/cancel/{job}")
    d.worker_saw(ENDPOINT, lambda r: "/job-stop/" in r["path"] and job in r["response"], "got the stop signal")
    d.status(ENDPOINT, job, "CANCELLED")
    # Nothing is posted for a stopped job; the next job shows the worker is free and takes work again.
    job = d.run(ENDPOINT, {"case": "plain", "text": "after cancel"}, "after-cancel")
    d.finished(ENDPOINT, job)
    d.status(ENDPOINT, job, "COMPLETED")

    job = d.run(STREAM_ENDPOINT, {"count": 3}, "stream")
    d.finished(STREAM_ENDPOINT, job)
    d.status(STREAM_ENDPOINT, job, "COMPLETED")
    d.call("GET", f"/v2/{STREAM_ENDPOINT}/stream/{job}")
    return d.events


def main():
    dll = os.path.join(REPO, "src", "Hearth.Cli", "bin", "Release", "net10.0", "hearth.dll")
    if not os.path.exists(dll):
        sys.exit(f"{dll} is missing: run `dotnet build Hearth.sln -c Release` first.")
    work = tempfile.mkdtemp(prefix="hearth-record-")
    logs = {ENDPOINT: os.path.join(work, ENDPOINT + ".jsonl"), STREAM_ENDPOINT: os.path.join(work, "stream.jsonl")}
    sdk_path = f"{SDK}:{SDK}/shim"
    endpoints = ""
    for name, mode in ((ENDPOINT, ""), (STREAM_ENDPOINT, " stream")):
        endpoints += f"""
  - name: {name}
    cpu: cpu3c-1-2
    workers: [1, 1]
    execution_timeout_ms: 60000
    env:
      PYTHONPATH: "{sdk_path}"
      RUNPOD_SKIP_AUTO_SYSTEM_CHECKS: "true"
      RECORD_LOG: "{logs[name]}"
    command: /usr/bin/python3 -u {os.path.join(HERE, 'record.py')} --worker {os.path.join(HERE, 'handler.py')}{mode}
"""
    config = os.path.join(work, "hearth.yaml")
    with open(config, "w", encoding="utf-8") as f:
        f.write("endpoints:" + endpoints)
    app = subprocess.Popen(["dotnet", dll, "dev", "--config", config, "--port", "0", "--data",
                            os.path.join(work, "data"), "--api-key", CLIENT_KEY],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO)
    output = []
    address = None
    ready = threading.Event()

    def pump():
        nonlocal address
        for line in app.stdout:
            output.append(line)
            m = re.search(r"listening on (http://\S+)", line)
            if m:
                address = m.group(1)
            # `hearth dev` prints "Ready in" only for workers that announce themselves; a genuine SDK worker does
            # not, so wait for Hearth's own note that each worker took its first job-take ("ready, cold start").
            if line.startswith("Ready in") or sum("ready, cold start" in o for o in output) == 2:
                ready.set()

    threading.Thread(target=pump, daemon=True).start()
    try:
        if not ready.wait(60):
            raise TimeoutError("hearth dev's workers never became ready:\n" + "".join(output))
        events = drive(Driver(address, logs))
        time.sleep(1)  # let the last answers reach the logs
    finally:
        app.send_signal(signal.SIGINT)
        try:
            app.wait(60)
        except subprocess.TimeoutExpired:
            app.kill()
    worker_ids = {}
    for name, path in logs.items():
        with open(path, encoding="utf-8") as log:
            for line in log:
                record = json.loads(line)
                record["endpoint"] = name
                events.append(record)
                take = re.search(r"/(?:job-take|ping)/([^/?]+)", record["path"])
                if take:
                    worker_ids.setdefault(name, take.group(1))
    for e in events:
        if e["side"] == "client":
            e["endpoint"] = e["path"].split("/")[2]
    # Replay order: a client's POST (/run, /cancel) takes effect before its answer is complete, and a worker's
    # long-poll can answer with the new job before the client has its answer; so client POSTs are placed at the time
    # they were sent and everything else at the time its answer was complete. Client reads are made only after the
    # worker exchange that caused what they read had finished (Driver.worker_saw), so they sort after it.
    events.sort(key=lambda e: e["started"] if e["side"] == "client" and e["method"] == "POST" else e["ended"])
    t0 = min(e["started"] for e in events)
    for e in events:
        # Times are kept (in ms from the first event) only to read the recording; the replay ignores them.
        e["startedMs"] = round((e.pop("started") - t0) * 1000)
        e["endedMs"] = round((e.pop("ended") - t0) * 1000)
    version = subprocess.run(["/usr/bin/python3", "-c", "import runpod; print(runpod.__version__)"],
                             env={**os.environ, "PYTHONPATH": sdk_path}, capture_output=True, text=True).stdout.strip()
    recording = {
        "about": "Requests the genuine runpod-python SDK sent to `hearth dev` and Hearth's answers, with the client "
                 "calls around them, in the order each answer completed. Made by record.py; replayed by "
                 "RunpodPythonReplayTests. Do not edit by hand: re-record.",
        "runpodPython": version,
        "recordedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "clientKey": CLIENT_KEY,
        "workerIds": worker_ids,
        "events": events,
    }
    out = os.path.join(HERE, "recording.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(recording, f, ensure_ascii=False, indent=1)
        f.write("\n")
    with open(os.path.join(work, "dev.log"), "w", encoding="utf-8") as f:
        f.write("".join(output))
    shutil.rmtree(os.path.join(work, "data"), ignore_errors=True)
    print(f"{len(events)} events -> {out}; hearth dev's output and the raw logs are in {work}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        worker(sys.argv[2:])
    else:
        main()
