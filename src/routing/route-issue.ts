import type { HeedConfig, RoutingRule } from '../config/schema.ts';
import { valueMatches } from '../customers/customer-value.ts';
import type { Priority } from '../domain/issue.ts';
import type { Platform } from '../domain/refs.ts';

export interface RoutingInput {
  readonly platform: Platform;
  readonly channel: string;
  readonly text: string;
  readonly tier: string | undefined;
  /** What the customer is worth, when known (`match.value`). */
  readonly value?: number | undefined;
}

export interface RoutingDecision {
  readonly team: string;
  readonly priority: Priority;
  /** Human description of the rule that decided, for the ledger ("routed" event). */
  readonly reason: string;
}

function wordsOf(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}_-]+/gu) ?? []);
}

function containsWord(words: Set<string>, text: string, keyword: string): boolean {
  const needle = keyword.toLowerCase();
  return needle.includes(' ') ? text.toLowerCase().includes(needle) : words.has(needle);
}

/** True when the text contains one of the configured urgency words. */
export function soundsUrgent(text: string, urgencyWords: readonly string[]): boolean {
  const words = wordsOf(text);
  return urgencyWords.some((word) => containsWord(words, text, word));
}

function matches(
  rule: RoutingRule,
  input: RoutingInput,
  urgencyWords: readonly string[],
  words: Set<string>,
): boolean {
  const { match } = rule;
  if (match.platform && match.platform !== input.platform) return false;
  if (match.channel && match.channel !== input.channel) return false;
  if (match.tier && match.tier !== input.tier) return false;
  if (!valueMatches(match.value, input.value)) return false;
  if (match.keywords && !match.keywords.some((keyword) => containsWord(words, input.text, keyword)))
    return false;
  if (match.regex && !new RegExp(match.regex, 'iu').test(input.text)) return false;
  if (match.urgent !== undefined && soundsUrgent(input.text, urgencyWords) !== match.urgent) return false;
  return true;
}

function describe(rule: RoutingRule, index: number): string {
  return rule.name ?? `routing rule ${index + 1}`;
}

/**
 * Routes a new request: the intake channel gives the default team, then the first matching routing rule
 * may set the team and/or the priority (DESIGN.md: "first match wins").
 */
export function routeIssue(config: HeedConfig, input: RoutingInput): RoutingDecision {
  const intake = config.intake.find((i) => i.platform === input.platform && i.channel === input.channel);
  const defaultTeam = intake?.team ?? config.teams[0]!.id;
  const words = wordsOf(input.text);
  const index = config.routing.findIndex((rule) => matches(rule, input, config.urgencyWords, words));
  const rule = index >= 0 ? config.routing[index] : undefined;
  if (!rule) {
    return { team: defaultTeam, priority: config.defaultPriority, reason: 'intake channel default' };
  }
  return {
    team: rule.team ?? defaultTeam,
    priority: rule.priority ?? config.defaultPriority,
    reason: describe(rule, index),
  };
}
