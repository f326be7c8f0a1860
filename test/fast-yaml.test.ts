import fc from 'fast-check';
import { stringify } from 'yaml';
import { Yaml } from 'cdk8s';
import { stringifyDocument, useFastYaml } from '../lib/output/fast-yaml';
import { allObjects, configOf, synthCharts } from './support/synth';

/** What cdk8s's `Yaml.stringify` writes for one document (node_modules/cdk8s/lib/yaml.js). */
const library = (doc: unknown) =>
  doc === undefined ? '\n' : stringify(doc, { keepUndefined: true, lineWidth: 0, version: '1.1' });

const outputs: Array<[string, unknown]> = [
  ['built-in defaults', {}],
  [
    'every option on',
    {
      registry: { storage: { type: 'hostPath' }, garbageCollectOnStart: true, aliases: ['r.example'] },
      delivery: {
        smokeTest: { enabled: true },
        argoApplication: { enabled: true, repoURL: 'https://git.example.com/r.git', source: 'plugin' },
      },
      nodeSetup: { mode: 'legacy' },
      apps: [
        { name: 'easy-kanban', probe: { type: 'http', path: '/healthz' } },
        { name: 'pinned', digest: `sha256:${'a'.repeat(64)}`, tag: 'v1', readOnlyRootFilesystem: false },
      ],
    },
  ],
  [
    '100 apps',
    { apps: Array.from({ length: 100 }, (_, i) => ({ name: `app-${i}`, namespace: `team-${i % 10}` })) },
  ],
];

describe('stringifyDocument writes what cdk8s writes, byte for byte', () => {
  test.each(outputs)('every object of the output: %s', (_name, raw) => {
    const objects = allObjects(synthCharts(configOf(raw)));
    expect(objects.length).toBeGreaterThan(3);
    for (const object of objects) expect(stringifyDocument(object)).toBe(library(object));
  });

  // Scalars YAML 1.1 reads as something else, quotes, indicators, document markers, long and odd keys.
  const tricky = fc.constantFrom(
    'yes',
    'No',
    'on',
    'OFF',
    'y',
    'n',
    'true',
    'null',
    '~',
    '',
    ' ',
    '0',
    '010',
    '0o10',
    '0x1F',
    '1e3',
    '1_000',
    '1:20',
    '.inf',
    '-.NaN',
    '2001-12-14',
    '- a',
    '? a',
    ': a',
    'a: b',
    'a #b',
    '#a',
    '&a',
    '*a',
    '!a',
    '|',
    '>',
    '%a',
    '@a',
    '`a',
    '"a"',
    "'a'",
    '---',
    '...',
    'a\nb',
    'a\n',
    '\t',
    'é',
    '💥',
    '{a}',
    '[a]',
    'a,b',
    '=',
    '<<',
    'x'.repeat(1100),
  );
  // Strings of the characters the fast path writes unquoted, and the words it must not.
  const plainish = fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9_./ :-]{1,8}$/),
    fc.stringMatching(/^[0-9a-z][0-9a-z./:-]{0,12}$/),
    fc.constantFrom('10.0.0.1:5000/a:latest', 'a/b:', 'a/b: c', '1/2', '2001-12-14/x', 'x/y#z', 'x/ #z'),
    fc.stringMatching(/^[eEnNyYoO0-9_.+-]{1,4}$/),
    fc.constantFrom(
      'y',
      'Y',
      'YES',
      'no',
      'N',
      'True',
      'FALSE',
      'On',
      'oFF',
      'Null',
      'NULL',
      'Yes.',
      'nO-',
      'a.',
      'x/',
    ),
  );
  const scalar = fc.oneof(
    tricky,
    plainish,
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
  );
  const key = fc.oneof(tricky, plainish, fc.string({ maxLength: 10 }));
  const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar,
      fc.array(tie('node'), { maxLength: 4 }),
      fc.dictionary(key, tie('node'), { maxKeys: 4 }),
    ),
  })).node;

  test('any document of maps, lists and scalars (fast-check)', () => {
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 6 }), (doc) => {
        expect(stringifyDocument(doc)).toBe(library(doc));
      }),
      { numRuns: 3000 },
    );
  });

  test('undefined documents and values, shared objects, strings that spell another type', () => {
    const shared = { a: 1 };
    for (const doc of [
      undefined,
      { a: undefined },
      { a: [undefined] },
      { x: shared, y: shared },
      { l: [shared, shared] },
      { a: 'number:5', b: 5, c: '5', d: 'boolean:true', e: true, f: 'true' },
    ]) {
      expect(stringifyDocument(doc)).toBe(library(doc));
    }
  });
});

describe('useFastYaml', () => {
  test('makes Yaml.stringify of cdk8s write the same multi-document text as before', () => {
    // GIVEN
    const objects = allObjects(synthCharts(configOf()));
    const before = Yaml.stringify(...objects, undefined);
    // WHEN
    useFastYaml();
    // THEN
    expect(Yaml.stringify(...objects, undefined)).toBe(before);
    expect(before).toBe([...objects, undefined].map(library).join('---\n'));
  });
});
