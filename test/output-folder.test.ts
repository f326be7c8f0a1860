import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  foreignEntries,
  isSynthKustomizationLeftover,
  KUSTOMIZATION_HEADER,
  leftoverForeignEntries,
  markerFolders,
  leftoverKind,
  OUTPUT_MARKER,
  refuseKustomization,
  refuseOutputFolder,
  renderOutputMarker,
} from '../lib/output/output-folder';
import { outputFolderOf, OutputWriteFailed, writeOutput } from '../lib/output/write-manifests';
import { runBundleAsync, treeDigest } from './support/run';
import { tempDir } from './support/synth';

const PROTECT = { cwd: '/home/u/repo', projectRoot: '/opt/synth', home: '/home/u' };
// Linux never gives out a pid above 2^22 (pid_max's ceiling): work named with one is a killed run's.
const deadPid = (n: number) => 4_194_304 + n;
const files = (...names: string[]) => names.map((name) => ({ name, isFile: true }));

describe('which folder synth may replace (pure)', () => {
  test.each([
    ['a missing folder', '/home/u/repo/dist', { type: 'missing' } as const, undefined],
    ['an empty folder', '/home/u/repo/dist', { type: 'folder', entries: [] } as const, undefined],
    [
      'a folder of synth-named files (output of a synth before the marker)',
      '/home/u/repo/dist',
      { type: 'folder', entries: files('0000-registry.k8s.yaml', '0002-app-a.k8s.yaml') } as const,
      undefined,
    ],
    [
      'a folder with the marker and exactly its files',
      '/home/u/repo/dist',
      {
        type: 'folder',
        entries: files('0000-registry.k8s.yaml', OUTPUT_MARKER),
        marker: renderOutputMarker(['0000-registry.k8s.yaml']),
      } as const,
      undefined,
    ],
  ])('%s may be replaced', (_name, target, facts, expected) => {
    expect(refuseOutputFolder(target, facts, PROTECT)).toBe(expected);
  });

  test.each([
    ['/', { type: 'missing' } as const, 'is the root folder'],
    ['/home/u/repo', { type: 'missing' } as const, 'is the working directory'],
    ['/home', { type: 'missing' } as const, 'is a parent of the working directory'],
    ['/opt/synth', { type: 'missing' } as const, 'is the project folder or one of its parents'],
    ['/opt', { type: 'missing' } as const, 'is the project folder or one of its parents'],
    ['/home/u/repo/out', { type: 'symlink' } as const, 'is a symbolic link'],
    ['/home/u/repo/out', { type: 'file' } as const, 'is a file, not a folder'],
    ['/home/u/repo/out', { type: 'other' } as const, 'is not a folder'],
    [
      '/home/u/repo/out',
      { type: 'folder', entries: files('a', 'b', 'c', 'd') } as const,
      'holds files synth did not write ("a", "b", "c" and 1 more)',
    ],
    [
      '/home/u/repo/out',
      { type: 'folder', entries: [{ name: '0000-registry.k8s.yaml', isFile: false }] } as const,
      'holds files synth did not write ("0000-registry.k8s.yaml")',
    ],
  ])('%s (%j) is refused', (target, facts, reason) => {
    expect(refuseOutputFolder(target, facts, PROTECT)).toContain(reason);
  });

  test('the marker lists what synth wrote; anything else is foreign, the marker included when it is not synth’s', () => {
    const marker = renderOutputMarker(['0000-a.k8s.yaml']);
    expect(foreignEntries(files('0000-a.k8s.yaml', '0001-b.k8s.yaml', OUTPUT_MARKER), marker)).toEqual([
      '0001-b.k8s.yaml',
    ]);
    expect(foreignEntries(files(OUTPUT_MARKER), 'something else\n')).toEqual([OUTPUT_MARKER]);
  });

  test('a kustomization.yaml is replaced only when synth wrote it', () => {
    expect(refuseKustomization({ type: 'missing' }, undefined)).toBeUndefined();
    expect(refuseKustomization({ type: 'file' }, KUSTOMIZATION_HEADER)).toBeUndefined();
    expect(refuseKustomization({ type: 'file' }, 'resources: []')).toContain('was not written by synth');
    expect(refuseKustomization({ type: 'symlink' }, undefined)).toContain('symbolic link');
  });

  // A run killed while writing the marker or the temporary kustomization leaves it empty or cut short.
  const MARKER = renderOutputMarker(['0000-registry.k8s.yaml']);
  test.each([
    ['an empty marker, chart files', '', files('0000-registry.k8s.yaml', OUTPUT_MARKER), []],
    ['a marker cut short, chart files', MARKER.slice(0, 20), files('0001-apps.k8s.yaml', OUTPUT_MARKER), []],
    ['a whole marker, listed files', MARKER, files('0000-registry.k8s.yaml', OUTPUT_MARKER), []],
    ['a marker cut in its list, chart files', MARKER.slice(0, -5), files('0000-registry.k8s.yaml'), []],
    ['no marker, chart files', undefined, files('0000-registry.k8s.yaml'), []],
    ['an empty marker, a user file', '', files('notes.txt', OUTPUT_MARKER), ['notes.txt']],
    ['a marker cut short, a sub-folder', '', [{ name: 'sub', isFile: false }], ['sub']],
    ['a marker that is a folder', '', [{ name: OUTPUT_MARKER, isFile: false }], [OUTPUT_MARKER]],
    ['a user-written marker', 'my list\n', files('0000-registry.k8s.yaml', OUTPUT_MARKER), [OUTPUT_MARKER]],
    ['no marker, a user file', undefined, files('notes.txt'), ['notes.txt']],
  ])('a leftover folder with %s: foreign %j', (_, marker, entries, foreign) => {
    expect(leftoverForeignEntries(entries, marker)).toEqual(foreign);
  });

  test.each([
    ['', true],
    [KUSTOMIZATION_HEADER.slice(0, 10), true],
    [KUSTOMIZATION_HEADER, true],
    [`${KUSTOMIZATION_HEADER}resources:\n`, true],
    ['resources: []\n', false],
    ['# Generated by someone else\n', false],
  ])('a temporary kustomization left holding %j is synth’s: %s', (head, ours) => {
    expect(isSynthKustomizationLeftover(head)).toBe(ours);
  });

  test('leftovers of a killed run are recognised by name, for this output folder only', () => {
    expect(leftoverKind('dist', '.dist.synth-staging-123')).toBe('folder');
    expect(leftoverKind('dist', '.dist.synth-retired-9')).toBe('folder');
    expect(leftoverKind('dist', 'kustomization.yaml.synth-tmp-77')).toBe('file');
    expect(leftoverKind('dist', '.out.synth-staging-1')).toBeUndefined();
    expect(leftoverKind('dist', '.dist.synth-staging-x')).toBeUndefined();
  });

  test('an empty CDK8S_OUTDIR means unset', () => {
    expect(outputFolderOf({ CDK8S_OUTDIR: '' })).toBe('dist');
    expect(outputFolderOf({})).toBe('dist');
    expect(outputFolderOf({ CDK8S_OUTDIR: 'out' })).toBe('out');
  });
});

