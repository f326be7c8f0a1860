import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from '@iarna/toml';
import { backupOf, candidateIn, stateOf, tempOf } from '../../agent/agent-file-names';
import { importConflicts } from '../../agent/own-file-imports';
import { describeWithTools } from '../support/real-tools';
import { tempDir } from '../support/synth';
import { containerdBinaries, type Series } from './node-matrix';

/* eslint-disable @typescript-eslint/no-explicit-any -- dumped TOML is loosely typed */

/**
 * Why the agent refuses `imports` over its own files, shown on each containerd series: its files,
 * named as the agent names them, beside a config, and what `containerd config dump` (the loader
 * containerd starts with) makes of them. The decision must agree with each outcome.
 */
const SERIES: readonly Series[] = ['1.6', '1.7', '2.1'];
const DEBUG = 'version = 2\n[debug]\n  level = "debug"\n';

interface Case {
  readonly name: string;
  /** The config's imports, relative to the node's folder. */
  readonly imports: string;
  /** Files beside it: path relative to the folder → content. */
  readonly files: (dir: string) => Record<string, string>;
  /** What containerd does: loads the agent's file as config, refuses to start, or leaves them alone. */
  readonly containerd: 'loads it' | 'does not start' | 'ignores them';
  /** The files the agent edits in this layout. */
  readonly edited: (dir: string) => string[];
}

const CASES: readonly Case[] = [
  {
    name: 'a *.bak glob loads the agent’s backup back in',
    imports: '*.bak',
    files: (dir) => ({ [backupOf(join(dir, 'config.toml'))]: DEBUG }),
    containerd: 'loads it',
    edited: (dir) => [join(dir, 'config.toml')],
  },
  {
    name: 'a * glob matches the dot-named state file, and containerd does not start',
    imports: '*',
    files: (dir) => ({ [stateOf(join(dir, 'config.toml'))]: '{"configExisted": true}' }),
    containerd: 'does not start',
    edited: (dir) => [join(dir, 'config.toml')],
  },
  {
    name: 'a conf.d/* glob loads a candidate left beside the edited drop-in',
    imports: 'conf.d/*',
    files: (dir) => ({
      [join(dir, 'conf.d', '10.toml')]: 'version = 2\n',
      [candidateIn(join(dir, 'conf.d'), 7)]: DEBUG,
    }),
    containerd: 'loads it',
    edited: (dir) => [join(dir, 'config.toml'), join(dir, 'conf.d', '10.toml')],
  },
  {
    name: 'conf.d/*.toml leaves every file of the agent’s beside the edited drop-in alone',
    imports: 'conf.d/*.toml',
    files: (dir) => {
      const dropIn = join(dir, 'conf.d', '10.toml');
      return {
        [dropIn]: 'version = 2\n',
        [backupOf(dropIn)]: DEBUG,
        [tempOf(dropIn, 7)]: DEBUG,
        [tempOf(backupOf(dropIn), 7)]: DEBUG,
        [candidateIn(dirname(dropIn), 7)]: DEBUG,
        [tempOf(candidateIn(dirname(dropIn), 7), 7)]: DEBUG,
      };
    },
    containerd: 'ignores them',
    edited: (dir) => [join(dir, 'config.toml'), join(dir, 'conf.d', '10.toml')],
  },
];

function dump(series: Series, config: string): { status: number | null; stderr: string; dumped?: any } {
  const binaries = containerdBinaries(series);
  const containerd = binaries ? join(binaries, 'usr', 'bin', 'containerd') : 'containerd';
  const run = spawnSync(containerd, ['--config', config, 'config', 'dump'], { encoding: 'utf8' });
  return {
    status: run.status,
    stderr: run.stderr,
    dumped: run.status === 0 ? parse(run.stdout) : undefined,
  };
}

describeWithTools(['containerd'])(
  'containerd loads what an imports glob matches, the agent’s files included',
  () => {
    const rows = SERIES.flatMap((series) => CASES.map((c) => [series, c.name, c] as const));
    test.each(rows)('containerd %s: %s', (series, _name, c) => {
      // GIVEN a config importing the pattern, and the agent's files as it names them
      const dir = tempDir(`imports-${series}-`);
      const config = join(dir, 'config.toml');
      writeFileSync(config, `version = 2\nimports = [${JSON.stringify(join(dir, c.imports))}]\n`);
      for (const [path, content] of Object.entries(c.files(dir))) {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, content);
      }
      // WHEN containerd loads it
      const result = dump(series, config);
      // THEN
      if (c.containerd === 'does not start') {
        expect(result.status).not.toBe(0);
        expect(result.stderr).toContain(stateOf(config));
      } else {
        expect(result.status).toBe(0);
        expect(result.dumped.debug?.level ?? '').toBe(c.containerd === 'loads it' ? 'debug' : '');
      }
      // and the agent refuses exactly where containerd would load (or choke on) one of its files
      const conflicts = importConflicts([{ from: config, pattern: join(dir, c.imports), matches: [] }], {
        configPath: config,
        configFile: config,
        edited: c.edited(dir),
        hostsDirs: [],
        hostsFiles: [],
      });
      expect(conflicts).toHaveLength(c.containerd === 'ignores them' ? 0 : 1);
    });
  },
);
