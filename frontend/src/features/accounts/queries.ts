import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/endpoints';
import { errorFromResponse } from '../../api/errors';
import { API_BASE, authFetch } from '../../api/http';
import type { Account } from '../../api/types';
import type {
  AccountInfo,
  ConnectPlatform,
  ConnectResult,
  ConnectStart,
  ManualPlatform,
  XSpend,
} from './types';

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const url = new URL(`${API_BASE}${path}`, globalThis.location?.origin ?? 'http://localhost');
  const request = new Request(url, {
    method,
    headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const response = await authFetch(request);
  if (!response.ok) throw await errorFromResponse(response);
  return (await response.json()) as T;
}

export const accountsApi = {
  list: (unitId: number) => api.accounts(unitId) as Promise<{ items: AccountInfo[] }>,
  startConnect: (body: { unit_id: number; platform: ConnectPlatform; account_id?: number }) =>
    call<ConnectStart>('POST', '/accounts/connect', body),
  connectResult: (id: string) => call<ConnectResult>('GET', `/accounts/connect/${encodeURIComponent(id)}`),
  choose: (id: string, externalIds: string[]) =>
    call<ConnectResult>('POST', `/accounts/connect/${encodeURIComponent(id)}/choose`, { external_ids: externalIds }),
  manual: (body: { unit_id: number; platform: ManualPlatform; access_token: string; page_id?: string }) =>
    call<{ items: AccountInfo[] }>('POST', '/accounts/manual', body),
  disconnect: (id: number) => call<AccountInfo>('POST', `/accounts/${id}/disconnect`),
  setEnabled: (id: number, enabled: boolean) =>
    call<AccountInfo>('POST', `/accounts/${id}/${enabled ? 'enable' : 'disable'}`),
  xSpend: (unitId: number) => call<XSpend>('GET', `/units/${unitId}/x-spend`),
  setXSpendCap: (unitId: number, capUsd: number | null) =>
    call<XSpend>('PUT', `/units/${unitId}/x-spend-cap`, { cap_usd: capUsd }),
};

export const accountKeys = {
  list: (unitId: number | null | undefined) => ['accounts', unitId] as const,
  connect: (id: string) => ['account-connect', id] as const,
  xSpend: (unitId: number | null | undefined) => ['x-spend', unitId] as const,
};

/** How often the result of a connection is asked for while the platform has not answered. */
export const CONNECT_POLL_MS = 1500;

/** The platform accounts of a unit (the posts screens use the same list). */
export function useAccounts(unitId: number | null | undefined) {
  return useQuery({
    queryKey: accountKeys.list(unitId),
    queryFn: () => accountsApi.list(unitId!),
    enabled: unitId != null,
  });
}

/** Starts a connection; the caller sends the browser to the platform's authorize page. */
export function useStartConnect() {
  return useMutation({ mutationFn: accountsApi.startConnect });
}

/** The result of a connection, asked for again while it is still pending. */
export function useConnectResult(id: string | undefined) {
  return useQuery({
    queryKey: accountKeys.connect(id ?? ''),
    queryFn: () => accountsApi.connectResult(id!),
    enabled: Boolean(id),
    refetchInterval: (query) => (query.state.data?.status === 'pending' ? CONNECT_POLL_MS : false),
  });
}

function useRefreshAccounts() {
  const queryClient = useQueryClient();
  return (unitId: number) => queryClient.invalidateQueries({ queryKey: accountKeys.list(unitId) });
}

export function useChooseConnect(id: string) {
  const queryClient = useQueryClient();
  const refresh = useRefreshAccounts();
  return useMutation({
    mutationFn: (externalIds: string[]) => accountsApi.choose(id, externalIds),
    onSuccess: (result) => {
      queryClient.setQueryData(accountKeys.connect(id), result);
      void refresh(result.unit_id);
    },
  });
}

export function useManualConnect(unitId: number) {
  const refresh = useRefreshAccounts();
  return useMutation({
    mutationFn: (input: { platform: ManualPlatform; access_token: string; page_id?: string }) =>
      accountsApi.manual({ unit_id: unitId, ...input }),
    onSuccess: () => void refresh(unitId),
  });
}

/** Puts a changed account into the cached list at once, then reloads the list. */
function useAccountChange<V>(unitId: number, mutationFn: (vars: V) => Promise<AccountInfo>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: (changed) => {
      queryClient.setQueryData<{ items: Account[] }>(accountKeys.list(unitId), (old) =>
        old ? { items: old.items.map((a) => (a.id === changed.id ? changed : a)) } : old,
      );
      void queryClient.invalidateQueries({ queryKey: accountKeys.list(unitId) });
    },
  });
}

export function useDisconnect(unitId: number) {
  return useAccountChange(unitId, (id: number) => accountsApi.disconnect(id));
}

export function useSetEnabled(unitId: number) {
  return useAccountChange(unitId, ({ id, enabled }: { id: number; enabled: boolean }) =>
    accountsApi.setEnabled(id, enabled),
  );
}

/** This UTC month's estimated X spend of a unit. */
export function useXSpend(unitId: number | null | undefined) {
  return useQuery({
    queryKey: accountKeys.xSpend(unitId),
    queryFn: () => accountsApi.xSpend(unitId!),
    enabled: unitId != null,
  });
}

export function useSetXSpendCap(unitId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (capUsd: number | null) => accountsApi.setXSpendCap(unitId, capUsd),
    onSuccess: (spend) => queryClient.setQueryData(accountKeys.xSpend(unitId), spend),
  });
}
