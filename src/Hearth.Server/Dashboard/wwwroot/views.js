// The views. Each has mount(root, params) → { refresh() }: mount draws the parts that stay (filters), refresh redraws data.
import { h, put, api, optionalApi, pill, ms, ago, empty, pretty } from "./ui.js";
import { waterfall } from "./waterfall.js";

const WORKER_STATES = ["Initializing", "Idle", "Running", "Draining", "Unhealthy", "Stopped"];
const JOB_STATUSES = ["IN_QUEUE", "IN_PROGRESS", "COMPLETED", "FAILED", "CANCELLED", "TIMED_OUT"];

const stat = (k, v, sub) => h("div", { class: "stat" }, h("div", { class: "k" }, k), h("div", { class: "v" }, v), h("div", { class: "sub" }, sub ?? "\u00a0"));
const fact = (k, v) => h("div", null, h("div", { class: "k" }, k), h("div", { class: "v" }, v));
const head = (title, note) => h("div", { class: "head" }, h("h1", null, title), note ? h("span", { class: "muted" }, note) : null);

function endpointCard(ep, stats) {
  const byState = {};
  for (const w of ep.workers ?? []) byState[w.state] = (byState[w.state] ?? 0) + 1;
  const s = stats ?? {};
  const reasonTone = ep.state === "Unhealthy" ? "reason s-bad" : "reason";
  return h("article", { class: "card ep-card", "data-endpoint": ep.name },
    h("header", null, h("h3", null, ep.name), pill(ep.state), h("a", { href: `#/jobs?endpoint=${encodeURIComponent(ep.name)}` }, "jobs →")),
    ep.reason && ep.state !== "Ready" ? h("div", { class: reasonTone }, ep.reason) : null,
    h("div", { class: "stats" },
      stat("in queue", ep.queue.inQueue, ep.queue.inQueueLowPriority ? `+${ep.queue.inQueueLowPriority} low` : null),
      stat("running", ep.queue.inProgress),
      stat("workers", (ep.workers ?? []).length),
      stat("delay", ms(s.delayMs?.p50), s.delayMs?.p99 != null ? `p50 · p99 ${ms(s.delayMs.p99)}` : null),
      stat("execution", ms(s.executionMs?.p50), s.executionMs?.p99 != null ? `p50 · p99 ${ms(s.executionMs.p99)}` : null),
      stat("cold start", ms(ep.coldStart?.p50Ms), ep.coldStart?.count ? `p50 of ${ep.coldStart.count}` : null)),
    h("div", { class: "chips" }, WORKER_STATES.filter((st) => byState[st]).map((st) => h("span", { class: "pill " + (st === "Running" ? "s-run" : st === "Unhealthy" ? "s-bad" : st === "Draining" ? "s-warn" : "") }, `${byState[st]} ${st.toLowerCase()}`)),
      (ep.workers ?? []).length === 0 ? h("span", { class: "muted small" }, "no workers — scales up on the next job") : null),
    h("div", { class: "settings" },
      ep.settings ? h("span", null, "compute ", h("b", null, ep.settings.compute)) : null,
      ep.settings ? h("span", null, "workers ", h("b", null, `${ep.settings.workersMin}..${ep.settings.workersMax}`)) : null,
      ep.settings ? h("span", null, "idle ", h("b", null, `${ep.settings.idleTimeoutSeconds} s`)) : null,
      ep.settings && ep.settings.concurrency > 1 ? h("span", null, "concurrency ", h("b", null, ep.settings.concurrency)) : null,
      h("span", null, "timeout ", h("b", null, ms(ep.executionTimeoutMs))),
      h("span", null, "ttl ", h("b", null, ms(ep.ttlMs))),
      s.sample ? h("span", null, "over last ", h("b", null, s.sample), " jobs") : null,
      ep.volume ? h("span", null, "volume ", h("b", null, `${ep.volume.name} (${ep.volume.sizeGb} GB)`)) : null));
}

export const endpoints = {
  mount(root) {
    return {
      async refresh(signal) {
        const [list, stats] = await Promise.all([api("/api/endpoints", signal), api("/api/stats", signal).catch(() => ({}))]);
        const jobs = Object.values(stats.endpoints ?? {}).reduce((n, e) => n + e.sample, 0);
        put(root, head("Endpoints", `${list.length} endpoints · ${jobs} recent jobs`),
          list.length ? h("div", { class: "grid" }, list.map((ep) => endpointCard(ep, stats.endpoints?.[ep.name]))) : empty("No endpoints", "Declare endpoints in code or hearth.yaml."));
      },
    };
  },
};