function writeOne(text: string) {
  return (dir: string) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '0000-registry.k8s.yaml'), text);
  };
}

describe('dist/ and kustomization.yaml are written as one step', () => {
  test('writes both, the marker listing the files, and keeps nothing beside them', () => {
    const parent = tempDir();
    writeOutput(join(parent, 'dist'), writeOne('a: 1\n'), 4242);
    expect(readdirSync(parent).sort()).toEqual(['dist', 'kustomization.yaml']);
    expect(readdirSync(join(parent, 'dist')).sort()).toEqual([OUTPUT_MARKER, '0000-registry.k8s.yaml']);
    expect(readFileSync(join(parent, 'dist', OUTPUT_MARKER), 'utf8')).toContain('\n0000-registry.k8s.yaml\n');
    expect(readFileSync(join(parent, 'kustomization.yaml'), 'utf8')).toContain(
      '- dist/0000-registry.k8s.yaml',
    );
  });

  test('a failure while replacing kustomization.yaml puts the previous dist/ back and says so', () => {
    // GIVEN: a good output, and a kustomization.yaml that turns into a folder while synth writes
    const parent = tempDir();
    writeOutput(join(parent, 'dist'), writeOne('old: 1\n'), 1);
    const before = treeDigest(join(parent, 'dist'));
    const write = (dir: string) => {
      writeOne('new: 1\n')(dir);
      rmSync(join(parent, 'kustomization.yaml'));
      mkdirSync(join(parent, 'kustomization.yaml'));
      writeFileSync(join(parent, 'kustomization.yaml', 'x'), '');
    };
    // WHEN
    let error: unknown;
    try {
      writeOutput(join(parent, 'dist'), write, 2);
    } catch (caught) {
      error = caught;
    }
    // THEN
    expect(error).toBeInstanceOf(OutputWriteFailed);
    expect((error as Error).message).toMatch(/^replacing kustomization\.yaml: /);
    expect((error as OutputWriteFailed).outputState).toMatch(
      /^Nothing was changed: ".*dist" and kustomization\.yaml are as they were/,
    );
    expect(treeDigest(join(parent, 'dist'))).toEqual(before);
    expect(readdirSync(parent).sort()).toEqual(['dist', 'kustomization.yaml']);
  });

  test('a failing synth leaves no staging folder or temporary kustomization behind', () => {
    const parent = tempDir();
    expect(() =>
      writeOutput(
        join(parent, 'dist'),
        () => {
          throw new Error('boom');
        },
        3,
      ),
    ).toThrow('boom');
    expect(readdirSync(parent)).toEqual([]);
  });

  test('leftovers of a killed run are removed when they hold only synth’s files, and kept otherwise', () => {
    // GIVEN
    const parent = tempDir();
    writeOutput(join(parent, 'dist'), writeOne('a: 1\n'), 1);
    mkdirSync(join(parent, `.dist.synth-staging-${deadPid(11)}`));
    writeFileSync(join(parent, `.dist.synth-staging-${deadPid(11)}`, '0000-registry.k8s.yaml'), 'half');
    mkdirSync(join(parent, `.dist.synth-retired-${deadPid(12)}`));
    writeFileSync(join(parent, `.dist.synth-retired-${deadPid(12)}`, 'my-notes.txt'), 'mine');
    writeFileSync(join(parent, `kustomization.yaml.synth-tmp-${deadPid(13)}`), KUSTOMIZATION_HEADER);
    writeFileSync(join(parent, `kustomization.yaml.synth-tmp-${deadPid(14)}`), 'mine');
    // WHEN
    writeOutput(join(parent, 'dist'), writeOne('b: 1\n'), 2);
    // THEN
    expect(readdirSync(parent).sort()).toEqual([
      `.dist.synth-retired-${deadPid(12)}`,
      'dist',
      'kustomization.yaml',
      `kustomization.yaml.synth-tmp-${deadPid(14)}`,
    ]);
    expect(readFileSync(join(parent, 'dist', '0000-registry.k8s.yaml'), 'utf8')).toBe('b: 1\n');
  });

  test('the live work of a concurrent synth (its pid still runs) is left alone; its own pid is not a reason to keep', () => {
    // GIVEN a staging folder and a temporary kustomization of a synth that still runs, and one named
    // with this run's own pid (a killed run whose pid came round again)
    const parent = tempDir();
    writeOutput(join(parent, 'dist'), writeOne('a: 1\n'), 1);
    const other = process.ppid; // jest's parent process: alive, and not this run
    mkdirSync(join(parent, `.dist.synth-staging-${other}`));
    writeFileSync(join(parent, `.dist.synth-staging-${other}`, '0000-registry.k8s.yaml'), 'a: 2\n');
    writeFileSync(join(parent, `kustomization.yaml.synth-tmp-${other}`), KUSTOMIZATION_HEADER);
    mkdirSync(join(parent, `.dist.synth-staging-${deadPid(7)}`));
    // WHEN this run (pid deadPid(7)) writes
    writeOutput(join(parent, 'dist'), writeOne('b: 1\n'), deadPid(7));
    // THEN the live run's work is kept, whole; the leftover named with this run's pid was replaced and removed
    expect(readdirSync(parent).sort()).toEqual([
      `.dist.synth-staging-${other}`,
      'dist',
      'kustomization.yaml',
      `kustomization.yaml.synth-tmp-${other}`,
    ]);
    expect(readFileSync(join(parent, `.dist.synth-staging-${other}`, '0000-registry.k8s.yaml'), 'utf8')).toBe(
      'a: 2\n',
    );
    expect(readFileSync(join(parent, 'dist', '0000-registry.k8s.yaml'), 'utf8')).toBe('b: 1\n');
  });

  test('leftovers of a run killed while writing the marker or the temporary kustomization are removed', () => {
    // GIVEN a staging folder with an empty marker, and an empty temporary kustomization
    const parent = tempDir();
    writeOutput(join(parent, 'dist'), writeOne('a: 1\n'), 1);
    mkdirSync(join(parent, `.dist.synth-staging-${deadPid(21)}`));
    writeFileSync(join(parent, `.dist.synth-staging-${deadPid(21)}`, '0000-registry.k8s.yaml'), 'a: 2\n');
    writeFileSync(join(parent, `.dist.synth-staging-${deadPid(21)}`, OUTPUT_MARKER), '');
    writeFileSync(join(parent, `kustomization.yaml.synth-tmp-${deadPid(22)}`), '');
    // WHEN
    writeOutput(join(parent, 'dist'), writeOne('b: 1\n'), 2);
    // THEN
    expect(readdirSync(parent).sort()).toEqual(['dist', 'kustomization.yaml']);
  });

  test.each(['sub', 'a/b'])(
    'refuses a folder inside synth’s own output (dist/%s): the next synth would refuse dist/',
    (inner) => {
      // GIVEN a synth output
      const parent = tempDir();
      writeOutput(join(parent, 'dist'), writeOne('a: 1\n'), 1);
      const before = treeDigest(parent);
      // WHEN the output folder is named inside it
      // THEN refused, naming the output folder it lies in, and nothing touched
      expect(() => writeOutput(join(parent, 'dist', inner), writeOne('b: 1\n'), 2)).toThrow(
        /lies inside synth's output folder ".*dist"/,
      );
      expect(treeDigest(parent)).toEqual(before);
    },
  );

  test('a killed run between the renames (no folder, the old one retired) converges on the next run', () => {
    const parent = tempDir();
    writeOutput(join(parent, 'dist'), writeOne('a: 1\n'), 1);
    // the state after step 4 of a run killed before step 5
    renameSync(join(parent, 'dist'), join(parent, `.dist.synth-retired-${deadPid(5)}`));
    mkdirSync(join(parent, `.dist.synth-staging-${deadPid(5)}`));
    writeOutput(join(parent, 'dist'), writeOne('b: 1\n'), 6);
    expect(readdirSync(parent).sort()).toEqual(['dist', 'kustomization.yaml']);
    expect(existsSync(join(parent, 'dist', OUTPUT_MARKER))).toBe(true);
  });
});

