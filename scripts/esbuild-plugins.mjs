// esbuild plugin: loads cdk8s-plus-28's generated `k8s.js` (CommonJS, ~700 classes) as an ES
// module, so that esbuild keeps only the classes and toJson_ functions synth uses. CommonJS
// cannot be tree-shaken; without this, every run pays to parse and define the whole Kubernetes API.
// The transform is exact for the pinned cdk8s-plus-28 version and fails the build on anything it
// does not recognize, rather than produce a different bundle.
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const GVK = /^(\w+)\.GVK = \{\n\s+apiVersion: ('[^']*'),\n\s+kind: ('[^']*'),\n\};\n/gm;

export function toEsm(source) {
  const gvks = new Map();
  let text = source.replace(GVK, (_m, name, apiVersion, kind) => {
    gvks.set(name, `{ apiVersion: ${apiVersion}, kind: ${kind} }`);
    return '';
  });
  const names = [];
  text = text
    .replace(/^var _a, .*;\n/m, '')
    .replace(/^Object\.defineProperty\(exports, "__esModule", \{ value: true \}\);\n/m, '')
    .replace(/^exports\.\w+ = (exports\.\w+ = )*void 0;\n/m, '')
    .replace(/^const cdk8s_1 = require\("cdk8s"\);$/m, 'import { ApiObject } from "cdk8s";')
    // jsii reflection data, read by nothing at synth
    .replace(/^_\w+ = JSII_RTTI_SYMBOL_1;\n/gm, '')
    .replace(/^\w+\[_\w+\] = \{ fqn: "[^"]+", version: "[^"]+" \};\n/gm, '')
    .replace(/^const JSII_RTTI_SYMBOL_1 = .*\n/m, '')
    .replace(/^exports\.(\w+) = \1;\n/gm, (_m, name) => {
      names.push(name);
      return '';
    })
    .replace(/= exports\.(\w+) \|\| \(exports\.\1 = \{\}\)\);/g, (_m, name) => {
      names.push(name);
      return '|| ({}));';
    })
    .replace(/^class (\w+) extends cdk8s_1\.ApiObject \{$/gm, (_m, name) => {
      const gvk = gvks.get(name);
      if (!gvk) throw new Error(`k8s.js: class ${name} has no GVK`);
      return `class ${name} extends ApiObject {\n    static GVK = ${gvk};`;
    });
  const leftover = /\bexports\b|\brequire\(|cdk8s_1|JSII_RTTI/.exec(text);
  if (leftover) {
    const line = text.slice(0, leftover.index).split('\n').length;
    throw new Error(`k8s.js: unrecognized CommonJS at line ${line}; update scripts/esbuild-k8s-esm.mjs`);
  }
  return `${text}\nexport { ${names.join(', ')} };\n`;
}

export const k8sAsEsm = {
  name: 'k8s-as-esm',
  setup(build) {
    build.onLoad({ filter: /cdk8s-plus-28[\\/]lib[\\/]imports[\\/]k8s\.js$/ }, async (args) => ({
      contents: toEsm(await readFile(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};

/**
 * cdk8s bundles its own copy of `yaml`; where it is the same version as ours, bundle one copy
 * (112 KB less to parse at every synth). A different version fails the build: the copies may
 * format YAML differently, so this must be a conscious choice.
 */
export function oneYaml(root) {
  return {
    name: 'one-yaml',
    setup(build) {
      const ours = join(root, 'node_modules', 'yaml');
      const theirs = join(root, 'node_modules', 'cdk8s', 'node_modules', 'yaml');
      const version = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
      build.onResolve({ filter: /^yaml$/ }, () => {
        if (existsSync(theirs) && version(theirs) !== version(ours)) {
          throw new Error(
            `cdk8s bundles yaml ${version(theirs)}, this project uses ${version(ours)}; align them`,
          );
        }
        return { path: join(ours, 'dist', 'index.js') };
      });
    },
  };
}
