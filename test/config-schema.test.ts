import Ajv from 'ajv';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { validateWithOverrides } from '../lib/config/load';
import { projectRoot } from '../lib/cli/project-root';
import { CONFIG_SCHEMA_FILE, configSchemaText } from '../scripts/config-schema-file';
import { ACCEPTED, REFUSED, type OnlySynth } from './support/config-cases';
import { problemsOf } from './support/config-problems';
import { REGISTRY_DEFAULTS } from '../lib/config/defaults';

const root = projectRoot();
const schemaFile = join(root, CONFIG_SCHEMA_FILE);
const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
const validate = new Ajv({ allErrors: true }).compile(schema);
const SCHEMA_COMMENT = /^# yaml-language-server: \$schema=(\S+)$/m;

/** Every committed YAML file that names a JSON Schema with yaml-language-server's comment. */
const shippedConfigs = execFileSync('git', ['ls-files', '-z', '--', '*.yaml', '*.yml'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\0')
  .filter(Boolean)
  .map((file) => ({ file, text: readFileSync(join(root, file), 'utf8') }))
  .filter(({ text }) => SCHEMA_COMMENT.test(text));

describe('config/schema.json', () => {
  test('is the one generated from lib/config/schema (npm run schema writes it)', () => {
    expect(readFileSync(schemaFile, 'utf8')).toBe(configSchemaText());
  });

  test('is referenced by config/default.yaml on its first line', () => {
    const first = readFileSync(join(root, 'config', 'default.yaml'), 'utf8').split('\n')[0];
    expect(first).toBe('# yaml-language-server: $schema=./schema.json');
  });

  test.each(shippedConfigs.map(({ file, text }) => [file, text]))(
    '%s names it, and it and synth accept the file',
    (file, text) => {
      // GIVEN the schema the file names, resolved against the file's folder
      const named = SCHEMA_COMMENT.exec(text)![1];
      expect(resolve(root, dirname(file), named)).toBe(schemaFile);
      const raw = parse(text) ?? {};
      // THEN
      expect([validate(raw), validate.errors ?? []]).toEqual([true, []]);
      expect(() => validateWithOverrides(raw, {})).not.toThrow();
    },
  );

  test('the shipped configs include the default and the example', () => {
    expect(shippedConfigs.map((c) => c.file)).toEqual(
      expect.arrayContaining(['config/default.yaml', 'examples/seed-manifest.yaml']),
    );
  });

  test.each(ACCEPTED)('accepts what synth accepts: %s', (_name, raw) => {
    expect([validate(raw), validate.errors ?? []]).toEqual([true, []]);
  });

  test.each(REFUSED.filter((c) => !c.only).map((c) => [c.name, c.raw] as const))(
    'refuses what synth refuses: %s',
    (_name, raw) => {
      expect(validate(raw)).toBe(false);
    },
  );

  test.each(REFUSED.filter((c) => c.only).map((c) => [c.name, c.only, c.raw] as const))(
    'leaves to synth what JSON Schema cannot state: %s (%s)',
    (_name, _only, raw) => {
      // the mark is true: the schema accepts it, and only synth refuses it (config-rules.test.ts)
      expect([validate(raw), validate.errors ?? []]).toEqual([true, []]);
    },
  );

  test('the shared table counts each kind of refusal', () => {
    const count = (only: OnlySynth | undefined) => REFUSED.filter((c) => c.only === only).length;
    expect({ schema: count(undefined), crossField: count('cross-field'), synth: count('synth') }).toEqual({
      schema: 74,
      crossField: 8,
      synth: 11,
    });
  });
});

/** Every key of the schema below the root, as a path (`apps[0]` for a list of mappings). */
interface SchemaNode {
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
}

function fieldPaths(node: SchemaNode, path: readonly (string | number)[] = []): Array<(string | number)[]> {
  if (node.properties) {
    return Object.entries(node.properties).flatMap(([key, child]) => [
      [...path, key],
      ...fieldPaths(child, [...path, key]),
    ]);
  }
  return node.items?.properties ? fieldPaths(node.items, [...path, 0]) : [];
}

/**
 * `{a: {b: [{name: 'web', c: value}]}}` for the path a.b[0].c; below `s3`, the storage is of type
 * s3 with its required keys (an `s3` section is refused with another type).
 */
function configWith(path: readonly (string | number)[], value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (typeof head === 'number') return [{ name: 'web', ...(configWith(rest, value) as object) }];
  if (head === 's3' && rest.length > 0) {
    return {
      type: 's3',
      s3: {
        bucket: 'registry-bucket',
        credentialsSecret: 'registry-s3',
        ...(configWith(rest, value) as object),
      },
    };
  }
  return { [head]: configWith(rest, value) };
}

// README "Many clusters": an empty value (`port:`) resets a value to its built-in default. Synth read
// it so for strings and sections only, and the schema refused it everywhere (issue 11 attack).
describe('an empty value (YAML null) is the key left out, for synth and the schema alike', () => {
  const required = new Set([
    'apps.0.name',
    'registry.storage.s3.bucket',
    'registry.storage.s3.credentialsSecret',
  ]);
  const paths = fieldPaths(schema).filter((p) => !required.has(p.join('.')));
  test('every section and field is tried', () => {
    expect(paths.length).toBeGreaterThan(90);
  });

  test.each(paths.map((p) => [p.join('.'), p] as const))('%s: empty', (_name, path) => {
    const raw = configWith(path, null);
    expect([validate(raw), validate.errors ?? []]).toEqual([true, []]);
    expect(problemsOf(raw)).toEqual([]);
    // and it is the default: the same config as with the key left out
    const without = configWith(path, undefined);
    expect(validateWithOverrides(raw, {}).config).toEqual(validateWithOverrides(without, {}).config);
  });

  test.each([
    ['apps[0].name', { apps: [{ name: null }] }],
    ['registry.storage.s3.bucket', configWith(['registry', 'storage', 's3', 'bucket'], null)],
    [
      'registry.storage.s3.credentialsSecret',
      configWith(['registry', 'storage', 's3', 'credentialsSecret'], null),
    ],
  ])('%s stays required: empty is refused by both', (field, raw) => {
    expect(validate(raw)).toBe(false);
    expect(problemsOf(raw)).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^${field.replace(/[[\].]/g, '\\$&')}: `))]),
    );
  });

  test('the defaults stay what the code says', () => {
    expect(validateWithOverrides({ registry: { port: null } }, {}).config.registry.port).toBe(
      REGISTRY_DEFAULTS.port,
    );
  });
});
