import { assertNoPlaceholderIn } from './lib/apps/image-placeholder';
import { buildApp } from './lib/build-app';
import { reportFailure, reportStreamFailure } from './lib/cli-errors';
import { loadConfig } from './lib/config/load';
import { writeKustomization } from './lib/delivery/kustomization';
import { loadServiceLookup } from './lib/discovery/load-service-lookup';
import { useFastYaml } from './lib/fast-yaml';
import { resolveRegistryAddress } from './lib/resolve-registry-address';
import { synthOnce } from './lib/synth-once';
import { renderManifestStream, writeManifestsAtomically } from './lib/write-manifests';

const toStdout = process.argv.includes('--stdout');

async function main(): Promise<void> {
  useFastYaml();
  const warn = (message: string) => process.stderr.write(`warning: ${message}\n`);
  const { config, warnings } = loadConfig(process.env);
  warnings.forEach(warn);
  const address = await resolveRegistryAddress(config, process.env, loadServiceLookup, warn);
  const synthesize = (dir: string) => {
    synthOnce(buildApp(config, address, dir));
    assertNoPlaceholderIn(dir);
  };
  if (toStdout) {
    process.stdout.write(renderManifestStream(synthesize));
    return;
  }
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  writeManifestsAtomically(outdir, synthesize);
  writeKustomization(outdir);
}

main().catch((error: unknown) => {
  process.exitCode = toStdout ? reportStreamFailure(error) : reportFailure(error);
});
