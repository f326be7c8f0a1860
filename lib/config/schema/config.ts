import { apps } from './apps';
import { delivery } from './delivery';
import { discovery } from './discovery';
import { nodeSetup } from './node-setup';
import { object } from './nodes';
import { registry } from './registry';

/**
 * The synth config, defined once (issue 11): the TypeScript types (types.ts), the built-in defaults
 * (defaults.ts), the validation (validate.ts) and config/schema.json all derive from it.
 */
export const configSchema = object({ registry, discovery, delivery, nodeSetup, apps });

/** The top-level keys of a config. */
export const CONFIG_SECTIONS = Object.keys(configSchema.fields) as ReadonlyArray<
  keyof typeof configSchema.fields
>;
