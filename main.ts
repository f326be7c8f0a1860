import { assertNoPlaceholderIn } from './lib/apps/image-placeholder';
import { buildApp } from './lib/build-app';
import { reportFailure } from './lib/cli-errors';
import { loadConfig } from './lib/config/load';
import { loadServiceLookup } from './lib/discovery/load-service-lookup';
import { resolveRegistryAddress } from './lib/resolve-registry-address';
import { writeManifestsAtomically } from './lib/write-manifests';

async function main(): Promise<void> {
  const warn = (message: string) => process.stderr.write(`warning: ${message}\n`);
  const { config, warnings } = loadConfig(process.env);
  warnings.forEach(warn);
  const address = await resolveRegistryAddress(config, process.env, loadServiceLookup, warn);
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  writeManifestsAtomically(outdir, (dir) => {
    buildApp(config, address, dir).synth();
    assertNoPlaceholderIn(dir);
  });
}

main().catch((error: unknown) => {
  process.exitCode = reportFailure(error);
});
