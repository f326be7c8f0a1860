// Objects as a Kubernetes 1.28 API server returns them (trimmed), for the API-server stub.

const condition = (ready: boolean) => [
  { type: 'Initialized', status: 'True' },
  { type: 'Ready', status: ready ? 'True' : 'False' },
  { type: 'ContainersReady', status: ready ? 'True' : 'False' },
  { type: 'PodScheduled', status: 'True' },
];

export function pod(name: string, nodeName: string, ready: boolean, labels: Record<string, string>): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'kube-system', labels },
    spec: { nodeName, containers: [{ name: 'c', image: 'x' }] },
    status: { phase: 'Running', conditions: condition(ready) },
  };
}

export function podList(items: object[]): object {
  return { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: '1' }, items };
}

export function daemonSet(name: string, desired: number, ready: number): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'kube-system' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [] } },
    },
    status: {
      currentNumberScheduled: desired,
      desiredNumberScheduled: desired,
      numberReady: ready,
      numberMisscheduled: 0,
    },
  };
}

export function deployment(name: string, namespace: string, image: string): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image }] } },
    },
    status: { replicas: 1, readyReplicas: 1 },
  };
}
