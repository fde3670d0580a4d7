import twitterText from 'twitter-text';
// twitter-text's URL regex backtracks over long runs of dots and letters ("a.a.a…"): its
// parseTweet takes quadratic time there (about a second at 16,000 characters), which would
// freeze the composer as the user types. URLs never hold twitter-text's spaces, so the text
// is counted piece by piece between them (the same sum); a piece that holds a dot and is
// longer than PIECE_MAX is cut into shorter parts, which bounds the work per character.
export const SPACES = /([\t-\r \u0085\u00a0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+)/;
export const PIECE_MAX = 500;

/** The pieces parseTweet is given for ``text`` (already NFC): none longer than PIECE_MAX if it holds a dot. */
export function countingPieces(text: string): string[] {
  const pieces: string[] = [];
  for (const piece of text.split(SPACES)) {
    if (piece === '') continue;
    // Without a dot there is no URL to look for: emoji extraction alone is linear.
    if (piece.length <= PIECE_MAX || !piece.includes('.')) {
      pieces.push(piece);
      continue;
    }
    let start = 0;
    while (piece.length - start > PIECE_MAX) {
      pieces.push(piece.slice(start, start + cutAt(piece, start)));
      start += pieces[pieces.length - 1].length;
    }
    pieces.push(piece.slice(start));
  }
  return pieces;
}

/** Length of the part from ``start``: cut before an ASCII letter or dot, so no emoji is split. */
function cutAt(piece: string, start: number): number {
  for (let length = PIECE_MAX; length > PIECE_MAX / 2; length--) {
    if (/[A-Za-z.]/.test(piece[start + length])) return length;
  }
  // No safe place: keep surrogate pairs whole.
  const code = piece.charCodeAt(start + PIECE_MAX);
  return code >= 0xdc00 && code <= 0xdfff ? PIECE_MAX + 1 : PIECE_MAX;
}

/**
 * The pieces joined again where a space separates them, up to BATCH_MAX characters: a call
 * per batch instead of per word, and the cost stays the sum of its words' costs (matching
 * stops at spaces). The parts of a cut piece stay in separate batches.
 */
export const BATCH_MAX = 2000;
export function countingBatches(text: string): string[] {
  const batches: string[] = [];
  let batch = '';
  for (const piece of countingPieces(text)) {
    // A piece that does not start where the text has a space boundary is the next part of
    // a cut piece: it must not be joined to the part before it.
    const continues = batch !== '' && !SPACES.test(batch[batch.length - 1]) && !SPACES.test(piece[0]);
    if (continues || batch.length + piece.length > BATCH_MAX) {
      if (batch !== '') batches.push(batch);
      batch = '';
    }
    batch += piece;
  }
  if (batch !== '') batches.push(batch);
  return batches;
}

/** X's weighted length (twitter-text v3: URLs 23, emoji and CJK 2), in time linear in the text. */
export function xWeightedLength(normalized: string): number {
  let total = 0;
  for (const batch of countingBatches(normalized)) total += twitterText.parseTweet(batch).weightedLength;
  return total;
}

/** Characters as most networks count them: code points (the text is already NFC). */
export function codePointLength(normalized: string): number {
  return Array.from(normalized).length;
}
