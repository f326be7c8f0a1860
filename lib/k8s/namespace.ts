import type { Construct } from 'constructs';
import type { PodSecurityLevel } from '../config/types';
import { KubeNamespace } from './types';
import { MANAGED_BY } from './labels';

/** A Namespace that enforces (and warns at) one Pod Security level. */
export function podSecurityNamespace(
  scope: Construct,
  id: string,
  name: string,
  level: PodSecurityLevel,
): KubeNamespace {
  return new KubeNamespace(scope, id, {
    metadata: {
      name,
      labels: {
        'app.kubernetes.io/managed-by': MANAGED_BY,
        'pod-security.kubernetes.io/enforce': level,
        'pod-security.kubernetes.io/warn': level,
      },
    },
  });
}
