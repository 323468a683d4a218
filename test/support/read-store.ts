import { IssueRepository } from '../../src/core/issue-repository.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { openDatabase } from '../../src/store/database.ts';

/**
 * Opens a store beside whatever server uses it (as `heed report` does), runs `read` with an issue
 * repository on it, and closes it again.
 */
export async function readStore<T>(
  storeUrl: string,
  read: (issues: IssueRepository) => Promise<T>,
): Promise<T> {
  const database = await openDatabase(storeUrl, { migrations: 'check' });
  try {
    return await read(new IssueRepository(database, silentLogger()));
  } finally {
    await database.close();
  }
}
