import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { inPool, ROOT, runBundleAsync, treeDigest, type RunResult } from './support/run';
import { tempDir } from './support/synth';

// Issue 9: every hostile input is refused with exit 2, a message that names the field or file,
// and nothing under the user's folder created, deleted, replaced or changed (a recursive digest
// covers dist/, kustomization.yaml, .git and the user's own files). Runs the built CLI.

const SECRET = 'TOP-SECRET-CONTENT-42';
const APP = 'apps:\n  - name: easy-kanban\n    manifest: app.yaml\n    podSecurity: baseline\n';
const appIn = (namespace: string, extra = '') =>
  `apps:\n  - name: easy-kanban\n    namespace: ${namespace}\n    manifest: app.yaml\n    podSecurity: baseline\n${extra}`;
const deployment = (meta = '') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: easy-kanban${meta}}
spec:
  selector: {matchLabels: {app: easy-kanban}}
  template:
    metadata: {labels: {app: easy-kanban}}
    spec: {containers: [{name: easy-kanban, image: IMAGE_NAME_PLACEHOLDER}]}
`;
const doc = (text: string) => `${deployment()}---\n${text}`;
/** A FIFO outside every digested folder (reading one for a digest would block the test). */
const FIFO = join(tempDir('hostile-fifo-'), 'fifo.yaml');
const makeFifo = () => {
  if (!existsSync(FIFO)) execFileSync('mkfifo', [FIFO]);
};
const privilegedPod = `template: {spec: {hostPID: true, containers: [{name: x, image: busybox:1.36.1, securityContext: {privileged: true}}]}}`;

interface Case {
  readonly name: string;
  /** config.yaml of the repo; `{}` when unset. */
  readonly config?: string;
  /** app.yaml of the repo. */
  readonly manifest?: string;
  /** Variables; `{repo}` stands for the repo folder. SYNTH_CONFIG and CDK8S_OUTDIR default to the repo's. */
  readonly env?: Record<string, string>;
  readonly setup?: (repo: string) => void;
  readonly cwd?: 'repo';
  readonly message: RegExp;
}

const classes: Record<string, Case[]> = {
  'the output folder is synth’s alone': [
    {
      name: 'the working directory',
      env: { CDK8S_OUTDIR: '.' },
      cwd: 'repo',
      message: /output folder ".*repo" is the working directory/,
    },
    {
      name: 'a parent of the working directory',
      env: { CDK8S_OUTDIR: '..' },
      cwd: 'repo',
      message: /is a parent of the working directory/,
    },
    {
      name: 'the working directory, spelled with a trailing slash',
      env: { CDK8S_OUTDIR: './' },
      cwd: 'repo',
      message: /is the working directory/,
    },
    { name: 'the root folder', env: { CDK8S_OUTDIR: '/' }, message: /output folder "\/" is the root folder/ },
    {
      name: 'the root folder, spelled //',
      env: { CDK8S_OUTDIR: '//' },
      message: /output folder "\/" is the root folder/,
    },
    {
      name: 'the repository root',
      env: { CDK8S_OUTDIR: '{repo}' },
      message: /output folder ".*repo" holds files synth did not write \(".git"/,
    },
    {
      name: 'a folder of the user’s files',
      env: { CDK8S_OUTDIR: '{repo}/notes' },
      message: /".*notes" holds files synth did not write \("todo.txt"\)/,
    },
    {
      name: 'a regular file',
      env: { CDK8S_OUTDIR: '{repo}/README.md' },
      message: /README\.md" is a file, not a folder/,
    },
    {
      name: 'a symlinked output folder',
      setup: (r) => symlinkSync(join(r, 'dist'), join(r, 'out')),
      env: { CDK8S_OUTDIR: '{repo}/out' },
      message: /".*out" is a symbolic link/,
    },
    {
      name: 'a dangling symlink',
      setup: (r) => symlinkSync(join(r, 'nowhere'), join(r, 'out')),
      env: { CDK8S_OUTDIR: '{repo}/out' },
      message: /".*out" is a symbolic link/,
    },
    {
      name: 'dist/ with one file synth did not write',
      setup: (r) => writeFileSync(join(r, 'dist', 'mine.txt'), 'x'),
      message: /".*dist" holds files synth did not write \("mine.txt"\)/,
    },
    {
      name: 'dist/ with a user manifest named like synth’s but not in its list',
      setup: (r) => writeFileSync(join(r, 'dist', '0009-extra.k8s.yaml'), 'x'),
      message: /holds files synth did not write \("0009-extra.k8s.yaml"\)/,
    },
    {
      name: 'dist/ with a user sub-folder',
      setup: (r) => mkdirSync(join(r, 'dist', 'keep')),
      message: /holds files synth did not write \("keep"\)/,
    },
    {
      name: 'dist/ whose marker was replaced by the user’s file',
      setup: (r) => writeFileSync(join(r, 'dist', '.synth-output'), 'mine\n'),
      message: /holds files synth did not write \(".synth-output"\)/,
    },
    {
      name: 'a kustomization.yaml synth did not write',
      setup: (r) => writeFileSync(join(r, 'kustomization.yaml'), 'resources: [mine.yaml]\n'),
      message: /kustomization\.yaml" was not written by synth/,
    },
    {
      name: 'a kustomization.yaml that is a symlink',
      setup: (r) => {
        rmSync(join(r, 'kustomization.yaml'));
        symlinkSync(join(r, 'README.md'), join(r, 'kustomization.yaml'));
      },
      message: /kustomization\.yaml" is a symbolic link/,
    },
    {
      name: 'a kustomization.yaml that is a folder',
      setup: (r) => {
        rmSync(join(r, 'kustomization.yaml'));
        mkdirSync(join(r, 'kustomization.yaml'));
      },
      message: /kustomization\.yaml" is a folder or device/,
    },
    {
      name: 'the project folder of synth itself',
      env: { CDK8S_OUTDIR: ROOT },
      cwd: 'repo',
      message: /is the project folder or one of its parents/,
    },
  ],
  'every object has one owner': [
    {
      name: 'an app named like the node setup in its namespace',
      config: 'apps:\n  - name: internal-registry-node-setup\n    namespace: kube-system\n',
      message:
        /apps\[0\]\.name: 'internal-registry-node-setup' is taken by the node setup in namespace kube-system/,
    },
    {
      name: 'an app named like the registry in its namespace',
      config: 'apps:\n  - name: internal-registry\n    namespace: kube-system\n',
      message: /apps\[0\]\.name: 'internal-registry' is taken by the registry in namespace kube-system/,
    },
    {
      name: 'a manifest Service internal-registry in kube-system',
      config: appIn('kube-system'),
      manifest: doc(
        'apiVersion: v1\nkind: Service\nmetadata: {name: internal-registry}\nspec: {ports: [{port: 80}]}\n',
      ),
      message:
        /Service kube-system\/internal-registry comes from both the registry .* and app\.yaml document 2/,
    },
    {
      name: 'a manifest ConfigMap replacing the node agent',
      config: appIn('kube-system'),
      manifest: doc('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: internal-registry-node-setup}\n'),
      message:
        /ConfigMap kube-system\/internal-registry-node-setup comes from both the node setup .* and app\.yaml document 2/,
    },
    {
      name: 'a manifest DaemonSet replacing the node agent',
      config: appIn('kube-system', '    podSecurity: privileged\n').replace(
        '    podSecurity: baseline\n',
        '',
      ),
      manifest: doc(
        `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: internal-registry-node-setup}\nspec: {${privilegedPod.replace('busybox:1.36.1', 'IMAGE_NAME_PLACEHOLDER')}}\n`,
      ),
      message: /DaemonSet kube-system\/internal-registry-node-setup comes from both the node setup/,
    },
    {
      name: 'a manifest PersistentVolumeClaim of the registry',
      config: appIn('kube-system'),
      manifest: doc('apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: internal-registry}\n'),
      message: /PersistentVolumeClaim kube-system\/internal-registry comes from both/,
    },
    {
      name: 'one object twice in a manifest',
      manifest: doc(
        'apiVersion: v1\nkind: Service\nmetadata: {name: web}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n',
      ),
      config: APP,
      message: /apps\[0\]\.manifest: 'app\.yaml' document 3: Service\/web is document 2 again/,
    },
    {
      name: 'the same object with and without the namespace written out',
      manifest: doc(
        'apiVersion: v1\nkind: Service\nmetadata: {name: web}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: easy-kanban}\n',
      ),
      config: APP,
      message: /document 3: Service\/web is document 2 again/,
    },
    {
      name: 'two apps whose manifests define one Service',
      setup: (r) =>
        writeFileSync(
          join(r, 'b.yaml'),
          deployment().replace(/easy-kanban/g, 'b') +
            '---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n',
        ),
      config:
        APP +
        '    namespace: shared\n  - name: b\n    namespace: shared\n    manifest: b.yaml\n    podSecurity: baseline\n',
      manifest: doc('apiVersion: v1\nkind: Service\nmetadata: {name: web}\n'),
      message: /Service shared\/web comes from both app\.yaml document 2 .* and b\.yaml document 2/,
    },
    {
      name: 'an app’s Deployment and its manifest’s Deployment of the same name',
      setup: (r) => writeFileSync(join(r, 'b.yaml'), deployment()),
      config:
        'apps:\n  - name: easy-kanban\n    podSecurity: baseline\n  - name: other\n    namespace: easy-kanban\n    manifest: b.yaml\n    podSecurity: baseline\n',
      message:
        /apps\/Deployment easy-kanban\/easy-kanban comes from both the app easy-kanban .* and b\.yaml document 1/,
    },
    {
      name: 'the smoke test Job taken by an app',
      config: 'delivery: {smokeTest: {enabled: true}}\n' + appIn('kube-system'),
      manifest: doc(
        'apiVersion: batch/v1\nkind: Job\nmetadata: {name: internal-registry-smoke-test}\nspec: {template: {spec: {containers: [{name: x, image: IMAGE_NAME_PLACEHOLDER}]}}}\n',
      ),
      message: /comes from both/,
    },
  ],
  'included manifests get only what the config grants': [
    {
      name: 'a sidecar with an image of its own (the placeholder only in an annotation)',
      config: APP,
      manifest: doc(
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: evil, annotations: {x: IMAGE_NAME_PLACEHOLDER}}\nspec: {selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: x, image: evil/x:1}]}}}\n',
      ),
      message:
        /document 2: Deployment\/evil spec\.template\.spec\.containers\[0\]\.image is not IMAGE_NAME_PLACEHOLDER/,
    },
    {
      name: 'a List that would carry a Secret into kube-system',
      config:
        'apps:\n  - name: easy-kanban\n    manifest: app.yaml\n    podSecurity: baseline\n    allowKinds: [List]\n',
      manifest: doc(
        'apiVersion: v1\nkind: List\nmetadata: {name: l}\nitems: [{apiVersion: v1, kind: Secret, metadata: {name: s, namespace: kube-system}}]\n',
      ),
      message: /document 2: List\/l is a list; write each of its items as a document of its own/,
    },
    {
      name: 'a Service pinned to the registry’s ClusterIP',
      config: APP,
      manifest: doc(
        'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {clusterIP: 10.110.240.233}\n',
      ),
      message: /document 2: Service\/web pins spec\.clusterIP '10\.110\.240\.233', the registry's address/,
    },
    {
      name: 'a ClusterRoleBinding to cluster-admin',
      config: APP,
      manifest: doc(
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: pwn}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects: [{kind: ServiceAccount, name: default, namespace: easy-kanban}]\n',
      ),
      message:
        /apps\[0\]\.manifest: 'app\.yaml' document 2: ClusterRoleBinding\/pwn .* grant it with apps\[0\]\.allowKinds: \[ClusterRoleBinding\]/,
    },
    {
      name: 'a ClusterRole',
      config: APP,
      manifest: doc(
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: all}\nrules: []\n',
      ),
      message: /document 2: ClusterRole\/all .*allowKinds: \[ClusterRole\]/,
    },
    {
      name: 'a RoleBinding to a ClusterRole',
      config: APP,
      manifest: doc(
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rb}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin}\nsubjects: []\n',
      ),
      message: /document 2: RoleBinding\/rb binds roleRef\.kind 'ClusterRole'.*allowKinds lists ClusterRole/,
    },
    {
      name: 'a mutating webhook',
      config: APP,
      manifest: doc(
        'apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata: {name: hook}\nwebhooks: []\n',
      ),
      message: /document 2: MutatingWebhookConfiguration\/hook .*allowKinds/,
    },
    {
      name: 'a validating webhook',
      config: APP,
      manifest: doc(
        'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata: {name: hook}\nwebhooks: []\n',
      ),
      message: /document 2: ValidatingWebhookConfiguration\/hook/,
    },
    {
      name: 'a CustomResourceDefinition',
      config: APP,
      manifest: doc(
        'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: foos.example.com}\n',
      ),
      message: /document 2: CustomResourceDefinition\/foos\.example\.com/,
    },
    {
      name: 'a Namespace',
      config: APP,
      manifest: doc('apiVersion: v1\nkind: Namespace\nmetadata: {name: kube-system}\n'),
      message: /document 2: Namespace\/kube-system .*allowKinds: \[Namespace\]/,
    },
    {
      name: 'a PersistentVolume',
      config: APP,
      manifest: doc('apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv}\n'),
      message: /document 2: PersistentVolume\/pv/,
    },
    {
      name: 'a PriorityClass',
      config: APP,
      manifest: doc(
        'apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: top}\nvalue: 2000000000\n',
      ),
      message: /document 2: PriorityClass\/top/,
    },
    {
      name: 'an unknown kind',
      config: APP,
      manifest: doc('apiVersion: example.com/v1\nkind: Foo\nmetadata: {name: foo}\n'),
      message: /document 2: Foo\/foo \('example\.com\/v1'\) is not an application kind/,
    },
    {
      name: 'a Deployment of a look-alike API group',
      config: APP,
      manifest: doc('apiVersion: evil.example/v1\nkind: Deployment\nmetadata: {name: fake}\n'),
      message: /document 2: Deployment\/fake \('evil\.example\/v1'\) is not an application kind/,
    },
    {
      name: 'an object in another namespace',
      config: APP,
      manifest: doc('apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: kube-system}\n'),
      message: /document 2: puts Secret\/s in namespace 'kube-system'; apps\[0\]\.namespace is easy-kanban/,
    },
    {
      name: 'a granted unknown kind whose pod template is privileged',
      config: APP + '    allowKinds: [Rollout]\n',
      manifest: doc(
        `apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}\nspec: {${privilegedPod}}\n`,
      ),
      message:
        /document 2: Rollout\/r falls short of Pod Security "baseline".*spec\.template\.spec\.hostPID must be false/,
    },
    {
      name: 'a CronJob with a privileged pod',
      config: APP,
      manifest: doc(
        `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec: {schedule: "* * * * *", jobTemplate: {spec: {${privilegedPod}}}}\n`,
      ),
      message: /document 2: CronJob\/c falls short of Pod Security "baseline".*privileged must be false/,
    },
    {
      name: 'a Pod with hostPID',
      config: APP,
      manifest: doc(
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {hostPID: true, containers: [{name: x, image: busybox:1.36.1}]}\n',
      ),
      message:
        /document 2: Pod\/p falls short of Pod Security "baseline", which its namespace enforces: spec\.hostPID must be false/,
    },
    {
      name: 'a pod template with a hostPath volume',
      config: APP,
      manifest: deployment().replace(
        'spec: {containers',
        'spec: {volumes: [{name: h, hostPath: {path: /}}], containers',
      ),
      message: /falls short of Pod Security "baseline".*volumes\[0\]\.hostPath is not allowed/,
    },
    {
      name: 'a kind that is not a Kubernetes name',
      config: APP,
      manifest: doc('apiVersion: v1\nkind: "Secret\\nx"\nmetadata: {name: s}\n'),
      message: /document 2: kind 'Secret\\nx' or metadata\.name 's' is not a Kubernetes name/,
    },
    {
      name: 'an allowKinds entry that is not a kind',
      config: APP + '    allowKinds: ["*"]\n',
      manifest: deployment(),
      message: /apps\[0\]\.allowKinds\[0\]: '\*' is not a Kubernetes kind/,
    },
  ],
  'the placeholder is a value, not text': [
    {
      name: 'a placeholder only in a comment',
      config: APP,
      manifest:
        '# image: IMAGE_NAME_PLACEHOLDER\n' +
        deployment().replace('IMAGE_NAME_PLACEHOLDER', 'evil.example/miner:1'),
      message:
        /apps\[0\]\.manifest: 'app\.yaml': has no IMAGE_NAME_PLACEHOLDER in any value \(comments do not count\)/,
    },
    {
      name: 'a placeholder only in a key',
      config: APP,
      manifest: deployment()
        .replace('IMAGE_NAME_PLACEHOLDER', 'nginx:1')
        .replace(
          '{labels: {app: easy-kanban}}',
          '{labels: {app: easy-kanban}, annotations: {IMAGE_NAME_PLACEHOLDER: x}}',
        ),
      message:
        /document 1: IMAGE_NAME_PLACEHOLDER is in a key \(spec\.template\.metadata\.annotations\.IMAGE_NAME_PLACEHOLDER\)/,
    },
    {
      name: 'no placeholder at all',
      config: APP,
      manifest: deployment().replace('IMAGE_NAME_PLACEHOLDER', 'nginx:1'),
      message: /has no IMAGE_NAME_PLACEHOLDER in any value/,
    },
    {
      name: 'a placeholder in a trailing comment of the image line',
      config: APP,
      manifest: deployment().replace(
        'image: IMAGE_NAME_PLACEHOLDER}]}',
        'image: nginx}]} # IMAGE_NAME_PLACEHOLDER',
      ),
      message: /has no IMAGE_NAME_PLACEHOLDER in any value/,
    },
    {
      name: 'an empty manifest',
      config: APP,
      manifest: '# nothing\n',
      message: /apps\[0\]\.manifest: 'app\.yaml': holds no Kubernetes object/,
    },
  ],
  'errors never echo files': [
    {
      name: 'SYNTH_CONFIG naming /etc/passwd',
      env: { SYNTH_CONFIG: '/etc/passwd' },
      message: /SYNTH_CONFIG: '\/etc\/passwd' holds a string, not a config mapping/,
    },
    {
      name: 'SYNTH_CONFIG naming a secret that parses as a string',
      setup: (r) => writeFileSync(join(r, 'secret.txt'), `${SECRET}\n`),
      env: { SYNTH_CONFIG: '{repo}/secret.txt' },
      message: /secret\.txt' holds a string, not a config mapping/,
    },
    {
      name: 'SYNTH_CONFIG naming a secret that parses as a list',
      setup: (r) => writeFileSync(join(r, 'secret.txt'), `- ${SECRET}\n`),
      env: { SYNTH_CONFIG: '{repo}/secret.txt' },
      message: /holds a list, not a config mapping/,
    },
    {
      name: 'SYNTH_CONFIG naming a secret that is not YAML',
      setup: (r) => writeFileSync(join(r, 'secret.txt'), `key: [${SECRET}\n`),
      env: { SYNTH_CONFIG: '{repo}/secret.txt' },
      message: /secret\.txt: YAML syntax/,
    },
    {
      name: 'SYNTH_CONFIG naming a file whose keys are the secret (like /etc/shadow)',
      setup: (r) => writeFileSync(join(r, 'secret.txt'), `${SECRET}:x:1:0:::\nuser:${SECRET}:2::\n`),
      env: { SYNTH_CONFIG: '{repo}/secret.txt' },
      message: /secret\.txt' holds a mapping without any synth key \(registry, .*\), not a config/,
    },
    {
      name: 'SYNTH_CONFIG naming /dev/zero (endless)',
      env: { SYNTH_CONFIG: '/dev/zero' },
      message: /SYNTH_CONFIG: '\/dev\/zero' is not a regular file/,
    },
    {
      name: 'SYNTH_CONFIG naming a FIFO (blocks)',
      setup: makeFifo,
      env: { SYNTH_CONFIG: FIFO },
      message: /SYNTH_CONFIG: '.*fifo\.yaml' is not a regular file/,
    },
    {
      name: 'a manifest that is a FIFO',
      config: `apps:\n  - name: easy-kanban\n    manifest: ${FIFO}\n    podSecurity: baseline\n`,
      setup: makeFifo,
      message: /apps\[0\]\.manifest: '.*fifo\.yaml' is not a regular file/,
    },
    {
      name: 'SYNTH_CONFIG naming a folder',
      env: { SYNTH_CONFIG: '{repo}/notes' },
      message: /SYNTH_CONFIG: '.*notes' cannot be read \(EISDIR\)/,
    },
    {
      name: 'a manifest that is a secret, not YAML',
      config: APP,
      manifest: `token: [${SECRET}\n`,
      message: /apps\[0\]\.manifest: 'app\.yaml' is not valid YAML: document 1/,
    },
    {
      name: 'a manifest that is a secret, as a mapping',
      config: APP,
      manifest: `token: ${SECRET}\n`,
      message: /document 1: is not Kubernetes YAML/,
    },
    {
      name: 'a secret value in a field, cut',
      config: `registry:\n  name: "LONG-VALUE${'x'.repeat(5000)}"\n`,
      message: /registry\.name: 'LONG-VALUEx{62}…' is not a DNS-1123 label/,
    },
    {
      name: 'a value with a newline and a terminal escape',
      config: 'registry:\n  namespace: "a\\nb\\e[31m"\n',
      message: /registry\.namespace: 'a\\nb\\u\{1b\}\[31m' is not a DNS-1123 label/,
    },
    {
      name: 'Argo CD plugin: SYNTH_CONFIG outside the repository',
      env: { ARGOCD_APP_NAME: 'x' },
      message: /SYNTH_CONFIG: '.*config\.yaml' resolves outside the repository/,
    },
    {
      name: 'Argo CD plugin: SYNTH_CONFIG as a parameter, outside the repository',
      env: { ARGOCD_APP_SOURCE_PATH: '.', PARAM_SYNTH_CONFIG: '/etc/hostname', SYNTH_CONFIG: '' },
      message: /PARAM_SYNTH_CONFIG: '\/etc\/hostname' resolves outside the repository/,
    },
    {
      name: 'Argo CD plugin: a manifest outside the repository',
      manifest: deployment(),
      env: { ARGOCD_APP_NAME: 'x', SYNTH_CONFIG: '{inRepo}' },
      setup: (r) =>
        writeInRepo(`apps:\n  - name: a\n    manifest: ${join(r, 'app.yaml')}\n    podSecurity: baseline\n`),
      message: /apps\[0\]\.manifest: '.*app\.yaml' resolves outside the repository/,
    },
    {
      name: 'Argo CD plugin: a manifest linked from inside the repository to outside',
      manifest: deployment(),
      env: { ARGOCD_APP_NAME: 'x', SYNTH_CONFIG: '{inRepo}' },
      setup: (r) => {
        const config = writeInRepo(
          'apps:\n  - name: a\n    manifest: link.yaml\n    podSecurity: baseline\n',
        );
        symlinkSync(join(r, 'app.yaml'), join(dirname(config), 'link.yaml'));
      },
      message: /apps\[0\]\.manifest: 'link\.yaml' resolves outside the repository/,
    },
  ],
  'what the API server would refuse is refused at synth': [
    {
      name: 'a 60-character registry.name',
      config: `registry:\n  name: ${'a'.repeat(60)}\n`,
      message: /registry\.name: 'a{60}' is 60 characters: .*registry\.name has at most 52/,
    },
    {
      name: 'a 53-character registry.name',
      config: `registry:\n  name: ${'a'.repeat(53)}\n`,
      message: /registry\.name: .* has at most 52/,
    },
    {
      name: 'an alias whose ConfigMap key is too long',
      config: `registry:\n  aliases: [${Array.from({ length: 4 }, () => 'a'.repeat(60)).join('.')}]\n`,
      message: /registry\.aliases\[0\]: is 243 characters: its ConfigMap key .* over Kubernetes' 253/,
    },
    {
      name: 'a registry namespace shared with a restricted app',
      config: 'registry:\n  namespace: platform\napps:\n  - name: web\n    namespace: platform\n',
      message:
        /apps\[0\]\.podSecurity: 'restricted' differs from 'privileged' of namespace platform, which is registry\.namespace/,
    },
    ...[
      '/',
      '/.',
      '//etc',
      '/etc/',
      '/etc/.',
      '/proc',
      '/proc/1/root',
      '/sys/kernel',
      '/dev',
      '/dev/shm',
      '/run',
      '/run/containerd',
      '/var/lib/kubelet',
      '/var/lib/kubelet/pods',
      '/var/lib',
      '/var',
      '/var/lib/x/../kubelet',
    ].map((dir): Case => ({
      name: `nodeSetup.hostsDir ${dir}`,
      config: `nodeSetup:\n  hostsDir: "${dir}"\n`,
      message: /nodeSetup\.hostsDir: '.*' (\(normalised: '.*'\) )?(is|lies in|contains) the node's \//,
    })),
    ...['/', '/etc', '/sys', '//var/lib/kubelet/'].map((dir): Case => ({
      name: `registry.storage.hostPath ${dir}`,
      config: `registry:\n  storage: {type: hostPath, hostPath: "${dir}"}\n`,
      message:
        /registry\.storage\.hostPath: '.*' (\(normalised: '.*'\) )?(is|lies in|contains) the node's \//,
    })),
    {
      name: 'a host path with a space',
      config: 'nodeSetup:\n  hostsDir: "/etc/containerd/a b"\n',
      message: /nodeSetup\.hostsDir: '\/etc\/containerd\/a b' is not an absolute path/,
    },
    ...[
      ['127.0.0.1', /is a loopback address \(127\.0\.0\.0\/8\)/],
      ['0.0.0.0', /is an unspecified \("this network"\) address \(0\.0\.0\.0\/8\)/],
      ['169.254.169.254', /is a link-local address \(169\.254\.0\.0\/16\)/],
      ['224.0.0.1', /is a multicast address \(224\.0\.0\.0\/4\)/],
      ['255.255.255.255', /is the broadcast address \(255\.255\.255\.255\/32\)/],
      ['::1', /is the loopback address \(::1\/128\)/],
      ['::', /is the unspecified address \(::\/128\)/],
      ['fe80::1', /is a link-local address \(fe80::\/10\)/],
      ['ff02::1', /is a multicast address \(ff00::\/8\)/],
      ['::ffff:10.0.0.1', /is an IPv4-mapped IPv6 address \(::ffff:0:0\/96\)/],
    ].map(([ip, message]): Case => ({
      name: `registry.clusterIP ${String(ip)}`,
      config: `registry:\n  clusterIP: "${String(ip)}"\n`,
      message: new RegExp(
        `registry\\.clusterIP: '${String(ip).replace(/\./g, '\\.')}' ${(message as RegExp).source}`,
      ),
    })),
    {
      name: 'a special ClusterIP from REGISTRY_CLUSTER_IP',
      env: { REGISTRY_CLUSTER_IP: '127.0.0.1' },
      message: /registry\.clusterIP \(from REGISTRY_CLUSTER_IP\): '127\.0\.0\.1' is a loopback address/,
    },
    {
      name: 'a digest given twice',
      config: `registry:\n  image: registry@sha256:${'a'.repeat(64)}\n  imageDigest: sha256:${'b'.repeat(64)}\n`,
      message: /registry\.imageDigest: is set while registry\.image already names a digest/,
    },
  ],
  'every refusal is a config error': [
    {
      name: 'an alias bomb in the config',
      config: `a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n`,
      message: /SYNTH_CONFIG: expands YAML aliases more than 100 times \(an alias bomb\)/,
    },
    {
      name: 'an alias bomb in a manifest',
      config: APP,
      manifest: `a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n`,
      message: /apps\[0\]\.manifest: 'app\.yaml' document 1 expands YAML aliases more than 100 times/,
    },
    {
      name: 'an alias equal to the ClusterIP',
      config: 'registry:\n  aliases: [10.110.240.233]\n',
      message:
        /registry\.aliases\[0\]: '10\.110\.240\.233' is listed already \(or is the service name or the ClusterIP\)/,
    },
    {
      name: 'a duplicate key in the config',
      config: 'registry: {}\nregistry: {}\n',
      message: /config\.yaml: YAML syntax: Map keys must be unique/,
    },
    {
      name: 'a duplicate key in a manifest',
      config: APP,
      manifest: deployment() + 'kind: Service\n',
      message: /apps\[0\]\.manifest: 'app\.yaml' is not valid YAML: document 1: Map keys must be unique/,
    },
    {
      name: 'manifest and field problems in one run',
      config: APP + 'registry:\n  port: 0\n',
      manifest: deployment().replace('IMAGE_NAME_PLACEHOLDER', 'nginx:1'),
      message:
        /the config has 3 problems[\s\S]*registry\.port: 0 is not a whole number[\s\S]*containers\[0\]\.image is not IMAGE_NAME_PLACEHOLDER[\s\S]*has no IMAGE_NAME_PLACEHOLDER/,
    },
    {
      name: 'a manifest path that is a folder',
      config: 'apps:\n  - name: a\n    manifest: notes.yaml\n',
      setup: (r) => mkdirSync(join(r, 'notes.yaml')),
      message: /apps\[0\]\.manifest: 'notes\.yaml' cannot be read \(EISDIR\)/,
    },
  ],
};

/** A config inside this repository (build/ is not committed), for the Argo CD cases. */
const inRepo = new Map<string, string>();
let inRepoRoot: string | undefined;
function writeInRepo(text: string): string {
  inRepoRoot ??= mkdtempSync(join(ROOT, 'build', 'hostile-'));
  const dir = mkdtempSync(join(inRepoRoot, 'case-'));
  writeFileSync(join(dir, 'config.yaml'), text);
  return join(dir, 'config.yaml');
}

const cases = Object.entries(classes).flatMap(([cls, list]) => list.map((c) => ({ cls, ...c })));
let golden: string;
const outcomes = new Map<
  string,
  { result: RunResult; before: Record<string, string>; after: Record<string, string> }
>();

function makeRepo(c: Case): string {
  const repo = join(tempDir('hostile-'), 'repo');
  cpSync(golden, repo, { recursive: true });
  writeFileSync(join(repo, 'config.yaml'), c.config ?? '{}\n');
  if (c.manifest !== undefined) writeFileSync(join(repo, 'app.yaml'), c.manifest);
  const before = new Set(inRepoRoot ? readdirSync(inRepoRoot) : []);
  c.setup?.(repo);
  const created = inRepoRoot ? readdirSync(inRepoRoot).filter((d) => !before.has(d)) : [];
  if (created.length === 1) inRepo.set(repo, join(inRepoRoot!, created[0], 'config.yaml'));
  return repo;
}

beforeAll(async () => {
  // GIVEN: a repository with the user's files, history and a good output written by synth
  golden = join(tempDir('hostile-golden-'), 'repo');
  for (const [file, text] of Object.entries({
    '.git/HEAD': 'ref: refs/heads/main\n',
    'README.md': '# mine\n',
    'notes/todo.txt': 'uncommitted\n',
  })) {
    mkdirSync(dirname(join(golden, file)), { recursive: true });
    writeFileSync(join(golden, file), text);
  }
  const first = await runBundleAsync('main.js', { CDK8S_OUTDIR: join(golden, 'dist') });
  expect(first.status).toBe(0);
  // WHEN: each hostile input runs against its own copy
  await inPool(cases, 3, async (c) => {
    const repo = makeRepo(c);
    const env = Object.fromEntries(
      Object.entries({
        SYNTH_CONFIG: join(repo, 'config.yaml'),
        CDK8S_OUTDIR: join(repo, 'dist'),
        ...c.env,
      }).map(([k, v]) => [k, v.replace('{repo}', repo).replace('{inRepo}', inRepo.get(repo) ?? '')]),
    );
    const before = treeDigest(dirname(repo));
    const result = await runBundleAsync('main.js', env, [], c.cwd ? repo : ROOT);
    outcomes.set(`${c.cls}: ${c.name}`, { result, before, after: treeDigest(dirname(repo)) });
  });
});

afterAll(() => {
  if (inRepoRoot) rmSync(inRepoRoot, { recursive: true, force: true });
  const refused = [...outcomes.values()].filter((o) => o.result.status === 2).length;
  process.stdout.write(`hostile inputs: ${outcomes.size} tried, ${refused} refused with exit 2\n`);
});

describe.each(Object.keys(classes))('%s', (cls) => {
  test.each(classes[cls].map((c) => [c.name, c] as const))(
    '%s: exit 2, named, nothing touched',
    (name, c) => {
      const { result, before, after } = outcomes.get(`${cls}: ${name}`)!;
      // THEN
      expect(result.stderr).toMatch(c.message);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).not.toContain(SECRET);
      expect(result.stderr).not.toMatch(/root:x:0:0/);
      expect(result.stderr.split('\n').every((line) => line.length <= 600)).toBe(true);
      expect(after).toEqual(before);
    },
  );
});
