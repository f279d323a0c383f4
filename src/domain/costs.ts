// vCenter's resource-cost admission for migrations ("Limits on Simultaneous Migrations").
// Each resource (host, datastore, vMotion network of a host) has a maximum cost; each running
// migration charges a cost to every resource it touches. An operation that would push any
// resource over its maximum waits in vCenter's queue until others release enough.
// The values are a profile, not constants: vpxd settings can change them (unsupported, but seen).

export interface CostProfile {
  name: string;
  hostMax: number;
  datastoreMax: number;
  /** Network (vMotion) budget per host: 8 on 10GbE and faster, 4 on 1GbE. */
  networkMax: number;
  svmotionHost: number;
  /** Charged on each source datastore and on the destination datastore. */
  svmotionDatastore: number;
  /** Charged on source and destination host. */
  vmotionHost: number;
  /** Charged on the datastores the VM lives on (shared storage). */
  vmotionDatastore: number;
  vmotionNetwork: number;
  /**
   * Snapshot removal and disk consolidation, on the VM's host and on each of its datastores. vCenter's
   * table does not list them: svmig charges them as its "other provisioning operations" on the host
   * (1 on the 5.x scale, so 2 on the 6.x one) and 1 on each datastore, as a vMotion's access: assumed.
   */
  remediationHost: number;
  remediationDatastore: number;
}

/** vSphere 6.0 and later (internal scale; 8.x assumed equal, not published). */
export const VSPHERE_6_PLUS: CostProfile = {
  name: 'vsphere-6+',
  hostMax: 16,
  datastoreMax: 128,
  networkMax: 8,
  svmotionHost: 8,
  svmotionDatastore: 16,
  vmotionHost: 2,
  vmotionDatastore: 1,
  vmotionNetwork: 1,
  remediationHost: 2,
  remediationDatastore: 1,
};

/** ESX(i) 4.1 – 5.x (the documentation's scale: host 8, svMotion 4, vMotion 1). Same concurrency. */
export const VSPHERE_5: CostProfile = {
  name: 'vsphere-5',
  hostMax: 8,
  datastoreMax: 128,
  networkMax: 8,
  svmotionHost: 4,
  svmotionDatastore: 16,
  vmotionHost: 1,
  vmotionDatastore: 1,
  vmotionNetwork: 1,
  remediationHost: 1,
  remediationDatastore: 1,
};

export const COST_PROFILES: Readonly<Record<string, CostProfile>> = {
  'vsphere-6+': VSPHERE_6_PLUS,
  'vsphere-6': VSPHERE_6_PLUS,
  'vsphere-7': VSPHERE_6_PLUS,
  'vsphere-8': VSPHERE_6_PLUS,
  'vsphere-5': VSPHERE_5,
};
