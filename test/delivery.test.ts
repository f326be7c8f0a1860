import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { argoOutputMismatch } from '../lib/delivery/argo-application';
import { renderKustomization } from '../lib/delivery/kustomization';
import { SYNC_WAVE_ANNOTATION } from '../lib/delivery/sync-waves';
import { schemaProblems } from './support/schema';
import { requireTools } from './support/real-tools';
import { ROOT, runEnv, runSynth, SHIPPED_CONFIG } from './support/run';
import {
  allObjects,
  configOf,
  find,
  readManifestDir,
  synthCharts,
  tempDir,
  type Manifest,
} from './support/synth';

const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as Manifest);
const ident = (o: Manifest) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

function stdoutSynth(env: Record<string, string>) {
  return spawnSync(process.execPath, [join(ROOT, 'build', 'main.js'), '--stdout'], {
    cwd: ROOT,
    env: runEnv(env),
    encoding: 'utf8',
  });
}

function synthDir(env: Record<string, string> = {}) {
  const out = join(tempDir(), 'dist');
  expect(runSynth({ CDK8S_OUTDIR: out, ...env }).status).toBe(0);
  return out;
}

describe('Argo CD sync waves', () => {
  test('registry 0, node setup 1, apps 2: the same order as the files', () => {
    const files = readManifestDir(synthDir());
    const waves = files.map((f) => [
      ...new Set(f.objects.map((o) => o.metadata.annotations?.[SYNC_WAVE_ANNOTATION])),
    ]);
    expect(files.map((f) => f.file)).toEqual([
      '0000-registry.k8s.yaml',
      '0001-node-setup.k8s.yaml',
      '0002-app-easy-kanban.k8s.yaml',
    ]);
    expect(waves).toEqual([['0'], ['1'], ['2']]);
  });

  test('can be turned off', () => {
    const objects = allObjects(synthCharts(configOf({ delivery: { syncWaves: false } })));
    expect(objects.filter((o) => o.metadata.annotations?.[SYNC_WAVE_ANNOTATION])).toEqual([]);
  });
});

describe('--stdout (the plugin’s generate)', () => {
  test('prints every manifest as one stream, in apply order, identical in content to dist/', () => {
    const out = synthDir();
    const result = stdoutSynth({});
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      readManifestDir(out)
        .map((f) => f.text)
        .join('---\n'),
    );
  });

  test('prints nothing at all and exits non-zero on any error', () => {
    const config = join(tempDir(), 'bad.yaml');
    writeFileSync(config, 'apps: []\n');
    const result = stdoutSynth({ SYNTH_CONFIG: config });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('apps: is empty');
  });

  test('ARGOCD_ENV_<NAME> and PARAM_<NAME> reach the same overrides, PARAM_ first', () => {
    const plain = stdoutSynth({ REGISTRY_CLUSTER_IP: '192.0.2.10' }).stdout;
    expect(stdoutSynth({ ARGOCD_ENV_REGISTRY_CLUSTER_IP: '192.0.2.10' }).stdout).toBe(plain);
    expect(
      stdoutSynth({ PARAM_REGISTRY_CLUSTER_IP: '192.0.2.10', ARGOCD_ENV_REGISTRY_CLUSTER_IP: '192.0.2.99' })
        .stdout,
    ).toBe(plain);
    const bad = stdoutSynth({ ARGOCD_ENV_REGISTRY_CLUSTER_IP: 'x' });
    expect(bad.stderr).toContain('registry.clusterIP (from ARGOCD_ENV_REGISTRY_CLUSTER_IP)');
  });

  test('the Config Management Plugin runs exactly that: its generate command, in the repo, prints the stream', () => {
    // GIVEN
    const plugin = parse(readFileSync(join(ROOT, 'argocd', 'plugin.yaml'), 'utf8'));
    expect(plugin).toMatchObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ConfigManagementPlugin' });
    expect(plugin.spec.discover.fileName).toBe('cdk8s.yaml');
    const [command, ...args] = plugin.spec.generate.command as string[];
    // WHEN: as the sidecar runs it, with an Application's plugin env
    const result = spawnSync(command, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ARGOCD_ENV_REGISTRY_CLUSTER_IP: '192.0.2.10' },
      encoding: 'utf8',
    });
    // THEN
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      stdoutSynth({ SYNTH_CONFIG: SHIPPED_CONFIG, REGISTRY_CLUSTER_IP: '192.0.2.10' }).stdout,
    );
  });
});

