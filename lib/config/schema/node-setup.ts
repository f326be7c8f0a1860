import type { Check } from '../field-reader';
import { hostFolderField, normalisedHostFolder } from './host-folders';
import { custom, list, object, oneOf, optionalString, string } from './nodes';
import { checked, digest, pinnedImage } from './rules';

const referenceShape =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::\d{1,5})?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
// containerd (like docker) reads a first component without a dot or colon as a Docker Hub repository.
const namesRegistryHost = /^(?:localhost(?:\/|$)|[^/]*[.:[])/;

const registryPrefix: Check<string> = (v) => {
  const host = v.split('/')[0];
  const port = /:(\d+)$/.exec(host)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    return `is not a registry host with an optional path: port ${port} is not 1–65535`;
  }
  if (!namesRegistryHost.test(v)) {
    return `names no registry host (no dot or port, not localhost), so containerd would pull it from Docker Hub; write the mirror's host, such as registry.example.com:5000/${v}`;
  }
  return referenceShape.test(v)
    ? undefined
    : 'is not a registry host with an optional path, such as registry.example.com:5000/mirror';
};

const percent = /^([1-9]\d?|100)%$/;
const MAX_NODES = 10000;

/** A count of nodes (1–10000) or a percentage of them (`1%`–`100%`), as Kubernetes takes it. */
const maxUnavailable = custom<number | string>({
  default: 1,
  description: 'Nodes set up at once during a rollout: a count, or a percentage such as 10%.',
  json: {
    oneOf: [
      { type: 'integer', minimum: 1, maximum: MAX_NODES },
      { type: 'string', pattern: percent.source },
    ],
  },
  read(reader, path, raw) {
    const fallback = 1;
    if (typeof raw === 'string' && raw.endsWith('%')) {
      if (percent.test(raw)) return raw;
      reader.fail(path, `'${raw}' is not a percentage from 1% to 100%`);
      return fallback;
    }
    return reader.integer(path, raw, fallback, 1, MAX_NODES);
  },
});

/** The `nodeSetup` section: how nodes are set up, with which images, and how they roll out. */
export const nodeSetup = object({
  mode: oneOf(['hostsDir', 'legacy'], 'hostsDir'),
  hostsDir: hostFolderField(
    '/etc/containerd/certs.d',
    "Hosts directory used when the node's containerd names none.",
  ),
  flavor: oneOf(['containerd', 'k3s', 'rke2'], 'containerd'),
  maxUnavailable,
  agentImage: string({
    default: 'node:20.18.1-bookworm-slim',
    rule: pinnedImage,
    description: 'Image that runs the node agent (needs node and nsenter).',
  }),
  agentImageDigest: optionalString({ rule: digest, description: 'Pins agentImage to this digest.' }),
  pauseImage: string({
    default: 'busybox:1.36.1',
    rule: pinnedImage,
    description: 'Image of the long-running container that reports readiness.',
  }),
  pauseImageDigest: optionalString({ rule: digest, description: 'Pins pauseImage to this digest.' }),
  imageRegistry: optionalString({
    rule: checked(registryPrefix, {
      type: 'string',
      pattern: referenceShape.source,
      allOf: [{ pattern: namesRegistryHost.source }],
    }),
    description:
      'Pull both images from this registry (and path) instead of Docker Hub: for air-gapped clusters.',
  }),
  extraHostPaths: list(string({ rule: normalisedHostFolder }), {
    description: 'Further host folders mounted into the agent, e.g. where a symlinked config.toml points.',
  }),
  restartCommand: string({
    default: 'nsenter -t 1 -m -u -i -n -p -- systemctl restart containerd',
    rule: checked(
      (v) => (v.trim() ? undefined : 'is empty; give the command that restarts containerd on a node'),
      {
        type: 'string',
        pattern: '\\S',
      },
    ),
    description: "Command run in the host's namespaces to restart containerd.",
  }),
});
