import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../lib/config/errors';
import { validateWithOverrides } from '../lib/config/load';
import { fingerprint, runSynth } from './support/run';
import { tempDir } from './support/synth';

/** The messages of the issues a config has. */
function problemsOf(raw: unknown): string[] {
  try {
    validateWithOverrides(raw, {});
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => i.message);
    throw error;
  }
  return [];
}

const S3 = { bucket: 'registry', credentialsSecret: 'registry-s3' };
const s3 = (extra: object, registry: object = {}) => ({
  registry: { ...registry, storage: { type: 's3', s3: { ...S3, ...extra } } },
});

// [what, config, the field the message must start with, a word the message must carry]
const REFUSED: Array<[string, object, string, string]> = [
  [
    '3 replicas on the default claim',
    { registry: { replicas: 3 } },
    'registry.replicas',
    'persistentVolumeClaim',
  ],
  [
    '2 replicas on hostPath',
    { registry: { replicas: 2, storage: { type: 'hostPath' } } },
    'registry.replicas',
    'hostPath',
  ],
  [
    '2 replicas on emptyDir',
    { registry: { replicas: 2, storage: { type: 'emptyDir' } } },
    'registry.replicas',
    'emptyDir',
  ],
  ['0 replicas', { registry: { replicas: 0 } }, 'registry.replicas', 'from 1 to 50'],
  ['51 replicas', s3({}, { replicas: 51 }), 'registry.replicas', 'from 1 to 50'],
  ['a fractional replica count', s3({}, { replicas: 1.5 }), 'registry.replicas', 'whole number'],
  ['a negative replica count', s3({}, { replicas: -2 }), 'registry.replicas', 'whole number'],
  ['replicas: true', s3({}, { replicas: true }), 'registry.replicas', 'whole number'],
  [
    's3 with no s3 section: no bucket',
    { registry: { storage: { type: 's3' } } },
    'registry.storage.s3.bucket',
    'required',
  ],
  [
    's3 with no credentials Secret',
    { registry: { storage: { type: 's3', s3: { bucket: 'registry' } } } },
    'registry.storage.s3.credentialsSecret',
    'required',
  ],
  ['an upper-case bucket', s3({ bucket: 'Registry' }), 'registry.storage.s3.bucket', 'bucket name'],
  ['a two-letter bucket', s3({ bucket: 'ab' }), 'registry.storage.s3.bucket', 'bucket name'],
  ['a bucket with ..', s3({ bucket: 'a..b' }), 'registry.storage.s3.bucket', 'bucket name'],
  ['a bucket shaped like an IP', s3({ bucket: '192.0.2.1' }), 'registry.storage.s3.bucket', 'bucket name'],
  ['a bucket with an underscore', s3({ bucket: 'my_bucket' }), 'registry.storage.s3.bucket', 'bucket name'],
  ['a bucket that is a number', s3({ bucket: 123 }), 'registry.storage.s3.bucket', 'not a string'],
  ['an ftp endpoint', s3({ endpoint: 'ftp://minio:21' }), 'registry.storage.s3.endpoint', 'http://'],
  [
    'an endpoint with credentials',
    s3({ endpoint: 'http://key:secret@minio:9000' }),
    'registry.storage.s3.endpoint',
    'credentials',
  ],
  [
    'an endpoint with a path',
    s3({ endpoint: 'http://minio:9000/registry' }),
    'registry.storage.s3.endpoint',
    'base URL',
  ],
  [
    'an endpoint with a query',
    s3({ endpoint: 'http://minio:9000/?x=1' }),
    'registry.storage.s3.endpoint',
    'base URL',
  ],
  [
    'an endpoint with a fragment',
    s3({ endpoint: 'http://minio:9000#f' }),
    'registry.storage.s3.endpoint',
    'base URL',
  ],
  [
    'an endpoint that is no URL',
    s3({ endpoint: 'http//minio:9000' }),
    'registry.storage.s3.endpoint',
    'not a URL',
  ],
  ['a region with spaces', s3({ region: 'US EAST 1' }), 'registry.storage.s3.region', 'region'],
  ['an empty region', s3({ region: '' }), 'registry.storage.s3.region', 'region'],
  [
    'a Secret name with _',
    s3({ credentialsSecret: 'registry_s3' }),
    'registry.storage.s3.credentialsSecret',
    'Secret name',
  ],
  [
    'an access key in the config',
    s3({ accessKey: 'AKIAEXAMPLE' }),
    'registry.storage.s3.accessKey',
    'never go in the config',
  ],
  [
    'a secret key in the config',
    s3({ secretKey: 'wJalrEXAMPLE' }),
    'registry.storage.s3.secretKey',
    'never go in the config',
  ],
  [
    'a password in the config',
    s3({ password: 'hunter2' }),
    'registry.storage.s3.password',
    'never go in the config',
  ],
  [
    'a session token in the config',
    s3({ sessionToken: 'FwoG' }),
    'registry.storage.s3.sessionToken',
    'never go in the config',
  ],
  ['redirect: yes', s3({ redirect: 'yes' }), 'registry.storage.s3.redirect', 'true or false'],
  [
    'an unknown s3 key (2.8 has no forcepathstyle)',
    s3({ forcepathstyle: true }),
    'registry.storage.s3.forcepathstyle',
    'unknown key',
  ],
  [
    'a relative rootDirectory',
    s3({ rootDirectory: 'registry' }),
    'registry.storage.s3.rootDirectory',
    'prefix',
  ],
  [
    'a rootDirectory with ..',
    s3({ rootDirectory: '/a/../b' }),
    'registry.storage.s3.rootDirectory',
    'prefix',
  ],
  [
    'a rootDirectory ending in /',
    s3({ rootDirectory: '/registry/' }),
    'registry.storage.s3.rootDirectory',
    'prefix',
  ],
  [
    'an s3 section that is a list',
    { registry: { storage: { type: 's3', s3: ['registry'] } } },
    'registry.storage.s3',
    'not a mapping',
  ],
  [
    'an s3 section beside persistentVolumeClaim',
    { registry: { storage: { s3: S3 } } },
    'registry.storage.s3',
    'only read with',
  ],
  [
    'a builder namespace that is no label',
    { registry: { builderPush: { namespaces: ['CI Builds'] } } },
    'registry.builderPush.namespaces[0]',
    'namespace name',
  ],
  [
    'a builder namespace listed twice',
    { registry: { builderPush: { namespaces: ['ci', 'ci'] } } },
    'registry.builderPush.namespaces[1]',
    'twice',
  ],
  [
    'builder namespaces that are no list',
    { registry: { builderPush: { namespaces: 'ci' } } },
    'registry.builderPush.namespaces',
    'not a list',
  ],
  [
    'an htpasswd Secret name with /',
    { registry: { builderPush: { namespaces: ['ci'], htpasswdSecret: 'a/b' } } },
    'registry.builderPush.htpasswdSecret',
    'Secret name',
  ],
  [
    'a password beside the builder push',
    { registry: { builderPush: { namespaces: ['ci'], password: 'x' } } },
    'registry.builderPush.password',
    'unknown key',
  ],
];

