import { agentFiles, importConflicts, type AgentLayout, type ImportUse } from '../agent/own-file-imports';

const CONFIG = '/etc/containerd/config.toml';
const HOSTS = '/etc/containerd/certs.d/192.0.2.10:5000/hosts.toml';

/** The agent on a node with the default config and hosts dir. */
const PLAIN: AgentLayout = {
  configPath: CONFIG,
  configFile: CONFIG,
  edited: [CONFIG],
  hostsDirs: ['/etc/containerd/certs.d'],
  hostsFiles: [HOSTS],
};
/** containerd 1.x, where the agent edits the drop-in that holds the CRI table. */
const DROP_IN: AgentLayout = { ...PLAIN, edited: [CONFIG, '/etc/containerd/conf.d/10-cri.toml'] };
/** config.toml a symlink to real/config.toml. */
const LINKED: AgentLayout = {
  ...PLAIN,
  configFile: '/etc/containerd/real/config.toml',
  edited: ['/etc/containerd/real/config.toml'],
};
const LEGACY: AgentLayout = { ...PLAIN, hostsDirs: [], hostsFiles: [] };

const use = (pattern: string, matches: readonly string[] = []): ImportUse => ({
  from: CONFIG,
  pattern,
  matches,
});

// [case, import, layout, what the message names (the agent's file and its kind)]
const REFUSED: ReadonlyArray<readonly [string, ImportUse, AgentLayout, RegExp]> = [
  [
    'a glob over backups',
    use('/etc/containerd/*.bak'),
    PLAIN,
    /config\.toml\.internal-registry\.bak \(the agent's backup of \/etc\/containerd\/config\.toml\)/,
  ],
  [
    'every file beside the config',
    use('/etc/containerd/*'),
    PLAIN,
    /matches \/etc\/containerd\/config\.toml \(the config itself\)/,
  ],
  [
    'json files',
    use('/etc/containerd/*.json'),
    PLAIN,
    /\.config\.toml\.internal-registry\.json \(the agent's state file\)/,
  ],
  [
    'dot files',
    use('/etc/containerd/.*'),
    PLAIN,
    /\.config\.toml\.tmp-<pid> \(the temporary file the agent writes \/etc\/containerd\/config\.toml through\)/,
  ],
  ['dot files by a class', use('/etc/containerd/[.]*'), PLAIN, /\.tmp-<pid>/],
  [
    'candidates',
    use('/etc/containerd/.internal-registry-*'),
    PLAIN,
    /\.internal-registry-candidate-<pid> \(a candidate config/,
  ],
  ['a later process id', use('/etc/containerd/*-4*'), PLAIN, /tmp-<pid>/],
  ['temporary files', use('/etc/containerd/*.tmp-*'), PLAIN, /\.tmp-<pid>/],
  ['anything with config.toml in its name', use('/etc/containerd/*config.toml*'), PLAIN, /the config itself/],
  [
    'the hosts dir',
    use('/etc/containerd/cert*'),
    PLAIN,
    /matches \/etc\/containerd\/certs\.d \(the hosts dir/,
  ],
  [
    'registry folders',
    use('/etc/containerd/certs.d/*'),
    PLAIN,
    /certs\.d\/192\.0\.2\.10:5000 \(a registry's folder/,
  ],
  [
    'hosts files',
    use('/etc/containerd/certs.d/*/hosts.toml'),
    PLAIN,
    /192\.0\.2\.10:5000\/hosts\.toml \(a hosts file\)/,
  ],
  ['hosts files, any depth-2 glob', use('/etc/containerd/*/*/*.toml'), PLAIN, /hosts\.toml \(a hosts file\)/],
  ['temporary hosts files', use('/etc/containerd/certs.d/*/.*'), PLAIN, /\.hosts\.toml\.tmp-<pid>/],
  ['a wildcard folder over the config', use('/etc/*/config.toml'), PLAIN, /the config itself/],
  [
    'a literal backup path',
    use('/etc/containerd/config.toml.internal-registry.bak'),
    PLAIN,
    /agent's backup.*remove "\/etc\/containerd\/config\.toml\.internal-registry\.bak" from imports/,
  ],
  ['a relative literal of the config', use('config.toml'), PLAIN, /the config itself.*remove "config\.toml"/],
  ['a literal through ..', use('../containerd/config.toml'), PLAIN, /the config itself/],
  [
    'a glob through .. (containerd cleans it)',
    use('/etc/containerd/../containerd/*.bak'),
    PLAIN,
    /agent's backup/,
  ],
  ['a doubled slash', use('/etc/containerd//*.bak'), PLAIN, /agent's backup/],
  ['a trailing slash (1.7 and 2.x clean it away)', use('/etc/containerd/*.bak/'), PLAIN, /agent's backup/],
  ['trailing slashes', use('/etc/containerd/*.json//'), PLAIN, /agent's state file/],
  ['a relative glob with a trailing slash', use('*.bak/'), PLAIN, /agent's backup/],
  [
    'the hosts dir as a literal with a trailing slash',
    use('/etc/containerd/certs.d/'),
    PLAIN,
    /the hosts dir/,
  ],
  [
    'a relative literal of the config with a trailing slash',
    use('./config.toml/'),
    PLAIN,
    /the config itself/,
  ],
  ['registry folders with a trailing slash', use('/etc/containerd/certs.d/*/'), PLAIN, /registry's folder/],
  ['a relative glob (1.7, 2.x: beside the config)', use('*.bak'), PLAIN, /agent's backup/],
  [
    'a relative glob (1.6: from containerd’s working directory /)',
    use('etc/containerd/*.json'),
    PLAIN,
    /state file/,
  ],
  [
    'a malformed glob',
    use('/etc/containerd/[*'),
    PLAIN,
    /"\/etc\/containerd\/\[\*", which is not a valid pattern .*containerd would not start/,
  ],
  [
    'a drop-in glob that links to the config',
    use('/etc/containerd/conf.d/*.toml', ['/etc/containerd/conf.d/a.toml', CONFIG]),
    PLAIN,
    /matches \/etc\/containerd\/config\.toml \(the config itself\)/,
  ],
  [
    'a leftover backup of an earlier run',
    use('/etc/containerd/conf.d/*', ['/etc/containerd/conf.d/10-cri.toml.internal-registry.bak']),
    PLAIN,
    /10-cri\.toml\.internal-registry\.bak \(a backup the agent made\)/,
  ],
  [
    'a leftover state file of another config',
    use('/etc/containerd/conf.d/*', ['/etc/containerd/conf.d/.x.toml.internal-registry.json']),
    PLAIN,
    /\(the agent's state file\)/,
  ],
  [
    'a leftover temporary file',
    use('/etc/containerd/conf.d/*', ['/etc/containerd/conf.d/.a.toml.tmp-77']),
    PLAIN,
    /a temporary file the agent writes through/,
  ],
  [
    'a leftover candidate',
    use('/etc/containerd/conf.d/*', ['/etc/containerd/conf.d/.internal-registry-candidate-9']),
    PLAIN,
    /a candidate config of the agent/,
  ],
  [
    'all files in the edited drop-in’s folder (1.x)',
    use('/etc/containerd/conf.d/*'),
    DROP_IN,
    /conf\.d\/\.10-cri\.toml\.tmp-<pid>|10-cri\.toml\.internal-registry\.bak/,
  ],
  [
    'backups in the edited drop-in’s folder (1.x)',
    use('/etc/containerd/conf.d/*.bak'),
    DROP_IN,
    /10-cri\.toml\.internal-registry\.bak \(the agent's backup of \/etc\/containerd\/conf\.d\/10-cri\.toml\)/,
  ],
  [
    'the symlink’s target',
    use('/etc/containerd/real/*.toml'),
    LINKED,
    /real\/config\.toml \(the config itself, the target of its symlink\)/,
  ],
  ['the backup beside the symlink’s target', use('/etc/containerd/real/*'), LINKED, /real\/config\.toml/],
];

const ACCEPTED: ReadonlyArray<readonly [string, ImportUse, AgentLayout]> = [
  [
    'drop-ins in their own folder',
    use('/etc/containerd/conf.d/*.toml', ['/etc/containerd/conf.d/a.toml']),
    PLAIN,
  ],
  ['all files in a folder the agent never writes', use('/etc/containerd/conf.d/*'), PLAIN],
  [
    '*.toml in the edited drop-in’s folder (1.x)',
    use('/etc/containerd/conf.d/*.toml', ['/etc/containerd/conf.d/10-cri.toml']),
    DROP_IN,
  ],
  ['a literal drop-in', use('/etc/containerd/conf.d/a.toml', ['/etc/containerd/conf.d/a.toml']), PLAIN],
  ['a relative literal drop-in', use('conf.d/a.toml'), PLAIN],
  // containerd globs only where there is a `*`: this is one odd file name, not a pattern
  ['`?` without `*` is a literal name', use('/etc/containerd/?config.toml.internal-registry.json'), PLAIN],
  ['another folder', use('/opt/containerd/*'), PLAIN],
  ['*.toml one level down, beside the hosts dir', use('/etc/containerd/*.d/*.toml'), PLAIN],
  ['a class that excludes every name of the agent’s', use('/etc/containerd/[a-b]*'), PLAIN],
  ['a registry folder in legacy mode (no hosts dir written)', use('/etc/containerd/certs.d/*'), LEGACY],
  ['*.toml beside the symlink, the target elsewhere', use('/etc/containerd/conf.d/*.toml'), LINKED],
  ['no imports', use('/etc/containerd/x.toml'), PLAIN],
];

describe('importConflicts: imports that would load a file of the agent’s', () => {
  test.each(REFUSED)('refuses %s', (_name, entry, layout, names) => {
    // WHEN
    const conflicts = importConflicts([entry], layout);
    // THEN one line naming the config, the pattern, the agent's file and the fix
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toContain(`${CONFIG} imports "${entry.pattern}", which `);
    expect(conflicts[0]).toMatch(names);
    expect(conflicts[0]).toMatch(/(narrow the pattern|move the drop-ins|remove "|fix the pattern)/);
  });

  test.each(ACCEPTED)('accepts %s', (_name, entry, layout) => {
    expect(importConflicts([entry], layout)).toEqual([]);
  });

  test('collects one line per import', () => {
    const conflicts = importConflicts(
      [use('/etc/containerd/*.bak'), use('/etc/containerd/conf.d/*.toml'), use('/etc/containerd/*.json')],
      PLAIN,
    );
    expect(conflicts.map((c) => /imports "([^"]+)"/.exec(c)?.[1])).toEqual([
      '/etc/containerd/*.bak',
      '/etc/containerd/*.json',
    ]);
  });
});

describe('importConflicts: the fix it proposes is one the same rule accepts', () => {
  test.each([
    ['/etc/containerd/conf.d/*', DROP_IN, 'narrow the pattern to "/etc/containerd/conf.d/*.toml"'],
    // *.toml beside the config would still load the config itself
    [
      '/etc/containerd/*',
      PLAIN,
      'move the drop-ins into a folder of their own, outside the hosts dir, and import *.toml from it, e.g. imports = ["/etc/containerd/conf.d/*.toml"]',
    ],
    ['/etc/containerd/*.bak', PLAIN, 'e.g. imports = ["/etc/containerd/conf.d/*.toml"]'],
    ['/etc/containerd/certs.d/*', PLAIN, 'narrow the pattern to "/etc/containerd/certs.d/*.toml"'],
    ['/etc/containerd/certs.d/*/*', PLAIN, 'move the drop-ins into a folder of their own'],
  ] as const)('%s', (pattern, layout, fix) => {
    const [conflict] = importConflicts([use(pattern)], layout);
    expect(conflict).toContain(fix);
    const proposed = /narrow the pattern to "([^"]+)"|imports = \["([^"]+)"\]/.exec(conflict);
    if (proposed) expect(importConflicts([use(proposed[1] ?? proposed[2])], layout)).toEqual([]);
  });

  test('no example folder where conf.d/*.toml would conflict too (a registry folder named x.toml there)', () => {
    const layout = {
      ...PLAIN,
      hostsDirs: ['/etc/containerd/conf.d'],
      hostsFiles: ['/etc/containerd/conf.d/x.toml/hosts.toml'],
    };
    const [conflict] = importConflicts([use('/etc/containerd/*')], layout);
    expect(conflict).toMatch(/import \*\.toml from it, then restart this pod$/);
  });
});

describe('agentFiles', () => {
  test('lists the state file, backup, temporaries and candidates of every edited file, and the hosts files', () => {
    const paths = agentFiles(DROP_IN).map((f) => f.path.replace(/\u0000/g, '<pid>'));
    expect(paths).toEqual(
      expect.arrayContaining([
        CONFIG,
        '/etc/containerd/.config.toml.internal-registry.json',
        '/etc/containerd/.config.toml.tmp-<pid>',
        '/etc/containerd/config.toml.internal-registry.bak',
        '/etc/containerd/conf.d/10-cri.toml.internal-registry.bak',
        '/etc/containerd/conf.d/.10-cri.toml.internal-registry.bak.tmp-<pid>',
        '/etc/containerd/conf.d/.internal-registry-candidate-<pid>',
        '/etc/containerd/.internal-registry-candidate-<pid>',
        '/etc/containerd/certs.d',
        HOSTS,
      ]),
    );
    // the drop-in itself is the node's file, imported on purpose
    expect(paths).not.toContain('/etc/containerd/conf.d/10-cri.toml');
  });
});
