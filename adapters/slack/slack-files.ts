import { z } from 'zod';
import { type Attachment, attachmentSchema } from '../../src/domain/customer-messages.ts';

// The parts of a Slack file object Heed keeps (docs.slack.dev/reference/objects/file-object).
const slackFileSchema = z.object({
  name: z.string().optional(),
  title: z.string().optional(),
  mimetype: z.string().optional(),
  size: z.number().int().nonnegative().optional(),
  permalink: z.string().optional(),
  url_private: z.string().optional(),
});

/**
 * The files of a Slack message (`files[]`) as neutral attachments: name, type, size and the permalink
 * (members open it in Slack). Files Slack hides (`file_access: check_file_info`, no link) are left out.
 */
export function slackFiles(files: unknown): Attachment[] {
  if (!Array.isArray(files)) return [];
  return files.flatMap((raw) => {
    const file = slackFileSchema.safeParse(raw);
    if (!file.success) return [];
    const candidate = {
      name: (file.data.name || file.data.title || 'file').slice(0, 255),
      ...(file.data.mimetype ? { type: file.data.mimetype.slice(0, 127) } : {}),
      ...(file.data.size !== undefined ? { size: file.data.size } : {}),
      url: file.data.permalink ?? file.data.url_private ?? '',
    };
    const attachment = attachmentSchema.safeParse(candidate);
    return attachment.success ? [attachment.data] : [];
  });
}
