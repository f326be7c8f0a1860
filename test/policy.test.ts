import { join } from 'node:path';
import { podSpecPath } from '../lib/k8s/pod-security';
import { KUBE_LINTER_PREFIX } from '../lib/k8s/policy-exceptions';
import { ROOT } from './support/run';
import { allObjects, configOf, readManifestDir, synthCharts, type Manifest } from './support/synth';

/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are read as loosely typed YAML */

// Rules from the public rule lists of kube-linter, kube-score, Polaris and Checkov, checked over
// every object we ship: the committed dist/ and an output with every option on.
const committed = readManifestDir(join(ROOT, 'dist')).flatMap((f) => f.objects);
const everything = allObjects(
  synthCharts(
    configOf({
      registry: { storage: { type: 'hostPath' }, garbageCollectOnStart: true },
      delivery: {
        smokeTest: { enabled: true },
        argoApplication: { enabled: true, repoURL: 'https://git.example.com/r.git' },
      },
      apps: [
        { name: 'easy-kanban' },
        { name: 'pinned', digest: `sha256:${'a'.repeat(64)}`, tag: 'v1', readOnlyRootFilesystem: false },
      ],
    }),
  ),
);

const S3 = {
  bucket: 'registry',
  credentialsSecret: 'registry-s3',
  endpoint: 'http://minio.storage.svc:9000',
};
const scaleOut = allObjects(
  synthCharts(
    configOf({
      registry: {
        replicas: 3,
        storage: { type: 's3', s3: S3 },
        garbageCollectOnStart: true,
        builderPush: { namespaces: ['ci'] },
      },
    }),
  ),
);
const singlePodBuilder = allObjects(
  synthCharts(configOf({ registry: { builderPush: { namespaces: ['ci', 'tekton'] } } })),
);

interface Workload {
  readonly object: Manifest;
  readonly id: string;
  readonly pod: any;
  readonly containers: any[];
}

