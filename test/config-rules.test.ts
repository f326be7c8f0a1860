import { validateConfig } from '../lib/config/validate';
import { ACCEPTED, REFUSED } from './support/config-cases';
import { problemsOf } from './support/config-problems';

/*
 * One row per validation rule the README promises, at its edges: the value just inside is accepted,
 * the value just outside is refused with a message that names the field (issue 13: `apps[].port`
 * accepting 0–999999 and the network and broadcast addresses accepted as the ClusterIP survived).
 */

/** The issues of a config (path: message), or [] when it is accepted. */

const app = (fields: object) => ({ apps: [{ name: 'easy-kanban', ...fields }] });

describe('whole numbers: accepted inside their range, refused at both edges', () => {
  test.each([
    ['registry.port', (v: unknown) => ({ registry: { port: v } }), 1, 65535],
    ['apps[0].port', (v: unknown) => app({ port: v }), 1, 65535],
    ['apps[0].replicas', (v: unknown) => app({ replicas: v }), 0, 1000],
    ['registry.runAsUser', (v: unknown) => ({ registry: { runAsUser: v } }), 10000, 2147483647],
    ['apps[0].runAsUser', (v: unknown) => app({ runAsUser: v }), 10000, 2147483647],
    ['discovery.timeoutSeconds', (v: unknown) => ({ discovery: { timeoutSeconds: v } }), 1, 60],
    ['nodeSetup.maxUnavailable', (v: unknown) => ({ nodeSetup: { maxUnavailable: v } }), 1, 10000],
  ])('%s from %#', (field, build, min, max) => {
    // GIVEN the edges and values around them
    // null: an empty value, the key left out (README "Many clusters": it resets to the default)
    // A quoted number is refused, as config/schema.json refuses it (found in review, issue 11).
    const accepted = [min, max, null];
    const quoted = [String(min), String(max)];
    const refused = [...quoted, min - 1, max + 1, 999999, -1, 1.5, '80x', ' 80', '', true, [80]].filter(
      (v) => !(typeof v === 'number' && v >= min && v <= max && Number.isInteger(v)),
    );
    // WHEN / THEN
    for (const value of accepted) expect([value, problemsOf(build(value))]).toEqual([value, []]);
    for (const value of refused) {
      expect([value, problemsOf(build(value))]).toEqual([
        value,
        [
          expect.stringMatching(
            new RegExp(
              `^${field.replace(/[[\].]/g, '\\$&')}: .* is not a whole number from ${min} to ${max}` +
                (quoted.includes(value as string) ? '; write it without quotes$' : '$'),
            ),
          ),
        ],
      ]);
    }
  });

  test('REGISTRY_PORT out of range names the variable', () => {
    expect(problemsOf({}, { REGISTRY_PORT: '65536' })).toEqual([
      expect.stringMatching(/^registry\.port \(from REGISTRY_PORT\).*65536.*from 1 to 65535/),
    ]);
    expect(problemsOf({}, { REGISTRY_PORT: '0' })).toEqual([expect.stringContaining('from 1 to 65535')]);
    expect(problemsOf({}, { REGISTRY_PORT: '65535' })).toEqual([]);
  });
});

