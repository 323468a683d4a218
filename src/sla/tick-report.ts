/** What one SLA scheduler tick did (metrics, benchmarks, tests). */
export interface TickReport {
  readonly issues: number;
  readonly alerts: number;
  readonly messages: number;
  /** How late each sent alert was, in ms (for the benchmark). */
  readonly lateness: number[];
  /** After-care steps carried out (follow-up check-ins, auto-closes). */
  readonly afterCare: number;
}
