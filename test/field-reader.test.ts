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

describe('FieldReader sections and scalars', () => {
  const messages = (reader: FieldReader) => reader.issues.map((issue) => issue.message);

  test.each([
    [undefined, {}, []],
    [null, {}, []],
    [{ a: 1 }, { a: 1 }, []],
    [{ a: 1, c: 2 }, { a: 1, c: 2 }, ['s.c: unknown key; expected one of a, b']],
    [[1], {}, ['s: a list of 1 is not a mapping; expected keys a, b']],
    ['text', {}, ["s: 'text' is not a mapping; expected keys a, b"]],
  ])('a section given %j reads %j', (raw, value, issues) => {
    const reader = new FieldReader();
    expect(reader.section('s', raw, ['a', 'b'])).toEqual(value);
    expect(messages(reader)).toEqual(issues);
  });

  test.each([
    [undefined, undefined, []],
    [null, undefined, []],
    ['', undefined, []],
    ['x', 'x', []],
    [5, undefined, ['o: 5 is not a string']],
  ])('an optional string given %j reads %j', (raw, value, issues) => {
    const reader = new FieldReader();
    expect(reader.optionalString('o', raw)).toBe(value);
    expect(messages(reader)).toEqual(issues);
  });

  test('an optional string that fails its check reads as unset; an empty one is not checked', () => {
    const reader = new FieldReader();
    expect(reader.optionalString('o', 'bad', () => 'is bad')).toBeUndefined();
    expect(reader.optionalString('o', '', () => 'is bad')).toBeUndefined();
    expect(messages(reader)).toEqual(["o: 'bad' is bad"]);
  });

  test.each([
    [undefined, 7, []],
    [1, 1, []],
    [65535, 65535, []],
    ['80', 7, ["p: '80' is not a whole number from 1 to 65535; write it without quotes"]],
    [0, 7, ['p: 0 is not a whole number from 1 to 65535']],
    [65536, 7, ['p: 65536 is not a whole number from 1 to 65535']],
    [1.5, 7, ['p: 1.5 is not a whole number from 1 to 65535']],
    ['80x', 7, ["p: '80x' is not a whole number from 1 to 65535"]],
    ['x80', 7, ["p: 'x80' is not a whole number from 1 to 65535"]],
    ['8e1', 7, ["p: '8e1' is not a whole number from 1 to 65535"]],
    ['0x50', 7, ["p: '0x50' is not a whole number from 1 to 65535"]],
    ['80.0', 7, ["p: '80.0' is not a whole number from 1 to 65535"]],
    [true, 7, ['p: true is not a whole number from 1 to 65535']],
  ])('an integer given %j reads %j', (raw, value, issues) => {
    const reader = new FieldReader();
    expect(reader.integer('p', raw, 7, 1, 65535)).toBe(value);
    expect(messages(reader)).toEqual(issues);
  });

  test.each([
    [undefined, 'a', []],
    ['b', 'b', []],
    ['c', 'a', ["m: 'c' is not one of a, b"]],
    [1, 'a', ['m: 1 is not one of a, b']],
  ])('a choice given %j reads %j', (raw, value, issues) => {
    const reader = new FieldReader();
    expect(reader.oneOf('m', raw, 'a', ['a', 'b'] as const)).toBe(value);
    expect(messages(reader)).toEqual(issues);
  });
});
