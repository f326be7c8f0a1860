// npm run schema: writes config/schema.json from the config's one definition.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_SCHEMA_FILE, configSchemaText } from './config-schema-file';

writeFileSync(join(__dirname, '..', CONFIG_SCHEMA_FILE), configSchemaText());
process.stdout.write(`wrote ${CONFIG_SCHEMA_FILE}\n`);
