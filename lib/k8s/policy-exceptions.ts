/**
 * A finding of the policy tools that users run (kube-linter, kube-score, Polaris, Checkov) that an
 * object has for a reason. Expressed only through the tools' own annotations, so that a user's real
 * kube-linter run shows the same justification; the reason is kube-linter's annotation value.
 */
export interface PolicyException {
  /** kube-linter check name (`ignore-check.kube-linter.io/<check>: <reason>`), where kube-linter has one. */
  readonly kubeLinter?: string;
  /** Polaris check (`polaris.fairwinds.com/<check>-exempt: "true"`), where Polaris has one. */
  readonly polaris?: string;
  /** kube-score check (`kube-score/ignore: <check>,…`), where kube-score has one. */
  readonly kubeScore?: string;
  /** Checkov check id (`checkov.io/skipN: <id>=<reason>`), where Checkov has one. */
  readonly checkov?: string;
  readonly reason: string;
}

export const KUBE_LINTER_PREFIX = 'ignore-check.kube-linter.io/';

/** The annotations that record the exceptions; pure. */
export function exceptionAnnotations(exceptions: readonly PolicyException[]): Record<string, string> {
  const annotations: Record<string, string> = {};
  let checkov = 0;
  for (const e of exceptions) {
    if (e.kubeLinter) annotations[`${KUBE_LINTER_PREFIX}${e.kubeLinter}`] = e.reason;
    if (e.checkov) annotations[`checkov.io/skip${++checkov}`] = `${e.checkov}=${e.reason}`;
    if (e.polaris) annotations[`polaris.fairwinds.com/${e.polaris}-exempt`] = 'true';
  }
  const kubeScore = exceptions.flatMap((e) => (e.kubeScore ? [e.kubeScore] : []));
  if (kubeScore.length > 0) annotations['kube-score/ignore'] = kubeScore.join(',');
  return annotations;
}
