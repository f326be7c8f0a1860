import { rmSync } from 'node:fs';
import { posix } from 'node:path';
import { parse } from '@iarna/toml';
import { candidateIn } from './agent-file-names';
import { writeAtomically } from './atomic-file';
import { withImports } from './config-edit';
import type { JsonMap } from './containerd-config';
import { runCommand } from './containerd-host';
import type { ContainerdRules } from './containerd-rules';
import type { NodeChanges } from './decide';
import { dumpProblems } from './dump-check';
import type { AgentEnv } from './env';
import { Refusal } from './refusal';
import { decodeText } from './text-encoding';

/**
 * Asks the node's own containerd to load the file before and after the change (from candidate
 * files beside the real ones, the same paths both times) and checks the dumped values. A drop-in
 * is loaded through a candidate main config that imports the candidate in the drop-in's place.
 */
export function validateWithContainerd(env: AgentEnv, changes: NodeChanges, rules: ContainerdRules): void {
  const beside = (hostPath: string) => candidateIn(posix.dirname(hostPath), process.pid);
  const written: string[] = [];
  const put = (hostPath: string, text: string) => {
    // Listed first: a failed flush of the folder comes after the rename (issue 13, crash points).
    written.push(env.paths.local(hostPath));
    writeAtomically(env.paths.local(hostPath), text);
  };
  const dump = (text: string): JsonMap => {
    let load = beside(changes.configFile);
    if (changes.dropIn) {
      const candidate = load;
      put(candidate, text);
      const main = decodeText(changes.dropIn.mainText);
      const mainText = 'text' in main ? main.text : changes.dropIn.mainText;
      const imports = changes.dropIn.imports.map((i) => (i === changes.configFile ? candidate : i));
      const edited = withImports(mainText, imports);
      if ('refused' in edited)
        throw new Refusal(`the containerd config was left as it is: ${edited.refused}`);
      load = beside(changes.dropIn.mainPath);
      put(load, edited.text);
    } else {
      put(load, text);
    }
    let output: string;
    try {
      output = runCommand(env.containerdCommand, ['--config', load, 'config', 'dump']);
    } catch (error) {
      throw new Refusal(
        `the containerd config was left as it is: the node's containerd refused to load the candidate (${(error as Error).message})`,
      );
    }
    return parse(output) as JsonMap;
  };
  try {
    const problems = dumpProblems(dump(changes.baseline), dump(changes.configText!), changes.expect, rules);
    if (problems.length > 0) {
      throw new Refusal(
        `the containerd config was left as it is: the node's containerd would not apply the change (${problems.join('; ')})`,
      );
    }
  } finally {
    for (const file of written) rmSync(file, { force: true });
  }
}