function workloads(objects: Manifest[]): Workload[] {
  return objects.flatMap((object) => {
    const path = podSpecPath(object.kind);
    if (!path) return [];
    const pod = path.reduce((node: any, key) => node?.[key], object);
    const containers = [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
    return [{ object, id: `${object.kind}/${object.metadata.name}`, pod, containers }];
  });
}

const excepted = (w: Workload, check: string) =>
  Boolean(w.object.metadata.annotations?.[`${KUBE_LINTER_PREFIX}${check}`]);
const longRunning = (w: Workload) => ['Deployment', 'DaemonSet', 'StatefulSet'].includes(w.object.kind);

/** The workloads that break a rule without an exception for it. */
function offenders(objects: Manifest[], check: string, breaks: (w: Workload) => boolean): string[] {
  return workloads(objects)
    .filter((w) => breaks(w) && !excepted(w, check))
    .map((w) => w.id);
}

describe.each([
  ['the committed dist/', committed],
  ['an output with every option on', everything],
  ['a scale-out output with the builder push path', scaleOut],
  ['the single pod with the builder push path', singlePodBuilder],
])('policy over %s', (_name, objects) => {
  test('privileged containers (kube-linter privileged-container, Polaris runAsPrivileged, Checkov CKV_K8S_16)', () => {
    expect(
      offenders(objects, 'privileged-container', (w) =>
        w.containers.some((c) => c.securityContext?.privileged),
      ),
    ).toEqual([]);
  });

  test('hostPID, hostNetwork, hostIPC (kube-linter host-pid/host-network/host-ipc, Polaris hostPIDSet/hostNetworkSet/hostIPCSet, Checkov CKV_K8S_17/18/19)', () => {
    expect(offenders(objects, 'host-pid', (w) => w.pod.hostPID)).toEqual([]);
    expect(offenders(objects, 'host-network', (w) => w.pod.hostNetwork)).toEqual([]);
    expect(offenders(objects, 'host-ipc', (w) => w.pod.hostIPC)).toEqual([]);
  });

  test('sensitive host mounts: never /, /etc or the docker socket, others only with a reason (kube-linter sensitive-host-mounts, Checkov CKV_K8S_27)', () => {
    const paths = workloads(objects).flatMap((w) =>
      (w.pod.volumes ?? []).flatMap((v: any) => (v.hostPath ? [v.hostPath.path] : [])),
    );
    expect(
      paths.filter((p: string) =>
        ['/', '/etc', '/var/run/docker.sock', '/run/containerd/containerd.sock'].includes(p),
      ),
    ).toEqual([]);
    const sensitive = (p: string) => /^\/(etc|proc|sys|dev|boot|lib|usr|var\/run|run)(\/|$)/.test(p);
    expect(
      offenders(objects, 'sensitive-host-mounts', (w) =>
        (w.pod.volumes ?? []).some((v: any) => v.hostPath && sensitive(v.hostPath.path)),
      ),
    ).toEqual([]);
  });

  test('writable host mounts (kube-linter writable-host-mount)', () => {
    const writable = (w: Workload) => {
      const hostVolumes = new Set(
        (w.pod.volumes ?? []).filter((v: any) => v.hostPath).map((v: any) => v.name),
      );
      return w.containers.some((c) =>
        (c.volumeMounts ?? []).some((m: any) => hostVolumes.has(m.name) && !m.readOnly),
      );
    };
    expect(offenders(objects, 'writable-host-mount', writable)).toEqual([]);
  });

  test('privilege escalation (kube-linter privilege-escalation-container, Polaris privilegeEscalationAllowed, Checkov CKV_K8S_20)', () => {
    expect(
      offenders(objects, 'privilege-escalation-container', (w) =>
        w.containers.some((c) => c.securityContext?.allowPrivilegeEscalation !== false),
      ),
    ).toEqual([]);
  });

  test('run as root or a low UID (kube-linter run-as-non-root, kube-score container-security-context-user-group-id, Checkov CKV_K8S_23/40)', () => {
    const uid = (w: Workload, c: any) => c.securityContext?.runAsUser ?? w.pod.securityContext?.runAsUser;
    const nonRoot = (w: Workload, c: any) =>
      (c.securityContext?.runAsNonRoot ?? w.pod.securityContext?.runAsNonRoot) === true;
    expect(
      offenders(objects, 'run-as-non-root', (w) =>
        w.containers.some((c) => !nonRoot(w, c) || !(uid(w, c) >= 10000)),
      ),
    ).toEqual([]);
  });

  test('capabilities: ALL dropped, none added, no NET_RAW or SYS_ADMIN (kube-linter drop-net-raw-capability, Checkov CKV_K8S_28/37/39)', () => {
    const loose = (c: any) =>
      !(c.securityContext?.capabilities?.drop ?? []).includes('ALL') ||
      (c.securityContext?.capabilities?.add ?? []).length > 0;
    expect(
      offenders(objects, 'privileged-container', (w) =>
        w.containers.some((c) => !c.securityContext?.privileged && loose(c)),
      ),
    ).toEqual([]);
  });

  test('seccomp profile RuntimeDefault (Checkov CKV_K8S_31, Polaris)', () => {
    const profile = (w: Workload, c: any) =>
      c.securityContext?.seccompProfile?.type ?? w.pod.securityContext?.seccompProfile?.type;
    expect(
      offenders(objects, 'privileged-container', (w) =>
        w.containers.some((c) => !c.securityContext?.privileged && profile(w, c) !== 'RuntimeDefault'),
      ),
    ).toEqual([]);
  });

  test('read-only root filesystem (kube-linter no-read-only-root-fs, Polaris notReadOnlyRootFilesystem, Checkov CKV_K8S_22)', () => {
    expect(
      offenders(objects, 'no-read-only-root-fs', (w) =>
        w.containers.some((c) => c.securityContext?.readOnlyRootFilesystem !== true),
      ),
    ).toEqual([]);
  });

  test('service-account token automount (Checkov CKV_K8S_38)', () => {
    expect(
      workloads(objects)
        .filter((w) => w.pod.automountServiceAccountToken !== false)
        .map((w) => w.id),
    ).toEqual([]);
  });

  test('image tag pinned: no latest, except the app’s, which says so (kube-linter latest-tag, Polaris tagNotSpecified, Checkov CKV_K8S_14)', () => {
    const floating = (image: string) =>
      !image.includes('@sha256:') &&
      (/:latest$/.test(image) || !/:[\w][\w.-]*$/.test(image.split('/').pop()!));
    expect(offenders(objects, 'latest-tag', (w) => w.containers.some((c) => floating(c.image)))).toEqual([]);
    for (const w of workloads(objects).filter((x) => excepted(x, 'latest-tag'))) {
      expect(w.object.metadata.annotations[`${KUBE_LINTER_PREFIX}latest-tag`]).toContain(
        "the app's tag is the user's choice",
      );
    }
  });

  test('pull policy: Always for a tag, IfNotPresent only for a digest (kube-score container-image-pull-policy, Checkov CKV_K8S_15)', () => {
    const pinnedNodeImages = (w: Workload) =>
      w.object.metadata.annotations?.['kube-score/ignore']
        ?.split(',')
        .includes('container-image-pull-policy');
    for (const w of workloads(objects)) {
      for (const c of w.containers) {
        // the node-setup DaemonSet's exception: IfNotPresent for its exact version tags (issue 10)
        const expected = c.image.includes('@sha256:') || pinnedNodeImages(w) ? 'IfNotPresent' : 'Always';
        expect(c.imagePullPolicy).toBe(expected);
      }
    }
    expect(
      workloads(objects)
        .filter(pinnedNodeImages)
        .map((w) => w.object.kind),
    ).toEqual(['DaemonSet']);
  });

  test('CPU, memory and ephemeral-storage requests and limits (kube-linter unset-cpu/memory-requirements, kube-score container-resources and container-ephemeral-storage-request-and-limit, Polaris, Checkov CKV_K8S_10-13)', () => {
    for (const c of workloads(objects).flatMap((w) => w.containers)) {
      for (const kind of ['requests', 'limits']) {
        expect(Object.keys(c.resources?.[kind] ?? {}).sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']);
      }
    }
  });

  test('liveness and readiness probes on long-running containers (kube-linter no-liveness-probe/no-readiness-probe, Polaris, Checkov CKV_K8S_8/9)', () => {
    const containers = (w: Workload) => w.pod.containers ?? [];
    expect(
      offenders(objects, 'no-liveness-probe', (w) => containers(w).some((c: any) => !c.livenessProbe)),
    ).toEqual([]);
    expect(
      offenders(objects, 'no-readiness-probe', (w) => containers(w).some((c: any) => !c.readinessProbe)),
    ).toEqual([]);
  });

  test('node agents: a priority class, and tolerations only there (Polaris priorityClassNotSet, kube-score)', () => {
    for (const w of workloads(objects)) {
      if (w.object.kind === 'DaemonSet') {
        expect(w.pod.priorityClassName).toBe('system-node-critical');
        expect(w.pod.tolerations).toEqual([{ operator: 'Exists' }]);
      } else {
        expect(w.pod.tolerations).toBeUndefined();
      }
    }
  });

  test('no object in the default namespace (Checkov CKV_K8S_21)', () => {
    expect(
      objects.filter(
        (o) =>
          o.metadata.namespace === 'default' ||
          (o.metadata.namespace === undefined && o.kind !== 'Namespace'),
      ),
    ).toEqual([]);
  });

  test('selectors without version labels, matching the pod labels (kube-score deployment-selector, kube-linter mismatching-selector)', () => {
    for (const w of workloads(objects).filter(longRunning)) {
      const selector = w.object.spec.selector.matchLabels;
      expect(Object.keys(selector).filter((k) => /version/.test(k))).toEqual([]);
      expect(w.object.spec.template.metadata.labels).toMatchObject(selector);
    }
  });

  test('recommended labels present (kube-linter required-label, app.kubernetes.io/*)', () => {
    for (const w of workloads(objects)) {
      expect(Object.keys(w.object.metadata.labels ?? {})).toEqual(
        expect.arrayContaining([
          'app.kubernetes.io/name',
          'app.kubernetes.io/component',
          'app.kubernetes.io/part-of',
          'app.kubernetes.io/managed-by',
        ]),
      );
    }
  });

  test('every exception has a reason a reviewer can read', () => {
    for (const o of objects) {
      for (const [key, value] of Object.entries((o.metadata.annotations ?? {}) as Record<string, string>)) {
        if (key.startsWith(KUBE_LINTER_PREFIX)) expect(value.length).toBeGreaterThan(30);
        if (key.startsWith('polaris.fairwinds.com/'))
          expect(Object.keys(o.metadata.annotations).some((k) => k.startsWith(KUBE_LINTER_PREFIX))).toBe(
            true,
          );
      }
    }
  });
});

describe('the exceptions in the output, listed for review', () => {
  // The built-in defaults, not the committed dist/: config/default.yaml is the user's (issue 11).
  const builtIn = allObjects(synthCharts(configOf()));
  const list = (objects: Manifest[]) =>
    objects
      .flatMap((o) =>
        Object.keys(o.metadata.annotations ?? {})
          .filter(
            (k) =>
              k.startsWith(KUBE_LINTER_PREFIX) ||
              k.startsWith('polaris.fairwinds.com/') ||
              k === 'kube-score/ignore' ||
              k.startsWith('checkov.io/'),
          )
          .map((k) => `${o.kind}/${o.metadata.name}: ${k}`),
      )
      .sort();

  test('built-in defaults: the privilege exceptions belong to the node-setup DaemonSet alone; the app’s latest tag is the user’s', () => {
    expect(list(builtIn)).toEqual(
      [
        'DaemonSet/internal-registry-node-setup: ignore-check.kube-linter.io/privileged-container',
        'DaemonSet/internal-registry-node-setup: polaris.fairwinds.com/runAsPrivileged-exempt',
        'DaemonSet/internal-registry-node-setup: ignore-check.kube-linter.io/privilege-escalation-container',
        'DaemonSet/internal-registry-node-setup: polaris.fairwinds.com/privilegeEscalationAllowed-exempt',
        'DaemonSet/internal-registry-node-setup: ignore-check.kube-linter.io/host-pid',
        'DaemonSet/internal-registry-node-setup: polaris.fairwinds.com/hostPIDSet-exempt',
        'DaemonSet/internal-registry-node-setup: ignore-check.kube-linter.io/run-as-non-root',
        'DaemonSet/internal-registry-node-setup: polaris.fairwinds.com/runAsRootAllowed-exempt',
        'DaemonSet/internal-registry-node-setup: ignore-check.kube-linter.io/sensitive-host-mounts',
        'DaemonSet/internal-registry-node-setup: ignore-check.kube-linter.io/writable-host-mount',
        'DaemonSet/internal-registry-node-setup: ignore-check.kube-linter.io/no-liveness-probe',
        'DaemonSet/internal-registry-node-setup: polaris.fairwinds.com/livenessProbeMissing-exempt',
        'DaemonSet/internal-registry-node-setup: kube-score/ignore',
        'DaemonSet/internal-registry-node-setup: checkov.io/skip1',
        'Deployment/easy-kanban: ignore-check.kube-linter.io/latest-tag',
        'Deployment/easy-kanban: polaris.fairwinds.com/tagNotSpecified-exempt',
      ].sort(),
    );
  });

  test('options add exceptions only where the config chose them, each naming the key', () => {
    const extra = list(everything).filter((e) => !list(builtIn).includes(e));
    expect(extra).toEqual(
      [
        'Deployment/internal-registry: ignore-check.kube-linter.io/writable-host-mount',
        'Deployment/pinned: ignore-check.kube-linter.io/no-read-only-root-fs',
        'Deployment/pinned: polaris.fairwinds.com/notReadOnlyRootFilesystem-exempt',
        'Job/internal-registry-smoke-test: ignore-check.kube-linter.io/no-liveness-probe',
        'Job/internal-registry-smoke-test: polaris.fairwinds.com/livenessProbeMissing-exempt',
        'Job/internal-registry-smoke-test: ignore-check.kube-linter.io/no-readiness-probe',
        'Job/internal-registry-smoke-test: polaris.fairwinds.com/readinessProbeMissing-exempt',
      ].sort(),
    );
  });
});

describe('the rules can fail', () => {
  test('a root, privileged, unpinned, probe-less Deployment is caught by each rule, unless excepted', () => {
    // GIVEN
    const bad = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'bad', namespace: 'x', labels: {} },
      spec: {
        selector: { matchLabels: { app: 'bad' } },
        template: {
          metadata: { labels: { app: 'bad' } },
          spec: {
            hostPID: true,
            containers: [{ name: 'c', image: 'nginx', securityContext: { privileged: true } }],
          },
        },
      },
    } as Manifest;
    // THEN
    expect(
      offenders([bad], 'privileged-container', (w) =>
        w.containers.some((c) => c.securityContext?.privileged),
      ),
    ).toEqual(['Deployment/bad']);
    expect(offenders([bad], 'host-pid', (w) => w.pod.hostPID)).toEqual(['Deployment/bad']);
    const excused = {
      ...bad,
      metadata: { ...bad.metadata, annotations: { [`${KUBE_LINTER_PREFIX}host-pid`]: 'a reason' } },
    } as Manifest;
    expect(offenders([excused], 'host-pid', (w) => w.pod.hostPID)).toEqual([]);
  });
});
