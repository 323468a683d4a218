import type { Core } from '../core/core.ts';
import { accessOf } from '../core/people.ts';
import { isAnyStaff } from '../domain/access.ts';
import type { HomePage } from '../ports/home-page.ts';
import type { PersonFacts } from '../ports/inbound-port.ts';
import { ownerKey } from '../reports/issue-facts.ts';
import { loadReport, loadReportRow } from '../reports/load-report-data.ts';
import type { Period } from '../reports/report.ts';
import { buildHomeModel, type HomeModel } from './home-model.ts';
import { homePage } from './home-page.ts';

const DAY = 24 * 60 * 60_000;
/** The figures' period: the last seven days. */
export const HOME_PERIOD_MS = 7 * DAY;
/** How far back an open recovery task is still listed. */
export const RECOVERY_WINDOW_MS = 30 * DAY;

/**
 * Reads what one person's home shows (their report row, and for managers the teams' rows and open
 * recovery tasks) and builds the model at the core's time. Nobody outside a team reads anything.
 */
export async function loadHomeModel(core: Core, person: PersonFacts): Promise<HomeModel> {
  const access = accessOf(core.config, person);
  const now = core.clock.now();
  // The period ends just after now, so something that happened this instant counts.
  const period: Period = { from: now - HOME_PERIOD_MS, to: now + 1 };
  const me = { platform: person.platform, id: person.id };
  const staff = isAnyStaff(access);
  const managed = [...access.managerOf];
  const [week, teamReport, recoveries] = await Promise.all([
    staff ? loadReportRow(core.issues, period, 'owner', ownerKey(me)) : undefined,
    managed.length > 0 ? loadReport(core.issues, period, 'team') : undefined,
    managed.length > 0 ? core.issues.openRecoveries(managed, now - RECOVERY_WINDOW_MS) : [],
  ]);
  return buildHomeModel({
    person: me,
    access,
    teams: core.config.teams,
    open: staff ? core.issues.listOpen() : [],
    now,
    period,
    week,
    teamRows: teamReport?.rows ?? [],
    recoveries,
  });
}

/** One person's home page (the Slack App Home, `/heed dashboard`). */
export async function loadHomePage(core: Core, person: PersonFacts): Promise<HomePage> {
  return homePage(await loadHomeModel(core, person));
}
