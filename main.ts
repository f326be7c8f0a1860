import { assertNoPlaceholderIn } from './lib/apps/image-placeholder';
import { buildApp } from './lib/build-app';
import { reportFailure } from './lib/cli-errors';
import { loadConfig } from './lib/config/load';
import { assertOneOwnerPerObject } from './lib/object-owners';
import { loadServiceLookup } from './lib/discovery/load-service-lookup';
import { resolveRegistryAddress } from './lib/resolve-registry-address';
import { outputFolderOf, renderManifestStream, writeOutput } from './lib/write-manifests';

async function main(): Promise<void> {
  const warn = (message: string) => process.stderr.write(`warning: ${message}\n`);
  const { config, warnings } = loadConfig(process.env);
  warnings.forEach(warn);
  const address = await resolveRegistryAddress(config, process.env, loadServiceLookup, warn);
  const synthesize = (dir: string) => {
    const app = buildApp(config, address, dir);
    assertOneOwnerPerObject(app);
    app.synth();
    assertNoPlaceholderIn(dir);
  };
  if (process.argv.includes('--stdout')) {
    process.stdout.write(renderManifestStream(synthesize));
    return;
  }
  writeOutput(outputFolderOf(process.env), synthesize);
}

main().catch((error: unknown) => {
  process.exitCode = reportFailure(error);
});