describe('the ClusterIP against registry.serviceCIDR', () => {
  const placed = (serviceCIDR: string, clusterIP: string) =>
    validateConfig({ registry: { serviceCIDR, clusterIP } });

  test.each([
    // [range, address, problem or undefined]
    ['10.96.0.0/12', '10.96.0.0', 'is the network address of 10.96.0.0/12'],
    ['10.96.0.0/12', '10.111.255.255', 'is the broadcast address of 10.96.0.0/12'],
    ['10.96.0.0/12', '10.96.0.1', 'is the address of the kubernetes Service in 10.96.0.0/12'],
    ['10.96.0.0/12', '10.95.255.255', 'is outside registry.serviceCIDR 10.96.0.0/12'],
    ['10.96.0.0/12', '10.112.0.0', 'is outside registry.serviceCIDR 10.96.0.0/12'],
    ['10.96.0.0/12', 'fd00::10', 'is outside registry.serviceCIDR 10.96.0.0/12'],
    ['192.0.2.0/28', '192.0.2.0', 'is the network address of 192.0.2.0/28'],
    ['192.0.2.0/28', '192.0.2.15', 'is the broadcast address of 192.0.2.0/28'],
    ['192.0.2.0/28', '192.0.2.16', 'is outside registry.serviceCIDR 192.0.2.0/28'],
    ['fd00::/108', 'fd00::', 'is the network address of fd00::/108'],
    ['fd00::/108', 'fd00::1', 'is the address of the kubernetes Service in fd00::/108'],
    ['fd00::/108', 'fd00::10:0', 'is outside registry.serviceCIDR fd00::/108'],
  ])('%s: %s is refused (%s)', (range, ip, problem) => {
    const result = placed(range, ip);
    expect(result.config).toBeUndefined();
    expect(result.issues.map((i) => i.message)).toEqual([
      expect.stringContaining(`registry.clusterIP: '${ip}' ${problem}; pick one in`),
    ]);
  });

  test.each([
    // the first and last of the static band, with no warning
    ['10.96.0.0/12', '10.96.0.2', '10.96.0.1-10.96.1.0'],
    ['10.96.0.0/12', '10.96.1.0', '10.96.0.1-10.96.1.0'],
    ['192.0.2.0/28', '192.0.2.14', '192.0.2.1-192.0.2.16'],
    ['fd00::/108', 'fd00::2', 'fd00::1-fd00::100'],
    ['fd00::/108', 'fd00::100', 'fd00::1-fd00::100'],
    // IPv6 has no broadcast address: the last one is usable (and dynamic)
    ['fd00::/108', 'fd00::f:ffff', undefined],
  ])('%s: %s is accepted', (range, ip, band) => {
    const result = placed(range, ip);
    expect(result.issues).toEqual([]);
    if (band) expect(result.warnings.filter((w) => w.startsWith('registry.clusterIP'))).toEqual([]);
    else
      expect(result.warnings).toEqual([
        expect.stringContaining(`registry.clusterIP: '${ip}' lies in the dynamic part of ${range}`),
      ]);
  });

  test('the fix names the static band, without the kubernetes Service address', () => {
    expect(placed('10.96.0.0/12', '10.96.0.0').issues[0].message).toMatch(
      /; pick one in 10\.96\.0\.1-10\.96\.1\.0 other than 10\.96\.0\.1$/,
    );
  });

  test('just past the static band warns that another Service may take it', () => {
    const result = placed('10.96.0.0/12', '10.96.1.1');
    expect(result.issues).toEqual([]);
    expect(result.warnings).toEqual([
      expect.stringContaining("registry.clusterIP: '10.96.1.1' lies in the dynamic part of 10.96.0.0/12"),
    ]);
  });

  test.each([
    ['10.96.0.1/12', 'has host bits set (the network address is 10.96.0.0)'],
    ['10.96.0.0/33', 'has prefix /33, longer than the 32 bits of an IPv4 address'],
    ['fd00::/129', 'has prefix /129, longer than the 128 bits of an IPv6 address'],
    ['10.96.0.0', 'is not in CIDR form address/prefix'],
    ['10.96.0/12', "has '10.96.0', which is not an IPv4 or IPv6 address"],
  ])('a serviceCIDR %s is refused: %s', (range, problem) => {
    expect(problemsOf({ registry: { serviceCIDR: range } })).toEqual([
      `registry.serviceCIDR: '${range}' ${problem}`,
    ]);
  });
});

describe('other refusals the README lists (the table the JSON Schema test shares)', () => {
  test.each(REFUSED.map((c) => [c.name, c] as const))('%s is refused', (_name, { raw, field, message }) => {
    const issues = problemsOf(raw);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0].startsWith(`${field}: `)).toBe(true);
    expect(issues[0]).toContain(message);
    // nothing outside the field's own entry is blamed
    const section = field.replace(/^(apps\[\d+\]|[a-zA-Z]+).*$/, '$1');
    for (const issue of issues) expect(issue.startsWith(section)).toBe(true);
  });

  test.each(ACCEPTED)('%s is accepted', (_name, raw) => {
    expect(problemsOf(raw)).toEqual([]);
  });
});
