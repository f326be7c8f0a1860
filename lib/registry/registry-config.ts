import { stringify } from 'yaml';
import type { RegistryConfig } from '../config/types';
import { LISTEN_ADDRESS, type RegistryRole } from './registry-roles';

/** Where the data volume is mounted (filesystem storage). */
export const DATA_DIR = '/var/lib/registry';
/** Where each container reads its config (the registry image's own path). */
export const CONFIG_FILE = '/etc/docker/registry/config.yml';
/** Where the builder reads the htpasswd file of `registry.builderPush.htpasswdSecret`. */
export const HTPASSWD_DIR = '/etc/docker/registry/auth';
/** The key the htpasswd Secret must hold. */
export const HTPASSWD_KEY = 'htpasswd';
/** The keys the S3 credentials Secret must hold. */
export const S3_SECRET_KEYS = { accessKey: 'accessKey', secretKey: 'secretKey' } as const;
/** The registry reads its S3 credentials from these variables (set from the Secret, never rendered). */
export const S3_CREDENTIAL_ENV = {
  accessKey: 'REGISTRY_STORAGE_S3_ACCESSKEY',
  secretKey: 'REGISTRY_STORAGE_S3_SECRETKEY',
} as const;

/** The ConfigMap key that holds a role's config. */
export function configKey(role: RegistryRole): string {
  return `${role}.yml`;
}

function storage(registry: RegistryConfig, role: RegistryRole): Record<string, unknown> {
  const s3 = registry.storage.s3;
  const driver = s3
    ? {
        s3: {
          ...(s3.endpoint ? { regionendpoint: s3.endpoint } : {}),
          region: s3.region,
          bucket: s3.bucket,
          ...(s3.rootDirectory ? { rootdirectory: s3.rootDirectory } : {}),
          // distribution 2.8 has no forcepathstyle: regionendpoint implies path-style requests.
          secure: !s3.endpoint || s3.endpoint.startsWith('https:'),
          v4auth: true,
        },
        redirect: { disable: !s3.redirect },
      }
    : { filesystem: { rootdirectory: DATA_DIR } };
  return {
    ...driver,
    delete: { enabled: registry.deleteEnabled },
    // A reader that kept blob descriptors in memory answered 200 with 0 bytes for a blob that a
    // garbage collection had deleted (measured with 2.8.2 on S3, issue 12): readers go to storage.
    ...(role === 'reader' ? {} : { cache: { blobdescriptor: 'inmemory' } }),
    // Readers change nothing in storage, old uploads included.
    ...(role === 'reader'
      ? { maintenance: { uploadpurging: { enabled: false }, readonly: { enabled: true } } }
      : {}),
  };
}

/**
 * The `config.yml` of one registry process; pure. Based on the registry:2 image's own config.
 * No `http.secret`: only one process takes a given upload from start to end (the writer, or the
 * builder, each a single process behind its own address), so none needs another's upload state.
 */
export function renderRegistryConfig(registry: RegistryConfig, role: RegistryRole): string {
  return stringify({
    version: 0.1,
    log: { fields: { service: 'registry', role } },
    storage: storage(registry, role),
    http: { addr: LISTEN_ADDRESS[role], headers: { 'X-Content-Type-Options': ['nosniff'] } },
    ...(role === 'builder'
      ? { auth: { htpasswd: { realm: `${registry.name}-push`, path: `${HTPASSWD_DIR}/${HTPASSWD_KEY}` } } }
      : {}),
    health: { storagedriver: { enabled: true, interval: '10s', threshold: 3 } },
  });
}
