import { dirname, join, posix } from 'node:path';
import { isDns1123Label } from '../k8s/names';
import { excerpt } from './excerpt';
import type { ConfigIssue } from './field-reader';

/**
 * Many clusters from one repository (issue 11): the folder `clusters/` beside the config file holds
 * one `<name>.yaml` per cluster, each layered over that config (lib/config/layer.ts).
 */
export const CLUSTERS_FOLDER = 'clusters';

/** The cluster folder that belongs to a config file. */
export function clusterFolderOf(configFile: string): string {
  return join(dirname(configFile), CLUSTERS_FOLDER);
}

/** The variable that selects one cluster (for `--stdout`, doctor and push). */
export const CLUSTER_VARIABLE = 'SYNTH_CLUSTER';

const CLUSTER_FILE = '.yaml';
/** Notes beside the cluster files (a README) that synth leaves alone. */
const IGNORED = /\.md$/i;

/** One entry of the cluster folder as `lstat` saw it (a link is never followed). */
export interface ClusterEntry {
  readonly name: string;
  readonly type: 'file' | 'folder' | 'symlink' | 'other';
}

/**
 * The cluster names a folder's entries give, sorted, or every reason it cannot be used; pure.
 * `folder` is how messages name the folder (`config/clusters`).
 */
export function judgeClusterEntries(
  entries: readonly ClusterEntry[],
  folder: string,
): { readonly names: readonly string[]; readonly issues: readonly ConfigIssue[] } {
  const names: string[] = [];
  const issues: ConfigIssue[] = [];
  const refuse = (entry: ClusterEntry, why: string) => {
    const path = posix.join(folder, entry.name);
    issues.push({ path, message: `${excerpt(path, 100)} ${why}` });
  };
  for (const entry of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const stem = entry.name.endsWith(CLUSTER_FILE) ? entry.name.slice(0, -CLUSTER_FILE.length) : undefined;
    if (entry.type === 'symlink') {
      refuse(
        entry,
        'is a symbolic link; copy the cluster config into the folder (a link may point anywhere)',
      );
    } else if (entry.type === 'folder') {
      refuse(entry, `is a folder; cluster configs are files ${folder}/<name>.yaml, nothing nests`);
    } else if (entry.type === 'other') {
      refuse(entry, 'is not a regular file (a FIFO, socket or device); remove it');
    } else if (IGNORED.test(entry.name)) {
      continue;
    } else if (stem !== undefined && isDns1123Label(stem)) {
      names.push(stem);
    } else if (stem !== undefined) {
      refuse(
        entry,
        'is not named <cluster>.yaml with a DNS-1123 label (lowercase letters, digits and -, at most 63, starting and ending with a letter or digit) as the cluster name; rename it',
      );
    } else if (entry.name.endsWith('.yml')) {
      refuse(entry, `ends in .yml; rename it to ${entry.name.slice(0, -4)}.yaml`);
    } else {
      refuse(
        entry,
        'is not a cluster config (<cluster>.yaml); move it out of the folder (notes in *.md files are ignored)',
      );
    }
  }
  if (names.length === 0 && issues.length === 0) {
    issues.push({
      path: folder,
      message: `${excerpt(folder, 100)} holds no cluster config; add <cluster>.yaml, or remove the folder for one output folder`,
    });
  }
  return { names, issues };
}

/**
 * Why the environment's overrides cannot apply, or undefined; pure. With clusters, a variable such as
 * REGISTRY_CLUSTER_IP would set one value for every cluster, which is never right for a ClusterIP:
 * it is refused unless one cluster is selected.
 */
export function refuseUnselectedOverrides(
  overrides: readonly string[],
  folder: string,
  selected: string | undefined,
): ConfigIssue[] {
  if (selected !== undefined) return [];
  return overrides.map((variable) => ({
    path: variable,
    message: `${variable} would apply to every cluster of ${folder}; set the field in ${folder}/<cluster>.yaml, or select one cluster with ${CLUSTER_VARIABLE}`,
  }));
}
