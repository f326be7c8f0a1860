import { basename } from 'node:path';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { AppConfig } from '../config/types';
import { ADDRESS_SOURCE_ANNOTATION } from '../k8s/labels';
import { appImageReference, type RegistryAddress } from '../registry/registry-address';
import { replacePlaceholder } from './image-placeholder';
import { effectiveNamespace } from './manifest-policy';

export interface IncludedAppProps {
  /** The app, with `included` set: its manifest as the config loader read, parsed and checked it. */
  readonly app: AppConfig;
  readonly address: RegistryAddress;
}

/**
 * An existing manifest (such as the seed's app-deployment.yaml) in place of the generated
 * Deployment, each object with IMAGE_NAME_PLACEHOLDER replaced by the app's image, the app's
 * namespace where it names none, and the address source recorded.
 *
 * This does what cdk8s's `Include` does (one ApiObject per document), in process: `Include` reads
 * even a local file through a child `node` process and a helper script that a bundle does not carry.
 */
export class IncludedApp extends Construct {
  public readonly apiObjects: readonly ApiObject[];
  /** The image reference that replaced each placeholder. */
  public readonly image: string;
  private readonly sources = new Map<ApiObject, string>();

  constructor(scope: Construct, id: string, props: IncludedAppProps) {
    super(scope, id);
    const { app, address } = props;
    this.image = appImageReference(app, address);
    if (!app.included) throw new Error(`app ${app.name}: its manifest was not read by the config loader`);
    this.apiObjects = app.included.documents.map((document) => {
      const object = replacePlaceholder(document.object, this.image);
      const namespace = effectiveNamespace(object, app.namespace);
      const metadata = {
        ...object.metadata,
        ...(namespace === undefined ? {} : { namespace }),
        annotations: { ...object.metadata.annotations, [ADDRESS_SOURCE_ANNOTATION]: address.source },
      };
      const apiObject = new ApiObject(this, `${object.kind}-${object.metadata.name}`, {
        ...object,
        metadata,
      });
      this.sources.set(
        apiObject,
        `${basename(app.included!.file)} document ${document.index} (app ${app.name}'s manifest)`,
      );
      return apiObject;
    });
  }

  /** Where an object of this manifest comes from, for messages: the file and the document. */
  public sourceOf(object: ApiObject): string {
    return this.sources.get(object) ?? `app ${this.node.id}'s manifest`;
  }
}
