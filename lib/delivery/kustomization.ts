import { stringify } from 'yaml';
import { KUSTOMIZATION_HEADER } from '../output/output-folder';

/**
 * A kustomization listing the given files of the output folder, in apply order; pure. It lives
 * beside the folder, not in it: `kubectl apply -f dist/` reads every file there as a manifest.
 * Synth writes it together with the folder (lib/output/write-manifests.ts).
 */
export function renderKustomization(folder: string, files: readonly string[]): string {
  return (
    KUSTOMIZATION_HEADER +
    stringify({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: [...files].sort().map((file) => `${folder}/${file}`),
    })
  );
}
