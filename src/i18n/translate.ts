/**
 * The one shape every translated text goes through. A message's key is its English text in ICU
 * MessageFormat ("{firms, plural, one {# firm} other {# firms}}"); the translation files map it
 * to each language. Code that writes sentences (the training answers, the headline sentences)
 * takes a `Translate` and never knows which language it writes in.
 */
export type MessageValues = Record<string, string | number | boolean | Date | null | undefined>;

export type Translate = (key: string, values?: MessageValues) => string;

/**
 * Marks a literal as a message without translating it where it is written: tables of labels
 * and help texts defined at load time are translated where they are shown, and the extractor
 * (npm run i18n:extract) finds them by this call.
 */
export const msg = <T extends string>(key: T): T => key;

/** A language to write in: its code, its Intl locale for numbers and dates, its messages. */
export interface Localizer {
  readonly lang: string;
  /** For Intl: "en-US", "es", "zh-CN". */
  readonly locale: string;
  readonly t: Translate;
}
