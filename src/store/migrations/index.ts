import type { Migration } from 'kysely';
import * as tables from './0001-tables.ts';
import * as coordination from './0003-coordination.ts';
import * as reportFacts from './0004-report-facts.ts';
import * as watermarks from './0005-watermarks.ts';
import * as outbox from './0006-outbox.ts';
import * as people from './0007-people.ts';
import * as oncallOverrides from './0008-oncall-overrides.ts';
import * as dueTimes from './0009-due-times.ts';
import * as dashboard from './0010-dashboard.ts';
import * as ratedIndex from './0011-rated-index.ts';

/**
 * Every schema version, oldest first. Names sort in order; a migration, once released, never changes:
 * add a new file instead. There is no 0002: two were written at once and numbered in the order they landed.
 * Listed here (not read from the directory) so compiled builds and tsx agree.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-tables': tables,
  '0003-coordination': coordination,
  '0004-report-facts': reportFacts,
  '0005-watermarks': watermarks,
  '0006-outbox': outbox,
  '0007-people': people,
  '0008-oncall-overrides': oncallOverrides,
  '0009-due-times': dueTimes,
  '0010-dashboard': dashboard,
  '0011-rated-index': ratedIndex,
};