export const workers = {
  mount(root) {
    return {
      async refresh(signal) {
        const list = await api("/api/workers", signal);
        put(root, head("Workers", `${list.length} workers`), list.length === 0 ? empty("No workers", "Endpoints with workers: [0, n] start them on the first job.") :
          h("table", null, h("thead", null, h("tr", null, ["worker", "endpoint", "state", "since", "gpu", "pid", "cold start", "jobs"].map((t) => h("th", null, t)))),
            h("tbody", null, list.map((w) => h("tr", { "data-worker": w.id },
              h("td", { class: "mono" }, w.id), h("td", null, w.endpoint), h("td", null, pill(w.state)), h("td", null, ago(w.since)),
              h("td", null, w.gpu ?? h("span", { class: "muted" }, "cpu")), h("td", { class: "num" }, w.pid ?? "—"),
              h("td", { class: "num" }, ms(w.coldStartMs)), h("td", { class: "num" }, w.jobsDone))))));
      },
    };
  },
};

export const jobs = {
  mount(root, params, go) {
    const endpointSel = h("select", { "aria-label": "endpoint", "data-filter": "endpoint" }, h("option", { value: "" }, "all endpoints"));
    const statusSel = h("select", { "aria-label": "status", "data-filter": "status" }, h("option", { value: "" }, "any status"), JOB_STATUSES.map((s) => h("option", { value: s }, s)));
    statusSel.value = params.get("status") ?? "";
    const onChange = () => {
      const q = new URLSearchParams();
      if (endpointSel.value) q.set("endpoint", endpointSel.value);
      if (statusSel.value) q.set("status", statusSel.value);
      go(`#/jobs${q.size ? "?" + q : ""}`);
    };
    endpointSel.addEventListener("change", onChange);
    statusSel.addEventListener("change", onChange);
    const body = h("div");
    put(root, head("Jobs", "newest first"), h("div", { class: "toolbar" }, endpointSel, statusSel), body);
    let names = null;
    return {
      async refresh(signal) {
        if (!names) {
          names = (await api("/api/endpoints", signal)).map((e) => e.name);
          endpointSel.append(...names.map((n) => h("option", { value: n }, n)));
          endpointSel.value = params.get("endpoint") ?? "";
        }
        const q = new URLSearchParams({ limit: "100" });
        if (params.get("endpoint")) q.set("endpoint", params.get("endpoint"));
        if (params.get("status")) q.set("status", params.get("status"));
        const res = await api(`/api/jobs?${q}`, signal);
        if (res.missing) { put(body, empty("Unknown endpoint", res.error)); return; }
        put(body, res.jobs.length === 0 ? empty("No jobs yet", "Submit one with POST /v2/{endpoint}/run; it appears here within two seconds.") :
          h("table", null, h("thead", null, h("tr", null, ["job", "endpoint", "status", "submitted", "delay", "execution", "worker", "error"].map((t) => h("th", null, t)))),
            h("tbody", null, res.jobs.map((j) => h("tr", { class: "click", "data-job": j.id, "data-status": j.status, onclick: () => go(`#/jobs/${encodeURIComponent(j.id)}`) },
              h("td", { class: "mono" }, h("a", { href: `#/jobs/${encodeURIComponent(j.id)}` }, j.id)), h("td", null, j.endpoint), h("td", null, pill(j.status)),
              h("td", null, ago(j.submittedAt)), h("td", { class: "num" }, ms(j.delayTime)), h("td", { class: "num" }, ms(j.executionTime)),
              h("td", { class: "mono" }, j.workerId ?? "—"), h("td", { class: "err", title: j.error ?? "" }, j.error ?? ""))))));
      },
    };
  },
};