describe('kustomize', () => {
  test('synth writes a kustomization beside dist/ that lists every file, and kubectl kustomize renders the same objects', () => {
    // GIVEN
    const out = synthDir();
    const kustomization = parse(readFileSync(join(out, '..', 'kustomization.yaml'), 'utf8'));
    expect(kustomization.resources).toEqual(readManifestDir(out).map((f) => `dist/${f.file}`));
    // WHEN
    requireTools('kubectl');
    const rendered = spawnSync('kubectl', ['kustomize', join(out, '..')], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: tempDir() },
    });
    // THEN
    expect(rendered.stderr).toBe('');
    const fromKustomize = docs(rendered.stdout).map(ident).sort();
    const fromDist = readManifestDir(out)
      .flatMap((f) => f.objects)
      .map(ident)
      .sort();
    expect(fromKustomize).toEqual(fromDist);
  });

  test('the committed kustomization.yaml lists the committed dist/', () => {
    expect(readFileSync(join(ROOT, 'kustomization.yaml'), 'utf8')).toBe(
      renderKustomization(
        'dist',
        readManifestDir(join(ROOT, 'dist')).map((f) => f.file),
      ),
    );
  });
});

describe('registry advertisement (KEP-1755)', () => {
  test('local-registry-hosting in kube-public names the push host, the node host and the service host', () => {
    const configMap = find(allObjects(synthCharts(configOf())), 'ConfigMap', 'local-registry-hosting');
    expect(configMap.metadata.namespace).toBe('kube-public');
    expect(parse(configMap.data['localRegistryHosting.v1'])).toEqual({
      host: 'localhost:5000',
      hostFromContainerRuntime: '10.110.240.233:5000',
      hostFromClusterNetwork: 'internal-registry.kube-system.svc.cluster.local:5000',
      help: expect.stringMatching(/^https:\/\//),
    });
  });

  test('can be turned off', () => {
    const objects = allObjects(synthCharts(configOf({ delivery: { advertise: { enabled: false } } })));
    expect(objects.some((o) => o.metadata.name === 'local-registry-hosting')).toBe(false);
  });
});

describe('optional objects, off by default', () => {
  const everything = configOf({
    delivery: {
      smokeTest: { enabled: true },
      argoApplication: { enabled: true, repoURL: 'https://git.example.com/platform/registry.git' },
    },
  });
  const charts = synthCharts(everything);

  test('none by default', () => {
    expect([...synthCharts(configOf()).keys()]).not.toContain('delivery');
  });

  test('the smoke-test Job fetches /v2/ by service name, fails loudly, and is an Argo CD PostSync hook', () => {
    const job = find(charts.get('delivery')!, 'Job', 'internal-registry-smoke-test');
    const container = job.spec.template.spec.containers[0];
    expect(container.command.join(' ')).toContain(
      'wget -q -T 10 -O- http://internal-registry.kube-system.svc.cluster.local:5000/v2/',
    );
    expect(container.command.join(' ')).toContain('exit 1');
    expect(job.metadata.annotations['argocd.argoproj.io/hook']).toBe('PostSync');
    expect(schemaProblems(job)).toEqual([]);
  });

  test('the Argo CD Application takes the committed output folder as a plain directory by default', () => {
    const application = find(charts.get('delivery')!, 'Application', 'internal-registry');
    expect(application).toMatchObject({
      apiVersion: 'argoproj.io/v1alpha1',
      metadata: { namespace: 'argocd' },
      spec: {
        source: {
          repoURL: 'https://git.example.com/platform/registry.git',
          path: 'dist',
          targetRevision: 'HEAD',
          directory: { recurse: false },
        },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'kube-system' },
      },
    });
    expect(application.spec.source.plugin).toBeUndefined();
  });

  test.each([
    ['.', 'dist'],
    ['deploy/registry', 'deploy/registry/dist'],
    ['./deploy/', 'deploy/dist'],
  ])('the directory source of a project at %s is %s', (path, expected) => {
    const config = configOf({
      delivery: { argoApplication: { enabled: true, repoURL: 'https://git.example.com/r.git', path } },
    });
    const application = find(synthCharts(config).get('delivery')!, 'Application', 'internal-registry');
    expect(application.spec.source.path).toBe(expected);
  });

  test('source: plugin renders the project at sync through the plugin, named as Argo CD registers it', () => {
    const config = configOf({
      delivery: {
        argoApplication: { enabled: true, source: 'plugin', repoURL: 'https://git.example.com/r.git' },
      },
    });
    const application = find(synthCharts(config).get('delivery')!, 'Application', 'internal-registry');
    const plugin = parse(readFileSync(join(ROOT, 'argocd', 'plugin.yaml'), 'utf8'));
    expect(application.spec.source).toEqual({
      repoURL: 'https://git.example.com/r.git',
      targetRevision: 'HEAD',
      path: '.',
      plugin: { name: `${plugin.metadata.name}-${plugin.spec.version}` },
    });
    // the plugin is found through its discovery file in that path
    expect(plugin.spec.discover.fileName).toBe('cdk8s.yaml');
  });

  test.each([
    [{ source: 'helm' }, "delivery.argoApplication.source: 'helm' is not one of directory, plugin"],
    [
      { path: '/srv/registry' },
      "delivery.argoApplication.path: '/srv/registry' is not a folder inside the repository",
    ],
    [{ path: '../other' }, "delivery.argoApplication.path: '../other' is not a folder inside the repository"],
    [
      { path: 'a/../../b' },
      "delivery.argoApplication.path: 'a/../../b' is not a folder inside the repository",
    ],
    [{ path: 'two words' }, "delivery.argoApplication.path: 'two words' is empty or has spaces"],
    [{ path: '' }, "delivery.argoApplication.path: '' is empty or has spaces"],
  ])('refuses %j', (argo, message) => {
    expect(() =>
      configOf({
        delivery: { argoApplication: { enabled: true, repoURL: 'https://git.example.com/r.git', ...argo } },
      }),
    ).toThrow(message);
  });

  test('an Application without a repoURL is a config error', () => {
    expect(() => configOf({ delivery: { argoApplication: { enabled: true } } })).toThrow(
      'delivery.argoApplication.repoURL: is required when delivery.argoApplication.enabled is true',
    );
  });
});

