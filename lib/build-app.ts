import { App, type Chart } from 'cdk8s';
import { AppNamespaceChart } from './apps/app-namespace-chart';
import type { AppConfig, SynthConfig } from './config/types';
import type { RegistryAddress } from './registry/registry-address';
import { readAgentBundle } from './node-setup/agent-bundle';
import { NodeSetupChart } from './node-setup/node-setup-chart';
import { DeliveryChart } from './delivery/delivery-chart';
import { applySyncWave } from './delivery/sync-waves';
import { RegistryChart } from './registry/registry-chart';
import { BUILT_IN_NAMESPACES } from './k8s/names';

/**
 * All charts of the output. Chart dependencies make cdk8s number the files in apply order
 * (`0000-registry.k8s.yaml`, …), which is also the order `kubectl apply -f dist/` reads them; Argo CD
 * gets the same order as sync waves.
 */
export function buildApp(config: SynthConfig, address: RegistryAddress, outdir: string): App {
  const app = new App({ outdir, recordConstructMetadata: false });
  const { advertise } = config.delivery;
  const registry = new RegistryChart(app, 'registry', {
    registry: config.registry,
    address,
    advertise: advertise.enabled ? { pushHost: advertise.host, help: advertise.help } : undefined,
    createNamespace: !BUILT_IN_NAMESPACES.has(config.registry.namespace),
  });
  const nodeSetup = new NodeSetupChart(app, 'node-setup', {
    registry: config.registry,
    nodeSetup: config.nodeSetup,
    address,
    agentScript: readAgentBundle(),
  });
  nodeSetup.addDependency(registry);
  const before: Chart[] = [registry, nodeSetup];
  const appCharts: Chart[] = [];
  for (const [namespace, apps] of groupByNamespace(config.apps)) {
    const chart = new AppNamespaceChart(app, `app-${namespace}`, {
      namespace,
      apps,
      address,
      // The registry chart creates its namespace; the config loader checks that the levels agree.
      createNamespace: !BUILT_IN_NAMESPACES.has(namespace) && namespace !== config.registry.namespace,
    });
    before.forEach((dependency) => chart.addDependency(dependency));
    appCharts.push(chart);
  }
  if (DeliveryChart.wanted(config.delivery)) {
    const delivery = new DeliveryChart(app, 'delivery', {
      delivery: config.delivery,
      registry: config.registry,
      address,
    });
    [...before, ...appCharts].forEach((dependency) => delivery.addDependency(dependency));
  }
  if (config.delivery.syncWaves) {
    applySyncWave(registry, 0);
    applySyncWave(nodeSetup, 1);
    appCharts.forEach((chart) => applySyncWave(chart, 2));
  }
  return app;
}

function groupByNamespace(apps: readonly AppConfig[]): Map<string, AppConfig[]> {
  const groups = new Map<string, AppConfig[]>();
  for (const app of apps) groups.set(app.namespace, [...(groups.get(app.namespace) ?? []), app]);
  return groups;
}
