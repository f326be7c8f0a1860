import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../cli/project-root';

/** The node agent as `scripts/build.mjs` bundled it from agent/: the bytes that ship and that tests run. */
export function readAgentBundle(root: string = projectRoot()): string {
  const file = join(root, 'build', 'node-agent.js');
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new Error(`${file} is missing; run \`npm run build\` (npm run synth does it)`);
  }
}
