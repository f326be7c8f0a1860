import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSynth } from './run';
import { find, readManifestDir, tempDir, type Manifest } from './synth';

/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are read as loosely typed YAML */

/** A fresh `npm run synth` of a config; every object it wrote. */
export function synthObjects(config: object): Manifest[] {
  const dir = tempDir();
  writeFileSync(join(dir, 'config.yaml'), JSON.stringify(config));
  const out = join(dir, 'dist');
  const result = runSynth({ CDK8S_OUTDIR: out, SYNTH_CONFIG: join(dir, 'config.yaml') });
  if (result.status !== 0) throw new Error(`synth failed (${result.status}): ${result.stderr}`);
  return readManifestDir(out).flatMap((f) => f.objects);
}

/** Secrets the test created in the registry's namespace: name → key → value. */
export type Secrets = Record<string, Record<string, string>>;

/** A container's environment as the kubelet would set it: values, and Secret keys resolved. */
export function containerEnv(container: any, secrets: Secrets): string[] {
  return (container.env ?? []).map((e: any) => {
    if (e.value !== undefined) return `${e.name}=${e.value}`;
    const ref = e.valueFrom?.secretKeyRef;
    const value = ref ? secrets[ref.name]?.[ref.key] : undefined;
    if (value === undefined) throw new Error(`${container.name}: ${e.name} refers to a missing Secret key`);
    return `${e.name}=${value}`;
  });
}

/**
 * Writes each container of a Deployment's pod (init containers too) as registry-pods.sh runs it:
 * `containers/<name>/{config.yml,env,args,data-mode,mounts}` and its Secret volumes, all from the
 * manifests. Returns the pod's UID.
 */
export function writeContainers(
  work: string,
  objects: Manifest[],
  deployment: string,
  secrets: Secrets,
): number {
  const pod = find(objects, 'Deployment', deployment).spec.template.spec;
  const volumes = new Map<string, any>(pod.volumes.map((v: any) => [v.name, v]));
  for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
    const [binary, ...args] = container.command as string[];
    if (binary !== '/bin/registry') throw new Error(`${container.name} runs ${binary}, not the registry`);
    const configMount = container.volumeMounts.find((m: any) => m.mountPath === args[args.length - 1]);
    const configMap = find(objects, 'ConfigMap', volumes.get(configMount.name).configMap.name);
    const dataMount = container.volumeMounts.find((m: any) => m.mountPath === '/var/lib/registry');
    const dir = join(work, 'containers', container.name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.yml'), configMap.data[configMount.subPath]);
    writeFileSync(join(dir, 'env'), containerEnv(container, secrets).join('\n'));
    writeFileSync(join(dir, 'args'), args.join(' '));
    writeFileSync(join(dir, 'data-mode'), dataMount?.readOnly ? 'ro' : 'rw');
    // Secret volumes, from the Secrets the test created: `<source dir> <mount path>` per line.
    const mounts: string[] = [];
    for (const mount of container.volumeMounts) {
      const secret = volumes.get(mount.name)?.secret;
      if (!secret) continue;
      const source = join(dir, 'volumes', mount.name);
      mkdirSync(source, { recursive: true });
      for (const item of secret.items) {
        const value = secrets[secret.secretName]?.[item.key];
        if (value === undefined)
          throw new Error(`${container.name}: no Secret ${secret.secretName} key ${item.key}`);
        writeFileSync(join(source, item.path), value);
      }
      mounts.push(`${source} ${mount.mountPath}`);
    }
    writeFileSync(join(dir, 'mounts'), mounts.join('\n'));
  }
  return pod.securityContext.runAsUser;
}
