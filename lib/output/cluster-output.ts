import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SynthConfig } from '../config/types';
import { APPLICATION_SET_FILE, applicationSetOf } from '../delivery/application-set';
import { renderKustomization } from '../delivery/kustomization';
import type { RegistryAddress } from '../registry/registry-address';
import { CLUSTER_MANIFESTS } from './output-folder';

export interface ClusterToWrite {
  readonly name: string;
  /** How messages name the cluster's config (`config/clusters/east.yaml over config/default.yaml`). */
  readonly source: string;
  readonly config: SynthConfig;
  readonly address: RegistryAddress;
}

/**
 * Writes every cluster into `dir` (a staging folder): `<cluster>/manifests/NNNN-*.k8s.yaml`,
 * `<cluster>/kustomization.yaml`, and the ApplicationSet at the top when asked for. The single
 * Application is left out of each cluster: the ApplicationSet makes one per cluster (issue 11).
 */
export function writeClusterOutput(
  dir: string,
  folder: string,
  clusters: readonly ClusterToWrite[],
  synthesize: (config: SynthConfig, address: RegistryAddress, dir: string) => void,
): void {
  const applicationSet = applicationSetOf(clusters, folder);
  for (const { name, source, config, address } of clusters) {
    const manifests = join(dir, name, CLUSTER_MANIFESTS);
    mkdirSync(manifests, { recursive: true });
    const argoApplication = { ...config.delivery.argoApplication, enabled: false };
    inCluster(source, () =>
      synthesize({ ...config, delivery: { ...config.delivery, argoApplication } }, address, manifests),
    );
    const files = readdirSync(manifests).sort();
    writeFileSync(join(dir, name, 'kustomization.yaml'), renderKustomization(CLUSTER_MANIFESTS, files));
  }
  if (applicationSet !== undefined) writeFileSync(join(dir, APPLICATION_SET_FILE), applicationSet);
}

/**
 * Runs `work` for one cluster; a failure (a synth refusal, a discovery error) keeps its class and
 * exit code, and its message starts with the cluster's config.
 */
export function inCluster<T>(source: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof Error) error.message = `${source}: ${error.message}`;
    throw error;
  }
}

/** Like inCluster, for asynchronous work (discovery). */
export async function inClusterAsync<T>(source: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Error) error.message = `${source}: ${error.message}`;
    throw error;
  }
}
