#!/usr/bin/env python3
"""A Runpod-protocol worker written with the Python 3.11 standard library only: the sample of
Hearth's command: path (see hearth.yaml beside it), also used by the tests and the runpod-sdk suite.

Speaks the worker side of the protocol the way runpod-python does (see
shared/spec/runpod-compat.md section 2): same env vars, same URL substitution
rules, same query suffixes and result bodies. Behaviour per job input object:
  sleep_ms: N     wait N ms (interruptible by a stop signal)
  sleep_ms_on: {worker id: N}  overrides sleep_ms on that worker (tests make one worker slow)
  fail: msg       post {"error": "<JSON string>"} like a raising handler
  hang: true      never finish until stopped
  ignore_stop: true  with hang: ignore the stop signal too (a runaway; only killing the worker ends it)
  stream: true    post `count` (default 3) chunks {"output": {"i": n}} to job-stream,
                  `sleep_ms` apart, then job-done {"output": [chunks]} with isStream=true
  progress: true  post one {"status": "IN_PROGRESS", "output": {"progress": 50}} first
  exit_code: N    exit the process at once with code N (simulated crash)
  echo_env: NAME  return {"env": <value of that environment variable>}
  call_api: {"method": M, "path": P, "body": B}  send M HEARTH_API_URL+P with the worker's call key (HEARTH_CALL_KEY) and
                  return {"status": <HTTP status>} (null when the worker has no call key): what a handler's
                  own code may reach
  otherwise       {"output": input}
"""
import http.client
import json
import os
import signal
import socket
import sys
import threading
import time
import traceback
import urllib.parse
import uuid

VERSION = "hearth-echo-worker/1"
WORKER_ID = os.environ.get("RUNPOD_POD_ID") or str(uuid.uuid4())
API_KEY = os.environ.get("RUNPOD_AI_API_KEY", "")
TAKE_URL = os.environ["RUNPOD_WEBHOOK_GET_JOB"].replace("$ID", WORKER_ID)
DONE_TPL = os.environ.get("RUNPOD_WEBHOOK_POST_OUTPUT", "JOB_DONE_URL").replace("$RUNPOD_POD_ID", WORKER_ID)
STREAM_TPL = os.environ.get("RUNPOD_WEBHOOK_POST_STREAM", "JOB_STREAM_URL").replace("$RUNPOD_POD_ID", WORKER_ID)
PING_URL = os.environ.get("RUNPOD_WEBHOOK_PING", "PING_NOT_SET").replace("$RUNPOD_POD_ID", WORKER_ID)
STOP_URL = TAKE_URL.replace("/job-take/", "/job-stop/") if "/job-take/" in TAKE_URL else None
PING_SECONDS = max(0.1, int(os.environ.get("RUNPOD_PING_INTERVAL", "10000")) / 1000.0)
CONCURRENCY = max(1, int(os.environ.get("HEARTH_WORKER_CONCURRENCY", "1")))
TAKE_TIMEOUT = 90.0

shutdown = threading.Event()
lock = threading.Lock()
jobs = {}  # job id -> (cancel Event, thread)
take_conn = None  # connection of the job-take long-poll in flight, closed on SIGTERM


def log(msg):
    print(f"[echo-worker {WORKER_ID}] {msg}", file=sys.stderr, flush=True)


def request(method, url, body=None, timeout=30.0, form=False, job_id=None, is_take=False):
    """One HTTP call; returns (status, content_type, body bytes). Raises OSError on connection trouble."""
    global take_conn
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
    headers = {"Authorization": API_KEY, "User-Agent": VERSION, "Accept-Encoding": "identity"}
    if body is not None:
        # runpod-python posts JSON text declared as a form body, plus a bare `charset` header.
        headers["Content-Type"] = "application/x-www-form-urlencoded" if form else "application/json"
        headers["charset"] = "utf-8"
    else:
        headers["Content-Type"] = "application/json"
    if job_id:
        headers["X-Request-ID"] = job_id
    path = parts.path + ("?" + parts.query if parts.query or url.endswith("?") else "")
    try:
        if is_take:
            take_conn = conn
            if shutdown.is_set():
                raise ConnectionAbortedError("shutting down")
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.getheader("Content-Type", ""), resp.read()
    except http.client.HTTPException as e:
        raise ConnectionError(str(e)) from e
    finally:
        if is_take:
            take_conn = None
        conn.close()


