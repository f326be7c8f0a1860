import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { MAX_YAML_ALIASES, readAppManifest } from '../apps/app-manifest';
import { projectRoot } from '../cli/project-root';
import { checkAppManifests } from './app-manifests';
import { ConfigError } from './errors';
import { excerpt, typeName } from './excerpt';
import type { SynthConfig } from './types';
import { readRegularFile, unreadableReason } from './read-regular-file';
import { CONFIG_SECTIONS, validateConfig } from './validate';

export type Environment = Readonly<Record<string, string | undefined>>;

/** Environment variables that override one config field each (per-cluster values set by CI or Argo CD). */
export const ENV_OVERRIDES: ReadonlyArray<{
  readonly variable: string;
  readonly path: readonly string[];
  /** The field wants a whole number: digits become one (a variable is text). */
  readonly integer?: boolean;
}> = [
  { variable: 'REGISTRY_CLUSTER_IP', path: ['registry', 'clusterIP'] },
  { variable: 'REGISTRY_SERVICE_CIDR', path: ['registry', 'serviceCIDR'] },
  { variable: 'REGISTRY_PORT', path: ['registry', 'port'], integer: true },
  { variable: 'REGISTRY_IP_SOURCE', path: ['discovery', 'source'] },
  { variable: 'KUBE_CONTEXT', path: ['discovery', 'context'] },
];

export const DEFAULT_CONFIG_FILE = join('config', 'default.yaml');

export interface LoadedConfig {
  readonly config: SynthConfig;
  readonly warnings: readonly string[];
  /** The file read, relative to the project root when inside it. */
  readonly source: string;
}

/**
 * A variable as Argo CD's plugin hands it over: `PARAM_<NAME>` (the Application's parameters), then
 * `ARGOCD_ENV_<NAME>` (its plugin env), then the plain `<NAME>` (the sidecar's own environment).
 */
export function lookupVariable(
  env: Environment,
  name: string,
): { value: string; variable: string } | undefined {
  for (const variable of [`PARAM_${name}`, `ARGOCD_ENV_${name}`, name]) {
    const value = env[variable];
    if (value !== undefined && value !== '') return { value, variable };
  }
  return undefined;
}

/** Argo CD sets these for a Config Management Plugin; then every file synth reads must be in the repository. */
export function runsAsArgoCdPlugin(env: Environment): boolean {
  return Object.keys(env).some((name) => name.startsWith('ARGOCD_APP_'));
}

/** Why `file` may not be read by an Argo CD plugin run, or undefined: its real path must lie in `root`. */
export function outsideRepository(file: string, root: string): string | undefined {
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return undefined; // reported as missing where it is read
  }
  const rel = relative(realpathSync(root), real);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel)
    ? 'resolves outside the repository; an Argo CD plugin reads only files of the repository'
    : undefined;
}

/** The config file the environment names (or the default), checked for an Argo CD plugin run. */
export interface ConfigLocation {
  readonly file: string;
  /** `file` relative to the project root when inside it. */
  readonly source: string;
  /** How messages name where the file came from: the variable, or `config file`. */
  readonly field: string;
  readonly argo: boolean;
}

/** Where the config file is; refuses one outside the repository in an Argo CD plugin run. */
export function locateConfig(env: Environment, root: string = projectRoot()): ConfigLocation {
  const named = lookupVariable(env, 'SYNTH_CONFIG');
  const file = named ? resolve(named.value) : join(root, DEFAULT_CONFIG_FILE);
  const source = sourceOf(file, root);
  const field = named?.variable ?? 'config file';
  const argo = runsAsArgoCdPlugin(env);
  const escape = argo ? outsideRepository(file, root) : undefined;
  if (escape)
    throw new ConfigError(source, [
      { path: field, message: `${field}: ${excerpt(named?.value ?? file, 80)} ${escape}` },
    ]);
  return { file, source, field, argo };
}

/** A path as messages name it: relative to the project root when inside it. */
export function sourceOf(file: string, root: string): string {
  const rel = relative(root, file);
  return isAbsolute(rel) || rel.startsWith('..') ? file : rel;
}

/**
 * Reads the config file named by `SYNTH_CONFIG` (or the default), applies overrides, validates it,
 * and reads and checks each included manifest once; every problem is reported in one error.
 */
export function loadConfig(env: Environment, root: string = projectRoot()): LoadedConfig {
  const location = locateConfig(env, root);
  const raw = parseConfigFile(location.file, location.source, location.field);
  return checkConfig(raw, env, root, { ...location, manifestBase: dirname(location.file) });
}

/**
 * Validates raw config data with the environment's overrides and reads each included manifest,
 * resolved against `manifestBase` (the folder of the file that wrote the `apps` list).
 */
