import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@iarna/toml';
import { decideChanges, Refusal, type DecideInput, type NodeChanges } from '../agent/decide';
import { rulesForVersion, type ContainerdRules } from '../agent/containerd-rules';
import { NODE_SETUP_DEFAULTS, REGISTRY_DEFAULTS } from '../lib/config/defaults';
import { PLAN_KEY } from '../lib/node-setup/contract';
import { renderNodeSetupFiles, type NodePlan } from '../lib/node-setup/node-plan';
import { pinnedRegistryAddress } from '../lib/registry/registry-address';
import { MemoryNode } from './support/memory-node';
import { CONFIGS, SCENARIOS, type Series } from './real/node-matrix';

const VERSION: Record<Series, string> = {
  '1.6': 'containerd github.com/containerd/containerd 1.6.20~ds1 1.6.20~ds1-1+deb12u3',
  '1.7': 'containerd github.com/containerd/containerd 1.7.24~ds1 1.7.24~ds1-6+deb13u1',
  '2.1': 'containerd github.com/containerd/containerd/v2 2.1.9+unknown ',
};
const rules = (s: Series): ContainerdRules => rulesForVersion(VERSION[s]);
const CONFIG = '/etc/containerd/config.toml';

function shipped(mode: 'hostsDir' | 'legacy' = 'hostsDir') {
  const registry = { ...REGISTRY_DEFAULTS, clusterIP: '192.0.2.10' };
  const files = renderNodeSetupFiles({ ...NODE_SETUP_DEFAULTS, mode }, pinnedRegistryAddress(registry));
  return { plan: JSON.parse(files[PLAN_KEY]) as NodePlan, files };
}

/** A node with a scenario's files (node-configs/: a config file, or a folder with etc/ and srv/). */
function nodeWith(files?: string): MemoryNode {
  const node = new MemoryNode();
  if (files === undefined) return node;
  const path = join(CONFIGS, files);
  if (statSync(path).isDirectory()) {
    node.load(join(path, 'etc'), '/etc/containerd');
    if (existsSync(join(path, 'srv'))) node.load(join(path, 'srv'), '/srv');
  } else {
    node.file(CONFIG, readFileSync(path, 'utf8'));
  }
  return node;
}

function decide(
  node: MemoryNode,
  series: Series,
  mode: 'hostsDir' | 'legacy' = 'hostsDir',
  configPath = CONFIG,
) {
  const input: DecideInput = { configPath, ...shipped(mode), rules: rules(series) };
  return decideChanges(input, node);
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof Refusal) return error.message;
    throw error;
  }
  throw new Error('expected a Refusal');
}

describe('decideChanges over every node config of the real matrix', () => {
  const rows = SCENARIOS.flatMap((s) =>
    (['1.6', '1.7', '2.1'] as Series[]).map((series) => [s.id, series, s] as const),
  );
  test.each(rows)('%s on containerd %s: the same outcome as on the real node', (_id, series, scenario) => {
    // GIVEN the node's files
    const node = nodeWith(scenario.files?.(series));
    const outcome = scenario.outcome(series);
    // WHEN / THEN
    if (outcome.pass) {
      const changes = decide(node, series, scenario.mode);
      expect(changes.expect.configPath ?? '').toBe(scenario.mode === 'legacy' ? '' : changes.hostsDir);
    } else {
      expect(refusal(() => decide(node, series, scenario.mode))).toMatch(outcome.reason);
    }
  });
});

