import type { i18n as I18n } from 'i18next';
import type { Problem } from '../api/types';
import { PLATFORMS, network } from '../platforms';

const PLATFORM_PREFIXES = [...PLATFORMS.map((p) => `${p}.`), 'post.', 'variant.'];

function stripPrefix(rule: string): string {
  const prefix = PLATFORM_PREFIXES.find((p) => rule.startsWith(p));
  return prefix ? rule.slice(prefix.length) : rule;
}

/**
 * The text to show for a validation problem: a translation of its rule code
 * (most specific first, e.g. "x.text.too_long" then "text.too_long") with the
 * problem's params, or the server's own message when no translation exists.
 */
export function problemText(i18n: I18n, problem: Problem): string {
  const t = i18n.t.bind(i18n);
  const params = problem.params ?? {};
  const values: Record<string, unknown> = {
    ...params,
    // The network's own name reads right inside a sentence ("Facebook: …", not "Facebook Page: …").
    platform: problem.platform ? network(problem.platform).name : '',
    max: params.max ?? params.max_length ?? params.limit ?? params.maximum,
    length: params.length ?? params.actual ?? params.count,
  };
  const candidates = [problem.rule, stripPrefix(problem.rule)].map((r) => `rules.${r.replace(/\./g, '_')}`);
  for (const key of candidates) {
    const template = i18n.getResource(i18n.language, 'translation', key) as unknown;
    if (typeof template !== 'string') continue;
    const needed = Array.from(template.matchAll(/\{\{\s*(\w+)\s*\}\}/g), (m) => m[1]);
    // A translation that needs a value the server did not send would read badly.
    if (needed.every((name) => values[name] !== undefined && values[name] !== null && values[name] !== '')) {
      return t(key, values);
    }
  }
  return problem.message;
}

/** Problems grouped by the variant index they belong to; -1 holds post-level ones. */
export function problemsByVariant(problems: Problem[]): Map<number, Problem[]> {
  const map = new Map<number, Problem[]>();
  for (const problem of problems) {
    let index = problem.variant_index;
    if (index === null || index === undefined) {
      const m = /^variants\.(\d+)\./.exec(problem.field ?? '');
      index = m ? Number(m[1]) : -1;
    }
    const list = map.get(index) ?? [];
    list.push(problem);
    map.set(index, list);
  }
  return map;
}

/** Turns a 422 error's `fields` map into problems when the server sent none. */
export function problemsFromFields(fields: Record<string, string>): Problem[] {
  return Object.entries(fields).map(([field, message]) => {
    const m = /^variants\.(\d+)\./.exec(field);
    return {
      field,
      variant_index: m ? Number(m[1]) : null,
      platform: null,
      rule: `field.${field}`,
      message,
      params: {},
    };
  });
}