describe('the output as tools read it', () => {
  test('an empty CDK8S_OUTDIR writes ./dist, and touches nothing else of the working directory', async () => {
    const repo = tempDir();
    writeFileSync(join(repo, 'README.md'), 'mine\n');
    const before = treeDigest(repo);
    const result = await runBundleAsync('main.js', { CDK8S_OUTDIR: '' }, [], repo);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const after = treeDigest(repo);
    expect(
      Object.keys(after)
        .filter((k) => !(k in before))
        .sort(),
    ).toEqual([
      'dist',
      'dist/.synth-output',
      'dist/0000-registry.k8s.yaml',
      'dist/0001-node-setup.k8s.yaml',
      'dist/0002-app-easy-kanban.k8s.yaml',
      'kustomization.yaml',
    ]);
    expect(after['README.md']).toBe(before['README.md']);
  });

  test('kubectl apply -f dist/ and kubectl kustomize skip the marker', async () => {
    const repo = tempDir();
    expect((await runBundleAsync('main.js', { CDK8S_OUTDIR: join(repo, 'dist') })).status).toBe(0);
    const env = { PATH: process.env.PATH ?? '', HOME: repo, KUBECONFIG: join(repo, 'none') };
    const apply = spawnSync(
      'kubectl',
      ['apply', '--dry-run=client', '--validate=false', '-f', join(repo, 'dist')],
      {
        env,
        encoding: 'utf8',
      },
    );
    expect(apply.stderr).not.toContain(OUTPUT_MARKER);
    expect(apply.stdout + apply.stderr).not.toContain(OUTPUT_MARKER);
    const kustomize = spawnSync('kubectl', ['kustomize', repo], { env, encoding: 'utf8' });
    expect(kustomize.status).toBe(0);
    expect(kustomize.stdout).toContain('kind: DaemonSet');
    expect(kustomize.stdout).not.toContain('Written by synth');
  });
});

