import type { StorageConfig } from '../config/types';
import type { Volume } from '../k8s/types';

export const DATA_VOLUME = 'data';

/** The volume that holds the registry's blobs, from the storage config (none for S3); pure. */
export function registryDataVolume(storage: StorageConfig, claimName: string): Volume | undefined {
  switch (storage.type) {
    case 'persistentVolumeClaim':
      return { name: DATA_VOLUME, persistentVolumeClaim: { claimName } };
    case 'hostPath':
      return { name: DATA_VOLUME, hostPath: { path: storage.hostPath, type: 'DirectoryOrCreate' } };
    case 'emptyDir':
      return { name: DATA_VOLUME, emptyDir: {} };
    case 's3':
      return undefined;
  }
}

/**
 * A second registry pod must never run beside the first on a volume that only one node can mount
 * or that the two would write at once; nor may a second writer take uploads on S3.
 */
export function needsRecreateStrategy(storage: StorageConfig): boolean {
  return storage.type !== 'emptyDir';
}
