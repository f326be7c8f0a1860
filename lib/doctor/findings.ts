import type { SynthConfig } from '../config/types';
import { nodeSetupName } from '../node-setup/contract';
import { appImageReference, type RegistryAddress } from '../registry/registry-address';

/* eslint-disable @typescript-eslint/no-explicit-any -- live objects are read as the API returns them */

/** What the cluster holds, as read by the doctor (undefined: not found). */
/** What the registry Service answered to the start of a push (through the API server's proxy). */
export interface PushProbe {
  readonly status: number;
}

export interface ClusterState {
  readonly service?: any;
  readonly pushProbe?: PushProbe;
  readonly registryPods: readonly any[];
  readonly nodeSetup?: any;
  readonly nodeSetupPods: readonly any[];
  readonly deployments: Readonly<Record<string, any | undefined>>;
}

export interface Finding {
  readonly ok: boolean;
  readonly check: string;
  readonly detail: string;
}

const ready = (pod: any) =>
  pod.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') ?? false;

/** Compares the live cluster with the config and the address it resolves to; pure. */
export function diagnose(config: SynthConfig, address: RegistryAddress, state: ClusterState): Finding[] {
  const { registry } = config;
  const findings: Finding[] = [];
  const add = (ok: boolean, check: string, detail: string) => findings.push({ ok, check, detail });
  const svc = `Service ${registry.namespace}/${registry.name}`;
  if (!state.service) {
    add(false, svc, 'not found; apply dist/ (0000-registry.k8s.yaml)');
  } else {
    const ip = state.service.spec?.clusterIP;
    add(
      ip === address.clusterIP,
      `${svc} ClusterIP`,
      ip === address.clusterIP ? ip : `${ip}, but the config says ${address.clusterIP}`,
    );
    const port = state.service.spec?.ports?.[0]?.port;
    add(
      port === registry.port,
      `${svc} port`,
      port === registry.port ? String(port) : `${port}, but the config says ${registry.port}`,
    );
  }
  if (state.service && state.pushProbe) {
    const { status } = state.pushProbe;
    add(
      status === 405,
      `a push to ${svc}`,
      status === 405
        ? 'refused (405: the registry behind the Service is read-only)'
        : status >= 200 && status < 300
          ? `accepted (${status}): any pod can push to the pull address; apply this version's dist/ (a read-only reader behind the Service)`
          : `could not be checked: the API server's Service proxy answered ${status}`,
    );
  }
  const readyRegistry = state.registryPods.filter(ready).length;
  add(
    readyRegistry > 0,
    `registry pods (app=${registry.name})`,
    `${readyRegistry} of ${state.registryPods.length} Ready`,
  );
  if (!state.nodeSetup) {
    add(false, 'node setup', `DaemonSet ${registry.namespace}/${nodeSetupName(registry.name)} not found`);
  } else {
    for (const pod of state.nodeSetupPods) {
      const node = pod.spec?.nodeName ?? '(unscheduled)';
      add(
        ready(pod),
        `node ${node}`,
        ready(pod)
          ? 'configured (node-setup Ready)'
          : `not configured: node-setup pod ${pod.metadata?.name} is not Ready`,
      );
    }
    const desired = state.nodeSetup.status?.desiredNumberScheduled ?? 0;
    const readyNodes = state.nodeSetup.status?.numberReady ?? 0;
    add(desired > 0 && readyNodes === desired, 'node setup', `${readyNodes} of ${desired} nodes Ready`);
  }
  for (const app of config.apps) {
    const deployment = state.deployments[`${app.namespace}/${app.name}`];
    const check = `Deployment ${app.namespace}/${app.name}`;
    if (!deployment) {
      add(false, check, 'not found');
      continue;
    }
    const expected = appImageReference(app, address);
    const images: string[] = (deployment.spec?.template?.spec?.containers ?? []).map((c: any) => c.image);
    add(
      images.includes(expected),
      `${check} image`,
      images.includes(expected) ? expected : `${images.join(', ')}, expected ${expected}`,
    );
  }
  return findings;
}
