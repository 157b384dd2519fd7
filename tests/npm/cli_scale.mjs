// A large CLI job end to end, shared by the test (`cli_scale.test.mjs`, 20 000 URLs) and the
// benchmark (`bench/cli_million.sh`, 1 000 000): a sitemap index over gzipped children served
// over loopback HTTP, `edgewarm push --journal` killed (SIGKILL) part-way, `edgewarm resume`
// to the end, and the sandbox's own record read back to check that every URL reached it
// exactly once. Measures each process's peak RSS (VmHWM from /proc, sampled while it runs) and
// the journal's size at the kill. Node built-ins and helpers.mjs only (no package import), so
// both harnesses can load it.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, statSync, writeFileSync, createReadStream, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { sandboxTasksAt } from './helpers.mjs';

/** `n` URLs of realistic length (≈ 60–80 bytes) on the sandbox's CDN domain, under `prefix`. */
export function scaleUrls(n, prefix) {
  const sections = ['assets/js', 'assets/css', 'images/products', 'docs/guides', 'blog/2026'];
  return Array.from({ length: n }, (_, i) => `https://www.example.com/${prefix}/${sections[i % 5]}/${(i % 997).toString(36)}/item-${i}.html?v=${i % 13}`);
}

/** Writes a sitemap index over gzipped children of `perChild` URLs each; answers the files. */
export function writeSitemaps(dir, urls, perChild, base) {
  mkdirSync(dir, { recursive: true });
  const children = [];
  for (let k = 0; k * perChild < urls.length; k++) {
    const part = urls.slice(k * perChild, (k + 1) * perChild);
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${part.map((u) => `<url><loc>${u.replaceAll('&', '&amp;')}</loc></url>`).join('\n')}\n</urlset>\n`;
    const name = `part-${k}.xml.gz`;
    writeFileSync(join(dir, name), gzipSync(xml));
    children.push(name);
  }
  const index = `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${children.map((c) => `<sitemap><loc>${base}/${c}</loc></sitemap>`).join('\n')}\n</sitemapindex>\n`;
  writeFileSync(join(dir, 'index.xml'), index);
  const gzBytes = children.reduce((s, c) => s + statSync(join(dir, c)).size, 0);
  return { children: children.length, gzBytes };
}

/** Serves `dir`'s files over loopback HTTP; answers `{ base, close }`. */
export async function serveDir(dir) {
  const server = createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url, 'http://x').pathname.slice(1));
    const path = join(dir, name);
    if (name.includes('/') || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': name.endsWith('.gz') ? 'application/gzip' : 'application/xml' });
    createReadStream(path).pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

/** The peak resident set (bytes) of process `pid` so far, or 0 once it is gone. */
function peakRss(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Runs the CLI with `args`; samples its peak RSS every 100 ms; `killWhen(progress)` (parsed from
 * its progress lines on stderr) kills it with SIGKILL. Resolves to `{ code, signal, stdout,
 * stderr, peakRss, killed }`.
 */
export function runCli(bin, args, env, killWhen) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    let killed = false;
    const timer = setInterval(() => (peak = Math.max(peak, peakRss(child.pid))), 100);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      if (killed || !killWhen) return;
      const lines = stderr.trimEnd().split('\n');
      const m = /(\d+)\/(\d+) .* submitted (\d+) pending (\d+)/.exec(lines[lines.length - 1]);
      if (m && killWhen({ finished: Number(m[1]), total: Number(m[2]), submitted: Number(m[3]), pending: Number(m[4]) })) {
        peak = Math.max(peak, peakRss(child.pid));
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      resolve({ code, signal, stdout, stderr, peakRss: peak, killed });
    });
  });
}

/**
 * The whole scenario. Options: `bin` (the CLI), `proxy`, `env` (credentials), `dir`, `n`,
 * `perChild`, `prefix`, `killAt` (fraction of the URLs submitted or finished when the first
 * run is killed), `rate`. Resolves to the figures and what the sandbox saw.
 */
export async function scaleRun(o) {
  const urls = scaleUrls(o.n, o.prefix);
  const listBytes = urls.reduce((s, u) => s + Buffer.byteLength(u) + 1, 0);
  const server = await serveDir(o.dir);
  try {
    const maps = writeSitemaps(o.dir, urls, o.perChild, server.base);
    const journal = join(o.dir, 'job.journal');
    const common = ['--proxy', o.proxy, '--json', '--poll-ms', '500', '--journal', journal];
    const t0 = performance.now();
    const first = await runCli(o.bin, ['push', '--vendor', 'cdn', '--rate', String(o.rate ?? 20), ...common, `${server.base}/index.xml`], o.env, (p) => p.finished + p.submitted >= o.killAt * o.n);
    const firstMs = performance.now() - t0;
    if (!existsSync(journal)) throw new Error(`the first run wrote no journal (exit ${first.code}, signal ${first.signal}): ${first.stderr.slice(-2000)}`);
    const text = readFileSync(journal, 'utf8');
    const lines = text.split('\n').filter(Boolean);
    const atKill = { bytes: Buffer.byteLength(text), lines: lines.length, snapshotBytes: Buffer.byteLength(lines[0] ?? ''), largestRecord: Math.max(0, ...lines.slice(1).map((l) => Buffer.byteLength(l))) };
    const t1 = performance.now();
    const second = await runCli(o.bin, ['resume', ...common], o.env);
    const secondMs = performance.now() - t1;
    const { tasks } = await sandboxTasksAt(o.proxy, `/${o.prefix}/`);
    const times = new Map();
    for (const t of tasks) if (!t.purge) times.set(t.target, (times.get(t.target) ?? 0) + 1);
    return { urls, listBytes, maps, first, firstMs, atKill, second, secondMs, summary: second.code === null ? null : JSON.parse(second.stdout || 'null'), times, finalJournalBytes: statSync(journal).size };
  } finally {
    await server.close();
  }
}

/** Bytes as MiB with one decimal. */
export const mib = (b) => (b / 1048576).toFixed(1);
