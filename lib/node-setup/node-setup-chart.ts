import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { NodeSetup, type NodeSetupProps } from './node-setup';

/** Node setup: containerd on every node pulls from the registry by ClusterIP and by service name. */
export class NodeSetupChart extends Chart {
  public readonly nodeSetup: NodeSetup;

  constructor(scope: Construct, id: string, props: NodeSetupProps) {
    super(scope, id);
    this.nodeSetup = new NodeSetup(this, 'NodeSetup', props);
  }
}
