// `npm run push`'s question to the config: which workload runs the writer, in which namespace, on
// which port, through which kubeconfig context. Prints `<namespace> <deployment/name> <port>`, then
// ` <context>` when the config names one (`discovery.context`, `KUBE_CONTEXT`): with clusters/ each
// cluster file names its own, and pushing through the current context would reach another cluster's
// registry (issue 11). Exit 2 on a config error.
import { cliFailure } from './cli-errors';
import { loadOneConfig } from '../config/load-clusters';
import { pushTarget } from '../registry/registry-roles';

try {
  const { config } = loadOneConfig(process.env);
  const { namespace, workload, port } = pushTarget(config.registry);
  const context = config.discovery.context ? ` ${config.discovery.context}` : '';
  process.stdout.write(`${namespace} ${workload} ${port}${context}\n`);
} catch (error) {
  process.exit(cliFailure('push', error));
}
