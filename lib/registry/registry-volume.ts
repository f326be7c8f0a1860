import type { StorageConfig } from '../config/types';
import type { Volume } from '../k8s';

export const DATA_VOLUME = 'data';

/** The volume that holds the registry's blobs, from the storage config; pure. */
export function registryDataVolume(storage: StorageConfig, claimName: string): Volume {
  switch (storage.type) {
    case 'persistentVolumeClaim':
      return { name: DATA_VOLUME, persistentVolumeClaim: { claimName } };
    case 'hostPath':
      return { name: DATA_VOLUME, hostPath: { path: storage.hostPath, type: 'DirectoryOrCreate' } };
    case 'emptyDir':
      return { name: DATA_VOLUME, emptyDir: {} };
  }
}

/**
 * A second registry pod must never run beside the first on a volume that only one node can mount
 * or that the two would write at once.
 */
export function needsRecreateStrategy(storage: StorageConfig): boolean {
  return storage.type !== 'emptyDir';
}