export function checkConfig(
  raw: unknown,
  env: Environment,
  root: string,
  where: { readonly source: string; readonly argo: boolean; readonly manifestBase: string },
): LoadedConfig {
  const { source, argo, manifestBase } = where;
  const { result, labelOf } = validateOverridden(raw, env);
  const issues = [...result.issues];
  const failed = new Set(issues.map((issue) => issue.path));
  // An app's manifest path is relative to the config file that names it.
  const apps = result.draft.apps.map((app, index) => {
    const path = `apps[${index}].manifest`;
    if (!app.manifest || failed.has(path)) return app;
    const manifest = resolve(manifestBase, app.manifest);
    const refused = argo ? outsideRepository(manifest, root) : undefined;
    const included = refused ?? readAppManifest(manifest);
    if (typeof included === 'string') {
      issues.push({ path, message: `${labelOf(path)}: ${excerpt(app.manifest, 80)} ${included}` });
      return app;
    }
    return { ...app, manifest, included };
  });
  issues.push(...checkAppManifests(apps, [result.draft.registry.clusterIP]));
  if (issues.length > 0) throw new ConfigError(source, issues);
  return { config: { ...result.draft, apps }, warnings: result.warnings, source };
}

/** The override variables the environment sets, as it names them (`PARAM_…` forms included). */
export function overridesSet(env: Environment): string[] {
  return ENV_OVERRIDES.flatMap(({ variable }) => lookupVariable(env, variable)?.variable ?? []);
}

export function parseConfigFile(file: string, source: string, field: string): unknown {
  let text: string;
  try {
    text = readRegularFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : unreadableReason(error);
    throw new ConfigError(source, [{ path: field, message: `${field}: ${excerpt(file, 80)} ${reason}` }]);
  }
  const fail = (message: string) =>
    new ConfigError(source, [{ path: field, message: `${field}: ${message}` }]);
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e) => ({
      path: '',
      // The library's advice (use parseAllDocuments) is for its callers, not for the config's author.
      message:
        e.code === 'MULTIPLE_DOCS'
          ? `${source}: holds more than one YAML document; a config is one mapping: remove the --- and merge the documents`
          : // The parser's first line ends in ':' before a code frame that a one-line message leaves out.
            `${source}: YAML syntax: ${excerpt(e.message.split('\n')[0].replace(/:\s*$/, ''), 120).slice(1, -1)}; correct the YAML there`,
    }));
    throw new ConfigError(source, issues);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch {
    throw fail(
      `expands YAML aliases more than ${MAX_YAML_ALIASES} times (an alias bomb); write the values out`,
    );
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw fail(
      `${excerpt(source, 80)} holds ${typeName(data)}, not a config mapping; name a synth config file`,
    );
  }
  const keys = Object.keys(data);
  if (keys.length > 0 && !keys.some((key) => (CONFIG_SECTIONS as readonly string[]).includes(key))) {
    // Its keys are the file's content (`user:hash:…` lines of /etc/shadow parse as keys): never print them.
    throw fail(
      `${excerpt(source, 80)} holds a mapping without any synth key (${CONFIG_SECTIONS.join(', ')}), not a config; name a synth config file`,
    );
  }
  return data;
}

/** Applies the environment overrides to raw config data, then validates; pure. */
export function validateWithOverrides(
  raw: unknown,
  env: Environment,
  source = '(inline)',
): { config: SynthConfig; warnings: readonly string[] } {
  const { result } = validateOverridden(raw, env);
  if (!result.config) throw new ConfigError(source, result.issues);
  return { config: result.config, warnings: result.warnings };
}

function validateOverridden(raw: unknown, env: Environment) {
  const overridden = new Map<string, string>();
  let data = raw;
  for (const { variable, path, integer } of ENV_OVERRIDES) {
    const found = lookupVariable(env, variable);
    if (!found) continue;
    const value = integer && /^\d{1,15}$/.test(found.value) ? Number(found.value) : found.value;
    data = setIn(data, path, value);
    overridden.set(path.join('.'), found.variable);
  }
  const labelOf = (path: string) => (overridden.has(path) ? `${path} (from ${overridden.get(path)})` : path);
  return { result: validateConfig(data, labelOf), labelOf };
}

function setIn(data: unknown, path: readonly string[], value: unknown): unknown {
  if (data === undefined || data === null) return setIn({}, path, value);
  // Leave data of the wrong shape alone: the validator reports it.
  if (typeof data !== 'object' || Array.isArray(data)) return data;
  const base = data;
  const [head, ...rest] = path;
  const child = (base as Record<string, unknown>)[head];
  return { ...base, [head]: rest.length === 0 ? value : setIn(child, rest, value) };
}
