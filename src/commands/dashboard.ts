import { z } from 'zod';
import { homePageText } from '../home/home-page.ts';
import { loadHomePage } from '../home/load-home.ts';
import { defineCommand } from './command.ts';

/**
 * `/heed dashboard`: the control centre's figures, ephemerally (the person's open issues, their teams'
 * queue, their last 7 days; for managers each team's attainment and breaches, what is at risk, each
 * person’s load and the open 👎 recovery tasks). The reply carries the page, so adapters can show it
 * richly (an embed) or point to where it is kept live (a home tab).
 */
export const dashboardCommand = defineCommand({
  name: 'dashboard',
  summary: "Your desk at a glance: your issues, your teams' queue and figures (managers: teams, risk, load).",
  access: 'staff',
  args: [],
  schema: z.object({}),
  async run({ core, person }) {
    const page = await loadHomePage(core, person);
    return { visibility: 'ephemeral', text: homePageText(page), page };
  },
});
