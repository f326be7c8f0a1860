import type { NodeSetupConfig } from '../config/types';
import { withDigest } from '../k8s/image-reference';

/**
 * The node-setup images as the DaemonSet names them. With `imageRegistry`, each comes from that
 * registry under its Docker Hub path (`node:20…` → `<imageRegistry>/library/node:20…`), which is
 * where `skopeo copy` or `crane copy` of the Docker Hub image puts it (README, "Air-gapped clusters").
 */
export function nodeSetupImages(nodeSetup: NodeSetupConfig): { agent: string; pause: string } {
  const place = (image: string, digest: string | undefined) =>
    withDigest(
      nodeSetup.imageRegistry ? `${nodeSetup.imageRegistry}/${dockerHubPath(image)}` : image,
      digest,
    );
  return {
    agent: place(nodeSetup.agentImage, nodeSetup.agentImageDigest),
    pause: place(nodeSetup.pauseImage, nodeSetup.pauseImageDigest),
  };
}

/** `busybox:1.36.1` → `library/busybox:1.36.1`; `quay.io/x/y:1` → `x/y:1` (the registry host dropped). */
export function dockerHubPath(image: string): string {
  const [first, ...rest] = image.split('/');
  if (rest.length === 0) return `library/${image}`;
  const isHost = first.includes('.') || first.includes(':') || first === 'localhost';
  return isHost ? rest.join('/') : image;
}

/**
 * `IfNotPresent`: both images are exact version tags (config validation refuses `latest`) or digests,
 * so a node that restarts while Docker Hub (or the mirror) is unreachable still starts the pod.
 */
export const NODE_SETUP_PULL_POLICY = 'IfNotPresent';
