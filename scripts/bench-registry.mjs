// npm run bench, registry part: the inputs of the README's capacity model, measured on this
// machine. One reader, run with the rendered reader config (read-only, filesystem storage on local
// disk), serves a layer of LAYER_MIB to curl over loopback; its CPU time comes from /proc.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const LAYER_MIB = Number(process.env.BENCH_LAYER_MIB ?? 64);
const PULLS = Number(process.env.BENCH_PULLS ?? 8);
const PARALLEL = 4;
const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100);

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** user + system CPU seconds of a process so far */
const cpuSeconds = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
};

async function startRegistry(configFile, data, port, logFile) {
  // The rendered config as it is; only where it listens and where the data lies change (env).
  const env = {
    PATH: process.env.PATH,
    REGISTRY_HTTP_ADDR: `127.0.0.1:${port}`,
    REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY: data,
  };
  const child = spawn('docker-registry', ['serve', configFile], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (c) => (log += c));
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`http://127.0.0.1:${port}/v2/`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  writeFileSync(logFile, log);
  throw new Error(`docker-registry did not start; see ${logFile}`);
}

const curl = (url) =>
  new Promise((resolve, reject) => {
    const c = spawn('curl', ['-sf', '-o', '/dev/null', '-w', '%{size_download}', url], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.on('close', (code) =>
      code === 0 ? resolve(Number(out)) : reject(new Error(`curl ${url}: exit ${code}`)),
    );
  });

/** Measures one reader; returns the model's inputs. `registryYaml` is the synthesized 0000-registry file. */
export async function benchRegistry(registryYaml, work) {
  if (spawnSync('sh', ['-c', 'command -v docker-registry && command -v curl']).status !== 0) {
    console.log('registry reader: skipped (docker-registry or curl missing; scripts/install-test-deps.sh)');
    return undefined;
  }
  const configMap = parseAllDocuments(registryYaml)
    .map((d) => d.toJS())
    .find((o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('-config'));
  const dir = join(work, 'registry');
  const data = join(dir, 'data');
  mkdirSync(data, { recursive: true });
  for (const role of ['reader', 'writer'])
    writeFileSync(join(dir, `${role}.yml`), configMap.data[`${role}.yml`]);

  const writerPort = await freePort();
  const writer = await startRegistry(join(dir, 'writer.yml'), data, writerPort, join(dir, 'writer.log'));
  const layer = randomBytes(LAYER_MIB * 1024 * 1024);
  const digest = `sha256:${createHash('sha256').update(layer).digest('hex')}`;
  const started = await fetch(`http://127.0.0.1:${writerPort}/v2/bench/blobs/uploads/`, { method: 'POST' });
  const location = new URL(started.headers.get('location'), `http://127.0.0.1:${writerPort}`);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    body: layer,
    headers: { 'content-type': 'application/octet-stream' },
  });
  if (put.status !== 201) throw new Error(`blob upload: ${put.status} ${await put.text()}`);
  writer.kill();

  const readerPort = await freePort();
  const reader = await startRegistry(join(dir, 'reader.yml'), data, readerPort, join(dir, 'reader.log'));
  const url = `http://127.0.0.1:${readerPort}/v2/bench/blobs/${digest}`;
  try {
    await curl(url); // warm the page cache: nodes pull what was just pushed
    const seconds = [];
    const cpuBefore = cpuSeconds(reader.pid);
    for (let i = 0; i < PULLS; i++) {
      const start = process.hrtime.bigint();
      const size = await curl(url);
      if (size !== layer.length) throw new Error(`pulled ${size} bytes, expected ${layer.length}`);
      seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
    }
    const cpuPerPull = (cpuSeconds(reader.pid) - cpuBefore) / PULLS;
    seconds.sort((a, b) => a - b);
    const median = seconds[Math.floor(seconds.length / 2)];
    const mb = layer.length / 1e6;

    const cpuParallel = cpuSeconds(reader.pid);
    const start = process.hrtime.bigint();
    await Promise.all(Array.from({ length: PARALLEL * 2 }, () => curl(url)));
    const wall = Number(process.hrtime.bigint() - start) / 1e9;
    const parallelCpu = cpuSeconds(reader.pid) - cpuParallel;

    const result = {
      layerMB: mb,
      pullSeconds: median,
      mbPerSecond: mb / median,
      cpuSecondsPerPull: cpuPerPull,
      cpuSecondsPerGB: (cpuPerPull / mb) * 1000,
      parallelMBPerSecond: (mb * PARALLEL * 2) / wall,
      parallelCores: parallelCpu / wall,
    };
    console.log(`
registry reader: the capacity model's inputs (docker-registry ${spawnSync('docker-registry', ['--version'], { encoding: 'utf8' }).stdout.trim().split(' ').pop()}, the rendered read-only reader config,
filesystem storage on this machine's disk (page cache warm), curl over loopback; ${PULLS} pulls of one ${LAYER_MIB} MiB layer; 2 cores shared with curl)

one pull, one at a time             median ${(median * 1000).toFixed(0).padStart(6)} ms   ${result.mbPerSecond.toFixed(0).padStart(5)} MB/s
reader CPU per pull                 ${cpuPerPull.toFixed(3)} CPU-s   ${result.cpuSecondsPerGB.toFixed(2)} CPU-s per GB served
${PARALLEL} pulls at once (x2)              ${result.parallelMBPerSecond.toFixed(0).padStart(5)} MB/s in total   reader busy ${result.parallelCores.toFixed(2)} cores`);
    return result;
  } finally {
    reader.kill();
  }
}
