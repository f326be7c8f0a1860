import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './synth';

/**
 * Runs kubectl against an API server that refuses at once (loopback, the discard port), so that
 * `kubectl create --dry-run=client` names each file it reads (`unable to recognize "<file>"`)
 * without a cluster; no packet leaves the machine.
 */
export function kubectlWithoutCluster(args: readonly string[]): {
  status: number | null;
  stdout: string;
  stderr: string;
} {
  const home = tempDir('kubectl-home-');
  const kubeconfig = join(home, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:9"}}]\n' +
      'contexts: [{name: c, context: {cluster: c}}]\ncurrent-context: c\n',
  );
  const result = spawnSync('kubectl', args, {
    env: { PATH: process.env.PATH ?? '', KUBECONFIG: kubeconfig, HOME: home },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The files `kubectl create --dry-run=client -f <dir>` read, by name, in the order it read them. */
export function filesKubectlReads(dir: string): string[] {
  const result = kubectlWithoutCluster(['create', '--dry-run=client', '--validate=false', '-f', dir]);
  const order = [...result.stderr.matchAll(/unable to recognize "([^"]+)"/g)].map((m) =>
    m[1].split('/').pop()!,
  );
  return order.filter((f, i) => order.indexOf(f) === i);
}
