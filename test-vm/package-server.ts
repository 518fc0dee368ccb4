// The real-VM test's package server: serves a directory over HTTP inside the test's network namespace (the VMs
// reach it on the lab's host-only network) and counts what it serves, per client address and per file, so the
// test can report bytes per node and per create (issue 15). Run it as its own process inside the namespace:
//   node dist/test-vm/package-server.js --root DIR --host ADDRESS --port N --stats FILE
// It writes FILE (JSON, atomically) after every response, and exits on SIGTERM/SIGINT.
import { createReadStream, renameSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, normalize, sep } from 'node:path';

/** What the server has served so far. */
export interface ServerStats {
  started: string;
  /** Per client address: requests, bytes of bodies sent, 404s. */
  clients: Record<string, { requests: number; bytes: number; notFound: number }>;
  /** Per path: requests and bytes (every client together). */
  files: Record<string, { requests: number; bytes: number }>;
  totalBytes: number;
  totalRequests: number;
}

function arg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (!v) { process.stderr.write(`package-server: --${name} is required\n`); process.exit(2); }
  return v;
}

const root = normalize(arg('root'));
const host = arg('host');
const port = Number(arg('port'));
const statsFile = arg('stats');
const stats: ServerStats = { started: new Date().toISOString(), clients: {}, files: {}, totalBytes: 0, totalRequests: 0 };

function save(): void {
  writeFileSync(`${statsFile}.tmp`, `${JSON.stringify(stats, null, 1)}\n`);
  renameSync(`${statsFile}.tmp`, statsFile);
}

function count(client: string, path: string, bytes: number, found: boolean): void {
  const c = (stats.clients[client] ??= { requests: 0, bytes: 0, notFound: 0 });
  c.requests++; c.bytes += bytes; if (!found) c.notFound++;
  const f = (stats.files[path] ??= { requests: 0, bytes: 0 });
  f.requests++; f.bytes += bytes;
  stats.totalBytes += bytes; stats.totalRequests++;
  save();
}

const server = createServer((req, res) => {
  const client = (req.socket.remoteAddress ?? '?').replace(/^::ffff:/, '');
  let path: string;
  try { path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname); } catch { res.writeHead(400).end(); count(client, '(bad request)', 0, false); return; }
  const file = normalize(join(root, path));
  if ((file !== root && !file.startsWith(root + sep)) || (req.method !== 'GET' && req.method !== 'HEAD')) { res.writeHead(403).end(); count(client, path, 0, false); return; }
  let size: number;
  try { const st = statSync(file); if (!st.isFile()) throw new Error('not a file'); size = st.size; } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    count(client, path, 0, false);
    return;
  }
  res.writeHead(200, { 'content-length': size, 'content-type': 'application/octet-stream' });
  if (req.method === 'HEAD') { res.end(); count(client, path, 0, true); return; }
  let sent = 0;
  const s = createReadStream(file);
  s.on('data', (chunk) => { sent += chunk.length; });
  s.on('error', () => res.destroy());
  res.on('close', () => count(client, path, sent, true));
  s.pipe(res);
});

server.listen(port, host, () => { save(); process.stdout.write(`package-server: serving ${root} on http://${host}:${port}/\n`); });
server.on('error', (e) => { process.stderr.write(`package-server: ${e.message}\n`); process.exit(1); });
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => { server.close(); save(); process.exit(0); });
