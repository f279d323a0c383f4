// The property collector, beyond single calls: reading many objects through a container view in
// pages (RetrievePropertiesEx + ContinueRetrievePropertiesEx), and a private collector object for
// a long-lived set of filters fed by WaitForUpdatesEx.

import type { InvokeOptions, VimClient } from './client.js';
import * as methods from './methods.js';
import type { ManagedObjectReference, ObjectContent, PropertyFilterSpec, PropertySpec, UpdateSet, WaitOptions } from './types.js';
import type { XmlElement } from './xml.js';

/** Every object the spec selects, following the result's continuation token to the end. */
export async function retrieveAll(
  client: VimClient,
  specSet: PropertyFilterSpec[],
  options: { maxObjects?: number; collector?: ManagedObjectReference } = {},
): Promise<ObjectContent[]> {
  const collector = options.collector ?? client.serviceContent.propertyCollector;
  const out: ObjectContent[] = [];
  let page = await methods.RetrievePropertiesEx(client, collector, specSet, options.maxObjects ? { maxObjects: options.maxObjects } : {});
  out.push(...page.objects);
  while (page.token) {
    page = await methods.ContinueRetrievePropertiesEx(client, collector, page.token);
    out.push(...page.objects);
  }
  return out;
}

export interface ContainerViewOptions {
  /** Default: the root folder. */
  container?: ManagedObjectReference;
  type: string[];
  /** Default true: the whole tree below the container. */
  recursive?: boolean;
}

/** Runs fn with a container view, destroying the view afterwards whatever happens. */
export async function withContainerView<T>(client: VimClient, options: ContainerViewOptions, fn: (view: ManagedObjectReference) => Promise<T>): Promise<T> {
  const viewManager = client.serviceContent.viewManager;
  if (!viewManager) throw new Error('vim25: this server has no ViewManager');
  const view = await methods.CreateContainerView(client, viewManager, options.container ?? client.serviceContent.rootFolder, options.type, options.recursive ?? true);
  try {
    return await fn(view);
  } finally {
    await methods.DestroyView(client, view).catch(() => undefined);
  }
}

/** A filter spec selecting the objects of a container view (not the view itself). */
export function viewSpec(view: ManagedObjectReference, propSet: PropertySpec[]): PropertyFilterSpec {
  return {
    propSet,
    objectSet: [{ obj: view, skip: true, selectSet: [{ name: 'traverseView', type: 'ContainerView', path: 'view', skip: false }] }],
  };
}

/** The properties of one ObjectContent by name. */
export function propertiesOf(oc: ObjectContent): Map<string, XmlElement> {
  return new Map(oc.propSet.map((p) => [p.name, p.val]));
}

/** A collector of our own, so our filters and versions are not mixed with anyone else's. */
export class PropertyCollector {
  private constructor(
    private readonly client: VimClient,
    readonly ref: ManagedObjectReference,
  ) {}

  static async create(client: VimClient, call: InvokeOptions = {}): Promise<PropertyCollector> {
    return new PropertyCollector(client, await methods.CreatePropertyCollector(client, client.serviceContent.propertyCollector, call));
  }

  createFilter(spec: PropertyFilterSpec, partialUpdates = false, call: InvokeOptions = {}): Promise<ManagedObjectReference> {
    return methods.CreateFilter(this.client, this.ref, spec, partialUpdates, call);
  }

  destroyFilter(filter: ManagedObjectReference): Promise<void> {
    return methods.DestroyPropertyFilter(this.client, filter);
  }

  waitForUpdatesEx(version: string, options: WaitOptions = {}, call: InvokeOptions = {}): Promise<UpdateSet | null> {
    return methods.WaitForUpdatesEx(this.client, this.ref, version, options, call);
  }

  cancelWaitForUpdates(): Promise<void> {
    return methods.CancelWaitForUpdates(this.client, this.ref);
  }

  destroy(call: InvokeOptions = {}): Promise<void> {
    return methods.DestroyPropertyCollector(this.client, this.ref, call);
  }
}
