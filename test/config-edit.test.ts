import { parse } from '@iarna/toml';
import { editRegistryConfig } from '../agent/config-edit';
import { analyzeConfig, REGISTRY_TABLE, type JsonMap } from '../agent/containerd-config';

const table = REGISTRY_TABLE[2];

function edit(text: string, change: Parameters<typeof editRegistryConfig>[3]) {
  return editRegistryConfig(text, parse(text) as JsonMap, { table }, change);
}

describe('analyzeConfig', () => {
  test('tells absent, blank, unparsable, version 1 and other versions apart', () => {
    expect(analyzeConfig(undefined).kind).toBe('absent');
    expect(analyzeConfig('# only a comment\n').kind).toBe('blank');
    expect(analyzeConfig('[x\n')).toMatchObject({
      kind: 'refused',
      reason: expect.stringMatching(/not valid TOML/),
    });
    expect(analyzeConfig('[plugins.cri]\n')).toMatchObject({
      kind: 'refused',
      reason: expect.stringMatching(/no `version` line/),
    });
    expect(analyzeConfig('version = 4\n')).toMatchObject({
      kind: 'refused',
      reason: expect.stringMatching(/versions 2 and 3/),
    });
  });

  test('reads config_path and mirrors of version 2 and 3', () => {
    const v3 = analyzeConfig(
      'version = 3\n[plugins."io.containerd.cri.v1.images".registry]\nconfig_path = "/x"\n',
    );
    expect(v3).toMatchObject({ kind: 'usable', registry: { version: 3, configPath: '/x' } });
    const v2 = analyzeConfig(
      'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry.mirrors."a"]\nendpoint = ["http://a"]\n',
    );
    expect(v2).toMatchObject({ kind: 'usable', registry: { version: 2, mirrors: { a: ['http://a'] } } });
  });
});

describe('editRegistryConfig', () => {
  test('replaces an empty config_path in place, keeping indentation and every other line', () => {
    const text =
      'version = 2\n# keep me\n[plugins."io.containerd.grpc.v1.cri".registry]\n      config_path = ""  # was empty\n[other]\n  a = 1\n';
    expect(edit(text, { configPath: '/etc/containerd/certs.d', removeMirrors: [], removeTls: [] })).toEqual({
      text: 'version = 2\n# keep me\n[plugins."io.containerd.grpc.v1.cri".registry]\n      config_path = "/etc/containerd/certs.d"\n[other]\n  a = 1\n',
    });
  });

  test('removes mirror and tls tables in the same change that sets config_path', () => {
    const text =
      'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry.mirrors."a:5000"]\n  endpoint = ["http://a:5000"]\n' +
      '[plugins."io.containerd.grpc.v1.cri".registry.configs."a:5000".tls]\n  insecure_skip_verify = true\n' +
      '[plugins."io.containerd.grpc.v1.cri".registry.configs."a:5000".auth]\n  username = "u"\n';
    const result = edit(text, { configPath: '/d', removeMirrors: ['a:5000'], removeTls: ['a:5000'] });
    expect('text' in result && parse(result.text)).toEqual({
      version: 2,
      plugins: {
        'io.containerd.grpc.v1.cri': {
          registry: { config_path: '/d', configs: { 'a:5000': { auth: { username: 'u' } } } },
        },
      },
    });
  });

  test('refuses settings written as dotted keys it cannot edit in place, rather than lose them', () => {
    const text =
      'version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n  registry.mirrors."a".endpoint = ["http://a"]\n';
    expect(edit(text, { configPath: '/d', removeMirrors: ['a'], removeTls: [] })).toEqual({
      refused: expect.stringMatching(/would not parse|does not edit in place/),
    });
  });
});
