import { lstatSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { projectRoot } from '../cli/project-root';
import {
  CLUSTER_VARIABLE,
  clusterFolderOf,
  judgeClusterEntries,
  refuseUnselectedOverrides,
  type ClusterEntry,
} from './clusters';
import { ConfigError } from './errors';
import { excerpt } from './excerpt';
import type { ConfigIssue } from './field-reader';
import { layerConfig } from './layer';
import {
  checkConfig,
  loadConfig,
  locateConfig,
  lookupVariable,
  outsideRepository,
  overridesSet,
  parseConfigFile,
  sourceOf,
  type ConfigLocation,
  type Environment,
  type LoadedConfig,
} from './load';

/** One cluster of the cluster folder, loaded and validated. */
export interface LoadedCluster {
  /** The file name without `.yaml`: the output folder's name and the Argo CD cluster's. */
  readonly name: string;
  readonly loaded: LoadedConfig;
}

/** What the config file and its cluster folder ask synth to write. */
export type ConfigSet =
  | { readonly kind: 'single'; readonly loaded: LoadedConfig }
  | {
      readonly kind: 'clusters';
      /** The cluster folder as messages name it. */
      readonly folder: string;
      readonly clusters: readonly LoadedCluster[];
    };

/** Several cluster configs failed; the message holds each one's problems. */
export class ClusterConfigErrors extends Error {
  public readonly failure = 'config';

  constructor(errors: readonly ConfigError[]) {
    super(`${errors.length} cluster configs have problems:\n${errors.map((e) => e.message).join('\n')}`);
  }
}

/**
 * Every config synth writes: the config file alone, or each cluster of its cluster folder layered over
 * it (issue 11). Every cluster is loaded and validated before this returns; any problem throws,
 * naming the cluster file and the field. A selected cluster (SYNTH_CLUSTER) is refused here: a
 * synth that writes files writes every cluster, so that the output folder is replaced in one step.
 */
export function loadConfigSet(env: Environment, root: string = projectRoot()): ConfigSet {
  const location = locateConfig(env, root);
  const selected = lookupVariable(env, CLUSTER_VARIABLE);
  const folder = readClusterFolder(location, root, selected?.variable);
  if (folder === undefined) return { kind: 'single', loaded: loadConfig(env, root) };
  if (selected) {
    throw new ConfigError(folder.source, [
      {
        path: selected.variable,
        message: `${selected.variable}: selects one cluster for --stdout, doctor and push; synth writes every cluster of ${folder.source} into its own output folder: unset it`,
      },
    ]);
  }
  return { kind: 'clusters', folder: folder.source, clusters: loadClusters(env, root, location, folder) };
}

/**
 * The one config a command about one cluster uses (`--stdout`, doctor, push): the config file when
 * there is no cluster folder, else the cluster SYNTH_CLUSTER names, with the environment's overrides
 * applied to it.
 */
export function loadOneConfig(env: Environment, root: string = projectRoot()): LoadedConfig {
  const location = locateConfig(env, root);
  const selected = lookupVariable(env, CLUSTER_VARIABLE);
  const folder = readClusterFolder(location, root, selected?.variable);
  if (folder === undefined) return loadConfig(env, root);
  const listed = folder.names.join(', ');
  if (!selected) {
    throw new ConfigError(folder.source, [
      {
        path: CLUSTER_VARIABLE,
        message: `${folder.source} holds the clusters ${listed}: select one with ${CLUSTER_VARIABLE}=<name>`,
      },
    ]);
  }
  if (!folder.names.includes(selected.value)) {
    throw new ConfigError(folder.source, [
      {
        path: selected.variable,
        message: `${selected.variable}: ${excerpt(selected.value, 80)} is not a cluster of ${folder.source}; name one of ${listed}`,
      },
    ]);
  }
  return loadClusters(env, root, location, { ...folder, names: [selected.value] }, true)[0].loaded;
}

interface ClusterFolder {
  readonly path: string;
  readonly source: string;
  readonly names: readonly string[];
}

/** The cluster folder's cluster names, or undefined when there is no folder; refuses an unusable one. */
function readClusterFolder(
  location: ConfigLocation,
  root: string,
  selectedBy: string | undefined,
): ClusterFolder | undefined {
  const path = clusterFolderOf(location.file);
  const source = sourceOf(path, root);
  const fail = (message: string): never => {
    throw new ConfigError(source, [{ path: source, message: `${excerpt(source, 100)} ${message}` }]);
  };
  let stat;
  try {
    stat = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') fail(`cannot be read (${String(error)})`);
    if (selectedBy) {
      throw new ConfigError(location.source, [
        {
          path: selectedBy,
          message: `${selectedBy}: selects a cluster, but there is no cluster folder ${excerpt(source, 100)} beside ${location.source}; unset it`,
        },
      ]);
    }
    return undefined;
  }
  if (stat.isSymbolicLink()) fail('is a symbolic link; make it a folder of cluster configs');
  if (!stat.isDirectory()) fail('is not a folder; the cluster configs go in a folder clusters/<name>.yaml');
  const escape = location.argo ? outsideRepository(path, root) : undefined;
  if (escape) fail(escape);
  const entries: ClusterEntry[] = readdirSync(path, { withFileTypes: true }).map((entry) => ({
    name: entry.name,
    type: entry.isSymbolicLink()
      ? 'symlink'
      : entry.isDirectory()
        ? 'folder'
        : entry.isFile()
          ? 'file'
          : 'other',
  }));
  const { names, issues } = judgeClusterEntries(entries, source);
  if (issues.length > 0) throw new ConfigError(source, issues);
  return { path, source, names };
}

/** Loads each named cluster; all of them, so that one run reports every bad cluster. */
function loadClusters(
  env: Environment,
  root: string,
  location: ConfigLocation,
  folder: ClusterFolder,
  selected = false,
): LoadedCluster[] {
  const refused = refuseUnselectedOverrides(overridesSet(env), folder.source, selected ? 'yes' : undefined);
  if (refused.length > 0) throw new ConfigError(folder.source, refused);
  const shared = parseConfigFile(location.file, location.source, location.field) as Record<string, unknown>;
  const errors: ConfigError[] = [];
  const clusters: LoadedCluster[] = [];
  for (const name of folder.names) {
    const file = join(folder.path, `${name}.yaml`);
    const source = `${sourceOf(file, root)} over ${location.source}`;
    try {
      // What the cluster file holds is its own fault: named alone, not as the pair.
      const raw = parseConfigFile(file, sourceOf(file, root), 'cluster file') as Record<string, unknown>;
      const layered = layerConfig(shared, raw);
      const issues: ConfigIssue[] = [...layered.issues, ...sharedOnly(raw, location.source)];
      if (issues.length > 0) throw new ConfigError(source, issues);
      // An app's manifest is relative to the file that wrote the apps list (lists replace whole).
      const manifestBase = 'apps' in raw ? folder.path : dirname(location.file);
      clusters.push({
        name,
        loaded: checkConfig(layered.data, env, root, { source, argo: location.argo, manifestBase }),
      });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      errors.push(error);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new ClusterConfigErrors(errors);
  return clusters;
}

/** Keys a cluster file may not set: what every cluster shares (the one ApplicationSet). */
function sharedOnly(raw: Record<string, unknown>, shared: string): ConfigIssue[] {
  const delivery = raw.delivery;
  if (typeof delivery !== 'object' || delivery === null || !('argoApplication' in delivery)) return [];
  return [
    {
      path: 'delivery.argoApplication',
      message: `delivery.argoApplication: is one for every cluster (it makes the ApplicationSet); set it in ${shared}`,
    },
  ];
}
