import type { SavedAnswer } from '../queries';

/** Saved answers matching every word of the search (title or text, any case) and the topic:
 * `undefined` for all, `null` for the general ones. */
export function filterSaved(items: SavedAnswer[], query: string, topicId: number | null | undefined): SavedAnswer[] {
  const words = query.toLocaleLowerCase('id-ID').split(/\s+/u).filter(Boolean);
  return items.filter((s) => {
    if (topicId !== undefined && s.topic_id !== topicId) return false;
    const haystack = `${s.title}\n${s.text}`.toLocaleLowerCase('id-ID');
    return words.every((w) => haystack.includes(w));
  });
}
