// BullMQ peer for bench/run.sh: no-op jobs on the same redis-server Hearth uses, measured the way Hearth is.
//   throughput: N jobs added with addBulk, then one Worker with concurrency C drains them; jobs/s = N / drain time.
//   enqueue:    N jobs added by 16 concurrent queue.add calls (compare with Hearth's /run on 16 connections).
//   addBulk:    N jobs added by 16 concurrent addBulk calls of 100 (compare with Hearth's /runbatch of 100).
//   workers4:   N jobs added first, then 4 worker processes (this script with --worker-of), concurrency 16 each,
//               started and ready before the clock starts, drain them (compare with Hearth's 4 worker processes).
//   A warm-up drain (C=16, not recorded) comes first, as in Hearth's suite.
//   latency:    one job at a time; the clock starts just before queue.add and stops when the processor starts
//               (a warm Worker, concurrency 1, already waiting) — the same definition as Hearth's dispatch figure.
// Usage: node bullmq-bench.mjs --redis 127.0.0.1:6390 [--jobs 5000] [--lat 2000] [--warmup 200] [--runs 3]
//        [--conc 1,4,16,64] [--out peer.json]
import { Queue, Worker } from 'bullmq';
import { writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const arg = (name, def) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : def; };
const [host, port] = arg('--redis', '127.0.0.1:6379').split(':');
const connection = { host, port: Number(port), maxRetriesPerRequest: null };
const jobs = Number(arg('--jobs', '5000'));
const latN = Number(arg('--lat', '2000'));
const warmup = Number(arg('--warmup', '200'));
const runs = Number(arg('--runs', '3'));
const conc = arg('--conc', '1,4,16,64').split(',').map(Number);
const out = arg('--out', 'peer.json');
const now = () => Number(process.hrtime.bigint()) / 1e6; // ms

// Worker-process mode: one Worker on the named queue, started on "go" (stdin), closed when stdin ends.
if (arg('--worker-of')) {
  const worker = new Worker(arg('--worker-of'), async () => {}, { connection, concurrency: conc[0], autorun: false });
  await worker.waitUntilReady();
  const lines = createInterface({ input: process.stdin });
  console.log('ready');
  for await (const line of lines) { if (line === 'go') worker.run(); }
  await worker.close();
  process.exit(0);
}
let seq = 0;
const qname = () => `hearth-bench-${process.pid}-${seq++}`;

async function fill(queue) {
  for (let i = 0; i < jobs; i += 1000) {
    await queue.addBulk(Array.from({ length: Math.min(1000, jobs - i) }, () => ({ name: 'noop', data: {} })));
  }
}

async function drain(c) {
  const name = qname();
  const queue = new Queue(name, { connection });
  await fill(queue);
  let done = 0, t0 = 0, resolve;
  const finished = new Promise(r => { resolve = r; });
  const worker = new Worker(name, async () => {}, { connection, concurrency: c, autorun: false });
  worker.on('completed', () => { if (++done === jobs) resolve(now()); });
  await worker.waitUntilReady();
  t0 = now();
  worker.run();
  const t1 = await finished;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return jobs / ((t1 - t0) / 1000);
}

async function enqueue(parallel) {
  const name = qname();
  const queue = new Queue(name, { connection });
  await queue.waitUntilReady();
  let next = 0;
  const t0 = now();
  await Promise.all(Array.from({ length: parallel }, async () => { while (next++ < jobs) await queue.add('noop', {}); }));
  const rate = jobs / ((now() - t0) / 1000);
  await queue.obliterate({ force: true });
  await queue.close();
  return rate;
}

async function enqueueBulk(parallel, size) {
  const name = qname();
  const queue = new Queue(name, { connection });
  await queue.waitUntilReady();
  const batches = Math.ceil(jobs / size);
  let next = 0;
  const t0 = now();
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next++ < batches) await queue.addBulk(Array.from({ length: size }, () => ({ name: 'noop', data: {} })));
  }));
  const rate = batches * size / ((now() - t0) / 1000);
  await queue.obliterate({ force: true });
  await queue.close();
  return rate;
}

async function drainByProcesses(processes, c) {
  const name = qname();
  const queue = new Queue(name, { connection });
  await fill(queue);
  const children = Array.from({ length: processes }, () => spawn(process.execPath,
    [process.argv[1], '--redis', `${host}:${port}`, '--worker-of', name, '--conc', String(c)], { stdio: ['pipe', 'pipe', 'inherit'] }));
  await Promise.all(children.map(child => new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', l => (l === 'ready' ? resolve() : reject(new Error(l))));
  })));
  const t0 = now();
  for (const child of children) child.stdin.write('go\n');
  while ((await queue.getCompletedCount()) < jobs) await new Promise(r => setTimeout(r, 1));
  const rate = jobs / ((now() - t0) / 1000);
  for (const child of children) child.stdin.end();
  await Promise.all(children.map(child => new Promise(r => child.on('exit', r))));
  await queue.obliterate({ force: true });
  await queue.close();
  return rate;
}

async function latency() {
  const name = qname();
  const queue = new Queue(name, { connection });
  let started;
  const worker = new Worker(name, async () => { started(now()); }, { connection, concurrency: 1 });
  await worker.waitUntilReady();
  await queue.waitUntilReady();
  const samples = [];
  for (let i = 0; i < warmup + latN; i++) {
    const got = new Promise(r => { started = r; });
    const t0 = now();
    await queue.add('noop', {});
    const t1 = await got;
    if (i >= warmup) samples.push(t1 - t0);
  }
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  samples.sort((a, b) => a - b);
  const at = p => samples[Math.min(samples.length - 1, Math.max(0, Math.ceil(p * samples.length) - 1))];
  const cdf = [];
  for (let i = 0; i <= 100; i++) cdf.push([i, at(i / 100)]);
  for (const p of [0.995, 0.999]) cdf.push([p * 100, at(p)]);
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: samples[samples.length - 1], count: samples.length, cdf };
}

const result = { peer: 'bullmq 6.7.0', node: process.version, jobs, throughput: [], enqueue16: [], addBulk16: [],
  workers4: [], latency: [] };
await drain(16); // warm-up, not recorded, as Hearth's suite does before its throughput figures
for (let r = 0; r < runs; r++) {
  for (const c of conc) result.throughput.push({ run: r, concurrency: c, jobsPerSecond: await drain(c) });
  result.enqueue16.push(await enqueue(16));
  result.addBulk16.push(await enqueueBulk(16, 100));
  result.workers4.push(await drainByProcesses(4, 16));
  result.latency.push(await latency());
  console.error(`bullmq run ${r + 1}/${runs}: ` + result.throughput.filter(t => t.run === r).map(t => `c${t.concurrency} ${t.jobsPerSecond.toFixed(0)}/s`).join(', ') +
    `, enqueue16 ${result.enqueue16[r].toFixed(0)}/s, addBulk16 ${result.addBulk16[r].toFixed(0)}/s` +
    `, 4 workers ${result.workers4[r].toFixed(0)}/s, latency p50 ${result.latency[r].p50.toFixed(3)} ms`);
}
writeFileSync(out, JSON.stringify(result, null, 1));
process.exit(0);
