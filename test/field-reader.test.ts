import { FieldReader } from '../lib/config/field-reader';

describe('FieldReader', () => {
  test('names a field by its path unless told otherwise', () => {
    const reader = new FieldReader();
    reader.fail('apps[0].port', 'is wrong');
    expect(reader.issues).toEqual([{ path: 'apps[0].port', message: 'apps[0].port: is wrong' }]);
  });

  test('names a field as labelOf says', () => {
    const reader = new FieldReader((path) => `REGISTRY_${path.toUpperCase()}`);
    reader.fail('port', 'is wrong');
    expect(reader.issues).toEqual([{ path: 'port', message: 'REGISTRY_PORT: is wrong' }]);
  });

  test.each([
    [undefined, 'fallback', []],
    ['given', 'given', []],
    [5, 'fallback', ['name: 5 is not a string']],
    [true, 'fallback', ['name: true is not a string']],
    [['a'], 'fallback', ['name: a list of 1 is not a string']],
  ])('a string field given %j reads %j', (raw, value, issues) => {
    const reader = new FieldReader();
    expect(reader.string('name', raw, 'fallback')).toBe(value);
    expect(reader.issues.map((issue) => issue.message)).toEqual(issues);
  });

  test('a string field with a check keeps the value only when the check passes', () => {
    const reader = new FieldReader();
    const check = (value: string) => (value.includes(' ') ? 'has a space' : undefined);
    expect(reader.string('name', 'ok', 'fallback', check)).toBe('ok');
    expect(reader.string('name', 'not ok', 'fallback', check)).toBe('fallback');
    expect(reader.issues.map((issue) => issue.message)).toEqual(["name: 'not ok' has a space"]);
  });
});