describe('decideChanges: what it writes', () => {
  test('no config: version 2 on containerd 1.x, version 3 on 2.x', () => {
    expect(decide(nodeWith(), '1.7').configText).toBe(
      'version = 2\n\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n',
    );
    expect(decide(nodeWith(), '2.1').configText).toBe(
      'version = 3\n\n[plugins."io.containerd.cri.v1.images".registry]\n  config_path = "/etc/containerd/certs.d"\n',
    );
    expect(decide(nodeWith(), '2.1').before).toBeUndefined();
  });

  test.each(['1.6', '2.1'] as Series[])(
    'an absolute symlink inside the mounts: the target is edited, the link kept (%s)',
    (s) => {
      const changes = decide(nodeWith('link-inside'), s);
      expect(changes.configFile).toBe('/etc/containerd/real/config.toml');
      expect(changes.before).toContain('SystemdCgroup = true');
      expect(changes.configText).toContain('config_path = "/etc/containerd/certs.d"');
    },
  );

  test('a relative symlink resolves against the link’s folder', () => {
    expect(decide(nodeWith('link-relative'), '1.7').configFile).toBe('/etc/containerd/real/config.toml');
  });

  test('a drop-in that names the CRI plugin holds the registry settings on 1.x, not on 2.x', () => {
    const old = decide(nodeWith('dropin'), '1.7');
    expect(old).toMatchObject({
      configFile: '/etc/containerd/conf.d/10-systemd.toml',
      configRole: 'drop-in',
    });
    expect(old.dropIn?.imports).toEqual([
      '/etc/containerd/conf.d/10-systemd.toml',
      '/etc/containerd/conf.d/20-debug.toml',
    ]);
    expect(old.configText).toMatch(
      /SystemdCgroup = true\n\n\[plugins."io.containerd.grpc.v1.cri".registry\]\n {2}config_path = /,
    );
    const merged = decide(nodeWith('dropin-v3'), '2.1');
    expect(merged).toMatchObject({ configFile: CONFIG, configRole: 'main' });
  });

  test('legacy mirrors and tls move to hosts files; configs.auth stays', () => {
    const changes = decide(nodeWith('legacy-auth.toml'), '1.6');
    const parsed = parse(changes.configText!) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    const registry = parsed.plugins['io.containerd.grpc.v1.cri'].registry;
    expect(registry.mirrors).toBeUndefined();
    expect(registry.configs['mirror.example.com']).toBeUndefined();
    expect(registry.configs['registry-1.docker.io'].auth).toEqual({
      username: 'puller',
      password: 'not-a-real-secret',
    });
    expect(changes.hostsFiles.map((f) => f.hostPath)).toContain(
      '/etc/containerd/certs.d/docker.io/hosts.toml',
    );
  });

  test('a mirrors."*" wildcard becomes _default/hosts.toml without a server line', () => {
    const changes = decide(nodeWith('wildcard-mirror.toml'), '1.7');
    const file = changes.hostsFiles.find((f) => f.hostPath === '/etc/containerd/certs.d/_default/hosts.toml');
    expect(parse(file!.content)).toEqual({
      host: { 'https://mirror.example.com': { capabilities: ['pull', 'resolve'] } },
    });
    expect(changes.hostsFiles.some((f) => f.hostPath.includes('/*/'))).toBe(false);
  });

  test('CRLF stays CRLF, a byte order mark stays (where containerd accepts it)', () => {
    const crlf = decide(nodeWith('crlf.toml'), '2.1').configText!;
    expect(crlf.split('\r\n').length).toBeGreaterThan(10);
    expect(crlf.replace(/\r\n/g, '')).not.toContain('\n');
    expect(decide(nodeWith('bom.toml'), '1.6').configText!.startsWith('\uFEFFversion')).toBe(false);
    expect(decide(nodeWith('bom.toml'), '1.6').configText!.startsWith('\uFEFF# Hand-written')).toBe(true);
  });

  test('hosts files already in place with the same content are not rewritten; others are kept', () => {
    const first: NodeChanges = decide(nodeWith('other-hosts'), '1.7');
    expect(first.configText).toBeUndefined();
    expect(first.hostsFiles.every((f) => !/quay\.io|docker\.io/.test(f.hostPath))).toBe(true);
    const node = nodeWith('other-hosts');
    for (const f of first.hostsFiles) node.file(f.hostPath, f.content);
    expect(decide(node, '1.7').hostsFiles).toEqual([]);
  });
});

