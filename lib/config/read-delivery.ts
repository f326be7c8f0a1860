import { isImageReference, isPinnedReference } from '../k8s/image-reference';
import { isDns1123Label } from '../k8s/names';
import { DELIVERY_DEFAULTS } from './defaults';
import type { Check, FieldReader } from './field-reader';
import type { ArgoSource, DeliveryConfig } from './types';

const hostPort: Check<string> = (v) =>
  /^[a-zA-Z0-9.-]+:\d{1,5}$|^\[[0-9a-fA-F:.]+\]:\d{1,5}$/.test(v)
    ? undefined
    : 'is not host:port, such as localhost:5000';
const url: Check<string> = (v) => (/^https?:\/\/[^\s"']+$/.test(v) ? undefined : 'is not an http(s) URL');
const label: Check<string> = (v) => (isDns1123Label(v) ? undefined : 'is not a DNS-1123 label');
const text: Check<string> = (v) =>
  /^[\x21-\x7e]+$/.test(v) ? undefined : 'is empty or has spaces or control characters';
// Argo CD resolves `path` inside the repository and refuses one that leaves it.
const repoPath: Check<string> = (v) =>
  text(v) ??
  (v.startsWith('/') || v.split('/').includes('..')
    ? 'is not a folder inside the repository; write a relative path without .., such as . or deploy/registry'
    : undefined);
const argoSources: ArgoSource[] = ['directory', 'plugin'];

/** The `delivery` section: Argo CD, the KEP-1755 advertisement, the smoke test. */
export function readDelivery(reader: FieldReader, raw: unknown): DeliveryConfig {
  const d = DELIVERY_DEFAULTS;
  const s = reader.section('delivery', raw, ['syncWaves', 'advertise', 'smokeTest', 'argoApplication']);
  const adv = reader.section('delivery.advertise', s.advertise, ['enabled', 'host', 'help']);
  const smoke = reader.section('delivery.smokeTest', s.smokeTest, ['enabled', 'image']);
  const argoKeys = [
    'enabled',
    'source',
    'name',
    'namespace',
    'project',
    'repoURL',
    'path',
    'targetRevision',
    'destinationServer',
  ];
  const argo = reader.section('delivery.argoApplication', s.argoApplication, argoKeys);
  const a = d.argoApplication;
  const argoApplication = {
    enabled: reader.boolean('delivery.argoApplication.enabled', argo.enabled, a.enabled),
    source: reader.oneOf('delivery.argoApplication.source', argo.source, a.source, argoSources),
    name: reader.string('delivery.argoApplication.name', argo.name, a.name, label),
    namespace: reader.string('delivery.argoApplication.namespace', argo.namespace, a.namespace, label),
    project: reader.string('delivery.argoApplication.project', argo.project, a.project, label),
    repoURL: reader.optionalString('delivery.argoApplication.repoURL', argo.repoURL, text),
    path: reader.string('delivery.argoApplication.path', argo.path, a.path, repoPath),
    targetRevision: reader.string(
      'delivery.argoApplication.targetRevision',
      argo.targetRevision,
      a.targetRevision,
      text,
    ),
    destinationServer: reader.string(
      'delivery.argoApplication.destinationServer',
      argo.destinationServer,
      a.destinationServer,
      url,
    ),
  };
  if (argoApplication.enabled && !argoApplication.repoURL) {
    reader.fail(
      'delivery.argoApplication.repoURL',
      'is required when delivery.argoApplication.enabled is true',
    );
  }
  return {
    syncWaves: reader.boolean('delivery.syncWaves', s.syncWaves, d.syncWaves),
    advertise: {
      enabled: reader.boolean('delivery.advertise.enabled', adv.enabled, d.advertise.enabled),
      host: reader.string('delivery.advertise.host', adv.host, d.advertise.host, hostPort),
      help: reader.string('delivery.advertise.help', adv.help, d.advertise.help, url),
    },
    smokeTest: {
      enabled: reader.boolean('delivery.smokeTest.enabled', smoke.enabled, d.smokeTest.enabled),
      image: reader.string('delivery.smokeTest.image', smoke.image, d.smokeTest.image, (v) =>
        isImageReference(v) && isPinnedReference(v)
          ? undefined
          : 'must be an image reference with an exact tag or digest',
      ),
    },
    argoApplication,
  };
}
