// Small helpers shared by the views: DOM building (text only, never HTML from data), the API, formatting.

/** Builds an element: h("td", { class: "num" }, "12 ms"). Children are nodes or text; null/false are skipped. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "style") for (const [p, val] of Object.entries(v)) p.startsWith("--") ? el.style.setProperty(p, val) : (el.style[p] = val);
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Thrown when the admin API answers 401: the page shows the sign-in form. */
export class SignInNeeded extends Error {
  constructor() { super("the admin API refused this dashboard session"); }
}

/**
 * GETs a route another part of Hearth may add later (trace, sessions). A 401 there while the rest of the admin API
 * accepts the session means that route does not take the dashboard cookie: it becomes { refused: true }, not a sign-out.
 */
export async function optionalApi(path, signal) {
  try {
    return await api(path, signal);
  } catch (e) {
    if (!(e instanceof SignInNeeded)) throw e;
    await api("/api/endpoints", signal); // throws SignInNeeded again when the session itself is gone
    return { refused: true, error: e.message };
  }
}

/** GETs an admin API path. Resolves to the JSON body, or { missing: true, error } on 404. */
export async function api(path, signal) {
  const res = await fetch(path, { headers: { Accept: "application/json" }, credentials: "same-origin", signal });
  if (res.status === 401 || res.status === 403) throw new SignInNeeded();
  if (res.status === 404) {
    const body = await res.json().catch(() => ({}));
    return { missing: true, error: body.error ?? "not found", hint: body.hint };
  }
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    throw new Error(body.error ? `${body.error} ${body.hint ?? ""}` : `HTTP ${res.status}`);
  }
  return res.json();
}

/** Pill class for an endpoint, worker or job state. */
export function tone(state) {
  switch (state) {
    case "Ready": case "Idle": case "COMPLETED": return state === "Idle" ? "" : "s-ok";
    case "Running": case "Scaling": case "Initializing": case "IN_PROGRESS": return "s-run";
    case "Throttled": case "Draining": case "IN_QUEUE": return state === "IN_QUEUE" ? "" : "s-warn";
    case "Unhealthy": case "FAILED": case "TIMED_OUT": return "s-bad";
    default: return "";
  }
}

export const pill = (state) => h("span", { class: `pill ${tone(state)}`, "data-state": state }, state ?? "—");

/** 850 ms, 1.24 s, 2m 05s. */
export function ms(value) {
  if (value === null || value === undefined) return "—";
  if (value < 1000) return `${Math.round(value)} ms`;
  if (value < 60_000) return `${(value / 1000).toFixed(value < 10_000 ? 2 : 1)} s`;
  if (value < 3_600_000) {
    const m = Math.floor(value / 60_000);
    const s = Math.round((value % 60_000) / 1000);
    return s ? `${m}m ${String(s).padStart(2, "0")}s` : `${m} min`;
  }
  const hours = Math.floor(value / 3_600_000);
  const m = Math.round((value % 3_600_000) / 60_000);
  return m ? `${hours}h ${String(m).padStart(2, "0")}m` : `${hours} h`;
}

/** "12s ago", with the exact time in a tooltip. */
export function ago(iso) {
  if (!iso) return h("span", { class: "muted" }, "—");
  const t = new Date(iso);
  const s = Math.max(0, (Date.now() - t.getTime()) / 1000);
  const text = s < 60 ? `${Math.floor(s)}s ago` : s < 3600 ? `${Math.floor(s / 60)}m ago` : s < 86400 ? `${Math.floor(s / 3600)}h ago` : t.toLocaleString();
  return h("time", { datetime: iso, title: t.toLocaleString() }, text);
}

/** Replaces root's children, skipping null/false (replaceChildren would print them as text). */
export function put(root, ...nodes) {
  root.replaceChildren(...nodes.flat().filter((n) => n !== null && n !== undefined && n !== false));
}

export const empty = (title, text) => h("div", { class: "empty" }, h("strong", null, title), text);

/** Pretty JSON if it parses, else the text as it is. */
export function pretty(value) {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value;
  return JSON.stringify(value, null, 2);
}
