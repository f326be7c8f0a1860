// `npm run push`'s question to the config: which workload runs the writer, in which namespace, on
// which port. Prints `<namespace> <deployment/name> <port>`; exit 2 on a config error.
import { cliFailure } from './cli-errors';
import { loadOneConfig } from '../config/load-clusters';
import { pushTarget } from '../registry/registry-roles';

try {
  const { namespace, workload, port } = pushTarget(loadOneConfig(process.env).config.registry);
  process.stdout.write(`${namespace} ${workload} ${port}\n`);
} catch (error) {
  process.exit(cliFailure('push', error));
}
