// An emulation of Argo CD's Config Management Plugin contract (argocd-cmp-server, Argo CD 2.4+
// sidecar plugins), run against a copy of this repository: init in the copy, then generate on the
// copy made read-only, with the environment Argo CD gives plugin commands. No Argo CD runs here.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { EXIT_CODES } from '../lib/cli/cli-errors';
import { CMP_NAME } from '../lib/delivery/argo-application';
import { describeWithTools } from './support/real-tools';
import { ROOT } from './support/run';
import { tempDir } from './support/synth';

interface PluginSpec {
  metadata: { name: string };
  spec: { version?: string; init: { command: string[] }; generate: { command: string[] } };
}

const plugin = parse(readFileSync(join(ROOT, 'argocd', 'plugin.yaml'), 'utf8')) as PluginSpec;
const isRoot = process.getuid?.() === 0;
const describeReadOnly = describeWithTools(isRoot ? ['unshare', 'mount'] : []);

/** The repository as Argo CD hands it to the sidecar: its files, without .git, node_modules or build/. */
function copyRepository(): string {
  const copy = join(tempDir('cmp-'), 'repo');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((file) => file && lstatSync(join(ROOT, file), { throwIfNoEntry: false })?.isFile());
  for (const file of files) cpSync(join(ROOT, file), join(copy, file), { recursive: true });
  return copy;
}

/** Path, size, mode and mtime of everything under `dir`: any write into it changes this. */
function treeState(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      const stat = lstatSync(path);
      return `${path.slice(dir.length)} ${stat.size} ${stat.mode} ${stat.mtimeMs}`;
    })
    .sort();
}

/** Argo CD's build environment for an Application rendered through the plugin (docs: build-environment). */
function argoEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: tempDir('cmp-home-'),
    ARGOCD_APP_NAME: 'internal-registry',
    ARGOCD_APP_NAMESPACE: 'kube-system',
    ARGOCD_APP_PROJECT_NAME: 'default',
    ARGOCD_APP_REVISION: '0123456789abcdef0123456789abcdef01234567',
    ARGOCD_APP_REVISION_SHORT: '0123456',
    ARGOCD_APP_SOURCE_PATH: '.',
    ARGOCD_APP_SOURCE_REPO_URL: 'https://git.example.com/platform/registry.git',
    ARGOCD_APP_SOURCE_TARGET_REVISION: 'HEAD',
    KUBE_VERSION: '1.32.0',
    KUBE_API_VERSIONS: 'v1,apps/v1,batch/v1',
    ...extra,
  };
}

/**
 * Runs `command` in `dir` with `dir` read-only: `chmod -R a-w`, and for root (which file modes do not
 * stop) a read-only bind mount of `dir` in a private mount namespace.
 */
function runReadOnly(dir: string, command: string[], env: Record<string, string>) {
  const [file, args] = isRoot
    ? [
        'unshare',
        [
          '-m',
          '--propagation',
          'private',
          'sh',
          '-c',
          'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" "$0" && cd "$0" && exec "$@"',
          dir,
          ...command,
        ],
      ]
    : [command[0], command.slice(1)];
  return spawnSync(file, args, { cwd: dir, env, encoding: 'utf8' });
}

describe('the plugin name', () => {
  test('is <metadata.name>-<spec.version> of argocd/plugin.yaml, as Argo CD registers it', () => {
    const registered = plugin.spec.version
      ? `${plugin.metadata.name}-${plugin.spec.version}`
      : plugin.metadata.name;
    expect(CMP_NAME).toBe(registered);
  });
});

