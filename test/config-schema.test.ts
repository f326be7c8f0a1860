import Ajv2020 from 'ajv/dist/2020';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ConfigError } from '../lib/config/errors';
import { validateWithOverrides } from '../lib/config/load';
import { projectRoot } from '../lib/cli/project-root';

const root = projectRoot();
const schema = JSON.parse(readFileSync(join(root, 'config', 'schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true }).compile(schema);
const synthAccepts = (raw: unknown) => {
  try {
    validateWithOverrides(raw, {});
    return true;
  } catch (error) {
    if (error instanceof ConfigError) return false;
    throw error;
  }
};

const S3 = { bucket: 'registry', credentialsSecret: 'registry-s3' };
// registry sections on which the schema and synth must agree
const CASES: Array<[string, object]> = [
  ['the defaults', {}],
  ['3 replicas on S3', { replicas: 3, storage: { type: 's3', s3: S3 } }],
  ['3 replicas on the default claim', { replicas: 3 }],
  ['2 replicas on hostPath', { replicas: 2, storage: { type: 'hostPath' } }],
  ['0 replicas', { replicas: 0 }],
  ['s3 without its section', { storage: { type: 's3' } }],
  ['an s3 section beside a claim', { storage: { s3: S3 } }],
  ['an access key in the config', { storage: { type: 's3', s3: { ...S3, accessKey: 'AKIA' } } }],
  [
    'an endpoint with credentials',
    { storage: { type: 's3', s3: { ...S3, endpoint: 'http://k:s@minio:9000' } } },
  ],
  ['an endpoint with a path', { storage: { type: 's3', s3: { ...S3, endpoint: 'http://minio:9000/x' } } }],
  [
    'an in-cluster endpoint',
    { storage: { type: 's3', s3: { ...S3, endpoint: 'http://minio.storage.svc:9000' } } },
  ],
  ['an upper-case bucket', { storage: { type: 's3', s3: { ...S3, bucket: 'Registry' } } }],
  ['a bucket shaped like an IP', { storage: { type: 's3', s3: { ...S3, bucket: '192.0.2.1' } } }],
  ['redirect as a string', { storage: { type: 's3', s3: { ...S3, redirect: 'yes' } } }],
  ['builders in two namespaces', { builderPush: { namespaces: ['ci', 'tekton'] } }],
  ['a builder namespace twice', { builderPush: { namespaces: ['ci', 'ci'] } }],
  ['a builder namespace that is no label', { builderPush: { namespaces: ['CI'] } }],
];

describe('config/schema.json', () => {
  test('config/default.yaml is valid against it', () => {
    const valid = validate(parse(readFileSync(join(root, 'config', 'default.yaml'), 'utf8')));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  test.each(CASES)('agrees with synth on the registry section: %s', (_what, registry) => {
    expect(validate({ registry })).toBe(synthAccepts({ registry }));
  });

  test('names every registry key that synth reads', () => {
    const keys = Object.keys(validateWithOverrides({}, {}).config.registry).filter(
      (k) => k !== 'serviceCIDR',
    );
    expect(Object.keys(schema.$defs.registry.properties)).toEqual(
      expect.arrayContaining([...keys, 'serviceCIDR']),
    );
    expect(Object.keys(schema.$defs.s3.properties).sort()).toEqual(
      ['bucket', 'credentialsSecret', 'endpoint', 'redirect', 'region', 'rootDirectory'].sort(),
    );
  });
});
