import { ApiObject, type App } from 'cdk8s';
import { IncludedApp } from '../apps/included-app';
import { CLUSTER_SCOPED_KINDS, objectIdentity } from '../apps/manifest-policy';
import { ConfigError } from '../config/errors';

/** An object of the output and what put it there, in words a reviewer finds in the config. */
export interface OwnedObject {
  /** `group Kind namespace/name`: two objects with one identity overwrite each other. */
  readonly identity: string;
  readonly source: string;
}

/** Each object whose identity an earlier one has, naming both sources; pure. */
export function ownershipConflicts(objects: readonly OwnedObject[]): string[] {
  const owners = new Map<string, string>();
  const conflicts: string[] = [];
  for (const { identity, source } of objects) {
    const owner = owners.get(identity);
    if (owner === undefined) owners.set(identity, source);
    else conflicts.push(`${identity} comes from both ${owner} and ${source}; rename one of them`);
  }
  return conflicts;
}

const CHART_SOURCES: Record<string, string> = {
  registry: 'the registry (registry.name, registry.namespace)',
  'node-setup': 'the node setup (registry.name, registry.namespace)',
  delivery: 'delivery',
};

function sourceOf(object: ApiObject): string {
  const scopes = object.node.scopes;
  const included = scopes.find((scope): scope is IncludedApp => scope instanceof IncludedApp);
  if (included) return included.sourceOf(object);
  const chart = scopes[1]?.node.id ?? '';
  if (CHART_SOURCES[chart]) return CHART_SOURCES[chart];
  if (chart.startsWith('app-')) {
    const workload = scopes[2];
    return workload && !(workload instanceof ApiObject)
      ? `the app ${workload.node.id} (apps[].name)`
      : `the namespace of apps in ${chart.slice(4)} (apps[].namespace)`;
  }
  return chart;
}

/**
 * Refuses an output in which two objects share (group, kind, namespace, name), before anything is
 * written (issue 9): the later one would replace the earlier, e.g. an app's Service replacing the
 * registry's, or a manifest's ConfigMap replacing the agent that runs as root on every node.
 */
export function assertOneOwnerPerObject(app: App): void {
  const objects = app.charts.flatMap((chart) =>
    chart.node
      .findAll()
      .filter((c): c is ApiObject => c instanceof ApiObject)
      .map((object) => ({
        identity: objectIdentity(
          { apiVersion: object.apiVersion, kind: object.kind, metadata: { name: object.name } },
          CLUSTER_SCOPED_KINDS.has(object.kind) ? undefined : object.metadata.namespace,
        ),
        source: sourceOf(object),
      })),
  );
  const conflicts = ownershipConflicts(objects);
  if (conflicts.length > 0) {
    throw new ConfigError(
      'the objects synth would write',
      conflicts.map((message) => ({ path: 'apps', message })),
    );
  }
}
