import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export type StubAnswer = 'service' | 'not-found' | 'forbidden' | 'slow' | 'headless';

const SERVICE_PATH = '/api/v1/namespaces/kube-system/services/internal-registry';

/** A Service as the API server returns it (trimmed of managedFields). */
export function serviceObject(clusterIP: string): object {
  return {
    kind: 'Service',
    apiVersion: 'v1',
    metadata: {
      name: 'internal-registry',
      namespace: 'kube-system',
      uid: '6c1f5b1e-3f5c-4d55-9a57-2f3f0e6b8c11',
      resourceVersion: '48211',
      creationTimestamp: '2026-11-01T10:00:00Z',
      labels: { app: 'internal-registry' },
    },
    spec: {
      ports: [{ name: 'registry', protocol: 'TCP', port: 5000, targetPort: 5000 }],
      selector: { app: 'internal-registry' },
      clusterIP,
      clusterIPs: [clusterIP],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ipFamilies: clusterIP === 'None' ? ['IPv4'] : [clusterIP.includes(':') ? 'IPv6' : 'IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
    },
    status: { loadBalancer: {} },
  };
}

function status(code: number, reason: string, message: string): object {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    details: { name: 'internal-registry', kind: 'services' },
    code,
  };
}

/**
 * A local stand-in for the Kubernetes API server (no real one can run here): it answers the real
 * path of the registry Service with the real response shapes, and records every request.
 */
export class ApiServerStub {
  /** Every request; `method` only where it is not GET. */
  public readonly requests: Array<{ path: string; authorization?: string; method?: string }> = [];
  /** More API paths (decoded, with query) and what they answer. */
  public readonly routes = new Map<string, object>();
  /** Paths that answer a POST (a Service proxy's registry): status, headers and body. */
  public readonly postRoutes = new Map<
    string,
    { status: number; headers?: Record<string, string>; body: string }
  >();
  private server?: Server;
  private readonly pending = new Set<ServerResponse>();

  constructor(
    public answer: StubAnswer,
    public clusterIP = '192.0.2.77',
  ) {}

  public async start(tls?: { key: string; cert: string }): Promise<string> {
    const handler = (req: IncomingMessage, res: ServerResponse) => this.handle(req, res);
    this.server = tls ? createHttpsServer(tls, handler) : createHttpServer(handler);
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `${tls ? 'https' : 'http'}://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  public async stop(): Promise<void> {
    for (const res of this.pending) res.destroy();
    this.server?.closeAllConnections?.();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.requests.push({
      path: req.url ?? '',
      authorization: req.headers.authorization,
      ...(req.method !== 'GET' ? { method: req.method } : {}),
    });
    const post = this.postRoutes.get(decodeURIComponent(req.url ?? ''));
    if (post && req.method === 'POST') {
      res.writeHead(post.status, post.headers);
      res.end(post.body);
      return;
    }
    const send = (code: number, body: object) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const route = this.routes.get(decodeURIComponent(req.url ?? ''));
    if (route && req.method === 'GET') return send(200, route);
    if ((req.url ?? '').split('?')[0] !== SERVICE_PATH || req.method !== 'GET') {
      send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
      return;
    }
    switch (this.answer) {
      case 'service':
        return send(200, serviceObject(this.clusterIP));
      case 'headless':
        return send(200, serviceObject('None'));
      case 'not-found':
        return send(404, status(404, 'NotFound', 'services "internal-registry" not found'));
      case 'forbidden':
        return send(
          403,
          status(
            403,
            'Forbidden',
            'services "internal-registry" is forbidden: User "system:serviceaccount:argocd:argocd-repo-server" cannot get resource "services" in API group "" in the namespace "kube-system"',
          ),
        );
      case 'slow': {
        // Bounded: answers after 10 s unless the client gives up (or the test stops) first.
        this.pending.add(res);
        const timer = setTimeout(() => send(200, serviceObject(this.clusterIP)), 10000);
        res.on('close', () => {
          clearTimeout(timer);
          this.pending.delete(res);
        });
        return;
      }
    }
  }
}
