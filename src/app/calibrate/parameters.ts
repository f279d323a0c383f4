// The model's uncertain parameters that a calibration fits, and the scenario a set of values makes:
// what one copy stream of the data mover reaches on its own (fabric.perCopyRate), the fixed cost of
// an svMotion beyond its copy (fabric.svmotionSetup), and, for each array, the share of its
// front-end ports that production I/O takes (fabric.arrays[].productionLoad): what is left is the
// effective capacity of the links copies share. Every other field stays as the scenario has it.

import type { Fabric } from '../../domain/fabric.js';
import type { Scenario } from '../../scenario/scenario.js';

export interface ModelParameters {
  /** Bytes per second of one copy stream. */
  perCopyRate: number;
  svmotionSetupSeconds: number;
  /** Share (0 … < 1) of each array's front-end capacity that production takes, by array name. */
  productionLoad: Readonly<Record<string, number>>;
}

/** The most production may take of an array: beyond it, nothing would ever copy. */
export const MAX_PRODUCTION_LOAD = 0.95;

/** The values a scenario gives the parameters (its arrays without a production load: none). */
export function parametersOf(scenario: Scenario): ModelParameters {
  const productionLoad: Record<string, number> = {};
  for (const a of scenario.fabric.arrays) productionLoad[a.name] = 0;
  return { perCopyRate: scenario.fabric.perCopyRate, svmotionSetupSeconds: scenario.fabric.svmotionSetupSeconds, productionLoad };
}

/**
 * The scenario with the parameters' values. Production load is applied as the front-end capacity
 * it leaves (ports × port rate × (1 − load)), which is how the fabric model reads it.
 */
export function withParameters(scenario: Scenario, p: ModelParameters): Scenario {
  const fabric: Fabric = {
    ...scenario.fabric,
    perCopyRate: p.perCopyRate,
    svmotionSetupSeconds: p.svmotionSetupSeconds,
    arrays: scenario.fabric.arrays.map((a) => {
      const load = p.productionLoad[a.name] ?? 0;
      return load > 0 ? { ...a, portRate: a.portRate * (1 - Math.min(load, MAX_PRODUCTION_LOAD)) } : a;
    }),
  };
  return { ...scenario, fabric };
}
