import { configSchema } from './schema/config';
import { defaultOf } from './schema/default-of';
import type { SynthConfig } from './types';

/** The built-in config: what synth takes for every key a config leaves out (the seed's system). */
export const BUILT_IN_CONFIG: SynthConfig = defaultOf(configSchema);

export const REGISTRY_DEFAULTS = BUILT_IN_CONFIG.registry;
export const DISCOVERY_DEFAULTS = BUILT_IN_CONFIG.discovery;
export const DELIVERY_DEFAULTS = BUILT_IN_CONFIG.delivery;
export const NODE_SETUP_DEFAULTS = BUILT_IN_CONFIG.nodeSetup;
export const DEFAULT_APPS = BUILT_IN_CONFIG.apps;
