import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from '@iarna/toml';
import { Yaml } from 'cdk8s';
import fc from 'fast-check';
import YAML, { parseAllDocuments } from 'yaml';
import { buildApp } from '../lib/build-app';
import { loadConfig } from '../lib/config/load';
import { assertOneOwnerPerObject } from '../lib/k8s/object-owners';
import { ConfigError } from '../lib/config/errors';
import { validateWithOverrides } from '../lib/config/load';
import type { SynthConfig } from '../lib/config/types';
import { HostsTomlRefusal, renderHostsToml } from '../lib/node-setup/hosts-toml';
import { LEGACY_KEY, renderNodeSetupFiles, type NodePlan } from '../lib/node-setup/node-plan';
import { hostWithPort, parseIp } from '../lib/net/ip';
import { pinnedRegistryAddress } from '../lib/registry/registry-address';
import { describeWithTools } from './support/real-tools';
import { synthCharts, tempDir, type Manifest } from './support/synth';

/* eslint-disable @typescript-eslint/no-explicit-any -- parsed TOML and YAML are loosely typed */

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const counts: Record<string, { accepted: number; rejected: number }> = {};
afterAll(() => {
  const lines = Object.entries(counts).map(
    ([k, v]) => `  ${k}: ${v.accepted} accepted, ${v.rejected} rejected`,
  );
  process.stdout.write(`fuzz counts (${RUNS} runs each):\n${lines.join('\n')}\n`);
});

/** Strings a hostile config would use: TOML and YAML syntax, newlines, unicode, very long values. */
const hostile = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '10.0.0.1"]\n[plugins."x"]',
    "a'b",
    'a=b',
    'x]\n[y',
    '---\nkind: Secret',
    '10.0.0.1\n',
    'internal-registry.kube-system.svc"',
    '[fd00::10]',
    'fd00::10%eth0',
    '０.０.０.０',
    'a'.repeat(300),
    '',
  ),
  fc.ipV4(),
  fc.ipV6(),
  fc.domain(),
  // near-valid names, so that the accepted path is exercised too
  fc.stringMatching(/^[a-z0-9]([-a-z0-9._]{0,12}[a-z0-9])?$/),
);
const mostlyValid = fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,12}[a-z0-9])?$/), weight: 4 },
  { arbitrary: hostile, weight: 1 },
);

/** Either the validator refuses with a message that names the field, or it accepts `check` holds. */
function property(field: string, build: (v: any) => unknown, check: (config: SynthConfig, v: any) => void) {
  counts[field] = { accepted: 0, rejected: 0 };
  return (value: any) => {
    let config: SynthConfig;
    try {
      config = validateWithOverrides(build(value), {}).config;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      counts[field].rejected++;
      expect(error.issues.length).toBeGreaterThan(0);
      for (const issue of error.issues) expect(issue.message.startsWith(field)).toBe(true);
      return;
    }
    counts[field].accepted++;
    check(config, value);
  };
}

/** The node files parse back to exactly the intended hosts, endpoints and nothing else. */
function expectNodeFilesExact(config: SynthConfig): void {
  const address = pinnedRegistryAddress(config.registry);
  const files = renderNodeSetupFiles(config.nodeSetup, address);
  const plan = JSON.parse(files['plan.json']) as NodePlan;
  const hosts = [address.ipHost, address.serviceHost, ...address.aliasHosts];
  expect(plan.hosts.map((h) => h.directory)).toEqual(hosts);
  const endpoint = `http://${address.ipHost}`;
  for (const h of plan.hosts) {
    expect(parseToml(files[h.key])).toEqual({
      server: endpoint,
      host: { [endpoint]: { capabilities: ['pull', 'resolve'] } },
    });
  }
  const legacy = parseToml(files[LEGACY_KEY]) as any;
  expect(Object.keys(legacy)).toEqual(['plugins']);
  expect(Object.keys(legacy.plugins)).toEqual(['io.containerd.grpc.v1.cri']);
  const registry = legacy.plugins['io.containerd.grpc.v1.cri'].registry;
  expect(Object.keys(registry).sort()).toEqual(['configs', 'mirrors']);
  expect(registry.mirrors).toEqual(Object.fromEntries(hosts.map((h) => [h, { endpoint: [endpoint] }])));
  expect(Object.keys(registry.configs)).toEqual(hosts);
}

