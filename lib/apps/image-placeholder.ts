import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The seed's stand-in for the image in app-deployment.yaml, replaced at synth time. */
export const IMAGE_PLACEHOLDER = 'IMAGE_NAME_PLACEHOLDER';

/** A copy of manifest data with every placeholder in every string replaced by the image; pure. */
export function replacePlaceholder<T>(data: T, image: string): T {
  if (typeof data === 'string') return data.split(IMAGE_PLACEHOLDER).join(image) as T;
  if (Array.isArray(data)) return data.map((item) => replacePlaceholder(item, image)) as T;
  if (data && typeof data === 'object') {
    return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, replacePlaceholder(v, image)])) as T;
  }
  return data;
}

/** Fails when a placeholder survived into the output: an image that no node could pull. */
export function assertNoPlaceholderIn(dir: string): void {
  for (const file of readdirSync(dir)) {
    if (readFileSync(join(dir, file), 'utf8').includes(IMAGE_PLACEHOLDER)) {
      throw new Error(
        `${IMAGE_PLACEHOLDER} is left in ${file}; every placeholder must resolve to an app image`,
      );
    }
  }
}
