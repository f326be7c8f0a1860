import { isDns1123Label, isDns1123Subdomain } from '../k8s/names';
import { REGISTRY_DEFAULTS, S3_DEFAULTS } from './defaults';
import type { Check, FieldReader } from './field-reader';
import type { BuilderPushConfig, RegistryConfig, S3StorageConfig } from './types';

/** Keys that would put a credential into the config, and so into git and `dist/`. */
const CREDENTIAL_KEYS = ['accessKey', 'secretKey', 'accesskey', 'secretkey', 'sessionToken', 'password'];

/** The replica ceiling: far above what the capacity model in the README asks for. */
export const MAX_REGISTRY_REPLICAS = 50;

const endpointUrl: Check<string> = (v) => {
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return 'is not a URL such as http://minio.storage.svc:9000';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must start with http:// or https://';
  if (url.username || url.password)
    return 'must not carry credentials; put them in the Secret named by registry.storage.s3.credentialsSecret';
  if (url.search || url.hash || (url.pathname !== '/' && url.pathname !== ''))
    return 'must be the server’s base URL, with no path, query or fragment (the bucket is its own key)';
  if (!/^[A-Za-z0-9.\-[\]:]+$/.test(url.host)) return 'has an invalid host';
  return undefined;
};
const bucketName: Check<string> = (v) =>
  /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v) && !v.includes('..') && !/^\d+\.\d+\.\d+\.\d+$/.test(v)
    ? undefined
    : 'is not an S3 bucket name (3 to 63 lower-case letters, digits, dots and hyphens)';
const regionName: Check<string> = (v) =>
  /^[a-z0-9]+(-[a-z0-9]+)*$/.test(v) && v.length <= 32 ? undefined : 'is not a region such as us-east-1';
const secretName: Check<string> = (v) =>
  isDns1123Subdomain(v) ? undefined : 'is not a Secret name (DNS-1123 subdomain)';
const objectPrefix: Check<string> = (v) =>
  /^\/[A-Za-z0-9._\-/]*[A-Za-z0-9._-]$/.test(v) && !v.split('/').some((p) => p === '..' || p === '.')
    ? undefined
    : 'is not a prefix such as /registry (absolute, no . or .. segments, no trailing /)';

/** `registry.storage.s3`: only with `type: s3`, and never with a credential in it. */
export function readS3Storage(reader: FieldReader, type: string, raw: unknown): S3StorageConfig | undefined {
  const path = 'registry.storage.s3';
  if (raw !== undefined && raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const credentials = Object.keys(raw).filter((k) => CREDENTIAL_KEYS.includes(k));
    for (const key of credentials) {
      reader.fail(
        `${path}.${key}`,
        'credentials never go in the config (it is committed, and would land in dist/); create the Secret named by credentialsSecret with the keys accessKey and secretKey',
      );
    }
    raw = Object.fromEntries(Object.entries(raw).filter(([k]) => !credentials.includes(k)));
  }
  if (type !== 's3') {
    if (raw !== undefined && raw !== null) reader.fail(path, 'is only read with registry.storage.type s3');
    return undefined;
  }
  const s = reader.section(path, raw, [
    'endpoint',
    'bucket',
    'region',
    'credentialsSecret',
    'rootDirectory',
    'redirect',
  ]);
  const required = (key: string, check: Check<string>) => {
    if (s[key] === undefined || s[key] === null || s[key] === '') {
      reader.fail(`${path}.${key}`, 'is required with registry.storage.type s3');
      return '';
    }
    return reader.string(`${path}.${key}`, s[key], '', check);
  };
  return {
    endpoint: reader.optionalString(`${path}.endpoint`, s.endpoint, endpointUrl),
    bucket: required('bucket', bucketName),
    region: reader.string(`${path}.region`, s.region, S3_DEFAULTS.region, regionName),
    credentialsSecret: required('credentialsSecret', secretName),
    rootDirectory: reader.optionalString(`${path}.rootDirectory`, s.rootDirectory, objectPrefix),
    redirect: reader.boolean(`${path}.redirect`, s.redirect, S3_DEFAULTS.redirect),
  };
}

/** `registry.builderPush`: the namespaces allowed to push and the htpasswd Secret. */
export function readBuilderPush(reader: FieldReader, raw: unknown): BuilderPushConfig {
  const path = 'registry.builderPush';
  const d = REGISTRY_DEFAULTS.builderPush;
  const s = reader.section(path, raw, ['namespaces', 'htpasswdSecret']);
  const namespaces = reader.list(`${path}.namespaces`, s.namespaces, d.namespaces, (item, p) =>
    reader.string(p, item, '', (v) =>
      isDns1123Label(v) ? undefined : 'is not a namespace name (DNS-1123 label)',
    ),
  );
  namespaces.forEach((ns, i) => {
    if (ns && namespaces.indexOf(ns) !== i)
      reader.fail(`${path}.namespaces[${i}]`, `'${ns}' is listed twice`);
  });
  return {
    namespaces,
    htpasswdSecret: reader.string(`${path}.htpasswdSecret`, s.htpasswdSecret, d.htpasswdSecret, secretName),
  };
}

/** More than one replica needs storage every replica reads at once: only S3 is that here. */
export function checkReplicas(reader: FieldReader, registry: RegistryConfig): void {
  if (registry.replicas > 1 && registry.storage.type !== 's3') {
    reader.fail(
      'registry.replicas',
      `${registry.replicas} replicas need registry.storage.type s3: with ${registry.storage.type} each replica would have its own images (or could not mount the volume); use 1, or shared object storage`,
    );
  }
}
