import {
  formatIp,
  hostWithPort,
  parseCidr,
  parseIp,
  placeInServiceCidr,
  specialPurposeRange,
  staticBandSize,
} from '../lib/net/ip';

describe('parseIp', () => {
  test.each(['10.110.240.233', '192.0.2.10', 'fd00::10', '::1', '2001:db8::ffff:192.0.2.1'])(
    'accepts %s',
    (ip) => {
      expect(parseIp(ip)).toBeDefined();
    },
  );

  test.each([
    '10.110.240',
    '10.110.240.256',
    '010.1.1.1',
    '[fd00::10]',
    'fe80::1%eth0',
    'registry',
    '',
    ' 10.0.0.1',
  ])('rejects %j', (ip) => {
    expect(parseIp(ip)).toBeUndefined();
  });

  test.each([
    ['::ffff:192.0.2.1', 0xffffc0000201n],
    ['::ffff:192.168.100.200', 0xffffc0a864c8n],
    ['64:ff9b::10.96.100.254', (0x64ff9bn << 96n) | 0x0a6064fen],
    ['0:0:0:0:0:ffff:1.22.33.44', 0xffff0116212cn],
    ['::', 0n],
    ['::1', 1n],
    ['fd00::', 0xfd00n << 112n],
    ['fd00::10', (0xfd00n << 112n) | 0x10n],
    ['2001:db8:1:2:3:4:5:6', 0x20010db8000100020003000400050006n],
    ['2001:db8::2:0:0:1', 0x20010db8000000000002000000000001n],
  ])('reads %s', (text, value) => {
    expect(parseIp(text)).toEqual({ family: 6, value });
  });
});

describe('parseCidr', () => {
  test('reads a range', () => {
    expect(parseCidr('10.96.0.0/12')).toEqual({
      family: 4,
      network: 0x0a600000n,
      prefix: 12,
      size: 1n << 20n,
    });
  });

  test.each([
    ['10.96.0.1/12', 'host bits set'],
    ['10.96.0.0', 'CIDR form'],
    ['10.96.0.0/33', 'longer than the 32 bits'],
    ['bogus/12', 'not an IPv4 or IPv6 address'],
    ['10.96.0.0/8/12', 'CIDR form'],
    ['10.96.0.0/12x', 'CIDR form'],
    ['10.96.0.0/1234', 'CIDR form'],
    ['fd00::/129', 'longer than the 128 bits'],
  ])('rejects %s', (cidr, reason) => {
    expect(parseCidr(cidr)).toContain(reason);
  });
});

describe('parseCidr at the longest prefix', () => {
  test.each([
    ['192.0.2.10/32', 4, 1n],
    ['fd00::10/128', 6, 1n],
  ])('%s is one address', (text, family, size) => {
    expect(parseCidr(text)).toMatchObject({ family, prefix: family === 4 ? 32 : 128, size });
  });
});

