import { join } from 'node:path';
import { App, Chart } from 'cdk8s';
import { buildApp } from '../lib/build-app';
import { pinnedRegistryAddress } from '../lib/registry/registry-address';
import { synthOnce } from '../lib/output/synth-once';
import { fingerprint } from './support/run';
import { configOf, tempDir } from './support/synth';

const configs: Array<[string, unknown]> = [
  ['built-in defaults', {}],
  [
    'every option on',
    {
      registry: { storage: { type: 'hostPath' } },
      delivery: {
        smokeTest: { enabled: true },
        argoApplication: { enabled: true, repoURL: 'https://git.example.com/r.git' },
      },
      apps: [{ name: 'easy-kanban' }, { name: 'b', namespace: 'kube-system' }],
    },
  ],
  [
    '100 apps in 10 namespaces',
    { apps: Array.from({ length: 100 }, (_, i) => ({ name: `app-${i}`, namespace: `team-${i % 10}` })) },
  ],
];

describe('synthOnce', () => {
  test.each(configs)('writes exactly what app.synth() writes: %s', (_name, raw) => {
    // GIVEN
    const config = configOf(raw);
    const address = pinnedRegistryAddress(config.registry);
    const [plain, once] = [join(tempDir(), 'dist'), join(tempDir(), 'dist')];
    // WHEN
    buildApp(config, address, plain).synth();
    synthOnce(buildApp(config, address, once));
    // THEN
    expect(Object.keys(fingerprint(once)).length).toBeGreaterThanOrEqual(3);
    expect(fingerprint(once)).toEqual(fingerprint(plain));
  });

  test('still validates the app, and leaves cdk8s as it was', () => {
    // GIVEN: a chart whose validation fails
    const original = (App as unknown as { _synthChart: unknown })._synthChart;
    const app = new App({ outdir: join(tempDir(), 'dist') });
    new Chart(app, 'a').node.addValidation({ validate: () => ['not ready'] });
    // WHEN / THEN
    expect(() => synthOnce(app)).toThrow('[a] not ready');
    expect((App as unknown as { _synthChart: unknown })._synthChart).toBe(original);
  });
});
