import { defaultOf } from './default-of';
import { boolean, integer, list, object, oneOf, optionalString, string } from './nodes';
import { MAX_UID, MIN_UID } from './registry';
import { resources } from './resources';
import { digest, dnsLabel, pattern, repositoryPath, tag } from './rules';

const app = object({
  name: string({ rule: dnsLabel, required: true }),
  namespace: string({
    rule: dnsLabel,
    from: (app) => app.name as string,
    description: 'Defaults to the name.',
  }),
  image: string({
    rule: repositoryPath,
    from: (app) => app.name as string,
    description: 'Repository path inside the registry, such as easy-kanban; defaults to the name.',
  }),
  tag: string({ default: 'latest', rule: tag }),
  digest: optionalString({ rule: digest }),
  port: integer(1, 65535, 3000),
  replicas: integer(0, 1000, 1),
  resources: resources(
    { cpu: '50m', memory: '64Mi', ephemeralStorage: '64Mi' },
    { cpu: '500m', memory: '256Mi', ephemeralStorage: '256Mi' },
  ),
  probe: object({
    type: oneOf(['tcp', 'http'], 'tcp'),
    path: string({
      default: '/',
      rule: pattern(/^\/[\x21-\x7e]*$/, 'is not an HTTP path starting with /'),
    }),
  }),
  runAsUser: integer(MIN_UID, MAX_UID, 10001),
  readOnlyRootFilesystem: boolean(true),
  manifest: optionalString({
    rule: pattern(/\.ya?ml$/, 'is not the path of a .yaml or .yml file'),
    description:
      "An existing manifest used instead of the generated Deployment, each IMAGE_NAME_PLACEHOLDER replaced by the app's image; relative to the config file's folder.",
  }),
  podSecurity: oneOf(
    ['restricted', 'baseline', 'privileged'],
    'restricted',
    "Pod Security level enforced on the app's namespace; its pods must meet it.",
  ),
  allowKinds: list(
    string({
      rule: pattern(/^[A-Z][A-Za-z0-9]{0,62}$/, 'is not a Kubernetes kind such as ClusterRoleBinding'),
    }),
    {
      description:
        'Kinds the manifest may hold beyond the namespaced application kinds, such as ClusterRoleBinding.',
    },
  ),
});

const DEFAULT_APP = 'easy-kanban';

/** The `apps` list: at least one, each app once, one Pod Security level per namespace. */
export const apps = list(app, {
  default: [{ ...defaultOf(app), name: DEFAULT_APP, namespace: DEFAULT_APP, image: DEFAULT_APP }],
  nonEmpty: `is empty; list at least one app, e.g. - name: ${DEFAULT_APP}`,
  after(reader, items, path) {
    const seen = new Set<string>();
    const levels = new Map<string, string>();
    items.forEach((item, index) => {
      const key = `${item.namespace}/${item.name}`;
      if (item.name && seen.has(key)) reader.fail(`${path}[${index}].name`, `'${key}' is listed twice`);
      seen.add(key);
      const level = levels.get(item.namespace) ?? item.podSecurity;
      if (level !== item.podSecurity) {
        reader.fail(
          `${path}[${index}].podSecurity`,
          `'${item.podSecurity}' differs from '${level}' of another app in namespace ${item.namespace}; a namespace has one level`,
        );
      }
      levels.set(item.namespace, level);
    });
  },
});
