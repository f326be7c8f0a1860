import { assertNoPlaceholderIn } from './lib/apps/image-placeholder';
import { buildApp } from './lib/build-app';
import { reportFailure, reportStreamFailure } from './lib/cli/cli-errors';
import { loadConfig } from './lib/config/load';
import { assertOneOwnerPerObject } from './lib/k8s/object-owners';
import { loadServiceLookup } from './lib/discovery/load-service-lookup';
import { useFastYaml } from './lib/output/fast-yaml';
import { resolveRegistryAddress } from './lib/discovery/resolve-registry-address';
import { synthOnce } from './lib/output/synth-once';
import { outputFolderOf, renderManifestStream, writeOutput } from './lib/output/write-manifests';

const toStdout = process.argv.includes('--stdout');

async function main(): Promise<void> {
  useFastYaml();
  const warn = (message: string) => process.stderr.write(`warning: ${message}\n`);
  const { config, warnings } = loadConfig(process.env);
  warnings.forEach(warn);
  const address = await resolveRegistryAddress(config, process.env, loadServiceLookup, warn);
  const synthesize = (dir: string) => {
    const app = buildApp(config, address, dir);
    assertOneOwnerPerObject(app);
    synthOnce(app);
    assertNoPlaceholderIn(dir);
  };
  if (toStdout) {
    process.stdout.write(renderManifestStream(synthesize));
    return;
  }
  writeOutput(outputFolderOf(process.env), synthesize);
}

main().catch((error: unknown) => {
  process.exitCode = toStdout ? reportStreamFailure(error) : reportFailure(error);
});
