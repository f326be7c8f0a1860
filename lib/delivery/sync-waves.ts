import { ApiObject, type Chart } from 'cdk8s';

export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/** Puts every object of a chart in one Argo CD sync wave (waves run in order, each healthy first). */
export function applySyncWave(chart: Chart, wave: number): void {
  for (const child of chart.node.findAll()) {
    if (child instanceof ApiObject) child.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, String(wave));
  }
}
