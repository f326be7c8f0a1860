import { normalizeHostPath, refuseHostPath } from '../../node-setup/host-paths';
import type { Check } from '../field-reader';
import { custom, type CustomNode } from './nodes';
import { absolutePath, checked } from './rules';

/** A host folder for a hostPath mount, normalised (issue 9) before it is checked and used. */
export const hostFolderField = (fallback: string, description: string): CustomNode<string, false> =>
  custom({
    default: fallback,
    description,
    json: absolutePath.json,
    read(reader, path, raw) {
      const given = reader.string(path, raw, fallback, absolutePath.check);
      const normalized = normalizeHostPath(given);
      const refusal = refuseHostPath(normalized);
      if (!refusal) return normalized;
      const shown = normalized === given ? '' : ` (normalised: '${normalized}')`;
      reader.fail(path, `'${given}'${shown} ${refusal}; give a folder of its own, such as ${fallback}`);
      return fallback;
    },
  });

const normalisedFolder = /^\/[\w.\-/]*[\w.-]$/;
const dotSegment = '(?:^|/)\\.\\.?(?:/|$)';

/** A host folder the DaemonSet may mount: absolute, normalised, none of the node's system folders (host-paths.ts). */
const extraHostPath: Check<string> = (v) => {
  if (!normalisedFolder.test(v) || v.split('/').some((p) => p === '..' || p === '.') || v.includes('//'))
    return 'is not a normalised absolute path other than /';
  const refusal = refuseHostPath(v);
  return refusal
    ? `${refusal}, which would mount too much of the node into the agent; name the folder that holds the file`
    : undefined;
};

export const normalisedHostFolder = checked(extraHostPath, {
  type: 'string',
  pattern: normalisedFolder.source,
  not: { anyOf: [{ pattern: dotSegment }, { pattern: '//' }] },
});