def post_result(tpl, job_id, payload, is_stream):
    url = tpl.replace("$ID", job_id) + "&isStream=" + ("true" if is_stream else "false")
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    for attempt, pause in enumerate((0.2, 0.5, 0)):
        try:
            status, _, body = request("POST", url, data, form=True, job_id=job_id)
            if 200 <= status < 300:
                return True
            log(f"POST {url} -> {status} {body[:200]!r}")
            if status < 500:
                return False
        except OSError as e:
            log(f"POST {url} failed (attempt {attempt + 1}): {e}")
        time.sleep(pause)
    return False


def run_job(job, cancel):
    job_id, inp = job["id"], job.get("input")
    args = inp if isinstance(inp, dict) else {}
    try:
        if "exit_code" in args:
            log(f"job {job_id}: exiting with code {args['exit_code']}")
            os._exit(int(args["exit_code"]))
        if args.get("progress"):
            post_result(DONE_TPL, job_id, {"status": "IN_PROGRESS", "output": {"progress": 50}}, False)
        sleep_s = float(args.get("sleep_ms_on", {}).get(WORKER_ID, args.get("sleep_ms", 0))) / 1000.0
        if args.get("stream"):
            chunks = []
            for n in range(int(args.get("count", 3))):
                if n and cancel.wait(sleep_s):
                    return
                if cancel.is_set():
                    return
                chunks.append({"i": n})
                post_result(STREAM_TPL, job_id, {"output": {"i": n}}, False)
            if not cancel.is_set():
                post_result(DONE_TPL, job_id, {"output": chunks}, True)
            return
        if args.get("hang") and args.get("ignore_stop"):
            while True:  # a runaway: deaf to its stop signal, like a handler stuck in native code
                time.sleep(1)
        if args.get("hang"):
            cancel.wait()
            return
        if sleep_s > 0 and cancel.wait(sleep_s):
            return
        if "fail" in args:
            message = args["fail"] if isinstance(args["fail"], str) else "requested failure"
            raise RuntimeError(message)
        result = {"output": inp}
        if "echo_env" in args:  # lets tests see the environment a worker was started with
            result = {"output": {"env": os.environ.get(str(args["echo_env"]))}}
        if "call_api" in args:
            result = {"output": {"status": call_api(args["call_api"])}}
    except Exception as e:  # the handler "raised": report it the way runpod-python does
        result = {"error": json.dumps({
            "error_type": str(type(e)), "error_message": str(e),
            "error_traceback": traceback.format_exc(), "hostname": socket.gethostname(),
            "worker_id": WORKER_ID, "runpod_version": VERSION})}
    if not cancel.is_set():
        post_result(DONE_TPL, job_id, result, False)


