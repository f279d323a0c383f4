// The FC fabric as a planner describes it: what links a copy's bytes cross, and how fast each is.
// Rates are bytes per second in ONE direction: FC is full duplex, so each direction of a port is
// an independent capacity. The simulator turns this description into directed links.
//
// Some figures are known only roughly: the per-copy rate, the set-up time of an svMotion, the share of
// an array's ports production I/O takes. Those may carry a distribution, drawn ONCE per run (a
// systematic error, the same for every copy of that run); the plain figure beside it is the value a
// planner expects (the distribution's mean), which the planner and the checks of a scenario use.

import type { Distribution } from './distribution.js';

export interface ArrayPorts {
  /** Array name; datastores name the array they live on. */
  name: string;
  /** Front-end ports facing the fabric. */
  ports: number;
  /** Usable rate of one port in one direction (bytes/s). */
  portRate: number;
  /**
   * Share of the ports' capacity that production I/O takes during the campaign, both directions;
   * the copies get the rest. Absent: none.
   */
  productionLoad?: Distribution;
}

export interface Fabric {
  /** FC HBA ports per host (a host's `hbaPorts` overrides it). */
  hostPorts: number;
  hostPortRate: number;
  /** FC uplink ports of one blade enclosure towards the fabric; hosts outside enclosures skip this link. */
  enclosureUplinkPorts: number;
  enclosureUplinkPortRate: number;
  arrays: ArrayPorts[];
  /** Switch core / ISL capacity per direction between the hosts' and the arrays' edge; null when not a limit. */
  coreRate: number | null;
  /**
   * Rate one copy stream of the software data mover reaches on its own (bytes/s). Across arrays there is no
   * VAAI offload: the host reads every block and writes it again, and a single svMotion stream rarely fills
   * a modern HBA.
   */
  perCopyRate: number;
  /** Disk copies one svMotion runs in parallel, at most (4 since vSphere 5.1, between distinct datastores). */
  maxParallelDiskCopies: number;
  /** vMotion: memory copy rate over the vMotion network (bytes/s), and fixed cost per vMotion (s). */
  vmotionRate: number;
  vmotionSetupSeconds: number;
  /** Fixed cost of an svMotion beyond its copy (prepare, switch-over), seconds. */
  svmotionSetupSeconds: number;
  /** Present when a figure above is uncertain: its distribution, drawn once per run. */
  uncertain?: {
    perCopyRate?: Distribution;
    svmotionSetupSeconds?: Distribution;
  };
}
