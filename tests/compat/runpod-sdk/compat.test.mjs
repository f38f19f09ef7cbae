// Drives a locally started Hearth server with the real `runpod-sdk` npm package
// (pinned 1.1.2) and the stdlib echo worker (samples/python-worker/worker.py).
//
// Server command: $HEARTH_CLI (a built `hearth` executable, or a .dll run with
// `dotnet`) if set, else `dotnet run --project <repo>/src/Hearth.Cli -c Release --`.
// Child logs go to <repo>/artifacts/compat-logs/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import runpodSdk from "runpod-sdk";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, "../../..");
const WORKER = path.join(REPO, "samples/python-worker/worker.py");
const LOG_DIR = path.join(REPO, "artifacts/compat-logs");
const API_KEY = "compat-api-key";
const ADMIN_KEY = "compat-admin-key";
const WORKER_TOKEN = "compat-worker-token";
const SERVER_START_MS = 300_000; // `dotnet run` may have to build first
const TEST_MS = 30_000;

const children = [];
let base; // http://127.0.0.1:PORT/v2
let sdk;
let dataDir;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Starts a child in its own process group; resolves once a stdout line matches `readyRe`.
function startChild(name, cmd, args, env, readyRe, timeoutMs) {
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const log = fs.createWriteStream(path.join(LOG_DIR, `${name}.log`));
  const child = spawn(cmd, args, {
    cwd: REPO,
    env: { ...process.env, ...env },
    detached: true, // own process group, so `dotnet run` and its server die together
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  child.stderr.pipe(log, { end: false });
  return new Promise((resolve, reject) => {
    let buffered = "";
    let ready = false;
    const timer = setTimeout(() => {
      reject(new Error(`${name} not ready after ${timeoutMs} ms; see ${LOG_DIR}/${name}.log`));
    }, timeoutMs);
    child.stdout.on("data", (data) => {
      log.write(data);
      if (ready) return;
      buffered += data.toString();
      if (readyRe.test(buffered)) {
        ready = true;
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("exit", (code, signal) => {
      log.write(`\n[compat] ${name} exited code=${code} signal=${signal}\n`);
      if (!ready) {
        clearTimeout(timer);
        reject(new Error(`${name} exited early (code=${code}, signal=${signal}); see ${LOG_DIR}/${name}.log`));
      }
    });
  });
}

function serverCommand(args) {
  const cli = process.env.HEARTH_CLI;
  if (cli) return cli.endsWith(".dll") ? ["dotnet", [cli, ...args]] : [cli, args];
  return ["dotnet", ["run", "--project", path.join(REPO, "src/Hearth.Cli"), "-c", "Release", "--", ...args]];
}

function startWorker(endpoint, workerId, port) {
  const root = `http://127.0.0.1:${port}/v2/${endpoint}`;
  const env = {
    RUNPOD_WEBHOOK_GET_JOB: `${root}/job-take/$ID?`,
    RUNPOD_WEBHOOK_POST_OUTPUT: `${root}/job-done/$RUNPOD_POD_ID/$ID?`,
    RUNPOD_WEBHOOK_POST_STREAM: `${root}/job-stream/$RUNPOD_POD_ID/$ID?`,
    RUNPOD_WEBHOOK_PING: `${root}/ping/$RUNPOD_POD_ID`,
    RUNPOD_POD_ID: workerId,
    RUNPOD_AI_API_KEY: WORKER_TOKEN,
    RUNPOD_PING_INTERVAL: "2000",
    PYTHONUNBUFFERED: "1",
  };
  return startChild(workerId, "python3", [WORKER], env, /worker \S+ ready/, 30_000);
}

function killGroup(child, signal) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // group already gone
  }
}

// Last-resort cleanup if the runner dies without reaching `after`.
process.on("exit", () => children.forEach((c) => killGroup(c, "SIGKILL")));

// Polls `fn` until `done(result)` is true; returns that result.
async function until(fn, done, timeoutMs = 20_000, intervalMs = 200) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await fn();
    if (done(last)) return last;
    await sleep(intervalMs);
  }
  throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
}

const terminal = (s) => ["COMPLETED", "FAILED", "CANCELLED", "TIMED_OUT"].includes(s?.status);

// POST with the client key, for routes runpod-sdk 1.1.2 has no method for (/retry).
async function rawPost(route) {
  const resp = await fetch(`${base}${route}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
    body: "{}",
  });
  const text = await resp.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: resp.status, body };
}

before(async () => {
  const port = await freePort();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-compat-"));
  const [cmd, args] = serverCommand([
    "serve", "--port", String(port), "--data", dataDir,
    "--api-key", API_KEY, "--admin-key", ADMIN_KEY, "--worker-token", WORKER_TOKEN,
    "--endpoint", "echo", "--endpoint", "echo-stream", "--endpoint", "idle",
  ]);
  await startChild("server", cmd, args, {}, new RegExp(`listening on http://127\\.0\\.0\\.1:${port}`), SERVER_START_MS);
  await Promise.all([
    startWorker("echo", "echo-w1", port),
    startWorker("echo", "echo-w2", port),
    startWorker("echo-stream", "stream-w1", port),
  ]);
  base = `http://127.0.0.1:${port}/v2`;
  sdk = runpodSdk(API_KEY, { baseUrl: base });
}, { timeout: SERVER_START_MS + 60_000 });

after(async () => {
  children.forEach((c) => killGroup(c, "SIGTERM"));
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline && children.some((c) => c.exitCode === null && c.signalCode === null)) {
    await sleep(100);
  }
  children.forEach((c) => killGroup(c, "SIGKILL"));
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

test("run + status: COMPLETED with echoed output, delayTime/executionTime/workerId", { timeout: TEST_MS }, async (t) => {
  const ep = sdk.endpoint("echo");
  const input = { hello: "world", n: 1, nested: { list: [1, 2, 3] } };
  const submitted = await ep.run({ input });
  assert.equal(typeof submitted.id, "string");
  assert.ok(submitted.id.length > 0);
  assert.equal(submitted.status, "IN_QUEUE");

  const done = await until(() => ep.status(submitted.id), terminal);
  assert.equal(done.status, "COMPLETED", JSON.stringify(done));
  assert.equal(done.id, submitted.id);
  assert.deepEqual(done.output, input);
  assert.equal(typeof done.delayTime, "number");
  assert.equal(typeof done.executionTime, "number");
  assert.equal(typeof done.workerId, "string");
  assert.ok(["echo-w1", "echo-w2"].includes(done.workerId), `workerId ${done.workerId}`);
  assert.equal(done.succeeded, true);
  t.diagnostic(`delayTime=${done.delayTime} executionTime=${done.executionTime} workerId=${done.workerId}`);
});

test("runSync returns COMPLETED with output", { timeout: TEST_MS }, async () => {
  const ep = sdk.endpoint("echo");
  const input = { sync: true, text: "héllo ✓" };
  const result = await ep.runSync({ input }, 20_000);
  assert.equal(result.status, "COMPLETED", JSON.stringify(result));
  assert.deepEqual(result.output, input);
  assert.equal(typeof result.id, "string");
  assert.equal(typeof result.delayTime, "number");
  assert.equal(typeof result.executionTime, "number");
  assert.equal(typeof result.workerId, "string");
  assert.equal(result.succeeded, true);
});

test("runSync longer than the client wait returns non-terminal, then completes", { timeout: TEST_MS }, async () => {
  const ep = sdk.endpoint("echo");
  const input = { sleep_ms: 5000, tag: "slow" };
  const first = await ep.runSync({ input }, 1000);
  assert.ok(["IN_QUEUE", "IN_PROGRESS"].includes(first.status), JSON.stringify(first));
  assert.equal(first.completed, false);
  assert.equal(typeof first.id, "string");

  const done = await until(() => ep.status(first.id), terminal, 20_000, 250);
  assert.equal(done.status, "COMPLETED", JSON.stringify(done));
  assert.deepEqual(done.output, input);
});

test("stream yields the three chunks in order, no duplicates", { timeout: TEST_MS }, async () => {
  const ep = sdk.endpoint("echo-stream");
  const submitted = await ep.run({ input: { stream: true, count: 3, sleep_ms: 300 } });
  assert.equal(submitted.status, "IN_QUEUE");
  const chunks = [];
  for await (const chunk of ep.stream(submitted.id, 20_000)) chunks.push(chunk);
  assert.deepEqual(chunks, [{ output: { i: 0 } }, { output: { i: 1 } }, { output: { i: 2 } }]);

  const done = await until(() => ep.status(submitted.id), terminal);
  assert.equal(done.status, "COMPLETED", JSON.stringify(done));
});

test("cancel of a hanging job: CANCELLED, and the worker frees up", { timeout: TEST_MS }, async () => {
  const ep = sdk.endpoint("echo");
  const submitted = await ep.run({ input: { hang: true } });
  await until(() => ep.status(submitted.id), (s) => s.status === "IN_PROGRESS");

  const cancelled = await ep.cancel(submitted.id);
  assert.equal(cancelled.id, submitted.id);
  assert.equal(cancelled.status, "CANCELLED");
  const final = await until(() => ep.status(submitted.id), terminal);
  assert.equal(final.status, "CANCELLED", JSON.stringify(final));

  // Both echo workers must be able to take a job again: two concurrent slow jobs
  // can only both complete on distinct workers if the hung one was released.
  const a = await ep.run({ input: { sleep_ms: 1500, k: "a" } });
  const b = await ep.run({ input: { sleep_ms: 1500, k: "b" } });
  const [da, db] = await Promise.all([a, b].map((j) => until(() => ep.status(j.id), terminal)));
  assert.equal(da.status, "COMPLETED", JSON.stringify(da));
  assert.equal(db.status, "COMPLETED", JSON.stringify(db));
  assert.notEqual(da.workerId, db.workerId, "both echo workers should have run one job each");
});

test("retry of a failed job: FAILED first, then retry -> IN_QUEUE with the same id", { timeout: TEST_MS }, async () => {
  const ep = sdk.endpoint("echo");
  const submitted = await ep.run({ input: { fail: "boom" } });
  const failed = await until(() => ep.status(submitted.id), terminal);
  assert.equal(failed.status, "FAILED", JSON.stringify(failed));
  assert.equal(typeof failed.error, "string");
  assert.match(failed.error, /boom/);

  const retried = await rawPost(`/echo/retry/${submitted.id}`);
  assert.equal(retried.status, 200, JSON.stringify(retried.body));
  assert.deepEqual(retried.body, { id: submitted.id, status: "IN_QUEUE" });

  // Same input, so it fails again.
  const again = await until(() => ep.status(submitted.id), terminal);
  assert.equal(again.id, submitted.id);
  assert.equal(again.status, "FAILED", JSON.stringify(again));
});

test("health has all five job keys and six worker keys", { timeout: TEST_MS }, async () => {
  const ep = sdk.endpoint("echo");
  const health = await ep.health();
  const jobKeys = ["completed", "failed", "inProgress", "inQueue", "retried"];
  const workerKeys = ["idle", "initializing", "ready", "running", "throttled", "unhealthy"];
  assert.deepEqual(Object.keys(health.jobs ?? {}).sort(), jobKeys.sort(), JSON.stringify(health));
  assert.deepEqual(Object.keys(health.workers ?? {}).sort(), workerKeys.sort(), JSON.stringify(health));
  for (const k of jobKeys) assert.ok(Number.isInteger(health.jobs[k]) && health.jobs[k] >= 0, `jobs.${k}`);
  for (const k of workerKeys) assert.ok(Number.isInteger(health.workers[k]) && health.workers[k] >= 0, `workers.${k}`);
  assert.ok(health.jobs.completed >= 1, JSON.stringify(health));
  const { idle, ready, running } = health.workers;
  assert.ok(idle + ready + running >= 1, `no ready/idle/running worker: ${JSON.stringify(health)}`);
});

test("purgeQueue on an endpoint without workers removes the queued jobs", { timeout: TEST_MS }, async () => {
  const ep = sdk.endpoint("idle");
  for (let i = 0; i < 3; i++) {
    const r = await ep.run({ input: { i } });
    assert.equal(r.status, "IN_QUEUE");
  }
  const purged = await ep.purgeQueue();
  assert.deepEqual(purged, { removed: 3, status: "completed" });
  const health = await ep.health();
  assert.equal(health.jobs.inQueue, 0, JSON.stringify(health));
});
