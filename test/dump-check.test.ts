import { withImports } from '../agent/config-edit';
import { rulesForVersion } from '../agent/containerd-rules';
import { dumpProblems, outsideRegistry } from '../agent/dump-check';
import { decodeText, encodeText } from '../agent/text-encoding';

/* eslint-disable @typescript-eslint/no-explicit-any -- dumps are loosely typed */

const V1 = rulesForVersion('containerd github.com/containerd/containerd 1.7.24~ds1 1.7.24~ds1-6+deb13u1');
const V2 = rulesForVersion('containerd github.com/containerd/containerd/v2 2.1.9+unknown ');
const DIR = '/etc/containerd/certs.d';

function dump1(registry: object, extra: object = {}): any {
  return {
    version: 2,
    imports: ['/etc/containerd/a.toml', '/etc/containerd/b.toml'],
    plugins: { 'io.containerd.grpc.v1.cri': { sandbox_image: 'pause:3.9', registry } },
    ...extra,
  };
}
function dump2(registry: object): any {
  return { version: 3, plugins: { 'io.containerd.cri.v1.images': { registry } } };
}
const expectDir = { configPath: DIR, mirrors: [] };

describe('dumpProblems: each guard of the dump comparison', () => {
  test('the change in effect: no problem', () => {
    expect(dumpProblems(dump1({ config_path: '' }), dump1({ config_path: DIR }), expectDir, V1)).toEqual([]);
    expect(dumpProblems(dump2({ config_path: '' }), dump2({ config_path: DIR }), expectDir, V2)).toEqual([]);
  });
  test('config_path not in effect (1.6 ignores a version 3 file; a drop-in replaced the table)', () => {
    expect(dumpProblems(dump1({}), dump1({ config_path: '' }), expectDir, V1)).toEqual([
      `config_path dumps as "", not "${DIR}"`,
    ]);
  });
  test('the registry table is looked up where the series dumps it', () => {
    // a 2.x dump read with 1.x rules finds no config_path
    expect(dumpProblems(dump2({}), dump2({ config_path: DIR }), expectDir, V1)[0]).toMatch(/dumps as ""/);
  });
  test('mirrors next to config_path', () => {
    const next = dump1({ config_path: DIR, mirrors: { 'docker.io': { endpoint: ['https://m'] } } });
    expect(dumpProblems(dump1({}), next, expectDir, V1)).toContain(
      'registry.mirrors would sit next to config_path',
    );
    const next2 = dump2({ config_path: DIR, mirrors: { 'docker.io': { endpoint: ['https://m'] } } });
    expect(dumpProblems(dump2({}), next2, expectDir, V2)).toContain(
      'registry.mirrors would sit next to config_path',
    );
  });
  test('configs.tls next to config_path: refused on 1.x, only ignored on 2.x', () => {
    const tls = { config_path: DIR, configs: { 'm.example': { tls: { insecure_skip_verify: true } } } };
    expect(dumpProblems(dump1({}), dump1(tls), expectDir, V1)).toEqual([
      'registry.configs.m.example.tls would sit next to config_path',
    ]);
    expect(dumpProblems(dump2({}), dump2(tls), expectDir, V2)).toEqual([]);
  });
  test('configs.auth next to config_path is fine everywhere', () => {
    const auth = { config_path: DIR, configs: { 'r.example': { auth: { username: 'u' } } } };
    expect(dumpProblems(dump1({}), dump1(auth), expectDir, V1)).toEqual([]);
  });
  test('a legacy mirror that does not dump', () => {
    const expectMirrors = { mirrors: ['192.0.2.10:5000'] };
    expect(dumpProblems(dump1({}), dump1({ mirrors: {} }), expectMirrors, V1)).toEqual([
      'mirror 192.0.2.10:5000 is missing',
    ]);
    const ok = dump1({ mirrors: { '192.0.2.10:5000': { endpoint: ['http://192.0.2.10:5000'] } } });
    expect(dumpProblems(dump1({}), ok, expectMirrors, V1)).toEqual([]);
  });
  test('any setting outside the registry tables that changes', () => {
    const before = dump1({ config_path: '' });
    const after = dump1({ config_path: DIR });
    after.plugins['io.containerd.grpc.v1.cri'].sandbox_image = 'pause:3.10';
    expect(dumpProblems(before, after, expectDir, V1)).toEqual([
      'settings outside the registry tables would change',
    ]);
    expect(dumpProblems(before, dump1({ config_path: DIR }, { oom_score: -999 }), expectDir, V1)).toEqual([
      'settings outside the registry tables would change',
    ]);
  });
  test('imports in another order is no change (1.x dumps them in random order)', () => {
    const after = dump1({ config_path: DIR });
    after.imports = [...after.imports].reverse();
    expect(dumpProblems(dump1({ config_path: '' }), after, expectDir, V1)).toEqual([]);
    expect(outsideRegistry(after)).toBe(outsideRegistry(dump1({})));
  });
});

describe('withImports: the candidate main config that loads a candidate drop-in', () => {
  test.each([
    ['version = 2\nimports = ["/a/*.toml"]\noom_score = 1\n'],
    ['# lead\nversion = 2\nimports = [\n  "/a/x.toml", # one\n  "/a/y.toml",\n]\n[grpc]\n  address = "/s"\n'],
    ['version = 2\n[grpc]\n  address = "/s"\n'],
  ])('replaces the imports and nothing else: %j', (text) => {
    const result = withImports(text, ['/a/.candidate', '/a/y.toml']);
    expect(result).toEqual({
      text: expect.stringMatching(/^imports = \["\/a\/.candidate","\/a\/y.toml"\]\n/),
    });
  });
  test('keeps a bracket inside a string', () => {
    expect(withImports('version = 2\nimports = ["/a",\n"]"]\n', ['/b'])).toEqual({
      text: 'imports = ["/b"]\nversion = 2\n',
    });
  });
  test('refuses where the line form hides the imports (a quoted key)', () => {
    expect(withImports('version = 2\n"imports" = ["/a"]\n', ['/b'])).toHaveProperty('refused');
  });
});

describe('text encoding', () => {
  test.each([
    ['plain', 'a = 1\n'],
    ['CRLF', 'a = 1\r\n# c\r\n'],
    ['BOM', '\uFEFFa = 1\n'],
    ['BOM and CRLF', '\uFEFFa = 1\r\nb = 2\r\n'],
  ])('%s round-trips byte for byte', (_name, raw) => {
    const decoded = decodeText(raw);
    if ('refused' in decoded) throw new Error(decoded.refused);
    expect(decoded.text).not.toMatch(/\r|\uFEFF/);
    expect(encodeText(decoded.text, decoded.form)).toBe(raw);
  });
  test('refuses mixed line endings', () => {
    expect(decodeText('a = 1\r\nb = 2\n')).toEqual({
      refused: expect.stringMatching(/1 of 2 lines end in CRLF/),
    });
  });
});