export const job = {
  mount(root, params, go, id) {
    return {
      async refresh(signal) {
        const [j, trace] = await Promise.all([api(`/api/jobs/${encodeURIComponent(id)}`, signal), optionalApi(`/api/jobs/${encodeURIComponent(id)}/trace`, signal).catch((e) => ({ failed: e.message }))]);
        if (j.missing) { put(root, h("a", { class: "back", href: "#/jobs" }, "← jobs"), empty("Job not found", j.error)); return; }
        const io = (title, value) => h("section", null, h("h2", null, title), h("pre", { class: "json", "data-role": title.toLowerCase() }, pretty(value)));
        put(root, 
          h("a", { class: "back", href: `#/jobs?endpoint=${encodeURIComponent(j.endpoint)}` }, `← ${j.endpoint} jobs`),
          h("div", { class: "head" }, h("h1", { class: "mono" }, j.id), pill(j.status)),
          h("div", { class: "card facts", "data-role": "job" },
            fact("endpoint", j.endpoint), fact("submitted", ago(j.submittedAt)), fact("started", ago(j.startedAt)), fact("completed", ago(j.completedAt)),
            fact("delay", ms(j.delayTime)), fact("execution", ms(j.executionTime)), fact("worker", j.workerId ?? "—"),
            fact("session", j.sessionId ? h("a", { href: `#/sessions/${encodeURIComponent(j.sessionId)}` }, j.sessionId) : "—"), j.reason ? fact("reason", j.reason) : null),
          j.error ? h("div", { class: "error-box", "data-role": "error" }, j.error) : null,
          h("div", { class: "io" }, io("Input", j.input), io("Output", j.output)),
          j.truncated ? h("div", { class: "note" }, "Cut to the first 4 KB; the full value is in the store.") : null,
          h("h2", null, "Trace"),
          trace.missing || trace.failed || trace.refused || !(trace.spans?.length)
            ? h("div", { "data-role": "no-trace" }, empty("No trace recorded", trace.failed || trace.refused ? `The trace could not be read: ${trace.failed ?? trace.error}.` : "This server has no spans for this job (tracing is off, or they were dropped by retention)."))
            : waterfall(trace));
      },
    };
  },
};

export const sessions = {
  mount(root, params, go, id) {
    return {
      async refresh(signal) {
        if (id) return session(root, id, signal);
        const res = await optionalApi("/api/sessions", signal);
        if (res.missing || res.refused) { put(root, head("Sessions"), h("div", { "data-role": "no-sessions" }, empty("Sessions are not available", res.refused ? "GET /api/sessions did not accept the dashboard session; use the admin key with curl." : "This server has no sessions API yet (GET /api/sessions)."))); return; }
        const list = res.sessions ?? [];
        put(root, head("Sessions", `${list.length} sessions`), list.length === 0 ? empty("No sessions", "Jobs with a session_id keep a journal of their steps here.") :
          h("table", null, h("thead", null, h("tr", null, ["session", "endpoint", "worker", "steps", "last active", "expires"].map((t) => h("th", null, t)))),
            h("tbody", null, list.map((s) => h("tr", { class: "click", "data-session": s.id, onclick: () => go(`#/sessions/${encodeURIComponent(s.id)}`) },
              h("td", { class: "mono" }, s.id), h("td", null, s.endpoint), h("td", { class: "mono" }, s.worker ?? h("span", { class: "muted" }, "unbound")),
              h("td", { class: "num" }, s.steps), h("td", null, ago(s.lastActiveAt)), h("td", null, s.expiresAt ? new Date(s.expiresAt).toLocaleString() : "—"))))));
      },
    };
  },
};

async function session(root, id, signal) {
  const s = await optionalApi(`/api/sessions/${encodeURIComponent(id)}`, signal);
  if (s.missing || s.refused) { put(root, h("a", { class: "back", href: "#/sessions" }, "← sessions"), empty("Session not found", s.error)); return; }
  put(root, h("a", { class: "back", href: "#/sessions" }, "← sessions"),
    h("div", { class: "head" }, h("h1", { class: "mono" }, s.id), h("span", { class: "muted" }, `${s.endpoint} · ${s.worker ? "bound to " + s.worker : "unbound"}`)),
    h("h2", null, "Journal"),
    (s.steps ?? []).length === 0 ? empty("Empty journal", "No step has finished in this session yet.") :
      h("table", null, h("thead", null, h("tr", null, ["step", "job", "at", "bytes", "result"].map((t) => h("th", null, t)))),
        h("tbody", null, s.steps.map((st) => h("tr", null, h("td", { class: "mono" }, st.name),
          h("td", { class: "mono" }, h("a", { href: `#/jobs/${encodeURIComponent(st.jobId)}` }, st.jobId)), h("td", null, ago(st.at)),
          h("td", { class: "num" }, st.bytes), h("td", { class: "mono" }, st.preview ?? ""))))));
}
