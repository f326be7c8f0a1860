// config/schema.json, generated from the config's one definition (lib/config/schema, issue 11):
// `npm run schema` writes it, and test/config-schema.test.ts fails when the committed file differs.
import { join } from 'node:path';
import { configSchema } from '../lib/config/schema/config';
import { jsonSchemaOf } from '../lib/config/schema/json-schema';

export const CONFIG_SCHEMA_FILE = join('config', 'schema.json');

/** The text of config/schema.json (generated: prettier leaves it alone, see .prettierignore). */
export function configSchemaText(): string {
  const schema = jsonSchemaOf(configSchema, {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://internal-registry.dev/config.schema.json',
    title: 'internal-registry synth config',
    description:
      'config/default.yaml, the cluster configs and any SYNTH_CONFIG file. Generated from lib/config/schema by npm run schema. Every key is optional but apps[].name (and bucket and credentialsSecret with storage type s3). Synth also checks what JSON Schema cannot state (addresses, host folders, rules between sections) and is the authority.',
  });
  return `${JSON.stringify(schema, null, 2)}\n`;
}
