import { boolean, object, oneOf, optionalString, string } from './nodes';
import { checked, dnsLabel, hostPort, httpUrl, pinnedImage, printable } from './rules';

// Argo CD resolves `path` inside the repository and refuses one that leaves it.
const repoPath = checked(
  (v) =>
    printable.check(v) ??
    (v.startsWith('/') || v.split('/').includes('..')
      ? 'is not a folder inside the repository; write a relative path without .., such as . or deploy/registry'
      : undefined),
  { ...printable.json, not: { pattern: '^/|(?:^|/)\\.\\.(?:/|$)' } },
);

const argoApplication = object(
  {
    enabled: boolean(false),
    source: oneOf(
      ['directory', 'plugin'],
      'directory',
      'directory: the committed output folder as a plain directory; plugin: render at sync.',
    ),
    name: string({ default: 'internal-registry', rule: dnsLabel }),
    namespace: string({ default: 'argocd', rule: dnsLabel }),
    project: string({ default: 'default', rule: dnsLabel }),
    repoURL: optionalString({ rule: printable }),
    path: string({ default: '.', rule: repoPath, description: "This project's folder in the repository." }),
    targetRevision: string({ default: 'HEAD', rule: printable }),
    destinationServer: string({ default: 'https://kubernetes.default.svc', rule: httpUrl }),
  },
  {
    description: 'An Argo CD Application for this repo.',
    after(reader, argo, path) {
      if (argo.enabled && !argo.repoURL)
        reader.fail(`${path}.repoURL`, `is required when ${path}.enabled is true`);
    },
    json: {
      if: { required: ['enabled'], properties: { enabled: { const: true } } },
      then: { required: ['repoURL'] },
    },
  },
);

/** The `delivery` section: how the output is shipped and checked (Argo CD, KEP-1755, smoke test). */
export const delivery = object({
  syncWaves: boolean(true, 'Argo CD sync waves: registry 0, node setup 1, apps 2.'),
  advertise: object(
    {
      enabled: boolean(true),
      host: string({
        default: 'localhost:5000',
        rule: hostPort,
        description: 'Where a developer pushes from outside the cluster (the port-forward).',
      }),
      help: string({
        default:
          'https://github.com/kubernetes/enhancements/tree/master/keps/sig-cluster-lifecycle/generic/1755-communicating-a-local-registry',
        rule: httpUrl,
      }),
    },
    { description: 'The KEP-1755 local-registry-hosting ConfigMap in kube-public.' },
  ),
  smokeTest: object(
    { enabled: boolean(false), image: string({ default: 'busybox:1.36.1', rule: pinnedImage }) },
    { description: 'A PostSync Job that fetches /v2/ from the registry by its service name.' },
  ),
  argoApplication,
});