def call_api(call):
    """One request to the control plane's client API with this worker's call key; its HTTP status."""
    key, base = os.environ.get("HEARTH_CALL_KEY"), os.environ.get("HEARTH_API_URL")
    if not key or not base:
        return None
    url = urllib.parse.urlsplit(base.rstrip("/") + call["path"])
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        body = json.dumps(call.get("body", {})).encode() if call.get("method", "GET") == "POST" else None
        conn.request(call.get("method", "GET"), url.path, body=body,
                     headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
        return conn.getresponse().status
    finally:
        conn.close()


def start_job(job):
    cancel = threading.Event()

    def body():
        try:
            run_job(job, cancel)
        finally:
            with lock:
                jobs.pop(job["id"], None)

    t = threading.Thread(target=body, name=f"job-{job['id']}", daemon=True)
    with lock:
        jobs[job["id"]] = (cancel, t)
    t.start()


def stop_jobs(reply_body):
    try:
        ids = json.loads(reply_body or b"{}").get("jobsToStop") or []
    except (ValueError, AttributeError):
        return
    for job_id in ids:
        with lock:
            entry = jobs.get(job_id)
        if entry:
            log(f"stopping job {job_id}")
            entry[0].set()


def take_loop():
    announced = False
    while not shutdown.is_set():
        with lock:
            needed = CONCURRENCY - len(jobs)
            busy = 1 if jobs else 0
        if needed <= 0:
            time.sleep(0.05)
            continue
        if needed == 1:
            url = f"{TAKE_URL}&job_in_progress={busy}"
        else:
            url = TAKE_URL.replace("/job-take/", "/job-take-batch/") + f"&batch_size={needed}&job_in_progress={busy}"
        if not announced:
            print(f"worker {WORKER_ID} ready", flush=True)
            announced = True
        try:
            status, ctype, body = request("GET", url, timeout=TAKE_TIMEOUT, is_take=True)
        except OSError as e:
            if not shutdown.is_set():
                log(f"job-take failed: {e}")
                time.sleep(0.5)
            continue
        if status in (204, 400) or (200 <= status < 300 and (not body or "application/json" not in ctype)):
            continue
        if status == 429:
            time.sleep(5)
            continue
        if not 200 <= status < 300:
            log(f"job-take -> {status} {body[:200]!r}")
            time.sleep(0.5)
            continue
        taken = json.loads(body)
        for job in taken if isinstance(taken, list) else [taken]:
            if isinstance(job, dict) and "id" in job and "input" in job:
                start_job(job)
            else:
                log(f"ignoring malformed job {job!r}")


def ping_loop():
    sep = "&" if "?" in PING_URL else "?"
    while True:
        with lock:
            ids = list(jobs)
        params = {"job_id": ",".join(ids)} if ids else {}
        params["runpod_version"] = VERSION
        try:
            status, _, body = request("GET", PING_URL + sep + urllib.parse.urlencode(params), timeout=2 * PING_SECONDS)
            if status == 200:
                stop_jobs(body)
        except OSError as e:
            log(f"ping failed: {e}")
        time.sleep(PING_SECONDS)


def stop_loop():
    while True:
        try:
            status, _, body = request("GET", STOP_URL, timeout=TAKE_TIMEOUT)
        except OSError as e:
            log(f"job-stop failed: {e}")
            time.sleep(0.5)
            continue
        if status == 429:
            time.sleep(5)
        elif status == 200 and body:
            stop_jobs(body)
        else:
            time.sleep(1)


def parent_alive(pid):
    """hearth dev sets HEARTH_PARENT_PID; a worker whose supervisor died must not live on as an orphan."""
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def main():
    signal.signal(signal.SIGTERM, lambda *_: shutdown.set())
    taker = threading.Thread(target=take_loop, name="take", daemon=True)
    taker.start()
    if PING_URL != "PING_NOT_SET":
        threading.Thread(target=ping_loop, name="ping", daemon=True).start()
    if STOP_URL:
        threading.Thread(target=stop_loop, name="stop", daemon=True).start()
    parent = int(os.environ.get("HEARTH_PARENT_PID", "0") or 0)
    while not shutdown.wait(0.5):
        if parent and not parent_alive(parent):
            log(f"parent {parent} is gone; stopping so no orphan worker is left")
            shutdown.set()
    log("stopping: no new jobs, draining in-flight jobs")
    while taker.is_alive():  # abort the job-take long-poll so no new job is leased to us
        conn = take_conn
        if conn is not None and conn.sock is not None:
            try:
                conn.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        taker.join(0.2)
    while True:
        with lock:
            running = [t for _, t in jobs.values()]
        if not running:
            break
        running[0].join(0.5)
    log("drained, exiting")
    sys.exit(0)


if __name__ == "__main__":
    main()
