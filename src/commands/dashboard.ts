import { z } from 'zod';
import { homePageText } from '../home/home-page.ts';
import { loadHomePage } from '../home/load-home.ts';
import { link, rich } from '../messages/rich-text.ts';
import { defineCommand } from './command.ts';

/**
 * `/heed dashboard`: the control centre's figures, ephemerally (the person's open issues, their teams'
 * queue, their last 7 days; for managers each team's attainment and breaches, what is at risk, each
 * person’s load and the open 👎 recovery tasks), and a sign-in link to the web dashboard, sent by DM:
 * signed, single use, valid 10 minutes. The reply carries the page and the link, so adapters can show
 * them richly (an embed) or point to where the page is kept live (a home tab).
 */
export const dashboardCommand = defineCommand({
  name: 'dashboard',
  summary: 'Your desk at a glance, and a sign-in link to the web dashboard by DM.',
  access: 'staff',
  args: [],
  schema: z.object({}),
  async run({ core, person }) {
    const page = await loadHomePage(core, person);
    const figures = homePageText(page);
    const made = await core.dashboard.linkFor(person);
    if (!made) {
      return {
        visibility: 'ephemeral',
        text: rich`${figures}\n\nThe web dashboard is not served by this Heed (it needs its HTTP server).`,
        page,
      };
    }
    const local = made.localOnly
      ? ' It opens only on the machine Heed runs on (HEED_PUBLIC_URL is not set).'
      : '';
    const sent = await core.chat
      .dm(
        { platform: person.platform, id: person.id },
        {
          text: rich`🔐 Your sign-in link to Heed's dashboard: ${link(made.url, 'open the dashboard')}. It works once, for the next 10 minutes, and keeps you signed in for 12 hours.${local} Don't forward it: it signs in as you.`,
        },
      )
      .then(
        () => true,
        (error: unknown) => {
          core.logger.warn(
            { err: error, platform: person.platform },
            'could not DM a dashboard sign-in link',
          );
          return false;
        },
      );
    const where = sent
      ? rich`I've sent you a sign-in link to the web dashboard by direct message (it works once, for 10 minutes).`
      : rich`I couldn't DM you the sign-in link; here it is, just for you: ${link(made.url, 'open the dashboard')} (works once, for 10 minutes).`;
    return { visibility: 'ephemeral', text: rich`${figures}\n\n${where}`, page, signInUrl: made.url };
  },
});
