// Entry point: signs in (one-time token from the URL, or the admin key), routes by hash, refreshes the view every 2 s.
import { h, SignInNeeded } from "./ui.js";
import * as views from "./views.js";

const POLL_MS = 2000;
const main = document.getElementById("view");
const live = document.getElementById("live");
const liveText = document.getElementById("live-text");
const signOut = document.getElementById("sign-out");

let current = null; // { view, key, abort }
let timer = null;
let signInMessage = null;

/** Trades the one-time token in ?token= for a session cookie, then removes it from the address bar and history. */
async function redeemToken() {
  const params = new URLSearchParams(location.search);
  const token = params.get("token");
  if (!token) return;
  history.replaceState(null, "", location.pathname + (location.hash || "#/endpoints"));
  const res = await fetch("/api/dashboard/session", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ token }), credentials: "same-origin" });
  if (!res.ok) signInMessage = (await res.json().catch(() => ({}))).error ?? "This link could not be used.";
}

function route() {
  const [path, query] = (location.hash.replace(/^#/, "") || "/endpoints").split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query ?? "");
  const tab = parts[0] ?? "endpoints";
  if (tab === "jobs" && parts[1]) return { tab, view: views.job, id: parts[1], params };
  if (tab === "sessions") return { tab, view: views.sessions, id: parts[1], params };
  return { tab, view: views[tab] ?? views.endpoints, params };
}

const go = (hash) => { if (location.hash !== hash) location.hash = hash; else show(); };

function show() {
  const r = route();
  for (const a of document.querySelectorAll(".tabs a")) {
    if (a.dataset.tab === r.tab) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  }
  current?.abort.abort();
  main.replaceChildren();
  current = { ...r.view.mount(main, r.params, go, r.id), abort: new AbortController() };
  tick();
}

async function tick() {
  clearTimeout(timer);
  const mine = current;
  if (mine.busy) return; // a refresh is already on its way; it schedules the next one
  mine.busy = true;
  try {
    await mine.refresh(mine.abort.signal);
    live.className = "live on";
    liveText.textContent = `live · ${new Date().toLocaleTimeString()}`;
    signOut.hidden = false;
  } catch (e) {
    if (e.name === "AbortError") return;
    if (e instanceof SignInNeeded) { showSignIn(); return; }
    live.className = "live off";
    liveText.textContent = `offline · ${e.message}`;
  } finally {
    mine.busy = false;
  }
  if (mine === current) timer = setTimeout(tick, POLL_MS);
}

function showSignIn() {
  clearTimeout(timer);
  signOut.hidden = true;
  live.className = "live off";
  liveText.textContent = "signed out";
  const form = document.getElementById("sign-in").content.cloneNode(true);
  const message = form.querySelector("[data-role=message]");
  if (signInMessage) { message.textContent = signInMessage; message.classList.add("bad"); }
  form.querySelector("[data-role=form]").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const key = ev.target.elements.key.value.trim();
    const res = await fetch("/api/dashboard/session", { method: "POST", headers: { Authorization: `Bearer ${key}` }, credentials: "same-origin" });
    if (res.ok) { signInMessage = null; show(); return; }
    message.textContent = (await res.json().catch(() => ({}))).error ?? "Sign-in failed.";
    message.classList.add("bad");
  });
  main.replaceChildren(form);
  main.querySelector("input")?.focus();
}

signOut.addEventListener("click", async () => {
  await fetch("/api/dashboard/session", { method: "DELETE", credentials: "same-origin" });
  showSignIn();
});

window.addEventListener("hashchange", show);
document.addEventListener("visibilitychange", () => { if (!document.hidden && current) tick(); });
await redeemToken();
show();
