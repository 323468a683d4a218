/** Two saved replies, as the integration tests of both platforms configure them. */
export const TWO_REPLIES = [
  {
    id: 'reset-2fa',
    title: 'Reset two-factor',
    text: "Hi {customer}, I've reset two-factor for you. ({ref})",
    keywords: ['2fa'],
  },
  {
    id: 'export-limits',
    title: 'CSV export limits',
    text: 'Hi {customer}, exports are capped at 100k rows. ({ref})',
    keywords: ['csv', 'export'],
  },
];
