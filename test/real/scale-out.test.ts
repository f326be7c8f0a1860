import { randomBytes } from 'node:crypto';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ROOT } from '../support/run';
import { buildOciLayout, describeWithTools, runInNamespaces } from '../support/real-tools';
import { synthObjects, writeContainers } from '../support/registry-pods';
import { find, tempDir } from '../support/synth';

const describeReal = describeWithTools(
  [
    'docker-registry',
    'skopeo',
    'umoci',
    'unshare',
    'setpriv',
    'ip',
    'curl',
    'swift-proxy-server',
    'memcached',
  ],
  true,
);

const READERS = 3;
const S3_CHUNK = 10 * 1024 * 1024; // the S3 driver's default multipart chunk size (distribution 2.8)
const CONFIG = {
  registry: {
    replicas: READERS,
    garbageCollectOnStart: true,
    storage: {
      type: 's3',
      s3: {
        endpoint: 'http://198.51.100.10:8080',
        bucket: 'registry',
        region: 'us-east-1',
        credentialsSecret: 'registry-s3',
      },
    },
  },
};
// The Secret the user creates (README): Swift's tempauth user, as its S3 credentials.
const SECRETS = { 'registry-s3': { accessKey: 'test:tester', secretKey: 'testing' } };

describeReal('scale-out registry on OpenStack Swift’s S3 API, run as rendered', () => {
  const work = tempDir('scale-out-');
  const out = (name: string) => readFileSync(join(work, 'out', name), 'utf8').trim();
  const readers = Array.from({ length: READERS }, (_, i) => `reader${i + 1}`);
  let started = 0;
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  beforeAll(() => {
    // GIVEN: the containers of the rendered reader and writer Deployments
    const objects = synthObjects(CONFIG);
    const uid = writeContainers(work, objects, 'internal-registry', SECRETS);
    expect(writeContainers(work, objects, 'internal-registry-writer', SECRETS)).toBe(uid);
    // For comparison only: a reader that keeps blob descriptors in memory.
    cpSync(join(work, 'containers', 'registry'), join(work, 'containers', 'reader-cached'), {
      recursive: true,
    });
    const cached = parse(readFileSync(join(work, 'containers', 'registry', 'config.yml'), 'utf8'));
    cached.storage.cache = { blobdescriptor: 'inmemory' };
    writeFileSync(join(work, 'containers', 'reader-cached', 'config.yml'), stringify(cached));
    expect(find(objects, 'Deployment', 'internal-registry').spec.replicas).toBe(READERS);
    // WHEN
    started = Date.now();
    runInNamespaces(
      join(ROOT, 'test', 'real', 'scale-out-harness.sh'),
      [
        work,
        buildOciLayout(),
        buildOciLayout(randomBytes(2.5 * S3_CHUNK)),
        buildOciLayout('old\n'),
        String(uid),
        String(READERS),
      ],
      {},
      600000,
    );
    const [bytes, nanos, ticks, hz] = out('s3-pull').split(' ').map(Number);
    process.stdout.write(
      `scale-out harness: ${(Date.now() - started) / 1000} s, Swift listening after ${out('swift-start-seconds')} s; ` +
        `a reader streaming from Swift's S3 API: ${(bytes / (nanos / 1e9) / 1e6).toFixed(0)} MB/s, ` +
        `${(ticks / hz / (bytes / 1e9)).toFixed(2)} reader CPU-s per GB\n`,
    );
  }, 660000);

  test('an image pushed through the writer pulls through every reader with the same digest', () => {
    expect(out('writer-digest')).toMatch(/^sha256:[0-9a-f]{64}$/);
    for (const r of readers) expect(out(`digest-${r}`)).toBe(out('writer-digest'));
  });

  test('a layer bigger than one multipart chunk goes up in parts and comes back whole from every reader', () => {
    expect(Number(out('big-parts'))).toBeGreaterThanOrEqual(2);
    for (const r of readers) expect(out(`big-digest-${r}`)).toBe(out('big-writer-digest'));
  });

  test('a push to a reader (the Service’s target) is refused, and nothing of it is stored', () => {
    expect(Number(out('push-to-reader-rc'))).not.toBe(0);
    expect(out('push-to-reader-stderr')).toMatch(/405|[Mm]ethod not allowed|unsupported/);
    expect(out('post-to-reader-status')).toBe('405');
    expect(out('evil-on-writer-status')).toBe('404');
  });

  test('the writer answers on its own pod’s 127.0.0.1 only', () => {
    expect(out('writer-from-own-pod')).toBe('200');
    expect(out('writer-from-outside')).toBe('000');
    expect(out('writer-from-reader-pod')).toBe('000');
  });

  test('with the S3 server down pulls and pushes fail clearly, then work again with no registry restart', () => {
    expect(out('outage-manifest-status')).toBe('500');
    expect(Number(out('outage-push-rc'))).not.toBe(0);
    expect(out('outage-push-stderr')).toMatch(/500|[Ii]nternal|unknown/);
    expect(Number(out('recovery-seconds'))).toBeLessThanOrEqual(60);
    for (const r of readers) expect(out(`after-outage-digest-${r}`)).toBe(out('writer-digest'));
    expect(out('pids-unchanged')).toBe('yes');
  });

  test('garbage collection deletes an unreferenced layer, and no reader serves it truncated', () => {
    expect(out('delete-status')).toBe('202');
    expect(out('gc-log')).toMatch(/blob eligible for deletion: .*sha256:/);
    for (const r of readers) {
      expect(out(`before-gc-${r}`)).toMatch(/^200 [1-9]\d*$/);
      expect(out(`after-gc-${r}`).split(' ')[0]).toBe('404');
      expect(out(`after-gc-kept-${r}`)).toBe(out('writer-digest'));
    }
    // Why the readers run without the in-memory cache: a cached reader answers 200 and no bytes.
    expect(out('after-gc-cached')).toBe('200 0');
  });
});
