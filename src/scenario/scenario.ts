// A scenario: everything a simulation needs, validated and resolved (units parsed, synthetic
// estates generated). The loader turns a YAML/JSON file into this; nothing downstream parses text.

import type { CostProfile } from '../domain/costs.js';
import type { Estate } from '../domain/estate.js';
import type { Fabric } from '../domain/fabric.js';

export interface TargetRules {
  /** Fraction of a target datastore's capacity that must stay free after a copy (0.1 = 10 %). */
  headroom: number;
}

export interface Scenario {
  name: string;
  description: string;
  /** File the scenario was read from, for messages; null when built in code. */
  file: string | null;
  seed: number;
  estate: Estate;
  fabric: Fabric;
  costs: CostProfile;
  /** Policy spec as written (`field`, `fixed:4` …); the core parses it. */
  policy: string;
  targets: TargetRules;
}
