import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { projectRoot } from '../project-root';
import { checkAppManifests } from './app-manifests';
import { ConfigError } from './errors';
import type { SynthConfig } from './types';
import { validateConfig } from './validate';

export type Environment = Readonly<Record<string, string | undefined>>;

/** Environment variables that override one config field each (per-cluster values set by CI or Argo CD). */
export const ENV_OVERRIDES: ReadonlyArray<{ readonly variable: string; readonly path: readonly string[] }> = [
  { variable: 'REGISTRY_CLUSTER_IP', path: ['registry', 'clusterIP'] },
  { variable: 'REGISTRY_SERVICE_CIDR', path: ['registry', 'serviceCIDR'] },
  { variable: 'REGISTRY_PORT', path: ['registry', 'port'] },
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

/** Reads the config file named by `SYNTH_CONFIG` (or the default), applies overrides and validates it. */
export function loadConfig(env: Environment, root: string = projectRoot()): LoadedConfig {
  const named = lookupVariable(env, 'SYNTH_CONFIG');
  const file = named ? resolve(named.value) : join(root, DEFAULT_CONFIG_FILE);
  const source =
    isAbsolute(relative(root, file)) || relative(root, file).startsWith('..') ? file : relative(root, file);
  const raw = parseConfigFile(file, source, named?.variable ?? 'config file');
  const { config, warnings } = validateWithOverrides(raw, env, source);
  // An app's manifest path is relative to the config file that names it.
  const apps = config.apps.map((app) =>
    app.manifest ? { ...app, manifest: resolve(dirname(file), app.manifest) } : app,
  );
  const manifestIssues = checkAppManifests(apps);
  if (manifestIssues.length > 0) throw new ConfigError(source, manifestIssues);
  return { config: { ...config, apps }, warnings, source };
}

function parseConfigFile(file: string, source: string, field: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : String(error);
    throw new ConfigError(source, [{ path: field, message: `${field}: '${file}' ${reason}` }]);
  }
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e) => ({
      path: '',
      message: `${source}: YAML syntax: ${e.message.split('\n')[0]}`,
    }));
    throw new ConfigError(source, issues);
  }
  return doc.toJS() ?? {};
}

/** Applies the environment overrides to raw config data, then validates; pure. */
export function validateWithOverrides(
  raw: unknown,
  env: Environment,
  source = '(inline)',
): { config: SynthConfig; warnings: readonly string[] } {
  const overridden = new Map<string, string>();
  let data = raw;
  for (const { variable, path } of ENV_OVERRIDES) {
    const found = lookupVariable(env, variable);
    if (!found) continue;
    data = setIn(data, path, found.value);
    overridden.set(path.join('.'), found.variable);
  }
  const labelOf = (path: string) => (overridden.has(path) ? `${path} (from ${overridden.get(path)})` : path);
  const result = validateConfig(data, labelOf);
  if (!result.config) throw new ConfigError(source, result.issues);
  return { config: result.config, warnings: result.warnings };
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
