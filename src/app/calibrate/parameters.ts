// The model's uncertain parameters that a calibration fits, and the scenario a set of values makes:
// what one copy stream of the data mover reaches on its own (fabric.perCopyRate), the fixed cost of
// an svMotion beyond its copy (fabric.svmotionSetup), and, for each array, the share of its
// front-end ports that production I/O takes (fabric.arrays[].productionLoad): what is left is the
// effective capacity of the links copies share. Every other field stays as the scenario has it.

import { mean } from '../../domain/distribution.js';
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

/**
 * The values a scenario expects of the parameters: its plain figures (a distribution's mean, as the
 * scenario keeps it beside the distribution), each array's production load at its mean (none: 0).
 */
export function parametersOf(scenario: Scenario): ModelParameters {
  const productionLoad: Record<string, number> = {};
  for (const a of scenario.fabric.arrays) productionLoad[a.name] = a.productionLoad === undefined ? 0 : Math.min(mean(a.productionLoad), MAX_PRODUCTION_LOAD);
  return { perCopyRate: scenario.fabric.perCopyRate, svmotionSetupSeconds: scenario.fabric.svmotionSetupSeconds, productionLoad };
}

/**
 * The scenario with the parameters' values, as plain figures: whatever distributions the scenario
 * gave them are dropped, so no run draws them again. Production load is applied as the front-end
 * capacity it leaves (ports × port rate × (1 − load)), as the simulator applies a drawn load.
 */
export function withParameters(scenario: Scenario, p: ModelParameters): Scenario {
  const { uncertain: _drawn, ...plain } = scenario.fabric;
  const fabric: Fabric = {
    ...plain,
    perCopyRate: p.perCopyRate,
    svmotionSetupSeconds: p.svmotionSetupSeconds,
    arrays: scenario.fabric.arrays.map(({ productionLoad: _load, ...a }) => {
      const load = p.productionLoad[a.name] ?? 0;
      return load > 0 ? { ...a, portRate: a.portRate * (1 - Math.min(load, MAX_PRODUCTION_LOAD)) } : a;
    }),
  };
  return { ...scenario, fabric };
}
