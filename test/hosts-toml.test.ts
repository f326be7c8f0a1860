import { parse } from '@iarna/toml';
import { CONFIGMAP_KEY, hostsFileKey } from '../lib/node-setup/configmap-keys';
import { plainHttpHostsFile, renderHostsToml } from '../lib/node-setup/hosts-toml';
import { renderLegacyRegistryConfig } from '../lib/node-setup/legacy-config';

describe('hosts.toml', () => {
  test('plain HTTP: http:// in both server and the [host] key, capabilities pull and resolve', () => {
    const text = renderHostsToml(plainHttpHostsFile('10.110.240.233:5000'));
    expect(parse(text)).toEqual({
      server: 'http://10.110.240.233:5000',
      host: { 'http://10.110.240.233:5000': { capabilities: ['pull', 'resolve'] } },
    });
    expect(text).toContain('[host."http://10.110.240.233:5000"]');
  });

  test('no skip_verify, ca or client on an http host (1.6.25/1.7.7 would try HTTPS first)', () => {
    expect(() =>
      renderHostsToml({
        server: 'http://a:5000',
        hosts: [{ url: 'http://a:5000', capabilities: ['pull'], skipVerify: true }],
      }),
    ).toThrow(/plain HTTP: skip_verify, ca and client/);
    expect(
      parse(
        renderHostsToml({
          server: 'https://a',
          hosts: [{ url: 'https://a:5000', capabilities: ['pull'], skipVerify: true }],
        }),
      ),
    ).toEqual({
      server: 'https://a',
      host: { 'https://a:5000': { capabilities: ['pull'], skip_verify: true } },
    });
  });

  test.each([
    ['skip_verify', { skipVerify: false }],
    ['ca', { ca: '/etc/ca.pem' }],
    ['client', { client: [['/etc/c.pem', '/etc/c.key']] }],
  ])('%s alone on an http host is refused', (_, tls) => {
    expect(() =>
      renderHostsToml({ hosts: [{ url: 'http://a:5000', capabilities: ['pull'], ...tls }] }),
    ).toThrow(/plain HTTP: skip_verify, ca and client/);
  });

  test('an https host carries exactly the TLS fields it is given', () => {
    const host = { url: 'https://a:5000', capabilities: ['pull'] as const };
    expect(renderHostsToml({ hosts: [host] })).toBe('[host."https://a:5000"]\ncapabilities = [ "pull" ]\n');
    expect(parse(renderHostsToml({ hosts: [{ ...host, ca: '/etc/ca.pem' }] }))).toEqual({
      host: { 'https://a:5000': { capabilities: ['pull'], ca: '/etc/ca.pem' } },
    });
    expect(
      parse(
        renderHostsToml({ hosts: [{ ...host, ca: ['/etc/a.pem', '/etc/b.pem'], client: ['/etc/c.pem'] }] }),
      ),
    ).toEqual({
      host: {
        'https://a:5000': {
          capabilities: ['pull'],
          ca: ['/etc/a.pem', '/etc/b.pem'],
          client: ['/etc/c.pem'],
        },
      },
    });
    expect(
      parse(
        renderHostsToml({ hosts: [{ ...host, skipVerify: false, client: [['/etc/c.pem', '/etc/c.key']] }] }),
      ),
    ).toEqual({
      host: {
        'https://a:5000': {
          capabilities: ['pull'],
          skip_verify: false,
          client: [['/etc/c.pem', '/etc/c.key']],
        },
      },
    });
  });

  test('always a [host] table (containerd 1.7 rejects a hosts file without one)', () => {
    expect(() => renderHostsToml({ server: 'http://a:5000', hosts: [] })).toThrow(
      /at least one \[host\] table/,
    );
  });

  test('no duplicate hosts', () => {
    const host = { url: 'http://a:5000', capabilities: ['pull'] as const };
    expect(() => renderHostsToml({ server: 'http://a:5000', hosts: [host, host] })).toThrow(/listed twice/);
  });

  test('an IPv6 host keeps its brackets', () => {
    expect(parse(renderHostsToml(plainHttpHostsFile('[fd00::10]:5000'))).server).toBe(
      'http://[fd00::10]:5000',
    );
  });

  test('a URL that could inject TOML is refused', () => {
    expect(() => renderHostsToml(plainHttpHostsFile('a"]\n[x'))).toThrow(/is not an http\(s\):\/\/host/);
    expect(() => renderHostsToml({ hosts: [{ url: 'xhttp://a:5000', capabilities: ['pull'] }] })).toThrow(
      /'xhttp:\/\/a:5000' is not an http\(s\):\/\/host/,
    );
    expect(() =>
      renderHostsToml({ server: 'xhttps://a', hosts: [{ url: 'https://a:5000', capabilities: ['pull'] }] }),
    ).toThrow(/'xhttps:\/\/a' is not an http\(s\):\/\/host/);
  });
});

describe('legacy config.toml tables', () => {
  test('mirror and tls tables for each host, every endpoint the IP endpoint', () => {
    const text = renderLegacyRegistryConfig(
      ['10.110.240.233:5000', 'internal-registry.kube-system.svc.cluster.local:5000'],
      'http://10.110.240.233:5000',
    );
    const registry = (parse(text) as any).plugins['io.containerd.grpc.v1.cri'].registry; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(registry.mirrors['internal-registry.kube-system.svc.cluster.local:5000']).toEqual({
      endpoint: ['http://10.110.240.233:5000'],
    });
    expect(registry.configs['10.110.240.233:5000']).toEqual({ tls: { insecure_skip_verify: true } });
    expect(text).not.toMatch(/^\[plugins\]$/m);
  });
});

describe('ConfigMap keys', () => {
  test('map host directories to valid, distinct keys', () => {
    const dirs = [
      '10.110.240.233:5000',
      '[fd00::10]:5000',
      'internal-registry.kube-system.svc.cluster.local:5000',
    ];
    const keys = dirs.map(hostsFileKey);
    expect(keys).toEqual([
      'hosts_10.110.240.233_5000.toml',
      'hosts__fd00__10__5000.toml',
      'hosts_internal-registry.kube-system.svc.cluster.local_5000.toml',
    ]);
    for (const key of keys) expect(key).toMatch(CONFIGMAP_KEY);
  });
});
