import { buildApp } from './lib/build-app';
import { reportFailure } from './lib/cli-errors';
import { loadConfig } from './lib/config/load';
import { pinnedRegistryAddress } from './lib/registry-address';
import { writeManifestsAtomically } from './lib/write-manifests';

function main(): void {
  const { config, warnings } = loadConfig(process.env);
  for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
  const address = pinnedRegistryAddress(config.registry);
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  writeManifestsAtomically(outdir, (dir) => buildApp(config, address, dir).synth());
}

try {
  main();
} catch (error) {
  process.exitCode = reportFailure(error);
}