describe('hostile config, fuzzed: refused with a field-named error, or rendered exactly', () => {
  test('registry.clusterIP', () => {
    const check = property(
      'registry.clusterIP',
      (ip) => ({ registry: { clusterIP: ip } }),
      (config, ip) => {
        expect(parseIp(ip)).toBeDefined();
        expect(config.registry.clusterIP).toBe(ip);
        expectNodeFilesExact(config);
      },
    );
    fc.assert(fc.property(hostile, check), { numRuns: RUNS });
  });

  test('registry.aliases', () => {
    const check = property(
      'registry.aliases',
      (aliases) => ({ registry: { aliases } }),
      (config, aliases) => {
        expect(config.registry.aliases).toEqual(aliases);
        expectNodeFilesExact(config);
      },
    );
    fc.assert(fc.property(fc.array(hostile, { maxLength: 3 }), check), { numRuns: RUNS });
  });

  test('registry.port', () => {
    const check = property(
      'registry.port',
      (port) => ({ registry: { port } }),
      (config) => {
        expect(config.registry.port).toBeGreaterThanOrEqual(1);
        expect(config.registry.port).toBeLessThanOrEqual(65535);
        expectNodeFilesExact(config);
      },
    );
    const port = fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.integer(), fc.double(), hostile);
    fc.assert(fc.property(port, check), { numRuns: RUNS });
  });

  test('registry.name and registry.namespace', () => {
    const check = property(
      'registry.name',
      (name) => ({ registry: { name } }),
      (config, name) => {
        expect(config.registry.name).toBe(name);
        expectNodeFilesExact(config);
      },
    );
    fc.assert(fc.property(hostile, check), { numRuns: RUNS });
  });

  test('apps[0] name, image and tag: YAML that parses back to exactly the intended objects', () => {
    counts['apps[0]'] = { accepted: 0, rejected: 0 };
    fc.assert(
      fc.property(mostlyValid, mostlyValid, mostlyValid, (name, image, tag) => {
        let config: SynthConfig;
        try {
          config = validateWithOverrides({ apps: [{ name, image, tag }] }, {}).config;
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          counts['apps[0]'].rejected++;
          for (const issue of error.issues) expect(issue.message.startsWith('apps[0].')).toBe(true);
          return;
        }
        counts['apps[0]'].accepted++;
        const charts = synthCharts(config);
        const text = Yaml.stringify(...charts.get(`app-${name}`)!);
        const documents = parseAllDocuments(text).map((d) => d.toJS());
        expect(documents.map((d) => d.kind)).toEqual(['Namespace', 'Deployment']);
        const container = documents[1].spec.template.spec.containers[0];
        expect(container.name).toBe(name);
        expect(container.image).toBe(`${hostWithPort(config.registry.clusterIP, 5000)}/${image}:${tag}`);
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  });

  test('hosts.toml with adversarial URLs: refused, or parsed back to exactly those values', () => {
    counts['hosts.toml url'] = { accepted: 0, rejected: 0 };
    fc.assert(
      fc.property(hostile, (text) => {
        const url = `http://${text}`;
        let rendered: string;
        try {
          rendered = renderHostsToml({ server: url, hosts: [{ url, capabilities: ['pull'] }] });
        } catch (error) {
          // only the renderer's own refusal counts; a TypeError or anything else fails the property
          if (!(error instanceof HostsTomlRefusal)) throw error;
          counts['hosts.toml url'].rejected++;
          return;
        }
        counts['hosts.toml url'].accepted++;
        expect(parseToml(rendered)).toEqual({ server: url, host: { [url]: { capabilities: ['pull'] } } });
      }),
      { numRuns: RUNS },
    );
  });
});

describe('colliding and cross-namespace objects, fuzzed: refused naming both sources, or one owner each', () => {
  const names = fc.constantFrom(
    'internal-registry',
    'internal-registry-node-setup',
    'easy-kanban',
    'web',
    'local-registry-hosting',
  );
  const namespaces = fc.constantFrom('kube-system', 'kube-public', 'easy-kanban', 'web', 'platform');
  const kinds = fc.constantFrom(
    ['v1', 'Service'],
    ['v1', 'ConfigMap'],
    ['v1', 'Secret'],
    ['apps/v1', 'Deployment'],
    ['apps/v1', 'DaemonSet'],
    ['v1', 'Namespace'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'],
    ['example.com/v1', 'Widget'],
  );
  const object = fc.record({
    kind: kinds,
    name: names,
    namespace: fc.option(namespaces, { nil: undefined }),
  });
  const appArb = fc.record({
    name: names,
    namespace: fc.option(namespaces, { nil: undefined }),
    objects: fc.option(fc.array(object, { minLength: 1, maxLength: 4 }), { nil: undefined }),
    allowKinds: fc.option(fc.subarray(['Namespace', 'ClusterRoleBinding', 'Widget']), { nil: undefined }),
  });

  test('apps and manifests taking names of the registry, the node setup and each other', () => {
    counts['object owners'] = { accepted: 0, rejected: 0 };
    fc.assert(
      fc.property(fc.array(appArb, { minLength: 1, maxLength: 3 }), namespaces, (apps, registryNamespace) => {
        // GIVEN: a config file and one manifest per app that has objects
        const dir = tempDir('owners-');
        const configApps = apps.map((a, i) => {
          if (!a.objects) return { name: a.name, namespace: a.namespace, podSecurity: 'privileged' };
          const documents = a.objects.map((o) =>
            YAML.stringify({
              apiVersion: o.kind[0],
              kind: o.kind[1],
              metadata: { name: o.name, ...(o.namespace ? { namespace: o.namespace } : {}) },
              data: { image: 'IMAGE_NAME_PLACEHOLDER' },
            }),
          );
          writeFileSync(join(dir, `m${i}.yaml`), documents.join('---\n'));
          return {
            name: a.name,
            namespace: a.namespace,
            manifest: `m${i}.yaml`,
            podSecurity: 'privileged',
            allowKinds: a.allowKinds,
          };
        });
        writeFileSync(
          join(dir, 'config.yaml'),
          YAML.stringify({ registry: { namespace: registryNamespace }, apps: configApps }),
        );
        // WHEN
        let objects: Manifest[];
        let config: SynthConfig;
        try {
          config = loadConfig({ SYNTH_CONFIG: join(dir, 'config.yaml') }).config;
          const app = buildApp(config, pinnedRegistryAddress(config.registry), dir);
          assertOneOwnerPerObject(app);
          objects = app.charts.flatMap((chart) => chart.toJson() as Manifest[]);
        } catch (error) {
          // THEN: a refusal is a config error, each message naming a field and, for a collision, both sources
          if (!(error instanceof ConfigError)) throw error;
          counts['object owners'].rejected++;
          for (const issue of error.issues) {
            expect(issue.message).toMatch(/^(apps|registry)|comes from both .+ and .+; rename one of them$/);
          }
          return;
        }
        // THEN: every object has one owner, and an included object stays in its app's namespace unless granted
        counts['object owners'].accepted++;
        const identities = objects.map(
          (o) =>
            `${o.apiVersion.split('/').slice(0, -1).join('/')} ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`,
        );
        expect(new Set(identities).size).toBe(identities.length);
        for (const [i, app] of config.apps.entries()) {
          if (!app.included) continue;
          for (const { object: o } of app.included.documents) {
            const granted = app.allowKinds.includes(o.kind);
            if (['Namespace', 'ClusterRoleBinding'].includes(o.kind)) expect(granted).toBe(true);
            else expect(o.metadata.namespace ?? app.namespace).toBe(config.apps[i].namespace);
            if (o.kind === 'Widget') expect(granted).toBe(true);
          }
        }
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
    expect(counts['object owners'].accepted).toBeGreaterThan(0);
    expect(counts['object owners'].rejected).toBeGreaterThan(0);
  });
});

describeWithTools(['containerd'])(
  'rendered TOML through the real `containerd config dump` (Debian containerd 1.6)',
  () => {
    test('the legacy tables of accepted configs dump back to exactly the intended mirrors', () => {
      // Valid by construction (unicast ClusterIPs in private ranges, DNS names as aliases), so that
      // nearly every case reaches containerd: issue 13 found a run where 1 of 25 did.
      const octet = fc.integer({ min: 1, max: 254 });
      const clusterIP = fc.oneof(
        fc.tuple(octet, octet, octet).map(([a, b, c]) => `10.${a}.${b}.${c}`),
        fc.tuple(fc.integer({ min: 16, max: 31 }), octet, octet).map(([a, b, c]) => `172.${a}.${b}.${c}`),
        fc.tuple(octet, octet).map(([b, c]) => `192.168.${b}.${c}`),
      );
      const alias = fc.stringMatching(
        /^[a-z]([a-z0-9-]{0,10}[a-z0-9])?(\.[a-z]([a-z0-9-]{0,10}[a-z0-9])?){0,2}$/,
      );
      const runs = 25;
      let checked = 0;
      let refused = 0;
      fc.assert(
        fc.property(
          clusterIP,
          fc.uniqueArray(alias, { maxLength: 2 }),
          fc.integer({ min: 1, max: 65535 }),
          (ip, aliases, port) => {
            let config: SynthConfig;
            try {
              config = validateWithOverrides({ registry: { clusterIP: ip, aliases, port } }, {}).config;
            } catch (error) {
              if (!(error instanceof ConfigError)) throw error;
              refused++;
              return;
            }
            const address = pinnedRegistryAddress(config.registry);
            const fragment = renderNodeSetupFiles(config.nodeSetup, address)[LEGACY_KEY];
            const file = join(tempDir('dump-'), 'config.toml');
            writeFileSync(file, `version = 2\n\n${fragment}`);
            const dump = spawnSync('containerd', ['--config', file, 'config', 'dump'], { encoding: 'utf8' });
            expect(dump.status).toBe(0);
            const registry = (parseToml(dump.stdout) as any).plugins['io.containerd.grpc.v1.cri'].registry;
            const hosts = [address.ipHost, address.serviceHost, ...address.aliasHosts];
            expect(Object.keys(registry.mirrors).sort()).toEqual([...hosts].sort());
            for (const h of hosts) {
              expect(registry.mirrors[h].endpoint).toEqual([`http://${address.ipHost}`]);
              expect(registry.configs[h].tls.insecure_skip_verify).toBe(true);
            }
            checked++;
          },
        ),
        { numRuns: runs },
      );
      process.stdout.write(
        `containerd config dump round trips: ${checked} of ${runs} (${refused} refused)\n`,
      );
      expect(checked).toBeGreaterThanOrEqual(runs - 1);
    });
  },
);