describe('decideChanges: refusals name the file, the cause and the fix (hostile node files)', () => {
  const base = '/etc/containerd';
  const v2 = 'version = 2\n';
  const cases: Array<[string, (n: MemoryNode) => MemoryNode, Series, RegExp]> = [
    [
      'a dangling symlink',
      (n) => n.link(CONFIG, '/etc/containerd/gone.toml'),
      '1.7',
      /is a symlink to \/etc\/containerd\/gone\.toml.* that does not exist/,
    ],
    [
      'a symlink loop',
      (n) => n.link(CONFIG, `${base}/b.toml`).link(`${base}/b.toml`, CONFIG),
      '1.6',
      /too many levels of symlinks/,
    ],
    [
      'a link out through ..',
      (n) => n.link(CONFIG, '../../srv/x.toml'),
      '2.1',
      /resolves to \/srv\/x\.toml.*nodeSetup\.extraHostPaths/,
    ],
    ['a folder as the config', (n) => n.file(`${base}/config.toml/x`, v2), '1.7', /is not a regular file/],
    ['mixed line endings', (n) => n.file(CONFIG, 'version = 2\r\n# x\n'), '1.7', /mixes CRLF and LF/],
    [
      'a byte order mark on 2.x',
      (n) => n.file(CONFIG, `\uFEFF${v2}`),
      '2.1',
      /byte order mark, which containerd 2\.1 refuses/,
    ],
    [
      'version 3 on 1.7',
      (n) => n.file(CONFIG, 'version = 3\n'),
      '1.7',
      /version = 3, which containerd 1\.7 does not load/,
    ],
    ['no version line', (n) => n.file(CONFIG, 'root = "/x"\n'), '1.6', /no `version` line/],
    ['version 4', (n) => n.file(CONFIG, 'version = 4\n'), '2.1', /version = 4/],
    [
      'imports not a list',
      (n) => n.file(CONFIG, `${v2}imports = "x"\n`),
      '1.7',
      /imports is not a list of paths/,
    ],
    ['a relative glob', (n) => n.file(CONFIG, `${v2}imports = ["conf.d/*.toml"]\n`), '1.7', /relative glob/],
    [
      'a glob in a folder name',
      (n) => n.file(CONFIG, `${v2}imports = ["/etc/containerd/*/x.toml"]\n`),
      '1.6',
      /wildcard in a folder name/,
    ],
    [
      'a hidden import glob',
      (n) => n.file(CONFIG, `${v2}imports = ["/opt/conf.d/*.toml"]\n`),
      '1.7',
      /outside the host paths mounted.*\/opt\/conf\.d/,
    ],
    [
      'a missing import',
      (n) => n.file(CONFIG, `${v2}imports = ["/etc/containerd/none.toml"]\n`),
      '1.7',
      /none\.toml .* does not exist/,
    ],
    [
      'a malformed drop-in',
      (n) => n.file(CONFIG, `${v2}imports = ["/etc/containerd/d.toml"]\n`).file(`${base}/d.toml`, '[x\n'),
      '1.7',
      /drop-in \/etc\/containerd\/d\.toml .* is not valid TOML/,
    ],
    [
      'a nested CRI drop-in',
      (n) =>
        n
          .file(CONFIG, `${v2}imports = ["/etc/containerd/a.toml"]\n`)
          .file(`${base}/a.toml`, `${v2}imports = ["/etc/containerd/b.toml"]\n`)
          .file(`${base}/b.toml`, `${v2}[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "x"\n`),
      '1.7',
      /replaces the whole \[plugins\."io\.containerd\.grpc\.v1\.cri"\] table with the one in \/etc\/containerd\/b\.toml.*add `config_path = "\/etc\/containerd\/certs\.d"` under/,
    ],
    [
      'a CRI drop-in in dotted-key form',
      (n) =>
        n
          .file(CONFIG, `${v2}imports = ["/etc/containerd/a.toml"]\n`)
          .file(`${base}/a.toml`, `${v2}[plugins."io.containerd.grpc.v1.cri"]\n  registry.mirrors = {}\n`),
      '1.6',
      /in the drop-in \/etc\/containerd\/a\.toml/,
    ],
    ['a relative --config', (n) => n, '1.7', /not an absolute path/],
    [
      'a --config outside the mounts',
      (n) => n,
      '2.1',
      /\/opt\/containerd\/config\.toml outside the host paths mounted into the agent.*nodeSetup\.extraHostPaths/,
    ],
    [
      'a mirror whose hosts file exists with other content',
      (n) =>
        n
          .file(
            CONFIG,
            `${v2}[plugins."io.containerd.grpc.v1.cri".registry.mirrors."q.io"]\n  endpoint = ["https://m.example"]\n`,
          )
          .file(`${base}/certs.d/q.io/hosts.toml`, 'server = "https://q.io"\n'),
      '1.7',
      /cannot move to \/etc\/containerd\/certs\.d\/q\.io\/hosts\.toml/,
    ],
    ['legacy mode on 2.x', (n) => n.file(CONFIG, v2), '2.1', /legacy mode was refused on containerd 2\.1/],
    // A link on a hosts file's way resolves inside the agent's pod, not on the node: the node would never see the file.
    [
      'the hosts dir is a symlink',
      (n) => n.file(CONFIG, v2).link(`${base}/certs.d`, '/srv/certs.d'),
      '1.7',
      /\/etc\/containerd\/certs\.d is a symlink to \/srv\/certs\.d.*replace the link with a folder/,
    ],
    [
      'a registry’s hosts folder is a symlink',
      (n) => n.file(CONFIG, v2).link(`${base}/certs.d/192.0.2.10:5000`, '/srv/x'),
      '1.6',
      /certs\.d\/192\.0\.2\.10:5000 is a symlink to \/srv\/x/,
    ],
    [
      'a hosts.toml that is a symlink',
      (n) => n.file(CONFIG, v2).link(`${base}/certs.d/192.0.2.10:5000/hosts.toml`, '/etc/shadow'),
      '2.1',
      /hosts\.toml is a symlink to \/etc\/shadow/,
    ],
    [
      'a hosts.toml that is a folder',
      (n) => n.file(CONFIG, v2).file(`${base}/certs.d/192.0.2.10:5000/hosts.toml/x`, 'x'),
      '1.7',
      /hosts\.toml is not a regular file/,
    ],
  ];
  test.each(cases)('%s', (name, setup, series, reason) => {
    const node = setup(new MemoryNode());
    const before = JSON.stringify([...node.entries]);
    const configPath =
      name === 'a relative --config'
        ? 'config.toml'
        : name.includes('outside the mounts')
          ? '/opt/containerd/config.toml'
          : CONFIG;
    const mode = name.startsWith('legacy') ? 'legacy' : 'hostsDir';
    expect(refusal(() => decide(node, series, mode, configPath))).toMatch(reason);
    // the decision only reads
    expect(JSON.stringify([...node.entries])).toBe(before);
  });
});

