// Per-VM DRS overrides of a cluster: the guard rail that keeps DRS from moving a VM while its disks
// are copied (behavior partiallyAutomated: DRS recommends, nobody applies). Written with
// ReconfigureComputeResource_Task (ClusterConfigSpecEx.drsVmConfigSpec, modify = true), read back
// from configurationEx.drsVmConfig so that a run that was killed finds the overrides it left and
// restores them. vCenter keeps one override per VM: adding one that exists, or editing or removing
// one that does not, fails the task with InvalidArgument.

import type { VimClient } from './client.js';
import * as methods from './methods.js';
import { propertiesOf, retrieveAll } from './property-collector.js';
import { decodeBool, decodeDrsVmConfigInfo, type ClusterConfigSpecEx, type ClusterDrsVmConfigInfo, type DrsBehavior, type ManagedObjectReference } from './types.js';
import { child, childText, children } from './xml.js';

export interface ClusterDrsState {
  /** drsConfig.enabled */
  enabled: boolean;
  /** drsConfig.defaultVmBehavior: the cluster's automation level. */
  defaultVmBehavior: DrsBehavior | undefined;
  /** configurationEx.drsVmConfig: the per-VM overrides. */
  overrides: ClusterDrsVmConfigInfo[];
}

/** The cluster's DRS setting and per-VM overrides (one call). */
export async function readClusterDrs(client: VimClient, cluster: ManagedObjectReference): Promise<ClusterDrsState> {
  const [oc] = await retrieveAll(client, [{ propSet: [{ type: 'ClusterComputeResource', pathSet: ['configurationEx'] }], objectSet: [{ obj: cluster }] }]);
  const config = oc ? propertiesOf(oc).get('configurationEx') : undefined;
  const drs = child(config, 'drsConfig');
  return {
    enabled: decodeBool(childText(drs, 'enabled')) ?? false,
    defaultVmBehavior: (childText(drs, 'defaultVmBehavior') || undefined) as DrsBehavior | undefined,
    overrides: children(config, 'drsVmConfig').map(decodeDrsVmConfigInfo),
  };
}

/** The per-VM DRS overrides of a cluster (one call). */
export async function readDrsVmOverrides(client: VimClient, cluster: ManagedObjectReference): Promise<ClusterDrsVmConfigInfo[]> {
  return (await readClusterDrs(client, cluster)).overrides;
}

export interface DrsOverrideChanges {
  add?: ClusterDrsVmConfigInfo[];
  edit?: ClusterDrsVmConfigInfo[];
  remove?: ManagedObjectReference[];
}

/** The ClusterConfigSpecEx for these override changes. */
export function drsOverrideSpec(changes: DrsOverrideChanges): ClusterConfigSpecEx {
  return {
    drsVmConfigSpec: [
      ...(changes.add ?? []).map((info) => ({ operation: 'add' as const, info })),
      ...(changes.edit ?? []).map((info) => ({ operation: 'edit' as const, info })),
      ...(changes.remove ?? []).map((removeKey) => ({ operation: 'remove' as const, removeKey })),
    ],
  };
}

/** Submits the override changes in one ReconfigureComputeResource_Task; returns the task. */
export function changeDrsVmOverrides(client: VimClient, cluster: ManagedObjectReference, changes: DrsOverrideChanges): Promise<ManagedObjectReference> {
  return methods.ReconfigureComputeResource_Task(client, cluster, drsOverrideSpec(changes), true);
}
