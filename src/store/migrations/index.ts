import type { Migration } from 'kysely';
import * as tables from './0001-tables.ts';
import * as reportFacts from './0002-report-facts.ts';
import * as coordination from './0003-coordination.ts';

/**
 * Every schema version, oldest first. Names sort in order; a migration, once released, never changes:
 * add a new file instead. Listed here (not read from the directory) so compiled builds and tsx agree.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-tables': tables,
  '0002-report-facts': reportFacts,
  '0003-coordination': coordination,
};
