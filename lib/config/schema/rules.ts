import {
  DIGEST,
  FULL_REFERENCE,
  isImageReference,
  isPinnedReference,
  isRepositoryPath,
  isTag,
  MAX_NAME_LENGTH,
  MAX_REFERENCE_LENGTH,
  REPOSITORY_PATH,
  TAG,
} from '../../k8s/image-reference';
import {
  DNS1123_LABEL_PATTERN,
  DNS1123_SUBDOMAIN_PATTERN,
  isDns1123Label,
  isDns1123Subdomain,
  MAX_LABEL_LENGTH,
  MAX_SUBDOMAIN_LENGTH,
} from '../../k8s/names';
import type { Check } from '../field-reader';
import type { JsonSchema, Rule } from './nodes';

/*
 * The checks of the config's string fields, each defined once (issue 11): the validator reads them
 * from the schema, and the JSON Schema states the same check where it is a regex or a length.
 */

/** A rule whose check is one regex: the JSON Schema states it exactly. */
export const pattern = (regex: RegExp, problem: string, json: JsonSchema = {}): Rule => ({
  check: (v) => (regex.test(v) ? undefined : problem),
  json: { type: 'string', pattern: regex.source, ...json },
});

/** The same check under another message: what the field expects, said in its own words. */
export const expecting = (rule: Rule, problem: string): Rule => ({
  check: (v) => (rule.check(v) ? problem : undefined),
  json: rule.json,
});

/** A rule whose check JSON Schema states only in part (`json`); the rest is synth's alone. */
export const checked = (check: Check<string>, json: JsonSchema = { type: 'string' }): Rule => ({
  check,
  json,
});

export const dnsLabel = checked(
  (v) =>
    isDns1123Label(v) ? undefined : 'is not a DNS-1123 label (lower-case letters, digits and -, at most 63)',
  { type: 'string', pattern: DNS1123_LABEL_PATTERN, maxLength: MAX_LABEL_LENGTH },
);

export const dnsSubdomain = checked(
  (v) =>
    isDns1123Subdomain(v) ? undefined : 'is not a DNS-1123 subdomain (dot-separated lower-case labels)',
  { type: 'string', pattern: DNS1123_SUBDOMAIN_PATTERN, maxLength: MAX_SUBDOMAIN_LENGTH },
);

/** Printable ASCII without spaces: a value that goes into YAML and onto command lines as it is. */
export const printable = pattern(/^[\x21-\x7e]+$/, 'is empty or has spaces or control characters');

export const digest = checked(
  (v) => (DIGEST.test(v) ? undefined : 'is not a digest of the form sha256:<64 hex digits>'),
  { type: 'string', pattern: DIGEST.source },
);

/** An image reference that names an exact tag (not latest) or a digest. */
export const pinnedImage = checked(
  (v) => {
    if (!isImageReference(v)) return 'is not an image reference such as registry:2.8.3';
    return isPinnedReference(v) ? undefined : 'must name an exact tag (not latest) or a digest';
  },
  {
    type: 'string',
    maxLength: MAX_REFERENCE_LENGTH,
    pattern: FULL_REFERENCE.source,
    // isPinnedReference: a digest, or a tag other than latest on the last path component
    allOf: [{ pattern: '(?::[\\w][\\w.-]*|@sha256:[a-f0-9]{64})$' }, { not: { pattern: '^[^@]*:latest$' } }],
  },
);

export const repositoryPath = checked(
  (v) =>
    isRepositoryPath(v) ? undefined : 'is not a repository path such as easy-kanban or team/easy-kanban',
  { type: 'string', pattern: REPOSITORY_PATH.source, maxLength: MAX_NAME_LENGTH },
);

export const tag = checked(
  (v) =>
    isTag(v)
      ? undefined
      : 'is not an image tag (letters, digits, _ . -, at most 128, not starting with . or -)',
  { type: 'string', pattern: TAG.source },
);

export const absolutePath = pattern(
  /^\/[\w.\-/]*$/,
  'is not an absolute path (letters, digits, _ . - and /)',
);

export const cpu = pattern(/^\d+(\.\d+)?m?$/, 'is not a CPU quantity such as 100m or 1');

export const bytes = pattern(
  /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/,
  'is not a size such as 128Mi or 10Gi',
);

export const httpUrl = pattern(/^https?:\/\/[^\s"']+$/, 'is not an http(s) URL');

export const hostPort = pattern(
  /^[a-zA-Z0-9.-]+:\d{1,5}$|^\[[0-9a-fA-F:.]+\]:\d{1,5}$/,
  'is not host:port, such as localhost:5000',
);
