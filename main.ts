import { resolve } from 'node:path';
import { assertNoPlaceholderIn } from './lib/apps/image-placeholder';
import { buildApp } from './lib/build-app';
import { reportFailure, reportStreamFailure } from './lib/cli/cli-errors';
import { loadConfigSet, loadOneConfig } from './lib/config/load-clusters';
import { ConfigError } from './lib/config/errors';
import { sourceOf } from './lib/config/load';
import type { SynthConfig } from './lib/config/types';
import { projectRoot } from './lib/cli/project-root';
import { argoOutputMismatch } from './lib/delivery/argo-application';
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

/** Refuses (or warns of) an output folder that the Application or ApplicationSet would not read. */
function checkArgoReadsOutput(
  config: SynthConfig,
  source: string,
  outdir: string,
  reader: string | undefined,
): void {
  const { refuse, warn: preview } = argoOutputMismatch(
    config.delivery.argoApplication,
    sourceOf(resolve(outdir), projectRoot()) || '.',
    reader,
  );
  if (refuse) throw new ConfigError(source, [{ path: 'delivery.argoApplication.path', message: refuse }]);
  if (preview) warn(preview);
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
  const outdir = outputFolderOf(process.env);
  if (set.kind === 'single') {
    const { config, warnings, source } = set.loaded;
    warnings.forEach(warn);
    const reader = config.delivery.argoApplication.source === 'directory' ? 'the Application' : undefined;
    checkArgoReadsOutput(config, source, outdir, reader);
    const address = await resolveRegistryAddress(config, process.env, loadServiceLookup, warn);
    writeOutput(outdir, (dir) => synthesize(config, address, dir));
    return;
  }
  // Every cluster is loaded, and its address resolved, before anything is written (issue 11).
  const [first] = set.clusters;
  checkArgoReadsOutput(first.loaded.config, set.folder, outdir, 'the ApplicationSet');
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
    outdir,
    (dir) => writeClusterOutput(dir, set.folder, clusters, synthesize),
    process.pid,
    'clusters',
  );
}

main().catch((error: unknown) => {
  process.exitCode = toStdout ? reportStreamFailure(error) : reportFailure(error);
});