describe('placeInServiceCidr: where an address lies in a Service range', () => {
  const place = (ip: string, range: string) => {
    const cidr = parseCidr(range);
    if (typeof cidr === 'string') throw new Error(cidr);
    return placeInServiceCidr(parseIp(ip)!, cidr);
  };
  test.each([
    ['10.95.255.255', '10.96.0.0/12', 'outside'],
    ['10.96.0.0', '10.96.0.0/12', 'network'],
    ['10.96.0.1', '10.96.0.0/12', 'apiserver'],
    ['10.96.0.2', '10.96.0.0/12', 'static'],
    ['10.111.255.254', '10.96.0.0/12', 'dynamic'],
    ['10.111.255.255', '10.96.0.0/12', 'broadcast'],
    ['10.112.0.0', '10.96.0.0/12', 'outside'],
    ['192.0.2.15', '192.0.2.0/28', 'broadcast'],
    ['192.0.2.14', '192.0.2.0/28', 'static'],
    ['fd00::', 'fd00::/108', 'network'],
    ['fd00::1', 'fd00::/108', 'apiserver'],
    ['fd00::f:ffff', 'fd00::/108', 'dynamic'],
    ['fd00::10:0', 'fd00::/108', 'outside'],
    ['fcff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'fd00::/108', 'outside'],
    // the numbers would fit, the family does not
    ['10.0.0.5', '::/96', 'outside'],
    ['::a00:5', '10.0.0.0/8', 'outside'],
  ])('%s in %s is %s', (ip, range, placement) => {
    expect(place(ip, range)).toBe(placement);
  });
});

describe('KEP-3070 static band', () => {
  test('is 256 addresses for a /12: 10.96.0.1 to 10.96.1.0', () => {
    const cidr = parseCidr('10.96.0.0/12');
    if (typeof cidr === 'string') throw new Error(cidr);
    expect(staticBandSize(cidr)).toBe(256n);
    expect(placeInServiceCidr(parseIp('10.96.1.0')!, cidr)).toBe('static');
    expect(placeInServiceCidr(parseIp('10.96.1.1')!, cidr)).toBe('dynamic');
    expect(placeInServiceCidr(parseIp('10.96.0.1')!, cidr)).toBe('apiserver');
    expect(placeInServiceCidr(parseIp('10.112.0.1')!, cidr)).toBe('outside');
  });

  test('is at least 16 addresses for a small range', () => {
    const cidr = parseCidr('10.0.0.0/28');
    if (typeof cidr === 'string') throw new Error(cidr);
    expect(staticBandSize(cidr)).toBe(16n);
  });

  test('is N/16 between the bounds', () => {
    const cidr = parseCidr('10.0.0.0/22');
    if (typeof cidr === 'string') throw new Error(cidr);
    expect(staticBandSize(cidr)).toBe(64n);
  });

  test('never places an IPv4 address in an IPv6 range', () => {
    const cidr = parseCidr('fd00::/108');
    if (typeof cidr === 'string') throw new Error(cidr);
    expect(placeInServiceCidr(parseIp('10.0.0.5')!, cidr)).toBe('outside');
    expect(placeInServiceCidr(parseIp('fd00::5')!, cidr)).toBe('static');
  });
});

describe('formatting', () => {
  test('formats addresses back', () => {
    expect(formatIp(4, 0x0a600001n)).toBe('10.96.0.1');
    expect(formatIp(6, parseIp('fd00::1:0')!.value)).toBe('fd00::1:0');
    expect(formatIp(6, 1n)).toBe('::1');
    expect(formatIp(6, 0n)).toBe('::');
    expect(formatIp(6, 0xfd00n << 112n)).toBe('fd00::');
    expect(formatIp(6, (0xfd00n << 112n) | (1n << 64n) | 1n)).toBe('fd00::1:0:0:0:1');
    expect(formatIp(6, 0x20010db8000100020003000400050006n)).toBe('2001:db8:1:2:3:4:5:6');
  });

  test('puts brackets around an IPv6 host next to a port', () => {
    expect(hostWithPort('fd00::10', 5000)).toBe('[fd00::10]:5000');
    expect(hostWithPort('10.0.0.1', 5000)).toBe('10.0.0.1:5000');
    expect(hostWithPort('internal-registry.kube-system.svc', 5000)).toBe(
      'internal-registry.kube-system.svc:5000',
    );
  });
});

describe('special-purpose addresses no Service can use', () => {
  test.each([
    ['0.0.0.0', 'an unspecified ("this network") address (0.0.0.0/8)'],
    ['0.255.1.1', 'an unspecified ("this network") address (0.0.0.0/8)'],
    ['127.0.0.1', 'a loopback address (127.0.0.0/8)'],
    ['127.255.255.254', 'a loopback address (127.0.0.0/8)'],
    ['169.254.169.254', 'a link-local address (169.254.0.0/16)'],
    ['224.0.0.1', 'a multicast address (224.0.0.0/4)'],
    ['239.255.255.255', 'a multicast address (224.0.0.0/4)'],
    ['255.255.255.255', 'the broadcast address (255.255.255.255/32)'],
    ['::', 'the unspecified address (::/128)'],
    ['::1', 'the loopback address (::1/128)'],
    ['::ffff:127.0.0.1', 'an IPv4-mapped IPv6 address (::ffff:0:0/96)'],
    ['::ffff:a00:1', 'an IPv4-mapped IPv6 address (::ffff:0:0/96)'],
    ['fe80::1', 'a link-local address (fe80::/10)'],
    ['febf::1', 'a link-local address (fe80::/10)'],
    ['ff02::1', 'a multicast address (ff00::/8)'],
  ])('%s is %s', (ip, range) => {
    expect(specialPurposeRange(parseIp(ip)!)).toBe(range);
  });

  test.each([
    '10.110.240.233',
    '192.0.2.10',
    '1.0.0.0',
    '126.255.255.255',
    '128.0.0.1',
    '169.253.255.255',
    '223.255.255.255',
    '254.255.255.255',
    'fd00::10',
    '::2',
    'fec0::1',
    '2001:db8::1',
  ])('%s is an ordinary address', (ip) => {
    expect(specialPurposeRange(parseIp(ip)!)).toBeUndefined();
  });
});
