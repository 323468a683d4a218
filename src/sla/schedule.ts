import { chainLength, type EscalationLevelConfig, type HeedConfig } from '../config/schema.ts';
import { type AfterCareFacts, nextAfterCareAt } from '../satisfaction/after-care.ts';
import { CLOCK_NAMES, type ClockName, clockKey, isRunning, type SlaState } from './sla-state.ts';

export type AlertKind = 'warn' | 'nag' | 'escalation';

/** One alert of one deadline: a warning before it, the nag at breach, or an escalation level after it. */
export interface PlannedAlert {
  /** `clock:gen:warn`, `clock:gen:L<level>.<repeat>` (`…@<round>` in a looped round) or `clock:gen:breach`. */
  readonly id: string;
  readonly clock: ClockName;
  readonly gen: number;
  readonly kind: AlertKind;
  /** Escalation level index in the config (-1 for the built-in nag and the warning). */
  readonly level: number;
  /** Escalation step as people count it (1 = the first level after the nag); 0 for warnings and nags. */
  readonly step: number;
  readonly repeat: number;
  /** The round of a looping chain (0 = the first run through the levels). */
  readonly round: number;
  readonly at: number;
  readonly dueAt: number;
  readonly levelConfig?: EscalationLevelConfig;
}

/** The nag at breach goes to the owner (or the team channel) unless level 0 starts at the breach itself. */
export const DEFAULT_NAG: EscalationLevelConfig = {
  after: 0,
  notify: ['owner'],
  when: 'not-resolved',
  repeat: 0,
};

function nagLevelIsConfigured(config: HeedConfig): boolean {
  return config.sla.escalation.levels[0]?.after === 0;
}

/**
 * How long one round of a looping chain lasts: up to its last alert, plus the gap between its last two
 * alert times (or the last one's delay, when it has one alert time), so the next round keeps the rhythm.
 */
export function roundLength(levels: readonly EscalationLevelConfig[]): number {
  const times = [
    ...new Set(
      levels.flatMap((level) =>
        Array.from({ length: level.repeat + 1 }, (_, r) => level.after + r * (level.every ?? 0)),
      ),
    ),
  ].sort((a, b) => a - b);
  const last = chainLength(levels);
  const before = times.length > 1 ? (times[times.length - 2] ?? 0) : 0;
  return last + (last - before);
}

/** Every alert of every running clock, fired or not. Pure. */
export function planAlerts(sla: SlaState, config: HeedConfig): PlannedAlert[] {
  const alerts: PlannedAlert[] = [];
  const levels = config.sla.escalation.levels;
  const rounds = config.sla.escalation.loop + 1;
  const period = rounds > 1 ? roundLength(levels) : 0;
  for (const clock of CLOCK_NAMES) {
    const state = sla.clocks[clock];
    if (!isRunning(state) || state.dueAt === undefined) continue;
    const key = clockKey(clock, state);
    const dueAt = state.dueAt;
    const base = { clock, gen: state.gen, dueAt };
    if (state.warnAt !== undefined) {
      alerts.push({
        ...base,
        id: `${key}:warn`,
        kind: 'warn',
        level: -1,
        step: 0,
        repeat: 0,
        round: 0,
        at: state.warnAt,
      });
    }
    if (!nagLevelIsConfigured(config)) {
      alerts.push({
        ...base,
        id: `${key}:breach`,
        kind: 'nag',
        level: -1,
        step: 0,
        repeat: 0,
        round: 0,
        at: dueAt,
        levelConfig: DEFAULT_NAG,
      });
    }
    for (let round = 0; round < rounds; round += 1) {
      levels.forEach((level, index) => {
        const kind: AlertKind = index === 0 && level.after === 0 ? 'nag' : 'escalation';
        for (let repeat = 0; repeat <= level.repeat; repeat += 1) {
          const at = dueAt + round * period + level.after + repeat * (level.every ?? 0);
          const step = kind === 'nag' ? 0 : nagLevelIsConfigured(config) ? index : index + 1;
          alerts.push({
            ...base,
            id: `${key}:L${index}.${repeat}${round > 0 ? `@${round}` : ''}`,
            kind,
            level: index,
            step,
            repeat,
            round,
            at,
            levelConfig: level,
          });
        }
      });
    }
  }
  return alerts;
}

function stillWanted(alert: PlannedAlert, sla: SlaState): boolean {
  if (sla.fired.includes(alert.id)) return false;
  const acknowledged = sla.acknowledged.includes(`${alert.clock}:${alert.gen}`);
  if (acknowledged && alert.kind !== 'warn' && alert.levelConfig?.when === 'not-acknowledged') return false;
  return true;
}

/** The earliest alert still to send (possibly in the past, when it is overdue), or undefined. */
export function nextAlertAt(sla: SlaState, config: HeedConfig): number | undefined {
  let earliest: number | undefined;
  for (const alert of planAlerts(sla, config)) {
    if (stillWanted(alert, sla) && (earliest === undefined || alert.at < earliest)) earliest = alert.at;
  }
  return earliest;
}

/**
 * When an issue next needs the scheduler (pure): its earliest unsent SLA alert or, once resolved, its
 * earliest after-care step (follow-up check-in, auto-close; see `satisfaction/after-care.ts`).
 */
export function nextDueAt(
  issue: AfterCareFacts & { readonly sla: SlaState },
  config: HeedConfig,
): number | undefined {
  const alert = nextAlertAt(issue.sla, config);
  const care = nextAfterCareAt(issue, config);
  if (alert === undefined) return care;
  return care === undefined ? alert : Math.min(alert, care);
}

export interface DueAlerts {
  /** Alerts to send now. */
  readonly send: PlannedAlert[];
  /** Ids to record as fired: the sent ones plus older repeats they replace after an outage. */
  readonly fired: string[];
}

/**
 * What is due at `now` (pure). When several repeats of one level fell due while Heed was down, only the
 * latest is sent and the older ones are marked fired, so nothing floods and nothing fires twice. A
 * warning whose deadline has already passed is dropped in favour of the nag.
 */
export function dueAlerts(sla: SlaState, config: HeedConfig, now: number): DueAlerts {
  const due = planAlerts(sla, config).filter((alert) => alert.at <= now && stillWanted(alert, sla));
  const latest = new Map<string, PlannedAlert>();
  for (const alert of due) {
    const group = `${alert.clock}:${alert.gen}:${alert.kind === 'warn' ? 'warn' : alert.level}`;
    const previous = latest.get(group);
    if (!previous || alert.at > previous.at) latest.set(group, alert);
  }
  const send = [...latest.values()].filter((alert) => alert.kind !== 'warn' || alert.dueAt > now);
  return { send: send.sort((a, b) => a.at - b.at), fired: due.map((alert) => alert.id) };
}
