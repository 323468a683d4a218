import { type Attachment, attachmentSchema } from '../../src/domain/customer-messages.ts';

/** The parts of a discord.js attachment Heed keeps. */
export interface AttachmentLike {
  readonly name: string;
  readonly contentType: string | null;
  readonly size: number;
  readonly url: string;
}

/** The parts of a discord.js embed Heed keeps (a link preview, an image or video). */
export interface EmbedLike {
  readonly url: string | null;
  readonly title: string | null;
  readonly data: { readonly type?: string | undefined };
}

/** What a Discord message carries besides its text. */
export interface WithFiles {
  readonly attachments?: { values(): Iterable<AttachmentLike> } | undefined;
  readonly embeds?: readonly EmbedLike[] | undefined;
}

/**
 * A Discord message's attachments (uploaded files, on Discord's CDN) and embeds with a link (previews of
 * links the customer pasted, images, videos) as neutral attachments: name, type, size, link.
 */
export function discordFiles(message: WithFiles): Attachment[] {
  const uploaded = [...(message.attachments?.values() ?? [])].map((file) => ({
    name: file.name || 'file',
    ...(file.contentType ? { type: file.contentType } : {}),
    size: file.size,
    url: file.url,
  }));
  const embedded = (message.embeds ?? []).flatMap((embed) =>
    embed.url
      ? [
          {
            name: embed.title || embed.url,
            ...(embed.data.type ? { type: `embed:${embed.data.type}` } : {}),
            url: embed.url,
          },
        ]
      : [],
  );
  return [...uploaded, ...embedded].flatMap((candidate) => {
    const attachment = attachmentSchema.safeParse({
      ...candidate,
      name: candidate.name.slice(0, 255),
      ...('type' in candidate && candidate.type ? { type: candidate.type.slice(0, 127) } : {}),
    });
    return attachment.success ? [attachment.data] : [];
  });
}