describe('scale-out and push-path config: every hostile input is refused, naming the field', () => {
  test.each(REFUSED)('%s', (_what, raw, field, word) => {
    const problems = problemsOf(raw);
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^${field.replace(/[.[\]]/g, '\\$&')}: `))]),
    );
    expect(problems.find((p) => p.startsWith(`${field}: `))).toContain(word);
  });

  test.each<[string, object]>([
    ['one replica on the default claim', { registry: { replicas: 1 } }],
    [
      'three replicas on S3 (in-cluster endpoint)',
      s3({ endpoint: 'http://minio.storage.svc:9000' }, { replicas: 3 }),
    ],
    [
      'AWS S3 itself (no endpoint), redirect on',
      s3({ region: 'eu-west-1', redirect: true }, { replicas: 2 }),
    ],
    ['an https endpoint with an IPv6 literal', s3({ endpoint: 'https://[fd00::9]:9000' })],
    ['a rootDirectory', s3({ rootDirectory: '/clusters/prod' })],
    ['builders in two namespaces', { registry: { builderPush: { namespaces: ['ci', 'tekton-pipelines'] } } }],
  ])('accepts %s', (_what, raw) => {
    expect(problemsOf(raw)).toEqual([]);
  });
});

describe('synth refuses a hostile scale-out config with exit 2 and leaves the output as it was', () => {
  const out = join(tempDir(), 'dist');
  let before: Record<string, string>;

  beforeAll(() => {
    expect(runSynth({ CDK8S_OUTDIR: out }).status).toBe(0);
    before = fingerprint(out);
  });

  test.each(REFUSED.filter((_, i) => i % 4 === 0))('%s', (_what, raw, field) => {
    const dir = tempDir();
    mkdirSync(join(dir, 'conf'));
    const file = join(dir, 'conf', 'config.yaml');
    writeFileSync(file, JSON.stringify(raw));
    const result = runSynth({ CDK8S_OUTDIR: out, SYNTH_CONFIG: file });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`  - ${field}: `);
    expect(fingerprint(out)).toEqual(before);
    expect(readFileSync(file, 'utf8')).toBe(JSON.stringify(raw));
  });
});
