// The result of Monte Carlo runs of one or more policies on one scenario (`svmig compare`, and
// `svmig simulate --runs N`). Other tools read this JSON: fields may be added, never renamed.

/** One run of one policy. */
export interface RunSummary {
  seed: number;
  makespanSeconds: number;
  bytesMoved: number;
  vmotions: number;
  apiCalls: number;
  queuedSeconds: number;
  vmsFailed: number;
  /** When the first and the last legacy datastore became empty (null if none did). */
  firstLegacyEmptySeconds: number | null;
  lastLegacyEmptySeconds: number | null;
}

export interface PolicyStats {
  policy: string;
  p50Seconds: number;
  p90Seconds: number;
  p99Seconds: number;
  /** Share of runs that finished by the deadline; null without a deadline. */
  deadlineProbability: number | null;
  /** Means over the runs. */
  vmotions: number;
  apiCalls: number;
  bytesPerHour: number;
  /** P50 makespan over the lower bound. */
  ratioToLowerBound: number;
  runs: RunSummary[];
}

export interface CompareResult {
  scenario: string;
  /** Seed from which every run's seed is derived; run i uses the same seed under every policy. */
  seed: number;
  runs: number;
  deadlineSeconds: number | null;
  lowerBoundSeconds: number;
  policies: PolicyStats[];
}
