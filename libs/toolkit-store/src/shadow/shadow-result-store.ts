import type { DiffExample, DiffReport } from "@strangler/ops-contract";

/** Which results a report covers. */
export interface DiffReportQuery {
  /** Epoch ms; results from the minute holding it on. */
  since: number;
  /** Epoch ms; default now. */
  until?: number;
  routeId?: string;
  service?: string;
}

/** What the proxy writes, in batches (the shadow pipeline builds these off the request path). */
export interface ShadowResultBatch {
  /** Counter deltas per route and minute (epoch ms of the minute's start), summed into the stored row. */
  minutes: ShadowMinuteDelta[];
  /** Noise learnt per route and field path: counter deltas. */
  noise: NoiseDelta[];
  /** Sampled mismatch examples (the store keeps at most retention.examplesPerSignature per route and signature). */
  examples: DiffExample[];
}

export interface ShadowMinuteDelta {
  minute: number;
  routeId: string;
  service: string;
  compared: number;
  matches: number;
  mismatches: number;
  noiseOnly: number;
  cdcFirst: number;
  candidateErrors: number;
  candidateTimeouts: number;
  skipped: Record<string, number>;
  /** Mismatch counts per signature, with the signature's fields. */
  signatures: Array<{ signature: string; fields: Array<{ path: string; kind: string }>; count: number }>;
  /** Latency histograms per side: counts per bucket of SHADOW_LATENCY_BUCKETS_MS (mergeable by addition). */
  latency: { legacy: number[]; service: number[] };
}

export interface NoiseDelta {
  routeId: string;
  path: string;
  noiseDiffering: number;
  noiseCompared: number;
  differing: number;
  compared: number;
}

/** The shadow results in the toolkit database: written by every proxy replica, read by the reports. */
export interface ShadowResultStore {
  /** Adds a batch (counters are summed, so several writers add up). */
  write(batch: ShadowResultBatch): Promise<void>;
  report(query: DiffReportQuery): Promise<DiffReport>;
  example(id: string): Promise<DiffExample | undefined>;
  /** Learnt noise per route (summed over replicas and time), for classifying new comparisons. */
  noise(routeId?: string): Promise<NoiseDelta[]>;
  /** Deletes results older than the retention. */
  prune(olderThan: number): Promise<void>;
  close(): Promise<void>;
}
