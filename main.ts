import { assertNoPlaceholderIn } from './lib/apps/image-placeholder';
import { buildApp } from './lib/build-app';
import { reportFailure, reportStreamFailure } from './lib/cli/cli-errors';
import { loadConfigSet, loadOneConfig } from './lib/config/load-clusters';
import type { SynthConfig } from './lib/config/types';
import { assertOneOwnerPerObject } from './lib/k8s/object-owners';
import { loadServiceLookup } from './lib/discovery/load-service-lookup';
import { useFastYaml } from './lib/output/fast-yaml';
import { resolveRegistryAddress } from './lib/discovery/resolve-registry-address';
import { synthOnce } from './lib/output/synth-once';
import { inClusterAsync, writeClusterOutput, type ClusterToWrite } from './lib/output/cluster-output';
import { outputFolderOf, renderManifestStream, writeOutput } from './lib/output/write-manifests';
import type { RegistryAddress } from './lib/registry/registry-address';

const toStdout = process.argv.includes('--stdout');
const warn = (message: string) => process.stderr.write(`warning: ${message}\n`);

function synthesize(config: SynthConfig, address: RegistryAddress, dir: string): void {
  const app = buildApp(config, address, dir);
  assertOneOwnerPerObject(app);
  synthOnce(app);
  assertNoPlaceholderIn(dir);
}

async function main(): Promise<void> {
  useFastYaml();
  if (toStdout) {
    const { config, warnings } = loadOneConfig(process.env);
    warnings.forEach(warn);
    const address = await resolveRegistryAddress(config, process.env, loadServiceLookup, warn);
    process.stdout.write(renderManifestStream((dir) => synthesize(config, address, dir)));
    return;
  }
  const set = loadConfigSet(process.env);
  if (set.kind === 'single') {
    const { config, warnings } = set.loaded;
    warnings.forEach(warn);
    const address = await resolveRegistryAddress(config, process.env, loadServiceLookup, warn);
    writeOutput(outputFolderOf(process.env), (dir) => synthesize(config, address, dir));
    return;
  }
  // Every cluster is loaded, and its address resolved, before anything is written (issue 11).
  const clusters: ClusterToWrite[] = [];
  for (const { name, loaded } of set.clusters) {
    const warnFor = (message: string) => warn(`${name}: ${message}`);
    loaded.warnings.forEach(warnFor);
    const address = await inClusterAsync(loaded.source, () =>
      resolveRegistryAddress(loaded.config, process.env, loadServiceLookup, warnFor),
    );
    clusters.push({ name, source: loaded.source, config: loaded.config, address });
  }
  writeOutput(
    outputFolderOf(process.env),
    (dir) => writeClusterOutput(dir, set.folder, clusters, synthesize),
    process.pid,
    'clusters',
  );
}

main().catch((error: unknown) => {
  process.exitCode = toStdout ? reportStreamFailure(error) : reportFailure(error);
});
