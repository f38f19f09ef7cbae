"""push vs pull for a genuine runpod-python worker under `hearth dev` (issue 18): no-op handler, 2 workers each.

    dotnet build Hearth.sln -c Release && /usr/bin/python3 bench/push-vs-pull.py [SDK folder]

The SDK folder defaults to ../shared/vendor/runpod-python (with its shim/). Prints, per protocol, sequential /runsync
(one client) and /runsync with 8 clients of no-op jobs, then 8 clients of 100 ms jobs (ideal: 20 jobs/s for 2
workers): jobs, jobs/s, p50/p99 in ms. Not a test: figures depend on the machine.
"""
import http.client, json, os, re, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENDOR = os.path.join(ROOT, "..", "shared", "vendor", "runpod-python")
SDK = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else VENDOR)
HEARTH = os.path.join(ROOT, "src", "Hearth.Cli", "bin", "Release", "net10.0", "hearth.dll")

HANDLER = """import time

import runpod

def handler(job):
    sleep_ms = job["input"].get("sleep_ms", 0)
    if sleep_ms:
        time.sleep(sleep_ms / 1000)
    return {"ok": True}

runpod.serverless.start({"handler": handler})
"""


def yaml(handler):
    endpoints = []
    for name, protocol in (("rp-push", "push"), ("rp-pull", "pull")):
        endpoints.append(f"""  - name: {name}
    cpu: cpu3c-1-2
    workers: [2, 2]
    protocol: {protocol}
    env:
      PYTHONPATH: "{SDK}:{SDK}/shim"
      RUNPOD_LOG_LEVEL: WARN
      UVICORN_LOG_LEVEL: warning
    command: /usr/bin/python3 -u {handler}
""")
    return "endpoints:\n" + "".join(endpoints)


def bench(host, port, endpoint, n, clients, sleep_ms=0):
    lat, lock, count = [], threading.Lock(), [0]

    def client():
        c = http.client.HTTPConnection(host, port, timeout=120)
        while True:
            with lock:
                if count[0] >= n:
                    return
                count[0] += 1
            t = time.perf_counter()
            c.request("POST", f"/v2/{endpoint}/runsync", body=json.dumps({"input": {"sleep_ms": sleep_ms}}).encode(),
                      headers={"Content-Type": "application/json", "Authorization": "Bearer k"})
            r = c.getresponse()
            body = json.loads(r.read())
            assert r.status == 200 and body.get("status") == "COMPLETED", (r.status, body)
            with lock:
                lat.append(time.perf_counter() - t)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    lat.sort()
    p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000
    job = f"{sleep_ms} ms jobs" if sleep_ms else "no-op"
    return f"{endpoint:8} {job:11} clients={clients} jobs={len(lat):4} {len(lat) / elapsed:7.1f} jobs/s  " \
           f"p50 {p(.5):7.1f} ms  p99 {p(.99):7.1f} ms"


def main():
    work = tempfile.mkdtemp(prefix="hearth-push-bench-")
    handler = os.path.join(work, "noop.py")
    open(handler, "w").write(HANDLER)
    config = os.path.join(work, "hearth.yaml")
    open(config, "w").write(yaml(handler))
    dev = subprocess.Popen(["dotnet", HEARTH, "dev", "--config", config, "--port", "0", "--data",
                            os.path.join(work, "data"), "--api-key", "k"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    address, deadline = None, time.time() + 180
    try:
        for line in dev.stdout:
            m = re.search(r"listening on http://([\d.]+):(\d+)", line)
            if m:
                address = (m.group(1), int(m.group(2)))
            if line.startswith("Ready in"):
                break
            if time.time() > deadline:
                raise SystemExit("hearth dev was not ready in 180 s")
        threading.Thread(target=lambda: [None for _ in dev.stdout], daemon=True).start()
        host, port = address
        bench(host, port, "rp-push", 20, 1)  # warm-up
        bench(host, port, "rp-pull", 4, 1)
        print(bench(host, port, "rp-push", 300, 1))
        print(bench(host, port, "rp-pull", 20, 1))
        print(bench(host, port, "rp-push", 300, 8))
        print(bench(host, port, "rp-pull", 30, 8))
        # 100 ms jobs, 8 clients, 2 workers: the ideal is 20 jobs/s.
        print(bench(host, port, "rp-push", 120, 8, sleep_ms=100))
        print(bench(host, port, "rp-pull", 24, 8, sleep_ms=100))
    finally:
        dev.terminate()
        dev.wait(60)


if __name__ == "__main__":
    main()
