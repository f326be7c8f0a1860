import { parse } from 'yaml';
import { judgeClusterEntries, refuseUnselectedOverrides, type ClusterEntry } from '../lib/config/clusters';
import { layerConfig } from '../lib/config/layer';
import { applicationSetOf, renderApplicationSet } from '../lib/delivery/application-set';
import { exitCodeOf } from '../lib/cli/cli-errors';
import { inCluster } from '../lib/output/cluster-output';
import { configOf } from './support/synth';

// Issue 11 item 2: the pure decisions of many clusters (which files are clusters, how a cluster file
// layers over the shared config, the ApplicationSet). The built CLI is tested in clusters-cli.test.ts.

describe('layerConfig: a cluster file over the shared config', () => {
  test('merges mappings key by key, at every depth', () => {
    // GIVEN
    const shared = { registry: { port: 5000, storage: { type: 'hostPath', size: '10Gi' } } };
    const cluster = { registry: { clusterIP: '10.100.0.50', storage: { size: '50Gi' } } };
    // WHEN
    const { data, issues } = layerConfig(shared, cluster);
    // THEN
    expect(issues).toEqual([]);
    expect(data).toEqual({
      registry: { port: 5000, clusterIP: '10.100.0.50', storage: { type: 'hostPath', size: '50Gi' } },
    });
  });

  test('replaces a list whole (a cluster with other apps writes the whole list)', () => {
    const shared = { apps: [{ name: 'a' }, { name: 'b' }], registry: { aliases: ['x', 'y'] } };
    const { data } = layerConfig(shared, { apps: [{ name: 'c' }], registry: { aliases: [] } });
    expect(data).toEqual({ apps: [{ name: 'c' }], registry: { aliases: [] } });
  });

  test('replaces a scalar, also with another type (the validator then names the field)', () => {
    const { data } = layerConfig({ registry: { port: 5000 } }, { registry: { port: 'x' } });
    expect(data).toEqual({ registry: { port: 'x' } });
  });

  test('an empty value resets a scalar to the built-in default', () => {
    const { data, issues } = layerConfig(
      { registry: { serviceCIDR: '10.96.0.0/12' } },
      { registry: { serviceCIDR: null } },
    );
    expect(issues).toEqual([]);
    expect(configOf(data).registry.serviceCIDR).toBeUndefined();
  });

  test('refuses an empty value over a shared mapping, naming the field', () => {
    const { issues } = layerConfig({ registry: { port: 5000 } }, { registry: null });
    expect(issues).toEqual([expect.objectContaining({ path: 'registry' })]);
    expect(issues[0].message).toMatch(/^registry: is empty.*give its keys, or remove the line/);
  });

  test('a key named __proto__ stays a key and changes no prototype', () => {
    const cluster = JSON.parse('{"__proto__": {"polluted": true}, "registry": {"port": 1}}') as Record<
      string,
      unknown
    >;
    const { data } = layerConfig({}, cluster);
    expect(Object.keys(data)).toEqual(['__proto__', 'registry']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
  });

  test('leaves both inputs as they were', () => {
    const shared = { registry: { storage: { size: '1Gi' } } };
    const cluster = { registry: { storage: { size: '2Gi' } } };
    layerConfig(shared, cluster);
    expect(shared).toEqual({ registry: { storage: { size: '1Gi' } } });
  });
});

describe('judgeClusterEntries: which entries of clusters/ are clusters', () => {
  const file = (name: string): ClusterEntry => ({ name, type: 'file' });

  test('takes <name>.yaml files as clusters, sorted, and ignores notes in *.md', () => {
    const { names, issues } = judgeClusterEntries(
      [file('west.yaml'), file('README.md'), file('east.yaml'), file('notes.MD')],
      'config/clusters',
    );
    expect(issues).toEqual([]);
    expect(names).toEqual(['east', 'west']);
  });

  const refused: Array<[string, ClusterEntry, RegExp]> = [
    ['a .yml file', file('east.yml'), /east\.yml' ends in \.yml; rename it to east\.yaml/],
    [
      'an upper-case name',
      file('East.yaml'),
      /East\.yaml' is not named <cluster>\.yaml with a DNS-1123 label/,
    ],
    ['a name with a dot', file('east.prod.yaml'), /east\.prod\.yaml' is not named <cluster>\.yaml/],
    ['a name with an underscore', file('east_1.yaml'), /is not named <cluster>\.yaml/],
    ['a name ending in -', file('east-.yaml'), /is not named <cluster>\.yaml/],
    ['a 64-character name', file(`${'a'.repeat(64)}.yaml`), /is not named <cluster>\.yaml/],
    ['an empty name', file('.yaml'), /'config\/clusters\/\.yaml' is not named/],
    ['a hidden file', file('.east.yaml.swp'), /is not a cluster config.*move it out/],
    ['a JSON file', file('east.json'), /east\.json' is not a cluster config/],
    ['a file without an ending', file('east'), /is not a cluster config/],
    [
      'a subfolder',
      { name: 'east', type: 'folder' },
      /'config\/clusters\/east' is a folder; .*nothing nests/,
    ],
    ['a symbolic link', { name: 'east.yaml', type: 'symlink' }, /east\.yaml' is a symbolic link; copy/],
    ['a FIFO or device', { name: 'east.yaml', type: 'other' }, /east\.yaml' is not a regular file/],
    ['a name with a newline, escaped', file('a\nb.yaml'), /'config\/clusters\/a\\nb\.yaml' is not named/],
  ];
  test.each(refused)('refuses %s, naming the path and the fix', (_name, entry, message) => {
    const { names, issues } = judgeClusterEntries([file('good.yaml'), entry], 'config/clusters');
    expect(names).toEqual(['good']);
    expect(issues).toHaveLength(1);
    expect(issues[0].message).toMatch(message);
  });

  test('refuses a folder with no cluster config', () => {
    const { issues } = judgeClusterEntries([file('README.md')], 'config/clusters');
    expect(issues[0].message).toMatch(/'config\/clusters' holds no cluster config; add <cluster>\.yaml/);
  });

  test('reports every bad entry at once', () => {
    const { issues } = judgeClusterEntries([file('a.yml'), file('B.yaml'), file('c.txt')], 'c');
    expect(issues.map((i) => i.path)).toEqual(['c/B.yaml', 'c/a.yml', 'c/c.txt']);
  });
});

describe('refuseUnselectedOverrides', () => {
  test('refuses each override variable when no cluster is selected, naming it and the fix', () => {
    const issues = refuseUnselectedOverrides(
      ['REGISTRY_CLUSTER_IP', 'PARAM_KUBE_CONTEXT'],
      'config/clusters',
      undefined,
    );
    expect(issues.map((i) => i.path)).toEqual(['REGISTRY_CLUSTER_IP', 'PARAM_KUBE_CONTEXT']);
    expect(issues[0].message).toMatch(
      /REGISTRY_CLUSTER_IP would apply to every cluster of config\/clusters; set the field in config\/clusters\/<cluster>\.yaml, or select one cluster with SYNTH_CLUSTER/,
    );
  });

  test('lets them apply to a selected cluster', () => {
    expect(refuseUnselectedOverrides(['REGISTRY_CLUSTER_IP'], 'c', 'east')).toEqual([]);
  });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests are read as loosely typed YAML
type Loose = Record<string, any>;

describe('the ApplicationSet (an emulation of Argo CD’s git directory generator contract)', () => {
  const argo = { enabled: true, repoURL: 'https://git.example.com/r.git', path: 'deploy' };
  const cluster = (name: string, raw: object = {}) => ({
    name,
    config: configOf({ ...raw, delivery: { argoApplication: argo } }),
  });

  /**
   * What Argo CD does with it (docs: operator-manual/applicationset/Generators-Git.md, directories;
   * GoTemplate.md): one parameter set per folder matching `directories[].path` (a glob; files never
   * match), with `path.path` and `path.basename`, substituted into the template.
   */
  function emulate(appSet: Loose, repoFolders: string[]): Array<Loose> {
    const glob = appSet.spec.generators[0].git.directories[0].path as string;
    const pattern = new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace('*', '[^/]+')}$`);
    return repoFolders
      .filter((folder) => pattern.test(folder))
      .map((folder) => {
        const params: Record<string, string> = {
          '.path.path': folder,
          '.path.basename': folder.split('/').pop()!,
        };
        const text = JSON.stringify(appSet.spec.template).replace(/\{\{([^}]+)\}\}/g, (_m, key: string) => {
          if (!(key in params)) throw new Error(`missingkey=error: ${key}`);
          return params[key];
        });
        return JSON.parse(text) as Loose;
      });
  }

  test('makes one Application per cluster folder of dist/, syncing that folder into the Argo CD cluster of its name', () => {
    // GIVEN
    const text = applicationSetOf([cluster('east'), cluster('west')], 'deploy/config/clusters')!;
    const appSet = parse(text);
    // WHEN: the repository holds the two cluster folders, the ApplicationSet's file and unrelated folders
    const apps = emulate(appSet, [
      'deploy/dist/east',
      'deploy/dist/west',
      'deploy/config',
      'dist/x',
      'deploy/dist/east/manifests',
    ]);
    // THEN
    expect(appSet).toMatchObject({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: 'internal-registry', namespace: 'argocd' },
      spec: { goTemplate: true, goTemplateOptions: ['missingkey=error'] },
    });
    // Removing a cluster's file must not make Argo CD delete its registry and the volume of images.
    expect(appSet.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true });
    expect(appSet.spec.generators[0].git).toEqual({
      repoURL: 'https://git.example.com/r.git',
      revision: 'HEAD',
      directories: [{ path: 'deploy/dist/*' }],
    });
    expect(apps).toEqual(
      ['east', 'west'].map((name) => ({
        metadata: { name: `internal-registry-${name}` },
        spec: {
          project: 'default',
          source: {
            repoURL: 'https://git.example.com/r.git',
            targetRevision: 'HEAD',
            path: `deploy/dist/${name}`,
          },
          destination: { name, namespace: 'kube-system' },
          syncPolicy: { automated: { prune: true, selfHeal: true } },
        },
      })),
    );
  });

  test('with source plugin, each Application renders its cluster at sync, selected by SYNTH_CLUSTER', () => {
    const appSet = parse(
      renderApplicationSet(
        configOf({ delivery: { argoApplication: { ...argo, source: 'plugin' } } }).delivery.argoApplication,
        'kube-system',
      ),
    );
    const [east] = emulate(appSet, ['deploy/dist/east']);
    expect(east.spec.source).toEqual({
      repoURL: 'https://git.example.com/r.git',
      targetRevision: 'HEAD',
      path: 'deploy',
      plugin: { name: 'internal-registry-cdk8s-v1.0', env: [{ name: 'SYNTH_CLUSTER', value: 'east' }] },
    });
  });

  test('is not made unless delivery.argoApplication.enabled', () => {
    expect(applicationSetOf([{ name: 'east', config: configOf({}) }], 'c')).toBeUndefined();
  });

  test('refuses clusters whose registry.namespace differs (one destination namespace for all)', () => {
    expect(() =>
      applicationSetOf(
        [cluster('east'), cluster('west', { registry: { namespace: 'registry' } })],
        'config/clusters',
      ),
    ).toThrow(/registry\.namespace: differs between clusters \(east: kube-system, west: registry\)/);
  });
});

describe('inCluster: a failure while one cluster is synthesized', () => {
  test('names the cluster’s config first and keeps the error’s class and exit code', () => {
    // GIVEN: a synth refusal (exit 2) from deep inside synth
    class Refusal extends Error {
      public readonly failure = 'config';
    }
    // WHEN
    let caught: unknown;
    try {
      inCluster('config/clusters/east.yaml over config/default.yaml', () => {
        throw new Refusal('two objects Service kube-system/internal-registry');
      });
    } catch (error) {
      caught = error;
    }
    // THEN
    expect(caught).toBeInstanceOf(Refusal);
    expect((caught as Error).message).toBe(
      'config/clusters/east.yaml over config/default.yaml: two objects Service kube-system/internal-registry',
    );
    expect(exitCodeOf(caught)).toBe(2);
  });

  test('returns what the work returns', () => {
    expect(inCluster('x', () => 42)).toBe(42);
  });
});
