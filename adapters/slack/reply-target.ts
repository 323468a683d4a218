/** Where to answer someone who clicked or typed: the interaction's `response_url`, the channel, or their DMs. */
export interface ReplyTarget {
  readonly user: string;
  readonly responseUrl?: string | undefined;
  readonly channel?: string | undefined;
}
