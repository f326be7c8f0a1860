import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runSynth } from '../support/run';
import { buildOciLayout, describeWithTools, runInNamespaces } from '../support/real-tools';
import { find, readManifestDir, tempDir } from '../support/synth';

function synthInto(config: object): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'config.yaml'), JSON.stringify(config));
  const out = join(dir, 'dist');
  expect(runSynth({ CDK8S_OUTDIR: out, SYNTH_CONFIG: join(dir, 'config.yaml') }).status).toBe(0);
  return out;
}

const describeReal = describeWithTools(['docker-registry', 'skopeo', 'umoci', 'unshare', 'setpriv'], true);

describeReal('registry data on its volume, with the registry run as the Deployment runs it', () => {
  test('a pushed image survives a restart of the registry pod and its garbage collection (same config, env, UID, read-only root)', () => {
    // GIVEN: the registry container exactly as synthesized
    const deployment = find(
      readManifestDir(synthInto({})).flatMap((f) => f.objects),
      'Deployment',
      'internal-registry',
    );
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    expect(container.command).toEqual(['/bin/registry', 'serve', '/etc/docker/registry/config.yml']);
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(container.volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toEqual([
      '/var/lib/registry',
      '/tmp',
    ]);
    const work = tempDir('registry-pod-');
    writeFileSync(
      join(work, 'pod.env'),
      container.env.map((e: { name: string; value: string }) => `${e.name}=${e.value}`).join('\n'),
    );
    // WHEN: with the garbage collection of registry.garbageCollectOnStart between the two pods
    const collecting = find(
      readManifestDir(synthInto({ registry: { garbageCollectOnStart: true } })).flatMap((f) => f.objects),
      'Deployment',
      'internal-registry',
    ).spec.template.spec.initContainers[0];
    expect(collecting.command).toEqual([
      '/bin/registry',
      'garbage-collect',
      '/etc/docker/registry/config.yml',
    ]);
    expect(collecting.env).toEqual(container.env);
    expect(collecting.volumeMounts).toEqual(container.volumeMounts);
    runInNamespaces(
      join(ROOT, 'test', 'real', 'registry-harness.sh'),
      [work, buildOciLayout(), String(pod.securityContext.runAsUser)],
      { GARBAGE_COLLECT: '1' },
    );
    // THEN
    const before = JSON.parse(readFileSync(join(work, 'before.json'), 'utf8'));
    const after = JSON.parse(readFileSync(join(work, 'after.json'), 'utf8'));
    expect(after.Digest).toBe(before.Digest);
    expect(after.Layers).toEqual(before.Layers);
    expect(existsSync(join(work, 'foreign-files'))).toBe(true);
    expect(readFileSync(join(work, 'foreign-files'), 'utf8')).toBe(''); // every file written as runAsUser
    expect(readFileSync(join(work, 'gc.log'), 'utf8')).toMatch(
      /blobs marked, \d+ blobs and \d+ manifests eligible for deletion/,
    );
  });
});
