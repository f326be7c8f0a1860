import { ANY_NAME, ANY_PID, GlobError, globMatches, globMatchesTemplate, parseGlob } from '../agent/go-glob';

// Cases of Go's path/filepath match_test.go (the Unix ones), and the dot rule containerd relies on.
const GO_MATCH: ReadonlyArray<readonly [string, string, boolean]> = [
  ['abc', 'abc', true],
  ['*', 'abc', true],
  ['*c', 'abc', true],
  ['a*', 'a', true],
  ['a*', 'abc', true],
  ['a*', 'ab/c', false],
  ['a*/b', 'abc/b', true],
  ['a*/b', 'a/c/b', false],
  ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/fff', false],
  ['a*b?c*x', 'abxbbxdbxebxczzx', true],
  ['a*b?c*x', 'abxbbxdbxebxczzy', false],
  ['ab[c]', 'abc', true],
  ['ab[b-d]', 'abc', true],
  ['ab[e-g]', 'abc', false],
  ['ab[^c]', 'abc', false],
  ['ab[^b-d]', 'abc', false],
  ['ab[^e-g]', 'abc', true],
  ['a\\*b', 'a*b', true],
  ['a\\*b', 'ab', false],
  ['a?b', 'a☺b', true],
  ['a[^a]b', 'a☺b', true],
  ['a???b', 'a☺b', false],
  ['a[^a][^a][^a]b', 'a☺b', false],
  ['[a-ζ]*', 'α', true],
  ['*[a-ζ]', 'A', false],
  ['a?b', 'a/b', false],
  ['a*b', 'a/b', false],
  ['[\\]a]', ']', true],
  ['[\\-]', '-', true],
  ['[x\\-]', 'x', true],
  ['[x\\-]', '-', true],
  ['[x\\-]', 'z', false],
  ['[\\-x]', 'x', true],
  ['[\\-x]', '-', true],
  ['[\\-x]', 'a', false],
  ['*x', 'xxx', true],
  // Go has no `!` negation: `[!a]` is the class of `!` and `a`
  ['[!a]', '!', true],
  ['[!a]', 'b', false],
  // a leading dot is not special (unlike a shell)
  ['*', '.config.toml.internal-registry.json', true],
  ['*.toml', '.hosts.toml.tmp-12', false],
  ['?', '.', true],
];

const GO_BAD = ['[]a]', '[-]', '[x-]', '[-x]', '\\', '[', '[^', '[^bc', 'a[', 'a/b['];

describe('Go filepath.Match semantics', () => {
  test.each(GO_MATCH)('%j matches %j: %s', (pattern, name, expected) => {
    expect(globMatches(parseGlob(pattern), name)).toBe(expected);
  });

  test.each(GO_BAD)('%j is a bad pattern (ErrBadPattern)', (pattern) => {
    expect(() => parseGlob(pattern)).toThrow(GlobError);
  });
});

describe('a glob against a name template (any later process id, any name)', () => {
  test.each([
    ['/etc/containerd/*', `/etc/containerd/.config.toml.tmp-${ANY_PID}`, true],
    ['/etc/containerd/*.toml', `/etc/containerd/.config.toml.tmp-${ANY_PID}`, false],
    ['/etc/containerd/.*-1', `/etc/containerd/.internal-registry-candidate-${ANY_PID}`, true],
    ['/etc/containerd/.*-1?', `/etc/containerd/.internal-registry-candidate-${ANY_PID}`, true],
    ['/etc/containerd/.*-[a-z]', `/etc/containerd/.internal-registry-candidate-${ANY_PID}`, false],
    ['/etc/containerd/.*-[^0-9]*', `/etc/containerd/.internal-registry-candidate-${ANY_PID}`, true],
    [
      '/etc/containerd/.internal-registry-candidate-[^0-9]*',
      `/etc/containerd/.internal-registry-candidate-${ANY_PID}`,
      false,
    ],
    ['/etc/containerd/.*-?', `/etc/containerd/.internal-registry-candidate-${ANY_PID}`, true],
    ['/etc/containerd/*.tmp-', `/etc/containerd/.x.tmp-${ANY_PID}`, false],
    ['/etc/containerd/*/hosts.toml', `/etc/containerd/certs.d/${ANY_NAME}`, true],
    ['/etc/containerd/*/hosts.toml', `/etc/containerd/certs.d/${ANY_NAME}/x`, false],
    ['/etc/containerd/certs.d/*', `/etc/containerd/certs.d/${ANY_NAME}`, true],
    ['/etc/containerd/certs.d/[/]', `/etc/containerd/certs.d/${ANY_NAME}`, false],
    ['/etc/containerd/*.bak', `/etc/containerd/${ANY_NAME}.internal-registry.bak`, true],
    ['/etc/containerd/*.json', `/etc/containerd/.${ANY_NAME}.internal-registry.json`, true],
    ['/etc/*', `/etc/containerd/${ANY_NAME}`, false],
  ] as const)('%j against %j: %s', (pattern, template, expected) => {
    expect(globMatchesTemplate(parseGlob(pattern), template)).toBe(expected);
  });
});
