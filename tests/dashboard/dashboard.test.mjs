// Drives the dashboard in headless Chromium (Debian's /usr/bin/chromium through playwright-core, pinned) against a real
// `hearth dev` of samples/Echo: sign in with the one-time link dev prints, see the endpoints, watch a job complete,
// open its detail and trace, and find a timed-out job with its error. Screenshots go to <repo>/artifacts/dashboard/.
//
// Env: HEARTH_ECHO (a built Echo.dll; default samples/Echo/bin/Release/net10.0/Echo.dll, else `dotnet run`),
// CHROMIUM (default /usr/bin/chromium), DASHBOARD_DOCS=1 also writes docs/dashboard.png and docs/trace.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, "../..");
const SHOTS = path.join(REPO, "artifacts/dashboard");
const DOCS = process.env.DASHBOARD_DOCS === "1" ? path.join(REPO, "docs") : null;
const API_KEY = "dash-api-key";
const ADMIN_KEY = "dash-admin-key";
const START_MS = 300_000; // `dotnet run` may have to build first
const UI_MS = 30_000; // the page polls every 2 s; a job or a timeout shows within this

let dev; // the `hearth dev` child
let base; // http://127.0.0.1:PORT
let link; // the one-time dashboard link dev printed
let browser;
let page; // signed in once, shared by the scenarios in order
let timedOutId;

function startDev() {
  const dll = process.env.HEARTH_ECHO ?? path.join(REPO, "samples/Echo/bin/Release/net10.0/Echo.dll");
  const [cmd, args] = fs.existsSync(dll)
    ? ["dotnet", [dll]]
    : ["dotnet", ["run", "--project", path.join(REPO, "samples/Echo"), "-c", "Release", "--"]];
  const data = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-dash-"));
  fs.mkdirSync(SHOTS, { recursive: true });
  const log = fs.createWriteStream(path.join(SHOTS, "dev.log"));
  dev = spawn(cmd, [...args, "dev", "--port", "0", "--data", data, "--api-key", API_KEY, "--admin-key", ADMIN_KEY, "--quiet"],
    { cwd: REPO, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  dev.stderr.pipe(log, { end: false });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`hearth dev not ready after ${START_MS} ms; see ${SHOTS}/dev.log`)), START_MS);
    dev.stdout.on("data", (d) => {
      log.write(d);
      out += d.toString();
      const listening = out.match(/listening on (http:\/\/\S+)/);
      const dashboard = out.match(/dashboard: (http:\/\/\S+\?token=\S+)/);
      if (listening && dashboard && /^Ready in/m.test(out)) {
        clearTimeout(timer);
        resolve({ base: listening[1], link: dashboard[1] });
      }
    });
    dev.on("exit", (code) => { clearTimeout(timer); reject(new Error(`hearth dev exited with ${code}; see ${SHOTS}/dev.log`)); });
  });
}

const kill = (signal) => { try { process.kill(-dev.pid, signal); } catch { /* already gone */ } };
process.on("exit", () => dev && kill("SIGKILL"));