describe('the output folder is the one Argo CD reads (found in review, issue 11)', () => {
  const argo = (extra: Record<string, unknown> = {}) =>
    configOf({
      delivery: { argoApplication: { enabled: true, repoURL: 'https://git.example.com/r.git', ...extra } },
    }).delivery.argoApplication;

  test.each([
    ['.', 'dist', 'the Application'],
    ['deploy/registry', 'dist', 'the Application'],
    ['deploy/registry', 'deploy/registry/dist', 'the ApplicationSet'],
    ['examples/two-clusters', 'examples/two-clusters/dist', 'the ApplicationSet'],
  ])('path %s and output %s agree', (path, output, reader) => {
    expect(argoOutputMismatch(argo({ path }), output, reader)).toEqual({});
  });

  test.each([
    ['.', 'out'],
    ['.', 'build/dist'],
    ['.', '.'],
    ['deploy', 'dist2'],
    ['deploy', 'other/dist'],
    ['deploy/registry', 'registry'],
  ])('path %s with output %s is refused, naming both folders and the fix', (path, output) => {
    const { refuse, warn } = argoOutputMismatch(argo({ path }), output, 'the Application');
    expect(warn).toBeUndefined();
    expect(refuse).toContain(
      `delivery.argoApplication.path: the Application reads ${path === '.' ? '' : `${path}/`}dist/`,
    );
    expect(refuse).toContain(`but synth writes ${output}/ (CDK8S_OUTDIR)`);
    expect(refuse).toContain('leave CDK8S_OUTDIR unset');
  });

  test.each(['../preview/dist', '/tmp/preview', '..'])(
    'an output outside the project (%s) is a preview: a warning',
    (output) => {
      expect(argoOutputMismatch(argo(), output, 'the ApplicationSet')).toEqual({
        warn: `the ApplicationSet reads dist/ of the repository, not ${output}: this output is a preview`,
      });
    },
  );

  test('nothing is read when Argo CD is off, or a single Application renders through the plugin', () => {
    expect(argoOutputMismatch(configOf({}).delivery.argoApplication, 'out', 'the Application')).toEqual({});
    expect(argoOutputMismatch(argo({ source: 'plugin' }), 'out', undefined)).toEqual({});
  });

  test('the built CLI refuses CDK8S_OUTDIR=<project>/out with exit 2 and creates nothing; a folder outside warns', () => {
    const config = join(tempDir(), 'argo.yaml');
    writeFileSync(
      config,
      'delivery:\n  argoApplication:\n    enabled: true\n    repoURL: https://git.example.com/r.git\n',
    );
    const inside = join(ROOT, `.argo-output-test-${process.pid}`);
    const refused = runSynth({ SYNTH_CONFIG: config, CDK8S_OUTDIR: inside });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`but synth writes .argo-output-test-${process.pid}/ (CDK8S_OUTDIR)`);
    expect(existsSync(inside)).toBe(false);
    const preview = runSynth({ SYNTH_CONFIG: config, CDK8S_OUTDIR: join(tempDir(), 'dist') });
    expect(preview.status).toBe(0);
    expect(preview.stderr).toContain('warning: the Application reads dist/ of the repository, not ');
  });
});
