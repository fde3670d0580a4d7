import { useQuery } from '@tanstack/react-query';
import { client, unwrap } from '../../api/endpoints';
import type { components } from '../../api/schema';

type BestTimesRead = components['schemas']['BestTimesRead'];

export const goodHoursKeys = {
  bestTimes: (unitId: number) => ['analytics', unitId, 'best-times'] as const,
};

/** The unit's weekday × hour grid (last 365 days); a history changes slowly, so it is kept a while. */
export function useBestTimes(unitId: number | null | undefined) {
  return useQuery({
    queryKey: goodHoursKeys.bestTimes(unitId ?? 0),
    // The operation also answers CSV (format=csv); without it the body is the JSON grid.
    queryFn: async () =>
      (await unwrap(
        client.GET('/api/v1/analytics/units/{unit_id}/best-times', { params: { path: { unit_id: unitId! } } }),
      )) as BestTimesRead,
    enabled: typeof unitId === 'number',
    staleTime: 30 * 60_000,
    retry: false,
  });
}
