import type { Check, FieldReader } from '../field-reader';
import { custom, list, object, optionalString, string, boolean, type Infer } from './nodes';
import { readObject } from './read';
import { checked, dnsLabel, dnsSubdomain, expecting } from './rules';

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
const bucketShape = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ipShape = /^\d+\.\d+\.\d+\.\d+$/;
const bucketName = checked(
  (v) =>
    bucketShape.test(v) && !v.includes('..') && !ipShape.test(v)
      ? undefined
      : 'is not an S3 bucket name (3 to 63 lower-case letters, digits, dots and hyphens)',
  {
    type: 'string',
    pattern: bucketShape.source,
    not: { anyOf: [{ pattern: '\\.\\.' }, { pattern: ipShape.source }] },
  },
);
const regionShape = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const region = checked(
  (v) => (regionShape.test(v) && v.length <= 32 ? undefined : 'is not a region such as us-east-1'),
  { type: 'string', pattern: regionShape.source, maxLength: 32 },
);
const secretName = expecting(dnsSubdomain, 'is not a Secret name (DNS-1123 subdomain)');
const prefixShape = /^\/[A-Za-z0-9._\-/]*[A-Za-z0-9._-]$/;
const objectPrefix = checked(
  (v) =>
    prefixShape.test(v) && !v.split('/').some((p) => p === '..' || p === '.')
      ? undefined
      : 'is not a prefix such as /registry (absolute, no . or .. segments, no trailing /)',
  { type: 'string', pattern: prefixShape.source, not: { pattern: '(?:^|/)\\.\\.?(?:/|$)' } },
);

const REQUIRED_WITH_S3 = 'is required with registry.storage.type s3';

const s3Section = object({
  endpoint: optionalString({
    rule: checked(endpointUrl, { type: 'string', pattern: '^https?://[A-Za-z0-9.\\-\\[\\]:]+/?$' }),
    description: 'Base URL of an S3-compatible server; unset means AWS S3. No credentials, path or query.',
  }),
  bucket: string({ rule: bucketName, required: REQUIRED_WITH_S3 }),
  region: string({ default: 'us-east-1', rule: region }),
  credentialsSecret: string({
    rule: secretName,
    required: REQUIRED_WITH_S3,
    description:
      'Secret in registry.namespace with the keys accessKey and secretKey; credentials never go in this file.',
  }),
  rootDirectory: optionalString({
    rule: objectPrefix,
    description: "Prefix of every object the registry writes in the bucket; unset means the bucket's root.",
  }),
  redirect: boolean(
    false,
    'Let pulls fetch blobs straight from S3 (a redirect); nodes must then reach the endpoint.',
  ),
});

type S3StorageConfig = Infer<typeof s3Section>;

/** `registry.storage.s3`: only with `type: s3`, and never with a credential in it. */
export const s3Storage = custom<S3StorageConfig | undefined, true>({
  optional: true,
  default: undefined,
  description:
    'S3-compatible object storage shared by every registry process (the scale-out mode); only with type s3.',
  shape: s3Section,
  read(reader: FieldReader, path, raw, storage) {
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
    if (storage.type !== 's3') {
      if (raw !== undefined && raw !== null) reader.fail(path, 'is only read with registry.storage.type s3');
      return undefined;
    }
    return readObject(reader, s3Section, path, raw);
  },
});

/** `registry.builderPush`: the namespaces allowed to push and the htpasswd Secret. */
export const builderPush = object(
  {
    namespaces: list(string({ rule: expecting(dnsLabel, 'is not a namespace name (DNS-1123 label)') }), {
      unique: true,
      description: 'Namespaces whose pods may reach the push Service; empty means no push path.',
    }),
    htpasswdSecret: string({
      default: 'internal-registry-htpasswd',
      rule: secretName,
      description:
        "Secret in the registry's namespace whose key htpasswd holds bcrypt htpasswd lines (htpasswd -B).",
    }),
  },
  { description: 'The opt-in push path for in-cluster builders: never the pull address.' },
);
