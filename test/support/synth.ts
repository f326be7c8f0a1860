import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { buildApp } from '../../lib/build-app';
import { validateWithOverrides, type Environment } from '../../lib/config/load';
import type { SynthConfig } from '../../lib/config/types';
import { pinnedRegistryAddress, type RegistryAddress } from '../../lib/registry/registry-address';

/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are read as loosely typed YAML */
export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: any; annotations?: any };
} & Record<string, any>;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** A validated config from raw data, as the loader builds it. */
export function configOf(raw: unknown = {}, env: Environment = {}): SynthConfig {
  return validateWithOverrides(raw, env).config;
}

/** Synthesizes in memory: chart id → its objects. */
export function synthCharts(config: SynthConfig, address?: RegistryAddress): Map<string, Manifest[]> {
  const app = buildApp(config, address ?? pinnedRegistryAddress(config.registry), tmpdir());
  app.synthYaml(); // resolves dependencies and runs validations, as synth does
  return new Map(app.charts.map((chart) => [chart.node.id, chart.toJson() as Manifest[]]));
}

export function allObjects(charts: Map<string, Manifest[]>): Manifest[] {
  return [...charts.values()].flat();
}

export function find(objects: Manifest[], kind: string, name: string): Manifest {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found)
    throw new Error(`no ${kind} ${name} in ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
}

/** Every file of a manifest folder, in the order kubectl reads them, with its objects. */
export function readManifestDir(dir: string): Array<{ file: string; text: string; objects: Manifest[] }> {
  return readdirSync(dir)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      const objects = parseAllDocuments(text).map((d) => d.toJS() as Manifest);
      return { file, text, objects };
    });
}

export function tempDir(prefix = 'synth-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
