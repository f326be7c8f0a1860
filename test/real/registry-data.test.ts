import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/run';
import { buildOciLayout, describeWithTools, runInNamespaces } from '../support/real-tools';
import { synthObjects, writeContainers, type Secrets } from '../support/registry-pods';
import { find, tempDir } from '../support/synth';

const describeReal = describeWithTools(
  ['docker-registry', 'skopeo', 'umoci', 'unshare', 'setpriv', 'ip', 'curl', 'htpasswd'],
  true,
);

/** Runs registry-harness.sh on the pod of the rendered Deployment; returns its containers' names. */
function runRenderedPod(work: string, config: object, secrets: Secrets, env: Record<string, string>) {
  const objects = synthObjects(config);
  const pod = find(objects, 'Deployment', 'internal-registry').spec.template.spec;
  const uid = writeContainers(work, objects, 'internal-registry', secrets);
  runInNamespaces(
    join(ROOT, 'test', 'real', 'registry-harness.sh'),
    [work, buildOciLayout(), String(uid)],
    env,
  );
  return [...(pod.initContainers ?? []), ...pod.containers].map((c: { name: string }) => c.name);
}

describeReal(
  'the default registry pod on its volume, run as rendered (config, env, UID, read-only root)',
  () => {
    const work = tempDir('registry-pod-');
    const out = (name: string) => readFileSync(join(work, 'out', name), 'utf8').trim();
    afterAll(() => rmSync(work, { recursive: true, force: true }));

    beforeAll(() => {
      // GIVEN: the default pod's containers, with the garbage collection of garbageCollectOnStart
      // WHEN
      const names = runRenderedPod(
        work,
        { registry: { garbageCollectOnStart: true } },
        {},
        { GARBAGE_COLLECT: '1' },
      );
      expect(names).toEqual(['garbage-collect', 'registry', 'writer']);
    }, 240000);

    test('an image pushed through the writer is served by the reader, the Service’s target', () => {
      const before = JSON.parse(out('before.json'));
      expect(before.Digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(before.Layers).toHaveLength(1);
    });

    test('a push to the Service’s target is refused, and nothing of it is stored', () => {
      expect(Number(out('push-to-reader-rc'))).not.toBe(0);
      expect(out('push-to-reader-stderr')).toMatch(/405|[Mm]ethod not allowed|unsupported/);
      expect(out('post-to-reader-status')).toBe('405');
      expect(out('repositories')).toBe('easy-kanban');
    });

    test('the writer cannot be reached from outside its pod', () => {
      expect(out('writer-from-outside')).toBe('000');
    });

    test('the image survives a restart of the pod and its garbage collection, every file written as runAsUser', () => {
      const before = JSON.parse(out('before.json'));
      const after = JSON.parse(out('after.json'));
      expect(after.Digest).toBe(before.Digest);
      expect(after.Layers).toEqual(before.Layers);
      expect(out('foreign-files')).toBe('');
      expect(out('gc.log')).toMatch(/blobs marked, \d+ blobs and \d+ manifests eligible for deletion/);
    });
  },
);

describeReal('the builders’ push path on the same pod, with htpasswd credentials from a Secret', () => {
  const work = tempDir('registry-builder-');
  const out = (name: string) => readFileSync(join(work, 'out', name), 'utf8').trim();
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  beforeAll(() => {
    // GIVEN: registry.builderPush, and the Secret the README tells the user to create
    const htpasswd = execFileSync('htpasswd', ['-Bbn', 'builder', 's3cret'], { encoding: 'utf8' });
    // WHEN
    const names = runRenderedPod(
      work,
      { registry: { builderPush: { namespaces: ['ci'], htpasswdSecret: 'builders' } } },
      { builders: { htpasswd } },
      { BUILDER_CREDS: 'builder:s3cret' },
    );
    expect(names).toEqual(['registry', 'writer', 'builder']);
  }, 240000);

  test('asks for credentials, refuses none and wrong ones, and takes the right ones', () => {
    expect(out('builder-anonymous-status')).toBe('401');
    expect(Number(out('builder-anonymous-rc'))).not.toBe(0);
    expect(out('builder-anonymous-stderr')).toMatch(/authentication required|unauthorized|401/i);
    expect(Number(out('builder-wrong-rc'))).not.toBe(0);
    expect(out('builder-wrong-stderr')).toMatch(/authentication required|unauthorized|401/i);
    expect(out('builder-right-rc')).toBe('0');
  });

  test('what a builder pushed, every node pulls through the reader', () => {
    expect(out('builder-pulled-digest')).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  test('the pull address still refuses pushes', () => {
    expect(out('post-to-reader-status')).toBe('405');
  });
});
