#!/usr/bin/env python3
"""Cold start of a C# Hearth worker, against the machine's floor, measured in one run.

Floor: `dotnet hello.dll` (a bare console app that prints one line), process start to exit, N times.
Hearth: the Echo sample in dev; its endpoint echo-cold is (0, 1) with a 1 s idle timeout, so every job sent after it
scaled to zero pays a cold start. Hearth measures each one itself (scale-up decision -> the worker's first job-take)
and the admin API reports p50/p90; this script also times submit -> result for the same jobs. Each worker also writes
where its start-up went (HEARTH_STARTUP_TRACE): launch -> the app code begins (process start, runtime init) ->
worker built (the app's start-up: command line, logging, HTTP client) ->
first take sent, -> first job in hand (first connection and the take).
Two builds of the same app, in the same run: `dotnet build` (JIT) and `dotnet publish -p:PublishReadyToRun=true`
(code compiled ahead of time; how a worker app should be shipped, see docs/workers.md).
Third: the worker-only app samples/EchoWorker published with Native AOT, run by `hearth dev --config` as the
endpoint's command (the same echo-cold settings). Native AOT needs a C toolchain (clang, or gcc with
-p:CppCompilerAndLinker=gcc, which this script picks when clang is missing); --no-aot skips it.

Usage: python3 bench/cold-start.py [--runs 10] [--json FILE] [--no-r2r] [--no-aot]   (needs only the .NET SDK)
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


def build(r2r):
    echo = os.path.join(REPO, "samples/Echo")
    if not r2r:
        subprocess.run(["dotnet", "build", echo, "-c", "Release", "-nologo", "-v", "q"], check=True, capture_output=True)
        return os.path.join(echo, "bin/Release/net10.0/Echo.dll")
    out = tempfile.mkdtemp(prefix="hearth-echo-r2r-")
    subprocess.run(["dotnet", "publish", echo, "-c", "Release", "-r", "linux-x64", "--self-contained", "false",
                    "-p:PublishReadyToRun=true", "-o", out, "-nologo", "-v", "q"], check=True, capture_output=True)
    return os.path.join(out, "Echo.dll")


def build_aot():
    """samples/EchoWorker published with Native AOT; returns hearth's CLI dll and a dev config running it."""
    out = tempfile.mkdtemp(prefix="hearth-echo-aot-")
    linker = [] if shutil.which("clang") else ["-p:CppCompilerAndLinker=gcc"]
    subprocess.run(["dotnet", "publish", os.path.join(REPO, "samples/EchoWorker"), "-c", "Release", "-r", "linux-x64",
                    *linker, "-o", out, "-nologo", "-v", "q"], check=True, capture_output=True)
    cli = os.path.join(REPO, "src/Hearth.Cli")
    subprocess.run(["dotnet", "build", cli, "-c", "Release", "-nologo", "-v", "q"], check=True, capture_output=True)
    config = os.path.join(out, "hearth.yaml")
    with open(config, "w") as f:
        f.write("endpoints:\n  - name: echo-cold\n    cpu: cpu3c-1-2\n    workers: [0, 1]\n    idle_timeout: 1\n"
                f"    command: {os.path.join(out, 'EchoWorker')}\n")
    return os.path.join(cli, "bin/Release/net10.0/hearth.dll"), config


def hearth(runs, dll, config=None):
    data = tempfile.mkdtemp(prefix="hearth-cold-")
    trace = os.path.join(data, "startup.jsonl")
    env = dict(os.environ, HEARTH_STARTUP_TRACE=trace)
    extra = ["--config", config] if config else []
    proc = subprocess.Popen(["dotnet", dll, "dev", *extra, "--port", "0", "--data", data, "--api-key", "k", "--admin-key", "a", "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
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
        with open(trace) as f:
            starts = [json.loads(line) for line in f if line.strip()]
    finally:
        proc.terminate()
        proc.wait(60)
        shutil.rmtree(data, ignore_errors=True)
    # Only the echo-cold workers started after a job was queued (the ones of the measured runs) took a job at once.
    starts = [s for s in starts if s["spawnedAtMs"] is not None][-runs:]
    parts = {
        "launchToAppCodeMs": [s["appStartedAtMs"] - s["spawnedAtMs"] for s in starts],
        "appCodeToBuiltMs": [s["builtAtMs"] - s["appStartedAtMs"] for s in starts],
        "builtToFirstTakeMs": [s["firstTakeAtMs"] - s["builtAtMs"] for s in starts],
        "firstTakeToJobMs": [s["firstJobAtMs"] - s["firstTakeAtMs"] for s in starts],
        "launchToJobMs": [s["firstJobAtMs"] - s["spawnedAtMs"] for s in starts],
    }
    return cold, round_trips, {k: statistics.median(v) for k, v in parts.items() if v}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--json", help="also write the figures to this file (bench/run.sh reads it)")
    ap.add_argument("--no-r2r", action="store_true", help="skip the ReadyToRun build")
    ap.add_argument("--no-aot", action="store_true", help="skip the Native AOT worker-only app")
    a = ap.parse_args()
    f = floor(a.runs)
    fp50, fp90 = statistics.median(f), pct(f, 0.9)
    print(f"| figure | p50 ms | p90 ms | ratio to floor p50 |")
    print(f"|---|---:|---:|---:|")
    print(f"| floor: `dotnet hello.dll`, start to exit ({a.runs} runs) | {fp50:.0f} | {fp90:.0f} | 1.0x |")
    figures = {"runs": a.runs, "floorP50Ms": fp50, "floorP90Ms": fp90}
    builds = [("JIT (dotnet build)", "", "jit"), ("ReadyToRun (dotnet publish)", "r2r", "r2r"),
              ("Native AOT worker-only app (samples/EchoWorker)", "aot", "aot")]
    for label, key, kind in builds:
        if (kind == "r2r" and a.no_r2r) or (kind == "aot" and a.no_aot):
            continue
        if kind == "aot":
            cold, rt, parts = hearth(a.runs, *build_aot())
        else:
            cold, rt, parts = hearth(a.runs, build(kind == "r2r"))
        print(f"| {label}: scale-up decision -> first job-take ({cold['count']} starts, incl. the warm start-up one) | {cold['p50Ms']:.0f} | {cold['p90Ms']:.0f} | {cold['p50Ms'] / fp50:.1f}x |")
        print(f"| {label}: /runsync on a scaled-to-zero endpoint ({a.runs} runs) | {statistics.median(rt):.0f} | {pct(rt, 0.9):.0f} | {statistics.median(rt) / fp50:.1f}x |")
        for name, ms in parts.items():
            print(f"| {label}: {name} (median) | {ms:.0f} | | {ms / fp50:.1f}x |")
        prefix = key + "_" if key else ""
        figures.update({prefix + "coldStartP50Ms": cold["p50Ms"], prefix + "coldStartP90Ms": cold["p90Ms"],
                        prefix + "coldStarts": cold["count"], prefix + "runsyncColdP50Ms": statistics.median(rt),
                        prefix + "runsyncColdP90Ms": pct(rt, 0.9), prefix + "breakdown": parts})
    if a.json:
        with open(a.json, "w") as out:
            json.dump(figures, out)


if __name__ == "__main__":
    sys.exit(main())