describe('output folders with a folder per cluster (issue 11)', () => {
  const folder = (name: string) => ({ name, isFile: false, isFolder: true });
  const CLUSTER_FILES = [
    'east/kustomization.yaml',
    'east/manifests/0000-registry.k8s.yaml',
    'west/kustomization.yaml',
  ];
  const MARKER = renderOutputMarker(CLUSTER_FILES);

  test('the marker lists paths; the folders they imply are synth’s', () => {
    expect(markerFolders(MARKER)).toEqual(new Set(['east', 'east/manifests', 'west']));
    expect(markerFolders(undefined)).toEqual(new Set());
  });

  test.each([
    [
      'the listed files and their folders',
      [folder('east'), folder('east/manifests'), folder('west'), ...files(...CLUSTER_FILES)],
      [],
    ],
    [
      'an unlisted file in a cluster folder',
      [folder('east'), ...files('east/notes.txt')],
      ['east/notes.txt'],
    ],
    ['an unlisted folder', [folder('north')], ['north']],
    ['an unlisted folder inside a cluster folder', [folder('east'), folder('east/extra')], ['east/extra']],
    ['a link where a listed folder was', [{ name: 'east', isFile: false }], ['east']],
  ])('an output folder with %s: foreign %j', (_, entries, foreign) => {
    expect(foreignEntries([...entries, ...files(OUTPUT_MARKER)], MARKER)).toEqual(foreign);
  });

  // A run killed before it wrote the marker leaves a work folder of cluster output without a list.
  test.each([
    [
      'cluster output',
      [
        folder('east'),
        folder('east/manifests'),
        ...files(
          'east/kustomization.yaml',
          'east/manifests/0001-node-setup.k8s.yaml',
          'argocd-applicationset.yaml',
        ),
      ],
      [],
    ],
    ['a user file in a cluster folder', [folder('east'), ...files('east/notes.txt')], ['east/notes.txt']],
    ['a folder not named as a cluster', [folder('East')], ['East']],
    [
      'a folder below manifests/',
      [folder('east'), folder('east/manifests'), folder('east/manifests/x')],
      ['east/manifests/x'],
    ],
    [
      'a file not named as a chart’s',
      [folder('east'), folder('east/manifests'), ...files('east/manifests/x.yaml')],
      ['east/manifests/x.yaml'],
    ],
    [
      'a kustomization that is a folder',
      [folder('east'), folder('east/kustomization.yaml')],
      ['east/kustomization.yaml'],
    ],
  ])('a leftover work folder without a marker, with %s: foreign %j', (_, entries, foreign) => {
    expect(leftoverForeignEntries(entries, undefined)).toEqual(foreign);
    expect(leftoverForeignEntries(entries, '')).toEqual(foreign);
  });
});