describe('decideChanges: imports that would load the agent’s own files are refused before anything else', () => {
  const base = '/etc/containerd';
  const v2 = 'version = 2\n';
  const cri = `${v2}[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "x"\n`;
  const state = JSON.stringify({ configExisted: true, hostsFiles: {} });
  const cases: Array<[string, (n: MemoryNode) => MemoryNode, Series, RegExp]> = [
    [
      'a glob over everything, with the state file of an earlier run (was: "not valid TOML")',
      (n) =>
        n
          .file(CONFIG, `${v2}imports = ["/etc/containerd/*"]\n`)
          .file(`${base}/.config.toml.internal-registry.json`, state),
      '1.7',
      /imports "\/etc\/containerd\/\*", which matches \/etc\/containerd\/\.config\.toml\.internal-registry\.json \(the agent's state file\)/,
    ],
    [
      'a drop-in glob over the backup of an earlier run (was: the backup edited as the drop-in)',
      (n) =>
        n
          .file(CONFIG, `${v2}imports = ["/etc/containerd/conf.d/*"]\n`)
          .file(`${base}/conf.d/10-cri.toml`, cri)
          .file(`${base}/conf.d/10-cri.toml.internal-registry.bak`, cri),
      '1.6',
      /matches \/etc\/containerd\/conf\.d\/10-cri\.toml\.internal-registry\.bak \(a backup the agent made\).*narrow the pattern to "\/etc\/containerd\/conf\.d\/\*\.toml"/,
    ],
    [
      'a drop-in glob over the folder of the CRI drop-in the agent would edit (1.x)',
      (n) =>
        n
          .file(CONFIG, `${v2}imports = ["/etc/containerd/conf.d/*"]\n`)
          .file(`${base}/conf.d/10-cri.toml`, cri),
      '1.7',
      /conf\.d\/\.10-cri\.toml\.tmp-<pid> \(the temporary file the agent writes \/etc\/containerd\/conf\.d\/10-cri\.toml through\)/,
    ],
    [
      'a glob over backups on 2.x',
      (n) => n.file(CONFIG, `${v2}imports = ["/etc/containerd/*.bak"]\n`),
      '2.1',
      /agent's backup/,
    ],
    [
      'a drop-in that is a symlink to the config',
      (n) =>
        n
          .file(CONFIG, `${v2}imports = ["/etc/containerd/conf.d/*.toml"]\n`)
          .link(`${base}/conf.d/a.toml`, CONFIG),
      '2.1',
      /matches \/etc\/containerd\/config\.toml \(the config itself\)/,
    ],
    [
      'the hosts dir config_path names (not the default one)',
      (n) =>
        n.file(
          CONFIG,
          `${v2}imports = ["/etc/containerd/registries.d/*/*"]\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/registries.d"\n`,
        ),
      '1.6',
      /registries\.d\/192\.0\.2\.10:5000\/hosts\.toml \(a hosts file\)/,
    ],
    [
      'a glob in a drop-in (containerd follows imports of imports)',
      (n) =>
        n
          .file(CONFIG, `${v2}imports = ["/etc/containerd/conf.d/*.toml"]\n`)
          .file(`${base}/conf.d/a.toml`, `${v2}imports = ["../*.bak"]\n`),
      '2.1',
      /conf\.d\/a\.toml imports "\.\.\/\*\.bak", which matches \/etc\/containerd\/config\.toml\.internal-registry\.bak/,
    ],
    [
      'a glob that containerd would refuse',
      (n) => n.file(CONFIG, `${v2}imports = ["/etc/containerd/[*.toml"]\n`),
      '2.1',
      /is not a valid pattern/,
    ],
  ];
  test.each(cases)('%s', (_name, setup, series, reason) => {
    const node = setup(new MemoryNode());
    const before = JSON.stringify([...node.entries]);
    const message = refusal(() => decide(node, series));
    expect(message).toMatch(
      /^the containerd config was left as it is: \/etc\/containerd\/(config|conf\.d\/a)\.toml imports "/,
    );
    expect(message).toMatch(reason);
    expect(JSON.stringify([...node.entries])).toBe(before);
  });

  test('a drop-in folder of its own is followed as before (1.x edits the CRI drop-in there)', () => {
    const node = new MemoryNode()
      .file(CONFIG, `${v2}imports = ["/etc/containerd/conf.d/*.toml"]\n`)
      .file(`${base}/conf.d/10-cri.toml`, cri);
    expect(decide(node, '1.7').configFile).toBe(`${base}/conf.d/10-cri.toml`);
    expect(decide(node, '2.1').configFile).toBe(CONFIG);
  });
});

describe('rulesForVersion', () => {
  test.each([
    ['containerd github.com/containerd/containerd 1.6.20~ds1 1.6.20~ds1-1+deb12u3', '1.6', 2],
    ['containerd github.com/containerd/containerd 1.7.24~ds1 1.7.24~ds1-6+deb13u1', '1.7', 2],
    ['containerd containerd.io 1.7.27 05044ec0a9a75232cad458027ca83437aae3f4da', '1.7', 2],
    ['containerd github.com/containerd/containerd/v2 2.1.9+unknown ', '2.1', 3],
    [
      'containerd github.com/containerd/containerd/v2 v2.2.0 1c4457e00facac03ce1d75f7b6777a7a851e5c41',
      '2.2',
      3,
    ],
  ])('%s → %s', (output, series, fresh) => {
    expect(rulesForVersion(output)).toMatchObject({ series, freshConfigVersion: fresh });
  });
  test.each([
    'containerd github.com/containerd/containerd 1.5.9 x',
    'containerd github.com/containerd/containerd 3.0.0 x',
    'bash: containerd: not found',
  ])('refuses %s', (output) => {
    expect(() => rulesForVersion(output)).toThrow(Refusal);
  });
});
