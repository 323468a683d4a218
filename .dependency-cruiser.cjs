/**
 * Heed's layering, checked by `npm run lint:deps` (and so by `npm run lint` and CI):
 * the core (`src/`) never imports the adapters, the composition root or a platform SDK; the Slack and
 * Discord adapters never import each other, and reach the core only through its ports; `manifest/` reads
 * only the core; no import cycles.
 * The composition root is `src/main.ts`: the one file that wires config, store, core and adapters.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-not-to-adapters',
      comment: 'The core is platform-neutral: adapters depend on it, never the other way round.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/main\\.ts$' },
      to: { path: '^(adapters|manifest|demo|bench|test)/' },
    },
    {
      name: 'core-not-to-root',
      comment: 'Only the process entry imports the composition root.',
      severity: 'error',
      from: { path: '^(src|adapters|manifest)/', pathNot: '^src/main\\.ts$' },
      to: { path: '^src/main\\.ts$' },
    },
    {
      name: 'core-not-to-platform-sdks',
      comment: 'Platform SDKs belong in the adapters (and the Discord command definitions in manifest/).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/main\\.ts$' },
      to: { path: 'node_modules/(@slack|discord\\.js|@discordjs)/' },
    },
    {
      name: 'slack-not-to-discord',
      severity: 'error',
      from: { path: '^adapters/slack/' },
      to: { path: '^adapters/discord/' },
    },
    {
      name: 'discord-not-to-slack',
      severity: 'error',
      from: { path: '^adapters/discord/' },
      to: { path: '^adapters/slack/' },
    },
    {
      name: 'adapters-through-the-ports',
      comment:
        'Adapters talk to the core through the inbound port and the chat port (plus neutral types, the ' +
        'command and action registries, logging and errors), never through its parts or its composition ' +
        '(nor the action runner, which binds the operations).',
      severity: 'error',
      from: { path: '^adapters/' },
      to: {
        path:
          '^src/(boot|intake|operations|customers|sla|store|reports|digest|satisfaction|routing|observability)/|^src/core/(?!errors\\.ts$)|^src/actions/(?!(registry|action)\\.ts$)',
      },
    },
    {
      name: 'manifest-only-to-core',
      comment: 'Command definitions are generated from the core registry, never from an adapter.',
      severity: 'error',
      from: { path: '^manifest/' },
      to: { path: '^(adapters|demo|bench|test)/' },
    },
    {
      name: 'no-circular',
      comment: 'No module may import itself through others.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
