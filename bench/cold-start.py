#!/usr/bin/env python3
"""Cold start of a C# Hearth worker, against the machine's floor, measured in one run.

Floor: `dotnet hello.dll` (a bare console app that prints one line), process start to exit, N times.
Hearth: the Echo sample in dev; its endpoint echo-cold is (0, 1) with a 1 s idle timeout, so every job sent after it
scaled to zero pays a cold start. Hearth measures each one itself (scale-up decision -> the worker's first job-take)
and the admin API reports p50/p90; this script also times submit -> result for the same jobs.

Usage: python3 bench/cold-start.py [--runs 10] [--json FILE]   (needs only the .NET SDK; builds what it needs in Release)
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile, time, urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def pct(values, p):
    s = sorted(values)
    return s[max(0, min(len(s) - 1, int(round(p * len(s) + 0.5)) - 1))]


def http(method, url, key, body=None):
    req = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read() or b"{}")


def floor(runs):
    work = tempfile.mkdtemp(prefix="hearth-hello-")
    subprocess.run(["dotnet", "new", "console", "-o", work, "-n", "hello", "--force"], check=True, capture_output=True)
    subprocess.run(["dotnet", "build", work, "-c", "Release", "-o", os.path.join(work, "out")], check=True, capture_output=True)
    dll = os.path.join(work, "out", "hello.dll")
    times = []
    for _ in range(runs + 1):
        t = time.perf_counter()
        subprocess.run(["dotnet", dll], check=True, capture_output=True)
        times.append((time.perf_counter() - t) * 1000)
    shutil.rmtree(work, ignore_errors=True)
    return times[1:]  # the first run warms the disk cache


def hearth(runs):
    subprocess.run(["dotnet", "build", os.path.join(REPO, "samples/Echo"), "-c", "Release", "-nologo", "-v", "q"], check=True, capture_output=True)
    dll = os.path.join(REPO, "samples/Echo/bin/Release/net10.0/Echo.dll")
    data = tempfile.mkdtemp(prefix="hearth-cold-")
    proc = subprocess.Popen(["dotnet", dll, "dev", "--port", "0", "--data", data, "--api-key", "k", "--admin-key", "a", "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = None
    for line in proc.stdout:
        if "listening on" in line:
            base = line.split("listening on ")[1].strip()
        if line.startswith("Ready in"):
            break
    round_trips = []
    try:
        for _ in range(runs):
            while http("GET", f"{base}/api/endpoints/echo-cold", "a")["workers"]:
                time.sleep(0.1)  # wait until it scaled to zero
            t = time.perf_counter()
            r = http("POST", f"{base}/v2/echo-cold/runsync", "k", {"input": {"n": 1}})
            round_trips.append((time.perf_counter() - t) * 1000)
            assert r["status"] == "COMPLETED", r
        cold = http("GET", f"{base}/api/endpoints/echo-cold", "a")["coldStart"]
    finally:
        proc.terminate()
        proc.wait(60)
        shutil.rmtree(data, ignore_errors=True)
    return cold, round_trips


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--json", help="also write the figures to this file (bench/run.sh reads it)")
    a = ap.parse_args()
    f = floor(a.runs)
    cold, rt = hearth(a.runs)
    fp50, fp90 = statistics.median(f), pct(f, 0.9)
    print(f"| figure | p50 ms | p90 ms | ratio to floor p50 |")
    print(f"|---|---:|---:|---:|")
    print(f"| floor: `dotnet hello.dll`, start to exit ({a.runs} runs) | {fp50:.0f} | {fp90:.0f} | 1.0x |")
    print(f"| Hearth cold start: scale-up decision -> first job-take ({cold['count']} starts, incl. the warm start-up one) | {cold['p50Ms']:.0f} | {cold['p90Ms']:.0f} | {cold['p50Ms'] / fp50:.1f}x |")
    print(f"| Hearth /runsync on a scaled-to-zero endpoint ({a.runs} runs) | {statistics.median(rt):.0f} | {pct(rt, 0.9):.0f} | {statistics.median(rt) / fp50:.1f}x |")
    if a.json:
        with open(a.json, "w") as out:
            json.dump({"runs": a.runs, "floorP50Ms": fp50, "floorP90Ms": fp90, "coldStartP50Ms": cold["p50Ms"], "coldStartP90Ms": cold["p90Ms"],
                       "coldStarts": cold["count"], "runsyncColdP50Ms": statistics.median(rt), "runsyncColdP90Ms": pct(rt, 0.9)}, out)


if __name__ == "__main__":
    sys.exit(main())