describeWithTools(isRoot ? ['unshare', 'mount', 'npm'] : ['npm'])(
  'Argo CD plugin contract (emulation): init in a copy, generate on the read-only copy',
  () => {
    let copy: string;
    let before: string[];
    let initSeconds: number;
    // The same npm cache as this machine's own `npm ci`: the sidecar's is warm after its first init.
    const npmCache = execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();

    // Config files live in the repository: an Argo CD plugin reads only its files (issue 9). They are
    // written into the copy before it is made read-only.
    const inCopy: Array<[string, string]> = [];
    const config = (text: string, name = `config-${inCopy.length}.yaml`) => {
      inCopy.push([name, text]);
      return join('cmp-test', name);
    };
    const warningConfig = config('registry: {storage: {type: emptyDir}}\n');

    beforeAll(() => {
      copy = copyRepository();
      const [command, ...args] = plugin.spec.init.command;
      const started = Date.now();
      const init = spawnSync(command, args, {
        cwd: copy,
        env: { ...argoEnv(), npm_config_cache: npmCache, npm_config_update_notifier: 'false' },
        encoding: 'utf8',
      });
      initSeconds = (Date.now() - started) / 1000;
      if (init.status !== 0) throw new Error(`init failed (${init.status}): ${init.stderr}`);
      mkdirSync(join(copy, 'cmp-test'));
      for (const [name, text] of inCopy) writeFileSync(join(copy, 'cmp-test', name), text);
      execFileSync('chmod', ['-R', 'a-w', copy]);
      before = treeState(copy);
    }, 600000);

    afterAll(() => {
      if (copy) {
        execFileSync('chmod', ['-R', 'u+w', dirname(copy)]);
        rmSync(dirname(copy), { recursive: true, force: true });
      }
    });

    test('init installs the runtime dependencies and builds the bundles and the code cache', () => {
      for (const file of ['main.js', 'main.js.cache', 'node-agent.js', 'inputs.json']) {
        expect(lstatSync(join(copy, 'build', file)).size).toBeGreaterThan(0);
      }
      expect(lstatSync(join(copy, 'node_modules', 'esbuild')).isDirectory()).toBe(true);
      // devDependencies stay out of the sidecar (npm ci --omit=dev)
      expect(lstatSync(join(copy, 'node_modules', 'jest'), { throwIfNoEntry: false })).toBeUndefined();
      process.stderr.write(`plugin init (warm npm cache): ${initSeconds.toFixed(1)} s\n`);
    });

    test('the copy is read-only for generate: a write into it fails', () => {
      const write = runReadOnly(copy, ['sh', '-c', 'echo x > probe'], argoEnv());
      expect(write.status).not.toBe(0);
      expect(treeState(copy)).toEqual(before);
    });

    test('generate prints the manifest stream of the repository and writes nothing into it', () => {
      // GIVEN: the Application's plugin env and parameters
      const env = argoEnv({
        ARGOCD_ENV_REGISTRY_CLUSTER_IP: '192.0.2.10',
        PARAM_REGISTRY_PORT: '5001',
      });
      // WHEN
      const result = runReadOnly(copy, plugin.spec.generate.command, env);
      // THEN: what the working tree renders with the same overrides
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const expected = spawnSync(process.execPath, [join(ROOT, 'build', 'main.js'), '--stdout'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', REGISTRY_CLUSTER_IP: '192.0.2.10', REGISTRY_PORT: '5001' },
        encoding: 'utf8',
      });
      expect(result.stdout).toBe(expected.stdout);
      expect(result.stdout).toContain('clusterIP: 192.0.2.10');
      expect(treeState(copy)).toEqual(before);
    });

    test('a warning goes to stderr and the stream to stdout', () => {
      const result = runReadOnly(
        copy,
        plugin.spec.generate.command,
        argoEnv({ ARGOCD_ENV_SYNTH_CONFIG: warningConfig }),
      );
      expect(result.status).toBe(0);
      expect(result.stderr).toMatch(/^warning: .*emptyDir/);
      expect(result.stdout).toContain('kind: Deployment');
      expect(treeState(copy)).toEqual(before);
    });

    const failures: Array<[string, number, string, () => Record<string, string>]> = [
      [
        'a bad plugin env value',
        EXIT_CODES.config,
        'registry.clusterIP (from ARGOCD_ENV_REGISTRY_CLUSTER_IP)',
        () => ({ ARGOCD_ENV_REGISTRY_CLUSTER_IP: 'x' }),
      ],
      [
        'a bad parameter',
        EXIT_CODES.config,
        'registry.port (from PARAM_REGISTRY_PORT)',
        () => ({ PARAM_REGISTRY_PORT: '70000' }),
      ],
      [
        'an unknown address source',
        EXIT_CODES.config,
        'discovery.source',
        () => ({ PARAM_REGISTRY_IP_SOURCE: 'dns' }),
      ],
      [
        'a config file that does not exist',
        EXIT_CODES.config,
        'does not exist',
        () => ({ ARGOCD_ENV_SYNTH_CONFIG: '/nonexistent/config.yaml' }),
      ],
      [
        'a config with several problems',
        EXIT_CODES.config,
        'the config has 2 problems',
        () => ({ ARGOCD_ENV_SYNTH_CONFIG: config('apps: []\nregistry: {port: 0}\n') }),
      ],
      [
        'a config that is not YAML',
        EXIT_CODES.config,
        'YAML syntax',
        () => ({ ARGOCD_ENV_SYNTH_CONFIG: config('registry: [\n') }),
      ],
      [
        'an unknown key',
        EXIT_CODES.config,
        'registri: unknown key',
        () => ({ ARGOCD_ENV_SYNTH_CONFIG: config('registry: {}\nregistri: {}\n') }),
      ],
      [
        'an app manifest that does not exist',
        EXIT_CODES.config,
        'apps[0].manifest',
        () => ({ ARGOCD_ENV_SYNTH_CONFIG: config('apps: [{name: web, manifest: missing.yaml}]\n') }),
      ],
      [
        'a placeholder-free app manifest',
        EXIT_CODES.config,
        'apps[0].manifest',
        () => {
          config('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n', 'app.yaml');
          return { ARGOCD_ENV_SYNTH_CONFIG: config('apps: [{name: web, manifest: app.yaml}]\n') };
        },
      ],
      [
        'discovery with no cluster',
        EXIT_CODES.discovery,
        'could not read Service ',
        () => ({ PARAM_REGISTRY_IP_SOURCE: 'discover', KUBECONFIG: '/nonexistent/kubeconfig' }),
      ],
      [
        'an Application without repoURL',
        EXIT_CODES.config,
        'delivery.argoApplication.repoURL',
        () => ({ ARGOCD_ENV_SYNTH_CONFIG: config('delivery: {argoApplication: {enabled: true}}\n') }),
      ],
    ];

    const envs = new Map(failures.map(([name, , , extra]) => [name, extra()]));
    test.each(failures)(
      '%s: exit %s, %s on one line of stderr, nothing on stdout, nothing written',
      (name, code, text) => {
        const result = runReadOnly(copy, plugin.spec.generate.command, argoEnv(envs.get(name)));
        expect(result.stdout).toBe('');
        expect(result.status).toBe(code);
        expect(result.stderr).toContain(text);
        expect(result.stderr).toMatch(/^synth: [^\n]+\n$/);
        expect(treeState(copy)).toEqual(before);
      },
    );
  },
);

describeReadOnly('Argo CD plugin contract (emulation): generate without init', () => {
  test('one line on stderr, exit 5 (bundles missing), nothing on stdout, nothing written', () => {
    // GIVEN: a copy on which init never ran (no node_modules, no build/)
    const copy = copyRepository();
    execFileSync('chmod', ['-R', 'a-w', copy]);
    const before = treeState(copy);
    try {
      // WHEN
      const result = runReadOnly(copy, plugin.spec.generate.command, argoEnv());
      // THEN
      expect(result.stdout).toBe('');
      expect(result.status).toBe(EXIT_CODES.build);
      expect(result.stderr).toMatch(
        /^synth: could not build the bundles in build\/ \([^\n]*\); run npm run build[^\n]*\n$/,
      );
      expect(treeState(copy)).toEqual(before);
    } finally {
      execFileSync('chmod', ['-R', 'u+w', dirname(copy)]);
      rmSync(dirname(copy), { recursive: true, force: true });
    }
  });
});
