import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { AppConfig } from '../config/types';
import type { KubeNamespace } from '../k8s/types';
import { podSecurityNamespace } from '../k8s/namespace';
import type { RegistryAddress } from '../registry/registry-address';
import { AppWorkload } from './app-workload';
import { IncludedApp } from './included-app';

export interface AppNamespaceChartProps {
  readonly namespace: string;
  /** The apps of this namespace. */
  readonly apps: readonly AppConfig[];
  readonly address: RegistryAddress;
  /**
   * Whether this chart creates the Namespace.
   * @default true
   */
  readonly createNamespace?: boolean;
}

/** One app namespace: the Namespace first, then every app Deployment in it. */
export class AppNamespaceChart extends Chart {
  public readonly namespaceObject?: KubeNamespace;
  public readonly workloads: ReadonlyArray<AppWorkload | IncludedApp>;

  constructor(scope: Construct, id: string, props: AppNamespaceChartProps) {
    super(scope, id);
    const createNamespace = props.createNamespace ?? true;
    if (createNamespace) {
      // The config loader checks that the apps of a namespace agree on one level.
      this.namespaceObject = podSecurityNamespace(
        this,
        'Namespace',
        props.namespace,
        props.apps[0].podSecurity,
      );
    }
    this.workloads = props.apps.map((app) => {
      const workload = app.manifest
        ? new IncludedApp(this, app.name, { app, address: props.address })
        : new AppWorkload(this, app.name, { app, address: props.address });
      if (this.namespaceObject) workload.node.addDependency(this.namespaceObject);
      return workload;
    });
  }
}
