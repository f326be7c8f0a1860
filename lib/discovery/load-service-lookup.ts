import { join } from 'node:path';
import { projectRoot } from '../cli/project-root';
import type { LookupRequest, LookupResult } from './service-lookup';

export type ServiceLookup = (request: LookupRequest) => Promise<LookupResult>;

/**
 * The Kubernetes client bundles to about 1.5 MB, more than all of synth: scripts/build.mjs puts it
 * in build/discover.js, loaded only when discovery is asked for, so a pinned synth never pays for it.
 */
export function loadServiceLookup(root: string = projectRoot()): ServiceLookup {
  const file = join(root, 'build', 'discover.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bundle = require(file) as { lookupServiceClusterIp: ServiceLookup };
  return bundle.lookupServiceClusterIp;
}
