import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { configSchema } from '../lib/config/schema/config';
import { defaultOf } from '../lib/config/schema/default-of';
import type { Node } from '../lib/config/schema/nodes';
import {
  DEFAULT_APPS,
  DELIVERY_DEFAULTS,
  DISCOVERY_DEFAULTS,
  NODE_SETUP_DEFAULTS,
  REGISTRY_DEFAULTS,
} from '../lib/config/defaults';
import { loadConfig, validateWithOverrides } from '../lib/config/load';
import { validateConfig } from '../lib/config/validate';
import type { ConfigError } from '../lib/config/errors';
import { projectRoot } from '../lib/cli/project-root';
import { tempDir } from './support/synth';
import { problemsOf } from './support/config-problems';

const root = projectRoot();

/** The messages of the issues a config has. */

describe('defaults', () => {
  test('are the DEFAULTS of lib/config/defaults.ts: an empty config takes every one', () => {
    expect(validateConfig({}).config).toEqual({
      registry: REGISTRY_DEFAULTS,
      discovery: DISCOVERY_DEFAULTS,
      delivery: DELIVERY_DEFAULTS,
      nodeSetup: NODE_SETUP_DEFAULTS,
      apps: DEFAULT_APPS,
    });
  });

  test('are the ones the README’s table of keys gives', () => {
    // GIVEN each row of README.md's "Keys" whose default is one literal, such as `5000` or `[]`
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('### Keys'), readme.indexOf('## Registry address'));
    const rows = [...table.matchAll(/^\| `([\w.[\]]+)` +\| `([^`|]+)` +\|/gm)];
    const nodeAt = (path: string) =>
      path.split(/\.|(?=\[\])/).reduce<Node>((node, key) => {
        if (node.kind === 'list' && key === '[]') return node.item;
        if (node.kind === 'custom' && node.shape?.kind === 'object') return node.shape.fields[key];
        if (node.kind === 'object') return node.fields[key];
        throw new Error(`README names ${path}, which the config does not have`);
      }, configSchema);
    const valueAt = (path: string) => defaultOf(nodeAt(path));
    // THEN the built-in default is that literal (as YAML reads it)
    const stated = rows.map(([, path, literal]) => [path, parse(literal)]);
    expect(stated.map(([path]) => [path, valueAt(path)])).toEqual(stated);
    expect(rows.length).toBeGreaterThan(20);
    // and every key the table names is a key of the config
    for (const [, path] of table.matchAll(/^\| `([\w.[\]]+)` +\|/gm))
      expect(() => nodeAt(path)).not.toThrow();
  });

  test('config/default.yaml, the user’s file, is a valid config', () => {
    // Only that it loads: its values are the user's to change (issue 11), and dist/ follows them.
    expect(() => loadConfig({}, root)).not.toThrow();
  });

  test('are the seed system', () => {
    const config = validateWithOverrides({}, {}).config;
    expect(config.registry).toMatchObject({
      name: 'internal-registry',
      namespace: 'kube-system',
      port: 5000,
      clusterIP: '10.110.240.233',
    });
    expect(config.apps).toEqual([
      expect.objectContaining({
        name: 'easy-kanban',
        namespace: 'easy-kanban',
        image: 'easy-kanban',
        tag: 'latest',
      }),
    ]);
  });

  test('an app namespace and image default to its name', () => {
    const config = validateConfig({ apps: [{ name: 'board' }] }).config!;
    expect(config.apps[0]).toMatchObject({ name: 'board', namespace: 'board', image: 'board' });
  });
});

describe('environment overrides', () => {
  test('REGISTRY_CLUSTER_IP wins over the file', () => {
    const { config } = validateWithOverrides(
      { registry: { clusterIP: '10.0.0.9' } },
      { REGISTRY_CLUSTER_IP: '192.0.2.10' },
    );
    expect(config.registry.clusterIP).toBe('192.0.2.10');
  });

  test('an error in an overridden field names the variable', () => {
    expect(problemsOf({}, { REGISTRY_CLUSTER_IP: '192.0.2' })).toEqual([
      "registry.clusterIP (from REGISTRY_CLUSTER_IP): '192.0.2' is not an IPv4 or IPv6 address; write a literal such as 10.110.240.233 or fd00::10",
    ]);
  });

  test('REGISTRY_PORT and REGISTRY_SERVICE_CIDR override their fields', () => {
    const { config } = validateWithOverrides(
      {},
      { REGISTRY_PORT: '5001', REGISTRY_SERVICE_CIDR: '10.96.0.0/12', REGISTRY_CLUSTER_IP: '10.96.0.20' },
    );
    expect(config.registry.port).toBe(5001);
    expect(config.registry.serviceCIDR).toBe('10.96.0.0/12');
  });

  test('SYNTH_CONFIG names another file', () => {
    // GIVEN
    const dir = tempDir();
    const file = join(dir, 'cluster.yaml');
    writeFileSync(file, 'apps:\n  - name: board\n');
    // WHEN
    const loaded = loadConfig({ SYNTH_CONFIG: file }, root);
    // THEN
    expect(loaded.config.apps.map((a) => a.name)).toEqual(['board']);
  });

  test('a missing SYNTH_CONFIG file is a config error naming the variable', () => {
    expect(() => loadConfig({ SYNTH_CONFIG: '/nonexistent/x.yaml' }, root)).toThrow(
      "SYNTH_CONFIG: '/nonexistent/x.yaml' does not exist",
    );
  });

  test('YAML syntax errors and duplicate keys are reported', () => {
    const dir = tempDir();
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'registry:\n  port: 1\n  port: 2\n');
    expect(() => loadConfig({ SYNTH_CONFIG: file }, root)).toThrow(/YAML syntax: Map keys must be unique/);
  });

  // The parser's line ended in ':' (its code frame cut off) and said nothing of what to do (issue 11 attack).
  test.each([
    ['a duplicate key', 'registry:\n  port: 1\n  port: 2\n', /Map keys must be unique at line 3, column 3/],
    ['a tab as indentation', 'registry:\n\tport: 1\n', /Tabs are not allowed as indentation at line 2/],
    ['an unclosed flow list', 'registry: [\n', /at line \d+, column \d+/],
  ])('%s: the parser’s line, where, and the fix, with no dangling colon', (_n, text, where) => {
    const file = join(tempDir(), 'bad.yaml');
    writeFileSync(file, text);
    let message = '';
    try {
      loadConfig({ SYNTH_CONFIG: file }, root);
    } catch (error) {
      message = (error as ConfigError).issues.map((i) => i.message).join('\n');
    }
    expect(message).toMatch(where);
    for (const line of message.split('\n')) {
      expect(line).toMatch(/: YAML syntax: .*[^:]; correct the YAML there$/);
    }
  });
});

test('two documents: one mapping is asked for, without the YAML library’s advice to its callers', () => {
  const file = join(tempDir(), 'bad.yaml');
  writeFileSync(file, 'registry: {}\n---\napps: []\n');
  expect(() => loadConfig({ SYNTH_CONFIG: file }, root)).toThrow(
    /bad\.yaml: holds more than one YAML document; a config is one mapping: remove the --- and merge the documents$/,
  );
  expect(() => loadConfig({ SYNTH_CONFIG: file }, root)).not.toThrow(/parseAllDocuments/);
});

describe('bad input, one kind at a time', () => {
  test('unknown keys', () => {
    expect(problemsOf({ registry: { clusterIp: '10.0.0.1' } })).toEqual([
      expect.stringMatching(
        /^registry\.clusterIp: unknown key; expected one of name, namespace, port, clusterIP,/,
      ),
    ]);
    expect(problemsOf({ extra: 1 })).toEqual([
      expect.stringMatching(
        /^extra: unknown key; expected one of registry, discovery, delivery, nodeSetup, apps$/,
      ),
    ]);
    expect(problemsOf({ registry: {}, 'a\nb\u001b[31m': 1 })).toEqual([
      expect.stringMatching(/^'a\\nb\\u\{1b\}\[31m': unknown key; expected one of registry,/),
    ]);
  });

  test('a service DNS name whose hosts-file ConfigMap key Kubernetes would refuse', () => {
    // GIVEN name, namespace and domain each valid, together 248 characters
    const registry = {
      name: 'r'.repeat(52),
      namespace: 'n'.repeat(63),
      clusterDomain: `${'d'.repeat(63)}.${'e'.repeat(63)}`,
    };
    // THEN refused, naming the fields and the limit (hosts_<name>_5000.toml would be 264)
    expect(problemsOf({ registry })).toEqual([
      expect.stringMatching(
        /^registry\.clusterDomain: the service name r{52}\.n{63}\.svc… is 248 characters: its ConfigMap key hosts_.*would be 264, over Kubernetes' 253; shorten registry\.name, registry\.namespace or registry\.clusterDomain by 11$/,
      ),
    ]);
  });

  test('an IP that is not a literal', () => {
    expect(problemsOf({ registry: { clusterIP: '10.110.240' } })).toEqual([
      "registry.clusterIP: '10.110.240' is not an IPv4 or IPv6 address; write a literal such as 10.110.240.233 or fd00::10",
    ]);
    expect(problemsOf({ registry: { clusterIP: '[fd00::10]' } })).toHaveLength(1);
  });

  test.each([0, 65536, -1, 5000.5, 'http'])('port %j', (port) => {
    expect(problemsOf({ registry: { port } })).toEqual([
      expect.stringMatching(/^registry\.port: .* is not a whole number from 1 to 65535$/),
    ]);
  });

  test('names that are not DNS-1123 labels', () => {
    expect(
      problemsOf({
        registry: { name: 'Internal_Registry' },
        apps: [{ name: 'easy-kanban', namespace: 'x'.repeat(64) }],
      }),
    ).toEqual([
      "registry.name: 'Internal_Registry' is not a DNS-1123 label (lower-case letters, digits and -, at most 63)",
      `apps[0].namespace: '${'x'.repeat(64)}' is not a DNS-1123 label (lower-case letters, digits and -, at most 63)`,
    ]);
  });

  test('impossible image references', () => {
    expect(problemsOf({ apps: [{ name: 'a', image: 'Easy Kanban', tag: '-bad', digest: 'md5:1' }] })).toEqual(
      [
        "apps[0].image: 'Easy Kanban' is not a repository path such as easy-kanban or team/easy-kanban",
        "apps[0].tag: '-bad' is not an image tag (letters, digits, _ . -, at most 128, not starting with . or -)",
        "apps[0].digest: 'md5:1' is not a digest of the form sha256:<64 hex digits>",
      ],
    );
    expect(problemsOf({ registry: { image: 'registry:latest' } })).toEqual([
      "registry.image: 'registry:latest' must name an exact tag (not latest) or a digest",
    ]);
  });

  test('an empty app list', () => {
    expect(problemsOf({ apps: [] })).toEqual([
      'apps: is empty; list at least one app, e.g. - name: easy-kanban',
    ]);
  });

  test('the same app twice', () => {
    expect(problemsOf({ apps: [{ name: 'a' }, { name: 'a' }] })).toEqual([
      "apps[1].name: 'a/a' is listed twice",
    ]);
  });

  test('a ClusterIP outside the Service CIDR, or on a reserved address', () => {
    expect(problemsOf({ registry: { serviceCIDR: '10.96.0.0/12', clusterIP: '10.112.0.5' } })).toEqual([
      "registry.clusterIP: '10.112.0.5' is outside registry.serviceCIDR 10.96.0.0/12; pick one in 10.96.0.1-10.96.1.0 other than 10.96.0.1",
    ]);
    expect(problemsOf({ registry: { serviceCIDR: '10.96.0.0/12', clusterIP: '10.96.0.1' } })).toEqual([
      expect.stringContaining('is the address of the kubernetes Service'),
    ]);
  });

  test("a ClusterIP in the dynamic part of the range (the seed's, in kubeadm's default range) warns but passes", () => {
    const result = validateConfig({ registry: { serviceCIDR: '10.96.0.0/12' } });
    expect(result.issues).toEqual([]);
    expect(result.warnings).toEqual([
      expect.stringContaining('static band (KEP-3070) is 10.96.0.1-10.96.1.0'),
    ]);
  });

  test('every error is reported at once', () => {
    const problems = problemsOf({
      registry: { clusterIP: 'x', port: 0, name: 'A' },
      nodeSetup: { mode: 'magic' },
      apps: [{ name: 'B' }],
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'registry.name',
      'registry.port',
      'registry.clusterIP',
      'nodeSetup.mode',
      'apps[0].name',
      'apps[0].namespace',
      'apps[0].image',
    ]);
  });

  test('wrong shapes', () => {
    expect(problemsOf({ apps: { name: 'a' } })).toEqual([`apps: a mapping is not a list`]);
    expect(problemsOf({ registry: 'x' })).toEqual([expect.stringMatching(/^registry: 'x' is not a mapping/)]);
    expect(problemsOf({ registry: { deleteEnabled: 'yes' } })).toEqual([
      "registry.deleteEnabled: 'yes' is not true or false",
    ]);
    expect(problemsOf({ registry: { runAsUser: 0 } })).toEqual([
      'registry.runAsUser: 0 is not a whole number from 10000 to 2147483647',
    ]);
  });

  test('aliases must be host names without port and not repeat', () => {
    expect(
      problemsOf({
        registry: {
          aliases: [
            'internal-registry.kube-system.svc',
            'x:5000',
            'internal-registry.kube-system.svc.cluster.local',
          ],
        },
      }),
    ).toEqual([
      "registry.aliases[1]: 'x:5000' is not a host name (DNS-1123 subdomain, without port)",
      "registry.aliases[2]: 'internal-registry.kube-system.svc.cluster.local' is listed already (or is the service name or the ClusterIP); remove it",
    ]);
  });
});

describe('app manifests and Pod Security levels', () => {
  test('apps in one namespace agree on one level', () => {
    expect(
      problemsOf({
        apps: [
          { name: 'a', namespace: 'team' },
          { name: 'b', namespace: 'team', podSecurity: 'baseline' },
        ],
      }),
    ).toEqual([
      "apps[1].podSecurity: 'baseline' differs from 'restricted' of another app in namespace team; a namespace has one level",
    ]);
  });

  test('a manifest is a .yaml file, resolved against the config file’s folder', () => {
    expect(problemsOf({ apps: [{ name: 'a', manifest: 'app.json' }] })).toEqual([
      "apps[0].manifest: 'app.json' is not the path of a .yaml or .yml file",
    ]);
    const loaded = loadConfig({ SYNTH_CONFIG: join(root, 'examples', 'seed-manifest.yaml') }, root);
    expect(loaded.config.apps[0].manifest).toBe(join(root, 'examples', 'app-deployment.yaml'));
  });

  test('REGISTRY_IP_SOURCE and KUBE_CONTEXT override discovery', () => {
    const { config } = validateWithOverrides({}, { REGISTRY_IP_SOURCE: 'auto', KUBE_CONTEXT: 'prod' });
    expect(config.discovery).toEqual({ source: 'auto', context: 'prod', timeoutSeconds: 5 });
    expect(problemsOf({}, { REGISTRY_IP_SOURCE: 'live' })).toEqual([
      "discovery.source (from REGISTRY_IP_SOURCE): 'live' is not one of pinned, discover, auto",
    ]);
  });
});

describe('registry garbage collection', () => {
  test('needs storage that outlives the pod (Recreate), never emptyDir', () => {
    expect(problemsOf({ registry: { garbageCollectOnStart: true, storage: { type: 'emptyDir' } } })).toEqual([
      expect.stringMatching(
        /^registry\.garbageCollectOnStart: needs registry\.storage\.type persistentVolumeClaim or hostPath/,
      ),
    ]);
  });
});
