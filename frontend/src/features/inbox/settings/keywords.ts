/** Keywords and their weights as the admin reads and writes them: one per line, `word weight`,
 * the weight in the reader's number format ("genangan 0,6"); no weight means 1. */

export const MAX_KEYWORDS = 100;
export const MAX_KEYWORD_LENGTH = 60;
export const MAX_WEIGHT = 5;

export type Keywords = Record<string, number>;

export type KeywordProblem =
  | { line: number; kind: 'weight' | 'tooLong' | 'duplicate'; word: string }
  | { line: 0; kind: 'empty' | 'tooMany'; word: '' };

export type Parsed = { ok: true; keywords: Keywords } | { ok: false; problems: KeywordProblem[] };

function numberFormat(locale: string) {
  return new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'id-ID', { minimumFractionDigits: 1, maximumFractionDigits: 2 });
}

/** "banjir 1,0 · genangan 0,6": heaviest first, then alphabetical. */
export function formatWeights(weights: Keywords, locale: string): string {
  const format = numberFormat(locale);
  return Object.entries(weights)
    .sort(([a, wa], [b, wb]) => wb - wa || a.localeCompare(b))
    .map(([word, weight]) => `${word} ${format.format(weight)}`)
    .join(' · ');
}

/** The textarea's text for a topic's keywords, one per line. */
export function keywordsToText(keywords: Keywords, locale: string): string {
  const format = new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'id-ID', { maximumFractionDigits: 2 });
  return Object.entries(keywords)
    .map(([word, weight]) => `${word} ${format.format(weight)}`)
    .join('\n');
}

const WEIGHT = /^(.*?)\s+(\d+(?:[.,]\d+)?)$/u;

/** Reads the textarea back: a trailing number is the weight (a comma or a point before its
 * decimals), the rest the keyword or phrase, in lower case. */
export function parseKeywords(text: string): Parsed {
  const keywords: Keywords = {};
  const problems: KeywordProblem[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim().replace(/\s+/gu, ' ');
    if (!line) return;
    const match = WEIGHT.exec(line);
    const word = (match ? match[1] : line).trim().toLocaleLowerCase('id-ID');
    const weight = match ? Number(match[2].replace(',', '.')) : 1;
    if (!word) {
      problems.push({ line: index + 1, kind: 'weight', word: line });
    } else if (word.length > MAX_KEYWORD_LENGTH) {
      problems.push({ line: index + 1, kind: 'tooLong', word });
    } else if (!(weight > 0 && weight <= MAX_WEIGHT)) {
      problems.push({ line: index + 1, kind: 'weight', word });
    } else if (word in keywords) {
      problems.push({ line: index + 1, kind: 'duplicate', word });
    } else {
      keywords[word] = weight;
    }
  });
  const count = Object.keys(keywords).length;
  if (!problems.length && count === 0) problems.push({ line: 0, kind: 'empty', word: '' });
  if (count > MAX_KEYWORDS) problems.push({ line: 0, kind: 'tooMany', word: '' });
  return problems.length ? { ok: false, problems } : { ok: true, keywords };
}