async function submit(endpoint, body) {
  const res = await fetch(`${base}/v2/${endpoint}/run`, { method: "POST", headers: { Authorization: `Bearer ${API_KEY}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()).id;
}

/** The job's trace once it has spans (workers report theirs in batches); fails naming what it waited for. */
async function traceOf(id) {
  let last = "";
  for (let i = 0; i < 40; i++) {
    const res = await fetch(`${base}/api/jobs/${id}/trace`, { headers: { Authorization: `Bearer ${ADMIN_KEY}` } });
    last = `${res.status} ${await res.text()}`;
    if (res.status === 200 && JSON.parse(last.slice(4)).spans?.length) return JSON.parse(last.slice(4));
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`no spans for job ${id} after 10 s; last answer of GET /api/jobs/${id}/trace: ${last.slice(0, 300)}`);
}

async function shot(name, docsName) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  if (DOCS && docsName) await page.screenshot({ path: path.join(DOCS, docsName), fullPage: docsName === "trace.png" });
}

before(async () => {
  ({ base, link } = await startDev());
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: process.env.DASHBOARD_SCHEME ?? "light" })).newPage();
  page.setDefaultTimeout(UI_MS);
}, { timeout: START_MS + 60_000 });

after(async () => {
  await browser?.close();
  if (dev) {
    kill("SIGTERM");
    await new Promise((r) => { dev.once("exit", r); setTimeout(() => { kill("SIGKILL"); r(); }, 20_000).unref(); });
  }
});

test("the admin API refuses requests without admin credentials", async () => {
  assert.equal((await fetch(`${base}/api/jobs`)).status, 401);
  assert.equal((await fetch(`${base}/api/endpoints`, { headers: { Authorization: `Bearer ${API_KEY}` } })).status, 403);
  const body = await (await fetch(`${base}/api/jobs`)).json();
  assert.ok(body.error && body.hint, "401 answers {error, hint}");
});

test("the dev link signs in once and shows the Echo endpoints with their activity", async () => {
  await Promise.all([
    submit("echo", { input: { hello: "dashboard" } }), submit("echo", { input: { n: 2, sleep_ms: 200 } }), submit("echo", { input: { n: 3, sleep_ms: 60 } }),
    submit("echo-stream", { input: { count: 3 } }), submit("fanout", { input: { words: ["plan", "fetch", "answer"] } }),
  ]);
  await page.goto(link);
  await page.locator('[data-endpoint="echo"]').waitFor();
  await page.locator('[data-endpoint="echo-stream"]').waitFor();
  assert.ok(!page.url().includes("token="), "the token leaves the address bar");
  await page.locator('[data-endpoint="echo"] .stat', { hasText: "execution" }).filter({ hasNotText: "—" }).waitFor();
  assert.match(await page.locator('[data-endpoint="echo"] .settings').textContent(), /compute .*workers \d+\.\.\d+.*idle \d+ s/);
  await shot("endpoints", "dashboard.png");

  // The link works once: a second browser with it gets the sign-in form and is told why.
  const other = await browser.newPage();
  await other.goto(link);
  await other.locator("form[data-role=form]").waitFor();
  assert.match(await other.locator("[data-role=message]").textContent(), /used or has expired/);
  await other.close();
});

test("the workers view lists each endpoint's workers", async () => {
  await page.goto(`${base}/#/workers`);
  await page.locator('tr[data-worker^="echo-"]').first().waitFor();
  await shot("workers");
});

test("a submitted job appears in the jobs list, completes, and opens with its input, output and trace", async () => {
  const id = await submit("echo", { input: { message: "watch me complete", sleep_ms: 1500 } });
  await page.goto(`${base}/#/jobs?endpoint=echo`);
  await page.locator(`tr[data-job="${id}"]`).waitFor();
  await page.locator(`tr[data-job="${id}"][data-status="COMPLETED"]`).waitFor(); // the list refreshes itself
  await page.locator(`tr[data-job="${id}"]`).click();
  await page.locator('[data-role=output]', { hasText: "watch me complete" }).waitFor();
  await traceOf(id);
  assert.match(await page.locator("[data-role=input]").textContent(), /watch me complete/);
  await page.locator("[data-role=waterfall] [data-span]").first().waitFor();
  assert.ok(await page.locator('[data-role=waterfall] [data-span="job"]').count() >= 1, "the job span is drawn");
  await shot("job-completed");
});

test("a timed-out job shows as TIMED_OUT with its error", async () => {
  const id = timedOutId = await submit("echo", { input: { hang: true }, policy: { executionTimeout: 5000 } });
  await page.goto(`${base}/#/jobs?status=TIMED_OUT`);
  await page.locator(`tr[data-job="${id}"][data-status="TIMED_OUT"]`).waitFor();
  await page.locator(`tr[data-job="${id}"]`).click();
  const error = page.locator("[data-role=error]");
  await error.waitFor();
  assert.match(await error.textContent(), /time(d)?[ _-]?out/i);
  await page.locator(".head .pill", { hasText: "TIMED_OUT" }).waitFor();
  await page.locator("[data-role=waterfall] [data-span]").first().waitFor();
  await shot("job-timed-out");
});

test("a real fan-out that times out shows its calls across endpoints and the hung one", async () => {
  // fanout calls echo three times; the "fetch" call hangs past the fan-out's own 5 s execution timeout.
  const id = await submit("fanout", { input: { words: ["plan", "fetch", "answer"], hang_word: "fetch", call_timeout_ms: 30000 }, policy: { executionTimeout: 5000 } });
  await page.goto(`${base}/#/jobs?endpoint=fanout&status=TIMED_OUT`);
  await page.locator(`tr[data-job="${id}"][data-status="TIMED_OUT"]`).waitFor({ timeout: 30000 });
  await page.locator(`tr[data-job="${id}"]`).click();
  const error = page.locator("[data-role=error]");
  await error.waitFor();
  assert.match(await error.textContent(), /call echo\[2\] open for/);
  await page.locator('[data-role=waterfall] [data-span="call echo"]').first().waitFor();
  await page.locator("[data-role=waterfall] .hung").first().waitFor();
  assert.ok(await page.locator('[data-role=waterfall] [data-span="execute"]').count() >= 3, "execute spans of the fan-out and its callees");
  await shot("fanout-timed-out", "trace.png");
});

// The waterfall against the trace contract (GET /api/jobs/{id}/trace), whatever this build's tracing records: a fan-out
// across two endpoints whose call was open when the job timed out.
test("the trace waterfall nests spans by parent, across endpoints, and marks the hung call", async () => {
  assert.ok(timedOutId, "runs after the timed-out job scenario");
  const at = (ms) => new Date(Date.parse("2026-01-01T12:00:00Z") + ms).toISOString();
  const span = (spanId, parentSpanId, name, source, from, to, extra = {}) => ({
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId, parentSpanId, name, source, start: at(from), end: to === null ? null : at(to),
    durationMs: (to ?? 5000) - from, open: to === null, status: extra.status ?? "ok",
    attributes: { "hearth.endpoint": source.includes("web") ? "web-retrieval" : "echo", "hearth.job_id": timedOutId, ...(extra.attributes ?? {}) },
  });
  const trace = {
    jobId: timedOutId, endpoint: "echo", traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    spans: [ // deliberately out of order: the page sorts by parent and start
      span("c1", "e1", "call web-retrieval", "worker:echo-1", 900, null, { status: "error", attributes: { "hearth.hung": true } }),
      span("j1", null, "job", "control-plane", 0, 5000, { status: "error" }),
      span("q1", "j1", "queue.wait", "control-plane", 0, 40),
      span("e1", "j1", "execute", "worker:echo-1", 40, null, { status: "error" }),
      span("s1", "e1", "step decompose", "worker:echo-1", 60, 880),
      span("e2", "c1", "execute", "worker:web-retrieval-7", 950, null),
    ],
  };
  await page.route(`**/api/jobs/${timedOutId}/trace`, (route) => route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify(trace) }));
  await page.goto(`${base}/#/jobs/${timedOutId}`);
  const rows = page.locator("[data-role=waterfall] [data-span]");
  await rows.nth(5).waitFor();
  assert.deepEqual(await rows.evaluateAll((els) => els.map((e) => e.dataset.span)),
    ["job", "queue.wait", "execute", "step decompose", "call web-retrieval", "execute"]);
  const hung = page.locator("[data-role=waterfall] [data-hung=true]");
  assert.equal(await hung.count(), 1);
  assert.match(await hung.textContent(), /call web-retrieval.*hung/s);
  const indent = await rows.evaluateAll((els) => els.map((e) => parseInt(e.querySelector(".wf-name").style.paddingLeft, 10)));
  assert.deepEqual(indent, [0, 16, 16, 32, 32, 48]);
  await shot("trace-contract");
  await page.unroute(`**/api/jobs/${timedOutId}/trace`);
});

test("the sessions tab shows sessions or says the API is not there", async () => {
  await page.goto(`${base}/#/sessions`);
  await page.locator("[data-role=no-sessions], table, .empty").first().waitFor();
  await shot("sessions");
});
