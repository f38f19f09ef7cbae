// The trace waterfall: spans nested under their parents, bars placed by start time on one axis for the whole trace.
import { h, ms } from "./ui.js";

const startMs = (s) => new Date(s.start).getTime();

/** End of a span in ms: its end, or start + duration (an open span's duration runs to when the server last saw it), or `fallback`. */
function endMs(s, fallback) {
  if (s.end) return new Date(s.end).getTime();
  if (typeof s.durationMs === "number") return startMs(s) + s.durationMs;
  return Math.max(fallback, startMs(s));
}

/** Depth-first order: roots by start, each followed by its children by start. Spans whose parent is absent are roots. */
export function order(spans) {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map();
  const roots = [];
  for (const s of spans) {
    if (s.parentSpanId && ids.has(s.parentSpanId)) {
      if (!children.has(s.parentSpanId)) children.set(s.parentSpanId, []);
      children.get(s.parentSpanId).push(s);
    } else roots.push(s);
  }
  const byStart = (a, b) => startMs(a) - startMs(b);
  const out = [];
  const seen = new Set();
  const walk = (s, depth) => {
    if (seen.has(s.spanId)) return; // a malformed trace with a cycle is drawn once
    seen.add(s.spanId);
    out.push({ span: s, depth });
    for (const c of (children.get(s.spanId) ?? []).sort(byStart)) walk(c, depth + 1);
  };
  for (const r of roots.sort(byStart)) walk(r, 0);
  return out;
}

const isHung = (s) => s.attributes?.["hearth.hung"] === true || s.attributes?.["hearth.hung"] === "true";

/** Renders a trace ({ traceId, spans }) as a waterfall element. */
export function waterfall(trace) {
  const spans = trace.spans ?? [];
  // An open span without a duration runs to the trace's last known instant, or to now while nothing has ended.
  const closed = spans.filter((s) => s.end || typeof s.durationMs === "number").map((s) => endMs(s, 0));
  const now = closed.length ? Math.max(...closed) : Date.now();
  const t0 = Math.min(...spans.map(startMs));
  const t1 = Math.max(...spans.map((s) => endMs(s, now)));
  const total = Math.max(1, t1 - t0);
  const pct = (v) => `${((v / total) * 100).toFixed(3)}%`;

  const axis = h("div", { class: "wf-row wf-axis" }, h("div", null, "span"),
    h("div", { class: "wf-track" }, [0, 0.25, 0.5, 0.75, 1].map((f) => h("span", { class: "wf-tick", style: { left: `${f * 100}%` } }, ms(total * f)))));

  const rows = order(spans).map(({ span, depth }) => {
    const from = startMs(span) - t0;
    const dur = endMs(span, now) - startMs(span);
    const hung = isHung(span);
    const cp = span.source === "control-plane";
    const classes = ["wf-bar", cp ? "cp" : "wk", span.status === "error" ? "error" : "", span.open ? "open" : "", hung ? "hung" : ""].join(" ");
    const labelText = hung ? `hung · open for ${ms(dur)}` : span.open ? `${ms(dur)} · still open` : ms(dur);
    // The label goes after the bar, else before it, else inside it at its end (on a small plate, readable over the bar).
    const place = (from + dur) / total <= 0.75 ? { left: `calc(${pct(from + dur)} + 6px)` }
      : from / total >= 0.3 ? { right: `calc(${pct(total - from)} + 6px)` }
      : { right: `calc(${pct(total - from - dur)} + 6px)` };
    const inside = (from + dur) / total > 0.75 && from / total < 0.3;
    const attrs = Object.entries(span.attributes ?? {}).map(([k, v]) => `${k} = ${v}`).join("\n");
    return h("div", { class: `wf-row${hung ? " hung" : ""}`, "data-span": span.name, "data-hung": hung ? "true" : null, title: `${span.name}\n${span.source}\n${labelText}\nstatus ${span.status}${attrs ? "\n" + attrs : ""}` },
      h("div", { class: "wf-name", style: { paddingLeft: `${depth * 16}px` } },
        h("span", null, span.name),
        h("span", { class: `src ${cp ? "cp" : "wk"}` }, cp ? "control plane" : span.source.replace(/^worker:/, ""))),
      h("div", { class: "wf-track" },
        h("div", { class: classes, style: { left: pct(from), width: pct(dur) } }),
        h("span", { class: `wf-label${hung ? " hung" : ""}${inside ? " inside" : ""}`, style: place }, labelText)));
  });

  return h("div", null,
    h("div", { class: "wf", "data-role": "waterfall", "data-trace": trace.traceId }, axis, rows),
    h("div", { class: "legend" },
      h("span", { style: { "--c": "var(--cp)" } }, "control plane"),
      h("span", { style: { "--c": "var(--wk)" } }, "worker"),
      h("span", { style: { "--c": "var(--run)" } }, "open"),
      h("span", { style: { "--c": "var(--bad)" } }, "error / hung at timeout")),
    h("p", { class: "muted mono", style: { fontSize: ".78rem" } }, `trace ${trace.traceId ?? "—"} · ${spans.length} spans · ${ms(total)}`));
}
