import { Refusal } from './refusal';

/**
 * What each containerd series does with a config file, as measured on Debian's builds (1.6.20,
 * 1.7.24, 2.1.9; issue 10). The decision and the dump check both read these, so that they agree.
 */
export interface ContainerdRules {
  /** `1.6`, `1.7`, `2.1`… */
  readonly series: string;
  readonly major: number;
  /** Where the dumped config (`containerd config dump`) holds the CRI registry settings. */
  readonly dumpRegistryTable: readonly string[];
  /** The `version` of the file the agent writes on a node that has none. */
  readonly freshConfigVersion: 2 | 3;
  /** Config versions it loads: 1.7 refuses version 3 ("unsupported config version"), 1.6 ignores its CRI tables. */
  readonly configVersions: ReadonlyArray<2 | 3>;
  /**
   * 1.x: an `imports` drop-in replaces each plugin table it names as a whole, so the last file that
   * names the CRI plugin holds the registry settings in effect. 2.x merges key by key.
   */
  readonly importsReplacePluginTables: boolean;
  /** Registry keys the CRI plugin refuses to load next to `config_path` (the plugin reports `error`). */
  readonly refusedNextToConfigPath: ReadonlyArray<'mirrors' | 'tls'>;
  /** Registry keys that only log and are ignored next to `config_path` (lost unless migrated). */
  readonly ignoredNextToConfigPath: ReadonlyArray<'mirrors' | 'tls'>;
  /** Legacy `mirrors` tables still work (2.x switches pulls to "local image pull mode" for them). */
  readonly legacyMirrors: boolean;
  /** The loader accepts a UTF-8 byte order mark (2.1: `invalid character at start of key: U+00EF`). */
  readonly acceptsByteOrderMark: boolean;
}

/** The registry table of a version 2 and a version 3 config file. */
export const REGISTRY_TABLE: Record<2 | 3, readonly string[]> = {
  2: ['plugins', 'io.containerd.grpc.v1.cri', 'registry'],
  3: ['plugins', 'io.containerd.cri.v1.images', 'registry'],
};

const V1: Omit<ContainerdRules, 'series'> = {
  major: 1,
  dumpRegistryTable: REGISTRY_TABLE[2],
  // Without the version line containerd 1.x reads the file as version 1 and ignores config_path.
  freshConfigVersion: 2,
  configVersions: [2],
  importsReplacePluginTables: true,
  refusedNextToConfigPath: ['mirrors', 'tls'],
  ignoredNextToConfigPath: [],
  legacyMirrors: true,
  acceptsByteOrderMark: true,
};

const V2: Omit<ContainerdRules, 'series'> = {
  major: 2,
  // 2.x dumps every file as version 3, a version 2 one migrated.
  dumpRegistryTable: REGISTRY_TABLE[3],
  // A version 2 file would log a migration warning at every start.
  freshConfigVersion: 3,
  configVersions: [2, 3],
  importsReplacePluginTables: false,
  refusedNextToConfigPath: ['mirrors'],
  ignoredNextToConfigPath: ['tls'],
  legacyMirrors: false,
  acceptsByteOrderMark: false,
};

/**
 * The rules for the series that `containerd --version` printed, e.g.
 * `containerd github.com/containerd/containerd/v2 2.1.9+unknown`. Unknown majors are refused.
 */
export function rulesForVersion(versionOutput: string): ContainerdRules {
  // `containerd <package> <version> <revision>`
  const m = /^v?(\d+)\.(\d+)\./.exec(versionOutput.trim().split(/\s+/)[2] ?? '');
  if (!m)
    throw new Refusal(
      `cannot read a containerd version from \`containerd --version\`: ${versionOutput.trim()}`,
    );
  const series = `${m[1]}.${m[2]}`;
  const major = Number(m[1]);
  if (major === 1 && Number(m[2]) >= 6) return { ...V1, series };
  if (major === 2) return { ...V2, series };
  throw new Refusal(`containerd ${series} is not supported by this agent (1.6, 1.7 and 2.x are)`);
}
