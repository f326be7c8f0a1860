import type { RegistryConfig } from '../config/types';

/**
 * The registry processes and where each listens (issue 12). The reader serves pulls on the
 * Service's target port in read-only mode; the writer takes pushes on 127.0.0.1 only, reached by
 * `kubectl port-forward` (RBAC `pods/portforward` is the authentication); the builder takes pushes
 * from the namespaces of `registry.builderPush`, with htpasswd credentials.
 */
export type RegistryRole = 'reader' | 'writer' | 'builder';

/** The name of the Service's port (the API server's Service proxy addresses it by name). */
export const SERVICE_PORT_NAME = 'registry';
/** The port the reader listens on inside its pod; the Service port may differ. */
export const READER_PORT = 5000;
/** The writer's port on 127.0.0.1 inside its pod: the far end of `npm run push`'s port-forward. */
export const WRITER_PORT = 5001;
/** The builder push port, the target of the push Service. */
export const BUILDER_PORT = 5002;

export const LISTEN_ADDRESS: Readonly<Record<RegistryRole, string>> = {
  reader: `:${READER_PORT}`,
  writer: `127.0.0.1:${WRITER_PORT}`,
  builder: `:${BUILDER_PORT}`,
};

/** The data lives on S3: readers and the writer are separate Deployments (the scale-out mode). */
export function isScaleOut(registry: RegistryConfig): boolean {
  return registry.storage.type === 's3';
}

export function builderPushEnabled(registry: RegistryConfig): boolean {
  return registry.builderPush.namespaces.length > 0;
}

/** Names of the objects the registry is made of; every file that names one imports it from here. */
export function registryObjectNames(name: string) {
  return {
    /** Service, reader Deployment (and, with one pod, the writer's too), claim, PodDisruptionBudget. */
    readers: name,
    /** The writer Deployment in the scale-out mode; never selected by a Service. */
    writer: `${name}-writer`,
    config: `${name}-config`,
    /** The builders' push Service and the NetworkPolicy that limits it to the listed namespaces. */
    push: `${name}-push`,
  };
}

/** Where `npm run push` forwards to: the workload that runs the writer, and the writer's port. */
export function pushTarget(registry: RegistryConfig): { namespace: string; workload: string; port: number } {
  const names = registryObjectNames(registry.name);
  return {
    namespace: registry.namespace,
    workload: `deployment/${isScaleOut(registry) ? names.writer : names.readers}`,
    port: WRITER_PORT,
  };
}
