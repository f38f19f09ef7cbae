#!/usr/bin/env python3
"""Where a C# worker's start-up goes, with nothing else competing for the CPU.

A fake control plane (this script: job-take answers one job at once, everything else {}) and N launches of
`dotnet APP.dll worker --endpoint echo`, each with HEARTH_SPAWNED_AT_MS and HEARTH_STARTUP_TRACE set, as Hearth's
process launcher sets them. Prints the medians: launch -> the app's code begins (process start, runtime init), ->
worker built (the app's start-up), -> first take sent, -> first job in hand (first connection and the take).
bench/cold-start.py measures the same inside `hearth dev`, where the control plane competes for the CPU.

Usage: python3 bench/worker-startup.py [APP.dll (default: samples/Echo, built in Release)] [--runs 6]
"""
import http.server, json, os, statistics, subprocess, sys, tempfile, threading, time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class FakeControlPlane(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _send(self, body):
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except BrokenPipeError:
            pass  # the worker was stopped

    def do_GET(self):
        self._send(json.dumps({"id": f"job-{time.time_ns()}", "input": {}}) if "job-take" in self.path else "{}")

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._send("{}")


def main():
    argv = sys.argv[1:]
    runs = 6
    if "--runs" in argv:
        at = argv.index("--runs")
        runs = int(argv[at + 1])
        del argv[at:at + 2]
    args = argv
    if args:
        dll = args[0]
    else:
        subprocess.run(["dotnet", "build", os.path.join(REPO, "samples/Echo"), "-c", "Release", "-nologo", "-v", "q"],
                       check=True, capture_output=True)
        dll = os.path.join(REPO, "samples/Echo/bin/Release/net10.0/Echo.dll")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeControlPlane)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/v2/echo"
    trace = tempfile.mktemp(prefix="hearth-startup-")
    for i in range(runs + 1):  # the first launch warms the disk cache and is not counted
        env = dict(os.environ, RUNPOD_WEBHOOK_GET_JOB=base + "/job-take/$ID",
                   RUNPOD_WEBHOOK_POST_OUTPUT=base + "/job-done/$RUNPOD_POD_ID/$ID",
                   RUNPOD_WEBHOOK_PING=base + "/ping/$RUNPOD_POD_ID", RUNPOD_POD_ID=f"w{i}", RUNPOD_AI_API_KEY="k",
                   HEARTH_STARTUP_TRACE=trace, HEARTH_SPAWNED_AT_MS="%.3f" % (time.time() * 1000))
        worker = subprocess.Popen(["dotnet", dll, "worker", "--endpoint", "echo"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started = time.time()
        while time.time() - started < 10 and not (os.path.exists(trace) and sum(1 for _ in open(trace)) > i):
            time.sleep(0.01)
        worker.terminate()
        worker.wait(10)
    rows = [json.loads(line) for line in open(trace)][1:]
    os.remove(trace)

    def median(a, b):
        return statistics.median(r[b] - r[a] for r in rows)

    print(f"{len(rows)} launches of {dll}, median ms: "
          f"launch -> app code {median('spawnedAtMs', 'appStartedAtMs'):.0f}, "
          f"-> worker built {median('appStartedAtMs', 'builtAtMs'):.0f}, "
          f"-> first take sent {median('builtAtMs', 'firstTakeAtMs'):.0f}, "
          f"-> first job {median('firstTakeAtMs', 'firstJobAtMs'):.0f}; "
          f"launch -> first job {median('spawnedAtMs', 'firstJobAtMs'):.0f}")


if __name__ == "__main__":
    sys.exit(main())
