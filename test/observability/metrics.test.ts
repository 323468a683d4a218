import { describe, expect, it } from 'vitest';
import {
  escapeHelp,
  escapeLabelValue,
  formatValue,
  MetricsRegistry,
} from '../../src/observability/metrics.ts';

describe('the Prometheus text format', () => {
  it('renders a small registry exactly', () => {
    const registry = new MetricsRegistry();
    registry.gauge({ name: 'demo_up', help: 'Always 1.' }).set({}, 1);
    const sent = registry.counter({ name: 'demo_sent_total', help: 'Messages sent.', labelNames: ['kind'] });
    sent.inc({ kind: 'nag' });
    sent.inc({ kind: 'warn' }, 2);
    sent.inc({ kind: 'nag' });
    registry.gauge({
      name: 'demo_open',
      help: 'Open issues\nby team.',
      labelNames: ['team', 'status'],
      collect: (gauge) => {
        gauge.set({ team: 'support', status: 'new' }, 3);
        gauge.set({ team: 'a"b\\c\nd', status: 'claimed' }, 1);
      },
    });
    const latency = registry.histogram({
      name: 'demo_seconds',
      help: 'Handling time.',
      labelNames: ['platform'],
      buckets: [1, 0.1, 0.5],
    });
    latency.observe({ platform: 'slack' }, 0.05);
    latency.observe({ platform: 'slack' }, 0.3);
    latency.observe({ platform: 'slack' }, 2);

    expect(registry.render()).toBe(
      [
        '# HELP demo_up Always 1.',
        '# TYPE demo_up gauge',
        'demo_up 1',
        '# HELP demo_sent_total Messages sent.',
        '# TYPE demo_sent_total counter',
        'demo_sent_total{kind="nag"} 2',
        'demo_sent_total{kind="warn"} 2',
        '# HELP demo_open Open issues\\nby team.',
        '# TYPE demo_open gauge',
        'demo_open{team="a\\"b\\\\c\\nd",status="claimed"} 1',
        'demo_open{team="support",status="new"} 3',
        '# HELP demo_seconds Handling time.',
        '# TYPE demo_seconds histogram',
        'demo_seconds_bucket{platform="slack",le="0.1"} 1',
        'demo_seconds_bucket{platform="slack",le="0.5"} 2',
        'demo_seconds_bucket{platform="slack",le="1"} 2',
        'demo_seconds_bucket{platform="slack",le="+Inf"} 3',
        'demo_seconds_sum{platform="slack"} 2.35',
        'demo_seconds_count{platform="slack"} 3',
        '',
      ].join('\n'),
    );
  });

  it('refills a collected gauge at every scrape, dropping series that went away', () => {
    const registry = new MetricsRegistry();
    let teams = ['a', 'b'];
    registry.gauge({
      name: 'teams',
      help: 'Teams.',
      labelNames: ['team'],
      collect: (gauge) => {
        for (const team of teams) gauge.set({ team }, 1);
      },
    });
    expect(registry.render()).toContain('teams{team="b"} 1');
    teams = ['a'];
    expect(registry.render()).not.toContain('team="b"');
  });

  it('renders a metric without series as its HELP and TYPE lines only', () => {
    const registry = new MetricsRegistry();
    registry.counter({ name: 'nothing_total', help: 'Nothing yet.', labelNames: ['x'] });
    expect(registry.render()).toBe('# HELP nothing_total Nothing yet.\n# TYPE nothing_total counter\n');
  });

  it('escapes label values and help text and spells special values', () => {
    expect(escapeLabelValue('say "hi"\\\n')).toBe('say \\"hi\\"\\\\\\n');
    expect(escapeHelp('a\\b\nc "quoted"')).toBe('a\\\\b\\nc "quoted"');
    expect(formatValue(Number.POSITIVE_INFINITY)).toBe('+Inf');
    expect(formatValue(Number.NEGATIVE_INFINITY)).toBe('-Inf');
    expect(formatValue(Number.NaN)).toBe('NaN');
    expect(formatValue(0.25)).toBe('0.25');
  });

  it('refuses bad names, wrong labels, a counter going down and duplicate metrics', () => {
    const registry = new MetricsRegistry();
    expect(() => registry.counter({ name: 'bad-name', help: '' })).toThrow(/invalid metric name/);
    expect(() => registry.gauge({ name: 'g', help: '', labelNames: ['__x'] })).toThrow(/invalid label/);
    expect(() => registry.histogram({ name: 'h', help: '', labelNames: ['le'], buckets: [1] })).toThrow(
      /reserved/,
    );
    const counter = registry.counter({ name: 'c_total', help: '', labelNames: ['kind'] });
    expect(() => counter.inc({ other: 'x' })).toThrow(/takes the labels \[kind\]/);
    expect(() => counter.inc({ kind: 'x' }, -1)).toThrow(/cannot go down/);
    expect(() => registry.counter({ name: 'c_total', help: '' })).toThrow(/twice/);
  });
});
