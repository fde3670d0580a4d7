import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { client, unwrap } from '../../api/endpoints';
import type { components } from '../../api/schema';

type Schemas = components['schemas'];
export type HoldStatus = Schemas['HoldStatus'];
export type AgencyHolds = Schemas['AgencyHolds'];
export type Blackout = Schemas['BlackoutRead'];
export type BlackoutInput = Schemas['BlackoutIn'];
export type BlackoutKind = Schemas['BlackoutKind'];
export type HoldReason = Schemas['HoldReasonRead'];

export const BLACKOUT_KINDS: BlackoutKind[] = ['election_quiet', 'mourning', 'other'];

// Every query key of the holds feature.
const HOLDS_ALL = ['holds'] as const;
const holdsKey = (unitId: number | undefined) => ['holds', unitId] as const;
const AGENCY_KEY = ['holds', 'agency'] as const;

/** A unit's hold status; polled, so the shell's banner follows holds that start or end by themselves. */
export function useHoldStatus(unitId: number | undefined) {
  return useQuery({
    queryKey: holdsKey(unitId),
    queryFn: () =>
      unwrap(client.GET('/api/v1/units/{unit_id}/holds', { params: { path: { unit_id: unitId! } } })),
    enabled: unitId !== undefined,
    refetchInterval: 60_000,
  });
}

/** The agency-wide holds (the instance administrator only). */
export function useAgencyHolds(enabled: boolean) {
  return useQuery({
    queryKey: AGENCY_KEY,
    queryFn: () => unwrap(client.GET('/api/v1/holds/agency')),
    enabled,
  });
}

function useRefresh() {
  const queryClient = useQueryClient();
  // Any change may move every unit's status (agency-wide holds): refresh them all.
  return () => queryClient.invalidateQueries({ queryKey: HOLDS_ALL });
}

export function usePauseUnit(unitId: number) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (reason: string) =>
      unwrap(
        client.POST('/api/v1/units/{unit_id}/pause', { params: { path: { unit_id: unitId } }, body: { reason } }),
      ),
    onSuccess: refresh,
  });
}

export function useResumeUnit(unitId: number) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: () => unwrap(client.POST('/api/v1/units/{unit_id}/resume', { params: { path: { unit_id: unitId } } })),
    onSuccess: refresh,
  });
}

export function useAddUnitBlackout(unitId: number) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: BlackoutInput) =>
      unwrap(client.POST('/api/v1/units/{unit_id}/blackouts', { params: { path: { unit_id: unitId } }, body })),
    onSuccess: refresh,
  });
}

export function useRemoveUnitBlackout(unitId: number) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (id: number) =>
      unwrap(
        client.DELETE('/api/v1/units/{unit_id}/blackouts/{blackout_id}', {
          params: { path: { unit_id: unitId, blackout_id: id } },
          parseAs: 'text',
        }),
      ),
    onSuccess: refresh,
  });
}

export function usePauseAgency() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (reason: string) => unwrap(client.POST('/api/v1/holds/agency/pause', { body: { reason } })),
    onSuccess: refresh,
  });
}

export function useResumeAgency() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: () => unwrap(client.POST('/api/v1/holds/agency/resume')),
    onSuccess: refresh,
  });
}

export function useAddAgencyBlackout() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: BlackoutInput) => unwrap(client.POST('/api/v1/holds/agency/blackouts', { body })),
    onSuccess: refresh,
  });
}

export function useRemoveAgencyBlackout() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (id: number) =>
      unwrap(
        client.DELETE('/api/v1/holds/agency/blackouts/{blackout_id}', {
          params: { path: { blackout_id: id } },
          parseAs: 'text',
        }),
      ),
    onSuccess: refresh,
  });
}
