// `npm run doctor`: compares the live cluster with the config, the seed's verification section made real.
import { cliFailure } from '../cli/cli-errors';
import { loadOneConfig } from '../config/load-clusters';
import { loadKubeConfig } from '../discovery/kube-config';
import { lookupServiceClusterIp } from '../discovery/service-lookup';
import { DiscoveryError, resolveRegistryAddress } from '../discovery/resolve-registry-address';
import { diagnose } from './findings';
import { readClusterState } from './read-cluster';

async function main(): Promise<number> {
  const warn = (message: string) => process.stderr.write(`warning: ${message}\n`);
  const { config } = loadOneConfig(process.env);
  const address = await resolveRegistryAddress(config, process.env, () => lookupServiceClusterIp, warn);
  const loaded = loadKubeConfig(process.env, config.discovery.context);
  if (!loaded.ok) throw new DiscoveryError(`no cluster to check: ${loaded.detail}`);
  const where = `cluster ${loaded.cluster.server} (context ${loaded.cluster.context})`;
  const timeoutMs = config.discovery.timeoutSeconds * 1000;
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(
      () => reject(new DiscoveryError(`${where} did not answer within ${timeoutMs / 1000} s`)),
      timeoutMs,
    ).unref(),
  );
  const state = await Promise.race([readClusterState(loaded.kubeConfig, config), timeout]).catch(
    (error: Error) => {
      throw error instanceof DiscoveryError
        ? error
        : new DiscoveryError(`could not read ${where}: ${error.message}`);
    },
  );
  const findings = diagnose(config, address, state);
  process.stdout.write(`doctor: ${where}, registry address ${address.ipHost} (${address.source})\n`);
  for (const f of findings) process.stdout.write(`${f.ok ? 'ok  ' : 'FAIL'}  ${f.check}: ${f.detail}\n`);
  const failed = findings.filter((f) => !f.ok).length;
  process.stdout.write(failed === 0 ? 'doctor: all checks pass\n' : `doctor: ${failed} check(s) failed\n`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => process.exit(cliFailure('doctor', error)),
);
